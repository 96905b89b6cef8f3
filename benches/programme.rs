//! Benches `programme/estimate`: value estimation and procedure decision over generated
//! programmes of 10k, 100k and 1M lines; `programme/read_csv` and `programme/read_xlsx`:
//! reading a generated programme of 100k lines from a French Excel CSV (Windows-1252, `;`,
//! CRLF) and from an xlsx workbook with typed cells (seeded generator; the result is checked
//! inside the loop so that a wrong fast path cannot pass).

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use spaser::{
    Amount, Buyer, BuyerKind, Dimension, FileFormat, Nature, PlanLine, Procedure, Programme,
    ReadOptions, Rulebook,
};

#[path = "../tests/programme_support/mod.rs"]
mod programme_support;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A programme of `n` lines launched in 2026–2027 (every threshold known), shaped like real
/// programmes: 75 % supplies or services, of which 90 % in `n / 4` homogeneous families (one
/// to a few lines per family and year, amounts of one order of magnitude per family), 25 %
/// works, of which 90 % are lots of `n / 40` operations (about ten lots each); the rest stand
/// alone. Amounts range from a thousand euros to a few million; a few percent of the lines are
/// innovative.
fn generate(n: usize, seed: u64) -> Programme {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let families = (n / 4).max(1) as u64;
    let operations = (n / 40).max(1) as u64;
    const SCALES: [u64; 4] = [20_000, 80_000, 300_000, 2_000_000];
    let lines = (0..n)
        .map(|i| {
            let nature = match rng.below(100) {
                0..=24 => Nature::Works,
                25..=59 => Nature::Supplies,
                _ => Nature::Services,
            };
            let grouped = rng.below(10) < 9;
            let key = if nature == Nature::Works {
                rng.below(operations)
            } else {
                rng.below(families)
            };
            let scale = if grouped {
                SCALES[(key % 4) as usize]
            } else {
                SCALES[rng.below(4) as usize]
            };
            let amount = Amount::from_cents((rng.below(scale) + 1_000) * 100);
            let date = start + chrono::Duration::days(rng.below(730) as i64);
            let mut l = PlanLine::new(format!("L{i:07}"), "generated line", nature, amount, date);
            if grouped {
                if nature == Nature::Works {
                    l.operation = Some(format!("OP{key}"));
                } else {
                    l.family = Some(format!("F{key}"));
                }
            }
            l.innovative = rng.below(50) == 0;
            if rng.below(3) == 0 {
                l.considerations = vec![Dimension::Environmental];
            }
            l
        })
        .collect();
    Programme::new(
        Buyer::new("bench", BuyerKind::OtherContractingAuthority),
        lines,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let rules = Rulebook::embedded();
    let mut group = c.benchmark_group("programme");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    for n in [10_000usize, 100_000, 1_000_000] {
        let programme = generate(n, 0x5EED_0000 + n as u64);
        let total = Amount::sum(programme.lines.iter().map(|l| l.amount)).unwrap();
        group.throughput(Throughput::Elements(n as u64));
        group.measurement_time(Duration::from_secs(if n >= 1_000_000 { 8 } else { 3 }));
        group.bench_with_input(BenchmarkId::new("estimate", n), &programme, |b, p| {
            b.iter_with_large_drop(|| {
                let est = p.estimate(black_box(rules)).unwrap();
                assert_eq!(est.lines.len(), n);
                let sum = Amount::sum(est.groups.iter().map(|g| g.value)).unwrap();
                assert_eq!(sum, total);
                assert!(est.lines.iter().any(|l| l.procedure == Procedure::Formal));
                est
            });
        });
    }
    group.finish();
}

fn bench_read(c: &mut Criterion) {
    let n = 100_000usize;
    let mut programme = generate(n, 0x5EED_0000 + n as u64);
    for (i, l) in programme.lines.iter_mut().enumerate() {
        l.label = format!("Ligne générée n°{i} (équipement)");
        l.service = Some(["Voirie", "Écoles", "Moyens généraux"][i % 3].to_string());
    }
    let total = Amount::sum(programme.lines.iter().map(|l| l.amount)).unwrap();
    let (header, rows) = programme.to_table();
    let csv = programme_support::windows_1252_csv(&header, &rows);
    let xlsx = programme_support::xlsx(&header, &rows, "Programmation", true, &[], false);
    let options = ReadOptions::default().buyer(programme.buyer.clone());
    let mut group = c.benchmark_group("programme");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(n as u64));
    for (name, bytes, format) in [
        ("read_csv", &csv, FileFormat::Csv),
        ("read_xlsx", &xlsx, FileFormat::Xlsx),
    ] {
        let options = options.clone().format(format);
        group.bench_with_input(BenchmarkId::new(name, n), bytes, |b, bytes| {
            b.iter_with_large_drop(|| {
                let read = Programme::read(black_box(bytes), &options).unwrap();
                assert!(read.is_valid());
                let p = read.into_programme().unwrap();
                assert_eq!(p.lines.len(), n);
                assert_eq!(
                    Amount::sum(p.lines.iter().map(|l| l.amount)).unwrap(),
                    total
                );
                p
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench, bench_read);
criterion_main!(benches);
