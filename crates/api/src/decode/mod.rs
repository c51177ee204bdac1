//! Manifest text (YAML or JSON, one or many documents) → typed `Object`s with source positions.
//!
//! The pipeline and its error texts follow what `kubectl create -f` / `apply -f` v1.34 and
//! the API server do with a file, in their order:
//! 1. kubectl splits the stream into documents (`split`) and parses each one
//!    (`error parsing kubia.yaml: error converting YAML to JSON: yaml: line 7: ...`);
//! 2. kubectl checks `apiVersion` and `kind` (`error validating "kubia.yaml": ...`);
//! 3. kubectl maps the kind (`resource mapping not found for name: ...`);
//! 4. the server limits the body size, decodes it typed, then strictly
//!    (`Pod in version "v1" cannot be handled as a Pod: strict decoding error: ...`).
//!
//! A parse or validation error ends the stream: kubectl stops reading the file there, though
//! the documents before it are still applied. Mapping and server errors affect their own
//! document only. Callers read files; this module only sees text and a display name.

mod source_map;
mod split;
mod strict;
mod syntax;
mod tree;

use serde_json::Value;

pub use source_map::{Position, SourceMap};
pub use tree::DuplicateKey;

use crate::object::{Object, ObjectError, aggregate, type_meta};

/// The API server's request body limit (apiserver `MaxRequestBodyBytes`, 3 MiB).
pub const MAX_REQUEST_BYTES: usize = 3 * 1024 * 1024;

/// Inputs larger than this are refused before parsing, to bound work on pasted garbage.
const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// What kubectl prints after `--validate=false` hints.
const STOP_VALIDATE: &str =
    "if you choose to ignore these errors, turn validation off with --validate=false";

/// One decoded object with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The typed object, not yet defaulted or validated.
    pub object: Object,
    /// The document as kubectl holds it before sending (YAML converted to JSON, an
    /// unstructured object): numbers stay numbers and nothing is typed or dropped. kubectl's
    /// `last-applied-configuration` is this value.
    pub value: Value,
    /// Index of the document in the file, counting non-empty documents from 0.
    pub document_index: usize,
    /// File line (1-based) where the document starts.
    pub line: usize,
    /// Positions of the object's fields, in file lines.
    pub source_map: SourceMap,
    /// Keys written twice (the last one is used, as kubectl does); for editor warnings.
    pub duplicates: Vec<DuplicateKey>,
}

/// A document that could not be decoded, worded as kubectl v1.34 prints it.
///
/// For errors the server reports (`server_reason()` is Some), `Display` is the server's
/// message; kubectl prints it as `Error from server (<reason>): error when creating "<file>":
/// <message>`, and composing that line is the kubectl layer's job. Every other `Display` is the
/// whole kubectl message after `error: `.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    /// The document is not valid YAML/JSON, or a `---` line has trailing text.
    #[error("error parsing {source_name}: {message}")]
    Parse {
        /// File name as given (`kubia.yaml`, `STDIN`).
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the problem.
        line: usize,
        /// Column of the problem (1-based), when known.
        column: usize,
        /// kubectl's text after `error parsing <file>: `.
        message: String,
    },
    /// `apiVersion` or `kind` missing, or the document is not an object.
    #[error(
        "error validating \"{source_name}\": error validating data: {message}; {STOP_VALIDATE}"
    )]
    Validation {
        /// File name as given.
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the document start.
        line: usize,
        /// `kind not set`, `[apiVersion not set, kind not set]`, ...
        message: String,
    },
    /// No served kind for this `apiVersion`/`kind` (including removed versions such as
    /// `extensions/v1beta1`).
    #[error(
        "resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{source_name}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first"
    )]
    NoMatch {
        /// File name as given.
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the `kind` field.
        line: usize,
        /// `metadata.name`, empty if unset.
        name: String,
        /// `metadata.namespace`, empty if unset.
        namespace: String,
        /// The `kind` field.
        kind: String,
        /// The `apiVersion` field.
        api_version: String,
    },
    /// The document's JSON exceeds the API server's body limit.
    #[error("Request entity too large: limit is {MAX_REQUEST_BYTES}")]
    TooLarge {
        /// File name as given.
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the document start.
        line: usize,
    },
    /// A field has the wrong type (`replicas: "3"`).
    #[error("{kind} in version \"{version}\" cannot be handled as a {kind}: {message}")]
    Type {
        /// File name as given.
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the bad field.
        line: usize,
        /// The kind being decoded.
        kind: String,
        /// Its version, without group.
        version: String,
        /// Go-worded message (`json: cannot unmarshal ...`).
        message: String,
        /// Field path of the bad field.
        path: String,
    },
    /// Fields the kind does not have.
    #[error(
        "{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {}",
        fields.iter().map(|f| format!("unknown field \"{f}\"")).collect::<Vec<_>>().join(", ")
    )]
    Strict {
        /// File name as given.
        source_name: String,
        /// Document index in the file.
        document_index: usize,
        /// File line of the first unknown field.
        line: usize,
        /// The kind being decoded.
        kind: String,
        /// Its version, without group.
        version: String,
        /// Unknown field paths in document order.
        fields: Vec<String>,
        /// File lines of each unknown field, parallel to `fields` (0 when unknown).
        field_lines: Vec<usize>,
    },
}

