//! Service, Endpoints, EndpointSlice, Ingress, IngressClass and NetworkPolicy.
//!
//! Mirrors describe.go `describeService`, `formatEndpointSlices`, `describeEndpoints`,
//! `describeEndpointSliceV1`, `describeIngressV1`, `describeIngressClassV1` and
//! `describeNetworkPolicy` (v1.34).

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::networking::v1 as networkingv1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Describe;
use super::writer::{self, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, w};

/// The EndpointSlices of a Service (label `kubernetes.io/service-name`).
fn slices_of(
    d: &Describe<'_, '_>,
    ns: Option<&str>,
    service: &str,
) -> Vec<discoveryv1::EndpointSlice> {
    d.list("EndpointSlice", "discovery.k8s.io/v1", ns)
        .iter()
        .filter_map(|o| match &**o {
            Object::EndpointSlice(s)
                if s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("kubernetes.io/service-name"))
                    .map(String::as_str)
                    == Some(service) =>
            {
                Some(s.clone())
            }
            _ => None,
        })
        .collect()
}

/// `formatEndpointSlices`: ready `ip:port` of the named port, three at most, then
/// `+ N more...`.
fn format_slices(slices: &[discoveryv1::EndpointSlice], port_name: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready =
        |e: &discoveryv1::Endpoint| e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true);
    for s in slices {
        let ports = s.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            for e in &s.endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(e.addresses.first().cloned().unwrap_or_default());
                }
                count += 1;
            }
        } else {
            for p in ports {
                let name = p.name.as_deref().unwrap_or("");
                if port_name.is_some_and(|n| n != name) {
                    continue;
                }
                for e in &s.endpoints {
                    if list.len() == MAX {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let addr = e.addresses.first().cloned().unwrap_or_default();
                        let port = p.port.unwrap_or(0);
                        if addr.contains(':') {
                            list.push(format!("[{addr}]:{port}"));
                        } else {
                            list.push(format!("{addr}:{port}"));
                        }
                    }
                    count += 1;
                }
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

pub fn service(svc: &corev1::Service, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = svc.spec.clone().unwrap_or_default();
    let status = svc.status.clone().unwrap_or_default();
    let ns = svc.metadata.namespace.as_deref();
    let name = svc.metadata.name.as_deref().unwrap_or("");
    w!(w, LEVEL_0, "Name:\t{name}\n");
    w!(w, LEVEL_0, "Namespace:\t{}\n", ns.unwrap_or(""));
    writer::labels(&mut w, "Labels", svc.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", svc.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Selector:\t{}\n",
        writer::format_labels(spec.selector.as_ref())
    );
    w!(
        w,
        LEVEL_0,
        "Type:\t{}\n",
        spec.type_.as_deref().unwrap_or("")
    );
    if let Some(p) = &spec.ip_family_policy {
        w!(w, LEVEL_0, "IP Family Policy:\t{p}\n");
    }
    match spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(f) => w!(w, LEVEL_0, "IP Families:\t{}\n", f.join(",")),
        None => w!(w, LEVEL_0, "IP Families:\t<none>\n"),
    }
    w!(
        w,
        LEVEL_0,
        "IP:\t{}\n",
        spec.cluster_ip.as_deref().unwrap_or("")
    );
    match spec.cluster_ips.as_ref().filter(|f| !f.is_empty()) {
        Some(ips) => w!(w, LEVEL_0, "IPs:\t{}\n", ips.join(",")),
        None => w!(w, LEVEL_0, "IPs:\t<none>\n"),
    }
    if let Some(ips) = spec.external_ips.as_ref().filter(|f| !f.is_empty()) {
        w!(w, LEVEL_0, "External IPs:\t{}\n", ips.join(","));
    }
    if let Some(ip) = spec.load_balancer_ip.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Desired LoadBalancer IP:\t{ip}\n");
    }
    if let Some(n) = spec.external_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "External Name:\t{n}\n");
    }
    let ingress = status
        .load_balancer
        .and_then(|l| l.ingress)
        .unwrap_or_default();
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| match i.ip.as_ref().filter(|s| !s.is_empty()) {
                Some(ip) => match &i.ip_mode {
                    Some(m) => format!("{ip} ({m})"),
                    None => ip.clone(),
                },
                None => i.hostname.clone().unwrap_or_default(),
            })
            .collect();
        w!(w, LEVEL_0, "LoadBalancer Ingress:\t{}\n", list.join(", "));
    }
    let slices = slices_of(d, ns, name);
    for sp in spec.ports.iter().flatten() {
        let pname = sp
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("<unset>");
        let proto = sp.protocol.as_deref().unwrap_or("TCP");
        w!(w, LEVEL_0, "Port:\t{pname}\t{}/{proto}\n", sp.port);
        let target = match &sp.target_port {
            Some(IntOrString::Int(i)) => i.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => "0".into(),
        };
        w!(w, LEVEL_0, "TargetPort:\t{target}/{proto}\n");
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            w!(w, LEVEL_0, "NodePort:\t{pname}\t{np}/{proto}\n");
        }
        w!(
            w,
            LEVEL_0,
            "Endpoints:\t{}\n",
            format_slices(&slices, Some(sp.name.as_deref().unwrap_or("")))
        );
    }
    w!(
        w,
        LEVEL_0,
        "Session Affinity:\t{}\n",
        spec.session_affinity.as_deref().unwrap_or("")
    );
    if let Some(p) = spec
        .external_traffic_policy
        .as_ref()
        .filter(|s| !s.is_empty())
    {
        w!(w, LEVEL_0, "External Traffic Policy:\t{p}\n");
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w!(w, LEVEL_0, "Internal Traffic Policy:\t{p}\n");
    }
    if let Some(p) = spec.health_check_node_port.filter(|p| *p != 0) {
        w!(w, LEVEL_0, "HealthCheck NodePort:\t{p}\n");
    }
    if let Some(r) = spec
        .load_balancer_source_ranges
        .as_ref()
        .filter(|r| !r.is_empty())
    {
        w!(w, LEVEL_0, "LoadBalancer Source Ranges:\t{}\n", r.join(","));
    }
    if let Some(t) = &spec.traffic_distribution {
        w!(w, LEVEL_0, "Traffic Distribution:\t{t}\n");
    }
    d.maybe_events(&mut w, &Object::Service(svc.clone()));
    w.finish()
}

