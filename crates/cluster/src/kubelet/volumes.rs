//! Pod volumes as real files in the containers' file systems.
//!
//! Each volume's contents is one shared file map ([`Files`]); a container sees it through a
//! [`Mount`] in its [`Env`], so what one container writes into an emptyDir another reads at
//! once, and data lives exactly as long as the map's owner:
//! - emptyDir, configMap, secret, downwardAPI, projected: the pod's [`PodVolumes`] (gone with
//!   the pod);
//! - hostPath and hostPath PersistentVolumes: the node's root file system ([`NodeFs`]), kept
//!   per node;
//! - other PersistentVolumes, dynamically provisioned ones and NFS shares: the cluster's
//!   [`SharedVolumes`], keyed by volume identity.
//!
//! An NFS volume whose server does not answer fails after `mount.nfs`'s timeout (see `nfs`).
//! A gitRepo volume fails its SetUp (the plugin is disabled by default since v1.33), and a
//! GCE or AWS disk waits forever for an attachment (see `controller::volume::attachdetach`),
//! so such pods stay `ContainerCreating`.
//!
//! Mirrors the volume plugins' SetUp of pkg/volume/{configmap,secret,downwardapi,projected}
//! (v1.34): items select and rename keys, a missing key fails the mount with the plugin's
//! message unless the source is optional, and the kubelet refreshes atomic-writer volumes on
//! its periodic pod sync (`syncFrequency` 1 min) — a subPath mount is a copy made when the
//! container starts and is never refreshed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use base64::Engine;
use k8s_openapi::api::core::v1 as corev1;

use super::env::{self, EnvContext};
use super::runtime::Env;
use crate::controller::kind_of;
use crate::controller::volume::attachdetach;
use crate::time::{SimDuration, SimTime};

/// A volume's files: path inside the volume (no leading `/`) → contents.
pub type Files = Rc<RefCell<BTreeMap<String, Text>>>;

/// A file's contents in a volume: shared, so that the volumes projecting the same ConfigMap
/// or Secret key hold one string (every pod's service-account volume holds the cluster's CA
/// certificate, about 1.1 KB).
pub type Text = Rc<str>;

/// The kubelet's pod resync period (`syncFrequency`), after which mounted ConfigMaps and
/// Secrets show their new data.
pub const SYNC_PERIOD: SimDuration = SimDuration::from_secs(60);

/// Where the service-account admission plugin mounts the API credentials.
pub const SERVICE_ACCOUNT_MOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// A volume (or a part of it) mounted at `path` in one container.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount {
    pub path: String,
    pub files: Files,
    /// Directory (or single file, for a subPath file mount) inside the volume.
    pub sub: String,
    pub read_only: bool,
    /// For a volume the kubelet writes atomically (configMap, secret, downwardAPI,
    /// projected, mounted whole): when it was first written. Its top-level names are then
    /// symlinks into `..data` (pkg/volume/util/atomic_writer.go).
    pub atomic_since: Option<SimTime>,
    /// File modes of a kubelet-written volume: `defaultMode` and the `items`' own modes.
    pub modes: Option<Modes>,
}

/// The permission bits the kubelet gives a volume's files (`defaultMode`, default 0644, and
/// each item's `mode`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Modes {
    pub default: i32,
    pub by_path: BTreeMap<String, i32>,
}

impl Modes {
    /// The modes a configMap, secret, downwardAPI or projected volume asks for.
    fn of(v: &corev1::Volume) -> Option<Modes> {
        let mut by_path = BTreeMap::new();
        let mut add = |path: &str, mode: Option<i32>| {
            if let Some(m) = mode {
                by_path.insert(path.to_string(), m);
            }
        };
        let default = if let Some(c) = &v.config_map {
            c.items.iter().flatten().for_each(|i| add(&i.path, i.mode));
            c.default_mode
        } else if let Some(s) = &v.secret {
            s.items.iter().flatten().for_each(|i| add(&i.path, i.mode));
            s.default_mode
        } else if let Some(d) = &v.downward_api {
            d.items.iter().flatten().for_each(|i| add(&i.path, i.mode));
            d.default_mode
        } else if let Some(p) = &v.projected {
            for src in p.sources.iter().flatten() {
                if let Some(c) = &src.config_map {
                    c.items.iter().flatten().for_each(|i| add(&i.path, i.mode));
                }
                if let Some(s) = &src.secret {
                    s.items.iter().flatten().for_each(|i| add(&i.path, i.mode));
                }
            }
            p.default_mode
        } else {
            return None;
        };
        Some(Modes {
            default: default.unwrap_or(0o644),
            by_path,
        })
    }

