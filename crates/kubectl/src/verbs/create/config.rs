//! `create namespace|serviceaccount|configmap|secret generic|secret tls|secret
//! docker-registry|quota`, and the `--from-literal/--from-file/--from-env-file` sources.
//!
//! Mirrors create_namespace.go, create_serviceaccount.go, create_configmap.go,
//! create_secret.go, create_secret_tls.go, create_secret_docker.go, create_quota.go and
//! cmd/util's ParseLiteralSource/ParseFileSource/AddFromEnvFile (v1.34). Files are read
//! through the lab's `Files`.

use std::collections::BTreeMap;

use machinery::validation::{is_config_map_key, is_env_var_name};
use serde_json::{Map, Value, json};

use super::{Args, Ctx, Generated, base64};
use crate::errors::KubectlError;
use crate::{Env, FileError};

pub fn namespace(args: &Args) -> Generated {
    // create_namespace.go returns the server's error as it is.
    Generated::plain(json!({
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": args.name},
        "spec": {},
        "status": {},
    }))
}

pub fn service_account(args: &Args) -> Generated {
    Generated::new(
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": args.name}}),
        "failed to create serviceaccount: ",
    )
}

/// Which object the data goes to, for its error texts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    ConfigMap,
    Secret,
}

/// Key → value, in the order kubectl fills its map (printed sorted anyway).
struct Data<'a> {
    target: Target,
    name: &'a str,
    map: BTreeMap<String, String>,
}

impl Data<'_> {
    /// validateNewConfigMap / validateNewSecret.
    fn add(&mut self, key: &str, value: String) -> Result<(), KubectlError> {
        let errs = is_config_map_key(key);
        match self.target {
            Target::ConfigMap => {
                if !errs.is_empty() {
                    return Err(KubectlError::msg(format!(
                        "{key:?} is not a valid key name for a ConfigMap: {}",
                        errs.join(",")
                    )));
                }
                if self.map.contains_key(key) {
                    return Err(KubectlError::msg(format!(
                        "cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {:?}",
                        self.name
                    )));
                }
            }
            Target::Secret => {
                if !errs.is_empty() {
                    return Err(KubectlError::msg(format!(
                        "{key:?} is not valid key name for a Secret {}",
                        errs.join(";")
                    )));
                }
                if self.map.contains_key(key) {
                    return Err(KubectlError::msg(format!(
                        "cannot add key {key}, another key by that name already exists"
                    )));
                }
            }
        }
        self.map.insert(key.to_string(), value);
        Ok(())
    }
}

/// `error reading <path>: no such file or directory`.
fn read_error(path: &str) -> KubectlError {
    KubectlError::msg(format!("error reading {path}: no such file or directory"))
}

fn read(env: &Env<'_>, path: &str) -> Result<String, KubectlError> {
    env.files.read(path).map_err(|e| match e {
        FileError::NotFound(_) => read_error(path),
        FileError::IsDirectory(_) => KubectlError::msg(format!("read {path}: is a directory")),
    })
}

fn exists(env: &Env<'_>, path: &str) -> bool {
    env.files.is_dir(path) || env.files.read(path).is_ok()
}

/// `--from-literal`, `--from-file` and `--from-env-file` into `data`.
fn collect(ctx: &Ctx, env: &Env<'_>, data: &mut Data<'_>) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let literals = p.all("from-literal");
    let files = p.all("from-file");
    let env_files = p.all("from-env-file");
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err(KubectlError::msg(
            "from-env-file cannot be combined with from-file or from-literal",
        ));
    }
    for source in &files {
        // ParseFileSource: `path` or `key=path`.
        let (key, path) = match source.split('=').collect::<Vec<_>>().as_slice() {
            [path] => (None, path.to_string()),
            ["", _] => {
                return Err(KubectlError::msg(format!(
                    "key name for file path {} missing",
                    source.split_once('=').map_or("", |x| x.1)
                )));
            }
            [key, path] => (Some(key.to_string()), path.to_string()),
            _ => {
                return Err(KubectlError::msg(
                    "key names or file paths cannot contain '='",
                ));
            }
        };
        if !exists(env, &path) {
            return Err(read_error(&path));
        }
        if env.files.is_dir(&path) {
            if key.is_some() {
                return Err(KubectlError::msg(
                    "cannot give a key name for a directory path",
                ));
            }
            for f in env.files.list_files(&path, false) {
                let k = f.rsplit('/').next().unwrap_or(&f).to_string();
                data.add(&k, read(env, &f)?)?;
            }
        } else {
            let k = key.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_string());
            data.add(&k, read(env, &path)?)?;
        }
    }
    for source in &literals {
        // ParseLiteralSource: `key=value`, quotes around the value trimmed.
        let Some((k, v)) = source.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(KubectlError::msg(format!(
                "invalid literal source {source}, expected key=value"
            )));
        };
        data.add(k, v.trim_matches(|c| c == '"' || c == '\'').to_string())?;
    }
    for path in &env_files {
        if env.files.is_dir(path) {
            return Err(KubectlError::msg(match data.target {
                Target::ConfigMap => "env config file cannot be a directory",
                Target::Secret => "env secret file cannot be a directory",
            }));
        }
        if !exists(env, path) {
            return Err(read_error(path));
        }
        // cmdutil.AddFromEnvFile: `KEY=value` lines; blank lines and `#` comments skipped.
        for line in read(env, path)?.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            let errs = is_env_var_name(k);
            if !errs.is_empty() {
                return Err(KubectlError::msg(format!(
                    "{k:?} is not a valid key name: {}",
                    errs.join(";")
                )));
            }
            data.add(k, v.to_string())?;
        }
    }
    Ok(())
}

