//! Specification of maturity scoring: each rule of `spaser::maturity::Scorecard` pinned on
//! small hand-made grids, the default grid, the action plan and progress, and invariants.
//!
//! Conventions: the level rule follows the UK Flexible Framework (a theme is at the highest
//! level whose criteria, and those of every lower level, are met); points, "not concerned"
//! answers and stars at 35 / 50 / 65 / 75 % follow Territoires en Transitions (FACTS §10).

mod maturity_support;

use chrono::NaiveDate;
use maturity_support::{grid, theme};
use proptest::prelude::*;
use rust_decimal::Decimal;
use spaser::Share;
use spaser::maturity::{
    Answer, Assessment, Grid, Origin, ScoreOptions, StarThresholds, Status, actions, progress,
    score, score_with,
};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()
}

fn share(s: &str) -> Share {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// An assessment of the test grid with the given answers.
fn assess(answers: &[(&str, Status)]) -> Assessment {
    let mut a = Assessment::new("test", date(), "tester");
    for (c, s) in answers {
        a = a.with_answer(*c, Answer::new(s.clone())).unwrap();
    }
    a
}

fn na() -> Status {
    Status::NotApplicable("not concerned".into())
}

/// One theme "t": level L holds criteria "aL" (2 points) and "bL" (3 points).
fn two_per_level() -> Grid {
    grid(vec![theme(
        "t",
        [
            &[("a1", 2), ("b1", 3)],
            &[("a2", 2), ("b2", 3)],
            &[("a3", 2), ("b3", 3)],
            &[("a4", 2), ("b4", 3)],
            &[("a5", 2), ("b5", 3)],
        ],
    )])
}

#[test]
fn level_is_the_highest_whose_criteria_and_all_lower_ones_are_met() {
    let g = two_per_level();
    // Levels 1, 2 and 4 fully met; level 3 half met: the level stops at 2.
    let a = assess(&[
        ("a1", Status::Met),
        ("b1", Status::Met),
        ("a2", Status::Met),
        ("b2", Status::Met),
        ("a3", Status::Met),
        ("b3", Status::NotMet),
        ("a4", Status::Met),
        ("b4", Status::Met),
    ]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.themes[0].level, 2);
    // Points still count above the level: 5 + 5 + 2 + 5 = 17 of 25.
    assert_eq!(card.themes[0].points, dec("17"));
    assert_eq!(card.themes[0].potential, dec("25"));
}

#[test]
fn level_is_zero_when_a_first_level_criterion_is_not_met() {
    let g = two_per_level();
    let a = assess(&[
        ("a1", Status::Met),
        ("a2", Status::Met),
        ("b2", Status::Met),
    ]);
    assert_eq!(score(&g, &a).unwrap().themes[0].level, 0);
}

#[test]
fn level_is_five_when_every_criterion_is_met() {
    let g = two_per_level();
    let all: Vec<(&str, Status)> = ["a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4", "a5", "b5"]
        .into_iter()
        .map(|c| (c, Status::Met))
        .collect();
    let card = score(&g, &assess(&all)).unwrap();
    assert_eq!(card.themes[0].level, 5);
    assert_eq!(card.themes[0].score, Some(Share::ONE));
    assert_eq!(card.stars, 4);
}

#[test]
fn unanswered_criterion_counts_as_not_met_and_keeps_its_potential() {
    let g = two_per_level();
    let card = score(&g, &assess(&[("a1", Status::Met)])).unwrap();
    let b1 = card.criterion("b1").unwrap();
    assert_eq!(b1.origin, Origin::Unanswered);
    assert_eq!(b1.status, Status::NotMet);
    assert_eq!(b1.potential, 3);
    assert_eq!(card.themes[0].level, 0);
    assert_eq!(card.themes[0].potential, dec("25"));
}

#[test]
fn partly_counts_its_share_of_points_but_not_for_the_level() {
    let g = two_per_level();
    let a = assess(&[("a1", Status::Met), ("b1", Status::Partly(share("0.5")))]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.criterion("b1").unwrap().earned, dec("1.5"));
    assert_eq!(card.themes[0].points, dec("3.5"));
    assert_eq!(card.themes[0].level, 0, "partly is not met");
    assert_eq!(card.themes[0].score, Some(share("0.14")));
}

#[test]
fn partly_with_share_one_still_does_not_reach_the_level() {
    // "partly" is the assessor's statement that the criterion is not fully met; only "met"
    // unlocks a level, whatever the share.
    let g = two_per_level();
    let a = assess(&[("a1", Status::Met), ("b1", Status::Partly(Share::ONE))]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.themes[0].level, 0);
    assert_eq!(card.themes[0].points, dec("5"));
}

#[test]
fn not_applicable_removes_potential_and_does_not_block_the_level() {
    let g = two_per_level();
    let a = assess(&[
        ("a1", Status::Met),
        ("b1", na()),
        ("a2", Status::Met),
        ("b2", Status::Met),
    ]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.themes[0].level, 2);
    assert_eq!(card.themes[0].potential, dec("22"));
    assert_eq!(card.themes[0].points, dec("7"));
    let b1 = card.criterion("b1").unwrap();
    assert_eq!((b1.potential, b1.earned), (0, Decimal::ZERO));
}

#[test]
fn a_level_whose_criteria_are_all_not_applicable_does_not_stop_the_climb() {
    let g = two_per_level();
    let a = assess(&[
        ("a1", Status::Met),
        ("b1", Status::Met),
        ("a2", na()),
        ("b2", na()),
        ("a3", Status::Met),
        ("b3", Status::Met),
    ]);
    assert_eq!(score(&g, &a).unwrap().themes[0].level, 3);
}

#[test]
fn theme_with_nothing_applicable_has_no_score_and_is_flagged_on_the_radar() {
    let g = grid(vec![theme(
        "t",
        [
            &[("a1", 1)],
            &[("a2", 1)],
            &[("a3", 1)],
            &[("a4", 1)],
            &[("a5", 1)],
        ],
    )]);
    let a = assess(&[
        ("a1", na()),
        ("a2", na()),
        ("a3", na()),
        ("a4", na()),
        ("a5", na()),
    ]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.themes[0].score, None);
    assert_eq!(card.score, None);
    assert_eq!(card.stars, 0);
    let radar = card.radar();
    assert!(!radar[0].applicable);
    assert_eq!(radar[0].score, Share::ZERO);
}

#[test]
fn overall_score_is_total_points_over_total_applicable_potential() {
    // Theme x: potential 5, all met. Theme y: potential 20, 5 earned. Overall 10/25 = 0.4,
    // not the mean of theme scores (0.625): themes weigh by their potential.
    let g = grid(vec![
        theme(
            "x",
            [
                &[("x1", 1)],
                &[("x2", 1)],
                &[("x3", 1)],
                &[("x4", 1)],
                &[("x5", 1)],
            ],
        ),
        theme(
            "y",
            [
                &[("y1", 5)],
                &[("y2", 4)],
                &[("y3", 4)],
                &[("y4", 4)],
                &[("y5", 3)],
            ],
        ),
    ]);
    let a = assess(&[
        ("x1", Status::Met),
        ("x2", Status::Met),
        ("x3", Status::Met),
        ("x4", Status::Met),
        ("x5", Status::Met),
        ("y1", Status::Met),
    ]);
    let card = score(&g, &a).unwrap();
    assert_eq!(card.points, dec("10"));
    assert_eq!(card.potential, dec("25"));
    assert_eq!(card.score, Some(share("0.4")));
    assert_eq!(card.theme("y").unwrap().score, Some(share("0.25")));
    assert_eq!(card.stars, 1);
}

/// One 100-point criterion at level 1, levels 2..=5 not applicable: the score is the share.
fn hundred() -> Grid {
    grid(vec![theme(
        "t",
        [
            &[("big", 100)],
            &[("a2", 1)],
            &[("a3", 1)],
            &[("a4", 1)],
            &[("a5", 1)],
        ],
    )])
}

fn stars_at(s: &str, options: &ScoreOptions) -> u8 {
    let a = assess(&[
        ("big", Status::Partly(share(s))),
        ("a2", na()),
        ("a3", na()),
        ("a4", na()),
        ("a5", na()),
    ]);
    let card = score_with(&hundred(), &a, &Default::default(), options).unwrap();
    assert_eq!(card.score, Some(share(s)));
    card.stars
}

#[test]
fn stars_are_earned_at_exactly_35_50_65_and_75_percent() {
    // Territoires en Transitions: stars at 35 / 50 / 65 / 75 % of the potential (FACTS §10).
    let o = ScoreOptions::default();
    for (s, stars) in [
        ("0", 0),
        ("0.3499", 0),
        ("0.35", 1),
        ("0.4999", 1),
        ("0.5", 2),
        ("0.6499", 2),
        ("0.65", 3),
        ("0.7499", 3),
        ("0.75", 4),
        ("1", 4),
    ] {
        assert_eq!(stars_at(s, &o), stars, "score {s}");
    }
}

#[test]
fn star_thresholds_are_configurable() {
    let o = ScoreOptions::default().stars(
        StarThresholds::new([
            share("0.2"),
            share("0.4"),
            share("0.6"),
            share("0.8"),
            share("0.9"),
        ])
        .unwrap(),
    );
    assert_eq!(stars_at("0.19", &o), 0);
    assert_eq!(stars_at("0.2", &o), 1);
    assert_eq!(stars_at("0.9", &o), 5);
}

#[test]
fn star_thresholds_must_be_strictly_increasing_and_positive() {
    assert!(StarThresholds::new([share("0.5"), share("0.4")]).is_err());
    assert!(StarThresholds::new([Share::ZERO]).is_err());
    assert!(StarThresholds::new([]).is_err());
    let t: Result<StarThresholds, _> = serde_json::from_str(r#"["0.35","0.3"]"#);
    assert!(t.is_err());
}

#[test]
fn stars_compare_exactly_without_rounding_a_repeating_ratio() {
    // 7 points of 20 = 0.35 exactly; 34.99… never rounds up to a star.
    assert_eq!(StarThresholds::default().stars(dec("7"), dec("20")), 1);
    assert_eq!(StarThresholds::default().stars(dec("6.9999"), dec("20")), 0);
    assert_eq!(StarThresholds::default().stars(dec("1"), dec("3")), 0);
}

#[test]
fn actions_are_the_unmet_criteria_of_the_next_level_ordered_by_points() {
    let g = grid(vec![
        theme(
            "t",
            [
                &[("a1", 1)],
                &[
                    ("small", 1),
                    ("big", 5),
                    ("mid", 3),
                    ("done", 4),
                    ("skip", 2),
                ],
                &[("a3", 1)],
                &[("a4", 1)],
                &[("a5", 1)],
            ],
        ),
        theme(
            "top",
            [
                &[("t1", 1)],
                &[("t2", 1)],
                &[("t3", 1)],
                &[("t4", 1)],
                &[("t5", 1)],
            ],
        ),
    ]);
    let a = assess(&[
        ("a1", Status::Met),
        ("mid", Status::Partly(share("0.5"))),
        ("done", Status::Met),
        ("skip", na()),
        ("a3", Status::Met),
        ("t1", Status::Met),
        ("t2", Status::Met),
        ("t3", Status::Met),
        ("t4", Status::Met),
        ("t5", Status::Met),
    ]);
    let card = score(&g, &a).unwrap();
    let plan = actions(&g, &card).unwrap();
    let ids: Vec<&str> = plan.iter().map(|x| x.criterion.as_str()).collect();
    // Level 3's a3 is met but does not matter: the next level is 2. A theme at level 5 has
    // no action; not applicable and met criteria are not actions.
    assert_eq!(ids, ["big", "mid", "small"]);
    assert!(plan.iter().all(|x| x.level == 2 && x.theme == "t"));
    assert_eq!(plan[1].gain, dec("1.5"));
}

#[test]
fn progress_reports_level_and_points_per_theme() {
    let g = two_per_level();
    let before = score(&g, &assess(&[("a1", Status::Met), ("b1", Status::NotMet)])).unwrap();
    let after = score(
        &g,
        &assess(&[
            ("a1", Status::Met),
            ("b1", Status::Met),
            ("a2", Status::Partly(share("0.5"))),
        ]),
    )
    .unwrap();
    let p = progress(&before, &after).unwrap();
    let t = &p.themes[0];
    assert_eq!((t.level_before, t.level_after), (0, 1));
    assert_eq!((t.points_before, t.points_after), (dec("2"), dec("6")));
    assert_eq!(t.points_delta, dec("4"));
    assert_eq!(p.newly_met, ["b1"]);
    assert!(p.no_longer_met.is_empty());
    let back = progress(&after, &before).unwrap();
    assert_eq!(back.themes[0].points_delta, dec("-4"));
    assert_eq!(back.no_longer_met, ["b1"]);
}

#[test]
fn progress_between_different_grids_is_refused() {
    let a = score(&two_per_level(), &assess(&[])).unwrap();
    let mut other = a.clone();
    other.grid = "other".into();
    assert!(progress(&a, &other).is_err());
}

#[test]
fn default_grid_validates_and_has_seven_themes_of_five_levels_of_three_to_five_criteria() {
    let g = Grid::from_json(include_str!("../src/data/maturity_grid.json")).unwrap();
    assert_eq!(&g, Grid::spaser());
    let ids: Vec<&str> = g.themes().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "governance",
            "programme",
            "sourcing",
            "process",
            "execution",
            "measurement",
            "people"
        ]
    );
    for t in g.themes() {
        assert_eq!(t.levels.len(), 5, "{}", t.id);
        for l in &t.levels {
            assert!(
                (3..=5).contains(&l.criteria.len()),
                "{} level {}",
                t.id,
                l.level
            );
        }
    }
    // Several criteria evaluate themselves, from actuals, from the plan and from a fact.
    let rules: Vec<_> = g
        .themes()
        .iter()
        .flat_map(|t| t.criteria())
        .filter_map(|(_, c)| c.rule.as_ref())
        .collect();
    assert!(rules.len() >= 10);
    assert!(rules.iter().any(|r| r.fact.is_some()));
    assert!(
        rules
            .iter()
            .any(|r| r.source == Some(spaser::maturity::Source::Plan))
    );
}

