//! JSON text of `wire` bytes, in the order they were written: the text serde_json's
//! `to_vec` makes of the value the bytes came from, struct fields in their declared order
//! (a `Value` would sort them). Making it from the bytes keeps one serializer of the API
//! types in the page, which is mostly those types' serde code.

use super::WireError;
use super::de::{Reader, Token};

/// Appends the JSON text of the one value `bytes` hold (written by `write_value`, or by
/// `to_bytes` without its prefix byte).
pub(super) fn write(bytes: &[u8], out: &mut Vec<u8>) -> Result<(), WireError> {
    let mut reader = Reader { bytes, pos: 0 };
    value(&mut reader, out)?;
    if reader.pos != bytes.len() {
        return Err(WireError::new("trailing bytes".into()));
    }
    Ok(())
}

fn value(reader: &mut Reader<'_>, out: &mut Vec<u8>) -> Result<(), WireError> {
    match reader.token()? {
        Token::Unit => out.extend_from_slice(b"null"),
        Token::Bool(v) => out.extend_from_slice(if v { b"true" } else { b"false" }),
        Token::Int(v) => out.extend_from_slice(v.to_string().as_bytes()),
        Token::Uint(v) => out.extend_from_slice(v.to_string().as_bytes()),
        // serde_json writes a float as `Number` shows it, and what is not finite as null.
        Token::Float(v) => match serde_json::Number::from_f64(v) {
            Some(n) => out.extend_from_slice(n.to_string().as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
        Token::Str(v) => string(v, out),
        // serde_json writes bytes as a list of numbers.
        Token::Bytes(v) => delimited(out, b"[]", v.len(), |out, i| {
            out.extend_from_slice(v[i].to_string().as_bytes());
            Ok(())
        })?,
        Token::Seq(len) => delimited(out, b"[]", len, |out, _| value(reader, out))?,
        Token::Map(len) => delimited(out, b"{}", len, |out, _| {
            match reader.token()? {
                Token::Str(key) => string(key, out),
                // serde_json quotes an integer key.
                Token::Int(key) => string(&key.to_string(), out),
                Token::Uint(key) => string(&key.to_string(), out),
                _ => return Err(WireError::new("key must be a string".into())),
            }
            out.push(b':');
            value(reader, out)
        })?,
    }
    Ok(())
}

/// `len` items between the two `brackets`, separated by commas.
fn delimited(
    out: &mut Vec<u8>,
    brackets: &[u8; 2],
    len: usize,
    mut item: impl FnMut(&mut Vec<u8>, usize) -> Result<(), WireError>,
) -> Result<(), WireError> {
    out.push(brackets[0]);
    for i in 0..len {
        if i > 0 {
            out.push(b',');
        }
        item(out, i)?;
    }
    out.push(brackets[1]);
    Ok(())
}

/// A JSON string as serde_json escapes it: quotes, backslashes and control characters only,
/// the common ones in their short forms.
fn string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]],
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escape);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}
