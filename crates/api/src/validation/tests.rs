use serde_json::{Value, json};

use super::*;
use crate::defaults::apply_defaults;

/// Decodes and defaults `input`, validates it, and returns kubectl's message or "ok".
fn check(input: Value) -> String {
    let mut obj = Object::from_value(input).expect("decodes");
    apply_defaults(&mut obj);
    match validate(&obj) {
        Ok(()) => "ok".to_string(),
        Err(e) => e.kubectl_message(),
    }
}

fn deployment(selector: Value, labels: Value, container: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
        "spec": {"selector": selector, "template": {"metadata": {"labels": labels},
            "spec": {"containers": [container]}}}})
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

struct Case {
    name: &'static str,
    input: Value,
    want: &'static str,
}

#[test]
fn validation_messages() {
    let c = json!({"name": "c", "image": "nginx"});
    let cases = [
        Case {
            name: "valid deployment",
            input: deployment(
                json!({"matchLabels": {"app": "web"}}),
                json!({"app": "web"}),
                c.clone(),
            ),
            want: "ok",
        },
        Case {
            name: "selector does not match",
            input: deployment(
                json!({"matchLabels": {"app": "web"}}),
                json!({"app": "api"}),
                c.clone(),
            ),
            want: "The Deployment \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"api\"}: `selector` does not match template `labels`",
        },
        Case {
            name: "missing name",
            input: json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}),
            want: "The ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required",
        },
        Case {
            name: "service name is a DNS-1035 label",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "1web"}, "spec": {"ports": [{"port": 80}]}}),
            want: "The Service \"1web\" is invalid: metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        },
        Case {
            name: "cron job name too long",
            input: json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "a".repeat(53)},
                "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [c.clone()]}}}}}}),
            want: "The CronJob \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is invalid: metadata.name: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\": must be no more than 52 characters",
        },
        Case {
            name: "several errors are listed",
            input: pod(
                json!({"containers": [{"name": "a"}, {"name": "a", "image": "x",
                "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}),
            ),
            want: "The Pod \"p\" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[1].name: Duplicate value: \"a\"\n* spec.containers[1].volumeMounts[0].name: Not found: \"data\"",
        },
        Case {
            name: "no containers",
            input: pod(json!({"containers": []})),
            want: "The Pod \"p\" is invalid: spec.containers: Required value",
        },
        Case {
            name: "requests above limits",
            input: pod(
                json!({"containers": [{"name": "a", "image": "x", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]}),
            ),
            want: "The Pod \"p\" is invalid: spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
        },
        Case {
            name: "bad restart policy",
            input: pod(json!({"restartPolicy": "Sometimes", "containers": [c.clone()]})),
            want: "The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
        },
        Case {
            name: "deployment restart policy",
            input: json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"restartPolicy": "Never", "containers": [c.clone()]}}}}),
            want: "The Deployment \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
        },
        Case {
            name: "job restart policy",
            input: json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"containers": [c.clone()]}}}}),
            want: "The Job \"j\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        },
        Case {
            name: "negative replicas",
            input: json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
                "spec": {"replicas": -1, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [c.clone()]}}}}),
            want: "The ReplicaSet \"rs\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        },
        Case {
            name: "bad label value",
            input: json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"app": "a b"}}}),
            want: "The ConfigMap \"c\" is invalid: metadata.labels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        },
        Case {
            name: "rc selector from template is valid",
            input: json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "kubia"},
                "spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "kubia"}}, "spec": {"containers": [c.clone()]}}}}),
            want: "ok",
        },
        Case {
            name: "service port out of range",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 70000}]}}),
            want: "The Service \"s\" is invalid: \n* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        },
        Case {
            name: "ClientIP affinity timeout above a day",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 86401}},
                    "ports": [{"port": 80}]}}),
            want: "The Service \"web\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400",
        },
        Case {
            name: "ClientIP affinity timeout zero",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}},
                    "ports": [{"port": 80}]}}),
            want: "The Service \"web\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400",
        },
        Case {
            name: "ClientIP affinity timeout defaulted",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"sessionAffinity": "ClientIP", "ports": [{"port": 80}]}}),
            want: "ok",
        },
        Case {
            name: "topology-mode and topology-aware-hints annotations disagree",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "annotations": {
                    "service.kubernetes.io/topology-mode": "Auto", "service.kubernetes.io/topology-aware-hints": "disabled"}},
                "spec": {"ports": [{"port": 80}]}}),
            want: "The Service \"web\" is invalid: metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: \"Auto\": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified",
        },
        Case {
            name: "topology-mode and topology-aware-hints annotations agree",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "annotations": {
                    "service.kubernetes.io/topology-mode": "Auto", "service.kubernetes.io/topology-aware-hints": "Auto"}},
                "spec": {"ports": [{"port": 80}]}}),
            want: "ok",
        },
        Case {
            name: "unknown traffic distribution",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"trafficDistribution": "PreferSameRegion", "ports": [{"port": 80}]}}),
            want: "The Service \"web\" is invalid: spec.trafficDistribution: Unsupported value: \"PreferSameRegion\": supported values: \"PreferClose\", \"PreferSameZone\", \"PreferSameNode\"",
        },
        Case {
            name: "traffic distribution values of the PreferSameTrafficDistribution gate",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"trafficDistribution": "PreferSameNode", "ports": [{"port": 80}]}}),
            want: "ok",
        },
        Case {
            name: "affinity config without ClientIP",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                "spec": {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}, "ports": [{"port": 80}]}}),
            want: "The Service \"web\" is invalid: spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None",
        },
        Case {
            name: "container port",
            input: pod(
                json!({"containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 0, "name": "http_1"}]}]}),
            ),
            want: "The Pod \"p\" is invalid: \n* spec.containers[0].ports[0].name: Invalid value: \"http_1\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)\n* spec.containers[0].ports[0].containerPort: Required value",
        },
    ];
    for case in cases {
        assert_eq!(check(case.input), case.want, "case {}", case.name);
    }
}

