//! `spaser programme`: the estimation of a purchasing programme (family and operation values,
//! the procedure of each line with its article), the renewal calendar and, with
//! `--obligations`, the legal obligations of every line on its launch date.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use spaser::{
    Buyer, BuyerKind, Calendar, ColumnMap, Estimation, FileFormat, Finding, LeadTimes,
    NumberConvention, ObligationEngine, PlanningOptions, Programme, PurchaseContext, ReadOptions,
    Rulebook,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// Arguments of `spaser programme`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: the embedded sample programme (a mid-size town, 60 lines, 2026–2028).\nJSON: {\"programme\", \"estimation\", \"calendar\", \"findings\"} — the library's serialization of each result (see docs/cli.md)."
)]
pub struct Args {
    /// The programme: CSV (any encoding French Excel writes), xlsx, ods or JSON
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The buyer's kind, for a spreadsheet programme without --buyer (the column of EU thresholds)
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Options file (JSON or TOML): the calendar's lead times (`[lead_times]`)
    #[arg(long, value_name = "FILE")]
    pub options: Option<PathBuf>,
    /// The "today" of the calendar, to flag late renewals [default: today]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub reference: Option<NaiveDate>,
    /// Also check the legal obligations of every line on its launch date
    #[arg(long)]
    pub obligations: bool,
    /// Also write the forward plan published to suppliers (APProch fields, amounts as bands;
    /// the lines still to launch, confidential ones left out) to FILE: JSON for `.json`, else CSV
    #[arg(long, value_name = "FILE")]
    pub publish: Option<PathBuf>,
    /// With --publish: the considerations of each line from the SPASER plan computed with the
    /// default targets and catalogue (else the dimensions planned on the line)
    #[arg(long, requires = "publish")]
    pub publish_plan: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Runs `spaser programme`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(&args.common, "programme", &[Format::Text, Format::Json])?;
    let lang = output::text_lang(&args.common, "programme", &[Lang::Fr, Lang::En]).lib();
    let programme = match &args.file {
        Some(path) => load_with(path, args.buyer_kind, &args.read, Some(&args.common))?,
        None => Programme::sample().clone(),
    };
    let lead_times = match &args.options {
        Some(path) => options(path)?.lead_times,
        None => LeadTimes::default(),
    };
    let reference = match args.reference {
        Some(d) => d,
        None => crate::today()?,
    };
    let rules = Rulebook::embedded();
    let estimation = programme.estimate(rules)?;
    let calendar = Calendar::new(&programme, &estimation, &lead_times, reference)?;
    let findings = if args.obligations {
        Some(obligations(&programme, &estimation)?)
    } else {
        None
    };
    if let Some(path) = &args.publish {
        publish(args, path, &programme, &estimation)?;
    }
    let text = match args.common.format {
        Format::Json => output::json(&ProgrammeJson {
            programme: &programme,
            estimation: &estimation,
            calendar: &calendar,
            findings: findings.as_deref(),
        })?,
        _ => {
            let mut t = programme.to_text(&estimation, &calendar, lang);
            if let Some(f) = &findings {
                t.push_str(&findings_text(&programme, f, lang));
            }
            t
        }
    };
    output::emit(&args.common, &text)
}

/// Writes the forward plan of `--publish`.
fn publish(
    args: &Args,
    path: &Path,
    programme: &Programme,
    estimation: &Estimation,
) -> Result<(), Failure> {
    use spaser::declarations::{ForwardPlan, ForwardPlanOptions};
    let plan = if args.publish_plan {
        let rules = Rulebook::embedded();
        let targets = spaser::Targets::defaults_for(programme, rules);
        Some(
            spaser::Planner::new(spaser::Catalogue::embedded(), rules).plan(
                programme,
                &targets,
                &spaser::PlanOptions::default()
                    .capacity_every_year(rust_decimal::Decimal::from(3000)),
            )?,
        )
    } else {
        None
    };
    let forward = ForwardPlan::new(
        programme,
        estimation,
        plan.as_ref().map(|p| (p, spaser::Catalogue::embedded())),
        &ForwardPlanOptions::default(),
    )?;
    let text = if path.to_string_lossy().to_lowercase().ends_with(".json") {
        let mut s = forward.to_json()?;
        s.push('\n');
        s
    } else {
        forward.to_csv()
    };
    output::write_file(path, text.as_bytes())?;
    output::note(
        &args.common,
        &format!(
            "wrote {}: {} projects to publish, {} lines left out",
            path.display(),
            forward.rows.len(),
            forward.excluded.len()
        ),
    );
    Ok(())
}

/// How to read a programme file (issue 13): the buyer profile, a column map, the sheet of a
/// workbook, lenient mode.
#[derive(Debug, Default, clap::Args)]
pub struct ReadArgs {
    /// Buyer profile (JSON or TOML): name, SIRET, status, yearly expenditure
    #[arg(long = "buyer", value_name = "FILE")]
    pub buyer: Option<PathBuf>,
    /// Column map (JSON or TOML) for headers the alias table does not know: {"Header": "field"}
    #[arg(long, value_name = "FILE")]
    pub columns: Option<PathBuf>,
    /// The sheet of a workbook to read [default: the first with a header]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Keep the good rows of a file with bad ones (the rejected rows are listed on standard error)
    #[arg(long)]
    pub lenient: bool,
    /// The file's decimal mark, for amounts that read two ways (250.000) when no cell decides
    #[arg(long, value_name = "MARK", value_parser = ["comma", "point"])]
    pub decimal: Option<String>,
}

