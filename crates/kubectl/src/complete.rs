//! Tab completion of kubectl command lines: commands and subcommands, resource types, object
//! names from the cluster, flag names, `-o` formats, namespaces and file names for `-f`.
//!
//! What is proposed follows kubectl's cobra completion (`kubectl __complete`, v1.34
//! staging/src/k8s.io/kubectl/pkg/util/completion/completion.go): resource types by their
//! plural names, object names of the type already typed (in the namespace of `-n` or the
//! context), pod names for `logs`/`exec`/`port-forward`, node names for `cordon`/`drain`.
//! One deliberate difference for a terminal without a menu: a type typed exactly by its short
//! or singular name (`po`) completes to its plural (`pods`) alone.

use std::collections::BTreeSet;

use api::KindInfo;
use cluster::Store;

use crate::commands::{COMMANDS, Command, GLOBAL_FLAGS, find};
use crate::parse::{FlagKind, FlagSpec};
use crate::{Files, Kubeconfig};

/// Verbs whose first argument is a resource type (then object names of that type).
const TYPE_VERBS: &[&str] = &[
    "get", "describe", "delete", "edit", "label", "annotate", "scale", "patch", "explain",
    "expose", "autoscale", "wait", "history", "pause", "resume", "restart", "status", "undo",
    "image", "env", "resources", "selector", "serviceaccount", "top",
];
/// Verbs whose arguments are pod names.
const POD_VERBS: &[&str] = &["logs", "exec", "attach", "port-forward", "cp", "debug"];
/// Verbs whose arguments are node names.
const NODE_VERBS: &[&str] = &["cordon", "uncordon", "drain"];
/// `-o` values kubectl knows.
const OUTPUT_FORMATS: &[&str] = &[
    "json", "yaml", "wide", "name", "custom-columns=", "custom-columns-file=", "go-template=",
    "go-template-file=", "jsonpath=", "jsonpath-file=", "jsonpath-as-json=",
];

/// What the completer may look at.
pub struct CompleteEnv<'a> {
    pub store: &'a Store,
    pub files: &'a dyn Files,
    pub config: &'a Kubeconfig,
}

/// Candidates for the word being typed, each a whole replacement for it, sorted. `args` are
/// the finished words after `kubectl`; `current` is the (possibly empty) word at the cursor.
pub fn complete(args: &[String], current: &str, env: &CompleteEnv<'_>) -> Vec<String> {
    let (command, positionals, pending_flag) = walk(args);
    // `--flag=value`: complete the value, keeping the `--flag=` part.
    if let Some((name, value)) = current.strip_prefix("--").and_then(|c| c.split_once('='))
        && let Some(flag) = flag_named(command, name)
    {
        return flag_values(flag, value, args, env)
            .into_iter()
            .map(|v| format!("--{name}={v}"))
            .collect();
    }
    if let Some(flag) = pending_flag {
        return flag_values(flag, current, args, env);
    }
    if current.starts_with('-') {
        return flag_names(command, current);
    }
    let Some(command) = command else {
        return matching(COMMANDS.iter().map(|c| c.name.to_string()), current);
    };
    if !command.subcommands.is_empty() && positionals.is_empty() {
        return matching(command.subcommands.iter().map(|c| c.name.to_string()), current);
    }
    if POD_VERBS.contains(&command.name) {
        return if positionals.is_empty() { names(kind("pods"), args, current, env) } else { Vec::new() };
    }
    if NODE_VERBS.contains(&command.name) {
        return names(kind("nodes"), args, current, env);
    }
    if command.name == "taint" {
        return match positionals.first() {
            None => matching(["nodes".to_string()], current),
            Some(_) => names(kind("nodes"), args, current, env),
        };
    }
    if !TYPE_VERBS.contains(&command.name) {
        return Vec::new();
    }
    match positionals.first() {
        None => {
            if let Some((ty, name)) = current.split_once('/') {
                let Some(info) = api::resolve_resource(ty) else { return Vec::new() };
                return names(Some(info), args, name, env)
                    .into_iter()
                    .map(|n| format!("{ty}/{n}"))
                    .collect();
            }
            types(current)
        }
        Some(_) if command.name == "explain" => Vec::new(),
        Some(ty) if !ty.contains('/') => {
            let infos: Vec<&KindInfo> = ty.split(',').filter_map(api::resolve_resource).collect();
            match infos.as_slice() {
                [info] => names(Some(info), args, current, env),
                _ => Vec::new(),
            }
        }
        Some(_) => Vec::new(),
    }
}

