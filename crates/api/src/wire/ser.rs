//! Writes a `Serialize` value in the `wire` format, or walks it for the omitempty check.
//!
//! Each API type's `Serialize` is built once per serializer type it meets, and those
//! instantiations are a large part of the page, so one serializer serves both jobs: with a
//! walk set ([`walk`]) it writes nothing and hands each value to the walk's non-generic steps
//! (`crate::omitempty::detect`), which keep their state behind the one reference. Its error
//! is one pointer, so results travel in a register on both paths.

use std::sync::Arc;

use serde::ser::{self, Serialize};

use super::{self as wire, WireError, put_varint, zigzag};
use crate::omitempty::detect::Walk;

/// What every step of the serializer returns.
type Done = Result<(), Box<WireError>>;

/// The `wire` bytes of `value`, after the byte `prefix`.
///
/// Written into a buffer kept for the thread (warm in the cache, never regrown once it fits a
/// pod), then copied out at their exact size, shared: a pod's watch history holds the same
/// bytes as its stored entry.
pub fn to_bytes<T: Serialize + ?Sized>(
    prefix: u8,
    value: &T,
) -> Result<Arc<[u8]>, WireError> {
    with_bytes(prefix, value, |bytes| Arc::from(bytes))
}

/// Hands `read` the `wire` bytes of `value` after the byte `prefix`, in the thread's buffer.
pub(super) fn with_bytes<T: Serialize + ?Sized, R>(
    prefix: u8,
    value: &T,
    read: impl FnOnce(&[u8]) -> R,
) -> Result<R, WireError> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with(|buffer| {
        // A nested call (a `Serialize` impl that encodes another value) gets its own buffer.
        let mut own = Vec::new();
        let mut borrowed = buffer.try_borrow_mut();
        let bytes = match &mut borrowed {
            Ok(b) => &mut **b,
            Err(_) => &mut own,
        };
        bytes.clear();
        bytes.push(prefix);
        value
            .serialize(&mut Out {
                bytes: &mut *bytes,
                walk: None,
            })
            .map_err(|e| *e)?;
        let result = read(&bytes[..]);
        // An unusually large object does not pin its buffer.
        if bytes.capacity() > 64 * 1024 {
            *bytes = Vec::new();
        }
        Ok(result)
    })
}

/// Walks `value` with `walk`, writing nothing; an error is the walk stopping (or the value
/// failing to serialize).
pub(crate) fn walk<T: Serialize + ?Sized>(value: &T, walk: Walk<'_>) -> Done {
    // Moved here, so that the walk's borrows can end with this call.
    let mut walk = walk;
    let mut unused = Vec::new();
    value.serialize(&mut Out {
        bytes: &mut unused,
        walk: Some(&mut walk),
    })
}

/// The serializer: where the bytes go, or the walk that takes the values instead.
struct Out<'o> {
    bytes: &'o mut Vec<u8>,
    walk: Option<&'o mut Walk<'o>>,
}

impl<'o> Out<'o> {
    fn str(&mut self, v: &str) {
        self.bytes.push(wire::STR);
        put_varint(self.bytes, v.len() as u64);
        self.bytes.extend_from_slice(v.as_bytes());
    }

    fn int(&mut self, v: i64) {
        match &mut self.walk {
            Some(walk) => walk.scalar(v == 0),
            None => {
                self.bytes.push(wire::INT);
                put_varint(self.bytes, zigzag(v));
            }
        }
    }

    fn uint(&mut self, v: u64) {
        match &mut self.walk {
            Some(walk) => walk.scalar(v == 0),
            None => {
                self.bytes.push(wire::UINT);
                put_varint(self.bytes, v);
            }
        }
    }

    /// A value the walk takes as neither zero nor empty, written as the single `tag`.
    fn other(&mut self, tag: u8) {
        match &mut self.walk {
            Some(walk) => walk.other(),
            None => self.bytes.push(tag),
        }
    }

    /// Starts a sequence or map of `len` items; the count is checked when it ends. A walk
    /// counts down from `usize::MAX` instead, so an untouched count is an empty list.
    fn open(&mut self, tag: u8, len: Option<usize>) -> Result<Compound<'_, 'o>, Box<WireError>> {
        if let Some(walk) = &mut self.walk {
            walk.enter();
            return Ok(Compound {
                out: self,
                left: usize::MAX,
            });
        }
        let len = len.ok_or_else(|| WireError::boxed("a sequence of unknown length".into()))?;
        self.bytes.push(tag);
        put_varint(self.bytes, len as u64);
        Ok(Compound {
            out: self,
            left: len,
        })
    }
}

/// A sequence, map or struct being serialized, with how many items it still owes.
struct Compound<'a, 'o> {
    out: &'a mut Out<'o>,
    left: usize,
}

