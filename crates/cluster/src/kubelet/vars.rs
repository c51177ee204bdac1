//! A container's environment variables: one map shared by every container that starts with
//! the same variables but its host name (the replicas of a Deployment in a namespace), under
//! the few of its own (`HOSTNAME`, and what its shells set or export).
//!
//! A map per container is a B-tree of some fifteen pairs of short strings, the image's, the
//! Services' and the runtime's, equal in every replica but for `HOSTNAME`: sharing it saved
//! about 290 bytes per pod at 150,000 pods (docs/benchmarks.md, the fifth 150k-pod round).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Variables by name, in name order: the container's own over the shared ones.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    shared: Arc<BTreeMap<String, String>>,
    own: BTreeMap<String, String>,
}

impl Vars {
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&String> {
        self.own.get(name).or_else(|| self.shared.get(name))
    }

    /// Sets `name` in this container only.
    pub fn insert(&mut self, name: String, value: String) {
        self.own.insert(name, value);
    }

    /// Every variable, in name order.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut all = (*self.shared).clone();
        all.extend(self.own.iter().map(|(k, v)| (k.clone(), v.clone())));
        all
    }
}

impl PartialEq for Vars {
    fn eq(&self, other: &Vars) -> bool {
        self.to_map() == other.to_map()
    }
}

/// The shared maps in use, so that containers with equal variables hold one.
#[derive(Debug, Default)]
pub struct SharedVars {
    maps: HashSet<Arc<BTreeMap<String, String>>>,
    /// How many maps were left after the last sweep of the ones no container holds.
    kept: usize,
}

impl SharedVars {
    /// A container's variables from its whole map: `HOSTNAME` its own, the rest shared with
    /// every container whose rest is equal.
    pub fn vars(&mut self, mut all: BTreeMap<String, String>) -> Vars {
        let own: BTreeMap<String, String> = all
            .remove_entry("HOSTNAME")
            .into_iter()
            .collect();
        let shared = match self.maps.get(&all) {
            Some(found) => Arc::clone(found),
            None => {
                self.sweep();
                let made = Arc::new(all);
                self.maps.insert(Arc::clone(&made));
                made
            }
        };
        Vars { shared, own }
    }

    /// Drops the maps only this set still holds once it has doubled since the last sweep,
    /// so that the set stays proportional to the maps in use.
    fn sweep(&mut self) {
        if self.maps.len() < 2 * self.kept.max(32) {
            return;
        }
        self.maps.retain(|m| Arc::strong_count(m) > 1);
        self.kept = self.maps.len();
    }

    /// How many distinct shared maps the set holds.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.maps.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn replicas_share_all_but_their_host_names() {
        let mut set = SharedVars::default();
        let a = map(&[("HOSTNAME", "web-a"), ("PATH", "/bin"), ("HOME", "/root")]);
        let b = map(&[("HOSTNAME", "web-b"), ("PATH", "/bin"), ("HOME", "/root")]);
        let c = map(&[("HOSTNAME", "db-a"), ("PATH", "/usr/bin"), ("HOME", "/root")]);
        let (va, vb, vc) = (set.vars(a.clone()), set.vars(b.clone()), set.vars(c.clone()));
        assert!(Arc::ptr_eq(&va.shared, &vb.shared));
        assert!(!Arc::ptr_eq(&va.shared, &vc.shared));
        assert_eq!(set.held(), 2);
        assert_eq!((va.to_map(), vb.to_map(), vc.to_map()), (a, b, c));
        assert_eq!(va.get("HOSTNAME").map(String::as_str), Some("web-a"));
        assert_eq!(vb.get("PATH").map(String::as_str), Some("/bin"));
        assert_eq!(va.get("TERM"), None);
    }

    #[test]
    fn a_container_sets_only_its_own() {
        let mut set = SharedVars::default();
        let all = map(&[("HOSTNAME", "web-a"), ("PATH", "/bin")]);
        let (mut va, vb) = (set.vars(all.clone()), set.vars(all.clone()));
        va.insert("PATH".into(), "/sbin".into());
        va.insert("X".into(), "1".into());
        assert_eq!(
            va.to_map(),
            map(&[("HOSTNAME", "web-a"), ("PATH", "/sbin"), ("X", "1")])
        );
        assert_eq!(vb.to_map(), all);
        assert_ne!(va, vb);
        assert_eq!(vb, set.vars(all));
    }

    #[test]
    fn maps_no_container_holds_are_swept() {
        let mut set = SharedVars::default();
        let held: Vec<Vars> = (0..10)
            .map(|i| set.vars(map(&[("N", &i.to_string())])))
            .collect();
        for i in 10..200 {
            drop(set.vars(map(&[("N", &i.to_string())])));
        }
        assert!(set.held() < 80, "{}", set.held());
        for (i, v) in held.iter().enumerate() {
            let again = set.vars(map(&[("N", &i.to_string())]));
            assert!(Arc::ptr_eq(&v.shared, &again.shared));
        }
    }
}
