//! Specification of automatic criteria: rules evaluated on indicator tables that the
//! indicator engine computes from a DECP fixture (contracts notified in 2024 and 2025,
//! `tests/data/maturity_decp_fixture.json`, read by `spaser::decp`) and from a plan-like fixture (lines planned for
//! 2026 with their levers, `tests/data/maturity_plan_fixture.csv`).
//!
//! DECP fixture, 2025: 10 contracts, 3 with a social consideration (one reserved), 6 with an
//! environmental one, 1 innovative; €1,500,000 of which €650,000 social and €1,070,000
//! environmental. 2024: 2 contracts, 1 social.
//! Plan fixture, 2026: 5 lines, 2 with a social lever, 4 with an environmental lever.

mod maturity_support;

use chrono::NaiveDate;
use maturity_support::{Owned, decp_fixture, plan_fixture};
use rust_decimal::Decimal;
use spaser::maturity::{
    Answer, Assessment, Comparison, Criterion, Evidence, FACT_PROGRAMME_COVERAGE, Grid, GridData,
    Level, Origin, Outcome, Rule, ScoreOptions, Source, Status, Text, Theme, actions, score,
    score_with,
};
use spaser::{Basis, Dimension, GroupBy, Indicator, Instrument, Share};

fn share(s: &str) -> Share {
    s.parse().unwrap()
}

fn evidence_from(source: Source, purchases: &[Owned]) -> Evidence {
    Evidence::new().with_purchases(
        source,
        Grid::spaser(),
        purchases.iter().map(Owned::purchase),
    )
}

fn actuals() -> Evidence {
    evidence_from(Source::Actuals, &decp_fixture())
}

fn sample() -> Assessment {
    Assessment::from_json(include_str!("../src/data/maturity_sample_assessment.json")).unwrap()
}

/// An empty assessment of the default grid in 2026.
fn blank() -> Assessment {
    Assessment::new(
        "spaser-maturity",
        NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
        "test",
    )
}

#[test]
fn social_share_of_contracts_notified_last_year_is_read_from_actuals() {
    // PNAD 2022-2025: 30 % of contracts notified in the year with a social consideration.
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("meas.3.social30").unwrap();
    assert_eq!(r.origin, Origin::Automatic);
    assert_eq!(r.status, Status::Met, "3 of 10 is exactly 30 %");
    let e = r.automatic.as_ref().unwrap();
    assert_eq!(e.outcome, Outcome::Met);
    assert_eq!(e.figure.year, Some(2025), "reference year 2026, offset -1");
    assert_eq!(e.figure.source, Some(Source::Actuals));
    assert_eq!(e.figure.basis, Some(Basis::Count));
    let m = e.figure.measure.as_ref().unwrap();
    assert_eq!((m.count, m.purchases), (3, 10));
    assert_eq!(e.figure.value, Some(share("0.3")));
    // The figure is the answer's evidence.
    assert_eq!(r.evidence, std::slice::from_ref(&e.explanation));
    assert!(e.explanation.contains("3/10"), "{}", e.explanation);
}

#[test]
fn environmental_share_meets_60_percent_exactly_but_not_every_contract() {
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(card.criterion("meas.3.env60").unwrap().status, Status::Met);
    // L2112-2 (from 2026-08-22) wants every contract: 6 of 10 is not met.
    let every = card.criterion("proc.3.env_every_contract").unwrap();
    assert_eq!(every.status, Status::NotMet);
    assert_eq!(every.origin, Origin::Automatic);
}

#[test]
fn value_basis_rules_use_the_value_of_contracts() {
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    // 650,000 / 1,500,000 social; 1,070,000 / 1,500,000 environmental.
    let social = card.criterion("proc.5.social_value30").unwrap();
    assert_eq!(social.status, Status::Met);
    let m = social
        .automatic
        .as_ref()
        .unwrap()
        .figure
        .measure
        .clone()
        .unwrap();
    assert_eq!(m.covered_value, Decimal::from(650_000));
    assert_eq!(m.value, Decimal::from(1_500_000));
    assert_eq!(
        card.criterion("meas.4.env_value50").unwrap().status,
        Status::Met
    );
}

#[test]
fn reserved_and_innovative_contracts_are_counted() {
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(
        card.criterion("proc.3.reserved").unwrap().status,
        Status::Met
    );
    assert_eq!(
        card.criterion("src.4.innovative").unwrap().status,
        Status::Met
    );
}

