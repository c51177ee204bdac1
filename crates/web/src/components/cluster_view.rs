use yew::prelude::*;

/// The animated picture of nodes, pods and Services. Until the simulator is wired in it shows
/// the empty cluster frame.
#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    html! {
        <section class="pane cluster-view" data-testid="cluster-view" aria-label="Cluster view">
            <svg viewBox="0 0 400 160" role="img" aria-labelledby="cluster-empty">
                <title id="cluster-empty">{"No cluster is running yet"}</title>
                <rect x="8" y="8" width="384" height="144" rx="10" class="cluster-frame" />
                <text x="200" y="76" text-anchor="middle" class="cluster-caption">
                    {"No cluster is running yet"}
                </text>
                <text x="200" y="100" text-anchor="middle" class="cluster-subcaption">
                    {"Nodes, pods and Services will appear here."}
                </text>
            </svg>
        </section>
    }
}
