//! The simulated container runtime's processes: a tiny interpreter of the shell subset that
//! tutorials use, resumable across simulated time.
//!
//! A script is compiled to flat instructions (commands and jumps); running it advances until a
//! `sleep` (the process yields until a later instant) or the end (`exit` status). Supported:
//! `;`, newlines, `&&`, `||`, `while …; do …; done`, `until …; do …; done`, `for v in …; do …; done`,
//! `if …; then …; else …; fi`, `sleep`, `echo`, `touch`, `rm`, `cat`, `ls`, `mkdir`, `date`,
//! `hostname`, `env`, `export`, `true`, `false`, `exit N`, `exec CMD…` (the kubelet starts the
//! program in the shell's place), `sed` (`runtime/sed`), `$VAR`, `NAME=value`,
//! `$(date)`/`$(hostname)`/`$(cat FILE)` and `>`/`>>`.
//! Images with `perl` or `python3` in the catalog run them (`perl`: π for the Job tutorial;
//! `python`: a small subset), taking simulated time to compute. Unknown commands print `sh: <cmd>: not found` and fail with 127. With a network handle
//! (`kubectl exec`), `curl`, `wget`, `nslookup`, `ping` and `nc` reach the simulated network
//! (crate::network::tools); a container's own process asks the cluster and waits for the
//! answer (`Process::network_request`); probes run without a network.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::network::tools::{self, Net};
use crate::time::{SimDuration, SimTime};

mod perl;
mod python;

/// What an interpreter (perl, python3) printed, its exit status and how long it computed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramRun {
    pub lines: Vec<String>,
    pub status: i32,
    pub took: SimDuration,
}

/// A program that ran to its end: a busy spell of its run time when its output goes to the
/// container's log (Err, to return as is), else its lines for the redirection and its status.
fn ran_to_end(run: ProgramRun, to_log: bool, lines: &mut Vec<String>) -> Result<i32, Outcome> {
    if to_log {
        return Err(Outcome::Busy {
            lines: run.lines,
            status: run.status,
            took: run.took,
        });
    }
    *lines = run.lines;
    Ok(run.status)
}
mod sed;

/// A compiled instruction.
#[derive(Debug, Clone, PartialEq)]
enum Instr {
    Cmd(Vec<String>),
    Set(String, String),
    Jump(usize),
    JumpIfFail(usize),
    JumpIfOk(usize),
}

/// What a run step ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Sleeping until this instant.
    Sleep(SimTime),
    /// Exited with this status.
    Exit(i32),
    /// The shell replaced itself with a program (`exec nginx …`): the argv is in
    /// [`Process::take_exec`]; the kubelet starts it in the process's place.
    Exec,
}

/// Files, environment and output a process sees.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Env {
    /// The container's own files (outside its mounts): the image's map, shared by every
    /// container of the image until one writes (a copy of nginx's files per container was
    /// about 2 KB per pod).
    pub files: Arc<BTreeMap<String, String>>,
    pub vars: super::vars::Vars,
    pub hostname: String,
    /// Volumes mounted into the container (see `volumes`); file operations go through them.
    pub mounts: Vec<super::volumes::Mount>,
    /// Memory the processes allocated beyond the image's steady usage (`stress --vm`); the
    /// kubelet compares the total with the container's memory limit.
    pub allocated_bytes: i64,
    /// The working directory processes start in (the container's `workingDir`, else the
    /// image's `WORKDIR`); empty means `/`.
    pub workdir: String,
    /// Interpreters the image has beyond the shell's tools (`perl`), from the catalog.
    pub programs: Vec<String>,
    /// Seeds the randomness of the container's programs (python's `random`): derived by the
    /// kubelet from the pod's identity and the container's start, so the cluster's seed
    /// decides it.
    pub seed: u64,
}

/// A running shell process.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    code: Vec<Instr>,
    pc: usize,
    status: i32,
    net: NetSlot,
    /// Run by `sh -c`: the shell exports `SHLVL` and `PWD` to the commands it starts.
    shell: bool,
    /// What a running `tail -F` has shown of its file.
    tail: Option<Follow>,
    /// Positional parameters (`$1` …, `$@`, `$#`): the arguments an image's entrypoint
    /// script was started with.
    args: Vec<String>,
    /// A command still computing (perl's π): what it prints and its status once `at` comes.
    busy: Option<Busy>,
    /// The program `exec` asked to run in this process's place.
    exec: Option<Vec<String>>,
}

/// The result of a command that takes simulated time to compute, shown when it ends.
#[derive(Debug, Clone, PartialEq)]
struct Busy {
    lines: Vec<String>,
    status: i32,
    at: SimTime,
}

/// A `tail -f`/`-F` in progress: bytes of the file shown so far, or `None` while the file
/// is missing.
#[derive(Debug, Clone, PartialEq)]
struct Follow {
    shown: Option<usize>,
}

/// How often busybox `tail -f` looks at its file again.
const TAIL_POLL: SimDuration = SimDuration::from_secs(1);

/// A background process's network call in flight: the kubelet cannot reach the network
/// while it steps processes, so the command waits until the cluster answers it
/// (`network::background`), then runs again and takes the answer.
#[derive(Debug, Clone, Default, PartialEq)]
enum NetSlot {
    #[default]
    Idle,
    /// The tool and its arguments, waiting for an answer.
    Asked(Vec<String>),
    /// What the tool printed and wrote, available from `at` (after its timeouts).
    Answered { out: tools::ToolOutput, at: SimTime },
}

/// Why a script could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("sh: syntax error: {0}")]
pub struct ShellError(pub String);

