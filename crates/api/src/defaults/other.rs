//! Defaults of the networking, discovery, rbac, scheduling and storage groups.
//!
//! Mirrors pkg/apis/{networking,discovery,rbac,scheduling,storage}/v1/defaults.go
//! (Kubernetes v1.34).

use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::networking::v1 as networkingv1;
use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::api::storage::v1 as storagev1;

use super::core::set;

/// Mirrors networking/v1 `SetDefaults_NetworkPolicy` and `SetDefaults_NetworkPolicyPort`:
/// policyTypes `[Ingress]`, plus `Egress` when egress rules exist; port protocol TCP.
pub fn network_policy(np: &mut networkingv1::NetworkPolicy) {
    let Some(spec) = np.spec.as_mut() else {
        return;
    };
    for rule in spec.ingress.iter_mut().flatten() {
        for port in rule.ports.iter_mut().flatten() {
            set(&mut port.protocol, "TCP");
        }
    }
    for rule in spec.egress.iter_mut().flatten() {
        for port in rule.ports.iter_mut().flatten() {
            set(&mut port.protocol, "TCP");
        }
    }
    if spec.policy_types.as_ref().is_none_or(Vec::is_empty) {
        let mut types = vec!["Ingress".to_string()];
        if spec.egress.as_ref().is_some_and(|e| !e.is_empty()) {
            types.push("Egress".to_string());
        }
        spec.policy_types = Some(types);
    }
}

/// Mirrors discovery/v1 `SetDefaults_EndpointPort`: protocol TCP.
pub fn endpoint_slice(es: &mut discoveryv1::EndpointSlice) {
    for port in es.ports.iter_mut().flatten() {
        set(&mut port.protocol, "TCP");
    }
}

/// Mirrors rbac/v1 `SetDefaults_Subject`: users and groups belong to the RBAC API group.
pub fn subjects(subjects: Option<&mut Vec<rbacv1::Subject>>) {
    for s in subjects.into_iter().flatten() {
        if s.api_group.is_none() {
            match s.kind.as_str() {
                "User" | "Group" => s.api_group = Some("rbac.authorization.k8s.io".into()),
                "ServiceAccount" => s.api_group = Some(String::new()),
                _ => {}
            }
        }
    }
}

/// Mirrors scheduling/v1 `SetDefaults_PriorityClass`: preemptionPolicy PreemptLowerPriority.
pub fn priority_class(pc: &mut schedulingv1::PriorityClass) {
    set(&mut pc.preemption_policy, "PreemptLowerPriority");
}

/// Mirrors storage/v1 `SetDefaults_StorageClass`: reclaimPolicy Delete, volumeBindingMode
/// Immediate.
pub fn storage_class(sc: &mut storagev1::StorageClass) {
    set(&mut sc.reclaim_policy, "Delete");
    set(&mut sc.volume_binding_mode, "Immediate");
}
