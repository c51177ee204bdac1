//! The generator of `schemas.json` and `descriptions.json`: every served kind's schema from
//! k8s-openapi's `schemars` impls, with the changes the API's own document needs, split into
//! the kinds' roots and the definitions they share, and then into the schemas without their
//! descriptions and the descriptions alone.
//!
//! `cargo test -p api --lib schema::generate` fails while a file differs from what the
//! generator gives; `UPDATE_SCHEMAS=1` rewrites them. Each file holds one kind or definition a
//! line, so a change of k8s-openapi or of `enums.json` shows as a readable diff.

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::events::v1 as eventsv1;
use k8s_openapi::api::networking::v1 as networkingv1;
use k8s_openapi::api::policy::v1 as policyv1;
use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::api::storage::v1 as storagev1;
use k8s_openapi::schemars::JsonSchema;
use k8s_openapi::schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use super::{enums, kind_key};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/schemas.json");
const DESCRIPTIONS_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/src/schema/descriptions.json");

/// A kind's whole schema as k8s-openapi gives it, `$defs` included, corrected where the API's
/// document differs.
fn root_of<T: JsonSchema + k8s_openapi::Resource>() -> Value {
    let mut root = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    // k8s-openapi lists `metadata` as required because its Rust field is not optional; the
    // API's own schema does not require it (`kubectl explain` prints no `-required-`).
    if let Some(req) = root.get_mut("required").and_then(Value::as_array_mut) {
        req.retain(|r| r != "metadata");
    }
    // k8s-openapi's descriptions leave out the enum values the API's document lists.
    enums::add_to(&mut root, &enums::definition_name(T::API_VERSION, T::KIND));
    root
}

macro_rules! generated {
    ($( $ty:ty ),* $(,)?) => {
        /// Every served kind's key in `schemas.json` and its whole schema.
        fn generated() -> Vec<(String, Value)> {
            vec![$((
                kind_key(
                    <$ty as k8s_openapi::Resource>::API_VERSION,
                    <$ty as k8s_openapi::Resource>::KIND,
                ),
                root_of::<$ty>(),
            ),)*]
        }
    };
}

generated!(
    corev1::Binding,
    corev1::ConfigMap,
    corev1::Endpoints,
    corev1::Event,
    corev1::LimitRange,
    corev1::Namespace,
    corev1::Node,
    corev1::PersistentVolumeClaim,
    corev1::PersistentVolume,
    corev1::Pod,
    corev1::PodTemplate,
    corev1::ReplicationController,
    corev1::ResourceQuota,
    corev1::Secret,
    corev1::ServiceAccount,
    corev1::Service,
    appsv1::ControllerRevision,
    appsv1::DaemonSet,
    appsv1::Deployment,
    appsv1::ReplicaSet,
    appsv1::StatefulSet,
    autoscalingv2::HorizontalPodAutoscaler,
    autoscalingv1::HorizontalPodAutoscaler,
    batchv1::CronJob,
    batchv1::Job,
    coordinationv1::Lease,
    discoveryv1::EndpointSlice,
    eventsv1::Event,
    networkingv1::IngressClass,
    networkingv1::Ingress,
    networkingv1::NetworkPolicy,
    policyv1::PodDisruptionBudget,
    rbacv1::ClusterRoleBinding,
    rbacv1::ClusterRole,
    rbacv1::RoleBinding,
    rbacv1::Role,
    schedulingv1::PriorityClass,
    storagev1::StorageClass,
);

/// The texts of `schemas.json` and `descriptions.json`: the kinds' roots without `$defs`, then
/// the definitions, each definition once; the first without descriptions, the second with
/// them alone.
///
/// # Panics
/// When two kinds hold different schemas under one definition name (the split would lose
/// one of them).
fn schemas_json(kinds: &[(String, Value)]) -> (String, String) {
    let mut roots = Map::new();
    let mut definitions = Map::new();
    for (key, whole) in kinds {
        let mut root = whole.clone();
        let defs = root
            .as_object_mut()
            .and_then(|o| o.remove("$defs"))
            .unwrap_or_default();
        for (name, def) in defs.as_object().into_iter().flatten() {
            match definitions.get(name) {
                Some(seen) => assert_eq!(seen, def, "{name} differs between kinds ({key})"),
                None => {
                    definitions.insert(name.clone(), def.clone());
                }
            }
        }
        roots.insert(key.clone(), root);
    }
    let root_docs = take_descriptions_of_each(&mut roots);
    let definition_docs = take_descriptions_of_each(&mut definitions);
    (file_text(&roots, &definitions), file_text(&root_docs, &definition_docs))
}

