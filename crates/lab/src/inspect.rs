//! What the page's inspector shows about one object: kubectl's own texts (describe, YAML,
//! events, logs) run through the session, and for a pod the scheduler stuck on, the
//! scheduler's per-node explanation as rows of a table.

use cluster::scheduler::Outcome;

use crate::Session;

/// One tab of the inspector and the kubectl line behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InspectTab {
    Describe,
    Yaml,
    Events,
    Logs,
}

impl InspectTab {
    pub const ALL: [InspectTab; 4] = [
        InspectTab::Describe,
        InspectTab::Yaml,
        InspectTab::Events,
        InspectTab::Logs,
    ];

    /// The kubectl arguments (without `kubectl`) that print this tab for `kind/name`.
    /// `kind` is a resource name kubectl accepts (`pod`, `node`, `service`, `deployment`…).
    pub fn args(self, kind: &str, namespace: Option<&str>, name: &str) -> Vec<String> {
        let target = format!("{kind}/{name}");
        let mut args: Vec<String> = match self {
            InspectTab::Describe => vec!["describe".into(), kind.into(), name.into()],
            InspectTab::Yaml => vec![
                "get".into(),
                kind.into(),
                name.into(),
                "-o".into(),
                "yaml".into(),
            ],
            InspectTab::Events => vec!["events".into(), "--for".into(), target],
            InspectTab::Logs => vec!["logs".into(), name.into(), "--all-containers=true".into()],
        };
        if let Some(ns) = namespace {
            args.push("-n".into());
            args.push(ns.into());
        }
        args
    }

    /// Whether the tab applies to a kind (logs only to pods).
    pub fn applies_to(self, kind: &str) -> bool {
        self != InspectTab::Logs || kind == "pod"
    }
}

/// Runs one tab's kubectl line and returns the `kubectl …` line shown above it and its text.
pub fn tab_text(
    session: &Session,
    tab: InspectTab,
    kind: &str,
    namespace: Option<&str>,
    name: &str,
) -> (String, String) {
    let args = tab.args(kind, namespace, name);
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = session.inspect(&words);
    (format!("kubectl {}", args.join(" ")), out.text())
}

/// The kubectl line the inspector's shell tab runs for one line typed into it: the line goes
/// to the container's shell (`sh -c`), as `kubectl exec` would take it from a learner's
/// terminal. A single quote inside is closed, escaped and reopened (`'\''`).
pub fn exec_line(namespace: &str, pod: &str, line: &str) -> String {
    let quoted = line.replace('\'', r"'\''");
    format!("kubectl exec -n {namespace} {pod} -- sh -c '{quoted}'")
}

/// One row of the scheduler's explanation: a node and why it was or was not chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVerdict {
    pub node: String,
    /// True when the node passed every filter.
    pub feasible: bool,
    /// The rejecting plugin (e.g. `NodeResourcesFit`), or `-` for a feasible node.
    pub plugin: String,
    /// The filter's reasons, or the node's total score for a feasible node.
    pub detail: String,
}

/// The scheduler's latest attempt at a pod, as the inspector shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedulingTable {
    pub attempt: u32,
    /// The FitError (or preemption) message, or `bound to <node>`.
    pub outcome: String,
    pub evaluated: usize,
    pub nodes_total: usize,
    pub rows: Vec<NodeVerdict>,
}

/// The scheduler's per-node explanation of its latest attempt at `namespace/name`.
pub fn scheduling_table(session: &Session, namespace: &str, name: &str) -> Option<SchedulingTable> {
    session.with_cluster(|cluster| {
        let e = cluster.scheduling_explanation(namespace, name)?;
        let mut rows: Vec<NodeVerdict> = e
            .rejections
            .iter()
            .map(|(node, r)| NodeVerdict {
                node: node.clone(),
                feasible: false,
                plugin: r.plugin.to_string(),
                detail: r.reasons.join("; "),
            })
            .collect();
        rows.extend(e.scores.iter().map(|s| NodeVerdict {
            node: s.node.clone(),
            feasible: true,
            plugin: "-".into(),
            detail: format!("score {}", s.total),
        }));
        let outcome = match &e.outcome {
            Outcome::Bound(node) => format!("bound to {node}"),
            Outcome::Unschedulable(msg) => msg.clone(),
            Outcome::Preempting { message, .. } => message.clone(),
        };
        Some(SchedulingTable {
            attempt: e.attempt,
            outcome,
            evaluated: e.evaluated,
            nodes_total: e.num_all_nodes,
            rows,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_runs_through_kubectl() {
        let mut session = Session::with_seed(2);
        session.run_command("kubectl run web --image=nginx");
        session.advance(10_000);
        let history = session.history().len();
        let (line, text) = tab_text(
            &session,
            InspectTab::Describe,
            "pod",
            Some("default"),
            "web",
        );
        assert_eq!(line, "kubectl describe pod web -n default");
        let typed = session
            .run_command("kubectl describe pod web -n default")
            .text();
        assert_eq!(text, typed);
        assert!(text.starts_with("Name:"), "{text}");
        assert_eq!(
            session.history().len(),
            history + 1,
            "the inspector stays out of the history"
        );
    }

    #[test]
    fn a_shell_line_runs_in_the_container_through_kubectl_exec() {
        let mut session = Session::with_seed(2);
        session.run_command("kubectl run web --image=nginx");
        session.advance(20_000);
        let line = exec_line("default", "web", "echo 'a b'; hostname");
        assert_eq!(
            line,
            r"kubectl exec -n default web -- sh -c 'echo '\''a b'\''; hostname'"
        );
        let out = session.run_command(&line).text();
        assert_eq!(out, "a b\nweb\n");
        assert_eq!(session.history().last(), Some(&line), "it is the learner's command");
    }

    /// A pod asking for more CPU than any node has.
    pub(crate) const BIG_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: big
    image: nginx
    resources:
      requests:
        cpu: \"64\"
";

    #[test]
    fn a_pod_too_big_for_every_node_gets_a_per_node_table() {
        let mut session = Session::with_seed(2);
        session.write_file("big.yaml", BIG_POD);
        session.run_command("kubectl apply -f big.yaml");
        session.advance(5_000);
        let table = scheduling_table(&session, "default", "big").expect("the scheduler tried");
        assert!(
            table
                .outcome
                .starts_with("0/1 nodes are available: 1 Insufficient cpu."),
            "{}",
            table.outcome
        );
        assert_eq!(table.rows.len(), 1);
        let row = &table.rows[0];
        assert_eq!(
            (row.node.as_str(), row.feasible, row.plugin.as_str()),
            ("minikube", false, "NodeResourcesFit")
        );
        assert!(row.detail.contains("Insufficient cpu"), "{}", row.detail);
    }
}
