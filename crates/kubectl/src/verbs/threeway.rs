//! kubectl apply's three-way strategic merge patch over untyped JSON.
//!
//! Mirrors apimachinery pkg/util/strategicpatch/patch.go `CreateThreeWayMergePatch` (v1.34)
//! as staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go calls it: `modified` is the file as
//! decoded (plus the new last-applied annotation), `original` the previous annotation and
//! `current` the live object. The patch is the difference from current to modified without
//! deletions (`delta`), merged with the deletions from original to modified. Both carry
//! `$setElementOrder/<field>` for a keyed list whose contents or order changed, so a file
//! that only reorders a list (or the server adding an element to it, such as the
//! service-account token volume of a pod) still makes a patch, as upstream.
//!
//! Merge keys and the set-like `finalizers` come from the API server's strategic merge
//! tables (`cluster::apiserver::patch::strategic::merge_key`); `$retainKeys` is built for the
//! two `retainKeys` fields of the built-in types (a Deployment's `strategy` and the
//! elements of a pod's `volumes`). Deliberate gaps: no conflict check (apply passes
//! `overwrite`), and an element without its merge key is treated as new instead of failing.

use cluster::apiserver::patch::strategic::{merge_key, merges_as_set};
use serde_json::{Map, Value};

const SET_ELEMENT_ORDER: &str = "$setElementOrder/";
const DELETE_FROM_PRIMITIVE_LIST: &str = "$deleteFromPrimitiveList/";
const RETAIN_KEYS: &str = "$retainKeys";

/// What one pass of `diffMaps` leaves out.
#[derive(Clone, Copy)]
struct DiffOptions {
    ignore_deletions: bool,
    ignore_changes_and_additions: bool,
    build_retain_keys: bool,
}

/// The patch `kubectl apply` sends; an empty object when nothing needs changing.
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    let empty = Map::new();
    let as_map = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    let modified = as_map(Some(modified));
    let delta = diff_maps(
        &as_map(Some(current)),
        &modified,
        DiffOptions {
            ignore_deletions: true,
            ignore_changes_and_additions: false,
            build_retain_keys: false,
        },
        None,
    );
    let deletions = diff_maps(
        original.and_then(Value::as_object).unwrap_or(&empty),
        &modified,
        DiffOptions {
            ignore_deletions: false,
            ignore_changes_and_additions: true,
            build_retain_keys: false,
        },
        None,
    );
    let mut patch = Value::Object(deletions);
    merge_patches(&mut patch, Value::Object(delta), None);
    patch
}

/// strategicpatch `diffMaps`: the patch that turns `original` into `modified`, within the
/// field `parent` (the context merge keys are looked up in).
fn diff_maps(
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
    opts: DiffOptions,
    parent: Option<&str>,
) -> Map<String, Value> {
    let mut patch = Map::new();
    for (key, mv) in modified {
        let Some(ov) = original.get(key) else {
            if !opts.ignore_changes_and_additions {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        };
        if key == "$patch" {
            if ov != mv {
                patch.insert(key.clone(), mv.clone());
            }
            continue;
        }
        match (ov, mv) {
            (Value::Object(o), Value::Object(m)) => {
                let sub_opts = DiffOptions {
                    build_retain_keys: retains_keys(parent, key),
                    ..opts
                };
                let sub = diff_maps(o, m, sub_opts, Some(key));
                if !sub.is_empty() {
                    patch.insert(key.clone(), Value::Object(sub));
                }
            }
            (Value::Array(o), Value::Array(m)) => diff_slice(key, o, m, &mut patch, opts, parent),
            _ if !same_type(ov, mv) => {
                if !opts.ignore_changes_and_additions {
                    patch.insert(key.clone(), mv.clone());
                }
            }
            _ => replace_if_not_equal(key, ov, mv, &mut patch, opts),
        }
    }
    if !opts.ignore_deletions {
        for key in original.keys() {
            if !modified.contains_key(key) {
                patch.insert(key.clone(), Value::Null);
            }
        }
    }
    if opts.build_retain_keys {
        let mut keep: Vec<&String> = modified
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, _)| k)
            .collect();
        let added_elsewhere = original
            .iter()
            .any(|(k, v)| !v.is_null() && !modified.contains_key(k));
        if !keep.is_empty() && (!patch.is_empty() || added_elsewhere) {
            machinery::sort::sort(&mut keep);
            let keep = keep.into_iter().map(|k| Value::String(k.clone())).collect();
            patch.insert(RETAIN_KEYS.into(), Value::Array(keep));
        }
    }
    patch
}

