//! Pod spec warnings. Mirrors pkg/api/pod/warnings.go (v1.34) GetWarningsForPod and
//! GetWarningsForPodTemplate.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::{child, fractional_bytes, node, persistentvolumeclaim};

/// Mirrors GetWarningsForPod: the warnings of a pod's spec and metadata.
pub fn get_warnings_for_pod(pod: &corev1::Pod) -> Vec<String> {
    match &pod.spec {
        Some(spec) => warnings_for_pod_spec_and_meta("", spec, &pod.metadata),
        None => Vec::new(),
    }
}

/// Mirrors GetWarningsForPodTemplate: the same warnings for a workload's pod template, each
/// under `path` (`spec.template` for a Deployment).
pub fn get_warnings_for_pod_template(
    path: &str,
    template: &corev1::PodTemplateSpec,
) -> Vec<String> {
    let meta = template.metadata.clone().unwrap_or_default();
    match &template.spec {
        Some(spec) => warnings_for_pod_spec_and_meta(path, spec, &meta),
        None => Vec::new(),
    }
}

/// Annotations that no longer do anything, and what replaced them.
const DEPRECATED_ANNOTATIONS: &[(&str, &str)] = &[
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        r#"non-functional in v1.16+; use the "priorityClassName" field instead"#,
    ),
    (
        "security.alpha.kubernetes.io/sysctls",
        r#"non-functional in v1.11+; use the "sysctls" field instead"#,
    ),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        r#"non-functional in v1.11+; use the "sysctls" field instead"#,
    ),
];

const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

/// What the container checks read, for init, app and ephemeral containers alike.
struct ContainerView<'a> {
    name: &'a str,
    env: &'a [corev1::EnvVar],
    ports: &'a [corev1::ContainerPort],
    security_context: Option<&'a corev1::SecurityContext>,
    resources: Option<&'a corev1::ResourceRequirements>,
}

/// Containers in upstream's VisitContainersWithPath order, with their field paths.
fn containers<'a>(spec_path: &str, spec: &'a corev1::PodSpec) -> Vec<(String, ContainerView<'a>)> {
    let mut out = Vec::new();
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        out.push((
            format!("{spec_path}.initContainers[{i}]"),
            ContainerView {
                name: &c.name,
                env: c.env.as_deref().unwrap_or_default(),
                ports: c.ports.as_deref().unwrap_or_default(),
                security_context: c.security_context.as_ref(),
                resources: c.resources.as_ref(),
            },
        ));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        out.push((
            format!("{spec_path}.containers[{i}]"),
            ContainerView {
                name: &c.name,
                env: c.env.as_deref().unwrap_or_default(),
                ports: c.ports.as_deref().unwrap_or_default(),
                security_context: c.security_context.as_ref(),
                resources: c.resources.as_ref(),
            },
        ));
    }
    for (i, c) in spec.ephemeral_containers.iter().flatten().enumerate() {
        out.push((
            format!("{spec_path}.ephemeralContainers[{i}]"),
            ContainerView {
                name: &c.name,
                env: c.env.as_deref().unwrap_or_default(),
                ports: c.ports.as_deref().unwrap_or_default(),
                security_context: c.security_context.as_ref(),
                resources: c.resources.as_ref(),
            },
        ));
    }
    out
}

