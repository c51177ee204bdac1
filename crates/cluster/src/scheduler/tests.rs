use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use machinery::scheduling::Taint;

use super::*;

fn node(name: &str, cpu_milli: i64, taint: Option<&str>) -> NodeInfo {
    NodeInfo {
        name: name.into(),
        labels: [("kubernetes.io/hostname".to_string(), name.to_string())].into(),
        taints: taint
            .map(|k| Taint {
                key: k.into(),
                value: String::new(),
                effect: "NoSchedule".into(),
            })
            .into_iter()
            .collect(),
        allocatable: Resource {
            milli_cpu: cpu_milli,
            memory: 8 << 30,
            ephemeral_storage: 100 << 30,
            pods: 110,
        },
        ..Default::default()
    }
}

fn pod(name: &str, cpu: &str) -> PodInfo {
    let p = corev1::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(corev1::PodSpec {
            containers: vec![corev1::Container {
                name: "c".into(),
                image: Some("nginx".into()),
                resources: Some(corev1::ResourceRequirements {
                    requests: Some([("cpu".to_string(), K8sQuantity(cpu.into()))].into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: None,
    };
    PodInfo::new(&p, 0)
}

fn infos(nodes: Vec<NodeInfo>) -> NodeInfos {
    NodeInfos::from_nodes(nodes)
}

fn check(pod: &PodInfo, nodes: &NodeInfos) -> Result<String, String> {
    match schedule_one(pod, nodes, 0, |_| 0) {
        Ok(r) => Ok(r.node),
        Err(mut fit) => {
            if let Err(post) = preemption::preempt(pod, nodes, &fit) {
                fit.post_filter_msg = post;
            }
            Err(fit.message())
        }
    }
}

#[test]
fn schedule_one_table() {
    struct Case {
        name: &'static str,
        nodes: Vec<NodeInfo>,
        cpu: &'static str,
        want: Result<&'static str, &'static str>,
    }
    let cp = "node-role.kubernetes.io/control-plane";
    let cases = [
        Case {
            name: "fits the only node",
            nodes: vec![node("minikube", 2000, None)],
            cpu: "500m",
            want: Ok("minikube"),
        },
        Case {
            name: "least allocated wins",
            nodes: vec![node("a", 2000, None), node("b", 4000, None)],
            cpu: "500m",
            want: Ok("b"),
        },
        Case {
            name: "taint and cpu",
            nodes: vec![
                node("k8s-master", 2000, Some(cp)),
                node("n1", 1000, None),
                node("n2", 1000, None),
            ],
            cpu: "1500m",
            want: Err(
                "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..",
            ),
        },
    ];
    for c in &cases {
        let got = check(&pod("web", c.cpu), &infos(c.nodes.clone()));
        assert_eq!(
            got.as_deref().map_err(String::as_str),
            c.want,
            "case {}",
            c.name
        );
    }
}

#[test]
fn feasible_nodes_to_find() {
    let got: Vec<usize> = [3, 99, 100, 1000, 5000]
        .iter()
        .map(|n| num_feasible_nodes_to_find(*n))
        .collect();
    assert_eq!(got, [3, 99, 100, 420, 500]);
}

/// A pod whose required node affinity is `terms`.
fn with_terms(name: &str, cpu: &str, terms: Vec<corev1::NodeSelectorTerm>) -> PodInfo {
    let base = pod(name, cpu);
    let mut spec = (*base.spec).clone();
    spec.affinity = Some(corev1::Affinity {
        node_affinity: Some(corev1::NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(corev1::NodeSelector {
                node_selector_terms: terms,
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    let p = corev1::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    };
    PodInfo::new(&p, 0)
}

/// A term of `metadata.name In` requirements, one per list of names.
fn names_term(requirements: &[&[&str]]) -> corev1::NodeSelectorTerm {
    corev1::NodeSelectorTerm {
        match_fields: Some(
            requirements
                .iter()
                .map(|names| corev1::NodeSelectorRequirement {
                    key: "metadata.name".into(),
                    operator: "In".into(),
                    values: Some(names.iter().map(|n| n.to_string()).collect()),
                })
                .collect(),
        ),
        ..Default::default()
    }
}

/// A DaemonSet pod pinned with `matchFields metadata.name In [node]`.
fn pinned(name: &str, cpu: &str, node: &str) -> PodInfo {
    with_terms(name, cpu, vec![names_term(&[&[node]])])
}

/// nodeaffinity.PreFilter (pkg/scheduler/framework/plugins/nodeaffinity, v1.34) narrows a pod
/// pinned by node name to that node: one node is filtered however big the cluster is, and a
/// failure counts the others with findNodesThatFitPod's absent-node status.
#[test]
fn a_pod_pinned_by_node_name_filters_only_that_node() {
    let nodes = infos((0..300).map(|i| node(&format!("n-{i:04}"), 1000, None)).collect());
    let res = schedule_one(&pinned("ds", "100m", "n-0150"), &nodes, 7, |_| 0).unwrap();
    assert_eq!((res.node.as_str(), res.evaluated), ("n-0150", 1));
    assert!(res.rejections.is_empty());
    assert_eq!(
        check(&pinned("ds", "1500m", "n-0150"), &nodes),
        Err("0/300 nodes are available: 1 Insufficient cpu, 299 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/300 nodes are available: 1 No preemption victims found for incoming pod, 299 Preemption is not helpful for scheduling..".to_string())
    );
    // A node that does not exist leaves nothing to filter.
    assert_eq!(
        check(&pinned("ds", "100m", "gone"), &nodes),
        Err("0/300 nodes are available: 300 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/300 nodes are available: 300 Preemption is not helpful for scheduling..".to_string())
    );
}

#[test]
fn node_name_terms_intersect_within_and_join_across() {
    use filter::{node_affinity_pre_filter, PreFilterNodes};
    let pre = |terms: Vec<corev1::NodeSelectorTerm>| {
        node_affinity_pre_filter(&with_terms("ds", "100m", terms))
    };
    let only = |names: &[&str]| PreFilterNodes::Only(names.iter().map(|n| n.to_string()).collect());
    assert_eq!(pre(vec![names_term(&[&["a", "b"]])]), only(&["a", "b"]));
    // A second requirement in the same term narrows it; a second term adds its nodes.
    assert_eq!(pre(vec![names_term(&[&["a", "b"], &["b", "c"]])]), only(&["b"]));
    assert_eq!(
        pre(vec![names_term(&[&["a", "b"], &["b", "c"]]), names_term(&[&["d"]])]),
        only(&["b", "d"])
    );
    // A term without a name requirement lets every node through.
    assert_eq!(
        pre(vec![names_term(&[&["a"]]), corev1::NodeSelectorTerm::default()]),
        PreFilterNodes::All
    );
    // Disjoint names within one term: the PreFilter rejects the pod outright.
    let conflict = vec![names_term(&[&["a"], &["z"]])];
    assert_eq!(pre(conflict.clone()), PreFilterNodes::Conflict);
    let nodes = infos(vec![node("a", 1000, None), node("z", 1000, None)]);
    assert_eq!(
        check(&with_terms("ds", "100m", conflict), &nodes),
        Err("0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..".to_string())
    );
}

/// A pod preferring nodes labelled `zone=a` (weight 5) over the others.
fn preferring_zone_a(name: &str, cpu: &str) -> PodInfo {
    let base = pod(name, cpu);
    let mut spec = (*base.spec).clone();
    spec.affinity = Some(corev1::Affinity {
        node_affinity: Some(corev1::NodeAffinity {
            preferred_during_scheduling_ignored_during_execution: Some(vec![
                corev1::PreferredSchedulingTerm {
                    weight: 5,
                    preference: corev1::NodeSelectorTerm {
                        match_expressions: Some(vec![corev1::NodeSelectorRequirement {
                            key: "zone".into(),
                            operator: "In".into(),
                            values: Some(vec!["a".into()]),
                        }]),
                        ..Default::default()
                    },
                },
            ]),
            ..Default::default()
        }),
        ..Default::default()
    });
    let p = corev1::Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    };
    PodInfo::new(&p, 0)
}

/// The scoring pass (reused buffers, plugins without anything to compare filled without
/// visiting the nodes, ties ordered by round-robin position) explains exactly what running
/// every plugin on every node gives (`score::score_nodes`), best first by total then node
/// name, whatever the round robin's start; and the host is the first of the best nodes in
/// the order the round robin found them (selectHost with the tie-break drawing 0).
#[test]
fn explained_scores_match_every_plugin_on_every_node() {
    let nodes = infos(
        (0..90)
            .map(|i| {
                let mut n = node(&format!("n-{i:03}"), 1000 + 10 * (i % 7), None);
                if i % 5 == 0 {
                    n.taints.push(Taint {
                        key: "soft".into(),
                        value: String::new(),
                        effect: "PreferNoSchedule".into(),
                    });
                }
                if i % 3 == 0 {
                    n.labels.insert("zone".into(), "a".into());
                }
                n
            })
            .collect(),
    );
    let mut scratch = score::ScoreScratch::default();
    for p in [pod("plain", "100m"), preferring_zone_a("zoned", "100m")] {
        for start in [0, 37, 89] {
            let res = schedule_one_with(&p, &nodes, start, |_| 0, &mut scratch).unwrap();
            let all: Vec<&NodeInfo> = nodes.nodes.values().collect();
            let ctx = filter::FilterContext::for_cache(&p, &nodes);
            let mut want = score::score_nodes(&p, &all, &ctx);
            want.sort_by(|a, b| b.total.cmp(&a.total).then(a.node.cmp(&b.node)));
            let best = want[0].total;
            let first_best = nodes
                .round_robin(start)
                .find(|n| want.iter().any(|s| s.node == n.name && s.total == best))
                .map(|n| n.name.clone());
            want.truncate(MAX_SCORED_NODES_EXPLAINED);
            assert_eq!(res.scores, want, "pod {} start {start}", p.name);
            assert_eq!(Some(res.node), first_best, "pod {} start {start}", p.name);
        }
    }
}

/// A pod's labels as the plugins read them from the shared pod object are the pod's own, for
/// pods built by hand and stored ones, with and without labels or a spec; two views are equal
/// exactly when their specs and labels are; and a refresh of an assigned pod that changes only
/// its labels shows the new ones.
#[test]
fn pod_labels_read_from_the_shared_object_are_the_pods_own() {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let label_sets: [Option<BTreeMap<String, String>>; 4] = [
        None,
        Some(BTreeMap::new()),
        Some([("app".to_string(), "web".to_string())].into()),
        Some([("app", "db"), ("pod-template-hash", "7854ff8877"), ("tier", "")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into()),
    ];
    let mut views = Vec::new();
    for labels in &label_sets {
        let with_requests = (*pod("p", "100m").spec).clone();
        for spec in [None, Some(corev1::PodSpec::default()), Some(with_requests)] {
            let mut p = corev1::Pod::default();
            p.metadata.name = Some("p".into());
            p.metadata.labels = labels.clone();
            p.spec = spec;
            let want = labels.clone().unwrap_or_default();
            let by_hand = PodInfo::new(&p, 0);
            assert_eq!(*by_hand.labels(), want);
            let stored = PodInfo::from_object(&Arc::new(Object::Pod(p.clone())), 0).expect("pod");
            assert_eq!(*stored.labels(), want);
            assert_eq!(by_hand, stored);
            views.push((want, p.spec.clone().unwrap_or_default(), by_hand));
        }
    }
    for (labels_a, spec_a, a) in &views {
        for (labels_b, spec_b, b) in &views {
            assert_eq!(a == b, labels_a == labels_b && spec_a == spec_b);
        }
    }

    let mut stored = corev1::Pod::default();
    stored.metadata.name = Some("p".into());
    stored.metadata.namespace = Some("default".into());
    stored.metadata.labels = label_sets[2].clone();
    stored.spec = Some((*pod("p", "100m").spec).clone());
    let mut node = node("n1", 4000, None);
    node.add_pod(PodInfo::from_object(&Arc::new(Object::Pod(stored.clone())), 0).expect("pod"));
    stored.metadata.labels = label_sets[3].clone();
    node.refresh_pod("default/p", &Arc::new(Object::Pod(stored)), 0);
    assert_eq!(Some(node.pods["default/p"].labels()), label_sets[3].as_ref());
}
