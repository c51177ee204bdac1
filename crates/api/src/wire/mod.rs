//! A compact binary rendering of the serde data model, and the one deserializer every
//! k8s-openapi value is decoded through.
//!
//! It carries what the JSON of the same value carries (the serde impls of the k8s-openapi
//! types see a human-readable format either way, so times, quantities and int-or-strings take
//! their text forms), written without JSON's punctuation and escaping: a string is its length
//! and its bytes, read back by borrowing them. Every value starts with one tag byte; lengths
//! and integers are LEB128 varints (integers zigzag-encoded). A struct field named in
//! `FIELDS` is its one tag byte (the names are more than half of a pod's JSON).
//!
//! The store keeps old pods and events in it (`cluster`'s compact form), and `typed` decodes
//! JSON by writing its `Value` in it (`write_value`): each type's `Deserialize` is built once
//! per deserializer it meets, and those of the API types are most of the page's code, so
//! one deserializer serves both.
//!
//! A value the format does not carry (enum variants with data, sequences of unknown length)
//! fails to encode, and the caller keeps the object decoded.

mod de;
mod json;
mod ser;
mod view;

use serde::Serialize;
use serde_json::Value;

use crate::field_path::Segment;

pub use de::from_bytes;
pub(crate) use ser::walk;
pub use ser::to_bytes;
pub use view::View;

/// `value` as `serde_json::to_value` makes it, built through this format: the page then holds
/// one serializer of every API type instead of two (their serde code is most of its size).
///
/// # Errors
/// A value the format does not carry (an enum variant with data).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, WireError> {
    ser::with_bytes(NULL, value, |bytes| from_bytes(&bytes[1..]))?
}

/// `value` as `serde_json::to_vec` writes it (struct fields in their declared order), built
/// through this format, as [`to_value`].
///
/// # Errors
/// As [`to_value`].
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, WireError> {
    ser::with_bytes(NULL, value, |bytes| {
        let mut out = Vec::with_capacity(bytes.len() * 2);
        json::write(&bytes[1..], &mut out).map(|()| out)
    })?
}

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
/// A signed integer, zigzag varint.
const INT: u8 = 3;
/// An unsigned integer, varint.
const UINT: u8 = 4;
/// An `f64`, eight little-endian bytes.
const FLOAT: u8 = 5;
/// Length, then UTF-8 bytes.
const STR: u8 = 6;
/// Length, then bytes.
const BYTES: u8 = 7;
/// Element count, then the elements.
const SEQ: u8 = 8;
/// Entry count, then key and value of each entry.
const MAP: u8 = 9;
/// Tags from here on are struct field names: `FIELDS[tag - FIELD]`. A field whose name is
/// not in the table is written as a string.
const FIELD: u8 = 16;

