//! `kubectl describe`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.34): each describer
//! writes `Label:\tvalue` lines through a tab writer (minwidth 0, padding 2), nested blocks
//! indented by two blanks, and ends with the Events table of the object. An exact name is
//! tried first; failing that, every object whose name starts with the argument is described.
//!
//! Describers exist for Pod, ReplicaSet, ReplicationController, Deployment, Service,
//! Namespace, ConfigMap and Node; other kinds get the generic metadata block.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use api::Object;
use cluster::SimTime;
use cluster::apiserver::ListOptions;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::Ctx;
use crate::errors::KubectlError;
use crate::render::tabwriter;
use crate::resources::{self, Target};
use crate::{Env, Outcome, manifest};

/// Runs `kubectl describe`.
///
/// # Errors
/// Usage errors, unknown types and NotFound.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    let selector = p.string("selector").unwrap_or("").to_string();
    let mut objs: Vec<Arc<Object>> = Vec::new();
    let mut errors = Vec::new();
    if !filenames.is_empty() {
        for doc in manifest::read(&filenames, p.bool("recursive"), env)? {
            match doc.result {
                Ok(d) => {
                    let info = d.object.kind_info();
                    let ns = d
                        .object
                        .namespace()
                        .map(str::to_string)
                        .unwrap_or_else(|| ctx.namespace.clone());
                    match env.store.get(
                        info,
                        info.namespaced.then_some(ns.as_str()),
                        d.object.name(),
                    ) {
                        Ok(o) => objs.push(o),
                        Err(e) => errors.push(KubectlError::from(e)),
                    }
                }
                Err(e) => errors.push(KubectlError::Raw(manifest::decode_error_text(
                    &e,
                    "describing",
                ))),
            }
        }
    } else {
        if p.args.is_empty() {
            out.err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
            return Err(ctx.usage("Required resource not specified."));
        }
        let all_ns = ctx.all_namespaces();
        for t in resources::resolve_args(&p.args)? {
            let info = t.info();
            let ns = if info.namespaced && !all_ns {
                Some(ctx.namespace.as_str())
            } else {
                None
            };
            match &t {
                Target::All(_) => {
                    let opts = ListOptions {
                        label_selector: selector.clone(),
                        ..Default::default()
                    };
                    match env.store.list(info, ns, &opts) {
                        Ok(l) => objs.extend(l.items),
                        Err(e) => errors.push(e.into()),
                    }
                }
                Target::Named(_, name) => match env.store.get(
                    info,
                    info.namespaced.then_some(ctx.namespace.as_str()),
                    name,
                ) {
                    Ok(o) => objs.push(o),
                    Err(e) => {
                        // describe.go: fall back to a name prefix match.
                        let prefixed: Vec<Arc<Object>> = env
                            .store
                            .list(
                                info,
                                info.namespaced.then_some(ctx.namespace.as_str()),
                                &ListOptions::default(),
                            )
                            .map(|l| l.items)
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|o| o.name().starts_with(name.as_str()))
                            .collect();
                        if prefixed.is_empty() {
                            errors.push(e.into());
                        } else {
                            objs.extend(prefixed);
                        }
                    }
                },
            }
        }
    }
    let show_events = !p.has("show-events") || p.bool("show-events");
    let mut first = true;
    for o in &objs {
        if !first {
            out.out("");
            out.out("");
        }
        first = false;
        out.out_block(&describe(o, env, show_events));
    }
    if objs.is_empty() && errors.is_empty() {
        if ctx.all_namespaces() {
            out.err("No resources found");
        } else {
            out.err(format!(
                "No resources found in {} namespace.",
                ctx.namespace
            ));
        }
    }
    for e in errors {
        out.err(e.to_string());
        out.exit_code = 1;
    }
    Ok(())
}

