//! Path-qualified validation errors, printed exactly as apimachinery's `field.Error`.
//!
//! Mirrors pkg/util/validation/field/{errors.go,path.go} @kubernetes-1.34.0, except that a bad
//! value of a composite type is shown the v1.28 way (`%#v`, e.g. `[]string{}`), which is what
//! the oracle tables pin. Callers pass the value already formatted; use [`quote`] for strings
//! and plain `to_string()` for numbers and booleans.

use std::fmt;

/// A path to a field, e.g. `spec.containers[0].ports[1]`.
///
/// Mirrors field.Path. [`Path::nil`] models Go's nil path, which prints as `<nil>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path {
    elems: Vec<PathElem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathElem {
    Name(String),
    Index(String),
}

impl Path {
    /// Go's nil `*field.Path`: it prints as `<nil>` and children start from the root.
    pub fn nil() -> Path {
        Path { elems: Vec::new() }
    }

    /// A root path with one named element.
    pub fn new(name: &str) -> Path {
        Path::nil().child(name)
    }

    /// Appends a named child (`a.b`).
    pub fn child(&self, name: &str) -> Path {
        let mut p = self.clone();
        p.elems.push(PathElem::Name(name.to_string()));
        p
    }

    /// Appends a list index (`a[3]`).
    pub fn index(&self, i: usize) -> Path {
        let mut p = self.clone();
        p.elems.push(PathElem::Index(i.to_string()));
        p
    }

    /// Appends a map key (`a[key]`).
    pub fn key(&self, k: &str) -> Path {
        let mut p = self.clone();
        p.elems.push(PathElem::Index(k.to_string()));
        p
    }

    /// True for the nil path.
    pub fn is_nil(&self) -> bool {
        self.elems.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.elems.is_empty() {
            return f.write_str("<nil>");
        }
        for (i, e) in self.elems.iter().enumerate() {
            match e {
                // An empty name behaves like Go's: it is printed as an (empty) subscript.
                PathElem::Name(n) if n.is_empty() => f.write_str("[]")?,
                PathElem::Name(n) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(n)?;
                }
                PathElem::Index(k) => write!(f, "[{k}]")?,
            }
        }
        Ok(())
    }
}

/// The kind of a [`FieldError`]; its Display is upstream's human text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    Unsupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}

impl ErrorType {
    /// Upstream's reason string, e.g. `FieldValueInvalid`, used in API status causes.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::Unsupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
            ErrorType::TypeInvalid => "FieldValueTypeInvalid",
        }
    }

    /// True for the kinds whose message never shows the bad value.
    fn omits_value(self) -> bool {
        matches!(
            self,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong | ErrorType::Internal
        )
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::Unsupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        })
    }
}

/// One validation problem: `<path>: <Type>: <value>[: <detail>]`.
///
/// `value` is the bad value already formatted (`"web"` quoted, `-1` bare, `[]string{}`);
/// `None` omits it, as upstream's `omitValue` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub kind: ErrorType,
    pub value: Option<String>,
    pub detail: String,
}

impl FieldError {
    /// Mirrors field.Invalid.
    pub fn invalid(
        path: impl fmt::Display,
        value: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self::with_value(path, ErrorType::Invalid, value, detail)
    }

    /// Mirrors field.Invalid with a string bad value, which is `%q`-quoted.
    pub fn invalid_str(path: impl fmt::Display, value: &str, detail: impl Into<String>) -> Self {
        Self::invalid(path, quote(value), detail)
    }

    /// Mirrors field.Required.
    pub fn required(path: impl fmt::Display, detail: impl Into<String>) -> Self {
        Self::without_value(path, ErrorType::Required, detail)
    }

    /// Mirrors field.Forbidden.
    pub fn forbidden(path: impl fmt::Display, detail: impl Into<String>) -> Self {
        Self::without_value(path, ErrorType::Forbidden, detail)
    }

    /// Mirrors field.Duplicate.
    pub fn duplicate(path: impl fmt::Display, value: impl Into<String>) -> Self {
        Self::with_value(path, ErrorType::Duplicate, value, "")
    }

    /// Mirrors field.NotFound.
    pub fn not_found(path: impl fmt::Display, value: impl Into<String>) -> Self {
        Self::with_value(path, ErrorType::NotFound, value, "")
    }

