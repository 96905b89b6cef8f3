//! Life-cycle cost of offers (CCP R2152-9, R2152-10; directive 2014/24/EU art. 68; FACTS §11):
//! the formula on hand-computed cases (one per discounting convention, in
//! `tests/data/lcc/scenarios.json`), a published worked example reproduced to the cent, the
//! scores, the readers' errors, and the invariants (proptest).

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde::Deserialize;
use spaser::lcc::{
    Convention, CostItem, CostKind, Offer, Parameters, RateBasis, Scoring, ScoringFormula, Study,
    Years,
};
use spaser::{ErrorKind, Lang};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[derive(Deserialize)]
struct Scenario {
    name: String,
    hand: String,
    study: serde_json::Value,
    expected: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Scenarios {
    scenarios: Vec<Scenario>,
}

/// One runner for the hand-computed scenario table: every convention, escalation, residual
/// value and end of life, externalities by calendar year, quantities per year, ranking.
#[test]
fn hand_computed_scenarios_match_to_the_cent() {
    let text = include_str!("data/lcc/scenarios.json");
    let table: Scenarios = serde_json::from_str(text).unwrap();
    assert!(table.scenarios.len() >= 8);
    let mut conventions = std::collections::BTreeSet::new();
    for s in &table.scenarios {
        let study =
            Study::from_json(&s.study.to_string()).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        conventions.insert(study.parameters.convention());
        let result = study
            .compute()
            .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        for (offer, want) in &s.expected {
            let got = result.offer(offer).unwrap().lcc_rounded().to_string();
            assert_eq!(&got, want, "{} (offer {offer}; {})", s.name, s.hand);
        }
    }
    // every convention has its hand-computed case
    assert_eq!(conventions.len(), 3);
}

/// A published worked example, reproduced to the cent: the NPV function of the Adobe LiveCycle
/// Designer 10 FormCalc reference (help.adobe.com, livecycle/10.0/DesignerFormCalcRef, page
/// WS92d06802c76abadb-32254d55129f5ee7c98-7fba) gives `NPV(0.10, 500, 1500, 4000, 10000) =
/// 11529.60863329007` — amounts at the end of each of the next four years at 10 % — and
/// `NPV(0.065, 5000) = 4694.83568075117`. Costs at the end of years 1 to 4 are the
/// end-of-year convention of an LCC.
#[test]
fn published_npv_example_is_reproduced_to_the_cent_end_of_year() {
    let study = Study::from_json(
        r#"{"parameters": {"horizon_years": 4, "discount_rate": "0.10", "rate_basis": "nominal",
                           "convention": "end_of_year"},
            "offers": [{"id": "formcalc", "items": [
              {"id": "flows", "kind": "other",
               "per_year": {"1": "500", "2": "1500", "3": "4000", "4": "10000"}}]}]}"#,
    )
    .unwrap();
    let r = study.compute().unwrap();
    let o = r.offer("formcalc").unwrap();
    assert_eq!(o.lcc_rounded().to_string(), "11529.61");
    // and to the precision the reference prints (its figure is a binary double)
    assert_eq!(o.lcc.round_dp(10), d("11529.6086332901"));

    let one = Study::from_json(
        r#"{"parameters": {"horizon_years": 1, "discount_rate": "0.065", "rate_basis": "nominal"},
            "offers": [{"id": "x", "items": [{"id": "f", "kind": "other", "amount": "5000"}]}]}"#,
    )
    .unwrap();
    let r = one.compute().unwrap();
    assert_eq!(r.offers[0].lcc_rounded().to_string(), "4694.84");
    assert_eq!(r.offers[0].lcc.round_dp(10), d("4694.8356807512"));
}

