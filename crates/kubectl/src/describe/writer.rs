//! kubectl's `PrefixWriter` over a tab writer, and the small printers every describer shares.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.34): `prefixWriter.Write`
//! indents by two blanks per level, `tabbedString` aligns the whole text with
//! `tabwriter(minwidth 0, tabwidth 8, padding 2, ' ', 0)`, and the `print*Multiline` helpers
//! continue their values on lines that start with a tab.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use cluster::SimTime;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::render::tabwriter;

pub const LEVEL_0: usize = 0;
pub const LEVEL_1: usize = 1;
pub const LEVEL_2: usize = 2;
pub const LEVEL_3: usize = 3;

/// Annotations describe never prints (describe.go `skipAnnotations`).
const SKIP_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];
/// describe.go `maxAnnotationLen`.
const MAX_ANNOTATION_LEN: usize = 140;

/// Collects describe text; [`PrefixWriter::finish`] aligns it.
#[derive(Debug, Default)]
pub struct PrefixWriter {
    buf: String,
}

/// `w!(w, LEVEL, "fmt", args…)`: one `PrefixWriter.Write` call.
macro_rules! w {
    ($w:expr, $level:expr, $($arg:tt)*) => {
        $w.write($level, format_args!($($arg)*))
    };
}
pub(crate) use w;

impl PrefixWriter {
    pub fn new() -> PrefixWriter {
        PrefixWriter::default()
    }

    /// `Write(level, format, …)`: two blanks per level, then the text.
    pub fn write(&mut self, level: usize, args: fmt::Arguments<'_>) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        let _ = self.buf.write_fmt(args);
    }

    /// `WriteLine(text)`: the text and a newline, no indent.
    pub fn line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    /// The aligned text (`tabbedString`).
    pub fn finish(self) -> String {
        tabwriter::align(&self.buf, 0, 2)
    }
}

/// `printLabelsMultilineWithIndent`: `Title:\tk=v`, further pairs on `\tk=v` lines.
pub fn labels_multiline(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    inner_indent: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w!(w, LEVEL_0, "{initial_indent}{title}:{inner_indent}");
    let Some(labels) = labels.filter(|l| !l.is_empty()) else {
        w.line("<none>");
        return;
    };
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "{initial_indent}{inner_indent}");
        }
        w!(w, LEVEL_0, "{k}={v}\n");
    }
}

/// `printLabelsMultiline(w, title, labels)`.
pub fn labels(w: &mut PrefixWriter, title: &str, labels: Option<&BTreeMap<String, String>>) {
    labels_multiline(w, "", title, "\t", labels);
}

/// `printAnnotationsMultiline`: `key: value`, long or multi-line values on their own lines,
/// the last-applied configuration skipped.
pub fn annotations(w: &mut PrefixWriter, title: &str, ann: Option<&BTreeMap<String, String>>) {
    w!(w, LEVEL_0, "{title}:\t");
    let keys: Vec<(&String, &String)> = ann
        .into_iter()
        .flatten()
        .filter(|(k, _)| !SKIP_ANNOTATIONS.contains(&k.as_str()))
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (key, value)) in keys.into_iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w!(w, LEVEL_0, "{key}:\n");
            for s in value.split('\n') {
                w!(w, LEVEL_0, "\t  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2));
            }
        } else {
            w!(w, LEVEL_0, "{key}: {value}\n");
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

/// `printTolerationsMultilineWithIndent`, sorted by key.
pub fn tolerations(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    tolerations: Option<&Vec<corev1::Toleration>>,
) {
    w!(w, LEVEL_0, "{initial_indent}{title}:\t");
    let mut list: Vec<&corev1::Toleration> = tolerations.into_iter().flatten().collect();
    if list.is_empty() {
        w.line("<none>");
        return;
    }
    machinery::sort::sort_by(&mut list, |a, b| a.key.cmp(&b.key));
    for (i, t) in list.into_iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "{initial_indent}\t");
        }
        w!(w, LEVEL_0, "{}\n", toleration_text(t));
    }
}

