//! Finding the command a line names, parsing its flags, and running it.
//!
//! The command path is found as cobra does (command.go `Find` with `stripFlags`): flags may
//! come before the verb (`kubectl -n luffy get po`), and a flag word without `=` is taken to
//! consume the next word unless it is a known boolean.

pub mod apply;
pub mod attach;
pub mod autoscale;
pub mod auth;
pub mod clusterinfo_dump;
pub mod cp;
pub mod create;
pub mod delete;
pub mod diff;
pub mod drain;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
pub mod get;
pub mod info;
pub mod label;
pub mod logs;
pub mod nodes;
pub mod overrides;
pub mod patch;
pub mod portforward;
pub mod replace;
pub mod printing;
pub mod proxy;
pub mod rollout;
pub mod rollout_template;
pub mod run;
pub mod scale;
pub mod set;
mod threeway;
pub mod top;
pub mod wait;

use crate::commands::{self, COMMANDS, Command, GLOBAL_FLAGS};
use crate::errors::KubectlError;
use crate::help;
use crate::parse::{self, FlagSpec, Parsed};
use crate::{Env, Outcome};

/// How a write is sent (`--dry-run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// The suffix the name printer adds: ` (dry run)`, ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// One parsed invocation.
pub struct Ctx {
    /// `kubectl get`, `kubectl rollout status`.
    pub path: String,
    pub parsed: Parsed,
    /// The request namespace: `-n`, else the context's.
    pub namespace: String,
    /// Whether `-n` was given.
    pub explicit_namespace: bool,
}

impl Ctx {
    pub fn all_namespaces(&self) -> bool {
        self.parsed.bool("all-namespaces")
    }

    /// `--dry-run`.
    ///
    /// # Errors
    /// kubectl's message for an unknown value.
    pub fn dry_run(&self) -> Result<DryRun, KubectlError> {
        match self.parsed.string("dry-run") {
            None | Some("none") => Ok(DryRun::None),
            Some("client") | Some("unchanged") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(KubectlError::msg(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ))),
        }
    }

    /// A usage error of this command.
    pub fn usage(&self, m: impl Into<String>) -> KubectlError {
        KubectlError::usage(&self.path, m)
    }

    /// The namespace to send for a kind: None for cluster-scoped kinds.
    pub fn ns_for(&self, info: &api::KindInfo) -> Option<&str> {
        info.namespaced.then_some(self.namespace.as_str())
    }

    /// `-f` values.
    pub fn filenames(&self) -> Vec<String> {
        self.parsed.all("filename")
    }
}

/// Runs one kubectl command line.
///
/// # Errors
/// Any `KubectlError`; the caller prints it.
pub fn dispatch(args: &[String], env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let globals: Vec<&FlagSpec> = GLOBAL_FLAGS.iter().collect();
    let root_positionals = parse::leading_positionals(args, &globals);
    let Some(&(verb_index, verb)) = root_positionals.first() else {
        // `kubectl`, `kubectl -h`: the root help (cobra prints it to stdout).
        let parsed = parse::parse(args, &globals).map_err(|source| KubectlError::Flag {
            source,
            command: "kubectl".into(),
        })?;
        let _ = parsed;
        out.out_block(&help::root_help());
        return Ok(());
    };
    if verb == "help" {
        let rest: Vec<&str> = root_positionals[1..].iter().map(|(_, w)| *w).collect();
        return help_for(&rest, out);
    }
    let Some(mut cmd) = commands::find(COMMANDS, verb) else {
        // cobra sorts commands by name before suggesting.
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.push("help");
        names.sort_unstable();
        return Err(KubectlError::UnknownCommand {
            name: verb.to_string(),
            parent: "kubectl".into(),
            suggestions: crate::suggest::suggestions(verb, &names),
        });
    };
    let mut path = format!("kubectl {}", cmd.name);
    let mut used = vec![verb_index];
    while !cmd.subcommands.is_empty() {
        let flags: Vec<&FlagSpec> = GLOBAL_FLAGS.iter().chain(cmd.flags.iter()).collect();
        let next = parse::leading_positionals(args, &flags)
            .into_iter()
            .find(|(i, _)| !used.contains(i));
        match next.and_then(|(i, w)| commands::find(cmd.subcommands, w).map(|c| (i, c))) {
            Some((i, sub)) => {
                used.push(i);
                path.push(' ');
                path.push_str(sub.name);
                cmd = sub;
            }
            None => break,
        }
    }
    let rest: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, w)| w.clone())
        .collect();
    let flags: Vec<&FlagSpec> = cmd.flags.iter().chain(GLOBAL_FLAGS.iter()).collect();
    let parsed = parse::parse(&rest, &flags).map_err(|source| KubectlError::Flag {
        source,
        command: path.clone(),
    })?;
    if parsed.bool("help") {
        out.out_block(&help::command_help(&path, cmd));
        return Ok(());
    }
    if let Some(ctx_name) = parsed.string("context")
        && !env.config.contexts.contains_key(ctx_name)
    {
        return Err(KubectlError::msg(format!(
            "context was not found for specified context: {ctx_name}"
        )));
    }
    if !path.starts_with("kubectl config ")
        && path != "kubectl options"
        && parsed.string("cluster") != Some(env.config.cluster.as_str())
        && !env.config.reaches_cluster(parsed.string("context"))
    {
        return Err(KubectlError::Raw(crate::errors::connection_refused(
            "localhost:8080",
            false,
            env.store.now(),
        )));
    }
    let explicit_namespace = parsed.has("namespace");
    let namespace = match parsed.string("namespace") {
        Some(ns) if !ns.is_empty() => ns.to_string(),
        _ => env.config.namespace(parsed.string("context")),
    };
    let ctx = Ctx {
        path,
        parsed,
        namespace,
        explicit_namespace,
    };
    // `--as`: every request of this command is made as the impersonated user.
    let impersonating = ctx.parsed.string("as").is_some_and(|s| !s.is_empty());
    if impersonating {
        env.store.set_requester(Some(auth::requester(&ctx)));
    }
    let result = run_command(cmd, &ctx, env, out);
    if impersonating {
        env.store.set_requester(None);
    }
    result
}

