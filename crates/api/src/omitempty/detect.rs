//! Whether a typed object holds anything Go's encoding would show differently, found by
//! walking its serialization without building it: the store asks this on every write, and
//! most objects (every one read back from the store) hold nothing to change.
//!
//! k8s-openapi serializes each struct with its definition's name (`VolumeMount`) and each
//! field by its JSON name, and leaves `None` out, so the walk sees what [`super::go_encoded`]
//! sees: a zero scalar in a non-pointer `omitempty` field, an empty list or map in a field, a
//! field Go always shows that is missing. It stops at the first one. An empty list or map in
//! a field k8s-openapi requires is no change: the typed object cannot hold it any other way.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// What the walk needs to know of a kind's fields, by the short name of their struct's
/// definition.
#[derive(Debug, Default)]
pub(super) struct Fields {
    /// The lists and maps k8s-openapi requires (`EndpointSlice.endpoints`,
    /// `PolicyRule.verbs`). Such a field is a plain `Vec` or `BTreeMap`, serialized even when
    /// empty, so an empty one is the only way the typed object can hold Go's nil: the trip
    /// through JSON would leave it out and decode it back empty, changing nothing.
    pub required_lists: Vec<(String, String)>,
    /// The `metav1.Time` and `MicroTime` fields of each definition that has any. Their text
    /// is never empty, so Go never leaves one out and the walk need not look at it: k8s-openapi
    /// formats a time through jiff's strftime each time it is serialized, which was most of
    /// a pod's or an Event's walk.
    pub times: Vec<(String, Vec<String>)>,
}

/// Whether `value` (one object) differs from its Go encoding; `status` says whether its
/// kind has a status Go always shows, `fields` what the kind's fields are. With
/// `only_status`, the object's other top-level fields are taken as already encoded (a status
/// write keeps the stored spec and metadata) and only its status is walked.
pub(super) fn differs<T: Serialize + ?Sized>(
    value: &T,
    status: bool,
    only_status: bool,
    fields: &Fields,
) -> bool {
    value
        .serialize(Walk {
            top: true,
            status,
            only_status,
            fields,
        })
        .is_err()
}

/// What a serialized value was, as far as leaving it out goes.
enum Shape {
    Zero,
    Empty,
    Other,
}

/// The walk stops here: something would change.
#[derive(Debug)]
struct Differs;

impl fmt::Display for Differs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("differs from the Go encoding")
    }
}

impl std::error::Error for Differs {}

impl ser::Error for Differs {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Differs
    }
}

#[derive(Clone, Copy)]
struct Walk<'a> {
    /// The object itself, not a value inside it.
    top: bool,
    /// The object's kind has a status struct.
    status: bool,
    /// Walk only the object's status (see [`differs`]).
    only_status: bool,
    fields: &'a Fields,
}

impl<'a> Walk<'a> {
    /// The walk of a value inside the object.
    fn inner(self) -> Walk<'a> {
        Walk {
            top: false,
            status: false,
            only_status: false,
            fields: self.fields,
        }
    }

    fn seq(self) -> Seq<'a> {
        Seq {
            len: 0,
            walk: self.inner(),
        }
    }

    fn required_list(self, def: &str, field: &str) -> bool {
        self.fields
            .required_lists
            .iter()
            .any(|(d, f)| d == def && f == field)
    }

    /// The time fields of the struct of definition `def`.
    fn times(self, def: &str) -> &'a [String] {
        self.fields
            .times
            .iter()
            .find(|(d, _)| d == def)
            .map_or(&[], |(_, fields)| fields)
    }
}

fn scalar(zero: bool) -> Result<Shape, Differs> {
    Ok(if zero { Shape::Zero } else { Shape::Other })
}

impl<'a> ser::Serializer for Walk<'a> {
    type Ok = Shape;
    type Error = Differs;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Seq<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Impossible<Shape, Differs>;

