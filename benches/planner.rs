//! Bench `planner/plan`: the lever planner on seeded synthetic problems of 1k, 10k and 100k lines
//! (`PlanningProblem::synthetic`: 40 levers, 5 years, 16 targets × 5 years, binding insertion
//! capacity, obligations from August 2026, at most 4 levers per line). Each iteration checks that
//! the plan meets the capacities, that its objective is at least its proven lower bound, and
//! that the proven gap is within the quality bar (1 %).
//!
//! Bench `planner/plan_end_to_end`: `Planner::plan` on the crate's types, on the 10k- and
//! 100k-line seeded programmes of `spaser plan --synthetic N --seed 7` (the
//! embedded catalogue and rulebook, `Targets::defaults_for` plus the command's two synthetic
//! targets, the command's binding insertion capacity), built outside the timing. Each iteration
//! checks the proven gap (≤ 1 %) and that the planned insertion hours stay within each year's
//! capacity.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use spaser::{
    BuyerKind, Catalogue, PlanOptions, Planner, PlanningProblem, Rulebook, SolverOptions, Targets,
    synthetic_programme, synthetic_targets,
};

fn plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("planner");
    group.sample_size(10);
    for &n in &[1_000usize, 10_000, 100_000] {
        let problem = PlanningProblem::synthetic(n, 42);
        let options = SolverOptions::default();
        group.bench_with_input(BenchmarkId::new("plan", n), &problem, |b, p| {
            b.iter(|| {
                let s = p.solve(&options).expect("the synthetic problem has a plan");
                assert!(s.objective >= s.lower_bound);
                assert!(s.gap <= 0.01, "gap {} at {n} lines", s.gap);
                for (&y, &h) in &s.hours {
                    assert!(
                        p.capacity(y).is_none_or(|c| h <= c * (1.0 + 1e-9)),
                        "{y}: {h} hours"
                    );
                }
                s
            })
        });
    }
    group.finish();
}

fn plan_end_to_end(c: &mut Criterion) {
    let mut group = c.benchmark_group("planner");
    group.sample_size(10);
    let rulebook = Rulebook::embedded();
    let catalogue = Catalogue::embedded();
    let planner = Planner::new(catalogue, rulebook);
    for &n in &[10_000usize, 100_000] {
        let programme = synthetic_programme(n, 7, BuyerKind::OtherContractingAuthority)
            .expect("a synthetic programme");
        let mut targets = Targets::defaults_for(&programme, rulebook);
        let options = planner
            .binding_capacity(&programme, &targets, PlanOptions::default())
            .expect("a binding capacity");
        targets
            .targets
            .extend(synthetic_targets().expect("the synthetic targets").targets);
        group.bench_with_input(BenchmarkId::new("plan_end_to_end", n), &n, |b, _| {
            b.iter(|| {
                let plan = planner
                    .plan(&programme, &targets, &options)
                    .expect("the synthetic programme has a plan");
                assert!(plan.objective >= plan.lower_bound);
                assert!(plan.gap <= 0.01, "gap {} at {n} lines", plan.gap);
                assert_eq!(plan.capacity_hours.len(), 5, "a capacity every year");
                for (y, cap) in &plan.capacity_hours {
                    let cap: Decimal = cap.parse().expect("a capacity");
                    let used = Decimal::from(plan.insertion_hours.get(y).copied().unwrap_or(0));
                    assert!(used <= cap.ceil(), "{y}: {used} hours over {cap}");
                }
                plan
            })
        });
    }
    group.finish();
}

criterion_group!(benches, plan, plan_end_to_end);
criterion_main!(benches);
