//! The Endpoints controller: one Endpoints object per selector Service, listing its pods.
//!
//! Mirrors pkg/controller/endpoint/endpoints_controller.go (v1.34) `syncService` and
//! pkg/api/v1/endpoints `RepackSubsets` (in `repack`): a pod is listed when it has an IP, is not terminal
//! and is not terminating (terminating pods only with `publishNotReadyAddresses`); ready pods
//! go to `addresses`, the others to `notReadyAddresses` (all to `addresses` with
//! `publishNotReadyAddresses`); named target ports are resolved per pod, and a pod without
//! the named port is left out of that port's subset.
//!
//! A headless Service's Endpoints carry `service.kubernetes.io/headless`.
//!
//! The `endpoints.kubernetes.io/last-change-trigger-time` annotation comes from the
//! controller's `triggertime::TriggerTimeTracker` and is written with each change.
//!
//! Deliberate gaps: no truncation at 1000 addresses,
//! and a pod whose labels stop matching is only dropped on the Service's next sync.

use std::collections::BTreeMap;
use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use machinery::labels::Selector;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::podutil;
use super::repack;
use super::runner::{ObjectKey, Reconciler};
use super::triggertime::{self, TriggerTimeTracker};
use crate::apiserver::{Store, WatchEvent, WatchEventType};
use crate::time::SimTime;

/// `endpointslice.kubernetes.io/skip-mirror`: the mirroring controller leaves these alone.
pub const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";

/// `service.kubernetes.io/headless` (v1.IsHeadlessService), on a headless Service's Endpoints.
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// pkg/apis/core/v1/helper `IsServiceIPSet`: a cluster IP other than `None` or empty.
pub fn is_service_ip_set(svc: &corev1::Service) -> bool {
    let ip = svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref());
    !matches!(ip, None | Some("") | Some("None"))
}

/// The runner's handle on the Endpoints controller, with its trigger-time memory.
#[derive(Debug, Default)]
pub struct EndpointsController {
    triggers: TriggerTimeTracker,
}

/// What `sync_endpoints` reads: the pods of the Service's namespace and the current
/// Endpoints object, if any.
#[derive(Debug, Clone, Default)]
pub struct EndpointsView {
    pub pods: Vec<Arc<Object>>,
    pub current: Option<corev1::Endpoints>,
    /// This sync's `last-change-trigger-time`, if any.
    pub trigger: Option<SimTime>,
}

impl Reconciler for EndpointsController {
    fn name(&self) -> &'static str {
        "endpoint-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<corev1::Service>()
    }

    fn secondaries(&self) -> Vec<&'static KindInfo> {
        vec![kind_of::<corev1::Pod>(), kind_of::<corev1::Endpoints>()]
    }

    fn keys_for(&self, event: &WatchEvent, store: &Store) -> Vec<ObjectKey> {
        match &*event.object {
            // Only a deletion (onEndpointsDelete): Endpoints written for a Service that does
            // not exist yet are left alone.
            Object::Endpoints(_) if event.event_type == WatchEventType::Deleted => {
                vec![ObjectKey::of(&event.object)]
            }
            Object::Pod(p) => services_for_pod(p, event.event_type, store),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, _now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            // The Service is gone: so are its Endpoints.
            self.triggers.forget(key.namespace.as_deref(), &key.name);
            let mut plan = Plan::none();
            plan.push(Write::Delete {
                kind: kind_of::<corev1::Endpoints>(),
                namespace: key.namespace.clone(),
                name: key.name.clone(),
                uid: None,
                grace_period_seconds: None,
            });
            return Ok(plan);
        };
        let Object::Service(svc) = &*obj else {
            return Ok(Plan::none());
        };
        let pods = service_pods(store, svc)?;
        let current = store
            .get(
                kind_of::<corev1::Endpoints>(),
                key.namespace.as_deref(),
                &key.name,
            )
            .ok()
            .and_then(|o| match &*o {
                Object::Endpoints(e) => Some(e.clone()),
                _ => None,
            });
        // Computed on every sync, so the tracker's memory stays current even when nothing is
        // written (endpoints_controller.go).
        let trigger = service_selector(svc)
            .map(|_| self.triggers.compute(svc, &selected_pods(svc, &pods)))
            .unwrap_or_default();
        Ok(sync_endpoints(
            svc,
            &EndpointsView {
                pods,
                current,
                trigger,
            },
        ))
    }
}

