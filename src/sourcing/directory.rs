//! The supplier directory: companies (never people) with their activity, location, statuses
//! and labels, size and turnover.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::sourcing::naf::{NafCode, is_cpv_prefix};
use crate::sourcing::status::{Label, Status};
use crate::util::text::{excerpt, fold};
use crate::values::money::Amount;
use crate::values::place::Departement;
use crate::values::siret::Siret;

/// The size of a supplier as a band of employees: the INSEE *tranche d'effectif salarié*
/// codes of SIRENE (`00` no employee, `01` 1–2, `02` 3–5, `03` 6–9, `11` 10–19, `12` 20–49,
/// `21` 50–99, `22` 100–199, `31` 200–249, `32` 250–499, `41` 500–999, `42` 1 000–1 999,
/// `51` 2 000–4 999, `52` 5 000–9 999, `53` 10 000 and more).
///
/// Parses the code, or a range as people write it (`10-19`, `10 à 19`, `10 à 19 salariés`).
///
/// ```
/// use spaser::sourcing::StaffBand;
/// let b: StaffBand = "10 à 19 salariés".parse()?;
/// assert_eq!((b.code(), b.fewest(), b.most()), ("11", 10, Some(19)));
/// assert_eq!("53".parse::<StaffBand>()?.most(), None);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StaffBand(u8);

/// (code, min, max) of the INSEE bands.
const BANDS: [(&str, u32, Option<u32>); 15] = [
    ("00", 0, Some(0)),
    ("01", 1, Some(2)),
    ("02", 3, Some(5)),
    ("03", 6, Some(9)),
    ("11", 10, Some(19)),
    ("12", 20, Some(49)),
    ("21", 50, Some(99)),
    ("22", 100, Some(199)),
    ("31", 200, Some(249)),
    ("32", 250, Some(499)),
    ("41", 500, Some(999)),
    ("42", 1000, Some(1999)),
    ("51", 2000, Some(4999)),
    ("52", 5000, Some(9999)),
    ("53", 10000, None),
];

impl StaffBand {
    /// Parses a band (see the type's documentation).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the text is neither an INSEE band code nor one of
    /// its ranges.
    pub fn parse(text: &str) -> Result<StaffBand> {
        let t = fold(text);
        if let Some(i) = BANDS.iter().position(|(c, _, _)| *c == t) {
            return Ok(StaffBand(i as u8));
        }
        let nums: Vec<u32> = t
            .replace(['\u{202f}', ' '], "")
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        let found = match nums.as_slice() {
            [lo, hi] => BANDS
                .iter()
                .position(|(_, min, max)| min == lo && *max == Some(*hi)),
            [lo] if t.contains("plus") || t.contains('+') || t.contains("more") => BANDS
                .iter()
                .position(|(_, min, max)| min == lo && max.is_none()),
            [0] => Some(0),
            _ => None,
        };
        found.map(|i| StaffBand(i as u8)).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "staff band \"{}\" is not an INSEE band (code 00-53 or a range such as 10-19)",
                    excerpt(text)
                ),
            )
        })
    }

    /// The INSEE code.
    pub fn code(&self) -> &'static str {
        BANDS[usize::from(self.0)].0
    }

    /// The fewest employees of the band.
    pub fn fewest(&self) -> u32 {
        BANDS[usize::from(self.0)].1
    }

    /// The most employees of the band (`None` for 10 000 and more).
    pub fn most(&self) -> Option<u32> {
        BANDS[usize::from(self.0)].2
    }
}

impl fmt::Display for StaffBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for StaffBand {
    type Err = Error;
    fn from_str(s: &str) -> Result<StaffBand> {
        StaffBand::parse(s)
    }
}

impl TryFrom<String> for StaffBand {
    type Error = Error;
    fn try_from(s: String) -> Result<StaffBand> {
        StaffBand::parse(&s)
    }
}

impl From<StaffBand> for String {
    fn from(b: StaffBand) -> String {
        b.code().to_string()
    }
}

/// A supplier of the directory: a company or another legal entity, never a person. The
/// directory holds no contact person, e-mail or telephone (readers do not read such columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplier {
    /// SIRET of the establishment, when known and valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<Siret>,
    /// Name (raison sociale or trade name).
    pub name: String,
    /// CPV prefixes of what it supplies (2 to 8 digits: `909` for cleaning services).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// Main activity code (NAF rév. 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naf: Option<NafCode>,
    /// INSEE commune code of the establishment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Département of the establishment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<Departement>,
    /// Statuses and labels, with their source and date when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    /// Band of employees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_band: Option<StaffBand>,
    /// Annual turnover, euros HT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnover: Option<Amount>,
    /// Full-time equivalents in insertion or supported employment (SIAE, EA, ESAT), when
    /// known: what the structure can offer an insertion clause.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub insertion_fte: Option<Decimal>,
    /// Where the record comes from (platform, registry, the buyer's own survey).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When the record was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<NaiveDate>,
}