/// Mirrors warningsForPodSpecAndMeta; `prefix` is empty for a pod.
fn warnings_for_pod_spec_and_meta(
    prefix: &str,
    spec: &corev1::PodSpec,
    meta: &metav1::ObjectMeta,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let spec_path = child(prefix, "spec");
    let annotations_path = child(prefix, "metadata.annotations");
    let empty = BTreeMap::new();
    let annotations = meta.annotations.as_ref().unwrap_or(&empty);

    // Deprecated node labels in the node selector, node affinity and spread constraints.
    for key in spec.node_selector.iter().flatten().map(|(k, _)| k) {
        if let Some(msg) = node::get_node_label_deprecated_message(key) {
            warnings.push(format!("{spec_path}.nodeSelector[{key}]: {msg}"));
        }
    }
    if let Some(na) = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
    {
        let required = na
            .required_during_scheduling_ignored_during_execution
            .as_ref();
        for (i, term) in required
            .iter()
            .flat_map(|r| r.node_selector_terms.iter())
            .enumerate()
        {
            let path = format!(
                "{spec_path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[{i}]"
            );
            warnings.extend(node::get_warnings_for_node_selector_term(term, &path));
        }
        let preferred = na
            .preferred_during_scheduling_ignored_during_execution
            .iter()
            .flatten();
        for (i, term) in preferred.enumerate() {
            let path = format!(
                "{spec_path}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{i}].preference"
            );
            warnings.extend(node::get_warnings_for_node_selector_term(
                &term.preference,
                &path,
            ));
        }
    }
    for (i, t) in spec
        .topology_spread_constraints
        .iter()
        .flatten()
        .enumerate()
    {
        let path = format!("{spec_path}.topologySpreadConstraints[{i}]");
        if let Some(msg) = node::get_node_label_deprecated_message(&t.topology_key) {
            warnings.push(format!("{path}.topologyKey: {} is {msg}", t.topology_key));
        }
        if t.label_selector.is_none() {
            warnings.push(format!(
                "{path}.labelSelector: a null labelSelector results in matching no pod"
            ));
        }
    }

    for (key, msg) in DEPRECATED_ANNOTATIONS {
        if annotations.contains_key(*key) {
            warnings.push(format!("{annotations_path}[{key}]: {msg}"));
        }
    }

    // Volume plugins that are deprecated or gone.
    for (i, v) in spec.volumes.iter().flatten().enumerate() {
        let plugins = [
            (
                v.photon_persistent_disk.is_some(),
                "photonPersistentDisk",
                "deprecated in v1.11, non-functional in v1.16+",
            ),
            (v.git_repo.is_some(), "gitRepo", "deprecated in v1.11"),
            (
                v.scale_io.is_some(),
                "scaleIO",
                "deprecated in v1.16, non-functional in v1.22+",
            ),
            (
                v.flocker.is_some(),
                "flocker",
                "deprecated in v1.22, non-functional in v1.25+",
            ),
            (
                v.storageos.is_some(),
                "storageOS",
                "deprecated in v1.22, non-functional in v1.25+",
            ),
            (
                v.quobyte.is_some(),
                "quobyte",
                "deprecated in v1.22, non-functional in v1.25+",
            ),
            (
                v.glusterfs.is_some(),
                "glusterfs",
                "deprecated in v1.25, non-functional in v1.26+",
            ),
        ];
        // Upstream checks the claim template of an ephemeral volume between glusterfs and
        // cephfs.
        let after_claim = [
            (
                v.cephfs.is_some(),
                "cephfs",
                "deprecated in v1.28, non-functional in v1.31+",
            ),
            (
                v.rbd.is_some(),
                "rbd",
                "deprecated in v1.28, non-functional in v1.31+",
            ),
        ];
        let deprecated = |plugins: &[(bool, &str, &str)], warnings: &mut Vec<String>| {
            for (set, field, msg) in plugins {
                if *set {
                    warnings.push(format!("{spec_path}.volumes[{i}].{field}: {msg}"));
                }
            }
        };
        deprecated(&plugins, &mut warnings);
        if let Some(template) = v
            .ephemeral
            .as_ref()
            .and_then(|e| e.volume_claim_template.as_ref())
        {
            warnings.extend(
                persistentvolumeclaim::get_warnings_for_persistent_volume_claim_spec(
                    &format!("{spec_path}.volumes[{i}].ephemeral.volumeClaimTemplate.spec"),
                    &template.spec,
                ),
            );
        }
        deprecated(&after_claim, &mut warnings);
    }

    warnings.extend(projected_token_path_clashes(&spec_path, spec));

    // Duplicate host aliases and image pull secrets (#91670, #91629).
    let mut ips = BTreeSet::new();
    let aliases = spec.host_aliases.as_deref().unwrap_or_default();
    if aliases.len() > 1 {
        for (i, a) in aliases.iter().enumerate() {
            if !ips.insert(a.ip.as_str()) {
                warnings.push(format!(
                    "{spec_path}.hostAliases[{i}].ip: duplicate ip \"{}\"",
                    a.ip
                ));
            }
        }
    }
    let secrets = spec.image_pull_secrets.as_deref().unwrap_or_default();
    let mut names = BTreeSet::new();
    if secrets.len() > 1 {
        for (i, s) in secrets.iter().enumerate() {
            if !names.insert(s.name.as_str()) {
                warnings.push(format!(
                    "{spec_path}.imagePullSecrets[{i}].name: duplicate name \"{}\"",
                    s.name
                ));
            }
        }
    }
    for (i, s) in secrets.iter().enumerate() {
        if s.name.is_empty() {
            warnings.push(format!(
                "{spec_path}.imagePullSecrets[{i}].name: invalid empty name \"\""
            ));
        }
    }

    for resource in ["memory", "ephemeral-storage"] {
        let overhead = spec.overhead.as_ref().and_then(|o| o.get(resource));
        if let Some(w) = fractional_bytes(&format!("{spec_path}.overhead[{resource}]"), overhead) {
            warnings.push(w);
        }
    }

    let pod_sc = spec.security_context.as_ref();
    if pod_sc.is_none_or(|sc| sc.seccomp_profile.is_none())
        && annotations.contains_key(SECCOMP_POD_ANNOTATION)
    {
        warnings.push(format!(
            r#"{annotations_path}[{SECCOMP_POD_ANNOTATION}]: non-functional in v1.27+; use the "seccompProfile" field instead"#
        ));
    }
    let pod_apparmor = pod_sc.is_some_and(|sc| sc.app_armor_profile.is_some());
    let visited = containers(&spec_path, spec);
    for (path, c) in &visited {
        let sc = c.security_context;
        if sc.is_none_or(|sc| sc.seccomp_profile.is_none()) {
            let key = format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name);
            if annotations.contains_key(&key) {
                warnings.push(format!(
                    r#"{annotations_path}[{key}]: non-functional in v1.27+; use the "seccompProfile" field instead"#
                ));
            }
        }
        // A pod's own AppArmor annotations are turned into fields instead (upstream's
        // applyAppArmorVersionSkew), so only templates warn.
        let has_apparmor = pod_apparmor || sc.is_some_and(|sc| sc.app_armor_profile.is_some());
        if !prefix.is_empty() && !has_apparmor {
            let key = format!("{APPARMOR_ANNOTATION_PREFIX}{}", c.name);
            if annotations.contains_key(&key) {
                warnings.push(format!(
                    r#"{annotations_path}[{key}]: deprecated since v1.30; use the "appArmorProfile" field instead"#
                ));
            }
        }
        let res = c.resources;
        for resource in ["memory", "ephemeral-storage"] {
            for (list, values) in [
                ("limits", res.and_then(|r| r.limits.as_ref())),
                ("requests", res.and_then(|r| r.requests.as_ref())),
            ] {
                let value = values.and_then(|v| v.get(resource));
                let field = format!("{path}.resources.{list}[{resource}]");
                warnings.extend(fractional_bytes(&field, value));
            }
        }
        warnings.extend(duplicate_env(path, c.env));
    }

    warnings.extend(port_warnings(&visited));

    if spec.termination_grace_period_seconds.is_some_and(|s| s < 0) {
        warnings.push(format!(
            "{spec_path}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1"
        ));
    }

    if let Some(a) = &spec.affinity {
        for (name, pa) in [
            (
                "podAffinity",
                a.pod_affinity.as_ref().map(|p| {
                    (
                        &p.required_during_scheduling_ignored_during_execution,
                        &p.preferred_during_scheduling_ignored_during_execution,
                    )
                }),
            ),
            (
                "podAntiAffinity",
                a.pod_anti_affinity.as_ref().map(|p| {
                    (
                        &p.required_during_scheduling_ignored_during_execution,
                        &p.preferred_during_scheduling_ignored_during_execution,
                    )
                }),
            ),
        ] {
            let Some((required, preferred)) = pa else {
                continue;
            };
            for (i, t) in required.iter().flatten().enumerate() {
                if t.label_selector.is_none() {
                    warnings.push(format!("{spec_path}.affinity.{name}.requiredDuringSchedulingIgnoredDuringExecution[{i}].labelSelector: a null labelSelector results in matching no pod"));
                }
            }
            for (i, t) in preferred.iter().flatten().enumerate() {
                if t.pod_affinity_term.label_selector.is_none() {
                    warnings.push(format!("{spec_path}.affinity.{name}.preferredDuringSchedulingIgnoredDuringExecution[{i}].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod"));
                }
            }
        }
    }
    warnings
}

