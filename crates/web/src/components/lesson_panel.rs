use yew::prelude::*;

/// The side panel where guided lessons are listed and followed.
#[function_component(LessonPanel)]
pub fn lesson_panel() -> Html {
    html! {
        <section class="lesson-panel" data-testid="lesson-panel" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{"Lessons"}</h2>
            <p class="muted">
                {"Guided lessons follow the classic Kubernetes exercises: kubia replication, \
                  liveness probes, rolling updates, Services, ConfigMaps and Jobs. They open \
                  here once the simulated cluster is available."}
            </p>
            <p class="muted">{"Meanwhile, try the terminal: type "}<code>{"help"}</code>{"."}</p>
        </section>
    }
}
