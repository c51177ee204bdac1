//! `kubelab bench sched` and `kubelab bench cluster`: the simulator at scale.
//!
//! - sched: a `large` preset of 5,000 workers, then a burst of pending pods handed to a fresh
//!   scheduler; the figure is pods bound per wall second of `Scheduler::process`.
//! - cluster: 1,500 Deployments × 100 replicas on 5,000 workers, run until every Deployment
//!   reports all replicas available (wall and virtual time, heap bytes per pod), the time
//!   `kubectl get pods -A` takes to print that cluster's pods, then a rolling update of a
//!   100-replica Deployment (wall milliseconds per virtual second).
//!
//! Times are the benchmark thread's CPU time where the [`Clock`] has it (natively
//! `CLOCK_THREAD_CPUTIME_ID`), which is what the wall clock shows on an idle core: the
//! development machine is shared, so its wall clock mostly measures the neighbours. The
//! elapsed wall time is reported beside it. In the browser both are `performance.now()`.
//! Figures only: nothing here asserts a timing.

use api::Object;
use cluster::apiserver::{CreateOptions, UpdateOptions};
use cluster::scheduler::Scheduler;
use cluster::{Cluster, SimDuration, SimRng};
use k8s_openapi::api::apps::v1 as appsv1;

use crate::{Clock, Stopwatch, live_bytes};

/// What `bench sched` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SchedBench {
    pub nodes: usize,
    pub pods: usize,
    pub preset_build_wall_s: f64,
    /// The longest single step of the preset's build (one node joining, or one task of the
    /// t=0 hand-over): what a page that builds it across frames cannot cut shorter.
    pub preset_build_longest_step_ms: f64,
    /// The longest task of the cluster's first ten virtual seconds after the hand-over.
    pub first_10s_longest_task_ms: f64,
    pub sched_pods_per_s_5000_nodes: f64,
    pub sched_pods_per_s_elapsed: f64,
}

/// What `bench cluster` measured (includes the scheduler figures).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterBench {
    pub nodes: usize,
    pub deployments: usize,
    pub replicas: usize,
    pub sched_pods_per_s_5000_nodes: f64,
    pub ready_150k_wall_s: f64,
    pub ready_150k_elapsed_s: f64,
    pub ready_150k_virtual_s: f64,
    pub rollout_wall_ms_per_virtual_s: f64,
    pub rollout_virtual_s: f64,
    pub bytes_per_pod: f64,
    /// `kubectl get pods -A` over the Ready cluster, from the command line to its last line.
    pub get_pods_all_namespaces_s: f64,
    pub get_pods_all_namespaces_lines: usize,
}

fn pod_yaml(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: default, labels: {{app: burst}}}}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27.3\n    resources: {{requests: {{cpu: 10m, memory: 16Mi}}}}\n"
    )
}

fn deployment_yaml(name: &str, replicas: usize, image: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n      - name: web\n        image: {image}\n        resources: {{requests: {{cpu: 10m, memory: 16Mi}}}}\n"
    )
}

fn create(c: &mut Cluster, yaml: &str) {
    for d in api::decode(yaml, "bench.yaml").into_iter().flatten() {
        let _ = c
            .store_mut()
            .create(Some("default"), d.object, &CreateOptions::default());
    }
}

