//! A purchasing programme through the API: read it, value it the way the law values it
//! (R2121-1 to R2121-7), decide the procedure of every line on its launch date, compute the
//! renewal calendar and check the legal obligations of a line.
//!
//! ```sh
//! cargo run --example programme                  # the embedded sample programme
//! cargo run --example programme -- plan.csv      # your spreadsheet export (French or English headers)
//! ```
//!
//! The full table, JSON, `--obligations`, `--buyer-kind`, `--reference` are in the command:
//! `cargo run --features cli -- programme --help`.

use std::process::ExitCode;

use chrono::NaiveDate;
use spaser::{
    Buyer, BuyerKind, Calendar, LeadTimes, ObligationEngine, Procedure, Programme, PurchaseContext,
    Rulebook,
};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

fn run() -> Result<(), String> {
    // 1. Read: a CSV export (`;`, decimal comma, `€`, dd/mm/yyyy…) or the embedded sample.
    let programme = match args::file_arg("programme [PROGRAMME.csv]") {
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
            let buyer = Buyer::new("my buyer", BuyerKind::OtherContractingAuthority);
            // Every error names the line, the column and the value.
            Programme::from_csv(bytes.as_slice(), buyer).map_err(|e| format!("{path}: {e}"))?
        }
        None => Programme::sample().clone(),
    };

    // 2. Estimate: supplies and services add up per family and year, works per operation; the
    //    group value decides the procedure with the thresholds in force on the launch date.
    let rules = Rulebook::embedded();
    let estimation = programme.estimate(rules).map_err(|e| e.to_string())?;
    let mut text = format!(
        "{}: {} lines in {} groups\n",
        programme.buyer.name,
        programme.lines.len(),
        estimation.groups.len()
    );
    for p in Procedure::ALL {
        let n = estimation.lines.iter().filter(|l| l.procedure == p).count();
        text.push_str(&format!("  {p:<14} {n} lines\n"));
    }

    // 3. Calendar: for renewals, the latest launch and sourcing dates at a reference date that
    //    the caller passes in (the library never reads the clock).
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("bad date")?;
    let calendar = Calendar::new(&programme, &estimation, &LeadTimes::default(), today)
        .map_err(|e| e.to_string())?;
    let late = calendar.entries.iter().filter(|e| e.late).count();
    text.push_str(&format!("  {late} renewal(s) late on {today}\n\n"));

    // 4. One line in detail: its group, procedure, article, warnings and obligations.
    let (line, estimate) = programme
        .lines
        .iter()
        .zip(&estimation.lines)
        .max_by_key(|(l, _)| l.amount)
        .ok_or("the programme has no line")?;
    text.push_str(&format!(
        "largest line {} \"{}\": {} in group {} worth {} → {} ({})\n",
        line.id,
        line.label,
        line.amount,
        estimate.group_key(),
        estimate.group_value,
        estimate.procedure,
        estimate.legal_basis()
    ));
    for w in estimate.warnings() {
        text.push_str(&format!("  warning: {}\n", w.message()));
    }
    let context = PurchaseContext::from_line(line, programme.buyer.kind, Some(estimate));
    let findings = ObligationEngine::new(rules)
        .check(&context)
        .map_err(|e| e.to_string())?;
    for f in findings {
        // Each finding: article, obligation or recommendation, status, confidence, why.
        text.push_str(&format!(
            "  {} {} {} [{}]: {}\n",
            f.article, f.kind, f.status, f.confidence, f.reason
        ));
    }
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("programme: {e}");
            ExitCode::FAILURE
        }
    }
}
