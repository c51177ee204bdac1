//! Every string the cluster view, inspector, events drawer and plots show, in one place so the
//! page's translations can take them over. kubectl's own words (statuses, describe, YAML) are
//! never translated: they are what the terminal prints.

use lab::PodState;

pub const CLUSTER_VIEW: &str = "Cluster view";
pub const NODES_MODE: &str = "Nodes";
pub const WORKLOADS_MODE: &str = "Workloads";
pub const VIEW_MODE: &str = "What the cluster view shows";
pub const WAITING_LANE: &str = "Waiting for a node (scheduling lane)";
pub const SERVICES_LANE: &str = "Services";
pub const NO_PODS: &str = "no pods";
pub const CORDONED: &str = "cordoned";
pub const TAINTS: &str = "taints";
pub const CPU: &str = "CPU";
pub const MEMORY: &str = "Mem";
pub const RESTARTS: &str = "restarts";
pub const NOT_READY: &str = "not ready";
pub const PODS: &str = "pods";
pub const COUNTS_NOTE: &str = "More than 200 pods: nodes show counts and animation is off.";
pub const DENSITY_NOTE: &str = "Each square is a node; darker means more CPU requested. Crossed squares are NotReady, outlined ones cordoned.";
pub const NO_WORKLOADS: &str =
    "No workloads yet. Try: kubectl create deployment web --image=nginx --replicas=3";
pub const LEGEND: &str = "Pod states";
pub const READY_ENDPOINT: &str = "ready endpoint";
pub const NOT_READY_ENDPOINT: &str = "not-ready endpoint (dashed)";

pub const INSPECTOR: &str = "Inspector";
pub const CLOSE: &str = "Close";
pub const DESCRIBE: &str = "Describe";
pub const YAML: &str = "YAML";
pub const EVENTS: &str = "Events";
pub const LOGS: &str = "Logs";
pub const SCHEDULING: &str = "Scheduling";
pub const SHELL: &str = "Shell";
pub const SHELL_INPUT: &str = "A command to run in a container of pod";
pub const SHELL_PLACEHOLDER: &str = "a command, e.g. ls / or env";
pub const SCHEDULER_SAYS: &str = "The scheduler's latest attempt";
pub const ATTEMPT: &str = "attempt";
pub const EVALUATED: &str = "nodes evaluated";
pub const NODE: &str = "Node";
pub const RESULT: &str = "Result";
pub const PLUGIN: &str = "Filter";
pub const DETAIL: &str = "Why";
pub const FITS: &str = "fits";
pub const REJECTED: &str = "rejected";
pub const NOT_TRIED: &str = "The scheduler has not tried this pod yet.";

pub const DRAWER: &str = "Events and plots";
pub const PLOTS: &str = "Plots";
pub const SHOW: &str = "Show";
pub const HIDE: &str = "Hide";
pub const FILTER_OBJECT: &str = "Object";
pub const FILTER_TYPE: &str = "Type";
pub const FILTER_REASON: &str = "Reason";
pub const ALL: &str = "All";
pub const NO_EVENTS: &str = "No events match.";
pub const LAST_SEEN: &str = "LAST SEEN";
pub const TYPE: &str = "TYPE";
pub const REASON: &str = "REASON";
pub const OBJECT: &str = "OBJECT";
pub const MESSAGE: &str = "MESSAGE";

pub const DEPLOYMENT: &str = "Deployment";
pub const REPLICAS_PER_RS: &str = "Replicas per ReplicaSet";
pub const DESIRED_VS_READY: &str = "Desired vs ready";
pub const RESTARTS_PER_CONTAINER: &str = "Restarts per container";
pub const EXPORT_PNG: &str = "PNG";
pub const EXPORT_PNG_LABEL: &str = "Download this plot as a PNG image";
pub const NO_DATA: &str = "No data yet: the plot fills in as virtual time passes.";
pub const SECONDS: &str = "virtual seconds";

/// A pod state's words on its chip and in the legend.
pub fn state_name(state: PodState) -> &'static str {
    match state {
        PodState::Pending => "Pending",
        PodState::ContainerCreating => "ContainerCreating",
        PodState::RunningNotReady => "Running, not ready",
        PodState::Ready => "Ready",
        PodState::Terminating => "Terminating",
        PodState::CrashLoopBackOff => "CrashLoopBackOff",
        PodState::Completed => "Completed",
        PodState::Error => "Error",
        PodState::ImagePullBackOff => "ImagePullBackOff",
    }
}

/// A glyph that repeats the state beside its colour (so colour is never the only cue).
pub fn state_glyph(state: PodState) -> &'static str {
    match state {
        PodState::Pending => "…",
        PodState::ContainerCreating => "⚙",
        PodState::RunningNotReady => "◐",
        PodState::Ready => "✓",
        PodState::Terminating => "⏻",
        PodState::CrashLoopBackOff => "↻",
        PodState::Completed => "✔",
        PodState::Error => "✕",
        PodState::ImagePullBackOff => "⤓",
    }
}
