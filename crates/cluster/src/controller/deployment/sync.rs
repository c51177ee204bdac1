//! Finding or creating the new ReplicaSet, proportional scaling, history cleanup and status.
//!
//! Mirrors pkg/controller/deployment/sync.go (v1.34): `getNewReplicaSet`, `sync`, `scale`,
//! `isScalingEvent`, `cleanupDeployment`, `calculateStatus`, `syncDeploymentStatus`.

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::deployment_util as du;

use super::Ctx;
use super::util::{self, DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY as HASH_KEY};
use crate::controller::kind_of;
use crate::controller::plan::{EventRecord, SyncError, Write};

/// Mirrors getNewReplicaSet (and getAllReplicaSetsAndSyncRevision): the index of the
/// ReplicaSet matching the Deployment's template, syncing its revision annotations, or a
/// newly planned one when `create` is set. None when there is none and `create` is unset.
///
/// # Errors
/// Transient after a hash collision (the bumped `collisionCount` is written first).
pub fn get_new_replica_set(ctx: &mut Ctx<'_>, create: bool) -> Result<Option<usize>, SyncError> {
    let existing = util::find_new_replica_set(&ctx.d, &ctx.rss);
    let olds: Vec<appsv1::ReplicaSet> = ctx
        .old_indices(existing)
        .into_iter()
        .map(|i| ctx.rss[i].clone())
        .collect();
    let new_revision = (util::max_revision(&olds) + 1).to_string();

    if let Some(i) = existing {
        let mut rs = ctx.rss[i].clone();
        let annotations_updated =
            set_new_replica_set_annotations(&ctx.d, &mut rs, &new_revision, true);
        let min_ready = ctx.d.spec.as_ref().and_then(|s| s.min_ready_seconds);
        let spec = rs.spec.get_or_insert_with(Default::default);
        let min_ready_changed = spec.min_ready_seconds != min_ready;
        if annotations_updated || min_ready_changed {
            spec.min_ready_seconds = min_ready;
            ctx.rss[i] = rs;
            ctx.update_rs(i);
            return Ok(Some(i));
        }
        let rev = annotation(&rs.metadata, util::REVISION_ANNOTATION).unwrap_or_default();
        if set_deployment_revision(&mut ctx.d, &rev) {
            ctx.update_d();
        }
        let mut status = ctx.d.status.clone().unwrap_or_default();
        if util::has_progress_deadline(&ctx.d)
            && util::get_condition(&status, "Progressing").is_none()
        {
            let name = rs.metadata.name.clone().unwrap_or_default();
            util::set_condition(
                &mut status,
                util::new_condition(
                    "Progressing",
                    "True",
                    util::FOUND_NEW_RS_REASON,
                    format!("Found new replica set \"{name}\""),
                    ctx.now,
                ),
            );
            ctx.d.status = Some(status);
            ctx.update_d_status();
        }
        return Ok(Some(i));
    }
    if !create {
        return Ok(None);
    }

    // A new ReplicaSet named after the template hash.
    let spec = ctx.d.spec.clone().unwrap_or_default();
    let mut status = ctx.d.status.clone().unwrap_or_default();
    let hash = util::compute_hash(&spec.template, status.collision_count);
    let d_name = ctx.d.metadata.name.clone().unwrap_or_default();
    let name = format!("{d_name}-{hash}");
    if ctx.rs_name_taken(&name) {
        // Mirrors the AlreadyExists branch: a different template under our name is a hash
        // collision; bump collisionCount so the next hash differs.
        status.collision_count = Some(status.collision_count.unwrap_or(0) + 1);
        ctx.d.status = Some(status);
        ctx.update_d_status();
        return Err(SyncError::Transient(format!(
            "replica set \"{name}\" hash collision"
        )));
    }
    let mut template = spec.template.clone();
    template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default)
        .insert(HASH_KEY.into(), hash.clone());
    let mut selector = spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .insert(HASH_KEY.into(), hash);
    let mut rs = appsv1::ReplicaSet {
        metadata: metav1::ObjectMeta {
            name: Some(name.clone()),
            namespace: ctx.d.metadata.namespace.clone(),
            owner_references: Some(vec![owner_reference(&ctx.d)]),
            labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
            creation_timestamp: Some(ctx.now.to_time()),
            ..Default::default()
        },
        spec: Some(appsv1::ReplicaSetSpec {
            replicas: Some(0),
            min_ready_seconds: spec.min_ready_seconds,
            selector,
            template: Some(template),
        }),
        status: None,
    };
    let infos: Vec<du::RsInfo> = ctx.rss.iter().map(util::rs_info).collect();
    let new_replicas =
        du::new_rs_new_replicas(&util::deployment_info(&ctx.d), &infos, &util::rs_info(&rs))
            .map_err(SyncError::Permanent)?;
    if let Some(s) = rs.spec.as_mut() {
        s.replicas = Some(new_replicas);
    }
    set_new_replica_set_annotations(&ctx.d, &mut rs, &new_revision, false);
    ctx.plan.push(Write::create(Object::ReplicaSet(rs.clone())));
    if new_replicas > 0 {
        let e = EventRecord::normal(
            &ctx.d_obj,
            "ScalingReplicaSet",
            format!("Scaled up replica set {name} from 0 to {new_replicas}"),
        );
        ctx.event(e);
    }
    ctx.rss.push(rs);
    let idx = ctx.rss.len() - 1;
    if set_deployment_revision(&mut ctx.d, &new_revision) {
        ctx.update_d();
    }
    if util::has_progress_deadline(&ctx.d) {
        util::set_condition(
            &mut status,
            util::new_condition(
                "Progressing",
                "True",
                util::NEW_RS_REASON,
                format!("Created new replica set \"{name}\""),
                ctx.now,
            ),
        );
    }
    ctx.d.status = Some(status);
    ctx.update_d_status();
    Ok(Some(idx))
}

