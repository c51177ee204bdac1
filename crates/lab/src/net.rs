//! `curl` and `wget` on the learner's machine: node IPs, NodePorts, LoadBalancer IPs (with
//! `minikube tunnel`), Ingress hosts (named in the lab's `/etc/hosts` or with `--resolve`/
//! `-H Host:`), and `localhost` ports that `kubectl port-forward` and `kubectl proxy` opened.

use cluster::Cluster;
use cluster::network::dns::Record;
use cluster::network::tools::{self, ConnectError, Lookup, Net};
use cluster::network::{Fabric, Request, Response};

use crate::fs::LabFs;
use crate::session::{Output, OutputLine, Stream};

/// The machine's resolver: `/etc/hosts`, then nothing (cluster names do not resolve here).
struct HostNet<'a> {
    fabric: Fabric<'a>,
    hosts: Vec<(String, String)>,
    /// A `kubectl proxy` serving the API on a local port.
    proxy: Option<&'a kubectl::ApiProxy>,
}

impl Net for HostNet<'_> {
    fn lookup(&mut self, name: &str, srv: bool) -> Lookup {
        if let Some((ip, _)) = self.hosts.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)) {
            return Lookup::Found {
                name: name.to_string(),
                records: vec![Record::A {
                    name: name.to_string(),
                    ip: ip.clone(),
                }],
            };
        }
        self.fabric.lookup(name, srv)
    }
    fn request(&mut self, req: &Request) -> Result<Response, ConnectError> {
        if let Some(p) = self.proxy
            && req.port == p.port
            && (req.ip.starts_with("127.") || req.ip == p.address)
        {
            let r = p.serve(self.fabric.store, &req.method, &req.path);
            return Ok(Response {
                status: r.status,
                headers: vec![("Content-Type".into(), r.content_type.into())],
                body: r.body,
            });
        }
        self.fabric.request(req)
    }
    fn ping(&mut self, ip: &str) -> bool {
        self.fabric.ping(ip)
    }
    fn connect(&mut self, ip: &str, port: u16) -> Result<(), ConnectError> {
        self.fabric.connect(ip, port)
    }
    fn dns_server(&self) -> String {
        "192.168.49.1".into()
    }
    fn wait(&mut self, d: cluster::SimDuration) {
        self.fabric.wait(d);
    }
}

/// `/etc/hosts` entries: (address, name).
fn hosts_file(fs: &LabFs) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in fs.read("/etc/hosts").unwrap_or("").lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        if let Some(ip) = words.next() {
            for name in words {
                out.push((ip.to_string(), name.to_string()));
            }
        }
    }
    out
}

/// Runs a network tool (`curl`, `wget`, `ping`, `nc`, `nslookup`) on the learner's machine.
pub fn run(
    cluster: &mut Cluster,
    fs: &mut LabFs,
    proxy: Option<&kubectl::ApiProxy>,
    words: &[&str],
) -> Output {
    let args: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
    let hosts = hosts_file(fs);
    let result = {
        let mut net = HostNet {
            fabric: cluster.host_net(),
            hosts,
            proxy,
        };
        let out = tools::run(words[0], &args, &mut net).unwrap_or_default();
        (out, net.fabric.elapsed)
    };
    let (result, waited) = result;
    cluster.settle();
    if waited > cluster::SimDuration::ZERO {
        // The prompt comes back once the tool gave up waiting.
        cluster.advance(waited);
    }
    for (path, text) in result.files {
        fs.write(&path, &text, false);
    }
    let mut out = Output {
        status: result.status,
        ..Output::default()
    };
    for (err, text) in result.lines {
        out.lines.push(OutputLine {
            stream: if err { Stream::Stderr } else { Stream::Stdout },
            text,
        });
    }
    out
}
