//! `spaser plan`: the main job — from a purchasing programme, SPASER targets and the lever
//! catalogue, the plan (which levers on which purchases, meeting every legal obligation and
//! reaching the targets at least effort) and the SPASER document a French buyer publishes, with
//! the sheets of its prescribing services.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::sourcing::{Capacity, LeverAvailability};
use spaser::{
    BuyerKind, Catalogue, IndicatorTable, LeadTimes, PlanOptions, Planner, Programme, ReadOptions,
    Rulebook, Targets,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// Arguments of `spaser plan`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no argument: the embedded sample programme, the default targets for it (PNAD, AGEC per category present, EGalim when there is food), the embedded catalogue and rulebook, and a facilitator capacity of 3,000 insertion hours a year.\nText and Markdown output are the SPASER document (six parts and the prescriber sheets) in --lang, HTML one self-contained print-ready file, JSON the document as data; --plan-json writes the whole Plan (Plan::to_json)."
)]
pub struct Args {
    /// The programme: CSV, xlsx, ods or JSON [default: the embedded sample]
    #[arg(long, value_name = "FILE")]
    pub programme: Option<PathBuf>,
    /// The buyer's kind, for a spreadsheet programme without --buyer
    #[arg(long, value_name = "KIND", value_parser = crate::buyer_kind_parser(), default_value = "other")]
    pub buyer_kind: BuyerKind,
    #[command(flatten)]
    pub read: crate::programme::ReadArgs,
    /// SPASER targets: JSON, or a table (CSV, xlsx, ods) with one column per year [default: the defaults for the programme]
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Plan options (JSON or TOML): capacity, locks, maximum levers per line, effort budget, shortfall weight, solver [default: a capacity of 3000 hours a year]
    #[arg(long, value_name = "FILE")]
    pub options: Option<PathBuf>,
    /// A lever catalogue, JSON [default: the embedded catalogue]
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Insertion hours the facilitator can place each year (over the options file's) [default: 3000]
    #[arg(long, value_name = "HOURS")]
    pub capacity_hours: Option<Decimal>,
    /// Also write the planning problem in CPLEX LP format to FILE (for HiGHS, CBC, Gurobi): the least-shortfall stage of the lexicographic objective
    #[arg(long, value_name = "FILE")]
    pub lp: Option<PathBuf>,
    /// Also write the least-effort stage's LP to FILE, at the plan's shortfall
    #[arg(long, value_name = "FILE")]
    pub lp_effort: Option<PathBuf>,
    /// Read another solver's solution of the LP (HiGHS .sol) and make the plan from it instead of solving (every constraint is checked)
    #[arg(long, value_name = "FILE")]
    pub check_solution: Option<PathBuf>,
    /// Also write one sheet per prescribing service into DIR (Markdown, or HTML with --format html)
    #[arg(long, value_name = "DIR")]
    pub sheets: Option<PathBuf>,
    /// The document's date, printed on its cover and the reference of the calendar [default: none]
    #[arg(long, value_name = "DATE", value_parser = crate::date_parser)]
    pub date: Option<NaiveDate>,
    /// The buyer's DECP file (JSON or XML, 2019 or 2024 format, the consolidated CSV or
    /// Parquet): the indicators of past years in the document; when the programme's buyer has
    /// a SIRET, only the contracts of its SIREN count (a platform or the national file mixes
    /// buyers)
    #[arg(long, value_name = "FILE")]
    pub decp: Option<PathBuf>,
    /// A maturity assessment (JSON) scored against the default grid: the document's maturity radar
    #[arg(long, value_name = "FILE")]
    pub assessment: Option<PathBuf>,
    /// Also write the whole plan as JSON (Plan::to_json) to FILE
    #[arg(long, value_name = "FILE")]
    pub plan_json: Option<PathBuf>,
    /// A supplier directory, read as `spaser sourcing --suppliers` reads it: the market's capacity makes levers available or not on each line (no reserved contract without eligible structures within reach, insertion hours the market can absorb, labels some supplier holds), the plan lists the levers it ruled out and its reasons cite the figures; `--suppliers` alone takes the embedded sample directory [default: no capacity check]
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub suppliers: Option<Option<PathBuf>>,
    /// The sheet of a workbook supplier directory [default: the first sheet with a header naming the supplier]
    #[arg(long, value_name = "NAME")]
    pub suppliers_sheet: Option<String>,
    /// Refuse a supplier directory with rejected rows (exit 1, every rejected row listed), as `spaser sourcing --strict`
    #[arg(long)]
    pub suppliers_strict: bool,
    #[command(flatten)]
    pub perimeter: crate::sourcing::Perimeter,
    /// Turn a capacity check of --suppliers off (repeatable)
    #[arg(long, value_enum, value_name = "CHECK")]
    pub no_capacity_check: Vec<Check>,
    /// Replace the programme by a generated one of N lines (benchmarks; binding capacity)
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Seed of --synthetic
    #[arg(long, value_name = "S", default_value_t = 1, requires = "synthetic")]
    pub seed: u64,
    #[command(flatten)]
    pub common: Common,
}

/// `--no-capacity-check` values: the capacity checks of `--suppliers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Check {
    /// Reserved contracts need eligible structures within reach
    Reserved,
    /// Insertion hours must fit what the inclusive structures can absorb
    Insertion,
    /// Label requirements need at least `label_min` (3) suppliers within reach holding the label
    Labels,
}

