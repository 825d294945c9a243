//! Fuzzes the KQL front end: any UTF-8 text must give an AST or a
//! `SyntaxError` whose span lies inside the text — never a panic, a stack
//! overflow or a hang. A parsed query must also survive the printer and parse
//! again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match iishunt_syntax::kql::parse(text) {
        Ok(query) => {
            let printed = iishunt_syntax::print::to_kql(&query);
            if let Err(e) = iishunt_syntax::kql::parse(&printed) {
                panic!("printed query does not parse: {}\n{printed}", e.message);
            }
        }
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "span out of range"
            );
        }
    }
});
