//! The API server's HTTPS port as a client inside the cluster reaches it
//! (`curl https://kubernetes/api/v1/namespaces/default/pods -H "Authorization: Bearer $TOKEN"`):
//! the bearer token names the requester (a ServiceAccount; none is `system:anonymous`), RBAC
//! decides, and the answer is the API's JSON or its `Status` error, pretty-printed as the
//! server does for curl's user agent.
//!
//! Reads are answered by `apiserver::rest`; a permitted write answers 405 there (deliberate
//! gap: pods cannot change the cluster over this path yet).

use serde_json::Value;

use crate::apiserver::{Store, StoreError, rest};
use crate::auth::{self, TokenRequestError};
use crate::controller::kubernetesservice;
use crate::time::SimTime;

use super::http::{self, Request, Response};

/// Whether `ip:port` is where an API server listens: the advertise address kubeadm notes
/// on each kube-apiserver static pod (`<node IP>:8443` on minikube), the same addresses the
/// `kubernetes` Service's endpoints list.
pub fn is_endpoint(store: &Store, ip: &str, port: u16) -> bool {
    kubernetesservice::api_servers(store)
        .iter()
        .any(|(i, p)| i == ip && *p == i32::from(port))
}

/// Answers one request: authentication by bearer token, RBAC, then the API.
pub fn serve(store: &Store, req: &Request, now: SimTime) -> Response {
    let token = req
        .header("Authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let (status, body, warnings) = match auth::authorize_token_request(store, token, &req.method, &req.path) {
        Err(TokenRequestError::Unauthorized) => (401, status_json("Unauthorized", "Unauthorized", None, 401), Vec::new()),
        Err(TokenRequestError::Forbidden(e)) => (403, error_json(&e), Vec::new()),
        Ok(_) => {
            let r = rest::serve(store, &req.method, &req.path);
            (r.status, in_go_order(r.body), r.warnings)
        }
    };
    let body = if req.method == "HEAD" { String::new() } else { body };
    Response {
        status,
        headers: [
            ("Cache-Control".to_string(), "no-cache, private".to_string()),
            ("Content-Type".into(), "application/json".into()),
            ("Date".into(), http::http_date(now)),
            ("Content-Length".into(), body.len().to_string()),
        ]
        .into_iter()
        // Go writes header keys sorted, so `Warning` comes last.
        .chain(warnings.into_iter().map(|w| ("Warning".to_string(), w)))
        .collect(),
        body,
    }
}

/// A `metav1.Status` for a store error, in the field order the API server writes.
pub fn error_json(e: &StoreError) -> String {
    let v = e.to_status_json();
    let details = v.get("details").map(|d| {
        // StatusDetails' fields in Go order; an empty kind (a non-resource path) is omitted.
        let mut parts = Vec::new();
        for key in ["name", "group", "kind"] {
            if let Some(Value::String(s)) = d.get(key)
                && !s.is_empty()
            {
                parts.push((key, s.clone()));
            }
        }
        parts
    });
    status_json(&e.to_string(), e.reason(), details.as_deref(), e.code())
}

/// A `Status` body rewritten in the API server's field order; other bodies as they are.
fn in_go_order(body: String) -> String {
    let Ok(v) = serde_json::from_str::<Value>(&body) else {
        return body;
    };
    if v.get("kind").and_then(Value::as_str) != Some("Status") {
        return body;
    }
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let details = v.get("details").map(|d| {
        ["name", "group", "kind"]
            .into_iter()
            .filter_map(|k| d.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(|s| (k, s.to_string())))
            .collect::<Vec<_>>()
    });
    let code = v.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).unwrap_or(500);
    status_json(&text("message"), &text("reason"), details.as_deref(), code)
}

/// `{"kind": "Status", …}` with two-blank indents, as `json.MarshalIndent` prints it.
fn status_json(message: &str, reason: &str, details: Option<&[(&str, String)]>, code: u16) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::from("{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {},\n  \"status\": \"Failure\",\n");
    out.push_str(&format!("  \"message\": {},\n", q(message)));
    out.push_str(&format!("  \"reason\": {},\n", q(reason)));
    if let Some(d) = details {
        if d.is_empty() {
            out.push_str("  \"details\": {},\n");
        } else {
            let fields: Vec<String> = d.iter().map(|(k, v)| format!("    \"{k}\": {}", q(v))).collect();
            out.push_str(&format!("  \"details\": {{\n{}\n  }},\n", fields.join(",\n")));
        }
    }
    out.push_str(&format!("  \"code\": {code}\n}}"));
    out
}
