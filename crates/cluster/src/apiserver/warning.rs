//! Warnings the API server sends with an answer: the HTTP `Warning: 299 - "text"` headers of
//! a real server, kept here as plain texts.
//!
//! A client that wants them hands the store a [`Warnings`] channel for the requests it makes
//! (kubectl does, for one invocation); with no channel nothing is recorded, so the
//! cluster's own components pay nothing. Two sources, as in v1.34:
//! - deprecated APIs, on every request for the resource (apiserver
//!   pkg/endpoints/deprecation/deprecation.go WarningMessage, added by the handlers of
//!   endpoints/installer.go);
//! - a kind's `WarningsOnCreate` / `WarningsOnUpdate` (pkg/registry/*/strategy.go), sent once
//!   validation has passed, so a request that then fails (AlreadyExists) still carries them.

use std::sync::{Arc, Mutex};

use api::warnings::{persistentvolume, persistentvolumeclaim, pod};
use api::{KindInfo, Object};

/// The warnings of the requests made while a client listens, in the order they were raised,
/// each text once (the server's recorder drops repeats, as kubectl's printer does).
#[derive(Debug, Clone, Default)]
pub struct Warnings(Arc<Mutex<Vec<String>>>);

impl Warnings {
    /// Takes the warnings raised since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn add(&self, text: String) {
        let mut texts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
}

/// A `Warning` header value: code 299, no agent, the text quoted as Go's `strconv.Quote`
/// quotes ASCII (apiserver pkg/endpoints/filters/warning.go).
pub fn header_value(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    format!("299 - \"{quoted}\"")
}

/// The deprecation warning of a served API, if it is deprecated in v1.34: the version it
/// was deprecated in and its replacement come from the types' prerelease-lifecycle tags
/// (staging/src/k8s.io/api/core/v1/zz_generated.prerelease-lifecycle.go).
pub fn deprecated_api(info: &KindInfo) -> Option<String> {
    let (since, replacement) = match (info.group, info.version, info.kind) {
        ("", "v1", "Endpoints") => ("1.33", Some("discovery.k8s.io/v1 EndpointSlice")),
        _ => return None,
    };
    let mut text = format!(
        "{} {} is deprecated in v{since}+",
        info.api_version(),
        info.kind
    );
    if let Some(r) = replacement {
        text.push_str("; use ");
        text.push_str(r);
    }
    Some(text)
}

/// The name warning of kinds whose objects name pods (pkg/registry/*/strategy.go
/// WarningsOnCreate): a name that is a DNS subdomain but not a label.
fn name_warning(obj: &Object, used_in: &str) -> Option<String> {
    let msgs = machinery::validation::is_dns1123_label(obj.name());
    (!msgs.is_empty()).then(|| {
        format!(
            "metadata.name: this is used in {used_in}, which can result in surprising behavior; a DNS label is recommended: [{}]",
            msgs.join(" ")
        )
    })
}

/// The kind's `WarningsOnCreate` for a validated object.
pub fn on_create(obj: &Object) -> Vec<String> {
    const POD_NAMES: &str = "Pod names and hostnames";
    let mut warnings = Vec::new();
    match obj {
        Object::Pod(p) => {
            warnings.extend(name_warning(obj, "the Pod's hostname"));
            warnings.extend(pod::get_warnings_for_pod(p));
        }
        Object::PodTemplate(t) => {
            if let Some(t) = &t.template {
                warnings.extend(pod::get_warnings_for_pod_template("template", t));
            }
        }
        Object::ReplicationController(rc) => {
            warnings.extend(name_warning(obj, POD_NAMES));
            if let Some(t) = rc.spec.as_ref().and_then(|s| s.template.as_ref()) {
                warnings.extend(pod::get_warnings_for_pod_template("spec.template", t));
            }
        }
        Object::Deployment(d) => {
            warnings.extend(name_warning(obj, POD_NAMES));
            if let Some(s) = &d.spec {
                warnings.extend(pod::get_warnings_for_pod_template(
                    "spec.template",
                    &s.template,
                ));
            }
        }
        Object::ReplicaSet(rs) => {
            warnings.extend(name_warning(obj, POD_NAMES));
            if let Some(t) = rs.spec.as_ref().and_then(|s| s.template.as_ref()) {
                warnings.extend(pod::get_warnings_for_pod_template("spec.template", t));
            }
        }
        Object::DaemonSet(_) => warnings.extend(template_warnings(obj)),
        Object::StatefulSet(_) => {
            warnings.extend(template_warnings(obj));
            warnings.extend(claim_template_warnings(obj, ""));
        }
        Object::Job(_) => {
            warnings.extend(name_warning(obj, POD_NAMES));
            warnings.extend(template_warnings(obj));
        }
        Object::CronJob(_) => {
            warnings.extend(name_warning(obj, POD_NAMES));
            warnings.extend(template_warnings(obj));
        }
        Object::PersistentVolume(pv) => {
            warnings.extend(persistentvolume::get_warnings_for_persistent_volume(pv));
        }
        Object::PersistentVolumeClaim(pvc) => {
            warnings.extend(persistentvolumeclaim::get_warnings_for_persistent_volume_claim(pvc));
        }
        _ => {}
    }
    warnings
}

