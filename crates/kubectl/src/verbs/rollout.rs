//! `kubectl rollout status|history|undo|pause|resume|restart`.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/rollout/*.go and polymorphichelpers
//! rollout_status.go, history.go and rollback.go (v1.34). Deployments keep their revisions
//! in ReplicaSets (`deployment.kubernetes.io/revision`); DaemonSets and StatefulSets in the
//! ControllerRevisions they control. `status` blocks on a watch of the object, printing a
//! line for every change until the rollout is done (see [`crate::waiting`]).

use std::sync::Arc;

use api::{KindInfo, Object};
use cluster::apiserver::patch::PatchType;
use cluster::apiserver::{ListOptions, PatchOptions, WatchEventType, WatchId, WatchOptions};
use cluster::controller::deployment::{rollback, util as dutil};
use cluster::{SimDuration, SimTime, Store};
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::core::v1 as corev1;
use serde_json::{Value, json};

use super::{Ctx, DryRun, rollout_template};
use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::waiting::{self, Progress, WaitStream, Waiter};
use crate::{Env, Outcome};

/// `kubernetes.io/change-cause`.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// Runs the `rollout` subcommands.
///
/// # Errors
/// Usage errors and the store's errors.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let sub = ctx.path.rsplit(' ').next().unwrap_or("");
    let targets = targets(ctx, env)?;
    if sub == "status" {
        return status(ctx, env, out, targets);
    }
    for (info, name) in targets {
        let ns = ctx.ns_for(info);
        let kind = info.qualified_kind_lower();
        match sub {
            "pause" | "resume" => pause_resume(env, info, ns, &name, sub == "pause", out)?,
            "restart" => {
                let at = env.store.now().to_time();
                let stamp = serde_json::to_value(&at).unwrap_or(Value::Null);
                let body = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}});
                env.store.patch(
                    info,
                    ns,
                    &name,
                    PatchType::Strategic,
                    &body,
                    &PatchOptions::default(),
                )?;
                out.out(format!("{kind}/{name} restarted"));
            }
            "history" => history(ctx, env, info, &name, out)?,
            "undo" => undo(ctx, env, info, &name, out)?,
            _ => {}
        }
    }
    Ok(())
}

/// The objects named by the arguments (or `-l`), as the resource builder finds them.
fn targets(ctx: &Ctx, env: &mut Env<'_>) -> Result<Vec<(&'static KindInfo, String)>, KubectlError> {
    let p = &ctx.parsed;
    if p.args.is_empty() {
        return Err(if ctx.path.ends_with(" status") {
            KubectlError::msg("required resource not specified")
        } else {
            ctx.usage("required resource not specified")
        });
    }
    let selector = p.string("selector").unwrap_or("");
    let mut found = Vec::new();
    for t in resources::resolve_args(&p.args)? {
        match t {
            Target::Named(info, name) => {
                env.store.get(info, ctx.ns_for(info), &name)?;
                found.push((info, name));
            }
            Target::All(info) => {
                let list = env.store.list(
                    info,
                    ctx.ns_for(info),
                    &ListOptions {
                        label_selector: selector.to_string(),
                        ..Default::default()
                    },
                )?;
                if list.items.is_empty() {
                    return Err(KubectlError::Raw(format!(
                        "No resources found in {} namespace.",
                        ctx.namespace
                    )));
                }
                for o in list.items {
                    found.push((info, o.name().to_string()));
                }
            }
        }
    }
    Ok(found)
}

fn pause_resume(
    env: &mut Env<'_>,
    info: &'static KindInfo,
    ns: Option<&str>,
    name: &str,
    want: bool,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let obj = env.store.get(info, ns, name)?;
    let paused = obj
        .to_value()
        .pointer("/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if paused == want {
        return Err(KubectlError::msg(format!(
            "{}s \"{name}\" is already {}",
            info.kind.to_lowercase(),
            if want { "paused" } else { "resumed" }
        )));
    }
    env.store.patch(
        info,
        ns,
        name,
        PatchType::Strategic,
        &json!({"spec": {"paused": want}}),
        &PatchOptions::default(),
    )?;
    out.out(format!(
        "{}/{name} {}",
        info.qualified_kind_lower(),
        if want { "paused" } else { "resumed" }
    ));
    Ok(())
}

/// GroupKind.String(): `Deployment.apps`, `Pod`.
fn group_kind(info: &KindInfo) -> String {
    if info.group.is_empty() {
        info.kind.to_string()
    } else {
        format!("{}.{}", info.kind, info.group)
    }
}

// ---- status ----

