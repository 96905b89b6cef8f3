//! NAF activity codes (INSEE's *nomenclature d'activités française*, rév. 2) and the small
//! NAF → CPV correspondence used to match suppliers that give their activity code but no CPV.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;
use crate::values::confidence::Confidence;

/// A NAF rév. 2 code (the APE code of a SIRENE record): two digits, a point, two digits and
/// a letter (`81.21Z`). `8121Z`, `81 21 Z` and lower case read the same; the letter may be
/// left out (`81.21`, the class).
///
/// ```
/// use spaser::sourcing::NafCode;
/// let n: NafCode = "8121z".parse()?;
/// assert_eq!(n.to_string(), "81.21Z");
/// assert!("81.2".parse::<NafCode>().is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NafCode {
    digits: [u8; 4],
    letter: Option<u8>,
}

impl NafCode {
    /// Parses a code (see the type's documentation).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the text is not four digits with an optional letter.
    pub fn parse(text: &str) -> Result<NafCode> {
        let compact: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b'.' | b' ' | b'-' | b'\t'))
            .collect();
        let bad = || {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "NAF code \"{}\" is not a NAF rév. 2 code (81.21Z: four digits and a letter)",
                    excerpt(text)
                ),
            )
        };
        if compact.len() < 4 || compact.len() > 5 || !compact[..4].iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let letter = match compact.get(4) {
            None => None,
            Some(b) if b.is_ascii_alphabetic() => Some(b.to_ascii_uppercase()),
            Some(_) => return Err(bad()),
        };
        let mut digits = [0u8; 4];
        digits.copy_from_slice(&compact[..4]);
        Ok(NafCode { digits, letter })
    }

    /// The four digits (`8121`).
    pub fn digits(&self) -> &str {
        std::str::from_utf8(&self.digits).unwrap_or("0000")
    }
}

impl fmt::Display for NafCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}.{}", &d[..2], &d[2..])?;
        if let Some(l) = self.letter {
            write!(f, "{}", char::from(l))?;
        }
        Ok(())
    }
}

impl FromStr for NafCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<NafCode> {
        NafCode::parse(s)
    }
}

impl TryFrom<String> for NafCode {
    type Error = Error;
    fn try_from(s: String) -> Result<NafCode> {
        NafCode::parse(&s)
    }
}

impl From<NafCode> for String {
    fn from(n: NafCode) -> String {
        n.to_string()
    }
}

/// One row of the NAF → CPV correspondence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NafEntry {
    /// A NAF prefix: a division (`81`), group (`81.2`), class (`81.21`) or subclass (`81.21Z`).
    pub naf: String,
    /// The CPV prefixes (2 to 8 digits) of the purchases such suppliers can answer.
    pub cpv: Vec<String>,
    /// What the row says, in French (`Activités de nettoyage → services de nettoyage`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// The NAF → CPV correspondence: for a supplier's NAF code, the CPV prefixes of the purchases
/// it can answer. The longest NAF prefix that matches wins.
///
/// The embedded table (`src/data/naf_cpv.json`, [`NafTable::embedded`]) covers the common
/// sectors of public purchasing (cleaning, green spaces, catering, waste, building trades,
/// printing, IT, training, security…). It is the crate's reading of the two nomenclatures'
/// titles, not an official table: confidence `S`. Load your own with [`NafTable::from_json`].
///
/// ```
/// use spaser::sourcing::{NafCode, NafTable};
/// let table = NafTable::embedded();
/// let cleaning: NafCode = "81.21Z".parse()?;
/// assert_eq!(table.cpv_prefixes(&cleaning), ["909"]);
/// assert_eq!(table.confidence, spaser::Confidence::S);
/// assert!(table.cpv_prefixes(&"84.11Z".parse()?).is_empty()); // public administration: none
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NafTable {
    /// A free version label.
    #[serde(default)]
    pub version: String,
    /// How firm the correspondence is.
    pub confidence: Confidence,
    /// Where it comes from.
    #[serde(default)]
    pub source: String,
    /// Remarks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The rows.
    pub entries: Vec<NafEntry>,
}

static EMBEDDED: OnceLock<NafTable> = OnceLock::new();

