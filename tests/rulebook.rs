//! The rulebook: dated thresholds with article, period and confidence (FACTS §6), lookups by
//! launch date, validation of user-supplied rulebooks.

use chrono::NaiveDate;
use spaser::{BuyerKind, Confidence, ErrorKind, Nature, Rulebook};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn no_competition_lookup_returns_value_article_period_and_confidence() {
    // R2122-8, décret 2025-1386: 60,000 for supplies and services from 2026-04-01.
    let e = Rulebook::embedded()
        .no_competition_threshold(Nature::Services, day(2026, 4, 1))
        .unwrap();
    assert_eq!(e.value.to_string(), "60000.00");
    assert_eq!(e.article, "R2122-8");
    assert_eq!(e.period.to_string(), "2026-04-01/..");
    assert_eq!(e.confidence, Confidence::V);
}

#[test]
fn works_exemption_dates_of_2020_are_secondary_source() {
    // R2122-8: the start dates of the 70,000 and 100,000 works thresholds are tagged S in FACTS §6.
    let r = Rulebook::embedded();
    let e = r
        .no_competition_threshold(Nature::Works, day(2020, 7, 22))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("70000.00", Confidence::S)
    );
    let e = r
        .no_competition_threshold(Nature::Works, day(2026, 1, 1))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("100000.00", Confidence::V)
    );
}

#[test]
fn no_threshold_before_2015_10_01_is_a_no_rule_error() {
    // R2122-8: the rulebook starts with the 25,000 threshold of 2015-10-01; earlier is unknown.
    let err = Rulebook::embedded()
        .no_competition_threshold(Nature::Supplies, day(2015, 9, 30))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoRule);
    assert!(err.to_string().contains("2015-09-30"), "{err}");
}

#[test]
fn eu_thresholds_unknown_after_2027_are_a_no_rule_error() {
    // L2124-1: thresholds for 2028-2029 are not published in FACTS §6: never guessed.
    let r = Rulebook::embedded();
    assert!(
        r.eu_threshold(BuyerKind::Utility, Nature::Works, day(2027, 12, 31))
            .is_ok()
    );
    let err = r
        .eu_threshold(BuyerKind::Utility, Nature::Works, day(2028, 1, 1))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoRule);
}

#[test]
fn eu_threshold_columns_by_buyer_kind_2026_2027() {
    // L2124-1, Commission delegated regulations 2025/2150-2152.
    let r = Rulebook::embedded();
    let d = day(2026, 6, 1);
    let want = [
        (BuyerKind::CentralGovernment, "140000.00"),
        (BuyerKind::OtherContractingAuthority, "216000.00"),
        (BuyerKind::Utility, "432000.00"),
        (BuyerKind::DefenceSecurity, "432000.00"),
    ];
    for (kind, v) in want {
        for nature in [Nature::Supplies, Nature::Services] {
            let e = r.eu_threshold(kind, nature, d).unwrap();
            assert_eq!(e.value.to_string(), v, "{kind} {nature}");
            assert_eq!(e.article, "L2124-1");
        }
        assert_eq!(
            r.eu_threshold(kind, Nature::Works, d)
                .unwrap()
                .value
                .to_string(),
            "5404000.00",
            "works, {kind}"
        );
    }
}

#[test]
fn innovative_threshold_and_lot_thresholds() {
    // R2122-9-1: 100,000; lots below 80,000 (supplies, services) or 100,000 (works); since 2018-12-25.
    let r = Rulebook::embedded();
    let d = day(2026, 6, 1);
    assert_eq!(
        r.innovative_threshold(Nature::Supplies, d)
            .unwrap()
            .value
            .to_string(),
        "100000.00"
    );
    assert_eq!(
        r.innovative_lot_threshold(Nature::Services, d)
            .unwrap()
            .value
            .to_string(),
        "80000.00"
    );
    assert_eq!(
        r.innovative_lot_threshold(Nature::Works, d)
            .unwrap()
            .value
            .to_string(),
        "100000.00"
    );
    assert!(!r.innovative_in_force(day(2018, 12, 24)));
    assert!(r.innovative_in_force(day(2018, 12, 25)));
    assert_eq!(
        r.innovative_threshold(Nature::Works, day(2018, 12, 24))
            .unwrap_err()
            .kind(),
        ErrorKind::NoRule
    );
}

