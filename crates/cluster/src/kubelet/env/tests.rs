use super::*;
use crate::apiserver::CreateOptions;
use crate::sim::Cluster;
use crate::time::SimDuration;

fn apply(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "test.yaml") {
        let d = d.expect("decode");
        c.store_mut()
            .create(None, d.object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

fn logs(c: &Cluster, pod: &str) -> Vec<String> {
    c.kubelets()
        .logs("default", pod, None, false)
        .unwrap_or_default()
}

/// (reason, message) of the first container's waiting state, or "Running".
fn state(c: &Cluster, pod: &str) -> (String, String) {
    let obj = c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), pod)
        .expect("pod");
    let Object::Pod(p) = &*obj else {
        unreachable!()
    };
    let st = p
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|s| s.first())
        .and_then(|s| s.state.clone())
        .unwrap_or_default();
    match (st.waiting, st.running) {
        (Some(w), _) => (w.reason.unwrap_or_default(), w.message.unwrap_or_default()),
        (_, Some(_)) => ("Running".into(), String::new()),
        _ => (String::new(), String::new()),
    }
}

fn events(c: &Cluster, reason: &str) -> Vec<String> {
    c.list(kind_of::<corev1::Event>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) if e.reason.as_deref() == Some(reason) => e.message.clone(),
            _ => None,
        })
        .collect()
}

#[test]
fn expansion_follows_upstream_cases() {
    // Cases from third_party/forked/golang/expansion/expand_test.go (v1.34).
    let vars = |name: &str| match name {
        "VAR_A" => Some("A".to_string()),
        "VAR_B" => Some("B".to_string()),
        "VAR_EMPTY" => Some(String::new()),
        _ => None,
    };
    let cases = [
        ("$(VAR_A)", "A"),
        ("___$(VAR_B)___", "___B___"),
        ("$(VAR_A)-$(VAR_A)", "A-A"),
        ("foo$(VAR_EMPTY)bar", "foobar"),
        ("$(VAR_DNE)", "$(VAR_DNE)"),
        ("$$(VAR_A)", "$(VAR_A)"),
        ("$$$(VAR_A)", "$A"),
        ("$(VAR_A", "$(VAR_A"),
        ("$VAR_A", "$VAR_A"),
        ("foo$", "foo$"),
        ("$()", "$()"),
    ];
    for (input, want) in cases {
        assert_eq!(expand(input, &vars), want, "input {input}");
    }
}

#[test]
fn relaxed_names() {
    for (name, ok) in [
        ("A", true),
        ("my-key.conf", true),
        ("1abc", true),
        ("a=b", false),
        ("", false),
        ("tab\there", false),
    ] {
        assert_eq!(is_relaxed_env_var_name(name), ok, "{name:?}");
    }
}

#[test]
fn env_sources_reach_the_container() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: default}
data: {sleep-interval: "25", mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData: {user: admin}
---
apiVersion: v1
kind: Pod
metadata: {name: envy, namespace: default, labels: {app: envy}}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo $INTERVAL $USER_NAME $POD $NODE $GREETING $CFG_mode; echo \"[$MISSING]\"; echo $(GREETING); sleep 3600"]
    envFrom:
    - prefix: CFG_
      configMapRef: {name: cfg}
    env:
    - name: INTERVAL
      valueFrom: {configMapKeyRef: {name: cfg, key: sleep-interval}}
    - name: USER_NAME
      valueFrom: {secretKeyRef: {name: creds, key: user}}
    - name: POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: GREETING
      value: "hi-$(POD)"
    - name: MISSING
      valueFrom: {configMapKeyRef: {name: cfg, key: nope, optional: true}}
"#,
    );
    c.advance(SimDuration::from_secs(30));
    assert_eq!(state(&c, "envy").0, "Running");
    assert_eq!(
        logs(&c, "envy"),
        ["25 admin envy minikube hi-envy fast", "[]", "hi-envy"]
    );
}

#[test]
fn missing_config_map_waits_then_recovers() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: waiter, namespace: default}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo interval=$INTERVAL; sleep 3600"]
    env:
    - name: INTERVAL
      valueFrom: {configMapKeyRef: {name: fortune-config, key: sleep-interval}}
"#,
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        state(&c, "waiter"),
        (
            "CreateContainerConfigError".to_string(),
            "configmap \"fortune-config\" not found".to_string()
        )
    );
    assert!(
        events(&c, "Failed")
            .iter()
            .any(|m| m == "Error: configmap \"fortune-config\" not found")
    );
    apply(
        &mut c,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fortune-config, namespace: default}\ndata: {other: x}\n",
    );
    c.advance(SimDuration::from_secs(15));
    assert_eq!(
        state(&c, "waiter").1,
        "couldn't find key sleep-interval in ConfigMap default/fortune-config"
    );
    let cm = c
        .store()
        .get(
            kind_of::<corev1::ConfigMap>(),
            Some("default"),
            "fortune-config",
        )
        .expect("cm");
    let Object::ConfigMap(mut cm) = (*cm).clone() else {
        unreachable!()
    };
    cm.data = Some([("sleep-interval".to_string(), "25".to_string())].into());
    c.store_mut()
        .update(Some("default"), Object::ConfigMap(cm), &Default::default())
        .expect("update");
    c.advance(SimDuration::from_secs(15));
    assert_eq!(state(&c, "waiter").0, "Running");
    assert_eq!(logs(&c, "waiter"), ["interval=25"]);
}

#[test]
fn service_links_follow_enable_service_links() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Service
metadata: {name: kubia, namespace: default}
spec:
  clusterIP: 10.96.100.10
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: linked, namespace: default}
spec:
  containers:
  - {name: main, image: busybox, command: ["sh", "-c", "echo port=$KUBIA_SERVICE_PORT host=$KUBERNETES_SERVICE_HOST; sleep 3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: unlinked, namespace: default}
spec:
  enableServiceLinks: false
  containers:
  - {name: main, image: busybox, command: ["sh", "-c", "echo port=$KUBIA_SERVICE_PORT host=$KUBERNETES_SERVICE_HOST; sleep 3600"]}
"#,
    );
    c.advance(SimDuration::from_secs(30));
    assert_eq!(logs(&c, "linked"), ["port=80 host=10.96.0.1"]);
    assert_eq!(logs(&c, "unlinked"), ["port= host=10.96.0.1"]);
}
