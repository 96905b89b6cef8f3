//! The life-cycle cost of the offers of a tender through the API (CCP R2152-9, R2152-10): the
//! method stated in the consultation documents, the offers' cost items, each offer's LCC by
//! cost item and year, its rank and the score of the cost criterion.
//!
//! ```sh
//! cargo run --example lcc                  # the embedded sample: three offers of 100 laptops
//! cargo run --example lcc -- study.json    # your study (format: spaser::lcc::Study)
//! ```
//!
//! CSV offers, `--format json`, `--lang en` and the scoring options are in the command:
//! `cargo run --features cli -- lcc --help`.

use std::process::ExitCode;

use spaser::Lang;
use spaser::lcc::Study;

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

fn run() -> Result<(), String> {
    // 1. The study: the method (horizon, discount rate and whether it is real or nominal,
    //    discounting convention, money value of externalities year by year), the scoring of
    //    the cost criterion, and the offers' cost items.
    let study = match args::file_arg("lcc [STUDY.json]") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            // Every problem of every offer at once, each naming the offer, item and field.
            Study::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Study::sample().clone(),
    };

    // 2. The LCC of every offer: exact decimals, rounded to the cent only when shown; every
    //    total is the exact sum of its parts (by item, by kind of cost, by year).
    let result = study.compute().map_err(|e| e.to_string())?;
    let best = result
        .offers
        .iter()
        .find(|o| o.rank == 1)
        .ok_or("no offer")?;
    let mut text = format!(
        "lowest life-cycle cost: offer {} at {} (buyer costs {}, externalities {})\n\n",
        best.offer,
        best.lcc_rounded(),
        spaser::lcc::round_money(best.buyer_costs),
        spaser::lcc::round_money(best.externalities),
    );

    // 3. The report for the tender file: the method, the ranking with each kind of cost and
    //    the score, and each offer's discounted costs year by year (French; `Lang::En` too).
    text.push_str(&result.to_markdown(Lang::Fr));
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lcc: {e}");
            ExitCode::FAILURE
        }
    }
}
