//! The `minikube` commands the course notes use against the lab's one-node cluster (the
//! docker driver on Linux, minikube v1.36): `ip`, `service NAME [--url] [-n NS]`, `tunnel`,
//! `addons enable ingress`, `addons enable|disable metrics-server`, `addons list`, and
//! `node add|start|stop|delete|list` and `status` on the lab's nodes (`start`, `stop` and
//! `delete` of the whole profile are in minikube_profile.rs). Anything else says plainly it
//! is not simulated.

use api::Object;
use cluster::{Cluster, SimDuration};
use k8s_openapi::api::core::v1 as corev1;

use crate::minikube_reason::{exit_error, exit_message, ADDON_ENABLE, SVC_NOT_FOUND, USAGE};
use crate::session::{Output, OutputLine, Stream};

/// How long `addons enable ingress` waits for the controller, as minikube's verify step does.
const VERIFY_LIMIT: SimDuration = SimDuration::from_secs(360);

pub(crate) fn line(out: &mut Output, stream: Stream, text: impl Into<String>) {
    out.lines.push(OutputLine {
        stream,
        text: text.into(),
    });
}

fn control_plane_ip(cluster: &Cluster) -> String {
    let primary = cluster.minikube_profile_of_nodes().name;
    cluster
        .node_ips()
        .into_iter()
        .find(|(n, _)| *n == primary)
        .or_else(|| cluster.node_ips().into_iter().next())
        .map(|(_, ip)| ip)
        .unwrap_or_default()
}

/// Runs `minikube <args>`.
pub fn run(cluster: &mut Cluster, args: &[&str]) -> Output {
    let mut out = Output::default();
    match args {
        ["ip"] => line(&mut out, Stream::Stdout, control_plane_ip(cluster)),
        ["service", rest @ ..] => service(cluster, rest, &mut out),
        ["tunnel", ..] => tunnel(cluster, &mut out),
        ["addons", "enable", "ingress"] => enable_ingress(cluster, &mut out),
        ["addons", "enable", "metrics-server"] => enable_metrics_server(cluster, &mut out),
        ["addons", "disable", "metrics-server"] => {
            // minikube's addons/enable.go: the manifests are deleted, then this line.
            cluster.disable_metrics_server_addon();
            line(&mut out, Stream::Stdout, "🌑  The 'metrics-server' addon is disabled");
        }
        ["addons", "list"] => addons_list(cluster, &mut out),
        ["node", rest @ ..] => crate::minikube_node::run(cluster, rest, &mut out),
        ["status"] => crate::minikube_node::status(cluster, &mut out),
        _ => line(
            &mut out,
            Stream::Stderr,
            format!(
                "minikube {}: not available in this lab: the cluster is simulated (available: ip, service, tunnel, addons enable ingress|metrics-server, addons disable metrics-server, addons list, node add|start|stop|delete|list, status, start, stop, delete)",
                args.join(" ")
            ),
        ),
    }
    // A reason sets minikube's code for it (minikube_reason); the lab's own refusal is 1.
    if out.status == 0 && out.lines.iter().any(|l| l.stream == Stream::Stderr) {
        out.status = 1;
    }
    out
}