/// Scheduler throughput at `nodes` workers with `pods` pending pods.
pub fn sched(nodes: usize, pods: usize, clock: Clock) -> SchedBench {
    // Built one step at a time, as the page does across frames.
    let mut build = cluster::presets::large_build(1, nodes);
    let (mut preset_build_wall_s, mut longest_build_step) = (0.0, 0.0_f64);
    loop {
        let t = Stopwatch::start(clock);
        let mut once = true;
        let done = build.step(&mut || std::mem::take(&mut once));
        let step = t.read().0;
        preset_build_wall_s += step;
        longest_build_step = longest_build_step.max(step);
        if done {
            break;
        }
    }
    let mut c = build.finish();
    let until = c.now() + SimDuration::from_secs(10);
    let mut longest_task = 0.0_f64;
    loop {
        let t = Stopwatch::start(clock);
        let mut once = true;
        let done = c.advance_toward(until, &mut || std::mem::take(&mut once));
        longest_task = longest_task.max(t.read().0);
        if done {
            break;
        }
    }
    let now = c.now();
    let mut sched = Scheduler::default();
    let store = c.store_mut();
    let _ = sched.start(store);
    sched.pump(store, now);
    let before = sched.scheduled;
    for i in 0..pods {
        create_in(store, &pod_yaml(&format!("burst-{i}")));
    }
    let mut rng = SimRng::seeded(7);
    let t = Stopwatch::start(clock);
    sched.pump(store, now);
    sched.process(store, &mut rng, now, usize::MAX);
    let (cpu, wall) = t.read();
    let bound = (sched.scheduled - before) as f64;
    SchedBench {
        nodes,
        pods,
        preset_build_wall_s,
        preset_build_longest_step_ms: longest_build_step * 1000.0,
        first_10s_longest_task_ms: longest_task * 1000.0,
        sched_pods_per_s_5000_nodes: bound / cpu.max(1e-9),
        sched_pods_per_s_elapsed: bound / wall.max(1e-9),
    }
}

fn create_in(store: &mut cluster::Store, yaml: &str) {
    for d in api::decode(yaml, "bench.yaml").into_iter().flatten() {
        let _ = store.create(Some("default"), d.object, &CreateOptions::default());
    }
}

fn all_available(c: &Cluster, want: usize, replicas: i32) -> bool {
    let list = c.list(
        cluster::controller::kind_of::<appsv1::Deployment>(),
        Some("default"),
    );
    list.len() >= want
        && list.iter().all(|o| match &**o {
            Object::Deployment(d) => d
                .status
                .as_ref()
                .and_then(|s| s.available_replicas)
                .is_some_and(|a| a >= replicas),
            _ => true,
        })
}

/// The whole-cluster benchmark.
pub fn cluster(nodes: usize, deployments: usize, replicas: usize, clock: Clock) -> ClusterBench {
    let sched = sched(nodes, 10_000, clock);

    let heap_before = live_bytes();
    let mut c = cluster::presets::large(2, nodes);
    let t = Stopwatch::start(clock);
    let v0 = c.now();
    for i in 0..deployments {
        create(
            &mut c,
            &deployment_yaml(&format!("app-{i:04}"), replicas, "nginx:1.27.3"),
        );
    }
    c.settle();
    // Check readiness once per virtual second: the predicate reads every Deployment.
    let limit = v0 + SimDuration::from_secs(3600);
    while !all_available(&c, deployments, replicas as i32) && c.now() < limit {
        c.advance(SimDuration::from_secs(1));
    }
    let (ready_wall, ready_elapsed) = t.read();
    let ready_virtual = (c.now() - v0).as_millis() as f64 / 1000.0;
    let pods = (deployments * replicas).max(1);
    let heap_after = live_bytes();
    let bytes_per_pod = (heap_after - heap_before) as f64 / pods as f64;
    let (get_pods_all_namespaces_s, get_pods_all_namespaces_lines) = kubectl_get_pods_all(&mut c, clock);
    drop(c);

    let (rollout, _) = rollout(clock);

    ClusterBench {
        nodes,
        deployments,
        replicas,
        sched_pods_per_s_5000_nodes: sched.sched_pods_per_s_5000_nodes,
        ready_150k_wall_s: ready_wall,
        ready_150k_elapsed_s: ready_elapsed,
        ready_150k_virtual_s: ready_virtual,
        rollout_wall_ms_per_virtual_s: rollout.wall_ms / rollout.virtual_s,
        rollout_virtual_s: rollout.virtual_s,
        bytes_per_pod,
        get_pods_all_namespaces_s,
        get_pods_all_namespaces_lines,
    }
}

/// One rolling update of a 100-replica Deployment measured by [`rollout`].
#[derive(Debug, Clone, Copy)]
pub struct Rollout {
    /// The rollout's `run_until`, in the clock's milliseconds.
    pub wall_ms: f64,
    pub virtual_s: f64,
}

