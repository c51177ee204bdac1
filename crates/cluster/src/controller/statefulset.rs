//! The StatefulSet controller: pods with stable ordinal names, created and removed in order.
//!
//! Mirrors pkg/controller/statefulset (v1.34): stateful_set_control.go `updateStatefulSet`
//! (OrderedReady waits for each pod to be Running and Ready before the next, scales down from
//! the highest ordinal, rolls updates from the highest ordinal down to the partition; Parallel
//! creates and deletes without waiting), stateful_set_utils.go (`newStatefulSetPod`,
//! `getPersistentVolumeClaims`, `getPodRevision`) and stateful_pod_control.go (the event texts).
//!
//! Templates are recorded as ControllerRevisions `<set>-<hash>` (see [`super::history`];
//! `getStatefulSetRevisions`, `truncateHistory`): pods carry the revision name in
//! `controller-revision-hash`, `status.currentRevision`/`updateRevision` name revisions, and a
//! pod recreated below the partition gets the current revision's template
//! (`newVersionedStatefulSetPod`).
//!
//! Deliberate gaps: maxUnavailable and the PVC retention policy are not modelled (claims are
//! kept).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::history;
use super::kind_of;
use super::plan::{EventRecord, Plan, SyncError, Write};
use super::podutil;
use super::replicaset::controller_uid;
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{ListOptions, Store};
use crate::time::SimTime;

/// The pod label with the revision it was created from.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// `statefulset.kubernetes.io/pod-name`.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// `apps.kubernetes.io/pod-index`.
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

/// The runner's handle on the StatefulSet controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatefulSetController;

/// What `sync_stateful_set` reads: the pods and claims of the set's namespace.
#[derive(Debug, Clone, Default)]
pub struct StatefulSetView {
    pub pods: Vec<Arc<Object>>,
    pub claims: Vec<Arc<Object>>,
    /// The ControllerRevisions of the namespace.
    pub revisions: Vec<Arc<Object>>,
}

impl Reconciler for StatefulSetController {
    fn name(&self) -> &'static str {
        "statefulset-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<appsv1::StatefulSet>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![
            kind_of::<corev1::Pod>(),
            kind_of::<appsv1::ControllerRevision>(),
        ]
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::StatefulSet(set) = &*obj else {
            return Ok(Plan::none());
        };
        let list = |info: &KindInfo| {
            store
                .list(info, key.namespace.as_deref(), &ListOptions::default())
                .map(|l| l.items)
                .map_err(|e| SyncError::Transient(e.to_string()))
        };
        let view = StatefulSetView {
            pods: list(kind_of::<corev1::Pod>())?,
            claims: list(kind_of::<corev1::PersistentVolumeClaim>())?,
            revisions: list(kind_of::<appsv1::ControllerRevision>())?,
        };
        sync_stateful_set(set, &view, now)
    }
}

