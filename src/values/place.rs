//! Places: the French département where a purchase is performed or a supplier is located.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// A French département code (INSEE): `01`…`19`, `2A`, `2B`, `21`…`95`, and the overseas
/// codes `971`…`978`, `986`…`988`. Spreadsheets drop leading zeros: `1` reads as `01`.
///
/// Used to *find* capacity (suppliers near where a purchase is performed) and to publish the
/// forward plan; never to favour local suppliers, which French public procurement forbids.
///
/// ```
/// use spaser::Departement;
/// assert_eq!("1".parse::<Departement>()?.as_str(), "01");
/// assert_eq!("2a".parse::<Departement>()?.as_str(), "2A");
/// assert!("20".parse::<Departement>().is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Departement(String);

impl Departement {
    /// Parses a code (see the type's documentation).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the code is not a département.
    pub fn parse(text: &str) -> Result<Departement> {
        let t = text.trim().to_ascii_uppercase();
        let valid = match t.as_str() {
            "2A" | "2B" => Some(t.clone()),
            _ if !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = t.parse().unwrap_or(0);
                match n {
                    1..=19 | 21..=95 => Some(format!("{n:02}")),
                    971..=978 | 986..=988 => Some(n.to_string()),
                    _ => None,
                }
            }
            _ => None,
        };
        valid.map(Departement).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "département \"{}\" is not a département code (01-95, 2A, 2B, 971-978, 986-988)",
                    excerpt(text)
                ),
            )
        })
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Departement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Departement {
    type Err = Error;
    fn from_str(s: &str) -> Result<Departement> {
        Departement::parse(s)
    }
}

impl TryFrom<String> for Departement {
    type Error = Error;
    fn try_from(s: String) -> Result<Departement> {
        Departement::parse(&s)
    }
}

impl From<Departement> for String {
    fn from(d: Departement) -> String {
        d.0
    }
}
