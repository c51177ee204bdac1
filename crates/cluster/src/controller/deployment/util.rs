//! Deployment helpers: annotations, the pod-template hash, ReplicaSet lookup, conditions and
//! the status predicates.
//!
//! Mirrors pkg/controller/deployment/util/deployment_util.go (v1.34) and
//! pkg/controller/controller_utils.go `ComputeHash`. The replica arithmetic itself lives in
//! `machinery::deployment_util`; this file converts API objects into its plain structs.

use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString as K8sIntOrString;
use machinery::deployment_util::{DeploymentInfo, RsInfo, Strategy};
use machinery::intstr::IntOrString;

use crate::time::SimTime;

/// `deployment.kubernetes.io/revision`.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// `deployment.kubernetes.io/revision-history`.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// `deployment.kubernetes.io/desired-replicas`.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `deployment.kubernetes.io/max-replicas`.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// `deprecated.deployment.rollback.to` (the extensions/v1beta1 rollback request).
pub const ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// The label that tells the ReplicaSets of one Deployment apart.
pub const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY: &str = "pod-template-hash";
/// `kubectl.kubernetes.io/last-applied-configuration`, never copied to ReplicaSets.
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

// Condition reasons (deployment_util.go).
pub const NEW_RS_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const RS_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const PAUSED_DEPLOY_REASON: &str = "DeploymentPaused";
pub const RESUMED_DEPLOY_REASON: &str = "DeploymentResumed";
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

/// The characters `SafeEncodeString` draws from (apimachinery util/rand, no vowels).
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Mirrors controller_utils.go ComputeHash: FNV-32a over the template, then the collision
/// count (4 little-endian bytes in an 8-byte buffer), rendered as the decimal sum through
/// [`safe_encode_string`].
///
/// Deliberate gap: upstream hashes Go's deep-print of the struct, which cannot be reproduced
/// here; kubelab hashes the template's canonical JSON instead. The result has upstream's
/// alphabet and length (1–10 characters from `4 5 6 7 8 9 b c d f`) and changes exactly when
/// the template changes, which is what the rollout logic relies on.
pub fn compute_hash(template: &corev1::PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut h = Fnv32a::new();
    // Serialising a k8s-openapi value cannot fail (maps are ordered and keys are strings).
    h.write(&api::wire::to_json(template).unwrap_or_default());
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&(c as u32).to_le_bytes());
        h.write(&buf);
    }
    safe_encode_string(&h.sum().to_string())
}

/// Mirrors apimachinery util/rand SafeEncodeString: each byte picks `ALPHANUMS[b % 27]`.
pub fn safe_encode_string(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[usize::from(b) % ALPHANUMS.len()] as char)
        .collect()
}

