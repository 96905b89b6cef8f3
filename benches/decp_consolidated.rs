//! Criterion bench `decp_consolidated`: the consolidated national DECP (decp-processing's
//! `decp.parquet` / `decp.csv` shape) read into the peers' `by_year` figures, for all buyers and
//! for one buyer, from the file (reading included).
//!
//! The inputs are made by `../shared/bench/gen_decp_consolidated.py N 42 PREFIX` (needs polars;
//! about 3 GB of memory per 200k contracts) into `$CARGO_TARGET_DIR/decp-bench/cons_N_42.*`
//! when absent; N = `SPASER_DECP_CONS_N` (default 200000; the sizes are 200000 and
//! 500000). `SPASER_PYTHON` names the Python that has polars (default `python3`). The Parquet
//! benches need `--features parquet`.
//!
//! Every iteration checks its figures against a reference computed once (the whole `by_year`
//! and the accounting).
// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spaser::decp::{self, Filter, Options};

fn inputs() -> (PathBuf, PathBuf, u64) {
    let n: u64 = std::env::var("SPASER_DECP_CONS_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("decp-bench");
    std::fs::create_dir_all(&dir).expect("create target/decp-bench");
    let prefix = dir.join(format!("cons_{n}_42"));
    let (pq, csv) = (
        prefix.with_extension("parquet"),
        prefix.with_extension("csv"),
    );
    if !pq.exists() || !csv.exists() {
        let python = std::env::var("SPASER_PYTHON").unwrap_or_else(|_| "python3".to_string());
        let script = root.join("../shared/bench/gen_decp_consolidated.py");
        let status = Command::new(&python)
            .arg(&script)
            .arg(n.to_string())
            .arg("42")
            .arg(&prefix)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "the consolidated DECP bench generates its input with {} ({e}); set \
                     SPASER_PYTHON to a Python with polars",
                    script.display()
                )
            });
        assert!(status.success(), "gen_decp_consolidated.py failed");
    }
    (pq, csv, n)
}

/// A buyer with many contracts in the generated file (the synthetic Ville de Paris).
const BUYER: &str = "21750001600019";

fn bench(c: &mut Criterion) {
    let (pq, csv, n) = inputs();
    let mut g = c.benchmark_group("decp_consolidated");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .warm_up_time(Duration::from_secs(2));
    let run = |path: &PathBuf, buyer: bool| {
        let options = if buyer {
            Options::totals_only().filter(Filter::new().buyer(BUYER))
        } else {
            Options::totals_only()
        };
        decp::read_paths(&[path], options).expect("the bench input reads")
    };
    let mut files = vec![("csv", csv.clone())];
    if cfg!(feature = "parquet") {
        files.insert(0, ("parquet", pq.clone()));
    }
    for (name, path) in files {
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        g.throughput(Throughput::Bytes(bytes));
        for buyer in [false, true] {
            let expected = run(&path, buyer);
            if !buyer {
                assert_eq!(
                    expected.accounting.read, n,
                    "{name}: one record per contract"
                );
            }
            assert!(expected.accounting.balances());
            let expected_figures = decp::by_year(&expected.actuals.marches);
            let id = format!("{name}_by_year{}", if buyer { "_one_buyer" } else { "" });
            g.bench_function(id, |b| {
                b.iter(|| {
                    let r = run(&path, buyer);
                    assert_eq!(r.accounting, expected.accounting);
                    assert_eq!(decp::by_year(&r.actuals.marches), expected_figures);
                    r
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
