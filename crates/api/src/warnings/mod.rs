//! Warnings the API server returns with a successful write: deprecated or suspicious fields
//! that validation lets through. Mirrors the warning helpers of pkg/api (v1.34): `pod`
//! (pkg/api/pod/warnings.go), `node` (pkg/api/node/util.go) and `persistentvolume`
//! (pkg/api/persistentvolume/util.go).
//!
//! Each function returns texts in upstream order, each starting with the field path it is
//! about (`spec.volumes[0].gitRepo: deprecated in v1.11`). Nothing here decides when a
//! warning is sent; the registry strategies in `cluster` do.

pub mod node;
pub mod persistentvolume;
pub mod pod;

/// A field path as `field.Path` prints it: `prefix.child`, or `child` under no prefix.
pub(crate) fn child(prefix: &str, child: &str) -> String {
    if prefix.is_empty() {
        child.to_string()
    } else {
        format!("{prefix}.{child}")
    }
}
