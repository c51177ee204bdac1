//! The `Pod Template:` block `rollout history --revision=N` and `rollout undo --dry-run`
//! print.
//!
//! Mirrors staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.34) `DescribePodTemplate`
//! written through a PrefixWriter without a tab writer (polymorphichelpers/history.go
//! `printTemplate`), so the tabs stay raw, as kubectl prints them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

/// The text of `DescribePodTemplate`, ending in a newline.
pub fn describe(t: &corev1::PodTemplateSpec) -> String {
    let mut w = String::from("Pod Template:\n");
    let meta = t.metadata.clone().unwrap_or_default();
    multiline(&mut w, "  Labels", meta.labels.as_ref(), "=");
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        multiline(&mut w, "  Annotations", meta.annotations.as_ref(), ": ");
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(&mut w, "Init Containers", init);
    }
    containers(&mut w, "Containers", &spec.containers);
    volumes(&mut w, spec.volumes.as_deref().unwrap_or_default());
    if let Some(p) = spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.push_str(&format!("  Priority Class Name:\t{p}\n"));
    }
    multiline(&mut w, "  Node-Selectors", spec.node_selector.as_ref(), "=");
    tolerations(&mut w, spec.tolerations.as_deref().unwrap_or_default());
    w
}

/// printLabelsMultiline / printAnnotationsMultiline: the first entry after the title, the
/// rest on lines of their own after a tab; `<none>` when empty.
fn multiline(w: &mut String, title: &str, m: Option<&BTreeMap<String, String>>, sep: &str) {
    w.push_str(&format!("{title}:\t"));
    let Some(m) = m.filter(|m| !m.is_empty()) else {
        w.push_str("<none>\n");
        return;
    };
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            w.push('\t');
        }
        w.push_str(&format!("{k}{sep}{v}\n"));
    }
}

fn containers(w: &mut String, title: &str, cs: &[corev1::Container]) {
    w.push_str(&format!("  {title}:\n"));
    for c in cs {
        w.push_str(&format!("   {}:\n", c.name));
        w.push_str(&format!(
            "    Image:\t{}\n",
            c.image.as_deref().unwrap_or_default()
        ));
        ports(w, c.ports.as_deref().unwrap_or_default());
        list_block(w, "Command", c.command.as_deref());
        list_block(w, "Args", c.args.as_deref());
        if let Some(r) = &c.resources {
            resources(w, "Limits", r.limits.as_ref());
            resources(w, "Requests", r.requests.as_ref());
        }
        env_from(w, c.env_from.as_deref().unwrap_or_default());
        env(w, c.env.as_deref().unwrap_or_default());
        mounts(w, c.volume_mounts.as_deref().unwrap_or_default());
    }
}

fn ports(w: &mut String, ps: &[corev1::ContainerPort]) {
    let join = |f: &dyn Fn(&corev1::ContainerPort) -> String| {
        ps.iter().map(f).collect::<Vec<_>>().join(", ")
    };
    let proto = |p: &corev1::ContainerPort| p.protocol.clone().unwrap_or_else(|| "TCP".into());
    if ps.is_empty() {
        w.push_str("    Port:\t<none>\n    Host Port:\t<none>\n");
        return;
    }
    w.push_str(&format!(
        "    Port:\t{}\n",
        join(&|p| format!("{}/{}", p.container_port, proto(p)))
    ));
    w.push_str(&format!(
        "    Host Port:\t{}\n",
        join(&|p| format!("{}/{}", p.host_port.unwrap_or(0), proto(p)))
    ));
}

fn list_block(w: &mut String, title: &str, items: Option<&[String]>) {
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        return;
    };
    w.push_str(&format!("    {title}:\n"));
    for i in items {
        for line in i.split('\n') {
            w.push_str(&format!("      {line}\n"));
        }
    }
}

fn resources(
    w: &mut String,
    title: &str,
    m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) {
    let Some(m) = m.filter(|m| !m.is_empty()) else {
        return;
    };
    w.push_str(&format!("    {title}:\n"));
    for (k, v) in m {
        w.push_str(&format!("      {k}:\t{}\n", v.0));
    }
}

fn env_from(w: &mut String, sources: &[corev1::EnvFromSource]) {
    if sources.is_empty() {
        return;
    }
    w.push_str("    Environment Variables from:\n");
    for s in sources {
        let prefix = s.prefix.as_deref().unwrap_or_default();
        let (name, kind, optional) = if let Some(c) = &s.config_map_ref {
            (c.name.as_str(), "ConfigMap", c.optional.unwrap_or(false))
        } else if let Some(c) = &s.secret_ref {
            (c.name.as_str(), "Secret", c.optional.unwrap_or(false))
        } else {
            continue;
        };
        if prefix.is_empty() {
            w.push_str(&format!("      {name}\t{kind}\tOptional: {optional}\n"));
        } else {
            w.push_str(&format!(
                "      {name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"
            ));
        }
    }
}

