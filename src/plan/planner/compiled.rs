//! The solver's dense form of a [`PlanningProblem`]: per class the feasible, non-dominated
//! lever combinations with their affine effort, hours and capped coverage increments, and the
//! costs of the objective being solved (effort coefficient, shortfall weight per requirement).

use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Basis;

use super::problem::{MAX_SUBSETS, PlanningProblem, ProblemClass};

/// Tolerance on floating comparisons (hours, effort, shares).
pub(crate) const EPS: f64 = 1e-9;

/// One feasible lever combination of a class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sub {
    /// Options chosen (bit k = option k).
    pub(crate) mask: u64,
    /// Effort: fixed part.
    pub(crate) c0: f64,
    /// Effort per euro.
    pub(crate) c1: f64,
    /// Hours per euro.
    pub(crate) h1: f64,
}

impl Sub {
    pub(crate) fn effort(&self, a: f64) -> f64 {
        self.c0 + self.c1 * a
    }
    pub(crate) fn hours(&self, a: f64) -> f64 {
        self.h1 * a
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CClass {
    /// Capacity rows the class's hours count in (its year's first).
    pub(crate) caps: Vec<usize>,
    /// Requirement index of each class row.
    pub(crate) rows: Vec<usize>,
    /// Whether each class row is on a value basis.
    pub(crate) value: Vec<bool>,
    /// Feasible, non-dominated combinations.
    pub(crate) subs: Vec<Sub>,
    /// Coverage increment over the base, capped: `inc[s * rows.len() + j]`.
    pub(crate) inc: Vec<f64>,
    /// Lines of the class sorted by amount (ties by index).
    pub(crate) lines: Vec<u32>,
    /// Their amounts.
    pub(crate) amounts: Vec<f64>,
    /// Prefix sums of `amounts` (length + 1).
    pub(crate) prefix: Vec<f64>,
}

impl CClass {
    pub(crate) fn inc(&self, s: usize) -> &[f64] {
        let n = self.rows.len();
        &self.inc[s * n..(s + 1) * n]
    }
}

/// The compiled problem: the shared structure (classes, lines) and the costs of one objective.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// Coefficient of effort in the objective (1, or 0 when only shortfall counts).
    pub(crate) alpha: f64,
    /// Weight of a full share of shortfall of each requirement.
    pub(crate) m: Vec<f64>,
    pub(crate) years: Vec<i32>,
    /// 1 / denominator of each requirement (0 for an empty scope).
    pub(crate) inv_den: Vec<f64>,
    /// Denominator of each requirement.
    pub(crate) den: Vec<f64>,
    /// Whether each requirement is on a count basis.
    pub(crate) count: Vec<bool>,
    /// Year index of each requirement.
    pub(crate) row_year: Vec<usize>,
    /// Year index of each capacity row.
    pub(crate) cap_year: Vec<usize>,
    /// Goal minus base share of each requirement (share units; ≤ 0 when already met).
    pub(crate) g: Vec<f64>,
    pub(crate) classes: Arc<Vec<CClass>>,
    /// Class of each line.
    pub(crate) line_class: Arc<Vec<u32>>,
    /// Amount of each line.
    pub(crate) line_amount: Arc<Vec<f64>>,
    /// Capacity of each capacity row (the years' first, infinite when none).
    pub(crate) cap: Vec<f64>,
    /// Effort budget (infinite when none).
    pub(crate) budget: f64,
    /// A cap on the weighted shortfall (weights per share unit, cap), for the exact search of
    /// the least effort at a given shortfall.
    pub(crate) short_cap: Option<(Vec<f64>, f64)>,
    /// A plan meeting every capacity and the budget (the least-effort plan the law level
    /// sized the budget on), the repair's last resort; `None` before the law level or
    /// without a budget.
    pub(crate) within: Option<Arc<Vec<u32>>>,
}

/// A line's coefficient in requirement row `j` of its class: 1/den on a count basis,
/// amount/den on a value basis.
#[inline]
pub(crate) fn coef(value: bool, inv_den: f64, amount: f64) -> f64 {
    if value { amount * inv_den } else { inv_den }
}

/// Whether option set `mask` meets the class's exclusivity groups and prerequisites.
fn combinable(class: &ProblemClass, mask: u64) -> bool {
    class
        .exclusive
        .iter()
        .all(|g| g.iter().filter(|&&k| mask & (1 << k) != 0).count() <= 1)
        && class
            .prerequisites
            .iter()
            .all(|(k, req)| mask & (1 << k) == 0 || req.iter().any(|&r| mask & (1 << r) != 0))
}

fn enumerate(
    ci: usize,
    class: &ProblemClass,
    rows: &[usize],
    value: &[bool],
) -> Result<Vec<(Sub, Vec<f64>)>> {
    let n = class.options.len();
    let limit = class.max_levers.unwrap_or(n).min(n);
    let base: Vec<f64> = class.rows.iter().map(|&(_, b)| b).collect();
    // coverage of option k on class row j
    let mut cov = vec![0.0; n * rows.len()];
    for (k, o) in class.options.iter().enumerate() {
        for &(r, c) in &o.covers {
            if let Some(j) = rows.iter().position(|&x| x == r) {
                cov[k * rows.len() + j] += c;
            }
        }
    }
    let forced: u64 = class.forced.iter().fold(0, |m, &k| m | (1 << k));
    let groups: Vec<u64> = class
        .obligations
        .iter()
        .map(|g| g.iter().fold(0u64, |m, &k| m | (1 << k)))
        .collect();
    let exclusive: Vec<u64> = class
        .exclusive
        .iter()
        .map(|g| g.iter().fold(0u64, |m, &k| m | (1 << k)))
        .collect();
    // options another option needs: they may be worth taking for that alone
    let required: u64 = class
        .prerequisites
        .iter()
        .flat_map(|(_, req)| req.iter())
        .fold(0u64, |m, &k| m | (1 << k));
    let needed: u64 = groups.iter().fold(forced | required, |m, g| m | g);
    let mut out = Vec::new();
    // depth-first over options in index order; a combination is kept when it contains the
    // forced options, meets every obligation group and the prerequisites
    let mut stack: Vec<(usize, u64, usize)> = vec![(0, 0, 0)];
    let mut raw = vec![0.0; rows.len()];
    while let Some((next, mask, size)) = stack.pop() {
        if mask & forced == forced
            && groups.iter().all(|g| mask & g != 0)
            && combinable(class, mask)
        {
            let mut sub = Sub {
                mask,
                c0: 0.0,
                c1: 0.0,
                h1: 0.0,
            };
            raw.iter_mut().for_each(|x| *x = 0.0);
            for k in 0..n {
                if mask & (1 << k) != 0 {
                    let o = &class.options[k];
                    sub.c0 += o.effort_base;
                    sub.c1 += o.effort_per_meur / 1e6;
                    sub.h1 += o.hours_per_meur / 1e6;
                    for (j, x) in raw.iter_mut().enumerate() {
                        *x += cov[k * rows.len() + j];
                    }
                }
            }
            let inc: Vec<f64> = raw
                .iter()
                .zip(&base)
                .enumerate()
                .map(|(j, (&x, &b))| {
                    let counted = if !value[j] {
                        if x > 0.0 { 1.0 } else { 0.0 }
                    } else {
                        x
                    };
                    ((b + counted).min(1.0) - b).max(0.0)
                })
                .collect();
            // a member that adds nothing (its rows are counted or capped without it) and is
            // neither locked nor needed by an obligation or another member makes this
            // combination and all its supersets dominated by the combination without it
            let redundant = (0..n).any(|k| {
                if mask & (1 << k) == 0 || forced & (1 << k) != 0 {
                    return false;
                }
                let without = mask & !(1 << k);
                if !groups.iter().all(|g| without & g != 0) || !combinable(class, without) {
                    return false;
                }
                (0..rows.len()).all(|j| {
                    let ck = cov[k * rows.len() + j];
                    if ck == 0.0 {
                        return true;
                    }
                    let rest = raw[j] - ck;
                    if value[j] {
                        base[j] + rest >= 1.0 - 1e-12
                    } else {
                        base[j] >= 1.0 || rest > 1e-12
                    }
                })
            });
            if redundant {
                continue;
            }
            out.push((sub, inc));
            if out.len() > MAX_SUBSETS {
                return Err(Error::new(
                    ErrorKind::Overflow,
                    format!(
                        "class {ci}: more than {MAX_SUBSETS} lever combinations; set a maximum \
                         number of levers per line"
                    ),
                ));
            }
        }
        if size == limit {
            continue;
        }
        // push in reverse so that lower options are explored first (deterministic order)
        for k in (next..n).rev() {
            let useless = (0..rows.len()).all(|j| cov[k * rows.len() + j] == 0.0);
            if useless && needed & (1 << k) == 0 {
                // a lever counting towards nothing and required by nothing only adds effort
                continue;
            }
            let grown = mask | (1 << k);
            if exclusive.iter().any(|g| (grown & g).count_ones() > 1) {
                continue; // and every superset breaks the group too
            }
            stack.push((k + 1, grown, size + 1));
        }
    }
    // the stack order is not the enumeration order we want: sort by mask for determinism
    out.sort_by_key(|(s, _)| (s.mask.count_ones(), s.mask));
    Ok(out)
}

fn dominates(a: &(Sub, Vec<f64>), b: &(Sub, Vec<f64>)) -> bool {
    a.0.c0 <= b.0.c0
        && a.0.c1 <= b.0.c1
        && a.0.h1 <= b.0.h1
        && a.1.iter().zip(&b.1).all(|(x, y)| x >= y)
}

/// Why a class has no valid combination of levers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Infeasibility {
    /// More levers locked on than the maximum per line.
    TooManyLocks {
        /// The maximum levers per line.
        max: usize,
    },
    /// Two levers locked on that exclude each other, or a locked lever whose prerequisite
    /// cannot be on the line.
    LockedCombination,
    /// The locks and obligation groups together need more levers than the maximum per line.
    TooFewLevers {
        /// The maximum levers per line.
        max: usize,
    },
    /// No single cause: the maximum per line, exclusivity and prerequisites together.
    Combined,
}

