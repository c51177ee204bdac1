//! `kubelab shell`: an interactive lab terminal on stdin/stdout, the same code path as the
//! page. On a terminal, simulated time runs with the wall clock (`--speed` simulated seconds
//! per real second) and lines are edited with history and Tab completion
//! (`lab::Session::complete`, as in the page); a `get -w` or `logs -f` keeps printing until
//! Ctrl+C. Piped input is read line by line and, unless `--speed` says otherwise, time passes
//! only through `sleep N`, so the same input always prints the same output.
//!
//! On a terminal the line editor runs on its own thread while this one owns the session
//! (which is not `Send`): it lets time pass every tick while a line is being typed and prints
//! what background jobs (`cmd &`) wrote above the prompt, which the editor redraws, as bash
//! does; Tab completion asks this thread for the candidates.
//!
//! Ctrl+Z at a streaming `get -w` / `logs -f` stops it as a job (`lab::Session::suspend`),
//! as on the page: while it streams the terminal is not in the editor's raw mode, so the
//! key reaches the process as SIGTSTP, which the shell catches instead of being stopped
//! itself. At the prompt the editor reads the key and raises SIGTSTP too: a listener
//! started in the foreground (`port-forward`, `proxy`, `minikube tunnel`, which give the
//! prompt back here) stops as a job; with nothing of the kind the lab ignores it, as bash
//! ignores Ctrl+Z at its prompt.

use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::{Context, ExternalPrinter, Helper, Highlighter, Hinter, Validator};

/// Set by Ctrl+C outside line editing (while a watch streams); rustyline reports the key
/// itself while a line is being edited.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set by Ctrl+Z (SIGTSTP), caught for the whole session.
static SUSPENDED: AtomicBool = AtomicBool::new(false);

/// Catches SIGTSTP: it only sets `SUSPENDED`, so the shell is never stopped itself.
///
/// # Errors
/// The handler could not be installed.
#[cfg(unix)]
fn catch_suspend() -> std::io::Result<()> {
    extern "C" fn on_tstp(_: libc::c_int) {
        SUSPENDED.store(true, Ordering::SeqCst);
    }
    // SAFETY: an all-zero sigaction is a valid empty one; the handler only stores to an
    // atomic, which is async-signal-safe.
    let done = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_tstp as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGTSTP, &action, std::ptr::null_mut())
    };
    if done == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

/// Whether the terminal itself echoes Ctrl+C / Ctrl+Z as `^C` / `^Z` (ECHOCTL, on by
/// default), as it does while a stream prints outside the editor's raw mode.
#[cfg(unix)]
fn terminal_echoes_keys() -> bool {
    // SAFETY: tcgetattr fills the zeroed termios it is given, or fails and leaves it.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 && t.c_lflag & libc::ECHO != 0 && t.c_lflag & libc::ECHOCTL != 0
    }
}

#[cfg(not(unix))]
fn terminal_echoes_keys() -> bool {
    false
}

/// Shows a key pressed while a stream printed: the terminal echoed it already (then only
/// the line ends), or it is echoed here, as the page shows it.
fn show_key(echo: &str) {
    if terminal_echoes_keys() {
        println!();
    } else {
        println!("{echo}");
    }
}

/// No SIGTSTP to catch.
#[cfg(not(unix))]
fn catch_suspend() -> std::io::Result<()> {
    Ok(())
}

/// How often a streaming command is given the time that passed.
const STREAM_TICK: Duration = Duration::from_millis(100);

