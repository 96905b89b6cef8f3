//! Specification of planned against actual, per linked line, on the follow-up data set.

mod followup_support;

use chrono::NaiveDate;
use followup_support::{contracts, planned, programme};
use rust_decimal::Decimal;
use spaser::followup::{
    LineOutcome, LinkKind, LinkOptions, ProcedureCheck, Publication, compare, link,
};
use spaser::{Dimension, Instrument, Procedure};

fn outcomes() -> Vec<LineOutcome> {
    let (p, c) = (programme(), contracts("decp.json"));
    let o = LinkOptions::default();
    let linking = link(&p, &c, &o).unwrap();
    compare(&p, &c, &linking, &planned(), &o).unwrap()
}

fn line<'a>(v: &'a [LineOutcome], id: &str) -> &'a LineOutcome {
    v.iter().find(|o| o.line == id).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn publication(o: &LineOutcome, lever: &str) -> Publication {
    o.considerations
        .iter()
        .find(|c| c.lever.as_deref() == Some(lever))
        .unwrap()
        .publication
}

#[test]
fn every_linked_line_has_an_outcome_in_programme_order() {
    let v = outcomes();
    assert_eq!(v.len(), 33);
    let ids: Vec<&str> = v.iter().map(|o| o.line.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "L01…L40 are in programme order");
}

#[test]
fn estimate_against_awarded_amount_and_planned_against_notification_date() {
    let v = outcomes();
    let l01 = line(&v, "L01");
    assert_eq!(l01.estimate.as_decimal(), dec("48000"));
    assert_eq!(l01.awarded.unwrap().as_decimal(), dec("45800"));
    assert_eq!(l01.difference, Some(dec("-2200")));
    // adapted procedure (48,000 ≥ the €40,000 exemption threshold in force on 2026-01-12):
    // launch + 3 months = 2026-04-12; notified 2026-03-02, 41 days early
    assert_eq!(l01.procedure_required, Procedure::Adapted);
    assert_eq!(
        l01.expected_notification,
        NaiveDate::from_ymd_opt(2026, 4, 12).unwrap()
    );
    assert_eq!(l01.delay_days, Some(-41));
    // lots: the awarded amount is the sum of the three lots
    let l06 = line(&v, "L06");
    assert_eq!(l06.kind, LinkKind::Lots);
    assert_eq!(l06.awarded.unwrap().as_decimal(), dec("595000"));
    assert_eq!(l06.contracts.len(), 3);
}

#[test]
fn grouped_lines_share_the_contract_amount_in_proportion_to_their_estimates() {
    // 158,500 × 90,000 / 160,000 = 89,156.25; the other line takes the rest
    let v = outcomes();
    let (l15, l16) = (line(&v, "L15"), line(&v, "L16"));
    assert!(l15.shared && l16.shared);
    assert_eq!(l15.awarded.unwrap().as_decimal(), dec("89156.25"));
    assert_eq!(l16.awarded.unwrap().as_decimal(), dec("69343.75"));
}

#[test]
fn planned_levers_are_checked_against_the_published_considerations() {
    let v = outcomes();
    // L13: insertion clause planned, "Clause sociale" published
    assert_eq!(
        publication(line(&v, "L13"), "ins-cleaning"),
        Publication::Published
    );
    // the ecolabel (a label requirement) has no DECP code: the environmental clause shows it
    assert_eq!(
        publication(line(&v, "L13"), "ecolabel-cleaning"),
        Publication::OtherInstrument
    );
    // L17: an environmental award criterion planned, "Pas de considération environnementale"
    let l17 = line(&v, "L17");
    assert_eq!(
        publication(l17, "env-award-criterion"),
        Publication::NotPublished
    );
    assert_eq!(l17.missing().count(), 1);
    // L14: an insertion clause planned, a reserved contract published
    assert_eq!(
        publication(line(&v, "L14"), "ins-green-spaces"),
        Publication::OtherInstrument
    );
    // L06: the social consideration planned on the line is in one lot of three
    let social = line(&v, "L06")
        .considerations
        .iter()
        .find(|c| c.lever.is_none() && c.dimension == Dimension::Social)
        .unwrap();
    assert_eq!(social.publication, Publication::Partly);
    // L10 planned nothing
    assert!(line(&v, "L10").considerations.is_empty());
    // L02 planned a packaging clause; the contract published an environmental criterion
    assert_eq!(
        publication(line(&v, "L02"), "packaging-clause"),
        Publication::OtherInstrument
    );
    // L27 planned a social award criterion; the contract published a social clause
    assert!(
        line(&v, "L27")
            .unplanned_considerations
            .contains(&(Dimension::Social, Instrument::ExecutionClause))
    );
}

#[test]
fn procedure_used_is_compared_with_the_procedure_the_estimation_requires() {
    let v = outcomes();
    // L13: 420,000 ≥ €216,000 (EU threshold 2026-27, other contracting authorities): formal,
    // "Appel d'offres ouvert" used
    assert_eq!(line(&v, "L13").procedure_check, ProcedureCheck::AsRequired);
    // L14: 240,000 ≥ €216,000: formal required, "Procédure adaptée" used — to check
    let l14 = line(&v, "L14");
    assert_eq!(l14.procedure_required, Procedure::Formal);
    assert_eq!(l14.procedure_used, ["Procédure adaptée"]);
    assert_eq!(l14.procedure_check, ProcedureCheck::Lighter);
    // L09: 45,000 < €60,000 (exemption from 2026-04-01): no competition required, adapted used
    assert_eq!(line(&v, "L09").procedure_required, Procedure::NoCompetition);
    assert_eq!(line(&v, "L09").procedure_check, ProcedureCheck::Heavier);
}
