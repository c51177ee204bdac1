//! The discrete-event simulation: one [`Cluster`] owning the API store, the event queue, the
//! seeded RNG, the scheduler, the controllers and the nodes' kubelets.
//!
//! Time only moves when the queue says so: [`Cluster::step_to_next_event`] pops the earliest
//! task, sets the clock to its instant and runs it; then every component's watches are
//! drained and components with work get a task at the same instant. Ties run in insertion
//! order (`(time, seq)`), so a run is a pure function of the seed and the timed actions.
//!
//! A task does a bounded amount of work ([`CONTROLLER_KEYS_PER_TASK`],
//! [`CONTROLLER_WRITES_PER_TASK`], [`SCHEDULER_PODS_PER_TASK`],
//! [`KUBELET_SYNCS_PER_TASK`]); a component with more left
//! queues the rest first at the same instant, ahead of the work its writes woke elsewhere, so
//! the run is as if the task had done it all (a DaemonSet is synced once after thousands of
//! kubelets' batches, not once per batch). So no single task holds a caller for long, even
//! when thousands of nodes' kubelets have work at one instant, and
//! [`Cluster::advance_toward`] can stop between any two tasks (the page runs the simulation
//! in slices of a frame) without changing what happens. A controller's plan cut at the write
//! bound is the one case where a task ends with the store half way through a change: until
//! its next task has applied the rest, [`Cluster::settle`] tells no one and collects no
//! garbage, so every component sees the plan's writes together, as if one task did them.
//!
//! # Invariants
//! - Never reads a clock; never draws from anything but the cluster's [`SimRng`].
//! - Components meet only through the store; the loop only tells them when to look.

pub mod queue;

use std::collections::BTreeSet;

use api::Object;

use crate::apiserver::Store;
use crate::controller::{self, ObjectKey, Runner};
use crate::kubelet::{KubeletTimer, Kubelets};
use crate::rng::SimRng;
use crate::scheduler::Scheduler;
use crate::time::{SimDuration, SimTime};
pub use queue::EventQueue;

/// The keys one controller syncs in one task.
pub const CONTROLLER_KEYS_PER_TASK: usize = 64;
/// The pods the scheduler tries in one task.
pub const SCHEDULER_PODS_PER_TASK: usize = 64;
/// The pod syncs all kubelets run in one task.
pub const KUBELET_SYNCS_PER_TASK: usize = 32;
/// The writes one controller applies in one task: a plan with more (a DaemonSet sync
/// creating a pod on each of 250 new nodes) goes on in the next task at the same instant.
pub const CONTROLLER_WRITES_PER_TASK: usize = 32;

/// A component the loop wakes when its watches deliver work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    Controller(usize),
    Scheduler,
    Kubelets,
}

/// One entry of the event queue.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// Watch-driven work for a component.
    Work(Component),
    /// A controller's requeue or retry timer for `key`, set for `at`.
    ControllerTimer {
        index: usize,
        key: ObjectKey,
        at: SimTime,
    },
    /// The rest of a controller's plan, cut at [`CONTROLLER_WRITES_PER_TASK`]; queued first
    /// at the same instant, outside the `pending` bookkeeping of watch-driven work, so it
    /// runs next whatever else the controller has queued.
    ControllerPlanRest(usize),
    /// The scheduling queue's back-off or unschedulable flush.
    SchedulerFlush,
    /// A kubelet timer (image pulled, process step, probe, back-off, heartbeat…).
    Kubelet(KubeletTimer),
    /// The resource metrics scrape (metrics-server), every 15 s.
    MetricsScrape,
}

/// Why `run_until` stopped without the predicate holding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    #[error("condition not reached within {limit_ms} ms of simulated time")]
    Timeout { limit_ms: u64 },
}

/// A simulated cluster.
#[derive(Debug)]
pub struct Cluster {
    pub(crate) store: Store,
    pub(crate) queue: EventQueue<Task>,
    pub(crate) rng: SimRng,
    pub(crate) now: SimTime,
    pub(crate) runners: Vec<Runner>,
    pub(crate) scheduler: Scheduler,
    pub(crate) kubelets: Kubelets,
    pub(crate) network: crate::network::NetState,
    pending: BTreeSet<Component>,
    pumped_rv: Option<u64>,
    scheduler_flush_at: Option<SimTime>,
    /// [`CONTROLLER_WRITES_PER_TASK`]; tests set other bounds.
    pub(crate) controller_writes_per_task: usize,
    /// Load put on Services (`put_load`), which the metrics scrape adds to pod usage.
    pub(crate) loads: crate::controller::hpa::metrics::Loads,
    /// Tasks run so far.
    pub steps: u64,
}

