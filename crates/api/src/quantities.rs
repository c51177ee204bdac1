//! Resource quantities in canonical form, as the API server stores and returns them.
//!
//! Upstream a `resource.Quantity` is parsed when a request body is decoded and printed in its
//! canonical form (`CanonicalizeBytes`, k8s.io/apimachinery pkg/api/resource/quantity.go,
//! v1.34) whenever the object is encoded: `cpu: 0.5` is stored and read back as `500m`,
//! `memory: 1.5Gi` as `1536Mi`, `1e3` as `1k`. kubelab's objects hold quantities as the text
//! they arrived with, so the store rewrites every one of them on each write.
//!
//! [`for_each`] is one typed walk over every `Quantity` field of the served kinds (specs,
//! pod templates, claim templates and statuses); the test `walk_reaches_every_quantity` checks
//! it against each kind's schema, so a quantity field the walk missed fails there.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::object::Object;

/// Rewrites every quantity of `obj` in its canonical form. A text that is not a quantity is
/// left as it is, for validation to report.
pub fn canonicalize(obj: &mut Object) {
    for_each(obj, &mut canonicalize_one);
}

/// Rewrites one quantity in its canonical form (`Quantity.UnmarshalJSON` trims the text
/// first); unparsable text is kept.
pub fn canonicalize_one(q: &mut Quantity) {
    let Ok(parsed) = machinery::quantity::Quantity::parse(q.0.trim()) else {
        return;
    };
    let canonical = parsed.to_string();
    if canonical != q.0 {
        q.0 = canonical;
    }
}

/// Why the API server could not decode `obj`'s body: the first quantity that does not parse
/// (`Quantity.UnmarshalJSON` fails the whole decode, k8s.io/apimachinery
/// pkg/api/resource/quantity.go, v1.34), as `quantities must match the regular expression …`
/// or `unable to parse quantity's suffix`.
pub fn first_unparsable(obj: &mut Object) -> Option<machinery::quantity::QuantityError> {
    let mut first = None;
    for_each(obj, &mut |q| {
        if first.is_none()
            && let Err(e) = machinery::quantity::Quantity::parse(q.0.trim())
        {
            first = Some(e);
        }
    });
    first
}

/// Calls `f` on every quantity field of `obj`.
pub fn for_each(obj: &mut Object, f: &mut dyn FnMut(&mut Quantity)) {
    match obj {
        Object::Pod(p) => {
            p.spec.visit(f);
            p.status.visit(f);
        }
        Object::PodTemplate(t) => t.template.visit(f),
        Object::ReplicationController(rc) => {
            if let Some(spec) = &mut rc.spec {
                spec.template.visit(f);
            }
        }
        Object::Deployment(d) => {
            if let Some(spec) = &mut d.spec {
                spec.template.visit(f);
            }
        }
        Object::ReplicaSet(rs) => {
            if let Some(spec) = &mut rs.spec {
                spec.template.visit(f);
            }
        }
        Object::DaemonSet(ds) => {
            if let Some(spec) = &mut ds.spec {
                spec.template.visit(f);
            }
        }
        Object::StatefulSet(sts) => sts.spec.visit(f),
        Object::Job(j) => {
            if let Some(spec) = &mut j.spec {
                spec.template.visit(f);
            }
        }
        Object::CronJob(cj) => {
            if let Some(spec) = &mut cj.spec {
                spec.job_template.visit(f);
            }
        }
        Object::PersistentVolumeClaim(pvc) => pvc.visit(f),
        Object::PersistentVolume(pv) => {
            if let Some(spec) = &mut pv.spec {
                spec.capacity.visit(f);
            }
        }
        Object::Node(n) => {
            if let Some(status) = &mut n.status {
                status.capacity.visit(f);
                status.allocatable.visit(f);
            }
        }
        Object::LimitRange(lr) => {
            if let Some(spec) = &mut lr.spec {
                for item in &mut spec.limits {
                    item.max.visit(f);
                    item.min.visit(f);
                    item.default.visit(f);
                    item.default_request.visit(f);
                    item.max_limit_request_ratio.visit(f);
                }
            }
        }
        Object::ResourceQuota(q) => {
            if let Some(spec) = &mut q.spec {
                spec.hard.visit(f);
            }
            if let Some(status) = &mut q.status {
                status.hard.visit(f);
                status.used.visit(f);
            }
        }
        Object::HorizontalPodAutoscaler(h) => {
            h.spec.visit(f);
            h.status.visit(f);
        }
        // No quantity fields in these kinds (autoscaling/v1 has only a percentage).
        Object::Binding(_)
        | Object::ConfigMap(_)
        | Object::Endpoints(_)
        | Object::Event(_)
        | Object::Namespace(_)
        | Object::Secret(_)
        | Object::ServiceAccount(_)
        | Object::Service(_)
        | Object::ControllerRevision(_)
        | Object::HorizontalPodAutoscalerV1(_)
        | Object::Lease(_)
        | Object::EndpointSlice(_)
        | Object::EventsV1Event(_)
        | Object::IngressClass(_)
        | Object::Ingress(_)
        | Object::NetworkPolicy(_)
        | Object::PodDisruptionBudget(_)
        | Object::ClusterRoleBinding(_)
        | Object::ClusterRole(_)
        | Object::RoleBinding(_)
        | Object::Role(_)
        | Object::PriorityClass(_)
        | Object::StorageClass(_) => {}
    }
}

