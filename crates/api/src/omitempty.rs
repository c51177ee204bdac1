//! An object as the API server's JSON encoding of the Go types shows it.
//!
//! Go's `encoding/json` leaves out an `omitempty` field holding its zero value: `false`, `0`
//! or `""` in a field that is not a pointer (`readOnly`, `hostNetwork`, `minReadySeconds`),
//! and an empty slice or map (`args: []`, `labels: {}`; objects are stored as protobuf, so
//! an empty one comes back nil). k8s-openapi keeps whatever was set, so the store runs
//! [`normalize`] on every write: each read (get, list, watch, edit) then shows the object as
//! a real server does, and kubectl's three-way patch diffs the file against the live object
//! as the server returned it (k8s.io/kubectl/pkg/cmd/apply/patcher.go, v1.34): a file that
//! spells out one of these zero values differs from the live object on every apply.
//!
//! Which scalar fields are non-pointer `omitempty` is read from k8s.io/api (types.go of
//! core/v1, apps/v1, batch/v1, networking/v1, rbac/v1, scheduling/v1, v1.34): the table
//! below names them by their OpenAPI definition. Pointer fields (`replicas`,
//! `privileged`, `optional`, `suspend`, ...) keep their zero value and are not listed.
//! Slices and maps need no table: the schema tells them apart from structs, and every one
//! a learner writes is `omitempty` (the few that are not read back `null`, see [`to_json`],
//! which differs from the file's `[]` just the same). A struct is never left out, so a kind's `status` is
//! there even before anything has filled it in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::kinds::KindInfo;
use crate::object::Object;
use crate::schema;

pub(crate) mod detect;

/// Non-pointer `omitempty` scalar fields, by the short name of their struct's definition.
const ZERO_OMITTED: &[(&str, &[&str])] = &[
    (
        "ObjectMeta",
        &["name", "generateName", "namespace", "generation"],
    ),
    // core/v1
    (
        "PodSpec",
        &[
            "restartPolicy",
            "dnsPolicy",
            "serviceAccountName",
            "serviceAccount",
            "nodeName",
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "hostname",
            "subdomain",
            "schedulerName",
            "priorityClassName",
        ],
    ),
    (
        "Container",
        &[
            "image",
            "workingDir",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "stdin",
            "stdinOnce",
            "tty",
        ],
    ),
    ("ContainerPort", &["name", "hostPort", "protocol", "hostIP"]),
    ("EnvVar", &["value"]),
    ("EnvFromSource", &["prefix"]),
    ("VolumeMount", &["readOnly", "subPath", "subPathExpr"]),
    ("EmptyDirVolumeSource", &["medium"]),
    ("SecretVolumeSource", &["secretName"]),
    ("PersistentVolumeClaimVolumeSource", &["readOnly"]),
    ("NFSVolumeSource", &["readOnly"]),
    ("GitRepoVolumeSource", &["revision", "directory"]),
    ("ObjectFieldSelector", &["apiVersion"]),
    ("ResourceFieldSelector", &["containerName"]),
    (
        "Probe",
        &[
            "initialDelaySeconds",
            "timeoutSeconds",
            "periodSeconds",
            "successThreshold",
            "failureThreshold",
        ],
    ),
    ("HTTPGetAction", &["path", "host", "scheme"]),
    ("TCPSocketAction", &["host"]),
    ("Toleration", &["key", "operator", "value", "effect"]),
    ("Taint", &["value"]),
    ("NodeSpec", &["podCIDR", "providerID", "unschedulable"]),
    (
        "ServiceSpec",
        &[
            "clusterIP",
            "type",
            "externalName",
            "sessionAffinity",
            "loadBalancerIP",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "publishNotReadyAddresses",
        ],
    ),
    ("ServicePort", &["name", "protocol", "nodePort"]),
    ("ReplicationControllerSpec", &["minReadySeconds"]),
    ("PersistentVolumeClaimSpec", &["volumeName"]),
    (
        "PersistentVolumeSpec",
        &["persistentVolumeReclaimPolicy", "storageClassName"],
    ),
    ("Secret", &["type"]),
    // apps/v1
    ("DeploymentSpec", &["minReadySeconds", "paused"]),
    ("ReplicaSetSpec", &["minReadySeconds"]),
    ("DaemonSetSpec", &["minReadySeconds"]),
    (
        "StatefulSetSpec",
        &["serviceName", "podManagementPolicy", "minReadySeconds"],
    ),
    ("DeploymentStrategy", &["type"]),
    ("DaemonSetUpdateStrategy", &["type"]),
    ("StatefulSetUpdateStrategy", &["type"]),
    // batch/v1
    ("CronJobSpec", &["concurrencyPolicy"]),
    // networking/v1
    ("IngressRule", &["host"]),
    ("HTTPIngressPath", &["path"]),
    ("ServiceBackendPort", &["name", "number"]),
    // rbac/v1
    ("Subject", &["apiGroup", "namespace"]),
    // scheduling/v1
    ("PriorityClass", &["globalDefault", "description"]),
];

