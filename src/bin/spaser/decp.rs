//! `spaser decp`: realised SPASER indicators from DECP files (the open data of awarded
//! contracts) in any of their forms — regulatory JSON or XML, the consolidated national file in
//! CSV or Parquet — merged, filtered (one buyer's figures), with the strategy indicators, the
//! data quality, the audit and the accounting of every record.

use std::path::{Path, PathBuf};

use spaser::decp::{self, DecpReport, Filter, Input, Options, Reading};
use spaser::{BuyerKind, GroupBy};

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

/// The buyer filter of a read of one buyer's contracts: its SIREN, so that the reader keeps
/// every establishment the follow-up and the maturity may count as the buyer's (a contract of
/// another SIREN is left out while reading: the national file is then read in a fraction of a
/// second, in little memory).
pub fn buyer_filter(siret: &spaser::Siret) -> Filter {
    Filter::new().buyer(siret.siren())
}

/// What a read with [`buyer_filter`] left out, for a note: the contracts of other buyers (JSON
/// and XML files) and the rows of other buyers (consolidated files, filtered row by row), or
/// `None` when nothing was.
pub fn left_out_by_buyer(report: &DecpReport, lang: spaser::Lang) -> Option<String> {
    let contracts: u64 = report.files.iter().map(|f| f.filtered_out).sum();
    let rows: u64 = report
        .files
        .iter()
        .map(|f| f.accounting.rows_filtered)
        .sum();
    let fr = lang == spaser::Lang::Fr;
    let mut parts = Vec::new();
    if contracts > 0 {
        parts.push(if fr {
            format!("{contracts} contrat(s)")
        } else {
            format!("{contracts} contract(s)")
        });
    }
    if rows > 0 {
        parts.push(if fr {
            format!("{rows} ligne(s) du fichier consolidé")
        } else {
            format!("{rows} row(s) of the consolidated file(s)")
        });
    }
    (!parts.is_empty()).then(|| {
        if fr {
            format!(
                "{} d'autres acheteurs écartés à la lecture",
                parts.join(" et ")
            )
        } else {
            format!(
                "{} of other buyers left out while reading",
                parts.join(" and ")
            )
        }
    })
}

/// Runs `spaser decp`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let common = &args.common;
    output::check_format(common, "decp", &[Format::Text, Format::Json])?;
    let lang = output::text_lang(common, "decp", &[Lang::Fr, Lang::En]).lib();
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
        report.to_text(lang)
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
                eprintln!("{prefix}{}", r.text(lang));
            }
            for w in &f.warnings {
                eprintln!("{prefix}{}", w.text(lang));
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
