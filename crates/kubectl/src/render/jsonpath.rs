//! JSONPath templates as `kubectl -o jsonpath=…`, `--sort-by` and `custom-columns` use them.
//!
//! Mirrors client-go util/jsonpath (v1.34) for what people type: fields, `..` recursive
//! descent, `[n]`, `[a:b]`, `[*]`, `['key']`, unions `[a,b]`, filters `[?(@.x=="y")]`, string
//! literals `{"\n"}`, and `{range …}…{end}`. Several results of one expression are joined by
//! a blank; maps and lists print as compact JSON; missing keys print nothing (kubectl turns
//! on `AllowMissingKeys`).

use serde_json::Value;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

/// Why a template could not be parsed or run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonPathError {
    #[error("unclosed action")]
    UnclosedAction,
    #[error("unterminated array")]
    UnterminatedArray,
    #[error("unterminated filter")]
    UnterminatedFilter,
    #[error("unmatched end")]
    UnmatchedEnd,
    #[error("unclosed range")]
    UnclosedRange,
    #[error("unrecognized character in action: {0}")]
    Unrecognized(String),
    #[error("invalid array index {0}")]
    BadIndex(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Path(Path),
    Range(Path, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
struct Path {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Field(String),
    Wildcard,
    Recursive(String),
    Index(Vec<Index>),
    Filter(Filter),
}

#[derive(Debug, Clone, PartialEq)]
enum Index {
    At(i64),
    Slice(Option<i64>, Option<i64>),
    All,
    Key(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    left: Path,
    op: Option<(String, Operand)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Literal(Value),
    Path(Path),
}

impl Template {
    /// Parses a kubectl JSONPath template.
    ///
    /// # Errors
    /// `JsonPathError` for unbalanced braces, brackets, ranges or unknown characters.
    pub fn parse(text: &str) -> Result<Template, JsonPathError> {
        let mut pos = 0;
        let nodes = parse_nodes(text, &mut pos, false)?;
        Ok(Template { nodes })
    }

    /// A template from a relaxed expression as `--sort-by` and custom columns accept it:
    /// `.metadata.name` and `{.metadata.name}` mean the same.
    ///
    /// # Errors
    /// As `parse`.
    pub fn parse_relaxed(expr: &str) -> Result<Template, JsonPathError> {
        let trimmed = expr.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(trimmed);
        let inner = inner.strip_prefix('$').unwrap_or(inner);
        let inner = if inner.starts_with('.') || inner.starts_with('[') {
            inner.to_string()
        } else {
            format!(".{inner}")
        };
        Template::parse(&format!("{{{inner}}}"))
    }

    /// Runs the template against `root` and returns the printed text.
    pub fn execute(&self, root: &Value) -> String {
        let mut out = String::new();
        run_nodes(&self.nodes, root, root, &mut out);
        out
    }

    /// The values of a single-expression template (for custom columns and sorting).
    pub fn values(&self, root: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        for node in &self.nodes {
            if let Node::Path(p) = node {
                out.extend(eval(p, root, root).into_iter().cloned());
            }
        }
        out
    }
}

/// How one value prints: strings bare, maps and lists as compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn parse_nodes(text: &str, pos: &mut usize, in_range: bool) -> Result<Vec<Node>, JsonPathError> {
    let mut nodes = Vec::new();
    let mut literal = String::new();
    while *pos < text.len() {
        let rest = &text[*pos..];
        if let Some(open) = rest.find('{') {
            literal.push_str(&rest[..open]);
            let action_start = *pos + open + 1;
            let close = matching_brace(text, action_start).ok_or(JsonPathError::UnclosedAction)?;
            let action = text[action_start..close].trim();
            *pos = close + 1;
            if !literal.is_empty() {
                nodes.push(Node::Text(std::mem::take(&mut literal)));
            }
            if action == "end" {
                if in_range {
                    return Ok(nodes);
                }
                return Err(JsonPathError::UnmatchedEnd);
            }
            if let Some(path) = action.strip_prefix("range ") {
                let path = parse_path(path.trim())?;
                let body = parse_nodes(text, pos, true)?;
                nodes.push(Node::Range(path, body));
                continue;
            }
            if let Some(s) = string_literal(action) {
                nodes.push(Node::Text(s));
                continue;
            }
            nodes.push(Node::Path(parse_path(action)?));
        } else {
            literal.push_str(rest);
            *pos = text.len();
        }
    }
    if in_range {
        return Err(JsonPathError::UnclosedRange);
    }
    if !literal.is_empty() {
        nodes.push(Node::Text(literal));
    }
    Ok(nodes)
}

/// The index of the `}` closing the action starting at `start`, skipping quoted text.
fn matching_brace(text: &str, start: usize) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '}' => return Some(start + i),
                _ => {}
            },
        }
    }
    None
}

