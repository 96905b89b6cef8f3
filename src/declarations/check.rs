//! A share checked against the rate of the year: the status each declaration row prints.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::indicators::Measure;
use crate::law::obligation_rules::ObligationId;
use crate::law::obligations::{Finding, Status};
use crate::values::confidence::Confidence;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::share::Share;

/// The status of a share against its rate.
///
/// A rate that is not established (`?`) or a portion that is not known gives
/// [`CheckStatus::Unknown`] — printed `unknown`, never `met`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckStatus {
    /// The share reaches the rate.
    Met,
    /// The share is below the rate.
    NotMet,
    /// The rate or the portion is not known.
    Unknown,
    /// The rule does not apply (no spend, buyer out of scope, year before the rule).
    NotApplicable,
    /// An exemption is recorded.
    Exempted,
}

impl CheckStatus {
    /// The code printed in CSV and JSON: `met`, `not_met`, `unknown`, `not_applicable`,
    /// `exempted`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CheckStatus::Met => "met",
            CheckStatus::NotMet => "not_met",
            CheckStatus::Unknown => "unknown",
            CheckStatus::NotApplicable => "not_applicable",
            CheckStatus::Exempted => "exempted",
        }
    }

    /// Label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            CheckStatus::Met => lang.pick("atteint", "met"),
            CheckStatus::NotMet => lang.pick("non atteint", "not met"),
            CheckStatus::Unknown => lang.pick("inconnu", "unknown"),
            CheckStatus::NotApplicable => lang.pick("sans objet", "not applicable"),
            CheckStatus::Exempted => lang.pick("exempté", "exempted"),
        }
    }

    fn of(status: Status) -> CheckStatus {
        match status {
            Status::Met => CheckStatus::Met,
            Status::Missing => CheckStatus::NotMet,
            Status::NotApplicable => CheckStatus::NotApplicable,
            Status::Exempted => CheckStatus::Exempted,
            _ => CheckStatus::Unknown,
        }
    }
}

impl fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One share of a row checked against the rate of the year, from the obligations engine's
/// finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RateCheck {
    /// Which obligation.
    pub obligation: ObligationId,
    /// The rate of the year (`None`: not established).
    pub rate: Option<Share>,
    /// How firm the rate (and the finding) is.
    pub confidence: Confidence,
    /// The milestone year of the rate, when the table has milestones (AGEC 2024/2027/2030).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone: Option<i32>,
    /// The status.
    pub status: CheckStatus,
    /// The article(s).
    pub article: String,
    /// Why (the engine's reason, or why the portion is unknown).
    pub reason: String,
}

impl RateCheck {
    /// The check from an engine finding on a known portion.
    pub(crate) fn from_finding(
        f: &Finding,
        rate: Option<Share>,
        milestone: Option<i32>,
    ) -> RateCheck {
        RateCheck {
            obligation: f.obligation,
            rate,
            confidence: f.confidence,
            milestone,
            status: CheckStatus::of(f.status),
            article: f.article.clone(),
            reason: f.reason.clone(),
        }
    }

    /// The check of an unknown portion: the engine's finding on a zero portion says whether
    /// the rule applies; when it does, the status is `unknown`, never `met` nor `not_met`.
    pub(crate) fn unknown_portion(
        f: &Finding,
        rate: Option<Share>,
        milestone: Option<i32>,
        why: &str,
    ) -> RateCheck {
        let mut c = RateCheck::from_finding(f, rate, milestone);
        if matches!(c.status, CheckStatus::Met | CheckStatus::NotMet) {
            c.status = CheckStatus::Unknown;
            c.reason = why.to_string();
        }
        c
    }

    /// The rate as printed: the percentage, or `unknown`.
    pub fn rate_text(&self, lang: Lang) -> String {
        match self.rate {
            Some(r) => crate::render::format::rate(r.as_decimal(), 2, lang),
            None => "unknown".to_string(),
        }
    }
}

