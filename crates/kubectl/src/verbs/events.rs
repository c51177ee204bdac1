//! `kubectl events [--for TYPE/NAME] [--types=Normal,Warning] [-A] [-w]`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/events/{events.go, event_printer.go} (v1.34):
//! the table LAST SEEN, TYPE, REASON, OBJECT (`Kind/name`), MESSAGE (NAMESPACE first with
//! `-A`), sorted by when each event was last seen; `(xN over T)` for repeated events.
//! `--watch` goes on printing rows as events are recorded.

use std::sync::Arc;

use api::Object;
use cluster::apiserver::{ListOptions, WatchId, WatchOptions};
use cluster::{SimTime, Store};
use k8s_openapi::api::core::v1 as corev1;
use machinery::duration::human_duration_ms;

use super::{Ctx, printing};
use crate::errors::KubectlError;
use crate::render::table::Widths;
use crate::waiting::{Progress, WaitStream, Waiter};
use crate::{Env, Outcome};

fn event_info() -> Result<&'static api::KindInfo, KubectlError> {
    api::by_gvk("v1", "Event")
        .ok_or_else(|| KubectlError::msg("the server doesn't have a resource type \"events\""))
}

/// Runs `kubectl events`.
///
/// # Errors
/// kubectl's validation errors and the store's.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let types = p.all("types");
    for t in &types {
        if !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning") {
            return Err(KubectlError::msg("valid --types are Normal or Warning"));
        }
    }
    if !p.args.is_empty() {
        return Err(ctx.usage(format!("unknown command \"{}\"", p.args.join(" "))));
    }
    let all = ctx.all_namespaces();
    let mut field_selector = String::new();
    if let Some(f) = p.string("for").filter(|f| !f.is_empty()) {
        let Some((kind_word, name)) = f.split_once('/') else {
            return Err(KubectlError::msg(format!(
                "--for must be in resource/name form, got {f:?}"
            )));
        };
        let info = crate::resources::resolve_type(kind_word)?;
        field_selector = format!(
            "involvedObject.kind={},involvedObject.name={name}",
            info.kind
        );
    }
    let info = event_info()?;
    let ns = (!all).then_some(ctx.namespace.as_str());
    let format = super::get::output_format(p.string("output").unwrap_or(""), env)?;
    let list = env.store.list(
        info,
        ns,
        &ListOptions {
            field_selector: field_selector.clone(),
            ..Default::default()
        },
    )?;
    let mut events: Vec<Arc<Object>> = list
        .items
        .into_iter()
        .filter(|o| type_matches(o, &types))
        .collect();
    machinery::sort::sort_by_key(&mut events, |o| last_seen(o));
    let mut printer = Printer {
        all,
        no_headers: p.bool("no-headers"),
        widths: Widths::default(),
        header_printed: false,
    };
    if !format.is_table() {
        printing::print_structured(&events, false, &format, out);
    } else if events.is_empty() {
        if !p.bool("watch") {
            out.err(if all {
                "No events found.".to_string()
            } else {
                format!("No events found in {} namespace.", ctx.namespace)
            });
        }
    } else {
        for l in printer.rows(&events, env.store.now()) {
            out.out(l);
        }
    }
    if p.bool("watch") {
        let id = env.store.watch(
            info,
            ns,
            &WatchOptions {
                field_selector,
                resource_version: Some(env.store.resource_version().to_string()),
                ..Default::default()
            },
        )?;
        out.wait = Some(WaitStream::in_background(EventsWatch {
            id: Some(id),
            types,
            printer,
        }));
    }
    Ok(())
}

fn type_matches(o: &Object, types: &[String]) -> bool {
    if types.is_empty() {
        return true;
    }
    let Object::Event(e) = o else { return false };
    let t = e.type_.as_deref().unwrap_or("");
    types.iter().any(|w| w.eq_ignore_ascii_case(t))
}

