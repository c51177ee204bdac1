//! The JSON schema of every served kind, with the API's field descriptions.
//!
//! The schemas are data, in two files generated from k8s-openapi's `schemars` implementations
//! (the OpenAPI descriptions of Kubernetes v1.34) by the test in `generate`, which fails while
//! they are stale and rewrites them under `UPDATE_SCHEMAS=1`: `schema/schemas.json`, every
//! kind's schema without its descriptions, and `schema/descriptions.json`, the descriptions
//! alone, in a tree of the same shape. The library embeds the schemas and parses them on first
//! use, so no schemars code is built into it. The descriptions serve only `kubectl explain` and
//! the editor's completion and hover docs, and are four fifths of the text: native builds
//! embed them too; the lab page's wasm does not, and its page fetches the file beside it and
//! hands it to [`install_descriptions`] before the lab starts, so the wasm download stays
//! small. Until they are installed, [`for_kind`] gives the schemas without descriptions.
//!
//! A kind's schema is a JSON Schema (draft 2020-12) whose nested object types are `$ref`s into
//! its `$defs` (named like the OpenAPI definitions, `io.k8s.api.core.v1.PodSpec`); a field that
//! is a `$ref` carries its own `description` beside it. [`resolve`], [`field`] and
//! [`type_name`] walk such a schema the way `kubectl explain` does, for explain and for the
//! editor's completion and hover docs. String fields of an enum type carry the API's `enum`
//! values and "Possible enum values" text (added by the generator from `enums`), as the API
//! server's OpenAPI document has them.

use std::sync::OnceLock;

use serde_json::Value;

use crate::kinds::KindInfo;

#[cfg(test)]
mod enums;
#[cfg(test)]
mod generate;

/// The schema of a served kind (in the version `info` names) with the definitions it refers
/// to, or None for a kind this build does not serve. It carries the API's descriptions once
/// they are available (always natively; in the page after [`install_descriptions`]).
pub fn for_kind(info: &KindInfo) -> Option<Value> {
    let table = table()?;
    let key = kind_key(&info.api_version(), info.kind);
    let docs = descriptions();
    let mut root = table.get("kinds")?.get(&key)?.clone();
    if let Some(d) = docs.and_then(|d| d.get("kinds")?.get(&key)) {
        add_descriptions(&mut root, d);
    }
    let definitions = table.get("definitions")?;
    let mut defs = serde_json::Map::new();
    let mut pending = Vec::new();
    refs_in(&root, &mut pending);
    while let Some(name) = pending.pop() {
        if defs.contains_key(name) {
            continue;
        }
        if let Some(def) = definitions.get(name) {
            refs_in(def, &mut pending);
            let mut def = def.clone();
            if let Some(d) = docs.and_then(|d| d.get("definitions")?.get(name)) {
                add_descriptions(&mut def, d);
            }
            defs.insert(name.to_string(), def);
        }
    }
    if !defs.is_empty()
        && let Some(obj) = root.as_object_mut()
    {
        obj.insert("$defs".into(), Value::Object(defs));
    }
    Some(root)
}

/// Why the text handed to [`install_descriptions`] was not taken.
#[derive(Debug, thiserror::Error)]
pub enum DescriptionsError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not an object of kinds and definitions")]
    Shape,
    #[error("descriptions are installed already")]
    Installed,
}

/// Takes the text of `schema/descriptions.json` as the descriptions [`for_kind`] adds, for a
/// build that does not embed them (the page's wasm).
///
/// # Errors
/// Text that is not that file's shape, or descriptions present already.
pub fn install_descriptions(text: &str) -> Result<(), DescriptionsError> {
    let docs: Value = serde_json::from_str(text)?;
    if !docs.get("kinds").is_some_and(Value::is_object)
        || !docs.get("definitions").is_some_and(Value::is_object)
    {
        return Err(DescriptionsError::Shape);
    }
    DESCRIPTIONS.set(docs).map_err(|_| DescriptionsError::Installed)
}

/// The embedded schemas, parsed once: `{"kinds": {"apps/v1/Deployment": root without
/// $defs}, "definitions": {name: schema}}`; a definition is the same in every kind. They hold
/// no descriptions: what reads them directly (`omitempty`, `timefields`) needs the shapes only.
pub(crate) fn table() -> Option<&'static Value> {
    static TABLE: OnceLock<Option<Value>> = OnceLock::new();
    TABLE
        .get_or_init(|| serde_json::from_str(include_str!("schema/schemas.json")).ok())
        .as_ref()
}

/// `schema/descriptions.json`, parsed: each schema's `description` at the same place in a
/// tree of the table's shape (objects by key, lists by index, `null` for a list item with
/// none).
static DESCRIPTIONS: OnceLock<Value> = OnceLock::new();