fn string_literal(action: &str) -> Option<String> {
    let inner = action.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn parse_path(text: &str) -> Result<Path, JsonPathError> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut segments = Vec::new();
    if chars.first() == Some(&'$') || chars.first() == Some(&'@') {
        i = 1;
    }
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if chars.get(i + 1) == Some(&'.') {
                    i += 2;
                    let name = take_name(&chars, &mut i);
                    segments.push(Segment::Recursive(name));
                } else {
                    i += 1;
                    if chars.get(i) == Some(&'*') {
                        i += 1;
                        segments.push(Segment::Wildcard);
                    } else {
                        let name = take_name(&chars, &mut i);
                        if !name.is_empty() {
                            segments.push(Segment::Field(name));
                        }
                    }
                }
            }
            '[' => {
                let close = bracket_end(&chars, i).ok_or(JsonPathError::UnterminatedArray)?;
                let inner: String = chars[i + 1..close].iter().collect();
                i = close + 1;
                if let Some(f) = inner.strip_prefix("?(").and_then(|s| s.strip_suffix(')')) {
                    segments.push(Segment::Filter(parse_filter(f)?));
                } else if inner.starts_with('?') {
                    return Err(JsonPathError::UnterminatedFilter);
                } else {
                    segments.push(Segment::Index(parse_indexes(&inner)?));
                }
            }
            ' ' => i += 1,
            c => {
                // A bare name at the start (`metadata.name` in a relaxed place).
                if segments.is_empty() && (c.is_alphanumeric() || c == '_') {
                    let name = take_name(&chars, &mut i);
                    segments.push(Segment::Field(name));
                } else {
                    return Err(JsonPathError::Unrecognized(format!(
                        "U+{:04X} '{c}'",
                        c as u32
                    )));
                }
            }
        }
    }
    Ok(Path { segments })
}

/// A field name; `\.` keeps a dot inside it (`kubectl\.kubernetes\.io/…`).
fn take_name(chars: &[char], i: &mut usize) -> String {
    let mut name = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == '\\' && chars.get(*i + 1) == Some(&'.') {
            name.push('.');
            *i += 2;
            continue;
        }
        if matches!(
            c,
            '.' | '[' | ']' | ' ' | '(' | ')' | '=' | '!' | '<' | '>' | ','
        ) {
            break;
        }
        name.push(c);
        *i += 1;
    }
    name
}

fn bracket_end(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_indexes(inner: &str) -> Result<Vec<Index>, JsonPathError> {
    let mut out = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        if part == "*" {
            out.push(Index::All);
        } else if let Some(k) = quoted(part) {
            out.push(Index::Key(k));
        } else if let Some((a, b)) = part.split_once(':') {
            let b = b.split(':').next().unwrap_or("");
            out.push(Index::Slice(opt_int(a)?, opt_int(b)?));
        } else {
            let n = part
                .parse::<i64>()
                .map_err(|_| JsonPathError::BadIndex(part.to_string()))?;
            out.push(Index::At(n));
        }
    }
    Ok(out)
}

fn quoted(s: &str) -> Option<String> {
    s.strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| s.strip_prefix('"').and_then(|r| r.strip_suffix('"')))
        .map(str::to_string)
}

fn opt_int(s: &str) -> Result<Option<i64>, JsonPathError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(Some)
        .map_err(|_| JsonPathError::BadIndex(s.to_string()))
}

fn parse_filter(text: &str) -> Result<Filter, JsonPathError> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((l, r)) = text.split_once(op) {
            let left = parse_path(l.trim())?;
            let r = r.trim();
            let operand = if let Some(s) = quoted(r) {
                Operand::Literal(Value::String(s))
            } else if let Ok(n) = r.parse::<f64>() {
                Operand::Literal(serde_json::json!(n))
            } else if r == "true" || r == "false" {
                Operand::Literal(Value::Bool(r == "true"))
            } else {
                Operand::Path(parse_path(r)?)
            };
            return Ok(Filter {
                left,
                op: Some((op.to_string(), operand)),
            });
        }
    }
    Ok(Filter {
        left: parse_path(text.trim())?,
        op: None,
    })
}

fn run_nodes(nodes: &[Node], root: &Value, current: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Path(p) => {
                let values = eval(p, root, current);
                let texts: Vec<String> = values.into_iter().map(value_text).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(p, body) => {
                for v in eval(p, root, current) {
                    run_nodes(body, root, v, out);
                }
            }
        }
    }
}

fn eval<'a>(path: &Path, _root: &'a Value, current: &'a Value) -> Vec<&'a Value> {
    let mut values = vec![current];
    for seg in &path.segments {
        let mut next = Vec::new();
        for v in values {
            apply(seg, v, &mut next);
        }
        values = next;
    }
    values
}

