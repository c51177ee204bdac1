//! The attach/detach controller, for the one case a kubelab cluster meets: in-tree cloud disks
//! (`gcePersistentDisk`, `awsElasticBlockStore`) that CSI migration hands to a driver the
//! cluster does not run.
//!
//! Upstream (v1.34) the in-tree GCE PD and AWS EBS plugins are gone; the controller translates
//! such a volume to CSI (staging/src/k8s.io/csi-translation-lib/plugins/{gce_pd,aws_ebs}.go:
//! a PersistentVolume named `<driver>-<disk>` whose handle is
//! `projects/UNSPECIFIED/zones/<zone>/disks/<pdName>` or the EBS volume id), creates a
//! VolumeAttachment for `pd.csi.storage.gke.io` / `ebs.csi.aws.com` and waits 2 minutes
//! (`csiTimeout`, pkg/volume/csi/csi_attacher.go) for an external-attacher that minikube and
//! kubeadm clusters do not have. Each failed try is a `FailedAttachVolume` event on the pod
//! (operation_generator.go `GenerateAttachVolumeFunc`), and the next try follows the
//! exponential back-off of nestedpendingoperations (500 ms doubling to 2 m 2 s). The kubelet
//! waits for the attachment without an event of its own (kubelet.go skips the timeout event
//! of `WaitForAttachAndMount`), so the pod stays `ContainerCreating`.
//!
//! Deliberate gaps: no VolumeAttachment objects are written; other migrated plugins (Azure
//! Disk, Cinder, vSphere) are not recognised.

use std::cell::RefCell;
use std::collections::BTreeMap;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::controller::plan::{EventRecord, Plan, SyncError};
use crate::controller::podutil;
use crate::controller::runner::{ObjectKey, Reconciler};
use crate::time::{SimDuration, SimTime};

/// How long one attach waits for the external attacher (`csiTimeout`).
pub const ATTACH_TIMEOUT: SimDuration = SimDuration::from_secs(120);

/// A volume the controller would attach through a CSI driver after translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigratedVolume {
    /// The name the volume goes by in events: the translated PV's name.
    pub spec_name: String,
    pub driver: &'static str,
    pub handle: String,
}

/// The translation of an inline pod volume, if it is one of the migrated cloud disks.
pub fn translate_inline(v: &corev1::Volume) -> Option<MigratedVolume> {
    if let Some(g) = &v.gce_persistent_disk {
        return Some(gce(&g.pd_name, None));
    }
    v.aws_elastic_block_store
        .as_ref()
        .map(|a| ebs(&a.volume_id))
}

/// The translation of a PersistentVolume, if its source is one of the migrated cloud disks:
/// the PV keeps its name; a GCE disk's zone comes from the PV's zone label.
pub fn translate_pv(pv: &corev1::PersistentVolume) -> Option<MigratedVolume> {
    let spec = pv.spec.as_ref()?;
    let name = pv.metadata.name.clone().unwrap_or_default();
    let translated = if let Some(g) = &spec.gce_persistent_disk {
        let zone = pv.metadata.labels.as_ref().and_then(|l| {
            l.get("topology.kubernetes.io/zone")
                .or_else(|| l.get("failure-domain.beta.kubernetes.io/zone"))
        });
        gce(&g.pd_name, zone.map(String::as_str))
    } else {
        ebs(&spec.aws_elastic_block_store.as_ref()?.volume_id)
    };
    Some(MigratedVolume {
        spec_name: name,
        ..translated
    })
}

fn gce(pd_name: &str, zone: Option<&str>) -> MigratedVolume {
    const DRIVER: &str = "pd.csi.storage.gke.io";
    MigratedVolume {
        spec_name: format!("{DRIVER}-{pd_name}"),
        driver: DRIVER,
        handle: format!(
            "projects/UNSPECIFIED/zones/{}/disks/{pd_name}",
            zone.unwrap_or("UNSPECIFIED")
        ),
    }
}

