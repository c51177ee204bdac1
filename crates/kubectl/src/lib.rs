//! kubectl for the simulated cluster: the command grammar, the verbs, and the text kubectl
//! prints, word for word as kubectl v1.34.
//!
//! # Invariants
//! - Sees the cluster only through the API store's client surface (`cluster::Store`): get,
//!   list, create, update, patch, delete, watch and the server-side table printers.
//! - Never reads a clock, a file or the network: time comes from the store, files from the
//!   [`Files`] trait the lab implements, so it builds for wasm32 unchanged.
//! - Never panics on what a learner types; every mistake becomes kubectl's own message.

pub mod commands;
pub mod complete;
mod context;
mod describe;
mod errors;
mod help;
mod manifest;
pub mod parse;
pub mod render;
mod resources;
mod suggest;
mod verbs;
mod waiting;
mod watch;

use std::collections::BTreeSet;

use cluster::Store;
use cluster::apiserver::Warnings;

pub use context::{ContextEntry, Kubeconfig};
pub use errors::{KubectlError, connection_refused};
pub use verbs::attach::Attach;
pub use verbs::exec::ShellSession;
pub use verbs::proxy::{ApiProxy, PodProxyTarget};
pub use verbs::logs::LogFollow;
pub use waiting::WaitStream;
pub use watch::WatchStream;

/// Which stream a printed line goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One printed line (without its newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub stream: Stream,
    pub text: String,
}

/// A file the lab's file system could not give.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the path \"{0}\" does not exist")]
    NotFound(String),
    #[error("{0}: is a directory")]
    IsDirectory(String),
}

/// The lab's files, as kubectl reads them for `-f`, `--from-file` and friends.
pub trait Files {
    /// The text of a file.
    ///
    /// # Errors
    /// `NotFound` or `IsDirectory`.
    fn read(&self, path: &str) -> Result<String, FileError>;
    /// Whether `path` names a directory.
    fn is_dir(&self, path: &str) -> bool;
    /// The entries of a directory, as paths joined to `path`, sorted by name; files only
    /// unless `recursive`, which descends into subdirectories.
    fn list_files(&self, path: &str, recursive: bool) -> Vec<String>;
}

/// A file system with no files, for callers that have none.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, FileError> {
        Err(FileError::NotFound(path.to_string()))
    }
    fn is_dir(&self, _path: &str) -> bool {
        false
    }
    fn list_files(&self, _path: &str, _recursive: bool) -> Vec<String> {
        Vec::new()
    }
}

/// Everything one kubectl invocation works with.
pub struct Env<'a> {
    pub store: &'a mut Store,
    pub files: &'a dyn Files,
    pub config: &'a mut Kubeconfig,
    /// Text piped or redirected into kubectl (`-f -`), if any.
    pub stdin: Option<&'a str>,
    /// The command line as typed, for `--record` and the change-cause annotation.
    pub command_line: &'a str,
    /// The pod subresources the API server proxies to kubelets (`logs`, `exec`,
    /// `port-forward`); `&mut cluster::NoPods` where no cluster runs pods.
    pub pods: &'a mut dyn cluster::PodProxy,
}

/// A request to open an object in the lab's editor (`kubectl edit`); saving it is applied
/// with [`apply_edit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditRequest {
    /// Buffer name, e.g. `deployment.apps/web`.
    pub title: String,
    /// The YAML the editor opens, with kubectl's comment header.
    pub text: String,
    /// Namespace of the object.
    pub namespace: Option<String>,
    /// The object as it was read when the edit began, as YAML: a save patches the changes
    /// made since then, so what controllers wrote meanwhile (status, resourceVersion) never
    /// conflicts with the learner's edit. Pass it back to [`apply_edit`].
    pub original: String,
}

/// What one kubectl invocation produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub lines: Vec<Line>,
    /// kubectl's exit status: 0 on success, 1 on errors.
    pub exit_code: i32,
    /// A stream that goes on printing as time passes (`get -w`), polled by the lab.
    pub watch: Option<WatchStream>,
    /// An object to open in the editor (`edit`).
    pub edit: Option<EditRequest>,
    /// Objects kubectl waits to see gone before returning (`delete --wait`); the lab runs
    /// the simulation until they are, as the real command blocks.
    pub wait_gone: Vec<GoneKey>,
    /// A `logs -f` still streaming; the lab polls it as simulated time passes.
    pub follow: Option<LogFollow>,
    /// `exec -it … sh`: the lab's terminal becomes the container's shell until `exit`.
    pub shell: Option<ShellSession>,
    /// Files kubectl writes on the learner's machine (`cp pod:/path file`): path → text.
    pub write_files: Vec<(String, String)>,
    /// A command that blocks while the cluster changes (`rollout status`, `wait`, `drain`);
    /// the lab steps the simulation and polls it until it reports an exit status.
    pub wait: Option<WaitStream>,
    /// Simulated time the command itself took (an exec'd `curl` waiting for its timeout);
    /// the lab lets it pass before the prompt returns.
    pub busy: cluster::SimDuration,
    /// `run -i/-t/--rm`: the lab runs the simulation until [`Attach::ready`], then prints
    /// [`Attach::finish`].
    pub attach: Option<Attach>,
    /// `proxy`: the lab serves the API on this local port until Ctrl+C.
    pub proxy: Option<ApiProxy>,
    /// The API server's warnings for this invocation's requests, printed before the next
    /// line (see [`Outcome::flush_warnings`]).
    warnings: Option<Warnings>,
    /// Warning texts already printed: kubectl shows each once per invocation.
    warned: BTreeSet<String>,
    /// The last line on standard output ends without a newline (`-o jsonpath`, a Go
    /// template): a pipe or a file receives it without one.
    pub unterminated: bool,
}

