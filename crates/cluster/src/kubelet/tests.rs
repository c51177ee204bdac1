//! Scenario tests of the kubelet through the API: lifecycle hooks, graceful termination, OOM
//! kills and the liveness restart back-off.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::{images, pod_workers, runtime};
use crate::controller::kind_of;
use crate::controller::testutil::{apply, events};
use crate::sim::Cluster;
use crate::time::SimDuration;

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

fn pod(c: &Cluster, name: &str) -> Option<corev1::Pod> {
    let o = c
        .store()
        .get(kind_of::<corev1::Pod>(), Some("default"), name)
        .ok()?;
    match &*o {
        Object::Pod(p) => Some(p.clone()),
        _ => None,
    }
}

fn status(c: &Cluster, name: &str) -> corev1::ContainerStatus {
    pod(c, name)
        .and_then(|p| p.status?.container_statuses?.into_iter().next())
        .expect("container status")
}

fn delete(c: &mut Cluster, name: &str) {
    c.store_mut()
        .delete(
            kind_of::<corev1::Pod>(),
            Some("default"),
            name,
            &Default::default(),
        )
        .expect("delete");
}

/// How long after now the pod object disappears (the kubelet confirmed its deletion).
fn time_until_gone(c: &mut Cluster, name: &str) -> SimDuration {
    let start = c.now();
    c.run_until(|c| pod(c, name).is_none(), SimDuration::from_secs(120))
        .expect("pod removed");
    c.now() - start
}

// E-A60 (study notes B:1285-1345): init, START and POST-START, then the probes, then END;
// preStop only when the pod is deleted while the container runs.
#[test]
fn pod_lifecycle_timing_file() {
    let mut c = crate::presets::minikube(60);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: pod-lifecycle, namespace: default}
spec:
  initContainers:
  - name: init
    image: busybox
    command: ['sh', '-c', 'echo $(date +%s): INIT >> /loap/timing']
    volumeMounts: [{mountPath: /loap, name: timing}]
  containers:
  - name: main
    image: busybox
    command: ['sh', '-c', 'echo $(date +%s): START >> /loap/timing; sleep 10; echo $(date +%s): END >> /loap/timing;']
    volumeMounts: [{mountPath: /loap, name: timing}]
    livenessProbe:
      exec: {command: ['sh', '-c', 'echo $(date +%s): LIVENESS >> /loap/timing']}
    readinessProbe:
      exec: {command: ['sh', '-c', 'echo $(date +%s): READINESS >> /loap/timing']}
    lifecycle:
      postStart:
        exec: {command: ['sh', '-c', 'echo $(date +%s): POST-START >> /loap/timing']}
      preStop:
        exec: {command: ['sh', '-c', 'echo $(date +%s): PRE-STOP >> /loap/timing']}
  volumes:
  - name: timing
    hostPath: {path: /tmp/loap}
"#,
    );
    c.advance(SimDuration::from_secs(15));
    let words = |c: &Cluster| -> Vec<String> {
        exec(c, "pod-lifecycle", "main", "cat /loap/timing")
            .iter()
            .filter_map(|l| l.split(": ").nth(1).map(str::to_string))
            .collect()
    };
    let w = words(&c);
    assert_eq!(w[..3], ["INIT", "START", "POST-START"], "{w:?}");
    assert!(w.contains(&"READINESS".into()) && w.contains(&"LIVENESS".into()), "{w:?}");
    assert!(w.contains(&"END".into()), "{w:?}");
    // The container exited on its own: no preStop.
    assert!(!w.contains(&"PRE-STOP".into()), "{w:?}");
    // Restarted (INIT does not run again), then deleted while running: preStop runs.
    c.run_until(
        |c| matches!(status(c, "pod-lifecycle").state, Some(ref s) if s.running.is_some()),
        SimDuration::from_secs(60),
    )
    .expect("running again");
    delete(&mut c, "pod-lifecycle");
    c.advance(SimDuration::from_secs(1));
    let w = words(&c);
    assert_eq!(w.iter().filter(|x| *x == "INIT").count(), 1, "{w:?}");
    assert_eq!(w.last().map(String::as_str), Some("PRE-STOP"), "{w:?}");
}

