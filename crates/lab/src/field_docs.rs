//! Field documentation for the editor: which fields fit at the cursor of a YAML manifest, and
//! what the field under the cursor is (its type, description and `kubectl explain` path).
//!
//! The answers come from `api::schema`, the same JSON schemas (generated from the
//! k8s-openapi types) that `kubectl explain` prints, so the editor and the terminal never
//! disagree. The cursor's path is read from the indentation of block-style YAML, and inside a
//! flow collection (`{name: web, image: nginx}`) from its keys (`flow`); the inside of block
//! scalars (`|`) gets no suggestions.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use api::schema;
use serde_json::Value;

/// For the page, whose wasm does not embed the API's descriptions (see `api::schema`).
pub use api::schema::{DescriptionsError, install_descriptions};

mod flow;

/// One field as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDoc {
    pub name: String,
    /// kubectl explain's type hint: `string`, `[]Container`, `map[string]string`, `PodSpec`.
    pub type_name: String,
    pub required: bool,
    /// The API's description (empty when the schema has none).
    pub description: String,
    /// A scalar (`string`, `integer`, `boolean`, `Quantity`…), written on the key's own line.
    pub scalar: bool,
}

/// The field under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldAt {
    pub doc: FieldDoc,
    /// The argument `kubectl explain` takes for it: `pod.spec.containers.image`.
    pub explain: String,
}

/// The fields that fit at the cursor, and how a key is written there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    pub fields: Vec<FieldDoc>,
    /// The cursor is inside a flow collection (`{…}`), where every value follows its key on
    /// the same line.
    pub in_flow: bool,
}

/// The fields that may be written at the cursor (1-based line and column): the properties of
/// the mapping the cursor's indentation (or the flow collection around it) puts it in, for the
/// document's apiVersion and kind. Empty when the kind is unknown or the path leads nowhere.
pub fn completions(text: &str, line: usize, column: usize) -> Completions {
    let lines: Vec<&str> = text.lines().collect();
    let Some(doc) = Document::around(&lines, line) else {
        return Completions::default();
    };
    // The line after a final newline is not in `lines()`; it is empty.
    let current = lines.get(line - 1).copied().unwrap_or("");
    let before: String = current.chars().take(column.saturating_sub(1)).collect();
    let above = &lines[doc.start..line - 1];
    if let Some(at) = flow::at_cursor(above, &before) {
        let Some(keys) = at.keys else {
            return Completions { fields: Vec::new(), in_flow: true };
        };
        let mut path = owner_path(&above[..at.anchor_line.min(above.len())], &at.anchor_prefix);
        path.extend(keys);
        return Completions { fields: doc.fields(&path), in_flow: true };
    }
    // Only a key is completed: the text before the cursor is indentation, list dashes and
    // at most a partial key.
    let Some(indent) = key_start(&before) else {
        return Completions::default();
    };
    let path = parent_path(above, indent);
    Completions { fields: doc.fields(&path), in_flow: false }
}

/// The values an enum field takes (`Always`, `IfNotPresent`, `Never`), offered where the
/// cursor is in the value after its key on a block line (`imagePullPolicy: If`), in the
/// schema's order. Empty anywhere else and for fields that are not enums.
pub fn value_completions(text: &str, line: usize, column: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(doc) = Document::around(&lines, line) else {
        return Vec::new();
    };
    let Some((root, _)) = doc.schema.as_ref() else {
        return Vec::new();
    };
    let current = lines.get(line - 1).copied().unwrap_or("");
    let before: String = current.chars().take(column.saturating_sub(1)).collect();
    let Some((indent, key)) = key_of(&before) else {
        return Vec::new();
    };
    // Between the colon and the cursor: a space, then at most a partial plain scalar.
    let typed = before.split_once(':').map_or("", |(_, v)| v);
    let partial_value = typed.strip_prefix(' ').is_some_and(|v| {
        v.trim_start()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+'))
    });
    if !partial_value {
        return Vec::new();
    }
    let mut path = parent_path(&lines[doc.start..line - 1], indent);
    path.push(key.to_string());
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    schema::field(root, root, &path)
        .and_then(|f| f.get("enum"))
        .and_then(Value::as_array)
        .map(|values| {
            values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| if v.is_empty() { "\"\"".to_string() } else { v.to_string() })
                .collect()
        })
        .unwrap_or_default()
}

