//! `spaser sourcing` as a user runs it (issue 20, point 5): the sheets in French by default,
//! JSON equal to the library's plan, the directory's rejected rows, usage errors.
#![cfg(feature = "cli")]

use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use spaser::sourcing::{Directory, SourcingOptions, SourcingPlan};
use spaser::{Catalogue, InnovationRules, LeadTimes, Programme, Rulebook};

fn spaser(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spaser"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("spaser runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sourcing-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn sheets_are_french_by_default_and_english_on_request() {
    let o = spaser(&[
        "sourcing",
        "--reference",
        "2026-03-15",
        "--service",
        "Propreté",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("# Fiche de sourçage — Propreté"), "{out}");
    assert!(out.contains("jamais à restreindre la concurrence"));
    let o = spaser(&[
        "sourcing",
        "--reference",
        "2026-03-15",
        "--service",
        "Propreté",
        "--lang",
        "en",
    ]);
    assert!(stdout(&o).starts_with("# Sourcing sheet — Propreté"));
}

#[test]
fn json_is_the_library_plan() {
    let o = spaser(&["sourcing", "--reference", "2026-03-15", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let plan = SourcingPlan::build(
        Programme::sample(),
        Directory::sample(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &SourcingOptions::default().departement("49".parse().unwrap()),
        &LeadTimes::default(),
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
    )
    .unwrap();
    let lib: serde_json::Value = serde_json::from_str(&plan.to_json().unwrap()).unwrap();
    assert_eq!(v["plan"], lib);
    assert_eq!(v["directory"]["accepted"], 83);
}

/// A supplier directory whose line 3 has no name (rejected).
const ONE_NAMELESS_SUPPLIER: &[u8] =
    b"nom;cpv;departement;statuts\nAlpha;909;49;EI\n;909;49;ESAT\nBeta;909;49;ESAT\n";

#[test]
fn rejected_rows_are_named_and_strict_refuses_them() {
    let csv = tmp("suppliers.csv", ONE_NAMELESS_SUPPLIER);
    let path = csv.to_str().unwrap();
    let o = spaser(&[
        "sourcing",
        "--suppliers",
        path,
        "--reference",
        "2026-03-15",
        "--service",
        "Propreté",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("3 rows, 2 suppliers, 1 rejected"), "{err}");
    assert!(err.contains("line 3: the supplier has no name"), "{err}");
    let o = spaser(&[
        "sourcing",
        "--suppliers",
        path,
        "--strict",
        "--reference",
        "2026-03-15",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("1 row rejected (--strict): line 3"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn plan_refuses_a_supplier_directory_with_rejected_rows_when_strict() {
    let csv = tmp("plan-suppliers.csv", ONE_NAMELESS_SUPPLIER);
    let path = csv.to_str().unwrap();
    let o = spaser(&["plan", "--suppliers", path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 3: the supplier has no name"),
        "{}",
        stderr(&o)
    );
    let o = spaser(&["plan", "--suppliers", path, "--suppliers-strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("1 row rejected (--suppliers-strict): line 3"),
        "{}",
        stderr(&o)
    );
    // without --suppliers it is a usage error
    let o = spaser(&["plan", "--suppliers-strict"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn sheets_are_written_one_file_per_service() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sourcing-sheets");
    let _ = std::fs::remove_dir_all(&dir);
    let o = spaser(&[
        "sourcing",
        "--reference",
        "2026-03-15",
        "--sheets",
        dir.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sheet = std::fs::read_to_string(dir.join("fiche-sourcage-moyens-generaux.md")).unwrap();
    assert!(sheet.starts_with("# Fiche de sourçage — Moyens généraux"));
}

#[test]
fn usage_errors_exit_2() {
    let o = spaser(&["sourcing", "--departement", "20"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("département \"20\""), "{}", stderr(&o));
    let o = spaser(&["sourcing", "--service", "Nope", "--reference", "2026-03-15"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--service \"Nope\""));
    let o = spaser(&["sourcing", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    let o = spaser(&["sourcing", "--format", "html", "--reference", "2026-03-15"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("<!DOCTYPE html>"));
    assert!(stdout(&o).contains("<section class=\"sheet"));
}

// ---------------------------------------------------------------------------------------
// `spaser plan --suppliers`: the market's capacity in the planner (issue 20, point 4).

/// One line of green-space services (CPV 7731…), €150k, performed in the 49.
fn one_line_programme(name: &str) -> std::path::PathBuf {
    let mut l = spaser::PlanLine::new(
        "L1",
        "Entretien des espaces verts",
        spaser::Nature::Services,
        spaser::Amount::from_euros(150_000),
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    );
    l.cpv = Some(spaser::CpvCode::parse("77310000").unwrap());
    l.departements = vec!["49".parse().unwrap()];
    let p = Programme::new(
        spaser::Buyer::new("Ville", spaser::BuyerKind::OtherContractingAuthority),
        vec![l],
    )
    .unwrap();
    tmp(
        &format!("{name}.programme.json"),
        p.to_json().unwrap().as_bytes(),
    )
}

/// A target only a contract reserved under L2113-12 meets.
fn reserved_target(name: &str) -> std::path::PathBuf {
    tmp(
        &format!("{name}.targets.json"),
        br#"{"targets": [{"id": "reserved", "dimension": "social",
             "levers": ["reserved-l2113-12"], "basis": "count",
             "trajectory": {"2026": "1"}}]}"#,
    )
}

/// `spaser plan` on the one-line programme, with `extra` arguments: the whole plan as JSON
/// (every file of the run named after `name`: the tests run in parallel).
fn plan_json(name: &str, extra: &[&str]) -> serde_json::Value {
    let programme = one_line_programme(name);
    let targets = reserved_target(name);
    let out = tmp(name, b"");
    let mut args = vec![
        "plan",
        "--programme",
        programme.to_str().unwrap(),
        "--targets",
        targets.to_str().unwrap(),
        "--plan-json",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = spaser(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
}

fn planned(plan: &serde_json::Value, lever: &str) -> bool {
    plan["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["levers"].as_array().unwrap().iter().any(|l| l == lever))
}

#[test]
fn plan_with_suppliers_drops_a_reserved_contract_where_no_structure_is_within_reach() {
    // CCP L2113-12: a contract reserved to EA/ESAT is realistic only where such structures
    // exist; the only ESAT of this directory is in Paris, out of the Pays de la Loire.
    let dir = tmp(
        "paris-esat.csv",
        "nom;cpv;departement;statuts\nJardins de Paris;7731;75;ESAT\n".as_bytes(),
    );
    let dir = dir.to_str().unwrap();
    // without --suppliers: no capacity check, the reservation is planned
    let without = plan_json("plan-without.json", &[]);
    assert!(planned(&without, "reserved-l2113-12"), "{without}");
    assert!(without["unavailable"].as_array().is_none_or(Vec::is_empty));
    // with it: dropped, and listed with the capacity figures
    let with = plan_json("plan-with.json", &["--suppliers", dir]);
    assert!(!planned(&with, "reserved-l2113-12"), "{with}");
    let u = with["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["lever"] == "reserved-l2113-12")
        .expect("listed as unavailable");
    assert_eq!(u["line"], "L1");
    let reason = u["reason"].as_str().unwrap();
    assert!(
        reason.contains("0 eligible structures under L2113-12"),
        "{reason}"
    );
    // a national reach finds the Paris ESAT (the planner's default minimum is one structure)
    let national = plan_json(
        "plan-national.json",
        &["--suppliers", dir, "--reach", "national"],
    );
    assert!(planned(&national, "reserved-l2113-12"), "{national}");
    // … unless the buyer's thresholds ask for two
    let thresholds = tmp("two-min.json", br#"{"planner_reserved_min": 2}"#);
    let two = plan_json(
        "plan-two.json",
        &[
            "--suppliers",
            dir,
            "--reach",
            "national",
            "--thresholds",
            thresholds.to_str().unwrap(),
        ],
    );
    assert!(!planned(&two, "reserved-l2113-12"), "{two}");
    // the buyer can turn the check off
    let off = plan_json(
        "plan-off.json",
        &["--suppliers", dir, "--no-capacity-check", "reserved"],
    );
    assert!(planned(&off, "reserved-l2113-12"), "{off}");
}

#[test]
fn plan_with_suppliers_keeps_a_reserved_contract_where_three_structures_exist_and_cites_them() {
    // CCP L2113-12: three ESAT doing green spaces in the 49.
    let dir = tmp(
        "three-esat.csv",
        "nom;cpv;departement;statuts;chiffre_d_affaires\nA;7731;49;ESAT;1000000\nB;7731;49;ESAT;1000000\nC;7731;49;ESAT;1000000\n"
            .as_bytes(),
    );
    let plan = plan_json("plan-three.json", &["--suppliers", dir.to_str().unwrap()]);
    let a = plan["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["line"] == "L1")
        .unwrap();
    let levers = a["levers"].as_array().unwrap();
    let i = levers
        .iter()
        .position(|l| l == "reserved-l2113-12")
        .expect("kept");
    let reason = a["reasons"][i].as_str().unwrap();
    assert!(
        reason.contains("capacity: 3 eligible structures under L2113-12"),
        "{reason}"
    );
    // the document says it too, in the lever's "why"
    let programme = one_line_programme("plan-three-doc");
    let targets = reserved_target("plan-three-doc");
    let o = spaser(&[
        "plan",
        "--programme",
        programme.to_str().unwrap(),
        "--targets",
        targets.to_str().unwrap(),
        "--suppliers",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "capacité du marché\u{a0}: 3 structures éligibles au titre de L2113-12 dans la région Pays de la Loire"
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn plan_perimeter_options_need_suppliers_and_the_sample_directory_is_the_bare_flag() {
    let o = spaser(&["plan", "--departement", "49"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("need --suppliers"), "{}", stderr(&o));
    let o = spaser(&["plan", "--no-capacity-check", "labels"]);
    assert_eq!(o.status.code(), Some(2));
    // `--suppliers` alone: the embedded sample directory, for the sample town (49); the
    // gymnasium's renovation has no EA/ESAT within reach
    let out = tmp("plan-sample-dir.json", b"");
    let o = spaser(&[
        "plan",
        "--suppliers",
        "--plan-json",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        v["unavailable"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["line"] == "T28-01" && u["lever"] == "reserved-l2113-12"),
        "{}",
        v["unavailable"]
    );
}
