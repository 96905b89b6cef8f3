//! AGEC art. 58 categories and the CPV mappings (FACTS §4, §5).

use proptest::prelude::*;
use spaser::{AgecCategory, Catalogue, Confidence, CpvCode, FoodKind};

fn cpv(s: &str) -> CpvCode {
    s.parse().unwrap()
}

/// The 17 strings of the official declaration schema, verbatim (FACTS §4).
const OFFICIAL: [&str; 17] = [
    "Produits textiles à l'exception des équipements de protection individuels",
    "Matériel informatique et téléphonie",
    "Matériel de reprographie et d'impression",
    "Consommables d'impression",
    "Papier",
    "Fournitures de bureau",
    "Engins de transport et pièces détachées",
    "Véhicules et pièces détachées",
    "Mobilier et aménagement d'intérieur",
    "Mobilier urbain",
    "Equipements de collecte de déchets",
    "Bocaux et flacons",
    "Articles et équipement sportifs",
    "Matériel d'entretien des espaces verts",
    "Bâtiments modulaires ou préfabriqués",
    "Gros électroménager, y compris appareils professionnels",
    "Jeux et jouets",
];

#[test]
fn the_17_categories_carry_the_exact_official_strings() {
    assert_eq!(AgecCategory::ALL.len(), 17);
    for (c, s) in AgecCategory::ALL.iter().zip(OFFICIAL) {
        assert_eq!(c.official(), s);
        assert_eq!(s.parse::<AgecCategory>().unwrap(), *c);
        assert_eq!(serde_json::to_string(c).unwrap(), format!("\"{s}\""));
        assert!(!c.label_en().is_empty());
        // tolerant of case, typographic apostrophes and blanks
        let noisy = format!("  {}  ", s.to_uppercase().replace('\'', "’"));
        assert_eq!(noisy.parse::<AgecCategory>().unwrap(), *c, "{noisy}");
    }
    let e = "Chaussettes".parse::<AgecCategory>().unwrap_err();
    assert!(e.to_string().contains("\"Chaussettes\"") && e.to_string().contains("AGEC"));
}

#[test]
fn every_category_has_a_cpv_mapping_with_a_confidence() {
    for c in AgecCategory::ALL {
        let prefixes: Vec<_> = c.cpv_prefixes().collect();
        assert!(!prefixes.is_empty(), "{c}");
        for p in prefixes {
            let code = format!("{p:0<8}");
            let m = AgecCategory::of_cpv(&cpv(&code)).unwrap();
            assert_eq!(m.category, c, "{code}");
            assert_eq!(m.prefix, p);
            assert_ne!(m.confidence, Confidence::V, "the mapping is not official");
        }
    }
}

#[test]
fn longest_prefix_wins_and_exclusions_hold() {
    // cartridges sit inside photocopier parts (3012…) but are printing consumables
    assert_eq!(
        AgecCategory::of_cpv(&cpv("30125100")).unwrap().category,
        AgecCategory::PrintingConsumables
    );
    assert_eq!(
        AgecCategory::of_cpv(&cpv("30121100")).unwrap().category,
        AgecCategory::ReprographicsPrinting
    );
    // urban furniture and bins inside "miscellaneous transport equipment" (349…)
    assert_eq!(
        AgecCategory::of_cpv(&cpv("34928400")).unwrap().category,
        AgecCategory::UrbanFurniture
    );
    assert_eq!(
        AgecCategory::of_cpv(&cpv("34928480")).unwrap().category,
        AgecCategory::WasteCollectionEquipment
    );
    assert_eq!(
        AgecCategory::of_cpv(&cpv("34900000")).unwrap().category,
        AgecCategory::TransportEquipment
    );
    assert_eq!(
        AgecCategory::of_cpv(&cpv("34110000")).unwrap().category,
        AgecCategory::Vehicles
    );
    // personal protective equipment is outside the textiles category
    for ppe in ["18143000", "18830000", "35113400"] {
        assert!(AgecCategory::of_cpv(&cpv(ppe)).is_none(), "{ppe}");
    }
    assert_eq!(
        AgecCategory::of_cpv(&cpv("18100000")).unwrap().category,
        AgecCategory::Textiles
    );
    // services are in no category
    assert!(AgecCategory::of_cpv(&cpv("90910000")).is_none());
}

#[test]
fn food_detection_follows_the_cpv() {
    // CRPM L230-5-1: food purchases, meat and fish apart
    for (code, kind) in [
        ("15110000", Some(FoodKind::MeatFish)),
        ("15200000", Some(FoodKind::MeatFish)),
        ("03311000", Some(FoodKind::MeatFish)),
        ("15500000", Some(FoodKind::OtherFood)),
        ("03221000", Some(FoodKind::OtherFood)),
        ("15861000", Some(FoodKind::OtherFood)),
        ("55524000", Some(FoodKind::CateringService)),
        ("55321000", Some(FoodKind::CateringService)),
        ("15713000", None), // pet food
        ("15991300", None), // cigarettes
        ("03410000", None), // wood
        ("03313100", None), // corals
        ("90910000", None),
    ] {
        assert_eq!(FoodKind::of_cpv(&cpv(code)), kind, "{code}");
    }
}

#[test]
fn agec_levers_name_a_category_whose_cpv_they_cover() {
    for l in Catalogue::embedded().levers() {
        if let Some(c) = l.agec_category {
            assert!(
                l.applies_to.cpv_prefixes.iter().any(|p| {
                    AgecCategory::of_cpv(&cpv(&format!("{p:0<8}"))).is_some_and(|m| m.category == c)
                }),
                "{}",
                l.id
            );
        }
    }
}

proptest! {
    #[test]
    fn parsers_never_panic(s in "\\PC{0,80}") {
        let _ = s.parse::<AgecCategory>();
        let _ = spaser::Goal::parse(&s);
        let _ = spaser::Consideration::from_decp(&s);
        let _ = spaser::Consideration::from_eforms(&s, Some(&s), spaser::Instrument::AwardCriterion);
        let _ = spaser::Consideration::from_eforms_reserved(&s);
        let _ = s.parse::<spaser::Strategy>();
        let _ = spaser::SocialObjective::from_ocds(&s);
    }

    #[test]
    fn a_cpv_maps_through_a_prefix_it_starts_with(n in 3_000_000u32..98_999_999) {
        if let Ok(c) = CpvCode::parse(&format!("{n:08}")) {
            if let Some(m) = AgecCategory::of_cpv(&c) {
                prop_assert!(c.starts_with(m.prefix));
                prop_assert!(m.category.cpv_prefixes().any(|p| p == m.prefix));
            }
        }
    }

    #[test]
    fn goal_codes_round_trip(top in 0usize..3, sub in "[a-zA-Z0-9]{1,20}") {
        let code = format!("{}.{sub}", ["economic", "environmental", "social"][top]);
        let g = spaser::Goal::parse(&code).unwrap();
        prop_assert_eq!(spaser::Goal::parse(g.as_str()).unwrap(), g.clone());
        let json = serde_json::to_string(&g).unwrap();
        prop_assert_eq!(serde_json::from_str::<spaser::Goal>(&json).unwrap(), g);
    }
}
