//! The page's state: one lab session, the terminal tabs, the clock controls, the banner and
//! the learner's preferences. `LabState::reduce` is pure — it forwards to `lab::Session` and
//! never touches storage, timers or the DOM (hooks do that from the state).

use std::rc::Rc;

use lab::{ClusterSnapshot, LabLink, LinkError, Output, Preset, Session, Stream};
use yew::Reducible;

use crate::components::provide_step_files;
use crate::hooks::FrameBudget;
use crate::i18n::{Lang, Loaded};

/// The file the editor's text is saved to before `kubectl apply -f`.
pub const EDITOR_FILE: &str = "manifest.yaml";

/// Simulation speeds offered in the top bar (× real time).
pub const SPEEDS: [u32; 6] = [1, 2, 5, 10, 50, 100];

pub use lab::pace::{FRAME_BUDGET_MS, QUANTUM_MS};
use lab::pace::{LARGE_CLUSTER_NODES, LARGE_REDRAW_MS};

/// How much real time a slow cluster may fall behind before its clock just runs slower.
const MAX_BEHIND_REAL_MS: u64 = 1_000;

/// The longest "to the next event" step, in simulated milliseconds.
pub const NEXT_EVENT_LIMIT_MS: u64 = 3_600_000;

/// A preset's cluster being built across frames.
#[derive(Debug, Clone)]
pub struct Building {
    pub preset: Preset,
    /// Nodes joined so far, and how many the preset has.
    pub progress: (usize, usize),
    /// The nodes have joined and the system pods are starting.
    pub booting: bool,
    build: Rc<std::cell::RefCell<Option<lab::PresetBuild>>>,
    /// Terminal lines and editor applies sent meanwhile: they run in the new lab.
    queued: Vec<Action>,
}

impl PartialEq for Building {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.build, &other.build)
            && self.progress == other.progress
            && self.booting == other.booting
            && self.queued == other.queued
    }
}

impl Building {
    fn start(preset: Preset) -> Building {
        let build = lab::PresetBuild::new(preset, lab::DEFAULT_SEED);
        Building {
            preset,
            progress: build.progress(),
            booting: build.booting(),
            build: Rc::new(std::cell::RefCell::new(Some(build))),
            queued: Vec::new(),
        }
    }

    /// Builds for the rest of the frame's budget; the lab once it is ready.
    fn step(&mut self, budget: &FrameBudget) -> Option<Session> {
        let mut slot = self.build.borrow_mut();
        let build = slot.as_mut()?;
        let done = build.step(&mut || budget.left());
        self.progress = build.progress();
        self.booting = build.booting();
        if done { slot.take().map(lab::PresetBuild::finish) } else { None }
    }
}

/// One line in a terminal's scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminalLine {
    /// The greeting of a new lab, shown in the page's current language.
    Welcome(Preset),
    /// The prompt and the command as the learner typed it.
    Command { prompt: String, text: String },
    Stdout(String),
    Stderr(String),
}

/// One terminal tab: its own scrollback over the lab's one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalTab {
    pub id: u32,
    pub scrollback: Vec<TerminalLine>,
}

/// An object `kubectl edit` opened: the editor shows it in its own tab until it is saved
/// (and accepted) or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditBuffer {
    /// `deployment.apps/web`.
    pub title: String,
    /// What the editor opens: the object under kubectl's comment header.
    pub text: String,
    /// Bumped on every (re)open, so the editor replaces its text even when it is unchanged.
    pub generation: u64,
}

/// The inspector's shell on one pod: the lines typed there and what the container printed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodShell {
    /// `namespace/name` of the pod.
    pub pod: String,
    pub lines: Vec<TerminalLine>,
}

/// The light or dark theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// A message across the top of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    /// A shared lab was opened.
    Loaded(Loaded),
    /// A link could not be opened; the learner's own lab was kept.
    LinkFailed(LinkError),
    ImportFailed(LinkError),
    Imported,
    Restored,
    NothingSaved,
}

