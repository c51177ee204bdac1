//! The image catalog and image pulls.
//!
//! The catalog (`data/images.yaml`, data not code) says which repositories and tags exist, how
//! big they are, how long a pull takes and what the default command does. Pull rules mirror
//! pkg/kubelet/images/image_manager.go `EnsureImageExists` (v1.34): `Always` pulls every time,
//! `IfNotPresent` only when missing, `Never` fails with `ErrImageNeverPull`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::time::{SimDuration, SimTime};

/// What an image's default command does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    #[serde(default)]
    pub server: Option<Server>,
    #[serde(default)]
    pub script: Option<String>,
    /// Set when the script is the image's ENTRYPOINT: its CMD, which the script reads as
    /// `$1` …; a container's `args` replace it. Unset: `args` replace the whole command.
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    /// A command line that runs the image's server too (agnhost's `/agnhost netexec`): a
    /// container whose command starts with these words serves as the default command does.
    #[serde(default)]
    pub server_command: Vec<String>,
}

impl Run {
    /// Whether a container's argv runs the image's server.
    pub fn serves(&self, argv: &[String]) -> bool {
        if argv.is_empty() {
            return self.server.is_some();
        }
        self.server.is_some()
            && !self.server_command.is_empty()
            && argv.len() >= self.server_command.len()
            && argv.iter().zip(&self.server_command).all(|(a, w)| a == w)
    }
}

/// An image's start-up log line at `now`: `{hostname}` is the pod's name and `{klogtime}` the
/// time in klog's header (`0518 08:16:21.634472`, for Go programs that log with klog).
pub fn log_line(line: &str, hostname: &str, now: crate::time::SimTime) -> String {
    let mut out = line.replace("{hostname}", hostname);
    if out.contains("{klogtime}") {
        let t = now.to_time().0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
        out = out.replace("{klogtime}", &t.strftime("%m%d %H:%M:%S%.6f").to_string());
    }
    out
}

/// A long-running server: its ports and HTTP answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    pub ports: Vec<i32>,
    #[serde(default)]
    pub body: String,
    /// Requests answered with 200 before it starts answering 500.
    #[serde(default)]
    pub fail_after: Option<u32>,
    /// Ports where the server also answers gRPC health checks (grpc.health.v1.Health/Check):
    /// SERVING for the server as a whole (service ""), NotFound for any other service name.
    #[serde(default)]
    pub grpc_health: Vec<i32>,
    #[serde(default)]
    pub fail_body: String,
    #[serde(default)]
    pub handles_sigterm: bool,
    /// The exit code when SIGTERM ends the process (a Go program dies of the signal: 143);
    /// implies a quick exit like `handles_sigterm`.
    #[serde(default)]
    pub sigterm_exit_code: Option<i32>,
    /// A line logged per request served; `{client}` is the peer's address.
    #[serde(default)]
    pub request_log: Option<String>,
    /// The Content-Type header of answers.
    #[serde(default)]
    pub content_type: Option<String>,
    /// CPU time one request costs, in milliseconds: the metrics pipeline turns a container's
    /// request rate into CPU usage with it (hpa-example's CPU-bound index.php).
    #[serde(default)]
    pub cpu_per_request_ms: u64,
    /// The server's own binary (`mysqld`, `/nginx-ingress-controller`): a pod's command line
    /// that starts with it runs the server, whatever flags follow.
    #[serde(default)]
    pub program: Vec<String>,
    /// The image's entrypoint script hands arguments that begin with `-` to the server
    /// (docker-entrypoint.sh of mysql, redis, mongo: `set -- mysqld "$@"`).
    #[serde(default)]
    pub flag_args: bool,
    /// An Ingress controller from before IngressClass (ingress-nginx < 1.0): it also serves
    /// Ingresses that name no class.
    #[serde(default)]
    pub serves_classless_ingresses: bool,
    /// A configuration file whose `listen` directives give the ports (nginx's
    /// default.conf), read from the container's files when the server starts listening.
    #[serde(default)]
    pub listen_config: Option<String>,
    /// A document root whose files answer requests (nginx's /usr/share/nginx/html),
    /// volumes mounted over it included; `body` answers only when the image has no files.
    #[serde(default)]
    pub docroot: Option<String>,
}

impl Server {
    /// Whether a container's `command` + `args` (`argv`, non-empty) still start this server.
    /// Without `command` the image's ENTRYPOINT stays and `args` replace its CMD, as in
    /// Docker; the entrypoints of the catalog's server images pass flags on to the server.
    pub fn started_by(&self, argv: &[String], command_set: bool) -> bool {
        let Some(first) = argv.first() else {
            return true;
        };
        let base = first.rsplit('/').next().unwrap_or(first);
        self.program
            .iter()
            .any(|p| p == first || p.rsplit('/').next() == Some(base))
            || (!command_set && self.flag_args && first.starts_with('-'))
    }

