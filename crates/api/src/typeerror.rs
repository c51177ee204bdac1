//! Rewords serde type errors the way Go's `encoding/json` words them for the API server.
//!
//! Upstream (sigs.k8s.io/json, used by apimachinery's JSON serializer) reports a wrongly typed
//! field as `json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`:
//! the Go type of the struct holding the field, then the field path without list indices, then
//! the Go type of the field. serde knows neither Go name, so both are reconstructed here from
//! the field path; the struct name uses a table of common parents and falls back to the
//! capitalised key. This is a best-effort rewording; the path is always exact.

use serde_json::Value;

/// Builds the Go-worded message for a type error at `path` in `original`.
///
/// `serde_message` is serde's text (`invalid type: string "1", expected i32`); when it is not
/// a type mismatch it is passed through after a `json: ` prefix.
pub fn go_message(kind: &str, path: &str, serde_message: &str, original: &Value) -> String {
    let Some(expected) = serde_message
        .strip_prefix("invalid type: ")
        .or_else(|| serde_message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "))
        .map(|(_, e)| e)
    else {
        return format!("json: {serde_message}");
    };
    let found = match lookup(original, path) {
        Some(Value::Number(n)) if !n.is_i64() && !n.is_u64() && is_integer_type(expected) => {
            format!("number {n}")
        }
        Some(v) => crate::object::go_json_type(v).to_string(),
        None => "value".to_string(),
    };
    let segments: Vec<&str> = path
        .split('.')
        .map(|s| s.split('[').next().unwrap_or(s))
        .collect();
    let field_path = segments.join(".");
    let parent = go_struct_name(kind, &segments);
    format!(
        "json: cannot unmarshal {found} into Go struct field {parent}.{field_path} of type {}",
        go_type(expected)
    )
}

fn is_integer_type(expected: &str) -> bool {
    matches!(expected, "i32" | "i64" | "u32" | "u64")
}

fn go_type(expected: &str) -> String {
    match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "u64" => "uint64".into(),
        "f64" => "float64".into(),
        "a string" | "string" => "string".into(),
        "a boolean" | "bool" => "bool".into(),
        "a sequence" => "[]interface {}".into(),
        "a map" => "map[string]string".into(),
        "Quantity" => "resource.Quantity".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        other => {
            let name = other.strip_prefix("struct ").unwrap_or(other);
            format!("v1.{name}")
        }
    }
}