/// Everything the page renders from.
#[derive(Debug, Clone, PartialEq)]
pub struct LabState {
    pub session: Session,
    pub tabs: Vec<TerminalTab>,
    pub active_tab: usize,
    next_tab_id: u32,
    /// The tab whose `get -w` is running: what it prints goes there.
    watch_tab: Option<u32>,
    /// Milliseconds since the page opened at which each command ran: the activity plot's data.
    pub command_times_ms: Vec<f64>,
    /// What the cluster view draws, refreshed after every action.
    pub snapshot: ClusterSnapshot,
    pub playing: bool,
    pub speed: u32,
    /// The inspector's exec shell (one pod at a time).
    pub pod_shell: PodShell,
    /// Virtual time due to the clock that earlier frames had no time left to run (whole
    /// quanta of [`QUANTUM_MS`]); the next frame runs it first.
    pub behind_ms: u64,
    /// Numbers sampled as virtual time passes, for the plots (shared like the session).
    pub recorder: std::rc::Rc<std::cell::RefCell<lab::timeseries::Recorder>>,
    pub banner: Option<Banner>,
    pub lang: Lang,
    pub theme: Theme,
    /// The lesson open and its step (set by the lessons panel; carried by lab links).
    pub lesson: Option<String>,
    pub step: Option<u32>,
    /// Text the editor should show, bumped with a new generation whenever a lab is loaded.
    pub editor_text: Option<(u64, String)>,
    /// After a link is opened, the learner's autosave is left alone until they act.
    pub autosave_held: bool,
    /// Bumped by every learner action (not by clock ticks): autosave's trigger.
    pub revision: u64,
    /// The object `kubectl edit` has open in the editor.
    pub edit: Option<EditBuffer>,
    edit_generation: u64,
    /// Wall time (`performance.now()`) of the last snapshot a clock tick took.
    snapshot_at_ms: f64,
    /// The preset whose cluster is being built, a frame's budget at a time (clock ticks),
    /// while the page shows how far it got; the lab before it stays until it is done.
    pub building: Option<Building>,
}

/// Something the learner did, or a tick of the page's timer.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A terminal line, with the page time (ms since load) at which Enter was pressed.
    RunCommand { line: String, at_ms: f64 },
    /// Saves the editor's text as `manifest.yaml` and applies it, as the terminal would.
    Apply { text: String, at_ms: f64 },
    ClearTerminal,
    /// A line typed into the inspector's shell tab: runs in the pod's container as
    /// `kubectl exec … -- sh -c '<line>'` (a command of the lab like any other).
    PodExec { namespace: String, pod: String, line: String, at_ms: f64 },
    /// Ctrl+C in the terminal: stops a watch, abandons a here-document.
    Interrupt,
    /// Ctrl+Z in the terminal: stops the foreground watch or followed log as a job.
    Suspend,
    /// A frame of the page's clock: `sim_ms` of virtual time fell due (real time × speed, in
    /// whole quanta). While playing, the cluster advances in quanta until the frame's budget
    /// of wall time is spent; what is left is carried in `behind_ms`.
    Tick { sim_ms: u64 },
    /// Advances the cluster by `sim_ms` at once, playing or not.
    Step { sim_ms: u64 },
    /// Runs the cluster to its next scheduled event.
    StepToNextEvent,
    TogglePlay,
    SetSpeed(u32),
    /// The picker or Reset asked for a fresh cluster of the preset: the clock's ticks build
    /// it a frame's budget at a time, playing or not, and then it replaces the lab.
    Building(Preset),
    /// A fresh cluster of the preset (the picker and Reset).
    Reset(Preset),
    /// Replaces the lab with one rebuilt from a link or file, paused.
    Load { link: Box<LabLink>, session: Session, banner: Banner },
    ShowBanner(Banner),
    DismissBanner,
    NewTab,
    CloseTab(usize),
    SelectTab(usize),
    SetLang(Lang),
    SetTheme(Theme),
    SetLesson { lesson: Option<String>, step: Option<u32> },
    /// Shows a text (a lesson's manifest) in the editor.
    OpenInEditor { text: String },
    /// Saves the `kubectl edit` buffer: kubectl applies it (or reopens it with its errors).
    SaveEdit { text: String },
    /// Closes the `kubectl edit` buffer without saving.
    CancelEdit,
}

