//! The shell grammar the lab terminal understands beyond words: lists (`a; b`, `a && b`,
//! `a || b`), pipes (`a | b`), output redirection (`> f`, `>> f`), here-documents (`<<EOF`,
//! `<<'EOF'`, `<<\EOF`, `<<-EOF`), `#` comments, aliases on the first word, and the
//! expansions a word may hold (`$NAME`, `${NAME}`, `$?`, `$(command)`, `` `command` ``).
//! Quoting follows `split_words`; operators inside quotes are plain text.
//!
//! Parsing never expands anything: a [`Word`] keeps its expansions as segments, and the
//! session expands them when the command runs (`expand`), so `A=1; echo $A` sees the new
//! value. Aliases are the exception, replaced as the line is read, as bash does.

use crate::alias::Aliases;
use crate::command_line::SplitError;

/// One parsed terminal line: pipelines joined by `;`, `&&` and `||`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellLine {
    /// Each pipeline with how it joins the one before it (the first one's is `Then`).
    pub pipelines: Vec<(Connector, Pipeline)>,
}

impl ShellLine {
    /// The here-document the line opens, if any.
    pub fn heredoc(&self) -> Option<&Heredoc> {
        self.pipelines.iter().find_map(|(_, p)| p.heredoc.as_ref())
    }
}

/// How a pipeline joins the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `;` (or the start of the line): runs regardless.
    Then,
    /// `&&`: runs when the previous pipeline succeeded.
    And,
    /// `||`: runs when the previous pipeline failed.
    Or,
}

impl Connector {
    /// Whether the pipeline it joins runs after one that ended with `status`.
    pub fn runs_after(self, status: i32) -> bool {
        match self {
            Connector::Then => true,
            Connector::And => status == 0,
            Connector::Or => status != 0,
        }
    }
}

/// Commands joined by `|`, with the line's redirection and here-document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// The commands, each as its words.
    pub commands: Vec<Vec<Word>>,
    /// Where each command's standard error goes (one entry per command).
    pub errors: Vec<ErrorRedirect>,
    /// `> path` (false) or `>> path` (true): the last command's standard output (and, with
    /// `&>`, its errors); `/dev/null` discards it.
    pub redirect: Option<(Word, bool)>,
    /// The here-document feeding the first command.
    pub heredoc: Option<Heredoc>,
    /// It ended in `&`: it runs as a background job (jobs.rs).
    pub background: bool,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            commands: vec![Vec::new()],
            errors: vec![ErrorRedirect::default()],
            redirect: None,
            heredoc: None,
            background: false,
        }
    }
}

/// A command's file-descriptor redirections besides `>`: `2> f`, `2>> f`, `2>&1`, `>&2`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorRedirect {
    /// `2>&1` (`None` in the tuple) or `2> path` / `2>> path`.
    pub stderr: Option<Option<(Word, bool)>>,
    /// `>&2`: standard output goes to standard error.
    pub stdout_to_stderr: bool,
}

impl Pipeline {
    fn is_empty(&self) -> bool {
        self.commands.iter().all(Vec::is_empty) && self.redirect.is_none() && self.heredoc.is_none()
    }

    /// The pipeline as `jobs` shows it: its words as typed (aliases expanded, as bash keeps
    /// them), with its redirections, without the `&`.
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        for (i, words) in self.commands.iter().enumerate() {
            if i > 0 {
                parts.push("|".to_string());
            }
            parts.extend(words.iter().map(Word::display));
            // bash prints redirections with a space before the file, the output's first.
            if i + 1 == self.commands.len()
                && let Some((w, append)) = &self.redirect
            {
                parts.push(format!("{} {}", if *append { ">>" } else { ">" }, w.display()));
            }
            if let Some(e) = self.errors.get(i) {
                if e.stdout_to_stderr {
                    parts.push(">&2".into());
                }
                match &e.stderr {
                    Some(None) => parts.push("2>&1".into()),
                    Some(Some((w, append))) => {
                        parts.push(format!("{} {}", if *append { "2>>" } else { "2>" }, w.display()));
                    }
                    None => {}
                }
            }
        }
        parts.join(" ")
    }
}

/// A here-document's delimiter and whether its body is expanded (an unquoted delimiter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    pub expand: bool,
}

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Unquoted text.
    Text(String),
    /// Quoted or escaped text: never split, never an alias or an assignment's name.
    Quoted(String),
    /// `$NAME`, `${NAME}`, `$?`; `quoted` inside double quotes or a here-document.
    Param { name: String, quoted: bool },
    /// `$(…)` or `` `…` ``: the command's source text.
    Command { source: String, quoted: bool },
    /// `${NAME:-word}` and its kin: `word` stands in for (or after) the value.
    Modified {
        name: String,
        op: ParamOp,
        /// With `:` an empty value counts as unset.
        colon: bool,
        word: Word,
        quoted: bool,
    },
    /// `${#NAME}`: the value's length in characters.
    Length { name: String, quoted: bool },
    /// `$((…))`: the expression's source text.
    Arithmetic { source: String, quoted: bool },
}

