//! LimitRanger: container defaults from a namespace's LimitRanges, then their bounds.
//!
//! Mirrors plugin/pkg/admission/limitranger/admission.go (v1.34): `defaultContainerResourceRequirements`
//! and `mergeContainerResources` (a missing limit takes `default`, a missing request
//! `defaultRequest`, noted in the `kubernetes.io/limit-ranger` annotation), then
//! `minConstraint`, `maxConstraint` and `limitRequestRatioConstraint` per Container and per
//! Pod (sums), all failures joined as one Forbidden error.

use std::collections::BTreeMap;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Q;
use machinery::quantity::Quantity;

use crate::apiserver::Store;
use crate::controller::kind_of;

type List = BTreeMap<String, Q>;

fn limit_ranges(store: &Store, ns: &str) -> Vec<corev1::LimitRange> {
    let kind = kind_of::<corev1::LimitRange>();
    // Most clusters hold none: every pod create asks, so skip the list then.
    if store.count(kind) == 0 {
        return Vec::new();
    }
    store
        .list(
            kind,
            Some(ns),
            &Default::default(),
        )
        .map(|l| l.items)
        .unwrap_or_default()
        .iter()
        .filter_map(|o| match &**o {
            Object::LimitRange(l) => Some(l.clone()),
            _ => None,
        })
        .collect()
}

/// Applies container defaults to a new pod.
pub fn admit(store: &Store, obj: &mut Object) {
    let Object::Pod(pod) = obj else { return };
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let ranges = limit_ranges(store, &ns);
    if ranges.is_empty() {
        return;
    }
    let mut defaults = List::new();
    let mut default_requests = List::new();
    for lr in &ranges {
        for item in lr.spec.iter().flat_map(|s| s.limits.iter()) {
            if item.type_ != "Container" {
                continue;
            }
            for (k, v) in item.default.iter().flatten() {
                defaults.insert(k.clone(), v.clone());
            }
            for (k, v) in item.default_request.iter().flatten() {
                default_requests.insert(k.clone(), v.clone());
            }
        }
    }
    if defaults.is_empty() && default_requests.is_empty() {
        return;
    }
    let mut notes = Vec::new();
    let Some(spec) = pod.spec.as_mut() else {
        return;
    };
    let mut merge = |c: &mut corev1::Container, kind: &str| {
        let res = c.resources.get_or_insert_with(Default::default);
        let mut set_requests = Vec::new();
        let mut set_limits = Vec::new();
        for (k, v) in &default_requests {
            let requests = res.requests.get_or_insert_with(Default::default);
            if !requests.contains_key(k) {
                requests.insert(k.clone(), v.clone());
                set_requests.push(k.clone());
            }
        }
        for (k, v) in &defaults {
            let limits = res.limits.get_or_insert_with(Default::default);
            if !limits.contains_key(k) {
                limits.insert(k.clone(), v.clone());
                set_limits.push(k.clone());
            }
        }
        if !set_requests.is_empty() {
            notes.push(format!(
                "{} request for {kind} {}",
                set_requests.join(", "),
                c.name
            ));
        }
        if !set_limits.is_empty() {
            notes.push(format!(
                "{} limit for {kind} {}",
                set_limits.join(", "),
                c.name
            ));
        }
    };
    for c in spec.containers.iter_mut() {
        merge(c, "container");
    }
    for c in spec.init_containers.iter_mut().flatten() {
        merge(c, "init container");
    }
    if !notes.is_empty() {
        pod.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                "kubernetes.io/limit-ranger".into(),
                format!("LimitRanger plugin set: {}", notes.join("; ")),
            );
    }
}

/// Checks a new pod (or claim) against the namespace's bounds: the failures, if any.
pub fn validate(store: &Store, obj: &Object) -> Vec<String> {
    let Object::Pod(pod) = obj else {
        return Vec::new();
    };
    let ns = pod.metadata.namespace.as_deref().unwrap_or_default();
    let ranges = limit_ranges(store, ns);
    if ranges.is_empty() {
        return Vec::new();
    }
    let spec = pod.spec.clone().unwrap_or_default();
    let mut errs = Vec::new();
    for lr in ranges {
        for item in lr.spec.iter().flat_map(|s| s.limits.iter()) {
            match item.type_.as_str() {
                "Container" => {
                    for c in spec
                        .containers
                        .iter()
                        .chain(spec.init_containers.iter().flatten())
                    {
                        let res = c.resources.clone().unwrap_or_default();
                        check(
                            item,
                            "Container",
                            &res.requests.unwrap_or_default(),
                            &res.limits.unwrap_or_default(),
                            &mut errs,
                        );
                    }
                }
                "Pod" => {
                    let (req, lim) = pod_totals(&spec);
                    check(item, "Pod", &req, &lim, &mut errs);
                }
                _ => {}
            }
        }
    }
    errs
}

