//! Realised SPASER indicators from DECP (the open data of awarded contracts) through the API:
//! the streaming lenient reader, the accounting of every record, and the indicators of the
//! crate's one indicator engine.
//!
//! ```sh
//! cargo run --release --example decp_indicators                 # an embedded real export
//! cargo run --release --example decp_indicators -- decp.json    # your file (2019 or 2024 format)
//! ```
//!
//! Several files, standard input, JSON and `--warnings` are in the command:
//! `cargo run --release --features cli -- decp --help`.

use std::process::ExitCode;

use spaser::decp::{self, Actuals, DecpReader, Outcome};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

const DEFAULT: &str = include_str!("../tests/data/decp/real/dematis27.json");

fn run() -> Result<(), String> {
    let bytes = match args::file_arg("decp_indicators [DECP.json]") {
        Some(path) => std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?,
        None => DEFAULT.as_bytes().to_vec(),
    };

    // 1. Stream the file one record at a time: a deviation from the schema is a warning and
    //    the record is kept; a record without usable amount or date is rejected with why.
    let mut reader = DecpReader::new(bytes.as_slice());
    let mut actuals = Actuals::new();
    let mut text = String::new();
    while let Some(entry) = reader.next_entry().map_err(|e| e.to_string())? {
        if let Outcome::Rejected(r) = &entry.outcome {
            text.push_str(&format!("{r}\n"));
        }
        for w in entry.warnings.iter().take(3) {
            text.push_str(&format!("warning: {w}\n"));
        }
        // 2. Each contract becomes a purchase for the indicator engine.
        actuals.add_entry(&entry);
    }

    // 3. Every record is accounted for: read == accepted + rejected.
    let a = reader.accounting();
    assert!(a.balances());
    text.push_str(&format!(
        "records: read {}, accepted {}, rejected {}, duplicates {}, warnings {}\n",
        a.read, a.accepted, a.rejected, a.duplicates, a.warnings
    ));

    // 4. The indicators per year: shares by count and by value, from the same engine that
    //    projects a plan's indicators.
    let report = actuals.finish();
    for (year, y) in decp::by_year(&report.marches) {
        text.push_str(&format!(
            "{year}: {} contracts, {} € HT; social {} by count / {} by value; environmental {} / {}; {} without social data\n",
            y.contracts,
            y.value,
            y.social.count_share,
            y.social.value_share,
            y.environmental.count_share,
            y.environmental.value_share,
            y.unknown_social
        ));
    }

    // 5. The probable-compliance audit: contracts notified after the L2112-2 date without an
    //    environmental consideration.
    text.push_str(&format!("audit: {} finding(s)\n", report.audit.len()));
    output::write_stdout(&text)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("decp_indicators: {e}");
            ExitCode::FAILURE
        }
    }
}
