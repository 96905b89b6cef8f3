//! `spaser lcc`: the life-cycle cost of the offers of a tender (R2152-9, R2152-10), by cost
//! item and year, their ranks and, when the study has a scoring, their scores.

use std::path::PathBuf;

use clap::ValueEnum;
use rust_decimal::Decimal;
use spaser::lcc::{Convention, Parameters, RateBasis, Scoring, ScoringFormula, Study};

use crate::{Common, Failure, Format, Lang, input, output};

/// Discounting convention (`--convention`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConventionArg {
    /// Flows at the beginning of their year
    Beginning,
    /// Flows in the middle of their year
    Middle,
    /// Flows at the end of their year
    End,
}

/// Rate basis (`--basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BasisArg {
    /// Constant euros
    Real,
    /// Current euros
    Nominal,
}

/// Scoring formula (`--scoring`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoringArg {
    /// Lowest LCC full marks, the others max × lowest / LCC
    LowestRatio,
    /// Full marks minus a share proportional to the gap to the lowest
    ProportionalGap,
    /// Linear between --lower (full marks) and --upper (0), or the lowest and highest offers
    LinearBetween,
}

/// Arguments of `spaser lcc`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no FILE: the embedded sample (three offers of 100 laptops over 5 years).\nA JSON study carries its method (parameters) and scoring; a CSV of offers (one cost item per row) takes them from --horizon, --rate, --basis, --convention and --scoring.\nText is a table of the offers; markdown adds the discounted costs year by year; JSON is the library's LccResult."
)]
pub struct Args {
    /// The study: JSON (parameters, scoring, offers) or CSV (offers; the method from the options)
    #[arg(value_name = "OFFERS")]
    pub file: Option<PathBuf>,
    /// Horizon in years of use (CSV offers)
    #[arg(long, value_name = "YEARS")]
    pub horizon: Option<u32>,
    /// Discount rate, e.g. 0.04 or 4% (CSV offers)
    #[arg(long, value_name = "RATE")]
    pub rate: Option<String>,
    /// Whether the rate and prices are real or nominal (CSV offers)
    #[arg(long, value_enum, default_value_t = BasisArg::Real)]
    pub basis: BasisArg,
    /// Discounting convention (CSV offers)
    #[arg(long, value_enum, default_value_t = ConventionArg::End)]
    pub convention: ConventionArg,
    /// Calendar year of year 0 (CSV offers)
    #[arg(long, value_name = "YEAR")]
    pub base_year: Option<i32>,
    /// Score the LCCs with this formula (replaces the study's scoring)
    #[arg(long, value_enum)]
    pub scoring: Option<ScoringArg>,
    /// Points of the cost criterion
    #[arg(
        long,
        value_name = "POINTS",
        default_value = "100",
        requires = "scoring"
    )]
    pub points: Decimal,
    /// LCC that gets full marks (linear-between)
    #[arg(long, value_name = "EUROS", requires = "scoring")]
    pub lower: Option<Decimal>,
    /// LCC that gets 0 (linear-between)
    #[arg(long, value_name = "EUROS", requires = "scoring")]
    pub upper: Option<Decimal>,
    #[command(flatten)]
    pub common: Common,
}

fn study(args: &Args) -> Result<Study, Failure> {
    let Some(path) = &args.file else {
        return Ok(Study::sample().clone());
    };
    let shown = path.display();
    let bytes = input::bytes(path)?;
    let looks_json = path.to_string_lossy().to_lowercase().ends_with(".json")
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if looks_json {
        let text = String::from_utf8(bytes).map_err(|e| {
            Failure::Data(format!(
                "{shown}: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        return Study::from_json(&text).map_err(|e| Failure::Data(format!("{shown}: {e}")));
    }
    let (Some(horizon), Some(rate)) = (args.horizon, &args.rate) else {
        return Err(Failure::Usage(
            "a CSV of offers needs --horizon and --rate (the method of the study)".into(),
        ));
    };
    let rate = parse_rate(rate)?;
    let basis = match args.basis {
        BasisArg::Real => RateBasis::Real,
        BasisArg::Nominal => RateBasis::Nominal,
    };
    let convention = match args.convention {
        ConventionArg::Beginning => Convention::BeginningOfYear,
        ConventionArg::Middle => Convention::MiddleOfYear,
        ConventionArg::End => Convention::EndOfYear,
    };
    let mut p = Parameters::new(horizon, rate, basis, convention)?;
    if let Some(y) = args.base_year {
        p = p.with_base_year(y);
    }
    Study::from_csv(bytes.as_slice(), p).map_err(|e| Failure::Data(format!("{shown}: {e}")))
}

fn parse_rate(text: &str) -> Result<Decimal, Failure> {
    let t = text.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let d = num
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| Failure::Usage(format!("--rate \"{text}\" is not a rate (0.04 or 4%)")))?;
    Ok(if pct { d / Decimal::ONE_HUNDRED } else { d })
}

/// Runs `spaser lcc`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(
        &args.common,
        "lcc",
        &[Format::Text, Format::Markdown, Format::Json],
    )?;
    let lang = output::text_lang(&args.common, "lcc", &[Lang::Fr, Lang::En]).lib();
    let mut study = study(args)?;
    if let Some(s) = args.scoring {
        let formula = match s {
            ScoringArg::LowestRatio => ScoringFormula::LowestRatio,
            ScoringArg::ProportionalGap => ScoringFormula::ProportionalGap,
            ScoringArg::LinearBetween => ScoringFormula::LinearBetween {
                lower: args.lower,
                upper: args.upper,
            },
        };
        study = study.with_scoring(Scoring::new(formula, args.points)?);
    }
    let result = study.compute()?;
    let text = match args.common.format {
        Format::Json => {
            let mut s = result.to_json()?;
            s.push('\n');
            s
        }
        Format::Markdown => result.to_markdown(lang),
        _ => result.to_text(lang),
    };
    output::emit(&args.common, &text)
}