/// Mirrors updateStatefulSet (see the module comment).
///
/// # Errors
/// None today; the signature matches the other controllers.
pub fn sync_stateful_set(
    set: &appsv1::StatefulSet,
    view: &StatefulSetView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let mut plan = Plan::none();
    if set.metadata.deletion_timestamp.is_some() {
        return Ok(plan);
    }
    let set_obj = Object::StatefulSet(set.clone());
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let name = set.metadata.name.clone().unwrap_or_default();
    let spec = set.spec.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1).max(0);
    let parallel = spec.pod_management_policy.as_deref() == Some("Parallel");
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let collision_count = set.status.as_ref().and_then(|s| s.collision_count);
    let revisions = history::owned_revisions(&view.revisions, &uid);
    let parent = history::Parent {
        kind: "StatefulSet",
        meta: &set.metadata,
        template: &spec.template,
        hash: history::hash_revision(&history::template_patch(&spec.template), collision_count),
        hash_label: history::CONTROLLER_REVISION_HASH_LABEL_KEY,
        history_limit: spec.revision_history_limit,
    };
    let synced = history::sync(&parent, &revisions);
    plan.writes.extend(synced.writes.iter().cloned());
    let update_rev = synced.current.metadata.name.clone().unwrap_or_default();
    // The current revision is the one status names, while it still exists.
    let current_revision = set
        .status
        .as_ref()
        .and_then(|s| s.current_revision.as_deref())
        .and_then(|n| {
            revisions
                .iter()
                .find(|r| r.metadata.name.as_deref() == Some(n))
        })
        .cloned()
        .unwrap_or_else(|| synced.current.clone());
    let current_rev_name = current_revision.metadata.name.clone().unwrap_or_default();
    let partition = spec
        .update_strategy
        .as_ref()
        .filter(|s| s.type_.as_deref() != Some("OnDelete"))
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .unwrap_or(0)
        .max(0);
    // newVersionedStatefulSetPod: below the partition a pod keeps the current revision.
    let current_set = history::template_of(&current_revision).map(|t| {
        let mut cs = set.clone();
        if let Some(s) = cs.spec.as_mut() {
            s.template = t;
        }
        cs
    });
    let versioned = |ord: i32| -> (&appsv1::StatefulSet, &str) {
        match &current_set {
            Some(cs) if ord < partition && current_rev_name != update_rev => {
                (cs, current_rev_name.as_str())
            }
            _ => (set, update_rev.as_str()),
        }
    };

    let mut pods: BTreeMap<i32, &corev1::Pod> = BTreeMap::new();
    for o in &view.pods {
        let Object::Pod(p) = &**o else { continue };
        if controller_uid(&p.metadata) != Some(uid.as_str()) {
            continue;
        }
        if let Some(ord) = ordinal(&name, p.metadata.name.as_deref().unwrap_or("")) {
            pods.insert(ord, p);
        }
    }
    let healthy = |p: &corev1::Pod| {
        podutil::phase(p) == "Running"
            && podutil::is_pod_ready(p)
            && p.metadata.deletion_timestamp.is_none()
    };
    let revision = |p: &corev1::Pod| {
        p.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL))
            .cloned()
            .unwrap_or_default()
    };

    // Create, replace failed, and (OrderedReady) wait for each ordinal in turn.
    let mut blocked = false;
    let mut acted = false;
    for ord in 0..replicas {
        match pods.get(&ord) {
            None => {
                let (template_set, rev) = versioned(ord);
                create_pod(template_set, &set_obj, ord, rev, view, &mut plan);
                acted = true;
                if !parallel {
                    blocked = true;
                    break;
                }
            }
            Some(p) if podutil::phase(p) == "Failed" && p.metadata.deletion_timestamp.is_none() => {
                delete_pod(&set_obj, &name, p, &mut plan);
                acted = true;
                if !parallel {
                    blocked = true;
                    break;
                }
            }
            Some(p) if !parallel && !healthy(p) => {
                blocked = true;
                break;
            }
            Some(_) => {}
        }
    }

    // Scale down from the highest ordinal.
    if !blocked {
        let condemned: Vec<&corev1::Pod> = pods.range(replicas..).rev().map(|(_, p)| *p).collect();
        for p in condemned {
            if p.metadata.deletion_timestamp.is_some() {
                if !parallel {
                    blocked = true;
                    break;
                }
                continue;
            }
            if !parallel
                && pods
                    .values()
                    .any(|q| !healthy(q) && q.metadata.uid != p.metadata.uid)
            {
                blocked = true;
                break;
            }
            delete_pod(&set_obj, &name, p, &mut plan);
            acted = true;
            if !parallel {
                blocked = true;
                break;
            }
        }
    }

    // Rolling update: highest ordinal first, down to the partition, one pod at a time.
    let rolling = spec
        .update_strategy
        .as_ref()
        .is_none_or(|s| s.type_.as_deref() != Some("OnDelete"));
    if rolling && !blocked && !acted {
        for ord in (partition..replicas).rev() {
            let Some(p) = pods.get(&ord) else { break };
            if revision(p) != update_rev && p.metadata.deletion_timestamp.is_none() {
                delete_pod(&set_obj, &name, p, &mut plan);
                break;
            }
            if !healthy(p) {
                break;
            }
        }
    }

    // Status, from the pods as they stand.
    let old = set.status.clone().unwrap_or_default();
    let live: Vec<&corev1::Pod> = pods
        .values()
        .copied()
        .filter(|p| !matches!(podutil::phase(p), "Succeeded" | "Failed"))
        .collect();
    let count = |f: &dyn Fn(&corev1::Pod) -> bool| live.iter().filter(|p| f(p)).count() as i32;
    let current_rev = current_rev_name.clone();
    let updated = count(&|p| revision(p) == update_rev);
    let mut status = appsv1::StatefulSetStatus {
        observed_generation: set.metadata.generation,
        replicas: live.len() as i32,
        ready_replicas: Some(count(&podutil::is_pod_ready)),
        available_replicas: Some(count(&|p| podutil::is_pod_available(p, min_ready, now))),
        current_replicas: Some(count(&|p| revision(p) == current_rev)),
        updated_replicas: Some(updated),
        current_revision: Some(current_rev),
        update_revision: Some(update_rev.clone()),
        collision_count: old.collision_count,
        conditions: old.conditions.clone(),
    };
    // Once every replica runs the update revision it becomes the current one.
    if updated == replicas && live.len() as i32 == replicas {
        status.current_revision = Some(update_rev.clone());
        status.current_replicas = Some(updated);
    }
    for f in [
        &mut status.ready_replicas,
        &mut status.available_replicas,
        &mut status.current_replicas,
        &mut status.updated_replicas,
    ] {
        if *f == Some(0) {
            *f = None;
        }
    }
    // truncateHistory: keep the current and update revisions and those pods use.
    let live_revisions: BTreeSet<String> = pods.values().map(|p| revision(p)).collect();
    let keep: BTreeSet<String> = [
        status.current_revision.clone().unwrap_or_default(),
        update_rev.clone(),
    ]
    .into();
    plan.writes
        .extend(history::prune(&parent, &revisions, &keep, &|r| {
            live_revisions.contains(r)
        }));
    if status != old {
        let mut s = set.clone();
        s.status = Some(status);
        plan.push(Write::UpdateStatus(Object::StatefulSet(s)));
    }
    Ok(plan)
}

