//! Whether a typed object holds anything Go's encoding would show differently, found by
//! walking its serialization without building it: the store asks this on every write, and
//! most objects (every one read back from the store) hold nothing to change.
//!
//! k8s-openapi serializes each struct with its definition's name (`VolumeMount`) and each
//! field by its JSON name, and leaves `None` out, so the walk sees what [`super::go_encoded`]
//! sees: a zero scalar in a non-pointer `omitempty` field, an empty list or map in a field, a
//! field Go always shows that is missing. It stops at the first one. An empty list or map in
//! a field k8s-openapi requires is no change: the typed object cannot hold it any other way.
//!
//! The walk is driven by the `wire` serializer (`crate::wire::walk`), so each API type's
//! `Serialize` is built once for both; the serializer hands every value to the plain
//! functions of [`Walk`] below, which keep the walk's state (the open structs, the shape of
//! the last value) behind one reference.

use std::cell::RefCell;

use serde::Serialize;
use serde::ser::Error as _;

use crate::wire::WireError;

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
    thread_local! {
        static STRUCTS: RefCell<Vec<Struct>> = const { RefCell::new(Vec::new()) };
    }
    STRUCTS.with(|structs| {
        // A nested walk (a `Serialize` impl that walks another value) gets its own stack.
        let mut own = Vec::new();
        let mut borrowed = structs.try_borrow_mut();
        let structs = match &mut borrowed {
            Ok(s) => &mut **s,
            Err(_) => &mut own,
        };
        structs.clear();
        let walk = Walk {
            top: true,
            status,
            only_status,
            fields,
            shape: Shape::Other,
            structs,
        };
        crate::wire::walk(value, walk).is_err()
    })
}

/// What a serialized value was, as far as leaving it out goes.
#[derive(Clone, Copy)]
enum Shape {
    Zero,
    Empty,
    Other,
}

/// The walk of one object, as the serializer goes through it.
pub(crate) struct Walk<'a> {
    /// No value has been entered yet: the next struct is the object itself.
    top: bool,
    /// The object's kind has a status struct.
    status: bool,
    /// Walk only the object's status (see [`differs`]).
    only_status: bool,
    fields: &'a Fields,
    /// The shape of the value serialized last.
    shape: Shape,
    /// The structs open around the current value, innermost last.
    structs: &'a mut Vec<Struct>,
}

/// A struct being walked: its fields are checked against the tables by its definition's name.
struct Struct {
    name: &'static str,
    /// The object itself.
    top: bool,
    seen_status: bool,
    /// The fields Go always shows in this struct, and how many of them were seen.
    always: &'static [&'static str],
    seen: usize,
    /// Where its time fields are in [`Fields::times`]; they are never left out.
    times: Option<usize>,
}

/// The walk stops: something would change.
fn differs_error() -> Box<WireError> {
    Box::<WireError>::custom("differs from the Go encoding")
}

impl Walk<'_> {
    /// A scalar, `zero` when it is its type's zero value.
    pub(crate) fn scalar(&mut self, zero: bool) {
        self.shape = if zero { Shape::Zero } else { Shape::Other };
    }

    /// A value that is neither zero nor empty (`null`, a character, an enum with data).
    pub(crate) fn other(&mut self) {
        self.shape = Shape::Other;
    }

    /// A list, a map or an enum's data starts: what follows is inside the object.
    pub(crate) fn enter(&mut self) {
        self.top = false;
    }

    /// A list or map ends.
    pub(crate) fn close_list(&mut self, empty: bool) {
        self.shape = if empty { Shape::Empty } else { Shape::Other };
    }

    /// A struct of definition `name` starts.
    pub(crate) fn open_struct(&mut self, name: &'static str) {
        let times = self.fields.times.iter().position(|(d, _)| d == name);
        self.structs.push(Struct {
            name,
            top: self.top,
            seen_status: false,
            always: super::always_there(name),
            seen: 0,
            times,
        });
        self.top = false;
    }

    /// The field `key` of the innermost struct starts: whether its value is to be walked.
    #[inline]
    pub(crate) fn field(&mut self, key: &'static str) -> bool {
        let Some(open) = self.structs.last_mut() else {
            return true;
        };
        if open.top && key == "status" {
            open.seen_status = true;
        }
        if open.always.contains(&key) {
            open.seen += 1;
        }
        if open.top && self.only_status && key != "status" {
            return false;
        }
        let times = open.times.map_or(&[][..], |i| &self.fields.times[i].1[..]);
        !times.iter().any(|t| t == key)
    }

    /// The value of the field `key` was walked: an empty list or a zero Go leaves out stops
    /// the walk.
    #[inline]
    pub(crate) fn field_done(&mut self, key: &'static str) -> Result<(), Box<WireError>> {
        let Some(open) = self.structs.last() else {
            return Ok(());
        };
        let omitted = match self.shape {
            Shape::Empty => !self.required_list(open.name, key),
            Shape::Zero => super::zero_omitted(open.name, key),
            Shape::Other => false,
        };
        if omitted {
            return Err(differs_error());
        }
        Ok(())
    }

    /// The innermost struct ends: a field Go always shows that was missing stops the walk.
    pub(crate) fn close_struct(&mut self) -> Result<(), Box<WireError>> {
        let Some(open) = self.structs.pop() else {
            return Err(differs_error());
        };
        if (open.top && self.status && !open.seen_status) || open.seen < open.always.len() {
            return Err(differs_error());
        }
        self.shape = Shape::Other;
        Ok(())
    }

    fn required_list(&self, def: &str, field: &str) -> bool {
        self.fields
            .required_lists
            .iter()
            .any(|(d, f)| d == def && f == field)
    }
}
