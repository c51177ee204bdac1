//! Read requests by URL path, as the API server's HTTP handlers answer them: what
//! `kubectl proxy` forwards from `curl localhost:8001/...`.
//!
//! Transport-free: a method and a path with its query go in, a status code and a JSON body
//! come out. Mirrors the read side of apiserver endpoints/installer.go and discovery
//! (v1.34): `/version`, `/api`, `/apis`, `/api/v1`, `/apis/GROUP[/VERSION]`, and
//! `[/namespaces/NS]/RESOURCE[/NAME]` under each group version, with `labelSelector` and
//! `fieldSelector` on lists. Lists name their kind (`PodList`) and their items carry no
//! `apiVersion`/`kind`, as the typed lists the server encodes. Writes, watches and
//! subresources answer 405 MethodNotAllowed here.

use std::collections::BTreeMap;

use api::KindInfo;
use serde_json::{Value, json};

use super::{ListOptions, Store};

/// The API server's version (`/version`), the kubelets' and control plane's release.
pub const SERVER_VERSION: &str = "v1.34.0";

/// One HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RestResponse {
    pub status: u16,
    /// `application/json`, or `text/plain` for paths nothing serves.
    pub content_type: &'static str,
    pub body: String,
    /// The `Warning` header values (`299 - "text"`), e.g. for a deprecated API.
    pub warnings: Vec<String>,
}

/// Answers `method path` (the path may carry a `?query`).
pub fn serve(store: &Store, method: &str, path: &str) -> RestResponse {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let query = parse_query(query);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if method != "GET" && method != "HEAD" {
        return status(405, "MethodNotAllowed", &format!("the server does not allow this method on the requested resource ({method} {path}) in this lab"));
    }
    match segs.as_slice() {
        ["version"] => RestResponse {
            body: version_text(),
            ..ok(Value::Null)
        },
        ["api"] => ok(json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "192.168.49.2:8443"}],
        })),
        ["apis"] => ok(group_list()),
        ["api", "v1"] => ok(resource_list("", "v1")),
        ["apis", group] => match group_value(group) {
            Some(g) => ok(g),
            None => not_found_page(),
        },
        ["apis", group, version] if api::kinds::is_group_version_served(&format!("{group}/{version}")) => {
            ok(resource_list(group, version))
        }
        ["api", "v1", rest @ ..] => resource(store, "", "v1", rest, &query),
        ["apis", group, version, rest @ ..] => resource(store, group, version, rest, &query),
        _ => not_found_page(),
    }
}

/// `/version`: version.Info in its Go field order (json.MarshalIndent keeps struct order,
/// which a JSON map would sort away).
fn version_text() -> String {
    let fields = [
        ("major", "1"),
        ("minor", "34"),
        ("emulationMajor", "1"),
        ("emulationMinor", "34"),
        ("minCompatibilityMajor", "1"),
        ("minCompatibilityMinor", "33"),
        ("gitVersion", SERVER_VERSION),
        ("gitCommit", ""),
        ("gitTreeState", "clean"),
        ("buildDate", ""),
        ("goVersion", "go1.24.6"),
        ("compiler", "gc"),
        ("platform", "linux/amd64"),
    ];
    let lines: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {}", serde_json::to_string(v).unwrap_or_default()))
        .collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// The served kinds of one group version.
fn kinds_of(group: &str, version: &str) -> Vec<&'static KindInfo> {
    api::kinds::KINDS
        .iter()
        .filter(|k| k.group == group && k.version == version)
        .collect()
}

/// Groups (other than core) and their versions, preferred first.
fn groups() -> BTreeMap<&'static str, Vec<(&'static str, bool)>> {
    let mut g: BTreeMap<&'static str, Vec<(&'static str, bool)>> = BTreeMap::new();
    for k in api::kinds::KINDS.iter().filter(|k| !k.group.is_empty()) {
        let versions = g.entry(k.group).or_default();
        match versions.iter_mut().find(|(v, _)| *v == k.version) {
            Some(v) => v.1 |= k.preferred,
            None => versions.push((k.version, k.preferred)),
        }
    }
    for versions in g.values_mut() {
        machinery::sort::sort_by_key(versions, |(v, preferred)| (!preferred, *v));
    }
    g
}

fn group_json(name: &str, versions: &[(&str, bool)]) -> Value {
    let vs: Vec<Value> = versions
        .iter()
        .map(|(v, _)| json!({"groupVersion": format!("{name}/{v}"), "version": v}))
        .collect();
    let preferred = vs.first().cloned().unwrap_or(Value::Null);
    json!({"name": name, "versions": vs, "preferredVersion": preferred})
}

fn group_list() -> Value {
    let groups: Vec<Value> = groups().iter().map(|(n, v)| group_json(n, v)).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn group_value(name: &str) -> Option<Value> {
    let g = groups();
    let versions = g.get(name)?;
    let mut v = json!({"kind": "APIGroup", "apiVersion": "v1"});
    if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), group_json(name, versions)) {
        obj.extend(extra);
    }
    Some(v)
}

