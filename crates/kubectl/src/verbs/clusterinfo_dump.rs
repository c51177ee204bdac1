//! `kubectl cluster-info dump`: nodes, then per namespace its events, replication
//! controllers, services, daemon sets, deployments, replica sets, pods and every container's
//! log, to stdout or as files under `--output-directory`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go (v1.34).
//! kubectl prints the typed lists the clients return, so items carry no `apiVersion`/`kind`.
//! Deliberate gap: keys are printed sorted, as for every object kubelab prints, not in Go's
//! struct order. `--pod-running-timeout` is accepted; the kubelet here answers at once.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Ctx;
use super::get::output_format;
use super::logs::kubelet_logs;
use super::printing::object_value;
use crate::errors::KubectlError;
use crate::render::{OutputFormat, json as json_out, yaml};
use crate::{Env, Outcome};

/// The formats kubectl's non-table printers accept (print_flags.go `AllowedFormats`).
const ALLOWED_FORMATS: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// What one namespace's dump lists, in upstream's order: file stem, API version, kind.
const NAMESPACED: &[(&str, &str, &str)] = &[
    ("events", "v1", "Event"),
    ("replication-controllers", "v1", "ReplicationController"),
    ("services", "v1", "Service"),
    ("daemonsets", "apps/v1", "DaemonSet"),
    ("deployments", "apps/v1", "Deployment"),
    ("replicasets", "apps/v1", "ReplicaSet"),
    ("pods", "v1", "Pod"),
];

/// Runs `kubectl cluster-info dump`.
///
/// # Errors
/// An `-o` kubectl cannot print a list with; the store's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    // Stray words are ignored, as cobra's legacyArgs lets a leaf command take them.
    let p = &ctx.parsed;
    let requested = p.string("output").unwrap_or("json");
    let format = match output_format(requested, env)? {
        f @ (OutputFormat::Json
        | OutputFormat::Yaml
        | OutputFormat::Name
        | OutputFormat::JsonPath(_)
        | OutputFormat::GoTemplate(_)) => f,
        _ => {
            return Err(KubectlError::msg(format!(
                "unable to match a printer suitable for the output format \"{requested}\", allowed formats are: {ALLOWED_FORMATS}"
            )));
        }
    };
    let ext = match format {
        OutputFormat::Json => ".json",
        OutputFormat::Yaml => ".yaml",
        _ => ".txt",
    };
    let dir = p
        .string("output-directory")
        .filter(|d| !d.is_empty() && *d != "-");
    let mut sink = Sink::new(dir);
    let result = dump(ctx, env, &format, ext, &mut sink);
    sink.finish(result.is_ok(), out);
    result
}

/// Writes the lists and logs in upstream's order; files opened before an error stay.
fn dump(
    ctx: &Ctx,
    env: &Env<'_>,
    format: &OutputFormat,
    ext: &str,
    sink: &mut Sink<'_>,
) -> Result<(), KubectlError> {
    let mut printer = Printer { format, count: 0 };
    let managed = ctx.parsed.bool("show-managed-fields");
    let nodes = list(env, None, "v1", "Node", managed)?;
    sink.open("nodes", ext);
    sink.write("nodes", ext, &printer.print(&nodes)?);
    for ns in namespaces(ctx, env)? {
        for (stem, version, kind) in NAMESPACED {
            let l = list(env, Some(&ns), version, kind, managed)?;
            sink.open(&format!("{ns}/{stem}"), ext);
            sink.write(&format!("{ns}/{stem}"), ext, &printer.print(&l)?);
        }
        for pod in pods(env, &ns)? {
            let name = pod.metadata.name.clone().unwrap_or_default();
            let text = pod_logs(env, &pod);
            sink.write(&format!("{ns}/{name}/logs"), ".txt", &text);
        }
    }
    Ok(())
}

/// Where the dump goes: stdout, or files under a directory (kept in the order written).
struct Sink<'a> {
    dir: Option<&'a str>,
    stdout: String,
    files: BTreeMap<String, String>,
    order: Vec<String>,
}

impl<'a> Sink<'a> {
    fn new(dir: Option<&'a str>) -> Self {
        Sink {
            dir,
            stdout: String::new(),
            files: BTreeMap::new(),
            order: Vec::new(),
        }
    }

    /// Creates `DIR/name+ext` (empty) as upstream's `setupOutputWriter` does before printing.
    fn open(&mut self, name: &str, ext: &str) {
        self.write(name, ext, "");
    }

    /// Appends to stdout, or to `DIR/name+ext`.
    fn write(&mut self, name: &str, ext: &str, text: &str) {
        let Some(dir) = self.dir else {
            self.stdout.push_str(text);
            return;
        };
        let path = format!("{}/{name}{ext}", dir.trim_end_matches('/'));
        if !self.files.contains_key(&path) {
            self.order.push(path.clone());
        }
        self.files.entry(path).or_default().push_str(text);
    }

