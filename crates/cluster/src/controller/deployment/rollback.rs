//! Rolling a Deployment back to an earlier revision.
//!
//! Mirrors pkg/controller/deployment/rollback.go (v1.34), which serves the legacy
//! `deprecated.deployment.rollback.to` annotation (extensions/v1beta1 `rollbackTo`). kubectl
//! v1.34 performs `rollout undo` client-side by patching the template; [`rollback_template`]
//! gives it the template of a revision without going through the annotation.

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;

use super::{Ctx, sync, util};
use crate::controller::plan::{EventRecord, SyncError};

/// The revision the annotation asks for (0 = the previous one), None when absent or malformed.
pub fn get_rollback_to(d: &appsv1::Deployment) -> Option<i64> {
    sync::annotation(&d.metadata, util::ROLLBACK_TO_ANNOTATION)?
        .parse()
        .ok()
}

/// Mirrors LastRevision: the second-highest revision among `rss` (the one before the
/// current), 0 when there is none.
pub fn last_revision(rss: &[appsv1::ReplicaSet]) -> i64 {
    let (mut max, mut second) = (0, 0);
    for r in rss {
        let v = util::revision(&r.metadata);
        if v >= max {
            second = max;
            max = v;
        } else if v > second {
            second = v;
        }
    }
    second
}

/// The pod template recorded at `to_revision` (0 = the previous revision), with the
/// pod-template-hash label removed, as `kubectl rollout undo` applies it. None when no
/// ReplicaSet has that revision.
pub fn rollback_template(
    rss: &[appsv1::ReplicaSet],
    to_revision: i64,
) -> Option<corev1::PodTemplateSpec> {
    let want = if to_revision == 0 {
        last_revision(rss)
    } else {
        to_revision
    };
    if want == 0 {
        return None;
    }
    let rs = rss.iter().find(|r| util::revision(&r.metadata) == want)?;
    let mut t = util::rs_template(rs);
    if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        l.remove(util::DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY);
    }
    Some(t)
}

/// Mirrors rollback: copy the revision's template into the Deployment (events
/// `DeploymentRollback`, `RollbackTemplateUnchanged` or `RollbackRevisionNotFound`) and drop
/// the annotation.
///
/// # Errors
/// As [`sync::get_new_replica_set`].
pub fn rollback(ctx: &mut Ctx<'_>) -> Result<(), SyncError> {
    sync::get_new_replica_set(ctx, true)?;
    let to = get_rollback_to(&ctx.d).unwrap_or(0);
    let name = ctx.d.metadata.name.clone().unwrap_or_default();
    let target = if to == 0 { last_revision(&ctx.rss) } else { to };
    let event = match rollback_template(&ctx.rss, to) {
        None if to == 0 && target == 0 => EventRecord::warning(
            &ctx.d_obj,
            "RollbackRevisionNotFound",
            "Unable to find last revision.",
        ),
        None => EventRecord::warning(
            &ctx.d_obj,
            "RollbackRevisionNotFound",
            "Unable to find the revision to rollback to.",
        ),
        Some(t) => {
            let spec = ctx.d.spec.get_or_insert_with(Default::default);
            if util::equal_ignore_hash(&spec.template, &t) {
                EventRecord::warning(
                    &ctx.d_obj,
                    "RollbackTemplateUnchanged",
                    format!(
                        "The rollback revision contains the same template as current deployment \"{name}\""
                    ),
                )
            } else {
                spec.template = t;
                EventRecord::normal(
                    &ctx.d_obj,
                    "DeploymentRollback",
                    format!("Rolled back deployment \"{name}\" to revision {target}"),
                )
            }
        }
    };
    if let Some(a) = ctx.d.metadata.annotations.as_mut() {
        a.remove(util::ROLLBACK_TO_ANNOTATION);
    }
    ctx.update_d();
    ctx.event(event);
    Ok(())
}
