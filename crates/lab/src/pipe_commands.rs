//! The commands the stages of a pipe run (`kubectl get pods -w | xargs -n1 kubectl
//! describe`, `kubectl rollout status deploy/web | kubectl apply -f -`), run by the session
//! as it runs a typed command: the same lab, namespace and context, their output on through
//! the later stages and their errors in the terminal, their status the pipeline's when the
//! last stage runs them. A pipe queues them (`crate::pipe`); the session runs them at the
//! moment they are due, as soon as the line or the step of time that queued them lets it
//! (`Session::pass_time` stops there, as for a background list's next part).
//!
//! The lab runs one command of a pipe at a time, and it does not stay: a command that
//! would go on (a watch, a wait, a followed log) prints what it has at once and ends, as
//! `xargs` would have it end before running the next.

use cluster::SimDuration;

use crate::pipe::Invocation;
use crate::session::{Output, OutputLine, Session, Stream};
use crate::sink::Sink;
use crate::xargs::Xargs;

/// How long a command a pipe's stage runs takes before the stage runs its next one (a
/// kubectl call takes about this long). Commands run from a pipe thus move on in time: a
/// pipe whose commands change what feeds it (`get pods -w | xargs -n1 kubectl delete pod`,
/// each deletion bringing a replacement to delete) goes on as time passes rather than
/// looping at one instant. The commands a line starts run at its instant, as typed ones do.
pub(crate) const PIPE_COMMAND_TIME: SimDuration = SimDuration::from_millis(100);

impl Session {
    /// `xargs ARGS` reading `stdin` whole (the command before it has ended): its commands
    /// one after the other, its status as GNU xargs gives it.
    pub(crate) fn xargs(&mut self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut x = match Xargs::parse(args) {
            Ok(x) => x,
            Err(e) => {
                // xargs.c usage(EXIT_FAILURE) after the complaint.
                let mut out = Output::stderr(e);
                out.push(Stream::Stderr, "Try 'xargs --help' for more information.");
                out.status = 1;
                return out;
            }
        };
        let mut out = Output::default();
        let mut statuses = Vec::new();
        for words in x.commands(stdin.unwrap_or("")) {
            let step = self.run_invoked(&words, None, x.trace);
            statuses.push(step.status);
            out.append(step);
        }
        out.status = crate::xargs::status(&statuses);
        out
    }

    /// Runs every command `sink`'s pipe has waiting, each through the later stages, at the
    /// line's instant; returns what reached the terminal.
    pub(crate) fn drain_pipe(&mut self, sink: &mut Sink) -> Output {
        let mut out = Output::default();
        while let Some(invocation) = sink.take_invocation() {
            self.run_invocation(sink, invocation, &mut out);
        }
        out
    }

    /// Runs the next command of the pipes of the terminal's command and of every job whose
    /// turn it is as time passes; a job that has ended takes its last stage's status.
    pub(crate) fn drain_pipes(&mut self) -> Output {
        let mut out = Output::default();
        let now = self.world().cluster.now();
        if self.world().foreground_sink.due(now) {
            let mut sink = std::mem::take(&mut self.world().foreground_sink);
            out.append(self.run_due(&mut sink));
            self.world().foreground_sink = sink;
        }
        loop {
            let Some((pid, mut sink)) = self.world().jobs.take_due_sink(now) else {
                break;
            };
            out.append(self.run_due(&mut sink));
            self.world().jobs.put_sink(pid, sink);
        }
        out
    }

    /// Runs the next command `sink`'s pipe has waiting; the next waits its turn.
    fn run_due(&mut self, sink: &mut Sink) -> Output {
        let mut out = Output::default();
        if let Some(invocation) = sink.take_invocation() {
            self.run_invocation(sink, invocation, &mut out);
            sink.busy_until = self.world().cluster.now() + PIPE_COMMAND_TIME;
        }
        out
    }

    fn run_invocation(&mut self, sink: &mut Sink, invocation: Invocation, out: &mut Output) {
        let Invocation { stage, words, stdin, trace } = invocation;
        let printed = self.run_from_pipe(&words, stdin, trace);
        self.with_host(|_, fs, _| sink.invoked(stage, printed, out, fs));
    }

    /// Runs one command of a pipe: what it leaves going (a watch, a wait, a followed log,
    /// objects a delete waits for) ends with it, and what the terminal holds stays as it was.
    fn run_from_pipe(&mut self, words: &[String], stdin: Option<String>, trace: bool) -> Output {
        let saved = {
            let mut w = self.world();
            let saved = (w.watch.take(), w.waiting.take(), w.host.follow.take(), std::mem::take(&mut w.gone));
            w.backgrounding = true;
            saved
        };
        let out = self.run_invoked(words, stdin, trace);
        let mut w = self.world();
        w.backgrounding = false;
        let crate::session::World { cluster, watch, waiting, host, gone, queued, .. } = &mut *w;
        if let Some(mut s) = watch.take() {
            s.stop(cluster.store_mut());
        }
        if let Some(mut s) = waiting.take() {
            s.stop(cluster.store_mut());
        }
        host.follow = None;
        gone.clear();
        *queued = None;
        let (watch_was, waiting_was, follow_was, gone_was) = saved;
        *watch = watch_was;
        *waiting = waiting_was;
        host.follow = follow_was;
        *gone = gone_was;
        out
    }

    /// Runs a command xargs or a pipe built, shown first on standard error with `-t` (each
    /// word followed by a blank, as xargs.c print_args writes them).
    fn run_invoked(&mut self, words: &[String], stdin: Option<String>, trace: bool) -> Output {
        let mut out = Output::default();
        if trace {
            let text = words.iter().map(|w| format!("{w} ")).collect();
            out.lines.push(OutputLine { stream: Stream::Stderr, text });
        }
        let step = self.run_words(words, stdin);
        out.append(step);
        out
    }
}
