//! The `spaser` command as a user runs it: the built binary, its exit codes, its streams and
//! its output compared with the library's results (issue 12; issue 11 item 12 and `--warnings`).
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use spaser::maturity::{Assessment, Evidence, Grid, ScoreOptions, actions, progress, score_with};
use spaser::{
    BuyerKind, Calendar, Catalogue, LeadTimes, PlanOptions, Planner, Programme, Rulebook, Targets,
};

/// Every subcommand (a new one is added here, and so checked for help and unknown options).
const SUBCOMMANDS: [&str; 11] = [
    "programme",
    "plan",
    "decp",
    "maturity",
    "follow-up",
    "rules",
    "lcc",
    "agec",
    "egalim",
    "sourcing",
    "completions",
];

fn spaser(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spaser"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 errors")
}

/// A fresh directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn json(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---- behaviour of a Unix tool (issue 12, point 2) ----

#[test]
fn help_and_version_exit_0_on_stdout() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["--version"],
        &["-V"],
        &["help", "plan"],
    ] {
        let o = spaser(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(!o.stdout.is_empty() && o.stderr.is_empty(), "{args:?}");
    }
    assert!(stdout(&spaser(&["--version"])).starts_with("spaser "));
    let help = stdout(&spaser(&["--help"]));
    for sub in SUBCOMMANDS {
        assert!(help.contains(sub), "--help lists {sub}");
    }
}

#[test]
fn every_subcommand_has_help_on_stdout_with_exit_0() {
    for sub in SUBCOMMANDS {
        for flag in ["--help", "-h"] {
            let o = spaser(&[sub, flag]);
            assert_eq!(o.status.code(), Some(0), "{sub} {flag}");
            assert!(
                stdout(&o).contains(&format!("spaser {sub}")),
                "{sub} {flag}"
            );
            assert!(o.stderr.is_empty());
        }
    }
}