/// Mirrors sync: scale the ReplicaSets to the Deployment's size (used when paused or on a
/// scaling event), clean up history when paused, then update status.
///
/// # Errors
/// As [`get_new_replica_set`].
pub fn sync(ctx: &mut Ctx<'_>) -> Result<(), SyncError> {
    let new = get_new_replica_set(ctx, false)?;
    scale(ctx, new);
    let paused = ctx.d.spec.as_ref().is_some_and(|s| s.paused == Some(true));
    if paused && super::rollback::get_rollback_to(&ctx.d).is_none() {
        cleanup_deployment(ctx, new);
    }
    sync_deployment_status(ctx, new);
    Ok(())
}

/// Mirrors syncStatusOnly (a Deployment being deleted).
///
/// # Errors
/// As [`get_new_replica_set`].
pub fn sync_status_only(ctx: &mut Ctx<'_>) -> Result<(), SyncError> {
    let new = get_new_replica_set(ctx, false)?;
    sync_deployment_status(ctx, new);
    Ok(())
}

/// Mirrors isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from
/// the Deployment's size.
pub fn is_scaling_event(ctx: &Ctx<'_>) -> bool {
    let want = util::d_replicas(&ctx.d);
    ctx.rss
        .iter()
        .filter(|r| util::rs_replicas(r) > 0)
        .any(|r| {
            annotation(&r.metadata, util::DESIRED_REPLICAS_ANNOTATION)
                .and_then(|v| v.parse::<i32>().ok())
                .is_some_and(|desired| desired != want)
        })
}

/// Mirrors scale, using `machinery::deployment_util::scale` for the proportions.
pub fn scale(ctx: &mut Ctx<'_>, new: Option<usize>) {
    let info = util::deployment_info(&ctx.d);
    let new_info = new.map(|i| util::rs_info(&ctx.rss[i]));
    let olds: Vec<du::RsInfo> = ctx
        .old_indices(new)
        .into_iter()
        .map(|i| util::rs_info(&ctx.rss[i]))
        .collect();
    for (name, size) in du::scale(&info, new_info.as_ref(), &olds) {
        if let Some(i) = ctx.index_of(&name) {
            ctx.scale_replica_set(i, size);
        }
    }
}

/// Mirrors cleanupDeployment: deletes the oldest idle ReplicaSets beyond
/// `revisionHistoryLimit` (never the new one, never one with pods).
pub fn cleanup_deployment(ctx: &mut Ctx<'_>, new: Option<usize>) {
    let Some(limit) = ctx.d.spec.as_ref().and_then(|s| s.revision_history_limit) else {
        return;
    };
    let mut alive: Vec<usize> = ctx
        .old_indices(new)
        .into_iter()
        .filter(|&i| ctx.rss[i].metadata.deletion_timestamp.is_none())
        .collect();
    let diff = alive.len() as i64 - i64::from(limit);
    if diff <= 0 {
        return;
    }
    // ReplicaSetsByRevision: lowest revision first, creation time breaking ties.
    alive.sort_by_key(|&i| {
        (
            util::revision(&ctx.rss[i].metadata),
            util::creation_key(&ctx.rss[i]),
        )
    });
    for &i in alive.iter().take(diff as usize) {
        let rs = &ctx.rss[i];
        let st = rs.status.clone().unwrap_or_default();
        if st.replicas != 0
            || util::rs_replicas(rs) != 0
            || rs.metadata.generation > st.observed_generation
        {
            continue;
        }
        ctx.plan.push(Write::Delete {
            kind: kind_of::<appsv1::ReplicaSet>(),
            namespace: rs.metadata.namespace.clone(),
            name: rs.metadata.name.clone().unwrap_or_default(),
            uid: rs.metadata.uid.clone(),
            grace_period_seconds: None,
        });
    }
}

