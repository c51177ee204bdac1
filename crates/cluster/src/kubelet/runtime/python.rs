//! `python3 -c PROGRAM` for the Job tutorials' scripts: a small interpreter of the Python
//! subset they use — `import os, sys, random, time`, assignments, `print(…)`, `if`/`elif`/
//! `else` blocks, `sys.exit`, `time.sleep`, `os.environ.get`/`os.environ[…]`/`os.getenv`,
//! `random.randint`/`random.random`/`random.choice`, `int`/`str`/`len`, arithmetic,
//! comparisons and `and`/`or`/`not`. Randomness comes from a seed the kubelet derives from
//! the cluster's seeded state. Anything else stops with a Python-style error naming what is
//! beyond the subset. Output is block-buffered as Python's is when stdout is not a terminal,
//! so it all appears when the program ends.

use std::collections::BTreeMap;

use crate::rng::SimRng;
use crate::time::SimDuration;

use super::ProgramRun;

/// Interpreter start-up.
const STARTUP: SimDuration = SimDuration::from_millis(30);

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    None,
    List(Vec<Val>),
}

impl Val {
    fn truthy(&self) -> bool {
        match self {
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
            Val::None => false,
            Val::List(l) => !l.is_empty(),
        }
    }
    fn show(&self) -> String {
        match self {
            Val::Int(i) => i.to_string(),
            Val::Float(f) if f.fract() == 0.0 && f.abs() < 1e16 => format!("{f:.1}"),
            Val::Float(f) => f.to_string(),
            Val::Str(s) => s.clone(),
            Val::Bool(true) => "True".into(),
            Val::Bool(false) => "False".into(),
            Val::None => "None".into(),
            Val::List(l) => format!("[{}]", l.iter().map(Val::repr).collect::<Vec<_>>().join(", ")),
        }
    }
    fn repr(&self) -> String {
        match self {
            Val::Str(s) => format!("'{s}'"),
            v => v.show(),
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            Val::Int(_) => "int",
            Val::Float(_) => "float",
            Val::Str(_) => "str",
            Val::Bool(_) => "bool",
            Val::None => "NoneType",
            Val::List(_) => "list",
        }
    }
}

/// Why the program stopped early.
enum Stop {
    /// `sys.exit(code)`, with a message printed for a non-integer argument.
    Exit(i32, Option<String>),
    /// An exception: its type and message (`NameError`, "name 'x' is not defined").
    Raise(&'static str, String),
}

fn raise<T>(kind: &'static str, msg: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Raise(kind, msg.into()))
}

/// What goes beyond the subset, as a Python error would stop the program.
fn beyond<T>(what: &str) -> Result<T, Stop> {
    raise(
        "SyntaxError",
        format!("{what} is beyond this simulated python3, which runs a small subset (import os/sys/random/time, print, if/else, assignments, sys.exit, time.sleep)"),
    )
}

struct Interp<'a> {
    vars: BTreeMap<String, Val>,
    modules: Vec<String>,
    env: &'a BTreeMap<String, String>,
    rng: SimRng,
    out: String,
    took: SimDuration,
    line: usize,
}