/// Services in the pod's namespace that select it (every selector Service for a deletion,
/// whose labels can no longer be checked against the old state).
pub fn services_for_pod(p: &corev1::Pod, ev: WatchEventType, store: &Store) -> Vec<ObjectKey> {
    // Read from the store as a lister reads its cache (no request, no copy of the pod's
    // labels): both endpoint controllers ask for every pod change they watch.
    let labels = super::labels_of(&p.metadata);
    let keys: Vec<ObjectKey> = store
        .in_namespace(kind_of::<corev1::Service>(), p.metadata.namespace.as_deref())
        .iter()
        .filter(|o| match &***o {
            Object::Service(s) => service_selector(s)
                .is_some_and(|sel| ev == WatchEventType::Deleted || sel.matches(labels)),
            _ => false,
        })
        .map(|o| ObjectKey::of(o))
        .collect();
    // In key order, as a list returns them (the order the keys are queued in), as
    // `in_namespace` reads them.
    keys
}

/// The Service's selector; None for a Service without one (its Endpoints are left alone).
/// The pods of the Service's namespace its selector matches, read through the store's
/// label index as upstream's controllers list them from the pod lister
/// (`labels.Set(service.Spec.Selector).AsSelectorPreValidated()`, endpoints_controller.go,
/// v1.34): kube-system's Services must not read its thousands of kube-proxy pods. A
/// selectorless Service selects none.
pub fn service_pods(store: &Store, svc: &corev1::Service) -> Result<Vec<Arc<Object>>, SyncError> {
    let Some(set) = svc.spec.as_ref().and_then(|s| s.selector.as_ref()).filter(|m| !m.is_empty())
    else {
        return Ok(Vec::new());
    };
    let selector = set.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    store
        .list(
            kind_of::<corev1::Pod>(),
            svc.metadata.namespace.as_deref(),
            &crate::apiserver::ListOptions {
                label_selector: selector,
                ..Default::default()
            },
        )
        .map(|l| l.items)
        .map_err(|e| SyncError::Transient(e.to_string()))
}

pub fn service_selector(svc: &corev1::Service) -> Option<Selector> {
    let m = svc.spec.as_ref()?.selector.clone()?;
    (!m.is_empty()).then(|| Selector::from_set(&m))
}

/// Mirrors endpointutil.ShouldPodBeInEndpoints: an IP, not terminal, and not terminating
/// unless `include_terminating`.
pub fn should_pod_be_in_endpoints(p: &corev1::Pod, include_terminating: bool) -> bool {
    let has_ip = p
        .status
        .as_ref()
        .and_then(|s| s.pod_ip.as_deref())
        .is_some_and(|ip| !ip.is_empty());
    has_ip
        && !matches!(podutil::phase(p), "Succeeded" | "Failed")
        && (include_terminating || p.metadata.deletion_timestamp.is_none())
}

/// Mirrors podutil.FindPort: the target port of `sp` in pod `p` (a number as is, a name
/// looked up among the containers' ports with the same protocol).
pub fn find_port(p: &corev1::Pod, sp: &corev1::ServicePort) -> Option<i32> {
    match sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port)) {
        IntOrString::Int(n) => Some(n),
        IntOrString::String(name) => {
            let proto = sp.protocol.clone().unwrap_or_else(|| "TCP".into());
            p.spec
                .as_ref()?
                .containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .find(|cp| {
                    cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol.clone().unwrap_or_else(|| "TCP".into()) == proto
                })
                .map(|cp| cp.container_port)
        }
    }
}

/// The selected pods, in name order.
pub fn selected_pods<'a>(svc: &corev1::Service, pods: &'a [Arc<Object>]) -> Vec<&'a corev1::Pod> {
    static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();
    let Some(sel) = service_selector(svc) else {
        return Vec::new();
    };
    let mut out: Vec<&corev1::Pod> = pods
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) if sel.matches(p.metadata.labels.as_ref().unwrap_or(&NO_LABELS)) => {
                Some(p)
            }
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    out
}