/// The `retainKeys` patch strategy of the built-in types: DeploymentSpec.strategy and
/// PodSpec.volumes (whose elements carry the directive).
fn retains_keys(parent: Option<&str>, key: &str) -> bool {
    matches!((parent, key), (Some("spec"), "strategy"))
}

/// strategicpatch `handleSliceDiff`: lists with a merge strategy are diffed element by
/// element, every other list is replaced whole when it differs.
fn diff_slice(
    key: &str,
    original: &[Value],
    modified: &[Value],
    patch: &mut Map<String, Value>,
    opts: DiffOptions,
    parent: Option<&str>,
) {
    let merge_key = merge_key(parent, key);
    if merge_key.is_none() && !merges_as_set(key) {
        replace_if_not_equal(
            key,
            &Value::Array(original.to_vec()),
            &Value::Array(modified.to_vec()),
            patch,
            opts,
        );
        return;
    }
    if original.is_empty() {
        if !modified.is_empty() && !opts.ignore_changes_and_additions {
            patch.insert(key.to_string(), Value::Array(modified.to_vec()));
        }
        return;
    }
    let all_maps = original.iter().chain(modified).all(Value::is_object);
    let all_scalars = original
        .iter()
        .chain(modified)
        .all(|v| !v.is_object() && !v.is_array());
    let element_opts = DiffOptions {
        build_retain_keys: key == "volumes",
        ..opts
    };
    match (merge_key, all_maps, all_scalars) {
        (Some(mk), true, _) => diff_list_of_maps(key, mk, original, modified, patch, element_opts),
        (_, _, true) => diff_list_of_scalars(key, original, modified, patch, opts),
        _ => replace_if_not_equal(
            key,
            &Value::Array(original.to_vec()),
            &Value::Array(modified.to_vec()),
            patch,
            opts,
        ),
    }
}

/// strategicpatch `diffLists` for maps with merge key `mk`: changed and new elements, then
/// `$patch: delete` for the removed ones, and the order list when contents or order changed.
fn diff_list_of_maps(
    key: &str,
    mk: &str,
    original: &[Value],
    modified: &[Value],
    patch: &mut Map<String, Value>,
    opts: DiffOptions,
) {
    let id = |v: &Value| v.get(mk).cloned();
    let mut entries = Vec::new();
    for m in modified {
        let found = id(m).and_then(|mid| {
            original
                .iter()
                .find(|o| id(o).is_some_and(|oid| json_equal(&oid, &mid)))
        });
        match found {
            Some(o) => {
                let (Some(om), Some(mm)) = (o.as_object(), m.as_object()) else {
                    continue;
                };
                let mut sub = diff_maps(om, mm, opts, Some(key));
                if !sub.is_empty() {
                    sub.insert(mk.to_string(), m.get(mk).cloned().unwrap_or(Value::Null));
                    entries.push(Value::Object(sub));
                }
            }
            None => {
                if !opts.ignore_changes_and_additions {
                    entries.push(m.clone());
                }
            }
        }
    }
    if !opts.ignore_deletions {
        for o in original {
            let Some(oid) = id(o) else { continue };
            if !modified
                .iter()
                .any(|m| id(m).is_some_and(|mid| json_equal(&oid, &mid)))
            {
                let mut del = Map::new();
                del.insert(mk.to_string(), oid);
                del.insert("$patch".into(), Value::String("delete".into()));
                entries.push(Value::Object(del));
            }
        }
    }
    let order_same = original.len() == modified.len()
        && original
            .iter()
            .zip(modified)
            .all(|(o, m)| match (id(o), id(m)) {
                (Some(a), Some(b)) => json_equal(&a, &b),
                (None, None) => true,
                _ => false,
            });
    let set_order = (!opts.ignore_changes_and_additions && (!entries.is_empty() || !order_same))
        || (!opts.ignore_deletions && !entries.is_empty());
    if !entries.is_empty() {
        patch.insert(key.to_string(), Value::Array(entries));
    }
    if set_order && !modified.is_empty() {
        let order = modified
            .iter()
            .map(|m| {
                let mut only_key = Map::new();
                only_key.insert(mk.to_string(), m.get(mk).cloned().unwrap_or(Value::Null));
                Value::Object(only_key)
            })
            .collect();
        patch.insert(format!("{SET_ELEMENT_ORDER}{key}"), Value::Array(order));
    }
}