    /// How SIGTERM ends the server: `Some(exit code)` shortly after it arrives, `None` when
    /// it is ignored (PID 1 without a handler) and only SIGKILL ends it.
    pub fn sigterm_exit(&self) -> Option<i32> {
        self.sigterm_exit_code.or(self.handles_sigterm.then_some(0))
    }
}

fn shared_files<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::sync::Arc<BTreeMap<String, String>>, D::Error> {
    BTreeMap::deserialize(d).map(std::sync::Arc::new)
}

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageInfo {
    pub repository: String,
    pub tags: Vec<String>,
    pub size: i64,
    pub pull_ms: u64,
    pub run: Run,
    #[serde(default)]
    pub logs: Vec<String>,
    #[serde(default)]
    pub memory: i64,
    #[serde(default)]
    pub cpu: i64,
    /// The image's `ENV` lines, in order.
    #[serde(default)]
    pub env: Vec<(String, String)>,
    /// Files of the image's file system (absolute path → text), shared with the containers
    /// that run it ([`super::runtime::Env::files`]).
    #[serde(default, deserialize_with = "shared_files")]
    pub files: std::sync::Arc<BTreeMap<String, String>>,
    /// The image's `WORKDIR` (empty: `/`).
    #[serde(default)]
    pub workdir: String,
    /// Tags built from another Dockerfile, whose default process differs from `run`.
    #[serde(default)]
    pub tag_runs: BTreeMap<String, Run>,
    /// Interpreters the image has that the simulated runtime can run (`perl`).
    #[serde(default)]
    pub programs: Vec<String>,
}

impl ImageInfo {
    /// What the image's default process does at this tag.
    pub fn run_for(&self, tag: &str) -> &Run {
        self.tag_runs.get(tag).unwrap_or(&self.run)
    }
}

#[derive(Debug, Deserialize)]
struct CatalogFile {
    images: Vec<ImageInfo>,
}

/// The catalog, by repository.
pub fn catalog() -> &'static BTreeMap<String, ImageInfo> {
    static CATALOG: OnceLock<BTreeMap<String, ImageInfo>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // Through the manifests' own YAML tree and typed decoding: the page then builds no
        // second YAML deserializer for these types.
        let file: CatalogFile = api::decode::yaml_to_json(include_str!("../../data/images.yaml"))
            .ok()
            .and_then(|value| api::typed::from_value(&value).ok())
            .unwrap_or(CatalogFile { images: Vec::new() });
        file.images
            .into_iter()
            .map(|i| (i.repository.clone(), i))
            .collect()
    })
}

/// An image reference split as the runtime resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// `docker.io/library/nginx`.
    pub repository: String,
    /// `latest` when none was given.
    pub tag: String,
    /// `docker.io/library/nginx:latest`, as node `status.images` lists it.
    pub full: String,
}

/// Parses an image reference (Docker's normalization: short names live in `docker.io/library`).
pub fn parse_ref(image: &str) -> Option<ImageRef> {
    if image.is_empty()
        || image
            .chars()
            .any(|c| c.is_whitespace() || c.is_ascii_uppercase())
    {
        return None;
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (
            &name[..last_slash + i],
            name[last_slash + i + 1..].to_string(),
        ),
        None => (
            name,
            if digest.is_some() {
                String::new()
            } else {
                "latest".into()
            },
        ),
    };
    let first = repo.split('/').next().unwrap_or("");
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let repository = if has_registry {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    };
    let full = match digest {
        Some(d) => format!("{repository}@{d}"),
        None => format!("{repository}:{tag}"),
    };
    Some(ImageRef {
        repository,
        tag,
        full,
    })
}

/// Why a pull failed, worded as containerd reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PullError {
    #[error(
        "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
    )]
    NotFound { full: String },
    #[error(
        "rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
    )]
    AccessDenied { full: String },
}

/// Looks an image up: its catalog entry, or the pull error a registry would give.
///
/// # Errors
/// `NotFound` for a missing tag of a known repository, `AccessDenied` for an unknown
/// repository.
pub fn resolve(r: &ImageRef) -> Result<&'static ImageInfo, PullError> {
    match catalog().get(&r.repository) {
        Some(info) if info.tags.iter().any(|t| t == "*" || *t == r.tag) || r.tag.is_empty() => {
            Ok(info)
        }
        Some(_) => Err(PullError::NotFound {
            full: r.full.clone(),
        }),
        None => Err(PullError::AccessDenied {
            full: r.full.clone(),
        }),
    }
}

/// How long a pull takes when the image is already on the node: containerd only resolves the
/// reference against the registry and finds every layer present.
pub const REGISTRY_CHECK_MS: u64 = 450;

/// A node's serialized image puller (`serializeImagePulls: true`, pkg/kubelet/images/puller.go
/// `serialImagePuller`, v1.34): one pull at a time, in the order they were asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SerialPuller {
    /// When the puller is free again.
    free_at: SimTime,
    /// Images a queued or finished pull downloads, and when each lands on the node.
    lands_at: BTreeMap<String, SimTime>,
}

/// When a scheduled pull starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullSlot {
    pub began: SimTime,
    pub done_at: SimTime,
}

