use api::Object;

use super::*;
use crate::apiserver::CreateOptions;
use crate::kubelet::runtime;
use crate::sim::Cluster;

fn apply(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "test.yaml") {
        let d = d.expect("decode");
        c.store_mut()
            .create(None, d.object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

/// Runs `script` in a container as `kubectl exec` would: its output lines.
fn exec(c: &Cluster, pod: &str, container: &str, script: &str) -> Vec<String> {
    for k in c.kubelets().nodes.values() {
        for w in k.workers.values() {
            if w.pod.metadata.name.as_deref() == Some(pod) {
                let ctr = w
                    .ctrs
                    .iter()
                    .find(|x| x.spec.name == container)
                    .expect("container");
                let mut env = ctr.env.clone();
                return runtime::run_once(script, &mut env, c.now()).1;
            }
        }
    }
    panic!("no pod {pod}");
}

fn update_config_map(c: &mut Cluster, name: &str, key: &str, value: &str) {
    let obj = c
        .store()
        .get(kind_of::<corev1::ConfigMap>(), Some("default"), name)
        .expect("cm");
    let Object::ConfigMap(mut cm) = (*obj).clone() else {
        unreachable!()
    };
    cm.data
        .get_or_insert_with(Default::default)
        .insert(key.into(), value.into());
    c.store_mut()
        .update(Some("default"), Object::ConfigMap(cm), &Default::default())
        .expect("update");
    c.settle();
}

#[test]
fn empty_dir_is_shared_by_fortune_and_nginx() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: fortune, namespace: default}
spec:
  containers:
  - image: luksa/fortune
    name: html-generator
    volumeMounts:
    - {name: html, mountPath: /var/htdocs}
  - image: nginx:alpine
    name: web-server
    volumeMounts:
    - {name: html, mountPath: /usr/share/nginx/html, readOnly: true}
  volumes:
  - name: html
    emptyDir: {}
"#,
    );
    c.advance(SimDuration::from_secs(60));
    let page = exec(
        &c,
        "fortune",
        "web-server",
        "cat /usr/share/nginx/html/index.html",
    );
    assert!(!page.is_empty(), "{page:?}");
    assert_eq!(
        exec(
            &c,
            "fortune",
            "html-generator",
            "cat /var/htdocs/index.html"
        ),
        page
    );
    assert_eq!(
        exec(&c, "fortune", "web-server", "touch /usr/share/nginx/html/x"),
        ["touch: /usr/share/nginx/html/x: Read-only file system"]
    );
    assert_eq!(
        exec(&c, "fortune", "web-server", "ls /usr/share/nginx/html"),
        ["index.html"]
    );
}

#[test]
fn config_map_files_update_after_sync_but_env_and_sub_path_do_not() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: fortune-config, namespace: default}
data: {sleep-interval: "25", my-nginx-config.conf: "server {}\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: cfg, namespace: default}
spec:
  containers:
  - image: busybox
    name: main
    command: ["sleep", "3600"]
    env:
    - name: INTERVAL
      valueFrom: {configMapKeyRef: {name: fortune-config, key: sleep-interval}}
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: config, mountPath: /etc/single/interval, subPath: sleep-interval}
    - {name: items, mountPath: /etc/nginx/conf.d}
  volumes:
  - name: config
    configMap: {name: fortune-config}
  - name: items
    configMap:
      name: fortune-config
      items: [{key: my-nginx-config.conf, path: gzip.conf}]
"#,
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        exec(&c, "cfg", "main", "ls /etc/config"),
        ["my-nginx-config.conf", "sleep-interval"]
    );
    assert_eq!(
        exec(&c, "cfg", "main", "ls /etc/nginx/conf.d"),
        ["gzip.conf"]
    );
    assert_eq!(
        exec(&c, "cfg", "main", "cat /etc/config/sleep-interval"),
        ["25"]
    );
    update_config_map(&mut c, "fortune-config", "sleep-interval", "50");
    c.advance(SimDuration::from_secs(5));
    assert_eq!(
        exec(&c, "cfg", "main", "cat /etc/config/sleep-interval"),
        ["25"]
    );
    c.advance(SimDuration::from_secs(60));
    assert_eq!(
        exec(&c, "cfg", "main", "cat /etc/config/sleep-interval"),
        ["50"]
    );
    assert_eq!(exec(&c, "cfg", "main", "cat /etc/single/interval"), ["25"]);
    assert_eq!(exec(&c, "cfg", "main", "echo $INTERVAL"), ["25"]);
}

#[test]
fn secret_files_are_decoded_and_missing_secrets_fail_the_mount() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: sec, namespace: default}
spec:
  containers:
  - image: busybox
    name: main
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: creds, mountPath: /etc/secrets, readOnly: true}
  volumes:
  - name: creds
    secret: {secretName: mysecret}
"#,
    );
    c.advance(SimDuration::from_secs(5));
    let failed: Vec<String> = c
        .list(kind_of::<corev1::Event>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) if e.reason.as_deref() == Some("FailedMount") => e.message.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        failed,
        ["MountVolume.SetUp failed for volume \"creds\" : secret \"mysecret\" not found"]
    );
    apply(
        &mut c,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: mysecret, namespace: default}\ndata: {username: YWRtaW4=, password: MWYyZDFlMmU2N2Rm}\n",
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        exec(&c, "sec", "main", "ls /etc/secrets"),
        ["password", "username"]
    );
    assert_eq!(
        exec(&c, "sec", "main", "cat /etc/secrets/username"),
        ["admin"]
    );
    assert_eq!(
        exec(&c, "sec", "main", "cat /etc/secrets/password"),
        ["1f2d1e2e67df"]
    );
}

