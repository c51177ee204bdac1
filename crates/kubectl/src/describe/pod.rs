//! Pods, and the pod-template block the workload describers share.
//!
//! Mirrors describe.go `describePod`, `describeContainers`, `describeVolumes`,
//! `DescribePodTemplate` and `DescribeProbe` (v1.34).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Describe;
use super::writer::{
    self, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, quantity_text, time_text, w,
};

pub fn describe(pod: &corev1::Pod, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        meta.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        meta.namespace.as_deref().unwrap_or("")
    );
    if let Some(p) = spec.priority {
        w!(w, LEVEL_0, "Priority:\t{p}\n");
    }
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Priority Class Name:\t{pc}\n");
    }
    if let Some(rc) = spec.runtime_class_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Runtime Class Name:\t{rc}\n");
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Service Account:\t{sa}\n");
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => w!(
            w,
            LEVEL_0,
            "Node:\t{n}/{}\n",
            status.host_ip.as_deref().unwrap_or("")
        ),
        None => w!(w, LEVEL_0, "Node:\t<none>\n"),
    }
    if let Some(t) = &status.start_time {
        w!(w, LEVEL_0, "Start Time:\t{}\n", time_text(t));
    }
    writer::labels(&mut w, "Labels", meta.labels.as_ref());
    writer::annotations(&mut w, "Annotations", meta.annotations.as_ref());
    let phase = status.phase.as_deref().unwrap_or("");
    match &meta.deletion_timestamp {
        Some(t) if phase != "Failed" && phase != "Succeeded" => {
            w!(
                w,
                LEVEL_0,
                "Status:\tTerminating (lasts {})\n",
                writer::since(d.now, Some(t))
            );
            w!(
                w,
                LEVEL_0,
                "Termination Grace Period:\t{}s\n",
                meta.deletion_grace_period_seconds.unwrap_or(0)
            );
        }
        _ => w!(w, LEVEL_0, "Status:\t{phase}\n"),
    }
    if let Some(r) = status.reason.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Reason:\t{r}\n");
    }
    if let Some(m) = status.message.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_0, "Message:\t{m}\n");
    }
    if let Some(sp) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
    {
        w!(w, LEVEL_0, "SeccompProfile:\t{}\n", sp.type_);
    }
    w!(
        w,
        LEVEL_0,
        "IP:\t{}\n",
        status.pod_ip.as_deref().unwrap_or("")
    );
    let ips: Vec<&corev1::PodIP> = status.pod_ips.iter().flatten().collect();
    if ips.is_empty() {
        w!(w, LEVEL_0, "IPs:\t<none>\n");
    } else {
        w!(w, LEVEL_0, "IPs:\n");
        for ip in ips {
            w!(w, LEVEL_1, "IP:\t{}\n", ip.ip);
        }
    }
    if let Some(c) = writer::controller_of(meta) {
        w!(w, LEVEL_0, "Controlled By:\t{c}\n");
    }
    if let Some(n) = status
        .nominated_node_name
        .as_ref()
        .filter(|s| !s.is_empty())
    {
        w!(w, LEVEL_0, "NominatedNodeName:\t{n}\n");
    }
    let env = EnvResolver { pod };
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(
            &mut w,
            "Init Containers",
            init,
            Some(status.init_container_statuses.as_deref().unwrap_or(&[])),
            Some(&env),
            "",
        );
    }
    containers(
        &mut w,
        "Containers",
        &spec.containers,
        Some(status.container_statuses.as_deref().unwrap_or(&[])),
        Some(&env),
        "",
    );
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w!(w, LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let st = status
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>".to_string(), |c| c.status.clone());
            w!(w, LEVEL_1, "{} \t{st} \n", g.condition_type);
        }
    }
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w!(w, LEVEL_0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w!(w, LEVEL_1, "{} \t{} \n", c.type_, c.status);
        }
    }
    volumes(&mut w, spec.volumes.as_deref().unwrap_or(&[]), "");
    let qos = status
        .qos_class
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| qos_class(&spec));
    w!(w, LEVEL_0, "QoS Class:\t{qos}\n");
    writer::labels(&mut w, "Node-Selectors", spec.node_selector.as_ref());
    writer::tolerations(&mut w, "", "Tolerations", spec.tolerations.as_ref());
    topology_spread(&mut w, spec.topology_spread_constraints.as_deref(), "");
    if d.show_events {
        d.events(&mut w, &api::Object::Pod(pod.clone()));
    }
    w.finish()
}

