//! The planner on the crate's types: programme, catalogue, rulebook and targets in, [`Plan`]
//! out.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{
    Basis, Coverage, GroupBy, Indicator, IndicatorEngine, IndicatorTable, Measure, Purchase,
};
use crate::law::context::PurchaseContext;
use crate::law::obligation_rules::ObligationId;
use crate::law::obligations::{Finding, FindingKind, ObligationEngine, Status};
use crate::law::rulebook::Rulebook;
use crate::levers::lever::{Catalogue, Lever, Wording, round_up_hours};
use crate::plan::targets::{Target, Targets};
use crate::programme::model::{PlanLine, Programme};
use crate::sourcing::availability::{LeverAvailability, UnavailableLever, Verdict};
use crate::util::hash::FastMap;
use crate::values::buyer_kind::BuyerKind;
use crate::values::money::Amount;
use crate::values::share::Share;
use crate::vocabulary::agec::{AgecCategory, FoodKind};
use crate::vocabulary::dimension::{Dimension, Instrument};

use super::compiled::{Infeasibility, infeasible_class};
use super::problem::{
    DEFAULT_SHORTFALL_WEIGHT, Objective, PlanningProblem, ProblemClass, ProblemOption,
};
use super::solve::{Solution, SolverOptions, rel_gap};

/// Force or forbid a lever on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockKind {
    /// The lever must be on the line.
    Force,
    /// The lever must not be on the line.
    Forbid,
}

/// A lock: a lever forced on or forbidden from a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Lock {
    /// Line id.
    pub line: String,
    /// Lever id.
    pub lever: String,
    /// Force or forbid.
    pub kind: LockKind,
}

/// Options of [`Planner::plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    capacity: BTreeMap<i32, Decimal>,
    default_capacity: Option<Decimal>,
    service_capacity: BTreeMap<(String, i32), Decimal>,
    service_default_capacity: BTreeMap<String, Decimal>,
    max_levers: Option<usize>,
    locks: Vec<Lock>,
    budget: Option<Decimal>,
    objective: Objective,
    weight: f64,
    solver: SolverOptions,
    sourcing: Option<LeverAvailability>,
}

impl Default for PlanOptions {
    /// No insertion capacity limit, no maximum of levers per line, no lock, no budget, the
    /// lexicographic objective (law, then the least weighted shortfall, then the least effort),
    /// the default shortfall weight of the weighted objective ([`DEFAULT_SHORTFALL_WEIGHT`]
    /// person-days per point) and the default solver options.
    fn default() -> PlanOptions {
        PlanOptions {
            capacity: BTreeMap::new(),
            default_capacity: None,
            service_capacity: BTreeMap::new(),
            service_default_capacity: BTreeMap::new(),
            max_levers: None,
            locks: Vec::new(),
            budget: None,
            objective: Objective::Lexicographic,
            weight: DEFAULT_SHORTFALL_WEIGHT,
            solver: SolverOptions::default(),
            sourcing: None,
        }
    }
}

impl PlanOptions {
    /// Insertion hours the facilitator can place in `year`.
    pub fn capacity(mut self, year: i32, hours: Decimal) -> PlanOptions {
        self.capacity.insert(year, hours);
        self
    }

    /// Insertion hours per year for every year without its own capacity.
    pub fn capacity_every_year(mut self, hours: Decimal) -> PlanOptions {
        self.default_capacity = Some(hours);
        self
    }

    /// Insertion hours the facilitator of prescribing service `service` can place in `year`
    /// (counted besides the year's capacity).
    pub fn service_capacity(mut self, service: &str, year: i32, hours: Decimal) -> PlanOptions {
        self.service_capacity
            .insert((service.to_string(), year), hours);
        self
    }

    /// Insertion hours per year for prescribing service `service`, for every year without its
    /// own [`PlanOptions::service_capacity`].
    pub fn service_capacity_every_year(mut self, service: &str, hours: Decimal) -> PlanOptions {
        self.service_default_capacity
            .insert(service.to_string(), hours);
        self
    }

    /// What the planner optimises: [`Objective::Lexicographic`] (default) or
    /// [`Objective::Weighted`] (effort + [`PlanOptions::shortfall_weight`] × shortfall).
    pub fn objective(mut self, objective: Objective) -> PlanOptions {
        self.objective = objective;
        self
    }

    /// Most levers on one line.
    pub fn max_levers_per_line(mut self, n: usize) -> PlanOptions {
        self.max_levers = Some(n);
        self
    }

    /// The levers the market's capacity makes available or not on each line (see
    /// [`LeverAvailability`](crate::sourcing::LeverAvailability)): a lever it makes
    /// unavailable is not planned on that line (a lock forcing it still wins) and is listed in
    /// [`Plan::unavailable`] with the capacity figures; the levers planned cite those figures in
    /// their reasons.
    ///
    /// ```
    /// use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
    /// use spaser::sourcing::{Capacity, Directory, LeverAvailability, SourcingOptions};
    /// let programme = Programme::sample();
    /// let rules = Rulebook::embedded();
    /// let sourcing = SourcingOptions::default().departement("49".parse()?);
    /// let capacity = Capacity::compute(programme, Directory::sample(), &sourcing);
    /// let available = LeverAvailability::compute(programme, &capacity, Catalogue::embedded(), &sourcing)?;
    /// let plan = Planner::new(Catalogue::embedded(), rules).plan(
    ///     programme,
    ///     &Targets::defaults_for(programme, rules),
    ///     &PlanOptions::default().sourcing(available),
    /// )?;
    /// assert!(plan.unavailable.iter().any(|u| u.lever == "reserved-l2113-12"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn sourcing(mut self, availability: LeverAvailability) -> PlanOptions {
        self.sourcing = Some(availability);
        self
    }

    /// Adds a lock.
    pub fn lock(mut self, lock: Lock) -> PlanOptions {
        self.locks.push(lock);
        self
    }

    /// Effort budget over the whole plan, person-days.
    pub fn effort_budget(mut self, person_days: Decimal) -> PlanOptions {
        self.budget = Some(person_days);
        self
    }

    /// Shortfall weight of the weighted objective: person-days per percentage point of a
    /// target's denominator (times the target's priority).
    pub fn shortfall_weight(mut self, weight_per_point: f64) -> PlanOptions {
        self.weight = weight_per_point;
        self
    }

    /// Solver options.
    pub fn solver(mut self, solver: SolverOptions) -> PlanOptions {
        self.solver = solver;
        self
    }

    fn capacity_of(&self, year: i32) -> Option<Decimal> {
        self.capacity.get(&year).copied().or(self.default_capacity)
    }

    fn service_capacity_of(&self, service: &str, year: i32) -> Option<Decimal> {
        self.service_capacity
            .get(&(service.to_string(), year))
            .or_else(|| self.service_default_capacity.get(service))
            .copied()
    }

    /// The services with a capacity in some year.
    fn capacity_services(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .service_capacity
            .keys()
            .map(|(s, _)| s.as_str())
            .chain(self.service_default_capacity.keys().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The levers planned on one line and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assignment {
    /// Line id.
    pub line: String,
    /// Launch year.
    pub year: i32,
    /// Family or operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Lever ids, in catalogue order.
    pub levers: Vec<String>,
    /// Person-days for these levers on this line (exact).
    #[serde(with = "rust_decimal::serde::str")]
    pub effort_days: Decimal,
    /// Insertion hours these levers create (exact).
    #[serde(with = "rust_decimal::serde::str")]
    pub insertion_hours: Decimal,
    /// One reason per lever: the obligation it meets, the targets it serves, the lock.
    pub reasons: Vec<String>,
    /// The same reasons as data, one per lever in the order of `levers` (for documents in
    /// any language).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<LeverReason>,
}

/// Why a plan puts a lever on a line, as data: the obligations it meets, the targets it
/// serves in the line's year, whether a lock forced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeverReason {
    /// Lever id.
    pub lever: String,
    /// Forced on by a lock.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
    /// The obligations of the line it meets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<ObligationId>,
    /// The targets it counts towards in the line's year, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// What the market's capacity says of it on this line, with the figures in French and
    /// English ([`PlanOptions::sourcing`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Verdict>,
}

/// A target in one year: goal and projection, computed by the indicator engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TargetResult {
    /// Target id.
    pub id: String,
    /// Target label.
    pub label: String,
    /// Source of the target.
    pub source: String,
    /// Year.
    pub year: i32,
    /// Basis.
    pub basis: Basis,
    /// Goal share.
    pub goal: Share,
    /// Projected share (`None` for an empty scope).
    pub projected: Option<Share>,
    /// Projected share on the other basis (for the report's "by count and by value").
    pub projected_other_basis: Option<Share>,
    /// Whether the projection reaches the goal (never for a year with no purchase in scope).
    pub met: bool,
    /// Met, unmet, or no purchase planned in scope that year.
    #[serde(default)]
    pub status: TargetStatus,
    /// Priority: the weight of a point of its shortfall in the plan's total shortfall.
    #[serde(default = "one_decimal", with = "rust_decimal::serde::str")]
    pub priority: Decimal,
    /// What is missing, in purchases (count basis) or euros HT (value basis); exact.
    #[serde(with = "rust_decimal::serde::str")]
    pub shortfall: Decimal,
    /// Numerator and denominator.
    pub measure: Measure,
}

