//! DefaultIngressClass: an Ingress that names no class gets the default IngressClass.
//!
//! Mirrors plugin/pkg/admission/network/defaultingressclass/admission.go (v1.34): on create,
//! an Ingress with neither `spec.ingressClassName` nor the legacy `kubernetes.io/ingress.class`
//! annotation gets the class annotated `ingressclass.kubernetes.io/is-default-class: "true"`;
//! with several defaults the newest wins (ties by name), with none nothing changes.

use api::Object;
use k8s_openapi::api::networking::v1 as netv1;

use crate::apiserver::Store;
use crate::controller::kind_of;

/// The annotation that marks the default IngressClass.
pub const ANN_DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";

/// Fills the default class into a new Ingress.
pub fn admit(store: &mut Store, obj: &mut Object) {
    let Object::Ingress(ing) = obj else {
        return;
    };
    let spec = ing.spec.get_or_insert_with(Default::default);
    if spec.ingress_class_name.is_some()
        || ing
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key("kubernetes.io/ingress.class"))
    {
        return;
    }
    // The API server reads classes as itself, whoever created the Ingress.
    let classes = store.as_system(|s| s.list(kind_of::<netv1::IngressClass>(), None, &Default::default()));
    let Ok(classes) = classes else { return };
    let default = classes
        .items
        .iter()
        .filter_map(|o| match &**o {
            Object::IngressClass(c)
                if c.metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(ANN_DEFAULT_CLASS))
                    .is_some_and(|v| v == "true") =>
            {
                Some(c)
            }
            _ => None,
        })
        .max_by(|a, b| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
                .then_with(|| b.metadata.name.cmp(&a.metadata.name))
        });
    if let Some(c) = default {
        spec.ingress_class_name = c.metadata.name.clone();
    }
}
