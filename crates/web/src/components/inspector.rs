//! The inspector drawer: whatever the learner clicked, shown as kubectl shows it (describe,
//! YAML, events, logs for pods) — the texts come from running kubectl in the lab's session —
//! and, for a pod the scheduler could not place, the scheduler's verdict on every node.

use lab::PodView;
use lab::inspect::{InspectTab, SchedulingTable, scheduling_table, tab_text};
use lab::view::ServiceView;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::components::cluster_view::texts::{self, ViewTexts};
use crate::state::{Action, LabContext, TerminalLine};

/// An object to inspect: a kind kubectl accepts (`pod`, `node`, `service`…), its namespace
/// (none for nodes) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectTarget {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl InspectTarget {
    pub fn pod(p: &PodView) -> InspectTarget {
        InspectTarget::in_namespace("pod", &p.namespace, &p.name)
    }

    pub fn node(name: &str) -> InspectTarget {
        InspectTarget {
            kind: "node".into(),
            namespace: None,
            name: name.into(),
        }
    }

    pub fn service(s: &ServiceView) -> InspectTarget {
        InspectTarget::in_namespace("service", &s.namespace, &s.name)
    }

    pub fn in_namespace(kind: &str, namespace: &str, name: &str) -> InspectTarget {
        InspectTarget {
            kind: kind.into(),
            namespace: Some(namespace.into()),
            name: name.into(),
        }
    }
}

/// One tab of the drawer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Kubectl(InspectTab),
    Scheduling,
    /// A shell in the pod's container (`kubectl exec`).
    Shell,
}

fn tab_label(tab: Tab, t: &ViewTexts) -> &'static str {
    match tab {
        Tab::Kubectl(InspectTab::Describe) => t.describe,
        Tab::Kubectl(InspectTab::Yaml) => t.yaml,
        Tab::Kubectl(InspectTab::Events) => t.events,
        Tab::Kubectl(InspectTab::Logs) => t.logs,
        Tab::Scheduling => t.scheduling,
        Tab::Shell => t.shell,
    }
}