/// The field whose key is on the cursor's line (or the mapping the cursor is in, on a line
/// without a key), with its `kubectl explain` path. None outside a known kind.
pub fn field_at(text: &str, line: usize, column: usize) -> Option<FieldAt> {
    let lines: Vec<&str> = text.lines().collect();
    let doc = Document::around(&lines, line)?;
    let current = lines.get(line - 1).copied().unwrap_or("");
    let above = &lines[doc.start..line - 1];
    let mut path = match flow_field(above, current, column) {
        Some(path) => path,
        None => block_field(above, current, column),
    };
    let (root, resource) = doc.schema.as_ref()?;
    let at = schema::field(root, root, &path.iter().map(String::as_str).collect::<Vec<_>>())?;
    let doc_field = match path.last() {
        Some(name) => {
            let parent = &path[..path.len() - 1];
            let parent_schema =
                schema::field(root, root, &parent.iter().map(String::as_str).collect::<Vec<_>>())?;
            describe(root, parent_schema, name, at)
        }
        None => describe(root, root, resource, root),
    };
    path.insert(0, resource.clone());
    Some(FieldAt { doc: doc_field, explain: path.join(".") })
}

/// The path of the field a block line names: its key, or on a line without one the mapping
/// the cursor's column puts it in.
fn block_field(above: &[&str], current: &str, column: usize) -> Vec<String> {
    match key_of(current) {
        Some((indent, key)) => {
            let mut path = parent_path(above, indent);
            path.push(key.to_string());
            path
        }
        None => {
            let before: String = current.chars().take(column.saturating_sub(1)).collect();
            parent_path(above, key_start(&before).unwrap_or(0))
        }
    }
}

/// The path of the field at the cursor inside a flow collection (`{name: web, ports: [...]}`):
/// the key under the cursor, or the key whose value the cursor is on. None outside flow
/// collections, where the line's block key decides.
fn flow_field(above: &[&str], current: &str, column: usize) -> Option<Vec<String>> {
    let chars: Vec<char> = current.chars().collect();
    let word = word_at(&chars, column.saturating_sub(1));
    let (before_end, key) = match word {
        Some((start, end)) => {
            // A quoted key (`"kind":`, as JSON writes it) starts at its quote.
            let quote = start.checked_sub(1).map(|i| chars[i]).filter(|c| matches!(c, '"' | '\''));
            let after_quote = if quote.is_some() && chars.get(end) == quote.as_ref() { end + 1 } else { end };
            let rest: String = chars[after_quote..].iter().collect();
            let colon = rest.trim_start_matches(' ').strip_prefix(':');
            let is_key = colon.is_some_and(|after| {
                quote.is_some() || after.chars().next().is_none_or(|n| n.is_whitespace() || ",[]{}".contains(n))
            });
            let word: String = chars[start..end].iter().collect();
            (start - usize::from(quote.is_some()), is_key.then_some(word))
        }
        None => (column.saturating_sub(1).min(chars.len()), None),
    };
    let before: String = chars[..before_end].iter().collect();
    let at = flow::field_at(above, &before, key.as_deref())?;
    let mut path = owner_path(&above[..at.anchor_line.min(above.len())], &at.anchor_prefix);
    path.extend(at.keys);
    Some(path)
}

/// The word (key or plain scalar) at a 0-based char column, or the one just before it, as
/// Monaco finds the word at a cursor: its char range.
fn word_at(chars: &[char], column: usize) -> Option<(usize, usize)> {
    let is_word = |c: &char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    let inside = chars.get(column).is_some_and(is_word);
    let after = column > 0 && chars.get(column - 1).is_some_and(is_word);
    if !inside && !after {
        return None;
    }
    let mut start = if inside { column } else { column - 1 };
    while start > 0 && is_word(&chars[start - 1]) {
        start -= 1;
    }
    let mut end = start;
    while end < chars.len() && is_word(&chars[end]) {
        end += 1;
    }
    Some((start, end))
}

