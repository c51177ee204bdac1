//! `-o custom-columns=HEADER:.path,…` as kubectl's CustomColumnsPrinter prints it.
//!
//! Mirrors cli-runtime pkg/printers/customcolumn.go (v1.34): the spec is split at commas and
//! each column at its first colon; a cell joins several results with commas and shows
//! `<none>` when the path finds nothing. Headers print as given.

use serde_json::Value;

use super::jsonpath::{JsonPathError, Template};
use super::table::align;

/// A parsed column list.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    columns: Vec<(String, Template)>,
}

/// Why a custom-columns spec could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnsError {
    #[error("unexpected custom-columns spec: {0}, expected <header>:<json-path-expr>")]
    Spec(String),
    #[error("custom-columns format specified but no custom columns given")]
    Empty,
    #[error("{0}")]
    Path(#[from] JsonPathError),
}

impl Columns {
    /// Parses `NAME:.metadata.name,IMAGE:.spec.containers[*].image`.
    ///
    /// # Errors
    /// `ColumnsError` for an empty spec, a column without a colon, or a bad path.
    pub fn parse(spec: &str) -> Result<Columns, ColumnsError> {
        if spec.trim().is_empty() {
            return Err(ColumnsError::Empty);
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(ColumnsError::Spec(part.to_string()));
            };
            columns.push((header.to_string(), Template::parse_relaxed(path)?));
        }
        Ok(Columns { columns })
    }

    /// Parses the file form (`-o custom-columns-file=f`): headers on the first line, paths on
    /// the second, separated by blanks.
    ///
    /// # Errors
    /// As `parse`.
    pub fn parse_file(text: &str) -> Result<Columns, ColumnsError> {
        let mut lines = text.lines();
        let headers: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        let paths: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        if headers.len() != paths.len() || headers.is_empty() {
            return Err(ColumnsError::Spec(text.trim().to_string()));
        }
        let mut columns = Vec::new();
        for (h, p) in headers.into_iter().zip(paths) {
            columns.push((h.to_string(), Template::parse_relaxed(p)?));
        }
        Ok(Columns { columns })
    }

    /// The aligned lines for `objects`, with the header unless `no_headers`.
    pub fn render(&self, objects: &[Value], no_headers: bool) -> Vec<String> {
        let mut rows = Vec::new();
        if !no_headers {
            rows.push(self.columns.iter().map(|(h, _)| h.clone()).collect());
        }
        for obj in objects {
            rows.push(
                self.columns
                    .iter()
                    .map(|(_, t)| {
                        let values = t.values(obj);
                        if values.is_empty() {
                            "<none>".to_string()
                        } else {
                            values.iter().map(go_text).collect::<Vec<_>>().join(",")
                        }
                    })
                    .collect(),
            );
        }
        align(&rows)
    }
}

/// How Go's `fmt.Sprintf("%v")` prints a decoded JSON value.
pub fn go_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            machinery::sort::sort(&mut keys);
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{k}:{}", go_text(&m[k])))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns() {
        let cols = Columns::parse(
            "NAME:.metadata.name,IMAGES:.spec.containers[*].image,NODE:.spec.nodeName",
        )
        .expect("parse");
        let objs = [
            json!({"metadata": {"name": "web"}, "spec": {"containers": [{"image": "nginx"}, {"image": "envoy"}], "nodeName": "n1"}}),
            json!({"metadata": {"name": "db"}, "spec": {"containers": [{"image": "mysql"}]}}),
        ];
        assert_eq!(
            cols.render(&objs, false).join("\n"),
            "NAME   IMAGES        NODE\nweb    nginx,envoy   n1\ndb     mysql         <none>"
        );
    }

    #[test]
    fn bad_spec() {
        assert_eq!(
            Columns::parse("NAME").unwrap_err().to_string(),
            "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"
        );
    }
}
