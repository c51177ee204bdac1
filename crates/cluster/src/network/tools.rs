//! The network programs people type in a container or on their machine — `curl`, `wget`,
//! `nslookup`, `ping`, `nc` — over a [`Net`], printing what the real tools print (curl
//! 7.88, busybox 1.36).

use super::dns::Record;
use super::http::{Request, Response, Tls};
use crate::time::SimDuration;

/// How long an unanswered SYN keeps curl waiting (Linux's default SYN retries).
pub const CONNECT_TIMEOUT: SimDuration = SimDuration::from_secs(130);
/// busybox wget's default network timeout (`-T`).
const WGET_TIMEOUT: SimDuration = SimDuration::from_secs(900);
/// How long a resolver waits before giving up (resolv.conf defaults: 5 s × 2 attempts).
pub const DNS_TIMEOUT: SimDuration = SimDuration::from_secs(10);

/// What a name resolved to, as a client's resolver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found { name: String, records: Vec<Record> },
    NotFound { tried: Vec<String> },
    /// No DNS server answered (egress to CoreDNS dropped).
    NoServer,
}

impl Lookup {
    /// The first address, following a CNAME only within the answers.
    pub fn first_ip(&self) -> Option<&str> {
        match self {
            Lookup::Found { records, .. } => records.iter().find_map(|r| match r {
                Record::A { ip, .. } => Some(ip.as_str()),
                _ => None,
            }),
            Lookup::NotFound { .. } | Lookup::NoServer => None,
        }
    }
}

/// Why a connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectError {
    Refused,
    /// Nothing answered (dropped by a NetworkPolicy, an unroutable address, a VIP port that
    /// does not exist).
    Timeout,
    /// The server's certificate is not signed by a CA the client trusts: self-signed (an
    /// Ingress's or the ingress controller's fake certificate), or signed by a CA the client
    /// was not given (the API server's, without `--cacert ca.crt`).
    Certificate { self_signed: bool },
    /// The connection was accepted but nothing ever answers: the listening socket is held
    /// by a process that is stopped (Ctrl+Z on `kubectl port-forward`), so the kernel
    /// completes the handshake and queues the request, and no one reads it.
    Unanswered,
}

/// The network as one client sees it.
pub trait Net {
    /// Resolves a name (`srv` asks for SRV records).
    fn lookup(&mut self, name: &str, srv: bool) -> Lookup;
    /// Sends one HTTP request to `req.ip:req.port`.
    ///
    /// # Errors
    /// Refused or timed out.
    fn request(&mut self, req: &Request) -> Result<Response, ConnectError>;
    /// Whether `ip` answers ICMP echo.
    fn ping(&mut self, ip: &str) -> bool;
    /// Opens (and closes) a TCP connection.
    ///
    /// # Errors
    /// Refused or timed out.
    fn connect(&mut self, ip: &str, port: u16) -> Result<(), ConnectError>;
    /// The DNS server the client uses, for nslookup's header.
    fn dns_server(&self) -> String {
        super::DNS_SERVER.to_string()
    }
    /// Resolves a name by asking the server at `server` (nslookup's SERVER argument) instead
    /// of the client's resolver. Here only the client's own server answers; anything else
    /// lets the resolver's timeout pass and reports that no server was reached.
    fn lookup_at(&mut self, server: &str, name: &str, srv: bool) -> Lookup {
        if server == self.dns_server() {
            return self.lookup(name, srv);
        }
        self.wait(DNS_TIMEOUT);
        Lookup::NoServer
    }
    /// The name a PTR query for `ip` answers, if any.
    fn reverse(&mut self, _ip: &str) -> Option<String> {
        None
    }
    /// The tool waited this long for an answer that never came (its timeout), so the
    /// caller's clock moves on by as much.
    fn wait(&mut self, _d: SimDuration) {}
    /// A file on the client's machine (`--cacert FILE`), if it has one.
    fn read_file(&self, _path: &str) -> Option<String> {
        None
    }
    /// An environment variable of the client process (`CURL_CA_BUNDLE`).
    fn var(&self, _name: &str) -> Option<String> {
        None
    }
}

/// What a tool printed and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolOutput {
    pub status: i32,
    /// (is standard error, text) per line.
    pub lines: Vec<(bool, String)>,
    /// Files written (`-o`, `-O`): path → contents.
    pub files: Vec<(String, String)>,
}

