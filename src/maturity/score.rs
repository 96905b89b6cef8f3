//! Scoring: levels, points, overall score, stars and radar data.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::assessment::{Assessment, Status};
use super::grid::{Grid, LEVELS, Text};
use super::rule::{Evaluation, Evidence, Outcome};
use crate::error::{Error, ErrorKind, Result};
use crate::values::share::Share;

/// The score thresholds of the stars, strictly increasing: one star per threshold reached.
///
/// The default is the Territoires en Transitions convention, 35 / 50 / 65 / 75 % of the
/// potential. A threshold is reached when points ≥ threshold × potential, compared exactly.
///
/// ```
/// use spaser::maturity::StarThresholds;
/// let t = StarThresholds::new(["0.4".parse()?, "0.8".parse()?])?;
/// assert_eq!(t.stars_for("0.8".parse()?), 2);
/// assert_eq!(StarThresholds::default().stars_for("0.6499".parse()?), 2);
/// assert!(StarThresholds::new(["0.5".parse()?, "0.5".parse()?]).is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<Share>", into = "Vec<Share>")]
pub struct StarThresholds(Vec<Share>);

impl StarThresholds {
    /// Thresholds from a list.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the list is empty, is not strictly increasing, or
    /// holds a zero threshold (a star must be earned).
    pub fn new(thresholds: impl IntoIterator<Item = Share>) -> Result<StarThresholds> {
        let v: Vec<Share> = thresholds.into_iter().collect();
        if v.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                "star thresholds: the list is empty",
            ));
        }
        for (i, t) in v.iter().enumerate() {
            if *t == Share::ZERO {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("star threshold {} is zero; a star must be earned", i + 1),
                ));
            }
            if i > 0 && *t <= v[i - 1] {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "star threshold {} (\"{t}\") is not above the previous one (\"{}\")",
                        i + 1,
                        v[i - 1]
                    ),
                ));
            }
        }
        Ok(StarThresholds(v))
    }

    /// The thresholds.
    pub fn thresholds(&self) -> &[Share] {
        &self.0
    }

    /// Stars for a score.
    pub fn stars_for(&self, score: Share) -> u8 {
        self.stars(score.as_decimal(), Decimal::ONE)
    }

    /// Stars for `points` out of `potential`, exactly (no division).
    pub fn stars(&self, points: Decimal, potential: Decimal) -> u8 {
        if potential <= Decimal::ZERO {
            return 0;
        }
        let n = self
            .0
            .iter()
            // share <= 1, so the product never exceeds the potential: no overflow.
            .filter(|t| points >= potential * t.as_decimal())
            .count();
        u8::try_from(n).unwrap_or(u8::MAX)
    }
}

impl Default for StarThresholds {
    fn default() -> StarThresholds {
        StarThresholds(
            [35, 50, 65, 75]
                .into_iter()
                .map(|p| Share::ratio(Decimal::from(p), Decimal::ONE_HUNDRED).unwrap_or(Share::ONE))
                .collect(),
        )
    }
}

impl TryFrom<Vec<Share>> for StarThresholds {
    type Error = Error;
    fn try_from(v: Vec<Share>) -> Result<StarThresholds> {
        StarThresholds::new(v)
    }
}

impl From<StarThresholds> for Vec<Share> {
    fn from(t: StarThresholds) -> Vec<Share> {
        t.0
    }
}

/// Options of [`score_with`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScoreOptions {
    stars: StarThresholds,
}

impl ScoreOptions {
    /// Sets the star thresholds.
    pub fn stars(mut self, stars: StarThresholds) -> ScoreOptions {
        self.stars = stars;
        self
    }

    /// The star thresholds.
    pub fn star_thresholds(&self) -> &StarThresholds {
        &self.stars
    }
}

/// Where a criterion's effective answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// The assessor's answer (it overrides an automatic one: see [`CriterionResult::overridden`]).
    Manual,
    /// The criterion's rule, evaluated on the evidence.
    Automatic,
    /// No answer and no automatic figure: counts as not met.
    Unanswered,
}

