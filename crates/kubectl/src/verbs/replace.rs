//! `kubectl replace -f FILE [--force]`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go (v1.34): each document
//! replaces the stored object (a PUT; a `resourceVersion` in the file makes it conditional)
//! and prints `<kind>/<name> replaced`. `--force` deletes the object at once and creates it
//! again from the file.

use cluster::apiserver::{CreateOptions, DeleteOptions, UpdateOptions};

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::manifest;
use crate::{Env, Outcome};

/// Runs `kubectl replace`.
///
/// # Errors
/// Usage errors, decode errors and the store's errors (`error when replacing "f": …`).
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let files = ctx.filenames();
    if files.is_empty() {
        return Err(ctx.usage("must specify --filename to replace"));
    }
    let dry = ctx.dry_run()?;
    let force = ctx.parsed.bool("force");
    let grace = ctx.parsed.int("grace-period").unwrap_or(-1);
    if force && grace <= 0 {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let mut failed = false;
    for doc in manifest::read(&files, ctx.parsed.bool("recursive"), env)? {
        let decoded = match doc.result {
            Ok(d) => d,
            Err(e) => {
                out.err(manifest::decode_error_text(&e, "replacing"));
                failed = true;
                continue;
            }
        };
        let mut obj = decoded.object;
        if force {
            // forceReplace sends the object as a new one.
            obj.meta_mut().resource_version = None;
        }
        let info = obj.kind_info();
        let ns = info.namespaced.then(|| {
            obj.namespace()
                .map_or(ctx.namespace.clone(), str::to_string)
        });
        let name = obj.name().to_string();
        let kind = info.qualified_kind_lower();
        let result = if force {
            let deleted = if dry == DryRun::Client {
                Ok(())
            } else {
                env.store
                    .delete(
                        info,
                        ns.as_deref(),
                        &name,
                        &DeleteOptions {
                            grace_period_seconds: Some(grace.max(0)),
                            dry_run: dry == DryRun::Server,
                            ..Default::default()
                        },
                    )
                    .map(|_| ())
            };
            match deleted {
                Err(e) if e.reason() != "NotFound" => Err(e),
                other => {
                    if other.is_ok() {
                        out.out(super::delete::deletion_line(
                            info,
                            &name,
                            ns.as_deref(),
                            grace == 0,
                            dry,
                        ));
                    }
                    if dry == DryRun::Client {
                        Ok(())
                    } else {
                        env.store
                            .create(
                                ns.as_deref(),
                                obj,
                                &CreateOptions {
                                    dry_run: dry == DryRun::Server,
                                },
                            )
                            .map(|_| ())
                    }
                }
            }
        } else if dry == DryRun::Client {
            env.store.get(info, ns.as_deref(), &name).map(|_| ())
        } else {
            env.store
                .update(
                    ns.as_deref(),
                    obj,
                    &UpdateOptions {
                        dry_run: dry == DryRun::Server,
                    },
                )
                .map(|_| ())
        };
        match result {
            Ok(()) => out.out(format!("{kind}/{name} replaced{}", dry.suffix())),
            Err(e) => {
                let msg = e.kubectl_message();
                // The resource builder names the file the object came from.
                let text = match msg.split_once("): ") {
                    Some((head, rest)) if msg.starts_with("Error from server") => {
                        format!("{head}): error when replacing \"{}\": {rest}", doc.source)
                    }
                    _ => msg,
                };
                out.err(text);
                failed = true;
            }
        }
    }
    if failed {
        out.exit_code = 1;
    }
    Ok(())
}
