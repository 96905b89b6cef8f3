//! Bench: lever applicability and the obligations engine over a seeded programme of 2,000
//! purchases (results asserted inside the loop).

use chrono::NaiveDate;
use criterion::{Criterion, criterion_main};
use spaser::{
    Amount, BuyerKind, Catalogue, Consideration, Dimension, InsertionTotals, Instrument, Nature,
    ObligationEngine, PurchaseContext, Rulebook,
};

const CPVS: [&str; 10] = [
    "45262500", "45442100", "90910000", "77310000", "55524000", "30213100", "39130000", "34110000",
    "85311000", "79800000",
];

/// A small deterministic generator (LCG), so that runs compare.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn purchases(n: usize) -> Vec<PurchaseContext> {
    let mut g = Lcg(42);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let cpv: spaser::CpvCode = CPVS[(g.next() % 10) as usize].parse().unwrap();
            let nature = cpv.nature().unwrap_or(Nature::Services);
            let amount = Amount::from_euros((g.next() % 3_000_000) as u32 + 1_000);
            let date = start + chrono::Duration::days((g.next() % 1_000) as i64);
            let mut p = PurchaseContext::new(
                format!("L{i}"),
                nature,
                amount,
                date,
                BuyerKind::OtherContractingAuthority,
            )
            .with_cpv(cpv);
            p.service = Some(format!("S{}", g.next() % 7));
            p.duration_months = Some((g.next() % 60) as u32 + 1);
            if g.next() % 2 == 0 {
                p.considerations.push(Consideration::new(
                    Dimension::Environmental,
                    Instrument::ExecutionClause,
                ));
            }
            p
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let ps = purchases(2_000);
    let cat = Catalogue::embedded();
    let engine = ObligationEngine::new(Rulebook::embedded());
    let mut group = c.benchmark_group("levers_obligations");
    group.sample_size(20);
    group.bench_function("applicable_2000_purchases", |b| {
        b.iter(|| {
            let n: usize = ps
                .iter()
                .map(|p| cat.applicable(p, p.launch_date).len())
                .sum();
            assert!(n > 2_000);
            n
        })
    });
    group.bench_function("obligations_check_2000_purchases", |b| {
        b.iter(|| {
            let n: usize = ps.iter().map(|p| engine.check(p).unwrap().len()).sum();
            assert!(n >= 3 * 2_000);
            n
        })
    });
    group.bench_function("insertion_totals_2000_purchases", |b| {
        b.iter(|| {
            let items: Vec<_> = ps
                .iter()
                .flat_map(|p| {
                    cat.applicable(p, p.launch_date)
                        .into_iter()
                        .map(move |a| (p, a.lever))
                })
                .collect();
            let t = InsertionTotals::compute(items).unwrap();
            assert!(t.rounded().total > 0);
            t
        })
    });
    group.finish();
}

mod group {
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
