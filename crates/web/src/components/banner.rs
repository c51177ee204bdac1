//! The message across the top of the page: what a link loaded, or why it could not be.

use yew::prelude::*;

use crate::lab_io;
use crate::state::{Action, Banner, LabContext};

#[function_component(BannerBar)]
pub fn banner_bar() -> Html {
    let lab = use_context::<LabContext>().expect("BannerBar is rendered inside the LabContext provider");
    let Some(banner) = lab.banner.clone() else { return html! {} };
    let t = lab.lang.t();
    let lang = lab.lang;
    let (kind, text) = match &banner {
        Banner::Loaded(loaded) => ("info", lang.loaded(loaded)),
        Banner::LinkFailed(err) => ("error", format!("{} {}. {}", t.link_failed, lang.link_error(err), t.kept_your_lab)),
        Banner::ImportFailed(err) => ("error", format!("{} {}. {}", t.import_failed, lang.link_error(err), t.kept_your_lab)),
        Banner::Imported => ("info", t.imported.to_string()),
        Banner::Restored => ("info", t.restored.to_string()),
        Banner::NothingSaved => ("info", t.nothing_saved.to_string()),
    };
    let dismiss = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(Action::DismissBanner))
    };
    let restore = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(lab_io::restore_action()))
    };
    let role = if kind == "error" { "alert" } else { "status" };
    html! {
        <div class={classes!("banner", kind)} data-testid="banner" data-kind={kind} role={role}>
            <span class="banner-text" data-testid="banner-text">{text}</span>
            if matches!(banner, Banner::Loaded(_)) {
                <button type="button" data-testid="banner-restore" onclick={restore}>{t.restore}</button>
            }
            <button type="button" data-testid="banner-dismiss" onclick={dismiss}>{t.dismiss}</button>
        </div>
    }
}
