//! The density grid for very large clusters (the 5,000-node preset): one small square per
//! node, shaded by CPU requested, crossed when NotReady, outlined when cordoned. It is its own
//! component with plain data as props, so it re-renders only when a cell changes, and one
//! hover readout replaces thousands of tooltips.

use std::rc::Rc;

use lab::ClusterSnapshot;
use yew::prelude::*;

use super::layout::{PAD, density, density_hit};
use super::texts;
use crate::components::inspector::InspectTarget;
use crate::state::LabContext;

/// What one square shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub name: String,
    pub ready: bool,
    pub cordoned: bool,
    /// CPU requested, in tenths of allocatable (0–10).
    pub load: u8,
    pub pods: usize,
}

pub fn cells(snapshot: &ClusterSnapshot) -> Vec<Cell> {
    snapshot
        .nodes
        .iter()
        .map(|n| Cell {
            name: n.name.clone(),
            ready: n.ready,
            cordoned: n.unschedulable,
            load: if n.cpu_allocatable_milli > 0 {
                ((n.cpu_requested_milli * 10 / n.cpu_allocatable_milli).clamp(0, 10)) as u8
            } else {
                0
            },
            pods: n.pod_count,
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct DensityProps {
    pub nodes: Rc<Vec<Cell>>,
    pub width: f64,
    pub on_select: Callback<InspectTarget>,
}

#[function_component(DensityGrid)]
pub fn density_grid(props: &DensityProps) -> Html {
    let lab = use_context::<LabContext>()
        .expect("DensityGrid is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let hover = use_state(|| None::<usize>);
    let cells = &props.nodes;
    let d = density(cells.len(), props.width);
    let ready = cells.iter().filter(|c| c.ready).count();
    let cordoned = cells.iter().filter(|c| c.cordoned).count();
    let pods: usize = cells.iter().map(|c| c.pods).sum();
    let summary = format!(
        "{} {} · {ready} Ready · {} NotReady · {cordoned} {} · {pods} {}",
        cells.len(),
        t.nodes,
        cells.len() - ready,
        t.cordoned,
        t.pods
    );
    let onmousemove = {
        let (hover, n) = (hover.clone(), cells.len());
        Callback::from(move |e: MouseEvent| {
            let i = density_hit(&d, n, f64::from(e.offset_x()), f64::from(e.offset_y()));
            if *hover != i {
                hover.set(i);
            }
        })
    };
    let onclick = {
        let (cells, cb) = (cells.clone(), props.on_select.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = density_hit(
                &d,
                cells.len(),
                f64::from(e.offset_x()),
                f64::from(e.offset_y()),
            ) {
                cb.emit(InspectTarget::node(&cells[i].name));
            }
        })
    };
    let readout = match *hover {
        Some(i) => {
            let c = &cells[i];
            format!(
                "{} · {} · {} {} · CPU {}0%{}",
                c.name,
                if c.ready { "Ready" } else { "NotReady" },
                c.pods,
                t.pods,
                c.load,
                if c.cordoned {
                    format!(" · {}", t.cordoned)
                } else {
                    String::new()
                }
            )
        }
        None => t.density_note.to_string(),
    };
    let rects = cells.iter().enumerate().map(|(i, c)| {
        let x = PAD + (i % d.cols) as f64 * d.cell;
        let y = d.top + (i / d.cols) as f64 * d.cell;
        let s = d.cell - 1.0;
        let class = classes!("cv-cell", format!("load-{}", c.load), (!c.ready).then_some("not-ready"), c.cordoned.then_some("cordoned"));
        html! {
            <>
                <rect {class} x={x.to_string()} y={y.to_string()} width={s.to_string()} height={s.to_string()} />
                if !c.ready {
                    <path class="cv-cross" d={format!("M{x},{y} l{s},{s} M{},{y} l-{s},{s}", x + s)} />
                }
            </>
        }
    });
    html! {
        <div class="cv-density" data-testid="density-grid" data-nodes={cells.len().to_string()}>
            <p class="cv-density-summary" data-testid="density-summary">{summary}</p>
            <p class="cv-density-readout" aria-live="polite">{readout}</p>
            <svg class="cv-svg still" width={props.width.to_string()} height={d.height.to_string()}
                viewBox={format!("0 0 {} {}", props.width, d.height)} role="img"
                aria-label={format!("{}: {}", t.cluster_view, t.density_note)} {onmousemove} {onclick}>
                { for rects }
            </svg>
        </div>
    }
}