fn status(
    ctx: &Ctx,
    env: &mut Env<'_>,
    out: &mut Outcome,
    targets: Vec<(&'static KindInfo, String)>,
) -> Result<(), KubectlError> {
    let revision = ctx.parsed.int("revision").unwrap_or(0);
    if revision < 0 {
        return Err(KubectlError::msg(format!(
            "revision must be a positive integer: {revision}"
        )));
    }
    let timeout = waiting::parse_timeout(ctx, "timeout", "0s")?;
    if targets.len() != 1 {
        return Err(KubectlError::msg(format!(
            "rollout status is only supported on individual resources and resource collections - {} resources were found",
            targets.len()
        )));
    }
    let (info, name) = targets.into_iter().next().unwrap_or_else(|| unreachable!());
    if !matches!(info.kind, "Deployment" | "DaemonSet" | "StatefulSet") || info.group != "apps" {
        return Err(KubectlError::msg(format!(
            "no status viewer has been implemented for {}",
            group_kind(info)
        )));
    }
    let namespace = ctx.ns_for(info).map(str::to_string);
    let watch = env.store.watch(
        info,
        namespace.as_deref(),
        &WatchOptions {
            field_selector: format!("metadata.name={name}"),
            ..Default::default()
        },
    )?;
    let deadline = (timeout > 0)
        .then(|| env.store.now() + SimDuration::from_millis((timeout / 1_000_000) as u64));
    out.wait = Some(WaitStream::new(RolloutStatus {
        watch: Some(watch),
        revision,
        keep_watching: ctx.parsed.string("watch") != Some("false"),
        deadline,
    }));
    Ok(())
}

/// A running `rollout status`: one line per ADDED/MODIFIED event of the object.
struct RolloutStatus {
    watch: Option<WatchId>,
    revision: i64,
    keep_watching: bool,
    deadline: Option<SimTime>,
}

impl Waiter for RolloutStatus {
    fn poll(&mut self, store: &mut Store) -> Progress {
        let mut p = Progress::default();
        let Some(id) = self.watch else {
            p.finish(1);
            return p;
        };
        let events = match store.poll(id) {
            Ok(e) => e,
            Err(e) => {
                p.err(&KubectlError::from(e).to_string());
                p.finish(1);
                return p;
            }
        };
        for e in events {
            if e.event_type == WatchEventType::Deleted {
                p.err("error: object has been deleted");
                p.finish(1);
                return p;
            }
            match status_of(&e.object, self.revision) {
                Err(msg) => {
                    p.err(&format!("error: {msg}"));
                    p.finish(1);
                    return p;
                }
                Ok((text, done)) => {
                    p.out(&text);
                    if done || !self.keep_watching {
                        p.finish(0);
                        return p;
                    }
                }
            }
        }
        if self.deadline.is_some_and(|d| store.now() >= d) {
            // watchtools.UntilWithSync's context deadline: wait.ErrWaitTimeout.
            p.err("error: timed out waiting for the condition");
            p.finish(1);
        }
        p
    }

    fn deadline(&self) -> Option<SimTime> {
        self.deadline
    }

    fn stop(&mut self, store: &mut Store) {
        if let Some(id) = self.watch.take() {
            store.stop_watch(id);
        }
    }
}

/// The StatusViewers: (message, done) or an error that ends the command.
fn status_of(obj: &Object, revision: i64) -> Result<(String, bool), String> {
    match obj {
        Object::Deployment(d) => deployment_status(d, revision),
        Object::DaemonSet(ds) => daemonset_status(ds),
        Object::StatefulSet(s) => statefulset_status(s),
        _ => Err(format!(
            "no status viewer has been implemented for {}",
            group_kind(obj.kind_info())
        )),
    }
}

fn deployment_status(d: &appsv1::Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = d.metadata.name.clone().unwrap_or_default();
    if revision > 0 {
        let current = d
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(dutil::REVISION_ANNOTATION))
            .ok_or_else(|| {
                format!("cannot get the revision of deployment {name:?}: revision not found")
            })?;
        let current: i64 = current.parse().map_err(|_| {
            format!("cannot get the revision of deployment {name:?}: invalid revision")
        })?;
        if current != revision {
            return Err(format!(
                "desired revision ({revision}) is different from the running revision ({current})"
            ));
        }
    }
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    }
    let progressing = st
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|c| c.type_ == "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some(dutil::TIMED_OUT_REASON)) {
        return Err(format!(
            "deployment {name:?} exceeded its progress deadline"
        ));
    }
    let updated = st.updated_replicas.unwrap_or(0);
    if let Some(want) = d.spec.as_ref().and_then(|s| s.replicas)
        && updated < want
    {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated..."
            ),
            false,
        ));
    }
    let replicas = st.replicas.unwrap_or(0);
    if replicas > updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...",
                replicas - updated
            ),
            false,
        ));
    }
    let available = st.available_replicas.unwrap_or(0);
    if available < updated {
        return Ok((
            format!(
                "Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available..."
            ),
            false,
        ));
    }
    Ok((format!("deployment {name:?} successfully rolled out"), true))
}

