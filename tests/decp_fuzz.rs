//! Fuzz-style properties of the DECP reader: arbitrary bytes and arbitrarily mutated valid files
//! never panic, every record read is accepted or rejected (`read == accepted + rejected`), and
//! whenever a strict JSON reader can parse the file (`NaN`/`Infinity` read as null, as Python's
//! `json` does), the reader counts the records it counts (issue 11).

use proptest::prelude::*;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use spaser::decp::{self, Actuals, DecpReader, Outcome};

const SAMPLES: [&str; 5] = [
    include_str!("data/decp/official/2024/marches_concessions.json"),
    include_str!("data/decp/official/2019/paquet-result.json"),
    include_str!("data/decp/official/2019/cc-avec-modifications.json"),
    include_str!("data/decp/real/megalis_decp-59920013600241-2024-07-09-01.json"),
    include_str!("data/decp/quirks/decp_test_2022_like.json"),
];

/// Reads everything, checking the accounting after each record; never panics.
fn check(bytes: &[u8]) {
    let mut reader = DecpReader::new(bytes);
    let mut actuals = Actuals::new();
    let (mut accepted, mut rejected) = (0u64, 0u64);
    let mut failed = false;
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
                // errors name where they happened (or the encoding)
                let msg = e.to_string();
                assert!(
                    msg.contains("byte ")
                        || msg.contains("marches")
                        || msg.contains("empty input")
                        || msg.contains("not UTF-8"),
                    "{msg}"
                );
                // the reader is finished: no later record, no second error
                assert!(matches!(reader.next_entry(), Ok(None)));
                failed = true;
                break;
            }
        }
    }
    let a = reader.accounting();
    assert!(a.balances());
    if let Some(n) = strict_count(bytes) {
        assert!(
            !failed,
            "a strict JSON reader parses this DECP file; the reader failed"
        );
        assert_eq!(a.read, n, "records counted by a strict JSON reader");
    }
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