    /// The mode of the file at `key` inside the volume.
    pub fn of_key(&self, key: &str) -> i32 {
        self.by_path.get(key).copied().unwrap_or(self.default)
    }
}

/// A node's root file system (what hostPath volumes reach).
pub type NodeFs = Files;

/// Volumes that outlive pods and nodes' file systems: PersistentVolumes that are not
/// hostPath and NFS shares, by identity (`pv/<name>`, `nfs/<server><path>`).
#[derive(Debug, Default)]
pub struct SharedVolumes {
    pub by_key: BTreeMap<String, Files>,
    /// The contents volumes take from ConfigMaps and Secrets, one string per distinct text.
    pub texts: Texts,
}

/// The texts kubelet-written volumes hold, so that equal contents are one string.
#[derive(Debug, Default)]
pub struct Texts {
    set: HashSet<Text>,
    /// How many texts were left after the last sweep of the ones no volume holds.
    kept: usize,
}

impl Texts {
    /// The shared string equal to `text`.
    pub fn share(&mut self, text: &str) -> Text {
        if let Some(found) = self.set.get(text) {
            return Rc::clone(found);
        }
        // Drops the texts only this set holds once it has doubled since the last sweep.
        if self.set.len() >= 2 * self.kept.max(32) {
            self.set.retain(|t| Rc::strong_count(t) > 1);
            self.kept = self.set.len();
        }
        let made: Text = text.into();
        self.set.insert(Rc::clone(&made));
        made
    }
}

/// What a volume's contents come from.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Written by the kubelet from API objects and refreshed on sync.
    Projected,
    /// Written by containers.
    Scratch,
    /// A directory of the node's file system or of a shared volume.
    Backed { sub: String },
}

#[derive(Debug, Clone, PartialEq)]
struct Volume {
    files: Files,
    kind: Kind,
}

/// The volumes of one pod on its node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodVolumes {
    volumes: BTreeMap<String, Volume>,
    /// Set once every volume is mounted.
    pub ready: bool,
    /// The last time projected volumes were refreshed.
    pub synced_at: Option<SimTime>,
    /// When the volumes were set up.
    pub mounted_at: Option<SimTime>,
    /// Failed mount attempts in a row (for the retry back-off).
    pub failures: u32,
    /// When the next mount attempt is due after a failure.
    pub retry_at: Option<SimTime>,
    /// File modes of the kubelet-written volumes, by volume name.
    modes: BTreeMap<String, Modes>,
    /// When the running `mount -t nfs` of each volume whose server does not answer began.
    nfs_started: BTreeMap<String, SimTime>,
    /// When the earliest of those mounts gives up (the next attempt is due then).
    pub pending_until: Option<SimTime>,
}

/// What setting up volumes needs from the kubelet.
pub struct VolumeContext<'a> {
    pub env: EnvContext<'a>,
    pub node_fs: &'a NodeFs,
    pub shared: &'a mut SharedVolumes,
    pub now: SimTime,
}

