//! Go templates as `kubectl -o go-template=…` runs them.
//!
//! kubectl's template printer (cli-runtime pkg/printers/template.go, v1.34) marshals the
//! object to JSON and unmarshals it into `map[string]interface{}` before running Go's
//! `text/template` with `missingkey=default`: so every number is a float64 (`%d` of one
//! prints `%!d(float64=3)`), a missing key prints `<no value>`, and maps range in key order.
//! This module follows text/template for the subset people use: `{{.a.b}}`, `$` variables,
//! pipelines, parentheses, `if`/`else if`/`else`, `range` (with `$i, $e :=` and `else`),
//! `with`, comments, `{{-`/`-}}` trimming, and the functions `index`, `len`, `printf`,
//! `print`, `println`, `not`, `and`, `or`, `eq`, `ne`, `lt`, `le`, `gt`, `ge` and kubectl's
//! `base64decode`. Not modelled: `define`/`template`/`block`, `break`/`continue`, and the
//! debugging dump kubectl prints after an execution error.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct GoTemplate {
    nodes: Vec<Node>,
    source: String,
}

/// Why a template could not be parsed or run, as text/template words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoTemplateError {
    /// Mirrors `template: output:LINE: MESSAGE`.
    #[error("template: output:{line}: {message}")]
    Parse { line: usize, message: String },
    /// Mirrors `template: output:LINE:COL: executing "output" at <NODE>: MESSAGE`.
    #[error("template: output:{line}:{col}: executing \"output\" at <{node}>: {message}")]
    Exec {
        line: usize,
        col: usize,
        node: String,
        message: String,
    },
}

impl GoTemplate {
    /// Parses a template.
    ///
    /// # Errors
    /// `Parse` with text/template's message.
    pub fn parse(text: &str) -> Result<GoTemplate, GoTemplateError> {
        let items = lex(text)?;
        let mut parser = Parser {
            items,
            at: 0,
            source: text,
        };
        let (nodes, end) = parser.list()?;
        if let Some((kw, pos)) = end {
            return Err(parse_err(text, pos, &format!("unexpected {{{{{kw}}}}}")));
        }
        Ok(GoTemplate {
            nodes,
            source: text.to_string(),
        })
    }

    /// The template as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Runs the template over a JSON document.
    ///
    /// # Errors
    /// `Exec` with text/template's message; the text written before the error is lost.
    pub fn execute(&self, data: &Value) -> Result<String, GoTemplateError> {
        let root = Val::from_json(data);
        let mut st = State {
            vars: vec![("$".to_string(), root.clone())],
            out: String::new(),
            source: &self.source,
        };
        st.walk(&self.nodes, &root)?;
        Ok(st.out)
    }
}

// ---------------------------------------------------------------------------------------
// Lexing: text runs and actions.

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Text(String),
    /// The tokens of one `{{…}}` and the byte offset of its first token.
    Action(Vec<Tok>, usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `.a.b` (empty for `.`); `adjacent` when nothing separated it from the previous token.
    Field(Vec<String>, bool),
    Var(String, Vec<String>),
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    Pipe,
    Declare,
    Assign,
    Comma,
}

fn lex(text: &str) -> Result<Vec<Item>, GoTemplateError> {
    let mut items = Vec::new();
    let mut rest = 0;
    let b = text.as_bytes();
    while let Some(off) = text[rest..].find("{{") {
        let open = rest + off;
        let mut chunk = text[rest..open].to_string();
        let mut i = open + 2;
        // `{{- ` trims the whitespace before the action.
        if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_whitespace) {
            chunk = chunk.trim_end().to_string();
            i += 1;
        }
        if !chunk.is_empty() {
            items.push(Item::Text(chunk));
        }
        let (toks, close, trim_after) = lex_action(text, i)?;
        rest = close;
        if trim_after {
            while rest < b.len() && b[rest].is_ascii_whitespace() {
                rest += 1;
            }
        }
        if let Some(toks) = toks {
            items.push(Item::Action(toks, i));
        }
    }
    if rest < text.len() {
        items.push(Item::Text(text[rest..].to_string()));
    }
    Ok(items)
}

