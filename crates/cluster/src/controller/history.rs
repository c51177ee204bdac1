//! ControllerRevisions: the template history of DaemonSets and StatefulSets.
//!
//! Mirrors pkg/controller/history/controller_history.go (v1.34: `NewControllerRevision`,
//! `HashControllerRevision`, `ControllerRevisionName`, `FindEqualRevisions`,
//! `SortControllerRevisions`), the DaemonSet controller's update.go (`constructHistory`,
//! `snapshot`, `cleanupHistory`) and the StatefulSet controller's `getStatefulSetRevisions` /
//! `truncateHistory`. A revision's `data` is the patch `{"spec":{"template":{…,"$patch":
//! "replace"}}}` that restores the template, which is what `kubectl rollout undo` applies.
//!
//! The two controllers name revisions differently, as upstream does: a DaemonSet's revision is
//! `<ds>-<ComputeHash(template)>` labelled `controller-revision-hash: <hash>` (the hash its
//! pods carry), a StatefulSet's is `<sts>-<HashControllerRevision(data)>` labelled
//! `controller.kubernetes.io/hash: <hash>` (its pods carry the whole revision name).
//!
//! Deliberate gap: a name taken by a revision with other data (a hash collision) is not
//! resolved by bumping `collisionCount`; the existing revision is reused.

use std::collections::BTreeSet;
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::kind_of;
use super::plan::Write;
use super::replicaset::controller_uid;

/// history.ControllerRevisionHashLabel, on StatefulSet revisions.
pub const CONTROLLER_REVISION_HASH_LABEL_KEY: &str = "controller.kubernetes.io/hash";
/// The default `revisionHistoryLimit` of both kinds.
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;

/// The patch a revision stores: the whole template, replacing the current one.
pub fn template_patch(template: &corev1::PodTemplateSpec) -> serde_json::Value {
    let mut t = api::wire::to_value(template).unwrap_or_default();
    if let Some(map) = t.as_object_mut() {
        map.insert("$patch".into(), serde_json::Value::String("replace".into()));
    }
    serde_json::json!({ "spec": { "template": t } })
}

/// The template a revision restores (for rollbacks and for pods below a partition).
pub fn template_of(cr: &appsv1::ControllerRevision) -> Option<corev1::PodTemplateSpec> {
    let mut t = cr.data.as_ref()?.0.get("spec")?.get("template")?.clone();
    if let Some(map) = t.as_object_mut() {
        map.remove("$patch");
    }
    api::typed::from_value(&t).ok()
}

/// Mirrors HashControllerRevision: FNV-32a over the data's bytes, then the collision count,
/// rendered through `SafeEncodeString`.
pub fn hash_revision(data: &serde_json::Value, collision_count: Option<i32>) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let mut write = |bytes: &[u8]| {
        for b in bytes {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    write(&serde_json::to_vec(data).unwrap_or_default());
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&(c as u32).to_le_bytes());
        write(&buf);
    }
    super::deployment::util::safe_encode_string(&h.to_string())
}

/// The revisions `owner_uid` controls, oldest revision first (SortControllerRevisions: by
/// revision, then creation, then name).
pub fn owned_revisions(objects: &[Arc<Object>], owner_uid: &str) -> Vec<appsv1::ControllerRevision> {
    let mut out: Vec<appsv1::ControllerRevision> = objects
        .iter()
        .filter_map(|o| match &**o {
            Object::ControllerRevision(cr)
                if controller_uid(&cr.metadata) == Some(owner_uid)
                    && cr.metadata.deletion_timestamp.is_none() =>
            {
                Some(cr.clone())
            }
            _ => None,
        })
        .collect();
    machinery::sort::sort_by(&mut out, |a, b| {
        (
            a.revision,
            a.metadata.creation_timestamp.as_ref().map(|t| t.0),
            &a.metadata.name,
        )
            .cmp(&(
                b.revision,
                b.metadata.creation_timestamp.as_ref().map(|t| t.0),
                &b.metadata.name,
            ))
    });
    out
}

/// Who a revision belongs to and how it is named and labelled.
#[derive(Debug, Clone)]
pub struct Parent<'a> {
    pub kind: &'static str,
    pub meta: &'a metav1::ObjectMeta,
    pub template: &'a corev1::PodTemplateSpec,
    /// The revision name's suffix (`<parent>-<hash>`).
    pub hash: String,
    /// The label that carries `hash` on the revision.
    pub hash_label: &'static str,
    pub history_limit: Option<i32>,
}