impl Process {
    /// Compiles `script`.
    ///
    /// # Errors
    /// `ShellError` for unbalanced quotes or blocks.
    pub fn new(script: &str) -> Result<Process, ShellError> {
        let tokens = tokenize(script)?;
        let mut p = Parser {
            toks: tokens,
            pos: 0,
            code: Vec::new(),
        };
        p.list(&[])?;
        if p.pos < p.toks.len() {
            return Err(ShellError(format!("unexpected \"{}\"", p.toks[p.pos])));
        }
        Ok(Process {
            code: p.code,
            pc: 0,
            status: 0,
            net: NetSlot::Idle,
            shell: false,
            tail: None,
            args: Vec::new(),
            busy: None,
            exec: None,
        })
    }

    /// Compiles the process an argv starts: `sh -c '<script>'` runs in a shell (see
    /// [`script_for`]), anything else as one command.
    ///
    /// # Errors
    /// `ShellError` for unbalanced quotes or blocks.
    pub fn for_argv(argv: &[String]) -> Result<Process, ShellError> {
        Ok(Process::new(&script_for(argv))?.in_shell(is_shell(argv)))
    }

    /// Marks the process as run by a shell (see [`is_shell`]).
    #[must_use]
    pub fn in_shell(mut self, shell: bool) -> Process {
        self.shell = shell;
        self
    }

    /// The same script started with these arguments (an entrypoint given its CMD or the
    /// container's `args`).
    pub fn with_args(mut self, args: Vec<String>) -> Process {
        self.args = args;
        self
    }

    /// Runs from where it stopped at `now`, appending output lines to `out`. A network tool
    /// (a container's `while true; do wget …; sleep 1; done`) pauses the process until
    /// [`Process::answer_network`] gives it the tool's result.
    pub fn run(&mut self, env: &mut Env, now: SimTime, out: &mut Vec<String>) -> Step {
        self.step(env, now, out, None, true)
    }

    /// `run` with a network for the network tools.
    pub fn run_with(
        &mut self,
        env: &mut Env,
        now: SimTime,
        out: &mut Vec<String>,
        net: Option<&mut dyn Net>,
    ) -> Step {
        self.step(env, now, out, net, false)
    }

    /// The program the process `exec`ed (after [`Step::Exec`]).
    pub fn take_exec(&mut self) -> Option<Vec<String>> {
        self.exec.take()
    }

    /// The network tool (name and arguments) this process waits to have answered.
    pub fn network_request(&self) -> Option<&[String]> {
        match &self.net {
            NetSlot::Asked(argv) => Some(argv),
            _ => None,
        }
    }

    /// Hands the process its network tool's result, visible from `at`.
    pub fn answer_network(&mut self, out: tools::ToolOutput, at: SimTime) {
        self.net = NetSlot::Answered { out, at };
    }

    fn step(
        &mut self,
        env: &mut Env,
        now: SimTime,
        out: &mut Vec<String>,
        mut net: Option<&mut dyn Net>,
        background: bool,
    ) -> Step {
        if let Some(b) = self.busy.take() {
            if b.at > now {
                let at = b.at;
                self.busy = Some(b);
                return Step::Sleep(at);
            }
            out.extend(b.lines);
            self.status = b.status;
        }
        let mut budget = 10_000;
        while self.pc < self.code.len() {
            budget -= 1;
            if budget == 0 {
                // A busy loop: let a second pass rather than spin forever.
                return Step::Sleep(now + SimDuration::from_secs(1));
            }
            let instr = self.code[self.pc].clone();
            self.pc += 1;
            match instr {
                Instr::Jump(t) => self.pc = t,
                Instr::JumpIfFail(t) if self.status != 0 => self.pc = t,
                Instr::JumpIfOk(t) if self.status == 0 => self.pc = t,
                Instr::JumpIfFail(_) | Instr::JumpIfOk(_) => {}
                Instr::Set(k, v) => {
                    // An assignment's value is never split into fields.
                    let v = expand(&v, env, &self.args, now, false);
                    env.vars.insert(k, v);
                }
                Instr::Cmd(words) => {
                    let words: Vec<String> = words
                        .iter()
                        .flat_map(|w| fields(w, expand(w, env, &self.args, now, true)))
                        .collect();
                    let slot = background.then_some(&mut self.net);
                    let shell = self.shell;
                    match exec(&words, env, now, out, &mut net, slot, shell, &mut self.tail) {
                        Outcome::Status(s) => self.status = s,
                        Outcome::Retry(d) => {
                            // Run the same command again once the answer is there.
                            self.pc -= 1;
                            return Step::Sleep(now + d);
                        }
                        Outcome::Sleep(d) => {
                            self.status = 0;
                            return Step::Sleep(now + d);
                        }
                        Outcome::Exec(argv) => {
                            self.pc = self.code.len();
                            if background {
                                self.exec = Some(argv);
                                return Step::Exec;
                            }
                            // `kubectl exec … sh -c 'exec CMD'`: the command's own result.
                            return match Process::for_argv(&argv) {
                                Ok(mut p) => p.step(env, now, out, net.take(), false),
                                Err(e) => {
                                    out.push(e.to_string());
                                    Step::Exit(2)
                                }
                            };
                        }
                        Outcome::Busy { lines, status, took } => {
                            if background {
                                // The container's own process: its output comes when the
                                // computation ends.
                                let at = now + took;
                                self.busy = Some(Busy { lines, status, at });
                                return Step::Sleep(at);
                            }
                            // `kubectl exec` waits for the command.
                            if let Some(n) = net.as_mut() {
                                n.wait(took);
                            }
                            out.extend(lines);
                            self.status = status;
                        }
                        Outcome::Exit(s) => {
                            self.pc = self.code.len();
                            return Step::Exit(s);
                        }
                    }
                }
            }
        }
        Step::Exit(self.status)
    }
}

/// Runs a one-shot command (exec probes, `kubectl exec`): its status and output.
pub fn run_once(script: &str, env: &mut Env, now: SimTime) -> (i32, Vec<String>) {
    run_once_with(script, env, now, None)
}

