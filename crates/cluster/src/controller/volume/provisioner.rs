//! minikube's storage-provisioner (`k8s.io/minikube-hostpath`): a hostPath volume under
//! `/tmp/hostpath-provisioner/<namespace>/<claim>` for every claim handed to it.
//!
//! Mirrors minikube pkg/storage/storage_provisioner.go `Provision` with
//! sig-storage-lib-external-provisioner's controller around it: the volume is named
//! `pvc-<claim uid>`, takes the claim's access modes and requested size and the class's
//! reclaim policy, is pre-bound to the claim, and carries `pv.kubernetes.io/provisioned-by`.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::{ANN_PROVISIONED_BY, ANN_STORAGE_PROVISIONER, claim_class, storage_class};
use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::controller::plan::{EventRecord, Plan, SyncError, Write};
use crate::controller::runner::{ObjectKey, Reconciler};
use crate::time::SimTime;

/// The provisioner's name in StorageClasses.
pub const PROVISIONER: &str = "k8s.io/minikube-hostpath";
/// The provisioner's identity (also its event source), as minikube's pod reports it.
pub const IDENTITY: &str = "k8s.io/minikube-hostpath_minikube_5a1f4e2c-8d3b-4c6e-9f07-2b81d9e4a6c3";

/// The runner's handle on the hostpath provisioner.
#[derive(Debug, Clone, Copy, Default)]
pub struct HostPathProvisioner;

impl Reconciler for HostPathProvisioner {
    fn name(&self) -> &'static str {
        IDENTITY
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::PersistentVolumeClaim>()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::PersistentVolumeClaim(claim) = &*obj else {
            return Ok(Plan::none());
        };
        Ok(provision(claim, store))
    }
}

/// Provisions a volume for `claim` when the PV controller handed it to this provisioner.
pub fn provision(claim: &corev1::PersistentVolumeClaim, store: &Store) -> Plan {
    let mut plan = Plan::none();
    let spec = claim.spec.clone().unwrap_or_default();
    let ours = claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANN_STORAGE_PROVISIONER))
        .is_some_and(|p| p == PROVISIONER);
    if !ours
        || claim.metadata.deletion_timestamp.is_some()
        || spec.volume_name.as_deref().is_some_and(|n| !n.is_empty())
    {
        return plan;
    }
    let uid = claim.metadata.uid.clone().unwrap_or_default();
    let pv_name = format!("pvc-{uid}");
    if store
        .get(kind_of::<corev1::PersistentVolume>(), None, &pv_name)
        .is_ok()
    {
        return plan;
    }
    let class_name = claim_class(claim);
    let Some(class) = storage_class(store, &class_name) else {
        return plan;
    };
    let ns = claim.metadata.namespace.clone().unwrap_or_default();
    let name = claim.metadata.name.clone().unwrap_or_default();
    let claim_obj = Object::PersistentVolumeClaim(claim.clone());
    plan.push(Write::Event(EventRecord::normal(
        &claim_obj,
        "Provisioning",
        format!("External provisioner is provisioning volume for claim \"{ns}/{name}\""),
    )));
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .cloned();
    let pv = corev1::PersistentVolume {
        metadata: metav1::ObjectMeta {
            name: Some(pv_name.clone()),
            annotations: Some(
                [
                    (
                        "hostPathProvisionerIdentity".to_string(),
                        IDENTITY.rsplit('_').next().unwrap_or("").to_string(),
                    ),
                    (ANN_PROVISIONED_BY.to_string(), PROVISIONER.to_string()),
                ]
                .into(),
            ),
            ..Default::default()
        },
        spec: Some(corev1::PersistentVolumeSpec {
            access_modes: spec.access_modes.clone(),
            capacity: storage.map(|q| [("storage".to_string(), q)].into()),
            claim_ref: Some(corev1::ObjectReference {
                api_version: Some("v1".into()),
                kind: Some("PersistentVolumeClaim".into()),
                name: Some(name.clone()),
                namespace: Some(ns.clone()),
                uid: Some(uid),
                resource_version: claim.metadata.resource_version.clone(),
                field_path: None,
            }),
            host_path: Some(corev1::HostPathVolumeSource {
                path: format!("/tmp/hostpath-provisioner/{ns}/{name}"),
                type_: Some(String::new()),
            }),
            persistent_volume_reclaim_policy: class.reclaim_policy.clone(),
            storage_class_name: Some(class_name),
            volume_mode: spec.volume_mode.clone(),
            ..Default::default()
        }),
        status: None,
    };
    plan.push(Write::create(Object::PersistentVolume(pv)));
    plan.push(Write::Event(EventRecord::normal(
        &claim_obj,
        "ProvisioningSucceeded",
        format!("Successfully provisioned volume {pv_name}"),
    )));
    plan
}
