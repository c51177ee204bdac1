//! The SVG pieces of the node view: node cards with resource bars, pod chips with a readiness
//! ring and a restart badge, Service boxes and their lines to endpoint pods. Every piece a
//! learner can open is focusable and opens the inspector with Enter, Space or a click.

use lab::view::{NodeView, PodState, PodView, ServiceView};
use yew::prelude::*;

use super::format::{cpu, fit, fit_middle, memory};
use super::layout::{CARD_HEAD, CHIP_H, CHIP_W, Link, PAD, Rect};
use super::texts::{self, ViewTexts};
use crate::components::inspector::InspectTarget;

/// Click and keyboard (Enter, Space) handlers that both select `target`.
pub fn activators(
    target: InspectTarget,
    on_select: &Callback<InspectTarget>,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let click = {
        let (target, cb) = (target.clone(), on_select.clone());
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(target.clone())
        })
    };
    let key = {
        let cb = on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(target.clone());
            }
        })
    };
    (click, key)
}

/// The words on a chip's second line: kubectl's STATUS, except that a running pod says
/// whether it is ready (which `kubectl get pods` shows in READY instead).
pub fn chip_label(pod: &PodView, t: &ViewTexts) -> String {
    match pod.state {
        PodState::Ready => format!("{} {}", t.state_name(PodState::Ready), pod.ready),
        PodState::RunningNotReady => format!("Running {} · {}", pod.ready, t.not_ready),
        _ => pod.status.clone(),
    }
}

/// The chip's tooltip and accessible name.
pub fn pod_title(pod: &PodView, t: &ViewTexts) -> String {
    let mut s = format!(
        "pod {} · {} · READY {} · {} {}",
        pod.key(),
        pod.status,
        pod.ready,
        t.restarts,
        pod.restarts
    );
    if let Some(fit) = &pod.fit_error {
        s.push('\n');
        s.push_str(fit);
    }
    s
}

pub fn pod_chip(
    pod: &PodView,
    rect: &Rect,
    selected: bool,
    on_select: &Callback<InspectTarget>,
    t: &ViewTexts,
) -> Html {
    let (onclick, onkeydown) = activators(InspectTarget::pod(pod), on_select);
    let title = pod_title(pod, t);
    // The ring's arc is the fraction of containers ready.
    let r = 9.0;
    let circumference = 2.0 * std::f64::consts::PI * r;
    let frac = if pod.containers == 0 {
        0.0
    } else {
        f64::from(pod.containers_ready) / f64::from(pod.containers)
    };
    let style = format!("transform: translate({}px, {}px)", rect.x, rect.y);
    let class = classes!(
        "cv-pod",
        format!("st-{}", pod.state.slug()),
        selected.then_some("selected")
    );
    html! {
        <g key={pod.key()} class={class} style={style} tabindex="0" role="button" aria-label={title.clone()}
            data-testid="pod" data-name={pod.name.clone()} data-namespace={pod.namespace.clone()}
            data-phase={pod.status.clone()} data-ready={pod.is_ready.to_string()}
            data-restarts={pod.restarts.to_string()} data-state={pod.state.slug()}
            data-node={pod.node.clone().unwrap_or_default()}
            data-fit-error={pod.fit_error.clone()} {onclick} {onkeydown}>
            <title>{title}</title>
            <rect class="cv-chip-frame" width={CHIP_W.to_string()} height={CHIP_H.to_string()} rx="8" />
            <circle class="cv-ring-track" cx="17" cy={(CHIP_H / 2.0).to_string()} r={r.to_string()} />
            <circle class="cv-ring" cx="17" cy={(CHIP_H / 2.0).to_string()} r={r.to_string()}
                stroke-dasharray={format!("{:.2} {:.2}", frac * circumference, circumference)}
                transform={format!("rotate(-90 17 {})", CHIP_H / 2.0)} />
            <text class="cv-glyph" x="17" y={(CHIP_H / 2.0 + 4.0).to_string()} text-anchor="middle" aria-hidden="true">
                {texts::state_glyph(pod.state)}
            </text>
            <text class="cv-chip-name" x="32" y="15">{fit_middle(&pod.name, 16)}</text>
            <text class="cv-chip-status" x="32" y="30">{fit(&chip_label(pod, t), 19)}</text>
            if pod.restarts > 0 {
                <g class="cv-restarts" transform={format!("translate({} -5)", CHIP_W - 30.0)}>
                    <rect width="34" height="14" rx="7" />
                    <text x="17" y="10.5" text-anchor="middle">{format!("↻{}", pod.restarts)}</text>
                </g>
            }
        </g>
    }
}

