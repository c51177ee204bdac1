//! `minikube start`, `minikube stop` and `minikube delete` on the lab's profile (minikube
//! v1.36, docker driver; cmd/minikube/cmd/start.go, stop.go, delete.go and the `out.Step`
//! lines of pkg/minikube/node/start.go): stopping powers every node off (the API server
//! then refuses kubectl) and freezes the cluster until `minikube start` restarts it;
//! deleting removes the cluster and its kubeconfig context (kubectl then has no server);
//! starting after a delete creates a fresh cluster of the lab's preset.

use kubectl::ContextEntry;

use crate::minikube::line;
use crate::session::{Output, Session, Stream};

/// The profile the lab's cluster plays.
const PROFILE: &str = "minikube";

/// The minikube release whose words the lab prints, and its kic base image.
const MINIKUBE_VERSION: &str = "v1.36.0";
const BASE_IMAGE: &str = "v0.0.47";

/// The machine the profile was created with (`--cpus`, `--memory` defaults on a 16 GB host).
const CPUS: u32 = 2;
const MEMORY_MB: u32 = 3900;

/// Where the profile's cluster stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Profile {
    #[default]
    Running,
    /// `minikube stop`: every node is powered off; the cluster's clock stands still.
    Stopped,
    /// `minikube delete`: no cluster and no kubeconfig entries.
    Deleted,
}

/// `minikube …` when the profile was deleted: every command but start and delete says so
/// (mustload.Partial; exit status ExGuestNotFound).
pub(crate) fn not_found(out: &mut Output) {
    line(
        out,
        Stream::Stdout,
        format!("🤷  Profile \"{PROFILE}\" not found. Run \"minikube profile list\" to view all profiles."),
    );
    line(out, Stream::Stdout, "👉  To start a cluster, run: \"minikube start\"");
    out.status = 85;
}

impl Session {
    /// Runs `minikube start|stop|delete` (None for other subcommands), and says the profile
    /// is gone for any other subcommand after a delete.
    pub(crate) fn minikube_profile(&mut self, args: &[&str]) -> Option<Output> {
        let state = self.world().profile;
        let mut out = Output::default();
        match args.first().copied() {
            Some("start") => self.minikube_start(state, &mut out),
            Some("stop") => self.minikube_stop(state, &mut out),
            Some("delete") => self.minikube_delete(state, &mut out),
            _ if state == Profile::Deleted => not_found(&mut out),
            _ => return None,
        }
        Some(out)
    }

    fn minikube_stop(&mut self, state: Profile, out: &mut Output) {
        if state == Profile::Deleted {
            return not_found(out);
        }
        let mut w = self.world();
        let nodes: Vec<String> = w.cluster.node_ips().into_iter().map(|(n, _)| n).collect();
        for node in &nodes {
            line(out, Stream::Stdout, format!("✋  Stopping node \"{node}\"  ..."));
            if w.cluster.node_running(node) == Some(true) {
                line(out, Stream::Stdout, format!("🛑  Powering off \"{node}\" via SSH ..."));
                w.cluster.stop_node(node);
            }
        }
        let plural = if nodes.len() == 1 { "" } else { "s" };
        line(out, Stream::Stdout, format!("🛑  {} node{plural} stopped.", nodes.len()));
        w.profile = Profile::Stopped;
    }

    fn minikube_delete(&mut self, state: Profile, out: &mut Output) {
        if state == Profile::Deleted {
            line(out, Stream::Stdout, format!("🙄  \"{PROFILE}\" profile does not exist, trying anyways."));
            line(out, Stream::Stdout, format!("💀  Removed all traces of the \"{PROFILE}\" cluster."));
            return;
        }
        self.end_everything_on_the_cluster();
        let mut w = self.world();
        line(out, Stream::Stdout, format!("🔥  Deleting \"{PROFILE}\" in docker ..."));
        line(out, Stream::Stdout, format!("🔥  Deleting container \"{PROFILE}\" ..."));
        for (node, _) in w.cluster.node_ips() {
            line(
                out,
                Stream::Stdout,
                format!("🔥  Removing {}/.minikube/machines/{node} ...", crate::fs::HOME),
            );
        }
        line(out, Stream::Stdout, format!("💀  Removed all traces of the \"{PROFILE}\" cluster."));
        // delete.go deleteContext: the profile's context, cluster and user leave the
        // kubeconfig, and with them the current context.
        w.config.contexts.remove(PROFILE);
        if w.config.current_context == PROFILE {
            w.config.current_context.clear();
        }
        w.config.cluster.clear();
        w.profile = Profile::Deleted;
    }

