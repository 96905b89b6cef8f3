//! The planning problem as an optimisation model, independent of the programme types.
//!
//! A problem has *requirements* (one per target and year: a share of a denominator to reach, by
//! count or by value), *line classes* (lines that share a year, a set of applicable levers with
//! their effort and insertion hours, obligations, locks and requirement scopes) and *lines* (a
//! class and an amount). Lines of one class differ only by their amount; every quantity is
//! affine in the amount, which lets the solver treat a class at once.
//!
//! The mathematical model (also what [`PlanningProblem::to_lp`] writes):
//!
//! ```text
//! constraints v[l,r] ≤ base[l,r] + Σ_k cover[l,k,r]·x[l,k]     v[l,r] ∈ [0,1]   (capped coverage)
//!             Σ_l (w[l,r]/den[r])·v[l,r] + s[r]/100 ≥ goal[r]  s[r] ≥ 0 (points) (requirement r)
//!             Σ_{k∈G} x[l,k] ≥ 1                 for each obligation group G of line l
//!             Σ_{k∈E} x[l,k] ≤ 1                 for each exclusivity group E of line l
//!             x[l,a] ≤ Σ_{b∈R(a)} x[l,b]         for each lever a needing one of R(a)
//!             Σ_k x[l,k] ≤ max_levers
//!             Σ_{l in year y (and service)} Σ_k hours[l,k]·x[l,k] ≤ capacity
//!             Σ effort ≤ budget;   x[l,k] = 1 for forced levers;   x binary
//! lexicographic (default):
//!   (1) law: the obligations are constraints; a capacity or budget below what they force is
//!       raised to that (a finding, not an infeasibility);
//!   (2) minimise S = Σ_r priority[r]·s[r]            (weighted shortfall, points)
//!   (3) minimise E = Σ_l Σ_k effort[l,k]·x[l,k]       subject to S ≤ S*
//! weighted: minimise E + weight_per_point · S
//! ```
//!
//! `w[l,r]` is 1 on a count basis (with `cover` 1 for any matching lever: a line counts once)
//! and the line's amount on a value basis; `den[r]` is the requirement's denominator (lines or
//! euros in scope). A shortfall `s[r]` is measured in **points** of the requirement's
//! denominator (1 = one percentage point).

use std::collections::BTreeMap;

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Basis;

/// Default weight of a shortfall: person-days of effort per percentage point of a target's
/// denominator. Large enough that, on real programmes, closing any part of a gap that a lever
/// can close is worth more than that lever's effort (a lever costs a few person-days; one point
/// of a 1,000-line count target is 10 lines).
pub const DEFAULT_SHORTFALL_WEIGHT: f64 = 1000.0;

/// What [`PlanningProblem::solve`] optimises.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Objective {
    /// Law first (obligations, with capacities and budget raised to what they force), then the
    /// least weighted shortfall on the requirements, then the least effort at that shortfall.
    #[default]
    Lexicographic,
    /// The least effort + weight per point × weighted shortfall (one mixed number).
    Weighted,
}

/// A capacity of insertion hours over some classes of one year (e.g. a prescribing service's
/// facilitator), besides the year's own.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExtraCap {
    pub(crate) label: String,
    pub(crate) year: i32,
    pub(crate) hours: f64,
}

/// Most options one class may carry (lever sets are bit masks).
pub(crate) const MAX_OPTIONS: usize = 63;
/// Most lever combinations enumerated for one class.
pub(crate) const MAX_SUBSETS: usize = 100_000;

/// One applicable lever on a class of lines: its effort, its insertion hours and the
/// requirements it counts towards.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemOption {
    /// Caller's lever index (reported back in solutions).
    pub lever: usize,
    /// Effort in person-days, fixed part.
    pub effort_base: f64,
    /// Effort in person-days per €1,000,000 of the line's amount.
    pub effort_per_meur: f64,
    /// Insertion hours per €1,000,000 of the line's amount (0 for levers without hours).
    pub hours_per_meur: f64,
    /// Requirements the lever counts towards, with the share of the line's value it covers
    /// (0 < coverage ≤ 1; on a count basis any positive coverage counts the line once).
    pub covers: Vec<(usize, f64)>,
}

