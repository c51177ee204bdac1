//! The lesson file format and its reader.
//!
//! One YAML file per lesson holds both languages side by side: every text is a mapping with
//! `en` and `zh`, while commands, manifests and checks are written once, so a translation can
//! never drift from what the lesson asks the cluster. Shape:
//!
//! ```yaml
//! id: kubia-replication
//! title: {en: …, zh: …}
//! intro: {en: …, zh: …}
//! steps:
//!   - title: {en: …, zh: …}
//!     text: {en: …, zh: …}          # markdown subset, see `markdown`
//!     files: {kubia-rc.yaml: "…"}   # written to the lab's files, openable in the editor
//!     try: [kubectl create -f kubia-rc.yaml]   # shown, clickable; {{pod app=kubia}} = a live name
//!     solution: [kubectl create -f kubia-rc.yaml, sleep 30]   # what tests run; default `try`
//!     checks:
//!       - says: {en: …, zh: …}
//!         get: pods -l app=kubia    # as `kubectl get` names objects
//!         where: "{.status.phase} == Running"   # optional filters (one or a list)
//!         count: 3                  # and/or exists / all / any
//!         all: ready
//! ```
//!
//! Every problem is reported as `file:line: problem`; nothing here panics on bad input.

use std::fmt;

use super::check::{Check, Compare, Condition, Expectation, Query};
use super::markdown::{self, Block};
use super::placeholder;
use super::yaml::{self, Node, Value};

/// The page's two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The key used in lesson files and by the page (`en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Reads `en`, `zh`, `zh-CN`, `en-US`…; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.split(['-', '_']).next()?.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A text's markdown blocks in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blocks {
    pub en: Vec<Block>,
    pub zh: Vec<Block>,
}

impl Blocks {
    pub fn get(&self, lang: Lang) -> &[Block] {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A lab file a step provides (a manifest the learner applies or opens in the editor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonFile {
    pub path: String,
    pub text: String,
}

/// One step: read, try the commands, watch the checks turn green.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: Text,
    pub text: Text,
    /// `text` parsed, per language, so the page only renders.
    pub blocks: Blocks,
    pub files: Vec<LessonFile>,
    pub commands: Vec<String>,
    pub solution: Vec<String>,
    pub checks: Vec<Check>,
}

impl Step {
    pub fn blocks(&self, lang: Lang) -> &[Block] {
        self.blocks.get(lang)
    }
}

/// A guided lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: String,
    /// The file it came from, e.g. `kubia-replication.yaml`.
    pub file: String,
    pub title: Text,
    pub intro: Text,
    pub intro_blocks: Blocks,
    pub steps: Vec<Step>,
}

impl Lesson {
    pub fn intro_blocks(&self, lang: Lang) -> &[Block] {
        self.intro_blocks.get(lang)
    }
}

/// A problem in a lesson file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.problem)
    }
}

impl std::error::Error for LessonError {}

/// Reads one lesson file.
///
/// # Errors
/// The first problem found, with the file name and line.
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let fail = |line: usize, problem: String| LessonError {
        file: file.to_string(),
        line,
        problem,
    };
    let root = yaml::parse(text).map_err(|e| fail(e.line, e.problem))?;
    read_lesson(file, &root).map_err(|(line, problem)| fail(line, problem))
}

/// A problem at a line, before the file name is attached.
type Problem = (usize, String);

fn read_lesson(file: &str, root: &Node) -> Result<Lesson, Problem> {
    let mut fields = Fields::of(root, "the lesson", &["id", "title", "intro", "steps"])?;
    let id_node = fields.required("id")?;
    let id = scalar(id_node, "id")?;
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err((
            id_node.line,
            format!("id `{id}` must be lowercase letters, digits and dashes"),
        ));
    }
    let title = text(fields.required("title")?, "title")?;
    let (intro, intro_blocks) = match fields.optional("intro") {
        Some(node) => markdown_text(node, "intro")?,
        None => Default::default(),
    };
    let steps_node = fields.required("steps")?;
    let Value::Seq(items) = &steps_node.value else {
        return Err((steps_node.line, "`steps` must be a list".into()));
    };
    if items.is_empty() {
        return Err((steps_node.line, "a lesson needs at least one step".into()));
    }
    let steps = items.iter().map(read_step).collect::<Result<Vec<_>, _>>()?;
    Ok(Lesson {
        id,
        file: file.to_string(),
        title,
        intro,
        intro_blocks,
        steps,
    })
}

