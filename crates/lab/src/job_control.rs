//! bash's job-control commands over the job table (jobs.rs): `cmd &`, `jobs`, `fg`, `bg`,
//! `kill` and `wait` (bash 5: builtins/jobs.def, kill.def, wait.def; messages as bash
//! prints them).

use cluster::SimDuration;

use crate::jobs::{Parts, Signal, Spec, Task};
use crate::session::{self, Output, OutputLine, Session, Stream, World};
use crate::shell::{Connector, Pipeline};
use crate::sink::Sink;

/// A line bash writes on standard error without the command failing (`[1] 4127`).
fn notice(out: &mut Output, text: String) {
    out.lines.push(OutputLine { stream: Stream::Stderr, text });
}

/// `bash: NAME: message` with `status`.
fn failure(name: &str, message: &str, status: i32) -> Output {
    let mut out = Output::stderr(format!("bash: {name}: {message}"));
    out.status = status;
    out
}

/// What running a job's parts left.
enum Left {
    /// This part goes on, printing into the sink; these parts follow it.
    Task(Box<Task>, Box<Sink>, Parts),
    /// Every part ran; the last one's status.
    Done(i32),
}

/// A job spec or pid argument as bash reads it.
fn spec(arg: &str) -> Option<Spec<'_>> {
    if arg.starts_with('%') {
        return Some(Spec::Job(arg));
    }
    arg.parse().ok().map(Spec::Pid)
}

/// `sleep N &` with a literal, valid N: the milliseconds it sleeps.
fn background_sleep(pipeline: &Pipeline) -> Option<u64> {
    let [words] = pipeline.commands.as_slice() else { return None };
    let literal: Option<Vec<String>> = words.iter().map(|w| w.literal()).collect();
    match literal?.as_slice() {
        [sleep, arg] if sleep == "sleep" => session::sleep_ms(arg),
        _ => None,
    }
}

impl Session {
    /// `pipeline &`: runs it as a job and prints `[N] PID`; what it leaves running (a
    /// stream, a listener, a wait) goes on in the background.
    pub(crate) fn start_job(&mut self, pipeline: &Pipeline, stdin: Option<String>) -> Output {
        self.start_list_job(&[(Connector::Then, pipeline.clone())], stdin)
    }