fn one_decimal() -> Decimal {
    Decimal::ONE
}

/// Where a target stands in a year.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TargetStatus {
    /// The projection reaches the goal.
    Met,
    /// The projection falls short of the goal.
    #[default]
    Unmet,
    /// No purchase of the programme falls in the target's scope that year: nothing to
    /// measure (never "met").
    NoPurchaseInScope,
}

impl TargetStatus {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::Unmet => "unmet",
            TargetStatus::NoPurchaseInScope => "no_purchase_in_scope",
        }
    }
}

/// Why a target is not reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnmetCause {
    /// Even every applicable lever on every line in scope would not reach it.
    TooFewEligibleLines,
    /// Levers forbidden by locks would have been needed.
    Locks,
    /// The insertion capacity of the year is used up.
    Capacity,
    /// The effort budget is used up.
    Budget,
    /// Lines in scope already carry the maximum number of levers.
    MaxLevers,
    /// The effort of the remaining levers outweighs the shortfall at the chosen weight
    /// (weighted objective).
    ShortfallWeight,
    /// Reaching it would leave a larger weighted shortfall on other targets (they compete for
    /// the same capacity, budget or lines).
    OtherTargets,
    /// No purchase of the programme falls in its scope that year.
    NoPurchaseInScope,
}

/// A target not reached in a year, with its cause and what would reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnmetTarget {
    /// Target id.
    pub id: String,
    /// Year.
    pub year: i32,
    /// Shortfall in purchases or euros HT.
    #[serde(with = "rust_decimal::serde::str")]
    pub shortfall: Decimal,
    /// Cause.
    pub cause: UnmetCause,
    /// What would reach it.
    pub remedy: String,
}

/// A legal obligation of a line and how the plan meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObligationCoverage {
    /// Line id.
    pub line: String,
    /// Obligation.
    pub obligation: ObligationId,
    /// Article.
    pub article: String,
    /// `met` (already, or by a planned lever), `no_applicable_lever`, or the engine's status
    /// (`missing`, `not_applicable`, `exempted`, `unknown`).
    pub status: CoverageStatus,
    /// The levers that meet it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<String>,
}

/// How a plan covers an obligation of a line ([`ObligationCoverage::status`]); serialized in
/// snake_case (`"met"`, `"no_applicable_lever"`…) and comparable with those strings.
///
/// ```
/// use spaser::CoverageStatus;
/// assert_eq!(CoverageStatus::NoApplicableLever, "no_applicable_lever");
/// assert_eq!(serde_json::to_string(&CoverageStatus::Met).unwrap(), "\"met\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CoverageStatus {
    /// Met already, or by a planned lever.
    Met,
    /// Missing: a lever could meet it but none is planned.
    Missing,
    /// Missing and no applicable lever of the catalogue meets it.
    NoApplicableLever,
    /// The rule does not apply to the line.
    NotApplicable,
    /// An exception is recorded.
    Exempted,
    /// Cannot be decided (a threshold, a rate or a fact is not established).
    Unknown,
}

impl CoverageStatus {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            CoverageStatus::Met => "met",
            CoverageStatus::Missing => "missing",
            CoverageStatus::NoApplicableLever => "no_applicable_lever",
            CoverageStatus::NotApplicable => "not_applicable",
            CoverageStatus::Exempted => "exempted",
            CoverageStatus::Unknown => "unknown",
        }
    }
}

impl From<Status> for CoverageStatus {
    fn from(s: Status) -> CoverageStatus {
        match s {
            Status::Met => CoverageStatus::Met,
            Status::Missing => CoverageStatus::Missing,
            Status::NotApplicable => CoverageStatus::NotApplicable,
            Status::Exempted => CoverageStatus::Exempted,
            Status::Unknown => CoverageStatus::Unknown,
        }
    }
}

impl fmt::Display for CoverageStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for CoverageStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CoverageStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A finding of the plan: an obligation no lever of the catalogue can meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanFinding {
    /// Line id.
    pub line: String,
    /// Obligation.
    pub obligation: ObligationId,
    /// Article.
    pub article: String,
    /// Message.
    pub message: String,
}

/// A SPASER plan: levers per line, projected indicators, obligations, insertion hours, unmet
/// targets, and the optimisation figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Plan {
    /// Buyer name.
    pub buyer: String,
    /// Buyer kind.
    pub buyer_kind: BuyerKind,
    /// Whether the buyer must adopt a SPASER and why (largest annual programme value vs the
    /// threshold of D2111-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spaser: Option<Finding>,
    /// The value of the objective optimised last: the total effort (lexicographic objective),
    /// or effort + shortfall weight × weighted shortfall (weighted objective).
    pub objective: f64,
    /// Total effort of the plan, person-days (as optimised).
    pub total_effort: f64,
    /// Proven lower bound on [`Plan::objective`].
    pub lower_bound: f64,
    /// Relative gap of [`Plan::objective`] (the effort gap under the lexicographic objective;
    /// never a mix of shortfall and effort there).
    pub gap: f64,
    /// Shortfall weight of the weighted objective, person-days per percentage point.
    pub shortfall_weight: f64,
    /// What was optimised.
    #[serde(default)]
    pub objective_mode: Objective,
    /// Weighted shortfall on the targets: Σ priority × points missing, with its proven bound.
    #[serde(default)]
    pub shortfall: ObjectivePart,
    /// Effort, person-days, with its proven bound (among plans of at most this shortfall).
    #[serde(default)]
    pub effort: ObjectivePart,
    /// Lines with at least one lever, in programme order.
    pub assignments: Vec<Assignment>,
    /// Targets per year.
    pub targets: Vec<TargetResult>,
    /// Unmet targets.
    pub unmet: Vec<UnmetTarget>,
    /// Standard indicators projected (by year, family and service).
    pub projected: IndicatorTable,
    /// Insertion hours per year, rounded up to whole hours.
    pub insertion_hours: BTreeMap<i32, u64>,
    /// Insertion capacity per year, when set.
    pub capacity_hours: BTreeMap<i32, String>,
    /// Obligations per line.
    pub obligations: Vec<ObligationCoverage>,
    /// Findings (obligations without an applicable lever).
    pub findings: Vec<PlanFinding>,
    /// Capacities below the insertion hours the obligations force: raised for the plan, with
    /// the hours missing, the lines concerned and the remedies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capacity_findings: Vec<CapacityFinding>,
    /// An effort budget below what the obligations need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_finding: Option<BudgetFinding>,
    /// Notes on the plan as a whole (an empty programme, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<PlanNote>,
    /// The levers the plan uses, by id: what each is and its legal basis (for the report).
    #[serde(default)]
    pub levers: BTreeMap<String, LeverNote>,
    /// The targets the plan was computed for (dimension, instruments, scope), in their order:
    /// what documents describe.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_definitions: Vec<Target>,
    /// Levers that applied to a line but that the market's capacity ruled out
    /// ([`PlanOptions::sourcing`]), with the figures, by line then lever.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<UnavailableLever>,
}

/// One part of the lexicographic objective: its value in the plan and its proven lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObjectivePart {
    /// Value in the plan (points of weighted shortfall, or person-days).
    pub value: f64,
    /// Proven lower bound (`None` when not computed: weighted objective, external solution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    /// Relative gap `(value − bound) / value` (0 when proven optimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
}

impl ObjectivePart {
    fn new(value: f64, bound: Option<f64>) -> ObjectivePart {
        let value = round6(value);
        let bound = bound.map(|b| round6(b.min(value)));
        ObjectivePart {
            value,
            bound,
            gap: bound.map(|b| round6(rel_gap(value, b))),
        }
    }
}

