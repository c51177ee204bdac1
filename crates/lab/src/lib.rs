//! A lab session: what the learner's terminal talks to, in the browser and natively alike.
//!
//! `Session` owns everything a lab needs (command history for now; the cluster, lesson progress
//! and the action log as they arrive). It never reads a clock and never touches the browser, so
//! the same commands give the same answers in `kubelab shell`, in tests and in the page.

mod command_line;
mod session;

pub use command_line::{split_words, SplitError};
pub use session::{Output, OutputLine, Session, Stream};

/// The version printed by `kubelab version`, from the workspace manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