impl Supplier {
    /// A supplier with a name only.
    pub fn new(name: impl Into<String>) -> Supplier {
        Supplier {
            siret: None,
            name: name.into(),
            cpv_prefixes: Vec::new(),
            naf: None,
            commune: None,
            departement: None,
            labels: Vec::new(),
            staff_band: None,
            turnover: None,
            insertion_fte: None,
            source: None,
            updated: None,
        }
    }

    /// Whether the supplier holds `status`.
    pub fn has(&self, status: &Status) -> bool {
        self.labels.iter().any(|l| &l.status == status)
    }

    /// The supplier's statuses, each once, sorted.
    pub fn statuses(&self) -> Vec<&Status> {
        let mut v: Vec<&Status> = self.labels.iter().map(|l| &l.status).collect();
        v.sort();
        v.dedup();
        v
    }

    fn check(&self, at: &str) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!("{at}: the name is empty"),
            ));
        }
        for c in &self.cpv_prefixes {
            if !is_cpv_prefix(c) {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "{at} (\"{}\"): CPV prefix \"{}\" is not 2 to 8 digits",
                        excerpt(&self.name),
                        excerpt(c)
                    ),
                ));
            }
        }
        if let Some(f) = self.insertion_fte {
            if f.is_sign_negative() {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "{at} (\"{}\"): insertion_fte \"{f}\" is negative",
                        excerpt(&self.name)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// A directory of suppliers, in the order given.
///
/// Read one from the buyer's file with [`Directory::read_csv`] (every encoding and
/// delimiter French spreadsheets write, header aliases, every bad row reported) or from JSON;
/// [`Directory::sample`] is a fictitious directory written for the crate.
///
/// ```
/// use spaser::sourcing::{Directory, Status};
/// let dir = Directory::sample();
/// assert!(dir.suppliers().len() >= 60);
/// assert!(dir.suppliers().iter().any(|s| s.has(&Status::Esat)));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "Vec<Supplier>", into = "Vec<Supplier>")]
pub struct Directory {
    suppliers: Vec<Supplier>,
}

impl Directory {
    /// A directory, checking each supplier (non-empty name, CPV prefixes of 2 to 8 digits,
    /// no negative insertion FTE) and that no SIRET appears twice.
    ///
    /// # Errors
    /// [`ErrorKind::Missing`], [`ErrorKind::InvalidValue`] naming the supplier's position;
    /// [`ErrorKind::Duplicate`] naming the SIRET and both positions.
    pub fn new(suppliers: Vec<Supplier>) -> Result<Directory> {
        let mut seen: HashMap<Siret, usize> = HashMap::with_capacity(suppliers.len());
        for (i, s) in suppliers.iter().enumerate() {
            s.check(&format!("supplier {}", i + 1))?;
            if let Some(siret) = s.siret {
                if let Some(first) = seen.insert(siret, i) {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!(
                            "supplier {}: SIRET {siret} is already supplier {}",
                            i + 1,
                            first + 1
                        ),
                    ));
                }
            }
        }
        Ok(Directory { suppliers })
    }

    /// The suppliers, in the order given.
    pub fn suppliers(&self) -> &[Supplier] {
        &self.suppliers
    }

    /// How many suppliers.
    pub fn len(&self) -> usize {
        self.suppliers.len()
    }

    /// Whether the directory is empty.
    pub fn is_empty(&self) -> bool {
        self.suppliers.is_empty()
    }

    /// The supplier with SIRET `siret`.
    pub fn get(&self, siret: &Siret) -> Option<&Supplier> {
        self.suppliers
            .iter()
            .find(|s| s.siret.as_ref() == Some(siret))
    }

    /// Reads the JSON form (an array of suppliers, the format of [`Directory::to_json`]).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or a field of the wrong form; errors of
    /// [`Directory::new`].
    pub fn from_json(json: &str) -> Result<Directory> {
        serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("directory JSON: {e}")).with_source(e)
        })
    }

    /// The directory as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("directory JSON: {e}")).with_source(e)
        })
    }
}

impl TryFrom<Vec<Supplier>> for Directory {
    type Error = Error;
    fn try_from(v: Vec<Supplier>) -> Result<Directory> {
        Directory::new(v)
    }
}

impl From<Directory> for Vec<Supplier> {
    fn from(d: Directory) -> Vec<Supplier> {
        d.suppliers
    }
}