/// Mirrors Revision: the revision annotation as a number (0 when missing or malformed).
pub fn revision(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> i64 {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(REVISION_ANNOTATION))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Mirrors MaxRevision.
pub fn max_revision(rss: &[appsv1::ReplicaSet]) -> i64 {
    rss.iter().map(|r| revision(&r.metadata)).max().unwrap_or(0)
}

/// Mirrors EqualIgnoreHash: the templates are equal once the pod-template-hash label is
/// removed from both.
///
/// Compared in place: copying both templates (their pod specs) for each ReplicaSet was most
/// of a Deployment sync's look for its new ReplicaSet.
pub fn equal_ignore_hash(a: &corev1::PodTemplateSpec, b: &corev1::PodTemplateSpec) -> bool {
    let (ma, mb) = (a.metadata.as_ref(), b.metadata.as_ref());
    // Without labels, metadata are small: the rest of them is compared as a whole.
    let rest = |m: Option<&metav1::ObjectMeta>| {
        m.map(|m| metav1::ObjectMeta {
            labels: None,
            ..m.clone()
        })
    };
    a.spec == b.spec && labels_but_hash(ma).eq(labels_but_hash(mb)) && rest(ma) == rest(mb)
}

/// A template's labels but the pod-template-hash one, in key order.
fn labels_but_hash(m: Option<&metav1::ObjectMeta>) -> impl Iterator<Item = (&String, &String)> {
    m.and_then(|m| m.labels.as_ref())
        .into_iter()
        .flatten()
        .filter(|(k, _)| *k != DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY)
}

/// The ReplicaSet's template (default when unset).
pub fn rs_template(rs: &appsv1::ReplicaSet) -> corev1::PodTemplateSpec {
    rs.spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .unwrap_or_default()
}

/// Mirrors FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's
/// (ignoring the hash label), as an index into `rss`.
pub fn find_new_replica_set(d: &appsv1::Deployment, rss: &[appsv1::ReplicaSet]) -> Option<usize> {
    let unset = corev1::PodTemplateSpec::default();
    let template = d.spec.as_ref().map_or(&unset, |s| &s.template);
    let mut order: Vec<usize> = (0..rss.len()).collect();
    order.sort_by_cached_key(|&i| creation_key(&rss[i]));
    order.into_iter().find(|&i| {
        let rs_template = rss[i].spec.as_ref().and_then(|s| s.template.as_ref());
        equal_ignore_hash(rs_template.unwrap_or(&unset), template)
    })
}

/// Sort key for ReplicaSetsByCreationTimestamp: creation time, then name.
pub fn creation_key(rs: &appsv1::ReplicaSet) -> (i64, String) {
    (
        rs.metadata
            .creation_timestamp
            .as_ref()
            .map_or(0, |t| t.0.as_millisecond()),
        rs.metadata.name.clone().unwrap_or_default(),
    )
}

/// `spec.replicas` of a ReplicaSet (default 1 as the apiserver sets).
pub fn rs_replicas(rs: &appsv1::ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// `spec.replicas` of a Deployment.
pub fn d_replicas(d: &appsv1::Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

/// The ReplicaSet as the machinery arithmetic sees it.
pub fn rs_info(rs: &appsv1::ReplicaSet) -> RsInfo {
    let ann = |k: &str| {
        rs.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(k))
            .and_then(|v| v.parse().ok())
    };
    let (created, _) = creation_key(rs);
    RsInfo {
        name: rs.metadata.name.clone().unwrap_or_default(),
        replicas: rs_replicas(rs),
        available: rs
            .status
            .as_ref()
            .and_then(|s| s.available_replicas)
            .unwrap_or(0),
        created,
        desired_replicas_annotation: ann(DESIRED_REPLICAS_ANNOTATION),
        max_replicas_annotation: ann(MAX_REPLICAS_ANNOTATION),
    }
}

/// The Deployment as the machinery arithmetic sees it.
pub fn deployment_info(d: &appsv1::Deployment) -> DeploymentInfo {
    let strategy = d
        .spec
        .as_ref()
        .and_then(|s| s.strategy.clone())
        .unwrap_or_default();
    let conv = |v: Option<K8sIntOrString>| {
        v.map(|v| match v {
            K8sIntOrString::Int(i) => IntOrString::Int(i),
            K8sIntOrString::String(s) => IntOrString::String(s),
        })
    };
    let strategy = if strategy.type_.as_deref() == Some("Recreate") {
        Strategy::Recreate
    } else {
        let ru = strategy.rolling_update.unwrap_or_default();
        Strategy::RollingUpdate {
            max_surge: conv(ru.max_surge),
            max_unavailable: conv(ru.max_unavailable),
        }
    };
    DeploymentInfo {
        replicas: d_replicas(d),
        strategy,
        status_replicas: d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0),
    }
}

/// Mirrors HasProgressDeadline: set and not MaxInt32.
pub fn has_progress_deadline(d: &appsv1::Deployment) -> bool {
    d.spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .is_some_and(|s| s != i32::MAX)
}

/// Mirrors NewDeploymentCondition.
pub fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: String,
    now: SimTime,
) -> appsv1::DeploymentCondition {
    appsv1::DeploymentCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_update_time: Some(now.to_time()),
        last_transition_time: Some(now.to_time()),
    }
}

/// Mirrors GetDeploymentCondition.
pub fn get_condition<'a>(
    s: &'a appsv1::DeploymentStatus,
    type_: &str,
) -> Option<&'a appsv1::DeploymentCondition> {
    s.conditions.iter().flatten().find(|c| c.type_ == type_)
}

/// Mirrors SetDeploymentCondition: a condition with the same status and reason is left alone;
/// one with the same status keeps its transition time; the new one goes last.
pub fn set_condition(s: &mut appsv1::DeploymentStatus, mut c: appsv1::DeploymentCondition) {
    if let Some(cur) = get_condition(s, &c.type_) {
        if cur.status == c.status && cur.reason == c.reason {
            return;
        }
        if cur.status == c.status {
            c.last_transition_time = cur.last_transition_time.clone();
        }
    }
    remove_condition(s, &c.type_);
    s.conditions.get_or_insert_with(Vec::new).push(c);
}

/// Mirrors RemoveDeploymentCondition.
pub fn remove_condition(s: &mut appsv1::DeploymentStatus, type_: &str) {
    if let Some(cs) = s.conditions.as_mut() {
        cs.retain(|c| c.type_ != type_);
        if cs.is_empty() {
            s.conditions = None;
        }
    }
}

/// Count of a status field (zero when unset).
pub fn n(v: Option<i32>) -> i32 {
    v.unwrap_or(0)
}