impl PodVolumes {
    /// Mounts every volume of the pod. Each failure is a `FailedMount` message.
    pub fn set_up(&mut self, cx: &mut VolumeContext<'_>) -> Result<(), Vec<String>> {
        // The pod outlives the context's borrow: its volumes are read in place.
        let pod: &corev1::Pod = cx.env.pod;
        let mut errors = Vec::new();
        let mut unattached = false;
        self.pending_until = None;
        let uid = pod.metadata.uid.as_deref().unwrap_or_default();
        for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
            if self.volumes.contains_key(&v.name) {
                continue;
            }
            match new_volume(v, cx) {
                Ok(vol) => {
                    if let Some(m) = Modes::of(v) {
                        self.modes.insert(v.name.clone(), m);
                    }
                    self.volumes.insert(v.name.clone(), vol);
                }
                Err(MountError::SetUp(e)) => errors.push(format!(
                    "MountVolume.SetUp failed for volume \"{}\" : {e}",
                    v.name
                )),
                // The kubelet waits for the attach/detach controller without an event.
                Err(MountError::NotAttached) => unattached = true,
                Err(MountError::Nfs(m, nfs::Outcome::FailsNow(output))) => {
                    errors.push(m.failure(uid, &output));
                }
                Err(MountError::Nfs(m, _)) => {
                    let started = *self.nfs_started.entry(v.name.clone()).or_insert(cx.now);
                    let due = started + nfs::MOUNT_TIMEOUT;
                    if cx.now >= due {
                        self.nfs_started.remove(&v.name);
                        errors.push(m.failure(uid, nfs::TIMED_OUT));
                    } else {
                        self.pending_until = Some(self.pending_until.map_or(due, |p| p.min(due)));
                    }
                }
            }
        }
        if errors.is_empty() && !unattached && self.pending_until.is_none() {
            self.ready = true;
            self.failures = 0;
            self.retry_at = None;
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The back-off before the next mount attempt (nestedpendingoperations: 500 ms doubling
    /// to 2 m 2 s).
    pub fn next_retry(&mut self, now: SimTime) -> SimTime {
        let ms = 500u64
            .saturating_mul(1 << self.failures.min(20))
            .min(122_000);
        self.failures += 1;
        let at = now + SimDuration::from_millis(ms);
        self.retry_at = Some(at);
        at
    }

    /// Rewrites the kubelet-written volumes from the current objects (the periodic sync);
    /// a source that vanished keeps its last contents, as the atomic writer does.
    pub fn refresh(&mut self, cx: &mut VolumeContext<'_>, now: SimTime) {
        self.synced_at = Some(now);
        let spec = cx.env.pod.spec.clone().unwrap_or_default();
        for v in spec.volumes.iter().flatten() {
            let Some(vol) = self.volumes.get(&v.name) else {
                continue;
            };
            if vol.kind != Kind::Projected {
                continue;
            }
            if let Ok(files) = projected_files(v, &cx.env, &mut cx.shared.texts) {
                let mut cur = vol.files.borrow_mut();
                if *cur != files {
                    *cur = files;
                }
            }
        }
    }

    /// Rewrites downwardAPI contents only (labels and annotations follow the pod at once).
    pub fn refresh_downward(&mut self, cx: &mut VolumeContext<'_>) {
        let spec = cx.env.pod.spec.clone().unwrap_or_default();
        for v in spec.volumes.iter().flatten() {
            if v.downward_api.is_none() {
                continue;
            }
            let Some(vol) = self.volumes.get(&v.name) else {
                continue;
            };
            if let Ok(files) = projected_files(v, &cx.env, &mut cx.shared.texts) {
                *vol.files.borrow_mut() = files;
            }
        }
    }

    /// The mounts of a container (subPath mounts of kubelet-written volumes are copies).
    pub fn mounts_for(&self, c: &corev1::Container) -> Vec<Mount> {
        // Kept for the container's life: room for its mounts only (pushes start at four).
        let mut out = Vec::with_capacity(c.volume_mounts.as_ref().map_or(0, Vec::len));
        for m in c.volume_mounts.iter().flatten() {
            let Some(vol) = self.volumes.get(&m.name) else {
                continue;
            };
            let path = normalize(&m.mount_path);
            let sub_path = m.sub_path.clone().unwrap_or_default();
            let sub_path = sub_path.trim_matches('/').to_string();
            let read_only = m.read_only == Some(true) || vol.kind == Kind::Projected;
            let (files, base) = match &vol.kind {
                Kind::Backed { sub } => (Rc::clone(&vol.files), sub.clone()),
                Kind::Projected if !sub_path.is_empty() => {
                    // A snapshot: later updates of the source never reach it.
                    let copy: BTreeMap<String, Text> = vol
                        .files
                        .borrow()
                        .iter()
                        .filter(|(k, _)| under(k, &sub_path))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (Rc::new(RefCell::new(copy)), String::new())
                }
                _ => (Rc::clone(&vol.files), String::new()),
            };
            let atomic = vol.kind == Kind::Projected && sub_path.is_empty();
            out.push(Mount {
                path,
                files,
                sub: join(&base, &sub_path),
                read_only,
                atomic_since: if atomic { self.mounted_at } else { None },
                modes: self.modes.get(&m.name).cloned(),
            });
        }
        out
    }
}

/// Why a volume cannot be set up yet.
#[derive(Debug, Clone, PartialEq)]
enum MountError {
    /// The plugin's SetUp failed: a `FailedMount` event.
    SetUp(String),
    /// A disk the attach/detach controller has not attached (it never will without its CSI
    /// driver): the kubelet keeps waiting.
    NotAttached,
    /// An NFS mount whose server does not answer.
    Nfs(nfs::NfsMount, nfs::Outcome),
}

impl From<String> for MountError {
    fn from(e: String) -> MountError {
        MountError::SetUp(e)
    }
}

/// pkg/volume/git_repo/git_repo.go (v1.34) `SetUpAt` with the `GitRepoVolumeDriver` feature
/// gate off, its default since v1.33 (KEP-5040).
pub const GIT_REPO_DISABLED: &str = "git-repo volume plugin has been disabled; if necessary, it may be re-enabled by enabling the feature-gate `GitRepoVolumeDriver`";

fn new_volume(v: &corev1::Volume, cx: &mut VolumeContext<'_>) -> Result<Volume, MountError> {
    let scratch = || Volume {
        files: Files::default(),
        kind: Kind::Scratch,
    };
    if v.git_repo.is_some() {
        return Err(MountError::SetUp(GIT_REPO_DISABLED.to_string()));
    }
    if v.empty_dir.is_some() {
        return Ok(scratch());
    }
    if let Some(h) = &v.host_path {
        return Ok(Volume {
            files: Rc::clone(cx.node_fs),
            kind: Kind::Backed {
                sub: h.path.trim_matches('/').to_string(),
            },
        });
    }
    if let Some(c) = &v.persistent_volume_claim {
        return claim_volume(&c.claim_name, cx);
    }
    if attachdetach::translate_inline(v).is_some() {
        return Err(MountError::NotAttached);
    }
    if let Some(n) = &v.nfs {
        return nfs_share(nfs::NfsMount::inline(v, n), cx);
    }
    if v.config_map.is_some()
        || v.secret.is_some()
        || v.downward_api.is_some()
        || v.projected.is_some()
    {
        let files =
            projected_files(v, &cx.env, &mut cx.shared.texts).map_err(MountError::SetUp)?;
        return Ok(Volume {
            files: Rc::new(RefCell::new(files)),
            kind: Kind::Projected,
        });
    }
    Ok(scratch())
}

/// An NFS share: the same files for every pod mounting it, once its server answers.
fn nfs_share(m: nfs::NfsMount, cx: &mut VolumeContext<'_>) -> Result<Volume, MountError> {
    match m.outcome(cx.env.store) {
        nfs::Outcome::Mounted => Ok(shared(cx, format!("nfs/{}{}", m.server, m.path), String::new())),
        outcome => Err(MountError::Nfs(m, outcome)),
    }
}

fn shared(cx: &mut VolumeContext<'_>, key: String, sub: String) -> Volume {
    let files = cx.shared.by_key.entry(key).or_default();
    Volume {
        files: Rc::clone(files),
        kind: Kind::Backed { sub },
    }
}

/// A claim's volume: the bound PV's hostPath on this node, or the PV's own storage.
fn claim_volume(claim: &str, cx: &mut VolumeContext<'_>) -> Result<Volume, MountError> {
    let ns = cx
        .env
        .pod
        .metadata
        .namespace
        .as_deref()
        .unwrap_or("default");
    let pvc = match cx
        .env
        .store
        .get(kind_of::<corev1::PersistentVolumeClaim>(), Some(ns), claim)
        .as_deref()
    {
        Ok(api::Object::PersistentVolumeClaim(p)) => p.clone(),
        _ => return Err(format!("persistentvolumeclaim \"{claim}\" not found").into()),
    };
    let Some(pv_name) = pvc
        .spec
        .as_ref()
        .and_then(|s| s.volume_name.clone())
        .filter(|n| !n.is_empty())
    else {
        return Err(format!("PVC {ns}/{claim} has non-bound phase (\"Pending\")").into());
    };
    let pv = match cx
        .env
        .store
        .get(kind_of::<corev1::PersistentVolume>(), None, &pv_name)
        .as_deref()
    {
        Ok(api::Object::PersistentVolume(p)) => p.clone(),
        _ => return Err(format!("persistentvolume \"{pv_name}\" not found").into()),
    };
    if attachdetach::translate_pv(&pv).is_some() {
        return Err(MountError::NotAttached);
    }
    let provisioned = pv
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("pv.kubernetes.io/provisioned-by"));
    let spec = pv.spec.unwrap_or_default();
    if let Some(n) = &spec.nfs {
        return nfs_share(nfs::NfsMount::of_pv(&pv_name, &spec, n), cx);
    }
    match (&spec.host_path, &spec.local) {
        (Some(h), _) if !provisioned => Ok(Volume {
            files: Rc::clone(cx.node_fs),
            kind: Kind::Backed {
                sub: h.path.trim_matches('/').to_string(),
            },
        }),
        (_, Some(l)) => Ok(Volume {
            files: Rc::clone(cx.node_fs),
            kind: Kind::Backed {
                sub: l.path.trim_matches('/').to_string(),
            },
        }),
        // A provisioned PV's directory goes with the PV (the provisioner deletes it), so its
        // data is keyed by the PV's unique name.
        _ => Ok(shared(cx, format!("pv/{pv_name}"), String::new())),
    }
}

/// The files of a configMap, secret, downwardAPI or projected volume.
fn projected_files(
    v: &corev1::Volume,
    cx: &EnvContext<'_>,
    texts: &mut Texts,
) -> Result<BTreeMap<String, Text>, String> {
    let ns = cx.pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut out = BTreeMap::new();
    let mut out_of = Selected { texts, out: &mut out };
    if let Some(c) = &v.config_map {
        config_map_files(cx, ns, &c.name, c.items.as_deref(), c.optional, &mut out_of)?;
    }
    if let Some(s) = &v.secret {
        let name = s.secret_name.clone().unwrap_or_default();
        secret_files(cx, ns, &name, s.items.as_deref(), s.optional, &mut out_of)?;
    }
    if let Some(d) = &v.downward_api {
        downward_files(cx, d.items.as_deref().unwrap_or_default(), out_of.out)?;
    }
    if let Some(p) = &v.projected {
        for src in p.sources.iter().flatten() {
            if let Some(c) = &src.config_map {
                config_map_files(cx, ns, &c.name, c.items.as_deref(), c.optional, &mut out_of)?;
            }
            if let Some(s) = &src.secret {
                secret_files(cx, ns, &s.name, s.items.as_deref(), s.optional, &mut out_of)?;
            }
            if let Some(d) = &src.downward_api {
                downward_files(cx, d.items.as_deref().unwrap_or_default(), out_of.out)?;
            }
            if let Some(t) = &src.service_account_token {
                out_of.out.insert(t.path.clone(), service_account_token(cx).into());
            }
        }
    }
    Ok(out)
}

fn config_map_files(
    cx: &EnvContext<'_>,
    ns: &str,
    name: &str,
    items: Option<&[corev1::KeyToPath]>,
    optional: Option<bool>,
    out: &mut Selected<'_>,
) -> Result<(), String> {
    let Some(data) = env::config_map(cx.store, ns, name) else {
        return if optional == Some(true) {
            Ok(())
        } else {
            Err(format!("configmap \"{name}\" not found"))
        };
    };
    select(
        data,
        items,
        optional,
        "configmap references non-existent config key",
        out,
    )
}

fn secret_files(
    cx: &EnvContext<'_>,
    ns: &str,
    name: &str,
    items: Option<&[corev1::KeyToPath]>,
    optional: Option<bool>,
    out: &mut Selected<'_>,
) -> Result<(), String> {
    let Some(data) = env::secret(cx.store, ns, name) else {
        return if optional == Some(true) {
            Ok(())
        } else {
            Err(format!("secret \"{name}\" not found"))
        };
    };
    select(
        data,
        items,
        optional,
        "references non-existent secret key",
        out,
    )
}

/// The files a volume gets from its sources, their ConfigMaps' and Secrets' contents shared.
struct Selected<'a> {
    texts: &'a mut Texts,
    out: &'a mut BTreeMap<String, Text>,
}