/// What `${NAME<op>word}` does with `word`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    /// `-`: `word` when the variable is unset.
    Default,
    /// `=`: the same, and the variable is set to it.
    Assign,
    /// `+`: `word` when the variable is set, else nothing.
    Alternative,
}

/// One shell word before expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Segment>);

impl Word {
    /// A word of plain text.
    #[cfg(test)]
    pub fn text(s: &str) -> Word {
        Word(vec![Segment::Text(s.to_string())])
    }

    /// The word's text when it has no expansions.
    pub fn literal(&self) -> Option<String> {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Segment::Text(t) | Segment::Quoted(t) => s.push_str(t),
                _ => return None,
            }
        }
        Some(s)
    }

    /// The word near enough to how it was typed: quoted text in single quotes (double ones
    /// when it holds a `'`), expansions in their `$` forms.
    pub fn display(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Segment::Text(t) => s.push_str(t),
                // The empty piece opening quotes that hold an expansion (`"$A"`).
                Segment::Quoted(t) if t.is_empty() && self.0.len() > 1 => {}
                Segment::Quoted(t) if t.contains('\'') => s.push_str(&format!("\"{t}\"")),
                Segment::Quoted(t) => s.push_str(&format!("'{t}'")),
                Segment::Param { name, .. } => s.push_str(&format!("${name}")),
                Segment::Command { source, .. } => s.push_str(&format!("$({source})")),
                Segment::Length { name, .. } => s.push_str(&format!("${{#{name}}}")),
                Segment::Arithmetic { source, .. } => s.push_str(&format!("$(({source}))")),
                Segment::Modified { name, op, colon, word, .. } => {
                    let op = match op {
                        ParamOp::Default => '-',
                        ParamOp::Assign => '=',
                        ParamOp::Alternative => '+',
                    };
                    let colon = if *colon { ":" } else { "" };
                    s.push_str(&format!("${{{name}{colon}{op}{}}}", word.display()));
                }
            }
        }
        s
    }

    /// The word when it is only unquoted text (what may name an alias).
    fn plain(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Segment::Text(t)] => Some(t),
            _ => None,
        }
    }

    /// `NAME=value` with an unquoted, valid NAME: the name and the value's word.
    pub fn assignment(&self) -> Option<(String, Word)> {
        let Some(Segment::Text(first)) = self.0.first() else {
            return None;
        };
        let (name, rest) = first.split_once('=')?;
        if !crate::vars::valid_name(name) {
            return None;
        }
        let mut value = Vec::new();
        if !rest.is_empty() {
            value.push(Segment::Text(rest.to_string()));
        }
        value.extend(self.0[1..].iter().cloned());
        Some((name.to_string(), Word(value)))
    }

    fn push(&mut self, c: char, quoted: bool) {
        match (self.0.last_mut(), quoted) {
            (Some(Segment::Text(t)), false) | (Some(Segment::Quoted(t)), true) => t.push(c),
            _ if quoted => self.0.push(Segment::Quoted(c.to_string())),
            _ => self.0.push(Segment::Text(c.to_string())),
        }
    }

    /// Quotes were opened: the word exists even if they hold nothing (`''`).
    fn mark_quoted(&mut self) {
        if !matches!(self.0.last(), Some(Segment::Quoted(_))) {
            self.0.push(Segment::Quoted(String::new()));
        }
    }
}

