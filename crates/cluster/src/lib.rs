//! The simulated Kubernetes cluster: the API store with watch and garbage collection,
//! server-side table printers, simulated time and the seeded random source.
//!
//! # Invariants
//! - Never reads a clock: time is [`SimTime`], handed in by the simulation loop.
//! - Never uses a global or OS random source: [`SimRng`] is seeded by the caller.
//! - Never lets hash order decide output: lists and watch events follow key or log order.
//! - Builds for wasm32 as well as native: no threads, no `Instant`, no `SystemTime`.
//!
//! Target behaviour is Kubernetes v1.34.

pub mod apiserver;
pub mod auth;
pub mod controller;
pub mod kubelet;
pub mod network;
pub mod presets;
pub mod rng;
pub mod scheduler;
pub mod sim;
pub mod time;

pub use apiserver::{Store, StoreError};
pub use network::{ExecResult, LogLine, NoPods, PodAccess, PodProxy};
pub use rng::SimRng;
pub use sim::Cluster;
pub use time::{SimDuration, SimTime};