/// Fields Go's encoding always shows, with their zero values, by the short name of their
/// struct's definition: struct-typed fields (`omitempty` never leaves out a struct) and
/// status counts without `omitempty`, which a file saved from `create --dry-run=client -o
/// yaml` carries (`status: {loadBalancer: {}}`, a PodDisruptionBudget's zero counts).
const ALWAYS_THERE: &[(&str, &[&str], ZeroOf)] = &[
    ("ServiceStatus", &["loadBalancer"], ZeroOf::Struct),
    ("IngressStatus", &["loadBalancer"], ZeroOf::Struct),
    (
        "PodDisruptionBudgetStatus",
        &[
            "currentHealthy",
            "desiredHealthy",
            "disruptionsAllowed",
            "expectedPods",
        ],
        ZeroOf::Number,
    ),
    ("ReplicaSetStatus", &["replicas"], ZeroOf::Number),
    ("ReplicationControllerStatus", &["replicas"], ZeroOf::Number),
    ("StatefulSetStatus", &["replicas"], ZeroOf::Number),
    (
        "DaemonSetStatus",
        &[
            "currentNumberScheduled",
            "numberMisscheduled",
            "desiredNumberScheduled",
            "numberReady",
        ],
        ZeroOf::Number,
    ),
    (
        "HorizontalPodAutoscalerStatus",
        &["desiredReplicas"],
        ZeroOf::Number,
    ),
];

/// Fields Go's encoding writes even when zero, by the short name of their struct's
/// definition (an object's own fields by `group/Kind`, `Kind` for the core group, since
/// core/v1 and events.k8s.io/v1 both have an `Event`), with what it writes: `null` for a nil
/// list of a field without `omitempty` and for a zero `Time` or `MicroTime` (a struct, which
/// `omitempty` never leaves out; apimachinery meta/v1 time.go and micro_time.go
/// MarshalJSON), `""` for a string without `omitempty`, `{}` for a struct. Storage hands an
/// empty list back nil (protobuf has no empty repeated field), so the placeholder
/// EndpointSlice of a Service with no ready pods reads back `endpoints: null` though the
/// controller builds it with an empty list (k8s.io/endpointslice utils.go newEndpointSlice).
/// Read from discovery/v1, rbac/v1, core/v1, storage/v1 and events/v1 types.go, v1.34; lists
/// that validation requires to be non-empty (`containers`, `verbs`) are left out.
const WRITTEN_WHEN_ZERO: &[(&str, &[&str], Written)] = &[
    (
        "discovery.k8s.io/EndpointSlice",
        &["endpoints", "ports"],
        Written::Null,
    ),
    ("rbac.authorization.k8s.io/Role", &["rules"], Written::Null),
    (
        "rbac.authorization.k8s.io/ClusterRole",
        &["rules"],
        Written::Null,
    ),
    ("LimitRangeSpec", &["limits"], Written::Null),
    ("CSINodeSpec", &["drivers"], Written::Null),
    (
        "Event",
        &["eventTime", "firstTimestamp", "lastTimestamp"],
        Written::Null,
    ),
    (
        "Event",
        &["reportingComponent", "reportingInstance"],
        Written::EmptyString,
    ),
    ("Event", &["source"], Written::EmptyStruct),
    (
        "events.k8s.io/Event",
        &[
            "eventTime",
            "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp",
        ],
        Written::Null,
    ),
    ("events.k8s.io/Event", &["deprecatedSource"], Written::EmptyStruct),
    ("EventSeries", &["lastObservedTime"], Written::Null),
];

#[derive(Clone, Copy)]
enum Written {
    Null,
    EmptyString,
    EmptyStruct,
}

#[derive(Clone, Copy)]
enum ZeroOf {
    Struct,
    Number,
}

/// Makes `obj` what the API server would read back after storing it: what Go's encoding
/// leaves out cleared, what it always shows filled in. The store calls this on every write,
/// so every read (get, list, watch, apply's live object) shows the object as a real server
/// does, and an update that only spells out such zero values stores nothing new.
///
/// Most objects have nothing to change: a walk of the typed object finds out without
/// building its JSON, which is built (and decoded back) only for one that needs it.
pub fn normalize(obj: &mut Object) {
    if let Object::Event(e) = obj
        && event_as_encoded(e)
    {
        return;
    }
    let info = obj.kind_info();
    let Some(enc) = cached_encoding(info) else {
        return;
    };
    fill_status(obj);
    if !detect::differs(obj, enc.has_status, false, &enc.fields) {
        return;
    }
    let value = encoded_with(&enc.schema, info, obj.to_value());
    // The value came from this object's own type, so it decodes back; keep the object as it
    // was should it somehow not.
    if let Ok(back) = Object::from_value(value) {
        *obj = back;
    }
}

