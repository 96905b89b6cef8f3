//! Bench `sourcing/read_directory`: `Directory::read_csv` on a seeded 100k-supplier directory
//! (CSV, `;`, 12 columns: SIRET, name, CPV prefixes, NAF, commune, statuses with source and
//! date, staff band, turnover, insertion FTE, source, update date; built outside the timing).
//! Each iteration checks that every row is accepted.
//!
//! Bench `sourcing/capacity`: `Capacity::compute` matching the 10k-line seeded programme of
//! `spaser plan --synthetic 10000 --seed 7` (each line given one of the 101 départements at
//! random) with that directory. Each iteration checks the number of lines and the total of the
//! national match counts against the value computed once outside the timing.
//!
//! Bench `sourcing/ladder`: capacity, then the ladder (`Recommendations::compute`) on the same
//! inputs; checks one recommendation per line and the count of full reservations.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::fmt::Write as _;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use spaser::sourcing::{Capacity, Directory, Level, Recommendations, Rung, SourcingOptions};
use spaser::{BuyerKind, Catalogue, Programme, synthetic_programme};

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const DEPARTEMENTS: [&str; 101] = [
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "2A", "2B", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63",
    "64", "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
    "971", "972", "973", "974", "976",
];

/// CPV prefixes suppliers declare: around the programme's segments and elsewhere.
const CPV: [&str; 40] = [
    "45", "452", "4521", "454", "4544", "4523", "4526", "909", "9091", "90911", "773", "7731",
    "553", "555", "905", "9051", "507", "5072", "7971", "72", "722", "7226", "794", "302", "3021",
    "391", "3913", "3019", "301976", "18", "181", "15", "158", "151", "341", "3012", "3983", "091",
    "798", "805",
];

const NAF: [&str; 12] = [
    "81.21Z", "81.30Z", "56.29A", "38.11Z", "43.22B", "80.10Z", "62.02A", "41.20A", "43.34Z",
    "18.12Z", "85.59A", "84.11Z",
];

const STATUSES: [&str; 14] = [
    "EI",
    "ACI",
    "AI",
    "ETTI",
    "EA",
    "ESAT",
    "ESS",
    "ESUS",
    "SCOP",
    "RGE",
    "Bio",
    "Écolabel",
    "Qualiopi",
    "JEI",
];

const BANDS: [&str; 8] = ["00", "01", "02", "03", "11", "12", "21", "22"];

/// A Luhn-valid SIRET from a counter.
fn siret(i: usize) -> String {
    let base = format!("{:013}", 300_000_000_000u64 + i as u64 * 7);
    for last in 0..10 {
        let s = format!("{base}{last}");
        let sum: u32 = s
            .bytes()
            .rev()
            .enumerate()
            .map(|(k, b)| {
                let d = u32::from(b - b'0');
                if k % 2 == 1 {
                    let x = d * 2;
                    if x > 9 { x - 9 } else { x }
                } else {
                    d
                }
            })
            .sum();
        if sum % 10 == 0 {
            return s;
        }
    }
    unreachable!("one of ten last digits passes the Luhn check")
}

fn directory_csv(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(n * 140);
    out.push_str("siret;raison_sociale;code_cpv;code_naf;code_commune;statuts;tranche_effectif;chiffre_d_affaires;etp_insertion;source;date_mise_a_jour\n");
    for i in 0..n {
        let dep = DEPARTEMENTS[rng.below(DEPARTEMENTS.len())];
        let commune = if dep.len() == 3 {
            format!("{dep}{:02}", 1 + rng.below(30))
        } else {
            format!("{dep}{:03}", 1 + rng.below(400))
        };
        let ncpv = 1 + rng.below(3);
        let cpv: Vec<&str> = (0..ncpv).map(|_| CPV[rng.below(CPV.len())]).collect();
        let naf = if rng.unit() < 0.3 {
            NAF[rng.below(NAF.len())]
        } else {
            ""
        };
        let mut statuses = Vec::new();
        let r = rng.unit();
        if r < 0.10 {
            statuses.push(STATUSES[rng.below(6)]);
        }
        if rng.unit() < 0.10 {
            statuses.push(STATUSES[6 + rng.below(STATUSES.len() - 6)]);
        }
        let labels: Vec<String> = statuses
            .iter()
            .map(|s| {
                if rng.unit() < 0.5 {
                    format!("{s} (registre, 2025-0{}-15)", 1 + rng.below(9))
                } else {
                    (*s).to_string()
                }
            })
            .collect();
        let turnover = if rng.unit() < 0.7 {
            format!("{}", 100_000 + rng.below(20_000_000))
        } else {
            String::new()
        };
        let inclusive = r < 0.10;
        let fte = if inclusive && rng.unit() < 0.8 {
            format!("{}", 1 + rng.below(80))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{};Entreprise {i};{};{naf};{commune};{};{};{turnover};{fte};générateur;2026-09-30",
            siret(i),
            cpv.join("|"),
            labels.join("|"),
            BANDS[rng.below(BANDS.len())],
        );
    }
    out.into_bytes()
}

fn programme(n: usize) -> Programme {
    let mut p = synthetic_programme(n, 7, BuyerKind::OtherContractingAuthority)
        .expect("a synthetic programme");
    let mut rng = Rng(11);
    for l in &mut p.lines {
        l.departements = vec![DEPARTEMENTS[rng.below(DEPARTEMENTS.len())].parse().unwrap()];
    }
    p
}

fn national_total(c: &Capacity) -> usize {
    c.lines
        .iter()
        .map(|l| l.at(Level::National).map_or(0, |x| x.all.count))
        .sum()
}

fn sourcing(c: &mut Criterion) {
    let mut group = c.benchmark_group("sourcing");
    group.sample_size(10);
    let n = 100_000;
    let bytes = directory_csv(n, 2026);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_with_input(BenchmarkId::new("read_directory", n), &bytes, |b, bytes| {
        b.iter_with_large_drop(|| {
            let r = Directory::read_csv(bytes).expect("the generated directory reads");
            assert_eq!((r.accepted, r.rejected.len()), (n, 0));
            r
        })
    });

    let directory = Directory::read_csv(&bytes).unwrap().directory;
    let options = SourcingOptions::default();
    let lines = 10_000;
    let programme = programme(lines);
    let expected = national_total(&Capacity::compute(&programme, &directory, &options));
    assert!(expected > 0);
    group.throughput(Throughput::Elements(lines as u64));
    group.bench_with_input(BenchmarkId::new("capacity", lines), &programme, |b, p| {
        b.iter_with_large_drop(|| {
            let c = Capacity::compute(p, &directory, &options);
            assert_eq!(c.lines.len(), lines);
            assert_eq!(national_total(&c), expected);
            c
        })
    });

    let catalogue = Catalogue::embedded();
    let full = {
        let c = Capacity::compute(&programme, &directory, &options);
        let r = Recommendations::compute(&programme, &c, catalogue, &options).unwrap();
        r.lines
            .iter()
            .filter(|l| l.social.rung == Rung::FullReservation)
            .count()
    };
    group.bench_with_input(BenchmarkId::new("ladder", lines), &programme, |b, p| {
        b.iter_with_large_drop(|| {
            let c = Capacity::compute(p, &directory, &options);
            let r = Recommendations::compute(p, &c, catalogue, &options).unwrap();
            assert_eq!(r.lines.len(), lines);
            let f = r
                .lines
                .iter()
                .filter(|l| l.social.rung == Rung::FullReservation)
                .count();
            assert_eq!(f, full);
            (c, r)
        })
    });
    group.finish();
}

criterion_group!(benches, sourcing);
criterion_main!(benches);
