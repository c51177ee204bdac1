//! `kubectl get`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (v1.34): objects from names, types,
//! selectors or files; tables grouped by kind with `kind.group/` name prefixes when several
//! kinds print; `No resources found in <ns> namespace.` on stderr; NotFound errors after the
//! output; `-w` continues as a [`WatchStream`](crate::WatchStream).

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::apiserver::ListOptions;

use super::Ctx;
use super::printing::{self, TableOpts};
use crate::errors::KubectlError;
use crate::render::OutputFormat;
use crate::render::jsonpath::Template;
use crate::resources::{self, Target};
use crate::watch::WatchStream;
use crate::{Env, Outcome, manifest};

/// Runs `kubectl get`.
///
/// # Errors
/// Usage, flag and lookup errors; NotFound for named objects is printed after the output.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let format = output_format(&output_with_template(p), env)?;
    let sort_by = match p.string("sort-by").filter(|s| !s.is_empty()) {
        Some(s) => Some(
            Template::parse_relaxed(s)
                .map_err(|e| KubectlError::msg(format!("error parsing jsonpath {s}, {e}")))?,
        ),
        None => None,
    };
    let filenames = ctx.filenames();
    let selector = p.string("selector").unwrap_or("").to_string();
    let field_selector = p.string("field-selector").unwrap_or("").to_string();
    let all_ns = ctx.all_namespaces();
    let mut targets: Vec<(Target, Option<String>)> = Vec::new();
    if !filenames.is_empty() {
        for doc in manifest::read(&filenames, p.bool("recursive"), env)? {
            match doc.result {
                Ok(d) => {
                    let info = d.object.kind_info();
                    let ns = d.object.namespace().map(str::to_string);
                    targets.push((Target::Named(info, d.object.name().to_string()), ns));
                }
                Err(e) => {
                    return Err(KubectlError::Raw(manifest::decode_error_text(
                        &e,
                        "retrieving",
                    )));
                }
            }
        }
    } else {
        if p.args.is_empty() {
            out.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
            return Err(ctx.usage("Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods)."));
        }
        for t in resources::resolve_args(&p.args)? {
            targets.push((t, None));
        }
    }
    let named = targets.iter().any(|(t, _)| matches!(t, Target::Named(..)));
    if named && !selector.is_empty() {
        return Err(KubectlError::msg(
            "name cannot be provided when a selector is specified",
        ));
    }
    let watch = p.bool("watch") || p.bool("watch-only");
    let single = targets.len() == 1 && named;

    let mut groups: Vec<(&'static KindInfo, Vec<Arc<Object>>)> = Vec::new();
    let mut errors: Vec<KubectlError> = Vec::new();
    let mut list_rv = None;
    for (target, file_ns) in &targets {
        let info = target.info();
        let ns = if info.namespaced {
            if all_ns && !matches!(target, Target::Named(..)) {
                None
            } else {
                Some(file_ns.clone().unwrap_or_else(|| ctx.namespace.clone()))
            }
        } else {
            None
        };
        let found: Vec<Arc<Object>> = match target {
            Target::All(_) => {
                let opts = ListOptions {
                    label_selector: selector.clone(),
                    field_selector: field_selector.clone(),
                    ..Default::default()
                };
                match env.store.list(info, ns.as_deref(), &opts) {
                    Ok(l) => {
                        list_rv = Some(l.resource_version.clone());
                        l.items
                    }
                    Err(e) => {
                        errors.push(e.into());
                        continue;
                    }
                }
            }
            Target::Named(_, name) => match env.store.get(info, ns.as_deref(), name) {
                Ok(o) => vec![o],
                Err(e) => {
                    if !(p.bool("ignore-not-found") && e.reason() == "NotFound") {
                        errors.push(e.into());
                    }
                    continue;
                }
            },
        };
        match groups.iter_mut().find(|(i, _)| std::ptr::eq(*i, info)) {
            Some((_, objs)) => objs.extend(found),
            None => groups.push((info, found)),
        }
    }
    if let Some(t) = &sort_by {
        for (_, objs) in &mut groups {
            printing::sort_objects(objs, t);
        }
    }
    let total: usize = groups.iter().map(|(_, o)| o.len()).sum();
    let kinds_with_objects = groups.iter().filter(|(_, o)| !o.is_empty()).count();
    let opts = TableOpts {
        wide: format == OutputFormat::Wide,
        all_namespaces: all_ns,
        show_labels: p.bool("show-labels"),
        label_columns: p.all("label-columns"),
        no_headers: p.bool("no-headers"),
        // get.go: `MultipleTypesRequested(args)` or several kinds among the results.
        with_kind: kinds_with_objects > 1
            || p.bool("show-kind")
            || multiple_types_requested(&targets, &p.args),
    };

    if watch {
        let kinds: Vec<&'static KindInfo> = groups.iter().map(|(i, _)| *i).collect();
        if kinds.len() != 1 {
            return Err(KubectlError::msg(format!(
                "watch is only supported on individual resources and resource collections, but {} resources were found",
                kinds.len()
            )));
        }
        let info = kinds[0];
        let objs = groups.pop().map(|(_, o)| o).unwrap_or_default();
        let ns = if info.namespaced && !all_ns {
            Some(ctx.namespace.clone())
        } else {
            None
        };
        let name = targets.iter().find_map(|(t, _)| match t {
            Target::Named(_, n) => Some(n.clone()),
            _ => None,
        });
        let mut stream = WatchStream::new(info, ns, name, selector, field_selector, opts, format);
        stream.start(env.store, &objs, list_rv, !p.bool("watch-only"), out)?;
        for e in &errors {
            out.err(e.to_string());
        }
        out.watch = Some(stream);
        return Ok(());
    }

    if total == 0 && errors.is_empty() {
        if format.is_table() || matches!(format, OutputFormat::CustomColumns(_)) {
            let all_namespaced = targets.iter().all(|(t, _)| t.info().namespaced);
            if all_namespaced && !all_ns {
                out.err(format!(
                    "No resources found in {} namespace.",
                    ctx.namespace
                ));
            } else {
                out.err("No resources found");
            }
        } else if !single {
            let empty: Vec<Arc<Object>> = Vec::new();
            printing::print_structured(&empty, false, &format, out);
        }
    } else if format.is_table() {
        printing::print_tables(&groups, &opts, env.store.now(), out);
    } else {
        let objs: Vec<Arc<Object>> = groups.into_iter().flat_map(|(_, o)| o).collect();
        if let OutputFormat::CustomColumns(c) = &format {
            let values: Vec<serde_json::Value> =
                objs.iter().map(|o| printing::object_value(o)).collect();
            for l in c.render(&values, opts.no_headers) {
                out.out(l);
            }
        } else if !objs.is_empty() {
            printing::print_structured(&objs, single, &format, out);
        }
    }
    if !errors.is_empty() {
        for e in &errors {
            out.err(e.to_string());
        }
        out.exit_code = 1;
    }
    Ok(())
}

