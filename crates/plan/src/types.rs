//! Kusto's scalar types, how each is held in Arrow, and constant values.
//!
//! The binder gives every expression a [`KType`]; the executor holds values as
//! Arrow arrays of [`KType::arrow_type`]. `decimal` is backed by `real` (f64) and
//! `dynamic` by JSON text in a `Utf8` array (documented in docs/types.md): both
//! are engine decisions invisible to queries except for decimal precision.

use std::fmt;

use arrow::datatypes::{DataType, Field, TimeUnit};

/// Field metadata key that tells a `Utf8` column holding JSON (`dynamic`) from a
/// plain string column once results leave the engine as Arrow batches.
pub const KUSTO_TYPE_KEY: &str = "kusto_type";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KType {
    Bool,
    Int,
    Long,
    Real,
    Decimal,
    String,
    DateTime,
    TimeSpan,
    Dynamic,
    Guid,
}

impl KType {
    pub fn name(self) -> &'static str {
        match self {
            KType::Bool => "bool",
            KType::Int => "int",
            KType::Long => "long",
            KType::Real => "real",
            KType::Decimal => "decimal",
            KType::String => "string",
            KType::DateTime => "datetime",
            KType::TimeSpan => "timespan",
            KType::Dynamic => "dynamic",
            KType::Guid => "guid",
        }
    }

    /// How values of this type are held in Arrow arrays inside the engine.
    pub fn arrow_type(self) -> DataType {
        match self {
            KType::Bool => DataType::Boolean,
            KType::Int => DataType::Int32,
            KType::Long => DataType::Int64,
            KType::Real | KType::Decimal => DataType::Float64,
            KType::String | KType::Dynamic | KType::Guid => DataType::Utf8,
            KType::DateTime => DataType::Timestamp(TimeUnit::Microsecond, None),
            KType::TimeSpan => DataType::Duration(TimeUnit::Microsecond),
        }
    }

    /// The Kusto type a stored Arrow column is seen as; `None` for types the
    /// engine does not read.
    pub fn from_arrow(dt: &DataType) -> Option<KType> {
        Some(match dt {
            DataType::Boolean => KType::Bool,
            DataType::Int8 | DataType::Int16 | DataType::Int32 => KType::Int,
            DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => KType::Long,
            DataType::Int64 | DataType::UInt64 => KType::Long,
            DataType::Float16 | DataType::Float32 | DataType::Float64 => KType::Real,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => KType::String,
            DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => KType::DateTime,
            DataType::Duration(_) => KType::TimeSpan,
            DataType::Dictionary(_, value) => return KType::from_arrow(value),
            _ => return None,
        })
    }

    /// The Kusto type of an Arrow field, honouring the `kusto_type` metadata.
    pub fn from_field(field: &Field) -> Option<KType> {
        match field.metadata().get(KUSTO_TYPE_KEY).map(String::as_str) {
            Some("dynamic") => Some(KType::Dynamic),
            Some("guid") => Some(KType::Guid),
            Some("decimal") => Some(KType::Decimal),
            _ => KType::from_arrow(field.data_type()),
        }
    }

    /// An Arrow field for a column of this type, with metadata where the Arrow
    /// type alone is ambiguous.
    pub fn field(self, name: &str) -> Field {
        let field = Field::new(name, self.arrow_type(), true);
        match self {
            KType::Dynamic | KType::Guid | KType::Decimal => {
                field.with_metadata(std::collections::HashMap::from([(
                    KUSTO_TYPE_KEY.to_string(),
                    self.name().to_string(),
                )]))
            }
            _ => field,
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            KType::Int | KType::Long | KType::Real | KType::Decimal
        )
    }

    pub fn is_integer(self) -> bool {
        matches!(self, KType::Int | KType::Long)
    }

    pub fn is_stringy(self) -> bool {
        matches!(self, KType::String | KType::Guid)
    }

    /// The type two numeric operands are computed in (Kusto: int+long → long,
    /// anything with real → real).
    pub fn numeric_join(a: KType, b: KType) -> Option<KType> {
        if !a.is_numeric() || !b.is_numeric() {
            return None;
        }
        Some(
            if matches!(a, KType::Real | KType::Decimal)
                || matches!(b, KType::Real | KType::Decimal)
            {
                KType::Real
            } else if a == KType::Int && b == KType::Int {
                KType::Int
            } else {
                KType::Long
            },
        )
    }
}

impl From<iishunt_syntax::ast::TypeName> for KType {
    fn from(t: iishunt_syntax::ast::TypeName) -> Self {
        use iishunt_syntax::ast::TypeName as T;
        match t {
            T::Bool => KType::Bool,
            T::Int => KType::Int,
            T::Long => KType::Long,
            T::Real => KType::Real,
            T::Decimal => KType::Decimal,
            T::String => KType::String,
            T::DateTime => KType::DateTime,
            T::TimeSpan => KType::TimeSpan,
            T::Dynamic => KType::Dynamic,
            T::Guid => KType::Guid,
        }
    }
}

impl fmt::Display for KType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A constant: a literal, a folded `let`, or a typed null.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalarValue {
    Null(KType),
    Bool(bool),
    Int(i32),
    Long(i64),
    Real(f64),
    String(String),
    /// Microseconds since the Unix epoch, UTC.
    DateTime(i64),
    /// Microseconds.
    TimeSpan(i64),
    Dynamic(serde_json::Value),
    Guid(String),
}

impl ScalarValue {
    pub fn ktype(&self) -> KType {
        match self {
            ScalarValue::Null(t) => *t,
            ScalarValue::Bool(_) => KType::Bool,
            ScalarValue::Int(_) => KType::Int,
            ScalarValue::Long(_) => KType::Long,
            ScalarValue::Real(_) => KType::Real,
            ScalarValue::String(_) => KType::String,
            ScalarValue::DateTime(_) => KType::DateTime,
            ScalarValue::TimeSpan(_) => KType::TimeSpan,
            ScalarValue::Dynamic(_) => KType::Dynamic,
            ScalarValue::Guid(_) => KType::Guid,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, ScalarValue::Null(_))
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ScalarValue::Int(v) => Some(*v as i64),
            ScalarValue::Long(v) | ScalarValue::DateTime(v) | ScalarValue::TimeSpan(v) => Some(*v),
            ScalarValue::Real(v) => Some(*v as i64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            ScalarValue::String(s) | ScalarValue::Guid(s) => Some(s),
            _ => None,
        }
    }
}