/// The outcome of [`sync`]: the revision matching the parent's template (after the writes)
/// and the writes that create, renumber or prune revisions.
#[derive(Debug, Clone)]
pub struct Synced {
    pub current: appsv1::ControllerRevision,
    pub writes: Vec<Write>,
}

/// Makes the revision of the parent's template the newest one: reuses a revision with equal
/// data (renumbered to max + 1 when an older one, as a rollback does), or creates it.
pub fn sync(parent: &Parent<'_>, revisions: &[appsv1::ControllerRevision]) -> Synced {
    let data = template_patch(parent.template);
    let max = revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let equal: Vec<&appsv1::ControllerRevision> = revisions
        .iter()
        .filter(|r| r.data.as_ref().map(|d| &d.0) == Some(&data))
        .collect();
    let mut writes = Vec::new();
    let current = match equal.last() {
        Some(r) if r.revision == max => (*r).clone(),
        Some(r) => {
            let mut r = (*r).clone();
            r.revision = max + 1;
            writes.push(Write::Update(Object::ControllerRevision(r.clone())));
            r
        }
        None => {
            let r = new_revision(parent, data, max + 1);
            writes.push(Write::create(Object::ControllerRevision(r.clone())));
            r
        }
    };
    Synced { current, writes }
}

/// Mirrors NewControllerRevision / the DaemonSet `snapshot`.
fn new_revision(
    parent: &Parent<'_>,
    data: serde_json::Value,
    revision: i64,
) -> appsv1::ControllerRevision {
    let name = parent.meta.name.clone().unwrap_or_default();
    let mut labels = parent
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(parent.hash_label.into(), parent.hash.clone());
    appsv1::ControllerRevision {
        metadata: metav1::ObjectMeta {
            name: Some(revision_name(&name, &parent.hash)),
            namespace: parent.meta.namespace.clone(),
            labels: Some(labels),
            annotations: parent.meta.annotations.clone(),
            owner_references: Some(vec![metav1::OwnerReference {
                api_version: "apps/v1".into(),
                kind: parent.kind.into(),
                name,
                uid: parent.meta.uid.clone().unwrap_or_default(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]),
            ..Default::default()
        },
        data: Some(RawExtension(data)),
        revision,
    }
}

/// Mirrors ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 characters.
pub fn revision_name(prefix: &str, hash: &str) -> String {
    let prefix: String = prefix.chars().take(223).collect();
    format!("{prefix}-{hash}")
}

/// Deletes the oldest revisions beyond the history limit, never one in `keep` (by name) or
/// one whose `hash_label` value a live pod still carries in `live_hashes`.
pub fn prune(
    parent: &Parent<'_>,
    revisions: &[appsv1::ControllerRevision],
    keep: &BTreeSet<String>,
    is_live: &dyn Fn(&str) -> bool,
) -> Vec<Write> {
    let limit = parent
        .history_limit
        .unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
        .max(0) as usize;
    let old: Vec<&appsv1::ControllerRevision> = revisions
        .iter()
        .filter(|r| {
            let name = r.metadata.name.as_deref().unwrap_or_default();
            let hash = r
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(parent.hash_label))
                .map_or("", String::as_str);
            !keep.contains(name) && !is_live(hash) && !is_live(name)
        })
        .collect();
    let excess = old.len().saturating_sub(limit);
    old.into_iter()
        .take(excess)
        .map(|r| Write::Delete {
            kind: kind_of::<appsv1::ControllerRevision>(),
            namespace: r.metadata.namespace.clone(),
            name: r.metadata.name.clone().unwrap_or_default(),
            uid: r.metadata.uid.clone(),
            grace_period_seconds: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(image: &str) -> corev1::PodTemplateSpec {
        corev1::PodTemplateSpec {
            metadata: Some(metav1::ObjectMeta {
                labels: Some([("app".to_string(), "web".to_string())].into()),
                ..Default::default()
            }),
            spec: Some(corev1::PodSpec {
                containers: vec![corev1::Container {
                    name: "c".into(),
                    image: Some(image.into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
        }
    }

    fn parent<'a>(meta: &'a metav1::ObjectMeta, t: &'a corev1::PodTemplateSpec) -> Parent<'a> {
        let data = template_patch(t);
        Parent {
            kind: "StatefulSet",
            meta,
            template: t,
            hash: hash_revision(&data, None),
            hash_label: CONTROLLER_REVISION_HASH_LABEL_KEY,
            history_limit: Some(2),
        }
    }

    fn stored(w: &Write) -> appsv1::ControllerRevision {
        match w {
            Write::Create {
                object: Object::ControllerRevision(r),
                ..
            }
            | Write::Update(Object::ControllerRevision(r)) => {
                let mut r = r.clone();
                r.metadata.uid = r.metadata.name.clone();
                r
            }
            other => panic!("unexpected write {other:?}"),
        }
    }

    #[test]
    fn data_round_trips_and_the_hash_follows_the_data() {
        let t = template("nginx:1.27");
        let data = template_patch(&t);
        assert_eq!(data["spec"]["template"]["$patch"], "replace");
        let cr = appsv1::ControllerRevision {
            data: Some(RawExtension(data.clone())),
            ..Default::default()
        };
        assert_eq!(template_of(&cr), Some(t));
        let h = hash_revision(&data, None);
        assert_eq!(h, hash_revision(&data, None));
        assert_ne!(h, hash_revision(&template_patch(&template("nginx:1.28")), None));
        assert_ne!(h, hash_revision(&data, Some(1)));
        assert!(h.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
    }

    #[test]
    fn new_templates_get_the_next_number_and_rollbacks_renumber() {
        let meta = metav1::ObjectMeta {
            name: Some("web".into()),
            namespace: Some("default".into()),
            uid: Some("u1".into()),
            ..Default::default()
        };
        let (v1, v2) = (template("nginx:1.27"), template("nginx:1.28"));
        let first = sync(&parent(&meta, &v1), &[]);
        assert_eq!(first.current.revision, 1);
        let r1 = stored(&first.writes[0]);
        assert_eq!(
            r1.metadata.name,
            Some(format!("web-{}", parent(&meta, &v1).hash))
        );
        let labels = r1.metadata.labels.clone().unwrap_or_default();
        assert_eq!(labels.get("app").map(String::as_str), Some("web"));
        // The same template again: nothing to write.
        assert!(sync(&parent(&meta, &v1), std::slice::from_ref(&r1)).writes.is_empty());
        let second = sync(&parent(&meta, &v2), std::slice::from_ref(&r1));
        let r2 = stored(&second.writes[0]);
        assert_eq!(r2.revision, 2);
        // Back to v1: revision 1 becomes revision 3.
        let back = sync(&parent(&meta, &v1), &[r1.clone(), r2.clone()]);
        let r3 = stored(&back.writes[0]);
        assert_eq!((r3.metadata.name.clone(), r3.revision), (r1.metadata.name.clone(), 3));
    }

    #[test]
    fn prune_keeps_the_limit_and_revisions_in_use() {
        let meta = metav1::ObjectMeta {
            name: Some("web".into()),
            uid: Some("u1".into()),
            ..Default::default()
        };
        let t = template("x");
        let p = parent(&meta, &t);
        let revs: Vec<appsv1::ControllerRevision> = (1..=5)
            .map(|i| appsv1::ControllerRevision {
                metadata: metav1::ObjectMeta {
                    name: Some(format!("web-{i}")),
                    labels: Some(
                        [(CONTROLLER_REVISION_HASH_LABEL_KEY.to_string(), format!("{i}"))].into(),
                    ),
                    ..Default::default()
                },
                revision: i,
                ..Default::default()
            })
            .collect();
        let keep: BTreeSet<String> = ["web-5".to_string()].into();
        let live: BTreeSet<String> = ["1".to_string()].into();
        let deleted: Vec<String> = prune(&p, &revs, &keep, &|r| live.contains(r))
            .into_iter()
            .map(|w| match w {
                Write::Delete { name, .. } => name,
                other => panic!("{other:?}"),
            })
            .collect();
        // Old and unused: 2, 3, 4; the limit of 2 keeps the newest two of them.
        assert_eq!(deleted, ["web-2"]);
    }
}