#[test]
fn host_path_outlives_the_pod_on_its_node() {
    let mut c = crate::presets::minikube(1);
    let pod = |name: &str| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default}}
spec:
  containers:
  - image: busybox
    name: main
    command: ["sh", "-c", "echo hello from {name} >> /data/log; sleep 3600"]
    volumeMounts:
    - {{name: data, mountPath: /data}}
  volumes:
  - name: data
    hostPath: {{path: /tmp/mongodb}}
"#
        )
    };
    apply(&mut c, &pod("first"));
    c.advance(SimDuration::from_secs(20));
    c.store_mut()
        .delete(
            kind_of::<corev1::Pod>(),
            Some("default"),
            "first",
            &Default::default(),
        )
        .expect("delete");
    c.advance(SimDuration::from_secs(40));
    apply(&mut c, &pod("second"));
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        exec(&c, "second", "main", "cat /data/log"),
        ["hello from first", "hello from second"]
    );
}

#[test]
fn downward_api_labels_follow_the_pod() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: dw, namespace: default, labels: {tier: web}}
spec:
  containers:
  - image: busybox
    name: main
    command: ["sleep", "3600"]
    volumeMounts:
    - {name: info, mountPath: /etc/podinfo}
  volumes:
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: name, fieldRef: {fieldPath: metadata.name}}
"#,
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        exec(&c, "dw", "main", "cat /etc/podinfo/labels"),
        ["tier=\"web\""]
    );
    let obj = c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), "dw")
        .expect("pod");
    let Object::Pod(mut p) = (*obj).clone() else {
        unreachable!()
    };
    p.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("track".into(), "stable".into());
    c.store_mut()
        .update(Some("default"), Object::Pod(p), &Default::default())
        .expect("update");
    c.advance(SimDuration::from_secs(2));
    assert_eq!(
        exec(&c, "dw", "main", "cat /etc/podinfo/labels"),
        ["tier=\"web\"", "track=\"stable\""]
    );
    assert_eq!(exec(&c, "dw", "main", "cat /etc/podinfo/name"), ["dw"]);
}

#[test]
fn service_account_credentials_are_mounted() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: sa, namespace: default}\nspec:\n  containers:\n  - {name: main, image: busybox, command: [sleep, \"3600\"]}\n",
    );
    c.advance(SimDuration::from_secs(20));
    let dir = SERVICE_ACCOUNT_MOUNT;
    assert_eq!(
        exec(&c, "sa", "main", &format!("ls {dir}")),
        ["ca.crt", "namespace", "token"]
    );
    assert_eq!(
        exec(&c, "sa", "main", &format!("cat {dir}/namespace")),
        ["default"]
    );
    let token = exec(&c, "sa", "main", &format!("cat {dir}/token")).join("");
    let user = crate::auth::token_user(&token).expect("token user");
    assert_eq!(user.name, "system:serviceaccount:default:default");
    let ca = exec(&c, "sa", "main", &format!("cat {dir}/ca.crt"));
    assert_eq!(
        ca.first().map(String::as_str),
        Some("-----BEGIN CERTIFICATE-----")
    );
}

/// The claims written by hand are the JSON serde_json writes for the same object, whatever
/// the names hold (quotes, backslashes, control characters, other scripts).
#[test]
fn token_claims_are_serde_jsons_text() {
    let names = [
        "default", "kube-system", "", "a\"b", "back\\slash", "tab\there", "nl\n", "ünï", "\u{1}",
    ];
    for (i, ns) in names.iter().enumerate() {
        for (j, sa) in names.iter().enumerate() {
            let pod = names[(i + j) % names.len()];
            let uid = names[(i * 3 + j) % names.len()];
            let want = serde_json::json!({
                "aud": ["https://kubernetes.default.svc.cluster.local"],
                "iss": "https://kubernetes.default.svc.cluster.local",
                "kubernetes.io": {
                    "namespace": ns,
                    "pod": {"name": pod, "uid": uid},
                    "serviceaccount": {"name": sa},
                },
                "sub": format!("system:serviceaccount:{ns}:{sa}"),
            })
            .to_string();
            assert_eq!(token_claims(ns, pod, uid, sa), want);
        }
    }
}

#[test]
fn equal_texts_are_one_string_and_texts_no_volume_holds_are_swept() {
    let ca = "-----BEGIN CERTIFICATE-----\n".repeat(40);
    let mut texts = Texts::default();
    let a = texts.share(&ca);
    let b = texts.share(&ca);
    assert!(Rc::ptr_eq(&a, &b));
    assert_eq!(&*a, ca);
    // Texts dropped by every volume go at the next sweep; the held one stays shared.
    for i in 0..64 {
        drop(texts.share(&format!("gone {i}")));
    }
    assert!(texts.set.len() < 64, "{}", texts.set.len());
    let c = texts.share(&ca);
    assert!(Rc::ptr_eq(&a, &c));
    assert_eq!(texts.share("gone 63").as_ref(), "gone 63");
}
