//! The regions of France and the département → region table, to widen a search for suppliers
//! from the département where a purchase is performed to its region.
//!
//! Source: INSEE, *Code officiel géographique* (COG), the regions in force since 2016-01-01
//! (loi 2015-29) with their INSEE codes, and each département's region code (`DEP` → `REG`
//! of the COG's département file); checked line by line against the official API
//! geo.api.gouv.fr (`/departements`, built from the COG by Etalab) — confidence `V`. The
//! overseas collectivities without a region (975, 977, 978, 986, 987, 988) have none: a search
//! from them widens from the département straight to the whole country.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;
use crate::values::place::Departement;

/// The regions: INSEE code and name.
const REGIONS: [(&str, &str); 18] = [
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("24", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté"),
    ("28", "Normandie"),
    ("32", "Hauts-de-France"),
    ("44", "Grand Est"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
];

/// Département code → region code (COG; 101 départements).
const DEPARTEMENT_REGION: [(&str, &str); 101] = [
    ("01", "84"),
    ("02", "32"),
    ("03", "84"),
    ("04", "93"),
    ("05", "93"),
    ("06", "93"),
    ("07", "84"),
    ("08", "44"),
    ("09", "76"),
    ("10", "44"),
    ("11", "76"),
    ("12", "76"),
    ("13", "93"),
    ("14", "28"),
    ("15", "84"),
    ("16", "75"),
    ("17", "75"),
    ("18", "24"),
    ("19", "75"),
    ("21", "27"),
    ("22", "53"),
    ("23", "75"),
    ("24", "75"),
    ("25", "27"),
    ("26", "84"),
    ("27", "28"),
    ("28", "24"),
    ("29", "53"),
    ("2A", "94"),
    ("2B", "94"),
    ("30", "76"),
    ("31", "76"),
    ("32", "76"),
    ("33", "75"),
    ("34", "76"),
    ("35", "53"),
    ("36", "24"),
    ("37", "24"),
    ("38", "84"),
    ("39", "27"),
    ("40", "75"),
    ("41", "24"),
    ("42", "84"),
    ("43", "84"),
    ("44", "52"),
    ("45", "24"),
    ("46", "76"),
    ("47", "75"),
    ("48", "76"),
    ("49", "52"),
    ("50", "28"),
    ("51", "44"),
    ("52", "44"),
    ("53", "52"),
    ("54", "44"),
    ("55", "44"),
    ("56", "53"),
    ("57", "44"),
    ("58", "27"),
    ("59", "32"),
    ("60", "32"),
    ("61", "28"),
    ("62", "32"),
    ("63", "84"),
    ("64", "75"),
    ("65", "76"),
    ("66", "76"),
    ("67", "44"),
    ("68", "44"),
    ("69", "84"),
    ("70", "27"),
    ("71", "27"),
    ("72", "52"),
    ("73", "84"),
    ("74", "84"),
    ("75", "11"),
    ("76", "28"),
    ("77", "11"),
    ("78", "11"),
    ("79", "75"),
    ("80", "32"),
    ("81", "76"),
    ("82", "76"),
    ("83", "93"),
    ("84", "93"),
    ("85", "52"),
    ("86", "75"),
    ("87", "75"),
    ("88", "44"),
    ("89", "27"),
    ("90", "27"),
    ("91", "11"),
    ("92", "11"),
    ("93", "11"),
    ("94", "11"),
    ("95", "11"),
    ("971", "01"),
    ("972", "02"),
    ("973", "03"),
    ("974", "04"),
    ("976", "06"),
];

/// A region of France (INSEE code, COG).
///
/// ```
/// use spaser::Departement;
/// use spaser::sourcing::Region;
/// let d: Departement = "49".parse()?;
/// let r = Region::of(&d).unwrap();
/// assert_eq!((r.code(), r.name()), ("52", "Pays de la Loire"));
/// assert_eq!(Region::of(&"2A".parse()?).unwrap().name(), "Corse");
/// assert!(Region::of(&"975".parse()?).is_none()); // Saint-Pierre-et-Miquelon: no region
/// assert!(r.departements().any(|d| d.as_str() == "85"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(u8);

impl Region {
    /// Every region, in INSEE code order.
    pub fn all() -> impl Iterator<Item = Region> {
        (0..REGIONS.len()).map(|i| Region(i as u8))
    }

    /// The region of a département (`None` for the overseas collectivities without one).
    pub fn of(departement: &Departement) -> Option<Region> {
        let code = DEPARTEMENT_REGION
            .iter()
            .find(|(d, _)| *d == departement.as_str())
            .map(|(_, r)| *r)?;
        REGIONS
            .iter()
            .position(|(c, _)| *c == code)
            .map(|i| Region(i as u8))
    }

    /// Parses an INSEE region code (`52`) or a region name (case and accents ignored).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the text is no region.
    pub fn parse(text: &str) -> Result<Region> {
        let key = crate::util::text::fold(text).replace(['-', '\''], " ");
        REGIONS
            .iter()
            .position(|(c, n)| {
                *c == text.trim() || crate::util::text::fold(n).replace(['-', '\''], " ") == key
            })
            .map(|i| Region(i as u8))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "region \"{}\" is not an INSEE region code or name",
                        excerpt(text)
                    ),
                )
            })
    }

    /// The INSEE code (`52`).
    pub fn code(&self) -> &'static str {
        REGIONS[usize::from(self.0)].0
    }

    /// The name (`Pays de la Loire`).
    pub fn name(&self) -> &'static str {
        REGIONS[usize::from(self.0)].1
    }

    /// The départements of the region, in code order.
    pub fn departements(&self) -> impl Iterator<Item = Departement> + '_ {
        let code = self.code();
        DEPARTEMENT_REGION
            .iter()
            .filter(move |(_, r)| *r == code)
            .filter_map(|(d, _)| Departement::parse(d).ok())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Region> {
        Region::parse(s)
    }
}

