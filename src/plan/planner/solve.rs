//! Solvers of the planning problem: an exact branch and bound for small instances and, for
//! large ones, a Lagrangian relaxation (proven lower bound) with a primal heuristic (dual
//! assignment, repair, local search, neighbourhood search).
//!
//! Lexicographic objective (the default): (1) law — the obligations are constraints, and a
//! capacity or budget below what obligations and locks force is raised to that, reported;
//! (2) the least weighted shortfall `S` (points), with a proven lower bound; (3) the least
//! effort at that shortfall, with a proven lower bound. Stage (3) holds each requirement at
//! the coverage the stage-(2) plan gives it (count requirements rounded up to whole lines,
//! a valid strengthening); when the stage-(2) plan's shortfall equals the bound obtained by
//! covering every requirement as much as its lines allow, every plan of that shortfall has
//! those coverages, so the stage-(3) bound is a bound of the lexicographic problem;
//! otherwise the bound is corrected by the shortfall's price (see `effort_bound`).
//!
//! Lagrangian relaxation: the requirement rows (multipliers `μ_r ∈ [0, M_r]`), the
//! capacities (`λ_c ≥ 0`) and the budget (`ν ≥ 0`) are dualised. What remains separates by
//! line: each line picks the combination of levers of least reduced cost
//! `(α+ν)·effort + Σ_c λ_c·hours − Σ_r μ_r·coef[l,r]·inc[r]`. Every term is affine in the
//! line's amount, so a class of lines is solved at once from the lower envelope of its
//! combinations' affine functions and the prefix sums of its sorted amounts: one iteration
//! costs O(classes × combinations), not O(lines). Any multipliers give a lower bound
//! `L(μ,λ,ν) = Σ μ_r g_r − Σ λ_c C_c − ν B + Σ_l min reduced cost` on the optimum; projected
//! subgradient steps (Polyak rule) raise it.

// numeric code over parallel arrays (rows, capacities, lines): index loops read best
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};

use crate::indicators::Basis;

use super::compiled::{CClass, Compiled, EPS, State, coef, compile, envelope};
use super::problem::{Objective, PlanningProblem};

/// Options of [`PlanningProblem::solve`].
#[derive(Debug, Clone, PartialEq)]
pub struct SolverOptions {
    target_gap: f64,
    effort_gap: f64,
    max_iterations: usize,
    exact_line_limit: usize,
    exact_node_limit: u64,
}

impl Default for SolverOptions {
    /// Relative gap 1 % (weighted objective) and 0.1 % (effort at the least shortfall), 400
    /// subgradient iterations a stage, exact search up to 24 lines or 2,000,000 nodes.
    fn default() -> SolverOptions {
        SolverOptions {
            target_gap: 0.01,
            effort_gap: 0.001,
            max_iterations: 400,
            exact_line_limit: 24,
            exact_node_limit: 2_000_000,
        }
    }
}

impl SolverOptions {
    /// Stops the Lagrangian iterations of the weighted objective once the relative gap is at
    /// most `gap` (clamped to `0..=1`).
    pub fn target_gap(mut self, gap: f64) -> SolverOptions {
        self.target_gap = if gap.is_finite() {
            gap.clamp(0.0, 1.0)
        } else {
            0.01
        };
        self
    }

    /// Stops the search for less effort at the least shortfall (lexicographic objective) once
    /// the effort's relative gap is at most `gap` (clamped to `0..=1`; default 0.1 %).
    pub fn effort_gap(mut self, gap: f64) -> SolverOptions {
        self.effort_gap = if gap.is_finite() {
            gap.clamp(0.0, 1.0)
        } else {
            0.001
        };
        self
    }

    /// Most subgradient iterations.
    pub fn max_iterations(mut self, n: usize) -> SolverOptions {
        self.max_iterations = n;
        self
    }

    /// Problems with at most this many lines are first solved exactly by branch and bound
    /// (0 disables the exact search).
    pub fn exact_line_limit(mut self, n: usize) -> SolverOptions {
        self.exact_line_limit = n;
        self
    }

    /// Most nodes of the exact search before it gives up for the heuristic.
    pub fn exact_node_limit(mut self, n: u64) -> SolverOptions {
        self.exact_node_limit = n;
        self
    }
}

/// A capacity or the effort budget below what the obligations force: raised for the plan to
/// exist, and reported ([`Solution::raised`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Raised {
    /// The year's capacity (`capacity <year>`), an extra capacity's label, or `budget`.
    pub label: String,
    /// The capacity's year (`None` for the budget).
    pub year: Option<i32>,
    /// Index of an extra capacity ([`PlanningProblem::add_capacity`]), `None` for a year's
    /// own capacity and the budget.
    pub extra: Option<usize>,
    /// What was given (hours or person-days).
    pub given: f64,
    /// What the plan needs at least (hours or person-days).
    pub needed: f64,
}

/// A solution of a [`PlanningProblem`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Solution {
    /// What was optimised.
    pub objective_kind: Objective,
    /// The value of the objective optimised last: the total effort (lexicographic), or
    /// effort + shortfall weight × weighted shortfall (weighted; the LP export's objective).
    pub objective: f64,
    /// Total effort, person-days.
    pub total_effort: f64,
    /// A proven lower bound on [`Solution::objective`] (lexicographic: on the effort of any plan
    /// whose shortfall is at most this one's).
    pub lower_bound: f64,
    /// Relative gap `(objective − lower_bound) / objective` (0 when the objective is 0).
    pub gap: f64,
    /// Whether the solution was proven optimal by the exact search.
    pub exact: bool,
    /// Weighted shortfall: Σ priority × shortfall in points.
    pub shortfall_points: f64,
    /// A proven lower bound on the weighted shortfall of any plan (lexicographic only).
    pub shortfall_bound: Option<f64>,
    /// A proven lower bound on the effort of any plan whose weighted shortfall is at most
    /// [`Solution::shortfall_points`] (lexicographic only).
    pub effort_bound: Option<f64>,
    /// Shortfall of each requirement, in share units of its denominator (0.01 = 1 point).
    pub shortfalls: Vec<f64>,
    /// Projected share of each requirement (base coverage included; 0 for an empty scope).
    pub projected: Vec<f64>,
    /// Insertion hours per year.
    pub hours: BTreeMap<i32, f64>,
    /// Insertion hours in each extra capacity ([`PlanningProblem::add_capacity`]).
    pub extra_hours: Vec<f64>,
    /// Capacities and budget raised to what the obligations force.
    pub raised: Vec<Raised>,
    /// Subgradient iterations run (0 for an exact solution).
    pub iterations: usize,
    masks: Vec<u64>,
}

impl Solution {
    /// The options (indices into the line's class options) chosen on line `l`, ascending.
    pub fn levers(&self, l: usize) -> Vec<usize> {
        let m = self.masks.get(l).copied().unwrap_or(0);
        (0..64).filter(|k| m & (1u64 << k) != 0).collect()
    }

    /// Relative gap of the weighted shortfall against its bound (0 when proven optimal; `None`
    /// without a bound).
    pub fn shortfall_gap(&self) -> Option<f64> {
        self.shortfall_bound
            .map(|b| rel_gap(self.shortfall_points, b))
    }

    /// Relative gap of the effort against its bound (`None` without a bound).
    pub fn effort_gap(&self) -> Option<f64> {
        self.effort_bound.map(|b| rel_gap(self.total_effort, b))
    }
}

/// `(value − bound) / value`, 0 when within rounding.
pub(crate) fn rel_gap(value: f64, bound: f64) -> f64 {
    let d = value - bound;
    if d <= 1e-9 * value.abs().max(1.0) || value <= 0.0 {
        0.0
    } else {
        d / value
    }
}

/// Absolute tolerance on a weighted shortfall in points.
fn short_tol(s: f64) -> f64 {
    1e-7 + 1e-9 * s.abs()
}