/// The tokens of an action starting at `i`, the offset after its `}}`, and whether it ends
/// with ` -}}`. A comment gives no tokens.
#[allow(clippy::type_complexity)]
fn lex_action(text: &str, mut i: usize) -> Result<(Option<Vec<Tok>>, usize, bool), GoTemplateError> {
    let b = text.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let start = i;
    skip_ws(&mut i);
    if text[i..].starts_with("/*") {
        let Some(end) = text[i..].find("*/") else {
            return Err(parse_err(text, start, "unclosed comment"));
        };
        let mut j = i + end + 2;
        skip_ws(&mut j);
        let trim = text[j..].starts_with("-}}");
        if trim {
            j += 1;
        }
        if !text[j..].starts_with("}}") {
            return Err(parse_err(text, start, "comment ends before closing delimiter"));
        }
        return Ok((None, j + 2, trim));
    }
    let mut toks = Vec::new();
    let mut prev_end = usize::MAX;
    loop {
        let ws_before = i;
        skip_ws(&mut i);
        let adjacent = i == prev_end && i == ws_before;
        if i >= b.len() {
            return Err(parse_err(text, start, "unclosed action"));
        }
        if text[i..].starts_with("}}") {
            return Ok((Some(toks), i + 2, false));
        }
        if text[i..].starts_with("-}}") && i > ws_before {
            return Ok((Some(toks), i + 3, true));
        }
        let c = b[i];
        let tok_start = i;
        match c {
            b'(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            b')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            b'|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            b',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b'=') => {
                toks.push(Tok::Declare);
                i += 2;
            }
            b'=' => {
                toks.push(Tok::Assign);
                i += 1;
            }
            b'"' => {
                let (s, end) = lex_quoted(text, i)?;
                toks.push(Tok::Str(s));
                i = end;
            }
            b'`' => {
                let Some(end) = text[i + 1..].find('`') else {
                    return Err(parse_err(text, i, "unterminated raw quoted string"));
                };
                toks.push(Tok::Str(text[i + 1..i + 1 + end].to_string()));
                i += end + 2;
            }
            b'.' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let (fields, end) = lex_fields(text, i);
                toks.push(Tok::Field(fields, adjacent));
                i = end;
            }
            b'$' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                let name = text[i..j].to_string();
                let (fields, end) = lex_fields(text, j);
                toks.push(Tok::Var(name, fields));
                i = end;
            }
            c if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.') {
                    j += 1;
                }
                let word = &text[i..j];
                if let Ok(n) = word.parse::<i64>() {
                    toks.push(Tok::Int(n));
                } else if let Ok(f) = word.parse::<f64>() {
                    toks.push(Tok::Float(f));
                } else {
                    return Err(parse_err(text, i, &format!("bad number syntax: {word:?}")));
                }
                i = j;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                toks.push(Tok::Ident(text[i..j].to_string()));
                i = j;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                return Err(parse_err(
                    text,
                    i,
                    &format!("unexpected \"{ch}\" in operand"),
                ));
            }
        }
        let _ = tok_start;
        prev_end = i;
    }
}

/// `.a.b.c` from `i` (which is at a `.`, or after a variable name): the field names.
fn lex_fields(text: &str, mut i: usize) -> (Vec<String>, usize) {
    let b = text.as_bytes();
    let mut fields = Vec::new();
    while i < b.len() && b[i] == b'.' {
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        if j > i + 1 {
            fields.push(text[i + 1..j].to_string());
        }
        i = j;
        if j == i && fields.is_empty() {
            break;
        }
    }
    (fields, i)
}

/// A Go interpreted string literal from the `"` at `i`: the value and the offset after it.
fn lex_quoted(text: &str, i: usize) -> Result<(String, usize), GoTemplateError> {
    let mut s = String::new();
    let mut chars = text[i + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Ok((s, i + 1 + k + 1)),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some('r') => s.push('\r'),
                Some('\\') => s.push('\\'),
                Some('"') => s.push('"'),
                Some('\'') => s.push('\''),
                Some('0') => s.push('\0'),
                Some(other) => {
                    return Err(parse_err(
                        text,
                        i,
                        &format!("invalid syntax: unknown escape sequence \\{other}"),
                    ));
                }
                None => break,
            },
            '\n' => break,
            c => s.push(c),
        }
    }
    Err(parse_err(text, i, "unterminated quoted string"))
}

fn line_of(text: &str, pos: usize) -> usize {
    1 + text[..pos.min(text.len())].matches('\n').count()
}

