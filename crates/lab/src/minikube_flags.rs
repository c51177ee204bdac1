//! The flags of `minikube start` and minikube's global `-p/--profile` (minikube v1.36:
//! cmd/minikube/cmd/start_flags.go `initMinikubeFlags`…`initNetworkingFlags`, root.go's
//! persistent flags), parsed as cobra/pflag parse them. The lab acts on `--nodes`, `--cpus`,
//! `--memory`, `--driver`, `--kubernetes-version`, `--force`, `--ssh-ip-address` (whether
//! one is given) and the profile; every other
//! flag `minikube start` defines is accepted and has no effect on the simulated machines.

/// minikube's exit status for bad command-line options (reason.ExProgramUsage).
pub(crate) const EX_PROGRAM_USAGE: i32 = 14;

/// The profile minikube works on without `-p` (constants.DefaultClusterName).
pub(crate) const DEFAULT_PROFILE: &str = "minikube";

/// What `minikube start` was asked for; `None` = not given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StartFlags {
    pub nodes: Option<String>,
    pub cpus: Option<String>,
    pub memory: Option<String>,
    pub driver: Option<String>,
    pub kubernetes_version: Option<String>,
    pub force: bool,
    /// `--ssh-ip-address`: the machine the ssh driver would provision.
    pub ssh_ip_address: Option<String>,
}

impl StartFlags {
    /// Whether a flag that shapes a new profile's machines was given.
    pub fn shapes_machines(&self) -> bool {
        self.nodes.is_some() || self.cpus.is_some() || self.memory.is_some() || self.driver.is_some()
    }
}

/// Boolean flags of `minikube start` and the root command (no value follows them).
const BOOL_FLAGS: &[&str] = &[
    "auto-update-drivers", "cache-images", "delete-on-failure", "disable-driver-mounts", "disable-metrics",
    "disable-optimizations", "dns-proxy", "download-only", "dry-run", "embed-certs", "enable-default-cni",
    "force", "force-systemd", "ha", "host-dns-resolver", "hyperv-use-external-switch", "install-addons",
    "interactive", "keep-context", "kvm-gpu", "kvm-hidden", "mount", "native-ssh", "no-kubernetes",
    "no-vtx-check", "preload", "vm", "skip-audit", "rootless", "alsologtostderr", "logtostderr",
];

/// Flags of `minikube start` and the root command that take a value.
const VALUE_FLAGS: &[&str] = &[
    "addons", "apiserver-ips", "apiserver-name", "apiserver-names", "apiserver-port", "auto-pause-interval",
    "base-image", "binary-mirror", "cert-expiration", "cni", "container-runtime", "cpus", "cri-socket",
    "disk-size", "dns-domain", "docker-env", "docker-opt", "driver", "extra-config", "extra-disks",
    "feature-gates", "gpus", "host-only-cidr", "host-only-nic-type", "hyperkit-vpnkit-sock",
    "hyperkit-vsock-ports", "hyperv-external-adapter", "hyperv-virtual-switch", "image-mirror-country",
    "image-repository", "insecure-registry", "iso-url", "kubernetes-version", "kvm-network",
    "kvm-numa-count", "kvm-qemu-uri", "listen-address", "memory", "mount-9p-version", "mount-gid",
    "mount-ip", "mount-msize", "mount-options", "mount-port", "mount-string", "mount-type", "mount-uid",
    "namespace", "nat-nic-type", "network", "network-plugin", "nfs-share", "nfs-shares-root", "nodes",
    "output", "ports", "qemu-firmware-path", "registry-mirror", "service-cluster-ip-range",
    "socket-vmnet-client-path", "socket-vmnet-path", "ssh-ip-address", "ssh-key", "ssh-port", "ssh-user",
    "static-ip", "subnet", "trace", "uuid", "vm-driver", "wait", "wait-timeout", "profile", "bootstrapper",
    "user", "log_dir", "log_file", "v", "vmodule",
];