fn ebs(volume_id: &str) -> MigratedVolume {
    const DRIVER: &str = "ebs.csi.aws.com";
    // KubernetesVolumeIDToEBSVolumeID: `aws://<zone>/<id>` or a bare id.
    let id = match volume_id.strip_prefix("aws://") {
        Some(rest) => rest.rsplit('/').next().unwrap_or(rest),
        None => volume_id,
    };
    MigratedVolume {
        spec_name: format!("{DRIVER}-{id}"),
        driver: DRIVER,
        handle: id.to_string(),
    }
}

/// The pod's volumes (inline or through a bound claim) that wait for an attacher.
pub fn migrated_volumes(pod: &corev1::Pod, store: &Store) -> Vec<MigratedVolume> {
    let ns = pod.metadata.namespace.as_deref();
    let mut out = Vec::new();
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
        if let Some(m) = translate_inline(v) {
            out.push(m);
            continue;
        }
        let Some(claim) = &v.persistent_volume_claim else {
            continue;
        };
        let pv_name = match store
            .get(
                kind_of::<corev1::PersistentVolumeClaim>(),
                ns,
                &claim.claim_name,
            )
            .as_deref()
        {
            Ok(Object::PersistentVolumeClaim(c)) => {
                c.spec.as_ref().and_then(|s| s.volume_name.clone())
            }
            _ => None,
        };
        let Some(pv_name) = pv_name.filter(|n| !n.is_empty()) else {
            continue;
        };
        if let Ok(Object::PersistentVolume(pv)) = store
            .get(kind_of::<corev1::PersistentVolume>(), None, &pv_name)
            .as_deref()
            && let Some(m) = translate_pv(pv)
        {
            out.push(m);
        }
    }
    out
}

/// When the `n`th try (0-based) of an attach that started at `start` fails.
pub fn failure_time(start: SimTime, n: u32) -> SimTime {
    let mut t = start + ATTACH_TIMEOUT;
    for i in 0..n {
        let backoff = 500u64.saturating_mul(1 << i.min(20)).min(122_000);
        t = t + SimDuration::from_millis(backoff) + ATTACH_TIMEOUT;
    }
    t
}

/// (pod, pod uid, volume): one attach, whose first try and reported failures are kept.
type TryKey = (ObjectKey, String, String);

/// The runner's handle on the attach/detach controller; it remembers when it began
/// attaching each pod's volumes and how many failures it has reported.
#[derive(Debug, Default)]
pub struct AttachDetachController {
    tries: RefCell<BTreeMap<TryKey, (SimTime, u32)>>,
}

