use yew::prelude::*;

/// The top bar: product name and the cluster clock.
#[function_component(Header)]
pub fn header() -> Html {
    html! {
        <header class="topbar">
            <span class="brand" aria-label="kubelab">
                <img src="web/icons/kubelab.svg" alt="" width="22" height="22" />
                {"kubelab"}
            </span>
            <span class="tagline">{"a Kubernetes cluster in your browser"}</span>
            <span class="spacer" />
            <span class="clock" data-testid="clock" title="Virtual cluster time">
                {"cluster time "}<strong>{"00:00:00"}</strong>
            </span>
        </header>
    }
}
