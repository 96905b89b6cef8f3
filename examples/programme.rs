//! Example `programme`: reads a purchasing programme (CSV or JSON; the embedded sample when no
//! file is given), estimates the value of every family / works operation, decides the
//! procedure of every line with the thresholds in force on its launch date, and computes the
//! renewal calendar.
//!
//! ```sh
//! cargo run --example programme                                  # embedded sample, table
//! cargo run --example programme -- --json                        # same, as JSON
//! cargo run --example programme -- plan.csv --buyer-kind central # your spreadsheet
//! cargo run --example programme -- plan.json --reference 2026-06-01
//! ```
//!
//! Options: `--buyer-kind central|other|utility|defence` (CSV input only, default `other`),
//! `--reference YYYY-MM-DD` (the "today" used to flag late renewals, default 2026-01-01, so the
//! output does not depend on the clock), `--json`, `--obligations` (the legal obligations of
//! every line on its launch date — LCR clauses and criteria, social consideration at or above
//! the EU threshold… — each with its article, kind, status and confidence; with `--json`, every
//! line object gains `findings: [{article, kind, status, confidence, reason}]`).

use std::fmt::Write as _;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::{Value, json};
use spaser::{
    Buyer, BuyerKind, Calendar, Estimation, Finding, LeadTimes, ObligationEngine, Procedure,
    Programme, PurchaseContext, Rulebook,
};

#[path = "support/output.rs"]
mod output;

struct Args {
    file: Option<String>,
    kind: BuyerKind,
    json: bool,
    reference: NaiveDate,
    obligations: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        file: None,
        kind: BuyerKind::OtherContractingAuthority,
        json: false,
        reference: NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("bad default date")?,
        obligations: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => args.json = true,
            "--obligations" => args.obligations = true,
            "--buyer-kind" => {
                let v = it.next().ok_or("--buyer-kind needs a value")?;
                args.kind = v.parse().map_err(|e: spaser::Error| e.to_string())?;
            }
            "--reference" => {
                let v = it.next().ok_or("--reference needs a date")?;
                args.reference = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|e| format!("--reference \"{v}\": {e}"))?;
            }
            "-h" | "--help" => {
                return Err("usage: programme [FILE.csv|FILE.json] [--buyer-kind central|other|utility|defence] [--reference YYYY-MM-DD] [--json] [--obligations]".into());
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => args.file = Some(s.to_string()),
        }
    }
    Ok(args)
}

fn load(args: &Args) -> Result<Programme, String> {
    let Some(path) = &args.file else {
        return Ok(Programme::sample().clone());
    };
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let looks_json = path.to_lowercase().ends_with(".json")
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let programme = if looks_json {
        let text = String::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
        Programme::from_json(&text)
    } else {
        let name = std::path::Path::new(path)
            .file_stem()
            .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
        Programme::from_csv(bytes.as_slice(), Buyer::new(name, args.kind))
    };
    programme.map_err(|e| format!("{path}: {e}"))
}

fn to_json(
    programme: &Programme,
    est: &Estimation,
    cal: &Calendar,
    findings: Option<&[Vec<Finding>]>,
) -> Value {
    let lines: Vec<Value> = programme
        .lines
        .iter()
        .zip(&est.lines)
        .zip(&cal.entries)
        .enumerate()
        .map(|(i, ((line, e), c))| {
            let mut v = json!({
                "id": line.id,
                "family_key": e.group_key(),
                "group_value": e.group_value.to_string(),
                "procedure": e.procedure,
                "legal_basis": e.legal_basis(),
                "threshold": e.threshold.map(|t| t.to_string()),
                "confidence": e.confidence,
                "warnings": e.warnings(),
                "launch_by": c.launch_by,
                "sourcing_by": c.sourcing_by,
                "late": c.late,
            });
            if let Some(f) = findings.and_then(|f| f.get(i)) {
                v["findings"] = f
                    .iter()
                    .map(|f| {
                        json!({
                            "article": f.article,
                            "kind": f.kind.to_string(),
                            "status": f.status.to_string(),
                            "confidence": f.confidence,
                            "reason": f.reason,
                        })
                    })
                    .collect();
            }
            v
        })
        .collect();
    json!({ "lines": lines, "groups": est.groups })
}