impl LabState {
    /// A fresh lab on `preset`.
    pub fn fresh(preset: Preset, lang: Lang, theme: Theme) -> LabState {
        LabState::with_session(Session::with_preset(preset, lab::DEFAULT_SEED), lang, theme)
    }

    /// A page over an existing session (restored or replayed).
    pub fn with_session(session: Session, lang: Lang, theme: Theme) -> LabState {
        let welcome = vec![TerminalLine::Welcome(session.preset())];
        LabState {
            snapshot: session.snapshot(),
            session,
            tabs: vec![TerminalTab { id: 1, scrollback: welcome }],
            active_tab: 0,
            next_tab_id: 2,
            watch_tab: None,
            command_times_ms: Vec::new(),
            playing: true,
            speed: 1,
            behind_ms: 0,
            pod_shell: PodShell::default(),
            recorder: Default::default(),
            banner: None,
            lang,
            theme,
            lesson: None,
            step: None,
            editor_text: None,
            autosave_held: false,
            revision: 0,
            edit: None,
            edit_generation: 0,
            building: None,
            snapshot_at_ms: 0.0,
        }
    }

    /// A lab that continues the given command history (the cluster starts fresh).
    pub fn with_history(history: Vec<String>) -> LabState {
        LabState::with_session(Session::with_history(history), Lang::En, Theme::Light)
    }

    /// The active tab's scrollback.
    pub fn scrollback(&self) -> &[TerminalLine] {
        &self.tabs[self.active_tab].scrollback
    }

    /// The link for the lab as it stands, with the editor's text.
    pub fn link(&self, editor: Option<&str>) -> LabLink {
        LabLink::of(&self.session, editor, self.lesson.as_deref(), self.step)
    }

    /// The prompt: the kubeconfig namespace, as a learner's shell prompt often shows it, or
    /// bash's PS2 `> ` while a line continues (a here-document, a trailing `\`).
    pub fn prompt(&self) -> String {
        if let Some(shell) = self.session.shell_prompt() {
            shell
        } else if self.session.continuing() {
            "> ".to_string()
        } else {
            // The directory shows once `cd` has left home, as a shell's `\w` would.
            match self.session.working_dir() {
                dir if dir == "~" => format!("[{}] $ ", self.session.namespace()),
                dir => format!("[{}] {dir} $ ", self.session.namespace()),
            }
        }
    }

    fn tab_mut(&mut self, id: Option<u32>) -> &mut TerminalTab {
        let index = id
            .and_then(|id| self.tabs.iter().position(|t| t.id == id))
            .unwrap_or(self.active_tab);
        &mut self.tabs[index]
    }

    fn show_in(&mut self, tab: Option<u32>, mut output: Output) {
        if let Some((title, text)) = output.edit.take() {
            self.edit_generation += 1;
            let generation = self.edit_generation;
            self.edit = Some(EditBuffer { title, text, generation });
        }
        let tab = self.tab_mut(tab);
        if output.clear_screen {
            tab.scrollback.clear();
        }
        tab.scrollback.extend(output.lines.into_iter().map(|l| match l.stream {
            Stream::Stdout => TerminalLine::Stdout(l.text),
            Stream::Stderr => TerminalLine::Stderr(l.text),
        }));
    }

    /// Shows time-driven output (a running watch) in the tab that started it.
    fn show_watch(&mut self, output: Output) {
        if !output.lines.is_empty() {
            self.show_in(self.watch_tab, output);
        }
    }

    fn run(&mut self, line: String, at_ms: f64) {
        let prompt = self.prompt();
        let tab_id = self.tabs[self.active_tab].id;
        self.tab_mut(None).scrollback.push(TerminalLine::Command { prompt, text: line.clone() });
        let jobs_before = self.session.background_jobs();
        let output = self.session.run_command(&line);
        self.show_in(None, output);
        // A watch, or a job started with `&`, prints in this tab as time passes.
        if self.session.watching() || self.session.background_jobs() > jobs_before {
            self.watch_tab = Some(tab_id);
        }
        if !line.trim().is_empty() {
            self.command_times_ms.push(at_ms);
        }
    }