/// The describe text of one object.
pub fn describe(obj: &Object, env: &Env<'_>, show_events: bool) -> String {
    let now = env.store.now();
    let mut w = String::new();
    match obj {
        Object::Pod(pod) => describe_pod(pod, now, &mut w),
        Object::ConfigMap(cm) => {
            meta_block(obj, &mut w);
            w.push_str("\nData\n====\n");
            for (k, v) in cm.data.iter().flatten() {
                let _ = write!(w, "{k}:\n----\n{v}\n\n");
            }
            w.push_str("\nBinaryData\n====\n");
            for (k, v) in cm.binary_data.iter().flatten() {
                let _ = writeln!(w, "{k}: {} bytes", v.0.len());
            }
            w.push('\n');
        }
        Object::Namespace(ns) => {
            let _ = writeln!(w, "Name:\t{}", obj.name());
            let _ = writeln!(
                w,
                "Labels:\t{}",
                labels_text(obj.meta().labels.as_ref(), "\t")
            );
            let _ = writeln!(
                w,
                "Annotations:\t{}",
                labels_text(obj.meta().annotations.as_ref(), "\t")
            );
            let phase = ns
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default();
            let _ = writeln!(w, "Status:\t{phase}");
            w.push_str("\nNo resource quota.\n\nNo LimitRange resource.\n");
            return tabwriter::align(&w, 0, 2);
        }
        _ => meta_block(obj, &mut w),
    }
    if show_events {
        events_block(obj, env, now, &mut w);
    }
    tabwriter::align(&w, 0, 2)
}

fn meta_block(obj: &Object, w: &mut String) {
    let _ = writeln!(w, "Name:\t{}", obj.name());
    if obj.kind_info().namespaced {
        let _ = writeln!(w, "Namespace:\t{}", obj.namespace().unwrap_or(""));
    }
    let _ = writeln!(
        w,
        "Labels:\t{}",
        labels_text(obj.meta().labels.as_ref(), "\t")
    );
    let _ = writeln!(
        w,
        "Annotations:\t{}",
        labels_text(obj.meta().annotations.as_ref(), "\t")
    );
}