/// The result for one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CriterionResult {
    /// Criterion id.
    pub criterion: String,
    /// Theme id.
    pub theme: String,
    /// Level of the criterion.
    pub level: u8,
    /// The criterion's points.
    pub points: u32,
    /// The effective answer (not met when unanswered).
    pub status: Status,
    /// Where it comes from.
    pub origin: Origin,
    /// Points earned: points × (1 met, share partly, 0 otherwise).
    pub earned: Decimal,
    /// Points in the potential: the points, or 0 when not applicable.
    pub potential: u32,
    /// The automatic evaluation, when the criterion has a rule and evidence was given (kept
    /// even when a manual answer overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic: Option<Evaluation>,
    /// Whether a manual answer replaced a decisive automatic one (met or not met).
    pub overridden: bool,
    /// Evidence references: the manual answer's, or the automatic figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

impl CriterionResult {
    /// Whether the effective answer is "met".
    pub fn is_met(&self) -> bool {
        self.status == Status::Met
    }
}

/// The score of one theme: one point of the radar chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThemeScore {
    /// Theme id.
    pub id: String,
    /// Theme name.
    pub name: Text,
    /// Level reached, 0..=5: the highest L such that every applicable criterion of levels
    /// 1..=L is met.
    pub level: u8,
    /// Points earned.
    pub points: Decimal,
    /// Applicable potential (points of the applicable criteria).
    pub potential: Decimal,
    /// Points / potential (`None` when nothing applies).
    pub score: Option<Share>,
}

/// The scored assessment: per criterion, per theme and overall.
///
/// Rules (each pinned by a test in `tests/maturity_scoring.rs`):
/// 1. A criterion's effective answer is the manual answer if any, else the automatic outcome
///    of its rule when decisive (met / not met), else "not met" (unanswered).
/// 2. A theme's level is the highest L in 0..=5 such that every *applicable* criterion of
///    levels 1..=L is met (partly does not count; a level whose criteria are all not
///    applicable does not block).
/// 3. A criterion's potential is its points, or 0 when not applicable; it earns its points
///    when met, points × share when partly, 0 otherwise.
/// 4. A theme's score is its points / its potential; the overall score is the sum of points /
///    the sum of potentials (themes weigh by their potential).
/// 5. Stars: one per threshold reached by the overall score ([`StarThresholds`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Scorecard {
    /// Grid id.
    pub grid: String,
    /// Date of the assessment.
    pub date: NaiveDate,
    /// Assessor.
    pub assessor: String,
    /// Reference year of automatic rules.
    pub reference_year: i32,
    /// Themes, in the grid's order.
    pub themes: Vec<ThemeScore>,
    /// Points earned over all themes.
    pub points: Decimal,
    /// Applicable potential over all themes.
    pub potential: Decimal,
    /// Overall score (`None` when nothing applies).
    pub score: Option<Share>,
    /// Stars earned.
    pub stars: u8,
    /// Every criterion, in the grid's order.
    pub criteria: Vec<CriterionResult>,
}

/// Scores a manual assessment with the default options (no automatic criteria).
///
/// # Errors
/// The errors of [`Assessment::check`].
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::maturity::{score, Answer, Assessment, Grid, Status};
/// let grid = Grid::spaser();
/// let date = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
/// let mut a = Assessment::new(grid.id(), date, "DCP");
/// for c in &grid.theme("governance").unwrap().levels[0].criteria {
///     a = a.with_answer(&c.id, Answer::new(Status::Met))?;
/// }
/// let card = score(grid, &a)?;
/// assert_eq!(card.themes[0].level, 1);
/// assert_eq!(card.stars, 0);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn score(grid: &Grid, assessment: &Assessment) -> Result<Scorecard> {
    score_with(grid, assessment, &Evidence::new(), &ScoreOptions::default())
}

