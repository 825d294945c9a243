//! The whole query pipeline — parse, bind, optimize, execute over a tiny
//! fixture, render — under a 2 s / 256 MB budget per input: rows or a user
//! error, never an internal error, valid JSON, no raw control characters in
//! tables (`iishunt::fuzzing::check_pipeline`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        iishunt::fuzzing::check_pipeline(text);
    }
});
