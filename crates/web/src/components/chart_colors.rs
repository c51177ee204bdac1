//! The colours charts are drawn with on the page's light or dark panels, shared by the activity
//! chart and the plots so a canvas follows the theme as the CSS around it does (lab.css:
//! `--panel` behind, `--ink`/`--muted` for text, `--line` for the grid).

use plotters::style::RGBColor;

use crate::state::Theme;

/// One theme's chart colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartColors {
    /// The canvas behind the chart: the panel the chart sits on.
    pub background: RGBColor,
    /// Axis labels, axis descriptions and the axes themselves.
    pub ink: RGBColor,
    /// Grid lines at labelled ticks, and the finer ones between them.
    pub grid: RGBColor,
    pub fine_grid: RGBColor,
    /// The lines of the series, in order; a legend's swatches use the same.
    pub series: [RGBColor; 8],
}

/// On white every line keeps a contrast of at least 3:1 (WCAG's bar for graphics).
const LIGHT: ChartColors = ChartColors {
    background: RGBColor(255, 255, 255),
    ink: RGBColor(31, 41, 51),
    grid: RGBColor(217, 222, 229),
    fine_grid: RGBColor(240, 242, 245),
    series: [
        RGBColor(50, 108, 229),
        RGBColor(217, 45, 32),
        RGBColor(3, 152, 85),
        RGBColor(220, 104, 3),
        RGBColor(122, 90, 248),
        RGBColor(21, 112, 239),
        RGBColor(102, 112, 133),
        RGBColor(221, 37, 144),
    ],
};

/// On the dark panel the lines are lighter tints of the same hues, with the same contrast.
const DARK: ChartColors = ChartColors {
    background: RGBColor(26, 31, 39),
    ink: RGBColor(200, 207, 217),
    grid: RGBColor(58, 66, 80),
    fine_grid: RGBColor(38, 44, 54),
    series: [
        RGBColor(108, 156, 255),
        RGBColor(249, 112, 102),
        RGBColor(50, 213, 131),
        RGBColor(253, 176, 34),
        RGBColor(164, 138, 251),
        RGBColor(83, 177, 253),
        RGBColor(208, 213, 221),
        RGBColor(246, 112, 199),
    ],
};

pub fn chart_colors(theme: Theme) -> &'static ChartColors {
    match theme {
        Theme::Light => &LIGHT,
        Theme::Dark => &DARK,
    }
}

/// The `rgb(…)` CSS text of a colour, for swatches drawn in HTML beside a chart.
pub fn css(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

