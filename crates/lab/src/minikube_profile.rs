//! `minikube start`, `minikube stop` and `minikube delete` on the lab's profile (minikube
//! v1.36; cmd/minikube/cmd/start.go, start_flags.go, stop.go, delete.go and the `out.Step`
//! lines of pkg/minikube/node/start.go): stopping powers every node off (the API server
//! then refuses kubectl) and freezes the cluster until `minikube start` restarts it;
//! deleting removes the cluster and its kubeconfig context (kubectl then has no server);
//! starting after a delete creates a fresh cluster: the lab's preset, or the machines the
//! flags ask for (`--nodes`, `--cpus`, `--memory`, `--driver` (minikube_driver.rs), `-p NAME`).
//! The lab runs one cluster at a time: a second profile is refused, never pretended.

use cluster::presets::MinikubeProfile;
use kubectl::ContextEntry;

use crate::minikube::line;
use crate::minikube_driver::{Driver, MachineKind};
use crate::minikube_flags::{self, StartFlags, DEFAULT_PROFILE, EX_PROGRAM_USAGE};
use crate::minikube_reason::exit_message;
use crate::session::{Output, Session, Stream};

/// The minikube release whose words the lab prints, and its kic base image.
const MINIKUBE_VERSION: &str = "v1.36.0";
const BASE_IMAGE: &str = "v0.0.47";

/// The memory `minikube start` gives a machine without `--memory` (its suggestion on a 16 GB
/// host), in MB.
const DEFAULT_MEMORY_MB: u64 = 3900;
/// Kubernetes (kubeadm) does not start with less (start_flags.go `minUsableMem`).
const MIN_USABLE_MEMORY_MB: u64 = 1800;
/// The disk of a VM driver's machine (`--disk-size` default 20000mb).
const DISK_MB: u64 = 20000;

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

/// The machines of the lab's profile as `minikube start` created them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Machine {
    pub name: String,
    pub driver: Driver,
    pub cpus: u32,
    pub memory_mb: u64,
}

impl Default for Machine {
    fn default() -> Self {
        Machine {
            name: DEFAULT_PROFILE.to_string(),
            driver: Driver::Docker,
            cpus: 2,
            memory_mb: DEFAULT_MEMORY_MB,
        }
    }
}

/// `minikube …` on a profile that does not exist: every command but start and delete says
/// so (mustload.Partial; exit status ExGuestNotFound).
pub(crate) fn not_found(out: &mut Output, profile: &str) {
    line(
        out,
        Stream::Stdout,
        format!("🤷  Profile \"{profile}\" not found. Run \"minikube profile list\" to view all profiles."),
    );
    let start = if profile == DEFAULT_PROFILE {
        "minikube start".to_string()
    } else {
        format!("minikube start -p {profile}")
    };
    line(out, Stream::Stdout, format!("👉  To start a cluster, run: \"{start}\""));
    out.status = 85;
}

impl Session {
    /// Runs `minikube …`: start, stop and delete of the profile here, the other commands in
    /// minikube.rs once the profile they name (`-p`, else `minikube`) is the lab's.
    pub(crate) fn minikube_command(&mut self, args: &[&str]) -> Output {
        let (target, rest) = minikube_flags::split_profile(args);
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let state = self.world().profile;
        let current = self.world().machine.name.clone();
        let exists = state != Profile::Deleted && current == target;
        let mut out = Output::default();
        match rest.first().copied() {
            Some("start") => self.minikube_start(&target, &rest[1..], &mut out),
            Some("stop") if exists => self.minikube_stop(&mut out),
            Some("delete") if exists => self.minikube_delete(&mut out),
            Some("delete") => {
                line(&mut out, Stream::Stdout, format!("🙄  \"{target}\" profile does not exist, trying anyways."));
                line(&mut out, Stream::Stdout, format!("💀  Removed all traces of the \"{target}\" cluster."));
            }
            Some("profile") if rest.get(1) == Some(&"list") => self.minikube_profile_list(&target, &mut out),
            _ if !exists => not_found(&mut out, &target),
            Some(command @ ("service" | "tunnel"))
                if rest.get(1) != Some(&"list") && !self.world().machine.driver.routes_to_host() =>
            {
                // service.go and tunnel.go: QEMU's builtin network has no route from the host.
                exit_message(
                    &mut out,
                    &crate::minikube_reason::UNIMPLEMENTED,
                    &format!("minikube {command} is not currently implemented with the builtin network on QEMU"),
                );
            }
            _ => return self.with_host(|cluster, _, _| crate::minikube::run(cluster, &rest)),
        }
        out
    }

