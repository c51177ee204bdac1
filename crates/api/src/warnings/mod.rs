//! Warnings the API server returns with a successful write: deprecated or suspicious fields
//! that validation lets through. Mirrors the warning helpers of pkg/api (v1.34): `pod`
//! (pkg/api/pod/warnings.go), `node` (pkg/api/node/util.go), `persistentvolume`
//! (pkg/api/persistentvolume/util.go) and `persistentvolumeclaim`
//! (pkg/api/persistentvolumeclaim/warnings.go).
//!
//! Each function returns texts in upstream order, each starting with the field path it is
//! about (`spec.volumes[0].gitRepo: deprecated in v1.11`). Nothing here decides when a
//! warning is sent; the registry strategies in `cluster` do.

pub mod node;
pub mod persistentvolume;
pub mod persistentvolumeclaim;
pub mod pod;

/// A field path as `field.Path` prints it: `prefix.child`, or `child` under no prefix.
pub(crate) fn child(prefix: &str, child: &str) -> String {
    if prefix.is_empty() {
        child.to_string()
    } else {
        format!("{prefix}.{child}")
    }
}

/// A byte quantity with a fraction of a byte (`0.5Gi` is fine, `1.5` or `512m` are not);
/// the value is printed in its canonical form, as the API server's `Quantity.String()`.
pub(crate) fn fractional_bytes(
    field: &str,
    value: Option<&k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
) -> Option<String> {
    let q = machinery::quantity::Quantity::parse(&value?.0).ok()?;
    (q.milli_value() % 1000 != 0)
        .then(|| format!("{field}: fractional byte value \"{q}\" is invalid, must be an integer"))
}
