//! `kubectl top pod` and `kubectl top node`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/top/top_pod.go, top_node.go and
//! pkg/metricsutil/metrics_printer.go (v1.34): "Metrics API not available" until
//! metrics.k8s.io is in discovery (the metrics-server addon is available), "metrics not
//! available yet" before its first scrape, CPU in millicores and memory in Mi, node
//! percentages of allocatable truncated to an integer, `--sort-by=cpu|memory` descending
//! and otherwise by namespace and name. Every cell is tab-terminated in kubectl's printer,
//! so the last column is padded too.

use std::collections::BTreeMap;

use api::Object;
use cluster::apiserver::ListOptions;
use cluster::controller::hpa::metrics::Usage;
use cluster::controller::hpa::metrics_server;
use k8s_openapi::api::core::v1 as corev1;
use machinery::quantity::Quantity;

use super::Ctx;
use crate::errors::KubectlError;
use crate::render::table;
use crate::{Env, Outcome};

/// top_pod.go `metricsCreationDelay`: younger pods without metrics are "not available yet".
const METRICS_CREATION_DELAY_MS: i64 = 2 * 60 * 1000;

/// Runs `kubectl top pod`.
///
/// # Errors
/// kubectl's validation and metrics errors, the store's NotFound.
pub fn pod(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let sort_by = sort_by(ctx)?;
    let selector = p.string("selector").unwrap_or("").to_string();
    let field_selector = p.string("field-selector").unwrap_or("").to_string();
    let name = p.args.first().cloned();
    if name.is_some() && (!selector.is_empty() || !field_selector.is_empty()) {
        return Err(KubectlError::msg("only one of NAME or selector can be provided"));
    }
    if !metrics_server::api_available(env.store) {
        return Err(KubectlError::msg("Metrics API not available"));
    }
    let all_ns = ctx.all_namespaces();
    let ns = (!all_ns).then_some(ctx.namespace.as_str());
    let pods_info = kind("pods")?;
    // The pods the metrics API would list (metrics-server filters its scrape by the pods'
    // labels and fields).
    let pods: Vec<corev1::Pod> = match &name {
        Some(n) => {
            let key = (ctx.namespace.clone(), n.clone());
            if !env.store.metrics.pods.contains_key(&key) {
                return Err(KubectlError::Raw(format!(
                    "Error from server (NotFound): podmetrics.metrics.k8s.io \"{}/{n}\" not found",
                    ctx.namespace
                )));
            }
            let obj = env.store.get(pods_info, Some(&ctx.namespace), n)?;
            pods_of(std::slice::from_ref(&obj))
        }
        None => {
            let list = env.store.list(
                pods_info,
                ns,
                &ListOptions {
                    label_selector: selector.clone(),
                    field_selector: field_selector.clone(),
                    ..Default::default()
                },
            )?;
            pods_of(&list.items)
        }
    };
    let mut metrics: Vec<PodRow> = pods
        .iter()
        .filter_map(|pod| {
            let ns = pod.metadata.namespace.clone().unwrap_or_default();
            let name = pod.metadata.name.clone().unwrap_or_default();
            let usage = env.store.metrics.get(&ns, &name)?;
            Some(PodRow {
                containers: usage.containers.iter().map(|(c, u)| (c.clone(), *u)).collect(),
                total: usage.total(),
                namespace: ns,
                name,
            })
        })
        .collect();
    if metrics.is_empty() {
        verify_empty_metrics(&pods, env.store.now().unix_millis())?;
        if all_ns {
            out.err("No resources found");
        } else {
            out.err(format!("No resources found in {} namespace.", ctx.namespace));
        }
        return Ok(());
    }
    let containers = p.bool("containers");
    machinery::sort::sort_by(&mut metrics, |a, b| match sort_by {
        Some(Sort::Cpu) => b.total.cpu_millis.cmp(&a.total.cpu_millis),
        Some(Sort::Memory) => b.total.memory_bytes.cmp(&a.total.memory_bytes),
        None if all_ns && a.namespace != b.namespace => a.namespace.cmp(&b.namespace),
        None => a.name.cmp(&b.name),
    });
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !p.bool("no-headers") {
        let mut h = Vec::new();
        if all_ns {
            h.push("NAMESPACE".to_string());
        }
        if containers {
            h.push("POD".to_string());
        }
        h.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"].map(String::from));
        rows.push(h);
    }
    for m in &metrics {
        if containers {
            let mut cs = m.containers.clone();
            machinery::sort::sort_by(&mut cs, |a, b| match sort_by {
                Some(Sort::Cpu) => b.1.cpu_millis.cmp(&a.1.cpu_millis),
                Some(Sort::Memory) => b.1.memory_bytes.cmp(&a.1.memory_bytes),
                None => a.0.cmp(&b.0),
            });
            for (c, u) in cs {
                let mut r = Vec::new();
                if all_ns {
                    r.push(m.namespace.clone());
                }
                r.push(m.name.clone());
                r.push(c);
                r.extend(usage_cells(u));
                rows.push(r);
            }
        } else {
            let mut r = Vec::new();
            if all_ns {
                r.push(m.namespace.clone());
            }
            r.push(m.name.clone());
            r.extend(usage_cells(m.total));
            rows.push(r);
        }
    }
    if p.bool("sum") {
        let total = metrics.iter().fold(Usage::default(), |a, m| Usage {
            cpu_millis: a.cpu_millis + m.total.cpu_millis,
            memory_bytes: a.memory_bytes + m.total.memory_bytes,
        });
        let width = 3 + usize::from(all_ns) + usize::from(containers);
        let mut bar = vec![String::new(); width - 2];
        bar.extend(["________".to_string(), "________".to_string()]);
        rows.push(bar);
        let mut sum = vec![String::new(); width - 3];
        sum.push(String::new());
        sum.extend(usage_cells(total));
        rows.push(sum);
    }
    print_padded(&rows, out);
    Ok(())
}

