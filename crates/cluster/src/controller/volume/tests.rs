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

fn delete(c: &mut Cluster, info: &'static KindInfo, ns: Option<&str>, name: &str) {
    c.store_mut()
        .delete(info, ns, name, &Default::default())
        .expect("delete");
    c.settle();
}

fn pv_phase(c: &Cluster, name: &str) -> String {
    match c
        .store()
        .get(kind_of::<corev1::PersistentVolume>(), None, name)
        .as_deref()
    {
        Ok(Object::PersistentVolume(v)) => v
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_default(),
        _ => "<gone>".into(),
    }
}

fn claim(c: &Cluster, name: &str) -> corev1::PersistentVolumeClaim {
    match c
        .store()
        .get(
            kind_of::<corev1::PersistentVolumeClaim>(),
            Some("default"),
            name,
        )
        .as_deref()
    {
        Ok(Object::PersistentVolumeClaim(v)) => v.clone(),
        other => panic!("{other:?}"),
    }
}

fn exec(c: &Cluster, pod: &str, script: &str) -> Vec<String> {
    for k in c.kubelets().nodes.values() {
        for w in k.workers.values() {
            if w.pod.metadata.name.as_deref() == Some(pod) {
                let mut env = w.ctrs[0].env.clone();
                return runtime::run_once(script, &mut env, c.now()).1;
            }
        }
    }
    panic!("no pod {pod}");
}

fn scheduled_message(c: &Cluster, pod: &str) -> String {
    match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), pod)
        .as_deref()
    {
        Ok(Object::Pod(p)) => p
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
            .and_then(|c| c.message.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

const PV: &str = r#"
apiVersion: v1
kind: PersistentVolume
metadata: {name: mongodb-pv}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /tmp/mongodb}
"#;

const PVC: &str = r#"
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: mongodb-pvc, namespace: default}
spec:
  resources: {requests: {storage: 1Gi}}
  accessModes: [ReadWriteOnce]
  storageClassName: ""
"#;

fn pod(name: &str, script: &str) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default}}
spec:
  containers:
  - image: busybox
    name: main
    command: ["sh", "-c", "{script}"]
    volumeMounts:
    - {{name: data, mountPath: /data/db}}
  volumes:
  - name: data
    persistentVolumeClaim: {{claimName: mongodb-pvc}}
"#
    )
}

#[test]
fn retain_lifecycle_keeps_data_and_releases_the_volume() {
    let mut c = crate::presets::minikube(1);
    // The pod waits for its claim first.
    apply(
        &mut c,
        &pod("writer", "echo persisted > /data/db/file; sleep 3600"),
    );
    c.advance(SimDuration::from_secs(2));
    assert_eq!(
        scheduled_message(&c, "writer"),
        "0/1 nodes are available: persistentvolumeclaim \"mongodb-pvc\" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.."
    );
    apply(&mut c, PVC);
    c.advance(SimDuration::from_secs(2));
    assert_eq!(
        scheduled_message(&c, "writer"),
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.."
    );
    apply(&mut c, PV);
    c.advance(SimDuration::from_secs(30));
    assert_eq!(pv_phase(&c, "mongodb-pv"), "Bound");
    let pvc = claim(&c, "mongodb-pvc");
    assert_eq!(
        pvc.spec.as_ref().and_then(|s| s.volume_name.as_deref()),
        Some("mongodb-pv")
    );
    let st = pvc.status.expect("status");
    assert_eq!(st.phase.as_deref(), Some("Bound"));
    assert_eq!(
        st.access_modes,
        Some(vec![
            "ReadWriteOnce".to_string(),
            "ReadOnlyMany".to_string()
        ])
    );
    assert_eq!(exec(&c, "writer", "cat /data/db/file"), ["persisted"]);
    // Another pod on the claim reads the same data.
    delete(&mut c, kind_of::<corev1::Pod>(), Some("default"), "writer");
    c.advance(SimDuration::from_secs(40));
    apply(&mut c, &pod("reader", "sleep 3600"));
    c.advance(SimDuration::from_secs(20));
    assert_eq!(exec(&c, "reader", "cat /data/db/file"), ["persisted"]);
    // Deleting the claim releases the volume and keeps it Released.
    delete(&mut c, kind_of::<corev1::Pod>(), Some("default"), "reader");
    c.advance(SimDuration::from_secs(40));
    delete(
        &mut c,
        kind_of::<corev1::PersistentVolumeClaim>(),
        Some("default"),
        "mongodb-pvc",
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(pv_phase(&c, "mongodb-pv"), "Released");
    // A new claim does not get a Released volume.
    apply(&mut c, PVC);
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        claim(&c, "mongodb-pvc").status.and_then(|s| s.phase),
        Some("Pending".to_string())
    );
}

