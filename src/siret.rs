//! SIRET establishment identifiers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The SIREN of La Poste, whose SIRETs do not pass the Luhn check (their digit sum is a
/// multiple of 5 instead).
const LA_POSTE_SIREN: &str = "356000000";

/// A SIRET: 14 digits (SIREN + establishment number) passing the Luhn check.
///
/// La Poste (SIREN 356000000) is the known exception: its SIRETs are accepted when the sum of
/// their digits is a multiple of 5. Spaces in the input are ignored.
///
/// ```
/// use spaser::Siret;
/// let s: Siret = "599 200 136 00241".parse()?;
/// assert_eq!(s.to_string(), "59920013600241");
/// assert_eq!(s.siren(), "599200136");
/// assert!("59920013600242".parse::<Siret>().is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret([u8; 14]);

impl Siret {
    /// Parses and checks a SIRET.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the text is not 14 digits or fails the Luhn check.
    pub fn parse(text: &str) -> Result<Siret> {
        let digits: Vec<u8> = text
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'\t'))
            .collect();
        if digits.len() != 14 || !digits.iter().all(u8::is_ascii_digit) {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("SIRET \"{text}\" is not 14 digits"),
            ));
        }
        let mut d = [0u8; 14];
        d.copy_from_slice(&digits);
        let s = Siret(d);
        if !s.checksum_ok() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("SIRET \"{text}\" fails the Luhn check"),
            ));
        }
        Ok(s)
    }

    fn checksum_ok(&self) -> bool {
        if self.siren() == LA_POSTE_SIREN {
            let sum: u32 = self.0.iter().map(|b| u32::from(b - b'0')).sum();
            return sum % 5 == 0 || luhn(&self.0);
        }
        luhn(&self.0)
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("00000000000000")
    }

    /// The SIREN: the first nine digits (the legal unit).
    pub fn siren(&self) -> &str {
        &self.as_str()[..9]
    }
}

/// The Luhn check over ASCII digits.
pub(crate) fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Siret {
    type Err = Error;
    fn from_str(s: &str) -> Result<Siret> {
        Siret::parse(s)
    }
}

impl TryFrom<String> for Siret {
    type Error = Error;
    fn try_from(s: String) -> Result<Siret> {
        Siret::parse(&s)
    }
}

impl From<Siret> for String {
    fn from(s: Siret) -> String {
        s.to_string()
    }
}