pub fn config_map(args: &Args, ctx: &Ctx, env: &Env<'_>) -> Result<Generated, KubectlError> {
    let mut data = Data {
        target: Target::ConfigMap,
        name: &args.name,
        map: BTreeMap::new(),
    };
    collect(ctx, env, &mut data)?;
    let mut value =
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": args.name}});
    if !data.map.is_empty() {
        value["data"] = json!(data.map);
    }
    let mut generated = Generated::new(value, "failed to create configmap: ");
    if ctx.parsed.bool("append-hash") {
        append_hash(&mut generated.value);
    }
    Ok(generated)
}

fn secret(name: &str, type_: &str, data: BTreeMap<String, String>) -> Value {
    let mut value = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}});
    if !data.is_empty() {
        let encoded: Map<String, Value> = data
            .into_iter()
            .map(|(k, v)| (k, Value::String(base64(v.as_bytes()))))
            .collect();
        value["data"] = Value::Object(encoded);
    }
    if !type_.is_empty() {
        value["type"] = json!(type_);
    }
    value
}

/// create_secret.go wraps server errors without a colon.
const SECRET_FAILURE: &str = "failed to create secret ";

pub fn secret_generic(args: &Args, ctx: &Ctx, env: &Env<'_>) -> Result<Generated, KubectlError> {
    let mut data = Data {
        target: Target::Secret,
        name: &args.name,
        map: BTreeMap::new(),
    };
    collect(ctx, env, &mut data)?;
    let type_ = ctx.parsed.string("type").unwrap_or("");
    let mut generated = Generated::new(secret(&args.name, type_, data.map), SECRET_FAILURE);
    if ctx.parsed.bool("append-hash") {
        append_hash(&mut generated.value);
    }
    Ok(generated)
}

pub fn secret_tls(args: &Args, ctx: &Ctx, env: &Env<'_>) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let cert = p.string("cert").unwrap_or("");
    let key = p.string("key").unwrap_or("");
    if cert.is_empty() || key.is_empty() {
        return Err(KubectlError::msg("key and cert must be specified"));
    }
    let open = |path: &str| {
        env.files
            .read(path)
            .map_err(|_| KubectlError::msg(format!("open {path}: no such file or directory")))
    };
    let cert_text = open(cert)?;
    let key_text = open(key)?;
    // tls.X509KeyPair's first checks: PEM blocks of the right types. (The simulator does no
    // cryptography, so a certificate and key that do not belong together are accepted.)
    if !cert_text.contains("-----BEGIN ") {
        return Err(KubectlError::msg(
            "tls: failed to find any PEM data in certificate input",
        ));
    }
    if !cert_text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(KubectlError::msg(
            "tls: failed to find \"CERTIFICATE\" PEM block in certificate input",
        ));
    }
    if !key_text.contains("-----BEGIN ") {
        return Err(KubectlError::msg(
            "tls: failed to find any PEM data in key input",
        ));
    }
    if !key_text.contains("PRIVATE KEY-----") {
        return Err(KubectlError::msg(
            "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input",
        ));
    }
    let mut data = BTreeMap::new();
    data.insert("tls.crt".to_string(), cert_text);
    data.insert("tls.key".to_string(), key_text);
    let mut generated = Generated::new(
        secret(&args.name, "kubernetes.io/tls", data),
        SECRET_FAILURE,
    );
    if p.bool("append-hash") {
        append_hash(&mut generated.value);
    }
    Ok(generated)
}

