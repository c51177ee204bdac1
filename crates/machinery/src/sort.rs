//! One stable sort for the places where sorting is not hot: listings, descriptions, plans.
//!
//! `slice::sort_by` is built again for every element type and comparison it is given, about
//! 5 KB of code each time, and the page holds a hundred of them. These functions sort the
//! items' indices instead, through one comparison behind `dyn`, so the sort itself is built
//! once; each call site keeps only a small permutation. They cost an indirect call per
//! comparison, so a path a benchmark measures keeps `slice::sort_by`. For the same reason
//! [`map_of`] and [`set_of`] build ordered maps and sets without `collect`'s sort.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, stably (equal items keep their order), as `slice::sort_by`.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &mut |a, b| compare(&items[a], &items[b]));
    permute(items, &mut order);
}

/// Sorts `items` by the key `key` gives each, stably, as `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| {
        let ka = key(a);
        ka.cmp(&key(b))
    });
}

/// Sorts `items` in their natural order, stably, as `slice::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one instance of the sort: indices, compared through `compare`.
#[inline(never)]
fn sort_indices(order: &mut [usize], compare: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// The map of `pairs`, as `collect::<BTreeMap<_, _>>()` gives it (a key seen twice keeps its
/// last value) but built by inserting: `BTreeMap`'s `FromIterator` sorts the pairs first with a
/// stable sort built again for every iterator type it is given, where the insertions here are
/// built once per key and value type. For maps built off the hot paths.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// The set of `items`, as `collect::<BTreeSet<_>>()` gives it, built by inserting (see
/// [`map_of`]).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// Moves each item to its place: position `i` takes the item that was at `order[i]`.
/// Follows each cycle of the permutation with swaps, marking placed positions in `order`.
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..items.len() {
        let mut pos = start;
        while order[pos] != start {
            let from = order[pos];
            items.swap(pos, from);
            order[pos] = pos;
            pos = from;
        }
        order[pos] = pos;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Case {
        name: &'static str,
        items: &'static [(u32, char)],
    }

    /// Each case is sorted by its number only, so the letters show stability; the result must
    /// equal the standard library's stable sort.
    #[test]
    fn sorts_as_the_standard_library_does() {
        let cases = [
            Case { name: "empty", items: &[] },
            Case { name: "one", items: &[(1, 'a')] },
            Case { name: "sorted", items: &[(1, 'a'), (2, 'b'), (3, 'c')] },
            Case { name: "reversed", items: &[(3, 'a'), (2, 'b'), (1, 'c')] },
            Case { name: "ties keep their order", items: &[(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')] },
            Case { name: "one long cycle", items: &[(2, 'a'), (3, 'b'), (4, 'c'), (5, 'd'), (1, 'e')] },
            Case {
                name: "several cycles",
                items: &[(5, 'a'), (1, 'b'), (4, 'c'), (3, 'd'), (2, 'e'), (0, 'f'), (7, 'g'), (6, 'h')],
            },
            Case { name: "all equal", items: &[(1, 'a'), (1, 'b'), (1, 'c')] },
        ];
        for case in &cases {
            let mut expected = case.items.to_vec();
            expected.sort_by_key(|&(n, _)| n);
            let mut by = case.items.to_vec();
            sort_by(&mut by, |a, b| a.0.cmp(&b.0));
            assert_eq!(by, expected, "sort_by: {}", case.name);
            let mut by_key = case.items.to_vec();
            sort_by_key(&mut by_key, |&(n, _)| n);
            assert_eq!(by_key, expected, "sort_by_key: {}", case.name);
            let mut natural = case.items.to_vec();
            sort(&mut natural);
            let mut std_natural = case.items.to_vec();
            std_natural.sort();
            assert_eq!(natural, std_natural, "sort: {}", case.name);
        }
    }

    /// `map_of` and `set_of` equal `collect`, repeated keys included (the last value wins).
    #[test]
    fn maps_and_sets_equal_collected_ones() {
        let cases: [(&str, &[(u32, char)]); 4] = [
            ("empty", &[]),
            ("sorted", &[(1, 'a'), (2, 'b')]),
            ("unsorted", &[(3, 'a'), (1, 'b'), (2, 'c')]),
            ("repeated keys", &[(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (2, 'e')]),
        ];
        for (name, pairs) in cases {
            let collected: BTreeMap<u32, char> = pairs.iter().copied().collect();
            assert_eq!(map_of(pairs.iter().copied()), collected, "map_of: {name}");
            let collected: BTreeSet<u32> = pairs.iter().map(|p| p.0).collect();
            assert_eq!(set_of(pairs.iter().map(|p| p.0)), collected, "set_of: {name}");
        }
    }

    /// Every permutation of six distinct items comes back sorted (all cycle shapes).
    #[test]
    fn every_permutation_of_six_items_sorts() {
        let mut items: Vec<u8> = (0..6).collect();
        let mut count = 0;
        permutations(&mut items, 0, &mut |p| {
            let mut v = p.to_vec();
            sort(&mut v);
            assert_eq!(v, [0, 1, 2, 3, 4, 5], "from {p:?}");
            count += 1;
        });
        assert_eq!(count, 720);
    }

    fn permutations(items: &mut Vec<u8>, k: usize, visit: &mut dyn FnMut(&[u8])) {
        if k == items.len() {
            visit(items);
            return;
        }
        for i in k..items.len() {
            items.swap(k, i);
            permutations(items, k + 1, visit);
            items.swap(k, i);
        }
    }
}