/// A class of lines: same year, same applicable levers, obligations, locks and requirement
/// scopes. Lines of one class differ only by their amount.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProblemClass {
    /// Year of the lines (must be one of the problem's years).
    pub year: i32,
    /// Requirements whose denominator includes these lines, with the coverage the lines already
    /// carry (considerations planned before: 0..=1; on a count basis, 1 when one counts).
    pub rows: Vec<(usize, f64)>,
    /// Applicable levers.
    pub options: Vec<ProblemOption>,
    /// Obligation groups: each is a set of indices into `options` of which at least one must be
    /// chosen.
    pub obligations: Vec<Vec<usize>>,
    /// Indices into `options` of levers locked on.
    pub forced: Vec<usize>,
    /// Most levers per line (`None`: no limit).
    pub max_levers: Option<usize>,
    /// Exclusivity groups: sets of indices into `options` of which at most one may be chosen.
    pub exclusive: Vec<Vec<usize>>,
    /// Prerequisites: option `a` may only be chosen with at least one of the listed options.
    pub prerequisites: Vec<(usize, Vec<usize>)>,
    /// Extra capacities (indices from [`PlanningProblem::add_capacity`]) the class's hours
    /// count in, besides its year's.
    pub capacities: Vec<usize>,
    /// Names of the obligation groups (for the LP export; may be empty).
    pub obligation_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub(crate) label: String,
    pub(crate) year: i32,
    pub(crate) basis: Basis,
    pub(crate) goal: f64,
    /// Priority: the weight of a point of its shortfall.
    pub(crate) weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub(crate) class: u32,
    pub(crate) amount: f64,
}

/// A lever-planning problem: requirements, classes of lines, lines, capacities, budget.
///
/// Build it with [`PlanningProblem::new`], [`PlanningProblem::add_requirement`],
/// [`PlanningProblem::add_class`] and [`PlanningProblem::add_line`]; then
/// [`PlanningProblem::solve`] it or export it with [`PlanningProblem::to_lp`].
///
/// ```
/// use spaser::{Basis, PlanningProblem, ProblemClass, ProblemOption, SolverOptions};
///
/// let mut p = PlanningProblem::new(&[2026]);
/// let social = p.add_requirement("social", 2026, Basis::Count, 0.5)?;
/// let clause = ProblemOption {
///     lever: 0,
///     effort_base: 2.0,
///     effort_per_meur: 0.0,
///     hours_per_meur: 0.0,
///     covers: vec![(social, 1.0)],
/// };
/// let class = p.add_class(ProblemClass {
///     year: 2026,
///     rows: vec![(social, 0.0)],
///     options: vec![clause],
///     ..ProblemClass::default()
/// })?;
/// for amount in [100_000.0, 200_000.0] {
///     p.add_line(class, amount)?;
/// }
/// let solution = p.solve(&SolverOptions::default())?;
/// assert_eq!(solution.total_effort, 2.0); // one line of two carries the clause
/// assert_eq!(solution.shortfall_points, 0.0);
/// assert_eq!(solution.effort_bound, Some(2.0)); // proven optimal
/// assert_eq!(solution.lower_bound, solution.objective);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlanningProblem {
    pub(crate) years: Vec<i32>,
    pub(crate) objective: Objective,
    pub(crate) weight_per_point: f64,
    pub(crate) rows: Vec<Row>,
    pub(crate) classes: Vec<ProblemClass>,
    pub(crate) lines: Vec<Line>,
    pub(crate) capacity: BTreeMap<i32, f64>,
    pub(crate) extra_caps: Vec<ExtraCap>,
    pub(crate) budget: Option<f64>,
    /// Names of lines (for the LP export), by line index.
    pub(crate) line_names: Vec<Option<String>>,
    /// Names of levers (for the LP export), by the options' `lever` index.
    pub(crate) lever_names: BTreeMap<usize, String>,
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidValue, msg)
}

fn finite_nonneg(what: &str, v: f64) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(invalid(format!("{what} {v} is not a finite number ≥ 0")))
    }
}

impl PlanningProblem {
    /// An empty problem over `years` (sorted and deduplicated), with the default shortfall
    /// weight [`DEFAULT_SHORTFALL_WEIGHT`].
    pub fn new(years: &[i32]) -> PlanningProblem {
        let mut years = years.to_vec();
        years.sort_unstable();
        years.dedup();
        PlanningProblem {
            years,
            objective: Objective::default(),
            weight_per_point: DEFAULT_SHORTFALL_WEIGHT,
            rows: Vec::new(),
            classes: Vec::new(),
            lines: Vec::new(),
            capacity: BTreeMap::new(),
            extra_caps: Vec::new(),
            budget: None,
            line_names: Vec::new(),
            lever_names: BTreeMap::new(),
        }
    }

    /// Sets what [`PlanningProblem::solve`] optimises (default: [`Objective::Lexicographic`]).
    pub fn set_objective(&mut self, objective: Objective) {
        self.objective = objective;
    }

    /// What [`PlanningProblem::solve`] optimises.
    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// Names line `l` (a programme line id) for the LP export.
    pub fn name_line(&mut self, l: usize, name: &str) {
        if l >= self.line_names.len() {
            self.line_names.resize(l + 1, None);
        }
        self.line_names[l] = Some(name.to_string());
    }

