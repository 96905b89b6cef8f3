//! Example `spaser_plan` — the main job: from a purchasing programme, SPASER targets and the
//! lever catalogue, compute the plan (which levers on which purchases, meeting every legal
//! obligation and reaching the targets at least effort) and print the SPASER report.
//!
//! ```sh
//! cargo run --release --example spaser_plan                      # embedded sample → Markdown
//! cargo run --release --example spaser_plan -- --json            # the whole Plan as JSON
//! cargo run --release --example spaser_plan -- --programme plan.csv --buyer-kind central \
//!     --targets targets.json --catalogue levers.json --capacity-hours 2000 --lp plan.lp
//! cargo run --release --example spaser_plan -- --synthetic 10000 --seed 7 --json
//! ```
//!
//! With no argument: the embedded sample programme, the default targets for it
//! (`Targets::defaults_for`: PNAD, AGEC per category present, EGalim when there is food), the
//! embedded catalogue and rulebook, and a facilitator capacity of 3,000 insertion hours a year.
//!
//! `--synthetic N --seed S` replaces the programme by a generated one: N lines over 2026–2030
//! (launch dates uniform), all natures (works 25 %, services 35 %, supplies 40 %) over CPV
//! codes the catalogue's levers apply to (building works, cleaning, green spaces, catering,
//! waste, IT, furniture, paper, textiles, food, vehicles, consulting…), log-normal amounts
//! (median €60,000, σ = 1.3, long tail capped at €20M), six prescribing services, 10 % of lines
//! with an environmental consideration already planned; targets: the defaults plus a social
//! target on the works of service `S1` and an environmental award-criterion target (overlapping
//! filters); capacity: the hours the obligations force plus 5 % of the rest the programme could absorb (binding).

use std::process::ExitCode;

use rust_decimal::Decimal;
use spaser::{Buyer, BuyerKind, Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};

#[path = "support/output.rs"]
mod output;

struct Args {
    programme: Option<String>,
    kind: BuyerKind,
    targets: Option<String>,
    catalogue: Option<String>,
    capacity: Option<Decimal>,
    json: bool,
    lp: Option<String>,
    synthetic: Option<usize>,
    seed: u64,
}

const USAGE: &str = "usage: spaser_plan [--programme FILE.csv|FILE.json] [--buyer-kind central|other|utility|defence] [--targets FILE] [--catalogue FILE] [--capacity-hours H] [--json] [--lp FILE] [--synthetic N --seed S]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        programme: None,
        kind: BuyerKind::OtherContractingAuthority,
        targets: None,
        catalogue: None,
        capacity: None,
        json: false,
        lp: None,
        synthetic: None,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => a.json = true,
            "--programme" => a.programme = Some(value("--programme")?),
            "--targets" => a.targets = Some(value("--targets")?),
            "--catalogue" => a.catalogue = Some(value("--catalogue")?),
            "--lp" => a.lp = Some(value("--lp")?),
            "--buyer-kind" => {
                a.kind = value("--buyer-kind")?
                    .parse()
                    .map_err(|e: spaser::Error| e.to_string())?;
            }
            "--capacity-hours" => {
                let v = value("--capacity-hours")?;
                a.capacity = Some(
                    v.parse()
                        .map_err(|_| format!("--capacity-hours \"{v}\" is not a number"))?,
                );
            }
            "--synthetic" => {
                let v = value("--synthetic")?;
                a.synthetic = Some(
                    v.parse()
                        .map_err(|_| format!("--synthetic \"{v}\" is not a count"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                a.seed = v
                    .parse()
                    .map_err(|_| format!("--seed \"{v}\" is not a number"))?;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let rulebook = Rulebook::embedded();
    let owned_catalogue;
    let catalogue = match &args.catalogue {
        Some(path) => {
            owned_catalogue =
                Catalogue::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
            &owned_catalogue
        }
        None => Catalogue::embedded(),
    };
    let programme = match (&args.programme, args.synthetic) {
        (_, Some(n)) => {
            spaser::synthetic_programme(n, args.seed, args.kind).map_err(|e| e.to_string())?
        }
        (Some(path), None) => {
            let text = read(path)?;
            if path.to_lowercase().ends_with(".json") || text.trim_start().starts_with('{') {
                Programme::from_json(&text)
            } else {
                let name = std::path::Path::new(path)
                    .file_stem()
                    .map_or_else(|| path.clone(), |s| s.to_string_lossy().into_owned());
                Programme::from_csv(text.as_bytes(), Buyer::new(name, args.kind))
            }
            .map_err(|e| format!("{path}: {e}"))?
        }
        (None, None) => Programme::sample().clone(),
    };
    let mut targets = match &args.targets {
        Some(path) => Targets::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?,
        None => Targets::defaults_for(&programme, rulebook),
    };
    let mut options = PlanOptions::default();
    let planner = Planner::new(catalogue, rulebook);
    match (args.capacity, args.synthetic) {
        (Some(c), _) => options = options.capacity_every_year(c),
        (None, Some(_)) => {
            // binding: the hours the obligations force, plus 5 % of what the programme could
            // absorb beyond them
            options = planner
                .binding_capacity(&programme, &targets, options)
                .map_err(|e| e.to_string())?;
        }
        (None, None) => options = options.capacity_every_year(Decimal::from(3000)),
    }
    if args.synthetic.is_some() && args.targets.is_none() {
        let extra = spaser::synthetic_targets().map_err(|e| e.to_string())?;
        targets.targets.extend(extra.targets);
    }
    if let Some(path) = &args.lp {
        let problem = planner
            .problem(&programme, &targets, &options)
            .map_err(|e| e.to_string())?;
        std::fs::write(path, problem.to_lp()).map_err(|e| format!("{path}: {e}"))?;
    }
    let plan = planner
        .plan(&programme, &targets, &options)
        .map_err(|e| e.to_string())?;
    let text = if args.json {
        let mut s = plan.to_json().map_err(|e| e.to_string())?;
        s.push('\n');
        s
    } else {
        plan.to_markdown()
    };
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spaser_plan: {e}");
            ExitCode::FAILURE
        }
    }
}
