//! Printing objects in every `-o` form, shared by get, create, apply, run and friends.
//!
//! Tables come from the server-side printers (`cluster::apiserver::printers`); what kubectl
//! adds on its side mirrors cli-runtime pkg/printers/tableprinter.go (v1.34)
//! `decorateTable`: the NAMESPACE column for `-A`, the `kind.group/` name prefix when several
//! kinds print, `-L` label columns (header = upper-cased last path segment of the key) and
//! the LABELS column of `--show-labels`.

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::SimTime;
use cluster::apiserver::printers::{self, PrintOptions};
use serde_json::{Value, json};

use crate::Outcome;
use crate::render::jsonpath::Template;
use crate::render::{OutputFormat, json as json_out, table, yaml};

/// Client-side table decorations.
#[derive(Debug, Clone, Default)]
pub struct TableOpts {
    pub wide: bool,
    pub all_namespaces: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
    pub no_headers: bool,
    pub with_kind: bool,
}

/// The header row and object rows of one kind's table, as text cells.
pub fn table_rows(
    info: &KindInfo,
    objs: &[Arc<Object>],
    opts: &TableOpts,
    now: SimTime,
) -> (Vec<String>, Vec<Vec<String>>) {
    let t = printers::print_table(info, objs, &PrintOptions { wide: opts.wide }, now);
    let mut header: Vec<String> = t.columns.iter().map(|c| c.name.to_uppercase()).collect();
    let mut rows = t.text_rows();
    let with_ns = opts.all_namespaces && info.namespaced;
    if with_ns {
        header.insert(0, "NAMESPACE".into());
    }
    for l in &opts.label_columns {
        header.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
    }
    if opts.show_labels {
        header.push("LABELS".into());
    }
    let prefix = kind_prefix(info);
    for (row, obj) in rows.iter_mut().zip(objs) {
        if opts.with_kind
            && let Some(name) = row.first_mut()
        {
            *name = format!("{prefix}/{name}");
        }
        if with_ns {
            row.insert(0, obj.namespace().unwrap_or("").to_string());
        }
        let labels = obj.meta().labels.clone().unwrap_or_default();
        for l in &opts.label_columns {
            row.push(labels.get(l).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            row.push(printers::format_labels(obj.meta().labels.as_ref()));
        }
    }
    (header, rows)
}

/// `pod`, `deployment.apps`: the name printer's kind.
pub fn kind_prefix(info: &KindInfo) -> String {
    info.qualified_kind_lower()
}

/// `pod/x`, `deployment.apps/web`.
pub fn name_of(obj: &Object) -> String {
    format!("{}/{}", kind_prefix(obj.kind_info()), obj.name())
}

/// The object as kubectl prints it in YAML/JSON: as the server sends it, managed fields
/// dropped.
pub fn object_value(obj: &Object) -> Value {
    let mut v = api::omitempty::to_json(obj);
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    v
}

/// The `List` kubectl prints for several objects.
pub fn list_value(objs: &[Arc<Object>]) -> Value {
    json!({
        "apiVersion": "v1",
        "items": objs.iter().map(|o| object_value(o)).collect::<Vec<_>>(),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// Prints objects in a non-table format. `single` is kubectl's "single item implied": one
/// object asked for by name prints bare, anything else as a `List`.
pub fn print_structured(
    objs: &[Arc<Object>],
    single: bool,
    format: &OutputFormat,
    out: &mut Outcome,
) {
    let value = || {
        if single && objs.len() == 1 {
            object_value(&objs[0])
        } else {
            list_value(objs)
        }
    };
    match format {
        OutputFormat::Yaml => out.out_block(&yaml::to_yaml(&value())),
        OutputFormat::Json => out.out_block(&json_out::to_json(&value())),
        OutputFormat::Name => {
            for o in objs {
                out.out(name_of(o));
            }
        }
        OutputFormat::JsonPath(t) => print_jsonpath(t, &value(), out),
        OutputFormat::GoTemplate(t) => match t.execute(&value()) {
            // Like JSONPath, a template's output gets no newline of kubectl's.
            Ok(text) => out.out_raw(&text),
            Err(e) => {
                out.err(format!("error: error executing template \"{}\": {e}", t.source()));
                out.exit_code = 1;
            }
        },
        OutputFormat::CustomColumns(c) => {
            let values: Vec<Value> = objs.iter().map(|o| object_value(o)).collect();
            for l in c.render(&values, false) {
                out.out(l);
            }
        }
        OutputFormat::Table | OutputFormat::Wide => {}
    }
}

/// JSONPath output: kubectl writes no newline after it.
fn print_jsonpath(t: &Template, v: &Value, out: &mut Outcome) {
    out.out_raw(&t.execute(v));
}

/// Sorts objects by a `--sort-by` expression: numbers numerically, everything else as text;
/// objects without the field first. Stable, as kubectl's sort is.
pub fn sort_objects(objs: &mut [Arc<Object>], expr: &Template) {
    let key = |o: &Arc<Object>| -> (u8, f64, String) {
        let vals = expr.values(&object_value(o));
        match vals.first() {
            None => (0, 0.0, String::new()),
            Some(Value::Number(n)) => (1, n.as_f64().unwrap_or(0.0), String::new()),
            Some(v) => (2, 0.0, crate::render::jsonpath::value_text(v)),
        }
    };
    machinery::sort::sort_by(objs, |a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.partial_cmp(&kb.1).unwrap_or(std::cmp::Ordering::Equal))
            .then(ka.2.cmp(&kb.2))
    });
}

/// Prints tables for objects grouped by kind, with blank lines between kinds.
pub fn print_tables(
    groups: &[(&'static KindInfo, Vec<Arc<Object>>)],
    opts: &TableOpts,
    now: SimTime,
    out: &mut Outcome,
) {
    let mut first = true;
    for (info, objs) in groups {
        if objs.is_empty() {
            continue;
        }
        if !first {
            out.out("");
        }
        first = false;
        let (header, rows) = table_rows(info, objs, opts, now);
        let mut all = Vec::with_capacity(rows.len() + 1);
        if !opts.no_headers {
            all.push(header);
        }
        all.extend(rows);
        for l in table::align(&all) {
            out.out(l);
        }
    }
}
