//! The share panel: the lab's link as a read-only field, its size, and a copy button.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::LabContext;

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub url: AttrValue,
    pub on_close: Callback<()>,
}

#[function_component(SharePanel)]
pub fn share_panel(props: &SharePanelProps) -> Html {
    let lab = use_context::<LabContext>().expect("SharePanel is rendered inside the LabContext provider");
    let t = lab.lang.t();
    let field = use_node_ref();
    let copied = use_state(|| false);
    {
        // Select the link so Ctrl+C copies it at once.
        let field = field.clone();
        use_effect_with(props.url.clone(), move |_| {
            if let Some(input) = field.cast::<HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let copy = {
        let url = props.url.clone();
        let copied = copied.clone();
        let field = field.clone();
        Callback::from(move |_: MouseEvent| {
            let clipboard = gloo::utils::window().navigator().clipboard();
            let _ = clipboard.write_text(&url);
            if let Some(input) = field.cast::<HtmlInputElement>() {
                input.select();
            }
            copied.set(true);
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    // The size that matters is the fragment's: that is what the link adds to the address.
    let size = props.url.split_once(crate::lab_io::FRAGMENT).map_or(props.url.len(), |(_, f)| f.len());
    html! {
        <div class="share-panel" role="dialog" aria-label={t.share_heading} {onkeydown}>
            <h2>{t.share_heading}</h2>
            <div class="share-row">
                <input ref={field} type="text" readonly=true data-testid="share-link"
                    aria-label={t.share_heading} value={props.url.clone()} />
                <button type="button" data-testid="share-copy" onclick={copy}>
                    { if *copied { t.copied } else { t.copy } }
                </button>
            </div>
            <p class="share-size" data-testid="share-size" data-bytes={size.to_string()}>{lab.lang.link_size(size)}</p>
            <p class="muted">{t.share_hint}</p>
            <button type="button" class="close" onclick={close}>{t.close}</button>
        </div>
    }
}