impl PlanningProblem {
    /// Solves the problem for its [`Objective`]: exactly when it is small (see
    /// [`SolverOptions::exact_line_limit`]), otherwise by Lagrangian relaxation with a primal
    /// heuristic, reporting proven lower bounds and gaps. A capacity or budget below what the
    /// obligations force is raised to that ([`Solution::raised`]), not an infeasibility.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when a class has no combination of levers meeting its locks,
    /// obligations, exclusivity groups, prerequisites and maximum of levers, or when the locked
    /// levers alone need more hours than a capacity; [`ErrorKind::Overflow`] when a class has
    /// too many lever combinations.
    pub fn solve(&self, options: &SolverOptions) -> Result<Solution> {
        let mut c = compile(self)?;
        self.check_locked_hours(&c)?;
        let raised = self.law(&mut c);
        let (state, iterations, exact, lower, s_bound, e_bound) = match self.objective {
            Objective::Weighted => {
                let (state, lb, it, exact) = weighted(&c, options)?;
                (state, it, exact, lb, None, None)
            }
            Objective::Lexicographic => {
                let l = lexicographic(self, &c, options)?;
                (
                    l.state,
                    l.iterations,
                    l.exact,
                    l.effort_bound,
                    Some(l.short_bound),
                    Some(l.effort_bound),
                )
            }
        };
        Ok(self.solution(
            &c, state, lower, iterations, exact, s_bound, e_bound, raised,
        ))
    }

    /// The least insertion hours each year whatever the plan: what locks and obligations force.
    ///
    /// # Errors
    /// As [`PlanningProblem::solve`] for classes without any valid combination of levers.
    pub fn min_hours(&self) -> Result<BTreeMap<i32, f64>> {
        let c = compile(self)?;
        let forced = c.forced_hours();
        Ok(self
            .years
            .iter()
            .enumerate()
            .map(|(y, &year)| (year, forced[y]))
            .collect())
    }

    /// The least insertion hours of each line whatever the plan (what its locks and
    /// obligations force).
    pub(crate) fn line_min_hours(&self) -> Result<Vec<f64>> {
        Ok(compile(self)?.line_min_hours())
    }

    /// Hours of the locked levers alone, per capacity row.
    pub(crate) fn locked_hours(&self, c: &Compiled) -> Vec<f64> {
        let mut out = vec![0.0; c.cap.len()];
        for (l, line) in self.lines.iter().enumerate() {
            let class = &self.classes[line.class as usize];
            let h: f64 = class
                .forced
                .iter()
                .map(|&k| class.options[k].hours_per_meur * line.amount / 1e6)
                .sum();
            if h > 0.0 {
                for &k in &c.classes[c.line_class[l] as usize].caps {
                    out[k] += h;
                }
            }
        }
        out
    }

    /// A capacity below the hours of the locked levers alone is a contradiction in the input.
    fn check_locked_hours(&self, c: &Compiled) -> Result<()> {
        let locked = self.locked_hours(c);
        for (k, (&h, &cap)) in locked.iter().zip(&c.cap).enumerate() {
            if h > cap + EPS * cap.max(1.0) {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "{}: {cap:.0} hours is below the {h:.0} hours of the locked levers",
                        self.cap_label(k)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `insertion capacity of 2027` or the extra capacity's label.
    pub(crate) fn cap_label(&self, k: usize) -> String {
        match self.years.get(k) {
            Some(y) => format!("insertion capacity of {y}"),
            None => self
                .extra_caps
                .get(k - self.years.len())
                .map_or_else(String::new, |x| format!("{} ({})", x.label, x.year)),
        }
    }

    /// Level (1), law: raises each capacity to the hours the obligations force and the budget
    /// to the least effort they force (then the capacities), and drops the combinations with
    /// hours where a capacity is 0.
    pub(crate) fn law(&self, c: &mut Compiled) -> Vec<Raised> {
        let mut raised = Vec::new();
        let forced = c.forced_hours();
        let ny = self.years.len();
        for k in 0..c.cap.len() {
            if forced[k] > c.cap[k] + EPS * c.cap[k].max(1.0) {
                raised.push(Raised {
                    label: self.cap_label(k),
                    year: Some(
                        self.years
                            .get(k)
                            .copied()
                            .unwrap_or_else(|| self.extra_caps.get(k - ny).map_or(0, |x| x.year)),
                    ),
                    extra: k.checked_sub(ny),
                    given: c.cap[k],
                    needed: forced[k],
                });
                c.cap[k] = forced[k];
            }
        }
        // a capacity of 0 hours (with no hours forced): combinations with hours are out
        let zero: Vec<usize> = (0..c.cap.len()).filter(|&k| c.cap[k] <= 0.0).collect();
        if !zero.is_empty() {
            let classes = Arc::make_mut(&mut c.classes);
            for cl in classes.iter_mut() {
                if !cl.caps.iter().any(|k| zero.contains(k)) {
                    continue;
                }
                let n = cl.rows.len();
                let keep: Vec<usize> = (0..cl.subs.len())
                    .filter(|&s| cl.subs[s].h1 <= 0.0)
                    .collect();
                if keep.is_empty() || keep.len() == cl.subs.len() {
                    continue;
                }
                let inc: Vec<f64> = keep
                    .iter()
                    .flat_map(|&s| cl.inc[s * n..(s + 1) * n].to_vec())
                    .collect();
                cl.subs = keep.iter().map(|&s| cl.subs[s]).collect();
                cl.inc = inc;
            }
        }
        if c.budget.is_finite() {
            let (need, plan) = least_effort(c);
            c.within = Some(Arc::new(plan));
            if need > c.budget + EPS * c.budget.max(1.0) {
                raised.push(Raised {
                    label: "budget".to_string(),
                    year: None,
                    extra: None,
                    given: c.budget,
                    needed: need,
                });
                c.budget = need;
            }
        }
        raised
    }

    #[allow(clippy::too_many_arguments)]
    fn solution(
        &self,
        c: &Compiled,
        state: State,
        lb: f64,
        iterations: usize,
        exact: bool,
        shortfall_bound: Option<f64>,
        effort_bound: Option<f64>,
        raised: Vec<Raised>,
    ) -> Solution {
        let nr = c.g.len();
        let shortfalls: Vec<f64> = (0..nr).map(|r| c.short(r, state.contr[r])).collect();
        let shortfall_points: f64 = (0..nr)
            .map(|r| 100.0 * self.rows[r].weight * shortfalls[r])
            .sum();
        let objective = match self.objective {
            Objective::Lexicographic => state.effort,
            Objective::Weighted => c.objective(&state),
        };
        let lower_bound = lb.min(objective).max(0.0);
        let projected: Vec<f64> = (0..nr)
            .map(|r| {
                if c.den[r] > 0.0 {
                    (self.rows[r].goal - c.g[r] + state.contr[r]).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        let masks = state
            .choice
            .iter()
            .enumerate()
            .map(|(l, &s)| c.classes[c.line_class[l] as usize].subs[s as usize].mask)
            .collect();
        let ny = self.years.len();
        Solution {
            objective_kind: self.objective,
            objective,
            total_effort: state.effort,
            lower_bound,
            gap: rel_gap(objective, lower_bound),
            exact,
            shortfall_points,
            shortfall_bound: shortfall_bound.map(|b| b.min(shortfall_points).max(0.0)),
            effort_bound: effort_bound.map(|b| b.min(state.effort).max(0.0)),
            shortfalls,
            projected,
            hours: c
                .years
                .iter()
                .copied()
                .zip(state.hours.iter().copied())
                .collect(),
            extra_hours: state.hours[ny..].to_vec(),
            raised,
            iterations,
            masks,
        }
    }
}

impl PlanningProblem {
    /// The solution made of the options chosen on each line (bit masks over each line's class
    /// options, e.g. read from another solver's solution file), evaluated: effort, shortfalls,
    /// hours, with no bound.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the line and the constraint when a mask misses a
    /// locked lever or an obligation, breaks an exclusivity group, a prerequisite or the
    /// maximum of levers, or when the hours exceed a capacity (as raised to what the
    /// obligations force) or the effort the budget; [`ErrorKind::InvalidValue`] when the
    /// masks are not one per line or name an unknown option.
    pub(crate) fn evaluate(&self, masks: &[u64]) -> Result<Solution> {
        if masks.len() != self.lines.len() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{} choices for {} lines", masks.len(), self.lines.len()),
            ));
        }
        let mut c = compile(self)?;
        self.check_locked_hours(&c)?;
        let raised = self.law(&mut c);
        let nr = self.rows.len();
        let mut contr = vec![0.0; nr];
        let mut hours = vec![0.0; c.cap.len()];
        let mut effort = 0.0;
        let name = |l: usize| {
            self.line_names
                .get(l)
                .and_then(|n| n.clone())
                .unwrap_or_else(|| l.to_string())
        };
        let bad = |l: usize, what: String| {
            Err(Error::new(
                ErrorKind::Inconsistent,
                format!("line \"{}\": {what}", crate::util::text::excerpt(&name(l))),
            ))
        };
        for (l, line) in self.lines.iter().enumerate() {
            let class = &self.classes[line.class as usize];
            let m = masks[l];
            let n = class.options.len();
            if n < 64 && m >> n != 0 {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("line \"{}\": an unknown option is chosen", name(l)),
                ));
            }
            let on = |k: usize| m & (1 << k) != 0;
            if class.forced.iter().any(|&k| !on(k)) {
                return bad(l, "a locked lever is missing".into());
            }
            if let Some(g) = class
                .obligations
                .iter()
                .position(|g| !g.iter().any(|&k| on(k)))
            {
                let what = class.obligation_names.get(g).cloned().unwrap_or_default();
                return bad(l, format!("obligation {what} is not met"));
            }
            if class
                .exclusive
                .iter()
                .any(|g| g.iter().filter(|&&k| on(k)).count() > 1)
            {
                return bad(l, "two levers of an exclusivity group".into());
            }
            if class
                .prerequisites
                .iter()
                .any(|(a, req)| on(*a) && !req.iter().any(|&k| on(k)))
            {
                return bad(l, "a lever without its prerequisite".into());
            }
            if class
                .max_levers
                .is_some_and(|x| m.count_ones() as usize > x)
            {
                return bad(l, "more levers than the maximum per line".into());
            }
            let a = line.amount;
            let ci = &c.classes[c.line_class[l] as usize];
            for (k, o) in class.options.iter().enumerate() {
                if on(k) {
                    effort += o.effort_base + o.effort_per_meur * a / 1e6;
                    for &cap in &ci.caps {
                        hours[cap] += o.hours_per_meur * a / 1e6;
                    }
                }
            }
            for &(r, base) in &class.rows {
                let raw: f64 = class
                    .options
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| on(k))
                    .flat_map(|(_, o)| o.covers.iter().filter(|x| x.0 == r).map(|x| x.1))
                    .sum();
                let counted = match self.rows[r].basis {
                    Basis::Count => {
                        if raw > 0.0 {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    Basis::Value => raw,
                };
                let inc = ((base + counted).min(1.0) - base).max(0.0);
                if inc > 0.0 {
                    let w = match self.rows[r].basis {
                        Basis::Count => 1.0,
                        Basis::Value => a,
                    };
                    contr[r] += w * c.inv_den[r] * inc;
                }
            }
        }
        for (k, (&h, &cap)) in hours.iter().zip(&c.cap).enumerate() {
            if h > cap + 1e-6 * cap.max(1.0) {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "{}: {h:.0} hours planned, above {cap:.0}",
                        self.cap_label(k)
                    ),
                ));
            }
        }
        if effort > c.budget + 1e-6 * c.budget.max(1.0) {
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "effort budget: {effort:.1} person-days planned, above {:.1}",
                    c.budget
                ),
            ));
        }
        let state = State {
            choice: vec![0; self.lines.len()],
            contr,
            hours,
            effort,
        };
        let mut sol = self.solution(&c, state, 0.0, 0, false, None, None, raised);
        sol.masks = masks.to_vec();
        if self.objective == Objective::Lexicographic {
            sol.lower_bound = 0.0;
            sol.gap = rel_gap(sol.objective, 0.0);
        }
        Ok(sol)
    }
}

