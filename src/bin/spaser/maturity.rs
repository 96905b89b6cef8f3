//! `spaser maturity`: scores an assessment against a maturity grid (the embedded "SPASER
//! maturity" by default), with automatic criteria answered from DECP actuals or a programme,
//! the next actions and, with `--previous`, the progress since an earlier assessment.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use spaser::maturity::{
    Action, Assessment, Evidence, FACT_PROGRAMME_COVERAGE, Grid, Origin, Progress, ScoreOptions,
    Scorecard, Source, actions, progress, score_with,
};
use spaser::{
    BuyerKind, Catalogue, PlanOptions, Planner, Programme, Rulebook, Share, Targets, decp,
};

use crate::{Common, Failure, Format, Lang, input, output};

const SAMPLE: &str = include_str!("../../data/maturity_sample_assessment.json");

/// Arguments of `spaser maturity`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "With no ASSESSMENT: the embedded sample assessment.\nJSON: {\"scorecard\", \"actions\", \"progress\"} — the library's Scorecard, actions() and progress() (see docs/cli.md)."
)]
pub struct Args {
    /// The assessment, JSON [default: the embedded sample]
    #[arg(value_name = "ASSESSMENT")]
    pub assessment: Option<PathBuf>,
    /// A grid in the documented JSON format [default: the embedded "SPASER maturity"]
    #[arg(long, value_name = "FILE")]
    pub grid: Option<PathBuf>,
    /// A DECP file (JSON or XML, 2019 or 2024 format, the consolidated CSV or Parquet; `-`
    /// for standard input): its marchés answer the automatic criteria the
    /// assessment leaves open
    #[arg(long, value_name = "FILE")]
    pub decp: Option<PathBuf>,
    /// Read only the marchés of this buyer (SIRET) in the DECP file: a criterion whose year
    /// or buyer the file does not cover says so
    #[arg(long, value_name = "SIRET", requires = "decp")]
    pub buyer: Option<spaser::Siret>,
    /// Plan a programme and read the plan's planned levers for the criteria read on the plan:
    /// FILE (CSV or JSON), or the embedded sample when no FILE follows (put ASSESSMENT first).
    /// Without --coverage, the programme coverage is computed (the year's programme value ÷
    /// the buyer's expenditure, or ÷ its contracts in --decp)
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub programme: Option<Option<PathBuf>>,
    /// The share of the year's spend covered by the programme (e.g. 0.8), for the
    /// programme_coverage criteria
    #[arg(long, value_name = "SHARE")]
    pub coverage: Option<Share>,
    /// An earlier assessment: print the progress since it (scored with the same grid and
    /// figures)
    #[arg(long, value_name = "ASSESSMENT")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// The `--format json` document: the library's results with every field.
#[derive(Serialize)]
struct MaturityJson<'a> {
    scorecard: &'a Scorecard,
    actions: &'a [Action],
    #[serde(skip_serializing_if = "Option::is_none")]
    progress: Option<&'a Progress>,
}

/// The inputs of the score, built from the arguments.
struct Inputs {
    grid: Option<Grid>,
    assessment: Assessment,
    origin: String,
    evidence: Evidence,
    decp_note: Option<String>,
}

fn assessment(path: &Path) -> Result<Assessment, Failure> {
    Assessment::from_json(&input::text(path)?)
        .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))
}

