//! Builds the JSON value of one YAML document from parser events, recording positions.
//!
//! Scalars resolve as go-yaml v2 resolves them when decoding into `interface{}` (what
//! sigs.k8s.io/yaml `YAMLToJSON` does for kubectl): YAML 1.1 booleans (`yes`, `on`, `y`),
//! `0644` as octal, `0x1F`, `1_000`, whole floats written as integers, and timestamps kept as
//! strings. Duplicate keys keep the last value, as go-yaml's non-strict decoding does, and are
//! returned so callers can warn or reject. Alias expansion is bounded.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::source_map::{self, Position, SourceMap};

/// A key written twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Field path of the key, e.g. `spec.replicas`.
    pub path: String,
    /// The key as written.
    pub key: String,
    /// File line of the repeated key.
    pub line: usize,
    /// File line where the key was first written.
    pub first_line: usize,
}

/// The document's value with its positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// The document as JSON; `Null` for an empty document.
    pub value: Value,
    /// Positions of every field path.
    pub source_map: SourceMap,
    /// Keys written twice, in document order.
    pub duplicates: Vec<DuplicateKey>,
}

/// Why a document could not become JSON after libyaml accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    /// Message in go-yaml/sigs.k8s.io/yaml words, without the `yaml: ` prefix.
    pub message: String,
    /// Whether sigs.k8s.io/yaml prefixes it with `yaml: ` (false for JSON marshal errors).
    pub yaml_prefix: bool,
    /// 1-based line within the document.
    pub line: usize,
}

/// Parses the first document of `text`; positions are shifted by `first_line - 1`.
///
/// # Errors
/// A `TreeError` for invalid map keys, excessive aliasing, nesting too deep, non-finite floats
/// or a parser error libyaml did not report.
pub fn build(text: &str, first_line: usize) -> Result<Tree, TreeError> {
    let mut text = std::borrow::Cow::Borrowed(text);
    let mut fixes = 0;
    loop {
        let mut builder = Builder {
            parser: Parser::new_from_str(&text),
            line_offset: first_line.saturating_sub(1),
            source_map: SourceMap::default(),
            duplicates: Vec::new(),
            anchors: Vec::new(),
            alias_budget: ALIAS_BUDGET,
            underindented_quote: None,
        };
        let result = builder.document();
        let quote = builder.underindented_quote;
        drop(builder);
        match (result, quote) {
            (Err(e), Some((line, col))) if fixes < 64 && col > 0 => {
                match indent_quoted_lines(&text, line, col) {
                    Some(fixed) => text = std::borrow::Cow::Owned(fixed),
                    None => return Err(e),
                }
                fixes += 1;
            }
            (result, _) => return result,
        }
    }
}

/// yaml-rust2's problem for a quoted scalar whose continuation lines sit left of the block's
/// indentation; libyaml (so go-yaml, so kubectl) has no such rule and folds those lines.
const UNDERINDENTED_QUOTE: &str = "invalid indentation in quoted scalar";

/// Indents the continuation lines of the quoted scalar that opens at `line` (1-based) and
/// `col` (0-based) by `col` spaces. Folding drops a continuation line's leading blanks, so the
/// value is unchanged, and yaml-rust2 then accepts what libyaml accepted. None when no quote
/// opens there or it has no continuation line (nothing to fix).
fn indent_quoted_lines(text: &str, line: usize, col: usize) -> Option<String> {
    let start = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>();
    let open = start + text[start..].char_indices().nth(col)?.0;
    let quote = text[open..].chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..=open]);
    let mut chars = text[open + 1..].char_indices().peekable();
    let mut indented = false;
    while let Some((i, c)) = chars.next() {
        out.push(c);
        match c {
            '\\' if quote == '"' => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                    if n == '\n' {
                        out.push_str(&" ".repeat(col));
                        indented = true;
                    }
                }
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
                out.push('\'');
            }
            c if c == quote => {
                out.push_str(&text[open + 1 + i + c.len_utf8()..]);
                return indented.then_some(out);
            }
            '\n' => {
                out.push_str(&" ".repeat(col));
                indented = true;
            }
            _ => {}
        }
    }
    None
}

/// The most JSON bytes (estimated) that alias expansion may add to one document. A legitimate
/// manifest reuses small anchors a handful of times; a "billion laughs" document exceeds this
/// within a few levels.
const ALIAS_BUDGET: usize = 4 << 20;

/// Deeper nesting than this is rejected rather than recursed into.
const MAX_DEPTH: usize = 256;

struct Builder<'a> {
    parser: Parser<std::str::Chars<'a>>,
    line_offset: usize,
    source_map: SourceMap,
    duplicates: Vec<DuplicateKey>,
    anchors: Vec<(usize, Value)>,
    alias_budget: usize,
    /// Where a quoted scalar yaml-rust2 found under-indented opens (line, column).
    underindented_quote: Option<(usize, usize)>,
}

