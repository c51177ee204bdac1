//! The lessons panel: pick a lesson, read its step, click commands into the terminal, open
//! its manifests in the editor and watch its checks turn green as the cluster changes.
//!
//! The lesson open and its step (from 1) live in `LabState` (so lab links carry them); this
//! panel also keeps progress in localStorage (`progress`). Checks are asked of the session's
//! cluster on every render, i.e. after every command and clock tick.

mod markdown;
mod progress;
mod strings;

use lab::Session;
use lab::lesson::{self, Lesson, Step};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{Action, LabContext};
use strings::{Strings, lesson_lang, strings};

/// Writes the files of step `step` (from 1) of lesson `id` into the lab, so the step's
/// commands (`kubectl create -f kubia-rc.yaml`) find them. Unknown lessons or steps do nothing.
pub fn provide_step_files(session: &mut Session, id: Option<&str>, step: Option<u32>) {
    if let Some(step) = find_step(id, step) {
        session.provide_files(step);
    }
}

fn find_step(id: Option<&str>, step: Option<u32>) -> Option<&'static Step> {
    let lesson = lesson::catalog().get(id?)?;
    lesson
        .steps
        .get(usize::try_from(step.unwrap_or(1)).ok()?.checked_sub(1)?)
}

/// Puts a command into the terminal's input line, ready for Enter. The terminal owns its
/// input element; this only sets the element's value, as typing would.
fn type_into_terminal(line: &str) {
    let field = gloo::utils::document()
        .query_selector("[data-testid=terminal-input]")
        .ok()
        .flatten()
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(el).ok());
    if let Some(field) = field {
        field.set_value(line);
        let _ = field.focus();
    }
}

#[function_component(LessonPanel)]
pub fn lesson_panel() -> Html {
    let lab = use_context::<LabContext>()
        .expect("LessonPanel is rendered inside the LabContext provider");
    let s = strings(lab.lang);
    let catalog = lesson::catalog();

    {
        // Reopen the lesson the learner had open, unless the lab (a link) already names one.
        let lab = lab.clone();
        use_effect_with((), move |_| {
            if lab.lesson.is_none()
                && let Some(id) = progress::current()
                && catalog.get(&id).is_some()
            {
                let step = progress::step_of(&id).or(Some(1));
                lab.dispatch(Action::SetLesson {
                    lesson: Some(id),
                    step,
                });
            }
        });
    }
    {
        // Remember where the learner is.
        use_effect_with((lab.lesson.clone(), lab.step), |(id, step)| {
            progress::set_current(id.as_deref());
            if let (Some(id), Some(step)) = (id, step) {
                progress::save_step(id, *step);
            }
        });
    }

    let open = |id: Option<String>, step: Option<u32>| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            lab.dispatch(Action::SetLesson {
                lesson: id.clone(),
                step,
            })
        })
    };

    let body = match lab.lesson.as_deref().and_then(|id| catalog.get(id)) {
        None => picker(s, lab.lang, catalog, &open),
        Some(lesson) => {
            let count = lesson.steps.len();
            let step_no = usize::try_from(lab.step.unwrap_or(1))
                .unwrap_or(1)
                .clamp(1, count);
            let step = &lesson.steps[step_no - 1];
            html! {
                <>
                    <button type="button" class="lesson-back" data-testid="lesson-back"
                        onclick={open(None, None)}>{format!("← {}", s.all_lessons)}</button>
                    <h2 id="lesson-title">{lesson.title.get(lesson_lang(lab.lang))}</h2>
                    { step_view(&lab, s, lesson, step_no, step) }
                    <nav class="lesson-nav" aria-label={s.lessons}>
                        <button type="button" data-testid="lesson-prev" disabled={step_no == 1}
                            onclick={open(Some(lesson.id.clone()), u32::try_from(step_no - 1).ok())}>
                            {s.previous}
                        </button>
                        <span class="lesson-count">{(s.step_of)(step_no, count)}</span>
                        <button type="button" data-testid="lesson-next" disabled={step_no == count}
                            onclick={open(Some(lesson.id.clone()), u32::try_from(step_no + 1).ok())}>
                            {s.next}
                        </button>
                    </nav>
                </>
            }
        }
    };
    html! {
        <section class="lesson-panel" data-testid="lesson-panel" aria-labelledby="lesson-title">
            { body }
        </section>
    }
}

