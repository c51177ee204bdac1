//! `kubectl wait --for=delete|create|condition=C[=V]|jsonpath='{…}'[=V]`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/wait/{wait.go, condition.go, json.go,
//! delete.go} (v1.34): the objects are found once, then waited for one after another under
//! one overall `--timeout` (default 30s; 0 checks once; negative means a week). Each success
//! prints `<kind>/<name> condition met` (or, with `-o`, the object as it was when the
//! condition held: `-o name` drops the operation); a timeout is `timed out waiting for the
//! condition on <resource>/<name>`.

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::apiserver::ListOptions;
use cluster::{SimDuration, SimTime, Store};
use serde_json::Value;

use super::Ctx;
use crate::errors::KubectlError;
use super::printing;
use crate::render::OutputFormat;
use crate::render::jsonpath::{self, Template};
use crate::resources::{self, Target};
use crate::waiting::{self, Progress, WaitStream, Waiter};
use crate::{Env, Outcome, Stream};

/// What `--for` waits for.
#[derive(Debug)]
enum Condition {
    Delete,
    Create,
    /// A status condition of this type with this status (compared case-insensitively).
    Status {
        name: String,
        value: String,
    },
    /// A JSONPath result equal to the value, or any result when None.
    JsonPath {
        template: Template,
        value: Option<String>,
    },
}

/// One object to wait for.
struct Item {
    info: &'static KindInfo,
    namespace: Option<String>,
    name: String,
    /// The incarnation being waited on (`--for=delete`).
    uid: Option<String>,
    /// The object as last seen, printed by `-o` once the condition holds (for
    /// `--for=delete` that is the object before it went).
    last: Option<Arc<Object>>,
}

/// conditionFuncFor.
fn parse_condition(raw: &str) -> Result<Condition, KubectlError> {
    if raw.eq_ignore_ascii_case("delete") {
        return Ok(Condition::Delete);
    }
    if raw.eq_ignore_ascii_case("create") {
        return Ok(Condition::Create);
    }
    if let Some(rest) = raw.strip_prefix("condition=") {
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n, v),
            None => (rest, "true"),
        };
        return Ok(Condition::Status {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if let Some(rest) = raw.strip_prefix("jsonpath=") {
        let parts = split_jsonpath_input(rest);
        if parts.is_empty() || parts.len() > 2 {
            return Err(KubectlError::msg(
                "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'",
            ));
        }
        let expr = parts[0].trim_matches(|c| c == '\'' || c == '"');
        if expr.is_empty() {
            return Err(KubectlError::msg("jsonpath expression cannot be empty"));
        }
        let template =
            Template::parse_relaxed(expr).map_err(|e| KubectlError::msg(e.to_string()))?;
        let value = match parts.get(1) {
            None => None,
            Some(v) => {
                let v = v.trim_matches(|c| c == '\'' || c == '"');
                if v.is_empty() {
                    return Err(KubectlError::msg(
                        "jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3",
                    ));
                }
                Some(v.to_string())
            }
        };
        return Ok(Condition::JsonPath { template, value });
    }
    Err(KubectlError::msg(format!(
        "unrecognized condition: {raw:?}"
    )))
}

/// splitJSONPathInput: split on single `=`, keeping `==`.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let b: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == '=' {
            if i + 1 < b.len() && b[i + 1] == '=' {
                cur.push_str("==");
                i += 2;
                continue;
            }
            out.push(std::mem::take(&mut cur));
            i += 1;
            continue;
        }
        cur.push(b[i]);
        i += 1;
    }
    out.push(cur);
    out
}

/// Runs `kubectl wait`.
///
/// # Errors
/// Flag and condition errors, and the store's errors while finding the objects.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let raw = p.string("for").unwrap_or("");
    let condition = parse_condition(raw)?;
    let format = super::get::output_format(&super::get::output_with_template(p), env)?;
    let timeout_ns = waiting::parse_timeout(ctx, "timeout", "30s")?;
    let timeout = if timeout_ns < 0 {
        SimDuration::from_secs(168 * 3600)
    } else {
        SimDuration::from_millis((timeout_ns / 1_000_000) as u64)
    };
    let is_delete = matches!(condition, Condition::Delete);
    let items = find(
        ctx,
        env,
        is_delete || matches!(condition, Condition::Create),
    )?;
    if items.is_empty() {
        if is_delete {
            return Ok(());
        }
        return Err(KubectlError::msg("no matching resources found"));
    }
    let mut w = Wait {
        items,
        next: 0,
        condition,
        format,
        headed: false,
        once: timeout == SimDuration::ZERO,
        deadline: env.store.now() + timeout,
    };
    // The first check happens now, before any simulated time passes.
    let first = w.poll(env.store);
    out.extend(first.lines);
    match first.exit {
        Some(code) => out.exit_code = code,
        None => out.wait = Some(WaitStream::new(w)),
    }
    Ok(())
}

