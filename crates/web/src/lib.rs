//! The lab page: a yew app that shows one `lab::Session` as an editor, a terminal, a cluster
//! view, a lesson panel and plots.
//!
//! This crate is a thin shell. It owns all browser interop (Monaco, DOM, localStorage, timers)
//! and nothing else: what a command does is decided by `lab`, never here.

pub mod app;
pub mod bench_page;
pub mod components;
pub mod field_descriptions;
pub mod hooks;
pub mod i18n;
pub mod lab_io;
pub mod state;
pub mod storage;

pub use app::App;

/// Mounts the app into the page and hides the loading indicator once the first frame exists.
pub fn mount() {
    yew::Renderer::<App>::new().render();
}
