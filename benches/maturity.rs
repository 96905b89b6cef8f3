//! Maturity benches: scoring the default grid (105 criteria, 14 automatic) on seeded random
//! assessments with DECP-like evidence, and building that evidence from seeded purchases
//! through the grid's indicator engine. Every iteration asserts its result.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use spaser::maturity::{
    Answer, Assessment, Evidence, FACT_PROGRAMME_COVERAGE, Grid, ScoreOptions, Source, Status,
    score_with,
};
use spaser::{Amount, Coverage, Dimension, Instrument, Purchase, Share};

/// xorshift64*: a small seeded generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const LEVERS: [Coverage; 4] = [
    Coverage {
        dimension: Dimension::Social,
        instrument: Instrument::ExecutionClause,
        share: Share::ONE,
    },
    Coverage {
        dimension: Dimension::Environmental,
        instrument: Instrument::AwardCriterion,
        share: Share::ONE,
    },
    Coverage {
        dimension: Dimension::Social,
        instrument: Instrument::ReservedContract,
        share: Share::ONE,
    },
    Coverage {
        dimension: Dimension::Environmental,
        instrument: Instrument::ExecutionClause,
        share: Share::ONE,
    },
];

/// `n` contracts notified in 2024-2025 with 0 to 2 considerations each.
fn purchases(n: usize, rng: &mut Rng) -> Vec<Purchase<'static>> {
    (0..n)
        .map(|_| {
            let date = NaiveDate::from_ymd_opt(
                2024 + i32::try_from(rng.below(2)).unwrap_or(0),
                1 + u32::try_from(rng.below(12)).unwrap_or(0),
                1 + u32::try_from(rng.below(28)).unwrap_or(0),
            )
            .unwrap_or_default();
            let amount = Amount::from_cents(4_000_000 + rng.below(100_000_000));
            let mut p = Purchase::new(date, amount);
            let start = usize::try_from(rng.below(4)).unwrap_or(0);
            let len = usize::try_from(rng.below(3)).unwrap_or(0).min(4 - start);
            p.considerations = &LEVERS[start..start + len];
            p.innovative = rng.below(50) == 0;
            p
        })
        .collect()
}

fn assessment(grid: &Grid, rng: &mut Rng) -> Assessment {
    let mut a = Assessment::new(
        grid.id(),
        NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or_default(),
        "bench",
    );
    for t in grid.themes() {
        for (_, c) in t.criteria() {
            let status = match rng.below(5) {
                0 => continue,
                1 => Status::Met,
                2 => Status::NotMet,
                3 => Status::Partly(
                    Share::ratio(Decimal::from(rng.below(101)), Decimal::ONE_HUNDRED)
                        .unwrap_or(Share::ZERO),
                ),
                _ => Status::NotApplicable("not concerned".into()),
            };
            a = match a.clone().with_answer(&c.id, Answer::new(status)) {
                Ok(x) => x,
                Err(_) => a,
            };
        }
    }
    a
}

fn bench(c: &mut Criterion) {
    let grid = Grid::spaser();
    let mut rng = Rng(0x5EED_CAFE);
    let contracts = purchases(10_000, &mut rng);
    let coverage = Share::ratio(Decimal::from(85), Decimal::ONE_HUNDRED).unwrap_or(Share::ONE);

    let mut group = c.benchmark_group("maturity");
    group.sample_size(20);

    group.bench_function("evidence_10k_contracts", |b| {
        b.iter(|| {
            let ev = Evidence::new().with_purchases(
                Source::Actuals,
                grid,
                black_box(&contracts).iter().copied(),
            );
            let m = ev
                .table(Source::Actuals)
                .and_then(|t| t.total("social", 2025));
            assert!(m.is_some_and(|m| m.purchases > 4_000 && m.count > 0));
            ev
        })
    });

    let evidence = Evidence::new()
        .with_purchases(Source::Actuals, grid, contracts.iter().copied())
        .with_fact(FACT_PROGRAMME_COVERAGE, coverage);
    let assessments: Vec<Assessment> = (0..64).map(|_| assessment(grid, &mut rng)).collect();
    let options = ScoreOptions::default();
    let mut i = 0;
    group.bench_function("score_default_grid_with_evidence", |b| {
        b.iter(|| {
            i = (i + 1) % assessments.len();
            let card = score_with(grid, black_box(&assessments[i]), &evidence, &options);
            let card = card.map_err(|e| e.to_string());
            assert!(card.as_ref().is_ok_and(|c| {
                c.stars <= 4
                    && c.criteria.len() == 105
                    && c.themes
                        .iter()
                        .all(|t| t.level <= 5 && t.points <= t.potential)
            }));
            card
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
