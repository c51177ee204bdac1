//! What the page keeps in the browser's localStorage between visits. Reading never fails: a
//! missing or damaged entry reads as "nothing saved" so the learner always gets a working page.

use gloo::storage::{LocalStorage, Storage};

use crate::i18n::Lang;
use crate::state::Theme;

const HISTORY_KEY: &str = "kubelab.terminal.history";
const EDITOR_KEY: &str = "kubelab.editor.text";
/// The autosaved lab: a lab link's text (see `lab::link`).
const LAB_KEY: &str = "kubelab.lab";
const LANG_KEY: &str = "kubelab.lang";
const THEME_KEY: &str = "kubelab.theme";
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

/// The autosaved lab's link text.
pub fn load_lab() -> Option<String> {
    LocalStorage::get::<String>(LAB_KEY).ok()
}

pub fn save_lab(encoded: &str) {
    let _ = LocalStorage::set(LAB_KEY, encoded);
}

pub fn load_lang() -> Option<Lang> {
    LocalStorage::get::<String>(LANG_KEY).ok().and_then(|c| Lang::from_code(&c))
}

pub fn save_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.code());
}

pub fn load_theme() -> Option<Theme> {
    match LocalStorage::get::<String>(THEME_KEY).ok()?.as_str() {
        "dark" => Some(Theme::Dark),
        "light" => Some(Theme::Light),
        _ => None,
    }
}

pub fn save_theme(theme: Theme) {
    let _ = LocalStorage::set(THEME_KEY, theme.code());
}