/// `run_once` with a network for the network tools (`kubectl exec`).
pub fn run_once_with(
    script: &str,
    env: &mut Env,
    now: SimTime,
    net: Option<&mut dyn Net>,
) -> (i32, Vec<String>) {
    finish_once(Process::new(script), env, now, net)
}

/// Runs an argv once (`kubectl exec POD -- ARGV`), in a shell when it is `sh -c …`.
pub fn run_argv_with(
    argv: &[String],
    env: &mut Env,
    now: SimTime,
    net: Option<&mut dyn Net>,
) -> (i32, Vec<String>) {
    finish_once(Process::for_argv(argv), env, now, net)
}

fn finish_once(
    process: Result<Process, ShellError>,
    env: &mut Env,
    now: SimTime,
    net: Option<&mut dyn Net>,
) -> (i32, Vec<String>) {
    let mut out = Vec::new();
    match process {
        Ok(mut p) => match p.run_with(env, now, &mut out, net) {
            Step::Exit(s) => (s, out),
            Step::Sleep(_) | Step::Exec => (0, out),
        },
        Err(e) => (2, vec![e.to_string()]),
    }
}

/// The script for an argv: `sh -c '<script>'` runs the script; anything else runs the words
/// as one command.
pub fn script_for(argv: &[String]) -> String {
    match argv {
        [_, _, script, ..] if is_shell(argv) => script.clone(),
        words => words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "),
    }
}

/// Whether an argv is a shell running a script (`sh -c '…'`, `/bin/bash -c '…'`).
pub fn is_shell(argv: &[String]) -> bool {
    matches!(argv, [sh, flag, _, ..] if (sh.ends_with("sh") || sh.ends_with("bash")) && flag == "-c")
}

/// What a shell adds to the environment of the commands it runs: busybox ash (and bash)
/// export `SHLVL` and `PWD` at start-up (the container's working directory).
fn shell_exports(env: &Env) -> Vec<(String, String)> {
    let level = env
        .vars
        .get("SHLVL")
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(1, |l| l + 1);
    vec![
        ("SHLVL".into(), level.to_string()),
        (
            "PWD".into(),
            env.vars.get("PWD").cloned().unwrap_or_else(|| {
                if env.workdir.is_empty() { "/".into() } else { env.workdir.clone() }
            }),
        ),
    ]
}

fn quote(w: &str) -> String {
    if w.is_empty() || w.chars().any(|c| " \t;&|<>\"'$".contains(c)) {
        format!("'{}'", w.replace('\'', "'\\''"))
    } else {
        w.to_string()
    }
}

enum Outcome {
    Status(i32),
    /// Output and status of a command that computes for `took` before it shows them.
    Busy {
        lines: Vec<String>,
        status: i32,
        took: SimDuration,
    },
    /// Wait this long, then run the command again (a background network call).
    Retry(SimDuration),
    Sleep(SimDuration),
    Exit(i32),
    /// `exec CMD…`: the shell becomes the program.
    Exec(Vec<String>),
}