#[test]
fn default_class_provisions_and_delete_policy_removes_the_volume() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: mongodb-pvc2, namespace: default}
spec:
  resources: {requests: {storage: 100Mi}}
  accessModes: [ReadWriteOnce]
"#,
    );
    c.advance(SimDuration::from_secs(5));
    let pvc = claim(&c, "mongodb-pvc2");
    let spec = pvc.spec.clone().expect("spec");
    assert_eq!(spec.storage_class_name.as_deref(), Some("standard"));
    let uid = pvc.metadata.uid.clone().expect("uid");
    let pv_name = format!("pvc-{uid}");
    assert_eq!(spec.volume_name.as_deref(), Some(pv_name.as_str()));
    assert_eq!(pv_phase(&c, &pv_name), "Bound");
    delete(
        &mut c,
        kind_of::<corev1::PersistentVolumeClaim>(),
        Some("default"),
        "mongodb-pvc2",
    );
    c.advance(SimDuration::from_secs(5));
    assert_eq!(pv_phase(&c, &pv_name), "<gone>");
}

#[test]
fn wait_for_first_consumer_binds_after_scheduling() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: late}
provisioner: k8s.io/minikube-hostpath
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: mongodb-pvc, namespace: default}
spec:
  storageClassName: late
  resources: {requests: {storage: 100Mi}}
  accessModes: [ReadWriteOnce]
"#,
    );
    c.advance(SimDuration::from_secs(20));
    assert_eq!(
        claim(&c, "mongodb-pvc").status.and_then(|s| s.phase),
        Some("Pending".to_string())
    );
    apply(&mut c, &pod("consumer", "echo hi > /data/db/x; sleep 3600"));
    c.advance(SimDuration::from_secs(30));
    assert_eq!(
        claim(&c, "mongodb-pvc").status.and_then(|s| s.phase),
        Some("Bound".to_string())
    );
    assert_eq!(exec(&c, "consumer", "cat /data/db/x"), ["hi"]);
}

