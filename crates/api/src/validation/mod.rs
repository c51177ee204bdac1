//! Object validation as the v1.34 API server does it on create and update.
//!
//! Every problem is collected as a path-qualified `FieldError`; nothing stops at the first one.
//! Mirrors pkg/apis/core/validation/validation.go, pkg/apis/apps/validation/validation.go,
//! pkg/apis/batch/validation/validation.go and apimachinery pkg/api/validation/objectmeta.go
//! (Kubernetes v1.34) for the rules kubelab models; rules not modeled are listed in `pod`'s
//! and `workloads`' module docs. Events follow pkg/apis/core/validation/events.go (`events`).

mod autoscaling;
mod events;
mod job_policies;
mod meta;
mod pod;
mod workloads;

use std::fmt;

use machinery::validation::field::{ErrorList, FieldError};

use crate::object::Object;

pub use job_policies::parse_indexes;

/// The API server's Invalid status: the kind, name and every field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidError {
    /// Kind, e.g. `Deployment`.
    pub kind: &'static str,
    /// API group, empty for core.
    pub group: &'static str,
    /// Object name (may be empty when it was missing).
    pub name: String,
    /// Every problem found, in the order upstream reports them.
    pub errors: ErrorList,
}

impl InvalidError {
    /// What kubectl prints for this status (after `error: `-less output; kubectl prints it as
    /// is): `The Deployment "x" is invalid: <cause>`, or with several causes the prefix line
    /// followed by one `* <cause>` line each (kubectl MultilineError). No trailing newline.
    pub fn kubectl_message(&self) -> String {
        // An error about the request rather than an object (a patch the server could not
        // apply) has neither kind nor name.
        let prefix = if self.kind.is_empty() && self.name.is_empty() {
            "The request is invalid: ".to_string()
        } else {
            format!(
                "The {} {} is invalid: ",
                self.kind,
                machinery::validation::field::quote(&self.name)
            )
        };
        let messages = self.errors.messages();
        match messages.as_slice() {
            [] => prefix.trim_end_matches(": ").to_string(),
            [one] => format!("{prefix}{one}"),
            many => format!("{prefix}\n* {}", many.join("\n* ")),
        }
    }
}

/// The server's message: `Deployment.apps "x" is invalid: <aggregate>`.
impl fmt::Display for InvalidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let qualified = if self.group.is_empty() {
            self.kind.to_string()
        } else {
            format!("{}.{}", self.kind, self.group)
        };
        write!(
            f,
            "{qualified} {} is invalid: {}",
            machinery::validation::field::quote(&self.name),
            self.errors
        )
    }
}

impl std::error::Error for InvalidError {}

/// Validates a new object (after defaulting).
///
/// # Errors
/// `InvalidError` with every field error found.
pub fn validate(obj: &Object) -> Result<(), InvalidError> {
    validate_object(obj, None)
}

/// The object's rules; `old` is the stored object on an update, for rules that loosen when
/// the old object already broke them (an HPA's minReplicas of 0).
fn validate_object(obj: &Object, old: Option<&Object>) -> Result<(), InvalidError> {
    let mut errs = ErrorList::new();
    let info = obj.kind_info();
    if let Object::Event(e) = obj {
        // The kind's own rules first; the common metadata rules only when they pass
        // (apiserver rest.BeforeCreate).
        events::legacy(e, events::Via::CoreV1, &mut errs);
        if errs.is_empty() {
            meta::object_meta(obj.meta(), info, &mut errs);
        }
        return into_result(obj, errs);
    }
    meta::object_meta(obj.meta(), info, &mut errs);
    match obj {
        Object::Pod(p) => {
            if let Some(spec) = p.spec.as_ref() {
                pod::pod_spec(spec, "spec", &mut errs);
            } else {
                errs.push(FieldError::required("spec.containers", ""));
            }
        }
        Object::Deployment(d) => workloads::deployment(d, &mut errs),
        Object::ReplicaSet(rs) => workloads::replica_set(rs, &mut errs),
        Object::DaemonSet(ds) => workloads::daemon_set(ds, &mut errs),
        Object::StatefulSet(sts) => workloads::stateful_set(sts, &mut errs),
        Object::ReplicationController(rc) => workloads::replication_controller(rc, &mut errs),
        Object::Job(j) => workloads::job(j, &mut errs),
        Object::CronJob(cj) => workloads::cron_job(cj, &mut errs),
        Object::Service(s) => workloads::service(s, &mut errs),
        Object::ConfigMap(cm) => meta::config_map(cm, &mut errs),
        Object::Secret(s) => meta::secret(s, &mut errs),
        Object::HorizontalPodAutoscaler(h) => {
            let old = match old {
                Some(Object::HorizontalPodAutoscaler(o)) => Some(o),
                _ => None,
            };
            autoscaling::hpa(h, old, &mut errs);
        }
        _ => {}
    }
    into_result(obj, errs)
}

/// Validates an update from `old` to `new`: everything `validate` checks, plus immutable
/// fields and the `immutable: true` rule of ConfigMaps and Secrets.
///
/// # Errors
/// `InvalidError` with every field error found.
pub fn validate_update(old: &Object, new: &Object) -> Result<(), InvalidError> {
    let mut errs = ErrorList::new();
    // ConfigMap and Secret updates report their update rules before the object's own, in
    // upstream's order.
    match (old, new) {
        (Object::ConfigMap(o), Object::ConfigMap(n)) => meta::config_map_update(o, n, &mut errs),
        (Object::Secret(o), Object::Secret(n)) => meta::secret_update(o, n, &mut errs),
        _ => {}
    }
    if let Err(e) = validate_object(new, Some(old)) {
        errs.extend(e.errors);
    }
    workloads::immutable_fields(old, new, &mut errs);
    into_result(new, errs)
}

/// Validates an Event created through events.k8s.io/v1 (stored as the core Event `obj`):
/// the legacy rules, the object metadata, then the strict rules of the new API
/// (`ValidateEventCreate` for a request version other than core/v1).
///
/// # Errors
/// `InvalidError` with every field error found.
pub fn validate_events_v1_create(obj: &Object) -> Result<(), InvalidError> {
    let Object::Event(e) = obj else {
        return validate(obj);
    };
    let mut errs = ErrorList::new();
    events::legacy(e, events::Via::EventsV1, &mut errs);
    meta::object_meta(obj.meta(), obj.kind_info(), &mut errs);
    events::strict_create(e, &mut errs);
    into_result(obj, errs)
}

/// Validates an update of an Event through events.k8s.io/v1 (`ValidateEventUpdate`): the
/// legacy rules, the metadata update rules (`ValidateObjectMetaUpdate`), a changed series,
/// then everything but the series and metadata must stay as it was.
///
/// # Errors
/// `InvalidError` with every field error found.
pub fn validate_events_v1_update(old: &Object, new: &Object) -> Result<(), InvalidError> {
    let (Object::Event(o), Object::Event(n)) = (old, new) else {
        return validate_update(old, new);
    };
    let mut errs = ErrorList::new();
    events::legacy(n, events::Via::EventsV1, &mut errs);
    meta::object_meta_update(&n.metadata, &o.metadata, &mut errs);
    events::strict_update(n, o, &mut errs);
    into_result(new, errs)
}

fn into_result(obj: &Object, errors: ErrorList) -> Result<(), InvalidError> {
    if errors.is_empty() {
        return Ok(());
    }
    let info = obj.kind_info();
    Err(InvalidError {
        kind: info.kind,
        group: info.group,
        name: obj.name().to_string(),
        errors,
    })
}

#[cfg(test)]
mod tests;