impl Builder<'_> {
    fn document(&mut self) -> Result<Tree, TreeError> {
        loop {
            let (event, mark) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
                Event::StreamEnd | Event::DocumentEnd => {
                    return Ok(self.finish(Value::Null));
                }
                other => {
                    let value = self.node(other, mark, "", 0)?;
                    return Ok(self.finish(value));
                }
            }
        }
    }

    fn finish(&mut self, value: Value) -> Tree {
        Tree {
            value,
            source_map: std::mem::take(&mut self.source_map),
            duplicates: std::mem::take(&mut self.duplicates),
        }
    }

    fn next(&mut self) -> Result<(Event, Marker), TreeError> {
        self.parser.next_token().map_err(|e| {
            if e.info() == UNDERINDENTED_QUOTE {
                self.underindented_quote = Some((e.marker().line(), e.marker().col()));
            }
            TreeError {
                message: format!("line {}: {}", e.marker().line(), e.info()),
                yaml_prefix: true,
                line: e.marker().line(),
            }
        })
    }

    fn position(&self, mark: Marker) -> Position {
        // yaml-rust2 columns count from 0.
        Position {
            line: mark.line() + self.line_offset,
            column: mark.col() + 1,
        }
    }

    fn node(
        &mut self,
        event: Event,
        mark: Marker,
        path: &str,
        depth: usize,
    ) -> Result<Value, TreeError> {
        if depth > MAX_DEPTH {
            return Err(TreeError {
                message: "exceeded max depth of 10000".into(),
                yaml_prefix: true,
                line: mark.line(),
            });
        }
        // A block mapping's start marker points at its first `:`; `mapping` records the first
        // key's position instead.
        if !matches!(event, Event::MappingStart(..)) {
            self.source_map
                .insert(path.to_string(), self.position(mark));
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value =
                    resolve_scalar(&text, style, tag.as_ref()).map_err(|message| TreeError {
                        message,
                        yaml_prefix: false,
                        line: mark.line(),
                    })?;
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                loop {
                    let (event, mark) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    let item_path = source_map::index(path, items.len());
                    items.push(self.node(event, mark, &item_path, depth + 1)?);
                }
                let value = Value::Array(items);
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::MappingStart(anchor, _) => {
                let value = Value::Object(self.mapping(path, mark, depth)?);
                self.remember(anchor, &value);
                Ok(value)
            }
            Event::Alias(id) => self.alias(id, mark),
            _ => Err(TreeError {
                message: "did not find expected node content".into(),
                yaml_prefix: true,
                line: mark.line(),
            }),
        }
    }

    fn mapping(
        &mut self,
        path: &str,
        start: Marker,
        depth: usize,
    ) -> Result<Map<String, Value>, TreeError> {
        let mut map = Map::new();
        let mut first_key = true;
        let mut first_lines: Vec<(String, usize)> = Vec::new();
        let mut merges: Vec<Value> = Vec::new();
        loop {
            let (key_event, key_mark) = self.next()?;
            if matches!(key_event, Event::MappingEnd) {
                break;
            }
            let key_line = key_mark.line() + self.line_offset;
            if first_key {
                self.source_map
                    .insert(path.to_string(), self.position(key_mark));
                first_key = false;
            }
            let key_is_merge =
                matches!(&key_event, Event::Scalar(k, TScalarStyle::Plain, _, None) if k == "<<");
            // Keys are decoded without recording positions: they are not fields.
            let key_value = self.key(key_event, key_mark, depth)?;
            let (value_event, value_mark) = self.next()?;
            if key_is_merge {
                let merged = self.node(value_event, value_mark, path, depth + 1)?;
                merges.push(merged);
                continue;
            }
            let key = key_string(&key_value).map_err(|message| TreeError {
                message,
                yaml_prefix: true,
                line: key_mark.line(),
            })?;
            let field_path = source_map::child(path, &key);
            if let Some((_, first)) = first_lines.iter().find(|(k, _)| *k == key) {
                self.duplicates.push(DuplicateKey {
                    path: field_path.clone(),
                    key: key.clone(),
                    line: key_line,
                    first_line: *first,
                });
            } else {
                first_lines.push((key.clone(), key_line));
            }
            self.source_map
                .insert(field_path.clone(), self.position(key_mark));
            let value = self.node(value_event, value_mark, &field_path, depth + 1)?;
            map.insert(key, value);
        }
        if first_key {
            self.source_map
                .insert(path.to_string(), self.position(start));
        }
        // `<<` merges fill in keys the mapping does not set itself; earlier merge sources win.
        for merged in merges {
            let sources = match merged {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(fields) = source {
                    for (k, v) in fields {
                        map.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(map)
    }

    fn key(&mut self, event: Event, mark: Marker, depth: usize) -> Result<Value, TreeError> {
        // Decode into a throwaway source map so keys leave no entries.
        let saved = std::mem::take(&mut self.source_map);
        let result = self.node(event, mark, "", depth + 1);
        self.source_map = saved;
        result
    }

    fn remember(&mut self, anchor: usize, value: &Value) {
        if anchor != 0 {
            self.anchors.retain(|(id, _)| *id != anchor);
            self.anchors.push((anchor, value.clone()));
        }
    }

    fn alias(&mut self, id: usize, mark: Marker) -> Result<Value, TreeError> {
        let Some((_, value)) = self.anchors.iter().find(|(a, _)| *a == id) else {
            return Err(TreeError {
                message: "unknown anchor referenced".into(),
                yaml_prefix: true,
                line: mark.line(),
            });
        };
        let cost = estimated_size(value);
        if cost > self.alias_budget {
            return Err(TreeError {
                message: "document contains excessive aliasing".into(),
                yaml_prefix: true,
                line: mark.line(),
            });
        }
        self.alias_budget -= cost;
        Ok(value.clone())
    }
}

/// Resolves a scalar as go-yaml v2 does for `interface{}` targets.
///
/// # Errors
/// sigs.k8s.io/yaml's JSON marshal error for infinities and NaN.
pub fn resolve_scalar(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
            match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => return Ok(Value::String(text.to_string())),
                _ => return resolve_plain(text),
            }
        }
        // Local tags (`!foo`) leave the value as a string, as go-yaml does for unknown tags.
        return Ok(Value::String(text.to_string()));
    }
    match style {
        TScalarStyle::Plain => resolve_plain(text),
        _ => Ok(Value::String(text.to_string())),
    }
}