fn run_command(
    cmd: &Command,
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let args = &ctx.parsed.args;
    match ctx.path.as_str() {
        "kubectl get" => get::run(ctx, env, out),
        "kubectl describe" => crate::describe::run(ctx, env, out),
        "kubectl create" => create::run_files(ctx, env, out),
        "kubectl create namespace"
        | "kubectl create deployment"
        | "kubectl create configmap"
        | "kubectl create secret generic"
        | "kubectl create secret tls"
        | "kubectl create secret docker-registry"
        | "kubectl create job"
        | "kubectl create cronjob"
        | "kubectl create role"
        | "kubectl create clusterrole"
        | "kubectl create rolebinding"
        | "kubectl create clusterrolebinding"
        | "kubectl create ingress"
        | "kubectl create quota"
        | "kubectl create priorityclass"
        | "kubectl create poddisruptionbudget"
        | "kubectl create serviceaccount"
        | "kubectl create service clusterip"
        | "kubectl create service nodeport"
        | "kubectl create service loadbalancer"
        | "kubectl create service externalname" => create::run_generator(ctx, env, out),
        "kubectl apply" => apply::run(ctx, env, out),
        "kubectl delete" => delete::run(ctx, env, out),
        "kubectl run" => run::run(ctx, env, out),
        "kubectl expose" => run::expose(ctx, env, out),
        "kubectl label" => label::run(ctx, env, out, label::Field::Labels),
        "kubectl annotate" => label::run(ctx, env, out, label::Field::Annotations),
        "kubectl scale" => scale::run(ctx, env, out),
        "kubectl logs" => logs::run(ctx, env, out),
        "kubectl exec" => exec::run(ctx, env, out),
        "kubectl port-forward" => portforward::run(ctx, env, out),
        "kubectl cp" => cp::run(ctx, env, out),
        "kubectl patch" => patch::run(ctx, env, out),
        "kubectl wait" => wait::run(ctx, env, out),
        "kubectl events" => events::run(ctx, env, out),
        "kubectl set image" => set::image(ctx, env, out),
        "kubectl set env" => set::env(ctx, env, out),
        "kubectl set resources" => set::resources(ctx, env, out),
        "kubectl set selector" => set::selector(ctx, env, out),
        "kubectl rollout status"
        | "kubectl rollout history"
        | "kubectl rollout undo"
        | "kubectl rollout pause"
        | "kubectl rollout resume"
        | "kubectl rollout restart" => rollout::run(ctx, env, out),
        "kubectl edit" => edit::run(ctx, env, out),
        "kubectl diff" => diff::run(ctx, env, out),
        "kubectl proxy" => proxy::run(ctx, env, out),
        "kubectl api-resources" => info::api_resources(ctx, out),
        "kubectl api-versions" => info::api_versions(out),
        "kubectl version" => info::version(ctx, out),
        "kubectl cluster-info" => info::cluster_info(env, out),
        "kubectl cluster-info dump" => clusterinfo_dump::run(ctx, env, out),
        "kubectl options" => {
            out.out_block(&help::options_help());
            Ok(())
        }
        "kubectl explain" => explain::run(ctx, out),
        "kubectl config current-context"
        | "kubectl config get-contexts"
        | "kubectl config use-context"
        | "kubectl config set-context"
        | "kubectl config view" => info::config(ctx, env, out),
        "kubectl cordon" | "kubectl uncordon" => nodes::cordon(ctx, env, out),
        "kubectl taint" => nodes::taint(ctx, env, out),
        "kubectl drain" => drain::run(ctx, env, out),
        "kubectl autoscale" => autoscale::run(ctx, env, out),
        "kubectl replace" => replace::run(ctx, env, out),
        "kubectl top node" => top::node(ctx, env, out),
        "kubectl top pod" => top::pod(ctx, env, out),
        "kubectl auth can-i" => auth::can_i(ctx, env, out),
        _ if !cmd.subcommands.is_empty() => {
            // cobra's DefaultSubCommandRun: help on stderr, exit 1; stray words are an error.
            if !args.is_empty() {
                return Err(ctx.usage(format!("unknown command \"{}\"", args.join(" "))));
            }
            out.err(help::command_help(&ctx.path, cmd).trim_end());
            out.exit_code = 1;
            Ok(())
        }
        other => Err(KubectlError::msg(format!(
            "\"{}\" is not available in this lab yet",
            other.trim_start_matches("kubectl ")
        ))),
    }
}

fn help_for(words: &[&str], out: &mut Outcome) -> Result<(), KubectlError> {
    let Some(first) = words.first() else {
        out.out_block(&help::root_help());
        return Ok(());
    };
    let Some(mut cmd) = commands::find(COMMANDS, first) else {
        out.out(format!("Unknown help topic [`{first}`]"));
        out.out_block(&help::root_help());
        return Ok(());
    };
    let mut path = format!("kubectl {}", cmd.name);
    for w in &words[1..] {
        match commands::find(cmd.subcommands, w) {
            Some(sub) => {
                path.push(' ');
                path.push_str(sub.name);
                cmd = sub;
            }
            None => break,
        }
    }
    out.out_block(&help::command_help(&path, cmd));
    Ok(())
}
