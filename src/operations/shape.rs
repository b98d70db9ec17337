//! Typed Rust structs from the same declaration as the interpreter's field tables.
//!
//! `shape!` turns one struct declaration, each field with its JS name and location, into the
//! struct, its field table ([`Shape::FIELDS`]) and the conversions to and from the
//! interpreter's [`Value`]s. A field's type is read from its Rust type through [`FieldType`].

use super::{ByteRange, Field, Ty, Value};
use crate::body::Body;
use crate::time::Timestamp;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// A struct declared with [`shape!`](crate::shape).
pub trait Shape: Sized {
    const FIELDS: &'static [Field];
    fn into_values(self) -> Vec<Value>;
    fn from_values(values: Vec<Value>) -> Self;
}

/// A Rust type a shape's field may have, and how it maps to a [`Value`].
pub trait FieldType: Sized {
    const TY: Ty;
    const REQUIRED: bool;
    fn into_value(self) -> Value;
    fn from_value(value: Value) -> Self;
}

/// Declares a shape: `field: Type = "jsName" Loc::…` per field, optionally `; Check::…`.
#[macro_export]
#[doc(hidden)]
macro_rules! shape {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty = $js:literal $loc:expr $(; $check:expr)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        impl $crate::operations::Shape for $name {
            const FIELDS: &'static [$crate::operations::Field] = &[
                $( $crate::operations::Field::new(
                    $js,
                    $loc,
                    <$ty as $crate::operations::FieldType>::TY,
                    <$ty as $crate::operations::FieldType>::REQUIRED,
                    &$crate::shape!(@check $($check)?),
                ), )*
            ];

            fn into_values(self) -> alloc::vec::Vec<$crate::operations::Value> {
                alloc::vec![ $( $crate::operations::FieldType::into_value(self.$field), )* ]
            }

            #[allow(unused_mut, unused_variables)]
            fn from_values(values: alloc::vec::Vec<$crate::operations::Value>) -> Self {
                let mut values = values.into_iter();
                $name { $( $field: $crate::operations::FieldType::from_value(values.next().unwrap_or_default()), )* }
            }
        }

        impl $crate::operations::FieldType for $name {
            const TY: $crate::operations::Ty = $crate::operations::Ty::Record(<$name as $crate::operations::Shape>::FIELDS);
            const REQUIRED: bool = false;
            fn into_value(self) -> $crate::operations::Value {
                $crate::operations::Value::Record($crate::operations::Shape::into_values(self))
            }
            fn from_value(value: $crate::operations::Value) -> Self {
                match value {
                    $crate::operations::Value::Record(values) => $crate::operations::Shape::from_values(values),
                    _ => $crate::operations::Shape::from_values(alloc::vec::Vec::new()),
                }
            }
        }

        impl $crate::operations::FieldType for Option<$name> {
            const TY: $crate::operations::Ty = $crate::operations::Ty::Record(<$name as $crate::operations::Shape>::FIELDS);
            const REQUIRED: bool = false;
            fn into_value(self) -> $crate::operations::Value {
                self.map_or($crate::operations::Value::Absent, $crate::operations::FieldType::into_value)
            }
            fn from_value(value: $crate::operations::Value) -> Self {
                match value {
                    $crate::operations::Value::Absent => None,
                    value => Some($crate::operations::FieldType::from_value(value)),
                }
            }
        }

        impl $crate::operations::FieldType for alloc::vec::Vec<$name> {
            const TY: $crate::operations::Ty = $crate::operations::Ty::List(<$name as $crate::operations::Shape>::FIELDS);
            const REQUIRED: bool = false;
            fn into_value(self) -> $crate::operations::Value {
                $crate::operations::Value::List(self.into_iter().map($crate::operations::Shape::into_values).collect())
            }
            fn from_value(value: $crate::operations::Value) -> Self {
                match value {
                    $crate::operations::Value::List(items) => items.into_iter().map($crate::operations::Shape::from_values).collect(),
                    _ => alloc::vec::Vec::new(),
                }
            }
        }
    };
    (@check) => { $crate::operations::Check::None };
    (@check $check:expr) => { $check };
}

/// Implements [`FieldType`] for a plain type: its [`Ty`], whether it must be given, and the
/// [`Value`] variant that carries it; `optional!` alone for types only ever optional.
macro_rules! plain {
    ($ty:ty, $kind:ident, $required:expr, $variant:ident) => {
        impl FieldType for $ty {
            const TY: Ty = Ty::$kind;
            const REQUIRED: bool = $required;
            fn into_value(self) -> Value {
                Value::$variant(self.into())
            }
            fn from_value(value: Value) -> Self {
                match value {
                    Value::$variant(v) => v.try_into().unwrap_or_default(),
                    _ => Default::default(),
                }
            }
        }

        optional!($ty, $kind, $variant);
    };
}

macro_rules! optional {
    ($ty:ty, $kind:ident, $variant:ident) => {
        impl FieldType for Option<$ty> {
            const TY: Ty = Ty::$kind;
            const REQUIRED: bool = false;
            fn into_value(self) -> Value {
                self.map_or(Value::Absent, |v| Value::$variant(v.into()))
            }
            fn from_value(value: Value) -> Self {
                match value {
                    Value::$variant(v) => v.try_into().ok(),
                    _ => None,
                }
            }
        }
    };
}

