//! Every `metav1.Time` and `metav1.MicroTime` of an object, checked as the API server parses
//! it before the object is decoded.
//!
//! The server decodes a body with Go's JSON decoder, which hands each timestamp field to
//! `Time.UnmarshalJSON` (`time.Parse` with RFC 3339) or `MicroTime.UnmarshalJSON`
//! (RFC3339Micro); the first error stops the decode and is answered unwrapped, before any
//! type error seen earlier (apimachinery pkg/apis/meta/v1 time.go, micro_time.go, v1.34;
//! encoding/json decode.go). The Rust type reads timestamps by other rules, so the fields are
//! walked here first with `gotime`'s copy of Go's: what Go refuses is refused with its words,
//! what Go accepts in a spelling the Rust type does not read is rewritten to the same instant.
//!
//! The fields are found from the kinds' schemas (`schema/schemas.json`: the properties that
//! refer to the Time and MicroTime definitions, through nested types, lists and maps), never
//! by key name, so a ConfigMap key or a label called `time` is no timestamp. The paths are
//! built once per process into a tree per kind, and the walk over a decoded value allocates
//! nothing unless a timestamp is refused or rewritten.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::field_path::Segment;
use crate::gotime;
use crate::kinds::{self, KindInfo};

const TIME_DEF: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME_DEF: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";

/// A timestamp the API server cannot parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// Where it is: `status.conditions[0].lastTransitionTime`.
    pub path: String,
    /// The server's words: `time.Parse`'s error, or the JSON decoder's for a value that is
    /// not a string.
    pub message: String,
}

/// Checks every timestamp of `value`, an object of `info`'s kind, in the order Go's decoder
/// meets them (keys in sorted order, as kubectl sends them); rewrites the ones Go accepts in a
/// spelling the Rust type does not read.
///
/// # Errors
/// The first timestamp Go refuses.
pub fn check(info: &KindInfo, value: &mut Value) -> Result<(), TimeError> {
    let trees = trees();
    // Built from `KINDS` in order: a row's index is its kind's tree.
    let Some(Some(root)) = kinds::row_index(info).and_then(|i| trees.kinds.get(i)) else {
        return Ok(());
    };
    walk(trees, root, value, &Path { parent: None, step: Step::Root })
}

/// Where timestamps sit below a field: the field itself, an object's fields, a list's items or
/// a map's values. Only shapes that hold a timestamp somewhere are kept.
#[derive(Debug)]
enum Shape {
    Time(&'static str),
    Object(usize),
    List(Box<Shape>),
    Map(Box<Shape>),
}

/// The trees of every served kind: objects as nodes (their timestamp-holding properties,
/// sorted as a JSON object's keys iterate), shared between kinds.
struct Trees {
    nodes: Vec<Vec<(String, Shape)>>,
    /// Each kind's tree, in the order of `KINDS`.
    kinds: Vec<Option<Shape>>,
}

fn trees() -> &'static Trees {
    static TREES: OnceLock<Trees> = OnceLock::new();
    TREES.get_or_init(|| {
        let table = crate::schema::table();
        let empty = serde_json::Map::new();
        let defs = table
            .and_then(|t| t.get("definitions"))
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut builder = Builder { defs, nodes: Vec::new(), by_def: HashMap::new() };
        let kinds = kinds::KINDS
            .iter()
            .map(|info| {
                let key = format!("{}/{}", info.api_version(), info.kind);
                let root = table.and_then(|t| t.get("kinds")?.get(&key));
                root.and_then(|r| builder.shape(r))
            })
            .collect();
        Trees { nodes: builder.nodes, kinds }
    })
}

struct Builder<'a> {
    defs: &'a serde_json::Map<String, Value>,
    nodes: Vec<Vec<(String, Shape)>>,
    by_def: HashMap<&'a str, Option<usize>>,
}

