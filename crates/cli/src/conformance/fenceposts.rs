//! Checker for `fenceposts.jsonl`: deployment rollout arithmetic, one function per `kind`.
//!
//! `RolloutSequenceDerived` rows are checked by a tiny rollout loop built only from the
//! `deployment_util` decision functions: each sync either grows the new ReplicaSet or shrinks
//! old ones, and new pods become available `1 + readyLagSyncs` syncs after they are created.

use machinery::deployment_util::{self as du, DeploymentInfo, RsInfo, Strategy};
use machinery::intstr::{IntOrString, get_scaled_value_from_int_or_percent};
use serde_json::Value;

use super::Outcome;
use super::util::{self, compare, int_field};

pub fn check(row: &Value) -> Outcome {
    match util::str_field(row, "kind") {
        "ResolveFenceposts" => resolve(row),
        "GetScaledValueFromIntOrPercent" => scaled(row),
        "DefaultFenceposts25pct" => defaults(row),
        "MaxUnavailable" => compare(
            int_field(row, "expected"),
            Some(i64::from(du::max_unavailable(&deployment(row)))),
        ),
        "MinAvailable" => compare(
            int_field(row, "expected"),
            Some(i64::from(du::min_available(&deployment(row)))),
        ),
        "NewRSNewReplicas" => new_rs_new_replicas(row),
        "reconcileNewReplicaSet" => reconcile_new(row),
        "reconcileOldReplicaSets" => reconcile_old(row),
        "cleanupUnhealthyReplicas" => cleanup(row),
        "scaleDownOldReplicaSetsForRollingUpdate" => scale_down(row),
        "ProportionalScale" => proportional(row),
        "RolloutSequenceDerived" => rollout_sequence(row),
        _ => util::unsupported(row, "unknown kind"),
    }
}

fn int_or_string(v: Option<&Value>) -> Option<IntOrString> {
    match v? {
        Value::Number(n) => n.as_i64().map(|i| IntOrString::Int(i as i32)),
        Value::String(s) => Some(IntOrString::String(s.clone())),
        _ => None,
    }
}

fn i32_field(row: &Value, key: &str) -> i32 {
    int_field(row, key).unwrap_or(0) as i32
}

