//! `kubectl scale`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go (v1.34): writes the `scale`
//! subresource and prints `deployment.apps/web scaled`.

use cluster::apiserver::UpdateOptions;

use super::{Ctx, DryRun};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::{Env, Outcome};

/// Runs `kubectl scale`.
///
/// # Errors
/// Usage errors and the store's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let Some(replicas) = p.int("replicas") else {
        return Err(ctx.usage(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    };
    if replicas < 0 {
        return Err(ctx.usage(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    if p.args.is_empty() {
        return Err(ctx.usage("Required resource not specified."));
    }
    let dry = ctx.dry_run()?;
    for t in resources::resolve_args(&p.args)? {
        let Target::Named(info, name) = t else {
            return Err(KubectlError::msg(
                "resource(s) were provided, but no name was specified",
            ));
        };
        let ns = ctx.ns_for(info);
        let mut scale = env.store.get_scale(info, ns, &name)?;
        if let Some(cur) = p.int("current-replicas").filter(|c| *c >= 0) {
            let have = scale.spec.as_ref().and_then(|s| s.replicas).unwrap_or(0);
            if i64::from(have) != cur {
                return Err(KubectlError::msg(format!(
                    "Expected replicas to be {cur}, was {have}"
                )));
            }
        }
        scale.spec.get_or_insert_with(Default::default).replicas =
            Some(i32::try_from(replicas).unwrap_or(i32::MAX));
        if dry != DryRun::Client {
            env.store.update_scale(
                info,
                ns,
                &name,
                &scale,
                &UpdateOptions {
                    dry_run: dry == DryRun::Server,
                },
            )?;
        }
        out.out(format!(
            "{}/{name} scaled{}",
            info.qualified_kind_lower(),
            dry.suffix()
        ));
    }
    Ok(())
}