#[test]
fn year_offset_reads_older_years() {
    // meas.5.social30_sustained reads 2024 (offset -2): 1 of 2 social.
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("meas.5.social30_sustained").unwrap();
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.automatic.as_ref().unwrap().figure.year, Some(2024));
    // One year later, 2024 becomes offset -3 and 2025 offset -2: the result follows the year.
    let later = blank().with_reference_year(2027);
    let card = score_with(Grid::spaser(), &later, &actuals(), &ScoreOptions::default()).unwrap();
    assert_eq!(
        card.criterion("meas.5.social30_sustained").unwrap().status,
        Status::Met
    );
    // …and offset -1 (2026) has no contract at all: no data, the criterion is unanswered.
    let r = card.criterion("meas.3.social30").unwrap();
    assert_eq!(r.origin, Origin::Unanswered);
    assert_eq!(r.automatic.as_ref().unwrap().outcome, Outcome::NoData);
    assert!(r.automatic.as_ref().unwrap().explanation.contains("2026"));
}

#[test]
fn a_missing_year_gives_no_data_and_never_earns_the_criterion() {
    let old = blank().with_reference_year(2030);
    let card = score_with(Grid::spaser(), &old, &actuals(), &ScoreOptions::default()).unwrap();
    for id in ["meas.2.social15", "proc.3.reserved", "src.4.innovative"] {
        let r = card.criterion(id).unwrap();
        assert_eq!(r.origin, Origin::Unanswered, "{id}");
        assert_eq!(r.status, Status::NotMet, "{id}");
        assert!(!r.overridden);
    }
}

#[test]
fn manual_answer_overrides_the_automatic_one_and_the_override_is_visible() {
    // The sample says proc.3.reserved is met (a reserved contract not yet in the data); the
    // actuals here carry no reserved contract, so the rule says not met.
    let no_reserved: Vec<Owned> = decp_fixture()
        .into_iter()
        .filter(|p| {
            !p.considerations
                .iter()
                .any(|c| c.instrument == Instrument::ReservedContract)
        })
        .collect();
    let ev = evidence_from(Source::Actuals, &no_reserved);
    let card = score_with(Grid::spaser(), &sample(), &ev, &ScoreOptions::default()).unwrap();
    let r = card.criterion("proc.3.reserved").unwrap();
    assert_eq!(r.origin, Origin::Manual);
    assert_eq!(r.status, Status::Met);
    assert!(r.overridden);
    assert_eq!(r.automatic.as_ref().unwrap().outcome, Outcome::NotMet);
    assert_eq!(
        card.overrides()
            .map(|c| c.criterion.as_str())
            .collect::<Vec<_>>(),
        ["proc.3.reserved"]
    );
    // Without evidence there is nothing to override.
    let manual_only = score(Grid::spaser(), &sample()).unwrap();
    assert_eq!(manual_only.overrides().count(), 0);
}

