//! The Recreate strategy: stop every old pod, then start the new ones.
//!
//! Mirrors pkg/controller/deployment/recreate.go (v1.34) `rolloutRecreate`,
//! `scaleDownOldReplicaSetsForRecreate`, `oldPodsRunning` and
//! `scaleUpNewReplicaSetForRecreate`.

use api::Object;

use super::{Ctx, progress, sync, util};
use crate::controller::plan::SyncError;
use crate::controller::podutil;
use crate::controller::replicaset::controller_uid;

/// Mirrors rolloutRecreate.
///
/// # Errors
/// As [`sync::get_new_replica_set`].
pub fn rollout_recreate(ctx: &mut Ctx<'_>) -> Result<(), SyncError> {
    let mut new = sync::get_new_replica_set(ctx, false)?;

    // Scale down every old ReplicaSet with pods.
    let mut scaled_down = false;
    for i in ctx.old_indices(new) {
        if util::rs_replicas(&ctx.rss[i]) != 0 {
            scaled_down |= ctx.scale_replica_set(i, 0);
        }
    }
    if scaled_down {
        progress::sync_rollout_status(ctx, new);
        return Ok(());
    }

    // Wait until every old pod has stopped.
    if old_pods_running(ctx, new) {
        progress::sync_rollout_status(ctx, new);
        return Ok(());
    }

    if new.is_none() {
        new = sync::get_new_replica_set(ctx, true)?;
    }
    if let Some(i) = new {
        let want = util::d_replicas(&ctx.d);
        ctx.scale_replica_set(i, want);
    }
    if util::deployment_complete(&ctx.d, &ctx.d.status.clone().unwrap_or_default()) {
        sync::cleanup_deployment(ctx, new);
    }
    progress::sync_rollout_status(ctx, new);
    Ok(())
}

/// Mirrors oldPodsRunning: an old ReplicaSet still reports pods, or one of its pods is not
/// terminal (a terminating pod still runs).
fn old_pods_running(ctx: &Ctx<'_>, new: Option<usize>) -> bool {
    let olds = ctx.old_indices(new);
    if olds
        .iter()
        .any(|&i| ctx.rss[i].status.as_ref().is_some_and(|s| s.replicas > 0))
    {
        return true;
    }
    let uids: Vec<String> = olds
        .iter()
        .filter_map(|&i| ctx.rss[i].metadata.uid.clone())
        .collect();
    ctx.pods.iter().any(|o| match &**o {
        Object::Pod(p) => {
            controller_uid(&p.metadata).is_some_and(|u| uids.iter().any(|x| x == u))
                && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        }
        _ => false,
    })
}