/// The MESCIUS SPREAD formula reference (docs.mescius.jp, spread-aspnet-formula-10,
/// FunctionNPV) gives `NPV(6.5%, -10000, 3000, 3400, 7700) = $2,055.38`: a payment at the end
/// of year 1 and receipts at the end of years 2 to 4. As an LCC the payment is a cost and the
/// receipts residual values, so the LCC is the opposite, −2,055.38.
#[test]
fn published_npv_example_with_receipts_gives_the_opposite_lcc() {
    let study = Study::from_json(
        r#"{"parameters": {"horizon_years": 4, "discount_rate": "6.5 %", "rate_basis": "nominal"},
            "offers": [{"id": "spread", "items": [
              {"id": "payment", "kind": "acquisition", "amount": "10000", "year": 1},
              {"id": "receipts", "kind": "residual_value",
               "per_year": {"2": "3000", "3": "3400", "4": "7700"}}]}]}"#,
    )
    .unwrap();
    let o = &study.compute().unwrap().offers[0];
    assert_eq!(o.lcc_rounded().to_string(), "-2055.38");
}

fn two_offer_study() -> Study {
    let p = Parameters::new(4, d("0.04"), RateBasis::Real, Convention::EndOfYear).unwrap();
    Study::new(
        p,
        vec![
            Offer::new("A")
                .with(CostItem::amount("price", CostKind::Acquisition, d("900")))
                .with(CostItem::amount("power", CostKind::Energy, d("100"))),
            Offer::new("B")
                .with(CostItem::amount("price", CostKind::Acquisition, d("1000")))
                .with(CostItem::amount("power", CostKind::Energy, d("50"))),
        ],
    )
}

/// Lowest LCC gets full marks; the others `max × lowest / LCC` (the usual cost formula).
#[test]
fn lowest_ratio_score_gives_full_marks_to_the_lowest_lcc() {
    let s =
        two_offer_study().with_scoring(Scoring::new(ScoringFormula::LowestRatio, d("60")).unwrap());
    let r = s.compute().unwrap();
    let a = r.offer("A").unwrap();
    let b = r.offer("B").unwrap();
    assert_eq!(b.score_rounded().unwrap().to_string(), "60.00");
    // 60 × 1181.49 / 1262.99 = 56.128…
    assert_eq!(a.score_rounded().unwrap().to_string(), "56.13");
    assert_eq!((a.rank, b.rank), (2, 1));
}

/// Full marks minus a share proportional to the gap: `max × (1 − (LCC − lowest)/lowest)`.
#[test]
fn proportional_gap_score_loses_points_in_proportion_to_the_gap() {
    let s = two_offer_study()
        .with_scoring(Scoring::new(ScoringFormula::ProportionalGap, d("100")).unwrap());
    let r = s.compute().unwrap();
    // gap (1262.99 − 1181.49) / 1181.49 = 6.898 % → 93.10
    assert_eq!(
        r.offer("A").unwrap().score_rounded().unwrap().to_string(),
        "93.10"
    );
    assert_eq!(
        r.offer("B").unwrap().score_rounded().unwrap().to_string(),
        "100.00"
    );
}

/// Linear between bounds: full marks at or below the lower bound, 0 at or above the upper.
#[test]
fn linear_between_bounds_score_is_clamped_and_linear() {
    let s = two_offer_study().with_scoring(
        Scoring::new(
            ScoringFormula::LinearBetween {
                lower: Some(d("1200")),
                upper: Some(d("1300")),
            },
            d("40"),
        )
        .unwrap(),
    );
    let r = s.compute().unwrap();
    assert_eq!(
        r.offer("B").unwrap().score_rounded().unwrap().to_string(),
        "40.00"
    );
    // (1300 − 1262.99) / 100 × 40 = 14.804
    assert_eq!(
        r.offer("A").unwrap().score_rounded().unwrap().to_string(),
        "14.80"
    );
    // without bounds: the lowest and highest offers
    let s = two_offer_study().with_scoring(
        Scoring::new(
            ScoringFormula::LinearBetween {
                lower: None,
                upper: None,
            },
            d("10"),
        )
        .unwrap(),
    );
    let r = s.compute().unwrap();
    assert_eq!(
        r.offer("A").unwrap().score_rounded().unwrap().to_string(),
        "0.00"
    );
    assert_eq!(
        r.offer("B").unwrap().score_rounded().unwrap().to_string(),
        "10.00"
    );
    assert!(
        Scoring::new(
            ScoringFormula::LinearBetween {
                lower: Some(d("10")),
                upper: Some(d("10"))
            },
            d("10")
        )
        .is_err()
    );
}

