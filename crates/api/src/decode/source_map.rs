//! `SourceMap`: where each field of a decoded document sits in the file.

use std::collections::BTreeMap;

/// A place in the source file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line, counted from 1 in the whole file (not the document).
    pub line: usize,
    /// Column, counted from 1.
    pub column: usize,
}

/// Field path → position of the key (for mapping entries) or of the item (for list items).
///
/// Paths are written as Kubernetes field paths: `spec.containers[0].image`. The root object is
/// the empty path. Map keys that contain dots are stored as written (`metadata.labels.app.kubernetes.io/name`);
/// `get` also accepts the bracketed form (`metadata.labels[app.kubernetes.io/name]`) that
/// validation errors use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    entries: BTreeMap<String, Position>,
}

impl SourceMap {
    /// Records the position of `path`; the first record of a path wins, as a later duplicate
    /// key is reported separately.
    pub fn insert(&mut self, path: String, position: Position) {
        self.entries.entry(path).or_insert(position);
    }

    /// The position of exactly `path`, if the document wrote it.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.entries
            .get(path)
            .or_else(|| self.entries.get(&unbracket(path)))
            .copied()
    }

    /// The position of `path` or of its nearest written ancestor, for underlining errors about
    /// fields the document left out (`Required value`).
    pub fn nearest(&self, path: &str) -> Option<Position> {
        let mut cur = path.to_string();
        loop {
            if let Some(p) = self.get(&cur) {
                return Some(p);
            }
            if cur.is_empty() {
                return None;
            }
            cur = parent(&cur);
        }
    }

    /// All recorded paths in order, for tests and editor outlines.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Position)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Number of recorded paths.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was recorded (JSON input that the YAML parser could not read).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Joins a child key onto a field path.
pub(crate) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Joins a list index onto a field path.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// Drops the last segment of a path: `a.b[0]` → `a.b`, `a.b` → `a`, `a` → ``.
fn parent(path: &str) -> String {
    if path.ends_with(']')
        && let Some(i) = path.rfind('[')
    {
        return path[..i].to_string();
    }
    match path.rfind('.') {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// Rewrites non-numeric bracketed keys as dotted keys: `a[b.c]` → `a.b.c`, `a[0]` unchanged.
fn unbracket(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| c + open) else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..close];
        if inner.chars().all(|c| c.is_ascii_digit()) && !inner.is_empty() {
            out.push_str(&rest[open..=close]);
        } else {
            out.push('.');
            out.push_str(inner);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let mut m = SourceMap::default();
        let p = |line| Position { line, column: 1 };
        m.insert("".into(), p(1));
        m.insert("spec".into(), p(5));
        m.insert("spec.containers[0]".into(), p(7));
        m.insert("metadata.labels.app.kubernetes.io/name".into(), p(4));
        assert_eq!(m.get("spec.containers[0]"), Some(p(7)));
        assert_eq!(m.nearest("spec.containers[0].image"), Some(p(7)));
        assert_eq!(m.nearest("status.phase"), Some(p(1)));
        assert_eq!(m.get("metadata.labels[app.kubernetes.io/name]"), Some(p(4)));
        assert_eq!(parent("a.b[3]"), "a.b");
        assert_eq!(parent("a"), "");
    }
}
