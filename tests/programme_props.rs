//! Invariants of the programme readers and of estimation, checked on generated input.

use chrono::NaiveDate;
use proptest::prelude::*;
use spaser::{Amount, Buyer, BuyerKind, CpvCode, Dimension, Nature, PlanLine, Programme, Rulebook};

fn text() -> impl Strategy<Value = String> {
    // No surrounding blanks (cells are trimmed on import), but quotes, delimiters and accents.
    "[A-Za-zéà0-9][A-Za-zéà0-9 ,;\"'|€-]{0,12}[A-Za-z0-9]|[A-Za-z]"
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..1200)
        .prop_map(|d| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(d))
}

prop_compose! {
    fn plan_line()(
        label in text(),
        family in proptest::option::of(prop_oneof!["F1", "F2", "PAP", "famille é"]),
        cpv in proptest::option::of(0u32..100_000_000),
        nature in prop_oneof![Just(Nature::Works), Just(Nature::Supplies), Just(Nature::Services)],
        cents in 0u64..100_000_000_000,
        launch_date in date(),
        duration_months in proptest::option::of(0u32..240),
        service in proptest::option::of(text()),
        operation in proptest::option::of(prop_oneof!["OP1", "OP2"]),
        innovative in any::<bool>(),
        specific in any::<bool>(),
        dims in 0u8..8,
        current_end_date in proptest::option::of(date()),
    ) -> PlanLine {
        let considerations = Dimension::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| dims & (1 << i) != 0)
            .map(|(_, d)| d)
            .collect();
        let mut line = PlanLine::new(
            String::new(),
            label,
            nature,
            Amount::from_cents(cents),
            launch_date,
        );
        line.family = family;
        line.cpv = cpv.map(|c| CpvCode::parse(&format!("{c:08}")).unwrap());
        line.duration_months = duration_months;
        line.service = service;
        line.operation = operation;
        line.innovative = innovative;
        // specific services (R2123-1 3°) exist only on services lines
        line.specific_services = specific && nature == Nature::Services;
        line.considerations = considerations;
        line.current_end_date = current_end_date;
        line
    }
}

fn programme() -> impl Strategy<Value = Programme> {
    (
        proptest::collection::vec(plan_line(), 0..30),
        prop_oneof![
            Just(BuyerKind::CentralGovernment),
            Just(BuyerKind::OtherContractingAuthority),
            Just(BuyerKind::Utility),
            Just(BuyerKind::DefenceSecurity),
        ],
    )
        .prop_map(|(mut lines, kind)| {
            for (i, l) in lines.iter_mut().enumerate() {
                l.id = format!("L-{i:03}");
            }
            Programme::new(Buyer::new("Acheteur ; test", kind), lines).unwrap()
        })
}

const HEADER: &str =
    "id;libelle;famille;cpv;nature;montant_ht;date_lancement;innovant;date_fin_actuelle\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn csv_reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Programme::from_csv(bytes.as_slice(), Buyer::new("b", BuyerKind::Utility));
    }

    #[test]
    fn csv_reader_never_panics_on_arbitrary_rows(rows in "[A-Za-z0-9;,/ .€\u{a0}\"\n-]{0,300}") {
        let csv = format!("{HEADER}{rows}");
        let _ = Programme::from_csv(csv.as_bytes(), Buyer::new("b", BuyerKind::Utility));
    }

    #[test]
    fn json_reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Programme::from_json(&text);
        let _ = Rulebook::from_json(&text);
    }

    #[test]
    fn json_round_trip_is_lossless(p in programme()) {
        let json = p.to_json().unwrap();
        let back = Programme::from_json(&json).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(back.to_json().unwrap(), json);
    }

    #[test]
    fn csv_round_trip_is_lossless(p in programme()) {
        let csv = p.to_csv().unwrap();
        let back = Programme::from_csv(csv.as_bytes(), p.buyer.clone()).unwrap();
        prop_assert_eq!(back, p);
    }

    #[test]
    fn a_group_value_is_the_sum_of_its_lines(p in programme()) {
        // R2121-1: the estimated value of a group is the total of its lines.
        let est = p.estimate(Rulebook::embedded()).unwrap();
        prop_assert_eq!(est.lines.len(), p.lines.len());
        let mut members = 0;
        for g in &est.groups {
            let sum = Amount::sum(g.line_ids().map(|id| p.line(id).unwrap().amount)).unwrap();
            prop_assert_eq!(sum, g.value);
            members += g.line_ids().len();
            for id in g.line_ids() {
                let l = est.line(id).unwrap();
                prop_assert_eq!(&l.group_key(), &g.key());
                prop_assert_eq!(l.group_value, g.value);
            }
        }
        prop_assert_eq!(members, p.lines.len());
    }

    #[test]
    fn the_group_procedure_is_never_lighter_than_the_line_alone(p in programme()) {
        // R2121-1: grouping can only make the procedure heavier, never lighter.
        let rules = Rulebook::embedded();
        let est = p.estimate(rules).unwrap();
        for (line, e) in p.lines.iter().zip(&est.lines) {
            let alone = Programme::new(p.buyer.clone(), vec![line.clone()]).unwrap();
            let a = alone.estimate(rules).unwrap();
            prop_assert!(a.lines[0].procedure <= e.procedure, "{} {:?} {:?}", line.id, a.lines[0], e);
        }
    }
}
