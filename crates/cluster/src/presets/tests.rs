use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::*;
use crate::controller::kind_of;
use crate::time::SimDuration;

fn pods(c: &Cluster, ns: &str) -> Vec<String> {
    c.list(kind_of::<corev1::Pod>(), Some(ns))
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => {
                let st = p.status.clone().unwrap_or_default();
                let cs = st.container_statuses.unwrap_or_default();
                let ready = cs.iter().filter(|c| c.ready).count();
                let restarts: i32 = cs.iter().map(|c| c.restart_count).sum();
                let reason = cs
                    .iter()
                    .find_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.clone())
                    .unwrap_or_else(|| st.phase.clone().unwrap_or_default());
                Some(format!(
                    "{} {}/{} {} {} {}",
                    p.metadata.name.clone().unwrap_or_default(),
                    ready,
                    cs.len(),
                    reason,
                    restarts,
                    p.spec
                        .as_ref()
                        .and_then(|s| s.node_name.clone())
                        .unwrap_or_default()
                ))
            }
            _ => None,
        })
        .collect()
}

fn events(c: &Cluster, ns: &str) -> Vec<String> {
    let mut out: Vec<((i64, u64), String)> = c
        .list(kind_of::<corev1::Event>(), Some(ns))
        .iter()
        .filter_map(|o| match &**o {
            Object::Event(e) => Some((
                (
                    e.last_timestamp
                        .as_ref()
                        .map_or(0, |t| t.0.as_millisecond()),
                    e.metadata
                        .resource_version
                        .as_deref()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0),
                ),
                format!(
                    "{} {} x{} {}",
                    e.last_timestamp
                        .as_ref()
                        .map(|t| t.0.to_string())
                        .unwrap_or_default(),
                    e.reason.clone().unwrap_or_default(),
                    e.count.unwrap_or(1),
                    e.message.clone().unwrap_or_default()
                ),
            )),
            _ => None,
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, s)| s).collect()
}

