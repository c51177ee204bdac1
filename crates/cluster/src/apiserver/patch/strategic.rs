//! Strategic merge patch: a JSON merge patch whose lists of structs merge by a key field
//! instead of being replaced, plus the `$patch`, `$retainKeys`,
//! `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` directives.
//!
//! Mirrors apimachinery pkg/util/strategicpatch/patch.go (v1.34) for the `patchMergeKey`
//! tags of the core and apps types kubectl patches. `$setElementOrder/<field>` orders the
//! merged list (`mergePatchIntoOriginal`): the items it names in its order, the others kept
//! where the live list had them relative to those. Deliberate gap: the order list is not
//! checked against the patch list (`validatePatchWithSetOrderList`).

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

/// The merge key of list `field` whose parent (the enclosing field, or the list an item
/// belongs to) is `parent`: the `patchMergeKey` tags of k8s.io/api core/v1, apps/v1,
/// batch/v1, policy/v1 and autoscaling/v2 types.go (v1.34). Lists without one (an
/// EndpointSlice's `ports`, a NetworkPolicy rule's `ports`, a Node's `taints`) are replaced.
pub fn merge_key(parent: Option<&str>, field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "resourceClaimStatuses"
        | "schedulingGates" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" | "podIPs" | "hostIPs" => "ip",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "topologySpreadConstraints" => "topologyKey",
        // ServiceAccount.secrets; NodeStatus.addresses (an Endpoints subset's addresses are
        // replaced with their subset).
        "secrets" => "name",
        "addresses" if parent == Some("status") => "type",
        "ports" => match parent {
            Some("containers" | "initContainers" | "ephemeralContainers") => "containerPort",
            // ServiceSpec.ports.
            Some("spec") => "port",
            _ => return None,
        },
        _ => return None,
    })
}

/// Lists of scalars that merge as sets (`patchStrategy:"merge"` without a key):
/// ObjectMeta.finalizers and NodeSpec.podCIDRs.
pub fn merges_as_set(field: &str) -> bool {
    matches!(field, "finalizers" | "podCIDRs")
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
    // The lists a `$setElementOrder` orders, as they were before the merge.
    let live_lists: Vec<(String, Vec<Value>)> = p
        .keys()
        .filter_map(|k| k.strip_prefix(SET_ELEMENT_ORDER))
        .map(|field| {
            let live = t.get(field).and_then(Value::as_array).cloned();
            (field.to_string(), live.unwrap_or_default())
        })
        .collect();
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
    let parent = path.last().map(String::as_str);
    for (field, live) in live_lists {
        let order = p
            .get(&format!("{SET_ELEMENT_ORDER}{field}"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                PatchError::Malformed(format!("invalid type for {SET_ELEMENT_ORDER}{field}"))
            })?;
        let key = merge_key(parent, &field);
        if let Some(Value::Array(merged)) = t.get_mut(&field) {
            *merged = set_element_order(std::mem::take(merged), order, &live, key);
        }
    }
    Ok(())
}

const SET_ELEMENT_ORDER: &str = "$setElementOrder/";

/// The identity of a list item: its merge key's value, or the item itself for a list of
/// scalars.
fn identity<'a>(item: &'a Value, key: Option<&str>) -> Option<&'a Value> {
    match key {
        Some(k) => item.get(k),
        None => Some(item),
    }
}

/// Mirrors `normalizeElementOrder`: the merged items the order list names, sorted by it, with
/// the items only the live list has merged in by their live positions (`mergeSortedSlice`).
fn set_element_order(
    merged: Vec<Value>,
    order: &[Value],
    live: &[Value],
    key: Option<&str>,
) -> Vec<Value> {
    let position = |list: &[Value], item: &Value| {
        let id = identity(item, key)?;
        list.iter().position(|x| identity(x, key) == Some(id))
    };
    let (mut named, mut live_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| position(order, item).is_some());
    machinery::sort::sort_by_key(&mut named, |item| position(order, item));
    machinery::sort::sort_by_key(&mut live_only, |item| position(live, item));
    let mut out = Vec::with_capacity(named.len() + live_only.len());
    let (mut left, mut right) = (
        live_only.into_iter().peekable(),
        named.into_iter().peekable(),
    );
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
            // A live-only item goes first when both are in the live list and it came first.
            (Some(l), Some(r)) => matches!(
                (position(live, l), position(live, r)),
                (Some(li), Some(ri)) if li < ri
            ),
        };
        out.extend(if take_left { left.next() } else { right.next() });
    }
    out
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn names(doc: &Value) -> Vec<&str> {
        doc["spec"]["containers"]
            .as_array()
            .expect("containers")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect()
    }

    // Cases after the $setElementOrder tables of strategicpatch/patch_test.go (v1.34).
    #[test]
    fn set_element_order_orders_the_merged_list() {
        let live = json!({"spec": {"containers": [
            {"name": "a", "image": "1"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}});
        let cases = [
            (
                "named items in their order, live-only ones before a later live item",
                json!({"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"}]}}),
                vec!["b", "c", "a", "d"],
            ),
            (
                "a new item placed by the order list",
                json!({"spec": {"$setElementOrder/containers": [{"name": "a"}, {"name": "e"}, {"name": "b"}, {"name": "c"}, {"name": "d"}],
                    "containers": [{"name": "e"}]}}),
                vec!["a", "e", "b", "c", "d"],
            ),
            (
                "the full order reverses the list",
                json!({"spec": {"$setElementOrder/containers": [{"name": "d"}, {"name": "c"}, {"name": "b"}, {"name": "a"}],
                    "containers": [{"name": "a", "image": "2"}]}}),
                vec!["d", "c", "b", "a"],
            ),
        ];
        for (name, patch, want) in cases {
            let mut doc = live.clone();
            apply(&mut doc, &patch, "Pod").expect("patch");
            assert_eq!(names(&doc), want, "case {name}");
        }
    }

    #[test]
    fn set_element_order_on_a_list_of_scalars() {
        let mut doc = json!({"metadata": {"finalizers": ["x", "y", "z"]}});
        let patch = json!({"metadata": {"$setElementOrder/finalizers": ["z", "x"]}});
        apply(&mut doc, &patch, "Pod").expect("patch");
        assert_eq!(doc["metadata"]["finalizers"], json!(["y", "z", "x"]));
    }
}
