//! Background jobs, as bash's job control shows them (bash 5, jobs.c): `cmd &` prints
//! `[N] PID` and gives the prompt back while the command goes on (`sleep`, `get -w`,
//! `logs -f`, `rollout status`, `port-forward`, `proxy`, `minikube tunnel`, a `curl` whose
//! request waits at a stopped listener); what it prints
//! reaches the terminal as simulated time passes; `jobs`, `fg`, `kill`, `wait` and `$!`
//! work on the table; a job that ended is reported (`[1]+  Done …`) before the next prompt.
//! An and-or list (`sleep 3 && echo done &`) is one job whose parts run one after the other
//! as time passes.
//!
//! Nothing here runs on its own: a job is what a command left running (a stream, a listener,
//! a deadline), and the session polls it whenever it lets time pass.

use cluster::{Cluster, SimTime};
use kubectl::{GoneKey, LogFollow, WaitStream, WatchStream};

use crate::fs::LabFs;
use crate::session::{Output, OutputLine, Stream};
use crate::shell::{Connector, Pipeline};
use crate::sink::Sink;

/// The parts of an and-or list still to run, with the connector before each.
pub(crate) type Parts = Vec<(Connector, Pipeline)>;

/// The first process id the lab hands out; later jobs count up from it.
const FIRST_PID: u32 = 4127;

/// bash's width of a job's state column (`LONGEST_SIGNAL_DESC`).
const STATE_WIDTH: usize = 24;

/// What a background job is doing.
pub(crate) enum Task {
    /// `sleep N &`: ends at this time.
    Sleep(SimTime),
    /// `kubectl get -w`: prints changes until killed.
    Watch(WatchStream),
    /// `kubectl logs -f`: prints new log lines until killed.
    Follow(LogFollow),
    /// A command that ends on its own as the cluster changes (`rollout status`, `wait`,
    /// `events -w`).
    Wait(WaitStream),
    /// `kubectl delete` waiting for its objects to go.
    Gone(Vec<GoneKey>),
    /// `kubectl port-forward`: listening on these local ports.
    Forward(Vec<u16>),
    /// `kubectl proxy`: the terminal's API proxy.
    Proxy,
    /// `minikube tunnel`.
    Tunnel,
    /// A command that finished as soon as it started (`kubectl get pods &`).
    Finished,
    /// `curl localhost:8080 &` at a listener Ctrl+Z stopped: its request waits in the
    /// socket's queue until the listener goes on (`bg`, `fg`) and answers it.
    Queued(QueuedRequest),
}

/// A network tool's request waiting in a stopped listener's queue.
pub(crate) struct QueuedRequest {
    /// The tool's words, to run once the listener reads the request.
    pub words: Vec<String>,
    /// The listener's local port.
    pub port: u16,
    /// When the tool gives up by itself, and what it prints and exits with then.
    pub gives_up: Option<(SimTime, Output)>,
}

impl Task {
    /// Whether the job may end without being killed.
    fn ends_by_itself(&self) -> bool {
        match self {
            Task::Sleep(_) | Task::Wait(_) | Task::Gone(_) | Task::Finished => true,
            Task::Queued(q) => q.gives_up.is_some(),
            _ => false,
        }
    }
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// It exited with this status.
    Exited(i32),
    /// A signal ended it.
    Signal(Signal),
}

impl End {
    /// `$?` for it: the status, or 128 + the signal's number.
    pub fn status(self) -> i32 {
        match self {
            End::Exited(s) => s,
            End::Signal(sig) => 128 + sig.number(),
        }
    }

    /// The state column of `jobs` and of the notice.
    fn describe(self) -> String {
        match self {
            End::Exited(0) => "Done".into(),
            End::Exited(s) => format!("Exit {s}"),
            End::Signal(sig) => sig.description().into(),
        }
    }
}

/// The signals `kill` sends in this lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    Hup,
    Int,
    Kill,
    Term,
}

impl Signal {
    /// `-9`, `-KILL`, `-SIGKILL`, `9`, `KILL` …; None for one the lab does not know.
    pub fn parse(spec: &str) -> Option<Signal> {
        let s = spec.to_ascii_uppercase();
        let s = s.strip_prefix("SIG").unwrap_or(&s);
        Some(match s {
            "1" | "HUP" => Signal::Hup,
            "2" | "INT" => Signal::Int,
            "9" | "KILL" => Signal::Kill,
            "15" | "TERM" => Signal::Term,
            _ => return None,
        })
    }

    fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Kill => 9,
            Signal::Term => 15,
        }
    }

    /// strsignal(3), as bash prints it for a job the signal ended.
    fn description(self) -> &'static str {
        match self {
            Signal::Hup => "Hangup",
            Signal::Int => "Interrupt",
            Signal::Kill => "Killed",
            Signal::Term => "Terminated",
        }
    }
}

/// Whether a job still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    /// Ctrl+Z stopped it: it holds what it held, but prints and polls nothing until `bg`
    /// or `fg` continues it.
    Stopped,
    /// Ended at `at`, during command line number `line`.
    Ended { end: End, at: SimTime, line: u64 },
}

/// One entry of the job table.
pub(crate) struct Job {
    pub number: u32,
    pub pid: u32,
    /// The command as `jobs` shows it, without the `&`.
    pub command: String,
    pub task: Task,
    /// Where `task` prints: the redirections of the command that left it running.
    pub sink: Sink,
    /// What an and-or list (`sleep 3 && echo done &`) runs once `task` ends: bash's
    /// subshell runs its parts one after the other, so a part after a `sleep` runs when
    /// the sleep is over.
    pub rest: Parts,
    /// `task` ended with this status and `rest` is due to run now.
    next: Option<i32>,
    state: State,
}

impl Job {
    pub fn running(&self) -> bool {
        self.state == State::Running
    }

    /// Ctrl+Z stopped it and nothing continued it yet.
    pub fn stopped(&self) -> bool {
        self.state == State::Stopped
    }

    /// Not ended yet: running or stopped.
    pub fn alive(&self) -> bool {
        self.running() || self.stopped()
    }

    /// How it ended, once it has.
    pub fn end(&self) -> Option<End> {
        match self.state {
            State::Running | State::Stopped => None,
            State::Ended { end, .. } => Some(end),
        }
    }
}

/// What background jobs hold that Ctrl+C in the foreground must leave alone.
#[derive(Debug, Default)]
pub(crate) struct Held {
    pub ports: Vec<u16>,
    pub proxy: bool,
    pub tunnel: bool,
}

/// The shell's job table.
#[derive(Default)]
pub(crate) struct Jobs {
    list: Vec<Job>,
    /// Jobs `disown` took out of the table: they run on (a watch still prints, a
    /// port-forward still forwards) but no command names them and nothing reports their end.
    disowned: Vec<Job>,
    /// Process ids handed out so far.
    pids: u32,
    /// Command lines finished so far (a job that ended during a line is reported at the end
    /// of the next one unless time passed after it ended, as bash's notice comes at the
    /// prompt after it noticed the child's end).
    line: u64,
    /// `exit` already said `There are stopped jobs.` since the last Ctrl+Z.
    warned: bool,
}

/// A job named on a command line: `%N`, `%%`, `%+`, `%-`, `%name`, `%?text`, or a pid.
pub(crate) enum Spec<'a> {
    Job(&'a str),
    Pid(u32),
}

impl Jobs {
    /// Adds a job and returns its number and pid. Numbers count up from the highest in use,
    /// from 1 when the table is empty (bash's rule).
    pub fn add(&mut self, command: String, task: Task) -> (u32, u32) {
        let number = self.list.iter().map(|j| j.number).max().unwrap_or(0) + 1;
        let pid = FIRST_PID + self.pids;
        self.pids += 1;
        let sink = Sink::default();
        self.list.push(Job { number, pid, command, task, sink, rest: Vec::new(), next: None, state: State::Running });
        (number, pid)
    }

    /// Adds the foreground command Ctrl+Z stopped as a stopped job (the current one).
    pub fn add_stopped(&mut self, command: String, task: Task, sink: Sink) -> u32 {
        self.warned = false;
        let (number, _) = self.add(command, task);
        if let Some(j) = self.list.last_mut() {
            j.state = State::Stopped;
            j.sink = sink;
        }
        number
    }

    /// `bg`: a stopped job runs on in the background.
    pub fn resume(&mut self, i: usize) {
        if self.list[i].stopped() {
            self.list[i].state = State::Running;
        }
    }

    /// `disown`: job `i` leaves the table and runs on unnamed (a stopped one is continued,
    /// as bash's disown of a stopped job would otherwise leave it stopped forever; bash
    /// warns instead, the lab keeps it simple by continuing it).
    pub fn disown(&mut self, i: usize) {
        let mut job = self.list.remove(i);
        if job.alive() {
            job.state = State::Running;
            self.disowned.push(job);
        }
    }