#[test]
fn automatic_answers_raise_the_sample_score_and_change_the_action_plan() {
    let manual = score(Grid::spaser(), &sample()).unwrap();
    let auto = score_with(
        Grid::spaser(),
        &sample(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    assert!(auto.points > manual.points);
    // Measurement: meas.2 was blocked by its two automatic criteria; the DECP figures meet them.
    assert_eq!(manual.theme("measurement").unwrap().level, 1);
    let m = auto.theme("measurement").unwrap();
    assert!(m.level >= 2, "level {}", m.level);
    let plan = actions(Grid::spaser(), &auto).unwrap();
    assert!(!plan.iter().any(|a| a.criterion == "meas.2.social15"));
}

#[test]
fn plan_rules_read_the_projection_of_the_programme() {
    let ev = evidence_from(Source::Plan, &plan_fixture());
    let card = score_with(Grid::spaser(), &blank(), &ev, &ScoreOptions::default()).unwrap();
    // 2 of 5 planned lines carry a social lever: 40 % ≥ 30 %.
    let s = card.criterion("prog.4.plan_social30").unwrap();
    assert_eq!(s.status, Status::Met);
    let f = &s.automatic.as_ref().unwrap().figure;
    assert_eq!((f.source, f.year), (Some(Source::Plan), Some(2026)));
    assert_eq!(f.value, Some(share("0.4")));
    // 4 of 5 lines carry an environmental lever: not every line.
    assert_eq!(
        card.criterion("prog.4.plan_env_all").unwrap().status,
        Status::NotMet
    );
    // Rules on actuals do not read the plan's 2025… there is none: no data.
    assert_eq!(
        card.criterion("meas.3.social30").unwrap().origin,
        Origin::Unanswered
    );
}

#[test]
fn a_rule_with_a_source_ignores_the_other_source() {
    // Actuals in 2026 with every contract environmental, plan with 4 of 5: the plan rule
    // reads only the plan.
    let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let env = vec![spaser::Coverage::whole(
        Dimension::Environmental,
        Instrument::ExecutionClause,
    )];
    let all_green = vec![Owned {
        date: d,
        amount: "1000".parse().unwrap(),
        cpv: None,
        service: None,
        family: None,
        innovative: false,
        considerations: env,
    }];
    let ev = evidence_from(Source::Actuals, &all_green).with_table(Source::Plan, {
        let mut e = Grid::spaser().engine();
        e.extend(plan_fixture().iter().map(Owned::purchase));
        e.finish()
    });
    let card = score_with(Grid::spaser(), &blank(), &ev, &ScoreOptions::default()).unwrap();
    assert_eq!(
        card.criterion("prog.4.plan_env_all").unwrap().status,
        Status::NotMet
    );
}

#[test]
fn a_rule_without_source_reads_actuals_first_then_the_plan() {
    let rule = Rule::indicator("social", Basis::Count, Comparison::Ge, share("0.35"));
    let plan = evidence_from(Source::Plan, &plan_fixture());
    // Only the plan has 2026: 0.4 ≥ 0.35.
    let e = rule.evaluate(&plan, 2026);
    assert_eq!(
        (e.outcome, e.figure.source),
        (Outcome::Met, Some(Source::Plan))
    );
    // Actuals for 2026 take precedence: 1 contract, not social.
    let both = plan.with_purchases(
        Source::Actuals,
        Grid::spaser(),
        [spaser::Purchase::new(
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            "5000".parse().unwrap(),
        )],
    );
    let e = rule.evaluate(&both, 2026);
    assert_eq!(
        (e.outcome, e.figure.source),
        (Outcome::NotMet, Some(Source::Actuals))
    );
}

#[test]
fn comparisons_are_exact_at_the_threshold() {
    let ev = actuals(); // social 2025: 3/10
    for (op, t, outcome) in [
        (Comparison::Ge, "0.3", Outcome::Met),
        (Comparison::Gt, "0.3", Outcome::NotMet),
        (Comparison::Le, "0.3", Outcome::Met),
        (Comparison::Lt, "0.3", Outcome::NotMet),
        (Comparison::Ge, "0.3000000001", Outcome::NotMet),
        (Comparison::Lt, "0.3000000001", Outcome::Met),
    ] {
        let rule = Rule::indicator("social", Basis::Count, op, share(t)).year(2025);
        assert_eq!(rule.evaluate(&ev, 2000).outcome, outcome, "{op:?} {t}");
    }
}

#[test]
fn fact_rules_compare_the_programme_coverage() {
    let ev = Evidence::new().with_fact(FACT_PROGRAMME_COVERAGE, share("0.8"));
    let card = score_with(Grid::spaser(), &blank(), &ev, &ScoreOptions::default()).unwrap();
    let r80 = card.criterion("prog.3.coverage80").unwrap();
    assert_eq!(
        (r80.status.clone(), r80.origin),
        (Status::Met, Origin::Automatic)
    );
    assert_eq!(
        r80.automatic.as_ref().unwrap().figure.value,
        Some(share("0.8"))
    );
    assert_eq!(
        card.criterion("prog.5.coverage95").unwrap().status,
        Status::NotMet
    );
    // Without the fact: no data.
    let card = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    let r = card.criterion("prog.3.coverage80").unwrap();
    assert_eq!(r.origin, Origin::Unanswered);
    assert!(
        r.automatic
            .as_ref()
            .unwrap()
            .explanation
            .contains("programme_coverage")
    );
}

/// A grid with one theme whose level-1 criteria use a declared indicator and a breakdown.
fn custom_grid() -> Grid {
    let c = |id: &str, rule: Rule| Criterion {
        id: id.into(),
        text: Text::new(id, id),
        points: 1,
        evidence: Text::new("DECP", "DECP"),
        rule: Some(rule),
    };
    let plain = |id: &str| Criterion {
        id: id.into(),
        text: Text::new(id, id),
        points: 1,
        evidence: Text::new("-", "-"),
        rule: None,
    };
    Grid::new(GridData {
        id: "custom".into(),
        name: Text::new("custom", "custom"),
        version: String::new(),
        indicators: vec![
            Indicator::new("environmental_clause", Dimension::Environmental)
                .instruments([Instrument::ExecutionClause]),
        ],
        facts: Vec::new(),
        themes: vec![Theme {
            id: "t".into(),
            name: Text::new("t", "t"),
            levels: (1..=5)
                .map(|l| Level {
                    level: l,
                    name: None,
                    criteria: if l == 1 {
                        vec![
                            // "every contract launched since 2026-08-22 has an environmental
                            // clause" (L2112-2), read on the 2027 plan.
                            c(
                                "clause_2027",
                                Rule::indicator(
                                    "environmental_clause",
                                    Basis::Count,
                                    Comparison::Ge,
                                    Share::ONE,
                                )
                                .year(2027)
                                .source(Source::Plan),
                            ),
                            // The voirie service alone: 100 % social by value.
                            c(
                                "voirie_social",
                                Rule::indicator("social", Basis::Value, Comparison::Ge, Share::ONE)
                                    .group(GroupBy::Service, "voirie")
                                    .source(Source::Plan),
                            ),
                        ]
                    } else {
                        vec![plain(&format!("p{l}"))]
                    },
                })
                .collect(),
        }],
    })
    .unwrap()
}

#[test]
fn grids_may_declare_indicators_and_read_breakdown_rows() {
    let g = custom_grid();
    assert!(
        g.indicators()
            .iter()
            .any(|i| i.id == "environmental_clause")
    );
    let mut lines = plan_fixture();
    // Move the plan to 2027: only the voirie line has an environmental *clause* (the others
    // use a specification, a criterion, a label or nothing): 1 of 5.
    for l in &mut lines {
        l.date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    }
    let ev = Evidence::new().with_purchases(Source::Plan, &g, lines.iter().map(Owned::purchase));
    let a = Assessment::new("custom", NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(), "t");
    let card = score_with(&g, &a, &ev, &ScoreOptions::default()).unwrap();
    let clause = card.criterion("clause_2027").unwrap();
    assert_eq!(clause.status, Status::NotMet);
    let m = clause
        .automatic
        .as_ref()
        .unwrap()
        .figure
        .measure
        .clone()
        .unwrap();
    assert_eq!((m.count, m.purchases), (1, 5));
    let voirie = card.criterion("voirie_social").unwrap();
    assert_eq!(voirie.status, Status::Met);
    let m = voirie
        .automatic
        .as_ref()
        .unwrap()
        .figure
        .measure
        .clone()
        .unwrap();
    assert_eq!(m.purchases, 1);
    // A manual answer still wins.
    let a = a
        .with_answer("clause_2027", Answer::new(Status::Partly(share("0.6"))))
        .unwrap();
    let card = score_with(&g, &a, &ev, &ScoreOptions::default()).unwrap();
    let clause = card.criterion("clause_2027").unwrap();
    assert!(clause.overridden);
    assert_eq!(clause.earned, "0.6".parse::<Decimal>().unwrap());
}

#[test]
fn evaluations_are_listed_for_every_rule_of_the_grid() {
    let g = Grid::spaser();
    let all = g.evaluate(&actuals(), 2026);
    let with_rule = g
        .themes()
        .iter()
        .flat_map(|t| t.criteria())
        .filter(|(_, c)| c.rule.is_some())
        .count();
    assert_eq!(all.len(), with_rule);
}

#[test]
fn rules_on_contracts_notified_never_read_the_plan() {
    // A plan for 2025 is a projection, not contracts notified: the default grid's "notified
    // last year" criteria read actuals only and stay unanswered without them.
    let mut lines = plan_fixture();
    for l in &mut lines {
        l.date = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
    }
    let ev = evidence_from(Source::Plan, &lines);
    let card = score_with(Grid::spaser(), &blank(), &ev, &ScoreOptions::default()).unwrap();
    for id in [
        "meas.2.social15",
        "meas.3.social30",
        "proc.3.reserved",
        "src.4.innovative",
    ] {
        let r = card.criterion(id).unwrap();
        assert_eq!(r.origin, Origin::Unanswered, "{id}");
        assert!(
            r.automatic
                .as_ref()
                .unwrap()
                .explanation
                .contains("actuals"),
            "{id}"
        );
    }
}

#[test]
fn the_decp_modules_own_actuals_table_answers_the_same_criteria() {
    // `decp::indicators` computes the standard indicators through the same engine: its table
    // can feed the evidence directly, with the same answers as the grid's own engine.
    let text = include_str!("data/maturity_decp_fixture.json");
    let report = spaser::decp::indicators(text.as_bytes(), spaser::decp::Actuals::new()).unwrap();
    let from_decp = Evidence::new().with_table(Source::Actuals, report.marches);
    let a = score_with(
        Grid::spaser(),
        &blank(),
        &from_decp,
        &ScoreOptions::default(),
    )
    .unwrap();
    let b = score_with(
        Grid::spaser(),
        &blank(),
        &actuals(),
        &ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(a.points, b.points);
    for (x, y) in a.criteria.iter().zip(&b.criteria) {
        assert_eq!(
            (&x.criterion, &x.status, x.origin),
            (&y.criterion, &y.status, y.origin)
        );
    }
    assert_eq!(
        a.criterion("meas.3.social30")
            .unwrap()
            .automatic
            .as_ref()
            .unwrap()
            .figure
            .measure,
        b.criterion("meas.3.social30")
            .unwrap()
            .automatic
            .as_ref()
            .unwrap()
            .figure
            .measure
    );
}

#[test]
fn plan_rules_are_evaluated_on_the_sample_programme() {
    // The embedded sample programme (60 planned lines, 2026-2028) projected through the
    // indicator engine: each line counts with the dimensions it plans.
    let programme = spaser::Programme::sample();
    let ev = Evidence::new().with_purchases(
        Source::Plan,
        Grid::spaser(),
        programme.lines.iter().map(|l| l.purchase()),
    );
    for year in [2026, 2027] {
        let lines: Vec<_> = programme
            .lines
            .iter()
            .filter(|l| chrono::Datelike::year(&l.launch_date) == year)
            .collect();
        let social = lines
            .iter()
            .filter(|l| l.considerations.contains(&Dimension::Social))
            .count();
        let green = lines
            .iter()
            .filter(|l| l.considerations.contains(&Dimension::Environmental))
            .count();
        let a = blank().with_reference_year(year);
        let card = score_with(Grid::spaser(), &a, &ev, &ScoreOptions::default()).unwrap();
        let s = card.criterion("prog.4.plan_social30").unwrap();
        let m = s
            .automatic
            .as_ref()
            .unwrap()
            .figure
            .measure
            .clone()
            .unwrap();
        assert_eq!(
            (m.count, m.purchases),
            (social as u64, lines.len() as u64),
            "{year}"
        );
        // 30 % exactly: count × 10 ≥ lines × 3.
        let expect = if social * 10 >= lines.len() * 3 {
            Status::Met
        } else {
            Status::NotMet
        };
        assert_eq!(s.status, expect, "{year}");
        let e = card.criterion("prog.4.plan_env_all").unwrap();
        let expect = if green == lines.len() {
            Status::Met
        } else {
            Status::NotMet
        };
        assert_eq!(e.status, expect, "{year}");
        assert_eq!(e.origin, Origin::Automatic);
    }
}

#[test]
fn plan_rules_are_evaluated_on_the_planner_projection_of_the_sample_programme() {
    // The plan's projected standard indicators (`Plan::projected`, computed by the indicator
    // engine from the levers the planner assigned) answer the grid's plan criteria.
    use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
    let programme = Programme::sample();
    let rulebook = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rulebook);
    let plan = Planner::new(Catalogue::embedded(), rulebook)
        .plan(programme, &targets, &PlanOptions::default())
        .unwrap();
    let ev = Evidence::new().with_table(Source::Plan, plan.projected.clone());
    for year in [2026, 2027, 2028] {
        let total = |id: &str| plan.projected.total(id, year).unwrap().clone();
        let (social, env) = (total("social"), total("environmental"));
        let a = blank().with_reference_year(year);
        let card = score_with(Grid::spaser(), &a, &ev, &ScoreOptions::default()).unwrap();
        let s = card.criterion("prog.4.plan_social30").unwrap();
        assert_eq!(s.origin, Origin::Automatic);
        assert_eq!(
            s.automatic.as_ref().unwrap().figure.measure.as_ref(),
            Some(&social),
            "{year}"
        );
        let expect = if social.count * 10 >= social.purchases * 3 {
            Status::Met
        } else {
            Status::NotMet
        };
        assert_eq!(s.status, expect, "{year}");
        // The planner meets the environmental obligations of every line launched from
        // 2026-08-22 (L2112-2); the count share of a whole year is checked against the figure.
        let e = card.criterion("prog.4.plan_env_all").unwrap();
        let expect = if env.count == env.purchases {
            Status::Met
        } else {
            Status::NotMet
        };
        assert_eq!(e.status, expect, "{year}");
    }
    // The sample plan reaches both PNAD shares every year (the report says so too).
    let card = score_with(
        Grid::spaser(),
        &blank().with_reference_year(2027),
        &ev,
        &ScoreOptions::default(),
    )
    .unwrap();
    assert_eq!(
        card.criterion("prog.4.plan_social30").unwrap().status,
        Status::Met
    );
    assert_eq!(
        card.criterion("prog.4.plan_env_all").unwrap().status,
        Status::Met
    );
}
