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
        /// [`MAX`] in cents: below, the decimal of scale 2 is the amount as it is.
        const MAX_CENTS: u64 = 10_000_000_000_000_000;
        if cents <= MAX_CENTS {
            return Amount(Decimal::new(cents as i64, 2));
        }
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
    /// A text that reads two ways — one `.` or one `,` followed by exactly three digits, such
    /// as `250.000` (250,000 € with a decimal comma, 250 € with a decimal point) — is an error
    /// here: a cell alone cannot decide. Decide the convention once for the file or column
    /// ([`ConventionVotes`]) and parse with [`Amount::parse_with`].
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the text is not a number or is ambiguous;
    /// [`ErrorKind::InvalidValue`] as in [`Amount::new`].
    ///
    /// ```
    /// use spaser::Amount;
    /// assert_eq!(Amount::parse_localized("1\u{a0}234 567,8 €")?.to_string(), "1234567.80");
    /// assert_eq!(Amount::parse_localized("1,234,567.80")?.to_string(), "1234567.80");
    /// assert_eq!(Amount::parse_localized("1.234.567,80")?.to_string(), "1234567.80");
    /// assert!(Amount::parse_localized("250.000").is_err()); // 250,000 € or 250 €?
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn parse_localized(text: &str) -> Result<Amount> {
        Amount::parse_with(text, None)
    }

    /// [`Amount::parse_localized`] with the number convention of the file or column, which
    /// decides the texts that read two ways (`250.000`, `1,500`). Unambiguous texts are read as
    /// they are written, whatever the convention.
    ///
    /// # Errors
    /// As [`Amount::parse_localized`]; an ambiguous text with `convention` `None` is an
    /// [`ErrorKind::Parse`] error that says both readings.
    ///
    /// ```
    /// use spaser::{Amount, NumberConvention};
    /// let comma = Some(NumberConvention::DecimalComma);
    /// assert_eq!(Amount::parse_with("250.000", comma)?.to_string(), "250000.00");
    /// let point = Some(NumberConvention::DecimalPoint);
    /// assert_eq!(Amount::parse_with("250.000", point)?.to_string(), "250.00");
    /// assert_eq!(Amount::parse_with("12,5", point)?.to_string(), "12.50"); // unambiguous
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn parse_with(text: &str, convention: Option<NumberConvention>) -> Result<Amount> {
        let d = parse_decimal_with(text, convention)?;
        Amount::new(d)
    }
}

/// How a file writes its numbers: which mark separates the decimals.
///
/// French exports write `1 234,56` or `1.234,56` ([`NumberConvention::DecimalComma`]); English
/// ones `1,234.56` ([`NumberConvention::DecimalPoint`]). Most cells show which one they use;
/// a few read both ways (`250.000`, `1,500`) and take the convention of their file, decided
/// from its unambiguous cells ([`ConventionVotes`]), never cell by cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberConvention {
    /// `,` is the decimal mark; `.`, spaces or `'` group thousands (French).
    DecimalComma,
    /// `.` is the decimal mark; `,`, spaces or `'` group thousands (English).
    DecimalPoint,
}

/// What one text says about the number convention of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberReading {
    /// No decimal or grouping mark (`1200`), or not a number: says nothing.
    Plain,
    /// Written in a way only this convention reads (`12,5`, `1.234,56`, `1.500.000`).
    Proves(NumberConvention),
    /// Reads two ways (`250.000`, `1,500`): takes the convention of its file.
    Ambiguous,
}

