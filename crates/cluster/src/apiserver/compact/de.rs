//! Reads a `Deserialize` value back from the `wire` format.
//!
//! Like JSON, the format says what each value is, so every request is answered from the tag
//! (`deserialize_any`); strings are lent from the input.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::wire::{self, WireError, unzigzag};

/// The value `ser::to_bytes` wrote into `bytes`.
pub(super) fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    let mut reader = Reader { bytes, pos: 0 };
    let value = T::deserialize(&mut reader)?;
    if reader.pos != bytes.len() {
        return Err(WireError("trailing bytes".into()));
    }
    Ok(value)
}

struct Reader<'de> {
    bytes: &'de [u8],
    pos: usize,
}

fn truncated() -> WireError {
    WireError("truncated input".into())
}

impl<'de> Reader<'de> {
    fn byte(&mut self) -> Result<u8, WireError> {
        let b = *self.bytes.get(self.pos).ok_or_else(truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn peek(&self) -> Result<u8, WireError> {
        self.bytes.get(self.pos).copied().ok_or_else(truncated)
    }

    fn varint(&mut self) -> Result<u64, WireError> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            if shift >= 64 {
                return Err(WireError("varint too long".into()));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    fn len(&mut self) -> Result<usize, WireError> {
        usize::try_from(self.varint()?).map_err(|_| WireError("length too large".into()))
    }

    fn take(&mut self, n: usize) -> Result<&'de [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let out = self.bytes.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(out)
    }

    fn str(&mut self) -> Result<&'de str, WireError> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|e| WireError(e.to_string()))
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.byte()? {
            wire::NULL => visitor.visit_unit(),
            wire::FALSE => visitor.visit_bool(false),
            wire::TRUE => visitor.visit_bool(true),
            wire::INT => {
                let v = unzigzag(self.varint()?);
                visitor.visit_i64(v)
            }
            wire::UINT => {
                let v = self.varint()?;
                visitor.visit_u64(v)
            }
            wire::FLOAT => {
                let raw = self.take(8)?;
                let mut b = [0; 8];
                b.copy_from_slice(raw);
                visitor.visit_f64(f64::from_le_bytes(b))
            }
            wire::STR => {
                let s = self.str()?;
                visitor.visit_borrowed_str(s)
            }
            wire::BYTES => {
                let n = self.len()?;
                let b = self.take(n)?;
                visitor.visit_borrowed_bytes(b)
            }
            wire::SEQ => {
                let left = self.len()?;
                let mut access = Items { reader: self, left };
                let value = visitor.visit_seq(&mut access)?;
                access.rest()?;
                Ok(value)
            }
            wire::MAP => {
                let left = self.len()?;
                let mut access = Items { reader: self, left };
                let value = visitor.visit_map(&mut access)?;
                access.rest()?;
                Ok(value)
            }
            tag => match wire::field_name(tag) {
                Some(name) => visitor.visit_borrowed_str(name),
                None => Err(WireError(format!("unknown tag {tag}"))),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        if self.peek()? == wire::NULL {
            self.pos += 1;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, WireError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        // Only unit variants are written (as their names).
        if self.byte()? != wire::STR {
            return Err(WireError("an enum variant with data".into()));
        }
        let name = self.str()?;
        visitor.visit_enum(name.into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// The items of a sequence or map still to be read.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
}

impl<'de> Items<'_, 'de> {
    /// Fails when the visitor stopped before the last item: the bytes after it would be
    /// read as the next value.
    fn rest(&mut self) -> Result<(), WireError> {
        if self.left == 0 {
            Ok(())
        } else {
            Err(WireError("items left unread".into()))
        }
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = WireError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, WireError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_, 'de> {
    type Error = WireError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, WireError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, WireError> {
        seed.deserialize(&mut *self.reader)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}