    /// The job `pid` (in the table or disowned) exited with `status` at `now`.
    pub fn finish(&mut self, pid: u32, status: i32, now: SimTime) {
        let line = self.line;
        if let Some(j) = self.by_pid(pid) {
            j.state = State::Ended { end: End::Exited(status), at: now, line };
            j.rest.clear();
            j.next = None;
        }
    }

    /// The job `pid` of an and-or list goes on with `task` (printing into `sink`), and
    /// `rest` after it.
    pub fn go_on(&mut self, pid: u32, task: Task, sink: Sink, rest: Parts) {
        if let Some(j) = self.by_pid(pid) {
            j.task = task;
            j.sink = sink;
            j.rest = rest;
            j.next = None;
        }
    }

    fn by_pid(&mut self, pid: u32) -> Option<&mut Job> {
        self.list.iter_mut().chain(&mut self.disowned).find(|j| j.pid == pid)
    }

    /// A running job whose part ended and whose list goes on now: its pid, the parts left
    /// and the status of the one that ended.
    pub fn take_next(&mut self) -> Option<(u32, Parts, i32)> {
        let job = self.list.iter_mut().chain(&mut self.disowned).find(|j| j.running() && j.next.is_some())?;
        let status = job.next.take()?;
        Some((job.pid, std::mem::take(&mut job.rest), status))
    }

    /// Whether a stage of some job's pipe has a command due at `now` (a job Ctrl+Z
    /// stopped runs nothing until continued).
    pub fn has_due_pipe(&self, now: SimTime) -> bool {
        self.list.iter().chain(&self.disowned).any(|j| !j.stopped() && j.sink.due(now))
    }

    /// The earliest time a command waiting in a job's pipe is due.
    pub fn next_pipe_due(&self) -> Option<SimTime> {
        self.list.iter().chain(&self.disowned).filter(|j| !j.stopped()).filter_map(|j| j.sink.next_due()).min()
    }

    /// The sink of a job whose pipe has a command due at `now`, taken out to run it (put
    /// back with [`Jobs::put_sink`]), with the job's pid.
    pub fn take_due_sink(&mut self, now: SimTime) -> Option<(u32, Sink)> {
        let job = self.list.iter_mut().chain(&mut self.disowned).find(|j| !j.stopped() && j.sink.due(now))?;
        Some((job.pid, std::mem::take(&mut job.sink)))
    }

    /// Puts job `pid`'s sink back; a job that exited takes the status of its pipe's last
    /// stage once that ran a command (bash reports the last stage's).
    pub fn put_sink(&mut self, pid: u32, sink: Sink) {
        let Some(job) = self.by_pid(pid) else {
            return;
        };
        if let (State::Ended { end: End::Exited(_), at, line }, Some(status)) = (job.state, sink.status()) {
            job.state = State::Ended { end: End::Exited(status), at, line };
        }
        job.sink = sink;
    }

