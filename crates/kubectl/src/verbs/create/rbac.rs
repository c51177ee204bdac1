//! `create role|clusterrole|rolebinding|clusterrolebinding`.
//!
//! Mirrors create_role.go (verb and resource parsing, `generateResourcePolicyRules`: one
//! rule per API group, groups sorted), create_clusterrole.go, create_rolebinding.go and
//! create_clusterrolebinding.go (v1.34).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Args, Ctx, Generated};
use crate::Outcome;
use crate::errors::KubectlError;

const VALID_RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];
const VALID_NON_RESOURCE_VERBS: &[&str] = &[
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

/// Verbs that only make sense on certain resources (`specialVerbs`).
fn special_verb_targets(verb: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match verb {
        "use" => Some(&[
            ("policy", "podsecuritypolicies"),
            ("extensions", "podsecuritypolicies"),
        ]),
        "bind" | "escalate" => Some(&[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ]),
        "impersonate" => Some(&[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
            ("authentication.k8s.io", "uids"),
        ]),
        _ => None,
    }
}

/// One `--resource` value: `resource[.group][/subresource]`.
struct ResourceArg {
    resource: String,
    group: String,
    sub: String,
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The verbs, `*` alone when given.
fn verbs(ctx: &Ctx) -> Vec<String> {
    let all = ctx.parsed.all("verb");
    if all.iter().any(|v| v == "*") {
        return vec!["*".into()];
    }
    dedup(all)
}

fn resource_args(ctx: &Ctx) -> Vec<ResourceArg> {
    let mut out = Vec::new();
    for r in ctx.parsed.all("resource") {
        let (main, sub) = r.split_once('/').unwrap_or((r.as_str(), ""));
        let (resource, group) = main.split_once('.').unwrap_or((main, ""));
        let arg = ResourceArg {
            resource: resource.to_string(),
            group: group.to_string(),
            sub: sub.to_string(),
        };
        if arg.resource == "*" && group.is_empty() && sub.is_empty() && !main.contains('.') {
            return vec![arg];
        }
        out.push(arg);
    }
    out
}

/// The REST mapper's view of a resource: its plural and group, if served.
fn map_resource(r: &ResourceArg) -> Option<(&'static str, &'static str)> {
    let info = api::resolve_resource(&r.resource)?;
    (r.group.is_empty() || r.group == info.group).then_some((info.plural, info.group))
}

/// `validateResource`.
fn validate_resources(resources: &[ResourceArg], verbs: &[String]) -> Result<(), KubectlError> {
    for r in resources {
        if r.resource.is_empty() {
            return Err(KubectlError::msg(
                "resource must be specified if apiGroup/subresource specified",
            ));
        }
        if r.resource == "*" {
            return Ok(());
        }
        let mapped = map_resource(r);
        let (resource, group) = mapped.unwrap_or((r.resource.as_str(), r.group.as_str()));
        let mut matched_special = false;
        for v in verbs {
            if let Some(targets) = special_verb_targets(v) {
                if !targets
                    .iter()
                    .any(|(g, res)| *g == group && *res == resource)
                {
                    return Err(KubectlError::msg(format!(
                        "can not perform '{v}' on '{resource}' in group '{group}'"
                    )));
                }
                matched_special = true;
            }
        }
        if mapped.is_none() && !matched_special {
            return Err(KubectlError::msg(format!(
                "the server doesn't have a resource type \"{}\"",
                r.resource
            )));
        }
    }
    Ok(())
}

/// `generateResourcePolicyRules`: one rule per API group (sorted), then the
/// non-resource URLs.
fn rules(
    verbs: &[String],
    resources: &[ResourceArg],
    names: &[String],
    urls: &[String],
) -> Vec<Value> {
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources {
        let (mut resource, group) = match map_resource(r) {
            Some((res, g)) => (res.to_string(), g.to_string()),
            None => (r.resource.clone(), r.group.clone()),
        };
        if !r.sub.is_empty() {
            resource = format!("{resource}/{}", r.sub);
        }
        let list = by_group.entry(group).or_default();
        if !list.contains(&resource) {
            list.push(resource);
        }
    }
    let mut out = Vec::new();
    for (group, list) in by_group {
        let mut rule = json!({"apiGroups": [group], "resources": list, "verbs": verbs});
        if !names.is_empty() {
            rule["resourceNames"] = json!(names);
        }
        out.push(rule);
    }
    if !urls.is_empty() {
        out.push(json!({"nonResourceURLs": urls, "verbs": verbs}));
    }
    out
}

fn warn_verbs(verbs: &[String], out: &mut Outcome) {
    for v in verbs {
        if !VALID_RESOURCE_VERBS.contains(&v.as_str()) {
            out.err(format!("Warning: '{v}' is not a standard resource verb"));
        }
    }
}

pub fn role(args: &Args, ctx: &Ctx, out: &mut Outcome) -> Result<Generated, KubectlError> {
    let verbs = verbs(ctx);
    let resources = resource_args(ctx);
    let names = dedup(ctx.parsed.all("resource-name"));
    if verbs.is_empty() {
        return Err(KubectlError::msg("at least one verb must be specified"));
    }
    warn_verbs(&verbs, out);
    if resources.is_empty() {
        return Err(KubectlError::msg("at least one resource must be specified"));
    }
    validate_resources(&resources, &verbs)?;
    // create_role.go returns the server's error as it is.
    Ok(Generated::plain(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": args.name},
        "rules": rules(&verbs, &resources, &names, &[]),
    })))
}

