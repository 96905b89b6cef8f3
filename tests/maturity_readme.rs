//! The README's "Maturity" example is doctested through the docs of `spaser::maturity` (section
//! "README tour"): keep them equal.

#[test]
fn readme_maturity_example_is_the_doctested_one() {
    let readme = include_str!("../README.md");
    let docs = include_str!("../src/maturity/mod.rs");
    let code = readme
        .split("## Maturity")
        .nth(1)
        .and_then(|s| s.split("```rust\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("README has a Maturity section with a rust block");
    let doc_code: String = docs
        .lines()
        .skip_while(|l| *l != "//! # README tour")
        .skip_while(|l| *l != "//! ```")
        .skip(1)
        .take_while(|l| *l != "//! ```")
        .map(|l| format!("{}\n", l.strip_prefix("//! ").unwrap_or("")))
        .collect();
    assert_eq!(doc_code, code);
}