/// The command path the words name (`rollout status` → `status`), the positional words
/// after it, and a flag still waiting for its value.
fn walk(args: &[String]) -> (Option<&'static Command>, Vec<&str>, Option<&'static FlagSpec>) {
    let mut command: Option<&'static Command> = None;
    let mut positionals = Vec::new();
    let mut pending = None;
    for word in args {
        if pending.take().is_some() {
            continue;
        }
        if word == "--" {
            continue;
        }
        if let Some(flag_word) = word.strip_prefix('-').filter(|w| !w.is_empty()) {
            if flag_word.contains('=') {
                continue;
            }
            let flag = match flag_word.strip_prefix('-') {
                Some(long) => flag_named(command, long),
                // `-n` takes a value; `-nfoo` already holds it; grouped booleans take none.
                None if flag_word.chars().count() == 1 => {
                    flag_word.chars().next().and_then(|c| flag_short(command, c))
                }
                None => None,
            };
            if let Some(f) = flag.filter(|f| f.kind != FlagKind::Bool && f.no_opt.is_none()) {
                pending = Some(f);
            }
            continue;
        }
        let sub = match command {
            None => find(COMMANDS, word),
            Some(c) if positionals.is_empty() => find(c.subcommands, word),
            Some(_) => None,
        };
        match sub {
            Some(c) => command = Some(c),
            None => positionals.push(word.as_str()),
        }
    }
    (command, positionals, pending)
}

