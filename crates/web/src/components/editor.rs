//! The Monaco YAML editor. All Monaco interop of the app sits in this file; the JavaScript side
//! is `web/js/monaco-glue.js`, which loads Monaco from the site's own `vs/` folder.
//!
//! As the learner types, the text is checked (debounced) the way Apply would use it: decode
//! errors at their exact line and column, then a server-side dry run; problems become Monaco
//! markers and a one-line status under the toolbar. Completion and hover docs for every
//! field come from `lab::field_docs` (the kinds' schemas, as `kubectl explain` reads them);
//! "Explain" (Ctrl+Shift+E) runs `kubectl explain` of the field under the cursor in the
//! terminal. `kubectl edit` opens the live object in a second tab; saving it (Ctrl+S or the
//! button) hands it back to kubectl, which applies it or reopens it with its errors.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use lab::field_docs;
use lab::manifest_check::{ManifestCheck, Severity};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::snippets::SNIPPETS;
use crate::i18n::Lang;
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
    /// `kubelabMonaco.create(element, text, onChange, theme, locale)`: resolves to the editor
    /// once Monaco has loaded (its menus in `locale`, which the page's first editor fixes for
    /// the page's life). Throws (caught) when the glue script is missing.
    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = create)]
    fn create_editor(
        host: &web_sys::HtmlElement,
        text: &str,
        on_change: &js_sys::Function,
        theme: &str,
        locale: &str,
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

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = replaceText)]
    fn replace_text(editor: &JsValue, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = cursor)]
    fn cursor(editor: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = addCommands)]
    fn add_commands(
        editor: &JsValue,
        on_save: &js_sys::Function,
        on_explain: &js_sys::Function,
        explain_label: &str,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = registerFieldDocs)]
    fn register_field_docs(complete: &js_sys::Function, hover: &js_sys::Function) -> Result<(), JsValue>;
}

/// Which buffer the editor shows: the learner's manifest or an object `kubectl edit` opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Manifest,
    Edit,
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