#[allow(clippy::too_many_arguments)]
fn exec(
    words: &[String],
    env: &mut Env,
    now: SimTime,
    out: &mut Vec<String>,
    net: &mut Option<&mut dyn Net>,
    slot: Option<&mut NetSlot>,
    shell: bool,
    tail: &mut Option<Follow>,
) -> Outcome {
    // Redirection: `cmd args > file` / `>> file`.
    let mut args: Vec<String> = Vec::new();
    let mut redirect: Option<(String, bool)> = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if w == ">" || w == ">>" {
            if let Some(f) = it.next() {
                redirect = Some((f.clone(), w == ">>"));
            }
        } else if let Some(f) = w.strip_prefix(">>") {
            redirect = Some((f.to_string(), true));
        } else if let Some(f) = w.strip_prefix('>').filter(|f| !f.is_empty()) {
            redirect = Some((f.to_string(), false));
        } else {
            args.push(w.clone());
        }
    }
    let Some(cmd) = args.first().map(String::as_str) else {
        return Outcome::Status(0);
    };
    let mut lines: Vec<String> = Vec::new();
    let name = cmd.rsplit('/').next().unwrap_or(cmd);
    let status = match name {
        "sleep" => {
            let secs: f64 = args
                .get(1)
                .and_then(|a| a.trim_end_matches('s').parse().ok())
                .unwrap_or(0.0);
            if args.get(1).is_some_and(|a| a == "infinity") {
                return Outcome::Sleep(SimDuration::from_secs(u64::MAX / 2000));
            }
            return Outcome::Sleep(SimDuration::from_millis((secs * 1000.0) as u64));
        }
        "exit" => {
            return Outcome::Exit(args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0));
        }
        "exec" if args.len() > 1 => return Outcome::Exec(args[1..].to_vec()),
        "exec" => 0,
        "sed" => {
            let r = sed::run(&args[1..], &|p| env.read_file(p));
            lines.extend(r.lines);
            let mut s = r.status;
            for (path, text) in r.writes {
                if env.write_file(&path, &text, false).is_err() {
                    // GNU sed -i writes a temporary file beside the original (random name).
                    let dir = path.rsplit_once('/').map_or(".", |(d, _)| if d.is_empty() { "/" } else { d });
                    lines.push(format!("sed: couldn't open temporary file {dir}/sedXXXXXX: Read-only file system"));
                    s = 4;
                }
            }
            s
        }
        "stress" => match stress_bytes(&args[1..]) {
            Some((workers, bytes)) => {
                // stress 1.0.4 (the polinux/stress image): the vm workers allocate and, with
                // --vm-hang, hold the memory until killed.
                out.push(format!(
                    "stress: info: [1] dispatching hogs: 0 cpu, 0 io, {workers} vm, 0 hdd"
                ));
                env.allocated_bytes = env.allocated_bytes.saturating_add(bytes);
                return Outcome::Sleep(SimDuration::from_secs(u64::MAX / 2000));
            }
            None => {
                lines.push("stress: FAIL: [1] (244) invalid number in option".into());
                1
            }
        },
        "export" => {
            // `export NAME=value` sets the variable; `export NAME` keeps it as it is.
            for a in &args[1..] {
                if let Some((k, v)) = a.split_once('=') {
                    env.vars.insert(k.to_string(), v.to_string());
                }
            }
            0
        }
        "true" | ":" => 0,
        "false" => 1,
        "echo" => {
            lines.push(args[1..].join(" "));
            0
        }
        "date" => {
            lines.push(match args.get(1) {
                Some(f) if f.starts_with('+') => date_as(now, &f[1..]),
                _ => date(now),
            });
            0
        }
        "fortune" => {
            lines.extend(super::volumes::fortune(now).lines().map(str::to_string));
            0
        }
        "hostname" => {
            lines.push(env.hostname.clone());
            0
        }
        "printenv" if args.len() > 1 => {
            // busybox printenv NAME…: the values, status 1 when one is unset.
            let mut s = 0;
            for name in &args[1..] {
                match env.vars.get(name) {
                    Some(v) => lines.extend(v.lines().map(str::to_string)),
                    None => s = 1,
                }
            }
            s
        }
        "env" | "printenv" => {
            let mut vars = env.vars.to_map();
            if shell {
                vars.extend(shell_exports(env));
            }
            lines.extend(vars.iter().map(|(k, v)| format!("{k}={v}")));
            0
        }
        // Containers run as root unless the pod says otherwise (no runAsUser in the lab's
        // images), so `id` answers as busybox's and coreutils' do for uid 0.
        "id" => {
            lines.push("uid=0(root) gid=0(root) groups=0(root)".into());
            0
        }
        "touch" => {
            let mut s = 0;
            for f in &args[1..] {
                if env.touch_file(f).is_err() {
                    lines.push(format!("touch: {f}: Read-only file system"));
                    s = 1;
                }
            }
            s
        }
        "mkdir" => 0,
        "rm" => {
            let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
            let mut s = 0;
            for f in args[1..].iter().filter(|a| !a.starts_with('-')) {
                let recursive = args.iter().any(|a| a.starts_with('-') && a.contains(['r', 'R']));
                match env.remove_file(f, recursive) {
                    Ok(()) => {}
                    Err(super::volumes::FsError::NotFound) if force => {}
                    Err(super::volumes::FsError::NotFound) => {
                        lines.push(format!("rm: can't remove '{f}': No such file or directory"));
                        s = 1;
                    }
                    Err(super::volumes::FsError::ReadOnly) => {
                        lines.push(format!("rm: can't remove '{f}': Read-only file system"));
                        s = 1;
                    }
                }
            }
            s
        }
        "tail" => {
            let follow = args[1..]
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("-n") && a.contains(['f', 'F']));
            let count: usize = args
                .windows(2)
                .find(|w| w[0] == "-n")
                .and_then(|w| w[1].parse().ok())
                .or_else(|| {
                    args.iter()
                        .find_map(|a| a.strip_prefix("-n").filter(|n| !n.is_empty()))
                        .and_then(|n| n.parse().ok())
                })
                .unwrap_or(10);
            let Some(file) = args[1..]
                .iter()
                .rev()
                .find(|a| !a.starts_with('-') && a.parse::<usize>().is_err())
                .cloned()
            else {
                return Outcome::Status(0);
            };
            let text = env.read_file(&file);
            if !follow {
                match text {
                    Some(t) => {
                        let all: Vec<&str> = t.lines().collect();
                        lines.extend(all[all.len().saturating_sub(count)..].iter().map(|l| l.to_string()));
                        0
                    }
                    None => {
                        lines.push(format!("tail: can't open '{file}': No such file or directory"));
                        1
                    }
                }
            } else {
            // busybox tail -F: report a missing file, announce it when it appears and show
            // it from its start, then whatever is appended; poll once a second, for ever.
            match (tail.as_mut(), text) {
                (None, Some(t)) => {
                    let all: Vec<&str> = t.lines().collect();
                    lines.extend(all[all.len().saturating_sub(count)..].iter().map(|l| l.to_string()));
                    *tail = Some(Follow { shown: Some(t.len()) });
                }
                (None, None) => {
                    lines.push(format!("tail: can't open '{file}': No such file or directory"));
                    *tail = Some(Follow { shown: None });
                }
                (Some(f), Some(t)) => {
                    let from = match f.shown {
                        None => {
                            lines.push(format!("tail: {file} has appeared; following end of new file"));
                            0
                        }
                        Some(n) if n > t.len() => {
                            lines.push(format!("tail: {file}: file truncated"));
                            0
                        }
                        Some(n) => n,
                    };
                    lines.extend(t.get(from..).unwrap_or_default().lines().map(str::to_string));
                    f.shown = Some(t.len());
                }
                (Some(_), None) => {}
            }
            out.extend(lines);
            return Outcome::Retry(TAIL_POLL);
            }
        }
        "cat" => {
            let mut s = 0;
            for f in &args[1..] {
                match env.read_file(f) {
                    Some(c) => lines.extend(c.lines().map(str::to_string)),
                    None => {
                        lines.push(format!("cat: can't open '{f}': No such file or directory"));
                        s = 1;
                    }
                }
            }
            s
        }
        "ls" if args[1..].iter().any(|a| a.starts_with('-') && a.contains('l')) => {
            // Without a directory: the working directory, `/` in a container.
            let mut dirs: Vec<String> =
                args[1..].iter().filter(|a| !a.starts_with('-')).cloned().collect();
            if dirs.is_empty() {
                dirs.push("/".into());
            }
            // `-L`: a symlink shows as the file it points to.
            let deref = args[1..].iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('L'));
            let mut s = 0;
            for d in dirs {
                match env.list_dir_long(&d) {
                    Some(mut entries) => {
                        if deref {
                            for e in &mut entries {
                                if matches!(e.kind, super::volumes::EntryKind::Symlink { .. }) {
                                    let full = format!("{}/{}", d.trim_end_matches('/'), e.name);
                                    let size = env.read_file(&full).map_or(0, |t| t.len());
                                    e.kind = super::volumes::EntryKind::File { size };
                                }
                            }
                        }
                        lines.extend(long_listing(&entries, now));
                    }
                    None => {
                        lines.push(format!("ls: {d}: No such file or directory"));
                        s = 1;
                    }
                }
            }
            s
        }
        "ls" => {
            let dirs: Vec<&String> = args[1..].iter().filter(|a| !a.starts_with('-')).collect();
            if dirs.is_empty() {
                lines.extend(env.files.keys().cloned());
                0
            } else {
                let mut s = 0;
                for d in dirs {
                    match env.list_dir(d) {
                        Some(names) => lines.extend(names),
                        None => {
                            lines.push(format!("ls: {d}: No such file or directory"));
                            s = 1;
                        }
                    }
                }
                s
            }
        }
        "perl" if env.programs.iter().any(|p| p == "perl") => {
            match ran_to_end(perl::run(&args[1..]), redirect.is_none(), &mut lines) {
                Ok(status) => status,
                Err(busy) => return busy,
            }
        }
        "python3" | "python" if env.programs.iter().any(|p| p == "python3") => {
            // Each run of a program draws anew.
            env.seed = env.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let run = python::run(&args[1..], &env.vars.to_map(), env.seed);
            match ran_to_end(run, redirect.is_none(), &mut lines) {
                Ok(status) => status,
                Err(busy) => return busy,
            }
        }
        "curl" | "wget" | "nslookup" | "ping" | "nc" => {
            let result = match (net.as_mut(), slot) {
                (Some(n), _) => tools::run(name, &args[1..], &mut InContainer { net: &mut **n, env }),
                (None, Some(slot)) => match std::mem::take(slot) {
                    NetSlot::Answered { out, at } if at <= now => Some(out),
                    NetSlot::Answered { out, at } => {
                        *slot = NetSlot::Answered { out, at };
                        return Outcome::Retry(SimDuration(at.0 - now.0));
                    }
                    _ => {
                        *slot = NetSlot::Asked(args.clone());
                        return Outcome::Retry(NET_RETRY);
                    }
                },
                (None, None) => tools::run(name, &args[1..], &mut InContainer { net: &mut tools::Offline, env }),
            };
            let result = result.unwrap_or_default();
            lines.extend(result.lines.into_iter().map(|(_, l)| l));
            for (path, text) in result.files {
                let _ = env.write_file(&path, &text, false);
            }
            result.status
        }
        _ => {
            lines.push(format!("sh: {cmd}: not found"));
            127
        }
    };
    match redirect {
        Some((f, append)) => {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            if env.write_file(&f, &text, append).is_err() {
                out.push(format!("sh: can't create {f}: Read-only file system"));
                return Outcome::Status(1);
            }
        }
        None => out.extend(lines),
    }
    Outcome::Status(status)
}

