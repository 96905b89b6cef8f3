//! Invariants of the programme readers and of estimation, checked on generated input.

#![cfg_attr(
    not(all(feature = "spreadsheet", feature = "toml")),
    allow(unused_imports, dead_code)
)]

mod programme_support;

use chrono::NaiveDate;
use proptest::prelude::*;
use spaser::{
    Amount, AwardCriterion, Buyer, BuyerKind, ColumnMap, CpvCode, CriterionKind, Departement,
    Dimension, FileFormat, Intermediary, IntermediaryKind, LineStatus, Lot, Nature,
    NoCompetitionCase, PlanLine, PlanningOptions, Programme, ReadOptions, Rulebook, Share,
    SocialExemption, SocialExemptionCase, Targets,
};

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
        extra in extra_fields(),
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
        let (need_date, status, intermediary, lot, no_competition, award_criteria, social, flags, departements, contract_ids) = extra;
        line.need_date = need_date;
        line.status = status;
        line.intermediary = intermediary;
        line.lot = lot;
        line.no_competition = no_competition;
        line.award_criteria = award_criteria;
        line.social_exemption = social;
        (line.defence_security, line.confidential) = flags;
        line.departements = departements;
        line.contract_ids = contract_ids;
        line
    }
}

/// A name: no surrounding blanks, no list separator, not a yes/no word.
fn name() -> impl Strategy<Value = String> {
    "[A-Z][a-zé]{2,8}( [A-Za-z0-9]{1,6})?"
}

/// An intermediary's name: any name, including one that reads as a yes/no word or holds quotes
/// (the writer quotes it, the reader unquotes it: L2113-2, L2113-6).
fn intermediary_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => name(),
        1 => text(),
        1 => proptest::sample::select(vec!["Oui", "non", "x", "0", "1", "TRUE", "Yés", "N", "\"UGAP\"", "\""])
            .prop_map(str::to_string),
    ]
}

fn criterion() -> impl Strategy<Value = AwardCriterion> {
    (
        name(),
        prop_oneof![
            Just(CriterionKind::Price),
            Just(CriterionKind::Cost),
            Just(CriterionKind::Quality),
            Just(CriterionKind::Environmental),
            Just(CriterionKind::Social),
            Just(CriterionKind::Innovation),
            Just(CriterionKind::Delay),
            Just(CriterionKind::Other),
        ],
        0u32..=100,
        any::<bool>(),
    )
        .prop_map(|(n, k, w, env)| {
            let c = AwardCriterion::new(n, k, Share::from_percent(w.into()).unwrap());
            if env { c.environmental() } else { c }
        })
}

#[allow(clippy::type_complexity)]
fn extra_fields() -> impl Strategy<
    Value = (
        Option<NaiveDate>,
        LineStatus,
        Option<Intermediary>,
        Option<Lot>,
        Option<NoCompetitionCase>,
        Option<Vec<AwardCriterion>>,
        Option<SocialExemption>,
        (bool, bool),
        Vec<Departement>,
        Vec<String>,
    ),