/// The struct field names written as one byte, most of what a pod or an event names (its
/// JSON is more than half field names). The bytes live only in memory, so the table may
/// change freely between builds; it must never hold a name twice.
const FIELDS: &[&str] = &[
    "apiVersion", "kind", "metadata", "spec", "status", "annotations", "creationTimestamp",
    "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers", "generateName", "generation",
    "labels", "managedFields", "name", "namespace", "ownerReferences", "resourceVersion",
    "selfLink", "uid", "blockOwnerDeletion", "controller", "fieldsType", "fieldsV1", "manager",
    "operation", "subresource", "time", "activeDeadlineSeconds", "affinity",
    "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy", "enableServiceLinks",
    "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
    "hostname", "hostnameOverride", "imagePullSecrets", "initContainers", "nodeName",
    "nodeSelector", "os", "overhead", "preemptionPolicy", "priority", "priorityClassName",
    "readinessGates", "resourceClaims", "resources", "restartPolicy", "runtimeClassName",
    "schedulerName", "schedulingGates", "securityContext", "serviceAccount", "serviceAccountName",
    "setHostnameAsFQDN", "shareProcessNamespace", "subdomain", "terminationGracePeriodSeconds",
    "tolerations", "topologySpreadConstraints", "volumes", "projected", "configMap", "secret",
    "emptyDir", "hostPath", "persistentVolumeClaim", "downwardAPI", "args", "command", "env",
    "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "ports",
    "readinessProbe", "resizePolicy", "restartPolicyRules", "startupProbe", "stdin", "stdinOnce",
    "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices", "volumeMounts",
    "workingDir", "containerPort", "hostIP", "hostPort", "protocol", "mountPath",
    "mountPropagation", "readOnly", "recursiveReadOnly", "subPath", "subPathExpr", "defaultMode",
    "sources", "clusterTrustBundle", "podCertificate", "serviceAccountToken", "audience",
    "expirationSeconds", "path", "items", "optional", "key", "mode", "fieldRef",
    "resourceFieldRef", "fieldPath", "containerName", "divisor", "resource", "effect", "operator",
    "tolerationSeconds", "value", "conditions", "containerStatuses", "ephemeralContainerStatuses",
    "extendedResourceClaimStatus", "hostIPs", "initContainerStatuses", "message",
    "nominatedNodeName", "observedGeneration", "phase", "podIP", "podIPs", "qosClass", "reason",
    "resize", "resourceClaimStatuses", "startTime", "lastProbeTime", "lastTransitionTime", "type",
    "allocatedResources", "allocatedResourcesStatus", "containerID", "imageID", "lastState",
    "ready", "restartCount", "started", "state", "stopSignal", "user", "running", "terminated",
    "waiting", "startedAt", "exitCode", "finishedAt", "signal", "ip", "component", "host",
    "count", "lastObservedTime", "action", "eventTime", "firstTimestamp", "involvedObject",
    "lastTimestamp", "related", "reportingComponent", "reportingInstance", "series", "source",
    "claims", "limits", "requests", "exec", "failureThreshold", "grpc", "httpGet",
    "initialDelaySeconds", "periodSeconds", "successThreshold", "tcpSocket", "timeoutSeconds",
    "httpHeaders", "port", "scheme", "valueFrom", "configMapKeyRef", "fileKeyRef", "secretKeyRef",
    "configMapRef", "prefix", "secretRef", "allowPrivilegeEscalation", "appArmorProfile",
    "capabilities", "privileged", "procMount", "readOnlyRootFilesystem", "runAsGroup",
    "runAsNonRoot", "runAsUser", "seLinuxOptions", "seccompProfile", "windowsOptions", "fsGroup",
    "fsGroupChangePolicy", "seLinuxChangePolicy", "supplementalGroups",
    "supplementalGroupsPolicy", "sysctls", "localhostProfile", "add", "drop", "medium",
    "sizeLimit", "secretName", "claimName", "nodeAffinity", "podAffinity", "podAntiAffinity",
    "preferredDuringSchedulingIgnoredDuringExecution",
    "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "matchExpressions",
    "matchFields", "values", "labelSelector", "matchLabelKeys",
];

/// The tag of the struct field `name`, when it is in `FIELDS`.
fn field_tag(name: &str) -> Option<u8> {
    let slots = FIELD_SLOTS.get_or_init(field_slots);
    let mut at = field_hash(name);
    loop {
        // An empty slot: the name is not in the table.
        let index = usize::from(slots.get(at)?.checked_sub(1)?);
        if FIELDS.get(index) == Some(&name) {
            return u8::try_from(index).ok().map(|i| i + FIELD);
        }
        at = (at + 1) % FIELD_SLOTS_LEN;
    }
}

/// The field name a tag at or above `FIELD` stands for.
fn field_name(tag: u8) -> Option<&'static str> {
    FIELDS.get(usize::from(tag.checked_sub(FIELD)?)).copied()
}

/// An open-addressed table from a name's hash to its index in `FIELDS` plus one (zero: an
/// empty slot), a little over twice the table's size so probes stay short.
const FIELD_SLOTS_LEN: usize = 512;
static FIELD_SLOTS: std::sync::OnceLock<[u8; FIELD_SLOTS_LEN]> = std::sync::OnceLock::new();