fn table(programme: &Programme, est: &Estimation, cal: &Calendar) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Programme of {} ({}), {} lines, {} groups — reference date {}",
        programme.buyer.name,
        programme.buyer.kind,
        programme.lines.len(),
        est.groups.len(),
        cal.reference
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<8} {:<44} {:>13} {:<24} {:>13} {:<14} {:<10} {:>11} {:>11}",
        "id",
        "label",
        "amount HT",
        "group",
        "group value",
        "procedure",
        "basis",
        "launch by",
        "sourcing by"
    );
    for ((line, e), c) in programme.lines.iter().zip(&est.lines).zip(&cal.entries) {
        let label: String = line.label.chars().take(44).collect();
        let group: String = e.group_key().chars().take(24).collect();
        let date = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_string(), |d| d.to_string());
        let flag = if c.late {
            "  LATE"
        } else if c.planned_too_late {
            "  planned launch after deadline"
        } else if c.sourcing_late {
            "  sourcing late"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<8} {:<44} {:>13} {:<24} {:>13} {:<14} {:<10} {:>11} {:>11}{flag}",
            line.id,
            label,
            line.amount.to_string(),
            group,
            e.group_value.to_string(),
            e.procedure.to_string(),
            e.legal_basis(),
            date(c.launch_by),
            date(c.sourcing_by),
        );
    }
    let warnings: Vec<&str> = est
        .lines
        .iter()
        .flat_map(|l| l.warnings().iter().map(|w| w.message()))
        .collect();
    out.push('\n');
    for p in Procedure::ALL {
        let n = est.lines.iter().filter(|l| l.procedure == p).count();
        let _ = writeln!(out, "{:<16} {n} lines", p.to_string());
    }
    if !warnings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "Warnings ({}):", warnings.len());
        for w in warnings {
            let _ = writeln!(out, "- {w}");
        }
    }
    out
}

/// The findings of every line, in programme order.
fn obligations(programme: &Programme, est: &Estimation) -> Result<Vec<Vec<Finding>>, String> {
    let engine = ObligationEngine::new(Rulebook::embedded());
    programme
        .lines
        .iter()
        .map(|line| {
            let ctx = PurchaseContext::from_line(line, programme.buyer.kind, est.line(&line.id));
            engine
                .check(&ctx)
                .map_err(|e| format!("line {}: {e}", line.id))
        })
        .collect()
}

fn findings_text(programme: &Programme, findings: &[Vec<Finding>]) -> String {
    let mut out = String::from("\nLegal obligations on each launch date:\n");
    for (line, fs) in programme.lines.iter().zip(findings) {
        let _ = writeln!(out, "{} ({})", line.id, line.launch_date);
        for f in fs {
            let _ = writeln!(
                out,
                "  {:<34} {:<22} {:<14} {:<14} [{}] {}",
                f.obligation.as_str(),
                f.article,
                f.kind.to_string(),
                f.status.to_string(),
                f.confidence,
                f.reason
            );
        }
    }
    out
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let programme = load(&args)?;
    let rules = Rulebook::embedded();
    let est = programme.estimate(rules).map_err(|e| e.to_string())?;
    let cal = Calendar::new(&programme, &est, &LeadTimes::default(), args.reference)
        .map_err(|e| e.to_string())?;
    let findings = if args.obligations {
        Some(obligations(&programme, &est)?)
    } else {
        None
    };
    let text = if args.json {
        let v = to_json(&programme, &est, &cal, findings.as_deref());
        let mut s = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
        s.push('\n');
        s
    } else {
        let mut t = table(&programme, &est, &cal);
        if let Some(f) = &findings {
            t.push_str(&findings_text(&programme, f));
        }
        t
    };
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
