//! A small recorder of the cluster's numbers over virtual time, for the page's plots:
//! replicas per ReplicaSet (the surge/drain staircase of a rollout), desired vs ready per
//! Deployment, restarts and probe failures per container, and an HPA's CPU utilization
//! (with its target) against the replicas it asks for.
//!
//! Series are step functions: a point is stored only when the value changes, so a quiet
//! cluster costs nothing and a plot draws each series as a staircase up to "now".

use std::collections::BTreeMap;

use api::Object;
use cluster::Cluster;
use cluster::controller::kind_of;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::core::v1 as corev1;

use crate::{Output, Session};

/// The most series kept; the oldest-changed ones go first.
const MAX_SERIES: usize = 120;
/// The most points one series keeps.
const MAX_POINTS: usize = 4_000;
/// The longest stretch of virtual time between two samples when time is advanced through
/// [`Recorder::advance`]: fine enough to see each step of a rollout.
pub const SAMPLE_EVERY_MS: u64 = 1_000;
/// Above this many nodes a call to [`Recorder::advance`] samples once.
const LARGE_NODES: usize = 50;
/// At most this many samples per call to [`Recorder::advance`], so fast speeds stay cheap.
const MAX_SLICES: u64 = 20;

/// Which plot a series belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// `status.replicas` of a ReplicaSet; `group` is its Deployment (or the ReplicaSet).
    ReplicaSetReplicas,
    /// `spec.replicas` of a Deployment.
    DeploymentDesired,
    /// `status.readyReplicas` of a Deployment.
    DeploymentReady,
    /// `restartCount` of one container; `group` is the pod.
    ContainerRestarts,
    /// Failed probes of one container (the kubelet's `Unhealthy` events, with their counts);
    /// `group` is the pod.
    ContainerProbeFailures,
    /// An HPA's current average CPU utilization in percent of requests; `group` is the
    /// Deployment (or other workload) it scales, so it plots beside that workload's series.
    HpaUtilization,
    /// The utilization the HPA aims at.
    HpaTarget,
    /// `status.currentReplicas` of the HPA.
    HpaReplicas,
}

/// Names one series: what is measured, the thing it belongs to and its own label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    pub metric: Metric,
    pub namespace: String,
    /// The Deployment a ReplicaSet belongs to, or the pod a container runs in.
    pub group: String,
    /// The ReplicaSet's name (with ` (rev N)`), the container's name, or the Deployment's.
    pub label: String,
}

/// One series: (virtual ms, value) at each change, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub points: Vec<(u64, f64)>,
    /// When the series last changed (for evicting the stalest).
    pub changed_ms: u64,
}