impl Cluster {
    /// An empty cluster (no nodes) with the default controllers, seeded with `seed`.
    pub fn new(seed: u64) -> Cluster {
        let mut rng = SimRng::seeded(seed);
        let mut store = Store::new(rng.fork());
        // Every pod of a running cluster is held decoded by its kubelet or by the scheduler's
        // queue, so keeping the store's copy compact would free nothing and make each read
        // decode (reads of compact pods were 40% of a 20,000-pod run). The compact form
        // serves a store without them (`kubelab bench api`).
        store.set_hot_limit(usize::MAX);
        let mut c = Cluster {
            store,
            queue: EventQueue::new(),
            rng,
            now: SimTime::ZERO,
            runners: controller::default_controllers()
                .into_iter()
                .map(Runner::new)
                .collect(),
            scheduler: Scheduler::default(),
            kubelets: Kubelets::seeded(seed),
            network: Default::default(),
            pending: BTreeSet::new(),
            pumped_rv: None,
            scheduler_flush_at: None,
            controller_writes_per_task: CONTROLLER_WRITES_PER_TASK,
            loads: Default::default(),
            steps: 0,
        };
        c.queue.push(SimTime::ZERO, Task::MetricsScrape);
        for r in &mut c.runners {
            // Watches on registered kinds cannot be refused.
            let started = r.start(&mut c.store);
            debug_assert!(started.is_ok(), "{started:?}");
        }
        let started = c.scheduler.start(&mut c.store);
        debug_assert!(started.is_ok(), "{started:?}");
        let started = c.kubelets.start(&mut c.store);
        debug_assert!(started.is_ok(), "{started:?}");
        crate::auth::bootstrap::install(&mut c.store);
        // Each namespace's ServiceAccount and root CA exist before anyone looks.
        c.advance(SimDuration::ZERO);
        c
    }

    /// The current simulated instant.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The API store, read-only.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The API store, for client writes (kubectl). Call [`Cluster::settle`] afterwards (or
    /// advance time) so components see the change.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The scheduler (its cache and explanations).
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// The kubelets.
    pub fn kubelets(&self) -> &Kubelets {
        &self.kubelets
    }

    /// The explanation of the latest scheduling attempt for a pod.
    pub fn scheduling_explanation(
        &self,
        namespace: &str,
        name: &str,
    ) -> Option<&crate::scheduler::Explanation> {
        self.scheduler.explanation(namespace, name)
    }

    /// The instant of the next queued task.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Runs the earliest task, and the rest of a controller's plan it cut at the write bound,
    /// so a caller that looks at the store after each step never sees a plan half applied.
    /// Returns false when the queue is empty.
    pub fn step_to_next_event(&mut self) -> bool {
        let ran = self.run_next_task();
        while self.mid_plan() && self.run_next_task() {}
        ran
    }

    /// Runs the earliest task (and nothing else). Returns false when the queue is empty.
    fn run_next_task(&mut self) -> bool {
        let Some((at, task)) = self.queue.pop() else {
            return false;
        };
        if at > self.now {
            self.now = at;
        }
        self.store.set_now(self.now);
        self.steps += 1;
        self.run_task(task);
        self.settle();
        true
    }

    /// Runs every task due up to `now + d`, then sets the clock to that instant.
    pub fn advance(&mut self, d: SimDuration) {
        let until = self.now + d;
        self.advance_toward(until, &mut || true);
    }

    /// Runs the tasks due up to `until` for as long as `more()` allows (asked before each
    /// task). Returns true when none is left, with the clock set to `until`; false when
    /// `more()` stopped it, with the clock at the last task run. Calling it again with the
    /// same `until` carries on: the tasks run are the same however the calls are sliced.
    pub fn advance_toward(&mut self, until: SimTime, more: &mut dyn FnMut() -> bool) -> bool {
        self.settle();
        while self.queue.peek_time().is_some_and(|t| t <= until) {
            if !more() {
                return false;
            }
            // One task: the page stops between any two, a cut plan's parts included.
            self.run_next_task();
        }
        if until > self.now {
            self.now = until;
        }
        self.store.set_now(self.now);
        true
    }

