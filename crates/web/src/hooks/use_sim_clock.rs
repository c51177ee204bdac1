//! The page's simulation clock: on every animation frame, real time × speed falls due as
//! virtual time, and the reducer runs it in short slices (see `Action::Tick`), so even the
//! 5,000-node cluster never holds the page for more than a frame's budget.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::state::{Action, LabContext, QUANTUM_MS};

/// The longest real time one frame counts (a hidden tab gets no frames; coming back must
/// not owe minutes of cluster time at once).
const MAX_FRAME_MS: f64 = 250.0;

/// A deadline in wall time for the simulation's work in one frame.
pub struct FrameBudget {
    until: f64,
}

/// The page's wall clock (`performance.now()`), in milliseconds.
pub fn now_ms() -> f64 {
    gloo::utils::window()
        .performance()
        .map_or(0.0, |p| p.now())
}

impl FrameBudget {
    pub fn start(ms: f64) -> FrameBudget {
        FrameBudget {
            until: now_ms() + ms,
        }
    }

    /// Whether the frame may still run simulation work.
    pub fn left(&self) -> bool {
        now_ms() < self.until
    }
}

/// What the frame loop reads of the state each frame (the loop outlives renders).
#[derive(Clone, Copy, Default)]
struct Live {
    playing: bool,
    speed: u32,
    behind_ms: u64,
    /// A preset's cluster is being built: every frame builds a slice of it.
    building: bool,
}

/// Advances the cluster with real time while the lab is playing.
#[hook]
pub fn use_sim_clock(lab: &LabContext) {
    let live = use_mut_ref(Live::default);
    *live.borrow_mut() = Live {
        playing: lab.playing,
        speed: lab.speed,
        behind_ms: lab.behind_ms,
        building: lab.building.is_some(),
    };
    let dispatcher = lab.dispatcher();
    use_effect_with((), move |_| {
        let mut last: Option<f64> = None;
        // Virtual ms due but less than a quantum, carried between frames.
        let mut due = 0.0;
        let on_frame = move |at: f64| {
            let real = last.map_or(0.0, |l| (at - l).clamp(0.0, MAX_FRAME_MS));
            last = Some(at);
            let state = *live.borrow();
            if state.building {
                dispatcher.dispatch(Action::Tick { sim_ms: 0 });
                return;
            }
            if !state.playing {
                due = 0.0;
                return;
            }
            due += real * f64::from(state.speed);
            let quanta = (due / QUANTUM_MS as f64).floor();
            due -= quanta * QUANTUM_MS as f64;
            let sim_ms = quanta as u64 * QUANTUM_MS;
            if sim_ms > 0 || state.behind_ms >= QUANTUM_MS {
                dispatcher.dispatch(Action::Tick { sim_ms });
            }
        };
        let frames = FrameLoop::start(on_frame);
        move || drop(frames)
    });
}

/// The frame callback, shared with itself so it can ask for the next frame.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Calls a function on every animation frame until dropped. One closure lives for the whole
/// loop and asks for the next frame itself (dropping a closure while it runs is not allowed).
struct FrameLoop {
    id: Rc<Cell<Option<i32>>>,
    _closure: FrameCallback,
}

impl FrameLoop {
    fn start(mut on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        let id: Rc<Cell<Option<i32>>> = Rc::default();
        let closure: FrameCallback = Rc::default();
        let (next_id, me) = (id.clone(), Rc::downgrade(&closure));
        *closure.borrow_mut() = Some(Closure::new(move |at: f64| {
            on_frame(at);
            // The loop was dropped meanwhile: no next frame.
            if let Some(me) = me.upgrade() {
                let next = me.borrow().as_ref().and_then(request);
                next_id.set(next);
            }
        }));
        id.set(closure.borrow().as_ref().and_then(request));
        FrameLoop {
            id,
            _closure: closure,
        }
    }
}

fn request(c: &Closure<dyn FnMut(f64)>) -> Option<i32> {
    gloo::utils::window()
        .request_animation_frame(c.as_ref().unchecked_ref())
        .ok()
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        if let Some(id) = self.id.get() {
            let _ = gloo::utils::window().cancel_animation_frame(id);
        }
    }
}
