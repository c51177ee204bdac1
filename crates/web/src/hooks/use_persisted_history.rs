use yew::prelude::*;

use crate::state::LabContext;
use crate::storage;

/// Saves the terminal history to localStorage whenever it grows, so ↑ works after a reload.
#[hook]
pub fn use_persisted_history(lab: &LabContext) {
    let history = lab.session.history().to_vec();
    use_effect_with(history, |history| storage::save_history(history));
}
