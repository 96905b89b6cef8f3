//! The renewal calendar: latest launch and sourcing dates from lead times per procedure.

use chrono::NaiveDate;
use spaser::{
    Amount, Buyer, BuyerKind, Calendar, LeadTimes, Nature, PlanLine, Procedure, Programme, Rulebook,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn renewal(id: &str, euros: u32, launch: NaiveDate, end: NaiveDate) -> PlanLine {
    let mut l = PlanLine::new(
        id,
        "renewal",
        Nature::Services,
        Amount::from_euros(euros),
        launch,
    );
    l.current_end_date = Some(end);
    l
}

fn calendar(lines: Vec<PlanLine>, lead: LeadTimes, reference: NaiveDate) -> Calendar {
    let p = Programme::new(Buyer::new("b", BuyerKind::OtherContractingAuthority), lines).unwrap();
    let est = p.estimate(Rulebook::embedded()).unwrap();
    Calendar::new(&p, &est, &lead, reference).unwrap()
}

#[test]
fn default_lead_times_are_1_3_6_months_and_2_months_of_sourcing() {
    let lead = LeadTimes::default();
    assert_eq!(lead.months(Procedure::NoCompetition), 1);
    assert_eq!(lead.months(Procedure::Adapted), 3);
    assert_eq!(lead.months(Procedure::Formal), 6);
    assert_eq!(lead.sourcing_months(), 2);
}

#[test]
fn launch_by_is_end_date_minus_the_procedure_lead_time() {
    let end = day(2026, 12, 31);
    let cal = calendar(
        vec![
            renewal("NC", 30_000, day(2026, 5, 1), end), // no competition: 1 month
            renewal("AD", 100_000, day(2026, 5, 1), end), // adapted: 3 months
            renewal("FO", 300_000, day(2026, 5, 1), end), // formal (>= 216,000): 6 months
        ],
        LeadTimes::default(),
        day(2026, 1, 1),
    );
    let e = |id| cal.entry(id).unwrap();
    assert_eq!(e("NC").launch_by, Some(day(2026, 11, 30)));
    assert_eq!(e("NC").sourcing_by, Some(day(2026, 9, 30)));
    assert_eq!(e("AD").launch_by, Some(day(2026, 9, 30)));
    assert_eq!(e("AD").sourcing_by, Some(day(2026, 7, 30)));
    assert_eq!(e("FO").launch_by, Some(day(2026, 6, 30)));
    assert_eq!(e("FO").sourcing_by, Some(day(2026, 4, 30)));
    assert!(cal.entries.iter().all(|e| !e.late && !e.planned_too_late));
}

#[test]
fn a_line_is_late_the_day_after_its_launch_deadline() {
    let line = renewal("FO", 300_000, day(2026, 5, 1), day(2026, 12, 31));
    let on_time = calendar(vec![line.clone()], LeadTimes::default(), day(2026, 6, 30));
    assert!(!on_time.entries[0].late);
    assert!(on_time.entries[0].sourcing_late);
    let late = calendar(vec![line], LeadTimes::default(), day(2026, 7, 1));
    assert!(late.entries[0].late);
    assert_eq!(late.late().count(), 1);
}

#[test]
fn lead_times_are_configurable() {
    let line = renewal("FO", 300_000, day(2026, 5, 1), day(2026, 12, 31));
    let cal = calendar(
        vec![line],
        LeadTimes::default().formal(9).sourcing(4),
        day(2026, 1, 1),
    );
    assert_eq!(cal.entries[0].launch_by, Some(day(2026, 3, 31)));
    assert_eq!(cal.entries[0].sourcing_by, Some(day(2025, 11, 30)));
    // The planned launch (2026-05-01) is after the deadline: the plan itself is late.
    assert!(cal.entries[0].planned_too_late);
}

#[test]
fn lines_without_current_contract_have_no_deadline() {
    let l = PlanLine::new(
        "N",
        "new",
        Nature::Supplies,
        Amount::from_euros(10),
        day(2026, 5, 1),
    );
    let cal = calendar(vec![l], LeadTimes::default(), day(2030, 1, 1));
    let e = &cal.entries[0];
    assert_eq!((e.launch_by, e.sourcing_by, e.late), (None, None, false));
}

#[test]
fn a_mismatched_estimation_is_rejected() {
    let p = Programme::sample();
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let other = Programme::new(p.buyer.clone(), p.lines[1..].to_vec()).unwrap();
    let err = Calendar::new(&other, &est, &LeadTimes::default(), day(2026, 1, 1)).unwrap_err();
    assert_eq!(err.kind(), spaser::ErrorKind::Inconsistent);
}
