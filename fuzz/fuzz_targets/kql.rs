//! The KQL front end: any UTF-8 text gives an AST or a user `SyntaxError`
//! whose span lies inside the text — never a panic, a stack overflow or a
//! hang — and a parsed query prints as KQL that parses again
//! (`iishunt::fuzzing::check_kql`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        iishunt::fuzzing::check_kql(text);
    }
});
