//! The planner's optimisation core against brute-force enumeration and its invariants.

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use crate::indicators::Basis;

use super::{Objective, PlanningProblem, ProblemClass, ProblemOption, Solution, SolverOptions};

/// Whether option set `m` meets a class's locks, obligations, maximum, exclusivity groups and
/// prerequisites.
fn valid(class: &ProblemClass, m: u64) -> bool {
    let on = |k: usize| m & (1 << k) != 0;
    class.forced.iter().all(|&k| on(k))
        && class.obligations.iter().all(|g| g.iter().any(|&k| on(k)))
        && class
            .max_levers
            .is_none_or(|x| m.count_ones() as usize <= x)
        && class
            .exclusive
            .iter()
            .all(|g| g.iter().filter(|&&k| on(k)).count() <= 1)
        && class
            .prerequisites
            .iter()
            .all(|(a, req)| !on(*a) || req.iter().any(|&k| on(k)))
}

/// Effort, hours per year, and shortfall per requirement (share units) of a choice, from the
/// problem's specification alone; `None` when a line's option set is not valid.
fn measure(p: &PlanningProblem, masks: &[u64]) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let nr = p.rows.len();
    let mut den = vec![0.0; nr];
    let mut num = vec![0.0; nr];
    let mut hours = vec![0.0; p.years.len()];
    let mut effort = 0.0;
    for (l, line) in p.lines.iter().enumerate() {
        let class = &p.classes[line.class as usize];
        let m = masks[l];
        if !valid(class, m) {
            return None;
        }
        let y = p.years.iter().position(|&y| y == class.year)?;
        for (k, o) in class.options.iter().enumerate() {
            if m & (1 << k) != 0 {
                effort += o.effort_base + o.effort_per_meur * line.amount / 1e6;
                hours[y] += o.hours_per_meur * line.amount / 1e6;
            }
        }
        for &(r, base) in &class.rows {
            let mut cov = base;
            for (k, o) in class.options.iter().enumerate() {
                if m & (1 << k) != 0 {
                    for &(rr, c) in &o.covers {
                        if rr == r {
                            cov += match p.rows[r].basis {
                                Basis::Count => 1.0,
                                Basis::Value => c,
                            };
                        }
                    }
                }
            }
            let w = match p.rows[r].basis {
                Basis::Count => 1.0,
                Basis::Value => line.amount,
            };
            den[r] += w;
            num[r] += w * cov.min(1.0);
        }
    }
    let short: Vec<f64> = (0..nr)
        .map(|r| {
            if den[r] > 0.0 {
                (p.rows[r].goal - num[r] / den[r]).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    Some((effort, hours, short))
}

/// Every combination of every line's option subsets, by callback.
fn each_choice(p: &PlanningProblem, mut f: impl FnMut(&[u64])) {
    let sizes: Vec<u64> = p
        .lines
        .iter()
        .map(|l| 1u64 << p.classes[l.class as usize].options.len())
        .collect();
    let mut masks = vec![0u64; p.lines.len()];
    loop {
        f(&masks);
        let mut i = 0;
        loop {
            if i == masks.len() {
                return;
            }
            masks[i] += 1;
            if masks[i] < sizes[i] {
                break;
            }
            masks[i] = 0;
            i += 1;
        }
    }
}

/// The law level by enumeration: capacities raised to the hours the valid option sets force,
/// the budget to the least effort within those capacities; `None` when no line choice is
/// valid or the locked levers alone exceed a capacity.
fn limits(p: &PlanningProblem) -> Option<(Vec<f64>, f64)> {
    let mut forced = vec![0.0; p.years.len()];
    let mut locked = vec![0.0; p.years.len()];
    for line in &p.lines {
        let class = &p.classes[line.class as usize];
        let y = p.years.iter().position(|&y| y == class.year)?;
        let n = class.options.len();
        let h = |m: u64| -> f64 {
            (0..n)
                .filter(|&k| m & (1 << k) != 0)
                .map(|k| class.options[k].hours_per_meur * line.amount / 1e6)
                .sum()
        };
        let least = (0..1u64 << n)
            .filter(|&m| valid(class, m))
            .map(h)
            .fold(f64::INFINITY, f64::min);
        if !least.is_finite() {
            return None;
        }
        forced[y] += least;
        locked[y] += h(class.forced.iter().fold(0, |m, &k| m | (1 << k)));
    }
    let caps: Vec<f64> = p
        .years
        .iter()
        .enumerate()
        .map(|(y, year)| {
            let c = p.capacity.get(year).copied().unwrap_or(f64::INFINITY);
            (c, forced[y])
        })
        .map(|(c, f)| c.max(f))
        .collect();
    for (y, year) in p.years.iter().enumerate() {
        if p.capacity
            .get(year)
            .is_some_and(|&c| locked[y] > c + 1e-9 * c.max(1.0))
        {
            return None;
        }
    }
    let mut least_effort = f64::INFINITY;
    if p.budget.is_some() {
        each_choice(p, |m| {
            if let Some((e, h, _)) = measure(p, m) {
                if h.iter()
                    .zip(&caps)
                    .all(|(h, c)| *h <= c + 1e-9 * c.max(1.0))
                {
                    least_effort = least_effort.min(e);
                }
            }
        });
    }
    let budget = p.budget.map_or(f64::INFINITY, |b| b.max(least_effort));
    Some((caps, budget))
}

/// Weighted objective, effort, shortfalls (share units) and weighted shortfall (points) of a
/// choice under the law level's limits; `None` when a hard constraint is violated.
fn evaluate(p: &PlanningProblem, masks: &[u64]) -> Option<(f64, f64, Vec<f64>, f64)> {
    evaluate_within(p, &limits(p)?, masks)
}

fn evaluate_within(
    p: &PlanningProblem,
    (caps, budget): &(Vec<f64>, f64),
    masks: &[u64],
) -> Option<(f64, f64, Vec<f64>, f64)> {
    let budget = *budget;
    let (effort, hours, short) = measure(p, masks)?;
    if hours
        .iter()
        .zip(caps)
        .any(|(h, c)| *h > c + 1e-9 * c.max(1.0))
        || effort > budget + 1e-9 * budget.max(1.0)
    {
        return None;
    }
    let points: f64 = short
        .iter()
        .enumerate()
        .map(|(r, s)| 100.0 * p.rows[r].weight * s)
        .sum();
    let obj = effort + p.weight_per_point * points;
    Some((obj, effort, short, points))
}

/// The weighted optimum over every combination of every line's option subsets.
fn brute_force(p: &PlanningProblem) -> Option<f64> {
    let lim = limits(p)?;
    let mut best: Option<f64> = None;
    each_choice(p, |m| {
        if let Some((obj, _, _, _)) = evaluate_within(p, &lim, m) {
            if best.is_none_or(|b| obj < b) {
                best = Some(obj);
            }
        }
    });
    best
}

/// The lexicographic optimum (least weighted shortfall, then least effort) by enumeration.
fn brute_force_lex(p: &PlanningProblem) -> Option<(f64, f64)> {
    let lim = limits(p)?;
    let mut best: Option<(f64, f64)> = None;
    each_choice(p, |m| {
        if let Some((_, e, _, s)) = evaluate_within(p, &lim, m) {
            let better =
                best.is_none_or(|(bs, be)| s < bs - 1e-9 || (s <= bs + 1e-9 && e < be - 1e-9));
            if better {
                best = Some((s, e));
            }
        }
    });
    best
}

/// The least effort among the plans of weighted shortfall at most `s_max`, by enumeration.
fn least_effort_within(p: &PlanningProblem, s_max: f64) -> Option<f64> {
    let lim = limits(p)?;
    let mut best: Option<f64> = None;
    each_choice(p, |m| {
        if let Some((_, e, _, s)) = evaluate_within(p, &lim, m) {
            if s <= s_max + 1e-7 && best.is_none_or(|b| e < b) {
                best = Some(e);
            }
        }
    });
    best
}

fn masks(p: &PlanningProblem, s: &Solution) -> Vec<u64> {
    (0..p.lines.len())
        .map(|l| s.levers(l).iter().fold(0u64, |m, &k| m | (1 << k)))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[derive(Debug, Clone)]
struct Spec {
    goals: Vec<(bool, f64)>,
    classes: Vec<ClassSpec>,
    lines: Vec<(usize, u32)>,
    capacity: Option<u32>,
    budget: Option<u32>,
    weight: f64,
    objective: Objective,
}

/// Effort base, effort per €1M, hours per €1M / 100, covers (goal index, quarters).
type OptionSpec = (u8, u8, u8, Vec<(usize, u8)>);

#[derive(Debug, Clone)]
struct ClassSpec {
    year: usize,
    options: Vec<OptionSpec>,
    base: Vec<u8>,
    obligation: Option<Vec<usize>>,
    forced: Option<usize>,
    max_levers: Option<usize>,
}

fn build(spec: &Spec) -> PlanningProblem {
    let mut p = PlanningProblem::new(&[2026, 2027]);
    let _ = p.set_shortfall_weight(spec.weight);
    p.set_objective(spec.objective);
    let mut rows = Vec::new();
    for (y, year) in [2026, 2027].into_iter().enumerate() {
        for (i, &(value, goal)) in spec.goals.iter().enumerate() {
            let basis = if value { Basis::Value } else { Basis::Count };
            let r = p
                .add_requirement(&format!("t{i}"), year, basis, goal)
                .unwrap_or(0);
            rows.push((y, i, r));
        }
    }
    let row = |y: usize, i: usize| {
        rows.iter()
            .find(|x| x.0 == y && x.1 == i)
            .map_or(0, |x| x.2)
    };
    for c in &spec.classes {
        let nopt = c.options.len();
        let class = ProblemClass {
            year: 2026 + c.year as i32,
            rows: (0..spec.goals.len())
                .map(|i| {
                    let b = c.base.get(i).copied().unwrap_or(0);
                    let base = if spec.goals[i].0 {
                        f64::from(b) / 4.0
                    } else if b >= 3 {
                        1.0
                    } else {
                        0.0
                    };
                    (row(c.year, i), base)
                })
                .collect(),
            options: c
                .options
                .iter()
                .enumerate()
                .map(|(k, (e, per, h, _))| ProblemOption {
                    lever: k,
                    effort_base: f64::from(*e),
                    effort_per_meur: f64::from(*per),
                    hours_per_meur: f64::from(*h) * 100.0,
                    covers: Vec::new(),
                })
                .collect(),
            obligations: c
                .obligation
                .iter()
                .map(|g| {
                    let mut g: Vec<usize> = g.iter().map(|k| k % nopt).collect();
                    g.sort_unstable();
                    g.dedup();
                    g
                })
                .collect(),
            forced: c.forced.iter().map(|k| k % nopt).collect(),
            max_levers: c.max_levers,
            ..ProblemClass::default()
        };
        let mut class = class;
        for (k, o) in class.options.iter_mut().enumerate() {
            o.covers = c.options[k]
                .3
                .iter()
                .filter(|(i, _)| *i < spec.goals.len())
                .map(|&(i, cv)| (row(c.year, i), f64::from(cv.clamp(1, 4)) / 4.0))
                .collect();
            o.covers.sort_by_key(|x| x.0);
            o.covers.dedup_by_key(|x| x.0);
        }
        let _ = p.add_class(class);
    }
    for &(c, amount) in &spec.lines {
        let _ = p.add_line(c % spec.classes.len(), f64::from(amount) * 1000.0);
    }
    if let Some(h) = spec.capacity {
        let _ = p.set_capacity(2026, f64::from(h));
        let _ = p.set_capacity(2027, f64::from(h) * 2.0);
    }
    if let Some(b) = spec.budget {
        let _ = p.set_budget(f64::from(b));
    }
    p
}

fn spec_strategy(max_lines: usize) -> impl Strategy<Value = Spec> {
    let goals = prop::collection::vec((any::<bool>(), 0u8..=10), 1..=3);
    let option = (
        0u8..6,
        0u8..4,
        0u8..3,
        prop::collection::vec((0usize..3, 1u8..=4), 0..=2),
    );
    let class = (
        0usize..2,
        prop::collection::vec(option, 1..=3),
        prop::collection::vec(0u8..4, 3),
        prop::option::weighted(0.3, prop::collection::vec(0usize..3, 1..=2)),
        prop::option::weighted(0.15, 0usize..3),
        prop::option::weighted(0.3, 1usize..=2),
    )
        .prop_map(
            |(year, options, base, obligation, forced, max_levers)| ClassSpec {
                year,
                options,
                base,
                obligation,
                forced,
                max_levers,
            },
        );
    (
        goals,
        prop::collection::vec(class, 1..=3),
        prop::collection::vec((0usize..3, 1u32..2000), 1..=max_lines),
        prop::option::weighted(0.5, 0u32..200),
        prop::option::weighted(0.3, 0u32..30),
        prop::sample::select(vec![0.05, 1.0, 1000.0]),
    )
        .prop_map(|(goals, classes, lines, capacity, budget, weight)| Spec {
            goals: goals
                .into_iter()
                .map(|(v, g)| (v, f64::from(g) / 10.0))
                .collect(),
            classes,
            lines,
            capacity,
            budget,
            weight,
            objective: Objective::Weighted,
        })
}

/// The same problems under the lexicographic objective.
fn lex_strategy(max_lines: usize) -> impl Strategy<Value = Spec> {
    spec_strategy(max_lines).prop_map(|mut s| {
        s.objective = Objective::Lexicographic;
        s
    })
}

fn exact_options() -> SolverOptions {
    SolverOptions::default().exact_line_limit(64)
}

/// Whether the solver raised the budget to what the obligations force.
fn budget_raised(s: &Solution) -> bool {
    s.raised
        .iter()
        .any(|r| r.year.is_none() && r.extra.is_none())
}

fn heuristic_options() -> SolverOptions {
    SolverOptions::default().exact_line_limit(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The exact solver reaches the weighted optimum found by enumerating every combination
    /// (capacities and budget raised to what the obligations force, as the law level does).
    #[test]
    fn exact_solver_matches_exhaustive_enumeration(spec in spec_strategy(5)) {
        let p = build(&spec);
        let brute = brute_force(&p);
        match (p.solve(&exact_options()), brute) {
            (Ok(s), Some(b)) => {
                prop_assert!(s.exact);
                prop_assert!(close(s.objective, b), "exact {} brute {}", s.objective, b);
                let (obj, effort, _, _) = evaluate(&p, &masks(&p, &s)).expect("feasible");
                prop_assert!(close(obj, s.objective));
                prop_assert!(close(effort, s.total_effort));
            }
            (Err(e), None) => prop_assert_eq!(e.kind(), crate::error::ErrorKind::Inconsistent),
            (s, b) => prop_assert!(false, "solver {:?} brute {:?}", s, b),
        }
    }

    /// The exact solver reaches the lexicographic optimum (least weighted shortfall, then least
    /// effort) found by enumeration, and proves it.
    #[test]
    fn exact_lexicographic_solver_matches_exhaustive_enumeration(spec in lex_strategy(5)) {
        let p = build(&spec);
        let brute = brute_force_lex(&p);
        match (p.solve(&exact_options()), brute) {
            (Ok(s), Some((bs, be))) => {
                prop_assert!(s.exact);
                prop_assert!((s.shortfall_points - bs).abs() <= 1e-6, "shortfall {} brute {}", s.shortfall_points, bs);
                prop_assert!(close(s.total_effort, be), "effort {} brute {}", s.total_effort, be);
                prop_assert_eq!(s.effort_gap(), Some(0.0));
                prop_assert_eq!(s.shortfall_gap(), Some(0.0));
                let (_, effort, _, points) = evaluate(&p, &masks(&p, &s)).expect("feasible");
                prop_assert!(close(effort, s.total_effort));
                prop_assert!((points - s.shortfall_points).abs() <= 1e-6);
            }
            (Err(e), None) => prop_assert_eq!(e.kind(), crate::error::ErrorKind::Inconsistent),
            (s, b) => prop_assert!(false, "solver {:?} brute {:?}", s, b),
        }
    }

    /// The heuristic never violates a hard constraint, its objective is that of its
    /// assignment, and its lower bound is below the true optimum.
    #[test]
    fn heuristic_is_feasible_and_its_bound_is_valid(spec in spec_strategy(5)) {
        let p = build(&spec);
        let brute = brute_force(&p);
        if let Ok(s) = p.solve(&heuristic_options()) {
            let (obj, _, short, _) = evaluate(&p, &masks(&p, &s)).expect("no hard constraint violated");
            prop_assert!(close(obj, s.objective));
            for (a, b) in short.iter().zip(&s.shortfalls) {
                prop_assert!((a - b).abs() < 1e-9);
            }
            let b = brute.expect("the heuristic found a plan, so one exists");
            prop_assert!(s.objective >= b - 1e-6 * b.abs().max(1.0));
            prop_assert!(s.lower_bound <= b + 1e-6 * b.abs().max(1.0), "bound {} > optimum {}", s.lower_bound, b);
            prop_assert!(s.objective >= s.lower_bound);
        }
    }

    /// Under the lexicographic objective the heuristic never violates a hard constraint, its
    /// shortfall bound is below the least shortfall, and its effort bound is below the least
    /// effort of any plan whose shortfall is at most its own.
    #[test]
    fn lexicographic_heuristic_is_feasible_and_its_bounds_are_valid(spec in lex_strategy(5)) {
        let p = build(&spec);
        let Some((bs, _)) = brute_force_lex(&p) else { return Ok(()) };
        let s = p.solve(&heuristic_options()).expect("a plan exists");
        let (_, effort, _, points) = evaluate(&p, &masks(&p, &s)).expect("no hard constraint violated");
        prop_assert!(close(effort, s.total_effort));
        prop_assert!((points - s.shortfall_points).abs() <= 1e-6);
        prop_assert!(s.shortfall_points >= bs - 1e-6);
        let sb = s.shortfall_bound.expect("a bound");
        prop_assert!(sb <= bs + 1e-6, "shortfall bound {sb} > least {bs}");
        let least = least_effort_within(&p, s.shortfall_points).expect("ours is one");
        let eb = s.effort_bound.expect("a bound");
        prop_assert!(eb <= least + 1e-6 * least.max(1.0), "effort bound {eb} > least {least}");
        prop_assert!(s.total_effort >= least - 1e-6 * least.max(1.0));
    }

    /// More insertion capacity never raises the optimal weighted objective — when the budget
    /// is not raised. A budget below what the obligations force is raised to the least effort
    /// they need, and that least effort depends on the capacity: with more capacity the
    /// obligations can be met more cheaply, the raised budget is tighter, and the two problems
    /// no longer nest (found by this property: capacity 0 raised to 45.1 h and budget raised to
    /// 33.7 days, against 31.8 days with 48 more hours).
    #[test]
    fn more_capacity_never_raises_the_optimum(spec in spec_strategy(5), extra in 1u32..200) {
        let mut spec = spec;
        let Some(c) = spec.capacity else { return Ok(()) };
        let p = build(&spec);
        spec.capacity = Some(c + extra);
        let q = build(&spec);
        if let Ok(a) = p.solve(&exact_options()) {
            let b = q.solve(&exact_options()).expect("more capacity keeps a plan feasible");
            if !budget_raised(&a) && !budget_raised(&b) {
                prop_assert!(b.objective <= a.objective + 1e-6 * a.objective.max(1.0));
            }
        }
    }

    /// More insertion capacity never increases the least shortfall, nor the least effort at
    /// equal shortfall (lexicographic objective, exact).
    #[test]
    fn more_capacity_never_increases_the_shortfall_nor_the_effort_at_equal_shortfall(
        spec in lex_strategy(5),
        extra in 1u32..200,
    ) {
        let mut spec = spec;
        let Some(c) = spec.capacity else { return Ok(()) };
        let p = build(&spec);
        spec.capacity = Some(c + extra);
        let q = build(&spec);
        if let Ok(a) = p.solve(&exact_options()) {
            let b = q.solve(&exact_options()).expect("more capacity keeps a plan feasible");
            // As for the weighted objective: only when the budget is not raised.
            if budget_raised(&a) || budget_raised(&b) {
                return Ok(());
            }
            prop_assert!(b.shortfall_points <= a.shortfall_points + 1e-6);
            if (b.shortfall_points - a.shortfall_points).abs() <= 1e-6 {
                prop_assert!(b.total_effort <= a.total_effort + 1e-6 * a.total_effort.max(1.0));
            }
        }
    }
}

#[test]
fn synthetic_problem_is_deterministic_and_solved_within_one_percent() {
    let mut p = PlanningProblem::synthetic(10_000, 1);
    assert!(
        p == PlanningProblem::synthetic(10_000, 1),
        "same seed, same problem"
    );
    p.set_objective(Objective::Weighted);
    let a = p.solve(&SolverOptions::default()).expect("plan");
    let b = p.solve(&SolverOptions::default()).expect("plan");
    assert_eq!(a, b);
    let (obj, _, _, _) = evaluate(&p, &masks(&p, &a)).expect("no hard constraint violated");
    assert!(close(obj, a.objective));
    assert!(
        a.gap <= 0.01,
        "gap {} (objective {}, bound {})",
        a.gap,
        a.objective,
        a.lower_bound
    );
}

#[test]
fn synthetic_problem_under_the_lexicographic_objective_reports_both_parts_with_bounds() {
    let p = PlanningProblem::synthetic(60, 42);
    let a = p.solve(&SolverOptions::default()).expect("plan");
    let b = p.solve(&SolverOptions::default()).expect("plan");
    assert_eq!(a, b, "same problem, same plan");
    let (_, effort, _, points) = evaluate(&p, &masks(&p, &a)).expect("no hard constraint violated");
    assert!(close(effort, a.total_effort));
    assert!((points - a.shortfall_points).abs() < 1e-6);
    let (sb, eb) = (
        a.shortfall_bound.expect("bound"),
        a.effort_bound.expect("bound"),
    );
    assert!(sb <= a.shortfall_points && eb <= a.total_effort);
    assert_eq!(
        a.objective, a.total_effort,
        "the objective optimised last: effort"
    );
    assert_eq!(a.lower_bound, eb);
}

#[test]
fn one_line_of_two_carries_the_clause_for_a_half_count_target() {
    let mut p = PlanningProblem::new(&[2026]);
    let r = p
        .add_requirement("social", 2026, Basis::Count, 0.5)
        .unwrap_or(0);
    let class = p
        .add_class(ProblemClass {
            year: 2026,
            rows: vec![(r, 0.0)],
            options: vec![ProblemOption {
                lever: 0,
                effort_base: 2.0,
                effort_per_meur: 1.0,
                hours_per_meur: 0.0,
                covers: vec![(r, 1.0)],
            }],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    let _ = p.add_line(class, 1_000_000.0);
    let _ = p.add_line(class, 3_000_000.0);
    let s = p.solve(&SolverOptions::default()).expect("plan");
    // the smaller line is cheaper: 2 + 1 × 1 = 3 person-days
    assert_eq!(s.levers(0), vec![0]);
    assert!(s.levers(1).is_empty());
    assert!(close(s.objective, 3.0));
    assert_eq!(s.shortfall_points, 0.0);
}

#[test]
fn bad_goal_is_rejected_naming_the_requirement() {
    let mut p = PlanningProblem::new(&[2026]);
    let e = p
        .add_requirement("social-count", 2026, Basis::Count, 1.5)
        .expect_err("goal outside 0..=1");
    assert!(e.to_string().contains("social-count"), "{e}");
}

/// Name, terms, sense and right-hand side of an LP constraint.
type Constraint = (String, Vec<(f64, String)>, String, f64);

/// A minimal reader of the CPLEX LP the problem writes: objective terms, constraints
/// (`name: terms sense rhs`), bounds and binaries. Continuation lines start with spaces.
struct Lp {
    objective: Vec<(f64, String)>,
    constraints: Vec<Constraint>,
    fixed: Vec<(String, f64)>,
    upper: std::collections::HashMap<String, f64>,
}

fn parse_terms(text: &str) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let mut sign = 1.0;
    let mut coef: Option<f64> = None;
    for tok in text.split_whitespace() {
        match tok {
            "+" => sign = 1.0,
            "-" => sign = -1.0,
            t => match t.parse::<f64>() {
                Ok(c) => coef = Some(c),
                Err(_) => {
                    out.push((sign * coef.take().unwrap_or(1.0), t.to_string()));
                    sign = 1.0;
                }
            },
        }
    }
    out
}

fn parse_lp(lp: &str) -> Lp {
    let mut section = "";
    let mut statements: Vec<(String, String)> = Vec::new();
    for line in lp.lines() {
        let t = line.trim();
        if t.starts_with('\\') || t.is_empty() {
            continue;
        }
        if ["Minimize", "Subject To", "Bounds", "Binary", "End"].contains(&t) {
            section = match t {
                "Minimize" => "obj",
                "Subject To" => "st",
                "Bounds" => "bounds",
                "Binary" => "bin",
                _ => "end",
            };
            continue;
        }
        if line.starts_with("   ") && !statements.is_empty() {
            let last = statements.len() - 1;
            statements[last].1.push(' ');
            statements[last].1.push_str(t);
        } else {
            statements.push((section.to_string(), t.to_string()));
        }
    }
    let mut lp_out = Lp {
        objective: Vec::new(),
        constraints: Vec::new(),
        fixed: Vec::new(),
        upper: std::collections::HashMap::new(),
    };
    for (sec, st) in statements {
        match sec.as_str() {
            "obj" => {
                let body = st.split_once(':').map_or(st.as_str(), |x| x.1);
                lp_out.objective = parse_terms(body);
            }
            "st" => {
                let (name, body) = st.split_once(':').expect("named constraint");
                let sense = ["<=", ">=", "="]
                    .into_iter()
                    .find(|s| body.contains(s))
                    .expect("sense");
                let (lhs, rhs) = body.split_once(sense).expect("rhs");
                lp_out.constraints.push((
                    name.trim().to_string(),
                    parse_terms(lhs),
                    sense.to_string(),
                    rhs.trim().parse().expect("rhs number"),
                ));
            }
            "bounds" => {
                let parts: Vec<&str> = st.split_whitespace().collect();
                match parts.as_slice() {
                    [v, "=", x] => lp_out.fixed.push((v.to_string(), x.parse().expect("x"))),
                    [_, "<=", v, "<=", u] => {
                        lp_out.upper.insert(v.to_string(), u.parse().expect("u"));
                    }
                    other => panic!("bound {other:?}"),
                }
            }
            _ => {}
        }
    }
    lp_out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The LP's objective at the plan's assignment (with the best coverage and shortfall
    /// values) is the plan's objective, and the assignment satisfies every LP constraint.
    #[test]
    fn lp_export_has_the_plan_objective_and_the_plan_satisfies_it(spec in spec_strategy(5)) {
        let p = build(&spec);
        let Ok(s) = p.solve(&exact_options()) else { return Ok(()) };
        let lp = parse_lp(&p.to_lp());
        let names = p.lp_names();
        let mut val: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
        for l in 0..p.lines.len() {
            for (k, x) in names.x[l].iter().enumerate() {
                val.insert(x.clone(), if s.levers(l).contains(&k) { 1.0 } else { 0.0 });
            }
        }
        for (v, x) in &lp.fixed {
            prop_assert_eq!(val.get(v).copied(), Some(*x), "fixed {}", v);
        }
        // coverage variables: as large as their constraint and bound allow
        for (name, terms, _, rhs) in lp.constraints.iter().filter(|c| c.0.starts_with("cov")) {
            let v = &terms[0].1;
            let rest: f64 = terms[1..].iter().map(|(c, x)| c * val[x]).sum();
            let ub = lp.upper.get(v).copied().unwrap_or(f64::INFINITY);
            prop_assert!(name.starts_with("cov"));
            val.insert(v.clone(), (rhs - rest).min(ub).max(0.0));
        }
        for (_, terms, _, rhs) in lp.constraints.iter().filter(|c| c.0.starts_with("req")) {
            let (cs, others): (Vec<_>, Vec<_>) = terms.iter().partition(|t| t.1.starts_with("s_"));
            let got: f64 = others.iter().map(|(c, x)| c * val[x]).sum();
            // the shortfall in points: coefficient 0.01
            val.insert(cs[0].1.clone(), ((rhs - got) / cs[0].0).max(0.0));
        }
        for (name, terms, sense, rhs) in &lp.constraints {
            let lhs: f64 = terms.iter().map(|(c, x)| c * val.get(x).copied().unwrap_or(0.0)).sum();
            let tol = 1e-7 * rhs.abs().max(1.0);
            match sense.as_str() {
                "<=" => prop_assert!(lhs <= rhs + tol, "{name}: {lhs} > {rhs}"),
                ">=" => prop_assert!(lhs >= rhs - tol, "{name}: {lhs} < {rhs}"),
                _ => prop_assert!((lhs - rhs).abs() <= tol, "{name}"),
            }
        }
        let obj: f64 = lp.objective.iter().map(|(c, x)| c * val.get(x).copied().unwrap_or(0.0)).sum();
        prop_assert!(close(obj, s.objective), "LP objective {obj} vs plan {}", s.objective);
    }
}

/// Exact search against exhaustive enumeration on larger instances (18 lines, one optional
/// lever each: 2^18 combinations), with a binding capacity and count and value targets.
#[test]
fn exact_solver_matches_exhaustive_enumeration_on_18_lines() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = spec_strategy(1).prop_flat_map(|s| {
        let classes = s.classes.clone();
        (
            Just(s),
            prop::collection::vec((0usize..classes.len().max(1), 1u32..2000), 18),
        )
    });
    for _ in 0..4 {
        let (mut spec, lines) = strategy
            .new_tree(&mut runner)
            .map(|t| t.current())
            .expect("strategy");
        for c in &mut spec.classes {
            c.options.truncate(1);
            c.max_levers = None;
            c.forced = None;
        }
        spec.lines = lines;
        spec.capacity = Some(100);
        let p = build(&spec);
        let brute = brute_force(&p);
        match (p.solve(&exact_options()), brute) {
            (Ok(s), Some(b)) => {
                assert!(s.exact);
                assert!(close(s.objective, b), "exact {} brute {}", s.objective, b);
            }
            (Err(_), None) => {}
            (s, b) => panic!("solver {s:?} brute {b:?}"),
        }
    }
}

#[test]
fn locked_levers_needing_more_hours_than_a_capacity_are_a_contradiction_naming_the_capacity() {
    let mut p = PlanningProblem::new(&[2027]);
    let r = p
        .add_requirement("social", 2027, Basis::Count, 0.5)
        .unwrap_or(0);
    let class = p
        .add_class(ProblemClass {
            year: 2027,
            rows: vec![(r, 0.0)],
            options: vec![ProblemOption {
                lever: 7,
                effort_base: 2.0,
                effort_per_meur: 1.0,
                hours_per_meur: 700.0,
                covers: vec![(r, 1.0)],
            }],
            forced: vec![0],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    for a in [1e5, 2e5] {
        p.add_line(class, a).unwrap_or(0);
    }
    p.set_capacity(2027, 0.0).unwrap_or(());
    let e = p.solve(&SolverOptions::default()).expect_err("no plan");
    assert_eq!(e.kind(), crate::error::ErrorKind::Inconsistent);
    let msg = e.to_string();
    assert!(
        msg.contains(
            "insertion capacity of 2027: 0 hours is below the 210 hours of the locked levers"
        ),
        "{msg}"
    );
}

/// L2112-2-1 forces a social condition; when only levers with insertion hours meet it and the
/// capacity is short, the law comes first: the capacity is raised to what it forces, and said.
#[test]
fn an_obligation_met_only_with_hours_raises_a_short_capacity_instead_of_failing() {
    let mut p = PlanningProblem::new(&[2027]);
    let ins = ProblemOption {
        lever: 0,
        effort_base: 2.0,
        effort_per_meur: 0.0,
        hours_per_meur: 700.0,
        covers: vec![],
    };
    let other = ProblemOption {
        lever: 1,
        effort_base: 3.0,
        effort_per_meur: 0.0,
        hours_per_meur: 0.0,
        covers: vec![],
    };
    // class 0: only the insertion clause meets the obligation; class 1: either
    let only = p
        .add_class(ProblemClass {
            year: 2027,
            options: vec![ins.clone()],
            obligations: vec![vec![0]],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    let either = p
        .add_class(ProblemClass {
            year: 2027,
            options: vec![ins, other],
            obligations: vec![vec![0, 1]],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    p.add_line(only, 1e6).unwrap_or(0);
    p.add_line(either, 1e6).unwrap_or(0);
    p.set_capacity(2027, 100.0).unwrap_or(());
    let s = p.solve(&SolverOptions::default()).expect("a plan");
    assert_eq!(s.levers(0), vec![0]);
    assert_eq!(
        s.levers(1),
        vec![1],
        "the lever without hours where one fits"
    );
    assert_eq!(s.raised.len(), 1);
    let r = &s.raised[0];
    assert_eq!((r.year, r.given, r.needed), (Some(2027), 100.0, 700.0));
    assert!((s.hours[&2027] - 700.0).abs() < 1e-9);
}

#[test]
fn an_exclusivity_group_keeps_at_most_one_lever_and_a_prerequisite_brings_its_lever() {
    let mut p = PlanningProblem::new(&[2026]);
    let r = p.add_requirement("t", 2026, Basis::Value, 0.9).unwrap_or(0);
    let opt = |lever: usize, effort: f64, cov: f64| ProblemOption {
        lever,
        effort_base: effort,
        effort_per_meur: 0.0,
        hours_per_meur: 0.0,
        covers: if cov > 0.0 { vec![(r, cov)] } else { vec![] },
    };
    let class = p
        .add_class(ProblemClass {
            year: 2026,
            rows: vec![(r, 0.0)],
            // 0 and 1 exclusive (each covers half); 2 covers 0.4 but needs 3
            options: vec![
                opt(0, 1.0, 0.5),
                opt(1, 1.0, 0.5),
                opt(2, 1.0, 0.4),
                opt(3, 1.0, 0.0),
            ],
            exclusive: vec![vec![0, 1]],
            prerequisites: vec![(2, vec![3])],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    p.add_line(class, 1e6).unwrap_or(0);
    let s = p.solve(&SolverOptions::default()).expect("plan");
    let got = s.levers(0);
    assert!(!(got.contains(&0) && got.contains(&1)), "{got:?}");
    assert!(!got.contains(&2) || got.contains(&3), "{got:?}");
    // the least shortfall: one of 0/1 (0.5) and 2 with 3 (0.4): 90 %
    assert!(s.shortfall_points.abs() < 1e-9, "{}", s.shortfall_points);
    let lp = p.to_lp();
    assert!(lp.contains("excl_0_0: 1 x_0_0 + 1 x_0_1 <= 1"), "{lp}");
    assert!(lp.contains("pre_0_2: 1 x_0_2 - 1 x_0_3 <= 0"), "{lp}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The heuristic finds a plan whenever one exists (the exact method's), under either
    /// objective: its repair must reach the limits the law level set (issue 15).
    #[test]
    fn heuristic_finds_a_plan_whenever_the_exact_method_does(
        spec in spec_strategy(5),
        lex in any::<bool>(),
    ) {
        let mut spec = spec;
        if lex {
            spec.objective = Objective::Lexicographic;
        }
        let p = build(&spec);
        if p.solve(&exact_options()).is_ok() {
            let s = p.solve(&heuristic_options());
            prop_assert!(s.is_ok(), "exact found a plan, the heuristic: {:?}", s.err());
            let s = s.expect("checked");
            prop_assert!(evaluate(&p, &masks(&p, &s)).is_some(), "no hard constraint violated");
        }
    }
}

/// Issue 15 regression, the shrunk instance: no capacity, a budget of 0 person-days, and an
/// obligation met by a lever with effort or by one with insertion hours only. The least-effort
/// plan (the hours lever everywhere) meets the budget; the heuristic's repair refused every
/// move adding hours, so it reported no plan where the exact method found one.
#[test]
fn heuristic_budget_repair_takes_hours_where_capacity_allows() {
    let mut p = PlanningProblem::new(&[2026]);
    let r = p.add_requirement("t", 2026, Basis::Count, 0.0).unwrap_or(0);
    let opt =
        |lever: usize, effort_base: f64, effort_per_meur: f64, hours_per_meur: f64| ProblemOption {
            lever,
            effort_base,
            effort_per_meur,
            hours_per_meur,
            covers: vec![],
        };
    let class = p
        .add_class(ProblemClass {
            year: 2026,
            rows: vec![(r, 0.0)],
            options: vec![opt(0, 5.0, 2.0, 0.0), opt(1, 0.0, 0.0, 100.0)],
            obligations: vec![vec![0, 1]],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    for a in [675_000.0, 425_000.0, 901_000.0] {
        p.add_line(class, a).unwrap_or(0);
    }
    p.set_budget(0.0).unwrap_or(());
    for objective in [Objective::Lexicographic, Objective::Weighted] {
        p.set_objective(objective);
        let exact = p
            .solve(&exact_options())
            .expect("the exact method finds a plan");
        let s = p
            .solve(&heuristic_options())
            .expect("so does the heuristic");
        for l in 0..3 {
            assert_eq!(s.levers(l), vec![1], "{objective:?} line {l}");
        }
        assert_eq!(s.total_effort, 0.0);
        assert!(s.raised.is_empty());
        assert_eq!(exact.total_effort, s.total_effort);
    }
}

/// Issue 15 regression, the shrunk instance under a binding capacity: a budget of 0 is raised
/// to the least effort that fits the hours (a knapsack: which lines take the cheaper lever
/// with hours). Greedy moves cannot trade hours between lines, so the repair falls back on
/// the law level's least-effort plan, which meets the raised budget by construction.
#[test]
fn heuristic_budget_repair_reaches_a_budget_raised_under_a_binding_capacity() {
    let mut p = PlanningProblem::new(&[2027]);
    let r = p.add_requirement("t", 2027, Basis::Count, 0.0).unwrap_or(0);
    let opt =
        |lever: usize, effort_base: f64, effort_per_meur: f64, hours_per_meur: f64| ProblemOption {
            lever,
            effort_base,
            effort_per_meur,
            hours_per_meur,
            covers: vec![],
        };
    let class = p
        .add_class(ProblemClass {
            year: 2027,
            rows: vec![(r, 0.0)],
            options: vec![
                opt(0, 0.0, 2.0, 100.0),
                opt(1, 0.0, 0.0, 0.0),
                opt(2, 2.0, 1.0, 0.0),
            ],
            obligations: vec![vec![0, 2]],
            ..ProblemClass::default()
        })
        .unwrap_or(0);
    for a in [309_000.0, 1_788_000.0, 824_000.0, 1_051_000.0, 577_000.0] {
        p.add_line(class, a).unwrap_or(0);
    }
    p.set_capacity(2027, 246.0).unwrap_or(());
    p.set_budget(0.0).unwrap_or(());
    for objective in [Objective::Lexicographic, Objective::Weighted] {
        p.set_objective(objective);
        let exact = p
            .solve(&exact_options())
            .expect("the exact method finds a plan");
        let s = p
            .solve(&heuristic_options())
            .expect("so does the heuristic");
        assert!(
            evaluate(&p, &masks(&p, &s)).is_some(),
            "no hard constraint violated"
        );
        assert!(s.hours[&2027] <= 246.0 + 1e-9);
        assert!(close(s.total_effort, exact.total_effort), "{objective:?}");
        assert_eq!(s.raised, exact.raised);
    }
}
