//! Calendar dates as buyers write them, and the range of plausible dates.
//!
//! Dates are `chrono::NaiveDate` (chrono 0.4, the field's standard). Any date the crate reads
//! from a person's file must fall in [`EARLIEST_YEAR`]..=[`LATEST_YEAR`]: a date outside is a
//! typing error (a two-digit year `15/09/26` read as year 26), never a date to plan on.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// The earliest year of a plausible date (public procurement data before it is not read).
pub const EARLIEST_YEAR: i32 = 1990;
/// The latest year of a plausible date.
pub const LATEST_YEAR: i32 = 2100;

/// Whether `date` falls in [`EARLIEST_YEAR`]..=[`LATEST_YEAR`].
///
/// ```
/// use chrono::NaiveDate;
/// assert!(spaser::plausible_date(NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()));
/// assert!(!spaser::plausible_date(NaiveDate::from_ymd_opt(26, 9, 15).unwrap()));
/// ```
pub fn plausible_date(date: NaiveDate) -> bool {
    (EARLIEST_YEAR..=LATEST_YEAR).contains(&date.year())
}

/// Checks that `date` is plausible; `text` is what was written (quoted in the error).
///
/// # Errors
/// [`ErrorKind::InvalidValue`] when the year is outside 1990–2100, saying so (and, for a
/// year below 100, that a two-digit year is not accepted).
pub fn check_plausible_date(date: NaiveDate, text: &str) -> Result<NaiveDate> {
    if plausible_date(date) {
        return Ok(date);
    }
    let shown = excerpt(text.trim());
    let why = if (0..100).contains(&date.year()) {
        format!(
            "date \"{shown}\" has a two-digit year ({}): write the year in full (e.g. 15/09/2026)",
            date.year()
        )
    } else {
        format!(
            "date \"{shown}\" is outside {EARLIEST_YEAR}-{LATEST_YEAR} (year {})",
            date.year()
        )
    };
    Err(Error::new(ErrorKind::InvalidValue, why))
}

/// Parses a date as French and English spreadsheets write it — `2026-03-15`, `15/03/2026`,
/// `15-03-2026`, `15.03.2026`, `2026/03/15`, with an optional time after a blank or `T` — and
/// checks that it is plausible.
///
/// # Errors
/// [`ErrorKind::Parse`] when the text is not a date; [`ErrorKind::InvalidValue`] as
/// [`check_plausible_date`] (a two-digit year says so).
///
/// ```
/// use spaser::parse_date;
/// assert_eq!(parse_date("15/03/2026")?.to_string(), "2026-03-15");
/// let e = parse_date("15/09/26").unwrap_err();
/// assert!(e.to_string().contains("two-digit year"));
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let day = t.split([' ', 'T']).next().unwrap_or(t);
    for fmt in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(day, fmt) {
            return check_plausible_date(d, text);
        }
    }
    Err(Error::new(
        ErrorKind::Parse,
        format!(
            "date \"{}\" is not a date (accepted: 2026-03-15, 15/03/2026)",
            excerpt(text)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_digit_years_are_rejected_with_their_reason() {
        let e = parse_date("15/09/26").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidValue);
        assert!(e.to_string().contains("two-digit year (26)"), "{e}");
        assert!(parse_date("1989-12-31").is_err());
        assert!(parse_date("2101-01-01").is_err());
        assert_eq!(parse_date("1990-01-01").unwrap().year(), 1990);
        assert_eq!(parse_date("31/12/2100").unwrap().year(), 2100);
        assert_eq!(parse_date(" 2026-03-15T10:00:00 ").unwrap().day(), 15);
    }
}