const NGINX: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 80}]
"#;

fn with_lifecycle(base: &str, lifecycle: &str) -> String {
    format!("{base}    lifecycle:\n{lifecycle}")
}

#[test]
fn failed_post_start_hook_kills_the_container() {
    let mut c = crate::presets::minikube(61);
    apply(
        &mut c,
        &with_lifecycle(
            NGINX,
            "      postStart:\n        exec: {command: ['sh', '-c', 'echo no config; exit 1']}\n",
        ),
    );
    c.advance(SimDuration::from_secs(20));
    let uid = pod(&c, "web").unwrap().metadata.uid.unwrap();
    let ev = events(&c, "Pod", "web");
    let hook = ev
        .iter()
        .find(|(r, _)| r == "FailedPostStartHook")
        .expect("FailedPostStartHook event");
    assert_eq!(
        hook.1,
        format!(
            "Exec lifecycle hook ([sh -c echo no config; exit 1]) for Container \"web\" in Pod \"web_default({uid})\" failed - error: command 'sh -c echo no config; exit 1' exited with 1: , message: \"no config\\n\""
        )
    );
    assert!(
        ev.iter().any(|(r, m)| r == "Killing" && m == "FailedPostStartHook"),
        "{ev:?}"
    );
    assert!(status(&c, "web").restart_count >= 1);
}

#[test]
fn pre_stop_runs_within_the_grace_period() {
    // nginx exits at once on SIGTERM, which comes when the 5 s hook ends.
    let mut c = crate::presets::minikube(62);
    apply(
        &mut c,
        &with_lifecycle(
            NGINX,
            "      preStop:\n        exec: {command: ['sh', '-c', 'sleep 5']}\n",
        ),
    );
    c.advance(SimDuration::from_secs(20));
    delete(&mut c, "web");
    let gone = time_until_gone(&mut c, "web");
    assert!(
        gone >= SimDuration::from_secs(5) && gone < SimDuration::from_secs(7),
        "{gone:?}"
    );

    // A hook longer than the grace period is cut off; SIGKILL still comes 2 s later at least.
    let mut c = crate::presets::minikube(63);
    apply(
        &mut c,
        &with_lifecycle(
            &NGINX.replace("spec:\n", "spec:\n  terminationGracePeriodSeconds: 10\n"),
            "      preStop:\n        exec: {command: ['sh', '-c', 'sleep 60']}\n",
        ),
    );
    c.advance(SimDuration::from_secs(20));
    delete(&mut c, "web");
    let gone = time_until_gone(&mut c, "web");
    assert!(
        gone >= SimDuration::from_secs(10) && gone < SimDuration::from_secs(12),
        "{gone:?}"
    );

    // A failing hook: the event, then SIGTERM at once.
    let mut c = crate::presets::minikube(64);
    apply(
        &mut c,
        &with_lifecycle(
            NGINX,
            "      preStop:\n        httpGet: {path: /drain, port: 8080}\n",
        ),
    );
    c.advance(SimDuration::from_secs(20));
    delete(&mut c, "web");
    c.advance(SimDuration::from_secs(1));
    let ev = events(&c, "Pod", "web");
    assert!(
        ev.iter()
            .any(|(r, m)| r == "FailedPreStopHook" && m == "PreStopHook failed"),
        "{ev:?}"
    );
}

