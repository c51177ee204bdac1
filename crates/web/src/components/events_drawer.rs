//! The bottom drawer: the cluster's live events (filter by object, type and reason) and the
//! plots over virtual time.

use std::collections::BTreeSet;

use lab::view::EventView;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::cluster_view::format::age;
use crate::components::cluster_view::texts;
use crate::components::plots::Plots;
use crate::state::LabContext;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Events,
    Plots,
}

/// The drawer's filters; empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Part of `kind/name` (`pod/web`, `web-7f9`…), case-insensitive.
    pub object: String,
    pub type_: String,
    pub reason: String,
}

impl EventFilter {
    pub fn matches(&self, e: &EventView) -> bool {
        (self.object.is_empty()
            || e.object
                .to_lowercase()
                .contains(&self.object.trim().to_lowercase()))
            && (self.type_.is_empty() || e.type_ == self.type_)
            && (self.reason.is_empty() || e.reason == self.reason)
    }
}

#[function_component(EventsDrawer)]
pub fn events_drawer() -> Html {
    let lab = use_context::<LabContext>()
        .expect("EventsDrawer is rendered inside the LabContext provider");
    let t = texts::of(lab.lang);
    let open = use_state(|| false);
    let tab = use_state(|| Tab::Events);
    let filter = use_state(EventFilter::default);
    let events = &lab.snapshot.events;
    let now = lab.snapshot.now_ms;
    let warnings = events.iter().filter(|e| e.type_ == "Warning").count();

    let show = |t: Tab| {
        let (open, tab) = (open.clone(), tab.clone());
        Callback::from(move |_| {
            tab.set(t);
            open.set(true);
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let tab_button = |which: Tab, label: String, testid: &'static str| {
        let on = *open && *tab == which;
        html! {
            <button type="button" role="tab" aria-selected={on.to_string()} class={classes!("cv-tab", on.then_some("on"))}
                data-testid={testid} onclick={show(which)}>{label}</button>
        }
    };
    let set = |f: fn(&mut EventFilter, String)| {
        let filter = filter.clone();
        move |value: String| {
            let mut next = (*filter).clone();
            f(&mut next, value);
            filter.set(next);
        }
    };
    let on_object = {
        let set = set(|f, v| f.object = v);
        Callback::from(move |e: InputEvent| {
            set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_type = {
        let set = set(|f, v| f.type_ = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_reason = {
        let set = set(|f, v| f.reason = v);
        Callback::from(move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let reasons: BTreeSet<&str> = events.iter().map(|e| e.reason.as_str()).collect();
    let shown: Vec<&EventView> = events.iter().rev().filter(|e| filter.matches(e)).collect();

    html! {
        <section class={classes!("cv-drawer", open.then_some("open"))} data-testid="events-drawer" aria-label={t.drawer}>
            <div class="cv-drawer-bar">
                <button type="button" class="cv-drawer-toggle" aria-expanded={open.to_string()}
                    data-testid="drawer-toggle" onclick={toggle}>
                    {format!("{} {}", if *open { "▾" } else { "▴" }, if *open { t.hide } else { t.show })}
                </button>
                <div role="tablist" class="cv-tabs" aria-label={t.drawer}>
                    { tab_button(Tab::Events, format!("{} ({}{})", t.events, events.len(),
                        if warnings > 0 { format!(" · ⚠ {warnings}") } else { String::new() }), "drawer-events") }
                    { tab_button(Tab::Plots, t.plots.to_string(), "drawer-plots") }
                </div>
            </div>
            if *open && *tab == Tab::Events {
                <div class="cv-drawer-body" role="tabpanel">
                    <div class="cv-filters">
                        <label>{t.filter_object}
                            <input type="search" value={filter.object.clone()} placeholder="pod/web" oninput={on_object}
                                data-testid="events-filter-object" />
                        </label>
                        <label>{t.filter_type}
                            <select onchange={on_type} data-testid="events-filter-type">
                                <option value="" selected={filter.type_.is_empty()}>{t.all}</option>
                                { for ["Normal", "Warning"].iter().map(|v| html! {
                                    <option value={*v} selected={filter.type_ == *v}>{*v}</option>
                                }) }
                            </select>
                        </label>
                        <label>{t.filter_reason}
                            <select onchange={on_reason} data-testid="events-filter-reason">
                                <option value="" selected={filter.reason.is_empty()}>{t.all}</option>
                                { for reasons.iter().map(|r| html! {
                                    <option value={r.to_string()} selected={filter.reason == *r}>{*r}</option>
                                }) }
                            </select>
                        </label>
                    </div>
                    if shown.is_empty() {
                        <p class="cv-empty">{t.no_events}</p>
                    } else {
                        <table class="cv-table cv-events" data-testid="events-table">
                            <thead><tr>
                                <th scope="col">{t.last_seen}</th><th scope="col">{t.type_col}</th>
                                <th scope="col">{t.reason}</th><th scope="col">{t.object}</th><th scope="col">{t.message}</th>
                            </tr></thead>
                            <tbody>
                                { for shown.iter().map(|e| html! {
                                    <tr class={e.type_.to_lowercase()} data-testid="event-row" data-type={e.type_.clone()}
                                        data-reason={e.reason.clone()} data-object={e.object.clone()}>
                                        <td>{age(now.saturating_sub(e.last_ms))}</td>
                                        <td>{if e.type_ == "Warning" { format!("⚠ {}", e.type_) } else { e.type_.clone() }}</td>
                                        <td>{e.reason.clone()}</td>
                                        <td>{e.object.clone()}</td>
                                        <td>{if e.count > 1 { format!("{} (x{})", e.message, e.count) } else { e.message.clone() }}</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    }
                </div>
            }
            if *open && *tab == Tab::Plots {
                <div class="cv-drawer-body" role="tabpanel"><Plots /></div>
            }
        </section>
    }
}