/// Mirrors MakePayload: every key as a file, or only the listed items under their paths.
fn select(
    data: BTreeMap<String, String>,
    items: Option<&[corev1::KeyToPath]>,
    optional: Option<bool>,
    missing: &str,
    out: &mut Selected<'_>,
) -> Result<(), String> {
    match items.filter(|i| !i.is_empty()) {
        None => {
            for (k, v) in data {
                out.out.insert(k, out.texts.share(&v));
            }
        }
        Some(items) => {
            for it in items {
                match data.get(&it.key) {
                    Some(v) => {
                        let text = out.texts.share(v);
                        out.out.insert(it.path.trim_matches('/').to_string(), text);
                    }
                    None if optional == Some(true) => {}
                    None => return Err(format!("{missing}: {}", it.key)),
                }
            }
        }
    }
    Ok(())
}

fn downward_files(
    cx: &EnvContext<'_>,
    items: &[corev1::DownwardAPIVolumeFile],
    out: &mut BTreeMap<String, Text>,
) -> Result<(), String> {
    for it in items {
        let value = if let Some(f) = &it.field_ref {
            env::pod_field(cx, &f.field_path)?
        } else if let Some(r) = &it.resource_field_ref {
            let spec = cx.pod.spec.clone().unwrap_or_default();
            let name = r.container_name.clone().unwrap_or_default();
            let Some(c) = spec.containers.iter().find(|c| c.name == name) else {
                return Err(format!("container {name} not found"));
            };
            env::resource_field(cx, c, r)?
        } else {
            continue;
        };
        out.insert(it.path.trim_matches('/').to_string(), value.into());
    }
    Ok(())
}

