//! `NodeInfos`: the scheduler's cache of nodes and their assigned pods, with the indexes
//! that keep one scheduling attempt from walking every node of a 5,000-node cluster.
//!
//! Mirrors the parts of pkg/scheduler/backend/cache (v1.34) the plugins read: per node its
//! `NodeInfo`; the image states (`imageStates`: how many nodes hold each image, which
//! ImageLocality scales by); the nodes with pods carrying required anti-affinity
//! (`HavePodsWithRequiredAntiAffinityList`); and which node holds each assigned pod.
//!
//! # Invariants
//! Change nodes and pods through the methods here so the indexes stay in step with `nodes`;
//! a cache built by hand (tests) leaves them empty and the plugins then count over `nodes`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use api::Object;
use k8s_openapi::api::core::v1 as corev1;

use super::types::{NodeInfo, PodInfo};

/// Every node the scheduler knows, by name.
#[derive(Debug, Clone, Default)]
pub struct NodeInfos {
    pub nodes: BTreeMap<String, NodeInfo>,
    /// Which node holds each assigned pod (`namespace/name`), so a pod event touches one
    /// node instead of scanning all of them.
    pub assigned: HashMap<String, String>,
    /// Node names in key order, for the round robin's start index.
    names: Vec<String>,
    /// Nodes with at least one pod carrying required anti-affinity terms.
    anti_affinity_nodes: BTreeSet<String>,
    /// Per normalized image name, how many nodes hold it.
    image_nodes: HashMap<String, i64>,
    /// Per controller uid, its non-terminating assigned pods counted by namespace and node
    /// (the nodes' `controlled_pods` gathered in one place): default spreading scores a
    /// pod's siblings on 500 nodes per attempt, and reading each node's own map cost a few
    /// cache misses per node, a tenth of the time to bring 150,000 pods up.
    controlled: HashMap<String, Vec<Siblings>>,
    /// The slot the next added node gets.
    next_slot: u32,
    /// How many nodes of `nodes` came through the methods here (a cache built by hand has
    /// none, and its indexes are not used).
    indexed_nodes: usize,
}

/// How many pods of one controller and namespace a node holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Siblings {
    pub namespace: String,
    /// The node's [`NodeInfo::slot`].
    pub node: u32,
    pub count: u32,
}

impl NodeInfos {
    /// A cache of `nodes` with their indexes built.
    pub fn from_nodes(nodes: impl IntoIterator<Item = NodeInfo>) -> NodeInfos {
        let mut infos = NodeInfos::default();
        for mut n in nodes {
            let name = n.name.clone();
            n.slot = infos.next_slot;
            infos.next_slot += 1;
            infos.indexed_nodes += 1;
            for (owner, per_ns) in &n.controlled_pods {
                for (ns, count) in per_ns {
                    infos.controlled.entry(owner.clone()).or_default().push(Siblings {
                        namespace: ns.clone(),
                        node: n.slot,
                        count: *count,
                    });
                }
            }
            infos.count_images(&n, 1);
            for key in n.pods.keys() {
                infos.assigned.insert(key.clone(), name.clone());
            }
            if n.required_anti_affinity_pods > 0 {
                infos.anti_affinity_nodes.insert(name.clone());
            }
            infos.nodes.insert(name, n);
        }
        infos.names = infos.nodes.keys().cloned().collect();
        infos
    }

    /// Adds a node, or takes labels, taints, capacity and images from its newer version.
    /// Returns whether pods that did not fit may fit now: a new node, or a change of its
    /// scheduling properties ([`NodeInfo::scheduling_properties_differ`]).
    pub fn upsert_node(&mut self, node: &corev1::Node) -> bool {
        let name = node.metadata.name.clone().unwrap_or_default();
        let mut fresh = NodeInfo::new(node);
        self.count_images(&fresh, 1);
        match self.nodes.get_mut(&name) {
            Some(info) => {
                let changed = info.scheduling_properties_differ(&fresh);
                let old = std::mem::take(&mut info.images);
                info.update_from(fresh);
                for img in old.keys() {
                    self.uncount_image(img);
                }
                changed
            }
            None => {
                fresh.slot = self.next_slot;
                self.next_slot += 1;
                self.indexed_nodes += 1;
                // Keep `names` sorted by inserting in place: rebuilding it per added node
                // made building a 5,000-node cluster quadratic.
                if self.names.len() == self.nodes.len()
                    && let Err(at) = self.names.binary_search(&name)
                {
                    self.names.insert(at, name.clone());
                    self.nodes.insert(name, fresh);
                } else {
                    self.nodes.insert(name, fresh);
                    self.names = self.nodes.keys().cloned().collect();
                }
                true
            }
        }
    }

