//! The drivers `minikube start --driver=NAME` knows, as minikube v1.36.0 on the lab's host
//! (Ubuntu 22.04, linux/amd64) sees them: pkg/minikube/driver/driver_linux.go lists the
//! drivers built for Linux, pkg/minikube/registry/drvs/*/ registers them (hyperkit,
//! parallels and vfkit are built for darwin only, hyperv for windows only), and
//! cmd/minikube/cmd/start.go selectDriver and validateBareMetal refuse the rest.
//!
//! The lab simulates the machines of the container drivers (docker, podman) and of the VM
//! drivers (virtualbox, kvm2, qemu2, vmware). It does not pretend the others: `none` runs
//! Kubernetes on the host itself, which the lab's host is not set up for, and `ssh`
//! provisions a machine that already exists at `--ssh-ip-address`, which the lab has not
//! (without the flag minikube itself refuses first, as cmd/minikube/cmd/start.go
//! validateFlags does before pkg/minikube/registry/drvs/ssh/ssh.go `configure` would).
//!
//! Every refusal is minikube's `exit.Message` (pkg/minikube/out/out_reason.go
//! `displayText`): a blank line, the reason on standard error, a blank line.

use crate::session::Stream;

/// A driver whose machines the lab simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Driver {
    Docker,
    Podman,
    VirtualBox,
    Kvm2,
    Qemu2,
    Vmware,
}

/// Why `--driver=NAME` starts nothing here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No driver of that name is built for linux/amd64 (another OS's, or none at all):
    /// start.go selectDriver exits with DRV_UNSUPPORTED_OS.
    UnsupportedOs(String),
    /// `none` with more than one node: start.go validateBareMetal.
    NoneMultiNode,
    /// `none` on the lab's host, which has no conntrack (Kubernetes ≥ 1.18 needs it in
    /// root's path): start.go validateBareMetal exits with GUEST_MISSING_CONNTRACK.
    NoneWithoutConntrack,
    /// `ssh` without `--ssh-ip-address`: start.go validateFlags exits with MK_USAGE.
    SshWithoutAddress,
    /// `ssh` with an address: there is no machine there to provision (the lab's words).
    SshWithoutMachine,
}

/// How a driver's machines are made, which decides minikube's words for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineKind {
    /// A container of the kic base image (driver.IsKIC).
    Container,
    /// A virtual machine booted from minikube's ISO.
    Vm,
}

impl Driver {
    /// The driver `--driver=NAME` names (aliases as the registry knows them: `kvm`,
    /// `qemu`, `generic`), or why none runs; `nodes` is the `--nodes` asked for,
    /// `ssh_address` whether `--ssh-ip-address` gave one.
    ///
    /// # Errors
    /// The refusal minikube prints for the name on this host.
    pub fn parse(name: &str, nodes: usize, ssh_address: bool) -> Result<Driver, Refusal> {
        match name {
            "docker" => Ok(Driver::Docker),
            "podman" => Ok(Driver::Podman),
            "virtualbox" => Ok(Driver::VirtualBox),
            "kvm2" | "kvm" => Ok(Driver::Kvm2),
            "qemu2" | "qemu" => Ok(Driver::Qemu2),
            "vmware" => Ok(Driver::Vmware),
            "none" if nodes > 1 => Err(Refusal::NoneMultiNode),
            "none" => Err(Refusal::NoneWithoutConntrack),
            "ssh" | "generic" if !ssh_address => Err(Refusal::SshWithoutAddress),
            "ssh" | "generic" => Err(Refusal::SshWithoutMachine),
            other => Err(Refusal::UnsupportedOs(other.to_string())),
        }
    }

    /// The registry's name, as minikube prints it.
    pub fn name(self) -> &'static str {
        match self {
            Driver::Docker => "docker",
            Driver::Podman => "podman",
            Driver::VirtualBox => "virtualbox",
            Driver::Kvm2 => "kvm2",
            Driver::Qemu2 => "qemu2",
            Driver::Vmware => "vmware",
        }
    }

    /// driver.MachineType: a container or a VM.
    pub fn kind(self) -> MachineKind {
        match self {
            Driver::Docker | Driver::Podman => MachineKind::Container,
            _ => MachineKind::Vm,
        }
    }

    /// The network its machines join: the subnet's first three octets and the first
    /// node's host number, the next nodes taking the following ones.
    ///
    /// docker and podman: the kic network 192.168.49.0/24 from .2 (oci network_create.go).
    /// VirtualBox: the host-only network 192.168.99.0/24, DHCP from .100. kvm2: the
    /// libvirt network mk-minikube, 192.168.39.0/24 (its DHCP leases come in no fixed
    /// order; the lab hands them out from .2). qemu2 with its builtin (user-mode) network:
    /// every VM sees itself at 10.0.2.15 and nodes cannot reach each other; the lab gives
    /// later nodes the following addresses so that its network can tell them apart.
    /// VMware: the NAT network vmnet8, whose subnet each installation picks; the lab fixes
    /// 192.168.125.0/24 with DHCP from .128.
    pub fn network(self) -> (&'static str, u8) {
        match self {
            Driver::Docker | Driver::Podman => ("192.168.49.", 2),
            Driver::VirtualBox => ("192.168.99.", 100),
            Driver::Kvm2 => ("192.168.39.", 2),
            Driver::Qemu2 => ("10.0.2.", 15),
            Driver::Vmware => ("192.168.125.", 128),
        }
    }

    /// What `minikube start` says about a new machine of this driver once the driver is
    /// chosen (start_flags.go generateNewConfigFromFlags and getNetwork, then the boot
    /// image a VM needs), in order, each line with its stream.
    pub fn start_notes(self) -> Vec<(Stream, &'static str)> {
        match self {
            Driver::Docker => vec![(Stream::Stdout, "📌  Using Docker driver with root privileges")],
            Driver::Podman => vec![(Stream::Stdout, "📌  Using Podman driver with root privileges")],
            Driver::Qemu2 => vec![
                (Stream::Stdout, "🌐  Automatically selected the builtin network"),
                (Stream::Stderr, "❗  You are using the QEMU driver without a dedicated network, which doesn't support `minikube service` & `minikube tunnel` commands."),
                (Stream::Stdout, "💿  Downloading VM boot image ..."),
            ],
            Driver::VirtualBox | Driver::Kvm2 | Driver::Vmware => vec![(Stream::Stdout, "💿  Downloading VM boot image ...")],
        }
    }

    /// Whether `minikube service` and `minikube tunnel` work (cmd/minikube/cmd/service.go
    /// and tunnel.go refuse QEMU's builtin network).
    pub fn routes_to_host(self) -> bool {
        self != Driver::Qemu2
    }
}