/// The ordinal of a pod named `<set>-<n>`.
pub fn ordinal(set: &str, pod: &str) -> Option<i32> {
    let n = pod.strip_prefix(set)?.strip_prefix('-')?;
    if n.is_empty() || (n.len() > 1 && n.starts_with('0')) {
        return None;
    }
    n.parse().ok().filter(|n: &i32| *n >= 0)
}

/// Mirrors getPersistentVolumeClaimName: `<claim>-<set>-<ordinal>`.
pub fn claim_name(claim: &str, set: &str, ordinal: i32) -> String {
    format!("{claim}-{set}-{ordinal}")
}

/// Mirrors newStatefulSetPod: the template, the identity (name, hostname, subdomain, labels),
/// and the claims mounted in place of the template volumes of the same name.
pub fn new_stateful_set_pod(
    set: &appsv1::StatefulSet,
    ordinal: i32,
    revision: &str,
) -> corev1::Pod {
    let spec = set.spec.clone().unwrap_or_default();
    let set_name = set.metadata.name.clone().unwrap_or_default();
    let pod_name = format!("{set_name}-{ordinal}");
    let tmeta = spec.template.metadata.clone().unwrap_or_default();
    let mut labels = tmeta.labels.unwrap_or_default();
    labels.insert(POD_NAME_LABEL.into(), pod_name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), revision.into());
    let mut pod_spec = spec.template.spec.clone().unwrap_or_default();
    pod_spec.hostname = Some(pod_name.clone());
    if !spec.service_name.as_deref().unwrap_or("").is_empty() {
        pod_spec.subdomain = spec.service_name.clone();
    }
    for claim in spec.volume_claim_templates.iter().flatten() {
        let cname = claim.metadata.name.clone().unwrap_or_default();
        let volumes = pod_spec.volumes.get_or_insert_with(Vec::new);
        volumes.retain(|v| v.name != cname);
        volumes.push(corev1::Volume {
            name: cname.clone(),
            persistent_volume_claim: Some(corev1::PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(&cname, &set_name, ordinal),
                read_only: None,
            }),
            ..Default::default()
        });
    }
    corev1::Pod {
        metadata: metav1::ObjectMeta {
            name: Some(pod_name),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tmeta.annotations,
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "apps/v1".into(),
                kind: "StatefulSet".into(),
                name: set_name,
                uid: set.metadata.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        spec: Some(pod_spec),
        status: None,
    }
}

