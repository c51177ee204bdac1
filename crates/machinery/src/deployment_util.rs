//! Deployment rollout arithmetic on plain values.
//!
//! Mirrors pkg/controller/deployment/util/deployment_util.go and the pure parts of
//! pkg/controller/deployment/{rolling.go,sync.go} @v1.28.0. Functions take plain structs so the
//! cluster's controller can call them with values read from its informer view; they return the
//! replica counts to write and never perform the writes.

use std::cmp::Ordering;

use crate::intstr::{IntOrString, get_scaled_value_from_int_or_percent};

/// The deployment strategy, with the rolling-update knobs as written (unset = `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    Recreate,
    RollingUpdate {
        max_surge: Option<IntOrString>,
        max_unavailable: Option<IntOrString>,
    },
}

/// What the rollout rules read from a Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentInfo {
    /// `spec.replicas`.
    pub replicas: i32,
    pub strategy: Strategy,
    /// `status.replicas`, the fallback when an RS lacks its max-replicas annotation.
    pub status_replicas: i32,
}

/// What the rollout rules read from a ReplicaSet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsInfo {
    pub name: String,
    /// `spec.replicas`.
    pub replicas: i32,
    /// `status.availableReplicas`.
    pub available: i32,
    /// Creation time in any monotonic unit; ties break by name, as upstream.
    pub created: i64,
    /// `deployment.kubernetes.io/desired-replicas`.
    pub desired_replicas_annotation: Option<i32>,
    /// `deployment.kubernetes.io/max-replicas`.
    pub max_replicas_annotation: Option<i32>,
}