impl SerialPuller {
    /// Queues a pull of `r` asked for at `now`. `present`: the image is on the node already
    /// (`imagePullPolicy: Always` still asks the registry). A pull that starts after an earlier
    /// pull of the same image finished finds its layers there and only checks the registry;
    /// `download_ms` is the full download otherwise (`None`: the registry will refuse it).
    pub fn schedule(
        &mut self,
        now: SimTime,
        r: &ImageRef,
        present: bool,
        download_ms: Option<u64>,
    ) -> PullSlot {
        let began = now.max(self.free_at);
        let landed = self.lands_at.get(&r.full).is_some_and(|t| *t <= began);
        let ms = if present || landed {
            REGISTRY_CHECK_MS
        } else {
            download_ms.unwrap_or(1200)
        };
        let done_at = began + SimDuration::from_millis(ms);
        self.free_at = done_at;
        if download_ms.is_some() {
            self.lands_at.entry(r.full.clone()).or_insert(done_at);
        }
        PullSlot { began, done_at }
    }
}

/// `Always` for `latest` (or no tag), else `IfNotPresent` (SetDefaults_Container).
pub fn default_pull_policy(image: &str) -> &'static str {
    match parse_ref(image) {
        Some(r) if r.tag == "latest" => "Always",
        _ => "IfNotPresent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_that_only_add_flags_still_start_the_server() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mysql = catalog()["docker.io/library/mysql"].run.server.clone().unwrap();
        // args without command: the entrypoint prepends mysqld to flags (E-A49's pod).
        assert!(mysql.started_by(&words(&["--character-set-server=utf8mb4"]), false));
        // the same flags as a command replace the entrypoint: no server.
        assert!(!mysql.started_by(&words(&["--character-set-server=utf8mb4"]), true));
        assert!(mysql.started_by(&words(&["mysqld", "--skip-grant-tables"]), true));
        assert!(!mysql.started_by(&words(&["sleep", "10"]), false));
        let ingress = catalog()["quay.io/kubernetes-ingress-controller/nginx-ingress-controller"]
            .run
            .server
            .clone()
            .unwrap();
        assert!(ingress.started_by(&words(&["/nginx-ingress-controller", "--configmap=x"]), false));
    }

    #[test]
    fn catalog_loads_and_resolves() {
        assert!(catalog().len() > 20, "catalog did not parse");
        struct Case {
            name: &'static str,
            image: &'static str,
            ok: bool,
        }
        let cases = [
            Case {
                name: "nginx",
                image: "nginx",
                ok: true,
            },
            Case {
                name: "kubia",
                image: "luksa/kubia",
                ok: true,
            },
            Case {
                name: "bad tag",
                image: "luksa/kubia:v9",
                ok: false,
            },
            Case {
                name: "unknown",
                image: "some-image",
                ok: false,
            },
            Case {
                name: "registry",
                image: "172.21.51.143:5000/myblog:v1",
                ok: true,
            },
        ];
        for c in &cases {
            let r = parse_ref(c.image).expect("parse");
            assert_eq!(resolve(&r).is_ok(), c.ok, "case {}", c.name);
        }
    }

    #[test]
    fn a_queued_pull_of_an_image_an_earlier_pull_downloads_only_checks_the_registry() {
        let mut puller = SerialPuller::default();
        let t0 = SimTime::default();
        let nginx = parse_ref("nginx").expect("parse");
        let busybox = parse_ref("busybox").expect("parse");
        let ms = |a: SimTime, b: SimTime| (b - a).as_millis();
        let first = puller.schedule(t0, &nginx, false, Some(5000));
        assert_eq!((first.began, ms(first.began, first.done_at)), (t0, 5000));
        // Another image queues behind it and downloads in full.
        let other = puller.schedule(t0, &busybox, false, Some(2000));
        assert_eq!(other.began, first.done_at);
        assert_eq!(ms(other.began, other.done_at), 2000);
        // The same image, asked for while the first pull ran: its layers are there by then.
        let again = puller.schedule(t0, &nginx, false, Some(5000));
        assert_eq!(again.began, other.done_at);
        assert_eq!(ms(again.began, again.done_at), REGISTRY_CHECK_MS);
        // A present image (imagePullPolicy: Always) is only checked too.
        let always = puller.schedule(again.done_at, &busybox, true, Some(2000));
        assert_eq!(ms(always.began, always.done_at), REGISTRY_CHECK_MS);
        // A pull the registry refuses lands nothing: the next one still tries in full.
        let missing = parse_ref("luksa/kubia:v9").expect("parse");
        puller.schedule(always.done_at, &missing, false, None);
        let retry = puller.schedule(always.done_at, &missing, false, None);
        assert_eq!(ms(retry.began, retry.done_at), 1200);
    }

    #[test]
    fn pull_errors_are_worded_as_containerd() {
        let r = parse_ref("some-image").expect("parse");
        let e = resolve(&r).expect_err("unknown");
        assert!(e.to_string().starts_with("rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/some-image:latest\""));
    }
}
