//! `kubectl describe`: finding the objects, and one describer per kind group.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/cmd/describe/describe.go and
//! staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.34). Objects are printed one after
//! another with two blank lines between them; `describe TYPE PREFIX` falls back to every
//! object whose name starts with PREFIX when no object has that exact name, each followed by
//! a blank line. Kinds without a describer of their own get the generic one (metadata and
//! the object's fields as `Smart Label:` lines).
//!
//! `writer` holds the prefix writer and shared printers; each other module describes one
//! group of kinds.

mod config;
mod events;
mod generic;
mod network;
mod node;
mod pod;
mod policy;
mod rbac;
mod storage;
mod workloads;
pub(crate) mod writer;

use std::sync::Arc;

use api::Object;
use cluster::SimTime;
use cluster::apiserver::ListOptions;

use crate::errors::KubectlError;
use crate::resources::{self, Target};
use crate::verbs::Ctx;
use crate::{Env, Outcome, manifest};
use writer::PrefixWriter;

/// What every describer reads besides its object: the store (for related objects), the
/// time (for ages) and whether to print events.
pub struct Describe<'a, 'e> {
    pub env: &'a Env<'e>,
    pub now: SimTime,
    pub show_events: bool,
}

impl Describe<'_, '_> {
    /// Appends the Events table of `obj`.
    pub fn events(&self, w: &mut PrefixWriter, obj: &Object) {
        events::write(w, events::about(obj, self.env), self.now);
    }

    /// The Events table when `--show-events` is on.
    pub fn maybe_events(&self, w: &mut PrefixWriter, obj: &Object) {
        if self.show_events {
            self.events(w, obj);
        }
    }

    /// Objects of a kind in a namespace (None: all namespaces / cluster scope).
    pub fn list(&self, kind: &str, api_version: &str, ns: Option<&str>) -> Vec<Arc<Object>> {
        let Some(info) = api::by_gvk(api_version, kind) else {
            return Vec::new();
        };
        self.env
            .store
            .list(info, ns, &ListOptions::default())
            .map(|l| l.items)
            .unwrap_or_default()
    }
}

/// Runs `kubectl describe`.
///
/// # Errors
/// Usage errors and unknown types; NotFound is printed per object.
pub fn run(ctx: &Ctx, env: &mut Env<'_>, out: &mut Outcome) -> Result<(), KubectlError> {
    let p = &ctx.parsed;
    let filenames = ctx.filenames();
    let selector = p.string("selector").unwrap_or("").to_string();
    let mut objs: Vec<Arc<Object>> = Vec::new();
    let mut errors: Vec<KubectlError> = Vec::new();
    let show_events = !p.has("show-events") || p.bool("show-events");
    if !filenames.is_empty() {
        for doc in manifest::read(&filenames, p.bool("recursive"), env)? {
            match doc.result {
                Ok(d) => {
                    let info = d.object.kind_info();
                    let ns = d
                        .object
                        .namespace()
                        .map(str::to_string)
                        .unwrap_or_else(|| ctx.namespace.clone());
                    match env.store.get(
                        info,
                        info.namespaced.then_some(ns.as_str()),
                        d.object.name(),
                    ) {
                        Ok(o) => objs.push(o),
                        Err(e) => errors.push(KubectlError::from(e)),
                    }
                }
                Err(e) => errors.push(KubectlError::Raw(manifest::decode_error_text(
                    &e,
                    "describing",
                ))),
            }
        }
    } else {
        if p.args.is_empty() {
            out.err("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n");
            return Err(ctx.usage("Required resource not specified."));
        }
        let all_ns = ctx.all_namespaces();
        // describe.go DescribeMatchingResources: only the `TYPE NAME` form falls back to a
        // name prefix.
        let prefix_form = p.args.len() == 2 && !p.args[0].contains('/');
        for t in resources::resolve_args(&p.args)? {
            let info = t.info();
            let list_ns = if info.namespaced && !all_ns {
                Some(ctx.namespace.as_str())
            } else {
                None
            };
            match &t {
                Target::All(_) => {
                    let opts = ListOptions {
                        label_selector: selector.clone(),
                        ..Default::default()
                    };
                    match env.store.list(info, list_ns, &opts) {
                        Ok(l) => objs.extend(l.items),
                        Err(e) => errors.push(e.into()),
                    }
                }
                Target::Named(_, name) => {
                    let ns = info.namespaced.then_some(ctx.namespace.as_str());
                    match env.store.get(info, ns, name) {
                        Ok(o) => objs.push(o),
                        Err(e) if prefix_form && e.reason() == "NotFound" => {
                            let matching: Vec<Arc<Object>> = env
                                .store
                                .list(info, ns, &ListOptions::default())
                                .map(|l| l.items)
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|o| o.name().starts_with(name.as_str()))
                                .collect();
                            if matching.is_empty() {
                                return Err(e.into());
                            }
                            let d = Describe {
                                env,
                                now: env.store.now(),
                                show_events,
                            };
                            for o in matching {
                                out.out_block(&format!("{}\n", describe(&o, &d)));
                            }
                            return Ok(());
                        }
                        Err(e) => errors.push(e.into()),
                    }
                }
            }
        }
    }
    let d = Describe {
        env,
        now: env.store.now(),
        show_events,
    };
    for (i, o) in objs.iter().enumerate() {
        if i > 0 {
            out.out("");
            out.out("");
        }
        out.out_block(&describe(o, &d));
    }
    if objs.is_empty() && errors.is_empty() {
        if ctx.all_namespaces() {
            out.err("No resources found");
        } else {
            out.err(format!(
                "No resources found in {} namespace.",
                ctx.namespace
            ));
        }
    }
    for e in errors {
        out.err(e.to_string());
        out.exit_code = 1;
    }
    Ok(())
}