/// The cause of a class without any valid combination of levers. Only meaningful when the
/// class has no combination.
pub(crate) fn diagnose(class: &ProblemClass) -> Infeasibility {
    let max = class.max_levers.unwrap_or(usize::MAX);
    if class.forced.len() > max {
        return Infeasibility::TooManyLocks { max };
    }
    let forced: u64 = class.forced.iter().fold(0, |m, &k| m | (1 << k));
    let exclusive_locks = class
        .exclusive
        .iter()
        .any(|g| g.iter().filter(|&&k| forced & (1 << k) != 0).count() > 1);
    let orphan_lock = class
        .prerequisites
        .iter()
        .any(|(k, req)| forced & (1 << k) != 0 && req.is_empty());
    if exclusive_locks || orphan_lock {
        return Infeasibility::LockedCombination;
    }
    if class.max_levers.is_some() && class.exclusive.is_empty() && class.prerequisites.is_empty() {
        return Infeasibility::TooFewLevers { max };
    }
    Infeasibility::Combined
}

/// The first class with lines but without any valid combination of levers, and why.
///
/// # Errors
/// As [`compile`] for a class with too many combinations.
pub(crate) fn infeasible_class(p: &PlanningProblem) -> Result<Option<(usize, Infeasibility)>> {
    let mut used = vec![false; p.classes.len()];
    for l in &p.lines {
        used[l.class as usize] = true;
    }
    for (ci, class) in p.classes.iter().enumerate() {
        if !used[ci] {
            continue;
        }
        let rows: Vec<usize> = class.rows.iter().map(|&(r, _)| r).collect();
        let value: Vec<bool> = rows
            .iter()
            .map(|&r| p.rows[r].basis == Basis::Value)
            .collect();
        if enumerate(ci, class, &rows, &value)?.is_empty() {
            return Ok(Some((ci, diagnose(class))));
        }
    }
    Ok(None)
}