/// Scores an assessment, answering automatic criteria from `evidence` where the assessor did
/// not answer them.
///
/// # Errors
/// The errors of [`Assessment::check`]; [`ErrorKind::Overflow`] if points overflow.
pub fn score_with(
    grid: &Grid,
    assessment: &Assessment,
    evidence: &Evidence,
    options: &ScoreOptions,
) -> Result<Scorecard> {
    assessment.check(grid)?;
    let year = assessment.reference_year();
    let evaluations = if evidence.is_empty() {
        Default::default()
    } else {
        grid.evaluate(evidence, year)
    };
    let overflow = || Error::new(ErrorKind::Overflow, "maturity points overflow");
    let mut criteria = Vec::new();
    let mut themes = Vec::new();
    let (mut total_points, mut total_potential) = (Decimal::ZERO, Decimal::ZERO);
    for theme in grid.themes() {
        let (mut points, mut potential) = (Decimal::ZERO, Decimal::ZERO);
        let mut level = 0u8;
        let mut blocked = false;
        for lvl in &theme.levels {
            let mut all_met = true;
            for c in &lvl.criteria {
                let automatic = evaluations.get(&c.id).cloned();
                let auto_status = automatic.as_ref().and_then(|e| match e.outcome {
                    Outcome::Met => Some(Status::Met),
                    Outcome::NotMet => Some(Status::NotMet),
                    Outcome::Partly => e.score.map(Status::Partly),
                    _ => None,
                });
                let manual = assessment.answer(&c.id);
                let (status, origin, evidence_refs) = match (manual, &auto_status) {
                    (Some(m), _) => (m.status.clone(), Origin::Manual, m.evidence.clone()),
                    (None, Some(s)) => (
                        s.clone(),
                        Origin::Automatic,
                        automatic.iter().map(|e| e.explanation.clone()).collect(),
                    ),
                    (None, None) => (Status::NotMet, Origin::Unanswered, Vec::new()),
                };
                let overridden = manual.is_some() && auto_status.is_some();
                let cpoints = Decimal::from(c.points);
                let (earned, cpot) = if status.is_applicable() {
                    let e = cpoints
                        .checked_mul(status.earned_share())
                        .ok_or_else(overflow)?;
                    (e, c.points)
                } else {
                    (Decimal::ZERO, 0)
                };
                points = points.checked_add(earned).ok_or_else(overflow)?;
                potential = potential
                    .checked_add(Decimal::from(cpot))
                    .ok_or_else(overflow)?;
                if status.is_applicable() && status != Status::Met {
                    all_met = false;
                }
                criteria.push(CriterionResult {
                    criterion: c.id.clone(),
                    theme: theme.id.clone(),
                    level: lvl.level,
                    points: c.points,
                    status,
                    origin,
                    earned: earned.normalize(),
                    potential: cpot,
                    automatic,
                    overridden,
                    evidence: evidence_refs,
                });
            }
            if !blocked && all_met {
                level = lvl.level;
            } else {
                blocked = true;
            }
        }
        debug_assert!(level <= LEVELS);
        total_points = total_points.checked_add(points).ok_or_else(overflow)?;
        total_potential = total_potential
            .checked_add(potential)
            .ok_or_else(overflow)?;
        themes.push(ThemeScore {
            id: theme.id.clone(),
            name: theme.name.clone(),
            level,
            points: points.normalize(),
            potential: potential.normalize(),
            score: Share::ratio(points, potential),
        });
    }
    Ok(Scorecard {
        grid: grid.id().to_string(),
        date: assessment.date(),
        assessor: assessment.assessor().to_string(),
        reference_year: year,
        themes,
        points: total_points.normalize(),
        potential: total_potential.normalize(),
        score: Share::ratio(total_points, total_potential),
        stars: options.stars.stars(total_points, total_potential),
        criteria,
    })
}

/// One point of a radar chart: a theme, its score and its level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RadarPoint {
    /// Theme id.
    pub theme: String,
    /// Theme name.
    pub name: Text,
    /// Score, 0..=1 (0 when nothing applies, see `applicable`).
    pub score: Share,
    /// Level, 0..=5.
    pub level: u8,
    /// Whether the theme has applicable criteria.
    pub applicable: bool,
}

impl Scorecard {
    /// The radar data: one point per theme, in the grid's order.
    pub fn radar(&self) -> Vec<RadarPoint> {
        self.themes
            .iter()
            .map(|t| RadarPoint {
                theme: t.id.clone(),
                name: t.name.clone(),
                score: t.score.unwrap_or(Share::ZERO),
                level: t.level,
                applicable: t.score.is_some(),
            })
            .collect()
    }

    /// A theme's score.
    pub fn theme(&self, id: &str) -> Option<&ThemeScore> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// A criterion's result.
    pub fn criterion(&self, id: &str) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.criterion == id)
    }

    /// The criteria whose manual answer overrides an automatic one.
    pub fn overrides(&self) -> impl Iterator<Item = &CriterionResult> {
        self.criteria.iter().filter(|c| c.overridden)
    }
}
