//! The lab session: runs one terminal line at a time against the lab's cluster and files.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use cluster::{Cluster, SimDuration, SimTime};
use kubectl::{Kubeconfig, WaitStream, WatchStream};

use crate::fs::LabFs;
use crate::link::{ActionLog, LabAction, Preset, TimedAction};
use crate::alias::Aliases;
use crate::shell::{self, ShellLine};
use crate::sink::Sink;
use crate::vars::Vars;

/// Which stream a line of output belongs to; the terminal shows `Stderr` in red.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line printed by a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLine {
    pub stream: Stream,
    pub text: String,
}

/// What a command printed, and whether it asked the terminal to clear its screen first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub clear_screen: bool,
    pub lines: Vec<OutputLine>,
    /// The line opened a here-document: the terminal shows the continuation prompt (`> `)
    /// and sends the following lines until the delimiter.
    pub continuation: bool,
    /// `kubectl edit` asked to open an object in the editor: (buffer title, YAML text).
    pub edit: Option<(String, String)>,
    /// The terminal is attached to a container's shell (`kubectl exec -it … sh`): the prompt
    /// to show instead of the lab's own (`/ # `; empty without a TTY).
    pub prompt: Option<String>,
    /// The exit status of the line's last command, as `$?` shows it afterwards.
    pub status: i32,
    /// The last line on standard output ends without a newline (`echo -n`, `base64 -d`):
    /// the next command of a pipe, or a file it is written to, reads it without one.
    pub unterminated: bool,
}

impl Output {
    pub(crate) fn stdout(text: impl Into<String>) -> Output {
        let mut out = Output::default();
        out.push(Stream::Stdout, text);
        out
    }

    /// An error message; the command failed with status 1.
    pub(crate) fn stderr(text: impl Into<String>) -> Output {
        let mut out = Output::default();
        out.push(Stream::Stderr, text);
        out.status = 1;
        out
    }

    /// What a later command printed, after this: a `clear` drops what came before it, and
    /// the status is the later command's.
    pub(crate) fn append(&mut self, later: Output) {
        if later.clear_screen {
            self.lines.clear();
            self.clear_screen = true;
        }
        if later.lines.iter().any(|l| l.stream == Stream::Stdout) {
            self.unterminated = later.unterminated;
        }
        self.lines.extend(later.lines);
        self.continuation |= later.continuation;
        if later.edit.is_some() {
            self.edit = later.edit;
        }
        if later.prompt.is_some() {
            self.prompt = later.prompt;
        }
        self.status = later.status;
    }

    /// Appends `text`, one `OutputLine` per line of it.
    pub(crate) fn push(&mut self, stream: Stream, text: impl Into<String>) {
        let text = text.into();
        for line in text.lines() {
            self.lines.push(OutputLine {
                stream,
                text: line.to_string(),
            });
        }
    }

    fn push_kubectl(&mut self, lines: Vec<kubectl::Line>) {
        for l in lines {
            let stream = match l.stream {
                kubectl::Stream::Stdout => Stream::Stdout,
                kubectl::Stream::Stderr => Stream::Stderr,
            };
            self.lines.push(OutputLine {
                stream,
                text: l.text,
            });
        }
    }

    /// Everything printed, as the terminal would show it (streams interleaved in order).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for line in &self.lines {
            s.push_str(&line.text);
            s.push('\n');
        }
        s
    }
}

/// How deep `$(…)` substitutions may nest (an alias that substitutes itself would never end).
const MAX_NESTING: u32 = 16;

/// Commands the notes run on a node's host (log in, service manager, packet filter, kernel
/// modules, packages, the container runtime's CLIs): they have no meaning for simulated nodes.
const NODE_HOST_TOOLS: &[&str] = &[
    "ssh", "scp", "systemctl", "journalctl", "service", "iptables", "iptables-save",
    "ip6tables", "ipvsadm", "ipset", "modprobe", "lsmod", "modinfo", "yum", "dnf", "apt",
    "apt-get", "crictl", "ctr", "kubeadm", "kubelet", "reboot", "shutdown",
];

/// Text-mode browsers the notes open pages with.
const BROWSERS: &[&str] = &["elinks", "lynx", "links", "w3m"];

/// The seed a lab starts with when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// The longest `kubectl run -i/-t` waits for its pod to start (and a command to end): kubectl's
/// `--pod-running-timeout` default of 1m.
const ATTACH_WAIT: SimDuration = SimDuration::from_secs(60);

/// The longest `kubectl delete` waits for objects to go, in simulated time.
pub(crate) const DELETE_WAIT: SimDuration = SimDuration::from_secs(120);

/// How long a blocking command without its own deadline (`rollout status`) holds the prompt
/// before the lab hands it back; it then goes on printing as time passes, like `get -w`.
pub(crate) const BLOCK_LIMIT: SimDuration = SimDuration::from_secs(120);

/// The longest a blocking command with a deadline holds the prompt (`--timeout=-1` is a week).
pub(crate) const DEADLINE_LIMIT: SimDuration = SimDuration::from_secs(3600);

/// Everything a lab holds besides its history.
/// A `kubectl edit` whose buffer is open in the editor.
struct OpenEdit {
    original: String,
    reopened: Option<String>,
}

pub(crate) struct World {
    pub(crate) seed: u64,
    /// The cluster the lab started from.
    pub(crate) preset: Preset,
    /// Whether `minikube stop`/`delete` took the cluster down, and how many clusters
    /// `minikube start` made after a delete.
    pub(crate) profile: crate::minikube_profile::Profile,
    /// The profile's name and machines (`minikube start -p NAME --cpus … --driver …`).
    pub(crate) machine: crate::minikube_profile::Machine,
    pub(crate) generation: u64,
    /// The cluster time the preset was handed over at (its boot's end): the lab's start.
    handed_over_ms: u64,
    /// Everything the lab was given, with virtual timestamps, so a link can rebuild it.
    log: ActionLog,
    pub(crate) cluster: Cluster,
    fs: LabFs,
    pub(crate) config: Kubeconfig,
    /// A `get -w` still printing; `sleep` shows what it prints, any other command stops it.
    pub(crate) watch: Option<WatchStream>,
    /// A blocking command (`rollout status`) handed back before it finished; it goes on
    /// printing as time passes until it ends or another command line stops it.
    pub(crate) waiting: Option<WaitStream>,
    /// The background jobs (`cmd &`).
    pub(crate) jobs: crate::jobs::Jobs,
    /// The command line of the watch or followed log holding the terminal, as Ctrl+Z
    /// names the job it stops.
    pub(crate) foreground: Option<String>,
    /// The command line of the newest listener started in the foreground (`kubectl
    /// port-forward`, `kubectl proxy`, `minikube tunnel`): the prompt comes back while it
    /// listens, and Ctrl+C ends it or Ctrl+Z stops it as a job of this name.
    pub(crate) listener: Option<String>,
    /// Where the watch, followed log or wait holding the terminal prints (its command's
    /// redirections: `kubectl get pods -w > pods.txt` writes on into the file).
    pub(crate) foreground_sink: Sink,
    /// A command runs to become a background job: kubectl must not hold the prompt (a
    /// blocking command is left in `waiting`, objects `delete` waits for in `gone`).
    pub(crate) backgrounding: bool,
    /// The command runs in the foreground with its output piped into later stages: a
    /// blocking kubectl command is left in `waiting` and driven through the pipe
    /// ([`Session::drive_piped_wait`]), so a `head` that has its lines ends it.
    pub(crate) piping: bool,
    /// The command reads a pipe whose writer goes on printing (`get -w | uniq`): a tool
    /// that prints what it holds at the end of its input holds it on.
    pub(crate) reading_stream: bool,
    /// A request the background command just run left queued at a stopped listener.
    pub(crate) queued: Option<crate::jobs::QueuedRequest>,
    /// The rest of a typed list after a command that holds the terminal (`kubectl logs -f
    /// web | grep x; echo $?`), with the here-document it reads: bash runs it once that
    /// command ends by itself, and Ctrl+C drops it.
    pub(crate) resume: Option<ListRest>,
    /// The exit status of a foreground command that ended by itself while time passed.
    ended_status: Option<i32>,
    pub(crate) gone: Vec<kubectl::GoneKey>,
    /// An open here-document: the line that opened it, the body so far.
    heredoc: Option<(ShellLine, String)>,
    /// A line that goes on on the next one (it ended in `\` or `|`): the text so far.
    pending: Option<String>,
    /// The `kubectl edit` in progress: the object as it was opened (saves patch the changes
    /// since then) and the buffer the last failed save reopened.
    edit: Option<OpenEdit>,
    /// The shell's variables and `$?`.
    pub(crate) vars: Vars,
    aliases: Aliases,
    /// How deep `$(…)` substitutions are nested now.
    depth: u32,
    /// The loops running now and a pending `break`/`continue`.
    loops: crate::loops::LoopState,
    /// While a link replays: the virtual time a `sleep` may not run past, and whether one
    /// asked to.
    pub(crate) sleep_until: Option<u64>,
    pub(crate) overslept: bool,
    /// A container shell the terminal is attached to, a `logs -f` still streaming.
    pub(crate) host: crate::exec_mode::Host,
    /// An advance the page runs across frames ([`Session::advance_sliced`]); it is logged
    /// when it lands.
    in_flight: Option<InFlight>,
    /// What a watch printed when an advance landed outside the page's clock (before an
    /// action was logged): the next command or advance shows it first.
    carry: Output,
}

