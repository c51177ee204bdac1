//! Running a parsed line the way bash does: pipelines in order as `;`, `&&` and `||` allow,
//! each command's words expanded just before it runs (variables, `$(…)`), assignments
//! (`NAME=value` alone sets a shell variable; before a command, it is in that command's
//! environment only), and the shell's own built-ins (`export`, `unset`, `alias`, `unalias`,
//! `env`, `printenv`, `true`, `false`). The programs themselves run in `Session::run_words`.

use crate::expand::{self, Context};
use crate::session::{Output, Session, Stream};
use crate::loops::{self, Block, Jump};
use crate::shell::{self, ErrorRedirect, Pipeline, Segment, ShellLine, Word};
use crate::sink::{Sink, Target};

impl Session {
    /// Runs a line's pipelines, each as its connector allows, and leaves `$?` set. `body` is
    /// the here-document the line opened, for the pipeline that reads it.
    pub(crate) fn run_list(&mut self, line: &ShellLine, mut body: Option<String>) -> Output {
        if let Some(keyword) = crate::loops::piped_keyword(line) {
            let mut out = Output::stderr(format!(
                "bash: {keyword}: a loop fed by a pipe is not available in this lab's terminal; loop over the words instead: for x in $(command); do …; done"
            ));
            out.status = 2;
            self.vars().status = 2;
            return out;
        }
        if crate::loops::has_loop(line) {
            return match crate::loops::blocks(line) {
                Ok(blocks) => self.run_blocks(&blocks),
                Err(e) => {
                    let mut out = Output::stderr(format!("bash: {e}"));
                    out.status = 2;
                    self.vars().status = 2;
                    out
                }
            };
        }
        if let Some(keyword) = compound_keyword(line) {
            // Said plainly rather than running the pieces between `;` as commands: this
            // terminal runs loops and simple commands; a container's shell has the rest.
            let mut out = Output::stderr(format!(
                "bash: {keyword}: this compound command is not available in this lab's terminal (for, while and until loops are); run it in a container: kubectl exec POD -- sh -c '…'"
            ));
            out.status = 2;
            self.vars().status = 2;
            return out;
        }
        let mut out = Output::default();
        let mut status = self.vars().status;
        let mut skip_to = 0;
        for (i, (connector, pipeline)) in line.pipelines.iter().enumerate() {
            if i < skip_to {
                continue;
            }
            // An and-or list that ends in `&` runs as one background job.
            let end = i + line.pipelines[i + 1..]
                .iter()
                .take_while(|(c, _)| *c != shell::Connector::Then)
                .count();
            if *connector == shell::Connector::Then && end > i && line.pipelines[end].1.background {
                skip_to = end + 1;
                let stdin = if pipeline.heredoc.is_some() { body.take() } else { None };
                let step = self.start_list_job(&line.pipelines[i..=end], stdin);
                status = step.status;
                self.vars().status = status;
                out.append(step);
                continue;
            }
            if !connector.runs_after(status) {
                continue;
            }
            let stdin = match (&pipeline.heredoc, body.take()) {
                (Some(h), Some(text)) if h.expand => match self.heredoc_text(&text) {
                    Ok((text, errors)) => {
                        out.append(errors);
                        Some(text)
                    }
                    Err(e) => {
                        out.append(e);
                        status = 2;
                        continue;
                    }
                },
                (Some(_), text) => text,
                (None, text) => {
                    body = text;
                    None
                }
            };
            let held_before = self.holds_terminal();
            let step = self.run_pipeline(pipeline, stdin);
            status = step.status;
            self.vars().status = status;
            out.append(step);
            if i + 1 < line.pipelines.len() && !held_before && self.holds_terminal() && self.at_prompt_level() {
                // Bash runs the rest once this command ends (`Session::resume_list`); Ctrl+Z
                // names the job by this pipeline alone.
                let mut w = self.world();
                w.resume = Some(crate::session::ListRest {
                    line: ShellLine { pipelines: line.pipelines[i + 1..].to_vec() },
                    body: body.take(),
                });
                w.foreground = Some(pipeline.display());
                break;
            }
        }
        out.status = status;
        out
    }

    /// Runs a line with loops: each block as its connector allows, loops round by round
    /// (at most `loops::MAX_ROUNDS` each), leaving `$?` as bash would.
    fn run_blocks(&mut self, blocks: &[Block]) -> Output {
        let mut out = Output::default();
        let mut status = self.vars().status;
        for block in blocks {
            let connector = match block {
                Block::Simple(c, _) => *c,
                Block::For { connector, .. } | Block::While { connector, .. } => *connector,
            };
            if !connector.runs_after(status) {
                continue;
            }
            let step = match block {
                Block::Simple(_, pipeline) => self.run_pipeline(pipeline, None),
                Block::For {
                    name, words, body, ..
                } => self.run_for(name, words.as_deref().unwrap_or_default(), body),
                Block::While {
                    until,
                    input: None,
                    condition,
                    body,
                    ..
                } => self.run_while(*until, condition, body),
                Block::While {
                    until,
                    input: Some(producer),
                    condition,
                    body,
                    ..
                } => self.run_piped_while(producer, *until, condition, body),
            };
            status = step.status;
            self.vars().status = status;
            out.append(step);
            if self.loop_state().jump.is_some() {
                break;
            }
        }
        out.status = status;
        out
    }

