//! The cluster view: an animated SVG of nodes, pods and Services (or, toggled, the workloads
//! behind the pods), a density grid for very large clusters, and the inspector drawer for
//! whatever the learner opens.

mod density;
pub mod format;
pub mod layout;
mod svg;
pub mod texts;
mod workloads;

use lab::PodState;
use web_sys::HtmlElement;
use yew::prelude::*;

use self::layout::{DENSITY_NODES, layout};
use self::texts::ViewTexts;
use crate::components::inspector::{InspectTarget, Inspector};
use crate::state::LabContext;

pub use svg::{chip_label, count_line, pod_title};

/// Which picture the view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Nodes,
    Workloads,
}

/// The pane's width in CSS pixels, measured on every render and on window resizes, so the
/// SVG is drawn at 1:1 and its text stays readable.
#[hook]
fn use_pane_width(node: &NodeRef) -> f64 {
    let width = use_state(|| 480.0);
    {
        let (node, width) = (node.clone(), width.clone());
        use_effect(move || {
            if let Some(el) = node.cast::<HtmlElement>() {
                let w = f64::from(el.client_width());
                if w > 0.0 && (w - *width).abs() >= 1.0 {
                    width.set(w);
                }
            }
        });
    }
    {
        let (node, width) = (node.clone(), width.clone());
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "resize", move |_| {
                    if let Some(el) = node.cast::<HtmlElement>() {
                        width.set(f64::from(el.client_width()));
                    }
                });
            move || drop(listener)
        });
    }
    *width
}

#[function_component(ClusterView)]
pub fn cluster_view() -> Html {
    let lab = use_context::<LabContext>()
        .expect("ClusterView is rendered inside the LabContext provider");
    let mode = use_state(|| Mode::Nodes);
    let selected = use_state(|| None::<InspectTarget>);
    let body = use_node_ref();
    let width = use_pane_width(&body);
    let snapshot = &lab.snapshot;
    let t = texts::of(lab.lang);

    let on_select = {
        let selected = selected.clone();
        Callback::from(move |t: InspectTarget| selected.set(Some(t)))
    };
    let on_close = {
        let selected = selected.clone();
        Callback::from(move |_| selected.set(None))
    };
    let mode_button = |m: Mode, label: &'static str, testid: &'static str| {
        let mode = mode.clone();
        let pressed = *mode == m;
        html! {
            <button type="button" class={classes!("cv-mode", pressed.then_some("on"))} aria-pressed={pressed.to_string()}
                data-testid={testid} onclick={Callback::from(move |_| mode.set(m))}>{label}</button>
        }
    };
    let pod_count = snapshot.pods().count();
    let picture = match *mode {
        _ if snapshot.deleted => html! { <p class="cv-empty" data-testid="cluster-deleted">{t.cluster_deleted}</p> },
        Mode::Workloads => {
            html! { <workloads::Workloads selected={(*selected).clone()} on_select={on_select.clone()} /> }
        }
        Mode::Nodes if snapshot.nodes.len() > DENSITY_NODES => html! {
            <density::DensityGrid nodes={std::rc::Rc::new(density::cells(snapshot))} width={width} on_select={on_select.clone()} />
        },
        Mode::Nodes => nodes_svg(snapshot, width, (*selected).as_ref(), &on_select, t),
    };
    html! {
        <section class="pane cluster-view cv" data-testid="cluster-view" aria-label={t.cluster_view}>
            <div class="cv-toolbar">
                <span class="pane-title cv-title">{format!("{} · {} {} · {pod_count} {}", t.cluster, snapshot.nodes.len(), t.node_units, t.pod_units)}</span>
                <div class="cv-modes" role="group" aria-label={t.view_mode}>
                    { mode_button(Mode::Nodes, t.nodes_mode, "view-nodes") }
                    { mode_button(Mode::Workloads, t.workloads_mode, "view-workloads") }
                </div>
            </div>
            <div class="cv-body" ref={body}>
                { picture }
                { legend(t) }
            </div>
            if let Some(target) = (*selected).clone() {
                <Inspector {target} {on_close} />
            }
        </section>
    }
}

fn legend(t: &ViewTexts) -> Html {
    html! {
        <ul class="cv-legend" aria-label={t.legend}>
            { for PodState::ALL.iter().map(|s| html! {
                <li class={classes!("cv-legend-item", format!("st-{}", s.slug()))}>
                    <span class="cv-swatch" aria-hidden="true">{texts::state_glyph(*s)}</span>{t.state_name(*s)}
                </li>
            }) }
            <li class="cv-legend-item"><span class="cv-line-sample ready" aria-hidden="true"></span>{t.ready_endpoint}</li>
            <li class="cv-legend-item"><span class="cv-line-sample not-ready" aria-hidden="true"></span>{t.not_ready_endpoint}</li>
        </ul>
    }
}

fn nodes_svg(
    snapshot: &lab::ClusterSnapshot,
    width: f64,
    selected: Option<&InspectTarget>,
    on_select: &Callback<InspectTarget>,
    t: &'static ViewTexts,
) -> Html {
    let l = layout(snapshot, width);
    let is = |t: InspectTarget| selected == Some(&t);
    let pods = snapshot.pods().filter_map(|p| {
        let rect = l.pods.get(&p.key())?;
        Some(svg::pod_chip(
            p,
            rect,
            is(InspectTarget::pod(p)),
            on_select,
            t,
        ))
    });
    html! {
        <>
        if !l.chips {
            <p class="cv-note" data-testid="counts-note">{t.counts_note}</p>
        }
        <svg class={classes!("cv-svg", (!l.chips).then_some("still"))} width={l.width.to_string()}
            height={l.height.to_string()} viewBox={format!("0 0 {} {}", l.width, l.height)}
            role="group" aria-label={t.cluster_view}>
            if let Some(lane) = l.lane {
                <g class="cv-lane" aria-label={t.waiting_lane} role="group">
                    <rect x={lane.x.to_string()} y={lane.y.to_string()} width={lane.w.to_string()} height={lane.h.to_string()} rx="10" />
                    <text x={(lane.x + 12.0).to_string()} y={(lane.y + 16.0).to_string()}>
                        {format!("{} · {}", t.waiting_lane, snapshot.pending.len())}
                    </text>
                    if !l.chips {
                        <text x={(lane.x + 12.0).to_string()} y={(lane.y + 36.0).to_string()}>
                            {svg::count_line(&snapshot.pending, t)}
                        </text>
                    }
                </g>
            }
            <g class="cv-nodes">
                { for snapshot.nodes.iter().zip(&l.cards).map(|(n, r)| svg::node_card(n, r, l.chips, is(InspectTarget::node(&n.name)), on_select, t)) }
            </g>
            if let Some(lane) = l.services_lane {
                <g class="cv-services-lane">
                    <rect x={lane.x.to_string()} y={lane.y.to_string()} width={lane.w.to_string()} height={lane.h.to_string()} rx="10" />
                    <text x={(lane.x + 12.0).to_string()} y={(lane.y + 16.0).to_string()}>{t.services_lane}</text>
                </g>
            }
            <g class="cv-links">{ for l.links.iter().map(svg::link_line) }</g>
            <g class="cv-pods">{ for pods }</g>
            <g class="cv-traffic">{ for l.trips.iter().map(svg::trip_dot) }</g>
            <g class="cv-services">
                { for snapshot.services.iter().zip(&l.services).map(|(s, r)| svg::service_box(s, r, is(InspectTarget::service(s)), on_select, t)) }
            </g>
        </svg>
        </>
    }
}