impl TryFrom<String> for Region {
    type Error = Error;
    fn try_from(s: String) -> Result<Region> {
        Region::parse(&s)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> String {
        r.code().to_string()
    }
}

/// The département of an INSEE commune code (`49007` → `49`, `2A004` → `2A`, `97411` →
/// `974`), when the code has the form of one (five characters; the département part valid).
pub(crate) fn departement_of_commune(code: &str) -> Option<Departement> {
    let c = code.trim();
    if c.len() != 5 || !c.is_ascii() {
        return None;
    }
    let rest_ok = c[2..].bytes().all(|b| b.is_ascii_digit());
    if !rest_ok {
        return None;
    }
    if c.starts_with("97") || c.starts_with("98") {
        return Departement::parse(&c[..3]).ok();
    }
    Departement::parse(&c[..2]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metropolitan_and_overseas_departement_has_its_region() {
        let mut n = 0;
        for (d, _) in DEPARTEMENT_REGION {
            let dep = Departement::parse(d).unwrap();
            assert!(Region::of(&dep).is_some(), "{d}");
            n += 1;
        }
        assert_eq!(n, 101);
        let total: usize = Region::all().map(|r| r.departements().count()).sum();
        assert_eq!(total, 101);
        for r in Region::all() {
            assert_eq!(Region::parse(r.code()).unwrap(), r);
            assert_eq!(Region::parse(r.name()).unwrap(), r);
        }
    }

    #[test]
    fn commune_codes_give_their_departement() {
        assert_eq!(departement_of_commune("49007").unwrap().as_str(), "49");
        assert_eq!(departement_of_commune("2B033").unwrap().as_str(), "2B");
        assert_eq!(departement_of_commune("97411").unwrap().as_str(), "974");
        assert!(departement_of_commune("4900").is_none());
        assert!(departement_of_commune("20001").is_none());
    }
}