/// Runs `python3 ARGS…` with the container's environment; `seed` drives `random`.
pub fn run(args: &[String], env: &BTreeMap<String, String>, seed: u64) -> ProgramRun {
    let code = match args {
        [flag, code, ..] if flag == "-c" => code.clone(),
        [flag] if flag == "-c" => {
            return ProgramRun {
                lines: vec!["Argument expected for the -c option".into(), "usage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...".into(), "Try `python -h' for more information.".into()],
                status: 2,
                took: STARTUP,
            }
        }
        [] => return ProgramRun { lines: Vec::new(), status: 0, took: STARTUP },
        [other, ..] => {
            return ProgramRun {
                lines: vec![format!("python3 (simulated): running {other} is beyond this simulated python3, which only runs programs given with -c")],
                status: 2,
                took: STARTUP,
            }
        }
    };
    let mut it = Interp {
        vars: BTreeMap::new(),
        modules: Vec::new(),
        env,
        rng: SimRng::seeded(seed),
        out: String::new(),
        took: STARTUP,
        line: 1,
    };
    let lines: Vec<&str> = code.lines().collect();
    let result = it.block(&lines, 0, lines.len(), None);
    let mut out: Vec<String> = it.out.lines().map(str::to_string).collect();
    let status = match result {
        Ok(()) => 0,
        Err(Stop::Exit(code, msg)) => {
            out.extend(msg);
            code
        }
        Err(Stop::Raise(kind, msg)) => {
            out.push("Traceback (most recent call last):".into());
            out.push(format!("  File \"<string>\", line {}, in <module>", it.line));
            out.push(format!("{kind}: {msg}"));
            1
        }
    };
    ProgramRun { lines: out, status, took: it.took }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

impl Interp<'_> {
    /// Runs lines `from..to` at one indentation level.
    fn block(&mut self, lines: &[&str], from: usize, to: usize, _level: Option<usize>) -> Result<(), Stop> {
        let mut i = from;
        while i < to {
            if is_blank(lines[i]) {
                i += 1;
                continue;
            }
            self.line = i + 1;
            let level = indent_of(lines[i]);
            let stmt = lines[i].trim();
            if let Some(cond) = stmt.strip_prefix("if ").and_then(|c| c.strip_suffix(':')) {
                // The whole if/elif/else chain: run the first branch whose test holds.
                let mut branches: Vec<(Option<String>, usize, usize)> = Vec::new();
                let mut test = Some(cond.to_string());
                let mut j = i;
                loop {
                    let body_start = j + 1;
                    let mut k = body_start;
                    while k < to && (is_blank(lines[k]) || indent_of(lines[k]) > level) {
                        k += 1;
                    }
                    branches.push((test.take(), body_start, k));
                    if k < to && indent_of(lines[k]) == level {
                        let next = lines[k].trim();
                        if let Some(c) = next.strip_prefix("elif ").and_then(|c| c.strip_suffix(':')) {
                            test = Some(c.to_string());
                            j = k;
                            continue;
                        }
                        if next == "else:" {
                            j = k;
                            let mut e = k + 1;
                            while e < to && (is_blank(lines[e]) || indent_of(lines[e]) > level) {
                                e += 1;
                            }
                            branches.push((None, k + 1, e));
                            i = e;
                            break;
                        }
                    }
                    i = k;
                    break;
                }
                let _ = j;
                for (test, start, end) in branches {
                    let take = match test {
                        Some(t) => {
                            self.line = start;
                            self.eval(&t)?.truthy()
                        }
                        None => true,
                    };
                    if take {
                        if start >= end {
                            return raise("IndentationError", "expected an indented block");
                        }
                        self.block(lines, start, end, None)?;
                        break;
                    }
                }
                continue;
            }
            if level > 0 && from == 0 {
                return raise("IndentationError", "unexpected indent");
            }
            for part in split_top(stmt, ';') {
                self.statement(part.trim())?;
            }
            i += 1;
        }
        Ok(())
    }

    fn statement(&mut self, stmt: &str) -> Result<(), Stop> {
        if stmt.is_empty() || stmt == "pass" {
            return Ok(());
        }
        let first = stmt.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
        if matches!(
            first,
            "for" | "while" | "def" | "class" | "with" | "try" | "except" | "finally" | "return"
                | "lambda" | "from" | "global" | "nonlocal" | "raise" | "assert" | "del" | "yield"
                | "async" | "await" | "elif" | "else" | "break" | "continue"
        ) {
            return beyond(&format!("`{first}`"));
        }
        if let Some(names) = stmt.strip_prefix("import ") {
            for name in names.split(',').map(str::trim) {
                if !matches!(name, "os" | "sys" | "random" | "time") {
                    return raise("ModuleNotFoundError", format!("No module named '{name}'"));
                }
                self.modules.push(name.to_string());
            }
            return Ok(());
        }
        if let Some((target, value)) = assignment(stmt) {
            let v = self.eval(value)?;
            self.vars.insert(target.to_string(), v);
            return Ok(());
        }
        self.eval(stmt).map(|_| ())
    }

    fn module(&self, name: &str) -> Result<(), Stop> {
        if self.modules.iter().any(|m| m == name) {
            Ok(())
        } else {
            raise("NameError", format!("name '{name}' is not defined"))
        }
    }

    fn eval(&mut self, src: &str) -> Result<Val, Stop> {
        let toks = tokens(src)?;
        let mut p = Expr { toks, pos: 0 };
        let v = p.or(self)?;
        if p.pos < p.toks.len() {
            return beyond(&format!("`{src}`"));
        }
        Ok(v)
    }

    /// A call of a built-in or module function.
    fn call(&mut self, name: &str, args: Vec<Val>) -> Result<Val, Stop> {
        let int_arg = |i: usize| match args.get(i) {
            Some(Val::Int(n)) => Ok(*n),
            Some(Val::Bool(b)) => Ok(i64::from(*b)),
            Some(v) => raise("TypeError", format!("'{}' object cannot be interpreted as an integer", v.type_name())),
            None => raise("TypeError", format!("{name}() missing required argument")),
        };
        match name {
            "print" => {
                let text: Vec<String> = args.iter().map(Val::show).collect();
                self.out.push_str(&text.join(" "));
                self.out.push('\n');
                Ok(Val::None)
            }
            "int" => match args.first() {
                Some(Val::Int(n)) => Ok(Val::Int(*n)),
                Some(Val::Float(f)) => Ok(Val::Int(f.trunc() as i64)),
                Some(Val::Bool(b)) => Ok(Val::Int(i64::from(*b))),
                Some(Val::Str(s)) => s.trim().parse().map(Val::Int).or_else(|_| {
                    raise("ValueError", format!("invalid literal for int() with base 10: '{s}'"))
                }),
                Some(v) => raise(
                    "TypeError",
                    format!("int() argument must be a string, a bytes-like object or a real number, not '{}'", v.type_name()),
                ),
                None => Ok(Val::Int(0)),
            },
            "str" => Ok(Val::Str(args.first().map(Val::show).unwrap_or_default())),
            "len" => match args.first() {
                Some(Val::Str(s)) => Ok(Val::Int(s.chars().count() as i64)),
                Some(Val::List(l)) => Ok(Val::Int(l.len() as i64)),
                Some(v) => raise("TypeError", format!("object of type '{}' has no len()", v.type_name())),
                None => raise("TypeError", "len() takes exactly one argument (0 given)"),
            },
            "sys.exit" => Err(match args.first() {
                None | Some(Val::None) => Stop::Exit(0, None),
                Some(Val::Int(n)) => Stop::Exit((*n & 0xff) as i32, None),
                Some(Val::Bool(b)) => Stop::Exit(i32::from(*b), None),
                Some(v) => Stop::Exit(1, Some(v.show())),
            }),
            "time.sleep" => {
                let secs = match args.first() {
                    Some(Val::Int(n)) => *n as f64,
                    Some(Val::Float(f)) => *f,
                    _ => return raise("TypeError", "'NoneType' object cannot be interpreted as an integer"),
                };
                self.took = SimDuration(self.took.0 + (secs.max(0.0) * 1000.0) as u64);
                Ok(Val::None)
            }
            "random.randint" => {
                let (a, b) = (int_arg(0)?, int_arg(1)?);
                if b < a {
                    return raise("ValueError", format!("empty range in randrange({a}, {})", b + 1));
                }
                let span = (b - a + 1) as u64;
                Ok(Val::Int(a + (self.rng.next_u64() % span) as i64))
            }
            "random.random" => Ok(Val::Float((self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)),
            "random.choice" => match args.first() {
                Some(Val::List(l)) if !l.is_empty() => {
                    let i = (self.rng.next_u64() % l.len() as u64) as usize;
                    Ok(l[i].clone())
                }
                Some(Val::Str(s)) if !s.is_empty() => {
                    let chars: Vec<char> = s.chars().collect();
                    let i = (self.rng.next_u64() % chars.len() as u64) as usize;
                    Ok(Val::Str(chars[i].to_string()))
                }
                _ => raise("IndexError", "Cannot choose from an empty sequence"),
            },
            "os.environ.get" | "os.getenv" => {
                let key = match args.first() {
                    Some(Val::Str(k)) => k,
                    _ => return raise("TypeError", "str expected, not int"),
                };
                Ok(self
                    .env
                    .get(key)
                    .map(|v| Val::Str(v.clone()))
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Val::None)))
            }
            _ => {
                if let Some((module, _)) = name.split_once('.') {
                    self.module(module)?;
                    return beyond(&format!("{name}()"));
                }
                if self.vars.contains_key(name) {
                    return beyond(&format!("calling {name}()"));
                }
                raise("NameError", format!("name '{name}' is not defined"))
            }
        }
    }
}