/// `{"kinds":{…},"definitions":{…}}`, one entry a line.
fn file_text(kinds: &Map<String, Value>, definitions: &Map<String, Value>) -> String {
    let mut out = String::from("{\"kinds\":{\n");
    push_lines(&mut out, kinds);
    out.push_str("},\"definitions\":{\n");
    push_lines(&mut out, definitions);
    out.push_str("}}\n");
    out
}

/// Takes the descriptions out of every schema of `map`, giving those that had any.
fn take_descriptions_of_each(map: &mut Map<String, Value>) -> Map<String, Value> {
    map.iter_mut()
        .filter_map(|(name, schema)| Some((name.clone(), take_descriptions(schema)?)))
        .collect()
}

/// Removes every `description` (a string under that key: a property named `description`
/// holds a schema) from `schema`, giving them in a tree of the same shape: objects keep the
/// keys leading to one, lists every item up to the last that leads to one (`null` for the
/// others). None when there is none.
fn take_descriptions(schema: &mut Value) -> Option<Value> {
    match schema {
        Value::Object(map) => {
            let mut docs = Map::new();
            if map.get("description").is_some_and(Value::is_string)
                && let Some(d) = map.remove("description")
            {
                docs.insert("description".into(), d);
            }
            for (k, v) in map.iter_mut() {
                if let Some(d) = take_descriptions(v) {
                    docs.insert(k.clone(), d);
                }
            }
            (!docs.is_empty()).then_some(Value::Object(docs))
        }
        Value::Array(items) => {
            let mut docs: Vec<Value> = items
                .iter_mut()
                .map(|v| take_descriptions(v).unwrap_or(Value::Null))
                .collect();
            while docs.last().is_some_and(Value::is_null) {
                docs.pop();
            }
            (!docs.is_empty()).then_some(Value::Array(docs))
        }
        _ => None,
    }
}

/// One `"name":value,` a line, compact JSON.
fn push_lines(out: &mut String, map: &Map<String, Value>) {
    let last = map.len().saturating_sub(1);
    for (i, (name, value)) in map.iter().enumerate() {
        out.push_str(&Value::String(name.clone()).to_string());
        out.push(':');
        out.push_str(&value.to_string());
        out.push_str(if i == last { "\n" } else { ",\n" });
    }
}

#[test]
fn schemas_json_is_what_k8s_openapi_generates() {
    let kinds = generated();
    let (want, want_docs) = schemas_json(&kinds);
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(PATH, &want).expect("write schemas.json");
        std::fs::write(DESCRIPTIONS_PATH, &want_docs).expect("write descriptions.json");
    }
    let have = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        have == want,
        "src/schema/schemas.json is stale: rerun with UPDATE_SCHEMAS=1"
    );
    let have_docs = std::fs::read_to_string(DESCRIPTIONS_PATH).unwrap_or_default();
    assert!(
        have_docs == want_docs,
        "src/schema/descriptions.json is stale: rerun with UPDATE_SCHEMAS=1"
    );
    // And what the library builds from the embedded files is each kind's whole schema.
    for (key, whole) in &kinds {
        let (api_version, kind) = key.rsplit_once('/').expect("key");
        let info = crate::by_gvk(api_version, kind).expect("served");
        assert_eq!(super::for_kind(info).as_ref(), Some(whole), "{key}");
    }
}

#[test]
fn the_schemas_hold_no_descriptions_and_the_descriptions_nothing_else() {
    let (schemas, docs) = schemas_json(&generated());
    let mut schemas: Value = serde_json::from_str(&schemas).expect("schemas.json");
    assert_eq!(take_descriptions(&mut schemas), None);
    let mut docs: Value = serde_json::from_str(&docs).expect("descriptions.json");
    // Taking every description out leaves only the keys that led to them.
    take_descriptions(&mut docs);
    fn only_empty_objects_and_nulls(v: &Value) -> bool {
        match v {
            Value::Object(m) => m.values().all(only_empty_objects_and_nulls),
            Value::Array(a) => a.iter().all(only_empty_objects_and_nulls),
            Value::Null => true,
            _ => false,
        }
    }
    assert!(only_empty_objects_and_nulls(&docs));
}

#[test]
fn every_served_kind_is_generated() {
    let keys: Vec<String> = generated().into_iter().map(|(k, _)| k).collect();
    for info in crate::kinds::KINDS {
        let key = kind_key(&info.api_version(), info.kind);
        assert!(keys.contains(&key), "{key} is not generated");
    }
}
