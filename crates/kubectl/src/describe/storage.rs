//! PersistentVolume, PersistentVolumeClaim and StorageClass.
//!
//! Mirrors describe.go `describePersistentVolume`, `describePersistentVolumeClaim`
//! (`printPersistentVolumeClaim`, `getPodsForPVC`) and `describeStorageClass` (v1.34).

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::storage::v1 as storagev1;

use super::Describe;
use super::writer::{self, LEVEL_0, LEVEL_1, LEVEL_2, PrefixWriter, time_text, w};

/// storageutil.GetAccessModesAsString: `RWO,ROX,RWX,RWOP` in that order.
fn access_modes(modes: Option<&Vec<String>>) -> String {
    let modes = modes.cloned().unwrap_or_default();
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| modes.iter().any(|x| x == m))
    .map(|(_, s)| *s)
    .collect::<Vec<_>>()
    .join(",")
}

fn finalizers(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    writer::go_slice(&meta.finalizers.clone().unwrap_or_default())
}

pub fn persistent_volume(pv: &corev1::PersistentVolume, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let spec = pv.spec.clone().unwrap_or_default();
    let status = pv.status.clone().unwrap_or_default();
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        pv.metadata.name.as_deref().unwrap_or("")
    );
    writer::labels(&mut w, "Labels", pv.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", pv.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "Finalizers:\t{}\n", finalizers(&pv.metadata));
    let class = spec.storage_class_name.clone().unwrap_or_else(|| {
        pv.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
            .unwrap_or_default()
    });
    w!(w, LEVEL_0, "StorageClass:\t{class}\n");
    match &pv.metadata.deletion_timestamp {
        Some(t) => w!(
            w,
            LEVEL_0,
            "Status:\tTerminating (lasts {})\n",
            writer::since(d.now, Some(t))
        ),
        None => w!(
            w,
            LEVEL_0,
            "Status:\t{}\n",
            status.phase.as_deref().unwrap_or("")
        ),
    }
    match &spec.claim_ref {
        Some(c) => w!(
            w,
            LEVEL_0,
            "Claim:\t{}/{}\n",
            c.namespace.as_deref().unwrap_or(""),
            c.name.as_deref().unwrap_or("")
        ),
        None => w!(w, LEVEL_0, "Claim:\t\n"),
    }
    w!(
        w,
        LEVEL_0,
        "Reclaim Policy:\t{}\n",
        spec.persistent_volume_reclaim_policy
            .as_deref()
            .unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "Access Modes:\t{}\n",
        access_modes(spec.access_modes.as_ref())
    );
    if let Some(m) = &spec.volume_mode {
        w!(w, LEVEL_0, "VolumeMode:\t{m}\n");
    }
    let cap = spec
        .capacity
        .as_ref()
        .and_then(|c| c.get("storage"))
        .map_or_else(|| "0".to_string(), writer::quantity_text);
    w!(w, LEVEL_0, "Capacity:\t{cap}\n");
    w!(w, LEVEL_0, "Node Affinity:\t");
    match spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.required.as_ref())
    {
        None => w.line("<none>"),
        Some(req) => {
            w.line("");
            w!(w, LEVEL_1, "Required Terms:\t");
            if req.node_selector_terms.is_empty() {
                w.line("<none>");
            } else {
                w.line("");
                for (i, term) in req.node_selector_terms.iter().enumerate() {
                    w!(w, LEVEL_2, "Term {i}:\t");
                    let exprs = term.match_expressions.clone().unwrap_or_default();
                    if exprs.is_empty() {
                        w.line("<none>");
                    }
                    for (j, e) in exprs.iter().enumerate() {
                        if j != 0 {
                            w!(w, LEVEL_2, "\t");
                        }
                        let vals = e.values.clone().unwrap_or_default();
                        let op = e.operator.as_str();
                        let text = match op {
                            "In" => format!("{} in [{}]", e.key, vals.join(", ")),
                            "NotIn" => format!("{} notin [{}]", e.key, vals.join(", ")),
                            "Exists" => e.key.clone(),
                            "DoesNotExist" => format!("!{}", e.key),
                            other => format!("{} {other} [{}]", e.key, vals.join(", ")),
                        };
                        w!(w, LEVEL_0, "{text}\n");
                    }
                }
            }
        }
    }
    w!(
        w,
        LEVEL_0,
        "Message:\t{}\n",
        status.message.as_deref().unwrap_or("")
    );
    w!(w, LEVEL_0, "Source:\n");
    if let Some(h) = &spec.host_path {
        w!(
            w,
            LEVEL_2,
            "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
            h.path,
            h.type_.as_deref().unwrap_or("<none>")
        );
    } else if let Some(n) = &spec.nfs {
        w!(
            w,
            LEVEL_2,
            "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
            n.server,
            n.path,
            n.read_only.unwrap_or(false)
        );
    } else if let Some(l) = &spec.local {
        w!(
            w,
            LEVEL_2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
            l.path
        );
    } else if let Some(g) = &spec.gce_persistent_disk {
        w!(
            w,
            LEVEL_2,
            "Type:\tGCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)\n    PDName:\t{}\n    FSType:\t{}\n    Partition:\t{}\n    ReadOnly:\t{}\n",
            g.pd_name,
            g.fs_type.as_deref().unwrap_or(""),
            g.partition.unwrap_or(0),
            g.read_only.unwrap_or(false)
        );
    } else {
        w!(w, LEVEL_1, "<unknown>\n");
    }
    d.maybe_events(&mut w, &Object::PersistentVolume(pv.clone()));
    w.finish()
}

