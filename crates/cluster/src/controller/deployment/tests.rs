//! Scenario tests through `sim::Cluster`: the upstream rollout sequence, Recreate, scaling,
//! pause/resume, rollback, history cleanup and the progress deadline.

use api::Object;
use k8s_openapi::api::apps::v1 as appsv1;

use super::util;
use crate::controller::kind_of;
use crate::controller::testutil::{apply, cluster, events, live_pods, patch_replicas};
use crate::sim::Cluster;
use crate::time::SimDuration;

const DEPLOY: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers: [{name: nodejs, image: "luksa/kubia:v1"}]
"#;

fn deployment(c: &Cluster) -> appsv1::Deployment {
    let o = c
        .store()
        .get(kind_of::<appsv1::Deployment>(), Some("default"), "kubia")
        .expect("deployment");
    match &*o {
        Object::Deployment(d) => d.clone(),
        _ => unreachable!(),
    }
}

fn edit(c: &mut Cluster, f: impl FnOnce(&mut appsv1::Deployment)) {
    let mut d = deployment(c);
    f(&mut d);
    c.store_mut()
        .update(
            Some("default"),
            Object::Deployment(d),
            &crate::apiserver::UpdateOptions::default(),
        )
        .expect("update");
    c.settle();
}

fn set_image(c: &mut Cluster, image: &str) {
    edit(c, |d| {
        d.spec
            .as_mut()
            .expect("spec")
            .template
            .spec
            .as_mut()
            .expect("pod spec")
            .containers[0]
            .image = Some(image.into());
    });
}

/// ReplicaSets of the Deployment, oldest first.
fn replica_sets(c: &Cluster) -> Vec<appsv1::ReplicaSet> {
    let mut out: Vec<appsv1::ReplicaSet> = c
        .list(kind_of::<appsv1::ReplicaSet>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::ReplicaSet(rs) => Some(rs.clone()),
            _ => None,
        })
        .collect();
    out.sort_by_key(util::creation_key);
    out
}

fn complete(c: &Cluster) -> bool {
    let d = deployment(c);
    d.status
        .as_ref()
        .is_some_and(|s| util::deployment_complete(&d, s))
        && live_pods(c).len() == util::d_replicas(&d) as usize
}

fn roll_out(c: &mut Cluster) {
    c.run_until(complete, SimDuration::from_secs(600))
        .expect("rollout completes");
}

fn ann(rs: &appsv1::ReplicaSet, k: &str) -> String {
    super::sync::annotation(&rs.metadata, k).unwrap_or_default()
}

fn cond(d: &appsv1::Deployment, t: &str) -> (String, String, String) {
    let s = d.status.clone().unwrap_or_default();
    let c = util::get_condition(&s, t).cloned().unwrap_or_default();
    (
        c.status,
        c.reason.unwrap_or_default(),
        c.message.unwrap_or_default(),
    )
}

