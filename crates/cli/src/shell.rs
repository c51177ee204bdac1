//! `kubelab shell`: an interactive lab terminal on stdin/stdout, the same code path as the
//! page. Simulated time passes only through `sleep N`.

use std::io::{BufRead, Write};

/// Reads lines until end of input or `exit`, printing each command's output.
///
/// # Errors
/// Reading stdin or writing stdout failed.
pub fn run(seed: u64) -> anyhow::Result<()> {
    let mut session = lab::Session::with_seed(seed);
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    writeln!(
        stdout,
        "kubelab {} — a simulated minikube cluster. Type `help`, or `exit` to leave.",
        lab::VERSION
    )?;
    let mut lines = stdin.lock().lines();
    loop {
        let prompt = if session.in_heredoc() { "> " } else { "$ " };
        write!(stdout, "{prompt}")?;
        stdout.flush()?;
        let Some(line) = lines.next() else {
            writeln!(stdout)?;
            return Ok(());
        };
        let line = line?;
        if !session.in_heredoc() && matches!(line.trim(), "exit" | "logout") {
            return Ok(());
        }
        let out = session.run_command(&line);
        if out.clear_screen {
            write!(stdout, "\x1b[2J\x1b[H")?;
        }
        for l in out.lines {
            match l.stream {
                lab::Stream::Stdout => writeln!(stdout, "{}", l.text)?,
                lab::Stream::Stderr => writeln!(stderr, "{}", l.text)?,
            }
        }
    }
}