/// Mirrors DeploymentComplete: every replica updated and available, and the latest spec
/// observed.
pub fn deployment_complete(d: &appsv1::Deployment, s: &appsv1::DeploymentStatus) -> bool {
    let want = d_replicas(d);
    n(s.updated_replicas) == want
        && n(s.replicas) == want
        && n(s.available_replicas) == want
        && s.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// Mirrors DeploymentProgressing: more updated, ready or available replicas than the stored
/// status says, or fewer old ones.
pub fn deployment_progressing(d: &appsv1::Deployment, new: &appsv1::DeploymentStatus) -> bool {
    let old = d.status.clone().unwrap_or_default();
    let old_old = n(old.replicas) - n(old.updated_replicas);
    let new_old = n(new.replicas) - n(new.updated_replicas);
    n(new.updated_replicas) > n(old.updated_replicas)
        || old_old > new_old
        || n(new.ready_replicas) > n(old.ready_replicas)
        || n(new.available_replicas) > n(old.available_replicas)
}

/// Mirrors DeploymentTimedOut: the Progressing condition was last updated longer than
/// `progressDeadlineSeconds` ago.
pub fn deployment_timed_out(
    d: &appsv1::Deployment,
    s: &appsv1::DeploymentStatus,
    now: SimTime,
) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = get_condition(s, "Progressing") else {
        return false;
    };
    match c.reason.as_deref() {
        Some(NEW_RS_AVAILABLE_REASON) => return false,
        Some(TIMED_OUT_REASON) => return true,
        _ => {}
    }
    let Some(from) = c.last_update_time.as_ref() else {
        return false;
    };
    let deadline = d
        .spec
        .as_ref()
        .and_then(|s| s.progress_deadline_seconds)
        .unwrap_or(0);
    now.millis_since(from) > i64::from(deadline) * 1000
}

/// FNV-1a, 32 bits (hash/fnv New32a).
struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Fnv32a {
        Fnv32a(0x811c_9dc5)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u32::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }

    fn sum(&self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates compared in place are equal exactly when the copies with the hash label
    /// removed (and an emptied label map taken as none) are, as EqualIgnoreHash compares.
    #[test]
    fn templates_compare_as_their_stripped_copies() {
        fn stripped(t: &corev1::PodTemplateSpec) -> corev1::PodTemplateSpec {
            let mut t = t.clone();
            if let Some(l) = t.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
                l.remove(DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY);
            }
            if let Some(m) = t.metadata.as_mut()
                && m.labels.as_ref().is_some_and(|l| l.is_empty())
            {
                m.labels = None;
            }
            t
        }
        let labels = |pairs: &[(&str, &str)]| {
            Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
        };
        let meta = |labels, annotations: Option<&str>| {
            Some(metav1::ObjectMeta {
                labels,
                annotations: annotations
                    .map(|a| [("note".to_string(), a.to_string())].into_iter().collect()),
                ..Default::default()
            })
        };
        let spec = |image: &str| {
            Some(corev1::PodSpec {
                containers: vec![corev1::Container {
                    name: "c".into(),
                    image: Some(image.into()),
                    ..Default::default()
                }],
                ..Default::default()
            })
        };
        let hash = DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY;
        let metas = [
            None,
            meta(None, None),
            meta(labels(&[]), None),
            meta(labels(&[(hash, "abc")]), None),
            meta(labels(&[(hash, "def")]), None),
            meta(labels(&[("app", "web")]), None),
            meta(labels(&[("app", "web"), (hash, "abc")]), None),
            meta(labels(&[("app", "api"), (hash, "abc")]), None),
            meta(labels(&[("app", "web"), ("tier", "a")]), None),
            meta(labels(&[("app", "web")]), Some("x")),
            meta(labels(&[("app", "web"), (hash, "x")]), Some("y")),
        ];
        let specs = [None, spec("nginx:1.27"), spec("nginx:1.28")];
        let templates: Vec<corev1::PodTemplateSpec> = metas
            .iter()
            .flat_map(|m| {
                specs.iter().map(|s| corev1::PodTemplateSpec {
                    metadata: m.clone(),
                    spec: s.clone(),
                })
            })
            .collect();
        let mut equal_pairs = 0;
        for a in &templates {
            for b in &templates {
                let want = stripped(a) == stripped(b);
                assert_eq!(equal_ignore_hash(a, b), want, "{a:?} vs {b:?}");
                equal_pairs += usize::from(want);
            }
        }
        assert!(equal_pairs > templates.len(), "some templates differ only in their hash");
    }

    #[test]
    fn safe_encoding_and_fnv() {
        struct Case {
            name: &'static str,
            input: &'static str,
            want: &'static str,
        }
        // The decimal digits map to 4 5 6 7 8 9 b c d f.
        let cases = [
            Case {
                name: "digits",
                input: "0123456789",
                want: "456789bcdf",
            },
            Case {
                name: "empty",
                input: "",
                want: "",
            },
        ];
        for c in &cases {
            assert_eq!(safe_encode_string(c.input), c.want, "case {}", c.name);
        }
        // FNV-32a test vectors (hash/fnv): "" and "a".
        let mut h = Fnv32a::new();
        assert_eq!(h.sum(), 0x811c_9dc5);
        h.write(b"a");
        assert_eq!(h.sum(), 0xe40c_292c);
    }

    #[test]
    fn hash_changes_with_template_and_collision_count() {
        let t = corev1::PodTemplateSpec::default();
        let a = compute_hash(&t, None);
        assert!(a.chars().all(|c| "456789bcdf".contains(c)), "{a}");
        assert_ne!(a, compute_hash(&t, Some(1)));
        assert_eq!(a, compute_hash(&t, None));
    }
}
