//! `kubelab shell`: an interactive lab terminal on stdin/stdout, the same code path as the
//! page. On a terminal, simulated time runs with the wall clock (`--speed` simulated seconds
//! per real second) and lines are edited with history and Tab completion
//! (`lab::Session::complete`, as in the page); a `get -w` or `logs -f` keeps printing until
//! Ctrl+C. Piped input is read line by line and, unless `--speed` says otherwise, time passes
//! only through `sleep N`, so the same input always prints the same output.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::{Context, Helper, Highlighter, Hinter, Validator};

/// Set by Ctrl+C outside line editing (while a watch streams); rustyline reports the key
/// itself while a line is being edited.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How often a streaming command is given the time that passed.
const STREAM_TICK: Duration = Duration::from_millis(100);

/// Reads lines until end of input or `exit`, printing each command's output.
///
/// # Errors
/// Reading stdin or writing stdout failed.
pub fn run(preset: lab::Preset, seed: u64, speed: Option<f64>) -> anyhow::Result<()> {
    let session = Rc::new(RefCell::new(lab::Session::with_preset(preset, seed)));
    let on_terminal = std::io::stdin().is_terminal();
    let mut clock = RealTime::new(speed.unwrap_or(if on_terminal { 1.0 } else { 0.0 }));
    println!(
        "kubelab {} — a simulated {preset} cluster. Type `help`, or `exit` to leave.",
        lab::VERSION
    );
    if on_terminal {
        interactive(&session, &mut clock)
    } else {
        piped(&session, &mut clock)
    }
}

/// Simulated time that follows the wall clock at `speed` simulated seconds per second.
struct RealTime {
    speed: f64,
    since: Instant,
    /// Simulated milliseconds owed but smaller than one.
    carry_ms: f64,
}

impl RealTime {
    fn new(speed: f64) -> RealTime {
        RealTime { speed: speed.max(0.0), since: Instant::now(), carry_ms: 0.0 }
    }

    fn running(&self) -> bool {
        self.speed > 0.0
    }

    /// Gives the session the simulated time that passed since the last call.
    fn catch_up(&mut self, session: &RefCell<lab::Session>) -> lab::Output {
        let now = Instant::now();
        let owed = now.duration_since(self.since).as_secs_f64() * 1000.0 * self.speed + self.carry_ms;
        self.since = now;
        let whole = owed.floor();
        self.carry_ms = owed - whole;
        if !self.running() || whole < 1.0 {
            return lab::Output::default();
        }
        // Saturating: at absurd speeds a long pause simply jumps far ahead.
        session.borrow_mut().advance(whole as u64)
    }
}

/// The prompt: the kubeconfig namespace, or bash's PS2 `> ` while a line continues (a
/// here-document, a trailing `\`).
fn prompt(session: &lab::Session) -> String {
    if session.continuing() {
        "> ".to_string()
    } else {
        format!("[{}] $ ", session.namespace())
    }
}

/// Runs one line, first letting the time that passed while it was typed reach the cluster;
/// returns false when the learner asked to leave.
fn run_line(session: &RefCell<lab::Session>, clock: &mut RealTime, line: &str) -> anyhow::Result<bool> {
    print_output(clock.catch_up(session))?;
    if !session.borrow().continuing() && matches!(line.trim(), "exit" | "logout") {
        return Ok(false);
    }
    let out = session.borrow_mut().run_command(line);
    print_output(out)?;
    Ok(true)
}

fn print_output(out: lab::Output) -> anyhow::Result<()> {
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
    stdout.flush()?;
    Ok(())
}

/// Keeps a `get -w` or `logs -f` printing in real time until Ctrl+C, as kubectl does.
fn stream_until_interrupted(session: &RefCell<lab::Session>, clock: &mut RealTime) -> anyhow::Result<()> {
    if !clock.running() {
        return Ok(());
    }
    INTERRUPTED.store(false, Ordering::SeqCst);
    while session.borrow().streaming() {
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            session.borrow_mut().interrupt();
            println!("^C");
            break;
        }
        std::thread::sleep(STREAM_TICK);
        print_output(clock.catch_up(session))?;
    }
    Ok(())
}

fn piped(session: &RefCell<lab::Session>, clock: &mut RealTime) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout();
    let mut lines = std::io::stdin().lock().lines();
    loop {
        write!(stdout, "{}", prompt(&session.borrow()))?;
        stdout.flush()?;
        let Some(line) = lines.next() else {
            writeln!(stdout)?;
            return Ok(());
        };
        if !run_line(session, clock, &line?)? {
            return Ok(());
        }
    }
}

fn interactive(session: &Rc<RefCell<lab::Session>>, clock: &mut RealTime) -> anyhow::Result<()> {
    let mut editor = rustyline::Editor::<LabHelper, rustyline::history::DefaultHistory>::new()?;
    editor.set_helper(Some(LabHelper { session: session.clone() }));
    // After the editor: rustyline takes SIGINT for its lifetime, but reads Ctrl+C as a key
    // while editing, so the signal only matters while a watch streams.
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))?;
    loop {
        let prompt = prompt(&session.borrow());
        match editor.readline(&prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                if !run_line(session, clock, &line)? {
                    return Ok(());
                }
                stream_until_interrupted(session, clock)?;
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
