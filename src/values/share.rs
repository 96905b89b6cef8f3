//! Exact shares between 0 and 1.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// An exact share in `0..=1` (a rate, a proportion, a target).
///
/// Shares are exact decimals: a ratio is computed with the full precision of [`Decimal`]
/// (28 significant digits) and rounded only for display ([`Share::round_dp`]). Serializes as a
/// JSON string (`"0.3"`).
///
/// ```
/// use spaser::Share;
/// let s: Share = "0.30".parse()?;
/// assert_eq!(s.to_string(), "0.3");
/// assert_eq!(Share::ratio(1.into(), 3.into()).unwrap().round_dp(4).to_string(), "0.3333");
/// assert!("1.2".parse::<Share>().is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Share(Decimal);

impl Share {
    /// Zero.
    pub const ZERO: Share = Share(Decimal::ZERO);
    /// One (the whole).
    pub const ONE: Share = Share(Decimal::ONE);

    /// Builds a share.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `value` is outside `0..=1`.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// assert!(spaser::Share::new(Decimal::new(5, 1)).is_ok());
    /// assert!(spaser::Share::new(Decimal::new(-1, 1)).is_err());
    /// ```
    pub fn new(value: Decimal) -> Result<Share> {
        if value < Decimal::ZERO || value > Decimal::ONE {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("share \"{value}\" is outside 0..=1"),
            ));
        }
        Ok(Share(value.normalize()))
    }

    /// `numerator / denominator`, or `None` when the denominator is zero.
    /// The result is clamped to `0..=1` only if the operands are (a numerator larger than the
    /// denominator gives `None`).
    pub fn ratio(numerator: Decimal, denominator: Decimal) -> Option<Share> {
        if denominator.is_zero() {
            return None;
        }
        let r = numerator.checked_div(denominator)?;
        Share::new(r).ok()
    }

    /// A share from a percentage (`30` → `0.3`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the percentage is outside `0..=100`.
    pub fn from_percent(percent: Decimal) -> Result<Share> {
        Share::new(percent / Decimal::ONE_HUNDRED).map_err(|_| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("percentage \"{percent}\" is outside 0..=100"),
            )
        })
    }

    /// The exact value.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// The value rounded half-to-even to `places` decimal places, for display.
    pub fn round_dp(&self, places: u32) -> Decimal {
        self.0
            .round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven)
            .normalize()
    }

    /// `1 - self`.
    pub fn complement(&self) -> Share {
        Share(Decimal::ONE - self.0)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl FromStr for Share {
    type Err = Error;
    /// Parses a decimal (`"0.3"`) or a percentage (`"30%"`, `"30 %"`).
    fn from_str(s: &str) -> Result<Share> {
        let t = s.trim();
        let (num, pct) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let d = Decimal::from_str_exact(&num.replace(',', ".")).map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                format!("share \"{s}\" is not a decimal number"),
            )
            .with_source(e)
        })?;
        if pct {
            Share::from_percent(d)
        } else {
            Share::new(d)
        }
    }
}

impl TryFrom<String> for Share {
    type Error = Error;
    fn try_from(s: String) -> Result<Share> {
        s.parse()
    }
}

impl TryFrom<Decimal> for Share {
    type Error = Error;
    fn try_from(d: Decimal) -> Result<Share> {
        Share::new(d)
    }
}

impl From<Share> for String {
    fn from(s: Share) -> String {
        s.to_string()
    }
}

impl From<Share> for Decimal {
    fn from(s: Share) -> Decimal {
        s.0
    }
}