/// Samples of the cluster's numbers over virtual time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorder {
    pub series: BTreeMap<SeriesKey, Series>,
    /// Virtual time of the last sample.
    pub now_ms: u64,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// Lets `ms` of virtual time pass in `session`, sampling after every slice. Slices are
    /// [`SAMPLE_EVERY_MS`] long (longer, in whole seconds, when a jump would need more than
    /// [`MAX_SLICES`]) plus one remainder: equal slices keep the lab's action log short, as
    /// it folds repeated equal advances into one entry. Returns what a running watch printed.
    pub fn advance(&mut self, session: &mut Session, ms: u64) -> Output {
        // Large clusters are sampled once per call: listing thousands of pods many times a
        // frame would stall the page.
        let large = session.with_cluster(|c| c.scheduler().node_infos().nodes.len() > LARGE_NODES);
        let slice = if large {
            ms.max(1)
        } else {
            ms.div_ceil(MAX_SLICES).div_ceil(SAMPLE_EVERY_MS).max(1) * SAMPLE_EVERY_MS
        };
        let mut out = Output::default();
        let mut left = ms;
        loop {
            let step = left.min(slice);
            out.lines.extend(session.advance(step).lines);
            session.with_cluster(|c| self.sample(c));
            left -= step;
            if left == 0 {
                return out;
            }
        }
    }

    /// Lets up to `ms` of virtual time pass in equal steps of `quantum` ms for as long as
    /// `more()` says the caller's frame has time left, so a page can run the simulation in
    /// short slices and stay responsive: a step may stop between two of the cluster's tasks
    /// and carry on in the next call ([`Session::advance_sliced`]). Equal steps keep the
    /// lab's action log short (it folds repeated equal advances into one entry). Samples at
    /// every [`SAMPLE_EVERY_MS`] boundary crossed (once at the end on large clusters).
    /// Returns the virtual ms whose steps landed (whole quanta; the rest is the caller's to
    /// carry) and what a watch printed.
    pub fn advance_within(
        &mut self,
        session: &mut Session,
        ms: u64,
        quantum: u64,
        mut more: impl FnMut() -> bool,
    ) -> (u64, Output) {
        let quantum = quantum.max(1);
        let large = session.with_cluster(|c| c.scheduler().node_infos().nodes.len() > LARGE_NODES);
        let mut out = Output::default();
        let mut done = 0;
        while done + quantum <= ms && more() {
            let before = session.now_ms();
            let Some(printed) = session.advance_sliced(quantum, &mut more) else {
                break;
            };
            out.lines.extend(printed.lines);
            done += quantum;
            if !large && session.now_ms() / SAMPLE_EVERY_MS != before / SAMPLE_EVERY_MS {
                session.with_cluster(|c| self.sample(c));
            }
        }
        if done > 0 && large {
            session.with_cluster(|c| self.sample(c));
        }
        (done, out)
    }

    /// Records the current values of every series (a point only where one changed).
    /// kube-system is left out, as in the cluster view.
    pub fn sample(&mut self, cluster: &Cluster) {
        let now = cluster.now().0;
        let shown = |meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            meta.namespace.as_deref() != Some("kube-system")
        };
        self.now_ms = now;
        let mut values: Vec<(SeriesKey, f64)> = Vec::new();
        let key = |metric, ns: &str, group: &str, label: String| SeriesKey {
            metric,
            namespace: ns.to_string(),
            group: group.to_string(),
            label,
        };
        for o in cluster.list(kind_of::<appsv1::Deployment>(), None) {
            let Object::Deployment(d) = &*o else { continue };
            if !shown(&d.metadata) {
                continue;
            }
            let (ns, name) = names(&d.metadata);
            let status = d.status.clone().unwrap_or_default();
            let desired = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            values.push((
                key(Metric::DeploymentDesired, ns, name, "desired".into()),
                f64::from(desired),
            ));
            values.push((
                key(Metric::DeploymentReady, ns, name, "ready".into()),
                f64::from(status.ready_replicas.unwrap_or(0)),
            ));
        }
        for o in cluster.list(kind_of::<appsv1::ReplicaSet>(), None) {
            let Object::ReplicaSet(rs) = &*o else {
                continue;
            };
            if !shown(&rs.metadata) {
                continue;
            }
            let (ns, name) = names(&rs.metadata);
            let deployment = crate::view::controller_of(&rs.metadata)
                .filter(|o| o.kind == "Deployment")
                .map_or_else(|| name.to_string(), |o| o.name);
            let label = match rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("deployment.kubernetes.io/revision"))
            {
                Some(rev) => format!("{name} (rev {rev})"),
                None => name.to_string(),
            };
            let replicas = rs.status.as_ref().map_or(0, |s| s.replicas);
            values.push((
                key(Metric::ReplicaSetReplicas, ns, &deployment, label),
                f64::from(replicas),
            ));
        }
        for o in crate::view::shown_pods(cluster, false) {
            let Object::Pod(p) = &*o else { continue };
            let (ns, name) = names(&p.metadata);
            for c in p
                .status
                .iter()
                .flat_map(|s| s.container_statuses.iter().flatten())
            {
                // Only containers that restarted: a plot of flat zeros says nothing.
                if c.restart_count > 0
                    || self.series.contains_key(&key(
                        Metric::ContainerRestarts,
                        ns,
                        name,
                        c.name.clone(),
                    ))
                {
                    values.push((
                        key(Metric::ContainerRestarts, ns, name, c.name.clone()),
                        f64::from(c.restart_count),
                    ));
                }
            }
        }
        values.extend(self.probe_failures(cluster));
        for o in cluster.list(kind_of::<autoscalingv2::HorizontalPodAutoscaler>(), None) {
            let Object::HorizontalPodAutoscaler(h) = &*o else {
                continue;
            };
            if !shown(&h.metadata) {
                continue;
            }
            let ns = names(&h.metadata).0;
            let target = &h.spec.as_ref().map(|s| s.scale_target_ref.name.clone()).unwrap_or_default();
            let status = h.status.as_ref();
            let cpu = |m: &autoscalingv2::MetricTarget| m.average_utilization;
            let target_util = h
                .spec
                .iter()
                .flat_map(|s| s.metrics.iter().flatten())
                .filter_map(|m| m.resource.as_ref().filter(|r| r.name == "cpu"))
                .find_map(|r| cpu(&r.target));
            let current_util = status
                .iter()
                .flat_map(|s| s.current_metrics.iter().flatten())
                .filter_map(|m| m.resource.as_ref().filter(|r| r.name == "cpu"))
                .find_map(|r| r.current.average_utilization);
            if let Some(v) = current_util {
                values.push((key(Metric::HpaUtilization, ns, target, "cpu %".into()), f64::from(v)));
            }
            if let Some(v) = target_util {
                values.push((key(Metric::HpaTarget, ns, target, "target %".into()), f64::from(v)));
            }
            values.push((
                key(Metric::HpaReplicas, ns, target, "replicas".into()),
                f64::from(status.and_then(|s| s.current_replicas).unwrap_or(0)),
            ));
        }
        // Series whose object is gone drop to zero once (a ReplicaSet deleted by history
        // cleanup, a pod replaced), so the staircase ends where the object ended.
        let seen: std::collections::BTreeSet<&SeriesKey> = values.iter().map(|(k, _)| k).collect();
        let gone: Vec<SeriesKey> = self
            .series
            .iter()
            .filter(|(k, s)| {
                !seen.contains(k)
                    && !matches!(k.metric, Metric::ContainerRestarts | Metric::ContainerProbeFailures)
                    && s.points.last().is_some_and(|p| p.1 != 0.0)
            })
            .map(|(k, _)| k.clone())
            .collect();
        values.extend(gone.into_iter().map(|k| (k, 0.0)));
        for (k, v) in values {
            self.record(k, now, v);
        }
    }

    /// Failed probes per container, from the kubelet's `Unhealthy` events (one event object
    /// per container and message, its `count` raised on repeats). Counts never go down here:
    /// an event that expires (after an hour) leaves the failures it counted on the plot.
    fn probe_failures(&self, cluster: &Cluster) -> Vec<(SeriesKey, f64)> {
        let mut counts: BTreeMap<SeriesKey, f64> = BTreeMap::new();
        for o in crate::view::list_shown(cluster, kind_of::<corev1::Event>(), false) {
            let Object::Event(e) = &*o else { continue };
            let involved = &e.involved_object;
            if e.reason.as_deref() != Some("Unhealthy") || involved.kind.as_deref() != Some("Pod") {
                continue;
            }
            let Some(container) = involved
                .field_path
                .as_deref()
                .and_then(|f| f.strip_prefix("spec.containers{"))
                .and_then(|f| f.strip_suffix('}'))
            else {
                continue;
            };
            let key = SeriesKey {
                metric: Metric::ContainerProbeFailures,
                namespace: involved.namespace.clone().unwrap_or_default(),
                group: involved.name.clone().unwrap_or_default(),
                label: container.to_string(),
            };
            *counts.entry(key).or_default() += f64::from(e.count.unwrap_or(1));
        }
        counts
            .into_iter()
            .map(|(k, n)| {
                let before = self.series.get(&k).and_then(|s| s.points.last()).map_or(0.0, |p| p.1);
                (k, n.max(before))
            })
            .collect()
    }

    fn record(&mut self, key: SeriesKey, now: u64, value: f64) {
        if !self.series.contains_key(&key) && self.series.len() >= MAX_SERIES {
            let stalest = self
                .series
                .iter()
                .min_by_key(|(_, s)| s.changed_ms)
                .map(|(k, _)| k.clone());
            if let Some(k) = stalest {
                self.series.remove(&k);
            }
        }
        let series = self.series.entry(key).or_default();
        if series.points.last().is_some_and(|p| p.1 == value) {
            return;
        }
        series.points.push((now, value));
        series.changed_ms = now;
        if series.points.len() > MAX_POINTS {
            series.points.remove(0);
        }
    }

    /// The series of one metric, in key order.
    pub fn of(&self, metric: Metric) -> impl Iterator<Item = (&SeriesKey, &Series)> {
        self.series.iter().filter(move |(k, _)| k.metric == metric)
    }

    /// The value a series had at virtual time `at_ms` (the staircase's height there).
    pub fn value_at(series: &Series, at_ms: u64) -> Option<f64> {
        series
            .points
            .iter()
            .take_while(|p| p.0 <= at_ms)
            .last()
            .map(|p| p.1)
    }
}

