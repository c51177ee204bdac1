//! Who is asking, and may they: users, service-account tokens, and the RBAC authorizer.
//!
//! Requests from controllers and kubelets carry no requester and are always allowed (they
//! run as privileged system components). kubectl's own user is minikube's `minikube-user`
//! in `system:masters`; `--as`/`--as-group` impersonate another user for one command; a pod
//! reaching the API with its token (see [`token_user`]) is its ServiceAccount. Denials use
//! the API server's Forbidden text (apiserver endpoints/handlers/responsewriters/errors.go
//! `forbiddenMessage`, v1.34).

pub mod bootstrap;
pub mod rbac;

use base64::Engine;

use crate::apiserver::{Store, StoreError};

/// An authenticated user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// minikube's admin client certificate (CN `minikube-user`, O `system:masters`).
    pub fn minikube_admin() -> UserInfo {
        UserInfo {
            name: "minikube-user".into(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
        }
    }

    /// The user a request impersonating `name` (with `--as-group` values) acts as: a
    /// ServiceAccount's name also brings its groups, and every user is authenticated.
    pub fn impersonated(name: &str, groups: &[String]) -> UserInfo {
        let mut all: Vec<String> = groups.to_vec();
        if let Some(rest) = name.strip_prefix("system:serviceaccount:")
            && let Some((ns, _)) = rest.split_once(':')
            && groups.is_empty()
        {
            all.push("system:serviceaccounts".into());
            all.push(format!("system:serviceaccounts:{ns}"));
        }
        if name != "system:anonymous" && !all.iter().any(|g| g == "system:authenticated") {
            all.push("system:authenticated".into());
        }
        UserInfo {
            name: name.into(),
            groups: all,
        }
    }
}

/// What a request wants to do, as the authorizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes {
    pub verb: String,
    /// Empty for cluster-scoped resources.
    pub namespace: String,
    pub api_group: String,
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// For non-resource requests (`/healthz`): the path; `resource` is then empty.
    pub path: String,
}

impl Attributes {
    fn is_resource_request(&self) -> bool {
        self.path.is_empty()
    }
}

/// Whether `user` may do what `attrs` describe; the deny reason (`RBAC: …`) otherwise.
pub fn authorize(store: &Store, user: &UserInfo, attrs: &Attributes) -> Result<(), String> {
    if user.groups.iter().any(|g| g == "system:masters") {
        return Ok(());
    }
    rbac::authorize(store, user, attrs)
}

/// The API server's Forbidden error for a denied request.
pub fn forbidden(user: &UserInfo, attrs: &Attributes, plural: &str, reason: &str) -> StoreError {
    let mut detail = if !attrs.is_resource_request() {
        format!(
            "User {:?} cannot {} path {:?}",
            user.name, attrs.verb, attrs.path
        )
    } else {
        let resource = if attrs.subresource.is_empty() {
            attrs.resource.clone()
        } else {
            format!("{}/{}", attrs.resource, attrs.subresource)
        };
        if attrs.namespace.is_empty() {
            format!(
                "User {:?} cannot {} resource {:?} in API group {:?} at the cluster scope",
                user.name, attrs.verb, resource, attrs.api_group
            )
        } else {
            format!(
                "User {:?} cannot {} resource {:?} in API group {:?} in the namespace {:?}",
                user.name, attrs.verb, resource, attrs.api_group, attrs.namespace
            )
        }
    };
    if !reason.is_empty() {
        detail.push_str(": ");
        detail.push_str(reason);
    }
    StoreError::Forbidden {
        resource: plural.into(),
        name: attrs.name.clone(),
        detail,
    }
}

/// The user a bearer token stands for: a ServiceAccount token as the kubelet mounts it
/// (its `sub` claim), or None for anything else.
pub fn token_user(token: &str) -> Option<UserInfo> {
    let payload = token.trim().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let sub = claims.get("sub")?.as_str()?;
    sub.starts_with("system:serviceaccount:")
        .then(|| UserInfo::impersonated(sub, &[]))
}

impl Store {
    /// Sets who the following requests come from (None: a system component).
    pub fn set_requester(&mut self, user: Option<UserInfo>) {
        self.requester = user;
    }

    /// Who requests come from now.
    pub fn requester(&self) -> Option<&UserInfo> {
        self.requester.as_ref()
    }