pub fn persistent_volume_claim(
    pvc: &corev1::PersistentVolumeClaim,
    d: &Describe<'_, '_>,
) -> String {
    let mut w = PrefixWriter::new();
    let spec = pvc.spec.clone().unwrap_or_default();
    let status = pvc.status.clone().unwrap_or_default();
    let ns = pvc.metadata.namespace.as_deref();
    let name = pvc.metadata.name.as_deref().unwrap_or("");
    w!(w, LEVEL_0, "Name:\t{name}\n");
    w!(w, LEVEL_0, "Namespace:\t{}\n", ns.unwrap_or(""));
    let class = spec.storage_class_name.clone().unwrap_or_else(|| {
        pvc.metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
            .unwrap_or_default()
    });
    w!(w, LEVEL_0, "StorageClass:\t{class}\n");
    match &pvc.metadata.deletion_timestamp {
        Some(t) => w!(
            w,
            LEVEL_0,
            "Status:\tTerminating (lasts {})\n",
            writer::since(d.now, Some(t))
        ),
        None => w!(
            w,
            LEVEL_0,
            "Status:\t{}\n",
            status.phase.as_deref().unwrap_or("")
        ),
    }
    let volume = spec.volume_name.clone().unwrap_or_default();
    w!(w, LEVEL_0, "Volume:\t{volume}\n");
    writer::labels(&mut w, "Labels", pvc.metadata.labels.as_ref());
    writer::annotations(&mut w, "Annotations", pvc.metadata.annotations.as_ref());
    w!(w, LEVEL_0, "Finalizers:\t{}\n", finalizers(&pvc.metadata));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            status
                .capacity
                .as_ref()
                .and_then(|c| c.get("storage"))
                .map_or_else(|| "0".to_string(), writer::quantity_text),
            access_modes(status.access_modes.as_ref()),
        )
    };
    w!(w, LEVEL_0, "Capacity:\t{capacity}\n");
    w!(w, LEVEL_0, "Access Modes:\t{modes}\n");
    if let Some(m) = &spec.volume_mode {
        w!(w, LEVEL_0, "VolumeMode:\t{m}\n");
    }
    if let Some(ds) = &spec.data_source {
        w!(w, LEVEL_0, "DataSource:\n");
        if let Some(g) = &ds.api_group {
            w!(w, LEVEL_1, "APIGroup:\t{g}\n");
        }
        w!(w, LEVEL_1, "Kind:\t{}\n", ds.kind);
        w!(w, LEVEL_1, "Name:\t{}\n", ds.name);
    }
    // getPodsForPVC: pods of the namespace with a volume that claims it.
    let mut users: Vec<String> = d
        .list("Pod", "v1", ns)
        .iter()
        .filter_map(|o| match &**o {
            Object::Pod(p)
                if p.spec
                    .iter()
                    .flat_map(|s| s.volumes.iter().flatten())
                    .any(|v| {
                        v.persistent_volume_claim
                            .as_ref()
                            .is_some_and(|c| c.claim_name == name)
                    }) =>
            {
                p.metadata.name.clone()
            }
            _ => None,
        })
        .collect();
    machinery::sort::sort(&mut users);
    w!(w, LEVEL_0, "Used By:\t");
    if users.is_empty() {
        w.line("<none>");
    }
    for (i, u) in users.iter().enumerate() {
        if i != 0 {
            w!(w, LEVEL_0, "\t");
        }
        w!(w, LEVEL_0, "{u}\n");
    }
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w!(w, LEVEL_0, "Conditions:\n");
        w!(
            w,
            LEVEL_1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n"
        );
        w!(
            w,
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n"
        );
        let zero = || "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
        for c in conds {
            w!(
                w,
                LEVEL_1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                c.type_,
                c.status,
                c.last_probe_time.as_ref().map_or_else(zero, time_text),
                c.last_transition_time.as_ref().map_or_else(zero, time_text),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            );
        }
    }
    d.maybe_events(&mut w, &Object::PersistentVolumeClaim(pvc.clone()));
    w.finish()
}

