//! Docs that cannot rot: every ```` ```kql ```` block in `docs/kql.md` must
//! parse as KQL.

use iishunt_syntax::kql;

#[test]
fn every_kql_block_in_the_docs_parses() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/kql.md");
    let text = std::fs::read_to_string(path).expect("docs/kql.md");
    let mut blocks = 0;
    let mut failures = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("```kql\n") {
        let body = &rest[start + 7..];
        let end = body.find("\n```").expect("closed code block");
        let query = &body[..end];
        blocks += 1;
        if let Err(e) = kql::parse(query) {
            failures.push_str(&format!("{}: {}\n{query}\n\n", e.code, e.message));
        }
        rest = &body[end..];
    }
    assert!(failures.is_empty(), "{failures}");
    assert!(blocks >= 5, "found only {blocks} kql blocks");
}

#[test]
fn the_error_example_in_the_docs_is_what_the_parser_says() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/kql.md");
    let text = std::fs::read_to_string(path).expect("docs/kql.md");
    let section = &text[text.find("## Errors").expect("Errors section")..];
    let start = section.find("```text\n").expect("text block") + 8;
    let block = &section[start..start + section[start..].find("```").expect("closed block")];
    let query = block
        .lines()
        .find_map(|l| l.strip_prefix("1 | "))
        .expect("source line");
    let err = kql::parse(query).expect_err("the example must fail");
    assert_eq!(err.render(query), block);
}
