//! Live names in lesson commands. Pods get random suffixes (`kubia-rc-54vwv`), so a step that
//! says "delete one of the pods" writes `kubectl delete pod {{pod app=kubia}}`; when the
//! learner clicks it (or a test runs it) the placeholder becomes the name of the first
//! matching object, by name, that is not being deleted.

use cluster::Cluster;
use cluster::apiserver::ListOptions;

const OPEN: &str = "{{";
const CLOSE: &str = "}}";

/// Splits a placeholder body `pod app=kubia` into the resource and the label selector.
fn parts(body: &str) -> Result<(&'static api::KindInfo, &str), String> {
    let body = body.trim();
    let (resource, selector) = body.split_once(' ').unwrap_or((body, ""));
    let kind = api::resolve_resource(resource)
        .ok_or_else(|| format!("placeholder {{{{{body}}}}}: unknown resource `{resource}`"))?;
    let selector = selector.trim();
    if !selector.is_empty() {
        machinery::labels::parse(selector)
            .map_err(|e| format!("placeholder {{{{{body}}}}}: {e}"))?;
    }
    Ok((kind, selector))
}

/// Checks every placeholder of a command line.
///
/// # Errors
/// An unclosed `{{`, an unknown resource or a bad selector.
pub fn validate(line: &str) -> Result<(), String> {
    let mut rest = line;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after
            .find(CLOSE)
            .ok_or_else(|| format!("`{line}`: `{{{{` is never closed"))?;
        parts(&after[..end])?;
        rest = &after[end + CLOSE.len()..];
    }
    Ok(())
}

/// Replaces each placeholder with a live name from the default namespace. A placeholder
/// nothing matches stays as written, so kubectl's own error explains it.
pub fn fill(line: &str, cluster: &Cluster) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        let body = &after[..end];
        match parts(body)
            .ok()
            .and_then(|(kind, selector)| first_name(cluster, kind, selector))
        {
            Some(name) => out.push_str(&name),
            None => out.push_str(&rest[start..start + OPEN.len() + end + CLOSE.len()]),
        }
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

fn first_name(cluster: &Cluster, kind: &api::KindInfo, selector: &str) -> Option<String> {
    let ns = kind.namespaced.then_some("default");
    let opts = ListOptions {
        label_selector: selector.to_string(),
        ..ListOptions::default()
    };
    let list = cluster.store().list(kind, ns, &opts).ok()?;
    let mut names: Vec<String> = list
        .items
        .iter()
        .filter(|o| o.meta().deletion_timestamp.is_none())
        .map(|o| o.name().to_string())
        .collect();
    machinery::sort::sort(&mut names);
    names.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_placeholders() {
        assert!(validate("kubectl delete pod {{pod app=kubia}}").is_ok());
        assert!(validate("kubectl get pods").is_ok());
        assert!(
            validate("kubectl delete pod {{pod app=kubia")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(
            validate("kubectl delete pod {{pdo app=kubia}}")
                .unwrap_err()
                .contains("unknown resource `pdo`")
        );
    }

    #[test]
    fn fills_the_first_live_name() {
        let mut session = crate::Session::with_seed(3);
        session.run_command("kubectl run kubia-b --image=luksa/kubia --labels=app=kubia");
        session.run_command("kubectl run kubia-a --image=luksa/kubia --labels=app=kubia");
        let line = session
            .with_cluster(|c| fill("kubectl delete pod {{pod app=kubia}} {{pod app=none}}", c));
        assert_eq!(line, "kubectl delete pod kubia-a {{pod app=none}}");
    }
}