/// Reads lines until end of input or `exit`, printing each command's output.
///
/// # Errors
/// Reading stdin or writing stdout failed.
pub fn run(preset: lab::Preset, seed: u64, speed: Option<f64>) -> anyhow::Result<()> {
    let session = RefCell::new(lab::Session::with_preset(preset, seed));
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
        // With stopped jobs the first `exit` only says so, as bash does.
        return match session.borrow_mut().leave() {
            Ok(()) => Ok(false),
            Err(warning) => print_output(warning).map(|()| true),
        };
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

/// What background jobs printed, as one text to show above the prompt (None: nothing).
fn background_text(out: lab::Output) -> Option<String> {
    let text: String = out.lines.into_iter().map(|l| format!("{}\n", l.text)).collect();
    (!text.is_empty()).then_some(text)
}

/// Keeps a `get -w` or `logs -f` printing in real time until Ctrl+C, as kubectl does, or
/// Ctrl+Z, which stops it as a job.
fn stream_until_interrupted(session: &RefCell<lab::Session>, clock: &mut RealTime) -> anyhow::Result<()> {
    if !clock.running() {
        return Ok(());
    }
    INTERRUPTED.store(false, Ordering::SeqCst);
    SUSPENDED.store(false, Ordering::SeqCst);
    while session.borrow().streaming() {
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            session.borrow_mut().interrupt();
            show_key("^C");
            break;
        }
        if SUSPENDED.swap(false, Ordering::SeqCst) {
            show_key("^Z");
            let stopped = session.borrow_mut().suspend();
            print_output(stopped)?;
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

fn interactive(session: &RefCell<lab::Session>, clock: &mut RealTime) -> anyhow::Result<()> {
    let (to_loop, from_reader) = mpsc::channel();
    let (ask_line, prompts) = mpsc::channel();
    let (printer_tx, printer_rx) = mpsc::channel();
    std::thread::spawn(move || read_lines(&prompts, &to_loop, &printer_tx));
    let mut printer = printer_rx.recv()??;
    // After the editor: rustyline takes SIGINT for its lifetime, but reads Ctrl+C as a key
    // while editing, so the signal only matters while a watch streams.
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))?;
    catch_suspend()?;
    drive(session, clock, &ask_line, &from_reader, &mut |text| {
        let _ = printer.print(text);
    })
}

/// What the line editor's thread tells the thread that owns the session.
enum FromReader {
    /// A line was entered (or Ctrl+C, Ctrl+D, an error).
    Line(rustyline::Result<String>),
    /// Tab was pressed: the candidates are wanted on `reply`.
    Complete {
        line: String,
        pos: usize,
        reply: Sender<lab::Completion>,
    },
}

/// The line editor's thread: reads one line per prompt it is sent, until the loop hangs up.
fn read_lines(
    prompts: &Receiver<String>,
    to_loop: &Sender<FromReader>,
    printer: &Sender<rustyline::Result<Box<dyn ExternalPrinter + Send>>>,
) {
    let editor = rustyline::Editor::<LabHelper, rustyline::history::DefaultHistory>::new();
    let mut editor = match editor {
        Ok(e) => e,
        Err(e) => {
            let _ = printer.send(Err(e));
            return;
        }
    };
    editor.set_helper(Some(LabHelper { to_loop: to_loop.clone() }));
    let external = editor
        .create_external_printer()
        .map(|p| Box::new(p) as Box<dyn ExternalPrinter + Send>);
    if printer.send(external).is_err() {
        return;
    }
    while let Ok(prompt) = prompts.recv() {
        let line = editor.readline(&prompt);
        if let Ok(l) = &line
            && !l.trim().is_empty()
        {
            let _ = editor.add_history_entry(l.as_str());
        }
        if to_loop.send(FromReader::Line(line)).is_err() {
            return;
        }
    }
}

/// The session's loop: asks for a line, and while it is being typed lets time pass every
/// tick, printing background output through `print_above` and answering completions.
fn drive(
    session: &RefCell<lab::Session>,
    clock: &mut RealTime,
    ask_line: &Sender<String>,
    from_reader: &Receiver<FromReader>,
    print_above: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    loop {
        if ask_line.send(prompt(&session.borrow())).is_err() {
            return Ok(());
        }
        let line = loop {
            match from_reader.recv_timeout(STREAM_TICK) {
                Ok(FromReader::Line(line)) => break line,
                Ok(FromReader::Complete { line, pos, reply }) => {
                    let _ = reply.send(session.borrow().complete(&line, pos));
                }
                Err(RecvTimeoutError::Timeout) => {
                    // Ctrl+Z at the prompt stops a listener started in the foreground (a
                    // port-forward, a proxy, a tunnel) as a job; with none it does nothing.
                    if SUSPENDED.swap(false, Ordering::SeqCst)
                        && let Some(text) = background_text(session.borrow_mut().suspend())
                    {
                        print_above(format!("^Z\n{text}"));
                    }
                    if let Some(text) = background_text(clock.catch_up(session)) {
                        print_above(text);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        };
        match line {
            Ok(line) => {
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

/// Tab completion for rustyline over the lab's own completer, asked of the session's thread.
#[derive(Helper, Highlighter, Hinter, Validator)]
struct LabHelper {
    to_loop: Sender<FromReader>,
}

impl Completer for LabHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (reply, answer) = mpsc::channel();
        let asked = self.to_loop.send(FromReader::Complete {
            line: line.to_string(),
            pos,
            reply,
        });
        let Some(completion) = asked.ok().and_then(|()| answer.recv().ok()) else {
            return Ok((pos, Vec::new()));
        };
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Held by each test that runs the shell's loops: they share the process-wide Ctrl+C
    /// and Ctrl+Z flags, and the prompt's loop takes a Ctrl+Z meant for another test's watch.
    static SIGNAL_FLAGS: Mutex<()> = Mutex::new(());

    /// Ctrl+Z at a streaming watch, as the terminal sends it (SIGTSTP to the process): the
    /// watch stops as job 1 and the shell goes on, not stopped itself.
    #[cfg(unix)]
    #[test]
    fn ctrl_z_stops_a_streaming_watch_as_a_job() {
        let _flags = SIGNAL_FLAGS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        catch_suspend().unwrap();
        let session = RefCell::new(lab::Session::with_preset(lab::Preset::Minikube, 1));
        let mut clock = RealTime::new(1.0);
        session.borrow_mut().run_command("kubectl get pods -w");
        assert!(session.borrow().streaming());
        let (done, finished) = mpsc::channel::<()>();
        let key = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            // SAFETY: sends a signal to this process, whose handler only sets a flag.
            unsafe { libc::kill(libc::getpid(), libc::SIGTSTP) };
            // Should the key go unheard, Ctrl+C ends the stream and the test fails below.
            if finished.recv_timeout(Duration::from_secs(5)).is_err() {
                INTERRUPTED.store(true, Ordering::SeqCst);
            }
        });
        stream_until_interrupted(&session, &mut clock).unwrap();
        let _ = done.send(());
        key.join().unwrap();
        assert!(!session.borrow().streaming());
        assert_eq!(
            session.borrow_mut().run_command("jobs").text(),
            "[1]+  Stopped                 kubectl get pods -w\n"
        );
    }

    /// The session's loop with a scripted line editor: a watch started in the background
    /// prints the pod's progress above the prompt while the next line is still being typed,
    /// not when it is entered.
    #[test]
    fn background_output_appears_while_the_next_line_is_typed() {
        let _flags = SIGNAL_FLAGS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let session = RefCell::new(lab::Session::with_preset(lab::Preset::Minikube, 1));
        // 20 simulated seconds per real second: the pod starts within about a second.
        let mut clock = RealTime::new(20.0);
        let (to_loop, from_reader) = mpsc::channel();
        let (ask_line, prompts) = mpsc::channel::<String>();
        let (typing_tx, typing) = mpsc::channel::<()>();
        let running = Arc::new(AtomicBool::new(false));
        let seen = running.clone();
        let reader = std::thread::spawn(move || {
            for line in ["kubectl get pods -w &", "kubectl run web --image=nginx"] {
                prompts.recv().unwrap();
                to_loop.send(FromReader::Line(Ok(line.to_string()))).unwrap();
            }
            // The learner is typing the next line: nothing is entered until the watch has
            // shown the pod running (or ten seconds passed).
            prompts.recv().unwrap();
            typing_tx.send(()).unwrap();
            let (reply, answer) = mpsc::channel();
            to_loop
                .send(FromReader::Complete { line: "kubectl get po".into(), pos: 14, reply })
                .unwrap();
            let completion = answer.recv().unwrap();
            for _ in 0..100 {
                if seen.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            to_loop.send(FromReader::Line(Ok("exit".into()))).unwrap();
            completion
        });
        let mut above = String::new();
        let mut while_typing = false;
        drive(&session, &mut clock, &ask_line, &from_reader, &mut |text| {
            while_typing |= typing.try_recv().is_ok();
            if while_typing {
                above.push_str(&text);
                if text.lines().any(|l| l.starts_with("web ") && l.contains("1/1")) {
                    running.store(true, Ordering::SeqCst);
                }
            }
        })
        .unwrap();
        let completion = reader.join().unwrap();
        assert!(completion.candidates.iter().any(|c| c.starts_with("pods")), "{:?}", completion.candidates);
        assert!(
            above.lines().any(|l| l.starts_with("web ") && l.contains("1/1") && l.contains("Running")),
            "printed above the prompt: {above:?}"
        );
    }
}
