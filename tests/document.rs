//! The SPASER document and the prescriber sheets (issue 16): languages, typography, the six
//! parts, grouped findings, charts, HTML for print and assistive technologies, snapshots.

use std::path::PathBuf;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::maturity::{Assessment, Grid, Scorecard, score};
use spaser::{
    Amount, BuyerStatus, Catalogue, Departement, IndicatorTable, Lang, Plan, PlanOptions,
    Planner, Programme, Rulebook, Targets,
};

/// The sample programme with the buyer profile a town gives (status, yearly expenditure,
/// département).
fn programme() -> Programme {
    let mut p = Programme::sample().clone();
    p.buyer.status = Some(BuyerStatus::LocalAuthority);
    p.buyer
        .expenditure
        .insert(2024, Amount::new("10230000".parse().unwrap()).unwrap());
    p.buyer
        .expenditure
        .insert(2025, Amount::new("11240000".parse().unwrap()).unwrap());
    p.buyer.departement = Some(Departement::parse("49").unwrap());
    p
}

fn plan(p: &Programme) -> Plan {
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(p, rulebook);
    Planner::new(Catalogue::embedded(), rulebook)
        .plan(
            p,
            &targets,
            &PlanOptions::default().capacity_every_year(Decimal::from(3000)),
        )
        .unwrap()
}

fn actuals() -> IndicatorTable {
    let file = std::fs::read("tests/data/document/decp_valmont.json").unwrap();
    spaser::decp::indicators(file.as_slice(), spaser::decp::Actuals::new())
        .unwrap()
        .marches
}

fn scorecard() -> Scorecard {
    // the sample assessment, made a few weeks before the document
    let json = include_str!("../src/data/maturity_sample_assessment.json")
        .replace("2026-11-15", "2025-11-20");
    let a = Assessment::from_json(&json).unwrap();
    score(Grid::spaser(), &a).unwrap()
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()
}

fn document(lang: Lang) -> Document {
    let p = programme();
    let plan = plan(&p);
    let actuals = actuals();
    let card = scorecard();
    let input = DocumentInput::new(&p)
        .lang(lang)
        .date(date())
        .actuals(&actuals)
        .scorecard(&card);
    Document::new(&plan, &input).unwrap()
}

fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("document");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn scratch_writes_the_sample() {
    for lang in [Lang::Fr, Lang::En] {
        let d = document(lang);
        let dir = out_dir();
        std::fs::write(dir.join(format!("spaser-{lang}.md")), d.to_markdown()).unwrap();
        std::fs::write(dir.join(format!("spaser-{lang}.html")), d.to_html()).unwrap();
        std::fs::write(dir.join(format!("spaser-{lang}.json")), d.to_json().unwrap()).unwrap();
    }
}
