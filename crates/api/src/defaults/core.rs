//! Defaults of the core/v1 group.
//!
//! Mirrors pkg/apis/core/v1/defaults.go (Kubernetes v1.34) `SetDefaults_*` functions. Fields
//! the API server's create strategy fills (Pod `status.phase`, `qosClass`, Service cluster IPs)
//! belong to the cluster's apiserver, not here.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The `kubernetes.io/metadata.name` label every Namespace carries.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Mirrors `SetDefaults_Pod` and `SetDefaults_PodSpec` plus the nested container, volume and
/// probe defaults.
pub fn pod(pod: &mut corev1::Pod) {
    if let Some(spec) = pod.spec.as_mut() {
        pod_spec(spec);
    }
}

/// Defaults a pod template's spec, as every workload's template is defaulted.
pub fn pod_template(template: &mut corev1::PodTemplateSpec) {
    if let Some(spec) = template.spec.as_mut() {
        pod_spec(spec);
    }
}

/// Mirrors `SetDefaults_PodSpec` and `SetDefaults_Pod` (the parts that read only the spec).
pub fn pod_spec(spec: &mut corev1::PodSpec) {
    set(&mut spec.dns_policy, "ClusterFirst");
    set(&mut spec.restart_policy, "Always");
    set(&mut spec.scheduler_name, "default-scheduler");
    spec.security_context.get_or_insert_with(Default::default);
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.enable_service_links.get_or_insert(true);
    let host_network = spec.host_network == Some(true);
    for c in spec.containers.iter_mut() {
        container(c, host_network);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        container(c, host_network);
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
}

/// Mirrors `SetDefaults_Container`, `SetDefaults_ContainerPort`, `SetDefaults_Probe`,
/// `SetDefaults_HTTPGetAction`, `SetDefaults_ObjectFieldSelector` and the requests-from-limits
/// rule of `SetDefaults_Pod`.
pub fn container(c: &mut corev1::Container, host_network: bool) {
    if c.image_pull_policy.is_none()
        && let Some(image) = c.image.as_deref()
    {
        c.image_pull_policy = Some(default_pull_policy(image).to_string());
    }
    set(&mut c.termination_message_path, "/dev/termination-log");
    set(&mut c.termination_message_policy, "File");
    for port in c.ports.iter_mut().flatten() {
        set(&mut port.protocol, "TCP");
        if host_network && port.host_port.is_none() {
            port.host_port = Some(port.container_port);
        }
    }
    for probe in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        self::probe(probe);
    }
    if let Some(lifecycle) = c.lifecycle.as_mut() {
        for handler in [&mut lifecycle.post_start, &mut lifecycle.pre_stop]
            .into_iter()
            .flatten()
        {
            if let Some(get) = handler.http_get.as_mut() {
                http_get(get);
            }
        }
    }
    for env in c.env.iter_mut().flatten() {
        if let Some(field_ref) = env.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            set(&mut field_ref.api_version, "v1");
        }
    }
    if let Some(resources) = c.resources.as_mut()
        && let Some(limits) = resources.limits.as_ref()
    {
        let requests = resources.requests.get_or_insert_with(BTreeMap::new);
        for (name, quantity) in limits {
            requests
                .entry(name.clone())
                .or_insert_with(|| quantity.clone());
        }
    }
}

/// The pull policy `SetDefaults_Container` picks: `Always` for `:latest` or an untagged
/// image without a digest, `IfNotPresent` otherwise.
pub fn default_pull_policy(image: &str) -> &'static str {
    // The tag is after the last `:` of the last path component (a registry port sits before
    // a `/`); a digest (`@sha256:...`) counts as pinned.
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        Some((_, tag)) if tag != "latest" => "IfNotPresent",
        _ => "Always",
    }
}

/// Mirrors `SetDefaults_Probe` and the handler defaults inside it.
pub fn probe(p: &mut corev1::Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(get) = p.http_get.as_mut() {
        http_get(get);
    }
}

fn http_get(get: &mut corev1::HTTPGetAction) {
    set(&mut get.path, "/");
    set(&mut get.scheme, "HTTP");
}