    fn pod_exec(&mut self, namespace: &str, pod: &str, line: &str, at_ms: f64) {
        let key = format!("{namespace}/{pod}");
        if self.pod_shell.pod != key {
            self.pod_shell = PodShell { pod: key, lines: Vec::new() };
        }
        let prompt = format!("{pod} $ ");
        self.pod_shell.lines.push(TerminalLine::Command { prompt, text: line.to_string() });
        if line.trim().is_empty() {
            return;
        }
        let output = self.session.run_command(&lab::inspect::exec_line(namespace, pod, line));
        self.pod_shell.lines.extend(output.lines.into_iter().map(|l| match l.stream {
            Stream::Stdout => TerminalLine::Stdout(l.text),
            Stream::Stderr => TerminalLine::Stderr(l.text),
        }));
        self.command_times_ms.push(at_ms);
    }

    fn replace_session(&mut self, session: Session) {
        let fresh = LabState::with_session(session, self.lang, self.theme);
        let generation = self.editor_text.as_ref().map_or(1, |(g, _)| g + 1);
        *self = LabState {
            speed: self.speed,
            editor_text: self.editor_text.take().map(|(_, t)| (generation, t)),
            revision: self.revision + 1,
            ..fresh
        };
    }
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let is_tick = matches!(action, Action::Tick { .. });
        let changes_lab = !matches!(
            action,
            Action::Tick { .. }
                | Action::ShowBanner(_)
                | Action::DismissBanner
                | Action::Load { .. }
                | Action::Building(_)
                | Action::SetLang(_)
                | Action::SetTheme(_)
                | Action::SelectTab(_)
                | Action::NewTab
                | Action::CloseTab(_)
        );
        if changes_lab && !matches!(action, Action::Reset(_)) {
            // Whatever the learner does comes after the clock's step under way.
            let landed = next.session.land_in_flight();
            next.show_watch(landed);
        }
        match action {
            Action::RunCommand { .. } | Action::Apply { .. } | Action::PodExec { .. }
                if next.building.is_some() =>
            {
                // The old lab is about to go: what the learner typed waits for the new one.
                if let Some(b) = next.building.as_mut() {
                    b.queued.push(action);
                }
                return Rc::new(next);
            }
            Action::RunCommand { line, at_ms } => next.run(line, at_ms),
            Action::Apply { text, at_ms } => {
                next.session.write_file(EDITOR_FILE, &text);
                next.run(format!("kubectl apply -f {EDITOR_FILE}"), at_ms);
            }
            Action::ClearTerminal => next.tab_mut(None).scrollback.clear(),
            Action::PodExec { namespace, pod, line, at_ms } => {
                next.pod_exec(&namespace, &pod, &line, at_ms)
            }
            Action::Interrupt => {
                next.session.interrupt();
                next.watch_tab = None;
                next.tab_mut(None).scrollback.push(TerminalLine::Stdout("^C".to_string()));
            }
            Action::Suspend => {
                // The stopped job's later output (after `bg`) still goes to `watch_tab`.
                let output = next.session.suspend();
                next.tab_mut(None).scrollback.push(TerminalLine::Stdout("^Z".to_string()));
                next.show_in(None, output);
            }
            Action::Tick { .. } if next.building.is_some() => {
                let budget = FrameBudget::start(FRAME_BUDGET_MS);
                let built = next.building.as_mut().and_then(|b| b.step(&budget));
                if let Some(session) = built {
                    let queued = next.building.take().map(|b| b.queued).unwrap_or_default();
                    let playing = next.playing;
                    next.replace_session(session);
                    next.playing = playing;
                    let mut state = Rc::new(next);
                    for action in queued {
                        state = state.reduce(action);
                    }
                    return state;
                }
                // Progress only: the view keeps its snapshot until the new lab is there.
                return Rc::new(next);
            }
            Action::Tick { sim_ms } => {
                if !next.playing {
                    return self;
                }
                // A cluster slower than real time falls behind by at most a second of real
                // time; beyond that its clock runs slow instead of catching up in bursts.
                let cap = MAX_BEHIND_REAL_MS * u64::from(next.speed);
                let owed = (next.behind_ms + sim_ms).min(cap.max(QUANTUM_MS));
                let budget = FrameBudget::start(FRAME_BUDGET_MS);
                let (done, output) = next.recorder.borrow_mut().advance_within(
                    &mut next.session,
                    owed,
                    QUANTUM_MS,
                    || budget.left(),
                );
                next.behind_ms = owed - done;
                next.show_watch(output);
            }
            Action::Step { sim_ms } => {
                let output = next.recorder.borrow_mut().advance(&mut next.session, sim_ms);
                next.show_watch(output);
            }
            Action::StepToNextEvent => {
                let output = next.session.advance_to_next_event(NEXT_EVENT_LIMIT_MS);
                next.show_watch(output);
            }
            Action::TogglePlay => {
                next.playing = !next.playing;
                next.behind_ms = 0;
            }
            Action::SetSpeed(speed) => next.speed = speed,
            Action::Building(preset) => {
                // Nothing else changes, so the view keeps its snapshot.
                next.building = Some(Building::start(preset));
                return Rc::new(next);
            }
            Action::Reset(preset) => {
                let playing = next.playing;
                next.replace_session(Session::with_preset(preset, lab::DEFAULT_SEED));
                next.playing = playing;
            }
            Action::Load { link, session, banner } => {
                next.replace_session(session);
                next.playing = false;
                next.lesson = link.lesson.clone();
                next.step = link.step;
                provide_step_files(&mut next.session, next.lesson.as_deref(), next.step);
                let generation = next.editor_text.as_ref().map_or(1, |(g, _)| g + 1);
                next.editor_text = link.editor.clone().map(|t| (generation, t));
                // Opening a shared link leaves the learner's autosave alone until they act.
                next.autosave_held = matches!(banner, Banner::Loaded(_));
                next.banner = Some(banner);
            }
            Action::ShowBanner(banner) => next.banner = Some(banner),
            Action::DismissBanner => next.banner = None,
            Action::NewTab => {
                let id = next.next_tab_id;
                next.next_tab_id += 1;
                next.tabs.push(TerminalTab { id, scrollback: Vec::new() });
                next.active_tab = next.tabs.len() - 1;
            }
            Action::CloseTab(i) => {
                if next.tabs.len() > 1 && i < next.tabs.len() {
                    next.tabs.remove(i);
                    next.active_tab = next.active_tab.min(next.tabs.len() - 1);
                }
            }
            Action::SelectTab(i) => {
                if i < next.tabs.len() {
                    next.active_tab = i;
                }
            }
            Action::SetLang(lang) => next.lang = lang,
            Action::SetTheme(theme) => next.theme = theme,
            Action::SetLesson { lesson, step } => {
                next.lesson = lesson;
                next.step = step;
                provide_step_files(&mut next.session, next.lesson.as_deref(), next.step);
            }
            Action::SaveEdit { text } => {
                let output = next.session.save_edit(&text);
                // A failed save comes back as a buffer to edit again; else the edit is over.
                if output.edit.is_none() {
                    next.edit = None;
                }
                next.show_in(None, output);
            }
            Action::CancelEdit => {
                // Closing the buffer is quitting the editor without writing: kubectl reads
                // the file as it opened it (`Edit cancelled, no changes made.`, or after a
                // failed save `error: Edit cancelled, no valid changes were saved.`).
                if let Some(buffer) = next.edit.take() {
                    let output = next.session.save_edit(&buffer.text);
                    next.show_in(None, output);
                }
            }
            Action::OpenInEditor { text } => {
                let generation = next.editor_text.as_ref().map_or(1, |(g, _)| g + 1);
                next.editor_text = Some((generation, text));
            }
        }
        if changes_lab {
            next.revision += 1;
            next.autosave_held = false;
        }
        if is_tick && next.snapshot.nodes.len() > LARGE_CLUSTER_NODES {
            let now = crate::hooks::now_ms();
            if now - next.snapshot_at_ms < LARGE_REDRAW_MS {
                return Rc::new(next);
            }
            next.snapshot_at_ms = now;
        }
        next.session.with_cluster(|c| next.recorder.borrow_mut().sample(c));
        next.snapshot = next.session.snapshot();
        Rc::new(next)
    }
}

/// The reducer handle shared through context, so components dispatch without prop drilling.
pub type LabContext = yew::UseReducerHandle<LabState>;