    fn serialize_bool(self, v: bool) -> Result<Shape, Differs> {
        scalar(!v)
    }
    fn serialize_i8(self, v: i8) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_i16(self, v: i16) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_i32(self, v: i32) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_i64(self, v: i64) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_u8(self, v: u8) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_u16(self, v: u16) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_u32(self, v: u32) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_u64(self, v: u64) -> Result<Shape, Differs> {
        scalar(v == 0)
    }
    fn serialize_f32(self, v: f32) -> Result<Shape, Differs> {
        scalar(v == 0.0)
    }
    fn serialize_f64(self, v: f64) -> Result<Shape, Differs> {
        scalar(v == 0.0)
    }
    fn serialize_char(self, _: char) -> Result<Shape, Differs> {
        Ok(Shape::Other)
    }
    fn serialize_str(self, v: &str) -> Result<Shape, Differs> {
        scalar(v.is_empty())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Shape, Differs> {
        scalar(v.is_empty())
    }
    fn serialize_none(self) -> Result<Shape, Differs> {
        Ok(Shape::Other)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Shape, Differs> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Shape, Differs> {
        Ok(Shape::Other)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Shape, Differs> {
        Ok(Shape::Other)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Shape, Differs> {
        scalar(variant.is_empty())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Shape, Differs> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<Shape, Differs> {
        v.serialize(self.inner()).map(|_| Shape::Other)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Differs> {
        Ok(self.seq())
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq<'a>, Differs> {
        Ok(self.seq())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'a>, Differs> {
        Ok(self.seq())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Seq<'a>, Differs> {
        Ok(self.seq())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Seq<'a>, Differs> {
        Ok(self.seq())
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, Differs> {
        Ok(Struct {
            name,
            walk: self,
            seen_status: false,
            always: super::always_there(name),
            seen: 0,
            times: self.times(name),
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        // k8s-openapi has no struct variants; treat one as a change, to be safe.
        Err(Differs)
    }
}

/// A list or map: only whether it is empty matters to its field.
struct Seq<'a> {
    len: usize,
    walk: Walk<'a>,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        self.len += 1;
        v.serialize(self.walk).map(|_| ())
    }
    fn done(self) -> Result<Shape, Differs> {
        Ok(if self.len == 0 {
            Shape::Empty
        } else {
            Shape::Other
        })
    }
}

/// Serde's four element-by-element traits differ only in their names.
macro_rules! seq_impl {
    ($($trait_:ident :: $method:ident),*) => {$(
        impl ser::$trait_ for Seq<'_> {
            type Ok = Shape;
            type Error = Differs;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
                self.item(v)
            }
            fn end(self) -> Result<Shape, Differs> {
                self.done()
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

impl ser::SerializeMap for Seq<'_> {
    type Ok = Shape;
    type Error = Differs;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Differs> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        self.item(v)
    }
    fn end(self) -> Result<Shape, Differs> {
        self.done()
    }
}

/// A struct: its fields are checked against the tables by its definition's name.
struct Struct<'a> {
    name: &'static str,
    walk: Walk<'a>,
    seen_status: bool,
    /// The fields Go always shows in this struct, and how many of them were seen.
    always: &'static [&'static str],
    seen: usize,
    /// Its time fields, which are never left out (see [`Fields::times`]).
    times: &'a [String],
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = Shape;
    type Error = Differs;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Differs> {
        if self.walk.top && key == "status" {
            self.seen_status = true;
        }
        if self.always.contains(&key) {
            self.seen += 1;
        }
        if self.walk.top && self.walk.only_status && key != "status" {
            return Ok(());
        }
        if self.times.iter().any(|t| t == key) {
            return Ok(());
        }
        match v.serialize(self.walk.inner())? {
            Shape::Empty if !self.walk.required_list(self.name, key) => Err(Differs),
            Shape::Zero if super::zero_omitted(self.name, key) => Err(Differs),
            _ => Ok(()),
        }
    }
    fn end(self) -> Result<Shape, Differs> {
        if (self.walk.status && !self.seen_status) || self.seen < self.always.len() {
            return Err(Differs);
        }
        Ok(Shape::Other)
    }
}