#[test]
fn first_rollout_creates_hashed_replica_set() {
    let mut c = cluster(1);
    apply(&mut c, DEPLOY);
    roll_out(&mut c);
    let rss = replica_sets(&c);
    assert_eq!(rss.len(), 1);
    let rs = &rss[0];
    let name = rs.metadata.name.clone().unwrap_or_default();
    let hash = name
        .strip_prefix("kubia-")
        .expect("named after the deployment");
    assert!(!hash.is_empty() && hash.len() <= 10, "{name}");
    assert!(hash.chars().all(|ch| "456789bcdf".contains(ch)), "{name}");
    assert_eq!(
        rs.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("pod-template-hash")),
        Some(&hash.to_string())
    );
    assert_eq!(ann(rs, util::REVISION_ANNOTATION), "1");
    assert_eq!(ann(rs, util::DESIRED_REPLICAS_ANNOTATION), "3");
    assert_eq!(ann(rs, util::MAX_REPLICAS_ANNOTATION), "4");
    for p in live_pods(&c) {
        assert!(
            p.metadata
                .name
                .as_deref()
                .unwrap_or("")
                .starts_with(&format!("{name}-"))
        );
    }
    let d = deployment(&c);
    assert_eq!(
        super::sync::annotation(&d.metadata, util::REVISION_ANNOTATION).as_deref(),
        Some("1")
    );
    let st = d.status.clone().unwrap_or_default();
    assert_eq!(
        (
            st.replicas,
            st.updated_replicas,
            st.ready_replicas,
            st.available_replicas,
            st.unavailable_replicas,
            st.observed_generation
        ),
        (Some(3), Some(3), Some(3), Some(3), None, Some(1))
    );
    assert_eq!(
        cond(&d, "Available"),
        (
            "True".into(),
            "MinimumReplicasAvailable".into(),
            "Deployment has minimum availability.".into()
        )
    );
    assert_eq!(
        cond(&d, "Progressing"),
        (
            "True".into(),
            "NewReplicaSetAvailable".into(),
            format!("ReplicaSet \"{name}\" has successfully progressed.")
        )
    );
    // Available comes first once Progressing has been rewritten.
    let types: Vec<String> = st
        .conditions
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.type_)
        .collect();
    assert_eq!(types, ["Available", "Progressing"]);
    assert_eq!(
        events(&c, "Deployment", "kubia"),
        [(
            "ScalingReplicaSet".to_string(),
            format!("Scaled up replica set {name} from 0 to 3")
        )]
    );
}

#[test]
fn rolling_update_follows_the_documented_sequence() {
    let mut c = cluster(2);
    apply(&mut c, DEPLOY);
    roll_out(&mut c);
    let old_name = replica_sets(&c)[0]
        .metadata
        .name
        .clone()
        .unwrap_or_default();
    set_image(&mut c, "luksa/kubia:v2");
    let mut seq = vec![(3, 0)];
    let limit = c.now() + SimDuration::from_secs(600);
    while !complete(&c) && c.now() < limit && c.step_to_next_event() {
        let rss = replica_sets(&c);
        let size = |n: usize| rss.get(n).map_or(0, util::rs_replicas);
        let pair = (size(0), size(1));
        if seq.last() != Some(&pair) {
            seq.push(pair);
        }
    }
    assert_eq!(
        seq,
        [(3, 0), (3, 1), (2, 1), (2, 2), (1, 2), (1, 3), (0, 3)]
    );
    let rss = replica_sets(&c);
    let new_name = rss[1].metadata.name.clone().unwrap_or_default();
    assert_eq!(ann(&rss[1], util::REVISION_ANNOTATION), "2");
    assert_eq!(ann(&rss[0], util::REVISION_ANNOTATION), "1");
    let scaling: Vec<String> = events(&c, "Deployment", "kubia")
        .into_iter()
        .filter(|(r, _)| r == "ScalingReplicaSet")
        .map(|(_, m)| m)
        .collect();
    assert_eq!(
        scaling,
        [
            format!("Scaled up replica set {old_name} from 0 to 3"),
            format!("Scaled up replica set {new_name} from 0 to 1"),
            format!("Scaled down replica set {old_name} from 3 to 2"),
            format!("Scaled up replica set {new_name} from 1 to 2"),
            format!("Scaled down replica set {old_name} from 2 to 1"),
            format!("Scaled up replica set {new_name} from 2 to 3"),
            format!("Scaled down replica set {old_name} from 1 to 0"),
        ]
    );
    let d = deployment(&c);
    assert_eq!(
        super::sync::annotation(&d.metadata, util::REVISION_ANNOTATION).as_deref(),
        Some("2")
    );
    assert_eq!(cond(&d, "Progressing").1, "NewReplicaSetAvailable");
}