/// The descriptions: embedded in native builds; in the page, those installed, if any.
fn descriptions() -> Option<&'static Value> {
    #[cfg(not(target_arch = "wasm32"))]
    if DESCRIPTIONS.get().is_none() {
        // Another thread may install them first; an unreadable file is reported by the
        // tests of `generate` and of this module.
        let _ = install_descriptions(include_str!("schema/descriptions.json"));
    }
    DESCRIPTIONS.get()
}

/// Puts the `description`s of `docs` into `schema` at the same places.
fn add_descriptions(schema: &mut Value, docs: &Value) {
    match (schema, docs) {
        (Value::Object(s), Value::Object(d)) => {
            for (k, v) in d {
                if k == "description" && v.is_string() {
                    s.insert(k.clone(), v.clone());
                } else if let Some(sub) = s.get_mut(k) {
                    add_descriptions(sub, v);
                }
            }
        }
        (Value::Array(s), Value::Array(d)) => {
            for (sub, v) in s.iter_mut().zip(d) {
                add_descriptions(sub, v);
            }
        }
        _ => {}
    }
}

/// The key of a kind in `schemas.json`: `v1/Pod`, `apps/v1/Deployment`.
fn kind_key(api_version: &str, kind: &str) -> String {
    format!("{api_version}/{kind}")
}

/// The definition names `schema` refers to (`#/$defs/NAME`), at any depth.
fn refs_in<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/$defs/") {
                            out.push(name);
                        }
                    }
                    _ => refs_in(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

/// The schema a `$ref` points to (within `root`'s `$defs`), or `schema` itself.
pub fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    // Follow chains of refs, a few at most (the k8s definitions never chain deeper).
    for _ in 0..8 {
        let Some(r) = s.get("$ref").and_then(Value::as_str) else {
            return s;
        };
        match r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
        {
            Some(next) => s = next,
            None if r == "#" => s = root,
            None => return s,
        }
    }
    s
}

/// The schema of the field at `path` below `schema` (`["spec", "containers", "image"]`):
/// each step looks in the properties of the current schema, through list items and map
/// values as kubectl explain does. None when a step does not exist.
pub fn field<'a>(root: &'a Value, schema: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let Some((first, rest)) = path.split_first() else {
        return Some(schema);
    };
    let mut s = resolve(root, schema);
    loop {
        if let Some(sub) = s.get("properties").and_then(|p| p.get(*first)) {
            return field(root, sub, rest);
        }
        if let Some(items) = s.get("items") {
            s = resolve(root, items);
            continue;
        }
        if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
            s = resolve(root, values);
            continue;
        }
        return None;
    }
}

/// The properties of a schema (after refs, list items and map values), sorted by name.
pub fn properties<'a>(root: &'a Value, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut s = resolve(root, schema);
    loop {
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            let mut v: Vec<(&str, &Value)> = p.iter().map(|(k, v)| (k.as_str(), v)).collect();
            v.sort_by_key(|(k, _)| *k);
            return v;
        }
        if let Some(items) = s.get("items") {
            s = resolve(root, items);
        } else if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
            s = resolve(root, values);
        } else {
            return Vec::new();
        }
    }
}

/// Whether `name` is a required property of `schema`.
pub fn is_required(root: &Value, schema: &Value, name: &str) -> bool {
    resolve(root, schema)
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(name)))
}

/// The description of a field: its own, else that of the type it refers to.
pub fn description<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a str> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .or_else(|| {
            resolve(root, schema)
                .get("description")
                .and_then(Value::as_str)
        })
}

/// kubectl explain's type hint (`typeGuess` in plaintext.tmpl): `string`, `integer`,
/// `boolean`, `Object`, `[]Container`, `map[string]string`, `ObjectMeta`, `Quantity`.
pub fn type_name(root: &Value, schema: &Value) -> String {
    if let Some(items) = schema.get("items") {
        return format!("[]{}", type_name(root, items));
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        return format!("map[string]{}", type_name(root, values));
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = resolve(root, schema);
        let ty = target.get("type").and_then(type_word);
        return match ty.as_deref() {
            None | Some("object") => r
                .rsplit('/')
                .next()
                .and_then(|n| n.rsplit('.').next())
                .filter(|n| !n.is_empty())
                .unwrap_or("Object")
                .to_string(),
            Some(t) => t.to_string(),
        };
    }
    match schema.get("type").and_then(type_word).as_deref() {
        Some("object") | None => "Object".into(),
        Some(t) => t.to_string(),
    }
}

