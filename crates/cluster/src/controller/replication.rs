//! The ReplicationController controller: the ReplicaSet controller run over converted objects.
//!
//! Mirrors pkg/controller/replication/{replication_controller.go,conversion.go} (v1.34):
//! upstream does not duplicate the ReplicaSet logic either; it converts each
//! ReplicationController into a ReplicaSet (the map selector becoming `matchLabels`), runs the
//! ReplicaSet sync, and converts the writes back. [`sync_replication_controller`] does the same
//! on plans: it calls [`sync_replica_set`] and rewrites owner references, event subjects and
//! the status write so they name the ReplicationController.

use api::{KindInfo, Object};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::labels::Selector;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::replicaset::{ReplicaSetView, sync_replica_set};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::Store;
use crate::apiserver::events::object_reference;
use crate::time::SimTime;

/// The runner's handle on the ReplicationController controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplicationManager;

impl Reconciler for ReplicationManager {
    fn name(&self) -> &'static str {
        "replication-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::ReplicationController>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>()]
    }

    fn keys_for(&self, event: &crate::apiserver::WatchEvent, store: &Store) -> Vec<ObjectKey> {
        if let Some(k) = super::runner::controller_owner_key(&event.object, self.primary()) {
            return vec![k];
        }
        super::runner::adopters_of_orphan(
            &event.object,
            self.primary(),
            store,
            |o, labels| matches!(o, Object::ReplicationController(rc) if selector_of(rc).matches(labels)),
        )
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::ReplicationController(rc) = &*obj else {
            return Ok(Plan::none());
        };
        let pods = super::runner::namespace_pods(store, key.namespace.as_deref())?;
        sync_replication_controller(rc, &ReplicaSetView { pods }, now)
    }
}

/// Syncs a ReplicationController through the ReplicaSet logic (see the module comment).
///
/// # Errors
/// As [`sync_replica_set`].
pub fn sync_replication_controller(
    rc: &corev1::ReplicationController,
    view: &ReplicaSetView,
    now: SimTime,
) -> Result<Plan, SyncError> {
    let rs = convert_rc_to_rs(rc);
    let plan = sync_replica_set(&rs, view, now)?;
    let uid = rc.metadata.uid.clone().unwrap_or_default();
    let rc_ref = object_reference(&Object::ReplicationController(rc.clone()));
    let writes = plan
        .writes
        .into_iter()
        .map(|w| match w {
            Write::Create {
                mut object,
                announce,
            } => {
                retarget_owner(object.meta_mut(), rc, &uid);
                Write::Create {
                    object,
                    announce: announce.map(|mut e| {
                        e.involved = rc_ref.clone();
                        e
                    }),
                }
            }
            Write::Update(mut object) => {
                retarget_owner(object.meta_mut(), rc, &uid);
                Write::Update(object)
            }
            Write::UpdateStatus(Object::ReplicaSet(rs)) => {
                let mut out = rc.clone();
                out.status = rs.status.map(convert_status);
                Write::UpdateStatus(Object::ReplicationController(out))
            }
            Write::Event(mut e) => {
                e.involved = rc_ref.clone();
                Write::Event(e)
            }
            other => other,
        })
        .collect();
    Ok(Plan {
        writes,
        requeue: plan.requeue,
    })
}

