//! The page's benchmark route: `index.html?bench=sched&nodes=500` runs one `kubelab bench`
//! scenario (the `bench` crate, the very code the native command runs) in wasm instead of
//! mounting the lab, and shows its JSON figures in `<pre id="bench-result">`, marked
//! `data-done` when finished. `scripts/bench-browser.mjs` drives it in headless Chromium.
//!
//! The browser has no per-thread CPU clock, so every time figure is `performance.now()`
//! (wall time; the native command reports its thread's CPU time and its wall time beside).

use bench::{Clock, Scenario};
use wasm_bindgen::JsCast;

/// The query string when it asks for a benchmark (`?bench=…`).
pub fn requested() -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p.starts_with("bench="))
        .then_some(search)
}

fn now_s() -> f64 {
    gloo::utils::window()
        .performance()
        .map_or(0.0, |p| p.now() / 1000.0)
}

/// `performance.now()` for both readings (see the module note).
pub fn browser_clock() -> Clock {
    Clock {
        wall_s: now_s,
        cpu_s: || None,
    }
}

/// Replaces the loading indicator with the benchmark's result (after one paint, so the
/// page says what it is doing while the run blocks it).
pub fn run(query: String) {
    let doc = gloo::utils::document();
    if let Some(el) = doc.get_element_by_id("loading") {
        el.remove();
    }
    let Ok(pre) = doc.create_element("pre") else {
        return;
    };
    pre.set_id("bench-result");
    pre.set_text_content(Some(&format!("running kubelab bench ({query}) in wasm…")));
    if let Some(body) = doc.body() {
        let _ = body.append_child(&pre);
    }
    let pre = pre.unchecked_into::<web_sys::HtmlElement>();
    gloo::timers::callback::Timeout::new(50, move || {
        let result = match Scenario::from_query(&query) {
            Ok(s) => s.run(browser_clock()),
            Err(e) => serde_json::json!({ "error": e }),
        };
        pre.set_text_content(Some(&result.to_string()));
        let _ = pre.set_attribute("data-done", "true");
    })
    .forget();
}
