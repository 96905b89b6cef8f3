//! Bench `planner/plan`: the lever planner on seeded synthetic problems of 1k, 10k and 100k lines
//! (`PlanningProblem::synthetic`: 40 levers, 5 years, 16 targets × 5 years, binding insertion
//! capacity, obligations from August 2026, at most 4 levers per line). Each iteration checks that
//! the plan meets the capacities, that its objective is at least its proven lower bound, and
//! that the proven gap is within the quality bar (1 %).

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use spaser::{PlanningProblem, SolverOptions};

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

criterion_group!(benches, plan);
criterion_main!(benches);
