//! The root component: the lab's layout of resizable panes around one shared `LabState`.

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

#[function_component(App)]
pub fn app() -> Html {
    // The link in the address, else the autosaved lab, else a fresh minikube.
    let lab = use_reducer(lab_io::initial_state);
    use_persisted_history(&lab);
    use_sim_clock(&lab);
    use_autosave(&lab);
    use_prefs(&lab);
    let t = lab.lang.t();
    let sidebar = use_state(|| SIDEBAR_DEFAULT);
    let editor = use_state(|| EDITOR_DEFAULT);
    let terminal = use_state(|| TERMINAL_DEFAULT);

    // The loading indicator lives in index.html so it shows before wasm starts; the first
    // render of the app removes it.
    use_effect_with((), |_| {
        if let Some(el) = gloo::utils::document().get_element_by_id("loading") {
            el.remove();
        }
    });

    let resize = |size: UseStateHandle<f64>, sign: f64| {
        Callback::from(move |delta: f64| size.set((*size + sign * delta).max(PANE_MIN)))
    };
    let style = format!(
        "--sidebar-w:{}px; --editor-w:{}px; --terminal-h:{}px;",
        *sidebar, *editor, *terminal
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
                        on_resize={resize(sidebar.clone(), 1.0)} />
                    <section class="pane editor-pane">
                        <Editor />
                    </section>
                    <Splitter axis={SplitterAxis::Vertical} label={t.resize_editor}
                        on_resize={resize(editor.clone(), 1.0)} />
                    <section class="right-column">
                        <ClusterView />
                        <Splitter axis={SplitterAxis::Horizontal} label={t.resize_terminal}
                            on_resize={resize(terminal.clone(), -1.0)} />
                        <Terminal />
                    </section>
                </main>
                <crate::components::EventsDrawer />
            </div>
        </ContextProvider<LabContext>>
    }
}