    /// Forgets a node (its pods stay in `assigned` until their own events).
    pub fn remove_node(&mut self, name: &str) {
        if let Some(info) = self.nodes.remove(name) {
            self.indexed_nodes = self.indexed_nodes.saturating_sub(1);
            for img in info.images.keys() {
                self.uncount_image(img);
            }
            for (owner, per_ns) in &info.controlled_pods {
                for (ns, _) in per_ns {
                    self.set_controlled(owner, ns, info.slot, 0);
                }
            }
            self.anti_affinity_nodes.remove(name);
            match self.names.binary_search_by(|n| n.as_str().cmp(name)) {
                Ok(at) if self.names.len() == self.nodes.len() + 1 => {
                    self.names.remove(at);
                }
                _ => self.names = self.nodes.keys().cloned().collect(),
            }
        }
    }

    /// Accounts for `pod` on `node` (replacing an earlier view of it there).
    pub fn assume_pod(&mut self, node: &str, pod: PodInfo) {
        let key = pod.key();
        let before = controller_of(self.nodes.get(node).and_then(|n| n.pods.get(&key)));
        let after = controller_of(Some(&pod));
        if let Some(n) = self.nodes.get_mut(node) {
            n.remove_pod(&key);
            n.add_pod(pod);
            self.assigned.insert(key, node.to_string());
            self.note_anti_affinity(node);
            self.recount_controlled(node, [before, after]);
        }
    }

    /// Accounts for the stored version `obj` of a pod bound to `node`.
    pub fn refresh_pod(&mut self, key: &str, node: &str, obj: &Arc<Object>, priority: i32) {
        // Most refreshes are the kubelet's status writes, which change nothing counted here:
        // the node's sums, the anti-affinity nodes and the controllers' tallies stay.
        if let Some(n) = self.nodes.get_mut(node)
            && self.assigned.get(key).is_some_and(|held| held == node)
            && n.refresh_unchanged(key, obj, priority)
        {
            return;
        }
        let before = controller_of(self.nodes.get(node).and_then(|n| n.pods.get(key)));
        if let Some(n) = self.nodes.get_mut(node) {
            n.refresh_pod(key, obj, priority);
            let after = controller_of(n.pods.get(key));
            self.assigned.insert(key.to_string(), node.to_string());
            self.note_anti_affinity(node);
            self.recount_controlled(node, [before, after]);
        }
    }

    /// Drops a pod from the node holding it. Returns whether it was held.
    pub fn forget_pod(&mut self, key: &str) -> bool {
        let Some(node) = self.assigned.remove(key) else {
            return false;
        };
        let before = controller_of(self.nodes.get(&node).and_then(|n| n.pods.get(key)));
        if let Some(n) = self.nodes.get_mut(&node) {
            n.remove_pod(key);
            self.note_anti_affinity(&node);
            self.recount_controlled(&node, [before, None]);
        }
        true
    }

    /// Per controller uid, its pods by namespace and node slot, when the index was built
    /// (see [`NodeInfo::controlled_count`] for what is counted).
    pub fn controlled(&self) -> Option<&HashMap<String, Vec<Siblings>>> {
        (self.indexed_nodes == self.nodes.len()).then_some(&self.controlled)
    }

    /// Copies `node`'s counts of these (controller uid, namespace) pairs into the index.
    fn recount_controlled(&mut self, node: &str, owners: [Option<(String, String)>; 2]) {
        let Some(n) = self.nodes.get(node) else {
            return;
        };
        let slot = n.slot;
        let counts = owners.map(|o| {
            o.map(|(owner, ns)| {
                let count = n.controlled_count(&owner, &ns);
                (owner, ns, count)
            })
        });
        for (owner, ns, count) in counts.into_iter().flatten() {
            self.set_controlled(&owner, &ns, slot, count);
        }
    }