fn resource_list(group: &str, version: &str) -> Value {
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let resources: Vec<Value> = kinds_of(group, version)
        .iter()
        .map(|k| {
            let mut r = json!({
                "name": k.plural,
                "singularName": k.singular(),
                "namespaced": k.namespaced,
                "kind": k.kind,
                "verbs": k.verbs,
            });
            if !k.short_names.is_empty() {
                r["shortNames"] = json!(k.short_names);
            }
            if !k.categories.is_empty() {
                r["categories"] = json!(k.categories);
            }
            r
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

/// `RESOURCE`, `RESOURCE/NAME`, `namespaces/NS/RESOURCE[/NAME]` under a group version.
fn resource(
    store: &Store,
    group: &str,
    version: &str,
    rest: &[&str],
    query: &BTreeMap<String, String>,
) -> RestResponse {
    let (ns, plural, name) = match rest {
        ["namespaces", ns] if group.is_empty() => (Some(*ns), "", None),
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        [plural, name] => (None, *plural, Some(*name)),
        ["namespaces", _, _, _, sub, ..] | [_, _, sub, ..] => {
            return status(
                405,
                "MethodNotAllowed",
                &format!("the {sub} subresource is not served over this lab's proxy"),
            );
        }
        _ => return not_found_page(),
    };
    // `/api/v1/namespaces/NAME` is the namespace itself.
    let (ns, plural, name) = match (ns, plural, name) {
        (Some(n), "", None) => (None, "namespaces", Some(n)),
        other => other,
    };
    let Some(info) = kind(group, version, plural) else {
        return not_found_page();
    };
    if ns.is_some() && !info.namespaced {
        return not_found_page();
    }
    // The handlers of a deprecated resource warn on every answer, errors included.
    let warnings: Vec<String> = super::warning::deprecated_api(info)
        .map(|t| super::warning::header_value(&t))
        .into_iter()
        .collect();
    let answer = match name {
        Some(n) => match store.get(info, ns.filter(|_| info.namespaced), n) {
            Ok(obj) => ok(api::omitempty::to_json(&obj)),
            Err(e) => error(&e),
        },
        None => {
            let opts = ListOptions {
                label_selector: query.get("labelSelector").cloned().unwrap_or_default(),
                field_selector: query.get("fieldSelector").cloned().unwrap_or_default(),
                ..Default::default()
            };
            match store.list(info, ns, &opts) {
                Ok(list) => {
                    let items: Vec<Value> = list
                        .items
                        .iter()
                        .map(|o| {
                            let mut v = api::omitempty::to_json(o);
                            if let Some(m) = v.as_object_mut() {
                                m.remove("apiVersion");
                                m.remove("kind");
                            }
                            v
                        })
                        .collect();
                    ok(json!({
                        "kind": format!("{}List", info.kind),
                        "apiVersion": info.api_version(),
                        "metadata": {"resourceVersion": list.resource_version},
                        "items": items,
                    }))
                }
                Err(e) => error(&e),
            }
        }
    };
    RestResponse { warnings, ..answer }
}

fn kind(group: &str, version: &str, plural: &str) -> Option<&'static KindInfo> {
    kinds_of(group, version).into_iter().find(|k| k.plural == plural)
}

/// `a=b&c=d`, with `%XX` and `+` decoded.
fn parse_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The server pretty-prints JSON for curl and wget (their user agents ask for it).
fn ok(v: Value) -> RestResponse {
    RestResponse {
        status: 200,
        content_type: "application/json",
        body: pretty(&v),
        warnings: Vec::new(),
    }
}

fn error(e: &super::StoreError) -> RestResponse {
    RestResponse {
        status: e.code(),
        content_type: "application/json",
        body: pretty(&e.to_status_json()),
        warnings: Vec::new(),
    }
}

/// A failed request's `Status` object (metav1.Status), as the API server writes it.
pub fn failure_status(code: u16, reason: &str, message: &str) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    })
}

fn status(code: u16, reason: &str, message: &str) -> RestResponse {
    RestResponse {
        status: code,
        content_type: "application/json",
        body: pretty(&failure_status(code, reason, message)),
        warnings: Vec::new(),
    }
}

/// What Go's mux answers for a path no handler serves.
fn not_found_page() -> RestResponse {
    RestResponse {
        status: 404,
        content_type: "text/plain; charset=utf-8",
        body: "404 page not found\n".into(),
        warnings: Vec::new(),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_and_not_found() {
        let store = Store::new(crate::SimRng::seeded(1));
        let r = serve(&store, "GET", "/apis/batch/v1");
        assert_eq!(r.status, 200);
        assert!(r.body.contains("\"groupVersion\": \"batch/v1\""), "{}", r.body);
        assert!(r.body.contains("\"name\": \"jobs\""), "{}", r.body);
        let r = serve(&store, "GET", "/api/v1/namespaces/default/pods/nope");
        assert_eq!(r.status, 404);
        assert!(r.body.contains("pods \\\"nope\\\" not found"), "{}", r.body);
        assert_eq!(serve(&store, "GET", "/nothing").body, "404 page not found\n");
        assert_eq!(serve(&store, "POST", "/api/v1/namespaces/default/pods").status, 405);
    }

    #[test]
    fn deprecated_resources_answer_with_a_warning_header() {
        let store = Store::new(crate::SimRng::seeded(1));
        let want = vec![r#"299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice""#.to_string()];
        assert_eq!(serve(&store, "GET", "/api/v1/endpoints").warnings, want);
        let missing = serve(&store, "GET", "/api/v1/namespaces/default/endpoints/nope");
        assert_eq!((missing.status, missing.warnings), (404, want));
        assert!(serve(&store, "GET", "/api/v1/pods").warnings.is_empty());
    }

    #[test]
    fn query_decoding() {
        let q = parse_query("labelSelector=app%3Dweb&x=a+b");
        assert_eq!(q.get("labelSelector").map(String::as_str), Some("app=web"));
        assert_eq!(q.get("x").map(String::as_str), Some("a b"));
    }
}