    /// After a loop's body: whether the loop goes on, consuming the `break`/`continue`
    /// meant for it and passing on one meant for an outer loop.
    fn after_round(&mut self) -> bool {
        let mut state = self.loop_state();
        match state.jump {
            None => true,
            Some(Jump::Break(n)) => {
                state.jump = (n > 1).then_some(Jump::Break(n - 1));
                false
            }
            Some(Jump::Continue(n)) if n > 1 => {
                state.jump = Some(Jump::Continue(n - 1));
                false
            }
            Some(Jump::Continue(_)) => {
                state.jump = None;
                true
            }
        }
    }

    /// `break [N]` / `continue [N]`.
    fn jump(&mut self, args: &[&str], brk: bool) -> Output {
        let word = if brk { "break" } else { "continue" };
        let n = match args.first() {
            None => 1,
            Some(a) => match a.parse::<u32>() {
                Ok(n) if n > 0 => n,
                _ => {
                    let mut out = Output::stderr(format!("bash: {word}: {a}: loop count out of range"));
                    out.status = 1;
                    return out;
                }
            },
        };
        let mut state = self.loop_state();
        if state.depth == 0 {
            // bash complains and still succeeds.
            let mut out = Output::stderr(format!(
                "bash: {word}: only meaningful in a `for', `while', or `until' loop"
            ));
            out.status = 0;
            return out;
        }
        let n = n.min(state.depth);
        state.jump = Some(if brk { Jump::Break(n) } else { Jump::Continue(n) });
        Output::default()
    }

    fn run_for(&mut self, name: &str, words: &[Word], body: &[Block]) -> Output {
        let mut cx = Expansion::new(self);
        let values: Vec<String> = words.iter().flat_map(|w| expand::fields(w, &mut cx)).collect();
        let errors = cx.errors;
        let mut values = values.into_iter();
        self.run_rounds(errors, body, |session, _| match values.next() {
            Some(value) => {
                session.vars().set(name, &value);
                true
            }
            None => false,
        })
    }

    fn run_while(&mut self, until: bool, condition: &[Block], body: &[Block]) -> Output {
        self.run_rounds(Output::default(), body, |session, out| {
            let test = session.run_blocks(condition);
            let holds = (test.status == 0) != until;
            out.append(test);
            holds
        })
    }

    /// `… | while read x; do …; done`: the commands before the loop run first, then the
    /// loop's `read`s take their output a line at a time. The loop is a subshell, as bash
    /// runs the last stage of a pipe: the variables it sets do not outlive it.
    fn run_piped_while(&mut self, producer: &Pipeline, until: bool, condition: &[Block], body: &[Block]) -> Output {
        let fed = self.run_pipeline(producer, None);
        let mut out = Output::default();
        let mut lines = std::collections::VecDeque::new();
        for line in fed.lines {
            match line.stream {
                Stream::Stdout => lines.push_back(line.text),
                Stream::Stderr => out.lines.push(line),
            }
        }
        if self.streaming() {
            // The loop would read for as long as the command prints; the terminal shows
            // output only when a line ends, so it reads what was printed so far.
            self.stop_watch();
            self.with_host(|_, _, host| host.stop_follow());
            out.push(
                Stream::Stderr,
                "bash: while: a loop reading a command that goes on printing (get -w, logs -f) reads only what it printed so far in this lab's terminal",
            );
        }
        let vars = self.vars().clone();
        self.loop_state().piped.push(lines);
        let step = self.run_while(until, condition, body);
        self.loop_state().piped.pop();
        *self.vars() = vars;
        out.status = step.status;
        out.append(step);
        out
    }

    /// What both loops share: a round while `enter` allows it (it may print, as a `while`
    /// test does), the body, `break`/`continue`, and the cut-off after `loops::MAX_ROUNDS`.
    /// The status is the body's last (0 when it never ran).
    fn run_rounds(
        &mut self,
        mut out: Output,
        body: &[Block],
        mut enter: impl FnMut(&mut Session, &mut Output) -> bool,
    ) -> Output {
        let mut status = 0;
        let mut rounds = 0;
        self.loop_state().depth += 1;
        while enter(self, &mut out) {
            if rounds == loops::MAX_ROUNDS {
                out = cut_off(out);
                status = out.status;
                break;
            }
            rounds += 1;
            let step = self.run_blocks(body);
            status = step.status;
            out.append(step);
            if !self.after_round() {
                break;
            }
        }
        self.loop_state().depth -= 1;
        out.status = status;
        out
    }

    /// A here-document's body with an unquoted delimiter, expanded when the command that
    /// reads it runs (`cat <<EOF` sees `$POD`'s value, `<<'EOF'` keeps `$POD`), with what
    /// its substitutions printed on stderr; a syntax error in it as the error to show.
    fn heredoc_text(&mut self, body: &str) -> Result<(String, Output), Output> {
        let word = shell::heredoc_body(body).map_err(|e| syntax_error(self, &e))?;
        let mut cx = Expansion::new(self);
        let text = expand::string(&word, &mut cx);
        Ok((text, cx.errors))
    }