impl NumberConvention {
    /// What `text` says about the convention (see [`NumberReading`]).
    ///
    /// ```
    /// use spaser::{NumberConvention, NumberReading};
    /// assert_eq!(NumberConvention::read("12,5 €"), NumberReading::Proves(NumberConvention::DecimalComma));
    /// assert_eq!(NumberConvention::read("1.500.000"), NumberReading::Proves(NumberConvention::DecimalComma));
    /// assert_eq!(NumberConvention::read("250.00"), NumberReading::Proves(NumberConvention::DecimalPoint));
    /// assert_eq!(NumberConvention::read("250.000"), NumberReading::Ambiguous);
    /// assert_eq!(NumberConvention::read("1 250.000"), NumberReading::Proves(NumberConvention::DecimalPoint));
    /// assert_eq!(NumberConvention::read("1200"), NumberReading::Plain);
    /// ```
    pub fn read(text: &str) -> NumberReading {
        let Some(n) = Normalized::of(text) else {
            return NumberReading::Plain;
        };
        n.reading()
    }
}

/// The votes of a file's (or column's) unambiguous cells for its number convention.
///
/// ```
/// use spaser::{Amount, ConventionVotes, NumberConvention};
/// let cells = ["35 000,00", "250.000", "1.200"];
/// let mut votes = ConventionVotes::default();
/// for c in cells {
///     votes.add(c);
/// }
/// let convention = votes.decide(None);
/// assert_eq!(convention, Some(NumberConvention::DecimalComma));
/// assert_eq!(Amount::parse_with("250.000", convention)?.to_string(), "250000.00");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConventionVotes {
    comma: u64,
    point: u64,
    ambiguous: u64,
}

impl ConventionVotes {
    /// Counts what `text` says.
    pub fn add(&mut self, text: &str) {
        match NumberConvention::read(text) {
            NumberReading::Plain => {}
            NumberReading::Proves(NumberConvention::DecimalComma) => self.comma += 1,
            NumberReading::Proves(NumberConvention::DecimalPoint) => self.point += 1,
            NumberReading::Ambiguous => self.ambiguous += 1,
        }
    }

    /// Cells that proved a decimal comma.
    pub fn comma(&self) -> u64 {
        self.comma
    }

    /// Cells that proved a decimal point.
    pub fn point(&self) -> u64 {
        self.point
    }

    /// Cells that read both ways.
    pub fn ambiguous(&self) -> u64 {
        self.ambiguous
    }

    /// The convention of the file: the one its unambiguous cells prove when they agree, else
    /// the `declared` one (the locale the caller states) when no cell contradicts it; `None`
    /// when the cells disagree with each other, or when nothing decides (then ambiguous cells
    /// stay errors).
    pub fn decide(&self, declared: Option<NumberConvention>) -> Option<NumberConvention> {
        match (self.comma > 0, self.point > 0) {
            (true, false) => Some(NumberConvention::DecimalComma),
            (false, true) => Some(NumberConvention::DecimalPoint),
            (false, false) => declared,
            (true, true) => None,
        }
    }
}

/// A number's text with currency marks stripped: sign, body (digits and marks) and whether
/// blanks grouped its digits.
struct Normalized {
    negative: bool,
    body: String,
    spaced: bool,
}

impl Normalized {
    fn of(text: &str) -> Option<Normalized> {
        // Strip currency and tax markers on either side, in any order ("€ 12", "12 € HT").
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
        let spaced = s
            .trim()
            .contains([' ', '\u{a0}', '\u{202f}', '\u{2009}', '\'']);
        let s: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\''))
            .collect();
        let (negative, body) = match s.strip_prefix('-') {
            Some(b) => (true, b.to_string()),
            None => (false, s),
        };
        if body.is_empty()
            || !body
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return None;
        }
        Some(Normalized {
            negative,
            body,
            spaced,
        })
    }

    fn reading(&self) -> NumberReading {
        let body = self.body.as_str();
        let commas = body.matches(',').count();
        let points = body.matches('.').count();
        let one_mark = |mark: char| {
            let (int, frac) = body.split_once(mark).unwrap_or((body, ""));
            // Grouping is possible only with 1 to 3 leading digits (not a lone 0) and exactly
            // three after the mark, and no blank grouping elsewhere.
            let could_group = !self.spaced
                && (1..=3).contains(&int.len())
                && !int.starts_with('0')
                && frac.len() == 3;
            if could_group {
                NumberReading::Ambiguous
            } else if mark == ',' {
                NumberReading::Proves(NumberConvention::DecimalComma)
            } else {
                NumberReading::Proves(NumberConvention::DecimalPoint)
            }
        };
        match (commas, points) {
            (0, 0) => NumberReading::Plain,
            (1, 0) => one_mark(','),
            (0, 1) => one_mark('.'),
            (_, 0) => NumberReading::Proves(NumberConvention::DecimalPoint), // 1,234,567
            (0, _) => NumberReading::Proves(NumberConvention::DecimalComma), // 1.234.567
            _ => {
                if body.rfind(',') > body.rfind('.') {
                    NumberReading::Proves(NumberConvention::DecimalComma)
                } else {
                    NumberReading::Proves(NumberConvention::DecimalPoint)
                }
            }
        }
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
    parse_decimal_with(text, None)
}

