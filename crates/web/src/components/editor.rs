//! The Monaco YAML editor. All Monaco interop of the app sits in this file; the JavaScript side
//! is `web/js/monaco-glue.js`, which loads Monaco from the site's own `vs/` folder.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::state::{Action, LabContext};
use crate::storage;

/// The manifest a new lab opens with: the first pod of the kubia exercises.
pub const STARTER_MANIFEST: &str = "\
# The first pod of the kubia exercises. Edit it here: the editor keeps your text
# in this browser, so a reload never loses it.
apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
  labels:
    app: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
      protocol: TCP
";

#[wasm_bindgen]
extern "C" {
    /// `kubelabMonaco.create(element, text, onChange)`: resolves to the editor once Monaco has
    /// loaded. Throws (caught) when the glue script is missing.
    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = create)]
    fn create_editor(
        host: &web_sys::HtmlElement,
        text: &str,
        on_change: &js_sys::Function,
    ) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(catch, js_namespace = kubelabMonaco, js_name = dispose)]
    fn dispose_editor(editor: &JsValue) -> Result<(), JsValue>;
}

#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// The YAML editor pane. Its text is saved to localStorage on every change.
#[function_component(Editor)]
pub fn editor() -> Html {
    let lab = use_context::<LabContext>().expect("Editor is rendered inside the LabContext provider");
    let host = use_node_ref();
    let status = use_state(|| Status::Loading);
    // The newest text, kept by the change callback so Apply needs no round trip to Monaco.
    let text = use_mut_ref(|| storage::load_editor_text().unwrap_or_else(|| STARTER_MANIFEST.to_string()));

    {
        let host = host.clone();
        let status = status.clone();
        let latest = text.clone();
        use_effect_with((), move |_| {
            let initial = latest.borrow().clone();
            let on_change = Closure::<dyn Fn(String)>::new(move |text: String| {
                storage::save_editor_text(&text);
                *latest.borrow_mut() = text;
            });
            let editor = std::rc::Rc::new(std::cell::RefCell::new(None::<JsValue>));
            if let Some(el) = host.cast::<web_sys::HtmlElement>() {
                match create_editor(&el, &initial, on_change.as_ref().unchecked_ref()) {
                    Ok(promise) => {
                        let editor = editor.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            match JsFuture::from(promise).await {
                                Ok(created) => {
                                    *editor.borrow_mut() = Some(created);
                                    status.set(Status::Ready);
                                }
                                Err(err) => status.set(Status::Failed(describe(&err))),
                            }
                        });
                    }
                    Err(err) => status.set(Status::Failed(describe(&err))),
                }
            }
            move || {
                if let Some(created) = editor.borrow_mut().take() {
                    let _ = dispose_editor(&created);
                }
                drop(on_change);
            }
        });
    }

    let apply = Callback::from(move |_: MouseEvent| {
        let at_ms = gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0);
        lab.dispatch(Action::Apply { text: text.borrow().clone(), at_ms });
    });
    let (ready, overlay) = match &*status {
        Status::Loading => ("false", html! { <div class="editor-status">{"Loading editor…"}</div> }),
        Status::Ready => ("true", html! {}),
        Status::Failed(reason) => (
            "false",
            html! { <div class="editor-status error" role="alert">
                {format!("The editor could not load: {reason}")}
            </div> },
        ),
    };
    html! {
        <div class="editor" data-testid="editor" data-ready={ready}>
            <div class="pane-title editor-bar">
                <span>{crate::state::EDITOR_FILE}</span>
                <button type="button" class="apply" data-testid="apply-button"
                    title="kubectl apply -f manifest.yaml" onclick={apply}>{"Apply"}</button>
            </div>
            { overlay }
            <div class="editor-host" ref={host} />
        </div>
    }
}

fn describe(err: &JsValue) -> String {
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
