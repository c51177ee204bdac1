//! One component per file.

mod banner;
mod chart_colors;
pub mod cluster_view;
mod editor;
mod events_drawer;
pub mod inspector;
mod header;
mod lesson_panel;
mod metrics_chart;
pub mod plots;
mod share;
pub mod snippets;
mod splitter;
mod terminal;

pub use banner::BannerBar;
pub use cluster_view::ClusterView;
pub use editor::{Editor, set_editor_theme};
pub use events_drawer::EventsDrawer;
pub use header::Header;
pub use lesson_panel::{LessonPanel, provide_step_files};
pub use metrics_chart::MetricsChart;
pub use share::SharePanel;
pub use splitter::{Splitter, SplitterAxis, SplitterProps};
pub use terminal::Terminal;