/// `name = value` (not `==`), for a plain name.
fn assignment(stmt: &str) -> Option<(&str, &str)> {
    let i = stmt.find('=')?;
    let (target, rest) = stmt.split_at(i);
    if rest.starts_with("==") || target.ends_with(['!', '<', '>', '=']) {
        return None;
    }
    let target = target.trim();
    (!target.is_empty() && target.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some((target, rest[1..].trim()))
}

/// Splits at `sep` outside strings and brackets.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, '#') if depth == 0 => {
                parts.push(&s[start..i]);
                return parts;
            }
            (None, c) if c == sep && depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Val),
    Str(String),
    Name(String),
    Op(String),
}

fn tokens(src: &str) -> Result<Vec<Tok>, Stop> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            break;
        } else if c == '"' || c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                    s.push(match chars[i] {
                        'n' => '\n',
                        't' => '\t',
                        x => x,
                    });
                } else {
                    s.push(chars[i]);
                }
                i += 1;
            }
            if i >= chars.len() {
                return raise("SyntaxError", "unterminated string literal");
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            out.push(Tok::Num(if text.contains('.') {
                Val::Float(text.parse().unwrap_or(0.0))
            } else {
                Val::Int(text.parse().unwrap_or(0))
            }));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["==", "!=", "<=", ">=", "//", "**"].contains(&two.as_str()) {
                out.push(Tok::Op(two));
                i += 2;
            } else if "+-*/%<>()[],".contains(c) {
                out.push(Tok::Op(c.to_string()));
                i += 1;
            } else {
                return raise("SyntaxError", "invalid syntax");
            }
        }
    }
    Ok(out)
}