impl Compound<'_, '_> {
    /// Counts one more item against the announced length.
    fn count(&mut self) -> Done {
        self.left = self
            .left
            .checked_sub(1)
            .ok_or_else(|| WireError::boxed("more items than announced".into()))?;
        Ok(())
    }

    /// Starts the struct field `key`: whether its value is to be serialized.
    #[inline]
    fn field(&mut self, key: &'static str) -> Result<bool, Box<WireError>> {
        if let Some(walk) = &mut self.out.walk {
            return Ok(walk.field(key));
        }
        self.count()?;
        match wire::field_tag(key) {
            Some(tag) => self.out.bytes.push(tag),
            None => self.out.str(key),
        }
        Ok(true)
    }

    fn finish(self) -> Done {
        if let Some(walk) = &mut self.out.walk {
            walk.close_list(self.left == usize::MAX);
            return Ok(());
        }
        if self.left == 0 {
            Ok(())
        } else {
            Err(WireError::boxed("fewer items than announced".into()))
        }
    }

    fn finish_struct(self) -> Done {
        match &mut self.out.walk {
            Some(walk) => walk.close_struct(),
            None => self.finish(),
        }
    }
}

fn unsupported(what: &str) -> Box<WireError> {
    WireError::boxed(format!("{what} is not carried by the compact form"))
}

impl<'a, 'o> ser::Serializer for &'a mut Out<'o> {
    type Ok = ();
    type Error = Box<WireError>;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Compound<'a, 'o>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = ser::Impossible<(), Box<WireError>>;

    fn serialize_bool(self, v: bool) -> Done {
        match &mut self.walk {
            Some(walk) => walk.scalar(!v),
            None => self.bytes.push(if v { wire::TRUE } else { wire::FALSE }),
        }
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.uint(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        match &mut self.walk {
            Some(walk) => walk.scalar(v == 0.0),
            None => {
                self.bytes.push(wire::FLOAT);
                self.bytes.extend_from_slice(&v.to_le_bytes());
            }
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        match &mut self.walk {
            Some(walk) => walk.other(),
            None => self.str(v.encode_utf8(&mut [0; 4])),
        }
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        match &mut self.walk {
            Some(walk) => walk.scalar(v.is_empty()),
            None => self.str(v),
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        match &mut self.walk {
            Some(walk) => walk.scalar(v.is_empty()),
            None => {
                self.bytes.push(wire::BYTES);
                put_varint(self.bytes, v.len() as u64);
                self.bytes.extend_from_slice(v);
            }
        }
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.other(wire::NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.other(wire::NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Done {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Done {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Done {
        // The walk looks inside; the compact form does not carry one.
        match &mut self.walk {
            Some(walk) => walk.enter(),
            None => return Err(unsupported("an enum variant with data")),
        }
        v.serialize(&mut *self)?;
        self.other(wire::NULL);
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'o>, Box<WireError>> {
        self.open(wire::SEQ, len)
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'o>, Box<WireError>> {
        self.open(wire::SEQ, Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'o>, Box<WireError>> {
        self.open(wire::SEQ, Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'o>, Box<WireError>> {
        if self.walk.is_none() {
            return Err(unsupported("an enum variant with data"));
        }
        self.open(wire::SEQ, Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'o>, Box<WireError>> {
        self.open(wire::MAP, len)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'o>, Box<WireError>> {
        if let Some(walk) = &mut self.walk {
            walk.open_struct(name);
            return Ok(Compound {
                out: self,
                left: usize::MAX,
            });
        }
        self.open(wire::MAP, Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Box<WireError>> {
        // k8s-openapi has none; the walk takes one as a change, to be safe.
        Err(unsupported("an enum variant with data"))
    }
}

/// Serde's four element-by-element traits differ only in their names.
macro_rules! seq_impl {
    ($($trait_:ident :: $method:ident),*) => {$(
        impl ser::$trait_ for Compound<'_, '_> {
            type Ok = ();
            type Error = Box<WireError>;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Done {
                self.count()?;
                v.serialize(&mut *self.out)
            }
            fn end(self) -> Done {
                self.finish()
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Box<WireError>;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Done {
        self.count()?;
        // Only whether a map is empty matters to the walk.
        if self.out.walk.is_none() {
            k.serialize(&mut *self.out)?;
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Done {
        v.serialize(&mut *self.out)
    }
    fn end(self) -> Done {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Box<WireError>;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Done {
        if self.field(key)? {
            v.serialize(&mut *self.out)?;
            if let Some(walk) = &mut self.out.walk {
                walk.field_done(key)?;
            }
        }
        Ok(())
    }
    fn end(self) -> Done {
        self.finish_struct()
    }
}