pub fn secret_docker_registry(
    args: &Args,
    ctx: &Ctx,
    env: &Env<'_>,
) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let user = p.string("docker-username").unwrap_or("");
    let password = p.string("docker-password").unwrap_or("");
    let email = p.string("docker-email").unwrap_or("");
    let server = p
        .string("docker-server")
        .unwrap_or("https://index.docker.io/v1/");
    let files = p.all("from-file");
    if files.is_empty() && (user.is_empty() || password.is_empty() || server.is_empty()) {
        return Err(KubectlError::msg(
            "either --from-file or the combination of --docker-username, --docker-password and --docker-server is required",
        ));
    }
    let mut data = Data {
        target: Target::Secret,
        name: &args.name,
        map: BTreeMap::new(),
    };
    if files.is_empty() {
        // DockerConfigJSON{Auths: {server: {username, password, email, auth}}}: encoding/json
        // writes struct fields in their declared order and drops empty ones.
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let auth = base64(format!("{user}:{password}").as_bytes());
        let fields: Vec<String> = [
            ("username", user),
            ("password", password),
            ("email", email),
            ("auth", auth.as_str()),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
        .collect();
        let config = format!(
            "{{\"auths\":{{{}:{{{}}}}}}}",
            quote(server),
            fields.join(",")
        );
        data.map.insert(".dockerconfigjson".into(), config);
    } else {
        collect(ctx, env, &mut data)?;
    }
    let mut generated = Generated::new(
        secret(&args.name, "kubernetes.io/dockerconfigjson", data.map),
        SECRET_FAILURE,
    );
    if p.bool("append-hash") {
        append_hash(&mut generated.value);
    }
    Ok(generated)
}

/// `--append-hash`: hash.ConfigMapHash / hash.SecretHash — the SHA-256 of
/// `{"data":…,"kind":…,"name":…[,"type":…]}` (keys sorted, as encoding/json writes a map),
/// its first ten hex digits with `0 1 3 a e` replaced by `g h k m t`, appended to the name.
fn append_hash(value: &mut Value) {
    use sha2::{Digest, Sha256};
    let kind = value["kind"].as_str().unwrap_or("").to_string();
    let name = value["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut m = Map::new();
    m.insert(
        "data".into(),
        value.get("data").cloned().unwrap_or(json!({})),
    );
    m.insert("kind".into(), json!(kind));
    m.insert("name".into(), json!(name));
    if kind == "Secret" {
        m.insert(
            "type".into(),
            value.get("type").cloned().unwrap_or(json!("")),
        );
    }
    // encoding/json escapes these for HTML; serde_json does not.
    let text = serde_json::to_string(&Value::Object(m))
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let digest = Sha256::digest(text.as_bytes());
    let encoded: String = digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
        .chars()
        .take(10)
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            other => other,
        })
        .collect();
    value["metadata"]["name"] = json!(format!("{name}-{encoded}"));
}

pub fn quota(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let mut spec = Map::new();
    let hard = p.string("hard").unwrap_or("");
    if !hard.is_empty() {
        let mut list = Map::new();
        for statement in hard.split(',') {
            let parts: Vec<&str> = statement.split('=').collect();
            let [resource, quantity] = parts.as_slice() else {
                return Err(KubectlError::msg(format!(
                    "Invalid argument syntax {statement}, expected <resource>=<value>"
                )));
            };
            let q = machinery::quantity::Quantity::parse(quantity)
                .map_err(|e| KubectlError::msg(e.to_string()))?;
            list.insert(resource.to_string(), json!(q.to_string()));
        }
        spec.insert("hard".into(), Value::Object(list));
    }
    let scopes = p.string("scopes").unwrap_or("");
    if !scopes.is_empty() {
        let mut list = Vec::new();
        for s in scopes.split(',') {
            if s.is_empty() {
                return Err(KubectlError::msg("invalid resource quota scope \"\""));
            }
            list.push(json!(s));
        }
        spec.insert("scopes".into(), Value::Array(list));
    }
    Ok(Generated::new(
        json!({
            "apiVersion": "v1", "kind": "ResourceQuota",
            "metadata": {"name": args.name},
            "spec": spec,
            "status": {},
        }),
        "failed to create quota: ",
    ))
}
