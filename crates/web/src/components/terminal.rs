//! The terminal: tabs over the lab's one cluster, a scrollback and an input line with the
//! namespace in its prompt. ↑/↓ walk the history, Tab completes (via `Session::complete`),
//! Ctrl+C stops a watch (or copies a selection), Ctrl+L clears, and a pasted block of lines
//! runs line by line. As Tab completes, a keyboard user leaves the input with Escape, then Tab
//! (or Shift+Tab), as in the editor (`web/js/keys.js`); a hint says so while it has focus.

use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::state::{Action, LabContext, TerminalLine};

#[wasm_bindgen]
extern "C" {
    /// `kubelabKeys.escapeThenTab(host)`: a keydown filter that moves focus out of `host` on
    /// Escape, then Tab, and says (true) when it did.
    #[wasm_bindgen(catch, js_namespace = kubelabKeys, js_name = escapeThenTab)]
    fn escape_then_tab(host: &web_sys::Element) -> Result<js_sys::Function, JsValue>;
}

#[function_component(Terminal)]
pub fn terminal() -> Html {
    let lab = use_context::<LabContext>().expect("Terminal is rendered inside the LabContext provider");
    let t = lab.lang.t();
    let input = use_node_ref();
    let output = use_node_ref();
    // Position while walking the history with ↑/↓: None = editing a new line.
    let cursor = use_mut_ref(|| None::<usize>);
    let draft = use_mut_ref(String::new);
    // What the last Tab proposed when several candidates fit.
    let candidates = use_state(Vec::<String>::new);
    // Escape, then Tab leaves the input (set once the input exists).
    let leave = use_mut_ref(|| None::<js_sys::Function>);
    {
        let (input, leave) = (input.clone(), leave.clone());
        use_effect_with((), move |_| {
            if let Some(el) = input.cast::<web_sys::Element>() {
                *leave.borrow_mut() = escape_then_tab(&el).ok();
            }
        });
    }

    {
        // Keep the newest output in view.
        let output = output.clone();
        use_effect_with((lab.active_tab, lab.scrollback().len()), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let lab = lab.clone();
        let input = input.clone();
        let candidates = candidates.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let left = leave.borrow().as_ref().and_then(|f| f.call1(&JsValue::NULL, &e).ok());
            if left.and_then(|v| v.as_bool()) == Some(true) {
                e.prevent_default();
                return;
            }
            let history = lab.session.history();
            if e.key() != "Tab" && !candidates.is_empty() {
                candidates.set(Vec::new());
            }
            match e.key().as_str() {
                "Enter" => {
                    let line = field.value();
                    field.set_value("");
                    *cursor.borrow_mut() = None;
                    draft.borrow_mut().clear();
                    lab.dispatch(Action::RunCommand { line, at_ms: page_time_ms() });
                }
                "Tab" => {
                    e.prevent_default();
                    let line = field.value();
                    let at = field.selection_start().ok().flatten().map_or(line.len(), |c| byte_offset(&line, c as usize));
                    let completion = lab.session.complete(&line, at);
                    let (completed, caret) = completion.apply(&line);
                    field.set_value(&completed);
                    let caret = completed[..caret].encode_utf16().count() as u32;
                    let _ = field.set_selection_range(caret, caret);
                    candidates.set(if completion.candidates.len() > 1 { completion.candidates } else { Vec::new() });
                }
                "ArrowUp" => {
                    e.prevent_default();
                    let mut cursor = cursor.borrow_mut();
                    let next = match *cursor {
                        None if history.is_empty() => return,
                        None => {
                            *draft.borrow_mut() = field.value();
                            history.len() - 1
                        }
                        Some(i) => i.saturating_sub(1),
                    };
                    *cursor = Some(next);
                    field.set_value(&history[next]);
                }
                "ArrowDown" => {
                    e.prevent_default();
                    let mut cursor = cursor.borrow_mut();
                    match *cursor {
                        None => {}
                        Some(i) if i + 1 < history.len() => {
                            *cursor = Some(i + 1);
                            field.set_value(&history[i + 1]);
                        }
                        Some(_) => {
                            *cursor = None;
                            field.set_value(&draft.borrow());
                        }
                    }
                }
                "c" | "C" if e.ctrl_key() && !has_selection(&field) => {
                    // With text selected Ctrl+C copies, as in a terminal emulator's copy mode.
                    e.prevent_default();
                    field.set_value("");
                    lab.dispatch(Action::Interrupt);
                }
                "z" | "Z" if e.ctrl_key() => {
                    // Not the input's undo: Ctrl+Z suspends, as in a terminal.
                    e.prevent_default();
                    lab.dispatch(Action::Suspend);
                }
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    lab.dispatch(Action::ClearTerminal);
                }
                _ => {}
            }
        })
    };

    // A pasted block with several lines runs each finished line; the last stays in the input.
    let onpaste = {
        let lab = lab.clone();
        let input = input.clone();
        Callback::from(move |e: Event| {
            let Some(data) = e.dyn_ref::<web_sys::ClipboardEvent>().and_then(|c| c.clipboard_data()) else { return };
            let Ok(text) = data.get_data("text") else { return };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let text = format!("{}{}", field.value(), text.replace("\r\n", "\n"));
            let mut lines: Vec<&str> = text.split('\n').collect();
            let rest = lines.pop().unwrap_or("");
            for line in lines {
                lab.dispatch(Action::RunCommand { line: line.to_string(), at_ms: page_time_ms() });
            }
            field.set_value(rest);
        })
    };

    // Clicking anywhere in the terminal puts the caret in the input line (unless selecting).
    let focus_input = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let (false, Some(field)) = (window_has_selection(), input.cast::<HtmlInputElement>()) {
                let _ = field.focus();
            }
        })
    };

    let tabs = lab.tabs.iter().enumerate().map(|(i, tab)| {
        let select = {
            let lab = lab.clone();
            Callback::from(move |_: MouseEvent| lab.dispatch(Action::SelectTab(i)))
        };
        let close = {
            let lab = lab.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                lab.dispatch(Action::CloseTab(i))
            })
        };
        let active = i == lab.active_tab;
        html! {
            <div class={classes!("term-tab", active.then_some("active"))} role="presentation">
                <button type="button" role="tab" data-testid="terminal-tab" aria-selected={active.to_string()}
                    onclick={select}>{lab.lang.terminal_tab(tab.id)}</button>
                if lab.tabs.len() > 1 {
                    <button type="button" class="term-tab-close" aria-label={t.close_tab} title={t.close_tab}
                        data-testid="terminal-tab-close" onclick={close}>{"×"}</button>
                }
            </div>
        }
    });
    let new_tab = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(Action::NewTab))
    };
    let prompt = lab.prompt();

    html! {
        <section class="pane terminal" aria-label={t.terminal} onclick={focus_input}>
            <div class="term-tabs" role="tablist" aria-label={t.terminal}>
                { for tabs }
                <button type="button" class="term-tab-new" data-testid="terminal-new-tab"
                    aria-label={t.new_tab} title={t.new_tab} onclick={new_tab}>{"+"}</button>
            </div>
            <div class="terminal-output" data-testid="terminal-output" ref={output}
                role="log" aria-live="polite">
                { for lab.scrollback().iter().map(|l| render_line(l, lab.lang)) }
            </div>
            if !candidates.is_empty() {
                <div class="completions" data-testid="completions" aria-label={t.completions}>
                    { for candidates.iter().map(|c| html! { <span>{c}</span> }) }
                </div>
            }
            <div class="terminal-input-line">
                <span class="prompt" data-testid="prompt" aria-hidden="true">{prompt}</span>
                <input ref={input} data-testid="terminal-input" class="terminal-input"
                    type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-label={t.terminal_input} aria-describedby="terminal-keys-hint" {onkeydown} {onpaste} />
                <span class="keys-hint" id="terminal-keys-hint" data-testid="terminal-keys-hint">{t.leave_terminal}</span>
            </div>
        </section>
    }
}

fn render_line(line: &TerminalLine, lang: Lang) -> Html {
    match line {
        TerminalLine::Welcome(preset) => html! { <div class="line stdout welcome">{lang.welcome(*preset)}</div> },
        TerminalLine::Command { prompt, text } => html! {
            <div class="line command"><span class="prompt">{prompt}</span>{text}</div>
        },
        TerminalLine::Stdout(text) => html! { <div class="line stdout">{text}</div> },
        TerminalLine::Stderr(text) => html! { <div class="line stderr">{text}</div> },
    }
}

/// The byte offset of a UTF-16 caret position (what the DOM reports) in `s`.
fn byte_offset(s: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

fn has_selection(field: &HtmlInputElement) -> bool {
    let start = field.selection_start().ok().flatten();
    let end = field.selection_end().ok().flatten();
    matches!((start, end), (Some(a), Some(b)) if a != b) || window_has_selection()
}

fn window_has_selection() -> bool {
    gloo::utils::window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed())
}

/// Milliseconds since the page opened; only used to place commands on the activity plot.
fn page_time_ms() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}