#[test]
fn unknown_option_exits_2_naming_it_with_the_usage() {
    // Issue 11 item 12: `decp_indicators --jsno` used to print the sample's figures.
    for sub in SUBCOMMANDS {
        let o = spaser(&[sub, "--jsno"]);
        assert_eq!(o.status.code(), Some(2), "{sub}");
        let err = stderr(&o);
        assert!(err.contains("'--jsno'"), "{sub}: {err}");
        assert!(
            err.contains(&format!("Usage: spaser {sub}")),
            "{sub}: {err}"
        );
        assert!(o.stdout.is_empty(), "{sub}: nothing printed on stdout");
    }
    let o = spaser(&["--jsno"]);
    assert_eq!(o.status.code(), Some(2));
    let o = spaser(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'frobnicate'"));
}

#[test]
fn bad_values_exit_2_naming_the_value() {
    for (args, named) in [
        (&["plan", "--format", "xml"][..], "'xml'"),
        (&["plan", "--buyer-kind", "mayor"], "'mayor'"),
        (&["plan", "--capacity-hours", "lots"], "'lots'"),
        (&["programme", "--reference", "15/09/26"], "two-digit year"),
        (&["rules", "--date", "2026-13-45"], "'2026-13-45'"),
        (&["maturity", "--coverage", "1.5"], "'1.5'"),
        (&["completions", "cmd.exe"], "'cmd.exe'"),
        (&["plan", "--lang", "de"], "'de'"),
    ] {
        let o = spaser(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(err.contains("Usage:"), "{args:?}: {err}");
    }
}

#[test]
fn a_format_a_subcommand_does_not_offer_is_a_usage_error() {
    let o = spaser(&["rules", "--format", "html"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--format html is not available for `rules`"),
        "{err}"
    );
    assert!(err.contains("Usage: spaser rules"), "{err}");
    assert_eq!(
        spaser(&["decp", "--format", "markdown"]).status.code(),
        Some(2)
    );
}

#[test]
fn missing_file_exits_1_naming_it_and_the_os_reason() {
    let dir = scratch("missing");
    let missing = dir.join("nowhere.csv");
    let m = missing.to_str().unwrap();
    for args in [
        &["programme", m][..],
        &["plan", "--programme", m],
        &["plan", "--targets", m],
        &["decp", m],
        &["maturity", m],
        &["maturity", "--decp", m],
        &["maturity", "--grid", m],
        &["maturity", "--previous", m],
    ] {
        let o = spaser(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(m), "{args:?}: {err}");
        assert!(err.contains("No such file or directory"), "{args:?}: {err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_directory_instead_of_a_file_exits_1_saying_so() {
    let dir = scratch("directory");
    let d = dir.to_str().unwrap();
    for args in [
        &["programme", d][..],
        &["plan", "--catalogue", d],
        &["decp", d],
        &["maturity", d],
    ] {
        let o = spaser(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(d) && err.contains("is a directory"), "{err}");
    }
}

#[test]
fn an_empty_file_exits_1_saying_so() {
    let dir = scratch("empty");
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let e = empty.to_str().unwrap();
    for args in [
        &["programme", e][..],
        &["plan", "--programme", e],
        &["plan", "--targets", e],
        &["decp", e],
        &["maturity", e],
    ] {
        let o = spaser(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(&format!("{e}: the file is empty")), "{err}");
    }
}

#[test]
fn a_data_error_exits_1_with_the_library_message() {
    let dir = scratch("data-error");
    let csv = dir.join("programme.csv");
    std::fs::write(
        &csv,
        "id;label;nature;amount_ht;launch_date\nA1;Papier;supplies;12,5,0;04/05/2026\n",
    )
    .unwrap();
    let o = spaser(&["programme", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // The file, the line, the column and the value.
    assert!(err.starts_with("spaser: "), "{err}");
    assert!(
        err.contains("programme.csv") && err.contains("line 2"),
        "{err}"
    );
    assert!(err.contains("amount_ht") && err.contains("12,5,0"), "{err}");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    // More output than a pipe holds, and the reader gone before the first byte.
    let mut child = Command::new(env!("CARGO_BIN_EXE_spaser"))
        .args(["programme", "--obligations", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn output_file_is_written_atomically() {
    let dir = scratch("output");
    let out = dir.join("report.md");
    let o = spaser(&["plan", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let report = std::fs::read_to_string(&out).unwrap();
    assert_eq!(report, stdout(&spaser(&["plan"])));

    // A failed run leaves the previous file as it was, and no temporary file.
    let o = spaser(&[
        "plan",
        "--targets",
        dir.join("missing.json").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), report);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    // the document's charts are written next to its Markdown
    assert_eq!(names, ["graphiques", "report.md"]);

    // A directory as output is an error naming it.
    let o = spaser(&["rules", "-o", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a directory"));
}

#[test]
fn every_subcommand_speaks_french_by_default_and_english_on_request() {
    // Every subcommand with text output defaults to French (the document's language), with no
    // note on standard error; `--lang en` prints English. (`completions` writes a script.)
    for cmd in SUBCOMMANDS.iter().filter(|c| **c != "completions") {
        let o = spaser(&[cmd]);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", stderr(&o));
        assert!(!stderr(&o).contains("no French text"), "{cmd}");
        let fr = stdout(&o);
        assert!(fr.contains('é') || fr.contains('à'), "{cmd}: {fr}");
        let o = spaser(&[cmd, "--lang", "en"]);
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        assert!(
            o.stderr.is_empty() || !stderr(&o).contains("no French text"),
            "{cmd}"
        );
        assert_ne!(stdout(&o), fr, "{cmd}");
    }
    // the programme: its table, procedures and warnings in French
    let fr = stdout(&spaser(&["programme", "--reference", "2026-12-04"]));
    assert!(
        fr.starts_with(
            "Programme de Ville de Valmont-sur-Loire (autre pouvoir adjudicateur), 60 lignes"
        ),
        "{fr}"
    );
    assert!(fr.contains("date de référence 04/12/2026"));
    assert!(fr.contains("procédure formalisée"));
    assert!(fr.contains("Avertissements (26)\u{a0}:"));
    assert!(fr.contains("- risque de saucissonnage\u{a0}: la ligne «\u{a0}F26-01\u{a0}» seule est sous le seuil de dispense de procédure de 60\u{202f}000,00\u{a0}€ (R2122-8)"), "{fr}");
    assert!(
        !fr.contains("splitting risk") && !fr.contains("Warnings"),
        "{fr}"
    );
}

#[test]
fn quiet_silences_notes_but_not_errors() {
    let dir = scratch("quiet-notes");
    let csv = dir.join("approch.csv");
    let args = ["programme", "--publish", csv.to_str().unwrap()];
    let o = spaser(&args);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("wrote"), "{}", stderr(&o));
    let o = spaser(&[&args[..], &["--quiet"]].concat());
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stderr.is_empty());
    let o = spaser(&["programme", "/nonexistent/file.csv", "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!o.stderr.is_empty());
}

// ---- plan: the main job ----

fn sample_plan() -> spaser::Plan {
    let programme = Programme::sample();
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rulebook);
    Planner::new(Catalogue::embedded(), rulebook)
        .plan(
            programme,
            &targets,
            &PlanOptions::default().capacity_every_year(Decimal::from(3000)),
        )
        .unwrap()
}

#[test]
fn plan_without_argument_prints_the_french_document_of_the_sample() {
    let o = spaser(&["plan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let text = stdout(&o);
    let doc = sample_plan()
        .document(Programme::sample(), spaser::Lang::Fr)
        .unwrap();
    assert_eq!(text, doc.to_markdown() + "\n");
    assert!(text.contains("## 1. Contexte et obligations"));
    assert_eq!(stdout(&spaser(&["plan", "--format", "markdown"])), text);
    let en = sample_plan()
        .document(Programme::sample(), spaser::Lang::En)
        .unwrap();
    assert_eq!(
        stdout(&spaser(&["plan", "--lang", "en"])),
        en.to_markdown() + "\n"
    );
}

#[test]
fn plan_json_is_the_library_document_and_plan_json_the_whole_plan() {
    let dir = scratch("plan-json");
    let whole = dir.join("plan.json");
    let o = spaser(&[
        "plan",
        "--format",
        "json",
        "--plan-json",
        whole.to_str().unwrap(),
    ]);
    let doc = sample_plan()
        .document(Programme::sample(), spaser::Lang::Fr)
        .unwrap();
    let expected = doc.to_json().unwrap();
    assert_eq!(stdout(&o), format!("{expected}\n"));
    let plan = sample_plan().to_json().unwrap();
    assert_eq!(
        std::fs::read_to_string(&whole).unwrap(),
        format!("{plan}\n")
    );
}

#[test]
fn plan_html_and_the_sheets_of_the_prescribing_services() {
    let dir = scratch("plan-html");
    let sheets = dir.join("fiches");
    let o = spaser(&[
        "plan",
        "--format",
        "html",
        "--sheets",
        sheets.to_str().unwrap(),
        "--date",
        "2026-01-15",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = stdout(&o);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(
        html.contains("15\u{a0}janvier\u{a0}2026"),
        "the document's date"
    );
    let doc = sample_plan()
        .document(Programme::sample(), spaser::Lang::Fr)
        .unwrap();
    for s in doc.sheets() {
        let file = sheets.join(format!("{}.html", s.file_stem()));
        assert!(
            std::fs::read_to_string(&file).unwrap().contains("<h1"),
            "{}",
            file.display()
        );
    }
    // Markdown sheets without --format html
    let md = dir.join("md");
    let o = spaser(&["plan", "--sheets", md.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(md.join("fiche-batiments.md").exists());
}

#[test]
fn plan_writes_the_lp_problem() {
    let dir = scratch("lp");
    let lp = dir.join("plan.lp");
    let o = spaser(&["plan", "--quiet", "--lp", lp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&lp).unwrap();
    assert!(
        text.contains("Minimize") || text.contains("minimize"),
        "{text:.200}"
    );
}

#[test]
fn plan_writes_the_effort_stage_and_checks_another_solvers_solution() {
    // issue 15: the LP's two stages, and a solution file read back with every constraint checked
    let dir = scratch("lp-effort");
    let lp = dir.join("effort.lp");
    let o = spaser(&["plan", "--quiet", "--lp-effort", lp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&lp).unwrap();
    assert!(text.contains(" shortfall:"), "{text:.300}");
    let sol = dir.join("bad.sol");
    std::fs::write(&sol, "Model status\nOptimal\n").unwrap();
    let o = spaser(&["plan", "--quiet", "--check-solution", sol.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no \"# Columns\" section"), "{err}");
}

// ---- programme ----

#[test]
fn programme_json_carries_every_field_of_the_library_results() {
    // Issue 12 point 5: the service, the planned launch date, `sourcing_late` and
    // `planned_too_late` were missing.
    let v = json(&spaser(&[
        "programme",
        "--reference",
        "2026-01-01",
        "--obligations",
        "--format",
        "json",
    ]));
    let programme = Programme::sample();
    let rules = Rulebook::embedded();
    let est = programme.estimate(rules).unwrap();
    let cal = Calendar::new(programme, &est, &LeadTimes::default(), day(2026, 1, 1)).unwrap();
    assert_eq!(v["programme"], serde_json::to_value(programme).unwrap());
    assert_eq!(v["estimation"], serde_json::to_value(&est).unwrap());
    assert_eq!(v["calendar"], serde_json::to_value(&cal).unwrap());
    let engine = spaser::ObligationEngine::new(rules);
    let findings: Vec<_> = programme
        .lines
        .iter()
        .map(|l| {
            let ctx = spaser::PurchaseContext::from_line(l, programme.buyer.kind, est.line(&l.id));
            engine.check(&ctx).unwrap()
        })
        .collect();
    assert_eq!(v["findings"], serde_json::to_value(&findings).unwrap());
    let entry = &v["calendar"]["entries"][0];
    for field in ["launch_date", "sourcing_late", "planned_too_late"] {
        assert!(entry.get(field).is_some(), "{field}");
    }
    assert!(v["programme"]["lines"][0].get("service").is_some());
}

#[test]
fn programme_reads_a_csv_with_the_buyer_kind() {
    let dir = scratch("programme-csv");
    let csv = dir.join("ville.csv");
    // 150,000 € of services: adapted for a local authority (EU 216,000), formal for the State
    // (EU 140,000) — L2124-1.
    std::fs::write(
        &csv,
        "id;label;nature;amount_ht;launch_date\nS1;Nettoyage;services;150 000;04/05/2026\n",
    )
    .unwrap();
    let run = |kind: &str| {
        let v = json(&spaser(&[
            "programme",
            csv.to_str().unwrap(),
            "--buyer-kind",
            kind,
            "--reference",
            "2026-01-01",
            "--format",
            "json",
        ]));
        v["estimation"]["lines"][0]["procedure"].clone()
    };
    assert_eq!(run("other"), "adapted");
    assert_eq!(run("central"), "formal");
    // Without --reference, today from the clock: still a valid run.
    assert_eq!(spaser(&["programme", "--quiet"]).status.code(), Some(0));
}

// ---- decp ----

const DECP_ONE_REJECTED: &str = r#"{"marches":{"marche":[
 {"id":"A1","acheteur":{"id":"21350238800019"},"montant":60000,"dateNotification":"2024-03-01"},
 {"id":"B2","acheteur":{"id":"21350238800019"},"dateNotification":"2024-04-01"}]}}"#;

#[test]
fn decp_warnings_list_every_rejection_with_index_id_and_reason() {
    // Issue 11, "Also": `--warnings` prints every rejection with its record index, id and reason.
    let dir = scratch("decp-warnings");
    let f = dir.join("decp.json");
    std::fs::write(&f, DECP_ONE_REJECTED).unwrap();
    let o = spaser(&["decp", f.to_str().unwrap(), "--warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Enregistrements\u{a0}: 2 lus, 1 accepté, 1 rejeté"),
        "{}",
        stdout(&o)
    );
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("rejeté\u{a0}: enregistrement 1 (id \"B2\")\u{a0}: ")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l
                .starts_with("avertissement\u{a0}: enregistrement 0 (id \"A1\"), champ «\u{a0}")),
        "{err}"
    );
    // In English, the same lines framed in English.
    let o = spaser(&["decp", f.to_str().unwrap(), "--warnings", "--lang", "en"]);
    let err = stderr(&o);
    assert!(
        err.lines()
            .any(|l| l.starts_with("rejected: record 1 (id \"B2\"): ")),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.starts_with("warning: record 0 (id \"A1\")")),
        "{err}"
    );
    // Without --warnings, nothing on stderr (`decp` has French text, and English).
    let o = spaser(&["decp", f.to_str().unwrap()]);
    assert_eq!(stderr(&o), "");
    assert!(
        stdout(&o).contains("Hors des indicateurs\u{a0}: 1 (rejet\u{a0}: "),
        "{}",
        stdout(&o)
    );
    let en = stdout(&spaser(&["decp", f.to_str().unwrap(), "--lang", "en"]));
    assert!(
        en.starts_with("Records: 2 read, 1 accepted, 1 rejected"),
        "{en}"
    );
}

#[test]
fn decp_reads_several_files_and_standard_input() {
    let dir = scratch("decp-stdin");
    let f = dir.join("decp.json");
    std::fs::write(&f, DECP_ONE_REJECTED).unwrap();
    let p = f.to_str().unwrap();
    let two = json(&spaser(&["decp", p, p, "--format", "json"]));
    assert_eq!(two["records"]["read"], 4);
    // Several files: each diagnostic names its file (record indexes restart per file).
    let err = stderr(&spaser(&["decp", p, p, "--warnings", "--lang", "en"]));
    assert!(err.lines().all(|l| l.starts_with(p)), "{err}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_spaser"))
        .args(["decp", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        DECP_ONE_REJECTED.as_bytes(),
    )
    .unwrap();
    let o = child.wait_with_output().unwrap();
    let v = json(&o);
    assert_eq!(v["records"]["read"], 2);
    assert_eq!(v["records"]["rejected"], 1);
}

#[test]
fn decp_json_is_the_library_by_year() {
    let dir = scratch("decp-json");
    let f = dir.join("decp.json");
    std::fs::write(&f, DECP_ONE_REJECTED).unwrap();
    let v = json(&spaser(&["decp", f.to_str().unwrap(), "--format", "json"]));
    let report =
        spaser::decp::indicators(DECP_ONE_REJECTED.as_bytes(), spaser::decp::Actuals::new())
            .unwrap();
    assert_eq!(
        v["by_year"],
        serde_json::to_value(spaser::decp::by_year(&report.marches)).unwrap()
    );
    let a = report.accounting;
    assert_eq!(v["records"]["read"], a.read);
    assert_eq!(v["records"]["accepted"], a.accepted);
    assert_eq!(v["records"]["rejected"], a.rejected);
    assert_eq!(v["warnings"], a.warnings);
}

#[test]
fn decp_syntax_error_exits_1_naming_the_file() {
    let dir = scratch("decp-syntax");
    let f = dir.join("broken.json");
    std::fs::write(&f, r#"{"marches":{"marche":[{"id": }]}}"#).unwrap();
    let o = spaser(&["decp", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("broken.json: "), "{}", stderr(&o));
}

// ---- maturity ----

const SAMPLE_ASSESSMENT: &str = include_str!("../src/data/maturity_sample_assessment.json");

#[test]
fn maturity_json_is_the_library_scorecard_and_actions() {
    let v = json(&spaser(&["maturity", "--format", "json"]));
    let grid = Grid::spaser();
    let a = Assessment::from_json(SAMPLE_ASSESSMENT).unwrap();
    let card = score_with(grid, &a, &Evidence::new(), &ScoreOptions::default()).unwrap();
    assert_eq!(v["scorecard"], serde_json::to_value(&card).unwrap());
    assert_eq!(
        v["actions"],
        serde_json::to_value(actions(grid, &card).unwrap()).unwrap()
    );
    assert!(v.get("progress").is_none());
}

#[test]
fn maturity_previous_shows_the_progress_between_two_assessments() {
    let dir = scratch("maturity-previous");
    let before = dir.join("last_year.json");
    std::fs::write(
        &before,
        r#"{"grid": "spaser-maturity", "date": "2025-11-15", "assessor": "DCP", "answers": []}"#,
    )
    .unwrap();
    let b = before.to_str().unwrap();
    let v = json(&spaser(&["maturity", "--previous", b, "--format", "json"]));
    let grid = Grid::spaser();
    let score = |text: &str| {
        let a = Assessment::from_json(text).unwrap();
        score_with(grid, &a, &Evidence::new(), &ScoreOptions::default()).unwrap()
    };
    let p = progress(
        &score(&std::fs::read_to_string(&before).unwrap()),
        &score(SAMPLE_ASSESSMENT),
    )
    .unwrap();
    assert_eq!(v["progress"], serde_json::to_value(&p).unwrap());
    assert!(!p.newly_met.is_empty());

    let text = stdout(&spaser(&["maturity", "--previous", b, "--lang", "en"]));
    assert!(text.contains("progress since the assessment of 2025-11-15 by DCP"));
    assert!(text.contains(&format!("newly met: {}", p.newly_met.join(", "))));
    // The report before the progress section is the one without --previous.
    let alone = stdout(&spaser(&["maturity", "--lang", "en"]));
    assert!(text.starts_with(&alone));
    // French by default
    let fr = stdout(&spaser(&["maturity", "--previous", b]));
    assert!(
        fr.contains("progrès depuis l'évaluation du 15/11/2025 par DCP"),
        "{fr}"
    );
    assert!(fr.contains(&format!(
        "nouvellement atteints\u{a0}: {}",
        p.newly_met.join(", ")
    )));
    assert!(fr.starts_with(&stdout(&spaser(&["maturity"]))));
}

#[test]
fn maturity_programme_takes_a_file_or_the_sample() {
    let sample = spaser(&["maturity", "--programme", "--format", "json"]);
    let v = json(&sample);
    let dir = scratch("maturity-programme");
    let f = dir.join("p.json");
    std::fs::write(&f, Programme::sample().to_json().unwrap()).unwrap();
    let w = json(&spaser(&[
        "maturity",
        "--programme",
        f.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(v, w);
}

// ---- rules ----

#[test]
fn rules_json_is_the_rulebook_in_force_on_the_date() {
    let v = json(&spaser(&[
        "rules",
        "--date",
        "2026-09-01",
        "--buyer-kind",
        "central",
        "--format",
        "json",
    ]));
    let now = Rulebook::embedded().in_force(day(2026, 9, 1), Some(BuyerKind::CentralGovernment));
    assert_eq!(v, serde_json::to_value(&now).unwrap());
    // The no-competition threshold of supplies on that day: 60,000 (R2122-8, décret 2025-1386).
    let nc = &now.rules.no_competition;
    assert!(
        nc.iter()
            .any(|e| e.value.to_string() == "60000.00" && e.article == "R2122-8")
    );
    assert!(nc.iter().all(|e| e.period.contains(day(2026, 9, 1))));
}

#[test]
fn rules_text_names_article_and_confidence() {
    let o = spaser(&["rules", "--date", "2026-09-01", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("Rules in force on 2026-09-01"));
    // L2112-2 binds consultations launched from 2026-08-22 (loi climat et résilience).
    assert!(text.contains("environmental execution condition"));
    assert!(text.contains("L2112-2 from 2026-08-22"));
    let before = stdout(&spaser(&["rules", "--date", "2026-08-01", "--lang", "en"]));
    assert!(!before.contains("L2112-2 from 2026-08-22"));
    assert!(
        text.lines()
            .any(|l| l.contains("R2122-8") && l.contains(" V ") && l.contains("€60,000"))
    );
    // French by default, with French amounts and dates
    let o = spaser(&["rules", "--date", "2026-09-01"]);
    assert!(o.stderr.is_empty());
    let text = stdout(&o);
    assert!(text.starts_with("Règles en vigueur le 1er\u{a0}septembre\u{a0}2026"));
    assert!(text.contains("condition d'exécution environnementale"));
    assert!(text.contains("L2112-2 à partir du 22/08/2026"));
    assert!(
        text.lines().any(|l| l.contains("R2122-8")
            && l.contains(" V ")
            && l.contains("60\u{202f}000\u{a0}€"))
    );
}

// ---- life-cycle cost, yearly declarations, forward plan (issue 19) ----

#[test]
fn lcc_json_is_the_library_result_of_the_sample() {
    let o = spaser(&["lcc", "--format", "json"]);
    let want: Value = serde_json::from_str(
        &spaser::lcc::Study::sample()
            .compute()
            .unwrap()
            .to_json()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json(&o), want);
    let text = stdout(&spaser(&["lcc", "--lang", "fr"]));
    assert!(text.contains("Coût du cycle de vie"), "{text}");
    let md = stdout(&spaser(&["lcc", "--format", "markdown", "--lang", "en"]));
    assert!(md.starts_with("# Life-cycle cost of the offers"), "{md}");
}

#[test]
fn lcc_reads_csv_offers_with_the_method_from_the_options() {
    let dir = scratch("lcc-csv");
    let csv = dir.join("offers.csv");
    std::fs::write(
        &csv,
        "offre;poste;type;annee;montant\nA;achat;acquisition;0;1 000,00\nA;entretien;maintenance;1;110\n\
         B;achat;acquisition;0;900\nB;entretien;maintenance;1;330\n",
    )
    .unwrap();
    let f = csv.to_str().unwrap();
    let o = spaser(&[
        "lcc",
        f,
        "--horizon",
        "1",
        "--rate",
        "10%",
        "--scoring",
        "lowest-ratio",
        "--points",
        "40",
        "--format",
        "json",
    ]);
    let v = json(&o);
    assert_eq!(v["offers"][0]["lcc"], "1100.00");
    assert_eq!(v["offers"][1]["lcc"], "1200.00");
    assert_eq!(v["offers"][0]["score"], "40.00");
    // the method is required for CSV offers: a usage error
    let o = spaser(&["lcc", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--horizon and --rate"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lcc_data_error_names_the_offer_and_field() {
    let dir = scratch("lcc-error");
    let study = dir.join("study.json");
    std::fs::write(
        &study,
        r#"{"parameters": {"horizon_years": 2, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": [{"id": "Acme", "items": [{"id": "x", "kind": "energy", "amount": "1", "to": 9}]}]}"#,
    )
    .unwrap();
    let o = spaser(&["lcc", study.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("study.json") && err.contains("offer \"Acme\", item \"x\", field \"to\""),
        "{err}"
    );
}

#[test]
fn agec_from_a_spend_file_prints_unknown_for_unknown_rates() {
    let dir = scratch("agec");
    let spend = dir.join("spend.csv");
    std::fs::write(
        &spend,
        "type_produit_acquis;montant_total;montant_reemploi_et_reutilisation;montant_produits_issus_don;montant_produits_recycles\n\
         Papier;30000;0;0;12000\nMobilier urbain;10000;400;0;2000\n",
    )
    .unwrap();
    let f = spend.to_str().unwrap();
    let o = spaser(&[
        "agec",
        f,
        "--year",
        "2025",
        "--status",
        "local-authority",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    let paper = csv.lines().find(|l| l.contains(";Papier;")).unwrap();
    assert!(paper.contains(";unknown;?;2024;unknown;"), "{paper}");
    let urban = csv
        .lines()
        .find(|l| l.contains(";Mobilier urbain;"))
        .unwrap();
    assert!(urban.contains(";met;"), "{urban}");
    let v = json(&spaser(&["agec", f, "--year", "2025", "--format", "json"]));
    assert_eq!(v["rows"].as_array().unwrap().len(), 17);
    let o = spaser(&[
        "agec",
        f,
        "--year",
        "2025",
        "--siret",
        "21490999600016",
        "--buyer",
        "Ville",
        "--declaration",
    ]);
    assert!(
        stdout(&o).starts_with("annee,siret,raison_sociale,type_produit_acquis,"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn agec_and_egalim_run_on_their_default_data() {
    let o = spaser(&["agec", "--quiet", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 18);
    let o = spaser(&["egalim", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4);
    let v = json(&spaser(&["egalim", "--format", "json"]));
    let want: Value = serde_json::from_str(
        &spaser::declarations::EgalimDeclaration::sample(Rulebook::embedded())
            .unwrap()
            .to_json()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v, want);
}

#[test]
fn programme_publish_writes_the_forward_plan_with_bands_only() {
    let dir = scratch("publish");
    let csv = dir.join("approch.csv");
    let o = spaser(&[
        "programme",
        "--reference",
        "2026-01-01",
        "--publish",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), Programme::sample().lines.len() + 1);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("montant_estime_du_marche")
    );
    // no cell is an estimate: the first line's 24,000 € appears only as its band
    let cells: Vec<&str> = text.lines().flat_map(|l| l.split(';')).collect();
    assert!(
        !cells.contains(&"24000.00") && !cells.contains(&"24000"),
        "no estimate is published"
    );
    assert!(text.lines().nth(1).unwrap().contains(";< 40k€;"), "{text}");
    let json_file = dir.join("approch.json");
    let o = spaser(&[
        "programme",
        "--reference",
        "2026-01-01",
        "--publish",
        json_file.to_str().unwrap(),
        "--publish-plan",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert!(v["rows"][0]["montant_estime_du_marche"].is_string());
}

// ---- completions ----

#[test]
fn completions_are_printed_for_bash_zsh_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let o = spaser(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        assert!(
            script.contains("spaser") && script.contains("maturity"),
            "{shell}"
        );
    }
}

// ---- the buyer's own files (issue 13) ----

#[test]
fn programme_reads_an_excel_csv_with_a_buyer_profile_column_map_options_and_lenient_mode() {
    let dir = scratch("issue13");
    let csv = dir.join("programme.csv");
    let text = "Programmation 2026;;;;;\r\nObjet du marché;Famille;Nature;Estimation HT;Date de lancement;Remarque;Date du besoin\r\n\
                Papier;PAP;fournitures;35 000 €;04/05/2026;ok;\r\n\
                Enveloppes;PAP;fournitures;35 000 €;15/06/2026;;\r\n\
                Mobilier;MOB;fournitures;250.000;01/02/2026;;01/09/2026\r\n\
                Voirie;;chantier;1000;2026-01-01;;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(&csv, &bytes).unwrap();
    let buyer = dir.join("acheteur.toml");
    std::fs::write(&buyer, "nom = \"Ville de Valmont\"\nstatut = \"commune\"\n").unwrap();
    let columns = dir.join("colonnes.json");
    std::fs::write(&columns, r#"{"Remarque": "ignore"}"#).unwrap();
    let options = dir.join("options.toml");
    std::fs::write(&options, "[lead_times]\nformal = 8\n").unwrap();
    let p = |s: &Path| s.to_str().unwrap().to_string();
    // Strict: every row error at once, exit 1.
    let o = spaser(&["programme", &p(&csv), "--buyer", &p(&buyer)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("line 5, column \"Estimation HT\": amount \"250.000\" is ambiguous"),
        "{err}"
    );
    assert!(
        err.contains("line 6, column \"Nature\": nature \"chantier\" is unknown"),
        "{err}"
    );
    assert!(err.contains("read as Windows-1252"), "{err}");
    assert!(err.contains("\"Remarque\""), "{err}");
    // Lenient, the decimal mark stated, the column map and the options file.
    let args = [
        "programme",
        &p(&csv),
        "--buyer",
        &p(&buyer),
        "--columns",
        &p(&columns),
        "--lenient",
        "--decimal",
        "comma",
        "--options",
        &p(&options),
        "--reference",
        "2026-01-01",
        "--format",
        "json",
    ];
    let o = spaser(&args);
    let v = json(&o);
    let err = stderr(&o);
    assert!(
        err.contains("rejected: ") && err.contains("chantier"),
        "{err}"
    );
    assert!(!err.contains("\"Remarque\""), "{err}");
    assert_eq!(v["programme"]["buyer"]["name"], "Ville de Valmont");
    assert_eq!(v["programme"]["buyer"]["status"], "local_authority");
    let lines = v["programme"]["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["amount"], "250000.00");
    // need date 2026-09-01, formal lead time 8 months from the options file
    assert_eq!(v["calendar"]["entries"][2]["launch_by"], "2026-01-01");
}

#[test]
fn plan_takes_an_options_file_and_targets_from_a_spreadsheet() {
    let dir = scratch("issue13-plan");
    let targets = dir.join("cibles.csv");
    std::fs::write(
        &targets,
        "cible;dimension;base;2026;2027;2028\nsocial;social;nombre;25 %;30 %;0,3\n",
    )
    .unwrap();
    let options = dir.join("options.json");
    std::fs::write(
        &options,
        r#"{"capacity": {"every_year": 3000}, "max_levers_per_line": 3}"#,
    )
    .unwrap();
    let p = |s: &Path| s.to_str().unwrap().to_string();
    let whole = dir.join("plan.json");
    let o = spaser(&[
        "plan",
        "--targets",
        &p(&targets),
        "--options",
        &p(&options),
        "--plan-json",
        &p(&whole),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&whole).unwrap()).unwrap();
    let lib = Planner::new(Catalogue::embedded(), Rulebook::embedded())
        .plan(
            Programme::sample(),
            &Targets::from_path(&targets, &spaser::ReadOptions::default()).unwrap(),
            &PlanOptions::default()
                .capacity_every_year(Decimal::from(3000))
                .max_levers_per_line(3),
        )
        .unwrap();
    let lib: Value = serde_json::from_str(&lib.to_json().unwrap()).unwrap();
    assert_eq!(v, lib);
    std::fs::write(&options, r#"{"capacity": {"2026": "beaucoup"}}"#).unwrap();
    let o = spaser(&["plan", "--options", &p(&options)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("field \"capacity.2026\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn absurd_sizes_in_arguments_and_options_are_errors_not_panics() {
    // a synthetic programme beyond ten million lines
    let o = spaser(&["plan", "--synthetic", "18446744073709551615"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("at most 10000000 lines"),
        "{}",
        stderr(&o)
    );
    // a solver iteration limit beyond a million
    let dir = scratch("absurd-options");
    let opts = dir.join("opts.toml");
    std::fs::write(
        &opts,
        "effort_budget = 1\n[solver]\nexact_line_limit = 0\nmax_iterations = 9223372036854775807\n",
    )
    .unwrap();
    let o = spaser(&["plan", "--options", opts.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("solver.max_iterations") && err.contains("outside 1..=1000000"),
        "{err}"
    );
    // LCC bounds at the ends of the decimal range
    let o = spaser(&[
        "lcc",
        "--scoring",
        "linear-between",
        "--lower=-1",
        "--upper",
        "79228162514264337593543950335",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("overflows"), "{}", stderr(&o));
}

#[test]
fn maturity_lists_the_first_twenty_rejections_of_a_decp_file_and_counts_the_others() {
    let dir = scratch("maturity-rejections");
    let csv = dir.join("decp.csv");
    let mut text = String::from("uid,acheteur_id,dateNotification,montant,donneesActuelles\n");
    text.push_str("2175000160001925A01,21750001600019,2025-03-01,1000,true\n");
    for _ in 0..25 {
        text.push_str(",21750001600019,2025-03-01,1000,true\n");
    }
    std::fs::write(&csv, text).unwrap();
    for (lang, line, more) in [
        (
            "fr",
            "rejeté\u{a0}: enregistrement 1\u{a0}: row without uid",
            "… et 5 autres (toutes avec spaser decp",
        ),
        (
            "en",
            "rejected: record 1: row without uid",
            "… and 5 more (all with spaser decp",
        ),
    ] {
        let o = spaser(&["maturity", "--decp", csv.to_str().unwrap(), "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let listed = out
            .lines()
            .filter(|l| l.trim_start().starts_with(line.split(':').next().unwrap()))
            .count();
        assert_eq!(listed, 20, "{out}");
        assert!(out.contains(line), "{out}");
        assert!(out.contains(more), "{out}");
    }
}