/// One-letter forms: `-n 3`, `-c containerd`, `-d docker`, `-g all`, `-o json`, `-p NAME`,
/// `-b kubeadm`, `-v 1`.
fn long_of(short: char) -> Option<&'static str> {
    Some(match short {
        'n' => "nodes",
        'c' => "container-runtime",
        'd' => "driver",
        'g' => "gpus",
        'o' => "output",
        'p' => "profile",
        'b' => "bootstrapper",
        'v' => "v",
        _ => return None,
    })
}

/// The `(flag, value)` pairs and words of a command line, or pflag's error text.
struct Parsed {
    flags: Vec<(&'static str, String)>,
    words: Vec<String>,
}

fn parse(args: &[&str]) -> Result<Parsed, String> {
    let mut parsed = Parsed { flags: Vec::new(), words: Vec::new() };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        i += 1;
        if arg == "--" {
            parsed.words.extend(args[i..].iter().map(|w| w.to_string()));
            break;
        }
        let (name, inline, shown) = if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let known = BOOL_FLAGS.iter().chain(VALUE_FLAGS).find(|f| **f == name);
            let Some(known) = known else {
                return Err(format!("unknown flag: --{name}"));
            };
            (*known, value, format!("--{name}"))
        } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            let c = short.chars().next().unwrap_or_default();
            let Some(name) = long_of(c) else {
                return Err(format!("unknown shorthand flag: '{c}' in {arg}"));
            };
            let rest = &short[c.len_utf8()..];
            let value = (!rest.is_empty()).then(|| rest.strip_prefix('=').unwrap_or(rest).to_string());
            (name, value, format!("-{c}"))
        } else {
            parsed.words.push(arg.to_string());
            continue;
        };
        let value = if BOOL_FLAGS.contains(&name) {
            match inline.as_deref() {
                None | Some("true") | Some("1") | Some("t") | Some("T") | Some("TRUE") | Some("True") => "true".to_string(),
                Some("false") | Some("0") | Some("f") | Some("F") | Some("FALSE") | Some("False") => "false".to_string(),
                Some(v) => {
                    return Err(format!(
                        "invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
                    ))
                }
            }
        } else if let Some(v) = inline {
            v
        } else if let Some(v) = args.get(i) {
            i += 1;
            v.to_string()
        } else {
            return Err(format!("flag needs an argument: {shown}"));
        };
        parsed.flags.push((name, value));
    }
    Ok(parsed)
}

/// cobra's answer to a bad flag, on stderr: the error, then the command's usage (its
/// long list of flags after `Usage:` is left out).
pub(crate) fn flag_error(command: &str, error: &str) -> Vec<String> {
    vec![format!("Error: {error}"), "Usage:".to_string(), format!("  minikube {command} [flags]")]
}

/// The global `-p/--profile` of any minikube command line: the profile it names
/// (`minikube` without one) and the words without it. Unknown flags are left for the
/// subcommand.
pub(crate) fn split_profile(args: &[&str]) -> (String, Vec<String>) {
    let mut profile = DEFAULT_PROFILE.to_string();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i];
        i += 1;
        let value = match arg {
            "-p" | "--profile" => match args.get(i) {
                Some(v) => {
                    i += 1;
                    Some(v.to_string())
                }
                None => None,
            },
            _ => arg
                .strip_prefix("--profile=")
                .or_else(|| arg.strip_prefix("-p=").or_else(|| arg.strip_prefix("-p").filter(|v| !v.is_empty())))
                .map(str::to_string),
        };
        match value {
            Some(v) => profile = v,
            None => rest.push(arg.to_string()),
        }
    }
    (profile, rest)
}

