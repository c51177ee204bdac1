//! The lab's kubeconfig: which context is current and each context's namespace.
//!
//! There is one cluster and one user, named as minikube names them, so `kubectl config`
//! prints what a learner on minikube sees. A context made by `kubectl config set-context`
//! without `--cluster` names no cluster, as in kubectl; commands run in it cannot reach the
//! API server.

use std::collections::BTreeMap;

/// One context entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub cluster: String,
    pub user: String,
    /// The default namespace; None means `default`.
    pub namespace: Option<String>,
}

/// The kubeconfig kubectl reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kubeconfig {
    pub current_context: String,
    pub contexts: BTreeMap<String, ContextEntry>,
    /// The API server address printed by `cluster-info` and `config view`.
    pub server: String,
    /// The name of the one cluster entry and the one user entry.
    pub cluster: String,
}

impl Default for Kubeconfig {
    fn default() -> Self {
        Kubeconfig::single("minikube", "https://192.168.49.2:8443")
    }
}

impl Kubeconfig {
    /// A kubeconfig with one context, cluster and user all named `name`.
    pub fn single(name: &str, server: &str) -> Kubeconfig {
        let mut contexts = BTreeMap::new();
        contexts.insert(
            name.to_string(),
            ContextEntry {
                cluster: name.to_string(),
                user: name.to_string(),
                namespace: None,
            },
        );
        Kubeconfig {
            current_context: name.to_string(),
            contexts,
            server: server.to_string(),
            cluster: name.to_string(),
        }
    }

    /// Whether the current (or named) context points at the lab's cluster. client-go falls
    /// back to `http://localhost:8080` for a context whose cluster entry does not exist
    /// (clientcmd's `ClusterDefaults`), where nothing listens.
    pub fn reaches_cluster(&self, context: Option<&str>) -> bool {
        let name = context.unwrap_or(&self.current_context);
        self.contexts
            .get(name)
            .is_some_and(|c| c.cluster == self.cluster)
    }

    /// The namespace of the current (or named) context, `default` when unset.
    pub fn namespace(&self, context: Option<&str>) -> String {
        let name = context.unwrap_or(&self.current_context);
        self.contexts
            .get(name)
            .and_then(|c| c.namespace.clone())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_string())
    }
}
