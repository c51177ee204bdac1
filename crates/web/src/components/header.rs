use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{Action, LabContext, SPEEDS};

/// Simulated milliseconds added by the step button.
const STEP_MS: u64 = 10_000;

/// The top bar: product name, the cluster clock and the time controls.
#[function_component(Header)]
pub fn header() -> Html {
    let lab = use_context::<LabContext>().expect("Header is rendered inside the LabContext provider");
    let toggle = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(Action::TogglePlay))
    };
    let step = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(Action::Step { sim_ms: STEP_MS }))
    };
    let speed = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(speed) = value.parse::<u32>() {
                lab.dispatch(Action::SetSpeed(speed));
            }
        })
    };
    let (play_label, play_text) = if lab.playing { ("Pause the cluster", "Pause") } else { ("Run the cluster", "Play") };
    html! {
        <header class="topbar">
            <span class="brand" aria-label="kubelab">
                <img src="web/icons/kubelab.svg" alt="" width="22" height="22" />
                {"kubelab"}
            </span>
            <span class="tagline">{"a Kubernetes cluster in your browser"}</span>
            <span class="spacer" />
            <div class="time-controls" role="group" aria-label="Cluster time">
                <button type="button" data-testid="time-play" aria-label={play_label}
                    aria-pressed={lab.playing.to_string()} onclick={toggle}>{play_text}</button>
                <button type="button" data-testid="time-step" title="Let 10 seconds of cluster time pass"
                    onclick={step}>{"+10 s"}</button>
                <label class="speed">
                    <span class="visually-hidden">{"Speed"}</span>
                    <select data-testid="time-speed" aria-label="Speed" onchange={speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == lab.speed}>{format!("{s}×")}</option>
                        }) }
                    </select>
                </label>
                <span class="clock" title="Virtual cluster time since the cluster started">
                    {"cluster time "}<strong data-testid="clock">{lab.snapshot.clock()}</strong>
                </span>
            </div>
        </header>
    }
}
