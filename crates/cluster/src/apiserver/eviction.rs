//! The `pods/eviction` subresource: a delete that respects PodDisruptionBudgets.
//!
//! Mirrors pkg/registry/core/pod/storage/eviction.go (v1.34): pods that are terminal,
//! pending or already being deleted go at once; otherwise the one budget selecting the pod
//! must allow a disruption (its `disruptionsAllowed` is then decremented and the pod noted in
//! `disruptedPods`), or the request fails with 429 `Cannot evict pod as it would violate the
//! pod's disruption budget.`. A pod that is not Ready may go while the budget is healthy
//! (`unhealthyPodEvictionPolicy: IfHealthyBudget`, the default) or always (`AlwaysAllow`).
//! Before the delete the pod gets the `DisruptionTarget` condition (`EvictionByEvictionAPI`).

use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::policy::v1 as policyv1;

use super::error::StoreError;
use super::options::{DeleteOptions, ListOptions, UpdateOptions};
use super::store::Store;
use crate::controller::{kind_of, podutil};

/// The 429 message eviction answers while a budget forbids it.
pub const VIOLATES_BUDGET: &str =
    "Cannot evict pod as it would violate the pod's disruption budget.";

impl Store {
    /// Evicts a pod (POST `pods/<name>/eviction`).
    ///
    /// # Errors
    /// NotFound for a missing pod, TooManyRequests while a budget forbids the eviction,
    /// Internal for a pod selected by more than one budget, Forbidden for a budget whose
    /// `disruptionsAllowed` is negative.
    pub fn evict(
        &mut self,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<(), StoreError> {
        let pod_info = kind_of::<corev1::Pod>();
        let obj = self.get(pod_info, Some(namespace), name)?;
        let Object::Pod(pod) = &*obj else {
            return Err(StoreError::not_found(pod_info, name));
        };
        let phase = pod
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("");
        let can_ignore_pdb = matches!(phase, "Succeeded" | "Failed" | "Pending")
            || pod.metadata.deletion_timestamp.is_some();
        if !can_ignore_pdb {
            self.check_budget(pod, opts.dry_run)?;
        }
        // `addConditionAndDeletePod`: the pod is marked as a disruption target first, so
        // whoever watches it (a Job's podFailurePolicy) knows why it went.
        // A failed precondition leaves the pod alone: the delete below answers the Conflict.
        let preconditions_hold = opts.preconditions.as_ref().is_none_or(|p| {
            p.uid.as_ref().is_none_or(|u| pod.metadata.uid.as_ref() == Some(u))
                && p.resource_version
                    .as_ref()
                    .is_none_or(|rv| pod.metadata.resource_version.as_ref() == Some(rv))
        });
        let mut delete_opts = opts.clone();
        if !opts.dry_run
            && preconditions_hold
            && let Some(marked) = podutil::with_disruption_target(
                pod,
                "EvictionByEvictionAPI",
                "Eviction API: evicting",
                self.now(),
            )
        {
            let updated = self.as_system(|s| {
                s.update_status(Some(namespace), Object::Pod(marked), &UpdateOptions::default())
            })?;
            // The resourceVersion precondition now names the marked pod.
            if let Some(p) = delete_opts.preconditions.as_mut()
                && p.resource_version.is_some()
            {
                p.resource_version = updated.meta().resource_version.clone();
            }
        }
        self.delete(pod_info, Some(namespace), name, &delete_opts)?;
        Ok(())
    }

    /// The budget check: the selecting budget must allow one more disruption, which this
    /// eviction then uses up.
    fn check_budget(&mut self, pod: &corev1::Pod, dry_run: bool) -> Result<(), StoreError> {
        let info = kind_of::<policyv1::PodDisruptionBudget>();
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let labels = pod.metadata.labels.clone().unwrap_or_default();
        let budgets: Vec<Arc<Object>> = self
            .list(info, Some(&namespace), &ListOptions::default())?
            .items
            .into_iter()
            .filter(|o| match &**o {
                Object::PodDisruptionBudget(b) => b
                    .spec
                    .as_ref()
                    .and_then(|s| s.selector.as_ref())
                    .and_then(|s| api::selectors::label_selector_to_selector(s).ok())
                    // A nil selector selects nothing; `{}` selects every pod (policy/v1).
                    .is_some_and(|s| s.matches(&labels)),
                _ => false,
            })
            .collect();
        let Some(first) = budgets.first() else {
            return Ok(());
        };
        if budgets.len() > 1 {
            return Err(StoreError::Internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
            ));
        }
        let Object::PodDisruptionBudget(pdb) = &**first else {
            return Ok(());
        };
        let status = pdb.status.clone().unwrap_or_default();
        if status.observed_generation.unwrap_or(0) < pdb.metadata.generation.unwrap_or(0) {
            return Err(StoreError::TooManyRequests(VIOLATES_BUDGET.into()));
        }
        let always_allow = pdb
            .spec
            .as_ref()
            .and_then(|s| s.unhealthy_pod_eviction_policy.as_deref())
            == Some("AlwaysAllow");
        if !podutil::is_pod_ready(pod)
            && (always_allow || status.current_healthy >= status.desired_healthy)
        {
            return Ok(());
        }
        if status.disruptions_allowed < 0 {
            return Err(StoreError::Forbidden {
                resource: "pods".into(),
                name: pod.metadata.name.clone().unwrap_or_default(),
                detail: "pdb disruptions allowed is negative".into(),
            });
        }
        if status.disruptions_allowed == 0 {
            return Err(StoreError::TooManyRequests(VIOLATES_BUDGET.into()));
        }
        if dry_run {
            return Ok(());
        }
        let mut updated = pdb.clone();
        let st = updated.status.get_or_insert_with(Default::default);
        st.disruptions_allowed -= 1;
        st.disrupted_pods
            .get_or_insert_with(Default::default)
            .insert(
                pod.metadata.name.clone().unwrap_or_default(),
                k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(self.now().to_time().0),
            );
        self.update_status(
            Some(&namespace),
            Object::PodDisruptionBudget(updated),
            &UpdateOptions::default(),
        )?;
        Ok(())
    }
}
