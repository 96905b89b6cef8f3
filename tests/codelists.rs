//! Every DECP, eForms and OCDS code of the official codelists (copied under
//! `tests/data/codelists/`, see PROVENANCE.md) round-trips through the consideration model, and
//! unknown codes are rejected with an error naming the code and the list (FACTS §12–13).

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::str::FromStr;

use spaser::{
    Consideration, Dimension, EnvironmentalImpact, ErrorKind, Goal, GppCriteria,
    InnovativeAcquisition, Instrument, OcdsSustainability, ReservedProcurement, SocialObjective,
    StrategicProcurement, Strategy, decp_none,
};

fn rows(file: &str) -> Vec<Vec<String>> {
    let path = format!("{}/tests/data/codelists/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// The OCDS codes of the eForms mapping tables that the OCDS extension spells differently.
fn canonical(ocds: &str) -> &str {
    match ocds {
        "social.humanRightsInSupplyChain" => "social.humanRightsInSupplyChains",
        "environmental.waterResources" => "environmental.waterResourcesProtection",
        "economic.processInnovation" => "economic.processInnovationPromotion",
        "economic.productInnovation" => "economic.productInnovationPromotion",
        o => o,
    }
}

trait Code: FromStr<Err = spaser::Error> + Copy + PartialEq + Debug + 'static {
    fn all() -> &'static [Self];
    fn code(&self) -> &'static str;
    fn ocds(&self) -> Option<&'static str>;
    fn from_ocds(c: &str) -> spaser::Result<Self>;
    fn fr(&self) -> &'static str;
    fn en(&self) -> &'static str;
}

macro_rules! code_impl {
    ($($t:ty),+) => {$(
        impl Code for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn code(&self) -> &'static str { <$t>::code(self) }
            fn ocds(&self) -> Option<&'static str> { <$t>::ocds(self) }
            fn from_ocds(c: &str) -> spaser::Result<Self> { <$t>::from_ocds(c) }
            fn fr(&self) -> &'static str { <$t>::label_fr(self) }
            fn en(&self) -> &'static str { <$t>::label_en(self) }
        }
    )+};
}
code_impl!(
    StrategicProcurement,
    EnvironmentalImpact,
    SocialObjective,
    InnovativeAcquisition,
    GppCriteria,
    ReservedProcurement,
    Strategy
);

/// Each row (eForms code, eForms label, OCDS code, OCDS label) parses, prints back, maps to
/// its OCDS code and back, and every code of the enum is in the file (except `none`).
fn eforms_table<T: Code>(file: &str) {
    let rows = rows(file);
    let mut seen = BTreeSet::new();
    for r in &rows {
        let c: T = r[0].parse().unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(c.code(), r[0]);
        assert_eq!(c.en(), r[1], "{file}: English label of {}", r[0]);
        assert!(!c.fr().is_empty());
        let ocds = canonical(&r[2]);
        if ocds == "none" {
            assert_eq!(c.ocds(), None);
        } else {
            assert_eq!(c.ocds(), Some(ocds), "{file}: OCDS of {}", r[0]);
            assert_eq!(T::from_ocds(&r[2]).unwrap(), c);
            assert_eq!(T::from_ocds(ocds).unwrap(), c);
            // Every OCDS goal code of the tables is a known goal once normalised.
            if !file.contains("gpp") {
                assert_eq!(Goal::known(&r[2]).unwrap().as_str(), ocds);
            }
        }
        // case and blanks tolerated
        assert_eq!(
            format!(" {} ", r[0].to_uppercase()).parse::<T>().unwrap(),
            c
        );
        seen.insert(r[0].clone());
    }
    for c in T::all() {
        assert!(
            seen.contains(c.code()) || c.code() == "none",
            "{file}: {} not in the file",
            c.code()
        );
    }
    let err = "not-a-code".parse::<T>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    let msg = err.to_string();
    assert!(
        msg.contains("\"not-a-code\"") && msg.contains("list"),
        "{msg}"
    );
}

