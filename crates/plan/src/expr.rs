//! Bound expressions: names resolved to column indexes, calls resolved to
//! registry entries, every node typed. What the executor evaluates.

use std::fmt;

use crate::functions::{AggregateFunction, ScalarFunction};
use crate::types::{KType, ScalarValue};

#[derive(Clone)]
pub enum BoundExpr {
    /// A column of the input, by index.
    Column {
        index: usize,
        name: String,
        ty: KType,
    },
    Literal(ScalarValue),
    /// A scalar function or operator (`__eq`, `__add`, …) applied to arguments.
    Call {
        func: &'static ScalarFunction,
        args: Vec<BoundExpr>,
        ty: KType,
    },
}

impl BoundExpr {
    pub fn ty(&self) -> KType {
        match self {
            BoundExpr::Column { ty, .. } => *ty,
            BoundExpr::Literal(v) => v.ktype(),
            BoundExpr::Call { ty, .. } => *ty,
        }
    }

    pub fn as_literal(&self) -> Option<&ScalarValue> {
        match self {
            BoundExpr::Literal(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_column(&self) -> Option<usize> {
        match self {
            BoundExpr::Column { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// Calls `f` on every input column index the expression reads.
    pub fn visit_columns(&self, f: &mut impl FnMut(usize)) {
        match self {
            BoundExpr::Column { index, .. } => f(*index),
            BoundExpr::Literal(_) => {}
            BoundExpr::Call { args, .. } => args.iter().for_each(|a| a.visit_columns(f)),
        }
    }

    /// The same expression with every column index mapped through `map`.
    pub fn remap_columns(&self, map: &impl Fn(usize) -> usize) -> BoundExpr {
        match self {
            BoundExpr::Column { index, name, ty } => BoundExpr::Column {
                index: map(*index),
                name: name.clone(),
                ty: *ty,
            },
            BoundExpr::Literal(v) => BoundExpr::Literal(v.clone()),
            BoundExpr::Call { func, args, ty } => BoundExpr::Call {
                func,
                args: args.iter().map(|a| a.remap_columns(map)).collect(),
                ty: *ty,
            },
        }
    }

    /// Replaces column references by the given expressions (inlining a projection).
    pub fn substitute(&self, exprs: &[BoundExpr]) -> BoundExpr {
        match self {
            BoundExpr::Column { index, .. } => exprs[*index].clone(),
            BoundExpr::Literal(v) => BoundExpr::Literal(v.clone()),
            BoundExpr::Call { func, args, ty } => BoundExpr::Call {
                func,
                args: args.iter().map(|a| a.substitute(exprs)).collect(),
                ty: *ty,
            },
        }
    }

    pub fn is_volatile(&self) -> bool {
        match self {
            BoundExpr::Call { func, args, .. } => {
                func.volatile || args.iter().any(|a| a.is_volatile())
            }
            _ => false,
        }
    }

    pub fn call(func: &'static ScalarFunction, args: Vec<BoundExpr>, ty: KType) -> BoundExpr {
        BoundExpr::Call { func, args, ty }
    }
}

impl fmt::Debug for BoundExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for BoundExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoundExpr::Column { name, .. } => write!(f, "{name}"),
            BoundExpr::Literal(v) => write!(f, "{}", display_scalar(v)),
            BoundExpr::Call { func, args, .. } => {
                if let Some(op) = operator_symbol(func.name) {
                    if args.len() == 2 {
                        return write!(f, "({} {op} {})", args[0], args[1]);
                    }
                }
                write!(f, "{}(", func.name.trim_start_matches("__"))?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

fn operator_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "__eq" => "==",
        "__neq" => "!=",
        "__lt" => "<",
        "__le" => "<=",
        "__gt" => ">",
        "__ge" => ">=",
        "__eq_ci" => "=~",
        "__neq_ci" => "!~",
        "__add" => "+",
        "__sub" => "-",
        "__mul" => "*",
        "__div" => "/",
        "__mod" => "%",
        "__and" => "and",
        "__or" => "or",
        "__has" => "has",
        "__contains" => "contains",
        "__startswith" => "startswith",
        "__endswith" => "endswith",
        _ => return None,
    })
}

/// A constant as KQL would write it.
pub fn display_scalar(v: &ScalarValue) -> String {
    match v {
        ScalarValue::Null(t) => format!("{t}(null)"),
        ScalarValue::Bool(b) => b.to_string(),
        ScalarValue::Int(i) => format!("int({i})"),
        ScalarValue::Long(i) => i.to_string(),
        ScalarValue::Real(r) => format!("real({r})"),
        ScalarValue::String(s) => format!("{s:?}"),
        ScalarValue::DateTime(t) => match chrono::DateTime::from_timestamp_micros(*t) {
            Some(d) => format!("datetime({})", d.format("%Y-%m-%dT%H:%M:%S%.fZ")),
            None => format!("datetime({t}us)"),
        },
        ScalarValue::TimeSpan(t) => format!("timespan({t}us)"),
        ScalarValue::Dynamic(j) => format!("dynamic({j})"),
        ScalarValue::Guid(g) => format!("guid({g})"),
    }
}

/// One aggregate of a `summarize`.
#[derive(Clone)]
pub struct AggregateCall {
    pub func: &'static AggregateFunction,
    pub args: Vec<BoundExpr>,
    /// For `*if` aggregates: the predicate (the last argument, split off).
    pub filter: Option<BoundExpr>,
    pub ty: KType,
}

impl fmt::Debug for AggregateCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.func.name)?;
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{a}")?;
        }
        if let Some(p) = &self.filter {
            write!(f, " if {p}")?;
        }
        f.write_str(")")
    }
}

/// One key of a sort: descending and nulls-first already resolved from the dialect's defaults.
#[derive(Clone, Debug)]
pub struct SortExpr {
    pub expr: BoundExpr,
    pub descending: bool,
    pub nulls_first: bool,
}