/// Whether a core Event is as Go's encoding shows it, read from the few fields where it can
/// differ instead of by the walk: no definition an Event holds (the Event, its involved and
/// related object references, source and series) has a field in [`ZERO_OMITTED`] or holds a
/// list or map, and it has no status, so only its metadata's omitted strings and generation
/// and its metadata's lists and maps are left. Those lists and maps must be absent; an Event
/// that has any (labels, say) takes the walk. The recorder's Events, a third of a rollout's
/// writes, are all such, and the walk was a fifth of their create.
fn event_as_encoded(e: &k8s_openapi::api::core::v1::Event) -> bool {
    let m = &e.metadata;
    let set = |s: &Option<String>| s.as_deref().is_none_or(|s| !s.is_empty());
    set(&m.name)
        && set(&m.generate_name)
        && set(&m.namespace)
        && m.generation != Some(0)
        && m.labels.is_none()
        && m.annotations.is_none()
        && m.finalizers.is_none()
        && m.owner_references.is_none()
        && m.managed_fields.is_none()
}

/// [`normalize`] for a status write: the rest of `obj` is the stored object's, normalized
/// when it was written, so only the status is looked at before deciding.
pub fn normalize_status(obj: &mut Object) {
    let info = obj.kind_info();
    let Some(enc) = cached_encoding(info) else {
        return;
    };
    fill_status(obj);
    if detect::differs(obj, enc.has_status, true, &enc.fields) {
        normalize(obj);
    }
}

/// The JSON the API server writes for `obj` (a stored object): the object as k8s-openapi
/// serializes it, with the zero values Go's encoding writes ([`WRITTEN_WHEN_ZERO`]: `null`
/// for an empty list or an unset time, ...). Clients print this (`get -o yaml`, `edit`,
/// `diff`); it decodes back to an object that reads back the same.
pub fn to_json(obj: &Object) -> Value {
    let mut value = obj.to_value();
    let info = obj.kind_info();
    if let Some(enc) = cached_encoding(info)
        && enc.writes_zero
    {
        write_zeros(&enc.schema, &enc.schema, &own_def(info), &mut value);
    }
    value
}

/// The status Go always shows (`omitempty` never leaves out a struct), set on the typed
/// object for the kinds created most, so a new object needs no trip through JSON for it;
/// other kinds get theirs from [`encoded_with`].
fn fill_status(obj: &mut Object) {
    match obj {
        Object::Pod(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::ReplicaSet(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::Deployment(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::StatefulSet(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::DaemonSet(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::Job(o) => {
            o.status.get_or_insert_with(Default::default);
        }
        Object::Service(o) => {
            o.status
                .get_or_insert_with(Default::default)
                .load_balancer
                .get_or_insert_with(Default::default);
        }
        _ => {}
    }
}

/// What normalizing objects of one kind needs, built once from the kind's schema: building
/// it walks every type the kind holds.
struct KindEncoding {
    schema: Value,
    has_status: bool,
    /// What the walk of [`detect::differs`] needs to know of the kind's fields.
    fields: detect::Fields,
    /// The kind holds a struct with a field of [`WRITTEN_WHEN_ZERO`].
    writes_zero: bool,
}

fn cached_encoding(info: &'static KindInfo) -> Option<Rc<KindEncoding>> {
    thread_local! {
        static ENCODINGS: RefCell<HashMap<usize, Option<Rc<KindEncoding>>>> =
            RefCell::new(HashMap::new());
    }
    let key = std::ptr::from_ref(info) as usize;
    ENCODINGS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| schema::for_kind(info).map(|s| Rc::new(encoding_of(info, s))))
            .clone()
    })
}

fn encoding_of(info: &KindInfo, schema: Value) -> KindEncoding {
    let has_status = has_status(&schema);
    let fields = detect::Fields {
        required_lists: required_lists(info, &schema),
        times: time_fields(info, &schema),
    };
    let own = own_def(info);
    let writes_zero = def_names(info, &schema)
        .map(|(d, _)| if d == info.kind { own.as_str() } else { d })
        .any(|d| WRITTEN_WHEN_ZERO.iter().any(|(n, _, _)| *n == d));
    KindEncoding {
        schema,
        has_status,
        fields,
        writes_zero,
    }
}

/// The required list and map fields of the kind's own definition and of every definition
/// it holds.
fn required_lists(info: &KindInfo, root: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (def_name, def) in def_names(info, root) {
        let Some(props) = def.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required = def.get("required").and_then(Value::as_array);
        for field in required.into_iter().flatten().filter_map(Value::as_str) {
            if let Some(sub) = props.get(field) {
                let s = schema::resolve(root, sub);
                if s.get("items").is_some() || is_map(root, s) {
                    out.push((def_name.to_string(), field.to_string()));
                }
            }
        }
    }
    out
}

/// The `metav1.Time` and `MicroTime` fields of the kind's own definition and of every
/// definition it holds, by the short name of their definition. A field is left out where
/// another definition of the same short name holds something else under its name.
fn time_fields(info: &KindInfo, root: &Value) -> Vec<(String, Vec<String>)> {
    const TIMES: [&str; 2] = [
        "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
    ];
    let mut times: Vec<(String, Vec<String>)> = Vec::new();
    let mut others: Vec<(&str, &str)> = Vec::new();
    for (def_name, def) in def_names(info, root) {
        let props = def.get("properties").and_then(Value::as_object).into_iter().flatten();
        for (field, sub) in props {
            let is_time = sub
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| TIMES.contains(&r));
            if !is_time {
                others.push((def_name, field));
            } else if let Some((_, fields)) = times.iter_mut().find(|(d, _)| d == def_name) {
                fields.push(field.clone());
            } else {
                times.push((def_name.to_string(), vec![field.clone()]));
            }
        }
    }
    for (def_name, fields) in &mut times {
        fields.retain(|f| !others.contains(&(def_name.as_str(), f.as_str())));
    }
    times.retain(|(_, fields)| !fields.is_empty());
    times
}

/// The kind's own definition and every definition it holds, by their short names.
fn def_names<'a>(
    info: &'a KindInfo,
    root: &'a Value,
) -> impl Iterator<Item = (&'a str, &'a Value)> {
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, def)| (name.rsplit('.').next().unwrap_or(name), def));
    std::iter::once((info.kind, root)).chain(defs)
}

