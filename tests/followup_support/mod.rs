//! The data set of the follow-up tests (`tests/data/followup/`), read once per test binary.
#![allow(dead_code)]

use std::collections::BTreeMap;

use serde::Deserialize;
use spaser::decp::{self, AwardedContract};
use spaser::followup::PlannedLevers;
use spaser::{Catalogue, Programme, Targets};

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/followup/");

pub fn read(file: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{file}")).unwrap()
}

/// The programme of Ville de Valmont-sur-Loire (40 lines, 2026).
pub fn programme() -> Programme {
    Programme::from_json(&read("programme.json")).unwrap()
}

/// The marchés of a DECP file of the data set (none rejected).
pub fn contracts(file: &str) -> Vec<AwardedContract> {
    let data = decp::read(read(file).as_bytes()).unwrap();
    assert_eq!(data.accounting.rejected, 0);
    data.contracts
}

/// The targets of the data set.
pub fn targets() -> Targets {
    Targets::from_json(&read("targets.json")).unwrap()
}

#[derive(Deserialize)]
struct Levers {
    levers: BTreeMap<String, Vec<String>>,
}

/// The levers planned on each line (`planned_levers.json`).
pub fn planned() -> PlannedLevers<'static> {
    let l: Levers = serde_json::from_str(&read("planned_levers.json")).unwrap();
    let mut p = PlannedLevers::new(Catalogue::embedded());
    for (line, levers) in l.levers {
        p = p.with(line, levers).unwrap();
    }
    p
}
