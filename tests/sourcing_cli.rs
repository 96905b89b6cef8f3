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

#[test]
fn rejected_rows_are_named_and_strict_refuses_them() {
    let csv = tmp(
        "suppliers.csv",
        "nom;cpv;departement;statuts\nAlpha;909;49;EI\n;909;49;ESAT\nBeta;909;49;ESAT\n".as_bytes(),
    );
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
        stderr(&o).contains("1 rows rejected (--strict): line 3"),
        "{}",
        stderr(&o)
    );
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
