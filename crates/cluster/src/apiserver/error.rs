//! `StoreError`: every failure the API store reports, with upstream's status reason, HTTP code
//! and message.
//!
//! Mirrors apimachinery pkg/api/errors/errors.go @kubernetes-1.34.0 (`NewNotFound`,
//! `NewAlreadyExists`, `NewConflict`, `NewInvalid`, …). The message texts are pinned by kubectl
//! transcripts, so they are built here and nowhere else.

use api::InvalidError;
use serde_json::{Map, Value, json};

/// A failed API request, as the API server's `metav1.Status` would describe it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// 404: `pods "x" not found`, `deployments.apps "x" not found`.
    #[error("{resource} \"{name}\" not found")]
    NotFound {
        /// Qualified plural, e.g. `deployments.apps`.
        resource: String,
        name: String,
    },
    /// 409: `pods "x" already exists`.
    #[error("{resource} \"{name}\" already exists")]
    AlreadyExists { resource: String, name: String },
    /// 409: `Operation cannot be fulfilled on pods "x": <detail>`.
    #[error("Operation cannot be fulfilled on {resource} \"{name}\": {detail}")]
    Conflict {
        resource: String,
        name: String,
        detail: String,
    },
    /// 422: `Pod "x" is invalid: <aggregate>`.
    #[error("{0}")]
    Invalid(#[source] InvalidError),
    /// 400 with a free message.
    #[error("{0}")]
    BadRequest(String),
    /// 405: `<action> is not supported on resources of kind "<resource>"`.
    #[error("{action} is not supported on resources of kind \"{resource}\"")]
    MethodNotAllowed { resource: String, action: String },
    /// 403: `namespaces "default" is forbidden: <detail>`.
    #[error("{}", forbidden_message(resource, name, detail))]
    Forbidden {
        resource: String,
        name: String,
        detail: String,
    },
    /// 410 with reason Gone.
    #[error("{0}")]
    Gone(String),
    /// 410 with reason Expired: `too old resource version: 5 (10)`.
    #[error("{0}")]
    Expired(String),
    /// 429.
    #[error("{0}")]
    TooManyRequests(String),
    /// 413: `Request entity too large: <detail>`.
    #[error("Request entity too large: {0}")]
    RequestEntityTooLarge(String),
    /// 500, for states the store should never reach.
    #[error("Internal error occurred: {0}")]
    Internal(String),
}

impl StoreError {
    /// The status reason, e.g. `NotFound`.
    pub fn reason(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "NotFound",
            StoreError::AlreadyExists { .. } => "AlreadyExists",
            StoreError::Conflict { .. } => "Conflict",
            StoreError::Invalid(_) => "Invalid",
            StoreError::BadRequest(_) => "BadRequest",
            StoreError::MethodNotAllowed { .. } => "MethodNotAllowed",
            StoreError::Forbidden { .. } => "Forbidden",
            StoreError::Gone(_) => "Gone",
            StoreError::Expired(_) => "Expired",
            StoreError::TooManyRequests(_) => "TooManyRequests",
            StoreError::RequestEntityTooLarge(_) => "RequestEntityTooLarge",
            StoreError::Internal(_) => "InternalError",
        }
    }

    /// The HTTP status code.
    pub fn code(&self) -> u16 {
        match self {
            StoreError::NotFound { .. } => 404,
            StoreError::AlreadyExists { .. } | StoreError::Conflict { .. } => 409,
            StoreError::Invalid(_) => 422,
            StoreError::BadRequest(_) => 400,
            StoreError::MethodNotAllowed { .. } => 405,
            StoreError::Forbidden { .. } => 403,
            StoreError::Gone(_) | StoreError::Expired(_) => 410,
            StoreError::TooManyRequests(_) => 429,
            StoreError::RequestEntityTooLarge(_) => 413,
            StoreError::Internal(_) => 500,
        }
    }

    /// The `metav1.Status` object the API server would send for this error.
    pub fn to_status_json(&self) -> Value {
        let mut status = Map::new();
        status.insert("kind".into(), json!("Status"));
        status.insert("apiVersion".into(), json!("v1"));
        status.insert("metadata".into(), json!({}));
        status.insert("status".into(), json!("Failure"));
        status.insert("message".into(), json!(self.to_string()));
        status.insert("reason".into(), json!(self.reason()));
        if let Some(details) = self.details() {
            status.insert("details".into(), details);
        }
        status.insert("code".into(), json!(self.code()));
        Value::Object(status)
    }

    /// What kubectl prints for this error: `Error from server (NotFound): pods "x" not found`,
    /// or for Invalid the `The Pod "x" is invalid: …` form (kubectl's MultilineError).
    pub fn kubectl_message(&self) -> String {
        match self {
            StoreError::Invalid(inv) => inv.kubectl_message(),
            _ => format!("Error from server ({}): {}", self.reason(), self),
        }
    }

    /// A NotFound for a kind's registry row.
    pub fn not_found(info: &api::KindInfo, name: &str) -> StoreError {
        StoreError::NotFound {
            resource: info.qualified_plural(),
            name: name.to_string(),
        }
    }

    /// A Conflict for a stale resourceVersion, worded as the registry store words it.
    pub fn stale(info: &api::KindInfo, name: &str) -> StoreError {
        StoreError::Conflict {
            resource: info.qualified_plural(),
            name: name.to_string(),
            detail: OPTIMISTIC_LOCK_MESSAGE.to_string(),
        }
    }

    fn details(&self) -> Option<Value> {
        let (name, resource) = match self {
            StoreError::NotFound { resource, name }
            | StoreError::AlreadyExists { resource, name }
            | StoreError::Conflict { resource, name, .. }
            | StoreError::Forbidden { resource, name, .. } => (name.clone(), resource.clone()),
            StoreError::MethodNotAllowed { resource, .. } => (String::new(), resource.clone()),
            StoreError::Invalid(inv) => {
                let causes: Vec<Value> = inv
                    .errors
                    .iter()
                    .map(|e| json!({"reason": e.kind.reason(), "message": e.body(), "field": e.path}))
                    .collect();
                let mut d = Map::new();
                d.insert("name".into(), json!(inv.name));
                if !inv.group.is_empty() {
                    d.insert("group".into(), json!(inv.group));
                }
                d.insert("kind".into(), json!(inv.kind));
                d.insert("causes".into(), Value::Array(causes));
                return Some(Value::Object(d));
            }
            _ => return None,
        };
        // `resource` is `plural[.group]`; details carry them apart.
        let (kind, group) = match resource.split_once('.') {
            Some((k, g)) => (k.to_string(), g.to_string()),
            None => (resource, String::new()),
        };
        let mut d = Map::new();
        if !name.is_empty() {
            d.insert("name".into(), json!(name));
        }
        if !group.is_empty() {
            d.insert("group".into(), json!(group));
        }
        d.insert("kind".into(), json!(kind));
        Some(Value::Object(d))
    }
}

