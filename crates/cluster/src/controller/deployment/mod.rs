//! The Deployment controller: rolls a Deployment's pod template out through ReplicaSets.
//!
//! Mirrors pkg/controller/deployment/deployment_controller.go (v1.34) `syncDeployment`; the
//! other files mirror their upstream namesakes: `sync.rs` (new ReplicaSet, scaling, cleanup,
//! status), `rolling.rs`, `recreate.rs`, `rollback.rs`, `progress.rs` (Progressing condition)
//! and `util.rs` (deployment_util.go; the arithmetic itself is `machinery::deployment_util`).
//!
//! The pure [`sync_deployment`] works on a [`Ctx`]: a working copy of the Deployment and its
//! ReplicaSets that each decision updates as it appends writes, so later steps of the same
//! sync see the effect of earlier ones, as upstream sees the objects its API calls return.
//!
//! Deliberate gaps: ReplicaSets are not adopted or released by selector (only those the
//! Deployment controls count), `revision-history` is not kept, and the ReplicaFailure
//! condition is not reported.

pub mod progress;
pub mod recreate;
pub mod rollback;
pub mod rolling;
pub mod sync;
pub mod util;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler, controller_owner_key};
use crate::apiserver::{Store, WatchEvent, WatchEventType};
use crate::time::SimTime;

/// The runner's handle on the Deployment controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeploymentController;

/// What `sync_deployment` reads: the Deployment's ReplicaSets and (for Recreate) their pods,
/// and the store for whether a new ReplicaSet's name is taken in the namespace.
#[derive(Debug, Clone, Default)]
pub struct DeploymentView<'s> {
    pub replica_sets: Vec<Arc<Object>>,
    pub pods: Vec<Arc<Object>>,
    pub store: Option<&'s Store>,
}

impl Reconciler for DeploymentController {
    fn name(&self) -> &'static str {
        "deployment-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<appsv1::Deployment>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<appsv1::ReplicaSet>(), kind_of::<corev1::Pod>()]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            Object::ReplicaSet(_) => controller_owner_key(&event.object, self.primary())
                .into_iter()
                .collect(),
            // Upstream watches pod deletions only, for Recreate waiting on old pods.
            Object::Pod(_) if event.event_type == WatchEventType::Deleted => {
                let Some(rs_key) =
                    controller_owner_key(&event.object, kind_of::<appsv1::ReplicaSet>())
                else {
                    return Vec::new();
                };
                let Ok(rs) = store.get(
                    kind_of::<appsv1::ReplicaSet>(),
                    rs_key.namespace.as_deref(),
                    &rs_key.name,
                ) else {
                    return Vec::new();
                };
                controller_owner_key(&rs, self.primary())
                    .into_iter()
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::Deployment(d) = &*obj else {
            return Ok(Plan::none());
        };
        // The owner index gives the ReplicaSets this Deployment controls (the only ones a
        // sync reads) without listing the namespace's, which made every sync cost as many
        // ReplicaSets as the namespace holds (1,500 at scale).
        let uid = d.metadata.uid.as_deref().unwrap_or("");
        let replica_sets: Vec<Arc<Object>> = store
            .dependents_of(uid)
            .into_iter()
            .filter(|o| match &**o {
                Object::ReplicaSet(rs) => {
                    o.namespace() == key.namespace.as_deref()
                        && super::replicaset::controller_uid(&rs.metadata) == Some(uid)
                }
                _ => false,
            })
            .collect();
        // Only Recreate reads pods (`recreate::old_pods_running`), as upstream's pod map
        // serves nothing else; they come from the owner index of its own ReplicaSets.
        let recreate = d
            .spec
            .as_ref()
            .and_then(|s| s.strategy.as_ref())
            .and_then(|s| s.type_.as_deref())
            == Some("Recreate");
        let pods = if recreate {
            replica_sets
                .iter()
                .filter_map(|o| match &**o {
                    Object::ReplicaSet(rs) => rs.metadata.uid.as_deref(),
                    _ => None,
                })
                .flat_map(|rs_uid| store.dependents_of(rs_uid))
                .filter(|o| {
                    matches!(&**o, Object::Pod(_)) && o.namespace() == key.namespace.as_deref()
                })
                .collect()
        } else {
            Vec::new()
        };
        let view = DeploymentView {
            replica_sets,
            pods,
            store: Some(store),
        };
        sync_deployment(d, &view, now)
    }
}