/// `minikube start`'s flags (the profile is taken out before), or cobra's error text.
pub(crate) fn start_flags(args: &[&str]) -> Result<StartFlags, String> {
    let parsed = parse(args)?;
    let mut flags = StartFlags::default();
    for (name, value) in parsed.flags {
        match name {
            "nodes" => {
                if value.parse::<i64>().is_err() {
                    return Err(format!(
                        "invalid argument \"{value}\" for \"-n, --nodes\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax"
                    ));
                }
                flags.nodes = Some(value);
            }
            "cpus" => flags.cpus = Some(value),
            "memory" => flags.memory = Some(value),
            "driver" | "vm-driver" => flags.driver = Some(value),
            "kubernetes-version" => flags.kubernetes_version = Some(value),
            "force" => flags.force = value == "true",
            "ssh-ip-address" => flags.ssh_ip_address = Some(value),
            _ => {}
        }
    }
    Ok(flags)
}

/// `--memory` in MiB as minikube reads it (pkg/util CalculateSizeInMB: a bare number is
/// megabytes; suffixes are binary, so `2g` = 2048; go-units RAMInBytes grammar).
pub(crate) fn memory_mb(text: &str) -> Result<u64, String> {
    let invalid = || format!("FromHumanSize: invalid size: '{text}'");
    let with_unit = if text.parse::<i64>().is_ok() { format!("{text}mb") } else { text.to_string() };
    let lower = with_unit.to_ascii_lowercase();
    let digits_end = lower.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(lower.len());
    let (number, unit) = lower.split_at(digits_end);
    let number: f64 = number.parse().map_err(|_| invalid())?;
    let unit = unit.trim_start_matches(' ');
    let unit = unit.strip_suffix('b').unwrap_or(unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        "p" => 50,
        _ => return Err(invalid()),
    };
    let bytes = number * 2f64.powi(shift);
    Ok((bytes as u64) >> 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_parsed_as_minikube_parses_it() {
        // pkg/util/utils_test.go TestCalculateSizeInMB
        assert_eq!(memory_mb("2048mb"), Ok(2048));
        assert_eq!(memory_mb("2048"), Ok(2048));
        assert_eq!(memory_mb("2g"), Ok(2048));
        assert_eq!(memory_mb("2GB"), Ok(2048));
        assert_eq!(memory_mb("1024KB"), Ok(1));
        assert_eq!(memory_mb("1.5g"), Ok(1536));
        assert_eq!(memory_mb("lots"), Err("FromHumanSize: invalid size: 'lots'".to_string()));
    }

    #[test]
    fn start_flags_parse_as_pflag_does() {
        let f = start_flags(&["--cpus=2", "--memory", "2048mb", "-n3", "--driver=virtualbox", "--force"]).expect("flags");
        assert_eq!(f.nodes.as_deref(), Some("3"));
        assert_eq!(f.cpus.as_deref(), Some("2"));
        assert_eq!(f.memory.as_deref(), Some("2048mb"));
        assert_eq!(f.driver.as_deref(), Some("virtualbox"));
        assert!(f.force);
        assert!(start_flags(&["--registry-mirror=https://m.example", "--base-image=gcr.io/k8s-minikube/kicbase:v0.0.46"]).is_ok());
        assert_eq!(start_flags(&["--foo"]), Err("unknown flag: --foo".to_string()));
        assert_eq!(start_flags(&["-x"]), Err("unknown shorthand flag: 'x' in -x".to_string()));
        assert_eq!(start_flags(&["--nodes"]), Err("flag needs an argument: --nodes".to_string()));
        assert_eq!(
            start_flags(&["--nodes=three"]),
            Err("invalid argument \"three\" for \"-n, --nodes\" flag: strconv.ParseInt: parsing \"three\": invalid syntax".to_string())
        );
    }

    #[test]
    fn the_profile_flag_is_global() {
        assert_eq!(split_profile(&["start", "--nodes=3", "-p", "demo"]), ("demo".to_string(), vec!["start".to_string(), "--nodes=3".to_string()]));
        assert_eq!(split_profile(&["ip", "--profile=demo"]).0, "demo");
        assert_eq!(split_profile(&["-pdemo", "status"]).0, "demo");
        assert_eq!(split_profile(&["status"]).0, "minikube");
    }
}
