//! A small line chart drawn with plotters on a canvas. Today it plots the terminal's activity
//! (commands run over time); cluster metrics use the same component once the cluster runs.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::components::chart_colors::chart_colors;
use crate::state::{LabContext, Theme};

#[function_component(MetricsChart)]
pub fn metrics_chart() -> Html {
    let lab = use_context::<LabContext>().expect("MetricsChart is rendered inside the LabContext provider");
    let t = lab.lang.t();
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with((lab.command_times_ms.clone(), lab.lang, lab.theme), move |(times, lang, theme)| {
            if let Some(el) = canvas.cast::<HtmlCanvasElement>() {
                // Drawing can only fail on a detached canvas; the chart is decoration then.
                let _ = draw(el, &cumulative_points(times), lang.t().seconds, *theme);
            }
        });
    }
    html! {
        <figure class="metrics-chart">
            <figcaption>{t.activity}</figcaption>
            <canvas ref={canvas} width="260" height="150" data-testid="metrics-chart"
                role="img" aria-label={t.activity_label} />
        </figure>
    }
}

/// Turns command times (ms) into a staircase of (seconds, commands so far).
pub fn cumulative_points(times_ms: &[f64]) -> Vec<(f64, f64)> {
    let mut points = vec![(0.0, 0.0)];
    for (i, t) in times_ms.iter().enumerate() {
        let s = t / 1000.0;
        points.push((s, i as f64));
        points.push((s, (i + 1) as f64));
    }
    points
}

fn draw(
    canvas: HtmlCanvasElement,
    points: &[(f64, f64)],
    x_desc: &str,
    theme: Theme,
) -> Result<(), Box<dyn std::error::Error>> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("canvas has no 2d context")?;
    let root = backend.into_drawing_area();
    let colors = chart_colors(theme);
    let (ink, line) = (colors.ink, colors.series[0]);
    root.fill(&colors.background)?;
    let x_max = points.last().map_or(0.0, |p| p.0).max(60.0);
    let y_max = points.last().map_or(0.0, |p| p.1).max(5.0);
    let mut chart = ChartBuilder::on(&root)
        .margin(6)
        // Room for half of the last x label, which is centred on the axis' end.
        .margin_right(16)
        .x_label_area_size(22)
        .y_label_area_size(26)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    chart
        .configure_mesh()
        .x_labels(4)
        .y_labels(4)
        .x_desc(x_desc)
        .axis_desc_style(("sans-serif", 10).into_font().color(&ink))
        .label_style(("sans-serif", 10).into_font().color(&ink))
        .axis_style(ink)
        .bold_line_style(colors.grid)
        .light_line_style(colors.fine_grid)
        .draw()?;
    chart.draw_series(LineSeries::new(points.iter().copied(), &line))?;
    root.present()?;
    Ok(())
}