#[test]
fn sigterm_ignored_by_pid_1_means_sigkill_after_the_grace_period() {
    let mut c = crate::presets::minikube(65);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: sleeper, namespace: default}
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - {name: main, image: busybox, command: ["sleep", "3600"]}
"#,
    );
    c.advance(SimDuration::from_secs(20));
    delete(&mut c, "sleeper");
    c.advance(SimDuration::from_secs(1));
    let p = pod(&c, "sleeper").expect("still terminating");
    assert!(p.metadata.deletion_timestamp.is_some());
    let ev = events(&c, "Pod", "sleeper");
    assert!(
        ev.iter()
            .any(|(r, m)| r == "Killing" && m == "Stopping container main"),
        "{ev:?}"
    );
    let gone = time_until_gone(&mut c, "sleeper");
    assert!(
        gone >= SimDuration::from_secs(18) && gone < SimDuration::from_secs(21),
        "{gone:?}"
    );
}

#[test]
fn memory_over_the_limit_is_oom_killed_and_restarted() {
    // nginx's steady 3 MiB does not fit a 2 MiB limit.
    let mut c = crate::presets::minikube(66);
    apply(
        &mut c,
        &NGINX.replace(
            "    ports: [{containerPort: 80}]\n",
            "    resources: {limits: {memory: 2Mi}}\n",
        ),
    );
    c.advance(SimDuration::from_secs(15));
    let s = status(&c, "web");
    let last = s
        .last_state
        .and_then(|l| l.terminated)
        .or_else(|| s.state.clone().and_then(|st| st.terminated))
        .expect("terminated");
    assert_eq!((last.reason.as_deref(), last.exit_code), (Some("OOMKilled"), 137));
    c.advance(SimDuration::from_secs(60));
    let s = status(&c, "web");
    assert!(s.restart_count >= 2, "{s:?}");

    // stress allocating 150M under a 100Mi limit (the docs' memory exercise).
    let mut c = crate::presets::minikube(67);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: memory-demo, namespace: default}
spec:
  restartPolicy: Never
  containers:
  - name: memory-demo-ctr
    image: busybox
    resources: {limits: {memory: 100Mi}, requests: {memory: 50Mi}}
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "150M", "--vm-hang", "1"]
"#,
    );
    c.advance(SimDuration::from_secs(15));
    let p = pod(&c, "memory-demo").unwrap();
    let st = p.status.clone().unwrap();
    assert_eq!(st.phase.as_deref(), Some("Failed"));
    let t = st.container_statuses.unwrap()[0]
        .state
        .clone()
        .and_then(|s| s.terminated)
        .unwrap();
    assert_eq!((t.reason.as_deref(), t.exit_code), (Some("OOMKilled"), 137));
    // Within the limit it keeps running.
    let mut c = crate::presets::minikube(68);
    apply(
        &mut c,
        &NGINX.replace(
            "    ports: [{containerPort: 80}]\n",
            "    resources: {limits: {memory: 64Mi}}\n",
        ),
    );
    c.advance(SimDuration::from_secs(30));
    assert_eq!(status(&c, "web").restart_count, 0);
}

/// The seconds between each exit and the next start of `pod`'s container, watched for
/// `span`. Read from the kubelet's own record of the container: the API's `startedAt` and
/// `finishedAt` carry whole seconds only, as a real cluster's do.
fn restart_gaps(c: &mut Cluster, pod_name: &str, span: SimDuration) -> Vec<u64> {
    let mut gaps = Vec::new();
    let mut last_restarts = -1;
    let limit = c.now() + span;
    while c.now() < limit {
        c.advance(SimDuration::from_millis(500));
        let ctr = c
            .kubelets()
            .nodes
            .values()
            .flat_map(|k| k.workers.values())
            .find(|w| w.pod.metadata.name.as_deref() == Some(pod_name))
            .and_then(|w| w.ctrs.first());
        let Some(ctr) = ctr else {
            continue;
        };
        if ctr.restarts != last_restarts
            && let pod_workers::CState::Running { since } = &ctr.state
        {
            last_restarts = ctr.restarts;
            if let Some(t) = &ctr.last {
                gaps.push((*since - t.finished).as_millis() / 1000);
            }
        }
    }
    gaps
}

