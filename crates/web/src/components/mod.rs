//! One component per file.

mod cluster_view;
mod editor;
mod header;
mod lesson_panel;
mod metrics_chart;
mod splitter;
mod terminal;

pub use cluster_view::ClusterView;
pub use editor::Editor;
pub use header::Header;
pub use lesson_panel::LessonPanel;
pub use metrics_chart::MetricsChart;
pub use splitter::{Splitter, SplitterAxis, SplitterProps};
pub use terminal::Terminal;
