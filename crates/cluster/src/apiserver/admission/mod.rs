//! Admission: the plugins the API server runs on a create after defaulting.
//!
//! Mutating plugins run before validation, in upstream's order (pkg/kubeapiserver/options/
//! plugins.go, v1.34): LimitRanger, ServiceAccount, TaintNodesByCondition, Priority,
//! DefaultTolerationSeconds, DefaultStorageClass, DefaultIngressClass.
//! Validating ones run after it: LimitRanger's bounds, ResourceQuota. Each plugin is a module with one job.

pub mod defaultingressclass;
pub mod defaulttolerationseconds;
pub mod limitranger;
pub mod nodetaint;
pub mod priority;
pub mod quota;
pub mod serviceaccount;
pub mod storageclass;
pub mod storageprotection;

use api::Object;

use super::{Store, StoreError};

/// The mutating plugins.
///
/// # Errors
/// A plugin's rejection, worded as the API server's.
pub fn mutate(store: &mut Store, obj: &mut Object) -> Result<(), StoreError> {
    limitranger::admit(store, obj);
    serviceaccount::admit(store, obj)?;
    nodetaint::admit(obj);
    priority::admit(store, obj)?;
    defaulttolerationseconds::admit(obj);
    storageclass::admit(store, obj);
    defaultingressclass::admit(store, obj);
    storageprotection::admit(obj);
    Ok(())
}

/// The validating plugins.
///
/// # Errors
/// A plugin's rejection, worded as the API server's.
pub fn validate(store: &Store, obj: &Object) -> Result<(), StoreError> {
    let errs = limitranger::validate(store, obj);
    if !errs.is_empty() {
        return Err(forbidden(obj, &aggregate(&errs)));
    }
    quota::validate(store, obj).map_err(|e| forbidden(obj, &e))
}

/// utilerrors.NewAggregate's text: one message as is, several in brackets.
fn aggregate(errs: &[String]) -> String {
    if errs.len() == 1 {
        errs[0].clone()
    } else {
        format!("[{}]", errs.join(", "))
    }
}

/// admission.NewForbidden: the object's name, or its generateName prefix when the name was
/// generated.
fn forbidden(obj: &Object, detail: &str) -> StoreError {
    let meta = obj.meta();
    let name = obj.name();
    let name = match meta.generate_name.as_deref() {
        Some(g) if !g.is_empty() && name.starts_with(g) && name.len() == g.len() + 5 => g,
        _ => name,
    };
    StoreError::Forbidden {
        resource: obj.kind_info().qualified_plural(),
        name: name.to_string(),
        detail: detail.to_string(),
    }
}