fn resolve_plain(text: &str) -> Result<Value, String> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Ok(Value::Bool(true));
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Ok(Value::Bool(false));
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Err("json: unsupported value: +Inf".into());
        }
        "-.inf" | "-.Inf" | "-.INF" => return Err("json: unsupported value: -Inf".into()),
        ".nan" | ".NaN" | ".NAN" => return Err("json: unsupported value: NaN".into()),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return Ok(Value::String(text.to_string()));
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Ok(Value::Number(Number::from(i)));
    }
    if let Some(u) = parse_go_uint(&plain) {
        return Ok(Value::Number(Number::from(u)));
    }
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return Ok(float_value(f));
    }
    Ok(Value::String(text.to_string()))
}

/// Go marshals whole floats without a fraction (`1.0` → `1`), so JSON sees an integer.
fn float_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        // The range check makes the cast exact.
        return Value::Number(Number::from(f as i64));
    }
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0` (octal),
/// or decimal.
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_magnitude(digits)?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with('-') || s.starts_with('+') {
        return None;
    }
    parse_go_magnitude(s)
}

fn parse_go_magnitude(digits: &str) -> Option<u64> {
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(body, radix).ok()
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Turns a decoded key into the JSON key sigs.k8s.io/yaml would use.
fn key_string(key: &Value) -> Result<String, String> {
    match key {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok("null".to_string()),
        other => Err(format!("invalid map key: {}", go_syntax(other))),
    }
}

/// Go's `%#v` of a value decoded into `interface{}` by go-yaml, for `invalid map key` errors
/// (the usual cause is an unrendered template such as `{{ .Values.x }}`).
fn go_syntax(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => format!(
            "[]interface {{}}{{{}}}",
            items.iter().map(go_syntax).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k:?}:{}", go_syntax(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Rough JSON size of a value, for the alias budget.
fn estimated_size(v: &Value) -> usize {
    match v {
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
        Value::String(s) => s.len() + 2,
        Value::Array(items) => 2 + items.iter().map(estimated_size).sum::<usize>(),
        Value::Object(map) => {
            2 + map
                .iter()
                .map(|(k, v)| k.len() + 4 + estimated_size(v))
                .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_scalars_may_continue_left_of_the_block_indentation_as_in_libyaml() {
        // Catalog A E-A60's pod-lifecycle.yaml: the command's second line starts in column 1.
        let text = "spec:\n  containers:\n  - command: ['sh', '-c', 'echo START;\nsleep 10; echo END;']\n    name: main\n";
        let tree = super::build(text, 1).expect("libyaml accepts this document");
        assert_eq!(
            tree.value["spec"]["containers"][0]["command"][2],
            "echo START; sleep 10; echo END;"
        );
        assert_eq!(tree.value["spec"]["containers"][0]["name"], "main");
        let double = "a:\n  b: \"x\ny \\\"z\"\n";
        assert_eq!(super::build(double, 1).unwrap().value["a"]["b"], "x y \"z");
    }

    use super::*;
    use serde_json::json;

    fn check(input: &str, want: Value) {
        let tree = build(input, 1).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        assert_eq!(tree.value, want, "input {input:?}");
    }

    #[test]
    fn resolves_scalars_like_go_yaml_v2() {
        struct Case {
            name: &'static str,
            input: &'static str,
            want: Value,
        }
        let cases = [
            Case {
                name: "int",
                input: "v: 80",
                want: json!({"v": 80}),
            },
            Case {
                name: "octal mode",
                input: "v: 0644",
                want: json!({"v": 420}),
            },
            Case {
                name: "hex",
                input: "v: 0x1F",
                want: json!({"v": 31}),
            },
            Case {
                name: "underscores",
                input: "v: 1_000",
                want: json!({"v": 1000}),
            },
            Case {
                name: "08 is a float",
                input: "v: 08",
                want: json!({"v": 8}),
            },
            Case {
                name: "whole float",
                input: "v: 1.0",
                want: json!({"v": 1}),
            },
            Case {
                name: "fraction",
                input: "v: 0.5",
                want: json!({"v": 0.5}),
            },
            Case {
                name: "yes",
                input: "v: yes",
                want: json!({"v": true}),
            },
            Case {
                name: "Off",
                input: "v: Off",
                want: json!({"v": false}),
            },
            Case {
                name: "quoted yes",
                input: "v: \"yes\"",
                want: json!({"v": "yes"}),
            },
            Case {
                name: "null forms",
                input: "a: ~\nb:\nc: null",
                want: json!({"a": null, "b": null, "c": null}),
            },
            Case {
                name: "timestamp stays string",
                input: "v: 2001-12-14",
                want: json!({"v": "2001-12-14"}),
            },
            Case {
                name: "version string",
                input: "v: 1.2.3",
                want: json!({"v": "1.2.3"}),
            },
            Case {
                name: "!!str tag",
                input: "v: !!str 80",
                want: json!({"v": "80"}),
            },
            Case {
                name: "int key",
                input: "80: http",
                want: json!({"80": "http"}),
            },
            Case {
                name: "bool key",
                input: "on: 1",
                want: json!({"true": 1}),
            },
            Case {
                name: "merge",
                input: "a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3",
                want: json!({"a": {"p": 1, "q": 2}, "b": {"p": 1, "q": 3}}),
            },
            Case {
                name: "empty",
                input: "",
                want: Value::Null,
            },
            Case {
                name: "comment only",
                input: "# nothing\n",
                want: Value::Null,
            },
            Case {
                name: "json",
                input: "{\"a\": [1, \"x\", true]}",
                want: json!({"a": [1, "x", true]}),
            },
            Case {
                name: "block literal",
                input: "v: |\n  line\n",
                want: json!({"v": "line\n"}),
            },
        ];
        for case in &cases {
            let tree = build(case.input, 1).unwrap_or_else(|e| panic!("{}: {e:?}", case.name));
            assert_eq!(tree.value, case.want, "case {}", case.name);
        }
        check("a: [1, 2]", json!({"a": [1, 2]}));
    }

    #[test]
    fn records_positions_and_duplicates() {
        let input = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagee: x\n  replicas: 1\n  replicas: 2\n";
        let tree = build(input, 10).expect("tree");
        let at = |p: &str| tree.source_map.get(p).map(|p| (p.line, p.column));
        assert_eq!(at("kind"), Some((11, 1)));
        assert_eq!(at("spec.containers[0]"), Some((14, 5)));
        assert_eq!(at("spec.containers[0].imagee"), Some((15, 5)));
        assert_eq!(tree.value["spec"]["replicas"], json!(2));
        assert_eq!(
            tree.duplicates,
            vec![DuplicateKey {
                path: "spec.replicas".into(),
                key: "replicas".into(),
                line: 17,
                first_line: 16
            }]
        );
    }

    #[test]
    fn rejects_bad_documents_without_panicking() {
        struct Case {
            name: &'static str,
            input: String,
            want: &'static str,
        }
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, c) in ('b'..='j').enumerate() {
            let prev = (b'a' + i as u8) as char;
            bomb.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let cases = [
            Case {
                name: "alias bomb",
                input: bomb,
                want: "document contains excessive aliasing",
            },
            Case {
                name: "template key",
                input: "replicas: {{ .Values.replicas }}\n".into(),
                want: "invalid map key: map[interface {}]interface {}{\".Values.replicas\":interface {}(nil)}",
            },
            Case {
                name: "infinity",
                input: "v: .inf".into(),
                want: "json: unsupported value: +Inf",
            },
            // yaml-rust2's own nesting guard fires before ours.
            Case {
                name: "deep",
                input: "[".repeat(400) + &"]".repeat(400),
                want: "line 1: recursion limit exceeded",
            },
        ];
        for case in &cases {
            let got = build(&case.input, 1).map(|_| ()).unwrap_err();
            assert_eq!(got.message, case.want, "case {}", case.name);
        }
    }
}
