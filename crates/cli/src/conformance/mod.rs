//! `kubelab conformance`: checks every row of the upstream oracle tables against `machinery`.
//!
//! Each table has one checker module (same stem as the file) exposing
//! `fn check(row: &Value) -> Outcome`; add a table by adding a module and a line in [`TABLES`].
//! A row no checker understands is reported as unsupported, never silently skipped.

mod cron;
mod disputed;
mod durations;
mod fenceposts;
mod names;
mod pod_status;
mod quantities;
mod scheduler;
mod selector_requirements;
mod selectors;
mod service_envvars;
mod util;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The verdict for one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    Fail { expected: String, got: String },
    Unsupported { kind: String },
}

type Checker = fn(&Value) -> Outcome;

/// Table file name → checker. `service_envvars.json` is one JSON document, i.e. one row.
const TABLES: &[(&str, Checker)] = &[
    ("cron.jsonl", cron::check),
    ("durations.jsonl", durations::check),
    ("fenceposts.jsonl", fenceposts::check),
    ("names.jsonl", names::check),
    ("pod_status.jsonl", pod_status::check),
    ("quantities.jsonl", quantities::check),
    ("scheduler.jsonl", scheduler::check),
    ("selector_requirements.jsonl", selector_requirements::check),
    ("selectors.jsonl", selectors::check),
    ("service_envvars.json", service_envvars::check),
];

/// Why the tables could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    #[error("reading {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: invalid JSON")]
    Json {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("no oracle tables (*.jsonl, service_envvars.json) in {0}")]
    Empty(PathBuf),
}

/// One failing row, kept for the report.
#[derive(Debug)]
pub struct RowFailure {
    pub line: usize,
    pub summary: String,
    pub expected: String,
    pub got: String,
}

/// Results for one table file.
#[derive(Debug)]
pub struct TableReport {
    pub file: String,
    pub passed: usize,
    pub failures: Vec<RowFailure>,
    /// Kinds of unsupported rows with their counts, in first-seen order.
    pub unsupported: Vec<(String, usize)>,
    /// Rows whose oracle expectation is known to be wrong (see `disputed`).
    pub disputed: Vec<(RowFailure, &'static str)>,
}

impl TableReport {
    fn unsupported_count(&self) -> usize {
        self.unsupported.iter().map(|(_, n)| n).sum()
    }
}

/// Results for a whole directory.
#[derive(Debug)]
pub struct Report {
    pub tables: Vec<TableReport>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.tables.iter().map(|t| t.passed).sum()
    }

    pub fn failed(&self) -> usize {
        self.tables.iter().map(|t| t.failures.len()).sum()
    }

    pub fn unsupported(&self) -> usize {
        self.tables.iter().map(TableReport::unsupported_count).sum()
    }

    pub fn disputed(&self) -> usize {
        self.tables.iter().map(|t| t.disputed.len()).sum()
    }

    /// The text printed by `kubelab conformance`; the last line is the grand total.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for t in &self.tables {
            let _ = write!(
                out,
                "{}: {} passed, {} failed, {} unsupported",
                t.file,
                t.passed,
                t.failures.len(),
                t.unsupported_count()
            );
            let _ = if t.disputed.is_empty() {
                writeln!(out)
            } else {
                writeln!(out, ", {} disputed", t.disputed.len())
            };
            for f in &t.failures {
                let _ = writeln!(out, "  FAIL line {}: {}", f.line, f.summary);
                let _ = writeln!(out, "    expected: {}", f.expected);
                let _ = writeln!(out, "    got:      {}", f.got);
            }
            for (kind, n) in &t.unsupported {
                let _ = writeln!(out, "  unsupported: {kind} ({n} rows)");
            }
            for (f, reason) in &t.disputed {
                let _ = writeln!(out, "  DISPUTED line {}: {}", f.line, f.summary);
                let _ = writeln!(out, "    oracle:   {}", f.expected);
                let _ = writeln!(out, "    kubelab:  {}", f.got);
                let _ = writeln!(out, "    why:      {reason}");
            }
        }
        let _ = write!(
            out,
            "{} passed, {} failed, {} unsupported",
            self.passed(),
            self.failed(),
            self.unsupported()
        );
        let _ = if self.disputed() == 0 {
            writeln!(out)
        } else {
            writeln!(out, ", {} disputed", self.disputed())
        };
        out
    }
}

/// Reads every table in `dir` and checks each row.
///
/// # Errors
/// [`ConformanceError`] when a file cannot be read or a line is not JSON.
pub fn run(dir: &Path) -> Result<Report, ConformanceError> {
    let read_dir = std::fs::read_dir(dir).map_err(|source| ConformanceError::Read {
        path: dir.into(),
        source,
    })?;
    let mut files: Vec<PathBuf> = read_dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".jsonl") || name == "service_envvars.json"
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ConformanceError::Empty(dir.into()));
    }
    let mut tables = Vec::new();
    for path in files {
        tables.push(check_file(&path)?);
    }
    Ok(Report { tables })
}

fn check_file(path: &Path) -> Result<TableReport, ConformanceError> {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConformanceError::Read {
        path: path.into(),
        source,
    })?;
    let rows: Vec<(usize, Value)> = if file.ends_with(".jsonl") {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v = serde_json::from_str(line).map_err(|source| ConformanceError::Json {
                path: path.into(),
                line: i + 1,
                source,
            })?;
            rows.push((i + 1, v));
        }
        rows
    } else {
        let v = serde_json::from_str(&text).map_err(|source| ConformanceError::Json {
            path: path.into(),
            line: 1,
            source,
        })?;
        vec![(1, v)]
    };
    let checker = TABLES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, c)| *c);
    let mut report = TableReport {
        file,
        passed: 0,
        failures: Vec::new(),
        unsupported: Vec::new(),
        disputed: Vec::new(),
    };
    for (line, row) in rows {
        let outcome = match checker {
            Some(check) => check(&row),
            None => Outcome::Unsupported {
                kind: "no checker for this table".into(),
            },
        };
        match outcome {
            Outcome::Pass => report.passed += 1,
            Outcome::Fail { expected, got } => {
                let dispute = disputed::find(&report.file, &expected, &got);
                let failure = RowFailure {
                    line,
                    summary: util::summary(&row),
                    expected,
                    got,
                };
                match dispute {
                    Some(d) => report.disputed.push((failure, d.reason)),
                    None => report.failures.push(failure),
                }
            }
            Outcome::Unsupported { kind } => {
                match report.unsupported.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => report.unsupported.push((kind, 1)),
                }
            }
        }
    }
    Ok(report)
}
