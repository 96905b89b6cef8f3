//! AGEC art. 58 product categories (décret 2024-134), the CPV → category mapping, and CPV →
//! food (EGalim) detection.
//!
//! The seventeen categories carry the exact strings of the official declaration schema
//! (FACTS §4). The CPV mapping is the crate's reading of the CPV labels, not an official
//! correspondence: each entry has its own confidence tag (`S` where the CPV codes were listed
//! by the abrogated 2021 table as reproduced by a secondary source, `?` otherwise). The longest
//! matching prefix wins, and some prefixes are explicit exclusions (personal protective
//! equipment is outside the textiles category).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::fold;
use crate::values::confidence::Confidence;
use crate::values::cpv::CpvCode;

/// One of the 17 product categories of AGEC art. 58 (décret 2024-134), serialized as its exact
/// official string.
///
/// ```
/// use spaser::{AgecCategory, CpvCode};
/// let c: AgecCategory = "Papier".parse()?;
/// assert_eq!(c, AgecCategory::Paper);
/// let m = AgecCategory::of_cpv(&CpvCode::parse("30197642")?).unwrap();
/// assert_eq!(m.category, AgecCategory::Paper);
/// assert!(AgecCategory::of_cpv(&CpvCode::parse("18143000")?).is_none()); // PPE excluded
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AgecCategory {
    /// Produits textiles à l'exception des équipements de protection individuels.
    Textiles,
    /// Matériel informatique et téléphonie.
    ItTelephony,
    /// Matériel de reprographie et d'impression.
    ReprographicsPrinting,
    /// Consommables d'impression.
    PrintingConsumables,
    /// Papier.
    Paper,
    /// Fournitures de bureau.
    OfficeSupplies,
    /// Engins de transport et pièces détachées.
    TransportEquipment,
    /// Véhicules et pièces détachées.
    Vehicles,
    /// Mobilier et aménagement d'intérieur.
    Furniture,
    /// Mobilier urbain.
    UrbanFurniture,
    /// Equipements de collecte de déchets.
    WasteCollectionEquipment,
    /// Bocaux et flacons.
    JarsBottles,
    /// Articles et équipement sportifs.
    SportsEquipment,
    /// Matériel d'entretien des espaces verts.
    GreenSpaceEquipment,
    /// Bâtiments modulaires ou préfabriqués.
    ModularBuildings,
    /// Gros électroménager, y compris appareils professionnels.
    LargeAppliances,
    /// Jeux et jouets.
    GamesToys,
}

impl AgecCategory {
    /// The 17 categories in the order of the official list.
    pub const ALL: [AgecCategory; 17] = [
        AgecCategory::Textiles,
        AgecCategory::ItTelephony,
        AgecCategory::ReprographicsPrinting,
        AgecCategory::PrintingConsumables,
        AgecCategory::Paper,
        AgecCategory::OfficeSupplies,
        AgecCategory::TransportEquipment,
        AgecCategory::Vehicles,
        AgecCategory::Furniture,
        AgecCategory::UrbanFurniture,
        AgecCategory::WasteCollectionEquipment,
        AgecCategory::JarsBottles,
        AgecCategory::SportsEquipment,
        AgecCategory::GreenSpaceEquipment,
        AgecCategory::ModularBuildings,
        AgecCategory::LargeAppliances,
        AgecCategory::GamesToys,
    ];

