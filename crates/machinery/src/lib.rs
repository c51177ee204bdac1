//! Pure Kubernetes apimachinery rules over std types: quantities, label and field selectors,
//! name validation and field errors, int-or-string scaling, human durations, cron schedules,
//! deployment arithmetic, scheduler predicates and service environment variables.
//!
//! # Invariants
//! - Never reads a clock, never does I/O, never draws randomness: every input is a parameter.
//! - Knows nothing about k8s-openapi or serde formats; `api` converts its types into these.
//! - Builds for wasm32 as well as native, so it never touches `std::time::Instant` or
//!   `SystemTime`.
//! - Error texts match upstream byte for byte, because kubectl transcripts pin them.
//!
//! Target behaviour is Kubernetes v1.34 unless an item says otherwise.

pub mod cron;
pub mod deployment_util;
pub mod duration;
pub mod envvars;
pub mod fields;
pub mod intstr;
pub mod labels;
pub mod md5;
pub mod quantity;
pub mod scheduling;
pub mod sha1;
pub mod sort;
pub mod validation;

mod bigint;
mod gofmt;