/// How soon a background process looks again for its network answer (the cluster answers
/// right after the kubelet's step, so one tick is enough).
const NET_RETRY: SimDuration = SimDuration::from_millis(1);

/// The network as a process in the container sees it: its files (`--cacert`) and variables
/// (`CURL_CA_BUNDLE`) beside the network.
pub(crate) struct InContainer<'a, 'n> {
    pub net: &'a mut (dyn Net + 'n),
    pub env: &'a Env,
}

impl Net for InContainer<'_, '_> {
    fn lookup(&mut self, name: &str, srv: bool) -> tools::Lookup {
        self.net.lookup(name, srv)
    }
    fn request(&mut self, req: &crate::network::Request) -> Result<crate::network::Response, tools::ConnectError> {
        self.net.request(req)
    }
    fn ping(&mut self, ip: &str) -> bool {
        self.net.ping(ip)
    }
    fn connect(&mut self, ip: &str, port: u16) -> Result<(), tools::ConnectError> {
        self.net.connect(ip, port)
    }
    fn dns_server(&self) -> String {
        self.net.dns_server()
    }
    fn lookup_at(&mut self, server: &str, name: &str, srv: bool) -> tools::Lookup {
        self.net.lookup_at(server, name, srv)
    }
    fn reverse(&mut self, ip: &str) -> Option<String> {
        self.net.reverse(ip)
    }
    fn wait(&mut self, d: SimDuration) {
        self.net.wait(d);
    }
    fn read_file(&self, path: &str) -> Option<String> {
        self.env.read_file(path)
    }
    fn var(&self, name: &str) -> Option<String> {
        self.env.vars.get(name).cloned()
    }
}

/// busybox `ls -l`: a `total` of 1 KiB blocks (4 KiB per non-empty file or directory, none
/// for symlinks), then one line per entry (coreutils/ls.c display_single: mode, `%4lu`
/// links, `%-8.8s` owner and group, `%9` size, `%b %e %H:%M` time, name, `-> target`).
/// Files written by the container's processes have no recorded time: they show `now`.
fn long_listing(entries: &[super::volumes::DirEntry], now: SimTime) -> Vec<String> {
    use super::volumes::EntryKind;
    let blocks: usize = entries
        .iter()
        .map(|e| match e.kind {
            EntryKind::File { size } if size > 0 => 4 * size.div_ceil(4096),
            EntryKind::Dir => 4,
            _ => 0,
        })
        .sum();
    let mut out = vec![format!("total {blocks}")];
    for e in entries {
        let (mode, links, size, suffix) = match &e.kind {
            EntryKind::File { size } => (file_mode(e.mode.unwrap_or(0o644)), 1, *size, String::new()),
            EntryKind::Dir => ("drwxr-xr-x".to_string(), 2, 4096, String::new()),
            EntryKind::Symlink { target } => ("lrwxrwxrwx".to_string(), 1, target.len(), format!(" -> {target}")),
        };
        let t = e.modified.unwrap_or(now).to_time().0;
        let when = t
            .to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC)
            .strftime("%b %e %H:%M")
            .to_string();
        out.push(format!(
            "{mode} {links:>4} {:<8} {:<8} {size:>9} {when} {}{suffix}",
            "root", "root", e.name
        ));
    }
    out
}