/// A bound service-account token: a JWT whose claims name the pod and its ServiceAccount
/// (the signature is a stand-in; [`crate::auth::token_user`] reads the subject back).
pub fn service_account_token(cx: &EnvContext<'_>) -> String {
    let ns = cx.pod.metadata.namespace.as_deref().unwrap_or("default");
    let sa = cx
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.service_account_name.as_deref())
        .unwrap_or("default");
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(r#"{"alg":"RS256","kid":"kubelab"}"#);
    let pod = cx.pod.metadata.name.as_deref().unwrap_or("");
    let uid = cx.pod.metadata.uid.as_deref().unwrap_or("");
    let payload = b64.encode(token_claims(ns, pod, uid, sa));
    let signature = b64.encode(format!("kubelab:{ns}:{sa}"));
    format!("{header}.{payload}.{signature}")
}

/// A token's claims as JSON, written as serde_json writes them from a `Value` (keys sorted,
/// no spaces): building and dropping that tree of maps was most of a pod's volume setup.
fn token_claims(ns: &str, pod: &str, uid: &str, sa: &str) -> String {
    let text = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let sub = format!("system:serviceaccount:{ns}:{sa}");
    format!(
        concat!(
            r#"{{"aud":["https://kubernetes.default.svc.cluster.local"],"#,
            r#""iss":"https://kubernetes.default.svc.cluster.local","#,
            r#""kubernetes.io":{{"namespace":{},"pod":{{"name":{},"uid":{}}},"#,
            r#""serviceaccount":{{"name":{}}}}},"sub":{}}}"#,
        ),
        text(ns),
        text(pod),
        text(uid),
        text(sa),
        text(&sub),
    )
}

