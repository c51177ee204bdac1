//! The static registry of every resource kubelab serves, with the names kubectl resolves.
//!
//! The rows mirror `kubectl api-resources -o wide` against a v1.34 cluster: plural name, short
//! names, group/version, scope, kind, verbs and categories. Only the served version of each kind
//! appears in `api-resources`; older served versions that kubelab also accepts (for example
//! `autoscaling/v1` HorizontalPodAutoscaler) are extra rows with `preferred == false`.

/// The verbs of an ordinary namespaced or cluster-scoped resource.
pub const STANDARD_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// Namespaces cannot be deleted as a collection (`kubectl api-resources -o wide`).
const NAMESPACE_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];

/// One served resource: what `kubectl api-resources` prints about it, plus its singular name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// API group; empty for the core group.
    pub group: &'static str,
    /// Version within the group, e.g. `v1`.
    pub version: &'static str,
    /// The `kind` field value, e.g. `Deployment`.
    pub kind: &'static str,
    /// Plural resource name used in URLs and by kubectl, e.g. `deployments`.
    pub plural: &'static str,
    /// Short names accepted by kubectl, e.g. `deploy`.
    pub short_names: &'static [&'static str],
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// Verbs the resource supports.
    pub verbs: &'static [&'static str],
    /// Categories such as `all`, used by `kubectl get all`.
    pub categories: &'static [&'static str],
    /// Whether this is the version `api-resources` lists (the preferred version of the group).
    pub preferred: bool,
}

impl KindInfo {
    /// Singular name accepted by kubectl, e.g. `deployment`: for every built-in kind it is the
    /// lower-cased kind.
    pub fn singular(&self) -> String {
        self.kind.to_ascii_lowercase()
    }

    /// The `apiVersion` string: `v1` for the core group, `group/version` otherwise.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The resource name as kubectl prints it in messages: `pods`, `deployments.apps`.
    ///
    /// This is the form of `Error from server (NotFound): deployments.apps "x" not found`.
    pub fn qualified_plural(&self) -> String {
        qualify(self.plural, self.group)
    }

    /// The kind as the name printer writes it: `pod`, `deployment.apps`.
    ///
    /// This is the form of `deployment.apps/nginx created`.
    pub fn qualified_kind_lower(&self) -> String {
        qualify(&self.kind.to_ascii_lowercase(), self.group)
    }
}

/// Every resource kubelab serves, preferred versions first within each kind.
pub static KINDS: &[KindInfo] = &KIND_ROWS;