/// The objects the builder finds: names, `-l`, `--all`, `-A`, `-f`.
fn find(ctx: &Ctx, env: &mut Env<'_>, allow_missing: bool) -> Result<Vec<Item>, KubectlError> {
    let p = &ctx.parsed;
    let selector = p.string("selector").unwrap_or("").to_string();
    let field_selector = p.string("field-selector").unwrap_or("").to_string();
    let mut items = Vec::new();
    let mut push = |info: &'static KindInfo, ns: Option<String>, name: String, uid| {
        items.push(Item {
            info,
            namespace: ns,
            name,
            uid,
            last: None,
        });
    };
    let files = ctx.filenames();
    if !files.is_empty() {
        for doc in crate::manifest::read(&files, p.bool("recursive"), env)? {
            let d = doc.result.map_err(|e| {
                KubectlError::Raw(crate::manifest::decode_error_text(&e, "waiting"))
            })?;
            let info = d.object.kind_info();
            let ns = info.namespaced.then(|| {
                d.object
                    .namespace()
                    .map_or(ctx.namespace.clone(), str::to_string)
            });
            let name = d.object.name().to_string();
            match env.store.get(info, ns.as_deref(), &name) {
                Ok(o) => push(info, ns, name, o.meta().uid.clone()),
                Err(_) if allow_missing => push(info, ns, name, None),
                Err(e) => return Err(e.into()),
            }
        }
        return Ok(items);
    }
    if p.args.is_empty() {
        return Err(KubectlError::msg(
            "resource(s) were provided, but no name was specified",
        ));
    }
    for t in resources::resolve_args(&p.args)? {
        match t {
            Target::Named(info, name) => {
                let ns = ctx.ns_for(info).map(str::to_string);
                match env.store.get(info, ns.as_deref(), &name) {
                    Ok(o) => push(info, ns, name, o.meta().uid.clone()),
                    Err(e) if e.reason() == "NotFound" && allow_missing => {
                        push(info, ns, name, None)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Target::All(info) => {
                if selector.is_empty() && field_selector.is_empty() && !p.bool("all") {
                    return Err(KubectlError::msg(
                        "resource(s) were provided, but no name was specified",
                    ));
                }
                let ns = if ctx.all_namespaces() {
                    None
                } else {
                    ctx.ns_for(info)
                };
                let list = env.store.list(
                    info,
                    ns,
                    &ListOptions {
                        label_selector: selector.clone(),
                        field_selector: field_selector.clone(),
                        ..Default::default()
                    },
                )?;
                for o in list.items {
                    push(
                        info,
                        o.namespace().map(str::to_string),
                        o.name().to_string(),
                        o.meta().uid.clone(),
                    );
                }
            }
        }
    }
    // --for=create on a missing object is what the command waits for; every other
    // condition on a missing object was reported above.
    Ok(items)
}

/// A running `kubectl wait`.
struct Wait {
    items: Vec<Item>,
    next: usize,
    condition: Condition,
    /// `-o`: the table form prints the `condition met` line.
    format: OutputFormat,
    /// `-o custom-columns` printed its header (once, for the first object, as kubectl's
    /// printer remembers the last type it headed).
    headed: bool,
    /// `--timeout=0`: check once.
    once: bool,
    deadline: SimTime,
}

impl Condition {
    /// Whether the condition holds for one object now; Err ends the command.
    fn holds(&self, item: &mut Item, store: &Store) -> Result<bool, String> {
        let got = store.get(item.info, item.namespace.as_deref(), &item.name);
        if let Ok(o) = &got
            && (item.uid.is_none() || o.meta().uid == item.uid)
        {
            item.last = Some(Arc::clone(o));
        }
        match self {
            Condition::Delete => Ok(match got {
                Err(_) => true,
                Ok(o) => item.uid.is_some() && o.meta().uid != item.uid,
            }),
            Condition::Create => Ok(got.is_ok()),
            Condition::Status { name, value } => {
                let obj = got.map_err(|e| KubectlError::from(e).to_string())?;
                let v = obj.to_value();
                let generation = v.pointer("/metadata/generation").and_then(Value::as_i64);
                for c in v
                    .pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let t = c.get("type").and_then(Value::as_str).unwrap_or("");
                    if !t.eq_ignore_ascii_case(name) {
                        continue;
                    }
                    let Some(status) = c.get("status").and_then(Value::as_str) else {
                        continue;
                    };
                    // Conditions observed for an older generation do not count.
                    let observed =
                        c.get("observedGeneration")
                            .and_then(Value::as_i64)
                            .or_else(|| {
                                v.pointer("/status/observedGeneration")
                                    .and_then(Value::as_i64)
                            });
                    if let (Some(g), Some(o)) = (generation, observed)
                        && o < g
                    {
                        return Ok(false);
                    }
                    return Ok(status.eq_ignore_ascii_case(value));
                }
                Ok(false)
            }
            Condition::JsonPath { template, value } => {
                let obj = got.map_err(|e| KubectlError::from(e).to_string())?;
                let found = template.values(&obj.to_value());
                if found.len() > 1 {
                    return Err(
                        "error: given jsonpath expression matches more than one value".into(),
                    );
                }
                let Some(first) = found.first() else {
                    return Ok(false);
                };
                match value {
                    None => Ok(true),
                    Some(want) => {
                        if first.is_object() || first.is_array() {
                            return Err(
                                "error: jsonpath leads to a nested object or list which is not supported"
                                    .into(),
                            );
                        }
                        Ok(jsonpath::value_text(first) == *want)
                    }
                }
            }
        }
    }
}

/// What one object prints once its condition holds: kubectl's printer with the operation
/// `condition met`.
fn print_met(item: &Item, format: &OutputFormat, headed: &mut bool, p: &mut Progress) {
    let name = format!("{}/{}", item.info.qualified_kind_lower(), item.name);
    let Some(obj) = item.last.as_ref().filter(|_| !format.is_table()) else {
        p.out(&format!("{name} condition met"));
        return;
    };
    if let OutputFormat::CustomColumns(c) = format {
        for line in c.render(&[printing::object_value(obj)], std::mem::replace(headed, true)) {
            p.out(&line);
        }
        return;
    }
    let mut printed = Outcome::default();
    printing::print_structured(std::slice::from_ref(obj), true, format, &mut printed);
    for l in printed.lines {
        match l.stream {
            Stream::Stdout => p.out(&l.text),
            Stream::Stderr => p.err(&l.text),
        }
    }
}

impl Waiter for Wait {
    fn poll(&mut self, store: &mut Store) -> Progress {
        let mut p = Progress::default();
        while self.next < self.items.len() {
            let met = self.condition.holds(&mut self.items[self.next], store);
            let item = &self.items[self.next];
            match met {
                Err(e) => {
                    p.err(&e);
                    p.finish(1);
                    return p;
                }
                Ok(true) => {
                    print_met(item, &self.format, &mut self.headed, &mut p);
                    self.next += 1;
                }
                Ok(false) => {
                    let where_ = format!("{}/{}", item.info.plural, item.name);
                    if self.once {
                        p.err(&format!("error: condition not met for {where_}"));
                        p.finish(1);
                    } else if store.now() >= self.deadline {
                        p.err(&format!(
                            "error: timed out waiting for the condition on {where_}"
                        ));
                        p.finish(1);
                    }
                    return p;
                }
            }
        }
        p.finish(0);
        p
    }

    fn deadline(&self) -> Option<SimTime> {
        Some(self.deadline)
    }

    fn stop(&mut self, _store: &mut Store) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonpath_input_splits_on_single_equals() {
        assert_eq!(
            split_jsonpath_input("a.b.c====d.e.f===g.h.i==="),
            vec!["a.b.c====d.e.f==", "g.h.i==", ""]
        );
        assert_eq!(
            split_jsonpath_input("{.status.phase}=Running"),
            vec!["{.status.phase}", "Running"]
        );
    }

    #[test]
    fn unknown_conditions_are_refused_in_kubectl_words() {
        assert_eq!(
            parse_condition("ready").unwrap_err().to_string(),
            "error: unrecognized condition: \"ready\""
        );
    }
}