    /// Runs the commands of a pipeline, feeding each one's standard output to the next; the
    /// status is the last command's.
    pub(crate) fn run_pipeline(&mut self, pipeline: &Pipeline, stdin: Option<String>) -> Output {
        if pipeline.background {
            return self.start_job(pipeline, stdin);
        }
        let holding = |s: &Session| s.streaming() || s.world().waiting.is_some();
        let before = holding(self);
        let (mut out, sink) = self.run_routed(pipeline, stdin);
        if !before && sink.broken() {
            // `head` already has its lines: the command's next write kills it (SIGPIPE).
            self.stop_watch();
            self.with_host(|_, _, host| host.stop_follow());
            return out;
        }
        // A watch, followed log or wait it left holding the terminal prints later through
        // the same redirections.
        if !before && holding(self) {
            let piped = sink.pipe.is_some();
            self.world().foreground_sink = sink;
            if piped && self.world().waiting.is_some() {
                // A blocking command piped into later stages holds the prompt here.
                let driven = self.drive_piped_wait();
                let status = self.world().foreground_sink.status().unwrap_or(out.status);
                out.append(driven);
                out.status = status;
            }
        }
        out
    }

    /// `run_pipeline` in the foreground, with where its output went once its redirections
    /// were open, for what a command that goes on printing (a watch, a followed log, a
    /// wait) prints later. A command piped into later stages keeps its pipe: its later
    /// lines go through those stages (`crate::pipe`) and on where the last one's output goes.
    pub(crate) fn run_routed(&mut self, pipeline: &Pipeline, stdin: Option<String>) -> (Output, Sink) {
        let mut input = stdin;
        let mut sink = Sink::default();
        let mut out = self.catch_up();
        let n = pipeline.commands.len();
        let mut status = 0;
        let no_redirect = ErrorRedirect::default();
        // A request queued at a stopped listener goes on later too (`jobs::Task::Queued`).
        let holding = |s: &Session| s.streaming() || s.world().waiting.is_some() || s.world().queued.is_some();
        // The stage that went on printing, what it wrote into the pipe, where its errors go
        // (None: into the pipe), and the later stages' words as they ran.
        let mut streaming: Option<(String, Option<Target>)> = None;
        let mut later_words: Vec<Vec<String>> = Vec::new();
        // A later stage that runs commands (`xargs …`, `kubectl apply -f -`) runs them from
        // the pipe as its input comes, and the stages after it read what they print: none
        // of them runs now.
        let mut deferring = false;
        for (i, words) in pipeline.commands.iter().enumerate() {
            let last = i + 1 == n;
            let redirect = pipeline.errors.get(i).unwrap_or(&no_redirect);
            let before = holding(self);
            // The first command writing into a pipe: a blocking one goes on through it.
            self.world().piping = !last && !before && streaming.is_none() && !pipeline.background;
            let defer = |fields: &[String]| deferring || (streaming.is_some() && crate::pipe::runs_commands(fields));
            self.world().reading_stream = streaming.is_some();
            let (step, fields, ran) = self.run_simple(words, input.take(), &defer);
            self.world().piping = false;
            self.world().reading_stream = false;
            deferring |= !ran;
            if streaming.is_some() {
                later_words.push(fields);
            }
            let starts_stream = !last && streaming.is_none() && !before && holding(self) && !redirect.stdout_to_stderr;
            // The stages after a command that goes on printing: one that reports at the end
            // of its input (`wc`, `tail`) prints nothing yet.
            let held = last && streaming.is_some() && crate::pipe::holds(&later_words);
            if ran {
                status = step.status;
            }
            let mut next = String::new();
            let mut errors = String::new();
            let mut shown = Output {
                status,
                ..Output::default()
            };
            // `echo -n`: what the next command reads ends without a newline.
            let open_end = step.unterminated.then(|| step.lines.iter().rposition(|l| l.stream == Stream::Stdout)).flatten();
            for (k, mut l) in step.lines.into_iter().enumerate() {
                // `>&2` sends output to the terminal as errors; `2>&1` sends errors where
                // the output goes; `2> f` into a file.
                match (l.stream, &redirect.stderr) {
                    (Stream::Stdout, _) if redirect.stdout_to_stderr => l.stream = Stream::Stderr,
                    (Stream::Stderr, Some(None)) => l.stream = Stream::Stdout,
                    (Stream::Stderr, Some(Some(_))) => {
                        errors.push_str(&l.text);
                        errors.push('\n');
                        continue;
                    }
                    _ => {}
                }
                if held && l.stream == Stream::Stdout {
                    continue;
                }
                if l.stream == Stream::Stdout && (!last || pipeline.redirect.is_some()) {
                    next.push_str(&l.text);
                    if open_end != Some(k) {
                        next.push('\n');
                    }
                } else {
                    shown.lines.push(l);
                }
            }
            shown.unterminated = step.unterminated;
            shown.clear_screen = step.clear_screen;
            shown.edit = step.edit;
            shown.prompt = step.prompt;
            out.append(shown);
            let mut errors_to = None;
            if let Some(Some((target, append))) = &redirect.stderr {
                errors_to = self.write_to(target, &errors, *append, &mut out);
                if errors_to.is_none() {
                    status = 1;
                }
            }
            if starts_stream {
                let errors = match &redirect.stderr {
                    None => Some(Target::Terminal(Stream::Stderr)),
                    Some(None) => None,
                    Some(Some(_)) => Some(errors_to.clone().unwrap_or(Target::Null)),
                };
                streaming = Some((next.clone(), errors));
            }
            if last {
                sink.stderr = match &redirect.stderr {
                    None => Target::Terminal(Stream::Stderr),
                    // Resolved below, with standard output's file.
                    Some(None) => Target::Terminal(Stream::Stdout),
                    Some(Some(_)) => errors_to.unwrap_or(Target::Null),
                };
                if redirect.stdout_to_stderr {
                    sink.stdout = Target::Terminal(Stream::Stderr);
                }
            }
            input = Some(next);
        }
        if let Some((target, append)) = &pipeline.redirect {
            let to = self.write_to(target, &input.unwrap_or_default(), *append, &mut out);
            if to.is_none() {
                status = 1;
            }
            let to = to.unwrap_or(Target::Null);
            if sink.stderr == Target::Terminal(Stream::Stdout) {
                sink.stderr = to.clone();
            }
            if sink.stdout == Target::Terminal(Stream::Stdout) {
                sink.stdout = to;
            }
        }
        if let Some((fed, errors)) = streaming {
            let errors_too = errors.is_none();
            sink.last_stderr = sink.stderr.clone();
            if let Some(errors) = errors {
                sink.stderr = errors;
            }
            let (pipe, ended) = self.with_host(|_, fs, _| crate::pipe::Pipe::open(later_words, fed, errors_too, fs));
            sink.pipe = Some(pipe);
            self.with_host(|_, fs, _| sink.show(ended, &mut out, fs));
            // The commands its stages have enough input for run now.
            out.append(self.drain_pipe(&mut sink));
            status = sink.status().unwrap_or(status);
        }
        out.status = status;
        (out, sink)
    }

