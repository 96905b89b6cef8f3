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
//! assert!(plan.effort.bound.is_some_and(|b| b <= plan.effort.value));
//! assert_eq!(plan.shortfall.gap, Some(0.0)); // the least weighted shortfall, proven
//! let report = plan.to_markdown(); // the technical report, in English
//! assert!(report.starts_with("# SPASER"));
//! let document = plan.document(programme, spaser::Lang::Fr)?; // what the buyer publishes
//! assert!(document.to_html().contains("<html lang=\"fr\">"));
//! # Ok::<(), spaser::Error>(())
//! ```
//!
//! ## Overview
//!
//! | step | folder of `src/` | types |
//! |---|---|---|
//! | value types | `values` | [`Amount`], [`Share`], [`CpvCode`], [`Siret`], [`Period`], [`Nature`], [`Confidence`], [`BuyerKind`] |
//! | considerations and codes | `vocabulary` | [`Dimension`], [`Instrument`], [`Consideration`]; DECP, eForms and OCDS codes; [`AgecCategory`] |
//! | rendering | `render` | [`Messages`] (the fr/en message catalogue, in a [`Lang`]); French numbers and dates, SVG charts, Markdown and HTML |
//! | indicators | `indicators` | [`IndicatorEngine`] over [`Purchase`]s → [`IndicatorTable`] of [`Measure`]s |
//! | rules | `law` | [`Rulebook`] (thresholds and obligations, [`Confidence`] `V`/`S`/`?`), [`PurchaseContext`], [`ObligationEngine`] → [`Finding`] |
//! | purchasing programme | `programme` | [`Programme`], [`PlanLine`], [`Buyer`]; [`Programme::estimate`] → [`Estimation`], [`Procedure`]; [`Calendar`] |
//! | levers | `levers` | [`Catalogue`], [`Lever`], insertion hours |
//! | actuals | `decp` | [`decp`]: lenient streaming DECP readers, writer, realised indicators |
//! | life-cycle cost | `lcc` | [`lcc`]: offers, LCC by item and year, scores (R2152-9, R2152-10) |
//! | sourcing | `sourcing` | [`sourcing`]: supplier directory → market capacity per line → ladder of levers, planner availability, innovative routes, sourcing sheets |
//! | plan | `plan` | [`Targets`], [`Planner`] → [`Plan`] (JSON, Markdown, LP export) |
//! | declarations | `declarations` | [`declarations`]: AGEC art. 58 and EGalim yearly tables, the forward plan published to suppliers |
//! | maturity | `maturity` | [`maturity`]: grid, assessment, score, automatic criteria, actions |
//! | follow-up | `followup` | [`followup`]: plan ↔ award linking, planned against actual, landing forecast, yearly review |
//! | document | `document` | [`document`]: the SPASER document and the prescriber sheets, in [`Lang::Fr`] or [`Lang::En`] |
//!
//! Each folder imports only from the folders above it in this table (`tests/layers.rs` checks
//! it). Dates are `chrono::NaiveDate` (chrono 0.4, the field's standard).
//!
//! ## Cookbook
//!
//! - *Read a French spreadsheet export*: [`Programme::from_csv`] (delimiter, BOM, decimal comma,
//!   `€`, `dd/mm/yyyy`, `oui/non`; errors name line, column and value).
//! - *Use your own thresholds or a newer rulebook*: [`Rulebook::from_json`].
//! - *Measure what was really done*: `spaser::decp::indicators(file, spaser::decp::Actuals::new())`.
//! - *Follow the plan*: [`followup::link`] the programme to the buyer's DECP contracts, then
//!   [`followup::review`] the year or [`followup::forecast`] where it will land.
//! - *Publish the SPASER and brief the prescribing services*: [`Plan::document`], then
//!   `to_html()`, `to_markdown()` with `charts()`, `to_json()`, and `sheets()`.
//! - *Check a plan with another solver*: write the LP of `Planner::problem` and solve it with
//!   HiGHS, CBC or Gurobi; its optimum is the plan's `objective`.
//! - *Know who can supply a purchase before choosing its levers*:
//!   `spaser::sourcing::Capacity::compute(programme, directory, options)`, then
//!   `Recommendations::compute` (the sourcing ladder) and `SourcingPlan::build` (sheets).
//!
//! No lever of the embedded catalogue favours local suppliers: a preference for local
//! operators is unlawful in French public procurement. Sourcing looks for suppliers where a
//! purchase is performed only to judge which levers are realistic; nothing it recommends rests
//! on a supplier's location.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod indicators;
mod law;
mod levers;
mod plan;
mod programme;
mod render;
mod util;
mod values;
mod vocabulary;

