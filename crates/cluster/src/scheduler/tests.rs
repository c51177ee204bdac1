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