impl DecodeError {
    /// The file name the error is about.
    pub fn source_name(&self) -> &str {
        match self {
            DecodeError::Parse { source_name, .. }
            | DecodeError::Validation { source_name, .. }
            | DecodeError::NoMatch { source_name, .. }
            | DecodeError::TooLarge { source_name, .. }
            | DecodeError::Type { source_name, .. }
            | DecodeError::Strict { source_name, .. } => source_name,
        }
    }

    /// The document index the error is about.
    pub fn document_index(&self) -> usize {
        match self {
            DecodeError::Parse { document_index, .. }
            | DecodeError::Validation { document_index, .. }
            | DecodeError::NoMatch { document_index, .. }
            | DecodeError::TooLarge { document_index, .. }
            | DecodeError::Type { document_index, .. }
            | DecodeError::Strict { document_index, .. } => *document_index,
        }
    }

    /// The file line to underline (1-based).
    pub fn line(&self) -> usize {
        match self {
            DecodeError::Parse { line, .. }
            | DecodeError::Validation { line, .. }
            | DecodeError::NoMatch { line, .. }
            | DecodeError::TooLarge { line, .. }
            | DecodeError::Type { line, .. }
            | DecodeError::Strict { line, .. } => *line,
        }
    }

    /// The status reason when the API server (not kubectl) reports this error:
    /// `BadRequest` or `RequestEntityTooLarge`.
    pub fn server_reason(&self) -> Option<&'static str> {
        match self {
            DecodeError::TooLarge { .. } => Some("RequestEntityTooLarge"),
            DecodeError::Type { .. } | DecodeError::Strict { .. } => Some("BadRequest"),
            _ => None,
        }
    }

    /// Whether kubectl stops reading the rest of the file after this error.
    pub fn stops_stream(&self) -> bool {
        matches!(
            self,
            DecodeError::Parse { .. } | DecodeError::Validation { .. }
        )
    }
}

/// Decodes every document of a manifest, in order.
///
/// Empty documents (only comments, `null`, or whitespace) are skipped, as kubectl skips them.
/// `kind: List` documents are flattened into their items. The result ends early after an
/// error with `stops_stream()`.
pub fn decode(text: &str, source_name: &str) -> Vec<Result<Decoded, DecodeError>> {
    let mut out = Vec::new();
    if text.len() > MAX_INPUT_BYTES {
        out.push(Err(DecodeError::TooLarge {
            source_name: source_name.to_string(),
            document_index: 0,
            line: 1,
        }));
        return out;
    }
    let documents = if looks_like_json(text) {
        json_documents(text)
    } else {
        yaml_documents(text)
    };
    let mut index = 0;
    for document in documents {
        match document {
            Err(err) => {
                out.push(Err(err.into_decode_error(source_name, index)));
                return out;
            }
            Ok(raw) if raw.tree.value.is_null() => {}
            Ok(raw) => {
                let stop = process(raw, source_name, index, &mut out);
                index += 1;
                if stop {
                    return out;
                }
            }
        }
    }
    out
}

/// Decodes a manifest that must hold exactly one object (the editor's single-object mode).
///
/// # Errors
/// The first error of `decode`, or a `Parse` error when there is no object or more than one.
// DecodeError is large but built once per bad document; boxing it would only burden callers.
#[allow(clippy::result_large_err)]
pub fn decode_one(text: &str, source_name: &str) -> Result<Decoded, DecodeError> {
    let mut results = decode(text, source_name);
    if results.len() != 1 {
        if let Some(pos) = results.iter().position(Result::is_err) {
            return results.swap_remove(pos);
        }
        return Err(DecodeError::Parse {
            source_name: source_name.to_string(),
            document_index: 0,
            line: 1,
            column: 1,
            message: format!("expected exactly one object, found {}", results.len()),
        });
    }
    results.swap_remove(0)
}

