//! The top bar: cluster preset, time controls and clock, reset, share, the lab menu
//! (restore, export, import), language and theme.

use lab::Preset;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::SharePanel;
use crate::i18n::Lang;
use crate::lab_io;
use crate::state::{Action, LabContext, SPEEDS, Theme};

/// Simulated milliseconds added by the step buttons.
const STEP_SHORT_MS: u64 = 1_000;
const STEP_MS: u64 = 10_000;

#[function_component(Header)]
pub fn header() -> Html {
    let lab = use_context::<LabContext>().expect("Header is rendered inside the LabContext provider");
    let share_url = use_state(|| None::<String>);
    let t = lab.lang.t();
    let dispatch = |action: Action| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(action.clone()))
    };
    let speed = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(speed) = value.parse::<u32>() {
                lab.dispatch(Action::SetSpeed(speed));
            }
        })
    };
    let preset = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(p) = value.parse::<Preset>() {
                lab.dispatch(Action::Building(p));
            }
        })
    };
    let reset = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(Action::Building(lab.session.preset())))
    };
    let language = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(lang) = Lang::from_code(&value) {
                lab.dispatch(Action::SetLang(lang));
            }
        })
    };
    let share = {
        let lab = lab.clone();
        let share_url = share_url.clone();
        Callback::from(move |_: MouseEvent| share_url.set(Some(lab_io::share_url(&lab))))
    };
    let close_share = {
        let share_url = share_url.clone();
        Callback::from(move |_| share_url.set(None))
    };
    let restore = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dispatch(lab_io::restore_action()))
    };
    let export = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab_io::export(&lab))
    };
    let import = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let lab = lab.clone();
            wasm_bindgen_futures::spawn_local(async move { lab.dispatch(lab_io::import(file).await) });
        })
    };
    let (theme_next, theme_text) = match lab.theme {
        Theme::Light => (Theme::Dark, t.theme_dark),
        Theme::Dark => (Theme::Light, t.theme_light),
    };
    let (play_label, play_text) = if lab.playing { (t.pause_label, t.pause) } else { (t.play_label, t.play) };
    let current_preset = lab.session.preset();
    let mut presets: Vec<Preset> = Preset::CHOICES.to_vec();
    if !presets.contains(&current_preset) {
        presets.push(current_preset);
    }
    html! {
        <header class="topbar">
            <span class="brand" aria-label="kubelab">
                <img src="web/icons/kubelab.svg" alt="" width="22" height="22" />
                {"kubelab"}
            </span>
            <span class="tagline">{t.tagline}</span>
            <label class="field">
                <span class="field-label">{t.preset_label}</span>
                <select data-testid="preset" aria-label={t.preset_label} onchange={preset}>
                    { for presets.iter().map(|p| html! {
                        <option value={p.to_string()} selected={*p == current_preset}>{lab.lang.preset(*p)}</option>
                    }) }
                </select>
            </label>
            <span class="spacer" />
            <div class="time-controls" role="group" aria-label={t.time_group}>
                <button type="button" data-testid="time-play" aria-label={play_label}
                    aria-pressed={lab.playing.to_string()} onclick={dispatch(Action::TogglePlay)}>{play_text}</button>
                <button type="button" data-testid="time-step-1" title={t.step_1s_title} aria-label={t.step_1s_title}
                    onclick={dispatch(Action::Step { sim_ms: STEP_SHORT_MS })}>{"+1 s"}</button>
                <button type="button" data-testid="time-step" title={t.step_10s_title} aria-label={t.step_10s_title}
                    onclick={dispatch(Action::Step { sim_ms: STEP_MS })}>{"+10 s"}</button>
                <button type="button" data-testid="time-next" title={t.next_event_title}
                    onclick={dispatch(Action::StepToNextEvent)}>{t.next_event}</button>
                <label class="speed">
                    <span class="visually-hidden">{t.speed}</span>
                    <select data-testid="time-speed" aria-label={t.speed} title={t.speed} onchange={speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == lab.speed}>{format!("{s}×")}</option>
                        }) }
                    </select>
                </label>
                <span class="clock" title={t.clock_title}>
                    <span class="clock-label">{t.cluster_time}{" "}</span><strong data-testid="clock">{lab.snapshot.clock()}</strong>
                </span>
            </div>
            <div class="lab-actions">
                <button type="button" data-testid="reset" title={t.reset_title}
                    onclick={reset}>{t.reset}</button>
                <button type="button" class="primary" data-testid="share-button" title={t.share_title}
                    aria-expanded={share_url.is_some().to_string()} onclick={share}>{t.share}</button>
                <details class="menu" data-testid="lab-menu">
                    <summary>{t.menu}</summary>
                    <div class="menu-items">
                        <button type="button" data-testid="restore-lab" onclick={restore}>{t.restore}</button>
                        <button type="button" data-testid="export-lab" onclick={export}>{t.export}</button>
                        <label class="menu-file">
                            {t.import}
                            <input type="file" accept=".json,.txt,application/json" data-testid="import-lab"
                                onchange={import} />
                        </label>
                    </div>
                </details>
                <select data-testid="language" aria-label={t.language} title={t.language} onchange={language}>
                    { for Lang::ALL.iter().map(|l| html! {
                        <option value={l.code()} selected={*l == lab.lang}>{l.name()}</option>
                    }) }
                </select>
                <button type="button" data-testid="theme" title={t.theme_title}
                    aria-pressed={(lab.theme == Theme::Dark).to_string()}
                    onclick={dispatch(Action::SetTheme(theme_next))}>{theme_text}</button>
            </div>
            if let Some(url) = (*share_url).clone() {
                <SharePanel url={url} on_close={close_share} />
            }
        </header>
    }
}

