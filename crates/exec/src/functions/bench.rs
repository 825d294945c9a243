//! Throughput of the hot kernels on a million plain (non-dictionary) rows:
//! `cargo test --release -p iishunt-exec --lib kernel_throughput -- --ignored --nocapture`.

use std::sync::Arc;
use std::time::Instant;

use arrow::array::*;
use iishunt_plan::types::KType::{self, *};
use iishunt_plan::types::ScalarValue;

use super::testing::*;
use crate::datum::Datum;

const ROWS: usize = 1_000_000;

fn col<T: AsRef<str>>(f: impl Fn(usize) -> T) -> Datum {
    Datum::Array(Arc::new(StringArray::from_iter_values(
        (0..ROWS).map(|i| f(i).as_ref().to_string()),
    )))
}

fn time(label: &str, f: impl Fn() -> ArrayRef) -> ArrayRef {
    let _ = f();
    let t = Instant::now();
    let mut out = f();
    for _ in 0..4 {
        out = f();
    }
    let ms = t.elapsed().as_secs_f64() * 1000.0 / 5.0;
    println!("{label:<40} {ms:8.1} ms / 1M rows");
    out
}

#[test]
#[ignore]
fn kernel_throughput() {
    let status = col(|i| ["401", "403", "200", "404", "500"][i % 5]);
    let sub = col(|i| ["0", "1", "2", "3"][i % 4]);
    let win32 = col(|i| ["0", "1326", "2148074254", "5", "64"][i % 5]);
    let query = col(|i| format!("id={i}&q=a%20b+c&x=%3Cscript%3E"));
    let uri = col(|i| format!("/app/admin/page{}.aspx", i % 100));
    let ts = Datum::Array(Arc::new(TimestampMicrosecondArray::from_iter_values(
        (0..ROWS as i64).map(|i| 1_772_985_912_000_000 + i * 1000),
    )));
    let port = Datum::Array(Arc::new(Int32Array::from_iter_values(
        (0..ROWS as i32).map(|i| 80 + i % 3),
    )));

    let full = time("strcat(status, \".\", sub)", || {
        call(
            "strcat",
            &[status.clone(), lit_str("."), sub.clone()],
            &[String, String, String],
        )
    });
    time("full == \"401.1\"", || {
        call(
            "__eq",
            &[Datum::Array(full.clone()), lit_str("401.1")],
            &[String, String],
        )
    });
    time("status in (\"401\", \"403\")", || {
        call(
            "__in",
            &[status.clone(), lit_str("401"), lit_str("403")],
            &[String, String, String],
        )
    });
    let long = time("tolong(win32)", || {
        call("tolong", &[win32.clone()], &[String])
    });
    let hex = time("tohex(long)", || {
        call("tohex", &[Datum::Array(long.clone())], &[Long])
    });
    let hexd = Datum::Array(hex);
    let conds: Vec<ArrayRef> = [
        "775", "52e", "532", "533", "2ee2", "0", "1", "2", "3", "4", "5", "8009030e", "8009030C",
    ]
    .iter()
    .map(|n| call("__eq_ci", &[hexd.clone(), lit_str(n)], &[String, String]))
    .collect();
    time("hex =~ \"8009030C\"", || {
        call(
            "__eq_ci",
            &[hexd.clone(), lit_str("8009030C")],
            &[String, String],
        )
    });
    let mut args = Vec::new();
    let mut types: Vec<KType> = Vec::new();
    for (k, c) in conds.iter().enumerate() {
        args.push(Datum::Array(c.clone()));
        args.push(lit_str(&format!(
            "Message number {k} for this win32 status."
        )));
        types.extend([Bool, String]);
    }
    args.push(lit_str(
        "See - https://msdn.microsoft.com/library/cc231199.aspx",
    ));
    types.push(String);
    time("case(13 branches)", || call("case", &args, &types));
    time("url_decode(query)", || {
        call("url_decode", &[query.clone()], &[String])
    });
    time("uri has \"admin\"", || {
        call("__has", &[uri.clone(), lit_str("admin")], &[String, String])
    });
    time("uri contains \"PAGE9\"", || {
        call(
            "__contains",
            &[uri.clone(), lit_str("PAGE9")],
            &[String, String],
        )
    });
    time("uri startswith_cs \"/app\"", || {
        call(
            "__startswith_cs",
            &[uri.clone(), lit_str("/app")],
            &[String, String],
        )
    });
    time("bin(ts, 10m)", || {
        call(
            "bin",
            &[
                ts.clone(),
                Datum::Scalar(ScalarValue::TimeSpan(600_000_000)),
            ],
            &[DateTime, TimeSpan],
        )
    });
    time("sPort == 443 (int vs long)", || {
        call("__eq", &[port.clone(), lit_long(443)], &[Int, Long])
    });
    time("sPort in (\"80\",\"443\")", || {
        call(
            "__in",
            &[port.clone(), lit_str("80"), lit_str("443")],
            &[Int, String, String],
        )
    });
    time("split(uri, \"/\")", || {
        call("split", &[uri.clone(), lit_str("/")], &[String, String])
    });
    time("substring(uri, 5)", || {
        call("substring", &[uri.clone(), lit_long(5)], &[String, Long])
    });
    time("iff(cond, status, sub)", || {
        call(
            "iff",
            &[Datum::Array(conds[5].clone()), status.clone(), sub.clone()],
            &[Bool, String, String],
        )
    });
}
