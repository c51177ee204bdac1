//! `kubectl auth can-i`: asks the API server's authorizer (a SelfSubjectAccessReview) or,
//! with `--list`, prints the rules that apply (a SelfSubjectRulesReview).
//!
//! Mirrors kubectl pkg/cmd/auth/cani.go (v1.34): `yes`, or `no` with the authorizer's reason
//! and exit status 1; warnings for cluster-scoped and unknown resources; `--list` breaks the
//! rules down per group/resource/name, compacts simple resource rules, sorts them by their
//! protobuf `String()` and prints RESOURCES / NON-RESOURCE URLS / RESOURCE NAMES / VERBS.

use cluster::auth::{self, Attributes, UserInfo};
use k8s_openapi::api::rbac::v1 as rbacv1;

use super::Ctx;
use crate::errors::KubectlError;
use crate::render::table;
use crate::{Env, Outcome};

/// The user kubectl talks as: `--as` (with `--as-group`), else minikube's admin.
pub fn requester(ctx: &Ctx) -> UserInfo {
    match ctx.parsed.string("as").filter(|s| !s.is_empty()) {
        Some(name) => UserInfo::impersonated(name, &ctx.parsed.all("as-group")),
        None => UserInfo::minikube_admin(),
    }
}

/// `kubectl auth can-i`.
///
/// # Errors
/// The usage error for missing arguments.
pub fn can_i(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let user = requester(ctx);
    let namespace = if ctx.all_namespaces() {
        String::new()
    } else {
        ctx.namespace.clone()
    };
    let store = &mut *env.store;
    // The review itself is the requester's own (every user may create one).
    let saved = store.requester().cloned();
    store.set_requester(None);
    let result = if ctx.parsed.bool("list") {
        list(ctx, store, &user, &namespace, out);
        Ok(())
    } else {
        check(ctx, store, &user, &namespace, out)
    };
    store.set_requester(saved);
    result
}

fn check(
    ctx: &Ctx,
    store: &cluster::Store,
    user: &UserInfo,
    namespace: &str,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let args = &ctx.parsed.args;
    if args.len() < 2 {
        return Err(ctx.usage(
            "you must specify two arguments: verb resource or verb resource/resourceName.",
        ));
    }
    let verb = args[0].clone();
    let target = &args[1];
    let mut attrs = Attributes {
        verb,
        namespace: namespace.to_string(),
        ..Default::default()
    };
    if target.starts_with('/') {
        attrs.path = target.clone();
        attrs.namespace = String::new();
    } else {
        let (resource, name) = match target.split_once('/') {
            Some((r, n)) => (r.to_string(), n.to_string()),
            None => (target.clone(), String::new()),
        };
        attrs.name = name;
        attrs.subresource = ctx.parsed.string("subresource").unwrap_or("").to_string();
        match api::kinds::resolve_resource(&resource) {
            Some(info) => {
                attrs.resource = info.plural.to_string();
                attrs.api_group = info.group.to_string();
                if !info.namespaced {
                    if !ctx.all_namespaces() {
                        if info.group.is_empty() {
                            out.err(format!(
                                "Warning: resource '{}' is not namespace scoped",
                                info.plural
                            ));
                        } else {
                            out.err(format!(
                                "Warning: resource '{}' is not namespace scoped in group '{}'",
                                info.plural, info.group
                            ));
                        }
                    }
                    attrs.namespace = String::new();
                }
            }
            None => {
                if resource != "*" {
                    out.err(format!(
                        "Warning: the server doesn't have a resource type '{resource}'\n"
                    ));
                }
                attrs.resource = resource;
            }
        }
    }
    let decision = auth::authorize(store, user, &attrs);
    let quiet = ctx.parsed.bool("quiet");
    match decision {
        Ok(()) => {
            if !quiet {
                out.out("yes");
            }
        }
        Err(reason) => {
            if !quiet {
                if reason.is_empty() {
                    out.out("no");
                } else {
                    out.out(format!("no - {reason}"));
                }
            }
            out.exit_code = 1;
        }
    }
    Ok(())
}

