//! How the lab page runs the simulation between its frames: shared by the page
//! (`web::state`, `web::hooks::use_sim_clock`) and by `kubelab bench frames`, which replays
//! the page's rhythm without the browser.

/// The page's clock advances the cluster in equal steps of this much virtual time (equal, so
/// the lab's action log folds them into one entry).
pub const QUANTUM_MS: u64 = 100;

/// Wall time one frame may spend running the simulation, so the page never freezes.
pub const FRAME_BUDGET_MS: f64 = 8.0;

/// On a cluster of more nodes than this, the clock's ticks redraw the view (and sample the
/// plots) at most every [`LARGE_REDRAW_MS`] of wall time: listing thousands of nodes and pods
/// every frame would take the frame's time from the simulation.
pub const LARGE_CLUSTER_NODES: usize = 200;
pub const LARGE_REDRAW_MS: f64 = 250.0;
