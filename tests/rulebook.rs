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
fn works_exemption_values_of_2020_are_verified_and_their_uncertain_dates_noted() {
    // R2122-8: FACTS §6 (audit of 2026-12-03) verifies the 70,000 and 100,000 works values (V);
    // only their start days are "?" and said so in the entries' notes.
    let r = Rulebook::embedded();
    let e = r
        .no_competition_threshold(Nature::Works, day(2020, 7, 22))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("70000.00", Confidence::V)
    );
    assert!(e.note.as_deref().unwrap().contains("start ?"));
    let e = r
        .no_competition_threshold(Nature::Works, day(2020, 12, 8))
        .unwrap();
    assert_eq!(e.value.to_string(), "100000.00");
    assert!(e.note.as_deref().unwrap().contains("2020-12-09"));
    let e = r
        .no_competition_threshold(Nature::Works, day(2026, 1, 1))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("100000.00", Confidence::V)
    );
}

#[test]
fn article_labels_before_2019_04_01_are_those_of_the_cmp_and_decret_2016_360() {
    // R2122-8 exists only from 2019-04-01 (FACTS §6): before, CMP art. 28 then décret 2016-360
    // art. 30 I 8°.
    let r = Rulebook::embedded();
    let before = r
        .no_competition_threshold(Nature::Supplies, day(2019, 3, 31))
        .unwrap();
    assert!(before.article.contains("CMP art. 28"), "{}", before.article);
    assert!(before.article.contains("2016-360"));
    let after = r
        .no_competition_threshold(Nature::Supplies, day(2019, 4, 1))
        .unwrap();
    assert_eq!(after.article, "R2122-8");
    // the innovative exemption was an experiment of décret 2018-1225 until R2122-9-1 was
    // created by décret 2021-1634 (in force 2021-12-16)
    let exp = r
        .innovative_threshold(Nature::Supplies, day(2021, 12, 15))
        .unwrap();
    assert!(exp.article.contains("2018-1225"), "{}", exp.article);
    let code = r
        .innovative_threshold(Nature::Supplies, day(2021, 12, 16))
        .unwrap();
    assert_eq!(code.article, "R2122-9-1");
    assert!(code.source.as_deref().unwrap().contains("2021-1634"));
}