pub fn endpoints(ep: &corev1::Endpoints, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        ep.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        ep.metadata.namespace.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", ep.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", ep.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "Subsets:\n");
    for s in ep.subsets.iter().flatten() {
        let ips = |list: &Option<Vec<corev1::EndpointAddress>>| {
            let v: Vec<String> = list.iter().flatten().map(|a| a.ip.clone()).collect();
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.join(",")
            }
        };
        w!(w, LEVEL_1, "Addresses:\t{}\n", ips(&s.addresses));
        w!(
            w,
            LEVEL_1,
            "NotReadyAddresses:\t{}\n",
            ips(&s.not_ready_addresses)
        );
        if let Some(ports) = s.ports.as_ref().filter(|p| !p.is_empty()) {
            w!(w, LEVEL_1, "Ports:\n");
            w!(w, LEVEL_2, "Name\tPort\tProtocol\n");
            w!(w, LEVEL_2, "----\t----\t--------\n");
            for p in ports {
                w!(
                    w,
                    LEVEL_2,
                    "{}\t{}\t{}\n",
                    p.name
                        .as_deref()
                        .filter(|n| !n.is_empty())
                        .unwrap_or("<unset>"),
                    p.port,
                    p.protocol.as_deref().unwrap_or("TCP")
                );
            }
        }
        w!(w, LEVEL_0, "\n");
    }
    d.maybe_events(&mut w, &Object::Endpoints(ep.clone()));
    w.finish()
}