#[test]
fn eforms_bt06_strategic_procurement_round_trips() {
    eforms_table::<StrategicProcurement>("eforms-strategic-procurement.csv");
}

#[test]
fn eforms_bt774_environmental_impact_round_trips() {
    eforms_table::<EnvironmentalImpact>("eforms-environmental-impact.csv");
}

#[test]
fn eforms_bt775_social_objective_round_trips() {
    eforms_table::<SocialObjective>("eforms-social-objective.csv");
}

#[test]
fn eforms_bt776_innovative_acquisition_round_trips() {
    eforms_table::<InnovativeAcquisition>("eforms-innovative-acquisition.csv");
}

#[test]
fn eforms_bt805_gpp_criteria_round_trips() {
    eforms_table::<GppCriteria>("eforms-gpp-criteria.csv");
}

#[test]
fn ocds_reserved_participation_maps_to_bt71() {
    for r in rows("ocds-reservedParticipation.csv") {
        let c = ReservedProcurement::from_ocds(&r[0]).unwrap();
        assert_eq!(c.ocds(), Some(r[0].as_str()));
        let cons = Consideration::from_eforms_reserved(c.code())
            .unwrap()
            .unwrap();
        assert_eq!(cons.instrument, Instrument::ReservedContract);
        assert_eq!(cons.eforms_reserved(), Some(c));
    }
    assert!(
        Consideration::from_eforms_reserved("none")
            .unwrap()
            .is_none()
    );
    let e = ReservedProcurement::from_ocds("localSuppliers").unwrap_err();
    assert!(e.to_string().contains("localSuppliers"));
}

#[test]
fn ocds_strategies_round_trip_and_map_to_instruments() {
    let rows = rows("sustainabilityStrategy.csv");
    assert_eq!(rows.len(), Strategy::ALL.len());
    for r in rows {
        let s: Strategy = r[0].parse().unwrap();
        assert_eq!(s.code(), r[0]);
        assert_eq!(s.label_en(), r[1]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, format!("\"{}\"", r[0]));
        assert_eq!(serde_json::from_str::<Strategy>(&json).unwrap(), s);
        if let Some(i) = s.instrument() {
            assert_eq!(Strategy::of(i), Some(s));
        }
    }
    for i in Instrument::ALL {
        assert!(Strategy::of(i).is_some(), "{i} has an OCDS strategy");
    }
}

#[test]
fn ocds_goals_are_all_known_and_labelled() {
    let rows = rows("sustainabilityGoal.csv");
    for r in &rows {
        let g = Goal::known(&r[0]).unwrap();
        assert_eq!(g.as_str(), r[0]);
        assert_eq!(g.label_en(), Some(r[1].as_str()));
        assert!(g.label_fr().is_some_and(|l| !l.is_empty()));
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(serde_json::from_str::<Goal>(&json).unwrap(), g);
    }
    // the known list is exactly the file plus `none` (BT-06 mapping)
    assert_eq!(Goal::all_known().count(), rows.len() + 1);
}

#[test]
fn ocds_goal_set_is_open_but_checked() {
    let g = Goal::parse("social.fairTrade").unwrap();
    assert!(!g.is_known());
    assert_eq!(g.dimension(), Some(Dimension::Social));
    let e = Goal::parse("planet.fairTrade").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert!(e.to_string().contains("\"planet.fairTrade\""));
    assert!(e.to_string().contains("OCDS sustainabilityGoal"));
    assert!(Goal::known("social.fairTrade").is_err());
    assert!(serde_json::from_str::<Goal>("\"social..x\"").is_err());
}

#[test]
fn every_known_goal_with_a_dimension_round_trips_through_ocds() {
    for code in Goal::all_known() {
        let goal = Goal::known(code).unwrap();
        let o = OcdsSustainability {
            goal: Some(goal.clone()),
            strategies: Strategy::ALL.to_vec(),
        };
        match goal.dimension() {
            Some(d) => {
                let cs = Consideration::from_ocds(&o).unwrap();
                assert_eq!(cs.len(), 5, "{code}");
                for c in cs {
                    assert_eq!(c.dimension, d);
                    let back = c.to_ocds().unwrap();
                    assert_eq!(back.goal.as_ref(), Some(&goal));
                    assert_eq!(back.strategies, vec![Strategy::of(c.instrument).unwrap()]);
                }
            }
            None => assert!(Consideration::from_ocds(&o).is_err(), "{code}"),
        }
    }
}