/// The rows of [`KINDS`], in a static of their own: a row found at compile time
/// ([`by_gvk`] in a `const`) then points here, at the row the store's tables are built from,
/// rather than at a copy.
static KIND_ROWS: [KindInfo; 38] = [
    core("Binding", "bindings", &[], true, &["create"], &[]),
    core(
        "ConfigMap",
        "configmaps",
        &["cm"],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core("Endpoints", "endpoints", &["ep"], true, STANDARD_VERBS, &[]),
    core("Event", "events", &["ev"], true, STANDARD_VERBS, &[]),
    core(
        "LimitRange",
        "limitranges",
        &["limits"],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core(
        "Namespace",
        "namespaces",
        &["ns"],
        false,
        NAMESPACE_VERBS,
        &[],
    ),
    core("Node", "nodes", &["no"], false, STANDARD_VERBS, &[]),
    core(
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        &["pvc"],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core(
        "PersistentVolume",
        "persistentvolumes",
        &["pv"],
        false,
        STANDARD_VERBS,
        &[],
    ),
    core("Pod", "pods", &["po"], true, STANDARD_VERBS, ALL),
    core(
        "PodTemplate",
        "podtemplates",
        &[],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core(
        "ReplicationController",
        "replicationcontrollers",
        &["rc"],
        true,
        STANDARD_VERBS,
        ALL,
    ),
    core(
        "ResourceQuota",
        "resourcequotas",
        &["quota"],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core("Secret", "secrets", &[], true, STANDARD_VERBS, &[]),
    core(
        "ServiceAccount",
        "serviceaccounts",
        &["sa"],
        true,
        STANDARD_VERBS,
        &[],
    ),
    core("Service", "services", &["svc"], true, STANDARD_VERBS, ALL),
    grouped(
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        &[],
        true,
        &[],
    ),
    grouped("apps", "v1", "DaemonSet", "daemonsets", &["ds"], true, ALL),
    grouped(
        "apps",
        "v1",
        "Deployment",
        "deployments",
        &["deploy"],
        true,
        ALL,
    ),
    grouped(
        "apps",
        "v1",
        "ReplicaSet",
        "replicasets",
        &["rs"],
        true,
        ALL,
    ),
    grouped(
        "apps",
        "v1",
        "StatefulSet",
        "statefulsets",
        &["sts"],
        true,
        ALL,
    ),
    grouped(
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        &["hpa"],
        true,
        ALL,
    ),
    KindInfo {
        preferred: false,
        ..grouped(
            "autoscaling",
            "v1",
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers",
            &["hpa"],
            true,
            ALL,
        )
    },
    grouped("batch", "v1", "CronJob", "cronjobs", &["cj"], true, ALL),
    grouped("batch", "v1", "Job", "jobs", &[], true, ALL),
    grouped(
        "coordination.k8s.io",
        "v1",
        "Lease",
        "leases",
        &[],
        true,
        &[],
    ),
    grouped(
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        &[],
        true,
        &[],
    ),
    grouped("events.k8s.io", "v1", "Event", "events", &["ev"], true, &[]),
    grouped(
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        &[],
        false,
        &[],
    ),
    grouped(
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        &["ing"],
        true,
        &[],
    ),
    grouped(
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        &["netpol"],
        true,
        &[],
    ),
    grouped(
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        &["pdb"],
        true,
        &[],
    ),
    grouped(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        &[],
        false,
        &[],
    ),
    grouped(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        &[],
        false,
        &[],
    ),
    grouped(
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        &[],
        true,
        &[],
    ),
    grouped(
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        &[],
        true,
        &[],
    ),
    grouped(
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        &["pc"],
        false,
        &[],
    ),
    grouped(
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        &["sc"],
        false,
        &[],
    ),
];

/// Finds a resource the way kubectl's RESTMapper does for `kubectl get <arg>`.
///
/// Accepts a plural (`pods`), singular (`pod`), short name (`po`), kind in any case
/// (`Pod`), and the same forms qualified by a group or a group suffix (`deployments.apps`,
/// `deploy.apps`, `Deployment.apps`, `hpa.autoscaling`), or by version and group
/// (`deployments.v1.apps`). Matching is case-insensitive, as in kubectl. When several versions
/// match, the preferred one wins; when several groups match (`events`), the core group wins, as
/// kubectl's priority RESTMapper prefers the legacy group.
pub fn resolve_resource(arg: &str) -> Option<&'static KindInfo> {
    let arg = arg.trim().to_ascii_lowercase();
    if arg.is_empty() {
        return None;
    }
    if let Some(found) = find_unqualified(&arg, None, None) {
        return Some(found);
    }
    // `resource.group` or `resource.version.group`: try each split point after the first dot.
    let (name, rest) = arg.split_once('.')?;
    if let Some(found) = find_unqualified(name, Some(rest), None) {
        return Some(found);
    }
    let (version, group) = rest.split_once('.')?;
    find_unqualified(name, Some(group), Some(version))
}

/// Finds the kind served at `apiVersion` (`v1`, `apps/v1`) with the given `kind`.
///
/// Matching is exact and case-sensitive, as the API server's scheme is. A `const fn`, so a
/// typed caller looks its row up once, at compile time (`cluster::controller::kind_of`).
pub const fn by_gvk(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    let (group, version) = split_api_version(api_version);
    let mut i = 0;
    while i < KINDS.len() {
        let k = &KINDS[i];
        // The kind first: it differs between most rows, so the scan rarely compares more.
        if str_eq(k.kind, kind) && str_eq(k.version, version) && str_eq(k.group, group) {
            return Some(k);
        }
        i += 1;
    }
    None
}

/// The position of `info` in [`KINDS`]: from its address for a registry row (every row this
/// module hands out is one), else by comparing the rows.
pub fn row_index(info: &KindInfo) -> Option<usize> {
    let offset = (info as *const KindInfo as usize).wrapping_sub(KINDS.as_ptr() as usize);
    let size = std::mem::size_of::<KindInfo>();
    if offset.is_multiple_of(size) && offset / size < KINDS.len() {
        return Some(offset / size);
    }
    KINDS.iter().position(|k| k == info)
}

/// `a == b`, usable in a `const fn`.
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The preferred version of a group/kind, ignoring the version.
pub fn by_group_kind(group: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .filter(|k| k.group == group && k.kind == kind)
        .find(|k| k.preferred)
}

/// Splits `apps/v1` into (`apps`, `v1`) and `v1` into (``, `v1`).
pub const fn split_api_version(api_version: &str) -> (&str, &str) {
    let bytes = api_version.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'/' {
            let (group, slash_version) = api_version.split_at(i);
            return (group, slash_version.split_at(1).1);
        }
        i += 1;
    }
    ("", api_version)
}

/// Whether `apiVersion` names a group version Kubernetes once served and v1.34 no longer does
/// for any kind (for example `extensions/v1beta1`), which kubectl reports as "no matches".
pub fn is_group_version_served(api_version: &str) -> bool {
    let (group, version) = split_api_version(api_version);
    KINDS
        .iter()
        .any(|k| k.group == group && k.version == version)
}

const ALL: &[&str] = &["all"];

const fn core(
    kind: &'static str,
    plural: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
    verbs: &'static [&'static str],
    categories: &'static [&'static str],
) -> KindInfo {
    KindInfo {
        group: "",
        version: "v1",
        kind,
        plural,
        short_names,
        namespaced,
        verbs,
        categories,
        preferred: true,
    }
}

const fn grouped(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
    categories: &'static [&'static str],
) -> KindInfo {
    KindInfo {
        group,
        version,
        kind,
        plural,
        short_names,
        namespaced,
        verbs: STANDARD_VERBS,
        categories,
        preferred: true,
    }
}