/// The kind's `WarningsOnUpdate`: workloads warn about their pod template when the update
/// changed the spec (a new generation); pods never warn on update (upstream skips the cost
/// on that busy path); PersistentVolumes, claims and StatefulSets' claim templates always do.
pub fn on_update(obj: &Object, old: &Object) -> Vec<String> {
    match obj {
        Object::PersistentVolume(pv) => persistentvolume::get_warnings_for_persistent_volume(pv),
        Object::PersistentVolumeClaim(pvc) => {
            persistentvolumeclaim::get_warnings_for_persistent_volume_claim(pvc)
        }
        Object::StatefulSet(_) => {
            let mut warnings = if obj.meta().generation != old.meta().generation {
                template_warnings(obj)
            } else {
                Vec::new()
            };
            // Upstream's update path names the claim's spec `Spec`, its create path not at
            // all (pkg/registry/apps/statefulset/strategy.go, v1.34).
            warnings.extend(claim_template_warnings(obj, ".Spec"));
            warnings
        }
        Object::PodTemplate(t) => t
            .template
            .as_ref()
            .map(|t| pod::get_warnings_for_pod_template("template", t))
            .unwrap_or_default(),
        _ if obj.meta().generation != old.meta().generation => template_warnings(obj),
        _ => Vec::new(),
    }
}

/// The claim-template warnings of a StatefulSet, under `spec.volumeClaimTemplates[i]` and
/// `spec_child` (upstream's paths: `` on create, `.Spec` on update).
fn claim_template_warnings(obj: &Object, spec_child: &str) -> Vec<String> {
    let Object::StatefulSet(sts) = obj else {
        return Vec::new();
    };
    let templates = sts
        .spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_ref());
    let mut warnings = Vec::new();
    for (i, claim) in templates.into_iter().flatten().enumerate() {
        if let Some(spec) = &claim.spec {
            warnings.extend(
                persistentvolumeclaim::get_warnings_for_persistent_volume_claim_spec(
                    &format!("spec.volumeClaimTemplates[{i}]{spec_child}"),
                    spec,
                ),
            );
        }
    }
    warnings
}

/// Pod template warnings of a workload, under the template's field path.
fn template_warnings(obj: &Object) -> Vec<String> {
    let (path, template) = match obj {
        Object::ReplicationController(rc) => (
            "spec.template",
            rc.spec.as_ref().and_then(|s| s.template.as_ref()),
        ),
        Object::Deployment(d) => ("spec.template", d.spec.as_ref().map(|s| &s.template)),
        Object::ReplicaSet(rs) => (
            "spec.template",
            rs.spec.as_ref().and_then(|s| s.template.as_ref()),
        ),
        Object::DaemonSet(ds) => ("spec.template", ds.spec.as_ref().map(|s| &s.template)),
        Object::StatefulSet(ss) => ("spec.template", ss.spec.as_ref().map(|s| &s.template)),
        Object::Job(j) => ("spec.template", j.spec.as_ref().map(|s| &s.template)),
        Object::CronJob(cj) => (
            "spec.jobTemplate.spec.template",
            cj.spec
                .as_ref()
                .and_then(|s| s.job_template.spec.as_ref())
                .map(|s| &s.template),
        ),
        _ => return Vec::new(),
    };
    let job_spec = match obj {
        Object::Job(j) => j.spec.as_ref().map(|s| ("spec", s)),
        Object::CronJob(cj) => cj
            .spec
            .as_ref()
            .and_then(|s| s.job_template.spec.as_ref())
            .map(|s| ("spec.jobTemplate.spec", s)),
        _ => None,
    };
    let mut warnings: Vec<String> = job_spec
        .and_then(|(path, spec)| indexed_job_warning(path, spec))
        .into_iter()
        .collect();
    warnings.extend(
        template
            .map(|t| pod::get_warnings_for_pod_template(path, t))
            .unwrap_or_default(),
    );
    warnings
}

