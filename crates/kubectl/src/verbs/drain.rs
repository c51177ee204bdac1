//! `kubectl drain NODE… | --selector=…`: cordon every node, then evict (or delete) each
//! node's pods in turn.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go `RunDrain` and pkg/drain
//! (v1.34): all nodes are cordoned first; then, node by node, the pod filters
//! (`makeFilters`: DaemonSet, mirror, local storage, unreplicated) decide, warnings are
//! printed, pods are evicted with PodDisruptionBudget refusals retried every 5 s, and
//! `node/x drained` follows once they are gone. A node that fails is reported ("continuing
//! command...") and the next one is drained; at the end the failed nodes are listed as
//! pending and their errors aggregated.

use std::collections::VecDeque;

use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use k8s_openapi::api::core::v1 as corev1;
use serde_json::json;

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::waiting::{Progress, WaitStream, Waiter};
use crate::{Env, Outcome};

/// Why a pod is left alone or blocks the drain (pkg/drain/filters.go messages).
const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
// kubectl v1.34 puts "cannot delete " before every filter error (filters.go
// PodDeleteList.errors), so this one reads "cannot delete cannot delete …"; v1.36 drops
// the doubled words.
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// Runs `kubectl drain`.
///
/// # Errors
/// NotFound and usage errors; per-node problems are printed as kubectl does.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let info = node_info()?;
    let p = &ctx.parsed;
    let selector = p.string("selector").unwrap_or("").to_string();
    if p.args.is_empty() && !p.has("selector") {
        return Err(ctx.usage("USAGE: drain NODE [flags]"));
    }
    if !p.args.is_empty() && !selector.is_empty() {
        return Err(ctx.usage("error: cannot specify both a node name and a --selector option"));
    }
    let dry = ctx.dry_run()?;
    let timeout_ns = crate::waiting::parse_timeout(ctx, "timeout", "0s")?;
    let names: Vec<String> = if p.args.is_empty() {
        env.store
            .list(
                info,
                None,
                &cluster::apiserver::ListOptions {
                    label_selector: selector,
                    ..Default::default()
                },
            )?
            .items
            .iter()
            .map(|o| o.name().to_string())
            .collect()
    } else {
        for n in &p.args {
            env.store.get(info, None, n)?;
        }
        p.args.clone()
    };
    if names.is_empty() {
        // cordon.go: a selector that matched nothing.
        out.err("No resources found");
        return Ok(());
    }
    // RunCordonOrUncordon: every node first.
    for name in &names {
        let node = env.store.get(info, None, name)?;
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
            continue;
        }
        if dry == DryRun::None {
            env.store.patch(
                info,
                None,
                name,
                PatchType::Strategic,
                &json!({"spec": {"unschedulable": true}}),
                &PatchOptions::default(),
            )?;
        }
        out.out(format!("node/{name} cordoned{}", dry.suffix()));
    }
    let now = env.store.now();
    let mut w = Drain {
        nodes: names.into_iter().collect(),
        current: None,
        failed: Vec::new(),
        filters: Filters {
            ignore_daemonsets: p.bool("ignore-daemonsets"),
            delete_emptydir_data: p.bool("delete-emptydir-data"),
            force: p.bool("force"),
            pod_selector: p.string("pod-selector").unwrap_or("").to_string(),
        },
        dry,
        eviction: !p.bool("disable-eviction"),
        grace: p.int("grace-period").filter(|g| *g >= 0),
        deadline: (timeout_ns > 0)
            .then(|| now + cluster::SimDuration::from_millis((timeout_ns / 1_000_000) as u64)),
        timeout_text: machinery::duration::go_duration_string(timeout_ns),
    };
    let first = w.poll(env.store);
    out.extend(first.lines);
    match first.exit {
        Some(code) => out.exit_code = code,
        None => out.wait = Some(WaitStream::new(w)),
    }
    Ok(())
}

fn node_info() -> Result<&'static api::KindInfo, KubectlError> {
    api::by_gvk("v1", "Node")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"nodes\""))
}