fn toleration_text(t: &corev1::Toleration) -> String {
    let key = t.key.as_deref().unwrap_or("");
    let value = t.value.as_deref().unwrap_or("");
    let effect = t.effect.as_deref().unwrap_or("");
    let mut s = key.to_string();
    if !value.is_empty() {
        let _ = write!(s, "={value}");
    }
    if !effect.is_empty() {
        let _ = write!(s, ":{effect}");
    }
    if t.operator.as_deref() == Some("Exists") && value.is_empty() {
        if !key.is_empty() || !effect.is_empty() {
            s.push_str(" op=Exists");
        } else {
            s.push_str("op=Exists");
        }
    }
    if let Some(secs) = t.toleration_seconds {
        let _ = write!(s, " for {secs}s");
    }
    s
}

/// `printNodeTaintsMultiline`, sorted by `effect,key`; a taint prints as `key=value:Effect`.
pub fn taints(w: &mut PrefixWriter, title: &str, taints: Option<&Vec<corev1::Taint>>) {
    w!(w, LEVEL_0, "{title}:\t");
    let mut list: Vec<&corev1::Taint> = taints.into_iter().flatten().collect();
    if list.is_empty() {
        w.line("<none>");
        return;
    }
    machinery::sort::sort_by_key(&mut list, |t| format!("{},{}", t.effect, t.key));
    for (i, t) in list.into_iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "\t");
        }
        w!(w, LEVEL_0, "{}\n", taint_text(t));
    }
}

/// Taint.ToString: `key=value:Effect`, `key:Effect`.
pub fn taint_text(t: &corev1::Taint) -> String {
    match t.value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("{}={v}:{}", t.key, t.effect),
        None => format!("{}:{}", t.key, t.effect),
    }
}

/// RFC1123Z, as describe prints times: `Thu, 01 Jan 2026 00:00:05 +0000`.
pub fn time_text(t: &metav1::Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// `translateTimestampSince`: the age, or `<unknown>` for a zero time.
pub fn since(now: SimTime, t: Option<&metav1::Time>) -> String {
    match t {
        Some(t) => machinery::duration::human_duration_ms(now.millis_since(t)),
        None => "<unknown>".into(),
    }
}

/// labels.FormatLabels: `k=v,k2=v2` sorted, `<none>` when empty.
pub fn format_labels(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        Some(m) if !m.is_empty() => m
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "<none>".into(),
    }
}

/// `LabelSelectorAsSelector(sel).String()`: empty for an empty selector.
pub fn selector_string(sel: Option<&metav1::LabelSelector>) -> String {
    match sel {
        Some(s) => api::selectors::label_selector_to_selector(s)
            .map(|s| s.to_string())
            .unwrap_or_default(),
        None => String::new(),
    }
}

/// metav1.FormatLabelSelector: the selector string, `<none>` when empty.
pub fn format_label_selector(sel: Option<&metav1::LabelSelector>) -> String {
    let s = selector_string(sel);
    if s.is_empty() { "<none>".into() } else { s }
}

/// A quantity as `Quantity.String()` prints it (canonical form).
pub fn quantity_text(q: &Quantity) -> String {
    machinery::quantity::Quantity::parse(&q.0)
        .map(|q| q.to_string())
        .unwrap_or_else(|_| q.0.clone())
}

/// `printBool`: `True`/`False`.
pub fn bool_text(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// `printBoolPtr`: `True`, `False` or `<unset>`.
pub fn bool_ptr_text(b: Option<bool>) -> &'static str {
    match b {
        Some(b) => bool_text(b),
        None => "<unset>",
    }
}

/// Go's `%v` of a string slice: `[a b c]`.
pub fn go_slice(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// `printController`: `Kind/name` of the controlling owner.
pub fn controller_of(meta: &metav1::ObjectMeta) -> Option<String> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| format!("{}/{}", o.kind, o.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_use_colon_form_and_skip_last_applied() {
        let mut m = BTreeMap::new();
        m.insert("a".to_string(), "1".to_string());
        m.insert(
            "kubectl.kubernetes.io/last-applied-configuration".to_string(),
            "{}".to_string(),
        );
        m.insert("b".to_string(), "x\ny".to_string());
        let mut w = PrefixWriter::new();
        w!(w, LEVEL_0, "Name:\tn\n");
        annotations(&mut w, "Annotations", Some(&m));
        assert_eq!(
            w.finish(),
            "Name:         n\nAnnotations:  a: 1\n              b:\n                x\n                y\n"
        );
    }
}
