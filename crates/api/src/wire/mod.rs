//! A compact binary rendering of the serde data model, and the one deserializer every
//! k8s-openapi value is decoded through.
//!
//! It carries what the JSON of the same value carries (the serde impls of the k8s-openapi
//! types see a human-readable format either way, so times, quantities and int-or-strings take
//! their text forms), written without JSON's punctuation and escaping: a string is its length
//! and its bytes, read back by borrowing them. Every value starts with one tag byte; lengths
//! and integers are LEB128 varints (integers zigzag-encoded).
//!
//! The store keeps old pods and events in it (`cluster`'s compact form), and `typed` decodes
//! JSON by writing its `Value` in it (`write_value`): each type's `Deserialize` is built once
//! per deserializer it meets, and those of the API types are most of the page's code, so
//! one deserializer serves both.
//!
//! A value the format does not carry (enum variants with data, sequences of unknown length)
//! fails to encode, and the caller keeps the object decoded.

mod de;
mod ser;

use serde_json::Value;

pub use de::from_bytes;
pub use ser::to_bytes;

const NULL: u8 = 0;
const FALSE: u8 = 1;
const TRUE: u8 = 2;
/// A signed integer, zigzag varint.
const INT: u8 = 3;
/// An unsigned integer, varint.
const UINT: u8 = 4;
/// An `f64`, eight little-endian bytes.
const FLOAT: u8 = 5;
/// Length, then UTF-8 bytes.
const STR: u8 = 6;
/// Length, then bytes.
const BYTES: u8 = 7;
/// Element count, then the elements.
const SEQ: u8 = 8;
/// Entry count, then key and value of each entry.
const MAP: u8 = 9;

/// Why a value could not be written or read.
#[derive(Debug)]
pub struct WireError {
    /// What went wrong, in serde_json's words for the same value.
    pub message: String,
    /// Where, innermost step first (a reader adds each step as the error leaves it).
    steps: Vec<Step>,
}

/// One step of the path to a failing value.
#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

impl WireError {
    fn new(message: String) -> Self {
        WireError {
            message,
            steps: Vec::new(),
        }
    }

    fn within(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// The field path of the failing value: `spec.containers[0].name` (empty at the top).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for step in self.steps.iter().rev() {
            match step {
                Step::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WireError {}

impl serde::ser::Error for WireError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError::new(msg.to_string())
    }
}

impl serde::de::Error for WireError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError::new(msg.to_string())
    }

    // serde_json words these two its own way (`null`, floats as JSON writes them), and a
    // decode error is shown to users, so the words stay the same.
    fn invalid_type(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        WireError::new(format!("invalid type: {}, expected {exp}", JsonUnexpected(unexp)))
    }

    fn invalid_value(unexp: serde::de::Unexpected, exp: &dyn serde::de::Expected) -> Self {
        WireError::new(format!("invalid value: {}, expected {exp}", JsonUnexpected(unexp)))
    }
}

/// An unexpected value as serde_json names it.
struct JsonUnexpected<'a>(serde::de::Unexpected<'a>);

impl std::fmt::Display for JsonUnexpected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            serde::de::Unexpected::Unit => f.write_str("null"),
            serde::de::Unexpected::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None => std::fmt::Display::fmt(&self.0, f),
            },
            other => std::fmt::Display::fmt(&other, f),
        }
    }
}

/// Appends the bytes of `value`, as `to_bytes` writes the same value: numbers as
/// serde_json's `Value` deserializer hands them to a visitor (non-negative integers unsigned,
/// negative ones signed, the rest floats).
pub fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(NULL),
        Value::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(UINT);
                put_varint(out, u);
            } else if let Some(i) = n.as_i64() {
                out.push(INT);
                put_varint(out, zigzag(i));
            } else {
                out.push(FLOAT);
                out.extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
            }
        }
        Value::String(s) => put_str(out, s),
        Value::Array(items) => {
            out.push(SEQ);
            put_varint(out, items.len() as u64);
            for item in items {
                write_value(item, out);
            }
        }
        Value::Object(map) => {
            out.push(MAP);
            put_varint(out, map.len() as u64);
            for (key, item) in map {
                put_str(out, key);
                write_value(item, out);
            }
        }
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.push(STR);
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}
