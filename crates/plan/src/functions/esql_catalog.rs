//! Every function of Elasticsearch's ES|QL reference ("ES|QL functions and
//! operators", the functions overview), by group, with whether iishunt runs
//! it. The binder refuses an unsupported one by name and with the reason, so
//! a rule pasted from Kibana fails saying what is missing; docs/esql.md's
//! function table is checked against this list.

/// One ES|QL function of the reference.
pub struct EsqlFunction {
    /// The upper-case name, as the reference writes it.
    pub name: &'static str,
    /// The reference's group ("Math functions", …).
    pub group: &'static str,
    /// `None`: supported; `Some(why)`: refused with this reason.
    pub unsupported: Option<&'static str>,
}

const UL: &str = "iishunt has no unsigned_long type (integers are 64-bit signed)";
const GEO: &str = "iishunt has no geo or cartesian types";
const SEARCH: &str = "full-text search needs an Elasticsearch index; use LIKE, RLIKE or CONTAINS";
const TS: &str = "time-series (TS) sources are not supported";
const NANOS: &str = "iishunt keeps dates in microseconds and has no date_nanos type";
const VECTOR: &str = "iishunt has no dense_vector type or inference";

const fn yes(group: &'static str, name: &'static str) -> EsqlFunction {
    EsqlFunction {
        name,
        group,
        unsupported: None,
    }
}

const fn no(group: &'static str, name: &'static str, why: &'static str) -> EsqlFunction {
    EsqlFunction {
        name,
        group,
        unsupported: Some(why),
    }
}

const AGG: &str = "Aggregate functions";
const TSA: &str = "Time-series aggregate functions";
const GRP: &str = "Grouping functions";
const CND: &str = "Conditional functions and expressions";
const DTE: &str = "Date and time functions";
const IPF: &str = "IP functions";
const MTH: &str = "Math functions";
const SRC: &str = "Search functions";
const SPA: &str = "Spatial functions";
const STR: &str = "String functions";
const CNV: &str = "Type conversion functions";
const VEC: &str = "Dense vector functions";
const MVF: &str = "Multi value functions";