fn service(cluster: &mut Cluster, args: &[&str], out: &mut Output) {
    let mut ns = "default".to_string();
    let mut url = false;
    let mut name = None;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--url" => url = true,
            "-n" | "--namespace" => {
                i += 1;
                if let Some(n) = args.get(i) {
                    ns = n.to_string();
                }
            }
            a if a.starts_with("--namespace=") => ns = a["--namespace=".len()..].to_string(),
            a if !a.starts_with('-') => name = Some(a.to_string()),
            _ => {}
        }
        i += 1;
    }
    let Some(name) = name else {
        // service.go (v1.36.0): exit.Message(reason.Usage, …).
        exit_message(out, &USAGE, "You must specify service name(s) or --all");
        return;
    };
    let svc = match cluster
        .store()
        .get(api::resolve_resource("services").expect("services kind"), Some(&ns), &name)
        .as_deref()
    {
        Ok(Object::Service(s)) => s.clone(),
        _ => {
            exit_message(
                out,
                &SVC_NOT_FOUND,
                &format!("Service '{name}' was not found in '{ns}' namespace.\nYou may select another namespace by using 'minikube service {name} -n <namespace>'. Or list out all the services using 'minikube service list'"),
            );
            return;
        }
    };
    let ip = control_plane_ip(cluster);
    let ports: Vec<corev1::ServicePort> = svc
        .spec
        .iter()
        .flat_map(|s| s.ports.iter().flatten())
        .filter(|p| p.node_port.is_some())
        .cloned()
        .collect();
    if ports.is_empty() {
        line(out, Stream::Stdout, format!("😿  service {ns}/{name} has no node port"));
        return;
    }
    let urls: Vec<String> = ports
        .iter()
        .map(|p| format!("http://{ip}:{}", p.node_port.unwrap_or(0)))
        .collect();
    if url {
        for u in urls {
            line(out, Stream::Stdout, u);
        }
        return;
    }
    let target = ports
        .iter()
        .map(|p| match &p.target_port {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => n.to_string(),
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s.clone(),
            None => p.port.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let cols = [
        ("NAMESPACE", ns.clone(), false),
        ("NAME", name.clone(), false),
        ("TARGET PORT", target, true),
        ("URL", urls.join(" "), false),
    ];
    let widths: Vec<usize> = cols
        .iter()
        .map(|(h, v, _)| h.chars().count().max(v.chars().count()) + 2)
        .collect();
    let rule: String = format!(
        "|{}|",
        widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("|")
    );
    let centered = |text: &str, w: usize| {
        let pad = w - text.chars().count();
        format!("{}{}{}", " ".repeat(pad / 2), text, " ".repeat(pad - pad / 2))
    };
    let header = format!(
        "|{}|",
        cols.iter()
            .zip(&widths)
            .map(|((h, _, _), w)| centered(h, *w))
            .collect::<Vec<_>>()
            .join("|")
    );
    let row = format!(
        "|{}|",
        cols.iter()
            .zip(&widths)
            .map(|((_, v, right), w)| if *right {
                format!("{v:>width$} ", width = w - 1)
            } else {
                format!(" {v:<width$}", width = w - 1)
            })
            .collect::<Vec<_>>()
            .join("|")
    );
    for l in [rule.clone(), header, rule.clone(), row, rule] {
        line(out, Stream::Stdout, l);
    }
    line(
        out,
        Stream::Stdout,
        format!("🎉  Opening service {ns}/{name} in default browser..."),
    );
}

fn tunnel(cluster: &mut Cluster, out: &mut Output) {
    cluster.set_tunnel(true);
    line(out, Stream::Stdout, "✅  Tunnel successfully started");
    line(out, Stream::Stdout, "");
    line(
        out,
        Stream::Stdout,
        "📌  NOTE: Please do not close this terminal as this process must stay alive for the tunnel to be accessible ...",
    );
    line(out, Stream::Stdout, "");
    let services = cluster.list(api::resolve_resource("services").expect("services kind"), None);
    for s in services {
        if let Object::Service(svc) = &*s
            && svc.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("LoadBalancer")
        {
            line(
                out,
                Stream::Stdout,
                format!(
                    "🏃  Starting tunnel for service {}.",
                    svc.metadata.name.as_deref().unwrap_or_default()
                ),
            );
        }
    }
}

fn enable_ingress(cluster: &mut Cluster, out: &mut Output) {
    line(
        out,
        Stream::Stdout,
        "💡  ingress is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.",
    );
    line(
        out,
        Stream::Stdout,
        "You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS",
    );
    for image in cluster::network::ingress::ADDON_IMAGES {
        line(out, Stream::Stdout, format!("    ▪ Using image {image}"));
    }
    line(out, Stream::Stdout, "🔎  Verifying ingress addon...");
    if cluster.enable_ingress_addon(VERIFY_LIMIT) {
        line(out, Stream::Stdout, "🌟  The 'ingress' addon is enabled");
    } else {
        // cmd/config/enable.go: exit.Error(reason.InternalAddonEnable, "enable failed", err).
        exit_error(
            out,
            &ADDON_ENABLE,
            "enable failed",
            "run callbacks: running callbacks: [waiting for app.kubernetes.io/name=ingress-nginx pods: context deadline exceeded]",
            &["addons", "enable", "ingress"],
        );
    }
}

/// minikube's addon enable without a verify step: the Deployment starts in the background.
fn enable_metrics_server(cluster: &mut Cluster, out: &mut Output) {
    line(
        out,
        Stream::Stdout,
        "💡  metrics-server is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.",
    );
    line(
        out,
        Stream::Stdout,
        "You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS",
    );
    line(
        out,
        Stream::Stdout,
        format!(
            "    ▪ Using image {}",
            cluster::controller::hpa::metrics_server::ADDON_IMAGE
        ),
    );
    cluster.enable_metrics_server_addon();
    line(out, Stream::Stdout, "🌟  The 'metrics-server' addon is enabled");
}

fn addons_list(cluster: &Cluster, out: &mut Output) {
    let ingress = !cluster::network::ingress::controller_nodes(cluster.store()).is_empty()
        || cluster
            .store()
            .get(api::resolve_resource("namespaces").expect("namespaces kind"), None, "ingress-nginx")
            .is_ok();
    let rows = [
        ("default-storageclass", true, "Kubernetes"),
        ("ingress", ingress, "Kubernetes"),
        (
            "metrics-server",
            cluster::controller::hpa::metrics_server::addon_enabled(cluster.store()),
            "Kubernetes",
        ),
        ("storage-provisioner", true, "minikube"),
    ];
    // The PROFILE column is as wide as the profile's name (at least its header).
    let profile = cluster.minikube_profile_of_nodes().name;
    let width = profile.chars().count().max("PROFILE".len());
    let gap = width - "PROFILE".len();
    let header = format!("{}PROFILE{}", " ".repeat(gap / 2), " ".repeat(gap - gap / 2));
    let rule = format!("|-----------------------|{}|--------------|--------------------------------|", "-".repeat(width + 2));
    line(out, Stream::Stdout, rule.clone());
    line(out, Stream::Stdout, format!("|      ADDON NAME       | {header} |    STATUS    |           MAINTAINER           |"));
    line(out, Stream::Stdout, rule.clone());
    for (name, on, who) in rows {
        let status = if on { "enabled ✅" } else { "disabled" };
        line(
            out,
            Stream::Stdout,
            format!("| {name:<21} | {profile:<width$} | {status:<12} | {who:<30} |"),
        );
    }
    line(out, Stream::Stdout, rule);
}