fn field_slots() -> [u8; FIELD_SLOTS_LEN] {
    let mut slots = [0u8; FIELD_SLOTS_LEN];
    for (index, name) in FIELDS.iter().enumerate() {
        let mut at = field_hash(name);
        while slots[at] != 0 {
            at = (at + 1) % FIELD_SLOTS_LEN;
        }
        // `FIELDS` has at most 240 names (checked by a test), so the index fits.
        slots[at] = u8::try_from(index + 1).unwrap_or(0);
    }
    slots
}

/// A hash of the name's length and three of its bytes: cheap, and the lookup compares the
/// whole name anyway.
fn field_hash(name: &str) -> usize {
    let b = name.as_bytes();
    let byte = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
    let h = (b.len() as u32).wrapping_mul(0x9E37_79B1)
        ^ byte(0).wrapping_mul(0x85EB_CA77)
        ^ byte(b.len() / 2).wrapping_mul(0xC2B2_AE3D)
        ^ byte(b.len().wrapping_sub(1)).wrapping_mul(0x27D4_EB2F);
    (h ^ (h >> 15)) as usize % FIELD_SLOTS_LEN
}


/// Why a value could not be written or read.
#[derive(Debug)]
pub struct WireError {
    /// What went wrong, in serde_json's words for the same value.
    pub message: String,
    /// Where, innermost step first (a reader adds each step as the error leaves it).
    steps: Vec<Step>,
}

/// One step of the path to a failing value.
#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

impl WireError {
    fn new(message: String) -> Self {
        WireError {
            message,
            steps: Vec::new(),
        }
    }

    /// The error as the serializer returns it: one pointer, so a result fits in a register.
    fn boxed(message: String) -> Box<Self> {
        Box::new(WireError::new(message))
    }

    fn within(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// The field path of the failing value: `spec.containers[0].name` (empty at the top).
    pub fn path(&self) -> String {
        crate::field_path::render(self.steps.iter().rev().map(|step| match step {
            Step::Key(key) => Segment::Key(key),
            Step::Index(i) => Segment::Index(*i),
        }))
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WireError {}

impl serde::ser::Error for Box<WireError> {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError::boxed(msg.to_string())
    }
}

impl serde::de::Error for WireError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError::new(msg.to_string())
    }

    // serde_json words these two its own way (`null`, floats as JSON writes them), and a
    // decode error is shown to users, so the words stay the same.
    fn invalid_type(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        WireError::new(format!("invalid type: {}, expected {exp}", JsonUnexpected(unexp)))
    }

    fn invalid_value(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        WireError::new(format!("invalid value: {}, expected {exp}", JsonUnexpected(unexp)))
    }
}

/// An unexpected value as serde_json names it.
struct JsonUnexpected<'a>(serde::de::Unexpected<'a>);

impl std::fmt::Display for JsonUnexpected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            serde::de::Unexpected::Unit => f.write_str("null"),
            serde::de::Unexpected::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None => std::fmt::Display::fmt(&self.0, f),
            },
            other => std::fmt::Display::fmt(&other, f),
        }
    }
}

