//! `Object`: one enum over every served kind, so the store and controllers can hold any object.

use k8s_openapi::Metadata;
use k8s_openapi::api::apps::v1 as appsv1;
use k8s_openapi::api::autoscaling::v1 as autoscalingv1;
use k8s_openapi::api::autoscaling::v2 as autoscalingv2;
use k8s_openapi::api::batch::v1 as batchv1;
use k8s_openapi::api::coordination::v1 as coordinationv1;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::api::discovery::v1 as discoveryv1;
use k8s_openapi::api::events::v1 as eventsv1;
use k8s_openapi::api::networking::v1 as networkingv1;
use k8s_openapi::api::policy::v1 as policyv1;
use k8s_openapi::api::rbac::v1 as rbacv1;
use k8s_openapi::api::scheduling::v1 as schedulingv1;
use k8s_openapi::api::storage::v1 as storagev1;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde_json::Value;

use crate::kinds::{self, KindInfo};
use crate::typeerror;

/// Why a JSON value could not become an `Object`.
///
/// These are the checks a typed client makes; strict unknown-field checks and the kubectl
/// wording with file names live in `decode`, which wraps these.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ObjectError {
    /// The value is not a JSON object.
    #[error("json: cannot unmarshal {found} into Go value of type map[string]interface {{}}")]
    NotAnObject {
        /// The Go name of what was found (`string`, `array`, `number`, `bool`).
        found: &'static str,
    },
    /// `apiVersion` and/or `kind` is missing; lists the kubectl messages (`kind not set`).
    #[error("{}", aggregate(missing))]
    MissingTypeMeta {
        /// `apiVersion not set` and/or `kind not set`, in that order.
        missing: Vec<&'static str>,
    },
    /// No served kind matches `apiVersion`/`kind`.
    #[error("no matches for kind \"{kind}\" in version \"{api_version}\"")]
    NoMatch {
        /// The `kind` field.
        kind: String,
        /// The `apiVersion` field.
        api_version: String,
    },
    /// A field has the wrong JSON type, worded like Go's `encoding/json`.
    #[error("{kind} in version \"{version}\" cannot be handled as a {kind}: {message}")]
    Type {
        /// The kind being decoded.
        kind: String,
        /// The version (without group) being decoded, as the server words it.
        version: String,
        /// `json: cannot unmarshal string into Go struct field ... of type int32`.
        message: String,
        /// Field path of the bad value, e.g. `spec.replicas`.
        path: String,
    },
}

/// Key of an object in the store: its kind, namespace (None when cluster-scoped) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// Plural resource name, e.g. `pods`.
    pub resource: &'static str,
    /// API group, empty for core.
    pub group: &'static str,
    /// Namespace, None for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// Object name.
    pub name: String,
}

