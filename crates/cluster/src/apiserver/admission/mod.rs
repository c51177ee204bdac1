//! Admission: the plugins the API server runs on a create after defaulting.
//!
//! Mutating plugins run before validation, in upstream's order (pkg/kubeapiserver/options/
//! plugins.go, v1.34): LimitRanger, ServiceAccount, DefaultStorageClass. Validating ones run
//! after it: LimitRanger's bounds, ResourceQuota. Each plugin is a module with one job.

pub mod serviceaccount;
pub mod storageclass;

use api::Object;

use super::{Store, StoreError};

/// The mutating plugins.
///
/// # Errors
/// A plugin's rejection, worded as the API server's.
pub fn mutate(store: &mut Store, obj: &mut Object) -> Result<(), StoreError> {
    serviceaccount::admit(store, obj)?;
    storageclass::admit(store, obj);
    Ok(())
}

/// The validating plugins.
///
/// # Errors
/// A plugin's rejection, worded as the API server's.
pub fn validate(_store: &Store, _obj: &Object) -> Result<(), StoreError> {
    Ok(())
}
