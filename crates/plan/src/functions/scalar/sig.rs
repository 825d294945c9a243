//! Argument checking for the registry's return-type rules: each parameter has
//! a kind (text, number, datetime, …) and a mismatch is said in hunter words
//! ("tohex expects a number, got string").

use crate::types::KType;

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum P {
    /// Anything: converted to text as `tostring` does.
    Text,
    /// int, long, real, decimal, or a dynamic holding a number.
    Num,
    /// int or long (or a dynamic holding one).
    Int,
    Bool,
    Date,
    Span,
    /// A dynamic value (a string is parsed as JSON).
    Dyn,
    /// Any scalar.
    Any,
}

impl P {
    fn accepts(self, t: KType) -> bool {
        match self {
            P::Text | P::Any => true,
            P::Num => t.is_numeric() || t == KType::Dynamic,
            P::Int => t.is_integer() || t == KType::Dynamic,
            P::Bool => t == KType::Bool || t == KType::Dynamic,
            P::Date => t == KType::DateTime || t == KType::Dynamic,
            P::Span => t == KType::TimeSpan || t == KType::Dynamic,
            P::Dyn => t == KType::Dynamic || t.is_stringy(),
        }
    }

    fn words(self) -> &'static str {
        match self {
            P::Text => "a string",
            P::Num => "a number",
            P::Int => "an integer (int or long)",
            P::Bool => "a bool",
            P::Date => "a datetime",
            P::Span => "a timespan",
            P::Dyn => "a dynamic value (array or property bag)",
            P::Any => "a value",
        }
    }
}

/// Checks `args` against `fixed` parameters, then `rest` for any further ones.
pub(super) fn check(
    name: &str,
    args: &[KType],
    fixed: &[P],
    rest: Option<P>,
) -> Result<(), String> {
    for (i, t) in args.iter().enumerate() {
        let Some(p) = fixed.get(i).copied().or(rest) else {
            continue;
        };
        if !p.accepts(*t) {
            return Err(if args.len() == 1 {
                format!("{name} expects {}, got {t}", p.words())
            } else {
                format!(
                    "{name} expects {} as argument {}, got {t}",
                    p.words(),
                    i + 1
                )
            });
        }
    }
    Ok(())
}

/// Defines a return-type rule: parameter kinds (optionally `; rest` for the
/// variadic tail) and a fixed result type.
macro_rules! sig {
    ($fn_name:ident, $fname:literal, [$($p:ident),*] => $ret:ident) => {
        fn $fn_name(args: &[KType]) -> Result<KType, String> {
            $crate::functions::scalar::sig::check($fname, args, &[$($crate::functions::scalar::sig::P::$p),*], None)?;
            Ok(KType::$ret)
        }
    };
    ($fn_name:ident, $fname:literal, [$($p:ident),*; $rest:ident] => $ret:ident) => {
        fn $fn_name(args: &[KType]) -> Result<KType, String> {
            $crate::functions::scalar::sig::check(
                $fname,
                args,
                &[$($crate::functions::scalar::sig::P::$p),*],
                Some($crate::functions::scalar::sig::P::$rest),
            )?;
            Ok(KType::$ret)
        }
    };
}
pub(super) use sig;

/// The type two values share when one of several may be returned (`iff`,
/// `case`, `coalesce`): equal types, numbers widened, a typed null adopting the other.
pub(super) fn common_type(name: &str, types: &[KType]) -> Result<KType, String> {
    let mut acc: Option<KType> = None;
    for &t in types {
        acc = Some(match acc {
            None => t,
            Some(a) if a == t => a,
            Some(a) if a.is_numeric() && t.is_numeric() => {
                KType::numeric_join(a, t).unwrap_or(KType::Real)
            }
            Some(a) if a.is_stringy() && t.is_stringy() => KType::String,
            // `null` without a type is dynamic: it adopts the other values' type
            // (either order), as does a dynamic value next to a typed one.
            Some(KType::Dynamic) => t,
            Some(a) if t == KType::Dynamic => a,
            Some(a) => return Err(format!("{name} needs values of one type, got {a} and {t}")),
        });
    }
    Ok(acc.unwrap_or(KType::Dynamic))
}
