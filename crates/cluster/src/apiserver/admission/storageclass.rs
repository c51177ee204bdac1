//! DefaultStorageClass: a claim that names no class gets the default one.
//!
//! Mirrors plugin/pkg/admission/storage/storageclass/setdefault/admission.go (v1.34): only
//! a nil `storageClassName` is filled (an explicit "" asks for pre-provisioned volumes), and
//! nothing changes when no class is marked default.

use api::Object;

use crate::apiserver::Store;
use crate::controller::volume::default_class;

/// Fills the default class into a new claim.
pub fn admit(store: &Store, obj: &mut Object) {
    let Object::PersistentVolumeClaim(pvc) = obj else {
        return;
    };
    let spec = pvc.spec.get_or_insert_with(Default::default);
    if spec.storage_class_name.is_some()
        || pvc
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("volume.beta.kubernetes.io/storage-class"))
    {
        return;
    }
    if let Some(sc) = default_class(store) {
        spec.storage_class_name = sc.metadata.name.clone();
    }
}
