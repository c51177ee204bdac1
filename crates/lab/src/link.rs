//! Lab links: a whole lab (preset, seed, lesson and step, files, and everything the learner
//! did, with virtual timestamps) as one URL-safe string, and the lab rebuilt from it.
//!
//! The string is `serde_json` of a versioned [`LabLink`], deflate-compressed and base64url
//! (no padding). Decoding never trusts the text: its length, the inflated size, the JSON
//! shape, the version and every field are checked before anything runs, and replay checks
//! that each action happens at the virtual time the link says. A link holds data only; the
//! commands in it are terminal lines for the simulated cluster, run by [`Session`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::Session;

/// base64url without padding that accepts stray bits in the last character (a cut link).
const LENIENT_TAIL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// The link format this build writes and reads.
pub const LINK_VERSION: u32 = 1;
/// Longest encoded link accepted (characters after `#lab=`). Typical labs are far below 8 KB.
pub const MAX_LINK_CHARS: usize = 256 * 1024;
/// Most bytes a link may inflate to: bounds the work a hostile "zip bomb" can cause.
pub const MAX_INFLATED_BYTES: usize = 2 * 1024 * 1024;
/// Most actions a link may carry.
pub const MAX_ACTIONS: usize = 20_000;
/// Most files a link may carry.
pub const MAX_FILES: usize = 200;
/// Longest file, command or editor text, in bytes.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Longest virtual time a link may replay: a week of lab time.
pub const MAX_LAB_TIME_MS: u64 = 7 * 24 * 3600 * 1000;

/// The cluster a lab starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Preset {
    /// One node, `minikube`.
    Minikube,
    /// Three minikube nodes.
    Multinode,
    /// A tainted control plane and two workers.
    Kubeadm,
    /// A control plane and N workers.
    Large(u32),
}

impl Preset {
    /// The presets the page's picker offers.
    pub const CHOICES: [Preset; 7] = [
        Preset::Minikube,
        Preset::Multinode,
        Preset::Kubeadm,
        Preset::Large(10),
        Preset::Large(100),
        Preset::Large(1000),
        Preset::Large(5000),
    ];

    /// A freshly started cluster of this preset.
    pub fn build(self, seed: u64) -> cluster::Cluster {
        self.start_build(seed).finish()
    }

    /// This preset's cluster, to build in steps.
    pub fn start_build(self, seed: u64) -> cluster::presets::Build {
        use cluster::presets::{self, MinikubeProfile};
        match self {
            Preset::Minikube => presets::minikube_build(seed, &MinikubeProfile::default()),
            Preset::Multinode => presets::minikube_build(seed, &MinikubeProfile::multinode()),
            Preset::Kubeadm => presets::kubeadm_build(seed),
            Preset::Large(n) => presets::large_build(seed, n as usize),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Preset::Minikube => f.write_str("minikube"),
            Preset::Multinode => f.write_str("multinode"),
            Preset::Kubeadm => f.write_str("kubeadm"),
            Preset::Large(n) => write!(f, "large-{n}"),
        }
    }
}

impl FromStr for Preset {
    type Err = String;

    fn from_str(s: &str) -> Result<Preset, String> {
        match s {
            "minikube" => Ok(Preset::Minikube),
            "multinode" => Ok(Preset::Multinode),
            "kubeadm" => Ok(Preset::Kubeadm),
            _ => s
                .strip_prefix("large-")
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| (1..=cluster::presets::MAX_LARGE_NODES as u32).contains(n))
                .map(Preset::Large)
                .ok_or_else(|| format!("unknown cluster preset \"{s}\"")),
        }
    }
}

impl From<Preset> for String {
    fn from(p: Preset) -> String {
        p.to_string()
    }
}

impl TryFrom<String> for Preset {
    type Error = String;

    fn try_from(s: String) -> Result<Preset, String> {
        s.parse()
    }
}