fn daemonset_status(ds: &appsv1::DaemonSet) -> Result<(String, bool), String> {
    let name = ds.metadata.name.clone().unwrap_or_default();
    let strategy = ds
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.clone())
        .unwrap_or_else(|| "RollingUpdate".into());
    if strategy != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let st = ds.status.clone().unwrap_or_default();
    if ds.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for daemon set spec update to be observed...".into(),
            false,
        ));
    }
    let updated = st.updated_number_scheduled.unwrap_or(0);
    let desired = st.desired_number_scheduled;
    if updated < desired {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {updated} out of {desired} new pods have been updated..."
            ),
            false,
        ));
    }
    let available = st.number_available.unwrap_or(0);
    if available < desired {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {available} of {desired} updated pods are available..."
            ),
            false,
        ));
    }
    Ok((format!("daemon set {name:?} successfully rolled out"), true))
}

fn statefulset_status(s: &appsv1::StatefulSet) -> Result<(String, bool), String> {
    let spec = s.spec.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let st = s.status.clone().unwrap_or_default();
    let observed = st.observed_generation.unwrap_or(0);
    if observed == 0 || s.metadata.generation.unwrap_or(0) > observed {
        return Ok((
            "Waiting for statefulset spec update to be observed...".into(),
            false,
        ));
    }
    let ready = st.ready_replicas.unwrap_or(0);
    if let Some(want) = spec.replicas
        && ready < want
    {
        return Ok((
            format!("Waiting for {} pods to be ready...", want - ready),
            false,
        ));
    }
    let updated = st.updated_replicas.unwrap_or(0);
    if let Some(ru) = &strategy.rolling_update {
        if let (Some(want), Some(partition)) = (spec.replicas, ru.partition)
            && updated < want - partition
        {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                    want - partition
                ),
                false,
            ));
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated..."),
            true,
        ));
    }
    let update_rev = st.update_revision.clone().unwrap_or_default();
    if update_rev != st.current_revision.clone().unwrap_or_default() {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {updated} pods at revision {update_rev}..."
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...",
            st.current_replicas.unwrap_or(0),
            st.current_revision.unwrap_or_default()
        ),
        true,
    ))
}

// ---- history ----

/// One recorded revision: its number, pod template and change cause.
struct Revision {
    number: i64,
    template: corev1::PodTemplateSpec,
    change_cause: Option<String>,
}

/// A Deployment's ReplicaSets (those it controls).
fn owned_replica_sets(store: &Store, d: &Object) -> Vec<appsv1::ReplicaSet> {
    let Some(info) = api::by_gvk("apps/v1", "ReplicaSet") else {
        return Vec::new();
    };
    let uid = d.meta().uid.clone().unwrap_or_default();
    store
        .list(info, d.namespace(), &ListOptions::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| controlled_by(o, &uid))
        .filter_map(|o| match &*o {
            Object::ReplicaSet(rs) => Some(rs.clone()),
            _ => None,
        })
        .collect()
}

fn controlled_by(o: &Object, uid: &str) -> bool {
    o.meta()
        .owner_references
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|r| r.controller == Some(true) && r.uid == uid)
}

/// The ControllerRevisions a DaemonSet or StatefulSet controls.
fn owned_revisions(store: &Store, obj: &Object) -> Vec<appsv1::ControllerRevision> {
    let Some(info) = api::by_gvk("apps/v1", "ControllerRevision") else {
        return Vec::new();
    };
    let uid = obj.meta().uid.clone().unwrap_or_default();
    store
        .list(info, obj.namespace(), &ListOptions::default())
        .map(|l| l.items)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| controlled_by(o, &uid))
        .filter_map(|o| match &*o {
            Object::ControllerRevision(cr) => Some(cr.clone()),
            _ => None,
        })
        .collect()
}

/// The object with a ControllerRevision's data (a strategic patch of `spec.template`)
/// applied, as applyDaemonSetHistory / applyStatefulSetHistory do.
fn apply_revision(
    obj: &Object,
    cr: &appsv1::ControllerRevision,
) -> Option<corev1::PodTemplateSpec> {
    // The data replaces the whole template (`$patch: replace`), so it is the template.
    if let Some(t) = cluster::controller::history::template_of(cr) {
        return Some(t);
    }
    let mut doc = obj.to_value();
    let data = cr.data.as_ref().map(|d| d.0.clone()).unwrap_or(Value::Null);
    cluster::apiserver::patch::strategic::apply(&mut doc, &data, obj.kind()).ok()?;
    api::typed::from_value(doc.pointer("/spec/template")?).ok()
}

