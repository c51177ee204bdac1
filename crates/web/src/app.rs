//! The root component: the lab's layout of resizable panes around one shared `LabState`.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{
    BannerBar, ClusterView, Editor, Header, LessonPanel, MetricsChart, Splitter, SplitterAxis,
    Terminal,
};
use crate::hooks::{use_autosave, use_persisted_history, use_prefs, use_sim_clock};
use crate::lab_io;
use crate::state::LabContext;

/// Pane sizes in CSS pixels; the defaults fit 1280×720.
const SIDEBAR_DEFAULT: f64 = 280.0;
const EDITOR_DEFAULT: f64 = 520.0;
const TERMINAL_DEFAULT: f64 = 260.0;
const PANE_MIN: f64 = 160.0;
/// Past these a pane would squeeze its neighbours below their minimum at 1280×720.
const SIDEBAR_MAX: f64 = 520.0;
const EDITOR_MAX: f64 = 900.0;
const TERMINAL_MAX: f64 = 560.0;

/// A pane a splitter resizes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pane {
    Sidebar,
    Editor,
    Terminal,
}

/// The resizable panes' sizes. A reducer, so the moves of one fast drag add up even when
/// several arrive before the page renders again.
#[derive(PartialEq)]
struct PaneSizes {
    sidebar: f64,
    editor: f64,
    terminal: f64,
}

impl Default for PaneSizes {
    fn default() -> Self {
        PaneSizes { sidebar: SIDEBAR_DEFAULT, editor: EDITOR_DEFAULT, terminal: TERMINAL_DEFAULT }
    }
}

impl Reducible for PaneSizes {
    type Action = (Pane, f64);

    fn reduce(self: Rc<Self>, (pane, delta): (Pane, f64)) -> Rc<Self> {
        let mut next = PaneSizes { ..*self };
        let (size, max) = match pane {
            Pane::Sidebar => (&mut next.sidebar, SIDEBAR_MAX),
            Pane::Editor => (&mut next.editor, EDITOR_MAX),
            Pane::Terminal => (&mut next.terminal, TERMINAL_MAX),
        };
        *size = (*size + delta).clamp(PANE_MIN, max);
        Rc::new(next)
    }
}

#[function_component(App)]
pub fn app() -> Html {
    // The link in the address, else the autosaved lab, else a fresh minikube.
    let lab = use_reducer(lab_io::initial_state);
    use_persisted_history(&lab);
    use_sim_clock(&lab);
    use_autosave(&lab);
    use_prefs(&lab);
    let t = lab.lang.t();
    let sizes = use_reducer(PaneSizes::default);

    // The loading indicator lives in index.html so it shows before wasm starts; the first
    // render of the app removes it.
    use_effect_with((), |_| {
        if let Some(el) = gloo::utils::document().get_element_by_id("loading") {
            el.remove();
        }
    });

    let resize = |pane: Pane, sign: f64| {
        let sizes = sizes.dispatcher();
        Callback::from(move |delta: f64| sizes.dispatch((pane, sign * delta)))
    };
    let building = match &lab.building {
        Some(b) => {
            let (joined, total) = b.progress;
            html! {
                <div class="building" role="status" aria-live="polite" data-testid="building"
                    data-joined={joined.to_string()} data-nodes={total.to_string()} data-booting={b.booting.to_string()}>
                    <div class="loading-spinner" aria-hidden="true"></div>
                    <p>{lab.lang.building(b.preset)}</p>
                    <p class="building-progress">{lab.lang.nodes_joined(joined, total)}</p>
                    if b.booting {
                        <p class="building-progress">{lab.lang.system_pods_starting()}</p>
                    }
                </div>
            }
        }
        None => html! {},
    };
    let style = format!(
        "--sidebar-w:{}px; --editor-w:{}px; --terminal-h:{}px;",
        sizes.sidebar, sizes.editor, sizes.terminal
    );

    html! {
        <ContextProvider<LabContext> context={lab}>
            <div class="lab" style={style}>
                <Header />
                <BannerBar />
                <main class="lab-body">
                    <aside class="pane sidebar">
                        <LessonPanel />
                        <MetricsChart />
                    </aside>
                    <Splitter axis={SplitterAxis::Vertical} label={t.resize_sidebar}
                        on_resize={resize(Pane::Sidebar, 1.0)} />
                    <section class="pane editor-pane">
                        <Editor />
                    </section>
                    <Splitter axis={SplitterAxis::Vertical} label={t.resize_editor}
                        on_resize={resize(Pane::Editor, 1.0)} />
                    <section class="right-column">
                        <ClusterView />
                        <Splitter axis={SplitterAxis::Horizontal} label={t.resize_terminal}
                            on_resize={resize(Pane::Terminal, -1.0)} />
                        <Terminal />
                    </section>
                </main>
                <crate::components::EventsDrawer />
                { building }
            </div>
        </ContextProvider<LabContext>>
    }
}