macro_rules! objects {
    ($( $variant:ident => $ty:ty ),* $(,)?) => {
        /// Any object kubelab serves, as its k8s-openapi type.
        ///
        /// The variant names are the kinds, except where a kind is served in two versions or
        /// groups: `HorizontalPodAutoscalerV1` (autoscaling/v1) and `EventsV1Event`
        /// (events.k8s.io/v1).
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object {
            $( #[doc = concat!("A `", stringify!($variant), "`.")] $variant($ty), )*
        }

        impl Object {
            /// The object's metadata.
            pub fn meta(&self) -> &metav1::ObjectMeta {
                match self { $( Object::$variant(o) => o.metadata(), )* }
            }

            /// The object's metadata, mutable.
            pub fn meta_mut(&mut self) -> &mut metav1::ObjectMeta {
                match self { $( Object::$variant(o) => o.metadata_mut(), )* }
            }

            /// The registry row of this object's kind and version.
            ///
            /// Looked up once per variant: the store asks this several times per request, and
            /// a scan of the kinds table each time was a measurable part of a create.
            pub fn kind_info(&self) -> &'static KindInfo {
                #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
                #[derive(Clone, Copy)]
                enum Tag { $( $variant, )* }
                const GVKS: &[(&str, &str)] = &[ $( (
                    <$ty as k8s_openapi::Resource>::API_VERSION,
                    <$ty as k8s_openapi::Resource>::KIND,
                ), )* ];
                static ROWS: std::sync::OnceLock<Vec<&'static KindInfo>> =
                    std::sync::OnceLock::new();
                let tag = match self { $( Object::$variant(_) => Tag::$variant, )* };
                let rows = ROWS.get_or_init(|| {
                    GVKS.iter()
                        .map(|(api_version, kind)| match kinds::by_gvk(api_version, kind) {
                            Some(info) => info,
                            // Every variant has a registry row; the test
                            // `every_variant_is_registered` keeps it so.
                            None => unreachable!(
                                "kind {kind} in {api_version} is not in kinds::KINDS"
                            ),
                        })
                        .collect()
                });
                rows[tag as usize]
            }

            /// The object as JSON, with `apiVersion` and `kind` set.
            pub fn to_value(&self) -> Value {
                // Serializing k8s-openapi types cannot fail: they hold only strings, numbers,
                // maps and lists with string keys (the test `every_kind_reads_as_json_would`
                // compares it with serde_json's own).
                crate::wire::to_value(self).unwrap_or(Value::Null)
            }

            /// Decodes a JSON object whose `apiVersion`/`kind` name a served kind.
            ///
            /// Unknown fields are ignored here (see `decode::strict` for the strict check).
            ///
            /// # Errors
            /// `ObjectError` for a non-object, missing type fields, an unserved kind, or a
            /// field of the wrong type.
            pub fn from_value(mut value: Value) -> Result<Object, ObjectError> {
                let info = type_meta(&value)?;
                crate::gozero::fill(info, &mut value);
                let key = (info.api_version(), info.kind);
                $(
                    if key.0 == <$ty as k8s_openapi::Resource>::API_VERSION
                        && key.1 == <$ty as k8s_openapi::Resource>::KIND
                    {
                        return typed::<$ty>(value, info).map(Object::$variant);
                    }
                )*
                Err(ObjectError::NoMatch { kind: key.1.to_string(), api_version: key.0 })
            }
        }

        /// The object as its k8s-openapi type serializes it (`apiVersion` and `kind` included).
        impl serde::Serialize for Object {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self { $( Object::$variant(o) => o.serialize(s), )* }
            }
        }

        $(
            impl From<$ty> for Object {
                fn from(o: $ty) -> Object { Object::$variant(o) }
            }
        )*
    };
}

objects! {
    Binding => corev1::Binding,
    ConfigMap => corev1::ConfigMap,
    Endpoints => corev1::Endpoints,
    Event => corev1::Event,
    LimitRange => corev1::LimitRange,
    Namespace => corev1::Namespace,
    Node => corev1::Node,
    PersistentVolumeClaim => corev1::PersistentVolumeClaim,
    PersistentVolume => corev1::PersistentVolume,
    Pod => corev1::Pod,
    PodTemplate => corev1::PodTemplate,
    ReplicationController => corev1::ReplicationController,
    ResourceQuota => corev1::ResourceQuota,
    Secret => corev1::Secret,
    ServiceAccount => corev1::ServiceAccount,
    Service => corev1::Service,
    ControllerRevision => appsv1::ControllerRevision,
    DaemonSet => appsv1::DaemonSet,
    Deployment => appsv1::Deployment,
    ReplicaSet => appsv1::ReplicaSet,
    StatefulSet => appsv1::StatefulSet,
    HorizontalPodAutoscaler => autoscalingv2::HorizontalPodAutoscaler,
    HorizontalPodAutoscalerV1 => autoscalingv1::HorizontalPodAutoscaler,
    CronJob => batchv1::CronJob,
    Job => batchv1::Job,
    Lease => coordinationv1::Lease,
    EndpointSlice => discoveryv1::EndpointSlice,
    EventsV1Event => eventsv1::Event,
    IngressClass => networkingv1::IngressClass,
    Ingress => networkingv1::Ingress,
    NetworkPolicy => networkingv1::NetworkPolicy,
    PodDisruptionBudget => policyv1::PodDisruptionBudget,
    ClusterRoleBinding => rbacv1::ClusterRoleBinding,
    ClusterRole => rbacv1::ClusterRole,
    RoleBinding => rbacv1::RoleBinding,
    Role => rbacv1::Role,
    PriorityClass => schedulingv1::PriorityClass,
    StorageClass => storagev1::StorageClass,
}

