//! StorageObjectInUseProtection: new claims and volumes carry the protection finalizers, so
//! deleting one still in use leaves it `Terminating` until nothing uses it.
//!
//! Mirrors plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go (v1.34).

use api::Object;

/// The claim finalizer the pvc-protection controller removes.
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
/// The volume finalizer the pv-protection controller removes.
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// Adds the finalizer to a new claim or volume.
pub fn admit(obj: &mut Object) {
    let finalizer = match obj {
        Object::PersistentVolumeClaim(_) => PVC_PROTECTION,
        Object::PersistentVolume(_) => PV_PROTECTION,
        _ => return,
    };
    let list = obj.meta_mut().finalizers.get_or_insert_with(Vec::new);
    if !list.iter().any(|f| f == finalizer) {
        list.push(finalizer.to_string());
    }
}
