//! `spaser follow-up`: the follow-up loop of a buyer — which planned purchase became which
//! awarded contract, planned against actual, and the yearly SPASER review (Markdown, HTML or
//! JSON, French by default); with `--forecast DATE`, where the year will land.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use spaser::decp::{self, AwardedContract, Options};
use spaser::followup::{self, ForecastOptions, LinkOptions, PlannedLevers, ReviewOptions};
use spaser::{
    BuyerKind, Catalogue, Plan, PlanOptions, Planner, Programme, Rulebook, Share, Siret, Targets,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// The default data: the follow-up data set of the tests (Ville de Valmont-sur-Loire, 2026).
const DEFAULT_PROGRAMME: &str = include_str!("../../../tests/data/followup/programme.json");
const DEFAULT_DECP: &str = include_str!("../../../tests/data/followup/decp.json");
const DEFAULT_LEVERS: &str = include_str!("../../../tests/data/followup/planned_levers.json");
const DEFAULT_TARGETS: &str = include_str!("../../../tests/data/followup/targets.json");
const DEFAULT_YEAR: i32 = 2026;

/// Arguments of `spaser follow-up`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no --programme: the follow-up data set of the tests (Ville de Valmont-sur-Loire, 40 lines, its DECP file with other buyers' contracts, its planned levers and targets, year 2026).\nThe planned levers come from --plan (the JSON of `spaser plan --format json`), --levers ({\"levers\": {\"LINE\": [\"LEVER\", …]}}), or the plan computed now.\nText output is the Markdown review; --format html one self-contained page; JSON the whole Review (or Forecast)."
)]
pub struct Args {
    /// The programme: CSV or JSON [default: the follow-up data set]
    #[arg(long, value_name = "FILE")]
    pub programme: Option<PathBuf>,
    /// The buyer's kind, for a CSV programme
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
    /// DECP files holding the buyer's contracts (JSON or XML, 2019 or 2024 format, the
    /// consolidated CSV or Parquet; `-` for standard input); with the buyer's SIRET, other
    /// buyers' contracts (another SIREN) are left out while reading
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub decp: Vec<PathBuf>,
    /// The buyer's SIRET (sets or replaces the programme's)
    #[arg(long, value_name = "SIRET")]
    pub buyer: Option<Siret>,
    /// The year reviewed [default: 2026 for the data set, else the current year]
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// The plan whose levers were planned: the JSON of `spaser plan --format json`
    #[arg(long, value_name = "FILE", conflicts_with = "levers")]
    pub plan: Option<PathBuf>,
    /// The planned levers per line: {"levers": {"LINE": ["LEVER", …]}}
    #[arg(long, value_name = "FILE")]
    pub levers: Option<PathBuf>,
    /// SPASER targets, JSON [default: the defaults for the programme]
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// A lever catalogue, JSON [default: the embedded catalogue]
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// The least score of a link (0..=1) [default: 0.6]
    #[arg(long, value_name = "SHARE")]
    pub threshold: Option<Share>,
    /// The data horizon: contracts notified later are ignored, lines expected before it are
    /// late [default: the latest notification of the buyer's contracts]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub as_of: Option<NaiveDate>,
    /// Print the landing forecast of the year at DATE instead of the review
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub forecast: Option<NaiveDate>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Deserialize)]
struct LeversFile {
    levers: BTreeMap<String, Vec<String>>,
}

/// Reads the DECP files given, of any format `spaser decp` reads (JSON, XML, consolidated CSV
/// or Parquet): the marchés of all of them, in order, a contract found in several files once;
/// with the buyer's SIRET, only the contracts of its SIREN (the others are left out while
/// reading, and said so).
fn contracts(
    args: &Args,
    default: bool,
    buyer: Option<&Siret>,
) -> Result<Vec<AwardedContract>, Failure> {
    if default {
        let of_buyer = buyer.map(crate::decp::buyer_filter);
        return decp::read(DEFAULT_DECP.as_bytes())
            .map(|d| {
                d.contracts
                    .into_iter()
                    .filter(|c| of_buyer.as_ref().is_none_or(|f| f.matches(c)))
                    .collect()
            })
            .map_err(|e| Failure::Data(format!("embedded data set: {e}")));
    }
    let paths: Vec<&Path> = args.decp.iter().map(PathBuf::as_path).collect();
    let mut options = Options::totals_only().full(true).contracts(true);
    if let Some(siret) = buyer {
        options = options.filter(crate::decp::buyer_filter(siret));
    }
    let report = crate::decp::read(&paths, options)?;
    if let Some(note) = crate::decp::left_out_by_buyer(&report, spaser::Lang::En) {
        output::note(&args.common, &note);
    }
    for (path, file) in args.decp.iter().zip(&report.files) {
        let rejected = file.accounting.rejected;
        if rejected > 0 {
            output::note(
                &args.common,
                &format!(
                    "{}: {rejected} record(s) rejected (see `spaser decp --warnings`)",
                    input::name(path)
                ),
            );
        }
    }
    Ok(report.contracts)
}