    /// Mirrors field.NotSupported: the detail lists the quoted valid values.
    pub fn not_supported<S: AsRef<str>>(
        path: impl fmt::Display,
        value: impl Into<String>,
        valid: &[S],
    ) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| quote(v.as_ref())).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::with_value(path, ErrorType::Unsupported, value, detail)
    }

    /// Mirrors field.TooLong (`may not be more than N bytes`).
    pub fn too_long(path: impl fmt::Display, max_length: i64) -> Self {
        let detail = if max_length >= 0 {
            let unit = if max_length == 1 { "byte" } else { "bytes" };
            format!("may not be more than {max_length} {unit}")
        } else {
            "value is too long".to_string()
        };
        Self::without_value(path, ErrorType::TooLong, detail)
    }

    /// Mirrors field.TooMany (`must have at most N items`).
    pub fn too_many(path: impl fmt::Display, actual: i64, max: i64) -> Self {
        let detail = if max >= 0 {
            let unit = if max == 1 { "item" } else { "items" };
            format!("must have at most {max} {unit}")
        } else {
            "has too many items".to_string()
        };
        FieldError {
            path: path.to_string(),
            kind: ErrorType::TooMany,
            value: (actual >= 0).then(|| actual.to_string()),
            detail,
        }
    }

    /// Mirrors field.InternalError.
    pub fn internal(path: impl fmt::Display, detail: impl Into<String>) -> Self {
        Self::without_value(path, ErrorType::Internal, detail)
    }

    /// The message without the path, as upstream's `ErrorBody`.
    pub fn body(&self) -> String {
        let mut s = self.kind.to_string();
        if !self.kind.omits_value()
            && let Some(v) = &self.value
        {
            s.push_str(": ");
            s.push_str(v);
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }

    fn with_value(
        path: impl fmt::Display,
        kind: ErrorType,
        value: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            path: path.to_string(),
            kind,
            value: Some(value.into()),
            detail: detail.into(),
        }
    }

    fn without_value(path: impl fmt::Display, kind: ErrorType, detail: impl Into<String>) -> Self {
        FieldError {
            path: path.to_string(),
            kind,
            value: None,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.body())
    }
}

impl std::error::Error for FieldError {}

/// An ordered list of field errors; Display is upstream's aggregate message.
///
/// Mirrors ErrorList.ToAggregate + utilerrors.aggregate.Error: duplicate messages are
/// dropped, one message prints bare, several print as `[a, b]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorList(pub Vec<FieldError>);

impl ErrorList {
    pub fn new() -> Self {
        ErrorList(Vec::new())
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn extend(&mut self, other: ErrorList) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    /// `Ok(())` when empty, else the list itself as an error.
    pub fn into_result(self) -> Result<(), ErrorList> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The distinct messages in first-seen order.
    pub fn messages(&self) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for e in &self.0 {
            let m = e.to_string();
            if seen.insert(m.clone()) {
                out.push(m);
            }
        }
        out
    }
}

impl fmt::Display for ErrorList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&aggregate(&self.messages()))
    }
}

impl std::error::Error for ErrorList {}

impl From<FieldError> for ErrorList {
    fn from(e: FieldError) -> Self {
        ErrorList(vec![e])
    }
}

impl IntoIterator for ErrorList {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Joins messages as utilerrors' aggregate does: one bare, several as `[a, b]`.
pub fn aggregate(messages: &[String]) -> String {
    match messages {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// Quotes a string the way Go's `%q` does, for use as a bad value.
pub fn quote(s: &str) -> String {
    crate::gofmt::quote(s)
}

/// Formats a string list the way Go's `%#v` does (`[]string{"a"}`), for use as a bad value.
pub fn string_slice(values: &[String]) -> String {
    crate::gofmt::go_string_slice(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        err: FieldError,
        want: &'static str,
    }

    // Mirrors TestErrorUsefulMessage in pkg/util/validation/field/errors_test.go @kubernetes-1.34.0.
    #[test]
    fn messages() {
        let cases = [
            Case {
                name: "invalid int",
                err: FieldError::invalid(
                    Path::new("spec").child("replicas"),
                    "-1",
                    "must be greater than or equal to 0",
                ),
                want: "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            },
            Case {
                name: "invalid string",
                err: FieldError::invalid_str(Path::new("metadata").child("name"), "Web", "bad"),
                want: "metadata.name: Invalid value: \"Web\": bad",
            },
            Case {
                name: "required",
                err: FieldError::required(
                    Path::new("metadata").child("name"),
                    "name or generateName is required",
                ),
                want: "metadata.name: Required value: name or generateName is required",
            },
            Case {
                name: "unsupported",
                err: FieldError::not_supported(Path::new("operator"), quote("x"), &["in", "notin"]),
                want: "operator: Unsupported value: \"x\": supported values: \"in\", \"notin\"",
            },
            Case {
                name: "index and key",
                err: FieldError::invalid_str(Path::new("values").index(0).key("x"), "a", "d"),
                want: "values[0][x]: Invalid value: \"a\": d",
            },
            Case {
                name: "nil path",
                err: FieldError::invalid_str(Path::nil(), "a/b/c", "d"),
                want: "<nil>: Invalid value: \"a/b/c\": d",
            },
            Case {
                name: "too long",
                err: FieldError::too_long(Path::new("data"), 10),
                want: "data: Too long: may not be more than 10 bytes",
            },
            Case {
                name: "too many",
                err: FieldError::too_many(Path::new("items"), 5, 1),
                want: "items: Too many: 5: must have at most 1 item",
            },
        ];
        for case in cases {
            assert_eq!(case.err.to_string(), case.want, "case {}", case.name);
        }
    }

    #[test]
    fn aggregate_dedups_and_brackets() {
        let e = FieldError::required("a", "");
        let list = ErrorList(vec![e.clone(), e.clone(), FieldError::forbidden("b", "no")]);
        assert_eq!(list.to_string(), "[a: Required value, b: Forbidden: no]");
        assert_eq!(ErrorList(vec![e]).to_string(), "a: Required value");
    }
}