/// Reads a plan options file.
///
/// # Errors
/// The file's errors and the reader's, naming the file and the field.
pub fn options(path: &Path) -> Result<PlanningOptions, Failure> {
    input::bytes(path)?;
    PlanningOptions::from_path(path).map_err(Failure::data)
}

/// Reads a programme file with the default reading options.
///
/// # Errors
/// As [`load_with`].
pub fn load(path: &Path, kind: BuyerKind) -> Result<Programme, Failure> {
    load_with(path, kind, &ReadArgs::default(), None)
}

/// Reads a programme file: CSV, xlsx, ods or JSON (by extension or content) with the buyer of
/// `--buyer` (else, for a spreadsheet, one of kind `kind` named after the file; a JSON
/// programme keeps its own). The reader's warnings (unused columns, encoding, title rows…) go to
/// standard error (when `common` is given); every row error is reported at once, or, with `--lenient`, the rejected rows
/// are listed and the others kept.
///
/// # Errors
/// The file's errors ([`input::bytes`]) and the reader's (file, line, column, value).
pub fn load_with(
    path: &Path,
    kind: BuyerKind,
    read: &ReadArgs,
    common: Option<&Common>,
) -> Result<Programme, Failure> {
    let bytes = input::bytes(path)?;
    let format = FileFormat::from_path(path).unwrap_or_else(|| FileFormat::sniff(&bytes));
    let mut opts = ReadOptions::default().format(format).lenient(read.lenient);
    match read.decimal.as_deref() {
        Some("comma") => opts = opts.number_convention(NumberConvention::DecimalComma),
        Some("point") => opts = opts.number_convention(NumberConvention::DecimalPoint),
        _ => {}
    }
    if let Some(sheet) = &read.sheet {
        opts = opts.sheet(sheet.clone());
    }
    if let Some(columns) = &read.columns {
        input::bytes(columns)?;
        opts = opts.columns(ColumnMap::from_path(columns).map_err(Failure::data)?);
    }
    match &read.buyer {
        Some(profile) => {
            input::bytes(profile)?;
            opts = opts.buyer(Buyer::from_path(profile).map_err(Failure::data)?);
        }
        None if format != FileFormat::Json => {
            let name = path.file_stem().map_or_else(
                || path.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            opts = opts.buyer(Buyer::new(name, kind));
        }
        None => {}
    }
    let result = Programme::read_path(path, &opts).map_err(Failure::data)?;
    if let Some(common) = common {
        for w in result.warnings() {
            output::note(common, &format!("warning: {w}"));
        }
        if read.lenient {
            for e in result.errors() {
                output::note(common, &format!("rejected: {e}"));
            }
        }
    }
    result.into_programme().map_err(Failure::data)
}

/// The `--format json` document: the library's results, each serialized as the library does
/// (every field), in programme order.
#[derive(Serialize)]
struct ProgrammeJson<'a> {
    programme: &'a Programme,
    estimation: &'a Estimation,
    calendar: &'a Calendar,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a [Vec<Finding>]>,
}

/// The findings of every line, in programme order.
fn obligations(programme: &Programme, est: &Estimation) -> Result<Vec<Vec<Finding>>, Failure> {
    let engine = ObligationEngine::new(Rulebook::embedded());
    programme
        .lines
        .iter()
        .map(|line| {
            let ctx = PurchaseContext::from_line(line, programme.buyer.kind, est.line(&line.id));
            engine
                .check(&ctx)
                .map_err(|e| Failure::Data(format!("line {}: {e}", line.id)))
        })
        .collect()
}

fn findings_text(programme: &Programme, findings: &[Vec<Finding>], lang: spaser::Lang) -> String {
    use spaser::{FindingKind, Status};
    let fr = lang == spaser::Lang::Fr;
    let mut out = String::from(if fr {
        "\nObligations légales à la date de lancement de chaque ligne (motifs détaillés en anglais)\u{a0}:\n"
    } else {
        "\nLegal obligations on each launch date:\n"
    });
    for (line, fs) in programme.lines.iter().zip(findings) {
        let _ = if fr {
            writeln!(
                out,
                "{} (lancement le {})",
                line.id,
                line.launch_date.format("%d/%m/%Y")
            )
        } else {
            writeln!(out, "{} ({})", line.id, line.launch_date)
        };
        for f in fs {
            let (obligation, kind, status) = if fr {
                let kind = match f.kind {
                    FindingKind::Obligation => "obligation",
                    FindingKind::Recommendation => "recommandation",
                    _ => f.kind.as_str(),
                };
                let status = match f.status {
                    Status::Met => "respectée",
                    Status::Missing => "manquante",
                    Status::NotApplicable => "non applicable",
                    Status::Exempted => "exemptée",
                    Status::Unknown => "à vérifier",
                    _ => f.status.as_str(),
                };
                (f.obligation.label(lang), kind, status)
            } else {
                (f.obligation.as_str(), f.kind.as_str(), f.status.as_str())
            };
            let _ = writeln!(
                out,
                "  {:<w$} {:<22} {:<14} {:<14} [{}] {}",
                obligation,
                f.article,
                kind,
                status,
                f.confidence,
                f.reason,
                w = if fr { 38 } else { 34 }
            );
        }
    }
    out
}