/// The first YAML document of `text` as JSON, as apimachinery's `yaml.ToJSON` converts it
/// (go-yaml v2's scalars, the same tree manifests are decoded through): what `kubectl patch
/// -p` sends for a YAML patch.
///
/// # Errors
/// go-yaml's words, as `yaml.ToJSON` returns them: `yaml: line 1: did not find expected key`.
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    if let Err(p) = syntax::check(text) {
        let location = p.go_line.map(|l| format!("line {l}: ")).unwrap_or_default();
        return Err(format!("yaml: {location}{}", p.problem));
    }
    match tree::build(text, 1) {
        Ok(tree) => Ok(tree.value),
        Err(e) => Err(format!("{}{}", if e.yaml_prefix { "yaml: " } else { "" }, e.message)),
    }
}

/// A parsed document before any Kubernetes checks.
struct RawDocument {
    tree: tree::Tree,
    first_line: usize,
}

/// A document-level parse failure.
struct RawError {
    message: String,
    line: usize,
    column: usize,
}

impl RawError {
    fn into_decode_error(self, source_name: &str, document_index: usize) -> DecodeError {
        DecodeError::Parse {
            source_name: source_name.to_string(),
            document_index,
            line: self.line,
            column: self.column,
            message: self.message,
        }
    }
}

/// kubectl's YAMLOrJSONDecoder treats the stream as JSON when it starts with `{`.
fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn yaml_documents(text: &str) -> Vec<Result<RawDocument, RawError>> {
    let mut out = Vec::new();
    for chunk in split::split_documents(text) {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                out.push(Err(RawError {
                    message: format!("invalid Yaml document separator: {}", e.trailing),
                    line: e.line,
                    column: 1,
                }));
                return out;
            }
        };
        let doc_line = |l: usize| chunk.first_line + l.saturating_sub(1);
        if let Err(p) = syntax::check(chunk.text) {
            let location = p.go_line.map(|l| format!("line {l}: ")).unwrap_or_default();
            out.push(Err(RawError {
                message: format!(
                    "error converting YAML to JSON: yaml: {location}{}",
                    p.problem
                ),
                line: doc_line(p.line),
                column: p.column,
            }));
            return out;
        }
        match tree::build(chunk.text, chunk.first_line) {
            Ok(tree) => out.push(Ok(RawDocument {
                tree,
                first_line: chunk.first_line,
            })),
            Err(e) => {
                let prefix = if e.yaml_prefix { "yaml: " } else { "" };
                out.push(Err(RawError {
                    message: format!("error converting YAML to JSON: {prefix}{}", e.message),
                    line: doc_line(e.line),
                    column: 1,
                }));
                return out;
            }
        }
    }
    out
}

fn json_documents(text: &str) -> Vec<Result<RawDocument, RawError>> {
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let start = stream.byte_offset();
        match stream.next() {
            None => return out,
            Some(Err(e)) => {
                out.push(Err(RawError {
                    message: format!("json: {}", strip_serde_position(&e.to_string())),
                    line: e.line(),
                    column: e.column(),
                }));
                return out;
            }
            Some(Ok(value)) => {
                let end = stream.byte_offset();
                let slice = &text[start..end];
                let skipped = slice.len() - slice.trim_start().len();
                let first_line = 1 + text[..start + skipped].matches('\n').count();
                // JSON is YAML; the YAML builder gives positions. If it cannot read this JSON,
                // keep serde_json's value without positions.
                let tree = match tree::build(slice.trim_start(), first_line) {
                    Ok(tree) if tree.value == value => tree,
                    _ => tree::Tree {
                        value,
                        source_map: SourceMap::default(),
                        duplicates: vec![],
                    },
                };
                out.push(Ok(RawDocument { tree, first_line }));
            }
        }
    }
}

