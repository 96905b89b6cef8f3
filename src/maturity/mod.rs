//! Maturity of a purchasing function: a grid of themes and levels, an assessment with
//! evidence, a score that follows stated rules, criteria that evaluate themselves from the
//! crate's indicators, and an action plan.
//!
//! May import: every layer below it (`error` … `plan`); it reads plans and actuals, nothing
//! reads it but the command.
//!
//! # Overview
//!
//! - [`Grid`]: themes → levels 1..=5 → [`Criterion`]s (id, French and English text, points,
//!   expected evidence, optional automatic [`Rule`]). The embedded default, [`Grid::spaser`]
//!   ("SPASER maturity"), has 7 themes — governance and strategy, purchasing programme,
//!   sourcing and suppliers, procurement process, execution and monitoring, measurement and
//!   results, people and training — × 5 levels (1 Foundation, 2 Embed, 3 Practice, 4 Enhance,
//!   5 Lead) × 3 criteria, written for the crate in the spirit of the UK Flexible Framework and
//!   of French practice. Its thresholds (15 %, 30 %, 60 %, 80 %…) are the grid's own maturity
//!   steps, not legal figures, except the 30 % social target of the PNAD 2022-2025.
//! - [`Assessment`]: an [`Answer`] per criterion — met, not met, partly (a share), not
//!   applicable (a reason) — with evidence references, the date and the assessor.
//! - [`score()`] / [`score_with`] → [`Scorecard`]: level and points per theme, overall score,
//!   stars, radar data ([`Scorecard::radar`]); the rules are listed on [`Scorecard`].
//! - Automatic criteria: [`Evidence`] holds [`IndicatorTable`](crate::IndicatorTable)s built by
//!   the [`IndicatorEngine`](crate::IndicatorEngine) from a plan projection or from actuals
//!   (DECP), tagged with their [`Source`], plus scalar facts ([`FACT_PROGRAMME_COVERAGE`]). A
//!   criterion's [`Rule`] is evaluated on it; the [`Evaluation`] records the [`Figure`] used.
//!   A manual answer overrides an automatic one, and [`CriterionResult::overridden`] says so.
//! - [`actions`]: per theme, the unmet criteria of the next level ordered by points;
//!   [`progress`]: the difference between two scorecards.
//!
//! # Grid JSON format
//!
//! ```json
//! {
//!   "id": "spaser-maturity",                       // referenced by assessments
//!   "name": {"fr": "Maturité SPASER", "en": "SPASER maturity"},
//!   "version": "2026.1",                           // optional
//!   "indicators": [ … ],                           // optional: extra indicators, engine format
//!   "facts": [{"id": "…", "text": {"fr": "…", "en": "…"}}],   // optional: extra facts
//!   "themes": [{
//!     "id": "governance",
//!     "name": {"fr": "Gouvernance et stratégie", "en": "Governance and strategy"},
//!     "levels": [                                  // exactly levels 1..=5, in order
//!       {"level": 1, "name": {"fr": "Fondations", "en": "Foundation"},   // name optional
//!        "criteria": [{                            // at least one per level
//!          "id": "gov.1.adopted",                  // unique in the whole grid
//!          "points": 3,                            // positive integer
//!          "text": {"fr": "…", "en": "…"},
//!          "evidence": {"fr": "…", "en": "…"},     // what the assessor expects to see
//!          "rule": {"indicator": "social", "basis": "count", "year_offset": -1,
//!                   "op": "ge", "threshold": "0.3"}   // optional, see Rule
//!        }]},
//!       …
//!     ]
//!   }]
//! }
//! ```
//!
//! Rules refer to the standard indicators (`social`, `environmental`, `reserved`,
//! `innovative`: [`Indicator::standard`](crate::Indicator::standard)), to indicators the grid
//! declares, to the standard fact `programme_coverage` or to facts the grid declares; anything
//! else is rejected when the grid is loaded. Thresholds are shares written as strings.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use spaser::{Amount, Coverage, Dimension, Instrument, Purchase};
//! use spaser::maturity::{actions, score_with, Assessment, Evidence, Grid, Origin, ScoreOptions, Source};
//!
//! let grid = Grid::spaser();
//! let assessment = Assessment::from_json(include_str!("../data/maturity_sample_assessment.json"))?;
//!
//! // Contracts notified in 2025 (e.g. read from DECP): one in two carries a social clause.
//! let d = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
//! let social = [Coverage::whole(Dimension::Social, Instrument::ExecutionClause)];
//! let mut a = Purchase::new(d, Amount::from_euros(250_000));
//! a.considerations = &social;
//! let b = Purchase::new(d, Amount::from_euros(90_000));
//! let evidence = Evidence::new().with_purchases(Source::Actuals, grid, [a, b]);
//!
//! let card = score_with(grid, &assessment, &evidence, &ScoreOptions::default())?;
//! let r = card.criterion("meas.2.social15").unwrap();
//! assert_eq!(r.origin, Origin::Automatic);
//! assert!(r.is_met());
//! assert!(card.score.is_some());
//! let next = actions(grid, &card)?;
//! assert!(!next.is_empty());
//! # Ok::<(), spaser::Error>(())
//! ```
//!
//! # README tour
//!
//! The example of the README's "Maturity" section (kept equal by `tests/readme.rs`):
//!
//! ```
//! use spaser::maturity::{actions, score_with, Assessment, Evidence, Grid, ScoreOptions, Source};
//!
//! let grid = Grid::spaser();
//! let assessment = Assessment::from_json(r#"{"grid": "spaser-maturity", "date": "2026-11-15",
//!   "assessor": "DCP", "answers": [
//!     {"criterion": "gov.1.adopted", "status": "met", "evidence": ["délibération 2024-117"]},
//!     {"criterion": "gov.1.scope", "status": "partly", "share": "0.5"},
//!     {"criterion": "gov.5.pooled", "status": "not_applicable", "reason": "no partner"}]}"#)?;
//! let purchases: Vec<spaser::Purchase> = Vec::new(); // e.g. contracts read from DECP
//! let evidence = Evidence::new().with_purchases(Source::Actuals, grid, purchases);
//! let card = score_with(grid, &assessment, &evidence, &ScoreOptions::default())?;
//! assert_eq!(card.theme("governance").map(|t| t.level), Some(0));
//! let next = actions(grid, &card)?;
//! assert_eq!(next[0].criterion, "gov.1.scope"); // 2 points, the largest unmet at level 1
//! # Ok::<(), spaser::Error>(())
//! ```

mod assessment;
mod buyer;
mod grid;
mod plan;
mod rule;
mod score;
mod text;

pub use assessment::{Answer, Assessment, Status};
pub use grid::{Criterion, FactDef, Grid, GridData, LEVELS, Level, Text, Theme};
pub use plan::{Action, Progress, ThemeProgress, actions, progress};
pub use rule::{
    Comparison, DataGap, Evaluation, Evidence, FACT_PROGRAMME_COVERAGE, Figure, Linear, Outcome,
    Rule, STANDARD_FACTS, Scope, Source,
};
pub use score::{
    CriterionResult, Origin, RadarPoint, ScoreOptions, Scorecard, StarThresholds, ThemeScore,
    score, score_with,
};
