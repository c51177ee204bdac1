//! Lesson checks: questions asked of the cluster's API, never of the terminal's text.
//!
//! A check names a set of objects the way `kubectl get` does (`pods -l app=kubia`,
//! `deployment/kubia`, `events -n default`), narrows it with `where` conditions and states
//! what must hold: how many there are, or that all / any of them meet conditions. A condition
//! is `ready` / `not ready` (a pod's Ready condition) or `{jsonpath} <op> <value>`, the
//! jsonpath run as `kubectl get -o jsonpath` runs it.

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::Cluster;
use cluster::apiserver::ListOptions;
use kubectl::render::jsonpath::Template;

/// One comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
    Contains,
}

impl Op {
    /// Operators as written, longest first so `>=` is not read as `>`.
    const WRITTEN: [(&'static str, Op); 7] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("contains", Op::Contains),
    ];
}

/// `== 3`, `>= 1`, `contains v2`: an operator and the value to compare with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub op: Op,
    pub value: String,
}

impl Compare {
    /// Reads `<op> <value>`; a bare value means `==`. Quotes around the value are removed.
    ///
    /// # Errors
    /// A message when the value is missing.
    pub fn parse(text: &str) -> Result<Compare, String> {
        let text = text.trim();
        let (op, rest) = Op::WRITTEN
            .iter()
            .find_map(|(w, op)| text.strip_prefix(w).map(|rest| (*op, rest)))
            .unwrap_or((Op::Eq, text));
        let rest = rest.trim();
        let value = unquote(rest);
        if rest.is_empty() {
            return Err(format!(
                "`{text}` needs a value to compare with (write '' for an empty one)"
            ));
        }
        if matches!(op, Op::Ge | Op::Le | Op::Gt | Op::Lt) && value.parse::<f64>().is_err() {
            return Err(format!(
                "`{text}` compares order, so its value must be a number"
            ));
        }
        Ok(Compare { op, value })
    }

    /// Whether `actual` satisfies the comparison. Numbers compare as numbers.
    pub fn holds(&self, actual: &str) -> bool {
        let numbers = (actual.trim().parse::<f64>(), self.value.parse::<f64>());
        match (self.op, numbers) {
            (Op::Eq, (Ok(a), Ok(b))) => a == b,
            (Op::Ne, (Ok(a), Ok(b))) => a != b,
            (Op::Eq, _) => actual == self.value,
            (Op::Ne, _) => actual != self.value,
            (Op::Contains, _) => actual.contains(&self.value),
            (Op::Ge, (Ok(a), Ok(b))) => a >= b,
            (Op::Le, (Ok(a), Ok(b))) => a <= b,
            (Op::Gt, (Ok(a), Ok(b))) => a > b,
            (Op::Lt, (Ok(a), Ok(b))) => a < b,
            _ => false,
        }
    }
}

fn unquote(text: &str) -> String {
    for q in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q))
            && text.len() >= 2
        {
            return inner.to_string();
        }
    }
    text.to_string()
}

/// Something one object must meet.
#[derive(Debug, Clone)]
pub enum Condition {
    /// A pod's Ready condition is (or is not) True.
    Ready(bool),
    /// The jsonpath's printed value compares as stated.
    Path {
        source: String,
        template: Template,
        compare: Compare,
    },
    /// The number of values the jsonpath yields (`count {.subsets[*].addresses[*]} == 3`).
    Count {
        source: String,
        template: Template,
        compare: Compare,
    },
}

impl PartialEq for Condition {
    fn eq(&self, other: &Condition) -> bool {
        match (self, other) {
            (Condition::Ready(a), Condition::Ready(b)) => a == b,
            (
                Condition::Path {
                    source: a,
                    compare: ca,
                    ..
                },
                Condition::Path {
                    source: b,
                    compare: cb,
                    ..
                },
            )
            | (
                Condition::Count {
                    source: a,
                    compare: ca,
                    ..
                },
                Condition::Count {
                    source: b,
                    compare: cb,
                    ..
                },
            ) => a == b && ca == cb,
            _ => false,
        }
    }
}