/// The Go struct that holds the last field of `segments`.
fn go_struct_name(kind: &str, segments: &[&str]) -> String {
    let Some((_, parents)) = segments.split_last() else {
        return kind.to_string();
    };
    let Some(parent) = parents.last() else {
        return kind.to_string();
    };
    let grandparent = parents
        .len()
        .checked_sub(2)
        .and_then(|i| parents.get(i))
        .copied();
    let name = match (*parent, grandparent) {
        ("metadata", _) => "ObjectMeta",
        ("spec", None) => return format!("{kind}Spec"),
        ("status", None) => return format!("{kind}Status"),
        ("spec", Some("template")) => "PodSpec",
        ("spec", Some("jobTemplate")) => "JobSpec",
        ("template", Some("spec")) if kind == "CronJob" => "PodTemplateSpec",
        ("template", _) => "PodTemplateSpec",
        ("jobTemplate", _) => "JobTemplateSpec",
        ("containers" | "initContainers", _) => "Container",
        ("ephemeralContainers", _) => "EphemeralContainer",
        ("ports", Some("containers" | "initContainers")) => "ContainerPort",
        ("ports", _) if kind == "Service" => "ServicePort",
        ("ports", _) => "ContainerPort",
        ("env", _) => "EnvVar",
        ("envFrom", _) => "EnvFromSource",
        ("valueFrom", _) => "EnvVarSource",
        ("configMapKeyRef", _) => "ConfigMapKeySelector",
        ("secretKeyRef", _) => "SecretKeySelector",
        ("fieldRef", _) => "ObjectFieldSelector",
        ("resources", _) => "ResourceRequirements",
        ("selector", _) => "LabelSelector",
        ("matchExpressions", _) => "LabelSelectorRequirement",
        ("strategy", _) => "DeploymentStrategy",
        ("updateStrategy", _) if kind == "DaemonSet" => "DaemonSetUpdateStrategy",
        ("updateStrategy", _) => "StatefulSetUpdateStrategy",
        ("rollingUpdate", _) if kind == "Deployment" => "RollingUpdateDeployment",
        ("rollingUpdate", _) if kind == "DaemonSet" => "RollingUpdateDaemonSet",
        ("rollingUpdate", _) => "RollingUpdateStatefulSetStrategy",
        ("livenessProbe" | "readinessProbe" | "startupProbe", _) => "Probe",
        ("httpGet", _) => "HTTPGetAction",
        ("httpHeaders", _) => "HTTPHeader",
        ("tcpSocket", _) => "TCPSocketAction",
        ("exec", _) => "ExecAction",
        ("grpc", _) => "GRPCAction",
        ("lifecycle", _) => "Lifecycle",
        ("postStart" | "preStop", _) => "LifecycleHandler",
        ("volumes", _) => "Volume",
        ("volumeMounts", _) => "VolumeMount",
        ("configMap", _) => "ConfigMapVolumeSource",
        ("secret", _) => "SecretVolumeSource",
        ("emptyDir", _) => "EmptyDirVolumeSource",
        ("hostPath", _) => "HostPathVolumeSource",
        ("persistentVolumeClaim", _) => "PersistentVolumeClaimVolumeSource",
        ("items", _) => "KeyToPath",
        ("securityContext", Some("spec")) => "PodSecurityContext",
        ("securityContext", _) => "SecurityContext",
        ("tolerations", _) => "Toleration",
        ("affinity", _) => "Affinity",
        ("rules", _) if kind == "Ingress" => "IngressRule",
        ("rules", _) => "PolicyRule",
        ("subjects", _) => "Subject",
        ("roleRef", _) => "RoleRef",
        ("scaleTargetRef", _) => "CrossVersionObjectReference",
        ("metrics", _) => "MetricSpec",
        ("limits", _) if kind == "LimitRange" => "LimitRangeItem",
        (other, _) => return capitalise(other),
    };
    name.to_string()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Finds the value at a field path such as `spec.containers[0].image`.
fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = root;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            cur = cur.get(key)?;
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_wording() {
        struct Case {
            name: &'static str,
            kind: &'static str,
            path: &'static str,
            serde: &'static str,
            doc: Value,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "string into int in a deployment template",
                kind: "Deployment",
                path: "spec.template.spec.containers[0].ports[0].containerPort",
                serde: "invalid type: string \"80\", expected i32",
                doc: json!({"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": "80"}]}]}}}}),
                want: "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
            },
            Case {
                name: "replicas string",
                kind: "Deployment",
                path: "spec.replicas",
                serde: "invalid type: string \"1\", expected i32",
                doc: json!({"spec": {"replicas": "1"}}),
                want: "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
            },
            Case {
                name: "fraction into int",
                kind: "Deployment",
                path: "spec.replicas",
                serde: "invalid type: floating point `1.5`, expected i32",
                doc: json!({"spec": {"replicas": 1.5}}),
                want: "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
            },
            Case {
                name: "bool into string env value",
                kind: "Pod",
                path: "spec.containers[0].env[0].value",
                serde: "invalid type: boolean `true`, expected a string",
                doc: json!({"spec": {"containers": [{"env": [{"value": true}]}]}}),
                want: "json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string",
            },
        ];
        for case in &cases {
            assert_eq!(
                go_message(case.kind, case.path, case.serde, &case.doc),
                case.want,
                "case {}",
                case.name
            );
        }
    }
}
