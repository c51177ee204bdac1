//! Loops in the lab terminal: `for NAME in WORDS; do LIST; done`, `while LIST; do LIST; done`
//! and `until …`, typed on one line or over several (the terminal asks for more with `> `
//! until the `done`). The parser sees a flat list of pipelines, so the reserved words arrive
//! as the first word of a pipeline; [`blocks`] rebuilds the nesting from them.
//!
//! A `while`/`until` may read a pipe (`kubectl get pods -o name | while read p; do …; done`):
//! the command before it runs first, and the loop's `read`s take its output a line at a
//! time. As in bash, the loop runs in a subshell: what it sets does not outlive it.
//!
//! The terminal shows a command's output only when it ends, so a loop that would never end
//! (`while true; do …; done`) is cut off after [`MAX_ROUNDS`] rounds with a message saying
//! so, instead of freezing the page.

use crate::shell::{Connector, Pipeline, ShellLine, Word};

/// Rounds one loop may run before the terminal stops it.
pub const MAX_ROUNDS: usize = 1000;

/// The loops running now and a pending `break`/`continue`.
#[derive(Debug, Clone, Default)]
pub struct LoopState {
    pub depth: u32,
    pub jump: Option<Jump>,
    /// The lines each loop reading a pipe has still to `read`, innermost last.
    pub piped: Vec<std::collections::VecDeque<String>>,
}

/// `break N` / `continue N`: how many enclosing loops it still has to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jump {
    Break(u32),
    Continue(u32),
}

/// One step of a line: a pipeline, or a loop with its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Simple(Connector, Pipeline),
    For {
        connector: Connector,
        name: String,
        /// None: `for NAME; do` iterates over the positional parameters (none here).
        words: Option<Vec<Word>>,
        body: Vec<Block>,
    },
    While {
        connector: Connector,
        /// `until` runs while the condition fails.
        until: bool,
        /// The commands piped into the loop (`… | while read x`), whose output its `read`s
        /// take.
        input: Option<Pipeline>,
        condition: Vec<Block>,
        body: Vec<Block>,
    },
}

