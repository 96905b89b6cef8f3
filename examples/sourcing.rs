//! Sourcing: who can supply each planned purchase, and which lever that capacity supports.
//!
//! ```sh
//! cargo run --example sourcing                      # the sample directory
//! cargo run --example sourcing -- suppliers.csv     # your directory (CSV, xlsx, ods or JSON)
//! ```
//!
//! Prints, for the sample programme's lines, the suppliers found where each purchase is
//! performed and the social rung of the ladder, then the French sourcing sheet of the green
//! spaces service. The perimeter only serves to find capacity: nothing recommended rests on
//! where a company is located.

use std::process::ExitCode;

use chrono::NaiveDate;
use spaser::sourcing::{
    Capacity, Directory, DirectoryReadOptions, Recommendations, SourcingOptions, SourcingPlan,
};
use spaser::{Catalogue, InnovationRules, Lang, LeadTimes, Programme, Rulebook};

#[path = "support/args.rs"]
mod args;
#[path = "support/output.rs"]
mod output;

fn run() -> Result<(), String> {
    let path = args::file_arg("sourcing [DIRECTORY: CSV, xlsx, ods or JSON]");
    // 1. The directory: yours, or the fictitious sample written for the crate.
    let directory = match &path {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}"))?;
            let read = Directory::read(&bytes, &DirectoryReadOptions::default())
                .map_err(|e| format!("{p}: {e}"))?;
            for r in &read.rejected {
                eprintln!("{p}: {r}");
            }
            read.directory
        }
        None => Directory::sample().clone(),
    };
    // 2. Where the sample town's purchases are performed (Maine-et-Loire).
    let options = SourcingOptions::default().departement("49".parse().map_err(|e| format!("{e}"))?);
    let programme = Programme::sample();
    // 3. Capacity per line, then the ladder.
    let capacity = Capacity::compute(programme, &directory, &options);
    let recs = Recommendations::compute(programme, &capacity, Catalogue::embedded(), &options)
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    for (c, r) in capacity.lines.iter().zip(&recs.lines) {
        out.push_str(&format!(
            "{:8} {:>3} suppliers ({}), {:>2} inclusive: {}\n",
            c.line,
            c.in_reach().all.count,
            c.reach,
            c.in_reach().inclusive.count,
            r.social.rung.title_en()
        ));
    }
    // 4. The sourcing sheet of one prescribing service, in French.
    let plan = SourcingPlan::build(
        programme,
        &directory,
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options,
        &LeadTimes::default(),
        NaiveDate::from_ymd_opt(2026, 3, 15).ok_or("bad date")?,
    )
    .map_err(|e| e.to_string())?;
    out.push('\n');
    out.push_str(&plan.sheet_markdown("Espaces verts", Lang::Fr));
    out.push('\n');
    output::write_stdout(&out)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sourcing: {e}");
            ExitCode::FAILURE
        }
    }
}