/// Parses a decimal with the file's convention for the texts that read two ways (see
/// [`Amount::parse_with`]).
pub(crate) fn parse_decimal_with(
    text: &str,
    convention: Option<NumberConvention>,
) -> Result<Decimal> {
    let shown = crate::util::text::excerpt(text);
    let bad = || {
        Error::new(
            ErrorKind::Parse,
            format!("amount \"{shown}\" is not a decimal number"),
        )
    };
    let n = Normalized::of(text).ok_or_else(bad)?;
    let body = n.body.as_str();
    let decimal_mark = match n.reading() {
        NumberReading::Plain => None,
        NumberReading::Proves(NumberConvention::DecimalComma) => Some(','),
        NumberReading::Proves(NumberConvention::DecimalPoint) => Some('.'),
        NumberReading::Ambiguous => match convention {
            Some(NumberConvention::DecimalComma) => Some(','),
            Some(NumberConvention::DecimalPoint) => Some('.'),
            None => {
                let mark = if body.contains('.') { '.' } else { ',' };
                let grouped_reading = body.replace(mark, "");
                let decimal_reading = body.replace(mark, ".");
                return Err(Error::new(
                    ErrorKind::Parse,
                    format!(
                        "amount \"{shown}\" is ambiguous: {grouped_reading} if \"{mark}\" groups thousands, \
                         {decimal_reading} if it marks decimals, and nothing in the file decides \
                         (write {grouped_reading} or {decimal_reading} without the mark, or state the \
                         number convention)"
                    ),
                ));
            }
        },
    };
    let normalized = match decimal_mark {
        None => body.to_string(),
        Some(dec) => {
            let group = if dec == ',' { '.' } else { ',' };
            let (int_part, frac) = match body.rsplit_once(dec) {
                Some((i, f)) if !i.contains(dec) && !f.contains(group) => (i, f),
                // Only the grouping mark: every mark groups thousands.
                _ if !body.contains(dec) => (body, ""),
                _ => return Err(bad()),
            };
            let int = if int_part.contains(group) {
                grouped(int_part, group).ok_or_else(bad)?
            } else {
                int_part.to_string()
            };
            if int.is_empty() && frac.is_empty() {
                return Err(bad());
            }
            if frac.is_empty() {
                int
            } else {
                format!("{}.{frac}", if int.is_empty() { "0" } else { &int })
            }
        }
    };
    let value = Decimal::from_str_exact(&normalized).map_err(|e| bad().with_source(e))?;
    Ok(if n.negative { -value } else { value })
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
    fn cents_up_to_the_bound_and_beyond() {
        for (cents, want) in [
            (0, "0.00"),
            (1, "0.01"),
            (12_345, "123.45"),
            (10_000_000_000_000_000, "100000000000000.00"),
            // beyond the bound: the bound
            (10_000_000_000_000_001, "100000000000000.00"),
            (u64::MAX, "100000000000000.00"),
        ] {
            let a = Amount::from_cents(cents);
            assert_eq!(a.as_decimal().to_string(), want, "{cents}");
            assert_eq!(a.as_decimal().scale(), 2, "{cents}");
        }
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
