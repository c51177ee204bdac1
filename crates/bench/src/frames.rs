//! `kubelab bench frames`: the lab page's frame loop on a `large` preset, without the browser.
//!
//! The page builds the preset across frames (8 ms of work each), then plays the clock at 1×:
//! every frame (60 a second) owes 16 virtual ms, run in 100 ms quanta for as long as the
//! frame's 8 ms last, and on a cluster of more than 200 nodes the views (the cluster
//! snapshot and the plots' sample) are rebuilt at most every 250 ms of wall time. This runs
//! the same calls in the same rhythm (`lab::pace` holds the page's constants)
//! and reports the longest frame of each kind: a frame longer than 50 ms is one the learner
//! feels. The browser's own share (drawing the grid, yew's diffing) is measured in the page
//! by `scripts/bench-large-preset.mjs`.

use lab::pace::{FRAME_BUDGET_MS, LARGE_CLUSTER_NODES, LARGE_REDRAW_MS, QUANTUM_MS};
use lab::timeseries::Recorder;
use lab::{Preset, PresetBuild, Session};

use crate::{Clock, Stopwatch};

/// Virtual ms owed per frame at 1× and 60 frames a second.
const FRAME_VIRTUAL_MS: u64 = 16;
/// Frames between two redraws of a large cluster's views (60 frames a second).
const FRAMES_PER_REDRAW: u64 = (LARGE_REDRAW_MS * 60.0 / 1000.0) as u64;
/// A frame this long or longer is a long task in the browser's terms.
const LONG_FRAME_S: f64 = 0.050;

/// What `bench frames` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FramesBench {
    pub nodes: usize,
    pub virtual_s: u64,
    /// CPU seconds the whole build took, across its frames.
    pub build_s: f64,
    /// The longest frame of the build: its budget is checked between two steps, so a
    /// single step (a node joining, a task of the hand-over) cannot be cut shorter.
    pub build_longest_frame_ms: f64,
    pub build_frames_over_50_ms: usize,
    /// The longest frame of simulation while the clock plays.
    pub play_longest_frame_ms: f64,
    /// One redraw of the views (snapshot and plot sample), mean and longest.
    pub redraw_mean_ms: f64,
    pub redraw_longest_ms: f64,
    /// Frames (simulation plus a redraw when one is due) of 50 ms or more while playing.
    pub play_frames_over_50_ms: usize,
    /// Virtual ms the clock fell behind real time by the end (the page lets a slow cluster
    /// run slow rather than catch up in bursts).
    pub behind_virtual_ms: u64,
}

/// Builds a `large` preset of `nodes` workers frame by frame, then plays `virtual_s` virtual
/// seconds at 1× as the page does.
pub fn frames(nodes: usize, virtual_s: u64, clock: Clock) -> FramesBench {
    let mut build = PresetBuild::new(Preset::Large(u32::try_from(nodes).unwrap_or(u32::MAX)), lab::DEFAULT_SEED);
    let (mut build_s, mut build_longest, mut build_long) = (0.0, 0.0_f64, 0);
    let mut session = loop {
        let t = Stopwatch::start(clock);
        let done = build.step(&mut within(&t));
        let took = t.read().0;
        build_s += took;
        build_longest = build_longest.max(took);
        build_long += usize::from(took >= LONG_FRAME_S);
        if done {
            break build.finish();
        }
    };
    let mut recorder = Recorder::new();
    let end = session.now_ms() + virtual_s * 1000;
    let (mut play_longest, mut play_long, mut behind) = (0.0_f64, 0, 0);
    let (mut redraws, mut redraw_sum, mut redraw_longest) = (0u64, 0.0, 0.0_f64);
    let redraw_every = if nodes > LARGE_CLUSTER_NODES { FRAMES_PER_REDRAW } else { 1 };
    let mut frame = 0u64;
    while session.now_ms() < end {
        frame += 1;
        let t = Stopwatch::start(clock);
        let owed = behind + FRAME_VIRTUAL_MS;
        let (done, _) = recorder.advance_within(&mut session, owed, QUANTUM_MS, within(&t));
        behind = owed - done;
        let simulated = t.read().0;
        play_longest = play_longest.max(simulated);
        let mut took = simulated;
        if frame.is_multiple_of(redraw_every) {
            let r = Stopwatch::start(clock);
            redraw(&mut recorder, &session);
            let drawn = r.read().0;
            redraws += 1;
            redraw_sum += drawn;
            redraw_longest = redraw_longest.max(drawn);
            took += drawn;
        }
        play_long += usize::from(took >= LONG_FRAME_S);
    }
    FramesBench {
        nodes,
        virtual_s,
        build_s,
        build_longest_frame_ms: build_longest * 1000.0,
        build_frames_over_50_ms: build_long,
        play_longest_frame_ms: play_longest * 1000.0,
        redraw_mean_ms: redraw_sum * 1000.0 / redraws.max(1) as f64,
        redraw_longest_ms: redraw_longest * 1000.0,
        play_frames_over_50_ms: play_long,
        behind_virtual_ms: behind,
    }
}

/// Whether the frame that started at `t` has budget left.
fn within(t: &Stopwatch) -> impl FnMut() -> bool + '_ {
    move || t.read().0 * 1000.0 < FRAME_BUDGET_MS
}

/// What the page recomputes for a redraw: the plots' sample and the cluster view's snapshot.
fn redraw(recorder: &mut Recorder, session: &Session) {
    session.with_cluster(|c| recorder.sample(c));
    std::hint::black_box(session.snapshot());
}

/// The text `kubelab bench frames` prints.
pub fn render(b: &FramesBench) -> String {
    format!(
        "nodes: {}\nbuild: {:.2} s, longest frame {:.1} ms, {} frames of 50 ms or more\nplaying {} virtual s at 1x: longest simulation frame {:.1} ms, redraw {:.1} ms (longest {:.1} ms), {} frames of 50 ms or more, {} virtual ms behind\n",
        b.nodes,
        b.build_s,
        b.build_longest_frame_ms,
        b.build_frames_over_50_ms,
        b.virtual_s,
        b.play_longest_frame_ms,
        b.redraw_mean_ms,
        b.redraw_longest_ms,
        b.play_frames_over_50_ms,
        b.behind_virtual_ms,
    )
}