#[test]
fn a_ratio_cannot_score_a_negative_lcc_and_names_the_offer() {
    let p = Parameters::new(1, Decimal::ZERO, RateBasis::Real, Convention::EndOfYear).unwrap();
    let s = Study::new(
        p,
        vec![
            Offer::new("A").with(CostItem::amount("p", CostKind::Acquisition, d("10"))),
            Offer::new("Resale")
                .with(CostItem::amount("p", CostKind::Acquisition, d("10")))
                .with(CostItem::amount("r", CostKind::ResidualValue, d("50"))),
        ],
    )
    .with_scoring(Scoring::new(ScoringFormula::LowestRatio, d("10")).unwrap());
    let e = s.compute().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Inconsistent);
    assert!(e.to_string().contains("offer \"Resale\""), "{e}");
}

#[test]
fn negative_horizon_is_an_error_naming_the_field() {
    let e = Study::from_json(
        r#"{"parameters": {"horizon_years": -3, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": []}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    let m = e.to_string();
    assert!(m.contains("field \"horizon_years\""), "{m}");
    assert!(m.contains("-3 is negative"), "{m}");
}

/// A discount rate of −100 % or less makes `1 + d` zero or negative: no discount factor.
#[test]
fn discount_rate_at_or_below_minus_100_percent_is_an_error_naming_the_field() {
    for rate in ["-1", "-1.5", "-100 %"] {
        let e = Study::from_json(&format!(
            r#"{{"parameters": {{"horizon_years": 3, "discount_rate": "{rate}", "rate_basis": "real"}},
                "offers": []}}"#
        ))
        .unwrap_err();
        assert!(
            e.to_string().contains("field \"discount_rate\""),
            "{rate}: {e}"
        );
        assert!(e.to_string().contains("-100 % or less"), "{rate}: {e}");
    }
    assert!(
        Parameters::new(3, d("-0.99"), RateBasis::Real, Convention::EndOfYear).is_ok(),
        "a negative rate above -100 % is allowed"
    );
}

/// Escalation rates are per offer: the error names the offer, the item and the field.
#[test]
fn escalation_at_or_below_minus_100_percent_names_the_offer_item_and_field() {
    let e = Study::from_json(
        r#"{"parameters": {"horizon_years": 3, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": [{"id": "Acme", "items": [
              {"id": "power", "kind": "energy", "amount": "10", "escalation": "-1"}]}]}"#,
    )
    .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("offer \"Acme\", item \"power\", field \"escalation\""),
        "{m}"
    );
}

#[test]
fn missing_year_of_a_series_is_an_error_naming_the_offer_and_field() {
    let e = Study::from_json(
        r#"{"parameters": {"horizon_years": 4, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": [{"id": "B", "items": [
              {"id": "toner", "kind": "consumables", "unit_price": "30",
               "from": 1, "to": 4, "per_year": {"1": "4", "2": "5", "4": "6"}}]}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    let m = e.to_string();
    assert!(
        m.contains("offer \"B\", item \"toner\", field \"per_year\": missing year 3"),
        "{m}"
    );
}

#[test]
fn missing_year_of_an_externality_trajectory_names_the_offer_and_the_calendar_year() {
    let e = Study::from_json(
        r#"{"parameters": {"horizon_years": 3, "discount_rate": "0.04", "rate_basis": "real",
              "base_year": 2026,
              "externalities": {"co2e": {"values": {"2027": "100", "2029": "120"}}}},
            "offers": [{"id": "C", "items": [
              {"id": "co2", "kind": "emissions", "pollutant": "co2e", "quantity": "1"}]}]}"#,
    )
    .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("offer \"C\", item \"co2\", field \"pollutant\""),
        "{m}"
    );
    assert!(m.contains("missing year 2028 (year 2)"), "{m}");
}

