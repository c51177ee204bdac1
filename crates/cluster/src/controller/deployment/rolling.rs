//! The RollingUpdate strategy.
//!
//! Mirrors pkg/controller/deployment/rolling.go (v1.34) `rolloutRolling`,
//! `reconcileNewReplicaSet` and `reconcileOldReplicaSets`; the replica arithmetic is
//! `machinery::deployment_util`. Each sync does one scale-up or one scale-down, so with
//! replicas 3 and the default 25%/25% the old/new sizes go
//! 3/0 → 3/1 → 2/1 → 2/2 → 1/2 → 1/3 → 0/3 as new pods become available.

use machinery::deployment_util as du;

use super::util;
use super::{Ctx, progress, sync};
use crate::controller::plan::SyncError;

/// Mirrors rolloutRolling.
///
/// # Errors
/// Permanent for a malformed maxSurge; as [`sync::get_new_replica_set`].
pub fn rollout_rolling(ctx: &mut Ctx<'_>) -> Result<(), SyncError> {
    let Some(new) = sync::get_new_replica_set(ctx, true)? else {
        return Ok(());
    };
    let info = util::deployment_info(&ctx.d);
    let all: Vec<du::RsInfo> = ctx.rss.iter().map(util::rs_info).collect();
    let new_info = util::rs_info(&ctx.rss[new]);

    // Scale up, if we can.
    if let Some(size) =
        du::reconcile_new_replica_set(&info, &all, &new_info).map_err(SyncError::Permanent)?
        && ctx.scale_replica_set(new, size)
    {
        progress::sync_rollout_status(ctx, Some(new));
        return Ok(());
    }

    // Scale down, if we can.
    let olds = ctx.old_indices(Some(new));
    let mut old_infos: Vec<du::RsInfo> = olds.iter().map(|&i| util::rs_info(&ctx.rss[i])).collect();
    if du::reconcile_old_replica_sets(&info, &mut old_infos, &new_info) {
        let mut scaled = false;
        for (k, &i) in olds.iter().enumerate() {
            if old_infos[k].replicas != util::rs_replicas(&ctx.rss[i]) {
                scaled |= ctx.scale_replica_set(i, old_infos[k].replicas);
            }
        }
        if scaled {
            progress::sync_rollout_status(ctx, Some(new));
            return Ok(());
        }
    }

    if util::deployment_complete(&ctx.d, &ctx.d.status.clone().unwrap_or_default()) {
        sync::cleanup_deployment(ctx, Some(new));
    }
    progress::sync_rollout_status(ctx, Some(new));
    Ok(())
}