#[test]
fn eforms_detail_codes_round_trip_through_considerations() {
    fn check<T: Code>(bt06: &str, instrument: Instrument) {
        for c in T::all() {
            let cons = Consideration::from_eforms(bt06, Some(c.code()), instrument)
                .unwrap()
                .unwrap();
            assert_eq!(cons.eforms_strategic().code(), bt06);
            assert_eq!(cons.eforms_detail(), Some(c.code()));
        }
        let e = Consideration::from_eforms(bt06, Some("xx"), instrument).unwrap_err();
        assert!(e.to_string().contains("\"xx\""), "{e}");
    }
    check::<EnvironmentalImpact>("env-imp", Instrument::TechnicalSpecification);
    check::<SocialObjective>("soc-obj", Instrument::ExecutionClause);
    check::<InnovativeAcquisition>("inn-pur", Instrument::AwardCriterion);
    assert!(
        Consideration::from_eforms("none", None, Instrument::AwardCriterion)
            .unwrap()
            .is_none()
    );
    let e = Consideration::from_eforms("green", None, Instrument::AwardCriterion).unwrap_err();
    assert!(e.to_string().contains("BT-06"), "{e}");
}

/// Collects the `enum` arrays of the consideration arrays of one DECP object type.
fn decp_enums(kind: &str) -> Vec<String> {
    let path = format!(
        "{}/tests/data/codelists/schema_decp_v2.0.3.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let defs = &schema["definitions"][kind]["definitions"];
    let mut out = Vec::new();
    for name in [
        "considerationSocialeArray",
        "considerationEnvironnementaleArray",
    ] {
        for v in defs[name]["items"]["enum"].as_array().unwrap() {
            out.push(v.as_str().unwrap().to_string());
        }
    }
    assert!(out.len() >= 6, "{kind}: {out:?}");
    out
}

#[test]
fn decp_marche_strings_round_trip() {
    for s in decp_enums("marche") {
        match Consideration::from_decp(&s).unwrap() {
            Some(c) => assert_eq!(c.to_decp(), Some(s.as_str())),
            None => assert!(
                Dimension::ALL
                    .iter()
                    .any(|d| decp_none(*d) == Some(s.as_str()))
            ),
        }
        // tolerant of case, blanks and typographic apostrophes
        let noisy = format!("  {}  ", s.to_uppercase());
        assert_eq!(
            Consideration::from_decp(&noisy).unwrap(),
            Consideration::from_decp(&s).unwrap()
        );
    }
}

#[test]
fn decp_concession_strings_round_trip() {
    for s in decp_enums("contrat-concession") {
        match Consideration::from_decp(&s).unwrap() {
            Some(c) => assert_eq!(c.to_decp_concession(), Some(s.as_str())),
            None => assert!(s.starts_with("Pas de considération")),
        }
    }
}

#[test]
fn unknown_decp_string_names_the_value_and_the_list() {
    let e = Consideration::from_decp("Clause locale").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    let m = e.to_string();
    assert!(
        m.contains("\"Clause locale\"") && m.contains("DECP list"),
        "{m}"
    );
    assert!(
        Consideration::from_decp("Pas de considération sociale")
            .unwrap()
            .is_none()
    );
    assert!(
        Consideration::from_decp("pas de consid\u{e9}ration environnementale")
            .unwrap()
            .is_none()
    );
}

#[test]
fn every_consideration_has_french_and_english_labels() {
    for d in Dimension::ALL {
        for i in Instrument::ALL {
            let c = Consideration::new(d, i);
            assert!(!c.label_fr().is_empty() && !c.label_en().is_empty());
            assert!(!d.label_fr().is_empty() && !i.label_en().is_empty());
        }
    }
}
