//! Criterion bench `decp/indicators`: realised indicators from a synthetic DECP file, end to end
//! (streaming reader + indicator engine), side by side with a bare `serde_json` parse of the
//! same bytes into `IgnoredAny`.
//!
//! The input is made by `benches/gen_decp.py N 42 FILE` (a copy of the project's shared
//! generator, Python standard library only) (seeded, deterministic) into
//! `target/decp-bench/` when absent. N = `SPASER_DECP_BENCH_N` (default 200000 contracts, about
//! 200 MB; the reference size is 1000000, about 1 GB).
// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spaser::decp::{self, Actuals};

fn input() -> (PathBuf, u64) {
    let n: u64 = std::env::var("SPASER_DECP_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("decp-bench");
    std::fs::create_dir_all(&dir).expect("create target/decp-bench");
    let path = dir.join(format!("gen_{n}_42.json"));
    if !path.exists() {
        let script = root.join("benches/gen_decp.py");
        let status = Command::new("python3")
            .arg(&script)
            .arg(n.to_string())
            .arg("42")
            .arg(&path)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "the DECP bench needs python3 to generate its input with benches/gen_decp.py \
                     ({e}); install python3 or set CARGO_TARGET_DIR to a folder holding \
                     decp-bench/gen_{n}_42.json"
                )
            });
        assert!(status.success(), "gen_decp.py failed");
    }
    (path, n)
}

fn bench(c: &mut Criterion) {
    let (path, n) = input();
    let bytes = std::fs::read(&path).expect("read the bench input");
    let mut g = c.benchmark_group("decp");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(2))
        .throughput(Throughput::Bytes(bytes.len() as u64));

    // The reference results, checked inside every iteration.
    let totals = Actuals::standard_totals;
    let expected = decp::indicators(&bytes[..], totals()).expect("bench input reads");
    assert_eq!(expected.accounting.read, n);
    assert!(expected.accounting.balances());
    let expected_all = decp::indicators(&bytes[..], Actuals::new()).expect("bench input reads");

    // What `spaser decp FILE --format json` computes (the peers' `by_year`), from the file, on two
    // threads (one reads and scans, one converts and counts).
    g.bench_function("indicators", |b| {
        b.iter(|| {
            let file = File::open(&path).expect("open");
            let r = decp::indicators_parallel(BufReader::with_capacity(1 << 16, file), totals())
                .expect("read");
            assert_eq!(r.accounting, expected.accounting);
            assert_eq!(r.marches, expected.marches);
            r
        })
    });
    // The same on one thread.
    g.bench_function("indicators_one_thread", |b| {
        b.iter(|| {
            let file = File::open(&path).expect("open");
            let r =
                decp::indicators(BufReader::with_capacity(1 << 16, file), totals()).expect("read");
            assert_eq!(r.accounting, expected.accounting);
            assert_eq!(r.marches, expected.marches);
            r
        })
    });
    // With every breakdown (buyer, CPV division, procedure, nature) and instrument indicators.
    g.bench_function("indicators_all_breakdowns", |b| {
        b.iter(|| {
            let file = File::open(&path).expect("open");
            let r = decp::indicators(BufReader::with_capacity(1 << 16, file), Actuals::new())
                .expect("read");
            assert_eq!(r.marches, expected_all.marches);
            r
        })
    });
    g.bench_function("serde_json_ignored_any", |b| {
        b.iter(|| {
            let v: serde::de::IgnoredAny = serde_json::from_slice(&bytes).expect("valid JSON");
            v
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