fn inputs(args: &Args) -> Result<Inputs, Failure> {
    let grid = match &args.grid {
        Some(path) => Some(
            Grid::from_json(&input::text(path)?)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let g = grid.as_ref().unwrap_or(Grid::spaser());
    let (assessment, origin) = match &args.assessment {
        Some(path) => (assessment(path)?, path.display().to_string()),
        None => (
            Assessment::from_json(SAMPLE)
                .map_err(|e| Failure::Data(format!("embedded sample: {e}")))?,
            "embedded sample".to_string(),
        ),
    };
    let mut evidence = Evidence::new();
    let mut decp_note = None;
    let mut contracts = Vec::new();
    if let Some(path) = &args.decp {
        let (table, note, data) = decp_table(g, path, args.buyer.as_ref())?;
        match &args.buyer {
            Some(siret) => {
                evidence = evidence.with_actuals_of(g, siret, &data);
                let scope = evidence.scope(Source::Actuals).cloned().unwrap_or_default();
                decp_note = Some(format!(
                    "{note}\n    buyer {siret} only: {} marchés read, {} of its SIREN's other establishments ignored",
                    scope.records, scope.other_buyers
                ));
            }
            None => {
                evidence = evidence.with_table(Source::Actuals, table);
                decp_note = Some(note);
            }
        }
        contracts = data;
    }
    if let Some(file) = &args.programme {
        let loaded;
        let programme = match file {
            Some(path) => {
                loaded = crate::programme::load(path, BuyerKind::OtherContractingAuthority)?;
                &loaded
            }
            None => Programme::sample(),
        };
        // the plan's planned levers, not the considerations typed before planning
        let rulebook = Rulebook::embedded();
        let targets = Targets::defaults_for(programme, rulebook);
        let plan = Planner::new(Catalogue::embedded(), rulebook).plan(
            programme,
            &targets,
            &PlanOptions::default(),
        )?;
        evidence = evidence.with_plan(g, programme, &plan, Catalogue::embedded())?;
        if args.coverage.is_none() {
            evidence = evidence.with_programme_coverage(
                programme,
                assessment.reference_year(),
                &contracts,
            );
        }
    }
    if let Some(share) = args.coverage {
        evidence = evidence.with_fact(FACT_PROGRAMME_COVERAGE, share);
    }
    Ok(Inputs {
        grid,
        assessment,
        origin,
        evidence,
        decp_note,
    })
}

/// Runs `spaser maturity`.
pub fn run(args: &Args) -> Result<(), Failure> {
    output::check_format(&args.common, "maturity", &[Format::Text, Format::Json])?;
    output::text_lang(&args.common, "maturity", &[Lang::En]);
    let inputs = inputs(args)?;
    let grid = inputs.grid.as_ref().unwrap_or(Grid::spaser());
    let options = ScoreOptions::default();
    let origin = inputs.origin.as_str();
    let card = score_with(grid, &inputs.assessment, &inputs.evidence, &options)
        .map_err(|e| Failure::Data(format!("{origin}: {e}")))?;
    let plan = actions(grid, &card)?;
    let change = match &args.previous {
        Some(path) => {
            let before = score_with(grid, &assessment(path)?, &inputs.evidence, &options)
                .map_err(|e| Failure::Data(format!("{}: {e}", path.display())))?;
            Some((
                progress(&before, &card)?,
                before,
                path.display().to_string(),
            ))
        }
        None => None,
    };
    let text = match args.common.format {
        Format::Json => output::json(&MaturityJson {
            scorecard: &card,
            actions: &plan,
            progress: change.as_ref().map(|(p, _, _)| p),
        })?,
        _ => {
            let mut t = render_text(grid, &card, &plan, origin, inputs.decp_note.as_deref());
            if let Some((p, before, path)) = &change {
                progress_text(&mut t, grid, p, before, path);
            }
            t
        }
    };
    output::emit(&args.common, &text)
}

/// Reads a DECP file of any format `spaser decp` reads (JSON or XML, 2019 or 2024 format, the
/// consolidated CSV or Parquet) with the crate's lenient readers and computes the grid's
/// indicators ([`Grid::engine`]) on its marchés, keyed by notification date. Concessions are
/// not counted (the grid's rules speak of contracts notified); duplicates count once; rejected
/// records are listed.
fn decp_table(
    grid: &Grid,
    path: &Path,
    buyer: Option<&spaser::Siret>,
) -> Result<(spaser::IndicatorTable, String, Vec<decp::AwardedContract>), Failure> {
    let shown = input::name(path);
    let mut options = decp::Options::totals_only()
        .full(true)
        .contracts(true)
        .keep_diagnostics(true);
    if let Some(siret) = buyer {
        options = options.filter(crate::decp::buyer_filter(siret));
    }
    let report = crate::decp::read(&[path], options)?;
    let mut engine = grid.engine();
    let mut buf = Vec::new();
    let mut used = 0u64;
    for c in &report.contracts {
        if let Some(p) = decp::purchase_of(c, &mut buf) {
            engine.add(&p);
            used += 1;
        }
    }
    let a = &report.accounting;
    let kept: u64 = report.files.iter().map(|f| f.kept).sum();
    let mut note = format!(
        "{shown}: {} records read, {used} marchés counted, {} concessions not counted, {} duplicates counted once, {} rejected, {} warnings",
        a.read,
        kept.saturating_sub(report.contracts.len() as u64),
        a.duplicates,
        a.rejected,
        a.warnings
    );
    if let Some(left_out) = crate::decp::left_out_by_buyer(&report) {
        let _ = write!(note, "\n    {left_out}");
    }
    for r in report.files.iter().flat_map(|f| &f.rejected) {
        let _ = write!(note, "\n    rejected {r}");
    }
    Ok((engine.finish(), note, report.contracts))
}

fn pct(s: Option<Share>) -> String {
    match s {
        Some(s) => format!(
            "{:.1} %",
            s.as_decimal() * rust_decimal::Decimal::ONE_HUNDRED
        ),
        None => "n/a".into(),
    }
}

fn decimal_string(d: rust_decimal::Decimal) -> String {
    d.normalize().to_string()
}

fn theme_name<'a>(grid: &'a Grid, id: &'a str) -> &'a str {
    grid.theme(id).map_or(id, |t| t.name.en.as_str())
}

fn render_text(
    grid: &Grid,
    card: &Scorecard,
    plan: &[Action],
    origin: &str,
    decp_note: Option<&str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — assessment of {} by {} ({origin}), reference year {}",
        grid.name().en,
        card.date,
        card.assessor,
        card.reference_year
    );
    if let Some(n) = decp_note {
        let _ = writeln!(out, "DECP actuals: {n}");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "{:<30} {:>5} {:>16} {:>9}",
        "theme", "level", "points", "score"
    );
    for t in &card.themes {
        let _ = writeln!(
            out,
            "{:<30} {:>5} {:>16} {:>9}",
            t.name.en,
            t.level,
            format!(
                "{} / {}",
                decimal_string(t.points),
                decimal_string(t.potential)
            ),
            pct(t.score)
        );
    }
    out.push('\n');
    let thresholds: Vec<String> = ScoreOptions::default()
        .star_thresholds()
        .thresholds()
        .iter()
        .map(|t| pct(Some(*t)))
        .collect();
    let _ = writeln!(
        out,
        "overall: {} / {} points = {}, {} star(s) (stars at {})",
        decimal_string(card.points),
        decimal_string(card.potential),
        pct(card.score),
        card.stars,
        thresholds.join(", ")
    );

    let auto: Vec<_> = card
        .criteria
        .iter()
        .filter(|c| c.origin == Origin::Automatic)
        .collect();
    let overrides: Vec<_> = card.overrides().collect();
    if !auto.is_empty() || !overrides.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "answered from figures:");
        for c in &auto {
            let why = c.automatic.as_ref().map_or("", |e| e.explanation.as_str());
            let _ = writeln!(
                out,
                "  {:<28} {:<8} {why}",
                c.criterion,
                c.status.to_string()
            );
        }
        for c in &overrides {
            let why = c.automatic.as_ref().map_or("", |e| e.explanation.as_str());
            let _ = writeln!(
                out,
                "  {:<28} manual answer \"{}\" overrides the figure: {why}",
                c.criterion, c.status
            );
        }
    }

    let undecided: Vec<_> = card
        .criteria
        .iter()
        .filter(|c| c.origin == Origin::Unanswered)
        .filter_map(|c| Some((c, c.automatic.as_ref()?)))
        .filter(|(_, e)| e.gap.is_some() || e.figure.note.is_some())
        .collect();
    if !undecided.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "not decided by the data given:");
        for (c, e) in undecided {
            let _ = writeln!(out, "  {:<28} {}", c.criterion, e.explanation);
        }
    }

    out.push('\n');
    let _ = writeln!(
        out,
        "next actions (per theme, the unmet criteria of the next level, most points first):"
    );
    let mut current = "";
    for a in plan {
        if a.theme != current {
            current = &a.theme;
            let _ = writeln!(out, "  {} → level {}", theme_name(grid, &a.theme), a.level);
        }
        let auto = if a.automatic { " [measured]" } else { "" };
        let _ = writeln!(
            out,
            "    - {} ({} pts, {} to gain){auto}: {}",
            a.criterion,
            a.points,
            decimal_string(a.gain),
            a.text.en
        );
    }
    out
}