/// A capacity below the insertion hours the obligations force (law comes first: the plan
/// still meets them, and says what is missing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CapacityFinding {
    /// Year.
    pub year: i32,
    /// Prescribing service (`None`: the year's capacity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The capacity given, hours.
    pub capacity_hours: String,
    /// The hours the obligations force, rounded up.
    pub needed_hours: u64,
    /// Hours missing (needed − capacity), rounded up.
    pub missing_hours: u64,
    /// The lines whose obligations no lever without insertion hours meets.
    pub lines: Vec<String>,
    /// What would resolve it.
    pub remedies: Vec<String>,
}

/// An effort budget below what the obligations need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BudgetFinding {
    /// The budget given, person-days.
    pub budget_days: f64,
    /// The least effort the obligations need (with the capacities), person-days.
    pub needed_days: f64,
    /// What would resolve it.
    pub remedies: Vec<String>,
}

/// What a plan-wide note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanNoteKind {
    /// The programme has no line.
    EmptyProgramme,
}

/// A note on the plan as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlanNote {
    /// What it is about.
    pub kind: PlanNoteKind,
    /// Message.
    pub message: String,
}

/// What a lever used by a plan is, for a reader of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeverNote {
    /// English label.
    pub label: String,
    /// French label.
    pub label_fr: String,
    /// Legal basis or reference.
    pub legal_reference: String,
    /// Purchases carrying it.
    pub lines: usize,
    /// Dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<Dimension>,
    /// Instrument.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<Instrument>,
    /// Model wording for the consultation documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<Wording>,
    /// Evidence to ask of the supplier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

impl Plan {
    /// The plan as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (non-finite figures).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("plan: {e}")))
    }
}

/// The levers applicable to a line that the market's capacity ruled out (and no lock forced),
/// by line then lever, with the figures.
fn unavailable(
    programme: &Programme,
    options: &PlanOptions,
    models: &[LineModel],
    levers: &[Lever],
) -> Vec<UnavailableLever> {
    let Some(sourcing) = &options.sourcing else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (line, m) in programme.lines.iter().zip(models) {
        for &k in &m.applicable {
            if m.options.contains(&k) {
                continue;
            }
            if let Some(v) = sourcing
                .verdict(&line.id, &levers[k].id)
                .filter(|v| !v.available)
            {
                out.push(UnavailableLever::new(&line.id, &levers[k].id, v));
            }
        }
    }
    out
}

/// Computes SPASER plans from a lever catalogue and a rulebook.
///
/// ```
/// use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
/// let programme = Programme::sample();
/// let rulebook = Rulebook::embedded();
/// let targets = Targets::defaults_for(programme, rulebook);
/// let plan = Planner::new(Catalogue::embedded(), rulebook)
///     .plan(programme, &targets, &PlanOptions::default())?;
/// assert!(plan.effort.bound.is_some_and(|b| b <= plan.effort.value));
/// assert_eq!(plan.shortfall.gap, Some(0.0)); // the least weighted shortfall, proven
/// assert!(!plan.assignments.is_empty());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Planner<'a> {
    pub(super) catalogue: &'a Catalogue,
    rulebook: &'a Rulebook,
}

/// The contract obligations a lever can meet: dimension and instruments.
fn meets(obligation: ObligationId) -> Option<(Dimension, &'static [Instrument])> {
    match obligation {
        ObligationId::EnvironmentalExecutionCondition => {
            Some((Dimension::Environmental, &[Instrument::ExecutionClause]))
        }
        ObligationId::SocialExecutionCondition => {
            Some((Dimension::Social, &[Instrument::ExecutionClause]))
        }
        ObligationId::EnvironmentalAwardCriterion
        | ObligationId::ConcessionAwardCriteria
        | ObligationId::AperEnvironmentalCriterion => {
            Some((Dimension::Environmental, &[Instrument::AwardCriterion]))
        }
        _ => None,
    }
}

/// An exact key of a class's content (bit patterns of its numbers): lines with equal keys
/// share a class.
fn class_key(c: &ProblemClass) -> Vec<u64> {
    let mut k = Vec::with_capacity(8 + c.rows.len() * 2 + c.options.len() * 8);
    k.push(c.year as u64);
    k.push(c.max_levers.map_or(u64::MAX, |m| m as u64));
    k.push(c.forced.len() as u64);
    k.extend(c.forced.iter().map(|&x| x as u64));
    k.push(c.rows.len() as u64);
    for &(r, b) in &c.rows {
        k.push(r as u64);
        k.push(b.to_bits());
    }
    k.push(c.options.len() as u64);
    for o in &c.options {
        k.push(o.lever as u64);
        k.push(o.effort_base.to_bits());
        k.push(o.effort_per_meur.to_bits());
        k.push(o.hours_per_meur.to_bits());
        k.push(o.covers.len() as u64);
        for &(r, x) in &o.covers {
            k.push(r as u64);
            k.push(x.to_bits());
        }
    }
    k.push(c.obligations.len() as u64);
    for g in &c.obligations {
        k.push(g.len() as u64);
        k.extend(g.iter().map(|&x| x as u64));
    }
    k.push(c.exclusive.len() as u64);
    for g in &c.exclusive {
        k.push(g.len() as u64);
        k.extend(g.iter().map(|&x| x as u64));
    }
    k.push(c.prerequisites.len() as u64);
    for (a, req) in &c.prerequisites {
        k.push(*a as u64);
        k.push(req.len() as u64);
        k.extend(req.iter().map(|&x| x as u64));
    }
    k.push(c.capacities.len() as u64);
    k.extend(c.capacities.iter().map(|&x| x as u64));
    k
}

/// Rounds a figure to 6 decimals for display (the optimisation itself is in `f64`).
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Per line: the catalogue indices of its options, the obligation groups (obligation,
/// article, option indices), the context.
struct LineModel {
    options: Vec<usize>,
    /// Every applicable lever (locks ignored), catalogue indices.
    applicable: Vec<usize>,
    /// Targets whose filter matches the line, ascending.
    scope: Vec<usize>,
    groups: Vec<(ObligationId, String, Vec<usize>)>,
    forced: Vec<usize>,
    ctx: PurchaseContext,
    /// The obligation findings of the line (their `reason` left empty: only statuses,
    /// articles and kinds are read).
    findings: Vec<Finding>,
}

/// `line "A"` or `lines "A", "B", "C" and 2 more`.
fn name_lines(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().take(3).map(|id| format!("\"{id}\"")).collect();
    let more = ids.len().saturating_sub(3);
    match (ids.len(), more) {
        (1, _) => format!("line {}", quoted.join("")),
        (_, 0) => format!("lines {}", quoted.join(", ")),
        _ => format!("lines {} and {more} more", quoted.join(", ")),
    }
}

/// Lever ids, quoted and comma-separated.
fn name_levers(levers: &[Lever], ks: impl IntoIterator<Item = usize>) -> String {
    let ids: Vec<String> = ks
        .into_iter()
        .map(|k| format!("\"{}\"", levers[k].id))
        .collect();
    ids.join(", ")
}

/// The solver's infeasibility error restated with the plan's line ids, the levers and the
/// constraint at fault (the solver only knows class indices).
fn explain(
    levers: &[Lever],
    programme: &Programme,
    models: &[LineModel],
    problem: &PlanningProblem,
    err: Error,
) -> Error {
    if err.kind() != ErrorKind::Inconsistent {
        return err;
    }
    let Ok(Some((ci, why))) = infeasible_class(problem) else {
        return explain_capacity(levers, programme, models, problem, err);
    };
    let members: Vec<usize> = problem
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.class as usize == ci)
        .map(|(li, _)| li)
        .collect();
    let (Some(&first), Some(class)) = (members.first(), problem.classes.get(ci)) else {
        return err;
    };
    let ids: Vec<&str> = members
        .iter()
        .map(|&li| programme.lines[li].id.as_str())
        .collect();
    let who = name_lines(&ids);
    let m = &models[first];
    // class options are indices into the line's options, which are catalogue indices
    let named = |opts: &[usize]| {
        name_levers(
            levers,
            opts.iter().filter_map(|&o| m.options.get(o).copied()),
        )
    };
    let groups: Vec<&(ObligationId, String, Vec<usize>)> =
        m.groups.iter().filter(|g| !g.2.is_empty()).collect();
    let obligations: Vec<String> = groups
        .iter()
        .map(|(id, article, g)| format!("{id} ({article}: {})", named(g)))
        .collect();
    let obligations = if obligations.is_empty() {
        "none".to_string()
    } else {
        obligations.join("; ")
    };
    let locked = if class.forced.is_empty() {
        "none".to_string()
    } else {
        named(&class.forced)
    };
    let msg = match why {
        Infeasibility::TooManyLocks { max } => format!(
            "{who}: {} levers locked on ({locked}) exceed the maximum of {max} levers per line",
            class.forced.len()
        ),
        Infeasibility::LockedCombination => format!(
            "{who}: the locked levers ({locked}) exclude each other or need a lever that \
             cannot be on the line"
        ),
        Infeasibility::TooFewLevers { max } => format!(
            "{who}: the locked levers ({locked}) and the obligations to meet ({obligations}) \
             need more than the maximum of {max} levers per line"
        ),
        Infeasibility::Combined => format!(
            "{who}: no choice of at most {} levers per line meets the locked levers ({locked}), \
             the obligations ({obligations}), the exclusivity groups and the prerequisites of \
             the catalogue",
            class
                .max_levers
                .map_or("any".to_string(), |x| x.to_string())
        ),
    };
    Error::new(ErrorKind::Inconsistent, msg)
}