/// A schema `type`: a word, or the first non-null word of a list (`["string", "null"]`).
fn type_word(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_schema() {
        assert!(table().is_some(), "schemas.json does not parse");
        for info in crate::kinds::KINDS {
            let s = for_kind(info);
            assert!(s.is_some(), "no schema for {}", info.kind);
        }
    }

    #[test]
    fn pod_fields_carry_descriptions_and_types() {
        let info = crate::by_gvk("v1", "Pod").expect("pod");
        let root = for_kind(info).expect("schema");
        assert!(
            description(&root, &root)
                .is_some_and(|d| d.starts_with("Pod is a collection of containers"))
        );
        let spec = field(&root, &root, &["spec"]).expect("spec");
        assert_eq!(type_name(&root, spec), "PodSpec");
        let containers = field(&root, &root, &["spec", "containers"]).expect("containers");
        assert_eq!(type_name(&root, containers), "[]Container");
        let image = field(&root, &root, &["spec", "containers", "image"]).expect("image");
        assert_eq!(type_name(&root, image), "string");
        let limits =
            field(&root, &root, &["spec", "containers", "resources", "limits"]).expect("limits");
        assert_eq!(type_name(&root, limits), "map[string]Quantity");
        let labels = field(&root, &root, &["metadata", "labels"]).expect("labels");
        assert_eq!(type_name(&root, labels), "map[string]string");
        assert!(field(&root, &root, &["spec", "nope"]).is_none());
        assert!(!is_required(&root, &root, "metadata"));
        let spec_schema = field(&root, &root, &["spec"]).expect("spec");
        assert!(is_required(&root, spec_schema, "containers"));
    }

    #[test]
    fn enum_fields_carry_values_and_possible_values_text() {
        let svc = for_kind(crate::by_gvk("v1", "Service").expect("svc")).expect("schema");
        let etp = field(&svc, &svc, &["spec", "externalTrafficPolicy"]).expect("field");
        assert_eq!(etp["enum"], serde_json::json!(["Cluster", "Local"]));
        let d = description(&svc, etp).expect("description");
        assert!(d.starts_with("externalTrafficPolicy describes"), "{d}");
        // Mirrors the description of ServiceSpec.externalTrafficPolicy in
        // api/openapi-spec/v3/api__v1_openapi.json (v1.34).
        assert!(
            d.ends_with("\n\nPossible enum values:\n - `\"Cluster\"` routes traffic to all endpoints.\n - `\"Local\"` preserves the source IP of the traffic by routing only to endpoints on the same node as the traffic was received on (dropping the traffic if there are no local endpoints)."),
            "{d}"
        );
        // A list of an enum type gets the values on its items and no text.
        let pvc_info = crate::by_gvk("v1", "PersistentVolumeClaim").expect("pvc");
        let pvc = for_kind(pvc_info).expect("schema");
        let modes = field(&pvc, &pvc, &["spec", "accessModes"]).expect("field");
        assert_eq!(modes["items"]["enum"][0], "ReadOnlyMany");
        assert!(!description(&pvc, modes).unwrap_or("").contains("Possible enum values"));
        // A kind's own top-level fields.
        let sc_info = crate::by_gvk("storage.k8s.io/v1", "StorageClass").expect("sc");
        let sc = for_kind(sc_info).expect("schema");
        let mode = field(&sc, &sc, &["volumeBindingMode"]).expect("field");
        assert_eq!(mode["enum"], serde_json::json!(["Immediate", "WaitForFirstConsumer"]));
    }

    #[test]
    fn every_enum_table_field_exists_where_its_definition_is_served() {
        let table: Value =
            serde_json::from_str(include_str!("schema/enums.json")).expect("json");
        let mut found = std::collections::BTreeSet::new();
        for info in crate::kinds::KINDS {
            let root = for_kind(info).expect("schema");
            let own = enums::definition_name(info.api_version().as_str(), info.kind);
            let mut defs: Vec<(String, &Value)> = vec![(own, &root)];
            if let Some(d) = root.get("$defs").and_then(Value::as_object) {
                defs.extend(d.iter().map(|(k, v)| (k.clone(), v)));
            }
            for (name, def) in defs {
                let Some(fields) = table.get(&name).and_then(Value::as_object) else {
                    continue;
                };
                for (f, entry) in fields {
                    let prop = &def["properties"][f];
                    let values = if entry.get("on").is_some() {
                        &prop["items"]["enum"]
                    } else {
                        &prop["enum"]
                    };
                    assert_eq!(values, &entry["enum"], "{name}.{f}");
                    found.insert(name.clone());
                }
            }
        }
        // Every definition of the table belongs to some served kind.
        for name in table.as_object().expect("object").keys() {
            assert!(found.contains(name), "{name} is served by no kind");
        }
    }
}
