//! Realised SPASER indicators from DECP files (the open data of awarded contracts).
//!
//! Shows the streaming lenient reader (2019 and 2024 formats), the accounting of every record,
//! and the indicators computed by the crate's indicator engine per buyer and year.
//!
//! usage: `cargo run --example decp_indicators -- [FILE…] [--json] [--warnings]`
//!
//! With no file, reads an embedded real DECP export (tests/data/decp/real/dematis27.json).
//! `--json` prints `{"records":{…},"warnings":N,"by_year":{…},"concessions_by_year":{…}}` with
//! the semantics of `../shared/bench/peer_decp.py`; `--warnings` lists the warnings.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};

use spaser::decp::{self, Accounting, Actuals, DecpReader, Warning};
use spaser::{GroupBy, IndicatorTable, Measure};

#[path = "support/output.rs"]
mod output;

const DEFAULT: &str = include_str!("../tests/data/decp/real/dematis27.json");

fn run(
    src: impl Read + Send,
    actuals: &mut Actuals,
    total: &mut Accounting,
    warnings: &mut Vec<Warning>,
    keep: bool,
) -> spaser::Result<()> {
    let a = if keep {
        // Only the indicators are computed: the reader need not keep the other fields (the
        // warnings and the accounting are the same).
        let mut reader = DecpReader::new(src).indicator_fields_only();
        while let Some(entry) = reader.next_entry()? {
            actuals.add_entry(&entry);
            warnings.extend(entry.warnings);
        }
        reader.accounting()
    } else {
        // One thread reads and scans, this one converts and counts.
        actuals.add_parallel(src)?
    };
    total.read += a.read;
    total.accepted += a.accepted;
    total.rejected += a.rejected;
    total.duplicates += a.duplicates;
    total.id_collisions += a.id_collisions;
    total.warnings += a.warnings;
    Ok(())
}

fn pct(m: &Measure, value: bool) -> String {
    let s = if value {
        m.value_share()
    } else {
        m.count_share()
    };
    s.map_or("-".to_string(), |s| {
        format!(
            "{:.1}%",
            s.as_decimal() * rust_decimal::Decimal::ONE_HUNDRED
        )
    })
}

fn table(out: &mut String, title: &str, t: &IndicatorTable) {
    // Index the rows once (a table of a national file has hundreds of thousands of rows).
    let index: BTreeMap<(i32, &str, &str), &Measure> = t
        .rows
        .iter()
        .filter(|r| r.group_by == GroupBy::Buyer)
        .map(|r| ((r.year, r.group.as_str(), r.indicator.as_str()), &r.measure))
        .collect();
    let _ = writeln!(out, "\n{title}");
    let _ = writeln!(
        out,
        "{:<16} {:>4} {:>6} {:>16} {:>14} {:>14} {:>9} {:>11} {:>8}",
        "buyer",
        "year",
        "n",
        "value (EUR HT)",
        "social n/val",
        "environ. n/val",
        "reserved",
        "innovative",
        "unknown"
    );
    for (&(year, group, indicator), s) in &index {
        if indicator != "social" {
            continue;
        }
        let get = |id: &str| {
            index
                .get(&(year, group, id))
                .map(|m| (*m).clone())
                .unwrap_or_default()
        };
        let (e, r, i) = (get("environmental"), get("reserved"), get("innovative"));
        let _ = writeln!(
            out,
            "{:<16} {:>4} {:>6} {:>16} {:>14} {:>14} {:>9} {:>11} {:>8}",
            if group.is_empty() { "(unknown)" } else { group },
            year,
            s.purchases,
            s.value.to_string(),
            format!("{}/{}", pct(s, false), pct(s, true)),
            format!("{}/{}", pct(&e, false), pct(&e, true)),
            pct(&r, false),
            pct(&i, false),
            s.unknown.max(e.unknown),
        );
    }
    for year in t.years() {
        if let Some(s) = t.total("social", year) {
            let e = t.total("environmental", year).cloned().unwrap_or_default();
            let _ = writeln!(
                out,
                "{:<16} {:>4} {:>6} {:>16} {:>14} {:>14}",
                "ALL",
                year,
                s.purchases,
                s.value.to_string(),
                format!("{}/{}", pct(s, false), pct(s, true)),
                format!("{}/{}", pct(&e, false), pct(&e, true)),
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let list_warnings = args.iter().any(|a| a == "--warnings");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();

    // `--json` reports yearly totals only: skip the breakdowns the table needs.
    let mut actuals = if json {
        Actuals::standard_totals()
    } else {
        Actuals::new()
    };
    let mut total = Accounting::default();
    let mut warnings = Vec::new();
    let result = if files.is_empty() {
        run(
            DEFAULT.as_bytes(),
            &mut actuals,
            &mut total,
            &mut warnings,
            list_warnings,
        )
        .map_err(|e| e.to_string())
    } else {
        files.iter().try_for_each(|f| {
            let file = File::open(f).map_err(|e| format!("cannot open {f}: {e}"))?;
            run(
                BufReader::with_capacity(1 << 16, file),
                &mut actuals,
                &mut total,
                &mut warnings,
                list_warnings,
            )
            .map_err(|e| format!("{f}: {e}"))
        })
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    let report = actuals.finish();
    let mut out = String::new();
    if json {
        let doc = serde_json::json!({
            "records": {
                "read": total.read,
                "accepted": total.accepted,
                "rejected": total.rejected,
                "duplicates": total.duplicates,
            },
            "warnings": total.warnings,
            "by_year": decp::by_year(&report.marches),
            "concessions_by_year": decp::by_year(&report.concessions),
        });
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => {
                out.push_str(&s);
                out.push('\n');
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    } else {
        let _ = writeln!(
            out,
            "records: read {}, accepted {}, rejected {}, duplicates {}, id collisions {}, warnings {}",
            total.read,
            total.accepted,
            total.rejected,
            total.duplicates,
            total.id_collisions,
            total.warnings
        );
        table(
            &mut out,
            "Marchés: share of contracts by count/value",
            &report.marches,
        );
        if !report.concessions.rows.is_empty() {
            table(&mut out, "Concessions", &report.concessions);
        }
        let _ = writeln!(
            out,
            "\naudit: {} contract(s) notified after the environmental obligation date without an environmental consideration (probable)",
            report.audit.len()
        );
        for f in report.audit.iter().take(20) {
            let _ = writeln!(
                out,
                "  {} {} ({}), {}: {} [{}]",
                f.contract, f.id, f.buyer, f.date, f.reason, f.article
            );
        }
    }
    if let Err(e) = output::write_stdout(&out) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    if list_warnings {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
}