/// A capacity below the hours of the locked levers alone (a contradiction in the input): the
/// error names the capacity, both figures, the lines and the levers locked on them.
fn explain_capacity(
    levers: &[Lever],
    programme: &Programme,
    models: &[LineModel],
    problem: &PlanningProblem,
    err: Error,
) -> Error {
    let Ok(c) = super::compiled::compile(problem) else {
        return err;
    };
    let locked = problem.locked_hours(&c);
    for (k, (&hours, &cap)) in locked.iter().zip(&c.cap).enumerate() {
        if hours <= cap + 1e-9 * cap.max(1.0) {
            continue;
        }
        let lines: Vec<usize> = (0..problem.lines.len())
            .filter(|&l| {
                c.classes[c.line_class[l] as usize].caps.contains(&k)
                    && !problem.classes[problem.lines[l].class as usize]
                        .forced
                        .is_empty()
                    && problem.classes[problem.lines[l].class as usize]
                        .forced
                        .iter()
                        .any(|&o| {
                            problem.classes[problem.lines[l].class as usize].options[o]
                                .hours_per_meur
                                > 0.0
                        })
            })
            .collect();
        let ids: Vec<&str> = lines
            .iter()
            .map(|&l| programme.lines[l].id.as_str())
            .collect();
        let mut locked_levers: Vec<usize> = lines
            .iter()
            .flat_map(|&l| models[l].forced.iter().map(move |&o| models[l].options[o]))
            .filter(|&k| levers[k].insertion.is_some())
            .collect();
        locked_levers.sort_unstable();
        locked_levers.dedup();
        let what = problem.cap_label(k);
        let on = format!(
            "{} on {}",
            name_levers(levers, locked_levers),
            name_lines(&ids)
        );
        let msg = if cap <= 0.0 {
            format!("{what} is 0 hours, but the locked levers need insertion hours ({on})")
        } else {
            format!(
                "{what}: {cap:.0} hours is below the {hours:.0} hours of the locked levers ({on})"
            )
        };
        return Error::new(ErrorKind::Inconsistent, msg);
    }
    err
}

