//! `kubectl cordon`, `uncordon` and `taint`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/drain/{cordon.go, uncordon.go} and
//! cmd/taint/taint.go (v1.34): `node/x cordoned`, `already cordoned`, `node/x tainted`,
//! `untainted`.

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use k8s_openapi::api::core::v1 as corev1;
use serde_json::json;

use super::Ctx;
use crate::errors::KubectlError;
use crate::{Env, Outcome};

fn node_info() -> Result<&'static api::KindInfo, KubectlError> {
    api::by_gvk("v1", "Node")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"nodes\""))
}

/// Runs `cordon` or `uncordon`.
///
/// # Errors
/// NotFound and usage errors.
pub fn cordon(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let want = ctx.path.ends_with(" cordon");
    let info = node_info()?;
    if ctx.parsed.args.is_empty() {
        return Err(ctx.usage("USAGE: cordon NODE [flags]"));
    }
    for name in &ctx.parsed.args {
        let node = env.store.get(info, None, name)?;
        let cur = match &*node {
            api::Object::Node(n) => n
                .spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false),
            _ => false,
        };
        let word = if want { "cordoned" } else { "uncordoned" };
        if cur == want {
            out.out(format!("node/{name} already {word}"));
            continue;
        }
        let body = if want {
            json!({"spec": {"unschedulable": true}})
        } else {
            json!({"spec": {"unschedulable": null}})
        };
        env.store.patch(
            info,
            None,
            name,
            PatchType::Strategic,
            &body,
            &PatchOptions::default(),
        )?;
        out.out(format!("node/{name} {word}"));
    }
    Ok(())
}

/// Runs `kubectl taint nodes NAME key=value:Effect|key:Effect-`.
///
/// # Errors
/// kubectl's taint errors.
pub fn taint(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let info = node_info()?;
    let args = &ctx.parsed.args;
    let (names, specs): (Vec<&String>, Vec<&String>) = match args.first().map(String::as_str) {
        Some("node") | Some("nodes") | Some("no") => {
            let rest: Vec<&String> = args[1..].iter().collect();
            let split = rest
                .iter()
                .position(|a| a.contains(':') || a.contains('=') || a.ends_with('-'))
                .unwrap_or(rest.len());
            (rest[..split].to_vec(), rest[split..].to_vec())
        }
        Some(other) if other.starts_with("node/") || other.starts_with("nodes/") => {
            (vec![&args[0]], args[1..].iter().collect())
        }
        Some(other) => {
            return Err(KubectlError::msg(format!(
                "invalid resource type {other}, only node types are supported"
            )));
        }
        None => return Err(ctx.usage("at least one taint update is required")),
    };
    if specs.is_empty() {
        return Err(ctx.usage("at least one taint update is required"));
    }
    for raw in names {
        let name = raw.rsplit('/').next().unwrap_or(raw);
        let node = env.store.get(info, None, name)?;
        let api::Object::Node(n) = &*node else {
            continue;
        };
        let mut taints: Vec<corev1::Taint> = n
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default();
        let mut removed = false;
        for spec in &specs {
            if let Some(s) = spec.strip_suffix('-') {
                let (key, effect) = match s.split_once(':') {
                    Some((k, e)) => (k.split('=').next().unwrap_or(k), Some(e)),
                    None => (s.split('=').next().unwrap_or(s), None),
                };
                let before = taints.len();
                taints.retain(|t| !(t.key == key && effect.is_none_or(|e| t.effect == e)));
                if taints.len() == before {
                    return Err(KubectlError::msg(format!("taint {s:?} not found")));
                }
                removed = true;
            } else {
                let Some((kv, effect)) = spec.split_once(':') else {
                    return Err(KubectlError::msg(format!(
                        "invalid taint spec: {spec}, unknown taint effect"
                    )));
                };
                if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                    return Err(KubectlError::msg(format!(
                        "invalid taint effect: {effect}, unsupported taint effect"
                    )));
                }
                let (key, value) = match kv.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (kv, None),
                };
                if let Some(t) = taints
                    .iter_mut()
                    .find(|t| t.key == key && t.effect == effect)
                {
                    if !ctx.parsed.bool("overwrite") {
                        return Err(KubectlError::msg(format!(
                            "node {name} already has {key} taint(s) with same effect(s) and --overwrite is false"
                        )));
                    }
                    t.value = value;
                } else {
                    taints.push(corev1::Taint {
                        key: key.to_string(),
                        value,
                        effect: effect.to_string(),
                        time_added: None,
                    });
                }
            }
        }
        let body = json!({"spec": {"taints": taints}});
        env.store.patch(
            info,
            None,
            name,
            PatchType::Merge,
            &body,
            &PatchOptions::default(),
        )?;
        out.out(format!(
            "node/{name} {}",
            if removed { "untainted" } else { "tainted" }
        ));
    }
    Ok(())
}

