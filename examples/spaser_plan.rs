//! The main job through the API: from a purchasing programme, SPASER targets and the lever
//! catalogue, the plan — which levers on which purchases, meeting every legal obligation and
//! reaching the targets at least effort — and its report.
//!
//! ```sh
//! cargo run --release --example spaser_plan                 # the embedded sample programme
//! cargo run --release --example spaser_plan -- plan.json    # a programme in the crate's JSON
//! ```
//!
//! Options (targets, catalogue, capacity, JSON, LP export…) are in the command:
//! `cargo run --release --features cli -- plan --help`.

use std::process::ExitCode;

use rust_decimal::Decimal;
use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

fn run() -> Result<(), String> {
    // 1. The programme: the embedded sample (a mid-size town, 60 lines) or a JSON file.
    let programme = match args::file_arg("spaser_plan [PROGRAMME.json]") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            Programme::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Programme::sample().clone(),
    };

    // 2. The law (dated thresholds and obligations, each with its article) and the levers.
    let rulebook = Rulebook::embedded();
    let catalogue = Catalogue::embedded();

    // 3. Targets: PNAD shares, AGEC per category present, EGalim when the programme buys food.
    let targets = Targets::defaults_for(&programme, rulebook);

    // 4. Options: the facilitator can place 3,000 insertion hours a year.
    let options = PlanOptions::default().capacity_every_year(Decimal::from(3000));

    // 5. Plan: law first (obligations), then the least weighted shortfall on the targets, then
    //    the least effort.
    let plan = Planner::new(catalogue, rulebook)
        .plan(&programme, &targets, &options)
        .map_err(|e| e.to_string())?;

    // The plan proves how good it is: each part of the objective with its proven bound.
    let mut text = format!(
        "{} assignments; weighted shortfall {:.2} points (bound {:.2}); effort {:.1} \
         person-days (bound {:.1}, gap {:.4})\n",
        plan.assignments.len(),
        plan.shortfall.value,
        plan.shortfall.bound.unwrap_or(0.0),
        plan.effort.value,
        plan.effort.bound.unwrap_or(0.0),
        plan.effort.gap.unwrap_or(1.0)
    );
    // Every assignment names its levers and, for each, the reason: the obligation it meets or
    // the targets it serves.
    for a in plan.assignments.iter().take(5) {
        text.push_str(&format!(
            "  {} ({}): {}\n",
            a.line,
            a.year,
            a.levers.join(", ")
        ));
        for r in &a.reasons {
            text.push_str(&format!("    - {r}\n"));
        }
    }
    text.push('\n');
    // The publication-ready SPASER report (Markdown); `plan.to_json()` has every field.
    text.push_str(&plan.to_markdown());
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