fn crasher(script: &str) -> String {
    format!(
        r#"
apiVersion: v1
kind: Pod
metadata: {{name: crasher, namespace: default}}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "{script}"]
"#
    )
}

// fidelity §5 (flowcontrol.Backoff, kuberuntime_manager.go doBackOff): the first crash
// restarts at once (no back-off entry yet), then restarts wait 10, 20, 40, 80, 160, then
// 300 s (MaxContainerBackOff), measured from each exit.
#[test]
fn crash_restarts_back_off_10_20_40_80_160_300() {
    let mut c = crate::presets::minikube(69);
    apply(&mut c, &crasher("sleep 1; exit 1"));
    let gaps = restart_gaps(&mut c, "crasher", SimDuration::from_secs(1500));
    assert_eq!(gaps[..8], [0, 10, 20, 40, 80, 160, 300, 300], "{gaps:?}");
}

// The same for a liveness kill: the probe fails three times, the kubelet kills the
// container (exit 137 after the grace period) and restarts it with the same back-off.
#[test]
fn liveness_kills_back_off_the_same_way() {
    let mut c = crate::presets::minikube(70);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: default}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
    livenessProbe:
      exec: {command: ["cat", "/tmp/healthy"]}
      periodSeconds: 1
"#,
    );
    let gaps = restart_gaps(&mut c, "crasher", SimDuration::from_secs(1200));
    assert_eq!(gaps[..6], [0, 10, 20, 40, 80, 160], "{gaps:?}");
    let s = status(&c, "crasher");
    let t = s.last_state.and_then(|l| l.terminated).expect("last state");
    assert_eq!((t.reason.as_deref(), t.exit_code), (Some("Error"), 137));
    let ev = events(&c, "Pod", "crasher");
    assert!(
        ev.iter().any(|(r, m)| r == "Killing"
            && m == "Container main failed liveness probe, will be restarted"),
        "{ev:?}"
    );
}

// A container that ran over 10 minutes (2 × MaxContainerBackOff) since the last back-off
// finds its entry expired: it restarts at once, every time.
#[test]
fn back_off_resets_after_ten_minutes() {
    let mut c = crate::presets::minikube(71);
    apply(&mut c, &crasher("sleep 700; exit 1"));
    let gaps = restart_gaps(&mut c, "crasher", SimDuration::from_secs(3000));
    assert!(gaps.len() >= 3, "{gaps:?}");
    assert!(gaps.iter().all(|g| *g == 0), "{gaps:?}");
}

// gRPC probes (pkg/probe/grpc/grpc.go, v1.34): etcd answers the health service on its client
// port; another port never gets a gRPC connection ready, and a named service is unknown.
#[test]
fn grpc_probes_ask_the_image_health_service() {
    let mut c = crate::presets::minikube(72);
    let pod_yaml = |name: &str, grpc: &str| {
        format!(
            r#"
apiVersion: v1
kind: Pod
metadata: {{name: {name}, namespace: default}}
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.6.4-0
    command: ["/usr/local/bin/etcd", "--data-dir", "/var/lib/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", "http://127.0.0.1:2379"]
    ports: [{{containerPort: 2379}}]
    livenessProbe:
      grpc: {grpc}
      initialDelaySeconds: 10
"#
        )
    };
    apply(&mut c, &pod_yaml("healthy", "{port: 2379}"));
    apply(&mut c, &pod_yaml("wrong-port", "{port: 2381}"));
    apply(
        &mut c,
        &pod_yaml("named", "{port: 2379, service: etcdserverpb.KV}"),
    );
    // Three failures 10 s apart, then the 30 s grace period before the restart.
    c.advance(SimDuration::from_secs(90));
    let unhealthy = |c: &Cluster, name: &str| -> Vec<String> {
        events(c, "Pod", name)
            .into_iter()
            .filter(|(r, _)| r == "Unhealthy")
            .map(|(_, m)| m)
            .collect()
    };
    assert_eq!(unhealthy(&c, "healthy"), Vec::<String>::new());
    assert_eq!(status(&c, "healthy").restart_count, 0);
    let ip = pod(&c, "wrong-port")
        .and_then(|p| p.status?.pod_ip)
        .expect("pod ip");
    let wrong = unhealthy(&c, "wrong-port");
    assert_eq!(
        wrong.first().map(String::as_str),
        Some(
            format!(
                "Liveness probe failed: timeout: failed to connect service \"{ip}:2381\" within 1s: context deadline exceeded"
            )
            .as_str()
        ),
        "{wrong:?}"
    );
    assert!(status(&c, "wrong-port").restart_count >= 1);
    assert_eq!(
        unhealthy(&c, "named").first().map(String::as_str),
        Some(
            "Liveness probe failed: error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
        )
    );
}