pub fn endpoint_slice(eps: &discoveryv1::EndpointSlice, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        eps.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        eps.metadata.namespace.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", eps.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", eps.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "AddressType:\t{}\n", eps.address_type);
    match eps.ports.as_ref().filter(|p| !p.is_empty()) {
        None => w!(w, LEVEL_0, "Ports: <unset>\n"),
        Some(ports) => {
            w!(w, LEVEL_0, "Ports:\n");
            w!(w, LEVEL_1, "Name\tPort\tProtocol\n");
            w!(w, LEVEL_1, "----\t----\t--------\n");
            for p in ports {
                w!(
                    w,
                    LEVEL_1,
                    "{}\t{}\t{}\n",
                    p.name
                        .as_deref()
                        .filter(|n| !n.is_empty())
                        .unwrap_or("<unset>"),
                    p.port
                        .map_or_else(|| "<unset>".to_string(), |p| p.to_string()),
                    p.protocol.as_deref().unwrap_or("TCP")
                );
            }
        }
    }
    if eps.endpoints.is_empty() {
        w!(w, LEVEL_0, "Endpoints: <none>\n");
    } else {
        w!(w, LEVEL_0, "Endpoints:\n");
        for e in &eps.endpoints {
            let addrs = if e.addresses.is_empty() {
                "<none>".to_string()
            } else {
                e.addresses.join(", ")
            };
            w!(w, LEVEL_1, "- Addresses:\t{addrs}\n");
            w!(w, LEVEL_2, "Conditions:\n");
            let ready = e
                .conditions
                .as_ref()
                .and_then(|c| c.ready)
                .map_or_else(|| "<unset>".to_string(), |r| r.to_string());
            w!(w, LEVEL_3, "Ready:\t{ready}\n");
            w!(
                w,
                LEVEL_2,
                "Hostname:\t{}\n",
                e.hostname.as_deref().unwrap_or("<unset>")
            );
            if let Some(t) = &e.target_ref {
                w!(
                    w,
                    LEVEL_2,
                    "TargetRef:\t{}/{}\n",
                    t.kind.as_deref().unwrap_or(""),
                    t.name.as_deref().unwrap_or("")
                );
            }
            w!(
                w,
                LEVEL_2,
                "NodeName:\t{}\n",
                e.node_name.as_deref().unwrap_or("<unset>")
            );
            w!(
                w,
                LEVEL_2,
                "Zone:\t{}\n",
                e.zone.as_deref().unwrap_or("<unset>")
            );
        }
    }
    d.maybe_events(&mut w, &Object::EndpointSlice(eps.clone()));
    w.finish()
}

/// `serviceBackendStringer` and the endpoints behind it.
fn backend_text(
    d: &Describe<'_, '_>,
    ns: Option<&str>,
    b: &networkingv1::IngressBackend,
) -> String {
    if let Some(svc) = &b.service {
        let port = svc.port.clone().unwrap_or_default();
        let sb = match port.number.filter(|n| *n != 0) {
            Some(n) => format!("{}:{n}", svc.name),
            None => format!("{}:{}", svc.name, port.name.as_deref().unwrap_or("")),
        };
        let Some(info) = api::by_gvk("v1", "Service") else {
            return sb;
        };
        let service = match d.env.store.get(info, ns, &svc.name) {
            Ok(o) => o,
            Err(e) => return format!("{sb} (<error: {e}>)"),
        };
        let Object::Service(service) = &*service else {
            return sb;
        };
        let mut sp_name = String::new();
        for sp in service.spec.iter().flat_map(|s| s.ports.iter().flatten()) {
            let n = sp.name.clone().unwrap_or_default();
            let by_number = port.number.is_some_and(|x| x != 0 && x == sp.port);
            let by_name = port
                .name
                .as_deref()
                .is_some_and(|x| !x.is_empty() && x == n);
            if by_number || by_name {
                sp_name = n;
            }
        }
        let ep = format_slices(&slices_of(d, ns, &svc.name), Some(&sp_name));
        return format!("{sb} ({ep})");
    }
    if let Some(r) = &b.resource {
        return format!(
            "APIGroup: {}, Kind: {}, Name: {}",
            r.api_group.as_deref().unwrap_or("<none>"),
            r.kind,
            r.name
        );
    }
    String::new()
}

