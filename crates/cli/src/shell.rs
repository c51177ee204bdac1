//! `kubelab shell`: an interactive lab terminal on stdin/stdout, the same code path as the
//! page. Simulated time passes only through `sleep N`. On a terminal, lines are edited with
//! history and Tab completion (`lab::Session::complete`, as in the page); piped input is read
//! line by line.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::{Context, Helper, Highlighter, Hinter, Validator};

/// Reads lines until end of input or `exit`, printing each command's output.
///
/// # Errors
/// Reading stdin or writing stdout failed.
pub fn run(seed: u64) -> anyhow::Result<()> {
    let session = Rc::new(RefCell::new(lab::Session::with_seed(seed)));
    println!(
        "kubelab {} — a simulated minikube cluster. Type `help`, or `exit` to leave.",
        lab::VERSION
    );
    if std::io::stdin().is_terminal() {
        interactive(&session)
    } else {
        piped(&session)
    }
}

/// The prompt: the kubeconfig namespace, or `> ` inside a here-document.
fn prompt(session: &lab::Session) -> String {
    if session.in_heredoc() {
        "> ".to_string()
    } else {
        format!("[{}] $ ", session.namespace())
    }
}

/// Runs one line; returns false when the learner asked to leave.
fn run_line(session: &RefCell<lab::Session>, line: &str) -> anyhow::Result<bool> {
    let mut session = session.borrow_mut();
    if !session.in_heredoc() && matches!(line.trim(), "exit" | "logout") {
        return Ok(false);
    }
    let out = session.run_command(line);
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    if out.clear_screen {
        write!(stdout, "\x1b[2J\x1b[H")?;
    }
    for l in out.lines {
        match l.stream {
            lab::Stream::Stdout => writeln!(stdout, "{}", l.text)?,
            lab::Stream::Stderr => writeln!(stderr, "{}", l.text)?,
        }
    }
    Ok(true)
}

fn piped(session: &RefCell<lab::Session>) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout();
    let mut lines = std::io::stdin().lock().lines();
    loop {
        write!(stdout, "{}", prompt(&session.borrow()))?;
        stdout.flush()?;
        let Some(line) = lines.next() else {
            writeln!(stdout)?;
            return Ok(());
        };
        if !run_line(session, &line?)? {
            return Ok(());
        }
    }
}

fn interactive(session: &Rc<RefCell<lab::Session>>) -> anyhow::Result<()> {
    let mut editor = rustyline::Editor::<LabHelper, rustyline::history::DefaultHistory>::new()?;
    editor.set_helper(Some(LabHelper { session: session.clone() }));
    loop {
        let prompt = prompt(&session.borrow());
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                if !run_line(session, &line)? {
                    return Ok(());
                }
            }
            // Ctrl+C: like the page, stop a watch and drop an open here-document.
            Err(ReadlineError::Interrupted) => {
                session.borrow_mut().interrupt();
                println!("^C");
            }
            Err(ReadlineError::Eof) => {
                println!();
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Tab completion for rustyline over the lab's own completer.
#[derive(Helper, Highlighter, Hinter, Validator)]
struct LabHelper {
    session: Rc<RefCell<lab::Session>>,
}

impl Completer for LabHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let completion = self.session.borrow().complete(line, pos);
        let single = completion.candidates.len() == 1;
        let pairs = completion
            .candidates
            .into_iter()
            .map(|c| {
                // A single finished word gets its trailing space, as bash does.
                let replacement = if single && !c.ends_with('/') && !c.ends_with('=') { format!("{c} ") } else { c.clone() };
                Pair { display: c, replacement }
            })
            .collect();
        Ok((completion.start, pairs))
    }
}
