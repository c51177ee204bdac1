//! The metrics-server addon: what `minikube addons enable metrics-server` installs, and
//! when the resource metrics API (`metrics.k8s.io`) answers.
//!
//! The API is served from the store's [`PodMetrics`](super::metrics::PodMetrics) table (the
//! scrape in [`super::metrics::scrape`]). kubectl's discovery sees the group once the
//! addon's Deployment is available, as the aggregator marks the APIService Available only
//! when metrics-server answers; until the first scrape after that the lists are empty and
//! `kubectl top` says "metrics not available yet".

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;

use crate::apiserver::{CreateOptions, Store};
use crate::controller::kind_of;

/// The addon's image (minikube v1.36's deploy/addons/metrics-server).
pub const ADDON_IMAGE: &str = "registry.k8s.io/metrics-server/metrics-server:v0.7.2";

const ADDON_MANIFEST: &str = include_str!("manifests/metrics-server.yaml");

/// Creates the addon's objects; true when anything was new.
pub fn install_addon(store: &mut Store) -> bool {
    let mut created = false;
    for d in api::decode(ADDON_MANIFEST, "metrics-server.yaml") {
        let Ok(d) = d else { continue };
        let obj = d.object;
        let ns = obj.namespace().map(str::to_string);
        created |= store
            .create(ns.as_deref(), obj, &CreateOptions::default())
            .is_ok();
    }
    created
}

/// Deletes the addon's objects (minikube's disable runs `kubectl delete -f` on the same
/// manifests); true when anything was there.
pub fn uninstall_addon(store: &mut Store) -> bool {
    let mut deleted = false;
    for d in api::decode(ADDON_MANIFEST, "metrics-server.yaml") {
        let Ok(d) = d else { continue };
        let obj = d.object;
        let ns = obj.namespace().map(str::to_string);
        deleted |= store
            .delete(obj.kind_info(), ns.as_deref(), obj.name(), &Default::default())
            .is_ok();
    }
    deleted
}

/// Whether the addon's Deployment exists (`minikube addons list`).
pub fn addon_enabled(store: &Store) -> bool {
    deployment(store).is_some()
}

/// Whether `metrics.k8s.io` is in discovery: the addon's Deployment has an available pod.
pub fn api_available(store: &Store) -> bool {
    deployment(store)
        .and_then(|d| d.status.and_then(|s| s.available_replicas))
        .is_some_and(|n| n > 0)
}

fn deployment(store: &Store) -> Option<appsv1::Deployment> {
    let obj = store
        .get(kind_of::<appsv1::Deployment>(), Some("kube-system"), "metrics-server")
        .ok()?;
    match &*obj {
        Object::Deployment(d) => Some(d.clone()),
        _ => None,
    }
}

impl crate::sim::Cluster {
    /// `minikube addons enable metrics-server`: installs the addon (minikube does not wait
    /// for it). Returns whether anything was new.
    pub fn enable_metrics_server_addon(&mut self) -> bool {
        let created = install_addon(&mut self.store);
        self.settle();
        created
    }

    /// `minikube addons disable metrics-server`: deletes the addon's objects. Returns
    /// whether anything was there.
    pub fn disable_metrics_server_addon(&mut self) -> bool {
        let deleted = uninstall_addon(&mut self.store);
        self.settle();
        deleted
    }
}