    /// What ran against the cluster ends with it: watches, waits, followed logs, a
    /// container shell, the background jobs (their kubectl loses its server).
    fn end_everything_on_the_cluster(&mut self) {
        self.stop_watch();
        let mut w = self.world();
        let w = &mut *w;
        w.jobs.lose_server(&mut w.cluster, &mut w.host);
        w.host.shell = None;
        w.host.follow = None;
        w.host.proxy = None;
    }

    fn minikube_start(&mut self, state: Profile, out: &mut Output) {
        line(out, Stream::Stdout, format!("😄  minikube {MINIKUBE_VERSION} on Ubuntu 22.04"));
        if state == Profile::Deleted {
            line(out, Stream::Stdout, "✨  Automatically selected the docker driver. Other choices: qemu2, none, ssh");
            line(out, Stream::Stdout, "📌  Using Docker driver with root privileges");
            self.recreate_cluster();
        } else {
            line(out, Stream::Stdout, "✨  Using the docker driver based on existing profile");
        }
        let mut w = self.world();
        let nodes: Vec<(String, String)> = w.cluster.node_ips();
        let runtime = nodes.first().map(|(n, _)| runtime_of(&w.cluster, n)).unwrap_or_default();
        for (i, (node, _)) in nodes.iter().enumerate() {
            // start.go: each worker's NO_PROXY names the nodes started before it.
            let no_proxy: Vec<&str> = nodes[..i].iter().map(|(_, ip)| ip.as_str()).collect();
            let no_proxy = no_proxy.join(",");
            let role = if i == 0 { "primary control-plane" } else { "worker" };
            line(out, Stream::Stdout, format!("👍  Starting \"{node}\" {role} node in \"{PROFILE}\" cluster"));
            line(out, Stream::Stdout, format!("🚜  Pulling base image {BASE_IMAGE} ..."));
            let machine = match (state, w.cluster.node_running(node)) {
                (Profile::Deleted, _) => format!("🔥  Creating docker container (CPUs={CPUS}, Memory={MEMORY_MB}MB) ..."),
                (_, Some(true)) => format!("🏃  Updating the running docker \"{node}\" container ..."),
                _ => format!("🔄  Restarting existing docker container for \"{node}\" ..."),
            };
            line(out, Stream::Stdout, machine);
            if i > 0 {
                line(out, Stream::Stdout, "🌐  Found network options:");
                line(out, Stream::Stdout, format!("    ▪ NO_PROXY={no_proxy}"));
            }
            line(out, Stream::Stdout, format!("📦  Preparing Kubernetes {} on {runtime} ...", cluster::presets::KUBELET_VERSION));
            if i > 0 {
                line(out, Stream::Stdout, format!("    ▪ env NO_PROXY={no_proxy}"));
            } else if state == Profile::Deleted {
                line(out, Stream::Stdout, "    ▪ Generating certificates and keys ...");
                line(out, Stream::Stdout, "    ▪ Booting up control plane ...");
                line(out, Stream::Stdout, "    ▪ Configuring RBAC rules ...");
                line(out, Stream::Stdout, "🔗  Configuring CNI (Container Networking Interface) ...");
            }
            line(out, Stream::Stdout, "🔎  Verifying Kubernetes components...");
            if i == 0 {
                line(out, Stream::Stdout, "    ▪ Using image gcr.io/k8s-minikube/storage-provisioner:v5");
                line(out, Stream::Stdout, "🌟  Enabled addons: storage-provisioner, default-storageclass");
            }
            if w.cluster.node_running(node) != Some(true) {
                w.cluster.start_node(node);
            }
        }
        // The profile's context comes back and becomes the current one (kubeconfig.Update).
        w.config.contexts.entry(PROFILE.to_string()).or_insert_with(|| ContextEntry {
            cluster: PROFILE.to_string(),
            user: PROFILE.to_string(),
            namespace: None,
        });
        w.config.current_context = PROFILE.to_string();
        w.config.cluster = PROFILE.to_string();
        w.profile = Profile::Running;
        let namespace = w.config.namespace(None);
        line(
            out,
            Stream::Stdout,
            format!("🏄  Done! kubectl is now configured to use \"{PROFILE}\" cluster and \"{namespace}\" namespace by default"),
        );
    }

