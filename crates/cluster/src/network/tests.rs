//! Scenario tests of the data path through a simulated minikube: the notes' kubia Service
//! (Kubernetes in Action ch. 5), DNS from a pod, affinity, readiness, NetworkPolicy.

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use crate::controller::kind_of;
use crate::controller::testutil::{apply, cluster, live_pods};
use crate::network::PodProxy;
use crate::sim::Cluster;
use crate::time::SimDuration;

const KUBIA: &str = "
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels:
      app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: kubia
";

fn running_cluster(extra: &str) -> Cluster {
    let mut c = cluster(7);
    apply(&mut c, KUBIA);
    if !extra.is_empty() {
        apply(&mut c, extra);
    }
    c.advance(SimDuration::from_secs(60));
    c
}

fn pod_names(c: &Cluster) -> Vec<String> {
    let mut names: Vec<String> = live_pods(c)
        .iter()
        .filter(|p| p.metadata.namespace.as_deref() == Some("default"))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    names.sort();
    names
}

fn exec(c: &mut Cluster, pod: &str, cmd: &str) -> (i32, String) {
    let argv = vec!["sh".to_string(), "-c".to_string(), cmd.to_string()];
    let (store, mut pods) = c.client();
    let r = pods
        .exec(store, "default", pod, pod_container(pod), &argv)
        .expect("container runs");
    (r.status, r.lines.iter().map(|l| format!("{l}\n")).collect())
}

fn pod_container(pod: &str) -> &'static str {
    if pod.starts_with("kubia") { "kubia" } else { "main" }
}

fn service_ip(c: &Cluster, name: &str) -> String {
    match c
        .store()
        .get(kind_of::<corev1::Service>(), Some("default"), name)
        .as_deref()
    {
        Ok(Object::Service(s)) => s.spec.clone().unwrap_or_default().cluster_ip.unwrap_or_default(),
        _ => String::new(),
    }
}

#[test]
fn service_spreads_connections_over_ready_pods() {
    let mut c = running_cluster("");
    let pods = pod_names(&c);
    assert_eq!(pods.len(), 3, "{pods:?}");
    let ip = service_ip(&c, "kubia");
    assert!(ip.starts_with("10."), "cluster IP {ip}");
    let mut hit = std::collections::BTreeSet::new();
    for _ in 0..12 {
        let (status, out) = exec(&mut c, &pods[0], "curl -s http://kubia");
        assert_eq!(status, 0);
        let who = out.trim().strip_prefix("You've hit ").expect(&out).to_string();
        assert!(pods.contains(&who), "{who}");
        hit.insert(who);
    }
    assert_eq!(hit.len(), 3, "every pod answers some connection");
    let (_, by_ip) = exec(&mut c, &pods[0], &format!("curl -s http://{ip}:80"));
    assert!(by_ip.starts_with("You've hit kubia-"), "{by_ip}");
    let (_, fqdn) = exec(&mut c, &pods[0], "curl -s kubia.default.svc.cluster.local");
    assert!(fqdn.starts_with("You've hit kubia-"), "{fqdn}");
    let log = &c.network().traffic;
    assert_eq!(log.len(), 14);
    assert!(log.iter().all(|e| e.service.as_deref() == Some("default/kubia") && e.result == "200"));
}

#[test]
fn client_ip_affinity_sticks_to_one_pod() {
    let mut c = running_cluster("");
    let svc = c
        .store()
        .get(kind_of::<corev1::Service>(), Some("default"), "kubia")
        .expect("svc");
    let Object::Service(mut s) = (*svc).clone() else { panic!() };
    s.spec.as_mut().expect("spec").session_affinity = Some("ClientIP".into());
    c.store_mut()
        .update(Some("default"), Object::Service(s), &Default::default())
        .expect("update");
    c.settle();
    let pods = pod_names(&c);
    let first = exec(&mut c, &pods[1], "curl -s http://kubia").1;
    for _ in 0..8 {
        assert_eq!(exec(&mut c, &pods[1], "curl -s http://kubia").1, first);
    }
}

