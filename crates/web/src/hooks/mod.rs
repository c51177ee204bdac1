//! Hooks: the places where the page meets storage, timers and the DOM.

mod use_persisted_history;
mod use_sim_clock;

pub use use_persisted_history::use_persisted_history;
pub use use_sim_clock::use_sim_clock;