/// The inputs of the planner, built from the arguments.
struct Inputs {
    programme: Programme,
    targets: Targets,
    catalogue: Option<Catalogue>,
}

fn inputs(args: &Args) -> Result<Inputs, Failure> {
    let rulebook = Rulebook::embedded();
    let catalogue = match &args.catalogue {
        Some(path) => Some(
            Catalogue::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let programme = match (&args.programme, args.synthetic) {
        (_, Some(n)) => spaser::synthetic_programme(n, args.seed, args.buyer_kind)?,
        (Some(path), None) => {
            crate::programme::load_with(path, args.buyer_kind, &args.read, Some(&args.common))?
        }
        (None, None) => {
            // the sample's purchases with the buyer profile of --buyer, when given
            let mut p = Programme::sample().clone();
            if let Some(profile) = &args.read.buyer {
                input::bytes(profile)?;
                p.buyer = spaser::Buyer::from_path(profile).map_err(Failure::data)?;
            }
            p
        }
    };
    let mut targets = match &args.targets {
        Some(path) => {
            input::bytes(path)?;
            Targets::from_path(path, &ReadOptions::default()).map_err(Failure::data)?
        }
        None => Targets::defaults_for(&programme, rulebook),
    };
    if args.synthetic.is_some() && args.targets.is_none() {
        targets.targets.extend(spaser::synthetic_targets()?.targets);
    }
    Ok(Inputs {
        programme,
        targets,
        catalogue,
    })
}

/// Runs `spaser plan`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(
        &args.common,
        "plan",
        &[Format::Text, Format::Markdown, Format::Html, Format::Json],
    )?;
    let lang = output::text_lang(&args.common, "plan", &[Lang::Fr, Lang::En]).lib();
    if args.programme.is_some() && args.synthetic.is_some() {
        return Err(Failure::Usage(
            "--programme and --synthetic cannot be used together".into(),
        ));
    }
    if args.suppliers.is_none()
        && (args.perimeter.given()
            || args.suppliers_sheet.is_some()
            || args.suppliers_strict
            || !args.no_capacity_check.is_empty())
    {
        return Err(Failure::Usage(
            "--departement, --reach, --thresholds, --suppliers-sheet, --suppliers-strict and --no-capacity-check need --suppliers"
                .into(),
        ));
    }
    let Inputs {
        programme,
        targets,
        catalogue,
    } = inputs(args)?;
    let rulebook = Rulebook::embedded();
    let planner = Planner::new(
        catalogue.as_ref().unwrap_or(Catalogue::embedded()),
        rulebook,
    );
    let (file_options, lead_times) = match &args.options {
        Some(path) => {
            let o = crate::programme::options(path)?;
            (Some(o.plan), o.lead_times)
        }
        None => (None, LeadTimes::default()),
    };
    let options = match (args.capacity_hours, args.synthetic, file_options) {
        (Some(c), _, Some(o)) => o.capacity_every_year(c),
        (None, _, Some(o)) => o,
        (Some(c), _, None) => PlanOptions::default().capacity_every_year(c),
        // binding: the hours the obligations force, plus 5 % of what the programme could
        // absorb beyond them
        (None, Some(_), None) => {
            planner.binding_capacity(&programme, &targets, PlanOptions::default())?
        }
        (None, None, None) => PlanOptions::default().capacity_every_year(Decimal::from(3000)),
    };
    let options = match &args.suppliers {
        Some(path) => options.sourcing(availability(
            args,
            path.as_deref(),
            &programme,
            catalogue.as_ref().unwrap_or(Catalogue::embedded()),
        )?),
        None => options,
    };
    if let Some(path) = &args.lp {
        let problem = planner.problem(&programme, &targets, &options)?;
        output::write_file(path, problem.to_lp().as_bytes())?;
        output::note(&args.common, &format!("wrote {}", path.display()));
    }
    let plan = match &args.check_solution {
        Some(path) => planner
            .plan_from_solution(&programme, &targets, &options, &input::text(path)?)
            .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        None => planner.plan(&programme, &targets, &options)?,
    };
    if let Some(path) = &args.lp_effort {
        let problem = planner.problem(&programme, &targets, &options)?;
        let lp = problem.to_lp_with(spaser::LpObjective::Effort {
            max_shortfall: plan.shortfall.value,
        });
        output::write_file(path, lp.as_bytes())?;
        output::note(&args.common, &format!("wrote {}", path.display()));
    }
    if let Some(path) = &args.plan_json {
        output::write_file(path, (plan.to_json()? + "\n").as_bytes())?;
        output::note(&args.common, &format!("wrote {}", path.display()));
    }

    // the document: the programme's buyer profile, and what the options give
    let actuals = match &args.decp {
        Some(path) => Some(past_indicators(
            path,
            programme.buyer.siret.as_ref(),
            &args.common,
        )?),
        None => None,
    };
    let scorecard = match &args.assessment {
        Some(path) => {
            let a = spaser::maturity::Assessment::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
            Some(spaser::maturity::score(
                spaser::maturity::Grid::spaser(),
                &a,
            )?)
        }
        None => None,
    };
    let mut doc_input = DocumentInput::new(&programme)
        .lang(lang)
        .lead_times(lead_times);
    if let Some(d) = args.date {
        doc_input = doc_input.date(d);
    }
    if let Some(t) = &actuals {
        doc_input = doc_input.actuals(t);
    }
    if let Some(c) = &scorecard {
        doc_input = doc_input.scorecard(c);
    }
    let doc = Document::new(&plan, &doc_input)?;
    let html = args.common.format == Format::Html;
    if let Some(dir) = &args.sheets {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Data(format!("cannot create {}: {e}", dir.display())))?;
        for s in doc.sheets() {
            let (text, ext) = if html {
                (s.to_html(), "html")
            } else {
                (s.to_markdown() + "\n", "md")
            };
            output::write_file(
                &dir.join(format!("{}.{ext}", s.file_stem())),
                text.as_bytes(),
            )?;
        }
        output::note(
            &args.common,
            &format!("wrote {} sheets into {}", doc.sheets().len(), dir.display()),
        );
    }
    let text = match args.common.format {
        Format::Json => doc.to_json()? + "\n",
        Format::Html => doc.to_html(),
        _ => {
            // the charts the Markdown refers to, next to the output file
            let charts: Vec<(String, String)> =
                doc.charts().into_iter().map(|c| (c.file, c.svg)).collect();
            output::charts_next_to_output(&args.common, &charts)?;
            doc.to_markdown() + "\n"
        }
    };
    output::emit(&args.common, &text)
}