pub fn cluster_role(args: &Args, ctx: &Ctx, out: &mut Outcome) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let verbs = verbs(ctx);
    let resources = resource_args(ctx);
    let names = dedup(p.all("resource-name"));
    let urls = p.all("non-resource-url");
    let aggregation = p.string("aggregation-rule").unwrap_or("");
    if !aggregation.is_empty() {
        if !urls.is_empty() || !verbs.is_empty() || !resources.is_empty() || !names.is_empty() {
            return Err(KubectlError::msg(
                "aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames",
            ));
        }
        let mut labels = serde_json::Map::new();
        for pair in aggregation.split(',') {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(KubectlError::Raw(format!(
                    "error: invalid argument \"{aggregation}\" for \"--aggregation-rule\" flag: {pair} must be formatted as key=value\nSee 'kubectl create clusterrole --help' for usage."
                )));
            };
            labels.insert(k.to_string(), json!(v));
        }
        return Ok(Generated::plain(json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": args.name},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": labels}]},
        })));
    }
    if verbs.is_empty() {
        return Err(KubectlError::msg("at least one verb must be specified"));
    }
    if resources.is_empty() && urls.is_empty() {
        return Err(KubectlError::msg(
            "one of resource or nonResourceURL must be specified",
        ));
    }
    if !resources.is_empty() {
        warn_verbs(&verbs, out);
        validate_resources(&resources, &verbs)?;
    }
    if !urls.is_empty() {
        for v in &verbs {
            if !VALID_NON_RESOURCE_VERBS.contains(&v.as_str()) {
                return Err(KubectlError::msg(format!(
                    "invalid verb: '{v}' for nonResourceURL"
                )));
            }
        }
        for u in &urls {
            if u == "*" {
                continue;
            }
            if !u.starts_with('/') {
                return Err(KubectlError::msg("nonResourceURL should start with /"));
            }
            if u[..u.len() - 1].contains('*') {
                return Err(KubectlError::msg(
                    "nonResourceURL only supports wildcard matches when '*' is at the end",
                ));
            }
        }
    }
    Ok(Generated::plain(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": args.name},
        "rules": rules(&verbs, &resources, &names, &urls),
    })))
}

/// The subjects of a binding: users, groups, then service accounts (`namespace:name`).
fn subjects(ctx: &Ctx) -> Result<Vec<Value>, KubectlError> {
    let p = &ctx.parsed;
    let mut out = Vec::new();
    for u in p.all("user") {
        out.push(json!({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": u}));
    }
    for g in p.all("group") {
        out.push(json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": g}));
    }
    for sa in p.all("serviceaccount") {
        let parts: Vec<&str> = sa.split(':').collect();
        match parts.as_slice() {
            [ns, name] if !ns.is_empty() && !name.is_empty() => {
                out.push(json!({"kind": "ServiceAccount", "namespace": ns, "name": name}));
            }
            _ => {
                return Err(KubectlError::msg(
                    "serviceaccount must be <namespace>:<name>",
                ));
            }
        }
    }
    Ok(out)
}

fn binding(kind: &str, name: &str, role_kind: &str, role: &str, subjects: Vec<Value>) -> Value {
    let mut v = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
        "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
    });
    if !subjects.is_empty() {
        v["subjects"] = Value::Array(subjects);
    }
    v
}

pub fn role_binding(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let role = p.string("role").unwrap_or("");
    let cluster_role = p.string("clusterrole").unwrap_or("");
    if role.is_empty() == cluster_role.is_empty() {
        return Err(KubectlError::msg(
            "exactly one of clusterrole or role must be specified",
        ));
    }
    let (kind, name) = if role.is_empty() {
        ("ClusterRole", cluster_role)
    } else {
        ("Role", role)
    };
    Ok(Generated::new(
        binding("RoleBinding", &args.name, kind, name, subjects(ctx)?),
        "failed to create rolebinding: ",
    ))
}

pub fn cluster_role_binding(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let role = ctx.parsed.string("clusterrole").unwrap_or("");
    Ok(Generated::new(
        binding(
            "ClusterRoleBinding",
            &args.name,
            "ClusterRole",
            role,
            subjects(ctx)?,
        ),
        "failed to create clusterrolebinding: ",
    ))
}
