//! `spaser decp`: realised SPASER indicators from DECP files (the open data of awarded
//! contracts) in any of their forms — regulatory JSON or XML, the consolidated national file in
//! CSV or Parquet — merged, filtered (one buyer's figures), with the strategy indicators, the
//! data quality, the audit and the accounting of every record.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spaser::decp::{self, DecpReport, Filter, Input, Options, Reading};
use spaser::{BuyerKind, GroupBy, IndicatorTable, Measure};

use crate::{Common, Failure, Format, Lang, buyer_kind_parser, input, output};

/// The default data: a real DECP export of 118 contracts.
const DEFAULT: &str = include_str!("../../../tests/data/decp/real/dematis27.json");

/// Arguments of `spaser decp`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: an embedded real DECP export (118 contracts).\nFormats are detected from the content: JSON or XML (2019, 2024), the consolidated national file (decp.csv; decp.parquet with the `parquet` feature). A contract read in several files counts once.\nJSON: {\"records\", \"warnings\", \"by_year\", \"concessions_by_year\", \"by_buyer\", \"by_cpv_division\", \"by_procedure\", \"by_nature\", \"strategy\", \"audit\", \"left_out\", \"names\", \"files\"}; with --totals-only the first four (see docs/cli.md)."
)]
pub struct Args {
    /// DECP files (JSON, XML, consolidated CSV or Parquet); `-` reads standard input
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// List every warning and every rejected record (index, id, field or reason) on standard
    /// error
    #[arg(long)]
    pub warnings: bool,
    /// Keep only this buyer (a SIRET, or a SIREN for all its establishments); repeatable
    #[arg(long, value_name = "SIRET|SIREN")]
    pub buyer: Vec<String>,
    /// Keep only the contracts notified this year; repeatable
    #[arg(long, value_name = "YEAR")]
    pub year: Vec<i32>,
    /// Keep only the CPV codes starting with these digits; repeatable
    #[arg(long, value_name = "PREFIX")]
    pub cpv: Vec<String>,
    /// Keep only this procedure (case and accents ignored); repeatable
    #[arg(long, value_name = "PROCEDURE")]
    pub procedure: Vec<String>,
    /// Report the data quality of each file (absurd or placeholder amounts, outliers among
    /// peers, missing considerations, invalid SIRETs, unusable dates, duplicates)
    #[arg(long)]
    pub quality: bool,
    /// Only the yearly totals of the standard indicators (the fastest read; no breakdown,
    /// strategy, audit or names)
    #[arg(long)]
    pub totals_only: bool,
    /// The EU threshold column the L2112-2-1 audit uses (the DECP does not say the buyer's
    /// kind)
    #[arg(long, value_name = "KIND", value_parser = buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
    #[command(flatten)]
    pub common: Common,
}

/// A DECP file of any format the library reads (JSON, XML, consolidated CSV or Parquet),
/// detected from its content, or standard input for `-`; the command's checks (missing,
/// directory, empty) first. Shared with `follow-up` and `maturity --decp`.
///
/// # Errors
/// [`Failure::Data`] naming the file.
pub fn open(path: &Path) -> Result<Input, Failure> {
    let name = input::name(path);
    if path.as_os_str() == "-" {
        Input::from_reader(&name, input::open(path)?)
    } else {
        drop(input::open(path)?);
        decp::open(path)
    }
    .map_err(Failure::data)
}

/// Reads DECP files of any format (see [`open`]) into one report, a contract found in several
/// files once — for the commands that take `--decp` (`follow-up`, `maturity`, `plan`, `agec`).
///
/// # Errors
/// [`Failure::Data`] naming the file.
pub fn read(paths: &[&Path], options: Options) -> Result<DecpReport, Failure> {
    let mut reading = Reading::new(options);
    for path in paths {
        reading.add(open(path)?).map_err(Failure::data)?;
    }
    Ok(reading.finish())
}

