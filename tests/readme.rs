//! The README's "Programme" tour is doctested through the docs of `Programme`: keep them equal.

#[test]
fn readme_programme_example_is_the_doctested_one() {
    let readme = include_str!("../README.md");
    let docs = include_str!("../src/programme.rs");
    let section = readme
        .split("## Programme")
        .nth(1)
        .expect("README has a Programme section");
    let code = section
        .split("```rust\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a rust block");
    let doc_code: String = docs
        .lines()
        .skip_while(|l| !l.contains("The tour of the README"))
        .skip(3)
        .take_while(|l| *l != "/// ```")
        .map(|l| format!("{}\n", l.strip_prefix("/// ").unwrap_or("")))
        .collect();
    assert_eq!(doc_code, code);
}