fn apply(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "t.yaml") {
        let d = d.expect("decode");
        c.store_mut()
            .create(None, d.object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

#[test]
fn minikube_comes_up() {
    let mut c = minikube(1);
    c.advance(SimDuration::from_secs(30));
    let got = pods(&c, "kube-system");
    let names: Vec<String> = got
        .iter()
        .map(|p| {
            let name = p.split(' ').next().unwrap_or_default();
            // Generated suffixes vary with the seed; the prefixes are upstream's.
            match name.rsplit_once('-') {
                Some((base, _)) if base.starts_with("coredns-") => "coredns-<rs>-<id>".into(),
                Some(("kube-proxy", _)) => "kube-proxy-<id>".into(),
                _ => name.to_string(),
            }
        })
        .collect();
    assert_eq!(
        names,
        [
            "coredns-<rs>-<id>",
            "etcd-minikube",
            "kube-apiserver-minikube",
            "kube-controller-manager-minikube",
            "kube-proxy-<id>",
            "kube-scheduler-minikube",
            "storage-provisioner",
        ],
        "{got:#?}"
    );
    assert!(
        got.iter().all(|p| p.contains(" 1/1 Running 0 minikube")),
        "{got:#?}"
    );
}

#[test]
fn static_pods_are_mirror_pods_owned_by_the_control_plane_node() {
    let c = kubeadm(2);
    let node_uid = c
        .store()
        .get(kind_of::<corev1::Node>(), None, "k8s-master")
        .expect("node")
        .meta()
        .uid
        .clone();
    for component in STATIC_COMPONENTS {
        let name = format!("{component}-k8s-master");
        let pod = c
            .store()
            .get(kind_of::<corev1::Pod>(), Some("kube-system"), &name)
            .expect("mirror pod");
        let meta = pod.meta();
        let owner = &meta.owner_references.clone().unwrap_or_default()[0];
        assert_eq!(
            (owner.kind.as_str(), owner.name.as_str(), owner.controller),
            ("Node", "k8s-master", Some(true))
        );
        assert_eq!(Some(owner.uid.clone()), node_uid);
        let ann = meta.annotations.clone().unwrap_or_default();
        assert_eq!(
            ann.get("kubernetes.io/config.source").map(String::as_str),
            Some("file")
        );
        assert_eq!(
            ann.get("kubernetes.io/config.mirror"),
            ann.get("kubernetes.io/config.hash")
        );
    }
}

#[test]
fn kubeadm_runs_two_coredns_and_a_kube_proxy_per_node() {
    let mut c = kubeadm(3);
    c.advance(SimDuration::from_secs(30));
    let got = pods(&c, "kube-system");
    let coredns: Vec<&String> = got.iter().filter(|p| p.starts_with("coredns-")).collect();
    assert_eq!(coredns.len(), 2, "{got:#?}");
    // The preferred anti-affinity spreads them over the two workers.
    assert!(coredns.iter().any(|p| p.ends_with("k8s-slave1")), "{got:#?}");
    assert!(coredns.iter().any(|p| p.ends_with("k8s-slave2")), "{got:#?}");
    for node in ["k8s-master", "k8s-slave1", "k8s-slave2"] {
        let proxies = got
            .iter()
            .filter(|p| p.starts_with("kube-proxy-") && p.ends_with(&format!("Running 0 {node}")))
            .count();
        assert_eq!(proxies, 1, "{node}: {got:#?}");
    }
    assert!(!got.iter().any(|p| p.starts_with("storage-provisioner")));
    // kube-proxy runs with the node's address (hostNetwork).
    for o in c.list(kind_of::<corev1::Pod>(), Some("kube-system")) {
        let Object::Pod(p) = &*o else { continue };
        if p.metadata.name.as_deref().is_some_and(|n| n.starts_with("kube-proxy-")) {
            let st = p.status.clone().unwrap_or_default();
            assert_eq!(st.pod_ip, st.host_ip);
        }
    }
    // A node added later gets its kube-proxy pod.
    c.add_node(
        &NodeSpec {
            name: "k8s-slave3".into(),
            ip: "172.21.51.68".into(),
            control_plane: false,
            tainted: false,
            cpu: "2".into(),
            memory: "3861300Ki".into(),
            extra_labels: Vec::new(),
        },
        3,
    );
    c.advance(SimDuration::from_secs(30));
    let got = pods(&c, "kube-system");
    assert!(
        got.iter()
            .any(|p| p.starts_with("kube-proxy-") && p.ends_with("1/1 Running 0 k8s-slave3")),
        "{got:#?}"
    );
}

#[test]
fn multinode_and_kubeadm_names() {
    let c = multinode(1);
    let names: Vec<String> = c
        .list(kind_of::<corev1::Node>(), None)
        .iter()
        .map(|n| n.name().to_string())
        .collect();
    assert_eq!(names, ["minikube", "minikube-m02", "minikube-m03"]);
    let c = kubeadm(1);
    let names: Vec<String> = c
        .list(kind_of::<corev1::Node>(), None)
        .iter()
        .map(|n| n.name().to_string())
        .collect();
    assert_eq!(names, ["k8s-master", "k8s-slave1", "k8s-slave2"]);
}

/// `minikube start --nodes=3` enables the add-ons before the workers join, so the
/// control-plane node runs them (a bare pod like storage-provisioner is never moved).
#[test]
fn multinode_add_ons_run_on_the_control_plane() {
    let mut c = multinode(1);
    let booted = c.now();
    c.advance(SimDuration::from_secs(30));
    let got = pods(&c, "kube-system");
    for prefix in ["coredns-", "storage-provisioner"] {
        let on: Vec<&String> = got.iter().filter(|p| p.starts_with(prefix)).collect();
        assert_eq!(on.len(), 1, "{prefix}: {got:#?}");
        assert!(on[0].ends_with(" Running 0 minikube"), "{got:#?}");
    }
    for node in ["minikube", "minikube-m02", "minikube-m03"] {
        let proxies = got
            .iter()
            .filter(|p| p.starts_with("kube-proxy-") && p.ends_with(&format!("Running 0 {node}")))
            .count();
        assert_eq!(proxies, 1, "{node}: {got:#?}");
    }
    assert_eq!(c.now(), booted + SimDuration::from_secs(30));
}

const LIVENESS: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: liveness-exec, namespace: default}
spec:
  containers:
  - name: liveness
    image: busybox:1.37
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
"#;

#[test]
fn liveness_restarts_with_backoff() {
    let mut c = minikube(3);
    apply(&mut c, LIVENESS);
    c.advance(SimDuration::from_secs(600));
    let got = pods(&c, "default");
    let ev = events(&c, "default");
    assert!(
        ev.iter().any(|e| e.contains(
            "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"
        )),
        "{ev:#?}"
    );
    assert!(
        ev.iter()
            .any(|e| e.contains("Container liveness failed liveness probe, will be restarted")),
        "{ev:#?}"
    );
    assert!(
        ev.iter().any(|e| e.contains(
            "Back-off restarting failed container liveness in pod liveness-exec_default("
        )),
        "{ev:#?}"
    );
    assert!(got[0].starts_with("liveness-exec "), "{got:?}");
}

#[test]
fn unknown_image_backs_off() {
    let mut c = minikube(4);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: bad, namespace: default}\nspec:\n  containers: [{name: c, image: some-image}]\n",
    );
    c.advance(SimDuration::from_secs(5));
    let got = pods(&c, "default");
    assert_eq!(
        got,
        ["bad 0/1 ImagePullBackOff 0 minikube"],
        "{:#?}",
        events(&c, "default")
    );
    let ev = events(&c, "default");
    assert!(ev.iter().any(|e| e.contains("Failed to pull image \"some-image\": rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/some-image:latest\"")), "{ev:#?}");
}