fn has_status(root: &Value) -> bool {
    root.get("properties")
        .and_then(|p| p.get("status"))
        .is_some()
}

/// The fields Go always shows in the struct of definition `def`.
fn always_there(def: &str) -> &'static [&'static str] {
    ALWAYS_THERE
        .iter()
        .find(|(d, _, _)| *d == def)
        .map_or(&[], |(_, fields, _)| fields)
}

/// `value` (the JSON of an object of kind `info`) without what Go's encoding leaves out and
/// with what it always shows.
#[cfg(test)]
fn go_encoded(info: &'static KindInfo, value: Value) -> Value {
    match cached_encoding(info) {
        Some(enc) => encoded_with(&enc.schema, info, value),
        None => value,
    }
}

fn encoded_with(root: &Value, info: &KindInfo, mut value: Value) -> Value {
    {
        // The other way round: `omitempty` never leaves out a struct, and every kind with a
        // status holds it as a struct, so the server shows at least `status: {}` where the
        // store has none yet (a file from `create --dry-run=client -o yaml` has one).
        if has_status(root)
            && let Some(map) = value.as_object_mut()
        {
            map.entry("status")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        strip(root, root, info.kind, &mut value);
    }
    value
}

fn zero_omitted(def: &str, field: &str) -> bool {
    ZERO_OMITTED
        .iter()
        .any(|(d, fields)| *d == def && fields.contains(&field))
}

fn is_zero_scalar(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The short name of the definition a schema refers to (`VolumeMount`).
fn def_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('.').next())
}

/// Whether a schema is a map (`map[string]T`), not a struct.
fn is_map(root: &Value, schema: &Value) -> bool {
    let s = schema::resolve(root, schema);
    s.get("additionalProperties").is_some_and(Value::is_object) && s.get("properties").is_none()
}

/// Runs a walk over each item of a list, with the list schema's item schema.
fn each_item(
    root: &Value,
    list_schema: &Value,
    def: &str,
    items: &mut [Value],
    walk: fn(&Value, &Value, &str, &mut Value),
) {
    if let Some(item_schema) = list_schema.get("items") {
        let item_def = def_name(item_schema).unwrap_or(def);
        for item in items {
            walk(root, item_schema, item_def, item);
        }
    }
}

fn strip(root: &Value, schema: &Value, def: &str, value: &mut Value) {
    let s = schema::resolve(root, schema);
    match value {
        Value::Array(items) => each_item(root, s, def, items, strip),
        Value::Object(map) => {
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                fill_always_there(def, map);
                strip_fields(root, props, def, map);
            } else if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
                let value_def = def_name(values).unwrap_or(def);
                for v in map.values_mut() {
                    strip(root, values, value_def, v);
                }
            }
        }
        _ => {}
    }
}

fn fill_always_there(def: &str, map: &mut Map<String, Value>) {
    for (_, fields, zero) in ALWAYS_THERE.iter().filter(|(d, _, _)| *d == def) {
        for field in *fields {
            map.entry(*field).or_insert_with(|| match zero {
                ZeroOf::Struct => Value::Object(Map::new()),
                ZeroOf::Number => Value::from(0),
            });
        }
    }
}

fn strip_fields(root: &Value, props: &Map<String, Value>, def: &str, map: &mut Map<String, Value>) {
    map.retain(|key, v| {
        let Some(sub) = props.get(key) else {
            return true;
        };
        let sub_def = def_name(sub).unwrap_or(def);
        strip(root, sub, sub_def, v);
        match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) if o.is_empty() => !is_map(root, sub),
            other => !(is_zero_scalar(other) && zero_omitted(def, key)),
        }
    });
}

/// The name [`WRITTEN_WHEN_ZERO`] gives an object's own definition.
fn own_def(info: &KindInfo) -> String {
    if info.group.is_empty() {
        info.kind.to_string()
    } else {
        format!("{}/{}", info.group, info.kind)
    }
}