    /// Writes a redirection's text to the file `target` names (`/dev/null` keeps nothing)
    /// and returns where later output to it goes; None, with bash's message, when the name
    /// does not expand to one word.
    fn write_to(&mut self, target: &Word, text: &str, append: bool, out: &mut Output) -> Option<Target> {
        let mut cx = Expansion::new(self);
        let fields = expand::fields(target, &mut cx);
        let errors = cx.errors;
        out.lines.extend(errors.lines);
        match fields.as_slice() {
            [path] => Some(self.with_host(|_, fs, _| {
                let to = Target::file(path, fs);
                if let Target::File(abs) = &to {
                    fs.write(abs, text, append);
                }
                to
            })),
            _ => {
                out.push(
                    Stream::Stderr,
                    format!("bash: {}: ambiguous redirect", source(target)),
                );
                None
            }
        }
    }

    /// Expands one command's words, then runs it (or sets the variables it assigns) unless
    /// `defer` says its words run later; returns what it printed, the words it ran with and
    /// whether it ran.
    fn run_simple(
        &mut self,
        words: &[Word],
        stdin: Option<String>,
        defer: &dyn Fn(&[String]) -> bool,
    ) -> (Output, Vec<String>, bool) {
        let split = words
            .iter()
            .position(|w| w.assignment().is_none())
            .unwrap_or(words.len());
        let (assigns, rest) = words.split_at(split);
        // `export NAME=$(…)` and `alias n=…` take assignment words whole, as bash's
        // declaration built-ins do: no splitting of the value.
        let declares = rest
            .first()
            .and_then(Word::literal)
            .is_some_and(|w| w == "export" || w == "alias");
        // Substitutions in the words do not write into the pipe.
        let piping = std::mem::take(&mut self.world().piping);
        let mut cx = Expansion::new(self);
        let mut fields = Vec::new();
        for (k, word) in rest.iter().enumerate() {
            match word.assignment() {
                Some((name, value)) if declares && k > 0 => {
                    fields.push(format!("{name}={}", expand::string(&value, &mut cx)));
                }
                _ => fields.extend(expand::fields(word, &mut cx)),
            }
        }
        let values: Vec<(String, String)> = assigns
            .iter()
            .filter_map(Word::assignment)
            .map(|(name, value)| (name, expand::string(&value, &mut cx)))
            .collect();
        let Expansion {
            errors: mut out,
            status: substituted,
            ..
        } = cx;
        if fields.is_empty() {
            let mut vars = self.vars();
            for (name, value) in &values {
                vars.set(name, value);
            }
            // Bash: the status of the last command substitution, else 0.
            out.status = substituted.unwrap_or(0);
            return (out, fields, true);
        }
        if defer(&fields) {
            return (out, fields, false);
        }
        let saved = (!values.is_empty()).then(|| self.vars().overlay(&values));
        self.world().piping = piping;
        let step = self.run_words(&fields, stdin);
        self.world().piping = false;
        if let Some(saved) = saved {
            self.vars().restore(saved);
        }
        out.append(step);
        (out, fields, true)
    }

