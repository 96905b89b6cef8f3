//! Specification of the landing forecast on the follow-up data set (`tests/data/followup/`) at
//! three reference dates of 2026: end of March, June and September. The figures of the awarded
//! part were checked against the DECP file independently of the crate (a few lines of Python
//! over the JSON: contracts of SIREN 214909996 notified from 1 January to the date).

mod followup_support;

use chrono::NaiveDate;
use followup_support::{contracts, planned, programme, targets};
use rust_decimal::Decimal;
use spaser::followup::{
    Closure, Forecast, ForecastOptions, LateLines, PlannedLevers, TargetLanding, forecast,
};
use spaser::{Catalogue, ErrorKind};

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

const DATES: [(u32, u32); 3] = [(3, 31), (6, 30), (9, 30)];

fn at(m: u32, d: u32) -> Forecast {
    forecast(
        &programme(),
        &planned(),
        &contracts("decp.json"),
        &targets(),
        2026,
        date(m, d),
        &ForecastOptions::default(),
    )
    .unwrap()
}

fn target<'f>(f: &'f Forecast, id: &str) -> &'f TargetLanding {
    f.targets.iter().find(|t| t.id == id).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn awarded_part_is_the_buyers_contracts_notified_from_january_to_the_reference_date() {
    // (contracts, value, of which with a social consideration, their value, environmental)
    let expected = [
        (1, "45800", 0, "0", 1),
        (17, "2734500", 6, "1302400", 12),
        (34, "6955000", 11, "3488400", 21),
    ];
    for ((m, d), (n, value, social, social_value, env)) in DATES.into_iter().zip(expected) {
        let f = at(m, d);
        assert_eq!(f.awarded_contracts, n, "{m}/{d}");
        assert_eq!(f.awarded_value.as_decimal(), dec(value), "{m}/{d}");
        let s = &target(&f, "social-count").awarded;
        assert_eq!((s.count, s.purchases), (social, n as u64), "{m}/{d}");
        assert_eq!(
            target(&f, "social-value").awarded.covered_value,
            dec(social_value)
        );
        assert_eq!(target(&f, "environmental-count").awarded.count, env);
    }
}

#[test]
fn remaining_lines_are_those_not_awarded_and_expected_in_the_rest_of_the_year() {
    let f = at(6, 30);
    assert_eq!(f.remaining.len(), 21);
    // L29 (lighting, adapted procedure launched 2026-02-02, expected 2026-05-02) is late: still
    // expected, the day after the reference date
    let l29 = f.remaining.iter().find(|r| r.line == "L29").unwrap();
    assert!(l29.late);
    assert_eq!(l29.expected, date(7, 1));
    for r in &f.remaining {
        assert!(r.expected > date(6, 30) && r.expected <= date(12, 31));
        assert!(
            f.linking.link_of(&r.line).is_none(),
            "{} is awarded",
            r.line
        );
        // cancelled (L37), central purchasing (L38), below the DECP threshold (L23): never
        assert!(!["L23", "L37", "L38"].contains(&r.line.as_str()));
    }
    let later = at(9, 30);
    let ids: Vec<&str> = later.remaining.iter().map(|r| r.line.as_str()).collect();
    assert_eq!(ids, ["L29", "L09", "L39", "L22", "L35"]);
    assert!(at(3, 31).remaining.len() > f.remaining.len());
}

#[test]
fn landing_is_the_awarded_part_plus_the_remaining_lines_with_their_planned_levers() {
    for (m, d) in DATES {
        let f = at(m, d);
        for t in &f.targets {
            let mut sum = t.awarded.clone();
            sum.merge(&t.remaining);
            assert_eq!(sum, t.landing, "{} {m}/{d}", t.id);
            assert_eq!(t.met, t.landing.reaches(t.goal, t.basis));
            assert_eq!(t.landing_share, t.landing.share(t.basis));
        }
    }
    // end of September: 11 social contracts of 34 awarded, 2 of the 5 remaining lines carry a
    // social lever (L29 insertion hours, L35 insertion hours): 13 of 39, below 35 %
    let f = at(9, 30);
    let s = target(&f, "social-count");
    assert_eq!((s.landing.count, s.landing.purchases), (13, 39));
    assert!(!s.met);
    assert_eq!(s.shortfall, dec("0.65")); // 39 × 0.35 − 13
}

