//! `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=N] --max=N [--cpu=C] [--memory=M]
//! [--cpu-percent=P]`: creates an autoscaling/v2 HorizontalPodAutoscaler.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go (v1.34).

use cluster::apiserver::CreateOptions;
use serde_json::{Value, json};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// A `--cpu`/`--memory` target: `80%` is average utilization, anything else an average
/// value (bare numbers in `default_unit`).
fn target(raw: &str, default_unit: &str) -> Value {
    match raw.strip_suffix('%') {
        Some(n) => {
            json!({"type": "Utilization", "averageUtilization": n.parse::<i64>().unwrap_or(0)})
        }
        None if raw.chars().all(|c| c.is_ascii_digit()) => {
            json!({"type": "AverageValue", "averageValue": format!("{raw}{default_unit}")})
        }
        None => json!({"type": "AverageValue", "averageValue": raw}),
    }
}

/// Runs `kubectl autoscale`.
///
/// # Errors
/// kubectl's validation errors and the store's.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let max = p.int("max").unwrap_or(-1);
    let min = p.int("min").unwrap_or(-1);
    if max < 1 {
        return Err(KubectlError::msg(format!(
            "--max=MAXPODS is required and must be at least 1, max: {max}"
        )));
    }
    if max < min {
        return Err(KubectlError::msg(format!(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        )));
    }
    if p.args.is_empty() {
        return Err(ctx.usage("required resource not specified"));
    }
    let dry = ctx.dry_run()?;
    let hpa_info = api::by_gvk("autoscaling/v2", "HorizontalPodAutoscaler")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"hpa\""))?;
    for t in resources::resolve_args(&p.args)? {
        let Target::Named(info, name) = t else {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        };
        let obj = env.store.get(info, ctx.ns_for(info), &name)?;
        if !matches!(
            info.kind,
            "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
        ) {
            // The discovery scale resolver's error (GroupVersionResource printed by Go).
            return Err(KubectlError::msg(format!(
                "cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
                info.kind, info.group, info.version, info.plural
            )));
        }
        let hpa_name = p
            .string("name")
            .filter(|n| !n.is_empty())
            .unwrap_or(&name)
            .to_string();
        let mut metrics = Vec::new();
        if let Some(cpu) = p.string("cpu").filter(|c| !c.is_empty()) {
            metrics.push(json!({"type": "Resource", "resource": {"name": "cpu", "target": target(cpu, "m")}}));
        } else if let Some(pct) = p.int("cpu-percent").filter(|c| *c >= 0) {
            metrics.push(json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": pct}}}));
        }
        if let Some(mem) = p.string("memory").filter(|m| !m.is_empty()) {
            metrics.push(json!({"type": "Resource", "resource": {"name": "memory", "target": target(mem, "Mi")}}));
        }
        let mut spec = json!({
            "scaleTargetRef": {
                "apiVersion": format!("{}/{}", info.group, info.version).trim_start_matches('/'),
                "kind": info.kind,
                "name": name,
            },
            "maxReplicas": max,
        });
        if min > 0 {
            spec["minReplicas"] = json!(min);
        }
        if !metrics.is_empty() {
            spec["metrics"] = Value::Array(metrics);
        }
        let _ = obj;
        let hpa = json!({
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": hpa_name},
            "spec": spec,
        });
        let hpa = api::Object::from_value(hpa).map_err(|e| KubectlError::msg(e.to_string()))?;
        if dry != DryRun::Client {
            env.store.create(
                ctx.ns_for(hpa_info),
                hpa,
                &CreateOptions {
                    dry_run: dry == DryRun::Server,
                },
            )?;
        }
        out.out(format!(
            "horizontalpodautoscaler.autoscaling/{hpa_name} autoscaled{}",
            dry.suffix()
        ));
    }
    Ok(())
}