    /// Names lever `lever` (the options' [`ProblemOption::lever`] index: a catalogue id) for
    /// the LP export.
    pub fn name_lever(&mut self, lever: usize, name: &str) {
        self.lever_names.insert(lever, name.to_string());
    }

    /// The years, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Number of requirements.
    pub fn requirement_count(&self) -> usize {
        self.rows.len()
    }

    /// Number of classes.
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// Number of lever variables `x[l,k]` (applicable lever × line).
    pub fn variable_count(&self) -> usize {
        self.lines
            .iter()
            .map(|l| self.classes[l.class as usize].options.len())
            .sum()
    }

    /// Sets the shortfall weight of the weighted objective: person-days per percentage point of
    /// a requirement's denominator (times its priority).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the weight is not finite and positive.
    pub fn set_shortfall_weight(&mut self, weight_per_point: f64) -> Result<()> {
        if !(weight_per_point.is_finite() && weight_per_point > 0.0) {
            return Err(invalid(format!(
                "shortfall weight {weight_per_point} is not a finite positive number"
            )));
        }
        self.weight_per_point = weight_per_point;
        Ok(())
    }

    /// The shortfall weight per percentage point.
    pub fn shortfall_weight(&self) -> f64 {
        self.weight_per_point
    }

    /// Adds a requirement: in `year`, the share of the lines in its scope (by `basis`) that
    /// carry a matching lever must reach `goal` (0..=1). Returns its index.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `goal` is outside 0..=1 or `year` is not a problem year.
    pub fn add_requirement(
        &mut self,
        label: &str,
        year: i32,
        basis: Basis,
        goal: f64,
    ) -> Result<usize> {
        self.add_weighted_requirement(label, year, basis, goal, 1.0)
    }

    /// As [`PlanningProblem::add_requirement`], with a priority: the weight of one point of its
    /// shortfall in the total shortfall (default 1).
    ///
    /// # Errors
    /// As [`PlanningProblem::add_requirement`]; [`ErrorKind::InvalidValue`] when the priority
    /// is not finite and positive.
    pub fn add_weighted_requirement(
        &mut self,
        label: &str,
        year: i32,
        basis: Basis,
        goal: f64,
        priority: f64,
    ) -> Result<usize> {
        if !(priority.is_finite() && priority > 0.0) {
            return Err(invalid(format!(
                "requirement \"{label}\" {year}: priority {priority} is not a finite positive number"
            )));
        }
        if !(goal.is_finite() && (0.0..=1.0).contains(&goal)) {
            return Err(invalid(format!(
                "requirement \"{label}\" {year}: goal {goal} is outside 0..=1"
            )));
        }
        if self.years.binary_search(&year).is_err() {
            return Err(invalid(format!(
                "requirement \"{label}\": year {year} is not a year of the problem"
            )));
        }
        self.rows.push(Row {
            label: label.to_string(),
            year,
            basis,
            goal,
            weight: priority,
        });
        Ok(self.rows.len() - 1)
    }

