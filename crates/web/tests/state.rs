//! The page's reducer in the browser's wasm (its frame budget reads `performance.now()`).

use std::rc::Rc;

use lab::Preset;
use wasm_bindgen_test::*;
use web::i18n::Lang;
use web::state::{Action, LabState, TerminalLine, Theme};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn stdout(state: &LabState) -> Vec<String> {
    state
        .scrollback()
        .iter()
        .filter_map(|l| match l {
            TerminalLine::Stdout(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
fn a_command_typed_while_a_preset_builds_runs_in_the_new_lab() {
    let mut state = Rc::new(LabState::fresh(Preset::Minikube, Lang::En, Theme::Light));
    state = state.reduce(Action::Building(Preset::Kubeadm));
    let line = "kubectl get nodes --no-headers | wc -l".to_string();
    state = state.reduce(Action::RunCommand { line, at_ms: 0.0 });
    // Nothing ran in the lab that is going away.
    assert_eq!(state.session.preset(), Preset::Minikube);
    assert!(state.session.history().is_empty(), "{:?}", state.session.history());
    let mut ticks = 0;
    while state.building.is_some() {
        state = state.reduce(Action::Tick { sim_ms: 0 });
        ticks += 1;
        assert!(ticks < 10_000, "the build ends");
    }
    assert_eq!(state.session.preset(), Preset::Kubeadm);
    assert_eq!(state.session.history(), ["kubectl get nodes --no-headers | wc -l"]);
    assert_eq!(stdout(&state), ["3"]);
}
