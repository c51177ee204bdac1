//! Plots over virtual time, drawn with plotters on canvas from the lab's time-series recorder:
//! replicas per ReplicaSet of one Deployment (the surge/drain staircase of a rollout), its
//! desired vs ready replicas, restarts and probe failures per container, and, when an HPA
//! scales the Deployment, its CPU utilization and target against its replicas (on a second
//! axis). Hovering reads the values at that instant; each plot exports as a PNG.

use std::rc::Rc;

use lab::timeseries::{Metric, Recorder, Series};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::chart_colors::{ChartColors, chart_colors, css};
use crate::components::cluster_view::texts;
use crate::state::LabContext;

/// One line of a plot: its label and its staircase in (seconds, value).
#[derive(Debug, Clone, PartialEq)]
pub struct PlotSeries {
    pub label: String,
    /// The recorded changes, in (seconds, value).
    pub steps: Vec<(f64, f64)>,
    pub dashed: bool,
    /// Drawn against the right-hand axis (a count beside a percentage).
    pub secondary: bool,
}

impl PlotSeries {
    fn from(label: String, s: &Series, dashed: bool) -> PlotSeries {
        PlotSeries {
            label,
            steps: s
                .points
                .iter()
                .map(|(t, v)| (*t as f64 / 1000.0, *v))
                .collect(),
            dashed,
            secondary: false,
        }
    }

    fn on_secondary_axis(mut self) -> PlotSeries {
        self.secondary = true;
        self
    }

    /// The value at `t` seconds (the last change at or before it).
    pub fn at(&self, t: f64) -> Option<f64> {
        self.steps
            .iter()
            .take_while(|p| p.0 <= t)
            .last()
            .map(|p| p.1)
    }
}

/// The polyline of a step function up to `end` seconds: flat, then a vertical jump at each change.
pub fn staircase(steps: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(steps.len() * 2 + 1);
    for (i, &(t, v)) in steps.iter().enumerate() {
        if i > 0 {
            out.push((t, steps[i - 1].1));
        }
        out.push((t, v));
    }
    if let Some(&(t, v)) = steps.last()
        && end > t
    {
        out.push((end, v));
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct PlotProps {
    pub title: &'static str,
    pub testid: &'static str,
    pub series: Rc<Vec<PlotSeries>>,
    /// "Now" in seconds of virtual time: the right edge.
    pub now_s: f64,
}

/// Pixel range of the plotting area and the time range it shows, for hover readouts.
#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    px: (i32, i32),
    t: (f64, f64),
}

#[function_component(PlotCanvas)]
pub fn plot_canvas(props: &PlotProps) -> Html {
    let lab =
        use_context::<LabContext>().expect("PlotCanvas is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let canvas = use_node_ref();
    let frame = use_mut_ref(Frame::default);
    let hover = use_state(|| None::<f64>);
    let colors = chart_colors(lab.theme);
    {
        let (canvas, frame) = (canvas.clone(), frame.clone());
        use_effect_with((props.series.clone(), props.now_s, lab.theme), move |(series, now, theme)| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>()
                && let Ok(f) = draw(el, series, *now, chart_colors(*theme))
            {
                *frame.borrow_mut() = f;
            }
        });
    }
    let onmousemove = {
        let (frame, hover) = (frame.clone(), hover.clone());
        Callback::from(move |e: MouseEvent| {
            let f = *frame.borrow();
            let (x0, x1) = f.px;
            if x1 > x0 {
                let frac = ((e.offset_x() - x0) as f64 / (x1 - x0) as f64).clamp(0.0, 1.0);
                hover.set(Some(f.t.0 + frac * (f.t.1 - f.t.0)));
            }
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_| hover.set(None))
    };
    let export = {
        let (canvas, name) = (canvas.clone(), props.testid);
        Callback::from(move |_| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                download_png(&el, &format!("kubelab-{name}.png"));
            }
        })
    };
    let at = (*hover).unwrap_or(props.now_s);
    let readout: Vec<String> = props
        .series
        .iter()
        .filter_map(|s| s.at(at).map(|v| format!("{} = {v}", s.label)))
        .collect();
    let summary = format!("{} · t = {:.0}s: {}", props.title, at, readout.join(", "));
    html! {
        <figure class="cv-plot" data-testid={props.testid} data-series={props.series.len().to_string()}>
            <figcaption>
                <span>{props.title}<small class="cv-unit">{format!(" · {}", t.seconds)}</small></span>
                <button type="button" class="cv-export" aria-label={format!("{} — {}", t.export_png_label, props.title)}
                    data-testid={format!("{}-png", props.testid)} onclick={export}>{format!("⤓ {}", t.export_png)}</button>
            </figcaption>
            if props.series.is_empty() {
                <p class="cv-empty">{t.no_data}</p>
            }
            <canvas ref={canvas} width="360" height="170" role="img" aria-label={summary.clone()}
                {onmousemove} {onmouseleave} />
            <p class="cv-readout" aria-live="polite" data-testid={format!("{}-readout", props.testid)}>
                {if readout.is_empty() { String::new() } else { format!("t = {:.0}s · {}", at, readout.join(" · ")) }}
            </p>
            <ul class="cv-plot-legend">
                { for props.series.iter().enumerate().map(|(i, s)| {
                    let c = colors.series[i % colors.series.len()];
                    html! {
                        <li>
                            <span class={classes!("cv-key", s.dashed.then_some("dashed"))} aria-hidden="true"
                                style={format!("border-color: {}", css(c))}></span>
                            {s.label.clone()}
                        </li>
                    }
                }) }
            </ul>
        </figure>
    }
}

