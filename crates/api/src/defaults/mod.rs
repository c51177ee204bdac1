//! Field defaults, applied as the v1.34 API server applies them on create and update.
//!
//! `apply_defaults` dispatches on the kind to the group's `SetDefaults_*` mirror. Pod template
//! defaults apply inside every workload template. Defaulting is idempotent: applying it twice
//! gives the same object.

pub mod core;
pub mod other;
pub mod workloads;

use crate::object::Object;

/// Fills in every defaulted field of `obj` that is unset.
pub fn apply_defaults(obj: &mut Object) {
    match obj {
        Object::Pod(p) => core::pod(p),
        Object::PodTemplate(t) => core::pod_template_object(t),
        Object::ReplicationController(rc) => core::replication_controller(rc),
        Object::Service(s) => core::service(s),
        Object::Endpoints(e) => core::endpoints(e),
        Object::Secret(s) => core::secret(s),
        Object::PersistentVolume(pv) => core::persistent_volume(pv),
        Object::PersistentVolumeClaim(pvc) => core::persistent_volume_claim(pvc),
        Object::Namespace(ns) => core::namespace(ns),
        Object::LimitRange(lr) => core::limit_range(lr),
        Object::Deployment(d) => workloads::deployment(d),
        Object::ReplicaSet(rs) => workloads::replica_set(rs),
        Object::DaemonSet(ds) => workloads::daemon_set(ds),
        Object::StatefulSet(sts) => workloads::stateful_set(sts),
        Object::Job(j) => workloads::job(j),
        Object::CronJob(cj) => workloads::cron_job(cj),
        Object::HorizontalPodAutoscaler(h) => workloads::hpa_v2(h),
        Object::HorizontalPodAutoscalerV1(h) => workloads::hpa_v1(h),
        Object::NetworkPolicy(np) => other::network_policy(np),
        Object::EndpointSlice(es) => other::endpoint_slice(es),
        Object::RoleBinding(rb) => other::subjects(rb.subjects.as_mut()),
        Object::ClusterRoleBinding(crb) => other::subjects(crb.subjects.as_mut()),
        Object::PriorityClass(pc) => other::priority_class(pc),
        Object::StorageClass(sc) => other::storage_class(sc),
        // These kinds have no defaulted fields in v1.34.
        Object::Binding(_)
        | Object::ConfigMap(_)
        | Object::Event(_)
        | Object::Node(_)
        | Object::ResourceQuota(_)
        | Object::ServiceAccount(_)
        | Object::ControllerRevision(_)
        | Object::Lease(_)
        | Object::EventsV1Event(_)
        | Object::IngressClass(_)
        | Object::Ingress(_)
        | Object::PodDisruptionBudget(_)
        | Object::ClusterRole(_)
        | Object::Role(_) => {}
    }
}

#[cfg(test)]
mod tests;
