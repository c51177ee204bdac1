//! Scenarios after pkg/controller/endpointslicemirroring/reconciler_test.go (v1.34).

use super::*;
use crate::apiserver::DeleteOptions;
use crate::controller::testutil::{apply, cluster, get, update};
use crate::sim::Cluster;
use crate::time::SimDuration;

const SERVICE: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: external-service, namespace: default}
spec:
  ports: [{port: 80}]
"#;

const ENDPOINTS: &str = r#"
apiVersion: v1
kind: Endpoints
metadata: {name: external-service, namespace: default, labels: {team: a}}
subsets:
- addresses: [{ip: 11.11.11.11}, {ip: 22.22.22.22}]
  notReadyAddresses: [{ip: 33.33.33.33}]
  ports: [{port: 80}]
"#;

/// Creates the objects of `yaml` and lets the controllers act.
fn create(c: &mut Cluster, yaml: &str) {
    apply(c, yaml);
    c.advance(SimDuration::from_secs(1));
}

fn mirrored(c: &Cluster) -> Vec<discoveryv1::EndpointSlice> {
    c.list(kind_of::<discoveryv1::EndpointSlice>(), Some("default"))
        .iter()
        .filter_map(|o| match &**o {
            Object::EndpointSlice(s) if is_mirrored(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// `(address, ready)` of a slice's endpoints.
fn addresses(s: &discoveryv1::EndpointSlice) -> Vec<(String, Option<bool>)> {
    s.endpoints
        .iter()
        .map(|e| {
            let c = e.conditions.clone().unwrap_or_default();
            assert_eq!((c.serving, c.terminating), (None, None));
            (e.addresses.join(","), c.ready)
        })
        .collect()
}

#[test]
fn selectorless_service_endpoints_are_mirrored() {
    let mut c = cluster(1);
    create(&mut c, SERVICE);
    create(&mut c, ENDPOINTS);
    let slices = mirrored(&c);
    assert_eq!(slices.len(), 1, "{slices:?}");
    let s = &slices[0];
    assert!(
        s.metadata
            .name
            .as_deref()
            .is_some_and(|n| n.starts_with("external-service-") && n.len() == 22)
    );
    let labels = s.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels,
        BTreeMap::from([
            (
                "endpointslice.kubernetes.io/managed-by".to_string(),
                CONTROLLER_NAME.to_string()
            ),
            (
                "kubernetes.io/service-name".to_string(),
                "external-service".to_string()
            ),
            ("team".to_string(), "a".to_string()),
        ])
    );
    let owner = &s.metadata.owner_references.clone().unwrap_or_default()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str(), owner.controller),
        ("Endpoints", "external-service", Some(true))
    );
    assert_eq!(s.address_type, "IPv4");
    let port = &s.ports.clone().unwrap_or_default()[0];
    assert_eq!(
        (port.name.as_deref(), port.port, port.protocol.as_deref()),
        (Some(""), Some(80), Some("TCP"))
    );
    assert_eq!(
        addresses(s),
        [
            ("11.11.11.11".into(), Some(true)),
            ("22.22.22.22".into(), Some(true)),
            ("33.33.33.33".into(), Some(false)),
        ]
    );

    // An address removed from the Endpoints leaves the same slice.
    let name = s.metadata.name.clone();
    let Object::Endpoints(mut e) = get(&c, kind_of::<corev1::Endpoints>(), "external-service")
    else {
        unreachable!()
    };
    e.subsets.as_mut().expect("subsets")[0].not_ready_addresses = None;
    update(&mut c, Object::Endpoints(e));
    c.advance(SimDuration::from_secs(1));
    let slices = mirrored(&c);
    assert_eq!(slices.len(), 1);
    assert_eq!(slices[0].metadata.name, name);
    assert_eq!(addresses(&slices[0]).len(), 2);

    // Deleting the Endpoints deletes its slice.
    c.store_mut()
        .delete(
            kind_of::<corev1::Endpoints>(),
            Some("default"),
            "external-service",
            &DeleteOptions::default(),
        )
        .expect("delete");
    c.advance(SimDuration::from_secs(1));
    assert!(mirrored(&c).is_empty());
}

#[test]
fn selector_skip_mirror_and_missing_service_are_not_mirrored() {
    let mut c = cluster(2);
    // No Service yet: nothing; the Service's arrival starts mirroring.
    create(&mut c, ENDPOINTS);
    assert!(mirrored(&c).is_empty());
    create(&mut c, SERVICE);
    assert_eq!(mirrored(&c).len(), 1);

    // skip-mirror on the Endpoints removes the slice.
    let Object::Endpoints(mut e) = get(&c, kind_of::<corev1::Endpoints>(), "external-service")
    else {
        unreachable!()
    };
    e.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(SKIP_MIRROR_LABEL.into(), "true".into());
    update(&mut c, Object::Endpoints(e));
    c.advance(SimDuration::from_secs(1));
    assert!(mirrored(&c).is_empty());

    // A selector Service's Endpoints (the endpoints controller's) are never mirrored.
    create(
        &mut c,
        r#"
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"#,
    );
    assert!(mirrored(&c).is_empty());
}

#[test]
fn subsets_with_different_ports_get_one_slice_each_and_invalid_ips_warn() {
    let svc = corev1::Service {
        metadata: metav1::ObjectMeta {
            name: Some("db".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let endpoints = api::decode(
        r#"
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: default, uid: u1}
subsets:
- addresses: [{ip: 10.0.0.1}, {ip: not-an-ip}, {ip: "fd00::1"}]
  ports: [{name: a, port: 5432, protocol: TCP}]
- addresses: [{ip: 10.0.0.2}]
  ports: [{name: b, port: 6432, protocol: TCP}]
"#,
        "t.yaml",
    )
    .into_iter()
    .map(|d| match d.expect("decode").object {
        Object::Endpoints(e) => e,
        _ => unreachable!(),
    })
    .next()
    .expect("one");
    let plan = sync_mirrored_slices(
        &endpoints,
        &MirroringView {
            service: Some(svc),
            slices: Vec::new(),
        },
    );
    let mut created = Vec::new();
    let mut events = Vec::new();
    for w in &plan.writes {
        match w {
            Write::Create {
                object: Object::EndpointSlice(s),
                ..
            } => created.push((
                s.address_type.clone(),
                s.ports.clone().unwrap_or_default()[0].port,
                addresses(s),
            )),
            Write::Event(e) => events.push((e.reason.clone(), e.message.clone())),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        created,
        [
            (
                "IPv4".into(),
                Some(5432),
                vec![("10.0.0.1".into(), Some(true))]
            ),
            (
                "IPv6".into(),
                Some(5432),
                vec![("fd00::1".into(), Some(true))]
            ),
            (
                "IPv4".into(),
                Some(6432),
                vec![("10.0.0.2".into(), Some(true))]
            ),
        ]
    );
    assert_eq!(
        events,
        [(
            "InvalidIPAddress".to_string(),
            "Skipped 1 invalid IP addresses when mirroring to EndpointSlices".to_string()
        )]
    );
}

#[test]
fn more_than_the_maximum_per_subset_is_cut_with_a_warning() {
    let svc = corev1::Service::default();
    let addresses = (0..1002)
        .map(|i| corev1::EndpointAddress {
            ip: format!("10.1.{}.{}", i / 250, i % 250),
            ..Default::default()
        })
        .collect();
    let endpoints = corev1::Endpoints {
        metadata: metav1::ObjectMeta {
            name: Some("big".into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        subsets: Some(vec![corev1::EndpointSubset {
            addresses: Some(addresses),
            ports: Some(vec![corev1::EndpointPort {
                port: 80,
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }]),
    };
    let plan = sync_mirrored_slices(
        &endpoints,
        &MirroringView {
            service: Some(svc),
            slices: Vec::new(),
        },
    );
    let mut n = 0;
    let mut events = Vec::new();
    for w in &plan.writes {
        match w {
            Write::Create {
                object: Object::EndpointSlice(s),
                ..
            } => n += s.endpoints.len(),
            Write::Event(e) => events.push(e.message.clone()),
            _ => {}
        }
    }
    assert_eq!(n, 1000);
    assert_eq!(
        events,
        [
            "A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 2 addresses were skipped"
        ]
    );
}