fn parse_err(text: &str, pos: usize, message: &str) -> GoTemplateError {
    GoTemplateError::Parse {
        line: line_of(text, pos),
        message: message.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Parsing: nodes and pipelines.

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Action(Pipe),
    If {
        branches: Vec<(Pipe, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    With {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Pipe {
    /// Variables declared (`:=`) or assigned (`=`) by the pipeline.
    decl: Vec<String>,
    assign: bool,
    cmds: Vec<Vec<Arg>>,
    /// Byte offset in the source, for error positions.
    pos: usize,
    /// The pipeline as written, for `at <…>` in errors.
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Field(Vec<String>),
    Var(String, Vec<String>),
    Func(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    Paren(Box<Pipe>, Vec<String>),
}

struct Parser<'a> {
    items: Vec<Item>,
    at: usize,
    source: &'a str,
}

/// The keyword that ended a list (`end`, `else`) and where.
type Terminator = Option<(String, usize)>;

impl Parser<'_> {
    /// Nodes up to an `{{end}}` or `{{else…}}` (returned with the tokens after `else`).
    fn list(&mut self) -> Result<(Vec<Node>, Terminator), GoTemplateError> {
        let mut nodes = Vec::new();
        while self.at < self.items.len() {
            let item = self.items[self.at].clone();
            self.at += 1;
            match item {
                Item::Text(t) => nodes.push(Node::Text(t)),
                Item::Action(toks, pos) => match toks.first() {
                    Some(Tok::Ident(k)) if k == "end" => {
                        return Ok((nodes, Some(("end".into(), pos))));
                    }
                    Some(Tok::Ident(k)) if k == "else" => {
                        // `{{else if …}}` / `{{else with …}}`: the rest becomes a nested block.
                        self.at -= 1;
                        self.items[self.at] = Item::Action(toks[1..].to_vec(), pos);
                        return Ok((nodes, Some(("else".into(), pos))));
                    }
                    Some(Tok::Ident(k)) if k == "if" || k == "range" || k == "with" => {
                        let k = k.clone();
                        nodes.push(self.block(&k, &toks[1..], pos)?);
                    }
                    Some(Tok::Ident(k))
                        if matches!(
                            k.as_str(),
                            "define" | "template" | "block" | "break" | "continue"
                        ) =>
                    {
                        return Err(parse_err(
                            self.source,
                            pos,
                            &format!("{{{{{k}}}}} is not supported in this lab"),
                        ));
                    }
                    None => return Err(parse_err(self.source, pos, "missing value for command")),
                    _ => nodes.push(Node::Action(self.pipe(&toks, pos, true)?)),
                },
            }
        }
        Ok((nodes, None))
    }

    fn block(&mut self, kw: &str, toks: &[Tok], pos: usize) -> Result<Node, GoTemplateError> {
        // The pipeline starts after the keyword (and, as people write it, one blank).
        let pipe = self.pipe(toks, pos + kw.len() + 1, kw != "if")?;
        let (body, end) = self.list()?;
        let mut otherwise = Vec::new();
        let mut branches = vec![(pipe.clone(), body.clone())];
        match end {
            None => return Err(parse_err(self.source, self.source.len(), "unexpected EOF")),
            Some((e, _)) if e == "end" => {}
            Some((_, epos)) => {
                // The `else` action now holds what followed `else`.
                let Some(Item::Action(rest, _)) = self.items.get(self.at).cloned() else {
                    return Err(parse_err(self.source, epos, "unexpected EOF"));
                };
                self.at += 1;
                match rest.first() {
                    None => {
                        let (els, end) = self.list()?;
                        if end.as_ref().map(|(k, _)| k.as_str()) != Some("end") {
                            return Err(parse_err(self.source, epos, "expected end; found else"));
                        }
                        otherwise = els;
                    }
                    Some(Tok::Ident(k)) if (k == "if" && kw == "if") || (k == "with" && kw == "with") => {
                        // `else if` chains share the outer `{{end}}`.
                        let nested = self.block(kw, &rest[1..], epos + "else ".len())?;
                        match nested {
                            Node::If {
                                branches: more,
                                otherwise: o,
                            } if kw == "if" => {
                                branches.extend(more);
                                otherwise = o;
                            }
                            other => otherwise = vec![other],
                        }
                    }
                    _ => return Err(parse_err(self.source, epos, "unexpected token after else")),
                }
            }
        }
        Ok(match kw {
            "if" => Node::If {
                branches,
                otherwise,
            },
            "range" => Node::Range {
                pipe,
                body,
                otherwise,
            },
            _ => Node::With {
                pipe,
                body,
                otherwise,
            },
        })
    }

    /// A pipeline; `decl_ok` allows `$x :=` at its start (and `$i, $e :=` for range).
    fn pipe(&self, toks: &[Tok], pos: usize, decl_ok: bool) -> Result<Pipe, GoTemplateError> {
        let mut i = 0;
        let mut decl = Vec::new();
        let mut assign = false;
        // `$x :=`, `$x =`, `$i, $e :=`.
        let mut j = 0;
        let mut names = Vec::new();
        while let Some(Tok::Var(name, f)) = toks.get(j) {
            if !f.is_empty() {
                break;
            }
            names.push(name.clone());
            j += 1;
            match toks.get(j) {
                Some(Tok::Comma) => j += 1,
                Some(Tok::Declare) | Some(Tok::Assign) => {
                    assign = toks[j] == Tok::Assign;
                    if !decl_ok && !assign {
                        return Err(parse_err(self.source, pos, "unexpected declaration"));
                    }
                    decl = names.clone();
                    i = j + 1;
                    break;
                }
                _ => break,
            }
        }
        let (cmds, used) = self.commands(&toks[i..], pos)?;
        if i + used != toks.len() {
            return Err(parse_err(self.source, pos, "unexpected \")\" in command"));
        }
        if cmds.is_empty() {
            return Err(parse_err(self.source, pos, "missing value for command"));
        }
        Ok(Pipe {
            decl,
            assign,
            cmds,
            pos,
            text: render_toks(&toks[i..]),
        })
    }

    /// Commands separated by `|`, up to the end or an unmatched `)`: and how many tokens
    /// they used.
    fn commands(&self, toks: &[Tok], pos: usize) -> Result<(Vec<Vec<Arg>>, usize), GoTemplateError> {
        let mut cmds = Vec::new();
        let mut cur = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::RParen => break,
                Tok::Pipe => {
                    if cur.is_empty() {
                        return Err(parse_err(self.source, pos, "missing command"));
                    }
                    cmds.push(std::mem::take(&mut cur));
                    i += 1;
                }
                Tok::LParen => {
                    let (inner, used) = self.commands(&toks[i + 1..], pos)?;
                    let close = i + 1 + used;
                    if toks.get(close) != Some(&Tok::RParen) {
                        return Err(parse_err(self.source, pos, "unclosed left paren"));
                    }
                    i = close + 1;
                    let mut fields = Vec::new();
                    if let Some(Tok::Field(f, true)) = toks.get(i) {
                        fields = f.clone();
                        i += 1;
                    }
                    let text = render_toks(&toks[close - used..close]);
                    cur.push(Arg::Paren(
                        Box::new(Pipe {
                            decl: Vec::new(),
                            assign: false,
                            cmds: inner,
                            pos,
                            text,
                        }),
                        fields,
                    ));
                }
                t => {
                    cur.push(match t {
                        Tok::Field(f, _) => Arg::Field(f.clone()),
                        Tok::Var(n, f) => Arg::Var(n.clone(), f.clone()),
                        Tok::Str(s) => Arg::Str(s.clone()),
                        Tok::Int(n) => Arg::Int(*n),
                        Tok::Float(f) => Arg::Float(*f),
                        Tok::Ident(w) => match w.as_str() {
                            "true" => Arg::Bool(true),
                            "false" => Arg::Bool(false),
                            "nil" => Arg::Nil,
                            name if FUNCS.contains(&name) => Arg::Func(name.to_string()),
                            name => {
                                return Err(parse_err(
                                    self.source,
                                    pos,
                                    &format!("function {name:?} not defined"),
                                ));
                            }
                        },
                        _ => {
                            return Err(parse_err(
                                self.source,
                                pos,
                                &format!("unexpected {} in command", render_toks(&toks[i..=i])),
                            ));
                        }
                    });
                    i += 1;
                }
            }
        }
        if !cur.is_empty() {
            cmds.push(cur);
        } else if !cmds.is_empty() {
            return Err(parse_err(self.source, pos, "missing command"));
        }
        Ok((cmds, i))
    }
}

/// Tokens back as text, for error messages.
fn render_toks(toks: &[Tok]) -> String {
    let mut s = String::new();
    for (n, t) in toks.iter().enumerate() {
        let piece = match t {
            Tok::Field(f, _) => format!(".{}", f.join(".")),
            Tok::Var(v, f) => {
                let mut x = v.clone();
                for f in f {
                    x.push('.');
                    x.push_str(f);
                }
                x
            }
            Tok::Ident(w) => w.clone(),
            Tok::Str(v) => format!("{v:?}"),
            Tok::Int(i) => i.to_string(),
            Tok::Float(f) => f.to_string(),
            Tok::LParen => "(".into(),
            Tok::RParen => ")".into(),
            Tok::Pipe => "|".into(),
            Tok::Declare => ":=".into(),
            Tok::Assign => "=".into(),
            Tok::Comma => ",".into(),
        };
        let glue = matches!(t, Tok::RParen | Tok::Comma)
            || matches!(t, Tok::Field(_, true))
            || (n > 0 && toks[n - 1] == Tok::LParen);
        if n > 0 && !glue {
            s.push(' ');
        }
        s.push_str(&piece);
    }
    s
}

const FUNCS: &[&str] = &[
    "index",
    "len",
    "printf",
    "print",
    "println",
    "not",
    "and",
    "or",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "base64decode",
];

// ---------------------------------------------------------------------------------------
// Values as Go sees the unmarshalled JSON.

#[derive(Debug, Clone, PartialEq)]
enum Val {
    /// No value: a missing key (prints `<no value>`).
    Missing,
    Bool(bool),
    /// Integer literals of the template and results of `len`.
    Int(i64),
    /// Every number of the data (float64 after `json.Unmarshal`).
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(Map<String, Value>),
}

impl Val {
    fn from_json(v: &Value) -> Val {
        match v {
            Value::Null => Val::Missing,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Float(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(a) => Val::List(a.clone()),
            Value::Object(m) => Val::Map(m.clone()),
        }
    }

    /// Go's type name, for error messages.
    fn type_name(&self) -> &'static str {
        match self {
            Val::Missing => "<nil>",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::List(_) => "[]interface {}",
            Val::Map(_) => "map[string]interface {}",
        }
    }

    /// text/template's `truth`: zero values are false.
    fn truth(&self) -> bool {
        match self {
            Val::Missing => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::List(l) => !l.is_empty(),
            Val::Map(m) => !m.is_empty(),
        }
    }

    /// `fmt.Sprint` of the value (`%v`).
    fn text(&self) -> String {
        match self {
            Val::Missing => "<no value>".into(),
            _ => self.fmt_v(),
        }
    }

    fn fmt_v(&self) -> String {
        match self {
            Val::Missing => "<nil>".into(),
            Val::Bool(b) => b.to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => go_float(*f),
            Val::Str(s) => s.clone(),
            Val::List(l) => {
                let parts: Vec<String> = l.iter().map(|v| Val::from_json(v).fmt_v()).collect();
                format!("[{}]", parts.join(" "))
            }
            Val::Map(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                machinery::sort::sort(&mut keys);
                let parts: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{k}:{}", Val::from_json(&m[*k]).fmt_v()))
                    .collect();
                format!("map[{}]", parts.join(" "))
            }
        }
    }

    fn field(&self, name: &str) -> Result<Val, String> {
        match self {
            Val::Map(m) => Ok(m.get(name).map(Val::from_json).unwrap_or(Val::Missing)),
            Val::Missing => Ok(Val::Missing),
            other => Err(format!(
                "can't evaluate field {name} in type {}",
                other.type_name()
            )),
        }
    }
}

/// A float64 as Go's `%v` prints it: strconv's shortest 'g', which switches to `1e+06` form
/// when the decimal exponent is below -4 or at least 6 (go/src/strconv/ftoa.go
/// `formatDigits`: "use precision 6 for this decision").
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return "0".into();
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

// ---------------------------------------------------------------------------------------
// Execution.

struct State<'a> {
    vars: Vec<(String, Val)>,
    out: String,
    source: &'a str,
}

impl State<'_> {
    fn walk(&mut self, nodes: &[Node], dot: &Val) -> Result<(), GoTemplateError> {
        for n in nodes {
            match n {
                Node::Text(t) => self.out.push_str(t),
                Node::Action(p) => {
                    let v = self.pipe(p, dot)?;
                    if p.decl.is_empty() {
                        self.out.push_str(&v.text());
                    }
                }
                Node::If {
                    branches,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let mut done = false;
                    for (p, body) in branches {
                        if self.pipe(p, dot)?.truth() {
                            self.walk(body, dot)?;
                            done = true;
                            break;
                        }
                    }
                    if !done {
                        self.walk(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::With {
                    pipe,
                    body,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let v = self.pipe(pipe, dot)?;
                    if v.truth() {
                        self.walk(body, &v)?;
                    } else {
                        self.walk(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range {
                    pipe,
                    body,
                    otherwise,
                } => self.range(pipe, body, otherwise, dot)?,
            }
        }
        Ok(())
    }

    fn range(
        &mut self,
        pipe: &Pipe,
        body: &[Node],
        otherwise: &[Node],
        dot: &Val,
    ) -> Result<(), GoTemplateError> {
        let mark = self.vars.len();
        // The pipeline's own declarations name the key and element, not its value.
        let undeclared = Pipe {
            decl: Vec::new(),
            ..pipe.clone()
        };
        let v = self.pipe(&undeclared, dot)?;
        let elems: Vec<(Val, Val)> = match &v {
            Val::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, e)| (Val::Int(i as i64), Val::from_json(e)))
                .collect(),
            Val::Map(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                machinery::sort::sort(&mut keys);
                keys.into_iter()
                    .map(|k| (Val::Str(k.clone()), Val::from_json(&m[k])))
                    .collect()
            }
            Val::Missing => Vec::new(),
            Val::Int(n) => (0..*n).map(|i| (Val::Int(i), Val::Int(i))).collect(),
            other => {
                return Err(self.exec_err(
                    pipe,
                    &format!("range can't iterate over {}", other.fmt_v()),
                ));
            }
        };
        if elems.is_empty() {
            self.walk(otherwise, dot)?;
        }
        for (k, e) in elems {
            let inner = self.vars.len();
            match pipe.decl.as_slice() {
                [] => {}
                [one] => self.vars.push((one.clone(), e.clone())),
                [a, b, ..] => {
                    self.vars.push((a.clone(), k));
                    self.vars.push((b.clone(), e.clone()));
                }
            }
            self.walk(body, &e)?;
            self.vars.truncate(inner);
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn pipe(&mut self, p: &Pipe, dot: &Val) -> Result<Val, GoTemplateError> {
        let mut last: Option<Val> = None;
        for cmd in &p.cmds {
            last = Some(self.command(p, cmd, dot, last)?);
        }
        let v = last.unwrap_or(Val::Missing);
        for name in &p.decl {
            if p.assign {
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => {
                        return Err(self.exec_err(p, &format!("undefined variable: {name}")));
                    }
                }
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(
        &mut self,
        p: &Pipe,
        cmd: &[Arg],
        dot: &Val,
        piped: Option<Val>,
    ) -> Result<Val, GoTemplateError> {
        let Some((first, rest)) = cmd.split_first() else {
            return Ok(Val::Missing);
        };
        if let Arg::Func(name) = first {
            let mut args = Vec::with_capacity(rest.len() + 1);
            // `and`/`or` stop at the deciding argument, as text/template does.
            if name == "and" || name == "or" {
                let mut v = Val::Missing;
                let total = rest.len() + usize::from(piped.is_some());
                if total == 0 {
                    return Err(self.exec_err(p, &format!("wrong number of args for {name}: want at least 1 got 0")));
                }
                for a in rest {
                    v = self.arg(p, a, dot)?;
                    if (name == "and") != v.truth() {
                        return Ok(v);
                    }
                }
                if let Some(x) = piped {
                    v = x;
                }
                return Ok(v);
            }
            for a in rest {
                args.push(self.arg(p, a, dot)?);
            }
            if let Some(x) = piped {
                args.push(x);
            }
            return call(name, &args).map_err(|m| self.exec_err(p, &format!("error calling {name}: {m}")));
        }
        if !rest.is_empty() || piped.is_some() {
            return Err(self.exec_err(p, &format!("can't give argument to non-function {}", arg_text(first))));
        }
        self.arg(p, first, dot)
    }

    fn arg(&mut self, p: &Pipe, a: &Arg, dot: &Val) -> Result<Val, GoTemplateError> {
        let walk = |mut v: Val, fields: &[String], st: &Self| -> Result<Val, GoTemplateError> {
            for f in fields {
                v = v.field(f).map_err(|m| st.exec_err(p, &m))?;
            }
            Ok(v)
        };
        match a {
            Arg::Field(f) => walk(dot.clone(), f, self),
            Arg::Var(name, f) => {
                let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    return Err(self.exec_err(p, &format!("undefined variable: {name}")));
                };
                walk(v.clone(), f, self)
            }
            Arg::Str(s) => Ok(Val::Str(s.clone())),
            Arg::Int(i) => Ok(Val::Int(*i)),
            Arg::Float(f) => Ok(Val::Float(*f)),
            Arg::Bool(b) => Ok(Val::Bool(*b)),
            Arg::Nil => Err(self.exec_err(p, "nil is not a command")),
            Arg::Func(name) => call(name, &[]).map_err(|m| self.exec_err(p, &format!("error calling {name}: {m}"))),
            Arg::Paren(inner, f) => {
                let v = self.pipe(inner, dot)?;
                walk(v, f, self)
            }
        }
    }

    fn exec_err(&self, p: &Pipe, message: &str) -> GoTemplateError {
        let pos = p.pos.min(self.source.len());
        let line_start = self.source[..pos].rfind('\n').map_or(0, |i| i + 1);
        GoTemplateError::Exec {
            line: line_of(self.source, pos),
            col: pos - line_start,
            node: p.text.clone(),
            message: message.to_string(),
        }
    }
}

fn arg_text(a: &Arg) -> String {
    match a {
        Arg::Field(f) => format!(".{}", f.join(".")),
        Arg::Var(v, _) => v.clone(),
        Arg::Str(s) => format!("{s:?}"),
        Arg::Int(i) => i.to_string(),
        Arg::Float(f) => f.to_string(),
        Arg::Bool(b) => b.to_string(),
        Arg::Nil => "nil".into(),
        Arg::Func(f) => f.clone(),
        Arg::Paren(p, _) => format!("({})", p.text),
    }
}

/// Calls a built-in function on evaluated arguments; the error is the text after
/// `error calling NAME: `.
fn call(name: &str, args: &[Val]) -> Result<Val, String> {
    let want = |n: usize| -> Result<(), String> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    match name {
        "index" => {
            let Some((first, keys)) = args.split_first() else {
                return Err("wrong number of args for index: want at least 1 got 0".into());
            };
            let mut v = first.clone();
            for k in keys {
                v = match (&v, k) {
                    (Val::List(l), Val::Int(i)) => {
                        if *i < 0 || *i as usize >= l.len() {
                            return Err(format!("index out of range: {i}"));
                        }
                        Val::from_json(&l[*i as usize])
                    }
                    (Val::List(_), other) => {
                        return Err(format!("cannot index slice/array with type {}", other.type_name()));
                    }
                    (Val::Map(m), Val::Str(s)) => m.get(s).map(Val::from_json).unwrap_or(Val::Missing),
                    (Val::Map(_), other) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                    (Val::Missing, _) => return Err("index of untyped nil".into()),
                    (other, _) => return Err(format!("can't index item of type {}", other.type_name())),
                };
            }
            Ok(v)
        }
        "len" => {
            want(1)?;
            match &args[0] {
                Val::Str(s) => Ok(Val::Int(s.len() as i64)),
                Val::List(l) => Ok(Val::Int(l.len() as i64)),
                Val::Map(m) => Ok(Val::Int(m.len() as i64)),
                Val::Missing => Err("len of nil pointer".into()),
                other => Err(format!("len of type {}", other.type_name())),
            }
        }
        "not" => {
            want(1)?;
            Ok(Val::Bool(!args[0].truth()))
        }
        "print" => Ok(Val::Str(sprint(args))),
        "println" => {
            let parts: Vec<String> = args.iter().map(Val::fmt_v).collect();
            Ok(Val::Str(format!("{}\n", parts.join(" "))))
        }
        "printf" => {
            let Some((Val::Str(f), rest)) = args.split_first() else {
                return Err(match args.first() {
                    None => "wrong number of args for printf: want at least 1 got 0".into(),
                    Some(v) => format!("wrong type for value; expected string; got {}", v.type_name()),
                });
            };
            Ok(Val::Str(sprintf(f, rest)))
        }
        "eq" => {
            let Some((a, rest)) = args.split_first() else {
                return Err("missing argument for comparison".into());
            };
            if rest.is_empty() {
                return Err("missing argument for comparison".into());
            }
            for b in rest {
                if compare(a, b)? == Some(std::cmp::Ordering::Equal) {
                    return Ok(Val::Bool(true));
                }
            }
            Ok(Val::Bool(false))
        }
        "ne" | "lt" | "le" | "gt" | "ge" => {
            want(2)?;
            let ord = compare(&args[0], &args[1])?;
            use std::cmp::Ordering::*;
            if name != "ne" && matches!(args[0], Val::Bool(_)) {
                return Err("invalid type for comparison".into());
            }
            Ok(Val::Bool(match name {
                "ne" => ord != Some(Equal),
                "lt" => ord == Some(Less),
                "le" => matches!(ord, Some(Less | Equal)),
                "gt" => ord == Some(Greater),
                _ => matches!(ord, Some(Greater | Equal)),
            }))
        }
        "base64decode" => {
            want(1)?;
            let Val::Str(s) = &args[0] else {
                return Err(format!("wrong type for value; expected string; got {}", args[0].type_name()));
            };
            base64_decode(s)
                .map(|b| Val::Str(String::from_utf8_lossy(&b).into_owned()))
                .ok_or_else(|| "base64 decode failed: illegal base64 data at input byte 0".to_string())
        }
        other => Err(format!("function {other:?} not defined")),
    }
}

/// text/template's basic comparison: same kind only (int and float64 are different kinds).
fn compare(a: &Val, b: &Val) -> Result<Option<std::cmp::Ordering>, String> {
    Ok(match (a, b) {
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Float(x), Val::Float(y)) => x.partial_cmp(y),
        (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Missing, _) | (_, Val::Missing) => {
            return Err("invalid type for comparison".into());
        }
        (Val::List(_) | Val::Map(_), _) | (_, Val::List(_) | Val::Map(_)) => {
            return Err("non-comparable types".into());
        }
        _ => return Err("incompatible types for comparison".into()),
    })
}

/// `fmt.Sprint`: a space between operands when neither is a string.
fn sprint(args: &[Val]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Val::Str(_)) && !matches!(args[i - 1], Val::Str(_)) {
            s.push(' ');
        }
        s.push_str(&a.fmt_v());
    }
    s
}

/// `fmt.Sprintf` for the verbs people use: `%v %s %d %f %g %e %q %t %x %%`, with flags
/// `-`, `0`, `+`, width and precision. A verb that does not fit its operand prints Go's
/// `%!d(float64=3)`.
fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let (mut minus, mut zero, mut plus) = (false, false, false);
        while let Some(&f) = chars.peek() {
            match f {
                '-' => minus = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next += 1;
        let bad = || format!("%!{verb}({}={})", arg.type_name(), arg.fmt_v());
        let body = match (verb, arg) {
            ('v', _) => arg.fmt_v(),
            ('s', Val::Str(s)) => match prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.clone(),
            },
            ('s', Val::Float(_) | Val::Int(_) | Val::Bool(_)) => bad(),
            ('s', _) => arg.fmt_v(),
            ('q', Val::Str(s)) => format!("{s:?}"),
            ('d', Val::Int(i)) => {
                if plus && *i >= 0 {
                    format!("+{i}")
                } else {
                    i.to_string()
                }
            }
            ('x', Val::Int(i)) => format!("{i:x}"),
            ('x', Val::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
            ('t', Val::Bool(b)) => b.to_string(),
            ('f' | 'F', Val::Float(f)) => format!("{:.*}", prec.unwrap_or(6), f),
            ('e', Val::Float(f)) => {
                let s = format!("{:.*e}", prec.unwrap_or(6), f);
                match s.split_once('e') {
                    Some((m, e)) => {
                        let n: i32 = e.parse().unwrap_or(0);
                        format!("{m}e{}{:02}", if n < 0 { '-' } else { '+' }, n.abs())
                    }
                    None => s,
                }
            }
            ('g', Val::Float(f)) => go_float(*f),
            _ => bad(),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if minus {
            out.push_str(&body);
            out.push_str(&" ".repeat(w - len));
        } else if zero && matches!(verb, 'd' | 'f' | 'e' | 'g' | 'x') {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("", body.as_str()),
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(w - len));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(&body);
        }
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", a.type_name(), a.fmt_v()))
            .collect();
        let _ = write!(out, "%!(EXTRA {})", extra.join(", "));
    }
    out
}

/// Standard base64 (with or without padding), as Go's `base64.StdEncoding` reads Secret data.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Case {
        name: &'static str,
        template: &'static str,
        want: &'static str,
    }

    fn check(data: &Value, case: &Case) {
        let got = GoTemplate::parse(case.template)
            .and_then(|t| t.execute(data))
            .unwrap_or_else(|e| format!("ERR {e}"));
        assert_eq!(got, case.want, "case {}", case.name);
    }

    #[test]
    fn executes_what_people_type() {
        let data = json!({
            "items": [
                {"metadata": {"name": "a", "labels": {"app": "web", "tier": "fe"}},
                 "spec": {"replicas": 3, "ports": [{"nodePort": 30080, "port": 80}]}},
                {"metadata": {"name": "b"}, "spec": {"replicas": 1000000, "ports": []}},
            ],
            "data": {"token": "aGVsbG8="},
        });
        let cases = [
            Case { name: "range names", template: r#"{{range .items}}{{.metadata.name}}{{"\n"}}{{end}}"#, want: "a\nb\n" },
            Case { name: "index then field", template: "{{(index (index .items 0).spec.ports 0).nodePort}}", want: "30080" },
            Case { name: "missing key", template: "{{.nope.deeper}}", want: "<no value>" },
            Case { name: "float64 with %d", template: r#"{{printf "%d" (index .items 0).spec.replicas}}"#, want: "%!d(float64=3)" },
            Case { name: "printf padding", template: r#"{{range .items}}{{printf "%-4s|%v\n" .metadata.name .spec.replicas}}{{end}}"#, want: "a   |3\nb   |1e+06\n" },
            Case { name: "len", template: "{{len .items}} {{len (index .items 0).metadata.labels}}", want: "2 2" },
            Case { name: "if else", template: r#"{{range .items}}{{if .metadata.labels}}L{{else}}-{{end}}{{end}}"#, want: "L-" },
            Case { name: "else if", template: r#"{{range .items}}{{if eq .metadata.name "x"}}x{{else if eq .metadata.name "b"}}B{{else}}?{{end}}{{end}}"#, want: "?B" },
            Case { name: "range map with vars", template: r#"{{range $k, $v := (index .items 0).metadata.labels}}{{$k}}={{$v}};{{end}}"#, want: "app=web;tier=fe;" },
            Case { name: "range else", template: r#"{{range (index .items 1).spec.ports}}p{{else}}none{{end}}"#, want: "none" },
            Case { name: "root variable", template: r#"{{range .items}}{{len $.items}}{{end}}"#, want: "22" },
            Case { name: "with", template: r#"{{with index .items 0}}{{.metadata.name}}{{end}}"#, want: "a" },
            Case { name: "trim markers", template: "{{range .items -}}\n  {{ .metadata.name }}\n{{- end}}", want: "ab" },
            Case { name: "pipeline", template: "{{.data.token | base64decode}}", want: "hello" },
            Case { name: "eq int vs float64", template: "{{if eq (index .items 0).spec.replicas 3}}y{{end}}", want: "ERR template: output:1:5: executing \"output\" at <eq (index .items 0).spec.replicas 3>: error calling eq: incompatible types for comparison" },
            Case { name: "index out of range", template: "{{index .items 5}}", want: "ERR template: output:1:2: executing \"output\" at <index .items 5>: error calling index: index out of range: 5" },
            Case { name: "undefined function", template: "{{foo .items}}", want: "ERR template: output:1: function \"foo\" not defined" },
            Case { name: "unclosed range", template: "{{range .items}}x", want: "ERR template: output:1: unexpected EOF" },
            Case { name: "unexpected end", template: "x{{end}}", want: "ERR template: output:1: unexpected {{end}}" },
            Case { name: "map printing", template: "{{(index .items 0).metadata.labels}}", want: "map[app:web tier:fe]" },
            Case { name: "comment", template: "a{{/* note */}}b", want: "ab" },
            Case { name: "and or not", template: r#"{{and 1 0}} {{or 0 "x"}} {{not .nope}}"#, want: "0 x true" },
        ];
        for c in &cases {
            check(&data, c);
        }
    }

    #[test]
    fn floats_print_as_go_does() {
        for (f, want) in [(3.0, "3"), (0.5, "0.5"), (1e6, "1e+06"), (123456.0, "123456"), (1e-5, "1e-05"), (2.5e21, "2.5e+21"), (1234567.0, "1.234567e+06"), (999999.0, "999999")] {
            assert_eq!(go_float(f), want, "{f}");
        }
    }
}