/// Creates the pod's missing claims, then the pod (stateful_pod_control.go CreateStatefulPod).
fn create_pod(
    set: &appsv1::StatefulSet,
    set_obj: &Object,
    ord: i32,
    revision: &str,
    view: &StatefulSetView,
    plan: &mut Plan,
) {
    let set_name = set.metadata.name.clone().unwrap_or_default();
    let pod = new_stateful_set_pod(set, ord, revision);
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let spec = set.spec.clone().unwrap_or_default();
    for template in spec.volume_claim_templates.iter().flatten() {
        let cname = claim_name(
            template.metadata.name.as_deref().unwrap_or(""),
            &set_name,
            ord,
        );
        let exists = view
            .claims
            .iter()
            .any(|o| o.name() == cname && o.namespace() == set.metadata.namespace.as_deref());
        if exists {
            continue;
        }
        let mut labels = template.metadata.labels.clone().unwrap_or_default();
        labels.extend(spec.selector.match_labels.clone().unwrap_or_default());
        let claim = corev1::PersistentVolumeClaim {
            metadata: metav1::ObjectMeta {
                name: Some(cname.clone()),
                namespace: set.metadata.namespace.clone(),
                labels: Some(labels),
                annotations: template.metadata.annotations.clone(),
                ..Default::default()
            },
            spec: template.spec.clone(),
            status: None,
        };
        plan.push(Write::create(Object::PersistentVolumeClaim(claim)));
        plan.event(EventRecord::normal(
            set_obj,
            "SuccessfulCreate",
            format!("create Claim {cname} Pod {pod_name} in StatefulSet {set_name} success"),
        ));
    }
    plan.push(Write::create(Object::Pod(pod)));
    plan.event(EventRecord::normal(
        set_obj,
        "SuccessfulCreate",
        format!("create Pod {pod_name} in StatefulSet {set_name} successful"),
    ));
}