fn strip_serde_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Runs the Kubernetes checks on one document, pushing results; returns whether to stop.
fn process(
    raw: RawDocument,
    source_name: &str,
    index: usize,
    out: &mut Vec<Result<Decoded, DecodeError>>,
) -> bool {
    let RawDocument { tree, first_line } = raw;
    let is_list = tree
        .value
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && tree.value.get("items").is_some_and(Value::is_array);
    if is_list {
        if tree
            .value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            out.push(Err(DecodeError::Validation {
                source_name: source_name.to_string(),
                document_index: index,
                line: first_line,
                message: "apiVersion not set".into(),
            }));
            return true;
        }
        let items = match tree.value.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        for (i, item) in items.into_iter().enumerate() {
            let prefix = format!("items[{i}]");
            let item_tree = tree::Tree {
                value: item,
                source_map: sub_map(&tree.source_map, &prefix),
                duplicates: tree
                    .duplicates
                    .iter()
                    .filter_map(|d| {
                        let rest = d.path.strip_prefix(&prefix)?.strip_prefix('.')?;
                        Some(DuplicateKey {
                            path: rest.to_string(),
                            ..d.clone()
                        })
                    })
                    .collect(),
            };
            let line = item_tree.source_map.get("").map_or(first_line, |p| p.line);
            if process_object(item_tree, line, source_name, index, out) {
                return true;
            }
        }
        return false;
    }
    process_object(tree, first_line, source_name, index, out)
}

fn process_object(
    tree: tree::Tree,
    first_line: usize,
    source_name: &str,
    index: usize,
    out: &mut Vec<Result<Decoded, DecodeError>>,
) -> bool {
    let tree::Tree {
        value,
        source_map,
        duplicates,
    } = tree;
    let line_of = |path: &str| source_map.nearest(path).map_or(first_line, |p| p.line);
    let info = match type_meta(&value) {
        Ok(info) => info,
        Err(ObjectError::MissingTypeMeta { missing }) => {
            out.push(Err(DecodeError::Validation {
                source_name: source_name.to_string(),
                document_index: index,
                line: first_line,
                message: aggregate(&missing),
            }));
            return true;
        }
        Err(ObjectError::NoMatch { kind, api_version }) => {
            let meta_str = |field: &str| {
                value
                    .get("metadata")
                    .and_then(|m| m.get(field))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            out.push(Err(DecodeError::NoMatch {
                source_name: source_name.to_string(),
                document_index: index,
                line: line_of("kind"),
                name: meta_str("name"),
                namespace: meta_str("namespace"),
                kind,
                api_version,
            }));
            return false;
        }
        Err(other) => {
            out.push(Err(DecodeError::Validation {
                source_name: source_name.to_string(),
                document_index: index,
                line: first_line,
                message: other.to_string(),
            }));
            return true;
        }
    };
    let size = serde_json::to_vec(&value)
        .map(|v| v.len())
        .unwrap_or(usize::MAX);
    if size > MAX_REQUEST_BYTES {
        out.push(Err(DecodeError::TooLarge {
            source_name: source_name.to_string(),
            document_index: index,
            line: first_line,
        }));
        return false;
    }
    let object = match Object::from_value(value.clone()) {
        Ok(object) => object,
        Err(ObjectError::Type {
            kind,
            version,
            message,
            path,
        }) => {
            out.push(Err(DecodeError::Type {
                source_name: source_name.to_string(),
                document_index: index,
                line: line_of(&path),
                kind,
                version,
                message,
                path,
            }));
            return false;
        }
        Err(other) => {
            // type_meta succeeded, so only type errors remain; keep a readable fallback.
            out.push(Err(DecodeError::Validation {
                source_name: source_name.to_string(),
                document_index: index,
                line: first_line,
                message: other.to_string(),
            }));
            return true;
        }
    };
    let unknown = strict::unknown_fields(&value, &object.to_value());
    if !unknown.is_empty() {
        let field_lines: Vec<usize> = unknown
            .iter()
            .map(|f| source_map.get(f).map_or(0, |p| p.line))
            .collect();
        out.push(Err(DecodeError::Strict {
            source_name: source_name.to_string(),
            document_index: index,
            // The first of the fields in the file, wherever the message lists it.
            line: field_lines
                .iter()
                .copied()
                .filter(|l| *l > 0)
                .min()
                .unwrap_or(first_line),
            kind: info.kind.to_string(),
            version: info.version.to_string(),
            fields: unknown,
            field_lines,
        }));
        return false;
    }
    out.push(Ok(Decoded {
        object,
        value,
        document_index: index,
        line: first_line,
        source_map,
        duplicates,
    }));
    false
}

/// The entries under `prefix`, re-rooted.
fn sub_map(map: &SourceMap, prefix: &str) -> SourceMap {
    let mut out = SourceMap::default();
    for (path, pos) in map.iter() {
        if path == prefix {
            out.insert(String::new(), pos);
        } else if let Some(rest) = path.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) {
            out.insert(rest.to_string(), pos);
        }
    }
    out
}

#[cfg(test)]
mod tests;
