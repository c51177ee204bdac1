//! Role/ClusterRole (the PolicyRule table) and RoleBinding/ClusterRoleBinding.
//!
//! Mirrors describe.go `RoleDescriber`, `ClusterRoleDescriber`, `CombineResourceGroup`,
//! `RoleBindingDescriber` and `ClusterRoleBindingDescriber`, with rbac's `BreakdownRule`,
//! `CompactRules` and `SortableRuleSlice` (v1.34). None of them print events.

use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::writer::{self, LEVEL_0, LEVEL_1, PrefixWriter, go_slice, w};

/// One rule per (group, resource, resource name) and per non-resource URL.
fn breakdown(rule: &rbacv1::PolicyRule) -> Vec<rbacv1::PolicyRule> {
    let mut out = Vec::new();
    let names = rule.resource_names.clone().unwrap_or_default();
    for g in rule.api_groups.iter().flatten() {
        for r in rule.resources.iter().flatten() {
            let base = rbacv1::PolicyRule {
                api_groups: Some(vec![g.clone()]),
                resources: Some(vec![r.clone()]),
                verbs: rule.verbs.clone(),
                ..Default::default()
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
    for u in rule.non_resource_urls.iter().flatten() {
        out.push(rbacv1::PolicyRule {
            non_resource_urls: Some(vec![u.clone()]),
            verbs: rule.verbs.clone(),
            ..Default::default()
        });
    }
    out
}

/// CompactRules: simple rules (one group, one resource, at most one name) of the same
/// target have their verbs merged.
/// (group, resource, resource name) of a simple rule.
type SimpleKey = (String, String, Option<String>);

fn compact(rules: Vec<rbacv1::PolicyRule>) -> Vec<rbacv1::PolicyRule> {
    let mut out: Vec<rbacv1::PolicyRule> = Vec::new();
    let mut simple: Vec<(SimpleKey, rbacv1::PolicyRule)> = Vec::new();
    for r in rules {
        let one =
            |v: &Option<Vec<String>>| v.as_ref().filter(|v| v.len() == 1).map(|v| v[0].clone());
        let names = r.resource_names.clone().unwrap_or_default();
        let is_simple = names.len() <= 1
            && r.non_resource_urls.as_ref().is_none_or(|u| u.is_empty())
            && one(&r.api_groups).is_some()
            && one(&r.resources).is_some();
        if !is_simple {
            out.push(r);
            continue;
        }
        let key = (
            one(&r.api_groups).unwrap_or_default(),
            one(&r.resources).unwrap_or_default(),
            names.first().cloned(),
        );
        match simple.iter_mut().find(|(k, _)| *k == key) {
            Some((_, existing)) => existing.verbs.extend(r.verbs.iter().cloned()),
            None => simple.push((key, r)),
        }
    }
    out.extend(simple.into_iter().map(|(_, r)| r));
    out
}

/// The generated `PolicyRule.String()` the rules are sorted by.
fn rule_key(r: &rbacv1::PolicyRule) -> String {
    let s = |v: &Option<Vec<String>>| go_slice(&v.clone().unwrap_or_default());
    format!(
        "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
        go_slice(&r.verbs),
        s(&r.api_groups),
        s(&r.resources),
        s(&r.resource_names),
        s(&r.non_resource_urls)
    )
}

/// `CombineResourceGroup`: `resource.group/subresource`.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else {
        return String::new();
    };
    let (res, sub) = match first.split_once('/') {
        Some((r, s)) => (r, Some(s)),
        None => (first.as_str(), None),
    };
    let mut out = res.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        out = format!("{out}.{g}");
    }
    if let Some(s) = sub {
        out = format!("{out}/{s}");
    }
    out
}

pub fn role(meta: &metav1::ObjectMeta, rules: Option<&[rbacv1::PolicyRule]>) -> String {
    let broken: Vec<rbacv1::PolicyRule> = rules.into_iter().flatten().flat_map(breakdown).collect();
    let mut compacted = compact(broken);
    machinery::sort::sort_by_key(&mut compacted, rule_key);
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        meta.name.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", meta.labels.as_ref());
    writer::annotations(&mut w, "Annotations", meta.annotations.as_ref());
    w!(w, LEVEL_0, "PolicyRule:\n");
    w!(
        w,
        LEVEL_1,
        "Resources\tNon-Resource URLs\tResource Names\tVerbs\n"
    );
    w!(
        w,
        LEVEL_1,
        "---------\t-----------------\t--------------\t-----\n"
    );
    for r in &compacted {
        let v = |x: &Option<Vec<String>>| x.clone().unwrap_or_default();
        w!(
            w,
            LEVEL_1,
            "{}\t{}\t{}\t{}\n",
            combine_resource_group(&v(&r.resources), &v(&r.api_groups)),
            go_slice(&v(&r.non_resource_urls)),
            go_slice(&v(&r.resource_names)),
            go_slice(&r.verbs)
        );
    }
    w.finish()
}

pub fn binding(
    meta: &metav1::ObjectMeta,
    role_ref: &rbacv1::RoleRef,
    subjects: Option<&[rbacv1::Subject]>,
) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        meta.name.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", meta.labels.as_ref());
    writer::annotations(&mut w, "Annotations", meta.annotations.as_ref());
    w!(w, LEVEL_0, "Role:\n");
    w!(w, LEVEL_1, "Kind:\t{}\n", role_ref.kind);
    w!(w, LEVEL_1, "Name:\t{}\n", role_ref.name);
    w!(w, LEVEL_0, "Subjects:\n");
    w!(w, LEVEL_1, "Kind\tName\tNamespace\n");
    w!(w, LEVEL_1, "----\t----\t---------\n");
    for s in subjects.into_iter().flatten() {
        w!(
            w,
            LEVEL_1,
            "{}\t{}\t{}\n",
            s.kind,
            s.name,
            s.namespace.as_deref().unwrap_or("")
        );
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_groups_and_subresources() {
        assert_eq!(
            combine_resource_group(&["pods".into()], &["".into()]),
            "pods"
        );
        assert_eq!(
            combine_resource_group(&["deployments/scale".into()], &["apps".into()]),
            "deployments.apps/scale"
        );
    }
}