fn delete_pod(set_obj: &Object, set_name: &str, p: &corev1::Pod, plan: &mut Plan) {
    let name = p.metadata.name.clone().unwrap_or_default();
    plan.push(Write::Delete {
        kind: kind_of::<corev1::Pod>(),
        namespace: p.metadata.namespace.clone(),
        name: name.clone(),
        uid: p.metadata.uid.clone(),
        grace_period_seconds: None,
    });
    plan.event(EventRecord::normal(
        set_obj,
        "SuccessfulDelete",
        format!("delete Pod {name} in StatefulSet {set_name} successful"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, cluster, events, live_pods, patch_replicas};
    use crate::sim::Cluster;
    use crate::time::SimDuration;

    fn sts_yaml(extra: &str) -> String {
        format!(
            r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web, namespace: default}}
spec:
  serviceName: nginx
  replicas: 3
{extra}
  selector: {{matchLabels: {{app: nginx}}}}
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec:
      containers: [{{name: nginx, image: "nginx:1.27"}}]
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {{requests: {{storage: 1Gi}}}}
"#
        )
    }

    fn status(c: &Cluster) -> appsv1::StatefulSetStatus {
        let o = c
            .store()
            .get(kind_of::<appsv1::StatefulSet>(), Some("default"), "web")
            .expect("sts");
        match &*o {
            Object::StatefulSet(s) => s.status.clone().unwrap_or_default(),
            _ => unreachable!(),
        }
    }

    fn names(c: &Cluster) -> Vec<String> {
        let mut v: Vec<String> = live_pods(c)
            .into_iter()
            .filter_map(|p| p.metadata.name)
            .collect();
        v.sort();
        v
    }

    fn ready(c: &Cluster, n: i32) -> bool {
        let s = status(c);
        s.ready_replicas == Some(n) && s.replicas == n && live_pods(c).len() == n as usize
    }

    #[test]
    fn ordered_ready_creates_one_at_a_time_with_claims() {
        let mut c = cluster(1);
        apply(&mut c, &sts_yaml(""));
        // Record, for each pod, whether its predecessor was ready when it appeared.
        let limit = c.now() + SimDuration::from_secs(600);
        let mut seen: Vec<String> = Vec::new();
        while !ready(&c, 3) && c.now() < limit && c.step_to_next_event() {
            let pods = live_pods(&c);
            for p in &pods {
                let n = p.metadata.name.clone().unwrap_or_default();
                if !seen.contains(&n) {
                    if let Some(prev) = seen.last() {
                        let prev_pod = pods
                            .iter()
                            .find(|q| q.metadata.name.as_ref() == Some(prev))
                            .expect("prev");
                        assert!(
                            podutil::is_pod_ready(prev_pod),
                            "{n} created before {prev} was ready"
                        );
                    }
                    seen.push(n);
                }
            }
        }
        assert_eq!(seen, ["web-0", "web-1", "web-2"]);
        let claims: Vec<String> = c
            .list(kind_of::<corev1::PersistentVolumeClaim>(), Some("default"))
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(claims, ["www-web-0", "www-web-1", "www-web-2"]);
        let p0 = live_pods(&c)
            .into_iter()
            .find(|p| p.metadata.name.as_deref() == Some("web-0"))
            .expect("web-0");
        let spec = p0.spec.clone().expect("spec");
        assert_eq!(
            (spec.hostname.as_deref(), spec.subdomain.as_deref()),
            (Some("web-0"), Some("nginx"))
        );
        let vol = spec
            .volumes
            .unwrap_or_default()
            .into_iter()
            .find(|v| v.name == "www")
            .expect("volume");
        assert_eq!(
            vol.persistent_volume_claim.map(|s| s.claim_name).as_deref(),
            Some("www-web-0")
        );
        let ev = events(&c, "StatefulSet", "web");
        assert_eq!(
            ev[..2],
            [
                (
                    "SuccessfulCreate".to_string(),
                    "create Claim www-web-0 Pod web-0 in StatefulSet web success".to_string()
                ),
                (
                    "SuccessfulCreate".to_string(),
                    "create Pod web-0 in StatefulSet web successful".to_string()
                ),
            ]
        );
    }

    #[test]
    fn scale_down_in_reverse_order() {
        let mut c = cluster(2);
        apply(&mut c, &sts_yaml(""));
        c.run_until(|c| ready(c, 3), SimDuration::from_secs(600))
            .expect("up");
        patch_replicas(&mut c, kind_of::<appsv1::StatefulSet>(), "web", 1);
        c.run_until(
            |c| ready(c, 1) && c.list(kind_of::<corev1::Pod>(), Some("default")).len() == 1,
            SimDuration::from_secs(600),
        )
        .expect("down");
        assert_eq!(names(&c), ["web-0"]);
        let deletes: Vec<String> = events(&c, "StatefulSet", "web")
            .into_iter()
            .filter(|(r, _)| r == "SuccessfulDelete")
            .map(|(_, m)| m)
            .collect();
        assert_eq!(
            deletes,
            [
                "delete Pod web-2 in StatefulSet web successful",
                "delete Pod web-1 in StatefulSet web successful"
            ]
        );
    }

    #[test]
    fn parallel_creates_all_at_once() {
        let mut c = cluster(3);
        apply(&mut c, &sts_yaml("  podManagementPolicy: Parallel"));
        c.advance(SimDuration::from_millis(1));
        assert_eq!(names(&c), ["web-0", "web-1", "web-2"]);
    }

    #[test]
    fn rolling_update_in_reverse_down_to_the_partition() {
        let mut c = cluster(4);
        apply(
            &mut c,
            &sts_yaml("  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 1}}"),
        );
        c.run_until(|c| ready(c, 3), SimDuration::from_secs(600))
            .expect("up");
        let old_rev = status(&c).update_revision.expect("revision");
        let o = c
            .store()
            .get(kind_of::<appsv1::StatefulSet>(), Some("default"), "web")
            .expect("sts");
        let Object::StatefulSet(mut s) = (*o).clone() else {
            unreachable!()
        };
        s.spec
            .as_mut()
            .expect("spec")
            .template
            .spec
            .as_mut()
            .expect("pod")
            .containers[0]
            .image = Some("nginx:1.28".into());
        c.store_mut()
            .update(
                Some("default"),
                Object::StatefulSet(s),
                &crate::apiserver::UpdateOptions::default(),
            )
            .expect("update");
        c.settle();
        c.run_until(
            |c| ready(c, 3) && status(c).updated_replicas == Some(2),
            SimDuration::from_secs(600),
        )
        .expect("rolled");
        c.advance(SimDuration::from_secs(60));
        let st = status(&c);
        assert_eq!(st.current_revision.as_deref(), Some(old_rev.as_str()));
        assert_ne!(st.update_revision.as_deref(), Some(old_rev.as_str()));
        let deletes: Vec<String> = events(&c, "StatefulSet", "web")
            .into_iter()
            .filter(|(r, _)| r == "SuccessfulDelete")
            .map(|(_, m)| m)
            .collect();
        assert_eq!(
            deletes,
            [
                "delete Pod web-2 in StatefulSet web successful",
                "delete Pod web-1 in StatefulSet web successful"
            ]
        );
        let image = |n: &str| {
            live_pods(&c)
                .into_iter()
                .find(|p| p.metadata.name.as_deref() == Some(n))
                .and_then(|p| p.spec?.containers[0].image.clone())
        };
        assert_eq!(image("web-0").as_deref(), Some("nginx:1.27"));
        assert_eq!(image("web-1").as_deref(), Some("nginx:1.28"));
        // The revisions are ControllerRevisions; a pod below the partition that is deleted
        // comes back at the current revision.
        let revs: Vec<(String, i64)> = c
            .list(kind_of::<appsv1::ControllerRevision>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                Object::ControllerRevision(r) => {
                    Some((r.metadata.name.clone().unwrap_or_default(), r.revision))
                }
                _ => None,
            })
            .collect();
        let mut revs = revs;
        revs.sort_by_key(|r| r.1);
        assert_eq!(
            revs,
            [
                (old_rev.clone(), 1),
                (st.update_revision.clone().unwrap_or_default(), 2)
            ]
        );
        c.store_mut()
            .delete(
                kind_of::<corev1::Pod>(),
                Some("default"),
                "web-0",
                &Default::default(),
            )
            .expect("delete");
        c.settle();
        c.advance(SimDuration::from_secs(120));
        let web0 = c
            .store()
            .get(kind_of::<corev1::Pod>(), Some("default"), "web-0")
            .expect("recreated");
        let Object::Pod(web0) = &*web0 else {
            unreachable!()
        };
        assert_eq!(
            web0.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(CONTROLLER_REVISION_HASH_LABEL)),
            Some(&old_rev)
        );
        assert_ne!(
            web0.spec.as_ref().map(|s| s.containers[0].image.clone()),
            Some(Some("nginx:1.28".to_string()))
        );
    }
}