    /// Prints what went to stdout, hands the files to the lab, and on success names the
    /// directory.
    fn finish(mut self, ok: bool, out: &mut Outcome) {
        if !self.stdout.is_empty() {
            out.out_block(&self.stdout);
        }
        for path in std::mem::take(&mut self.order) {
            let text = self.files.remove(&path).unwrap_or_default();
            out.write_files.push((path, text));
        }
        if let (true, Some(dir)) = (ok, self.dir) {
            out.out(format!("Cluster info dumped to {dir}"));
        }
    }
}

/// A typed list as the clients return it: `<Kind>List` whose items lack their type.
struct TypedList {
    kind: String,
    value: Value,
}

fn list(
    env: &Env<'_>,
    ns: Option<&str>,
    version: &str,
    kind: &str,
    show_managed_fields: bool,
) -> Result<TypedList, KubectlError> {
    let info = api::by_gvk(version, kind).ok_or_else(|| {
        KubectlError::msg(format!(
            "the server doesn't have a resource type \"{kind}\""
        ))
    })?;
    let l = env.store.list(info, ns, &Default::default())?;
    let items: Vec<Value> = l
        .items
        .iter()
        .map(|o| {
            let mut v = if show_managed_fields {
                o.to_value()
            } else {
                object_value(o)
            };
            if let Some(m) = v.as_object_mut() {
                m.remove("apiVersion");
                m.remove("kind");
            }
            v
        })
        .collect();
    let kind = format!("{kind}List");
    Ok(TypedList {
        value: json!({
            "apiVersion": version,
            "items": items,
            "kind": kind,
            "metadata": {"resourceVersion": l.resource_version},
        }),
        kind,
    })
}

/// The one printer kubectl builds for the whole dump.
struct Printer<'a> {
    format: &'a OutputFormat,
    /// Lists printed so far: the YAML printer puts `---` before every one but the first,
    /// even when they go to different files.
    count: usize,
}

impl Printer<'_> {
    /// The text written for one list, newline-terminated.
    ///
    /// # Errors
    /// The name printer refuses typed lists (cli-runtime pkg/printers/name.go).
    fn print(&mut self, l: &TypedList) -> Result<String, KubectlError> {
        self.count += 1;
        Ok(match self.format {
            OutputFormat::Yaml if self.count > 1 => format!("---\n{}", yaml::to_yaml(&l.value)),
            OutputFormat::Yaml => yaml::to_yaml(&l.value),
            OutputFormat::Name => {
                return Err(KubectlError::msg(format!(
                    "list types are not supported by name printing: *v1.{}",
                    l.kind
                )));
            }
            OutputFormat::JsonPath(t) => t.execute(&l.value),
            OutputFormat::GoTemplate(t) => t.execute(&l.value).map_err(|e| {
                KubectlError::msg(format!("error executing template \"{}\": {e}", t.source()))
            })?,
            _ => json_out::to_json(&l.value),
        })
    }
}

/// `--all-namespaces`, else `--namespaces`, else kube-system and the context's namespace.
fn namespaces(ctx: &Ctx, env: &Env<'_>) -> Result<Vec<String>, KubectlError> {
    if ctx.all_namespaces() {
        let info = api::by_gvk("v1", "Namespace").ok_or_else(|| {
            KubectlError::msg("the server doesn't have a resource type \"namespaces\"")
        })?;
        let l = env.store.list(info, None, &Default::default())?;
        return Ok(l.items.iter().map(|o| o.name().to_string()).collect());
    }
    let given = ctx.parsed.all("namespaces");
    if !given.is_empty() {
        return Ok(given);
    }
    Ok(vec!["kube-system".to_string(), ctx.namespace.clone()])
}

fn pods(env: &Env<'_>, ns: &str) -> Result<Vec<k8s_openapi::api::core::v1::Pod>, KubectlError> {
    let info = crate::resources::resolve_type("pods")?;
    let l = env.store.list(info, Some(ns), &Default::default())?;
    Ok(l.items
        .iter()
        .filter_map(|o| match &**o {
            api::Object::Pod(p) => Some(p.clone()),
            _ => None,
        })
        .collect())
}

/// Every container's log between upstream's markers, init containers first; a log the
/// kubelet refuses becomes a `Request log error:` line inside the markers.
fn pod_logs(env: &Env<'_>, pod: &k8s_openapi::api::core::v1::Pod) -> String {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    let containers = spec
        .init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
        .map(|c| c.name.clone());
    let mut text = String::new();
    for c in containers {
        text.push_str(&format!(
            "==== START logs for container {c} of pod {ns}/{name} ====\n"
        ));
        match kubelet_logs(&*env.pods, pod, &c, false) {
            Ok(lines) => {
                for l in lines {
                    text.push_str(&l.text);
                    text.push('\n');
                }
            }
            Err(msg) => text.push_str(&format!("Request log error: {msg}\n")),
        }
        text.push_str(&format!(
            "==== END logs for container {c} of pod {ns}/{name} ====\n"
        ));
    }
    text
}