#[test]
fn specific_services_thresholds_are_marked_unknown() {
    // R2123-1 3°: the 750,000 / 1,000,000 publication thresholds are tagged "?" in FACTS §6.
    let r = Rulebook::embedded();
    let e = r
        .specific_services_threshold(BuyerKind::OtherContractingAuthority, day(2026, 6, 1))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("750000.00", Confidence::Unknown)
    );
    let e = r
        .specific_services_threshold(BuyerKind::Utility, day(2026, 6, 1))
        .unwrap();
    assert_eq!(e.value.to_string(), "1000000.00");
}

#[test]
fn rulebook_json_round_trip_is_lossless() {
    let r = Rulebook::embedded();
    let json = r.to_json().unwrap();
    assert_eq!(&Rulebook::from_json(&json).unwrap(), r);
    assert_eq!(Rulebook::from_json(&json).unwrap().to_json().unwrap(), json);
}

const MINIMAL: &str = r#"{
  "no_competition": [
    {"value": "40000", "period": "2020-01-01/2026-03-31", "natures": ["supplies"], "article": "R2122-8", "confidence": "V"},
    {"value": "60000", "period": "2026-04-01/..", "natures": ["supplies"], "article": "R2122-8", "confidence": "V"}
  ],
  "eu": [
    {"value": "216000", "period": "2026-01-01/2027-12-31", "natures": ["supplies"], "buyer_kinds": ["other_contracting_authority"], "article": "L2124-1", "confidence": "V"}
  ]
}"#;

#[test]
fn user_rulebook_loads_with_optional_sections_defaulted() {
    let r = Rulebook::from_json(MINIMAL).unwrap();
    assert!(r.innovative.is_empty());
    assert_eq!(r.procedure_articles.adapted, "R2123-1 1°");
    assert_eq!(
        r.no_competition_threshold(Nature::Supplies, day(2026, 3, 31))
            .unwrap()
            .value
            .to_string(),
        "40000.00"
    );
    assert_eq!(
        r.no_competition_threshold(Nature::Works, day(2026, 3, 31))
            .unwrap_err()
            .kind(),
        ErrorKind::NoRule
    );
}

#[test]
fn overlapping_periods_for_one_nature_are_rejected() {
    let bad = MINIMAL.replace("2020-01-01/2026-03-31", "2020-01-01/2026-04-01");
    let err = Rulebook::from_json(&bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Inconsistent);
    assert!(err.to_string().contains("overlap"), "{err}");
}

#[test]
fn overlapping_periods_for_different_buyer_kinds_are_allowed() {
    let two_columns = MINIMAL.replace(
        r#"{"value": "216000""#,
        r#"{"value": "140000", "period": "2026-01-01/2027-12-31", "natures": ["supplies"], "buyer_kinds": ["central_government"], "article": "L2124-1", "confidence": "V"},
    {"value": "216000""#,
    );
    assert!(Rulebook::from_json(&two_columns).is_ok());
    let clash = two_columns.replace(r#""buyer_kinds": ["central_government"], "#, "");
    assert_eq!(
        Rulebook::from_json(&clash).unwrap_err().kind(),
        ErrorKind::Inconsistent
    );
}

#[test]
fn bad_values_in_a_rulebook_are_parse_errors() {
    for (from, to) in [
        (r#""value": "40000""#, r#""value": "-1""#),
        (r#""confidence": "V""#, r#""confidence": "X""#),
        ("2020-01-01/2026-03-31", "2026-03-31/2020-01-01"),
        (r#"["supplies"]"#, r#"["stationery"]"#),
    ] {
        let bad = MINIMAL.replacen(from, to, 1);
        assert_eq!(
            Rulebook::from_json(&bad).unwrap_err().kind(),
            ErrorKind::Parse,
            "{to}"
        );
    }
    let no_nature = MINIMAL.replacen(r#"["supplies"]"#, "[]", 1);
    assert_eq!(
        Rulebook::from_json(&no_nature).unwrap_err().kind(),
        ErrorKind::Inconsistent
    );
}

#[test]
fn a_user_can_override_a_figure() {
    // Where a figure is not V, the user must be able to override it: load a patched rulebook.
    let json = Rulebook::embedded()
        .to_json()
        .unwrap()
        .replace("\"750000.00\"", "\"800000.00\"");
    let r = Rulebook::from_json(&json).unwrap();
    let e = r
        .specific_services_threshold(BuyerKind::CentralGovernment, day(2026, 1, 1))
        .unwrap();
    assert_eq!(e.value.to_string(), "800000.00");
}