impl ToolOutput {
    fn out(&mut self, text: &str) {
        let text = text.strip_suffix('\n').unwrap_or(text);
        if text.is_empty() {
            return;
        }
        for l in text.split('\n') {
            self.lines.push((false, l.to_string()));
        }
    }
    fn line(&mut self, text: impl Into<String>) {
        self.lines.push((false, text.into()));
    }
    fn err(&mut self, text: impl Into<String>) {
        self.lines.push((true, text.into()));
    }
    fn fail(mut self, status: i32) -> ToolOutput {
        self.status = status;
        self
    }
}

/// Runs a network tool by name; None when `name` is not one.
pub fn run(name: &str, args: &[String], net: &mut dyn Net) -> Option<ToolOutput> {
    Some(match name {
        "curl" => curl(args, net),
        "wget" => wget(args, net),
        "nslookup" => nslookup(args, net),
        "ping" => ping(args, net),
        "nc" => nc(args, net),
        _ => return None,
    })
}

/// A URL split as curl reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
}

/// Parses `[scheme://]host[:port][/path]`.
pub fn parse_url(s: &str) -> Option<Url> {
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, r)) => (sc.to_ascii_lowercase(), r),
        None => ("http".to_string(), s),
    };
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_string()),
        Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
        None => (rest, "/".to_string()),
    };
    let default = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().ok()?),
        None => (authority.to_string(), default),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url {
        scheme,
        host,
        port,
        path,
    })
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Resolves a host as a client does: IP literals as they are, `localhost` to loopback.
fn resolve_host(host: &str, net: &mut dyn Net) -> Option<String> {
    if is_ip(host) {
        return Some(host.to_string());
    }
    if host == "localhost" {
        return Some("127.0.0.1".into());
    }
    net.lookup(host, false).first_ip().map(str::to_string)
}

struct CurlOpts {
    silent: bool,
    show_error: bool,
    verbose: bool,
    insecure: bool,
    head: bool,
    include: bool,
    fail: bool,
    headers: Vec<(String, String)>,
    method: Option<String>,
    output: Option<String>,
    max_time: Option<f64>,
    cacert: Option<String>,
    resolve: Vec<(String, u16, String)>,
    url: Option<String>,
}