    fn minikube_stop(&mut self, out: &mut Output) {
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

    fn minikube_delete(&mut self, out: &mut Output) {
        self.end_everything_on_the_cluster();
        let mut w = self.world();
        let machine = w.machine.clone();
        let profile = machine.name.as_str();
        let driver = machine.driver.name();
        line(out, Stream::Stdout, format!("🔥  Deleting \"{profile}\" in {driver} ..."));
        if machine.driver.kind() == MachineKind::Container {
            line(out, Stream::Stdout, format!("🔥  Deleting container \"{profile}\" ..."));
        }
        for (node, _) in w.cluster.node_ips() {
            line(
                out,
                Stream::Stdout,
                format!("🔥  Removing {}/.minikube/machines/{node} ...", crate::fs::HOME),
            );
        }
        line(out, Stream::Stdout, format!("💀  Removed all traces of the \"{profile}\" cluster."));
        // delete.go deleteContext: the profile's context, cluster and user leave the
        // kubeconfig, and with them the current context.
        w.config.contexts.remove(profile);
        if w.config.current_context == profile {
            w.config.current_context.clear();
        }
        w.config.cluster.clear();
        w.profile = Profile::Deleted;
    }

    /// `minikube profile list` (cmd/minikube/cmd/config/profile_list.go, a tablewriter
    /// table: headers centred, numbers right-aligned): the lab's one profile, or minikube's
    /// error when there is none.
    fn minikube_profile_list(&mut self, target: &str, out: &mut Output) {
        let w = self.world();
        if w.profile == Profile::Deleted {
            exit_message(out, &crate::minikube_reason::USAGE_NO_PROFILE, "No minikube profile was found.");
            return;
        }
        let m = &w.machine;
        let nodes = w.cluster.node_ips();
        let ip = nodes.first().map(|(_, ip)| ip.clone()).unwrap_or_default();
        let status = if w.profile == Profile::Running { "OK" } else { "Stopped" };
        let star = |on: bool| if on { "*" } else { "" }.to_string();
        let row = [
            m.name.clone(),
            m.driver.name().to_string(),
            "containerd".to_string(),
            ip,
            "8443".to_string(),
            cluster::presets::KUBELET_VERSION.to_string(),
            status.to_string(),
            nodes.len().to_string(),
            star(m.name == target),
            star(w.config.current_context == m.name),
        ];
        let heads = [
            "Profile", "VM Driver", "Runtime", "IP", "Port", "Version", "Status", "Nodes", "Active Profile",
            "Active Kubecontext",
        ];
        let widths: Vec<usize> = heads.iter().zip(&row).map(|(h, v)| h.chars().count().max(v.chars().count())).collect();
        let rule = format!("|{}|", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|"));
        let header = heads
            .iter()
            .zip(&widths)
            .map(|(h, w)| {
                let gap = w - h.chars().count();
                format!(" {}{h}{} ", " ".repeat(gap / 2), " ".repeat(gap - gap / 2))
            })
            .collect::<Vec<_>>()
            .join("|");
        let cells = row
            .iter()
            .zip(&widths)
            .map(|(v, w)| {
                if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) {
                    format!(" {v:>w$} ")
                } else {
                    format!(" {v:<w$} ")
                }
            })
            .collect::<Vec<_>>()
            .join("|");
        for text in [rule.clone(), format!("|{header}|"), rule.clone(), format!("|{cells}|"), rule] {
            line(out, Stream::Stdout, text);
        }
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

    fn minikube_start(&mut self, target: &str, args: &[&str], out: &mut Output) {
        let flags = match minikube_flags::start_flags(args) {
            Ok(flags) => flags,
            Err(e) => {
                for text in minikube_flags::flag_error("start", &e) {
                    line(out, Stream::Stderr, text);
                }
                out.status = EX_PROGRAM_USAGE;
                return;
            }
        };
        let state = self.world().profile;
        let current = self.world().machine.clone();
        if state != Profile::Deleted && current.name != target {
            line(
                out,
                Stream::Stderr,
                format!(
                    "minikube start -p {target}: the lab runs one cluster at a time and profile \"{}\" exists; run \"minikube delete{}\" first",
                    current.name,
                    if current.name == DEFAULT_PROFILE { String::new() } else { format!(" -p {}", current.name) },
                ),
            );
            out.status = 1;
            return;
        }
        let (machine, announced) = match self.requested_machine(target, &flags, state, &current, out) {
            Some(m) => m,
            None => return,
        };
        if state != Profile::Deleted {
            version_line(out);
            line(out, Stream::Stdout, format!("✨  Using the {} driver based on existing profile", machine.driver.name()));
            kubernetes_version_notice(&flags, out);
            existing_profile_warnings(&flags, &machine, out);
        } else {
            if !announced {
                driver_selected(&flags, machine.driver, out);
            }
            // The version is settled before the machine's configuration (start.go
            // provisionWithDriver), so its notice comes before the driver's notes.
            kubernetes_version_notice(&flags, out);
            if let Some((reason, message)) = low_memory(machine.memory_mb) {
                // Forced: generateNewConfigFromFlags → getMemorySize checks the size again.
                crate::minikube_reason::error(out, &reason, &message);
            }
            for (stream, text) in machine.driver.start_notes() {
                line(out, stream, text);
            }
            self.recreate_cluster(&machine, &flags);
        }
        self.start_machines(state, &machine, out);
    }

    /// The machines a start asks for: the existing profile's, or a new one from the flags
    /// (None after printing why not), and whether the version and driver lines were
    /// printed already (a reason about the flags comes after them).
    fn requested_machine(
        &self,
        target: &str,
        flags: &StartFlags,
        state: Profile,
        current: &Machine,
        out: &mut Output,
    ) -> Option<(Machine, bool)> {
        if state != Profile::Deleted {
            if let Some(new) = flags.driver.as_deref().filter(|d| *d != current.driver.name()) {
                // start.go validateSpecifiedDriver (exit.Advice, reason.GuestDrvMismatch),
                // which compares the names before any driver is looked up; displayText puts
                // the reason and its advice between blank lines.
                version_line(out);
                let (name, old) = (&current.name, current.driver.name());
                let p = if name == DEFAULT_PROFILE { String::new() } else { format!(" -p {name}") };
                line(out, Stream::Stdout, "");
                line(out, Stream::Stderr, format!("💢  Exiting due to GUEST_DRIVER_MISMATCH: The existing \"{name}\" cluster was created using the \"{old}\" driver, which is incompatible with requested \"{new}\" driver."));
                line(out, Stream::Stderr, format!("💡  Suggestion: Delete the existing '{name}' cluster using: 'minikube delete{p}', or start the existing '{name}' cluster using: 'minikube start{p} --driver={old}'"));
                line(out, Stream::Stdout, "");
                out.status = 81;
                return None;
            }
            return Some((current.clone(), false));
        }
        let nodes = flags.nodes.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
        let ssh_address = flags.ssh_ip_address.as_deref().is_some_and(|a| !a.is_empty());
        let driver = match flags.driver.as_deref().map(|name| Driver::parse(name, nodes, ssh_address)) {
            None => Driver::Docker,
            Some(Ok(d)) => d,
            Some(Err(refusal)) => {
                let (text, status) = refusal.message(cluster::presets::KUBELET_VERSION);
                if !refusal.is_minikubes() {
                    line(out, Stream::Stderr, text);
                    out.status = status;
                    return None;
                }
                version_line(out);
                if let Some(name) = refusal.selected() {
                    line(out, Stream::Stdout, format!("✨  Using the {name} driver based on user configuration"));
                }
                // exit.Message → out_reason.go displayText: the reason between blank lines.
                line(out, Stream::Stdout, "");
                line(out, Stream::Stderr, text);
                line(out, Stream::Stdout, "");
                out.status = status;
                return None;
            }
        };
        let cpus = match flags.cpus.as_deref() {
            None => 2,
            Some(text) => match text.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    line(out, Stream::Stderr, format!("Error: invalid argument \"{text}\" for \"--cpus\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax"));
                    out.status = EX_PROGRAM_USAGE;
                    return None;
                }
            },
        };
        // start.go validateFlags → validateChangedMemoryFlags (v1.36.0) checks `--memory`
        // once the driver is chosen and announced, through exitIfNotForced; with `--force`,
        // out.Error prints the reason alone and the start goes on.
        let mut announced = false;
        let memory_mb = match flags.memory.as_deref() {
            None => DEFAULT_MEMORY_MB,
            Some(text) => match minikube_flags::memory_mb(text) {
                Ok(mb) => mb,
                Err(e) => {
                    driver_selected(flags, driver, out);
                    let usage = crate::minikube_reason::USAGE;
                    let message = format!("Unable to parse memory '{text}': {e}");
                    if flags.force {
                        // Forced on, getMemorySize meets the same size and exits.
                        crate::minikube_reason::error(out, &usage, &message);
                        exit_message(out, &usage, &format!("Generate unable to parse memory '{text}': {e}"));
                    } else {
                        exit_message(out, &usage, &message);
                    }
                    return None;
                }
            },
        };
        if let Some((reason, message)) = low_memory(memory_mb) {
            // validateRequestedMemorySize.
            driver_selected(flags, driver, out);
            announced = true;
            if !flags.force {
                exit_message(out, &reason, &message);
                return None;
            }
            crate::minikube_reason::error(out, &reason, &message);
        }
        Some((Machine { name: target.to_string(), driver, cpus, memory_mb }, announced))
    }

