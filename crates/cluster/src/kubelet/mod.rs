//! Kubelets: one per node, running the pods bound to it with simulated containers.

use std::collections::BTreeMap;

use crate::apiserver::{Store, StoreError, WatchId, WatchOptions};
use crate::controller::kind_of;
use crate::rng::SimRng;
use crate::time::SimTime;
use k8s_openapi::api::core::v1 as corev1;

/// A kubelet timer: which node and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeletTimer {
    pub node: String,
    pub what: TimerKind,
}

/// What a kubelet timer does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimerKind {
    /// Renew the node's Lease.
    Heartbeat,
}

/// All kubelets, fed by one pod watch.
#[derive(Debug, Default)]
pub struct Kubelets {
    pod_watch: Option<WatchId>,
    nodes: BTreeMap<String, ()>,
}

impl Kubelets {
    /// Opens the pod watch.
    ///
    /// # Errors
    /// A watch the store refuses.
    pub fn start(&mut self, store: &mut Store) -> Result<(), StoreError> {
        self.pod_watch =
            Some(store.watch(kind_of::<corev1::Pod>(), None, &WatchOptions::default())?);
        Ok(())
    }

    /// Drains the pod watch. Returns whether any kubelet has work.
    pub fn pump(&mut self, store: &mut Store) -> bool {
        if let Some(id) = self.pod_watch {
            let _ = store.poll(id);
        }
        let _ = &self.nodes;
        false
    }

    /// Syncs pods with pending work.
    pub fn process(
        &mut self,
        _store: &mut Store,
        _rng: &mut SimRng,
        _now: SimTime,
    ) -> Vec<(SimTime, KubeletTimer)> {
        Vec::new()
    }

    /// Runs a timer.
    pub fn timer(
        &mut self,
        _store: &mut Store,
        _rng: &mut SimRng,
        _now: SimTime,
        _t: KubeletTimer,
    ) -> Vec<(SimTime, KubeletTimer)> {
        Vec::new()
    }
}
