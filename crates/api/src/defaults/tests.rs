use serde_json::{Value, json};

use super::*;

/// Decodes `input` (JSON), defaults it, and compares the defaulted JSON to `want`.
fn check(name: &str, input: Value, want: Value) {
    let mut obj = Object::from_value(input).unwrap_or_else(|e| panic!("{name}: {e}"));
    apply_defaults(&mut obj);
    assert_eq!(obj.to_value(), want, "case {name}");
    let once = obj.clone();
    apply_defaults(&mut obj);
    assert_eq!(obj, once, "case {name}: defaulting is not idempotent");
}

struct Case {
    name: &'static str,
    input: Value,
    want: Value,
}

fn defaulted_container(name: &str, image: &str, policy: &str) -> Value {
    json!({"name": name, "image": image, "imagePullPolicy": policy,
           "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"})
}

fn defaulted_pod_spec(containers: Value) -> Value {
    json!({"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": true,
           "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
           "terminationGracePeriodSeconds": 30})
}

#[test]
fn defaults_per_kind() {
    let template = json!({"metadata": {"labels": {"app": "web"}},
                          "spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}});
    let defaulted_template = json!({"metadata": {"labels": {"app": "web"}},
        "spec": defaulted_pod_spec(json!([defaulted_container("c", "nginx:1.25", "IfNotPresent")]))});
    let cases = [
        Case {
            name: "pod",
            input: json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": "luksa/kubia",
                    "ports": [{"containerPort": 8080}],
                    "livenessProbe": {"httpGet": {"port": 8080}},
                    "resources": {"limits": {"cpu": "100m"}}}],
                    "volumes": [{"name": "v"}, {"name": "s", "secret": {"secretName": "x"}}]}}),
            want: json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": "luksa/kubia", "imagePullPolicy": "Always",
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "livenessProbe": {"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"},
                        "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                    "resources": {"limits": {"cpu": "100m"}, "requests": {"cpu": "100m"}},
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
                    "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "restartPolicy": "Always",
                    "schedulerName": "default-scheduler", "securityContext": {},
                    "terminationGracePeriodSeconds": 30,
                    "volumes": [{"name": "v", "emptyDir": {}},
                                {"name": "s", "secret": {"secretName": "x", "defaultMode": 420}}]}}),
        },
        Case {
            name: "deployment",
            input: json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template.clone()}}),
            want: json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": defaulted_template.clone(),
                    "replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}}),
        },
        Case {
            name: "replication controller takes selector and labels from the template",
            input: json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
                "spec": {"template": template.clone()}}),
            want: json!({"apiVersion": "v1", "kind": "ReplicationController",
                "metadata": {"name": "rc", "labels": {"app": "web"}},
                "spec": {"replicas": 1, "selector": {"app": "web"}, "template": defaulted_template.clone()}}),
        },
        Case {
            name: "daemon set",
            input: json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template.clone()}}),
            want: json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "ds"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": defaulted_template.clone(),
                    "revisionHistoryLimit": 10,
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}}),
        },
        Case {
            name: "stateful set",
            input: json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
                "spec": {"serviceName": "s", "selector": {"matchLabels": {"app": "web"}}, "template": template.clone()}}),
            want: json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
                "spec": {"serviceName": "s", "selector": {"matchLabels": {"app": "web"}}, "template": defaulted_template.clone(),
                    "replicas": 1, "revisionHistoryLimit": 10, "podManagementPolicy": "OrderedReady",
                    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
                    "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}}}),
        },
        Case {
            name: "job",
            input: json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}),
            want: json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1, "manualSelector": false,
                    "parallelism": 1, "podReplacementPolicy": "TerminatingOrFailed", "suspend": false,
                    "template": {"spec": {"containers": [defaulted_container("c", "busybox", "Always")],
                        "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "restartPolicy": "Never",
                        "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30}}}}),
        },
        Case {
            name: "job with only parallelism keeps completions unset",
            input: json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"parallelism": 3, "template": {"spec": {"containers": []}}}}),
            want: json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"backoffLimit": 6, "completionMode": "NonIndexed", "manualSelector": false,
                    "parallelism": 3, "podReplacementPolicy": "TerminatingOrFailed", "suspend": false,
                    "template": {"spec": defaulted_pod_spec(json!([]))}}}),
        },
        Case {
            name: "cron job",
            input: json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj"},
                "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}}),
            want: json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj"},
                "spec": {"schedule": "*/1 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
                    "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                    "jobTemplate": {"spec": {"template": {"spec": defaulted_pod_spec(json!([]))}}}}}),
        },
        Case {
            name: "service",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia"},
                "spec": {"selector": {"app": "kubia"}, "ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}}),
            want: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "kubia"},
                "spec": {"selector": {"app": "kubia"},
                    "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}, {"port": 443, "targetPort": 443, "protocol": "TCP"}],
                    "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                    "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}}),
        },
        Case {
            name: "load balancer service",
            input: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
                "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}}),
            want: json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
                "spec": {"ports": [{"port": 80, "targetPort": 80, "protocol": "TCP"}],
                    "type": "LoadBalancer", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                    "externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": true,
                    "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}}),
        },
        Case {
            name: "hpa v2",
            input: json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                "spec": {"maxReplicas": 5, "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"}}}),
            want: json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"},
                "spec": {"maxReplicas": 5, "minReplicas": 1,
                    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "d"},
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}}),
        },
        Case {
            name: "pvc and pv",
            input: json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"}, "spec": {}}),
            want: json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"},
                "spec": {"volumeMode": "Filesystem"}, "status": {"phase": "Pending"}}),
        },
        Case {
            name: "pv",
            input: json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"}, "spec": {}}),
            want: json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "v"},
                "spec": {"persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem"}, "status": {"phase": "Pending"}}),
        },
        Case {
            name: "namespace",
            input: json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}),
            want: json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
        },
        Case {
            name: "secret",
            input: json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}),
            want: json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": "Opaque"}),
        },
        Case {
            name: "network policy",
            input: json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"},
                "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}}),
            want: json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "n"},
                "spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53, "protocol": "TCP"}]}],
                    "policyTypes": ["Ingress", "Egress"]}}),
        },
    ];
    for case in cases {
        check(case.name, case.input, case.want);
    }
}

#[test]
fn pull_policy_from_image() {
    let cases = [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("registry:5000/nginx", "Always"),
        ("registry:5000/nginx:v2", "IfNotPresent"),
        ("nginx@sha256:abc", "IfNotPresent"),
        ("luksa/kubia:v2", "IfNotPresent"),
    ];
    for (image, want) in cases {
        assert_eq!(core::default_pull_policy(image), want, "image {image}");
    }
}