/// Parses one (complete) line, expanding the aliases of `aliases` on command words.
///
/// # Errors
/// An unterminated quote or `$(`, an operator without its word (bash's syntax error), or an
/// expansion the lab does not have.
pub fn parse(line: &str, aliases: &Aliases) -> Result<ShellLine, SplitError> {
    let toks = expand_aliases(tokenize(line)?, aliases, &mut Vec::new())?;
    let mut out = ShellLine::default();
    let mut connector = Connector::Then;
    let mut pipeline = Pipeline::default();
    let mut it = toks.into_iter();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => {
                if let Some(last) = pipeline.commands.last_mut() {
                    last.push(w);
                }
            }
            Tok::Pipe => {
                if pipeline.commands.last().is_none_or(Vec::is_empty) {
                    return Err(SplitError::Syntax("|".into()));
                }
                pipeline.commands.push(Vec::new());
                pipeline.errors.push(ErrorRedirect::default());
            }
            Tok::Out | Tok::Append | Tok::ErrOut(_) | Tok::BothOut(_) => {
                let w = match it.next() {
                    Some(Tok::Word(w)) => w,
                    Some(other) => return Err(SplitError::Syntax(other.token().into())),
                    None => return Err(SplitError::Syntax("newline".into())),
                };
                let errors = pipeline.errors.last_mut();
                match (t, errors) {
                    (Tok::ErrOut(append), Some(e)) => e.stderr = Some(Some((w, append))),
                    (Tok::BothOut(append), Some(e)) => {
                        e.stderr = Some(None);
                        pipeline.redirect = Some((w, append));
                    }
                    (t, _) => pipeline.redirect = Some((w, t == Tok::Append)),
                }
            }
            Tok::ErrToOut | Tok::OutToErr => {
                if let Some(e) = pipeline.errors.last_mut() {
                    if t == Tok::ErrToOut {
                        e.stderr = Some(None);
                    } else {
                        e.stdout_to_stderr = true;
                    }
                }
            }
            Tok::Heredoc(h) => {
                if pipeline.heredoc.is_some() || out.heredoc().is_some() {
                    return Err(SplitError::Unsupported(
                        "only one here-document per line is available in this lab".into(),
                    ));
                }
                pipeline.heredoc = Some(h);
            }
            Tok::Op(c) => {
                let dangling_pipe = pipeline.commands.len() > 1
                    && pipeline.commands.last().is_some_and(Vec::is_empty);
                if pipeline.is_empty() || dangling_pipe {
                    return Err(SplitError::Syntax(Tok::Op(c).token().into()));
                }
                out.pipelines
                    .push((connector, std::mem::take(&mut pipeline)));
                connector = c;
            }
            Tok::Amp => {
                // The pipeline before `&` is marked; the and-or list it ends (`a && b &`) is
                // one background job (interp.rs).
                let dangling_pipe = pipeline.commands.len() > 1
                    && pipeline.commands.last().is_some_and(Vec::is_empty);
                if pipeline.is_empty() || dangling_pipe {
                    return Err(SplitError::Syntax("&".into()));
                }
                pipeline.background = true;
                out.pipelines
                    .push((connector, std::mem::take(&mut pipeline)));
                connector = Connector::Then;
            }
        }
    }
    if pipeline.commands.len() > 1 && pipeline.commands.last().is_some_and(Vec::is_empty) {
        return Err(SplitError::Syntax("|".into()));
    }
    if !pipeline.is_empty() {
        out.pipelines.push((connector, pipeline));
    } else if connector != Connector::Then {
        return Err(SplitError::Syntax(Tok::Op(connector).token().into()));
    }
    Ok(out)
}

/// Whether a typed line goes on on the next one, as bash asks with its `> ` prompt (PS2): it
/// ends in a backslash (the backslash and the newline vanish), in `|`, `&&` or `||`, or
/// inside a quote (the newline belongs to the quoted text, as in `kubectl patch -p '[` …
/// `]'`). Returns the text the next line is appended to.
pub fn continues(line: &str) -> Option<String> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut single = false;
    let mut double = false;
    let mut end = line.len();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if single {
            single = c != '\'';
        } else if c == '\\' {
            if i + 1 == chars.len() {
                return (!double).then(|| line[..at].to_string());
            }
            i += 1;
        } else if double {
            double = c != '"';
        } else if c == '\'' {
            single = true;
        } else if c == '"' {
            double = true;
        } else if c == '#'
            && (i == 0
                || chars[i - 1].1.is_whitespace()
                || matches!(chars[i - 1].1, ';' | '|' | '&'))
        {
            end = at;
            break;
        }
        i += 1;
    }
    if single || double {
        return Some(format!("{line}\n"));
    }
    let code = line[..end].trim_end();
    let escaped = |op: &str| code[..code.len() - op.len()].ends_with('\\');
    ["&&", "||", "|"]
        .iter()
        .any(|op| code.ends_with(op) && !escaped(op))
        .then(|| format!("{code} "))
}

/// The body of a here-document with an unquoted delimiter, as one word to expand: `$` and
/// backquotes expand, a backslash quotes only `$`, `` ` `` and `\`; nothing is split.
///
/// # Errors
/// An unterminated `$(` or backquote, or an expansion the lab does not have.
pub fn heredoc_body(body: &str) -> Result<Word, SplitError> {
    let chars: Vec<char> = body.chars().collect();
    let mut word = Word::default();
    word.mark_quoted();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if matches!(chars.get(i + 1), Some('$' | '`' | '\\')) => {
                word.push(chars[i + 1], true);
                i += 1;
            }
            '$' => i = dollar(&chars, i, true, &mut word)?,
            '`' => i = backquote(&chars, i, true, &mut word)?,
            c => word.push(c, true),
        }
        i += 1;
    }
    Ok(word)
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(Word),
    Pipe,
    Out,
    Append,
    /// `2>` (false) or `2>>` (true).
    ErrOut(bool),
    /// `&>` (false) or `&>>` (true).
    BothOut(bool),
    /// `2>&1`.
    ErrToOut,
    /// `>&2` (or `1>&2`).
    OutToErr,
    Heredoc(Heredoc),
    Op(Connector),
    /// A single `&`: the pipeline before it runs in the background.
    Amp,
}

