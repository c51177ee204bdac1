//! A lab session: what the learner's terminal talks to, in the browser and natively alike.
//!
//! `Session` owns everything a lab needs: the seed, the simulated cluster, the lab's files,
//! the kubeconfig and the command history. It never reads a clock and never touches the
//! browser: time passes only through `sleep` and [`Session::advance`], so the same seed and
//! the same lines give the same screens in `kubelab shell`, `kubelab script`, tests and the
//! page.

mod alias;
mod arith;
mod command_line;
mod complete;
mod coreutils;
mod expand;
pub mod fs;
pub mod inspect;
pub mod lesson;
pub mod link;
pub mod manifest_check;
pub mod pace;
mod exec_mode;
pub mod field_docs;
mod grep;
mod interp;
mod job_control;
mod jobs;
mod loops;
mod pipe;
mod pipe_commands;
mod test_expr;
mod minikube;
mod minikube_driver;
mod minikube_flags;
mod minikube_node;
mod minikube_profile;
mod minikube_reason;
mod net;
mod preset_build;
mod read;
mod session;
mod shell;
mod sink;
mod text_tools;
mod xargs;
mod vars;
pub mod timeseries;
pub mod view;
pub mod transcript;

pub use command_line::{SplitError, split_words};
pub use complete::Completion;
pub use link::{LabAction, LabLink, LinkError, Preset, TimedAction};
pub use preset_build::PresetBuild;
pub use session::{DEFAULT_SEED, Output, OutputLine, Session, Stream};
pub use view::{ClusterSnapshot, NodeView, PodState, PodView};

/// The version printed by `kubelab version`, from the workspace manifest.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
