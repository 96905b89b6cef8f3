//! Shared helpers of the maturity tests: hand-made grids and purchase fixtures.
#![allow(dead_code)]

use chrono::NaiveDate;
use spaser::maturity::{Criterion, Grid, GridData, Level, Text, Theme};
use spaser::{Amount, Consideration, Coverage, CpvCode, Dimension, Instrument, Purchase, Share};

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

/// Reads the DECP-like fixture (2024 format, `marches.marche[]`) into purchases: the date is
/// `dateNotification`, the amount `montant`, considerations from the DECP strings.
pub fn decp_fixture() -> Vec<Owned> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/maturity_decp_fixture.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["marches"]["marche"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let mut considerations = Vec::new();
            for (k, inner) in [
                ("considerationsSociales", "considerationSociale"),
                (
                    "considerationsEnvironnementales",
                    "considerationEnvironnementale",
                ),
            ] {
                for s in m[k][inner].as_array().unwrap() {
                    if let Some(c) = Consideration::from_decp(s.as_str().unwrap()).unwrap() {
                        considerations.push(Coverage::whole(c.dimension, c.instrument));
                    }
                }
            }
            Owned {
                date: m["dateNotification"].as_str().unwrap().parse().unwrap(),
                amount: Amount::new(m["montant"].as_f64().map(|f| f as u64).unwrap().into())
                    .unwrap(),
                cpv: m["codeCPV"].as_str().and_then(|c| c.parse().ok()),
                service: None,
                family: None,
                innovative: m["marcheInnovant"].as_bool().unwrap_or(false),
                considerations,
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
