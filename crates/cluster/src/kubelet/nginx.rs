//! What the nginx images' server reads from the container's file system: the ports of the
//! `listen` directives in its configuration (a container may edit it with `sed -i` before
//! `exec nginx`), and the files of its document root, mounted volumes included (the fortune
//! pod's emptyDir at /usr/share/nginx/html).

use super::runtime::Env;

/// The IPv4 ports of the `listen` directives in `conf` (`listen 80;`, `listen 8080 default_server;`,
/// `listen 0.0.0.0:80;`); `[::]:80` is IPv6 only, which pods' IPv4 addresses never reach.
pub fn listen_ports(conf: &str) -> Vec<i32> {
    let mut ports = Vec::new();
    for line in conf.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some(rest) = line.strip_prefix("listen") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let addr = rest.trim().trim_end_matches(';').split_whitespace().next().unwrap_or("");
        if addr.starts_with('[') {
            continue;
        }
        let port = addr.rsplit(':').next().unwrap_or(addr);
        if let Ok(p) = port.parse::<i32>()
            && !ports.contains(&p)
        {
            ports.push(p);
        }
    }
    ports
}

/// nginx's answer for `path` from the document root `root` of the container's files:
/// (status, body). A directory's `index.html`; an empty mounted root has no index, which
/// nginx refuses (403) as directory listing is off.
pub fn static_answer(env: &Env, root: &str, path: &str) -> (u16, Option<String>) {
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = if path.ends_with('/') {
        format!("{}{path}index.html", root.trim_end_matches('/'))
    } else {
        format!("{}{path}", root.trim_end_matches('/'))
    };
    if let Some(text) = env.read_file(&file) {
        return (200, Some(text));
    }
    let dir = file.rsplit_once('/').map_or("/", |(d, _)| d);
    if path.ends_with('/') && env.list_dir(dir).is_some() {
        (403, None)
    } else {
        (404, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_directives_give_the_ipv4_ports() {
        let conf = "server {\n    listen       80;\n    listen  [::]:80;\n    #listen 9;\n}\n";
        assert_eq!(listen_ports(conf), [80]);
        assert_eq!(listen_ports("listen 8080;\nlisten  [::]:80;"), [8080]);
        assert_eq!(listen_ports("listen 0.0.0.0:81 default_server;"), [81]);
    }
}