plain!(String, Text, true, Text);
plain!(u64, Int, true, Int);
plain!(u32, Int, true, Int);
plain!(u16, Int, true, Int);
optional!(Timestamp, Date, Date);
optional!(ByteRange, Range, Range);

impl FieldType for bool {
    const TY: Ty = Ty::Bool;
    const REQUIRED: bool = false;
    fn into_value(self) -> Value {
        Value::Bool(self)
    }
    fn from_value(value: Value) -> Self {
        matches!(value, Value::Bool(true))
    }
}

impl FieldType for BTreeMap<String, String> {
    const TY: Ty = Ty::Map;
    const REQUIRED: bool = false;
    fn into_value(self) -> Value {
        if self.is_empty() {
            Value::Absent
        } else {
            Value::Map(self.into_iter().collect())
        }
    }
    fn from_value(value: Value) -> Self {
        match value {
            Value::Map(pairs) => pairs.into_iter().collect(),
            _ => BTreeMap::new(),
        }
    }
}

impl FieldType for Body {
    const TY: Ty = Ty::Body;
    const REQUIRED: bool = false;
    fn into_value(self) -> Value {
        Value::Body(self)
    }
    fn from_value(value: Value) -> Self {
        match value {
            Value::Body(body) => body,
            _ => Body::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::{Check, Loc};

    crate::shape! {
        #[derive(Debug, Default, PartialEq)]
        pub struct Probe {
            name: String = "name" Loc::Xml("Name"),
            size: Option<u64> = "size" Loc::Header("content-length"); Check::Between(1, 9),
            flag: bool = "flag" Loc::Query("flag"),
        }
    }

    crate::shape! {
        #[derive(Debug, Default, PartialEq)]
        pub struct Named {
            max_keys: Option<u64> = "maxKeys" Loc::Query("max-keys"),
            if_none_match: Option<String> = "ifNoneMatch" Loc::Header("if-none-match"),
            storage_class: Option<String> = "storageClass" Loc::Header("x-amz-storage-class"),
            checksum: Option<String> = "checksum" Loc::Header("x-amz-sdk-checksum-algorithm"),
            key_count: Option<u64> = "keyCount" Loc::Xml("KeyCount"),
            etag: Option<String> = "etag" Loc::Xml("ETag"),
            owner_id: Option<String> = "ownerId" Loc::Xml("Owner/ID"),
        }
    }

    #[test]
    fn wire_names_that_follow_from_field_names_are_not_stored_and_come_back_as_declared() {
        let stored: Vec<_> = Named::FIELDS.iter().map(|f| f.wire).collect();
        assert_eq!(stored, ["", "", "", "x-amz-sdk-checksum-algorithm", "", "ETag", "Owner/ID"]);
        let wires: Vec<_> = Named::FIELDS.iter().map(|f| String::from(&*f.wire())).collect();
        let declared = [
            "max-keys",
            "if-none-match",
            "x-amz-storage-class",
            "x-amz-sdk-checksum-algorithm",
            "KeyCount",
            "ETag",
            "Owner/ID",
        ];
        assert_eq!(wires, declared);
        assert_eq!(Named::FIELDS[2].loc(), Loc::Header(()));
        assert_eq!(Named::FIELDS[4].loc(), Loc::Xml(()));
    }

    /// Every declared field: a name made again by `wire()` is one `follows_from` accepts, so
    /// the rule that drops a name and the one that makes it cannot disagree.
    #[test]
    fn every_made_wire_name_is_one_the_declaration_rule_accepts() {
        fn check(fields: &[crate::operations::Field]) {
            for field in fields {
                if field.wire.is_empty() && !field.wire().is_empty() {
                    assert!(super::super::follows_from(field.loc, field.name, &field.wire()), "{}", field.name);
                }
                if let crate::operations::Ty::Record(inner) | crate::operations::Ty::List(inner) = field.ty() {
                    check(inner);
                }
            }
        }
        for operation in crate::operations::catalog::ALL {
            check(operation.input);
            check(operation.output);
        }
        check(<crate::credentials::StsAnswer as Shape>::FIELDS);
    }

    #[test]
    fn a_shape_round_trips_through_values_and_lists_its_fields() {
        let probe = Probe { name: "n".into(), size: Some(3), flag: true };
        let values = probe.into_values();
        assert_eq!(Probe::from_values(values), Probe { name: "n".into(), size: Some(3), flag: true });
        let names: Vec<_> = Probe::FIELDS.iter().map(|f| (f.name, f.required)).collect();
        assert_eq!(names, [("name", true), ("size", false), ("flag", false)]);
        assert_eq!(Probe::FIELDS[1].check(), Check::Between(1, 9));
        assert_eq!((Probe::FIELDS[0].loc(), &*Probe::FIELDS[0].wire()), (Loc::Xml(()), "Name"));
    }
}