fn picker(
    s: &Strings,
    lang: crate::i18n::Lang,
    catalog: &'static lesson::Catalog,
    open: &impl Fn(Option<String>, Option<u32>) -> Callback<MouseEvent>,
) -> Html {
    let lang = lesson_lang(lang);
    html! {
        <>
            <h2 id="lesson-title">{s.lessons}</h2>
            <p class="muted">{s.pick_hint}</p>
            <ul class="lesson-list">
                { for catalog.lessons.iter().map(|l| {
                    let done = progress::done(&l.id).len();
                    let step = progress::step_of(&l.id).unwrap_or(1);
                    html! {
                        <li>
                            <button type="button" class="lesson-choice" data-testid="lesson-choice"
                                data-id={l.id.clone()} onclick={open(Some(l.id.clone()), Some(step))}>
                                <span class="lesson-choice-title">{l.title.get(lang)}</span>
                                <span class="lesson-choice-progress">{(s.steps_done)(done, l.steps.len())}</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
            if !catalog.problems.is_empty() {
                <div class="lesson-problems" role="alert">
                    <p>{s.broken_lessons}</p>
                    <ul>{ for catalog.problems.iter().map(|p| html! { <li><code>{p.to_string()}</code></li> }) }</ul>
                </div>
            }
        </>
    }
}

fn step_view(lab: &LabContext, s: &Strings, lesson: &Lesson, step_no: usize, step: &Step) -> Html {
    let lang = lesson_lang(lab.lang);
    let outcomes: Vec<_> = step.checks.iter().map(|c| lab.session.check(c)).collect();
    let all_pass = outcomes.iter().all(|o| o.passed);
    if all_pass && let Ok(n) = u32::try_from(step_no) {
        progress::mark_done(&lesson.id, n);
    }
    let open_in_editor = |text: &str| {
        let lab = lab.clone();
        let text = text.to_string();
        Callback::from(move |_: MouseEvent| {
            lab.dispatch(Action::OpenInEditor { text: text.clone() })
        })
    };
    html! {
        <article class="lesson-step" data-testid="lesson-step" data-lesson={lesson.id.clone()}
            data-step={step_no.to_string()} data-passed={all_pass.to_string()}>
            if step_no == 1 {
                <div class="lesson-intro">{ markdown::render(lesson.intro_blocks(lang)) }</div>
            }
            <h3>{step.title.get(lang)}</h3>
            <div class="lesson-text">{ markdown::render(step.blocks(lang)) }</div>
            if !step.files.is_empty() {
                <h4>{s.files}</h4>
                <ul class="lesson-files">
                    { for step.files.iter().map(|f| html! {
                        <li>
                            <code>{&f.path}</code>
                            <button type="button" class="lesson-open" data-testid="lesson-open-file"
                                data-path={f.path.clone()} onclick={open_in_editor(&f.text)}>{s.open_in_editor}</button>
                        </li>
                    }) }
                </ul>
            }
            if !step.commands.is_empty() {
                <h4>{s.try_these}</h4>
                <p class="muted lesson-hint">{s.command_hint}</p>
                <ul class="lesson-commands">
                    { for step.commands.iter().map(|c| {
                        let line = lab.session.fill_placeholders(c);
                        let typed = line.clone();
                        html! {
                            <li>
                                <button type="button" class="lesson-command" data-testid="lesson-command"
                                    title={s.type_command}
                                    onclick={Callback::from(move |_: MouseEvent| type_into_terminal(&typed))}>
                                    <code>{line}</code>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <h4>{s.checks}</h4>
            <ul class="lesson-checks">
                { for step.checks.iter().zip(&outcomes).map(|(check, outcome)| html! {
                    <li class={classes!("lesson-check", outcome.passed.then_some("passed"))}
                        data-testid="lesson-check" data-passed={outcome.passed.to_string()}
                        title={outcome.observed.clone()}>
                        <span class="lesson-check-mark" aria-hidden="true">{ if outcome.passed { "✓" } else { "○" } }</span>
                        <span>{check.says.get(lang)}</span>
                        <span class="visually-hidden">{ if outcome.passed { s.passed } else { s.not_yet } }</span>
                    </li>
                }) }
            </ul>
            if all_pass {
                <p class="lesson-done" role="status">{s.step_done}</p>
            }
        </article>
    }
}
