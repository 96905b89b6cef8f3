//! A plan line reduced to the indicator engine's `Purchase`: the same engine measures the plan
//! (projection) and the awarded contracts (actuals).

use chrono::NaiveDate;
use spaser::{
    Amount, Dimension, Indicator, IndicatorEngine, Instrument, Nature, PlanLine, Programme,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn purchase_carries_date_amount_nature_cpv_service_and_key() {
    let mut l = PlanLine::new(
        "A",
        "a",
        Nature::Supplies,
        Amount::from_euros(1_000),
        day(2026, 5, 1),
    );
    l.family = Some("PAP".into());
    l.operation = Some("OP".into());
    l.cpv = Some("30192000".parse().unwrap());
    l.service = Some("Moyens généraux".into());
    l.innovative = true;
    let p = l.purchase();
    assert_eq!(
        (p.date, p.amount, p.nature),
        (
            day(2026, 5, 1),
            Amount::from_euros(1_000),
            Some(Nature::Supplies)
        )
    );
    assert_eq!(
        (p.family, p.service),
        (Some("PAP"), Some("Moyens généraux"))
    );
    assert_eq!(p.cpv.unwrap().to_string(), "30192000");
    assert!(p.innovative);
    assert!(p.considerations.is_empty());
}

#[test]
fn works_purchase_is_keyed_by_operation() {
    let mut l = PlanLine::new(
        "T",
        "t",
        Nature::Works,
        Amount::from_euros(1),
        day(2026, 5, 1),
    );
    l.family = Some("BAT".into());
    l.operation = Some("OP".into());
    assert_eq!(l.purchase().family, Some("OP"));
    l.operation = None;
    assert_eq!(l.purchase().family, Some("BAT"));
}

#[test]
fn planned_dimensions_cover_the_whole_line_as_execution_clauses() {
    let mut l = PlanLine::new(
        "A",
        "a",
        Nature::Services,
        Amount::from_euros(1),
        day(2026, 5, 1),
    );
    l.considerations = vec![Dimension::Environmental, Dimension::Social];
    let p = l.purchase();
    let mut dims: Vec<Dimension> = p.considerations.iter().map(|c| c.dimension).collect();
    dims.sort();
    assert_eq!(dims, [Dimension::Social, Dimension::Environmental]);
    assert!(
        p.considerations
            .iter()
            .all(|c| c.instrument == Instrument::ExecutionClause)
    );
    assert!(
        p.considerations
            .iter()
            .all(|c| c.share == spaser::Share::ONE)
    );
}

#[test]
fn the_engine_projects_the_sample_plan() {
    // Every line counts once in the denominator of its launch year.
    let programme = Programme::sample();
    let mut engine = IndicatorEngine::new(Indicator::standard());
    for line in &programme.lines {
        engine.add(&line.purchase());
    }
    let table = engine.finish();
    let mut purchases = 0;
    for year in [2026, 2027, 2028] {
        let m = table.total("environmental", year).unwrap();
        purchases += m.purchases;
        let expected = programme
            .lines
            .iter()
            .filter(|l| chrono::Datelike::year(&l.launch_date) == year)
            .filter(|l| l.considerations.contains(&Dimension::Environmental))
            .count() as u64;
        assert_eq!(m.count, expected, "{year}");
    }
    assert_eq!(purchases, programme.lines.len() as u64);
}