    /// `$(source)`: runs it as a subshell would, so variables and aliases it sets do not
    /// outlive it.
    fn substitute(&mut self, source: &str) -> Output {
        let parsed = shell::parse(source, &self.aliases());
        let parsed = match parsed {
            Ok(p) => p,
            Err(e) => return syntax_error(self, &e),
        };
        if parsed.heredoc().is_some() {
            return Output::stderr(
                "bash: here-documents inside $(…) are not available in this lab",
            );
        }
        if !self.nest(true) {
            return Output::stderr(format!(
                "bash: $({source}): command substitution nested too deeply"
            ));
        }
        let vars = self.vars().clone();
        let aliases = self.aliases().clone();
        let out = self.run_list(&parsed, None);
        *self.vars() = vars;
        *self.aliases() = aliases;
        self.nest(false);
        out
    }

    /// The shell's own commands; None for anything else.
    pub(crate) fn builtin(&mut self, words: &[&str]) -> Option<Output> {
        let out = match words {
            ["export", rest @ ..] => self.vars().export(rest),
            ["unset", rest @ ..] => self.vars().unset(rest),
            ["alias", rest @ ..] => self.aliases().alias(rest),
            ["unalias", rest @ ..] => self.aliases().unalias(rest),
            ["printenv", rest @ ..] => self.vars().printenv(rest),
            ["env", rest @ ..] => self.env(rest),
            ["true" | ":", ..] => Output::default(),
            ["break", rest @ ..] => self.jump(rest, true),
            ["continue", rest @ ..] => self.jump(rest, false),
            ["test", rest @ ..] => self.with_host(|_, fs, _| crate::test_expr::run("test", rest, fs)),
            ["[", rest @ ..] => match rest.split_last() {
                Some((&"]", inner)) => self.with_host(|_, fs, _| crate::test_expr::run("[", inner, fs)),
                _ => {
                    let mut out = Output::stderr("bash: [: missing `]'");
                    out.status = 2;
                    out
                }
            },
            ["read", rest @ ..] => self.read(rest),
            ["jobs", rest @ ..] => self.jobs_builtin(rest),
            ["fg", rest @ ..] => self.fg(rest),
            ["bg", rest @ ..] => self.bg(rest),
            ["disown", rest @ ..] => self.disown(rest),
            ["kill", rest @ ..] => self.kill(rest),
            ["wait", rest @ ..] => self.wait(rest),
            ["false", ..] => Output {
                status: 1,
                ..Output::default()
            },
            _ => return None,
        };
        Some(out)
    }

    /// `env [NAME=value …] [command …]` (GNU coreutils): prints the environment, or runs the
    /// command with the assignments added to it.
    fn env(&mut self, args: &[&str]) -> Output {
        let split = args
            .iter()
            .position(|a| !a.contains('=') || a.starts_with('='))
            .unwrap_or(args.len());
        let (assigns, command) = args.split_at(split);
        if let Some(option) = command
            .first()
            .and_then(|c| c.strip_prefix('-'))
            .filter(|o| !o.is_empty())
        {
            let mut out = Output::stderr(format!(
                "env: invalid option -- '{}'",
                option.chars().next().unwrap_or('-')
            ));
            out.push(Stream::Stderr, "Try 'env --help' for more information.");
            out.status = 125;
            return out;
        }
        let values: Vec<(String, String)> = assigns
            .iter()
            .filter_map(|a| a.split_once('='))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let saved = self.vars().overlay(&values);
        let out = if command.is_empty() {
            self.vars().env()
        } else {
            let words: Vec<String> = command.iter().map(|s| s.to_string()).collect();
            self.run_words(&words, None)
        };
        self.vars().restore(saved);
        out
    }
}

/// Expansion in the session: variables from its table, `$(…)` run in it. What the
/// substitutions print on stderr is kept to show, with the last one's status.
struct Expansion<'a> {
    session: &'a mut Session,
    errors: Output,
    status: Option<i32>,
}

impl<'a> Expansion<'a> {
    fn new(session: &'a mut Session) -> Self {
        Expansion {
            session,
            errors: Output::default(),
            status: None,
        }
    }
}

impl Context for Expansion<'_> {
    fn param(&self, name: &str) -> String {
        self.session.vars().get(name)
    }

    fn is_set(&self, name: &str) -> bool {
        self.session.vars().is_set(name)
    }

    fn assign(&mut self, name: &str, value: &str) {
        self.session.vars().set(name, value);
    }

    fn error(&mut self, message: String) {
        self.errors.lines.extend(Output::stderr(format!("bash: {message}")).lines);
        self.status = Some(1);
    }

    fn command(&mut self, source: &str) -> String {
        let out = self.session.substitute(source);
        self.status = Some(out.status);
        let mut text = String::new();
        for line in out.lines {
            if line.stream == Stream::Stdout {
                text.push_str(&line.text);
                text.push('\n');
            } else {
                self.errors.lines.push(line);
            }
        }
        self.errors.prompt = out.prompt.or(self.errors.prompt.take());
        self.errors.edit = out.edit.or(self.errors.edit.take());
        text.trim_end_matches('\n').to_string()
    }
}

/// A loop that reached `loops::MAX_ROUNDS`: what it printed, then why it stopped.
fn cut_off(mut out: Output) -> Output {
    out.push(
        Stream::Stderr,
        format!(
            "bash: loop stopped after {} rounds: the lab's terminal shows a loop's output when it ends, so it stops loops that would not",
            loops::MAX_ROUNDS
        ),
    );
    out.status = 130;
    out
}