> {
    (
        proptest::option::of(date()),
        proptest::sample::select(LineStatus::ALL.to_vec()),
        proptest::option::of((any::<bool>(), intermediary_name()).prop_map(|(c, name)| {
            Intermediary {
                kind: if c {
                    IntermediaryKind::CentralPurchasingBody
                } else {
                    IntermediaryKind::PurchasingGroup
                },
                name,
            }
        })),
        proptest::option::of((name(), 1u32..40).prop_map(|(consultation, number)| Lot {
            consultation,
            number,
        })),
        proptest::option::of(proptest::sample::select(NoCompetitionCase::ALL.to_vec())),
        proptest::option::of(proptest::collection::vec(criterion(), 1..4)),
        proptest::option::of(
            (
                proptest::sample::select(vec![
                    SocialExemptionCase::ImmediatelyAvailableSolution,
                    SocialExemptionCase::NoLinkWithSubjectMatter,
                    SocialExemptionCase::CompetitionOrPerformanceRisk,
                    SocialExemptionCase::Other,
                ]),
                text(),
            )
                .prop_map(|(c, r)| SocialExemption::new(c, r).unwrap()),
        ),
        (any::<bool>(), any::<bool>()),
        proptest::collection::btree_set(prop_oneof!["01", "2A", "49", "75", "974"], 0..3)
            .prop_map(|s| s.into_iter().map(|d| d.parse().unwrap()).collect()),
        proptest::collection::btree_set("[A-Z0-9-]{1,10}", 0..3)
            .prop_map(|s| s.into_iter().collect()),
    )
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

/// `default` cases, or `PROPTEST_CASES` when set (`PROPTEST_CASES=2000` for a long run).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

const HEADER: &str =
    "id;libelle;famille;cpv;nature;montant_ht;date_lancement;innovant;date_fin_actuelle\n";

/// A small workbook to damage.
#[cfg(feature = "spreadsheet")]
fn workbook() -> &'static [u8] {
    static W: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        let mut p = Programme::sample().clone();
        p.lines.truncate(4);
        let (header, rows) = p.to_table();
        programme_support::xlsx(&header, &rows, "P", true, &["Titre"], false)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(32)))]

    #[test]
    #[cfg(feature = "spreadsheet")]
    fn xlsx_round_trip_is_lossless(p in programme(), typed in any::<bool>()) {
        // Typed cells (numbers, dates, booleans) or text cells: the same programme.
        let (header, rows) = p.to_table();
        let bytes = programme_support::xlsx(&header, &rows, "Programme", typed, &["Programmation"], true);
        let read = Programme::read(&bytes, &ReadOptions::default().buyer(p.buyer.clone())).unwrap();
        prop_assert!(read.errors().is_empty(), "{:?}", read.errors());
        prop_assert_eq!(read.into_programme().unwrap(), p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

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
    fn windows_1252_csv_round_trip_is_lossless(p in programme()) {
        let (header, rows) = p.to_table();
        let bytes = programme_support::windows_1252_csv(&header, &rows);
        let read = Programme::read(&bytes, &ReadOptions::default().buyer(p.buyer.clone())).unwrap();
        prop_assert_eq!(read.into_programme().unwrap(), p);
    }

    #[test]
    #[cfg(all(feature = "spreadsheet", feature = "toml"))]
    fn every_reader_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let b = Buyer::new("b", BuyerKind::Utility);
        for format in [FileFormat::Csv, FileFormat::Json, FileFormat::Xlsx, FileFormat::Xls, FileFormat::Xlsb, FileFormat::Ods] {
            let opts = ReadOptions::default().format(format).buyer(b.clone());
            if let Ok(read) = Programme::read(&bytes, &opts) {
                let c = read.counts();
                prop_assert_eq!(c.read, c.accepted + c.rejected + c.blank + c.skipped);
            }
            let _ = Targets::read(&bytes, &ReadOptions::default().format(format));
        }
        let _ = Programme::read(&bytes, &ReadOptions::default());
        let text = String::from_utf8_lossy(&bytes);
        let _ = Buyer::from_json(&text);
        let _ = Buyer::from_toml(&text);
        let _ = PlanningOptions::from_json(&text);
        let _ = PlanningOptions::from_toml(&text);
        let _ = ColumnMap::from_json(&text);
        let _ = ColumnMap::from_toml(&text);
    }

    #[test]
    #[cfg(feature = "spreadsheet")]
    fn the_workbook_readers_never_panic_on_damaged_workbooks(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = workbook().to_vec();
        for (i, b) in flips {
            let at = i.index(bytes.len());
            bytes[at] = b;
        }
        let _ = Programme::read(&bytes, &ReadOptions::default());
        bytes.truncate(cut.index(bytes.len()));
        let _ = Programme::read(&bytes, &ReadOptions::default());
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