    fn set_controlled(&mut self, owner: &str, ns: &str, node: u32, count: u32) {
        let siblings = match self.controlled.get_mut(owner) {
            Some(s) => s,
            None if count == 0 => return,
            None => self.controlled.entry(owner.to_string()).or_default(),
        };
        match siblings.iter().position(|s| s.node == node && s.namespace == ns) {
            Some(i) if count == 0 => {
                siblings.swap_remove(i);
            }
            Some(i) => siblings[i].count = count,
            None if count == 0 => {}
            None => siblings.push(Siblings {
                namespace: ns.to_string(),
                node,
                count,
            }),
        }
        if siblings.is_empty() {
            self.controlled.remove(owner);
        }
    }

    /// The node holding an assigned pod.
    pub fn node_of(&self, key: &str) -> Option<&str> {
        self.assigned.get(key).map(String::as_str)
    }

    /// The nodes in round-robin order from index `start` (wrapping), without copying the
    /// node list per pod.
    pub fn round_robin(&self, start: usize) -> Box<dyn Iterator<Item = &NodeInfo> + '_> {
        let n = self.nodes.len();
        let start = if n == 0 { 0 } else { start % n };
        match self.names.get(start) {
            Some(first) if self.names.len() == n => {
                use std::ops::Bound::{Excluded, Included, Unbounded};
                let first = first.as_str();
                Box::new(
                    self.nodes
                        .range::<str, _>((Included(first), Unbounded))
                        .chain(self.nodes.range::<str, _>((Unbounded, Excluded(first))))
                        .map(|(_, v)| v),
                )
            }
            _ => Box::new(
                self.nodes
                    .values()
                    .skip(start)
                    .chain(self.nodes.values().take(start)),
            ),
        }
    }

    /// The nodes holding pods with required anti-affinity, in name order (all nodes when
    /// the index was not built).
    pub fn anti_affinity_candidates(&self) -> Box<dyn Iterator<Item = &NodeInfo> + '_> {
        if self.names.len() == self.nodes.len() {
            Box::new(
                self.anti_affinity_nodes
                    .iter()
                    .filter_map(|n| self.nodes.get(n)),
            )
        } else {
            Box::new(self.nodes.values())
        }
    }

    /// How many nodes hold `image` (normalized), when the index was built.
    pub fn image_nodes(&self) -> Option<&HashMap<String, i64>> {
        (self.names.len() == self.nodes.len()).then_some(&self.image_nodes)
    }

    fn note_anti_affinity(&mut self, node: &str) {
        let has = self
            .nodes
            .get(node)
            .is_some_and(|n| n.required_anti_affinity_pods > 0);
        if has {
            if !self.anti_affinity_nodes.contains(node) {
                self.anti_affinity_nodes.insert(node.to_string());
            }
        } else {
            self.anti_affinity_nodes.remove(node);
        }
    }

    fn count_images(&mut self, n: &NodeInfo, by: i64) {
        for img in n.images.keys() {
            *self.image_nodes.entry(img.clone()).or_default() += by;
        }
    }

    fn uncount_image(&mut self, img: &str) {
        if let Some(c) = self.image_nodes.get_mut(img) {
            *c -= 1;
            if *c <= 0 {
                self.image_nodes.remove(img);
            }
        }
    }
}

