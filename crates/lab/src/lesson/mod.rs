//! Guided lessons: the file format, the checks they ask of the cluster, and the lessons that
//! ship with the lab (embedded at build time from `lessons/`, so the page works offline).
//!
//! A bad lesson file never stops the lab: `catalog()` keeps the lessons that read well and
//! lists the problems of the others (`file:line: problem`).

pub mod check;
pub mod format;
pub mod markdown;
mod placeholder;
mod yaml;

use std::sync::OnceLock;

pub use check::{Check, Outcome};
pub use format::{Blocks, Lang, Lesson, LessonError, LessonFile, Step, Text, parse};
pub use markdown::{Block, Inline};

use crate::Session;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
}

/// The lessons that read well, in file-name order, and the problems of those that did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub lessons: Vec<Lesson>,
    pub problems: Vec<LessonError>,
}

impl Catalog {
    /// Reads lesson files given as (file name, text). Two lessons with one id: the second is
    /// reported, the first kept.
    pub fn read(files: &[(&str, &str)]) -> Catalog {
        let mut catalog = Catalog::default();
        for (name, text) in files {
            match format::parse(name, text) {
                Ok(lesson) => match catalog.lessons.iter().find(|l| l.id == lesson.id) {
                    Some(first) => catalog.problems.push(LessonError {
                        file: (*name).to_string(),
                        line: 1,
                        problem: format!("id `{}` is already used by {}", lesson.id, first.file),
                    }),
                    None => catalog.lessons.push(lesson),
                },
                Err(e) => catalog.problems.push(e),
            }
        }
        catalog
    }

    pub fn get(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
}

/// The lessons shipped with the lab.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::read(embedded::FILES))
}

/// The raw lesson files shipped with the lab, for tests.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

impl Session {
    /// Asks the lab's cluster one lesson check.
    pub fn check(&self, check: &Check) -> Outcome {
        self.with_cluster(|cluster| check.evaluate(cluster))
    }

    /// A lesson command with its `{{pod selector}}` placeholders replaced by live names.
    pub fn fill_placeholders(&self, line: &str) -> String {
        self.with_cluster(|cluster| placeholder::fill(line, cluster))
    }

    /// Writes a step's files into the lab, so its commands (`kubectl create -f …`) find them.
    pub fn provide_files(&mut self, step: &Step) {
        for file in &step.files {
            self.write_file(&file.path, &file.text);
        }
    }
}
