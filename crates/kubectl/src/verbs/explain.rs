//! `kubectl explain TYPE[.field.path] [--recursive] [--api-version=GROUP/VERSION]`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go and the OpenAPI v3
//! plaintext template of pkg/explain/v2 (templates/plaintext.tmpl, v1.34): the
//! GROUP/KIND/VERSION header, `FIELD: name <type>` for a field path, the DESCRIPTION
//! wrapped at 76 columns (go-wordwrap) and indented by four, and FIELDS with `name\t<type>`
//! lines. The schemas and descriptions come from `api::schema`.
//!
//! In the real OpenAPI document a field that refers to a type is `allOf: [$ref]` beside its
//! own description, and explain prints both descriptions; `api::schema` keeps the `$ref`
//! and the description side by side, which is read the same way here.

use serde_json::Value;

use super::Ctx;
use crate::errors::KubectlError;
use crate::{Outcome, resources};

/// Runs `kubectl explain`.
///
/// # Errors
/// kubectl's messages for a missing or unknown type, an unknown field or API version.
pub fn run(ctx: &Ctx, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    match p.args.len() {
        0 => {
            return Err(KubectlError::msg(
                "You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.",
            ));
        }
        1 => {}
        _ => {
            return Err(KubectlError::msg(
                "We accept only this format: explain RESOURCE",
            ));
        }
    }
    match p.string("output").unwrap_or("plaintext") {
        "" | "plaintext" => {}
        "plaintext-openapiv2" => {
            return Err(KubectlError::msg(
                "the OpenAPI v2 format is not available in this lab; use the default output",
            ));
        }
        other => return Err(KubectlError::msg(format!("unrecognized format: {other}"))),
    }
    let arg = p.args[0].as_str();
    let (word, rest) = arg.split_once('.').unwrap_or((arg, ""));
    let mut info = resources::resolve_type(word)?;
    // SplitAndParseResourceRequestWithMatchingPrefix: `deployments.apps.spec` names the group.
    let grouped = format!("{}.{}", info.plural, info.group);
    let fields_text = if !info.group.is_empty() && arg.starts_with(&grouped) {
        arg[grouped.len()..].trim_start_matches('.')
    } else {
        rest
    };
    let path: Vec<&str> = fields_text.split('.').filter(|s| !s.is_empty()).collect();
    if let Some(av) = p.string("api-version").filter(|s| !s.is_empty()) {
        let (group, version) = match av.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", av),
        };
        let gvr = format!("{group}/{version}, Resource={}", info.plural);
        let same_gv = |k: &&api::KindInfo| k.group == group && k.version == version;
        match api::kinds::KINDS
            .iter()
            .filter(same_gv)
            .find(|k| k.plural == info.plural)
        {
            Some(k) => info = k,
            None if api::kinds::KINDS.iter().any(|k| same_gv(&k)) => {
                return Err(KubectlError::msg(format!(
                    "GVR ({gvr}) not found in OpenAPI schema"
                )));
            }
            None => {
                return Err(KubectlError::msg(format!(
                    "couldn't find resource for \"{gvr}\""
                )));
            }
        }
    }
    let Some(root) = api::schema::for_kind(info) else {
        return Err(KubectlError::msg(format!(
            "GVK {}, Kind={} not found in OpenAPI schema",
            info.api_version(),
            info.kind
        )));
    };
    let mut text = String::new();
    if !info.group.is_empty() {
        text.push_str(&format!("GROUP:      {}\n", info.group));
    }
    text.push_str(&format!(
        "KIND:       {}\nVERSION:    {}\n\n",
        info.kind, info.version
    ));
    match output(&root, &root, &path, p.bool("recursive")) {
        Some(body) => text.push_str(&body),
        None => {
            return Err(KubectlError::msg(format!(
                "field \"{}\" does not exist",
                path.last().copied().unwrap_or("")
            )));
        }
    }
    text.push('\n');
    out.out_block(&text);
    Ok(())
}

/// The template's `output`: follows `path`, then prints the description and fields.
fn output(root: &Value, schema: &Value, path: &[&str], recursive: bool) -> Option<String> {
    let resolved = api::schema::resolve(root, schema);
    let Some((first, rest)) = path.split_first() else {
        let mut s = String::from("DESCRIPTION:\n");
        let desc = description(root, schema);
        let desc = if desc.is_empty() {
            "<empty>".to_string()
        } else {
            desc
        };
        s.push_str(&indent(4, &wrap(&desc, 76)));
        s.push('\n');
        let fields = field_list(root, schema, 1, recursive, &mut Vec::new());
        if !fields.is_empty() {
            s.push_str("FIELDS:\n");
            s.push_str(&fields);
        }
        return Some(s);
    };
    if let Some(sub) = resolved.get("properties").and_then(|p| p.get(*first)) {
        let mut s = String::new();
        if rest.is_empty() {
            s.push_str(&format!(
                "FIELD: {first} <{}>\n{}\n\n",
                api::schema::type_name(root, sub),
                enum_text(sub, true, 0)
            ));
        }
        s.push_str(&output(root, sub, rest, recursive)?);
        return Some(s);
    }
    if let Some(items) = resolved.get("items") {
        return output(root, items, path, recursive);
    }
    if let Some(values) = resolved
        .get("additionalProperties")
        .filter(|v| v.is_object())
    {
        return output(root, values, path, recursive);
    }
    None
}