/// Every problem of every offer is reported at once (not the first only).
#[test]
fn every_problem_of_every_offer_is_reported_at_once() {
    let e = Study::from_json(
        r#"{"parameters": {"horizon_years": 2, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": [
              {"id": "A", "items": [{"id": "x", "kind": "energy", "amount": "10", "to": 5}]},
              {"id": "B", "items": [{"id": "y", "kind": "maintenance", "amount": "-3"},
                                    {"id": "z", "kind": "teleportation", "amount": "1"}]},
              {"id": "A", "items": [{"id": "w", "kind": "other", "amount": "1"}]}]}"#,
    )
    .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("problems in the offers"), "{m}");
    assert!(m.contains("offer \"B\", item \"z\", field \"kind\""), "{m}");
    let e2 = Study::from_json(
        r#"{"parameters": {"horizon_years": 2, "discount_rate": "0.04", "rate_basis": "real"},
            "offers": [
              {"id": "A", "items": [{"id": "x", "kind": "energy", "amount": "10", "to": 5}]},
              {"id": "B", "items": [{"id": "y", "kind": "maintenance", "amount": "-3"}]},
              {"id": "A", "items": [{"id": "w", "kind": "other", "amount": "1"}]}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(e2.contains("3 problems in the offers"), "{e2}");
    assert!(
        e2.contains(
            "offer \"A\", item \"x\", field \"to\": year 5 is beyond the horizon of 2 years"
        ),
        "{e2}"
    );
    assert!(
        e2.contains("offer \"B\", item \"y\", field \"unit_price\": -3 is negative"),
        "{e2}"
    );
    assert!(
        e2.contains("offer \"A\": the id is used by an earlier offer"),
        "{e2}"
    );
}

#[test]
fn french_csv_with_a_series_given_year_by_year() {
    let csv = "\u{feff}offre;libellé_offre;poste;type;année;quantité;prix_unitaire;montant;évolution\n\
               A;Fournisseur A;achat;acquisition;0;;;1 200,50;\n\
               A;Fournisseur A;électricité;energie;;350;0,2;;2 %\n\
               A;Fournisseur A;toner;consommables;1;4;30;;\n\
               A;Fournisseur A;toner;consommables;2;5;30;;\n\
               B;;achat;acquisition;0;;;1 000;\n";
    let p = Parameters::new(2, Decimal::ZERO, RateBasis::Real, Convention::EndOfYear).unwrap();
    let study = Study::from_csv(csv.as_bytes(), p).unwrap();
    assert_eq!(study.offers.len(), 2);
    assert_eq!(study.offers[0].label.as_deref(), Some("Fournisseur A"));
    let r = study.compute().unwrap();
    // 1200.50 + 70 + 71.40 + (4 + 5) × 30
    assert_eq!(r.offer("A").unwrap().lcc_rounded().to_string(), "1611.90");
    assert_eq!(r.offer("B").unwrap().lcc_rounded().to_string(), "1000.00");
}

#[test]
fn csv_errors_name_the_line_offer_item_and_column() {
    let csv = "offer,item,kind,year,quantity,unit_price\n\
               A,toner,consumables,1,4,30\n\
               A,toner,consumables,2,5,31\n\
               A,paper,consumables,,abc,2\n";
    let p = Parameters::new(2, Decimal::ZERO, RateBasis::Real, Convention::EndOfYear).unwrap();
    let m = Study::from_csv(csv.as_bytes(), p.clone())
        .unwrap_err()
        .to_string();
    assert!(
        m.contains("line 3, offer \"A\", item \"toner\", field \"unit_price\""),
        "{m}"
    );
    assert!(
        m.contains("line 4, offer \"A\", item \"paper\", field \"quantity\""),
        "{m}"
    );
    let missing = Study::from_csv("offer,kind\nA,energy\n".as_bytes(), p).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::Missing);
    assert!(missing.to_string().contains("\"item\""));
}

#[test]
fn study_json_round_trips() {
    let text = include_str!("data/lcc/scenarios.json");
    let table: Scenarios = serde_json::from_str(text).unwrap();
    for s in &table.scenarios {
        let study = Study::from_json(&s.study.to_string()).unwrap();
        let again = Study::from_json(&study.to_json().unwrap()).unwrap();
        assert_eq!(study, again, "{}", s.name);
    }
}