fn env(w: &mut String, vars: &[corev1::EnvVar]) {
    if vars.is_empty() {
        w.push_str("    Environment:\t<none>\n");
        return;
    }
    w.push_str("    Environment:\n");
    for e in vars {
        let Some(from) = &e.value_from else {
            let v = e.value.as_deref().unwrap_or_default().replace('\n', "\n\t");
            w.push_str(&format!("      {}:\t{v}\n", e.name));
            continue;
        };
        if let Some(f) = &from.field_ref {
            w.push_str(&format!("      {}:\t (v1:{})\n", e.name, f.field_path));
        } else if let Some(r) = &from.resource_field_ref {
            w.push_str(&format!(
                "      {}:\t{} ({})\n",
                e.name,
                r.resource,
                r.container_name.as_deref().unwrap_or_default()
            ));
        } else if let Some(k) = &from.config_map_key_ref {
            w.push_str(&format!(
                "      {}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ));
        } else if let Some(k) = &from.secret_key_ref {
            w.push_str(&format!(
                "      {}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                e.name,
                k.key,
                k.name,
                k.optional.unwrap_or(false)
            ));
        }
    }
}

fn mounts(w: &mut String, ms: &[corev1::VolumeMount]) {
    if ms.is_empty() {
        w.push_str("    Mounts:\t<none>\n");
        return;
    }
    w.push_str("    Mounts:\n");
    let mut sorted: Vec<&corev1::VolumeMount> = ms.iter().collect();
    machinery::sort::sort_by(&mut sorted, |a, b| a.mount_path.cmp(&b.mount_path));
    for m in sorted {
        let mode = if m.read_only.unwrap_or(false) {
            "ro"
        } else {
            "rw"
        };
        let sub = match m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => format!(",path=\"{s}\""),
            None => String::new(),
        };
        w.push_str(&format!(
            "      {} from {} ({mode}{sub})\n",
            m.mount_path, m.name
        ));
    }
}

fn volumes(w: &mut String, vs: &[corev1::Volume]) {
    if vs.is_empty() {
        w.push_str("  Volumes:\t<none>\n");
        return;
    }
    w.push_str("  Volumes:\n");
    for v in vs {
        w.push_str(&format!("   {}:\n", v.name));
        if let Some(e) = &v.empty_dir {
            w.push_str(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n",
            );
            w.push_str(&format!(
                "    Medium:\t{}\n",
                e.medium.as_deref().unwrap_or_default()
            ));
            match &e.size_limit {
                Some(q) => w.push_str(&format!("    SizeLimit:\t{}\n", q.0)),
                None => w.push_str("    SizeLimit:\t<unset>\n"),
            }
        } else if let Some(c) = &v.config_map {
            w.push_str("    Type:\tConfigMap (a volume populated by a ConfigMap)\n");
            w.push_str(&format!("    Name:\t{}\n", c.name));
            w.push_str(&format!("    Optional:\t{}\n", c.optional.unwrap_or(false)));
        } else if let Some(s) = &v.secret {
            w.push_str("    Type:\tSecret (a volume populated by a Secret)\n");
            w.push_str(&format!(
                "    SecretName:\t{}\n",
                s.secret_name.as_deref().unwrap_or_default()
            ));
            w.push_str(&format!("    Optional:\t{}\n", s.optional.unwrap_or(false)));
        } else if let Some(p) = &v.persistent_volume_claim {
            w.push_str("    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n");
            w.push_str(&format!("    ClaimName:\t{}\n", p.claim_name));
            w.push_str(&format!(
                "    ReadOnly:\t{}\n",
                p.read_only.unwrap_or(false)
            ));
        } else if let Some(h) = &v.host_path {
            w.push_str("    Type:\tHostPath (bare host directory volume)\n");
            w.push_str(&format!("    Path:\t{}\n", h.path));
            w.push_str(&format!(
                "    HostPathType:\t{}\n",
                h.type_.as_deref().unwrap_or_default()
            ));
        }
    }
}

fn tolerations(w: &mut String, ts: &[corev1::Toleration]) {
    w.push_str("  Tolerations:\t");
    if ts.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            w.push('\t');
        }
        let mut s = t.key.clone().unwrap_or_default();
        if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
            s.push('=');
            s.push_str(v);
        }
        if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            s.push(':');
            s.push_str(e);
        }
        // `operator: Exists` with no value tolerates everything matching the key/effect.
        if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or("").is_empty() {
            s.push_str(if s.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        w.push_str(&s);
        w.push('\n');
    }
}
