//! The one indicator engine: numerators, denominators, breakdowns, merging (DESIGN.md §1).

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use spaser::{
    Amount, Basis, Coverage, Dimension, Dimensions, GroupBy, Indicator, IndicatorEngine,
    Instrument, Purchase, PurchaseFilter, Share,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const SOCIAL_CLAUSE: [Coverage; 1] = [Coverage {
    dimension: Dimension::Social,
    instrument: Instrument::ExecutionClause,
    share: Share::ONE,
}];

#[test]
fn partial_coverage_counts_by_count_and_by_its_share_of_value() {
    let thirty = [Coverage {
        dimension: Dimension::Environmental,
        instrument: Instrument::TechnicalSpecification,
        share: "0.3".parse().unwrap(),
    }];
    let mut p = Purchase::new(day(2026, 3, 1), Amount::from_cents(100_001));
    p.considerations = &thirty;
    let mut e = IndicatorEngine::new(vec![Indicator::new("env", Dimension::Environmental)]);
    e.add(&p);
    let t = e.finish();
    let m = t.total("env", 2026).unwrap();
    assert_eq!(m.count, 1);
    assert_eq!(m.covered_value, Decimal::new(3_000_030, 4)); // 1000.01 × 0.3, exact
    assert_eq!(m.value_share().unwrap().to_string(), "0.3");
}

#[test]
fn coverages_of_one_dimension_add_up_and_cap_at_the_whole_purchase() {
    let levers = [
        Coverage {
            dimension: Dimension::Environmental,
            instrument: Instrument::TechnicalSpecification,
            share: "0.7".parse().unwrap(),
        },
        Coverage {
            dimension: Dimension::Environmental,
            instrument: Instrument::AwardCriterion,
            share: "0.6".parse().unwrap(),
        },
    ];
    let mut p = Purchase::new(day(2027, 1, 1), Amount::from_euros(1000));
    p.considerations = &levers;
    let ind = Indicator::new("env", Dimension::Environmental);
    assert_eq!(ind.covered_share(&p), Decimal::ONE);
    let only_criteria = ind.clone().instruments([Instrument::AwardCriterion]);
    assert_eq!(only_criteria.covered_share(&p), Decimal::new(6, 1));
}

#[test]
fn unknown_considerations_count_in_the_denominator_as_not_responsible() {
    let mut p = Purchase::new(day(2025, 6, 1), Amount::from_euros(10));
    p.unknown = Dimensions::NONE.with(Dimension::Social);
    let mut e = IndicatorEngine::new(Indicator::standard());
    e.add(&p);
    let t = e.finish();
    let social = t.total("social", 2025).unwrap();
    assert_eq!((social.purchases, social.count, social.unknown), (1, 0, 1));
    assert_eq!(t.total("environmental", 2025).unwrap().unknown, 0);
}

#[test]
fn innovative_flag_counts_for_the_innovative_indicator() {
    let mut p = Purchase::new(day(2026, 1, 1), Amount::from_euros(10));
    p.innovative = true;
    let mut e = IndicatorEngine::new(Indicator::standard());
    e.add(&p);
    assert_eq!(e.finish().total("innovative", 2026).unwrap().count, 1);
}

#[test]
fn filter_restricts_the_denominator() {
    let filter = PurchaseFilter {
        min_amount: Some(Amount::from_euros(100)),
        ..PurchaseFilter::default()
    };
    let mut e = IndicatorEngine::new(vec![
        Indicator::new("big", Dimension::Social).filter(filter),
    ]);
    e.add(&Purchase::new(day(2026, 1, 1), Amount::from_euros(99)));
    e.add(&Purchase::new(day(2026, 1, 1), Amount::from_euros(100)));
    let t = e.finish();
    assert_eq!(t.total("big", 2026).unwrap().purchases, 1);
}

#[test]
fn shortfall_and_reaches_are_exact_on_both_bases() {
    let mut e = IndicatorEngine::new(vec![Indicator::new("s", Dimension::Social)]);
    for i in 0..10u32 {
        let mut p = Purchase::new(day(2026, 1, 1), Amount::from_euros(100 + i));
        if i < 3 {
            p.considerations = &SOCIAL_CLAUSE;
        }
        e.add(&p);
    }
    let t = e.finish();
    let m = t.total("s", 2026).unwrap();
    let thirty: Share = "0.3".parse().unwrap();
    assert!(m.reaches(thirty, Basis::Count));
    assert_eq!(
        m.shortfall("0.4".parse().unwrap(), Basis::Count),
        Decimal::ONE
    );
    // by value: 303 of 1045 < 0.3
    assert!(!m.reaches(thirty, Basis::Value));
    assert_eq!(m.shortfall(thirty, Basis::Value), Decimal::new(105, 1));
}

fn purchases() -> impl Strategy<Value = Vec<(u32, i32, u8, u8)>> {
    prop::collection::vec((0u32..5_000_000, 2024i32..2028, 0u8..4, 0u8..3), 0..60)
}

fn services() -> [&'static str; 4] {
    ["voirie", "écoles", "", "dsi"]
}

proptest! {
    /// The groups of a breakdown add up to the yearly total; shares stay in 0..=1; merging
    /// engines equals one engine; the table is the same whatever the order of purchases.
    #[test]
    fn sum_of_parts_equals_total_and_merge_equals_single_pass(rows in purchases()) {
        let mk = |rows: &[(u32, i32, u8, u8)]| {
            let mut e = IndicatorEngine::new(Indicator::standard()).by(GroupBy::Service);
            for &(cents, year, svc, cov) in rows {
                let mut p = Purchase::new(day(year, 6, 1), Amount::from_cents(u64::from(cents)));
                if svc < 3 { p.service = Some(services()[svc as usize]); }
                if cov == 1 { p.considerations = &SOCIAL_CLAUSE; }
                if cov == 2 { p.unknown = Dimensions::NONE.with(Dimension::Social); }
                e.add(&p);
            }
            e
        };
        let whole = mk(&rows).finish();
        let (a, b) = rows.split_at(rows.len() / 2);
        let mut left = mk(a);
        left.merge(mk(b));
        prop_assert_eq!(&left.finish(), &whole);
        let mut rev = rows.clone();
        rev.reverse();
        prop_assert_eq!(&mk(&rev).finish(), &whole);
        for year in whole.years() {
            for ind in ["social", "environmental", "reserved", "innovative"] {
                let total = whole.total(ind, year).unwrap();
                let mut sum = spaser::Measure::default();
                for r in whole.rows.iter().filter(|r| r.indicator == ind && r.year == year && r.group_by == GroupBy::Service) {
                    sum.merge(&r.measure);
                    prop_assert_eq!(whole.get(ind, year, GroupBy::Service, &r.group), Some(&r.measure));
                }
                prop_assert_eq!(&sum, total);
                for basis in [Basis::Count, Basis::Value] {
                    if let Some(s) = total.share(basis) {
                        prop_assert!(s >= Share::ZERO && s <= Share::ONE);
                    }
                }
            }
        }
    }
}

/// Considerations of a purchase: (dimension, instrument, share) by index.
fn coverages() -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0usize..3, 0usize..6, 0usize..6), 0..4)
}

