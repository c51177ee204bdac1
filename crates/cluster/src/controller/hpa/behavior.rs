//! Scaling behavior: stabilization windows and rate limits.
//!
//! Mirrors pkg/controller/podautoscaler/horizontal.go (v1.34)
//! `normalizeDesiredReplicasWithBehaviors`, `stabilizeRecommendationWithBehaviors`,
//! `convertDesiredReplicasWithBehaviorRate`, `getReplicasChangePerPeriod` and the defaults of
//! pkg/apis/autoscaling/v2 `SetDefaults_HorizontalPodAutoscalerBehavior`: scale up at once,
//! by the larger of 4 pods or 100 % per 15 s; scale down after a 300 s window, by up to
//! 100 % per 15 s.

use k8s_openapi::api::autoscaling::v2 as autoscalingv2;

use crate::time::{SimDuration, SimTime};

/// One recommendation the controller made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recommendation {
    pub replicas: i32,
    pub at: SimTime,
}

/// One rescale the controller did (positive: up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleEvent {
    pub change: i32,
    pub at: SimTime,
}

/// A scaling direction's rules, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub window: SimDuration,
    pub select: String,
    /// (type `Pods`/`Percent`, value, period).
    pub policies: Vec<(String, i32, SimDuration)>,
}

/// The effective up and down rules of an HPA.
pub fn rules(behavior: Option<&autoscalingv2::HorizontalPodAutoscalerBehavior>) -> (Rules, Rules) {
    let secs = |s: i32| SimDuration::from_secs(s.max(0) as u64);
    let make = |r: Option<&autoscalingv2::HPAScalingRules>, up: bool| {
        let default_policies: Vec<(String, i32, SimDuration)> = if up {
            vec![
                ("Pods".into(), 4, secs(15)),
                ("Percent".into(), 100, secs(15)),
            ]
        } else {
            vec![("Percent".into(), 100, secs(15))]
        };
        Rules {
            window: secs(
                r.and_then(|r| r.stabilization_window_seconds)
                    .unwrap_or(if up { 0 } else { 300 }),
            ),
            select: r
                .and_then(|r| r.select_policy.clone())
                .unwrap_or_else(|| "Max".into()),
            policies: r
                .and_then(|r| r.policies.as_ref())
                .map(|ps| {
                    ps.iter()
                        .map(|p| (p.type_.clone(), p.value, secs(p.period_seconds)))
                        .collect()
                })
                .unwrap_or(default_policies),
        }
    };
    let b = behavior;
    (
        make(b.and_then(|b| b.scale_up.as_ref()), true),
        make(b.and_then(|b| b.scale_down.as_ref()), false),
    )
}

/// Mirrors stabilizeRecommendationWithBehaviors: the lowest recommendation of the up window
/// and the highest of the down window bound the change. Records `desired` at `now`.
/// Returns the stabilized count and whether the down window held it back.
pub fn stabilize(
    history: &mut Vec<Recommendation>,
    current: i32,
    desired: i32,
    up: &Rules,
    down: &Rules,
    now: SimTime,
) -> i32 {
    let longest = up.window.max(down.window);
    history.retain(|r| now - r.at <= longest);
    let mut up_rec = desired;
    let mut down_rec = desired;
    for r in history.iter() {
        if now - r.at < up.window {
            up_rec = up_rec.min(r.replicas);
        }
        if now - r.at < down.window {
            down_rec = down_rec.max(r.replicas);
        }
    }
    let mut rec = current;
    if rec < up_rec {
        rec = up_rec;
    }
    if rec > down_rec {
        rec = down_rec;
    }
    history.push(Recommendation {
        replicas: desired,
        at: now,
    });
    rec
}

/// What the rate limits did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    pub replicas: i32,
    /// `ScalingLimited` reason and message when a limit applied.
    pub reason: &'static str,
    pub message: &'static str,
}