/// The least effort of a plan meeting the capacities (requirements ignored), with that plan:
/// every line at its combination of least effort, repaired to the capacities (exactly on
/// small problems).
fn least_effort(c: &Compiled) -> (f64, Vec<u32>) {
    let choice: Vec<u32> = c
        .line_class
        .iter()
        .enumerate()
        .map(|(l, &cls)| {
            let cl = &c.classes[cls as usize];
            let a = c.line_amount[l];
            (0..cl.subs.len())
                .min_by(|&x, &y| {
                    cl.subs[x]
                        .effort(a)
                        .total_cmp(&cl.subs[y].effort(a))
                        .then(cl.subs[x].hours(a).total_cmp(&cl.subs[y].hours(a)))
                        .then(x.cmp(&y))
                })
                .unwrap_or(0) as u32
        })
        .collect();
    let mut free = c.clone();
    free.budget = f64::INFINITY;
    free.alpha = 1.0;
    free.m = vec![0.0; c.g.len()];
    free.short_cap = None;
    let mut st = free.state(choice);
    if free.within_limits(&st) {
        return (st.effort, st.choice); // the least effort of every line fits
    }
    if c.line_class.len() <= 64 {
        // small: exactly
        if let (true, Some((_, choice))) =
            search(&free, (0..c.line_class.len()).collect(), None, 5_000_000)
        {
            return (free.state(choice.clone()).effort, choice);
        }
    }
    let _ = repair(&free, &mut st);
    improve(&free, &mut st, 2, true);
    (st.effort, st.choice)
}

/// The weighted objective: exact when small, else the Lagrangian heuristic. Returns the
/// state, the lower bound, the iterations and whether it is proven optimal.
fn weighted(c: &Compiled, o: &SolverOptions) -> Result<(State, f64, usize, bool)> {
    if c.line_class.len() <= o.exact_line_limit {
        if let Some(state) = exact(c, o.exact_node_limit)? {
            let obj = c.objective(&state);
            return Ok((state, obj, 0, true));
        }
    }
    let h = heuristic(c, o, o.target_gap, true, false)?;
    Ok((h.state, h.lb.max(0.0), h.iterations, false))
}

/// The result of the lexicographic stages.
struct Lexi {
    state: State,
    short_bound: f64,
    effort_bound: f64,
    iterations: usize,
    exact: bool,
}

