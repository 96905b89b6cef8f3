//! LCC benches: the life-cycle cost of seeded tenders (offers × cost items × years, two
//! conventions). Every iteration asserts its result.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use spaser::lcc::{
    Convention, CostItem, CostKind, Externality, Offer, Parameters, RateBasis, Study,
};

/// xorshift64*: a small seeded generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> i64 {
        i64::try_from(self.next() % n).unwrap_or(0)
    }
}

const KINDS: [CostKind; 6] = [
    CostKind::Energy,
    CostKind::Use,
    CostKind::Maintenance,
    CostKind::Consumables,
    CostKind::EndOfLife,
    CostKind::ResidualValue,
];

/// `offers` offers of 12 cost items each (acquisition, an emissions item, ten others with
/// escalation) over `horizon` years.
fn study(offers: usize, horizon: u32, convention: Convention, rng: &mut Rng) -> Study {
    let values = (1..=horizon)
        .map(|t| (i32::try_from(t).unwrap_or(0), Decimal::from(100 + 5 * t)))
        .collect();
    let p = Parameters::new(horizon, Decimal::new(4, 2), RateBasis::Real, convention)
        .unwrap()
        .with_externality(
            "co2e",
            Externality {
                unit: Some("t".into()),
                values,
            },
        );
    let offers = (0..offers)
        .map(|i| {
            let mut o = Offer::new(format!("O{i}"))
                .with(CostItem::amount(
                    "buy",
                    CostKind::Acquisition,
                    Decimal::new(rng.below(10_000_000), 2),
                ))
                .with(CostItem::emissions(
                    "co2",
                    "co2e",
                    Decimal::new(rng.below(1000), 3),
                ));
            for j in 0..10 {
                let kind = KINDS[usize::try_from(rng.below(6)).unwrap_or(0)];
                o = o.with(
                    CostItem::priced(
                        format!("i{j}"),
                        kind,
                        Decimal::new(rng.below(100_000), 1),
                        Decimal::new(rng.below(10_000), 4),
                    )
                    .escalating(Decimal::new(rng.below(500), 4)),
                );
            }
            o
        })
        .collect();
    Study::new(p, offers)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("lcc");
    g.sample_size(10);
    for (offers, horizon) in [(10usize, 10u32), (100, 30), (1000, 30)] {
        for convention in [Convention::EndOfYear, Convention::MiddleOfYear] {
            let s = study(
                offers,
                horizon,
                convention,
                &mut Rng(0x5EED ^ offers as u64),
            );
            g.bench_with_input(
                BenchmarkId::new(
                    format!("compute/{}", convention.as_str()),
                    format!("{offers}x{horizon}"),
                ),
                &s,
                |b, s| {
                    b.iter(|| {
                        let r = black_box(s).compute().unwrap();
                        assert_eq!(r.offers.len(), offers);
                        let o = &r.offers[0];
                        assert_eq!(o.by_year.values().copied().sum::<Decimal>(), o.lcc);
                        r
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