/// Runs `kubectl top node`.
///
/// # Errors
/// kubectl's validation and metrics errors, the store's NotFound.
pub fn node(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let sort_by = sort_by(ctx)?;
    let selector = p.string("selector").unwrap_or("").to_string();
    let name = p.args.first().cloned();
    if name.is_some() && !selector.is_empty() {
        return Err(KubectlError::msg("only one of NAME or --selector can be provided"));
    }
    if !metrics_server::api_available(env.store) {
        return Err(KubectlError::msg("Metrics API not available"));
    }
    let nodes_info = kind("nodes")?;
    let node_objs = match &name {
        Some(n) => {
            if !env.store.metrics.nodes.contains_key(n) {
                return Err(KubectlError::Raw(format!(
                    "Error from server (NotFound): nodemetrics.metrics.k8s.io \"{n}\" not found"
                )));
            }
            vec![env.store.get(nodes_info, None, n)?]
        }
        None => {
            env.store
                .list(
                    nodes_info,
                    None,
                    &ListOptions {
                        label_selector: selector,
                        ..Default::default()
                    },
                )?
                .items
        }
    };
    // Allocatable per node, in millicores and bytes.
    let mut allocatable: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for o in &node_objs {
        if let Object::Node(n) = &**o {
            let alloc = n.status.as_ref().and_then(|s| s.allocatable.clone()).unwrap_or_default();
            let q = |k: &str| {
                alloc
                    .get(k)
                    .and_then(|q| Quantity::parse(&q.0).ok())
                    .map_or(0, |q| q.milli_value())
            };
            allocatable.insert(n.metadata.name.clone().unwrap_or_default(), (q("cpu"), q("memory")));
        }
    }
    let mut metrics: Vec<(String, Usage)> = allocatable
        .keys()
        .filter_map(|n| env.store.metrics.nodes.get(n).map(|u| (n.clone(), u.usage)))
        .collect();
    if metrics.is_empty() {
        return Err(KubectlError::msg("metrics not available yet"));
    }
    machinery::sort::sort_by(&mut metrics, |a, b| match sort_by {
        Some(Sort::Cpu) => b.1.cpu_millis.cmp(&a.1.cpu_millis),
        Some(Sort::Memory) => b.1.memory_bytes.cmp(&a.1.memory_bytes),
        None => a.0.cmp(&b.0),
    });
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !p.bool("no-headers") {
        rows.push(
            ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
                .map(String::from)
                .to_vec(),
        );
    }
    for (n, u) in &metrics {
        let (cpu, mem) = allocatable.remove(n).unwrap_or_default();
        let [c, m] = usage_cells(*u);
        rows.push(vec![
            n.clone(),
            c,
            percent(u.cpu_millis, cpu),
            m,
            percent(u.memory_bytes * 1000, mem),
        ]);
    }
    // Nodes the metrics API has nothing for.
    for n in allocatable.keys() {
        let mut r = vec![n.clone()];
        r.extend(std::iter::repeat_n("<unknown>".to_string(), 4));
        rows.push(r);
    }
    print_padded(&rows, out);
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Cpu,
    Memory,
}