impl Object {
    /// The kind, e.g. `Deployment`.
    pub fn kind(&self) -> &'static str {
        self.kind_info().kind
    }

    /// The object's name (empty when only `generateName` is set).
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }

    /// The object's namespace, if set.
    pub fn namespace(&self) -> Option<&str> {
        self.meta().namespace.as_deref()
    }

    /// The store key of this object. Cluster-scoped kinds get `namespace: None` even if the
    /// manifest set one, as the API server ignores it for them.
    pub fn object_ref(&self) -> ObjectRef {
        let info = self.kind_info();
        ObjectRef {
            resource: info.plural,
            group: info.group,
            namespace: if info.namespaced {
                self.namespace().map(str::to_string)
            } else {
                None
            },
            name: self.name().to_string(),
        }
    }
}

/// Reads `apiVersion` and `kind` and finds the served kind.
///
/// # Errors
/// `NotAnObject`, `MissingTypeMeta` or `NoMatch`, checked in that order as kubectl does.
pub fn type_meta(value: &Value) -> Result<&'static KindInfo, ObjectError> {
    let Value::Object(map) = value else {
        return Err(ObjectError::NotAnObject {
            found: go_json_type(value),
        });
    };
    let api_version = map.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion not set");
    }
    if kind.is_empty() {
        missing.push("kind not set");
    }
    if !missing.is_empty() {
        return Err(ObjectError::MissingTypeMeta { missing });
    }
    kinds::by_gvk(api_version, kind).ok_or_else(|| ObjectError::NoMatch {
        kind: kind.to_string(),
        api_version: api_version.to_string(),
    })
}

/// The name Go's `encoding/json` gives a JSON value's type in unmarshal errors.
pub fn go_json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Formats several messages as apimachinery's aggregate error does: one bare, more in `[a, b]`.
pub(crate) fn aggregate(messages: &[&str]) -> String {
    match messages {
        [one] => (*one).to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

fn typed<T: serde::de::DeserializeOwned>(
    mut value: Value,
    info: &'static KindInfo,
) -> Result<T, ObjectError> {
    // Go's decoder parses every timestamp as it meets it and stops at the first bad one, so
    // a bad timestamp is answered before any type error.
    if let Err(err) = crate::timefields::check(info, &mut value) {
        return Err(ObjectError::Type {
            kind: info.kind.to_string(),
            version: info.version.to_string(),
            message: err.message,
            path: err.path,
        });
    }
    crate::typed::from_value::<T>(&value).map_err(|err| ObjectError::Type {
        kind: info.kind.to_string(),
        version: info.version.to_string(),
        message: typeerror::go_message(info.kind, &err.path, &err.message, &value),
        path: err.path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_variant_is_registered() {
        // kind_info() panics for an unregistered variant; build one of each from the registry.
        for info in kinds::KINDS.iter().filter(|k| k.kind != "Binding") {
            let v = json!({"apiVersion": info.api_version(), "kind": info.kind,
                           "metadata": {"name": "x"}});
            let obj = Object::from_value(v).unwrap_or_else(|e| panic!("{}: {e}", info.kind));
            assert_eq!(obj.kind_info(), info);
            assert_eq!(obj.name(), "x");
        }
    }

    #[test]
    fn round_trips_through_value() {
        let v = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let obj = Object::from_value(v.clone()).expect("pod");
        assert_eq!(obj.to_value(), v);
        assert_eq!(
            obj.object_ref(),
            ObjectRef {
                resource: "pods",
                group: "",
                namespace: Some("default".into()),
                name: "web".into()
            }
        );
    }

    #[test]
    fn type_meta_errors() {
        struct Case {
            name: &'static str,
            input: Value,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "no kind",
                input: json!({"apiVersion": "v1"}),
                want: "kind not set",
            },
            Case {
                name: "neither",
                input: json!({"metadata": {}}),
                want: "[apiVersion not set, kind not set]",
            },
            Case {
                name: "removed version",
                input: json!({"apiVersion": "extensions/v1beta1", "kind": "Deployment"}),
                want: "no matches for kind \"Deployment\" in version \"extensions/v1beta1\"",
            },
            Case {
                name: "scalar",
                input: json!("x"),
                want: "json: cannot unmarshal string into Go value of type map[string]interface {}",
            },
        ];
        for case in &cases {
            let got = Object::from_value(case.input.clone())
                .map(|_| ())
                .unwrap_err();
            assert_eq!(got.to_string(), case.want, "case {}", case.name);
        }
    }
}