fn qualify(name: &str, group: &str) -> String {
    if group.is_empty() {
        name.to_string()
    } else {
        format!("{name}.{group}")
    }
}

fn names_match(k: &KindInfo, name: &str) -> bool {
    k.plural == name || k.short_names.contains(&name) || k.kind.eq_ignore_ascii_case(name)
}

/// Kubectl accepts a group suffix when it is the whole group or a dotted prefix of it
/// (`hpa.autoscaling`, `netpol.networking`, `ingresses.networking.k8s.io`).
fn group_matches(k: &KindInfo, group: &str) -> bool {
    if k.group == group {
        return true;
    }
    // The core group can be named as an empty string only, and `core` is not accepted by
    // kubectl's resource parser for resources; leave it unmatched.
    !k.group.is_empty()
        && k.group.starts_with(group)
        && k.group.as_bytes().get(group.len()) == Some(&b'.')
}

fn find_unqualified(
    name: &str,
    group: Option<&str>,
    version: Option<&str>,
) -> Option<&'static KindInfo> {
    let mut matches = KINDS.iter().filter(|k| {
        names_match(k, name)
            && group.is_none_or(|g| group_matches(k, g))
            && version.is_none_or(|v| k.version == v)
    });
    let first = matches.next()?;
    // The table lists preferred versions first and the core group first, so the first match
    // is the one kubectl's priority mapper would choose; but a later preferred row beats an
    // earlier non-preferred one.
    if first.preferred {
        return Some(first);
    }
    Some(matches.find(|k| k.preferred).unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        arg: &'static str,
        want: Option<(&'static str, &'static str)>,
    }

    fn check(case: &Case) {
        let got = resolve_resource(case.arg).map(|k| (k.api_version(), k.kind));
        let want = case.want.map(|(v, k)| (v.to_string(), k));
        assert_eq!(got, want, "case {}", case.name);
    }

    #[test]
    fn resolves_kubectl_names() {
        let cases = [
            Case {
                name: "plural",
                arg: "pods",
                want: Some(("v1", "Pod")),
            },
            Case {
                name: "singular",
                arg: "pod",
                want: Some(("v1", "Pod")),
            },
            Case {
                name: "short",
                arg: "po",
                want: Some(("v1", "Pod")),
            },
            Case {
                name: "kind",
                arg: "Pod",
                want: Some(("v1", "Pod")),
            },
            Case {
                name: "upper",
                arg: "PODS",
                want: Some(("v1", "Pod")),
            },
            Case {
                name: "rc",
                arg: "rc",
                want: Some(("v1", "ReplicationController")),
            },
            Case {
                name: "rs",
                arg: "rs",
                want: Some(("apps/v1", "ReplicaSet")),
            },
            Case {
                name: "deploy",
                arg: "deploy",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "deployment",
                arg: "deployment",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "ds",
                arg: "ds",
                want: Some(("apps/v1", "DaemonSet")),
            },
            Case {
                name: "sts",
                arg: "sts",
                want: Some(("apps/v1", "StatefulSet")),
            },
            Case {
                name: "svc",
                arg: "svc",
                want: Some(("v1", "Service")),
            },
            Case {
                name: "ep",
                arg: "ep",
                want: Some(("v1", "Endpoints")),
            },
            Case {
                name: "ing",
                arg: "ing",
                want: Some(("networking.k8s.io/v1", "Ingress")),
            },
            Case {
                name: "cm",
                arg: "cm",
                want: Some(("v1", "ConfigMap")),
            },
            Case {
                name: "ns",
                arg: "ns",
                want: Some(("v1", "Namespace")),
            },
            Case {
                name: "no",
                arg: "no",
                want: Some(("v1", "Node")),
            },
            Case {
                name: "pv",
                arg: "pv",
                want: Some(("v1", "PersistentVolume")),
            },
            Case {
                name: "pvc",
                arg: "pvc",
                want: Some(("v1", "PersistentVolumeClaim")),
            },
            Case {
                name: "sc",
                arg: "sc",
                want: Some(("storage.k8s.io/v1", "StorageClass")),
            },
            Case {
                name: "sa",
                arg: "sa",
                want: Some(("v1", "ServiceAccount")),
            },
            Case {
                name: "hpa",
                arg: "hpa",
                want: Some(("autoscaling/v2", "HorizontalPodAutoscaler")),
            },
            Case {
                name: "cj",
                arg: "cj",
                want: Some(("batch/v1", "CronJob")),
            },
            Case {
                name: "jobs",
                arg: "jobs",
                want: Some(("batch/v1", "Job")),
            },
            Case {
                name: "netpol",
                arg: "netpol",
                want: Some(("networking.k8s.io/v1", "NetworkPolicy")),
            },
            Case {
                name: "pdb",
                arg: "pdb",
                want: Some(("policy/v1", "PodDisruptionBudget")),
            },
            Case {
                name: "pc",
                arg: "pc",
                want: Some(("scheduling.k8s.io/v1", "PriorityClass")),
            },
            Case {
                name: "quota",
                arg: "quota",
                want: Some(("v1", "ResourceQuota")),
            },
            Case {
                name: "limits",
                arg: "limits",
                want: Some(("v1", "LimitRange")),
            },
            Case {
                name: "ev core first",
                arg: "ev",
                want: Some(("v1", "Event")),
            },
            Case {
                name: "events.events.k8s.io",
                arg: "events.events.k8s.io",
                want: Some(("events.k8s.io/v1", "Event")),
            },
            Case {
                name: "plural.group",
                arg: "deployments.apps",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "kind.group",
                arg: "Deployment.apps",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "short.group",
                arg: "deploy.apps",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "plural.version.group",
                arg: "deployments.v1.apps",
                want: Some(("apps/v1", "Deployment")),
            },
            Case {
                name: "hpa v1 explicit",
                arg: "hpa.v1.autoscaling",
                want: Some(("autoscaling/v1", "HorizontalPodAutoscaler")),
            },
            Case {
                name: "group prefix",
                arg: "ingresses.networking",
                want: Some(("networking.k8s.io/v1", "Ingress")),
            },
            Case {
                name: "rbac",
                arg: "clusterrolebindings",
                want: Some(("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")),
            },
            Case {
                name: "leases",
                arg: "lease",
                want: Some(("coordination.k8s.io/v1", "Lease")),
            },
            Case {
                name: "controllerrevisions",
                arg: "controllerrevision",
                want: Some(("apps/v1", "ControllerRevision")),
            },
            Case {
                name: "endpointslices",
                arg: "endpointslice",
                want: Some(("discovery.k8s.io/v1", "EndpointSlice")),
            },
            Case {
                name: "ingressclass",
                arg: "ingressclass",
                want: Some(("networking.k8s.io/v1", "IngressClass")),
            },
            Case {
                name: "wrong group",
                arg: "pods.apps",
                want: None,
            },
            Case {
                name: "crd absent",
                arg: "crd",
                want: None,
            },
            Case {
                name: "unknown",
                arg: "foo",
                want: None,
            },
            Case {
                name: "empty",
                arg: "",
                want: None,
            },
        ];
        for case in &cases {
            check(case);
        }
    }

    #[test]
    fn by_gvk_is_exact() {
        assert_eq!(
            by_gvk("apps/v1", "Deployment").map(|k| k.plural),
            Some("deployments")
        );
        assert_eq!(by_gvk("extensions/v1beta1", "Deployment"), None);
        assert_eq!(by_gvk("v1", "pod"), None);
        assert_eq!(
            by_gvk("autoscaling/v1", "HorizontalPodAutoscaler").map(|k| k.preferred),
            Some(false)
        );
        assert_eq!(
            by_gvk("events.k8s.io/v1", "Event").map(|k| k.group),
            Some("events.k8s.io")
        );
    }

    #[test]
    fn qualified_names() {
        let d = by_gvk("apps/v1", "Deployment").expect("deployment");
        assert_eq!(d.qualified_plural(), "deployments.apps");
        assert_eq!(d.qualified_kind_lower(), "deployment.apps");
        let p = by_gvk("v1", "Pod").expect("pod");
        assert_eq!(p.qualified_plural(), "pods");
        assert_eq!(p.qualified_kind_lower(), "pod");
    }
}