impl World {
    /// What a running watch, the background jobs and the terminal's attachments print once
    /// time has passed.
    fn poll_after_time(&mut self, out: &mut Output) {
        let World {
            cluster,
            watch,
            jobs,
            host,
            fs,
            foreground_sink,
            ..
        } = self;
        let mut printed = Output::default();
        if let Some(stream) = watch.as_mut() {
            printed.push_kubectl(stream.poll(cluster.store_mut()));
        }
        foreground_sink.deliver(std::mem::take(&mut printed.lines), out, fs);
        jobs.poll_ending(cluster, out, fs);
        jobs.poll_streams(cluster, out, fs);
        host.poll(cluster, &mut printed);
        foreground_sink.deliver(printed.lines, out, fs);
        if host.follow.as_ref().is_some_and(|f| f.ended(cluster.store())) {
            // The containers it follows have stopped: `logs -f` exits by itself.
            host.stop_follow();
            foreground_sink.finish(out, fs);
        }
        if foreground_sink.broken() {
            // SIGPIPE: `head` has exited, and the command with it.
            if let Some(mut s) = watch.take() {
                s.stop(cluster.store_mut());
            }
            host.stop_follow();
        }
    }
}

/// The rest of a typed list waiting for the command that holds the terminal.
#[derive(Debug, Clone)]
pub(crate) struct ListRest {
    pub line: ShellLine,
    /// The here-document the rest reads, if the line opened one.
    pub body: Option<String>,
}

/// An advance begun at `from_ms`, `ms` long, whose tasks have not all run yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InFlight {
    from_ms: u64,
    ms: u64,
}

/// One learner's lab: a simulated cluster (a one-node minikube), the lab's files, the
/// kubeconfig and the command history.
///
/// Cloning shares the lab (the page's reducer clones its state on every action); two
/// sessions are equal when they are the same lab with the same history.
#[derive(Clone)]
pub struct Session {
    history: Vec<String>,
    world: Rc<RefCell<World>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Session {
    fn eq(&self, other: &Session) -> bool {
        Rc::ptr_eq(&self.world, &other.world) && self.history == other.history
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::with_seed(DEFAULT_SEED)
    }
}

const HELP: &str = "\
kubelab terminal — commands available in this lab:
  kubectl …         talk to the simulated cluster (k is an alias)
  ls, cat, echo     the lab's files (cat > f.yaml <<'EOF' … EOF writes one)
  mkdir, rm, touch  make a directory, remove files, make an empty one
  date              the cluster's clock (date +%s)
  cd, pwd           change and show the working directory
  for, while, until loops: for p in $(kubectl get pods -o name); do …; done
                    … | while read p; do …; done reads a pipe a line at a time
  sleep N           let N seconds of cluster time pass
  grep, head, tail, wc -l   filter the output of a pipe (a | grep x -A2 -B1)
  awk '{print $1}', xargs   pick columns; run a command with the piped words
  sort, uniq -c, cut, tr    order, count, cut and translate piped lines
  echo -n x | base64, base64 -d   encode and decode a Secret's values
  curl, minikube            reach Services from the host; minikube ip, service, tunnel, addons
  NAME=value, echo $NAME    shell variables; NAME=$(cmd) keeps what cmd prints
  export, unset, env        exported variables
  alias n='…', unalias n    aliases (alias alone lists them)
  a 2>&1 | b, a 2>/dev/null errors into the pipe, or dropped (> f, 2> f write files)
  a; b   a && b   a || b    in turn, if a succeeded, if a failed (echo $? shows the status)
  a &, jobs, fg, kill %1    a in the background (kubectl port-forward … &), list, resume, stop
  a line ending in \\        goes on on the next line, at the > prompt
  help              show this list
  clear             clear the terminal (Ctrl+L does the same)
  history           list the commands typed so far
  kubelab version   print the lab's version
Use ↑/↓ to walk through earlier commands.";

impl Session {
    /// A fresh lab with an empty history.
    pub fn new() -> Session {
        Session::default()
    }

    /// A fresh lab whose cluster draws its names and uids from `seed`.
    pub fn with_seed(seed: u64) -> Session {
        Session::with_preset(Preset::Minikube, seed)
    }

    /// A fresh lab on one of the cluster presets (minikube, multinode, kubeadm, large-N).
    pub fn with_preset(preset: Preset, seed: u64) -> Session {
        Session::with_cluster_of(preset, seed, preset.build(seed))
    }

    /// A fresh lab over `cluster`, which `preset` built with `seed`.
    pub(crate) fn with_cluster_of(preset: Preset, seed: u64, cluster: Cluster) -> Session {
        let world = World {
            seed,
            preset,
            profile: Default::default(),
            machine: Default::default(),
            generation: 0,
            handed_over_ms: cluster.now().as_millis(),
            log: ActionLog::default(),
            cluster,
            fs: LabFs::default(),
            config: Kubeconfig::default(),
            watch: None,
            waiting: None,
            jobs: Default::default(),
            foreground: None,
            foreground_sink: Sink::default(),
            listener: None,
            backgrounding: false,
            piping: false,
            reading_stream: false,
            queued: None,
            resume: None,
            ended_status: None,
            gone: Vec::new(),
            heredoc: None,
            pending: None,
            edit: None,
            vars: Vars::default(),
            aliases: Aliases::default(),
            depth: 0,
            loops: crate::loops::LoopState::default(),
            sleep_until: None,
            overslept: false,
            host: Default::default(),
            in_flight: None,
            carry: Output::default(),
        };
        Session {
            history: Vec::new(),
            world: Rc::new(RefCell::new(world)),
        }
    }

    /// A lab that continues an earlier history (restored from storage by the page). Only the
    /// history is restored; the cluster starts fresh.
    pub fn with_history(history: Vec<String>) -> Session {
        Session {
            history,
            ..Session::default()
        }
    }

    /// The commands typed so far, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The seed the lab's cluster started from.
    pub fn seed(&self) -> u64 {
        self.world.borrow().seed
    }

    /// Whether the next line continues a here-document.
    pub fn in_heredoc(&self) -> bool {
        self.world.borrow().heredoc.is_some()
    }

    /// Whether the next line continues an earlier one: a here-document's body, or a line
    /// that ended in `\`, `|`, `&&` or `||`. The terminal shows bash's PS2 prompt, `> `.
    pub fn continuing(&self) -> bool {
        let w = self.world.borrow();
        w.heredoc.is_some() || w.pending.is_some()
    }

    /// The text of a line still being continued (what the next line is appended to).
    pub(crate) fn pending_line(&self) -> Option<String> {
        self.world.borrow().pending.clone()
    }

    /// Everything the lab holds, for the job control (jobs.rs, job_control.rs).
    pub(crate) fn world(&self) -> std::cell::RefMut<'_, World> {
        self.world.borrow_mut()
    }

