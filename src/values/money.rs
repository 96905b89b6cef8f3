//! Exact amounts of money in euros, excluding VAT (HT).

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// An amount of money in euros, excluding VAT (HT), exact to the cent and never negative.
///
/// Built from a [`Decimal`] with at most two decimal places (trailing zeros beyond are accepted):
/// an amount is never silently rounded. Use [`Amount::rounded`] to round explicitly.
/// Serializes as a JSON string (`"123456.78"`).
///
/// ```
/// use spaser::Amount;
/// let a: Amount = "1500.5".parse()?;
/// let b = Amount::parse_localized("1 234,56 €")?;
/// assert_eq!(a.checked_add(b)?.to_string(), "2735.06");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Amount(Decimal);

/// The largest amount the crate accepts: one hundred trillion euros. Anything above is a data error.
const MAX: Decimal = Decimal::from_parts(0x107A_4000, 0x5AF3, 0, false, 0); // 100_000_000_000_000

impl Amount {
    /// Zero euros.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Builds an amount from an exact decimal.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `value` is negative, has more than two significant
    /// decimal places, or exceeds one hundred trillion euros.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use spaser::Amount;
    /// let a = Amount::new(Decimal::new(12345, 2))?;
    /// assert_eq!(a.to_string(), "123.45");
    /// assert!(Amount::new(Decimal::new(1, 3)).is_err());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn new(value: Decimal) -> Result<Amount> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("amount \"{value}\" is negative"),
            ));
        }
        let norm = value.normalize();
        if norm.scale() > 2 {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("amount \"{value}\" has more than 2 decimal places"),
            ));
        }
        if norm > MAX {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("amount \"{value}\" exceeds 100000000000000 euros"),
            ));
        }
        let mut v = norm;
        v.rescale(2);
        Ok(Amount(v))
    }

    /// Builds an amount from a decimal, rounding to the cent with `strategy`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `value` is negative or too large.
    ///
    /// ```
    /// use rust_decimal::{Decimal, RoundingStrategy};
    /// use spaser::Amount;
    /// let a = Amount::rounded(Decimal::new(10005, 3), RoundingStrategy::MidpointNearestEven)?;
    /// assert_eq!(a.to_string(), "10.00");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn rounded(value: Decimal, strategy: RoundingStrategy) -> Result<Amount> {
        Amount::new(value.round_dp_with_strategy(2, strategy))
    }

    /// Whole euros, for tests and generated data.
    ///
    /// ```
    /// assert_eq!(spaser::Amount::from_euros(60_000).to_string(), "60000.00");
    /// ```
    pub fn from_euros(euros: u32) -> Amount {
        let mut v = Decimal::from(euros);
        v.rescale(2);
        Amount(v)
    }

    /// Builds an amount from cents (always valid up to the crate's bound; saturates above it).
    ///
    /// ```
    /// assert_eq!(spaser::Amount::from_cents(12_345).to_string(), "123.45");
    /// ```
    pub fn from_cents(cents: u64) -> Amount {
        let mut v = Decimal::new(i64::try_from(cents).unwrap_or(i64::MAX), 2).min(MAX);
        v.rescale(2);
        Amount(v)
    }

    /// The exact value.
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// Sum of two amounts.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the sum exceeds the crate's bound.
    pub fn checked_add(self, other: Amount) -> Result<Amount> {
        let sum = self
            .0
            .checked_add(other.0)
            .ok_or_else(|| overflow(self, other))?;
        if sum > MAX {
            return Err(overflow(self, other));
        }
        Ok(Amount(sum))
    }

    /// Difference, if `other` is not larger than `self`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the result would be negative.
    pub fn checked_sub(self, other: Amount) -> Result<Amount> {
        if other.0 > self.0 {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("amount \"{self}\" minus \"{other}\" is negative"),
            ));
        }
        Ok(Amount(self.0 - other.0))
    }

    /// Sums amounts.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the total exceeds the crate's bound.
    ///
    /// ```
    /// use spaser::Amount;
    /// let total = Amount::sum([Amount::from_euros(1), Amount::from_cents(50)])?;
    /// assert_eq!(total.to_string(), "1.50");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn sum(amounts: impl IntoIterator<Item = Amount>) -> Result<Amount> {
        amounts
            .into_iter()
            .try_fold(Amount::ZERO, |acc, a| acc.checked_add(a))
    }

    /// Parses the amounts found in French spreadsheets and exports: decimal comma or point,
    /// spaces, non-breaking or narrow non-breaking spaces (or `.`/`,`/`'` in groups of three)
    /// as thousands separators, a leading or trailing `€` or `EUR`, surrounding blanks.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the text is not a number; [`ErrorKind::InvalidValue`] as in
    /// [`Amount::new`].
    ///
    /// ```
    /// use spaser::Amount;
    /// assert_eq!(Amount::parse_localized("1\u{a0}234 567,8 €")?.to_string(), "1234567.80");
    /// assert_eq!(Amount::parse_localized("1,234,567.80")?.to_string(), "1234567.80");
    /// assert_eq!(Amount::parse_localized("1.234.567,80")?.to_string(), "1234567.80");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn parse_localized(text: &str) -> Result<Amount> {
        let d = parse_localized_decimal(text)?;
        Amount::new(d)
    }
}