fn revisions_of(store: &Store, obj: &Arc<Object>) -> Result<Vec<Revision>, KubectlError> {
    let mut out: Vec<Revision> = match &**obj {
        Object::Deployment(_) => owned_replica_sets(store, obj)
            .into_iter()
            .filter(|rs| {
                rs.metadata
                    .annotations
                    .as_ref()
                    .is_some_and(|a| a.contains_key(dutil::REVISION_ANNOTATION))
            })
            .map(|rs| {
                let cause = rs
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(CHANGE_CAUSE))
                    .filter(|c| !c.is_empty())
                    .cloned();
                let mut template = dutil::rs_template(&rs);
                // history.go puts the change cause on the template it prints.
                let ann = template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(Default::default);
                if let Some(c) = &cause {
                    ann.insert(CHANGE_CAUSE.into(), c.clone());
                }
                Revision {
                    number: dutil::revision(&rs.metadata),
                    template,
                    change_cause: cause,
                }
            })
            .collect(),
        Object::DaemonSet(_) | Object::StatefulSet(_) => owned_revisions(store, obj)
            .into_iter()
            .map(|cr| Revision {
                number: cr.revision,
                template: apply_revision(obj, &cr).unwrap_or_default(),
                change_cause: cr
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(CHANGE_CAUSE))
                    .filter(|c| !c.is_empty())
                    .cloned(),
            })
            .collect(),
        other => {
            return Err(KubectlError::msg(format!(
                "no history viewer has been implemented for {:?}",
                group_kind(other.kind_info())
            )));
        }
    };
    machinery::sort::sort_by_key(&mut out, |r| r.number);
    // Later entries of the same number replace earlier ones, as the map in history.go does.
    out.dedup_by(|later, earlier| {
        if later.number == earlier.number {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    Ok(out)
}

fn history(
    ctx: &Ctx,
    env: &mut Env<'_>,
    info: &'static KindInfo,
    name: &str,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let obj = env.store.get(info, ctx.ns_for(info), name)?;
    let revisions = revisions_of(env.store, &obj)?;
    let wanted = ctx.parsed.int("revision").unwrap_or(0);
    let body = if revisions.is_empty() {
        "No rollout history found.".to_string()
    } else if wanted > 0 {
        let Some(r) = revisions.iter().find(|r| r.number == wanted) else {
            return Err(KubectlError::msg("unable to find the specified revision"));
        };
        rollout_template::describe(&r.template)
    } else {
        let mut rows = vec![vec!["REVISION".to_string()]];
        let sts = info.kind == "StatefulSet";
        if !sts {
            rows[0].push("CHANGE-CAUSE".into());
        }
        for r in &revisions {
            let mut row = vec![r.number.to_string()];
            if !sts {
                row.push(r.change_cause.clone().unwrap_or_else(|| "<none>".into()));
            }
            rows.push(row);
        }
        tabbed(&rows)
    };
    let with = if wanted > 0 {
        format!("with revision #{wanted}")
    } else {
        String::new()
    };
    // The name printer: `<kind>/<name> <operation>` where the operation is both parts.
    out.out_block(&format!(
        "{}/{name} {with}\n{body}\n",
        info.qualified_kind_lower()
    ));
    Ok(())
}

/// A tab writer with padding 2 (history.go `tabbedString`), each row ending in a newline.
fn tabbed(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
    }
    let mut s = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                s.push_str(&format!("{c:<w$}", w = widths[i] + 2));
            } else {
                s.push_str(c);
            }
        }
        s.push('\n');
    }
    s
}

// ---- undo ----

/// Annotations kept from the Deployment rather than copied from the ReplicaSet
/// (rollback.go `annotationsToSkip`).
const ANNOTATIONS_TO_SKIP: &[&str] = &[
    dutil::LAST_APPLIED_ANNOTATION,
    dutil::REVISION_ANNOTATION,
    dutil::REVISION_HISTORY_ANNOTATION,
    dutil::DESIRED_REPLICAS_ANNOTATION,
    dutil::MAX_REPLICAS_ANNOTATION,
    dutil::ROLLBACK_TO_ANNOTATION,
];

