//! Fuzz-style properties of the DECP reader: arbitrary bytes and arbitrarily mutated valid files
//! never panic, and every record read is accepted or rejected (`read == accepted + rejected`).

use proptest::prelude::*;
use spaser::decp::{self, Actuals, DecpReader, Outcome};

const SAMPLES: [&str; 4] = [
    include_str!("data/decp/official/2024/marches_concessions.json"),
    include_str!("data/decp/official/2019/paquet-result.json"),
    include_str!("data/decp/official/2019/cc-avec-modifications.json"),
    include_str!("data/decp/real/megalis_decp-59920013600241-2024-07-09-01.json"),
];

/// Reads everything, checking the accounting after each record; never panics.
fn check(bytes: &[u8]) {
    let mut reader = DecpReader::new(bytes);
    let mut actuals = Actuals::new();
    let (mut accepted, mut rejected) = (0u64, 0u64);
    loop {
        match reader.next_entry() {
            Ok(Some(entry)) => {
                match &entry.outcome {
                    Outcome::Rejected(_) => rejected += 1,
                    _ => accepted += 1,
                }
                actuals.add_entry(&entry);
                let a = reader.accounting();
                assert!(a.balances(), "{a:?}");
                assert_eq!((a.accepted, a.rejected), (accepted, rejected));
            }
            Ok(None) => break,
            Err(e) => {
                // errors name where they happened
                let msg = e.to_string();
                assert!(
                    msg.contains("byte ") || msg.contains("marches") || msg.contains("empty input"),
                    "{msg}"
                );
                break;
            }
        }
    }
    let a = reader.accounting();
    assert!(a.balances());
    let report = actuals.finish();
    // shares stay within 0..=1
    for row in &report.marches.rows {
        assert!(row.measure.count <= row.measure.purchases);
        assert!(row.measure.covered_value <= row.measure.value);
    }
    // the two-thread path gives the same result or the same error
    let seq = decp::indicators(bytes, Actuals::new());
    let par = decp::indicators_parallel(bytes, Actuals::new());
    match (seq, par) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            // the indicator-only path (one reused contract, no entries) counts what the
            // full read counts
            assert_eq!(a.marches, report.marches);
            assert_eq!(a.concessions, report.concessions);
            assert_eq!(a.audit, report.audit);
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("sequential {a:?} vs parallel {b:?}"),
    }
    // the writer never panics on what the reader kept
    if let Ok(d) = decp::read(bytes) {
        let _ = decp::write_2024(&d.contracts, &d.concessions);
        assert!(d.accounting.balances());
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = prop::sample::select(vec![
        b"\"NC\"".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"1e17".to_vec(),
        b"\"oui\"".to_vec(),
        b",".to_vec(),
        b"\"".to_vec(),
        b"\\".to_vec(),
        b"\xe2\x80\x99".to_vec(),
        b"\xff".to_vec(),
        b"-0.001".to_vec(),
        b"\"2024-13-45\"".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), tokens).prop_map(|(i, t)| Mutation::Insert(i, t)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1usize..400).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn apply(mut b: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        if b.is_empty() {
            break;
        }
        let len = b.len();
        match m {
            Mutation::Flip(i, x) => b[i % len] = *x,
            Mutation::Delete(i, n) => {
                let s = i % len;
                b.drain(s..(s + n).min(len));
            }
            Mutation::Insert(i, t) => {
                let s = i % len;
                b.splice(s..s, t.iter().copied());
            }
            Mutation::Truncate(i) => b.truncate(i % len),
            Mutation::Duplicate(i, n) => {
                let s = i % len;
                let part: Vec<u8> = b[s..(s + n).min(len)].to_vec();
                b.splice(s..s, part);
            }
        }
    }
    b
}

proptest! {
    // 96 cases by default (fast in CI); PROPTEST_CASES=20000 for a long run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(96)
    ))]

    #[test]
    fn arbitrary_bytes_never_panic_and_records_balance(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_json_like_bytes_never_panic(bytes in prop::collection::vec(
        prop::sample::select(b"{}[]\":,0123456789.eE-+ tfnrulsa\\marchesidontn".to_vec()), 0..300)) {
        let mut v = b"{\"marches\":{\"marche\":[".to_vec();
        v.extend(bytes);
        check(&v);
    }

    #[test]
    fn mutated_valid_files_never_panic_and_records_balance(
        sample in 0usize..SAMPLES.len(),
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = apply(SAMPLES[sample].as_bytes().to_vec(), &muts);
        check(&bytes);
    }
}