/// The describe text of one object (ends with a newline).
pub fn describe(obj: &Object, d: &Describe<'_, '_>) -> String {
    match obj {
        Object::Pod(o) => pod::describe(o, d),
        Object::ReplicationController(o) => workloads::replication_controller(o, d),
        Object::ReplicaSet(o) => workloads::replica_set(o, d),
        Object::Deployment(o) => workloads::deployment(o, d),
        Object::DaemonSet(o) => workloads::daemon_set(o, d),
        Object::StatefulSet(o) => workloads::stateful_set(o, d),
        Object::Job(o) => workloads::job(o, d),
        Object::CronJob(o) => workloads::cron_job(o, d),
        Object::Service(o) => network::service(o, d),
        Object::Endpoints(o) => network::endpoints(o, d),
        Object::EndpointSlice(o) => network::endpoint_slice(o, d),
        Object::Ingress(o) => network::ingress(o, d),
        Object::IngressClass(o) => network::ingress_class(o, d),
        Object::NetworkPolicy(o) => network::network_policy(o),
        Object::Node(o) => node::describe(o, d),
        Object::Namespace(o) => config::namespace(o, d),
        Object::ConfigMap(o) => config::config_map(o, d),
        Object::Secret(o) => config::secret(o),
        Object::ServiceAccount(o) => config::service_account(o, d),
        Object::LimitRange(o) => config::limit_range(o),
        Object::ResourceQuota(o) => config::resource_quota(o),
        Object::PersistentVolume(o) => storage::persistent_volume(o, d),
        Object::PersistentVolumeClaim(o) => storage::persistent_volume_claim(o, d),
        Object::StorageClass(o) => storage::storage_class(o, d),
        Object::Role(o) => rbac::role(&o.metadata, o.rules.as_deref()),
        Object::ClusterRole(o) => rbac::role(&o.metadata, o.rules.as_deref()),
        Object::RoleBinding(o) => rbac::binding(&o.metadata, &o.role_ref, o.subjects.as_deref()),
        Object::ClusterRoleBinding(o) => {
            rbac::binding(&o.metadata, &o.role_ref, o.subjects.as_deref())
        }
        Object::HorizontalPodAutoscaler(o) => policy::hpa(o, d),
        Object::PodDisruptionBudget(o) => policy::pod_disruption_budget(o, d),
        Object::PriorityClass(o) => policy::priority_class(o, d),
        _ => generic::describe(obj, d),
    }
}