impl Tok {
    /// How bash names the token in a syntax error.
    fn token(&self) -> &'static str {
        match self {
            Tok::Pipe => "|",
            Tok::Out => ">",
            Tok::Append => ">>",
            Tok::ErrOut(false) => "2>",
            Tok::ErrOut(true) => "2>>",
            Tok::BothOut(false) => "&>",
            Tok::BothOut(true) => "&>>",
            Tok::ErrToOut => "2>&1",
            Tok::OutToErr => ">&2",
            Tok::Heredoc(_) => "<<",
            Tok::Op(Connector::Then) => ";",
            Tok::Op(Connector::And) => "&&",
            Tok::Op(Connector::Or) => "||",
            Tok::Amp => "&",
            Tok::Word(_) => "word",
        }
    }
}

/// Replaces an alias on each command word (the first word, after any assignments, of each
/// command) by its text; an alias whose text ends in a blank also lets the next word be one
/// (bash's rule). `active` stops an alias from expanding inside itself.
fn expand_aliases(
    toks: Vec<Tok>,
    aliases: &Aliases,
    active: &mut Vec<String>,
) -> Result<Vec<Tok>, SplitError> {
    let mut out = Vec::with_capacity(toks.len());
    let mut command_word = true;
    let mut redirect_target = false;
    for t in toks {
        match t {
            Tok::Word(w) if redirect_target => {
                redirect_target = false;
                out.push(Tok::Word(w));
            }
            Tok::Word(w) if command_word && w.assignment().is_some() => out.push(Tok::Word(w)),
            Tok::Word(w) if command_word => {
                let alias = w
                    .plain()
                    .filter(|name| !active.iter().any(|a| a == name))
                    .and_then(|name| Some((name.to_string(), aliases.get(name)?.to_string())));
                match alias {
                    Some((name, text)) => {
                        active.push(name);
                        let expanded = expand_aliases(tokenize(&text)?, aliases, active);
                        active.pop();
                        out.extend(expanded?);
                        command_word = text.ends_with([' ', '\t']);
                    }
                    None => {
                        out.push(Tok::Word(w));
                        command_word = false;
                    }
                }
            }
            Tok::Word(w) => out.push(Tok::Word(w)),
            Tok::Pipe | Tok::Op(_) | Tok::Amp => {
                command_word = true;
                out.push(t);
            }
            Tok::Out | Tok::Append | Tok::ErrOut(_) | Tok::BothOut(_) => {
                redirect_target = true;
                out.push(t);
            }
            Tok::Heredoc(_) | Tok::ErrToOut | Tok::OutToErr => out.push(t),
        }
    }
    Ok(out)
}

