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
        match Siret::digits(text) {
            None => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("SIRET \"{text}\" is not 14 digits"),
            )),
            Some(s) if !s.checksum_ok() => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("SIRET \"{text}\" fails the Luhn check"),
            )),
            Some(s) => Ok(s),
        }
    }

    /// The SIRET when `text` is one exactly as written (14 digits, no blank, checksum
    /// valid): [`Siret::parse`] without building an error (for readers of large files).
    pub(crate) fn exact(text: &str) -> Option<Siret> {
        let s = Siret(text.as_bytes().try_into().ok()?);
        (s.0.iter().all(u8::is_ascii_digit) && s.checksum_ok()).then_some(s)
    }

    /// The 14 digits of `text`, blanks and tabs aside (no allocation).
    fn digits(text: &str) -> Option<Siret> {
        let mut d = [0u8; 14];
        let mut n = 0;
        for b in text.bytes() {
            if matches!(b, b' ' | b'\t') {
                continue;
            }
            if n == 14 || !b.is_ascii_digit() {
                return None;
            }
            d[n] = b;
            n += 1;
        }
        (n == 14).then_some(Siret(d))
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

#[cfg(test)]
mod tests {
    use super::Siret;
    use proptest::prelude::*;

    proptest! {
        /// `exact` is `parse` restricted to text that is the 14 digits as written.
        #[test]
        fn exact_agrees_with_parse(t in "[0-9 ]{0,16}|[0-9]{14}|.{0,16}") {
            let expected = Siret::parse(&t).ok().filter(|s| s.as_str() == t);
            prop_assert_eq!(Siret::exact(&t), expected);
        }
    }

    #[test]
    fn exact_on_known_values() {
        assert!(Siret::exact("21350238800019").is_some());
        assert!(Siret::exact("21350238800018").is_none());
        assert!(Siret::exact("213 502 388 00019").is_none());
        assert!(Siret::parse("213 502 388 00019").is_ok());
        assert!(Siret::exact("2135023880001é").is_none());
    }
}