/// strategicpatch `diffLists` for a list of scalars merged as a set (`finalizers`): the
/// additions, a parallel deletion list and the whole new list as the order.
fn diff_list_of_scalars(
    key: &str,
    original: &[Value],
    modified: &[Value],
    patch: &mut Map<String, Value>,
    opts: DiffOptions,
) {
    let contains = |list: &[Value], v: &Value| list.iter().any(|w| json_equal(v, w));
    let mut additions: Vec<Value> = Vec::new();
    if !opts.ignore_changes_and_additions {
        for m in modified {
            if !contains(original, m) && !contains(&additions, m) {
                additions.push(m.clone());
            }
        }
    }
    let mut deletions: Vec<Value> = Vec::new();
    if !opts.ignore_deletions {
        for o in original {
            if !contains(modified, o) && !contains(&deletions, o) {
                deletions.push(o.clone());
            }
        }
    }
    let set_order = (!opts.ignore_deletions && !deletions.is_empty())
        || (!opts.ignore_changes_and_additions && !list_equal(original, modified));
    if !additions.is_empty() {
        patch.insert(key.to_string(), Value::Array(additions));
    }
    if !deletions.is_empty() {
        patch.insert(
            format!("{DELETE_FROM_PRIMITIVE_LIST}{key}"),
            Value::Array(deletions),
        );
    }
    if set_order && !modified.is_empty() {
        patch.insert(
            format!("{SET_ELEMENT_ORDER}{key}"),
            Value::Array(modified.to_vec()),
        );
    }
}

fn replace_if_not_equal(
    key: &str,
    original: &Value,
    modified: &Value,
    patch: &mut Map<String, Value>,
    opts: DiffOptions,
) {
    if !opts.ignore_changes_and_additions && !json_equal(original, modified) {
        patch.insert(key.to_string(), modified.clone());
    }
}

/// Whether two decoded JSON values have the same Go type (all numbers are float64).
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// `reflect.DeepEqual` of two decoded JSON documents (numbers compared as float64).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => list_equal(x, y),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn list_equal(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(v, w)| json_equal(v, w))
}

