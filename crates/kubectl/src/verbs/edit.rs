//! `kubectl edit`: the object opens in the lab's editor; saving applies it.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (v1.34): the buffer
//! starts with kubectl's comment header; on save, comment lines are dropped, an empty or
//! unchanged buffer cancels (`Edit cancelled, no changes made.`), otherwise the changes are
//! patched into the object and `deployment.apps/web edited` printed.

use api::Object;
use cluster::StoreError;
use cluster::apiserver::PatchOptions;
use cluster::apiserver::patch::PatchType;
use machinery::validation::field::quote;
use serde_json::{Map, Value};

use super::Ctx;
use super::printing::{name_of, object_value};
use crate::errors::KubectlError;
use crate::render::yaml;
use crate::resources::{self, Target};
use crate::{EditRequest, Env, Outcome};

const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// Runs `kubectl edit TYPE NAME`.
///
/// # Errors
/// Usage errors and NotFound.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let targets = resources::resolve_args(&ctx.parsed.args)?;
    let Some(Target::Named(info, name)) = targets.into_iter().next() else {
        return Err(KubectlError::msg(
            "edit requires a resource type and a name, e.g. kubectl edit deployment web",
        ));
    };
    let obj = env.store.get(info, ctx.ns_for(info), &name)?;
    let original = yaml::to_yaml(&object_value(&obj));
    out.edit = Some(EditRequest {
        title: name_of(&obj),
        text: format!("{HEADER}{original}"),
        namespace: obj.namespace().map(str::to_string),
        original,
    });
    Ok(())
}