    /// `a && b || c &`: the whole and-or list is one job, run part by part as bash's
    /// subshell runs it: the parts that finish at once run now; one that goes on (a
    /// `sleep`, a watch, a `rollout status`) becomes the job's task, and what follows it
    /// runs when it ends (`Session::go_on_jobs`), so `sleep 3 && echo done &` prints
    /// `done` three seconds later.
    pub(crate) fn start_list_job(&mut self, list: &[(Connector, Pipeline)], stdin: Option<String>) -> Output {
        let command = list
            .iter()
            .enumerate()
            .map(|(k, (c, p))| match (k, c) {
                (0, _) | (_, Connector::Then) => p.display(),
                (_, Connector::And) => format!("&& {}", p.display()),
                (_, Connector::Or) => format!("|| {}", p.display()),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut out = Output::default();
        if list.is_empty() {
            return out;
        }
        let (lines, left) = self.run_job_parts(list, 0, true, stdin);
        let mut w = self.world();
        let (n, pid) = w.jobs.add(command, Task::Finished);
        match left {
            Left::Task(task, sink, rest) => w.jobs.go_on(pid, *task, *sink, rest),
            Left::Done(status) => {
                let now = w.cluster.now();
                w.jobs.finish(pid, status, now);
            }
        }
        w.vars.last_background = Some(pid);
        notice(&mut out, format!("[{n}] {pid}"));
        out.lines.extend(lines);
        out
    }

    /// Runs the and-or list parts of a job, after a part that ended with `status` (the
    /// first part runs regardless when `first`), until one goes on in the background or
    /// none is left.
    fn run_job_parts(
        &mut self,
        parts: &[(Connector, Pipeline)],
        mut status: i32,
        first: bool,
        mut stdin: Option<String>,
    ) -> (Vec<OutputLine>, Left) {
        let mut lines = Vec::new();
        for (k, (c, p)) in parts.iter().enumerate() {
            let runs = (first && k == 0) || c.runs_after(status);
            if !runs {
                continue;
            }
            let rest = parts[k + 1..].to_vec();
            if let Some(ms) = background_sleep(p) {
                // `sleep 5 > f &` opens (empties) its file at once and writes nothing to it.
                let opened = Pipeline { commands: vec![Vec::new()], background: false, ..p.clone() };
                let (step, sink) = self.run_routed(&opened, None);
                lines.extend(step.lines);
                let until = self.world().cluster.now() + SimDuration::from_millis(ms);
                return (lines, Left::Task(Box::new(Task::Sleep(until)), Box::new(sink), rest));
            }
            let (step, task, sink) = self.run_in_background(p, stdin.take());
            status = step.status;
            lines.extend(step.lines);
            if let Some(task) = task {
                return (lines, Left::Task(Box::new(task), Box::new(sink), rest));
            }
        }
        (lines, Left::Done(status))
    }

    /// Runs one pipeline of a background job: kubectl does not hold the prompt, and what
    /// it leaves running (a stream, a listener, a wait) is returned as the job's task, with
    /// where it prints (the pipeline's redirections). A watch or log the terminal shows
    /// meanwhile stays the terminal's.
    fn run_in_background(&mut self, pipeline: &Pipeline, stdin: Option<String>) -> (Output, Option<Task>, Sink) {
        let (saved, ports_before, proxy_before, tunnel_before) = {
            let mut w = self.world();
            let saved = (w.watch.take(), w.waiting.take(), w.host.follow.take(), std::mem::take(&mut w.gone));
            let ports: Vec<u16> = w.cluster.network().forwards.keys().copied().collect();
            w.backgrounding = true;
            (saved, ports, w.host.proxy.is_some(), w.cluster.network().tunnel)
        };
        let mut now = pipeline.clone();
        now.background = false;
        let (step, sink) = self.run_routed(&now, stdin);
        if sink.broken() {
            // `head` already has its lines: the command's next write kills it (SIGPIPE).
            let mut w = self.world();
            let World { cluster, watch, waiting, host, .. } = &mut *w;
            if let Some(mut s) = watch.take() {
                s.stop(cluster.store_mut());
            }
            if let Some(mut s) = waiting.take() {
                s.stop(cluster.store_mut());
            }
            host.follow = None;
        }
        let mut w = self.world();
        w.backgrounding = false;
        let gone = std::mem::take(&mut w.gone);
        let new_ports: Vec<u16> = w
            .cluster
            .network()
            .forwards
            .keys()
            .copied()
            .filter(|p| !ports_before.contains(p))
            .collect();
        let task = if let Some(q) = w.queued.take() {
            Some(Task::Queued(q))
        } else if let Some(s) = w.watch.take() {
            Some(Task::Watch(s))
        } else if let Some(s) = w.waiting.take() {
            Some(Task::Wait(s))
        } else if let Some(f) = w.host.follow.take() {
            Some(Task::Follow(f))
        } else if !gone.is_empty() {
            Some(Task::Gone(gone))
        } else if !new_ports.is_empty() {
            Some(Task::Forward(new_ports))
        } else if w.host.proxy.is_some() && !proxy_before {
            Some(Task::Proxy)
        } else if w.cluster.network().tunnel && !tunnel_before {
            Some(Task::Tunnel)
        } else {
            None
        };
        let (watch, waiting, follow, gone) = saved;
        w.watch = watch;
        w.waiting = waiting;
        w.host.follow = follow;
        w.gone = gone;
        (step, task, sink)
    }

    /// Runs the rest of the and-or lists whose part just ended (the clock stands at its
    /// end), leaving `$?` as it was: the shell is not waiting for them.
    pub(crate) fn go_on_jobs(&mut self) -> Output {
        let mut out = Output::default();
        loop {
            let Some((pid, rest, status)) = self.world().jobs.take_next() else {
                return out;
            };
            let shell_status = self.world().vars.status;
            let (lines, left) = self.run_job_parts(&rest, status, false, None);
            let mut w = self.world();
            w.vars.status = shell_status;
            out.lines.extend(lines);
            match left {
                Left::Task(task, sink, rest) => w.jobs.go_on(pid, *task, *sink, rest),
                Left::Done(status) => {
                    let now = w.cluster.now();
                    w.jobs.finish(pid, status, now);
                }
            }
        }
    }

    /// How many connections each port a background `port-forward` holds has accepted.
    pub(crate) fn job_connections(&self) -> Vec<(u16, u64)> {
        let w = self.world();
        let forwards = &w.cluster.network().forwards;
        w.jobs
            .held()
            .ports
            .iter()
            .filter_map(|p| Some((*p, forwards.get(p)?.connections)))
            .collect()
    }

    /// What a background `kubectl port-forward` prints for the connections made since
    /// `before` (client-go portforward.go `handleConnection`, on kubectl's standard output).
    /// It goes where the job's output goes; what reaches the terminal is not the pipe of the
    /// command that connected, so it is marked as the terminal's other stream, stderr.
    pub(crate) fn connection_notices(&self, before: &[(u16, u64)]) -> Vec<OutputLine> {
        let mut shown = Output::default();
        for (port, now) in self.job_connections() {
            let then = before.iter().find(|(p, _)| *p == port).map_or(now, |(_, c)| *c);
            let printed: Vec<OutputLine> = (then..now)
                .map(|_| OutputLine { stream: Stream::Stdout, text: format!("Handling connection for {port}") })
                .collect();
            // Taken out while it prints (a pipe keeps state), then put back.
            let mut sink = self.world().jobs.port_sink(port).map(std::mem::take).unwrap_or_default();
            self.with_host(|_, fs, _| sink.deliver(printed, &mut shown, fs));
            if let Some(kept) = self.world().jobs.port_sink(port) {
                *kept = sink;
            }
        }
        for line in &mut shown.lines {
            line.stream = Stream::Stderr;
        }
        shown.lines
    }

    /// `jobs [-l] [-p]`.
    pub(crate) fn jobs_builtin(&mut self, args: &[&str]) -> Output {
        let (mut with_pid, mut pids_only) = (false, false);
        for a in args {
            match *a {
                "-l" => with_pid = true,
                "-p" => pids_only = true,
                other if other.starts_with('-') => {
                    let mut out = failure("jobs", &format!("{other}: invalid option"), 2);
                    out.push(Stream::Stderr, "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]");
                    return out;
                }
                other => return failure("jobs", &format!("{other}: no such job"), 1),
            }
        }
        self.world().jobs.list(with_pid, pids_only)
    }

    /// `fg [%N]`: prints the job's command and runs it in the foreground: a `sleep` sleeps
    /// on, a watch or a followed log streams until Ctrl+C, a blocking command blocks.
    pub(crate) fn fg(&mut self, args: &[&str]) -> Output {
        let arg = args.first().copied().unwrap_or("%+");
        let Some(spec) = spec(arg) else {
            return failure("fg", &format!("{arg}: no such job"), 1);
        };
        let job = {
            let mut w = self.world();
            let i = match w.jobs.find(&spec) {
                Ok(i) => i,
                Err(e) => return failure("fg", &e, 1),
            };
            if !w.jobs.get(i).alive() {
                return failure("fg", "job has terminated", 1);
            }
            w.jobs.remove(i)
        };
        if matches!(job.task, Task::Watch(_) | Task::Follow(_)) {
            // Ctrl+Z may stop it again under the same name.
            self.world().foreground = Some(job.command.clone());
        }
        // It goes on printing where its redirections send it.
        self.world().foreground_sink = job.sink.clone();
        if matches!(job.task, Task::Forward(_) | Task::Proxy | Task::Tunnel) {
            // Ctrl+Z may stop the listener again under the same name.
            self.world().listener = Some(job.command.clone());
        }
        let mut out = Output::stdout(job.command.clone());
        match job.task {
            Task::Sleep(until) => {
                let ms = {
                    let mut w = self.world();
                    let now = w.cluster.now();
                    let ms = (until - now).as_millis();
                    if w.sleep_until.is_some_and(|u| now.as_millis().saturating_add(ms) > u) {
                        w.overslept = true;
                        return Output::stderr("fg: the replayed lab does not reach this time");
                    }
                    ms
                };
                out.append(self.pass_time(ms));
                out.status = 0;
                out.append(self.run_rest(&job.rest, 0));
            }
            Task::Watch(s) => self.world().watch = Some(s),
            Task::Follow(f) => self.world().host.follow = Some(f),
            Task::Wait(blocked) if job.sink.pipe.is_some() => {
                // Piped into later stages: driven through its pipe, as when it was typed.
                self.world().waiting = Some(blocked);
                out.append(self.drive_piped_wait());
                out.status = self.world().foreground_sink.status().unwrap_or(0);
                if self.world().waiting.is_none() {
                    let status = out.status;
                    out.append(self.run_rest(&job.rest, status));
                }
            }
            Task::Wait(mut blocked) => {
                let mut w = self.world();
                let now = w.cluster.now();
                let until = match blocked.deadline() {
                    Some(d) => d.min(now + session::DEADLINE_LIMIT),
                    None => now + session::BLOCK_LIMIT,
                };
                let mut printed = Output::default();
                let ended = session::drive(&mut w.cluster, &mut blocked, until, &mut printed);
                let mut sink = std::mem::take(&mut w.foreground_sink);
                drop(w);
                self.with_host(|_, fs, _| {
                    sink.deliver(printed.lines, &mut out, fs);
                    if ended {
                        sink.finish(&mut out, fs);
                    }
                });
                let mut w = self.world();
                w.foreground_sink = sink;
                if ended {
                    out.status = blocked.exit_code().unwrap_or(0);
                    drop(w);
                    let status = out.status;
                    out.append(self.run_rest(&job.rest, status));
                } else {
                    w.waiting = Some(blocked);
                }
            }
            Task::Gone(keys) => {
                let mut w = self.world();
                let _ = w
                    .cluster
                    .run_until(|c| keys.iter().all(|k| k.is_gone(c.store())), session::DELETE_WAIT);
                drop(w);
                out.append(self.run_rest(&job.rest, 0));
            }
            // In the foreground the tool runs again: it waits there, or its listener answers.
            Task::Queued(q) => out.append(self.run_words(&q.words, None)),
            // Listeners stay where they are; now Ctrl+C stops them.
            Task::Forward(_) | Task::Proxy | Task::Tunnel | Task::Finished => {}
        }
        out
    }

    /// The parts of an and-or list left after the one `fg` brought back, run in the
    /// foreground after it ended with `status`. (Ctrl+C at a stream brought back ends the
    /// whole list, as SIGINT ends bash's subshell.)
    fn run_rest(&mut self, rest: &[(Connector, Pipeline)], mut status: i32) -> Output {
        let mut out = Output { status, ..Output::default() };
        for (c, p) in rest {
            if c.runs_after(status) {
                let mut now = p.clone();
                now.background = false;
                let step = self.run_pipeline(&now, None);
                status = step.status;
                out.append(step);
            }
        }
        out.status = status;
        out
    }

    /// `bg [%N]`: a job Ctrl+Z stopped runs on in the background (`[1]+ cmd &`); what it
    /// missed while stopped prints as time passes. A running one is already there.
    pub(crate) fn bg(&mut self, args: &[&str]) -> Output {
        let arg = args.first().copied().unwrap_or("%+");
        let Some(spec) = spec(arg) else {
            return failure("bg", &format!("{arg}: no such job"), 1);
        };
        let mut w = self.world();
        match w.jobs.find(&spec) {
            Ok(i) if w.jobs.get(i).stopped() => {
                w.jobs.resume(i);
                let job = w.jobs.get(i);
                Output::stdout(format!("[{}]{} {} &", job.number, w.jobs.mark(i), job.command))
            }
            Ok(i) if w.jobs.get(i).running() => {
                let mut out = Output::default();
                notice(&mut out, format!("bash: bg: job {} already in background", w.jobs.get(i).number));
                out
            }
            Ok(_) => failure("bg", "job has terminated", 1),
            Err(e) => failure("bg", &e, 1),
        }
    }

    /// `kill [-SIGNAL | -s SIGNAL] %N|PID …`: ends the jobs (SIGTERM unless told).
    pub(crate) fn kill(&mut self, args: &[&str]) -> Output {
        const USAGE: &str = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";
        let mut signal = Signal::Term;
        let mut rest = args;
        match rest {
            ["-s" | "-n", name, tail @ ..] => {
                match Signal::parse(name) {
                    Some(s) => signal = s,
                    None => return failure("kill", &format!("{name}: invalid signal specification"), 1),
                }
                rest = tail;
            }
            [first, tail @ ..] if first.starts_with('-') && first.len() > 1 && *first != "--" => {
                let name = &first[1..];
                match Signal::parse(name) {
                    Some(s) => signal = s,
                    None => return failure("kill", &format!("{name}: invalid signal specification"), 1),
                }
                rest = tail;
            }
            ["--", tail @ ..] => rest = tail,
            _ => {}
        }
        if rest.is_empty() {
            let mut out = Output::stderr(USAGE);
            out.status = 2;
            return out;
        }
        let mut out = Output::default();
        let mut w = self.world();
        let w = &mut *w;
        for arg in rest {
            let Some(spec) = spec(arg) else {
                out.append(failure("kill", &format!("{arg}: arguments must be process or job IDs"), 1));
                continue;
            };
            match w.jobs.find(&spec) {
                Ok(i) if w.jobs.get(i).alive() => {
                    w.jobs.kill(i, signal, &mut w.cluster, &mut w.host);
                }
                Ok(i) => {
                    let pid = w.jobs.get(i).pid;
                    out.append(failure("kill", &format!("({pid}) - No such process"), 1));
                }
                Err(_) => {
                    let message = match spec {
                        Spec::Pid(pid) => format!("({pid}) - No such process"),
                        Spec::Job(j) => format!("{j}: no such job"),
                    };
                    out.append(failure("kill", &message, 1));
                }
            }
        }
        out
    }

    /// `disown [-a] [-r] [%N …]`: the jobs leave the table and run on; no `Done` line
    /// reports them and no job spec names them any more (bash 5, builtins/jobs.def).
    pub(crate) fn disown(&mut self, args: &[&str]) -> Output {
        let (mut all, mut running_only, mut mark_only, mut specs) = (false, false, false, Vec::new());
        for a in args {
            match *a {
                "-a" => all = true,
                "-r" => running_only = true,
                // `-h` only spares the job the shell's SIGHUP; it stays in the table.
                "-h" => mark_only = true,
                "-ar" | "-ra" => (all, running_only) = (true, true),
                other if other.starts_with('-') && other.len() > 1 => {
                    let mut out = failure("disown", &format!("{other}: invalid option"), 2);
                    out.push(Stream::Stderr, "disown: usage: disown [-h] [-ar] [jobspec ... | pid ...]");
                    return out;
                }
                other => specs.push(other),
            }
        }
        let mut out = Output::default();
        let mut w = self.world();
        let mut chosen = Vec::new();
        if specs.is_empty() {
            if all || running_only {
                chosen.extend(w.jobs.indices().map(|i| w.jobs.get(i).pid));
            } else {
                match w.jobs.find(&Spec::Job("%+")) {
                    Ok(i) => chosen.push(w.jobs.get(i).pid),
                    Err(e) => return failure("disown", &e, 1),
                }
            }
        }
        for arg in specs {
            let found = spec(arg).ok_or_else(|| format!("{arg}: no such job")).and_then(|s| w.jobs.find(&s));
            match found {
                Ok(i) => chosen.push(w.jobs.get(i).pid),
                Err(e) => {
                    out.append(failure("disown", &e, 1));
                }
            }
        }
        if mark_only {
            return out;
        }
        for pid in chosen {
            if let Ok(i) = w.jobs.find(&Spec::Pid(pid))
                && (!running_only || w.jobs.get(i).running())
            {
                w.jobs.disown(i);
            }
        }
        out
    }

    /// `wait [%N|PID …]`: lets time pass until the jobs end (every job without arguments);
    /// they leave the table unreported, and the status is the last one's. Jobs that never
    /// end by themselves (a watch, a port-forward) hold the prompt as long as the lab lets
    /// a blocking command hold it, then `wait` gives up with Ctrl+C's status.
    ///
    /// A stopped job is not waited for (bash 5.2 jobs.c: `wait_for` returns at once for a
    /// child that is not running, with 128 + SIGTSTP): `wait %N` warns `wait_for_job: job
    /// N is stopped` and returns 148; a bare `wait` warns `job N[PID] stopped` on each of
    /// its passes over the table (`wait_for_background_pids`) and waits for the running
    /// ones only.
    pub(crate) fn wait(&mut self, args: &[&str]) -> Output {
        let mut out = Output::default();
        let mut status = 0;
        let limit = {
            let w = self.world();
            let mut which: Vec<u32> = Vec::new();
            if args.is_empty() {
                which.extend(w.jobs.indices().map(|i| w.jobs.get(i).pid));
            }
            for spec in args.iter().filter_map(|a| spec(a)) {
                if let Ok(i) = w.jobs.find(&spec) {
                    which.push(w.jobs.get(i).pid);
                }
            }
            let limit = if w.jobs.all_end_by_themselves(&which) {
                session::DEADLINE_LIMIT
            } else {
                session::BLOCK_LIMIT
            };
            let mut until = w.cluster.now() + limit;
            if let Some(u) = w.sleep_until {
                until = until.min(cluster::SimTime::ZERO + SimDuration::from_millis(u));
            }
            until
        };
        if args.is_empty() {
            // wait_for_background_pids: each pass warns about the stopped jobs before the
            // first running one, then waits for that one.
            let mut interrupted = false;
            loop {
                let next = {
                    let w = self.world();
                    let mut next = None;
                    for i in w.jobs.indices() {
                        let job = w.jobs.get(i);
                        if job.stopped() {
                            let text = format!("bash: wait: warning: job {}[{}] stopped", job.number, job.pid);
                            notice(&mut out, text);
                        }
                        if job.running() {
                            next = Some(job.pid);
                            break;
                        }
                    }
                    next
                };
                let Some(pid) = next else { break };
                if !self.wait_for_pid(pid, limit, &mut out) {
                    interrupted = true;
                    break;
                }
            }
            // Every ended job leaves the table unreported (POSIX: a bare `wait` discards
            // their statuses).
            let mut w = self.world();
            for i in w.jobs.indices().rev() {
                if w.jobs.get(i).end().is_some() {
                    w.jobs.remove(i);
                }
            }
            out.status = if interrupted { 130 } else { status };
            return out;
        }
        for arg in args {
            let Some(spec) = spec(arg) else {
                out.append(failure("wait", &format!("`{arg}': not a pid or valid job spec"), 2));
                status = 2;
                continue;
            };
            let found = {
                let w = self.world();
                w.jobs.find(&spec).map(|i| {
                    let job = w.jobs.get(i);
                    (job.pid, job.number, job.stopped())
                })
            };
            let (pid, number, stopped) = match found {
                Ok(found) => found,
                Err(e) => {
                    out.append(failure("wait", &e, 127));
                    status = 127;
                    continue;
                }
            };
            if stopped {
                if matches!(spec, Spec::Job(_)) {
                    notice(&mut out, format!("bash: warning: wait_for_job: job {number} is stopped"));
                }
                status = 148;
                continue;
            }
            if !self.wait_for_pid(pid, limit, &mut out) {
                out.status = 130;
                return out;
            }
            let mut w = self.world();
            if let Ok(i) = w.jobs.find(&Spec::Pid(pid))
                && let Some(end) = w.jobs.get(i).end()
            {
                status = end.status();
                w.jobs.remove(i);
            }
        }
        out.status = status;
        out
    }

    /// Lets time pass until job `pid` no longer runs (it ended, or something stopped it),
    /// at most until `limit`; whether it stopped running by then.
    fn wait_for_pid(&mut self, pid: u32, limit: cluster::SimTime, out: &mut Output) -> bool {
        loop {
            let (pending, step_ms) = {
                let w = self.world();
                let pending = w.jobs.find(&Spec::Pid(pid)).is_ok_and(|i| w.jobs.get(i).running());
                let now = w.cluster.now();
                let next = [w.cluster.next_event_time(), w.jobs.next_deadline(now), Some(limit)]
                    .into_iter()
                    .flatten()
                    .filter(|t| *t > now)
                    .min()
                    .unwrap_or(limit);
                if pending && now >= limit {
                    return false;
                }
                (pending, (next.min(limit) - now).as_millis())
            };
            if !pending {
                return true;
            }
            let passed = self.pass_time(step_ms.max(1));
            out.lines.extend(passed.lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Session;

    fn run(s: &mut Session, line: &str) -> String {
        s.run_command(line).text()
    }

    fn lab_with_pod() -> Session {
        let mut s = Session::new();
        run(&mut s, "kubectl run web --image=nginx --port=80");
        run(&mut s, "sleep 20");
        s
    }

    #[test]
    fn ctrl_c_stops_the_foreground_forward_but_not_a_background_one() {
        let mut s = lab_with_pod();
        assert_eq!(
            run(&mut s, "kubectl port-forward web 8080:80 &"),
            "[1] 4127\nForwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n"
        );
        run(&mut s, "kubectl port-forward web 9090:80");
        s.interrupt();
        assert!(run(&mut s, "curl -s localhost:8080").contains("Welcome to nginx!"));
        assert!(run(&mut s, "curl localhost:9090").starts_with("curl: (7) Failed to connect"));
        assert_eq!(run(&mut s, "jobs"), "[1]+  Running                 kubectl port-forward web 8080:80 &\n");
    }

    #[test]
    fn fg_brings_a_watch_to_the_foreground_where_ctrl_c_stops_it() {
        let mut s = lab_with_pod();
        run(&mut s, "kubectl get pods -w &");
        assert!(!s.streaming());
        assert_eq!(run(&mut s, "fg %1"), "kubectl get pods -w\n");
        assert!(s.streaming());
        assert_eq!(run(&mut s, "jobs"), "");
        s.interrupt();
        assert!(!s.streaming());
    }

    #[test]
    fn a_finished_job_is_reported_once_at_the_prompt_after_it_ended() {
        let mut s = Session::new();
        let start = s.now_ms();
        assert_eq!(run(&mut s, "sleep 10 &"), "[1] 4127\n");
        // Still running at the next prompt.
        assert_eq!(run(&mut s, "sleep 5"), "");
        assert_eq!(run(&mut s, "sleep 5"), "");
        // Ended exactly as that line did: reported at the next one.
        assert_eq!(run(&mut s, ""), "[1]+  Done                    sleep 10\n");
        assert_eq!(run(&mut s, ""), "");
        assert_eq!(s.now_ms() - start, 10_000);
    }

    #[test]
    fn wait_lets_time_pass_until_the_job_ends_and_returns_its_status() {
        let mut s = Session::new();
        let start = s.now_ms();
        run(&mut s, "sleep 7 &");
        run(&mut s, "kubectl get pod nope &");
        assert_eq!(run(&mut s, "wait %2; echo $?"), "1\n");
        assert_eq!(run(&mut s, "wait; echo $?"), "0\n");
        assert_eq!(s.now_ms() - start, 7_000);
        assert_eq!(run(&mut s, "jobs"), "");
    }

    #[test]
    fn ctrl_z_stops_a_watch_which_prints_nothing_until_bg_continues_it() {
        let mut s = lab_with_pod();
        run(&mut s, "kubectl get pods -w");
        assert!(s.streaming());
        assert_eq!(s.suspend().text(), "[1]+  Stopped                 kubectl get pods -w\n");
        assert!(!s.streaming());
        assert_eq!(run(&mut s, "echo $?"), "148\n");
        assert_eq!(run(&mut s, "jobs"), "[1]+  Stopped                 kubectl get pods -w\n");
        run(&mut s, "kubectl run late --image=nginx");
        assert_eq!(run(&mut s, "sleep 10"), "");
        // The watch stream goes on where it stopped: the changes it missed come at once.
        let resumed = run(&mut s, "bg");
        assert!(resumed.starts_with("[1]+ kubectl get pods -w &\nlate "), "{resumed}");
        assert_eq!(run(&mut s, "jobs"), "[1]+  Running                 kubectl get pods -w &\n");
        run(&mut s, "kubectl delete pod late --wait=false");
        assert!(run(&mut s, "sleep 1").contains("late "));
        assert_eq!(run(&mut s, "bg %1"), "bash: bg: job 1 already in background\n");
    }

    #[test]
    fn fg_continues_a_stopped_watch_and_ctrl_z_stops_it_again() {
        let mut s = lab_with_pod();
        run(&mut s, "kubectl get pods -w");
        s.suspend();
        assert_eq!(run(&mut s, "fg"), "kubectl get pods -w\n");
        assert!(s.streaming());
        assert_eq!(s.suspend().text(), "[1]+  Stopped                 kubectl get pods -w\n");
        // Nothing in the foreground: Ctrl+Z at the prompt does nothing.
        assert_eq!(s.suspend().text(), "");
        assert_eq!(run(&mut s, "jobs"), "[1]+  Stopped                 kubectl get pods -w\n");
    }

    #[test]
    fn ctrl_z_stops_a_followed_log_and_kill_terminates_the_stopped_job() {
        let mut s = lab_with_pod();
        run(&mut s, "kubectl logs -f web");
        assert!(s.streaming());
        assert_eq!(s.suspend().text(), "[1]+  Stopped                 kubectl logs -f web\n");
        assert_eq!(run(&mut s, "kill %1"), "");
        assert_eq!(run(&mut s, ""), "[1]+  Terminated              kubectl logs -f web\n");
        assert_eq!(run(&mut s, "jobs"), "");
    }

    #[test]
    fn exit_with_stopped_jobs_warns_once() {
        let mut s = lab_with_pod();
        assert!(s.leave().is_ok());
        run(&mut s, "kubectl get pods -w");
        s.suspend();
        assert_eq!(s.leave().unwrap_err().text(), "There are stopped jobs.\n");
        assert!(s.leave().is_ok());
    }

    #[test]
    fn disown_takes_jobs_out_of_the_table_and_they_run_on() {
        let mut s = lab_with_pod();
        run(&mut s, "sleep 10 &");
        run(&mut s, "kubectl port-forward web 8080:80 &");
        assert_eq!(run(&mut s, "disown %1"), "");
        assert_eq!(run(&mut s, "jobs"), "[2]+  Running                 kubectl port-forward web 8080:80 &\n");
        // No `Done` line for the disowned sleep.
        assert_eq!(run(&mut s, "sleep 15"), "");
        assert_eq!(run(&mut s, "disown -a; jobs"), "");
        // The disowned port-forward still forwards, and Ctrl+C at the prompt leaves it alone.
        s.interrupt();
        assert!(run(&mut s, "curl -s localhost:8080").contains("Welcome to nginx!"));
        assert_eq!(run(&mut s, "disown"), "bash: disown: current: no such job\n");
        assert_eq!(run(&mut s, "disown %3"), "bash: disown: %3: no such job\n");
    }

    #[test]
    fn ctrl_z_is_replayed_from_a_link() {
        let mut s = lab_with_pod();
        run(&mut s, "kubectl get pods -w");
        s.suspend();
        let link = crate::link::LabLink::of(&s, None, None, None);
        let decoded = crate::link::LabLink::decode(&link.encode()).expect("decodes");
        let mut back = decoded.replay().expect("replays");
        assert_eq!(run(&mut back, "jobs"), "[1]+  Stopped                 kubectl get pods -w\n");
    }

    #[test]
    fn a_background_list_goes_on_when_its_sleep_ends_also_in_a_replayed_link() {
        let mut s = Session::new();
        let start = s.now_ms();
        assert_eq!(run(&mut s, "sleep 3 && echo done > out.txt &"), "[1] 4127\n");
        assert_eq!(run(&mut s, "sleep 2; cat out.txt"), "cat: out.txt: No such file or directory\n");
        assert_eq!(run(&mut s, "sleep 2; cat out.txt"), "done\n[1]+  Done                    sleep 3 && echo done > out.txt\n");
        assert_eq!(s.now_ms() - start, 4_000);
        let link = crate::link::LabLink::of(&s, None, None, None);
        let decoded = crate::link::LabLink::decode(&link.encode()).expect("decodes");
        let mut back = decoded.replay().expect("replays");
        assert_eq!(run(&mut back, "cat out.txt; jobs"), "done\n");
    }

    #[test]
    fn kill_reports_the_signal_and_bad_targets() {
        let mut s = Session::new();
        run(&mut s, "sleep 100 &");
        run(&mut s, "sleep 100 &");
        assert_eq!(run(&mut s, "kill -9 %1; kill -s TERM 4128"), "");
        assert_eq!(
            run(&mut s, "jobs"),
            "[1]-  Killed                  sleep 100\n[2]+  Terminated              sleep 100\n"
        );
        assert_eq!(run(&mut s, "kill %1"), "bash: kill: %1: no such job\n");
        assert_eq!(run(&mut s, "kill -FOO 1"), "bash: kill: FOO: invalid signal specification\n");
        assert_eq!(run(&mut s, "kill x"), "bash: kill: x: arguments must be process or job IDs\n");
    }
}