fn tokenize(line: &str) -> Result<Vec<Tok>, SplitError> {
    let mut toks = Vec::new();
    let mut cur = Word::default();
    let mut in_word = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let flush = |cur: &mut Word, in_word: &mut bool, toks: &mut Vec<Tok>| {
        if *in_word {
            toks.push(Tok::Word(std::mem::take(cur)));
            *in_word = false;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' => flush(&mut cur, &mut in_word, &mut toks),
            '#' if !in_word => {
                // A comment runs to the end of its line.
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '|' | ';' | '&' if c != '&' || next == Some('&') => {
                flush(&mut cur, &mut in_word, &mut toks);
                let tok = match (c, next) {
                    ('|', Some('|')) => Tok::Op(Connector::Or),
                    ('|', _) => Tok::Pipe,
                    (';', _) => Tok::Op(Connector::Then),
                    _ => Tok::Op(Connector::And),
                };
                if matches!(tok, Tok::Op(Connector::Or | Connector::And)) {
                    i += 1;
                }
                toks.push(tok);
            }
            '&' if next == Some('>') => {
                flush(&mut cur, &mut in_word, &mut toks);
                i += 1;
                let append = chars.get(i + 1) == Some(&'>');
                if append {
                    i += 1;
                }
                toks.push(Tok::BothOut(append));
            }
            '&' => {
                flush(&mut cur, &mut in_word, &mut toks);
                toks.push(Tok::Amp);
            }
            '>' => {
                // `2>`, `1>`: a file descriptor written just before the operator.
                let fd = match cur.0.as_slice() {
                    [Segment::Text(t)] if in_word && (t == "1" || t == "2") => {
                        let fd = if t == "2" { 2 } else { 1 };
                        cur = Word::default();
                        in_word = false;
                        fd
                    }
                    _ => {
                        flush(&mut cur, &mut in_word, &mut toks);
                        1
                    }
                };
                let after: String = chars[i + 1..chars.len().min(i + 3)].iter().collect();
                let tok = match (fd, after.as_str()) {
                    (2, a) if a.starts_with("&1") => Tok::ErrToOut,
                    (1, a) if a.starts_with("&2") => Tok::OutToErr,
                    (2, a) if a.starts_with('>') => Tok::ErrOut(true),
                    (2, _) => Tok::ErrOut(false),
                    (_, a) if a.starts_with('>') => Tok::Append,
                    _ => Tok::Out,
                };
                i += match tok {
                    Tok::ErrToOut | Tok::OutToErr => 2,
                    Tok::ErrOut(true) | Tok::Append => 1,
                    _ => 0,
                };
                toks.push(tok);
            }
            '<' if next == Some('<') => {
                flush(&mut cur, &mut in_word, &mut toks);
                i += 2;
                if chars.get(i) == Some(&'-') {
                    i += 1;
                }
                while chars.get(i) == Some(&' ') {
                    i += 1;
                }
                let mut delimiter = String::new();
                let mut expand = true;
                while let Some(&d) = chars.get(i) {
                    match d {
                        ' ' | '\t' | '|' | '>' | ';' | '&' => break,
                        '\'' | '"' | '\\' => expand = false,
                        other => delimiter.push(other),
                    }
                    i += 1;
                }
                if delimiter.is_empty() {
                    return Err(SplitError::Syntax("newline".into()));
                }
                toks.push(Tok::Heredoc(Heredoc { delimiter, expand }));
                continue;
            }
            '\'' => {
                in_word = true;
                cur.mark_quoted();
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('\'') => break,
                        Some(&ch) => cur.push(ch, true),
                        None => return Err(SplitError::UnterminatedQuote { quote: '\'' }),
                    }
                    i += 1;
                }
            }
            '"' => {
                in_word = true;
                cur.mark_quoted();
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('"') => break,
                        Some('\\') => {
                            i += 1;
                            match chars.get(i) {
                                Some(&ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch, true),
                                Some('\n') => {}
                                Some(&ch) => {
                                    cur.push('\\', true);
                                    cur.push(ch, true);
                                }
                                None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                            }
                        }
                        Some('$') => i = dollar(&chars, i, true, &mut cur)?,
                        Some('`') => i = backquote(&chars, i, true, &mut cur)?,
                        Some(&ch) => cur.push(ch, true),
                        None => return Err(SplitError::UnterminatedQuote { quote: '"' }),
                    }
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                i += 1;
                if let Some(&ch) = chars.get(i) {
                    cur.push(ch, true);
                }
            }
            '$' => {
                in_word = true;
                i = dollar(&chars, i, false, &mut cur)?;
            }
            '`' => {
                in_word = true;
                i = backquote(&chars, i, false, &mut cur)?;
            }
            '~' if tilde_prefix(&cur, in_word)
                && matches!(next, None | Some('/' | ' ' | '\t' | '\n' | ':' | ';' | '|')) =>
            {
                // Tilde expansion: `~` at the start of a word or an assignment's value.
                in_word = true;
                cur.0.push(Segment::Param {
                    name: "HOME".into(),
                    quoted: true,
                });
            }
            other => {
                in_word = true;
                cur.push(other, false);
            }
        }
        i += 1;
    }
    flush(&mut cur, &mut in_word, &mut toks);
    Ok(toks)
}

/// Whether a `~` here starts a word or an assignment's value (`KUBECONFIG=~/…`).
fn tilde_prefix(cur: &Word, in_word: bool) -> bool {
    if !in_word {
        return true;
    }
    match cur.0.as_slice() {
        [Segment::Text(t)] => t.strip_suffix('=').is_some_and(crate::vars::valid_name),
        _ => false,
    }
}

/// Reads the expansion starting at the `$` at `chars[i]` into `word`; returns the index of
/// its last character. A `$` that starts no expansion is itself.
fn dollar(chars: &[char], i: usize, quoted: bool, word: &mut Word) -> Result<usize, SplitError> {
    let name_char = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
    match chars.get(i + 1) {
        Some('(') if chars.get(i + 2) == Some(&'(') => {
            let close = matching_paren(chars, i + 3)?;
            if chars.get(close + 1) != Some(&')') {
                return Err(SplitError::UnterminatedQuote { quote: ')' });
            }
            let source: String = chars[i + 3..close].iter().collect();
            word.0.push(Segment::Arithmetic { source, quoted });
            Ok(close + 1)
        }
        Some('(') => {
            let close = matching_paren(chars, i + 2)?;
            let source: String = chars[i + 2..close].iter().collect();
            word.0.push(Segment::Command { source, quoted });
            Ok(close)
        }
        Some('{') => {
            let Some(len) = closing_brace(&chars[i + 2..]) else {
                return Err(SplitError::UnterminatedQuote { quote: '}' });
            };
            let inner: String = chars[i + 2..i + 2 + len].iter().collect();
            word.0.push(braced(&inner, quoted)?);
            Ok(i + 2 + len)
        }
        Some(&c @ ('?' | '#' | '@' | '*' | '!' | '0'..='9')) => {
            word.0.push(Segment::Param {
                name: c.to_string(),
                quoted,
            });
            Ok(i + 1)
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let len = chars[i + 1..].iter().take_while(|c| name_char(c)).count();
            let name: String = chars[i + 1..i + 1 + len].iter().collect();
            word.0.push(Segment::Param { name, quoted });
            Ok(i + len)
        }
        _ => {
            word.push('$', quoted);
            Ok(i)
        }
    }
}

