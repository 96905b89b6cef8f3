//! Maturity of a purchasing function: scores an assessment against the default grid "SPASER
//! maturity" and prints the level per theme, the score, the stars and the next actions.
//!
//! ```sh
//! cargo run --example maturity                          # embedded sample assessment
//! cargo run --example maturity -- my_assessment.json    # your own assessment
//! cargo run --example maturity -- --decp decp.json      # automatic criteria from DECP actuals
//! cargo run --example maturity -- --json                # machine-readable output
//! ```
//!
//! Options: `--programme` (project the embedded sample programme's planned considerations
//! through the indicator engine, for the criteria read on the plan), `--grid FILE` (a grid in the documented JSON format instead of the default),
//! `--coverage SHARE` (the share of the year's spend covered by the programme, for the
//! `programme_coverage` criteria), `--decp FILE` (a DECP file, 2019 or 2024 format, read by
//! `spaser::decp`: the marchés it holds feed the grid's indicator engine and fill the automatic
//! criteria that the assessment does not answer; manual answers override them, visibly).
//!
//! `--json` prints `{"themes":[{"id","level","points","potential","score"}],"score","stars",
//! "actions":[…]}` with every decimal as a string (scores rounded to 4 decimals).

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;
use spaser::maturity::{
    Assessment, Evidence, FACT_PROGRAMME_COVERAGE, Grid, Origin, ScoreOptions, Scorecard, Source,
    actions, score_with,
};
use spaser::{Share, decp};

#[path = "support/output.rs"]
mod output;

const SAMPLE: &str = include_str!("../src/data/maturity_sample_assessment.json");

struct Args {
    assessment: Option<String>,
    grid: Option<String>,
    decp: Option<String>,
    coverage: Option<String>,
    programme: bool,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        assessment: None,
        grid: None,
        decp: None,
        coverage: None,
        programme: false,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--json" => args.json = true,
            "--programme" => args.programme = true,
            "--decp" => args.decp = Some(value("--decp")?),
            "--grid" => args.grid = Some(value("--grid")?),
            "--coverage" => args.coverage = Some(value("--coverage")?),
            "-h" | "--help" => {
                return Err(
                    "usage: maturity [ASSESSMENT.json] [--json] [--decp FILE] [--programme] [--grid FILE] [--coverage SHARE]"
                        .into(),
                );
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => {
                if args.assessment.replace(s.to_string()).is_some() {
                    return Err("give at most one assessment file".into());
                }
            }
        }
    }
    Ok(args)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("maturity: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let custom_grid;
    let grid: &Grid = match &args.grid {
        Some(path) => {
            custom_grid = Grid::from_json(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
            &custom_grid
        }
        None => Grid::spaser(),
    };
    let (text, origin) = match &args.assessment {
        Some(path) => (read(path)?, path.as_str()),
        None => (SAMPLE.to_string(), "embedded sample"),
    };
    let assessment = Assessment::from_json(&text).map_err(|e| format!("{origin}: {e}"))?;

    let mut evidence = Evidence::new();
    let mut decp_note = None;
    if let Some(path) = &args.decp {
        let (table, note) = decp_table(grid, path)?;
        evidence = evidence.with_table(Source::Actuals, table);
        decp_note = Some(note);
    }
    if args.programme {
        let programme = spaser::Programme::sample();
        evidence = evidence.with_purchases(
            Source::Plan,
            grid,
            programme.lines.iter().map(|l| l.purchase()),
        );
    }
    if let Some(c) = &args.coverage {
        let share: Share = c.parse().map_err(|e| format!("--coverage: {e}"))?;
        evidence = evidence.with_fact(FACT_PROGRAMME_COVERAGE, share);
    }

    let card = score_with(grid, &assessment, &evidence, &ScoreOptions::default())
        .map_err(|e| format!("{origin}: {e}"))?;
    let plan = actions(grid, &card).map_err(|e| e.to_string())?;

    let text = if args.json {
        format!("{}\n", to_json(&card, &plan))
    } else {
        render_text(grid, &card, &plan, origin, decp_note.as_deref())
    };
    output::write_stdout(&text)
}

/// Reads a DECP file (2019 or 2024 format) with the crate's lenient reader and computes the
/// grid's indicators ([`Grid::engine`]) on its marchés, keyed by notification date.
/// Concessions are not counted (the grid's rules speak of contracts notified); duplicates count
/// once; rejected records are listed.
fn decp_table(grid: &Grid, path: &str) -> Result<(spaser::IndicatorTable, String), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let data = decp::read(std::io::BufReader::new(file)).map_err(|e| format!("{path}: {e}"))?;
    let mut engine = grid.engine();
    let mut buf = Vec::new();
    let mut used = 0u64;
    for c in &data.contracts {
        if let Some(p) = decp::purchase_of(c, &mut buf) {
            engine.add(&p);
            used += 1;
        }
    }
    let a = &data.accounting;
    let mut note = format!(
        "{path}: {} records read, {used} marchés counted, {} concessions not counted, {} duplicates counted once, {} rejected, {} warnings",
        a.read,
        data.concessions.len(),
        a.duplicates,
        a.rejected,
        a.warnings
    );
    for r in &data.rejected {
        note.push_str(&format!("\n    rejected {r}"));
    }
    Ok((engine.finish(), note))
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

/// The `--json` document; field order as documented.
#[derive(Serialize)]
struct JsonOut<'a> {
    themes: Vec<JsonTheme<'a>>,
    score: Option<String>,
    stars: u8,
    actions: Vec<JsonAction<'a>>,
}

#[derive(Serialize)]
struct JsonTheme<'a> {
    id: &'a str,
    level: u8,
    points: String,
    potential: String,
    score: Option<String>,
}

#[derive(Serialize)]
struct JsonAction<'a> {
    theme: &'a str,
    level: u8,
    criterion: &'a str,
    points: u32,
    gain: String,
    automatic: bool,
    text: &'a str,
}

fn to_json(card: &Scorecard, plan: &[spaser::maturity::Action]) -> String {
    let score = |s: Option<Share>| s.map(|s| s.round_dp(4).to_string());
    let out = JsonOut {
        themes: card
            .themes
            .iter()
            .map(|t| JsonTheme {
                id: &t.id,
                level: t.level,
                points: decimal_string(t.points),
                potential: decimal_string(t.potential),
                score: score(t.score),
            })
            .collect(),
        score: score(card.score),
        stars: card.stars,
        actions: plan
            .iter()
            .map(|a| JsonAction {
                theme: &a.theme,
                level: a.level,
                criterion: &a.criterion,
                points: a.points,
                gain: decimal_string(a.gain),
                automatic: a.automatic,
                text: &a.text.en,
            })
            .collect(),
    };
    // Only strings and integers: serialization cannot fail.
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

fn render_text(
    grid: &Grid,
    card: &Scorecard,
    plan: &[spaser::maturity::Action],
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

    out.push('\n');
    let _ = writeln!(
        out,
        "next actions (per theme, the unmet criteria of the next level, most points first):"
    );
    let mut current = "";
    for a in plan {
        if a.theme != current {
            current = &a.theme;
            let name = grid
                .theme(&a.theme)
                .map_or(a.theme.as_str(), |t| t.name.en.as_str());
            let _ = writeln!(out, "  {name} → level {}", a.level);
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
