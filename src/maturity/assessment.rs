//! Assessments: one answer per criterion, with evidence, date and assessor.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::grid::Grid;
use crate::error::{Error, ErrorKind, Result};
use crate::values::share::Share;

/// The answer to one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// The criterion is met.
    Met,
    /// The criterion is not met.
    NotMet,
    /// The criterion is partly met: the share counts for points, not for the level.
    Partly(Share),
    /// The criterion does not apply to this buyer (the reason is required): it leaves the
    /// potential and does not block the level.
    NotApplicable(String),
}

impl Status {
    /// The JSON tag: `met`, `not_met`, `partly`, `not_applicable`.
    pub fn tag(&self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::Partly(_) => "partly",
            Status::NotApplicable(_) => "not_applicable",
        }
    }

    /// Whether the criterion is applicable.
    pub fn is_applicable(&self) -> bool {
        !matches!(self, Status::NotApplicable(_))
    }

    /// The share of the criterion's points earned (0 when not applicable).
    pub fn earned_share(&self) -> Decimal {
        match self {
            Status::Met => Decimal::ONE,
            Status::Partly(s) => s.as_decimal(),
            Status::NotMet | Status::NotApplicable(_) => Decimal::ZERO,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Partly(s) => write!(f, "partly ({s})"),
            Status::NotApplicable(r) => write!(f, "not applicable ({r})"),
            other => f.write_str(other.tag()),
        }
    }
}

/// An answer: the status, the evidence references, a comment, and — when this answer was
/// given at another date or by another person than the assessment's — its own date and
/// assessor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Answer {
    /// The status.
    pub status: Status,
    /// References of the evidence (document names, links, deliberation numbers).
    pub evidence: Vec<String>,
    /// Free comment.
    pub comment: Option<String>,
    /// Date of this answer, when it differs from the assessment's.
    pub date: Option<NaiveDate>,
    /// Who gave this answer, when not the assessment's assessor.
    pub assessor: Option<String>,
}

impl Answer {
    /// An answer without evidence.
    pub fn new(status: Status) -> Answer {
        Answer {
            status,
            evidence: Vec::new(),
            comment: None,
            date: None,
            assessor: None,
        }
    }

    /// Adds an evidence reference.
    pub fn evidence(mut self, reference: impl Into<String>) -> Answer {
        self.evidence.push(reference.into());
        self
    }

    /// Sets the comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Answer {
        self.comment = Some(comment.into());
        self
    }

    /// Sets the date of this answer.
    pub fn dated(mut self, date: NaiveDate) -> Answer {
        self.date = Some(date);
        self
    }

    /// Sets who gave this answer.
    pub fn by(mut self, assessor: impl Into<String>) -> Answer {
        self.assessor = Some(assessor.into());
        self
    }
}

/// The status tag of an answer in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Tag {
    Met,
    NotMet,
    Partly,
    NotApplicable,
}

/// One answer as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerData {
    criterion: String,
    status: Tag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    share: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "plausible_answer_date"
    )]
    date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assessor: Option<String>,
}

/// An assessment's date: a date in 1990–2100 (issue 11 item 9: a two-digit year is named as
/// such; serde_json adds the line and column).
fn plausible_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    crate::values::date::parse_date(&text)
        .map_err(|e| serde::de::Error::custom(format!("field \"date\": {e}")))
}

/// An answer's date, when given: as [`plausible_date`].
fn plausible_answer_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => crate::values::date::parse_date(&text)
            .map(Some)
            .map_err(|e| serde::de::Error::custom(format!("answer field \"date\": {e}"))),
    }
}

/// An assessment as written in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentData {
    grid: String,
    #[serde(deserialize_with = "plausible_date")]
    date: NaiveDate,
    assessor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference_year: Option<i32>,
    answers: Vec<AnswerData>,
}

