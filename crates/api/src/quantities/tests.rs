use serde_json::{Map, Value, json};

use super::*;
use crate::kinds::KINDS;
use crate::schema;

/// Canonical forms from the oracle table (k8s.io/apimachinery v1.34 `ParseQuantity` then
/// `String()`, /work/shared/oracles/quantities.jsonl) and what a YAML number becomes.
#[test]
fn canonical_text() {
    let cases = [
        ("0.5", "500m"),
        ("1.5", "1500m"),
        ("1000m", "1"),
        ("1.5Gi", "1536Mi"),
        ("100m", "100m"),
        ("1e3", "1e3"),
        // `1e3` unquoted in YAML is the number 1000.
        ("1000", "1k"),
        ("0.1Gi", "107374182400m"),
        ("128974848", "128974848"),
        (" 64Mi ", "64Mi"),
        // Not a quantity: kept for validation to report.
        ("lots", "lots"),
        ("", ""),
    ];
    for (input, want) in cases {
        let mut q = Quantity(input.to_string());
        canonicalize_one(&mut q);
        assert_eq!(q.0, want, "input {input:?}");
    }
}

/// One step of a field path in an object's JSON.
#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Item,
    MapValue,
}

fn is_quantity(schema: &Value) -> bool {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .is_some_and(|r| r.ends_with("io.k8s.apimachinery.pkg.api.resource.Quantity"))
}

/// Every path from `schema` to a Quantity, following properties, list items and map values;
/// `seen` holds the `$ref`s on the way down so recursive types end.
fn quantity_paths(root: &Value, schema: &Value, seen: &mut Vec<String>) -> Vec<Vec<Step>> {
    if is_quantity(schema) {
        return vec![Vec::new()];
    }
    let r = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(r) = &r {
        if seen.contains(r) {
            return Vec::new();
        }
        seen.push(r.clone());
    }
    let s = schema::resolve(root, schema);
    let mut out = Vec::new();
    let mut nested = |step: Step, sub: &Value, seen: &mut Vec<String>| {
        for mut p in quantity_paths(root, sub, seen) {
            p.insert(0, step.clone());
            out.push(p);
        }
    };
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            nested(Step::Field(name.clone()), sub, seen);
        }
    }
    if let Some(items) = s.get("items") {
        nested(Step::Item, items, seen);
    }
    if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
        nested(Step::MapValue, values, seen);
    }
    if r.is_some() {
        seen.pop();
    }
    out
}

/// The smallest value a typed decode accepts for `schema`: required fields only.
fn minimal(root: &Value, schema: &Value) -> Value {
    if is_quantity(schema) {
        return json!("1");
    }
    let s = schema::resolve(root, schema);
    if s.get("properties").is_some() {
        let mut m = Map::new();
        for (name, sub) in s["properties"].as_object().into_iter().flatten() {
            if schema::is_required(root, s, name) {
                m.insert(name.clone(), minimal(root, sub));
            }
        }
        return Value::Object(m);
    }
    let ty = s.get("type").and_then(|t| match t {
        Value::Array(a) => a.iter().find(|x| *x != "null").and_then(Value::as_str),
        other => other.as_str(),
    });
    match ty {
        Some("integer" | "number") => json!(0),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        Some("object") => json!({}),
        _ => json!(""),
    }
}

/// An object of `schema` with `leaf` at `path` and every required field on the way.
fn build(root: &Value, schema: &Value, path: &[Step], leaf: &Value) -> Value {
    let Some((first, rest)) = path.split_first() else {
        return leaf.clone();
    };
    let s = schema::resolve(root, schema);
    match first {
        Step::Field(name) => {
            let mut v = minimal(root, s);
            let sub = &s["properties"][name.as_str()];
            v[name.as_str()] = build(root, sub, rest, leaf);
            v
        }
        Step::Item => json!([build(root, &s["items"], rest, leaf)]),
        Step::MapValue => json!({"k": build(root, &s["additionalProperties"], rest, leaf)}),
    }
}

fn at<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, step| match step {
        Step::Field(name) => cur.get(name.as_str()),
        Step::Item => cur.get(0),
        Step::MapValue => cur.get("k"),
    })
}

fn show(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Field(n) => format!(".{n}"),
            Step::Item => "[0]".into(),
            Step::MapValue => "[k]".into(),
        })
        .collect()
}

/// For every served kind, every Quantity field its schema has (found by walking the schema,
/// not listed by hand) is rewritten by `canonicalize`: a field the typed walk misses fails
/// here.
#[test]
fn walk_reaches_every_quantity() {
    let mut checked = 0;
    for info in KINDS {
        let Some(root) = schema::for_kind(info) else {
            continue;
        };
        for path in quantity_paths(&root, &root, &mut Vec::new()) {
            let mut doc = build(&root, &root, &path, &json!(0.5));
            doc["apiVersion"] = json!(info.api_version());
            doc["kind"] = json!(info.kind);
            let mut obj = Object::from_value(doc)
                .unwrap_or_else(|e| panic!("{} {}: {e}", info.kind, show(&path)));
            canonicalize(&mut obj);
            let out = obj.to_value();
            assert_eq!(
                at(&out, &path),
                Some(&json!("500m")),
                "{} {}",
                info.kind,
                show(&path)
            );
            checked += 1;
        }
    }
    // Pods alone have dozens; a schema walk that found nothing would pass vacuously.
    assert!(checked > 100, "only {checked} quantity fields found");
}

#[test]
fn a_pod_reads_back_canonical() {
    let mut obj = Object::from_value(json!({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
        "spec": {"containers": [{"name": "c", "image": "nginx",
            "resources": {"requests": {"cpu": 0.5, "memory": "1.5Gi"},
                          "limits": {"cpu": "1.0", "memory": 1000}}}]}
    }))
    .expect("pod");
    canonicalize(&mut obj);
    assert_eq!(
        obj.to_value()["spec"]["containers"][0]["resources"],
        json!({"requests": {"cpu": "500m", "memory": "1536Mi"},
               "limits": {"cpu": "1", "memory": "1k"}})
    );
}
