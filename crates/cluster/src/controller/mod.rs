//! Controllers: level-triggered reconcilers that meet only through the API store.
//!
//! Each controller is split as STYLE §3 asks: a pure decision function
//! (`sync_replica_set(rs, &view, now) -> Result<Plan, SyncError>`) and the shared [`runner`],
//! which turns watch events into deduplicated keys, applies the returned [`Plan`] through the
//! store and retries failures with back-off in simulated time.
//!
//! A new controller implements [`Reconciler`] and is added to [`default_controllers`].

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

pub mod cronjob;
pub mod daemon;
pub mod deployment;
pub mod disruption;
pub mod endpoint;
pub mod endpointslice;
pub mod endpointslicemirroring;
pub mod history;
pub mod hpa;
pub mod job;
pub mod jobindex;
pub mod jobpolicy;
pub mod jobtracking;
pub mod kubernetesservice;
pub mod nodelifecycle;
pub mod plan;
pub mod podgc;
pub mod podutil;
pub mod refmanager;
pub mod replicaset;
pub mod repack;
pub mod replication;
pub mod resourcequota;
pub mod runner;
pub mod serviceaccount;
pub mod statefulset;
pub mod tainteviction;
#[cfg(test)]
pub(crate) mod testutil;
pub mod triggertime;
pub mod ttlafterfinished;
pub mod volume;

pub use plan::{CREATED_NAME, EventRecord, Plan, Requeue, SyncError, Write};
pub use runner::{ObjectKey, Reconciler, Runner};

/// The controllers a cluster runs, in a fixed order (the order decides nothing but event
/// sequence numbers, which keeps runs reproducible).
pub fn default_controllers() -> Vec<Box<dyn Reconciler>> {
    vec![
        Box::new(replicaset::ReplicaSetController),
        Box::new(replication::ReplicationManager),
        Box::new(deployment::DeploymentController),
        Box::new(job::JobController::default()),
        Box::new(ttlafterfinished::TtlAfterFinishedController),
        Box::new(cronjob::CronJobController),
        Box::new(daemon::DaemonSetsController::default()),
        Box::new(statefulset::StatefulSetController),
        Box::new(endpoint::EndpointsController::default()),
        Box::new(endpointslice::EndpointSliceController::default()),
        Box::new(endpointslicemirroring::EndpointSliceMirroringController),
        Box::new(kubernetesservice::KubernetesServiceController),
        Box::new(nodelifecycle::NodeLifecycleController),
        Box::new(tainteviction::TaintEvictionController::default()),
        Box::new(volume::ClaimBinder),
        Box::new(volume::VolumeBinder),
        Box::new(volume::provisioner::HostPathProvisioner),
        Box::new(volume::protection::ClaimProtection),
        Box::new(volume::protection::VolumeProtection),
        Box::new(volume::attachdetach::AttachDetachController::default()),
        Box::new(serviceaccount::ServiceAccountsController),
        Box::new(serviceaccount::RootCaCertPublisher),
        Box::new(resourcequota::ResourceQuotaController),
        Box::new(hpa::HorizontalController::default()),
        Box::new(disruption::DisruptionController),
        Box::new(podgc::PodGarbageCollector::default()),
    ]
}

/// An object's labels, empty when it has none, without copying them.
pub fn labels_of(meta: &metav1::ObjectMeta) -> &BTreeMap<String, String> {
    static NONE: BTreeMap<String, String> = BTreeMap::new();
    meta.labels.as_ref().unwrap_or(&NONE)
}

/// Registry row of a k8s-openapi type, e.g. `kind_of::<corev1::Pod>()`.
///
/// Found at compile time: controllers, kubelets and the scheduler ask on every sync.
pub fn kind_of<T: k8s_openapi::Resource>() -> &'static api::KindInfo {
    struct Registered<T>(std::marker::PhantomData<T>);
    impl<T: k8s_openapi::Resource> Registered<T> {
        const INFO: &'static api::KindInfo = match api::by_gvk(T::API_VERSION, T::KIND) {
            Some(info) => info,
            // Every served type is registered; a type that is not fails the build here.
            None => panic!("a k8s-openapi type kubelab does not serve"),
        };
    }
    Registered::<T>::INFO
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1 as appsv1;
    use k8s_openapi::api::core::v1 as corev1;

    use super::kind_of;

    /// The row found at compile time is the registry's own, not a copy: the store finds a
    /// kind's table from the row's address.
    #[test]
    fn kind_of_is_the_registry_row_itself() {
        let row = |kind: &str| api::kinds::KINDS.iter().find(|k| k.kind == kind).expect("row");
        assert!(std::ptr::eq(kind_of::<corev1::Pod>(), row("Pod")));
        assert!(std::ptr::eq(kind_of::<appsv1::Deployment>(), row("Deployment")));
        assert!(std::ptr::eq(kind_of::<corev1::Event>(), row("Event")));
    }
}
