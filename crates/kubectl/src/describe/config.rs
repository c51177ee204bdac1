//! Namespace, ConfigMap, Secret, ServiceAccount, LimitRange and ResourceQuota.
//!
//! Mirrors describe.go `describeNamespace`, `DescribeResourceQuotas`, `DescribeLimitRanges`,
//! `ConfigMapDescriber`, `describeSecret`, `describeServiceAccount`, `describeLimitRange`
//! and `describeQuota` (v1.34). Secrets show sizes, never values.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::Describe;
use super::writer::{self, LEVEL_0, LEVEL_1, PrefixWriter, quantity_text, time_text, w};

pub fn namespace(ns: &corev1::Namespace, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let name = ns.metadata.name.as_deref().unwrap_or("");
    let status = ns.status.clone().unwrap_or_default();
    w!(w, LEVEL_0, "Name:\t{name}\n");
    writer::labels(&mut w, "Labels", ns.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", ns.metadata.annotations.as_ref());
    w!(
        w,
        LEVEL_0,
        "Status:\t{}\n",
        status.phase.as_deref().unwrap_or("")
    );
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w!(w, LEVEL_0, "Conditions:\n");
        w!(
            w,
            LEVEL_1,
            "Type\tStatus\tLastTransitionTime\tReason\tMessage\n"
        );
        w!(
            w,
            LEVEL_1,
            "----\t------\t------------------\t------\t-------\n"
        );
        for c in conds {
            w!(
                w,
                LEVEL_1,
                "{}\t{}\t{}\t{}\t{}\n",
                c.type_,
                c.status,
                c.last_transition_time
                    .as_ref()
                    .map_or_else(|| "Mon, 01 Jan 0001 00:00:00 +0000".into(), time_text),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    w!(w, LEVEL_0, "\n");
    let quotas: Vec<corev1::ResourceQuota> = d
        .list("ResourceQuota", "v1", Some(name))
        .iter()
        .filter_map(|o| match &**o {
            Object::ResourceQuota(q) => Some(q.clone()),
            _ => None,
        })
        .collect();
    if quotas.is_empty() {
        w!(w, LEVEL_0, "No resource quota.\n");
    } else {
        w!(w, LEVEL_0, "Resource Quotas\n");
        for q in &quotas {
            w!(
                w,
                LEVEL_1,
                "Name:\t{}\n",
                q.metadata.name.as_deref().unwrap_or("")
            );
            scopes(&mut w, q, LEVEL_1, "* ");
            w!(w, LEVEL_1, "Resource\tUsed\tHard\n");
            w!(w, LEVEL_1, "--------\t---\t---\n");
            quota_rows(&mut w, q, LEVEL_1);
        }
    }
    w!(w, LEVEL_0, "\n");
    let ranges: Vec<corev1::LimitRange> = d
        .list("LimitRange", "v1", Some(name))
        .iter()
        .filter_map(|o| match &**o {
            Object::LimitRange(l) => Some(l.clone()),
            _ => None,
        })
        .collect();
    if ranges.is_empty() {
        w!(w, LEVEL_0, "No LimitRange resource.\n");
    } else {
        w!(
            w,
            LEVEL_0,
            "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n"
        );
        w!(
            w,
            LEVEL_0,
            " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n"
        );
        for lr in &ranges {
            limit_rows(&mut w, lr, " ");
        }
    }
    w.finish()
}

/// `describeLimitRangeSpec`: one row per (item, resource).
fn limit_rows(w: &mut PrefixWriter, lr: &corev1::LimitRange, prefix: &str) {
    for item in lr.spec.iter().flat_map(|s| s.limits.iter()) {
        let maps = [
            &item.min,
            &item.max,
            &item.default_request,
            &item.default,
            &item.max_limit_request_ratio,
        ];
        let mut names: Vec<&String> = maps
            .iter()
            .flat_map(|m| m.iter().flatten().map(|(k, _)| k))
            .collect();
        machinery::sort::sort(&mut names);
        names.dedup();
        for k in names {
            let cell = |m: &Option<
                BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
            >| {
                m.as_ref()
                    .and_then(|m| m.get(k))
                    .map_or_else(|| "-".to_string(), quantity_text)
            };
            w!(
                w,
                LEVEL_0,
                "{prefix}{}\t{k}\t{}\t{}\t{}\t{}\t{}\n",
                item.type_,
                cell(&item.min),
                cell(&item.max),
                cell(&item.default_request),
                cell(&item.default),
                cell(&item.max_limit_request_ratio)
            );
        }
    }
}

fn scope_help(scope: &str) -> &'static str {
    match scope {
        "Terminating" => {
            "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system."
        }
        "NotTerminating" => {
            "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate."
        }
        "BestEffort" => {
            "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service."
        }
        "NotBestEffort" => {
            "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service."
        }
        _ => "",
    }
}

fn scopes(w: &mut PrefixWriter, q: &corev1::ResourceQuota, level: usize, bullet: &str) {
    let mut scopes = q
        .spec
        .as_ref()
        .and_then(|s| s.scopes.clone())
        .unwrap_or_default();
    if scopes.is_empty() {
        return;
    }
    machinery::sort::sort(&mut scopes);
    w!(w, level, "Scopes:\t{}\n", scopes.join(", "));
    for s in &scopes {
        let h = scope_help(s);
        if !h.is_empty() {
            w!(w, level, "{bullet}{h}\n");
        }
    }
}

fn quota_rows(w: &mut PrefixWriter, q: &corev1::ResourceQuota, level: usize) {
    let status = q.status.clone().unwrap_or_default();
    let used = status.used.unwrap_or_default();
    for (name, hard) in status.hard.iter().flatten() {
        let u = used
            .get(name)
            .map_or_else(|| "0".to_string(), quantity_text);
        w!(w, level, "{name}\t{u}\t{}\n", quantity_text(hard));
    }
}

pub fn resource_quota(q: &corev1::ResourceQuota) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        q.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        q.metadata.namespace.as_deref().unwrap_or("")
    );
    scopes(&mut w, q, LEVEL_0, " * ");
    w!(w, LEVEL_0, "Resource\tUsed\tHard\n");
    w!(w, LEVEL_0, "--------\t----\t----\n");
    quota_rows(&mut w, q, LEVEL_0);
    w.finish()
}

