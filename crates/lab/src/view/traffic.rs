//! Recent requests on the data path (client → Service → pod), from the network's traffic log,
//! for the view's animated dots.

use cluster::Cluster;

/// How far back (virtual time) a request is still drawn.
pub const RECENT_MS: u64 = 3_000;
/// The most requests drawn at once.
const MAX_TRIPS: usize = 40;

/// One request: who sent it, the Service it went through and the pod that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficView {
    /// Position in the traffic log: a stable key for the dot.
    pub seq: usize,
    pub at_ms: u64,
    /// A pod as `namespace/name`, or `host`.
    pub client: String,
    pub service: Option<String>,
    pub pod: Option<String>,
    /// `200`, `404`…, `refused`, `timeout`.
    pub result: String,
}

pub(super) fn recent(cluster: &Cluster) -> Vec<TrafficView> {
    let now = cluster.now().0;
    let net = cluster.network();
    let log = &net.traffic;
    let first = log.len().saturating_sub(MAX_TRIPS);
    log.iter()
        .enumerate()
        .skip(first)
        .filter(|(_, t)| t.at.0 + RECENT_MS >= now)
        .map(|(i, t)| TrafficView {
            seq: net.traffic_dropped + i,
            at_ms: t.at.0,
            client: t.client.clone(),
            service: t.service.clone(),
            pod: t.pod.clone(),
            result: t.result.clone(),
        })
        .collect()
}