    /// A fresh cluster of the lab's preset, brought to the lab's present time (its objects
    /// date from when the lab began) and drawing its names from a new seed, as a new
    /// cluster has new names.
    fn recreate_cluster(&mut self) {
        let mut w = self.world();
        let now = w.cluster.now();
        w.generation += 1;
        let seed = w.seed ^ w.generation.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut fresh = w.preset.build(seed);
        fresh.advance(now - fresh.now());
        w.cluster = fresh;
    }
}

/// `containerd 1.7.27`: the nodes' container runtime as minikube names it.
fn runtime_of(cluster: &cluster::Cluster, node: &str) -> String {
    let Some(info) = api::resolve_resource("nodes") else {
        return String::new();
    };
    let version = cluster
        .store()
        .get(info, None, node)
        .ok()
        .and_then(|o| match &*o {
            api::Object::Node(n) => n.status.as_ref()?.node_info.as_ref().map(|i| i.container_runtime_version.clone()),
            _ => None,
        })
        .unwrap_or_default();
    match version.split_once("://") {
        Some((name, v)) => format!("{name} {v}"),
        None => version,
    }
}

#[cfg(test)]
mod tests {
    use crate::{LabLink, Session};

    #[test]
    fn a_stopped_cluster_stands_still_until_minikube_start() {
        let mut s = Session::new();
        s.run_command("minikube stop");
        let stopped_at = s.now_ms();
        s.run_command("sleep 30");
        s.advance(5_000);
        assert_eq!(s.now_ms(), stopped_at);
        assert_eq!(s.run_command("kubectl get ns default -o name").status, 1);
        assert_eq!(s.run_command("kubectl config current-context").text(), "minikube\n");
        s.run_command("minikube start");
        assert_eq!(s.run_command("kubectl get ns default -o name").text(), "namespace/default\n");
    }

    #[test]
    fn delete_and_start_replay_from_a_link_to_the_same_cluster() {
        let mut live = Session::new();
        for line in [
            "kubectl create deployment web --image=nginx",
            "sleep 10",
            "kubectl get pods -w &",
            "minikube delete",
            "jobs",
            "minikube start",
            "kubectl create deployment api --image=nginx",
            "sleep 10",
        ] {
            live.run_command(line);
        }
        let out = live.run_command("kubectl get deploy -o name");
        assert_eq!(out.text(), "deployment.apps/api\n");
        let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).expect("link");
        let rebuilt = link.replay().expect("replay");
        assert_eq!(rebuilt.dump(), live.dump());
    }

    #[test]
    fn the_cluster_view_is_empty_while_the_profile_is_deleted() {
        let mut s = Session::new();
        s.run_command("kubectl create deployment web --image=nginx");
        s.run_command("sleep 10");
        assert!(!s.snapshot().deleted);
        assert_eq!(s.snapshot().pods().count(), 1);
        s.run_command("minikube delete");
        let gone = s.snapshot();
        assert!(gone.deleted);
        assert!(gone.nodes.is_empty() && gone.workloads.is_empty() && gone.events.is_empty());
        assert_eq!(gone.now_ms, s.now_ms());
        s.run_command("minikube start");
        let fresh = s.snapshot();
        assert!(!fresh.deleted);
        assert_eq!(fresh.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["minikube"]);
        assert_eq!(fresh.pods().count(), 0, "a new cluster has none of the old pods");
    }
}