/// One thing the lab was given. Short serde names keep links small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabAction {
    /// A terminal line (including here-document lines).
    #[serde(rename = "c")]
    Command(String),
    /// The editor wrote a lab file (Apply saves the buffer first).
    #[serde(rename = "w")]
    WriteFile { path: String, text: String },
    /// A `kubectl edit` buffer was saved.
    #[serde(rename = "e")]
    SaveEdit { text: String },
    /// `ms` of virtual time passed, `times` times in a row (the page's clock ticks).
    #[serde(rename = "t")]
    Advance {
        ms: u64,
        #[serde(default = "one", skip_serializing_if = "is_one")]
        times: u32,
    },
    /// Ctrl+C.
    #[serde(rename = "i")]
    Interrupt,
    /// Ctrl+Z.
    #[serde(rename = "z")]
    Suspend,
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// An action and the virtual time it was given at, in ms since the lab began: since the
/// preset was handed over, booted (links made before presets booted counted from the same
/// hand-over, then at 0 ms of cluster time, so they replay with the same spacing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedAction {
    #[serde(rename = "t")]
    pub at_ms: u64,
    #[serde(rename = "a")]
    pub action: LabAction,
}

/// The actions a session has been given, oldest first. Repeated equal time steps collapse
/// into one entry with a count, which replays identically.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionLog(Vec<TimedAction>);

impl ActionLog {
    pub fn push(&mut self, at_ms: u64, action: LabAction) {
        if let (
            Some(TimedAction {
                at_ms: first_at,
                action: LabAction::Advance { ms: last_ms, times },
            }),
            LabAction::Advance { ms, times: 1 },
        ) = (self.0.last_mut(), &action)
            && *last_ms == *ms
            && *first_at + *last_ms * u64::from(*times) == at_ms
            && *times < u32::MAX
        {
            *times += 1;
            return;
        }
        self.0.push(TimedAction { at_ms, action });
    }

    pub fn actions(&self) -> &[TimedAction] {
        &self.0
    }
}

/// A whole lab, as a link carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabLink {
    /// Format version ([`LINK_VERSION`]).
    pub v: u32,
    pub preset: Preset,
    pub seed: u64,
    /// The lesson open when the link was made, and its step (both set by the lessons panel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// The lab's files when the link was made (path relative to the home directory → text);
    /// written after replay, so files made any way come back.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// The editor's text, saved or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor: Option<String>,
    /// What the learner did, in order.
    #[serde(default)]
    pub actions: Vec<TimedAction>,
    /// The virtual clock when the link was made, in ms since the lab began (as `at_ms`);
    /// replay must end exactly there.
    pub now_ms: u64,
}

/// Why a link could not be opened. Every variant leaves the learner's lab untouched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link holds no lab")]
    Empty,
    #[error("the link is too long ({chars} characters; at most {MAX_LINK_CHARS} are accepted)")]
    TooLong { chars: usize },
    #[error("the link is damaged: it is not valid base64url text")]
    NotBase64,
    #[error("the link is incomplete: it was cut off when it was copied")]
    Truncated,
    #[error("the link is damaged: its compressed data is corrupt")]
    Corrupt,
    #[error("the link unpacks to more than {MAX_INFLATED_BYTES} bytes and was refused")]
    TooLarge,
    #[error("the link is not a kubelab lab: {0}")]
    NotALab(String),
    #[error("the link was made by a newer kubelab (format {found}; this page reads format {LINK_VERSION})")]
    Version { found: u32 },
    #[error("the link's lab is not valid: {0}")]
    Invalid(String),
    #[error("the link's lab could not be replayed: {0}")]
    Replay(String),
}

impl LabLink {
    /// The link for a session as it stands now.
    pub fn of(session: &Session, editor: Option<&str>, lesson: Option<&str>, step: Option<u32>) -> LabLink {
        LabLink {
            v: LINK_VERSION,
            preset: session.preset(),
            seed: session.seed(),
            lesson: lesson.map(str::to_string),
            step,
            files: machinery::sort::map_of(session.files()),
            editor: editor.map(str::to_string),
            actions: session
                .settled_actions()
                .into_iter()
                .map(|timed| TimedAction {
                    at_ms: timed.at_ms.saturating_sub(session.handed_over_ms()),
                    ..timed
                })
                .collect(),
            now_ms: session
                .settled_now_ms()
                .saturating_sub(session.handed_over_ms()),
        }
    }

