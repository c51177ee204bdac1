//! `minikube node add|start|stop|delete|list` and `minikube status` (minikube v1.36, docker
//! driver): the lab's nodes join (NotReady with the not-ready taint until their network is
//! up), stop (heartbeats cease, so the node goes NotReady and its pods are evicted after
//! their tolerations), start again and leave, printing what minikube prints
//! (cmd/minikube/cmd/node_*.go, pkg/minikube/machine/stop.go).
//!
//! minikube names a node `m02` in its profile and `minikube-m02` as a machine (and as the
//! Kubernetes node); both spellings are accepted, as `node.Retrieve` accepts them.

use cluster::{Cluster, SimDuration};

use crate::minikube::line;
use crate::minikube_reason::{exit_error, exit_message, GUEST_NODE_DELETE, GUEST_NODE_RETRIEVE};
use crate::session::{Output, Stream};

const USAGE: &str = "Usage: minikube node [add|start|stop|delete|list]";

/// How long the drain before a node's deletion may take, at most.
const DRAIN_LIMIT: SimDuration = SimDuration::from_secs(60);

pub fn run(cluster: &mut Cluster, args: &[&str], out: &mut Output) {
    match args {
        ["list"] => list(cluster, out),
        ["add", flags @ ..] if flags.iter().all(|f| *f == "--worker") => add(cluster, out),
        ["start", name] => with_node(cluster, "start", name, out, start),
        ["stop", name] => with_node(cluster, "stop", name, out, stop),
        ["delete", name] => with_node(cluster, "delete", name, out, delete),
        // node_start.go, node_stop.go, node_delete.go: exit.Message(reason.Usage, …).
        [verb @ ("start" | "stop" | "delete")] => {
            exit_message(out, &crate::minikube_reason::USAGE, &format!("Usage: minikube node {verb} [name]"));
        }
        ["add", ..] => line(
            out,
            Stream::Stderr,
            "minikube node add: only worker nodes can join in this lab (no --control-plane)",
        ),
        _ => line(out, Stream::Stderr, USAGE),
    }
}

/// The node `name` names (`m02`, `minikube-m02`, or the primary `minikube`), as its
/// Kubernetes name.
fn resolve(cluster: &Cluster, name: &str) -> Option<String> {
    let names: Vec<String> = cluster.node_ips().into_iter().map(|(n, _)| n).collect();
    let machine = format!("{}-{name}", profile(cluster));
    [name, machine.as_str()]
        .into_iter()
        .find(|candidate| names.iter().any(|n| n == candidate))
        .map(str::to_string)
}

fn with_node(
    cluster: &mut Cluster,
    verb: &str,
    name: &str,
    out: &mut Output,
    action: fn(&mut Cluster, &str, &str, &mut Output),
) {
    match resolve(cluster, name) {
        Some(machine) => action(cluster, name, &machine, out),
        // node_delete.go: the step is printed before node.Delete's teardown looks the node up.
        None if verb == "delete" => {
            let profile = profile(cluster);
            line(out, Stream::Stdout, format!("🔥  Deleting node {name} from cluster {profile}"));
            let err = format!("retrieve node: Could not find node {name}");
            exit_error(out, &GUEST_NODE_DELETE, "deleting node", &err, &["node", verb, name]);
        }
        // node_start.go, node_stop.go: exit.Error.
        None => exit_error(
            out,
            &GUEST_NODE_RETRIEVE,
            "retrieving node",
            &format!("Could not find node {name}"),
            &["node", verb, name],
        ),
    }
}

fn list(cluster: &Cluster, out: &mut Output) {
    for (name, ip) in cluster.node_ips() {
        line(out, Stream::Stdout, format!("{name}\t{ip}"));
    }
}

/// The profile the cluster's nodes were created for (`minikube` or `-p NAME`).
fn profile(cluster: &Cluster) -> String {
    cluster.minikube_profile_of_nodes().name
}

fn add(cluster: &mut Cluster, out: &mut Output) {
    let single = cluster.node_ips().len() == 1;
    let machine = cluster.add_minikube_worker();
    let profile = profile(cluster);
    let short = machine.trim_start_matches(&format!("{profile}-")).to_string();
    line(
        out,
        Stream::Stdout,
        format!("😄  Adding node {short} to cluster {profile} as [worker]"),
    );
    if single {
        // node_add.go warnAboutMultiNodeCNI: the first worker of a cluster started alone.
        line(
            out,
            Stream::Stdout,
            "❗  Cluster was created without any CNI, adding a node to it might cause broken networking.",
        );
    }
    line(
        out,
        Stream::Stdout,
        format!("👍  Starting \"{machine}\" worker node in \"{profile}\" cluster"),
    );
    line(
        out,
        Stream::Stdout,
        format!("🏄  Successfully added {short} to {profile}!"),
    );
}

