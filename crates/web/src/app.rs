//! The root component: the lab's layout of resizable panes around one shared `LabState`.

use yew::prelude::*;

use crate::components::{
    ClusterView, Editor, Header, LessonPanel, MetricsChart, Splitter, SplitterAxis, Terminal,
};
use crate::hooks::{use_persisted_history, use_sim_clock};
use crate::state::{LabContext, LabState};
use crate::storage;

/// Pane sizes in CSS pixels; the defaults fit 1280×720.
const SIDEBAR_DEFAULT: f64 = 280.0;
const EDITOR_DEFAULT: f64 = 520.0;
const TERMINAL_DEFAULT: f64 = 260.0;
const PANE_MIN: f64 = 160.0;

#[function_component(App)]
pub fn app() -> Html {
    let lab = use_reducer(|| LabState::with_history(storage::load_history()));
    use_persisted_history(&lab);
    use_sim_clock(&lab);
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
                <main class="lab-body">
                    <aside class="pane sidebar">
                        <LessonPanel />
                        <MetricsChart />
                    </aside>
                    <Splitter axis={SplitterAxis::Vertical} label="Resize the lesson panel"
                        on_resize={resize(sidebar.clone(), 1.0)} />
                    <section class="pane editor-pane">
                        <Editor />
                    </section>
                    <Splitter axis={SplitterAxis::Vertical} label="Resize the editor"
                        on_resize={resize(editor.clone(), 1.0)} />
                    <section class="right-column">
                        <ClusterView />
                        <Splitter axis={SplitterAxis::Horizontal} label="Resize the terminal"
                            on_resize={resize(terminal.clone(), -1.0)} />
                        <Terminal />
                    </section>
                </main>
                <crate::components::EventsDrawer />
            </div>
        </ContextProvider<LabContext>>
    }
}