fn apply<'a>(seg: &Segment, v: &'a Value, out: &mut Vec<&'a Value>) {
    match seg {
        Segment::Field(name) => {
            if let Some(x) = v.get(name) {
                out.push(x);
            }
        }
        Segment::Wildcard => match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                machinery::sort::sort(&mut keys);
                out.extend(keys.into_iter().map(|k| &m[k]));
            }
            Value::Array(a) => out.extend(a.iter()),
            _ => {}
        },
        Segment::Recursive(name) => recurse(name, v, out),
        Segment::Index(indexes) => {
            for idx in indexes {
                match (idx, v) {
                    (Index::All, Value::Array(a)) => out.extend(a.iter()),
                    (Index::All, Value::Object(m)) => out.extend(m.values()),
                    (Index::Key(k), Value::Object(m)) => out.extend(m.get(k)),
                    (Index::At(n), Value::Array(a)) => {
                        let len = a.len() as i64;
                        let i = if *n < 0 { len + n } else { *n };
                        if (0..len).contains(&i) {
                            out.push(&a[i as usize]);
                        }
                    }
                    (Index::Slice(s, e), Value::Array(a)) => {
                        let len = a.len() as i64;
                        let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                        let s = norm(s.unwrap_or(0));
                        let e = norm(e.unwrap_or(len));
                        if s < e {
                            out.extend(a[s as usize..e as usize].iter());
                        }
                    }
                    _ => {}
                }
            }
        }
        Segment::Filter(f) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                _ => vec![v],
            };
            for item in items {
                if filter_matches(f, item) {
                    out.push(item);
                }
            }
        }
    }
}

fn recurse<'a>(name: &str, v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if let Some(x) = m.get(name) {
                out.push(x);
            }
            let mut keys: Vec<&String> = m.keys().collect();
            machinery::sort::sort(&mut keys);
            for k in keys {
                recurse(name, &m[k], out);
            }
        }
        Value::Array(a) => {
            for x in a {
                recurse(name, x, out);
            }
        }
        _ => {}
    }
}

fn filter_matches(f: &Filter, item: &Value) -> bool {
    let left = eval(&f.left, item, item);
    let Some((op, operand)) = &f.op else {
        return !left.is_empty();
    };
    let right: Vec<Value> = match operand {
        Operand::Literal(v) => vec![v.clone()],
        Operand::Path(p) => eval(p, item, item).into_iter().cloned().collect(),
    };
    left.iter().any(|l| right.iter().any(|r| compare(l, op, r)))
}

fn compare(l: &Value, op: &str, r: &Value) -> bool {
    if let (Some(a), Some(b)) = (l.as_f64(), r.as_f64()) {
        return match op {
            "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            "<=" => a <= b,
            ">=" => a >= b,
            _ => false,
        };
    }
    let a = value_text(l);
    let b = value_text(r);
    match op {
        "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        "<=" => a <= b,
        ">=" => a >= b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(tpl: &str, want: &str) {
        let data = json!({
            "kind": "List",
            "items": [
                {"metadata": {"name": "a", "labels": {"app": "web"}}, "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]},
                 "status": {"conditions": [{"type": "Ready", "status": "True"}], "podIP": "10.0.0.1"}},
                {"metadata": {"name": "b"}, "spec": {"containers": [{"image": "redis"}], "replicas": 3},
                 "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
            ]
        });
        let t = Template::parse(tpl).unwrap_or_else(|e| panic!("{tpl}: {e}"));
        assert_eq!(t.execute(&data), want, "template {tpl}");
    }

    #[test]
    fn templates() {
        check("{.items[*].metadata.name}", "a b");
        check("{.items[0].metadata.labels}", "{\"app\":\"web\"}");
        check("{.items[-1].metadata.name}", "b");
        check("{.items[0].spec.containers[*].image}", "nginx busybox");
        check(
            "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}",
            "a\t10.0.0.1\nb\t\n",
        );
        check("{.items[?(@.metadata.name==\"b\")].spec.replicas}", "3");
        check(
            "{.items[*].status.conditions[?(@.type=='Ready')].status}",
            "True False",
        );
        check("{..image}", "nginx busybox redis");
        check("{.kind} has {.items[1:].metadata.name}", "List has b");
        check("{.missing.field}", "");
        check("{.items[0].metadata['name']}", "a");
        let t = Template::parse(r"{.a\.b}").expect("parse");
        assert_eq!(t.execute(&json!({"a.b": 1})), "1");
    }

    #[test]
    fn errors() {
        assert_eq!(
            Template::parse("{.a").unwrap_err(),
            JsonPathError::UnclosedAction
        );
        assert_eq!(
            Template::parse("{range .a}x").unwrap_err(),
            JsonPathError::UnclosedRange
        );
        assert_eq!(
            Template::parse("{.a[0}").unwrap_err(),
            JsonPathError::UnterminatedArray
        );
    }

    #[test]
    fn relaxed() {
        let t = Template::parse_relaxed(".metadata.name").expect("parse");
        assert_eq!(
            t.values(&json!({"metadata": {"name": "x"}})),
            vec![json!("x")]
        );
        let t = Template::parse_relaxed("{.spec.replicas}").expect("parse");
        assert_eq!(t.values(&json!({"spec": {"replicas": 2}})), vec![json!(2)]);
    }
}