/// The template's `description`: the schema's own description, then that of the type it
/// refers to, its list items or its map values, each ending in a newline.
fn description(root: &Value, schema: &Value) -> String {
    let mut s = String::new();
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        s.push_str(d);
        s.push('\n');
    }
    if schema.get("$ref").is_some() {
        let target = api::schema::resolve(root, schema);
        if !std::ptr::eq(target, schema) {
            s.push_str(&description(root, target));
        }
        return s;
    }
    if let Some(items) = schema.get("items") {
        s.push_str(&description(root, items));
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        s.push_str(&description(root, values));
    }
    s
}

/// The template's `fieldList`: one `fieldDetail` per property, recursing into each with
/// `--recursive`; `seen` holds the refs on the current path, to stop at cycles.
fn field_list(
    root: &Value,
    schema: &Value,
    level: usize,
    recursive: bool,
    seen: &mut Vec<String>,
) -> String {
    let r = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
    if !r.is_empty() && seen.iter().any(|s| s == r) {
        return String::new();
    }
    seen.push(r.to_string());
    let resolved = api::schema::resolve(root, schema);
    let mut s = String::new();
    if let Some(props) = resolved.get("properties").and_then(Value::as_object) {
        let mut names: Vec<&String> = props.keys().collect();
        machinery::sort::sort(&mut names);
        for name in names {
            let field = &props[name];
            s.push_str(&field_detail(root, resolved, name, field, level, recursive));
            if recursive {
                s.push_str(&field_list(root, field, level + 1, recursive, seen));
            }
        }
    }
    if let Some(items) = resolved.get("items") {
        s.push_str(&field_list(root, items, level, recursive, seen));
    }
    if let Some(values) = resolved
        .get("additionalProperties")
        .filter(|v| v.is_object())
    {
        s.push_str(&field_list(root, values, level, recursive, seen));
    }
    seen.pop();
    s
}

/// The template's `fieldDetail`: `name\t<type> -required-`, then (unless `short`) the
/// description wrapped to `78 - indent` and a blank line.
fn field_detail(
    root: &Value,
    parent: &Value,
    name: &str,
    field: &Value,
    level: usize,
    short: bool,
) -> String {
    let ind = level * 2;
    let mut s = format!(
        "{}{name}\t<{}>",
        " ".repeat(ind),
        api::schema::type_name(root, field)
    );
    if api::schema::is_required(root, parent, name) {
        s.push_str(" -required-");
    }
    s.push_str(&enum_text(field, false, ind));
    s.push('\n');
    if !short {
        let d = field
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("<no description>");
        s.push_str(&indent(ind + 2, &wrap(d, 78 - ind)));
        s.push_str("\n\n");
    }
    s
}

/// The template's `extractEnum`: `\n<indent>enum: a, b, c, d, ....` in the field list (four
/// at most), `ENUM:` with one value a line for a single field.
fn enum_text(schema: &Value, long: bool, indent_amount: usize) -> String {
    let Some(values) = schema
        .get("enum")
        .and_then(Value::as_array)
        .filter(|v| !v.is_empty())
    else {
        return String::new();
    };
    let show = |v: &Value| match v {
        Value::String(s) if s.is_empty() => "\"\"".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if long {
        let mut s = String::from("ENUM:");
        for v in values {
            s.push_str("\n    ");
            s.push_str(&show(v));
        }
        s
    } else {
        let mut s = format!("\n{}enum: ", " ".repeat(indent_amount));
        for (i, v) in values.iter().enumerate() {
            if i >= 4 {
                s.push_str(", ....");
                break;
            }
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&show(v));
        }
        s
    }
}

/// sprig-style `indent`: the pad before the text and after every newline.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// github.com/mitchellh/go-wordwrap `WrapString`: breaks at spaces so lines stay within
/// `lim` characters; words longer than `lim` stay whole; existing newlines are kept.
fn wrap(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len());
    let mut current = 0usize;
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut space = String::new();
    let mut space_len = 0usize;
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
            } else {
                buf.push_str(&space);
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.clear();
            space_len = 0;
            buf.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                buf.push_str(&word);
                space.clear();
                space_len = 0;
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_like_go_wordwrap() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("aaa\nbbb ccc", 7), "aaa\nbbb ccc");
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
        assert_eq!(indent(2, "a\nb\n"), "  a\n  b\n  ");
    }
}
