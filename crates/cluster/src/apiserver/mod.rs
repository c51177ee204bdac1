//! The simulated API server: storage, watch, garbage collection, events and server-side
//! printing. Other parts of the cluster reach objects only through [`Store`].

pub mod admission;
pub mod error;
pub mod events;
pub mod eviction;
pub mod fieldsel;
mod compact;
mod nsconditions;
pub(crate) mod gc;
pub(crate) mod index;
pub mod ipalloc;
pub mod names;
pub mod options;
pub mod patch;
pub mod printers;
pub mod rest;
pub mod scale;
pub mod store;
pub mod strategy;
pub mod timestamps;
mod versions;
pub mod warning;
pub mod watch;

pub use error::StoreError;
pub use events::{EventSource, EventType};
pub use options::{
    CreateOptions, DeleteOptions, ListOptions, PatchOptions, Preconditions, PropagationPolicy,
    UpdateOptions, WatchOptions,
};
pub use patch::PatchType;
pub use store::{DeleteResult, ObjectList, Store};
pub use warning::Warnings;
pub use watch::{WatchEvent, WatchEventType, WatchId};

#[cfg(test)]
mod tests;