/// One `---`-separated document of the text, with the schema its apiVersion and kind name.
struct Document {
    /// Index of the document's first line.
    start: usize,
    /// The kind's schema and the name kubectl explain knows it by (`deployment`).
    schema: Option<(Rc<Value>, String)>,
}

impl Document {
    fn around(lines: &[&str], line: usize) -> Option<Document> {
        if line == 0 || line > lines.len() + 1 {
            return None;
        }
        let is_sep = |l: &&str| l.trim_end() == "---" || l.starts_with("--- ");
        let start = lines[..line - 1].iter().rposition(is_sep).map_or(0, |i| i + 1);
        let end = lines[start..].iter().position(is_sep).map_or(lines.len(), |i| start + i);
        let top = |key: &str| {
            lines[start..end].iter().find_map(|l| {
                let value = l.strip_prefix(key)?.strip_prefix(':')?;
                Some(unquote(value.split(" #").next().unwrap_or("").trim()).to_string())
            })
        };
        let (api_version, kind) = match (top("apiVersion"), top("kind")) {
            (Some(v), Some(k)) => (Some(v), Some(k)),
            // A document written as one flow mapping, as JSON is.
            _ => {
                let pairs = flow::top_scalars(&lines[start..end]);
                let find = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                (find("apiVersion"), find("kind"))
            }
        };
        let schema = match (api_version, kind) {
            (Some(v), Some(k)) => kind_schema(&v, &k),
            _ => None,
        };
        Some(Document { start, schema })
    }

    fn fields(&self, path: &[String]) -> Vec<FieldDoc> {
        let Some((root, _)) = self.schema.as_ref() else {
            return if path.is_empty() { self.top_level_only() } else { Vec::new() };
        };
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let Some(parent) = schema::field(root, root, &path) else {
            return Vec::new();
        };
        schema::properties(root, parent)
            .into_iter()
            .map(|(name, s)| describe(root, parent, name, s))
            .collect()
    }

    /// Without a known kind only `apiVersion` and `kind` can be suggested, at the top.
    fn top_level_only(&self) -> Vec<FieldDoc> {
        ["apiVersion", "kind"]
            .into_iter()
            .map(|name| FieldDoc {
                name: name.to_string(),
                type_name: "string".to_string(),
                required: true,
                description: String::new(),
                scalar: true,
            })
            .collect()
    }
}

fn describe(root: &Value, parent: &Value, name: &str, s: &Value) -> FieldDoc {
    let type_name = schema::type_name(root, s);
    let scalar = !type_name.starts_with("[]")
        && !type_name.starts_with("map[")
        && (type_name.chars().next().is_some_and(char::is_lowercase)
            || matches!(type_name.as_str(), "Quantity" | "IntOrString" | "Time" | "MicroTime"));
    FieldDoc {
        name: name.to_string(),
        type_name,
        required: schema::is_required(root, object_of(root, parent), name),
        description: schema::description(root, s).unwrap_or("").to_string(),
        scalar,
    }
}

/// The object schema whose properties a field schema lists: through refs, list items and map
/// values (where `required` is declared).
fn object_of<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    let mut s = schema::resolve(root, s);
    for _ in 0..8 {
        match s.get("items").or_else(|| s.get("additionalProperties").filter(|v| v.is_object())) {
            Some(inner) if s.get("properties").is_none() => s = schema::resolve(root, inner),
            _ => break,
        }
    }
    s
}

/// A kind's schema and the name it is explained under.
type KindSchema = (Rc<Value>, String);

thread_local! {
    /// Schemas by `apiVersion/kind`: building one walks a kind's whole type tree, so the editor
    /// asks once per kind, not on every keystroke.
    static SCHEMAS: RefCell<BTreeMap<String, Option<KindSchema>>> = RefCell::default();
}

fn kind_schema(api_version: &str, kind: &str) -> Option<(Rc<Value>, String)> {
    let key = format!("{api_version}/{kind}");
    SCHEMAS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                let info = api::by_gvk(api_version, kind)?;
                let root = schema::for_kind(info)?;
                Some((Rc::new(root), info.kind.to_lowercase()))
            })
            .clone()
    })
}