struct Expr {
    toks: Vec<Tok>,
    pos: usize,
}

impl Expr {
    fn peek_op(&self, op: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(Tok::Op(o)) | Some(Tok::Name(o)) if o == op)
    }
    fn eat(&mut self, op: &str) -> bool {
        let hit = self.peek_op(op);
        if hit {
            self.pos += 1;
        }
        hit
    }
    fn or(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let mut v = self.and(it)?;
        while self.eat("or") {
            let r = self.and(it)?;
            if !v.truthy() {
                v = r;
            }
        }
        Ok(v)
    }
    fn and(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let mut v = self.not(it)?;
        while self.eat("and") {
            let r = self.not(it)?;
            if v.truthy() {
                v = r;
            }
        }
        Ok(v)
    }
    fn not(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        if self.eat("not") {
            return Ok(Val::Bool(!self.not(it)?.truthy()));
        }
        self.compare(it)
    }
    fn compare(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let left = self.sum(it)?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                let right = self.sum(it)?;
                return Ok(Val::Bool(match (num(&left), num(&right)) {
                    (Some(a), Some(b)) => match op {
                        "==" => a == b,
                        "!=" => a != b,
                        "<=" => a <= b,
                        ">=" => a >= b,
                        "<" => a < b,
                        _ => a > b,
                    },
                    _ => match op {
                        "==" => left == right,
                        "!=" => left != right,
                        _ => match (&left, &right) {
                            (Val::Str(a), Val::Str(b)) => match op {
                                "<=" => a <= b,
                                ">=" => a >= b,
                                "<" => a < b,
                                _ => a > b,
                            },
                            _ => {
                                return raise(
                                    "TypeError",
                                    format!("'{op}' not supported between instances of '{}' and '{}'", left.type_name(), right.type_name()),
                                )
                            }
                        },
                    },
                }));
            }
        }
        Ok(left)
    }
    fn sum(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let mut v = self.product(it)?;
        loop {
            if self.eat("+") {
                let r = self.product(it)?;
                v = match (&v, &r) {
                    (Val::Str(a), Val::Str(b)) => Val::Str(format!("{a}{b}")),
                    _ => arith(&v, &r, "+")?,
                };
            } else if self.eat("-") {
                let r = self.product(it)?;
                v = arith(&v, &r, "-")?;
            } else {
                return Ok(v);
            }
        }
    }
    fn product(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let mut v = self.unary(it)?;
        loop {
            let op = ["*", "//", "/", "%"].into_iter().find(|op| self.peek_op(op));
            let Some(op) = op else { return Ok(v) };
            self.pos += 1;
            let r = self.unary(it)?;
            v = arith(&v, &r, op)?;
        }
    }
    fn unary(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        if self.eat("-") {
            let v = self.unary(it)?;
            return arith(&Val::Int(0), &v, "-");
        }
        self.postfix(it)
    }
    fn postfix(&mut self, it: &mut Interp<'_>) -> Result<Val, Stop> {
        let tok = self.toks.get(self.pos).cloned();
        self.pos += 1;
        let mut v = match tok {
            Some(Tok::Num(n)) => n,
            Some(Tok::Str(s)) => Val::Str(s),
            Some(Tok::Op(o)) if o == "(" => {
                let v = self.or(it)?;
                if !self.eat(")") {
                    return raise("SyntaxError", "'(' was never closed");
                }
                v
            }
            Some(Tok::Op(o)) if o == "[" => {
                let mut items = Vec::new();
                while !self.eat("]") {
                    items.push(self.or(it)?);
                    if !self.eat(",") && !self.peek_op("]") {
                        return raise("SyntaxError", "invalid syntax");
                    }
                }
                Val::List(items)
            }
            Some(Tok::Name(name)) => {
                if self.eat("(") {
                    let mut args = Vec::new();
                    while !self.eat(")") {
                        if self.pos >= self.toks.len() {
                            return raise("SyntaxError", "'(' was never closed");
                        }
                        args.push(self.or(it)?);
                        if !self.eat(",") && !self.peek_op(")") {
                            return raise("SyntaxError", "invalid syntax. Perhaps you forgot a comma?");
                        }
                    }
                    if let Some((module, _)) = name.split_once('.') {
                        it.module(module)?;
                    }
                    it.call(&name, args)?
                } else if name == "os.environ" && self.eat("[") {
                    it.module("os")?;
                    let key = self.or(it)?;
                    if !self.eat("]") {
                        return raise("SyntaxError", "'[' was never closed");
                    }
                    match &key {
                        Val::Str(k) => match it.env.get(k) {
                            Some(v) => Val::Str(v.clone()),
                            None => return raise("KeyError", format!("'{k}'")),
                        },
                        _ => return raise("TypeError", "str expected"),
                    }
                } else {
                    match name.as_str() {
                        "True" => Val::Bool(true),
                        "False" => Val::Bool(false),
                        "None" => Val::None,
                        _ => match it.vars.get(&name) {
                            Some(v) => v.clone(),
                            None if name.contains('.') => {
                                let module = name.split('.').next().unwrap_or("");
                                it.module(module)?;
                                return beyond(&format!("`{name}`"));
                            }
                            None => return raise("NameError", format!("name '{name}' is not defined")),
                        },
                    }
                }
            }
            _ => return raise("SyntaxError", "invalid syntax"),
        };
        while self.eat("[") {
            let index = self.or(it)?;
            if !self.eat("]") {
                return raise("SyntaxError", "'[' was never closed");
            }
            v = match (&v, index) {
                (Val::List(l), Val::Int(i)) => {
                    let i = if i < 0 { l.len() as i64 + i } else { i };
                    match l.get(i as usize) {
                        Some(x) => x.clone(),
                        None => return raise("IndexError", "list index out of range"),
                    }
                }
                _ => return beyond("this subscript"),
            };
        }
        Ok(v)
    }
}