    /// Whether some job's list is due to go on (its part ended).
    pub fn has_next(&self) -> bool {
        self.list.iter().chain(&self.disowned).any(|j| j.running() && j.next.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Whether a job Ctrl+Z stopped is still in the table (`exit` warns once).
    pub fn any_stopped(&self) -> bool {
        self.list.iter().any(Job::stopped)
    }

    /// `exit` with stopped jobs: true the first time (bash then stays, saying `There are
    /// stopped jobs.`); a second `exit` leaves.
    pub fn warn_on_exit(&mut self) -> bool {
        let warn = self.any_stopped() && !self.warned;
        self.warned |= warn;
        warn
    }

    /// How many jobs still run.
    pub fn running(&self) -> usize {
        self.list.iter().filter(|j| j.running()).count()
    }

    /// The ports, proxy and tunnel running jobs hold.
    pub fn held(&self) -> Held {
        let mut held = Held::default();
        for j in self.list.iter().chain(&self.disowned).filter(|j| j.alive()) {
            match &j.task {
                Task::Forward(ports) => held.ports.extend(ports),
                Task::Proxy => held.proxy = true,
                Task::Tunnel => held.tunnel = true,
                _ => {}
            }
        }
        held
    }

    /// The local ports whose listener is a job Ctrl+Z stopped (its port-forward's ports,
    /// `proxy_port` for a stopped `kubectl proxy`): their sockets stay open, unanswered.
    pub fn stopped_ports(&self, proxy_port: Option<u16>) -> Vec<u16> {
        let mut ports = Vec::new();
        for j in self.list.iter().filter(|j| j.stopped()) {
            match &j.task {
                Task::Forward(p) => ports.extend(p),
                Task::Proxy => ports.extend(proxy_port),
                _ => {}
            }
        }
        ports
    }

    /// The running jobs whose request waits at a listener, in the order they queued, with
    /// the listener's port.
    pub fn queued(&self) -> Vec<(u32, u16)> {
        self.list
            .iter()
            .chain(&self.disowned)
            .filter(|j| j.running())
            .filter_map(|j| match &j.task {
                Task::Queued(q) => Some((j.pid, q.port)),
                _ => None,
            })
            .collect()
    }

    /// The words of job `pid`'s queued request, taken out to run: the job then counts as
    /// finished once [`Jobs::end_queued`] records how the request went.
    pub fn take_queued(&mut self, pid: u32) -> Option<Vec<String>> {
        let job = self.by_pid(pid)?;
        match std::mem::replace(&mut job.task, Task::Finished) {
            Task::Queued(q) => Some(q.words),
            other => {
                job.task = other;
                None
            }
        }
    }

    /// Job `pid`'s queued request was answered (or reset): what the tool printed goes
    /// where the job prints, and the job ends with the tool's status.
    pub fn end_queued(&mut self, pid: u32, printed: Output, now: SimTime, out: &mut Output, fs: &mut LabFs) {
        let line = self.line;
        if let Some(job) = self.by_pid(pid) {
            job.sink.deliver(printed.lines, out, fs);
            job.sink.finish(out, fs);
            if job.rest.is_empty() {
                job.state = State::Ended { end: End::Exited(printed.status), at: now, line };
            } else {
                // The list goes on: the session runs what follows (Session::go_on_jobs).
                job.next = Some(printed.status);
            }
        }
    }

    /// Where the running job listening on local `port` prints (a `port-forward`'s
    /// `Handling connection for PORT`).
    pub fn port_sink(&mut self, port: u16) -> Option<&mut Sink> {
        self.list
            .iter_mut()
            .chain(&mut self.disowned)
            .filter(|j| j.alive())
            .find(|j| matches!(&j.task, Task::Forward(ports) if ports.contains(&port)))
            .map(|j| &mut j.sink)
    }

    /// The index of the current job (`+`: the newest) and the previous one (`-`).
    fn marks(&self) -> (Option<usize>, Option<usize>) {
        let n = self.list.len();
        (n.checked_sub(1), n.checked_sub(2))
    }

    pub fn mark(&self, i: usize) -> char {
        match self.marks() {
            (Some(c), _) if c == i => '+',
            (_, Some(p)) if p == i => '-',
            _ => ' ',
        }
    }

    /// The index of the job `spec` names, or bash's complaint (without the `bash: fg: `).
    pub fn find(&self, spec: &Spec<'_>) -> Result<usize, String> {
        let found = match spec {
            Spec::Pid(pid) => self.list.iter().position(|j| j.pid == *pid),
            Spec::Job(text) => {
                let body = text.strip_prefix('%').unwrap_or(text);
                match body {
                    "" | "%" | "+" => self.marks().0,
                    "-" => self.marks().1.or(self.marks().0),
                    n if n.chars().all(|c| c.is_ascii_digit()) => {
                        let n: u32 = n.parse().unwrap_or(0);
                        self.list.iter().position(|j| j.number == n)
                    }
                    n => match n.strip_prefix('?') {
                        Some(part) => self.list.iter().rposition(|j| j.command.contains(part)),
                        None => self.list.iter().rposition(|j| j.command.starts_with(n)),
                    },
                }
            }
        };
        found.ok_or_else(|| match spec {
            Spec::Pid(pid) => format!("pid {pid} is not a child of this shell"),
            Spec::Job(t) if matches!(*t, "%" | "%%" | "%+" | "") => "current: no such job".to_string(),
            Spec::Job(t) => format!("{t}: no such job"),
        })
    }

    pub fn get(&self, i: usize) -> &Job {
        &self.list[i]
    }

    /// Takes a job out of the table (`fg`, `wait`).
    pub fn remove(&mut self, i: usize) -> Job {
        self.list.remove(i)
    }

    /// The indices of every job, oldest first.
    pub fn indices(&self) -> std::ops::Range<usize> {
        0..self.list.len()
    }

    /// Ends job `i` with `signal`, releasing what it held.
    pub fn kill(&mut self, i: usize, signal: Signal, cluster: &mut Cluster, host: &mut crate::exec_mode::Host) {
        let line = self.line;
        let job = &mut self.list[i];
        if !job.alive() {
            return;
        }
        stop_task(&mut job.task, cluster, host);
        job.rest.clear();
        job.next = None;
        // The signal ends the whole pipeline: its later stages run nothing more.
        job.sink.pipe = None;
        job.state = State::Ended { end: End::Signal(signal), at: cluster.now(), line };
    }

    /// The cluster went away (`minikube delete`): every running job's kubectl fails.
    pub fn lose_server(&mut self, cluster: &mut Cluster, host: &mut crate::exec_mode::Host) {
        let line = self.line;
        let now = cluster.now();
        for job in self.list.iter_mut().chain(&mut self.disowned).filter(|j| j.alive()) {
            stop_task(&mut job.task, cluster, host);
            let status = if matches!(job.task, Task::Sleep(_)) { 0 } else { 1 };
            if status == 0 {
                // A `sleep` does not need the cluster.
                continue;
            }
            job.state = State::Ended { end: End::Exited(status), at: now, line };
        }
    }

    /// One `jobs` line: `[1]+  Running                 sleep 30 &`; `-l` adds the pid.
    pub fn status_line(&self, i: usize, with_pid: bool) -> String {
        let job = &self.list[i];
        let (state, amp) = match job.state {
            State::Running => ("Running".to_string(), " &"),
            State::Stopped => ("Stopped".to_string(), ""),
            State::Ended { end, .. } => (end.describe(), ""),
        };
        let pid = if with_pid { format!(" {} ", job.pid) } else { "  ".to_string() };
        format!(
            "[{}]{}{pid}{state:<width$}{}{amp}",
            job.number,
            self.mark(i),
            job.command,
            width = STATE_WIDTH
        )
    }

    /// `jobs`: every job's line; the ended ones count as reported and leave the table.
    pub fn list(&mut self, with_pid: bool, pids_only: bool) -> Output {
        let mut out = Output::default();
        for i in self.indices() {
            let text = if pids_only { self.list[i].pid.to_string() } else { self.status_line(i, with_pid) };
            out.lines.push(OutputLine { stream: Stream::Stdout, text });
        }
        self.list.retain(Job::alive);
        out
    }

    /// The notices due before the prompt, for jobs that ended since the last ones; the
    /// reported jobs leave the table. Ends the current command line.
    pub fn notices(&mut self, now: SimTime) -> Output {
        let mut out = Output::default();
        let line = self.line;
        let due = |j: &Job| match j.state {
            State::Running | State::Stopped => false,
            State::Ended { at, line: ended, .. } => ended < line || at < now,
        };
        for i in self.indices() {
            if due(&self.list[i]) {
                let text = self.status_line(i, false);
                out.lines.push(OutputLine { stream: Stream::Stderr, text });
            }
        }
        self.list.retain(|j| !due(j));
        // Nobody hears of a disowned job's end.
        self.disowned.retain(Job::running);
        self.line += 1;
        out
    }

    /// The earliest time after `now` at which a job may end by itself without a cluster
    /// event (a `sleep`'s end, a command's deadline).
    pub fn next_deadline(&self, now: SimTime) -> Option<SimTime> {
        self.list
            .iter()
            .chain(&self.disowned)
            .filter(|j| j.running())
            .filter_map(|j| match &j.task {
                Task::Sleep(t) => Some(*t),
                Task::Wait(w) => w.deadline(),
                Task::Queued(q) => q.gives_up.as_ref().map(|(t, _)| *t),
                _ => None,
            })
            .filter(|t| *t > now)
            .min()
    }

    /// Whether a running job must see the cluster after every event (it waits for a state
    /// that may not last).
    pub fn steps_events(&self) -> bool {
        self.list
            .iter()
            .chain(&self.disowned)
            .any(|j| j.running() && matches!(j.task, Task::Wait(_) | Task::Gone(_)))
    }

    /// Whether a running job prints as the cluster changes (a watch, a followed log).
    pub fn streams(&self) -> bool {
        self.list
            .iter()
            .chain(&self.disowned)
            .any(|j| j.running() && matches!(j.task, Task::Watch(_) | Task::Follow(_)))
    }

    /// Whether every job among `which` may end by itself.
    pub fn all_end_by_themselves(&self, which: &[u32]) -> bool {
        self.list
            .iter()
            .filter(|j| which.contains(&j.pid) && j.running())
            .all(|j| j.task.ends_by_itself())
    }

    /// Polls the jobs that end as the cluster changes (and `sleep`s whose time came), at the
    /// cluster's present time.
    pub fn poll_ending(&mut self, cluster: &mut Cluster, out: &mut Output, fs: &mut LabFs) {
        let now = cluster.now();
        let line = self.line;
        for job in self.list.iter_mut().chain(&mut self.disowned).filter(|j| j.running()) {
            let end = match &mut job.task {
                Task::Sleep(until) => (*until <= now).then_some((0, *until)),
                Task::Wait(w) => {
                    let mut printed = Output::default();
                    push_kubectl(&mut printed, w.poll(cluster.store_mut()));
                    job.sink.deliver(printed.lines, out, fs);
                    let code = w.exit_code();
                    if code.is_some() {
                        job.sink.finish(out, fs);
                    } else if job.sink.broken() {
                        // SIGPIPE: `head` has exited; the pipeline's status is the last stage's.
                        w.stop(cluster.store_mut());
                    }
                    code.or_else(|| job.sink.broken().then_some(0)).map(|code| (code, now))
                }
                Task::Gone(keys) => keys.iter().all(|k| k.is_gone(cluster.store())).then_some((0, now)),
                // `logs -f` ends once the containers it follows have stopped.
                Task::Follow(f) => {
                    let mut printed = Output::default();
                    {
                        let (_, pods) = cluster.client();
                        push_kubectl(&mut printed, f.poll(&pods));
                    }
                    job.sink.deliver(printed.lines, out, fs);
                    let ended = f.ended(cluster.store());
                    if ended {
                        job.sink.finish(out, fs);
                    }
                    ended.then_some((0, now))
                }
                Task::Queued(q) => match q.gives_up.take() {
                    Some((at, printed)) if at <= now => {
                        job.sink.deliver(printed.lines, out, fs);
                        job.sink.finish(out, fs);
                        Some((printed.status, at))
                    }
                    kept => {
                        q.gives_up = kept;
                        None
                    }
                },
                _ => None,
            };
            if let Some((status, at)) = end {
                if job.rest.is_empty() {
                    job.state = State::Ended { end: End::Exited(status), at, line };
                } else {
                    // The list goes on: the session runs what follows (Session::go_on_jobs).
                    job.task = Task::Finished;
                    job.next = Some(status);
                }
            }
        }
    }

    /// Prints what watches and followed logs saw since their last poll.
    pub fn poll_streams(&mut self, cluster: &mut Cluster, out: &mut Output, fs: &mut LabFs) {
        let line = self.line;
        for job in self.list.iter_mut().chain(&mut self.disowned).filter(|j| j.running()) {
            let mut printed = Output::default();
            match &mut job.task {
                Task::Watch(w) => push_kubectl(&mut printed, w.poll(cluster.store_mut())),
                Task::Follow(f) => {
                    let (_, pods) = cluster.client();
                    push_kubectl(&mut printed, f.poll(&pods));
                }
                _ => {}
            }
            job.sink.deliver(printed.lines, out, fs);
            if matches!(job.task, Task::Watch(_) | Task::Follow(_)) && job.sink.broken() {
                // SIGPIPE: `head` has exited; the pipeline's status is the last stage's.
                if let Task::Watch(w) = &mut job.task {
                    w.stop(cluster.store_mut());
                }
                job.task = Task::Finished;
                job.state = State::Ended { end: End::Exited(0), at: cluster.now(), line };
            }
        }
    }
}

/// Stops what a task holds (its kubectl was killed).
pub(crate) fn stop_task(task: &mut Task, cluster: &mut Cluster, host: &mut crate::exec_mode::Host) {
    match task {
        Task::Watch(w) => w.stop(cluster.store_mut()),
        Task::Wait(w) => w.stop(cluster.store_mut()),
        Task::Forward(ports) => {
            for p in ports.iter() {
                cluster.stop_forward(*p);
            }
        }
        Task::Proxy => host.proxy = None,
        Task::Tunnel => cluster.set_tunnel(false),
        Task::Sleep(_) | Task::Follow(_) | Task::Gone(_) | Task::Finished | Task::Queued(_) => {}
    }
}

fn push_kubectl(out: &mut Output, lines: Vec<kubectl::Line>) {
    for l in lines {
        let stream = match l.stream {
            kubectl::Stream::Stdout => Stream::Stdout,
            kubectl::Stream::Stderr => Stream::Stderr,
        };
        out.lines.push(OutputLine { stream, text: l.text });
    }
}