proptest! {
    /// Each indicator's measure is what its `covered_share` gives purchase by purchase, added
    /// with `Measure::add`, whatever the considerations (whole, partial, several, of other
    /// dimensions, zero), the innovative flag, the unknown dimensions and the instruments an
    /// indicator lists.
    #[test]
    fn the_engine_counts_what_covered_share_gives(
        rows in prop::collection::vec((0u64..10_000_000, coverages(), any::<bool>(), 0u8..8), 0..40)
    ) {
        let shares: Vec<Share> = ["1", "0.3", "0.7", "1.00", "0", "1"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut indicators = Indicator::standard();
        for (k, d) in Dimension::ALL.into_iter().enumerate() {
            indicators.push(Indicator::new(format!("{k}_criterion"), d).instruments([Instrument::AwardCriterion]));
            indicators.push(
                Indicator::new(format!("{k}_two"), d)
                    .instruments([Instrument::ReservedContract, Instrument::LabelRequirement]),
            );
        }
        let lists: Vec<Vec<Coverage>> = rows
            .iter()
            .map(|(_, cs, _, _)| {
                cs.iter()
                    .map(|&(d, i, s)| Coverage {
                        dimension: Dimension::ALL[d],
                        instrument: Instrument::ALL[i],
                        share: shares[s],
                    })
                    .collect()
            })
            .collect();
        let purchases: Vec<Purchase<'_>> = rows
            .iter()
            .zip(&lists)
            .map(|(&(cents, _, innovative, unknown), list)| {
                let mut p = Purchase::new(day(2026, 2, 3), Amount::from_cents(cents));
                p.considerations = list;
                p.innovative = innovative;
                for (b, d) in Dimension::ALL.into_iter().enumerate() {
                    if unknown & (1 << b) != 0 {
                        p.unknown = p.unknown.with(d);
                    }
                }
                p
            })
            .collect();
        let mut engine = IndicatorEngine::new(indicators.clone());
        engine.extend(purchases.iter().cloned());
        let table = engine.finish();
        for ind in &indicators {
            let mut expected = spaser::Measure::default();
            for p in &purchases {
                expected.add(p.amount.as_decimal(), ind.covered_share(p), p.unknown.contains(ind.dimension));
            }
            let got = table.total(&ind.id, 2026).cloned().unwrap_or_default();
            prop_assert_eq!(got, expected, "{}", ind.id);
        }
    }
}