/// Compiles a problem: combinations, denominators, goals, the problem's capacities and
/// budget as given, and the weighted objective's costs (effort + weight × shortfall).
pub(crate) fn compile(p: &PlanningProblem) -> Result<Compiled> {
    let nr = p.rows.len();
    let mut den = vec![0.0; nr];
    let mut based = vec![0.0; nr];
    let mut classes: Vec<CClass> = Vec::with_capacity(p.classes.len());
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); p.classes.len()];
    for (l, line) in p.lines.iter().enumerate() {
        members[line.class as usize].push(l as u32);
    }
    let ny = p.years.len();
    let mut cap: Vec<f64> = p
        .years
        .iter()
        .map(|y| p.capacity.get(y).copied().unwrap_or(f64::INFINITY))
        .collect();
    cap.extend(p.extra_caps.iter().map(|c| c.hours));
    for (ci, class) in p.classes.iter().enumerate() {
        let rows: Vec<usize> = class.rows.iter().map(|&(r, _)| r).collect();
        let value: Vec<bool> = rows
            .iter()
            .map(|&r| p.rows[r].basis == Basis::Value)
            .collect();
        let year = p.years.binary_search(&class.year).map_err(|_| {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "class {ci}: year {} is not a year of the problem",
                    class.year
                ),
            )
        })?;
        let all = enumerate(ci, class, &rows, &value)?;
        if all.is_empty() && !members[ci].is_empty() {
            let lines: Vec<String> = members[ci].iter().take(3).map(|l| l.to_string()).collect();
            let more = members[ci].len().saturating_sub(3);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let what = match diagnose(class) {
                Infeasibility::TooManyLocks { max } => {
                    format!(
                        "{} levers locked on, more than the maximum of {max} per line",
                        class.forced.len()
                    )
                }
                Infeasibility::LockedCombination => "the locked levers exclude each other or \
                     need a lever that cannot be on the line"
                    .to_string(),
                Infeasibility::TooFewLevers { max } => {
                    format!("the locks and obligation groups need more than {max} levers per line")
                }
                Infeasibility::Combined => "no combination of levers meets the locks, \
                     obligation groups, exclusivity groups, prerequisites and maximum levers \
                     per line"
                    .to_string(),
            };
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!("class {ci} (lines {}{more}): {what}", lines.join(", ")),
            ));
        }
        // drop dominated combinations (keep the first of equals)
        let mut keep = vec![true; all.len()];
        for i in 0..all.len() {
            for j in 0..all.len() {
                if i != j
                    && keep[j]
                    && dominates(&all[j], &all[i])
                    && (j < i || !dominates(&all[i], &all[j]))
                {
                    keep[i] = false;
                    break;
                }
            }
        }
        let mut subs = Vec::new();
        let mut inc = Vec::new();
        for (i, (s, v)) in all.into_iter().enumerate() {
            if keep[i] {
                subs.push(s);
                inc.extend(v);
            }
        }
        let mut lines = std::mem::take(&mut members[ci]);
        lines.sort_by(|&a, &b| {
            p.lines[a as usize]
                .amount
                .total_cmp(&p.lines[b as usize].amount)
                .then(a.cmp(&b))
        });
        let amounts: Vec<f64> = lines.iter().map(|&l| p.lines[l as usize].amount).collect();
        let mut prefix = Vec::with_capacity(amounts.len() + 1);
        let mut acc = 0.0;
        prefix.push(0.0);
        for a in &amounts {
            acc += a;
            prefix.push(acc);
        }
        let n = amounts.len() as f64;
        for (j, &(r, b)) in class.rows.iter().enumerate() {
            let w = if value[j] { acc } else { n };
            den[r] += w;
            based[r] += w * b;
        }
        let mut caps = vec![year];
        caps.extend(class.capacities.iter().map(|&c| ny + c));
        classes.push(CClass {
            caps,
            rows,
            value,
            subs,
            inc,
            lines,
            amounts,
            prefix,
        });
    }
    let inv_den: Vec<f64> = den
        .iter()
        .map(|&d| if d > 0.0 { 1.0 / d } else { 0.0 })
        .collect();
    let g: Vec<f64> = (0..nr)
        .map(|r| {
            if den[r] > 0.0 {
                p.rows[r].goal - based[r] / den[r]
            } else {
                0.0
            }
        })
        .collect();
    Ok(Compiled {
        alpha: 1.0,
        m: p.rows
            .iter()
            .map(|r| p.weight_per_point * 100.0 * r.weight)
            .collect(),
        years: p.years.clone(),
        inv_den,
        den,
        count: p.rows.iter().map(|r| r.basis == Basis::Count).collect(),
        row_year: p
            .rows
            .iter()
            .map(|r| p.years.binary_search(&r.year).unwrap_or(0))
            .collect(),
        cap_year: (0..ny)
            .chain(
                p.extra_caps
                    .iter()
                    .map(|x| p.years.binary_search(&x.year).unwrap_or(0)),
            )
            .collect(),
        g,
        classes: Arc::new(classes),
        line_class: Arc::new(p.lines.iter().map(|l| l.class).collect()),
        line_amount: Arc::new(p.lines.iter().map(|l| l.amount).collect()),
        cap,
        budget: p.budget.unwrap_or(f64::INFINITY),
        short_cap: None,
        within: None,
    })
}

