//! Checker for `service_envvars.json`: the kubelet's service environment variables, in order.

use machinery::envvars::{ServiceInfo, ServicePortInfo, from_services};
use serde_json::Value;

use super::Outcome;
use super::util::{self, compare};

pub fn check(row: &Value) -> Outcome {
    if util::str_field(row, "kind") != "FromServices" {
        return util::unsupported(row, "unknown kind");
    }
    let services: Vec<ServiceInfo> = row
        .get("services")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| ServiceInfo {
                    name: util::str_field(s, "name").into(),
                    cluster_ip: util::str_field(s, "clusterIP").into(),
                    ports: s
                        .get("ports")
                        .and_then(Value::as_array)
                        .map(|ps| {
                            ps.iter()
                                .map(|p| ServicePortInfo {
                                    name: util::str_field(p, "name").into(),
                                    port: util::int_field(p, "port").unwrap_or(0) as i32,
                                    protocol: util::str_field(p, "protocol").into(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let want: Vec<(String, String)> = row
        .get("expectedOrdered")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        util::str_field(e, "name").into(),
                        util::str_field(e, "value").into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    compare(want, from_services(&services))
}