#[test]
fn recreate_stops_old_pods_first() {
    let mut c = cluster(3);
    apply(
        &mut c,
        &DEPLOY.replace(
            "  replicas: 3\n",
            "  replicas: 3\n  strategy: {type: Recreate}\n",
        ),
    );
    roll_out(&mut c);
    set_image(&mut c, "luksa/kubia:v2");
    let limit = c.now() + SimDuration::from_secs(600);
    let mut overlap = false;
    while !complete(&c) && c.now() < limit && c.step_to_next_event() {
        let rss = replica_sets(&c);
        if rss.len() == 2 {
            let new_hash =
                rss[1].metadata.labels.clone().unwrap_or_default()["pod-template-hash"].clone();
            let old_hash =
                rss[0].metadata.labels.clone().unwrap_or_default()["pod-template-hash"].clone();
            let all = c.list(
                kind_of::<k8s_openapi::api::core::v1::Pod>(),
                Some("default"),
            );
            let has = |h: &str| {
                all.iter().any(|p| {
                    p.meta()
                        .labels
                        .as_ref()
                        .and_then(|l| l.get("pod-template-hash"))
                        .map(String::as_str)
                        == Some(h)
                })
            };
            overlap |= has(&new_hash) && has(&old_hash);
        }
    }
    assert!(complete(&c));
    assert!(!overlap, "new pods started while old ones existed");
    let rss = replica_sets(&c);
    assert_eq!(
        (util::rs_replicas(&rss[0]), util::rs_replicas(&rss[1])),
        (0, 3)
    );
}

#[test]
fn scaling_resizes_the_replica_set() {
    let mut c = cluster(4);
    apply(&mut c, DEPLOY);
    roll_out(&mut c);
    patch_replicas(&mut c, kind_of::<appsv1::Deployment>(), "kubia", 5);
    roll_out(&mut c);
    let rs = &replica_sets(&c)[0];
    let name = rs.metadata.name.clone().unwrap_or_default();
    assert_eq!(util::rs_replicas(rs), 5);
    assert_eq!(ann(rs, util::DESIRED_REPLICAS_ANNOTATION), "5");
    assert_eq!(ann(rs, util::MAX_REPLICAS_ANNOTATION), "7");
    let last = events(&c, "Deployment", "kubia").pop().expect("event");
    assert_eq!(last.1, format!("Scaled up replica set {name} from 3 to 5"));
}

#[test]
fn paused_deployment_does_not_roll_out_until_resumed() {
    let mut c = cluster(5);
    apply(&mut c, DEPLOY);
    roll_out(&mut c);
    edit(&mut c, |d| {
        d.spec.as_mut().expect("spec").paused = Some(true)
    });
    set_image(&mut c, "luksa/kubia:v2");
    c.advance(SimDuration::from_secs(60));
    assert_eq!(replica_sets(&c).len(), 1);
    assert_eq!(
        cond(&deployment(&c), "Progressing"),
        (
            "Unknown".into(),
            "DeploymentPaused".into(),
            "Deployment is paused".into()
        )
    );
    edit(&mut c, |d| d.spec.as_mut().expect("spec").paused = None);
    c.advance(SimDuration::from_millis(1));
    roll_out(&mut c);
    assert_eq!(replica_sets(&c).len(), 2);
    assert_eq!(
        cond(&deployment(&c), "Progressing").1,
        "NewReplicaSetAvailable"
    );
}