#[test]
fn sources_name_the_verified_texts() {
    // FACTS §6, point 14 of issue 14: EU regulations 2025/2150-2152 and 2025/2487 (defence),
    // 2023/2495-2497 and 2023/2510; décret 2025-1386; décret 2021-1634.
    let r = Rulebook::embedded();
    let src = |e: &spaser::ThresholdEntry| e.source.clone().unwrap_or_default();
    let d26 = day(2026, 6, 1);
    let d24 = day(2024, 6, 1);
    assert!(
        src(r
            .eu_threshold(BuyerKind::OtherContractingAuthority, Nature::Services, d26)
            .unwrap())
        .contains("2025/2152")
    );
    assert!(
        src(r
            .eu_threshold(BuyerKind::Utility, Nature::Services, d26)
            .unwrap())
        .contains("2025/2150")
    );
    assert!(
        src(r
            .eu_threshold(BuyerKind::DefenceSecurity, Nature::Services, d26)
            .unwrap())
        .contains("2025/2487")
    );
    let works = src(r
        .eu_threshold(BuyerKind::OtherContractingAuthority, Nature::Works, d26)
        .unwrap());
    assert!(
        works.contains("2025/2151") && works.contains("2025/2487"),
        "{works}"
    );
    assert!(
        src(r
            .eu_threshold(BuyerKind::DefenceSecurity, Nature::Supplies, d24)
            .unwrap())
        .contains("2023/2510")
    );
    assert!(
        src(r
            .eu_threshold(BuyerKind::CentralGovernment, Nature::Supplies, d24)
            .unwrap())
        .contains("2023/2495-2497")
    );
    assert!(
        src(r
            .no_competition_threshold(Nature::Supplies, day(2026, 4, 1))
            .unwrap())
        .contains("2025-1386")
    );
    // every EU figure is V from 2020, S for 2018-2019 (one secondary source)
    for e in &r.eu {
        let want = if e.period.start() < day(2020, 1, 1) {
            Confidence::S
        } else {
            Confidence::V
        };
        assert_eq!(e.confidence, want, "{}", e.period);
    }
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
    // R2122-9-1: 100,000; lots below 80,000 (supplies, services) or 100,000 (works), created
    // with the article by décret 2021-1634 (in force 2021-12-16); the exemption itself exists
    // from 2018-12-25 (experiment of décret 2018-1225).
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
    assert!(
        r.innovative_lot_threshold(Nature::Works, day(2021, 12, 15))
            .is_err()
    );
    assert!(
        r.innovative_lot_threshold(Nature::Works, day(2021, 12, 16))
            .is_ok()
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
fn specific_services_thresholds_are_the_directive_values() {
    // R2123-1 3°: the 750,000 / 1,000,000 publication thresholds are V in FACTS §6 (audit of
    // 2026-12-03); their use as "the EU threshold" of L2112-2-1 is a reading, said in the note.
    let r = Rulebook::embedded();
    let e = r
        .specific_services_threshold(BuyerKind::OtherContractingAuthority, day(2026, 6, 1))
        .unwrap();
    assert_eq!(
        (e.value.to_string().as_str(), e.confidence),
        ("750000.00", Confidence::V)
    );
    assert!(e.note.as_deref().unwrap().contains("(?)"));
    let e = r
        .specific_services_threshold(BuyerKind::Utility, day(2026, 6, 1))
        .unwrap();
    assert_eq!(e.value.to_string(), "1000000.00");
}

#[test]
fn eu_thresholds_of_2018_2019_judge_old_data_on_their_date() {
    // FACTS §6 (S): 144,000 / 221,000 / 443,000 / 5,548,000 in 2018-2019.
    let r = Rulebook::embedded();
    for (kind, nature, want) in [
        (BuyerKind::CentralGovernment, Nature::Supplies, "144000.00"),
        (
            BuyerKind::OtherContractingAuthority,
            Nature::Services,
            "221000.00",
        ),
        (BuyerKind::Utility, Nature::Supplies, "443000.00"),
        (BuyerKind::DefenceSecurity, Nature::Supplies, "443000.00"),
        (
            BuyerKind::OtherContractingAuthority,
            Nature::Works,
            "5548000.00",
        ),
    ] {
        let e = r.eu_threshold(kind, nature, day(2018, 1, 1)).unwrap();
        assert_eq!(
            (e.value.to_string().as_str(), e.confidence),
            (want, Confidence::S)
        );
    }
    assert!(
        r.eu_threshold(BuyerKind::Utility, Nature::Works, day(2017, 12, 31))
            .is_err()
    );
}

#[test]
fn unknown_future_eu_thresholds_are_carried_forward_only_as_estimates() {
    // FACTS §14: the 2028-2029 thresholds are not published; the last known value may be
    // carried forward as an estimate, never as a rule; a past gap is never estimated.
    let r = Rulebook::embedded();
    let t = r
        .eu_threshold_or_estimate(
            BuyerKind::CentralGovernment,
            Nature::Supplies,
            day(2028, 1, 1),
        )
        .unwrap();
    assert!(t.estimated);
    assert_eq!(t.entry.value.to_string(), "140000.00");
    let t = r
        .eu_threshold_or_estimate(
            BuyerKind::CentralGovernment,
            Nature::Supplies,
            day(2027, 12, 31),
        )
        .unwrap();
    assert!(!t.estimated);
    assert!(
        r.eu_threshold_or_estimate(
            BuyerKind::CentralGovernment,
            Nature::Supplies,
            day(2017, 6, 1)
        )
        .is_err()
    );
    assert!(
        r.eu_threshold(
            BuyerKind::CentralGovernment,
            Nature::Supplies,
            day(2028, 1, 1)
        )
        .is_err()
    );
}

fn embedded_json() -> serde_json::Value {
    serde_json::from_str(&Rulebook::embedded().to_json().unwrap()).unwrap()
}

#[test]
fn contradictory_rulebook_no_competition_above_eu_threshold_is_rejected() {
    // Issue 11, item 10: a no-competition threshold of 300,000 above the EU thresholds (140,000
    // for the State, 216,000 for other authorities) would give no_competition to a 250,000
    // services line (R2122-8 < L2124-1); the error names both entries and their periods.
    let mut v = embedded_json();
    for e in v["no_competition"].as_array_mut().unwrap() {
        if e["value"] == "60000.00" {
            e["value"] = "300000".into();
        }
    }
    let err = Rulebook::from_json(&v.to_string()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Inconsistent);
    let m = err.to_string();
    assert!(
        m.contains("section \"no_competition\"")
            && m.contains("300000.00")
            && m.contains("section \"eu\"")
            && m.contains("140000.00")
            && m.contains("2026-04-01/.."),
        "{m}"
    );
    // equal is contradictory too: the exemption is "strictly below", formal "at or above"
    let mut v = embedded_json();
    for e in v["no_competition"].as_array_mut().unwrap() {
        if e["value"] == "60000.00" {
            e["value"] = "140000".into();
        }
    }
    let m = Rulebook::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        m.contains("central_government") && m.contains("not below"),
        "{m}"
    );
}

#[test]
fn contradictory_rulebook_innovative_exemption_above_eu_threshold_is_rejected() {
    // R2122-9-1 < L2124-1 for every buyer kind on every date.
    let mut v = embedded_json();
    v["innovative"][1]["value"] = "150000".into();
    let m = Rulebook::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        m.contains("section \"innovative\"") && m.contains("not below"),
        "{m}"
    );
}

#[test]
fn overlapping_periods_of_one_entry_are_an_error_naming_both() {
    // Issue 11, item 10: two EU entries for the same buyer kind and nature overlapping.
    let mut v = embedded_json();
    let eu = v["eu"].as_array_mut().unwrap();
    let mut dup = eu
        .iter()
        .find(|e| e["period"] == "2026-01-01/2027-12-31" && e["buyer_kinds"][0] == "utility")
        .unwrap()
        .clone();
    dup["period"] = "2027-06-01/2028-12-31".into();
    dup["value"] = "500000".into();
    eu.push(dup);
    let m = Rulebook::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        m.contains("section \"eu\"")
            && m.contains("2026-01-01/2027-12-31")
            && m.contains("2027-06-01/2028-12-31")
            && m.contains("overlap"),
        "{m}"
    );
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
