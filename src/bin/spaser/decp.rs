//! `spaser decp`: realised SPASER indicators from DECP files (the open data of awarded
//! contracts), with the accounting of every record and, on request, every warning and
//! rejection.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::PathBuf;

use spaser::decp::{self, Accounting, Actuals, DecpReader, Outcome};
use spaser::{GroupBy, IndicatorTable, Measure};

use crate::{Common, Failure, Format, Lang, input, output};

/// The default data: a real DECP export of 118 contracts.
const DEFAULT: &str = include_str!("../../../tests/data/decp/real/dematis27.json");

/// Arguments of `spaser decp`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: an embedded real DECP export (118 contracts).\nJSON: {\"records\", \"warnings\", \"by_year\", \"concessions_by_year\"}, the yearly figures of decp::by_year (see docs/cli.md)."
)]
pub struct Args {
    /// DECP files, 2019 or 2024 JSON format; `-` reads standard input
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// List every warning and every rejected record (index, id, field or reason) on standard
    /// error
    #[arg(long)]
    pub warnings: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Reads one DECP source into `actuals`: the one place that calls the library's readers (issue
/// 17's `decp::open` with format detection replaces the body). With `diagnostics`, the records
/// are read one by one and every warning and rejection is listed, in record order.
fn read_one(
    src: impl Read + Send,
    actuals: &mut Actuals,
    diagnostics: Option<&mut Vec<String>>,
) -> spaser::Result<Accounting> {
    match diagnostics {
        Some(lines) => {
            // Only the indicators are computed: the reader need not keep the other fields (the
            // warnings, the rejections and the accounting are the same).
            let mut reader = DecpReader::new(src).indicator_fields_only();
            while let Some(entry) = reader.next_entry()? {
                actuals.add_entry(&entry);
                if let Outcome::Rejected(r) = &entry.outcome {
                    let id = r.id.as_ref().map(|id| format!(" (id \"{id}\")"));
                    lines.push(format!(
                        "rejected: record {}{}: {}",
                        r.record,
                        id.unwrap_or_default(),
                        r.reason
                    ));
                }
                lines.extend(entry.warnings.iter().map(|w| format!("warning: {w}")));
            }
            Ok(reader.accounting())
        }
        // One thread reads and scans, this one converts and counts.
        None => actuals.add_parallel(src),
    }
}

fn add(total: &mut Accounting, a: &Accounting) {
    total.read += a.read;
    total.accepted += a.accepted;
    total.rejected += a.rejected;
    total.duplicates += a.duplicates;
    total.id_collisions += a.id_collisions;
    total.warnings += a.warnings;
}

/// Runs `spaser decp`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let common = &args.common;
    output::check_format(common, "decp", &[Format::Text, Format::Json])?;
    output::text_lang(common, "decp", &[Lang::En]);
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Failure::Usage("standard input (-) can be read once".into()));
    }
    let json = common.format == Format::Json;
    // JSON reports yearly totals only: skip the breakdowns the table needs.
    let mut actuals = if json {
        Actuals::standard_totals()
    } else {
        Actuals::new()
    };
    let mut total = Accounting::default();
    let several = args.files.len() > 1;
    let mut diagnostics = Vec::new();
    if args.files.is_empty() {
        let mut lines = Vec::new();
        let a = read_one(
            DEFAULT.as_bytes(),
            &mut actuals,
            args.warnings.then_some(&mut lines),
        )?;
        add(&mut total, &a);
        diagnostics.extend(lines);
    }
    for path in &args.files {
        let name = input::name(path);
        let src = input::open(path)?;
        let mut lines = Vec::new();
        let a = read_one(src, &mut actuals, args.warnings.then_some(&mut lines))
            .map_err(|e| Failure::Data(format!("{name}: {e}")))?;
        add(&mut total, &a);
        // Record indexes restart with each file: name the file when there are several.
        diagnostics.extend(lines.into_iter().map(
            |l| {
                if several { format!("{name}: {l}") } else { l }
            },
        ));
    }
    let report = actuals.finish();
    let text = if json {
        output::json(&serde_json::json!({
            "records": {
                "read": total.read,
                "accepted": total.accepted,
                "rejected": total.rejected,
                "duplicates": total.duplicates,
            },
            "warnings": total.warnings,
            "by_year": decp::by_year(&report.marches),
            "concessions_by_year": decp::by_year(&report.concessions),
        }))?
    } else {
        render_text(&total, &report)
    };
    output::emit(common, &text)?;
    for line in &diagnostics {
        eprintln!("{line}");
    }
    Ok(())
}

fn render_text(total: &Accounting, report: &decp::ActualsReport) -> String {
    let mut out = String::new();
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
    out
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