/// The controller uid and namespace of an assigned pod, for the index to recount.
fn controller_of(pod: Option<&PodInfo>) -> Option<(String, String)> {
    let pod = pod?;
    Some((pod.owner_uid.clone()?, pod.namespace.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, images: &[&str]) -> corev1::Node {
        corev1::Node {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            status: Some(corev1::NodeStatus {
                images: Some(
                    images
                        .iter()
                        .map(|i| corev1::ContainerImage {
                            names: Some(vec![i.to_string()]),
                            size_bytes: Some(1),
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn names<'a>(it: impl Iterator<Item = &'a NodeInfo>) -> Vec<&'a str> {
        it.map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn round_robin_wraps_from_the_start_index() {
        let mut c = NodeInfos::default();
        for n in ["c", "a", "d", "b"] {
            c.upsert_node(&node(n, &[]));
        }
        assert_eq!(names(c.round_robin(0)), ["a", "b", "c", "d"]);
        assert_eq!(names(c.round_robin(2)), ["c", "d", "a", "b"]);
        assert_eq!(names(c.round_robin(5)), ["b", "c", "d", "a"]);
        c.remove_node("c");
        assert_eq!(names(c.round_robin(2)), ["d", "a", "b"]);
        // A cache built by hand walks the map the same way.
        let by_hand = NodeInfos {
            nodes: c.nodes.clone(),
            ..Default::default()
        };
        assert_eq!(names(by_hand.round_robin(2)), ["d", "a", "b"]);
    }

    #[test]
    fn image_counts_follow_node_changes() {
        let mut c = NodeInfos::default();
        c.upsert_node(&node("a", &["nginx:1", "pause:3"]));
        c.upsert_node(&node("b", &["nginx:1"]));
        let count = |c: &NodeInfos, i: &str| c.image_nodes().and_then(|m| m.get(i).copied());
        assert_eq!(count(&c, "nginx:1"), Some(2));
        assert_eq!(count(&c, "pause:3"), Some(1));
        c.upsert_node(&node("a", &["pause:3"]));
        assert_eq!(count(&c, "nginx:1"), Some(1));
        assert_eq!(count(&c, "pause:3"), Some(1));
        c.remove_node("b");
        assert_eq!(count(&c, "nginx:1"), None);
    }

    /// A pod of `owner` (none: no controller) in `ns`, terminating or not.
    fn owned_pod(name: &str, ns: &str, owner: Option<&str>, terminating: bool) -> Arc<Object> {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
        Arc::new(Object::Pod(corev1::Pod {
            metadata: metav1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                uid: Some(format!("uid-{name}")),
                owner_references: owner.map(|o| {
                    vec![metav1::OwnerReference {
                        uid: o.into(),
                        controller: Some(true),
                        ..Default::default()
                    }]
                }),
                deletion_timestamp: terminating
                    .then_some(metav1::Time(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)),
                ..Default::default()
            },
            spec: Some(corev1::PodSpec::default()),
            status: None,
        }))
    }

    #[test]
    fn controller_index_counts_what_the_nodes_hold() {
        // Random assumes, refreshes, forgets and node changes; after each, the index's
        // count of every (controller, namespace, node) equals a walk over the node's pods.
        let mut rng = crate::rng::SimRng::seeded(11);
        let nodes = ["n-a", "n-b", "n-c", "n-d"];
        let owners = [Some("rs-1"), Some("rs-2"), Some("rs-3"), None];
        let namespaces = ["default", "web"];
        let mut c = NodeInfos::default();
        for n in nodes {
            c.upsert_node(&node(n, &[]));
        }
        let pick = |rng: &mut crate::rng::SimRng, n: usize| rng.below(n as u32) as usize;
        for step in 0..3_000 {
            let name = format!("p{}", pick(&mut rng, 40));
            let ns = namespaces[pick(&mut rng, 2)];
            let on = nodes[pick(&mut rng, nodes.len())];
            let pod = owned_pod(&name, ns, owners[pick(&mut rng, 4)], pick(&mut rng, 5) == 0);
            match pick(&mut rng, 10) {
                0..=3 => c.assume_pod(on, PodInfo::from_object(&pod, 0).expect("pod")),
                4..=6 => c.refresh_pod(&format!("{ns}/{name}"), on, &pod, 0),
                7 | 8 => {
                    c.forget_pod(&format!("{ns}/{name}"));
                }
                _ if step % 7 == 0 => {
                    c.remove_node(on);
                    c.upsert_node(&node(on, &[]));
                }
                _ => {}
            }
            assert!(c.controlled().is_some());
            for owner in owners.iter().flatten() {
                for ns in namespaces {
                    let probe = PodInfo {
                        namespace: ns.into(),
                        owner_uid: Some(owner.to_string()),
                        ..Default::default()
                    };
                    let ctx = crate::scheduler::filter::FilterContext::for_cache(&probe, &c);
                    for n in c.nodes.values() {
                        let walked = n
                            .pods
                            .values()
                            .filter(|p| {
                                !p.terminating
                                    && p.namespace == ns
                                    && p.owner_uid.as_deref() == Some(*owner)
                            })
                            .count() as u32;
                        assert_eq!(n.controlled_count(owner, ns), walked, "step {step}");
                        assert_eq!(
                            ctx.controlled_count(owner, ns, n),
                            walked,
                            "step {step}: {owner} in {ns} on {}",
                            n.name
                        );
                    }
                }
            }
        }
        // A cache built by hand has no index, and the count walks its nodes.
        let by_hand = NodeInfos {
            nodes: c.nodes.clone(),
            ..Default::default()
        };
        assert!(by_hand.controlled().is_none());
    }
}