/// The flags the pod filters read.
#[derive(Debug, Clone)]
struct Filters {
    ignore_daemonsets: bool,
    delete_emptydir_data: bool,
    force: bool,
    pod_selector: String,
}

/// A filter's verdict on one pod (drain.PodDeleteStatus).
enum Verdict {
    Delete,
    DeleteWithWarning(&'static str),
    Skip,
    SkipWithWarning(&'static str),
    Error(&'static str),
}

/// The filters of drain.go `makeFilters`, run in order until one keeps the pod.
fn verdict(pod: &corev1::Pod, f: &Filters, store: &cluster::Store) -> Verdict {
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
        if !f.ignore_daemonsets {
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
        if !f.delete_emptydir_data {
            return Verdict::Error(LOCAL_STORAGE_FATAL);
        }
        last = Verdict::DeleteWithWarning(LOCAL_STORAGE_WARNING);
    }
    // unreplicatedFilter
    if finished || owner.is_some() {
        return last;
    }
    if f.force {
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

enum PodState {
    /// Evict (or delete) at this instant (retries come 5 s apart).
    Evict { at: cluster::SimTime },
    /// Evicted; waiting for this incarnation to be gone.
    Deleting { uid: String },
    Done,
}

struct DrainPod {
    namespace: String,
    name: String,
    state: PodState,
}

/// The node being drained and its pods.
struct NodeDrain {
    node: String,
    pods: Vec<DrainPod>,
}

/// A running drain: nodes one after another, each with its evictions, budget retries and
/// the wait for its pods to go.
struct Drain {
    /// Nodes not started yet.
    nodes: VecDeque<String>,
    current: Option<NodeDrain>,
    /// Nodes that failed, with their errors.
    failed: Vec<(String, String)>,
    filters: Filters,
    dry: DryRun,
    eviction: bool,
    grace: Option<i64>,
    deadline: Option<cluster::SimTime>,
    timeout_text: String,
}

impl Drain {
    /// Lists a node's pods and decides on each; prints the warnings and the evictions, or
    /// fails the node when a filter refuses a pod.
    fn start(&mut self, node: String, store: &cluster::Store, p: &mut Progress) {
        let Some(pod_info) = api::by_gvk("v1", "Pod") else {
            return;
        };
        let pods = match store.list(
            pod_info,
            None,
            &cluster::apiserver::ListOptions {
                field_selector: format!("spec.nodeName={node}"),
                label_selector: self.filters.pod_selector.clone(),
                ..Default::default()
            },
        ) {
            Ok(l) => l.items,
            Err(e) => {
                self.node_failed(&node, &e.to_string(), &[], p);
                return;
            }
        };
        let mut to_evict: Vec<(String, String)> = Vec::new();
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let mut warnings: Vec<(&'static str, String)> = Vec::new();
        for o in &pods {
            let api::Object::Pod(pod) = &**o else {
                continue;
            };
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let pname = pod.metadata.name.clone().unwrap_or_default();
            let key = format!("{ns}/{pname}");
            match verdict(pod, &self.filters, store) {
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
            self.node_failed(&node, &agg, &[], p);
            return;
        }
        if !warnings.is_empty() {
            p.err(&format!("Warning: {}", grouped(&warnings).join("; ")));
        }
        if self.dry == DryRun::Client {
            for (ns, pn) in &to_evict {
                p.out(&format!("evicting pod {ns}/{pn} (dry run)"));
            }
            p.out(&format!("node/{node} drained (dry run)"));
            return;
        }
        for (ns, pn) in &to_evict {
            p.out(&format!(
                "{} pod {ns}/{pn}",
                if self.eviction { "evicting" } else { "deleting" }
            ));
        }
        let now = store.now();
        self.current = Some(NodeDrain {
            node,
            pods: to_evict
                .into_iter()
                .map(|(namespace, name)| DrainPod {
                    namespace,
                    name,
                    state: PodState::Evict { at: now },
                })
                .collect(),
        });
    }

    /// Tries one eviction (or delete); prints the retry notice for a budget refusal.
    fn attempt(
        &self,
        dp: &DrainPod,
        store: &mut cluster::Store,
        p: &mut Progress,
    ) -> Result<PodState, String> {
        let pod_info = api::by_gvk("v1", "Pod").ok_or_else(String::new)?;
        let now = store.now();
        let uid = store
            .get(pod_info, Some(&dp.namespace), &dp.name)
            .ok()
            .and_then(|o| o.meta().uid.clone());
        let server_dry_run = self.dry == DryRun::Server;
        let opts = cluster::apiserver::DeleteOptions {
            grace_period_seconds: self.grace,
            dry_run: server_dry_run,
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
            Ok(()) if server_dry_run => Ok(PodState::Done),
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

    /// drain.go's report for a node that could not be drained; the command goes on with
    /// the next node.
    fn node_failed(&mut self, node: &str, err: &str, pending: &[&DrainPod], p: &mut Progress) {
        if !pending.is_empty() {
            p.err(&format!(
                "There are pending pods in node {node:?} when an error occurred: {err}"
            ));
            for d in pending {
                p.err(&format!("pod/{}", d.name));
            }
        }
        p.err(&format!(
            "error: unable to drain node {node:?} due to error: {err}, continuing command..."
        ));
        self.failed.push((node.to_string(), err.to_string()));
    }

    /// Evicts what is due and notices pods that are gone; true when the node is drained.
    fn step(&mut self, store: &mut cluster::Store, p: &mut Progress) -> Result<bool, String> {
        let Some(pod_info) = api::by_gvk("v1", "Pod") else {
            return Ok(true);
        };
        let now = store.now();
        let Some(mut cur) = self.current.take() else {
            return Ok(true);
        };
        for i in 0..cur.pods.len() {
            if let PodState::Evict { at } = cur.pods[i].state
                && at <= now
            {
                match self.attempt(&cur.pods[i], store, p) {
                    Ok(s) => cur.pods[i].state = s,
                    Err(e) => {
                        self.current = Some(cur);
                        return Err(e);
                    }
                }
            }
            let dp = &mut cur.pods[i];
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
        let done = cur.pods.iter().all(|d| matches!(d.state, PodState::Done));
        if done {
            p.out(&format!("node/{} drained", cur.node));
        } else {
            self.current = Some(cur);
        }
        Ok(done)
    }

    /// Fails the current node with `err`, listing its pods still there.
    fn fail_current(&mut self, err: &str, p: &mut Progress) {
        if let Some(cur) = self.current.take() {
            let pending: Vec<&DrainPod> = cur
                .pods
                .iter()
                .filter(|d| !matches!(d.state, PodState::Done))
                .collect();
            self.node_failed(&cur.node, err, &pending, p);
        }
    }

    /// The end: the nodes left undrained and the aggregated error.
    fn finish(&mut self, p: &mut Progress) {
        if self.failed.is_empty() {
            p.finish(0);
            return;
        }
        p.err("There are pending nodes to be drained:");
        for (n, _) in &self.failed {
            p.err(&format!(" {n}"));
        }
        let errs: Vec<&str> = self.failed.iter().map(|(_, e)| e.as_str()).collect();
        if errs.len() == 1 {
            p.err(&format!("error: {}", errs[0]));
        } else {
            p.err(&format!("error: [{}]", errs.join(", ")));
        }
        p.finish(1);
    }
}

impl Waiter for Drain {
    fn poll(&mut self, store: &mut cluster::Store) -> Progress {
        let mut p = Progress::default();
        loop {
            if self.current.is_some() {
                match self.step(store, &mut p) {
                    Ok(true) => {}
                    Ok(false) => {
                        if self.deadline.is_some_and(|d| store.now() >= d) {
                            let err = format!("drain did not complete within {}", self.timeout_text);
                            self.fail_current(&err, &mut p);
                        } else {
                            return p;
                        }
                    }
                    Err(e) => self.fail_current(&e, &mut p),
                }
            }
            match self.nodes.pop_front() {
                Some(node) => self.start(node, store, &mut p),
                None => {
                    self.finish(&mut p);
                    return p;
                }
            }
        }
    }

    fn deadline(&self) -> Option<cluster::SimTime> {
        self.deadline
    }

    fn stop(&mut self, _store: &mut cluster::Store) {}
}