/// Mirrors convertDesiredReplicasWithBehaviorRate, with its parameters.
#[allow(clippy::too_many_arguments)]
pub fn rate_limit(
    events: &[ScaleEvent],
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
    up: &Rules,
    down: &Rules,
    now: SimTime,
) -> Limited {
    let changed = |period: SimDuration, up_events: bool| -> i32 {
        events
            .iter()
            .filter(|e| now - e.at <= period && (e.change > 0) == up_events)
            .map(|e| e.change.abs())
            .sum()
    };
    if desired > current {
        let mut limit = if up.select == "Min" { i32::MAX } else { i32::MIN };
        for (kind, value, period) in &up.policies {
            let start = current - changed(*period, true) + changed(*period, false);
            let proposed = if kind == "Pods" {
                start + value
            } else {
                (f64::from(start) * (1.0 + f64::from(*value) / 100.0)).ceil() as i32
            };
            limit = if up.select == "Min" {
                limit.min(proposed)
            } else {
                limit.max(proposed)
            };
        }
        if up.select == "Disabled" {
            limit = current;
        }
        let limit = limit.min(max);
        if desired > limit {
            let (reason, message) = if limit == max {
                ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
            } else {
                ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
            };
            return Limited {
                replicas: limit,
                reason,
                message,
            };
        }
    } else if desired < current {
        let mut limit = if down.select == "Min" { i32::MIN } else { i32::MAX };
        for (kind, value, period) in &down.policies {
            let start = current + changed(*period, false) - changed(*period, true);
            let proposed = if kind == "Pods" {
                start - value
            } else {
                (f64::from(start) * (1.0 - f64::from(*value) / 100.0)).floor() as i32
            };
            limit = if down.select == "Min" {
                limit.max(proposed)
            } else {
                limit.min(proposed)
            };
        }
        if down.select == "Disabled" {
            limit = current;
        }
        let limit = limit.max(min);
        if desired < limit {
            let (reason, message) = if limit == min {
                ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
            } else {
                ("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")
            };
            return Limited {
                replicas: limit,
                reason,
                message,
            };
        }
    }
    Limited {
        replicas: desired,
        reason: "DesiredWithinRange",
        message: "the desired count is within the acceptable range",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules() {
        let (up, down) = rules(None);
        assert_eq!(up.window, SimDuration::ZERO);
        assert_eq!(down.window, SimDuration::from_secs(300));
        assert_eq!(up.policies.len(), 2);
    }

    #[test]
    fn scale_down_waits_for_the_window() {
        let (up, down) = rules(None);
        let mut h = Vec::new();
        let t = |s: u64| SimTime::ZERO + SimDuration::from_secs(s);
        assert_eq!(stabilize(&mut h, 1, 4, &up, &down, t(0)), 4);
        // Load gone: the recommendation is 1 but the last 300 s said 4.
        assert_eq!(stabilize(&mut h, 4, 1, &up, &down, t(15)), 4);
        assert_eq!(stabilize(&mut h, 4, 1, &up, &down, t(299)), 4);
        assert_eq!(stabilize(&mut h, 4, 1, &up, &down, t(300)), 1);
    }

    #[test]
    fn scale_up_rate_is_the_larger_of_four_pods_or_double() {
        let (up, down) = rules(None);
        let now = SimTime::ZERO + SimDuration::from_secs(100);
        let l = rate_limit(&[], 1, 20, 1, 50, &up, &down, now);
        assert_eq!((l.replicas, l.reason), (5, "ScaleUpLimit"));
        let l = rate_limit(&[], 10, 40, 1, 50, &up, &down, now);
        assert_eq!(l.replicas, 20);
        let l = rate_limit(&[], 10, 80, 1, 15, &up, &down, now);
        assert_eq!((l.replicas, l.reason), (15, "TooManyReplicas"));
        let l = rate_limit(&[], 4, 1, 1, 10, &up, &down, now);
        assert_eq!((l.replicas, l.reason), (1, "DesiredWithinRange"));
    }
}