fn read_step(node: &Node) -> Result<Step, Problem> {
    let mut fields = Fields::of(
        node,
        "a step",
        &["title", "text", "files", "try", "solution", "checks"],
    )?;
    let title = text(fields.required("title")?, "title")?;
    let (text, blocks) = markdown_text(fields.required("text")?, "text")?;
    let files = match fields.optional("files") {
        Some(node) => read_files(node)?,
        None => Vec::new(),
    };
    let commands = match fields.optional("try") {
        Some(node) => command_list(node, "try")?,
        None => Vec::new(),
    };
    let solution = match fields.optional("solution") {
        Some(node) => command_list(node, "solution")?,
        None => commands.clone(),
    };
    let checks_node = fields.required("checks")?;
    let Value::Seq(items) = &checks_node.value else {
        return Err((checks_node.line, "`checks` must be a list".into()));
    };
    if items.is_empty() {
        return Err((checks_node.line, "a step needs at least one check".into()));
    }
    let checks = items
        .iter()
        .map(read_check)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Step {
        title,
        text,
        blocks,
        files,
        commands,
        solution,
        checks,
    })
}

fn read_files(node: &Node) -> Result<Vec<LessonFile>, Problem> {
    let Value::Map(entries) = &node.value else {
        return Err((node.line, "`files` maps a file name to its text".into()));
    };
    entries
        .iter()
        .map(|(path, line, value)| {
            let valid =
                !path.is_empty() && !path.starts_with('/') && !path.split('/').any(|p| p == "..");
            if !valid {
                return Err((
                    *line,
                    format!("file name `{path}` must be relative, inside the lab"),
                ));
            }
            Ok(LessonFile {
                path: path.clone(),
                text: scalar(value, path)?,
            })
        })
        .collect()
}

fn command_list(node: &Node, key: &str) -> Result<Vec<String>, Problem> {
    let Value::Seq(items) = &node.value else {
        return Err((
            node.line,
            format!("`{key}` must be a list of command lines"),
        ));
    };
    items
        .iter()
        .map(|item| {
            let line = scalar(item, key)?;
            if line.trim().is_empty() || line.contains('\n') {
                return Err((
                    item.line,
                    format!("each `{key}` entry is one non-empty command line"),
                ));
            }
            placeholder::validate(&line).map_err(|e| (item.line, e))?;
            Ok(line)
        })
        .collect()
}

fn read_check(node: &Node) -> Result<Check, Problem> {
    let mut fields = Fields::of(
        node,
        "a check",
        &["says", "get", "where", "count", "exists", "all", "any"],
    )?;
    let says = text(fields.required("says")?, "says")?;
    let get = fields.required("get")?;
    let query = Query::parse(&scalar(get, "get")?).map_err(|e| (get.line, e))?;
    let filters = match fields.optional("where") {
        Some(node) => conditions(node, &query)?,
        None => Vec::new(),
    };
    let mut expect = Vec::new();
    if let Some(node) = fields.optional("count") {
        expect.push(Expectation::Count(
            Compare::parse(&scalar(node, "count")?).map_err(|e| (node.line, e))?,
        ));
    }
    if let Some(node) = fields.optional("exists") {
        let want = match scalar(node, "exists")?.as_str() {
            "true" => ">= 1",
            "false" => "0",
            other => {
                return Err((
                    node.line,
                    format!("`exists` is true or false, not `{other}`"),
                ));
            }
        };
        expect.push(Expectation::Count(
            Compare::parse(want).map_err(|e| (node.line, e))?,
        ));
    }
    if let Some(node) = fields.optional("all") {
        expect.push(Expectation::All(conditions(node, &query)?));
    }
    if let Some(node) = fields.optional("any") {
        expect.push(Expectation::Any(conditions(node, &query)?));
    }
    if expect.is_empty() {
        return Err((
            node.line,
            "a check states what must hold: `count`, `exists`, `all` or `any`".into(),
        ));
    }
    Ok(Check {
        line: node.line,
        says,
        query,
        filters,
        expect,
    })
}

