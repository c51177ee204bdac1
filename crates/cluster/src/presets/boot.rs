//! The boot a preset runs before it is handed over: virtual time passes until every
//! kube-system pod is Running and Ready, as a learner finds a cluster `minikube start` has
//! just returned (or a kubeadm cluster that has been up for a while).
//!
//! minikube's default `--wait=apiserver,system_pods` (minikube
//! pkg/minikube/bootstrapper/bsutil/kverify/kverify.go `DefaultComponents`) only waits for
//! kube-system pods to be listed (kverify/system_pods.go `WaitForSystemPods`); by the time
//! start has enabled its add-ons and printed `Done!` they run. The boot waits for them all to
//! be Ready, as `--wait=all` does for the core pods (kverify.go `CorePodsLabels`), and gives
//! up where minikube would: `--wait-timeout` defaults to 6m0s (cmd/minikube/cmd/start_flags.go).

use std::collections::BTreeSet;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::apiserver::{Store, WatchEventType, WatchId, WatchOptions};
use crate::controller::{kind_of, podutil};
use crate::time::SimDuration;

/// The longest boot: minikube's default `--wait-timeout`.
pub const BOOT_LIMIT: SimDuration = SimDuration::from_secs(6 * 60);

/// Which kube-system pods are not yet Running and Ready, followed through a watch, so a
/// check after each virtual instant costs only the pod changes since the last one (the
/// 5,000-node preset has 5,000 kube-proxy pods).
#[derive(Debug, Default)]
pub(super) struct SystemPods {
    watch: Option<WatchId>,
    not_ready: BTreeSet<String>,
    seen: bool,
}

impl SystemPods {
    /// Whether kube-system has pods and every one is Running and Ready, as the store stands.
    pub fn all_ready(&mut self, store: &mut Store) -> bool {
        let events = match self.watch.map(|id| store.poll(id)) {
            Some(Ok(events)) => events,
            // Not watching yet, or fallen behind the kept history: list again from scratch.
            _ => {
                self.not_ready.clear();
                let pods = kind_of::<corev1::Pod>();
                let Ok(id) = store.watch(pods, Some("kube-system"), &WatchOptions::default())
                else {
                    return false;
                };
                self.watch = Some(id);
                store.poll(id).unwrap_or_default()
            }
        };
        for event in events {
            let Object::Pod(pod) = &*event.object else { continue };
            let name = pod.metadata.name.clone().unwrap_or_default();
            self.seen = true;
            if event.event_type != WatchEventType::Deleted && !running_and_ready(pod) {
                self.not_ready.insert(name);
            } else {
                self.not_ready.remove(&name);
            }
        }
        self.seen && self.not_ready.is_empty()
    }

    /// Closes the watch.
    pub fn stop(&mut self, store: &mut Store) {
        if let Some(id) = self.watch.take() {
            store.stop_watch(id);
        }
    }
}

/// Phase `Running` and the `Ready` condition `True`: what `kubectl get pods` shows as
/// `Running` with every container ready.
pub fn running_and_ready(pod: &corev1::Pod) -> bool {
    let running = pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running");
    running && podutil::is_pod_ready(pod)
}