#[test]
fn grid_and_assessment_json_round_trip() {
    let g = Grid::spaser();
    let back = Grid::from_json(&g.to_json()).unwrap();
    assert_eq!(&back, g);
    let a =
        Assessment::from_json(include_str!("../src/data/maturity_sample_assessment.json")).unwrap();
    a.check(g).unwrap();
    let again = Assessment::from_json(&a.to_json()).unwrap();
    assert_eq!(again, a);
    // Deterministic output: same input, same bytes.
    assert_eq!(a.to_json(), again.to_json());
    let card = score(g, &a).unwrap();
    let j1 = serde_json::to_string(&card).unwrap();
    let j2 = serde_json::to_string(&score(g, &again).unwrap()).unwrap();
    assert_eq!(j1, j2);
    let card_back: spaser::maturity::Scorecard = serde_json::from_str(&j1).unwrap();
    assert_eq!(card_back, card);
}

#[test]
fn sample_assessment_scores_as_documented_in_the_readme() {
    let g = Grid::spaser();
    let a =
        Assessment::from_json(include_str!("../src/data/maturity_sample_assessment.json")).unwrap();
    let card = score(g, &a).unwrap();
    let levels: Vec<u8> = card.themes.iter().map(|t| t.level).collect();
    // governance: gov.2.followup partly; programme: prog.2.renewals partly; sourcing:
    // src.1.watch partly; process: proc.2.labels partly; execution: exec.1.kickoff partly;
    // measurement: the automatic meas.2 criteria have no figure; people: people.2.trained partly.
    assert_eq!(levels, [1, 1, 0, 1, 0, 1, 1]);
    assert!(
        card.score
            .is_some_and(|s| s > Share::ZERO && s < Share::ONE)
    );
}