fn curl_opts(args: &[String]) -> Result<CurlOpts, String> {
    let mut o = CurlOpts {
        silent: false,
        show_error: false,
        verbose: false,
        insecure: false,
        head: false,
        include: false,
        fail: false,
        headers: Vec::new(),
        method: None,
        output: None,
        max_time: None,
        cacert: None,
        resolve: Vec::new(),
        url: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: &mut usize, inline: Option<&str>| -> Result<String, String> {
            if let Some(v) = inline.filter(|v| !v.is_empty()) {
                return Ok(v.to_string());
            }
            *i += 1;
            args.get(*i)
                .cloned()
                .ok_or_else(|| format!("curl: option {a}: requires parameter"))
        };
        match a {
            "-s" | "--silent" => o.silent = true,
            "-S" | "--show-error" => o.show_error = true,
            "-v" | "--verbose" => o.verbose = true,
            "-k" | "--insecure" => o.insecure = true,
            "-I" | "--head" => o.head = true,
            "-i" | "--include" => o.include = true,
            "-f" | "--fail" => o.fail = true,
            "-L" | "--location" | "-sS" | "-Ss" => {
                if a.contains('s') {
                    o.silent = true;
                    o.show_error = true;
                }
            }
            "-H" | "--header" => {
                let h = value(&mut i, None)?;
                if let Some((k, v)) = h.split_once(':') {
                    o.headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            "-X" | "--request" => o.method = Some(value(&mut i, None)?),
            "-o" | "--output" => o.output = Some(value(&mut i, None)?),
            "--cacert" => o.cacert = Some(value(&mut i, None)?),
            "-m" | "--max-time" | "--connect-timeout" => {
                o.max_time = value(&mut i, None)?.parse().ok();
            }
            "--resolve" => {
                let v = value(&mut i, None)?;
                let parts: Vec<&str> = v.splitn(3, ':').collect();
                if let [h, p, ip] = parts.as_slice() {
                    o.resolve
                        .push((h.to_string(), p.parse().unwrap_or(0), ip.to_string()));
                }
            }
            _ if a.starts_with("-H") && a.len() > 2 => {
                if let Some((k, v)) = a[2..].split_once(':') {
                    o.headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            _ if a.starts_with("--") => {
                return Err(format!(
                    "curl: option {a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                ));
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                // Combined short flags (`-sv`, `-skI`).
                for c in a[1..].chars() {
                    match c {
                        's' => o.silent = true,
                        'S' => o.show_error = true,
                        'v' => o.verbose = true,
                        'k' => o.insecure = true,
                        'I' => o.head = true,
                        'i' => o.include = true,
                        'f' => o.fail = true,
                        'L' => {}
                        _ => {
                            return Err(format!(
                                "curl: option {a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                            ));
                        }
                    }
                }
            }
            _ => o.url = Some(a.to_string()),
        }
        i += 1;
    }
    Ok(o)
}

/// Whether curl with `args` (after the command name) keeps its error messages to itself:
/// `-s` without `-S`.
pub fn curl_errors_silenced(args: &[String]) -> bool {
    curl_opts(args).is_ok_and(|o| o.silent && !o.show_error)
}

/// `curl` (7.88's messages and verbose trace).
pub fn curl(args: &[String], net: &mut dyn Net) -> ToolOutput {
    let mut out = ToolOutput::default();
    let o = match curl_opts(args) {
        Ok(o) => o,
        Err(e) => {
            for l in e.lines() {
                out.err(l);
            }
            return out.fail(2);
        }
    };
    let quiet_errors = o.silent && !o.show_error;
    let Some(url_text) = o.url.clone() else {
        out.err("curl: try 'curl --help' or 'curl --manual' for more information");
        return out.fail(2);
    };
    let Some(url) = parse_url(&url_text) else {
        if !quiet_errors {
            let scheme = url_text.split("://").next().unwrap_or("");
            out.err(format!(
                "curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl"
            ));
        }
        return out.fail(1);
    };
    let pinned = o
        .resolve
        .iter()
        .find(|(h, p, _)| *h == url.host && *p == url.port)
        .map(|(_, _, ip)| ip.clone());
    let Some(ip) = pinned.or_else(|| resolve_host(&url.host, net)) else {
        if !quiet_errors {
            out.err(format!("curl: (6) Could not resolve host: {}", url.host));
        }
        return out.fail(6);
    };
    let method = o
        .method
        .clone()
        .unwrap_or_else(|| if o.head { "HEAD" } else { "GET" }.into());
    let tls = if url.scheme != "https" {
        Tls::Plain
    } else if o.insecure {
        Tls::Insecure
    } else {
        // `--cacert`, else the CURL_CA_BUNDLE variable, else the system bundle.
        match o.cacert.clone().or_else(|| net.var("CURL_CA_BUNDLE")) {
            Some(file) => match net.read_file(&file) {
                Some(pem) => Tls::Verify(Some(pem)),
                None => {
                    if !quiet_errors {
                        out.err(format!("curl: (77) error setting certificate file: {file}"));
                    }
                    return out.fail(77);
                }
            },
            None => Tls::Verify(None),
        }
    };
    let req = Request {
        method: method.clone(),
        scheme: url.scheme.clone(),
        host: url.host.clone(),
        ip: ip.clone(),
        port: url.port,
        path: url.path.clone(),
        headers: o.headers.clone(),
        tls,
    };
    if o.verbose {
        out.err(format!("*   Trying {ip}:{}...", url.port));
    }
    let resp = match net.request(&req) {
        Ok(r) => r,
        Err(ConnectError::Refused) => {
            if !quiet_errors {
                out.err(format!(
                    "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                    url.host, url.port
                ));
            }
            return out.fail(7);
        }
        Err(ConnectError::Timeout) => {
            // curl gives up at --max-time, else when the kernel stops retrying the SYN.
            let waited = match o.max_time {
                Some(t) => (t * 1000.0) as u64 + 1,
                None => CONNECT_TIMEOUT.as_millis(),
            };
            net.wait(SimDuration::from_millis(waited));
            if !quiet_errors {
                match o.max_time {
                    Some(_) => out.err(format!(
                        "curl: (28) Connection timed out after {waited} milliseconds"
                    )),
                    None => out.err(format!(
                        "curl: (28) Failed to connect to {} port {} after {waited} ms: Couldn't connect to server",
                        url.host, url.port
                    )),
                }
            }
            return out.fail(28);
        }
        Err(ConnectError::Unanswered) => {
            let Some(max) = o.max_time else {
                // Deliberate gap: curl has no read timeout of its own and waits here until
                // Ctrl+C. A lab command cannot hang, so it ends at once, says why, and
                // leaves the status that Ctrl+C would (128 + SIGINT).
                out.err(format!(
                    "curl: {}:{} accepted the connection but its process is stopped and never answers; curl would wait here until Ctrl+C (the lab's terminal stops it now; curl --max-time N gives up by itself)",
                    url.host, url.port
                ));
                return out.fail(130);
            };
            let waited = (max * 1000.0) as u64 + 1;
            net.wait(SimDuration::from_millis(waited));
            if !quiet_errors {
                out.err(format!("curl: (28) Operation timed out after {waited} milliseconds with 0 bytes received"));
            }
            return out.fail(28);
        }
        Err(ConnectError::Certificate { self_signed }) => {
            if !quiet_errors {
                let problem = if self_signed {
                    "self-signed certificate"
                } else {
                    "unable to get local issuer certificate"
                };
                out.err(format!("curl: (60) SSL certificate problem: {problem}"));
                for l in CURL_CERT_HELP.lines() {
                    out.err(l);
                }
            }
            return out.fail(60);
        }
    };
    if o.verbose {
        out.err(format!(
            "* Connected to {} ({ip}) port {} (#0)",
            url.host, url.port
        ));
        if url.scheme == "https" {
            out.err("* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384");
        }
        out.err(format!("> {method} {} HTTP/1.1", url.path));
        out.err(format!("> Host: {}", req.host_header()));
        out.err("> User-Agent: curl/7.88.1");
        out.err("> Accept: */*");
        for (k, v) in &o.headers {
            if !k.eq_ignore_ascii_case("host") {
                out.err(format!("> {k}: {v}"));
            }
        }
        out.err("> ");
        out.err(format!("< HTTP/1.1 {} {}", resp.status, resp.reason()));
        for (k, v) in &resp.headers {
            out.err(format!("< {k}: {v}"));
        }
        out.err("< ");
    }
    if o.fail && resp.status >= 400 {
        if !quiet_errors {
            out.err(format!(
                "curl: (22) The requested URL returned error: {}",
                resp.status
            ));
        }
        return out.fail(22);
    }
    let mut text = String::new();
    if o.head || o.include {
        text.push_str(&format!("HTTP/1.1 {} {}\n", resp.status, resp.reason()));
        for (k, v) in &resp.headers {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push('\n');
    }
    if !o.head {
        text.push_str(&resp.body);
    }
    match &o.output {
        Some(path) if path != "-" => out.files.push((path.clone(), text)),
        _ => out.out(&text),
    }
    if o.verbose {
        out.err(format!("* Connection #0 to host {} left intact", url.host));
    }
    out
}

/// What curl 7.88 prints after a certificate problem (exit status 60).
const CURL_CERT_HELP: &str = "More details here: https://curl.se/docs/sslcerts.html

curl failed to verify the legitimacy of the server and therefore could not
establish a secure connection to it. To learn more about this situation and
how to fix it, please visit the web page mentioned above.";

/// busybox `wget` (`-q`, `-O FILE|-`, `-T SECONDS`, `--spider`).
pub fn wget(args: &[String], net: &mut dyn Net) -> ToolOutput {
    let mut out = ToolOutput::default();
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut spider = false;
    let mut url_text = None;
    let mut timeout = WGET_TIMEOUT;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-q" => quiet = true,
            "--spider" | "-s" => spider = true,
            "-O" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-T" => {
                i += 1;
                if let Some(secs) = args.get(i).and_then(|v| v.parse::<u64>().ok()) {
                    timeout = SimDuration::from_secs(secs);
                }
            }
            _ if a.starts_with("-q") && a.contains('O') => {
                quiet = true;
                let rest = &a[a.find('O').map_or(a.len(), |p| p + 1)..];
                if rest.is_empty() {
                    i += 1;
                    output = args.get(i).cloned();
                } else {
                    output = Some(rest.to_string());
                }
            }
            _ if a.starts_with("-O") => output = Some(a[2..].to_string()),
            _ if a.starts_with('-') => {}
            _ => url_text = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(url_text) = url_text else {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.");
        return out.fail(1);
    };
    let Some(url) = parse_url(&url_text) else {
        out.err(format!("wget: not an http or ftp url: {url_text}"));
        return out.fail(1);
    };
    let Some(ip) = resolve_host(&url.host, net) else {
        out.err(format!("wget: bad address '{}'", url.host));
        return out.fail(1);
    };
    if !quiet {
        out.err(format!("Connecting to {} ({ip}:{})", url.host, url.port));
    }
    let req = Request {
        method: if spider { "HEAD" } else { "GET" }.into(),
        scheme: url.scheme.clone(),
        host: url.host.clone(),
        ip: ip.clone(),
        port: url.port,
        path: url.path.clone(),
        headers: Vec::new(),
        // busybox's TLS client does not verify certificates.
        tls: if url.scheme == "https" {
            Tls::Insecure
        } else {
            Tls::Plain
        },
    };
    let resp = match net.request(&req) {
        Ok(r) => r,
        Err(ConnectError::Refused) => {
            out.err(format!(
                "wget: can't connect to remote host ({ip}): Connection refused"
            ));
            return out.fail(1);
        }
        // busybox's -T timeout covers the connect and every read alike.
        Err(ConnectError::Timeout | ConnectError::Unanswered) => {
            net.wait(timeout);
            out.err("wget: download timed out");
            return out.fail(1);
        }
        // Not reached: busybox's wget does not verify certificates.
        Err(ConnectError::Certificate { .. }) => return out.fail(1),
    };
    if resp.status >= 400 {
        out.err(format!(
            "wget: server returned error: HTTP/1.1 {} {}",
            resp.status,
            resp.reason()
        ));
        return out.fail(1);
    }
    if spider {
        if !quiet {
            out.err("remote file exists");
        }
        return out;
    }
    let target = output.unwrap_or_else(|| {
        let name = url.path.rsplit('/').next().unwrap_or("");
        if name.is_empty() {
            "index.html".into()
        } else {
            name.to_string()
        }
    });
    if target == "-" {
        if !quiet {
            out.err("writing to stdout");
        }
        out.out(&resp.body);
        if !quiet {
            out.err("written to stdout");
        }
    } else {
        if !quiet {
            out.err(format!("saving to '{target}'"));
            out.err(format!("'{target}' saved"));
        }
        out.files.push((target, resp.body));
    }
    out
}

/// busybox `nslookup [-type=a|srv] NAME [SERVER]`: asks SERVER (an address, or a name the
/// client's resolver turns into one) when given, else the resolver's own server
/// (networking/nslookup.c: the `Server:` header comes with the first answer, so a server
/// that never answers prints only the timeout line).
pub fn nslookup(args: &[String], net: &mut dyn Net) -> ToolOutput {
    let mut out = ToolOutput::default();
    let srv = args
        .iter()
        .any(|a| a.eq_ignore_ascii_case("-type=srv") || a.eq_ignore_ascii_case("-q=srv"));
    let mut words = args.iter().filter(|a| !a.starts_with('-'));
    let Some(name) = words.next() else {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.");
        return out.fail(1);
    };
    let asked = match words.next() {
        None => None,
        Some(s) if is_ip(s) => Some(s.clone()),
        Some(s) => match net.lookup(s, false).first_ip() {
            Some(ip) => Some(ip.to_string()),
            None => {
                out.err(format!("nslookup: bad address '{s}'"));
                return out.fail(1);
            }
        },
    };
    let server = asked.clone().unwrap_or_else(|| net.dns_server());
    out.line(format!("Server:\t\t{server}"));
    out.line(format!("Address:\t{server}:53"));
    out.line("");
    let lookup = |net: &mut dyn Net, name: &str, srv: bool| match &asked {
        Some(server) => net.lookup_at(server, name, srv),
        None => net.lookup(name, srv),
    };
    if is_ip(name) {
        let arpa = format!("{}.in-addr.arpa", name.split('.').rev().collect::<Vec<_>>().join("."));
        if let Some(server) = &asked
            && net.lookup_at(server, &arpa, false) == Lookup::NoServer
        {
            return no_server();
        }
        return match net.reverse(name) {
            Some(host) => {
                out.line(format!("{arpa}\tname = {host}"));
                out.line("");
                out
            }
            None => {
                out.line(format!("** server can't find {arpa}: NXDOMAIN"));
                out.line("");
                out.fail(1)
            }
        };
    }
    match lookup(net, name, srv) {
        Lookup::Found { records, .. } => {
            // CoreDNS spreads SRV weight evenly over the records of one answer.
            let srv_count = records
                .iter()
                .filter(|r| matches!(r, Record::Srv { .. }))
                .count()
                .max(1);
            let weight = 100 / srv_count;
            for r in &records {
                match r {
                    Record::A { name, ip } => {
                        out.line(format!("Name:\t{name}"));
                        out.line(format!("Address: {ip}"));
                    }
                    Record::Cname { name, target } => {
                        out.line(format!("{name}\tcanonical name = {target}"));
                    }
                    Record::Srv { name, port, target } => {
                        out.line(format!("{name}\tservice = 0 {weight} {port} {target}"));
                    }
                }
            }
            out.line("");
            out
        }
        Lookup::NoServer => no_server(),
        Lookup::NotFound { tried } => {
            for t in tried {
                out.line(format!("** server can't find {t}: NXDOMAIN"));
                out.line("");
            }
            out.fail(1)
        }
    }
}

/// What busybox (and bind's nslookup) print when no server answered.
fn no_server() -> ToolOutput {
    let mut out = ToolOutput::default();
    out.line(";; connection timed out; no servers could be reached");
    out.line("");
    out.fail(1)
}

/// busybox `ping [-c N] [-W S] HOST` (a count of 4 when none is given, since the lab
/// terminal cannot interrupt it).
pub fn ping(args: &[String], net: &mut dyn Net) -> ToolOutput {
    let mut out = ToolOutput::default();
    let mut count = 4u32;
    let mut host = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-c" => {
                i += 1;
                count = args.get(i).and_then(|v| v.parse().ok()).unwrap_or(count);
            }
            "-W" | "-w" | "-i" | "-s" => i += 1,
            a if a.starts_with("-c") => count = a[2..].parse().unwrap_or(count),
            a if a.starts_with('-') => {}
            a => host = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(host) = host else {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.");
        return out.fail(1);
    };
    let Some(ip) = resolve_host(&host, net) else {
        out.err(format!("ping: bad address '{host}'"));
        return out.fail(1);
    };
    out.line(format!("PING {host} ({ip}): 56 data bytes"));
    let answers = net.ping(&ip);
    if answers {
        for seq in 0..count {
            out.line(format!("64 bytes from {ip}: seq={seq} ttl=64 time=0.081 ms"));
        }
    }
    out.line("");
    out.line(format!("--- {host} ping statistics ---"));
    let received = if answers { count } else { 0 };
    let loss = if answers { 0 } else { 100 };
    out.line(format!(
        "{count} packets transmitted, {received} packets received, {loss}% packet loss"
    ));
    if answers {
        out.line("round-trip min/avg/max = 0.081/0.081/0.081 ms");
        out
    } else {
        out.fail(1)
    }
}

/// busybox `nc -z [-v] [-w S] HOST PORT`.
pub fn nc(args: &[String], net: &mut dyn Net) -> ToolOutput {
    let mut out = ToolOutput::default();
    let verbose = args.iter().any(|a| a.starts_with('-') && a.contains('v'));
    let mut words = Vec::new();
    // busybox nc waits for the kernel's connect timeout unless -w says otherwise.
    let mut timeout = CONNECT_TIMEOUT;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "-w" {
            i += 1;
            if let Some(secs) = args.get(i).and_then(|v| v.parse::<u64>().ok()) {
                timeout = SimDuration::from_secs(secs);
            }
        } else if !a.starts_with('-') {
            words.push(a.to_string());
        }
        i += 1;
    }
    let [host, port] = words.as_slice() else {
        out.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.");
        return out.fail(1);
    };
    let Some(ip) = resolve_host(host, net) else {
        out.err(format!("nc: bad address '{host}'"));
        return out.fail(1);
    };
    let Ok(port) = port.parse::<u16>() else {
        out.err(format!("nc: bad port '{port}'"));
        return out.fail(1);
    };
    match net.connect(&ip, port) {
        // A stopped listener's socket still completes the handshake.
        Ok(()) | Err(ConnectError::Certificate { .. } | ConnectError::Unanswered) => {
            if verbose {
                out.err(format!("{host} ({ip}:{port}) open"));
            }
            out
        }
        Err(ConnectError::Refused) => {
            if verbose {
                out.err(format!("nc: {host} ({ip}:{port}): Connection refused"));
            }
            out.fail(1)
        }
        Err(ConnectError::Timeout) => {
            net.wait(timeout);
            if verbose {
                out.err(format!("nc: {host} ({ip}:{port}): Connection timed out"));
            }
            out.fail(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine whose every port is a stopped listener's: accepted, never answered.
    struct StoppedListener;

    impl Net for StoppedListener {
        fn lookup(&mut self, name: &str, _srv: bool) -> Lookup {
            let records = vec![Record::A { name: name.to_string(), ip: "127.0.0.1".to_string() }];
            Lookup::Found { name: name.to_string(), records }
        }
        fn request(&mut self, _req: &Request) -> Result<Response, ConnectError> {
            Err(ConnectError::Unanswered)
        }
        fn ping(&mut self, _ip: &str) -> bool {
            true
        }
        fn connect(&mut self, _ip: &str, _port: u16) -> Result<(), ConnectError> {
            Err(ConnectError::Unanswered)
        }
    }

    #[test]
    fn a_stopped_listener_accepts_and_never_answers() {
        struct Case {
            name: &'static str,
            command: &'static str,
            want_status: i32,
            want_first: &'static str,
        }
        let cases = [
            Case {
                name: "curl gives up at --max-time with nothing received",
                command: "curl -m 5 localhost:8080",
                want_status: 28,
                want_first: "curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received",
            },
            Case {
                name: "curl without --max-time would hang: the lab ends it as Ctrl+C would",
                command: "curl localhost:8080",
                want_status: 130,
                want_first: "curl: localhost:8080 accepted the connection but its process is stopped",
            },
            Case {
                name: "the handshake succeeds, so nc -z finds the port open",
                command: "nc -zv localhost 8080",
                want_status: 0,
                want_first: "localhost (127.0.0.1:8080) open",
            },
        ];
        for case in &cases {
            let words: Vec<String> = case.command.split(' ').map(str::to_string).collect();
            let out = run(&words[0], &words[1..], &mut StoppedListener).unwrap_or_default();
            assert_eq!(out.status, case.want_status, "{}", case.name);
            let first = out.lines.first().map(|(_, t)| t.as_str()).unwrap_or("");
            assert!(first.starts_with(case.want_first), "{}: {first}", case.name);
        }
    }

    #[test]
    fn urls_parse_as_curl_reads_them() {
        let cases = [
            ("http://kubia", Some(("http", "kubia", 80, "/"))),
            ("kubia:8080/x", Some(("http", "kubia", 8080, "/x"))),
            ("https://a.b/c?d", Some(("https", "a.b", 443, "/c?d"))),
            ("ftp://x", None),
        ];
        for (text, want) in cases {
            let got = parse_url(text);
            let got = got
                .as_ref()
                .map(|u| (u.scheme.as_str(), u.host.as_str(), u.port, u.path.as_str()));
            assert_eq!(got, want, "{text}");
        }
    }
}

/// No network at all (scripts run by the kubelet in the background): names do not resolve
/// and nothing answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct Offline;

impl Net for Offline {
    fn lookup(&mut self, name: &str, _srv: bool) -> Lookup {
        Lookup::NotFound {
            tried: vec![name.to_string()],
        }
    }
    fn request(&mut self, _req: &Request) -> Result<Response, ConnectError> {
        Err(ConnectError::Timeout)
    }
    fn ping(&mut self, _ip: &str) -> bool {
        false
    }
    fn connect(&mut self, _ip: &str, _port: u16) -> Result<(), ConnectError> {
        Err(ConnectError::Timeout)
    }
}