fn names(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> (&str, &str) {
    (
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or(""),
    )
}

#[cfg(test)]
mod tests {
    use super::{Metric, Recorder};
    use crate::Session;

    #[test]
    fn a_sliced_advance_stops_when_the_frame_has_no_time_left() {
        let mut session = Session::with_seed(3);
        let start = session.handed_over_ms();
        let mut rec = Recorder::new();
        // Three quanta fit the budget; the rest is left for the next frame.
        let mut slices = 0;
        let (done, _) = rec.advance_within(&mut session, 1_000, 100, || {
            slices += 1;
            slices <= 3
        });
        assert_eq!(done, 300);
        assert_eq!(session.now_ms() - start, 300);
        // Only whole quanta pass: 250 ms owed is two quanta, 50 ms stay owed.
        let (done, _) = rec.advance_within(&mut session, 250, 100, || true);
        assert_eq!((done, session.now_ms() - start), (200, 500));
        // Equal quanta fold into one entry of the lab's action log.
        let advances: Vec<_> = session
            .actions()
            .into_iter()
            .filter(|a| matches!(a.action, crate::link::LabAction::Advance { .. }))
            .collect();
        assert_eq!(advances.len(), 1, "{advances:?}");
    }

    #[test]
    fn a_sliced_advance_samples_the_plots_every_second() {
        let mut session = Session::with_seed(3);
        let start = session.handed_over_ms();
        let mut rec = Recorder::new();
        session.run_command("kubectl create deployment web --image=nginx --replicas=2");
        let (done, _) = rec.advance_within(&mut session, 30_000, 100, || true);
        assert_eq!(done, 30_000);
        let ready: Vec<_> = rec.of(Metric::DeploymentReady).collect();
        assert_eq!(ready.len(), 1);
        // Readiness climbed in steps recorded while time passed, not only at the end.
        assert_eq!(ready[0].1.points.last().map(|p| p.1), Some(2.0));
        assert!(ready[0].1.points.first().is_some_and(|p| p.0 < start + 30_000), "{ready:?}");
    }

    #[test]
    fn a_rollout_records_the_surge_and_drain_staircase() {
        let mut session = Session::with_seed(3);
        let mut rec = Recorder::new();
        session.run_command("kubectl create deployment web --image=nginx --replicas=4");
        // A pod of the new image starts within a second once the node has it, so without
        // minReadySeconds the whole rollout fits between two samples.
        session.run_command(
            r#"kubectl patch deployment web -p '{"spec":{"minReadySeconds":10}}'"#,
        );
        rec.advance(&mut session, 30_000);
        session.run_command("kubectl set image deployment/web nginx=nginx:1.27");
        rec.advance(&mut session, 90_000);
        let rs: Vec<_> = rec.of(Metric::ReplicaSetReplicas).collect();
        assert_eq!(rs.len(), 2, "{rs:?}");
        let (old, new) = if rs[0].0.label.contains("rev 1") {
            (rs[0], rs[1])
        } else {
            (rs[1], rs[0])
        };
        assert!(old.0.label.ends_with("(rev 1)") && new.0.label.ends_with("(rev 2)"));
        assert!(old.0.group == "web" && new.0.group == "web");
        // Old drains from 4 to 0 and new grows to 4, in steps.
        assert_eq!(old.1.points.first().map(|p| p.1), Some(4.0));
        assert_eq!(old.1.points.last().map(|p| p.1), Some(0.0));
        assert_eq!(new.1.points.last().map(|p| p.1), Some(4.0));
        // 25 % surge and unavailability of 4: old 4 → 3 → 1 → 0 while new 2 → 4 (its two
        // first pods become available together).
        assert!(
            old.1.points.len() >= 3 && new.1.points.len() >= 2,
            "{old:?} {new:?}"
        );
        // maxSurge 25% of 4 = 1: never more than 5 pods in all.
        let times: Vec<u64> = old
            .1
            .points
            .iter()
            .chain(&new.1.points)
            .map(|p| p.0)
            .collect();
        for t in times {
            let total = Recorder::value_at(old.1, t).unwrap_or(0.0)
                + Recorder::value_at(new.1, t).unwrap_or(0.0);
            assert!(total <= 5.0, "{total} pods at {t} ms");
        }
        let ready: Vec<_> = rec.of(Metric::DeploymentReady).collect();
        assert_eq!(ready[0].1.points.last().map(|p| p.1), Some(4.0));
    }

    #[test]
    fn failed_liveness_probes_are_counted_per_container() {
        let mut session = Session::with_seed(3);
        let mut rec = Recorder::new();
        // The notes' kubia-liveness pod: its app answers 500 after the fifth request.
        session.write_file(
            "kubia-liveness.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: kubia-liveness}\nspec:\n  containers:\n  \
             - image: luksa/kubia-unhealthy\n    name: kubia\n    livenessProbe:\n      httpGet: {path: /, port: 8080}\n",
        );
        session.run_command("kubectl create -f kubia-liveness.yaml");
        rec.advance(&mut session, 240_000);
        let failures: Vec<_> = rec.of(Metric::ContainerProbeFailures).collect();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!((failures[0].0.group.as_str(), failures[0].0.label.as_str()), ("kubia-liveness", "kubia"));
        let restarts: Vec<_> = rec.of(Metric::ContainerRestarts).collect();
        let restarted = restarts[0].1.points.last().map_or(0.0, |p| p.1);
        // Three failures in a row (failureThreshold) restart the container: at least three
        // failures per restart, and the count only grows.
        let failed = failures[0].1.points.last().map_or(0.0, |p| p.1);
        assert!(restarted >= 1.0 && failed >= 3.0 * restarted, "{failed} failures, {restarted} restarts");
        assert!(failures[0].1.points.windows(2).all(|w| w[0].1 < w[1].1));
    }

    #[test]
    fn an_hpa_plots_utilization_and_target_against_its_replicas() {
        let mut session = Session::with_seed(3);
        let mut rec = Recorder::new();
        session.run_command("minikube addons enable metrics-server");
        session.run_command("kubectl create deployment php-apache --image=nginx --port=80");
        session.run_command("kubectl set resources deployment php-apache --requests=cpu=200m");
        session.run_command("kubectl expose deployment php-apache --port=80");
        session.run_command("kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10");
        rec.advance(&mut session, 90_000);
        // Idle pods report their small usage: the line is there before any load.
        assert_eq!(rec.of(Metric::HpaUtilization).count(), 1);
        session.with_host(|c, _, _| {
            c.put_load(
                "default",
                "php-apache",
                cluster::controller::hpa::metrics::Usage { cpu_millis: 500, ..Default::default() },
            )
        });
        rec.advance(&mut session, 240_000);
        let last = |m: Metric| {
            let series: Vec<_> = rec.of(m).collect();
            assert_eq!(series.len(), 1, "{m:?}: {series:?}");
            assert_eq!(series[0].0.group, "php-apache", "grouped under the Deployment it scales");
            series[0].1.points.last().map_or(0.0, |p| p.1)
        };
        assert_eq!(last(Metric::HpaTarget), 50.0);
        assert!(last(Metric::HpaReplicas) > 1.0, "the HPA scaled up");
        let cpu: Vec<_> = rec.of(Metric::HpaUtilization).collect();
        assert!(cpu[0].1.points.iter().any(|p| p.1 > 50.0), "{cpu:?}");
    }

    #[test]
    fn slices_do_not_change_where_the_cluster_ends_up() {
        let mut a = Session::with_seed(5);
        let mut b = Session::with_seed(5);
        for s in [&mut a, &mut b] {
            s.run_command("kubectl create deployment web --image=nginx --replicas=3");
        }
        Recorder::new().advance(&mut a, 45_000);
        b.advance(45_000);
        assert_eq!(a.snapshot(), b.snapshot());
    }
}