    /// Starts (or creates) every machine of the profile, printing minikube's lines: the
    /// primary control-plane node, then each worker after a blank line (start.go
    /// startWithDriver), and points the kubeconfig at the cluster.
    fn start_machines(&mut self, state: Profile, machine: &Machine, out: &mut Output) {
        let profile = machine.name.as_str();
        let kic = machine.driver.kind() == MachineKind::Container;
        let mut w = self.world();
        let nodes: Vec<(String, String)> = w.cluster.node_ips();
        let runtime = nodes.first().map(|(n, _)| runtime_of(&w.cluster, n)).unwrap_or_default();
        for (i, (node, _)) in nodes.iter().enumerate() {
            // start.go: each worker's NO_PROXY names the nodes started before it.
            let no_proxy: Vec<&str> = nodes[..i].iter().map(|(_, ip)| ip.as_str()).collect();
            let no_proxy = no_proxy.join(",");
            let role = if i == 0 { "primary control-plane" } else { "worker" };
            if i > 0 {
                line(out, Stream::Stdout, "");
            }
            line(out, Stream::Stdout, format!("👍  Starting \"{node}\" {role} node in \"{profile}\" cluster"));
            if kic {
                line(out, Stream::Stdout, format!("🚜  Pulling base image {BASE_IMAGE} ..."));
            }
            let (driver, kind) = (machine.driver.name(), if kic { "container" } else { "VM" });
            let (cpus, memory) = (machine.cpus, machine.memory_mb);
            let step = match (state, w.cluster.node_running(node)) {
                (Profile::Deleted, _) if kic => format!("🔥  Creating {driver} {kind} (CPUs={cpus}, Memory={memory}MB) ..."),
                (Profile::Deleted, _) => format!("🔥  Creating {driver} {kind} (CPUs={cpus}, Memory={memory}MB, Disk={DISK_MB}MB) ..."),
                (_, Some(true)) => format!("🏃  Updating the running {driver} \"{node}\" {kind} ..."),
                _ => format!("🔄  Restarting existing {driver} {kind} for \"{node}\" ..."),
            };
            line(out, Stream::Stdout, step);
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
        w.config.contexts.entry(profile.to_string()).or_insert_with(|| ContextEntry {
            cluster: profile.to_string(),
            user: profile.to_string(),
            namespace: None,
        });
        w.config.current_context = profile.to_string();
        w.config.cluster = profile.to_string();
        if let Some((_, ip)) = nodes.first() {
            w.config.server = format!("https://{ip}:8443");
        }
        w.profile = Profile::Running;
        let namespace = w.config.namespace(None);
        line(
            out,
            Stream::Stdout,
            format!("🏄  Done! kubectl is now configured to use \"{profile}\" cluster and \"{namespace}\" namespace by default"),
        );
    }

    /// A fresh cluster, brought to the lab's present time (its objects date from when the
    /// lab began) and drawing its names from a new seed, as a new cluster has new names:
    /// the lab's preset for a plain `minikube start`, else the machines the flags ask for.
    fn recreate_cluster(&mut self, machine: &Machine, flags: &StartFlags) {
        let mut w = self.world();
        let now = w.cluster.now();
        w.generation += 1;
        let seed = w.seed ^ w.generation.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut fresh = if flags.shapes_machines() || machine.name != DEFAULT_PROFILE {
            let (subnet, first_host) = machine.driver.network();
            let nodes = flags.nodes.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
            let memory = if flags.memory.is_some() {
                format!("{}Mi", machine.memory_mb)
            } else {
                MinikubeProfile::default().memory
            };
            cluster::presets::minikube_profile(
                seed,
                &MinikubeProfile {
                    name: machine.name.clone(),
                    nodes,
                    cpus: machine.cpus,
                    memory,
                    subnet: subnet.to_string(),
                    first_host,
                },
            )
        } else {
            w.preset.build(seed)
        };
        fresh.advance(now - fresh.now());
        w.cluster = fresh;
        w.machine = machine.clone();
    }
}

/// The first line of every `minikube start` (start.go displayVersion), before any check.
/// start.go validateRequestedMemorySize: the reason a size below the usable minimum gives.
fn low_memory(memory_mb: u64) -> Option<(crate::minikube_reason::Reason, String)> {
    (memory_mb < MIN_USABLE_MEMORY_MB).then(|| {
        let reason = crate::minikube_reason::Reason {
            prefix: Some("⛔  "),
            ..crate::minikube_reason::Reason::plain("RSRC_INSUFFICIENT_REQ_MEMORY", 23)
        };
        let message = format!("Requested memory allocation {memory_mb}MiB is less than the usable minimum of {MIN_USABLE_MEMORY_MB}MB");
        (reason, message)
    })
}

/// The version line and how a new profile's driver was chosen (start.go runStart:
/// displayVersion, then selectDriver); the registry's name, also when an alias (`kvm`)
/// asked for it.
fn driver_selected(flags: &StartFlags, driver: Driver, out: &mut Output) {
    version_line(out);
    match &flags.driver {
        Some(_) => line(out, Stream::Stdout, format!("✨  Using the {} driver based on user configuration", driver.name())),
        None => line(out, Stream::Stdout, "✨  Automatically selected the docker driver. Other choices: qemu2, none, ssh"),
    }
}

fn version_line(out: &mut Output) {
    line(out, Stream::Stdout, format!("😄  minikube {MINIKUBE_VERSION} on Ubuntu 22.04"));
}

/// start_flags.go updateExistingConfigFromFlags: what a second start cannot change.
fn existing_profile_warnings(flags: &StartFlags, machine: &Machine, out: &mut Output) {
    if flags.nodes.is_some() {
        line(out, Stream::Stderr, "❗  You cannot change the number of nodes for an existing minikube cluster. Please use 'minikube node add' to add nodes to an existing cluster.");
    }
    let memory = flags.memory.as_deref().and_then(|m| minikube_flags::memory_mb(m).ok());
    if memory.is_some_and(|m| m != machine.memory_mb) {
        line(out, Stream::Stderr, "❗  You cannot change the memory size for an existing minikube cluster. Please first delete the cluster.");
    }
    let cpus = flags.cpus.as_deref().and_then(|c| c.parse::<u32>().ok());
    if cpus.is_some_and(|c| c != machine.cpus) {
        line(out, Stream::Stderr, "❗  You cannot change the CPUs for an existing minikube cluster. Please first delete the cluster.");
    }
}

/// The simulated cluster is Kubernetes v1.34 only: another `--kubernetes-version` is said
/// to be unavailable rather than pretended.
fn kubernetes_version_notice(flags: &StartFlags, out: &mut Output) {
    let Some(asked) = flags.kubernetes_version.as_deref() else {
        return;
    };
    let ours = cluster::presets::KUBELET_VERSION;
    let same = matches!(asked, "stable" | "latest") || asked.trim_start_matches('v') == ours.trim_start_matches('v');
    if !same {
        line(
            out,
            Stream::Stderr,
            format!("minikube start --kubernetes-version={asked}: not available in this lab: the simulated cluster runs Kubernetes {ours}"),
        );
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
            "minikube delete",
            "minikube start --nodes=3 -p demo --cpus=4",
            "kubectl create deployment api --image=nginx --replicas=3",
            "sleep 10",
        ] {
            live.run_command(line);
        }
        let out = live.run_command("kubectl get deploy -o name");
        assert_eq!(out.text(), "deployment.apps/api\n");
        let nodes = live.run_command("kubectl get nodes -o name");
        assert_eq!(nodes.text(), "node/demo\nnode/demo-m02\nnode/demo-m03\n");
        let link = LabLink::decode(&LabLink::of(&live, None, None, None).encode()).expect("link");
        let rebuilt = link.replay().expect("replay");
        assert_eq!(rebuilt.dump(), live.dump());
    }

