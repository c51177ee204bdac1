//! Lesson progress kept in localStorage: the lesson open, the step reached in each lesson
//! and the steps whose checks all passed. A missing or damaged entry reads as no progress.

use std::collections::{BTreeMap, BTreeSet};

use gloo::storage::{LocalStorage, Storage};

const CURRENT_KEY: &str = "kubelab.lessons.current";
const STEPS_KEY: &str = "kubelab.lessons.steps";
const DONE_KEY: &str = "kubelab.lessons.done";

/// The lesson that was open when the page was last used.
pub fn current() -> Option<String> {
    LocalStorage::get::<String>(CURRENT_KEY).ok()
}

pub fn set_current(id: Option<&str>) {
    match id {
        Some(id) => {
            let _ = LocalStorage::set(CURRENT_KEY, id);
        }
        None => LocalStorage::delete(CURRENT_KEY),
    }
}

/// The step (from 1) last open in each lesson.
pub fn step_of(id: &str) -> Option<u32> {
    LocalStorage::get::<BTreeMap<String, u32>>(STEPS_KEY)
        .ok()?
        .get(id)
        .copied()
}

pub fn save_step(id: &str, step: u32) {
    let mut steps = LocalStorage::get::<BTreeMap<String, u32>>(STEPS_KEY).unwrap_or_default();
    if steps.get(id) != Some(&step) {
        steps.insert(id.to_string(), step);
        let _ = LocalStorage::set(STEPS_KEY, steps);
    }
}

/// Steps (from 1) of a lesson whose checks have all passed at some point.
pub fn done(id: &str) -> BTreeSet<u32> {
    LocalStorage::get::<BTreeMap<String, BTreeSet<u32>>>(DONE_KEY)
        .ok()
        .and_then(|mut m| m.remove(id))
        .unwrap_or_default()
}

pub fn mark_done(id: &str, step: u32) {
    let mut all =
        LocalStorage::get::<BTreeMap<String, BTreeSet<u32>>>(DONE_KEY).unwrap_or_default();
    if all.entry(id.to_string()).or_default().insert(step) {
        let _ = LocalStorage::set(DONE_KEY, all);
    }
}