fn progress_text(out: &mut String, grid: &Grid, p: &Progress, before: &Scorecard, path: &str) {
    out.push('\n');
    let _ = writeln!(
        out,
        "progress since the assessment of {} by {} ({path}):",
        before.date, before.assessor
    );
    let _ = writeln!(
        out,
        "{:<30} {:>7} {:>20} {:>19}",
        "theme", "level", "points", "score"
    );
    for t in &p.themes {
        let delta = if t.points_delta.is_sign_negative() {
            decimal_string(t.points_delta)
        } else {
            format!("+{}", decimal_string(t.points_delta))
        };
        let _ = writeln!(
            out,
            "{:<30} {:>7} {:>20} {:>19}",
            theme_name(grid, &t.theme),
            format!("{} → {}", t.level_before, t.level_after),
            format!(
                "{} → {} ({delta})",
                decimal_string(t.points_before),
                decimal_string(t.points_after)
            ),
            format!("{} → {}", pct(t.score_before), pct(t.score_after)),
        );
    }
    let _ = writeln!(
        out,
        "overall: {} → {} points, {} → {}, {} → {} star(s)",
        decimal_string(p.points_before),
        decimal_string(p.points_after),
        pct(p.score_before),
        pct(p.score_after),
        p.stars_before,
        p.stars_after
    );
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let _ = writeln!(out, "newly met: {}", list(&p.newly_met));
    let _ = writeln!(out, "no longer met: {}", list(&p.no_longer_met));
}