/// Appends the bytes of `value`, as `to_bytes` writes the same value: numbers as
/// serde_json's `Value` deserializer hands them to a visitor (non-negative integers unsigned,
/// negative ones signed, the rest floats).
pub fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(NULL),
        Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(UINT);
                put_varint(out, u);
            } else if let Some(i) = n.as_i64() {
                out.push(INT);
                put_varint(out, zigzag(i));
            } else {
                out.push(FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
            }
        }
        Value::String(s) => put_str(out, s),
        Value::Array(items) => {
            out.push(SEQ);
            put_varint(out, items.len() as u64);
            for item in items {
                write_value(item, out);
            }
        }
        Value::Object(map) => {
            out.push(MAP);
            put_varint(out, map.len() as u64);
            for (key, item) in map {
                put_str(out, key);
                write_value(item, out);
            }
        }
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.push(STR);
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{FIELD, FIELDS, field_name, field_tag, to_json, to_value};
    use crate::object::Object;

    /// Every served kind with every field its schema has filled in reads through this
    /// format exactly as serde_json makes it: `to_value` gives the same `Value`, `to_json`
    /// the same text, fields in the same order.
    #[test]
    fn every_kind_reads_as_json_would() {
        let table = crate::schema::table().expect("the embedded schemas");
        let defs = &table["definitions"];
        let kinds = table["kinds"].as_object().expect("kinds");
        assert!(kinds.len() > 30);
        for (gvk, root) in kinds {
            let (api_version, kind) = gvk.rsplit_once('/').expect("group/version/kind");
            let mut value = filled(root, defs, 0);
            value["apiVersion"] = json!(api_version);
            value["kind"] = json!(kind);
            let object = Object::from_value(value).unwrap_or_else(|e| panic!("{gvk}: {e:?}"));
            let want = serde_json::to_value(&object).expect("serde_json");
            assert_eq!(to_value(&object).expect("wire"), want, "{gvk}");
            assert_eq!(object.to_value(), want, "{gvk}");
            let text = serde_json::to_vec(&object).expect("serde_json");
            assert_eq!(
                String::from_utf8(to_json(&object).expect("wire")),
                String::from_utf8(text),
                "{gvk}"
            );
        }
    }

    /// The `group/version/Kind` of the served kind whose schema is titled `name`.
    fn gvk_of(name: &str) -> Option<String> {
        let table = crate::schema::table()?;
        table["kinds"].as_object()?.iter().find_map(|(gvk, root)| {
            (root.get("title").and_then(Value::as_str) == Some(name)).then(|| gvk.clone())
        })
    }

    /// A value for `schema` with every property set, strings with characters JSON escapes,
    /// negative integers and fractions where free-form JSON is allowed.
    fn filled(schema: &Value, defs: &Value, depth: usize) -> Value {
        if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
            let name = name.trim_start_matches("#/$defs/");
            return match name.rsplit('.').next() {
                Some("Time") => json!("2026-01-02T03:04:05Z"),
                Some("MicroTime") => json!("2026-01-02T03:04:05.123456Z"),
                _ => {
                    let mut value = filled(&defs[name], defs, depth + 1);
                    // An embedded object of a served kind (a StatefulSet's claim templates)
                    // must name its own kind.
                    if let Some(gvk) = gvk_of(name) {
                        let (api_version, kind) = gvk.rsplit_once('/').expect("gvk");
                        value["apiVersion"] = json!(api_version);
                        value["kind"] = json!(kind);
                    }
                    value
                }
            };
        }
        if schema.get("x-kubernetes-int-or-string").is_some() {
            return json!("10%");
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => match schema.get("format").and_then(Value::as_str) {
                Some("date-time") => json!("2026-01-02T03:04:05Z"),
                Some("byte") => json!("aGk="),
                _ => json!("x \"q\" \\ \n\t\u{1} é"),
            },
            Some("integer") => json!(-3),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            Some("array") => match schema.get("items") {
                Some(items) if depth < 16 => json!([filled(items, defs, depth + 1)]),
                _ => json!([]),
            },
            _ => {
                if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                    if depth >= 16 {
                        return json!({});
                    }
                    let map = props
                        .iter()
                        .map(|(k, v)| (k.clone(), filled(v, defs, depth + 1)))
                        .collect();
                    Value::Object(map)
                } else if let Some(item) = schema.get("additionalProperties").filter(|v| v.is_object()) {
                    json!({"b": filled(item, defs, depth + 1), "a": filled(item, defs, depth + 1)})
                } else {
                    json!({"z": [1, -2, 2.5, "s", null, {"y": false}], "a": {}})
                }
            }
        }
    }

    /// Every name in the table has a tag of its own that reads back as the name; other names
    /// and other tags have none.
    #[test]
    fn field_names_have_one_tag_each() {
        assert!(FIELDS.len() <= usize::from(u8::MAX - FIELD) + 1);
        for (i, name) in FIELDS.iter().enumerate() {
            let tag = field_tag(name).unwrap_or_else(|| panic!("{name} has no tag"));
            assert_eq!(usize::from(tag - FIELD), i, "{name}");
            assert_eq!(field_name(tag), Some(*name));
        }
        for name in ["", "notAField", "podAffinityTerm", "Name", "names"] {
            assert_eq!(field_tag(name), None, "{name}");
        }
        assert_eq!(field_name(FIELD - 1), None);
    }
}
