//! `create deployment`, `create job` (also `--from=cronjob/NAME`) and `create cronjob`.
//!
//! Mirrors create_deployment.go, create_job.go and create_cronjob.go (v1.34).

use api::Object;
use serde_json::{Map, Value, json};

use super::{Args, Ctx, Generated, container_name_from_image};
use crate::errors::KubectlError;
use crate::{Env, resources};

pub fn deployment(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let name = &args.name;
    let images = p.all("image");
    if images.len() > 1 && !args.command.is_empty() {
        return Err(KubectlError::msg(
            "cannot specify multiple --image options and command",
        ));
    }
    let mut containers = Vec::new();
    for image in &images {
        let mut c = Map::new();
        c.insert("name".into(), json!(container_name_from_image(image)));
        c.insert("image".into(), json!(image));
        c.insert("resources".into(), json!({}));
        if !args.command.is_empty() {
            c.insert("command".into(), json!(args.command));
        }
        if let Some(port) = p.int("port").filter(|p| *p >= 0) {
            c.insert("ports".into(), json!([{"containerPort": port}]));
        }
        containers.push(Value::Object(c));
    }
    let replicas = p.int("replicas").unwrap_or(1);
    Ok(Generated::new(
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "strategy": {},
                "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}},
            },
            "status": {},
        }),
        "failed to create deployment: ",
    ))
}

fn container(name: &str, image: &str, command: &[String]) -> Value {
    let mut c = json!({"name": name, "image": image, "resources": {}});
    if !command.is_empty() {
        c["command"] = json!(command);
    }
    c
}

pub fn job(args: &Args, ctx: &Ctx, env: &Env<'_>) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let image = p.string("image").unwrap_or("");
    let from = p.string("from").unwrap_or("");
    if image.is_empty() == from.is_empty() {
        return Err(KubectlError::msg(
            "either --image or --from must be specified",
        ));
    }
    if !args.command.is_empty() && !from.is_empty() {
        return Err(KubectlError::msg("cannot specify --from and command"));
    }
    let name = &args.name;
    if !image.is_empty() {
        return Ok(Generated::new(
            json!({
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": name},
                "spec": {"template": {
                    "metadata": {},
                    "spec": {
                        "containers": [container(name, image, &args.command)],
                        "restartPolicy": "Never",
                    },
                }},
                "status": {},
            }),
            "failed to create job: ",
        ));
    }
    // `--from=cronjob/NAME`: the builder resolves TYPE/NAME; only CronJobs can be used.
    let Some((kind, source)) = from.split_once('/') else {
        resources::resolve_type(from)?;
        return Err(KubectlError::msg(
            "resource(s) were provided, but no name was specified",
        ));
    };
    let info = resources::resolve_type(kind)?;
    let obj = env
        .store
        .get(
            info,
            info.namespaced.then_some(ctx.namespace.as_str()),
            source,
        )
        .map_err(KubectlError::from)?;
    let Object::CronJob(cj) = &*obj else {
        return Err(KubectlError::msg(format!(
            "unknown object type *{}",
            go_type_name(&obj)
        )));
    };
    let template = cj
        .spec
        .as_ref()
        .map(|s| s.job_template.clone())
        .unwrap_or_default();
    let mut annotations = serde_json::Map::new();
    annotations.insert("cronjob.kubernetes.io/instantiate".into(), json!("manual"));
    if let Some(meta) = &template.metadata {
        for (k, v) in meta.annotations.iter().flatten() {
            annotations.insert(k.clone(), json!(v));
        }
    }
    let mut metadata = json!({
        "name": name,
        "annotations": annotations,
        "ownerReferences": [{
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cj.metadata.name,
            "uid": cj.metadata.uid.clone().unwrap_or_default(),
            "controller": true,
        }],
    });
    if let Some(labels) = template.metadata.as_ref().and_then(|m| m.labels.clone()) {
        metadata["labels"] = json!(labels);
    }
    let mut spec = api::wire::to_value(&template.spec.unwrap_or_default()).unwrap_or(json!({}));
    if spec["template"].get("metadata").is_none() {
        spec["template"]["metadata"] = json!({});
    }
    Ok(Generated::new(
        json!({
            "apiVersion": "batch/v1", "kind": "Job",
            "metadata": metadata,
            "spec": spec,
            "status": {},
        }),
        "failed to create job: ",
    ))
}

/// The Go type kubectl names in "unknown object type" (`*v1.Deployment`).
fn go_type_name(obj: &Object) -> String {
    format!("{}.{}", obj.kind_info().version, obj.kind_info().kind)
}

pub fn cron_job(args: &Args, ctx: &Ctx) -> Result<Generated, KubectlError> {
    let p = &ctx.parsed;
    let name = &args.name;
    let image = p.string("image").unwrap_or("");
    let schedule = p.string("schedule").unwrap_or("");
    let restart = p
        .string("restart")
        .filter(|r| !r.is_empty())
        .unwrap_or("OnFailure");
    Ok(Generated::new(
        json!({
            "apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": name},
            "spec": {
                "schedule": schedule,
                "jobTemplate": {
                    "metadata": {"name": name},
                    "spec": {"template": {
                        "metadata": {},
                        "spec": {
                            "containers": [container(name, image, &args.command)],
                            "restartPolicy": restart,
                        },
                    }},
                },
            },
            "status": {},
        }),
        "failed to create cronjob: ",
    ))
}
