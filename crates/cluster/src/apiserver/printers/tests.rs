//! Printer tables compared with the samples of the printers oracle (printers.md §6), rendered
//! with kubectl's tabwriter settings, plus the cell rules of printers.md §3.

use std::collections::BTreeMap;
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::*;
use crate::time::{SimDuration, SimTime};

const NOW: SimTime = SimTime(10 * 24 * 3600 * 1000);

/// kubectl's tabwriter layout (minwidth 6, padding 3, last column unpadded), upper-cased
/// headers.
fn render(t: &Table) -> String {
    let mut rows: Vec<Vec<String>> =
        vec![t.columns.iter().map(|c| c.name.to_uppercase()).collect()];
    rows.extend(t.text_rows());
    let n = t.columns.len();
    let widths: Vec<usize> = (0..n)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len() + 3)
                .max()
                .unwrap_or(0)
                .max(6)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == n {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}", w = widths[i]));
            }
        }
        out.push('\n');
    }
    out
}

fn meta(name: &str, age_secs: u64) -> metav1::ObjectMeta {
    metav1::ObjectMeta {
        name: Some(name.into()),
        namespace: Some("default".into()),
        creation_timestamp: Some(
            NOW.saturating_sub(SimDuration::from_secs(age_secs))
                .to_time(),
        ),
        ..Default::default()
    }
}

fn table(objs: Vec<Object>, wide: bool) -> String {
    let info = objs[0].kind_info();
    let objs: Vec<Arc<Object>> = objs.into_iter().map(Arc::new).collect();
    render(&print_table(info, &objs, &PrintOptions { wide }, NOW))
}