/// The YAML editor pane: the learner's manifest (saved to localStorage on every change) and,
/// while `kubectl edit` has an object open, that object in a second tab.
#[function_component(Editor)]
pub fn editor() -> Html {
    let lab = use_context::<LabContext>().expect("Editor is rendered inside the LabContext provider");
    let t = lab.lang.t();
    let host = use_node_ref();
    let status = use_state(|| Status::Loading);
    let check = use_state(CheckStatus::default);
    // The newest texts, kept by the change callback so Apply needs no round trip to Monaco.
    let text = use_mut_ref(|| storage::load_editor_text().unwrap_or_else(|| STARTER_MANIFEST.to_string()));
    let edit_text = use_mut_ref(String::new);
    // The tab shown, as a state to render and as a cell the callbacks Monaco holds can read.
    let tab = use_state(|| Tab::Manifest);
    let tab_ref = use_mut_ref(|| Tab::Manifest);
    let lang_ref = use_mut_ref(|| lab.lang);
    *lang_ref.borrow_mut() = lab.lang;
    // "Explain" found no field under the cursor.
    let no_field = use_state(|| false);
    // The language Monaco's own menus were loaded in: they cannot change without a reload.
    let monaco_lang = use_state(|| lab.lang);
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
        let tab_ref = tab_ref.clone();
        Rc::new(move || {
            if *tab_ref.borrow() == Tab::Edit {
                // An edit buffer is checked by kubectl when it is saved, not as it is typed.
                *pending.borrow_mut() = None;
                if let Some(ed) = editor.borrow().as_ref() {
                    let _ = set_markers(ed, &js_sys::Array::new());
                }
                check.set(CheckStatus::Idle);
                return;
            }
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

    // Apply (the manifest) or save (the edit buffer): the button and Ctrl+S.
    let save = {
        let dispatcher = lab.dispatcher();
        let text = text.clone();
        let edit_text = edit_text.clone();
        let tab_ref = tab_ref.clone();
        Rc::new(move || {
            // Read the cells before dispatching: the dispatch may re-render at once.
            let shown = *tab_ref.borrow();
            let action = match shown {
                Tab::Manifest => Action::Apply { text: text.borrow().clone(), at_ms: page_time_ms() },
                Tab::Edit => Action::SaveEdit { text: edit_text.borrow().clone() },
            };
            dispatcher.dispatch(action);
        })
    };
    // `kubectl explain` of the field at a position of the shown buffer, run in the terminal.
    let explain = {
        let dispatcher = lab.dispatcher();
        let text = text.clone();
        let edit_text = edit_text.clone();
        let tab_ref = tab_ref.clone();
        let no_field = no_field.clone();
        Rc::new(move |line: u32, column: u32| {
            let current = *tab_ref.borrow();
            let shown = match current {
                Tab::Manifest => text.borrow().clone(),
                Tab::Edit => edit_text.borrow().clone(),
            };
            match field_docs::field_at(&shown, line as usize, column as usize) {
                Some(at) => {
                    no_field.set(false);
                    let line = format!("kubectl explain {}", at.explain);
                    dispatcher.dispatch(Action::RunCommand { line, at_ms: page_time_ms() });
                }
                None => no_field.set(true),
            }
        })
    };

    {
        let host = host.clone();
        let status = status.clone();
        let latest = text.clone();
        let edit_text = edit_text.clone();
        let tab_ref = tab_ref.clone();
        let editor = editor.clone();
        let schedule_check = schedule_check.clone();
        let save = save.clone();
        let explain = explain.clone();
        let lang_ref = lang_ref.clone();
        let theme = lab.theme;
        let lang = *monaco_lang;
        let no_field = no_field.clone();
        use_effect_with((), move |_| {
            let initial = latest.borrow().clone();
            let on_change = {
                let schedule_check = schedule_check.clone();
                Closure::<dyn Fn(String)>::new(move |text: String| {
                    no_field.set(false);
                    if *tab_ref.borrow() == Tab::Edit {
                        *edit_text.borrow_mut() = text;
                        return;
                    }
                    storage::save_editor_text(&text);
                    *latest.borrow_mut() = text;
                    schedule_check();
                })
            };
            // Monaco holds these for the page's life; the editor is created once per page.
            let on_save = Closure::<dyn Fn()>::new(move || save());
            let on_explain = Closure::<dyn Fn(u32, u32)>::new(move |l, c| explain(l, c));
            let complete = Closure::<dyn Fn(String, u32, u32) -> JsValue>::new({
                let lang_ref = lang_ref.clone();
                move |text: String, line: u32, column: u32| {
                    completions_js(&text, line, column, *lang_ref.borrow()).into()
                }
            });
            let hover = Closure::<dyn Fn(String, u32, u32) -> JsValue>::new(move |text: String, line: u32, column: u32| {
                hover_markdown(&text, line, column, *lang_ref.borrow()).map_or(JsValue::NULL, JsValue::from)
            });
            if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                match create_editor(&el, &initial, on_change.as_ref().unchecked_ref(), theme.code(), lang.monaco_locale()) {
                    Ok(promise) => {
                        let editor = editor.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            match JsFuture::from(promise).await {
                                Ok(created) => {
                                    let _ = register_snippets(&snippets_js());
                                    let _ = register_field_docs(complete.as_ref().unchecked_ref(), hover.as_ref().unchecked_ref());
                                    // In the language Monaco's own menus were loaded in, beside them.
                                    let label = format!("{} (kubectl explain)", lang.t().explain);
                                    let _ = add_commands(&created, on_save.as_ref().unchecked_ref(), on_explain.as_ref().unchecked_ref(), &label);
                                    complete.forget();
                                    hover.forget();
                                    on_save.forget();
                                    on_explain.forget();
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

    // Shows a buffer: the cell first, so the change Monaco reports lands in the right text.
    let show = {
        let editor = editor.clone();
        let tab = tab.clone();
        let tab_ref = tab_ref.clone();
        let text = text.clone();
        let edit_text = edit_text.clone();
        let schedule_check = schedule_check.clone();
        Rc::new(move |to: Tab| {
            *tab_ref.borrow_mut() = to;
            tab.set(to);
            let shown = match to {
                Tab::Manifest => text.borrow().clone(),
                Tab::Edit => edit_text.borrow().clone(),
            };
            if let Some(ed) = editor.borrow().as_ref() {
                let _ = replace_text(ed, &shown);
            }
            schedule_check();
        })
    };

    {
        // `kubectl edit` opened (or reopened) an object: show it; when it closes, the manifest.
        let edit_text = edit_text.clone();
        let tab_ref = tab_ref.clone();
        let show = show.clone();
        let opened = lab.edit.as_ref().map(|e| (e.generation, e.text.clone()));
        use_effect_with(opened, move |opened| match opened {
            Some((_, buffer)) => {
                *edit_text.borrow_mut() = buffer.clone();
                show(Tab::Edit);
            }
            None if *tab_ref.borrow() == Tab::Edit => show(Tab::Manifest),
            None => {}
        });
    }

    {
        // A loaded lab brings its editor text.
        let editor = editor.clone();
        let text = text.clone();
        let tab_ref = tab_ref.clone();
        use_effect_with(lab.editor_text.clone(), move |loaded| {
            if let Some((_, loaded)) = loaded {
                *text.borrow_mut() = loaded.clone();
                storage::save_editor_text(loaded);
                if let (Some(ed), Tab::Manifest) = (editor.borrow().as_ref(), *tab_ref.borrow()) {
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
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save())
    };
    let explain_click = {
        let editor = editor.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(ed) = editor.borrow().clone() else { return };
            let at = cursor(&ed).unwrap_or(JsValue::NULL);
            let get = |k: &str| js_sys::Reflect::get(&at, &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(1.0) as u32;
            explain(get("line"), get("column"));
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
        Status::Loading => ("false", html! {
            <div class="editor-status" role="status">
                <span class="loading-spinner small" aria-hidden="true"></span>{t.editor_loading}
            </div>
        }),
        Status::Ready => ("true", html! {}),
        Status::Failed(reason) => (
            "false",
            html! { <div class="editor-status error" role="alert">
                {format!("{} {reason}", t.editor_failed)}
            </div> },
        ),
    };
    // After a language switch the editor's menus stay as loaded; a reload brings them over
    // (the text is saved as it is typed, and the lab autosaves).
    let locale_note = if *monaco_lang != lab.lang {
        let reload = Callback::from(|_: MouseEvent| {
            let _ = gloo::utils::window().location().reload();
        });
        html! {
            <div class="editor-check" data-testid="editor-locale-note" role="status">
                {t.editor_locale_note}{" "}
                <button type="button" data-testid="editor-locale-reload"
                    onclick={reload}>{t.reload_page}</button>
            </div>
        }
    } else {
        html! {}
    };
    let descriptions_note = match crate::field_descriptions::failure() {
        Some(reason) => html! {
            <div class="editor-check bad" data-testid="editor-descriptions-failed" role="alert"
                title={t.descriptions_failed_title}>
                {format!("{} {reason}", t.descriptions_failed)}
            </div>
        },
        None => html! {},
    };
    let check_line = match &*check {
        _ if *no_field => html! {
            <div class="editor-check bad" data-testid="editor-notice" role="status">{t.no_field}</div>
        },
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
    let tab_button = |which: Tab, name: String| {
        let show = show.clone();
        let active = *tab == which;
        let onclick = Callback::from(move |_: MouseEvent| show(which));
        html! {
            <button type="button" role="tab" class={classes!("editor-tab", active.then_some("active"))}
                data-testid="editor-tab" data-name={name.clone()} aria-selected={active.to_string()}
                {onclick}>{name}</button>
        }
    };
    let edit_tab = lab.edit.as_ref().map(|e| {
        let cancel = {
            let lab = lab.clone();
            Callback::from(move |_: MouseEvent| lab.dispatch(Action::CancelEdit))
        };
        html! {
            <span class="editor-tab-group">
                { tab_button(Tab::Edit, e.title.clone()) }
                <button type="button" class="editor-tab-close" data-testid="editor-tab-close"
                    aria-label={t.close_edit} title={t.close_edit} onclick={cancel}>{"×"}</button>
            </span>
        }
    });
    let (apply_label, apply_title, mode) = match *tab {
        Tab::Manifest => (t.apply, t.apply_title, "apply"),
        Tab::Edit => (t.save_edit, t.save_edit_title, "edit"),
    };
    html! {
        <div class="editor" data-testid="editor" data-ready={ready} data-tab={mode}>
            <div class="pane-title editor-bar">
                <span class="editor-tabs" role="tablist" aria-label={t.editor_tabs}>
                    { tab_button(Tab::Manifest, EDITOR_FILE.to_string()) }
                    { for edit_tab }
                </span>
                <span class="editor-tools">
                    <select class="templates" data-testid="editor-templates" aria-label={t.templates}
                        title={t.templates} onchange={template}>
                        <option value="" selected=true>{t.insert_template}</option>
                        { for SNIPPETS.iter().map(|(name, _)| html! { <option value={*name}>{*name}</option> }) }
                    </select>
                    <button type="button" class="explain" data-testid="explain-button"
                        title={t.explain_title} onclick={explain_click}>{t.explain}</button>
                    <button type="button" class="apply" data-testid="apply-button" data-mode={mode}
                        title={apply_title} onclick={apply}>{apply_label}</button>
                </span>
            </div>
            { locale_note }
            { descriptions_note }
            { check_line }
            { overlay }
            <div class="editor-host" ref={host} />
            <div class="keys-hint" data-testid="editor-keys-hint" aria-hidden="true">{t.leave_editor}</div>
        </div>
    }
}

/// The fields that fit at the cursor, or in an enum field's value its values, as Monaco
/// completion items.
fn completions_js(text: &str, line: u32, column: u32, lang: Lang) -> js_sys::Array {
    let values = field_docs::value_completions(text, line as usize, column as usize);
    if !values.is_empty() {
        return values
            .into_iter()
            .map(|v| {
                let o = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&o, &"label".into(), &v.as_str().into());
                let _ = js_sys::Reflect::set(&o, &"detail".into(), &"enum".into());
                let _ = js_sys::Reflect::set(&o, &"documentation".into(), &"".into());
                let _ = js_sys::Reflect::set(&o, &"insertText".into(), &v.into());
                JsValue::from(o)
            })
            .collect();
    }
    let found = field_docs::completions(text, line as usize, column as usize);
    found
        .fields
        .into_iter()
        .map(|f| {
            let o = js_sys::Object::new();
            // In a flow collection every value follows its key on the same line.
            let insert = if f.scalar || found.in_flow { format!("{}: ", f.name) } else { format!("{}:", f.name) };
            let _ = js_sys::Reflect::set(&o, &"label".into(), &f.name.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"detail".into(), &type_line(&f, lang).into());
            let _ = js_sys::Reflect::set(&o, &"documentation".into(), &f.description.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"insertText".into(), &insert.into());
            JsValue::from(o)
        })
        .collect()
}

/// The hover card of the field under the cursor, as markdown.
fn hover_markdown(text: &str, line: u32, column: u32, lang: Lang) -> Option<String> {
    let at = field_docs::field_at(text, line as usize, column as usize)?;
    Some(format!(
        "**{}** — `{}`\n\n{}\n\n`kubectl explain {}`",
        at.doc.name,
        type_line(&at.doc, lang),
        at.doc.description,
        at.explain
    ))
}

/// `string`, or `[]Container (required)`.
fn type_line(f: &field_docs::FieldDoc, lang: Lang) -> String {
    if f.required {
        format!("{} ({})", f.type_name, lang.t().required)
    } else {
        f.type_name.clone()
    }
}

/// Milliseconds since the page opened; only used to place commands on the activity plot.
fn page_time_ms() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn summarize(result: &ManifestCheck) -> CheckStatus {
    let problems = result
        .errors()
        .map(|m| format!("{}:{}: {}", m.line, m.column, m.message))
        .collect();
    // A warning stays on its marker; the status line says what Apply would do.
    let dry_run = result
        .dry_run
        .as_ref()
        .map(|o| {
            let said = o.lines.iter().map(|l| l.text.as_str()).filter(|l| !l.starts_with("Warning: "));
            said.collect::<Vec<_>>().join("; ")
        })
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
            let warning = m.severity == Severity::Warning;
            let _ = js_sys::Reflect::set(&o, &"warning".into(), &warning.into());
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
