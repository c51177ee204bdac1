//! Commands that block while the cluster changes: `rollout status`, `wait`, `drain`,
//! `events -w`.
//!
//! kubectl blocks on a watch until a condition holds or a timeout passes. Here the lab owns
//! the clock: it steps the simulation and calls [`WaitStream::poll`] after each step, printing
//! what the command prints meanwhile, until the stream reports it is done. A stream also
//! names its deadline (`--timeout`) so the lab can stop the clock exactly there.

use std::fmt;

use cluster::{SimTime, Store};

use crate::Line;

/// What one poll produced.
#[derive(Debug, Default)]
pub struct Progress {
    pub lines: Vec<Line>,
    /// The command finished, with this exit status.
    pub exit: Option<i32>,
}

impl Progress {
    pub(crate) fn out(&mut self, text: &str) {
        push(&mut self.lines, crate::Stream::Stdout, text);
    }

    pub(crate) fn err(&mut self, text: &str) {
        push(&mut self.lines, crate::Stream::Stderr, text);
    }

    pub(crate) fn finish(&mut self, code: i32) {
        self.exit = Some(code);
    }
}

fn push(lines: &mut Vec<Line>, stream: crate::Stream, text: &str) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    for l in text.split('\n') {
        lines.push(Line {
            stream,
            text: l.to_string(),
        });
    }
}

/// One blocking command's state between polls. Not `Debug`: a trait object's vtable keeps
/// every method, so a `Debug` here would put the derived `Debug` of every API type the
/// commands hold into the page's wasm.
pub(crate) trait Waiter {
    /// Looks at the store (now at `store.now()`), prints what is new, and says whether the
    /// command is done.
    fn poll(&mut self, store: &mut Store) -> Progress;
    /// The instant the command gives up (`--timeout`), if any.
    fn deadline(&self) -> Option<SimTime>;
    /// Releases watches (the command ended or was interrupted).
    fn stop(&mut self, store: &mut Store);
}

/// A command still running; the lab polls it as simulated time passes.
pub struct WaitStream {
    inner: Box<dyn Waiter>,
    exit: Option<i32>,
    /// The command returns the prompt at once and prints as time passes (`events -w`),
    /// rather than holding it (`rollout status`).
    background: bool,
}

impl fmt::Debug for WaitStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitStream")
            .field("exit", &self.exit)
            .field("background", &self.background)
            .finish_non_exhaustive()
    }
}

impl WaitStream {
    pub(crate) fn new(inner: impl Waiter + 'static) -> WaitStream {
        WaitStream {
            inner: Box::new(inner),
            exit: None,
            background: false,
        }
    }

    /// A stream that prints in the background, like `get -w`.
    pub(crate) fn in_background(inner: impl Waiter + 'static) -> WaitStream {
        WaitStream {
            background: true,
            ..WaitStream::new(inner)
        }
    }

    /// Whether the command holds the prompt until it ends.
    pub fn blocks(&self) -> bool {
        !self.background
    }

    /// What the command printed since the last poll. Once it reports an exit status, later
    /// polls print nothing.
    pub fn poll(&mut self, store: &mut Store) -> Vec<Line> {
        if self.exit.is_some() {
            return Vec::new();
        }
        let p = self.inner.poll(store);
        if let Some(code) = p.exit {
            self.exit = Some(code);
            self.inner.stop(store);
        }
        p.lines
    }

    /// The exit status, once the command finished.
    pub fn exit_code(&self) -> Option<i32> {
        self.exit
    }

    /// When the command gives up on its own.
    pub fn deadline(&self) -> Option<SimTime> {
        self.inner.deadline()
    }

    /// Ends the command (Ctrl+C, or the next command line).
    pub fn stop(&mut self, store: &mut Store) {
        self.inner.stop(store);
    }
}

/// A `--timeout` value: Go's duration syntax, as pflag's DurationVar parses it.
///
/// # Errors
/// pflag's `invalid argument "x" for "--timeout" flag: time: invalid duration "x"`.
pub(crate) fn parse_timeout(
    ctx: &crate::verbs::Ctx,
    flag: &str,
    default: &str,
) -> Result<i64, crate::KubectlError> {
    let raw = ctx.parsed.string(flag).unwrap_or(default);
    machinery::duration::parse_go_duration(raw).map_err(|e| crate::KubectlError::Flag {
        source: crate::parse::ParseError::InvalidArgument {
            value: raw.to_string(),
            flag: format!("--{flag}"),
            cause: e.to_string(),
        },
        command: ctx.path.clone(),
    })
}