/// The lexicographic objective: the least weighted shortfall, then the least effort at it.
fn lexicographic(p: &PlanningProblem, c: &Compiled, o: &SolverOptions) -> Result<Lexi> {
    let nr = c.g.len();
    // weight of a share unit of each requirement's shortfall, in points × priority
    let w: Vec<f64> = p.rows.iter().map(|r| 100.0 * r.weight).collect();
    let mut cs = c.clone();
    cs.alpha = 0.0;
    cs.m = w.clone();
    // stage 2 bound from covering every requirement as much as its lines allow
    let reach = c.reach();
    let l_ind: f64 = (0..nr).map(|r| w[r] * c.short(r, reach[r])).sum();
    if c.line_class.len() <= o.exact_line_limit {
        if let Some(sst) = exact(&cs, o.exact_node_limit)? {
            let s_star = c.weighted_short(&w, &sst.contr);
            let mut ce = c.clone();
            ce.alpha = 1.0;
            ce.m = vec![0.0; nr];
            ce.short_cap = Some((w.clone(), s_star + short_tol(s_star)));
            if let Some(est) = exact(&ce, o.exact_node_limit)? {
                return Ok(Lexi {
                    short_bound: s_star,
                    effort_bound: est.effort,
                    state: est,
                    iterations: 0,
                    exact: true,
                });
            }
        }
    }
    // stage 2: a plan covering every requirement as much as possible, when it fits the
    // capacities and budget, is optimal; otherwise the Lagrangian heuristic
    let mut iterations = 0;
    let greedy = cs.state(max_coverage(&cs));
    let (sstate, s_lb) = if cs.within_limits(&greedy)
        && c.weighted_short(&w, &greedy.contr) <= l_ind + short_tol(l_ind)
    {
        (greedy, l_ind)
    } else {
        let h = heuristic(&cs, o, o.target_gap.min(1e-4), true, false)?;
        iterations += h.iterations;
        (h.state, h.lb.max(l_ind))
    };
    let s_star = c.weighted_short(&w, &sstate.contr);
    let independent = s_star <= l_ind + short_tol(l_ind);
    // stage 3: every requirement held at the stage-2 coverage (count requirements rounded up
    // to whole lines), as hard rows
    let mut ce = c.clone();
    ce.alpha = 1.0;
    let emax: f64 = c
        .line_class
        .iter()
        .enumerate()
        .map(|(l, &cls)| {
            let a = c.line_amount[l];
            c.classes[cls as usize]
                .subs
                .iter()
                .map(|s| s.effort(a))
                .fold(0.0, f64::max)
        })
        .sum();
    let hard = 1e3 * (emax + 1.0);
    let mut s_fixed = vec![0.0; nr];
    for r in 0..nr {
        s_fixed[r] = c.short(r, sstate.contr[r]);
        let mut g = c.g[r] - s_fixed[r];
        if c.count[r] && g > 0.0 && c.den[r] > 0.0 {
            g = (g * c.den[r] - 1e-7).ceil().max(0.0) / c.den[r];
        }
        ce.g[r] = g;
        ce.m[r] = hard;
    }
    // up to 2,000 lines, when the stronger bound follows (it closes the gap, not the
    // Lagrangian iterations: 400 of them reach 1.4 % on 2,000 lines), 100 iterations give its
    // starting multipliers and a primal; the neighbourhood search below then works the primal
    // down to a tenth of the effort gap
    let small = c.line_class.len() <= 2_000;
    let short_stage3 = small && independent;
    let o3 = if short_stage3 {
        SolverOptions {
            max_iterations: o.max_iterations.min(100),
            ..o.clone()
        }
    } else {
        o.clone()
    };
    let h = heuristic(&ce, &o3, o.effort_gap, false, false)?;
    iterations += h.iterations;
    // the stage-3 plan must keep the stage-2 shortfall and the limits; the stage-2 plan is
    // one of its candidates
    let valid = |st: &State| {
        ce.within_limits(st) && c.weighted_short(&w, &st.contr) <= s_star + short_tol(s_star)
    };
    let mut state = if valid(&h.state) && h.state.effort <= sstate.effort {
        h.state.clone()
    } else {
        sstate
    };
    let mut e_lb = h.lb;
    // the target: the effort gap up to 20,000 lines, the weighted objective's beyond (the
    // stronger bound's cost grows with the lines of each value target)
    let target = if c.line_class.len() <= 20_000 {
        o.effort_gap
    } else {
        o.effort_gap.max(o.target_gap)
    };
    if independent && rel_gap(state.effort, e_lb) > target {
        if let Some(mut strong) = super::bound::Strong::new(&ce) {
            let (b, mu, lam) = strong.bound(&h.mult.mu, &h.mult.lam);
            e_lb = e_lb.max(b);
            if rel_gap(state.effort, e_lb) > target {
                // a primal from the multipliers the bound reached
                if let Ok(st) = primal(&ce, &Mult { mu, lam, nu: 0.0 }, 2, small) {
                    if valid(&st) && st.effort < state.effort {
                        state = st;
                    }
                }
            }
        }
    }
    let lns_gap = if short_stage3 {
        o.effort_gap / 10.0
    } else {
        o.effort_gap
    };
    if small && rel_gap(state.effort, e_lb) > lns_gap {
        // neighbourhood search until the proven gap is within 90 % of the target
        let stop = e_lb.max(0.0) / (1.0 - 0.9 * lns_gap);
        let mut st = state.clone();
        lns(&ce, &mut st, 8 * c.line_class.len(), 3, 30, stop);
        if valid(&st) && st.effort < state.effort {
            state = st;
        }
    }
    if !independent {
        // the stage-3 rows hold the stage-2 plan's coverages, which fall short of the least
        // shortfall by δ = S − L_ind (every plan has s_r ≥ m_r, the shortfall of row r at its
        // reach, Σ w_r m_r = L_ind). With ρ the largest price of a point of shortfall among the
        // multipliers and d_r the shortfall the stage-3 row allows, weak duality on
        // Σ w_r (s_r − m_r) ≤ δ gives, for any plan of weighted shortfall at most S:
        // E ≥ L(μ) − ρ δ + Σ_{w_r>0} μ_r (d_r − m_r) − Σ_{w_r=0} μ_r (g_r − d_r)
        let mu = &h.mult.mu;
        let rho = (0..nr)
            .filter(|&r| w[r] > 0.0)
            .map(|r| mu[r] / w[r])
            .fold(0.0, f64::max);
        let delta = (s_star - l_ind).max(0.0);
        let corr: f64 = (0..nr)
            .map(|r| {
                let d = c.g[r] - ce.g[r];
                if w[r] > 0.0 {
                    mu[r] * (d - c.short(r, reach[r]))
                } else {
                    -mu[r] * (c.g[r] - d).max(0.0)
                }
            })
            .sum();
        e_lb = h.lb - rho * delta + corr;
    }
    Ok(Lexi {
        state,
        short_bound: s_lb,
        effort_bound: e_lb.max(0.0),
        iterations,
        exact: false,
    })
}