/// A Deployment from `replicas`/`deploymentReplicas`, `strategy`, `maxSurge`, `maxUnavailable`.
fn deployment(row: &Value) -> DeploymentInfo {
    let replicas = int_field(row, "deploymentReplicas")
        .or_else(|| int_field(row, "replicas"))
        .unwrap_or(0) as i32;
    let strategy = match util::str_field(row, "strategy") {
        "Recreate" => Strategy::Recreate,
        _ => Strategy::RollingUpdate {
            max_surge: int_or_string(row.get("maxSurge")),
            max_unavailable: int_or_string(row.get("maxUnavailable")),
        },
    };
    DeploymentInfo {
        replicas,
        strategy,
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

fn resolve(row: &Value) -> Outcome {
    let got = du::resolve_fenceposts(
        int_or_string(row.get("maxSurge")).as_ref(),
        int_or_string(row.get("maxUnavailable")).as_ref(),
        i32_field(row, "desired"),
    );
    let expected = if row
        .get("expectError")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        None
    } else {
        Some((
            i32_field(row, "expectSurge"),
            i32_field(row, "expectUnavailable"),
        ))
    };
    compare(expected, got.ok())
}

fn scaled(row: &Value) -> Outcome {
    let Some(v) = int_or_string(row.get("value")) else {
        return util::unsupported(row, "nil value");
    };
    let round_up = row.get("roundUp").and_then(Value::as_bool).unwrap_or(false);
    let got = get_scaled_value_from_int_or_percent(&v, i32_field(row, "total"), round_up);
    let expected = match row.get("derived_error_text").and_then(Value::as_str) {
        Some(e) => Err(e.to_string()),
        None => Ok(i32_field(row, "expectValue")),
    };
    compare(expected, got)
}

fn defaults(row: &Value) -> Outcome {
    let replicas = i32_field(row, "replicas");
    let d = DeploymentInfo {
        replicas,
        strategy: Strategy::RollingUpdate {
            max_surge: Some("25%".into()),
            max_unavailable: Some("25%".into()),
        },
        status_replicas: replicas,
    };
    let (surge, unavailable) =
        du::resolve_fenceposts(Some(&"25%".into()), Some(&"25%".into()), replicas)
            .unwrap_or((-1, -1));
    let got = (
        surge,
        unavailable,
        replicas + du::max_surge(&d),
        du::min_available(&d),
    );
    let expected = (
        i32_field(row, "maxSurge"),
        i32_field(row, "maxUnavailable"),
        i32_field(row, "maxTotalPods"),
        i32_field(row, "minAvailable"),
    );
    compare(expected, got)
}

fn new_rs_new_replicas(row: &Value) -> Outcome {
    // As in the upstream test, allRSs holds only the other ReplicaSet.
    let d = deployment(row);
    let new = rs("new", i32_field(row, "newRSReplicas"), 0, 2);
    let other = rs("rs5", i32_field(row, "otherRSReplicas"), 0, 1);
    compare(
        Ok(i32_field(row, "expected")),
        du::new_rs_new_replicas(&d, &[other], &new),
    )
}

fn reconcile_new(row: &Value) -> Outcome {
    let d = deployment(row);
    let new = rs("new", i32_field(row, "newReplicas"), 0, 2);
    let old = rs("old", i32_field(row, "oldReplicas"), 0, 1);
    let got = du::reconcile_new_replica_set(&d, &[new.clone(), old], &new);
    let expected = match row.get("scaleExpected").and_then(Value::as_bool) {
        Some(true) => Some(i32_field(row, "expectedNewReplicas")),
        _ => None,
    };
    compare(Ok(expected), got)
}

fn reconcile_old(row: &Value) -> Outcome {
    let d = deployment(row);
    let new = rs(
        "new",
        i32_field(row, "newReplicas"),
        i32_field(row, "availableNew"),
        2,
    );
    let mut olds = vec![rs(
        "old",
        i32_field(row, "oldReplicas"),
        i32_field(row, "availableOld"),
        1,
    )];
    let scaled = du::reconcile_old_replica_sets(&d, &mut olds, &new);
    let expected_scaled = row
        .get("scaleExpected")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let expected = (
        expected_scaled,
        expected_scaled.then(|| i32_field(row, "expectedOldReplicas")),
    );
    compare(expected, (scaled, scaled.then_some(olds[0].replicas)))
}

fn cleanup(row: &Value) -> Outcome {
    let mut olds = vec![rs(
        "old",
        i32_field(row, "oldReplicas"),
        i32_field(row, "availableOld"),
        1,
    )];
    let got = du::cleanup_unhealthy_replicas(&mut olds, i32_field(row, "maxCleanupCount"));
    compare(i32_field(row, "cleanupCountExpected"), got)
}

fn scale_down(row: &Value) -> Outcome {
    let d = deployment(row);
    let old = rs(
        "old",
        i32_field(row, "oldReplicas"),
        i32_field(row, "availableOld"),
        1,
    );
    let mut olds = vec![old.clone()];
    let n = du::scale_down_old_replica_sets_for_rolling_update(&d, &[old], &mut olds);
    let expected_scaled = row
        .get("scaleExpected")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let expected = (
        expected_scaled,
        expected_scaled.then(|| i32_field(row, "expectedOldReplicas")),
    );
    compare(expected, (n > 0, (n > 0).then_some(olds[0].replicas)))
}

/// `[name, replicas]` → RsInfo with the annotations the upstream test sets.
fn annotated_rs(
    v: &Value,
    created: i64,
    desired: i32,
    max: i32,
    available: Option<i32>,
) -> Option<RsInfo> {
    let a = v.as_array()?;
    let name = a.first()?.as_str()?;
    let replicas = a.get(1)?.as_i64()? as i32;
    let mut r = rs(name, replicas, available.unwrap_or(replicas), created);
    r.desired_replicas_annotation = Some(desired);
    r.max_replicas_annotation = Some(max);
    Some(r)
}

fn proportional(row: &Value) -> Outcome {
    let d = deployment(row);
    let prev_replicas =
        int_field(row, "previousDeploymentReplicas").unwrap_or(i64::from(d.replicas)) as i32;
    let prev = DeploymentInfo {
        replicas: prev_replicas,
        strategy: Strategy::RollingUpdate {
            max_surge: int_or_string(row.get("previousMaxSurge").or(row.get("maxSurge"))),
            max_unavailable: int_or_string(row.get("maxUnavailable")),
        },
        status_replicas: prev_replicas,
    };
    let max = prev_replicas + du::max_surge(&prev);
    let olds_json = row
        .get("oldRSs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // Old ReplicaSets are listed newest first; the new one is newer than all of them.
    let n = olds_json.len() as i64;
    let olds: Vec<RsInfo> = olds_json
        .iter()
        .enumerate()
        .filter_map(|(i, v)| annotated_rs(v, n - i as i64, prev_replicas, max, None))
        .collect();
    let new_available = int_field(row, "newRSAvailable").map(|a| a as i32);
    let new = row
        .get("newRS")
        .and_then(|v| annotated_rs(v, n + 1, prev_replicas, max, new_available));
    let ops = du::scale(&d, new.as_ref(), &olds);
    let size = |r: &RsInfo| {
        ops.iter()
            .find(|(name, _)| *name == r.name)
            .map_or(r.replicas, |(_, s)| *s)
    };
    let got_new = new.as_ref().map(|r| (r.name.clone(), size(r)));
    let got_old: Vec<(String, i32)> = olds.iter().map(|r| (r.name.clone(), size(r))).collect();
    let pair = |v: &Value| -> Option<(String, i32)> {
        let a = v.as_array()?;
        Some((a.first()?.as_str()?.to_string(), a.get(1)?.as_i64()? as i32))
    };
    let want_new = row.get("expectedNewRS").and_then(pair);
    let want_old: Vec<(String, i32)> = row
        .get("expectedOldRSs")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(pair).collect())
        .unwrap_or_default();
    compare((want_new, want_old), (got_new, got_old))
}

fn rollout_sequence(row: &Value) -> Outcome {
    let d = deployment(row);
    let lag = int_field(row, "readyLagSyncs").unwrap_or(0);
    let mut old = rs("old", d.replicas, d.replicas, 1);
    let mut new = rs("new", 0, 0, 2);
    // Creation sync of each new pod that is not yet available.
    let mut pending: Vec<i64> = Vec::new();
    let mut seq = vec![(old.replicas, new.replicas)];
    for sync in 1..=200 {
        if old.replicas == 0 && new.replicas == d.replicas {
            break;
        }
        let ready = pending.iter().filter(|&&c| sync >= c + 1 + lag).count() as i32;
        pending.retain(|&c| sync < c + 1 + lag);
        new.available += ready;
        let all = [new.clone(), old.clone()];
        match du::reconcile_new_replica_set(&d, &all, &new) {
            Ok(Some(n)) => {
                pending.extend(std::iter::repeat_n(
                    sync,
                    (n - new.replicas).max(0) as usize,
                ));
                new.replicas = n;
                seq.push((old.replicas, new.replicas));
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                return Outcome::Fail {
                    expected: "a rollout".into(),
                    got: e,
                };
            }
        }
        let mut olds = [old.clone()];
        if du::reconcile_old_replica_sets(&d, &mut olds, &new) {
            old.replicas = olds[0].replicas;
            old.available = old.available.min(old.replicas);
            seq.push((old.replicas, new.replicas));
        }
    }
    let want: Vec<(i32, i32)> = row
        .get("sequence_old_new")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p.get(0)?.as_i64()? as i32, p.get(1)?.as_i64()? as i32)))
                .collect()
        })
        .unwrap_or_default();
    compare(want, seq)
}