impl<'a> Builder<'a> {
    fn shape(&mut self, schema: &'a Value) -> Option<Shape> {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            return match r.strip_prefix("#/$defs/")? {
                TIME_DEF => Some(Shape::Time(gotime::RFC3339)),
                MICRO_TIME_DEF => Some(Shape::Time(gotime::RFC3339_MICRO)),
                name => self.definition(name).map(Shape::Object),
            };
        }
        if let Some(items) = schema.get("items") {
            return self.shape(items).map(|s| Shape::List(Box::new(s)));
        }
        if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            return self.shape(values).map(|s| Shape::Map(Box::new(s)));
        }
        let properties = schema.get("properties")?.as_object()?;
        let mut fields: Vec<(String, Shape)> = properties
            .iter()
            .filter_map(|(name, s)| Some((name.clone(), self.shape(s)?)))
            .collect();
        if fields.is_empty() {
            return None;
        }
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        self.nodes.push(fields);
        Some(Shape::Object(self.nodes.len() - 1))
    }

    /// The node of a named definition, built once; a definition that refers to itself finds
    /// its own node reserved.
    fn definition(&mut self, name: &'a str) -> Option<usize> {
        if let Some(known) = self.by_def.get(name) {
            return *known;
        }
        let def = self.defs.get(name)?;
        let id = self.nodes.len();
        self.nodes.push(Vec::new());
        self.by_def.insert(name, Some(id));
        let found = match self.shape(def) {
            Some(Shape::Object(inner)) => {
                self.nodes[id] = std::mem::take(&mut self.nodes[inner]);
                Some(id)
            }
            _ => None,
        };
        self.by_def.insert(name, found);
        found
    }
}

/// A field path on the stack, spelled out only for an error.
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl Path<'_> {
    fn text(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            steps.push(&p.step);
            at = p.parent;
        }
        crate::field_path::render(steps.iter().rev().filter_map(|step| match step {
            Step::Root => None,
            Step::Key(key) => Some(Segment::Key(key)),
            Step::Index(i) => Some(Segment::Index(*i)),
        }))
    }
}

fn walk(trees: &Trees, shape: &Shape, value: &mut Value, path: &Path) -> Result<(), TimeError> {
    match (shape, value) {
        (_, Value::Null) => Ok(()),
        (Shape::Time(layout), value) => check_time(layout, value, path),
        (Shape::Object(id), Value::Object(map)) => {
            for (name, field) in &trees.nodes[*id] {
                if let Some(v) = map.get_mut(name.as_str()) {
                    walk(trees, field, v, &Path { parent: Some(path), step: Step::Key(name) })?;
                }
            }
            Ok(())
        }
        (Shape::List(item), Value::Array(items)) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(trees, item, v, &Path { parent: Some(path), step: Step::Index(i) })?;
            }
            Ok(())
        }
        (Shape::Map(item), Value::Object(map)) => {
            for (key, v) in map.iter_mut() {
                walk(trees, item, v, &Path { parent: Some(path), step: Step::Key(key) })?;
            }
            Ok(())
        }
        // A value of the wrong type for a struct, list or map: the JSON decoder notes a type
        // error and skips it without reading what is inside.
        _ => Ok(()),
    }
}