pub fn ingress(ing: &networkingv1::Ingress, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = ing.spec.clone().unwrap_or_default();
    let ns = ing.metadata.namespace.as_deref();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        ing.metadata.name.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", ing.metadata.labels.as_ref());
    w!(w, LEVEL_0, "Namespace:\t{}\n", ns.unwrap_or(""));
    let mut addrs: Vec<String> = ing
        .status
        .iter()
        .filter_map(|s| s.load_balancer.as_ref())
        .flat_map(|l| l.ingress.iter().flatten())
        .filter_map(|i| {
            i.ip.clone()
                .filter(|s| !s.is_empty())
                .or_else(|| i.hostname.clone().filter(|s| !s.is_empty()))
        })
        .collect();
    machinery::sort::sort(&mut addrs);
    addrs.dedup();
    w!(w, LEVEL_0, "Address:\t{}\n", addrs.join(","));
    w!(
        w,
        LEVEL_0,
        "Ingress Class:\t{}\n",
        spec.ingress_class_name.as_deref().unwrap_or("<none>")
    );
    let default = match &spec.default_backend {
        Some(b) => backend_text(d, ns, b),
        None => "<default>".into(),
    };
    w!(w, LEVEL_0, "Default backend:\t{default}\n");
    if let Some(tls) = spec.tls.as_ref().filter(|t| !t.is_empty()) {
        w!(w, LEVEL_0, "TLS:\n");
        for t in tls {
            let hosts = t.hosts.clone().unwrap_or_default().join(",");
            match t.secret_name.as_deref().filter(|s| !s.is_empty()) {
                None => w!(w, LEVEL_1, "SNI routes {hosts}\n"),
                Some(s) => w!(w, LEVEL_1, "{s} terminates {hosts}\n"),
            }
        }
    }
    w!(w, LEVEL_0, "Rules:\n  Host\tPath\tBackends\n");
    w!(w, LEVEL_1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in spec.rules.iter().flatten() {
        let Some(http) = &rule.http else { continue };
        count += 1;
        let host = rule
            .host
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or("*");
        w!(w, LEVEL_1, "{host}\t\n");
        for p in &http.paths {
            w!(
                w,
                LEVEL_2,
                "\t{} \t{}\n",
                p.path.as_deref().unwrap_or(""),
                backend_text(d, ns, &p.backend)
            );
        }
    }
    if count == 0 {
        w!(w, LEVEL_1, "*\t*\t{default}\n");
    }
    writer::annotations(&mut w, "Annotations", ing.metadata.annotations.as_ref());
    d.maybe_events(&mut w, &Object::Ingress(ing.clone()));
    w.finish()
}

pub fn ingress_class(ic: &networkingv1::IngressClass, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = ic.spec.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        ic.metadata.name.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", ic.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", ic.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Controller:\t{}\n",
        spec.controller.as_deref().unwrap_or("")
    );
    if let Some(p) = &spec.parameters {
        w!(w, LEVEL_0, "Parameters:\n");
        if let Some(g) = &p.api_group {
            w!(w, LEVEL_1, "APIGroup:\t{g}\n");
        }
        w!(w, LEVEL_1, "Kind:\t{}\n", p.kind);
        w!(w, LEVEL_1, "Name:\t{}\n", p.name);
    }
    d.maybe_events(&mut w, &Object::IngressClass(ic.clone()));
    w.finish()
}

fn peer_lines(
    w: &mut PrefixWriter,
    label: &str,
    peers: &[networkingv1::NetworkPolicyPeer],
    indent: &str,
) {
    for p in peers {
        w!(w, LEVEL_0, "{indent}{label}:\n");
        let fmt = |s| writer::format_label_selector(Some(s));
        match (&p.pod_selector, &p.namespace_selector) {
            (Some(ps), Some(ns)) => {
                w!(w, LEVEL_1, "{indent}NamespaceSelector: {}\n", fmt(ns));
                w!(w, LEVEL_1, "{indent}PodSelector: {}\n", fmt(ps));
            }
            (Some(ps), None) => w!(w, LEVEL_1, "{indent}PodSelector: {}\n", fmt(ps)),
            (None, Some(ns)) => w!(w, LEVEL_1, "{indent}NamespaceSelector: {}\n", fmt(ns)),
            (None, None) => {
                if let Some(b) = &p.ip_block {
                    w!(w, LEVEL_1, "{indent}IPBlock:\n");
                    w!(w, LEVEL_2, "{indent}CIDR: {}\n", b.cidr);
                    w!(
                        w,
                        LEVEL_2,
                        "{indent}Except: {}\n",
                        b.except.clone().unwrap_or_default().join(", ")
                    );
                }
            }
        }
    }
}