/// A path as the kernel reads it from a process whose working directory is `/`: relative
/// paths start at the root, and empty or `.` components (`secrets//kubernetes.io`) vanish.
fn clean_path(p: &str) -> String {
    let parts: Vec<&str> = p.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    format!("/{}", parts.join("/"))
}

fn normalize(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

fn under(key: &str, dir: &str) -> bool {
    dir.is_empty() || key == dir || key.starts_with(&format!("{dir}/"))
}

/// Why a file operation failed, in busybox's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    ReadOnly,
}

impl Env {
    /// The mount holding `path` (the deepest one) and the key inside its volume.
    fn resolve(&self, path: &str) -> Option<(&Mount, String)> {
        let mut best: Option<(&Mount, String)> = None;
        for m in &self.mounts {
            let rel = if path == m.path {
                Some(String::new())
            } else if m.path == "/" {
                path.strip_prefix('/').map(str::to_string)
            } else {
                path.strip_prefix(&format!("{}/", m.path))
                    .map(str::to_string)
            };
            if let Some(rel) = rel
                && best
                    .as_ref()
                    .is_none_or(|(b, _)| b.path.len() < m.path.len())
            {
                best = Some((m, join(&m.sub, rel.trim_matches('/'))));
            }
        }
        best
    }

    /// The text of a file.
    pub fn read_file(&self, path: &str) -> Option<String> {
        let path = &clean_path(path);
        match self.resolve(path) {
            Some((m, key)) => m.files.borrow().get(&key).map(|t| t.to_string()),
            None => self.files.get(path).cloned(),
        }
    }

    /// Writes (or appends to) a file.
    ///
    /// # Errors
    /// `ReadOnly` inside a read-only mount.
    pub fn write_file(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        let path = &clean_path(path);
        match self.resolve(path) {
            Some((m, _)) if m.read_only => Err(FsError::ReadOnly),
            Some((m, key)) => {
                let mut files = m.files.borrow_mut();
                let entry = files.entry(key).or_insert_with(|| Text::from(""));
                *entry = if append {
                    format!("{entry}{text}").into()
                } else {
                    text.into()
                };
                Ok(())
            }
            None => {
                let entry = Arc::make_mut(&mut self.files).entry(path.to_string()).or_default();
                if append {
                    entry.push_str(text);
                } else {
                    *entry = text.to_string();
                }
                Ok(())
            }
        }
    }