#[test]
fn nginx_pull_and_start_events() {
    let mut c = minikube(5);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: nginx, image: nginx}]\n",
    );
    c.advance(SimDuration::from_secs(10));
    let ev = events(&c, "default");
    let reasons: Vec<&str> = ev
        .iter()
        .map(|e| e.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        reasons,
        ["Scheduled", "Pulling", "Pulled", "Created", "Started"],
        "{ev:#?}"
    );
    assert!(
        ev[0].ends_with("Successfully assigned default/web to minikube"),
        "{ev:#?}"
    );
    assert!(ev[2].contains("Successfully pulled image \"nginx\" in 5.094s (5.094s including waiting). Image size: 72223946 bytes."), "{ev:#?}");
    assert_eq!(pods(&c, "default"), ["web 1/1 Running 0 minikube"]);
}

#[test]
fn same_seed_same_actions_same_dump() {
    let run = |seed| {
        let mut c = multinode(seed);
        c.advance(SimDuration::from_secs(3));
        apply(&mut c, LIVENESS);
        c.advance(SimDuration::from_secs(7));
        apply(
            &mut c,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: nginx, image: nginx}]\n",
        );
        c.advance(SimDuration::from_secs(300));
        c.dump()
    };
    let a = run(11);
    assert_eq!(a, run(11));
    assert_ne!(a, run(12));
}

#[test]
fn stopped_node_goes_unknown_then_pods_are_evicted() {
    let mut c = minikube(6);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: nginx, image: nginx}]\n",
    );
    c.advance(SimDuration::from_secs(20));
    let renewed = c.lease_renewed("minikube");
    c.stop_node("minikube");
    let node_ready = |c: &Cluster| match c
        .store()
        .get(kind_of::<corev1::Node>(), None, "minikube")
        .as_deref()
    {
        Ok(Object::Node(n)) => n
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|x| x.type_ == "Ready"))
            .map(|x| x.status.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let t = c
        .run_until(|c| node_ready(c) == "Unknown", SimDuration::from_secs(120))
        .expect("unknown");
    // The 50 s grace period runs from the Lease's last renewal, checked every 5 s.
    let secs = (t - renewed).as_millis() / 1000;
    assert!((50..=55).contains(&secs), "went Unknown {secs}s after the last renewal");
    let deleting = |c: &Cluster| match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), "web")
        .as_deref()
    {
        Ok(Object::Pod(p)) => p.metadata.deletion_timestamp.is_some(),
        _ => true,
    };
    let evicted = c
        .run_until(deleting, SimDuration::from_secs(400))
        .expect("evicted");
    let secs = (evicted - t).as_millis() / 1000;
    assert!(
        (299..=301).contains(&secs),
        "evicted {secs}s after the taint"
    );
    let ev = events(&c, "default");
    assert!(
        ev.iter()
            .any(|e| e.contains("TaintManagerEviction x1 Marking for deletion Pod default/web")),
        "{ev:#?}"
    );
}

