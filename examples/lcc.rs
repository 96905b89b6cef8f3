//! Example `lcc`: the life-cycle cost of the offers of a tender (CCP R2152-9, R2152-10), their
//! breakdown by cost item and year, and the award score of the cost criterion.
//!
//! ```sh
//! cargo run --example lcc                     # the embedded sample (3 offers of laptops), French
//! cargo run --example lcc -- --en             # same, in English
//! cargo run --example lcc -- --json           # the result as JSON
//! cargo run --example lcc -- my_study.json    # your study (format: spaser::lcc::Study)
//! ```

use std::process::ExitCode;

use spaser::Lang;
use spaser::lcc::Study;

#[path = "support/output.rs"]
mod output;

fn run() -> Result<String, String> {
    let mut json = false;
    let mut lang = Lang::Fr;
    let mut file = None;
    for a in std::env::args().skip(1) {
        match a.as_str() {
            "--json" => json = true,
            "--en" => lang = Lang::En,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => file = Some(s.to_string()),
        }
    }
    // 1. The study: the method stated in the consultation documents (horizon, discount rate and
    //    whether it is real or nominal, discounting convention, money value of externalities
    //    year by year) and the offers' cost items.
    let study = match &file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            Study::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Study::sample().clone(),
    };
    // 2. The LCC of every offer: exact decimals, rounded to the cent only when shown; every
    //    total is the exact sum of its parts (by item, by kind of cost, by year).
    let result = study.compute().map_err(|e| e.to_string())?;
    if json {
        return result.to_json().map_err(|e| e.to_string());
    }
    // 3. The report: method, ranking with each kind of cost and the score, and year by year.
    Ok(result.to_markdown(lang))
}

fn main() -> ExitCode {
    match run().and_then(|text| output::write_stdout(&text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lcc: {e}");
            ExitCode::FAILURE
        }
    }
}