/// Mirrors calculateStatus: counts from the ReplicaSets, plus the Available condition.
pub fn calculate_status(ctx: &Ctx<'_>, new: Option<usize>) -> appsv1::DeploymentStatus {
    let sum = |f: &dyn Fn(&appsv1::ReplicaSetStatus) -> Option<i32>| -> i32 {
        ctx.rss
            .iter()
            .map(|r| r.status.as_ref().and_then(f).unwrap_or(0))
            .sum()
    };
    let available = sum(&|s| s.available_replicas);
    let total: i32 = ctx.rss.iter().map(util::rs_replicas).sum();
    let updated = new
        .and_then(|i| ctx.rss[i].status.as_ref())
        .map_or(0, |s| s.replicas);
    let old = ctx.d.status.clone().unwrap_or_default();
    let nz = |v: i32| (v != 0).then_some(v);
    let mut status = appsv1::DeploymentStatus {
        observed_generation: ctx.d.metadata.generation,
        replicas: nz(sum(&|s| Some(s.replicas))),
        updated_replicas: nz(updated),
        ready_replicas: nz(sum(&|s| s.ready_replicas)),
        available_replicas: nz(available),
        unavailable_replicas: nz((total - available).max(0)),
        collision_count: old.collision_count,
        conditions: old.conditions.clone(),
        terminating_replicas: old.terminating_replicas,
    };
    let info = util::deployment_info(&ctx.d);
    let cond = if available >= info.replicas - du::max_unavailable(&info) {
        util::new_condition(
            "Available",
            "True",
            util::MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.".into(),
            ctx.now,
        )
    } else {
        util::new_condition(
            "Available",
            "False",
            util::MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.".into(),
            ctx.now,
        )
    };
    util::set_condition(&mut status, cond);
    status
}

/// Mirrors syncDeploymentStatus: writes the calculated status when it changed.
pub fn sync_deployment_status(ctx: &mut Ctx<'_>, new: Option<usize>) {
    let status = calculate_status(ctx, new);
    if ctx.d.status.as_ref() != Some(&status) {
        ctx.d.status = Some(status);
        ctx.update_d_status();
    }
}

/// Mirrors SetReplicasAnnotations: desired- and max-replicas. Returns whether they changed.
pub fn set_replicas_annotations(rs: &mut appsv1::ReplicaSet, desired: i32, max: i32) -> bool {
    let a = rs.metadata.annotations.get_or_insert_with(Default::default);
    let mut changed = false;
    for (k, v) in [
        (util::DESIRED_REPLICAS_ANNOTATION, desired),
        (util::MAX_REPLICAS_ANNOTATION, max),
    ] {
        let v = v.to_string();
        if a.get(k) != Some(&v) {
            a.insert(k.into(), v);
            changed = true;
        }
    }
    changed
}

/// Mirrors SetNewReplicaSetAnnotations: copy the Deployment's own annotations, raise the
/// revision, and (for a ReplicaSet being created) set the replicas annotations.
pub fn set_new_replica_set_annotations(
    d: &appsv1::Deployment,
    rs: &mut appsv1::ReplicaSet,
    new_revision: &str,
    exists: bool,
) -> bool {
    let mut changed = copy_deployment_annotations(d, rs);
    let a = rs.metadata.annotations.get_or_insert_with(Default::default);
    let old: i64 = a
        .get(util::REVISION_ANNOTATION)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let new: i64 = new_revision.parse().unwrap_or(0);
    if old < new {
        a.insert(util::REVISION_ANNOTATION.into(), new_revision.into());
        changed = true;
    }
    if !exists {
        let info = util::deployment_info(d);
        changed |=
            set_replicas_annotations(rs, info.replicas, info.replicas + du::max_surge(&info));
    }
    changed
}

/// Mirrors SetDeploymentRevision. Returns whether it changed.
pub fn set_deployment_revision(d: &mut appsv1::Deployment, revision: &str) -> bool {
    let a = d.metadata.annotations.get_or_insert_with(Default::default);
    if a.get(util::REVISION_ANNOTATION).map(String::as_str) == Some(revision) {
        return false;
    }
    a.insert(util::REVISION_ANNOTATION.into(), revision.into());
    true
}

/// The controller owner reference pointing at `d`.
pub fn owner_reference(d: &appsv1::Deployment) -> metav1::OwnerReference {
    metav1::OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: d.metadata.name.clone().unwrap_or_default(),
        uid: d.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// An annotation's value.
pub fn annotation(meta: &metav1::ObjectMeta, key: &str) -> Option<String> {
    meta.annotations.as_ref()?.get(key).cloned()
}

/// Mirrors copyDeploymentAnnotationsToReplicaSet: every annotation except the ones the
/// controller owns and kubectl's last-applied configuration.
fn copy_deployment_annotations(d: &appsv1::Deployment, rs: &mut appsv1::ReplicaSet) -> bool {
    let skip = [
        util::LAST_APPLIED_ANNOTATION,
        util::REVISION_ANNOTATION,
        util::REVISION_HISTORY_ANNOTATION,
        util::DESIRED_REPLICAS_ANNOTATION,
        util::MAX_REPLICAS_ANNOTATION,
        util::ROLLBACK_TO_ANNOTATION,
    ];
    let mut changed = false;
    let a = rs.metadata.annotations.get_or_insert_with(Default::default);
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if skip.contains(&k.as_str()) || a.get(k) == Some(v) {
            continue;
        }
        a.insert(k.clone(), v.clone());
        changed = true;
    }
    changed
}