fn num(v: &Val) -> Option<f64> {
    match v {
        Val::Int(i) => Some(*i as f64),
        Val::Float(f) => Some(*f),
        Val::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

fn arith(a: &Val, b: &Val, op: &str) -> Result<Val, Stop> {
    let int = |v: &Val| match v {
        Val::Int(i) => Some(*i),
        Val::Bool(b) => Some(i64::from(*b)),
        _ => None,
    };
    if let (Some(x), Some(y)) = (int(a), int(b))
        && op != "/"
    {
        if (op == "%" || op == "//") && y == 0 {
            return raise("ZeroDivisionError", if op == "%" { "integer modulo by zero" } else { "integer division or modulo by zero" });
        }
        return Ok(Val::Int(match op {
            "+" => x.wrapping_add(y),
            "-" => x.wrapping_sub(y),
            "*" => x.wrapping_mul(y),
            "//" => x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0),
            _ => x.rem_euclid(y) + if y < 0 && x.rem_euclid(y) != 0 { y } else { 0 },
        }));
    }
    match (num(a), num(b)) {
        (Some(x), Some(y)) => {
            if y == 0.0 && matches!(op, "/" | "//" | "%") {
                return raise("ZeroDivisionError", "division by zero");
            }
            Ok(Val::Float(match op {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "/" => x / y,
                "//" => (x / y).floor(),
                _ => x - y * (x / y).floor(),
            }))
        }
        _ => raise(
            "TypeError",
            format!("unsupported operand type(s) for {op}: '{}' and '{}'", a.type_name(), b.type_name()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(code: &str, env: &[(&str, &str)], seed: u64) -> ProgramRun {
        let env: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        run(&["-c".to_string(), code.to_string()], &env, seed)
    }

    #[test]
    fn the_indexed_job_script_fails_even_indexes() {
        // E-B75's job-backoff-limit-per-index-example.
        let code = "import os, sys\nprint(\"Hello world\")\nif int(os.environ.get(\"JOB_COMPLETION_INDEX\")) % 2 == 0:\n  sys.exit(1)\n";
        for (index, status) in [("0", 1), ("1", 0), ("4", 1), ("7", 0)] {
            let r = py(code, &[("JOB_COMPLETION_INDEX", index)], 1);
            assert_eq!(r.lines, ["Hello world"]);
            assert_eq!(r.status, status, "index {index}");
        }
    }

    #[test]
    fn the_work_queue_script_exits_at_random_from_the_seed() {
        // E-B74's job-with-task-queue: randint(0,2) % 2 == 0 fails two times in three.
        let code = "import os, sys, random\nprint(\"Hello world\")\nif random.randint(0,2) % 2 == 0:\n  sys.exit(1)          \n";
        let failures = (0..300).filter(|seed| py(code, &[], *seed).status == 1).count();
        assert!((170..=230).contains(&failures), "{failures}");
        assert_eq!(py(code, &[], 42).status, py(code, &[], 42).status);
    }

    #[test]
    fn python_semantics_of_the_subset() {
        let r = py("x = 7 // 2; y = -7 % 3\nprint(x, y, 7 / 2, 'a' + 'b', not x)\nif x > 5:\n    print('big')\nelif x == 3:\n    print('three')\nelse:\n    print('small')\nimport time\ntime.sleep(2)\nsys.exit('bye')", &[], 1);
        assert_eq!(r.lines[..2], ["3 2 3.5 ab False", "three"]);
        assert_eq!(r.lines[2..], ["Traceback (most recent call last):", "  File \"<string>\", line 11, in <module>", "NameError: name 'sys' is not defined"]);
        assert_eq!(r.status, 1);
        assert_eq!(r.took, SimDuration::from_millis(2030));
        let r = py("import numpy", &[], 1);
        assert_eq!(r.lines.last().map(String::as_str), Some("ModuleNotFoundError: No module named 'numpy'"));
        let r = py("import os\nwith open('f') as f: pass", &[], 1);
        assert!(r.lines.last().is_some_and(|l| l.starts_with("SyntaxError: ") && l.contains("beyond this simulated python3")), "{:?}", r.lines);
        let r = py("import sys\nsys.exit(3)", &[], 1);
        assert_eq!((r.lines.len(), r.status), (0, 3));
    }
}