/// Mirrors ResolveFenceposts: `(maxSurge, maxUnavailable)` for `desired` replicas. Surge rounds
/// up, unavailable rounds down, and if both come out 0 unavailable becomes 1 so a rollout can
/// progress. E.g. 25%/25% of 10 → (3, 2); of 1 → (1, 0).
///
/// # Errors
/// The int-or-percent error text for a malformed value.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = get_scaled_value_from_int_or_percent(max_surge.unwrap_or(&zero), desired, true)?;
    let mut unavailable =
        get_scaled_value_from_int_or_percent(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

/// Mirrors MaxUnavailable: capped at replicas; 0 for Recreate or zero replicas. A malformed
/// value counts as 0, as upstream (validation rejects it earlier).
pub fn max_unavailable(d: &DeploymentInfo) -> i32 {
    let Strategy::RollingUpdate {
        max_surge,
        max_unavailable,
    } = &d.strategy
    else {
        return 0;
    };
    if d.replicas == 0 {
        return 0;
    }
    let (_, unavailable) =
        resolve_fenceposts(max_surge.as_ref(), max_unavailable.as_ref(), d.replicas)
            .unwrap_or((0, 0));
    unavailable.min(d.replicas)
}

/// Mirrors MinAvailable: `replicas − maxUnavailable`; 0 for Recreate.
pub fn min_available(d: &DeploymentInfo) -> i32 {
    match d.strategy {
        Strategy::Recreate => 0,
        Strategy::RollingUpdate { .. } => d.replicas - max_unavailable(d),
    }
}

/// Mirrors MaxSurge: 0 for Recreate.
pub fn max_surge(d: &DeploymentInfo) -> i32 {
    let Strategy::RollingUpdate {
        max_surge,
        max_unavailable,
    } = &d.strategy
    else {
        return 0;
    };
    resolve_fenceposts(max_surge.as_ref(), max_unavailable.as_ref(), d.replicas)
        .map_or(0, |(s, _)| s)
}

/// Mirrors NewRSNewReplicas: how far the new ReplicaSet may grow now. `all_rs` are the
/// ReplicaSets whose `spec.replicas` count towards the surge budget.
///
/// Worked example: replicas 10, maxSurge 3, old RS at 10, new at 0 → total 10 < 13, so the
/// new RS grows by min(13 − 10, 10 − 0) = 3.
///
/// # Errors
/// The int-or-percent error for a malformed maxSurge.
pub fn new_rs_new_replicas(
    d: &DeploymentInfo,
    all_rs: &[RsInfo],
    new_rs: &RsInfo,
) -> Result<i32, String> {
    match &d.strategy {
        Strategy::Recreate => Ok(d.replicas),
        Strategy::RollingUpdate { max_surge, .. } => {
            let zero = IntOrString::Int(0);
            let surge = get_scaled_value_from_int_or_percent(
                max_surge.as_ref().unwrap_or(&zero),
                d.replicas,
                true,
            )?;
            let current = replica_count(all_rs);
            let max_total = d.replicas + surge;
            if current >= max_total {
                return Ok(new_rs.replicas);
            }
            let scale_up = (max_total - current).min(d.replicas - new_rs.replicas);
            Ok(new_rs.replicas + scale_up)
        }
    }
}

/// Mirrors GetReplicaCountForReplicaSets: the sum of `spec.replicas`.
pub fn replica_count(rss: &[RsInfo]) -> i32 {
    rss.iter().map(|r| r.replicas).sum()
}

/// Mirrors GetAvailableReplicaCountForReplicaSets.
pub fn available_count(rss: &[RsInfo]) -> i32 {
    rss.iter().map(|r| r.available).sum()
}

/// Mirrors rolling.go reconcileNewReplicaSet: the size to set on the new RS, or `None` when it
/// stays as it is. Scales down to `replicas` when the new RS is too big.
///
/// # Errors
/// The int-or-percent error for a malformed maxSurge.
pub fn reconcile_new_replica_set(
    d: &DeploymentInfo,
    all_rs: &[RsInfo],
    new_rs: &RsInfo,
) -> Result<Option<i32>, String> {
    if new_rs.replicas == d.replicas {
        return Ok(None);
    }
    if new_rs.replicas > d.replicas {
        return Ok(Some(d.replicas));
    }
    let n = new_rs_new_replicas(d, all_rs, new_rs)?;
    Ok((n != new_rs.replicas).then_some(n))
}

/// Mirrors rolling.go reconcileOldReplicaSets: first removes unhealthy old pods, then scales
/// old ReplicaSets down (oldest first) while keeping `minAvailable`. Updates `old_rss` in place
/// and returns whether anything was scaled.
pub fn reconcile_old_replica_sets(
    d: &DeploymentInfo,
    old_rss: &mut [RsInfo],
    new_rs: &RsInfo,
) -> bool {
    let old_pods = replica_count(old_rss);
    if old_pods == 0 {
        return false;
    }
    let all_pods = old_pods + new_rs.replicas;
    let min_available = d.replicas - max_unavailable(d);
    let new_unavailable = new_rs.replicas - new_rs.available;
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    let cleaned = cleanup_unhealthy_replicas(old_rss, max_scaled_down);
    let mut all: Vec<RsInfo> = old_rss.to_vec();
    all.push(new_rs.clone());
    let scaled = scale_down_old_replica_sets_for_rolling_update(d, &all, old_rss);
    cleaned + scaled > 0
}

/// Mirrors rolling.go cleanupUnhealthyReplicas: scales old ReplicaSets (oldest first) down by
/// their unavailable pods, at most `max_cleanup` in total. Returns the number removed.
pub fn cleanup_unhealthy_replicas(old_rss: &mut [RsInfo], max_cleanup: i32) -> i32 {
    let mut total = 0;
    for i in by_creation(old_rss) {
        let rs = &mut old_rss[i];
        if total >= max_cleanup {
            break;
        }
        if rs.replicas == 0 || rs.replicas == rs.available {
            continue;
        }
        let n = (max_cleanup - total).min(rs.replicas - rs.available);
        rs.replicas -= n;
        total += n;
    }
    total
}

/// Mirrors rolling.go scaleDownOldReplicaSetsForRollingUpdate: scales old ReplicaSets down
/// (oldest first) by `available(all) − minAvailable`. Returns the number removed.
pub fn scale_down_old_replica_sets_for_rolling_update(
    d: &DeploymentInfo,
    all_rs: &[RsInfo],
    old_rss: &mut [RsInfo],
) -> i32 {
    let min_available = d.replicas - max_unavailable(d);
    let available = available_count(all_rs);
    if available <= min_available {
        return 0;
    }
    let budget = available - min_available;
    let mut total = 0;
    for i in by_creation(old_rss) {
        let rs = &mut old_rss[i];
        if total >= budget {
            break;
        }
        if rs.replicas == 0 {
            continue;
        }
        let n = rs.replicas.min(budget - total);
        rs.replicas -= n;
        total += n;
    }
    total
}

/// Mirrors IsSaturated: the RS has all desired replicas, annotated and available.
pub fn is_saturated(d: &DeploymentInfo, rs: &RsInfo) -> bool {
    rs.desired_replicas_annotation.is_some_and(|desired| {
        rs.replicas == d.replicas && desired == d.replicas && rs.available == d.replicas
    })
}

/// Mirrors GetProportion: this RS's share of `to_add`, bounded by what is still unassigned.
pub fn get_proportion(rs: &RsInfo, d: &DeploymentInfo, to_add: i32, added: i32) -> i32 {
    if rs.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = get_replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// Mirrors sync.go scale (proportional scaling of a Deployment whose size changed). Returns
/// the ReplicaSets to resize as `(name, new spec.replicas)`, in upstream's write order; an RS
/// that keeps its size is left out.
///
/// Worked example: 5 → 10 replicas with new RS 2 and old RS 3 (max-replicas annotation 5):
/// 5 to add; the old RS (larger) gets round(3×10/5) − 3 = 3, the new RS round(2×10/5) − 2 = 2,
/// giving 6 and 4.
pub fn scale(
    d: &DeploymentInfo,
    new_rs: Option<&RsInfo>,
    old_rss: &[RsInfo],
) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    let mut resize = |rs: &RsInfo, size: i32| {
        if rs.replicas != size {
            out.push((rs.name.clone(), size));
        }
    };
    if let Some(rs) = find_active_or_latest(new_rs, old_rss) {
        resize(&rs, d.replicas);
        return out;
    }
    if let Some(n) = new_rs
        && is_saturated(d, n)
    {
        for old in old_rss.iter().filter(|r| r.replicas > 0) {
            resize(old, 0);
        }
        return out;
    }
    if !matches!(d.strategy, Strategy::RollingUpdate { .. }) {
        return out;
    }
    let mut all: Vec<RsInfo> = old_rss
        .iter()
        .chain(new_rs)
        .filter(|r| r.replicas > 0)
        .cloned()
        .collect();
    let allowed = if d.replicas > 0 {
        d.replicas + max_surge(d)
    } else {
        0
    };
    let to_add = allowed - replica_count(&all);
    match to_add.cmp(&0) {
        // Bigger first; on ties newer first when growing, older first when shrinking.
        Ordering::Greater => {
            all.sort_by(|a, b| b.replicas.cmp(&a.replicas).then_with(|| newer_first(a, b)))
        }
        Ordering::Less => {
            all.sort_by(|a, b| b.replicas.cmp(&a.replicas).then_with(|| older_first(a, b)))
        }
        Ordering::Equal => {}
    }
    let mut added = 0;
    let mut sizes: Vec<i32> = Vec::with_capacity(all.len());
    for rs in &all {
        if to_add != 0 {
            let p = get_proportion(rs, d, to_add, added);
            sizes.push(rs.replicas + p);
            added += p;
        } else {
            sizes.push(rs.replicas);
        }
    }
    for (i, rs) in all.iter().enumerate() {
        if i == 0 && to_add != 0 {
            sizes[0] = (sizes[0] + to_add - added).max(0);
        }
        resize(rs, sizes[i]);
    }
    out
}

/// Mirrors FindActiveOrLatest: the only RS with replicas, or the newest when none has any;
/// `None` when several are active.
pub fn find_active_or_latest(new_rs: Option<&RsInfo>, old_rss: &[RsInfo]) -> Option<RsInfo> {
    if new_rs.is_none() && old_rss.is_empty() {
        return None;
    }
    let mut olds = old_rss.to_vec();
    olds.sort_by(newer_first);
    let active: Vec<&RsInfo> = olds
        .iter()
        .chain(new_rs)
        .filter(|r| r.replicas > 0)
        .collect();
    match active.as_slice() {
        [] => new_rs.cloned().or_else(|| olds.first().cloned()),
        [one] => Some((*one).clone()),
        _ => None,
    }
}

fn get_replica_set_fraction(rs: &RsInfo, d: &DeploymentInfo) -> i32 {
    if d.replicas == 0 {
        return -rs.replicas;
    }
    let max_replicas = d.replicas + max_surge(d);
    let before = match rs.max_replicas_annotation {
        Some(m) if m != 0 => m,
        _ => {
            if d.status_replicas == 0 {
                return 0;
            }
            d.status_replicas
        }
    };
    let size = f64::from(rs.replicas * max_replicas) / f64::from(before);
    round_to_i32(size) - rs.replicas
}

/// Mirrors integer.RoundToInt32: halves round away from zero.
fn round_to_i32(a: f64) -> i32 {
    if a < 0.0 {
        (a - 0.5) as i32
    } else {
        (a + 0.5) as i32
    }
}

fn older_first(a: &RsInfo, b: &RsInfo) -> Ordering {
    a.created.cmp(&b.created).then_with(|| a.name.cmp(&b.name))
}

fn newer_first(a: &RsInfo, b: &RsInfo) -> Ordering {
    older_first(b, a)
}

/// Indexes of `rss` ordered oldest first (ReplicaSetsByCreationTimestamp).
fn by_creation(rss: &[RsInfo]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rss.len()).collect();
    idx.sort_by(|&a, &b| older_first(&rss[a], &rss[b]));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rolling(replicas: i32, surge: IntOrString, unavailable: IntOrString) -> DeploymentInfo {
        DeploymentInfo {
            replicas,
            strategy: Strategy::RollingUpdate {
                max_surge: Some(surge),
                max_unavailable: Some(unavailable),
            },
            status_replicas: replicas,
        }
    }

    fn rs(name: &str, replicas: i32, available: i32, created: i64) -> RsInfo {
        RsInfo {
            name: name.into(),
            replicas,
            available,
            created,
            desired_replicas_annotation: None,
            max_replicas_annotation: None,
        }
    }

    struct FencepostCase {
        name: &'static str,
        surge: Option<&'static str>,
        unavailable: Option<&'static str>,
        desired: i32,
        want: Result<(i32, i32), ()>,
    }

    // Mirrors TestResolveFenceposts in pkg/controller/deployment/util/deployment_util_test.go @v1.28.0.
    #[test]
    fn fenceposts() {
        let cases = [
            FencepostCase {
                name: "0/0",
                surge: Some("0%"),
                unavailable: Some("0%"),
                desired: 0,
                want: Ok((0, 1)),
            },
            FencepostCase {
                name: "39%",
                surge: Some("39%"),
                unavailable: Some("39%"),
                desired: 10,
                want: Ok((4, 3)),
            },
            FencepostCase {
                name: "bad surge",
                surge: Some("oops"),
                unavailable: Some("39%"),
                desired: 10,
                want: Err(()),
            },
            FencepostCase {
                name: "bad unavailable",
                surge: Some("55%"),
                unavailable: Some("urg"),
                desired: 10,
                want: Err(()),
            },
            FencepostCase {
                name: "unset",
                surge: None,
                unavailable: None,
                desired: 5,
                want: Ok((0, 1)),
            },
        ];
        for c in cases {
            let s = c.surge.map(IntOrString::from);
            let u = c.unavailable.map(IntOrString::from);
            let got = resolve_fenceposts(s.as_ref(), u.as_ref(), c.desired).map_err(|_| ());
            assert_eq!(got, c.want, "case {}", c.name);
        }
    }

    // Mirrors TestNewRSNewReplicas and TestDeploymentController_reconcileOldReplicaSets.
    #[test]
    fn rolling_steps() {
        let d = rolling(6, 10.into(), 1.into());
        let new = rs("new", 2, 2, 2);
        assert_eq!(new_rs_new_replicas(&d, &[rs("rs5", 5, 5, 1)], &new), Ok(6));
        let d = rolling(10, 0.into(), 2.into());
        let mut olds = vec![rs("old", 10, 8, 1)];
        assert!(reconcile_old_replica_sets(
            &d,
            &mut olds,
            &rs("new", 0, 0, 2)
        ));
        assert_eq!(olds[0].replicas, 8);
    }

    // Mirrors TestScale in pkg/controller/deployment/sync_test.go @v1.28.0 ("proportional scaling: 5 -> 10").
    #[test]
    fn proportional() {
        let d = rolling(10, 0.into(), 0.into());
        let annotate = |mut r: RsInfo| {
            r.desired_replicas_annotation = Some(5);
            r.max_replicas_annotation = Some(5);
            r
        };
        let new = annotate(rs("foo-v2", 2, 2, 2));
        let old = annotate(rs("foo-v1", 3, 3, 1));
        assert_eq!(
            scale(&d, Some(&new), &[old]),
            vec![("foo-v1".to_string(), 6), ("foo-v2".to_string(), 4)]
        );
    }
}