/// A bar of requested vs allocatable, with its numbers written beside it.
fn bar(label: &str, y: f64, w: f64, used: i64, total: i64, text: String) -> Html {
    let frac = if total > 0 {
        (used as f64 / total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let bar_x = 44.0;
    let bar_w = (w - bar_x - 118.0).max(30.0);
    let tone = if frac > 0.9 {
        "hot"
    } else if frac > 0.7 {
        "warm"
    } else {
        "cool"
    };
    html! {
        <g class="cv-bar" transform={format!("translate(0 {y})")}>
            <text class="cv-bar-label" x={PAD.to_string()} y="8">{label}</text>
            <rect class="cv-bar-track" x={bar_x.to_string()} y="1" width={bar_w.to_string()} height="8" rx="4" />
            <rect class={classes!("cv-bar-fill", tone)} x={bar_x.to_string()} y="1" width={(bar_w * frac).to_string()} height="8" rx="4" />
            <text class="cv-bar-value" x={(bar_x + bar_w + 6.0).to_string()} y="8">{text}</text>
        </g>
    }
}

pub fn node_card(
    node: &NodeView,
    rect: &Rect,
    chips: bool,
    selected: bool,
    on_select: &Callback<InspectTarget>,
    t: &ViewTexts,
) -> Html {
    let (onclick, onkeydown) = activators(InspectTarget::node(&node.name), on_select);
    let class = classes!(
        "cv-node",
        (!node.ready).then_some("not-ready"),
        node.unschedulable.then_some("cordoned"),
        selected.then_some("selected")
    );
    let role = if node.control_plane {
        "control-plane"
    } else {
        "worker"
    };
    let status = if node.ready {
        "✓ Ready"
    } else {
        "✕ NotReady"
    };
    let label = format!("node {} · {} · {}", node.name, role, node.status());
    let mut flags = Vec::new();
    if node.unschedulable {
        flags.push(html! { <tspan class="cv-cordon">{format!(" · ⊘ {}", t.cordoned)}</tspan> });
    }
    if !node.taints.is_empty() {
        flags.push(html! {
            <tspan class="cv-taint">{format!(" · ⚠ {}", t.taint_count(node.taints.len()))}<title>{node.taints.join("\n")}</title></tspan>
        });
    }
    let counts = (!chips).then(|| count_line(&node.pods, t));
    html! {
        <g key={node.name.clone()} class={class} transform={format!("translate({} {})", rect.x, rect.y)}
            tabindex="0" role="button" aria-label={label.clone()}
            data-testid="node" data-name={node.name.clone()} data-ready={node.ready.to_string()}
            data-cordoned={node.unschedulable.to_string()} data-taints={node.taints.join(",")}
            {onclick} {onkeydown}>
            <title>{label}</title>
            <rect class="cv-node-frame" width={rect.w.to_string()} height={rect.h.to_string()} rx="10" />
            <text class="cv-node-name" x={PAD.to_string()} y="20">{fit(&node.name, 28)}</text>
            <text class="cv-node-role" x={(rect.w - PAD).to_string()} y="20" text-anchor="end">{role}</text>
            <text class="cv-node-status" x={PAD.to_string()} y="38">
                <tspan class="cv-node-ready">{status}</tspan>
                { for flags }
                <tspan class="cv-node-pods">{format!(" · {}", t.pod_count(node.pod_count))}</tspan>
            </text>
            { bar(t.cpu, 48.0, rect.w, node.cpu_requested_milli, node.cpu_allocatable_milli,
                format!("{} / {}", cpu(node.cpu_requested_milli), cpu(node.cpu_allocatable_milli))) }
            { bar(t.memory, 62.0, rect.w, node.memory_requested, node.memory_allocatable,
                format!("{} / {}", memory(node.memory_requested), memory(node.memory_allocatable))) }
            if let Some(counts) = counts {
                <text class="cv-node-counts" x={PAD.to_string()} y={(CARD_HEAD + 14.0).to_string()}>{counts}</text>
            } else if node.pods.is_empty() {
                <text class="cv-node-empty" x={PAD.to_string()} y={(CARD_HEAD + 10.0).to_string()}>{t.no_pods}</text>
            }
        </g>
    }
}

/// `12 Ready · 2 Pending` for a node whose chips are not drawn.
pub fn count_line(pods: &[PodView], t: &ViewTexts) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for p in pods {
        *counts.entry(p.state).or_insert(0usize) += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}", t.state_name(*s)))
        .collect();
    if parts.is_empty() {
        t.no_pods.to_string()
    } else {
        parts.join(" · ")
    }
}

pub fn service_box(
    svc: &ServiceView,
    rect: &Rect,
    selected: bool,
    on_select: &Callback<InspectTarget>,
    t: &ViewTexts,
) -> Html {
    let (onclick, onkeydown) = activators(InspectTarget::service(svc), on_select);
    let ready = svc.endpoints.iter().filter(|e| e.ready).count();
    let label = format!(
        "service {} · {} {} · {} {ready}/{} {}",
        svc.key(),
        svc.type_,
        svc.ports.join(","),
        t.endpoints,
        svc.endpoints.len(),
        t.ready
    );
    html! {
        <g key={svc.key()} class={classes!("cv-service", selected.then_some("selected"))}
            transform={format!("translate({} {})", rect.x, rect.y)} tabindex="0" role="button"
            aria-label={label.clone()} data-testid="service" data-name={svc.name.clone()}
            data-namespace={svc.namespace.clone()} {onclick} {onkeydown}>
            <title>{label}</title>
            <rect class="cv-service-frame" width={rect.w.to_string()} height={rect.h.to_string()} rx="8" />
            <text class="cv-service-name" x="10" y="17">{format!("⇄ {}", fit(&svc.name, 22))}</text>
            <text class="cv-service-meta" x="10" y="34">
                {fit(&format!("{} {} · {ready}/{} {}", svc.type_, svc.ports.join(","), svc.endpoints.len(), t.ready), 32)}
            </text>
        </g>
    }
}

pub fn link_line(link: &Link) -> Html {
    let (x1, y1) = link.from;
    let (x2, y2) = link.to;
    // A gentle curve reads better than a straight line across cards.
    let mid = (y1 + y2) / 2.0;
    let d = format!("M{x1:.1},{y1:.1} C{x1:.1},{mid:.1} {x2:.1},{mid:.1} {x2:.1},{y2:.1}");
    html! {
        <path key={format!("{}>{}", link.service, link.pod)} d={d}
            class={classes!("cv-link", if link.ready { "ready" } else { "not-ready" })}
            data-testid="service-link" data-service={link.service.clone()} data-pod={link.pod.clone()}
            data-ready={link.ready.to_string()} />
    }
}

/// A dot travelling along a request's route once (CSS `offset-path`).
pub fn trip_dot(trip: &super::layout::Trip) -> Html {
    let style = format!("offset-path: path('{}')", trip.path);
    html! {
        <circle key={trip.seq} class={classes!("cv-dot", (!trip.answered).then_some("failed"))} r="5"
            style={style} data-testid="traffic-dot" data-service={trip.service.clone()}
            data-pod={trip.pod.clone()} aria-hidden="true" />
    }
}