/// Whether the line opens a loop it does not close (the terminal then reads on).
pub fn open(line: &ShellLine) -> bool {
    let mut depth = 0i32;
    for (_, p) in &line.pipelines {
        if piped_loop_at(p).is_some() {
            depth += 1;
            continue;
        }
        match first_word(p).as_deref() {
            Some("for" | "while" | "until") => depth += 1,
            Some("done") => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// A loop keyword after a `|` that this terminal does not run: any but a `while`/`until`
/// reading the pipe (`… | for x in a b`, `… | done`).
pub fn piped_keyword(line: &ShellLine) -> Option<String> {
    line.pipelines
        .iter()
        .flat_map(|(_, p)| {
            let skip = piped_loop_at(p).map_or(1, |k| k + 1);
            p.commands.iter().skip(skip)
        })
        .filter_map(|words| words.first()?.literal())
        .find(|w| matches!(w.as_str(), "for" | "while" | "until" | "do" | "done"))
}

/// Whether any pipeline starts with a loop keyword or pipes into a loop (the line needs
/// [`blocks`]).
pub fn has_loop(line: &ShellLine) -> bool {
    line.pipelines.iter().any(|(_, p)| {
        piped_loop_at(p).is_some()
            || matches!(first_word(p).as_deref(), Some("for" | "while" | "until" | "do" | "done"))
    })
}

/// The index of the command that opens a `while`/`until` reading the pipe, if one does
/// (never the first: that is a plain loop).
fn piped_loop_at(p: &Pipeline) -> Option<usize> {
    p.commands.iter().skip(1).position(|words| {
        matches!(words.first().and_then(Word::literal).as_deref(), Some("while" | "until"))
    }).map(|i| i + 1)
}

/// `… | while …` split into the commands feeding the loop and the loop's head.
fn split_piped_loop(p: &Pipeline, at: usize) -> (Pipeline, Pipeline) {
    let producer = Pipeline {
        commands: p.commands[..at].to_vec(),
        errors: p.errors[..at.min(p.errors.len())].to_vec(),
        redirect: None,
        heredoc: p.heredoc.clone(),
        background: false,
    };
    let head = Pipeline {
        commands: p.commands[at..].to_vec(),
        errors: p.errors.get(at..).map(<[_]>::to_vec).unwrap_or_default(),
        redirect: p.redirect.clone(),
        heredoc: None,
        background: p.background,
    };
    (producer, head)
}

/// The line's pipelines with loops nested, or bash's syntax error text.
///
/// # Errors
/// `syntax error near unexpected token `done'` and the like.
pub fn blocks(line: &ShellLine) -> Result<Vec<Block>, String> {
    let mut items: Items = line.pipelines.iter().cloned().collect();
    sequence(&mut items, None)
}

/// The pipelines still to read; a keyword's own pipeline (`do for y in 1 2`) goes back to
/// the front without its keyword.
type Items = std::collections::VecDeque<(Connector, Pipeline)>;

/// Reads blocks until `stop` (`do` or `done`) starts a pipeline, which is left unread.
fn sequence(items: &mut Items, stop: Option<&str>) -> Result<Vec<Block>, String> {
    let mut out = Vec::new();
    while let Some((_, p)) = items.front() {
        let first = first_word(p);
        if let Some(w @ ("do" | "done")) = first.as_deref() {
            if stop == Some(w) {
                return Ok(out);
            }
            return Err(unexpected(w));
        }
        let Some((connector, p)) = items.pop_front() else {
            break;
        };
        if let Some(at) = piped_loop_at(&p) {
            let (producer, head) = split_piped_loop(&p, at);
            let until = first_word(&head).as_deref() == Some("until");
            out.push(while_loop(connector, &head, until, Some(producer), items)?);
            continue;
        }
        match first.as_deref() {
            Some("for") => out.push(for_loop(connector, &p, items)?),
            Some(kw @ ("while" | "until")) => out.push(while_loop(connector, &p, kw == "until", None, items)?),
            _ => out.push(Block::Simple(connector, p)),
        }
    }
    match stop {
        None => Ok(out),
        Some(_) => Err("syntax error: unexpected end of file".into()),
    }
}

fn for_loop(connector: Connector, head: &Pipeline, items: &mut Items) -> Result<Block, String> {
    let words = single_command(head, "for")?;
    let name = words
        .get(1)
        .and_then(Word::literal)
        .filter(|n| crate::vars::valid_name(n))
        .ok_or_else(|| {
            let shown = words.get(1).and_then(Word::literal).unwrap_or_default();
            format!("`{shown}': not a valid identifier")
        })?;
    let list = match words.get(2).and_then(Word::literal).as_deref() {
        None => None,
        Some("in") => Some(words[3..].to_vec()),
        Some(other) => return Err(unexpected(other)),
    };
    let body = body(items)?;
    Ok(Block::For {
        connector,
        name,
        words: list,
        body,
    })
}

fn while_loop(
    connector: Connector,
    head: &Pipeline,
    until: bool,
    input: Option<Pipeline>,
    items: &mut Items,
) -> Result<Block, String> {
    if let Some(rest) = without_first_word(head) {
        items.push_front((Connector::Then, rest));
    }
    let condition = sequence(items, Some("do"))?;
    if condition.is_empty() {
        return Err(unexpected("do"));
    }
    let body = body(items)?;
    Ok(Block::While {
        connector,
        until,
        input,
        condition,
        body,
    })
}

/// `do LIST done`: the body, with `do`'s own pipeline (`do echo $i`) as its first step.
fn body(items: &mut Items) -> Result<Vec<Block>, String> {
    let Some((_, p)) = items.pop_front() else {
        return Err("syntax error: unexpected end of file".into());
    };
    if first_word(&p).as_deref() != Some("do") {
        return Err(unexpected(&first_word(&p).unwrap_or_default()));
    }
    if let Some(rest) = without_first_word(&p) {
        items.push_front((Connector::Then, rest));
    }
    let body = sequence(items, Some("done"))?;
    if body.is_empty() {
        return Err(unexpected("done"));
    }
    let Some((_, done)) = items.pop_front() else {
        return Err("syntax error: unexpected end of file".into());
    };
    if without_first_word(&done).is_some() {
        return Err(
            "redirections and pipes after `done' are not available in this lab's terminal".into(),
        );
    }
    Ok(body)
}

fn first_word(p: &Pipeline) -> Option<String> {
    p.commands.first()?.first()?.literal()
}

/// A loop head must be one plain command (`for x in a b`, not `for x in a | b`).
fn single_command<'p>(p: &'p Pipeline, keyword: &str) -> Result<&'p [Word], String> {
    if p.commands.len() > 1 || p.redirect.is_some() || p.heredoc.is_some() {
        return Err(format!("syntax error near `{keyword}'"));
    }
    Ok(&p.commands[0])
}

/// The pipeline without its first word (`do echo $i` → `echo $i`), or None when nothing is
/// left.
fn without_first_word(p: &Pipeline) -> Option<Pipeline> {
    let mut rest = p.clone();
    let first = rest.commands.first_mut()?;
    first.remove(0);
    if first.is_empty() {
        if rest.commands.len() > 1 || rest.redirect.is_some() {
            return Some(rest);
        }
        return None;
    }
    Some(rest)
}

fn unexpected(token: &str) -> String {
    format!("syntax error near unexpected token `{token}'")
}
