//! The enum values of string fields and the "Possible enum values" text the API's OpenAPI
//! document gives them, which k8s-openapi's descriptions leave out.
//!
//! `enums.json` maps an OpenAPI definition (`io.k8s.api.core.v1.ServiceSpec`) and a field's
//! JSON name to its values, sorted, and for a field of an enum type itself (not a list of
//! one) the text appended to its description. It was derived from the Go types of
//! k8s.io/api v0.34.0 (Kubernetes v1.34) for the groups served here: every `// +enum` string
//! type, the constants of that type with their doc comments, and the struct fields of that
//! type, following the rules of kube-openapi's enum generator (pkg/generators/enum.go): the
//! values sorted; one line per value, `` - `"Value"` `` then the constant's comment with its
//! leading name removed and runs of white space made one space, the lines sorted, after a
//! blank line and `Possible enum values:`. A list of an enum type gets the values on its
//! items and no text, as in the generated OpenAPI. autoscaling/v2 declares no enum types.
//! Definitions no served kind's schema holds are left out (autoscaling/v1's internal
//! MetricSpec); the fields of EphemeralContainerCommon are listed under EphemeralContainer,
//! which embeds them.

use serde_json::Value;

/// One field's entry in `enums.json`.
struct FieldEnum<'a> {
    values: &'a Value,
    /// The text appended to the field's description (absent for a list of an enum type).
    possible: Option<&'a str>,
    /// `items` for a list of an enum type, absent for the field itself.
    on: Option<&'a str>,
}

/// Adds the enum values and texts of `enums.json` to a kind's schema: to its top-level
/// fields (the definition `root_name`) and to every definition in its `$defs`.
pub fn add_to(root: &mut Value, root_name: &str) {
    let Ok(table) = serde_json::from_str::<Value>(include_str!("enums.json")) else {
        debug_assert!(false, "enums.json does not parse");
        return;
    };
    let Some(table) = table.as_object() else {
        return;
    };
    if let Some(fields) = table.get(root_name) {
        add_to_definition(root, fields);
    }
    if let Some(defs) = root.get_mut("$defs").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            if let Some(fields) = table.get(name) {
                add_to_definition(def, fields);
            }
        }
    }
}

/// The OpenAPI definition name of a kind: `io.k8s.api.apps.v1.Deployment`,
/// `io.k8s.api.core.v1.Pod`, `io.k8s.api.networking.v1.Ingress`.
pub fn definition_name(api_version: &str, kind: &str) -> String {
    let (group, version) = api_version.split_once('/').unwrap_or(("core", api_version));
    let group = group.split('.').next().unwrap_or(group);
    format!("io.k8s.api.{group}.{version}.{kind}")
}

fn add_to_definition(def: &mut Value, fields: &Value) {
    let Some(fields) = fields.as_object() else {
        return;
    };
    let Some(props) = def.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, entry) in fields {
        let Some(prop) = props.get_mut(name) else {
            continue;
        };
        let Some(entry) = field_enum(entry) else {
            continue;
        };
        match entry.on {
            Some("items") => {
                if let Some(items) = prop.get_mut("items").and_then(Value::as_object_mut) {
                    items.insert("enum".into(), entry.values.clone());
                }
            }
            _ => {
                let Some(obj) = prop.as_object_mut() else {
                    continue;
                };
                obj.insert("enum".into(), entry.values.clone());
                if let Some(text) = entry.possible {
                    let mut d = obj
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    d.push_str(text);
                    obj.insert("description".into(), Value::String(d));
                }
            }
        }
    }
}

fn field_enum(entry: &Value) -> Option<FieldEnum<'_>> {
    Some(FieldEnum {
        values: entry.get("enum").filter(|v| v.is_array())?,
        possible: entry.get("possible").and_then(Value::as_str),
        on: entry.get("on").and_then(Value::as_str),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definition_names_follow_the_openapi_document() {
        for (api_version, kind, want) in [
            ("v1", "Pod", "io.k8s.api.core.v1.Pod"),
            ("apps/v1", "Deployment", "io.k8s.api.apps.v1.Deployment"),
            ("networking.k8s.io/v1", "Ingress", "io.k8s.api.networking.v1.Ingress"),
            ("storage.k8s.io/v1", "StorageClass", "io.k8s.api.storage.v1.StorageClass"),
            ("rbac.authorization.k8s.io/v1", "Role", "io.k8s.api.rbac.v1.Role"),
        ] {
            assert_eq!(definition_name(api_version, kind), want, "{api_version} {kind}");
        }
    }

    #[test]
    fn the_table_parses_and_every_entry_has_values() {
        let table: Value = serde_json::from_str(include_str!("enums.json")).expect("json");
        let defs = table.as_object().expect("object");
        assert!(defs.contains_key("io.k8s.api.core.v1.ServiceSpec"));
        for (def, fields) in defs {
            for (name, entry) in fields.as_object().expect("fields") {
                let e = field_enum(entry).unwrap_or_else(|| panic!("{def}.{name}"));
                assert!(!e.values.as_array().expect("array").is_empty(), "{def}.{name}");
                let text = e.possible.unwrap_or("");
                assert!(
                    e.on.is_some() || text.starts_with("\n\nPossible enum values:\n - `\""),
                    "{def}.{name}"
                );
            }
        }
    }
}