/// Items of projected configMap, secret, downwardAPI or clusterTrustBundle sources whose path
/// is also the path of a projected service-account token somewhere in the pod.
fn projected_token_path_clashes(spec_path: &str, spec: &corev1::PodSpec) -> Vec<String> {
    let volumes = spec.volumes.as_deref().unwrap_or_default();
    let sources = |v: &corev1::Volume| {
        v.projected
            .as_ref()
            .and_then(|p| p.sources.clone())
            .unwrap_or_default()
    };
    let token_paths: BTreeSet<String> = machinery::sort::set_of(
        volumes
            .iter()
            .flat_map(sources)
            .filter_map(|s| s.service_account_token.map(|t| t.path)),
    );
    let mut warnings = Vec::new();
    if token_paths.is_empty() {
        return warnings;
    }
    let clash = |field: String, path: &str, warnings: &mut Vec<String>| {
        if token_paths.contains(path) {
            warnings.push(format!(
                "{field}: has duplicated path with ServiceAccountToken \"{path}\""
            ));
        }
    };
    for (i, v) in volumes.iter().enumerate() {
        let base = format!("{spec_path}.volumes[{i}].projected.sources");
        for s in sources(v) {
            // Upstream indexes by the item, not the source, and names the secret list
            // `secrets` and the trust bundle `ClusterTrustBundle`.
            for (j, item) in s
                .config_map
                .iter()
                .flat_map(|c| c.items.iter().flatten())
                .enumerate()
            {
                clash(format!("{base}.configMap[{j}]"), &item.path, &mut warnings);
            }
            for (j, item) in s
                .secret
                .iter()
                .flat_map(|c| c.items.iter().flatten())
                .enumerate()
            {
                clash(format!("{base}.secrets[{j}]"), &item.path, &mut warnings);
            }
            for (j, item) in s
                .downward_api
                .iter()
                .flat_map(|c| c.items.iter().flatten())
                .enumerate()
            {
                clash(
                    format!("{base}.downwardAPI[{j}]"),
                    &item.path,
                    &mut warnings,
                );
            }
            if let Some(b) = &s.cluster_trust_bundle {
                clash(format!("{base}.ClusterTrustBundle"), &b.path, &mut warnings);
            }
        }
    }
    warnings
}

