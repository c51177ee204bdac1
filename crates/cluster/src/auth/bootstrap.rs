//! The RBAC objects the API server creates at start-up.
//!
//! Mirrors plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (v1.34) for the roles a
//! learner meets: `cluster-admin`, the aggregated user-facing `admin`/`edit`/`view` with their
//! `system:aggregate-to-*` parts, `system:basic-user`, `system:discovery`,
//! `system:public-info-viewer`, `system:service-account-issuer-discovery`, and their
//! bindings. The aggregated roles are stored with their aggregated rules, as the
//! clusterrole-aggregation controller leaves them.
//!
//! Deliberate gap: the controller and node roles (`system:controller:*`, `system:node`) are
//! not created; system components here act without a requester.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::apiserver::{CreateOptions, Store};

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const READ_WRITE: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

fn rule(verbs: &[&str], groups: &[&str], resources: &[&str]) -> rbacv1::PolicyRule {
    rbacv1::PolicyRule {
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        api_groups: Some(groups.iter().map(|s| s.to_string()).collect()),
        resources: Some(resources.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

fn urls(verbs: &[&str], urls: &[&str]) -> rbacv1::PolicyRule {
    rbacv1::PolicyRule {
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        non_resource_urls: Some(urls.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

fn view_rules() -> Vec<rbacv1::PolicyRule> {
    vec![
        rule(
            READ,
            &[""],
            &[
                "pods",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
            ],
        ),
        rule(
            READ,
            &[""],
            &[
                "limitranges",
                "resourcequotas",
                "bindings",
                "events",
                "pods/status",
                "resourcequotas/status",
                "namespaces/status",
                "replicationcontrollers/status",
                "pods/log",
            ],
        ),
        rule(READ, &[""], &["namespaces"]),
        rule(READ, &["discovery.k8s.io"], &["endpointslices"]),
        rule(
            READ,
            &["apps"],
            &[
                "statefulsets",
                "statefulsets/scale",
                "statefulsets/status",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "controllerrevisions",
            ],
        ),
        rule(
            READ,
            &["autoscaling"],
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
        ),
        rule(
            READ,
            &["batch"],
            &["jobs", "cronjobs", "cronjobs/status", "jobs/status"],
        ),
        rule(
            READ,
            &["extensions"],
            &[
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "ingresses",
                "ingresses/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "replicationcontrollers/scale",
                "networkpolicies",
            ],
        ),
        rule(
            READ,
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
        ),
        rule(
            READ,
            &["networking.k8s.io"],
            &["networkpolicies", "ingresses", "ingresses/status"],
        ),
    ]
}

fn edit_rules() -> Vec<rbacv1::PolicyRule> {
    vec![
        rule(
            READ,
            &[""],
            &[
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
                "secrets",
                "services/proxy",
            ],
        ),
        rule(&["impersonate"], &[""], &["serviceaccounts"]),
        rule(
            WRITE,
            &[""],
            &[
                "pods",
                "pods/attach",
                "pods/proxy",
                "pods/exec",
                "pods/portforward",
            ],
        ),
        rule(&["create"], &[""], &["pods/eviction"]),
        rule(
            WRITE,
            &[""],
            &[
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "serviceaccounts",
                "services",
                "services/proxy",
                "persistentvolumeclaims",
                "configmaps",
                "secrets",
                "events",
            ],
        ),
        rule(&["create"], &[""], &["serviceaccounts/token"]),
        rule(
            WRITE,
            &["apps"],
            &[
                "statefulsets",
                "statefulsets/scale",
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "replicasets",
                "replicasets/scale",
            ],
        ),
        rule(WRITE, &["autoscaling"], &["horizontalpodautoscalers"]),
        rule(WRITE, &["batch"], &["jobs", "cronjobs"]),
        rule(
            WRITE,
            &["extensions"],
            &[
                "daemonsets",
                "deployments",
                "deployments/scale",
                "deployments/rollback",
                "ingresses",
                "replicasets",
                "replicasets/scale",
                "replicationcontrollers/scale",
                "networkpolicies",
            ],
        ),
        rule(WRITE, &["policy"], &["poddisruptionbudgets"]),
        rule(
            WRITE,
            &["networking.k8s.io"],
            &["networkpolicies", "ingresses"],
        ),
        rule(READ_WRITE, &["coordination.k8s.io"], &["leases"]),
    ]
}

fn admin_rules() -> Vec<rbacv1::PolicyRule> {
    vec![
        rule(
            &["create"],
            &["authorization.k8s.io"],
            &["localsubjectaccessreviews"],
        ),
        rule(
            READ_WRITE,
            &["rbac.authorization.k8s.io"],
            &["roles", "rolebindings"],
        ),
    ]
}

fn meta(name: &str, labels: &[(&str, &str)]) -> metav1::ObjectMeta {
    let mut l: BTreeMap<String, String> = [(
        "kubernetes.io/bootstrapping".to_string(),
        "rbac-defaults".to_string(),
    )]
    .into();
    for (k, v) in labels {
        l.insert((*k).into(), (*v).into());
    }
    metav1::ObjectMeta {
        name: Some(name.into()),
        labels: Some(l),
        annotations: Some(
            [(
                "rbac.authorization.kubernetes.io/autoupdate".to_string(),
                "true".to_string(),
            )]
            .into(),
        ),
        ..Default::default()
    }
}

fn aggregated(label: &str) -> Option<rbacv1::AggregationRule> {
    Some(rbacv1::AggregationRule {
        cluster_role_selectors: Some(vec![metav1::LabelSelector {
            match_labels: Some([(label.to_string(), "true".to_string())].into()),
            ..Default::default()
        }]),
    })
}

/// The default ClusterRoles.
pub fn cluster_roles() -> Vec<rbacv1::ClusterRole> {
    let to_admin = "rbac.authorization.k8s.io/aggregate-to-admin";
    let to_edit = "rbac.authorization.k8s.io/aggregate-to-edit";
    let to_view = "rbac.authorization.k8s.io/aggregate-to-view";
    let role =
        |name: &str, labels: &[(&str, &str)], rules: Vec<rbacv1::PolicyRule>| rbacv1::ClusterRole {
            metadata: meta(name, labels),
            rules: Some(rules),
            aggregation_rule: None,
        };
    let view = view_rules();
    let mut edit = edit_rules();
    edit.extend(view.clone());
    let mut admin = admin_rules();
    admin.extend(edit.clone());
    vec![
        role(
            "cluster-admin",
            &[],
            vec![rule(&["*"], &["*"], &["*"]), urls(&["*"], &["*"])],
        ),
        rbacv1::ClusterRole {
            aggregation_rule: aggregated(to_admin),
            ..role("admin", &[], admin)
        },
        rbacv1::ClusterRole {
            aggregation_rule: aggregated(to_edit),
            ..role("edit", &[(to_admin, "true")], edit)
        },
        rbacv1::ClusterRole {
            aggregation_rule: aggregated(to_view),
            ..role("view", &[(to_edit, "true")], view.clone())
        },
        role(
            "system:aggregate-to-admin",
            &[(to_admin, "true")],
            admin_rules(),
        ),
        role(
            "system:aggregate-to-edit",
            &[(to_edit, "true")],
            edit_rules(),
        ),
        role("system:aggregate-to-view", &[(to_view, "true")], view),
        role(
            "system:basic-user",
            &[],
            vec![
                rule(
                    &["create"],
                    &["authorization.k8s.io"],
                    &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                ),
                rule(
                    &["create"],
                    &["authentication.k8s.io"],
                    &["selfsubjectreviews"],
                ),
            ],
        ),
        role(
            "system:discovery",
            &[],
            vec![urls(
                &["get"],
                &[
                    "/api",
                    "/api/*",
                    "/apis",
                    "/apis/*",
                    "/healthz",
                    "/livez",
                    "/openapi",
                    "/openapi/*",
                    "/readyz",
                    "/version",
                    "/version/",
                ],
            )],
        ),
        role(
            "system:public-info-viewer",
            &[],
            vec![urls(
                &["get"],
                &["/healthz", "/livez", "/readyz", "/version", "/version/"],
            )],
        ),
        role(
            "system:service-account-issuer-discovery",
            &[],
            vec![urls(
                &["get"],
                &[
                    "/.well-known/openid-configuration",
                    "/.well-known/openid-configuration/",
                    "/openid/v1/jwks",
                    "/openid/v1/jwks/",
                ],
            )],
        ),
    ]
}

/// The default ClusterRoleBindings.
pub fn cluster_role_bindings() -> Vec<rbacv1::ClusterRoleBinding> {
    let binding = |name: &str, role: &str, groups: &[&str]| rbacv1::ClusterRoleBinding {
        metadata: meta(name, &[]),
        role_ref: rbacv1::RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind: "ClusterRole".into(),
            name: role.into(),
        },
        subjects: Some(
            groups
                .iter()
                .map(|g| rbacv1::Subject {
                    api_group: Some("rbac.authorization.k8s.io".into()),
                    kind: "Group".into(),
                    name: (*g).into(),
                    namespace: None,
                })
                .collect(),
        ),
    };
    vec![
        binding("cluster-admin", "cluster-admin", &["system:masters"]),
        binding(
            "system:basic-user",
            "system:basic-user",
            &["system:authenticated"],
        ),
        binding(
            "system:discovery",
            "system:discovery",
            &["system:authenticated"],
        ),
        binding(
            "system:public-info-viewer",
            "system:public-info-viewer",
            &["system:authenticated", "system:unauthenticated"],
        ),
        binding(
            "system:service-account-issuer-discovery",
            "system:service-account-issuer-discovery",
            &["system:serviceaccounts"],
        ),
    ]
}

/// Creates the default roles and bindings.
pub fn install(store: &mut Store) {
    for r in cluster_roles() {
        let _ = store.create(None, Object::ClusterRole(r), &CreateOptions::default());
    }
    for b in cluster_role_bindings() {
        let _ = store.create(
            None,
            Object::ClusterRoleBinding(b),
            &CreateOptions::default(),
        );
    }
}
