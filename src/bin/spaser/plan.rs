//! `spaser plan`: the main job — from a purchasing programme, SPASER targets and the lever
//! catalogue, the plan (which levers on which purchases, meeting every legal obligation and
//! reaching the targets at least effort) and its report.

use std::path::PathBuf;

use rust_decimal::Decimal;
use spaser::{
    BuyerKind, Catalogue, PlanOptions, Planner, Programme, ReadOptions, Rulebook, Targets,
};

use crate::{Common, Failure, Format, Lang, input, output};

/// Arguments of `spaser plan`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no argument: the embedded sample programme, the default targets for it (PNAD, AGEC per category present, EGalim when there is food), the embedded catalogue and rulebook, and a facilitator capacity of 3,000 insertion hours a year.\nText output is the Markdown SPASER report; JSON is the whole Plan (Plan::to_json)."
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
    /// Also write the planning problem in CPLEX LP format to FILE (for HiGHS, CBC, Gurobi)
    #[arg(long, value_name = "FILE")]
    pub lp: Option<PathBuf>,
    /// Replace the programme by a generated one of N lines (benchmarks; binding capacity)
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Seed of --synthetic
    #[arg(long, value_name = "S", default_value_t = 1, requires = "synthetic")]
    pub seed: u64,
    #[command(flatten)]
    pub common: Common,
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
        (None, None) => Programme::sample().clone(),
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
        &[Format::Text, Format::Markdown, Format::Json],
    )?;
    output::text_lang(&args.common, "plan", &[Lang::En]);
    if args.programme.is_some() && args.synthetic.is_some() {
        return Err(Failure::Usage(
            "--programme and --synthetic cannot be used together".into(),
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
    let file_options = match &args.options {
        Some(path) => Some(crate::programme::options(path)?.plan),
        None => None,
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
    if let Some(path) = &args.lp {
        let problem = planner.problem(&programme, &targets, &options)?;
        output::write_file(path, problem.to_lp().as_bytes())?;
        output::note(&args.common, &format!("wrote {}", path.display()));
    }
    let plan = planner.plan(&programme, &targets, &options)?;
    let text = match args.common.format {
        Format::Json => {
            let mut s = plan.to_json()?;
            s.push('\n');
            s
        }
        _ => plan.to_markdown(),
    };
    output::emit(&args.common, &text)
}