/// Mirrors describe.go printLabelsMultiline: one `k=v` per line, continuation lines start
/// with `indent`; `<none>` when empty.
fn labels_text(m: Option<&BTreeMap<String, String>>, indent: &str) -> String {
    match m {
        Some(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(&format!("\n{indent}")),
        _ => "<none>".into(),
    }
}

/// RFC1123Z as describe prints times: `Thu, 01 Jan 2026 00:00:05 +0000`.
fn time_text(t: &metav1::Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn describe_pod(pod: &corev1::Pod, now: SimTime, w: &mut String) {
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let _ = writeln!(w, "Name:\t{}", meta.name.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Namespace:\t{}", meta.namespace.as_deref().unwrap_or(""));
    let _ = writeln!(w, "Priority:\t{}", spec.priority.unwrap_or(0));
    if let Some(pc) = &spec.priority_class_name {
        let _ = writeln!(w, "Priority Class Name:\t{pc}");
    }
    let _ = writeln!(
        w,
        "Service Account:\t{}",
        spec.service_account_name.as_deref().unwrap_or("default")
    );
    match &spec.node_name {
        Some(n) => {
            let _ = writeln!(w, "Node:\t{n}/{}", status.host_ip.as_deref().unwrap_or(""));
        }
        None => {
            let _ = writeln!(w, "Node:\t<none>");
        }
    }
    if let Some(t) = &status.start_time {
        let _ = writeln!(w, "Start Time:\t{}", time_text(t));
    }
    let _ = writeln!(w, "Labels:\t{}", labels_text(meta.labels.as_ref(), "\t"));
    let _ = writeln!(
        w,
        "Annotations:\t{}",
        labels_text(meta.annotations.as_ref(), "\t")
    );
    if let Some(t) = &meta.deletion_timestamp {
        let _ = writeln!(
            w,
            "Status:\tTerminating (lasts {})",
            machinery::duration::human_duration_ms(now.millis_since(t).abs())
        );
        if let Some(g) = meta.deletion_grace_period_seconds {
            let _ = writeln!(w, "Termination Grace Period:\t{g}s");
        }
    } else {
        let _ = writeln!(w, "Status:\t{}", status.phase.as_deref().unwrap_or(""));
    }
    if let Some(r) = &status.reason {
        let _ = writeln!(w, "Reason:\t{r}");
    }
    if let Some(m) = &status.message {
        let _ = writeln!(w, "Message:\t{m}");
    }
    let _ = writeln!(w, "IP:\t{}", status.pod_ip.as_deref().unwrap_or(""));
    let ips: Vec<String> = status
        .pod_ips
        .iter()
        .flatten()
        .map(|i| i.ip.clone())
        .collect();
    if ips.is_empty() {
        let _ = writeln!(w, "IPs:\t<none>");
    } else {
        w.push_str("IPs:\n");
        for ip in ips {
            let _ = writeln!(w, "  IP:\t{ip}");
        }
    }
    if let Some(refs) = meta
        .owner_references
        .as_ref()
        .and_then(|r| r.iter().find(|o| o.controller == Some(true)))
    {
        let _ = writeln!(w, "Controlled By:\t{}/{}", refs.kind, refs.name);
    }
    let statuses = status.container_statuses.clone().unwrap_or_default();
    w.push_str("Containers:\n");
    for c in &spec.containers {
        let st = statuses.iter().find(|s| s.name == c.name);
        let _ = writeln!(w, "  {}:", c.name);
        let _ = writeln!(
            w,
            "    Container ID:\t{}",
            st.and_then(|s| s.container_id.clone()).unwrap_or_default()
        );
        let _ = writeln!(w, "    Image:\t{}", c.image.as_deref().unwrap_or(""));
        let _ = writeln!(
            w,
            "    Image ID:\t{}",
            st.map(|s| s.image_id.clone()).unwrap_or_default()
        );
        let ports = c.ports.clone().unwrap_or_default();
        match ports.as_slice() {
            [] => {
                let _ = writeln!(w, "    Port:\t<none>");
                let _ = writeln!(w, "    Host Port:\t<none>");
            }
            [one] => {
                let proto = one.protocol.as_deref().unwrap_or("TCP");
                let _ = writeln!(w, "    Port:\t{}/{proto}", one.container_port);
                let _ = writeln!(w, "    Host Port:\t{}/{proto}", one.host_port.unwrap_or(0));
            }
            many => {
                let p: Vec<String> = many
                    .iter()
                    .map(|x| {
                        format!(
                            "{}/{}",
                            x.container_port,
                            x.protocol.as_deref().unwrap_or("TCP")
                        )
                    })
                    .collect();
                let h: Vec<String> = many
                    .iter()
                    .map(|x| {
                        format!(
                            "{}/{}",
                            x.host_port.unwrap_or(0),
                            x.protocol.as_deref().unwrap_or("TCP")
                        )
                    })
                    .collect();
                let _ = writeln!(w, "    Ports:\t{}", p.join(", "));
                let _ = writeln!(w, "    Host Ports:\t{}", h.join(", "));
            }
        }
        if let Some(cmd) = &c.command {
            w.push_str("    Command:\n");
            for x in cmd {
                let _ = writeln!(w, "      {x}");
            }
        }
        if let Some(args) = &c.args {
            w.push_str("    Args:\n");
            for x in args {
                let _ = writeln!(w, "      {x}");
            }
        }
        container_state(w, "State", st.and_then(|s| s.state.as_ref()));
        if let Some(last) = st
            .and_then(|s| s.last_state.as_ref())
            .filter(|l| l.running.is_some() || l.waiting.is_some() || l.terminated.is_some())
        {
            container_state(w, "Last State", Some(last));
        }
        let _ = writeln!(
            w,
            "    Ready:\t{}",
            if st.is_some_and(|s| s.ready) {
                "True"
            } else {
                "False"
            }
        );
        let _ = writeln!(
            w,
            "    Restart Count:\t{}",
            st.map_or(0, |s| s.restart_count)
        );
        if let Some(p) = &c.liveness_probe {
            let _ = writeln!(w, "    Liveness:\t{}", probe_text(p));
        }
        if let Some(p) = &c.readiness_probe {
            let _ = writeln!(w, "    Readiness:\t{}", probe_text(p));
        }
        let envs = c.env.clone().unwrap_or_default();
        if envs.is_empty() {
            let _ = writeln!(w, "    Environment:\t<none>");
        } else {
            w.push_str("    Environment:\n");
            for e in envs {
                let _ = writeln!(w, "      {}:\t{}", e.name, e.value.unwrap_or_default());
            }
        }
        let mounts = c.volume_mounts.clone().unwrap_or_default();
        if mounts.is_empty() {
            let _ = writeln!(w, "    Mounts:\t<none>");
        } else {
            w.push_str("    Mounts:\n");
            for m in mounts {
                let ro = if m.read_only == Some(true) {
                    "ro"
                } else {
                    "rw"
                };
                let _ = writeln!(w, "      {} from {} ({ro})", m.mount_path, m.name);
            }
        }
    }
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.push_str("Conditions:\n  Type\tStatus\n");
        for c in conditions {
            let _ = writeln!(w, "  {}\t{} ", c.type_, c.status);
        }
    }
    let volumes = spec.volumes.clone().unwrap_or_default();
    if volumes.is_empty() {
        let _ = writeln!(w, "Volumes:\t<none>");
    } else {
        w.push_str("Volumes:\n");
        for v in volumes {
            let _ = writeln!(w, "  {}:", v.name);
            if v.empty_dir.is_some() {
                w.push_str("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n");
            } else if let Some(cm) = v.config_map {
                let _ = writeln!(
                    w,
                    "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}",
                    cm.name,
                    cm.optional.unwrap_or(false)
                );
            } else if let Some(s) = v.secret {
                let _ = writeln!(
                    w,
                    "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}",
                    s.secret_name.unwrap_or_default(),
                    s.optional.unwrap_or(false)
                );
            } else if let Some(h) = v.host_path {
                let _ = writeln!(
                    w,
                    "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}",
                    h.path,
                    h.type_.unwrap_or_default()
                );
            } else if let Some(pvc) = v.persistent_volume_claim {
                let _ = writeln!(
                    w,
                    "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}",
                    pvc.claim_name,
                    pvc.read_only.unwrap_or(false)
                );
            }
        }
    }
    let _ = writeln!(
        w,
        "QoS Class:\t{}",
        status.qos_class.as_deref().unwrap_or("BestEffort")
    );
    let _ = writeln!(
        w,
        "Node-Selectors:\t{}",
        labels_text(spec.node_selector.as_ref(), "\t")
    );
    let tolerations: Vec<String> = spec
        .tolerations
        .iter()
        .flatten()
        .map(toleration_text)
        .collect();
    let _ = writeln!(
        w,
        "Tolerations:\t{}",
        if tolerations.is_empty() {
            "<none>".into()
        } else {
            tolerations.join("\n\t")
        }
    );
}

fn container_state(w: &mut String, label: &str, st: Option<&corev1::ContainerState>) {
    match st {
        Some(s) if s.running.is_some() => {
            let _ = writeln!(w, "    {label}:\tRunning");
            if let Some(t) = s.running.as_ref().and_then(|r| r.started_at.as_ref()) {
                let _ = writeln!(w, "      Started:\t{}", time_text(t));
            }
        }
        Some(s) if s.waiting.is_some() => {
            let _ = writeln!(w, "    {label}:\tWaiting");
            if let Some(r) = s.waiting.as_ref().and_then(|x| x.reason.as_ref()) {
                let _ = writeln!(w, "      Reason:\t{r}");
            }
        }
        Some(s) if s.terminated.is_some() => {
            let _ = writeln!(w, "    {label}:\tTerminated");
            if let Some(t) = &s.terminated {
                if let Some(r) = &t.reason {
                    let _ = writeln!(w, "      Reason:\t{r}");
                }
                let _ = writeln!(w, "      Exit Code:\t{}", t.exit_code);
                if let Some(x) = &t.started_at {
                    let _ = writeln!(w, "      Started:\t{}", time_text(x));
                }
                if let Some(x) = &t.finished_at {
                    let _ = writeln!(w, "      Finished:\t{}", time_text(x));
                }
            }
        }
        _ => {
            let _ = writeln!(w, "    {label}:\tWaiting");
        }
    }
}

/// Mirrors describeProbe: `http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
fn probe_text(p: &corev1::Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let port = |v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString| match v {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
    };
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        return format!(
            "http-get {scheme}://{}:{}{} {attrs}",
            h.host.as_deref().unwrap_or(""),
            port(&h.port),
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
    if let Some(e) = &p.exec {
        return format!(
            "exec [{}] {attrs}",
            e.command.clone().unwrap_or_default().join(" ")
        );
    }
    format!("unknown {attrs}")
}

/// Mirrors printTolerationsMultilineWithIndent: `key=value:Effect op=Exists for 300s`.
fn toleration_text(t: &corev1::Toleration) -> String {
    let mut s = t.key.clone().unwrap_or_default();
    if let Some(v) = t.value.as_ref().filter(|v| !v.is_empty()) {
        let _ = write!(s, "={v}");
    }
    if let Some(e) = t.effect.as_ref().filter(|e| !e.is_empty()) {
        let _ = write!(s, ":{e}");
    }
    if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or("").is_empty() {
        if t.key.as_deref().unwrap_or("").is_empty() {
            s = "op=Exists".into();
        } else {
            s.push_str(" op=Exists");
        }
    }
    if let Some(secs) = t.toleration_seconds {
        let _ = write!(s, " for {secs}s");
    }
    s
}

/// Mirrors DescribeEvents: `Events:  <none>`, or the table with `(xN over M)` ages.
fn events_block(obj: &Object, env: &Env<'_>, now: SimTime, w: &mut String) {
    let Some(info) = api::by_gvk("v1", "Event") else {
        return;
    };
    let uid = obj.meta().uid.clone().unwrap_or_default();
    let ns = obj.namespace().unwrap_or("default");
    let mut events: Vec<corev1::Event> = env
        .store
        .list(info, Some(ns), &ListOptions::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) if e.involved_object.uid.as_deref() == Some(uid.as_str()) => {
                Some(e.clone())
            }
            _ => None,
        })
        .collect();
    if events.is_empty() {
        w.push_str("Events:\t<none>\n");
        return;
    }
    events.sort_by_key(|e| {
        e.last_timestamp
            .as_ref()
            .or(e.first_timestamp.as_ref())
            .map(|t| t.0)
    });
    w.push_str(
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n",
    );
    for e in events {
        let age_of = |t: Option<&metav1::Time>| {
            t.map(|t| machinery::duration::human_duration_ms(now.millis_since(t)))
                .unwrap_or_else(|| "<unknown>".into())
        };
        let last = e.last_timestamp.as_ref().or(e.first_timestamp.as_ref());
        let count = e.count.unwrap_or(1);
        let age = if count > 1 {
            format!(
                "{} (x{count} over {})",
                age_of(last),
                age_of(e.first_timestamp.as_ref())
            )
        } else {
            age_of(last)
        };
        let source = e.source.as_ref().map(|s| {
            let c = s.component.clone().unwrap_or_default();
            match s.host.as_deref().filter(|h| !h.is_empty()) {
                Some(h) => format!("{c}, {h}"),
                None => c,
            }
        });
        let from = e
            .reporting_component
            .clone()
            .filter(|c| !c.is_empty())
            .or(source)
            .unwrap_or_default();
        let _ = writeln!(
            w,
            "  {}\t{}\t{age}\t{from}\t{}",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or("").trim()
        );
    }
}