pub fn limit_range(lr: &corev1::LimitRange) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        lr.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        lr.metadata.namespace.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n"
    );
    w!(
        w,
        LEVEL_0,
        "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n"
    );
    limit_rows(&mut w, lr, "");
    w.finish()
}

pub fn config_map(cm: &corev1::ConfigMap, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        cm.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        cm.metadata.namespace.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", cm.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", cm.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "\nData\n====\n");
    for (k, v) in cm.data.iter().flatten() {
        w!(w, LEVEL_0, "{k}:\n----\n");
        w!(w, LEVEL_0, "{v}\n");
        w!(w, LEVEL_0, "\n");
    }
    w!(w, LEVEL_0, "\nBinaryData\n====\n");
    for (k, v) in cm.binary_data.iter().flatten() {
        w!(w, LEVEL_0, "{k}: {} bytes\n", v.0.len());
    }
    w!(w, LEVEL_0, "\n");
    d.maybe_events(&mut w, &Object::ConfigMap(cm.clone()));
    w.finish()
}

pub fn secret(s: &corev1::Secret) -> String {
    let mut w = PrefixWriter::new();
    let type_ = s.type_.as_deref().unwrap_or("");
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        s.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        s.metadata.namespace.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", s.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", s.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "\nType:\t{type_}\n");
    w!(w, LEVEL_0, "\nData\n====\n");
    for (k, v) in s.data.iter().flatten() {
        if k == "token" && type_ == "kubernetes.io/service-account-token" {
            w!(w, LEVEL_0, "{k}:\t{}\n", String::from_utf8_lossy(&v.0));
        } else {
            w!(w, LEVEL_0, "{k}:\t{} bytes\n", v.0.len());
        }
    }
    w.finish()
}

pub fn service_account(sa: &corev1::ServiceAccount, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let ns = sa.metadata.namespace.as_deref();
    let name = sa.metadata.name.as_deref().unwrap_or("");
    let uid = sa.metadata.uid.as_deref().unwrap_or("");
    w!(w, LEVEL_0, "Name:\t{name}\n");
    w!(w, LEVEL_0, "Namespace:\t{}\n", ns.unwrap_or(""));
    writer::labels(&mut w, "Labels", sa.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", sa.metadata.annotations.as_ref());
    let secrets: Vec<corev1::Secret> = d
        .list("Secret", "v1", ns)
        .iter()
        .filter_map(|o| match &**o {
            Object::Secret(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    let existing: Vec<&str> = secrets
        .iter()
        .filter_map(|s| s.metadata.name.as_deref())
        .collect();
    let tokens: Vec<String> = secrets
        .iter()
        .filter(|s| s.type_.as_deref() == Some("kubernetes.io/service-account-token"))
        .filter(|s| {
            let a = s.metadata.annotations.clone().unwrap_or_default();
            a.get("kubernetes.io/service-account.name")
                .map(String::as_str)
                == Some(name)
                && a.get("kubernetes.io/service-account.uid")
                    .map(String::as_str)
                    == Some(uid)
        })
        .filter_map(|s| s.metadata.name.clone())
        .collect();
    let pull: Vec<String> = sa
        .image_pull_secrets
        .iter()
        .flatten()
        .map(|r| r.name.clone())
        .collect();
    let mount: Vec<String> = sa
        .secrets
        .iter()
        .flatten()
        .map(|r| r.name.clone().unwrap_or_default())
        .collect();
    // Printed in the order of the sorted headers.
    for (header, names, check) in [
        ("Image pull secrets:", &pull, true),
        ("Mountable secrets: ", &mount, true),
        ("Tokens:            ", &tokens, false),
    ] {
        if names.is_empty() {
            w!(w, LEVEL_0, "{header}\t<none>\n");
            continue;
        }
        let mut prefix = header;
        for n in names {
            if check && !existing.contains(&n.as_str()) {
                w!(w, LEVEL_0, "{prefix}\t{n} (not found)\n");
            } else {
                w!(w, LEVEL_0, "{prefix}\t{n}\n");
            }
            prefix = "                   ";
        }
    }
    d.maybe_events(&mut w, &Object::ServiceAccount(sa.clone()));
    w.finish()
}
