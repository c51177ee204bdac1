//! Label selectors: parsing, matching and canonical printing.
//!
//! Mirrors pkg/labels/selector.go @kubernetes-1.34.0 (lexer, parser, `Requirement`,
//! `internalSelector`) and `LabelSelectorAsSelector` in pkg/apis/meta/v1/helpers.go.
//! v1.34 still rejects `x in (a,,)`; the v1.35 fix for consecutive commas is not applied.

use std::collections::BTreeMap;
use std::fmt;

use crate::validation::field::{self, ErrorList, FieldError, Path};
use crate::validation::{is_qualified_name, is_valid_label_value};

/// A selector operator, spelled as upstream's `selection.Operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    DoesNotExist,
    Equals,
    DoubleEquals,
    In,
    NotEquals,
    NotIn,
    Exists,
    GreaterThan,
    LessThan,
}

impl Operator {
    /// The `selection.Operator` string (`in`, `notin`, `=`, `==`, `!=`, `gt`, `lt`, `exists`, `!`).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::DoesNotExist => "!",
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::In => "in",
            Operator::NotEquals => "!=",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }

    /// Parses a `selection.Operator` string.
    pub fn from_selection(s: &str) -> Option<Operator> {
        Some(match s {
            "!" => Operator::DoesNotExist,
            "=" => Operator::Equals,
            "==" => Operator::DoubleEquals,
            "in" => Operator::In,
            "!=" => Operator::NotEquals,
            "notin" => Operator::NotIn,
            "exists" => Operator::Exists,
            "gt" => Operator::GreaterThan,
            "lt" => Operator::LessThan,
            _ => return None,
        })
    }
}

/// Order of upstream's validRequirementOperators, used in the Unsupported message.
const VALID_OPERATORS: [&str; 9] = ["in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"];

/// Why a selector or requirement is invalid. Display is upstream's exact text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// Field errors from building a requirement (aggregated as upstream).
    #[error("{0}")]
    Invalid(ErrorList),
    /// A parse error, already worded as upstream.
    #[error("{0}")]
    Parse(String),
}