    /// Runs `f` as the API server itself (no requester), restoring the requester after.
    pub fn as_system<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        let who = self.requester.take();
        let out = f(self);
        self.requester = who;
        out
    }

    /// Authorizes one request of the current requester.
    ///
    /// # Errors
    /// Forbidden with the API server's message.
    pub fn authorize_request(
        &self,
        verb: &str,
        info: &api::KindInfo,
        ns: Option<&str>,
        name: &str,
    ) -> Result<(), StoreError> {
        let Some(user) = &self.requester else {
            return Ok(());
        };
        if self.authorizing.get() {
            return Ok(());
        }
        let attrs = Attributes {
            verb: verb.into(),
            namespace: if info.namespaced {
                ns.unwrap_or("").to_string()
            } else {
                String::new()
            },
            api_group: info.group.to_string(),
            resource: info.plural.to_string(),
            subresource: String::new(),
            name: name.into(),
            path: String::new(),
        };
        self.authorizing.set(true);
        let decision = authorize(self, user, &attrs);
        self.authorizing.set(false);
        decision.map_err(|reason| forbidden(user, &attrs, &info.qualified_plural(), &reason))
    }
}

#[cfg(test)]
mod tests;

/// A request an API client inside the cluster makes (`curl https://kubernetes/api/v1/…`
/// with its token): the attributes the API server derives from the verb and path, and the
/// qualified resource its Forbidden message names.
///
/// Mirrors apiserver endpoints/request/requestinfo.go `NewRequestInfo` (v1.34) for the core
/// `/api/v1/…` and `/apis/<group>/<version>/…` paths: `namespaces/<ns>/<resource>[/<name>
/// [/<subresource>]]`; GET on a collection is `list` (`watch` with `?watch=true`), POST is
/// `create`, PUT `update`, PATCH `patch`, DELETE `delete` or `deletecollection`. Any other
/// path is a non-resource request.
pub fn request_attributes(method: &str, path: &str) -> (Attributes, String) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let parts: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let http_verb = method.to_ascii_lowercase();
    let plain_verb = match http_verb.as_str() {
        "post" => "create",
        "put" => "update",
        "patch" => "patch",
        "delete" => "delete",
        _ => "get",
    };
    let (group, rest) = match parts.as_slice() {
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", g, _v, rest @ ..] => (*g, rest),
        _ => {
            let attrs = Attributes {
                verb: plain_verb.into(),
                path: format!("/{}", parts.join("/")),
                ..Default::default()
            };
            return (attrs, String::new());
        }
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (ns.to_string(), rest),
        _ => (String::new(), rest),
    };
    let mut attrs = Attributes {
        namespace,
        api_group: group.into(),
        ..Default::default()
    };
    match rest {
        [] => {
            attrs.resource = "namespaces".into();
        }
        [resource] => attrs.resource = (*resource).into(),
        [resource, name] => {
            attrs.resource = (*resource).into();
            attrs.name = (*name).into();
        }
        [resource, name, sub, ..] => {
            attrs.resource = (*resource).into();
            attrs.name = (*name).into();
            attrs.subresource = (*sub).into();
        }
    }
    let collection = attrs.name.is_empty();
    attrs.verb = match (plain_verb, collection) {
        ("get", true)
            if query
                .split('&')
                .any(|q| q == "watch=true" || q == "watch=1") =>
        {
            "watch"
        }
        ("get", true) => "list",
        ("delete", true) => "deletecollection",
        (v, _) => v,
    }
    .into();
    let qualified = if group.is_empty() {
        attrs.resource.clone()
    } else {
        format!("{}.{group}", attrs.resource)
    };
    (attrs, qualified)
}

/// Authorizes an in-cluster API request carrying `token` (the networking code's entry point
/// for `curl -H "Authorization: Bearer $TOKEN" https://kubernetes/...`).
///
/// # Errors
/// Unauthorized when the token names nobody (the API server answers 401 with `Unauthorized`),
/// Forbidden with the API server's message otherwise.
pub fn authorize_token_request(
    store: &Store,
    token: Option<&str>,
    method: &str,
    path: &str,
) -> Result<UserInfo, TokenRequestError> {
    let user = match token {
        None => UserInfo {
            name: "system:anonymous".into(),
            groups: vec!["system:unauthenticated".into()],
        },
        Some(t) => token_user(t).ok_or(TokenRequestError::Unauthorized)?,
    };
    let (attrs, qualified) = request_attributes(method, path);
    authorize(store, &user, &attrs)
        .map(|()| user.clone())
        .map_err(|reason| {
            TokenRequestError::Forbidden(forbidden(&user, &attrs, &qualified, &reason))
        })
}

/// Why an in-cluster request was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenRequestError {
    #[error("Unauthorized")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(StoreError),
}