    /// Steps until `pred` holds (checked before each step) or `limit` of simulated time has
    /// passed.
    ///
    /// # Errors
    /// `Timeout` when the limit passes first (the clock then stands at the limit).
    pub fn run_until(
        &mut self,
        mut pred: impl FnMut(&Cluster) -> bool,
        limit: SimDuration,
    ) -> Result<SimTime, SimError> {
        let until = self.now + limit;
        self.settle();
        loop {
            // A plan half applied is no state the cluster is ever seen in.
            if !self.mid_plan() && pred(self) {
                return Ok(self.now);
            }
            match self.queue.peek_time() {
                Some(t) if t <= until => {
                    self.step_to_next_event();
                }
                _ => {
                    self.now = until;
                    self.store.set_now(until);
                    return if pred(self) {
                        Ok(self.now)
                    } else {
                        Err(SimError::Timeout {
                            limit_ms: limit.as_millis(),
                        })
                    };
                }
            }
        }
    }

    /// Lets components see store changes made from outside (client writes): runs the garbage
    /// collector and queues work for components whose watches have events.
    pub fn settle(&mut self) {
        self.store.set_now(self.now);
        if self.mid_plan() {
            // Its rest runs next (`Task::ControllerPlanRest`); the others hear of it all then.
            return;
        }
        if self.store.has_garbage() {
            self.store.collect_garbage();
        }
        let rv = self.store.resource_version();
        if self.pumped_rv == Some(rv) {
            return;
        }
        // Status written by the ingress controller and `minikube tunnel`.
        crate::network::sync_status(&mut self.store, &mut self.network);
        let rv = self.store.resource_version();
        self.pumped_rv = Some(rv);
        let now = self.now;
        for i in 0..self.runners.len() {
            if self.runners[i].pump(&mut self.store) {
                self.wake(Component::Controller(i));
            }
        }
        if self.scheduler.pump(&mut self.store, now) {
            self.wake(Component::Scheduler);
        }
        // A change may have moved unschedulable pods into back-off, which ends later.
        if let Some(at) = self.scheduler.next_flush() {
            self.plan_scheduler_flush(at);
        }
        if self.kubelets.pump(&mut self.store) {
            self.wake(Component::Kubelets);
        }
    }

    /// A one-line-per-object dump of the whole API state and the clock, in key order. Two
    /// runs with the same seed and actions produce identical dumps.
    pub fn dump(&self) -> String {
        let mut out = format!("now {}\n", self.now.as_millis());
        for info in api::kinds::KINDS.iter() {
            let Ok(list) = self.store.list(info, None, &Default::default()) else {
                continue;
            };
            for obj in &list.items {
                out.push_str(&obj.to_value().to_string());
                out.push('\n');
            }
        }
        out
    }

    /// Objects of a kind, for tests and views.
    pub fn list(
        &self,
        info: &api::KindInfo,
        namespace: Option<&str>,
    ) -> Vec<std::sync::Arc<Object>> {
        self.store
            .list(info, namespace, &Default::default())
            .map(|l| l.items)
            .unwrap_or_default()
    }

    /// Whether a controller's plan is half applied, its rest queued first at this instant.
    fn mid_plan(&self) -> bool {
        self.runners.iter().any(Runner::mid_plan)
    }

    fn wake(&mut self, c: Component) {
        if self.pending.insert(c) {
            self.queue.push(self.now, Task::Work(c));
        }
    }

    /// Queues the rest of a component's work, to run next.
    fn carry_on(&mut self, c: Component) {
        if self.pending.insert(c) {
            self.queue.push_first(self.now, Task::Work(c));
        }
    }

    fn run_task(&mut self, task: Task) {
        let now = self.now;
        match task {
            Task::Work(c) => {
                self.pending.remove(&c);
                match c {
                    Component::Controller(i) => self.run_controller(i),
                    Component::Scheduler => self.run_scheduler(),
                    Component::Kubelets => {
                        let timers = self.kubelets.process(
                            &mut self.store,
                            &mut self.rng,
                            now,
                            KUBELET_SYNCS_PER_TASK,
                        );
                        self.schedule_kubelet(timers);
                        if self.kubelets.has_work() {
                            self.carry_on(Component::Kubelets);
                        }
                    }
                }
            }
            Task::ControllerTimer { index, key, at } => {
                if let Some(r) = self.runners.get_mut(index) {
                    r.timer_fired(key, at);
                    if r.has_work() {
                        self.run_controller(index);
                    }
                }
            }
            Task::ControllerPlanRest(index) => self.run_controller(index),
            Task::SchedulerFlush => {
                self.scheduler_flush_at = None;
                self.run_scheduler();
            }
            Task::Kubelet(t) => {
                let woken = match &t.what {
                    crate::kubelet::TimerKind::Wake { uid } => Some((t.node.clone(), uid.clone())),
                    crate::kubelet::TimerKind::Heartbeat
                    | crate::kubelet::TimerKind::NetworkReady
                    | crate::kubelet::TimerKind::NodeStatus
                    | crate::kubelet::TimerKind::ImageCache => None,
                };
                let timers = self.kubelets.timer(&mut self.store, &mut self.rng, now, t);
                self.schedule_kubelet(timers);
                if let Some((node, uid)) = woken {
                    // Its processes may wait on the network (a `wget` loop in a container).
                    crate::network::background::answer(self, &node, &uid);
                }
            }
            Task::MetricsScrape => {
                self.scrape_metrics();
                self.queue.push(
                    now + crate::controller::hpa::metrics::SCRAPE_INTERVAL,
                    Task::MetricsScrape,
                );
            }
        }
    }

