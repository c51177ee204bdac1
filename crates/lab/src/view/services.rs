//! Services and the pods behind them, read from the Endpoints objects the endpoints
//! controller keeps (ready addresses and not-ready ones, each with its pod as `targetRef`).

use api::Object;
use cluster::Cluster;
use cluster::controller::kind_of;
use k8s_openapi::api::core::v1 as corev1;

/// One endpoint of a Service: a pod and whether it receives traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointView {
    /// `namespace/name` of the pod.
    pub pod: String,
    pub ready: bool,
}

/// One Service as a box in the cluster view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// ClusterIP, NodePort, LoadBalancer or ExternalName.
    pub type_: String,
    pub cluster_ip: String,
    /// `port/PROTOCOL` of each port, as the PORT(S) column shows them (without node ports).
    pub ports: Vec<String>,
    pub endpoints: Vec<EndpointView>,
}

impl ServiceView {
    /// `namespace/name`, the key the view and the inspector use.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

pub(super) fn services(cluster: &Cluster, shown: &dyn Fn(&str) -> bool) -> Vec<ServiceView> {
    let mut out: Vec<ServiceView> = cluster
        .list(kind_of::<corev1::Service>(), None)
        .iter()
        .filter_map(|o| match &**o {
            Object::Service(s) if shown(s.metadata.namespace.as_deref().unwrap_or("")) => Some(s),
            _ => None,
        })
        .map(|s| {
            let spec = s.spec.clone().unwrap_or_default();
            ServiceView {
                namespace: s.metadata.namespace.clone().unwrap_or_default(),
                name: s.metadata.name.clone().unwrap_or_default(),
                type_: spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()),
                cluster_ip: spec.cluster_ip.clone().unwrap_or_default(),
                ports: spec
                    .ports
                    .iter()
                    .flatten()
                    .map(|p| format!("{}/{}", p.port, p.protocol.as_deref().unwrap_or("TCP")))
                    .collect(),
                endpoints: Vec::new(),
            }
        })
        .collect();
    machinery::sort::sort_by(&mut out, |a, b| {
        (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
    });
    for object in cluster.list(kind_of::<corev1::Endpoints>(), None) {
        let Object::Endpoints(ep) = &*object else {
            continue;
        };
        let ns = ep.metadata.namespace.as_deref().unwrap_or("");
        let name = ep.metadata.name.as_deref().unwrap_or("");
        let Some(svc) = out.iter_mut().find(|s| s.namespace == ns && s.name == name) else {
            continue;
        };
        for subset in ep.subsets.iter().flatten() {
            let addresses = |list: &Option<Vec<corev1::EndpointAddress>>, ready: bool| {
                list.iter()
                    .flatten()
                    .filter_map(|a| a.target_ref.as_ref())
                    .filter(|r| r.kind.as_deref() == Some("Pod"))
                    .map(|r| EndpointView {
                        pod: format!(
                            "{}/{}",
                            r.namespace.as_deref().unwrap_or(ns),
                            r.name.as_deref().unwrap_or("")
                        ),
                        ready,
                    })
                    .collect::<Vec<_>>()
            };
            svc.endpoints.extend(addresses(&subset.addresses, true));
            svc.endpoints
                .extend(addresses(&subset.not_ready_addresses, false));
        }
        // One pod appears once per subset (one subset per port set); draw one line per pod.
        machinery::sort::sort_by(&mut svc.endpoints, |a, b| {
            (&a.pod, !a.ready).cmp(&(&b.pod, !b.ready))
        });
        svc.endpoints.dedup_by(|a, b| a.pod == b.pod);
    }
    out
}
