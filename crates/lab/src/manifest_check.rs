//! The editor's live check of a manifest: decode errors at their exact line and column, then
//! a server-side dry run (`kubectl apply -f - --dry-run=server`) whose validation errors are
//! placed on the field they name. Nothing is created, logged or added to the history.

use crate::{Output, Session, Stream};

/// One problem to underline in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub severity: Severity,
}

/// Whether a marker stops Apply or only says what the server warned about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    /// A `Warning:` line of the dry run: Apply succeeds, and prints it.
    Warning,
}

/// What the check found: markers, and the dry run's own words (what Apply would print).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestCheck {
    pub markers: Vec<Marker>,
    pub dry_run: Option<Output>,
}

impl ManifestCheck {
    /// Whether Apply would succeed (warnings do not stop it).
    pub fn ok(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The markers of problems that stop Apply.
    pub fn errors(&self) -> impl Iterator<Item = &Marker> {
        self.markers.iter().filter(|m| m.severity == Severity::Error)
    }
}

impl Session {
    /// Checks the editor's text as `kubectl apply` would, without changing the lab.
    pub fn check_manifest(&self, text: &str, file_name: &str) -> ManifestCheck {
        let decoded = api::decode(text, file_name);
        let mut markers = Vec::new();
        let mut documents = Vec::new();
        for result in decoded {
            match result {
                Ok(d) => documents.push(d),
                Err(err) => markers.extend(decode_markers(&err)),
            }
        }
        if !markers.is_empty() || documents.is_empty() {
            return ManifestCheck { markers, dry_run: None };
        }
        let args: Vec<String> = ["apply", "-f", "-", "--dry-run=server"].map(String::from).to_vec();
        let out = self.kubectl_unlogged(&args, text);
        for line in out.lines.iter().filter(|l| l.stream == Stream::Stderr) {
            match line.text.strip_prefix("Warning: ") {
                Some(warning) => markers.extend(warning_marker(warning, &documents)),
                None => markers.extend(error_markers(&line.text, &documents)),
            }
        }
        ManifestCheck { markers, dry_run: Some(out) }
    }
}

fn decode_markers(err: &api::DecodeError) -> Vec<Marker> {
    let message = err.to_string();
    match err {
        api::DecodeError::Parse { line, column, .. } => {
            vec![Marker { line: *line, column: (*column).max(1), message, severity: Severity::Error }]
        }
        api::DecodeError::Strict { fields, field_lines, line, .. } => fields
            .iter()
            .zip(field_lines)
            .map(|(f, l)| Marker {
                line: if *l == 0 { *line } else { *l },
                column: 1,
                message: format!("unknown field \"{f}\""),
                severity: Severity::Error,
            })
            .collect(),
        _ => vec![Marker { line: err.line().max(1), column: 1, message, severity: Severity::Error }],
    }
}

/// A warning of the dry run (`resource deployments/web is missing the … annotation`), on the
/// first line of the document it names.
fn warning_marker(text: &str, documents: &[api::Decoded]) -> Option<Marker> {
    let doc = documents
        .iter()
        .find(|d| d.object.meta().name.as_deref().is_some_and(|n| text.contains(&format!("/{n} "))))
        .or(documents.first())?;
    Some(Marker { line: doc.line, column: 1, message: text.to_string(), severity: Severity::Warning })
}

/// Markers for one error line of the dry run: each `path: reason` after `is invalid: ` goes
/// to the field's position (or its nearest written parent) in the document it names.
fn error_markers(text: &str, documents: &[api::Decoded]) -> Vec<Marker> {
    let doc = documents
        .iter()
        .find(|d| d.object.meta().name.as_deref().is_some_and(|n| text.contains(&format!("\"{n}\""))))
        .or(documents.first());
    let Some(doc) = doc else { return Vec::new() };
    let Some((_, causes)) = text.split_once(" is invalid: ") else {
        return vec![Marker { line: doc.line, column: 1, message: text.to_string(), severity: Severity::Error }];
    };
    let causes = causes.trim_start_matches('[').trim_end_matches(']');
    let placed: Vec<Marker> = causes
        .split(", ")
        .filter_map(|cause| {
            let (path, _) = cause.split_once(": ")?;
            let at = doc.source_map.nearest(path)?;
            Some(Marker { line: at.line, column: at.column, message: cause.to_string(), severity: Severity::Error })
        })
        .collect();
    if placed.is_empty() {
        vec![Marker { line: doc.line, column: 1, message: text.to_string(), severity: Severity::Error }]
    } else {
        placed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_is_marked_at_its_line() {
        let s = Session::new();
        let check = s.check_manifest("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n spec: [\n", "manifest.yaml");
        assert_eq!(check.markers.len(), 1, "{check:?}");
        assert!(check.markers[0].line >= 4, "{check:?}");
        assert!(check.markers[0].message.starts_with("error parsing manifest.yaml"), "{check:?}");
    }

    #[test]
    fn unknown_fields_and_invalid_values_are_marked_on_their_field() {
        let s = Session::new();
        let check = s.check_manifest(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    imagex: nginx\n",
            "manifest.yaml",
        );
        assert_eq!(check.markers.iter().map(|m| m.line).collect::<Vec<_>>(), [8], "{check:?}");
        let check = s.check_manifest(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 99999\n",
            "manifest.yaml",
        );
        assert_eq!(check.markers.iter().map(|m| m.line).collect::<Vec<_>>(), [10], "{check:?}");
        assert!(check.markers[0].message.contains("containerPort"), "{check:?}");
    }

    /// Applying over an object made by `kubectl create` works and warns about the missing
    /// last-applied annotation: the check marks the warning on the document, as a warning.
    #[test]
    fn a_warning_of_the_dry_run_is_a_warning_marker_that_does_not_stop_apply() {
        let mut s = Session::new();
        s.run_command("kubectl create configmap other");
        s.run_command("kubectl create configmap settings --from-literal=a=b");
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: c\n";
        let check = s.check_manifest(text, "manifest.yaml");
        assert!(check.ok(), "{check:?}");
        let warnings: Vec<_> = check.markers.iter().map(|m| (m.line, m.severity)).collect();
        assert_eq!(warnings, [(1, Severity::Warning), (6, Severity::Warning)], "{check:?}");
        assert!(check.markers[1].message.starts_with("resource configmaps/settings is missing"), "{check:?}");
        let out = check.dry_run.expect("a dry run").text();
        assert!(out.contains("configmap/settings configured (server dry run)"), "{out}");
        assert_eq!(s.run_command("kubectl get cm settings -o jsonpath={.data.a}").text().trim(), "b");
    }

    #[test]
    fn a_good_manifest_dry_runs_without_changing_the_lab() {
        let mut s = Session::new();
        let check = s.check_manifest("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n", "manifest.yaml");
        assert!(check.ok(), "{check:?}");
        assert_eq!(check.dry_run.unwrap().text(), "namespace/dev created (server dry run)\n");
        assert!(s.history().is_empty());
        assert!(s.actions().is_empty());
        assert_eq!(s.run_command("kubectl get ns dev").text(), "Error from server (NotFound): namespaces \"dev\" not found\n");
    }

    #[test]
    fn live_checks_leave_the_lab_replayable_to_the_same_cluster() {
        let mut s = Session::new();
        s.run_command("kubectl create deployment web --image=nginx --replicas=2");
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: probe-\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
        for _ in 0..3 {
            assert!(s.check_manifest(pod, "manifest.yaml").ok());
            s.advance(700);
        }
        s.run_command("kubectl scale deployment web --replicas=4");
        s.advance(5000);
        let link = crate::LabLink::of(&s, None, None, None);
        assert_eq!(link.replay().unwrap().dump(), s.dump());
    }
}