impl NafTable {
    /// The embedded table, parsed once.
    pub fn embedded() -> &'static NafTable {
        EMBEDDED.get_or_init(|| {
            // The embedded JSON is part of the crate and is validated by the unit test
            // `embedded_table_is_valid`: this cannot fail at run time.
            NafTable::from_json(include_str!("../data/naf_cpv.json"))
                .expect("embedded NAF table is valid (checked by tests)")
        })
    }

    /// Reads and checks a table.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for JSON that does not match the format; [`ErrorKind::Inconsistent`]
    /// naming the row for a NAF prefix that is not a division, group, class or subclass, a
    /// CPV prefix that is not 2 to 8 digits, or a NAF prefix given twice.
    pub fn from_json(json: &str) -> Result<NafTable> {
        let t: NafTable = serde_json::from_str(json)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("NAF table: {e}")).with_source(e))?;
        let mut seen = std::collections::BTreeSet::new();
        for (i, e) in t.entries.iter().enumerate() {
            let key = naf_key(&e.naf).ok_or_else(|| {
                Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "NAF table, row {}: \"{}\" is not a NAF division, group, class or subclass",
                        i + 1,
                        excerpt(&e.naf)
                    ),
                )
            })?;
            if !seen.insert(key) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("NAF table, row {}: \"{}\" is given twice", i + 1, e.naf),
                ));
            }
            if e.cpv.is_empty() {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!("NAF table, row {} (\"{}\"): no CPV prefix", i + 1, e.naf),
                ));
            }
            for c in &e.cpv {
                if !is_cpv_prefix(c) {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "NAF table, row {} (\"{}\"): CPV prefix \"{}\" is not 2 to 8 digits",
                            i + 1,
                            e.naf,
                            excerpt(c)
                        ),
                    ));
                }
            }
        }
        Ok(t)
    }

    /// The table as pretty JSON.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("NAF table: {e}")).with_source(e))
    }

    /// The CPV prefixes for a NAF code (the row of the longest matching NAF prefix; empty when
    /// none matches).
    pub fn cpv_prefixes(&self, naf: &NafCode) -> &[String] {
        self.entry(naf).map_or(&[], |e| e.cpv.as_slice())
    }

    /// The row of the longest NAF prefix matching `naf`.
    pub fn entry(&self, naf: &NafCode) -> Option<&NafEntry> {
        let code = match naf.letter {
            Some(l) => format!("{}{}", naf.digits(), char::from(l)),
            None => naf.digits().to_string(),
        };
        self.entries
            .iter()
            .filter_map(|e| naf_key(&e.naf).map(|k| (k, e)))
            .filter(|(k, _)| code.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, e)| e)
    }
}

/// The compact key of a NAF prefix (`81.2` → `812`, `81.21Z` → `8121Z`), when valid.
fn naf_key(text: &str) -> Option<String> {
    let k: String = text
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let digits = k.bytes().take_while(u8::is_ascii_digit).count();
    let ok = match k.len() {
        2..=4 => digits == k.len(),
        5 => digits == 4 && k.as_bytes()[4].is_ascii_uppercase(),
        _ => false,
    };
    ok.then_some(k)
}

/// Whether `text` is a CPV prefix: 2 to 8 ASCII digits.
pub(crate) fn is_cpv_prefix(text: &str) -> bool {
    (2..=8).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_is_valid() {
        let t = NafTable::from_json(include_str!("../data/naf_cpv.json")).unwrap();
        assert!(t.entries.len() >= 50);
        assert_eq!(t.confidence, Confidence::S);
    }

    #[test]
    fn the_longest_naf_prefix_wins() {
        let t = NafTable::embedded();
        // 31.01Z office furniture (class row) beats 31.0 (group row)
        assert_eq!(t.cpv_prefixes(&NafCode::parse("31.01Z").unwrap()), ["3913"]);
        assert_eq!(t.cpv_prefixes(&NafCode::parse("31.09A").unwrap()), ["391"]);
        assert_eq!(t.cpv_prefixes(&NafCode::parse("43.22A").unwrap()), ["453"]);
    }

    #[test]
    fn bad_rows_are_named() {
        let e =
            NafTable::from_json(r#"{"confidence":"S","entries":[{"naf":"81.2","cpv":["9x9"]}]}"#)
                .unwrap_err();
        assert!(e.to_string().contains("row 1"), "{e}");
        let e = NafTable::from_json(r#"{"confidence":"S","entries":[{"naf":"8","cpv":["90"]}]}"#)
            .unwrap_err();
        assert!(e.to_string().contains("\"8\""), "{e}");
    }
}