/// Per line, the combination covering its requirements most (weighted by `c.m`), ties to the
/// fewest hours, then the least effort.
fn max_coverage(c: &Compiled) -> Vec<u32> {
    c.line_class
        .iter()
        .enumerate()
        .map(|(l, &cls)| {
            let cl = &c.classes[cls as usize];
            let a = c.line_amount[l];
            let score = |s: usize| -> f64 {
                cl.inc(s)
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| c.g[cl.rows[j]] > EPS)
                    .map(|(j, &x)| {
                        c.m[cl.rows[j]] * coef(cl.value[j], c.inv_den[cl.rows[j]], a) * x
                    })
                    .sum()
            };
            (0..cl.subs.len())
                .min_by(|&x, &y| {
                    score(y)
                        .total_cmp(&score(x))
                        .then(cl.subs[x].hours(a).total_cmp(&cl.subs[y].hours(a)))
                        .then(cl.subs[x].effort(a).total_cmp(&cl.subs[y].effort(a)))
                        .then(x.cmp(&y))
                })
                .unwrap_or(0) as u32
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// exact branch and bound

struct Bnb<'a> {
    c: &'a Compiled,
    order: Vec<usize>,
    /// per depth d: min effort of lines d.., min hours per capacity row, max contribution
    /// per row
    suf_eff: Vec<f64>,
    suf_hours: Vec<Vec<f64>>,
    suf_contr: Vec<Vec<f64>>,
    cur: Vec<u32>,
    contr: Vec<f64>,
    hours: Vec<f64>,
    best: Option<(f64, Vec<u32>)>,
    nodes: u64,
    limit: u64,
    /// Rows the searched lines contribute to; the others' shortfall is the constant `fixed`
    /// (objective) and `fixed_cap` (capped shortfall).
    touched: Vec<usize>,
    fixed: f64,
    fixed_cap: f64,
    /// Stop as soon as a solution reaches this objective (a proven bound).
    good_enough: f64,
}

impl Bnb<'_> {
    fn bound(&self, d: usize, effort: f64) -> f64 {
        let mut b = self.c.alpha * (effort + self.suf_eff[d]) + self.fixed;
        for &r in &self.touched {
            if self.c.m[r] > 0.0 {
                b += self.c.m[r] * self.c.short(r, self.contr[r] + self.suf_contr[d][r]);
            }
        }
        b
    }

    /// Whether the shortfall cap can still be met from depth `d`.
    fn cap_ok(&self, d: usize) -> bool {
        let Some((w, cap)) = &self.c.short_cap else {
            return true;
        };
        let mut s = self.fixed_cap;
        for &r in &self.touched {
            s += w[r] * self.c.short(r, self.contr[r] + self.suf_contr[d][r]);
        }
        s <= *cap
    }

    fn go(&mut self, d: usize, effort: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            return false;
        }
        if d == self.order.len() {
            if !self.cap_ok(d) {
                return true;
            }
            let obj = self.bound(d, effort);
            if self.best.as_ref().is_none_or(|(b, _)| obj < *b - 1e-12) {
                self.best = Some((obj, self.cur.clone()));
            }
            return true;
        }
        let l = self.order[d];
        let cl: &CClass = &self.c.classes[self.c.line_class[l] as usize];
        let a = self.c.line_amount[l];
        // try combinations in order of effort
        let mut cand: Vec<usize> = (0..cl.subs.len()).collect();
        cand.sort_by(|&x, &y| {
            cl.subs[x]
                .effort(a)
                .total_cmp(&cl.subs[y].effort(a))
                .then(x.cmp(&y))
        });
        for s in cand {
            if self
                .best
                .as_ref()
                .is_some_and(|(b, _)| *b <= self.good_enough + 1e-12)
            {
                return true;
            }
            let sub = cl.subs[s];
            let e = effort + sub.effort(a);
            let dh = sub.hours(a);
            if cl
                .caps
                .iter()
                .any(|&k| self.hours[k] + dh + self.suf_hours[d + 1][k] > self.c.cap_limit(k))
                || e + self.suf_eff[d + 1] > self.c.budget_limit()
            {
                continue;
            }
            let inc = cl.inc(s);
            for (j, &x) in inc.iter().enumerate() {
                self.contr[cl.rows[j]] += coef(cl.value[j], self.c.inv_den[cl.rows[j]], a) * x;
            }
            for &k in &cl.caps {
                self.hours[k] += dh;
            }
            self.cur[l] = s as u32;
            let prune = !self.cap_ok(d + 1)
                || self
                    .best
                    .as_ref()
                    .is_some_and(|(b, _)| self.bound(d + 1, e) >= *b - 1e-12);
            let ok = prune || self.go(d + 1, e);
            for (j, &x) in inc.iter().enumerate() {
                self.contr[cl.rows[j]] -= coef(cl.value[j], self.c.inv_den[cl.rows[j]], a) * x;
            }
            for &k in &cl.caps {
                self.hours[k] -= dh;
            }
            if !ok {
                return false;
            }
        }
        true
    }
}

/// The optimum by branch and bound, `None` when the node limit is hit.
fn exact(c: &Compiled, limit: u64) -> Result<Option<State>> {
    let order: Vec<usize> = (0..c.line_class.len()).collect();
    let (complete, best) = search(c, order, None, limit);
    if !complete {
        return Ok(None);
    }
    match best {
        Some((_, choice)) => Ok(Some(c.state(choice))),
        None => Err(infeasible("capacities and budget")),
    }
}

fn infeasible(what: &str) -> Error {
    Error::new(
        ErrorKind::Inconsistent,
        format!("no plan meets the locks, obligations and {what}"),
    )
}

/// Branch and bound over the lines of `order`, the other lines keeping their combination in
/// `base` (all lines free when `base` is `None`). Returns whether the search completed within
/// `limit` nodes and the best complete assignment found.
fn search(
    c: &Compiled,
    order: Vec<usize>,
    base: Option<&State>,
    limit: u64,
) -> (bool, Option<(f64, Vec<u32>)>) {
    let n = order.len();
    let nr = c.g.len();
    let nc = c.cap.len();
    let mut suf_eff = vec![0.0; n + 1];
    let mut suf_hours = vec![vec![0.0; nc]; n + 1];
    let mut suf_contr = vec![vec![0.0; nr]; n + 1];
    for d in (0..n).rev() {
        let l = order[d];
        let cl = &c.classes[c.line_class[l] as usize];
        let a = c.line_amount[l];
        let min_e = cl
            .subs
            .iter()
            .map(|s| s.effort(a))
            .fold(f64::INFINITY, f64::min);
        let min_h = cl
            .subs
            .iter()
            .map(|s| s.hours(a))
            .fold(f64::INFINITY, f64::min);
        suf_eff[d] = suf_eff[d + 1] + min_e;
        suf_hours[d] = suf_hours[d + 1].clone();
        for &k in &cl.caps {
            suf_hours[d][k] += min_h;
        }
        suf_contr[d] = suf_contr[d + 1].clone();
        for (j, &r) in cl.rows.iter().enumerate() {
            let best = (0..cl.subs.len()).map(|s| cl.inc(s)[j]).fold(0.0, f64::max);
            suf_contr[d][r] += coef(cl.value[j], c.inv_den[r], a) * best;
        }
    }
    // the fixed part: every line outside `order` at its base combination
    let incumbent = base
        .filter(|st| {
            c.short_cap
                .as_ref()
                .is_none_or(|(w, cap)| c.weighted_short(w, &st.contr) <= *cap)
        })
        .map(|st| (c.objective(st), st.choice.clone()));
    let (cur, contr, hours, effort) = match base {
        None => (
            vec![0; c.line_class.len()],
            vec![0.0; nr],
            vec![0.0; nc],
            0.0,
        ),
        Some(st) => {
            let mut contr = st.contr.clone();
            let mut hours = st.hours.clone();
            let mut effort = st.effort;
            for &l in &order {
                let cl = &c.classes[c.line_class[l] as usize];
                let a = c.line_amount[l];
                let s0 = st.choice[l] as usize;
                effort -= cl.subs[s0].effort(a);
                for &k in &cl.caps {
                    hours[k] -= cl.subs[s0].hours(a);
                }
                for (j, &x) in cl.inc(s0).iter().enumerate() {
                    let r = cl.rows[j];
                    contr[r] -= coef(cl.value[j], c.inv_den[r], a) * x;
                }
            }
            (st.choice.clone(), contr, hours, effort)
        }
    };
    let mut is_touched = vec![false; nr];
    for &l in &order {
        for &r in &c.classes[c.line_class[l] as usize].rows {
            is_touched[r] = true;
        }
    }
    let touched: Vec<usize> = (0..nr).filter(|&r| is_touched[r]).collect();
    let fixed: f64 = (0..nr)
        .filter(|&r| !is_touched[r])
        .map(|r| c.m[r] * c.short(r, contr[r]))
        .sum();
    let fixed_cap: f64 = c.short_cap.as_ref().map_or(0.0, |(w, _)| {
        (0..nr)
            .filter(|&r| !is_touched[r])
            .map(|r| w[r] * c.short(r, contr[r]))
            .sum()
    });
    let mut b = Bnb {
        c,
        order,
        suf_eff,
        suf_hours,
        suf_contr,
        cur,
        contr,
        hours,
        best: incumbent,
        nodes: 0,
        limit,
        touched,
        fixed,
        fixed_cap,
        good_enough: f64::NEG_INFINITY,
    };
    b.good_enough = b.bound(0, effort);
    let complete = b.go(0, effort);
    (complete, b.best)
}

