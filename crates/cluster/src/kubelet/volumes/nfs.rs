//! NFS mounts and their failures, as the kubelet's nfs plugin reports them
//! (pkg/volume/nfs/nfs.go `SetUpAt`, v1.34, which runs `mount -t nfs` without systemd-run
//! through k8s.io/mount-utils: "mount failed: <exit>\nMounting command: …\nMounting
//! arguments: …\nOutput: …").
//!
//! A server answers when something in the simulated network listens on NFS's port 2049 at
//! its address: a ready pod with that IP declaring the port, or a Service with that cluster
//! IP and port that has a ready endpoint. Otherwise `mount.nfs` keeps trying for its default
//! `retry=2` minutes plus a last RPC timeout (`timeo=600`, 60 s) and gives up with
//! "Connection timed out"; the kubelet reports each attempt and tries again after its
//! back-off, so the pod stays `ContainerCreating`. A server given by name is looked up with
//! the node's resolver, which knows no cluster names: the mount fails at once.

use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::Store;
use crate::controller::kind_of;
use crate::time::SimDuration;

/// NFS's port.
pub const NFS_PORT: u16 = 2049;

/// How long `mount.nfs` waits for a server that never answers before it gives up.
pub const MOUNT_TIMEOUT: SimDuration = SimDuration::from_secs(180);

/// One NFS mount the kubelet would run.
#[derive(Debug, Clone, PartialEq)]
pub struct NfsMount {
    /// The volume's spec name: the pod's volume, or the PersistentVolume behind a claim.
    pub volume: String,
    pub server: String,
    pub path: String,
    /// `-o` options: the PV's `mountOptions`, then `ro` for a read-only source.
    pub options: Vec<String>,
}

/// How the mount ends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Mounted,
    /// Fails at once with this `mount.nfs` output.
    FailsNow(String),
    /// Hangs, then fails with "Connection timed out" after [`MOUNT_TIMEOUT`].
    TimesOut,
}

impl NfsMount {
    /// The mount of an inline `nfs` volume.
    pub fn inline(v: &corev1::Volume, n: &corev1::NFSVolumeSource) -> NfsMount {
        let options = if n.read_only == Some(true) { vec!["ro".to_string()] } else { Vec::new() };
        NfsMount {
            volume: v.name.clone(),
            server: n.server.clone(),
            path: n.path.clone(),
            options,
        }
    }

    /// The mount of a PersistentVolume's `nfs` source.
    pub fn of_pv(pv_name: &str, spec: &corev1::PersistentVolumeSpec, n: &corev1::NFSVolumeSource) -> NfsMount {
        let mut options = spec.mount_options.clone().unwrap_or_default();
        if n.read_only == Some(true) {
            options.push("ro".into());
        }
        NfsMount {
            volume: pv_name.to_string(),
            server: n.server.clone(),
            path: n.path.clone(),
            options,
        }
    }

    /// Whether and how the server answers.
    pub fn outcome(&self, store: &Store) -> Outcome {
        if self.server.parse::<std::net::Ipv4Addr>().is_err() {
            return Outcome::FailsNow(format!(
                "mount.nfs: Failed to resolve server {}: Name or service not known",
                self.server
            ));
        }
        if server_answers(store, &self.server) {
            Outcome::Mounted
        } else {
            Outcome::TimesOut
        }
    }

    /// The `FailedMount` event message for a failed attempt with `output`.
    pub fn failure(&self, pod_uid: &str, output: &str) -> String {
        let mut args = String::from("-t nfs");
        if !self.options.is_empty() {
            args.push_str(&format!(" -o {}", self.options.join(",")));
        }
        format!(
            "MountVolume.SetUp failed for volume \"{vol}\" : mount failed: exit status 32\n\
             Mounting command: mount\n\
             Mounting arguments: {args} {server}:{path} /var/lib/kubelet/pods/{pod_uid}/volumes/kubernetes.io~nfs/{vol}\n\
             Output: {output}",
            vol = self.volume,
            server = self.server,
            path = self.path,
        )
    }
}

/// `mount.nfs`'s output when the server never answered.
pub const TIMED_OUT: &str = "mount.nfs: Connection timed out";

/// Whether a ready pod or a Service's ready endpoint listens on 2049 at `ip`.
fn server_answers(store: &Store, ip: &str) -> bool {
    let pods = store
        .list(kind_of::<corev1::Pod>(), None, &Default::default())
        .map(|l| l.items)
        .unwrap_or_default();
    let listens = |ip: &str, port: u16| {
        pods.iter().any(|o| match &**o {
            api::Object::Pod(p) => {
                p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip)
                    && crate::controller::podutil::is_pod_ready(p)
                    && p.spec.iter().flat_map(|s| &s.containers).any(|c| {
                        c.ports
                            .iter()
                            .flatten()
                            .any(|cp| cp.container_port == i32::from(port))
                    })
            }
            _ => false,
        })
    };
    if listens(ip, NFS_PORT) {
        return true;
    }
    crate::network::proxy::services(store).iter().any(|o| {
        let api::Object::Service(svc) = &**o else { return false };
        let Some(spec) = &svc.spec else { return false };
        spec.cluster_ip.as_deref() == Some(ip)
            && spec.ports.iter().flatten().any(|sp| {
                sp.port == i32::from(NFS_PORT)
                    && crate::network::proxy::ready_endpoints(store, svc, sp)
                        .iter()
                        .any(|e| listens(&e.ip, e.port))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PersistentVolume's `mountOptions` come before `ro` in the `-o` list, and the volume
    /// is named after the PV, as the kubelet names PVC-backed volumes.
    #[test]
    fn pv_mounts_pass_their_options() {
        let n = corev1::NFSVolumeSource {
            server: "10.0.0.5".into(),
            path: "/exports".into(),
            read_only: Some(true),
        };
        let spec = corev1::PersistentVolumeSpec {
            mount_options: Some(vec!["nfsvers=4.1".into(), "hard".into()]),
            ..Default::default()
        };
        let m = NfsMount::of_pv("pv-nfs", &spec, &n);
        assert_eq!(
            m.failure("uid-1", TIMED_OUT),
            "MountVolume.SetUp failed for volume \"pv-nfs\" : mount failed: exit status 32\n\
             Mounting command: mount\n\
             Mounting arguments: -t nfs -o nfsvers=4.1,hard,ro 10.0.0.5:/exports /var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~nfs/pv-nfs\n\
             Output: mount.nfs: Connection timed out"
        );
    }
}
