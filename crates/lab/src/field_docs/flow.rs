//! Flow-style YAML (`{name: web, image: nginx}`, `[80, 443]`) for the editor's field docs: is the
//! cursor inside a flow collection that is still open, which keys lead there from the block
//! line that opened it, and is the cursor where a key is written.
//!
//! The text is read line by line as YAML's flow grammar puts it: block lines until one has a
//! flow collection as its value, then characters (quotes, `{ } [ ] , :` and comments) until
//! that collection closes. Block scalars (`|`, `>`) are skipped so text such as JSON inside a
//! ConfigMap is never mistaken for flow YAML.

use super::unquote;

/// Where the cursor is, when it is inside an open flow collection.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct FlowAt {
    /// Index (in the lines given) of the line where the outermost open collection starts.
    pub anchor_line: usize,
    /// That line's text before the collection's `{` or `[`: the key or list dash owning it.
    pub anchor_prefix: String,
    /// The keys from the outermost collection down to the innermost one; None when the cursor
    /// is not at a key (a value, a sequence item, inside quotes) or a key is itself a collection.
    pub keys: Option<Vec<String>>,
}

/// The flow collection around the end of `before`, the current line's text up to the cursor;
/// `above` are the document's lines before it. None outside flow collections.
pub(super) fn at_cursor(above: &[&str], before: &str) -> Option<FlowAt> {
    let mut scanner = Scanner::default();
    for (index, line) in above.iter().chain(std::iter::once(&before)).enumerate() {
        scanner.feed(index, line);
    }
    let (anchor_line, anchor_prefix) = scanner.anchor.clone()?;
    Some(FlowAt { anchor_line, anchor_prefix, keys: scanner.key_path() })
}

/// The field a word names inside an open flow collection, from the keys that lead to it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct FlowField {
    /// As in `FlowAt`: the line and the text that own the outermost open collection.
    pub anchor_line: usize,
    pub anchor_prefix: String,
    /// The keys from the outermost collection down to the field.
    pub keys: Vec<String>,
}

/// The field at the end of `before` (the current line up to a word, or up to the cursor when
/// it is on no word) inside an open flow collection: `key` itself when the word is written as
/// a key of the innermost mapping; otherwise the key whose value holds that spot (a sequence's
/// own field for its items; the mapping itself between its keys). None outside flow
/// collections, or when a collection is itself a key.
pub(super) fn field_at(above: &[&str], before: &str, key: Option<&str>) -> Option<FlowField> {
    let mut scanner = Scanner::default();
    for (index, line) in above.iter().chain(std::iter::once(&before)).enumerate() {
        scanner.feed(index, line);
    }
    let (anchor_line, anchor_prefix) = scanner.anchor.clone()?;
    let (innermost, outer) = scanner.stack.split_last()?;
    let mut keys: Vec<String> = outer
        .iter()
        .filter(|f| f.mapping)
        .map(|f| f.key.clone())
        .collect::<Option<_>>()?;
    if innermost.mapping {
        match (&innermost.key, key) {
            (Some(owner), _) => keys.push(owner.clone()),
            (None, Some(key)) if scanner.quote.is_none() && scanner.token.trim().is_empty() => keys.push(key.to_string()),
            (None, _) => {}
        }
    }
    Some(FlowField { anchor_line, anchor_prefix, keys })
}

/// The `key: scalar` pairs of a document written as one flow mapping (`{"apiVersion": "v1",
/// "kind": "Pod", …}`, as JSON is), in order. Empty for a block-style document.
pub(super) fn top_scalars(lines: &[&str]) -> Vec<(String, String)> {
    let first = lines.iter().map(|l| l.trim()).find(|l| !l.is_empty() && !l.starts_with('#'));
    if !first.is_some_and(|l| l.starts_with('{')) {
        return Vec::new();
    }
    let mut scanner = Scanner::default();
    for (index, line) in lines.iter().enumerate() {
        scanner.feed(index, line);
    }
    scanner.top_pairs
}