/// A maturity assessment: who assessed, when, for which grid, and one answer per criterion
/// (criteria without an answer count as not met, unless an automatic rule answers them).
///
/// JSON format:
///
/// ```json
/// {
///   "grid": "spaser-maturity",
///   "date": "2026-11-15",
///   "assessor": "Direction de la commande publique",
///   "reference_year": 2026,
///   "answers": [
///     {"criterion": "gov.1.adopted", "status": "met", "evidence": ["délibération 2024-117"]},
///     {"criterion": "gov.2.published", "status": "partly", "share": "0.5", "comment": "…"},
///     {"criterion": "proc.3.reserved", "status": "not_applicable", "reason": "…"},
///     {"criterion": "people.1.trained", "status": "not_met",
///      "date": "2026-10-02", "assessor": "DRH"}
///   ]
/// }
/// ```
///
/// `evidence`, `comment`, and a per-answer `date` and `assessor` (when they differ from the
/// assessment's) are optional. `reference_year` (default: the year of `date`) anchors the years of automatic rules
/// ("last year" = reference year − 1). Answers are kept sorted by criterion id.
///
/// ```
/// use spaser::maturity::{Assessment, Grid, Status};
/// let a = Assessment::from_json(r#"{"grid": "spaser-maturity", "date": "2026-11-15",
///   "assessor": "DCP", "answers": [
///     {"criterion": "gov.1.adopted", "status": "met", "evidence": ["délibération 2024-117"]},
///     {"criterion": "gov.1.scope", "status": "partly", "share": "0.5"}]}"#)?;
/// a.check(Grid::spaser())?;
/// assert_eq!(a.reference_year(), 2026);
/// assert!(matches!(a.answer("gov.1.scope").map(|x| &x.status), Some(Status::Partly(_))));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssessmentData", into = "AssessmentData")]
pub struct Assessment {
    grid: String,
    date: NaiveDate,
    assessor: String,
    reference_year: Option<i32>,
    answers: BTreeMap<String, Answer>,
}

impl Assessment {
    /// An empty assessment of grid `grid` made on `date` by `assessor`.
    pub fn new(
        grid: impl Into<String>,
        date: NaiveDate,
        assessor: impl Into<String>,
    ) -> Assessment {
        Assessment {
            grid: grid.into(),
            date,
            assessor: assessor.into(),
            reference_year: None,
            answers: BTreeMap::new(),
        }
    }

    /// Sets the reference year of automatic rules.
    pub fn with_reference_year(mut self, year: i32) -> Assessment {
        self.reference_year = Some(year);
        self
    }

    /// Sets the answer to `criterion` (replacing any previous one).
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] when a not-applicable answer has an empty reason.
    pub fn with_answer(
        mut self,
        criterion: impl Into<String>,
        answer: Answer,
    ) -> Result<Assessment> {
        let criterion = criterion.into();
        check_reason(&criterion, &answer.status)?;
        self.answers.insert(criterion, answer);
        Ok(self)
    }

    /// Parses an assessment in the JSON format.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for JSON that does not follow the format (with line and column);
    /// [`ErrorKind::Duplicate`] when a criterion is answered twice;
    /// [`ErrorKind::InvalidValue`] when a `partly` share is not a decimal in `0..=1`, or a
    /// share is given with another status;
    /// [`ErrorKind::Missing`] when `partly` has no share or `not_applicable` no reason.
    /// Each error names the criterion. Check against a grid with [`Assessment::check`].
    pub fn from_json(text: &str) -> Result<Assessment> {
        let data: AssessmentData = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("maturity assessment: {e}")).with_source(e)
        })?;
        Assessment::try_from(data)
    }

    /// Serializes to pretty JSON (the documented format).
    pub fn to_json(&self) -> String {
        // Only strings, dates and validated shares: serialization cannot fail.
        serde_json::to_string_pretty(&AssessmentData::from(self.clone())).unwrap_or_default()
    }

    /// Checks the assessment against `grid`.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when the assessment names another grid, or answers a
    /// criterion the grid does not have (naming it).
    pub fn check(&self, grid: &Grid) -> Result<()> {
        if self.grid != grid.id() {
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "assessment is for grid \"{}\", not \"{}\"",
                    self.grid,
                    grid.id()
                ),
            ));
        }
        for id in self.answers.keys() {
            if grid.criterion(id).is_none() {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "answer to criterion \"{id}\": no such criterion in grid \"{}\"",
                        grid.id()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The grid id.
    pub fn grid(&self) -> &str {
        &self.grid
    }

    /// The date of the assessment.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The assessor.
    pub fn assessor(&self) -> &str {
        &self.assessor
    }

    /// The reference year of automatic rules: the one set, or the year of the date.
    pub fn reference_year(&self) -> i32 {
        self.reference_year.unwrap_or_else(|| self.date.year())
    }

    /// The answer to a criterion.
    pub fn answer(&self, criterion: &str) -> Option<&Answer> {
        self.answers.get(criterion)
    }

    /// Every answer, by criterion id.
    pub fn answers(&self) -> &BTreeMap<String, Answer> {
        &self.answers
    }
}

fn check_reason(criterion: &str, status: &Status) -> Result<()> {
    if let Status::NotApplicable(r) = status {
        if r.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!("answer to criterion \"{criterion}\": not_applicable needs a reason"),
            ));
        }
    }
    Ok(())
}

