//! `spaser follow-up` and the maturity options of issue 18, as a user runs them: the built
//! binary's output equals the library's results on the follow-up data set.
#![cfg(feature = "cli")]

mod followup_support;

use std::process::{Command, Output, Stdio};

use followup_support::{DIR, contracts, planned, programme, targets};
use spaser::Lang;
use spaser::followup::{ReviewOptions, review};

fn spaser(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spaser"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The review of the data set by the library, on the contracts the command reads: those of
/// the buyer's SIREN (the others are left out while reading).
fn library_review() -> spaser::followup::Review {
    let siren = programme()
        .buyer
        .siret
        .expect("the data set's SIRET")
        .siren()
        .to_string();
    let of_buyer = spaser::decp::Filter::new().buyer(&siren);
    let contracts: Vec<_> = contracts("decp.json")
        .into_iter()
        .filter(|c| of_buyer.matches(c))
        .collect();
    review(
        &programme(),
        &planned(),
        &contracts,
        &targets(),
        2026,
        &ReviewOptions::default(),
    )
    .unwrap()
}

#[test]
fn follow_up_without_argument_reviews_the_embedded_data_set() {
    let r = library_review();
    let json = ok(&spaser(&["follow-up", "--format", "json"]));
    assert_eq!(json, format!("{}\n", r.to_json().unwrap()));
    let md = ok(&spaser(&["follow-up", "--lang", "fr"]));
    assert_eq!(md, r.to_markdown(Lang::Fr));
    let html = ok(&spaser(&["follow-up", "--lang", "en", "--format", "html"]));
    assert_eq!(html, r.to_html(Lang::En));
}

#[test]
fn follow_up_markdown_written_to_a_file_has_its_chart_next_to_it() {
    // The review is rendered by the crate's one rendering layer: the Markdown refers to its
    // targets chart by a relative path, written next to `-o FILE` (as `spaser plan` does).
    let r = library_review();
    let dir = std::env::temp_dir().join(format!("spaser-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("bilan.md");
    ok(&spaser(&["follow-up", "-o", out.to_str().unwrap()]));
    let md = std::fs::read_to_string(&out).unwrap();
    assert_eq!(md, r.to_markdown(Lang::Fr));
    let file = r.chart_file(Lang::Fr);
    assert_eq!(file, "graphiques/bilan-objectifs.svg");
    assert!(md.contains(&format!("]({file})")));
    let svg = std::fs::read_to_string(dir.join(&file)).unwrap();
    assert_eq!(svg, r.chart_svg(Lang::Fr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn follow_up_reads_the_files_named() {
    let p = format!("{DIR}programme.json");
    let d = format!("{DIR}decp.json");
    let l = format!("{DIR}planned_levers.json");
    let t = format!("{DIR}targets.json");
    let out = ok(&spaser(&[
        "follow-up",
        "--programme",
        &p,
        "--decp",
        &d,
        "--levers",
        &l,
        "--targets",
        &t,
        "--buyer",
        "21490999600016",
        "--year",
        "2026",
        "--format",
        "json",
    ]));
    assert_eq!(out, format!("{}\n", library_review().to_json().unwrap()));
}

#[test]
fn follow_up_forecast_prints_the_landing_at_a_date() {
    let out = ok(&spaser(&[
        "follow-up",
        "--forecast",
        "2026-06-30",
        "--lang",
        "en",
    ]));
    assert!(
        out.starts_with("Landing forecast of 2026 at 30\u{a0}June 2026"),
        "{out}"
    );
    assert!(out.contains("would close the gap"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&ok(&spaser(&[
        "follow-up",
        "--forecast",
        "2026-06-30",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(v["awarded_contracts"], 17);
}

#[test]
fn follow_up_usage_errors_exit_2() {
    // the embedded data set is used whole: files without --programme are refused
    let o = spaser(&["follow-up", "--decp", "x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("need --programme"));
    let o = spaser(&["follow-up", "--buyer", "12345"]);
    assert_eq!(o.status.code(), Some(2));
    let o = spaser(&["follow-up", "--forecast", "2027-01-31"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a reference date outside the year"
    );
}

#[test]
fn maturity_buyer_reads_only_that_siret_and_says_what_the_file_misses() {
    let d = format!("{DIR}decp.json");
    let out = ok(&spaser(&[
        "maturity",
        "--decp",
        &d,
        "--buyer",
        "21350238800019",
        "--lang",
        "en",
    ]));
    assert!(
        out.contains("42 contract(s) of other buyers left out while reading"),
        "{out}"
    );
    assert!(
        out.contains(
            "buyer 21350238800019 only: 8 marchés read, 0 of its SIREN's other establishments ignored"
        ),
        "{out}"
    );
    assert!(
        out.contains("the data given cover buyer 21350238800019 in 2026, not in 2025"),
        "{out}"
    );
    // the same in French, the default
    let fr = ok(&spaser(&[
        "maturity",
        "--decp",
        &d,
        "--buyer",
        "21350238800019",
    ]));
    assert!(
        fr.contains("42 contrat(s) d'autres acheteurs écartés à la lecture"),
        "{fr}"
    );
    assert!(
        fr.contains(
            "aucun chiffre pour l'indicateur «\u{a0}social\u{a0}» en 2025\u{a0}: les données fournies couvrent l'acheteur en 2026, pas en 2025"
        ),
        "{fr}"
    );
    let o = spaser(&["maturity", "--buyer", "21350238800019"]);
    assert_eq!(o.status.code(), Some(2), "--buyer needs --decp");
}

#[test]
fn maturity_programme_reads_the_planned_levers_and_computes_the_coverage() {
    let out = ok(&spaser(&["maturity", "--programme", "--lang", "en"]));
    assert!(
        out.contains("indicator social by count in 2026 (plan)"),
        "{out}"
    );
    assert!(
        out.contains("\"programme_coverage\" is not provided: not computed"),
        "{out}"
    );
}