impl Condition {
    /// Reads `ready`, `not ready`, `{jsonpath} <op> <value>` or `count {jsonpath} <op> <n>`.
    ///
    /// # Errors
    /// A message naming what is wrong with the text.
    pub fn parse(text: &str, kind: &KindInfo) -> Result<Condition, String> {
        let text = text.trim();
        match text {
            "ready" | "not ready" => {
                if kind.kind != "Pod" {
                    return Err(format!(
                        "`{text}` only applies to pods, not {}",
                        kind.plural
                    ));
                }
                return Ok(Condition::Ready(text == "ready"));
            }
            _ => {}
        }
        if let Some(rest) = text.strip_prefix("count ") {
            return match Condition::parse(rest, kind)? {
                Condition::Path {
                    source,
                    template,
                    compare,
                } if compare.value.parse::<f64>().is_ok() => Ok(Condition::Count {
                    source,
                    template,
                    compare,
                }),
                _ => Err(format!(
                    "condition `{text}`: write `count {{.json.path}} <op> <number>`"
                )),
            };
        }
        if !text.starts_with('{') {
            return Err(format!(
                "condition `{text}` must be `ready`, `not ready`, `{{.json.path}} <op> <value>` or `count {{.json.path}} <op> <number>`"
            ));
        }
        let end = closing_brace(text)
            .ok_or_else(|| format!("condition `{text}`: the jsonpath's `{{` is never closed"))?;
        let source = &text[..=end];
        let template = Template::parse(source).map_err(|e| format!("jsonpath `{source}`: {e}"))?;
        let rest = text[end + 1..].trim();
        if !Op::WRITTEN.iter().any(|(w, _)| rest.starts_with(w)) {
            return Err(format!(
                "condition `{text}`: after the jsonpath comes an operator (==, !=, >=, <=, >, <, contains) and a value"
            ));
        }
        let compare = Compare::parse(rest).map_err(|e| format!("condition `{text}`: {e}"))?;
        Ok(Condition::Path {
            source: source.to_string(),
            template,
            compare,
        })
    }

    fn holds(&self, object: &Object) -> bool {
        match self {
            Condition::Ready(want) => pod_ready(object) == *want,
            Condition::Path {
                template, compare, ..
            } => compare.holds(&template.execute(&object.to_value())),
            Condition::Count {
                template, compare, ..
            } => compare.holds(&template.values(&object.to_value()).len().to_string()),
        }
    }
}

fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{') => depth += 1,
            (None, '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn pod_ready(object: &Object) -> bool {
    let Object::Pod(pod) = object else {
        return false;
    };
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

/// The objects a check looks at, written as `kubectl get` arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The arguments as written, for messages.
    pub source: String,
    pub kind: &'static KindInfo,
    /// `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub label_selector: String,
    pub field_selector: String,
}

impl Query {
    /// Reads `RESOURCE[/NAME] [NAME] [-l SELECTOR] [--field-selector SELECTOR] [-n NAMESPACE]`.
    /// The namespace defaults to `default`, where lessons work.
    ///
    /// # Errors
    /// A message naming the unknown resource, flag or bad selector.
    pub fn parse(text: &str) -> Result<Query, String> {
        let words = crate::split_words(text).map_err(|e| format!("`{text}`: {e}"))?;
        let mut words = words.into_iter();
        let first = words
            .next()
            .ok_or("`get` names a resource, e.g. `pods -l app=kubia`")?;
        let (resource, mut name) = match first.split_once('/') {
            Some((r, n)) => (r.to_string(), Some(n.to_string())),
            None => (first, None),
        };
        let kind = api::resolve_resource(&resource)
            .ok_or_else(|| format!("the server doesn't have a resource type \"{resource}\""))?;
        let (mut namespace, mut label_selector, mut field_selector) =
            (None, String::new(), String::new());
        while let Some(word) = words.next() {
            let (flag, inline) = match word.split_once('=') {
                Some((f, v)) if f.starts_with('-') => (f.to_string(), Some(v.to_string())),
                _ => (word.clone(), None),
            };
            let slot = match flag.as_str() {
                "-l" | "--selector" => &mut label_selector,
                "--field-selector" => &mut field_selector,
                "-n" | "--namespace" => namespace.get_or_insert_with(String::new),
                f if f.starts_with('-') => return Err(format!("`{text}`: unknown flag {f}")),
                _ if name.is_none() => {
                    name = Some(word);
                    continue;
                }
                _ => return Err(format!("`{text}`: a check names at most one object")),
            };
            *slot = match inline.or_else(|| words.next()) {
                Some(v) if !v.is_empty() => v,
                _ => return Err(format!("`{text}`: flag {flag} needs a value")),
            };
        }
        if name.is_some() && !(label_selector.is_empty() && field_selector.is_empty()) {
            return Err(format!(
                "`{text}`: name one object or select by label, not both"
            ));
        }
        if !label_selector.is_empty() {
            machinery::labels::parse(&label_selector).map_err(|e| format!("`{text}`: {e}"))?;
        }
        if !field_selector.is_empty() {
            machinery::fields::parse(&field_selector).map_err(|e| format!("`{text}`: {e}"))?;
        }
        let namespace = kind
            .namespaced
            .then(|| namespace.unwrap_or_else(|| "default".into()));
        Ok(Query {
            source: text.to_string(),
            kind,
            namespace,
            name,
            label_selector,
            field_selector,
        })
    }

    /// The matching objects, in the store's order.
    pub fn run(&self, cluster: &Cluster) -> Vec<Arc<Object>> {
        let ns = self.namespace.as_deref();
        let store = cluster.store();
        match &self.name {
            Some(name) => store.get(self.kind, ns, name).into_iter().collect(),
            None => {
                let opts = ListOptions {
                    label_selector: self.label_selector.clone(),
                    field_selector: self.field_selector.clone(),
                    ..ListOptions::default()
                };
                store
                    .list(self.kind, ns, &opts)
                    .map(|l| l.items)
                    .unwrap_or_default()
            }
        }
    }
}

/// What must hold for the set of objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The number of objects compares as stated (`exists: true` is `>= 1`, `false` is `== 0`).
    Count(Compare),
    /// There is at least one object, and every one meets every condition.
    All(Vec<Condition>),
    /// At least one object meets every condition.
    Any(Vec<Condition>),
}