    fn stderr(out: &crate::session::Output) -> Vec<String> {
        out.lines.iter().filter(|l| l.stream == crate::session::Stream::Stderr).map(|l| l.text.clone()).collect()
    }

    #[test]
    fn start_flags_shape_a_new_profile() {
        let mut s = Session::new();
        s.run_command("minikube delete");
        let out = s.run_command("minikube start --nodes=3 -p multinode-demo --cpus=4 --memory=2g");
        assert_eq!(out.status, 0, "{}", out.text());
        assert!(out.text().contains("🔥  Creating docker container (CPUs=4, Memory=2048MB) ...\n"));
        assert!(out.text().contains("\n\n👍  Starting \"multinode-demo-m03\" worker node in \"multinode-demo\" cluster\n"));
        assert_eq!(
            s.run_command("kubectl get nodes -o name").text(),
            "node/multinode-demo\nnode/multinode-demo-m02\nnode/multinode-demo-m03\n"
        );
        let capacity = "kubectl get node multinode-demo-m02 -o jsonpath={.status.capacity.cpu}/{.status.capacity.memory}";
        assert_eq!(s.run_command(capacity).text(), "4/2Gi\n");
        assert_eq!(s.run_command("kubectl config current-context").text(), "multinode-demo\n");
        assert_eq!(s.run_command("minikube ip -p multinode-demo").text(), "192.168.49.2\n");
        // Without -p minikube works on the profile named minikube, which does not exist.
        assert_eq!(s.run_command("minikube ip").status, 85);
        let added = s.run_command("minikube node add -p multinode-demo");
        assert!(added.text().contains("🏄  Successfully added m04 to multinode-demo!"), "{}", added.text());
        let gone = s.run_command("minikube delete -p multinode-demo");
        assert!(gone.text().ends_with("💀  Removed all traces of the \"multinode-demo\" cluster.\n"));
        assert_eq!(s.run_command("kubectl config get-contexts -o name").text(), "");
    }