/// `ls -l`'s mode column of a regular file with these permission bits (0660 → `-rw-rw----`).
fn file_mode(bits: i32) -> String {
    let mut s = String::from("-");
    for shift in [6, 3, 0] {
        let b = (bits >> shift) & 7;
        s.push(if b & 4 != 0 { 'r' } else { '-' });
        s.push(if b & 2 != 0 { 'w' } else { '-' });
        s.push(if b & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// `date`'s default format in UTC, e.g. `Thu Jan  1 00:00:05 UTC 2026`.
pub fn date(now: SimTime) -> String {
    date_as(now, "%a %b %e %H:%M:%S UTC %Y")
}

/// `date +FORMAT` in UTC (`date +%s`: seconds since the epoch); a format strftime cannot
/// print yields nothing, as busybox prints nothing useful for it either.
pub fn date_as(now: SimTime, format: &str) -> String {
    let t = now.to_time().0;
    let z = t.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    let mut out = String::new();
    if write!(out, "{}", z.strftime(format)).is_err() {
        out.clear();
    }
    out
}

/// A `$` written inside double quotes: expanded, but its value is not split into fields.
const QUOTED_DOLLAR: char = '\u{E000}';
/// Where an unquoted expansion had blanks: the word splits into fields there.
const FIELD_BREAK: char = '\u{E001}';

/// sh's field splitting of an expanded word: an unquoted expansion's blanks separate
/// fields, and a word made only of empty unquoted expansions disappears.
fn fields(word: &str, expanded: String) -> Vec<String> {
    if !word.contains('$') {
        return vec![expanded];
    }
    expanded
        .split(FIELD_BREAK)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

fn expand(word: &str, env: &Env, args: &[String], now: SimTime, split: bool) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(i) = rest.find(['$', QUOTED_DOLLAR]) {
        out.push_str(&rest[..i]);
        let quoted = rest[i..].starts_with(QUOTED_DOLLAR);
        let after = &rest[i + if quoted { QUOTED_DOLLAR.len_utf8() } else { 1 }..];
        let start = out.len();
        if let Some(inner) = after.strip_prefix('(') {
            let end = inner.find(')').unwrap_or(inner.len());
            let cmd = inner[..end].trim();
            let words: Vec<&str> = cmd.split_whitespace().collect();
            out.push_str(&match words.as_slice() {
                ["date"] => date(now),
                ["date", format] if format.starts_with('+') => date_as(now, &format[1..]),
                ["hostname"] => env.hostname.clone(),
                // `TOKEN=$(cat /var/run/secrets/…/token)`: the file without its final newline.
                ["cat", files @ ..] => files
                    .iter()
                    .filter_map(|f| env.read_file(f))
                    .collect::<String>()
                    .trim_end_matches('\n')
                    .to_string(),
                _ => String::new(),
            });
            rest = inner.get(end + 1..).unwrap_or("");
        } else if let Some(p) = after
            .chars()
            .next()
            .filter(|c| c.is_ascii_digit() || "@*#".contains(*c))
        {
            // Positional parameters: one digit, as sh reads `$10` as `$1` then `0`.
            out.push_str(&match p {
                '#' => args.len().to_string(),
                '@' | '*' => args.join(" "),
                '0' => "sh".to_string(),
                d => {
                    let n = d.to_digit(10).unwrap_or(0) as usize;
                    args.get(n - 1).cloned().unwrap_or_default()
                }
            });
            rest = &after[1..];
        } else {
            let braced = after.starts_with('{');
            let body = if braced { &after[1..] } else { after };
            let len = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            let name = &body[..len];
            out.push_str(env.vars.get(name).map_or("", String::as_str));
            let skip = if braced { len + 2 } else { len };
            rest = after.get(skip..).unwrap_or("");
            if name.is_empty() && !braced {
                out.push('$');
            }
        }
        if split && !quoted {
            let value: String = out.split_off(start);
            let mut split = String::new();
            let blanks = value.split([' ', '\t', '\n']).filter(|f| !f.is_empty());
            for (n, f) in blanks.enumerate() {
                if n > 0 {
                    split.push(FIELD_BREAK);
                }
                split.push_str(f);
            }
            if value.starts_with([' ', '\t', '\n']) && !split.is_empty() {
                split.insert(0, FIELD_BREAK);
            }
            if value.ends_with([' ', '\t', '\n']) && !split.is_empty() {
                split.push(FIELD_BREAK);
            }
            out.push_str(&split);
        }
    }
    out.push_str(rest);
    out.replace(QUOTED_DOLLAR, "$")
}

/// Splits a script into words and operators; single-quoted text is kept from expansion by
/// wrapping it in a marker-free form (the subset needs no escaping inside quotes).
fn tokenize(s: &str) -> Result<Vec<String>, ShellError> {
    let mut toks = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = s.chars().peekable();
    let flush = |cur: &mut String, has: &mut bool, toks: &mut Vec<String>| {
        if *has {
            toks.push(std::mem::take(cur));
            *has = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                has = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err(ShellError("unterminated quoted string".into())),
                    }
                }
            }
            '"' => {
                has = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => {
                            if let Some(x) = chars.next() {
                                cur.push(x);
                            }
                        }
                        // Expanded, but not split into fields.
                        Some('$') => cur.push(QUOTED_DOLLAR),
                        Some(x) => cur.push(x),
                        None => return Err(ShellError("unterminated quoted string".into())),
                    }
                }
            }
            // An unquoted backslash keeps the next character literal (`'\''` inside a quoted
            // word: the form in which the kubelet hands an argv with quotes to the shell);
            // before a newline it continues the line.
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(x) => {
                    has = true;
                    cur.push(x);
                }
            },
            ' ' | '\t' => flush(&mut cur, &mut has, &mut toks),
            '\n' | ';' => {
                flush(&mut cur, &mut has, &mut toks);
                toks.push(";".into());
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                flush(&mut cur, &mut has, &mut toks);
                toks.push("&&".into());
            }
            '|' if chars.peek() == Some(&'|') => {
                chars.next();
                flush(&mut cur, &mut has, &mut toks);
                toks.push("||".into());
            }
            '>' => {
                flush(&mut cur, &mut has, &mut toks);
                if chars.peek() == Some(&'>') {
                    chars.next();
                    toks.push(">>".into());
                } else {
                    toks.push(">".into());
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                has = true;
                cur.push('$');
                for x in chars.by_ref() {
                    cur.push(x);
                    if x == ')' {
                        break;
                    }
                }
            }
            _ => {
                has = true;
                cur.push(c);
            }
        }
    }
    flush(&mut cur, &mut has, &mut toks);
    Ok(toks)
}

