//! The Progressing condition: progress, completion, the progress deadline, pause and resume.
//!
//! Mirrors pkg/controller/deployment/progress.go `syncRolloutStatus` and
//! `requeueStuckDeployment`, and sync.go `checkPausedConditions` (v1.34).

use super::{Ctx, sync, util};
use crate::time::SimDuration;

/// Mirrors checkPausedConditions: `DeploymentPaused` / `DeploymentResumed` (status Unknown)
/// when `spec.paused` flips; a timed-out Deployment keeps its condition.
pub fn check_paused_conditions(ctx: &mut Ctx<'_>) {
    if !util::has_progress_deadline(&ctx.d) {
        return;
    }
    let mut status = ctx.d.status.clone().unwrap_or_default();
    let reason = util::get_condition(&status, "Progressing").and_then(|c| c.reason.clone());
    if reason.as_deref() == Some(util::TIMED_OUT_REASON) {
        return;
    }
    let paused_cond = reason.as_deref() == Some(util::PAUSED_DEPLOY_REASON);
    let paused = ctx.d.spec.as_ref().is_some_and(|s| s.paused == Some(true));
    let cond = if paused && !paused_cond {
        util::new_condition(
            "Progressing",
            "Unknown",
            util::PAUSED_DEPLOY_REASON,
            "Deployment is paused".into(),
            ctx.now,
        )
    } else if !paused && paused_cond {
        util::new_condition(
            "Progressing",
            "Unknown",
            util::RESUMED_DEPLOY_REASON,
            "Deployment is resumed".into(),
            ctx.now,
        )
    } else {
        return;
    };
    util::set_condition(&mut status, cond);
    ctx.d.status = Some(status);
    ctx.update_d_status();
}

/// Mirrors syncRolloutStatus: the calculated status plus the Progressing condition
/// (`NewReplicaSetAvailable`, `ReplicaSetUpdated` or `ProgressDeadlineExceeded`), written
/// when it changed; a rollout still in progress is looked at again at its deadline.
pub fn sync_rollout_status(ctx: &mut Ctx<'_>, new: Option<usize>) {
    let mut status = sync::calculate_status(ctx, new);
    if !util::has_progress_deadline(&ctx.d) {
        util::remove_condition(&mut status, "Progressing");
    }
    let old_status = ctx.d.status.clone().unwrap_or_default();
    let current = util::get_condition(&old_status, "Progressing").cloned();
    let complete_already = util::n(status.replicas) == util::n(status.updated_replicas)
        && current
            .as_ref()
            .is_some_and(|c| c.reason.as_deref() == Some(util::NEW_RS_AVAILABLE_REASON));
    let subject = match new {
        Some(i) => format!(
            "ReplicaSet \"{}\"",
            ctx.rss[i].metadata.name.clone().unwrap_or_default()
        ),
        None => format!(
            "Deployment \"{}\"",
            ctx.d.metadata.name.clone().unwrap_or_default()
        ),
    };
    if util::has_progress_deadline(&ctx.d) && !complete_already {
        if util::deployment_complete(&ctx.d, &status) {
            util::set_condition(
                &mut status,
                util::new_condition(
                    "Progressing",
                    "True",
                    util::NEW_RS_AVAILABLE_REASON,
                    format!("{subject} has successfully progressed."),
                    ctx.now,
                ),
            );
        } else if util::deployment_progressing(&ctx.d, &status) {
            let mut cond = util::new_condition(
                "Progressing",
                "True",
                util::RS_UPDATED_REASON,
                format!("{subject} is progressing."),
                ctx.now,
            );
            if let Some(cur) = &current {
                if cur.status == "True" {
                    cond.last_transition_time = cur.last_transition_time.clone();
                }
                util::remove_condition(&mut status, "Progressing");
            }
            util::set_condition(&mut status, cond);
        } else if util::deployment_timed_out(&ctx.d, &status, ctx.now) {
            util::set_condition(
                &mut status,
                util::new_condition(
                    "Progressing",
                    "False",
                    util::TIMED_OUT_REASON,
                    format!("{subject} has timed out progressing."),
                    ctx.now,
                ),
            );
        }
    }
    requeue_stuck_deployment(ctx, &status);
    if ctx.d.status.as_ref() != Some(&status) {
        ctx.d.status = Some(status);
        ctx.update_d_status();
    }
}

/// Mirrors requeueStuckDeployment: a rollout that has not completed is synced again when its
/// progress deadline passes.
fn requeue_stuck_deployment(
    ctx: &mut Ctx<'_>,
    status: &k8s_openapi::api::apps::v1::DeploymentStatus,
) {
    if !util::has_progress_deadline(&ctx.d) || util::deployment_complete(&ctx.d, status) {
        return;
    }
    let Some(cond) = util::get_condition(status, "Progressing") else {
        return;
    };
    if cond.reason.as_deref() == Some(util::TIMED_OUT_REASON) {
        return;
    }
    let Some(from) = cond.last_update_time.as_ref() else {
        return;
    };
    let deadline = ctx
        .d
        .spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .unwrap_or(0);
    // DeploymentTimedOut compares strictly, so look one millisecond past the deadline.
    let left = i64::from(deadline) * 1000 - ctx.now.millis_since(from) + 1;
    ctx.plan
        .requeue_after(SimDuration::from_millis(left.max(1) as u64));
}
