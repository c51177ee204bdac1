//! Reads a `Deserialize` value back from the wire format.
//!
//! Like JSON, the format says what each value is, so every request is answered from the tag:
//! a request for one kind of value gets it or serde_json's error for it, any other request
//! goes through `deserialize_any`; strings are lent from the input. An error leaving a map's value or a
//! sequence's element gets that key or index added, so it names the field that failed.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

use super::{self as wire, Step, WireError, unzigzag};

/// The value `to_bytes` (or `write_value`) wrote into `bytes`.
///
/// # Errors
/// A [`WireError`] with serde's message and the path of the failing value.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    let mut reader = Reader { bytes, pos: 0 };
    let value = T::deserialize(&mut reader)?;
    if reader.pos != bytes.len() {
        return Err(WireError::new("trailing bytes".into()));
    }
    Ok(value)
}

pub(super) struct Reader<'de> {
    pub(super) bytes: &'de [u8],
    pub(super) pos: usize,
}

fn truncated() -> WireError {
    WireError::new("truncated input".into())
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
                return Err(WireError::new("varint too long".into()));
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
        }
    }

    fn len(&mut self) -> Result<usize, WireError> {
        usize::try_from(self.varint()?).map_err(|_| WireError::new("length too large".into()))
    }

    fn take(&mut self, n: usize) -> Result<&'de [u8], WireError> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let out = self.bytes.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(out)
    }

    fn str(&mut self) -> Result<&'de str, WireError> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(|e| WireError::new(e.to_string()))
    }

    /// The next value's tag, with the whole value for a scalar and the item count for a
    /// sequence or map: the part of a read that is the same for every visitor, so the page
    /// builds it once instead of into each visitor's `deserialize_any`. Natively it stays
    /// inlined there, as decoding a compact pod is a hot path of the store.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(super) fn token(&mut self) -> Result<Token<'de>, WireError> {
        Ok(match self.byte()? {
            wire::NULL => Token::Unit,
            wire::FALSE => Token::Bool(false),
            wire::TRUE => Token::Bool(true),
            wire::INT => Token::Int(unzigzag(self.varint()?)),
            wire::UINT => Token::Uint(self.varint()?),
            wire::FLOAT => {
                let mut b = [0; 8];
                b.copy_from_slice(self.take(8)?);
                Token::Float(f64::from_le_bytes(b))
            }
            wire::STR => Token::Str(self.str()?),
            wire::BYTES => {
                let n = self.len()?;
                Token::Bytes(self.take(n)?)
            }
            wire::SEQ => Token::Seq(self.len()?),
            wire::MAP => Token::Map(self.len()?),
            // A struct field written as its tag in `FIELDS`.
            tag => match wire::field_name(tag) {
                Some(name) => Token::Str(name),
                None => return Err(WireError::new(format!("unknown tag {tag}"))),
            },
        })
    }
}

impl<'de> Reader<'de> {
    /// Hands `visitor` the `left` elements of a sequence whose header was read.
    fn seq<V: Visitor<'de>>(&mut self, left: usize, visitor: V) -> Result<V::Value, WireError> {
        let mut access = Items { reader: self, left, len: left, key_at: 0 };
        let value = visitor.visit_seq(&mut access)?;
        access.rest()?;
        Ok(value)
    }

    /// Hands `visitor` the `left` entries of a map whose header was read.
    fn map<V: Visitor<'de>>(&mut self, left: usize, visitor: V) -> Result<V::Value, WireError> {
        let mut access = Items { reader: self, left, len: left, key_at: 0 };
        let value = visitor.visit_map(&mut access)?;
        access.rest()?;
        Ok(value)
    }

    /// A number of any of the three kinds, as serde_json hands it on; anything else is an
    /// error.
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Int(v) => visitor.visit_i64(v),
            Token::Uint(v) => visitor.visit_u64(v),
            Token::Float(v) => visitor.visit_f64(v),
            other => Err(mismatch(&other, &visitor)),
        }
    }
}

/// The error for a value of another kind than `expected` asked for.
#[cold]
fn mismatch(token: &Token<'_>, expected: &dyn de::Expected) -> WireError {
    let unexpected = match *token {
        Token::Unit => de::Unexpected::Unit,
        Token::Bool(v) => de::Unexpected::Bool(v),
        Token::Int(v) => de::Unexpected::Signed(v),
        Token::Uint(v) => de::Unexpected::Unsigned(v),
        Token::Float(v) => de::Unexpected::Float(v),
        Token::Str(v) => de::Unexpected::Str(v),
        Token::Bytes(v) => de::Unexpected::Bytes(v),
        Token::Seq(_) => de::Unexpected::Seq,
        Token::Map(_) => de::Unexpected::Map,
    };
    de::Error::invalid_type(unexpected, expected)
}

/// One value as `Reader::token` reads it.
pub(super) enum Token<'de> {
    Unit,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'de str),
    Bytes(&'de [u8]),
    Seq(usize),
    Map(usize),
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = WireError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Unit => visitor.visit_unit(),
            Token::Bool(v) => visitor.visit_bool(v),
            Token::Int(v) => visitor.visit_i64(v),
            Token::Uint(v) => visitor.visit_u64(v),
            Token::Float(v) => visitor.visit_f64(v),
            Token::Str(v) => visitor.visit_borrowed_str(v),
            Token::Bytes(v) => visitor.visit_borrowed_bytes(v),
            Token::Seq(left) => self.seq(left, visitor),
            Token::Map(left) => self.map(left, visitor),
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
            return Err(WireError::new("an enum variant with data".into()));
        }
        let name = self.str()?;
        visitor.visit_enum(name.into_deserializer())
    }

    // A type that asks for one kind of value gets that kind or an error: answered from the
    // tag alone, the request does not build the visitor's every other `visit_` method in as
    // `deserialize_any` does (each struct's field names matched as bytes and as an index as
    // well as a string, for one). The errors are serde_json's `Value` deserializer's.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Bool(v) => visitor.visit_bool(v),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.number(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Str(v) => visitor.visit_borrowed_str(v),
            other => Err(mismatch(&other, &visitor)),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Seq(left) => self.seq(left, visitor),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Map(left) => self.map(left, visitor),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, WireError> {
        match self.token()? {
            Token::Map(left) => self.map(left, visitor),
            Token::Seq(left) => self.seq(left, visitor),
            other => Err(mismatch(&other, &visitor)),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct ignored_any
    }
}

/// The items of a sequence or map still to be read.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    left: usize,
    len: usize,
    /// Where the last key read starts, to name it in an error of its value.
    key_at: usize,
}

impl<'de> Items<'_, 'de> {
    /// Fails when the visitor stopped before the last item: the bytes after it would be
    /// read as the next value.
    fn rest(&mut self) -> Result<(), WireError> {
        if self.left == 0 {
            Ok(())
        } else {
            Err(WireError::new("items left unread".into()))
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
        let index = self.len - self.left - 1;
        seed.deserialize(&mut *self.reader)
            .map(Some)
            .map_err(|e| e.within(Step::Index(index)))
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
        self.key_at = self.reader.pos;
        seed.deserialize(&mut *self.reader).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, WireError> {
        seed.deserialize(&mut *self.reader).map_err(|e| {
            let key = key_text(self.reader.bytes, self.key_at);
            e.within(Step::Key(key))
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The text of the string key written at `at` (empty for a key that is not a string).
#[cold]
fn key_text(bytes: &[u8], at: usize) -> String {
    let mut reader = Reader { bytes, pos: at };
    match reader.byte() {
        Ok(wire::STR) => reader.str().map(str::to_string).unwrap_or_default(),
        _ => String::new(),
    }
}