// ---------------------------------------------------------------------------------------
// Invariants.

/// 0 unanswered, 1 met, 2 not met, 3 partly (share k/100), 4 not applicable.
fn status_of(code: u8, k: u8) -> Option<Status> {
    match code {
        0 => None,
        1 => Some(Status::Met),
        2 => Some(Status::NotMet),
        3 => Some(Status::Partly(
            Share::ratio(Decimal::from(k % 101), Decimal::ONE_HUNDRED).unwrap(),
        )),
        _ => Some(na()),
    }
}

fn assessment_of(g: &Grid, codes: &[(u8, u8)]) -> Assessment {
    let mut a = Assessment::new(g.id(), date(), "prop");
    let ids: Vec<String> = g
        .themes()
        .iter()
        .flat_map(|t| t.criteria())
        .map(|(_, c)| c.id.clone())
        .collect();
    for (id, (code, k)) in ids.iter().zip(codes) {
        if let Some(s) = status_of(*code, *k) {
            a = a.with_answer(id, Answer::new(s)).unwrap();
        }
    }
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn scores_stay_within_zero_and_one(codes in prop::collection::vec((0u8..5, 0u8..=100), 105)) {
        let g = Grid::spaser();
        let card = score(g, &assessment_of(g, &codes)).unwrap();
        for t in &card.themes {
            prop_assert!(t.level <= 5);
            prop_assert!(t.points >= Decimal::ZERO && t.points <= t.potential);
            if let Some(s) = t.score {
                prop_assert!(s >= Share::ZERO && s <= Share::ONE);
            }
        }
        if let Some(s) = card.score {
            prop_assert!(s <= Share::ONE);
        }
        prop_assert!(card.stars <= 4);
    }

    #[test]
    fn meeting_one_more_criterion_never_lowers_a_level_or_a_score(
        codes in prop::collection::vec((0u8..5, 0u8..=100), 105),
        pick in 0usize..105,
    ) {
        let g = Grid::spaser();
        let before_a = assessment_of(g, &codes);
        let (theme, _, c) = g
            .themes()
            .iter()
            .flat_map(|t| t.criteria().map(move |(l, c)| (t, l, c)))
            .nth(pick)
            .unwrap();
        let after_a = before_a.clone().with_answer(&c.id, Answer::new(Status::Met)).unwrap();
        let before = score(g, &before_a).unwrap();
        let after = score(g, &after_a).unwrap();
        let (tb, ta) = (before.theme(&theme.id).unwrap(), after.theme(&theme.id).unwrap());
        prop_assert!(ta.level >= tb.level);
        prop_assert!(ta.points >= tb.points);
        prop_assert!(ta.score.unwrap_or(Share::ZERO) >= tb.score.unwrap_or(Share::ZERO));
        prop_assert!(after.score.unwrap_or(Share::ZERO) >= before.score.unwrap_or(Share::ZERO));
        prop_assert!(after.stars >= before.stars);
        for (x, y) in before.themes.iter().zip(&after.themes) {
            if x.id != theme.id {
                prop_assert_eq!(x, y);
            }
        }
    }

    #[test]
    fn assessment_json_round_trips(codes in prop::collection::vec((0u8..5, 0u8..=100), 105)) {
        let a = assessment_of(Grid::spaser(), &codes);
        prop_assert_eq!(Assessment::from_json(&a.to_json()).unwrap(), a);
    }
}