struct PodRow {
    namespace: String,
    name: String,
    containers: Vec<(String, Usage)>,
    total: Usage,
}

fn sort_by(ctx: &Ctx) -> Result<Option<Sort>, KubectlError> {
    match ctx.parsed.string("sort-by").unwrap_or("") {
        "" => Ok(None),
        "cpu" => Ok(Some(Sort::Cpu)),
        "memory" => Ok(Some(Sort::Memory)),
        _ => Err(KubectlError::msg("--sort-by accepts only cpu or memory")),
    }
}

fn kind(name: &str) -> Result<&'static api::KindInfo, KubectlError> {
    api::resolve_resource(name)
        .ok_or_else(|| KubectlError::msg(format!("the server doesn't have a resource type \"{name}\"")))
}

fn pods_of(objs: &[std::sync::Arc<Object>]) -> Vec<corev1::Pod> {
    objs.iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

/// top_pod.go `verifyEmptyMetrics`: a pod old enough to have been scraped is an error;
/// otherwise the metrics are "not available yet", unless there are no pods at all.
fn verify_empty_metrics(pods: &[corev1::Pod], now_ms: i64) -> Result<(), KubectlError> {
    if pods.is_empty() {
        return Ok(());
    }
    for pod in pods {
        let created = pod
            .metadata
            .creation_timestamp
            .as_ref()
            .map_or(0, |t| t.0.as_millisecond());
        let age = now_ms - created;
        if age > METRICS_CREATION_DELAY_MS {
            return Err(KubectlError::msg(format!(
                "Metrics not available for pod {}/{}, age: {}",
                pod.metadata.namespace.as_deref().unwrap_or(""),
                pod.metadata.name.as_deref().unwrap_or(""),
                go_duration(age)
            )));
        }
    }
    Err(KubectlError::msg("metrics not available yet"))
}

/// `%vm` of the CPU's milli value and `%vMi` of memory / 2^20.
fn usage_cells(u: Usage) -> [String; 2] {
    [
        format!("{}m", u.cpu_millis),
        format!("{}Mi", u.memory_bytes / (1024 * 1024)),
    ]
}

/// `int64(usage / available * 100)` of milli values, `0%` when nothing is allocatable.
fn percent(usage_milli: i64, available_milli: i64) -> String {
    if available_milli == 0 {
        return "0%".into();
    }
    let f = usage_milli as f64 / available_milli as f64 * 100.0;
    format!("{}%", f as i64)
}

/// Go's `time.Duration.String` for whole milliseconds: `2m30.5s`, `1h0m5s`.
fn go_duration(ms: i64) -> String {
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let secs = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        let s = format!("{}.{:03}", rest / 1000, rest % 1000);
        format!("{}s", s.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{h}h{m}m{secs}")
    } else if m > 0 {
        format!("{m}m{secs}")
    } else {
        secs
    }
}

/// Aligns rows whose every cell is tab-terminated (metrics_printer.go `printValue`): the
/// last column is padded like the others.
fn print_padded(rows: &[Vec<String>], out: &mut Outcome) {
    let with_end: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(String::new());
            r
        })
        .collect();
    for l in table::align(&with_end) {
        out.out(l);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go_does() {
        for (ms, want) in [(150_000, "2m30s"), (125_500, "2m5.5s"), (3_605_000, "1h0m5s"), (4_000, "4s")] {
            assert_eq!(go_duration(ms), want, "{ms}");
        }
    }

    #[test]
    fn percentages_truncate() {
        assert_eq!(percent(155, 2000), "7%");
        assert_eq!(percent(5, 0), "0%");
    }
}