/// qos.GetPodQOS for pods the API server has not yet given a class.
fn qos_class(spec: &corev1::PodSpec) -> String {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
    {
        let r = c.resources.clone().unwrap_or_default();
        let req = r.requests.unwrap_or_default();
        let lim = r.limits.unwrap_or_default();
        for name in ["cpu", "memory"] {
            if req.contains_key(name) || lim.contains_key(name) {
                any = true;
            }
            match (req.get(name), lim.get(name)) {
                (_, None) => guaranteed = false,
                (Some(a), Some(b)) if quantity_text(a) != quantity_text(b) => guaranteed = false,
                _ => {}
            }
        }
    }
    if !any {
        "BestEffort".into()
    } else if guaranteed {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

/// `describeTopologySpreadConstraints`.
fn topology_spread(
    w: &mut PrefixWriter,
    tscs: Option<&[corev1::TopologySpreadConstraint]>,
    space: &str,
) {
    let Some(tscs) = tscs.filter(|t| !t.is_empty()) else {
        return;
    };
    let mut list: Vec<&corev1::TopologySpreadConstraint> = tscs.iter().collect();
    machinery::sort::sort_by(&mut list, |a, b| a.topology_key.cmp(&b.topology_key));
    w!(w, LEVEL_0, "{space}Topology Spread Constraints:\t");
    for (i, t) in list.into_iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "{space}\t");
        }
        w!(
            w,
            LEVEL_0,
            "{}:{} when max skew {} is exceeded",
            t.topology_key,
            t.when_unsatisfiable,
            t.max_skew
        );
        if let Some(sel) = &t.label_selector {
            w!(
                w,
                LEVEL_0,
                " for selector {}",
                writer::format_label_selector(Some(sel))
            );
        }
        w!(w, LEVEL_0, "\n");
    }
}

/// `DescribePodTemplate`.
pub fn template(w: &mut PrefixWriter, template: &corev1::PodTemplateSpec) {
    w!(w, LEVEL_0, "Pod Template:\n");
    let meta = template.metadata.clone().unwrap_or_default();
    let spec = template.spec.clone().unwrap_or_default();
    writer::labels(w, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        writer::annotations(w, "  Annotations", meta.annotations.as_ref());
    }
    if let Some(sa) = spec.service_account_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_1, "Service Account:\t{sa}\n");
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(w, "Init Containers", init, None, None, "  ");
    }
    containers(w, "Containers", &spec.containers, None, None, "  ");
    volumes(w, spec.volumes.as_deref().unwrap_or(&[]), "  ");
    topology_spread(w, spec.topology_spread_constraints.as_deref(), "  ");
    if let Some(pc) = spec.priority_class_name.as_ref().filter(|s| !s.is_empty()) {
        w!(w, LEVEL_1, "Priority Class Name:\t{pc}\n");
    }
    writer::labels(w, "  Node-Selectors", spec.node_selector.as_ref());
    writer::tolerations(w, "", "  Tolerations", spec.tolerations.as_ref());
}

/// Resolves `fieldRef` env values as the kubelet would (EnvValueRetriever).
struct EnvResolver<'a> {
    pod: &'a corev1::Pod,
}