/// Mirrors syncDeployment's dispatch ladder: deleted → status only; paused → scale only;
/// rollback; scaling event; then the strategy.
///
/// # Errors
/// Permanent for a malformed rolling-update knob.
pub fn sync_deployment(
    d: &appsv1::Deployment,
    view: &DeploymentView<'_>,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut ctx = Ctx::new(d, view, now);
    let empty_selector = d
        .spec
        .as_ref()
        .is_none_or(|s| s.selector == metav1::LabelSelector::default());
    if empty_selector {
        ctx.event(EventRecord::warning(
            &ctx.d_obj,
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.",
        ));
        let mut st = ctx.d.status.clone().unwrap_or_default();
        if st.observed_generation < d.metadata.generation {
            st.observed_generation = d.metadata.generation;
            ctx.d.status = Some(st);
            ctx.update_d_status();
        }
        return Ok(ctx.plan);
    }
    if d.metadata.deletion_timestamp.is_some() {
        sync::sync_status_only(&mut ctx)?;
        return Ok(ctx.plan);
    }
    progress::check_paused_conditions(&mut ctx);
    let paused = d.spec.as_ref().is_some_and(|s| s.paused == Some(true));
    if paused {
        sync::sync(&mut ctx)?;
        return Ok(ctx.plan);
    }
    if rollback::get_rollback_to(&ctx.d).is_some() {
        rollback::rollback(&mut ctx)?;
        return Ok(ctx.plan);
    }
    if sync::is_scaling_event(&ctx) {
        sync::sync(&mut ctx)?;
        return Ok(ctx.plan);
    }
    match util::deployment_info(&ctx.d).strategy {
        machinery::deployment_util::Strategy::Recreate => recreate::rollout_recreate(&mut ctx)?,
        machinery::deployment_util::Strategy::RollingUpdate { .. } => {
            rolling::rollout_rolling(&mut ctx)?
        }
    }
    Ok(ctx.plan)
}

/// The working state of one sync: copies of the Deployment and of the ReplicaSets it
/// controls, updated as writes are planned.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The Deployment as the next write would send it.
    pub d: appsv1::Deployment,
    /// The Deployment as first read, the subject of events.
    pub d_obj: Object,
    /// The ReplicaSets the Deployment controls (plus one planned for creation).
    pub rss: Vec<appsv1::ReplicaSet>,
    /// The store the view was read from, for ReplicaSet names taken in the namespace.
    store: Option<&'a Store>,
    pub pods: &'a [Arc<Object>],
    pub plan: Plan,
    pub now: SimTime,
}

impl<'a> Ctx<'a> {
    fn new(d: &appsv1::Deployment, view: &'a DeploymentView<'a>, now: SimTime) -> Ctx<'a> {
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let mut rss = Vec::new();
        for o in &view.replica_sets {
            let Object::ReplicaSet(rs) = &**o else {
                continue;
            };
            if super::replicaset::controller_uid(&rs.metadata) == Some(uid.as_str()) {
                rss.push(rs.clone());
            }
        }
        rss.sort_by_key(util::creation_key);
        Ctx {
            d: d.clone(),
            d_obj: Object::Deployment(d.clone()),
            rss,
            store: view.store,
            pods: &view.pods,
            plan: Plan::none(),
            now,
        }
    }

    /// Whether a ReplicaSet named `name` exists in the Deployment's namespace.
    pub fn rs_name_taken(&self, name: &str) -> bool {
        self.store.is_some_and(|store| {
            store
                .get(
                    kind_of::<appsv1::ReplicaSet>(),
                    self.d.metadata.namespace.as_deref(),
                    name,
                )
                .is_ok()
        })
    }

    /// Plans a write of `rss[i]`; later writes of it in this plan are unconditional.
    pub fn update_rs(&mut self, i: usize) {
        self.plan
            .push(Write::Update(Object::ReplicaSet(self.rss[i].clone())));
        self.rss[i].metadata.resource_version = None;
    }

    /// Plans a write of the Deployment's metadata and spec.
    pub fn update_d(&mut self) {
        self.plan
            .push(Write::Update(Object::Deployment(self.d.clone())));
        self.d.metadata.resource_version = None;
    }

    /// Plans a write of the Deployment's status.
    pub fn update_d_status(&mut self) {
        self.plan
            .push(Write::UpdateStatus(Object::Deployment(self.d.clone())));
        self.d.metadata.resource_version = None;
    }

    /// Plans an event.
    pub fn event(&mut self, e: EventRecord) {
        self.plan.event(e);
    }

    /// Indices of the ReplicaSets other than `new`.
    pub fn old_indices(&self, new: Option<usize>) -> Vec<usize> {
        (0..self.rss.len()).filter(|i| Some(*i) != new).collect()
    }

    /// Index of the ReplicaSet called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.rss
            .iter()
            .position(|r| r.metadata.name.as_deref() == Some(name))
    }

    /// Mirrors sync.go scaleReplicaSet: sets the size and the replicas annotations, and
    /// records `Scaled up|down replica set <rs> from <old> to <new>` when the size changes.
    /// Returns whether the size changed.
    pub fn scale_replica_set(&mut self, i: usize, new_size: i32) -> bool {
        let info = util::deployment_info(&self.d);
        let desired = info.replicas;
        let max = desired + machinery::deployment_util::max_surge(&info);
        let old = util::rs_replicas(&self.rss[i]);
        let size_changed = old != new_size;
        let ann_changed = sync::set_replicas_annotations(&mut self.rss[i], desired, max);
        if !size_changed && !ann_changed {
            return false;
        }
        self.rss[i]
            .spec
            .get_or_insert_with(Default::default)
            .replicas = Some(new_size);
        self.update_rs(i);
        if size_changed {
            let op = if old < new_size { "up" } else { "down" };
            let name = self.rss[i].metadata.name.clone().unwrap_or_default();
            let e = EventRecord::normal(
                &self.d_obj,
                "ScalingReplicaSet",
                format!("Scaled {op} replica set {name} from {old} to {new_size}"),
            );
            self.event(e);
        }
        size_changed
    }
}