#[test]
fn rollback_history_and_cleanup() {
    let mut c = cluster(6);
    apply(
        &mut c,
        &DEPLOY.replace(
            "  replicas: 3\n",
            "  replicas: 3\n  revisionHistoryLimit: 1\n",
        ),
    );
    roll_out(&mut c);
    set_image(&mut c, "luksa/kubia:v2");
    roll_out(&mut c);
    set_image(&mut c, "luksa/kubia:v3");
    roll_out(&mut c);
    c.advance(SimDuration::from_secs(1));
    // Revision 1 was cleaned up; revisions 2 (old) and 3 (current) remain.
    let rss = replica_sets(&c);
    let revs: Vec<String> = rss
        .iter()
        .map(|r| ann(r, util::REVISION_ANNOTATION))
        .collect();
    assert_eq!(revs, ["2", "3"]);
    // The template kubectl's undo applies: the previous revision's, without the hash label.
    let t = super::rollback::rollback_template(&rss, 0).expect("previous revision");
    assert_eq!(
        t.spec.as_ref().expect("spec").containers[0]
            .image
            .as_deref(),
        Some("luksa/kubia:v2")
    );
    assert!(
        !t.metadata
            .clone()
            .unwrap_or_default()
            .labels
            .unwrap_or_default()
            .contains_key("pod-template-hash")
    );
    // The legacy annotation path: roll back to the previous revision.
    edit(&mut c, |d| {
        d.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(util::ROLLBACK_TO_ANNOTATION.into(), "0".into());
    });
    c.advance(SimDuration::from_millis(1));
    roll_out(&mut c);
    let d = deployment(&c);
    assert_eq!(
        d.spec
            .as_ref()
            .expect("spec")
            .template
            .spec
            .as_ref()
            .expect("pod")
            .containers[0]
            .image
            .as_deref(),
        Some("luksa/kubia:v2")
    );
    let ev = events(&c, "Deployment", "kubia");
    assert!(
        ev.contains(&(
            "DeploymentRollback".into(),
            "Rolled back deployment \"kubia\" to revision 2".into()
        )),
        "{ev:?}"
    );
    // The revision-2 ReplicaSet is current again, as revision 4.
    c.advance(SimDuration::from_secs(1));
    let revs: Vec<String> = replica_sets(&c)
        .iter()
        .map(|r| ann(r, util::REVISION_ANNOTATION))
        .collect();
    assert_eq!(revs, ["4", "3"]);
}

#[test]
fn progress_deadline_exceeded() {
    let mut c = cluster(7);
    let yaml = DEPLOY
        .replace(
            "  replicas: 3\n",
            "  replicas: 3\n  progressDeadlineSeconds: 30\n",
        )
        .replace(
            "    spec:\n",
            "    spec:\n      nodeSelector: {disk: ssd}\n",
        );
    apply(&mut c, &yaml);
    c.advance(SimDuration::from_secs(29));
    let name = replica_sets(&c)[0]
        .metadata
        .name
        .clone()
        .unwrap_or_default();
    // The new ReplicaSet's pods were created (Pending), which counts as progress.
    assert_eq!(
        cond(&deployment(&c), "Progressing"),
        (
            "True".into(),
            "ReplicaSetUpdated".into(),
            format!("ReplicaSet \"{name}\" is progressing.")
        )
    );
    c.advance(SimDuration::from_secs(2));
    assert_eq!(
        cond(&deployment(&c), "Progressing"),
        (
            "False".into(),
            "ProgressDeadlineExceeded".into(),
            format!("ReplicaSet \"{name}\" has timed out progressing.")
        )
    );
    assert_eq!(
        cond(&deployment(&c), "Available"),
        (
            "False".into(),
            "MinimumReplicasUnavailable".into(),
            "Deployment does not have minimum availability.".into()
        )
    );
}

#[test]
fn preset_coredns_deployment_keeps_its_replica_set() {
    for mut c in [crate::presets::minikube(1), crate::presets::kubeadm(1)] {
        c.advance(SimDuration::from_secs(120));
        let rss: Vec<String> = c
            .list(kind_of::<appsv1::ReplicaSet>(), Some("kube-system"))
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(rss.len(), 1, "{rss:?}");
        // The one scale-up of the presets' coredns Deployment, as on a fresh cluster.
        let deployment_events: Vec<String> = c
            .list(kind_of::<k8s_openapi::api::core::v1::Event>(), None)
            .iter()
            .filter_map(|o| match &**o {
                Object::Event(e) if e.involved_object.kind.as_deref() == Some("Deployment") => {
                    e.reason.clone()
                }
                _ => None,
            })
            .collect();
        assert_eq!(deployment_events, ["ScalingReplicaSet"]);
    }
}