impl EnvResolver<'_> {
    fn field(&self, path: &str) -> String {
        let m = &self.pod.metadata;
        let spec = self.pod.spec.as_ref();
        let status = self.pod.status.as_ref();
        let from_map = |map: Option<&BTreeMap<String, String>>, rest: &str| {
            let key = rest.trim_start_matches("['").trim_end_matches("']");
            map.and_then(|m| m.get(key)).cloned().unwrap_or_default()
        };
        match path {
            "metadata.name" => m.name.clone().unwrap_or_default(),
            "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
            "metadata.uid" => m.uid.clone().unwrap_or_default(),
            "spec.nodeName" => spec.and_then(|s| s.node_name.clone()).unwrap_or_default(),
            "spec.serviceAccountName" => spec
                .and_then(|s| s.service_account_name.clone())
                .unwrap_or_default(),
            "status.podIP" => status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
            "status.hostIP" => status.and_then(|s| s.host_ip.clone()).unwrap_or_default(),
            p if p.starts_with("metadata.labels[") => {
                from_map(m.labels.as_ref(), &p["metadata.labels".len()..])
            }
            p if p.starts_with("metadata.annotations[") => {
                from_map(m.annotations.as_ref(), &p["metadata.annotations".len()..])
            }
            _ => String::new(),
        }
    }
}