/// The state of an assignment: per-requirement contributions (share units), hours per
/// capacity row, total effort.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub(crate) choice: Vec<u32>,
    pub(crate) contr: Vec<f64>,
    pub(crate) hours: Vec<f64>,
    pub(crate) effort: f64,
}

impl Compiled {
    /// The state of `choice` (a combination index per line), recomputed from scratch.
    pub(crate) fn state(&self, choice: Vec<u32>) -> State {
        let mut contr = vec![0.0; self.g.len()];
        let mut hours = vec![0.0; self.cap.len()];
        let mut effort = 0.0;
        for (l, &s) in choice.iter().enumerate() {
            let c = &self.classes[self.line_class[l] as usize];
            let a = self.line_amount[l];
            let sub = &c.subs[s as usize];
            effort += sub.effort(a);
            for &k in &c.caps {
                hours[k] += sub.hours(a);
            }
            for (j, &x) in c.inc(s as usize).iter().enumerate() {
                if x > 0.0 {
                    contr[c.rows[j]] += coef(c.value[j], self.inv_den[c.rows[j]], a) * x;
                }
            }
        }
        State {
            choice,
            contr,
            hours,
            effort,
        }
    }

    /// Shortfall of requirement `r` (share units) given its contribution.
    #[inline]
    pub(crate) fn short(&self, r: usize, contr: f64) -> f64 {
        let s = self.g[r] - contr;
        // a shortfall below the rounding of the sums is none
        if s > 1e-12 { s } else { 0.0 }
    }