fn download_png(canvas: &HtmlCanvasElement, file: &str) {
    let Ok(url) = canvas.to_data_url_with_type("image/png") else {
        return;
    };
    let doc = gloo::utils::document();
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let _ = a.set_attribute("href", &url);
    let _ = a.set_attribute("download", file);
    if let Ok(a) = a.dyn_into::<HtmlElement>() {
        a.click();
    }
}

fn draw(
    canvas: HtmlCanvasElement,
    series: &[PlotSeries],
    now: f64,
    colors: &ChartColors,
) -> Result<Frame, Box<dyn std::error::Error>> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&colors.background)?;
    let labels = ("sans-serif", 11).into_font().color(&colors.ink);
    let start = series
        .iter()
        .filter_map(|s| s.steps.first().map(|p| p.0))
        .fold(f64::INFINITY, f64::min);
    let start = if start.is_finite() {
        start.max(0.0)
    } else {
        0.0
    };
    let end = now.max(start + 10.0);
    let top = |secondary: bool| {
        series
            .iter()
            .filter(|s| s.secondary == secondary)
            .flat_map(|s| s.steps.iter().map(|p| p.1))
            .fold(0.0, f64::max)
            .max(1.0)
            * 1.15
    };
    let (y_max, y2_max) = (top(false), top(true));
    let two_axes = series.iter().any(|s| s.secondary);
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(22)
        .y_label_area_size(30)
        .right_y_label_area_size(if two_axes { 26 } else { 0 })
        .build_cartesian_2d(start..end, 0.0..y_max)?
        .set_secondary_coord(start..end, 0.0..y2_max);
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels((y_max as usize + 1).min(6))
        .x_label_formatter(&|v| format!("{v:.0}s"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(labels.clone())
        .axis_style(colors.ink)
        .bold_line_style(colors.grid)
        .light_line_style(colors.fine_grid)
        .draw()?;
    if two_axes {
        chart
            .configure_secondary_axes()
            .y_labels((y2_max as usize + 1).min(6))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(labels)
            .axis_style(colors.ink)
            .draw()?;
    }
    for (i, s) in series.iter().enumerate() {
        let color = colors.series[i % colors.series.len()];
        let points = staircase(&s.steps, end);
        let style = color.stroke_width(2);
        match (s.dashed, s.secondary) {
            (true, false) => chart.draw_series(DashedLineSeries::new(points, 6, 4, style))?,
            (false, false) => chart.draw_series(LineSeries::new(points, style))?,
            (true, true) => chart.draw_secondary_series(DashedLineSeries::new(points, 6, 4, style))?,
            (false, true) => chart.draw_secondary_series(LineSeries::new(points, style))?,
        };
    }
    let (xr, _) = chart.plotting_area().get_pixel_range();
    root.present()?;
    Ok(Frame {
        px: (xr.start, xr.end),
        t: (start, end),
    })
}

/// The plots tab: a Deployment picker and the three plots.
#[function_component(Plots)]
pub fn plots() -> Html {
    let lab =
        use_context::<LabContext>().expect("Plots is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let picked = use_state(|| None::<String>);
    let rec: std::cell::Ref<'_, Recorder> = lab.recorder.borrow();
    let now_s = rec.now_ms as f64 / 1000.0;
    // Deployments by their last change, most recent first: a rollout just started is the default.
    let mut groups: Vec<(u64, String)> = Vec::new();
    for (k, s) in rec.of(Metric::ReplicaSetReplicas) {
        let id = format!("{}/{}", k.namespace, k.group);
        match groups.iter_mut().find(|g| g.1 == id) {
            Some(g) => g.0 = g.0.max(s.changed_ms),
            None => groups.push((s.changed_ms, id)),
        }
    }
    groups.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let current = (*picked)
        .clone()
        .filter(|p| groups.iter().any(|g| &g.1 == p))
        .or_else(|| groups.first().map(|g| g.1.clone()));
    let in_group = |k: &lab::timeseries::SeriesKey| {
        current.as_deref() == Some(&format!("{}/{}", k.namespace, k.group))
    };
    let replicas: Vec<PlotSeries> = rec
        .of(Metric::ReplicaSetReplicas)
        .filter(|(k, _)| in_group(k))
        .map(|(k, s)| PlotSeries::from(k.label.clone(), s, false))
        .collect();
    let desired: Vec<PlotSeries> = rec
        .of(Metric::DeploymentDesired)
        .chain(rec.of(Metric::DeploymentReady))
        .filter(|(k, _)| in_group(k))
        .map(|(k, s)| PlotSeries::from(k.label.clone(), s, k.metric == Metric::DeploymentDesired))
        .collect();
    let restarts: Vec<PlotSeries> = rec
        .of(Metric::ContainerRestarts)
        .map(|(k, s)| PlotSeries::from(format!("{}/{}", k.group, k.label), s, false))
        .chain(rec.of(Metric::ContainerProbeFailures).map(|(k, s)| {
            PlotSeries::from(format!("{}/{} {}", k.group, k.label, t.probe_failures), s, true)
        }))
        .collect();
    let hpa: Vec<PlotSeries> = rec
        .of(Metric::HpaUtilization)
        .chain(rec.of(Metric::HpaTarget))
        .filter(|(k, _)| in_group(k))
        .map(|(k, s)| PlotSeries::from(k.label.clone(), s, k.metric == Metric::HpaTarget))
        .chain(
            rec.of(Metric::HpaReplicas)
                .filter(|(k, _)| in_group(k))
                .map(|(_, s)| PlotSeries::from(t.replicas_axis.to_string(), s, false).on_secondary_axis()),
        )
        .collect();
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            picked.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value()))
        })
    };
    html! {
        <div class="cv-plots">
            <label class="cv-plot-pick">{t.deployment}
                <select onchange={on_pick} data-testid="plot-deployment">
                    { for groups.iter().map(|g| html! {
                        <option value={g.1.clone()} selected={current.as_deref() == Some(g.1.as_str())}>{g.1.clone()}</option>
                    }) }
                </select>
            </label>
            <div class="cv-plot-row">
                <PlotCanvas title={t.replicas_per_rs} testid="plot-replicas" series={Rc::new(replicas)} {now_s} />
                <PlotCanvas title={t.desired_vs_ready} testid="plot-desired" series={Rc::new(desired)} {now_s} />
                <PlotCanvas title={t.restarts_per_container} testid="plot-restarts" series={Rc::new(restarts)} {now_s} />
                if !hpa.is_empty() {
                    <PlotCanvas title={t.hpa_vs_replicas} testid="plot-hpa" series={Rc::new(hpa)} {now_s} />
                }
            </div>
        </div>
    }
}
