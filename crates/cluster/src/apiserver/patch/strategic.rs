//! Strategic merge patch: a JSON merge patch whose lists of structs merge by a key field
//! instead of being replaced, plus the `$patch`, `$retainKeys`,
//! `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` directives.
//!
//! Mirrors apimachinery pkg/util/strategicpatch/patch.go (v1.34) for the `patchMergeKey`
//! tags of the core and apps types kubectl patches. Deliberate gap: `$setElementOrder` is
//! accepted but the merged order is "existing items first, new ones appended".

use serde_json::{Map, Value};

use super::PatchError;

/// Applies `patch` to the JSON of an object of `kind`.
///
/// # Errors
/// `Malformed` when the patch is not an object or a directive is misused.
pub fn apply(doc: &mut Value, patch: &Value, kind: &str) -> Result<(), PatchError> {
    if !patch.is_object() {
        return Err(PatchError::Malformed(
            "strategic merge patch must be a JSON object".into(),
        ));
    }
    merge_map(doc, patch, &mut vec![kind.to_string()])
}

/// The merge key of list `field` whose parent list (if any) is `parent`.
pub fn merge_key(parent: Option<&str>, field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        "ports" => match parent {
            Some("containers" | "initContainers" | "ephemeralContainers") => "containerPort",
            _ => "port",
        },
        _ => return None,
    })
}

/// Lists of scalars that merge as sets (`patchStrategy:"merge"` without a key).
fn merges_as_set(field: &str) -> bool {
    field == "finalizers"
}

fn merge_map(target: &mut Value, patch: &Value, path: &mut Vec<String>) -> Result<(), PatchError> {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return Ok(());
    };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        *target = strip(patch);
        return Ok(());
    }
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else {
        return Ok(());
    };
    if let Some(retain) = p.get("$retainKeys") {
        let keep: Vec<&str> = retain
            .as_array()
            .ok_or_else(|| PatchError::Malformed("$retainKeys must be a list".into()))?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        t.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, v) in p {
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(items)), Some(del)) = (t.get_mut(field), v.as_array()) {
                items.retain(|i| !del.contains(i));
            }
            continue;
        }
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            t.remove(k);
            continue;
        }
        match v {
            Value::Object(_) => {
                path.push(k.clone());
                let r = merge_map(t.entry(k.clone()).or_insert(Value::Null), v, path);
                path.pop();
                r?;
            }
            Value::Array(items) => {
                let parent = path.last().map(String::as_str);
                let slot = t.entry(k.clone()).or_insert(Value::Array(Vec::new()));
                if let Some(key) = merge_key(parent, k) {
                    path.push(k.clone());
                    let r = merge_keyed_list(slot, items, key, path);
                    path.pop();
                    r?;
                } else if merges_as_set(k) {
                    if let Value::Array(existing) = slot {
                        for i in items {
                            if !existing.contains(i) {
                                existing.push(i.clone());
                            }
                        }
                    } else {
                        *slot = v.clone();
                    }
                } else {
                    *slot = Value::Array(items.iter().map(strip).collect());
                }
            }
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(())
}

fn merge_keyed_list(
    slot: &mut Value,
    items: &[Value],
    key: &str,
    path: &mut Vec<String>,
) -> Result<(), PatchError> {
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(existing) = slot else {
        return Ok(());
    };
    for item in items {
        let directive = item.get("$patch").and_then(Value::as_str);
        let Some(k) = item.get(key) else {
            if directive == Some("replace") {
                *existing = Vec::new();
                continue;
            }
            return Err(PatchError::Malformed(format!(
                "map: {item} does not contain declared merge key: {key}"
            )));
        };
        let pos = existing.iter().position(|e| e.get(key) == Some(k));
        match (directive, pos) {
            (Some("delete"), Some(i)) => {
                existing.remove(i);
            }
            (Some("delete"), None) => {}
            (_, Some(i)) => merge_map(&mut existing[i], item, path)?,
            (_, None) => existing.push(strip(item)),
        }
    }
    Ok(())
}

/// A patch value with its directives removed, for inserting as data.
fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}