/// Runs `spaser decp`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let common = &args.common;
    output::check_format(common, "decp", &[Format::Text, Format::Json])?;
    output::text_lang(common, "decp", &[Lang::En]);
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(Failure::Usage("standard input (-) can be read once".into()));
    }
    let mut filter = Filter::new();
    for b in &args.buyer {
        filter = filter.buyer(b);
    }
    for y in &args.year {
        filter = filter.year(*y);
    }
    for c in &args.cpv {
        filter = filter.cpv_prefix(c);
    }
    for p in &args.procedure {
        filter = filter.procedure(p);
    }
    let options = if args.totals_only {
        Options::totals_only()
    } else {
        Options::default()
    }
    .filter(filter)
    .quality(args.quality)
    .keep_diagnostics(args.warnings)
    .audit_buyer_kind(args.buyer_kind);
    let mut reading = Reading::new(options);
    if args.files.is_empty() {
        let input =
            Input::from_reader("dematis27.json", DEFAULT.as_bytes()).map_err(Failure::data)?;
        reading.add(input).map_err(Failure::data)?;
    }
    for path in &args.files {
        let input = open(path)?;
        reading.add(input).map_err(Failure::data)?;
    }
    let report = reading.finish();
    let text = if common.format == Format::Json {
        json(&report, args.totals_only)?
    } else {
        render_text(&report)
    };
    output::emit(common, &text)?;
    if args.warnings {
        // Record indexes restart with each file: name the file when there are several.
        let several = report.files.len() > 1;
        for f in &report.files {
            let prefix = if several {
                format!("{}: ", f.name)
            } else {
                String::new()
            };
            for r in &f.rejected {
                let id = r.id.as_ref().map(|id| format!(" (id \"{id}\")"));
                eprintln!(
                    "{prefix}rejected: record {}{}: {}",
                    r.record,
                    id.unwrap_or_default(),
                    r.reason
                );
            }
            for w in &f.warnings {
                eprintln!("{prefix}warning: {w}");
            }
        }
    }
    Ok(())
}

fn json(report: &DecpReport, totals_only: bool) -> Result<String, Failure> {
    let t = &report.accounting;
    let mut doc = serde_json::json!({
        "records": {
            "read": t.read,
            "accepted": t.accepted,
            "rejected": t.rejected,
            "duplicates": t.duplicates,
        },
        "warnings": t.warnings,
        "by_year": decp::by_year(&report.actuals.marches),
        "concessions_by_year": decp::by_year(&report.actuals.concessions),
    });
    if !totals_only {
        let m = &report.actuals.marches;
        doc["by_buyer"] = serde_json::json!(decp::by_group(m, GroupBy::Buyer));
        doc["by_cpv_division"] = serde_json::json!(decp::by_group(m, GroupBy::CpvDivision));
        doc["by_procedure"] = serde_json::json!(decp::by_group(m, GroupBy::Procedure));
        doc["by_nature"] = serde_json::json!(decp::by_group(m, GroupBy::Nature));
        doc["strategy"] = serde_json::json!(report.strategy);
        doc["audit"] = serde_json::json!(report.actuals.audit);
        doc["left_out"] = serde_json::json!(report.left_out);
        doc["names"] = serde_json::json!(report.names);
        doc["files"] = serde_json::json!(
            report
                .files
                .iter()
                .map(|f| serde_json::json!({
                    "name": f.name, "format": f.format, "version": f.version,
                    "accounting": f.accounting, "kept": f.kept,
                    "cross_file_duplicates": f.cross_file_duplicates,
                    "filtered_out": f.filtered_out, "quality": f.quality,
                }))
                .collect::<Vec<_>>()
        );
    }
    output::json(&doc)
}