/// Go's `%+v` of an (internal) ContainerPort, as the hostIP warning prints it.
fn go_port(p: &corev1::ContainerPort) -> String {
    format!(
        "{{Name:{} HostPort:{} ContainerPort:{} Protocol:{} HostIP:{}}}",
        p.name.as_deref().unwrap_or(""),
        p.host_port.unwrap_or(0),
        p.container_port,
        p.protocol.as_deref().unwrap_or(""),
        p.host_ip.as_deref().unwrap_or("")
    )
}

/// A later env entry that replaces an earlier one of the same name, unless it refers to the
/// earlier value (`X=$(X)-suffix`): client-side apply may drop one of them (#86163).
fn duplicate_env(container_path: &str, env: &[corev1::EnvVar]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut seen = BTreeSet::new();
    if env.len() < 2 {
        return warnings;
    }
    for (i, e) in env.iter().enumerate() {
        if seen.insert(e.name.as_str()) {
            continue;
        }
        let reference = format!("$({})", e.name);
        let value = e.value.as_deref().unwrap_or("");
        let bad = e.value_from.is_some() || value == reference || !value.contains(&reference);
        if bad {
            warnings.push(format!(
                "{container_path}.env[{i}]: hides previous definition of \"{}\", which may be dropped when using apply",
                e.name
            ));
        }
    }
    warnings
}