#[test]
fn best_match_is_the_smallest_fitting_volume() {
    let pv = |name: &str, size: &str, class: &str| corev1::PersistentVolume {
        metadata: metav1::ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        },
        spec: Some(corev1::PersistentVolumeSpec {
            capacity: Some(
                [(
                    "storage".to_string(),
                    k8s_openapi::apimachinery::pkg::api::resource::Quantity(size.into()),
                )]
                .into(),
            ),
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: Some(class.into()),
            ..Default::default()
        }),
        status: Some(corev1::PersistentVolumeStatus {
            phase: Some("Available".into()),
            ..Default::default()
        }),
    };
    let vols = [
        pv("big", "10Gi", ""),
        pv("small", "500Mi", ""),
        pv("fit", "2Gi", ""),
        pv("other-class", "1Gi", "fast"),
    ];
    let claim = |size: &str| corev1::PersistentVolumeClaim {
        metadata: metav1::ObjectMeta {
            name: Some("c".into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(corev1::PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            storage_class_name: Some(String::new()),
            resources: Some(corev1::VolumeResourceRequirements {
                requests: Some(
                    [(
                        "storage".to_string(),
                        k8s_openapi::apimachinery::pkg::api::resource::Quantity(size.into()),
                    )]
                    .into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }),
        status: None,
    };
    let name = |size: &str| find_best_match(&claim(size), &vols).and_then(|v| v.metadata.name);
    assert_eq!(name("1Gi").as_deref(), Some("fit"));
    assert_eq!(name("100Mi").as_deref(), Some("small"));
    assert_eq!(name("20Gi"), None);
}

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

#[test]
fn a_claim_in_use_stays_terminating_until_its_pod_is_gone() {
    let mut c = crate::presets::minikube(1);
    apply(&mut c, PV);
    apply(&mut c, PVC);
    apply(&mut c, &pod("user", "sleep 3600"));
    c.advance(SimDuration::from_secs(20));
    delete(
        &mut c,
        kind_of::<corev1::PersistentVolumeClaim>(),
        Some("default"),
        "mongodb-pvc",
    );
    c.advance(SimDuration::from_secs(10));
    let pvc = claim(&c, "mongodb-pvc");
    assert!(pvc.metadata.deletion_timestamp.is_some());
    assert_eq!(
        pvc.metadata.finalizers,
        Some(vec!["kubernetes.io/pvc-protection".to_string()])
    );
    assert_eq!(pv_phase(&c, "mongodb-pv"), "Bound");
    delete(&mut c, kind_of::<corev1::Pod>(), Some("default"), "user");
    c.advance(SimDuration::from_secs(40));
    assert!(
        c.store()
            .get(
                kind_of::<corev1::PersistentVolumeClaim>(),
                Some("default"),
                "mongodb-pvc"
            )
            .is_err()
    );
    assert_eq!(pv_phase(&c, "mongodb-pv"), "Released");
    delete(&mut c, kind_of::<corev1::PersistentVolume>(), None, "mongodb-pv");
    c.advance(SimDuration::from_secs(2));
    assert_eq!(pv_phase(&c, "mongodb-pv"), "<gone>");
}

/// Local volumes of a WaitForFirstConsumer class (volumebinding's `FindPodVolumes`, v1.34):
/// the filter admits only the node a free volume reaches, and the claim is bound to it.
#[test]
fn wait_for_first_consumer_binds_the_volume_of_the_pods_node() {
    let mut c = crate::presets::multinode(1);
    let local_pv = |name: &str, node: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {name}}}\nspec:\n  capacity: {{storage: 1Gi}}\n  accessModes: [ReadWriteOnce]\n  storageClassName: local\n  local: {{path: /mnt/disks/vol1}}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions: [{{key: kubernetes.io/hostname, operator: In, values: [{node}]}}]\n"
        )
    };
    let claim_yaml = |name: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  storageClassName: local\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n"
        )
    };
    let user = |name: &str, claim: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  containers: [{{name: c, image: busybox, command: [sleep, '3600']}}]\n  volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]\n"
        )
    };
    apply(
        &mut c,
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: local}\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n",
    );
    apply(&mut c, &local_pv("pv-m03", "minikube-m03"));
    apply(&mut c, &claim_yaml("data"));
    apply(&mut c, &user("app", "data"));
    c.advance(SimDuration::from_secs(5));
    let node_of = |c: &Cluster, name: &str| match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), name)
        .as_deref()
    {
        Ok(Object::Pod(p)) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
        _ => None,
    };
    assert_eq!(node_of(&c, "app").as_deref(), Some("minikube-m03"));
    let bound_to = |c: &Cluster, name: &str| {
        claim(c, name)
            .spec
            .and_then(|s| s.volume_name)
            .unwrap_or_default()
    };
    assert_eq!(bound_to(&c, "data"), "pv-m03");

    // No free volume is left: every node is rejected and the pod waits.
    apply(&mut c, &claim_yaml("data2"));
    apply(&mut c, &user("app2", "data2"));
    c.advance(SimDuration::from_secs(5));
    assert_eq!(node_of(&c, "app2"), None);
    let pod2 = match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), "app2")
        .as_deref()
    {
        Ok(Object::Pod(p)) => p.clone(),
        other => panic!("{other:?}"),
    };
    let labels = BTreeMap::new();
    let conflicts = binding::node_conflicts(
        &pod2,
        c.store(),
        ["minikube", "minikube-m02"].into_iter().map(|n| (n, &labels)),
    );
    assert_eq!(
        conflicts.get("minikube").map(Vec::as_slice),
        Some(&[binding::ERR_BIND_CONFLICT][..])
    );

    // A volume on minikube-m02 places it there.
    apply(&mut c, &local_pv("pv-m02", "minikube-m02"));
    c.advance(SimDuration::from_secs(5));
    assert_eq!(node_of(&c, "app2").as_deref(), Some("minikube-m02"));
    assert_eq!(bound_to(&c, "data2"), "pv-m02");
}
