//! Bench `document/new`: `Document::new` (the six parts, the sheets, the charts, in French) on
//! the plan of the sample programme and on the plans of the 10k- and 100k-line seeded
//! programmes of `spaser plan --synthetic N --seed 7` (default and synthetic
//! targets, binding insertion capacity; the sample: 3,000 hours a year), planned outside the
//! timing. Bench `document/html`: writing the
//! HTML of those documents. Each iteration checks that every purchase is in exactly one sheet
//! and that the HTML holds the six parts.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use spaser::document::{Document, DocumentInput};
use spaser::{
    BuyerKind, Catalogue, Lang, Plan, PlanOptions, Planner, Programme, Rulebook, Targets,
    synthetic_programme, synthetic_targets,
};

fn planned(n: Option<usize>) -> (Programme, Plan) {
    let rulebook = Rulebook::embedded();
    let programme = match n {
        Some(n) => synthetic_programme(n, 7, BuyerKind::OtherContractingAuthority)
            .expect("a synthetic programme"),
        None => Programme::sample().clone(),
    };
    let mut targets = Targets::defaults_for(&programme, rulebook);
    let planner = Planner::new(Catalogue::embedded(), rulebook);
    let options = match n {
        // as `spaser plan --synthetic`: the binding capacity and the two synthetic targets
        Some(_) => {
            let o = planner
                .binding_capacity(&programme, &targets, PlanOptions::default())
                .expect("a binding capacity");
            targets
                .targets
                .extend(synthetic_targets().expect("the synthetic targets").targets);
            o
        }
        None => PlanOptions::default().capacity_every_year(Decimal::from(3000)),
    };
    let plan = planner
        .plan(&programme, &targets, &options)
        .expect("a plan");
    (programme, plan)
}

fn document(c: &mut Criterion) {
    let mut group = c.benchmark_group("document");
    group.sample_size(10);
    for n in [None, Some(10_000usize), Some(100_000)] {
        let (programme, plan) = planned(n);
        let lines = programme.lines.len();
        let input = DocumentInput::new(&programme).lang(Lang::Fr);
        group.bench_with_input(BenchmarkId::new("new", lines), &lines, |b, _| {
            b.iter(|| {
                let d = Document::new(&plan, &input).expect("a document");
                assert_eq!(d.sheets().len(), {
                    let mut s: Vec<Option<&str>> = programme
                        .lines
                        .iter()
                        .map(|l| l.service.as_deref())
                        .collect();
                    s.sort_unstable();
                    s.dedup();
                    s.len()
                });
                d
            })
        });
        let d = Document::new(&plan, &input).expect("a document");
        group.bench_with_input(BenchmarkId::new("html", lines), &lines, |b, _| {
            b.iter(|| {
                let html = d.to_html();
                assert!(html.contains("6. Annexes</h2>"));
                html
            })
        });
    }
    group.finish();
}

criterion_group!(benches, document);
criterion_main!(benches);