    /// The exact string of the official declaration schema (French).
    pub fn official(&self) -> &'static str {
        match self {
            AgecCategory::Textiles => {
                "Produits textiles à l'exception des équipements de protection individuels"
            }
            AgecCategory::ItTelephony => "Matériel informatique et téléphonie",
            AgecCategory::ReprographicsPrinting => "Matériel de reprographie et d'impression",
            AgecCategory::PrintingConsumables => "Consommables d'impression",
            AgecCategory::Paper => "Papier",
            AgecCategory::OfficeSupplies => "Fournitures de bureau",
            AgecCategory::TransportEquipment => "Engins de transport et pièces détachées",
            AgecCategory::Vehicles => "Véhicules et pièces détachées",
            AgecCategory::Furniture => "Mobilier et aménagement d'intérieur",
            AgecCategory::UrbanFurniture => "Mobilier urbain",
            AgecCategory::WasteCollectionEquipment => "Equipements de collecte de déchets",
            AgecCategory::JarsBottles => "Bocaux et flacons",
            AgecCategory::SportsEquipment => "Articles et équipement sportifs",
            AgecCategory::GreenSpaceEquipment => "Matériel d'entretien des espaces verts",
            AgecCategory::ModularBuildings => "Bâtiments modulaires ou préfabriqués",
            AgecCategory::LargeAppliances => {
                "Gros électroménager, y compris appareils professionnels"
            }
            AgecCategory::GamesToys => "Jeux et jouets",
        }
    }

    /// French label (the official string).
    pub fn label_fr(&self) -> &'static str {
        self.official()
    }

    /// English label.
    pub fn label_en(&self) -> &'static str {
        match self {
            AgecCategory::Textiles => "Textile products except personal protective equipment",
            AgecCategory::ItTelephony => "IT and telephony equipment",
            AgecCategory::ReprographicsPrinting => "Reprographics and printing equipment",
            AgecCategory::PrintingConsumables => "Printing consumables",
            AgecCategory::Paper => "Paper",
            AgecCategory::OfficeSupplies => "Office supplies",
            AgecCategory::TransportEquipment => "Transport equipment and spare parts",
            AgecCategory::Vehicles => "Vehicles and spare parts",
            AgecCategory::Furniture => "Furniture and interior fittings",
            AgecCategory::UrbanFurniture => "Urban furniture",
            AgecCategory::WasteCollectionEquipment => "Waste collection equipment",
            AgecCategory::JarsBottles => "Jars and bottles",
            AgecCategory::SportsEquipment => "Sports articles and equipment",
            AgecCategory::GreenSpaceEquipment => "Green space maintenance equipment",
            AgecCategory::ModularBuildings => "Modular or prefabricated buildings",
            AgecCategory::LargeAppliances => "Large household appliances, professional included",
            AgecCategory::GamesToys => "Games and toys",
        }
    }

    /// The category of a CPV code (longest matching prefix of the crate's mapping), with the
    /// confidence of the mapping entry; `None` when the code is in no category or explicitly
    /// excluded (personal protective equipment).
    pub fn of_cpv(cpv: &CpvCode) -> Option<AgecMatch> {
        let (prefix, category, confidence) = AGEC_CPV
            .iter()
            .filter(|(p, _, _)| cpv.starts_with(p))
            .max_by_key(|(p, _, _)| p.len())?;
        category.map(|category| AgecMatch {
            category,
            prefix,
            confidence: *confidence,
        })
    }

    /// The CPV prefixes mapped to this category.
    pub fn cpv_prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        AGEC_CPV
            .iter()
            .filter(move |(_, c, _)| *c == Some(*self))
            .map(|(p, _, _)| *p)
    }
}

impl fmt::Display for AgecCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.official())
    }
}

impl FromStr for AgecCategory {
    type Err = Error;
    /// Parses the official string (tolerant of case, accents, `’` and blanks).
    fn from_str(s: &str) -> Result<AgecCategory> {
        let key = fold(s);
        AgecCategory::ALL
            .into_iter()
            .find(|c| fold(c.official()) == key)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "category \"{s}\" is not in the AGEC art. 58 category list ({})",
                        AgecCategory::ALL.map(|c| c.official()).join(" · ")
                    ),
                )
            })
    }
}

impl Serialize for AgecCategory {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.official())
    }
}

impl<'de> Deserialize<'de> for AgecCategory {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<AgecCategory, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The result of [`AgecCategory::of_cpv`]: the category, the mapping prefix that matched and
/// that entry's confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AgecMatch {
    /// The category.
    pub category: AgecCategory,
    /// The CPV prefix of the mapping entry.
    pub prefix: &'static str,
    /// How firm the mapping entry is.
    pub confidence: Confidence,
}

use AgecCategory as C;
use Confidence::{S, Unknown as U};

