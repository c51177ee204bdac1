//! The kubelab object model: Kubernetes objects as k8s-openapi types, decoded from YAML or JSON
//! with source positions, defaulted and validated as a v1.34 API server would.
//!
//! This is the only crate that knows the wire formats. It never reads files, clocks or
//! randomness: callers pass text and a display name, so it builds for wasm32 unchanged.
//! Nothing here panics on user input.

pub mod conversion;
pub mod decode;
pub mod defaults;
mod field_path;
pub mod gotime;
pub mod gozero;
pub mod kinds;
pub mod object;
pub mod omitempty;
pub mod quantities;
pub mod schema;
pub mod selectors;
mod timefields;
mod typeerror;
pub mod typed;
pub mod validation;
pub mod warnings;
pub mod wire;

pub use decode::{DecodeError, Decoded, Position, SourceMap, decode, decode_one};
pub use defaults::apply_defaults;
pub use kinds::{KindInfo, by_gvk, resolve_resource};
pub use object::{Object, ObjectError, ObjectRef};
pub use validation::{InvalidError, validate, validate_update};