pub fn storage_class(sc: &storagev1::StorageClass, d: &Describe<'_, '_>) -> String {
    let mut w = PrefixWriter::new();
    let ann = sc.metadata.annotations.clone().unwrap_or_default();
    // storageutil.IsDefaultAnnotationText.
    let is_default = ann
        .get("storageclass.kubernetes.io/is-default-class")
        .map(String::as_str)
        == Some("true")
        || ann
            .get("storageclass.beta.kubernetes.io/is-default-class")
            .map(String::as_str)
            == Some("true");
    w!(
        w,
        LEVEL_0,
        "Name:\t{}\n",
        sc.metadata.name.as_deref().unwrap_or("")
    );
    w!(
        w,
        LEVEL_0,
        "IsDefaultClass:\t{}\n",
        if is_default { "Yes" } else { "No" }
    );
    w!(
        w,
        LEVEL_0,
        "Annotations:\t{}\n",
        writer::format_labels(sc.metadata.annotations.as_ref())
    );
    w!(w, LEVEL_0, "Provisioner:\t{}\n", sc.provisioner);
    w!(
        w,
        LEVEL_0,
        "Parameters:\t{}\n",
        writer::format_labels(sc.parameters.as_ref())
    );
    w!(
        w,
        LEVEL_0,
        "AllowVolumeExpansion:\t{}\n",
        writer::bool_ptr_text(sc.allow_volume_expansion)
    );
    match sc.mount_options.as_ref().filter(|m| !m.is_empty()) {
        None => w!(w, LEVEL_0, "MountOptions:\t<none>\n"),
        Some(opts) => {
            w!(w, LEVEL_0, "MountOptions:\n");
            for o in opts {
                w!(w, LEVEL_1, "{o}\n");
            }
        }
    }
    if let Some(p) = &sc.reclaim_policy {
        w!(w, LEVEL_0, "ReclaimPolicy:\t{p}\n");
    }
    if let Some(m) = &sc.volume_binding_mode {
        w!(w, LEVEL_0, "VolumeBindingMode:\t{m}\n");
    }
    d.maybe_events(&mut w, &Object::StorageClass(sc.clone()));
    w.finish()
}