/// The column (0-based) where a key starting at the end of `before` would begin, if `before`
/// is only indentation, list dashes and a partial key.
fn key_start(before: &str) -> Option<usize> {
    let mut indent = 0;
    let mut rest = before;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        indent += rest.len() - trimmed.len();
        match trimmed.strip_prefix('-') {
            Some(after) if after.is_empty() || after.starts_with(' ') => {
                indent += 1;
                rest = after;
            }
            _ => {
                rest = trimmed;
                break;
            }
        }
    }
    let partial_key = rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    partial_key.then_some(indent)
}

/// The key on a line and its column: `  - name: web` → (4, "name").
fn key_of(line: &str) -> Option<(usize, &str)> {
    let content = line.split(" #").next().unwrap_or("");
    let trimmed = content.trim_start_matches([' ', '-']);
    if trimmed.starts_with('#') || (content.trim_start().starts_with('-') && !content.contains(':')) {
        return None;
    }
    let indent = content.len() - trimmed.len();
    let (key, _) = trimmed.split_once(':')?;
    let key = unquote(key.trim_end());
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    plain.then_some((indent, key))
}

/// The keys leading to a flow collection that starts after `prefix` on its line (a key, a list
/// dash or indentation), from the lines above that line.
fn owner_path(above: &[&str], prefix: &str) -> Vec<String> {
    match key_of(prefix) {
        Some((indent, key)) => {
            let mut path = parent_path(above, indent);
            path.push(key.to_string());
            path
        }
        None => parent_path(above, key_start(prefix).unwrap_or(0)),
    }
}

