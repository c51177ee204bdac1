//! Service environment variables injected into containers (`KUBIA_SERVICE_HOST`, …).
//!
//! Mirrors pkg/kubelet/envvars/envvars.go @v1.28.0 `FromServices`. Which services a pod sees
//! (its namespace when `enableServiceLinks`, plus `kubernetes` from `default`) is the kubelet's
//! choice, not this module's.

/// A Service port as the env-var rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePortInfo {
    /// Empty for an unnamed port.
    pub name: String,
    pub port: i32,
    /// `TCP`, `UDP` or `SCTP`; empty means TCP.
    pub protocol: String,
}

/// A Service as the env-var rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceInfo {
    pub name: String,
    /// `spec.clusterIP`; `None` (headless) or empty services get no variables.
    pub cluster_ip: String,
    pub ports: Vec<ServicePortInfo>,
}

/// Mirrors FromServices: per service `_SERVICE_HOST`, `_SERVICE_PORT`, one
/// `_SERVICE_PORT_<NAME>` per named port, then the Docker-link variables. Ordered as upstream
/// returns them.
pub fn from_services(services: &[ServiceInfo]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for svc in services {
        if svc.cluster_ip.is_empty() || svc.cluster_ip == "None" {
            continue;
        }
        let Some(first) = svc.ports.first() else {
            continue;
        };
        let prefix = env_name(&svc.name);
        out.push((format!("{prefix}_SERVICE_HOST"), svc.cluster_ip.clone()));
        let port_var = format!("{prefix}_SERVICE_PORT");
        out.push((port_var.clone(), first.port.to_string()));
        for p in svc.ports.iter().filter(|p| !p.name.is_empty()) {
            out.push((
                format!("{port_var}_{}", env_name(&p.name)),
                p.port.to_string(),
            ));
        }
        out.extend(link_variables(&prefix, svc));
    }
    out
}

/// Mirrors makeEnvVariableName: upper case, `-` → `_`.
pub fn env_name(s: &str) -> String {
    s.replace('-', "_").to_uppercase()
}

fn link_variables(prefix: &str, svc: &ServiceInfo) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Like net.JoinHostPort: IPv6 hosts get brackets.
    let host = if svc.cluster_ip.contains(':') {
        format!("[{}]", svc.cluster_ip)
    } else {
        svc.cluster_ip.clone()
    };
    for (i, p) in svc.ports.iter().enumerate() {
        let protocol = if p.protocol.is_empty() {
            "TCP"
        } else {
            p.protocol.as_str()
        };
        let lower = protocol.to_lowercase();
        let url = format!("{lower}://{host}:{}", p.port);
        if i == 0 {
            out.push((format!("{prefix}_PORT"), url.clone()));
        }
        let pp = format!("{prefix}_PORT_{}_{}", p.port, protocol.to_uppercase());
        out.push((pp.clone(), url));
        out.push((format!("{pp}_PROTO"), lower));
        out.push((format!("{pp}_PORT"), p.port.to_string()));
        out.push((format!("{pp}_ADDR"), svc.cluster_ip.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Mirrors TestFromServices in pkg/kubelet/envvars/envvars_test.go @v1.28.0 (one service).
    #[test]
    fn kubia() {
        let svc = ServiceInfo {
            name: "kubia".into(),
            cluster_ip: "10.96.0.20".into(),
            ports: vec![ServicePortInfo {
                name: String::new(),
                port: 80,
                protocol: "TCP".into(),
            }],
        };
        let got = from_services(&[svc]);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "KUBIA_SERVICE_HOST",
                "KUBIA_SERVICE_PORT",
                "KUBIA_PORT",
                "KUBIA_PORT_80_TCP",
                "KUBIA_PORT_80_TCP_PROTO",
                "KUBIA_PORT_80_TCP_PORT",
                "KUBIA_PORT_80_TCP_ADDR"
            ]
        );
        assert_eq!(got[2].1, "tcp://10.96.0.20:80");
    }
}
