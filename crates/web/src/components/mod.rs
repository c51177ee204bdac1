//! One component per file.

pub mod cluster_view;
mod editor;
mod events_drawer;
pub mod inspector;
mod header;
mod lesson_panel;
mod metrics_chart;
pub mod plots;
mod splitter;
mod terminal;

pub use cluster_view::ClusterView;
pub use editor::Editor;
pub use events_drawer::EventsDrawer;
pub use header::Header;
pub use lesson_panel::LessonPanel;
pub use metrics_chart::MetricsChart;
pub use splitter::{Splitter, SplitterAxis, SplitterProps};
pub use terminal::Terminal;