impl Refusal {
    /// What minikube prints on standard error, and its exit status
    /// (pkg/minikube/reason/reason.go, exitcodes.go).
    pub fn message(&self, kubernetes_version: &str) -> (String, i32) {
        match self {
            Refusal::UnsupportedOs(name) => (
                format!("❌  Exiting due to DRV_UNSUPPORTED_OS: The driver '{name}' is not supported on linux/amd64"),
                56,
            ),
            Refusal::NoneMultiNode => (
                "❌  Exiting due to DRV_UNSUPPORTED_MULTINODE: The none driver is not compatible with multi-node clusters."
                    .to_string(),
                51,
            ),
            // The version as semver prints it, without the `v`.
            Refusal::NoneWithoutConntrack => (
                format!(
                    "❌  Exiting due to GUEST_MISSING_CONNTRACK: Sorry, Kubernetes {} requires conntrack to be installed in root's path",
                    kubernetes_version.trim_start_matches('v')
                ),
                86,
            ),
            // cmd/minikube/cmd/start.go validateFlags (v1.36.0), reason.Usage.
            Refusal::SshWithoutAddress => (
                "❌  Exiting due to MK_USAGE: No IP address provided. Try specifying --ssh-ip-address, or see https://minikube.sigs.k8s.io/docs/drivers/ssh/"
                    .to_string(),
                crate::minikube_flags::EX_PROGRAM_USAGE,
            ),
            Refusal::SshWithoutMachine => (
                "minikube start --driver=ssh: not available in this lab: the ssh driver installs Kubernetes on a machine you already run (--ssh-ip-address), and the lab simulates none; use --driver=docker or a VM driver (kvm2, qemu2, virtualbox)"
                    .to_string(),
                1,
            ),
        }
    }

    /// The driver minikube chose before refusing it (it then said `Using the …
    /// driver based on user configuration` first), by its registry name.
    pub fn selected(&self) -> Option<&'static str> {
        match self {
            Refusal::NoneMultiNode | Refusal::NoneWithoutConntrack => Some("none"),
            Refusal::SshWithoutAddress => Some("ssh"),
            Refusal::UnsupportedOs(_) | Refusal::SshWithoutMachine => None,
        }
    }

    /// Whether minikube printed it (through `exit.Message`), not the lab.
    pub fn is_minikubes(&self) -> bool {
        *self != Refusal::SshWithoutMachine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        driver: &'static str,
        nodes: usize,
        ssh_address: bool,
        want: Result<Driver, Refusal>,
    }

    fn check(case: &Case) {
        assert_eq!(Driver::parse(case.driver, case.nodes, case.ssh_address), case.want, "{}", case.name);
    }

    #[test]
    fn names_map_to_drivers_or_refusals_as_on_linux() {
        let cases = [
            Case { name: "docker", driver: "docker", nodes: 1, ssh_address: false, want: Ok(Driver::Docker) },
            Case { name: "podman", driver: "podman", nodes: 1, ssh_address: false, want: Ok(Driver::Podman) },
            Case { name: "kvm alias", driver: "kvm", nodes: 1, ssh_address: false, want: Ok(Driver::Kvm2) },
            Case { name: "qemu alias", driver: "qemu", nodes: 3, ssh_address: false, want: Ok(Driver::Qemu2) },
            Case { name: "vmware", driver: "vmware", nodes: 1, ssh_address: false, want: Ok(Driver::Vmware) },
            Case {
                name: "hyperv is built for windows only",
                driver: "hyperv",
                nodes: 1, ssh_address: false,
                want: Err(Refusal::UnsupportedOs("hyperv".into())),
            },
            Case {
                name: "vfkit is built for darwin only",
                driver: "vfkit",
                nodes: 1, ssh_address: false,
                want: Err(Refusal::UnsupportedOs("vfkit".into())),
            },
            Case {
                name: "an unknown name",
                driver: "lxc",
                nodes: 1, ssh_address: false,
                want: Err(Refusal::UnsupportedOs("lxc".into())),
            },
            Case { name: "none", driver: "none", nodes: 1, ssh_address: false, want: Err(Refusal::NoneWithoutConntrack) },
            Case { name: "none multi-node", driver: "none", nodes: 2, ssh_address: false, want: Err(Refusal::NoneMultiNode) },
            Case {
                name: "ssh asks for an address first",
                driver: "ssh",
                nodes: 1,
                ssh_address: false,
                want: Err(Refusal::SshWithoutAddress),
            },
            Case {
                name: "the generic alias with an address: no machine there",
                driver: "generic",
                nodes: 1,
                ssh_address: true,
                want: Err(Refusal::SshWithoutMachine),
            },
        ];
        for case in &cases {
            check(case);
        }
    }
}