/// The index of the `)` closing a `$(` whose text starts at `from`, skipping quoted text and
/// nested parentheses.
/// Where the `}` closing a `${` is, in `chars` (which start after the `{`): nested `${…}`
/// and quoted text are skipped.
fn closing_brace(chars: &[char]) -> Option<usize> {
    let mut depth = 0;
    let mut quote = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match (quote, c) {
            (None, '\\') => i += 1,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '{') if i > 0 && chars[i - 1] == '$' => depth += 1,
            (None, '}') if depth == 0 => return Some(i),
            (None, '}') => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The expansion `${inner}` stands for: a name, `#NAME`, or `NAME` with `-`/`=`/`+` (after an
/// optional `:`) and a word. Anything else is bash's "bad substitution".
fn braced(inner: &str, quoted: bool) -> Result<Segment, SplitError> {
    let special = |n: &str| {
        matches!(n, "?" | "#" | "@" | "*" | "!") || (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    };
    if crate::vars::valid_name(inner) || special(inner) {
        return Ok(Segment::Param {
            name: inner.to_string(),
            quoted,
        });
    }
    let bad = || SplitError::BadSubstitution(format!("${{{inner}}}"));
    if let Some(name) = inner.strip_prefix('#')
        && (crate::vars::valid_name(name) || special(name))
    {
        return Ok(Segment::Length {
            name: name.to_string(),
            quoted,
        });
    }
    let name_len = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    let (name, rest) = inner.split_at(name_len);
    if !crate::vars::valid_name(name) {
        return Err(bad());
    }
    let (colon, rest) = match rest.strip_prefix(':') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let mut ops = rest.chars();
    let op = match ops.next() {
        Some('-') => ParamOp::Default,
        Some('=') => ParamOp::Assign,
        Some('+') => ParamOp::Alternative,
        _ => return Err(bad()),
    };
    Ok(Segment::Modified {
        name: name.to_string(),
        op,
        colon,
        word: operand(ops.as_str())?,
        quoted,
    })
}

/// The word after `:-` and its kin: expansions inside, quotes removed, never split.
fn operand(text: &str) -> Result<Word, SplitError> {
    let chars: Vec<char> = text.chars().collect();
    let mut word = Word::default();
    word.mark_quoted();
    let mut i = 0;
    let mut quote = None;
    while i < chars.len() {
        match (quote, chars[i]) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), c) => word.push(c, true),
            (None, q @ ('\'' | '"')) => quote = Some(q),
            (_, '\\') if i + 1 < chars.len() => {
                i += 1;
                word.push(chars[i], true);
            }
            (_, '$') => i = dollar(&chars, i, true, &mut word)?,
            (_, '`') => i = backquote(&chars, i, true, &mut word)?,
            (_, c) => word.push(c, true),
        }
        i += 1;
    }
    Ok(word)
}