pub const ESQL_FUNCTIONS: &[EsqlFunction] = &[
    no(AGG, "ABSENT", "not supported yet: write COUNT(x) == 0"),
    yes(AGG, "AVG"),
    yes(AGG, "COUNT"),
    yes(AGG, "COUNT_DISTINCT"),
    yes(AGG, "MAX"),
    yes(AGG, "MEDIAN"),
    no(
        AGG,
        "MEDIAN_ABSOLUTE_DEVIATION",
        "not supported yet as an aggregate (MV_MEDIAN_ABSOLUTE_DEVIATION works on a multi-value)",
    ),
    yes(AGG, "MIN"),
    yes(AGG, "PERCENTILE"),
    no(AGG, "PRESENT", "not supported yet: write COUNT(x) > 0"),
    no(AGG, "SAMPLE", "not supported yet"),
    no(AGG, "ST_CENTROID_AGG", GEO),
    no(AGG, "ST_EXTENT_AGG", GEO),
    yes(AGG, "STD_DEV"),
    yes(AGG, "SUM"),
    no(AGG, "TOP", "not supported yet: SORT and LIMIT, or VALUES"),
    yes(AGG, "VALUES"),
    yes(AGG, "VARIANCE"),
    no(
        AGG,
        "WEIGHTED_AVG",
        "not supported yet: write SUM(x * w) / SUM(w)",
    ),
    no(TSA, "ABSENT_OVER_TIME", TS),
    no(TSA, "AVG_OVER_TIME", TS),
    no(TSA, "COUNT_OVER_TIME", TS),
    no(TSA, "COUNT_DISTINCT_OVER_TIME", TS),
    no(TSA, "DELTA", TS),
    no(TSA, "FIRST_OVER_TIME", TS),
    no(TSA, "IDELTA", TS),
    no(TSA, "INCREASE", TS),
    no(TSA, "IRATE", TS),
    no(TSA, "LAST_OVER_TIME", TS),
    no(TSA, "MAX_OVER_TIME", TS),
    no(TSA, "MIN_OVER_TIME", TS),
    no(TSA, "PRESENT_OVER_TIME", TS),
    no(TSA, "RATE", TS),
    no(TSA, "STDDEV_OVER_TIME", TS),
    no(TSA, "VARIANCE_OVER_TIME", TS),
    no(TSA, "SUM_OVER_TIME", TS),
    yes(GRP, "BUCKET"),
    no(GRP, "TBUCKET", TS),
    no(GRP, "CATEGORIZE", "text categorization is not supported"),
    yes(CND, "CASE"),
    yes(CND, "COALESCE"),
    yes(CND, "GREATEST"),
    yes(CND, "LEAST"),
    yes(DTE, "DATE_DIFF"),
    yes(DTE, "DATE_EXTRACT"),
    yes(DTE, "DATE_FORMAT"),
    yes(DTE, "DATE_PARSE"),
    yes(DTE, "DATE_TRUNC"),
    yes(DTE, "DAY_NAME"),
    yes(DTE, "MONTH_NAME"),
    yes(DTE, "NOW"),
    no(
        DTE,
        "TRANGE",
        "not supported yet: WHERE @timestamp >= NOW() - 1 hour",
    ),
    yes(IPF, "CIDR_MATCH"),
    yes(IPF, "IP_PREFIX"),
    yes(MTH, "ABS"),
    yes(MTH, "ACOS"),
    yes(MTH, "ASIN"),
    yes(MTH, "ATAN"),
    yes(MTH, "ATAN2"),
    yes(MTH, "CBRT"),
    yes(MTH, "CEIL"),
    yes(MTH, "COPY_SIGN"),
    yes(MTH, "COS"),
    yes(MTH, "COSH"),
    yes(MTH, "E"),
    yes(MTH, "EXP"),
    yes(MTH, "FLOOR"),
    yes(MTH, "HYPOT"),
    yes(MTH, "LOG"),
    yes(MTH, "LOG10"),
    yes(MTH, "PI"),
    yes(MTH, "POW"),
    yes(MTH, "ROUND"),
    yes(MTH, "ROUND_TO"),
    yes(MTH, "SCALB"),
    yes(MTH, "SIGNUM"),
    yes(MTH, "SIN"),
    yes(MTH, "SINH"),
    yes(MTH, "SQRT"),
    yes(MTH, "TAN"),
    yes(MTH, "TANH"),
    yes(MTH, "TAU"),
    no(SRC, "KQL", SEARCH),
    no(SRC, "MATCH", SEARCH),
    no(SRC, "MATCH_PHRASE", SEARCH),
    no(SRC, "QSTR", SEARCH),
    no(SPA, "ST_DISTANCE", GEO),
    no(SPA, "ST_INTERSECTS", GEO),
    no(SPA, "ST_DISJOINT", GEO),
    no(SPA, "ST_CONTAINS", GEO),
    no(SPA, "ST_WITHIN", GEO),
    no(SPA, "ST_X", GEO),
    no(SPA, "ST_Y", GEO),
    no(SPA, "ST_ENVELOPE", GEO),
    no(SPA, "ST_XMAX", GEO),
    no(SPA, "ST_XMIN", GEO),
    no(SPA, "ST_YMAX", GEO),
    no(SPA, "ST_YMIN", GEO),
    no(SPA, "ST_GEOTILE", GEO),
    no(SPA, "ST_GEOHEX", GEO),
    no(SPA, "ST_GEOHASH", GEO),
    yes(STR, "BIT_LENGTH"),
    yes(STR, "BYTE_LENGTH"),
    yes(STR, "CONCAT"),
    yes(STR, "CONTAINS"),
    yes(STR, "ENDS_WITH"),
    yes(STR, "FROM_BASE64"),
    no(STR, "HASH", "not supported yet: MD5 and SHA256 are"),
    yes(STR, "LEFT"),
    yes(STR, "LENGTH"),
    yes(STR, "LOCATE"),
    yes(STR, "LTRIM"),
    yes(STR, "MD5"),
    yes(STR, "REPEAT"),
    yes(STR, "REPLACE"),
    yes(STR, "REVERSE"),
    yes(STR, "RIGHT"),
    yes(STR, "RTRIM"),
    no(STR, "SHA1", "not supported yet: MD5 and SHA256 are"),
    yes(STR, "SHA256"),
    yes(STR, "SPACE"),
    yes(STR, "SPLIT"),
    yes(STR, "STARTS_WITH"),
    yes(STR, "SUBSTRING"),
    yes(STR, "TO_BASE64"),
    yes(STR, "TO_LOWER"),
    yes(STR, "TO_UPPER"),
    yes(STR, "TRIM"),
    yes(STR, "URL_ENCODE"),
    yes(STR, "URL_ENCODE_COMPONENT"),
    yes(STR, "URL_DECODE"),
    yes(CNV, "TO_BOOLEAN"),
    no(CNV, "TO_CARTESIANPOINT", GEO),
    no(CNV, "TO_CARTESIANSHAPE", GEO),
    yes(CNV, "TO_DATEPERIOD"),
    yes(CNV, "TO_DATETIME"),
    no(CNV, "TO_DATE_NANOS", NANOS),
    yes(CNV, "TO_DEGREES"),
    yes(CNV, "TO_DOUBLE"),
    no(CNV, "TO_GEOHASH", GEO),
    no(CNV, "TO_GEOHEX", GEO),
    no(CNV, "TO_GEOPOINT", GEO),
    no(CNV, "TO_GEOSHAPE", GEO),
    no(CNV, "TO_GEOTILE", GEO),
    yes(CNV, "TO_INTEGER"),
    yes(CNV, "TO_IP"),
    yes(CNV, "TO_LONG"),
    yes(CNV, "TO_RADIANS"),
    yes(CNV, "TO_STRING"),
    yes(CNV, "TO_TIMEDURATION"),
    no(CNV, "TO_UNSIGNED_LONG", UL),
    yes(CNV, "TO_VERSION"),
    no(VEC, "KNN", VECTOR),
    no(VEC, "TEXT_EMBEDDING", VECTOR),
    yes(MVF, "MV_APPEND"),
    yes(MVF, "MV_AVG"),
    yes(MVF, "MV_CONCAT"),
    yes(MVF, "MV_CONTAINS"),
    yes(MVF, "MV_COUNT"),
    yes(MVF, "MV_DEDUPE"),
    yes(MVF, "MV_FIRST"),
    yes(MVF, "MV_LAST"),
    yes(MVF, "MV_MAX"),
    yes(MVF, "MV_MEDIAN"),
    yes(MVF, "MV_MEDIAN_ABSOLUTE_DEVIATION"),
    yes(MVF, "MV_MIN"),
    yes(MVF, "MV_PERCENTILE"),
    yes(MVF, "MV_PSERIES_WEIGHTED_SUM"),
    yes(MVF, "MV_SORT"),
    yes(MVF, "MV_SLICE"),
    yes(MVF, "MV_SUM"),
    yes(MVF, "MV_ZIP"),
];