/// strategicpatch `mergeMap(deletions, delta)` for two patches computed from the same
/// modified document: maps merge key by key, keyed lists element by element (matched by
/// merge key), everything else is taken from `delta`.
fn merge_patches(target: &mut Value, delta: Value, parent: Option<&str>) {
    let (Value::Object(t), Value::Object(d)) = (target, delta) else {
        return;
    };
    for (key, dv) in d {
        match (t.get_mut(&key), dv) {
            (Some(tv @ Value::Object(_)), dv @ Value::Object(_)) => {
                merge_patches(tv, dv, Some(&key))
            }
            (Some(Value::Array(tl)), Value::Array(dl)) if !key.starts_with('$') => {
                match merge_key(parent, &key) {
                    Some(mk) => {
                        for item in dl {
                            let id = item.get(mk).cloned();
                            let slot = id.as_ref().and_then(|id| {
                                tl.iter_mut()
                                    .find(|e| e.get(mk).is_some_and(|v| json_equal(v, id)))
                            });
                            match slot {
                                Some(existing) => merge_patches(existing, item, Some(&key)),
                                None => tl.push(item),
                            }
                        }
                    }
                    None => {
                        for item in dl {
                            if !tl.iter().any(|e| json_equal(e, &item)) {
                                tl.push(item);
                            }
                        }
                    }
                }
            }
            (_, dv) => {
                t.insert(key, dv);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A file that only reorders a keyed list makes a patch of the new order alone
    /// (strategicpatch patch_test.go "nested patch with order change", v1.34).
    #[test]
    fn reordering_a_keyed_list_sends_only_its_order() {
        let before = json!({"spec": {"containers": [{"name": "a", "image": "x",
            "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}]}});
        let after = json!({"spec": {"containers": [{"name": "a", "image": "x",
            "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}]}});
        assert_eq!(
            three_way(Some(&before), &after, &before),
            json!({"spec": {
                "$setElementOrder/containers": [{"name": "a"}],
                "containers": [{"name": "a", "$setElementOrder/env": [{"name": "B"}, {"name": "A"}]}]}})
        );
        assert_eq!(three_way(Some(&after), &after, &after), json!({}));
    }

    /// Fields the server filled in are no change; an element the server added to a keyed
    /// list changes its length, so the order list is sent (`isOrderSame`).
    #[test]
    fn server_defaults_are_no_change_but_server_added_elements_are() {
        let file = json!({"spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}});
        let live = json!({"spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolicy": "Always",
            "ports": [{"containerPort": 80, "protocol": "TCP"}]}], "dnsPolicy": "ClusterFirst"}});
        assert_eq!(three_way(Some(&file), &file, &live), json!({}));
        let file = json!({"spec": {"volumes": [{"name": "html", "emptyDir": {}}]}});
        let live = json!({"spec": {"volumes": [{"name": "html", "emptyDir": {}}, {"name": "kube-api-access-x", "projected": {}}]}});
        assert_eq!(
            three_way(Some(&file), &file, &live),
            json!({"spec": {"$setElementOrder/volumes": [{"name": "html"}]}})
        );
    }

    /// Deletions come from the previous configuration, changes from the live object, and the
    /// two merge by merge key (strategicpatch `CreateThreeWayMergePatch`).
    #[test]
    fn deletions_and_changes_merge() {
        let original = json!({"metadata": {"labels": {"a": "1", "b": "2"}},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [
                {"name": "a", "image": "x", "env": [{"name": "A", "value": "1"}]},
                {"name": "b", "image": "y"}]}}}});
        let live = json!({"metadata": {"labels": {"a": "1", "b": "2"}},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [
                {"name": "a", "image": "x", "imagePullPolicy": "Always", "env": [{"name": "A", "value": "1"}]},
                {"name": "b", "image": "y"}]}}}});
        let modified = json!({"metadata": {"labels": {"a": "1"}},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [
                {"name": "c", "image": "z"},
                {"name": "a", "image": "x", "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]}]}}}});
        assert_eq!(
            three_way(Some(&original), &modified, &live),
            json!({"metadata": {"labels": {"b": null}},
                "spec": {"replicas": 2, "template": {"spec": {
                    "$setElementOrder/containers": [{"name": "c"}, {"name": "a"}],
                    "containers": [
                        {"name": "b", "$patch": "delete"},
                        {"name": "c", "image": "z"},
                        {"name": "a", "env": [{"name": "B", "value": "2"}],
                         "$setElementOrder/env": [{"name": "B"}, {"name": "A"}]}]}}}})
        );
    }

    /// Numbers compare as float64; a value whose JSON type changed is replaced.
    #[test]
    fn numbers_and_types() {
        let live = json!({"spec": {"replicas": 2, "port": 80}});
        let file = json!({"spec": {"replicas": 2.0, "port": "80"}});
        assert_eq!(
            three_way(None, &file, &live),
            json!({"spec": {"port": "80"}})
        );
    }

    /// finalizers merge as a set: additions, `$deleteFromPrimitiveList` and the new order.
    #[test]
    fn finalizers_as_a_set() {
        let original = json!({"metadata": {"finalizers": ["a", "b"]}});
        let modified = json!({"metadata": {"finalizers": ["c", "a"]}});
        assert_eq!(
            three_way(Some(&original), &modified, &original),
            json!({"metadata": {"finalizers": ["c"], "$deleteFromPrimitiveList/finalizers": ["b"],
                "$setElementOrder/finalizers": ["c", "a"]}})
        );
    }

    /// A Deployment strategy whose live value has fields the file does not name gets
    /// `$retainKeys` (the `retainKeys` strategy of DeploymentSpec.strategy).
    #[test]
    fn retain_keys_for_a_deployment_strategy() {
        let file = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
        let live = json!({"spec": {"strategy": {"type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}});
        assert_eq!(
            three_way(Some(&file), &file, &live),
            json!({"spec": {"strategy": {"$retainKeys": ["type"]}}})
        );
    }
}