struct Parser {
    toks: Vec<String>,
    pos: usize,
    code: Vec<Instr>,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }

    fn expect(&mut self, kw: &str) -> Result<(), ShellError> {
        self.skip_separators();
        if self.peek() == Some(kw) {
            self.pos += 1;
            Ok(())
        } else {
            Err(ShellError(format!("expected \"{kw}\"")))
        }
    }

    fn skip_separators(&mut self) {
        while self.peek() == Some(";") {
            self.pos += 1;
        }
    }

    /// A list of and-or chains until one of `stop` (not consumed).
    fn list(&mut self, stop: &[&str]) -> Result<(), ShellError> {
        loop {
            self.skip_separators();
            match self.peek() {
                None => return Ok(()),
                Some(t) if stop.contains(&t) => return Ok(()),
                _ => self.and_or()?,
            }
        }
    }

    fn and_or(&mut self) -> Result<(), ShellError> {
        self.command()?;
        loop {
            match self.peek() {
                Some("&&") | Some("||") => {
                    let and = self.peek() == Some("&&");
                    self.pos += 1;
                    let at = self.code.len();
                    self.code.push(Instr::Jump(0));
                    self.command()?;
                    let end = self.code.len();
                    self.code[at] = if and {
                        Instr::JumpIfFail(end)
                    } else {
                        Instr::JumpIfOk(end)
                    };
                }
                _ => return Ok(()),
            }
        }
    }

    fn command(&mut self) -> Result<(), ShellError> {
        match self.peek() {
            // `until` is `while` with the test's outcome reversed (init containers'
            // `until nslookup …; do …; done`).
            Some(word @ ("while" | "until")) => {
                let until = word == "until";
                self.pos += 1;
                let start = self.code.len();
                self.list(&["do"])?;
                self.expect("do")?;
                let test = self.code.len();
                self.code.push(Instr::Jump(0));
                self.list(&["done"])?;
                self.expect("done")?;
                self.code.push(Instr::Jump(start));
                let end = self.code.len();
                self.code[test] = if until {
                    Instr::JumpIfOk(end)
                } else {
                    Instr::JumpIfFail(end)
                };
                Ok(())
            }
            Some("for") => {
                self.pos += 1;
                let var = self.toks.get(self.pos).cloned().unwrap_or_default();
                self.pos += 1;
                let mut items = Vec::new();
                if self.peek() == Some("in") {
                    self.pos += 1;
                    while let Some(t) = self.peek() {
                        if t == ";" || t == "do" {
                            break;
                        }
                        items.push(t.to_string());
                        self.pos += 1;
                    }
                }
                self.expect("do")?;
                let body_start = self.pos;
                let mut body_end = body_start;
                for (i, item) in items.iter().enumerate() {
                    self.pos = body_start;
                    self.code.push(Instr::Set(var.clone(), item.clone()));
                    self.list(&["done"])?;
                    body_end = self.pos;
                    let _ = i;
                }
                if items.is_empty() {
                    // Skip the body without compiling it.
                    let mut depth = 0;
                    while let Some(t) = self.peek() {
                        match t {
                            "do" => depth += 1,
                            "done" if depth == 0 => break,
                            "done" => depth -= 1,
                            _ => {}
                        }
                        self.pos += 1;
                    }
                    body_end = self.pos;
                }
                self.pos = body_end;
                self.expect("done")
            }
            Some("if") => {
                self.pos += 1;
                self.list(&["then"])?;
                self.expect("then")?;
                let test = self.code.len();
                self.code.push(Instr::Jump(0));
                self.list(&["else", "fi"])?;
                self.skip_separators();
                if self.peek() == Some("else") {
                    self.pos += 1;
                    let jump_end = self.code.len();
                    self.code.push(Instr::Jump(0));
                    self.code[test] = Instr::JumpIfFail(self.code.len());
                    self.list(&["fi"])?;
                    self.code[jump_end] = Instr::Jump(self.code.len());
                } else {
                    self.code[test] = Instr::JumpIfFail(self.code.len());
                }
                self.expect("fi")
            }
            _ => {
                let mut words = Vec::new();
                // Reserved words count only in command position, so `echo done` prints
                // "done"; a command ends at a separator.
                while let Some(t) = self.peek() {
                    if matches!(t, ";" | "&&" | "||") {
                        break;
                    }
                    words.push(t.to_string());
                    self.pos += 1;
                }
                if words.is_empty() {
                    return Err(ShellError("empty command".into()));
                }
                if let [assign] = words.as_slice()
                    && let Some((k, v)) = assign.split_once('=')
                    && !k.is_empty()
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.code.push(Instr::Set(k.to_string(), v.to_string()));
                    return Ok(());
                }
                self.code.push(Instr::Cmd(words));
                Ok(())
            }
        }
    }
}

