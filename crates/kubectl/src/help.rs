//! `--help` text in the shape kubectl v1.34's templater prints
//! (staging/src/k8s.io/kubectl/pkg/util/templates/templater.go): description, `Examples:`,
//! `Available Commands:`, `Options:` (one flag per entry, its usage on tab-indented lines),
//! `Usage:`, and the footers.

use crate::commands::{COMMANDS, Command, GLOBAL_FLAGS, GROUPS};
use crate::parse::FlagSpec;

/// `kubectl --help`.
pub fn root_help() -> String {
    let mut out = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n",
    );
    for (group, names) in GROUPS {
        out.push_str(&format!("\n{group}:\n"));
        for name in *names {
            let short = COMMANDS
                .iter()
                .find(|c| c.name == *name)
                .map_or("", |c| c.short);
            out.push_str(&format!("  {name:<15} {short}\n"));
        }
    }
    out.push_str("\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

/// `kubectl options`.
pub fn options_help() -> String {
    let mut out = String::from("The following options can be passed to any command:\n\n");
    out.push_str(&flags_block(
        &GLOBAL_FLAGS
            .iter()
            .filter(|f| f.long != "help")
            .collect::<Vec<_>>(),
    ));
    out
}

/// `kubectl <path> --help`.
pub fn command_help(path: &str, cmd: &Command) -> String {
    let mut out = String::new();
    let long = if cmd.long.is_empty() {
        format!("{}.", cmd.short)
    } else {
        cmd.long.to_string()
    };
    out.push_str(&long);
    out.push('\n');
    if !cmd.examples.is_empty() {
        out.push_str("\nExamples:\n");
        out.push_str(cmd.examples);
        out.push('\n');
    }
    if !cmd.subcommands.is_empty() {
        out.push_str("\nAvailable Commands:\n");
        let width = cmd
            .subcommands
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0)
            .max(11)
            + 2;
        for sub in cmd.subcommands {
            out.push_str(&format!("  {:<width$}{}\n", sub.name, sub.short));
        }
    }
    let flags: Vec<&FlagSpec> = cmd.flags.iter().collect();
    if !flags.is_empty() {
        out.push_str("\nOptions:\n");
        out.push_str(&flags_block(&flags));
    }
    out.push_str(&format!("\nUsage:\n  {}\n\n", cmd.usage));
    if !cmd.subcommands.is_empty() {
        out.push_str(&format!(
            "Use \"{path} <command> --help\" for more information about a given command.\n"
        ));
    }
    out.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

fn flags_block(flags: &[&FlagSpec]) -> String {
    let mut sorted: Vec<&&FlagSpec> = flags.iter().collect();
    machinery::sort::sort_by_key(&mut sorted, |f| f.long);
    let mut out = String::new();
    for f in sorted {
        let name = match f.short {
            Some(c) => format!("    -{c}, --{}={}:", f.long, f.default),
            None => format!("    --{}={}:", f.long, f.default),
        };
        out.push_str(&name);
        out.push('\n');
        for line in wrap(f.usage, 112) {
            out.push('\t');
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        if !cur.is_empty() && cur.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}