    /// Objective of a state: α × effort + Σ weight × shortfall.
    pub(crate) fn objective(&self, s: &State) -> f64 {
        self.alpha * s.effort
            + (0..self.g.len())
                .map(|r| self.m[r] * self.short(r, s.contr[r]))
                .sum::<f64>()
    }

    /// Σ weight × shortfall of a state for weights `w` (per share unit).
    pub(crate) fn weighted_short(&self, w: &[f64], contr: &[f64]) -> f64 {
        (0..self.g.len())
            .map(|r| w[r] * self.short(r, contr[r]))
            .sum()
    }

    /// The most hours capacity `k` admits: its value and the rounding tolerance every
    /// feasibility test allows. A Lagrangian bound prices this, not the bare capacity: a plan
    /// that fills a capacity exactly may sum its hours a rounding above it (the law level
    /// raises a capacity to the very sum of forced hours), and an unbounded price times that
    /// rounding would make the bound exceed the optimum.
    #[inline]
    pub(crate) fn cap_limit(&self, k: usize) -> f64 {
        self.cap[k] + EPS * self.cap[k].max(1.0)
    }

    /// The most effort the budget admits, with the same tolerance as [`Compiled::cap_limit`].
    #[inline]
    pub(crate) fn budget_limit(&self) -> f64 {
        self.budget + EPS * self.budget.max(1.0)
    }

