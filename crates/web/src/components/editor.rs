//! The Monaco YAML editor. All Monaco interop of the app sits in this file; the JavaScript side
//! is `web/js/monaco-glue.js`, which loads Monaco from the site's own `vs/` folder.
//!
//! As the learner types, the text is checked (debounced) the way Apply would use it: decode
//! errors at their exact line and column, then a server-side dry run; problems become Monaco
//! markers and a one-line status under the toolbar.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use lab::manifest_check::ManifestCheck;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::snippets::SNIPPETS;
use crate::state::{Action, EDITOR_FILE, LabContext, Theme};
use crate::storage;

/// The manifest a new lab opens with: the first pod of the kubia exercises.
pub const STARTER_MANIFEST: &str = "\
# The first pod of the kubia exercises. Edit it here: the editor keeps your text
# in this browser, so a reload never loses it.
apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
  labels:
    app: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
      protocol: TCP
";

/// How long typing must pause before the manifest is checked.
const CHECK_DEBOUNCE_MS: u32 = 350;

#[wasm_bindgen]
extern "C" {
    /// `kubelabMonaco.create(element, text, onChange, theme)`: resolves to the editor once
    /// Monaco has loaded. Throws (caught) when the glue script is missing.
    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = create)]
    fn create_editor(
        host: &web_sys::HtmlElement,
        text: &str,
        on_change: &js_sys::Function,
        theme: &str,
    ) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = dispose)]
    fn dispose_editor(editor: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = setValue)]
    fn set_value(editor: &JsValue, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = setMarkers)]
    fn set_markers(editor: &JsValue, markers: &js_sys::Array) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = setTheme)]
    fn set_theme(theme: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = insertText)]
    fn insert_text(editor: &JsValue, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = registerSnippets)]
    fn register_snippets(snippets: &js_sys::Array) -> Result<(), JsValue>;
}

