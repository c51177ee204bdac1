//! Where a lab comes from and goes to: the `#lab=` link the page was opened with, the
//! autosave in localStorage, share URLs, and lab files to export and import.

use lab::{LabLink, LinkError, Preset, Session};
use wasm_bindgen::JsCast;

use crate::i18n::{Lang, Loaded};
use crate::state::{Action, Banner, LabState, Theme};
use crate::storage;

/// The fragment prefix of a lab link.
pub const FRAGMENT: &str = "#lab=";

/// Rebuilds a lab from a link or file: checked, then replayed.
pub fn open(link: LabLink) -> Result<(LabLink, Session), LinkError> {
    let session = link.replay()?;
    Ok((link, session))
}

/// The banner text's facts for an opened link.
pub fn loaded(link: &LabLink, session: &Session) -> Loaded {
    Loaded {
        preset: link.preset,
        actions: link.actions.len(),
        clock: session.snapshot().clock(),
        lesson: link.lesson.clone(),
        step: link.step,
    }
}

/// The page's first state: the link in the address if there is one (paused, with a banner;
/// the learner's autosave is left untouched), else the autosaved lab, else a fresh one.
pub fn initial_state() -> LabState {
    let lang = storage::load_lang().unwrap_or_default();
    let theme = storage::load_theme().unwrap_or_default();
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let Some(payload) = hash.strip_prefix(FRAGMENT) else {
        return restored(lang, theme).unwrap_or_else(|| fresh(lang, theme));
    };
    // The link has been read; a reload should bring back the learner's own lab.
    clear_fragment();
    let opened = LabLink::decode(payload).and_then(open);
    let mut state = restored(lang, theme).unwrap_or_else(|| fresh(lang, theme));
    let action = match opened {
        Ok((link, session)) => {
            let banner = Banner::Loaded(loaded(&link, &session));
            Action::Load { link: Box::new(link), session, banner }
        }
        Err(err) => Action::ShowBanner(Banner::LinkFailed(err)),
    };
    state = yew::Reducible::reduce(std::rc::Rc::new(state), action).as_ref().clone();
    // Whatever the link held, the learner's autosave stays as it was until they act.
    state.autosave_held = true;
    state
}

fn fresh(lang: Lang, theme: Theme) -> LabState {
    let mut state = LabState::fresh(Preset::Minikube, lang, theme);
    // Before labs were autosaved only the history was kept: keep offering it on ↑.
    let history = storage::load_history();
    if !history.is_empty() {
        state.session = Session::with_history(history);
    }
    state
}

fn restored(lang: Lang, theme: Theme) -> Option<LabState> {
    let (link, session) = LabLink::decode(&storage::load_lab()?).and_then(open).ok()?;
    let mut state = LabState::with_session(session, lang, theme);
    state.lesson = link.lesson;
    state.step = link.step;
    Some(state)
}

/// The autosaved lab, for "restore last lab".
pub fn restore_action() -> Action {
    match storage::load_lab().map(|t| LabLink::decode(&t).and_then(open)) {
        Some(Ok((link, session))) => Action::Load { link: Box::new(link), session, banner: Banner::Restored },
        Some(Err(err)) => Action::ShowBanner(Banner::LinkFailed(err)),
        None => Action::ShowBanner(Banner::NothingSaved),
    }
}

/// The full URL that opens this lab.
pub fn share_url(state: &LabState) -> String {
    let location = gloo::utils::window().location();
    let base = format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    format!("{base}{FRAGMENT}{}", state.link(storage::load_editor_text().as_deref()).encode())
}

/// Drops `#lab=…` from the address without reloading or adding a history entry.
fn clear_fragment() {
    let window = gloo::utils::window();
    if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
        let search = window.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// Saves the lab as `kubelab-lab.json` through the browser's download.
pub fn export(state: &LabState) {
    let json = state.link(storage::load_editor_text().as_deref()).to_json();
    let blob = gloo::file::Blob::new_with_options(json.as_str(), Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download("kubelab-lab.json");
        a.click();
    }
    // The download reads the URL after this returns; revoke it once that has happened.
    gloo::timers::callback::Timeout::new(60_000, move || drop(url)).forget();
}

/// Reads a chosen lab file and turns it into the action that loads it (or says why not).
pub async fn import(file: web_sys::File) -> Action {
    let file = gloo::file::File::from(file);
    if file.size() > lab::link::MAX_INFLATED_BYTES as u64 {
        return Action::ShowBanner(Banner::ImportFailed(LinkError::TooLarge));
    }
    let text = match gloo::file::futures::read_as_text(&file).await {
        Ok(t) => t,
        Err(e) => return Action::ShowBanner(Banner::ImportFailed(LinkError::NotALab(e.to_string()))),
    };
    match LabLink::from_file(&text).and_then(open) {
        Ok((link, session)) => Action::Load { link: Box::new(link), session, banner: Banner::Imported },
        Err(err) => Action::ShowBanner(Banner::ImportFailed(err)),
    }
}
