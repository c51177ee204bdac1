//! Which field labels each kind supports in field selectors, and their values.
//!
//! Mirrors the `GetAttrs`/`AddFieldLabelConversionFunc` tables of Kubernetes v1.34
//! (pkg/registry/core/pod/strategy.go `ToSelectableFields`, pkg/apis/core/v1/conversion.go,
//! pkg/registry/core/event/strategy.go, apps/batch v1 conversion.go): every kind supports
//! `metadata.name` and, when namespaced, `metadata.namespace`.

use api::Object;
use machinery::fields::FieldSelector;

use super::compact;
use super::error::StoreError;

/// Checks that every field of `selector` is supported for the kind of `info`.
///
/// # Errors
/// BadRequest `field label not supported: <field>`.
pub fn check_supported(info: &api::KindInfo, selector: &FieldSelector) -> Result<(), StoreError> {
    for term in selector.terms() {
        if !supported(info, &term.field) {
            return Err(StoreError::BadRequest(format!(
                "field label not supported: {}",
                term.field
            )));
        }
    }
    Ok(())
}

/// True when `field` is a selectable field of the kind.
pub fn supported(info: &api::KindInfo, field: &str) -> bool {
    if field == "metadata.name" || (info.namespaced && field == "metadata.namespace") {
        return true;
    }
    kind_fields(info.group, info.kind).contains(&field)
}

