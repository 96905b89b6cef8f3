//! Shared helpers of the maturity tests: hand-made grids and purchase fixtures.
#![allow(dead_code)]

use chrono::NaiveDate;
use spaser::maturity::{Criterion, Grid, GridData, Level, Text, Theme};
use spaser::{Amount, Coverage, CpvCode, Dimension, Instrument, Purchase, Share};

/// A criterion with a generated text.
pub fn crit(id: &str, points: u32) -> Criterion {
    Criterion {
        id: id.to_string(),
        text: Text::new(format!("critère {id}"), format!("criterion {id}")),
        points,
        evidence: Text::new("preuve", "evidence"),
        rule: None,
    }
}

/// A theme whose level i+1 holds `levels[i]` as (id, points).
pub fn theme(id: &str, levels: [&[(&str, u32)]; 5]) -> Theme {
    Theme {
        id: id.to_string(),
        name: Text::new(format!("thème {id}"), format!("theme {id}")),
        levels: levels
            .iter()
            .enumerate()
            .map(|(i, cs)| Level {
                level: u8::try_from(i + 1).unwrap(),
                name: None,
                criteria: cs.iter().map(|(c, p)| crit(c, *p)).collect(),
            })
            .collect(),
    }
}

/// Grid data with the given themes.
pub fn grid_data(themes: Vec<Theme>) -> GridData {
    GridData {
        id: "test".into(),
        name: Text::new("test", "test"),
        version: String::new(),
        indicators: Vec::new(),
        facts: Vec::new(),
        themes,
    }
}

/// A validated grid.
pub fn grid(themes: Vec<Theme>) -> Grid {
    Grid::new(grid_data(themes)).unwrap()
}

/// A purchase with owned considerations (tests build them from fixtures).
#[derive(Debug, Clone)]
pub struct Owned {
    pub date: NaiveDate,
    pub amount: Amount,
    pub cpv: Option<CpvCode>,
    pub service: Option<String>,
    pub family: Option<String>,
    pub innovative: bool,
    pub considerations: Vec<Coverage>,
}

impl Owned {
    pub fn purchase(&self) -> Purchase<'_> {
        let mut p = Purchase::new(self.date, self.amount);
        p.cpv = self.cpv;
        p.service = self.service.as_deref();
        p.family = self.family.as_deref();
        p.innovative = self.innovative;
        p.considerations = &self.considerations;
        p
    }
}

/// Reads the DECP fixture (2024 format, `marches.marche[]`) with the crate's DECP reader and
/// turns each marché into a purchase ([`spaser::decp::purchase_of`]: notification date,
/// current amount, considerations from the DECP strings, innovative flag).
pub fn decp_fixture() -> Vec<Owned> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/maturity_decp_fixture.json"
    ))
    .unwrap();
    let data = spaser::decp::read(text.as_bytes()).unwrap();
    assert!(data.accounting.balances());
    assert_eq!(data.accounting.rejected, 0);
    assert!(data.warnings.is_empty(), "{:?}", data.warnings);
    data.contracts
        .iter()
        .map(|c| {
            let mut buf = Vec::new();
            let p = spaser::decp::purchase_of(c, &mut buf).unwrap();
            Owned {
                date: p.date,
                amount: p.amount,
                cpv: p.cpv,
                service: None,
                family: None,
                innovative: p.innovative,
                considerations: p.considerations.to_vec(),
            }
        })
        .collect()
}

/// Reads the plan-like fixture (planned lines with levers and the share each covers).
pub fn plan_fixture() -> Vec<Owned> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/maturity_plan_fixture.csv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let mut considerations = Vec::new();
            for (dim, col) in [(Dimension::Social, f[4]), (Dimension::Environmental, f[5])] {
                for lever in col.split(';').filter(|s| !s.is_empty()) {
                    let (i, s) = lever.split_once(':').unwrap();
                    considerations.push(Coverage {
                        dimension: dim,
                        instrument: i.parse::<Instrument>().unwrap(),
                        share: s.parse::<Share>().unwrap(),
                    });
                }
            }
            Owned {
                date: f[0].parse().unwrap(),
                amount: f[1].parse().unwrap(),
                cpv: None,
                service: Some(f[2].to_string()),
                family: Some(f[3].to_string()),
                innovative: false,
                considerations,
            }
        })
        .collect()
}
