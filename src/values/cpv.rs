//! Common Procurement Vocabulary (CPV 2008) codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::nature::Nature;

/// A CPV 2008 code: eight digits (an optional `-D` check digit is accepted and dropped).
///
/// The hierarchy reads from the left: division (2 digits), group (3), class (4), category (5).
///
/// ```
/// use spaser::{CpvCode, Nature};
/// let cpv: CpvCode = "45210000-2".parse()?;
/// assert_eq!(cpv.to_string(), "45210000");
/// assert_eq!(cpv.division(), 45);
/// assert_eq!(cpv.nature(), Some(Nature::Works));
/// assert!(cpv.starts_with("452"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CpvCode([u8; 8]);

impl CpvCode {
    /// Parses `DDDDDDDD` or `DDDDDDDD-D`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the text is not eight digits, optionally followed by `-`
    /// and one check digit.
    pub fn parse(text: &str) -> Result<CpvCode> {
        let t = text.trim();
        let bad = || {
            Error::new(
                ErrorKind::InvalidValue,
                format!("CPV code \"{text}\" is not 8 digits with an optional \"-D\" check digit"),
            )
        };
        let main = match t.split_once('-') {
            Some((m, check)) => {
                if check.len() != 1 || !check.as_bytes()[0].is_ascii_digit() {
                    return Err(bad());
                }
                m
            }
            None => t,
        };
        let bytes = main.as_bytes();
        if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let mut digits = [0u8; 8];
        digits.copy_from_slice(bytes);
        Ok(CpvCode(digits))
    }

    /// The eight digits as text.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or("00000000")
    }

    fn prefix_num(&self, n: usize) -> u32 {
        self.0[..n]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    }

    /// Division: the first two digits (`45` for works).
    pub fn division(&self) -> u8 {
        self.prefix_num(2) as u8
    }

    /// Group: the first three digits.
    pub fn group(&self) -> u16 {
        self.prefix_num(3) as u16
    }

    /// Class: the first four digits.
    pub fn class(&self) -> u16 {
        self.prefix_num(4) as u16
    }

    /// Category: the first five digits.
    pub fn category(&self) -> u32 {
        self.prefix_num(5)
    }

    /// The code without its trailing zeros (`"452"` for `45200000`), at least the division.
    pub fn significant_prefix(&self) -> &str {
        let s = self.as_str();
        let trimmed = s.trim_end_matches('0');
        if trimmed.len() < 2 { &s[..2] } else { trimmed }
    }

    /// Whether the code starts with `prefix` (digits only; `"45"` matches every works code).
    pub fn starts_with(&self, prefix: &str) -> bool {
        // the digits are the text (ASCII by construction): compare bytes, without validating
        // them as UTF-8, inline (prefixes are short: a `memcmp` call would cost more)
        let p = prefix.as_bytes();
        p.len() <= self.0.len() && p.iter().zip(&self.0).all(|(a, b)| a == b)
    }

    /// Whether `self` lies within `other` in the hierarchy (`45210000` is within `45000000`).
    pub fn is_within(&self, other: &CpvCode) -> bool {
        self.starts_with(other.significant_prefix())
    }

    /// The nature implied by the division: 45 works; 03–44 and 48 supplies; 50–98 services.
    /// `None` for a division outside these ranges.
    pub fn nature(&self) -> Option<Nature> {
        match self.division() {
            45 => Some(Nature::Works),
            3..=44 | 48 => Some(Nature::Supplies),
            50..=98 => Some(Nature::Services),
            _ => None,
        }
    }
}

impl fmt::Display for CpvCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CpvCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<CpvCode> {
        CpvCode::parse(s)
    }
}

impl TryFrom<String> for CpvCode {
    type Error = Error;
    fn try_from(s: String) -> Result<CpvCode> {
        CpvCode::parse(&s)
    }
}

impl From<CpvCode> for String {
    fn from(c: CpvCode) -> String {
        c.to_string()
    }
}