fn matching_paren(chars: &[char], from: usize) -> Result<usize, SplitError> {
    let mut depth = 0;
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 1,
            '\'' => {
                i += 1;
                while chars.get(i).is_some_and(|c| *c != '\'') {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                while let Some(&d) = chars.get(i) {
                    match d {
                        '"' => break,
                        '\\' => i += 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Ok(i),
            ')' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    Err(SplitError::UnterminatedQuote { quote: ')' })
}

/// Reads a `` `command` `` starting at `chars[i]`; inside, a backslash quotes only `$`,
/// `` ` `` and `\`.
fn backquote(chars: &[char], i: usize, quoted: bool, word: &mut Word) -> Result<usize, SplitError> {
    let mut source = String::new();
    let mut j = i + 1;
    loop {
        match chars.get(j) {
            Some('`') => break,
            Some('\\') if matches!(chars.get(j + 1), Some('$' | '`' | '\\')) => {
                j += 1;
                source.push(chars[j]);
            }
            Some(&c) => source.push(c),
            None => return Err(SplitError::UnterminatedQuote { quote: '`' }),
        }
        j += 1;
    }
    word.0.push(Segment::Command { source, quoted });
    Ok(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: &[Word]) -> Vec<String> {
        words
            .iter()
            .map(|w| w.literal().unwrap_or_else(|| format!("{w:?}")))
            .collect()
    }

    fn commands(line: &str) -> Vec<Vec<Vec<String>>> {
        let parsed = parse(line, &Aliases::default()).expect("parse");
        parsed
            .pipelines
            .iter()
            .map(|(_, p)| p.commands.iter().map(|c| texts(c)).collect())
            .collect()
    }

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines() {
        let l = parse("cat > kubia.yaml <<'EOF'", &Aliases::default()).expect("parse");
        let (_, p) = &l.pipelines[0];
        assert_eq!(texts(&p.commands[0]), words(&["cat"]));
        assert_eq!(p.redirect, Some((Word::text("kubia.yaml"), false)));
        assert_eq!(
            l.heredoc(),
            Some(&Heredoc {
                delimiter: "EOF".into(),
                expand: false
            })
        );
        let l = parse("cat <<EOF", &Aliases::default()).expect("parse");
        assert_eq!(
            l.heredoc(),
            Some(&Heredoc {
                delimiter: "EOF".into(),
                expand: true
            })
        );
        assert_eq!(
            commands("kubectl get po -o wide | grep dns  # comment"),
            vec![vec![
                words(&["kubectl", "get", "po", "-o", "wide"]),
                words(&["grep", "dns"])
            ]]
        );
        let l = parse("echo 'a | b' >> f", &Aliases::default()).expect("parse");
        assert_eq!(
            texts(&l.pipelines[0].1.commands[0]),
            words(&["echo", "a | b"])
        );
        assert_eq!(l.pipelines[0].1.redirect, Some((Word::text("f"), true)));
    }

    struct ErrCase {
        name: &'static str,
        line: &'static str,
        want: SplitError,
    }

    #[test]
    fn syntax_errors_name_bashs_token() {
        let cases = [
            ErrCase {
                name: "dangling pipe",
                line: "a |",
                want: SplitError::Syntax("|".into()),
            },
            ErrCase {
                name: "leading pipe",
                line: "| a",
                want: SplitError::Syntax("|".into()),
            },
            ErrCase {
                name: "leading and",
                line: "&& a",
                want: SplitError::Syntax("&&".into()),
            },
            ErrCase {
                name: "empty command",
                line: "a ; ; b",
                want: SplitError::Syntax(";".into()),
            },
            ErrCase {
                name: "dangling or",
                line: "a ||",
                want: SplitError::Syntax("||".into()),
            },
            ErrCase {
                name: "redirect to nothing",
                line: "echo >",
                want: SplitError::Syntax("newline".into()),
            },
            ErrCase {
                name: "open substitution",
                line: "echo $(ls",
                want: SplitError::UnterminatedQuote { quote: ')' },
            },
            ErrCase {
                name: "open backquote",
                line: "echo `ls",
                want: SplitError::UnterminatedQuote { quote: '`' },
            },
            ErrCase {
                name: "bad substitution",
                line: "echo ${A%.*}",
                want: SplitError::BadSubstitution("${A%.*}".into()),
            },
            ErrCase {
                name: "open arithmetic",
                line: "echo $((1+2)",
                want: SplitError::UnterminatedQuote { quote: ')' },
            },
        ];
        for case in cases {
            assert_eq!(
                parse(case.line, &Aliases::default()),
                Err(case.want),
                "case {}",
                case.name
            );
        }
    }

    #[test]
    fn descriptors_redirect_per_command() {
        let l = parse(
            "kubectl get x 2>&1 | grep y 2>/dev/null >> out; echo e >&2; a &> both; b 2>> errs",
            &Aliases::default(),
        )
        .expect("parse");
        let p = &l.pipelines[0].1;
        assert_eq!(texts(&p.commands[0]), words(&["kubectl", "get", "x"]));
        assert_eq!(p.errors[0].stderr, Some(None));
        assert_eq!(
            p.errors[1].stderr,
            Some(Some((Word::text("/dev/null"), false)))
        );
        assert_eq!(p.redirect, Some((Word::text("out"), true)));
        assert!(l.pipelines[1].1.errors[0].stdout_to_stderr);
        assert_eq!(l.pipelines[2].1.errors[0].stderr, Some(None));
        assert_eq!(l.pipelines[2].1.redirect, Some((Word::text("both"), false)));
        assert_eq!(
            l.pipelines[3].1.errors[0].stderr,
            Some(Some((Word::text("errs"), true)))
        );
        // A 2 that is not right before `>` is an argument.
        assert_eq!(commands("echo 2 > f"), vec![vec![words(&["echo", "2"])]]);
        assert_eq!(commands("echo a2>f"), vec![vec![words(&["echo", "a2"])]]);
    }

    #[test]
    fn lists_join_pipelines() {
        let l = parse("a; b && c | d || e;", &Aliases::default()).expect("parse");
        let joins: Vec<Connector> = l.pipelines.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            joins,
            vec![
                Connector::Then,
                Connector::Then,
                Connector::And,
                Connector::Or
            ]
        );
        assert_eq!(l.pipelines[2].1.commands.len(), 2);
        // A single `&` ends a pipeline that runs in the background.
        let l = parse("echo a&b", &Aliases::default()).expect("parse");
        assert!(l.pipelines[0].1.background && !l.pipelines[1].1.background);
        assert_eq!(l.pipelines[1].0, Connector::Then);
        let l = parse("kubectl proxy >/dev/null 2>&1 &", &Aliases::default()).expect("parse");
        assert_eq!(l.pipelines.len(), 1);
        assert_eq!(l.pipelines[0].1.display(), "kubectl proxy > /dev/null 2>&1");
        assert!(matches!(parse("& ls", &Aliases::default()), Err(SplitError::Syntax(t)) if t == "&"));
    }

    #[test]
    fn words_keep_their_expansions() {
        let l = parse(
            r#"echo $A "${B}x" '$C' \$D $(kubectl get po | head -n 1) `date`"#,
            &Aliases::default(),
        )
        .expect("parse");
        let w = &l.pipelines[0].1.commands[0];
        assert_eq!(
            w[1],
            Word(vec![Segment::Param {
                name: "A".into(),
                quoted: false
            }])
        );
        assert_eq!(
            w[2],
            Word(vec![
                Segment::Quoted(String::new()),
                Segment::Param {
                    name: "B".into(),
                    quoted: true
                },
                Segment::Quoted("x".into())
            ])
        );
        assert_eq!(w[3].literal().as_deref(), Some("$C"));
        assert_eq!(w[4].literal().as_deref(), Some("$D"));
        assert_eq!(
            w[5],
            Word(vec![Segment::Command {
                source: "kubectl get po | head -n 1".into(),
                quoted: false
            }])
        );
        assert_eq!(
            w[6],
            Word(vec![Segment::Command {
                source: "date".into(),
                quoted: false
            }])
        );
        // A `$` that starts nothing, and `$?`.
        assert_eq!(
            commands("echo $ a$"),
            vec![vec![words(&["echo", "$", "a$"])]]
        );
        let l = parse("echo $?", &Aliases::default()).expect("parse");
        assert_eq!(
            l.pipelines[0].1.commands[0][1],
            Word(vec![Segment::Param {
                name: "?".into(),
                quoted: false
            }])
        );
        // The `)` inside quotes does not close the substitution.
        let l = parse(
            "P=$(kubectl get pods -o jsonpath='{.items[0].metadata.name}')",
            &Aliases::default(),
        )
        .expect("parse");
        let (name, value) = l.pipelines[0].1.commands[0][0]
            .assignment()
            .expect("assignment");
        assert_eq!(name, "P");
        assert_eq!(
            value,
            Word(vec![Segment::Command {
                source: "kubectl get pods -o jsonpath='{.items[0].metadata.name}'".into(),
                quoted: false
            }])
        );
        // Quoted names are not assignments.
        let l = parse("'A=1' \"B\"=2", &Aliases::default()).expect("parse");
        assert!(
            l.pipelines[0].1.commands[0]
                .iter()
                .all(|w| w.assignment().is_none())
        );
    }

    #[test]
    fn aliases_replace_command_words() {
        let mut aliases = Aliases::default();
        aliases.alias(&["kgp=kubectl get pods", "ls=ls -l", "sudo=sudo ", "k2=k get"]);
        let got = |line: &str| {
            let l = parse(line, &aliases).expect("parse");
            l.pipelines
                .iter()
                .map(|(_, p)| {
                    p.commands
                        .iter()
                        .map(|c| texts(c).join(" "))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            got("kgp -o wide | grep kgp"),
            vec!["kubectl get pods -o wide | grep kgp"]
        );
        assert_eq!(
            got("ls; k get no && echo k"),
            vec!["ls -l", "kubectl get no", "echo k"]
        );
        assert_eq!(got("k2 svc"), vec!["kubectl get svc"]);
        assert_eq!(got("sudo k version"), vec!["sudo kubectl version"]);
        assert_eq!(got(r"\k get no"), vec!["k get no"]);
        assert_eq!(got("'k' get no"), vec!["k get no"]);
        assert_eq!(got("A=1 k get no"), vec!["A=1 kubectl get no"]);
        assert_eq!(got("echo > k"), vec!["echo"]);
    }

    #[test]
    fn lines_that_continue() {
        let cases: [(&str, Option<&str>); 11] = [
            ("kubectl run kubia \\", Some("kubectl run kubia ")),
            ("kubectl get po |", Some("kubectl get po | ")),
            ("a &&  ", Some("a && ")),
            ("a || # then", Some("a || ")),
            ("echo done", None),
            ("echo 'a \\", Some("echo 'a \\\n")),
            ("kubectl patch -p '[", Some("kubectl patch -p '[\n")),
            ("echo a\\\\", None),
            ("echo \\|", None),
            ("# just a comment \\", None),
            ("echo $# \\", Some("echo $# ")),
        ];
        for (line, want) in cases {
            assert_eq!(continues(line).as_deref(), want, "line {line:?}");
        }
    }

    #[test]
    fn heredoc_bodies_expand_dollars_but_keep_quotes() {
        let w = heredoc_body("name: \"$POD\"\ncost: \\$5 `date`\n").expect("body");
        assert_eq!(
            w.0,
            vec![
                Segment::Quoted("name: \"".into()),
                Segment::Param {
                    name: "POD".into(),
                    quoted: true
                },
                Segment::Quoted("\"\ncost: $5 ".into()),
                Segment::Command {
                    source: "date".into(),
                    quoted: true
                },
                Segment::Quoted("\n".into()),
            ]
        );
    }
}