impl TryFrom<AnswerData> for Answer {
    type Error = Error;
    fn try_from(d: AnswerData) -> Result<Answer> {
        let at = format!("answer to criterion \"{}\"", d.criterion);
        if d.share.is_some() && d.status != Tag::Partly {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{at}: a share is only allowed with status \"partly\""),
            ));
        }
        if d.reason.is_some() && d.status != Tag::NotApplicable {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{at}: a reason is only allowed with status \"not_applicable\""),
            ));
        }
        let status = match d.status {
            Tag::Met => Status::Met,
            Tag::NotMet => Status::NotMet,
            Tag::Partly => {
                let text = d.share.ok_or_else(|| {
                    Error::new(
                        ErrorKind::Missing,
                        format!("{at}: status \"partly\" needs a share"),
                    )
                })?;
                let share = text.parse::<Share>().map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!("{at}: share \"{text}\" is not a decimal in 0..=1"),
                    )
                    .with_source(e)
                })?;
                Status::Partly(share)
            }
            Tag::NotApplicable => Status::NotApplicable(d.reason.unwrap_or_default()),
        };
        check_reason(&d.criterion, &status)?;
        Ok(Answer {
            status,
            evidence: d.evidence,
            comment: d.comment,
            date: d.date,
            assessor: d.assessor,
        })
    }
}

impl TryFrom<AssessmentData> for Assessment {
    type Error = Error;
    fn try_from(d: AssessmentData) -> Result<Assessment> {
        if d.grid.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                "maturity assessment: grid is empty",
            ));
        }
        if d.assessor.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                "maturity assessment: assessor is empty",
            ));
        }
        if let Some(y) = d.reference_year {
            use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR};
            if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&y) {
                let why = if (0..100).contains(&y) {
                    "has two digits: write the year in full (e.g. 2026)".to_string()
                } else {
                    format!("is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
                };
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("maturity assessment: field \"reference_year\": year {y} {why}"),
                ));
            }
        }
        let mut answers = BTreeMap::new();
        for a in d.answers {
            let id = a.criterion.clone();
            if id.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::Missing,
                    "maturity assessment: an answer has an empty criterion",
                ));
            }
            let answer = Answer::try_from(a)?;
            if answers.insert(id.clone(), answer).is_some() {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("answer to criterion \"{id}\" appears twice"),
                ));
            }
        }
        Ok(Assessment {
            grid: d.grid,
            date: d.date,
            assessor: d.assessor,
            reference_year: d.reference_year,
            answers,
        })
    }
}

impl From<Assessment> for AssessmentData {
    fn from(a: Assessment) -> AssessmentData {
        AssessmentData {
            grid: a.grid,
            date: a.date,
            assessor: a.assessor,
            reference_year: a.reference_year,
            answers: a
                .answers
                .into_iter()
                .map(|(criterion, ans)| {
                    let (status, share, reason) = match ans.status {
                        Status::Met => (Tag::Met, None, None),
                        Status::NotMet => (Tag::NotMet, None, None),
                        Status::Partly(s) => (Tag::Partly, Some(s.to_string()), None),
                        Status::NotApplicable(r) => (Tag::NotApplicable, None, Some(r)),
                    };
                    AnswerData {
                        criterion,
                        status,
                        share,
                        reason,
                        evidence: ans.evidence,
                        comment: ans.comment,
                        date: ans.date,
                        assessor: ans.assessor,
                    }
                })
                .collect(),
        }
    }
}

/// The JSON form of a [`Status`]: `{"status": "partly", "share": "0.5"}`.
#[derive(Serialize, Deserialize)]
struct StatusData {
    status: Tag,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    share: Option<Share>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let d = match self {
            Status::Met => StatusData {
                status: Tag::Met,
                share: None,
                reason: None,
            },
            Status::NotMet => StatusData {
                status: Tag::NotMet,
                share: None,
                reason: None,
            },
            Status::Partly(s) => StatusData {
                status: Tag::Partly,
                share: Some(*s),
                reason: None,
            },
            Status::NotApplicable(r) => StatusData {
                status: Tag::NotApplicable,
                share: None,
                reason: Some(r.clone()),
            },
        };
        d.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Status, D::Error> {
        use serde::de::Error as _;
        let d = StatusData::deserialize(deserializer)?;
        match (d.status, d.share, d.reason) {
            (Tag::Met, None, None) => Ok(Status::Met),
            (Tag::NotMet, None, None) => Ok(Status::NotMet),
            (Tag::Partly, Some(s), None) => Ok(Status::Partly(s)),
            (Tag::NotApplicable, None, Some(r)) if !r.trim().is_empty() => {
                Ok(Status::NotApplicable(r))
            }
            _ => Err(D::Error::custom(
                "status: \"partly\" needs exactly a share, \"not_applicable\" exactly a reason, others neither",
            )),
        }
    }
}