/// A watch event's type, the pod's phase and its container's terminated (exit code, reason).
type PodWrite = (String, String, Option<(i32, String)>);

/// The phase and the container's terminated (exit code, reason) of every pod write a watch
/// of `name` sees from now until the pod is gone, with the event type.
fn writes_until_gone(c: &mut Cluster, name: &str) -> Vec<PodWrite> {
    use crate::apiserver::WatchOptions;
    let id = c
        .store_mut()
        .watch(kind_of::<corev1::Pod>(), Some("default"), &WatchOptions::default())
        .expect("watch");
    delete(c, name);
    time_until_gone(c, name);
    let events = c.store_mut().poll(id).expect("poll");
    events
        .iter()
        .filter_map(|e| match &*e.object {
            Object::Pod(p) if p.metadata.name.as_deref() == Some(name) => Some((e, p)),
            _ => None,
        })
        .map(|(e, p)| {
            let s = p.status.clone().unwrap_or_default();
            let term = s
                .container_statuses
                .and_then(|cs| cs.into_iter().next())
                .and_then(|cs| cs.state?.terminated)
                .map(|t| (t.exit_code, t.reason.unwrap_or_default()));
            (
                e.event_type.as_str().to_string(),
                s.phase.unwrap_or_default(),
                term,
            )
        })
        .collect()
}

// v1.34 pkg/kubelet/kubelet.go SyncTerminatingPod: once the containers stopped, the status is
// generated with podIsTerminal, so getPhase gives Succeeded when every container exited 0 and
// Failed otherwise; the status manager deletes the pod (grace 0) only after that write.
#[test]
fn a_deleted_pod_is_written_with_a_terminal_phase_before_it_goes() {
    // nginx exits 0 on SIGTERM: Succeeded (`Completed` in `kubectl get pods`).
    let mut c = crate::presets::minikube(66);
    apply(&mut c, NGINX);
    c.advance(SimDuration::from_secs(20));
    let writes = writes_until_gone(&mut c, "web");
    let tail = &writes[writes.len() - 2..];
    let done = Some((0, "Completed".to_string()));
    assert_eq!(
        tail,
        [
            ("MODIFIED".into(), "Succeeded".into(), done.clone()),
            ("DELETED".into(), "Succeeded".into(), done),
        ],
        "{writes:?}"
    );

    // A process that ignores SIGTERM is killed after the grace period: exit 137, Failed
    // (`Error`).
    let mut c = crate::presets::minikube(67);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: sleeper, namespace: default}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - {name: main, image: busybox, command: ["sleep", "3600"]}
"#,
    );
    c.advance(SimDuration::from_secs(20));
    let writes = writes_until_gone(&mut c, "sleeper");
    let tail = &writes[writes.len() - 2..];
    let killed = Some((137, "Error".to_string()));
    assert_eq!(
        tail,
        [
            ("MODIFIED".into(), "Failed".into(), killed.clone()),
            ("DELETED".into(), "Failed".into(), killed),
        ],
        "{writes:?}"
    );
    // Until the kill the pod stays Running (`Terminating` in `kubectl get pods`).
    assert!(
        writes[..writes.len() - 2]
            .iter()
            .all(|(_, phase, _)| phase == "Running"),
        "{writes:?}"
    );
}

