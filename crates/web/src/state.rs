//! The page's state: one lab session plus what the terminal shows. `LabState::reduce` is pure —
//! it forwards to `lab::Session` and never touches storage, timers or the DOM.

use std::rc::Rc;

use lab::{Session, Stream};
use yew::Reducible;

/// One line in the terminal's scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalLine {
    /// The prompt and the command as the learner typed it.
    Command(String),
    Stdout(String),
    Stderr(String),
}

/// Everything the page renders from.
#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub session: Session,
    pub scrollback: Vec<TerminalLine>,
    /// Milliseconds since the page opened at which each command ran: the activity plot's data.
    pub command_times_ms: Vec<f64>,
}

/// Something the learner did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A terminal line, with the page time (ms since load) at which Enter was pressed.
    RunCommand { line: String, at_ms: f64 },
    ClearTerminal,
}

impl LabState {
    /// A lab that continues the given command history (restored from the browser's storage).
    pub fn with_history(history: Vec<String>) -> LabState {
        LabState {
            session: Session::with_history(history),
            scrollback: vec![TerminalLine::Stdout(
                "Welcome to kubelab. Type `help` to see what this terminal can do.".to_string(),
            )],
            command_times_ms: Vec::new(),
        }
    }
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::RunCommand { line, at_ms } => {
                next.scrollback.push(TerminalLine::Command(line.clone()));
                let output = next.session.run_command(&line);
                if output.clear_screen {
                    next.scrollback.clear();
                }
                next.scrollback.extend(output.lines.into_iter().map(|l| match l.stream {
                    Stream::Stdout => TerminalLine::Stdout(l.text),
                    Stream::Stderr => TerminalLine::Stderr(l.text),
                }));
                if !line.trim().is_empty() {
                    next.command_times_ms.push(at_ms);
                }
            }
            Action::ClearTerminal => next.scrollback.clear(),
        }
        Rc::new(next)
    }
}

/// The reducer handle shared through context, so components dispatch without prop drilling.
pub type LabContext = yew::UseReducerHandle<LabState>;