fn port_lines(w: &mut PrefixWriter, ports: &[networkingv1::NetworkPolicyPort], indent: &str) {
    if ports.is_empty() {
        w!(
            w,
            LEVEL_0,
            "{indent}To Port: <any> (traffic allowed to all ports)\n"
        );
        return;
    }
    for p in ports {
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        let port = match &p.port {
            Some(IntOrString::Int(i)) => i.to_string(),
            Some(IntOrString::String(s)) => s.clone(),
            None => "%!s(<nil>)".into(),
        };
        match p.end_port {
            None => w!(w, LEVEL_0, "{indent}To Port: {port}/{proto}\n"),
            Some(e) => w!(w, LEVEL_0, "{indent}To Port Range: {port}-{e}/{proto}\n"),
        }
    }
}

pub fn network_policy(np: &networkingv1::NetworkPolicy) -> String {
    let mut w = PrefixWriter::new();
    let spec = np.spec.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        np.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        np.metadata.namespace.as_deref().unwrap_or("")
    );
    // metav1.Time's String(): Go's time.Time layout.
    let created = np
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| t.0.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|| "0001-01-01 00:00:00 +0000 UTC".into());
    w!(w, LEVEL_0, "Created on:\t{created}\n");
    writer::labels(&mut w, "Labels", np.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", np.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "Spec:\n");
    w!(w, LEVEL_1, "PodSelector: ");
    let ps = spec.pod_selector.clone().unwrap_or_default();
    if ps.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && ps.match_expressions.as_ref().is_none_or(|m| m.is_empty())
    {
        w!(
            w,
            LEVEL_2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n"
        );
    } else {
        w!(w, LEVEL_2, "{}\n", writer::format_label_selector(Some(&ps)));
    }
    let types = spec.policy_types.clone().unwrap_or_default();
    let indent = "    ";
    if types.iter().any(|t| t == "Ingress") {
        w!(w, LEVEL_1, "Allowing ingress traffic:\n");
        let rules = spec.ingress.clone().unwrap_or_default();
        if rules.is_empty() {
            w!(
                w,
                LEVEL_0,
                "{indent}<none> (Selected pods are isolated for ingress connectivity)\n"
            );
        }
        for (i, r) in rules.iter().enumerate() {
            port_lines(&mut w, r.ports.as_deref().unwrap_or(&[]), indent);
            match r.from.as_ref().filter(|f| !f.is_empty()) {
                None => w!(
                    w,
                    LEVEL_0,
                    "{indent}From: <any> (traffic not restricted by source)\n"
                ),
                Some(from) => peer_lines(&mut w, "From", from, indent),
            }
            if i + 1 != rules.len() {
                w!(w, LEVEL_0, "{indent}----------\n");
            }
        }
    } else {
        w!(w, LEVEL_1, "Not affecting ingress traffic\n");
    }
    if types.iter().any(|t| t == "Egress") {
        w!(w, LEVEL_1, "Allowing egress traffic:\n");
        let rules = spec.egress.clone().unwrap_or_default();
        if rules.is_empty() {
            w!(
                w,
                LEVEL_0,
                "{indent}<none> (Selected pods are isolated for egress connectivity)\n"
            );
        }
        for (i, r) in rules.iter().enumerate() {
            port_lines(&mut w, r.ports.as_deref().unwrap_or(&[]), indent);
            match r.to.as_ref().filter(|f| !f.is_empty()) {
                None => w!(
                    w,
                    LEVEL_0,
                    "{indent}To: <any> (traffic not restricted by destination)\n"
                ),
                Some(to) => peer_lines(&mut w, "To", to, indent),
            }
            if i + 1 != rules.len() {
                w!(w, LEVEL_0, "{indent}----------\n");
            }
        }
    } else {
        w!(w, LEVEL_1, "Not affecting egress traffic\n");
    }
    let pt = if types.is_empty() {
        "<none>".to_string()
    } else {
        types.join(", ")
    };
    w!(w, LEVEL_1, "Policy Types: {pt}\n");
    w.finish()
}