    /// Adds a class of lines. Returns its index.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the year is not a problem year, a requirement index is
    /// unknown or of another year, an option covers a requirement the class is not in scope
    /// of, an effort, hours or coverage is negative or not finite (coverage must be in
    /// `(0, 1]`, base coverage in `0..=1`), an obligation group is empty or names an unknown
    /// option, an exclusivity group or prerequisite names an unknown option, an extra capacity
    /// is unknown or of another year, or there are more than 63 options.
    pub fn add_class(&mut self, class: ProblemClass) -> Result<usize> {
        let ci = self.classes.len();
        let here = |m: String| invalid(format!("class {ci}: {m}"));
        if self.years.binary_search(&class.year).is_err() {
            return Err(here(format!(
                "year {} is not a year of the problem",
                class.year
            )));
        }
        if class.options.len() > MAX_OPTIONS {
            return Err(here(format!(
                "{} applicable levers, more than {MAX_OPTIONS}",
                class.options.len()
            )));
        }
        let mut seen = Vec::new();
        for &(r, base) in &class.rows {
            let row = self
                .rows
                .get(r)
                .ok_or_else(|| here(format!("requirement {r} is unknown")))?;
            if row.year != class.year {
                return Err(here(format!(
                    "requirement \"{}\" is for {}, not {}",
                    row.label, row.year, class.year
                )));
            }
            if !(base.is_finite() && (0.0..=1.0).contains(&base)) {
                return Err(here(format!("base coverage {base} is outside 0..=1")));
            }
            if seen.contains(&r) {
                return Err(here(format!("requirement {r} listed twice")));
            }
            seen.push(r);
        }
        for (k, o) in class.options.iter().enumerate() {
            finite_nonneg(&format!("class {ci}, option {k}: effort"), o.effort_base)?;
            finite_nonneg(
                &format!("class {ci}, option {k}: effort per €1M"),
                o.effort_per_meur,
            )?;
            finite_nonneg(
                &format!("class {ci}, option {k}: hours per €1M"),
                o.hours_per_meur,
            )?;
            for &(r, c) in &o.covers {
                if !seen.contains(&r) {
                    return Err(here(format!(
                        "option {k} covers requirement {r} outside the class's scope"
                    )));
                }
                if !(c.is_finite() && c > 0.0 && c <= 1.0) {
                    return Err(here(format!("option {k}: coverage {c} is outside (0, 1]")));
                }
            }
        }
        for (g, group) in class.obligations.iter().enumerate() {
            if group.is_empty() {
                return Err(here(format!("obligation group {g} is empty")));
            }
            if let Some(k) = group.iter().find(|&&k| k >= class.options.len()) {
                return Err(here(format!(
                    "obligation group {g} names unknown option {k}"
                )));
            }
        }
        if let Some(k) = class.forced.iter().find(|&&k| k >= class.options.len()) {
            return Err(here(format!("forced option {k} is unknown")));
        }
        let n = class.options.len();
        if let Some(k) = class.exclusive.iter().flatten().find(|&&k| k >= n) {
            return Err(here(format!("exclusivity group names unknown option {k}")));
        }
        for (a, req) in &class.prerequisites {
            if let Some(k) = std::iter::once(a).chain(req).find(|&&k| k >= n) {
                return Err(here(format!("prerequisite names unknown option {k}")));
            }
        }
        for &c in &class.capacities {
            match self.extra_caps.get(c) {
                None => return Err(here(format!("capacity {c} is unknown"))),
                Some(x) if x.year != class.year => {
                    return Err(here(format!(
                        "capacity \"{}\" is for {}, not {}",
                        x.label, x.year, class.year
                    )));
                }
                Some(_) => {}
            }
        }
        self.classes.push(class);
        Ok(ci)
    }

    /// Adds a line of `class` with `amount` euros HT. Returns its index.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the class is unknown or the amount negative or not
    /// finite.
    pub fn add_line(&mut self, class: usize, amount: f64) -> Result<usize> {
        if class >= self.classes.len() {
            return Err(invalid(format!(
                "line {}: class {class} is unknown",
                self.lines.len()
            )));
        }
        finite_nonneg(&format!("line {}: amount", self.lines.len()), amount)?;
        let class =
            u32::try_from(class).map_err(|_| invalid(format!("class {class} is out of range")))?;
        self.lines.push(Line { class, amount });
        Ok(self.lines.len() - 1)
    }

    /// Sets the insertion-hours capacity of `year`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `hours` is negative or not finite, or the year is not a
    /// problem year.
    pub fn set_capacity(&mut self, year: i32, hours: f64) -> Result<()> {
        finite_nonneg(&format!("capacity of {year}: hours"), hours)?;
        if self.years.binary_search(&year).is_err() {
            return Err(invalid(format!(
                "capacity: year {year} is not a year of the problem"
            )));
        }
        self.capacity.insert(year, hours);
        Ok(())
    }

    /// Adds a capacity of insertion hours in `year` that the classes listing it in
    /// [`ProblemClass::capacities`] count in (e.g. a prescribing service's facilitator), besides
    /// the year's own capacity. Returns its index.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `hours` is negative or not finite, or the year is not a
    /// problem year.
    pub fn add_capacity(&mut self, label: &str, year: i32, hours: f64) -> Result<usize> {
        finite_nonneg(&format!("capacity \"{label}\" of {year}: hours"), hours)?;
        if self.years.binary_search(&year).is_err() {
            return Err(invalid(format!(
                "capacity \"{label}\": year {year} is not a year of the problem"
            )));
        }
        self.extra_caps.push(ExtraCap {
            label: label.to_string(),
            year,
            hours,
        });
        Ok(self.extra_caps.len() - 1)
    }

    /// The insertion-hours capacity of `year`, when set.
    pub fn capacity(&self, year: i32) -> Option<f64> {
        self.capacity.get(&year).copied()
    }

    /// Sets an effort budget (person-days over the whole plan).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `person_days` is negative or not finite.
    pub fn set_budget(&mut self, person_days: f64) -> Result<()> {
        finite_nonneg("effort budget", person_days)?;
        self.budget = Some(person_days);
        Ok(())
    }

    /// Label, year, basis and goal of requirement `r`.
    pub fn requirement(&self, r: usize) -> Option<(&str, i32, Basis, f64)> {
        self.rows
            .get(r)
            .map(|row| (row.label.as_str(), row.year, row.basis, row.goal))
    }
}