fn render_text(report: &DecpReport) -> String {
    let mut out = String::new();
    let t = &report.accounting;
    let _ = writeln!(
        out,
        "records: read {}, accepted {}, rejected {}, duplicates {}, id collisions {}, warnings {}",
        t.read, t.accepted, t.rejected, t.duplicates, t.id_collisions, t.warnings
    );
    for (why, n) in &report.left_out {
        let _ = writeln!(out, "left out of the indicators: {n} {why}");
    }
    table(
        &mut out,
        "Marchés: share of contracts by count/value",
        &report.actuals.marches,
        report,
    );
    if !report.actuals.concessions.rows.is_empty() {
        table(&mut out, "Concessions", &report.actuals.concessions, report);
    }
    if let Some(s) = &report.strategy {
        let _ = writeln!(
            out,
            "\nStrategy: share of contracts by count/value (contracts where the data does not tell)"
        );
        for year in s.table.years() {
            let mut line = format!("{year}:");
            for (id, label) in [
                (decp::SINGLE_BID, "single bid"),
                (decp::SME, "SME"),
                (decp::OVER_FOUR_YEARS, "over 4 years"),
                (decp::FRAMEWORK, "framework"),
            ] {
                if let Some(m) = s.table.total(id, year) {
                    let _ = write!(
                        line,
                        "  {label} {}/{} ({})",
                        pct(m, false),
                        pct(m, true),
                        m.unknown
                    );
                }
            }
            if let Some(b) = s
                .bids
                .iter()
                .find(|b| b.year == year && b.group_by == GroupBy::Total)
            {
                let _ = write!(line, "  mean bids {}", b.mean);
            }
            let _ = writeln!(out, "{line}");
        }
    }
    for f in &report.files {
        if let Some(q) = &f.quality {
            let _ = writeln!(
                out,
                "\nquality of {} ({} contracts): amount missing {}, zero {}, placeholder {}, sentinel {}, absurd {}, far from its peers {} (very far {}); considerations missing social {}, environmental {}; invalid SIRET buyer {}, holder {}; CPV missing {}; offers missing {}; unusable dates {}; duplicates {}, read in an earlier file {}",
                f.name,
                q.contracts,
                q.missing_amount,
                q.zero_amount,
                q.placeholder_amount,
                q.sentinel_amount,
                q.absurd_amount,
                q.amount_suspect,
                q.amount_aberrant,
                q.missing_social,
                q.missing_environmental,
                q.invalid_buyer_siret,
                q.invalid_holder_siret,
                q.missing_cpv,
                q.missing_offers,
                q.unusable_dates,
                q.duplicates,
                q.cross_file_duplicates
            );
        }
    }
    let _ = writeln!(
        out,
        "\naudit: {} probable finding(s) (L2112-2, L2112-2-1, R2152-7; the DECP does not publish the launch date)",
        report.actuals.audit.len()
    );
    for f in report.actuals.audit.iter().take(20) {
        let _ = writeln!(
            out,
            "  {} {} ({}), {}: {} [{}]",
            f.contract, f.id, f.buyer, f.date, f.reason, f.article
        );
    }
    out
}

/// A share rounded half-to-even to one decimal.
fn pct(m: &Measure, value: bool) -> String {
    let s = if value {
        m.value_share()
    } else {
        m.count_share()
    };
    match s {
        Some(_) => format!("{}%", decp::percent(s, 1)),
        None => "-".to_string(),
    }
}

fn table(out: &mut String, title: &str, t: &IndicatorTable, report: &DecpReport) {
    let _ = writeln!(out, "\n{title}");
    let _ = writeln!(
        out,
        "{:<16} {:>4} {:>6} {:>16} {:>14} {:>14} {:>9} {:>11} {:>8}  name",
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
    let row =
        |out: &mut String, label: &str, year: i32, name: &str, get: &dyn Fn(&str) -> Measure| {
            let (s, e, r, i) = (
                get("social"),
                get("environmental"),
                get("reserved"),
                get("innovative"),
            );
            let _ = writeln!(
                out,
                "{:<16} {:>4} {:>6} {:>16} {:>14} {:>14} {:>9} {:>11} {:>8}  {name}",
                label,
                year,
                s.purchases,
                s.value.to_string(),
                format!("{}/{}", pct(&s, false), pct(&s, true)),
                format!("{}/{}", pct(&e, false), pct(&e, true)),
                pct(&r, false),
                pct(&i, false),
                s.unknown.max(e.unknown),
            );
        };
    for (group, years) in decp::by_group(t, GroupBy::Buyer) {
        let label = if group.is_empty() {
            "(unknown)"
        } else {
            group.as_str()
        };
        let name = report.names.get(&group).map_or("", String::as_str);
        for year in years.keys() {
            row(out, label, *year, name, &|id| {
                t.get(id, *year, GroupBy::Buyer, &group)
                    .cloned()
                    .unwrap_or_default()
            });
        }
    }
    for year in t.years() {
        row(out, "ALL", year, "", &|id| {
            t.total(id, year).cloned().unwrap_or_default()
        });
    }
}
