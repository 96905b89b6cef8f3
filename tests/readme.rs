//! The README's Rust blocks are doctested (`ReadmeDoctests` in `src/lib.rs`); the tours of the
//! README are also the doc examples of the items they present: keep each pair equal.

/// The first ```` ```rust ```` block of README section `section`.
fn readme_block(section: &str) -> String {
    include_str!("../README.md")
        .split(&format!("## {section}\n"))
        .nth(1)
        .and_then(|s| s.split("```rust\n").nth(1))
        .and_then(|s| s.split("```").next())
        .unwrap_or_else(|| panic!("README has a {section} section with a rust block"))
        .to_string()
}

/// The first doc-comment code block after the line containing `marker` in `source`, with the
/// doc-comment prefix (`/// ` or `//! `) removed.
fn doc_block(source: &str, marker: &str) -> String {
    source
        .lines()
        .skip_while(|l| !l.contains(marker))
        .skip_while(|l| !l.trim_start().ends_with("```"))
        .skip(1)
        .take_while(|l| !l.trim_start().ends_with("```"))
        .map(|l| {
            let t = l.trim_start();
            let body = t
                .strip_prefix("/// ")
                .or_else(|| t.strip_prefix("//! "))
                .unwrap_or("");
            format!("{body}\n")
        })
        .collect()
}

#[test]
fn readme_programme_tour_is_the_doc_example_of_programme() {
    let docs = doc_block(
        include_str!("../src/programme/model.rs"),
        "The tour of the README",
    );
    assert_eq!(docs, readme_block("Programme"));
}

#[test]
fn readme_spaser_plan_tour_is_the_doc_example_of_planner() {
    let docs = doc_block(
        include_str!("../src/plan/planner/plan.rs"),
        "Computes SPASER plans from a lever catalogue",
    );
    assert_eq!(docs, readme_block("SPASER plan"));
}

#[test]
fn readme_maturity_tour_is_the_doc_example_of_the_maturity_module() {
    let docs = doc_block(include_str!("../src/maturity/mod.rs"), "# README tour");
    assert_eq!(docs, readme_block("Maturity"));
}