/// An object `delete` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoneKey {
    pub info: &'static api::KindInfo,
    pub namespace: Option<String>,
    pub name: String,
    pub uid: String,
}

impl GoneKey {
    /// Whether the object (this incarnation of it) no longer exists.
    pub fn is_gone(&self, store: &Store) -> bool {
        match store.get(self.info, self.namespace.as_deref(), &self.name) {
            Ok(o) => o.meta().uid.as_deref().unwrap_or("") != self.uid,
            Err(_) => true,
        }
    }
}

impl Outcome {
    /// An outcome that prints the warnings `store` returns for its requests until
    /// [`Outcome::finish_warnings`].
    fn listening(store: &mut Store) -> Outcome {
        let channel = Warnings::default();
        store.set_warnings(Some(channel.clone()));
        Outcome {
            warnings: Some(channel),
            ..Outcome::default()
        }
    }

    /// Prints the warnings that arrived since the last line, each as kubectl's default
    /// warning handler does (`Warning: text` on stderr, deduplicated; client-go rest
    /// WarningWriter, set up in kubectl/pkg/cmd/cmd.go), so they come before the output of
    /// the answer that carried them.
    pub(crate) fn flush_warnings(&mut self) {
        let Some(channel) = &self.warnings else {
            return;
        };
        for text in channel.take() {
            if self.warned.insert(text.clone()) {
                self.lines.push(Line {
                    stream: Stream::Stderr,
                    text: format!("Warning: {text}"),
                });
            }
        }
    }

    /// Prints the last warnings and stops listening to `store`.
    fn finish_warnings(&mut self, store: &mut Store) {
        self.flush_warnings();
        store.set_warnings(None);
        self.warnings = None;
    }

    /// Appends already printed lines (a stream's first poll).
    pub(crate) fn extend(&mut self, lines: Vec<Line>) {
        self.flush_warnings();
        if lines.iter().any(|l| l.stream == Stream::Stdout) {
            self.unterminated = false;
        }
        self.lines.extend(lines);
    }

    pub(crate) fn out(&mut self, text: impl AsRef<str>) {
        self.flush_warnings();
        self.unterminated = false;
        for line in text.as_ref().split('\n') {
            self.lines.push(Line {
                stream: Stream::Stdout,
                text: line.to_string(),
            });
        }
    }

    /// Prints text that may end in a newline (the last empty piece is dropped).
    pub(crate) fn out_block(&mut self, text: &str) {
        let text = text.strip_suffix('\n').unwrap_or(text);
        self.out(text);
    }

    /// Prints text as it is, adding no newline of kubectl's: a template's output ends where
    /// the template ends (`-o jsonpath='{.spec.nodeName}'` prints the name alone).
    pub(crate) fn out_raw(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.out_block(text);
        self.unterminated = !text.ends_with('\n');
    }

    pub(crate) fn err(&mut self, text: impl AsRef<str>) {
        self.flush_warnings();
        for line in text.as_ref().split('\n') {
            self.lines.push(Line {
                stream: Stream::Stderr,
                text: line.to_string(),
            });
        }
    }

    /// Prints an error kubectl's way and sets the exit status.
    pub(crate) fn fail(&mut self, e: &KubectlError) {
        self.err(e.to_string());
        self.exit_code = 1;
    }

    /// The text as a terminal shows it (streams interleaved), for tests.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }
}

/// Runs `kubectl <args>`; `args` excludes the program name.
pub fn run(args: &[String], env: &mut Env<'_>) -> Outcome {
    let mut out = Outcome::listening(env.store);
    if let Err(e) = verbs::dispatch(args, env, &mut out) {
        out.fail(&e);
    }
    out.finish_warnings(env.store);
    out
}

/// The end of a shell session `run -it` or `exec -it` attached the terminal to: kubectl's
/// re-attach hint and the `--rm` deletion.
pub fn end_shell(shell: &ShellSession, store: &mut Store) -> Outcome {
    verbs::attach::end_session(shell, store)
}

/// Applies the text saved from an `edit` buffer, as kubectl does when the editor closes.
/// `original` is the request's [`EditRequest::original`] (None: the object as it is now);
/// `reopened` is the buffer a failed save reopened, if the last save failed.
pub fn apply_edit(text: &str, reopened: Option<&str>, original: Option<&str>, env: &mut Env<'_>) -> Outcome {
    let mut out = Outcome::listening(env.store);
    if let Err(e) = verbs::edit::save(text, reopened, original, env, &mut out) {
        out.fail(&e);
    }
    out.finish_warnings(env.store);
    out
}
