//! The ES|QL front end: any UTF-8 text gives an AST or a user `SyntaxError`
//! whose span lies inside the text (`iishunt::fuzzing::check_esql`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        iishunt::fuzzing::check_esql(text);
    }
});