/// The crate's CPV → AGEC category mapping: (prefix, category or `None` for an exclusion,
/// confidence). The longest matching prefix wins.
const AGEC_CPV: &[(&str, Option<AgecCategory>, Confidence)] = &[
    // Textiles (2021 table line 1 listed 18000000, 18100000, 19231000, 19000000, 39500000).
    ("18", Some(C::Textiles), S),
    ("192", Some(C::Textiles), S),
    ("395", Some(C::Textiles), S),
    ("35811", Some(C::Textiles), U),
    // Personal protective equipment is outside the textiles category.
    ("18143", None, S),
    ("18830", None, S),
    ("18141", None, U),
    ("351134", None, S),
    // IT and telephony (2021 line 4 listed 30000000, 30231100, 30213100, 30213300, 30237200).
    ("302", Some(C::ItTelephony), S),
    ("3225", Some(C::ItTelephony), U),
    ("3255", Some(C::ItTelephony), U),
    // Reprographics and printing (2021 line 5: 30120000, 30125000).
    ("3012", Some(C::ReprographicsPrinting), S),
    ("30232", Some(C::ReprographicsPrinting), U),
    // Printing consumables (cartridges and toners).
    ("301251", Some(C::PrintingConsumables), U),
    ("30192113", Some(C::PrintingConsumables), U),
    ("301243", Some(C::PrintingConsumables), U),
    // Paper.
    ("301976", Some(C::Paper), U),
    ("301991", Some(C::Paper), U),
    ("301993", Some(C::Paper), U),
    // Office supplies (2021 line 3 listed 22800000 and 30192700 with printed matter).
    ("3019", Some(C::OfficeSupplies), U),
    ("301927", Some(C::OfficeSupplies), S),
    ("228", Some(C::OfficeSupplies), S),
    // Transport equipment other than road vehicles, and spare parts.
    ("344", Some(C::TransportEquipment), U),
    ("345", Some(C::TransportEquipment), U),
    ("346", Some(C::TransportEquipment), U),
    ("347", Some(C::TransportEquipment), U),
    ("349", Some(C::TransportEquipment), U),
    // Road vehicles and their parts.
    ("341", Some(C::Vehicles), U),
    ("342", Some(C::Vehicles), U),
    ("343", Some(C::Vehicles), U),
    // Furniture and interior fittings.
    ("391", Some(C::Furniture), U),
    ("392", Some(C::Furniture), U),
    ("39222", None, U),
    // Urban furniture.
    ("349284", Some(C::UrbanFurniture), U),
    // Waste collection equipment.
    ("34928480", Some(C::WasteCollectionEquipment), U),
    ("446137", Some(C::WasteCollectionEquipment), U),
    ("446138", Some(C::WasteCollectionEquipment), U),
    // Jars and bottles.
    ("33793", Some(C::JarsBottles), U),
    // Sports articles and equipment.
    ("374", Some(C::SportsEquipment), U),
    // Green space maintenance equipment.
    ("1631", Some(C::GreenSpaceEquipment), U),
    ("1616", Some(C::GreenSpaceEquipment), U),
    // Modular or prefabricated buildings.
    ("44211", Some(C::ModularBuildings), U),
    // Large appliances, professional included.
    ("397111", Some(C::LargeAppliances), U),
    ("397131", Some(C::LargeAppliances), U),
    ("397132", Some(C::LargeAppliances), U),
    ("42215", Some(C::LargeAppliances), U),
    // Games and toys.
    ("375", Some(C::GamesToys), S),
];

/// What kind of food purchase a CPV code stands for (EGalim, CRPM L230-5-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FoodKind {
    /// Meat or fish products (the 60 % meat and fish share applies from 2024).
    MeatFish,
    /// Other food products and beverages.
    OtherFood,
    /// Catering services that buy the food for the buyer (canteens, meal preparation): the
    /// food part of such contracts counts in the EGalim shares.
    CateringService,
}

impl FoodKind {
    /// The food kind of a CPV code, `None` when it is not food. Division 15 (food and
    /// beverages) except animal feed (157) and tobacco (1599); farm and fishing products of
    /// division 03 that are eaten (fruit, vegetables, cereals, fish, eggs, honey, milk,
    /// beverage crops); canteen and meal services (553, 555).
    ///
    /// ```
    /// use spaser::{CpvCode, FoodKind};
    /// assert_eq!(FoodKind::of_cpv(&CpvCode::parse("15110000")?), Some(FoodKind::MeatFish));
    /// assert_eq!(FoodKind::of_cpv(&CpvCode::parse("55524000")?), Some(FoodKind::CateringService));
    /// assert_eq!(FoodKind::of_cpv(&CpvCode::parse("15713000")?), None); // pet food
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn of_cpv(cpv: &CpvCode) -> Option<FoodKind> {
        FOOD_CPV
            .iter()
            .filter(|(p, _)| cpv.starts_with(p))
            .max_by_key(|(p, _)| p.len())
            .and_then(|(_, k)| *k)
    }
}

/// CPV prefixes of food (longest match wins; `None` excludes).
const FOOD_CPV: &[(&str, Option<FoodKind>)] = &[
    ("15", Some(FoodKind::OtherFood)),
    ("151", Some(FoodKind::MeatFish)),
    ("152", Some(FoodKind::MeatFish)),
    ("157", None),
    ("1599", None),
    ("0313", Some(FoodKind::OtherFood)),
    ("031425", Some(FoodKind::OtherFood)),
    ("031421", Some(FoodKind::OtherFood)),
    ("032", Some(FoodKind::OtherFood)),
    ("0331", Some(FoodKind::MeatFish)),
    ("033132", None),
    ("033131", None),
    ("03331", Some(FoodKind::OtherFood)),
    ("03333", Some(FoodKind::OtherFood)),
    ("553", Some(FoodKind::CateringService)),
    ("555", Some(FoodKind::CateringService)),
];
