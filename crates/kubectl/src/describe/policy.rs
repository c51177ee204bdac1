//! HorizontalPodAutoscaler, PodDisruptionBudget and PriorityClass.
//!
//! Mirrors describe.go `describeHorizontalPodAutoscalerV2` (with `printDirectionBehavior`),
//! `describePodDisruptionBudgetV1` and `describePriorityClass` (v1.34).

use api::Object;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::policy::v1 as policyv1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Describe;
use super::writer::{
    self, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, quantity_text, time_text, w,
};

fn q(v: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>) -> String {
    v.map_or_else(|| "<nil>".to_string(), quantity_text)
}

pub fn hpa(h: &autoscalingv2::HorizontalPodAutoscaler, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = h.spec.clone().unwrap_or_default();
    let status = h.status.clone().unwrap_or_default();
    let current = status.current_metrics.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        h.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        h.metadata.namespace.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", h.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", h.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "CreationTimestamp:\t{}\n",
        h.metadata
            .creation_timestamp
            .as_ref()
            .map_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".into(), time_text)
    );
    w!(
        w,
        LEVEL_0,
        "Reference:\t{}/{}\n",
        spec.scale_target_ref.kind,
        spec.scale_target_ref.name
    );
    w!(w, LEVEL_0, "Metrics:\t( current / target )\n");
    for (i, m) in spec.metrics.iter().flatten().enumerate() {
        let cur = current.get(i);
        match m.type_.as_str() {
            "Resource" => {
                let Some(r) = &m.resource else { continue };
                w!(w, LEVEL_1, "resource {} on pods", r.name);
                let cur_r = cur.and_then(|c| c.resource.as_ref());
                if let Some(avg) = &r.target.average_value {
                    let c = cur_r.map_or("<unknown>".to_string(), |c| {
                        q(c.current.average_value.as_ref())
                    });
                    w!(w, LEVEL_0, ":\t{c} / {}\n", quantity_text(avg));
                } else {
                    let c = cur_r
                        .and_then(|c| {
                            c.current
                                .average_utilization
                                .map(|u| format!("{u}% ({})", q(c.current.average_value.as_ref())))
                        })
                        .unwrap_or_else(|| "<unknown>".into());
                    let t = r
                        .target
                        .average_utilization
                        .map_or("<auto>".to_string(), |u| format!("{u}%"));
                    w!(w, LEVEL_1, "(as a percentage of request):\t{c} / {t}\n");
                }
            }
            "Pods" => {
                let Some(p) = &m.pods else { continue };
                let c = cur
                    .and_then(|c| c.pods.as_ref())
                    .map_or("<unknown>".to_string(), |c| {
                        q(c.current.average_value.as_ref())
                    });
                w!(
                    w,
                    LEVEL_1,
                    "{:?} on pods:\t{c} / {}\n",
                    p.metric.name,
                    q(p.target.average_value.as_ref())
                );
            }
            other => w!(w, LEVEL_1, "<unknown metric type {other:?}>\n"),
        }
    }
    w!(
        w,
        LEVEL_0,
        "Min replicas:\t{}\n",
        spec.min_replicas
            .map_or("<unset>".to_string(), |m| m.to_string())
    );
    w!(w, LEVEL_0, "Max replicas:\t{}\n", spec.max_replicas);
    if let Some(b) = &spec.behavior {
        w!(w, LEVEL_0, "Behavior:\n");
        for (dir, rules) in [("Scale Up", &b.scale_up), ("Scale Down", &b.scale_down)] {
            let Some(rules) = rules else { continue };
            w!(w, LEVEL_1, "{dir}:\n");
            if let Some(s) = rules.stabilization_window_seconds {
                w!(w, LEVEL_2, "Stabilization Window: {s} seconds\n");
            }
            if let Some(policies) = rules.policies.as_ref().filter(|p| !p.is_empty()) {
                w!(
                    w,
                    LEVEL_2,
                    "Select Policy: {}\n",
                    rules.select_policy.as_deref().unwrap_or("Max")
                );
                w!(w, LEVEL_2, "Policies:\n");
                for p in policies {
                    w!(
                        w,
                        LEVEL_3,
                        "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                        p.type_,
                        p.value,
                        p.period_seconds
                    );
                }
            }
        }
    }
    w!(w, LEVEL_0, "{} pods:\t", spec.scale_target_ref.kind);
    w!(
        w,
        LEVEL_0,
        "{} current / {} desired\n",
        status.current_replicas.unwrap_or(0),
        status.desired_replicas
    );
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w!(w, LEVEL_0, "Conditions:\n");
        w!(w, LEVEL_1, "Type\tStatus\tReason\tMessage\n");
        w!(w, LEVEL_1, "----\t------\t------\t-------\n");
        for c in conds {
            w!(
                w,
                LEVEL_1,
                "{}\t{}\t{}\t{}\n",
                c.type_,
                c.status,
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    d.maybe_events(&mut w, &Object::HorizontalPodAutoscaler(h.clone()));
    w.finish()
}

pub fn pod_disruption_budget(p: &policyv1::PodDisruptionBudget, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = p.spec.clone().unwrap_or_default();
    let status = p.status.clone().unwrap_or_default();
    let ios = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        p.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        p.metadata.namespace.as_deref().unwrap_or("")
    );
    if let Some(m) = &spec.min_available {
        w!(w, LEVEL_0, "Min available:\t{}\n", ios(m));
    } else if let Some(m) = &spec.max_unavailable {
        w!(w, LEVEL_0, "Max unavailable:\t{}\n", ios(m));
    }
    match &spec.selector {
        Some(s) => w!(
            w,
            LEVEL_0,
            "Selector:\t{}\n",
            writer::format_label_selector(Some(s))
        ),
        None => w!(w, LEVEL_0, "Selector:\t<unset>\n"),
    }
    w!(w, LEVEL_0, "Status:\n");
    w!(
        w,
        LEVEL_2,
        "Allowed disruptions:\t{}\n",
        status.disruptions_allowed
    );
    w!(w, LEVEL_2, "Current:\t{}\n", status.current_healthy);
    w!(w, LEVEL_2, "Desired:\t{}\n", status.desired_healthy);
    w!(w, LEVEL_2, "Total:\t{}\n", status.expected_pods);
    d.maybe_events(&mut w, &Object::PodDisruptionBudget(p.clone()));
    w.finish()
}

pub fn priority_class(pc: &schedulingv1::PriorityClass, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        pc.metadata.name.as_deref().unwrap_or("")
    );
    w!(w, LEVEL_0, "Value:\t{}\n", pc.value);
    w!(
        w,
        LEVEL_0,
        "GlobalDefault:\t{}\n",
        pc.global_default.unwrap_or(false)
    );
    w!(
        w,
        LEVEL_0,
        "PreemptionPolicy:\t{}\n",
        pc.preemption_policy
            .as_deref()
            .unwrap_or("PreemptLowerPriority")
    );
    w!(
        w,
        LEVEL_0,
        "Description:\t{}\n",
        pc.description.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Annotations:\t{}\n",
        writer::format_labels(pc.metadata.annotations.as_ref())
    );
    d.maybe_events(&mut w, &Object::PriorityClass(pc.clone()));
    w.finish()
}