/// Mirrors cli-runtime resource.MultipleTypesRequested: `all`, or more than one kind named.
fn multiple_types_requested(targets: &[(Target, Option<String>)], args: &[String]) -> bool {
    if args.len() == 1 && args[0] == "all" {
        return true;
    }
    let mut kinds: Vec<&KindInfo> = Vec::new();
    for (t, _) in targets {
        if !kinds.iter().any(|k| std::ptr::eq(*k, t.info())) {
            kinds.push(t.info());
        }
    }
    kinds.len() > 1
}

/// Parses `-o`, reading template files from the lab.
///
/// # Errors
/// kubectl's printer errors.
/// The `-o` value with `--template` folded in: `-o go-template --template '{{…}}'` is
/// `-o go-template='{{…}}'`, and `--template` alone implies go-template
/// (cli-runtime pkg/genericclioptions/print_flags.go `ToPrinter`).
pub fn output_with_template(p: &crate::parse::Parsed) -> String {
    let output = p.string("output").unwrap_or("");
    match p.string("template").filter(|t| !t.is_empty()) {
        Some(t) if output.is_empty() => format!("go-template={t}"),
        Some(t) if !output.contains('=') && output != "wide" && output != "yaml" && output != "json" && output != "name" => {
            format!("{output}={t}")
        }
        _ => output.to_string(),
    }
}

pub fn output_format(value: &str, env: &Env<'_>) -> Result<OutputFormat, KubectlError> {
    let files = env.files;
    OutputFormat::parse(value, &|p| {
        files.read(p).map_err(|e| match e {
            crate::FileError::NotFound(_) => format!("open {p}: no such file or directory"),
            crate::FileError::IsDirectory(_) => format!("read {p}: is a directory"),
        })
    })
        .map_err(|e| KubectlError::msg(e.to_string()))
}