/// The bytes with the non-finite number tokens outside strings replaced by `null`.
fn nan_as_null(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let (mut in_str, mut esc, mut i) = (false, false, 0);
    while i < b.len() {
        let c = b[i];
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
        } else if let Some(t) = [&b"-Infinity"[..], b"Infinity", b"NaN"]
            .into_iter()
            .find(|t| b[i..].starts_with(t))
        {
            out.extend_from_slice(b"null");
            i += t.len();
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The records a strict JSON reader (serde_json) sees in a DECP file, or `None` when it cannot
/// parse the file or the file is not shaped as DECP. Every occurrence of a repeated `marches`,
/// `marche` or `contrat-concession` key counts (as a streaming reader meets them); a single
/// object where an array is expected is one record; null is none.
fn strict_count(bytes: &[u8]) -> Option<u64> {
    struct Root;
    struct Marches;
    struct Records;
    impl<'de> Visitor<'de> for Root {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a DECP root")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Option<u64>, A::Error> {
            let (mut n, mut seen, mut ok) = (0, false, true);
            while let Some(k) = m.next_key::<String>()? {
                if k == "marches" {
                    seen = true;
                    match m.next_value_seed(Marches)? {
                        Some(x) => n += x,
                        None => ok = false,
                    }
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok((seen && ok).then_some(n))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Option<u64>, A::Error> {
            while s.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Option<u64>, E> {
            Ok(None)
        }
    }
    impl<'de> DeserializeSeed<'de> for Marches {
        type Value = Option<u64>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Marches {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("marches")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Option<u64>, A::Error> {
            let (mut n, mut ok) = (0, true);
            while let Some(k) = m.next_key::<String>()? {
                if k == "marche" || k == "contrat-concession" {
                    match m.next_value_seed(Records)? {
                        Some(x) => n += x,
                        None => ok = false,
                    }
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok(ok.then_some(n))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Option<u64>, A::Error> {
            let mut n = 0;
            while s.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(Some(n))
        }
        fn visit_unit<E>(self) -> Result<Option<u64>, E> {
            Ok(Some(0))
        }
        fn visit_str<E>(self, _: &str) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Option<u64>, E> {
            Ok(None)
        }
    }
    impl<'de> DeserializeSeed<'de> for Records {
        type Value = Option<u64>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Records {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("records")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Option<u64>, A::Error> {
            let mut n = 0;
            while s.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(Some(n))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Option<u64>, A::Error> {
            while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Some(1))
        }
        fn visit_unit<E>(self) -> Result<Option<u64>, E> {
            Ok(Some(0))
        }
        fn visit_str<E>(self, _: &str) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Option<u64>, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Option<u64>, E> {
            Ok(None)
        }
    }
    let fixed = nan_as_null(bytes);
    let mut de = serde_json::Deserializer::from_slice(&fixed);
    let n = de.deserialize_any(Root).ok()?;
    de.end().ok()?;
    n
}

#[test]
fn strict_count_reads_nan_as_null_and_counts_every_array() {
    let f = br#"{"marches":{"marche":[{"a":NaN},1],"contrat-concession":{"x":-Infinity}},"marches":[2]}"#;
    assert_eq!(strict_count(f), Some(4));
    assert_eq!(strict_count(b"[1]"), None);
    assert_eq!(strict_count(br#"{"marches":5}"#), None);
    assert_eq!(strict_count(br#"{"marches":null}"#), Some(0));
    assert_eq!(strict_count(br#"{"marches":[1]} x"#), None);
}

/// What a record-level mutation does to one member of one record.
#[derive(Debug, Clone)]
enum RecordMutation {
    /// Replaces the value of the member with raw text.
    Value(usize, usize, &'static str),
    /// Repeats the member with raw text as its value (a duplicate key).
    Repeat(usize, usize, &'static str),
    /// Inserts a byte that is not UTF-8 inside a string value of the member.
    BadByte(usize, usize, u8),
    /// Replaces the whole record by a non-object (multi-byte text, a number, null…).
    NotObject(usize, &'static str),
}

const RAW_VALUES: [&str; 16] = [
    "NaN",
    "Infinity",
    "-Infinity",
    "null",
    "\"12.500\"",
    "\"1.500.000\"",
    "\"1 234,50\"",
    "\"15/09/26\"",
    "\"0026-09-15\"",
    "\"2226-01-01\"",
    "\"NC\"",
    "1e17",
    "[]",
    "{}",
    "\"oui\"",
    r#""\u00e9\u00e9""#,
];

const NOT_OBJECTS: [&str; 5] = [
    "\"éééééééééééééééééééééééééééééééééééééééé\"",
    "\"€€€€€€€€€€€€€€😀😀😀😀😀😀😀\"",
    "12.5",
    "null",
    "[\"é\",{\"id\":1}]",
];

fn record_mutation() -> impl Strategy<Value = RecordMutation> {
    let raw = prop::sample::select(RAW_VALUES.to_vec());
    let bad = prop::sample::select(vec![0xE9u8, 0xFF, 0x80, 0xC3, 0xF0]);
    prop_oneof![
        (any::<usize>(), any::<usize>(), raw.clone())
            .prop_map(|(r, m, t)| RecordMutation::Value(r, m, t)),
        (any::<usize>(), any::<usize>(), raw).prop_map(|(r, m, t)| RecordMutation::Repeat(r, m, t)),
        (any::<usize>(), any::<usize>(), bad)
            .prop_map(|(r, m, b)| RecordMutation::BadByte(r, m, b)),
        (any::<usize>(), prop::sample::select(NOT_OBJECTS.to_vec()))
            .prop_map(|(r, t)| RecordMutation::NotObject(r, t)),
    ]
}

/// A record as its members' (key, raw value), or raw bytes when it is not an object.
type RecordText = Result<Vec<(String, Vec<u8>)>, Vec<u8>>;

/// Writes a DECP file from `sample`'s records (as serde_json reads them), applying record-level
/// mutations that JSON values cannot express (raw tokens, repeated keys, bad bytes).
fn mutate_records(sample: &str, muts: &[RecordMutation]) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_str(sample).unwrap();
    let (records, wrap): (Vec<serde_json::Value>, bool) = match &v["marches"] {
        serde_json::Value::Array(a) => (a.clone(), false),
        m => (m["marche"].as_array().cloned().unwrap_or_default(), true),
    };
    // each record as a list of (key, raw value bytes), or raw bytes when not an object
    let mut recs: Vec<RecordText> = records
        .iter()
        .map(|r| match r.as_object() {
            Some(o) => Ok(o
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string().into_bytes()))
                .collect()),
            None => Err(r.to_string().into_bytes()),
        })
        .collect();
    if recs.is_empty() {
        return sample.as_bytes().to_vec();
    }
    let n = recs.len();
    for m in muts {
        match m {
            RecordMutation::NotObject(r, t) => recs[r % n] = Err(t.as_bytes().to_vec()),
            RecordMutation::Value(r, i, _)
            | RecordMutation::Repeat(r, i, _)
            | RecordMutation::BadByte(r, i, _) => {
                let Ok(members) = &mut recs[r % n] else {
                    continue;
                };
                if members.is_empty() {
                    continue;
                }
                let k = i % members.len();
                match m {
                    RecordMutation::Value(_, _, t) => members[k].1 = t.as_bytes().to_vec(),
                    RecordMutation::Repeat(_, _, t) => {
                        let key = members[k].0.clone();
                        members.insert(k + 1, (key, t.as_bytes().to_vec()));
                    }
                    RecordMutation::BadByte(_, _, b) => {
                        let val = &mut members[k].1;
                        if let Some(q) = val.iter().position(|&c| c == b'"') {
                            val.insert(q + 1, *b);
                        }
                    }
                    RecordMutation::NotObject(..) => {}
                }
            }
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(if wrap {
        b"{\"marches\":{\"marche\":[".as_slice()
    } else {
        b"{\"marches\":[".as_slice()
    });
    for (i, r) in recs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match r {
            Err(raw) => out.extend_from_slice(raw),
            Ok(members) => {
                out.push(b'{');
                for (j, (k, v)) in members.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(
                        serde_json::Value::String(k.clone()).to_string().as_bytes(),
                    );
                    out.push(b':');
                    out.extend_from_slice(v);
                }
                out.push(b'}');
            }
        }
    }
    out.extend_from_slice(if wrap {
        b"]}}".as_slice()
    } else {
        b"]}".as_slice()
    });
    out
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
        b"NaN".to_vec(),
        b"Infinity".to_vec(),
        b"-Infinity".to_vec(),
        b"\"12.500\"".to_vec(),
        b"\"15/09/26\"".to_vec(),
        b"\"montant\":1,".to_vec(),
        b"\xe9".to_vec(),
        b"\"\xc3\xa9\xc3\xa9\xc3\xa9\"".to_vec(),
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

    #[test]
    fn record_mutations_never_panic_and_count_what_a_strict_reader_counts(
        sample in 0usize..SAMPLES.len() - 1,
        muts in prop::collection::vec(record_mutation(), 1..8),
    ) {
        let bytes = mutate_records(SAMPLES[sample], &muts);
        check(&bytes);
    }
}

// ---------------------------------------------------------------- CSV and XML readers

const CSV_SAMPLE: &str = include_str!("data/decp/consolidated/converted_dematis13.csv");
const XML_SAMPLES: [&str; 3] = [
    include_str!("data/decp/official/examples-2024/xml/Marche.xml"),
    include_str!("data/decp/official/examples-2019-xml/paquet.xml"),
    include_str!("data/decp/xml-from-json/marches_concessions.xml"),
];

/// Reads `bytes` through the format-detecting entry point; never panics; when the read
/// succeeds, every record and row is accounted for.
fn check_any(bytes: Vec<u8>) {
    for options in [
        decp::Options::default().keep_diagnostics(true),
        decp::Options::totals_only(),
    ] {
        let Ok(input) = decp::Input::from_reader("fuzz", std::io::Cursor::new(bytes.clone()))
        else {
            return;
        };
        let mut reading = decp::Reading::new(options);
        if let Ok(f) = reading.add(input) {
            let a = f.accounting;
            assert!(a.balances(), "{a:?}");
            if let Some(q) = &f.quality {
                assert!(q.contracts <= a.accepted);
            }
            let r = reading.finish();
            for row in &r.actuals.marches.rows {
                assert!(row.measure.count <= row.measure.purchases);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn arbitrary_bytes_after_a_consolidated_header_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let header = CSV_SAMPLE.lines().next().unwrap();
        let mut v = format!("{header}\n").into_bytes();
        v.extend(bytes);
        check_any(v);
    }

    #[test]
    fn mutated_consolidated_csv_never_panics_and_rows_balance(muts in prop::collection::vec(mutation(), 1..6)) {
        check_any(apply(CSV_SAMPLE.as_bytes().to_vec(), &muts));
    }

    #[test]
    fn arbitrary_bytes_in_xml_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut v = b"<marches><marche>".to_vec();
        v.extend(bytes);
        check_any(v);
    }

    #[test]
    fn mutated_xml_never_panics_and_records_balance(
        sample in 0usize..XML_SAMPLES.len(),
        muts in prop::collection::vec(mutation(), 1..6),
    ) {
        check_any(apply(XML_SAMPLES[sample].as_bytes().to_vec(), &muts));
    }
}