fn undo(
    ctx: &Ctx,
    env: &mut Env<'_>,
    info: &'static KindInfo,
    name: &str,
    out: &mut Outcome,
) -> Result<(), KubectlError> {
    let ns = ctx.ns_for(info);
    let dry = ctx.dry_run()?;
    let to = ctx.parsed.int("to-revision").unwrap_or(0);
    let obj = env.store.get(info, ns, name)?;
    let not_found =
        || KubectlError::msg(format!("unable to find specified revision {to} in history"));
    let result = match &*obj {
        Object::Deployment(d) => {
            if to < 0 {
                return Err(not_found());
            }
            let rss = owned_replica_sets(env.store, &obj);
            let Some(mut template) = rollback::rollback_template(&rss, to) else {
                return Err(if to > 0 {
                    not_found()
                } else {
                    KubectlError::msg(format!("no rollout history found for deployment {name:?}"))
                });
            };
            let want = if to == 0 {
                rollback::last_revision(&rss)
            } else {
                to
            };
            let rs = rss
                .iter()
                .find(|r| dutil::revision(&r.metadata) == want)
                .cloned()
                .unwrap_or_default();
            if dry == DryRun::Client {
                let mut t = dutil::rs_template(&rs);
                if t.metadata.is_none() {
                    t.metadata = template.metadata.take();
                }
                rollout_template::describe(&t)
            } else {
                let spec = d.spec.clone().unwrap_or_default();
                if spec.paused == Some(true) {
                    return Err(KubectlError::msg(format!(
                        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again"
                    )));
                }
                if dutil::equal_ignore_hash(&dutil::rs_template(&rs), &spec.template) {
                    format!("skipped rollback (current template already matches revision {to})")
                } else {
                    let mut annotations = serde_json::Map::new();
                    let current = d.metadata.annotations.clone().unwrap_or_default();
                    for k in ANNOTATIONS_TO_SKIP {
                        if let Some(v) = current.get(*k) {
                            annotations.insert((*k).to_string(), Value::String(v.clone()));
                        }
                    }
                    for (k, v) in rs.metadata.annotations.clone().unwrap_or_default() {
                        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                            annotations.insert(k, Value::String(v));
                        }
                    }
                    // Through the wire format: the page then builds no serde_json `Value`
                    // serializer of the pod template's types.
                    let template = api::wire::to_value(&template).unwrap_or(Value::Null);
                    let patch = json!([
                        {"op": "replace", "path": "/spec/template", "value": template},
                        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
                    ]);
                    env.store
                        .patch(
                            info,
                            ns,
                            name,
                            PatchType::Json,
                            &patch,
                            &PatchOptions {
                                dry_run: dry == DryRun::Server,
                            },
                        )
                        .map_err(|e| {
                            KubectlError::msg(format!("failed restoring revision {to}: {}", e))
                        })?;
                    "rolled back".to_string()
                }
            }
        }
        Object::DaemonSet(_) | Object::StatefulSet(_) => {
            if to < 0 {
                return Err(not_found());
            }
            let mut history = owned_revisions(env.store, &obj);
            machinery::sort::sort_by_key(&mut history, |c| c.revision);
            if to == 0 && history.len() <= 1 {
                return Err(KubectlError::msg("no last revision to roll back to"));
            }
            // findHistory: revision 0 is the one before the newest.
            let found = if to == 0 {
                history.iter().rev().nth(1)
            } else {
                history.iter().find(|c| c.revision == to)
            };
            let Some(cr) = found.cloned() else {
                return Err(not_found());
            };
            let template = apply_revision(&obj, &cr).unwrap_or_default();
            if dry == DryRun::Client {
                rollout_template::describe(&template)
            } else {
                let current: corev1::PodTemplateSpec = obj
                    .to_value()
                    .pointer("/spec/template")
                    .and_then(|v| api::typed::from_value(v).ok())
                    .unwrap_or_default();
                if current == template {
                    format!("skipped rollback (current template already matches revision {to})")
                } else {
                    let data = cr.data.as_ref().map(|d| d.0.clone()).unwrap_or(Value::Null);
                    env.store
                        .patch(
                            info,
                            ns,
                            name,
                            PatchType::Strategic,
                            &data,
                            &PatchOptions {
                                dry_run: dry == DryRun::Server,
                            },
                        )
                        .map_err(|e| {
                            KubectlError::msg(format!("failed restoring revision {to}: {}", e))
                        })?;
                    "rolled back".to_string()
                }
            }
        }
        other => {
            return Err(KubectlError::msg(format!(
                "no rollbacker has been implemented for {:?}",
                group_kind(other.kind_info())
            )));
        }
    };
    out.out_block(&format!(
        "{}/{name} {result}{}",
        info.qualified_kind_lower(),
        dry.suffix()
    ));
    Ok(())
}