/// Large-neighbourhood search: `rounds` times, re-optimises exactly (within `limit` nodes) up
/// to `k` lines drawn from the scope of one requirement, the others fixed; keeps improvements
/// and stops early once the objective is at most `stop`.
fn lns(c: &Compiled, st: &mut State, rounds: usize, k: usize, limit: u64, stop: f64) {
    let nr = c.g.len();
    let mut row_lines: Vec<Vec<u32>> = vec![Vec::new(); nr];
    for cl in c.classes.iter() {
        for &r in &cl.rows {
            row_lines[r].extend_from_slice(&cl.lines);
        }
    }
    let rows: Vec<usize> = (0..nr)
        .filter(|&r| c.g[r] > EPS && row_lines[r].len() > 1)
        .collect();
    if rows.is_empty() {
        return;
    }
    let mut rng = super::synthetic::Rng::new(0x5EA5_0001);
    let mut current = c.objective(st);
    for _ in 0..rounds {
        if current <= stop {
            break;
        }
        let pool = &row_lines[rows[rng.below(rows.len())]];
        let mut order: Vec<usize> = if pool.len() <= k {
            pool.iter().map(|&l| l as usize).collect()
        } else {
            let mut pick = Vec::with_capacity(k);
            while pick.len() < k {
                let l = pool[rng.below(pool.len())] as usize;
                if !pick.contains(&l) {
                    pick.push(l);
                }
            }
            pick
        };
        order.sort_unstable();
        let (_, best) = search(c, order, Some(st), limit);
        if let Some((obj, choice)) = best {
            if obj < current - 1e-9 * current.abs().max(1.0) {
                *st = c.state(choice);
                current = c.objective(st);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lagrangian relaxation

#[derive(Debug, Clone, PartialEq)]
struct Mult {
    mu: Vec<f64>,
    lam: Vec<f64>,
    nu: f64,
}

/// The result of one dual evaluation.
struct Dual {
    value: f64,
    /// Aggregates of the dual assignment.
    contr: Vec<f64>,
    hours: Vec<f64>,
    effort: f64,
}

fn dual(
    c: &Compiled,
    mult: &Mult,
    scratch: &mut Vec<(f64, f64, usize)>,
    env: &mut Vec<(usize, f64)>,
    choice: Option<&mut Vec<u32>>,
) -> Dual {
    let nr = c.g.len();
    let mut value = 0.0;
    for r in 0..nr {
        value += mult.mu[r] * c.g[r];
    }
    for (k, &cap) in c.cap.iter().enumerate() {
        if cap.is_finite() {
            value -= mult.lam[k] * c.cap_limit(k);
        }
    }
    if c.budget.is_finite() {
        value -= mult.nu * c.budget_limit();
    }
    let mut contr = vec![0.0; nr];
    let mut hours = vec![0.0; c.cap.len()];
    let mut effort = 0.0;
    let mut choice = choice;
    let ce = c.alpha + mult.nu;
    for cl in c.classes.iter() {
        if cl.lines.is_empty() {
            continue;
        }
        let lam: f64 = cl.caps.iter().map(|&k| mult.lam[k]).sum();
        scratch.clear();
        for (s, sub) in cl.subs.iter().enumerate() {
            let mut al = ce * sub.c0;
            let mut be = ce * sub.c1 + lam * sub.h1;
            for (j, &x) in cl.inc(s).iter().enumerate() {
                let r = cl.rows[j];
                let p = mult.mu[r] * c.inv_den[r] * x;
                if cl.value[j] {
                    be -= p;
                } else {
                    al -= p;
                }
            }
            scratch.push((al, be, s));
        }
        envelope(scratch, env);
        for (e, &(s, start)) in env.iter().enumerate() {
            let end = env.get(e + 1).map_or(f64::INFINITY, |x| x.1);
            let i0 = cl.amounts.partition_point(|&a| a < start);
            let i1 = cl.amounts.partition_point(|&a| a < end);
            if i1 <= i0 {
                continue;
            }
            let n = (i1 - i0) as f64;
            let amt = cl.prefix[i1] - cl.prefix[i0];
            let sub = &cl.subs[s];
            let (al, be) = scratch
                .iter()
                .find(|f| f.2 == s)
                .map_or((0.0, 0.0), |f| (f.0, f.1));
            value += n * al + amt * be;
            effort += n * sub.c0 + amt * sub.c1;
            for &k in &cl.caps {
                hours[k] += amt * sub.h1;
            }
            for (j, &x) in cl.inc(s).iter().enumerate() {
                if x > 0.0 {
                    let r = cl.rows[j];
                    let w = if cl.value[j] { amt } else { n };
                    contr[r] += w * c.inv_den[r] * x;
                }
            }
            if let Some(ch) = choice.as_deref_mut() {
                for &l in &cl.lines[i0..i1] {
                    ch[l as usize] = s as u32;
                }
            }
        }
    }
    Dual {
        value,
        contr,
        hours,
        effort,
    }
}

/// The result of the Lagrangian heuristic.
struct Heur {
    state: State,
    /// The best lower bound.
    lb: f64,
    /// The multipliers giving it.
    mult: Mult,
    iterations: usize,
}

/// Lagrangian iterations until the relative gap is at most `gap`, then a primal from the
/// best multipliers and a neighbourhood search on small problems.
fn heuristic(c: &Compiled, o: &SolverOptions, gap: f64, lns_on: bool, light: bool) -> Result<Heur> {
    let nr = c.g.len();
    let nc = c.cap.len();
    // a requirement out of reach stays short in every plan, so its multiplier is the full
    // shortfall weight (complementary slackness)
    let reach = c.reach();
    let out_of_reach: Vec<bool> = (0..nr)
        .map(|r| c.g[r] > EPS && reach[r] < c.g[r] - EPS)
        .collect();
    let active: Vec<bool> = (0..nr)
        .map(|r| c.g[r] > EPS && !out_of_reach[r] && c.m[r] > 0.0)
        .collect();
    let mut mult = Mult {
        mu: (0..nr)
            .map(|r| if out_of_reach[r] { c.m[r] } else { 0.0 })
            .collect(),
        lam: vec![0.0; nc],
        nu: 0.0,
    };
    let mut grad = vec![0.0; nr + nc + 1];
    let mut dir = vec![0.0; nr + nc + 1];
    let mut scratch = Vec::new();
    let mut env = Vec::new();
    // a first primal (the dual assignment at the starting multipliers, repaired) gives the
    // Polyak target; on small problems the periodic primal also runs the capacity exchanges
    let small = c.line_class.len() <= 2_000;
    let mut best_state = primal(c, &mult, 1, small)?;
    let mut ub = c.objective(&best_state);
    let mut best_lb = f64::NEG_INFINITY;
    let mut best_mult = mult.clone();
    let mut theta = 2.0;
    let mut stall = 0;
    // best bound 50 iterations ago: the iterations stop when it no longer moves
    // (reserved for at most 4,096 iterations: a larger limit grows it as it runs)
    let mut lb_window: Vec<f64> = Vec::with_capacity(o.max_iterations.min(4_096) + 1);
    let mut it = 0;
    // light: a few multipliers for a stronger bound to start from (stage 3)
    let max_it = if light {
        o.max_iterations.min(120)
    } else {
        o.max_iterations
    };
    let every = match (light, small) {
        (true, _) => 40,
        (false, true) => 10,
        (false, false) => 100,
    };
    let mut ub_mult: Option<Mult> = None;
    let mut ub_class = f64::INFINITY;
    while it < max_it {
        it += 1;
        let d = dual(c, &mult, &mut scratch, &mut env, None);
        if d.value > best_lb + 1e-9 * d.value.abs().max(1.0) {
            best_lb = d.value;
            best_mult = mult.clone();
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta *= 0.5;
                stall = 0;
            }
        }
        // the dual assignment is a primal candidate when it meets capacities and budget
        let feas = d
            .hours
            .iter()
            .enumerate()
            .all(|(k, h)| *h <= c.cap_limit(k))
            && d.effort <= c.budget_limit();
        if feas {
            let obj = c.alpha * d.effort
                + (0..nr)
                    .map(|r| c.m[r] * c.short(r, d.contr[r]))
                    .sum::<f64>();
            if obj < ub_class {
                ub_class = obj;
                ub_mult = Some(mult.clone());
            }
        }
        // a line-level primal from the best multipliers now and then tightens the target
        if it % every == 0 {
            if let Ok(st) = primal(c, &mult, 1, small) {
                let obj = c.objective(&st);
                if obj < ub {
                    ub = obj;
                    best_state = st;
                }
            }
        }
        lb_window.push(best_lb);
        let settled = it > 100
            && lb_window
                .get(it - 51)
                .is_some_and(|&old| best_lb - old <= 1e-5 * best_lb.abs().max(1.0));
        let target = ub.min(ub_class);
        if target - best_lb <= gap * 0.9 * target.abs().max(1e-9) || theta < 1e-6 || settled {
            break;
        }
        // subgradient, constraints scaled to share units / fractions of capacity and budget;
        // components pushing a multiplier out of its box are dropped (projection)
        for r in 0..nr {
            grad[r] = 0.0;
            if active[r] {
                let gr = c.g[r] - d.contr[r];
                if !((mult.mu[r] <= 0.0 && gr < 0.0) || (mult.mu[r] >= c.m[r] && gr > 0.0)) {
                    grad[r] = gr;
                }
            }
        }
        for k in 0..nc {
            grad[nr + k] = 0.0;
            if c.cap[k].is_finite() && c.cap[k] > 0.0 {
                let gy = d.hours[k] / c.cap[k] - 1.0;
                if !(mult.lam[k] <= 0.0 && gy < 0.0) {
                    grad[nr + k] = gy;
                }
            }
        }
        grad[nr + nc] = 0.0;
        if c.budget.is_finite() && c.budget > 0.0 {
            let gb = d.effort / c.budget - 1.0;
            if !(mult.nu <= 0.0 && gb < 0.0) {
                grad[nr + nc] = gb;
            }
        }
        // deflection (Camerini, Fratta, Maffioli) against zig-zagging
        let gd: f64 = grad.iter().zip(&dir).map(|(a, b)| a * b).sum();
        let dd: f64 = dir.iter().map(|x| x * x).sum();
        let beta = if gd < 0.0 && dd > 0.0 {
            -1.5 * gd / dd
        } else {
            0.0
        };
        for (x, g) in dir.iter_mut().zip(&grad) {
            *x = g + beta * *x;
        }
        let norm: f64 = dir.iter().map(|x| x * x).sum();
        if norm <= 1e-18 {
            break; // the dual assignment is optimal for the relaxation and feasible
        }
        let t = theta * (target - d.value).max(1e-9 * target.abs().max(1.0)) / norm;
        for r in 0..nr {
            mult.mu[r] = (mult.mu[r] + t * dir[r]).clamp(0.0, c.m[r]);
        }
        for k in 0..nc {
            if c.cap[k].is_finite() && c.cap[k] > 0.0 {
                // λ is per hour: the scaled constraint's multiplier divided by the capacity
                mult.lam[k] = (mult.lam[k] + t * dir[nr + k] / c.cap[k]).max(0.0);
            }
        }
        if c.budget.is_finite() && c.budget > 0.0 {
            mult.nu = (mult.nu + t * dir[nr + nc] / c.budget).max(0.0);
        }
    }
    // the final primal starts from the best feasible dual assignment when there is one (its
    // objective is then at most `ub_class`), else from the best multipliers
    let proven = ub - best_lb <= 0.5 * gap * ub.abs().max(1e-9);
    for m in [ub_mult.or(Some(best_mult.clone()))]
        .into_iter()
        .flatten()
        .filter(|_| !proven)
    {
        if let Ok(s) = primal(c, &m, 2, small) {
            let obj = c.objective(&s);
            if obj < ub - 1e-12 {
                ub = obj;
                best_state = s;
            }
        }
    }
    if small && lns_on && ub - best_lb > gap * ub.abs().max(1e-9) {
        // 3-line neighbourhoods with a small node limit improve fastest per unit of work; the
        // work grows with the instance (8 rounds a line), and the search stops once the proven
        // gap is within 90 % of the target gap (deterministic: no wall clock)
        let stop = best_lb / (1.0 - 0.9 * gap);
        lns(c, &mut best_state, 8 * c.line_class.len(), 3, 30, stop);
    }
    Ok(Heur {
        state: best_state,
        lb: best_lb,
        mult: best_mult,
        iterations: it,
    })
}

// ---------------------------------------------------------------------------------------
// primal heuristic

/// The dual assignment at `mult`, repaired to meet capacities and budget, then improved by
/// single-line moves on the exact objective.
fn primal(c: &Compiled, mult: &Mult, passes: usize, exchanges: bool) -> Result<State> {
    let mut choice = vec![0u32; c.line_class.len()];
    let mut scratch = Vec::new();
    let mut env = Vec::new();
    dual(c, mult, &mut scratch, &mut env, Some(&mut choice));
    let mut st = c.state(choice);
    repair(c, &mut st)?;
    improve(c, &mut st, passes, exchanges);
    Ok(st)
}

/// Change in objective when line `l` moves from its combination to `s` (at the current
/// contributions), with the change in hours and effort.
#[inline]
fn delta(c: &Compiled, st: &State, l: usize, s: usize) -> (f64, f64, f64) {
    let cl = &c.classes[c.line_class[l] as usize];
    let a = c.line_amount[l];
    let s0 = st.choice[l] as usize;
    let (n, o) = (&cl.subs[s], &cl.subs[s0]);
    let de = n.effort(a) - o.effort(a);
    let dh = n.hours(a) - o.hours(a);
    let mut ds = 0.0;
    let (ni, oi) = (cl.inc(s), cl.inc(s0));
    for j in 0..cl.rows.len() {
        let dx = ni[j] - oi[j];
        if dx != 0.0 {
            let r = cl.rows[j];
            let cur = st.contr[r];
            let new = cur + coef(cl.value[j], c.inv_den[r], a) * dx;
            ds += c.m[r] * (c.short(r, new) - c.short(r, cur));
        }
    }
    (c.alpha * de + ds, dh, de)
}

fn apply(c: &Compiled, st: &mut State, l: usize, s: usize) {
    let cl = &c.classes[c.line_class[l] as usize];
    let a = c.line_amount[l];
    let s0 = st.choice[l] as usize;
    let (n, o) = (&cl.subs[s], &cl.subs[s0]);
    st.effort += n.effort(a) - o.effort(a);
    for &k in &cl.caps {
        st.hours[k] += n.hours(a) - o.hours(a);
    }
    let (ni, oi) = (cl.inc(s), cl.inc(s0));
    for j in 0..cl.rows.len() {
        let dx = ni[j] - oi[j];
        if dx != 0.0 {
            let r = cl.rows[j];
            st.contr[r] += coef(cl.value[j], c.inv_den[r], a) * dx;
        }
    }
    st.choice[l] = s as u32;
}

fn over_cap(c: &Compiled, st: &State, k: usize) -> bool {
    st.hours[k] > c.cap_limit(k)
}

fn over_budget(c: &Compiled, st: &State) -> bool {
    st.effort > c.budget_limit()
}

/// Room left in the capacities of line `l`'s class (the least of its rows).
fn room(c: &Compiled, st: &State, l: usize) -> f64 {
    c.classes[c.line_class[l] as usize]
        .caps
        .iter()
        .map(|&k| c.cap_limit(k) - st.hours[k])
        .fold(f64::INFINITY, f64::min)
}

/// Brings hours under each capacity and effort under the budget, by the moves that cost the
/// least objective per hour (or person-day) saved.
fn repair(c: &Compiled, st: &mut State) -> Result<()> {
    for k in 0..c.cap.len() {
        if !over_cap(c, st, k) {
            continue;
        }
        let mut moves: Vec<(f64, usize, usize)> = Vec::new();
        for (l, &cls) in c.line_class.iter().enumerate() {
            let cl = &c.classes[cls as usize];
            if !cl.caps.contains(&k) {
                continue;
            }
            let mut best: Option<(f64, usize)> = None;
            for s in 0..cl.subs.len() {
                let (dobj, dh, _) = delta(c, st, l, s);
                if dh < -EPS {
                    let ratio = dobj / -dh;
                    if best.is_none_or(|b| ratio < b.0) {
                        best = Some((ratio, s));
                    }
                }
            }
            if let Some((ratio, s)) = best {
                moves.push((ratio, l, s));
            }
        }
        moves.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, l, s) in &moves {
            if !over_cap(c, st, k) {
                break;
            }
            let (_, dh, _) = delta(c, st, l, s);
            if dh < 0.0 {
                apply(c, st, l, s);
            }
        }
        if over_cap(c, st, k) {
            // last resort: every line of the row on its least-hours combination
            for (l, &cls) in c.line_class.iter().enumerate() {
                let cl = &c.classes[cls as usize];
                if cl.caps.contains(&k) {
                    let a = c.line_amount[l];
                    let s = (0..cl.subs.len())
                        .min_by(|&x, &z| {
                            cl.subs[x]
                                .hours(a)
                                .total_cmp(&cl.subs[z].hours(a))
                                .then(x.cmp(&z))
                        })
                        .unwrap_or(0);
                    apply(c, st, l, s);
                }
            }
            if over_cap(c, st, k) {
                return Err(infeasible(&format!("a capacity ({} hours)", c.cap[k])));
            }
        }
    }
    // rounds of the cheapest moves per person-day saved, one per line a round: a line may
    // need several (from two levers to one, then to none)
    let mut rounds = 0;
    while over_budget(c, st) && rounds < 16 {
        rounds += 1;
        let mut moves: Vec<(f64, usize, usize)> = Vec::new();
        for (l, &cls) in c.line_class.iter().enumerate() {
            let cl = &c.classes[cls as usize];
            let room_h = room(c, st, l).max(EPS);
            let mut best: Option<(f64, usize)> = None;
            for s in 0..cl.subs.len() {
                let (dobj, dh, de) = delta(c, st, l, s);
                // a move may take hours where its capacities have room
                if de < -EPS && dh <= room_h {
                    let ratio = (dobj - c.alpha * de) / -de;
                    if best.is_none_or(|b| ratio < b.0) {
                        best = Some((ratio, s));
                    }
                }
            }
            if let Some((ratio, s)) = best {
                moves.push((ratio, l, s));
            }
        }
        moves.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut moved = false;
        for &(_, l, s) in &moves {
            if !over_budget(c, st) {
                break;
            }
            let (_, dh, de) = delta(c, st, l, s);
            if de < -EPS && dh <= room(c, st, l).max(EPS) {
                apply(c, st, l, s);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    if over_budget(c, st) {
        // greedy moves cannot trade hours between lines under a binding capacity: the law
        // level's least-effort plan meets the capacities and the budget it sized
        match c.within.as_deref().map(|ch| c.state(ch.clone())) {
            Some(w) if c.within_limits(&w) => *st = w,
            _ => return Err(infeasible("the effort budget")),
        }
    }
    Ok(())
}

/// Single-line moves that lower the objective while keeping capacities and budget, in line
/// order, for at most `passes` passes.
fn improve(c: &Compiled, st: &mut State, passes: usize, exchanges: bool) {
    let scale = 1e-9 * (st.effort + 1.0);
    for _ in 0..passes {
        let mut changed = false;
        let mut coefs: Vec<f64> = Vec::new();
        let mut contr: Vec<f64> = Vec::new();
        let mut goal: Vec<f64> = Vec::new();
        let mut short0: Vec<f64> = Vec::new();
        let mut weight: Vec<f64> = Vec::new();
        for l in 0..c.line_class.len() {
            let cl = &c.classes[c.line_class[l] as usize];
            let a = c.line_amount[l];
            let s0 = st.choice[l] as usize;
            let cur = cl.subs[s0];
            // the line's rows, hoisted out of the loop over combinations
            coefs.clear();
            contr.clear();
            goal.clear();
            short0.clear();
            weight.clear();
            for (j, &r) in cl.rows.iter().enumerate() {
                coefs.push(coef(cl.value[j], c.inv_den[r], a));
                contr.push(st.contr[r]);
                goal.push(c.g[r]);
                short0.push(c.short(r, st.contr[r]));
                weight.push(c.m[r]);
            }
            let inc0 = cl.inc(s0);
            let room_h = room(c, st, l);
            let room_e = c.budget_limit() - st.effort;
            let (e0, h0) = (cur.effort(a), cur.hours(a));
            let mut best = (-scale, usize::MAX);
            for (s, sub) in cl.subs.iter().enumerate() {
                if s == s0 {
                    continue;
                }
                let de = sub.effort(a) - e0;
                let dh = sub.hours(a) - h0;
                if (dh > 0.0 && dh > room_h) || (de > 0.0 && de > room_e) {
                    continue;
                }
                let inc = cl.inc(s);
                let mut ds = 0.0;
                for j in 0..inc.len() {
                    let dx = inc[j] - inc0[j];
                    if dx != 0.0 {
                        let left = goal[j] - contr[j] - coefs[j] * dx;
                        let after = if left > 1e-12 { left } else { 0.0 };
                        ds += weight[j] * (after - short0[j]);
                    }
                }
                let dobj = c.alpha * de + ds;
                if dobj < best.0 {
                    best = (dobj, s);
                }
            }
            if best.1 != usize::MAX {
                apply(c, st, l, best.1);
                changed = true;
            }
        }
        if exchanges && exchange(c, st) {
            changed = true;
        }
        if !changed {
            break;
        }
    }
    // recompute from scratch to drop accumulated rounding
    let choice = std::mem::take(&mut st.choice);
    *st = c.state(choice);
}

/// Pairs of moves within a capacity that binds: one line gives up hours at the least
/// objective cost per hour, another takes them at the largest gain per hour. Returns whether
/// anything changed.
fn exchange(c: &Compiled, st: &mut State) -> bool {
    let mut changed = false;
    for k in 0..c.cap.len() {
        if !c.cap[k].is_finite() {
            continue;
        }
        let mut release: Vec<(f64, usize, usize)> = Vec::new();
        let mut consume: Vec<(f64, usize, usize)> = Vec::new();
        for l in 0..c.line_class.len() {
            let cl = &c.classes[c.line_class[l] as usize];
            if !cl.caps.contains(&k) {
                continue;
            }
            let mut rel: Option<(f64, usize)> = None;
            let mut con: Option<(f64, usize)> = None;
            for s in 0..cl.subs.len() {
                if s == st.choice[l] as usize {
                    continue;
                }
                let (dobj, dh, de) = delta(c, st, l, s);
                if de > 0.0 && c.budget.is_finite() {
                    continue; // keep the budget out of exchanges
                }
                if dh < -EPS {
                    let r = dobj / -dh;
                    if rel.is_none_or(|b| r < b.0) {
                        rel = Some((r, s));
                    }
                } else if dh > EPS && dobj < 0.0 {
                    let g = -dobj / dh;
                    if con.is_none_or(|b| g > b.0) {
                        con = Some((g, s));
                    }
                }
            }
            if let Some((r, s)) = rel {
                release.push((r, l, s));
            }
            if let Some((g, s)) = con {
                consume.push((g, l, s));
            }
        }
        release.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        consume.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut used = vec![false; c.line_class.len()];
        let mut ri = 0;
        for &(gain, l, s) in &consume {
            if used[l] {
                continue;
            }
            // free enough hours for this move from the cheapest releases
            let before = c.objective(st);
            let mut undo: Vec<(usize, u32)> = Vec::new();
            let (_, need, _) = delta(c, st, l, s);
            while need > room(c, st, l) && ri < release.len() {
                let (cost, rl, rs) = release[ri];
                ri += 1;
                if used[rl] || rl == l || cost >= gain {
                    continue;
                }
                undo.push((rl, st.choice[rl]));
                apply(c, st, rl, rs);
                used[rl] = true;
            }
            let (dobj, dh, _) = delta(c, st, l, s);
            let fits = dh <= room(c, st, l);
            if fits && dobj < 0.0 {
                undo.push((l, st.choice[l]));
                apply(c, st, l, s);
            }
            if fits
                && dobj < 0.0
                && (0..c.cap.len()).all(|x| !over_cap(c, st, x))
                && c.objective(st) < before - 1e-9 * before.abs().max(1.0)
            {
                used[l] = true;
                changed = true;
            } else {
                for &(ul, us) in undo.iter().rev() {
                    apply(c, st, ul, us as usize);
                    used[ul] = false;
                }
            }
        }
    }
    changed
}