/// `describeContainers`; `statuses` is None for templates (no status lines at all).
fn containers(
    w: &mut PrefixWriter,
    label: &str,
    list: &[corev1::Container],
    statuses: Option<&[corev1::ContainerStatus]>,
    env: Option<&EnvResolver<'_>>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w!(w, LEVEL_0, "{space}{label}:{none}\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let st = statuses.and_then(|s| s.iter().find(|s| s.name == c.name));
        w!(w, LEVEL_1, "{name_indent}{}:\n", c.name);
        if let Some(st) = st {
            w!(
                w,
                LEVEL_2,
                "Container ID:\t{}\n",
                st.container_id.as_deref().unwrap_or("")
            );
        }
        w!(w, LEVEL_2, "Image:\t{}\n", c.image.as_deref().unwrap_or(""));
        if let Some(st) = st {
            w!(w, LEVEL_2, "Image ID:\t{}\n", st.image_id);
        }
        let ports = c.ports.as_deref().unwrap_or(&[]);
        let port_list = |host: bool| -> String {
            ports
                .iter()
                .map(|p| {
                    let n = if host {
                        p.host_port.unwrap_or(0)
                    } else {
                        p.container_port
                    };
                    let mut s = format!("{n}/{}", p.protocol.as_deref().unwrap_or("TCP"));
                    if let Some(name) = p.name.as_ref().filter(|n| !n.is_empty()) {
                        s = format!("{s} ({name})");
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let ps = port_list(false);
        if ps.contains(',') {
            w!(w, LEVEL_2, "Ports:\t{ps}\n");
        } else {
            w!(w, LEVEL_2, "Port:\t{}\n", or_none(&ps));
        }
        let hps = port_list(true);
        if hps.contains(',') {
            w!(w, LEVEL_2, "Host Ports:\t{hps}\n");
        } else {
            w!(w, LEVEL_2, "Host Port:\t{}\n", or_none(&hps));
        }
        if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
            w!(w, LEVEL_2, "Command:\n");
            for s in cmd.iter().flat_map(|x| x.split('\n')) {
                w!(w, LEVEL_3, "{s}\n");
            }
        }
        if let Some(args) = c.args.as_ref().filter(|c| !c.is_empty()) {
            w!(w, LEVEL_2, "Args:\n");
            for s in args.iter().flat_map(|x| x.split('\n')) {
                w!(w, LEVEL_3, "{s}\n");
            }
        }
        if let Some(st) = st {
            let default = corev1::ContainerState::default();
            container_state(w, "State", st.state.as_ref().unwrap_or(&default));
            if let Some(last) = st.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                container_state(w, "Last State", last);
            }
            w!(w, LEVEL_2, "Ready:\t{}\n", writer::bool_text(st.ready));
            w!(w, LEVEL_2, "Restart Count:\t{}\n", st.restart_count);
        }
        if let Some(r) = &c.resources {
            resources(w, r, LEVEL_2);
        }
        if let Some(p) = &c.liveness_probe {
            w!(w, LEVEL_2, "Liveness:\t{}\n", probe_text(p));
        }
        if let Some(p) = &c.readiness_probe {
            w!(w, LEVEL_2, "Readiness:\t{}\n", probe_text(p));
        }
        if let Some(p) = &c.startup_probe {
            w!(w, LEVEL_2, "Startup:\t{}\n", probe_text(p));
        }
        if let Some(from) = c.env_from.as_ref().filter(|e| !e.is_empty()) {
            w!(w, LEVEL_2, "Environment Variables from:\n");
            for e in from {
                let (kind, name, optional) = if let Some(r) = &e.config_map_ref {
                    ("ConfigMap", r.name.clone(), r.optional.unwrap_or(false))
                } else if let Some(r) = &e.secret_ref {
                    ("Secret", r.name.clone(), r.optional.unwrap_or(false))
                } else {
                    ("", String::new(), false)
                };
                match e.prefix.as_deref().filter(|p| !p.is_empty()) {
                    None => w!(w, LEVEL_3, "{name}\t{kind}\tOptional: {optional}\n"),
                    Some(p) => w!(
                        w,
                        LEVEL_3,
                        "{name}\t{kind} with prefix '{p}'\tOptional: {optional}\n"
                    ),
                }
            }
        }
        env_vars(w, c, env);
        mounts(w, c);
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "<none>" } else { s }
}

fn env_vars(w: &mut PrefixWriter, c: &corev1::Container, resolver: Option<&EnvResolver<'_>>) {
    let envs = c.env.as_deref().unwrap_or(&[]);
    let none = if envs.is_empty() { "\t<none>" } else { "" };
    w!(w, LEVEL_2, "Environment:{none}\n");
    for e in envs {
        let Some(from) = &e.value_from else {
            for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    w!(w, LEVEL_3, "{}:\t{s}\n", e.name);
                } else {
                    w!(w, LEVEL_3, "\t{s}\n");
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let v = resolver.map(|r| r.field(&f.field_path)).unwrap_or_default();
            w!(
                w,
                LEVEL_3,
                "{}:\t{v} ({}:{})\n",
                e.name,
                f.api_version.as_deref().unwrap_or("v1"),
                f.field_path
            );
        } else if let Some(r) = &from.resource_field_ref {
            let v = resource_field_value(c, &r.resource);
            w!(w, LEVEL_3, "{}:\t{v} ({})\n", e.name, r.resource);
        } else if let Some(s) = &from.secret_key_ref {
            w!(
                w,
                LEVEL_3,
                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                e.name,
                s.key,
                s.name,
                s.optional.unwrap_or(false)
            );
        } else if let Some(s) = &from.config_map_key_ref {
            w!(
                w,
                LEVEL_3,
                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                e.name,
                s.key,
                s.name,
                s.optional.unwrap_or(false)
            );
        }
    }
}

/// resourcehelper.ExtractContainerResourceValue with divisor 1; an unset limit reads as
/// `node allocatable`.
fn resource_field_value(c: &corev1::Container, resource: &str) -> String {
    let r = c.resources.clone().unwrap_or_default();
    let (map, name) = match resource.split_once('.') {
        Some(("limits", n)) => (r.limits, n),
        Some(("requests", n)) => (r.requests, n),
        _ => return String::new(),
    };
    let q = map.and_then(|m| m.get(name).cloned());
    match (q, resource) {
        (Some(q), _) => {
            let parsed = machinery::quantity::Quantity::parse(&q.0).ok();
            match (parsed, name) {
                (Some(p), "cpu") => ((p.milli_value() + 999) / 1000).to_string(),
                (Some(p), _) => p.value().to_string(),
                (None, _) => String::new(),
            }
        }
        (None, "limits.cpu" | "limits.memory") => "node allocatable".into(),
        (None, _) => "0".into(),
    }
}

fn mounts(w: &mut PrefixWriter, c: &corev1::Container) {
    let mut list: Vec<&corev1::VolumeMount> = c.volume_mounts.iter().flatten().collect();
    let none = if list.is_empty() { "\t<none>" } else { "" };
    w!(w, LEVEL_2, "Mounts:{none}\n");
    machinery::sort::sort_by(&mut list, |a, b| a.mount_path.cmp(&b.mount_path));
    for m in list {
        let mut flags = vec![
            if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            }
            .to_string(),
        ];
        if let Some(sp) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
            flags.push(format!("path={sp:?}"));
        }
        w!(
            w,
            LEVEL_3,
            "{} from {} ({})\n",
            m.mount_path,
            m.name,
            flags.join(",")
        );
    }
    if let Some(devs) = c.volume_devices.as_ref().filter(|d| !d.is_empty()) {
        w!(w, LEVEL_2, "Devices:\n");
        for d in devs {
            w!(w, LEVEL_3, "{} from {}\n", d.device_path, d.name);
        }
    }
}