fn parse(q: &Q) -> Quantity {
    Quantity::parse(&q.0).unwrap_or_else(|_| Quantity::zero())
}

fn pod_totals(spec: &corev1::PodSpec) -> (List, List) {
    let mut req: BTreeMap<String, Quantity> = BTreeMap::new();
    let mut lim: BTreeMap<String, Quantity> = BTreeMap::new();
    for c in &spec.containers {
        let res = c.resources.clone().unwrap_or_default();
        for (k, v) in res.requests.iter().flatten() {
            req.entry(k.clone())
                .or_insert_with(Quantity::zero)
                .add(&parse(v));
        }
        for (k, v) in res.limits.iter().flatten() {
            lim.entry(k.clone())
                .or_insert_with(Quantity::zero)
                .add(&parse(v));
        }
    }
    let conv =
        |m: BTreeMap<String, Quantity>| m.into_iter().map(|(k, v)| (k, Q(v.to_string()))).collect();
    (conv(req), conv(lim))
}

/// requestLimitEnforcedValues: milli-units when every value fits, else whole units.
fn values(req: Option<&Quantity>, lim: Option<&Quantity>, enforced: &Quantity) -> (i64, i64, i64) {
    const MAX_MILLI: i64 = i64::MAX / 1000;
    let all_small = [req, lim, Some(enforced)]
        .iter()
        .flatten()
        .all(|q| q.value() <= MAX_MILLI);
    let v = |q: Option<&Quantity>| {
        q.map_or(0, |q| {
            if all_small {
                q.milli_value()
            } else {
                q.value()
            }
        })
    };
    (v(req), v(lim), v(Some(enforced)))
}

fn check(
    item: &corev1::LimitRangeItem,
    ty: &str,
    request: &List,
    limit: &List,
    errs: &mut Vec<String>,
) {
    for (name, enforced) in item.min.iter().flatten() {
        let enforced = parse(enforced);
        let req = request.get(name).map(parse);
        let lim = limit.get(name).map(parse);
        let (r, l, e) = values(req.as_ref(), lim.as_ref(), &enforced);
        match (&req, &lim) {
            (None, _) => errs.push(format!(
                "minimum {name} usage per {ty} is {enforced}.  No request is specified"
            )),
            (Some(q), _) if r < e => errs.push(format!(
                "minimum {name} usage per {ty} is {enforced}, but request is {q}"
            )),
            (_, Some(q)) if l < e => errs.push(format!(
                "minimum {name} usage per {ty} is {enforced}, but limit is {q}"
            )),
            _ => {}
        }
    }
    for (name, enforced) in item.max.iter().flatten() {
        let enforced = parse(enforced);
        let req = request.get(name).map(parse);
        let lim = limit.get(name).map(parse);
        let (r, l, e) = values(req.as_ref(), lim.as_ref(), &enforced);
        match (&req, &lim) {
            (_, None) => errs.push(format!(
                "maximum {name} usage per {ty} is {enforced}.  No limit is specified"
            )),
            (_, Some(q)) if l > e => errs.push(format!(
                "maximum {name} usage per {ty} is {enforced}, but limit is {q}"
            )),
            (Some(q), _) if r > e => errs.push(format!(
                "maximum {name} usage per {ty} is {enforced}, but request is {q}"
            )),
            _ => {}
        }
    }
    for (name, enforced) in item.max_limit_request_ratio.iter().flatten() {
        let enforced = parse(enforced);
        let req = request.get(name).map(parse);
        let lim = limit.get(name).map(parse);
        let (r, l, _) = values(req.as_ref(), lim.as_ref(), &enforced);
        if req.is_none() || r == 0 {
            errs.push(format!(
                "{name} max limit to request ratio per {ty} is {enforced}, but no request is specified or request is 0"
            ));
            continue;
        }
        if lim.is_none() || l == 0 {
            errs.push(format!(
                "{name} max limit to request ratio per {ty} is {enforced}, but no limit is specified or limit is 0"
            ));
            continue;
        }
        let observed = l as f64 / r as f64;
        let (cmp_observed, max) = if enforced.value() <= i64::MAX / 1000 {
            (observed * 1000.0, enforced.milli_value() as f64)
        } else {
            (observed, enforced.value() as f64)
        };
        if cmp_observed > max {
            errs.push(format!(
                "{name} max limit to request ratio per {ty} is {enforced}, but provided ratio is {observed:.6}"
            ));
        }
    }
}