/// A rolling update of 100 pods on a fresh 10-node cluster: the Deployment is brought up and
/// Ready first, then its image changes and the rollout alone is timed. The cluster is returned
/// as the rollout left it, for comparing runs.
pub fn rollout(clock: Clock) -> (Rollout, Cluster) {
    let mut c = cluster::presets::large(3, 10);
    create(&mut c, &deployment_yaml("rollout", 100, "nginx:1.27.3"));
    c.settle();
    let _ = c.run_until(
        |c| all_available(c, 1, 100),
        SimDuration::from_secs(3600),
    );
    let info = cluster::controller::kind_of::<appsv1::Deployment>();
    if let Ok(o) = c.store().get(info, Some("default"), "rollout")
        && let Object::Deployment(mut d) = (*o).clone()
    {
        if let Some(pod) = d.spec.as_mut().and_then(|s| s.template.spec.as_mut()) {
            pod.containers[0].image = Some("nginx:1.28".into());
        }
        let _ = c
            .store_mut()
            .update(Some("default"), Object::Deployment(d), &UpdateOptions::default());
    }
    c.settle();
    let t = Stopwatch::start(clock);
    let v0 = c.now();
    let done = |c: &Cluster| {
        c.store()
            .get(info, Some("default"), "rollout")
            .ok()
            .is_some_and(|o| match &*o {
                Object::Deployment(d) => {
                    let st = d.status.clone().unwrap_or_default();
                    st.updated_replicas == Some(100)
                        && st.available_replicas == Some(100)
                        && st.replicas == Some(100)
                        && st.observed_generation == d.metadata.generation
                }
                _ => false,
            })
    };
    let _ = c.run_until(done, SimDuration::from_secs(3600));
    let measured = Rollout {
        wall_ms: t.read().0 * 1000.0,
        virtual_s: ((c.now() - v0).as_millis() as f64 / 1000.0).max(1e-3),
    };
    (measured, c)

}

/// Runs `kubectl get pods -A` as the terminal does: (seconds, lines printed).
fn kubectl_get_pods_all(c: &mut Cluster, clock: Clock) -> (f64, usize) {
    let args: Vec<String> = ["get", "pods", "-A"].map(String::from).into();
    let mut config = kubectl::Kubeconfig::default();
    let mut env = kubectl::Env {
        store: c.store_mut(),
        files: &kubectl::NoFiles,
        config: &mut config,
        stdin: None,
        command_line: "kubectl get pods -A",
        pods: &mut cluster::NoPods,
    };
    let t = Stopwatch::start(clock);
    let out = kubectl::run(&args, &mut env);
    (t.read().0, out.lines.len())
}

/// The text report of `bench sched`.
pub fn render_sched(b: &SchedBench) -> String {
    format!(
        "nodes: {}\npending pods: {}\npreset build: {:.2} s (longest step {:.1} ms)\nfirst 10 virtual seconds: longest task {:.1} ms\nscheduled: {:.0} pods/s ({:.0} pods/s elapsed)\n",
        b.nodes,
        b.pods,
        b.preset_build_wall_s,
        b.preset_build_longest_step_ms,
        b.first_10s_longest_task_ms,
        b.sched_pods_per_s_5000_nodes,
        b.sched_pods_per_s_elapsed
    )
}

/// The text report of `bench cluster`.
pub fn render_cluster(b: &ClusterBench) -> String {
    format!(
        "nodes: {}, deployments: {} x {} replicas\nscheduled: {:.0} pods/s\nall Ready: {:.2} s ({:.2} s elapsed), {:.1} s virtual\nrollout of 100 pods: {:.3} ms wall per virtual second ({:.1} s virtual)\nheap bytes per pod: {:.0}\nkubectl get pods -A: {:.3} s ({} lines)\n",
        b.nodes,
        b.deployments,
        b.replicas,
        b.sched_pods_per_s_5000_nodes,
        b.ready_150k_wall_s,
        b.ready_150k_elapsed_s,
        b.ready_150k_virtual_s,
        b.rollout_wall_ms_per_virtual_s,
        b.rollout_virtual_s,
        b.bytes_per_pod,
        b.get_pods_all_namespaces_s,
        b.get_pods_all_namespaces_lines
    )
}
