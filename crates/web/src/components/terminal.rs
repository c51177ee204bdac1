use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{Action, LabContext, TerminalLine};

/// The prompt shown before every command.
const PROMPT: &str = "$ ";

/// The kubectl terminal: scrollback above, one input line below. ↑/↓ walk the history,
/// Ctrl+L clears the screen.
#[function_component(Terminal)]
pub fn terminal() -> Html {
    let lab = use_context::<LabContext>().expect("Terminal is rendered inside the LabContext provider");
    let input = use_node_ref();
    let output = use_node_ref();
    // Position while walking the history with ↑/↓: None = editing a new line.
    let cursor = use_mut_ref(|| None::<usize>);
    let draft = use_mut_ref(String::new);

    {
        // Keep the newest output in view.
        let output = output.clone();
        use_effect_with(lab.scrollback.len(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onkeydown = {
        let lab = lab.clone();
        let input = input.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            let history = lab.session.history();
            match e.key().as_str() {
                "Enter" => {
                    let line = field.value();
                    field.set_value("");
                    *cursor.borrow_mut() = None;
                    draft.borrow_mut().clear();
                    lab.dispatch(Action::RunCommand { line, at_ms: page_time_ms() });
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
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    lab.dispatch(Action::ClearTerminal);
                }
                _ => {}
            }
        })
    };

    // Clicking anywhere in the terminal puts the caret in the input line.
    let focus_input = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let selecting = gloo::utils::window()
                .get_selection()
                .ok()
                .flatten()
                .is_some_and(|s| !s.is_collapsed());
            if let (false, Some(field)) = (selecting, input.cast::<HtmlInputElement>()) {
                let _ = field.focus();
            }
        })
    };

    html! {
        <section class="pane terminal" aria-label="Terminal" onclick={focus_input}>
            <div class="terminal-output" data-testid="terminal-output" ref={output}
                role="log" aria-live="polite">
                { for lab.scrollback.iter().map(render_line) }
            </div>
            <div class="terminal-input-line">
                <span class="prompt" aria-hidden="true">{PROMPT}</span>
                <input ref={input} data-testid="terminal-input" class="terminal-input"
                    type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-label="Terminal command" {onkeydown} />
            </div>
        </section>
    }
}

fn render_line(line: &TerminalLine) -> Html {
    match line {
        TerminalLine::Command(text) => html! {
            <div class="line command"><span class="prompt">{PROMPT}</span>{text}</div>
        },
        TerminalLine::Stdout(text) => html! { <div class="line stdout">{text}</div> },
        TerminalLine::Stderr(text) => html! { <div class="line stderr">{text}</div> },
    }
}

/// Milliseconds since the page opened; only used to place commands on the activity plot.
fn page_time_ms() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}