    /// Whether a state meets every capacity and the budget.
    pub(crate) fn within_limits(&self, s: &State) -> bool {
        s.hours
            .iter()
            .enumerate()
            .all(|(k, h)| *h <= self.cap_limit(k))
            && s.effort <= self.budget_limit()
    }

    /// The most each requirement can receive (every line at its best combination for it),
    /// share units.
    pub(crate) fn reach(&self) -> Vec<f64> {
        let mut reach = vec![0.0; self.g.len()];
        for cl in self.classes.iter() {
            let n = cl.amounts.len() as f64;
            let total = cl.prefix.last().copied().unwrap_or(0.0);
            for (j, &r) in cl.rows.iter().enumerate() {
                let best = (0..cl.subs.len()).map(|s| cl.inc(s)[j]).fold(0.0, f64::max);
                reach[r] += if cl.value[j] { total } else { n } * self.inv_den[r] * best;
            }
        }
        reach
    }

    /// Per line, the least hours of any of its combinations.
    pub(crate) fn line_min_hours(&self) -> Vec<f64> {
        self.line_class
            .iter()
            .enumerate()
            .map(|(l, &cls)| {
                let a = self.line_amount[l];
                let h = self.classes[cls as usize]
                    .subs
                    .iter()
                    .map(|s| s.hours(a))
                    .fold(f64::INFINITY, f64::min);
                if h.is_finite() { h } else { 0.0 }
            })
            .collect()
    }

    /// Per capacity row, the least hours whatever the plan (every line at its combination of
    /// least hours, which is the least for every row it counts in).
    pub(crate) fn forced_hours(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.cap.len()];
        for (l, h) in self.line_min_hours().into_iter().enumerate() {
            for &k in &self.classes[self.line_class[l] as usize].caps {
                out[k] += h;
            }
        }
        out
    }
}

/// The lower envelope of affine functions `α + β·a` over `a ≥ 0`: the function index and the
/// amount from which it is the minimum, ascending.
pub(crate) fn envelope(fs: &mut [(f64, f64, usize)], out: &mut Vec<(usize, f64)>) {
    out.clear();
    // slope descending, then intercept ascending, then index
    fs.sort_unstable_by(|x, y| {
        y.1.total_cmp(&x.1)
            .then(x.0.total_cmp(&y.0))
            .then(x.2.cmp(&y.2))
    });
    // hull of (α, β, start)
    let mut hull: Vec<(f64, f64, usize, f64)> = Vec::with_capacity(fs.len());
    for &(al, be, i) in fs.iter() {
        if let Some(last) = hull.last() {
            if last.1 == be {
                continue; // same slope, larger (or equal) intercept
            }
        }
        loop {
            let Some(&(la, lb, _, ls)) = hull.last() else {
                hull.push((al, be, i, 0.0));
                break;
            };
            // where the new (smaller slope) function becomes better than the last
            let x = ((al - la) / (lb - be)).max(0.0);
            if x <= ls && hull.len() > 1 {
                hull.pop();
                continue;
            }
            if x <= ls {
                // better from the start of the domain
                hull.pop();
                hull.push((al, be, i, 0.0));
            } else {
                hull.push((al, be, i, x));
            }
            break;
        }
    }
    out.extend(hull.iter().map(|h| (h.2, h.3)));
}
