//! The describer of kinds without one of their own (Lease, Event, ControllerRevision, …).
//!
//! Mirrors describe.go `genericDescriber` with `printUnstructuredContent` and
//! `smartLabelFor` (v1.34): metadata first, then every other field of the object sorted by
//! name, maps and lists indented one level, labels made from the camelCase field names.

use api::Object;
use serde_json::{Map, Value};

use super::Describe;
use super::writer::{self, LEVEL_0, PrefixWriter, w};

const SKIP: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

pub fn describe(obj: &Object, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    w!(w, LEVEL_0, "Name:\t{}\n", obj.name());
    w!(
        w,
        LEVEL_0,
        "Namespace:\t{}\n",
        obj.namespace().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", obj.meta().labels.as_ref());
    writer::annotations(&mut w, "Annotations", obj.meta().annotations.as_ref());
    if let Value::Object(map) = obj.to_value() {
        content(&mut w, LEVEL_0, &map, "");
    }
    d.maybe_events(&mut w, obj);
    w.finish()
}

fn content(w: &mut PrefixWriter, level: usize, map: &Map<String, Value>, prefix: &str) {
    let mut keys: Vec<&String> = map.keys().collect();
    machinery::sort::sort(&mut keys);
    for k in keys {
        let path = format!("{prefix}.{k}");
        if SKIP.contains(&path.as_str()) {
            continue;
        }
        match &map[k] {
            Value::Object(m) => {
                w!(w, level, "{}:\n", smart_label(k));
                content(w, level + 1, m, &path);
            }
            Value::Array(items) => {
                w!(w, level, "{}:\n", smart_label(k));
                for item in items {
                    match item {
                        Value::Object(m) => content(w, level + 1, m, &path),
                        other => w!(w, level + 1, "{}\n", scalar(other)),
                    }
                }
            }
            other => w!(w, level, "{}:\t{}\n", smart_label(k), scalar(other)),
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// `smartLabelFor`: `creationTimestamp` → `Creation Timestamp`, `apiVersion` →
/// `API Version`; names with characters other than letters and `-` stay as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: &[&str] = &["API", "URL", "UID", "OSB", "GUID"];
    camel_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// fatih/camelcase `Split`: runs of one character class, an upper run's last letter moved
/// to a following lower run (`HTTPServer` → `HTTP`, `Server`).
fn camel_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        if k == last
            && let Some(r) = runs.last_mut()
        {
            r.push(c);
        } else {
            runs.push(vec![c]);
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper = runs[i].first().is_some_and(|c| c.is_uppercase());
        let lower_next = runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper
            && lower_next
            && let Some(c) = runs[i].pop()
        {
            runs[i + 1].insert(0, c);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_labels() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("holderIdentity"), "Holder Identity");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(
            smart_label("leaseDurationSeconds"),
            "Lease Duration Seconds"
        );
        assert_eq!(smart_label("a.b"), "a.b");
    }
}