/// Mirrors syncService: the Endpoints the Service should have, written when it differs.
pub fn sync_endpoints(svc: &corev1::Service, view: &EndpointsView) -> Plan {
    let mut plan = Plan::none();
    if service_selector(svc).is_none() || svc.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let spec = svc.spec.clone().unwrap_or_default();
    let publish = spec.publish_not_ready_addresses == Some(true);
    let svc_name = svc.metadata.name.clone().unwrap_or_default();

    let mut entries = Vec::new();
    for p in selected_pods(svc, &view.pods) {
        if !should_pod_be_in_endpoints(p, publish) {
            continue;
        }
        // endpointPortFromServicePort: a named target port resolved in this pod.
        let ports: Vec<corev1::EndpointPort> = spec
            .ports
            .iter()
            .flatten()
            .filter_map(|sp| {
                Some(corev1::EndpointPort {
                    name: sp.name.clone().filter(|n| !n.is_empty()),
                    port: find_port(p, sp)?,
                    protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                    app_protocol: sp.app_protocol.clone(),
                })
            })
            .collect();
        if ports.is_empty() && spec.ports.as_ref().is_some_and(|v| !v.is_empty()) {
            continue;
        }
        entries.push(repack::PodEntry {
            address: endpoint_address(p, &svc_name),
            ready: publish || podutil::is_pod_ready(p),
            ports,
        });
    }
    let subsets = repack::repack(&entries);
    let subsets = (!subsets.is_empty()).then_some(subsets);
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    labels.insert(SKIP_MIRROR_LABEL.into(), "true".into());
    if is_service_ip_set(svc) {
        labels.remove(HEADLESS_LABEL);
    } else {
        labels.insert(HEADLESS_LABEL.into(), String::new());
    }

    match &view.current {
        Some(cur) if cur.subsets == subsets && cur.metadata.labels.as_ref() == Some(&labels) => {}
        Some(cur) => {
            let mut e = cur.clone();
            e.subsets = subsets;
            e.metadata.labels = Some(labels);
            triggertime::set_annotation(&mut e.metadata, view.trigger);
            plan.push(Write::Update(Object::Endpoints(e)));
        }
        None => {
            let mut metadata = metav1::ObjectMeta {
                name: Some(svc_name),
                namespace: svc.metadata.namespace.clone(),
                labels: Some(labels),
                ..Default::default()
            };
            triggertime::set_annotation(&mut metadata, view.trigger);
            plan.push(Write::create(Object::Endpoints(corev1::Endpoints { metadata, subsets })));
        }
    }
    plan
}