fn deployment(name: &str, replicas: i32, ready: i32, age: u64) -> Object {
    let labels = BTreeMap::from([("app".to_string(), name.to_string())]);
    Object::Deployment(appsv1::Deployment {
        metadata: meta(name, age),
        spec: Some(appsv1::DeploymentSpec {
            replicas: Some(replicas),
            selector: metav1::LabelSelector {
                match_labels: Some(labels),
                ..Default::default()
            },
            template: corev1::PodTemplateSpec {
                spec: Some(corev1::PodSpec {
                    containers: vec![corev1::Container {
                        name: "nginx".into(),
                        image: Some("nginx".into()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }),
        status: Some(appsv1::DeploymentStatus {
            ready_replicas: Some(ready),
            updated_replicas: Some(replicas),
            available_replicas: Some(ready),
            ..Default::default()
        }),
    })
}

fn service(
    name: &str,
    ty: &str,
    ip: &str,
    ports: &[(i32, Option<i32>)],
    selector: Option<&str>,
    age: u64,
) -> Object {
    Object::Service(corev1::Service {
        metadata: meta(name, age),
        spec: Some(corev1::ServiceSpec {
            type_: Some(ty.into()),
            cluster_ips: Some(vec![ip.into()]),
            ports: Some(
                ports
                    .iter()
                    .map(|(p, np)| corev1::ServicePort {
                        port: *p,
                        node_port: *np,
                        protocol: Some("TCP".into()),
                        ..Default::default()
                    })
                    .collect(),
            ),
            selector: selector.map(|s| BTreeMap::from([("app".to_string(), s.to_string())])),
            ..Default::default()
        }),
        status: None,
    })
}

fn node(name: &str, ready: Option<&str>, unschedulable: bool, roles: &[&str]) -> Object {
    Object::Node(corev1::Node {
        metadata: metav1::ObjectMeta {
            labels: Some(
                roles
                    .iter()
                    .map(|r| (format!("node-role.kubernetes.io/{r}"), String::new()))
                    .collect(),
            ),
            ..meta(name, 2 * 86400)
        },
        spec: Some(corev1::NodeSpec {
            unschedulable: Some(unschedulable),
            ..Default::default()
        }),
        status: Some(corev1::NodeStatus {
            conditions: ready.map(|s| {
                vec![corev1::NodeCondition {
                    type_: "Ready".into(),
                    status: s.into(),
                    ..Default::default()
                }]
            }),
            node_info: Some(corev1::NodeSystemInfo {
                kubelet_version: "v1.28.0".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    })
}

#[test]
fn deployments_sample() {
    assert_eq!(
        table(vec![deployment("nginx", 3, 3, 341)], false),
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\nnginx   3/3     3            3           5m41s\n"
    );
    assert_eq!(
        table(vec![deployment("nginx", 3, 3, 341)], true),
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE     CONTAINERS   IMAGES   SELECTOR\nnginx   3/3     3            3           5m41s   nginx        nginx    app=nginx\n"
    );
}

#[test]
fn services_sample() {
    let mut lb = service("lb", "LoadBalancer", "10.96.20.7", &[(80, None)], None, 5);
    let mut headless = service("headless", "ClusterIP", "None", &[(80, None)], None, 60);
    if let Object::Service(s) = &mut headless {
        s.metadata.creation_timestamp =
            Some(NOW.saturating_sub(SimDuration::from_secs(60)).to_time());
    }
    if let Object::Service(s) = &mut lb {
        s.status = None;
    }
    let got = table(
        vec![
            headless,
            service(
                "kubernetes",
                "ClusterIP",
                "10.96.0.1",
                &[(443, None)],
                None,
                2 * 86400,
            ),
            lb,
            service(
                "nginx",
                "NodePort",
                "10.96.145.12",
                &[(80, Some(31234))],
                Some("nginx"),
                10,
            ),
        ],
        false,
    );
    let want = "\
NAME         TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
headless     ClusterIP      None           <none>        80/TCP         60s
kubernetes   ClusterIP      10.96.0.1      <none>        443/TCP        2d
lb           LoadBalancer   10.96.20.7     <pending>     80/TCP         5s
nginx        NodePort       10.96.145.12   <none>        80:31234/TCP   10s
";
    // printers.md shows `1m` for a 60 s old service; HumanDuration prints 60s below 2 minutes.
    assert_eq!(got, want);
}

#[test]
fn nodes_sample() {
    let got = table(
        vec![
            node("control-plane", Some("True"), false, &["control-plane"]),
            node("worker-1", Some("True"), false, &[]),
            node("worker-2", Some("False"), true, &[]),
            node("worker-3", None, false, &["node", "master", "proxy"]),
        ],
        false,
    );
    let want = "\
NAME            STATUS                        ROLES               AGE   VERSION
control-plane   Ready                         control-plane       2d    v1.28.0
worker-1        Ready                         <none>              2d    v1.28.0
worker-2        NotReady,SchedulingDisabled   <none>              2d    v1.28.0
worker-3        Unknown                       master,node,proxy   2d    v1.28.0
";
    assert_eq!(got, want);
}

#[test]
fn pods_wide_sample() {
    let running = corev1::Pod {
        metadata: meta("nginx-7854ff8877-4xq2b", 341),
        spec: Some(corev1::PodSpec {
            node_name: Some("worker-1".into()),
            containers: vec![corev1::Container {
                name: "nginx".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(corev1::PodStatus {
            phase: Some("Running".into()),
            pod_ips: Some(vec![corev1::PodIP {
                ip: "10.244.1.2".into(),
            }]),
            container_statuses: Some(vec![corev1::ContainerStatus {
                name: "nginx".into(),
                ready: true,
                state: Some(corev1::ContainerState {
                    running: Some(Default::default()),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    };
    let pending = corev1::Pod {
        metadata: meta("pending-pod", 10),
        spec: Some(corev1::PodSpec {
            containers: vec![corev1::Container {
                name: "c".into(),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(corev1::PodStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        }),
    };
    let want = "\
NAME                     READY   STATUS    RESTARTS   AGE     IP           NODE       NOMINATED NODE   READINESS GATES
nginx-7854ff8877-4xq2b   1/1     Running   0          5m41s   10.244.1.2   worker-1   <none>           <none>
pending-pod              0/1     Pending   0          10s     <none>       <none>     <none>           <none>
";
    assert_eq!(
        table(vec![Object::Pod(running), Object::Pod(pending)], true),
        want
    );
}

#[test]
fn endpoints_cells() {
    struct Case {
        name: &'static str,
        ips: &'static [&'static str],
        ports: &'static [i32],
        want: &'static str,
    }
    // Mirrors TestPrintEndpoint in printers_test.go.
    let cases = [
        Case {
            name: "none",
            ips: &[],
            ports: &[],
            want: "<none>",
        },
        Case {
            name: "no ports",
            ips: &["1.2.3.4"],
            ports: &[],
            want: "1.2.3.4",
        },
        Case {
            name: "one",
            ips: &["1.2.3.4"],
            ports: &[8001],
            want: "1.2.3.4:8001",
        },
        Case {
            name: "more",
            ips: &["1.2.3.4", "5.6.7.8", "9.8.7.6", "6.6.6.6"],
            ports: &[8001],
            want: "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...",
        },
    ];
    for case in &cases {
        let subsets = if case.ips.is_empty() {
            None
        } else {
            Some(vec![corev1::EndpointSubset {
                addresses: Some(
                    case.ips
                        .iter()
                        .map(|ip| corev1::EndpointAddress {
                            ip: ip.to_string(),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ports: Some(
                    case.ports
                        .iter()
                        .map(|p| corev1::EndpointPort {
                            port: *p,
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }])
        };
        let ep = corev1::Endpoints {
            metadata: meta("e", 1),
            subsets,
        };
        let row = print_endpoints(&ep, &PrintOptions::default(), NOW);
        assert_eq!(row.cells[1].to_string(), case.want, "case {}", case.name);
    }
}

#[test]
fn job_and_cronjob_cells() {
    use k8s_openapi::api::batch::v1 as batchv1;
    let start = NOW.saturating_sub(SimDuration::from_secs(180));
    let job = batchv1::Job {
        metadata: meta("pi", 180),
        spec: Some(batchv1::JobSpec {
            completions: Some(1),
            ..Default::default()
        }),
        status: Some(batchv1::JobStatus {
            succeeded: Some(1),
            start_time: Some(start.to_time()),
            completion_time: Some((start + SimDuration::from_secs(8)).to_time()),
            conditions: Some(vec![batchv1::JobCondition {
                type_: "Complete".into(),
                status: "True".into(),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    };
    let cells: Vec<String> = print_job(&job, &PrintOptions::default(), NOW)
        .cells
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(cells, ["pi", "Complete", "1/1", "8s", "3m"]);
    let par = batchv1::Job {
        metadata: meta("par", 5),
        spec: Some(batchv1::JobSpec {
            parallelism: Some(3),
            ..Default::default()
        }),
        status: Some(batchv1::JobStatus {
            succeeded: Some(2),
            ..Default::default()
        }),
    };
    let cells: Vec<String> = print_job(&par, &PrintOptions::default(), NOW)
        .cells
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(cells, ["par", "Running", "2/1 of 3", "", "5s"]);
    let cj = batchv1::CronJob {
        metadata: meta("hello", 600),
        spec: Some(batchv1::CronJobSpec {
            schedule: "*/1 * * * *".into(),
            suspend: Some(false),
            ..Default::default()
        }),
        status: Some(batchv1::CronJobStatus {
            last_schedule_time: Some(NOW.saturating_sub(SimDuration::from_secs(45)).to_time()),
            ..Default::default()
        }),
    };
    let cells: Vec<String> = print_cron_job(&cj, &PrintOptions::default(), NOW)
        .cells
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        cells,
        ["hello", "*/1 * * * *", "<none>", "False", "0", "45s", "10m"]
    );
}

#[test]
fn generic_fallback_and_namespace() {
    let pt = Object::Lease(k8s_openapi::api::coordination::v1::Lease {
        metadata: meta("l", 30),
        spec: None,
    });
    let t = print_table(
        pt.kind_info(),
        &[Arc::new(pt)],
        &PrintOptions::default(),
        NOW,
    );
    assert_eq!(t.text_rows(), [["l", "", "30s"]]);
    let cm = Object::ClusterRole(k8s_openapi::api::rbac::v1::ClusterRole {
        metadata: meta("admin", 0),
        ..Default::default()
    });
    assert_eq!(
        print_row(&cm, &PrintOptions::default(), NOW).cells[1].to_string(),
        "2026-01-11T00:00:00Z"
    );
}
