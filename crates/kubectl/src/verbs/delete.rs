//! `kubectl delete`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go (v1.34): names, `-f`, `-l`,
//! `--all`; `<kind> "<name>" deleted` per object; `--force --grace-period=0` warns and
//! prints `force deleted`; `--cascade` picks the propagation policy. kubectl then waits for
//! the objects to be gone (`--wait`, default true): the waits are handed to the lab in
//! `Outcome::wait_gone`, since only the lab can move simulated time.

use api::{KindInfo, Object};
use cluster::apiserver::{DeleteOptions, ListOptions, PropagationPolicy};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome, manifest};

/// Runs `kubectl delete`.
///
/// # Errors
/// Usage errors; per-object failures are printed and set the exit status.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    let selector = p.string("selector").unwrap_or("").to_string();
    let field_selector = p.string("field-selector").unwrap_or("").to_string();
    let all = p.bool("all");
    let dry = ctx.dry_run()?;
    let force = p.bool("force");
    let mut grace = p.int("grace-period").filter(|g| *g >= 0);
    if p.bool("now") {
        if grace.is_some() {
            return Err(KubectlError::msg(
                "--now and --grace-period cannot be specified together",
            ));
        }
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    if grace == Some(0) && !force {
        // kubectl turns a bare --grace-period=0 into 1 (delete.go: "immediate deletion").
        grace = Some(1);
    }
    // A boolean --cascade still works, with the warning kubectl prints on stderr
    // (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete_flags.go parseCascadingFlag, v1.34;
    // the booleans are Go's strconv.ParseBool spellings).
    let cascade = p.string("cascade").map(|c| match c {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => {
            out.err(format!(
                "warning: --cascade={c} is deprecated (boolean value) and can be replaced with --cascade=background."
            ));
            "background"
        }
        "0" | "f" | "F" | "FALSE" | "false" | "False" => {
            out.err(format!(
                "warning: --cascade={c} is deprecated (boolean value) and can be replaced with --cascade=orphan."
            ));
            "orphan"
        }
        other => other,
    });
    let propagation = match cascade {
        None | Some("background") => None,
        Some("orphan") => Some(PropagationPolicy::Orphan),
        Some("foreground") => Some(PropagationPolicy::Foreground),
        Some(other) => {
            return Err(KubectlError::msg(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )));
        }
    };
    let mut targets: Vec<(Target, Option<String>)> = Vec::new();
    if !filenames.is_empty() {
        for doc in manifest::read(&filenames, p.bool("recursive"), env)? {
            match doc.result {
                Ok(d) => {
                    let ns = d.object.namespace().map(str::to_string);
                    targets.push((
                        Target::Named(d.object.kind_info(), d.object.name().to_string()),
                        ns,
                    ));
                }
                Err(e) => {
                    out.err(manifest::decode_error_text(&e, "deleting"));
                    out.exit_code = 1;
                }
            }
        }
    } else {
        if p.args.is_empty() {
            return Err(KubectlError::msg(
                "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            ));
        }
        let resolved = resources::resolve_args(&p.args)?;
        let any_all = resolved.iter().any(|t| matches!(t, Target::All(_)));
        if any_all && !all && selector.is_empty() && field_selector.is_empty() {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        }
        if !any_all && (all || !selector.is_empty()) {
            return Err(KubectlError::msg(
                "name cannot be provided when a selector is specified",
            ));
        }
        targets.extend(resolved.into_iter().map(|t| (t, None)));
    }
    if force && grace == Some(0) {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let all_ns = ctx.all_namespaces();
    let mut deleted_any = false;
    for (target, file_ns) in targets {
        let info = target.info();
        let ns = info
            .namespaced
            .then(|| file_ns.unwrap_or_else(|| ctx.namespace.clone()));
        let names: Vec<(Option<String>, String)> = match &target {
            Target::Named(_, n) => vec![(ns.clone(), n.clone())],
            Target::All(_) => {
                let opts = ListOptions {
                    label_selector: selector.clone(),
                    field_selector: field_selector.clone(),
                    ..Default::default()
                };
                let list_ns = if all_ns { None } else { ns.as_deref() };
                match env.store.list(info, list_ns, &opts) {
                    Ok(l) => l
                        .items
                        .iter()
                        .map(|o| (o.namespace().map(str::to_string), o.name().to_string()))
                        .collect(),
                    Err(e) => {
                        out.err(KubectlError::from(e).to_string());
                        out.exit_code = 1;
                        continue;
                    }
                }
            }
        };
        for (ns, name) in names {
            let opts = DeleteOptions {
                grace_period_seconds: grace,
                preconditions: None,
                propagation_policy: propagation,
                dry_run: dry != DryRun::None,
            };
            let result = if dry == DryRun::Client {
                env.store.get(info, ns.as_deref(), &name).map(|_| ())
            } else {
                env.store
                    .delete(info, ns.as_deref(), &name, &opts)
                    .map(|r| {
                        if !r.removed && (!p.has("wait") || p.bool("wait")) && dry == DryRun::None {
                            out.wait_gone.push(gone_key(&r.object));
                        }
                    })
            };
            match result {
                Ok(()) => {
                    deleted_any = true;
                    out.out(deletion_line(
                        info,
                        &name,
                        ns.as_deref(),
                        force && grace == Some(0),
                        dry,
                    ));
                }
                Err(e) if e.reason() == "NotFound" && p.bool("ignore-not-found") => {}
                Err(e) => {
                    out.err(KubectlError::from(e).to_string());
                    out.exit_code = 1;
                }
            }
        }
    }
    if !deleted_any && out.exit_code == 0 && (all || !selector.is_empty()) {
        out.err("No resources found");
    }
    Ok(())
}

/// kubectl's confirmation for one deleted object: `pod "x" deleted from default namespace`.
/// Since v1.34 a namespaced object names its namespace (kubectl v0.34.0
/// pkg/cmd/delete/delete.go `PrintObj`); `run --rm` and `replace --force` print the same.
pub(crate) fn deletion_line(
    info: &KindInfo,
    name: &str,
    namespace: Option<&str>,
    force: bool,
    dry: DryRun,
) -> String {
    let verb = if force { "force deleted" } else { "deleted" };
    let place = match namespace {
        Some(ns) if info.namespaced => format!(" from {ns} namespace"),
        _ => String::new(),
    };
    format!(
        "{} \"{name}\" {verb}{place}{}",
        info.qualified_kind_lower(),
        dry.suffix()
    )
}

/// What the lab waits for: an object of this kind, namespace, name and uid to be gone.
fn gone_key(obj: &Object) -> crate::GoneKey {
    crate::GoneKey {
        info: obj.kind_info(),
        namespace: obj.namespace().map(str::to_string),
        name: obj.name().to_string(),
        uid: obj.meta().uid.clone().unwrap_or_default(),
    }
}
