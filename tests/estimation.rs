//! Value estimation (R2121-1 to R2121-7): how lines add up into groups, and how the group's
//! value, not the line's, decides the procedure (splitting is unlawful, R2121-1).

use chrono::NaiveDate;
use spaser::{
    Amount, Buyer, BuyerKind, GroupKind, Nature, PlanLine, Procedure, Programme, Rulebook,
    WarningKind,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn line(id: &str, nature: Nature, euros: u32, date: NaiveDate) -> PlanLine {
    PlanLine::new(
        id,
        format!("line {id}"),
        nature,
        Amount::from_euros(euros),
        date,
    )
}

fn family(mut l: PlanLine, f: &str) -> PlanLine {
    l.family = Some(f.to_string());
    l
}

fn operation(mut l: PlanLine, op: &str) -> PlanLine {
    l.operation = Some(op.to_string());
    l
}

fn programme(lines: Vec<PlanLine>) -> Programme {
    Programme::new(
        Buyer::new("Ville", BuyerKind::OtherContractingAuthority),
        lines,
    )
    .unwrap()
}

#[test]
fn supplies_of_one_family_launched_in_one_year_add_up() {
    // R2121-6: homogeneous supplies add up whatever the number of contracts.
    let p = programme(vec![
        family(line("A", Nature::Supplies, 30_000, day(2026, 5, 1)), "PAP"),
        family(line("B", Nature::Supplies, 35_000, day(2026, 11, 1)), "PAP"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let g = est.group("supplies:PAP:2026").unwrap();
    assert_eq!(
        (g.kind, g.year, g.value.to_string().as_str()),
        (GroupKind::Family, Some(2026), "65000.00")
    );
    assert_eq!(g.line_ids().collect::<Vec<_>>(), ["A", "B"]);
    for id in ["A", "B"] {
        let l = est.line(id).unwrap();
        assert_eq!(l.group_key(), "supplies:PAP:2026");
        assert_eq!(l.group_value.to_string(), "65000.00");
        // 65,000 >= 60,000 (R2122-8 from 2026-04-01): no exemption for either line.
        assert_eq!(l.procedure, Procedure::Adapted);
    }
}

#[test]
fn a_family_splits_by_calendar_year_of_launch() {
    // R2121-1, FACTS §7: families add up per calendar year of the launch date.
    let p = programme(vec![
        family(
            line("A", Nature::Services, 50_000, day(2026, 12, 31)),
            "FOR",
        ),
        family(line("B", Nature::Services, 50_000, day(2027, 1, 1)), "FOR"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.groups.len(), 2);
    assert_eq!(est.line("A").unwrap().group_key(), "services:FOR:2026");
    assert_eq!(est.line("B").unwrap().group_key(), "services:FOR:2027");
    for id in ["A", "B"] {
        assert_eq!(est.line(id).unwrap().procedure, Procedure::NoCompetition);
    }
}

#[test]
fn supplies_and_services_with_the_same_family_key_do_not_add_up() {
    // R2121-6: supplies are homogeneous with supplies, services with services.
    let p = programme(vec![
        family(line("A", Nature::Supplies, 50_000, day(2026, 5, 1)), "ENT"),
        family(line("B", Nature::Services, 50_000, day(2026, 5, 1)), "ENT"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.groups.len(), 2);
    assert!(
        est.lines
            .iter()
            .all(|l| l.procedure == Procedure::NoCompetition)
    );
}

#[test]
fn works_of_one_operation_add_up_across_years() {
    // R2121-5: all works of one operation add up; the year does not split an operation.
    let p = programme(vec![
        operation(line("T1", Nature::Works, 3_000_000, day(2026, 9, 1)), "OP1"),
        operation(line("T2", Nature::Works, 2_500_000, day(2027, 2, 1)), "OP1"),
        operation(line("T3", Nature::Works, 90_000, day(2027, 3, 1)), "OP1"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let g = est.group("works:OP1").unwrap();
    assert_eq!((g.kind, g.year), (GroupKind::Operation, None));
    assert_eq!(g.value.to_string(), "5590000.00");
    // 5,590,000 >= 5,404,000 (L2124-1, 2026-2027): formal for every lot, even the 90,000 one.
    for id in ["T1", "T2", "T3"] {
        assert_eq!(est.line(id).unwrap().procedure, Procedure::Formal, "{id}");
    }
}

#[test]
fn lines_without_family_or_operation_stand_alone() {
    // R2121-1: nothing to add a line to when it has no family (supplies, services) or operation (works).
    let p = programme(vec![
        line("A", Nature::Supplies, 50_000, day(2026, 5, 1)),
        line("B", Nature::Supplies, 50_000, day(2026, 5, 1)),
        family(line("W", Nature::Works, 90_000, day(2026, 5, 1)), "PAP"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.groups.len(), 3);
    assert_eq!(est.line("A").unwrap().group_key(), "line:A");
    // Works group by operation only: a family key on a works line does not group it.
    assert_eq!(est.line("W").unwrap().group_key(), "line:W");
    assert!(est.groups.iter().all(|g| g.kind == GroupKind::Alone));
    assert!(
        est.lines
            .iter()
            .all(|l| l.procedure == Procedure::NoCompetition)
    );
}

#[test]
fn services_of_a_works_operation_do_not_join_the_works() {
    // R2121-5 adds up works; the project-management services of the operation are valued apart.
    let p = programme(vec![
        operation(line("T", Nature::Works, 1_000_000, day(2026, 5, 1)), "OP"),
        operation(line("MOE", Nature::Services, 50_000, day(2026, 5, 1)), "OP"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.line("MOE").unwrap().group_key(), "line:MOE");
    assert_eq!(est.line("MOE").unwrap().procedure, Procedure::NoCompetition);
}

#[test]
fn splitting_risk_is_warned_naming_the_lines() {
    // R2121-1: each line alone is below 60,000 (R2122-8) but the family reaches it.
    let p = programme(vec![
        family(line("A", Nature::Supplies, 25_000, day(2026, 5, 1)), "PAP"),
        family(line("B", Nature::Supplies, 20_000, day(2026, 6, 1)), "PAP"),
        family(line("C", Nature::Supplies, 19_000, day(2026, 7, 1)), "PAP"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    for id in ["A", "B", "C"] {
        let l = est.line(id).unwrap();
        assert_eq!(l.warnings().len(), 1, "{id}");
        let w = &l.warnings()[0];
        assert_eq!(w.kind, WarningKind::SplittingRisk);
        assert_eq!(w.threshold, Some(Amount::from_euros(60_000)));
        assert_eq!(w.article(), Some("R2122-8"));
        assert!(w.message().contains("A, B, C"), "{}", w.message());
        assert!(
            w.message().contains(&format!("line \"{id}\"")),
            "{}",
            w.message()
        );
    }
}

#[test]
fn splitting_risk_on_the_eu_threshold() {
    // L2124-1: two 120,000 lots of one family in 2026 reach 216,000 together.
    let p = programme(vec![
        family(line("A", Nature::Supplies, 120_000, day(2026, 5, 1)), "INF"),
        family(line("B", Nature::Supplies, 120_000, day(2026, 9, 1)), "INF"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let l = est.line("A").unwrap();
    assert_eq!(l.procedure, Procedure::Formal);
    assert_eq!(l.threshold, Some(Amount::from_euros(216_000)));
    assert_eq!(l.warnings().len(), 1);
    assert_eq!(l.warnings()[0].article(), Some("L2124-1"));
}

#[test]
fn no_warning_when_the_group_does_not_change_the_procedure() {
    let p = programme(vec![
        family(line("A", Nature::Supplies, 10_000, day(2026, 5, 1)), "PAP"),
        family(line("B", Nature::Supplies, 10_000, day(2026, 6, 1)), "PAP"),
        family(line("C", Nature::Supplies, 100_000, day(2026, 5, 1)), "X"),
        family(line("D", Nature::Supplies, 70_000, day(2026, 6, 1)), "X"),
    ]);
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert!(est.lines.iter().all(|l| l.warnings().is_empty()));
}

#[test]
fn innovative_line_alone_below_100k_but_group_above_is_a_splitting_risk() {
    // R2122-9-1: the innovative exemption applies to the estimated value of the need (the group).
    let mut a = family(line("A", Nature::Services, 50_000, day(2026, 5, 1)), "R&D");
    a.innovative = true;
    let b = family(line("B", Nature::Services, 60_000, day(2026, 5, 1)), "R&D");
    let est = programme(vec![a, b])
        .estimate(Rulebook::embedded())
        .unwrap();
    let l = est.line("A").unwrap();
    assert_eq!(l.procedure, Procedure::Adapted);
    assert!(
        l.warnings()
            .iter()
            .any(|w| w.article() == Some("R2122-9-1"))
    );
    assert!(l.warnings().iter().any(|w| w.article() == Some("R2122-8")));
}

#[test]
fn buyer_kind_picks_the_eu_column() {
    // L2124-1: 200,000 of services is formal for a central government authority (140,000) and
    // adapted for a local authority (216,000) or a utility (432,000) in 2026. A buyer recorded
    // with the defence kind takes the central government column for its ordinary contracts
    // (L1113-1: defence is a property of the contract, not of the buyer).
    for (kind, want) in [
        (BuyerKind::CentralGovernment, Procedure::Formal),
        (BuyerKind::OtherContractingAuthority, Procedure::Adapted),
        (BuyerKind::Utility, Procedure::Adapted),
        (BuyerKind::DefenceSecurity, Procedure::Formal),
    ] {
        let p = Programme::new(
            Buyer::new("b", kind),
            vec![line("A", Nature::Services, 200_000, day(2026, 5, 1))],
        )
        .unwrap();
        let est = p.estimate(Rulebook::embedded()).unwrap();
        assert_eq!(est.lines[0].procedure, want, "{kind}");
    }
}

#[test]
fn a_defence_or_security_contract_takes_the_defence_column_whoever_buys() {
    // L1113-1, L2124-1: the defence and security column (432,000 in 2026) belongs to the
    // contract's object; 200,000 of defence services is adapted for any buyer.
    for kind in [
        BuyerKind::CentralGovernment,
        BuyerKind::OtherContractingAuthority,
    ] {
        let mut l = line("A", Nature::Services, 200_000, day(2026, 5, 1));
        l.defence_security = true;
        let p = Programme::new(Buyer::new("b", kind), vec![l]).unwrap();
        let est = p.estimate(Rulebook::embedded()).unwrap();
        assert_eq!(est.lines[0].procedure, Procedure::Adapted, "{kind}");
        assert_eq!(est.lines[0].threshold, Some(Amount::from_euros(432_000)));
    }
}

#[test]
fn sample_programme_group_values_are_sums_of_their_lines() {
    let p = Programme::sample();
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.lines.len(), p.lines.len());
    let mut seen = 0;
    for g in &est.groups {
        let sum = Amount::sum(g.line_ids().map(|id| p.line(id).unwrap().amount)).unwrap();
        assert_eq!(sum, g.value, "{}", g.key());
        seen += g.line_ids().len();
    }
    assert_eq!(seen, p.lines.len(), "every line is in exactly one group");
}

#[test]
fn sample_programme_shows_every_procedure_and_splitting_cases() {
    let est = Programme::sample().estimate(Rulebook::embedded()).unwrap();
    // the sample buys nothing through an intermediary
    for p in [
        Procedure::NoCompetition,
        Procedure::Adapted,
        Procedure::Formal,
    ] {
        assert!(est.lines.iter().any(|l| l.procedure == p), "{p}");
    }
    let splitting = est
        .lines
        .iter()
        .filter(|l| {
            l.warnings()
                .iter()
                .any(|w| w.kind == WarningKind::SplittingRisk)
        })
        .count();
    assert!(splitting >= 4);
    // R2122-9-1 is used by the innovative sensors line (85,000, above 60,000).
    assert_eq!(est.line("F26-10").unwrap().legal_basis(), "R2122-9-1");
}

#[test]
fn estimation_is_deterministic() {
    let p = Programme::sample();
    let a = serde_json::to_string(&p.estimate(Rulebook::embedded()).unwrap()).unwrap();
    let b = serde_json::to_string(&p.clone().estimate(Rulebook::embedded()).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn estimation_serde_round_trip_is_lossless() {
    // Shared strings (ids, keys, articles) are serialized as plain strings and read back.
    let est = Programme::sample().estimate(Rulebook::embedded()).unwrap();
    let json = serde_json::to_string(&est).unwrap();
    let back: spaser::Estimation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, est);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert!(
        json.contains("\"line_ids\":[\"F26-01\""),
        "{}",
        &json[..200]
    );
}

#[test]
fn specific_services_stay_adapted_above_the_eu_threshold_of_their_group() {
    let specific = |id: &str, euros: u32| {
        let mut l = family(line(id, Nature::Services, euros, day(2026, 9, 1)), "REST");
        l.specific_services = true;
        l
    };
    let p = Programme::new(
        Buyer::new("Ville", BuyerKind::OtherContractingAuthority),
        vec![
            specific("S1", 150_000),
            specific("S2", 150_000),
            family(
                line("N1", Nature::Services, 150_000, day(2026, 9, 1)),
                "REST",
            ),
        ],
    )
    .unwrap();
    let est = p.estimate(Rulebook::embedded()).unwrap();
    // one group of 450,000: above the EU services threshold (216,000), below the EU
    // publication threshold of specific services (750,000)
    assert_eq!(est.groups.len(), 1);
    for id in ["S1", "S2"] {
        let l = est.line(id).unwrap();
        assert_eq!(l.procedure, Procedure::Adapted, "{id}");
        assert_eq!(l.legal_basis(), "R2123-1 3°", "{id}");
        assert_eq!(l.threshold, None);
        // the EU threshold does not change their procedure: no splitting risk for it
        assert!(l.warnings().is_empty(), "{id}: {:?}", l.warnings());
    }
    // an ordinary line of the same family follows the EU threshold, with the splitting warning
    let n1 = est.line("N1").unwrap();
    assert_eq!(n1.procedure, Procedure::Formal);
    assert!(
        n1.warnings()
            .iter()
            .any(|w| w.kind == WarningKind::SplittingRisk)
    );
}