fn tab_id(tab: Tab) -> &'static str {
    match tab {
        Tab::Kubectl(InspectTab::Describe) => "describe",
        Tab::Kubectl(InspectTab::Yaml) => "yaml",
        Tab::Kubectl(InspectTab::Events) => "events",
        Tab::Kubectl(InspectTab::Logs) => "logs",
        Tab::Scheduling => "scheduling",
        Tab::Shell => "shell",
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub target: InspectTarget,
    pub on_close: Callback<()>,
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let lab =
        use_context::<LabContext>().expect("Inspector is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let target = &props.target;
    let pending = target.kind == "pod"
        && lab
            .snapshot
            .pending
            .iter()
            .any(|p| Some(&p.namespace) == target.namespace.as_ref() && p.name == target.name);
    let mut tabs: Vec<Tab> = InspectTab::ALL
        .into_iter()
        .filter(|t| t.applies_to(&target.kind))
        .map(Tab::Kubectl)
        .collect();
    if pending {
        tabs.insert(0, Tab::Scheduling);
    } else if target.kind == "pod" {
        tabs.push(Tab::Shell);
    }
    let chosen = use_state(|| None::<Tab>);
    // A Pending pod opens on the scheduler's table; anything else on describe.
    let active = chosen.filter(|t| tabs.contains(t)).unwrap_or(tabs[0]);
    {
        // Reset the tab when another object is opened.
        let chosen = chosen.clone();
        use_effect_with(target.clone(), move |_| chosen.set(None));
    }
    let drawer = use_node_ref();
    {
        // Focus moves into the drawer when it opens, so the keyboard follows the click.
        let drawer = drawer.clone();
        use_effect_with(target.clone(), move |_| {
            if let Some(el) = drawer.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    // kubectl runs again once per virtual second while the drawer is open: the texts follow
    // the cluster without running on every animation frame.
    let second = lab.snapshot.now_ms / 1000;
    let body = {
        let session = lab.session.clone();
        let target = target.clone();
        use_memo(
            (target, active, second),
            move |(target, active, _)| match active {
                Tab::Kubectl(tab) => Ok(tab_text(
                    &session,
                    *tab,
                    &target.kind,
                    target.namespace.as_deref(),
                    &target.name,
                )),
                Tab::Scheduling => Err(scheduling_table(
                    &session,
                    target.namespace.as_deref().unwrap_or("default"),
                    &target.name,
                )),
                // The shell tab renders from the lab state, not from a kubectl text.
                Tab::Shell => Err(None),
            },
        )
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let title = match &target.namespace {
        Some(ns) => format!("{} {ns}/{}", target.kind, target.name),
        None => format!("{} {}", target.kind, target.name),
    };
    html! {
        <aside class="cv-inspector" role="dialog" aria-label={format!("{}: {title}", t.inspector)}
            data-testid="inspector" data-kind={target.kind.clone()} data-name={target.name.clone()}
            tabindex="-1" ref={drawer} {onkeydown}>
            <header class="cv-inspector-head">
                <strong class="cv-inspector-title">{title}</strong>
                <button type="button" class="cv-close" aria-label={t.close} data-testid="inspector-close" onclick={close}>{"✕"}</button>
            </header>
            <div class="cv-tabs" role="tablist">
                { for tabs.iter().map(|tab| {
                    let selected = *tab == active;
                    let chosen = chosen.clone();
                    let tab = *tab;
                    html! {
                        <button type="button" role="tab" aria-selected={selected.to_string()}
                            class={classes!("cv-tab", selected.then_some("on"))}
                            data-testid={format!("inspector-tab-{}", tab_id(tab))}
                            onclick={Callback::from(move |_| chosen.set(Some(tab)))}>{tab_label(tab, t)}</button>
                    }
                }) }
            </div>
            <div class="cv-inspector-body" role="tabpanel">
                { match &*body {
                    Ok((line, text)) => html! {
                        <>
                            <div class="cv-command"><code>{format!("$ {line}")}</code></div>
                            <pre class="cv-text" data-testid="inspector-text" data-tab={tab_id(active)}>{text.clone()}</pre>
                        </>
                    },
                    Err(_) if active == Tab::Shell => html! {
                        <PodShellTab namespace={target.namespace.clone().unwrap_or_else(|| "default".into())}
                            pod={target.name.clone()} />
                    },
                    Err(table) => scheduling(table.as_ref(), t),
                } }
            </div>
        </aside>
    }
}

fn scheduling(table: Option<&SchedulingTable>, t: &ViewTexts) -> Html {
    let Some(table) = table else {
        return html! { <p class="cv-empty">{t.not_tried}</p> };
    };
    html! {
        <div class="cv-scheduling">
            <p class="cv-fit-error" data-testid="fit-error"><strong>{format!("{}: ", t.scheduler_says)}</strong>{table.outcome.clone()}</p>
            <p class="cv-meta">{format!("{} {} · {}/{} {}", t.attempt, table.attempt, table.evaluated, table.nodes_total, t.evaluated)}</p>
            <table class="cv-table" data-testid="scheduling-table">
                <thead><tr><th scope="col">{t.node}</th><th scope="col">{t.result}</th><th scope="col">{t.plugin}</th><th scope="col">{t.detail}</th></tr></thead>
                <tbody>
                    { for table.rows.iter().map(|r| html! {
                        <tr class={if r.feasible { "fits" } else { "rejected" }} data-testid="scheduling-row" data-node={r.node.clone()}>
                            <td>{r.node.clone()}</td>
                            <td>{if r.feasible { format!("✓ {}", t.fits) } else { format!("✕ {}", t.rejected) }}</td>
                            <td>{r.plugin.clone()}</td>
                            <td>{r.detail.clone()}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PodShellProps {
    namespace: String,
    pod: String,
}

/// A small terminal on one pod: each line runs in its container through `kubectl exec`
/// (shown above the scrollback, so the learner sees the command behind it).
#[function_component(PodShellTab)]
fn pod_shell_tab(props: &PodShellProps) -> Html {
    let lab =
        use_context::<LabContext>().expect("Inspector is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let key = format!("{}/{}", props.namespace, props.pod);
    let lines: &[TerminalLine] = if lab.pod_shell.pod == key {
        &lab.pod_shell.lines
    } else {
        &[]
    };
    let input = use_node_ref();
    let onkeydown = {
        let (lab, input) = (lab.clone(), input.clone());
        let (namespace, pod) = (props.namespace.clone(), props.pod.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            e.prevent_default();
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let line = el.value();
                el.set_value("");
                let at_ms = gloo::utils::window().performance().map_or(0.0, |p| p.now());
                lab.dispatch(Action::PodExec {
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                    line,
                    at_ms,
                });
            }
        })
    };
    html! {
        <div class="cv-shell" data-testid="pod-shell">
            <div class="cv-command"><code>{lab::inspect::exec_line(&props.namespace, &props.pod, "…")}</code></div>
            <pre class="cv-text cv-shell-out" data-testid="pod-shell-output" aria-live="polite">
                { for lines.iter().map(|l| match l {
                    TerminalLine::Command { prompt, text } => html! { <div class="line command"><span class="prompt">{prompt}</span>{text}</div> },
                    TerminalLine::Stderr(text) => html! { <div class="line stderr">{text}</div> },
                    TerminalLine::Stdout(text) => html! { <div class="line stdout">{text}</div> },
                    TerminalLine::Welcome(_) => html! {},
                }) }
            </pre>
            <label class="cv-shell-line">
                <span class="prompt" aria-hidden="true">{format!("{} $ ", props.pod)}</span>
                <input ref={input} type="text" class="cv-shell-input" data-testid="pod-shell-input"
                    aria-label={format!("{} {}", t.shell_input, props.pod)} placeholder={t.shell_placeholder}
                    autocomplete="off" spellcheck="false" {onkeydown} />
            </label>
        </div>
    }
}
