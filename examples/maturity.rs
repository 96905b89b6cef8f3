//! The maturity of a purchasing function through the API: score an assessment against the
//! embedded grid "SPASER maturity", answer automatic criteria from figures, list the next
//! actions and measure the progress between two assessments.
//!
//! ```sh
//! cargo run --example maturity                          # the embedded sample assessment
//! cargo run --example maturity -- my_assessment.json    # your own assessment
//! ```
//!
//! DECP figures, a programme, another grid, JSON and `--previous` are in the command:
//! `cargo run --features cli -- maturity --help`.

use std::process::ExitCode;

use spaser::maturity::{
    Assessment, Evidence, Grid, ScoreOptions, Source, actions, progress, score, score_with,
};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

const SAMPLE: &str = include_str!("../src/data/maturity_sample_assessment.json");

fn run() -> Result<(), String> {
    let text = match args::file_arg("maturity [ASSESSMENT.json]") {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?,
        None => SAMPLE.to_string(),
    };
    // 1. The grid (7 themes × 5 levels × 3 criteria) and an assessment: met, not met, partly,
    //    not applicable, with evidence.
    let grid = Grid::spaser();
    let assessment = Assessment::from_json(&text).map_err(|e| e.to_string())?;

    // 2. Evidence: the planned considerations of the sample programme, projected through the
    //    indicator engine, answer the automatic criteria read on the plan (DECP actuals would
    //    answer those read on contracts: `Source::Actuals`).
    let programme = spaser::Programme::sample();
    let evidence = Evidence::new().with_purchases(
        Source::Plan,
        grid,
        programme.lines.iter().map(|l| l.purchase()),
    );

    // 3. Score: level and points per theme, overall score and stars.
    let card = score_with(grid, &assessment, &evidence, &ScoreOptions::default())
        .map_err(|e| e.to_string())?;
    let mut out = format!(
        "{} by {}: {} / {} points, {} star(s)\n",
        card.date, card.assessor, card.points, card.potential, card.stars
    );
    for t in &card.themes {
        out.push_str(&format!("  {:<32} level {}\n", t.name.en, t.level));
    }

    // 4. The next step of each theme: the unmet criteria of its next level, most points first.
    for a in actions(grid, &card)
        .map_err(|e| e.to_string())?
        .iter()
        .take(5)
    {
        out.push_str(&format!(
            "  next: {} ({} pts): {}\n",
            a.criterion, a.points, a.text.en
        ));
    }

    // 5. Progress since an earlier assessment (here: an empty one of the same grid).
    let empty = Assessment::new(grid.id(), card.date, "nobody");
    let before = score(grid, &empty).map_err(|e| e.to_string())?;
    let p = progress(&before, &card).map_err(|e| e.to_string())?;
    out.push_str(&format!(
        "  since an empty assessment: {} criteria newly met, points {} → {}\n",
        p.newly_met.len(),
        p.points_before,
        p.points_after
    ));
    output::write_stdout(&out)
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
