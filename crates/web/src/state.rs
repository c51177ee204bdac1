//! The page's state: one lab session, what the terminal shows, and the clock controls.
//! `LabState::reduce` is pure — it forwards to `lab::Session` and never touches storage, timers
//! or the DOM.

use std::rc::Rc;

use lab::{ClusterSnapshot, Output, Session, Stream};
use yew::Reducible;

/// The file the editor's text is saved to before `kubectl apply -f`.
pub const EDITOR_FILE: &str = "manifest.yaml";

/// Simulation speeds offered in the top bar (× real time).
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 50, 100];

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
    /// What the cluster view draws, refreshed after every action.
    pub snapshot: ClusterSnapshot,
    pub playing: bool,
    pub speed: u32,
    /// Numbers sampled as virtual time passes, for the plots (shared like the session).
    pub recorder: std::rc::Rc<std::cell::RefCell<lab::timeseries::Recorder>>,
}

/// Something the learner did, or a tick of the page's timer.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A terminal line, with the page time (ms since load) at which Enter was pressed.
    RunCommand { line: String, at_ms: f64 },
    /// Saves the editor's text as `manifest.yaml` and applies it, as the terminal would.
    Apply { text: String, at_ms: f64 },
    ClearTerminal,
    /// `real_ms` of wall time passed; the cluster advances by that times the speed if playing.
    Tick { real_ms: u64 },
    /// Advances the cluster by `sim_ms` at once, playing or not.
    Step { sim_ms: u64 },
    TogglePlay,
    SetSpeed(u32),
}

impl LabState {
    /// A lab that continues the given command history (restored from the browser's storage).
    pub fn with_history(history: Vec<String>) -> LabState {
        let session = Session::with_history(history);
        LabState {
            snapshot: session.snapshot(),
            session,
            scrollback: vec![TerminalLine::Stdout(
                "Welcome to kubelab: a one-node minikube cluster is running. Type `help`, or try \
                 `kubectl get nodes`."
                    .to_string(),
            )],
            command_times_ms: Vec::new(),
            playing: true,
            speed: 1,
            recorder: Default::default(),
        }
    }

    fn show(&mut self, output: Output) {
        if output.clear_screen {
            self.scrollback.clear();
        }
        self.scrollback.extend(output.lines.into_iter().map(|l| match l.stream {
            Stream::Stdout => TerminalLine::Stdout(l.text),
            Stream::Stderr => TerminalLine::Stderr(l.text),
        }));
    }

    fn run(&mut self, line: String, at_ms: f64) {
        self.scrollback.push(TerminalLine::Command(line.clone()));
        let output = self.session.run_command(&line);
        self.show(output);
        if !line.trim().is_empty() {
            self.command_times_ms.push(at_ms);
        }
    }
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::RunCommand { line, at_ms } => next.run(line, at_ms),
            Action::Apply { text, at_ms } => {
                next.session.write_file(EDITOR_FILE, &text);
                next.run(format!("kubectl apply -f {EDITOR_FILE}"), at_ms);
            }
            Action::ClearTerminal => next.scrollback.clear(),
            Action::Tick { real_ms } => {
                if !next.playing {
                    return self;
                }
                let ms = real_ms * u64::from(next.speed);
                let output = next.recorder.borrow_mut().advance(&mut next.session, ms);
                next.show(output);
            }
            Action::Step { sim_ms } => {
                let output = next.recorder.borrow_mut().advance(&mut next.session, sim_ms);
                next.show(output);
            }
            Action::TogglePlay => next.playing = !next.playing,
            Action::SetSpeed(speed) => next.speed = speed,
        }
        next.session.with_cluster(|c| next.recorder.borrow_mut().sample(c));
        next.snapshot = next.session.snapshot();
        Rc::new(next)
    }
}

/// The reducer handle shared through context, so components dispatch without prop drilling.
pub type LabContext = yew::UseReducerHandle<LabState>;
