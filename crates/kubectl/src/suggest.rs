//! `Did you mean this?` suggestions as cobra computes them (command.go `SuggestionsFor`,
//! v1.8): commands within Levenshtein distance 2 (case-insensitive), or whose name starts
//! with what was typed.

/// The names among `candidates` cobra would suggest for `typed`, in candidate order.
pub fn suggestions(typed: &str, candidates: &[&str]) -> Vec<String> {
    let lower = typed.to_lowercase();
    candidates
        .iter()
        .filter(|c| {
            let d = levenshtein(&lower, &c.to_lowercase());
            d <= 2 || c.starts_with(&lower)
        })
        .map(|c| c.to_string())
        .collect()
}

/// Edit distance with unit costs.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests() {
        assert_eq!(
            suggestions("gett", &["get", "set", "edit", "delete"]),
            ["get", "set"]
        );
        assert_eq!(suggestions("ge", &["get", "set", "edit"]), ["get", "set"]);
        assert!(suggestions("frobnicate", &["get"]).is_empty());
    }
}
