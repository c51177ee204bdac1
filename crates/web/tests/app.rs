//! Mounts the whole app in headless Chromium and checks the lab's panes and terminal.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

async fn mount_app() -> web_sys::Element {
    let root = document().create_element("div").expect("create a root div");
    document().body().expect("a body").append_child(&root).expect("attach the root");
    yew::Renderer::<web::App>::with_root(root.clone()).render();
    // Let yew render and run its first effects.
    gloo::timers::future::TimeoutFuture::new(50).await;
    root
}

/// Waits for the page to reach `done`, yielding to the browser in between: effects run on the
/// browser's schedule, which a busy machine stretches.
async fn eventually(mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(25).await;
    }
}

fn by_testid(root: &web_sys::Element, id: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!("[data-testid='{id}']")).ok().flatten()
}

#[wasm_bindgen_test]
async fn every_pane_of_the_lab_is_on_the_page() {
    let root = mount_app().await;
    for id in ["editor", "terminal-input", "terminal-output", "cluster-view", "lesson-panel", "clock"] {
        assert!(by_testid(&root, id).is_some(), "missing data-testid={id}");
    }
    assert_eq!(root.query_selector_all("[role='separator']").unwrap().length(), 3, "three splitters");
    let node = root.query_selector("[data-testid='node'][data-name='minikube']").unwrap();
    assert!(node.is_some(), "the minikube node card is drawn");
}

#[wasm_bindgen_test]
async fn editor_reports_a_missing_monaco_instead_of_hanging() {
    // The test page has no Monaco loader: the editor must say so rather than spin forever.
    let root = mount_app().await;
    let editor = by_testid(&root, "editor").unwrap();
    eventually(|| editor.text_content().unwrap_or_default().contains("The editor could not load")).await;
    assert_eq!(editor.get_attribute("data-ready").as_deref(), Some("false"));
    let text = editor.text_content().unwrap_or_default();
    assert!(text.contains("The editor could not load"), "editor text: {text}");
}

#[wasm_bindgen_test]
async fn terminal_answers_a_command() {
    let root = mount_app().await;
    let input: web_sys::HtmlInputElement = by_testid(&root, "terminal-input").unwrap().dyn_into().unwrap();
    input.set_value("kubelab version");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    let want = format!("kubelab {}", lab::VERSION);
    let out = by_testid(&root, "terminal-output").unwrap();
    eventually(|| out.text_content().unwrap_or_default().contains(&want)).await;
    let output = by_testid(&root, "terminal-output").unwrap().text_content().unwrap_or_default();
    assert!(output.contains(&format!("kubelab {}", lab::VERSION)), "terminal output: {output}");
    assert_eq!(input.value(), "", "the input is cleared after Enter");
}