/// `portion / total` through the indicator engine's arithmetic (exact); `None` for a zero
/// total or an unknown portion.
pub(crate) fn share_of(total: Amount, portion: Option<Amount>) -> Option<Share> {
    let portion = portion?;
    let m = Measure {
        purchases: 1,
        value: total.as_decimal(),
        count: u64::from(!portion.is_zero()),
        covered_value: portion.as_decimal(),
        unknown: 0,
    };
    m.value_share()
}

/// A share for a CSV cell: a decimal rounded to 4 places (half to even), empty when unknown.
pub(crate) fn share_cell(s: Option<Share>) -> String {
    s.map_or_else(String::new, |s| s.round_dp(4).to_string())
}

/// A percentage for the official declaration's `pourcent_*` columns: two decimals.
#[allow(dead_code)]
pub(crate) fn percent_cell(s: Option<Share>) -> String {
    s.map_or_else(String::new, |s| {
        (s.as_decimal() * Decimal::ONE_HUNDRED)
            .round_dp(2)
            .normalize()
            .to_string()
    })
}

/// A CSV document from a header and rows (`;`-separated, quoted as needed, `\n` line ends).
pub(crate) fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The year the rows of a declaration file are of: the year asked, otherwise the one year its
/// year column (`column`) holds. `what` names the file, `of` what the rows are (`the spend`).
///
/// # Errors
/// [`ErrorKind::Parse`] for a year that is not a number; [`ErrorKind::Missing`] when no year
/// is asked and the file holds none, or several.
pub(crate) fn file_year(
    what: &str,
    asked: Option<i32>,
    column: &str,
    years: &std::collections::BTreeSet<&str>,
    of: &str,
) -> crate::error::Result<i32> {
    use crate::error::{Error, ErrorKind};
    match (asked, years.len()) {
        (Some(y), _) => Ok(y),
        (None, 1) => {
            let text = years.iter().next().copied().unwrap_or_default();
            text.trim().parse::<i32>().map_err(|_| {
                Error::new(
                    ErrorKind::Parse,
                    format!(
                        "{what}, column \"{column}\": \"{}\" is not a year",
                        crate::util::text::excerpt(text)
                    ),
                )
            })
        }
        (None, 0) => Err(Error::new(
            ErrorKind::Missing,
            format!("{what}: no year column and no year asked: say which year {of} is of"),
        )),
        (None, _) => Err(Error::new(
            ErrorKind::Missing,
            format!(
                "{what}: the file holds several years ({}): ask for one",
                years.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// The number convention of a column of `t` (decimal comma or point), decided by its cells.
pub(crate) fn column_convention(
    t: &crate::values::table::Table,
    c: Option<usize>,
) -> Option<crate::values::money::NumberConvention> {
    let mut v = crate::values::money::ConventionVotes::default();
    for cell in t.cells(c) {
        v.add(cell);
    }
    v.decide(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_file_is_of_the_year_asked_or_of_its_only_year() {
        let years =
            |v: &[&'static str]| v.iter().copied().collect::<std::collections::BTreeSet<_>>();
        assert_eq!(
            file_year("f", Some(2024), "annee", &years(&["2025"]), "x").unwrap(),
            2024
        );
        assert_eq!(
            file_year("f", None, "annee", &years(&["2025"]), "x").unwrap(),
            2025
        );
        let e = file_year("f", None, "year", &years(&["deux mille"]), "x").unwrap_err();
        assert!(
            e.to_string()
                .contains("column \"year\": \"deux mille\" is not a year"),
            "{e}"
        );
        let e = file_year("f", None, "year", &years(&["2024", "2025"]), "x").unwrap_err();
        assert!(e.to_string().contains("several years (2024, 2025)"), "{e}");
        let e = file_year("f", None, "year", &years(&[]), "the spend").unwrap_err();
        assert!(e.to_string().contains("which year the spend is of"), "{e}");
    }
}