/// eventTime: the series' last observation, else lastTimestamp, else eventTime.
fn last_seen(o: &Object) -> i64 {
    let Object::Event(e) = o else { return 0 };
    if let Some(s) = &e.series
        && let Some(t) = &s.last_observed_time
    {
        return t.0.as_millisecond();
    }
    if let Some(t) = &e.last_timestamp {
        return t.0.as_millisecond();
    }
    e.event_time.as_ref().map_or(0, |t| t.0.as_millisecond())
}

/// The event printer: rows through one tab writer whose widths persist across flushes.
struct Printer {
    all: bool,
    no_headers: bool,
    widths: Widths,
    header_printed: bool,
}

impl Printer {
    fn rows(&mut self, events: &[Arc<Object>], now: SimTime) -> Vec<String> {
        let mut rows = Vec::new();
        if !self.header_printed && !self.no_headers {
            let mut h = vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
            if self.all {
                h.insert(0, "NAMESPACE");
            }
            rows.push(h.into_iter().map(str::to_string).collect());
        }
        self.header_printed = true;
        for o in events {
            let Object::Event(e) = &**o else { continue };
            let mut row = Vec::new();
            if self.all {
                row.push(e.metadata.namespace.clone().unwrap_or_default());
            }
            row.push(interval(e, now));
            row.push(e.type_.clone().unwrap_or_default());
            row.push(e.reason.clone().unwrap_or_default());
            row.push(format!(
                "{}/{}",
                e.involved_object.kind.clone().unwrap_or_default(),
                e.involved_object.name.clone().unwrap_or_default()
            ));
            row.push(e.message.clone().unwrap_or_default().trim().to_string());
            rows.push(row);
        }
        self.widths.fit(&rows);
        rows.iter().map(|r| self.widths.line(r)).collect()
    }
}

/// getInterval: `5s`, `5s (x3 over 2m)`.
fn interval(e: &corev1::Event, now: SimTime) -> String {
    let since = |ms: Option<i64>| match ms {
        None => "<unknown>".to_string(),
        Some(ms) => human_duration_ms(now.unix_millis() - ms),
    };
    let first = match &e.event_time {
        Some(t) => since(Some(t.0.as_millisecond())),
        None => since(e.first_timestamp.as_ref().map(|t| t.0.as_millisecond())),
    };
    if let Some(s) = &e.series {
        return format!(
            "{} (x{} over {first})",
            since(s.last_observed_time.as_ref().map(|t| t.0.as_millisecond())),
            s.count.unwrap_or(0)
        );
    }
    if e.count.unwrap_or(0) > 1 {
        return format!(
            "{} (x{} over {first})",
            since(e.last_timestamp.as_ref().map(|t| t.0.as_millisecond())),
            e.count.unwrap_or(0)
        );
    }
    first
}

/// `kubectl events -w`: one row per event recorded or updated.
struct EventsWatch {
    id: Option<WatchId>,
    types: Vec<String>,
    printer: Printer,
}

impl Waiter for EventsWatch {
    fn poll(&mut self, store: &mut Store) -> Progress {
        let mut p = Progress::default();
        let Some(id) = self.id else {
            return p;
        };
        match store.poll(id) {
            Ok(evs) => {
                let objs: Vec<Arc<Object>> = evs
                    .into_iter()
                    .filter(|e| e.event_type != cluster::apiserver::WatchEventType::Deleted)
                    .map(|e| e.object)
                    .filter(|o| type_matches(o, &self.types))
                    .collect();
                if !objs.is_empty() {
                    for l in self.printer.rows(&objs, store.now()) {
                        p.out(&l);
                    }
                }
            }
            Err(e) => {
                p.err(&KubectlError::from(e).to_string());
                p.finish(1);
            }
        }
        p
    }

    fn deadline(&self) -> Option<SimTime> {
        None
    }

    fn stop(&mut self, store: &mut Store) {
        if let Some(id) = self.id.take() {
            store.stop_watch(id);
        }
    }
}
