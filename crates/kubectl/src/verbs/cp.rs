//! `kubectl cp`: staging/src/k8s.io/kubectl/pkg/cmd/cp/cp.go (v1.34), files only (kubectl
//! streams a tar through exec; here the bytes go straight into the container's file system).

use super::Ctx;
use super::exec::{container_running, default_container};
use crate::errors::KubectlError;
use crate::{Env, Outcome};

/// `[namespace/]pod:path`, or a local path.
fn remote(spec: &str, default_ns: &str) -> Option<(String, String, String)> {
    let (head, path) = spec.split_once(':')?;
    if head.is_empty() || head.contains('\\') {
        return None;
    }
    let (ns, pod) = match head.split_once('/') {
        Some((n, p)) => (n.to_string(), p.to_string()),
        None => (default_ns.to_string(), head.to_string()),
    };
    Some((ns, pod, path.to_string()))
}

/// Runs `kubectl cp`.
///
/// # Errors
/// Usage errors, the store's errors, cp's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let [src, dst] = p.args.as_slice() else {
        return Err(ctx.usage("source and destination are required"));
    };
    let pods = crate::resources::resolve_type("pods")?;
    match (remote(src, &ctx.namespace), remote(dst, &ctx.namespace)) {
        (None, Some((ns, pod_name, path))) => {
            let text = env
                .files
                .read(src)
                .map_err(|_| KubectlError::msg(format!("{src} doesn't exist in local filesystem")))?;
            let obj = env.store.get(pods, Some(&ns), &pod_name)?;
            let api::Object::Pod(pod) = &*obj else { return Ok(()) };
            let c = default_container(pod, p.string("container"), false, out)?;
            if !container_running(pod, &c)
                || !env.pods.write_file(&ns, &pod_name, &c, &path, &text)
            {
                return Err(KubectlError::msg(format!(
                    "unable to upgrade connection: container not found (\"{c}\")"
                )));
            }
            Ok(())
        }
        (Some((ns, pod_name, path)), None) => {
            let obj = env.store.get(pods, Some(&ns), &pod_name)?;
            let api::Object::Pod(pod) = &*obj else { return Ok(()) };
            let c = default_container(pod, p.string("container"), false, out)?;
            if path.starts_with('/') {
                out.err("tar: removing leading '/' from member names");
            }
            match env.pods.read_file(&ns, &pod_name, &c, &path) {
                Some(text) => {
                    out.write_files.push((dst.clone(), text));
                    Ok(())
                }
                None => {
                    out.err(format!(
                        "tar: {}: No such file or directory",
                        path.trim_start_matches('/')
                    ));
                    out.err("tar: Exiting with failure status due to previous errors");
                    out.exit_code = 1;
                    Ok(())
                }
            }
        }
        (Some(_), Some(_)) => Err(KubectlError::msg(
            "one of src or dest must be a local file specification",
        )),
        (None, None) => Err(KubectlError::msg(
            "one of src or dest must be a remote file specification",
        )),
    }
}
