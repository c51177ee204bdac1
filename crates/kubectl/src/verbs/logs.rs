//! `kubectl logs`: staging/src/k8s.io/kubectl/pkg/cmd/logs/logs.go and polymorphichelpers
//! logsforobject.go (v1.34) on the client, the kubelet's `validateContainerLogStatus`
//! (pkg/kubelet/kubelet_pods.go) for which instance answers and its errors. `-f` returns a
//! [`LogFollow`] the lab polls as simulated time passes; it ends when every container it
//! follows has stopped (the kubelet's follow of a container's log returns once the
//! container is no longer running: pkg/kubelet/kuberuntime/logs, `waitLogs`), and is not
//! returned at all when none was running.

use api::Object;
use cluster::{LogLine, PodProxy, SimDuration, SimTime};
use k8s_openapi::api::core::v1 as corev1;

use super::Ctx;
use super::exec::{attachable_pod, default_container};
use crate::errors::KubectlError;
use crate::{Env, Line, Outcome, Stream};

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/// One container's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    namespace: String,
    pod: String,
    container: String,
    /// Lines already printed.
    printed: usize,
    /// The restart count of the instance followed, None when it was not running: its
    /// stream ends once that instance stops.
    running: Option<i32>,
}

/// A `kubectl logs -f` that goes on printing new lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFollow {
    sources: Vec<Source>,
    timestamps: bool,
    prefix: bool,
}

impl LogFollow {
    /// Lines written since the last poll.
    pub fn poll(&mut self, pods: &dyn PodProxy) -> Vec<Line> {
        let mut lines = Vec::new();
        for s in &mut self.sources {
            if s.running.is_none() {
                // Its stream has ended.
                continue;
            }
            let Some(mut all) = pods.logs(&s.namespace, &s.pod, &s.container, false) else {
                continue;
            };
            if all.len() < s.printed {
                // The instance followed stopped and another started: the rest of its log
                // is now the previous instance's, and its stream has ended.
                all = pods.logs(&s.namespace, &s.pod, &s.container, true).unwrap_or_default();
                s.running = None;
            }
            for l in all.iter().skip(s.printed) {
                lines.push(Line {
                    stream: Stream::Stdout,
                    text: format_line(l, self.timestamps, self.prefix.then(|| prefix(s))),
                });
            }
            s.printed = all.len();
        }
        lines
    }

    /// Whether every container followed has stopped (or its pod is gone): kubectl's
    /// streams have closed and it exits.
    pub fn ended(&self, store: &cluster::Store) -> bool {
        self.sources.iter().all(|s| {
            let pod = api::resolve_resource("pods").and_then(|info| store.get(info, Some(&s.namespace), &s.pod).ok());
            match pod.as_deref() {
                Some(Object::Pod(pod)) => s.running.is_none() || running_restarts(pod, &s.container) != s.running,
                _ => true,
            }
        })
    }
}

/// The restart count of `container` in `pod` while it runs; None when it does not.
fn running_restarts(pod: &corev1::Pod, container: &str) -> Option<i32> {
    let status = pod.status.as_ref()?;
    status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .find(|c| c.name == container)
        .filter(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
        .map(|c| c.restart_count)
}

fn prefix(s: &Source) -> String {
    format!("[pod/{}/{}] ", s.pod, s.container)
}

fn format_line(l: &LogLine, timestamps: bool, prefix: Option<String>) -> String {
    let mut t = prefix.unwrap_or_default();
    if timestamps {
        t.push_str(&l.at.to_time().0.to_string());
        t.push(' ');
    }
    t.push_str(&l.text);
    t
}

fn bad_request(msg: String) -> KubectlError {
    KubectlError::Raw(format!("Error from server (BadRequest): {msg}"))
}

/// The lines the kubelet serves for one container, or its error.
fn fetch(
    pods: &dyn PodProxy,
    pod: &corev1::Pod,
    container: &str,
    previous: bool,
) -> Result<Vec<LogLine>, KubectlError> {
    kubelet_logs(pods, pod, container, previous).map_err(bad_request)
}

/// The lines the kubelet serves for one container, or the API server's message (a
/// BadRequest status) when it has none to give.
pub(crate) fn kubelet_logs(
    pods: &dyn PodProxy,
    pod: &corev1::Pod,
    container: &str,
    previous: bool,
) -> Result<Vec<LogLine>, String> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    let in_spec = spec.containers.iter().any(|c| c.name == container)
        || spec.init_containers.iter().flatten().any(|c| c.name == container);
    if !in_spec {
        return Err(format!("container {container} is not valid for pod {name}"));
    }
    if spec.node_name.as_deref().is_none_or(str::is_empty) {
        // The API server has no kubelet to ask: an empty log.
        return Ok(Vec::new());
    }
    let st = pod.status.clone().unwrap_or_default();
    let Some(cs) = st
        .container_statuses
        .iter()
        .flatten()
        .chain(st.init_container_statuses.iter().flatten())
        .find(|c| c.name == container)
        .cloned()
    else {
        return Err(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        ));
    };
    let state = cs.state.clone().unwrap_or_default();
    let last = cs.last_state.clone().unwrap_or_default();
    let use_previous = if previous {
        if last.terminated.is_none() {
            return Err(format!(
                "previous terminated container \"{container}\" in pod \"{name}\" not found"
            ));
        }
        true
    } else if state.running.is_some() || state.terminated.is_some() {
        false
    } else if last.terminated.is_some() {
        true
    } else if let Some(w) = &state.waiting {
        let reason = w.reason.clone().unwrap_or_default();
        let why = match reason.as_str() {
            "ErrImagePull" => "image can't be pulled".to_string(),
            "ImagePullBackOff" => "trying and failing to pull image".to_string(),
            _ => reason,
        };
        return Err(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: {why}"
        ));
    } else {
        return Err(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start - no logs yet"
        ));
    };
    Ok(pods
        .logs(&ns, &name, container, use_previous)
        .unwrap_or_default())
}

