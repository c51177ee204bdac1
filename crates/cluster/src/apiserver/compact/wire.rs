//! The bytes of the compact form: a self-describing binary rendering of the serde data model.
//!
//! It carries what the JSON of the same value carries (the serde impls of the k8s-openapi
//! types see a human-readable format either way, so times, quantities and int-or-strings take
//! their text forms), written without JSON's punctuation and escaping: a string is its length
//! and its bytes, read back by borrowing them. Every value starts with one tag byte; lengths
//! and integers are LEB128 varints (integers zigzag-encoded).
//!
//! A value the format does not carry (enum variants with data, sequences of unknown length)
//! fails to encode, and the caller keeps the object decoded.

pub(super) const NULL: u8 = 0;
pub(super) const FALSE: u8 = 1;
pub(super) const TRUE: u8 = 2;
/// A signed integer, zigzag varint.
pub(super) const INT: u8 = 3;
/// An unsigned integer, varint.
pub(super) const UINT: u8 = 4;
/// An `f64`, eight little-endian bytes.
pub(super) const FLOAT: u8 = 5;
/// Length, then UTF-8 bytes.
pub(super) const STR: u8 = 6;
/// Length, then bytes.
pub(super) const BYTES: u8 = 7;
/// Element count, then the elements.
pub(super) const SEQ: u8 = 8;
/// Entry count, then key and value of each entry.
pub(super) const MAP: u8 = 9;

/// Why a value could not be written or read.
#[derive(Debug)]
pub(super) struct WireError(pub String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

impl serde::ser::Error for WireError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError(msg.to_string())
    }
}

impl serde::de::Error for WireError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WireError(msg.to_string())
    }
}

pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(super) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(super) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}