/// The controller owner reference pointing at `rc`.
pub fn owner_reference(rc: &corev1::ReplicationController) -> metav1::OwnerReference {
    metav1::OwnerReference {
        api_version: "v1".into(),
        kind: "ReplicationController".into(),
        name: rc.metadata.name.clone().unwrap_or_default(),
        uid: rc.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// Mirrors conversion.go convertRCtoRS: the same object as a ReplicaSet.
fn convert_rc_to_rs(rc: &corev1::ReplicationController) -> appsv1::ReplicaSet {
    let spec = rc.spec.clone().unwrap_or_default();
    let status = rc.status.clone().map(|s| appsv1::ReplicaSetStatus {
        replicas: s.replicas,
        fully_labeled_replicas: s.fully_labeled_replicas,
        ready_replicas: s.ready_replicas,
        available_replicas: s.available_replicas,
        observed_generation: s.observed_generation,
        conditions: s.conditions.map(|cs| {
            cs.into_iter()
                .map(|c| appsv1::ReplicaSetCondition {
                    last_transition_time: c.last_transition_time,
                    message: c.message,
                    reason: c.reason,
                    status: c.status,
                    type_: c.type_,
                })
                .collect()
        }),
        terminating_replicas: None,
    });
    appsv1::ReplicaSet {
        metadata: rc.metadata.clone(),
        spec: Some(appsv1::ReplicaSetSpec {
            replicas: spec.replicas,
            min_ready_seconds: spec.min_ready_seconds,
            selector: metav1::LabelSelector {
                match_labels: Some(selector_map(rc)),
                match_expressions: None,
            },
            template: spec.template,
        }),
        status,
    }
}

/// Mirrors conversion.go convertRStoRC for the status.
fn convert_status(s: appsv1::ReplicaSetStatus) -> corev1::ReplicationControllerStatus {
    corev1::ReplicationControllerStatus {
        replicas: s.replicas,
        fully_labeled_replicas: s.fully_labeled_replicas,
        ready_replicas: s.ready_replicas,
        available_replicas: s.available_replicas,
        observed_generation: s.observed_generation,
        conditions: s.conditions.map(|cs| {
            cs.into_iter()
                .map(|c| corev1::ReplicationControllerCondition {
                    last_transition_time: c.last_transition_time,
                    message: c.message,
                    reason: c.reason,
                    status: c.status,
                    type_: c.type_,
                })
                .collect()
        }),
    }
}

/// Replaces the ReplicaSet owner reference the shared sync wrote with one naming `rc`.
fn retarget_owner(meta: &mut metav1::ObjectMeta, rc: &corev1::ReplicationController, uid: &str) {
    for r in meta.owner_references.iter_mut().flatten() {
        if r.uid == uid {
            *r = owner_reference(rc);
        }
    }
}

/// The selector map; defaulting copies the template labels when it is unset.
fn selector_map(rc: &corev1::ReplicationController) -> std::collections::BTreeMap<String, String> {
    let spec = rc.spec.as_ref();
    spec.and_then(|s| s.selector.clone())
        .filter(|m| !m.is_empty())
        .or_else(|| {
            spec.and_then(|s| s.template.as_ref())
                .and_then(|t| t.metadata.as_ref())
                .and_then(|m| m.labels.clone())
        })
        .unwrap_or_default()
}

fn selector_of(rc: &corev1::ReplicationController) -> Selector {
    let m = selector_map(rc);
    if m.is_empty() {
        // An empty RC selector matches nothing here (validation requires one).
        return Selector::nothing();
    }
    Selector::from_set(&m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, cluster, events, get, live_pods, update};
    use crate::time::SimDuration;

    const RC: &str = r#"
apiVersion: v1
kind: ReplicationController
metadata: {name: kubia, namespace: default}
spec:
  replicas: 3
  selector: {app: kubia}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers: [{name: kubia, image: luksa/kubia}]
"#;

    #[test]
    fn creates_pods_owned_by_the_rc_and_reports_status() {
        let mut c = cluster(1);
        apply(&mut c, RC);
        c.advance(SimDuration::from_secs(60));
        let pods = c.list(kind_of::<corev1::Pod>(), Some("default"));
        assert_eq!(pods.len(), 3);
        for p in &pods {
            let r = &p.meta().owner_references.as_ref().expect("owner")[0];
            assert_eq!(
                (r.kind.as_str(), r.api_version.as_str()),
                ("ReplicationController", "v1")
            );
            assert!(p.name().starts_with("kubia-"));
        }
        let ev = events(&c, "ReplicationController", "kubia");
        let creates: Vec<_> = ev.iter().filter(|(r, _)| r == "SuccessfulCreate").collect();
        assert_eq!(creates.len(), 3, "{ev:?}");
        assert!(creates[0].1.starts_with("Created pod: kubia-"), "{ev:?}");
        let Ok(obj) = c.store().get(
            kind_of::<corev1::ReplicationController>(),
            Some("default"),
            "kubia",
        ) else {
            panic!("rc gone");
        };
        let Object::ReplicationController(rc) = &*obj else {
            unreachable!()
        };
        let st = rc.status.clone().unwrap_or_default();
        assert_eq!(st.replicas, 3);
        assert_eq!(st.ready_replicas, Some(3));
        assert_eq!(st.observed_generation, Some(1));
    }

    fn rc_owned(p: &corev1::Pod) -> bool {
        p.metadata
            .owner_references
            .iter()
            .flatten()
            .any(|r| r.kind == "ReplicationController" && r.controller == Some(true))
    }

    #[test]
    fn deleted_pod_is_replaced() {
        let mut c = cluster(3);
        apply(&mut c, RC);
        c.advance(SimDuration::from_secs(30));
        let victim = live_pods(&c)[0].metadata.name.clone().unwrap();
        c.store_mut()
            .delete(
                kind_of::<corev1::Pod>(),
                Some("default"),
                &victim,
                &crate::apiserver::DeleteOptions::default(),
            )
            .expect("delete");
        c.advance(SimDuration::from_secs(5));
        let names: Vec<String> = live_pods(&c)
            .iter()
            .map(|p| p.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(!names.contains(&victim), "{names:?}");
        let ev = events(&c, "ReplicationController", "kubia");
        assert_eq!(
            ev.iter().filter(|(r, _)| r == "SuccessfulCreate").count(),
            4,
            "{ev:?}"
        );
    }

    // The kubia exercise: `kubectl label pod X app=foo --overwrite` takes the pod out of the
    // RC's reach; controller_ref_manager.go ReleasePod drops the owner reference and the RC
    // creates a replacement, so four pods run, one of them unowned.
    #[test]
    fn relabelled_pod_is_released_and_replaced() {
        let mut c = cluster(4);
        apply(&mut c, RC);
        c.advance(SimDuration::from_secs(30));
        let mut pod = live_pods(&c)[0].clone();
        let name = pod.metadata.name.clone().unwrap();
        pod.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("app".into(), "foo".into());
        update(&mut c, Object::Pod(pod));
        c.advance(SimDuration::from_secs(30));
        let pods = live_pods(&c);
        assert_eq!(pods.len(), 4);
        let released = pods
            .iter()
            .find(|p| p.metadata.name.as_deref() == Some(name.as_str()))
            .expect("released pod still runs");
        assert_eq!(released.metadata.owner_references, None);
        let owned: Vec<_> = pods.iter().filter(|p| rc_owned(p)).collect();
        assert_eq!(owned.len(), 3);
        assert!(owned.iter().all(|p| p.metadata.labels.as_ref().unwrap()["app"] == "kubia"));
        let Object::ReplicationController(rc) =
            get(&c, kind_of::<corev1::ReplicationController>(), "kubia")
        else {
            unreachable!()
        };
        assert_eq!(rc.status.unwrap().ready_replicas, Some(3));

        // Labelled back, the orphan is adopted again and the surplus pod deleted.
        let Object::Pod(mut back) = get(&c, kind_of::<corev1::Pod>(), &name) else {
            unreachable!()
        };
        back.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("app".into(), "kubia".into());
        update(&mut c, Object::Pod(back));
        c.advance(SimDuration::from_secs(60));
        let pods = live_pods(&c);
        assert_eq!(pods.len(), 3);
        assert!(pods.iter().all(rc_owned));
    }

    #[test]
    fn scale_down_deletes_with_event() {
        let mut c = cluster(2);
        apply(&mut c, RC);
        c.advance(SimDuration::from_secs(30));
        crate::controller::testutil::patch_replicas(
            &mut c,
            kind_of::<corev1::ReplicationController>(),
            "kubia",
            1,
        );
        c.advance(SimDuration::from_secs(60));
        let active = c
            .list(kind_of::<corev1::Pod>(), Some("default"))
            .iter()
            .filter(|o| o.meta().deletion_timestamp.is_none())
            .count();
        assert_eq!(active, 1);
        let ev = events(&c, "ReplicationController", "kubia");
        assert_eq!(
            ev.iter()
                .filter(|(r, m)| r == "SuccessfulDelete" && m.starts_with("Deleted pod: kubia-"))
                .count(),
            2,
            "{ev:?}"
        );
    }
}