    /// The shell's variables.
    pub(crate) fn loop_state(&self) -> std::cell::RefMut<'_, crate::loops::LoopState> {
        std::cell::RefMut::map(self.world.borrow_mut(), |w| &mut w.loops)
    }

    pub(crate) fn vars(&self) -> std::cell::RefMut<'_, Vars> {
        std::cell::RefMut::map(self.world.borrow_mut(), |w| &mut w.vars)
    }

    /// The shell's aliases.
    pub(crate) fn aliases(&self) -> std::cell::RefMut<'_, Aliases> {
        std::cell::RefMut::map(self.world.borrow_mut(), |w| &mut w.aliases)
    }

    /// Enters (`true`) or leaves a `$(…)`; false when nesting is too deep to enter.
    pub(crate) fn nest(&self, enter: bool) -> bool {
        let mut w = self.world.borrow_mut();
        if !enter {
            w.depth = w.depth.saturating_sub(1);
            return true;
        }
        if w.depth >= MAX_NESTING {
            return false;
        }
        w.depth += 1;
        true
    }

    /// `run_command` for a link's replay, where time is bounded by the next recorded action:
    /// a `sleep` that would end after `deadline_ms` does not run. Returns false when one
    /// asked to (a forged link could otherwise ask for years of simulation).
    pub(crate) fn replay_command(&mut self, line: &str, deadline_ms: u64) -> bool {
        {
            let mut w = self.world.borrow_mut();
            w.sleep_until = Some(deadline_ms);
            w.overslept = false;
        }
        self.run_command(line);
        let mut w = self.world.borrow_mut();
        w.sleep_until = None;
        !w.overslept
    }
    /// The text of a lab file, for the editor.
    pub fn file(&self, path: &str) -> Option<String> {
        // Editor paths are relative to home, wherever `cd` has taken the terminal.
        let path = crate::fs::LabFs::normalize(path);
        self.world.borrow().fs.read(&path).map(str::to_string)
    }

    /// Writes a lab file from the editor.
    pub fn write_file(&mut self, path: &str, text: &str) {
        self.record(LabAction::WriteFile {
            path: path.to_string(),
            text: text.to_string(),
        });
        let path = crate::fs::LabFs::normalize(path);
        self.world.borrow_mut().fs.write(&path, text, false);
    }

    /// The cluster preset the lab started from.
    pub fn preset(&self) -> Preset {
        self.world.borrow().preset
    }

    /// The virtual clock, in milliseconds since the cluster started (its boot included):
    /// the cluster time pods' ages and the page's clock count from.
    pub fn now_ms(&self) -> u64 {
        self.world.borrow().cluster.now().as_millis()
    }

    /// The cluster time the lab began at: when the preset was handed over, booted, with its
    /// system pods ready. A link's timestamps count from here.
    pub fn handed_over_ms(&self) -> u64 {
        self.world.borrow().handed_over_ms
    }

    /// What the lab was given so far (commands, editor writes and saves, time passing), each
    /// with the cluster time it happened at (a link counts from the hand-over instead).
    pub fn actions(&self) -> Vec<TimedAction> {
        self.world.borrow().log.actions().to_vec()
    }

    /// The lab's files, path → text, in path order.
    pub fn files(&self) -> Vec<(String, String)> {
        let w = self.world.borrow();
        let home = format!("{}/", crate::fs::HOME);
        w.fs.paths()
            .filter_map(|p| {
                let text = w.fs.read(p)?.to_string();
                Some((p.strip_prefix(&home).unwrap_or(p).to_string(), text))
            })
            .collect()
    }

    /// A line-oriented dump of the whole cluster (API objects and clock); equal dumps mean
    /// equal labs.
    pub fn dump(&self) -> String {
        self.world.borrow().cluster.dump()
    }

    /// Read access to the cluster's store, the files and the kubeconfig (for completion).
    pub(crate) fn with_parts<R>(
        &self,
        f: impl FnOnce(&cluster::Store, &LabFs, &Kubeconfig) -> R,
    ) -> R {
        let w = self.world.borrow();
        f(w.cluster.store(), &w.fs, &w.config)
    }

    /// Runs kubectl on the lab without logging it or touching the history, a running watch
    /// or the files (the editor's server-side dry run): `args` after `kubectl`, `stdin` as
    /// `-f -` reads it.
    pub(crate) fn kubectl_unlogged(&self, args: &[String], stdin: &str) -> Output {
        let mut w = self.world.borrow_mut();
        let World {
            cluster,
            fs,
            config,
            ..
        } = &mut *w;
        let line = args.join(" ");
        let mut env = kubectl::Env {
            store: cluster.store_mut(),
            files: &*fs,
            config,
            stdin: Some(stdin),
            command_line: &line,
            pods: &mut cluster::NoPods,
        };
        let generators = env.store.generators();
        let mut out = Output::default();
        out.push_kubectl(kubectl::run(args, &mut env).lines);
        // A dry run that drew a uid or a generated name must not shift the names later
        // objects get: the link's replay never runs it.
        env.store.restore_generators(generators);
        out
    }

    fn record(&self, action: LabAction) {
        // The log is in time order: an advance under way lands before anything else.
        let landed = self.land_in_flight();
        let mut w = self.world.borrow_mut();
        w.carry.lines.extend(landed.lines);
        let at_ms = w.cluster.now().as_millis();
        w.log.push(at_ms, action);
    }

    /// Lets time run up to the next thing the cluster has scheduled (at most `limit_ms`), and
    /// returns what a running watch printed. The step is logged as plain time passing.
    pub fn advance_to_next_event(&mut self, limit_ms: u64) -> Output {
        let ms = {
            let w = self.world.borrow();
            let now = w.cluster.now().as_millis();
            w.cluster
                .next_event_time()
                .map_or(limit_ms, |t| t.as_millis().saturating_sub(now).min(limit_ms))
        };
        self.advance(ms)
    }

    /// Ctrl+C: stops a running watch and abandons an open here-document or continued line.
    pub fn interrupt(&mut self) {
        self.record(LabAction::Interrupt);
        self.stop_watch();
        {
            let mut w = self.world.borrow_mut();
            let held = w.jobs.held();
            let World { cluster, host, .. } = &mut *w;
            host.interrupt(cluster, &held);
        }
        let mut w = self.world.borrow_mut();
        w.heredoc = None;
        w.pending = None;
        w.listener = None;
        // Bash abandons the rest of the list with the command it interrupted.
        w.resume = None;
        // Bash sets `$?` to 128 + SIGINT.
        w.vars.status = 130;
    }

    /// The working directory as bash's `\w` shows it (`~`, `~/ingress`, `/etc`).
    pub fn working_dir(&self) -> String {
        let w = self.world.borrow();
        let cwd = w.fs.cwd();
        match cwd.strip_prefix(crate::fs::HOME) {
            Some("") => "~".to_string(),
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => cwd.to_string(),
        }
    }

    /// The prompt of the container shell the terminal is attached to (`kubectl exec -it …
    /// sh`, until `exit`), to show instead of the lab's own.
    pub fn shell_prompt(&self) -> Option<String> {
        self.world.borrow().host.shell.as_ref().map(|s| s.prompt.clone())
    }

    /// Ctrl+Z: the watch or followed log holding the terminal stops and becomes the current
    /// job (`[1]+  Stopped                 kubectl get pods -w`, bash's pretty_print_job);
    /// it prints nothing until `bg` or `fg` continues it, then what it missed. Without one,
    /// a listener started in the foreground stops the same way: a port-forward or proxy
    /// keeps its socket but answers nothing until continued (`minikube tunnel`'s routes
    /// stay in the host's table, so traffic still flows). With nothing of the kind it does
    /// nothing, as at bash's prompt.
    pub fn suspend(&mut self) -> Output {
        let mut out = Output::default();
        let mut w = self.world.borrow_mut();
        let (command, task) = match (w.watch.take(), w.host.follow.take()) {
            (Some(watch), _) => (w.foreground.take(), crate::jobs::Task::Watch(watch)),
            (None, Some(follow)) => (w.foreground.take(), crate::jobs::Task::Follow(follow)),
            (None, None) => match foreground_listener(&w) {
                Some(task) => (w.listener.take(), task),
                None => return out,
            },
        };
        let command = command.unwrap_or_default();
        drop(w);
        self.record(LabAction::Suspend);
        let mut w = self.world.borrow_mut();
        let sink = std::mem::take(&mut w.foreground_sink);
        w.jobs.add_stopped(command, task, sink);
        let last = w.jobs.indices().last().unwrap_or(0);
        out.push(Stream::Stderr, w.jobs.status_line(last, false));
        // Bash sets `$?` to 128 + SIGTSTP, and goes on with the rest of the list.
        w.vars.status = 148;
        let rest = w.resume.take();
        drop(w);
        if let Some(rest) = rest {
            let step = self.run_list(&rest.line, rest.body);
            out.append(step);
        }
        out.status = self.world.borrow().vars.status;
        out
    }

    /// `exit`/`logout` at the prompt: whether the shell may leave. With stopped jobs the
    /// first attempt says `There are stopped jobs.` and stays, as bash does.
    pub fn leave(&mut self) -> Result<(), Output> {
        if self.world.borrow_mut().jobs.warn_on_exit() {
            let mut out = Output::stderr("There are stopped jobs.");
            out.status = 1;
            return Err(out);
        }
        Ok(())
    }

    /// Whether a `get -w` is still printing (Ctrl+C would stop it).
    pub fn watching(&self) -> bool {
        self.world.borrow().watch.is_some()
    }

    /// Whether something still prints as time passes (`get -w`, `logs -f`): a terminal keeps
    /// the clock running for it until Ctrl+C.
    pub fn streaming(&self) -> bool {
        let w = self.world.borrow();
        w.watch.is_some() || w.host.follow.is_some()
    }

    /// How many background jobs still run (the page shows their output in the tab that
    /// started them).
    pub fn background_jobs(&self) -> usize {
        self.world.borrow().jobs.running()
    }

    /// Lets `ms` milliseconds of simulated time pass and returns what a running `get -w`
    /// printed meanwhile.
    pub fn advance(&mut self, ms: u64) -> Output {
        self.record(LabAction::Advance { ms, times: 1 });
        let carried = self.take_carry();
        let mut out = self.pass_time(ms);
        out.lines.splice(0..0, carried.lines);
        out
    }

    /// Lets `ms` of simulated time pass for as long as `more()` allows (asked between the
    /// cluster's tasks), so a page can run a busy cluster in slices of a frame. Returns what
    /// a watch printed once the advance is whole; `None` while it is still under way, when
    /// the next call carries on with the same advance (whatever its `ms`). Until it lands
    /// nothing is logged; any other action lands it first. The cluster ends as
    /// [`Session::advance`] would leave it. A watch, background jobs and a waiting command
    /// follow the cluster event by event, so with any of them the advance runs whole.
    pub fn advance_sliced(&mut self, ms: u64, more: &mut dyn FnMut() -> bool) -> Option<Output> {
        let flight = self.world.borrow().in_flight;
        let flight = match flight {
            Some(f) => f,
            None if !self.can_slice() => return Some(self.advance(ms)),
            None => {
                let f = InFlight {
                    from_ms: self.now_ms(),
                    ms,
                };
                self.world.borrow_mut().in_flight = Some(f);
                f
            }
        };
        let until = SimTime(flight.from_ms + flight.ms);
        if !self.world.borrow_mut().cluster.advance_toward(until, more) {
            return None;
        }
        Some(self.land_in_flight())
    }

    /// Runs the rest of an advance under way at once and logs it; returns what a watch
    /// printed. Nothing happens when none is under way.
    pub fn land_in_flight(&self) -> Output {
        let Some(flight) = self.world.borrow_mut().in_flight.take() else {
            return Output::default();
        };
        let until = SimTime(flight.from_ms + flight.ms);
        let mut w = self.world.borrow_mut();
        w.cluster.advance_toward(until, &mut || true);
        w.log.push(
            flight.from_ms,
            LabAction::Advance {
                ms: flight.ms,
                times: 1,
            },
        );
        // The cluster already stands at the end: only what is attached to the terminal is
        // left to print.
        let mut out = Output::default();
        w.poll_after_time(&mut out);
        out
    }

    /// The virtual time the lab is at once an advance under way lands (a link's clock).
    pub fn settled_now_ms(&self) -> u64 {
        let w = self.world.borrow();
        w.in_flight
            .map_or_else(|| w.cluster.now().as_millis(), |f| f.from_ms + f.ms)
    }

    /// The log with an advance under way counted as landed (what a link carries).
    pub(crate) fn settled_actions(&self) -> Vec<TimedAction> {
        let w = self.world.borrow();
        let mut log = w.log.clone();
        if let Some(f) = w.in_flight {
            log.push(f.from_ms, LabAction::Advance { ms: f.ms, times: 1 });
        }
        log.actions().to_vec()
    }

    /// Whether time may pass in slices: nothing in the terminal needs to see each moment.
    fn can_slice(&self) -> bool {
        let w = self.world.borrow();
        w.profile != crate::minikube_profile::Profile::Stopped
            && w.jobs.is_empty()
            && w.watch.is_none()
            && w.waiting.is_none()
            && !(w.foreground_sink.pipe.is_some() && w.host.follow.is_some())
    }

    fn take_carry(&self) -> Output {
        std::mem::take(&mut self.world.borrow_mut().carry)
    }

    /// Runs the cluster's work already due at this instant, before a pipeline starts, and
    /// returns what background jobs printed meanwhile.
    ///
    /// Commands typed on one line, or on the lines of a script, run at one virtual instant,
    /// while in a real terminal tens of milliseconds of wall time separate them (a kubectl
    /// call alone takes that long), and controllers react to a write within milliseconds:
    /// `kubectl cordon minikube && kubectl describe node minikube` shows the
    /// unschedulable taint. So the tasks queued at the current instant (the components a
    /// write woke, and everything they wake in turn at that instant) run first, as an
    /// advance of zero would run them. The clock does not move: a command's time stays the
    /// time it was typed at, so a lab link's timestamps replay unchanged, and the same
    /// seed and lines give the same cluster. Work due even a millisecond later still waits
    /// for time to pass (`sleep`, the page's clock).
    pub(crate) fn catch_up(&mut self) -> Output {
        self.pass_time(0)
    }

    /// `advance` without logging, for `sleep` (whose command line is logged already).
    /// A background and-or list whose part ends on the way goes on at that moment.
    pub(crate) fn pass_time(&mut self, ms: u64) -> Output {
        let mut out = Output::default();
        let until = self.world.borrow().cluster.now() + SimDuration::from_millis(ms);
        loop {
            let early = self.pass_time_until(until, &mut out);
            // Commands a pipe's stage runs run at the moment they are due.
            out.append(self.drain_pipes());
            out.append(self.resume_list());
            if !early {
                break;
            }
            out.append(self.go_on_jobs());
        }
        out
    }

    /// Whether a foreground command holds the terminal (a watch, a followed log, a wait).
    pub(crate) fn holds_terminal(&self) -> bool {
        let w = self.world.borrow();
        w.watch.is_some() || w.host.follow.is_some() || w.waiting.is_some()
    }

    /// Whether the list running now was typed at the prompt: not inside `$(…)`, a loop or a
    /// background job, whose lists go on by their own rules.
    pub(crate) fn at_prompt_level(&self) -> bool {
        let w = self.world.borrow();
        w.depth == 0 && w.loops.depth == 0 && !w.backgrounding
    }

    /// The rest of a typed list, once the command that held the terminal has ended by
    /// itself: `$?` is that pipeline's status (its last stage's).
    fn resume_list(&mut self) -> Output {
        if self.holds_terminal() {
            return Output::default();
        }
        let (rest, status) = {
            let mut w = self.world.borrow_mut();
            let Some(rest) = w.resume.take() else {
                return Output::default();
            };
            let ended = w.ended_status.take();
            let status = w.foreground_sink.status().or(ended).unwrap_or(w.vars.status);
            w.foreground = None;
            (rest, status)
        };
        self.vars().status = status;
        let named = rest.line.pipelines.iter().map(|(_, p)| p.display()).collect::<Vec<_>>().join("; ");
        let out = self.run_list(&rest.line, rest.body);
        // What holds the terminal now is named by the rest of the line, for Ctrl+Z.
        if self.streaming() && self.world.borrow().foreground.is_none() {
            self.world.borrow_mut().foreground = Some(named);
        }
        out
    }

    /// Lets time pass up to `until`; stops early (returning true) when a background job's
    /// list is due to go on or a pipe's stage has commands to run.
    fn pass_time_until(&mut self, until: SimTime, out: &mut Output) -> bool {
        let mut w = self.world.borrow_mut();
        if w.profile == crate::minikube_profile::Profile::Stopped {
            // `minikube stop` powered every machine off: nothing in the cluster moves.
            return false;
        }
        let World {
            cluster,
            watch,
            waiting,
            jobs,
            fs,
            foreground_sink,
            host,
            resume,
            ended_status,
            ..
        } = &mut *w;
        // A foreground wait or followed log piped into later stages, or with the rest of
        // its list waiting for it, is followed event by event, so what comes next runs when
        // it is due.
        let piped = (foreground_sink.pipe.is_some() || resume.is_some()) && (waiting.is_some() || host.follow.is_some());
        if jobs.is_empty() && watch.is_none() && !piped {
            if let Some(mut blocked) = waiting.take() {
                let mut printed = Output::default();
                let ended = drive(cluster, &mut blocked, until, &mut printed);
                foreground_sink.deliver(printed.lines, out, fs);
                if ended {
                    *ended_status = blocked.exit_code();
                    foreground_sink.finish(out, fs);
                } else {
                    *waiting = Some(blocked);
                }
            }
        } else {
            let mut terminal = Terminal { fs, foreground_sink, out, ended_status, list_waits: resume.is_some() };
            drive_with_jobs(cluster, watch, waiting, &mut host.follow, jobs, until, &mut terminal);
        }
        let now = cluster.now();
        let released = resume.is_some() && watch.is_none() && waiting.is_none() && host.follow.is_none();
        let early = jobs.has_next() || jobs.has_due_pipe(now) || foreground_sink.due(now) || released;
        if !early {
            cluster.advance(until - cluster.now());
        }
        w.poll_after_time(out);
        early
    }

    /// The cluster, the files and the terminal's attachments, for the network and
    /// container-shell commands (net.rs, minikube.rs, exec_mode.rs).
    pub(crate) fn with_host<R>(
        &self,
        f: impl FnOnce(&mut Cluster, &mut LabFs, &mut crate::exec_mode::Host) -> R,
    ) -> R {
        let mut w = self.world.borrow_mut();
        let World {
            cluster, fs, host, ..
        } = &mut *w;
        f(cluster, fs, host)
    }

    /// What the cluster view draws: nodes, their pods and the pending lane (without kube-system).
    /// After `minikube delete` there is no cluster to draw, only the clock.
    pub fn snapshot(&self) -> crate::view::ClusterSnapshot {
        let w = self.world.borrow();
        if w.profile == crate::minikube_profile::Profile::Deleted {
            return crate::view::ClusterSnapshot {
                now_ms: w.cluster.now().0,
                deleted: true,
                ..Default::default()
            };
        }
        crate::view::ClusterSnapshot::of(&w.cluster, false)
    }

    /// Read access to the simulated cluster, for the page's views (plots, the scheduler's
    /// per-node explanations).
    pub fn with_cluster<R>(&self, f: impl FnOnce(&Cluster) -> R) -> R {
        f(&self.world.borrow().cluster)
    }

    /// Runs a read-only kubectl command for the page's inspector (`describe`, `get -o yaml`,
    /// `events`, `logs`): it prints what the terminal would, but stays out of the history
    /// and leaves a running watch alone.
    pub fn inspect(&self, args: &[&str]) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let line = args.join(" ");
        let mut w = self.world.borrow_mut();
        let World {
            cluster,
            fs,
            config,
            ..
        } = &mut *w;
        let mut env = kubectl::Env {
            store: cluster.store_mut(),
            files: &*fs,
            config,
            stdin: None,
            command_line: &line,
            pods: &mut cluster::NoPods,
        };
        let mut out = Output::default();
        out.push_kubectl(kubectl::run(&args, &mut env).lines);
        out
    }

    /// Applies the text saved from a `kubectl edit` buffer.
    pub fn save_edit(&mut self, text: &str) -> Output {
        self.record(LabAction::SaveEdit {
            text: text.to_string(),
        });
        let mut w = self.world.borrow_mut();
        let World {
            cluster,
            fs,
            config,
            edit,
            ..
        } = &mut *w;
        let mut env = kubectl::Env {
            store: cluster.store_mut(),
            files: &*fs,
            config,
            stdin: None,
            command_line: "",
            pods: &mut cluster::NoPods,
        };
        let open = edit.take();
        let result = kubectl::apply_edit(
            text,
            open.as_ref().and_then(|o| o.reopened.as_deref()),
            open.as_ref().map(|o| o.original.as_str()),
            &mut env,
        );
        cluster.settle();
        let mut out = Output::default();
        out.push_kubectl(result.lines);
        // A failed save comes back with kubectl's reasons in the header, to edit again.
        if let Some(e) = result.edit {
            if let Some(original) = open.map(|o| o.original) {
                *edit = Some(OpenEdit { original, reopened: Some(e.text.clone()) });
            }
            out.edit = Some((e.title, e.text));
        }
        out
    }

    /// Runs one terminal line and returns what it printed. Blank lines do nothing and are not
    /// remembered; every other line goes into the history, even when it fails. A line that
    /// continues (a here-document, a trailing `\` or `|`) waits for the next ones and goes
    /// into the history once whole. Before the prompt comes back, background jobs print what
    /// they saw meanwhile and the ones that ended are reported, as bash does.
    pub fn run_command(&mut self, line: &str) -> Output {
        let mut out = self.run_line(line);
        let carried = self.take_carry();
        if !carried.lines.is_empty() {
            out.lines.splice(0..0, carried.lines);
        }
        if out.continuation {
            return out;
        }
        if self.world.borrow().jobs.is_empty() {
            return out;
        }
        let served = self.serve_queued();
        out.lines.extend(served.lines);
        {
            let mut w = self.world.borrow_mut();
            let World { cluster, jobs, fs, .. } = &mut *w;
            let mut later = Output::default();
            jobs.poll_ending(cluster, &mut later, fs);
            jobs.poll_streams(cluster, &mut later, fs);
            out.lines.extend(later.lines);
        }
        let later = self.go_on_jobs();
        out.lines.extend(later.lines);
        let mut w = self.world.borrow_mut();
        let World { cluster, jobs, .. } = &mut *w;
        out.lines.extend(jobs.notices(cluster.now()).lines);
        out
    }

    /// Answers the requests background tools left queued at a listener Ctrl+Z stopped, in
    /// the order they queued, once it goes on (`bg`, `fg`): a process continued by SIGCONT
    /// accepts its socket's backlog. A listener that ended instead (`kill`) closed its
    /// socket, and the kernel reset the connections still queued.
    fn serve_queued(&mut self) -> Output {
        let mut out = Output::default();
        let queued = self.world.borrow().jobs.queued();
        for (pid, port) in queued {
            let (stopped, listening) = {
                let w = self.world.borrow();
                let proxy = w.host.proxy.as_ref().map(|p| p.port);
                (w.jobs.stopped_ports(proxy), w.cluster.network().forwards.contains_key(&port) || proxy == Some(port))
            };
            if stopped.contains(&port) {
                continue;
            }
            let Some(words) = self.world.borrow_mut().jobs.take_queued(pid) else {
                continue;
            };
            let tool = words.first().map(String::as_str);
            let printed = if listening || !matches!(tool, Some("curl" | "wget")) {
                self.run_words(&words, None)
            } else if tool == Some("wget") {
                // busybox wget, as the lab's wget is.
                let mut reset = Output::stderr("wget: error getting response: Connection reset by peer");
                reset.status = 1;
                reset
            } else {
                let mut reset = if cluster::network::tools::curl_errors_silenced(&words[1..]) {
                    Output::default()
                } else {
                    Output::stderr("curl: (56) Recv failure: Connection reset by peer")
                };
                reset.status = 56;
                reset
            };
            let mut w = self.world.borrow_mut();
            let World { cluster, jobs, fs, .. } = &mut *w;
            jobs.end_queued(pid, printed, cluster.now(), &mut out, fs);
        }
        out.append(self.drain_pipes());
        out
    }

    fn run_line(&mut self, line: &str) -> Output {
        if self.continuing() || !line.trim().is_empty() {
            self.record(LabAction::Command(line.to_string()));
        }
        if self.in_heredoc() {
            self.history.push(line.to_string());
            return self.continue_heredoc(line);
        }
        // Attached to a container's shell: the line runs there.
        if let Some(out) = self.with_host(|cluster, _, host| host.shell_line(cluster, line)) {
            self.history.push(line.to_string());
            return out;
        }
        let whole = match self.world.borrow_mut().pending.take() {
            Some(before) => before + line,
            None => line.to_string(),
        };
        if let Some(before) = shell::continues(&whole) {
            self.world.borrow_mut().pending = Some(before);
            return Output {
                continuation: true,
                ..Default::default()
            };
        }
        if whole.split_whitespace().next() != Some("sleep") {
            // A new command ends what held the terminal, as Ctrl+C would, and the rest of
            // its list with it.
            self.with_host(|_, _, host| host.stop_follow());
            self.world.borrow_mut().resume = None;
        }
        let line = whole.trim();
        if line.is_empty() {
            return Output::default();
        }
        self.history.push(line.to_string());
        let parsed = shell::parse(line, &self.aliases());
        let parsed = match parsed {
            Ok(p) => p,
            Err(err) => {
                let mut out = Output::stderr(format!("bash: {err}"));
                // Bash's status for a syntax error.
                out.status = 2;
                self.vars().status = 2;
                return out;
            }
        };
        // A loop opened and not closed yet: read on, as bash's `> ` prompt does; the
        // lines join as one, the newline acting as `;`.
        if crate::loops::open(&parsed) {
            self.history.pop();
            self.world.borrow_mut().pending = Some(format!("{line}; "));
            return Output {
                continuation: true,
                ..Default::default()
            };
        }
        // A command other than `sleep` ends a running watch, as Ctrl+C would.
        let first = parsed.pipelines.first().and_then(|(_, p)| p.commands.first()?.first()?.literal());
        if first.as_deref() != Some("sleep") {
            self.stop_watch();
        }
        if parsed.heredoc().is_some() {
            self.world.borrow_mut().heredoc = Some((parsed, String::new()));
            return Output {
                continuation: true,
                ..Default::default()
            };
        }
        if !self.streaming() {
            self.world.borrow_mut().foreground = None;
        }
        let (listening, named) = {
            let w = self.world.borrow();
            (foreground_listener(&w).is_some(), w.listener.clone())
        };
        let out = self.run_list(&parsed, None);
        // `fg` names the stream it brought back itself.
        if self.streaming() && self.world.borrow().foreground.is_none() {
            self.world.borrow_mut().foreground = Some(line.trim().to_string());
        }
        // A listener this line started takes its name (`fg` named the one it brought back).
        let mut w = self.world.borrow_mut();
        if !listening && foreground_listener(&w).is_some() && w.listener == named {
            w.listener = Some(line.trim().to_string());
        }
        drop(w);
        out
    }

    fn continue_heredoc(&mut self, line: &str) -> Output {
        let done = {
            let mut w = self.world.borrow_mut();
            let Some((parsed, body)) = w.heredoc.as_mut() else {
                return Output::default();
            };
            let delimiter = parsed.heredoc().map_or("", |h| h.delimiter.as_str());
            if line.trim_start_matches('\t') == delimiter {
                true
            } else {
                body.push_str(line);
                body.push('\n');
                false
            }
        };
        if !done {
            return Output {
                continuation: true,
                ..Default::default()
            };
        }
        let Some((parsed, body)) = self.world.borrow_mut().heredoc.take() else {
            return Output::default();
        };
        self.run_list(&parsed, Some(body))
    }

    /// Drives a blocking command piped into later stages in the foreground (`kubectl
    /// rollout status deploy/web | head -n 1`): the simulation runs event by event while
    /// what it prints goes through the pipe, until it ends by itself (the stages then print
    /// what they held), a stage has exited and its next write kills it (SIGPIPE), or the
    /// time kubectl holds the prompt is up, after which it goes on as a foreground wait.
    /// Commands the pipe's stages run run as they are due (`Session::drain_pipes`).
    pub(crate) fn drive_piped_wait(&mut self) -> Output {
        let mut out = Output::default();
        let until = {
            let w = self.world.borrow();
            let Some(blocked) = w.waiting.as_ref() else {
                return out;
            };
            let now = w.cluster.now();
            match blocked.deadline() {
                Some(d) => d.min(now + DEADLINE_LIMIT),
                None => now + BLOCK_LIMIT,
            }
        };
        while self.drive_piped_wait_until(until, &mut out) {
            out.append(self.drain_pipes());
        }
        out.append(self.drain_pipes());
        // Once the command has ended the pipeline ends with its last stage: the commands
        // still waiting run in turn while time passes.
        while self.world.borrow().waiting.is_none() {
            let (due, now) = {
                let w = self.world.borrow();
                (w.foreground_sink.next_due(), w.cluster.now())
            };
            let Some(due) = due else {
                break;
            };
            out.append(self.pass_time(due.as_millis().saturating_sub(now.as_millis())));
        }
        out
    }

    /// `drive_piped_wait` up to `until`; stops early (returning true) when a stage of the
    /// pipe has commands to run.
    fn drive_piped_wait_until(&mut self, until: SimTime, out: &mut Output) -> bool {
        let mut w = self.world.borrow_mut();
        let World { cluster, waiting, foreground_sink, fs, .. } = &mut *w;
        let Some(mut blocked) = waiting.take() else {
            return false;
        };
        cluster.settle();
        loop {
            let mut printed = Output::default();
            printed.push_kubectl(blocked.poll(cluster.store_mut()));
            foreground_sink.deliver(printed.lines, out, fs);
            if blocked.exit_code().is_some() {
                foreground_sink.finish(out, fs);
                return false;
            }
            if foreground_sink.broken() {
                blocked.stop(cluster.store_mut());
                return false;
            }
            let now = cluster.now();
            if foreground_sink.due(now) {
                *waiting = Some(blocked);
                return true;
            }
            let mut stop = blocked.deadline().map_or(until, |d| d.min(until));
            if now >= stop {
                *waiting = Some(blocked);
                return false;
            }
            // A command of the pipe waiting for the one before it to finish.
            if let Some(due) = foreground_sink.next_due().filter(|t| *t > now) {
                stop = stop.min(due);
            }
            match cluster.next_event_time() {
                Some(t) if t <= stop => {
                    cluster.step_to_next_event();
                }
                _ => cluster.advance(stop - cluster.now()),
            }
        }
    }

    pub(crate) fn stop_watch(&mut self) {
        let mut w = self.world.borrow_mut();
        w.foreground = None;
        w.foreground_sink = Sink::default();
        let World {
            cluster,
            watch,
            waiting,
            ..
        } = &mut *w;
        if let Some(mut s) = watch.take() {
            s.stop(cluster.store_mut());
        }
        if let Some(mut s) = waiting.take() {
            s.stop(cluster.store_mut());
        }
    }

    /// Runs one command, already expanded into its words.
    pub(crate) fn run_words(&mut self, words: &[String], stdin: Option<String>) -> Output {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        if let Some(out) = self.builtin(&words) {
            return out;
        }
        match words.as_slice() {
            [] => Output::default(),
            ["help"] => Output::stdout(HELP),
            ["clear"] => Output {
                clear_screen: true,
                ..Default::default()
            },
            ["history"] => Output::stdout(self.numbered_history()),
            ["kubelab", "version"] | ["kubelab", "--version"] => {
                Output::stdout(format!("kubelab {}", crate::VERSION))
            }
            ["kubelab", ..] => Output::stderr(
                "kubelab: unknown subcommand; in the lab terminal only `kubelab version` is available",
            ),
            ["kubectl", rest @ ..] => self.kubectl(rest, stdin),
            ["sleep", rest @ ..] => self.sleep(rest),
            ["ls", rest @ ..] => self.ls(rest),
            ["cat", rest @ ..] => self.cat(rest, stdin),
            ["echo", rest @ ..] => {
                let (newline, rest) = match rest {
                    ["-n", r @ ..] => (false, r),
                    r => (true, r),
                };
                let mut o = Output::stdout(rest.join(" "));
                o.unterminated = !newline;
                if rest.is_empty() && newline {
                    o.lines.push(OutputLine {
                        stream: Stream::Stdout,
                        text: String::new(),
                    });
                }
                o
            }
            ["mkdir", rest @ ..] => {
                let mut w = self.world.borrow_mut();
                for d in rest.iter().filter(|d| !d.starts_with('-')) {
                    w.fs.mkdir(d);
                }
                Output::default()
            }
            ["rm", rest @ ..] => self.rm(rest),
            ["pwd", ..] => Output::stdout(self.world.borrow().fs.cwd()),
            ["date", rest @ ..] => self.date(rest),
            ["touch", rest @ ..] => self.touch(rest),
            ["cd", rest @ ..] => self.cd(rest),
            [tool, ..] if crate::pipe::is_text_tool(tool) && *tool != "cat" => {
                let w = self.world.borrow();
                let input = crate::pipe::Input { text: stdin.as_deref(), open: w.reading_stream };
                crate::pipe::text_tool(&words, input, &w.fs).unwrap_or_default()
            }
            // `… | xargs kubectl delete po`: the command runs with the piped words appended.
            ["xargs", rest @ ..] => self.xargs(rest, stdin.as_deref()),
            ["curl", ..] | ["wget", ..] | ["ping", ..] | ["nc", ..] | ["nslookup", ..] => {
                let before = self.job_connections();
                let stopped = {
                    let w = self.world.borrow();
                    w.jobs.stopped_ports(w.host.proxy.as_ref().map(|p| p.port))
                };
                if self.world.borrow().backgrounding && !stopped.is_empty() {
                    // In the background the tool may wait: its request stays queued at the
                    // stopped listener until that goes on (`Session::serve_queued`).
                    let queued = self.with_host(|cluster, fs, host| {
                        crate::net::queued(cluster, fs, host.proxy.as_ref(), &stopped, &words)
                    });
                    if let Some(q) = queued {
                        let mut w = self.world.borrow_mut();
                        let now = w.cluster.now();
                        w.queued = Some(crate::jobs::QueuedRequest {
                            words: words.iter().map(|w| w.to_string()).collect(),
                            port: q.port,
                            gives_up: q.gives_up.map(|(after, printed)| (now + after, printed)),
                        });
                        return Output::default();
                    }
                }
                let mut out = self.with_host(|cluster, fs, host| {
                    crate::net::run(cluster, fs, host.proxy.as_ref(), &stopped, &words)
                });
                let mut lines = self.connection_notices(&before);
                lines.append(&mut out.lines);
                out.lines = lines;
                out
            }
            ["minikube", rest @ ..] => self.minikube_command(rest),
            ["docker", ..] | ["vim", ..] | ["vi", ..] => {
                let mut out = Output::stderr(format!(
                    "{}: not available in this lab: the cluster is simulated; use the editor pane for files and kubectl for the cluster",
                    words[0]
                ));
                out.status = 127;
                out
            }
            [program, ..] if NODE_HOST_TOOLS.contains(program) => {
                // Tools of a node's own operating system: the lab's nodes are simulated and
                // have no host shell, so say so rather than pretend.
                let mut out = Output::stderr(format!(
                    "{program}: not available in this lab: the nodes are simulated and have no operating system to log in to or inspect; use kubectl (get, describe, logs, exec) to see what the cluster does"
                ));
                out.status = 127;
                out
            }
            [program, ..] if BROWSERS.contains(program) => {
                let mut out = Output::stderr(format!(
                    "{program}: not available in this lab: there is no browser here; use curl"
                ));
                out.status = 127;
                out
            }
            [program, ..] => {
                let mut out = Output::stderr(format!("bash: {program}: command not found"));
                out.status = 127;
                out
            }
        }
    }

    fn kubectl(&mut self, args: &[&str], stdin: Option<String>) -> Output {
        {
            let w = self.world.borrow();
            // After `minikube stop` the API server's machine is off: kubectl reaches no one
            // (its own `config` commands need no server).
            if w.profile == crate::minikube_profile::Profile::Stopped
                && w.config.reaches_cluster(None)
                && !args.contains(&"config")
            {
                let server = w.config.server.trim_start_matches("https://");
                return Output::stderr(kubectl::connection_refused(server, true, w.cluster.now()));
            }
        }
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut w = self.world.borrow_mut();
        let World {
            cluster,
            fs,
            config,
            ..
        } = &mut *w;
        let line = args.join(" ");
        let mut result = {
            let (store, mut pods) = cluster.client();
            let mut env = kubectl::Env {
                store,
                files: &*fs,
                config,
                stdin: stdin.as_deref(),
                command_line: &line,
                pods: &mut pods,
            };
            kubectl::run(&args, &mut env)
        };
        cluster.settle();
        if result.busy > SimDuration::ZERO {
            // The command held the prompt (an exec'd tool waiting for its timeout).
            cluster.advance(result.busy);
        }
        let mut out = Output {
            status: result.exit_code,
            unterminated: result.unterminated,
            ..Output::default()
        };
        out.push_kubectl(std::mem::take(&mut result.lines));
        if w.backgrounding {
            // A background job: kubectl goes on waiting while the prompt comes back.
            w.gone = std::mem::take(&mut result.wait_gone);
            if let Some(mut blocked) = result.wait.take() {
                out.push_kubectl(blocked.poll(w.cluster.store_mut()));
                w.waiting = Some(blocked);
            }
        }
        let w_piping = w.piping;
        let World {
            cluster,
            fs,
            config,
            watch,
            waiting,
            ..
        } = &mut *w;
        if !result.wait_gone.is_empty() {
            let keys = result.wait_gone;
            // kubectl blocks until the objects are gone; the simulation runs meanwhile.
            let _ = cluster.run_until(|c| keys.iter().all(|k| k.is_gone(c.store())), DELETE_WAIT);
        }
        if let Some(mut blocked) = result.wait.take_if(|b| w_piping && b.blocks()) {
            // Piped into later stages: it prints its first lines now and goes on through the
            // pipe (`Session::drive_piped_wait`).
            out.push_kubectl(blocked.poll(cluster.store_mut()));
            match blocked.exit_code() {
                Some(code) => out.status = code,
                None => *waiting = Some(blocked),
            }
        }
        if let Some(mut blocked) = result.wait {
            // kubectl holds the prompt until the command ends; the simulation runs meanwhile.
            let until = match blocked.deadline() {
                _ if !blocked.blocks() => cluster.now(),
                Some(d) => d.min(cluster.now() + DEADLINE_LIMIT),
                None => cluster.now() + BLOCK_LIMIT,
            };
            if drive(cluster, &mut blocked, until, &mut out) {
                out.status = blocked.exit_code().unwrap_or(out.status);
            } else {
                *waiting = Some(blocked);
            }
        }
        if let Some(attach) = result.attach.take() {
            // `run -i/-t`: kubectl waits for the pod (--pod-running-timeout) while the
            // simulation runs, then attaches.
            let _ = cluster.run_until(|c| attach.ready(c.store()), ATTACH_WAIT);
            let finished = {
                let (store, mut pods) = cluster.client();
                let mut env = kubectl::Env {
                    store,
                    files: &*fs,
                    config,
                    stdin: None,
                    command_line: &line,
                    pods: &mut pods,
                };
                attach.finish(&mut env)
            };
            cluster.settle();
            out.push_kubectl(finished.lines);
            out.status = out.status.max(finished.exit_code);
            if !finished.wait_gone.is_empty() {
                let keys = finished.wait_gone;
                let _ = cluster.run_until(|c| keys.iter().all(|k| k.is_gone(c.store())), DELETE_WAIT);
            }
            result.shell = finished.shell.or(result.shell);
        }
        if let Some(stream) = result.watch {
            *watch = Some(stream);
        }
        if let Some(edit) = result.edit {
            w.edit = Some(OpenEdit { original: edit.original, reopened: None });
            out.push(
                Stream::Stdout,
                format!(
                    "Opening {} in the editor; save it to apply your changes.",
                    edit.title
                ),
            );
            out.edit = Some((edit.title, edit.text));
        }
        let World {
            fs, host, cluster, ..
        } = &mut *w;
        host.absorb(result.follow, result.shell, result.write_files, fs, &mut out);
        if let Some(p) = result.proxy {
            host.start_proxy(cluster, p, &mut out);
        }
        out
    }

    fn sleep(&mut self, args: &[&str]) -> Output {
        let Some(arg) = args.first() else {
            return Output::stderr("sleep: missing operand");
        };
        let Some(ms) = sleep_ms(arg) else {
            return Output::stderr(format!("sleep: invalid time interval '{arg}'"));
        };
        {
            let mut w = self.world.borrow_mut();
            let now = w.cluster.now().as_millis();
            if w.sleep_until.is_some_and(|until| now.saturating_add(ms) > until) {
                w.overslept = true;
                return Output::stderr("sleep: the replayed lab does not reach this time");
            }
        }
        self.pass_time(ms)
    }

    fn ls(&self, args: &[&str]) -> Output {
        let w = self.world.borrow();
        let paths: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
        let targets = if paths.is_empty() { vec!["."] } else { paths };
        let mut out = Output::default();
        for p in &targets {
            if w.fs.read(p).is_some() {
                out.push(Stream::Stdout, p.to_string());
            } else if w.fs.is_dir(p) {
                let entries = w.fs.entries(p);
                if targets.len() > 1 {
                    out.push(Stream::Stdout, format!("{p}:"));
                }
                if long {
                    for e in entries {
                        out.push(Stream::Stdout, e.trim_end_matches('/').to_string());
                    }
                } else if !entries.is_empty() {
                    let names: Vec<String> = entries
                        .iter()
                        .map(|e| e.trim_end_matches('/').to_string())
                        .collect();
                    out.push(Stream::Stdout, names.join("  "));
                }
            } else {
                out.push(
                    Stream::Stderr,
                    format!("ls: cannot access '{p}': No such file or directory"),
                );
                // GNU ls: 2 when a command-line argument cannot be accessed.
                out.status = 2;
            }
        }
        out
    }

    /// `date` on the cluster's virtual clock, in UTC as the simulated machines keep it
    /// (`date +%s`, `date -u`).
    fn date(&self, args: &[&str]) -> Output {
        use cluster::kubelet::runtime::{date, date_as};
        let now = self.world.borrow().cluster.now();
        let args: Vec<&str> = args.iter().copied().filter(|a| !matches!(*a, "-u" | "--utc" | "--universal")).collect();
        match args.as_slice() {
            [] => Output::stdout(date(now)),
            [format] if format.starts_with('+') => Output::stdout(date_as(now, &format[1..])),
            [other, ..] => {
                let mut out = Output::stderr(format!(
                    "date: this lab's date prints the cluster's clock only: '{other}' is not available"
                ));
                out.status = 1;
                out
            }
        }
    }

    /// `touch FILE…`: an empty file where none is; an existing file is left as it is.
    fn touch(&self, args: &[&str]) -> Output {
        let files: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if files.is_empty() {
            let mut out = Output::stderr("touch: missing file operand\nTry 'touch --help' for more information.");
            out.status = 1;
            return out;
        }
        let mut w = self.world.borrow_mut();
        for f in files {
            if !w.fs.is_dir(f) {
                w.fs.write(f, "", true);
            }
        }
        Output::default()
    }

    fn cat(&self, args: &[&str], stdin: Option<String>) -> Output {
        let w = self.world.borrow();
        // A text without a final newline passes on without one (`echo -n x > f; cat f | base64`).
        let open_end = |t: &str| !t.is_empty() && !t.ends_with('\n');
        if args.is_empty() || args == ["-"] {
            let mut o = Output::default();
            let text = stdin.unwrap_or_default();
            o.unterminated = open_end(&text);
            o.push(Stream::Stdout, text);
            return o;
        }
        let mut out = Output::default();
        for p in args {
            match w.fs.read(p).or_else(|| node_file(&w, p)) {
                Some(t) => {
                    out.unterminated = open_end(t);
                    out.push(Stream::Stdout, t.to_string());
                }
                None if w.fs.is_dir(p) => {
                    out.push(Stream::Stderr, format!("cat: {p}: Is a directory"));
                    out.status = 1;
                }
                None => {
                    out.push(Stream::Stderr, format!("cat: {p}: No such file or directory"));
                    out.status = 1;
                }
            }
        }
        out
    }

    /// bash's `cd`: no operand goes home, `-` goes back to `$OLDPWD` (and prints it); PWD and
    /// OLDPWD follow.
    fn cd(&mut self, args: &[&str]) -> Output {
        let fail = |msg: String| {
            let mut out = Output::stderr(msg);
            out.status = 1;
            out
        };
        let mut w = self.world.borrow_mut();
        let (target, announce) = match args {
            [] => (crate::fs::HOME.to_string(), false),
            ["-"] => match w.vars.get("OLDPWD") {
                old if old.is_empty() => return fail("bash: cd: OLDPWD not set".into()),
                old => (old, true),
            },
            [dir] => ((*dir).to_string(), false),
            _ => return fail("bash: cd: too many arguments".into()),
        };
        let before = w.fs.cwd().to_string();
        if let Err(why) = w.fs.change_dir(&target) {
            return fail(format!("bash: cd: {target}: {why}"));
        }
        let now = w.fs.cwd().to_string();
        w.vars.set("OLDPWD", &before);
        w.vars.set("PWD", &now);
        if announce {
            Output::stdout(now)
        } else {
            Output::default()
        }
    }

    fn rm(&mut self, args: &[&str]) -> Output {
        let mut w = self.world.borrow_mut();
        let recursive = args
            .iter()
            .any(|a| a.starts_with('-') && (a.contains('r') || a.contains('R')));
        let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
        let mut out = Output::default();
        for p in args.iter().filter(|a| !a.starts_with('-')) {
            if w.fs.remove(p) {
                continue;
            }
            if w.fs.is_dir(p) {
                if recursive {
                    w.fs.remove_dir(p);
                } else {
                    out.push(
                        Stream::Stderr,
                        format!("rm: cannot remove '{p}': Is a directory"),
                    );
                    out.status = 1;
                }
            } else if !force {
                out.push(
                    Stream::Stderr,
                    format!("rm: cannot remove '{p}': No such file or directory"),
                );
                out.status = 1;
            }
        }
        out
    }

    fn numbered_history(&self) -> String {
        self.history
            .iter()
            .enumerate()
            .map(|(i, line)| format!("{:>5}  {line}", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Steps the simulation event by event up to `until`, printing what a blocking command
/// prints after each step. Returns whether the command ended (the clock then stands where it
/// ended; otherwise at `until`).
pub(crate) fn drive(cluster: &mut Cluster, blocked: &mut WaitStream, until: SimTime, out: &mut Output) -> bool {
    cluster.settle();
    loop {
        out.push_kubectl(blocked.poll(cluster.store_mut()));
        if blocked.exit_code().is_some() {
            return true;
        }
        let stop = blocked.deadline().map_or(until, |d| d.min(until));
        if cluster.now() >= stop {
            return false;
        }
        match cluster.next_event_time() {
            Some(t) if t <= stop => {
                cluster.step_to_next_event();
            }
            _ => cluster.advance(stop - cluster.now()),
        }
    }
}

/// What the terminal listens with in the foreground, as the job Ctrl+Z would make of it:
/// port-forwards no job holds, else the proxy, else the tunnel.
fn foreground_listener(w: &World) -> Option<crate::jobs::Task> {
    let held = w.jobs.held();
    let ports: Vec<u16> =
        w.cluster.network().forwards.keys().copied().filter(|p| !held.ports.contains(p)).collect();
    if !ports.is_empty() {
        Some(crate::jobs::Task::Forward(ports))
    } else if w.host.proxy.is_some() && !held.proxy {
        Some(crate::jobs::Task::Proxy)
    } else if w.cluster.network().tunnel && !held.tunnel {
        Some(crate::jobs::Task::Tunnel)
    } else {
        None
    }
}

/// Where what time brings is printed: the terminal's output, and the files redirections
/// write into.
struct Terminal<'a> {
    fs: &'a mut LabFs,
    foreground_sink: &'a mut Sink,
    out: &'a mut Output,
    /// Where the exit status of a foreground wait that ends goes.
    ended_status: &'a mut Option<i32>,
    /// The rest of the typed list waits for the foreground command: its end is looked for
    /// after every event.
    list_waits: bool,
}

/// `drive` for a lab with background jobs or a watch: the foreground command (if any), the
/// watches and followed logs, and the jobs that wait for the cluster see it after every
/// event, and the clock stops at each job's deadline (a `sleep`'s end) on the way to
/// `until`. A watch so prints each change when it happens, its AGE column as of then (get.go
/// prints every event as it arrives), not when the lab's time step ends. A followed log
/// piped into later stages is followed event by event too, so what they run runs when its
/// lines come (unpiped, what it printed shows when the step ends, `World::poll_after_time`).
fn drive_with_jobs(
    cluster: &mut Cluster,
    watch: &mut Option<WatchStream>,
    waiting: &mut Option<WaitStream>,
    follow: &mut Option<kubectl::LogFollow>,
    jobs: &mut crate::jobs::Jobs,
    until: SimTime,
    terminal: &mut Terminal<'_>,
) {
    cluster.settle();
    // Followed event by event when its end matters at once: its pipe's stages or the rest
    // of its list go on then.
    let piped_follow = terminal.foreground_sink.pipe.is_some() || terminal.list_waits;
    loop {
        let mut printed = Output::default();
        if let Some(blocked) = waiting.as_mut() {
            printed.push_kubectl(blocked.poll(cluster.store_mut()));
        }
        if let Some(stream) = watch.as_mut() {
            printed.push_kubectl(stream.poll(cluster.store_mut()));
        }
        if let Some(f) = follow.as_mut().filter(|_| piped_follow) {
            let (_, pods) = cluster.client();
            printed.push_kubectl(f.poll(&pods));
        }
        terminal.foreground_sink.deliver(printed.lines, terminal.out, terminal.fs);
        if let Some(code) = waiting.as_ref().and_then(WaitStream::exit_code) {
            *waiting = None;
            *terminal.ended_status = Some(code);
            terminal.foreground_sink.finish(terminal.out, terminal.fs);
        }
        if piped_follow && follow.as_ref().is_some_and(|f| f.ended(cluster.store())) {
            *follow = None;
            terminal.foreground_sink.finish(terminal.out, terminal.fs);
        }
        if terminal.foreground_sink.broken() {
            *follow = None;
            // SIGPIPE: `head` has exited, and the command with it.
            if let Some(mut s) = watch.take() {
                s.stop(cluster.store_mut());
            }
            if let Some(mut s) = waiting.take() {
                s.stop(cluster.store_mut());
            }
        }
        jobs.poll_ending(cluster, terminal.out, terminal.fs);
        jobs.poll_streams(cluster, terminal.out, terminal.fs);
        let now = cluster.now();
        let released = terminal.list_waits && watch.is_none() && waiting.is_none() && follow.is_none();
        if now >= until || jobs.has_next() || jobs.has_due_pipe(now) || terminal.foreground_sink.due(now) || released {
            return;
        }
        let fg_deadline = waiting.as_ref().and_then(WaitStream::deadline).filter(|d| *d > now);
        // A command waiting in a pipe for the one before it to finish.
        let pipe_due = [jobs.next_pipe_due(), terminal.foreground_sink.next_due()]
            .into_iter()
            .flatten()
            .filter(|t| *t > now)
            .min();
        let stop = [Some(until), fg_deadline, jobs.next_deadline(now), pipe_due]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(until);
        let per_event = waiting.is_some()
            || watch.is_some()
            || (piped_follow && follow.is_some())
            || jobs.steps_events()
            || jobs.streams();
        match cluster.next_event_time() {
            Some(t) if per_event && t <= stop => {
                cluster.step_to_next_event();
            }
            _ => cluster.advance(stop - now),
        }
    }
}

/// A file of the node's own system the terminal reads when it is a shell on a node (the
/// kubeadm preset) and the lab has no file of that name: its resolver is the host's
/// (`/etc/resolv.conf` naming the network's gateway, no cluster search domains), so cluster
/// names do not resolve there, as `nslookup` on the node shows.
fn node_file(w: &World, path: &str) -> Option<&'static str> {
    w.cluster.network().terminal_node.as_ref()?;
    match w.fs.resolve(path).as_str() {
        "/etc/resolv.conf" => Some(cluster::network::dns::NODE_RESOLV_CONF),
        _ => None,
    }
}

/// The milliseconds `sleep ARG` waits (`5`, `1.5s`, `2m`, `1h`), or None for a bad interval.
pub(crate) fn sleep_ms(arg: &str) -> Option<u64> {
    let (num, mult) = match arg.strip_suffix('m') {
        Some(n) => (n, 60_000.0),
        None => match arg.strip_suffix('h') {
            Some(n) => (n, 3_600_000.0),
            None => (arg.strip_suffix('s').unwrap_or(arg), 1000.0),
        },
    };
    match num.parse::<f64>() {
        Ok(n) if n >= 0.0 && n.is_finite() => Some((n * mult).round() as u64),
        _ => None,
    }
}

/// The text filters a pipe may end in besides `grep` (grep.rs).
pub(crate) mod filters {
    use super::{Output, Stream};
    use crate::fs::LabFs;

    /// GNU `head`/`tail` with `-n N`/`-N`, on files (with `==> f <==` headers when several) or
    /// standard input.
    pub fn head_tail(args: &[&str], stdin: Option<&str>, fs: &LabFs, head: bool) -> Output {
        let tool = if head { "head" } else { "tail" };
        let mut n = 10usize;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            if a == "-n" {
                n = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(10);
                i += 1;
            } else if a != "-" && a.starts_with('-') {
                let v = a.strip_prefix("-n").unwrap_or(&a[1..]);
                n = v.parse().unwrap_or(n);
            } else {
                files.push(a);
            }
            i += 1;
        }
        let mut out = Output::default();
        if files.is_empty() {
            files.push("-");
        }
        // GNU prints a header before each file when more than one is named, in order, with
        // the errors of unreadable ones where they fall.
        let headers = files.len() > 1;
        let mut shown_any = false;
        for name in &files {
            let text = if *name == "-" {
                stdin.unwrap_or("")
            } else if let Some(t) = fs.read(name) {
                t
            } else {
                let why = if fs.is_dir(name) { "Is a directory" } else { "No such file or directory" };
                out.push(Stream::Stderr, format!("{tool}: cannot open '{name}' for reading: {why}"));
                out.status = 1;
                continue;
            };
            if headers {
                if std::mem::replace(&mut shown_any, true) {
                    out.lines.push(super::OutputLine {
                        stream: Stream::Stdout,
                        text: String::new(),
                    });
                }
                let shown = if *name == "-" { "standard input" } else { name };
                out.push(Stream::Stdout, format!("==> {shown} <=="));
            }
            let lines: Vec<&str> = text.lines().collect();
            let pick: Vec<&str> = if head {
                lines.into_iter().take(n).collect()
            } else {
                let skip = lines.len().saturating_sub(n);
                lines.into_iter().skip(skip).collect()
            };
            for l in pick {
                out.lines.push(super::OutputLine {
                    stream: Stream::Stdout,
                    text: l.to_string(),
                });
            }
        }
        out
    }

    pub fn wc(args: &[&str], input: Option<&str>) -> Output {
        let text = input.unwrap_or("");
        let (mut lines, mut words, mut chars, mut bytes) = (false, false, false, false);
        for a in args {
            let flags = match a.strip_prefix("--") {
                Some("lines") => "l",
                Some("words") => "w",
                Some("bytes") => "c",
                Some("chars") => "m",
                Some(other) => {
                    return Output::stderr(format!(
                        "wc: unrecognized option '--{other}'\nTry 'wc --help' for more information."
                    ));
                }
                None => match a.strip_prefix('-') {
                    Some(f) if !f.is_empty() => f,
                    _ => {
                        return Output::stderr(crate::coreutils::file_operand_refused("wc", a, "wc"));
                    }
                },
            };
            for f in flags.chars() {
                match f {
                    'l' => lines = true,
                    'w' => words = true,
                    'c' => bytes = true,
                    'm' => chars = true,
                    other => {
                        return Output::stderr(format!(
                            "wc: invalid option -- '{other}'\nTry 'wc --help' for more information."
                        ));
                    }
                }
            }
        }
        if !(lines || words || chars || bytes) {
            (lines, words, bytes) = (true, true, true);
        }
        let counts: Vec<usize> = [
            lines.then(|| text.matches('\n').count()),
            words.then(|| text.split_whitespace().count()),
            chars.then(|| text.chars().count()),
            bytes.then_some(text.len()),
        ]
        .into_iter()
        .flatten()
        .collect();
        match counts.as_slice() {
            [one] => Output::stdout(one.to_string()),
            many => Output::stdout(
                many.iter()
                    .map(|n| format!("{n:>7}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lines: &[&str], want: &str) {
        let mut session = Session::new();
        let mut got = String::new();
        for line in lines {
            got.push_str(&session.run_command(line).text());
        }
        assert_eq!(got, want, "after {lines:?}");
    }

    #[test]
    fn version_names_the_workspace_version() {
        check(
            &["kubelab version"],
            &format!("kubelab {}\n", crate::VERSION),
        );
    }

    #[test]
    fn unknown_programs_are_not_found() {
        check(
            &["frobnicate --now"],
            "bash: frobnicate: command not found\n",
        );
    }

    #[test]
    fn kubectl_talks_to_the_cluster() {
        check(
            &["kubectl get pods"],
            "No resources found in default namespace.\n",
        );
        check(&["k create namespace demo"], "namespace/demo created\n");
    }

    #[test]
    fn heredoc_writes_a_file_that_kubectl_applies() {
        let mut s = Session::new();
        assert!(s.run_command("cat > ns.yaml <<'EOF'").continuation);
        assert!(s.run_command("apiVersion: v1").continuation);
        assert!(s.run_command("kind: Namespace").continuation);
        assert!(s.run_command("metadata:").continuation);
        assert!(s.run_command("  name: luffy").continuation);
        let done = s.run_command("EOF");
        assert!(!done.continuation);
        assert_eq!(s.run_command("ls").text(), "ns.yaml\n");
        assert_eq!(
            s.run_command("kubectl apply -f ns.yaml").text(),
            "namespace/luffy created\n"
        );
        assert_eq!(
            s.run_command("kubectl apply -f ns.yaml").text(),
            "namespace/luffy unchanged\n"
        );
    }

    #[test]
    fn pipes_and_redirects() {
        let mut s = Session::new();
        s.run_command("echo hello > a.txt");
        s.run_command("echo world >> a.txt");
        assert_eq!(s.run_command("cat a.txt | grep wor").text(), "world\n");
        assert_eq!(s.run_command("cat a.txt | wc -l").text(), "2\n");
    }

    #[test]
    fn an_open_quote_goes_on_on_the_next_line_like_bash() {
        check(&["echo 'abc", "def'"], "abc\ndef\n");
    }

    #[test]
    fn history_numbers_every_non_blank_line() {
        check(
            &["help", "", "history"],
            &format!("{HELP}\n    1  help\n    2  history\n"),
        );
    }

    #[test]
    fn clear_asks_for_a_clear_screen_and_prints_nothing() {
        let mut session = Session::new();
        let out = session.run_command("clear");
        assert!(out.clear_screen);
        assert!(out.lines.is_empty());
    }

    #[test]
    fn errors_go_to_stderr() {
        let mut session = Session::new();
        let out = session.run_command("nope");
        assert_eq!(out.lines[0].stream, Stream::Stderr);
    }
}