/// The keys enclosing a key at column `indent`, outermost first, from the lines above it.
fn parent_path(above: &[&str], indent: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut want = indent;
    for line in above.iter().rev() {
        if want == 0 {
            break;
        }
        if let Some((i, key)) = key_of(line)
            && i < want
        {
            path.push(key.to_string());
            want = i;
        }
    }
    path.reverse();
    path
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80
    
";

    /// The names offered at (line, column) of `text`.
    fn names(text: &str, line: usize, column: usize) -> Vec<String> {
        completions(text, line, column).fields.into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn completion_follows_the_indentation() {
        struct Case {
            name: &'static str,
            line: usize,
            column: usize,
            has: &'static [&'static str],
            lacks: &'static [&'static str],
        }
        let cases = [
            Case { name: "top level", line: 1, column: 1, has: &["apiVersion", "metadata", "spec"], lacks: &["image"] },
            Case { name: "under metadata", line: 4, column: 3, has: &["labels", "name", "namespace"], lacks: &["containers"] },
            Case { name: "under spec", line: 6, column: 3, has: &["containers", "nodeName", "volumes"], lacks: &["image"] },
            Case { name: "in a list item", line: 8, column: 5, has: &["image", "livenessProbe", "resources"], lacks: &["containers"] },
            Case { name: "after a list dash", line: 7, column: 5, has: &["image", "name"], lacks: &["spec"] },
            Case { name: "deep list item", line: 10, column: 7, has: &["containerPort", "protocol"], lacks: &["image"] },
            Case { name: "blank line in a container", line: 11, column: 5, has: &["image"], lacks: &[] },
            Case { name: "after a colon is a value", line: 8, column: 12, has: &[], lacks: &["image"] },
        ];
        for c in cases {
            let got = names(POD, c.line, c.column);
            for want in c.has {
                assert!(got.iter().any(|g| g == want), "{}: {want} missing from {got:?}", c.name);
            }
            for not in c.lacks {
                assert!(!got.iter().any(|g| g == not), "{}: {not} offered in {got:?}", c.name);
            }
        }
    }

    #[test]
    fn enum_values_are_offered_after_the_key() {
        struct Case {
            name: &'static str,
            text: &'static str,
            line: usize,
            column: usize,
            want: &'static [&'static str],
        }
        let pull = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    imagePullPolicy: If\n";
        let svc = "apiVersion: v1\nkind: Service\nspec:\n  type: \n  selector:\n    app: web\n";
        let cases = [
            Case { name: "partial value", text: pull, line: 6, column: 24, want: &["Always", "IfNotPresent", "Never"] },
            Case { name: "right after the space", text: pull, line: 6, column: 22, want: &["Always", "IfNotPresent", "Never"] },
            Case { name: "on the key", text: pull, line: 6, column: 8, want: &[] },
            Case { name: "not an enum", text: pull, line: 5, column: 11, want: &[] },
            Case { name: "service type", text: svc, line: 4, column: 9, want: &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"] },
            Case { name: "map value", text: svc, line: 6, column: 10, want: &[] },
        ];
        for case in cases {
            assert_eq!(value_completions(case.text, case.line, case.column), case.want, "{}", case.name);
        }
    }

    #[test]
    fn completions_carry_types_and_descriptions() {
        let got = completions(POD, 8, 5).fields;
        let image = got.iter().find(|f| f.name == "image").expect("image");
        assert_eq!(image.type_name, "string");
        assert!(image.scalar);
        assert!(image.description.starts_with("Container image name."), "{}", image.description);
        let name = got.iter().find(|f| f.name == "name").expect("name");
        assert!(name.required);
        let probe = got.iter().find(|f| f.name == "livenessProbe").expect("probe");
        assert_eq!(probe.type_name, "Probe");
        assert!(!probe.scalar);
    }

    #[test]
    fn each_document_has_its_own_kind() {
        let text = format!("{POD}---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  \n");
        let line = text.lines().count();
        let got = names(&text, line, 3);
        assert!(got.iter().any(|g| g == "replicas"), "{got:?}");
        assert!(!got.iter().any(|g| g == "containers"), "{got:?}");
    }

    #[test]
    fn an_unknown_kind_offers_nothing_below_the_top() {
        let text = "apiVersion: v1\nkind: Nope\nspec:\n  \n";
        assert!(names(text, 4, 3).is_empty());
        assert_eq!(names("", 1, 1), ["apiVersion", "kind"]);
    }

    #[test]
    fn completion_inside_flow_collections() {
        struct Case {
            name: &'static str,
            text: &'static str,
            has: &'static [&'static str],
            lacks: &'static [&'static str],
        }
        let cases = [
            Case { name: "container mapping in a sequence", text: "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: web, ima", has: &["image", "livenessProbe"], lacks: &["containers"] },
            Case { name: "nested mappings", text: "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    resources: {limits: {cpu: 1}, req", has: &["requests", "limits"], lacks: &["image"] },
            Case { name: "flow spec of a deployment", text: "apiVersion: apps/v1\nkind: Deployment\nspec: {repl", has: &["replicas", "selector"], lacks: &["nodeName"] },
            Case { name: "list item written in flow", text: "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: web, ", has: &["image"], lacks: &["nodeName"] },
            Case { name: "a value gets nothing", text: "apiVersion: v1\nkind: Pod\nspec: {nodeName: no", has: &[], lacks: &["nodeName"] },
            Case { name: "a JSON document", text: "{\n  \"apiVersion\": \"apps/v1\",\n  \"kind\": \"Deployment\",\n  \"spec\": {\n    rep", has: &["replicas"], lacks: &["nodeName"] },
        ];
        for c in cases {
            let line = c.text.lines().count();
            let column = c.text.lines().last().map_or(0, |l| l.chars().count()) + 1;
            let got = completions(c.text, line, column);
            assert!(got.in_flow, "{}: not seen as flow", c.name);
            let names: Vec<String> = got.fields.into_iter().map(|f| f.name).collect();
            for want in c.has {
                assert!(names.iter().any(|g| g == want), "{}: {want} missing from {names:?}", c.name);
            }
            for not in c.lacks {
                assert!(!names.iter().any(|g| g == not), "{}: {not} offered in {names:?}", c.name);
            }
        }
    }

    #[test]
    fn the_field_under_the_cursor_and_its_explain_path() {
        struct Case {
            name: &'static str,
            line: usize,
            column: usize,
            explain: &'static str,
            type_name: &'static str,
        }
        let cases = [
            Case { name: "image", line: 8, column: 6, explain: "pod.spec.containers.image", type_name: "string" },
            Case { name: "containers", line: 6, column: 4, explain: "pod.spec.containers", type_name: "[]Container" },
            Case { name: "dash line", line: 7, column: 6, explain: "pod.spec.containers.name", type_name: "string" },
            Case { name: "port", line: 10, column: 9, explain: "pod.spec.containers.ports.containerPort", type_name: "integer" },
            Case { name: "kind line", line: 2, column: 2, explain: "pod.kind", type_name: "string" },
            Case { name: "blank line", line: 11, column: 5, explain: "pod.spec.containers", type_name: "[]Container" },
        ];
        for c in cases {
            let at = field_at(POD, c.line, c.column).unwrap_or_else(|| panic!("{}: no field", c.name));
            assert_eq!(at.explain, c.explain, "{}", c.name);
            assert_eq!(at.doc.type_name, c.type_name, "{}", c.name);
        }
        assert!(field_at("apiVersion: v1\nkind: Pod\nspec:\n  nope: 1\n", 4, 3).is_none());
    }

    #[test]
    fn the_field_under_the_cursor_in_flow_style() {
        const FLOW: &str = "\
apiVersion: v1
kind: Pod
spec:
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
  volumes:
  - {name: data, emptyDir: {}}
  tolerations: [
    {key: a, operator: Exists}]
";
        const JSON: &str = "{\n  \"apiVersion\": \"apps/v1\",\n  \"kind\": \"Deployment\",\n  \"spec\": {\"replicas\": 2}\n}\n";
        struct Case {
            name: &'static str,
            text: &'static str,
            /// The line, and the text the cursor is put on (its first char, or `|` marks it).
            line: usize,
            at: &'static str,
            explain: &'static str,
        }
        let cases = [
            Case { name: "block key before the collection", text: FLOW, line: 4, at: "containers", explain: "pod.spec.containers" },
            Case { name: "key in a mapping in a sequence", text: FLOW, line: 4, at: "name", explain: "pod.spec.containers.name" },
            Case { name: "a key's end (a cursor after it)", text: FLOW, line: 4, at: "image|:", explain: "pod.spec.containers.image" },
            Case { name: "a value names its key", text: FLOW, line: 4, at: "nginx", explain: "pod.spec.containers.image" },
            Case { name: "nested key", text: FLOW, line: 4, at: "containerPort", explain: "pod.spec.containers.ports.containerPort" },
            Case { name: "nested value", text: FLOW, line: 4, at: "80", explain: "pod.spec.containers.ports.containerPort" },
            Case { name: "between keys, the mapping", text: FLOW, line: 4, at: "| image", explain: "pod.spec.containers" },
            Case { name: "after a list dash", text: FLOW, line: 6, at: "emptyDir", explain: "pod.spec.volumes.emptyDir" },
            Case { name: "over lines", text: FLOW, line: 8, at: "operator", explain: "pod.spec.tolerations.operator" },
            Case { name: "quoted JSON key", text: JSON, line: 4, at: "replicas", explain: "deployment.spec.replicas" },
            Case { name: "JSON top-level key", text: JSON, line: 3, at: "kind", explain: "deployment.kind" },
        ];
        for c in cases {
            let text = c.text.lines().nth(c.line - 1).expect("line");
            let (find, offset) = match c.at.find('|') {
                Some(bar) => (c.at.replace('|', ""), bar),
                None => (c.at.to_string(), 0),
            };
            let column = text.find(&find).unwrap_or_else(|| panic!("{}: {find} not on the line", c.name)) + offset + 1;
            let at = field_at(c.text, c.line, column).unwrap_or_else(|| panic!("{}: no field", c.name));
            assert_eq!(at.explain, c.explain, "{}", c.name);
        }
        let image = field_at(FLOW, 4, 28).expect("image");
        assert_eq!((image.doc.name.as_str(), image.doc.type_name.as_str()), ("image", "string"));
        assert!(image.doc.description.starts_with("Container image name."));
    }
}