fn list(ctx: &Ctx, store: &cluster::Store, user: &UserInfo, namespace: &str, out: &mut Outcome) {
    let (rules, _) = auth::rbac::rules_for(store, user, namespace);
    let mut broken = Vec::new();
    for r in &rules {
        broken.extend(breakdown(r));
    }
    let mut rules = compact(broken);
    machinery::sort::sort_by_key(&mut rules, rule_string);
    let mut rows = Vec::new();
    if !ctx.parsed.bool("no-headers") {
        rows.push(
            ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]
                .map(str::to_string)
                .to_vec(),
        );
    }
    for r in &rules {
        rows.push(vec![
            combine_resource_group(
                r.resources.as_deref().unwrap_or_default(),
                r.api_groups.as_deref().unwrap_or_default(),
            ),
            go_list(r.non_resource_urls.as_deref()),
            go_list(r.resource_names.as_deref()),
            go_list(Some(&r.verbs)),
        ]);
    }
    for line in table::align(&rows) {
        out.out(line);
    }
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    machinery::sort::sort(&mut v);
    v.dedup();
    v
}

fn simple(verbs: &[String]) -> rbacv1::PolicyRule {
    rbacv1::PolicyRule {
        verbs: sorted(verbs),
        ..Default::default()
    }
}

/// Mirrors rbac util `BreakdownRule`: one rule per group × resource (× name), and one per
/// non-resource URL.
fn breakdown(rule: &rbacv1::PolicyRule) -> Vec<rbacv1::PolicyRule> {
    let mut out = Vec::new();
    let names = rule.resource_names.clone().unwrap_or_default();
    for group in rule.api_groups.iter().flatten() {
        for resource in rule.resources.iter().flatten() {
            let base = rbacv1::PolicyRule {
                api_groups: Some(vec![group.clone()]),
                resources: Some(vec![resource.clone()]),
                ..simple(&rule.verbs)
            };
            if names.is_empty() {
                out.push(base);
            } else {
                for n in &names {
                    out.push(rbacv1::PolicyRule {
                        resource_names: Some(vec![n.clone()]),
                        ..base.clone()
                    });
                }
            }
        }
    }
    for url in rule.non_resource_urls.iter().flatten() {
        out.push(rbacv1::PolicyRule {
            non_resource_urls: Some(vec![url.clone()]),
            ..simple(&rule.verbs)
        });
    }
    out
}

/// Mirrors `CompactRules`: simple resource rules with the same group, resource and name
/// merge their verbs (in first-seen order); the rest stay as they are.
fn compact(rules: Vec<rbacv1::PolicyRule>) -> Vec<rbacv1::PolicyRule> {
    let mut out: Vec<rbacv1::PolicyRule> = Vec::new();
    let mut merged: Vec<rbacv1::PolicyRule> = Vec::new();
    for r in rules {
        let is_simple = r.non_resource_urls.as_ref().is_none_or(Vec::is_empty)
            && r.api_groups.as_ref().is_some_and(|g| g.len() == 1)
            && r.resources.as_ref().is_some_and(|g| g.len() == 1)
            && r.resource_names.as_ref().is_none_or(|n| n.len() <= 1);
        if !is_simple {
            out.push(r);
            continue;
        }
        match merged.iter_mut().find(|m| {
            m.api_groups == r.api_groups
                && m.resources == r.resources
                && m.resource_names == r.resource_names
        }) {
            Some(m) => {
                for v in &r.verbs {
                    if !m.verbs.contains(v) {
                        m.verbs.push(v.clone());
                    }
                }
            }
            None => merged.push(r),
        }
    }
    out.extend(merged);
    out
}

fn go_list(v: Option<&[String]>) -> String {
    format!("[{}]", v.unwrap_or_default().join(" "))
}

/// The gogo-protobuf `String()` of a PolicyRule, which kubectl sorts by.
fn rule_string(r: &rbacv1::PolicyRule) -> String {
    format!(
        "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
        go_list(Some(&r.verbs)),
        go_list(r.api_groups.as_deref()),
        go_list(r.resources.as_deref()),
        go_list(r.resource_names.as_deref()),
        go_list(r.non_resource_urls.as_deref()),
    )
}

/// Mirrors combineResourceGroup: `resource.group`, with a subresource after a slash.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (base, sub) = match first.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (first.as_str(), None),
    };
    let mut s = base.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        s.push('.');
        s.push_str(g);
    }
    if let Some(sub) = sub {
        s.push('/');
        s.push_str(sub);
    }
    s
}