/// `describeResources`: Limits then Requests, names sorted.
pub fn resources(w: &mut PrefixWriter, r: &corev1::ResourceRequirements, level: usize) {
    for (title, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
        let Some(list) = list.as_ref().filter(|l| !l.is_empty()) else {
            continue;
        };
        w!(w, level, "{title}:\n");
        for (name, q) in list {
            w!(w, level + 1, "{name}:\t{}\n", quantity_text(q));
        }
    }
}

fn container_state(w: &mut PrefixWriter, label: &str, st: &corev1::ContainerState) {
    if let Some(r) = &st.running {
        w!(w, LEVEL_2, "{label}:\tRunning\n");
        w!(
            w,
            LEVEL_3,
            "Started:\t{}\n",
            r.started_at
                .as_ref()
                .map(time_text)
                .unwrap_or_else(zero_time)
        );
    } else if let Some(wt) = &st.waiting {
        w!(w, LEVEL_2, "{label}:\tWaiting\n");
        if let Some(r) = wt.reason.as_ref().filter(|s| !s.is_empty()) {
            w!(w, LEVEL_3, "Reason:\t{r}\n");
        }
    } else if let Some(t) = &st.terminated {
        w!(w, LEVEL_2, "{label}:\tTerminated\n");
        if let Some(r) = t.reason.as_ref().filter(|s| !s.is_empty()) {
            w!(w, LEVEL_3, "Reason:\t{r}\n");
        }
        if let Some(m) = t.message.as_ref().filter(|s| !s.is_empty()) {
            w!(w, LEVEL_3, "Message:\t{m}\n");
        }
        w!(w, LEVEL_3, "Exit Code:\t{}\n", t.exit_code);
        if let Some(s) = t.signal.filter(|s| *s > 0) {
            w!(w, LEVEL_3, "Signal:\t{s}\n");
        }
        w!(
            w,
            LEVEL_3,
            "Started:\t{}\n",
            t.started_at
                .as_ref()
                .map(time_text)
                .unwrap_or_else(zero_time)
        );
        w!(
            w,
            LEVEL_3,
            "Finished:\t{}\n",
            t.finished_at
                .as_ref()
                .map(time_text)
                .unwrap_or_else(zero_time)
        );
    } else {
        w!(w, LEVEL_2, "{label}:\tWaiting\n");
    }
}

/// Go's zero `time.Time` in RFC1123Z.
fn zero_time() -> String {
    "Mon, 01 Jan 0001 00:00:00 +0000".into()
}

/// `DescribeProbe`: `http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn probe_text(p: &corev1::Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let port = |v: &IntOrString| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(e) = &p.exec {
        return format!(
            "exec [{}] {attrs}",
            e.command.clone().unwrap_or_default().join(" ")
        );
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.as_deref().unwrap_or("");
        let p = port(&h.port);
        let hostport = if host.contains(':') {
            format!("[{host}]:{p}")
        } else {
            format!("{host}:{p}")
        };
        return format!(
            "http-get {scheme}://{hostport}{} {attrs}",
            h.path.as_deref().unwrap_or("")
        );
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or(""),
            port(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.as_deref().unwrap_or("")
        );
    }
    format!("unknown {attrs}")
}

