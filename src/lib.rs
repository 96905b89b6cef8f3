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
    Assignment, DEFAULT_SHORTFALL_WEIGHT, LeverNote, Lock, LockKind, ObligationCoverage, Plan,
    PlanFinding, PlanOptions, Planner, PlanningProblem, ProblemClass, ProblemOption, Solution,
    SolverOptions, TargetResult, UnmetCause, UnmetTarget,
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