/// Runs `kubectl logs`.
///
/// # Errors
/// Usage errors, the store's errors, the kubelet's log errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let selector = p.string("selector").unwrap_or("").to_string();
    let (resource, mut container) = match p.args.as_slice() {
        [] if selector.is_empty() => return Err(ctx.usage(USAGE)),
        [] => (None, p.string("container").map(str::to_string)),
        [r] => {
            if !selector.is_empty() {
                return Err(ctx.usage("only a selector (-l) or a POD name is allowed"));
            }
            (Some(r.clone()), p.string("container").map(str::to_string))
        }
        [r, c] => (Some(r.clone()), Some(c.clone())),
        _ => return Err(ctx.usage(USAGE)),
    };
    if container.as_deref() == Some("") {
        container = None;
    }
    let previous = p.bool("previous");
    let follow = p.bool("follow");
    let all_containers = p.bool("all-containers");
    if all_containers && container.is_some() {
        return Err(KubectlError::msg(
            "--container cannot be used with --all-containers",
        ));
    }
    let tail = p.int("tail").unwrap_or(-1);
    let tail = if tail < 0 && !selector.is_empty() { 10 } else { tail };
    let since = match p.string("since").filter(|s| !s.is_empty() && *s != "0s") {
        Some(s) => Some(
            machinery::duration::parse_go_duration(s)
                .map_err(|e| KubectlError::msg(format!("invalid argument \"{s}\" for \"--since\" flag: {e}")))?,
        ),
        None => None,
    };
    let pods: Vec<corev1::Pod> = match &resource {
        Some(r) => {
            // logs.go Complete: a missing object is reported with its namespace.
            let (pod, n) = attachable_pod(ctx, env, r).map_err(|e| match e {
                KubectlError::Server {
                    source: source @ cluster::StoreError::NotFound { .. },
                } => KubectlError::msg(format!(
                    "error from server (NotFound): {source} in namespace \"{}\"",
                    ctx.namespace
                )),
                other => other,
            })?;
            if n > 1 {
                out.err(format!(
                    "Found {n} pods, using pod/{}",
                    pod.metadata.name.as_deref().unwrap_or_default()
                ));
            }
            vec![pod]
        }
        None => {
            let info = api::resolve_resource("pods").ok_or_else(|| KubectlError::msg("pods"))?;
            let list = env.store.list(
                info,
                Some(&ctx.namespace),
                &cluster::apiserver::ListOptions {
                    label_selector: selector.clone(),
                    ..Default::default()
                },
            )?;
            let pods: Vec<corev1::Pod> = list
                .items
                .iter()
                .filter_map(|o| match &**o {
                    Object::Pod(p) => Some(p.clone()),
                    _ => None,
                })
                .collect();
            if pods.is_empty() {
                out.out(format!("No resources found in {} namespace.", ctx.namespace));
                return Ok(());
            }
            pods
        }
    };
    let now = env.store.now();
    let prefix = p.bool("prefix");
    let mut sources = Vec::new();
    for pod in &pods {
        let containers: Vec<String> = if all_containers {
            let spec = pod.spec.clone().unwrap_or_default();
            spec.init_containers
                .iter()
                .flatten()
                .chain(spec.containers.iter())
                .map(|c| c.name.clone())
                .collect()
        } else {
            match container.as_deref() {
                // The API server checks a named container (fetch's BadRequest).
                Some(c) => vec![c.to_string()],
                None => vec![default_container(pod, None, false, out)?],
            }
        };
        for c in containers {
            let lines = fetch(&*env.pods, pod, &c, previous)?;
            let mut shown: Vec<&LogLine> = lines
                .iter()
                .filter(|l| {
                    since.is_none_or(|nanos| {
                        let window = SimDuration::from_millis(u64::try_from(nanos / 1_000_000).unwrap_or(0));
                        l.at >= SimTime(now.0.saturating_sub(window.0))
                    })
                })
                .collect();
            if tail >= 0 {
                let keep = usize::try_from(tail).unwrap_or(0);
                let skip = shown.len().saturating_sub(keep);
                shown.drain(..skip);
            }
            let running = running_restarts(pod, &c);
            let source = Source {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                pod: pod.metadata.name.clone().unwrap_or_default(),
                container: c,
                printed: lines.len(),
                running,
            };
            for l in shown {
                out.out(format_line(l, p.bool("timestamps"), prefix.then(|| self::prefix(&source))));
            }
            sources.push(source);
        }
    }
    // Without a running container every stream is complete: kubectl prints and exits.
    if follow && !previous && sources.iter().any(|s| s.running.is_some()) {
        out.follow = Some(LogFollow {
            sources,
            timestamps: p.bool("timestamps"),
            prefix,
        });
    }
    Ok(())
}
