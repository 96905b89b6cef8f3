//! Specification of maturity from the buyer's own data (issue 18, point 5): automatic criteria
//! read the actuals of the buyer's SIRET only; a criterion whose year or buyer the data do not
//! cover says so; the programme coverage fact is computed (programme value of the year ÷ the
//! profile's expenditure, or ÷ the DECP awarded value, said so); plan evidence reads the plan's
//! planned levers; a rule kind scores a criterion linearly between two bounds.
//!
//! The two-buyer file is the follow-up data set's DECP file (`tests/data/followup/decp.json`):
//! Ville de Valmont-sur-Loire (21490999600016: 2 contracts in 2025, 35 in 2026, 11 of them
//! social), another establishment of its SIREN (21490999600024: 1 in 2026), and two other
//! buyers (21350238800019: 8 contracts in 2026, 3 social; 24440001700012: 4, 1 social).
//! Figures checked independently with a few lines of Python over the JSON.

mod followup_support;

use chrono::NaiveDate;
use followup_support::{contracts, programme};
use rust_decimal::Decimal;
use spaser::maturity::{
    Assessment, Comparison, Criterion, DataGap, Evidence, FACT_PROGRAMME_COVERAGE, Grid, GridData,
    Level, Linear, Origin, Outcome, Rule, ScoreOptions, Source, Status, Text, Theme, score_with,
};
use spaser::{
    Basis, Catalogue, ErrorKind, PlanOptions, Planner, Programme, Rulebook, Share, Siret, Targets,
};

fn siret(s: &str) -> Siret {
    s.parse().unwrap()
}

fn share(s: &str) -> Share {
    s.parse().unwrap()
}

/// An empty assessment whose reference year is `year` ("last year" = `year` − 1).
fn assessment(year: i32) -> Assessment {
    Assessment::new(
        "spaser-maturity",
        NaiveDate::from_ymd_opt(year, 2, 15).unwrap(),
        "test",
    )
}

