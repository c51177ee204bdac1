//! Network calls of the containers' own processes (`while true; do wget -qO- http://kubia;
//! sleep 1; done`). The kubelet steps a process without the network in reach; a tool call
//! parks the process (`Process::network_request`), and right after the kubelet's step the
//! cluster runs the tool on the data path as that pod and hands back what it printed.

use crate::kubelet::runtime::InContainer;
use crate::sim::Cluster;
use crate::time::SimDuration;

use super::{Client, Fabric, tools};

/// Answers the parked network calls of one pod's containers.
pub(crate) fn answer(c: &mut Cluster, node: &str, uid: &str) {
    let asks: Vec<(usize, Vec<String>, crate::kubelet::runtime::Env)> = {
        let Some(w) = c.kubelets.nodes.get(node).and_then(|k| k.workers.get(uid)) else {
            return;
        };
        w.ctrs
            .iter()
            .enumerate()
            .filter_map(|(i, ctr)| {
                let argv = ctr.proc.as_ref()?.network_request()?.to_vec();
                Some((i, argv, ctr.env.clone()))
            })
            .collect()
    };
    if asks.is_empty() {
        return;
    }
    let Some((namespace, name, ip)) = c.kubelets.nodes.get(node).and_then(|k| k.workers.get(uid)).map(|w| {
        (
            w.pod.metadata.namespace.clone().unwrap_or_default(),
            w.pod.metadata.name.clone().unwrap_or_default(),
            w.ip.clone().unwrap_or_default(),
        )
    }) else {
        return;
    };
    let now = c.now;
    for (i, argv, env) in asks {
        let Some((tool, args)) = argv.split_first() else { continue };
        let (out, elapsed) = {
            let mut fabric = Fabric {
                store: &c.store,
                kubelets: &mut c.kubelets,
                state: &mut c.network,
                rng: &mut c.rng,
                now,
                client: Client::Pod {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    ip: ip.clone(),
                },
                elapsed: SimDuration::ZERO,
            };
            let out = tools::run(tool, args, &mut InContainer { net: &mut fabric, env: &env }).unwrap_or_default();
            (out, fabric.elapsed)
        };
        let proc = c
            .kubelets
            .nodes
            .get_mut(node)
            .and_then(|k| k.workers.get_mut(uid))
            .and_then(|w| w.ctrs.get_mut(i))
            .and_then(|ctr| ctr.proc.as_mut());
        if let Some(p) = proc {
            p.answer_network(out, now + elapsed);
        }
    }
}