#[test]
fn container_specs_follow_the_stored_pod_while_unchanged() {
    // The worker's containers share the stored pod's: each still reads what a copy made at
    // admission holds, through versions that change the status, the labels and an image.
    let mut c = crate::presets::minikube(60);
    apply(
        &mut c,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: shared, namespace: default, labels: {app: shared}}
spec:
  initContainers:
  - {name: setup, image: busybox, command: ['sh', '-c', 'exit 0']}
  containers:
  - {name: web, image: nginx:1.27.3, ports: [{containerPort: 80}]}
  - {name: side, image: busybox, command: ['sh', '-c', 'sleep 3600']}
"#,
    );
    c.advance(SimDuration::from_secs(60));
    let admitted = pod(&c, "shared").and_then(|p| p.spec).expect("spec");
    let copies: Vec<corev1::Container> = admitted
        .init_containers
        .iter()
        .flatten()
        .chain(&admitted.containers)
        .cloned()
        .collect();
    let worker_specs = |c: &Cluster| -> Vec<corev1::Container> {
        let w = c
            .kubelets()
            .nodes
            .values()
            .flat_map(|k| k.workers.values())
            .find(|w| w.pod.metadata.name.as_deref() == Some("shared"))
            .expect("worker");
        w.ctrs.iter().map(|x| corev1::Container::clone(&x.spec)).collect()
    };
    assert_eq!(worker_specs(&c), copies);
    // A label and a new image for `side`: the pod changes, the started containers do not.
    let mut changed = pod(&c, "shared").expect("pod");
    changed
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("tier".into(), "front".into());
    changed.spec.as_mut().expect("spec").containers[1].image = Some("busybox:1.37".into());
    c.store_mut()
        .update(Some("default"), Object::Pod(changed), &Default::default())
        .expect("update");
    c.advance(SimDuration::from_secs(30));
    let stored = pod(&c, "shared").and_then(|p| p.spec).expect("spec");
    assert_eq!(stored.containers[1].image.as_deref(), Some("busybox:1.37"));
    assert_eq!(worker_specs(&c), copies);
}

#[test]
fn containers_share_the_image_files_until_one_writes() {
    // Writes and removals in a container that shares its image's files give what they give
    // in a container with its own copy, and leave the image and the other container alone.
    let image = images::catalog()
        .get("docker.io/library/nginx")
        .expect("nginx");
    let own = runtime::Env {
        files: std::sync::Arc::new((*image.files).clone()),
        ..Default::default()
    };
    let shared = runtime::Env {
        files: std::sync::Arc::clone(&image.files),
        ..Default::default()
    };
    let untouched = shared.clone();
    let ops: [(&str, &str, bool); 8] = [
        ("write", "/etc/motd", false),
        ("append", "/usr/share/nginx/html/index.html", false),
        ("remove", "/etc/nginx/conf.d/default.conf", false),
        ("remove", "/nothing/here", false),
        ("remove", "/usr/share/nginx", true),
        ("remove", "/usr/share/nginx", true),
        ("touch", "/tmp/ready", false),
        ("remove", "/etc", false),
    ];
    let (mut a, mut b) = (own, shared);
    for (op, path, recursive) in ops {
        let run = |env: &mut runtime::Env| match op {
            "write" => env.write_file(path, "hello\n", false),
            "append" => env.write_file(path, "<!-- more -->\n", true),
            "touch" => env.touch_file(path),
            _ => env.remove_file(path, recursive),
        };
        assert_eq!(run(&mut a), run(&mut b), "{op} {path}");
        assert_eq!(a.files, b.files, "{op} {path}");
    }
    assert_eq!(untouched.files, image.files);
    assert_eq!(untouched.files.len(), 2);
}
