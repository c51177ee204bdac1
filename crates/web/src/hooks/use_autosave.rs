use yew::prelude::*;

use crate::state::LabContext;
use crate::storage;

/// How much cluster time may pass between autosaves while the cluster just runs.
const SAVE_EVERY_SIM_MS: u64 = 5_000;

/// Saves the lab (as a lab link's text) to localStorage after every learner action and every
/// few seconds of cluster time, except while a just-opened link holds autosave back.
#[hook]
pub fn use_autosave(lab: &LabContext) {
    let trigger = (lab.revision, lab.session.now_ms() / SAVE_EVERY_SIM_MS);
    let state = lab.clone();
    use_effect_with(trigger, move |(revision, _)| {
        // Nothing to save before the learner or the clock did anything.
        let session = &state.session;
        if !state.autosave_held && (*revision > 0 || session.now_ms() > session.handed_over_ms()) {
            storage::save_lab(&state.link(storage::load_editor_text().as_deref()).encode());
        }
    });
}
