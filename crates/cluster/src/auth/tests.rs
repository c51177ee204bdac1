use super::*;
use crate::apiserver::CreateOptions;
use crate::controller::kind_of;
use api::Object;
use k8s_openapi::api::core::v1 as corev1;

fn apply(c: &mut crate::sim::Cluster, yaml: &str) {
    for d in api::decode(yaml, "test.yaml") {
        c.store_mut()
            .create(None, d.expect("decode").object, &CreateOptions::default())
            .expect("create");
    }
    c.settle();
}

fn attrs(verb: &str, group: &str, resource: &str, ns: &str) -> Attributes {
    Attributes {
        verb: verb.into(),
        namespace: ns.into(),
        api_group: group.into(),
        resource: resource.into(),
        ..Default::default()
    }
}

#[test]
fn roles_bindings_and_aggregation_decide() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: default}
subjects:
- {kind: ServiceAccount, name: foo, namespace: default}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: jane-view}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}
"#,
    );
    let store = c.store();
    let foo = UserInfo::impersonated("system:serviceaccount:default:foo", &[]);
    let jane = UserInfo::impersonated("jane", &[]);
    let cases = [
        (&foo, attrs("list", "", "pods", "default"), true),
        (&foo, attrs("delete", "", "pods", "default"), false),
        (&foo, attrs("list", "", "pods", "kube-system"), false),
        (&foo, attrs("list", "apps", "deployments", "default"), false),
        (
            &jane,
            attrs("list", "apps", "deployments", "kube-system"),
            true,
        ),
        (&jane, attrs("get", "", "secrets", "default"), false),
        (&jane, attrs("create", "", "pods", "default"), false),
    ];
    for (user, a, want) in cases {
        assert_eq!(
            authorize(store, user, &a).is_ok(),
            want,
            "{} {a:?}",
            user.name
        );
    }
    let selfreview = Attributes {
        verb: "create".into(),
        api_group: "authorization.k8s.io".into(),
        resource: "selfsubjectaccessreviews".into(),
        ..Default::default()
    };
    assert!(authorize(store, &foo, &selfreview).is_ok());
}

#[test]
fn impersonated_requests_get_the_api_servers_forbidden_text() {
    let mut c = crate::presets::minikube(1);
    apply(
        &mut c,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: default}\nsubjects: [{kind: User, name: bob}]\nroleRef: {kind: Role, name: missing, apiGroup: rbac.authorization.k8s.io}\n",
    );
    let store = c.store_mut();
    store.set_requester(Some(UserInfo::impersonated(
        "system:serviceaccount:default:foo",
        &[],
    )));
    let err = store
        .list(
            kind_of::<corev1::Pod>(),
            Some("default"),
            &Default::default(),
        )
        .expect_err("denied");
    assert_eq!(
        err.to_string(),
        "pods is forbidden: User \"system:serviceaccount:default:foo\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    let err = store
        .get(kind_of::<corev1::Node>(), None, "minikube")
        .expect_err("denied");
    assert_eq!(
        err.to_string(),
        "nodes \"minikube\" is forbidden: User \"system:serviceaccount:default:foo\" cannot get resource \"nodes\" in API group \"\" at the cluster scope"
    );
    store.set_requester(Some(UserInfo::impersonated("bob", &[])));
    let err = store
        .list(
            kind_of::<k8s_openapi::api::apps::v1::Deployment>(),
            Some("default"),
            &Default::default(),
        )
        .expect_err("denied");
    assert_eq!(
        err.to_string(),
        "deployments.apps is forbidden: User \"bob\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"default\": RBAC: role.rbac.authorization.k8s.io \"missing\" not found"
    );
    store.set_requester(Some(UserInfo::minikube_admin()));
    assert!(
        store
            .list(
                kind_of::<corev1::Pod>(),
                Some("default"),
                &Default::default()
            )
            .is_ok()
    );
    store.set_requester(None);
    let _ = Object::Pod(Default::default());
}

#[test]
fn in_cluster_requests_map_paths_to_attributes() {
    let cases = [
        (
            "GET",
            "/api/v1/namespaces/default/pods",
            "list",
            "",
            "pods",
            "",
            "default",
        ),
        (
            "GET",
            "/api/v1/namespaces/default/pods/web",
            "get",
            "",
            "pods",
            "web",
            "default",
        ),
        (
            "GET",
            "/api/v1/namespaces/default/pods?watch=true",
            "watch",
            "",
            "pods",
            "",
            "default",
        ),
        (
            "DELETE",
            "/apis/apps/v1/namespaces/x/deployments",
            "deletecollection",
            "apps",
            "deployments",
            "",
            "x",
        ),
        ("GET", "/api/v1/nodes", "list", "", "nodes", "", ""),
        (
            "POST",
            "/api/v1/namespaces",
            "create",
            "",
            "namespaces",
            "",
            "",
        ),
    ];
    for (method, path, verb, group, resource, name, ns) in cases {
        let (a, _) = request_attributes(method, path);
        assert_eq!(
            (
                a.verb.as_str(),
                a.api_group.as_str(),
                a.resource.as_str(),
                a.name.as_str(),
                a.namespace.as_str()
            ),
            (verb, group, resource, name, ns),
            "{method} {path}"
        );
    }
    let c = crate::presets::minikube(1);
    let token = crate::kubelet::volumes::service_account_token(&crate::kubelet::env::EnvContext {
        store: c.store(),
        pod: &corev1::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some("p".into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        pod_ip: "",
        host_ip: "",
    });
    let err = authorize_token_request(
        c.store(),
        Some(&token),
        "GET",
        "/api/v1/namespaces/default/pods",
    )
    .expect_err("denied");
    assert_eq!(
        err.to_string(),
        "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    assert!(authorize_token_request(c.store(), Some(&token), "GET", "/version").is_ok());
    assert_eq!(
        authorize_token_request(c.store(), Some("garbage"), "GET", "/version"),
        Err(TokenRequestError::Unauthorized)
    );
}