#[test]
fn reports_are_deterministic_and_bilingual() {
    let s =
        two_offer_study().with_scoring(Scoring::new(ScoringFormula::LowestRatio, d("60")).unwrap());
    let r = s.compute().unwrap();
    assert_eq!(
        r.to_json().unwrap(),
        s.compute().unwrap().to_json().unwrap()
    );
    let fr = r.to_markdown(Lang::Fr);
    assert_eq!(fr, s.compute().unwrap().to_markdown(Lang::Fr));
    // CLDR fr: a narrow no-break space in thousands and before %, a no-break space before €
    assert!(fr.contains("taux d'actualisation 4\u{202f}% réel"), "{fr}");
    assert!(fr.contains("1\u{202f}181,49\u{a0}€"), "{fr}");
    let en = r.to_markdown(Lang::En);
    assert!(en.contains("€1,181.49"), "{en}");
    assert!(en.contains("Score /60"), "{en}");
    let text = r.to_text(Lang::En);
    assert!(text.lines().any(|l| l.starts_with("Rank")), "{text}");
    let json: serde_json::Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    assert_eq!(json["offers"][1]["lcc"], "1181.49");
    assert_eq!(json["offers"][1]["by_kind"]["energy"], "181.49");
    assert_eq!(json["offers"][1]["rank"], 1);
}

/// Year 0 is the purchase; the explicit `years` of an item win over its kind's defaults.
#[test]
fn explicit_years_override_the_defaults_of_the_kind() {
    let p = Parameters::new(3, d("0.1"), RateBasis::Real, Convention::EndOfYear).unwrap();
    let late = Offer::new("A").with(
        CostItem::amount("replacement", CostKind::Acquisition, d("121")).in_years(Years::Once(2)),
    );
    assert_eq!(late.lcc(&p).unwrap().lcc_rounded().to_string(), "100.00");
}

fn arb_offer() -> impl Strategy<Value = (Vec<(u8, u32, u32)>, u32, u32)> {
    // items: (kind index, amount in cents, escalation in basis points); horizon; rate (bp)
    (
        prop::collection::vec((0u8..9, 0u32..10_000_000, 0u32..1_000), 1..6),
        1u32..40,
        0u32..2_000,
    )
}

fn build(items: &[(u8, u32, u32)], horizon: u32, rate_bp: u32) -> (Parameters, Offer) {
    let p = Parameters::new(
        horizon,
        Decimal::new(i64::from(rate_bp), 4),
        RateBasis::Real,
        Convention::EndOfYear,
    )
    .unwrap();
    let mut o = Offer::new("P");
    for (i, &(k, cents, esc)) in items.iter().enumerate() {
        let kind = [
            CostKind::Acquisition,
            CostKind::Energy,
            CostKind::Use,
            CostKind::Maintenance,
            CostKind::Consumables,
            CostKind::EndOfLife,
            CostKind::ResidualValue,
            CostKind::Other,
            CostKind::Energy,
        ][k as usize];
        o = o.with(
            CostItem::amount(format!("i{i}"), kind, Decimal::new(i64::from(cents), 2))
                .escalating(Decimal::new(i64::from(esc), 4)),
        );
    }
    (p, o)
}

/// Equal up to the rounding of each year's value to 10 decimal places (at most half of
/// 10⁻¹⁰ per year and item, scaled by the factor of the test): far below a cent.
fn close(a: Decimal, b: Decimal) -> bool {
    (a - b).abs() <= Decimal::new(1, 6)
}