    /// The URL-safe text of the link (deflate + base64url).
    pub fn encode(&self) -> String {
        // Serializing plain strings, integers and maps cannot fail.
        let json = serde_json::to_vec(self).unwrap_or_default();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        URL_SAFE_NO_PAD.encode(packed)
    }

    /// The lab as a readable JSON file (export).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an exported lab file: its JSON, or a link's text (with or without the page
    /// address and `#lab=` before it). Checked as strictly as a link.
    ///
    /// # Errors
    /// As [`LabLink::decode`].
    pub fn from_file(text: &str) -> Result<LabLink, LinkError> {
        let text = text.trim();
        if !text.starts_with('{') {
            let payload = text.rsplit_once("#lab=").map_or(text, |(_, p)| p);
            return LabLink::decode(payload);
        }
        if text.len() > MAX_INFLATED_BYTES {
            return Err(LinkError::TooLarge);
        }
        LabLink::from_json_bytes(text.as_bytes())
    }

    fn from_json_bytes(json: &[u8]) -> Result<LabLink, LinkError> {
        // Read the version first so a newer format says so instead of failing on a field.
        let value: serde_json::Value =
            serde_json::from_slice(json).map_err(|e| LinkError::NotALab(e.to_string()))?;
        let found = value
            .get("v")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| LinkError::NotALab("it has no format version".into()))?;
        if found != u64::from(LINK_VERSION) {
            return Err(LinkError::Version {
                found: u32::try_from(found).unwrap_or(u32::MAX),
            });
        }
        let link: LabLink =
            serde_json::from_value(value).map_err(|e| LinkError::NotALab(e.to_string()))?;
        link.check()?;
        Ok(link)
    }

    /// Reads and checks a link's text.
    ///
    /// # Errors
    /// A [`LinkError`] saying what is wrong with it; nothing has run.
    pub fn decode(text: &str) -> Result<LabLink, LinkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LinkError::Empty);
        }
        if text.len() > MAX_LINK_CHARS {
            return Err(LinkError::TooLong { chars: text.chars().count() });
        }
        // A link cut off mid-character leaves a dangling sixth of a byte; drop it so the cut
        // is reported as the truncation it is.
        let whole = if text.len() % 4 == 1 { &text[..text.len() - 1] } else { text };
        let packed = LENIENT_TAIL.decode(whole).map_err(|_| LinkError::NotBase64)?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
                miniz_oxide::inflate::TINFLStatus::FailedCannotMakeProgress
                | miniz_oxide::inflate::TINFLStatus::NeedsMoreInput => LinkError::Truncated,
                _ => LinkError::Corrupt,
            })?;
        LabLink::from_json_bytes(&json)
    }

    /// Field checks: sizes, paths, and timestamps that only move forward, within the clock.
    fn check(&self) -> Result<(), LinkError> {
        let invalid = |m: String| Err(LinkError::Invalid(m));
        if self.actions.len() > MAX_ACTIONS {
            return invalid(format!("{} actions (at most {MAX_ACTIONS})", self.actions.len()));
        }
        if self.files.len() > MAX_FILES {
            return invalid(format!("{} files (at most {MAX_FILES})", self.files.len()));
        }
        if self.now_ms > MAX_LAB_TIME_MS {
            return invalid("its clock is past one week of lab time".into());
        }
        for (path, text) in &self.files {
            check_path(path)?;
            check_text("a file", text)?;
        }
        if let Some(text) = &self.editor {
            check_text("the editor's text", text)?;
        }
        if let Some(lesson) = &self.lesson
            && (lesson.len() > 200 || lesson.chars().any(char::is_control))
        {
            return invalid("the lesson name is not valid".into());
        }
        let mut clock = 0u64;
        for (i, timed) in self.actions.iter().enumerate() {
            if timed.at_ms < clock || timed.at_ms > self.now_ms {
                return invalid(format!("action {} is out of time order", i + 1));
            }
            clock = timed.at_ms;
            match &timed.action {
                LabAction::Command(line) => check_text("a command", line)?,
                LabAction::WriteFile { path, text } => {
                    check_path(path)?;
                    check_text("a file", text)?;
                }
                LabAction::SaveEdit { text } => check_text("an edit", text)?,
                LabAction::Advance { ms, times } => {
                    let span = ms.checked_mul(u64::from(*times)).and_then(|d| d.checked_add(clock));
                    match span {
                        Some(end) if end <= self.now_ms => clock = end,
                        _ => return invalid(format!("action {} passes the link's clock", i + 1)),
                    }
                }
                LabAction::Interrupt | LabAction::Suspend => {}
            }
        }
        Ok(())
    }

    /// Rebuilds the lab: a fresh cluster of the preset and seed, every action replayed at the
    /// virtual time it was given (counted from the hand-over), then the files written. The
    /// result is paused exactly at the link's clock.
    ///
    /// # Errors
    /// `Replay` when an action does not happen at its recorded time (a damaged or forged
    /// log), before any later action runs.
    pub fn replay(&self) -> Result<Session, LinkError> {
        self.check()?;
        let mut session = Session::with_preset(self.preset, self.seed);
        // The link's times count from the hand-over; the session's from the cluster's start.
        let start = session.handed_over_ms();
        let lab_now = |s: &Session| s.now_ms().saturating_sub(start);
        for (i, timed) in self.actions.iter().enumerate() {
            let now = lab_now(&session);
            if now != timed.at_ms {
                return Err(LinkError::Replay(format!(
                    "action {} was recorded at {} ms of lab time but replays at {now} ms",
                    i + 1,
                    timed.at_ms
                )));
            }
            // A `sleep` may not run past the next action's time: that bounds replay work.
            let next_at = start + self.actions.get(i + 1).map_or(self.now_ms, |n| n.at_ms);
            match &timed.action {
                LabAction::Command(line) => {
                    if !session.replay_command(line, next_at) {
                        return Err(LinkError::Replay(format!(
                            "`{line}` would run the clock past the next recorded action"
                        )));
                    }
                }
                LabAction::WriteFile { path, text } => session.write_file(path, text),
                LabAction::SaveEdit { text } => {
                    session.save_edit(text);
                }
                LabAction::Advance { ms, times } => {
                    for _ in 0..*times {
                        session.advance(*ms);
                    }
                }
                LabAction::Interrupt => session.interrupt(),
                LabAction::Suspend => {
                    session.suspend();
                }
            }
        }
        let now = lab_now(&session);
        if now > self.now_ms {
            return Err(LinkError::Replay(format!(
                "the lab ran to {now} ms of lab time, past the link's {} ms",
                self.now_ms
            )));
        }
        if now < self.now_ms {
            // The time between the last action and sharing passed with nothing typed.
            session.advance(self.now_ms - now);
        }
        for (path, text) in &self.files {
            if session.file(path).as_deref() != Some(text.as_str()) {
                session.write_file(path, text);
            }
        }
        Ok(session)
    }
}

fn check_text(what: &str, text: &str) -> Result<(), LinkError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(LinkError::Invalid(format!(
            "{what} is longer than {MAX_TEXT_BYTES} bytes"
        )));
    }
    Ok(())
}

fn check_path(path: &str) -> Result<(), LinkError> {
    let ok = !path.is_empty()
        && path.len() <= 255
        && !path.chars().any(char::is_control)
        && !path.split('/').any(|p| p == "..");
    if ok {
        Ok(())
    } else {
        Err(LinkError::Invalid(format!("the file name {path:?} is not allowed")))
    }
}

#[cfg(test)]
mod tests;
