//! Per-namespace identity objects: the `default` ServiceAccount and the `kube-root-ca.crt`
//! ConfigMap every pod's token volume projects.
//!
//! Mirrors pkg/controller/serviceaccount/serviceaccounts_controller.go `syncNamespace` and
//! pkg/controller/certificates/rootcacertpublisher/publisher.go `syncNamespace` (v1.34):
//! each Active namespace gets them, and they come back when deleted.

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::{Store, WatchEvent};
use crate::time::SimTime;

/// The ConfigMap the root CA publisher writes.
pub const ROOT_CA_CONFIGMAP: &str = "kube-root-ca.crt";
/// Its annotation, as the publisher sets it.
pub const ROOT_CA_DESCRIPTION: &str = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
/// The cluster CA (minikube's `minikubeCA`), in PEM.
pub const CLUSTER_CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIDBjCCAe6gAwIBAgIBATANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwptaW5p
a3ViZUNBMB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMTAwMDAwMFowFTETMBEGA1UE
AxMKbWluaWt1YmVDQTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMtk
dWJlbGFiIHNpbXVsYXRlZCBjbHVzdGVyIENBIC0gbm90IGEgcmVhbCBrZXkgLSBr
dWJlbGFiIHNpbXVsYXRlZCBjbHVzdGVyIENBIC0gbm90IGEgcmVhbCBrZXkgLSBr
dWJlbGFiIHNpbXVsYXRlZCBjbHVzdGVyIENBIC0gbm90IGEgcmVhbCBrZXkgLSBr
dWJlbGFiIHNpbXVsYXRlZCBjbHVzdGVyIENBIC0gbm90IGEgcmVhbCBrZXkgLSBr
AgMBAAGjYTBfMA4GA1UdDwEB/wQEAwICpDAdBgNVHSUEFjAUBggrBgEFBQcDAgYI
KwYBBQUHAwEwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUa3ViZWxhYi1jYS1r
ZXktaWQwDQYJKoZIhvcNAQELBQADggEBAGt1YmVsYWIgc2ltdWxhdGVkIGNsdXN0
-----END CERTIFICATE-----
";

fn namespace_key(obj: &Object) -> Vec<ObjectKey> {
    obj.namespace()
        .map(|ns| vec![ObjectKey::new(None, ns)])
        .unwrap_or_default()
}

fn active_namespace(store: &Store, key: &ObjectKey) -> Option<String> {
    let obj = store
        .get(kind_of::<corev1::Namespace>(), None, &key.name)
        .ok()?;
    let Object::Namespace(ns) = &*obj else {
        return None;
    };
    let active = ns.metadata.deletion_timestamp.is_none()
        && ns.status.as_ref().and_then(|s| s.phase.as_deref()) != Some("Terminating");
    active.then(|| key.name.clone())
}

/// The runner's handle on the service-account controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceAccountsController;

impl Reconciler for ServiceAccountsController {
    fn name(&self) -> &'static str {
        "service-account-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Namespace>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::ServiceAccount>()]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        namespace_key(&event.object)
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let mut plan = Plan::none();
        let Some(ns) = active_namespace(store, key) else {
            return Ok(plan);
        };
        if store
            .get(kind_of::<corev1::ServiceAccount>(), Some(&ns), "default")
            .is_err()
        {
            plan.push(Write::create(Object::ServiceAccount(
                corev1::ServiceAccount {
                    metadata: metav1::ObjectMeta {
                        name: Some("default".into()),
                        namespace: Some(ns),
                        ..Default::default()
                    },
                    ..Default::default()
                },
            )));
        }
        Ok(plan)
    }
}

/// The runner's handle on the root CA certificate publisher.
#[derive(Debug, Clone, Copy, Default)]
pub struct RootCaCertPublisher;

impl Reconciler for RootCaCertPublisher {
    fn name(&self) -> &'static str {
        "root-ca-cert-publisher"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Namespace>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::ConfigMap>()]
    }

    fn keys_for(&self, event: &WatchEvent, _store: &Store) -> Vec<ObjectKey> {
        if event.object.name() == ROOT_CA_CONFIGMAP {
            namespace_key(&event.object)
        } else {
            Vec::new()
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let mut plan = Plan::none();
        let Some(ns) = active_namespace(store, key) else {
            return Ok(plan);
        };
        let want = root_ca_config_map(&ns);
        match store
            .get(kind_of::<corev1::ConfigMap>(), Some(&ns), ROOT_CA_CONFIGMAP)
            .as_deref()
        {
            Ok(Object::ConfigMap(cm)) => {
                if cm.data != want.data || cm.metadata.annotations != want.metadata.annotations {
                    let mut cm = cm.clone();
                    cm.data = want.data;
                    cm.metadata.annotations = want.metadata.annotations;
                    cm.metadata.resource_version = None;
                    plan.push(Write::Update(Object::ConfigMap(cm)));
                }
            }
            _ => {
                plan.push(Write::create(Object::ConfigMap(want)));
            }
        }
        Ok(plan)
    }
}

fn root_ca_config_map(ns: &str) -> corev1::ConfigMap {
    corev1::ConfigMap {
        metadata: metav1::ObjectMeta {
            name: Some(ROOT_CA_CONFIGMAP.into()),
            namespace: Some(ns.into()),
            annotations: Some(
                [(
                    "kubernetes.io/description".to_string(),
                    ROOT_CA_DESCRIPTION.to_string(),
                )]
                .into(),
            ),
            ..Default::default()
        },
        data: Some([("ca.crt".to_string(), CLUSTER_CA_PEM.to_string())].into()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apiserver::CreateOptions;
    use crate::time::SimDuration;

    #[test]
    fn every_namespace_gets_a_default_account_and_the_root_ca() {
        let mut c = crate::presets::minikube(1);
        let ns = corev1::Namespace {
            metadata: metav1::ObjectMeta {
                name: Some("luffy".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        c.store_mut()
            .create(None, Object::Namespace(ns), &CreateOptions::default())
            .expect("ns");
        c.advance(SimDuration::from_secs(1));
        for ns in [
            "default",
            "kube-system",
            "kube-public",
            "kube-node-lease",
            "luffy",
        ] {
            assert!(
                c.store()
                    .get(kind_of::<corev1::ServiceAccount>(), Some(ns), "default")
                    .is_ok(),
                "{ns}"
            );
            assert!(
                c.store()
                    .get(kind_of::<corev1::ConfigMap>(), Some(ns), ROOT_CA_CONFIGMAP)
                    .is_ok(),
                "{ns}"
            );
        }
        c.store_mut()
            .delete(
                kind_of::<corev1::ServiceAccount>(),
                Some("luffy"),
                "default",
                &Default::default(),
            )
            .expect("delete");
        c.advance(SimDuration::from_secs(1));
        assert!(
            c.store()
                .get(
                    kind_of::<corev1::ServiceAccount>(),
                    Some("luffy"),
                    "default"
                )
                .is_ok()
        );
    }
}
