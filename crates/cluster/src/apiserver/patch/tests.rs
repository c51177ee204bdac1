use serde_json::{Value, json};

use super::{PatchError, json as jsonpatch, merge, strategic};

#[test]
fn strategic_merge() {
    struct Case {
        name: &'static str,
        doc: Value,
        patch: Value,
        want: Value,
    }
    let cases = [
        Case {
            name: "containers merge by name",
            doc: json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]}}),
            patch: json!({"spec": {"containers": [{"name": "b", "image": "z"}, {"name": "c", "image": "w"}]}}),
            want: json!({"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "z"}, {"name": "c", "image": "w"}]}}),
        },
        Case {
            name: "delete directive",
            doc: json!({"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}),
            patch: json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}}),
            want: json!({"spec": {"containers": [{"name": "b"}]}}),
        },
        Case {
            name: "container ports by containerPort, env by name",
            doc: json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80, "name": "http"}], "env": [{"name": "X", "value": "1"}]}]}}),
            patch: json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP"}], "env": [{"name": "Y", "value": "2"}]}]}}),
            want: json!({"spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}], "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]}]}}),
        },
        Case {
            name: "service ports by port",
            doc: json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}),
            patch: json!({"spec": {"ports": [{"port": 80, "nodePort": 30080}]}}),
            want: json!({"spec": {"ports": [{"port": 80, "targetPort": 8080, "nodePort": 30080}]}}),
        },
        Case {
            name: "tolerations replace",
            doc: json!({"spec": {"tolerations": [{"key": "a"}]}}),
            patch: json!({"spec": {"tolerations": [{"key": "b"}]}}),
            want: json!({"spec": {"tolerations": [{"key": "b"}]}}),
        },
        Case {
            name: "labels null deletes, finalizers union",
            doc: json!({"metadata": {"labels": {"a": "1", "b": "2"}, "finalizers": ["x"]}}),
            patch: json!({"metadata": {"labels": {"a": null, "c": "3"}, "finalizers": ["y", "x"]}}),
            want: json!({"metadata": {"labels": {"b": "2", "c": "3"}, "finalizers": ["x", "y"]}}),
        },
        Case {
            name: "retainKeys",
            doc: json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}),
            patch: json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}),
            want: json!({"spec": {"strategy": {"type": "Recreate"}}}),
        },
        Case {
            name: "deleteFromPrimitiveList",
            doc: json!({"metadata": {"finalizers": ["a", "b"]}}),
            patch: json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}),
            want: json!({"metadata": {"finalizers": ["b"]}}),
        },
        Case {
            name: "service account secrets by name",
            doc: json!({"secrets": [{"name": "a"}]}),
            patch: json!({"secrets": [{"name": "b"}]}),
            want: json!({"secrets": [{"name": "a"}, {"name": "b"}]}),
        },
        Case {
            name: "pod and host IPs by ip",
            doc: json!({"status": {"podIPs": [{"ip": "10.244.0.5"}], "hostIPs": [{"ip": "192.168.49.2"}]}}),
            patch: json!({"status": {"podIPs": [{"ip": "fd00::5"}], "hostIPs": [{"ip": "fd00::2"}]}}),
            want: json!({"status": {"podIPs": [{"ip": "10.244.0.5"}, {"ip": "fd00::5"}],
                "hostIPs": [{"ip": "192.168.49.2"}, {"ip": "fd00::2"}]}}),
        },
        Case {
            name: "node addresses by type, pod CIDRs union",
            doc: json!({"spec": {"podCIDRs": ["10.244.0.0/24"]},
                "status": {"addresses": [{"type": "InternalIP", "address": "192.168.49.2"}]}}),
            patch: json!({"spec": {"podCIDRs": ["fd00::/64"]},
                "status": {"addresses": [{"type": "Hostname", "address": "minikube"}]}}),
            want: json!({"spec": {"podCIDRs": ["10.244.0.0/24", "fd00::/64"]},
                "status": {"addresses": [{"type": "InternalIP", "address": "192.168.49.2"},
                    {"type": "Hostname", "address": "minikube"}]}}),
        },
        Case {
            name: "endpoint slice ports replace",
            doc: json!({"ports": [{"port": 80, "name": "http"}]}),
            patch: json!({"ports": [{"port": 81}]}),
            want: json!({"ports": [{"port": 81}]}),
        },
    ];
    for case in &cases {
        let mut doc = case.doc.clone();
        strategic::apply(&mut doc, &case.patch, "Pod").expect(case.name);
        assert_eq!(doc, case.want, "case {}", case.name);
    }
}

#[test]
fn merge_patch() {
    let mut doc = json!({"a": {"b": 1, "c": [1, 2]}, "d": 1});
    merge::apply(&mut doc, &json!({"a": {"b": null, "c": [3]}, "e": "x"}));
    assert_eq!(doc, json!({"a": {"c": [3]}, "d": 1, "e": "x"}));
}

#[test]
fn json_patch() {
    struct Case {
        name: &'static str,
        patch: Value,
        want: Result<Value, PatchError>,
    }
    let doc =
        json!({"spec": {"replicas": 1, "list": ["a", "b"]}, "metadata": {"labels": {"x/y": "1"}}});
    let cases = [
        Case {
            name: "replace",
            patch: json!([{"op": "replace", "path": "/spec/replicas", "value": 3}]),
            want: Ok(
                json!({"spec": {"replicas": 3, "list": ["a", "b"]}, "metadata": {"labels": {"x/y": "1"}}}),
            ),
        },
        Case {
            name: "append, escaped remove",
            patch: json!([{"op": "add", "path": "/spec/list/-", "value": "c"}, {"op": "remove", "path": "/metadata/labels/x~1y"}]),
            want: Ok(
                json!({"spec": {"replicas": 1, "list": ["a", "b", "c"]}, "metadata": {"labels": {}}}),
            ),
        },
        Case {
            name: "move",
            patch: json!([{"op": "move", "from": "/spec/replicas", "path": "/spec/count"}]),
            want: Ok(
                json!({"spec": {"count": 1, "list": ["a", "b"]}, "metadata": {"labels": {"x/y": "1"}}}),
            ),
        },
        Case {
            name: "test fails",
            patch: json!([{"op": "test", "path": "/spec/replicas", "value": 2}]),
            want: Err(PatchError::TestFailed),
        },
        Case {
            name: "missing path",
            patch: json!([{"op": "remove", "path": "/spec/nope"}]),
            want: Err(PatchError::Malformed(
                "doc is missing path: \"/spec/nope\": missing value".into(),
            )),
        },
    ];
    for case in &cases {
        let mut d = doc.clone();
        let got = jsonpatch::apply(&mut d, &case.patch).map(|()| d);
        assert_eq!(got, case.want, "case {}", case.name);
    }
}
