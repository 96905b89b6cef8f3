//! `spaser programme`: the estimation of a purchasing programme (family and operation values,
//! the procedure of each line with its article), the renewal calendar and, with
//! `--obligations`, the legal obligations of every line on its launch date.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use spaser::{
    Buyer, BuyerKind, Calendar, Estimation, Finding, LeadTimes, ObligationEngine, Procedure,
    Programme, PurchaseContext, Rulebook,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// Arguments of `spaser programme`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: the embedded sample programme (a mid-size town, 60 lines, 2026–2028).\nJSON: {\"programme\", \"estimation\", \"calendar\", \"findings\"} — the library's serialization of each result (see docs/cli.md)."
)]
pub struct Args {
    /// The programme: CSV (French or English headers) or JSON
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The buyer's kind, for a CSV programme (the column of EU thresholds)
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
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
    output::text_lang(&args.common, "programme", &[Lang::En]);
    let programme = match &args.file {
        Some(path) => load(path, args.buyer_kind)?,
        None => Programme::sample().clone(),
    };
    let reference = match args.reference {
        Some(d) => d,
        None => crate::today()?,
    };
    let rules = Rulebook::embedded();
    let estimation = programme.estimate(rules)?;
    let calendar = Calendar::new(&programme, &estimation, &LeadTimes::default(), reference)?;
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
            let mut t = table(&programme, &estimation, &calendar);
            if let Some(f) = &findings {
                t.push_str(&findings_text(&programme, f));
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

/// Reads a programme file: JSON (by extension or content) or CSV, named after the file.
/// Issue 13 (xlsx/ods, `--columns`, `--buyer FILE`) plugs its readers in here.
///
/// # Errors
/// The file's errors ([`input::bytes`]) and the reader's (line, column, value), prefixed with
/// the file name.
pub fn load(path: &Path, kind: BuyerKind) -> Result<Programme, Failure> {
    let bytes = input::bytes(path)?;
    let shown = path.display();
    let looks_json = path.to_string_lossy().to_lowercase().ends_with(".json")
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let programme = if looks_json {
        let text = String::from_utf8(bytes).map_err(|e| {
            Failure::Data(format!(
                "{shown}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Programme::from_json(&text)
    } else {
        let name = path
            .file_stem()
            .map_or_else(|| shown.to_string(), |s| s.to_string_lossy().into_owned());
        Programme::from_csv(bytes.as_slice(), Buyer::new(name, kind))
    };
    programme.map_err(|e| Failure::Data(format!("{shown}: {e}")))
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
