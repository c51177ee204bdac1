//! Writes a `Serialize` value in the `wire` format.

use std::sync::Arc;

use serde::ser::{self, Serialize};

use super::{self as wire, WireError, put_varint, zigzag};

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
        let out = match &mut borrowed {
            Ok(b) => &mut **b,
            Err(_) => &mut own,
        };
        out.clear();
        out.push(prefix);
        value.serialize(&mut Writer { out: &mut *out })?;
        let result = read(&out[..]);
        // An unusually large object does not pin its buffer.
        if out.capacity() > 64 * 1024 {
            *out = Vec::new();
        }
        Ok(result)
    })
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    fn str(&mut self, v: &str) {
        self.out.push(wire::STR);
        put_varint(self.out, v.len() as u64);
        self.out.extend_from_slice(v.as_bytes());
    }

    fn int(&mut self, v: i64) {
        self.out.push(wire::INT);
        put_varint(self.out, zigzag(v));
    }

    fn uint(&mut self, v: u64) {
        self.out.push(wire::UINT);
        put_varint(self.out, v);
    }

    /// Starts a sequence or map of `len` items; the count is checked when it ends.
    fn open(&mut self, tag: u8, len: Option<usize>) -> Result<Compound<'_>, WireError> {
        let len = len.ok_or_else(|| WireError::new("a sequence of unknown length".into()))?;
        self.out.push(tag);
        put_varint(self.out, len as u64);
        Ok(Compound {
            out: self.out,
            left: len,
        })
    }
}

/// A sequence or map being written, with how many items it still owes.
struct Compound<'a> {
    out: &'a mut Vec<u8>,
    left: usize,
}

impl Compound<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        self.count()?;
        v.serialize(&mut Writer { out: self.out })
    }

    /// Counts one more item against the announced length.
    fn count(&mut self) -> Result<(), WireError> {
        self.left = self
            .left
            .checked_sub(1)
            .ok_or_else(|| WireError::new("more items than announced".into()))?;
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        v.serialize(&mut Writer { out: self.out })
    }

    fn finish(self) -> Result<(), WireError> {
        if self.left == 0 {
            Ok(())
        } else {
            Err(WireError::new("fewer items than announced".into()))
        }
    }
}

fn unsupported(what: &str) -> WireError {
    WireError::new(format!("{what} is not carried by the compact form"))
}

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = WireError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = ser::Impossible<(), WireError>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), WireError>;

    fn serialize_bool(self, v: bool) -> Result<(), WireError> {
        self.out.push(if v { wire::TRUE } else { wire::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WireError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WireError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WireError> {
        self.int(v.into());
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WireError> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), WireError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WireError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WireError> {
        self.uint(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WireError> {
        self.uint(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WireError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WireError> {
        self.out.push(wire::FLOAT);
        self.out.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WireError> {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WireError> {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WireError> {
        self.out.push(wire::BYTES);
        put_varint(self.out, v.len() as u64);
        self.out.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), WireError> {
        self.out.push(wire::NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), WireError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WireError> {
        self.out.push(wire::NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WireError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), WireError> {
        self.str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), WireError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), WireError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, WireError> {
        self.open(wire::SEQ, len)
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, WireError> {
        self.open(wire::SEQ, Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, WireError> {
        self.open(wire::SEQ, Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WireError> {
        Err(unsupported("an enum variant with data"))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, WireError> {
        self.open(wire::MAP, len)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, WireError> {
        self.open(wire::MAP, Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WireError> {
        Err(unsupported("an enum variant with data"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = WireError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        self.item(v)
    }
    fn end(self) -> Result<(), WireError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = WireError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        self.item(v)
    }
    fn end(self) -> Result<(), WireError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = WireError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        self.item(v)
    }
    fn end(self) -> Result<(), WireError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WireError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), WireError> {
        self.item(k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WireError> {
        self.value(v)
    }
    fn end(self) -> Result<(), WireError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = WireError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), WireError> {
        self.count()?;
        match wire::field_tag(key) {
            Some(tag) => self.out.push(tag),
            None => Writer { out: self.out }.str(key),
        }
        self.value(v)
    }
    fn end(self) -> Result<(), WireError> {
        self.finish()
    }
}