fn figures(buyer: &str, year: i32) -> (u64, u64) {
    let evidence =
        Evidence::new().with_actuals_of(Grid::spaser(), &siret(buyer), &contracts("decp.json"));
    let card = score_with(
        Grid::spaser(),
        &assessment(year),
        &evidence,
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("meas.3.social30").unwrap();
    let m = r
        .automatic
        .as_ref()
        .unwrap()
        .figure
        .measure
        .clone()
        .unwrap();
    (m.count, m.purchases)
}

#[test]
fn automatic_criteria_on_a_two_buyer_file_give_each_buyer_its_own_figures() {
    // reference year 2027: "contracts notified last year" reads 2026
    assert_eq!(figures("21490999600016", 2027), (11, 35));
    assert_eq!(figures("21350238800019", 2027), (3, 8));
    assert_eq!(figures("24440001700012", 2027), (1, 4));
    // the SIRET only: the other establishment of Valmont's SIREN is another buyer profile
    assert_eq!(figures("21490999600024", 2027), (0, 1));
}

#[test]
fn a_year_the_data_do_not_cover_says_so_for_that_criterion() {
    // 21350238800019 has contracts in 2026 only; reference year 2026 reads 2025
    let evidence = Evidence::new().with_actuals_of(
        Grid::spaser(),
        &siret("21350238800019"),
        &contracts("decp.json"),
    );
    let card = score_with(
        Grid::spaser(),
        &assessment(2026),
        &evidence,
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("meas.3.social30").unwrap();
    let e = r.automatic.as_ref().unwrap();
    assert_eq!(e.outcome, Outcome::NoData);
    assert_eq!(
        e.gap,
        Some(DataGap::Year {
            year: 2025,
            covered: vec![2026]
        })
    );
    assert!(
        e.explanation
            .contains("the data given cover buyer 21350238800019 in 2026, not in 2025"),
        "{}",
        e.explanation
    );
    assert_eq!(r.origin, Origin::Unanswered);
}

#[test]
fn a_buyer_absent_from_the_file_says_so_for_each_criterion() {
    let cs = contracts("decp.json");
    let evidence = Evidence::new().with_actuals_of(Grid::spaser(), &siret("20004123500017"), &cs);
    let card = score_with(
        Grid::spaser(),
        &assessment(2027),
        &evidence,
        &ScoreOptions::default(),
    )
    .unwrap();
    for id in ["meas.3.social30", "meas.2.env30", "proc.3.reserved"] {
        let e = card.criterion(id).unwrap().automatic.clone().unwrap();
        assert_eq!(e.outcome, Outcome::NoData, "{id}");
        assert_eq!(
            e.gap,
            Some(DataGap::Buyer {
                buyer: "20004123500017".into(),
                other_buyers: cs.len() as u64
            }),
            "{id}"
        );
        assert!(
            e.explanation
                .contains("hold no contract of buyer 20004123500017")
        );
    }
}

#[test]
fn programme_coverage_is_computed_from_the_buyer_profile_expenditure() {
    // 2026: 39 lines launched (L37 cancelled aside) for €8,593,000; expenditure €31,500,000
    let p = programme();
    let evidence = Evidence::new().with_programme_coverage(&p, 2026, &contracts("decp.json"));
    let expected = Share::ratio(Decimal::from(8_593_000), Decimal::from(31_500_000)).unwrap();
    assert_eq!(evidence.fact(FACT_PROGRAMME_COVERAGE), Some(expected));
    let note = evidence.fact_note(FACT_PROGRAMME_COVERAGE).unwrap();
    assert!(
        note.contains("expenditure 2026 from the buyer profile"),
        "{note}"
    );
    let card = score_with(
        Grid::spaser(),
        &assessment(2026),
        &evidence,
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("prog.3.coverage80").unwrap();
    assert_eq!(r.status, Status::NotMet);
    assert!(
        r.evidence[0].contains("programme 2026 €8,593,000.00"),
        "{:?}",
        r.evidence
    );
}

#[test]
fn without_expenditure_the_coverage_divides_by_the_decp_awarded_value_and_says_so() {
    let mut p = programme();
    p.buyer.expenditure.clear();
    // €8,593,000 ÷ €6,904,000 awarded in 2026 to the SIRET: above 1, capped
    let evidence = Evidence::new().with_programme_coverage(&p, 2026, &contracts("decp.json"));
    assert_eq!(evidence.fact(FACT_PROGRAMME_COVERAGE), Some(Share::ONE));
    let note = evidence.fact_note(FACT_PROGRAMME_COVERAGE).unwrap();
    assert!(
        note.contains("no expenditure for 2026 in the buyer profile"),
        "{note}"
    );
    assert!(note.contains("capped at 1"), "{note}");
    // no expenditure and no contract of the buyer: not computed, and the criterion says why
    let evidence = Evidence::new().with_programme_coverage(&p, 2026, &[]);
    assert_eq!(evidence.fact(FACT_PROGRAMME_COVERAGE), None);
    let card = score_with(
        Grid::spaser(),
        &assessment(2026),
        &evidence,
        &ScoreOptions::default(),
    )
    .unwrap();
    let e = card
        .criterion("prog.3.coverage80")
        .unwrap()
        .automatic
        .clone()
        .unwrap();
    assert_eq!(e.outcome, Outcome::NoData);
    assert!(
        e.explanation.contains(
            "no expenditure for 2026 and the DECP given hold no contract of 21490999600016"
        ),
        "{}",
        e.explanation
    );
}

#[test]
fn plan_evidence_reads_the_planned_levers_not_the_pre_plan_considerations() {
    let programme = Programme::sample();
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rulebook);
    let plan = Planner::new(Catalogue::embedded(), rulebook)
        .plan(programme, &targets, &PlanOptions::default())
        .unwrap();
    let grid = Grid::spaser();
    let planned = Evidence::new()
        .with_plan(grid, programme, &plan, Catalogue::embedded())
        .unwrap();
    let pre_plan = Evidence::new().with_purchases(
        Source::Plan,
        grid,
        programme.lines.iter().map(|l| l.purchase()),
    );
    for year in [2026, 2027, 2028] {
        let from_levers = planned
            .table(Source::Plan)
            .unwrap()
            .total("social", year)
            .unwrap();
        assert_eq!(
            Some(from_levers),
            plan.projected.total("social", year),
            "{year}"
        );
        let before = pre_plan
            .table(Source::Plan)
            .unwrap()
            .total("social", year)
            .unwrap();
        assert!(from_levers.count >= before.count, "{year}");
        println!(
            "{year}: social by count {:?} from the planned levers, {:?} from the pre-plan considerations",
            from_levers.count_share().map(|s| s.round_dp(4)),
            before.count_share().map(|s| s.round_dp(4))
        );
    }
    let (a, b) = (
        planned
            .table(Source::Plan)
            .unwrap()
            .total("social", 2026)
            .unwrap(),
        pre_plan
            .table(Source::Plan)
            .unwrap()
            .total("social", 2026)
            .unwrap(),
    );
    assert!(a.count > b.count);
    // the criterion "the plan reaches 30 % social" reads the plan's figure
    let card = score_with(grid, &assessment(2026), &planned, &ScoreOptions::default()).unwrap();
    let e = card
        .criterion("prog.4.plan_social30")
        .unwrap()
        .automatic
        .clone()
        .unwrap();
    assert_eq!(e.figure.source, Some(Source::Plan));
    assert_eq!(
        e.figure.value,
        plan.projected.total("social", 2026).unwrap().count_share()
    );
}

/// A one-theme grid whose level-1 criterion is scored linearly from `rule`.
fn linear_grid(rule: Rule) -> Grid {
    let crit = |id: &str, rule: Option<Rule>| Criterion {
        id: id.into(),
        text: Text::new("t", "t"),
        points: 4,
        evidence: Text::new("e", "e"),
        rule,
    };
    Grid::new(GridData {
        id: "lin".into(),
        name: Text::new("Linéaire", "Linear"),
        version: String::new(),
        indicators: Vec::new(),
        facts: Vec::new(),
        themes: vec![Theme {
            id: "m".into(),
            name: Text::new("Mesure", "Measure"),
            levels: (1..=5)
                .map(|n| Level {
                    level: n,
                    name: None,
                    criteria: vec![crit(&format!("c{n}"), (n == 1).then(|| rule.clone()))],
                })
                .collect(),
        }],
    })
    .unwrap()
}

#[test]
fn linear_rule_scores_a_criterion_between_its_bounds() {
    // Territoires en Transitions scores measure 5.2.4 from its indicator: nothing below 30 %,
    // every point above 80 %, in proportion between
    let bounds = Linear::new(share("0.3"), share("0.8")).unwrap();
    let grid =
        linear_grid(Rule::fact(FACT_PROGRAMME_COVERAGE, Comparison::Ge, Share::ONE).linear(bounds));
    let a = Assessment::new("lin", NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), "t");
    for (coverage, status, earned) in [
        ("0.2", Status::NotMet, "0"),
        ("0.3", Status::NotMet, "0"),
        ("0.55", Status::Partly(share("0.5")), "2"),
        ("0.675", Status::Partly(share("0.75")), "3"),
        ("0.8", Status::Met, "4"),
        ("0.95", Status::Met, "4"),
    ] {
        let ev = Evidence::new().with_fact(FACT_PROGRAMME_COVERAGE, share(coverage));
        let card = score_with(&grid, &a, &ev, &ScoreOptions::default()).unwrap();
        let r = card.criterion("c1").unwrap();
        assert_eq!(r.status, status, "{coverage}");
        assert_eq!(r.earned, earned.parse::<Decimal>().unwrap(), "{coverage}");
        assert_eq!(r.origin, Origin::Automatic);
        // partly met earns points but does not give the level
        assert_eq!(card.themes[0].level, u8::from(r.status == Status::Met));
    }
    // on an indicator, exactly: 3 of 8 social contracts by count = 0.375 → (0.375 − 0.3) / 0.5
    let rule = Rule::indicator("social", Basis::Count, Comparison::Ge, Share::ONE)
        .year(2026)
        .linear(bounds);
    let ev = Evidence::new().with_actuals_of(
        Grid::spaser(),
        &siret("21350238800019"),
        &contracts("decp.json"),
    );
    let e = rule.evaluate(&ev, 2026);
    assert_eq!(e.outcome, Outcome::Partly);
    assert_eq!(e.score, Some(share("0.15")));
    assert!(
        e.explanation
            .contains("scored linearly from 0.3 (nothing) to 0.8"),
        "{}",
        e.explanation
    );
}

#[test]
fn linear_rule_json_round_trips_and_bad_bounds_are_rejected() {
    let json = r#"{"indicator":"environmental","basis":"value","year_offset":-1,"linear":{"from":"0.3","to":"0.8"}}"#;
    let rule: Rule = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&rule).unwrap(), json);
    // the threshold rules keep their form
    let json = r#"{"indicator":"social","basis":"count","op":"ge","threshold":"0.3"}"#;
    let rule: Rule = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&rule).unwrap(), json);
    for bad in [
        r#"{"fact":"programme_coverage","linear":{"from":"0.8","to":"0.3"}}"#,
        r#"{"fact":"programme_coverage","op":"ge","threshold":"0.3","linear":{"from":"0.3","to":"0.8"}}"#,
        r#"{"fact":"programme_coverage"}"#,
    ] {
        assert!(serde_json::from_str::<Rule>(bad).is_err(), "{bad}");
    }
    let e = Linear::new(share("0.5"), share("0.5")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
}
