//! The RBAC authorizer: bindings that name the user bring their role's rules; a request is
//! allowed when one rule covers it.
//!
//! Mirrors plugin/pkg/auth/authorizer/rbac/rbac.go and pkg/registry/rbac/validation/rule.go
//! `VisitRulesFor` (v1.34): ClusterRoleBindings first, then the RoleBindings of the request's
//! namespace; a binding whose role is missing adds an error to the deny reason. ClusterRoles
//! with an `aggregationRule` take the rules of every ClusterRole their selectors match.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::rbac::v1 as rbacv1;
use machinery::labels::Selector;

use super::{Attributes, UserInfo};
use crate::apiserver::Store;
use crate::controller::kind_of;

/// Decides a request: Ok when allowed, the deny reason (possibly empty) otherwise.
pub fn authorize(store: &Store, user: &UserInfo, attrs: &Attributes) -> Result<(), String> {
    let (rules, errors) = rules_for(store, user, &attrs.namespace);
    if rules.iter().any(|r| rule_allows(r, attrs)) {
        return Ok(());
    }
    if errors.is_empty() {
        Err(String::new())
    } else if errors.len() == 1 {
        Err(format!("RBAC: {}", errors[0]))
    } else {
        Err(format!("RBAC: [{}]", errors.join(", ")))
    }
}

/// Every rule that applies to `user` in `namespace` (cluster-wide ones included), and the
/// errors met on the way.
pub fn rules_for(
    store: &Store,
    user: &UserInfo,
    namespace: &str,
) -> (Vec<rbacv1::PolicyRule>, Vec<String>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for obj in list(store, kind_of::<rbacv1::ClusterRoleBinding>(), None) {
        let Object::ClusterRoleBinding(b) = &*obj else {
            continue;
        };
        if !applies(b.subjects.as_deref().unwrap_or_default(), user, "") {
            continue;
        }
        match role_rules(store, &b.role_ref, "") {
            Ok(r) => rules.extend(r),
            Err(e) => errors.push(e),
        }
    }
    if !namespace.is_empty() {
        for obj in list(store, kind_of::<rbacv1::RoleBinding>(), Some(namespace)) {
            let Object::RoleBinding(b) = &*obj else {
                continue;
            };
            if !applies(b.subjects.as_deref().unwrap_or_default(), user, namespace) {
                continue;
            }
            match role_rules(store, &b.role_ref, namespace) {
                Ok(r) => rules.extend(r),
                Err(e) => errors.push(e),
            }
        }
    }
    (rules, errors)
}

fn list(store: &Store, info: &api::KindInfo, ns: Option<&str>) -> Vec<std::sync::Arc<Object>> {
    store
        .list(info, ns, &Default::default())
        .map(|l| l.items)
        .unwrap_or_default()
}

/// Mirrors appliesToUser.
fn applies(subjects: &[rbacv1::Subject], user: &UserInfo, binding_ns: &str) -> bool {
    subjects.iter().any(|s| match s.kind.as_str() {
        "User" => s.name == user.name,
        "Group" => user.groups.contains(&s.name),
        "ServiceAccount" => {
            let ns = s
                .namespace
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_ns);
            user.name == format!("system:serviceaccount:{ns}:{}", s.name)
        }
        _ => false,
    })
}

fn role_rules(
    store: &Store,
    role_ref: &rbacv1::RoleRef,
    ns: &str,
) -> Result<Vec<rbacv1::PolicyRule>, String> {
    match role_ref.kind.as_str() {
        "Role" => match store
            .get(kind_of::<rbacv1::Role>(), Some(ns), &role_ref.name)
            .as_deref()
        {
            Ok(Object::Role(r)) => Ok(r.rules.clone().unwrap_or_default()),
            _ => Err(format!(
                "role.rbac.authorization.k8s.io \"{}\" not found",
                role_ref.name
            )),
        },
        _ => cluster_role_rules(store, &role_ref.name),
    }
}

/// A ClusterRole's rules, aggregated when it has an aggregation rule.
pub fn cluster_role_rules(store: &Store, name: &str) -> Result<Vec<rbacv1::PolicyRule>, String> {
    let role = match store
        .get(kind_of::<rbacv1::ClusterRole>(), None, name)
        .as_deref()
    {
        Ok(Object::ClusterRole(r)) => r.clone(),
        _ => {
            return Err(format!(
                "clusterrole.rbac.authorization.k8s.io \"{name}\" not found"
            ));
        }
    };
    let Some(agg) = &role.aggregation_rule else {
        return Ok(role.rules.unwrap_or_default());
    };
    let mut rules = Vec::new();
    for sel in agg.cluster_role_selectors.iter().flatten() {
        let exprs: Vec<(String, String, Vec<String>)> = sel
            .match_expressions
            .iter()
            .flatten()
            .map(|e| {
                (
                    e.key.clone(),
                    e.operator.clone(),
                    e.values.clone().unwrap_or_default(),
                )
            })
            .collect();
        let Ok(selector) =
            Selector::from_parts(&sel.match_labels.clone().unwrap_or_default(), &exprs)
        else {
            continue;
        };
        for obj in list(store, kind_of::<rbacv1::ClusterRole>(), None) {
            let Object::ClusterRole(r) = &*obj else {
                continue;
            };
            if r.metadata.name.as_deref() == Some(name) {
                continue;
            }
            let empty = BTreeMap::new();
            if selector.matches(r.metadata.labels.as_ref().unwrap_or(&empty)) {
                for rule in r.rules.iter().flatten() {
                    if !rules.contains(rule) {
                        rules.push(rule.clone());
                    }
                }
            }
        }
    }
    Ok(rules)
}

fn has(list: Option<&Vec<String>>, want: &str) -> bool {
    list.is_some_and(|l| l.iter().any(|x| x == "*" || x == want))
}

/// Mirrors RuleAllows.
pub fn rule_allows(rule: &rbacv1::PolicyRule, attrs: &Attributes) -> bool {
    if !rule.verbs.iter().any(|v| v == "*" || *v == attrs.verb) {
        return false;
    }
    if !attrs.path.is_empty() {
        return rule.non_resource_urls.iter().flatten().any(|u| {
            u == "*"
                || *u == attrs.path
                || u.strip_suffix('*')
                    .is_some_and(|p| attrs.path.starts_with(p))
        });
    }
    if !has(rule.api_groups.as_ref(), &attrs.api_group) {
        return false;
    }
    let combined = if attrs.subresource.is_empty() {
        attrs.resource.clone()
    } else {
        format!("{}/{}", attrs.resource, attrs.subresource)
    };
    let resource_ok = rule.resources.iter().flatten().any(|r| {
        r == "*"
            || *r == combined
            || (!attrs.subresource.is_empty() && *r == format!("*/{}", attrs.subresource))
    });
    if !resource_ok {
        return false;
    }
    match rule.resource_names.as_ref().filter(|n| !n.is_empty()) {
        None => true,
        Some(names) => names.contains(&attrs.name),
    }
}