#[test]
fn server_message_and_update_rules() {
    let c = json!({"name": "c", "image": "nginx"});
    let mut old = Object::from_value(deployment(
        json!({"matchLabels": {"app": "web"}}),
        json!({"app": "web"}),
        c.clone(),
    ))
    .expect("old");
    apply_defaults(&mut old);
    let mut new = Object::from_value(deployment(
        json!({"matchLabels": {"app": "v2"}}),
        json!({"app": "v2"}),
        c,
    ))
    .expect("new");
    apply_defaults(&mut new);
    let err = validate_update(&old, &new).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"v2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
    assert!(validate_update(&old, &old).is_ok());
}

/// kubectl's message for an update from `old` to `new` (both converted and defaulted as the
/// store does), or "ok".
fn check_update(old: Value, new: Value) -> String {
    let prepare = |v: Value| {
        let mut obj = Object::from_value(v).expect("decodes");
        crate::conversion::to_stored(&mut obj);
        apply_defaults(&mut obj);
        obj
    };
    match validate_update(&prepare(old), &prepare(new)) {
        Ok(()) => "ok".to_string(),
        Err(e) => e.kubectl_message(),
    }
}

struct UpdateCase {
    name: &'static str,
    old: Value,
    new: Value,
    want: &'static str,
}

// Mirrors the immutable cases of TestValidateConfigMapUpdate and TestValidateSecretUpdate in
// pkg/apis/core/validation/validation_test.go (v1.34).
#[test]
fn immutable_config_maps_and_secrets() {
    let cm = |immutable: Option<bool>, data: Value| {
        let mut v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": data});
        if let Some(i) = immutable {
            v["immutable"] = json!(i);
        }
        v
    };
    let secret = |immutable: Option<bool>, extra: Value| {
        let mut v = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}});
        if let Some(i) = immutable {
            v["immutable"] = json!(i);
        }
        for (k, x) in extra.as_object().into_iter().flatten() {
            v[k] = x.clone();
        }
        v
    };
    let cases = [
        UpdateCase {
            name: "mutable configmap data changes",
            old: cm(None, json!({"a": "1"})),
            new: cm(None, json!({"a": "2"})),
            want: "ok",
        },
        UpdateCase {
            name: "configmap made immutable",
            old: cm(None, json!({"a": "1"})),
            new: cm(Some(true), json!({"a": "1"})),
            want: "ok",
        },
        UpdateCase {
            name: "immutable configmap unchanged",
            old: cm(Some(true), json!({"a": "1"})),
            new: cm(Some(true), json!({"a": "1"})),
            want: "ok",
        },
        UpdateCase {
            name: "immutable configmap data changes",
            old: cm(Some(true), json!({"a": "1"})),
            new: cm(Some(true), json!({"a": "2"})),
            want: "The ConfigMap \"cfg\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "immutable configmap binaryData added",
            old: cm(Some(true), json!({"a": "1"})),
            new: {
                let mut v = cm(Some(true), json!({"a": "1"}));
                v["binaryData"] = json!({"b": "Yg=="});
                v
            },
            want: "The ConfigMap \"cfg\" is invalid: binaryData: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "immutable configmap flipped back",
            old: cm(Some(true), json!({"a": "1"})),
            new: cm(Some(false), json!({"a": "1"})),
            want: "The ConfigMap \"cfg\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "immutable configmap flag dropped and data changed",
            old: cm(Some(true), json!({"a": "1"})),
            new: cm(None, json!({"a": "2"})),
            want: "The ConfigMap \"cfg\" is invalid: \n* immutable: Forbidden: field is immutable when `immutable` is set\n* data: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "immutable secret stringData changes data",
            old: secret(Some(true), json!({"stringData": {"user": "admin"}})),
            new: secret(Some(true), json!({"stringData": {"user": "root"}})),
            want: "The Secret \"creds\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "immutable secret stringData equal to data",
            old: secret(Some(true), json!({"data": {"user": "YWRtaW4="}})),
            new: secret(Some(true), json!({"stringData": {"user": "admin"}})),
            want: "ok",
        },
        UpdateCase {
            name: "immutable secret flipped back",
            old: secret(Some(true), json!({"data": {"user": "YWRtaW4="}})),
            new: secret(Some(false), json!({"data": {"user": "YWRtaW4="}})),
            want: "The Secret \"creds\" is invalid: immutable: Forbidden: field is immutable when `immutable` is set",
        },
        UpdateCase {
            name: "secret type changes",
            old: secret(None, json!({"data": {"user": "YWRtaW4="}})),
            new: secret(
                None,
                json!({"type": "example.com/other", "data": {"user": "YWRtaW4="}}),
            ),
            want: "The Secret \"creds\" is invalid: type: Invalid value: \"example.com/other\": field is immutable",
        },
    ];
    for case in cases {
        assert_eq!(
            check_update(case.old, case.new),
            case.want,
            "case {}",
            case.name
        );
    }
}

