//! The workloads picture: each Deployment with its ReplicaSets (newest revision first) and
//! their pods, then the other controllers with their pods. Rows open the inspector.

use lab::view::{PodView, WorkloadView};
use yew::prelude::*;

use super::svg::{activators, chip_label, pod_title};
use super::texts::{self, ViewTexts};
use crate::components::inspector::InspectTarget;
use crate::state::LabContext;

#[derive(Properties, PartialEq)]
pub struct WorkloadsProps {
    pub selected: Option<InspectTarget>,
    pub on_select: Callback<InspectTarget>,
}

#[function_component(Workloads)]
pub fn workloads(props: &WorkloadsProps) -> Html {
    let lab = use_context::<LabContext>().expect("inside the LabContext provider");
    let snap = &lab.snapshot;
    let t = texts::of(lab.lang);
    if snap.workloads.is_empty() {
        return html! { <p class="cv-empty" data-testid="workloads">{t.no_workloads}</p> };
    }
    // One lookup table per render: workloads can own thousands of pods.
    let index: std::collections::BTreeMap<String, &PodView> =
        snap.pods().map(|p| (p.key(), p)).collect();
    let chips = |keys: &[String]| {
        html! {
            <ul class="cv-wl-pods">
                { for keys.iter().filter_map(|k| index.get(k)).map(|p| pod_pill(p, props, t)) }
            </ul>
        }
    };
    html! {
        <ul class="cv-workloads" data-testid="workloads" aria-label={t.workloads_mode}>
            { for snap.workloads.iter().map(|w| html! {
                <li class="cv-wl" data-testid="workload" data-kind={w.kind.clone()} data-name={w.name.clone()}>
                    { row(&format!("{} {}", w.kind, w.name), &format!("{}/{} {}", w.ready, w.desired, t.ready),
                        InspectTarget::workload(w), props) }
                    if w.replica_sets.is_empty() {
                        { chips(&w.pods) }
                    } else {
                        <ul class="cv-wl-rs">
                            { for w.replica_sets.iter().map(|rs| html! {
                                <li data-testid="replicaset" data-name={rs.name.clone()}
                                    data-revision={rs.revision.map(|r| r.to_string())}>
                                    { row(&format!("ReplicaSet {}{}", rs.name, rs.revision.map(|r| format!(" · rev {r}")).unwrap_or_default()),
                                        &format!("{}/{} {} · {} {}", rs.ready, rs.current, t.ready, rs.desired, t.desired),
                                        InspectTarget::in_namespace("replicaset", &w.namespace, &rs.name), props) }
                                    { chips(&rs.pods) }
                                </li>
                            }) }
                        </ul>
                    }
                </li>
            }) }
        </ul>
    }
}

fn row(title: &str, meta: &str, target: InspectTarget, props: &WorkloadsProps) -> Html {
    let selected = props.selected.as_ref() == Some(&target);
    let (onclick, onkeydown) = activators(target, &props.on_select);
    html! {
        <div class={classes!("cv-wl-row", selected.then_some("selected"))} tabindex="0" role="button" {onclick} {onkeydown}>
            <span class="cv-wl-name">{title.to_string()}</span>
            <span class="cv-wl-meta">{meta.to_string()}</span>
        </div>
    }
}

fn pod_pill(p: &PodView, props: &WorkloadsProps, t: &ViewTexts) -> Html {
    let (onclick, onkeydown) = activators(InspectTarget::pod(p), &props.on_select);
    html! {
        <li class={classes!("cv-pill", format!("st-{}", p.state.slug()))} tabindex="0" role="button"
            title={pod_title(p, t)} aria-label={pod_title(p, t)} data-testid="workload-pod" data-name={p.name.clone()}
            {onclick} {onkeydown}>
            <span aria-hidden="true">{texts::state_glyph(p.state)}</span>
            <span class="cv-pill-name">{p.name.clone()}</span>
            <span class="cv-pill-status">{chip_label(p, t)}</span>
            if p.restarts > 0 { <span class="cv-pill-restarts">{format!("↻{}", p.restarts)}</span> }
        </li>
    }
}

impl InspectTarget {
    /// The workload's own kind for kubectl (`deployment`, `statefulset`…).
    pub fn workload(w: &WorkloadView) -> InspectTarget {
        InspectTarget::in_namespace(&w.kind.to_ascii_lowercase(), &w.namespace, &w.name)
    }
}
