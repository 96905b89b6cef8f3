//! # spaser
//!
//! Plan sustainable public purchasing in France: the buyer's purchasing programme with the
//! procedure each purchase needs, the social and environmental levers, the legal rules that
//! apply on a date (each with its article), the targets of a SPASER (*schéma de promotion des
//! achats socialement et écologiquement responsables*) and the indicators that measure them,
//! planned or realised.
//!
//! Money is exact ([`Amount`], euros HT, `Decimal`), shares are exact ([`Share`]), every legal
//! figure lives in dated data with its article and confidence, and one [`IndicatorEngine`]
//! computes every share of the crate.
//!
//! ## Quick example: the SPASER plan of a programme
//!
//! ```
//! use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
//!
//! let programme = Programme::sample(); // or Programme::from_csv(bytes, buyer)?
//! let rulebook = Rulebook::embedded(); // dated thresholds and obligations, each with its article
//! let estimation = programme.estimate(rulebook)?; // group values and procedures
//! assert_eq!(estimation.lines.len(), programme.lines.len());
//!
//! let targets = Targets::defaults_for(programme, rulebook); // PNAD, AGEC, EGalim
//! let plan = Planner::new(Catalogue::embedded(), rulebook)
//!     .plan(programme, &targets, &PlanOptions::default())?;
//! assert!(plan.objective >= plan.lower_bound);
//! let report = plan.to_markdown(); // the publication-ready SPASER document
//! assert!(report.starts_with("# SPASER"));
//! # Ok::<(), spaser::Error>(())
//! ```
//!
//! ## Overview
//!
//! | step | types |
//! |---|---|
//! | value types | [`Amount`], [`Share`], [`CpvCode`], [`Siret`], [`Period`], [`Nature`] |
//! | considerations and codes | [`Dimension`], [`Instrument`], [`Consideration`]; DECP, eForms and OCDS codes |
//! | purchasing programme | [`Programme`], [`PlanLine`], [`Buyer`]; [`Programme::estimate`] → [`Estimation`], [`Procedure`]; [`Calendar`] |
//! | rules | [`Rulebook`] (thresholds and obligations, [`Confidence`] `V`/`S`/`?`), [`ObligationEngine`] → [`Finding`] |
//! | levers | [`Catalogue`], [`Lever`], insertion hours, [`AgecCategory`] |
//! | indicators | [`IndicatorEngine`] over [`Purchase`]s → [`IndicatorTable`] of [`Measure`]s |
//! | plan | [`Targets`], [`Planner`] → [`Plan`] (JSON, Markdown, LP export) |
//! | actuals | [`decp`]: lenient streaming DECP readers, writer, realised indicators |
//! | maturity | [`maturity`]: grid, assessment, score, automatic criteria, actions |
//!
//! ## Cookbook
//!
//! - *Read a French spreadsheet export*: [`Programme::from_csv`] (delimiter, BOM, decimal comma,
//!   `€`, `dd/mm/yyyy`, `oui/non`; errors name line, column and value).
//! - *Use your own thresholds or a newer rulebook*: [`Rulebook::from_json`].
//! - *Measure what was really done*: `spaser::decp::indicators(file, spaser::decp::Actuals::new())`.
//! - *Check a plan with another solver*: write the LP of `Planner::problem` and solve it with
//!   HiGHS, CBC or Gurobi; its optimum is the plan's `objective`.
//!
//! No lever of the embedded catalogue favours local suppliers: a preference for local
//! operators is unlawful in French public procurement.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod agec;
mod calendar;
mod codes;
mod consideration;
mod context;
mod cpv;
pub mod decp;
mod error;
mod estimate;
mod indicators;
mod lever;
pub mod maturity;
mod money;
mod nature;
mod obligation_rules;
mod obligations;
mod period;
mod planner;
mod programme;
mod programme_csv;
mod report;
mod rules;
mod share;
mod shared;
mod siret;
mod targets;

pub use agec::{AgecCategory, AgecMatch, FoodKind};
pub use calendar::{Calendar, CalendarEntry, LeadTimes};
pub use codes::{
    EnvironmentalImpact, Goal, GppCriteria, InnovativeAcquisition, OcdsSustainability,
    ReservedProcurement, SocialObjective, StrategicProcurement, Strategy,
};
pub use consideration::{Consideration, Dimension, Instrument, decp_none};
pub use context::{
    AwardCriterion, CriterionKind, PurchaseContext, ReservedArticle, SocialExemption,
    SocialExemptionCase,
};
pub use cpv::CpvCode;
pub use error::{Error, ErrorKind, Result};
pub use estimate::{
    EstimateOptions, EstimateWarning, Estimation, GroupEstimate, GroupKind, LineEstimate,
    Procedure, WarningKind,
};
pub use indicators::{
    Basis, Coverage, Dimensions, GroupBy, Indicator, IndicatorEngine, IndicatorRow, IndicatorTable,
    Measure, Purchase, PurchaseFilter, STANDARD_ENVIRONMENTAL, STANDARD_INNOVATIVE,
    STANDARD_RESERVED, STANDARD_SOCIAL,
};
pub use lever::{
    Ambition, Applicability, Applicable, Catalogue, Effort, InsertionParams, InsertionTotals,
    LabourShare, Lever, RoundedInsertionTotals, round_up_hours,
};
pub use money::Amount;
pub use nature::Nature;
pub use obligation_rules::{
    Agec2021Line, Agec2021Table, AgecRate, AgecTable, ArticleLevel, BuyerStatus, ContractRule,
    DatedArticle, EgalimRule, EgalimShare, ObligationId, ObligationRules, RateCell, ReservedRule,
    SpaserBasis, SpaserRule,
};
pub use obligations::{AgecSpend, Finding, FindingKind, FoodSpend, ObligationEngine, Status};
pub use period::Period;
pub use planner::{
    Assignment, CoverageStatus, DEFAULT_SHORTFALL_WEIGHT, LeverNote, Lock, LockKind,
    ObligationCoverage, Plan, PlanFinding, PlanOptions, Planner, PlanningProblem, ProblemClass,
    ProblemOption, Solution, SolverOptions, TargetResult, UnmetCause, UnmetTarget,
};
#[doc(hidden)]
pub use planner::{synthetic_programme, synthetic_targets};
pub use programme::{Buyer, BuyerKind, PlanLine, Programme};
pub use rules::{Confidence, ProcedureArticles, Rulebook, ThresholdEntry};
pub use share::Share;
pub use shared::{SharedSlice, SharedStr};
pub use siret::Siret;
pub use targets::{Target, Targets};

/// Every Rust block of the README is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
