//! Priority admission: every new pod gets the integer priority of its PriorityClass (or of the
//! global default class, or 0) and the class's preemption policy, so `kubectl describe pod`
//! shows `Priority: 0` and `-o yaml` shows `priority: 0` / `preemptionPolicy:
//! PreemptLowerPriority` on an ordinary pod.
//!
//! Mirrors plugin/pkg/admission/priority/admission.go (v1.34) `admitPod` on create. The two
//! system classes (pkg/apis/scheduling `SystemPriorityClasses`) are created by the API server
//! at start-up upstream; the lab does not store them, so their values are known here.

use api::Object;
use k8s_openapi::api::scheduling::v1 as schedulingv1;

use crate::apiserver::{Store, StoreError};
use crate::controller::kind_of;

/// `scheduling.DefaultPriorityWhenNoDefaultClassExists`.
const DEFAULT_PRIORITY: i32 = 0;
/// The policy of a class that names none (and of pods without a class).
const PREEMPT_LOWER_PRIORITY: &str = "PreemptLowerPriority";

/// The built-in classes: `system-node-critical` and `system-cluster-critical`.
fn system_class(name: &str) -> Option<i32> {
    match name {
        "system-node-critical" => Some(2_000_001_000),
        "system-cluster-critical" => Some(2_000_000_000),
        _ => None,
    }
}

/// A class's name, value and preemption policy.
struct Resolved {
    class: String,
    value: i32,
    policy: String,
}

/// Admits a pod create.
///
/// # Errors
/// Forbidden when the named class does not exist, or when the pod already names a priority
/// or policy other than its class's.
pub fn admit(store: &Store, obj: &mut Object) -> Result<(), StoreError> {
    let Object::Pod(pod) = obj else {
        return Ok(());
    };
    let name = pod.metadata.name.clone().unwrap_or_default();
    let spec = pod.spec.get_or_insert_with(Default::default);
    let wanted = spec.priority_class_name.clone().filter(|n| !n.is_empty());
    let resolved = match &wanted {
        None => global_default(store).unwrap_or(Resolved {
            class: String::new(),
            value: DEFAULT_PRIORITY,
            policy: PREEMPT_LOWER_PRIORITY.into(),
        }),
        Some(class) => named(store, class).ok_or_else(|| {
            forbidden(&name, format!("no PriorityClass with name {class} was found"))
        })?,
    };
    if let Some(p) = spec.priority.filter(|p| *p != resolved.value) {
        return Err(forbidden(
            &name,
            format!(
                "the integer value of priority ({p}) must not be provided in pod spec; priority admission controller computed {} from the given PriorityClass name",
                resolved.value
            ),
        ));
    }
    if let Some(p) = spec.preemption_policy.as_ref().filter(|p| **p != resolved.policy) {
        return Err(forbidden(
            &name,
            format!(
                "the string value of PreemptionPolicy ({p}) must not be provided in pod spec; priority admission controller computed {} from the given PriorityClass name",
                resolved.policy
            ),
        ));
    }
    if wanted.is_none() && !resolved.class.is_empty() {
        spec.priority_class_name = Some(resolved.class);
    }
    spec.priority = Some(resolved.value);
    spec.preemption_policy = Some(resolved.policy);
    Ok(())
}

fn of_class(pc: &schedulingv1::PriorityClass) -> Resolved {
    Resolved {
        class: pc.metadata.name.clone().unwrap_or_default(),
        value: pc.value,
        policy: pc
            .preemption_policy
            .clone()
            .unwrap_or_else(|| PREEMPT_LOWER_PRIORITY.into()),
    }
}

fn named(store: &Store, class: &str) -> Option<Resolved> {
    match store
        .get(kind_of::<schedulingv1::PriorityClass>(), None, class)
        .as_deref()
    {
        Ok(Object::PriorityClass(pc)) => Some(of_class(pc)),
        _ => system_class(class).map(|value| Resolved {
            class: class.to_string(),
            value,
            policy: PREEMPT_LOWER_PRIORITY.into(),
        }),
    }
}

/// The class marked `globalDefault` (the lowest value if several are, as upstream).
fn global_default(store: &Store) -> Option<Resolved> {
    let kind = kind_of::<schedulingv1::PriorityClass>();
    // Every pod create asks; a cluster without classes needs no list.
    if store.count(kind) == 0 {
        return None;
    }
    let list = store.list(kind, None, &Default::default()).ok()?;
    list.items
        .iter()
        .filter_map(|o| match &**o {
            Object::PriorityClass(pc) if pc.global_default == Some(true) => Some(of_class(pc)),
            _ => None,
        })
        .min_by_key(|r| r.value)
}

fn forbidden(pod: &str, detail: String) -> StoreError {
    StoreError::Forbidden {
        resource: "pods".into(),
        name: pod.to_string(),
        detail,
    }
}