proptest! {
    /// Parts add up to the whole: by kind, by year, by item, buyer costs + externalities.
    #[test]
    fn parts_add_up_to_the_lcc((items, horizon, rate) in arb_offer()) {
        let (p, o) = build(&items, horizon, rate);
        let c = o.lcc(&p).unwrap();
        let kinds: Decimal = c.by_kind.values().sum();
        let years: Decimal = c.by_year.values().sum();
        let items_pv: Decimal = c.items.iter().map(|i| i.present_value).sum();
        prop_assert_eq!(kinds, c.lcc);
        prop_assert_eq!(years, c.lcc);
        prop_assert_eq!(items_pv, c.lcc);
        prop_assert_eq!(c.buyer_costs + c.externalities, c.lcc);
    }

    /// The LCC is linear in each cost: scaling one item's amount by k adds (k − 1) × its
    /// present value and leaves the rest unchanged (up to the stated rounding of each year's
    /// value to 10 decimal places).
    #[test]
    fn lcc_is_linear_in_each_cost((items, horizon, rate) in arb_offer(), which in 0usize..6, k in 0u32..50) {
        let which = which % items.len();
        let (p, o) = build(&items, horizon, rate);
        let base = o.lcc(&p).unwrap();
        let mut scaled_items = items.clone();
        scaled_items[which].1 = scaled_items[which].1.saturating_mul(k);
        let (_, o2) = build(&scaled_items, horizon, rate);
        let scaled = o2.lcc(&p).unwrap();
        let item_pv = base.items[which].present_value;
        let expected = base.lcc + item_pv * Decimal::from(k) - item_pv;
        prop_assert!(close(scaled.lcc, expected), "{} vs {}", scaled.lcc, expected);
    }

    /// For positive future costs, a higher discount rate never gives a higher LCC.
    #[test]
    fn lcc_is_monotone_in_the_discount_rate_for_positive_future_costs(
        (items, horizon, rate) in arb_offer(), more in 1u32..3_000, conv in 0usize..3
    ) {
        let costs: Vec<(u8, u32, u32)> = items.into_iter().filter(|i| i.0 != 6).collect();
        prop_assume!(!costs.is_empty());
        let convention = [Convention::BeginningOfYear, Convention::MiddleOfYear, Convention::EndOfYear][conv];
        let (p1, o) = build(&costs, horizon, rate);
        let p1 = Parameters::new(p1.horizon_years(), p1.discount_rate(), RateBasis::Real, convention).unwrap();
        let p2 = Parameters::new(horizon, p1.discount_rate() + Decimal::new(i64::from(more), 4), RateBasis::Real, convention).unwrap();
        let low = o.lcc(&p1).unwrap().lcc;
        let high = o.lcc(&p2).unwrap().lcc;
        prop_assert!(high <= low + Decimal::new(1, 12), "{high} > {low}");
    }

    /// The JSON reader never panics, whatever the text.
    #[test]
    fn json_reader_never_panics(text in ".{0,300}") {
        let _ = Study::from_json(&text);
    }

    /// The CSV reader never panics, whatever the bytes.
    #[test]
    fn csv_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let p = Parameters::new(2, Decimal::ZERO, RateBasis::Real, Convention::EndOfYear).unwrap();
        let _ = Study::from_csv(bytes.as_slice(), p);
    }
}

/// Bounds at the ends of the decimal range, or costs that cancel out on the way: an overflow
/// error naming what overflowed, never a panic.
#[test]
fn extreme_bounds_and_cancelling_costs_overflow_as_errors() {
    let max = Decimal::MAX;
    for (lower, upper) in [(d("-1"), max), (-max, d("1")), (-max, max)] {
        let s = two_offer_study().with_scoring(
            Scoring::new(
                ScoringFormula::LinearBetween {
                    lower: Some(lower),
                    upper: Some(upper),
                },
                d("40"),
            )
            .unwrap(),
        );
        let e = s.compute().unwrap_err();
        assert_eq!(e.kind(), spaser::ErrorKind::Overflow, "{e}");
        assert!(e.to_string().contains("linear_between"), "{e}");
    }
    // the running LCC goes −7e28, 0, −7e28 (every sum in range) while the externalities
    // reach 7e28: the cost to the buyer, −1.4e29, is out of range
    let study = Study::from_json(
        r#"{"parameters": {"horizon_years": 1, "discount_rate": "0", "rate_basis": "real",
              "base_year": 2026,
              "externalities": {"co2e": {"values": {"2027": "70000000000000000000000000000"}}}},
            "offers": [{"id": "extreme", "items": [
              {"id": "r1", "kind": "residual_value", "amount": "70000000000000000000000000000"},
              {"id": "co2", "kind": "emissions", "pollutant": "co2e", "quantity": "1"},
              {"id": "r2", "kind": "residual_value", "amount": "70000000000000000000000000000"}]}]}"#,
    )
    .unwrap();
    let e = study.compute().unwrap_err();
    assert_eq!(e.kind(), spaser::ErrorKind::Overflow, "{e}");
    assert!(e.to_string().contains("\"extreme\""), "{e}");
}
