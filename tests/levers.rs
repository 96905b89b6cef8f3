//! The lever catalogue: format, validation, applicability and insertion hours (FACTS §8–9).

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use spaser::{
    Amount, BuyerKind, Catalogue, Dimension, ErrorKind, InsertionParams, InsertionTotals,
    Instrument, Nature, PurchaseContext, Share, round_up_hours,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ctx(id: &str, nature: Nature, cpv: &str, euros: u32) -> PurchaseContext {
    PurchaseContext::new(
        id,
        nature,
        Amount::from_euros(euros),
        d(2026, 9, 1),
        BuyerKind::OtherContractingAuthority,
    )
    .with_cpv(cpv.parse().unwrap())
}

const GOOD: &str = r#"{"levers":[{"id":"a","label_fr":"a","label_en":"a","dimension":"social",
  "instrument":"execution_clause","applies_to":{"any":true,"natures":["works"]},
  "effort":{"base_days":"1"},"legal_reference":"L2112-2","ambition":"core"}]}"#;

fn with(field_json: &str) -> String {
    GOOD.replace(
        r#""ambition":"core""#,
        &format!(r#""ambition":"core",{field_json}"#),
    )
}

#[test]
fn embedded_catalogue_is_valid_and_has_at_least_30_levers() {
    let cat = Catalogue::from_json(include_str!("../src/data/levers.json")).unwrap();
    assert!(cat.levers().len() >= 30);
    // the embedded catalogue is the file with the model wordings merged at load
    let cat = cat
        .with_wording(include_str!("../src/data/lever_wording.json"))
        .unwrap();
    assert_eq!(&cat, Catalogue::embedded());
    // serde round trip is byte-identical
    let json = cat.to_json().unwrap();
    assert_eq!(
        Catalogue::from_json(&json).unwrap().to_json().unwrap(),
        json
    );
}

#[test]
fn embedded_catalogue_covers_the_required_families() {
    let cat = Catalogue::embedded();
    let has = |id: &str| assert!(cat.get(id).is_some(), "missing lever {id}");
    for id in [
        "ins-works",
        "ins-cleaning",
        "ins-green-spaces",
        "ins-catering",
        "ins-waste",
        "ins-it-reconditioning",
        "reserved-l2113-12",
        "reserved-l2113-13",
        "reserved-l2113-15",
        "soc-award-insertion",
        "fairtrade-food",
        "fairtrade-textiles",
        "ecolabel-paper",
        "ecolabel-cleaning",
        "ecolabel-textiles",
        "ecolabel-it",
        "reuse-it",
        "recycled-paper",
        "energy-works",
        "low-emission-vehicles",
        "egalim-quality",
        "egalim-organic",
        "env-award-criterion",
        "lcc-criterion",
        "waste-clause-works",
        "packaging-clause",
        "ghg-reporting",
        "innovative-purchase",
    ] {
        has(id);
    }
    for l in cat.levers() {
        // every insertion clause is a social execution clause with parameters
        if l.id.starts_with("ins-") {
            assert_eq!(
                (l.dimension, l.instrument),
                (Dimension::Social, Instrument::ExecutionClause)
            );
            assert!(l.insertion.is_some(), "{}", l.id);
        }
        // no lever favours local suppliers (unlawful)
        assert_ne!(
            l.goal.as_ref().map(|g| g.as_str()),
            Some("economic.localEconomyPromotion")
        );
        assert!(!l.legal_reference.is_empty());
    }
    // L2113-15 only for at most 3 years (FACTS §8)
    assert_eq!(
        cat.get("reserved-l2113-15")
            .unwrap()
            .applies_to
            .max_duration_months,
        Some(36)
    );
    // "30 % reconditioned IT equipment" covers 30 % of the line's value
    assert_eq!(cat.get("reuse-it").unwrap().coverage.to_string(), "0.3");
}

#[test]
fn catalogue_rejects_an_unknown_instrument_naming_entry_and_field() {
    let json = GOOD.replace("execution_clause", "bribe");
    let e = Catalogue::from_json(&json).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    let m = e.to_string();
    assert!(
        m.contains("lever \"a\" (entry 1)") && m.contains("field \"instrument\""),
        "{m}"
    );
}

#[test]
fn catalogue_rejects_negative_effort() {
    let json = GOOD.replace(r#""base_days":"1""#, r#""base_days":"-1""#);
    let m = Catalogue::from_json(&json).unwrap_err().to_string();
    assert!(
        m.contains("lever \"a\"") && m.contains("field \"effort.base_days\""),
        "{m}"
    );
    let json = GOOD.replace(
        r#""base_days":"1""#,
        r#""base_days":"1","per_million_days":"-0.5""#,
    );
    let m = Catalogue::from_json(&json).unwrap_err().to_string();
    assert!(m.contains("field \"effort.per_million_days\""), "{m}");
}

#[test]
fn catalogue_rejects_duplicate_ids() {
    let one = &GOOD[r#"{"levers":["#.len()..GOOD.len() - 2];
    let json = format!(r#"{{"levers":[{one},{one}]}}"#);
    let e = Catalogue::from_json(&json).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Duplicate);
    assert!(
        e.to_string()
            .contains("lever \"a\" (entry 2), field \"id\""),
        "{e}"
    );
}

#[test]
fn catalogue_rejects_other_bad_entries_naming_the_field() {
    for (patch, field) in [
        (r#""colour":"green""#, "colour"),
        (r#""goal":"economic.localEconomyPromotion""#, "goal"),
        (r#""goal":"environmental.recycling""#, "goal"),
        (r#""coverage":"1.5""#, "coverage"),
        (r#""coverage":"0""#, "coverage"),
        (
            r#""applies_to":{"cpv_prefixes":["4a"]}"#,
            "applies_to.cpv_prefixes",
        ),
        (
            r#""applies_to":{"min_amount":"10","max_amount":"5"}"#,
            "applies_to.max_amount",
        ),
        (r#""applies_to":{"natures":["gifts"]}"#, "applies_to"),
        (
            r#""insertion":{"rate":"0.05","hourly_cost":"0","default_labour_share":"0.5"}"#,
            "insertion.hourly_cost",
        ),
        (r#""agec_category":"Chaussettes""#, "agec_category"),
    ] {
        let m = Catalogue::from_json(&with(patch)).unwrap_err().to_string();
        assert!(
            m.contains("lever \"a\"") && m.contains(&format!("field \"{field}\"")),
            "{patch}: {m}"
        );
    }
    let m = Catalogue::from_json(&GOOD.replace(r#""label_fr":"a","#, ""))
        .unwrap_err()
        .to_string();
    assert!(m.contains("lever \"a\"") && m.contains("label_fr"), "{m}");
}

#[test]
fn applicable_levers_fit_the_line_and_are_ranked_by_effort() {
    let cat = Catalogue::embedded();
    let date = d(2026, 9, 1);
    let works = ctx("W", Nature::Works, "45440000", 2_000_000);
    let fits = cat.applicable(&works, date);
    let ids: Vec<&str> = fits.iter().map(|a| a.lever.id.as_str()).collect();
    assert!(ids.contains(&"ins-works") && ids.contains(&"waste-clause-works"));
    assert!(!ids.contains(&"ins-cleaning") && !ids.contains(&"reserved-l2113-12"));
    assert!(!ids.contains(&"innovative-purchase"), "above 100k");
    assert!(
        fits.windows(2)
            .all(|w| w[0].effort_days <= w[1].effort_days)
    );
    // amount range boundaries are inclusive
    let small = ctx("S", Nature::Works, "45440000", 99_999);
    assert!(
        !cat.applicable(&small, date)
            .iter()
            .any(|a| a.lever.id == "ins-works")
    );
    let at = ctx("S", Nature::Works, "45440000", 100_000);
    assert!(
        cat.applicable(&at, date)
            .iter()
            .any(|a| a.lever.id == "ins-works")
    );
}

#[test]
fn l2113_15_reservation_needs_a_listed_service_and_at_most_36_months() {
    // CCP L2113-15: listed health, social and cultural services, at most 3 years
    let cat = Catalogue::embedded();
    let date = d(2026, 9, 1);
    let mut p = ctx("R", Nature::Services, "85311000", 300_000);
    let fits = |p: &PurchaseContext| {
        cat.applicable(p, date)
            .iter()
            .any(|a| a.lever.id == "reserved-l2113-15")
    };
    assert!(!fits(&p), "unknown duration does not fit");
    p.duration_months = Some(36);
    assert!(fits(&p));
    p.duration_months = Some(37);
    assert!(!fits(&p));
    let cleaning = ctx("C", Nature::Services, "90910000", 300_000);
    assert!(
        !cat.applicable(&cleaning, date)
            .iter()
            .any(|a| a.lever.id == "reserved-l2113-15")
    );
}

#[test]
fn insertion_hours_follow_facts_example_and_round_up_only_at_the_end() {
    // FACTS §9: 1,000,000 × 50 % × 5 % ÷ 30 ≈ 833 h (833.33… exact, 834 rounded up)
    let cat = Catalogue::embedded();
    let lever = cat.get("ins-works").unwrap();
    let masonry = ctx("M", Nature::Works, "45262500", 1_000_000);
    let h = lever.insertion_hours(&masonry).unwrap().unwrap();
    assert_eq!(h.round_dp(4).to_string(), "833.3333");
    // painting: labour share 70 %
    let painting = ctx("P", Nature::Works, "45442100", 1_000_000);
    assert_eq!(
        lever
            .insertion_hours(&painting)
            .unwrap()
            .unwrap()
            .round_dp(2)
            .to_string(),
        "1166.67"
    );
    // two lines of 1/3 h each: the total is rounded once (1 h), not per line (2 h)
    let p: InsertionParams =
        serde_json::from_str(r#"{"rate":"0.1","hourly_cost":"30","default_labour_share":"1"}"#)
            .unwrap();
    assert_eq!(
        p.hours(Amount::from_euros(100), None).unwrap(),
        Decimal::new(1, 0) / Decimal::from(3)
    );
    let mut a = ctx("A", Nature::Works, "45262500", 1_000_000);
    a.service = Some("voirie".into());
    let mut b = ctx("B", Nature::Works, "45262500", 1_000_000);
    b.launch_date = d(2027, 1, 15);
    let t = InsertionTotals::compute([
        (&a, lever),
        (&b, lever),
        (&a, cat.get("env-award-criterion").unwrap()),
    ])
    .unwrap();
    let r = t.rounded();
    assert_eq!(r.total, 1667); // 1666.66… once
    assert_eq!(r.by_year[&2026], 834);
    assert_eq!(r.by_year[&2027], 834);
    assert_eq!(r.by_service["voirie"], 834);
    assert_eq!(r.by_service[""], 834);
    assert_eq!(r.by_purchase.len(), 2);
}

proptest! {
    #[test]
    fn insertion_hours_are_monotone_in_amount_and_rate(
        a in 0u64..1_000_000_000_000, b in 0u64..1_000_000_000_000,
        r1 in 0u32..=1000, r2 in 0u32..=1000, cost in 1u32..100_000, labour in 0u32..=1000,
    ) {
        let share = |x: u32| Share::new(Decimal::new(x as i64, 3)).unwrap();
        let params = |rate: u32| InsertionParams {
            rate: share(rate),
            hourly_cost: Amount::from_cents(cost as u64),
            default_labour_share: share(labour),
            labour_shares: vec![],
        };
        let (lo, hi) = (a.min(b), a.max(b));
        let p = params(r1);
        let h_lo = p.hours(Amount::from_cents(lo), None).unwrap();
        let h_hi = p.hours(Amount::from_cents(hi), None).unwrap();
        prop_assert!(h_lo <= h_hi);
        prop_assert!(round_up_hours(h_lo) <= round_up_hours(h_hi));
        let (rl, rh) = (r1.min(r2), r1.max(r2));
        let x = Amount::from_cents(a);
        prop_assert!(params(rl).hours(x, None).unwrap() <= params(rh).hours(x, None).unwrap());
        prop_assert!(h_lo >= Decimal::ZERO);
    }

    #[test]
    fn catalogue_parsing_never_panics(s in ".{0,200}") {
        let _ = Catalogue::from_json(&s);
        let _ = Catalogue::from_json(&with(&format!(r#""evidence":[{:?}]"#, s)));
    }
}

#[test]
fn textile_supplies_have_a_reuse_lever_counting_for_the_agec_textile_category() {
    // AGEC art. 58 / décret 2024-134: textiles (except PPE) have a reuse share (FACTS §4); a
    // catalogue without a textile reuse lever leaves that target unreachable
    let cat = Catalogue::embedded();
    let lever = cat.get("reuse-textiles").unwrap();
    assert_eq!(lever.dimension, Dimension::Environmental);
    assert_eq!(
        lever.goal.as_ref().map(|g| g.as_str()),
        Some("environmental.resourceReuse")
    );
    assert_eq!(lever.agec_category, Some(spaser::AgecCategory::Textiles));
    assert_eq!(lever.coverage.to_string(), "0.15");
    let workwear = ctx("F1", Nature::Supplies, "18110000", 48_000);
    assert!(lever.applies_to.fits(&workwear, d(2026, 9, 1)));
    let services = ctx("S1", Nature::Services, "18110000", 48_000);
    assert!(!lever.applies_to.fits(&services, d(2026, 9, 1)));
}

#[test]
fn intellectual_services_above_90k_have_a_social_execution_clause_without_insertion_hours() {
    // L2112-2-1: a social consideration in the execution conditions; architecture, engineering,
    // IT, R&D, legal, accounting, consulting and insurance services had no applicable lever
    let cat = Catalogue::embedded();
    let lever = cat.get("soc-clause-intellectual-services").unwrap();
    assert_eq!(lever.dimension, Dimension::Social);
    assert_eq!(lever.instrument, Instrument::ExecutionClause);
    assert!(
        lever.insertion.is_none(),
        "no facilitator hours are invented"
    );
    let date = d(2027, 3, 1);
    for cpv in [
        "71000000", "72220000", "73000000", "79411000", "79111000", "66510000",
    ] {
        let c = ctx("S", Nature::Services, cpv, 520_000);
        assert!(lever.applies_to.fits(&c, date), "{cpv}");
        assert!(
            cat.applicable(&c, date)
                .iter()
                .any(|a| a.lever.id == "soc-clause-intellectual-services"),
            "{cpv}"
        );
    }
    // not for labour-intensive services (security guarding has its insertion clause), nor
    // below the practice threshold, nor for supplies
    for (nature, cpv, euros) in [
        (Nature::Services, "79710000", 520_000),
        (Nature::Services, "71000000", 89_999),
        (Nature::Supplies, "72220000", 520_000),
    ] {
        assert!(
            !lever.applies_to.fits(&ctx("S", nature, cpv, euros), date),
            "{cpv} {euros}"
        );
    }
}

// --- Issue 14: levers that fit what they are put on (scenario table), patches; issue 11 item 2.

#[derive(serde::Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
enum LeverCheck {
    /// Which levers fit a purchase on its launch date.
    Fits {
        purchase: PurchaseContext,
        #[serde(default)]
        fits: Vec<String>,
        #[serde(default)]
        not_fits: Vec<String>,
    },
    /// The share of a purchase's value a standard indicator counts once the levers are on it.
    Indicator {
        purchase: PurchaseContext,
        levers: Vec<String>,
        #[serde(default)]
        innovative_flag: bool,
        indicator: String,
        covered: Decimal,
    },
    /// Which levers a target counts.
    TargetCounts {
        target: serde_json::Value,
        counts: Vec<String>,
        not_counts: Vec<String>,
    },
    /// The share of one dimension that a set of levers covers on one purchase.
    Coverages {
        levers: Vec<String>,
        dimension: Dimension,
        covered: Decimal,
    },
    /// The projected shares of default targets once levers are locked on lines.
    Plan {
        programme: serde_json::Value,
        locks: Vec<(String, String)>,
        projected: Vec<(String, i32, Decimal)>,
    },
}

#[derive(serde::Deserialize)]
struct LeverScenario {
    name: String,
    article: String,
    #[serde(flatten)]
    check: LeverCheck,
}

#[test]
fn lever_scenarios() {
    // tests/data/levers_scenarios.json: points 12, 15, 16 and 17 of issue 14, each row citing
    // its article.
    let file: serde_json::Value =
        serde_json::from_str(include_str!("data/levers_scenarios.json")).unwrap();
    let rows: Vec<LeverScenario> = serde_json::from_value(file["scenarios"].clone()).unwrap();
    assert!(rows.len() >= 30);
    let cat = Catalogue::embedded();
    let mut failures = Vec::new();
    for r in &rows {
        assert!(!r.article.is_empty(), "{}: cite the article", r.name);
        match &r.check {
            LeverCheck::Fits {
                purchase,
                fits,
                not_fits,
            } => {
                let got: Vec<&str> = cat
                    .applicable(purchase, purchase.launch_date)
                    .into_iter()
                    .map(|a| a.lever.id.as_str())
                    .collect();
                for id in fits {
                    assert!(cat.get(id).is_some(), "{}: unknown lever {id}", r.name);
                    if !got.contains(&id.as_str()) {
                        failures.push(format!("{}: {id} does not fit ({got:?})", r.name));
                    }
                }
                for id in not_fits {
                    assert!(cat.get(id).is_some(), "{}: unknown lever {id}", r.name);
                    if got.contains(&id.as_str()) {
                        failures.push(format!("{}: {id} fits", r.name));
                    }
                }
            }
            LeverCheck::Indicator {
                purchase,
                levers,
                innovative_flag,
                indicator,
                covered,
            } => {
                let ls: Vec<&spaser::Lever> =
                    levers.iter().map(|id| cat.get(id).unwrap()).collect();
                let covs = Catalogue::coverages(&ls);
                let mut p = spaser::Purchase::new(purchase.launch_date, purchase.amount);
                p.innovative = *innovative_flag;
                p.considerations = &covs;
                let ind = spaser::Indicator::standard()
                    .into_iter()
                    .find(|i| &i.id == indicator)
                    .unwrap();
                let got = ind.covered_share(&p);
                if got != *covered {
                    failures.push(format!(
                        "{}: {indicator} covers {got}, want {covered}",
                        r.name
                    ));
                }
            }
            LeverCheck::TargetCounts {
                target,
                counts,
                not_counts,
            } => {
                let t: spaser::Target = serde_json::from_value(target.clone()).unwrap();
                for id in counts {
                    if !t.counts(cat.get(id).unwrap()) {
                        failures.push(format!("{}: {} does not count {id}", r.name, t.id));
                    }
                }
                for id in not_counts {
                    if t.counts(cat.get(id).unwrap()) {
                        failures.push(format!("{}: {} counts {id}", r.name, t.id));
                    }
                }
            }
            LeverCheck::Coverages {
                levers,
                dimension,
                covered,
            } => {
                let ls: Vec<&spaser::Lever> =
                    levers.iter().map(|id| cat.get(id).unwrap()).collect();
                let got: Decimal = Catalogue::coverages(&ls)
                    .iter()
                    .filter(|c| c.dimension == *dimension)
                    .map(|c| c.share.as_decimal())
                    .sum();
                if got != *covered {
                    failures.push(format!("{}: covers {got}, want {covered}", r.name));
                }
            }
            LeverCheck::Plan {
                programme,
                locks,
                projected,
            } => {
                let programme = spaser::Programme::from_json(&programme.to_string()).unwrap();
                let targets =
                    spaser::Targets::defaults_for(&programme, spaser::Rulebook::embedded());
                let mut options = spaser::PlanOptions::default();
                for (line, lever) in locks {
                    options = options.lock(spaser::Lock {
                        line: line.clone(),
                        lever: lever.clone(),
                        kind: spaser::LockKind::Force,
                    });
                }
                let plan = spaser::Planner::new(cat, spaser::Rulebook::embedded())
                    .plan(&programme, &targets, &options)
                    .unwrap();
                for (id, year, want) in projected {
                    let t = plan
                        .targets
                        .iter()
                        .find(|t| &t.id == id && t.year == *year)
                        .unwrap_or_else(|| panic!("{}: no target {id} {year}", r.name));
                    let got = t.projected.map(|s| s.as_decimal());
                    if got != Some(*want) {
                        failures.push(format!(
                            "{}: {id} {year} projects {got:?}, want {want}",
                            r.name
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_lever_without_applicability_rule_is_rejected() {
    // Issue 14, point 15: no lever applies to everything by accident.
    let json = GOOD.replace(r#""applies_to":{"any":true,"natures":["works"]},"#, "");
    let m = Catalogue::from_json(&json).unwrap_err().to_string();
    assert!(
        m.contains("lever \"a\"")
            && m.contains("field \"applies_to\"")
            && m.contains("no applicability rule"),
        "{m}"
    );
    let json = GOOD.replace(
        r#""applies_to":{"any":true,"natures":["works"]}"#,
        r#""applies_to":{"natures":["works"],"min_amount":"10"}"#,
    );
    assert!(Catalogue::from_json(&json).is_err());
    // "any" names its natures
    let json = GOOD.replace(r#""natures":["works"]"#, r#""natures":[]"#);
    let m = Catalogue::from_json(&json).unwrap_err().to_string();
    assert!(m.contains("field \"applies_to.natures\""), "{m}");
    // "any" and CPV prefixes exclude each other
    let json = GOOD.replace(r#""any":true"#, r#""any":true,"cpv_prefixes":["45"]"#);
    let m = Catalogue::from_json(&json).unwrap_err().to_string();
    assert!(m.contains("field \"applies_to.any\""), "{m}");
}

#[test]
fn every_embedded_lever_states_its_applicability_and_confidence() {
    // Issue 14, points 15 and 17: CPV prefixes or an explicit "any" with natures; every lever
    // says how firm it is; reserved contracts carry a documented CPV list (S) per article.
    for l in Catalogue::embedded().levers() {
        let a = &l.applies_to;
        assert!(
            !a.cpv_prefixes.is_empty() || (a.any && !a.natures.is_empty()),
            "{}",
            l.id
        );
        assert!(l.confidence.is_some(), "{}: confidence", l.id);
        assert!(
            !l.legal_reference.is_empty() && !l.evidence.is_empty(),
            "{}",
            l.id
        );
        if l.instrument == Instrument::ReservedContract {
            assert!(!a.any && !a.cpv_prefixes.is_empty(), "{}", l.id);
            assert!(a.note.is_some() && a.confidence.is_some(), "{}", l.id);
        }
    }
}

#[test]
fn effort_beyond_the_bound_is_rejected_naming_the_lever_and_the_field() {
    // Issue 11, item 2: "per_million_days": "100000000000000000000000" or "base_days": 4e28-sized
    // values used to overflow and panic the planner; they are rejected when the catalogue loads.
    for (field, value) in [
        ("per_million_days", "100000000000000000000000"),
        ("base_days", "40000000000000000000000000000"),
        ("base_days", "10000.01"),
    ] {
        let json = GOOD
            .replace(
                r#""effort":{"base_days":"1"}"#,
                &format!(r#""effort":{{"base_days":"1","{field}":"{value}"}}"#),
            )
            .replace(r#""base_days":"1","base_days""#, r#""base_days""#);
        let e = Catalogue::from_json(&json).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("lever \"a\"") && m.contains(&format!("field \"effort.{field}\"")),
            "{field}={value}: {m}"
        );
    }
    // at the bound, the largest amount gives a finite effort
    let json = GOOD.replace(
        r#""effort":{"base_days":"1"}"#,
        r#""effort":{"base_days":"10000","per_million_days":"10000"}"#,
    );
    let cat = Catalogue::from_json(&json).unwrap();
    let p = PurchaseContext::new(
        "L",
        Nature::Works,
        Amount::new(Decimal::from(100_000_000_000_000u64)).unwrap(),
        d(2026, 1, 1),
        BuyerKind::OtherContractingAuthority,
    );
    assert_eq!(
        cat.levers()[0].effort_days(&p).unwrap(),
        Decimal::from(1_000_000_010_000u64) // 10,000 + 10,000 × 10^8
    );
}

#[test]
fn effort_arithmetic_is_checked() {
    // Issue 11, item 2: an effort built by hand beyond the bounds is an overflow error, not a panic.
    let e = spaser::Effort {
        base_days: Decimal::MAX,
        per_million_days: Decimal::MAX,
    };
    let err = e.days(Amount::from_euros(2_000_000)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Overflow);
}

#[test]
fn catalogue_patch_overrides_adds_and_removes_levers() {
    // Issue 14, point 18: a small file, not a whole catalogue.
    let cat = Catalogue::embedded();
    let patch = r#"{
      "levers": [
        {"id": "reserved-l2113-12", "applies_to": {"cpv_prefixes": ["909", "30192"]}},
        {"id": "ins-works", "effort": {"base_days": "4"}, "evidence": null},
        {"id": "my-bike-fleet", "label_fr": "Flotte de vélos", "label_en": "Bike fleet",
         "dimension": "environmental", "instrument": "technical_specification",
         "applies_to": {"cpv_prefixes": ["3443"]}, "effort": {"base_days": "1"},
         "legal_reference": "CCP L2111-2", "ambition": "core", "evidence": ["fiche"], "confidence": "S"}
      ],
      "remove": ["innovation-award"]
    }"#;
    let p = cat.patch(patch).unwrap();
    assert_eq!(p.levers().len(), cat.levers().len());
    let r = p.get("reserved-l2113-12").unwrap();
    // an array replaces the list; the other fields of the object are kept
    assert_eq!(r.applies_to.cpv_prefixes, ["909", "30192"]);
    assert_eq!(
        r.applies_to.natures,
        cat.get("reserved-l2113-12").unwrap().applies_to.natures
    );
    let w = p.get("ins-works").unwrap();
    assert_eq!(w.effort.base_days, Decimal::from(4));
    assert!(w.evidence.is_empty(), "null removes a field");
    assert_eq!(w.insertion, cat.get("ins-works").unwrap().insertion);
    assert!(p.get("my-bike-fleet").is_some());
    assert!(p.get("innovation-award").is_none());
    // the patched catalogue is valid and deterministic
    assert_eq!(Catalogue::from_json(&p.to_json().unwrap()).unwrap(), p);
}

#[test]
fn catalogue_patch_errors_name_the_entry_and_the_field() {
    let cat = Catalogue::embedded();
    let m = cat
        .patch(r#"{"levers": [{"id": "ins-works", "effort": {"base_days": "-1"}}]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("patch, entry 1")
            && m.contains("lever \"ins-works\"")
            && m.contains("effort.base_days"),
        "{m}"
    );
    let m = cat
        .patch(r#"{"levers": [{"id": "new-one", "label_fr": "x"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(m.contains("patch, entry 1") && m.contains("new-one"), "{m}");
    let m = cat
        .patch(r#"{"remove": ["no-such-lever"]}"#)
        .unwrap_err()
        .to_string();
    assert!(m.contains("no-such-lever") && m.contains("remove"), "{m}");
    let m = cat
        .patch(r#"{"levers": [{"label_fr": "x"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(m.contains("entry 1") && m.contains("\"id\""), "{m}");
    let e = cat.patch(r#"{"lever": []}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    // a patch that breaks a reference is rejected as a whole
    let m = cat
        .patch(r#"{"remove": ["egalim-quality"]}"#)
        .unwrap_err()
        .to_string();
    assert!(m.contains("part_of") && m.contains("egalim-organic"), "{m}");
}

/// Whether a lever's applicability names the line's CPV or its explicit `any` rule admits it.
fn named_or_admitted(lever: &spaser::Lever, line: &spaser::PlanLine) -> bool {
    let a = &lever.applies_to;
    let excluded = line
        .cpv
        .is_some_and(|c| a.excluded_cpv_prefixes.iter().any(|x| c.starts_with(x)));
    let by_cpv = line
        .cpv
        .is_some_and(|c| a.cpv_prefixes.iter().any(|x| c.starts_with(x)));
    let by_any = a.any && a.natures.contains(&line.nature);
    (by_cpv || by_any) && !excluded
}

#[test]
fn planned_levers_fit_their_lines_on_the_sample_and_a_university_programme() {
    // Issue 14, point 15: planning the sample and a university-like programme, no lever lands
    // on a line it does not fit: its applicability names the line's CPV or its explicit "any"
    // rule admits it.
    let university =
        spaser::Programme::from_json(include_str!("data/university_programme.json")).unwrap();
    assert!(university.lines.len() >= 30);
    for programme in [spaser::Programme::sample(), &university] {
        let rules = spaser::Rulebook::embedded();
        let targets = spaser::Targets::defaults_for(programme, rules);
        let plan = spaser::Planner::new(Catalogue::embedded(), rules)
            .plan(programme, &targets, &spaser::PlanOptions::default())
            .unwrap();
        assert!(!plan.assignments.is_empty());
        for a in &plan.assignments {
            let line = programme.line(&a.line).unwrap();
            for id in &a.levers {
                let lever = Catalogue::embedded().get(id).unwrap();
                assert!(
                    named_or_admitted(lever, line),
                    "{}: lever {id} on line {} ({:?}, {})",
                    programme.buyer.name,
                    line.id,
                    line.cpv.map(|c| c.to_string()),
                    line.nature
                );
            }
        }
    }
}

#[test]
fn the_university_programme_gets_the_levers_of_its_budget() {
    // Issue 14, point 17: laboratory, travel, energy, digital, catering and supplies levers
    // fit the lines of a university.
    let university =
        spaser::Programme::from_json(include_str!("data/university_programme.json")).unwrap();
    let cat = Catalogue::embedded();
    let fits = |line: &str| -> Vec<String> {
        cat.applicable_line(university.line(line).unwrap(), university.buyer.kind)
            .into_iter()
            .map(|a| a.lever.id.clone())
            .collect()
    };
    for (line, lever) in [
        ("U01", "lab-takeback"),
        ("U02", "lab-reagent-reduction"),
        ("U03", "lab-energy-class"),
        ("U07", "travel-rail-over-air"),
        ("U07", "travel-low-carbon"),
        ("U10", "energy-renewable-go"),
        ("U11", "energy-renewable-go"),
        ("U12", "aper-criterion"),
        ("U13", "digital-rgaa"),
        ("U14", "digital-rgesn"),
        ("U17", "food-waste"),
        ("U23", "soc-clause-supplies"),
        ("U28", "ins-logistics"),
    ] {
        assert!(
            fits(line).contains(&lever.to_string()),
            "{line}: {lever} in {:?}",
            fits(line)
        );
    }
    for (line, lever) in [
        ("U10", "packaging-clause"),
        ("U10", "reserved-l2113-12"),
        ("U10", "innovation-award"),
        ("U16", "reserved-l2113-12"),
        ("U26", "ghg-reporting"),
        ("U27", "innovative-purchase"),
    ] {
        assert!(!fits(line).contains(&lever.to_string()), "{line}: {lever}");
    }
}

/// A patch keeps the exclusivity groups and prerequisites of the levers it keeps: a removed
/// lever leaves its group (one reservation per contract, R2113-7), and a group left with one
/// lever goes.
#[test]
fn catalogue_patch_keeps_the_combinations_of_the_levers_it_keeps() {
    let cat = Catalogue::embedded();
    let p = cat
        .patch(r#"{"remove": ["reserved-l2113-15", "lcc-criterion"]}"#)
        .unwrap();
    let reserved = p
        .exclusive_groups()
        .iter()
        .find(|g| g.id == "reserved")
        .expect("the reserved group stays");
    assert_eq!(
        reserved.levers,
        [
            "reserved-l2113-12",
            "reserved-l2113-13",
            "reserved-l2113-13-1"
        ]
    );
    assert!(
        p.exclusive_groups().iter().all(|g| g.id != "energy-award"),
        "a group of one lever goes"
    );
    assert_eq!(
        cat.patch(r#"{"levers": [{"id": "ins-works", "effort": {"base_days": "3"}}]}"#)
            .unwrap()
            .exclusive_groups(),
        cat.exclusive_groups()
    );
}