#[test]
fn crash_loop_back_off_delays() {
    let mut c = minikube(8);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: crash, namespace: default}\nspec:\n  containers: [{name: c, image: 'busybox:1.37', command: [sh, -c, 'exit 1']}]\n",
    );
    let restarts = |c: &Cluster| match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), "crash")
        .as_deref()
    {
        Ok(Object::Pod(p)) => p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|cs| cs.first())
            .map_or(0, |x| x.restart_count),
        _ => 0,
    };
    let mut at = Vec::new();
    for n in 1..=7 {
        let t = c
            .run_until(|c| restarts(c) >= n, SimDuration::from_secs(1000))
            .expect("restart");
        at.push(t.as_millis());
    }
    let gaps: Vec<u64> = at.windows(2).map(|w| (w[1] - w[0]) / 1000).collect();
    // The first crash restarts at once; then 10, 20, 40, 80, 160, 300 s after each crash.
    assert_eq!(gaps, [10, 20, 40, 80, 160, 300], "restarts at {at:?}");
    let got = pods(&c, "default");
    assert!(got[0].starts_with("crash 0/1"), "{got:?}");
}

#[test]
fn pending_pod_has_the_exact_fit_error() {
    let mut c = kubeadm(9);
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: big, namespace: default}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: '3'}}}]\n",
    );
    c.advance(SimDuration::from_secs(1));
    let want = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..";
    let cond = match c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), "big")
        .as_deref()
    {
        Ok(Object::Pod(p)) => {
            crate::controller::podutil::get_pod_condition(p, "PodScheduled").cloned()
        }
        _ => None,
    }
    .expect("condition");
    assert_eq!(
        (
            cond.status.as_str(),
            cond.reason.as_deref(),
            cond.message.as_deref()
        ),
        ("False", Some("Unschedulable"), Some(want))
    );
    let ev = events(&c, "default");
    assert!(
        ev.iter()
            .any(|e| e.ends_with(&format!("FailedScheduling x1 {want}"))),
        "{ev:#?}"
    );
    let expl = c
        .scheduling_explanation("default", "big")
        .expect("explanation");
    assert_eq!(
        expl.rejections.get("k8s-slave1").map(|r| r.plugin),
        Some("NodeResourcesFit")
    );
}

#[test]
fn large_cluster_spreads_a_replicaset() {
    let mut c = large(13, 1000);
    apply(
        &mut c,
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: 200\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: 'nginx:1.27.3'}]\n",
    );
    c.advance(SimDuration::from_secs(1));
    // The RS pods, the two coredns pods and one kube-proxy pod per node (static pods are
    // never scheduled).
    assert_eq!(c.scheduler().scheduled as usize, 200 + 2 + 1001);
    let nodes: std::collections::BTreeSet<String> = c
        .list(kind_of::<corev1::Pod>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p) => p.spec.as_ref().and_then(|s| s.node_name.clone()),
            _ => None,
        })
        .collect();
    assert!(nodes.len() > 150, "only {} nodes used", nodes.len());
}

#[test]
fn cordoned_node_rejects_new_pods() {
    let mut c = minikube(14);
    c.cordon("minikube", true).expect("cordon");
    apply(
        &mut c,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers: [{name: nginx, image: nginx}]\n",
    );
    c.advance(SimDuration::from_secs(1));
    let ev = events(&c, "default");
    assert!(ev.iter().any(|e| e.contains("FailedScheduling x1 0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..")), "{ev:#?}");
    c.cordon("minikube", false).expect("uncordon");
    c.advance(SimDuration::from_secs(15));
    assert_eq!(pods(&c, "default"), ["web 1/1 Running 0 minikube"]);
}

