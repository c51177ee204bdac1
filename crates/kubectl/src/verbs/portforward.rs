//! `kubectl port-forward`: staging/src/k8s.io/kubectl/pkg/cmd/portforward/portforward.go
//! (v1.34). A Service's port is translated to its target port on the chosen pod, as
//! `translateServicePortToTargetPort` does; the forward then lives on the learner's machine
//! (cluster::network) until interrupted.

use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::Ctx;
use super::exec::{attachable_pod, phase};
use crate::errors::KubectlError;
use crate::{Env, Outcome};

const USAGE: &str = "TYPE/NAME and list of ports are required for port-forward";

/// A named or numbered container port of the pod.
fn container_port(pod: &corev1::Pod, port: &IntOrString) -> Option<u16> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).ok(),
        IntOrString::String(name) => pod
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .flat_map(|c| c.ports.iter().flatten())
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .and_then(|p| u16::try_from(p.container_port).ok()),
    }
}

/// Runs `kubectl port-forward`.
///
/// # Errors
/// Usage errors, the store's errors, kubectl's forwarding errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let [target, specs @ ..] = p.args.as_slice() else {
        return Err(ctx.usage(USAGE));
    };
    if specs.is_empty() {
        return Err(ctx.usage(USAGE));
    }
    let service = match target.split_once('/') {
        Some((k, n)) if crate::resources::resolve_type(k).is_ok_and(|i| i.kind == "Service") => {
            match env.store.get(
                crate::resources::resolve_type(k)?,
                Some(&ctx.namespace),
                n,
            )?
            .as_ref()
            {
                api::Object::Service(s) => Some(s.clone()),
                _ => None,
            }
        }
        _ => None,
    };
    let (pod, _) = attachable_pod(ctx, env, target)?;
    let mut ports = Vec::new();
    for spec in specs {
        let (local, remote) = match spec.split_once(':') {
            Some((l, r)) => (l.to_string(), r.to_string()),
            None => (spec.clone(), spec.clone()),
        };
        let bad = || KubectlError::msg(format!("Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax"));
        let local: u16 = if local.is_empty() { 0 } else { local.parse().map_err(|_| bad())? };
        let remote_port = match &service {
            Some(svc) => {
                let sp = svc
                    .spec
                    .iter()
                    .flat_map(|s| s.ports.iter().flatten())
                    .find(|sp| sp.port.to_string() == remote || sp.name.as_deref() == Some(remote.as_str()))
                    .cloned()
                    .ok_or_else(|| {
                        KubectlError::msg(format!(
                            "Service {} does not have a service port {remote}",
                            svc.metadata.name.as_deref().unwrap_or_default()
                        ))
                    })?;
                let target = sp.target_port.clone().unwrap_or(IntOrString::Int(sp.port));
                container_port(&pod, &target).unwrap_or(0)
            }
            None => match remote.parse::<u16>() {
                Ok(n) => n,
                Err(_) => container_port(&pod, &IntOrString::String(remote.clone())).ok_or_else(|| {
                    KubectlError::msg(format!(
                        "Pod '{}' does not have a named port '{remote}'",
                        pod.metadata.name.as_deref().unwrap_or_default()
                    ))
                })?,
            },
        };
        let local = if local == 0 { remote_port } else { local };
        ports.push((local, remote_port));
    }
    let phase = phase(&pod);
    if phase != "Running" {
        return Err(KubectlError::msg(format!(
            "unable to forward port because pod is not running. Current status={phase}"
        )));
    }
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let mut failed = Vec::new();
    for (local, remote) in &ports {
        if env.pods.port_forward(&ns, &name, *local, *remote) {
            out.out(format!("Forwarding from 127.0.0.1:{local} -> {remote}"));
            out.out(format!("Forwarding from [::1]:{local} -> {remote}"));
        } else {
            out.err(format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]"
            ));
            failed.push(format!("{{{local} {remote}}}"));
        }
    }
    if failed.len() == ports.len() {
        return Err(KubectlError::msg(format!(
            "unable to listen on any of the requested ports: [{}]",
            failed.join(" ")
        )));
    }
    Ok(())
}
