//! The density grid for very large clusters (the 5,000-node preset): one small square per
//! node, shaded by CPU requested, crossed when NotReady, outlined when cordoned. It is its own
//! component with plain data as props, so it re-renders only when a cell changes, and one
//! hover readout replaces thousands of tooltips. The squares are painted on one canvas: as
//! 5,000 SVG elements, building and diffing them was the page's longest task after the
//! preset was built.

use std::rc::Rc;

use lab::ClusterSnapshot;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use super::layout::{PAD, density, density_hit};
use super::texts;
use crate::components::inspector::InspectTarget;
use crate::state::{LabContext, Theme};

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
    let canvas = use_node_ref();
    let cells = &props.nodes;
    let d = density(cells.len(), props.width);
    {
        let canvas = canvas.clone();
        use_effect_with((cells.clone(), props.width, lab.theme), move |(cells, width, theme)| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                draw(&canvas, cells, *width, *theme);
            }
        });
    }
    let ready = cells.iter().filter(|c| c.ready).count();
    let cordoned = cells.iter().filter(|c| c.cordoned).count();
    let pods: usize = cells.iter().map(|c| c.pods).sum();
    let summary = format!(
        "{} {} · {ready} Ready · {} NotReady · {cordoned} {} · {}",
        cells.len(),
        t.nodes,
        cells.len() - ready,
        t.cordoned,
        t.pod_count(pods)
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
                "{} · {} · {} · CPU {}0%{}",
                c.name,
                if c.ready { "Ready" } else { "NotReady" },
                t.pod_count(c.pods),
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
    html! {
        <div class="cv-density" data-testid="density-grid" data-nodes={cells.len().to_string()}>
            <p class="cv-density-summary" data-testid="density-summary">{summary}</p>
            <p class="cv-density-readout" aria-live="polite">{readout}</p>
            <canvas ref={canvas} class="cv-density-canvas" style={format!("width:{}px;height:{}px", props.width, d.height)}
                role="img" aria-label={format!("{}: {}", t.cluster_view, t.density_note)} {onmousemove} {onclick} />
        </div>
    }
}

/// The fill opacity of a square by CPU requested (tenths of allocatable), as the SVG cards'
/// shading steps.
const LOAD_ALPHA: [f64; 11] = [0.12, 0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.7, 0.8, 0.95, 0.95];

/// The squares' colours: cluster.css's `--cv-info` and `--cv-bad`, lab.css's `--ink` and
/// `--panel`, in each theme. Named here rather than read from the CSS because the theme's
/// attribute may change after this component's effect has run.
struct Palette {
    ready: &'static str,
    not_ready: &'static str,
    cordon: &'static str,
    cross: &'static str,
}

fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            ready: "#326ce5",
            not_ready: "#d92d20",
            cordon: "#1f2933",
            cross: "#ffffff",
        },
        Theme::Dark => Palette {
            ready: "#6c9cff",
            not_ready: "#f97066",
            cordon: "#e6e9ef",
            cross: "#1a1f27",
        },
    }
}

/// Paints the squares at the device's pixel ratio.
fn draw(canvas: &HtmlCanvasElement, cells: &[Cell], width: f64, theme: Theme) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let d = density(cells.len(), width);
    let ratio = window.device_pixel_ratio().max(1.0);
    canvas.set_width((width * ratio).round() as u32);
    canvas.set_height((d.height * ratio).round() as u32);
    let Ok(Some(ctx)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else {
        return;
    };
    let p = palette(theme);
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width, d.height);
    ctx.set_line_width(1.0);
    let s = d.cell - 1.0;
    for (i, c) in cells.iter().enumerate() {
        let x = PAD + (i % d.cols) as f64 * d.cell;
        let y = d.top + (i / d.cols) as f64 * d.cell;
        ctx.set_global_alpha(LOAD_ALPHA[usize::from(c.load.min(10))]);
        ctx.set_fill_style_str(if c.ready { p.ready } else { p.not_ready });
        ctx.fill_rect(x, y, s, s);
        ctx.set_global_alpha(1.0);
        if !c.ready {
            ctx.set_stroke_style_str(p.cross);
            ctx.begin_path();
            ctx.move_to(x, y);
            ctx.line_to(x + s, y + s);
            ctx.move_to(x + s, y);
            ctx.line_to(x, y + s);
            ctx.stroke();
        }
        if c.cordoned {
            ctx.set_stroke_style_str(p.cordon);
            ctx.stroke_rect(x + 0.5, y + 0.5, s - 1.0, s - 1.0);
        }
    }
}