/// The levers the market's capacity makes available on each line, from the supplier
/// directory (`None`: the embedded sample) and the perimeter options.
fn availability(
    args: &Args,
    path: Option<&std::path::Path>,
    programme: &Programme,
    catalogue: &Catalogue,
) -> Result<LeverAvailability, Failure> {
    let read = crate::sourcing::read_directory(
        path,
        args.suppliers_sheet.as_deref(),
        args.suppliers_strict.then_some("--suppliers-strict"),
        &args.common,
    )?;
    let sample = args.programme.is_none() && args.synthetic.is_none();
    let sourcing = args.perimeter.options(sample)?;
    let capacity = Capacity::compute(programme, &read.directory, &sourcing);
    let mut a = LeverAvailability::compute(programme, &capacity, catalogue, &sourcing)?;
    for c in &args.no_capacity_check {
        a = match c {
            Check::Reserved => a.reserved(false),
            Check::Insertion => a.insertion(false),
            Check::Labels => a.labels(false),
        };
    }
    Ok(a)
}

/// The standard indicators of the contracts of a DECP file (the `marches` table), of any
/// format `spaser decp` reads: the buyer's own (its SIREN) when its SIRET is known, with a
/// note of what was left out.
fn past_indicators(
    path: &std::path::Path,
    buyer: Option<&spaser::Siret>,
    common: &crate::Common,
) -> Result<IndicatorTable, Failure> {
    let mut options = spaser::decp::Options::default()
        .strategy(false)
        .quality(false)
        .names(false);
    if let Some(siret) = buyer {
        options = options.filter(crate::decp::buyer_filter(siret));
    }
    let report = crate::decp::read(&[path], options)?;
    if let Some(note) = crate::decp::left_out_by_buyer(&report, spaser::Lang::En) {
        output::note(common, &note);
    }
    Ok(report.actuals.marches)
}
