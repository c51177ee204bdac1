use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::state::{Action, LabContext};

/// How often the page lets the simulation catch up with real time.
const TICK_MS: u32 = 200;

/// Advances the cluster with real time while the lab is playing (the reducer ignores ticks
/// when paused and multiplies them by the chosen speed).
#[hook]
pub fn use_sim_clock(lab: &LabContext) {
    let dispatcher = lab.dispatcher();
    use_effect_with((), move |_| {
        let interval = Interval::new(TICK_MS, move || {
            dispatcher.dispatch(Action::Tick { real_ms: u64::from(TICK_MS) })
        });
        move || drop(interval)
    });
}
