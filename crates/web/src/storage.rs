//! What the page keeps in the browser's localStorage between visits. Reading never fails: a
//! missing or damaged entry reads as "nothing saved" so the learner always gets a working page.

use gloo::storage::{LocalStorage, Storage};

const HISTORY_KEY: &str = "kubelab.terminal.history";
const EDITOR_KEY: &str = "kubelab.editor.text";
/// Enough for any real session while keeping the entry small.
const HISTORY_LIMIT: usize = 500;

pub fn load_history() -> Vec<String> {
    LocalStorage::get::<Vec<String>>(HISTORY_KEY).unwrap_or_default()
}

pub fn save_history(history: &[String]) {
    let start = history.len().saturating_sub(HISTORY_LIMIT);
    // A full or disabled storage only loses persistence, never the session itself.
    let _ = LocalStorage::set(HISTORY_KEY, &history[start..]);
}

pub fn load_editor_text() -> Option<String> {
    LocalStorage::get::<String>(EDITOR_KEY).ok()
}

pub fn save_editor_text(text: &str) {
    let _ = LocalStorage::set(EDITOR_KEY, text);
}