/// Applies a saved edit buffer.
///
/// As kubectl's edit loop does when the editor closes (editoptions.go `Run`, v1.34): a buffer
/// saved unchanged after a failed save gives up (`Edit cancelled, no valid changes were
/// saved.`); comment lines are dropped and a buffer equal to the object as first opened
/// cancels (`Edit cancelled, no changes made.`), an empty one too (`Edit cancelled, saved
/// file was empty.`). A syntax error or an invalid object reopens the buffer (`out.edit`)
/// with the failures in the comment header, as `editHeader.writeTo` writes them. Otherwise
/// the changes since the object was opened (`original`) are sent as a patch (`visitToPatch`),
/// so whatever controllers wrote meanwhile (status, resourceVersion) does not conflict.
/// kubectl sends a strategic merge patch; the lab sends a JSON merge patch, which replaces
/// an edited list whole, so an edited list is exactly the list the learner saved.
/// `reopened` is the buffer as the last failed save reopened it. The lab keeps no temporary
/// copy, so kubectl's "A copy of your changes…"/"You can run `kubectl replace -f …`"
/// follow-up lines are not printed.
///
/// # Errors
/// None today: every failure is reported in `out`; the `Result` keeps the verb shape.
pub fn save(
    text: &str,
    reopened: Option<&str>,
    original: Option<&str>,
    env: &mut Env<'_>,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let body = strip_comments(text);
    if reopened.is_some_and(|shown| strip_comments(shown) == body) {
        out.err("error: Edit cancelled, no valid changes were saved.");
        out.exit_code = 1;
        return Ok(());
    }
    if original.is_some_and(|o| strip_comments(o) == body) {
        out.err("Edit cancelled, no changes made.");
        return Ok(());
    }
    if body.trim().is_empty() {
        out.err("Edit cancelled, saved file was empty.");
        return Ok(());
    }
    let decoded = match api::decode_one(&body, "edited file") {
        Ok(d) => d,
        Err(e) => {
            let head = format!("The edited file had a syntax error: {e}");
            reopen(out, &body, vec![Reason { head, other: Vec::new() }], None, original);
            return Ok(());
        }
    };
    let obj: Object = decoded.object;
    let info = obj.kind_info();
    let resource = info.qualified_plural();
    let name = obj.name().to_string();
    let ns = obj.namespace().map(str::to_string);
    let current = match env.store.get(info, ns.as_deref(), &name) {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => {
            out.err(format!("error: {resource} {} could not be found on the server", quote(&name)));
            out.exit_code = 1;
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    // The object as the edit began; without one, the object as it is now.
    let before = original
        .and_then(|o| api::decode_one(o, "original").ok())
        .map_or_else(|| object_value(&current), |d| object_value(&d.object));
    let edited = object_value(&obj);
    let Some(patch) = merge_patch(&before, &edited) else {
        // Only formatting changed: kubectl prints the object as skipped.
        out.out(format!("{} skipped", name_of(&current)));
        return Ok(());
    };
    let result = env.store.patch(
        info,
        ns.as_deref(),
        &name,
        PatchType::Merge,
        &patch,
        &PatchOptions::default(),
    );
    match result {
        Ok(updated) => out.out(format!("{} edited", name_of(&updated))),
        Err(StoreError::Invalid(invalid)) => {
            out.err(format!("error: {resource} {} is invalid", quote(&name)));
            out.exit_code = 1;
            let head = format!("{resource} {} was not valid", quote(&name));
            let reason = Reason { head, other: invalid.errors.messages() };
            reopen(out, &body, vec![reason], ns, original);
        }
        Err(e) => {
            out.err(format!(
                "error: {resource} {} could not be patched: {}",
                quote(&name),
                KubectlError::from(e).to_string().trim_start_matches("error: ")
            ));
            out.exit_code = 1;
        }
    }
    Ok(())
}

/// The JSON merge patch (RFC 7386) that turns `from` into `to`: changed and new fields,
/// removed ones as `null`, lists and scalars whole. None when they are equal.
fn merge_patch(from: &Value, to: &Value) -> Option<Value> {
    match (from, to) {
        (Value::Object(f), Value::Object(t)) => {
            let mut patch = Map::new();
            for (key, new) in t {
                match f.get(key) {
                    Some(old) => {
                        if let Some(change) = merge_patch(old, new) {
                            patch.insert(key.clone(), change);
                        }
                    }
                    None => {
                        patch.insert(key.clone(), new.clone());
                    }
                }
            }
            for key in f.keys().filter(|k| !t.contains_key(*k)) {
                patch.insert(key.clone(), Value::Null);
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        (a, b) if a == b => None,
        (_, b) => Some(b.clone()),
    }
}

/// Why a buffer is reopened: one block of kubectl's edit header (`editReason`).
struct Reason {
    head: String,
    other: Vec<String>,
}

/// Reopens the edited text under the header and the reasons it failed.
/// Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (v1.34)
/// `editHeader.writeTo` and `hashOnLineBreak`.
fn reopen(
    out: &mut Outcome,
    body: &str,
    reasons: Vec<Reason>,
    namespace: Option<String>,
    original: Option<&str>,
) {
    let mut text = HEADER.to_string();
    for r in &reasons {
        let colon = if r.other.is_empty() { "" } else { ":" };
        text.push_str(&format!("# {}{colon}\n", hash_on_line_break(&r.head)));
        for o in &r.other {
            text.push_str(&format!("# * {}\n", hash_on_line_break(o)));
        }
        text.push_str("#\n");
    }
    text.push_str(body);
    let title = api::decode_one(body, "edited file")
        .map(|d| name_of(&d.object))
        .unwrap_or_else(|_| "edited file".to_string());
    // The edit goes on from the object as it was first opened.
    let original = original.unwrap_or_default().to_string();
    out.edit = Some(EditRequest { title, text, namespace, original });
}

/// The buffer without its comment lines (kubectl's `ManualStrip`).
fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Keeps a multi-line message inside the comment header: each line break gets a `# `.
fn hash_on_line_break(s: &str) -> String {
    s.replace('\n', "\n# ").replace("\n# #", "\n#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_stay_comments() {
        struct Case {
            name: &'static str,
            input: &'static str,
            want: &'static str,
        }
        let cases = [
            Case { name: "one line", input: "a", want: "a" },
            Case { name: "two lines", input: "a\nb", want: "a\n# b" },
            Case { name: "already hashed", input: "a\n# b", want: "a\n# b" },
        ];
        for c in cases {
            assert_eq!(hash_on_line_break(c.input), c.want, "{}", c.name);
        }
    }

    #[test]
    fn merge_patches_carry_only_the_changes() {
        use serde_json::json;
        struct Case {
            name: &'static str,
            from: Value,
            to: Value,
            want: Option<Value>,
        }
        let cases = [
            Case { name: "equal", from: json!({"a": 1, "b": [1]}), to: json!({"a": 1.0, "b": [1]}), want: None },
            Case { name: "changed scalar", from: json!({"spec": {"replicas": 2, "x": 1}}), to: json!({"spec": {"replicas": 3, "x": 1}}), want: Some(json!({"spec": {"replicas": 3}})) },
            Case { name: "removed field", from: json!({"a": 1, "b": 2}), to: json!({"a": 1}), want: Some(json!({"b": null})) },
            Case { name: "list whole", from: json!({"l": [1, 2]}), to: json!({"l": [1]}), want: Some(json!({"l": [1]})) },
        ];
        for c in cases {
            assert_eq!(merge_patch(&c.from, &c.to), c.want, "{}", c.name);
        }
    }
}
