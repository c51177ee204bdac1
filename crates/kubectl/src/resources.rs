//! Turning `TYPE`, `TYPE NAME…`, `TYPE/NAME…` and `TYPE1,TYPE2` arguments into requests, as
//! cli-runtime's resource builder (pkg/resource/builder.go, v1.34) does, with its errors.

use api::KindInfo;

use crate::errors::KubectlError;

/// One thing to fetch: every object of a kind, or one object by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    All(&'static KindInfo),
    Named(&'static KindInfo, String),
}

impl Target {
    pub fn info(&self) -> &'static KindInfo {
        match self {
            Target::All(i) | Target::Named(i, _) => i,
        }
    }
}

/// The kinds of the `all` category, in discovery order (core, apps, autoscaling, batch).
pub fn all_category() -> Vec<&'static KindInfo> {
    const ORDER: &[&str] = &["", "apps", "autoscaling", "batch"];
    let mut kinds: Vec<&'static KindInfo> = api::kinds::KINDS
        .iter()
        .filter(|k| k.preferred && k.categories.contains(&"all"))
        .collect();
    machinery::sort::sort_by_key(&mut kinds, |k| {
        (
            ORDER.iter().position(|g| *g == k.group).unwrap_or(99),
            k.plural,
        )
    });
    kinds
}

/// Resolves one type word (`po`, `deployments.apps`).
///
/// # Errors
/// `the server doesn't have a resource type "x"`.
pub fn resolve_type(word: &str) -> Result<&'static KindInfo, KubectlError> {
    api::resolve_resource(word).ok_or_else(|| {
        KubectlError::msg(format!(
            "the server doesn't have a resource type \"{word}\""
        ))
    })
}

/// Resolves a comma-separated type list, expanding `all`.
///
/// # Errors
/// As `resolve_type`.
pub fn resolve_types(list: &str) -> Result<Vec<&'static KindInfo>, KubectlError> {
    let mut out: Vec<&'static KindInfo> = Vec::new();
    for word in list.split(',').filter(|w| !w.is_empty()) {
        if word == "all" {
            for k in all_category() {
                if !out.iter().any(|o| std::ptr::eq(*o, k)) {
                    out.push(k);
                }
            }
        } else {
            let k = resolve_type(word)?;
            if !out.iter().any(|o| std::ptr::eq(*o, k)) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

/// Resolves the positional arguments of get/describe/delete/label….
///
/// # Errors
/// Unknown types and mixed `TYPE NAME` / `TYPE/NAME` forms, in kubectl's words.
pub fn resolve_args(args: &[String]) -> Result<Vec<Target>, KubectlError> {
    let Some(first) = args.first() else {
        return Ok(Vec::new());
    };
    if first.contains('/') {
        let mut out = Vec::new();
        for a in args {
            let Some((t, name)) = a.split_once('/') else {
                return Err(KubectlError::msg(
                    "arguments in resource/name form must have a single resource and name",
                ));
            };
            if name.is_empty() || t.is_empty() {
                return Err(KubectlError::msg(
                    "arguments in resource/name form must have a single resource and name",
                ));
            }
            out.push(Target::Named(resolve_type(t)?, name.to_string()));
        }
        return Ok(out);
    }
    if args[1..].iter().any(|a| a.contains('/')) {
        return Err(KubectlError::msg(
            "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        ));
    }
    let kinds = resolve_types(first)?;
    if args.len() == 1 {
        return Ok(kinds.into_iter().map(Target::All).collect());
    }
    let mut out = Vec::new();
    for k in kinds {
        for name in &args[1..] {
            out.push(Target::Named(k, name.clone()));
        }
    }
    Ok(out)
}