// ---------------------------------------------------------------------------------------
// Oracle: the scoring rules restated naively, checked on random small grids.

/// Random grid: 1..=3 themes, each level 1..=3 criteria of 1..=9 points.
fn arb_grid() -> impl Strategy<Value = Vec<[Vec<u32>; 5]>> {
    let level = prop::collection::vec(1u32..10, 1..=3);
    let theme = [
        level.clone(),
        level.clone(),
        level.clone(),
        level.clone(),
        level,
    ];
    prop::collection::vec(theme, 1..=3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn scoring_matches_a_naive_restatement_of_the_rules(
        shape in arb_grid(),
        codes in prop::collection::vec((0u8..5, 0u8..=100), 45),
    ) {
        use spaser::maturity::{Criterion, GridData, Level, Text, Theme};
        let themes: Vec<Theme> = shape.iter().enumerate().map(|(ti, levels)| Theme {
            id: format!("t{ti}"),
            name: Text::new("t", "t"),
            levels: levels.iter().enumerate().map(|(li, pts)| Level {
                level: u8::try_from(li + 1).unwrap(),
                name: None,
                criteria: pts.iter().enumerate().map(|(ci, p)| Criterion {
                    id: format!("t{ti}.{}.{ci}", li + 1),
                    text: Text::new("c", "c"),
                    points: *p,
                    evidence: Text::new("e", "e"),
                    rule: None,
                }).collect(),
            }).collect(),
        }).collect();
        let g = Grid::new(GridData {
            id: "test".into(), name: Text::new("t", "t"), version: String::new(),
            indicators: vec![], facts: vec![], themes,
        }).unwrap();
        let a = assessment_of(&g, &codes);
        let card = score(&g, &a).unwrap();
        let (mut all_points, mut all_potential) = (Decimal::ZERO, Decimal::ZERO);
        for (t, ts) in g.themes().iter().zip(&card.themes) {
            let status = |id: &str| a.answer(id).map(|x| x.status.clone()).unwrap_or(Status::NotMet);
            // Level: climb while every applicable criterion of the level is met.
            let mut level = 0;
            for l in &t.levels {
                let ok = l
                    .criteria
                    .iter()
                    .all(|c| matches!(status(&c.id), Status::Met | Status::NotApplicable(_)));
                if !ok { break; }
                level = l.level;
            }
            prop_assert_eq!(ts.level, level);
            // Points over applicable potential.
            let (mut pts, mut pot) = (Decimal::ZERO, Decimal::ZERO);
            for (_, c) in t.criteria() {
                let p = Decimal::from(c.points);
                match status(&c.id) {
                    Status::Met => { pts += p; pot += p; }
                    Status::Partly(s) => { pts += p * s.as_decimal(); pot += p; }
                    Status::NotMet => { pot += p; }
                    Status::NotApplicable(_) => {}
                    _ => unreachable!("a status this test does not know"),
                }
            }
            prop_assert_eq!(ts.points, pts.normalize());
            prop_assert_eq!(ts.potential, pot.normalize());
            all_points += pts;
            all_potential += pot;
        }
        prop_assert_eq!(card.score, Share::ratio(all_points, all_potential));
        let expected_stars = [35, 50, 65, 75]
            .into_iter()
            .filter(|p| all_potential > Decimal::ZERO
                && all_points * Decimal::ONE_HUNDRED >= all_potential * Decimal::from(*p))
            .count();
        prop_assert_eq!(usize::from(card.stars), expected_stars);
    }
}