fn conditions(node: &Node, query: &Query) -> Result<Vec<Condition>, Problem> {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    items
        .into_iter()
        .map(|item| {
            Condition::parse(&scalar(item, "condition")?, query.kind).map_err(|e| (item.line, e))
        })
        .collect()
}

/// A `{en, zh}` pair, both required and non-empty.
fn text(node: &Node, key: &str) -> Result<Text, Problem> {
    let Value::Map(_) = &node.value else {
        return Err((
            node.line,
            format!("`{key}` needs both languages: {{en: …, zh: …}}"),
        ));
    };
    let mut fields = Fields::of(node, key, &["en", "zh"])?;
    let mut get = |lang: &str| -> Result<String, Problem> {
        let n = fields
            .optional(lang)
            .ok_or((node.line, format!("`{key}` is missing its `{lang}` text")))?;
        let s = scalar(n, lang)?;
        if s.trim().is_empty() {
            return Err((n.line, format!("`{key}.{lang}` is empty")));
        }
        Ok(s)
    };
    Ok(Text {
        en: get("en")?,
        zh: get("zh")?,
    })
}

fn markdown_text(node: &Node, key: &str) -> Result<(Text, Blocks), Problem> {
    let t = text(node, key)?;
    let parse = |lang: &str, s: &str| {
        // A block scalar's lines start one line after its key.
        let line = lang_line(node, lang) + usize::from(s.contains('\n'));
        markdown::parse(s).map_err(|(offset, e)| (line + offset, format!("`{key}.{lang}`: {e}")))
    };
    let blocks = Blocks {
        en: parse("en", &t.en)?,
        zh: parse("zh", &t.zh)?,
    };
    Ok((t, blocks))
}

fn lang_line(node: &Node, lang: &str) -> usize {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, ..)| k == lang)
            .map_or(node.line, |(_, l, _)| *l),
        _ => node.line,
    }
}

fn scalar(node: &Node, key: &str) -> Result<String, Problem> {
    match &node.value {
        Value::Scalar(s) => Ok(s.clone()),
        _ => Err((
            node.line,
            format!("`{key}` must be text, not a list or mapping"),
        )),
    }
}

/// A mapping's entries, checked against the keys it may have.
struct Fields<'a> {
    line: usize,
    entries: &'a [(String, usize, Node)],
}

impl<'a> Fields<'a> {
    fn of(node: &'a Node, what: &str, allowed: &[&str]) -> Result<Fields<'a>, Problem> {
        let Value::Map(entries) = &node.value else {
            return Err((
                node.line,
                format!("{what} must be a mapping of keys ({})", allowed.join(", ")),
            ));
        };
        if let Some((key, line, _)) = entries
            .iter()
            .find(|(k, ..)| !allowed.contains(&k.as_str()))
        {
            return Err((
                *line,
                format!(
                    "unknown key `{key}` in {what}; expected one of: {}",
                    allowed.join(", ")
                ),
            ));
        }
        Ok(Fields {
            line: node.line,
            entries,
        })
    }

    fn optional(&mut self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, ..)| k == key)
            .map(|(_, _, n)| n)
    }

    fn required(&mut self, key: &str) -> Result<&'a Node, Problem> {
        let line = self.line;
        self.optional(key)
            .ok_or((line, format!("missing required key `{key}`")))
    }
}