#[test]
fn addon_manifests_decode_and_validate() {
    for (name, yaml, kinds) in [
        (
            "coredns",
            COREDNS_MANIFEST,
            &["ServiceAccount", "ConfigMap", "Deployment"][..],
        ),
        (
            "kube-proxy",
            KUBE_PROXY_MANIFEST,
            &["ServiceAccount", "ConfigMap", "DaemonSet"][..],
        ),
        (
            "storage-provisioner",
            STORAGE_PROVISIONER_MANIFEST,
            &["ServiceAccount", "Pod", "StorageClass"][..],
        ),
    ] {
        let docs = api::decode(yaml, "preset.yaml");
        let got: Vec<String> = docs
            .into_iter()
            .map(|d| {
                let mut obj = d.expect(name).object;
                api::apply_defaults(&mut obj);
                api::validate(&obj).expect(name);
                obj.kind().to_string()
            })
            .collect();
        assert_eq!(got, kinds, "{name}");
    }
}

#[test]
fn a_minikube_profile_names_sizes_and_addresses_its_machines() {
    // `minikube start --nodes=3 --cpus=4 --memory=2g -p multinode-demo --driver=virtualbox`
    let profile = MinikubeProfile {
        name: "multinode-demo".into(),
        nodes: 3,
        cpus: 4,
        memory: "2Gi".into(),
        subnet: "192.168.99.".into(),
        first_host: 100,
    };
    let mut c = minikube_profile(1, &profile);
    assert_eq!(
        c.node_ips(),
        [
            ("multinode-demo".to_string(), "192.168.99.100".to_string()),
            ("multinode-demo-m02".to_string(), "192.168.99.101".to_string()),
            ("multinode-demo-m03".to_string(), "192.168.99.102".to_string()),
        ]
    );
    let read = c.minikube_profile_of_nodes();
    assert_eq!(read, profile);
    // `minikube node add` joins a machine of the same size on the same network.
    assert_eq!(c.add_minikube_worker(), "multinode-demo-m04");
    let node = c
        .store()
        .get(kind_of::<corev1::Node>(), None, "multinode-demo-m04")
        .expect("node");
    let Object::Node(n) = &*node else { panic!("not a node") };
    let capacity = n.status.clone().unwrap_or_default().capacity.unwrap_or_default();
    assert_eq!((capacity["cpu"].0.as_str(), capacity["memory"].0.as_str()), ("4", "2Gi"));
    let labels = n.metadata.labels.clone().unwrap_or_default();
    assert_eq!(labels["minikube.k8s.io/name"], "multinode-demo");
    assert_eq!(labels["minikube.k8s.io/primary"], "false");
    assert_eq!(c.node_ips()[3].1, "192.168.99.103");
}

#[test]
fn a_preset_built_in_slices_is_the_preset() {
    for (whole, mut build) in [
        (large(5, 120), large_build(5, 120)),
        (multinode(5), minikube_build(5, &MinikubeProfile::multinode())),
        (kubeadm(5), kubeadm_build(5)),
        (minikube(5), minikube_build(5, &MinikubeProfile::default())),
    ] {
        let total = build.progress().1;
        let mut seen = vec![build.progress().0];
        // A few steps per slice, as a frame's budget would allow.
        while !build.step(&mut {
            let mut left = 3;
            move || {
                left -= 1;
                left >= 0
            }
        }) {
            seen.push(build.progress().0);
        }
        assert_eq!(build.progress(), (total, total));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        if total > 10 {
            assert!(seen.len() > total / 3, "progress in many slices: {}", seen.len());
        }
        assert_eq!(build.finish().dump(), whole.dump());
    }
}