fn job_with(spec: Value, restart: &str) -> Value {
    let mut spec = spec;
    spec["template"] = json!({"spec": {"restartPolicy": restart,
        "containers": [{"name": "main", "image": "busybox"}]}});
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": spec})
}

// Mirrors TestValidateJob's podFailurePolicy and successPolicy cases in
// pkg/apis/batch/validation/validation_test.go (v1.34).
#[test]
fn job_policy_messages() {
    let cases = [
        Case {
            name: "valid pod failure policy",
            input: job_with(
                json!({"podFailurePolicy": {"rules": [
                    {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [1, 42]}},
                    {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}),
                "Never",
            ),
            want: "ok",
        },
        Case {
            name: "restartPolicy OnFailure with a pod failure policy",
            input: job_with(
                json!({"podFailurePolicy": {"rules": [
                    {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [0]}}]}}),
                "OnFailure",
            ),
            want: "The Job \"j\" is invalid: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
        },
        Case {
            name: "rule errors",
            input: job_with(
                json!({"podFailurePolicy": {"rules": [
                    {"action": "Restart", "onExitCodes": {"containerName": "other", "operator": "In", "values": [0, 3, 3, 1]}},
                    {"action": "FailIndex", "onPodConditions": [{"type": "Bad Type", "status": "Maybe"}]},
                    {"action": ""}]}}),
                "Never",
            ),
            want: "The Job \"j\" is invalid: \n\
* spec.podFailurePolicy.rules[0].action: Unsupported value: \"Restart\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"\n\
* spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"other\": must be one of the container or initContainer names in the pod template\n\
* spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator\n\
* spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3\n\
* spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 1}: must be ordered\n\
* spec.podFailurePolicy.rules[1].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set\n\
* spec.podFailurePolicy.rules[1].onPodConditions[0].type: Invalid value: \"Bad Type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n\
* spec.podFailurePolicy.rules[1].onPodConditions[0].status: Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\"\n\
* spec.podFailurePolicy.rules[2].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]\n\
* spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
        },
        Case {
            name: "success policy on a NonIndexed job",
            input: job_with(json!({"successPolicy": {"rules": [{"succeededCount": 1}]}}), "Never"),
            want: "The Job \"j\" is invalid: spec.successPolicy: Invalid value: batch.SuccessPolicy{...}: requires indexed completion mode",
        },
        Case {
            name: "success policy rules",
            input: job_with(
                json!({"completionMode": "Indexed", "completions": 5, "successPolicy": {"rules": [
                    {"succeededIndexes": "0-2,4", "succeededCount": 6},
                    {"succeededIndexes": "3,1"},
                    {}]}}),
                "Never",
            ),
            want: "The Job \"j\" is invalid: \n\
* spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)\n\
* spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 4 (the number of indexes in the specified succeededIndexes field)\n\
* spec.successPolicy.rules[1].succeededIndexes: Invalid value: \"3,1\": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1\n\
* spec.successPolicy.rules[2]: Required value: at least one of succeededCount or succeededIndexes must be specified",
        },
    ];
    for c in cases {
        assert_eq!(check(c.input), c.want, "{}", c.name);
    }
}

fn hpa(spec: Value) -> Value {
    json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"}, "spec": spec})
}

/// pkg/apis/autoscaling/validation/validation.go (v1.34) messages, as kubectl prints them.
#[test]
fn horizontal_pod_autoscaler_messages() {
    let target = json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"});
    let cases = [
        Case {
            name: "valid, defaulted to a cpu target",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 3})),
            want: "ok",
        },
        Case {
            name: "replica bounds",
            input: hpa(json!({"scaleTargetRef": target, "minReplicas": 0, "maxReplicas": 0})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.minReplicas: Invalid value: 0: must be greater than or equal to 1\n\
                   * spec.maxReplicas: Invalid value: 0: must be greater than 0\n\
                   * spec.metrics: Forbidden: must specify at least one Object or External \
                   metric to support scaling to zero replicas",
        },
        Case {
            name: "max below min",
            input: hpa(json!({"scaleTargetRef": target, "minReplicas": 5, "maxReplicas": 2})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: spec.maxReplicas: Invalid \
                   value: 2: must be greater than or equal to `minReplicas`",
        },
        Case {
            name: "scale target reference",
            input: hpa(json!({"scaleTargetRef": {"name": "a/b"}, "maxReplicas": 1})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.scaleTargetRef.kind: Required value\n\
                   * spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
        },
        Case {
            name: "resource target with neither utilization nor value",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization"}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \
                   spec.metrics[0].resource.target.averageUtilization: Required value: \
                   must set either a target raw value or a target utilization",
        },
        Case {
            name: "resource target with both, a zero utilization and a bad type",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "Resource", "resource": {"name": "memory", "target":
                    {"type": "Percent", "averageUtilization": 0, "averageValue": "-1"}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be \
                   either Utilization, Value, or AverageValue\n\
                   * spec.metrics[0].resource.target.averageValue: Invalid value: \
                   resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, \
                   d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"-1\", Format:\"DecimalSI\"}: \
                   must be positive\n\
                   * spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must \
                   be greater than 0\n\
                   * spec.metrics[0].resource.target.averageValue: Forbidden: may not set both \
                   a target raw value and a target utilization",
        },
        Case {
            name: "type without its source, and a second source",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "Pods", "resource": {"name": "cpu", "target":
                    {"type": "Utilization", "averageUtilization": 50}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \
                   spec.metrics[0].pods: Required value: must populate information for the \
                   given metric source",
        },
        Case {
            name: "unknown metric type and two sources",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "Cpu",
                 "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "1"}},
                 "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.metrics[0].type: Unsupported value: \"Cpu\": supported values: \
                   \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"\n\
                   * spec.metrics[0].pods: Forbidden: must populate the given metric source only\n\
                   * spec.metrics[0].resource: Forbidden: must populate the given metric source only",
        },
        Case {
            name: "missing metric type",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "", "pods": {"metric": {"name": "rps"}, "target": {"type": "Value"}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.metrics[0].type: Required value: must specify a metric source type\n\
                   * spec.metrics[0].type: Unsupported value: \"\": supported values: \
                   \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"\n\
                   * spec.metrics[0].pods.target.averageValue: Required value: must specify a \
                   positive target averageValue",
        },
        Case {
            name: "object and external sources",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "Object", "object": {"metric": {"name": ""},
                    "describedObject": {"kind": "Ingress", "name": "main"},
                    "target": {"type": "Value"}}},
                {"type": "External", "external": {"metric": {"name": "queue"},
                    "target": {"type": "Value", "value": "0", "averageValue": "2"}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.metrics[0].object.metric.name: Required value: must specify a metric name\n\
                   * spec.metrics[0].object.target.averageValue: Required value: must set either \
                   a target value or averageValue\n\
                   * spec.metrics[1].external.target.value: Invalid value: \
                   resource.Quantity{i:resource.int64Amount{value:0, scale:0}, \
                   d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"0\", Format:\"DecimalSI\"}: \
                   must be positive\n\
                   * spec.metrics[1].external.target.value: Forbidden: may not set both a \
                   target value for metric and a per-pod target",
        },
        Case {
            name: "container resource",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "metrics": [
                {"type": "ContainerResource", "containerResource": {"name": "gpu",
                    "container": "App", "target": {"type": "Utilization", "averageUtilization": 60}}}]})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.metrics[0].containerResource.name: Invalid value: \"gpu\": must be a \
                   standard resource for containers\n\
                   * spec.metrics[0].containerResource.container: Invalid value: \"App\": a \
                   lowercase RFC 1123 label must consist of lower case alphanumeric characters \
                   or '-', and must start and end with an alphanumeric character (e.g. \
                   'my-name',  or '123-abc', regex used for validation is \
                   '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        },
        Case {
            name: "behavior",
            input: hpa(json!({"scaleTargetRef": target, "maxReplicas": 2, "behavior": {
                "scaleUp": {"stabilizationWindowSeconds": 3601, "selectPolicy": "Fastest",
                    "policies": [{"type": "Count", "value": 0, "periodSeconds": 1801}]},
                "scaleDown": {"stabilizationWindowSeconds": -1, "policies": []}}})),
            want: "The HorizontalPodAutoscaler \"web\" is invalid: \n\
                   * spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must \
                   be less than or equal to 3600\n\
                   * spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Fastest\": supported \
                   values: \"Disabled\", \"Max\", \"Min\"\n\
                   * spec.behavior.scaleUp.policies[0].type: Unsupported value: \"Count\": \
                   supported values: \"Percent\", \"Pods\"\n\
                   * spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater \
                   than zero\n\
                   * spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must \
                   be less than or equal to 1800\n\
                   * spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must \
                   be greater than or equal to zero\n\
                   * spec.behavior.scaleDown.policies: Required value: must specify at least one \
                   Policy",
        },
    ];
    for c in cases {
        assert_eq!(check(c.input), c.want, "{}", c.name);
    }
}

/// An HPA stored with minReplicas 0 (before the gate was turned off) may keep it on update.
#[test]
fn horizontal_pod_autoscaler_update_keeps_scale_to_zero() {
    let spec = |min: i32| {
        json!({"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": min,
            "maxReplicas": 2, "metrics": [{"type": "External", "external": {
                "metric": {"name": "queue"}, "target": {"type": "Value", "value": "5"}}}]})
    };
    let decode = |v: Value| {
        let mut o = Object::from_value(v).expect("decodes");
        apply_defaults(&mut o);
        o
    };
    let zero = decode(hpa(spec(0)));
    let one = decode(hpa(spec(1)));
    assert!(validate(&zero).is_err());
    assert!(validate_update(&zero, &zero).is_ok());
    let err = validate_update(&one, &zero).expect_err("1 → 0 is refused");
    assert_eq!(
        err.kubectl_message(),
        "The HorizontalPodAutoscaler \"web\" is invalid: spec.minReplicas: Invalid value: 0: \
         must be greater than or equal to 1"
    );
}

// ValidatePodUpdate's tolerations rule (validateOnlyAddedTolerations, pkg/apis/core/validation,
// v1.34): additions and tolerationSeconds changes pass, anything else is refused.
#[test]
fn pod_update_tolerations_only_grow() {
    let with = |tolerations: Value| {
        pod(json!({"containers": [{"name": "c", "image": "nginx"}], "tolerations": tolerations}))
    };
    let dedicated = |seconds: Value| {
        let mut t = json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"});
        if !seconds.is_null() {
            t["tolerationSeconds"] = seconds;
        }
        t
    };
    let other = json!({"key": "other", "operator": "Exists", "effect": "NoSchedule"});
    let refused = "The Pod \"p\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds";
    let cases = [
        UpdateCase {
            name: "tolerationSeconds set",
            old: with(json!([dedicated(Value::Null)])),
            new: with(json!([dedicated(json!(30))])),
            want: "ok",
        },
        UpdateCase {
            name: "tolerationSeconds dropped",
            old: with(json!([dedicated(json!(600))])),
            new: with(json!([dedicated(Value::Null)])),
            want: "ok",
        },
        UpdateCase {
            name: "toleration added",
            old: with(json!([dedicated(Value::Null)])),
            new: with(json!([dedicated(Value::Null), other.clone()])),
            want: "ok",
        },
        UpdateCase {
            name: "toleration removed",
            old: with(json!([dedicated(Value::Null), other.clone()])),
            new: with(json!([dedicated(Value::Null)])),
            want: refused,
        },
        UpdateCase {
            name: "effect changed",
            old: with(json!([dedicated(Value::Null)])),
            new: with(json!([{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}])),
            want: refused,
        },
    ];
    for case in cases {
        assert_eq!(
            check_update(case.old, case.new),
            case.want,
            "case {}",
            case.name
        );
    }
}