fn overflow(a: Amount, b: Amount) -> Error {
    Error::new(
        ErrorKind::Overflow,
        format!("sum of amounts \"{a}\" and \"{b}\" exceeds 100000000000000 euros"),
    )
}

/// Parses a decimal written the French or English way (see [`Amount::parse_localized`]).
pub(crate) fn parse_localized_decimal(text: &str) -> Result<Decimal> {
    let bad = || {
        Error::new(
            ErrorKind::Parse,
            format!("amount \"{text}\" is not a decimal number"),
        )
    };
    // Strip currency and tax markers on either side, in any order ("€ 12", "12 € HT", "12 EUR").
    let mut s: &str = text.trim();
    loop {
        let before = s;
        for mark in ["€", "EUR", "eur", "Eur", "HT", "ht", "H.T.", "h.t."] {
            s = s.strip_suffix(mark).unwrap_or(s).trim_end();
            s = s.strip_prefix(mark).unwrap_or(s).trim_start();
        }
        if s == before {
            break;
        }
    }
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
        .collect();
    if s.is_empty() {
        return Err(bad());
    }
    let body = s.strip_prefix('-').unwrap_or(&s);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(bad());
    }
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    // Decide which mark is the decimal separator.
    let normalized = match (commas, points) {
        (0, 0) => body.to_string(),
        (1, 0) => body.replace(',', "."),
        (0, 1) => body.to_string(),
        (c, 0) if c > 1 => grouped(body, ',').ok_or_else(bad)?,
        (0, p) if p > 1 => grouped(body, '.').ok_or_else(bad)?,
        _ => {
            // Both present: the last one is the decimal mark, the other groups thousands.
            let last_comma = body.rfind(',').unwrap_or(0);
            let last_point = body.rfind('.').unwrap_or(0);
            let (dec, group) = if last_comma > last_point {
                (',', '.')
            } else {
                ('.', ',')
            };
            let (int_part, frac) = body.rsplit_once(dec).ok_or_else(bad)?;
            if int_part.contains(dec) {
                return Err(bad());
            }
            let int = grouped(int_part, group).ok_or_else(bad)?;
            format!("{int}.{frac}")
        }
    };
    let value = Decimal::from_str_exact(&normalized).map_err(|e| bad().with_source(e))?;
    Ok(if s.starts_with('-') { -value } else { value })
}

/// Removes `sep` used as a thousands separator (groups of exactly three digits).
fn grouped(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for p in parts {
        if p.len() != 3 {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Amount {
    type Err = Error;

    /// Parses the canonical form (`"1234.5"`, a point as decimal mark, no grouping).
    fn from_str(s: &str) -> Result<Amount> {
        let d = Decimal::from_str_exact(s.trim()).map_err(|e| {
            Error::new(
                ErrorKind::Parse,
                format!("amount \"{s}\" is not a decimal number"),
            )
            .with_source(e)
        })?;
        Amount::new(d)
    }
}

impl TryFrom<String> for Amount {
    type Error = Error;
    fn try_from(s: String) -> Result<Amount> {
        s.parse()
    }
}

impl TryFrom<Decimal> for Amount {
    type Error = Error;
    fn try_from(d: Decimal) -> Result<Amount> {
        Amount::new(d)
    }
}

impl From<Amount> for String {
    fn from(a: Amount) -> String {
        a.to_string()
    }
}

impl From<Amount> for Decimal {
    fn from(a: Amount) -> Decimal {
        a.0
    }
}

/// Euros for people: thousands separated by commas, cents, a leading `€`: `€1,234,567.80`
/// (rounded half-to-even to the cent; reports and messages).
pub(crate) fn euros_display(d: Decimal) -> String {
    let d = d.round_dp(2);
    let neg = d.is_sign_negative() && !d.is_zero();
    let text = format!("{:.2}", d.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}€{grouped}.{frac}", if neg { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_constant_is_one_hundred_trillion() {
        assert_eq!(MAX, Decimal::from(100_000_000_000_000u64));
    }

    #[test]
    fn localized_forms() {
        for (text, want) in [
            ("1234", "1234.00"),
            ("1234,5", "1234.50"),
            ("1 234,56", "1234.56"),
            ("1\u{202f}234,56 €", "1234.56"),
            ("€ 12", "12.00"),
            ("12 EUR", "12.00"),
            ("12 € HT", "12.00"),
            ("1 500,00 EUR HT", "1500.00"),
            ("1.234", "1.23"),
        ] {
            if text == "1.234" {
                assert!(Amount::parse_localized(text).is_err(), "{text}");
                continue;
            }
            assert_eq!(
                Amount::parse_localized(text).unwrap().to_string(),
                want,
                "{text}"
            );
        }
        for bad in ["", "abc", "12,5,0", "1,2.3,4", "--1", "1 2 3,4x"] {
            assert!(Amount::parse_localized(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Amount::parse_localized("-5").unwrap_err().kind(),
            ErrorKind::InvalidValue
        );
    }
}