/// Writes the zero values of [`WRITTEN_WHEN_ZERO`] where `value` has none: the field is
/// missing, an empty list where Go writes `null`, or Go's zero time (see `gozero`).
fn write_zeros(root: &Value, schema: &Value, def: &str, value: &mut Value) {
    let s = schema::resolve(root, schema);
    match value {
        Value::Array(items) => each_item(root, s, def, items, write_zeros),
        Value::Object(map) => {
            let Some(props) = s.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (key, v) in map.iter_mut() {
                if let Some(sub) = props.get(key) {
                    write_zeros(root, sub, def_name(sub).unwrap_or(def), v);
                }
            }
            for (_, fields, written) in WRITTEN_WHEN_ZERO.iter().filter(|(d, _, _)| *d == def) {
                for field in *fields {
                    let v = map.entry(*field).or_insert(Value::Null);
                    *v = match (written, &*v) {
                        (Written::Null, Value::Array(a)) if a.is_empty() => Value::Null,
                        (Written::Null, Value::String(t)) if crate::gozero::is_zero_text(t) => {
                            Value::Null
                        }
                        (Written::EmptyString, Value::Null) => Value::String(String::new()),
                        (Written::EmptyStruct, Value::Null) => Value::Object(Map::new()),
                        _ => continue,
                    };
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn encoded(v: Value) -> Value {
        let info = crate::object::type_meta(&v).expect("served kind");
        go_encoded(info, v)
    }

    fn differs(obj: &Object) -> bool {
        let enc = cached_encoding(obj.kind_info()).expect("served kind");
        detect::differs(obj, enc.has_status, false, &enc.fields)
    }

    /// A list k8s-openapi requires holds Go's nil as an empty list, which the trip through
    /// JSON leaves out and decodes back empty: an object whose only empty lists are such
    /// keeps the typed path, and both paths store the same object.
    #[test]
    fn empty_required_lists_keep_the_typed_path() {
        struct Case {
            name: &'static str,
            object: Value,
            typed: bool,
        }
        let slice = |endpoints: Value, ports: Value| {
            json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": {"name": "web-abcde", "labels": {"kubernetes.io/service-name": "web"}},
                "addressType": "IPv4", "endpoints": endpoints, "ports": ports})
        };
        let http = json!([{"name": "http", "port": 80, "protocol": "TCP"}]);
        let cases = [
            Case {
                name: "a placeholder EndpointSlice",
                object: slice(json!([]), http.clone()),
                typed: true,
            },
            Case {
                name: "an endpoint without addresses",
                object: slice(json!([{"addresses": [], "conditions": {"ready": true}}]), http.clone()),
                typed: true,
            },
            Case {
                name: "an empty ports list, which is optional",
                object: slice(json!([]), json!([])),
                typed: false,
            },
            Case {
                name: "a rule without verbs",
                object: json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": {"name": "r"}, "rules": [{"verbs": [], "resources": ["pods"]}]}),
                typed: true,
            },
            Case {
                name: "an Ingress rule without paths",
                object: json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                    "metadata": {"name": "i"}, "spec": {"rules": [{"host": "a.example", "http": {"paths": []}}]},
                    "status": {"loadBalancer": {}}}),
                typed: true,
            },
            Case {
                name: "a LimitRange without limits",
                object: json!({"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "l"},
                    "spec": {"limits": []}}),
                typed: true,
            },
            Case {
                name: "a LimitRange without limits and with empty labels",
                object: json!({"apiVersion": "v1", "kind": "LimitRange",
                    "metadata": {"name": "l", "labels": {}}, "spec": {"limits": []}}),
                typed: false,
            },
        ];
        for case in cases {
            let obj = Object::from_value(case.object).expect(case.name);
            assert_eq!(!differs(&obj), case.typed, "{}", case.name);
            let through_json = Object::from_value(go_encoded(obj.kind_info(), obj.to_value()))
                .expect(case.name);
            let mut stored = obj.clone();
            normalize(&mut stored);
            assert_eq!(stored, through_json, "{}", case.name);
            if case.typed {
                assert_eq!(stored, obj, "{}", case.name);
            }
        }
    }

    /// MicroTimes keep their microseconds through the trip through JSON, written with six
    /// digits as Go writes them (apimachinery meta/v1 micro_time.go, v1.34).
    #[test]
    fn micro_times_keep_their_microseconds() {
        let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": "l", "labels": {}},
            "spec": {"acquireTime": "2026-01-01T00:00:05.000001Z",
                "renewTime": "2026-01-01T00:00:05.500000Z"}});
        let mut obj = Object::from_value(lease).expect("decodes");
        assert!(differs(&obj));
        normalize(&mut obj);
        let v = to_json(&obj);
        assert_eq!(v["spec"]["acquireTime"], "2026-01-01T00:00:05.000001Z");
        assert_eq!(v["spec"]["renewTime"], "2026-01-01T00:00:05.500000Z");
        assert!(v["metadata"].get("labels").is_none());
    }

    /// The lists Go writes as `null` when nil read back `null` when empty or unset; others
    /// are left as they are.
    #[test]
    fn nil_lists_read_back_null() {
        let placeholder = Object::from_value(json!({"apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice", "metadata": {"name": "s"}, "addressType": "IPv4",
            "endpoints": []}))
        .expect("decodes");
        let v = to_json(&placeholder);
        assert_eq!(v["endpoints"], Value::Null);
        assert_eq!(v["ports"], Value::Null);
        assert!(v.get("endpoints").is_some() && v.get("ports").is_some());
        assert_eq!(Object::from_value(v).expect("null decodes"), placeholder);

        let filled = Object::from_value(json!({"apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice", "metadata": {"name": "s"}, "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.244.0.5"]}], "ports": [{"port": 80}]}))
        .expect("decodes");
        assert_eq!(to_json(&filled), filled.to_value());

        let role = Object::from_value(json!({"apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole", "metadata": {"name": "r"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}}))
        .expect("decodes");
        assert_eq!(to_json(&role)["rules"], Value::Null);

        let pod = Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p"}, "spec": {"containers": []}}))
        .expect("decodes");
        assert_eq!(to_json(&pod), pod.to_value());
    }

    /// An Event reads back the zero values Go writes for its fields without `omitempty` and
    /// its struct-typed ones, in each version by its own field names.
    #[test]
    fn events_read_back_go_zero_values() {
        let legacy = json!({"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "web.1", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web"}, "reason": "Pulled",
            "firstTimestamp": "2026-01-01T00:00:00Z", "series": {"count": 2}});
        let core = Object::from_value(legacy.clone()).expect("decodes");
        let v = to_json(&core);
        assert_eq!(v["eventTime"], Value::Null);
        assert_eq!(v["firstTimestamp"], "2026-01-01T00:00:00Z");
        assert_eq!(v["lastTimestamp"], Value::Null);
        assert_eq!(v["reportingComponent"], "");
        assert_eq!(v["reportingInstance"], "");
        assert_eq!(v["source"], json!({}));
        assert_eq!(v["series"], json!({"count": 2, "lastObservedTime": null}));

        let Object::Event(e) = core else {
            panic!("not a core Event");
        };
        let served = Object::EventsV1Event(crate::conversion::events::from_core(e));
        let v = to_json(&served);
        assert_eq!(v["eventTime"], Value::Null);
        assert_eq!(v["deprecatedFirstTimestamp"], "2026-01-01T00:00:00Z");
        assert_eq!(v["deprecatedLastTimestamp"], Value::Null);
        assert_eq!(v["deprecatedSource"], json!({}));
        assert_eq!(v["series"], json!({"count": 2, "lastObservedTime": null}));
        assert!(v.get("reportingInstance").is_none() && v.get("source").is_none());
    }

    /// Zero values of non-pointer omitempty fields and empty slices and maps go; pointers
    /// (`replicas`), required fields (`containerPort`) and empty structs (`emptyDir`,
    /// `securityContext`) stay.
    #[test]
    fn zero_values_as_go_encodes_them() {
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "d", "labels": {}},
            "spec": {"replicas": 0, "paused": false, "minReadySeconds": 0,
                "selector": {"matchLabels": {"app": "d"}},
                "template": {"metadata": {"labels": {"app": "d"}}, "spec": {
                    "hostNetwork": false, "securityContext": {},
                    "containers": [{"name": "c", "image": "nginx", "args": [], "stdin": false,
                        "env": [{"name": "A", "value": ""}],
                        "ports": [{"containerPort": 80, "hostPort": 0}],
                        "securityContext": {"privileged": false},
                        "volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": false}]}],
                    "volumes": [{"name": "v", "emptyDir": {}}]}}}});
        assert_eq!(
            encoded(deployment),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "d"},
                "spec": {"replicas": 0,
                    "selector": {"matchLabels": {"app": "d"}},
                    "template": {"metadata": {"labels": {"app": "d"}}, "spec": {
                        "securityContext": {},
                        "containers": [{"name": "c", "image": "nginx",
                            "env": [{"name": "A"}],
                            "ports": [{"containerPort": 80}],
                            "securityContext": {"privileged": false},
                            "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
                        "volumes": [{"name": "v", "emptyDir": {}}]}}},
                "status": {}})
        );
    }

    /// A kind with a status shows one, empty before a controller writes it; a kind without
    /// gets none.
    #[test]
    fn a_status_struct_is_always_there() {
        let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}});
        assert_eq!(encoded(job)["status"], json!({}));
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}});
        assert_eq!(encoded(svc)["status"], json!({"loadBalancer": {}}));
        let pdb = json!({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"}});
        assert_eq!(
            encoded(pdb)["status"],
            json!({"currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0})
        );
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
        assert!(encoded(cm).get("status").is_none());
    }

    /// The typed object is cleared as its JSON is: what the walk finds is what `go_encoded`
    /// changes, and an object once normalized has nothing left to change.
    #[test]
    fn normalize_clears_the_typed_object() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {}, "annotations": {"a": ""}},
            "spec": {"hostNetwork": false, "restartPolicy": "Always",
                "containers": [{"name": "c", "image": "x", "args": [], "tty": false,
                    "securityContext": {"privileged": false},
                    "volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": false}]}],
                "volumes": [{"name": "v", "emptyDir": {}}]}});
        let mut obj = Object::from_value(pod.clone()).expect("decodes");
        assert!(differs(&obj));
        normalize(&mut obj);
        assert_eq!(obj.to_value(), encoded(pod));
        assert!(!differs(&obj));
        assert_eq!(
            obj.to_value()["spec"]["containers"][0],
            json!({"name": "c", "image": "x", "securityContext": {"privileged": false},
                "volumeMounts": [{"name": "v", "mountPath": "/v"}]})
        );
        assert_eq!(obj.to_value()["metadata"], json!({"name": "p", "annotations": {"a": ""}}));
    }

    /// A status write looks at the status only: an empty list there is cleared as
    /// `normalize` clears it, while the rest is taken as the stored, normalized object.
    #[test]
    fn normalize_status_walks_the_status_only() {
        let pod = |status: Value| {
            Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "labels": {}},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
                "status": status}))
            .expect("decodes")
        };
        let mut clean_status = pod(json!({"phase": "Running"}));
        normalize_status(&mut clean_status);
        assert_eq!(clean_status.to_value()["metadata"]["labels"], json!({}));

        let mut empty_list = pod(json!({"phase": "Running", "conditions": []}));
        normalize_status(&mut empty_list);
        let mut whole = pod(json!({"phase": "Running", "conditions": []}));
        normalize(&mut whole);
        assert_eq!(empty_list, whole);
        assert_eq!(empty_list.to_value()["status"], json!({"phase": "Running"}));
    }

    /// Fields Go always shows are filled in on the typed object too.
    #[test]
    fn normalize_fills_what_go_always_shows() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
            "spec": {"ports": [{"port": 80}]}});
        let mut obj = Object::from_value(svc).expect("decodes");
        normalize(&mut obj);
        assert_eq!(obj.to_value()["status"], json!({"loadBalancer": {}}));
        let mut clean = obj.clone();
        normalize(&mut clean);
        assert_eq!(clean, obj);
    }

    #[test]
    fn true_and_non_zero_values_stay() {
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "x",
                "volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": true}]}]},
            "status": {"phase": "Pending"}});
        assert_eq!(encoded(pod.clone()), pod);
    }

    /// An Event the quick check passes is one the walk finds nothing to change in: over
    /// Events with each field unset, empty or set (its metadata's lists and maps too), the
    /// check never passes one the walk would change, and passes the recorder's.
    #[test]
    fn events_the_quick_check_passes_need_no_walk() {
        use k8s_openapi::api::core::v1 as corev1;
        use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
        use std::collections::BTreeMap;
        let text = |pick: u64| match pick % 3 {
            0 => None,
            1 => Some(String::new()),
            _ => Some("x".to_string()),
        };
        let number = |pick: u64| match pick % 3 {
            0 => None,
            1 => Some(0),
            _ => Some(2),
        };
        let reference = |pick: u64| corev1::ObjectReference {
            api_version: text(pick),
            field_path: text(pick / 3),
            kind: text(pick / 9),
            name: text(pick / 27),
            namespace: text(pick / 81),
            resource_version: text(pick / 243),
            uid: text(pick / 729),
        };
        let time = metav1::Time(Default::default());
        let (mut passed, mut walked_unchanged) = (0, 0);
        // A small xorshift generator: each field of each Event draws its own number.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let collections = next() % 4;
            let labels = match collections {
                1 => Some(BTreeMap::new()),
                2 => Some(BTreeMap::from([("a".to_string(), String::new())])),
                _ => None,
            };
            let e = corev1::Event {
                metadata: metav1::ObjectMeta {
                    name: text(next()),
                    generate_name: text(next()),
                    namespace: text(next()),
                    generation: number(next()),
                    uid: text(next()),
                    resource_version: text(next()),
                    creation_timestamp: (next() % 2 == 0).then(|| time.clone()),
                    deletion_grace_period_seconds: number(next()),
                    labels,
                    annotations: (collections == 3).then(BTreeMap::new),
                    finalizers: (next() % 5 == 0).then(Vec::new),
                    ..Default::default()
                },
                involved_object: reference(next()),
                related: (next() % 3 == 0).then(|| reference(next())),
                reason: text(next()),
                message: text(next()),
                action: text(next()),
                type_: text(next()),
                count: number(next()).map(|n| n as i32),
                reporting_component: text(next()),
                reporting_instance: text(next()),
                first_timestamp: (next() % 2 == 0).then(|| time.clone()),
                source: (next() % 3 != 0).then(|| corev1::EventSource {
                    component: text(next()),
                    host: text(next()),
                }),
                series: (next() % 3 == 0).then(|| corev1::EventSeries {
                    count: number(next()).map(|n| n as i32),
                    last_observed_time: None,
                }),
                ..Default::default()
            };
            let walk_changes = differs(&Object::Event(e.clone()));
            if event_as_encoded(&e) {
                passed += 1;
                assert!(!walk_changes, "{e:?}");
            } else if !walk_changes {
                walked_unchanged += 1;
            }
        }
        // The recorder's Event: named, in a namespace, nothing else in its metadata.
        let recorded = corev1::Event {
            metadata: metav1::ObjectMeta {
                name: Some("web-1.18a2b3c4d5e6f708".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            involved_object: reference(2 * 1093),
            reason: Some("Pulled".into()),
            reporting_component: Some("replicaset-controller".into()),
            reporting_instance: Some(String::new()),
            ..Default::default()
        };
        assert!(event_as_encoded(&recorded));
        assert!(passed > 300 && walked_unchanged > 300, "{passed} {walked_unchanged}");
    }

    /// The walk steps over time fields instead of formatting them: over objects with and
    /// without times, with and without something to change, it decides as a walk that
    /// looks at every time does.
    #[test]
    fn time_fields_are_skipped_without_changing_the_decision() {
        let t = "2026-11-25T10:00:00Z";
        let cases = [
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "creationTimestamp": t},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
                "status": {"phase": "Running", "startTime": t,
                    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": t,
                        "lastProbeTime": "1970-01-01T00:00:00Z"}],
                    "containerStatuses": [{"name": "c", "image": "x", "imageID": "", "ready": true,
                        "restartCount": 0, "state": {"running": {"startedAt": t}},
                        "lastState": {"terminated": {"exitCode": 0, "startedAt": t,
                            "finishedAt": "9999-12-30T21:59:59Z"}}}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"hostNetwork": false, "containers": [{"name": "c", "image": "x"}]},
                "status": {"conditions": [{"type": "Ready", "status": "True",
                    "lastTransitionTime": t, "reason": ""}]}}),
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
                "status": {"conditions": [{"type": "Ready", "status": "True",
                    "lastTransitionTime": t, "message": ""}]}}),
            json!({"apiVersion": "v1", "kind": "Event",
                "metadata": {"name": "e", "namespace": "default", "creationTimestamp": t},
                "involvedObject": {"kind": "Pod", "name": "p"}, "reason": "Pulled",
                "firstTimestamp": t, "lastTimestamp": t, "count": 2,
                "eventTime": "2026-11-25T10:00:00.123456Z", "source": {"component": "kubelet"}}),
            json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "default"},
                "involvedObject": {"kind": "Pod", "name": "p"}, "firstTimestamp": t, "count": 0}),
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "d", "deletionTimestamp": t, "finalizers": ["f"]},
                "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {
                    "metadata": {"labels": {"a": "b"}},
                    "spec": {"containers": [{"name": "c", "image": "x"}]}}},
                "status": {"conditions": [{"type": "Available", "status": "True",
                    "lastUpdateTime": t, "lastTransitionTime": t}]}}),
            json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": "n", "namespace": "kube-node-lease"},
                "spec": {"holderIdentity": "n", "renewTime": "2026-11-25T10:00:00.500000Z",
                    "acquireTime": "2026-11-25T09:00:00.000000Z"}}),
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
                "spec": {"template": {"spec": {"restartPolicy": "Never",
                    "containers": [{"name": "c", "image": "x"}]}}},
                "status": {"startTime": t, "completionTime": t, "succeeded": 0}}),
        ];
        let mut decisions = Vec::new();
        for value in cases {
            let obj = Object::from_value(value.clone()).expect("decodes");
            let enc = cached_encoding(obj.kind_info()).expect("served kind");
            decisions.push(differs(&obj));
            let every_time = detect::Fields {
                required_lists: enc.fields.required_lists.clone(),
                times: Vec::new(),
            };
            for only_status in [false, true] {
                assert_eq!(
                    detect::differs(&obj, enc.has_status, only_status, &enc.fields),
                    detect::differs(&obj, enc.has_status, only_status, &every_time),
                    "{value} (only status: {only_status})"
                );
            }
        }
        assert!(decisions.contains(&true) && decisions.contains(&false), "{decisions:?}");
        let pod = cached_encoding(crate::kinds::by_group_kind("", "Pod").expect("pods")).expect("pods");
        let times_of = |def: &str| {
            pod.fields.times.iter().find(|(d, _)| d == def).map(|(_, f)| f.clone())
        };
        assert_eq!(
            times_of("PodCondition"),
            Some(vec!["lastProbeTime".to_string(), "lastTransitionTime".to_string()])
        );
        assert_eq!(
            times_of("ObjectMeta"),
            Some(vec!["creationTimestamp".to_string(), "deletionTimestamp".to_string()])
        );
        assert_eq!(times_of("PodSpec"), None);
    }
}
