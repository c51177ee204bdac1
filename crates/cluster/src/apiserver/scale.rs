//! The `scale` subresource of Deployments, ReplicaSets, ReplicationControllers and
//! StatefulSets, as autoscaling/v1 `Scale`.
//!
//! Mirrors pkg/registry/apps/deployment/storage/storage.go `ScaleREST` (and its replicaset,
//! statefulset and replicationcontroller twins), v1.34: `spec.replicas` in, `status.replicas`
//! and the selector string out; a `resourceVersion` on the Scale makes the update conditional.

use std::sync::Arc;

use api::{KindInfo, Object};
use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use machinery::labels::Selector;

use super::error::StoreError;
use super::options::UpdateOptions;
use super::store::Store;

impl Store {
    /// Reads the scale of a scalable object.
    ///
    /// # Errors
    /// NotFound for a missing object or a kind without the subresource.
    pub fn get_scale(
        &self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
    ) -> Result<autoscalingv1::Scale, StoreError> {
        let obj = self.get(info, ns, name)?;
        scale_of(&obj).ok_or_else(|| no_scale(info, name))
    }

    /// Sets `spec.replicas` from a Scale.
    ///
    /// # Errors
    /// NotFound, Conflict for a stale `resourceVersion`, Invalid for negative replicas.
    pub fn update_scale(
        &mut self,
        info: &KindInfo,
        ns: Option<&str>,
        name: &str,
        scale: &autoscalingv1::Scale,
        opts: &UpdateOptions,
    ) -> Result<autoscalingv1::Scale, StoreError> {
        let current = self.get(info, ns, name)?;
        if scale_of(&current).is_none() {
            return Err(no_scale(info, name));
        }
        if let Some(rv) = scale
            .metadata
            .resource_version
            .as_deref()
            .filter(|v| !v.is_empty())
            && Some(rv) != current.meta().resource_version.as_deref()
        {
            return Err(StoreError::stale(info, name));
        }
        let replicas = scale.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
        if replicas < 0 {
            return Err(StoreError::Invalid(api::InvalidError {
                kind: "Scale",
                group: "autoscaling",
                name: name.to_string(),
                errors: machinery::validation::field::ErrorList(vec![
                    machinery::validation::field::FieldError::invalid(
                        "spec.replicas",
                        replicas.to_string(),
                        "must be greater than or equal to 0",
                    ),
                ]),
            }));
        }
        let mut obj = (*current).clone();
        match &mut obj {
            Object::Deployment(d) => {
                d.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
            }
            Object::ReplicaSet(rs) => {
                rs.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
            }
            Object::StatefulSet(s) => {
                s.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
            }
            Object::ReplicationController(rc) => {
                rc.spec.get_or_insert_with(Default::default).replicas = Some(replicas)
            }
            _ => return Err(no_scale(info, name)),
        }
        let stored: Arc<Object> = self.update(ns, obj, opts)?;
        scale_of(&stored).ok_or_else(|| no_scale(info, name))
    }
}

/// The Scale view of an object, None for kinds without the subresource.
pub fn scale_of(obj: &Object) -> Option<autoscalingv1::Scale> {
    let selector_of = |s: Option<&metav1::LabelSelector>| {
        s.and_then(|s| api::selectors::label_selector_to_selector(s).ok())
            .map(|s| s.to_string())
            .unwrap_or_default()
    };
    let (spec_replicas, status_replicas, selector) = match obj {
        Object::Deployment(d) => {
            let s = d.spec.as_ref();
            (
                s.and_then(|s| s.replicas),
                d.status.as_ref().and_then(|s| s.replicas),
                selector_of(s.map(|s| &s.selector)),
            )
        }
        Object::ReplicaSet(rs) => {
            let s = rs.spec.as_ref();
            (
                s.and_then(|s| s.replicas),
                rs.status.as_ref().map(|s| s.replicas),
                selector_of(s.map(|s| &s.selector)),
            )
        }
        Object::StatefulSet(sts) => {
            let s = sts.spec.as_ref();
            (
                s.and_then(|s| s.replicas),
                sts.status.as_ref().map(|s| s.replicas),
                selector_of(s.map(|s| &s.selector)),
            )
        }
        Object::ReplicationController(rc) => {
            let s = rc.spec.as_ref();
            let sel = s
                .and_then(|s| s.selector.as_ref())
                .map(|m| Selector::from_set(m).to_string())
                .unwrap_or_default();
            (
                s.and_then(|s| s.replicas),
                rc.status.as_ref().map(|s| s.replicas),
                sel,
            )
        }
        _ => return None,
    };
    let m = obj.meta();
    Some(autoscalingv1::Scale {
        metadata: metav1::ObjectMeta {
            name: m.name.clone(),
            namespace: m.namespace.clone(),
            uid: m.uid.clone(),
            resource_version: m.resource_version.clone(),
            creation_timestamp: m.creation_timestamp.clone(),
            ..Default::default()
        },
        spec: Some(autoscalingv1::ScaleSpec {
            replicas: spec_replicas,
        }),
        status: Some(autoscalingv1::ScaleStatus {
            replicas: status_replicas.unwrap_or(0),
            selector: Some(selector).filter(|s| !s.is_empty()),
        }),
    })
}

fn no_scale(info: &KindInfo, name: &str) -> StoreError {
    StoreError::NotFound {
        resource: format!("{}/scale", info.qualified_plural()),
        name: name.to_string(),
    }
}