/// The value of a selectable field of `obj`; None when the field is unset (which selectors
/// treat as the empty string).
pub fn value(obj: &Object, field: &str) -> Option<String> {
    match field {
        "metadata.name" => return obj.meta().name.clone(),
        "metadata.namespace" => return obj.meta().namespace.clone(),
        _ => {}
    }
    match obj {
        Object::Pod(p) => {
            let spec = p.spec.as_ref();
            let status = p.status.as_ref();
            match field {
                "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
                "spec.restartPolicy" => spec.and_then(|s| s.restart_policy.clone()),
                "spec.schedulerName" => spec.and_then(|s| s.scheduler_name.clone()),
                "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
                "spec.hostNetwork" => Some(
                    spec.and_then(|s| s.host_network)
                        .unwrap_or(false)
                        .to_string(),
                ),
                "status.phase" => status.and_then(|s| s.phase.clone()),
                "status.podIP" => status.and_then(|s| s.pod_ip.clone()),
                "status.nominatedNodeName" => status.and_then(|s| s.nominated_node_name.clone()),
                _ => None,
            }
        }
        Object::Event(e) => {
            let io = &e.involved_object;
            match field {
                "involvedObject.kind" => io.kind.clone(),
                "involvedObject.namespace" => io.namespace.clone(),
                "involvedObject.name" => io.name.clone(),
                "involvedObject.uid" => io.uid.clone(),
                "involvedObject.apiVersion" => io.api_version.clone(),
                "involvedObject.resourceVersion" => io.resource_version.clone(),
                "involvedObject.fieldPath" => io.field_path.clone(),
                "reason" => e.reason.clone(),
                "reportingComponent" => e.reporting_component.clone(),
                "source" => e.source.as_ref().and_then(|s| s.component.clone()),
                "type" => e.type_.clone(),
                _ => None,
            }
        }
        Object::Node(n) => match field {
            "spec.unschedulable" => Some(
                n.spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                    .to_string(),
            ),
            _ => None,
        },
        Object::Namespace(ns) => match field {
            "status.phase" => ns.status.as_ref().and_then(|s| s.phase.clone()),
            _ => None,
        },
        Object::Secret(s) => match field {
            "type" => s.type_.clone(),
            _ => None,
        },
        Object::ReplicaSet(rs) => match field {
            "status.replicas" => rs.status.as_ref().map(|s| s.replicas.to_string()),
            _ => None,
        },
        Object::ReplicationController(rc) => match field {
            "status.replicas" => rc.status.as_ref().map(|s| s.replicas.to_string()),
            _ => None,
        },
        Object::Job(j) => match field {
            "status.successful" => Some(
                j.status
                    .as_ref()
                    .and_then(|s| s.succeeded)
                    .unwrap_or(0)
                    .to_string(),
            ),
            _ => None,
        },
        Object::Service(s) => match field {
            "spec.clusterIP" => s.spec.as_ref().and_then(|s| s.cluster_ip.clone()),
            "spec.type" => s.spec.as_ref().and_then(|s| s.type_.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `value` of a compact pod or event, read from its bytes without decoding it; the same
/// fields and the same answers as `value` gives for the decoded object (a test compares them
/// over varied objects).
pub(crate) fn compact_value(obj: &compact::Peek<'_>, field: &str) -> Option<String> {
    let text = |path: &[&str]| obj.str_at(path).map(str::to_string);
    match field {
        "metadata.name" => return text(&["metadata", "name"]),
        "metadata.namespace" => return text(&["metadata", "namespace"]),
        _ => {}
    }
    match obj.kind {
        compact::Kind::Pod => match field {
            "spec.nodeName" => text(&["spec", "nodeName"]),
            "spec.restartPolicy" => text(&["spec", "restartPolicy"]),
            "spec.schedulerName" => text(&["spec", "schedulerName"]),
            "spec.serviceAccountName" => text(&["spec", "serviceAccountName"]),
            "spec.hostNetwork" => Some(
                obj.bool_at(&["spec", "hostNetwork"])
                    .unwrap_or(false)
                    .to_string(),
            ),
            "status.phase" => text(&["status", "phase"]),
            "status.podIP" => text(&["status", "podIP"]),
            "status.nominatedNodeName" => text(&["status", "nominatedNodeName"]),
            _ => None,
        },
        compact::Kind::Event => match field {
            "involvedObject.kind" => text(&["involvedObject", "kind"]),
            "involvedObject.namespace" => text(&["involvedObject", "namespace"]),
            "involvedObject.name" => text(&["involvedObject", "name"]),
            "involvedObject.uid" => text(&["involvedObject", "uid"]),
            "involvedObject.apiVersion" => text(&["involvedObject", "apiVersion"]),
            "involvedObject.resourceVersion" => text(&["involvedObject", "resourceVersion"]),
            "involvedObject.fieldPath" => text(&["involvedObject", "fieldPath"]),
            "reason" => text(&["reason"]),
            "reportingComponent" => text(&["reportingComponent"]),
            "source" => text(&["source", "component"]),
            "type" => text(&["type"]),
            _ => None,
        },
    }
}

pub(crate) fn kind_fields(group: &str, kind: &str) -> &'static [&'static str] {
    match (group, kind) {
        ("", "Pod") => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        ("", "Event") => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        ("", "Node") => &["spec.unschedulable"],
        ("", "Namespace") => &["status.phase"],
        ("", "Secret") => &["type"],
        ("", "ReplicationController") | ("apps", "ReplicaSet") => &["status.replicas"],
        ("batch", "Job") => &["status.successful"],
        ("", "Service") => &["spec.clusterIP", "spec.type"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_table() {
        struct Case {
            name: &'static str,
            gvk: (&'static str, &'static str),
            selector: &'static str,
            want: Result<(), &'static str>,
        }
        let cases = [
            Case {
                name: "pod node",
                gvk: ("v1", "Pod"),
                selector: "spec.nodeName=n1",
                want: Ok(()),
            },
            Case {
                name: "pod phase",
                gvk: ("v1", "Pod"),
                selector: "status.phase!=Running",
                want: Ok(()),
            },
            Case {
                name: "pod unknown",
                gvk: ("v1", "Pod"),
                selector: "spec.foo=x",
                want: Err("field label not supported: spec.foo"),
            },
            Case {
                name: "event reason",
                gvk: ("v1", "Event"),
                selector: "involvedObject.name=web,reason=Killing",
                want: Ok(()),
            },
            Case {
                name: "ns on cluster kind",
                gvk: ("v1", "Node"),
                selector: "metadata.namespace=x",
                want: Err("field label not supported: metadata.namespace"),
            },
            Case {
                name: "name everywhere",
                gvk: ("apps/v1", "Deployment"),
                selector: "metadata.name=web",
                want: Ok(()),
            },
        ];
        for case in &cases {
            let info = api::by_gvk(case.gvk.0, case.gvk.1).expect("kind");
            let sel = machinery::fields::parse(case.selector).expect("parse");
            let got = check_supported(info, &sel).map_err(|e| e.to_string());
            assert_eq!(got, case.want.map_err(str::to_string), "case {}", case.name);
        }
    }
}
