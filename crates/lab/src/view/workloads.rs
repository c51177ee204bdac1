//! Workloads for the view's second mode: each Deployment with its ReplicaSets (revision
//! numbers from `deployment.kubernetes.io/revision`) and their pods; StatefulSets,
//! DaemonSets, Jobs and ReplicaSets without a Deployment with their pods directly.

use std::collections::BTreeMap;

use api::Object;
use cluster::Cluster;
use cluster::controller::kind_of;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::batch::v1 as batchv1;

use super::{PodView, controller_of};

/// The annotation the Deployment controller numbers its ReplicaSets with.
const REVISION: &str = "deployment.kubernetes.io/revision";

/// One ReplicaSet under its Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaSetView {
    pub name: String,
    pub revision: Option<u32>,
    /// `spec.replicas`, `status.replicas`, `status.readyReplicas`.
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    /// `namespace/name` of its pods.
    pub pods: Vec<String>,
}

/// One workload: a Deployment (with `replica_sets`) or another controller (with `pods`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadView {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub desired: i32,
    pub ready: i32,
    /// Newest revision first.
    pub replica_sets: Vec<ReplicaSetView>,
    /// Pods the workload owns directly (`namespace/name`).
    pub pods: Vec<String>,
}

impl WorkloadView {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

type Key = (String, String, String); // (namespace, owner kind, owner name)

fn key(ns: &str, kind: &str, name: &str) -> Key {
    (ns.to_string(), kind.to_string(), name.to_string())
}

pub(super) fn workloads(
    cluster: &Cluster,
    pods: &[PodView],
    shown: &dyn Fn(&str) -> bool,
) -> Vec<WorkloadView> {
    let mut pods_of: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for p in pods {
        if let Some(o) = &p.owner {
            pods_of
                .entry(key(&p.namespace, &o.kind, &o.name))
                .or_default()
                .push(p.key());
        }
    }
    let mut out: Vec<WorkloadView> = Vec::new();
    let mut take_pods =
        |ns: &str, kind: &str, name: &str| pods_of.remove(&key(ns, kind, name)).unwrap_or_default();
    let mut deployments: BTreeMap<(String, String), WorkloadView> = BTreeMap::new();
    for o in cluster.list(kind_of::<appsv1::Deployment>(), None) {
        let Object::Deployment(d) = &*o else { continue };
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        if !shown(&ns) {
            continue;
        }
        let name = d.metadata.name.clone().unwrap_or_default();
        let status = d.status.clone().unwrap_or_default();
        deployments.insert(
            (ns.clone(), name.clone()),
            WorkloadView {
                kind: "Deployment".into(),
                desired: d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
                ready: status.ready_replicas.unwrap_or(0),
                namespace: ns,
                name,
                replica_sets: Vec::new(),
                pods: Vec::new(),
            },
        );
    }
    let mut bare = Vec::new();
    for o in cluster.list(kind_of::<appsv1::ReplicaSet>(), None) {
        let Object::ReplicaSet(rs) = &*o else {
            continue;
        };
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        if !shown(&ns) {
            continue;
        }
        let name = rs.metadata.name.clone().unwrap_or_default();
        let status = rs.status.clone().unwrap_or_default();
        let view = ReplicaSetView {
            revision: rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION))
                .and_then(|r| r.parse().ok()),
            desired: rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
            current: status.replicas,
            ready: status.ready_replicas.unwrap_or(0),
            pods: take_pods(&ns, "ReplicaSet", &name),
            name,
        };
        match controller_of(&rs.metadata).filter(|o| o.kind == "Deployment") {
            Some(owner) if deployments.contains_key(&(ns.clone(), owner.name.clone())) => {
                if let Some(d) = deployments.get_mut(&(ns, owner.name)) {
                    d.replica_sets.push(view);
                }
            }
            _ => bare.push(WorkloadView {
                kind: "ReplicaSet".into(),
                namespace: ns,
                name: view.name.clone(),
                desired: view.desired,
                ready: view.ready,
                replica_sets: Vec::new(),
                pods: view.pods,
            }),
        }
    }
    for d in deployments.values_mut() {
        machinery::sort::sort_by(&mut d.replica_sets, |a, b| {
            (b.revision, &a.name).cmp(&(a.revision, &b.name))
        });
    }
    out.extend(deployments.into_values());
    out.extend(bare);
    for o in cluster.list(kind_of::<appsv1::StatefulSet>(), None) {
        let Object::StatefulSet(s) = &*o else {
            continue;
        };
        let ns = s.metadata.namespace.clone().unwrap_or_default();
        let name = s.metadata.name.clone().unwrap_or_default();
        if shown(&ns) {
            let ready = s
                .status
                .as_ref()
                .and_then(|st| st.ready_replicas)
                .unwrap_or(0);
            let desired = s.spec.as_ref().and_then(|sp| sp.replicas).unwrap_or(1);
            out.push(direct(
                "StatefulSet",
                &ns,
                &name,
                desired,
                ready,
                take_pods(&ns, "StatefulSet", &name),
            ));
        }
    }
    for o in cluster.list(kind_of::<appsv1::DaemonSet>(), None) {
        let Object::DaemonSet(s) = &*o else { continue };
        let ns = s.metadata.namespace.clone().unwrap_or_default();
        let name = s.metadata.name.clone().unwrap_or_default();
        if shown(&ns) {
            let st = s.status.clone().unwrap_or_default();
            out.push(direct(
                "DaemonSet",
                &ns,
                &name,
                st.desired_number_scheduled,
                st.number_ready,
                take_pods(&ns, "DaemonSet", &name),
            ));
        }
    }
    for o in cluster.list(kind_of::<batchv1::Job>(), None) {
        let Object::Job(j) = &*o else { continue };
        let ns = j.metadata.namespace.clone().unwrap_or_default();
        let name = j.metadata.name.clone().unwrap_or_default();
        if shown(&ns) {
            let desired = j.spec.as_ref().and_then(|s| s.completions).unwrap_or(1);
            let done = j.status.as_ref().and_then(|s| s.succeeded).unwrap_or(0);
            out.push(direct(
                "Job",
                &ns,
                &name,
                desired,
                done,
                take_pods(&ns, "Job", &name),
            ));
        }
    }
    machinery::sort::sort_by(&mut out, |a, b| {
        (&a.namespace, &a.name, &a.kind).cmp(&(&b.namespace, &b.name, &b.kind))
    });
    out
}

fn direct(
    kind: &str,
    ns: &str,
    name: &str,
    desired: i32,
    ready: i32,
    pods: Vec<String>,
) -> WorkloadView {
    WorkloadView {
        kind: kind.into(),
        namespace: ns.into(),
        name: name.into(),
        desired,
        ready,
        replica_sets: Vec::new(),
        pods,
    }
}