#[test]
fn egalim_counts_planned_levers_only_where_the_contract_published_the_dimension() {
    // EGalim targets a goal the DECP cannot show: the three lots of L06 published an
    // environmental clause, so L06's planned levers count (quality 50 % + organic 20 % of the
    // value): 0.7 × 595,000 = 416,500.
    let f = at(6, 30);
    let e = target(&f, "egalim-quality");
    assert_eq!((e.awarded.purchases, e.awarded.count), (3, 3));
    assert_eq!(e.awarded.value, dec("595000"));
    assert_eq!(e.awarded.covered_value, dec("416500"));
    // L39 (receptions, catering services) remains, with egalim-quality only: 0.5 × 50,000
    assert_eq!(e.remaining.covered_value, dec("25000"));
}

/// The planned levers of the data set plus, on each closing purchase of `keep`, its levers.
fn with_closing<'a>(
    base: PlannedLevers<'a>,
    t: &TargetLanding,
    keep: &[bool],
) -> PlannedLevers<'a> {
    let closing = t.closing.as_ref().unwrap();
    let mut p = base;
    for (cp, k) in closing.purchases.iter().zip(keep) {
        if *k {
            p = p.with(cp.line.clone(), cp.levers.clone()).unwrap();
        }
    }
    p
}

#[test]
fn a_gap_is_closed_by_the_listed_purchases_and_none_of_them_can_be_left_out() {
    let (p, c, ts) = (programme(), contracts("decp.json"), targets());
    let mut checked = 0;
    for (m, d) in DATES {
        let f = at(m, d);
        for t in f.targets.iter().filter(|t| !t.met) {
            let closing = t.closing.as_ref().unwrap();
            if closing.closure != Closure::Closes {
                continue;
            }
            assert!(closing.landing_after.reaches(t.goal, t.basis));
            assert!(!closing.purchases.is_empty());
            let dim = ts.targets.iter().find(|x| x.id == t.id).unwrap().dimension;
            for cp in &closing.purchases {
                assert!(f.remaining.iter().any(|r| r.line == cp.line));
                for l in &cp.levers {
                    assert_eq!(Catalogue::embedded().get(l).unwrap().dimension, dim);
                }
            }
            // with every closing lever planned, the target is met; without any one, it is not
            let n = closing.purchases.len();
            let check = |keep: &[bool]| {
                let pl = with_closing(planned(), t, keep);
                let g = forecast(
                    &p,
                    &pl,
                    &c,
                    &ts,
                    2026,
                    date(m, d),
                    &ForecastOptions::default().close_gaps(false),
                )
                .unwrap();
                target(&g, &t.id).met
            };
            assert!(check(&vec![true; n]), "{} {m}/{d}", t.id);
            for i in 0..n {
                let mut keep = vec![true; n];
                keep[i] = false;
                assert!(
                    !check(&keep),
                    "{} {m}/{d}: {} is not needed",
                    t.id,
                    closing.purchases[i].line
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} gaps closed");
}

#[test]
fn a_gap_no_remaining_purchase_can_close_is_out_of_reach() {
    // end of September: 21 of 34 awarded contracts carry an environmental consideration and 5
    // lines remain: at best 26 of 39 = 66.7 % < 80 %
    let f = at(9, 30);
    let e = target(&f, "environmental-count");
    assert!(!e.met);
    let closing = e.closing.as_ref().unwrap();
    assert_eq!(closing.closure, Closure::OutOfReach);
    assert!(closing.purchases.is_empty());
}

#[test]
fn late_lines_can_be_taken_as_abandoned() {
    let f = forecast(
        &programme(),
        &planned(),
        &contracts("decp.json"),
        &targets(),
        2026,
        date(6, 30),
        &ForecastOptions::default().late_lines(LateLines::Abandoned),
    )
    .unwrap();
    assert!(f.remaining.iter().all(|r| r.line != "L29" && !r.late));
    assert_eq!(f.remaining.len(), 20);
}

#[test]
fn reference_date_outside_the_year_is_an_error() {
    let e = forecast(
        &programme(),
        &planned(),
        &[],
        &targets(),
        2027,
        date(6, 30),
        &ForecastOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
}

#[test]
fn forecast_is_deterministic() {
    let a = serde_json::to_string(&at(6, 30)).unwrap();
    let b = serde_json::to_string(&at(6, 30)).unwrap();
    assert_eq!(a, b);
}