impl Reconciler for AttachDetachController {
    fn name(&self) -> &'static str {
        "attachdetach-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Pod>()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let stored = store.get(self.primary(), key.namespace.as_deref(), &key.name).ok();
        let pod = match stored.as_deref() {
            Some(Object::Pod(p)) => Some(p),
            _ => None,
        };
        let mut tries = self.tries.borrow_mut();
        let uid = pod
            .and_then(|p| p.metadata.uid.clone())
            .unwrap_or_default();
        // A pod that is gone, replaced, finished or not yet on a node has nothing to attach.
        let wanted = pod.filter(|p| {
            podutil::node_name(p).is_some()
                && p.metadata.deletion_timestamp.is_none()
                && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        });
        let Some(pod) = wanted else {
            tries.retain(|(k, _, _), _| k != key);
            return Ok(Plan::none());
        };
        // A pod recreated under the same name starts over.
        tries.retain(|(k, u, _), _| k != key || *u == uid);
        let mut plan = Plan::none();
        // Most pods have no migrated volume: the object an event names is only built for
        // those that do (the 5,000-node preset syncs every kube-proxy pod here).
        let mut obj = None;
        for v in migrated_volumes(pod, store) {
            // One attach per volume and pod incarnation.
            let id = (key.clone(), uid.clone(), v.spec_name.clone());
            let (start, reported) = *tries.entry(id.clone()).or_insert((now, 0));
            let mut n = reported;
            while failure_time(start, n) <= now {
                let obj = obj.get_or_insert_with(|| Object::Pod(pod.clone()));
                plan.event(EventRecord::warning(
                    obj,
                    "FailedAttachVolume",
                    format!(
                        "AttachVolume.Attach failed for volume \"{}\" : timed out waiting for external-attacher of {} CSI driver to attach volume {}",
                        v.spec_name, v.driver, v.handle
                    ),
                ));
                n += 1;
            }
            tries.insert(id, (start, n));
            plan.requeue_after(failure_time(start, n) - now);
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::testutil::{apply, cluster};

    #[test]
    fn translated_names_and_handles() {
        let (gce_pod, ebs_pod) = (
            serde_json::from_value::<corev1::Volume>(serde_json::json!({
                "name": "d", "gcePersistentDisk": {"pdName": "mongodb", "fsType": "ext4"}
            }))
            .expect("volume"),
            serde_json::from_value::<corev1::Volume>(serde_json::json!({
                "name": "d", "awsElasticBlockStore": {"volumeID": "aws://us-east-1a/vol-0123"}
            }))
            .expect("volume"),
        );
        assert_eq!(
            translate_inline(&gce_pod),
            Some(MigratedVolume {
                spec_name: "pd.csi.storage.gke.io-mongodb".into(),
                driver: "pd.csi.storage.gke.io",
                handle: "projects/UNSPECIFIED/zones/UNSPECIFIED/disks/mongodb".into(),
            })
        );
        let ebs = translate_inline(&ebs_pod).expect("ebs");
        assert_eq!(
            (ebs.spec_name.as_str(), ebs.handle.as_str()),
            ("ebs.csi.aws.com-vol-0123", "vol-0123")
        );
        let pv: corev1::PersistentVolume = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "mongodb-pv", "labels": {"topology.kubernetes.io/zone": "europe-west1-b"}},
            "spec": {"gcePersistentDisk": {"pdName": "mongodb"}}
        }))
        .expect("pv");
        let m = translate_pv(&pv).expect("gce pv");
        assert_eq!(
            (m.spec_name.as_str(), m.handle.as_str()),
            (
                "mongodb-pv",
                "projects/UNSPECIFIED/zones/europe-west1-b/disks/mongodb"
            )
        );
    }

    #[test]
    fn tries_fail_every_two_minutes_plus_back_off() {
        let t0 = SimTime::ZERO;
        let secs = |n| failure_time(t0, n).as_millis();
        assert_eq!(
            [secs(0), secs(1), secs(2), secs(3)],
            [120_000, 240_500, 361_500, 483_500]
        );
    }

    #[test]
    fn a_pod_with_a_gce_disk_waits_with_failed_attach_events() {
        let mut c = cluster(3);
        apply(
            &mut c,
            r#"
apiVersion: v1
kind: Pod
metadata: {name: mongodb, namespace: default}
spec:
  volumes: [{name: mongodb-data, gcePersistentDisk: {pdName: mongodb, fsType: ext4}}]
  containers: [{name: mongodb, image: mongo, volumeMounts: [{name: mongodb-data, mountPath: /data/db}]}]
"#,
        );
        c.advance(SimDuration::from_secs(250));
        let Object::Pod(p) = (*c
            .store()
            .get(kind_of::<corev1::Pod>(), Some("default"), "mongodb")
            .expect("pod"))
        .clone() else {
            unreachable!()
        };
        let waiting = p
            .status
            .and_then(|s| s.container_statuses)
            .and_then(|cs| cs[0].state.clone())
            .and_then(|s| s.waiting)
            .and_then(|w| w.reason);
        assert_eq!(waiting.as_deref(), Some("ContainerCreating"));
        let events: Vec<(String, i32)> = c
            .list(kind_of::<corev1::Event>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                Object::Event(e) if e.involved_object.name.as_deref() == Some("mongodb") => {
                    Some((e.reason.clone().unwrap_or_default(), e.count.unwrap_or(1)))
                }
                _ => None,
            })
            .filter(|(r, _)| r != "Scheduled")
            .collect();
        assert_eq!(events, [("FailedAttachVolume".to_string(), 2)]);
    }
}
