//! docs/functions.md, generated from the registry.

/// The markdown reference of every documented scalar function.
pub fn render_functions_md() -> String {
    String::new()
}
