use yew::prelude::*;

/// First commands for a learner who has no lesson open yet.
const TRY_COMMANDS: [&str; 5] = [
    "kubectl get nodes",
    "kubectl create deployment nginx --image=nginx --replicas=3",
    "kubectl get pods -o wide",
    "kubectl scale deployment nginx --replicas=5",
    "kubectl describe pod",
];

/// The side panel where guided lessons are listed and followed.
#[function_component(LessonPanel)]
pub fn lesson_panel() -> Html {
    html! {
        <section class="lesson-panel" data-testid="lesson-panel" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{"Lessons"}</h2>
            <p class="muted">
                {"Guided lessons that follow the classic Kubernetes exercises (kubia replication, \
                  liveness probes, rolling updates, Services, ConfigMaps, Jobs) will open here. \
                  The cluster is already running: try these in the terminal."}
            </p>
            <ul class="try-list">
                { for TRY_COMMANDS.iter().map(|c| html! { <li><code>{*c}</code></li> }) }
            </ul>
        </section>
    }
}
