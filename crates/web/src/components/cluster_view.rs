use lab::{NodeView, PodView};
use yew::prelude::*;

use crate::state::LabContext;

/// Nodes as cards with their pods as chips, and a lane for pods waiting for a node. Every
/// status is written out in words; colour only repeats it.
#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    let lab = use_context::<LabContext>().expect("ClusterView is rendered inside the LabContext provider");
    let snapshot = &lab.snapshot;
    html! {
        <section class="pane cluster-view" data-testid="cluster-view" aria-label="Cluster view">
            <div class="pane-title">{format!("cluster · {} node(s)", snapshot.nodes.len())}</div>
            <div class="cluster-body">
                if !snapshot.pending.is_empty() {
                    <div class="pending-lane" aria-label="Pods waiting to be scheduled">
                        <div class="lane-title">{"Waiting for a node"}</div>
                        <div class="chips">{ for snapshot.pending.iter().map(pod_chip) }</div>
                    </div>
                }
                <div class="nodes">{ for snapshot.nodes.iter().map(node_card) }</div>
            </div>
        </section>
    }
}

fn node_card(node: &NodeView) -> Html {
    let status = match (node.ready, node.unschedulable) {
        (true, false) => "Ready",
        (true, true) => "Ready,SchedulingDisabled",
        (false, false) => "NotReady",
        (false, true) => "NotReady,SchedulingDisabled",
    };
    let class = classes!("node", (!node.ready).then_some("not-ready"), node.unschedulable.then_some("cordoned"));
    html! {
        <article class={class} data-testid="node" data-name={node.name.clone()} data-ready={node.ready.to_string()}>
            <header class="node-head">
                <span class="node-name">{&node.name}</span>
                if node.control_plane { <span class="badge">{"control-plane"}</span> }
                <span class="node-status">{status}</span>
            </header>
            if node.pods.is_empty() {
                <p class="node-empty">{"no pods"}</p>
            } else {
                <div class="chips">{ for node.pods.iter().map(pod_chip) }</div>
            }
        </article>
    }
}

fn pod_chip(pod: &PodView) -> Html {
    let tone = match pod.status.as_str() {
        "Running" if pod.is_ready => "ok",
        "Running" => "warming",
        "Completed" | "Succeeded" => "done",
        "Pending" | "ContainerCreating" | "PodInitializing" => "waiting",
        "Terminating" => "leaving",
        _ => "bad",
    };
    let title = format!("{}/{} · {} · ready {} · restarts {}", pod.namespace, pod.name, pod.status, pod.ready, pod.restarts);
    html! {
        <div class={classes!("pod", tone)} data-testid="pod" data-name={pod.name.clone()}
            data-phase={pod.status.clone()} data-ready={pod.is_ready.to_string()}
            data-restarts={pod.restarts.to_string()} title={title} tabindex="0">
            <span class="pod-name">{&pod.name}</span>
            <span class="pod-status">{format!("{} {}", pod.ready, pod.status)}</span>
            if pod.restarts > 0 { <span class="restarts" aria-label="restarts">{format!("↻{}", pod.restarts)}</span> }
        </div>
    }
}
