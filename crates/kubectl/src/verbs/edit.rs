//! `kubectl edit`: the object opens in the lab's editor; saving applies it.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (v1.34): the buffer
//! starts with kubectl's comment header; on save, comment lines are dropped, an empty or
//! unchanged buffer cancels (`Edit cancelled, no changes made.`), otherwise the object is
//! updated and `deployment.apps/web edited` printed.

use api::Object;
use cluster::StoreError;
use cluster::apiserver::UpdateOptions;
use machinery::validation::field::quote;

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
    let text = format!("{HEADER}{}", yaml::to_yaml(&object_value(&obj)));
    out.edit = Some(EditRequest {
        title: name_of(&obj),
        text,
        namespace: obj.namespace().map(str::to_string),
    });
    Ok(())
}

/// Applies a saved edit buffer.
///
/// As kubectl does when the editor closes: comment lines are dropped; an unchanged object
/// cancels (`Edit cancelled, no changes made.`), an empty buffer too (`Edit cancelled, saved
/// file was empty.`). A syntax error or an invalid object reopens the buffer (`out.edit`)
/// with the failures in the comment header, as `editHeader.writeTo` writes them. A deleted
/// object or another server error ends the edit with kubectl's `error: …` line; the lab keeps
/// no temporary copy, so kubectl's "A copy of your changes…"/"You can run `kubectl replace
/// -f …`" follow-up lines are not printed.
///
/// # Errors
/// None today: every failure is reported in `out`; the `Result` keeps the verb shape.
pub fn save(text: &str, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let body = strip_comments(text);
    let decoded = match api::decode_one(&body, "edited file") {
        Ok(d) => d,
        Err(_) if body.trim().is_empty() => {
            out.err("Edit cancelled, saved file was empty.");
            return Ok(());
        }
        Err(e) => {
            let head = format!("The edited file had a syntax error: {e}");
            reopen(out, &body, vec![Reason { head, other: Vec::new() }], None);
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
    if object_value(&current) == object_value(&obj) {
        out.err("Edit cancelled, no changes made.");
        return Ok(());
    }
    match env.store.update(ns.as_deref(), obj, &UpdateOptions::default()) {
        Ok(updated) => out.out(format!("{} edited", name_of(&updated))),
        Err(StoreError::Invalid(invalid)) => {
            out.err(format!("error: {resource} {} is invalid", quote(&name)));
            out.exit_code = 1;
            let head = format!("{resource} {} was not valid", quote(&name));
            let reason = Reason { head, other: invalid.errors.messages() };
            reopen(out, &body, vec![reason], ns);
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

/// Why a buffer is reopened: one block of kubectl's edit header (`editReason`).
struct Reason {
    head: String,
    other: Vec<String>,
}

/// Reopens the edited text under the header and the reasons it failed.
/// Mirrors staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (v1.34)
/// `editHeader.writeTo` and `hashOnLineBreak`.
fn reopen(out: &mut Outcome, body: &str, reasons: Vec<Reason>, namespace: Option<String>) {
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
    out.edit = Some(EditRequest { title, text, namespace });
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
}