/// One open collection: a mapping (and the key whose value is being written) or a sequence.
#[derive(Debug)]
struct Frame {
    mapping: bool,
    key: Option<String>,
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Frame>,
    /// The scalar read since the last indicator (`{ [ , :`).
    token: String,
    quote: Option<char>,
    escaped: bool,
    anchor: Option<(usize, String)>,
    /// The column a block scalar's owner sits at: more indented lines are its text.
    block_scalar: Option<usize>,
    top_pairs: Vec<(String, String)>,
}

impl Scanner {
    fn feed(&mut self, index: usize, line: &str) {
        let rest = if self.stack.is_empty() {
            let Some(start) = self.block_value_start(line) else {
                return;
            };
            self.anchor = Some((index, line[..start].to_string()));
            &line[start..]
        } else {
            // A line break inside a flow collection folds into a space.
            if !self.token.trim().is_empty() {
                self.token.push(' ');
            }
            line
        };
        let chars: Vec<char> = rest.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if let Some(q) = self.quote {
                self.token.push(c);
                if self.escaped {
                    self.escaped = false;
                } else if q == '"' && c == '\\' {
                    self.escaped = true;
                } else if c == q {
                    self.quote = None;
                }
                continue;
            }
            let next = chars.get(i + 1).copied();
            match c {
                '#' if i == 0 || chars[i - 1].is_whitespace() => break,
                '"' | '\'' if self.token.trim().is_empty() => {
                    self.quote = Some(c);
                    self.token.push(c);
                }
                '{' | '[' => {
                    self.stack.push(Frame { mapping: c == '{', key: None });
                    self.token.clear();
                }
                '}' | ']' => {
                    self.end_value();
                    self.stack.pop();
                    self.token.clear();
                    if self.stack.is_empty() {
                        // The collection closed: the rest of the line is plain block YAML.
                        self.anchor = None;
                        return;
                    }
                }
                ',' => {
                    self.end_value();
                    if let Some(top) = self.stack.last_mut() {
                        top.key = None;
                    }
                    self.token.clear();
                }
                // `key: value`, or JSON's `"key":value`.
                ':' if next.is_none_or(|n| n.is_whitespace() || ",[]{}".contains(n))
                    || self.token.trim_end().ends_with(['"', '\'']) =>
                {
                    match self.stack.last_mut() {
                        Some(top) if top.mapping && top.key.is_none() => {
                            top.key = Some(unquote(self.token.trim()).to_string());
                            self.token.clear();
                        }
                        _ => self.token.push(c),
                    }
                }
                _ => self.token.push(c),
            }
        }
    }

    /// Where a block line's value starts, when that value is a flow collection.
    fn block_value_start(&mut self, line: &str) -> Option<usize> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(owner) = self.block_scalar {
            if line.trim().is_empty() || indent > owner {
                return None;
            }
            self.block_scalar = None;
        }
        let mut at = indent;
        let mut rest = &line[indent..];
        while let Some(after) = rest.strip_prefix('-').filter(|a| a.is_empty() || a.starts_with(' ')) {
            let trimmed = after.trim_start_matches(' ');
            at += rest.len() - trimmed.len();
            rest = trimmed;
        }
        if rest.starts_with(['{', '[']) {
            return Some(at);
        }
        if rest.starts_with('#') {
            return None;
        }
        let colon = rest.find(": ").or_else(|| rest.trim_end().ends_with(':').then(|| rest.trim_end().len() - 1))?;
        let value = rest[colon + 1..].trim_start_matches(' ');
        let value_at = at + rest.len() - value.len();
        if value.starts_with(['{', '[']) {
            return Some(value_at);
        }
        if value.starts_with(['|', '>']) {
            self.block_scalar = Some(at);
        }
        None
    }

    /// A scalar value ended (at `,` or a closing bracket): kept when it belongs to the
    /// outermost mapping.
    fn end_value(&mut self) {
        if let [Frame { mapping: true, key: Some(key) }] = self.stack.as_slice() {
            let value = self.token.trim();
            if !value.is_empty() {
                self.top_pairs.push((key.clone(), unquote(value).to_string()));
            }
        }
    }

    /// The keys leading to the cursor, when it is at a key of the innermost mapping.
    fn key_path(&self) -> Option<Vec<String>> {
        let (innermost, outer) = self.stack.split_last()?;
        let partial = self.token.trim_start();
        let at_key = self.quote.is_none()
            && innermost.mapping
            && innermost.key.is_none()
            && partial
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
        if !at_key {
            return None;
        }
        outer
            .iter()
            .filter(|f| f.mapping)
            .map(|f| f.key.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flow keys at the end of the last line of `text`, and the anchor line and prefix.
    fn check(text: &str) -> Option<(usize, String, Option<Vec<String>>)> {
        let lines: Vec<&str> = text.split('\n').collect();
        let (before, above) = lines.split_last().expect("a line");
        at_cursor(above, before).map(|f| (f.anchor_line, f.anchor_prefix, f.keys))
    }

    #[test]
    fn the_cursor_in_flow_collections() {
        struct Case {
            name: &'static str,
            text: &'static str,
            want: Option<(usize, &'static str, Option<&'static [&'static str]>)>,
        }
        let cases = [
            Case { name: "block line", text: "spec:\n  nodeN", want: None },
            Case { name: "mapping value", text: "  resources: {", want: Some((0, "  resources: ", Some(&[]))) },
            Case { name: "after a comma", text: "  labels: {app: web, ti", want: Some((0, "  labels: ", Some(&[]))) },
            Case { name: "at a value", text: "  labels: {app: we", want: Some((0, "  labels: ", None)) },
            Case { name: "nested mapping", text: "  resources: {limits: {cp", want: Some((0, "  resources: ", Some(&["limits"]))) },
            Case { name: "mapping in a sequence", text: "  containers: [{name: web, ima", want: Some((0, "  containers: ", Some(&[]))) },
            Case { name: "sequence item is a value", text: "  args: [sle", want: Some((0, "  args: ", None)) },
            Case { name: "list dash", text: "  - {name: web, ", want: Some((0, "  - ", Some(&[]))) },
            Case { name: "closed collection", text: "  labels: {app: web}", want: None },
            Case { name: "over lines", text: "  containers: [\n    {name: web,\n     ima", want: Some((0, "  containers: ", Some(&[]))) },
            Case { name: "comma in quotes", text: "  labels: {a: \"x, y\", b", want: Some((0, "  labels: ", Some(&[]))) },
            Case { name: "inside quotes", text: "  labels: {a: \"x, ", want: Some((0, "  labels: ", None)) },
            Case { name: "colon in a value", text: "  c: {image: nginx:1.25, na", want: Some((0, "  c: ", Some(&[]))) },
            Case { name: "comment hides brackets", text: "  a: b # {\n  c", want: None },
            Case { name: "block scalar text", text: "data:\n  x: |\n    {\n    \"a", want: None },
            Case { name: "after a block scalar", text: "data:\n  x: |\n    {\nspec: {", want: Some((3, "spec: ", Some(&[]))) },
        ];
        for c in cases {
            let want = c.want.map(|(l, p, k)| (l, p.to_string(), k.map(|k| k.iter().map(|s| s.to_string()).collect())));
            assert_eq!(check(c.text), want, "{}", c.name);
        }
    }

    #[test]
    fn a_flow_document_names_its_kind() {
        let json = ["{", "  \"apiVersion\": \"apps/v1\",", "  \"kind\": \"Deployment\",", "  \"spec\": {\"replicas\": 2}", "}"];
        let pairs = top_scalars(&json);
        assert_eq!(
            pairs,
            [("apiVersion".to_string(), "apps/v1".to_string()), ("kind".to_string(), "Deployment".to_string())]
        );
        assert!(top_scalars(&["apiVersion: v1", "kind: Pod"]).is_empty());
    }
}