    /// Copies the kubelets' usage into the metrics API. Only while metrics-server runs, or
    /// an autoscaler or a load needs it, as a cluster of thousands of pods would otherwise pay for every scrape.
    fn scrape_metrics(&mut self) {
        let hpa = crate::controller::kind_of::<
            k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler,
        >();
        let wanted = !self.loads.by_service.is_empty()
            || crate::controller::hpa::metrics_server::api_available(&self.store)
            || self
                .store
                .list(hpa, None, &Default::default())
                .is_ok_and(|l| !l.items.is_empty());
        if wanted {
            self.store.metrics = crate::controller::hpa::metrics::scrape(
                &self.kubelets,
                &self.store,
                &self.loads,
                self.now,
            );
        }
    }

    /// Puts load on a Service, as clients hitting it would: `usage` (CPU millicores, memory
    /// bytes) is spread over its ready endpoints from the next metrics scrape on. Zero usage
    /// removes the load.
    pub fn put_load(
        &mut self,
        namespace: &str,
        service: &str,
        usage: crate::controller::hpa::metrics::Usage,
    ) {
        let key = (namespace.to_string(), service.to_string());
        if usage == Default::default() {
            self.loads.by_service.remove(&key);
        } else {
            self.loads.by_service.insert(key, usage);
        }
    }

    fn run_controller(&mut self, i: usize) {
        let now = self.now;
        let Some(r) = self.runners.get_mut(i) else {
            return;
        };
        let timers = r.process(
            &mut self.store,
            now,
            CONTROLLER_KEYS_PER_TASK,
            self.controller_writes_per_task,
        );
        let (mid_plan, more) = (r.mid_plan(), r.has_work());
        for (at, key) in timers {
            self.queue
                .push(at, Task::ControllerTimer { index: i, key, at });
        }
        if mid_plan {
            self.queue.push_first(now, Task::ControllerPlanRest(i));
        } else if more {
            self.carry_on(Component::Controller(i));
        }
    }

    fn run_scheduler(&mut self) {
        let now = self.now;
        self.scheduler.pump(&mut self.store, now);
        let flush = self.scheduler.process(
            &mut self.store,
            &mut self.rng,
            now,
            SCHEDULER_PODS_PER_TASK,
        );
        if let Some(at) = flush {
            self.plan_scheduler_flush(at);
        }
        if self.scheduler.has_active() {
            self.carry_on(Component::Scheduler);
        }
    }

    fn plan_scheduler_flush(&mut self, at: SimTime) {
        if self.scheduler_flush_at.is_none_or(|t| at < t) {
            self.scheduler_flush_at = Some(at);
            self.queue.push(at.max(self.now), Task::SchedulerFlush);
        }
    }

    pub(crate) fn schedule_kubelet(&mut self, timers: Vec<(SimTime, KubeletTimer)>) {
        for (at, t) in timers {
            self.queue.push(at.max(self.now), Task::Kubelet(t));
        }
    }
}

#[cfg(test)]
impl Cluster {
    /// When `node`'s kubelet last renewed its Lease in kube-node-lease.
    pub(crate) fn lease_renewed(&self, node: &str) -> SimTime {
        use k8s_openapi::api::coordination::v1::Lease;
        let lease = self.store.get(crate::controller::kind_of::<Lease>(), Some("kube-node-lease"), node);
        match lease.as_deref() {
            Ok(Object::Lease(l)) => l
                .spec
                .as_ref()
                .and_then(|s| s.renew_time.as_ref())
                .and_then(|t| SimTime::from_time(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0)))
                .expect("renewTime"),
            other => panic!("no Lease for {node}: {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests;