/// `describeVolumes`.
pub fn volumes(w: &mut PrefixWriter, volumes: &[corev1::Volume], space: &str) {
    if volumes.is_empty() {
        w!(w, LEVEL_0, "{space}Volumes:\t<none>\n");
        return;
    }
    w!(w, LEVEL_0, "{space}Volumes:\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w!(w, LEVEL_1, "{name_indent}{}:\n", v.name);
        if let Some(h) = &v.host_path {
            w!(
                w,
                LEVEL_2,
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                h.path,
                h.type_.as_deref().unwrap_or("<none>")
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .map(quantity_text)
                .filter(|s| s != "0")
                .unwrap_or_else(|| "<unset>".into());
            w!(
                w,
                LEVEL_2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                e.medium.as_deref().unwrap_or("")
            );
        } else if let Some(s) = &v.secret {
            w!(
                w,
                LEVEL_2,
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s.secret_name.as_deref().unwrap_or(""),
                s.optional.unwrap_or(false)
            );
        } else if let Some(c) = &v.config_map {
            w!(
                w,
                LEVEL_2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                c.name,
                c.optional.unwrap_or(false)
            );
        } else if let Some(n) = &v.nfs {
            w!(
                w,
                LEVEL_2,
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                n.server,
                n.path,
                n.read_only.unwrap_or(false)
            );
        } else if let Some(c) = &v.persistent_volume_claim {
            w!(
                w,
                LEVEL_2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                c.claim_name,
                c.read_only.unwrap_or(false)
            );
        } else if let Some(d) = &v.downward_api {
            w!(
                w,
                LEVEL_2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n"
            );
            for item in d.items.iter().flatten() {
                if let Some(f) = &item.field_ref {
                    w!(w, LEVEL_3, "{} -> {}\n", f.field_path, item.path);
                }
                if let Some(r) = &item.resource_field_ref {
                    w!(w, LEVEL_3, "{} -> {}\n", r.resource, item.path);
                }
            }
        } else if let Some(p) = &v.projected {
            w!(
                w,
                LEVEL_2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
            );
            for s in p.sources.iter().flatten() {
                if let Some(sec) = &s.secret {
                    w!(
                        w,
                        LEVEL_2,
                        "SecretName:\t{}\n    Optional:\t{}\n",
                        sec.name,
                        sec.optional.unwrap_or(false)
                    );
                } else if s.downward_api.is_some() {
                    w!(w, LEVEL_2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &s.config_map {
                    w!(
                        w,
                        LEVEL_2,
                        "ConfigMapName:\t{}\n    Optional:\t{}\n",
                        cm.name,
                        cm.optional.unwrap_or(false)
                    );
                } else if let Some(t) = &s.service_account_token {
                    w!(
                        w,
                        LEVEL_2,
                        "TokenExpirationSeconds:\t{}\n",
                        t.expiration_seconds.unwrap_or(3600)
                    );
                }
            }
        } else if let Some(g) = &v.gce_persistent_disk {
            w!(
                w,
                LEVEL_2,
                "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
                g.pd_name,
                g.fs_type.as_deref().unwrap_or(""),
                g.partition.unwrap_or(0),
                g.read_only.unwrap_or(false)
            );
        } else if let Some(g) = &v.git_repo {
            // describe.go printGitRepoVolumeSource.
            w!(
                w,
                LEVEL_2,
                "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                g.repository,
                g.revision.as_deref().unwrap_or("")
            );
        } else if let Some(e) = &v.ephemeral {
            w!(
                w,
                LEVEL_2,
                "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"
            );
            let _ = e;
        } else {
            w!(w, LEVEL_1, "<unknown>\n");
        }
    }
}