    #[test]
    fn a_running_profile_keeps_its_machines() {
        let mut s = Session::new();
        let out = s.run_command("minikube start --nodes=3 --cpus=4 --memory=2048mb");
        assert_eq!(out.status, 0);
        assert_eq!(
            stderr(&out),
            [
                "❗  You cannot change the number of nodes for an existing minikube cluster. Please use 'minikube node add' to add nodes to an existing cluster.",
                "❗  You cannot change the memory size for an existing minikube cluster. Please first delete the cluster.",
                "❗  You cannot change the CPUs for an existing minikube cluster. Please first delete the cluster.",
            ]
        );
        assert_eq!(s.run_command("kubectl get nodes -o name").text(), "node/minikube\n");
        // The machine's own size is no change.
        let same = s.run_command("minikube start --cpus=2 --memory=3900");
        assert!(stderr(&same).is_empty(), "{:?}", stderr(&same));
        let mismatch = s.run_command("minikube start --driver=virtualbox");
        assert_eq!(mismatch.status, 81);
        assert!(stderr(&mismatch)[0].starts_with("💢  Exiting due to GUEST_DRIVER_MISMATCH: The existing \"minikube\" cluster was created using the \"docker\" driver"));
    }

    #[test]
    fn the_lab_runs_one_profile_at_a_time() {
        let mut s = Session::new();
        let out = s.run_command("minikube start -p demo --nodes=2");
        assert_eq!(out.status, 1);
        assert!(stderr(&out)[0].contains("the lab runs one cluster at a time"));
        assert_eq!(s.run_command("kubectl get nodes -o name").text(), "node/minikube\n");
        let bad = s.run_command("minikube start --foo");
        assert_eq!((bad.status, stderr(&bad)[0].as_str()), (14, "Error: unknown flag: --foo"));
        s.run_command("minikube delete");
        let small = s.run_command("minikube start --memory=1g");
        assert_eq!(small.status, 23);
        assert_eq!(s.run_command("minikube status").status, 85, "no cluster was made");
        let vbox = s.run_command("minikube start --driver=virtualbox --nodes=2");
        assert!(vbox.text().contains("🔥  Creating virtualbox VM (CPUs=2, Memory=3900MB, Disk=20000MB) ...\n"));
        assert_eq!(s.run_command("minikube ip").text(), "192.168.99.100\n");
        assert_eq!(s.run_command("minikube node list").text(), "minikube\t192.168.99.100\nminikube-m02\t192.168.99.101\n");
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
