//! The SPASER document through the API: the plan of a programme written as the scheme a French
//! buyer publishes — six parts, in French — with one sheet per prescribing service.
//!
//! ```sh
//! cargo run --example spaser_document                 # the embedded sample programme
//! cargo run --example spaser_document -- plan.json    # a programme in the crate's JSON
//! ```
//!
//! Options (HTML, JSON, English, the sheets into a folder, the document's date, past DECP
//! indicators, a maturity assessment…) are in the command:
//! `cargo run --release --features cli -- plan --help`.

use std::process::ExitCode;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::{Catalogue, Lang, PlanOptions, Planner, Programme, Rulebook, Targets};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

fn run() -> Result<(), String> {
    // 1. The programme, whose buyer profile (status, yearly expenditure) the document reads.
    let programme = match args::file_arg("spaser_document [PROGRAMME.json]") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            Programme::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Programme::sample().clone(),
    };

    // 2. The plan, as in the `spaser_plan` example.
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(&programme, rulebook);
    let plan = Planner::new(Catalogue::embedded(), rulebook)
        .plan(
            &programme,
            &targets,
            &PlanOptions::default().capacity_every_year(Decimal::from(3000)),
        )
        .map_err(|e| e.to_string())?;

    // 3. The document: `plan.document(&programme, Lang::Fr)` for the defaults; here dated (the
    //    crate never reads the clock). `.actuals(&table)` and `.scorecard(&card)` would fill
    //    the "état des lieux" with past DECP indicators and a maturity score.
    let date = NaiveDate::from_ymd_opt(2026, 1, 15).ok_or("a date")?;
    let input = DocumentInput::new(&programme).lang(Lang::Fr).date(date);
    let doc = Document::new(&plan, &input).map_err(|e| e.to_string())?;

    // `doc.to_html()` is one print-ready file, `doc.to_json()` the same content as data,
    // `doc.charts()` the SVG files the Markdown refers to. Each prescribing service has its
    // sheet: what to put in its purchases, when and why.
    let mut text = String::new();
    for s in doc.sheets() {
        text.push_str(&format!("{} ({}.md)\n", s.title(), s.file_stem()));
    }
    text.push('\n');
    text.push_str(&doc.to_markdown());
    text.push('\n');
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spaser_document: {e}");
            ExitCode::FAILURE
        }
    }
}