/// Elasticsearch's other names for some functions (`TO_STR` is
/// `TO_STRING`), lower-case, mapped to the name iishunt resolves.
pub const ESQL_ALIASES: &[(&str, &str)] = &[
    ("to_str", "to_string"),
    ("to_bool", "to_boolean"),
    ("to_int", "to_integer"),
    ("to_dbl", "to_double"),
    ("to_dt", "to_datetime"),
    ("to_ver", "to_version"),
    ("to_ul", "to_unsigned_long"),
    ("to_ulong", "to_unsigned_long"),
];

/// ES|QL functions that run as a registry entry of another name.
pub const ESQL_REGISTRY_NAMES: &[(&str, &str)] = &[("md5", "hash_md5"), ("sha256", "hash_sha256")];

/// The catalog entry of a function name (any case), after aliases.
pub fn esql_function(name: &str) -> Option<&'static EsqlFunction> {
    let lower = name.to_ascii_lowercase();
    let canonical = ESQL_ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lower.as_str(), |(_, c)| c);
    ESQL_FUNCTIONS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(canonical))
}

/// The registry name iishunt resolves for an ES|QL function name (aliases
/// applied), lower-case.
pub fn esql_canonical(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let name = ESQL_ALIASES
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(lower.as_str(), |(_, c)| c);
    ESQL_REGISTRY_NAMES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or(name, |(_, c)| c)
        .to_string()
}

/// The function table of docs/esql.md, one row per function, by group.
pub fn render_esql_function_table() -> String {
    let mut out = String::from("| group | function | in iishunt |\n| --- | --- | --- |\n");
    for f in ESQL_FUNCTIONS {
        let status = match f.unsupported {
            None => "supported".to_string(),
            Some(why) => format!("not supported: {why}"),
        };
        out.push_str(&format!("| {} | `{}` | {status} |\n", f.group, f.name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::{lookup_aggregate, lookup_scalar};

    #[test]
    fn every_supported_function_resolves_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for f in ESQL_FUNCTIONS {
            assert!(seen.insert(f.name), "{} is listed twice", f.name);
            if f.unsupported.is_some() {
                continue;
            }
            let n = esql_canonical(f.name);
            assert!(
                lookup_scalar(&format!("esql_{n}")).is_some()
                    || lookup_scalar(&n).is_some()
                    || lookup_aggregate(&n).is_some(),
                "{} is marked supported but nothing runs it",
                f.name
            );
        }
        for (alias, to) in ESQL_ALIASES {
            assert!(
                esql_function(alias).is_some(),
                "alias {alias} → {to} names no function"
            );
        }
    }

    /// docs/esql.md's function table is this catalog.
    #[test]
    fn esql_md_lists_every_function() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/esql.md");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let (start, end) = (
            "<!-- esql-functions:start -->\n",
            "<!-- esql-functions:end -->",
        );
        let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
            panic!("docs/esql.md has no {start} … {end} section");
        };
        let want = render_esql_function_table();
        if std::env::var_os("IISHUNT_BLESS").is_some() {
            let new = format!("{}{start}{want}{}", &text[..a], &text[b..]);
            std::fs::write(path, new).expect("write docs/esql.md");
            return;
        }
        assert!(
            text[a + start.len()..b] == want,
            "docs/esql.md's function table is out of date: run \
             `IISHUNT_BLESS=1 cargo test -p iishunt-plan esql_md_lists_every_function`"
        );
    }
}