    /// Creates an empty file if there is none.
    ///
    /// # Errors
    /// `ReadOnly` inside a read-only mount.
    pub fn touch_file(&mut self, path: &str) -> Result<(), FsError> {
        let path = &clean_path(path);
        if self.read_file(path).is_some() {
            return Ok(());
        }
        self.write_file(path, "", true)
    }

    /// Removes a file, or a directory's files when `recursive`.
    ///
    /// # Errors
    /// `NotFound`, or `ReadOnly` inside a read-only mount.
    pub fn remove_file(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let path = &clean_path(path);
        match self.resolve(path) {
            Some((m, _)) if m.read_only => Err(FsError::ReadOnly),
            Some((m, key)) => {
                let mut files = m.files.borrow_mut();
                if files.remove(&key).is_some() {
                    return Ok(());
                }
                let before = files.len();
                if recursive {
                    files.retain(|k, _| !under(k, &key) || key.is_empty() && k.is_empty());
                }
                if files.len() < before {
                    Ok(())
                } else {
                    Err(FsError::NotFound)
                }
            }
            None => {
                // Only a change copies an image's shared files.
                if self.files.contains_key(path) {
                    Arc::make_mut(&mut self.files).remove(path);
                    return Ok(());
                }
                let prefix = format!("{}/", path.trim_end_matches('/'));
                if recursive && self.files.keys().any(|k| k.starts_with(&prefix)) {
                    Arc::make_mut(&mut self.files).retain(|k, _| !k.starts_with(&prefix));
                    Ok(())
                } else {
                    Err(FsError::NotFound)
                }
            }
        }
    }

    /// The names in a directory (files, subdirectories and mount points), sorted; `None`
    /// when nothing is there. A file lists as its own path.
    pub fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let path = &clean_path(path);
        let dir = normalize(path);
        if self.read_file(&dir).is_some() {
            return Some(vec![path.to_string()]);
        }
        let mut names = std::collections::BTreeSet::new();
        let mut found = false;
        let child = |rest: &str| rest.split('/').next().unwrap_or(rest).to_string();
        if let Some((m, key)) = self.resolve(&dir) {
            found = true;
            for k in m.files.borrow().keys() {
                let rest = if key.is_empty() {
                    Some(k.as_str())
                } else {
                    k.strip_prefix(&format!("{key}/"))
                };
                if let Some(rest) = rest.filter(|r| !r.is_empty()) {
                    names.insert(child(rest));
                }
            }
        }
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        for k in self.files.keys() {
            // A volume mounted over an image directory hides the image's files there.
            if let Some(rest) = k.strip_prefix(&prefix)
                && self.resolve(k).is_none()
            {
                found = true;
                names.insert(child(rest));
            }
        }
        for m in &self.mounts {
            if let Some(rest) = m.path.strip_prefix(&prefix).filter(|r| !r.is_empty()) {
                found = true;
                names.insert(child(rest));
            }
        }
        found.then(|| names.into_iter().collect())
    }
}

/// One name in a long directory listing (`ls -l`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub kind: EntryKind,
    /// Modification time, when the simulation knows it (kubelet-written volumes).
    pub modified: Option<SimTime>,
    /// Permission bits of a file the kubelet wrote (its volume's `defaultMode`/`mode`).
    pub mode: Option<i32>,
}

/// What a directory entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File { size: usize },
    Dir,
    Symlink { target: String },
}

impl Env {
    /// The permission bits of a file in a kubelet-written volume.
    pub fn file_mode(&self, path: &str) -> Option<i32> {
        let (m, key) = self.resolve(&clean_path(path))?;
        m.modes.as_ref().map(|modes| modes.of_key(&key))
    }

