//! Reads single values in place from `wire` bytes, without decoding the object around them.
//!
//! The format says what each value is and how long it is, so a reader can step over the
//! values it does not want: a watch that filters a compact pod by namespace and labels reads
//! those few strings and never builds the pod. Bytes that are not well formed read as absent
//! values, never a panic.

use super::{self as wire, field_name};

/// One value in wire bytes (the slice starts at its tag; it may run on past the value).
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    bytes: &'a [u8],
}

impl<'a> View<'a> {
    /// The value `to_bytes` wrote after its prefix byte (or `write_value` wrote).
    pub fn new(bytes: &'a [u8]) -> View<'a> {
        View { bytes }
    }

    /// Where this value starts in `whole`, the bytes it was read from (so a reader can keep
    /// the place and come back with `at`).
    pub fn offset_in(self, whole: &[u8]) -> Option<usize> {
        let start = (self.bytes.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
        (start + self.bytes.len() == whole.len()).then_some(start)
    }

    /// The value at `offset` in `whole` (an offset `offset_in` gave for the same bytes).
    pub fn at(whole: &'a [u8], offset: usize) -> Option<View<'a>> {
        whole.get(offset..).map(View::new)
    }

    /// The string this value is, if it is one.
    pub fn str(self) -> Option<&'a str> {
        let mut c = Cursor::at(self.bytes);
        if c.byte()? != wire::STR {
            return None;
        }
        std::str::from_utf8(c.counted()?).ok()
    }

    /// The boolean this value is, if it is one.
    pub fn bool(self) -> Option<bool> {
        match *self.bytes.first()? {
            wire::TRUE => Some(true),
            wire::FALSE => Some(false),
            _ => None,
        }
    }

    /// The value of the struct field or map key `name`, if this is a map that has it.
    pub fn get(self, name: &str) -> Option<View<'a>> {
        let [value] = self.get_many([name]);
        value
    }

    /// The values of several struct fields or map keys, read in one pass over the map.
    pub fn get_many<const N: usize>(self, names: [&str; N]) -> [Option<View<'a>>; N] {
        let mut found = [None; N];
        let mut c = Cursor::at(self.bytes);
        if c.byte() != Some(wire::MAP) {
            return found;
        }
        let Some(mut left) = c.varint() else {
            return found;
        };
        let mut missing = N;
        while left > 0 && missing > 0 {
            left -= 1;
            let Some(key) = c.key() else {
                return [None; N];
            };
            let value = View {
                bytes: &self.bytes[c.pos..],
            };
            if let Some(i) = names.iter().position(|n| n.as_bytes() == key)
                && found[i].is_none()
            {
                found[i] = Some(value);
                missing -= 1;
            }
            if c.skip().is_none() {
                return [None; N];
            }
        }
        found
    }
}

/// A read position in wire bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn at(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, pos: 0 }
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return None;
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
            shift += 7;
        }
    }

    /// A length and that many bytes.
    fn counted(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    /// A map key's text: a struct field's tag or a string.
    fn key(&mut self) -> Option<&'a [u8]> {
        match self.byte()? {
            wire::STR => self.counted(),
            tag => field_name(tag).map(str::as_bytes),
        }
    }

    /// Steps over one whole value (a map's entries and a sequence's items included).
    fn skip(&mut self) -> Option<()> {
        let mut left: u64 = 1;
        while left > 0 {
            left -= 1;
            match self.byte()? {
                wire::NULL | wire::FALSE | wire::TRUE => {}
                wire::INT | wire::UINT => {
                    self.varint()?;
                }
                wire::FLOAT => {
                    let end = self.pos.checked_add(8)?;
                    self.bytes.get(self.pos..end)?;
                    self.pos = end;
                }
                wire::STR | wire::BYTES => {
                    self.counted()?;
                }
                wire::SEQ => left = left.checked_add(self.varint()?)?,
                wire::MAP => left = left.checked_add(self.varint()?.checked_mul(2)?)?,
                // A struct field's name: a key, written as its tag alone.
                tag => {
                    field_name(tag)?;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::View;
    use crate::wire;

    /// Every value read in place agrees with the same value decoded, for maps written by
    /// `to_bytes` (field names as tags) and by `write_value` (as strings), at every depth and
    /// after values of every kind; a missing name reads as absent.
    #[test]
    fn values_read_in_place_agree_with_decoding() {
        let doc = json!({
            "apiVersion": "v1", "kind": "Pod", "n": -5, "u": 7, "f": 1.5, "t": true, "z": null,
            "list": [1, "two", {"three": [3]}, [], {}],
            "metadata": {"annotations": {"a": "x"}, "generation": 300,
                "labels": {"app": "web", "": "empty key", "tier": ""},
                "name": "p", "namespace": "ns-1", "unknownField": {"deep": [[{"x": 1}]]}},
            "spec": {"nodeName": "n1", "hostNetwork": false, "containers": [{"name": "c"}]},
        });
        let typed = wire::to_bytes(0, &doc).expect("encodes");
        let mut written = Vec::new();
        wire::write_value(&doc, &mut written);
        for bytes in [&typed[1..], &written[..]] {
            let top = View::new(bytes);
            check(top, &doc);
            assert_eq!(top.get("missing").map(|_| ()), None);
            let [ns, labels, nothing] =
                top.get("metadata").expect("metadata").get_many(["namespace", "labels", "x"]);
            assert_eq!(ns.and_then(View::str), Some("ns-1"));
            assert_eq!(labels.and_then(|l| l.get("")).and_then(View::str), Some("empty key"));
            assert!(nothing.is_none());
            assert_eq!(top.get("kind").and_then(View::bool), None);
            let at = labels.and_then(|l| l.offset_in(bytes)).expect("inside");
            let again = View::at(bytes, at).and_then(|l| l.get("app")).and_then(View::str);
            assert_eq!(again, Some("web"));
            assert_eq!(labels.and_then(|l| l.offset_in(&written[..1])), None);
            assert_eq!(top.get("t").and_then(View::str), None);
        }
    }

    /// Checks every member of `value` (recursively) against what the view reads.
    fn check(view: View<'_>, value: &Value) {
        match value {
            Value::Object(map) => {
                for (key, member) in map {
                    let got = view.get(key).unwrap_or_else(|| panic!("{key} missing"));
                    check(got, member);
                }
            }
            Value::String(s) => assert_eq!(view.str(), Some(s.as_str())),
            Value::Bool(b) => assert_eq!(view.bool(), Some(*b)),
            _ => {
                assert_eq!(view.str(), None);
                assert_eq!(view.bool(), None);
            }
        }
    }

    /// Cut or corrupted bytes read as absent values, never a panic.
    #[test]
    fn damaged_bytes_read_as_absent() {
        let doc = json!({"metadata": {"labels": {"app": "web"}, "namespace": "default"}});
        let bytes = wire::to_bytes(0, &doc).expect("encodes");
        let bytes = &bytes[1..];
        for cut in 0..bytes.len() {
            let meta = View::new(&bytes[..cut]).get("metadata");
            let ns = meta.and_then(|m| m.get("namespace")).and_then(View::str);
            assert_eq!(ns, None, "cut at {cut}");
        }
        for junk in [&[255u8, 1, 2][..], &[wire::MAP, 200, 1], &[wire::MAP, 1, wire::STR, 9]] {
            assert!(View::new(junk).get("metadata").is_none());
        }
    }
}
