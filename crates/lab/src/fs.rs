//! The lab's files: a small in-memory file system shared with the editor's tabs.
//!
//! Relative paths start from the working directory (`cd`; the home directory `/root` at
//! first), so from home `./x`, `~/x` and `/root/x` name the same file. Directories exist
//! explicitly (`mkdir`) or implicitly as parents of files.

use std::collections::{BTreeMap, BTreeSet};

/// The home directory every relative path starts from.
pub const HOME: &str = "/root";

/// In-memory files by normalized absolute path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabFs {
    files: BTreeMap<String, String>,
    dirs: BTreeSet<String>,
    /// The working directory; empty means the home directory.
    cwd: String,
}

impl LabFs {
    /// The absolute form of `path` seen from the home directory (`.`/`..` resolved, no
    /// trailing slash).
    pub fn normalize(path: &str) -> String {
        Self::normalize_from(HOME, path)
    }

    /// The absolute form of `path` seen from the working directory.
    pub fn resolve(&self, path: &str) -> String {
        Self::normalize_from(self.cwd(), path)
    }

    /// The working directory (`pwd`).
    pub fn cwd(&self) -> &str {
        if self.cwd.is_empty() { HOME } else { &self.cwd }
    }

    /// `cd DIR`: the working directory becomes `dir`; bash's reason when it cannot.
    ///
    /// # Errors
    /// `No such file or directory` or `Not a directory`.
    pub fn change_dir(&mut self, dir: &str) -> Result<(), &'static str> {
        let target = self.resolve(dir);
        if self.is_dir(&target) {
            self.cwd = target;
            Ok(())
        } else if self.files.contains_key(&target) {
            Err("Not a directory")
        } else {
            Err("No such file or directory")
        }
    }

    fn normalize_from(base: &str, path: &str) -> String {
        let joined = if let Some(rest) = path.strip_prefix("~") {
            format!("{HOME}{rest}")
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{base}/{path}")
        };
        let mut parts: Vec<&str> = Vec::new();
        for p in joined.split('/') {
            match p {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        format!("/{}", parts.join("/"))
    }

    /// Writes (or with `append`, extends) a file.
    pub fn write(&mut self, path: &str, text: &str, append: bool) {
        let p = self.resolve(path);
        let entry = self.files.entry(p).or_default();
        if append {
            entry.push_str(text);
        } else {
            *entry = text.to_string();
        }
    }

    /// The text of a file.
    pub fn read(&self, path: &str) -> Option<&str> {
        self.files.get(&self.resolve(path)).map(String::as_str)
    }

    /// Whether `path` is a directory (the home directory always is).
    pub fn is_dir(&self, path: &str) -> bool {
        let p = self.resolve(path);
        if p == HOME || p == "/" || self.dirs.contains(&p) {
            return true;
        }
        let prefix = format!("{p}/");
        self.files.keys().any(|k| k.starts_with(&prefix))
    }

    /// Creates a directory.
    pub fn mkdir(&mut self, path: &str) {
        self.dirs.insert(self.resolve(path));
    }

    /// Removes a file; false when there was none.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(&self.resolve(path)).is_some()
    }

    /// Removes a directory and everything under it.
    pub fn remove_dir(&mut self, path: &str) {
        let p = self.resolve(path);
        let prefix = format!("{p}/");
        self.files.retain(|k, _| !k.starts_with(&prefix));
        self.dirs.retain(|d| *d != p && !d.starts_with(&prefix));
    }

    /// Names directly inside a directory (subdirectories end with `/`), sorted.
    pub fn entries(&self, path: &str) -> Vec<String> {
        let p = self.resolve(path);
        let prefix = if p == "/" {
            "/".to_string()
        } else {
            format!("{p}/")
        };
        let mut out = BTreeSet::new();
        for k in self.files.keys().chain(self.dirs.iter()) {
            if let Some(rest) = k.strip_prefix(&prefix) {
                match rest.split_once('/') {
                    Some((d, _)) => {
                        out.insert(format!("{d}/"));
                    }
                    None if self.dirs.contains(k) => {
                        out.insert(format!("{rest}/"));
                    }
                    None if !rest.is_empty() => {
                        out.insert(rest.to_string());
                    }
                    None => {}
                }
            }
        }
        out.into_iter().collect()
    }

    /// Every file path (absolute), for the editor's file list.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

impl kubectl::Files for LabFs {
    fn read(&self, path: &str) -> Result<String, kubectl::FileError> {
        if let Some(t) = LabFs::read(self, path) {
            return Ok(t.to_string());
        }
        if self.is_dir(path) {
            return Err(kubectl::FileError::IsDirectory(path.to_string()));
        }
        Err(kubectl::FileError::NotFound(path.to_string()))
    }

    fn is_dir(&self, path: &str) -> bool {
        LabFs::is_dir(self, path)
    }

    fn list_files(&self, path: &str, recursive: bool) -> Vec<String> {
        let base = path.trim_end_matches('/');
        let mut out = Vec::new();
        for e in self.entries(path) {
            let joined = if base.is_empty() {
                e.clone()
            } else {
                format!("{base}/{e}")
            };
            if let Some(dir) = joined.strip_suffix('/') {
                if recursive {
                    out.extend(self.list_files(dir, true));
                }
            } else {
                out.push(joined);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubectl::Files;

    #[test]
    fn paths_and_listing() {
        let mut fs = LabFs::default();
        fs.write("a.yaml", "x", false);
        fs.write("./d/b.yaml", "y", false);
        fs.mkdir("empty");
        assert_eq!(LabFs::read(&fs, "/root/a.yaml"), Some("x"));
        assert_eq!(fs.entries("."), ["a.yaml", "d/", "empty/"]);
        assert_eq!(fs.list_files(".", true), ["./a.yaml", "./d/b.yaml"]);
        assert_eq!(fs.list_files("d", false), ["d/b.yaml"]);
        assert!(Files::is_dir(&fs, "d"));
    }
}
