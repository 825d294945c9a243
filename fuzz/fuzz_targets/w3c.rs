//! The W3C line and section reader over any bytes, plain or gzip: rows,
//! rejects or a file-level error, and every physical line accounted for
//! (`iishunt::fuzzing::check_w3c`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iishunt::fuzzing::check_w3c(data);
});