/// Mirrors `SetDefaults_Volume` (no source means `emptyDir: {}`) and the `defaultMode: 0644`
/// defaults of secret, configMap, downwardAPI and projected sources.
pub fn volume(v: &mut corev1::Volume) {
    let has_source = v.aws_elastic_block_store.is_some()
        || v.azure_disk.is_some()
        || v.azure_file.is_some()
        || v.cephfs.is_some()
        || v.cinder.is_some()
        || v.config_map.is_some()
        || v.csi.is_some()
        || v.downward_api.is_some()
        || v.empty_dir.is_some()
        || v.ephemeral.is_some()
        || v.fc.is_some()
        || v.flex_volume.is_some()
        || v.flocker.is_some()
        || v.gce_persistent_disk.is_some()
        || v.git_repo.is_some()
        || v.glusterfs.is_some()
        || v.host_path.is_some()
        || v.image.is_some()
        || v.iscsi.is_some()
        || v.nfs.is_some()
        || v.persistent_volume_claim.is_some()
        || v.photon_persistent_disk.is_some()
        || v.portworx_volume.is_some()
        || v.projected.is_some()
        || v.quobyte.is_some()
        || v.rbd.is_some()
        || v.scale_io.is_some()
        || v.secret.is_some()
        || v.storageos.is_some()
        || v.vsphere_volume.is_some();
    if !has_source {
        v.empty_dir = Some(Default::default());
    }
    const MODE_0644: i32 = 0o644;
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(MODE_0644);
    }
    if let Some(c) = v.config_map.as_mut() {
        c.default_mode.get_or_insert(MODE_0644);
    }
    if let Some(d) = v.downward_api.as_mut() {
        d.default_mode.get_or_insert(MODE_0644);
        for item in d.items.iter_mut().flatten() {
            if let Some(f) = item.field_ref.as_mut() {
                set(&mut f.api_version, "v1");
            }
        }
    }
    if let Some(p) = v.projected.as_mut() {
        p.default_mode.get_or_insert(MODE_0644);
    }
    if let Some(h) = v.host_path.as_mut() {
        set(&mut h.type_, "");
    }
}

/// Mirrors `SetDefaults_ReplicationController`: selector and labels default to the template's
/// labels; replicas to 1.
pub fn replication_controller(rc: &mut corev1::ReplicationController) {
    let Some(spec) = rc.spec.as_mut() else {
        return;
    };
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    if spec.selector.as_ref().is_none_or(BTreeMap::is_empty) && !template_labels.is_empty() {
        spec.selector = Some(template_labels.clone());
    }
    if rc.metadata.labels.as_ref().is_none_or(BTreeMap::is_empty) && !template_labels.is_empty() {
        rc.metadata.labels = Some(template_labels);
    }
    spec.replicas.get_or_insert(1);
    if let Some(t) = spec.template.as_mut() {
        pod_template(t);
    }
}

/// Mirrors `SetDefaults_Service` and `SetDefaults_ServiceSpec` (v1.34): type ClusterIP,
/// sessionAffinity None, port protocol TCP and targetPort = port, traffic policies, and
/// `allocateLoadBalancerNodePorts` for LoadBalancers. IP families are set the way the Service
/// REST strategy sets them for a single-stack IPv4 cluster.
pub fn service(svc: &mut corev1::Service) {
    let spec = svc.spec.get_or_insert_with(Default::default);
    set(&mut spec.type_, "ClusterIP");
    set(&mut spec.session_affinity, "None");
    if spec.session_affinity.as_deref() == Some("ClientIP") {
        let config = spec
            .session_affinity_config
            .get_or_insert_with(Default::default);
        let client_ip = config.client_ip.get_or_insert_with(Default::default);
        client_ip.timeout_seconds.get_or_insert(10800);
    }
    for port in spec.ports.iter_mut().flatten() {
        set(&mut port.protocol, "TCP");
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            port.target_port = Some(IntOrString::Int(port.port));
        }
    }
    let type_ = spec.type_.clone().unwrap_or_default();
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer") {
        set(&mut spec.external_traffic_policy, "Cluster");
    }
    if type_ != "ExternalName" {
        set(&mut spec.internal_traffic_policy, "Cluster");
        set(&mut spec.ip_family_policy, "SingleStack");
        if spec.ip_families.as_ref().is_none_or(Vec::is_empty) {
            spec.ip_families = Some(vec!["IPv4".to_string()]);
        }
    }
    if type_ == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
}