/// What the evaluator saw, for the check mark's tooltip and test messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub passed: bool,
    /// e.g. `2 objects; all ready: 1 of 2`.
    pub observed: String,
}

/// A check as a lesson states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Line of the check in its lesson file.
    pub line: usize,
    pub says: super::Text,
    pub query: Query,
    /// Conditions that narrow the set before the expectations are weighed.
    pub filters: Vec<Condition>,
    pub expect: Vec<Expectation>,
}

impl Check {
    /// Asks the cluster. Every expectation must hold.
    pub fn evaluate(&self, cluster: &Cluster) -> Outcome {
        let objects: Vec<Arc<Object>> = self
            .query
            .run(cluster)
            .into_iter()
            .filter(|o| self.filters.iter().all(|c| c.holds(o)))
            .collect();
        let meets = |conds: &[Condition]| {
            objects
                .iter()
                .filter(|o| conds.iter().all(|c| c.holds(o)))
                .count()
        };
        let mut notes = vec![format!("{} found", objects.len())];
        let mut passed = true;
        for expectation in &self.expect {
            let ok = match expectation {
                Expectation::Count(cmp) => cmp.holds(&objects.len().to_string()),
                Expectation::All(conds) => {
                    let n = meets(conds);
                    notes.push(format!("{n} of {} meet all conditions", objects.len()));
                    !objects.is_empty() && n == objects.len()
                }
                Expectation::Any(conds) => {
                    let n = meets(conds);
                    notes.push(format!("{n} meet the `any` conditions"));
                    n > 0
                }
            };
            passed &= ok;
        }
        Outcome {
            passed,
            observed: notes.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pods() -> &'static KindInfo {
        api::resolve_resource("pods").expect("pods")
    }

    #[test]
    fn compares_numbers_as_numbers_and_text_as_text() {
        let cases = [
            ("3", "3", true),
            ("3", "3.0", true),
            (">= 1", "2", true),
            (">= 1", "0", false),
            ("< 2", "", false),
            ("!= Running", "Pending", true),
            ("contains v2", "luksa/kubia:v2", true),
            ("== 'a b'", "a b", true),
            ("''", "", true),
        ];
        for (text, actual, want) in cases {
            let cmp = Compare::parse(text).expect(text);
            assert_eq!(cmp.holds(actual), want, "{text} vs {actual:?}");
        }
        assert!(Compare::parse(">= many").is_err());
        assert!(Compare::parse("==").is_err());
    }

    #[test]
    fn conditions_read_jsonpath_and_operator() {
        let c = Condition::parse(
            "{.status.containerStatuses[?(@.name==\"kubia\")].restartCount} >= 1",
            pods(),
        )
        .expect("parses");
        assert!(matches!(
            c,
            Condition::Path {
                compare: Compare { op: Op::Ge, .. },
                ..
            }
        ));
        assert_eq!(
            Condition::parse("ready", pods()),
            Ok(Condition::Ready(true))
        );
        let deploy = api::resolve_resource("deploy").expect("deploy");
        assert!(
            Condition::parse("ready", deploy)
                .unwrap_err()
                .contains("only applies to pods")
        );
        assert!(
            Condition::parse("{.status.phase Running", pods())
                .unwrap_err()
                .contains("never closed")
        );
        assert!(
            Condition::parse("{.status.phase} Running", pods())
                .unwrap_err()
                .contains("operator")
        );
        assert!(Condition::parse("phase == Running", pods()).is_err());
        let c = Condition::parse("count {.spec.containers[*]} == 2", pods()).expect("parses");
        assert!(matches!(c, Condition::Count { .. }));
        assert!(Condition::parse("count {.spec.containers[*]} == two", pods()).is_err());
    }

    #[test]
    fn queries_read_like_kubectl_get() {
        let q = Query::parse("pods -l app=kubia").expect("parses");
        assert_eq!(
            (
                q.kind.plural,
                q.namespace.as_deref(),
                q.label_selector.as_str()
            ),
            ("pods", Some("default"), "app=kubia")
        );
        let q = Query::parse("deploy/kubia -n luffy").expect("parses");
        assert_eq!(
            (q.name.as_deref(), q.namespace.as_deref()),
            (Some("kubia"), Some("luffy"))
        );
        let q = Query::parse("nodes minikube").expect("parses");
        assert_eq!((q.name.as_deref(), q.namespace), (Some("minikube"), None));
        assert!(
            Query::parse("pots")
                .unwrap_err()
                .contains("doesn't have a resource type \"pots\"")
        );
        assert!(
            Query::parse("pods -l")
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            Query::parse("pods --watch")
                .unwrap_err()
                .contains("unknown flag")
        );
        assert!(Query::parse("pods -l 'app in (kubia'").is_err());
    }
}
