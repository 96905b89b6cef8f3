//! `spaser follow-up --decp` and `spaser maturity --decp` read every DECP format `decp::open`
//! detects (issue 17 item 3, wired for issue 18): the follow-up data set as regulatory JSON, as
//! XML, and in the consolidated CSV and Parquet shape (`tests/data/decp/consolidated/PROVENANCE.md`).
#![cfg(feature = "cli")]

use std::process::{Command, Output, Stdio};

const FOLLOWUP: &str = "tests/data/followup";
const JSON: &str = "tests/data/followup/decp.json";
const XML: &str = "tests/data/decp/xml-from-json/followup.xml";
const CSV: &str = "tests/data/decp/consolidated/followup.csv";
const PARQUET: &str = "tests/data/decp/consolidated/followup.parquet";
const BUYER: &str = "21490999600016";

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

/// `spaser follow-up` of the follow-up data set with `decp`, as JSON (the process's output).
fn follow_up_output(decp: &str) -> Output {
    let programme = format!("{FOLLOWUP}/programme.json");
    let levers = format!("{FOLLOWUP}/planned_levers.json");
    let targets = format!("{FOLLOWUP}/targets.json");
    spaser(&[
        "follow-up",
        "--programme",
        &programme,
        "--levers",
        &levers,
        "--targets",
        &targets,
        "--year",
        "2026",
        "--decp",
        decp,
        "--format",
        "json",
    ])
}

fn follow_up(decp: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&follow_up_output(decp))).expect("the review is JSON")
}

fn maturity(decp: &str) -> String {
    ok(&spaser(&[
        "maturity", "--decp", decp, "--buyer", BUYER, "--format", "json",
    ]))
}

fn contracts_read(review: &serde_json::Value) -> u64 {
    review["data"]["contracts"]
        .as_u64()
        .expect("data.contracts in the review")
}

#[test]
#[cfg(feature = "xml")]
fn follow_up_reads_the_xml_as_the_json() {
    let json = follow_up(JSON);
    // 50 contracts in the file, 38 of the buyer's SIREN: the 12 of other buyers are left out
    // while reading (the programme gives the buyer's SIRET)
    assert_eq!(contracts_read(&json), 38);
    assert_eq!(json["data"]["other_buyers"], 0);
    assert_eq!(follow_up(XML), json);
}

#[test]
fn follow_up_reads_only_the_buyer_s_contracts_and_says_what_it_left_out() {
    for (decp, left_out) in [
        (
            JSON,
            "12 contract(s) of other buyers left out while reading",
        ),
        (
            CSV,
            "row(s) of the consolidated file(s) of other buyers left out while reading",
        ),
    ] {
        let o = follow_up_output(decp);
        ok(&o);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(left_out), "{decp}: {err}");
    }
}

#[test]
fn follow_up_reads_the_consolidated_csv_one_contract_per_uid() {
    // The consolidated shape has one contract per uid: the ids shared by lots in the JSON
    // (2026-0002, 2026-0025) are one contract each there, 47 in all, 35 of the buyer (38 in
    // the JSON); the others are left out while reading.
    let csv = follow_up(CSV);
    assert_eq!(contracts_read(&csv), 35);
    assert_eq!(csv["data"]["of_buyer"], 35);
}

#[test]
#[cfg(feature = "parquet")]
fn follow_up_reads_the_parquet_as_the_csv() {
    assert_eq!(follow_up(PARQUET), follow_up(CSV));
}

#[test]
#[cfg(feature = "xml")]
fn maturity_decp_reads_the_xml_as_the_json() {
    assert_eq!(maturity(XML), maturity(JSON));
}

#[test]
#[cfg(feature = "parquet")]
fn maturity_decp_reads_the_parquet_as_the_csv() {
    assert_eq!(maturity(PARQUET), maturity(CSV));
}

#[test]
fn maturity_decp_text_counts_the_consolidated_contracts() {
    // 47 contracts in the file: the 12 rows of other buyers (another SIREN) are left out while
    // reading, the 35 of the buyer's SIREN read; one of them is of another establishment.
    let out = ok(&spaser(&[
        "maturity", "--decp", CSV, "--buyer", BUYER, "--lang", "en",
    ]));
    assert!(out.contains("35 records read"), "{out}");
    assert!(
        out.contains(
            "12 row(s) of the consolidated file(s) of other buyers left out while reading"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "buyer {BUYER} only: 34 marchés read, 1 of its SIREN's other establishments ignored"
        )),
        "{out}"
    );
}

#[test]
fn follow_up_refuses_a_file_that_is_not_decp() {
    let o = spaser(&[
        "follow-up",
        "--programme",
        "tests/data/followup/programme.json",
        "--decp",
        "tests/data/followup/targets.json",
    ]);
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("targets.json"), "{err}");
}

fn agec(decp: &str) -> String {
    ok(&spaser(&[
        "agec",
        "--decp",
        decp,
        "--year",
        "2026",
        "--buyer",
        "Valmont",
        "--siret",
        BUYER,
        "--programme",
        "tests/data/followup/programme.json",
        "--format",
        "json",
    ]))
}

fn plan(decp: &str) -> String {
    ok(&spaser(&["plan", "--decp", decp, "--format", "json"]))
}

#[test]
#[cfg(feature = "xml")]
fn agec_and_plan_decp_read_the_xml_as_the_json() {
    assert_eq!(agec(XML), agec(JSON));
    assert_eq!(plan(XML), plan(JSON));
}

#[test]
#[cfg(feature = "parquet")]
fn agec_and_plan_decp_read_the_parquet_as_the_csv() {
    assert_eq!(agec(PARQUET), agec(CSV));
    assert_eq!(plan(PARQUET), plan(CSV));
}

#[test]
fn plan_past_indicators_are_the_buyer_s_own() {
    // The follow-up data set's DECP file holds 12 contracts of other buyers: the document of
    // the sample programme (Valmont-sur-Loire, SIRET 21490999600016) measures its past years
    // on its own 38 (2026: 30.6 % social by count; 31.3 % with the other buyers' contracts).
    let o = spaser(&["plan", "--decp", JSON, "--format", "markdown"]);
    let md = ok(&o);
    assert!(
        md.contains(
            "2026\u{a0}: social 30,6\u{202f}% en nombre et 48,9\u{202f}% en valeur, environnemental 58,3\u{202f}% en nombre"
        ),
        "{}",
        md.lines().find(|l| l.contains("années passées")).unwrap_or("")
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("12 contract(s) of other buyers left out while reading"),
        "{err}"
    );
}