/// Mirrors podToEndpointAddressForService: the pod's IP, node, reference and (when its
/// subdomain is the Service) hostname.
fn endpoint_address(p: &corev1::Pod, svc_name: &str) -> corev1::EndpointAddress {
    let spec = p.spec.as_ref();
    let hostname = spec
        .and_then(|s| s.hostname.clone())
        .filter(|h| !h.is_empty())
        .filter(|_| spec.and_then(|s| s.subdomain.as_deref()) == Some(svc_name));
    corev1::EndpointAddress {
        ip: p
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default(),
        hostname,
        node_name: podutil::node_name(p).map(str::to_string),
        target_ref: Some(corev1::ObjectReference {
            kind: Some("Pod".into()),
            namespace: p.metadata.namespace.clone(),
            name: p.metadata.name.clone(),
            uid: p.metadata.uid.clone(),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::discovery::v1 as discoveryv1;

    use super::*;
    use crate::controller::testutil::{apply, cluster};
    use crate::sim::Cluster;
    use crate::time::SimDuration;

    /// Two pods, one of them never ready (its readiness file is missing), behind a Service
    /// with a named target port.
    fn setup(c: &mut Cluster, publish: bool) {
        let pod = |name: &str, ready: bool| {
            let probe = if ready { "true" } else { "false" };
            format!(
                r#"
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default, labels: {{app: kubia}}}}
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports: [{{name: http, containerPort: 8080}}]
    readinessProbe: {{exec: {{command: [sh, -c, "{probe}"]}}, periodSeconds: 1}}
"#
            )
        };
        apply(c, &pod("kubia-a", true));
        apply(c, &pod("kubia-b", false));
        apply(
            c,
            &format!(
                r#"
apiVersion: v1
kind: Service
metadata: {{name: kubia, namespace: default}}
spec:
  publishNotReadyAddresses: {publish}
  selector: {{app: kubia}}
  ports: [{{name: web, port: 80, targetPort: http}}]
"#
            ),
        );
        c.advance(SimDuration::from_secs(90));
    }

    fn endpoints(c: &Cluster) -> corev1::Endpoints {
        let o = c
            .store()
            .get(kind_of::<corev1::Endpoints>(), Some("default"), "kubia")
            .expect("endpoints");
        match &*o {
            Object::Endpoints(e) => e.clone(),
            _ => unreachable!(),
        }
    }

    fn names(addrs: &Option<Vec<corev1::EndpointAddress>>) -> Vec<String> {
        addrs
            .iter()
            .flatten()
            .filter_map(|a| a.target_ref.as_ref()?.name.clone())
            .collect()
    }

    /// `(pod, ready, serving, terminating)` of the Service's slice endpoints.
    fn slice(c: &Cluster) -> (discoveryv1::EndpointSlice, Vec<(String, bool, bool, bool)>) {
        let slices: Vec<discoveryv1::EndpointSlice> = c
            .list(kind_of::<discoveryv1::EndpointSlice>(), Some("default"))
            .iter()
            .filter_map(|o| match &**o {
                // The API server's own `kubernetes` slice is not the controller's.
                Object::EndpointSlice(s)
                    if s.metadata.labels.as_ref().and_then(|l| {
                        l.get(crate::controller::endpointslice::MANAGED_BY_LABEL)
                    }) == Some(
                        &crate::controller::endpointslice::CONTROLLER_NAME.to_string(),
                    ) =>
                {
                    Some(s.clone())
                }
                _ => None,
            })
            .collect();
        assert_eq!(slices.len(), 1, "{slices:?}");
        let s = slices[0].clone();
        let mut eps: Vec<(String, bool, bool, bool)> = s
            .endpoints
            .iter()
            .map(|e| {
                let c = e.conditions.clone().unwrap_or_default();
                (
                    e.target_ref
                        .as_ref()
                        .and_then(|r| r.name.clone())
                        .unwrap_or_default(),
                    c.ready == Some(true),
                    c.serving == Some(true),
                    c.terminating == Some(true),
                )
            })
            .collect();
        eps.sort();
        (s, eps)
    }

    #[test]
    fn ready_and_not_ready_addresses_with_named_target_port() {
        let mut c = cluster(1);
        setup(&mut c, false);
        let e = endpoints(&c);
        let subsets = e.subsets.clone().unwrap_or_default();
        assert_eq!(subsets.len(), 1, "{subsets:?}");
        assert_eq!(names(&subsets[0].addresses), ["kubia-a"]);
        assert_eq!(names(&subsets[0].not_ready_addresses), ["kubia-b"]);
        let port = &subsets[0].ports.clone().unwrap_or_default()[0];
        assert_eq!((port.name.as_deref(), port.port), (Some("web"), 8080));
        assert_eq!(
            e.metadata
                .labels
                .unwrap_or_default()
                .get(SKIP_MIRROR_LABEL)
                .map(String::as_str),
            Some("true")
        );

        let (s, eps) = slice(&c);
        assert_eq!(
            eps,
            [
                ("kubia-a".into(), true, true, false),
                ("kubia-b".into(), false, false, false)
            ]
        );
        let labels = s.metadata.labels.clone().unwrap_or_default();
        assert_eq!(
            labels.get("kubernetes.io/service-name").map(String::as_str),
            Some("kubia")
        );
        assert_eq!(
            labels
                .get("endpointslice.kubernetes.io/managed-by")
                .map(String::as_str),
            Some("endpointslice-controller.k8s.io")
        );
        assert!(
            s.metadata
                .name
                .as_deref()
                .unwrap_or("")
                .starts_with("kubia-")
        );
        assert_eq!(s.address_type, "IPv4");
        assert_eq!(s.ports.clone().unwrap_or_default()[0].port, Some(8080));

        // A terminating pod leaves Endpoints but stays in the slice as terminating.
        c.store_mut()
            .delete(
                kind_of::<corev1::Pod>(),
                Some("default"),
                "kubia-a",
                &crate::apiserver::DeleteOptions::default(),
            )
            .expect("delete");
        c.advance(SimDuration::from_millis(10));
        let e = endpoints(&c);
        let subsets = e.subsets.clone().unwrap_or_default();
        assert_eq!(names(&subsets[0].addresses), Vec::<String>::new());
        assert_eq!(names(&subsets[0].not_ready_addresses), ["kubia-b"]);
        let (_, eps) = slice(&c);
        assert_eq!(eps[0].0, "kubia-a");
        assert!(!eps[0].1 && eps[0].3, "{eps:?}");
    }

    #[test]
    fn publish_not_ready_addresses() {
        let mut c = cluster(2);
        setup(&mut c, true);
        let subsets = endpoints(&c).subsets.unwrap_or_default();
        // Addresses are ordered by IP; compare as a set.
        let mut got = names(&subsets[0].addresses);
        got.sort();
        assert_eq!(got, ["kubia-a", "kubia-b"]);
        assert!(subsets[0].not_ready_addresses.is_none());
        let (_, eps) = slice(&c);
        assert_eq!(
            eps,
            [
                ("kubia-a".into(), true, true, false),
                ("kubia-b".into(), true, false, false)
            ]
        );
    }
}