/// Mirrors `SetDefaults_Endpoints` (port protocol TCP).
pub fn endpoints(ep: &mut corev1::Endpoints) {
    for subset in ep.subsets.iter_mut().flatten() {
        for port in subset.ports.iter_mut().flatten() {
            set(&mut port.protocol, "TCP");
        }
    }
}

/// Mirrors `SetDefaults_Secret` (type Opaque).
pub fn secret(s: &mut corev1::Secret) {
    set(&mut s.type_, "Opaque");
}

/// Mirrors `SetDefaults_PersistentVolume`: reclaim policy Retain, volume mode Filesystem,
/// phase Pending.
pub fn persistent_volume(pv: &mut corev1::PersistentVolume) {
    let spec = pv.spec.get_or_insert_with(Default::default);
    set(&mut spec.persistent_volume_reclaim_policy, "Retain");
    set(&mut spec.volume_mode, "Filesystem");
    let status = pv.status.get_or_insert_with(Default::default);
    set(&mut status.phase, "Pending");
}

/// Mirrors `SetDefaults_PersistentVolumeClaim` and `SetDefaults_PersistentVolumeClaimSpec`:
/// volume mode Filesystem, phase Pending.
pub fn persistent_volume_claim(pvc: &mut corev1::PersistentVolumeClaim) {
    let spec = pvc.spec.get_or_insert_with(Default::default);
    set(&mut spec.volume_mode, "Filesystem");
    let status = pvc.status.get_or_insert_with(Default::default);
    set(&mut status.phase, "Pending");
}

/// Mirrors `SetDefaults_Namespace` (the `kubernetes.io/metadata.name` label), plus the
/// `kubernetes` finalizer and phase Active the namespace strategy sets on create.
pub fn namespace(ns: &mut corev1::Namespace) {
    if let Some(name) = ns.metadata.name.clone().filter(|n| !n.is_empty()) {
        ns.metadata
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(NAMESPACE_NAME_LABEL.to_string(), name);
    }
    let spec = ns.spec.get_or_insert_with(Default::default);
    if spec.finalizers.is_none() {
        spec.finalizers = Some(vec!["kubernetes".to_string()]);
    }
    let status = ns.status.get_or_insert_with(Default::default);
    set(&mut status.phase, "Active");
}

/// Mirrors `SetDefaults_LimitRangeItem` (pkg/apis/core/v1/defaults.go): for Container limits,
/// `default` falls back to `max`, `defaultRequest` to `default` and then to `min`.
pub fn limit_range(lr: &mut corev1::LimitRange) {
    let Some(spec) = lr.spec.as_mut() else {
        return;
    };
    for item in spec.limits.iter_mut() {
        if item.type_ != "Container" {
            continue;
        }
        if let Some(max) = item.max.clone() {
            let default = item.default.get_or_insert_with(BTreeMap::new);
            for (k, v) in max {
                default.entry(k).or_insert(v);
            }
        }
        if let Some(default) = item.default.clone() {
            let request = item.default_request.get_or_insert_with(BTreeMap::new);
            for (k, v) in default {
                request.entry(k).or_insert(v);
            }
        }
        if let Some(min) = item.min.clone() {
            let request = item.default_request.get_or_insert_with(BTreeMap::new);
            for (k, v) in min {
                request.entry(k).or_insert(v);
            }
        }
    }
}

/// Mirrors `SetDefaults_PodTemplate`.
pub fn pod_template_object(t: &mut corev1::PodTemplate) {
    if let Some(template) = t.template.as_mut() {
        pod_template(template);
    }
}

/// Sets an optional string when unset (Go's zero value `""` counts as unset).
pub(crate) fn set(field: &mut Option<String>, value: &str) {
    if field.as_deref().is_none_or(str::is_empty) {
        *field = Some(value.to_string());
    }
}