impl<'a> Planner<'a> {
    /// A planner over a catalogue and a rulebook.
    pub fn new(catalogue: &'a Catalogue, rulebook: &'a Rulebook) -> Planner<'a> {
        Planner {
            catalogue,
            rulebook,
        }
    }

    /// Plans `programme` for `targets`: levers per line meeting every obligation that an
    /// applicable lever can meet, the locks, the exclusivity groups and prerequisites of the
    /// catalogue, then (lexicographic objective, the default) the least weighted shortfall on
    /// the targets, then the least effort; or (weighted objective) the least effort + weight ×
    /// shortfall. A capacity or budget below what the obligations force is a finding of the plan
    /// ([`Plan::capacity_findings`], [`Plan::budget_finding`]), not an error; so is a target
    /// year with no purchase in scope ([`TargetStatus::NoPurchaseInScope`]) and an empty
    /// programme ([`Plan::notes`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the target, the unknown lever id and the closest
    /// known ids when a target counts a lever the catalogue lacks; for a lock naming an
    /// unknown line or a lever not applicable to it. [`ErrorKind::Inconsistent`] for a
    /// contradiction in the input, naming the line ids, the levers and the constraint at
    /// fault: locked levers exceeding the maximum per line or excluding each other, locks and
    /// obligations needing more levers than the maximum, locked levers needing more insertion
    /// hours than a capacity. Errors of the estimation and the obligation engine.
    pub fn plan(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
    ) -> Result<Plan> {
        let (models, problem, rows) = self.model(programme, targets, options)?;
        let solution = problem
            .solve(&options.solver)
            .map_err(|e| explain(self.catalogue.levers(), programme, &models, &problem, e))
            .map_err(|e| e.context(format!("plan of \"{}\"", programme.buyer.name)))?;
        self.build(
            programme, targets, options, &models, &problem, &solution, &rows,
        )
    }

    /// The plan made of another solver's solution of the exported problem: `solution` is a
    /// HiGHS `.sol` file for the LP of [`Planner::problem`] ([`PlanningProblem::to_lp`] or
    /// [`PlanningProblem::to_lp_with`]), same programme, targets and options. Every constraint
    /// is checked; the plan's figures are recomputed (its bounds are left empty: they are the
    /// other solver's). Use it to check a plan against another solver's.
    ///
    /// ```
    /// use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
    /// let programme = Programme::sample();
    /// let targets = Targets::defaults_for(programme, Rulebook::embedded());
    /// let planner = Planner::new(Catalogue::embedded(), Rulebook::embedded());
    /// let options = PlanOptions::default();
    /// let ours = planner.plan(programme, &targets, &options)?;
    /// // a solution file naming every variable; here ours, written back
    /// let problem = planner.problem(programme, &targets, &options)?;
    /// let sol = planner.solution_file(programme, &targets, &options, &ours)?;
    /// let again = planner.plan_from_solution(programme, &targets, &options, &sol)?;
    /// assert_eq!(again.assignments, ours.assignments);
    /// assert_eq!(again.effort.value, ours.effort.value);
    /// assert!(problem.to_lp().contains("Binary"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Planner::problem`]; [`ErrorKind::Parse`] or [`ErrorKind::Missing`] for a file that
    /// is not a solution of that problem; [`ErrorKind::Inconsistent`] naming the line and the
    /// constraint the solution breaks.
    pub fn plan_from_solution(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
        solution: &str,
    ) -> Result<Plan> {
        let (models, problem, rows) = self.model(programme, targets, options)?;
        let masks = problem.read_solution(solution)?;
        let solution = problem
            .evaluate(&masks)
            .map_err(|e| e.context("solution"))?;
        self.build(
            programme, targets, options, &models, &problem, &solution, &rows,
        )
    }

    /// A plan's levers as a HiGHS `.sol` file of [`Planner::problem`]'s LP (the `x_` columns;
    /// the others at 0), e.g. to hand a plan to another tool that reads solutions.
    ///
    /// # Errors
    /// As [`Planner::problem`].
    pub fn solution_file(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
        plan: &Plan,
    ) -> Result<String> {
        let (models, problem, _) = self.model(programme, targets, options)?;
        let names = problem.lp_names();
        let levers = self.catalogue.levers();
        let on: HashMap<&str, &Assignment> = plan
            .assignments
            .iter()
            .map(|a| (a.line.as_str(), a))
            .collect();
        let mut cols = Vec::new();
        for (li, line) in programme.lines.iter().enumerate() {
            let chosen = on.get(line.id.as_str());
            for (o, x) in names.x[li].iter().enumerate() {
                let id = &levers[models[li].options[o]].id;
                let v = chosen.is_some_and(|a| a.levers.contains(id));
                cols.push(format!("{x} {}", u8::from(v)));
            }
        }
        Ok(format!(
            "Model status\nUnknown\n\n# Primal solution values\nFeasible\nObjective {}\n# Columns {}\n{}\n",
            plan.objective,
            cols.len(),
            cols.join("\n")
        ))
    }

    /// The optimisation problem [`Planner::plan`] solves, e.g. to export it with
    /// [`PlanningProblem::to_lp`] for a MILP solver.
    ///
    /// # Errors
    /// As [`Planner::plan`], except infeasibility (found only when solving).
    pub fn problem(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
    ) -> Result<PlanningProblem> {
        Ok(self.model(programme, targets, options)?.1)
    }

    #[allow(clippy::type_complexity)]
    fn model(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
    ) -> Result<(
        Vec<LineModel>,
        PlanningProblem,
        BTreeMap<(usize, i32), usize>,
    )> {
        targets.check_catalogue(self.catalogue)?;
        let estimation = programme.estimate(self.rulebook)?;
        let estimates: HashMap<&str, _> = estimation
            .lines
            .iter()
            .map(|e| (e.line_id.as_str(), e))
            .collect();
        let engine = ObligationEngine::new(self.rulebook).without_reasons();
        let levers = self.catalogue.levers();
        let lever_index: HashMap<&str, usize> = levers
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let line_index: HashMap<&str, usize> = programme
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let mut forced: Vec<Vec<usize>> = vec![Vec::new(); programme.lines.len()];
        let mut forbidden: Vec<Vec<usize>> = vec![Vec::new(); programme.lines.len()];
        for lock in &options.locks {
            let l = *line_index.get(lock.line.as_str()).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!("lock: line \"{}\" is not in the programme", lock.line),
                )
            })?;
            let k = *lever_index.get(lock.lever.as_str()).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "lock on line \"{}\": lever \"{}\" is not in the catalogue",
                        lock.line, lock.lever
                    ),
                )
            })?;
            match lock.kind {
                LockKind::Force => forced[l].push(k),
                LockKind::Forbid => forbidden[l].push(k),
            }
        }

        let need_agec = targets
            .targets
            .iter()
            .any(|t| t.filter.agec_category.is_some());
        let need_food = targets.targets.iter().any(|t| t.filter.food.is_some());
        // the model of each line
        let mut models: Vec<LineModel> = Vec::with_capacity(programme.lines.len());
        for (li, line) in programme.lines.iter().enumerate() {
            let ctx = PurchaseContext::from_line(
                line,
                programme.buyer.kind,
                estimates.get(line.id.as_str()).copied(),
            );
            // catalogue indices, ascending: the levers `Catalogue::applicable` would give,
            // without ranking them by effort
            let applicable: Vec<usize> = levers
                .iter()
                .enumerate()
                .filter(|(_, l)| l.applies_to.fits(&ctx, line.launch_date))
                .map(|(k, _)| k)
                .collect();
            // a lever the market's capacity rules out is not an option, unless a lock forces it
            let opts: Vec<usize> = applicable
                .iter()
                .copied()
                .filter(|k| !forbidden[li].contains(k))
                .filter(|k| {
                    forced[li].contains(k)
                        || options
                            .sourcing
                            .as_ref()
                            .is_none_or(|s| s.allows(&line.id, &levers[*k].id))
                })
                .collect();
            for &k in &forced[li] {
                if forbidden[li].contains(&k) {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "lock on line \"{}\": lever \"{}\" is both forced and forbidden",
                            line.id, levers[k].id
                        ),
                    ));
                }
                if !opts.contains(&k) {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "lock on line \"{}\": lever \"{}\" does not apply to it",
                            line.id, levers[k].id
                        ),
                    ));
                }
            }
            for (i, &a) in forced[li].iter().enumerate() {
                for &b in &forced[li][i + 1..] {
                    if let Some(g) = self.catalogue.exclusive_groups().iter().find(|g| {
                        g.levers.contains(&levers[a].id) && g.levers.contains(&levers[b].id)
                    }) {
                        return Err(Error::new(
                            ErrorKind::Inconsistent,
                            format!(
                                "locks on line \"{}\": levers \"{}\" and \"{}\" are both locked on \
                                 but exclusive (group \"{}\": {})",
                                line.id, levers[a].id, levers[b].id, g.id, g.reason
                            ),
                        ));
                    }
                }
            }
            let findings = engine.check(&ctx)?;
            let mut groups = Vec::new();
            for f in &findings {
                // missing, or unknown only because the criteria are not recorded yet
                if f.kind != FindingKind::Obligation || !f.to_plan {
                    continue;
                }
                let Some((dim, instruments)) = meets(f.obligation) else {
                    continue;
                };
                let group: Vec<usize> = opts
                    .iter()
                    .enumerate()
                    .filter(|&(_, &k)| {
                        levers[k].dimension == dim && instruments.contains(&levers[k].instrument)
                    })
                    .map(|(o, _)| o)
                    .collect();
                groups.push((f.obligation, f.article.clone(), group));
            }
            let forced_opts = forced[li]
                .iter()
                .filter_map(|k| opts.iter().position(|x| x == k))
                .collect();
            let p = line.purchase();
            let (agec, food) = match (need_agec, need_food, line.cpv) {
                (false, false, _) | (_, _, None) => (None, false),
                (_, _, Some(c)) => (
                    if need_agec {
                        AgecCategory::of_cpv(&c).map(|m| m.category)
                    } else {
                        None
                    },
                    need_food && FoodKind::of_cpv(&c).is_some(),
                ),
            };
            let scope = targets
                .targets
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    // the CPV-derived criteria, computed once per line, first
                    t.filter.agec_category.is_none_or(|c| agec == Some(c))
                        && t.filter.food.is_none_or(|f| f == food)
                        && t.filter.matches(&p)
                })
                .map(|(ti, _)| ti)
                .collect();
            models.push(LineModel {
                options: opts,
                applicable,
                scope,
                groups,
                forced: forced_opts,
                ctx,
                findings,
            });
        }

        // the optimisation problem, over the programme's years and the targets' (a year of a
        // trajectory without purchases has an empty scope: nothing to measure)
        let mut years: Vec<i32> = programme
            .lines
            .iter()
            .map(|l| l.purchase().year())
            .chain(
                targets
                    .targets
                    .iter()
                    .flat_map(|t| t.trajectory.keys().copied()),
            )
            .collect();
        years.sort_unstable();
        years.dedup();
        let mut problem = PlanningProblem::new(&years);
        problem.set_shortfall_weight(options.weight)?;
        problem.set_objective(options.objective);
        for (k, l) in levers.iter().enumerate() {
            problem.name_lever(k, &l.id);
        }
        for (li, line) in programme.lines.iter().enumerate() {
            problem.name_line(li, &line.id);
        }
        // the prescribing services' capacities: (service, year) → extra capacity; a capacity
        // for a service no line has (a misspelt name) would bound nothing
        let services: std::collections::BTreeSet<&str> = programme
            .lines
            .iter()
            .filter_map(|l| l.service.as_deref())
            .collect();
        for service in options.capacity_services() {
            if !services.contains(service) {
                let near = crate::util::text::closest(service, services.iter().copied(), 3);
                let hint = if near.is_empty() {
                    "the programme's lines name no service (column `service`)".to_string()
                } else {
                    format!("did you mean {}?", crate::util::text::quoted_list(&near))
                };
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "capacity of service \"{}\": no line of the programme has this service; {hint}",
                        crate::util::text::excerpt(service)
                    ),
                ));
            }
        }
        let mut service_caps: HashMap<(&str, i32), usize> = HashMap::new();
        for service in options.capacity_services() {
            for &y in &years {
                if let Some(h) = options.service_capacity_of(service, y) {
                    let k = problem.add_capacity(
                        &format!("insertion capacity of service \"{service}\""),
                        y,
                        f64_of(h),
                    )?;
                    service_caps.insert((service, y), k);
                }
            }
        }
        // exclusivity groups and prerequisites as catalogue indices
        let exclusive: Vec<Vec<usize>> = self
            .catalogue
            .exclusive_groups()
            .iter()
            .map(|g| {
                g.levers
                    .iter()
                    .filter_map(|id| lever_index.get(id.as_str()).copied())
                    .collect()
            })
            .collect();
        let prerequisites: Vec<(usize, Vec<usize>)> = self
            .catalogue
            .prerequisites()
            .iter()
            .filter_map(|p| {
                let a = *lever_index.get(p.lever.as_str())?;
                let req = p
                    .requires
                    .iter()
                    .filter_map(|id| lever_index.get(id.as_str()).copied())
                    .collect();
                Some((a, req))
            })
            .collect();
        // requirement rows: (target index, year) -> row
        let mut rows: BTreeMap<(usize, i32), usize> = BTreeMap::new();
        // target index of each requirement row
        let mut row_target: Vec<usize> = Vec::new();
        for (ti, t) in targets.targets.iter().enumerate() {
            for (&y, share) in &t.trajectory {
                let goal = f64_of(share.as_decimal());
                let r = problem.add_weighted_requirement(
                    &t.id,
                    y,
                    t.basis,
                    goal,
                    f64_of(t.priority),
                )?;
                rows.insert((ti, y), r);
                row_target.push(ti);
            }
        }
        for &y in &years {
            if let Some(c) = options.capacity_of(y) {
                problem.set_capacity(y, f64_of(c))?;
            }
        }
        if let Some(b) = options.budget {
            problem.set_budget(f64_of(b))?;
        }
        let indicators: Vec<Indicator> = targets.targets.iter().map(Target::indicator).collect();
        let mut class_of: FastMap<Vec<u64>, usize> = HashMap::default();
        // whether each target counts each lever, by target then catalogue index
        let counts: Vec<Vec<bool>> = targets
            .targets
            .iter()
            .map(|t| levers.iter().map(|l| t.counts(l)).collect())
            .collect();
        // (effort base, effort per €1M, coverage) of each lever, as the problem takes them
        let lever_f64: Vec<(f64, f64, f64)> = levers
            .iter()
            .map(|l| {
                (
                    f64_of(l.effort.base_days),
                    f64_of(l.effort.per_million_days),
                    f64_of(l.coverage.as_decimal()),
                )
            })
            .collect();
        for (li, line) in programme.lines.iter().enumerate() {
            let m = &models[li];
            let p = line.purchase();
            let year = p.year();
            let mut class = ProblemClass {
                year,
                max_levers: options.max_levers,
                forced: m.forced.clone(),
                ..ProblemClass::default()
            };
            // the line's scope is ascending: targets in their order
            for &ti in &m.scope {
                let t = &targets.targets[ti];
                let Some(&r) = rows.get(&(ti, year)) else {
                    continue;
                };
                let base = if t.counts_existing() {
                    indicators[ti].covered_share(&p)
                } else {
                    Decimal::ZERO
                };
                let base = match t.basis {
                    Basis::Count if !base.is_zero() => 1.0,
                    Basis::Count => 0.0,
                    Basis::Value => f64_of(base),
                };
                class.rows.push((r, base));
            }
            for &k in &m.options {
                let lever = &levers[k];
                let covers: Vec<(usize, f64)> = if lever.coverage.as_decimal().is_zero() {
                    Vec::new()
                } else {
                    class
                        .rows
                        .iter()
                        .filter_map(|&(r, _)| {
                            counts[*row_target.get(r)?][k].then_some((r, lever_f64[k].2))
                        })
                        .collect()
                };
                let hours_per_meur = match &lever.insertion {
                    Some(ins) => f64_of(ins.hours(Amount::from_euros(1_000_000), line.cpv)?),
                    None => 0.0,
                };
                class.options.push(ProblemOption {
                    lever: k,
                    effort_base: lever_f64[k].0,
                    effort_per_meur: lever_f64[k].1,
                    hours_per_meur,
                    covers,
                });
            }
            let (obligations, names): (Vec<Vec<usize>>, Vec<String>) = m
                .groups
                .iter()
                .filter(|g| !g.2.is_empty())
                .map(|g| (g.2.clone(), g.0.to_string()))
                .unzip();
            class.obligations = obligations;
            class.obligation_names = names;
            // the catalogue's combinations, on the line's options
            let pos = |k: usize| m.options.iter().position(|&x| x == k);
            for g in &exclusive {
                let here: Vec<usize> = g.iter().filter_map(|&k| pos(k)).collect();
                if here.len() > 1 {
                    class.exclusive.push(here);
                }
            }
            for (a, req) in &prerequisites {
                if let Some(o) = pos(*a) {
                    class
                        .prerequisites
                        .push((o, req.iter().filter_map(|&k| pos(k)).collect()));
                }
            }
            if let Some(service) = line.service.as_deref() {
                if let Some(&k) = service_caps.get(&(service, year)) {
                    class.capacities.push(k);
                }
            }
            let key = class_key(&class);
            let c = match class_of.get(&key) {
                Some(&c) => c,
                None => {
                    let c = problem
                        .add_class(class)
                        .map_err(|e| e.context(format!("line \"{}\"", line.id)))?;
                    class_of.insert(key, c);
                    c
                }
            };
            problem.add_line(c, f64_of(line.amount.as_decimal()))?;
        }
        Ok((models, problem, rows))
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        programme: &Programme,
        targets: &Targets,
        options: &PlanOptions,
        models: &[LineModel],
        problem: &PlanningProblem,
        solution: &Solution,
        rows: &BTreeMap<(usize, i32), usize>,
    ) -> Result<Plan> {
        let levers = self.catalogue.levers();
        let chosen: Vec<Vec<usize>> = models
            .iter()
            .enumerate()
            .map(|(l, m)| {
                solution
                    .levers(l)
                    .into_iter()
                    .map(|o| m.options[o])
                    .collect()
            })
            .collect();
        // whether each target counts each lever, by target then catalogue index
        let counts: Vec<Vec<bool>> = targets
            .targets
            .iter()
            .map(|t| levers.iter().map(|l| t.counts(l)).collect())
            .collect();
        let purchases: Vec<Purchase<'_>> = programme.lines.iter().map(PlanLine::purchase).collect();
        // assignments with reasons
        let mut assignments = Vec::with_capacity(programme.lines.len());
        let mut hours_by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
        let mut obligations = Vec::with_capacity(programme.lines.len() * 3);
        let mut findings = Vec::new();
        for (li, line) in programme.lines.iter().enumerate() {
            let m = &models[li];
            let year = purchases[li].year();
            hours_by_year.entry(year).or_default();
            let mut effort = Decimal::ZERO;
            let mut hours = Decimal::ZERO;
            let mut reasons = Vec::new();
            let mut why_data = Vec::with_capacity(chosen[li].len());
            for &k in &chosen[li] {
                let lever: &Lever = &levers[k];
                effort = effort
                    .checked_add(lever.effort_days(&m.ctx)?)
                    .ok_or_else(|| Error::new(ErrorKind::Overflow, "effort total overflows"))?;
                hours += lever.insertion_hours(&m.ctx)?.unwrap_or_default();
                // "<lever>: locked on; obligation <article> (<id>); targets <t> <year>, …"
                let mut why = String::with_capacity(lever.id.len() + 64);
                why.push_str(&lever.id);
                why.push_str(": ");
                let mut first = true;
                let mut sep = |why: &mut String| {
                    if !std::mem::take(&mut first) {
                        why.push_str("; ");
                    }
                };
                let o = m.options.iter().position(|&x| x == k).unwrap_or(usize::MAX);
                let mut data = LeverReason {
                    lever: lever.id.clone(),
                    locked: false,
                    obligations: Vec::new(),
                    targets: Vec::new(),
                    capacity: None,
                };
                if m.forced.contains(&o) {
                    sep(&mut why);
                    why.push_str("locked on");
                    data.locked = true;
                }
                for (id, article, group) in &m.groups {
                    if group.contains(&o) {
                        sep(&mut why);
                        let _ = write!(why, "obligation {article} ({id})");
                        data.obligations.push(*id);
                    }
                }
                if let Some(v) = options
                    .sourcing
                    .as_ref()
                    .and_then(|s| s.verdict(&line.id, &lever.id))
                {
                    sep(&mut why);
                    let _ = write!(why, "capacity: {}", v.reason);
                    data.capacity = Some(v.clone());
                }
                for &other in &chosen[li] {
                    if self
                        .catalogue
                        .requires(&levers[other].id)
                        .is_some_and(|req| req.contains(&lever.id))
                    {
                        sep(&mut why);
                        let _ = write!(why, "needed by {}", levers[other].id);
                    }
                }
                let mut served = false;
                // the line's scope is ascending: targets in their order
                for &ti in &m.scope {
                    let t = &targets.targets[ti];
                    if counts[ti][k] && rows.contains_key(&(ti, year)) {
                        if served {
                            why.push_str(", ");
                        } else {
                            sep(&mut why);
                            why.push_str("targets ");
                            served = true;
                        }
                        let _ = write!(why, "{} {year}", t.id);
                        data.targets.push(t.id.clone());
                    }
                }
                reasons.push(why);
                why_data.push(data);
            }
            *hours_by_year.entry(year).or_default() += hours;
            for f in &m.findings {
                if f.kind != FindingKind::Obligation {
                    continue;
                }
                let group = m.groups.iter().find(|g| g.0 == f.obligation);
                let (status, by) = match (f.status, group) {
                    (_, Some((_, _, g))) if g.is_empty() => {
                        findings.push(PlanFinding {
                            line: line.id.clone(),
                            obligation: f.obligation,
                            article: f.article.clone(),
                            message: format!(
                                "no applicable lever in the catalogue meets {} ({}) on this line",
                                f.article, f.obligation
                            ),
                        });
                        (CoverageStatus::NoApplicableLever, Vec::new())
                    }
                    (st, Some((_, _, g))) => {
                        let by: Vec<String> = g
                            .iter()
                            .map(|&o| m.options[o])
                            .filter(|k| chosen[li].contains(k))
                            .map(|k| levers[k].id.clone())
                            .collect();
                        let st = if !by.is_empty() {
                            CoverageStatus::Met
                        } else if st == Status::Missing {
                            CoverageStatus::Missing
                        } else {
                            CoverageStatus::from(st)
                        };
                        (st, by)
                    }
                    (st, _) => (CoverageStatus::from(st), Vec::new()),
                };
                obligations.push(ObligationCoverage {
                    line: line.id.clone(),
                    obligation: f.obligation,
                    article: f.article.clone(),
                    status,
                    levers: by,
                });
            }
            if !chosen[li].is_empty() {
                assignments.push(Assignment {
                    line: line.id.clone(),
                    year,
                    family: line.family.clone().or_else(|| line.operation.clone()),
                    service: line.service.clone(),
                    levers: chosen[li].iter().map(|&k| levers[k].id.clone()).collect(),
                    effort_days: effort,
                    insertion_hours: hours,
                    reasons,
                    why: why_data,
                });
            }
        }

        // targets, recomputed by the indicator engine from the assignments
        let mut target_results = Vec::new();
        let mut unmet = Vec::new();
        let coverage = |l: &Lever| Coverage {
            dimension: l.dimension,
            instrument: l.instrument,
            share: l.coverage,
        };
        let mut covs: Vec<Coverage> = Vec::new();
        // the lines in each target's scope, ascending (out-of-scope lines add nothing to a
        // target's measures)
        let mut scoped: Vec<Vec<usize>> = vec![Vec::new(); targets.targets.len()];
        for (li, m) in models.iter().enumerate() {
            for &ti in &m.scope {
                if let Some(v) = scoped.get_mut(ti) {
                    v.push(li);
                }
            }
        }
        for (ti, t) in targets.targets.iter().enumerate() {
            let mut engine = IndicatorEngine::new(vec![t.indicator()]);
            let counts = &counts[ti];
            for &li in &scoped[ti] {
                let p = &purchases[li];
                covs.clear();
                if t.counts_existing() {
                    covs.extend_from_slice(p.considerations);
                }
                covs.extend(
                    chosen[li]
                        .iter()
                        .filter(|&&k| counts[k])
                        .map(|&k| coverage(&levers[k])),
                );
                engine.add(&Purchase {
                    considerations: &covs,
                    ..*p
                });
            }
            let table = engine.finish();
            // what every applicable lever (locks ignored) could give: only read for an unmet
            // year, so only measured when there is one
            let mut potential = IndicatorEngine::new(vec![t.indicator()]);
            let unmet_year = t.trajectory.iter().any(|(&y, &goal)| {
                !table
                    .total(&t.id, y)
                    .cloned()
                    .unwrap_or_default()
                    .reaches(goal, t.basis)
            });
            if unmet_year {
                for &li in &scoped[ti] {
                    let p = &purchases[li];
                    covs.clear();
                    if t.counts_existing() {
                        covs.extend_from_slice(p.considerations);
                    }
                    covs.extend(
                        models[li]
                            .applicable
                            .iter()
                            .filter(|&&k| counts[k])
                            .map(|&k| coverage(&levers[k])),
                    );
                    potential.add(&Purchase {
                        considerations: &covs,
                        ..*p
                    });
                }
            }
            let potential = potential.finish();
            for (&y, &goal) in &t.trajectory {
                let measure = table.total(&t.id, y).cloned().unwrap_or_default();
                let other = match t.basis {
                    Basis::Count => Basis::Value,
                    Basis::Value => Basis::Count,
                };
                let shortfall = measure.shortfall(goal, t.basis);
                let empty = measure.purchases == 0;
                let met = !empty && measure.reaches(goal, t.basis);
                let status = if empty {
                    TargetStatus::NoPurchaseInScope
                } else if met {
                    TargetStatus::Met
                } else {
                    TargetStatus::Unmet
                };
                if empty {
                    unmet.push(UnmetTarget {
                        id: t.id.clone(),
                        year: y,
                        shortfall: Decimal::ZERO,
                        cause: UnmetCause::NoPurchaseInScope,
                        remedy: format!(
                            "no purchase planned in scope in {y}: plan purchases in its scope \
                             that year, or take {y} out of its trajectory"
                        ),
                    });
                } else if !met {
                    let reach = potential
                        .total(&t.id, y)
                        .is_some_and(|m| m.reaches(goal, t.basis));
                    // the lines of the year in the target's scope
                    let in_scope: Vec<usize> = scoped[ti]
                        .iter()
                        .copied()
                        .filter(|&i| purchases[i].year() == y)
                        .collect();
                    let cause = self.cause(
                        t, &in_scope, y, reach, models, &chosen, options, solution, problem,
                        programme,
                    );
                    let best = potential.total(&t.id, y).and_then(|m| m.share(t.basis));
                    let remedy = self.remedy(
                        t, &in_scope, y, goal, shortfall, cause, best, options, solution,
                    );
                    unmet.push(UnmetTarget {
                        id: t.id.clone(),
                        year: y,
                        shortfall,
                        cause,
                        remedy,
                    });
                }
                target_results.push(TargetResult {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    source: t.source.clone(),
                    year: y,
                    basis: t.basis,
                    goal,
                    projected: measure.share(t.basis),
                    projected_other_basis: measure.share(other),
                    met,
                    status,
                    priority: t.priority,
                    shortfall,
                    measure,
                });
            }
        }

        // standard indicators, projected
        let mut engine = IndicatorEngine::new(Indicator::standard())
            .by(GroupBy::Family)
            .by(GroupBy::Service);
        for (li, p) in purchases.iter().enumerate() {
            covs.clear();
            covs.extend_from_slice(p.considerations);
            covs.extend(chosen[li].iter().map(|&k| coverage(&levers[k])));
            engine.add(&Purchase {
                considerations: &covs,
                ..*p
            });
        }
        let projected = engine.finish();

        // SPASER obligation: on the buyer's yearly expenditure (D2111-3), never on the
        // programme's value (shown as a lower bound when no expenditure is given)
        let spaser = ObligationEngine::new(self.rulebook).spaser_for_programme(programme);

        let mut used: BTreeMap<String, LeverNote> = BTreeMap::new();
        for ks in &chosen {
            for &k in ks {
                let l = &levers[k];
                used.entry(l.id.clone())
                    .or_insert_with(|| LeverNote {
                        label: l.label_en.clone(),
                        label_fr: l.label_fr.clone(),
                        legal_reference: l.legal_reference.clone(),
                        lines: 0,
                        dimension: Some(l.dimension),
                        instrument: Some(l.instrument),
                        wording: l.wording.clone(),
                        evidence: l.evidence.clone(),
                    })
                    .lines += 1;
            }
        }

        let (capacity_findings, budget_finding) =
            self.limit_findings(programme, options, problem, solution)?;
        let mut notes = Vec::new();
        if programme.lines.is_empty() {
            notes.push(PlanNote {
                kind: PlanNoteKind::EmptyProgramme,
                message: "the programme has no line: nothing to plan, and every target year \
                          reads no purchase planned in scope"
                    .to_string(),
            });
        }
        let lexicographic = solution.objective_kind == Objective::Lexicographic;
        Ok(Plan {
            buyer: programme.buyer.name.clone(),
            buyer_kind: programme.buyer.kind,
            spaser,
            objective: round6(solution.objective),
            total_effort: round6(solution.total_effort),
            lower_bound: round6(solution.lower_bound),
            gap: round6(solution.gap),
            shortfall_weight: problem.shortfall_weight(),
            objective_mode: solution.objective_kind,
            shortfall: ObjectivePart::new(
                solution.shortfall_points,
                solution.shortfall_bound.filter(|_| lexicographic),
            ),
            effort: ObjectivePart::new(
                solution.total_effort,
                solution.effort_bound.filter(|_| lexicographic),
            ),
            capacity_findings,
            budget_finding,
            notes,
            assignments,
            targets: target_results,
            unmet,
            projected,
            insertion_hours: hours_by_year
                .iter()
                .map(|(&y, &h)| (y, round_up_hours(h)))
                .collect(),
            capacity_hours: problem
                .years()
                .iter()
                .filter_map(|&y| {
                    options
                        .capacity_of(y)
                        .map(|c| (y, c.normalize().to_string()))
                })
                .collect(),
            obligations,
            findings,
            levers: used,
            target_definitions: targets.targets.clone(),
            unavailable: unavailable(programme, options, models, levers),
        })
    }

    /// The capacities and budget raised to what the obligations force: hours missing, lines
    /// concerned, remedies.
    fn limit_findings(
        &self,
        programme: &Programme,
        options: &PlanOptions,
        problem: &PlanningProblem,
        solution: &Solution,
    ) -> Result<(Vec<CapacityFinding>, Option<BudgetFinding>)> {
        let mut caps = Vec::new();
        let mut budget = None;
        if solution.raised.is_empty() {
            return Ok((caps, budget));
        }
        // the extra capacities, in the order the model added them
        let mut extra: Vec<(&str, i32)> = Vec::new();
        for service in options.capacity_services() {
            for &y in problem.years() {
                if options.service_capacity_of(service, y).is_some() {
                    extra.push((service, y));
                }
            }
        }
        let min_hours = problem.line_min_hours()?;
        for r in &solution.raised {
            let Some(year) = r.year else {
                budget = Some(BudgetFinding {
                    budget_days: round6(r.given),
                    needed_days: round6(r.needed),
                    remedies: vec![
                        format!(
                            "raise the effort budget to at least {:.1} person-days: the \
                             obligations need that much with the capacities given",
                            r.needed
                        ),
                        "record exemptions from obligations where one of their cases applies \
                         (a social exemption of L2112-2-1, say)"
                            .to_string(),
                    ],
                });
                continue;
            };
            let service = r.extra.and_then(|k| extra.get(k)).map(|(s, _)| *s);
            let lines: Vec<String> = programme
                .lines
                .iter()
                .enumerate()
                .filter(|(li, line)| {
                    min_hours.get(*li).is_some_and(|&h| h > 0.0)
                        && line.purchase().year() == year
                        && service.is_none_or(|s| line.service.as_deref() == Some(s))
                })
                .map(|(_, line)| line.id.clone())
                .collect();
            let given = match service {
                Some(s) => options.service_capacity_of(s, year),
                None => options.capacity_of(year),
            }
            .map_or_else(|| format!("{}", r.given), |c| c.normalize().to_string());
            let needed = round_up_hours(Decimal::try_from(r.needed).unwrap_or_default());
            let missing = round_up_hours(Decimal::try_from(r.needed - r.given).unwrap_or_default());
            let whose = match service {
                Some(s) => format!("the insertion capacity of service \"{s}\" in {year}"),
                None => format!("the insertion capacity of {year}"),
            };
            caps.push(CapacityFinding {
                year,
                service: service.map(str::to_string),
                capacity_hours: given,
                needed_hours: needed,
                missing_hours: missing,
                remedies: vec![
                    format!("raise {whose} to at least {needed} hours ({missing} hours missing)"),
                    format!(
                        "add to the catalogue a social execution condition without insertion \
                         hours that applies to the {} purchase(s) concerned: L2112-2-1 asks for \
                         a social or employment consideration, not for insertion hours",
                        lines.len()
                    ),
                    "record an exemption from the social consideration of L2112-2-1 \
                     (social_exemption) on the purchases where one of its cases applies"
                        .to_string(),
                ],
                lines,
            });
        }
        Ok((caps, budget))
    }

    /// What would reach an unmet target, in the buyer's terms: the missing purchases or value,
    /// and the constraint to lift or the lever to add.
    #[allow(clippy::too_many_arguments)]
    fn remedy(
        &self,
        t: &Target,
        in_scope: &[usize],
        year: i32,
        goal: Share,
        shortfall: Decimal,
        cause: UnmetCause,
        best: Option<Share>,
        options: &PlanOptions,
        solution: &Solution,
    ) -> String {
        let pct = |s: Share| format!("{} %", (s.as_decimal() * Decimal::ONE_HUNDRED).round_dp(1));
        let in_scope = in_scope.len();
        let missing = match t.basis {
            Basis::Count => format!(
                "{} more purchase(s) of {year} carrying a lever that counts",
                shortfall.ceil()
            ),
            Basis::Value => format!(
                "{} more of {year} purchase value covered by levers that count",
                crate::values::money::euros_display(shortfall)
            ),
        };
        let dim = t.dimension.to_string();
        let article = if dim.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        let mut what: Vec<String> = Vec::new();
        if !t.instruments.is_empty() {
            let names: Vec<String> = t.instruments.iter().map(|i| i.to_string()).collect();
            what.push(names.join(" or "));
        }
        if !t.goals.is_empty() {
            what.push(format!("goal {}", t.goals.join(" or ")));
        }
        let kind = if what.is_empty() {
            format!("{article} {dim} lever")
        } else {
            format!("{article} {dim} lever ({})", what.join(", "))
        };
        match cause {
            UnmetCause::TooFewEligibleLines => match best {
                Some(b) if !b.as_decimal().is_zero() => format!(
                    "the applicable levers reach at most {} against a goal of {}: add to the \
                     catalogue {kind} applicable to the {in_scope} purchase(s) in scope{}, or \
                     plan more purchases in scope",
                    pct(b),
                    pct(goal),
                    if t.basis == Basis::Value {
                        " or one covering a larger share of their value"
                    } else {
                        ""
                    }
                ),
                _ => format!(
                    "no applicable lever counts towards it: add to the catalogue {kind} \
                     applicable to the {in_scope} purchase(s) in scope ({missing})"
                ),
            },
            UnmetCause::Locks => format!(
                "{missing}: lift the locks forbidding levers that count on purchases in scope"
            ),
            UnmetCause::Capacity => {
                let used = solution.hours.get(&year).copied().unwrap_or(0.0);
                let cap = options
                    .capacity_of(year)
                    .map_or_else(|| "no limit".to_string(), |c| c.normalize().to_string());
                format!(
                    "{missing}: raise the facilitator's insertion capacity of {year} ({used:.0} \
                     of {cap} hours used) or favour levers without insertion hours"
                )
            }
            UnmetCause::Budget => format!(
                "{missing}: raise the effort budget ({:.1} person-days used)",
                solution.total_effort
            ),
            UnmetCause::MaxLevers => format!(
                "{missing}: allow more than {} levers per purchase",
                options.max_levers.unwrap_or(0)
            ),
            UnmetCause::ShortfallWeight => format!(
                "{missing}: their effort outweighs the shortfall at {} person-days per point; \
                 raise the shortfall weight to plan them",
                options.weight
            ),
            UnmetCause::OtherTargets => format!(
                "{missing}: the levers that would reach it are needed by targets of equal or \
                 higher priority (they share the capacity, budget or purchases); raise this \
                 target's priority or lift the shared limit"
            ),
            UnmetCause::NoPurchaseInScope => format!(
                "no purchase planned in scope in {year}: plan purchases in its scope that year, \
                 or take {year} out of its trajectory"
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cause(
        &self,
        t: &Target,
        in_scope: &[usize],
        year: i32,
        reachable: bool,
        models: &[LineModel],
        chosen: &[Vec<usize>],
        options: &PlanOptions,
        solution: &Solution,
        problem: &PlanningProblem,
        programme: &Programme,
    ) -> UnmetCause {
        let _ = problem;
        if !reachable {
            return UnmetCause::TooFewEligibleLines;
        }
        let levers = self.catalogue.levers();
        let forbidden_counting = options.locks.iter().any(|lock| {
            lock.kind == LockKind::Forbid
                && in_scope.iter().any(|&i| programme.lines[i].id == lock.line)
                && self.catalogue.get(&lock.lever).is_some_and(|l| t.counts(l))
        });
        if forbidden_counting {
            return UnmetCause::Locks;
        }
        let insertion_counts = in_scope.iter().any(|&i| {
            models[i]
                .options
                .iter()
                .any(|&k| levers[k].insertion.is_some() && t.counts(&levers[k]))
        });
        if insertion_counts {
            if let Some(cap) = options.capacity_of(year) {
                let used = solution.hours.get(&year).copied().unwrap_or(0.0);
                if used >= f64_of(cap) * 0.99 {
                    return UnmetCause::Capacity;
                }
            }
        }
        if let Some(b) = options.budget {
            if solution.total_effort >= f64_of(b) * 0.99 {
                return UnmetCause::Budget;
            }
        }
        if let Some(max) = options.max_levers {
            if in_scope.iter().any(|&i| chosen[i].len() >= max) {
                return UnmetCause::MaxLevers;
            }
        }
        match options.objective {
            Objective::Weighted => UnmetCause::ShortfallWeight,
            _ => UnmetCause::OtherTargets,
        }
    }
}
