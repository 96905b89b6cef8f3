//! Date periods.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// An inclusive period of days, possibly open-ended (`start <= end`).
///
/// Text form: ISO 8601 intervals, `2026-01-01/2027-12-31`, or `2026-04-01/..` when open-ended.
/// Serializes as that string.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::Period;
/// let p: Period = "2026-04-01/..".parse()?;
/// assert!(p.contains(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()));
/// assert!(!p.contains(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()));
/// assert!("2026-02-01/2026-01-01".parse::<Period>().is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Period {
    /// A closed period.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period> {
        if end < start {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("period end {end} is before its start {start}"),
            ));
        }
        Ok(Period {
            start,
            end: Some(end),
        })
    }

    /// A period with no end.
    pub fn from(start: NaiveDate) -> Period {
        Period { start, end: None }
    }

    /// The calendar year `year` (1 January to 31 December).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the year is outside chrono's range.
    pub fn year(year: i32) -> Result<Period> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidValue,
                format!("year {year} is out of range"),
            )
        };
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad)?;
        Period::new(start, end)
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day, `None` when open-ended.
    pub fn end(&self) -> Option<NaiveDate> {
        self.end
    }

    /// Whether `date` falls within the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.start && self.end.is_none_or(|e| date <= e)
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        let a_before_b = self.end.is_some_and(|e| e < other.start);
        let b_before_a = other.end.is_some_and(|e| e < self.start);
        !(a_before_b || b_before_a)
    }

    /// Whether the period contains a day of calendar year `year`.
    pub fn touches_year(&self, year: i32) -> bool {
        self.start.year() <= year && self.end.is_none_or(|e| e.year() >= year)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            Some(e) => write!(f, "{}/{}", self.start, e),
            None => write!(f, "{}/..", self.start),
        }
    }
}

impl FromStr for Period {
    type Err = Error;
    fn from_str(s: &str) -> Result<Period> {
        let bad = || {
            Error::new(
                ErrorKind::Parse,
                format!("period \"{s}\" is not of the form YYYY-MM-DD/YYYY-MM-DD or YYYY-MM-DD/.."),
            )
        };
        let (a, b) = s.trim().split_once('/').ok_or_else(bad)?;
        let start =
            NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").map_err(|e| bad().with_source(e))?;
        let b = b.trim();
        if b == ".." {
            return Ok(Period::from(start));
        }
        let end = NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(|e| bad().with_source(e))?;
        Period::new(start, end)
    }
}

impl TryFrom<String> for Period {
    type Error = Error;
    fn try_from(s: String) -> Result<Period> {
        s.parse()
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}