impl From<InvalidError> for StoreError {
    fn from(e: InvalidError) -> Self {
        StoreError::Invalid(e)
    }
}

/// The registry store's optimistic-concurrency message (apiserver registry/generic/registry
/// `OptimisticLockErrorMsg`).
pub const OPTIMISTIC_LOCK_MESSAGE: &str =
    "the object has been modified; please apply your changes to the latest version and try again";

fn forbidden_message(resource: &str, name: &str, detail: &str) -> String {
    // A non-resource request (`GET /`) has no resource to name (apimachinery errors.go
    // NewForbidden, v1.34).
    if resource.is_empty() {
        format!("forbidden: {detail}")
    } else if name.is_empty() {
        format!("{resource} is forbidden: {detail}")
    } else {
        format!("{resource} \"{name}\" is forbidden: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_codes() {
        struct Case {
            name: &'static str,
            err: StoreError,
            kubectl: &'static str,
            code: u16,
        }
        let deploy = api::by_gvk("apps/v1", "Deployment").expect("deployment");
        let pod = api::by_gvk("v1", "Pod").expect("pod");
        let cases = [
            Case {
                name: "not found core",
                err: StoreError::not_found(pod, "x"),
                kubectl: "Error from server (NotFound): pods \"x\" not found",
                code: 404,
            },
            Case {
                name: "not found grouped",
                err: StoreError::not_found(deploy, "x"),
                kubectl: "Error from server (NotFound): deployments.apps \"x\" not found",
                code: 404,
            },
            Case {
                name: "already exists",
                err: StoreError::AlreadyExists {
                    resource: "deployments.apps".into(),
                    name: "x".into(),
                },
                kubectl: "Error from server (AlreadyExists): deployments.apps \"x\" already exists",
                code: 409,
            },
            Case {
                name: "conflict",
                err: StoreError::stale(pod, "x"),
                kubectl: "Error from server (Conflict): Operation cannot be fulfilled on pods \"x\": the object has been modified; please apply your changes to the latest version and try again",
                code: 409,
            },
            Case {
                name: "forbidden",
                err: StoreError::Forbidden {
                    resource: "namespaces".into(),
                    name: "default".into(),
                    detail: "this namespace may not be deleted".into(),
                },
                kubectl: "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted",
                code: 403,
            },
            Case {
                name: "expired",
                err: StoreError::Expired("too old resource version: 5 (10)".into()),
                kubectl: "Error from server (Expired): too old resource version: 5 (10)",
                code: 410,
            },
            Case {
                name: "method",
                err: StoreError::MethodNotAllowed {
                    resource: "bindings".into(),
                    action: "get".into(),
                },
                kubectl: "Error from server (MethodNotAllowed): get is not supported on resources of kind \"bindings\"",
                code: 405,
            },
            Case {
                name: "too large",
                err: StoreError::RequestEntityTooLarge("limit is 3145728".into()),
                kubectl: "Error from server (RequestEntityTooLarge): Request entity too large: limit is 3145728",
                code: 413,
            },
        ];
        for case in &cases {
            assert_eq!(
                case.err.kubectl_message(),
                case.kubectl,
                "case {}",
                case.name
            );
            assert_eq!(case.err.code(), case.code, "case {}", case.name);
            assert_eq!(
                case.err.to_status_json()["code"],
                json!(case.code),
                "case {}",
                case.name
            );
        }
    }

    #[test]
    fn status_json_details() {
        let deploy = api::by_gvk("apps/v1", "Deployment").expect("deployment");
        let got = StoreError::not_found(deploy, "web").to_status_json();
        assert_eq!(
            got,
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "deployments.apps \"web\" not found", "reason": "NotFound",
                   "details": {"name": "web", "group": "apps", "kind": "deployments"}, "code": 404})
        );
    }
}