/// An Indexed Job too large for completedIndexes to be tracked when many indexes fail
/// (pkg/api/job/warnings.go WarningsForJobSpec, v1.34).
fn indexed_job_warning(path: &str, spec: &k8s_openapi::api::batch::v1::JobSpec) -> Option<String> {
    const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
    const PARALLELISM_SOFT_LIMIT: i32 = 10_000;
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    (indexed
        && spec.completions.unwrap_or(0) > COMPLETIONS_SOFT_LIMIT
        && spec.parallelism.unwrap_or(0) > PARALLELISM_SOFT_LIMIT)
        .then(|| format!("{path}: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_apis() {
        let ep = api::kinds::KINDS
            .iter()
            .find(|k| k.kind == "Endpoints")
            .expect("endpoints");
        assert_eq!(
            deprecated_api(ep).as_deref(),
            Some("v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
        );
        let served_deprecated: Vec<&str> = api::kinds::KINDS
            .iter()
            .filter(|k| deprecated_api(k).is_some())
            .map(|k| k.kind)
            .collect();
        assert_eq!(served_deprecated, ["Endpoints"]);
    }

    #[test]
    fn header_values_quote_as_go() {
        assert_eq!(
            header_value(
                r#"spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead"#
            ),
            r#"299 - "spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \"kubernetes.io/os\" instead""#
        );
    }

    #[test]
    fn channel_keeps_order_and_drops_repeats() {
        let w = Warnings::default();
        w.add("b".into());
        w.add("a".into());
        w.add("b".into());
        assert_eq!(w.take(), ["b", "a"]);
        assert!(w.take().is_empty());
    }

    #[test]
    fn workload_names_and_templates() {
        let d: Object = Object::from_value(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web.v1"},
            "spec": {"selector": {}, "template": {"spec": {"containers": [{"name": "c"}], "nodeSelector": {"beta.kubernetes.io/os": "linux"}}}},
        }))
        .expect("a deployment");
        assert_eq!(
            on_create(&d),
            [
                "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
                r#"spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead"#,
            ]
        );
        // An update that leaves the generation alone (labels only) does not warn again.
        assert!(on_update(&d, &d).is_empty());
        let cj: Object = Object::from_value(serde_json::json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": "nightly"},
            "spec": {"schedule": "@daily", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "c"}], "volumes": [{"name": "g", "gitRepo": {"repository": "r"}}],
            }}}}},
        }))
        .expect("a cronjob");
        assert_eq!(
            on_create(&cj),
            ["spec.jobTemplate.spec.template.spec.volumes[0].gitRepo: deprecated in v1.11"]
        );
    }

    // After pkg/api/job/warnings_test.go (v1.34): only a large Indexed Job warns.
    #[test]
    fn large_indexed_jobs_warn() {
        let job = |mode: &str, completions: i32, parallelism: i32| {
            let v = serde_json::json!({"apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": "big"},
                "spec": {"completionMode": mode, "completions": completions, "parallelism": parallelism,
                    "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}});
            Object::from_value(v).expect("job")
        };
        let msg = "spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail";
        assert_eq!(on_create(&job("Indexed", 100_001, 10_001)), [msg]);
        assert!(on_create(&job("Indexed", 100_000, 10_001)).is_empty());
        assert!(on_create(&job("Indexed", 100_001, 10_000)).is_empty());
        assert!(on_create(&job("NonIndexed", 100_001, 10_001)).is_empty());
    }
}
