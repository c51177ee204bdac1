//! Hooks: the places where the page meets storage, timers and the DOM.

mod use_persisted_history;

pub use use_persisted_history::use_persisted_history;