fn check_time(layout: &str, value: &mut Value, path: &Path) -> Result<(), TimeError> {
    let Value::String(text) = value else {
        // UnmarshalJSON first decodes the bytes into a Go string.
        return Err(TimeError {
            path: path.text(),
            message: format!(
                "json: cannot unmarshal {} into Go value of type string",
                crate::object::go_json_type(value)
            ),
        });
    };
    match gotime::normalize(layout, text) {
        Ok(None) => Ok(()),
        Ok(Some(plain)) => {
            *text = plain;
            Ok(())
        }
        Err(message) => Err(TimeError { path: path.text(), message }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    struct Case {
        name: &'static str,
        api_version: &'static str,
        kind: &'static str,
        /// The object's fields besides apiVersion and kind.
        fields: Value,
        /// The refused path and Go's message, or None when the object passes.
        error: Option<(&'static str, &'static str)>,
    }

    #[test]
    fn timestamps_are_found_by_the_schema_and_parsed_as_go_does() {
        let cases = [
            Case {
                name: "a space for the T",
                api_version: "v1",
                kind: "Pod",
                fields: json!({"metadata": {"name": "p", "creationTimestamp": "2026-01-01 00:00:00Z"}}),
                error: Some(("metadata.creationTimestamp",
                    r#"parsing time "2026-01-01 00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00Z" as "T""#)),
            },
            Case {
                name: "lowercase t",
                api_version: "v1",
                kind: "Pod",
                fields: json!({"metadata": {"deletionTimestamp": "2026-01-01t00:00:00Z"}}),
                error: Some(("metadata.deletionTimestamp",
                    r#"parsing time "2026-01-01t00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "t00:00:00Z" as "T""#)),
            },
            Case {
                name: "lowercase z, in a condition",
                api_version: "v1",
                kind: "Pod",
                fields: json!({"status": {"conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"},
                    {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00z"}]}}),
                error: Some(("status.conditions[1].lastTransitionTime",
                    r#"parsing time "2026-01-01T00:00:00z" as "2006-01-02T15:04:05Z07:00": cannot parse "z" as "Z07:00""#)),
            },
            Case {
                name: "an offset without its colon, four levels down",
                api_version: "v1",
                kind: "Pod",
                fields: json!({"status": {"containerStatuses": [{"name": "c", "image": "nginx",
                    "imageID": "", "ready": true, "restartCount": 0,
                    "state": {"running": {"startedAt": "2026-01-01T00:00:00+0000"}}}]}}),
                error: Some(("status.containerStatuses[0].state.running.startedAt",
                    r#"parsing time "2026-01-01T00:00:00+0000" as "2006-01-02T15:04:05Z07:00": cannot parse "+0000" as "Z07:00""#)),
            },
            Case {
                name: "hour 24",
                api_version: "batch/v1",
                kind: "Job",
                fields: json!({"status": {"completionTime": "2026-01-01T24:00:00Z"}}),
                error: Some(("status.completionTime",
                    r#"parsing time "2026-01-01T24:00:00Z": hour out of range"#)),
            },
            Case {
                name: "a signed year",
                api_version: "batch/v1",
                kind: "CronJob",
                fields: json!({"status": {"lastScheduleTime": "+002026-01-01T00:00:00Z"}}),
                error: Some(("status.lastScheduleTime",
                    r#"parsing time "+002026-01-01T00:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse "+002026-01-01T00:00:00Z" as "2006""#)),
            },
            Case {
                name: "a managedFields time",
                api_version: "v1",
                kind: "ConfigMap",
                fields: json!({"metadata": {"managedFields": [{"manager": "m", "time": "now"}]}}),
                error: Some(("metadata.managedFields[0].time",
                    r#"parsing time "now" as "2006-01-02T15:04:05Z07:00": cannot parse "now" as "2006""#)),
            },
            Case {
                name: "a number",
                api_version: "v1",
                kind: "Event",
                fields: json!({"lastTimestamp": 5}),
                error: Some(("lastTimestamp", "json: cannot unmarshal number into Go value of type string")),
            },
            Case {
                name: "a MicroTime with three digits",
                api_version: "coordination.k8s.io/v1",
                kind: "Lease",
                fields: json!({"spec": {"acquireTime": "2026-01-01T00:00:00.250Z"}}),
                error: Some(("spec.acquireTime",
                    r#"parsing time "2026-01-01T00:00:00.250Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".250Z" as ".000000""#)),
            },
            Case {
                name: "the first in key order wins",
                api_version: "v1",
                kind: "Event",
                fields: json!({"lastTimestamp": "b", "firstTimestamp": "a"}),
                error: Some(("firstTimestamp",
                    r#"parsing time "a" as "2006-01-02T15:04:05Z07:00": cannot parse "a" as "2006""#)),
            },
            Case {
                name: "keys named like timestamps that are none",
                api_version: "v1",
                kind: "ConfigMap",
                fields: json!({"metadata": {"labels": {"time": "x"}, "annotations": {"creationTimestamp": "x"}},
                    "data": {"creationTimestamp": "not a time", "startTime": "x"}}),
                error: None,
            },
            Case {
                name: "a node taint's timeAdded and its conditions",
                api_version: "v1",
                kind: "Node",
                fields: json!({"spec": {"taints": [{"key": "k", "effect": "NoSchedule", "timeAdded": "2026-02-30T00:00:00Z"}]}}),
                error: Some(("spec.taints[0].timeAdded",
                    r#"parsing time "2026-02-30T00:00:00Z": day out of range"#)),
            },
            Case {
                name: "null and a fraction Go takes",
                api_version: "v1",
                kind: "Pod",
                fields: json!({"metadata": {"creationTimestamp": null},
                    "status": {"startTime": "2026-01-01T00:00:00.123456789Z"}}),
                error: None,
            },
            Case {
                name: "a pod template's metadata inside a Deployment",
                api_version: "apps/v1",
                kind: "Deployment",
                fields: json!({"spec": {"selector": {}, "template": {"metadata": {"creationTimestamp": "2026"}}}}),
                error: Some(("spec.template.metadata.creationTimestamp",
                    r#"parsing time "2026" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "-""#)),
            },
        ];
        for case in &cases {
            let info = kinds::by_gvk(case.api_version, case.kind).expect("served kind");
            let mut value = case.fields.clone();
            let got = check(info, &mut value).err();
            let want = case.error.map(|(path, message)| TimeError {
                path: path.to_string(),
                message: message.to_string(),
            });
            assert_eq!(got, want, "{}", case.name);
        }
    }

    #[test]
    fn every_kind_checks_its_creation_timestamp() {
        for info in kinds::KINDS.iter().filter(|k| k.kind != "Binding") {
            let mut value = json!({"metadata": {"creationTimestamp": "soon"}});
            let err = check(info, &mut value).err();
            assert_eq!(
                err.map(|e| e.path),
                Some("metadata.creationTimestamp".to_string()),
                "{}/{}",
                info.api_version(),
                info.kind
            );
        }
    }

    #[test]
    fn plain_spellings_are_kept_and_decode() {
        let plain = [
            "2026-01-01T00:00:05Z",
            "2026-01-01T00:00:05.1Z",
            "2026-01-01T00:00:05.123456789Z",
            "2026-01-01T00:00:05-00:00",
            "2026-01-01T00:00:05+23:59",
            "0000-01-01T00:00:00Z",
            "2024-02-29T23:59:59-12:00",
        ];
        for text in plain {
            assert_eq!(gotime::normalize(gotime::RFC3339, text), Ok(None), "{text}");
            let decoded: Result<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time, _> =
                serde_json::from_value(json!(text));
            assert!(decoded.is_ok(), "{text}: {decoded:?}");
        }
    }

    #[test]
    fn spellings_go_accepts_are_rewritten_to_the_same_instant() {
        struct Rewrite {
            name: &'static str,
            layout: &'static str,
            input: &'static str,
            output: Option<&'static str>,
        }
        let cases = [
            Rewrite { name: "plain", layout: gotime::RFC3339, input: "2026-01-01T00:00:05Z", output: None },
            Rewrite { name: "offset", layout: gotime::RFC3339, input: "2026-01-01T00:00:05+02:00", output: None },
            Rewrite { name: "one-digit hour", layout: gotime::RFC3339, input: "2026-01-01T7:00:05Z",
                output: Some("2026-01-01T07:00:05.000000000Z") },
            Rewrite { name: "comma", layout: gotime::RFC3339, input: "2026-01-01T00:00:05,5Z",
                output: Some("2026-01-01T00:00:05.500000000Z") },
            Rewrite { name: "twelve digits", layout: gotime::RFC3339, input: "2026-01-01T00:00:05.123456789999Z",
                output: Some("2026-01-01T00:00:05.123456789Z") },
            Rewrite { name: "offset of 24 hours", layout: gotime::RFC3339, input: "2026-03-01T01:00:00+24:00",
                output: Some("2026-02-28T01:00:00.000000000Z") },
            Rewrite { name: "offset of 60 minutes", layout: gotime::RFC3339, input: "2024-12-31T23:30:00-00:60",
                output: Some("2025-01-01T00:30:00.000000000Z") },
            Rewrite { name: "micro with a comma", layout: gotime::RFC3339_MICRO, input: "2026-01-01T00:00:05,250000Z",
                output: Some("2026-01-01T00:00:05.250000000Z") },
        ];
        for case in &cases {
            assert_eq!(
                gotime::normalize(case.layout, case.input),
                Ok(case.output.map(str::to_string)),
                "{}",
                case.name
            );
            if let Some(out) = case.output {
                let decoded: Result<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time, _> =
                    serde_json::from_value(json!(out));
                assert!(decoded.is_ok(), "{}: {decoded:?}", case.name);
            }
        }
    }

    /// Go keeps times up to the end of year 9999; the Rust type ends at
    /// 9999-12-30T22:00:00Z, so a later instant is refused in words that say so, and the last
    /// one it holds still decodes.
    #[test]
    fn instants_past_the_rust_types_range_are_refused_plainly() {
        for late in ["9999-12-31T23:30:00Z", "9999-12-30T22:00:01Z", "9999-12-31T20:00:00-05:00"] {
            let err = gotime::normalize(gotime::RFC3339, late).unwrap_err();
            assert!(err.contains("later than 9999-12-30T22:00:00Z"), "{late}: {err}");
        }
        for last in ["9999-12-30T22:00:00Z", "9999-12-30T23:00:00+01:00"] {
            let normalized = gotime::normalize(gotime::RFC3339, last).unwrap();
            let text = normalized.unwrap_or_else(|| last.to_string());
            let decoded: Result<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time, _> =
                serde_json::from_value(json!(text));
            assert!(decoded.is_ok(), "{last}: {decoded:?}");
        }
    }
}
