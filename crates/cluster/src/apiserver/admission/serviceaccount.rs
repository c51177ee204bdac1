//! ServiceAccount admission: every pod runs as a ServiceAccount and gets the projected
//! `kube-api-access-<suffix>` volume with its token, the cluster CA and its namespace.
//!
//! Mirrors plugin/pkg/admission/serviceaccount/admission.go (v1.34) `Admit`: an empty
//! `serviceAccountName` becomes `default`; unless the pod or the account opts out of
//! automounting, the volume (token `expirationSeconds: 3607`, `kube-root-ca.crt` → `ca.crt`,
//! `metadata.namespace` → `namespace`, `defaultMode: 420`) is added and mounted read-only at
//! `/var/run/secrets/kubernetes.io/serviceaccount` in every container without a mount there.
//! Mirror pods are left alone.
//!
//! Deliberate gap: a missing `default` account is tolerated (the service-account controller
//! creates it a moment after the namespace); other missing accounts are refused as upstream.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::{Store, StoreError, names};
use crate::controller::kind_of;
use crate::kubelet::volumes::SERVICE_ACCOUNT_MOUNT;

/// Token lifetime the plugin asks for (1 h + 7 s, so kubelets can tell it from a default).
pub const TOKEN_EXPIRATION_SECONDS: i64 = 3607;

/// Admits a pod create.
///
/// # Errors
/// Forbidden when the named ServiceAccount does not exist.
pub fn admit(store: &mut Store, obj: &mut Object) -> Result<(), StoreError> {
    let Object::Pod(pod) = obj else {
        return Ok(());
    };
    if pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
    {
        return Ok(());
    }
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let spec = pod.spec.get_or_insert_with(Default::default);
    let name = spec
        .service_account_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into());
    spec.service_account_name = Some(name.clone());
    spec.service_account = Some(name.clone());
    // Only the account's own automount choice is read.
    let account_automount = match store
        .get(kind_of::<corev1::ServiceAccount>(), Some(&ns), &name)
        .as_deref()
    {
        Ok(Object::ServiceAccount(sa)) => sa.automount_service_account_token,
        _ if name == "default" => None,
        _ => {
            return Err(StoreError::Forbidden {
                resource: "pods".into(),
                name: pod.metadata.name.clone().unwrap_or_default(),
                detail: format!(
                    "error looking up service account {ns}/{name}: serviceaccount \"{name}\" not found"
                ),
            });
        }
    };
    let automount = spec
        .automount_service_account_token
        .or(account_automount)
        .unwrap_or(true);
    if !automount {
        return Ok(());
    }
    let containers = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter());
    let needs_mount = |c: &corev1::Container| {
        !c.volume_mounts
            .iter()
            .flatten()
            .any(|m| m.mount_path == SERVICE_ACCOUNT_MOUNT)
    };
    if !containers.clone().any(needs_mount) {
        return Ok(());
    }
    let volume_name = format!(
        "kube-api-access-{}",
        names::random_string(names::RANDOM_LENGTH, &mut store.uid_rng)
    );
    spec.volumes
        .get_or_insert_with(Vec::new)
        .push(token_volume(&volume_name));
    for c in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        if needs_mount(c) {
            c.volume_mounts
                .get_or_insert_with(Vec::new)
                .push(corev1::VolumeMount {
                    name: volume_name.clone(),
                    mount_path: SERVICE_ACCOUNT_MOUNT.into(),
                    read_only: Some(true),
                    ..Default::default()
                });
        }
    }
    Ok(())
}

fn token_volume(name: &str) -> corev1::Volume {
    corev1::Volume {
        name: name.into(),
        projected: Some(corev1::ProjectedVolumeSource {
            default_mode: Some(420),
            sources: Some(vec![
                corev1::VolumeProjection {
                    service_account_token: Some(corev1::ServiceAccountTokenProjection {
                        expiration_seconds: Some(TOKEN_EXPIRATION_SECONDS),
                        path: "token".into(),
                        audience: None,
                    }),
                    ..Default::default()
                },
                corev1::VolumeProjection {
                    config_map: Some(corev1::ConfigMapProjection {
                        name: crate::controller::serviceaccount::ROOT_CA_CONFIGMAP.into(),
                        items: Some(vec![corev1::KeyToPath {
                            key: "ca.crt".into(),
                            path: "ca.crt".into(),
                            mode: None,
                        }]),
                        optional: None,
                    }),
                    ..Default::default()
                },
                corev1::VolumeProjection {
                    downward_api: Some(corev1::DownwardAPIProjection {
                        items: Some(vec![corev1::DownwardAPIVolumeFile {
                            path: "namespace".into(),
                            field_ref: Some(corev1::ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: "metadata.namespace".into(),
                            }),
                            ..Default::default()
                        }]),
                    }),
                    ..Default::default()
                },
            ]),
        }),
        ..Default::default()
    }
}