// ---- drain ----

/// Why a pod is left alone or blocks the drain (pkg/drain/filters.go messages).
const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
// Upstream words this one so that the error reads "cannot delete cannot delete …".
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// A filter's verdict on one pod (drain.PodDeleteStatus).
enum Verdict {
    Delete,
    DeleteWithWarning(&'static str),
    Skip,
    SkipWithWarning(&'static str),
    Error(&'static str),
}

/// The filters of drain.go `makeFilters`, run in order until one keeps the pod.
fn verdict(pod: &corev1::Pod, ctx: &Ctx, store: &cluster::Store) -> Verdict {
    let p = &ctx.parsed;
    let owner = pod
        .metadata
        .owner_references
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|r| r.controller == Some(true));
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    let finished = matches!(phase, "Succeeded" | "Failed");
    let mut last = Verdict::Delete;
    // daemonSetFilter
    if let Some(o) = owner.filter(|o| o.kind == "DaemonSet") {
        let exists = api::by_gvk("apps/v1", "DaemonSet").is_some_and(|i| {
            store
                .get(i, pod.metadata.namespace.as_deref(), &o.name)
                .is_ok()
        });
        if !exists && pod.metadata.deletion_timestamp.is_none() {
            return Verdict::Error("daemonset not found");
        }
        if !p.bool("ignore-daemonsets") {
            return Verdict::Error(DAEMONSET_FATAL);
        }
        return Verdict::SkipWithWarning(DAEMONSET_WARNING);
    }
    // mirrorPodFilter
    if pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
    {
        return Verdict::Skip;
    }
    // localStorageFilter
    let has_empty_dir = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .is_some_and(|v| v.iter().any(|v| v.empty_dir.is_some()));
    if has_empty_dir && !finished {
        if !p.bool("delete-emptydir-data") {
            return Verdict::Error(LOCAL_STORAGE_FATAL);
        }
        last = Verdict::DeleteWithWarning(LOCAL_STORAGE_WARNING);
    }
    // unreplicatedFilter
    if finished || owner.is_some() {
        return last;
    }
    if p.bool("force") {
        return Verdict::DeleteWithWarning(UNMANAGED_WARNING);
    }
    Verdict::Error(UNMANAGED_FATAL)
}

/// `msg: ns/a, ns/b` groups, sorted by message, as the pod delete list reports them.
fn grouped(entries: &[(&'static str, String)]) -> Vec<String> {
    let mut by: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (m, p) in entries {
        by.entry(m).or_default().push(p);
    }
    by.into_iter()
        .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
        .collect()
}

/// Runs `kubectl drain NODE`: cordon, then evict (or delete) the node's pods.
///
/// # Errors
/// NotFound and usage errors; pod-list problems are printed as kubectl does.
pub fn drain(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let info = node_info()?;
    let p = &ctx.parsed;
    if p.args.is_empty() {
        return Err(ctx.usage("USAGE: drain NODE [flags]"));
    }
    let dry = ctx.dry_run()?;
    let timeout_ns = crate::waiting::parse_timeout(ctx, "timeout", "0s")?;
    let name = p.args[0].clone();
    let node = env.store.get(info, None, &name)?;
    let cordoned = match &*node {
        api::Object::Node(n) => n
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false),
        _ => false,
    };
    if cordoned {
        out.out(format!("node/{name} already cordoned{}", dry.suffix()));
    } else {
        if dry == super::DryRun::None {
            env.store.patch(
                info,
                None,
                &name,
                PatchType::Strategic,
                &json!({"spec": {"unschedulable": true}}),
                &PatchOptions::default(),
            )?;
        }
        out.out(format!("node/{name} cordoned{}", dry.suffix()));
    }
    let pod_info = api::by_gvk("v1", "Pod")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"pods\""))?;
    let pods = env.store.list(
        pod_info,
        None,
        &cluster::apiserver::ListOptions {
            field_selector: format!("spec.nodeName={name}"),
            label_selector: p.string("pod-selector").unwrap_or("").to_string(),
            ..Default::default()
        },
    )?;
    let mut to_evict: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut warnings: Vec<(&'static str, String)> = Vec::new();
    for o in &pods.items {
        let api::Object::Pod(pod) = &**o else {
            continue;
        };
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        let pname = pod.metadata.name.clone().unwrap_or_default();
        let key = format!("{ns}/{pname}");
        match verdict(pod, ctx, env.store) {
            Verdict::Delete => to_evict.push((ns, pname)),
            Verdict::DeleteWithWarning(w) => {
                warnings.push((w, key));
                to_evict.push((ns, pname));
            }
            Verdict::Skip => {}
            Verdict::SkipWithWarning(w) => warnings.push((w, key)),
            Verdict::Error(e) => errors.push((e, key)),
        }
    }
    if !errors.is_empty() {
        let errs: Vec<String> = grouped(&errors)
            .into_iter()
            .map(|e| format!("cannot delete {e}"))
            .collect();
        let agg = if errs.len() == 1 {
            errs[0].clone()
        } else {
            format!("[{}]", errs.join(", "))
        };
        out.err(format!(
            "error: unable to drain node {name:?} due to error: {agg}, continuing command..."
        ));
        out.err("There are pending nodes to be drained:");
        out.err(format!(" {name}"));
        return Err(KubectlError::msg(agg));
    }
    if !warnings.is_empty() {
        out.err(format!("Warning: {}", grouped(&warnings).join("; ")));
    }
    if dry == super::DryRun::Client {
        for (ns, pn) in &to_evict {
            out.out(format!("evicting pod {ns}/{pn} (dry run)"));
        }
        out.out(format!("node/{name} drained (dry run)"));
        return Ok(());
    }
    let eviction = !p.bool("disable-eviction");
    for (ns, pn) in &to_evict {
        out.out(format!(
            "{} pod {ns}/{pn}",
            if eviction { "evicting" } else { "deleting" }
        ));
    }
    let now = env.store.now();
    let deadline = (timeout_ns > 0)
        .then(|| now + cluster::SimDuration::from_millis((timeout_ns / 1_000_000) as u64));
    let mut w = Drain {
        node: name,
        pods: to_evict
            .into_iter()
            .map(|(namespace, name)| DrainPod {
                namespace,
                name,
                state: PodState::Evict { at: now },
            })
            .collect(),
        eviction,
        grace: p.int("grace-period").filter(|g| *g >= 0),
        server_dry_run: dry == super::DryRun::Server,
        deadline,
        timeout_text: machinery::duration::go_duration_string(timeout_ns),
    };
    let first = crate::waiting::Waiter::poll(&mut w, env.store);
    out.lines.extend(first.lines);
    match first.exit {
        Some(code) => out.exit_code = code,
        None => out.wait = Some(crate::waiting::WaitStream::new(w)),
    }
    Ok(())
}

#[derive(Debug)]
enum PodState {
    /// Evict (or delete) at this instant (retries come 5 s apart).
    Evict {
        at: cluster::SimTime,
    },
    /// Evicted; waiting for this incarnation to be gone.
    Deleting {
        uid: String,
    },
    Done,
}

#[derive(Debug)]
struct DrainPod {
    namespace: String,
    name: String,
    state: PodState,
}

/// A running drain: evictions with budget retries, then the wait for the pods to go.
#[derive(Debug)]
struct Drain {
    node: String,
    pods: Vec<DrainPod>,
    eviction: bool,
    grace: Option<i64>,
    server_dry_run: bool,
    deadline: Option<cluster::SimTime>,
    timeout_text: String,
}

impl Drain {
    /// Tries one eviction (or delete); prints the retry notice for a budget refusal.
    fn attempt(
        &self,
        dp: &DrainPod,
        store: &mut cluster::Store,
        p: &mut crate::waiting::Progress,
    ) -> Result<PodState, String> {
        let pod_info = api::by_gvk("v1", "Pod").ok_or_else(String::new)?;
        let now = store.now();
        let uid = store
            .get(pod_info, Some(&dp.namespace), &dp.name)
            .ok()
            .and_then(|o| o.meta().uid.clone());
        let opts = cluster::apiserver::DeleteOptions {
            grace_period_seconds: self.grace,
            dry_run: self.server_dry_run,
            ..Default::default()
        };
        let r = if self.eviction {
            store.evict(&dp.namespace, &dp.name, &opts)
        } else {
            store
                .delete(pod_info, Some(&dp.namespace), &dp.name, &opts)
                .map(|_| ())
        };
        match r {
            Ok(()) if self.server_dry_run => Ok(PodState::Done),
            Ok(()) => Ok(PodState::Deleting {
                uid: uid.unwrap_or_default(),
            }),
            Err(cluster::StoreError::NotFound { .. }) => Ok(PodState::Done),
            Err(e @ cluster::StoreError::TooManyRequests(_)) => {
                p.err(&format!(
                    "error when evicting pods/{:?} -n {:?} (will retry after 5s): {e}",
                    dp.name, dp.namespace
                ));
                Ok(PodState::Evict {
                    at: now + cluster::SimDuration::from_secs(5),
                })
            }
            Err(e) => Err(format!(
                "error when evicting pods/{:?} -n {:?}: {e}",
                dp.name, dp.namespace
            )),
        }
    }

    /// drain.go's failure report for one node.
    fn fail(&self, err: &str, p: &mut crate::waiting::Progress) {
        let pending: Vec<&DrainPod> = self
            .pods
            .iter()
            .filter(|d| !matches!(d.state, PodState::Done))
            .collect();
        if !pending.is_empty() {
            p.err(&format!(
                "There are pending pods in node {:?} when an error occurred: {err}",
                self.node
            ));
            for d in pending {
                p.err(&format!("pod/{}", d.name));
            }
        }
        p.err(&format!(
            "error: unable to drain node {:?} due to error: {err}, continuing command...",
            self.node
        ));
        p.err("There are pending nodes to be drained:");
        p.err(&format!(" {}", self.node));
        p.err(&format!("error: {err}"));
        p.finish(1);
    }
}

impl crate::waiting::Waiter for Drain {
    fn poll(&mut self, store: &mut cluster::Store) -> crate::waiting::Progress {
        let mut p = crate::waiting::Progress::default();
        let now = store.now();
        let Some(pod_info) = api::by_gvk("v1", "Pod") else {
            p.finish(1);
            return p;
        };
        for i in 0..self.pods.len() {
            if let PodState::Evict { at } = self.pods[i].state
                && at <= now
            {
                match self.attempt(&self.pods[i], store, &mut p) {
                    Ok(s) => self.pods[i].state = s,
                    Err(e) => {
                        self.fail(&e, &mut p);
                        return p;
                    }
                }
            }
            let dp = &mut self.pods[i];
            if let PodState::Deleting { uid } = &dp.state {
                let gone = match store.get(pod_info, Some(&dp.namespace), &dp.name) {
                    Ok(o) => o.meta().uid.as_deref() != Some(uid.as_str()),
                    Err(_) => true,
                };
                if gone {
                    p.out(&format!(
                        "pod/{} {}",
                        dp.name,
                        if self.eviction { "evicted" } else { "deleted" }
                    ));
                    dp.state = PodState::Done;
                }
            }
        }
        if self.pods.iter().all(|d| matches!(d.state, PodState::Done)) {
            p.out(&format!("node/{} drained", self.node));
            p.finish(0);
        } else if self.deadline.is_some_and(|d| now >= d) {
            let err = format!("drain did not complete within {}", self.timeout_text);
            self.fail(&err, &mut p);
        }
        p
    }

    fn deadline(&self) -> Option<cluster::SimTime> {
        self.deadline
    }

    fn stop(&mut self, _store: &mut cluster::Store) {}
}