/// `stress --vm N --vm-bytes SIZE`: (workers, total bytes). Sizes take stress's suffixes
/// b/k/m/g (powers of 1024); the default is one worker of 256M.
fn stress_bytes(args: &[String]) -> Option<(i64, i64)> {
    let mut workers: i64 = 0;
    let mut size: i64 = 256 << 20;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--vm" | "-m" => workers = it.next()?.parse().ok()?,
            "--vm-bytes" => {
                let v = it.next()?.to_ascii_lowercase();
                let (num, mult) = match v.chars().last()? {
                    'b' => (&v[..v.len() - 1], 1),
                    'k' => (&v[..v.len() - 1], 1 << 10),
                    'm' => (&v[..v.len() - 1], 1 << 20),
                    'g' => (&v[..v.len() - 1], 1 << 30),
                    _ => (v.as_str(), 1),
                };
                size = num.parse::<i64>().ok()?.checked_mul(mult)?;
            }
            "--vm-hang" | "--timeout" | "-t" | "--cpu" | "-c" | "--io" | "-i" => {
                it.next();
            }
            _ => {}
        }
    }
    Some((workers, workers.checked_mul(size)?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_prints_a_format_as_busybox_does() {
        let now = crate::time::SimTime::ZERO + crate::time::SimDuration::from_secs(5);
        let epoch = super::date_as(now, "%s");
        assert!(epoch.parse::<i64>().is_ok_and(|s| s > 0), "{epoch}");
        let mut p = super::Process::new("echo $(date +%s): INIT > /t; cat /t").unwrap();
        let mut env = super::Env::default();
        let mut out = Vec::new();
        p.run(&mut env, now, &mut out);
        assert_eq!(out, vec![format!("{epoch}: INIT")]);
    }

    use super::*;

    fn check(script: &str, steps: usize) -> (Vec<Step>, Vec<String>, Env) {
        let mut p = Process::new(script).expect("compile");
        let mut env = Env::default();
        let mut out = Vec::new();
        let mut now = SimTime::ZERO;
        let mut got = Vec::new();
        for _ in 0..steps {
            let s = p.run(&mut env, now, &mut out);
            got.push(s);
            match s {
                Step::Sleep(t) => now = t,
                Step::Exit(_) | Step::Exec => break,
            }
        }
        (got, out, env)
    }

    // An argv whose words hold single quotes reaches the shell as `'…'\''…'` and comes
    // back word for word (`kubectl run … -- python3 -c "print('hi')"`).
    #[test]
    fn argv_with_single_quotes_survives_the_shell() {
        let argv = ["echo".to_string(), "print('hi')".to_string(), "a b".to_string()];
        let (_, out, _) = check(&script_for(&argv), 1);
        assert_eq!(out, ["print('hi') a b"]);
        let (_, out, _) = check("echo a\\ b \\'c", 1);
        assert_eq!(out, ["a b 'c"]);
    }

    #[test]
    fn positional_parameters_and_field_splitting_follow_sh() {
        // luksa/fortune:args: `INTERVAL=$1`; an unquoted expansion splits into fields (a
        // value read from a ConfigMap file keeps its newline), a quoted one does not.
        let mut p = Process::new(
            "INTERVAL=$1; echo every $INTERVAL seconds, $# args; echo $(date); echo \"$(date)\"; X=$2; echo [$X]; sleep $INTERVAL",
        )
        .expect("compile")
        .with_args(vec!["25\n".into()]);
        let mut env = Env::default();
        let mut out = Vec::new();
        let step = p.run(&mut env, SimTime::ZERO, &mut out);
        assert_eq!(
            out,
            [
                "every 25 seconds, 1 args",
                "Thu Jan 1 00:00:00 UTC 2026",
                "Thu Jan  1 00:00:00 UTC 2026",
                "[]",
            ]
        );
        assert_eq!(env.vars.get("INTERVAL").map(String::as_str), Some("25\n"));
        assert_eq!(step, Step::Sleep(SimTime::ZERO + SimDuration::from_secs(25)));
    }

    #[test]
    fn liveness_tutorial_script() {
        let (steps, _, env) = check(
            "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
            3,
        );
        assert_eq!(
            steps,
            [
                Step::Sleep(SimTime(30_000)),
                Step::Sleep(SimTime(630_000)),
                Step::Exit(0)
            ]
        );
        assert!(env.files.is_empty());
    }

    #[test]
    fn loops_and_conditions() {
        struct Case {
            name: &'static str,
            script: &'static str,
            want_out: &'static [&'static str],
            want_exit: Step,
        }
        let cases = [
            Case {
                name: "for",
                script: "for i in 1 2 3; do echo $i; done",
                want_out: &["1", "2", "3"],
                want_exit: Step::Exit(0),
            },
            Case {
                name: "and",
                script: "false && echo no; echo yes",
                want_out: &["yes"],
                want_exit: Step::Exit(0),
            },
            Case {
                name: "or",
                script: "cat /x || exit 3",
                want_out: &["cat: can't open '/x': No such file or directory"],
                want_exit: Step::Exit(3),
            },
            Case {
                name: "if",
                script: "if true; then echo a; else echo b; fi",
                want_out: &["a"],
                want_exit: Step::Exit(0),
            },
            Case {
                name: "redirect",
                script: "echo hi > /f; cat /f",
                want_out: &["hi"],
                want_exit: Step::Exit(0),
            },
        ];
        for c in &cases {
            let (steps, out, _) = check(c.script, 10);
            assert_eq!(out, c.want_out, "case {}", c.name);
            assert_eq!(steps.last(), Some(&c.want_exit), "case {}", c.name);
        }
    }

    #[test]
    fn while_true_sleeps() {
        let (steps, out, _) = check("while true; do echo tick; sleep 5; done", 3);
        assert_eq!(steps.len(), 3);
        assert_eq!(out, ["tick", "tick", "tick"]);
    }
}