pub mod declarations;
pub mod decp;
pub mod document;
pub mod followup;
pub mod lcc;
pub mod maturity;
pub mod sourcing;

pub use error::{Error, ErrorKind, Result};
pub use indicators::{
    Basis, Coverage, Dimensions, GroupBy, Indicator, IndicatorEngine, IndicatorRow, IndicatorTable,
    Measure, Purchase, PurchaseFilter, STANDARD_ENVIRONMENTAL, STANDARD_INNOVATIVE,
    STANDARD_RESERVED, STANDARD_SOCIAL,
};
pub use law::context::{
    AwardCriterion, CriterionKind, NoCompetitionCase, PurchaseContext, ReservedArticle,
    SocialExemption, SocialExemptionCase,
};
pub use law::in_force::RulesInForce;
pub use law::innovation::{InnovationArticle, InnovationRule, InnovationRules};
pub use law::obligation_rules::{
    Agec2021Line, Agec2021Table, AgecRate, AgecTable, ArticleLevel, ContractRule, DatedArticle,
    EgalimRule, EgalimShare, ObligationId, ObligationRules, RateCell, ReservedRule, SpaserBasis,
    SpaserRule,
};
pub use law::obligations::{AgecSpend, Finding, FindingKind, FoodSpend, ObligationEngine, Status};
pub use law::procedure::Procedure;
pub use law::rulebook::{DatedThreshold, ProcedureArticles, Rulebook, ThresholdEntry};
pub use levers::lever::{
    Ambition, Applicability, Applicable, Catalogue, Effort, ExclusiveGroup, InsertionParams,
    InsertionTotals, LabourShare, Lever, MAX_EFFORT_DAYS, Prerequisite, RoundedInsertionTotals,
    Wording, round_up_hours,
};
pub use plan::options_file::PlanningOptions;
pub use plan::planner::{
    Assignment, CoverageStatus, DEFAULT_SHORTFALL_WEIGHT, LeverNote, LeverReason, Lock, LockKind,
    ObligationCoverage, Plan, PlanFinding, PlanOptions, Planner, PlanningProblem, ProblemClass,
    ProblemOption, Solution, SolverOptions, TargetResult, UnmetCause, UnmetTarget,
};
pub use plan::planner::{
    BudgetFinding, CapacityFinding, LpObjective, Objective, ObjectivePart, PlanNote, PlanNoteKind,
    Raised, TargetStatus,
};
#[doc(hidden)]
pub use plan::planner::{synthetic_programme, synthetic_targets};
pub use plan::targets::{Target, Targets};
pub use programme::calendar::{Calendar, CalendarEntry, LeadTimes};
pub use programme::columns::ColumnMap;
pub use programme::estimate::{
    EstimateOptions, EstimateWarning, Estimation, GroupEstimate, GroupKind, LineEstimate,
    WarningKind,
};
pub use programme::model::{
    Buyer, Intermediary, IntermediaryKind, LineStatus, Lot, PlanLine, Programme,
};
pub use programme::read::{
    FileFormat, ProgrammeRead, ReadOptions, ReadWarning, ReadWarningKind, RowCounts, RowError,
};
pub use render::messages::{Message, Messages};
pub use values::buyer_kind::{BuyerKind, BuyerStatus};
pub use values::confidence::Confidence;
pub use values::cpv::CpvCode;
pub use values::date::{
    EARLIEST_YEAR, LATEST_YEAR, check_plausible_date, parse_date, plausible_date,
};
pub use values::lang::Lang;
pub use values::money::{Amount, ConventionVotes, NumberConvention, NumberReading};
pub use values::nature::Nature;
pub use values::period::Period;
pub use values::place::Departement;
pub use values::share::Share;
pub use values::siret::Siret;
pub use vocabulary::agec::{AgecCategory, AgecMatch, FoodKind};
pub use vocabulary::codes::{
    EnvironmentalImpact, Goal, GppCriteria, InnovativeAcquisition, OcdsSustainability,
    ReservedProcurement, SocialObjective, StrategicProcurement, Strategy,
};
pub use vocabulary::consideration::{Consideration, decp_none};
pub use vocabulary::dimension::{Dimension, Instrument};

/// Every Rust block of the README is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