/// Switches Monaco's theme with the page's (a no-op before Monaco has loaded).
pub fn set_editor_theme(theme: Theme) {
    let _ = set_theme(theme.code());
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// What the status line under the toolbar says about the text.
#[derive(Clone, PartialEq, Default)]
enum CheckStatus {
    #[default]
    Idle,
    Checking,
    Done { problems: Vec<String>, dry_run: String },
}

/// The YAML editor pane. Its text is saved to localStorage on every change.
#[function_component(Editor)]
pub fn editor() -> Html {
    let lab = use_context::<LabContext>().expect("Editor is rendered inside the LabContext provider");
    let t = lab.lang.t();
    let host = use_node_ref();
    let status = use_state(|| Status::Loading);
    let check = use_state(CheckStatus::default);
    // The newest text, kept by the change callback so Apply needs no round trip to Monaco.
    let text = use_mut_ref(|| storage::load_editor_text().unwrap_or_else(|| STARTER_MANIFEST.to_string()));
    let editor = use_mut_ref(|| None::<JsValue>);
    // The session checks run against: the newest one, even after a reset or a loaded link.
    let session = use_mut_ref(|| lab.session.clone());
    *session.borrow_mut() = lab.session.clone();
    let pending = use_mut_ref(|| None::<Timeout>);

    let schedule_check = {
        let editor = editor.clone();
        let session = session.clone();
        let check = check.clone();
        let text = text.clone();
        let pending = pending.clone();
        Rc::new(move || {
            check.set(CheckStatus::Checking);
            let editor = editor.clone();
            let session = session.clone();
            let check = check.clone();
            let text = text.clone();
            // Replacing the timeout cancels the previous one: only a pause in typing checks.
            *pending.borrow_mut() = Some(Timeout::new(CHECK_DEBOUNCE_MS, move || {
                let result = session.borrow().check_manifest(&text.borrow(), EDITOR_FILE);
                if let Some(ed) = editor.borrow().as_ref() {
                    let _ = set_markers(ed, &markers_js(&result));
                }
                check.set(summarize(&result));
            }));
        })
    };

    {
        let host = host.clone();
        let status = status.clone();
        let latest = text.clone();
        let editor = editor.clone();
        let schedule_check = schedule_check.clone();
        let theme = lab.theme;
        use_effect_with((), move |_| {
            let initial = latest.borrow().clone();
            let on_change = {
                let schedule_check = schedule_check.clone();
                Closure::<dyn Fn(String)>::new(move |text: String| {
                    storage::save_editor_text(&text);
                    *latest.borrow_mut() = text;
                    schedule_check();
                })
            };
            if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                match create_editor(&el, &initial, on_change.as_ref().unchecked_ref(), theme.code()) {
                    Ok(promise) => {
                        let editor = editor.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            match JsFuture::from(promise).await {
                                Ok(created) => {
                                    let _ = register_snippets(&snippets_js());
                                    *editor.borrow_mut() = Some(created);
                                    status.set(Status::Ready);
                                    schedule_check();
                                }
                                Err(err) => status.set(Status::Failed(describe(&err))),
                            }
                        });
                    }
                    Err(err) => status.set(Status::Failed(describe(&err))),
                }
            }
            move || {
                if let Some(created) = editor.borrow_mut().take() {
                    let _ = dispose_editor(&created);
                }
                drop(on_change);
            }
        });
    }

    {
        // A loaded lab brings its editor text.
        let editor = editor.clone();
        let text = text.clone();
        use_effect_with(lab.editor_text.clone(), move |loaded| {
            if let Some((_, loaded)) = loaded {
                *text.borrow_mut() = loaded.clone();
                storage::save_editor_text(loaded);
                if let Some(ed) = editor.borrow().as_ref() {
                    let _ = set_value(ed, loaded);
                }
            }
        });
    }
    {
        // Re-check when the cluster changes under the text (a reset, a loaded lab, a command).
        let schedule_check = schedule_check.clone();
        let ready = *status == Status::Ready;
        use_effect_with((lab.revision, ready), move |(_, ready)| {
            if *ready {
                schedule_check();
            }
        });
    }

    let apply = {
        let lab = lab.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| {
            let at_ms = gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0);
            lab.dispatch(Action::Apply { text: text.borrow().clone(), at_ms });
        })
    };
    let template = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<HtmlSelectElement>();
            let chosen = SNIPPETS.iter().find(|(name, _)| *name == select.value());
            if let (Some((_, snippet)), Some(ed)) = (chosen, editor.borrow().as_ref()) {
                let _ = insert_text(ed, snippet);
            }
            select.set_value("");
        })
    };
    let (ready, overlay) = match &*status {
        Status::Loading => ("false", html! { <div class="editor-status">{t.editor_loading}</div> }),
        Status::Ready => ("true", html! {}),
        Status::Failed(reason) => (
            "false",
            html! { <div class="editor-status error" role="alert">
                {format!("{} {reason}", t.editor_failed)}
            </div> },
        ),
    };
    let check_line = match &*check {
        CheckStatus::Idle => html! {},
        CheckStatus::Checking => html! {
            <div class="editor-check" data-testid="editor-check" data-state="checking">{t.checking}</div>
        },
        CheckStatus::Done { problems, dry_run } if problems.is_empty() => html! {
            <div class="editor-check ok" data-testid="editor-check" data-state="ok" data-problems="0">
                {format!("✓ {} {dry_run}", t.dry_run_ok)}
            </div>
        },
        CheckStatus::Done { problems, .. } => html! {
            <div class="editor-check bad" data-testid="editor-check" data-state="problems"
                data-problems={problems.len().to_string()} title={problems.join("\n")}>
                {format!("✗ {}: {}", lab.lang.problems(problems.len()), problems[0])}
            </div>
        },
    };
    html! {
        <div class="editor" data-testid="editor" data-ready={ready}>
            <div class="pane-title editor-bar">
                <span>{EDITOR_FILE}</span>
                <span class="editor-tools">
                    <select class="templates" data-testid="editor-templates" aria-label={t.templates}
                        title={t.templates} onchange={template}>
                        <option value="" selected=true>{t.insert_template}</option>
                        { for SNIPPETS.iter().map(|(name, _)| html! { <option value={*name}>{*name}</option> }) }
                    </select>
                    <button type="button" class="apply" data-testid="apply-button"
                        title={t.apply_title} onclick={apply}>{t.apply}</button>
                </span>
            </div>
            { check_line }
            { overlay }
            <div class="editor-host" ref={host} />
        </div>
    }
}

fn summarize(result: &ManifestCheck) -> CheckStatus {
    let problems = result
        .markers
        .iter()
        .map(|m| format!("{}:{}: {}", m.line, m.column, m.message))
        .collect();
    let dry_run = result
        .dry_run
        .as_ref()
        .map(|o| o.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("; "))
        .unwrap_or_default();
    CheckStatus::Done { problems, dry_run }
}

fn markers_js(result: &ManifestCheck) -> js_sys::Array {
    result
        .markers
        .iter()
        .map(|m| {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"line".into(), &(m.line as u32).into());
            let _ = js_sys::Reflect::set(&o, &"column".into(), &(m.column as u32).into());
            let _ = js_sys::Reflect::set(&o, &"message".into(), &m.message.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

fn snippets_js() -> js_sys::Array {
    SNIPPETS
        .iter()
        .map(|(name, text)| {
            let o = js_sys::Object::new();
            let kind = text.lines().find_map(|l| l.strip_prefix("kind: ")).unwrap_or("");
            let _ = js_sys::Reflect::set(&o, &"label".into(), &(*name).into());
            let _ = js_sys::Reflect::set(&o, &"detail".into(), &format!("kubelab template: {kind}").into());
            let _ = js_sys::Reflect::set(&o, &"text".into(), &(*text).into());
            JsValue::from(o)
        })
        .collect()
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