/// Runs `spaser follow-up`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let common = &args.common;
    output::check_format(
        common,
        "follow-up",
        &[Format::Text, Format::Markdown, Format::Html, Format::Json],
    )?;
    let lang = output::text_lang(common, "follow-up", &[Lang::Fr, Lang::En]).lib();
    let default = args.programme.is_none();
    if default && (!args.decp.is_empty() || args.plan.is_some() || args.levers.is_some()) {
        return Err(Failure::Usage(
            "--decp, --plan and --levers need --programme (without it, the embedded data set is used whole)".into(),
        ));
    }
    let rulebook = Rulebook::embedded();
    let mut programme = match &args.programme {
        Some(path) => crate::programme::load(path, args.buyer_kind)?,
        None => Programme::from_json(DEFAULT_PROGRAMME)
            .map_err(|e| Failure::Data(format!("embedded data set: {e}")))?,
    };
    if let Some(s) = args.buyer {
        programme.buyer.siret = Some(s);
    }
    if programme.buyer.siret.is_none() {
        output::note(
            common,
            "the programme's buyer has no SIRET (give --buyer): every contract is taken as the buyer's",
        );
    }
    let year = match (args.year, default) {
        (Some(y), _) => y,
        (None, true) => DEFAULT_YEAR,
        (None, false) => crate::today()?.year(),
    };
    let catalogue_owned = match &args.catalogue {
        Some(path) => Some(
            Catalogue::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let catalogue = catalogue_owned.as_ref().unwrap_or(Catalogue::embedded());
    let targets = match (&args.targets, default) {
        (Some(path), _) => Targets::from_json(&input::text(path)?)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        (None, true) => Targets::from_json(DEFAULT_TARGETS)
            .map_err(|e| Failure::Data(format!("embedded data set: {e}")))?,
        (None, false) => Targets::defaults_for(&programme, rulebook),
    };
    let plan: Plan;
    let planned = match (&args.plan, &args.levers, default) {
        (Some(path), _, _) => {
            plan = serde_json::from_str(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: not a plan: {e}", path.display())))?;
            PlannedLevers::from_plan(&plan, catalogue)?
        }
        (None, Some(path), _) => levers(&input::text(path)?, catalogue)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        (None, None, true) => levers(DEFAULT_LEVERS, catalogue)
            .map_err(|e| Failure::Data(format!("embedded data set: {e}")))?,
        (None, None, false) => {
            output::note(
                common,
                "no --plan nor --levers: the planned levers are those of the plan computed now",
            );
            plan = Planner::new(catalogue, rulebook).plan(
                &programme,
                &targets,
                &PlanOptions::default(),
            )?;
            PlannedLevers::from_plan(&plan, catalogue)?
        }
    };
    let contracts = contracts(args, default, programme.buyer.siret.as_ref())?;
    let mut link = LinkOptions::default().rulebook(rulebook);
    if let Some(t) = args.threshold {
        link = link.threshold(t);
    }
    if let Some(d) = args.as_of {
        link = link.as_of(d);
    }
    let text = match args.forecast {
        Some(at) => {
            let f = followup::forecast(
                &programme,
                &planned,
                &contracts,
                &targets,
                year,
                at,
                &ForecastOptions::default().link(link),
            )?;
            match common.format {
                Format::Json => output::json(&f)?,
                _ => f.to_text(lang),
            }
        }
        None => {
            let r = followup::review(
                &programme,
                &planned,
                &contracts,
                &targets,
                year,
                &ReviewOptions::default().link(link),
            )?;
            match common.format {
                Format::Json => {
                    let mut s = r.to_json()?;
                    s.push('\n');
                    s
                }
                Format::Html => r.to_html(lang),
                _ => {
                    // the chart the Markdown refers to, next to the output file
                    output::charts_next_to_output(
                        common,
                        &[(r.chart_file(lang), r.chart_svg(lang))],
                    )?;
                    r.to_markdown(lang)
                }
            }
        }
    };
    output::emit(common, &text)
}

/// The planned levers of a `{"levers": {"LINE": ["LEVER", …]}}` file.
fn levers<'c>(text: &str, catalogue: &'c Catalogue) -> Result<PlannedLevers<'c>, String> {
    let file: LeversFile =
        serde_json::from_str(text).map_err(|e| format!("not a levers file: {e}"))?;
    let mut p = PlannedLevers::new(catalogue);
    for (line, ids) in file.levers {
        p = p.with(line, ids).map_err(|e| e.to_string())?;
    }
    Ok(p)
}