/// A syntax error: bash's words and status 2, which `$?` then holds.
fn syntax_error(session: &Session, e: &crate::SplitError) -> Output {
    let mut out = Output::stderr(format!("bash: {e}"));
    out.status = 2;
    session.vars().status = 2;
    out
}

/// The first reserved word of a compound command other than a loop (`if`, `case`…)
/// starting one of the line's commands, if any.
fn compound_keyword(line: &ShellLine) -> Option<String> {
    const KEYWORDS: [&str; 4] = ["if", "case", "select", "function"];
    line.pipelines
        .iter()
        .flat_map(|(_, p)| &p.commands)
        .filter_map(|words| words.first()?.literal())
        .find(|w| KEYWORDS.contains(&w.as_str()))
}

/// A word as it was typed, near enough for an error message.
fn source(word: &Word) -> String {
    word.0
        .iter()
        .map(|seg| match seg {
            Segment::Text(t) | Segment::Quoted(t) => t.clone(),
            Segment::Param { name, .. } => format!("${name}"),
            Segment::Command { source, .. } => format!("$({source})"),
            Segment::Length { name, .. } => format!("${{#{name}}}"),
            Segment::Arithmetic { source, .. } => format!("$(({source}))"),
            Segment::Modified { name, .. } => format!("${{{name}…}}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::Session;

    /// Runs `lines` in a fresh lab; returns what the last one printed and its status.
    fn last(lines: &[&str]) -> (String, i32) {
        let mut s = Session::new();
        let mut out = crate::Output::default();
        for line in lines {
            out = s.run_command(line);
        }
        (out.text(), out.status)
    }

    struct Case {
        name: &'static str,
        lines: &'static [&'static str],
        want: &'static str,
        status: i32,
    }

    #[test]
    fn lines_run_like_bash() {
        let cases = [
            Case {
                name: "assign and expand",
                lines: &["NS=demo", "echo $NS ${NS}x \"$NS\" '$NS'"],
                want: "demo demox demo $NS\n",
                status: 0,
            },
            Case {
                name: "defaults for unset or empty",
                lines: &["E=", "echo ${NOPE:-x} [${E:-y}] [${E-z}] ${NOPE-\"a  b\"}"],
                want: "x [y] [] a b\n",
                status: 0,
            },
            Case {
                name: "assign default sticks",
                lines: &["echo ${NS:=demo}", "echo $NS ${#NS}"],
                want: "demo 4\n",
                status: 0,
            },
            Case {
                name: "alternative value",
                lines: &["A=1", "echo [${A:+set}] [${NOPE:+set}] \"${A:+$A$A}\""],
                want: "[set] [] 11\n",
                status: 0,
            },
            Case {
                name: "arithmetic",
                lines: &["i=4", "echo $((i+1)) $(( $i * 2 % 3 )) \"$(( (1+2)*3 ))\" $((i > 3))"],
                want: "5 2 9 1\n",
                status: 0,
            },
            Case {
                name: "arithmetic error",
                lines: &["echo $((1/0))"],
                want: "bash: 1/0: division by 0 (error token is \"0\")\n\n",
                status: 0,
            },
            Case {
                name: "counting loop",
                lines: &["i=0; while [ $i -lt 3 ]; do echo n$i; i=$((i+1)); done"],
                want: "n0\nn1\nn2\n",
                status: 0,
            },
            Case {
                name: "for over words and a substitution, then the variable stays",
                lines: &["for f in a \"b c\" $(echo d e); do echo [$f]; done; echo $f"],
                want: "[a]\n[b c]\n[d]\n[e]\ne\n",
                status: 0,
            },
            Case {
                name: "a loop typed over several lines",
                lines: &["for i in 1 2", "do", "echo x$i", "done"],
                want: "x1\nx2\n",
                status: 0,
            },
            Case {
                name: "nested loops, break and continue",
                lines: &["for x in a b c; do [ $x = b ] && continue; for y in 1 2 3; do [ $y = 3 ] && break 2; echo $x$y; done; done; echo after"],
                want: "a1\na2\nafter\n",
                status: 0,
            },
            Case {
                name: "until with a failing test",
                lines: &["n=3; until [ $n -le 0 ]; do echo $n; n=$((n-1)); done"],
                want: "3\n2\n1\n",
                status: 0,
            },
            Case {
                name: "an endless loop is cut off",
                lines: &["while true; do :; done"],
                want: "bash: loop stopped after 1000 rounds: the lab's terminal shows a loop's output when it ends, so it stops loops that would not\n",
                status: 130,
            },
            Case {
                name: "break outside a loop",
                lines: &["break"],
                want: "bash: break: only meaningful in a `for', `while', or `until' loop\n",
                status: 0,
            },
            Case {
                name: "a loop with no do",
                lines: &["for i in 1 2; echo x; done"],
                want: "bash: syntax error near unexpected token `echo'\n",
                status: 2,
            },
            Case {
                name: "test's errors",
                lines: &["[ a -lt 3 ]; echo $?; [ 1 -lt 2; echo $?"],
                want: "bash: [: a: integer expression expected\n2\nbash: [: missing `]'\n2\n",
                status: 0,
            },
            Case {
                name: "unset expands to nothing",
                lines: &["echo a $NOPE b"],
                want: "a b\n",
                status: 0,
            },
            Case {
                name: "special parameters",
                lines: &["echo $0 [$1] [$@] [$*] $#"],
                want: "bash [] [] [] 0\n",
                status: 0,
            },
            Case {
                name: "tilde",
                lines: &["K=~/.kube/config", "echo ~ ~/x $K a~ '~' \"~\""],
                want: "/root /root/x /root/.kube/config a~ ~ ~\n",
                status: 0,
            },
            Case {
                name: "unset removes",
                lines: &["A=1", "unset A", "echo [$A]"],
                want: "[]\n",
                status: 0,
            },
            Case {
                name: "substitution strips newlines",
                lines: &["X=$(echo a; echo b)", "echo \"$X\""],
                want: "a\nb\n",
                status: 0,
            },
            Case {
                name: "substitution splits unquoted",
                lines: &["echo $(echo a; echo b)"],
                want: "a b\n",
                status: 0,
            },
            Case {
                name: "backquotes",
                lines: &["echo `echo hi`"],
                want: "hi\n",
                status: 0,
            },
            Case {
                name: "nested substitution",
                lines: &["echo $(echo $(echo deep))"],
                want: "deep\n",
                status: 0,
            },
            Case {
                name: "substitution is a subshell",
                lines: &["X=$(Y=2; echo $Y); echo $X [$Y]"],
                want: "2 []\n",
                status: 0,
            },
            Case {
                name: "prefix assignment is for the command only",
                lines: &["A=1 printenv A; echo [$A]"],
                want: "1\n[]\n",
                status: 0,
            },
            Case {
                name: "prefix value expanded before",
                lines: &["A=1 echo [$A]"],
                want: "[]\n",
                status: 0,
            },
            Case {
                name: "export reaches env",
                lines: &["export GREETING=hi", "env | grep GREETING"],
                want: "GREETING=hi\n",
                status: 0,
            },
            Case {
                name: "plain variables stay out of env",
                lines: &["LOCAL=1", "env | grep -c LOCAL"],
                want: "0\n",
                status: 1,
            },
            Case {
                name: "export keeps a substitution whole",
                lines: &["export AB=$(echo a b)", "printenv AB"],
                want: "a b\n",
                status: 0,
            },
            Case {
                name: "env runs a command with more",
                lines: &["env X=1 printenv X"],
                want: "1\n",
                status: 0,
            },
            Case {
                name: "status of the last command",
                lines: &["ls nope", "echo $?"],
                want: "2\n",
                status: 0,
            },
            Case {
                name: "status of grep without a match",
                lines: &["echo a | grep b; echo $?"],
                want: "1\n",
                status: 0,
            },
            Case {
                name: "and stops after a failure",
                lines: &["false && echo no"],
                want: "",
                status: 1,
            },
            Case {
                name: "or runs after a failure",
                lines: &["false || echo yes"],
                want: "yes\n",
                status: 0,
            },
            Case {
                name: "and or chain",
                lines: &["true && false || echo recovered; echo $?"],
                want: "recovered\n0\n",
                status: 0,
            },
            Case {
                name: "or skips after success",
                lines: &["true || echo no; echo after"],
                want: "after\n",
                status: 0,
            },
            Case {
                name: "kubectl errors are failures",
                lines: &["kubectl get pod nope && echo found || echo missing"],
                want: "Error from server (NotFound): pods \"nope\" not found\nmissing\n",
                status: 0,
            },
            Case {
                name: "unknown command is 127",
                lines: &["nope || echo $?"],
                want: "bash: nope: command not found\n127\n",
                status: 0,
            },
            Case {
                name: "a trailing && continues",
                lines: &["echo a &&", "echo $?"],
                want: "a\n0\n",
                status: 0,
            },
            Case {
                name: "alias",
                lines: &["alias say='echo hi'", "say there"],
                want: "hi there\n",
                status: 0,
            },
            Case {
                name: "alias not on its own line",
                lines: &["alias say2='echo hi'; say2"],
                want: "bash: say2: command not found\n",
                status: 127,
            },
            Case {
                name: "unalias k",
                lines: &["unalias k", "k get ns"],
                want: "bash: k: command not found\n",
                status: 127,
            },
            Case {
                name: "k is an alias",
                lines: &["alias k"],
                want: "alias k='kubectl'\n",
                status: 0,
            },
            Case {
                name: "redirect to a variable's file",
                lines: &["F=out.txt", "echo hi > $F", "cat out.txt"],
                want: "hi\n",
                status: 0,
            },
            Case {
                name: "errors to /dev/null",
                lines: &["kubectl get ns nope 2>/dev/null || echo absent; ls"],
                want: "absent\n",
                status: 0,
            },
            Case {
                name: "errors into the pipe",
                lines: &["kubectl get pod nope 2>&1 | grep -c NotFound"],
                want: "1\n",
                status: 0,
            },
            Case {
                name: "errors into a file",
                lines: &["cat nope 2> err.txt; cat err.txt"],
                want: "cat: nope: No such file or directory\n",
                status: 0,
            },
            Case {
                name: "both into a file",
                lines: &["kubectl get ns default nope &> both.txt; cat both.txt | wc -l"],
                want: "3\n",
                status: 0,
            },
            Case {
                name: "output as an error",
                lines: &["echo oops >&2 | wc -l"],
                want: "oops\n0\n",
                status: 0,
            },
            Case {
                name: "ambiguous redirect",
                lines: &["echo hi > $NOPE"],
                want: "bash: $NOPE: ambiguous redirect\n",
                status: 1,
            },
            Case {
                name: "bad substitution",
                lines: &["echo ${A%.*}"],
                want: "bash: ${A%.*}: bad substitution\n",
                status: 2,
            },
            Case {
                name: "wc counts what its flags pick",
                lines: &["echo x | wc -c; echo 'a b' | wc -w; echo x | wc -lc; echo x | wc"],
                want: "2\n2\n      1       2\n      1       1       2\n",
                status: 0,
            },
            Case {
                name: "a background job prints its number and pid, and `$?` is 0",
                lines: &["false", "sleep 5 &"],
                want: "[1] 4127\n",
                status: 0,
            },
            Case {
                name: "assignment status from substitution",
                lines: &["X=$(false)", "echo $?"],
                want: "1\n",
                status: 0,
            },
            Case {
                name: "heredoc expands unquoted",
                lines: &["NAME=demo", "cat <<EOF", "name: $NAME \\$HOME", "EOF"],
                want: "name: demo $HOME\n",
                status: 0,
            },
            Case {
                name: "heredoc expands when its command runs",
                lines: &["A=1; cat <<EOF", "a=$A", "EOF"],
                want: "a=1\n",
                status: 0,
            },
            Case {
                name: "heredoc quoted stays",
                lines: &["NAME=demo", "cat <<'EOF'", "name: $NAME", "EOF"],
                want: "name: $NAME\n",
                status: 0,
            },
            Case {
                name: "clear in a list drops what came before",
                lines: &["echo a; clear; echo b"],
                want: "b\n",
                status: 0,
            },
        ];
        for case in cases {
            let (text, status) = last(case.lines);
            assert_eq!(text, case.want, "case {}", case.name);
            assert_eq!(status, case.status, "case {}", case.name);
        }
    }

    #[test]
    fn a_syntax_error_sets_status_2() {
        let mut s = Session::new();
        assert_eq!(s.run_command("echo a ;; b").status, 2);
        assert_eq!(s.run_command("echo $?").text(), "2\n");
    }

    #[test]
    fn substitutions_name_pods_for_kubectl() {
        let mut s = Session::new();
        s.run_command("kubectl create deployment kubia --image=luksa/kubia --replicas=2");
        s.run_command("sleep 20");
        let name = s
            .run_command("kubectl get pods -l app=kubia -o jsonpath='{.items[0].metadata.name}'")
            .text();
        let name = name.trim();
        assert!(name.starts_with("kubia-"), "{name}");
        s.run_command(
            "POD=$(kubectl get pods -l app=kubia -o jsonpath='{.items[0].metadata.name}')",
        );
        assert_eq!(s.run_command("echo $POD").text(), format!("{name}\n"));
        let direct = s.run_command(&format!("kubectl get pod {name}")).text();
        assert_eq!(s.run_command("kubectl get pod $POD").text(), direct);
        let first = s.run_command("kubectl get pods -o name | head -n 1").text();
        let by_name = s
            .run_command(&format!("kubectl describe {}", first.trim()))
            .text();
        assert_eq!(
            s.run_command("kubectl describe $(kubectl get pods -o name | head -n 1)")
                .text(),
            by_name
        );
        // Several names split into several arguments.
        let out = s
            .run_command("kubectl delete $(kubectl get pods -o name) --wait=false")
            .text();
        assert_eq!(out.lines().count(), 2, "{out}");
    }

    #[test]
    fn a_self_substituting_alias_stops() {
        let mut s = Session::new();
        s.run_command("alias loop='echo $(loop)'");
        let out = s.run_command("loop").text();
        assert!(
            out.starts_with("bash: $(loop): command substitution nested too deeply\n"),
            "{out}"
        );
        // The lab is still usable.
        assert_eq!(s.run_command("echo ok").text(), "ok\n");
    }

    #[test]
    fn continued_lines_run_once_whole() {
        let mut s = Session::new();
        let first = s.run_command("kubectl create \\");
        assert!(first.continuation && s.continuing() && !s.in_heredoc());
        assert!(first.lines.is_empty());
        assert_eq!(
            s.run_command("  namespace demo").text(),
            "namespace/demo created\n"
        );
        assert!(!s.continuing());
        assert!(s.run_command("kubectl get ns |").continuation);
        assert!(
            s.run_command("").continuation,
            "a blank line keeps waiting after a pipe"
        );
        assert_eq!(s.run_command("grep -c demo").text(), "1\n");
        assert_eq!(
            s.history(),
            [
                "kubectl create   namespace demo",
                "kubectl get ns | grep -c demo"
            ]
        );
        // Ctrl+C abandons a continued line.
        s.run_command("echo a \\");
        s.interrupt();
        assert!(!s.continuing());
        assert_eq!(s.run_command("echo $?").text(), "130\n");
    }
}

