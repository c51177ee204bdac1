//! Hooks: the places where the page meets storage, timers and the DOM.

mod use_autosave;
mod use_persisted_history;
mod use_prefs;
mod use_sim_clock;

pub use use_autosave::use_autosave;
pub use use_persisted_history::use_persisted_history;
pub use use_prefs::use_prefs;
pub use use_sim_clock::{FrameBudget, now_ms, use_sim_clock};
