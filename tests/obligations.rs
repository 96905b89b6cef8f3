//! The legal obligations engine, pinned by the scenario table `tests/data/obligations.json`
//! (each case cites its article; dates at the day before and the day of each rule, values at
//! their boundaries), plus rulebook validation and invariants (FACTS §1, §2, §4, §5, §8).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use serde::Deserialize;
use spaser::{
    AgecCategory, AgecSpend, Amount, Buyer, BuyerStatus, ErrorKind, Finding, FoodSpend,
    ObligationEngine, Programme, PurchaseContext, Rulebook, Status,
};

#[derive(Deserialize)]
struct Expect {
    obligation: String,
    status: String,
    kind: Option<String>,
    confidence: Option<String>,
    reason_contains: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
enum Check {
    Purchase {
        purchase: PurchaseContext,
        #[serde(default)]
        article_of: BTreeMap<String, String>,
    },
    Spaser {
        buyer_status: BuyerStatus,
        spend: Amount,
        on: NaiveDate,
        adopted: bool,
    },
    /// The SPASER verdict on a buyer's yearly expenditure (D2111-3).
    SpaserBuyer {
        // a `Value`: the year keys of `expenditure` do not survive `flatten`'s buffering
        buyer: serde_json::Value,
        year: i32,
        #[serde(default)]
        planned: Option<Amount>,
    },
    /// The findings of one line of a programme, with the programme's estimation (what a
    /// planner sees: procedure, group value, the line's own facts).
    Line {
        programme: serde_json::Value,
        line: String,
    },
    Agec {
        spend: AgecSpend,
        #[serde(default)]
        buyer_status: Option<BuyerStatus>,
    },
    #[serde(rename = "agec_2021")]
    Agec2021 {
        line: u32,
        year: i32,
        total: Amount,
        portion: Amount,
        #[serde(default)]
        buyer_status: Option<BuyerStatus>,
    },
    Egalim {
        food: FoodSpend,
    },
}

#[derive(Deserialize)]
struct Case {
    name: String,
    article: String,
    #[serde(flatten)]
    check: Check,
    expect: Vec<Expect>,
    /// Obligations that must give no finding.
    #[serde(default)]
    absent: Vec<String>,
}

fn text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn obligation_scenarios() {
    let file: serde_json::Value =
        serde_json::from_str(include_str!("data/obligations.json")).unwrap();
    let cases: Vec<Case> = serde_json::from_value(file["cases"].clone()).unwrap();
    assert!(cases.len() >= 130);
    let engine = ObligationEngine::new(Rulebook::embedded());
    let mut failures = Vec::new();
    for case in &cases {
        assert!(!case.article.is_empty(), "{}: cite the article", case.name);
        let mut article_of = BTreeMap::new();
        let findings: Vec<Finding> = match &case.check {
            Check::Purchase {
                purchase,
                article_of: a,
            } => {
                article_of = a.clone();
                engine.check(purchase).unwrap()
            }
            Check::Spaser {
                buyer_status,
                spend,
                on,
                adopted,
            } => vec![engine.spaser(*buyer_status, *spend, *on, *adopted).unwrap()],
            Check::SpaserBuyer {
                buyer,
                year,
                planned,
            } => {
                let buyer: Buyer = serde_json::from_value(buyer.clone()).unwrap();
                vec![engine.spaser_for_buyer(&buyer, *year, *planned).unwrap()]
            }
            Check::Line { programme, line } => {
                let programme = Programme::from_json(&programme.to_string()).unwrap();
                let est = programme.estimate(Rulebook::embedded()).unwrap();
                let l = programme.line(line).expect("line of the programme");
                engine
                    .check_line(l, programme.buyer.kind, est.line(line))
                    .unwrap()
            }
            Check::Agec {
                spend,
                buyer_status,
            } => match buyer_status {
                Some(s) => engine.agec_for_buyer(*s, spend).unwrap(),
                None => engine.agec(spend).unwrap(),
            },
            Check::Agec2021 {
                line,
                year,
                total,
                portion,
                buyer_status,
            } => match buyer_status {
                Some(s) => engine
                    .agec_2021_for_buyer(*s, *line, *year, *total, *portion)
                    .unwrap(),
                None => engine.agec_2021(*line, *year, *total, *portion).unwrap(),
            },
            Check::Egalim { food } => engine.egalim(food).unwrap(),
        };
        for a in &case.absent {
            if findings.iter().any(|f| f.obligation.as_str() == a) {
                failures.push(format!("{}: unexpected finding {a}", case.name));
            }
        }
        let mut used: BTreeMap<String, usize> = BTreeMap::new();
        for e in &case.expect {
            let n = used.entry(e.obligation.clone()).or_default();
            let Some(f) = findings
                .iter()
                .filter(|f| f.obligation.as_str() == e.obligation)
                .nth(*n)
            else {
                failures.push(format!("{}: no finding {}", case.name, e.obligation));
                continue;
            };
            *n += 1;
            let mut got_want = vec![("status", text(&f.status), e.status.clone())];
            if let Some(k) = &e.kind {
                got_want.push(("kind", text(&f.kind), k.clone()));
            }
            if let Some(c) = &e.confidence {
                got_want.push(("confidence", f.confidence.to_string(), c.clone()));
            }
            if let Some(a) = article_of.get(&e.obligation) {
                got_want.push(("article", f.article.clone(), a.clone()));
            }
            for (what, got, want) in got_want {
                if got != want {
                    failures.push(format!(
                        "{} [{}] {}: {what} is {got}, expected {want} (reason: {})",
                        case.name, case.article, e.obligation, f.reason
                    ));
                }
            }
            if let Some(r) = &e.reason_contains
                && !f.reason.contains(r.as_str())
            {
                failures.push(format!(
                    "{}: reason \"{}\" lacks \"{r}\"",
                    case.name, f.reason
                ));
            }
            // every finding names an article and a reason
            assert!(!f.article.is_empty() && !f.reason.is_empty());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_serialize_with_article_kind_status_confidence_reason() {
    let engine = ObligationEngine::new(Rulebook::embedded());
    let d = NaiveDate::from_ymd_opt(2026, 8, 22).unwrap();
    let p = PurchaseContext::new(
        "L",
        spaser::Nature::Services,
        Amount::from_euros(1),
        d,
        spaser::BuyerKind::OtherContractingAuthority,
    );
    let json = serde_json::to_value(&engine.check(&p).unwrap()[0]).unwrap();
    for k in [
        "obligation",
        "article",
        "kind",
        "status",
        "confidence",
        "reason",
    ] {
        assert!(json.get(k).is_some(), "{k}");
    }
    assert_eq!(json["confidence"], "V");
}

fn rulebook_with(obligations: serde_json::Value) -> spaser::Result<Rulebook> {
    let mut v: serde_json::Value = serde_json::from_str(&Rulebook::embedded().to_json()?).unwrap();
    v["obligations"] = obligations;
    Rulebook::from_json(&v.to_string())
}

#[test]
fn embedded_rulebook_round_trips_with_its_obligations() {
    let r = Rulebook::embedded();
    assert!(!r.obligations.is_empty());
    let again = Rulebook::from_json(&r.to_json().unwrap()).unwrap();
    assert_eq!(&again, r);
    // every AGEC category has a cell for each milestone: known or explicitly unknown
    let t = r.obligations.agec.as_ref().unwrap();
    for c in AgecCategory::ALL {
        for m in [2024, 2027, 2030] {
            let cell = t.rate(c, m).unwrap();
            assert_eq!(cell.milestone, m);
            for rc in [&cell.reuse, &cell.recycled] {
                // never a zero standing for "unknown"
                assert!(rc.rate.is_none_or(|s| s != spaser::Share::ZERO));
                if rc.rate.is_none() {
                    assert_eq!(rc.confidence, spaser::Confidence::Unknown);
                }
            }
        }
    }
}

#[test]
fn rulebook_rejects_overlapping_spaser_periods_naming_entry_and_field() {
    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    ob["spaser"][1]["period"] = "2019-03-01/2022-12-31".into();
    let e = rulebook_with(ob).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Inconsistent);
    let m = e.to_string();
    assert!(
        m.contains("obligations.spaser") && m.contains("entry 1") && m.contains("field \"period\""),
        "{m}"
    );
}

#[test]
fn rulebook_rejects_overlapping_egalim_periods_and_duplicate_rules() {
    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    let dup = ob["egalim"][0].clone();
    ob["egalim"].as_array_mut().unwrap().push(dup);
    let m = rulebook_with(ob).unwrap_err().to_string();
    assert!(
        m.contains("obligations.egalim") && m.contains("field \"period\""),
        "{m}"
    );

    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    let dup = ob["contract"][0].clone();
    ob["contract"].as_array_mut().unwrap().push(dup);
    let m = rulebook_with(ob).unwrap_err().to_string();
    assert!(
        m.contains("obligations.contract") && m.contains("field \"id\""),
        "{m}"
    );

    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    let dup = ob["agec"]["rates"][0].clone();
    ob["agec"]["rates"].as_array_mut().unwrap().push(dup);
    let m = rulebook_with(ob).unwrap_err().to_string();
    assert!(
        m.contains("obligations.agec.rates") && m.contains("field \"milestone\""),
        "{m}"
    );
}

#[test]
fn rulebook_rejects_bad_obligation_values() {
    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    ob["egalim"][0]["rate"] = "1.5".into();
    let m = rulebook_with(ob).unwrap_err().to_string();
    assert!(m.contains("1.5"), "{m}");
    let mut ob = serde_json::to_value(&Rulebook::embedded().obligations).unwrap();
    ob["contract"][0]["id"] = "favour_locals".into();
    let m = rulebook_with(ob).unwrap_err().to_string();
    assert!(m.contains("favour_locals"), "{m}");
}

#[test]
fn a_rulebook_without_obligations_reports_no_rule() {
    let mut v: serde_json::Value =
        serde_json::from_str(&Rulebook::embedded().to_json().unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("obligations");
    let r = Rulebook::from_json(&v.to_string()).unwrap();
    let engine = ObligationEngine::new(&r);
    let d = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let p = PurchaseContext::new(
        "L",
        spaser::Nature::Works,
        Amount::from_euros(1),
        d,
        spaser::BuyerKind::OtherContractingAuthority,
    );
    assert_eq!(engine.check(&p).unwrap_err().kind(), ErrorKind::NoRule);
    assert_eq!(
        engine
            .spaser(BuyerStatus::State, Amount::ZERO, d, false)
            .unwrap_err()
            .kind(),
        ErrorKind::NoRule
    );
}

#[test]
fn inconsistent_portions_are_errors() {
    let engine = ObligationEngine::new(Rulebook::embedded());
    let e = engine
        .agec(&AgecSpend {
            category: AgecCategory::Paper,
            year: 2025,
            total: Amount::from_euros(10),
            reuse: Amount::from_euros(11),
            recycled: Amount::ZERO,
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Inconsistent);
    assert!(e.to_string().contains("field \"reuse\""), "{e}");
    let e = engine
        .egalim(&FoodSpend {
            year: 2025,
            total: Amount::from_euros(100),
            quality: Amount::from_euros(10),
            organic: Amount::from_euros(20),
            meat_fish_total: None,
            meat_fish_quality: None,
        })
        .unwrap_err();
    assert!(e.to_string().contains("field \"organic\""), "{e}");
}

#[test]
fn plan_lines_of_the_sample_programme_get_findings() {
    let programme = spaser::Programme::sample();
    let est = programme.estimate(Rulebook::embedded()).unwrap();
    let engine = ObligationEngine::new(Rulebook::embedded());
    for line in &programme.lines {
        let ctx = PurchaseContext::from_line(line, programme.buyer.kind, est.line(&line.id));
        assert_eq!(
            ctx.value_for_thresholds(),
            est.line(&line.id).unwrap().group_value
        );
        let f = engine.check(&ctx).unwrap();
        assert!(f.len() >= 3, "{}", line.id);
    }
}

fn amount(cents: u64) -> Amount {
    Amount::from_cents(cents)
}

proptest! {
    /// AGEC: a portion below the rate is never "met"; unknown rates are never "met".
    #[test]
    fn agec_never_calls_a_share_met_below_the_rate(
        cat in 0usize..17, year in 2024i32..2040, total in 0u64..100_000_000_000,
        reuse_pm in 0u64..=1000, rec_pm in 0u64..=1000,
    ) {
        let engine = ObligationEngine::new(Rulebook::embedded());
        let category = AgecCategory::ALL[cat];
        let reuse = amount(total * reuse_pm / 1000);
        let recycled = amount(total * rec_pm / 1000);
        let spend = AgecSpend { category, year, total: amount(total), reuse, recycled };
        let findings = engine.agec(&spend).unwrap();
        let t = Rulebook::embedded().obligations.agec.as_ref().unwrap();
        let rate = t.rate(category, year).unwrap();
        for (f, cell, portion) in [(&findings[0], &rate.reuse, reuse), (&findings[1], &rate.recycled, recycled)] {
            if f.status == Status::Met {
                let r = cell.rate.expect("met only with a known rate");
                prop_assert!(portion.as_decimal() >= amount(total).as_decimal() * r.as_decimal());
            }
            if cell.rate.is_none() {
                prop_assert_eq!(f.status, Status::Unknown);
            }
        }
    }

    /// EGalim: a portion below 50 % / 20 % / 60 % is never "met".
    #[test]
    fn egalim_never_calls_a_share_met_below_the_rate(
        year in 2020i32..2035, total in 0u64..100_000_000_000,
        q in 0u64..=1000, o in 0u64..=1000, mt in 0u64..100_000_000, mq in 0u64..=1000,
    ) {
        let engine = ObligationEngine::new(Rulebook::embedded());
        let quality = total * q / 1000;
        let organic = quality * o / 1000;
        let food = FoodSpend {
            year, total: amount(total), quality: amount(quality), organic: amount(organic),
            meat_fish_total: Some(amount(mt)), meat_fish_quality: Some(amount(mt * mq / 1000)),
        };
        let f = engine.egalim(&food).unwrap();
        let below = |p: u64, t: u64, pct: u64| p * 100 < t * pct;
        if f[0].status == Status::Met { prop_assert!(!below(quality, total, 50)); }
        if f[1].status == Status::Met { prop_assert!(!below(organic, total, 20)); }
        if f[2].status == Status::Met { prop_assert!(!below(mt * mq / 1000, mt, 60)); }
        if year < 2022 { prop_assert!(f.iter().all(|x| x.status == Status::NotApplicable)); }
    }

    /// No purchase input panics the engine.
    #[test]
    fn obligation_checks_never_panic(
        days in 0i64..20_000, cents in 0u64..1_000_000_000_000_000, kind in 0usize..4, nature in 0usize..3,
        concession: bool, n_criteria in 0usize..4, weight in 0u32..=100, env: bool, dur in proptest::option::of(0u32..200),
        spend in 0u64..1_000_000_000_000_000, status in 0usize..5,
    ) {
        let engine = ObligationEngine::new(Rulebook::embedded());
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
        let mut p = PurchaseContext::new("L", spaser::Nature::ALL[nature], amount(cents), date,
            spaser::BuyerKind::ALL[kind]);
        p.concession = concession;
        p.duration_months = dur;
        p.reserved = Some(spaser::ReservedArticle::L2113_15);
        let w = spaser::Share::new(rust_decimal::Decimal::new(weight as i64, 2)).unwrap();
        p.award_criteria = Some((0..n_criteria).map(|i| {
            let c = spaser::AwardCriterion::new(format!("c{i}"), spaser::CriterionKind::Cost, w);
            if env { c.environmental() } else { c }
        }).collect());
        let _ = engine.check(&p);
        let st = [BuyerStatus::State, BuyerStatus::LocalAuthority, BuyerStatus::StatutoryBody,
                  BuyerStatus::OtherContractingAuthority, BuyerStatus::Utility][status];
        let _ = engine.spaser(st, amount(spend), date, env);
        let _ = engine.agec_2021(1 + (weight % 12), 2019 + (days as i32 % 8), amount(spend), amount(spend / 3));
    }

    /// A missing finding with a remedy becomes met once a lever brings that consideration
    /// (what the planner relies on).
    #[test]
    fn adding_the_remedy_meets_the_obligation(
        days in 0i64..480, cents in 0u64..100_000_000_000, kind in 0usize..3, nature in 0usize..3,
    ) {
        let engine = ObligationEngine::new(Rulebook::embedded());
        let date = NaiveDate::from_ymd_opt(2026, 8, 22).unwrap() + chrono::Duration::days(days);
        let mut p = PurchaseContext::new("L", spaser::Nature::ALL[nature], amount(cents), date,
            spaser::BuyerKind::ALL[kind]);
        for f in engine.check(&p.clone()).unwrap() {
            if f.status == Status::Missing {
                let (d, i) = f.obligation.remedy().unwrap();
                p.considerations.push(spaser::Consideration::new(d, i));
            }
        }
        for f in engine.check(&p).unwrap() {
            prop_assert!(f.status != Status::Missing, "{:?}", f);
        }
    }
}
