//! Recommendations (the next actions) and progress between two assessments.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::assessment::Status;
use super::grid::{Grid, LEVELS, Text};
use super::score::Scorecard;
use crate::error::{Error, ErrorKind, Result};
use crate::values::share::Share;

/// One recommended action: an unmet criterion of a theme's next level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Action {
    /// Theme id.
    pub theme: String,
    /// The level the action leads to (the theme's level + 1).
    pub level: u8,
    /// Criterion id.
    pub criterion: String,
    /// What to do.
    pub text: Text,
    /// The criterion's points.
    pub points: u32,
    /// Points still to earn (points minus what a partial answer already earns).
    pub gain: Decimal,
    /// The evidence to gather.
    pub evidence: Text,
    /// The current answer.
    pub status: Status,
    /// Whether the criterion is measured automatically (it is met by changing the figures).
    pub automatic: bool,
}

/// The action plan: per theme below level 5, the unmet applicable criteria of the next level,
/// ordered by points (most first, then the grid's order). Themes come in the grid's order.
///
/// Fails only if `card` was not computed with `grid`.
///
/// # Errors
/// [`ErrorKind::Inconsistent`] when `card` is for another grid (or another version of it with
/// different themes).
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::maturity::{actions, score, Assessment, Grid};
/// let grid = Grid::spaser();
/// let a = Assessment::new(grid.id(), NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(), "DCP");
/// let plan = actions(grid, &score(grid, &a)?)?;
/// assert!(plan.iter().all(|x| x.level == 1));
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn actions(grid: &Grid, card: &Scorecard) -> Result<Vec<Action>> {
    same_grid(grid.id(), &card.grid)?;
    if grid.themes().len() != card.themes.len()
        || grid
            .themes()
            .iter()
            .zip(&card.themes)
            .any(|(t, s)| t.id != s.id)
    {
        return Err(Error::new(
            ErrorKind::Inconsistent,
            format!(
                "scorecard does not match the themes of grid \"{}\"",
                grid.id()
            ),
        ));
    }
    let mut out = Vec::new();
    for (theme, ts) in grid.themes().iter().zip(&card.themes) {
        if ts.level >= LEVELS {
            continue;
        }
        let next = ts.level + 1;
        let Some(level) = theme.levels.iter().find(|l| l.level == next) else {
            continue;
        };
        let mut todo: Vec<Action> = level
            .criteria
            .iter()
            .filter_map(|c| {
                let r = card.criterion(&c.id)?;
                if r.is_met() || !r.status.is_applicable() {
                    return None;
                }
                Some(Action {
                    theme: theme.id.clone(),
                    level: next,
                    criterion: c.id.clone(),
                    text: c.text.clone(),
                    points: c.points,
                    gain: (Decimal::from(c.points) - r.earned).normalize(),
                    evidence: c.evidence.clone(),
                    status: r.status.clone(),
                    automatic: c.rule.is_some(),
                })
            })
            .collect();
        // Stable sort: equal points keep the grid's order.
        todo.sort_by_key(|a| std::cmp::Reverse(a.points));
        out.extend(todo);
    }
    Ok(out)
}

fn same_grid(a: &str, b: &str) -> Result<()> {
    if a != b {
        return Err(Error::new(
            ErrorKind::Inconsistent,
            format!("scorecards are for different grids (\"{a}\" and \"{b}\")"),
        ));
    }
    Ok(())
}

/// The change of one theme between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThemeProgress {
    /// Theme id.
    pub theme: String,
    /// Level before.
    pub level_before: u8,
    /// Level after.
    pub level_after: u8,
    /// Points before.
    pub points_before: Decimal,
    /// Points after.
    pub points_after: Decimal,
    /// Points after − points before.
    pub points_delta: Decimal,
    /// Score before.
    pub score_before: Option<Share>,
    /// Score after.
    pub score_after: Option<Share>,
}

/// The difference between two assessments of the same grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Progress {
    /// Per theme, in the grid's order.
    pub themes: Vec<ThemeProgress>,
    /// Overall points before.
    pub points_before: Decimal,
    /// Overall points after.
    pub points_after: Decimal,
    /// Overall score before.
    pub score_before: Option<Share>,
    /// Overall score after.
    pub score_after: Option<Share>,
    /// Stars before.
    pub stars_before: u8,
    /// Stars after.
    pub stars_after: u8,
    /// Criteria met after but not before.
    pub newly_met: Vec<String>,
    /// Criteria met before but not after.
    pub no_longer_met: Vec<String>,
}

/// The progress from `before` to `after` (two scorecards of the same grid).
///
/// # Errors
/// [`ErrorKind::Inconsistent`] when the scorecards are for different grids, or for two
/// versions of a grid with different themes.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::maturity::{progress, score, Answer, Assessment, Grid, Status};
/// let grid = Grid::spaser();
/// let d = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
/// let before = score(grid, &Assessment::new(grid.id(), d, "DCP"))?;
/// let after = Assessment::new(grid.id(), d, "DCP")
///     .with_answer("gov.1.adopted", Answer::new(Status::Met))?;
/// let p = progress(&before, &score(grid, &after)?)?;
/// assert_eq!(p.newly_met, ["gov.1.adopted"]);
/// assert!(p.themes[0].points_delta > 0.into());
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn progress(before: &Scorecard, after: &Scorecard) -> Result<Progress> {
    same_grid(&before.grid, &after.grid)?;
    let ids = |c: &Scorecard| c.themes.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    if ids(before) != ids(after) {
        return Err(Error::new(
            ErrorKind::Inconsistent,
            format!(
                "scorecards of grid \"{}\" have different themes ({} and {})",
                before.grid,
                ids(before).join(", "),
                ids(after).join(", ")
            ),
        ));
    }
    let themes = before
        .themes
        .iter()
        .zip(&after.themes)
        .map(|(b, a)| ThemeProgress {
            theme: a.id.clone(),
            level_before: b.level,
            level_after: a.level,
            points_before: b.points,
            points_after: a.points,
            points_delta: (a.points - b.points).normalize(),
            score_before: b.score,
            score_after: a.score,
        })
        .collect();
    let met = |c: &Scorecard| -> Vec<String> {
        c.criteria
            .iter()
            .filter(|r| r.is_met())
            .map(|r| r.criterion.clone())
            .collect()
    };
    let (mb, ma) = (met(before), met(after));
    Ok(Progress {
        themes,
        points_before: before.points,
        points_after: after.points,
        score_before: before.score,
        score_after: after.score,
        stars_before: before.stars,
        stars_after: after.stars,
        newly_met: ma.iter().filter(|c| !mb.contains(c)).cloned().collect(),
        no_longer_met: mb.iter().filter(|c| !ma.contains(c)).cloned().collect(),
    })
}
