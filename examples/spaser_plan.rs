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

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use spaser::{
    Amount, Buyer, BuyerKind, Catalogue, CpvCode, Dimension, Nature, PlanLine, PlanOptions,
    Planner, Programme, Rulebook, Targets,
};

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

/// SplitMix64, for the synthetic programme.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// (CPV, nature, family) of the synthetic programme.
const SEGMENTS: &[(&str, Nature, &str)] = &[
    ("45210000", Nature::Works, "construction"),
    ("45440000", Nature::Works, "peinture"),
    ("45233000", Nature::Works, "voirie"),
    ("45262500", Nature::Works, "maconnerie"),
    ("90910000", Nature::Services, "nettoyage"),
    ("77310000", Nature::Services, "espaces-verts"),
    ("55300000", Nature::Services, "restauration"),
    ("90500000", Nature::Services, "dechets"),
    ("50700000", Nature::Services, "maintenance-batiments"),
    ("79710000", Nature::Services, "gardiennage"),
    ("72000000", Nature::Services, "services-informatiques"),
    ("79400000", Nature::Services, "conseil"),
    ("30213000", Nature::Supplies, "informatique"),
    ("39100000", Nature::Supplies, "mobilier"),
    ("30197600", Nature::Supplies, "papier"),
    ("18100000", Nature::Supplies, "textiles"),
    ("15800000", Nature::Supplies, "denrees"),
    ("15100000", Nature::Supplies, "viandes"),
    ("34100000", Nature::Supplies, "vehicules"),
    ("30125100", Nature::Supplies, "consommables"),
    ("39830000", Nature::Supplies, "produits-entretien"),
    ("09100000", Nature::Supplies, "carburants"),
];

fn synthetic(n: usize, seed: u64, kind: BuyerKind) -> Result<Programme, String> {
    let mut rng = Rng(seed ^ 0x5EED);
    let mut lines = Vec::with_capacity(n);
    for i in 0..n {
        let r = rng.unit();
        let pool: Vec<usize> = (0..SEGMENTS.len())
            .filter(|&s| match SEGMENTS[s].1 {
                Nature::Works => r < 0.25,
                Nature::Services => (0.25..0.60).contains(&r),
                _ => r >= 0.60,
            })
            .collect();
        let (cpv, nature, family) = SEGMENTS[pool[rng.below(pool.len())]];
        let u = rng.unit().max(1e-12);
        let normal = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * rng.unit()).cos();
        let euros = (60_000.0 * (1.3 * normal).exp()).clamp(1_000.0, 20_000_000.0);
        let amount = Amount::new(Decimal::from(euros.round() as i64)).map_err(|e| e.to_string())?;
        let year = 2026 + rng.below(5) as i32;
        let day = rng.below(365) as u32;
        let date = NaiveDate::from_yo_opt(year, day + 1).ok_or("bad date")?;
        let mut line = PlanLine::new(
            format!("S{i:06}"),
            format!("{family} {i}"),
            nature,
            amount,
            date,
        );
        line.cpv = Some(CpvCode::parse(cpv).map_err(|e| e.to_string())?);
        line.family = Some(family.to_string());
        line.service = Some(format!("S{}", rng.below(6) + 1));
        if rng.unit() < 0.10 {
            line.considerations.push(Dimension::Environmental);
        }
        lines.push(line);
    }
    Programme::new(
        Buyer::new(
            format!("Synthetic programme ({n} lines, seed {seed})"),
            kind,
        ),
        lines,
    )
    .map_err(|e| e.to_string())
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
        (_, Some(n)) => synthetic(n, args.seed, args.kind)?,
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
            let mut potential: BTreeMap<i32, Decimal> = BTreeMap::new();
            for line in &programme.lines {
                let ctx = spaser::PurchaseContext::from_line(line, programme.buyer.kind, None);
                let best = catalogue
                    .applicable_line(line, programme.buyer.kind)
                    .iter()
                    .filter_map(|a| a.lever.insertion_hours(&ctx).ok().flatten())
                    .max()
                    .unwrap_or_default();
                *potential.entry(line.launch_date.year()).or_default() += best;
            }
            let forced = planner
                .problem(&programme, &targets, &options)
                .and_then(|p| p.min_hours())
                .map_err(|e| e.to_string())?;
            for (y, p) in potential {
                let need = Decimal::try_from(forced.get(&y).copied().unwrap_or(0.0))
                    .unwrap_or_default()
                    .ceil();
                let cap = need + ((p - need).max(Decimal::ZERO) * Decimal::new(5, 2)).round();
                options = options.capacity(y, cap);
            }
        }
        (None, None) => options = options.capacity_every_year(Decimal::from(3000)),
    }
    if args.synthetic.is_some() && args.targets.is_none() {
        let years: Vec<i32> = (2026..=2030).collect();
        let extra = format!(
            r#"{{"targets":[
              {{"id":"works-social-s1","dimension":"social","basis":"value","filter":{{"natures":["works"],"services":["S1"]}},
                "trajectory":{{{}}},"source":"synthetic: service S1 works"}},
              {{"id":"env-award-criterion","dimension":"environmental","instruments":["award_criterion"],"basis":"count",
                "filter":{{"min_amount":"40000"}},"trajectory":{{{}}},"source":"synthetic"}}]}}"#,
            years
                .iter()
                .enumerate()
                .map(|(i, y)| format!("\"{y}\":\"0.{}\"", 30 + 5 * i))
                .collect::<Vec<_>>()
                .join(","),
            years
                .iter()
                .enumerate()
                .map(|(i, y)| format!("\"{y}\":\"0.{}\"", 20 + 10 * i))
                .collect::<Vec<_>>()
                .join(","),
        );
        let extra = Targets::from_json(&extra).map_err(|e| e.to_string())?;
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
    if args.json {
        println!("{}", plan.to_json().map_err(|e| e.to_string())?);
    } else {
        print!("{}", plan.to_markdown());
    }
    Ok(())
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