/// A type whose values hold quantities somewhere inside.
trait Quantities {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity));
}

impl Quantities for Quantity {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity)) {
        f(self);
    }
}

impl<T: Quantities> Quantities for Option<T> {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity)) {
        if let Some(v) = self {
            v.visit(f);
        }
    }
}

impl<T: Quantities> Quantities for Vec<T> {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity)) {
        for v in self {
            v.visit(f);
        }
    }
}

impl Quantities for BTreeMap<String, Quantity> {
    fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity)) {
        for q in self.values_mut() {
            f(q);
        }
    }
}

/// Implements `Quantities` for a struct by visiting the listed fields.
macro_rules! visit_fields {
    ($( $ty:ty => [$( $field:ident ),+ $(,)?] ),* $(,)?) => {
        $(
            impl Quantities for $ty {
                fn visit(&mut self, f: &mut dyn FnMut(&mut Quantity)) {
                    $( self.$field.visit(f); )+
                }
            }
        )*
    };
}

visit_fields! {
    corev1::PodTemplateSpec => [spec],
    corev1::PodSpec => [containers, init_containers, ephemeral_containers, volumes, overhead, resources],
    corev1::Container => [env, resources],
    corev1::EphemeralContainer => [env, resources],
    corev1::EnvVar => [value_from],
    corev1::EnvVarSource => [resource_field_ref],
    corev1::ResourceFieldSelector => [divisor],
    corev1::ResourceRequirements => [limits, requests],
    corev1::Volume => [empty_dir, downward_api, projected, ephemeral],
    corev1::EmptyDirVolumeSource => [size_limit],
    corev1::DownwardAPIVolumeSource => [items],
    corev1::DownwardAPIVolumeFile => [resource_field_ref],
    corev1::ProjectedVolumeSource => [sources],
    corev1::VolumeProjection => [downward_api],
    corev1::DownwardAPIProjection => [items],
    corev1::EphemeralVolumeSource => [volume_claim_template],
    corev1::PersistentVolumeClaimTemplate => [spec],
    corev1::PersistentVolumeClaim => [spec, status],
    corev1::PersistentVolumeClaimSpec => [resources],
    corev1::VolumeResourceRequirements => [limits, requests],
    corev1::PersistentVolumeClaimStatus => [capacity, allocated_resources],
    corev1::PodStatus => [container_statuses, init_container_statuses, ephemeral_container_statuses],
    corev1::ContainerStatus => [allocated_resources, resources],
    appsv1::StatefulSetSpec => [template, volume_claim_templates],
    batchv1::JobTemplateSpec => [spec],
    batchv1::JobSpec => [template],
    autoscalingv2::HorizontalPodAutoscalerSpec => [metrics, behavior],
    autoscalingv2::HorizontalPodAutoscalerBehavior => [scale_up, scale_down],
    autoscalingv2::HPAScalingRules => [tolerance],
    autoscalingv2::MetricSpec => [container_resource, external, object, pods, resource],
    autoscalingv2::ContainerResourceMetricSource => [target],
    autoscalingv2::ExternalMetricSource => [target],
    autoscalingv2::ObjectMetricSource => [target],
    autoscalingv2::PodsMetricSource => [target],
    autoscalingv2::ResourceMetricSource => [target],
    autoscalingv2::MetricTarget => [value, average_value],
    autoscalingv2::HorizontalPodAutoscalerStatus => [current_metrics],
    autoscalingv2::MetricStatus => [container_resource, external, object, pods, resource],
    autoscalingv2::ContainerResourceMetricStatus => [current],
    autoscalingv2::ExternalMetricStatus => [current],
    autoscalingv2::ObjectMetricStatus => [current],
    autoscalingv2::PodsMetricStatus => [current],
    autoscalingv2::ResourceMetricStatus => [current],
    autoscalingv2::MetricValueStatus => [value, average_value],
}

#[cfg(test)]
mod tests;
