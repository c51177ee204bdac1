//! The API's field descriptions, which the page's wasm does not embed: `descriptions.json`
//! (copied beside the wasm by trunk from `api`'s schema folder, so it comes from the page's own
//! origin and works offline) is fetched before the lab starts and handed to
//! `lab::field_docs::install_descriptions`. `kubectl explain` and the editor's completion and
//! hover docs read them; everything else reads the schemas embedded in the wasm.
//!
//! A file that is missing or unreadable leaves the lab working without descriptions, and the
//! editor says so ([`failure`]).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Where the file is, relative to the page.
const URL: &str = "descriptions.json";

thread_local! {
    static FAILURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Fetches and installs the descriptions; on failure keeps why, for [`failure`].
pub async fn load() {
    if let Err(reason) = fetch_and_install().await {
        FAILURE.with(|f| *f.borrow_mut() = Some(reason));
    }
}

/// Why the descriptions could not be loaded, if they could not.
pub fn failure() -> Option<String> {
    FAILURE.with(|f| f.borrow().clone())
}

async fn fetch_and_install() -> Result<(), String> {
    let window = gloo::utils::window();
    let response = JsFuture::from(window.fetch_with_str(URL)).await.map_err(|e| describe(&e))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| describe(&e))?;
    if !response.ok() {
        return Err(format!("{URL}: HTTP {} {}", response.status(), response.status_text()));
    }
    let text = response.text().map_err(|e| describe(&e))?;
    let text = JsFuture::from(text).await.map_err(|e| describe(&e))?;
    let text = text.as_string().unwrap_or_default();
    lab::field_docs::install_descriptions(&text).map_err(|e| format!("{URL}: {e}"))
}

/// A thrown JavaScript value as text (an `Error`'s message, or the value itself).
fn describe(err: &wasm_bindgen::JsValue) -> String {
    let text = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_string());
    format!("{URL}: {text}")
}