/// Ports declared twice across the pod's containers (same number and protocol).
fn port_warnings(containers: &[(String, ContainerView<'_>)]) -> Vec<String> {
    let mut warnings = Vec::new();
    // "port/protocol" → (path, hostIP, hostPort) of the ports seen so far.
    let mut seen: BTreeMap<String, Vec<(String, &str, i32)>> = BTreeMap::new();
    for (path, c) in containers {
        for (i, p) in c.ports.iter().enumerate() {
            let here = format!("{path}.ports[{i}]");
            let host_ip = p.host_ip.as_deref().unwrap_or("");
            let host_port = p.host_port.unwrap_or(0);
            if !host_ip.is_empty() && host_port == 0 {
                warnings.push(format!(
                    "{here}: hostIP set without hostPort: {}",
                    go_port(p)
                ));
            }
            let key = format!(
                "{}/{}",
                p.container_port,
                p.protocol.as_deref().unwrap_or("")
            );
            let others = seen.entry(key).or_default();
            for (other, other_ip, other_port) in others.iter() {
                if host_ip == *other_ip && host_port == *other_port {
                    warnings.push(format!("{here}: duplicate port definition with {other}"));
                } else if host_port == 0 || *other_port == 0 {
                    warnings.push(format!("{here}: overlapping port definition with {other}"));
                } else if host_port == *other_port && (host_ip.is_empty() != other_ip.is_empty()) {
                    warnings.push(format!(
                        "{here}: dangerously ambiguous port definition with {other}"
                    ));
                }
            }
            others.push((here, host_ip, host_port));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        pod: serde_json::Value,
        want: &'static [&'static str],
    }

    fn check(pod: serde_json::Value) -> Vec<String> {
        let pod: corev1::Pod = serde_json::from_value(pod).expect("a pod");
        get_warnings_for_pod(&pod)
    }

    fn spec(extra: serde_json::Value) -> serde_json::Value {
        let mut spec = serde_json::json!({"containers": [{"name": "c", "image": "nginx"}]});
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        serde_json::json!({"metadata": {"name": "p"}, "spec": spec})
    }

    // Mirrors cases of TestWarnings in pkg/api/pod/warnings_test.go (v1.34).
    #[test]
    fn pod_warnings() {
        let cases = [
            Case {
                name: "null",
                pod: spec(serde_json::json!({})),
                want: &[],
            },
            Case {
                name: "gitRepo",
                pod: spec(
                    serde_json::json!({"volumes": [{"name": "s", "gitRepo": {"repository": "r"}}]}),
                ),
                want: &["spec.volumes[0].gitRepo: deprecated in v1.11"],
            },
            Case {
                name: "node selector",
                pod: spec(
                    serde_json::json!({"nodeSelector": {"beta.kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux"}}),
                ),
                want: &[
                    r#"spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead"#,
                ],
            },
            Case {
                name: "node affinity",
                pod: spec(serde_json::json!({"affinity": {"nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "failure-domain.beta.kubernetes.io/zone", "operator": "Exists"}]}]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [{"key": "beta.kubernetes.io/os", "operator": "Exists"}]}}],
                }}})),
                want: &[
                    r#"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead"#,
                    r#"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key: beta.kubernetes.io/os is deprecated since v1.14; use "kubernetes.io/os" instead"#,
                ],
            },
            Case {
                name: "spread constraint",
                pod: spec(
                    serde_json::json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "failure-domain.beta.kubernetes.io/region", "whenUnsatisfiable": "DoNotSchedule"}]}),
                ),
                want: &[
                    r#"spec.topologySpreadConstraints[0].topologyKey: failure-domain.beta.kubernetes.io/region is deprecated since v1.17; use "topology.kubernetes.io/region" instead"#,
                    "spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod",
                ],
            },
            Case {
                name: "duplicate env",
                pod: serde_json::json!({"spec": {"containers": [{"name": "c", "env": [
                    {"name": "A", "value": "1"}, {"name": "A", "value": "$(A)-2"}, {"name": "A", "value": "3"},
                ]}]}}),
                want: &[
                    r#"spec.containers[0].env[2]: hides previous definition of "A", which may be dropped when using apply"#,
                ],
            },
            Case {
                name: "duplicate ports across containers",
                pod: serde_json::json!({"spec": {"containers": [
                    {"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP"}]},
                    {"name": "b", "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 80, "protocol": "TCP", "hostPort": 8080}]},
                ]}}),
                want: &[
                    "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]",
                    "spec.containers[1].ports[1]: overlapping port definition with spec.containers[0].ports[0]",
                    "spec.containers[1].ports[1]: overlapping port definition with spec.containers[1].ports[0]",
                ],
            },
            // Cases after pkg/api/pod/warnings_test.go (v1.34): "fractional resources",
            // "hostIP set without hostPort", "duplicate ServiceAccountToken path".
            Case {
                name: "fractional resources",
                pod: serde_json::json!({"spec": {
                    "overhead": {"memory": "4m", "ephemeral-storage": "1Gi"},
                    "containers": [{"name": "a", "resources": {
                        "requests": {"memory": "1.5", "cpu": "0.5", "ephemeral-storage": "0.5Gi"},
                        "limits": {"memory": "0.7Gi", "ephemeral-storage": "512m"}}}]}}),
                want: &[
                    r#"spec.overhead[memory]: fractional byte value "4m" is invalid, must be an integer"#,
                    r#"spec.containers[0].resources.limits[memory]: fractional byte value "751619276800m" is invalid, must be an integer"#,
                    r#"spec.containers[0].resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer"#,
                    r#"spec.containers[0].resources.limits[ephemeral-storage]: fractional byte value "512m" is invalid, must be an integer"#,
                ],
            },
            Case {
                name: "hostIP without hostPort",
                pod: serde_json::json!({"spec": {"containers": [{"name": "a", "ports": [
                    {"name": "http", "containerPort": 80, "protocol": "TCP", "hostIP": "10.0.0.1"},
                    {"containerPort": 81, "protocol": "UDP", "hostIP": "10.0.0.1", "hostPort": 81}]}]}}),
                want: &[
                    "spec.containers[0].ports[0]: hostIP set without hostPort: {Name:http HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}",
                ],
            },
            Case {
                name: "ephemeral volume claim template between glusterfs and cephfs",
                pod: spec(serde_json::json!({"volumes": [{"name": "e",
                    "glusterfs": {"endpoints": "ep", "path": "p"},
                    "cephfs": {"monitors": []},
                    "ephemeral": {"volumeClaimTemplate": {"spec": {"resources": {
                        "requests": {"storage": "1.5"}, "limits": {"storage": "2Gi"}}}}}}]})),
                want: &[
                    "spec.volumes[0].glusterfs: deprecated in v1.25, non-functional in v1.26+",
                    r#"spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer"#,
                    "spec.volumes[0].cephfs: deprecated in v1.28, non-functional in v1.31+",
                ],
            },
            Case {
                name: "projected paths clashing with the token",
                pod: spec(serde_json::json!({"volumes": [{"name": "p", "projected": {"sources": [
                    {"serviceAccountToken": {"path": "token"}},
                    {"configMap": {"name": "c", "items": [{"key": "k", "path": "x"}, {"key": "k", "path": "token"}]}},
                    {"secret": {"name": "s", "items": [{"key": "k", "path": "token"}]}},
                    {"downwardAPI": {"items": [{"path": "token", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}}]})),
                want: &[
                    r#"spec.volumes[0].projected.sources.configMap[1]: has duplicated path with ServiceAccountToken "token""#,
                    r#"spec.volumes[0].projected.sources.secrets[0]: has duplicated path with ServiceAccountToken "token""#,
                    r#"spec.volumes[0].projected.sources.downwardAPI[0]: has duplicated path with ServiceAccountToken "token""#,
                ],
            },
            Case {
                name: "duplicate image pull secrets and host aliases",
                pod: spec(serde_json::json!({
                    "imagePullSecrets": [{"name": "a"}, {"name": "a"}, {"name": ""}],
                    "hostAliases": [{"ip": "1.1.1.1"}, {"ip": "1.1.1.1"}],
                })),
                want: &[
                    r#"spec.hostAliases[1].ip: duplicate ip "1.1.1.1""#,
                    r#"spec.imagePullSecrets[1].name: duplicate name "a""#,
                    r#"spec.imagePullSecrets[2].name: invalid empty name """#,
                ],
            },
            Case {
                name: "annotations",
                pod: serde_json::json!({
                    "metadata": {"annotations": {
                        "scheduler.alpha.kubernetes.io/critical-pod": "",
                        "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
                    }},
                    "spec": {"containers": [{"name": "c"}]},
                }),
                want: &[
                    r#"metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead"#,
                    r#"metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead"#,
                ],
            },
            Case {
                name: "negative grace period and null pod affinity selector",
                pod: spec(serde_json::json!({
                    "terminationGracePeriodSeconds": -1,
                    "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "kubernetes.io/hostname"}]}},
                })),
                want: &[
                    "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
                    "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector: a null labelSelector results in matching no pod",
                ],
            },
        ];
        for case in cases {
            assert_eq!(check(case.pod), case.want, "{}", case.name);
        }
    }

    #[test]
    fn template_paths_and_apparmor() {
        let template: corev1::PodTemplateSpec = serde_json::from_value(serde_json::json!({
            "metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "runtime/default"}},
            "spec": {"containers": [{"name": "c"}], "volumes": [{"name": "v", "emptyDir": {}}, {"name": "g", "gitRepo": {"repository": "r"}}]},
        }))
        .expect("a template");
        assert_eq!(
            get_warnings_for_pod_template("spec.template", &template),
            vec![
                "spec.template.spec.volumes[1].gitRepo: deprecated in v1.11".to_string(),
                r#"spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: deprecated since v1.30; use the "appArmorProfile" field instead"#.to_string(),
            ]
        );
    }
}
