//! The TTL-after-finished controller: deletes a finished Job `ttlSecondsAfterFinished` after
//! it finished.
//!
//! Mirrors pkg/controller/ttlafterfinished/ttlafterfinished_controller.go (v1.34)
//! `processJob`, `needsCleanup`, `timeLeft`: the finish time is the `lastTransitionTime` of
//! the `Complete` or `Failed` condition.

use api::{KindInfo, Object};
use k8s_openapi::api::batch::v1 as batchv1;

use super::kind_of;
use super::plan::{Plan, SyncError, Write};
use super::runner::{ObjectKey, Reconciler};
use crate::apiserver::Store;
use crate::time::{SimDuration, SimTime};

/// The runner's handle on the TTL-after-finished controller.
#[derive(Debug, Clone, Copy, Default)]
pub struct TtlAfterFinishedController;

impl Reconciler for TtlAfterFinishedController {
    fn name(&self) -> &'static str {
        "ttl-after-finished-controller"
    }

    fn primary(&self) -> &'static KindInfo {
        kind_of::<batchv1::Job>()
    }

    fn reconcile(&self, key: &ObjectKey, store: &Store, now: SimTime) -> Result<Plan, SyncError> {
        let Ok(obj) = store.get(self.primary(), key.namespace.as_deref(), &key.name) else {
            return Ok(Plan::none());
        };
        let Object::Job(job) = &*obj else {
            return Ok(Plan::none());
        };
        Ok(sync_ttl(job, now))
    }
}

/// Mirrors processJob: delete the Job once its TTL has passed, else look again then.
pub fn sync_ttl(job: &batchv1::Job, now: SimTime) -> Plan {
    let mut plan = Plan::none();
    let Some(ttl) = job.spec.as_ref().and_then(|s| s.ttl_seconds_after_finished) else {
        return plan;
    };
    if job.metadata.deletion_timestamp.is_some() {
        return plan;
    }
    let Some(finished) =
        super::job::finished_condition(job).and_then(|c| c.last_transition_time.as_ref())
    else {
        return plan;
    };
    let left = i64::from(ttl) * 1000 - now.millis_since(finished);
    if left > 0 {
        plan.requeue_after(SimDuration::from_millis(left as u64));
        return plan;
    }
    plan.push(Write::Delete {
        kind: kind_of::<batchv1::Job>(),
        namespace: job.metadata.namespace.clone(),
        name: job.metadata.name.clone().unwrap_or_default(),
        uid: job.metadata.uid.clone(),
        grace_period_seconds: None,
    });
    plan
}