fn stop(cluster: &mut Cluster, _typed: &str, machine: &str, out: &mut Output) {
    stop_lines(machine, out);
    cluster.stop_node(machine);
    line(
        out,
        Stream::Stdout,
        format!("🛑  Successfully stopped node {machine}"),
    );
}

/// machine.StopHost on the docker driver, which powers the container off first.
fn stop_lines(machine: &str, out: &mut Output) {
    line(
        out,
        Stream::Stdout,
        format!("✋  Stopping node \"{machine}\"  ..."),
    );
    line(
        out,
        Stream::Stdout,
        format!("🛑  Powering off \"{machine}\" via SSH ..."),
    );
}

fn start(cluster: &mut Cluster, typed: &str, machine: &str, out: &mut Output) {
    if cluster.node_running(machine) == Some(true) {
        line(out, Stream::Stdout, format!("✅  {typed} is already running"));
        return;
    }
    let profile = profile(cluster);
    let role = if machine == profile {
        "primary control-plane"
    } else {
        "worker"
    };
    line(
        out,
        Stream::Stdout,
        format!("👍  Starting \"{machine}\" {role} node in \"{profile}\" cluster"),
    );
    cluster.start_node(machine);
    line(
        out,
        Stream::Stdout,
        format!("😄  Successfully started node {machine}!"),
    );
}

fn delete(cluster: &mut Cluster, typed: &str, machine: &str, out: &mut Output) {
    let profile = profile(cluster);
    if machine == profile {
        line(
            out,
            Stream::Stderr,
            "minikube node delete: the lab cannot delete the primary control-plane node (use `minikube node stop` to take it down)",
        );
        return;
    }
    line(
        out,
        Stream::Stdout,
        format!("🔥  Deleting node {typed} from cluster {profile}"),
    );
    stop_lines(machine, out);
    line(
        out,
        Stream::Stdout,
        format!("🔥  Deleting \"{machine}\" in docker ..."),
    );
    // node.Delete drains the node first, then deletes it.
    cluster.drain_for_removal(machine, DRAIN_LIMIT);
    match cluster.remove_node(machine) {
        Ok(()) => line(
            out,
            Stream::Stdout,
            format!("💀  Node {typed} was successfully deleted."),
        ),
        Err(e) => exit_error(out, &GUEST_NODE_DELETE, "deleting node", &e.to_string(), &["node", "delete", typed]),
    }
}

/// `minikube status` (cmd/minikube/cmd/status.go `statusFormat`/`workerStatusFormat`): one
/// block per node, a blank line after each; the exit status is the bitmask of
/// `exitCode` (1: a host is not running, 2: a kubelet or API server is not running).
pub fn status(cluster: &Cluster, out: &mut Output) {
    let mut code = 0;
    for (name, _) in cluster.node_ips() {
        let state = if cluster.node_running(&name) == Some(true) {
            "Running"
        } else {
            code |= 1 | 2;
            "Stopped"
        };
        line(out, Stream::Stdout, name.as_str());
        if is_control_plane(cluster, &name) {
            line(out, Stream::Stdout, "type: Control Plane");
            line(out, Stream::Stdout, format!("host: {state}"));
            line(out, Stream::Stdout, format!("kubelet: {state}"));
            line(out, Stream::Stdout, format!("apiserver: {state}"));
            let kubeconfig = if state == "Running" { "Configured" } else { state };
            line(out, Stream::Stdout, format!("kubeconfig: {kubeconfig}"));
        } else {
            line(out, Stream::Stdout, "type: Worker");
            line(out, Stream::Stdout, format!("host: {state}"));
            line(out, Stream::Stdout, format!("kubelet: {state}"));
        }
        line(out, Stream::Stdout, "");
    }
    out.status = code;
}

fn is_control_plane(cluster: &Cluster, node: &str) -> bool {
    let Some(info) = api::resolve_resource("nodes") else {
        return false;
    };
    cluster.store().get(info, None, node).is_ok_and(|n| {
        n.meta()
            .labels
            .as_ref()
            .is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"))
    })
}