/// One `key op values` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// Mirrors NewRequirement: validates the key, the values and their count for `op`.
    ///
    /// # Errors
    /// [`SelectorError::Invalid`] listing every problem, e.g.
    /// `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`.
    pub fn new(key: &str, op: Operator, values: Vec<String>) -> Result<Requirement, SelectorError> {
        Self::new_at(key, op.as_str(), values, &Path::nil())
    }

    /// Like [`Requirement::new`] but takes the operator as a string, so an unknown operator
    /// gets upstream's `Unsupported value` error.
    pub fn from_strings(
        key: &str,
        op: &str,
        values: Vec<String>,
    ) -> Result<Requirement, SelectorError> {
        Self::new_at(key, op, values, &Path::nil())
    }

    /// Like [`Requirement::from_strings`], with field paths under `path` (upstream's
    /// `field.WithPath`), e.g. `root[0].values`.
    pub fn new_at(
        key: &str,
        op: &str,
        values: Vec<String>,
        path: &Path,
    ) -> Result<Requirement, SelectorError> {
        let mut errs = ErrorList::new();
        if let Some(e) = validate_label_key(key, &path.child("key")) {
            errs.push(e);
        }
        let value_path = path.child("values");
        let operator = Operator::from_selection(op);
        match operator {
            Some(Operator::In | Operator::NotIn) => {
                if values.is_empty() {
                    errs.push(FieldError::invalid(
                        &value_path,
                        field::string_slice(&values),
                        "for 'in', 'notin' operators, values set can't be empty",
                    ));
                }
            }
            Some(Operator::Equals | Operator::DoubleEquals | Operator::NotEquals) => {
                if values.len() != 1 {
                    errs.push(FieldError::invalid(
                        &value_path,
                        field::string_slice(&values),
                        "exact-match compatibility requires one single value",
                    ));
                }
            }
            Some(Operator::Exists | Operator::DoesNotExist) => {
                if !values.is_empty() {
                    errs.push(FieldError::invalid(
                        &value_path,
                        field::string_slice(&values),
                        "values set must be empty for exists and does not exist",
                    ));
                }
            }
            Some(Operator::GreaterThan | Operator::LessThan) => {
                if values.len() != 1 {
                    errs.push(FieldError::invalid(
                        &value_path,
                        field::string_slice(&values),
                        "for 'Gt', 'Lt' operators, exactly one value is required",
                    ));
                }
                for (i, v) in values.iter().enumerate() {
                    if v.parse::<i64>().is_err() {
                        errs.push(FieldError::invalid_str(
                            value_path.index(i),
                            v,
                            "for 'Gt', 'Lt' operators, the value must be an integer",
                        ));
                    }
                }
            }
            None => errs.push(FieldError::not_supported(
                path.child("operator"),
                field::quote(op),
                &VALID_OPERATORS,
            )),
        }
        for (i, v) in values.iter().enumerate() {
            if let Some(e) = validate_label_value(key, v, &value_path.index(i)) {
                errs.push(e);
            }
        }
        match (operator, errs.is_empty()) {
            (Some(operator), true) => Ok(Requirement {
                key: key.to_string(),
                operator,
                values,
            }),
            _ => Err(SelectorError::Invalid(errs)),
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values in the order given (parsed selectors give them sorted and de-duplicated).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Mirrors Requirement.Matches.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.matches_by(|key| labels.get(key).map(String::as_str))
    }

    /// `matches` over labels read through `label` (the value of a key, None when absent), for
    /// labels not held in a map.
    pub fn matches_by<'v>(&self, label: impl Fn(&str) -> Option<&'v str>) -> bool {
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.operator {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                label(&self.key).is_some_and(has)
            }
            Operator::NotIn | Operator::NotEquals => label(&self.key).is_none_or(|v| !has(v)),
            Operator::Exists => label(&self.key).is_some(),
            Operator::DoesNotExist => label(&self.key).is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(Ok(have)) = label(&self.key).map(|v| v.parse::<i64>()) else {
                    return false;
                };
                let [want] = self.values.as_slice() else {
                    return false;
                };
                let Ok(want) = want.parse::<i64>() else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    have > want
                } else {
                    have < want
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    /// Mirrors Requirement.String: `!k`, `k`, `k=v`, `k in (a,b)`, `k>1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.operator == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let (op, parens) = match self.operator {
            Operator::Equals => ("=", false),
            Operator::DoubleEquals => ("==", false),
            Operator::NotEquals => ("!=", false),
            Operator::In => (" in ", true),
            Operator::NotIn => (" notin ", true),
            Operator::GreaterThan => (">", false),
            Operator::LessThan => ("<", false),
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        if parens {
            f.write_str("(")?;
        }
        let mut values = self.values.clone();
        values.sort();
        f.write_str(&values.join(","))?;
        if parens {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A conjunction of requirements, or the selector that matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// `None` is upstream's `Nothing()`; otherwise requirements sorted by key.
    requirements: Option<Vec<Requirement>>,
}

impl Selector {
    /// Matches every label set (an empty selector).
    pub fn everything() -> Selector {
        Selector {
            requirements: Some(Vec::new()),
        }
    }

    /// Matches no label set; prints as the empty string. Upstream's value for a nil
    /// LabelSelector.
    pub fn nothing() -> Selector {
        Selector { requirements: None }
    }

    /// Builds a selector from requirements, sorted by key as upstream `Add` does.
    pub fn from_requirements(mut reqs: Vec<Requirement>) -> Selector {
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Selector {
            requirements: Some(reqs),
        }
    }

    /// Mirrors SelectorFromSet: `k=v` for each label (not validated).
    pub fn from_set(set: &BTreeMap<String, String>) -> Selector {
        let reqs = set
            .iter()
            .map(|(k, v)| Requirement {
                key: k.clone(),
                operator: Operator::Equals,
                values: vec![v.clone()],
            })
            .collect();
        Selector {
            requirements: Some(reqs),
        }
    }

    /// Mirrors metav1.LabelSelectorAsSelector for a non-nil LabelSelector: `matchLabels` become
    /// `=` requirements and `matchExpressions` (`In`, `NotIn`, `Exists`, `DoesNotExist`) the
    /// matching operators. An empty selector matches everything.
    ///
    /// # Errors
    /// `"<op>" is not a valid label selector operator`, or the requirement's field errors.
    pub fn from_parts(
        match_labels: &BTreeMap<String, String>,
        match_expressions: &[(String, String, Vec<String>)],
    ) -> Result<Selector, SelectorError> {
        if match_labels.is_empty() && match_expressions.is_empty() {
            return Ok(Selector::everything());
        }
        let mut reqs = Vec::new();
        for (k, v) in match_labels {
            reqs.push(Requirement::new(k, Operator::Equals, vec![v.clone()])?);
        }
        for (key, op, values) in match_expressions {
            let operator = match op.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => {
                    return Err(SelectorError::Parse(format!(
                        "{} is not a valid label selector operator",
                        field::quote(other)
                    )));
                }
            };
            reqs.push(Requirement::new(key, operator, values.clone())?);
        }
        Ok(Selector::from_requirements(reqs))
    }

    /// Mirrors Matches: every requirement must match; Nothing matches nothing.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.matches_by(|key| labels.get(key).map(String::as_str))
    }

    /// `matches` over labels read through `label` (the value of a key, None when absent).
    pub fn matches_by<'v>(&self, label: impl Fn(&str) -> Option<&'v str>) -> bool {
        match &self.requirements {
            None => false,
            Some(reqs) => reqs.iter().all(|r| r.matches_by(&label)),
        }
    }

    /// Mirrors Empty: true only for a selector with no requirements (not for Nothing).
    pub fn is_empty(&self) -> bool {
        self.requirements.as_ref().is_some_and(Vec::is_empty)
    }

    /// True for [`Selector::nothing`].
    pub fn is_nothing(&self) -> bool {
        self.requirements.is_none()
    }

    /// The requirements, sorted by key (empty for Nothing).
    pub fn requirements(&self) -> &[Requirement] {
        self.requirements.as_deref().unwrap_or(&[])
    }

    /// Mirrors RequiresExactMatch: the value when the first requirement on `key` pins it.
    pub fn requires_exact_match(&self, key: &str) -> Option<&str> {
        let r = self.requirements().iter().find(|r| r.key == key)?;
        match (r.operator, r.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [v]) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .requirements()
            .iter()
            .map(ToString::to_string)
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// Mirrors labels.Parse: the selector string syntax used by `kubectl -l`.
///
/// # Errors
/// [`SelectorError`] with upstream's message, e.g.
/// `unable to parse requirement: found 'a' expected: '('`.
pub fn parse(s: &str) -> Result<Selector, SelectorError> {
    let items = lex_all(s);
    let mut p = Parser {
        items,
        pos: 0,
        path: Path::nil(),
    };
    let reqs = p.parse()?;
    Ok(Selector::from_requirements(reqs))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Error,
    EndOfString,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn keyword(s: &str) -> Option<Token> {
    Some(match s {
        ")" => Token::ClosedPar,
        "," => Token::Comma,
        "!" => Token::DoesNotExist,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "in" => Token::In,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "notin" => Token::NotIn,
        "(" => Token::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// Lexes the whole input; the last item is always `EndOfString`.
fn lex_all(s: &str) -> Vec<(Token, String)> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut out = Vec::new();
    loop {
        while pos < b.len() && is_whitespace(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() {
            out.push((Token::EndOfString, String::new()));
            return out;
        }
        let start = pos;
        if is_special(b[pos]) {
            // The longest run of special symbols that still forms a token.
            let mut best: Option<(Token, usize)> = None;
            while pos < b.len() && is_special(b[pos]) {
                pos += 1;
                match keyword(&s[start..pos]) {
                    Some(t) => best = Some((t, pos)),
                    None if best.is_some() => break,
                    None => {}
                }
            }
            match best {
                Some((t, end)) => {
                    pos = end;
                    out.push((t, s[start..end].to_string()));
                }
                None => out.push((
                    Token::Error,
                    format!("error expected: keyword found '{}'", &s[start..pos]),
                )),
            }
        } else {
            while pos < b.len() && !is_special(b[pos]) && !is_whitespace(b[pos]) {
                pos += 1;
            }
            let lit = &s[start..pos];
            out.push((keyword(lit).unwrap_or(Token::Identifier), lit.to_string()));
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser {
    items: Vec<(Token, String)>,
    pos: usize,
    path: Path,
}

impl Parser {
    fn item(&self, i: usize, ctx: Context) -> (Token, String) {
        let (t, l) = self
            .items
            .get(i)
            .cloned()
            .unwrap_or((Token::EndOfString, String::new()));
        // Inside values, the words `in` and `notin` are ordinary identifiers.
        let t = match (ctx, t) {
            (Context::Values, Token::In | Token::NotIn) => Token::Identifier,
            _ => t,
        };
        (t, l)
    }

    fn lookahead(&self, ctx: Context) -> (Token, String) {
        self.item(self.pos, ctx)
    }

    fn consume(&mut self, ctx: Context) -> (Token, String) {
        let it = self.item(self.pos, ctx);
        self.pos += 1;
        it
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Context::Values);
            match tok {
                Token::Identifier | Token::DoesNotExist => {
                    let r = self.parse_requirement().map_err(|e| {
                        SelectorError::Parse(format!("unable to parse requirement: {e}"))
                    })?;
                    reqs.push(r);
                    let (t, l) = self.consume(Context::Values);
                    match t {
                        Token::EndOfString => return Ok(reqs),
                        Token::Comma => {
                            let (t2, l2) = self.lookahead(Context::Values);
                            if t2 != Token::Identifier && t2 != Token::DoesNotExist {
                                return Err(SelectorError::Parse(format!(
                                    "found '{l2}', expected: identifier after ','"
                                )));
                            }
                        }
                        _ => {
                            return Err(SelectorError::Parse(format!(
                                "found '{l}', expected: ',' or 'end of string'"
                            )));
                        }
                    }
                }
                Token::EndOfString => return Ok(reqs),
                _ => {
                    return Err(SelectorError::Parse(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    )));
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, SelectorError> {
        let (key, op) = self.parse_key_and_infer_operator()?;
        if let Some(op @ (Operator::Exists | Operator::DoesNotExist)) = op {
            return Requirement::new_at(&key, op.as_str(), Vec::new(), &self.path);
        }
        let op = self.parse_operator()?;
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new_at(&key, op.as_str(), values, &self.path)
    }

    fn parse_key_and_infer_operator(
        &mut self,
    ) -> Result<(String, Option<Operator>), SelectorError> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Context::Values);
        if tok == Token::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit) = self.consume(Context::Values);
        }
        if tok != Token::Identifier {
            return Err(SelectorError::Parse(format!(
                "found '{lit}', expected: identifier"
            )));
        }
        if let Some(e) = validate_label_key(&lit, &self.path) {
            return Err(SelectorError::Invalid(e.into()));
        }
        let (t, _) = self.lookahead(Context::Values);
        if (t == Token::EndOfString || t == Token::Comma) && op.is_none() {
            op = Some(Operator::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, SelectorError> {
        let (tok, lit) = self.consume(Context::KeyAndOperator);
        Ok(match tok {
            Token::In => Operator::In,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            Token::NotIn => Operator::NotIn,
            Token::NotEquals => Operator::NotEquals,
            _ => {
                return Err(SelectorError::Parse(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                )));
            }
        })
    }

    /// Values of `in`/`notin`: a parenthesised, comma-separated set (sorted, de-duplicated).
    fn parse_values(&mut self) -> Result<Vec<String>, SelectorError> {
        let (tok, lit) = self.consume(Context::Values);
        if tok != Token::OpenPar {
            return Err(SelectorError::Parse(format!("found '{lit}' expected: '('")));
        }
        let (tok, lit) = self.lookahead(Context::Values);
        match tok {
            Token::Identifier | Token::Comma => {
                let set = self.parse_identifiers_list()?;
                let (t, _) = self.consume(Context::Values);
                if t != Token::ClosedPar {
                    return Err(SelectorError::Parse(format!(
                        "found '{lit}', expected: ')'"
                    )));
                }
                Ok(set.into_iter().collect())
            }
            Token::ClosedPar => {
                self.consume(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(SelectorError::Parse(format!(
                "found '{lit}', expected: ',', ')' or identifier"
            ))),
        }
    }

    fn parse_identifiers_list(
        &mut self,
    ) -> Result<std::collections::BTreeSet<String>, SelectorError> {
        let mut set = std::collections::BTreeSet::new();
        loop {
            let (tok, lit) = self.consume(Context::Values);
            match tok {
                Token::Identifier => {
                    set.insert(lit);
                    let (t2, l2) = self.lookahead(Context::Values);
                    match t2 {
                        Token::Comma => continue,
                        Token::ClosedPar => return Ok(set),
                        _ => {
                            return Err(SelectorError::Parse(format!(
                                "found '{l2}', expected: ',' or ')'"
                            )));
                        }
                    }
                }
                Token::Comma => {
                    // A leading, trailing or doubled comma stands for the empty value.
                    if set.is_empty() {
                        set.insert(String::new());
                    }
                    let (t2, _) = self.lookahead(Context::Values);
                    if t2 == Token::ClosedPar {
                        set.insert(String::new());
                        return Ok(set);
                    }
                    if t2 == Token::Comma {
                        self.consume(Context::Values);
                        set.insert(String::new());
                    }
                }
                _ => {
                    return Err(SelectorError::Parse(format!(
                        "found '{lit}', expected: ',', or identifier"
                    )));
                }
            }
        }
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, SelectorError> {
        let (tok, _) = self.lookahead(Context::Values);
        if tok == Token::EndOfString || tok == Token::Comma {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Context::Values);
        if tok == Token::Identifier {
            return Ok(vec![lit]);
        }
        Err(SelectorError::Parse(format!(
            "found '{lit}', expected: identifier"
        )))
    }
}

fn validate_label_key(k: &str, path: &Path) -> Option<FieldError> {
    let errs = is_qualified_name(k);
    (!errs.is_empty()).then(|| FieldError::invalid_str(path, k, errs.join("; ")))
}

fn validate_label_value(k: &str, v: &str, path: &Path) -> Option<FieldError> {
    let errs = is_valid_label_value(v);
    (!errs.is_empty()).then(|| FieldError::invalid_str(path.key(k), v, errs.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        selector: &'static str,
        want: Result<&'static str, &'static str>,
    }

    fn check(case: &Case) {
        let got = parse(case.selector)
            .map(|s| s.to_string())
            .map_err(|e| e.to_string());
        let want = case.want.map(str::to_string).map_err(str::to_string);
        assert_eq!(got, want, "case {}", case.name);
    }

    // Mirrors TestSelectorParse and TestToString in pkg/labels/selector_test.go @kubernetes-1.34.0.
    #[test]
    fn parse_and_print() {
        let cases = [
            Case {
                name: "sorted",
                selector: "x=a,a=x",
                want: Ok("a=x,x=a"),
            },
            Case {
                name: "empty value",
                selector: "x= ",
                want: Ok("x="),
            },
            Case {
                name: "set values",
                selector: "x notin (abc,,def),bar,z in (),w",
                want: Ok("bar,w,x notin (,abc,def),z in ()"),
            },
            Case {
                name: "operator words",
                selector: "a in (x,y,notin, z,in)",
                want: Ok("a in (in,notin,x,y,z)"),
            },
            Case {
                name: "gt",
                selector: "x>1,z<5",
                want: Ok("x>1,z<5"),
            },
            Case {
                name: "double comma",
                selector: "x,,y",
                want: Err("found ',', expected: identifier after ','"),
            },
            Case {
                name: "bad op",
                selector: "x nott in (y)",
                want: Err(
                    "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt",
                ),
            },
            Case {
                name: "no paren",
                selector: "x in a",
                want: Err("unable to parse requirement: found 'a' expected: '('"),
            },
            Case {
                name: "v1.34 commas",
                selector: "x in (a,,)",
                want: Err("unable to parse requirement: found ')', expected: ',', or identifier"),
            },
            Case {
                name: "gt not int",
                selector: "x<a",
                want: Err(
                    "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
                ),
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    // Mirrors TestSelectorMatches / TestRequirementSelectorMatching.
    #[test]
    fn matching() {
        let set = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let cases: [(&str, &str, BTreeMap<String, String>, bool); 6] = [
            ("notin absent", "x notin (),y", set(&[("y", "")]), true),
            ("ne absent", "app!=nginx", set(&[]), true),
            ("gt non-int", "z>1", set(&[("z", "v2")]), false),
            ("gt", "z>1", set(&[("z", "2")]), true),
            ("exists", "app", set(&[("app", "")]), true),
            ("in missing", "x in ()", set(&[("y", "baz")]), false),
        ];
        for (name, sel, labels, want) in cases {
            assert_eq!(parse(sel).unwrap().matches(&labels), want, "case {name}");
        }
        assert!(!Selector::nothing().matches(&BTreeMap::new()));
        assert!(Selector::everything().matches(&BTreeMap::new()));
    }

    // Mirrors TestRequirementConstructor and TestLabelSelectorAsSelector.
    #[test]
    fn constructors() {
        let err = Requirement::from_strings("x18", "unsupportedOp", vec![])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "operator: Unsupported value: \"unsupportedOp\": supported values: \"in\", \"notin\", \"=\", \"==\", \"!=\", \"gt\", \"lt\", \"exists\", \"!\""
        );
        let labels = BTreeMap::from([("foo".to_string(), "bar".to_string())]);
        let exprs = vec![(
            "baz".to_string(),
            "In".to_string(),
            vec!["qux".to_string(), "norf".to_string()],
        )];
        assert_eq!(
            Selector::from_parts(&labels, &exprs).unwrap().to_string(),
            "baz in (norf,qux),foo=bar"
        );
        let bad = vec![(
            "baz".to_string(),
            "Exists".to_string(),
            vec!["x".to_string()],
        )];
        assert!(Selector::from_parts(&BTreeMap::new(), &bad).is_err());
        let unknown = vec![("baz".to_string(), "Foo".to_string(), vec![])];
        assert_eq!(
            Selector::from_parts(&BTreeMap::new(), &unknown)
                .unwrap_err()
                .to_string(),
            "\"Foo\" is not a valid label selector operator"
        );
    }
}