    /// The entries of a directory with their kinds; `None` when nothing is there.
    pub fn list_dir_long(&self, path: &str) -> Option<Vec<DirEntry>> {
        let names = self.list_dir(path)?;
        let dir = normalize(&clean_path(path));
        if names.len() == 1 && names[0] == clean_path(path) && self.read_file(&dir).is_some() {
            let size = self.read_file(&dir).map_or(0, |t| t.len());
            return Some(vec![DirEntry {
                name: names[0].clone(),
                kind: EntryKind::File { size },
                modified: None,
                mode: self.file_mode(&dir),
            }]);
        }
        let atomic = self
            .resolve(&dir)
            .filter(|(m, key)| m.path == dir && key.is_empty())
            .and_then(|(m, _)| m.atomic_since);
        let entries = names
            .into_iter()
            .map(|name| {
                let full = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
                let kind = if atomic.is_some() {
                    EntryKind::Symlink {
                        target: format!("..data/{name}"),
                    }
                } else if let Some(text) = self.read_file(&full) {
                    EntryKind::File { size: text.len() }
                } else {
                    EntryKind::Dir
                };
                DirEntry {
                    mode: self.file_mode(&full),
                    name,
                    kind,
                    modified: atomic,
                }
            })
            .collect();
        Some(entries)
    }
}

impl super::pod_workers::PodWorker {
    /// Mounts the pod's volumes (retrying failures with `FailedMount` events) and refreshes
    /// kubelet-written ones on the sync period. Returns whether containers may proceed.
    pub(crate) fn mount_volumes(
        &mut self,
        node: &mut super::pod_workers::NodeCtx<'_>,
        now: SimTime,
        out: &mut super::pod_workers::SyncOutput,
    ) -> bool {
        let wake = |out: &mut super::pod_workers::SyncOutput, at: SimTime| {
            if out.wake.is_none_or(|w| at < w) {
                out.wake = Some(at);
            }
        };
        let pod = self.pod.clone();
        let mut cx = VolumeContext {
            env: EnvContext {
                store: node.store,
                pod: &pod,
                pod_ip: self.ip.as_deref().unwrap_or(""),
                host_ip: node.host_ip,
            },
            node_fs: node.node_fs,
            shared: node.shared_volumes,
            now,
        };
        if !self.volumes.ready {
            if let Some(at) = self.volumes.retry_at.filter(|t| now < *t) {
                wake(out, at);
                return false;
            }
            if let Err(msgs) = self.volumes.set_up(&mut cx) {
                if msgs.is_empty()
                    && let Some(at) = self.volumes.pending_until
                {
                    // A mount still running (an NFS server that does not answer).
                    wake(out, at);
                    return false;
                }
                let obj = pod.object();
                for m in msgs {
                    out.events.push(crate::controller::EventRecord::warning(
                        obj,
                        "FailedMount",
                        m,
                    ));
                }
                let at = self.volumes.next_retry(now);
                wake(out, at);
                return false;
            }
            self.volumes.synced_at = Some(now);
            self.volumes.mounted_at = Some(now);
        }
        if has_downward(&pod) {
            self.volumes.refresh_downward(&mut cx);
        }
        if needs_resync(&pod) {
            let due = self.volumes.synced_at.unwrap_or(now) + SYNC_PERIOD;
            if now >= due {
                self.volumes.refresh(&mut cx, now);
                wake(out, now + SYNC_PERIOD);
            } else {
                wake(out, due);
            }
        }
        true
    }
}

fn has_downward(pod: &corev1::Pod) -> bool {
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .any(|v| v.downward_api.is_some())
}

/// Whether the pod mounts ConfigMaps or Secrets that can change (the root CA bundle every
/// token volume projects never does).
fn needs_resync(pod: &corev1::Pod) -> bool {
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .any(|v| {
            v.config_map.is_some()
                || v.secret.is_some()
                || v.projected.as_ref().is_some_and(|p| {
                    p.sources.iter().flatten().any(|s| {
                        s.secret.is_some()
                            || s.config_map
                                .as_ref()
                                .is_some_and(|c| c.name != "kube-root-ca.crt")
                    })
                })
        })
}

mod nfs;

#[cfg(test)]
mod tests;

/// What `/usr/games/fortune` prints (luksa/fortune): one of a few fortunes, picked by the
/// simulated second so runs stay reproducible.
pub fn fortune(now: SimTime) -> &'static str {
    const FORTUNES: &[&str] = &[
        "You will be recognized and honored as a community leader.",
        "Your lucky number has been disconnected.",
        "Don't Worry, Be Happy.\n\t\t-- Meher Baba",
        "A gift of a flower will soon be made to you.",
        "You have an unusual equipment for success.  Be sure to use it properly.",
        "Q:\tHow many Bell Labs Vice Presidents does it take to change a light bulb?\nA:\tThat's proprietary information.  Answer available from AT&T on payment\n\tof license fee (binary only).",
        "Beware of low-flying butterflies.",
    ];
    FORTUNES[(now.as_millis() / 1000) as usize % FORTUNES.len()]
}