/// A preset is handed over booted: every kube-system pod Running and Ready, at the first
/// instant they all are, some seconds after the cluster started.
#[test]
fn a_fresh_preset_is_handed_over_booted() {
    for (name, c) in [
        ("minikube", minikube(1)),
        ("multinode", multinode(1)),
        ("kubeadm", kubeadm(1)),
        ("large", large(1, 40)),
    ] {
        let system = c.list(kind_of::<corev1::Pod>(), Some("kube-system"));
        let not_ready: Vec<&str> = system
            .iter()
            .filter(|o| !matches!(&***o, Object::Pod(p) if boot::running_and_ready(p)))
            .map(|o| o.name())
            .collect();
        assert!(system.len() >= 6 && not_ready.is_empty(), "{name}: {not_ready:?}");
        let booted = c.now() - SimTime::ZERO;
        assert!(
            booted > SimDuration::ZERO && booted < boot::BOOT_LIMIT,
            "{name}: {booted:?}"
        );
        // The kubelets' events of the boot are there to read.
        let started = events(&c, "kube-system")
            .iter()
            .filter(|e| e.contains(" Started "))
            .count();
        assert!(started >= 2, "{name}: {:#?}", events(&c, "kube-system"));
    }
}

/// The boot stops at the first instant every system pod is ready: at every earlier point of
/// the build, one was not.
#[test]
fn the_boot_ends_when_the_last_system_pod_becomes_ready() {
    let booted = minikube(4);
    let all_ready = |c: &Cluster| {
        c.list(kind_of::<corev1::Pod>(), Some("kube-system"))
            .iter()
            .all(|o| matches!(&**o, Object::Pod(p) if boot::running_and_ready(p)))
    };
    let system = booted
        .list(kind_of::<corev1::Pod>(), Some("kube-system"))
        .len();
    let all_ready = |c: &Cluster| {
        c.list(kind_of::<corev1::Pod>(), Some("kube-system")).len() == system && all_ready(c)
    };
    let mut build = minikube_build(4, &MinikubeProfile::default());
    let mut earlier = 0;
    // One step (a node joined, an object set created, one task run) at a time.
    loop {
        let mut once = true;
        if build.step(&mut || std::mem::take(&mut once)) {
            break;
        }
        if build.cluster.now() < booted.now() {
            assert!(!all_ready(&build.cluster), "ready at {:?}", build.cluster.now());
            earlier += 1;
        }
        // The clock moves only in the boot, which the page shows as its own stage.
        if build.cluster.now() > SimTime(0) {
            assert!(build.booting(), "booting at {:?}", build.cluster.now());
        }
    }
    assert!(!build.booting());
    assert_eq!(build.cluster.now(), booted.now());
    assert!(all_ready(&build.cluster));
    assert!(earlier > 10, "{earlier}");
}

/// A build whose `more()` says no every other time it is asked (stopping inside the boot's
/// instants, as the page's frames do) hands over the cluster a build at once does.
#[test]
fn a_preset_built_with_every_other_step_refused_is_the_preset() {
    for (whole, mut build) in [
        (kubeadm(6), kubeadm_build(6)),
        (large(6, 30), large_build(6, 30)),
    ] {
        let mut calls = 0;
        let mut refusals = 0;
        let mut more = || {
            calls += 1;
            calls % 2 == 0
        };
        while !build.step(&mut more) {
            refusals += 1;
        }
        assert!(refusals > 50, "{refusals}");
        let booted = build.finish();
        assert_eq!(booted.now(), whole.now());
        assert_eq!(booted.dump(), whole.dump());
    }
}

/// The boot's events draw their uids from generators of their own: the store's name and uid
/// generators stand where the hand-over left them, so a lab's first objects get the names
/// and uids they got when presets were handed over unbooted.
#[test]
fn the_boot_leaves_the_name_and_uid_generators_where_the_hand_over_did() {
    let mut build = minikube_build(8, &MinikubeProfile::default());
    let mut handed_over = None;
    let mut events_then = 0;
    loop {
        let mut once = true;
        let done = build.step(&mut || std::mem::take(&mut once));
        if handed_over.is_none() {
            handed_over = build.handed_over_generators.clone();
            events_then = events(&build.cluster, "kube-system").len();
        }
        if done {
            break;
        }
    }
    let (mut names, mut uids) = handed_over.expect("the boot ran");
    let (mut names_now, mut uids_now) = build.cluster.store().generators();
    assert_eq!(
        (names.next_u64(), uids.next_u64()),
        (names_now.next_u64(), uids_now.next_u64())
    );
    // The boot wrote objects (the kubelets' events) that drew uids meanwhile.
    assert!(events(&build.cluster, "kube-system").len() > events_then, "{events_then}");
}
