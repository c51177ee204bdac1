use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::*;
use crate::apiserver::CreateOptions;
use crate::controller::kind_of;

fn apply(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "test.yaml") {
        let d = d.expect("decode");
        c.store_mut()
            .create(None, d.object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

const NODE: &str = r#"
apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {kubernetes.io/hostname: n1}
status:
  allocatable: {cpu: "2", memory: 4Gi, pods: "110", ephemeral-storage: 10Gi}
  capacity: {cpu: "2", memory: 4Gi, pods: "110", ephemeral-storage: 10Gi}
"#;

const RS: &str = r#"
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
"#;

fn pods(c: &Cluster) -> Vec<(String, String)> {
    c.list(kind_of::<corev1::Pod>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => Some((
                p.metadata.name.clone().unwrap_or_default(),
                p.spec
                    .as_ref()
                    .and_then(|s| s.node_name.clone())
                    .unwrap_or_default(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn replicaset_pods_are_created_and_scheduled() {
    let mut c = Cluster::new(1);
    apply(&mut c, NODE);
    apply(&mut c, RS);
    c.advance(SimDuration::from_secs(1));
    let got = pods(&c);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter()
            .all(|(n, node)| n.starts_with("web-") && node == "n1"),
        "{got:?}"
    );
}

#[test]
fn same_seed_same_dump() {
    let run = |seed| {
        let mut c = Cluster::new(seed);
        apply(&mut c, NODE);
        apply(&mut c, RS);
        c.advance(SimDuration::from_secs(30));
        c.dump()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}