fn flags_of(command: Option<&'static Command>) -> impl Iterator<Item = &'static FlagSpec> {
    command.into_iter().flat_map(|c| c.flags.iter()).chain(GLOBAL_FLAGS.iter())
}

fn flag_named(command: Option<&'static Command>, name: &str) -> Option<&'static FlagSpec> {
    flags_of(command).find(|f| f.long == name)
}

fn flag_short(command: Option<&'static Command>, c: char) -> Option<&'static FlagSpec> {
    flags_of(command).find(|f| f.short == Some(c))
}

fn flag_names(command: Option<&'static Command>, current: &str) -> Vec<String> {
    matching(flags_of(command).map(|f| format!("--{}", f.long)), current)
}

fn flag_values(flag: &FlagSpec, current: &str, args: &[String], env: &CompleteEnv<'_>) -> Vec<String> {
    match flag.long {
        "filename" | "kustomize" => file_names(env.files, current),
        "namespace" => names(kind("namespaces"), args, current, env),
        "output" => matching(OUTPUT_FORMATS.iter().map(|s| s.to_string()), current),
        "context" => matching(env.config.contexts.keys().cloned(), current),
        _ => Vec::new(),
    }
}

fn kind(plural: &str) -> Option<&'static KindInfo> {
    api::resolve_resource(plural)
}

/// Resource types by plural name; an exact short or singular name gives its plural alone.
fn types(current: &str) -> Vec<String> {
    let served = || api::kinds::KINDS.iter().filter(|k| k.preferred);
    if !current.is_empty()
        && let Some(k) = served().find(|k| {
            k.plural == current || k.singular() == current || k.short_names.contains(&current)
        })
    {
        return vec![k.plural.to_string()];
    }
    matching(served().map(|k| k.plural.to_string()), current)
}

/// Names of objects of a kind, in the namespace the line names (or all with `-A`).
fn names(info: Option<&KindInfo>, args: &[String], current: &str, env: &CompleteEnv<'_>) -> Vec<String> {
    let Some(info) = info else { return Vec::new() };
    let all = args.iter().any(|a| a == "-A" || a == "--all-namespaces");
    let namespace = (info.namespaced && !all).then(|| namespace_of(args, env.config));
    let Ok(list) = env.store.list(info, namespace.as_deref(), &Default::default()) else {
        return Vec::new();
    };
    matching(list.items.iter().filter_map(|o| o.meta().name.clone()), current)
}

/// The namespace of `-n`/`--namespace` on the line, else the context's.
pub fn namespace_of(args: &[String], config: &Kubeconfig) -> String {
    let mut found = None;
    let mut iter = args.iter().peekable();
    while let Some(a) = iter.next() {
        if a == "-n" || a == "--namespace" {
            found = iter.peek().map(|s| s.to_string());
        } else if let Some(v) = a.strip_prefix("--namespace=").or_else(|| a.strip_prefix("-n=")) {
            found = Some(v.to_string());
        } else if let Some(v) = a.strip_prefix("-n").filter(|v| !v.is_empty() && !a.starts_with("--")) {
            found = Some(v.to_string());
        }
    }
    found.unwrap_or_else(|| config.namespace(None))
}

/// Lab files and directories (with a trailing `/`) under the directory part of `current`.
pub fn file_names(files: &dyn Files, current: &str) -> Vec<String> {
    let (dir, _) = current.rsplit_once('/').unwrap_or(("", current));
    let listed = if dir.is_empty() { "." } else { dir };
    let mut out = BTreeSet::new();
    for path in files.list_files(listed, true) {
        let rel = path.strip_prefix("./").unwrap_or(&path);
        let rest = if dir.is_empty() { rel } else { rel.strip_prefix(dir).and_then(|r| r.strip_prefix('/')).unwrap_or(rel) };
        let entry = match rest.split_once('/') {
            Some((d, _)) => format!("{d}/"),
            None => rest.to_string(),
        };
        let word = if dir.is_empty() { entry } else { format!("{dir}/{entry}") };
        if word.starts_with(current) {
            out.insert(word);
        }
    }
    out.into_iter().collect()
}

fn matching(words: impl IntoIterator<Item = String>, prefix: &str) -> Vec<String> {
    // Not `collect`: its sort would be built again for every caller's iterator type.
    let set = machinery::sort::set_of(words.into_iter().filter(|w| w.starts_with(prefix)));
    set.into_iter().collect()
}

/// The longest text every candidate starts with.
pub fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else { return String::new() };
    let mut end = first.len();
    for c in &candidates[1..] {
        end = first
            .char_indices()
            .zip(c.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoFiles;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn check(line: &str, current: &str, want: &[&str]) {
        let cluster = cluster::presets::multinode(1);
        let config = Kubeconfig::default();
        let env = CompleteEnv { store: cluster.store(), files: &NoFiles, config: &config };
        assert_eq!(complete(&words(line), current, &env), want, "{line:?} + {current:?}");
    }

    #[test]
    fn commands_subcommands_and_types() {
        check("", "scal", &["scale"]);
        check("rollout", "st", &["status"]);
        check("get", "po", &["pods"]);
        check("get", "deploy", &["deployments"]);
        check("describe", "replicas", &["replicasets"]);
        check("create", "deploy", &["deployment"]);
    }

    #[test]
    fn names_from_the_cluster_in_the_right_namespace() {
        check("get nodes", "minikube-m", &["minikube-m02", "minikube-m03"]);
        check("cordon", "minikube-m0", &["minikube-m02", "minikube-m03"]);
        check("get pods", "", &[]);
        check("-n kube-system get pods", "etcd-", &["etcd-minikube"]);
        check("get pods --namespace=kube-system", "kube-sch", &["kube-scheduler-minikube"]);
        check("get", "nodes/minikube-m02", &["nodes/minikube-m02"]);
        check("get pods -n", "kube-", &["kube-node-lease", "kube-public", "kube-system"]);
    }

    #[test]
    fn flags_and_their_values() {
        check("get pods", "--all-n", &["--all-namespaces"]);
        check("get pods -o", "ya", &["yaml"]);
        check("get pods", "--output=js", &["--output=json", "--output=jsonpath-as-json=", "--output=jsonpath-file=", "--output=jsonpath="]);
    }

    #[test]
    fn common_prefix_of_candidates() {
        assert_eq!(common_prefix(&words("minikube-m02 minikube-m03")), "minikube-m0");
        assert_eq!(common_prefix(&[]), "");
    }
}