#[test]
fn dns_answers_as_busybox_prints() {
    let mut c = running_cluster("");
    let pods = pod_names(&c);
    let ip = service_ip(&c, "kubia");
    let (status, out) = exec(&mut c, &pods[0], "nslookup kubia");
    assert_eq!(status, 0);
    assert_eq!(
        out,
        format!(
            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubia.default.svc.cluster.local\nAddress: {ip}\n\n"
        )
    );
    let (status, out) = exec(&mut c, &pods[0], "nslookup nothere");
    assert_eq!(status, 1);
    assert!(out.contains("** server can't find nothere.default.svc.cluster.local: NXDOMAIN"), "{out}");
    let (_, conf) = exec(&mut c, &pods[0], "cat /etc/resolv.conf");
    assert_eq!(
        conf,
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    let (status, out) = exec(&mut c, &pods[0], "curl -s http://nothere");
    assert_eq!((status, out.as_str()), (6, ""));
    let (_, out) = exec(&mut c, &pods[0], "curl http://nothere");
    assert_eq!(out, "curl: (6) Could not resolve host: nothere\n");
}

#[test]
fn the_vip_does_not_answer_ping_and_no_endpoints_refuses() {
    let mut c = running_cluster(
        "
apiVersion: v1
kind: Service
metadata:
  name: nobody
spec:
  ports:
  - port: 80
  selector:
    app: nobody
",
    );
    let pods = pod_names(&c);
    let ip = service_ip(&c, "kubia");
    let (status, out) = exec(&mut c, &pods[0], "ping -c 1 kubia");
    assert_eq!(status, 1);
    assert_eq!(
        out,
        format!(
            "PING kubia ({ip}): 56 data bytes\n\n--- kubia ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n"
        )
    );
    let (status, out) = exec(&mut c, &pods[0], "curl http://nobody");
    assert_eq!(status, 7);
    assert_eq!(
        out,
        "curl: (7) Failed to connect to nobody port 80 after 0 ms: Couldn't connect to server\n"
    );
}

#[test]
fn readiness_decides_which_pods_are_in_rotation() {
    // The notes' kubia-rc-readiness-probe: ready only once /var/ready exists.
    let mut c = cluster(7);
    apply(
        &mut c,
        &KUBIA.replace(
            "        ports:\n        - containerPort: 8080\n",
            "        ports:\n        - containerPort: 8080\n        readinessProbe:\n          exec:\n            command: [ls, /var/ready]\n",
        ),
    );
    c.advance(SimDuration::from_secs(60));
    let pods = pod_names(&c);
    assert_eq!(pods.len(), 3);
    let (status, out) = exec(&mut c, &pods[0], "curl -s http://kubia");
    assert_eq!((status, out.as_str()), (7, ""), "no ready endpoint: refused");
    exec(&mut c, &pods[1], "touch /var/ready");
    c.advance(SimDuration::from_secs(15));
    for _ in 0..6 {
        let out = exec(&mut c, &pods[0], "curl -s http://kubia").1;
        assert_eq!(out, format!("You've hit {}\n", pods[1]));
    }
    exec(&mut c, &pods[1], "rm /var/ready");
    c.advance(SimDuration::from_secs(40));
    assert_eq!(exec(&mut c, &pods[0], "curl -s http://kubia").0, 7);
}

#[test]
fn network_policy_denies_then_allows() {
    let mut c = running_cluster(
        "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubia-deny
spec:
  podSelector:
    matchLabels:
      app: kubia
",
    );
    let pods = pod_names(&c);
    let (status, out) = exec(&mut c, &pods[0], "curl -s --max-time 5 http://kubia");
    assert_eq!((status, out.as_str()), (28, ""));
    let (_, out) = exec(&mut c, &pods[0], "curl --max-time 5 http://kubia");
    assert_eq!(out, "curl: (28) Connection timed out after 5001 milliseconds\n");
    apply(
        &mut c,
        "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubia-allow-kubia
spec:
  podSelector:
    matchLabels:
      app: kubia
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: kubia
    ports:
    - port: 8080
",
    );
    let (status, out) = exec(&mut c, &pods[0], "curl -s http://kubia");
    assert_eq!(status, 0, "{out}");
    assert!(out.starts_with("You've hit kubia-"));
}

#[test]
fn logs_record_requests_with_times() {
    let mut c = running_cluster("");
    let pods = pod_names(&c);
    let (store, mut access) = c.client();
    let ip = {
        let obj = store.get(kind_of::<corev1::Pod>(), Some("default"), &pods[1]).expect("pod");
        let Object::Pod(p) = &*obj else { panic!() };
        p.status.clone().unwrap_or_default().pod_ip.unwrap_or_default()
    };
    let argv: Vec<String> = ["curl", "-s", &format!("http://{ip}:8080")]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let r = access.exec(store, "default", &pods[0], "kubia", &argv).expect("exec");
    assert_eq!(r.lines, [format!("You've hit {}", pods[1])]);
    let logs = access.logs("default", &pods[1], "kubia", false).expect("logs");
    let texts: Vec<&str> = logs.iter().map(|l| l.text.as_str()).collect();
    let caller = {
        let obj = store.get(kind_of::<corev1::Pod>(), Some("default"), &pods[0]).expect("pod");
        let Object::Pod(p) = &*obj else { panic!() };
        p.status.clone().unwrap_or_default().pod_ip.unwrap_or_default()
    };
    assert_eq!(
        texts,
        ["Kubia server starting...".to_string(), format!("Received request from ::ffff:{caller}")]
    );
    assert!(logs[0].at < logs[1].at);
}

/// A selector-less Service whose endpoints someone else's controller writes as slices.
const HAND_SLICES: &str = r#"
apiVersion: v1
kind: Service
metadata:
  name: manual
spec:
  ports:
  - name: web
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual-a
  labels:
    kubernetes.io/service-name: manual
    endpointslice.kubernetes.io/managed-by: my-controller.example.com
addressType: IPv4
ports:
- name: web
  port: 8080
endpoints:
- addresses: ["10.1.0.10"]
- addresses: ["10.1.0.9"]
  conditions: {ready: false, serving: true, terminating: true}
- addresses: ["10.1.0.8"]
  conditions: {ready: false}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: manual-b
  labels:
    kubernetes.io/service-name: manual
addressType: IPv4
ports:
- name: web
  port: 8080
- name: other
  port: 9090
endpoints:
- addresses: ["10.1.0.10"]
- addresses: ["10.1.0.2"]
  conditions: {ready: true}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: unlabelled
addressType: IPv4
ports:
- name: web
  port: 8080
endpoints:
- addresses: ["10.1.0.3"]
"#;

fn manual_service(c: &Cluster) -> corev1::Service {
    match c.store().get(kind_of::<corev1::Service>(), Some("default"), "manual").as_deref() {
        Ok(Object::Service(s)) => s.clone(),
        other => panic!("{other:?}"),
    }
}

fn endpoint_keys(eps: &[crate::network::proxy::Endpoint]) -> Vec<String> {
    eps.iter().map(|e| format!("{}:{}", e.ip, e.port)).collect()
}

/// pkg/proxy/endpointslicecache.go (v1.34): every slice labelled with the Service's name
/// counts whoever manages it, unlabelled ones do not, a repeated `ip:port` is kept once, and
/// the endpoints are sorted by `ip:port`; topology.go: only ready ones take traffic.
#[test]
fn kube_proxy_reads_every_labelled_slice() {
    let mut c = cluster(7);
    apply(&mut c, HAND_SLICES);
    let svc = manual_service(&c);
    let port = svc.spec.clone().unwrap_or_default().ports.unwrap_or_default()[0].clone();
    let eps = crate::network::proxy::ready_endpoints(c.store(), &svc, &port);
    assert_eq!(endpoint_keys(&eps), ["10.1.0.10:8080", "10.1.0.2:8080"]);
}

/// topology.go `CategorizeEndpoints` (v1.34): with no ready endpoint left, connections go to
/// the ones still serving while they terminate; an unready, non-serving one never gets any.
#[test]
fn kube_proxy_falls_back_to_serving_terminating_endpoints() {
    let mut c = cluster(7);
    let only_terminating: String = HAND_SLICES
        .split("---")
        .take(2)
        .collect::<Vec<_>>()
        .join("---")
        .replace("- addresses: [\"10.1.0.10\"]\n", "");
    apply(&mut c, &only_terminating);
    let svc = manual_service(&c);
    let port = svc.spec.clone().unwrap_or_default().ports.unwrap_or_default()[0].clone();
    let eps = crate::network::proxy::ready_endpoints(c.store(), &svc, &port);
    assert_eq!(endpoint_keys(&eps), ["10.1.0.9:8080"]);
}

/// Endpoints labelled `endpointslice.kubernetes.io/skip-mirror: "true"` get no slice, so
/// kube-proxy has nothing to route to even though the Endpoints list an address.
#[test]
fn skip_mirror_endpoints_are_not_routed() {
    let mut c = running_cluster(
        r#"
apiVersion: v1
kind: Service
metadata:
  name: unmirrored
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: unmirrored
  labels:
    endpointslice.kubernetes.io/skip-mirror: "true"
subsets:
- addresses:
  - ip: 10.244.0.3
  ports:
  - port: 8080
"#,
    );
    let pods = pod_names(&c);
    let (status, _) = exec(&mut c, &pods[0], "curl -s http://unmirrored");
    assert_eq!(status, 7, "curl: (7) Failed to connect … Connection refused");
    let (status, out) = exec(&mut c, &pods[0], "curl -s http://kubia");
    assert_eq!(status, 0, "{out}");
}
