//! The DECP reader on hostile input (issue 11): no panic, no silent loss, no silently wrong
//! value. Each test reproduces one defect found by attacking the crate with messy input.

use spaser::decp::{self, Actuals, Contract, DecpReader, Outcome};
use spaser::{ErrorKind, NumberConvention};

fn read_str(json: &str) -> decp::Dataset {
    decp::read(json.as_bytes()).expect("the file reads")
}

fn marches(records: &[String]) -> String {
    format!(r#"{{"marches":{{"marche":[{}]}}}}"#, records.join(","))
}

/// A 2024 marché with the given extra members (`montant` and `dateNotification` unless given).
fn record(id: &str, members: &str) -> String {
    let mut m = String::from(members);
    if !m.contains("\"montant\"") {
        m.push_str(r#","montant":1000"#);
    }
    if !m.contains("\"dateNotification\"") {
        m.push_str(r#","dateNotification":"2024-03-01""#);
    }
    format!(r#"{{"id":"{id}","acheteur":{{"id":"21350238800019"}}{m}}}"#)
}

// ---------------------------------------------------------------- 1. non-object records

#[test]
fn non_object_record_with_multibyte_text_is_rejected_without_panic() {
    // The reason quotes the record cut on a character boundary (30 "é" = 60 bytes: a cut at
    // byte 40 used to fall inside a character).
    let json = format!(r#"{{"marches":["{}"]}}"#, "é".repeat(30));
    let d = read_str(&json);
    assert_eq!((d.accounting.read, d.accounting.rejected), (1, 1));
    assert!(
        d.rejected[0]
            .reason
            .starts_with("record is not a JSON object: \"éé")
    );
    // the same through the indicator paths
    let r = decp::indicators(json.as_bytes(), Actuals::new()).unwrap();
    assert_eq!(r.accounting.rejected, 1);
    let r = decp::indicators_parallel(json.as_bytes(), Actuals::new()).unwrap();
    assert_eq!(r.accounting.rejected, 1);
}

#[test]
fn an_error_message_quotes_at_most_80_characters() {
    let huge = "x".repeat(10_000_000);
    let json = marches(&[
        format!("\"{huge}\""),
        record("A", &format!(r#","objet":{},"montant":"{huge}""#, 1)),
    ]);
    let d = read_str(&json);
    let reason = &d.rejected[0].reason;
    assert!(reason.chars().count() < 140, "{} chars", reason.len());
    for w in &d.warnings {
        assert!(w.value.chars().count() <= 81, "{}", w.value.len());
        assert!(w.message.chars().count() <= 400, "{}", w.message.len());
    }
    let r = &d.rejected[1];
    assert!(r.reason.chars().count() < 140, "{}", r.reason);
    // every rejection names its record index, id and reason (what `--warnings` prints)
    assert_eq!((r.record, r.id.as_deref()), (1, Some("A")));
    assert_eq!(
        r.to_string(),
        format!(
            "record 1 (id \"A\") rejected: no usable montant (published \"{}…)",
            "x".repeat(79)
        )
    );
}

// ---------------------------------------------------------------- 3. NaN, Infinity

#[test]
fn nan_amount_rejects_only_its_record() {
    let json = marches(&[
        record("A", r#","montant":NaN"#),
        record("B", r#","montant":Infinity"#),
        record("C", r#","montant":-Infinity"#),
        record("D", r#","montant":2500"#),
    ]);
    let d = read_str(&json);
    assert_eq!(d.accounting.read, 4);
    assert_eq!(d.accounting.rejected, 3);
    assert_eq!(d.contracts.len(), 1);
    assert_eq!(d.contracts[0].id, "D");
    assert_eq!(d.rejected[0].reason, "no usable montant (published NaN)");
    assert_eq!(
        d.rejected[1].reason,
        "no usable montant (published Infinity)"
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.record == 0 && w.field == "montant" && w.value == "NaN")
    );
    // the indicator paths agree
    let r = decp::indicators(json.as_bytes(), Actuals::standard_totals()).unwrap();
    assert_eq!(r.marches.total("social", 2024).unwrap().purchases, 1);
    assert_eq!(
        decp::indicators_parallel(json.as_bytes(), Actuals::standard_totals()).unwrap(),
        r
    );
}

#[test]
fn nan_outside_amounts_is_null_with_a_warning_naming_record_field_and_token() {
    let json = marches(&[
        record(
            "A",
            r#","concessionnaires":NaN,"origineUE":Infinity,"offresRecues":NaN,"marcheInnovant":-Infinity,"considerationsSociales":NaN"#,
        ),
        record(
            "B",
            r#","montant":1000,"modifications":[{"modification":{"id":1,"montant":NaN,"dureeMois":NaN}}]"#,
        ),
    ]);
    let d = read_str(&json);
    assert_eq!(d.accounting.accepted, 2);
    let a = &d.contracts[0];
    assert_eq!(a.offers_received, None);
    assert_eq!(a.innovative, None);
    assert_eq!(a.social, None, "considerations NaN: unknown");
    for (field, token) in [
        ("concessionnaires", "NaN"),
        ("origineUE", "Infinity"),
        ("offresRecues", "NaN"),
        ("marcheInnovant", "-Infinity"),
    ] {
        let w = d
            .warnings
            .iter()
            .find(|w| w.field == field)
            .unwrap_or_else(|| panic!("{field}"));
        assert_eq!(
            (w.record, w.id.as_deref(), w.value.as_str()),
            (0, Some("A"), token)
        );
        assert!(w.message.contains("read as null"), "{}", w.message);
    }
    // in a modification: the amount is unusable, the record keeps its own
    let b = &d.contracts[1];
    assert_eq!(b.current_amount().unwrap().to_string(), "1000.00");
    assert!(
        d.warnings
            .iter()
            .any(|w| w.record == 1 && w.field == "modifications.montant")
    );
}

fn python_like_count(bytes: &[u8]) -> usize {
    // NaN/Infinity tokens outside strings read as null, as Python's `json` reads them.
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut out = String::new();
    let mut in_str = false;
    let mut esc = false;
    let mut i = 0;
    let b = text.as_bytes();
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
        } else {
            let rest = &text[i..];
            if let Some(t) = ["-Infinity", "Infinity", "NaN"]
                .iter()
                .find(|t| rest.starts_with(**t))
            {
                out.push_str("null");
                i += t.len();
                continue;
            }
        }
        out.push(c as char);
        i += 1;
    }
    let v: serde_json::Value =
        serde_json::from_str(&String::from_utf8(out.chars().map(|c| c as u8).collect()).unwrap())
            .unwrap();
    v["marches"]["marche"].as_array().unwrap().len()
}

#[test]
fn decp_processing_like_fixture_reads_every_record_python_sees() {
    // The kinds of deviations of decp-processing's fixture decp_test_2022.json (NaN included),
    // in a file written for these tests.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/decp/quirks/decp_test_2022_like.json"
    ))
    .unwrap();
    let d = decp::read(&bytes[..]).unwrap();
    assert_eq!(d.accounting.read as usize, python_like_count(&bytes));
    assert_eq!(d.accounting.read, 5);
    assert!(d.accounting.balances());
    // only the NaN amount is unusable; every rejection says why
    assert_eq!(d.accounting.rejected, 1);
    assert_eq!(d.rejected[0].id.as_deref(), Some("202401L07"));
    assert_eq!(d.rejected[0].reason, "no usable montant (published NaN)");
    assert!(
        d.contracts
            .iter()
            .any(|c| c.id == "2020F00912" && c.outlier)
    );
    let r = decp::indicators(&bytes[..], Actuals::new()).unwrap();
    assert_eq!(r.accounting, d.accounting);
}

// ---------------------------------------------------------------- 4. invalid UTF-8

#[test]
fn invalid_utf8_in_a_string_keeps_the_record_with_a_replacement_and_a_warning() {
    // A Windows-1252 "é" (0xE9) in one objet; every other record is read.
    let mut bytes = marches(&[
        record("A", r#","objet":"Entretien des espaces verts""#),
        record("B", r#","objet":"Réfection""#),
    ])
    .into_bytes();
    let at = bytes.windows(6).position(|w| w == b"espace").unwrap() + 6;
    bytes.insert(at, 0xE9);
    let d = decp::read(&bytes[..]).unwrap();
    assert_eq!((d.accounting.read, d.accounting.accepted), (2, 2));
    assert_eq!(
        d.contracts[0].object.as_deref(),
        Some("Entretien des espace\u{FFFD}s verts")
    );
    let w = d.warnings.iter().find(|w| w.field == "objet").unwrap();
    assert_eq!((w.record, w.id.as_deref()), (0, Some("A")));
    assert!(
        w.message.contains(&format!("byte {at} of the input")),
        "{}",
        w.message
    );
    // the same figures and warnings count on every path
    let seq = decp::indicators(&bytes[..], Actuals::new()).unwrap();
    let par = decp::indicators_parallel(&bytes[..], Actuals::new()).unwrap();
    assert_eq!(seq, par);
    assert_eq!(seq.accounting, d.accounting);
}

#[test]
fn a_file_mostly_not_utf8_fails_naming_the_likely_encoding() {
    let utf8 = marches(&[
        record("A", r#","objet":"Réfection de la toiture de l'église""#),
        record(
            "B",
            r#","objet":"Création d'un réseau de chaleur à Saint-Étienne""#,
        ),
    ]);
    // the same text in Windows-1252
    let latin: Vec<u8> = utf8
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'É' => 0xC9,
            'à' => 0xE0,
            c => c as u8,
        })
        .collect();
    let e = decp::read(&latin[..]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    assert!(e.to_string().contains("not UTF-8"), "{e}");
    assert!(e.to_string().contains("Windows-1252"), "{e}");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(utf8.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let e = decp::read(&utf16[..]).unwrap_err();
    assert!(e.to_string().contains("UTF-16"), "{e}");
}

// ---------------------------------------------------------------- 5. after an error

#[test]
fn the_reader_is_finished_after_an_error_and_counts_every_record_before_it() {
    let json = format!(
        "{{\"marches\":{{\"marche\":[{},{},{{\"id\":,}},{}]}}}}",
        record("A", ""),
        record("B", ""),
        record("C", "")
    );
    let mut r = DecpReader::new(json.as_bytes());
    assert!(r.next_entry().unwrap().is_some());
    assert!(r.next_entry().unwrap().is_some());
    let e = r.next_entry().unwrap_err();
    assert!(e.to_string().contains("byte "), "{e}");
    // finished: no later record, no second error at another offset
    for _ in 0..3 {
        assert!(r.next_entry().unwrap().is_none());
    }
    let a = r.accounting();
    assert_eq!((a.read, a.accepted), (2, 2));
    assert!(a.balances());
}

// ---------------------------------------------------------------- 6. object for an array

#[test]
fn a_single_object_where_the_2024_format_expects_an_array_is_an_array_of_one() {
    let json = format!(
        r#"{{"marches":{{"marche":{},"contrat-concession":{}}}}}"#,
        record("A", ""),
        r#"{"id":"C","autoriteConcedante":{"id":"21350238800019"},"valeurGlobale":5000,"dateSignature":"2024-02-01"}"#
    );
    let d = read_str(&json);
    assert_eq!(d.accounting.read, 2);
    assert_eq!((d.contracts.len(), d.concessions.len()), (1, 1));
    assert!(
        d.warnings
            .iter()
            .any(|w| w.record == 0 && w.field == "marche" && w.message.contains("array of one"))
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.record == 1 && w.field == "contrat-concession")
    );
    let par = decp::indicators_parallel(json.as_bytes(), Actuals::new()).unwrap();
    assert_eq!(par.accounting, d.accounting);
}

// ---------------------------------------------------------------- 7. duplicate keys

#[test]
fn a_repeated_key_keeps_the_first_value_with_a_warning_naming_both() {
    let json = marches(&[
        r#"{"id":"A","montant":724136,"dateNotification":"2024-03-01","montant":1,"objet":"x","objet":"y"}"#
            .to_string(),
    ]);
    let d = read_str(&json);
    let c = &d.contracts[0];
    assert_eq!(c.amount.unwrap().to_string(), "724136.00");
    let w = d.warnings.iter().find(|w| w.field == "montant").unwrap();
    assert_eq!(
        (w.record, w.id.as_deref(), w.value.as_str()),
        (0, Some("A"), "1")
    );
    assert_eq!(
        w.message,
        "repeated key: values 724136 and 1; the first is kept"
    );
    let r = decp::indicators(json.as_bytes(), Actuals::standard_totals()).unwrap();
    assert_eq!(
        r.marches.total("social", 2024).unwrap().value.to_string(),
        "724136.00"
    );
    // nested: a modification's repeated key, a holder's repeated id
    let json = marches(&[record(
        "B",
        r#","montant":1000,"modifications":[{"modification":{"id":1,"montant":5000,"montant":2}}]"#,
    )]);
    let d = read_str(&json);
    assert_eq!(
        d.contracts[0].current_amount().unwrap().to_string(),
        "5000.00"
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.field == "modifications.montant" && w.message.contains("repeated key"))
    );
}

// ---------------------------------------------------------------- 8. dot-grouped amounts

#[test]
fn an_ambiguous_text_amount_takes_the_file_convention_never_its_own() {
    // "12.500" alone: 12,500 € or 12.50 €? Nothing decides: the amount is kept out of the
    // indicators (the record has no usable amount) with a warning naming the raw text.
    let d = read_str(&marches(&[record("A", r#","montant":"12.500""#)]));
    assert_eq!(d.accounting.rejected, 1);
    let w = d.warnings.iter().find(|w| w.field == "montant").unwrap();
    assert_eq!(w.value, "\"12.500\"");
    assert!(w.message.contains("reads two ways"), "{}", w.message);
    // The file's earlier text amounts prove a decimal comma: "12.500" is 12,500 €.
    let d = read_str(&marches(&[
        record("A", r#","montant":"1 234,50""#),
        record("B", r#","montant":"12.500""#),
    ]));
    assert_eq!(d.contracts[1].amount.unwrap().to_string(), "12500.00");
    // ... or a decimal point: 12.50 €.
    let d = read_str(&marches(&[
        record("A", r#","montant":"1234.5""#),
        record("B", r#","montant":"12.500""#),
    ]));
    assert_eq!(d.contracts[1].amount.unwrap().to_string(), "12.50");
    // A declared convention decides too; unambiguous texts are read as written.
    let json = marches(&[
        record("A", r#","montant":"12.500""#),
        record("B", r#","montant":"1.500.000""#),
    ]);
    let mut r = DecpReader::new(json.as_bytes()).number_convention(NumberConvention::DecimalPoint);
    let mut amounts = Vec::new();
    while let Some(e) = r.next_entry().unwrap() {
        if let Outcome::Contract(Contract::Awarded(c)) = e.outcome {
            amounts.push(c.amount.unwrap().to_string());
        }
    }
    assert_eq!(amounts, ["12.50", "1500000.00"]);
}

// ---------------------------------------------------------------- 9. implausible dates

#[test]
fn a_decp_date_outside_1990_2100_is_unusable_with_a_warning() {
    let d = read_str(&marches(&[
        record("A", r#","dateNotification":"0026-09-15""#),
        record("B", r#","dateNotification":"15/09/26""#),
        record("C", r#","dateNotification":"2226-09-15""#),
        record(
            "D",
            r#","dateNotification":"2026-09-15","datePublicationDonnees":"1900-01-01""#,
        ),
    ]));
    assert_eq!(d.accounting.rejected, 3);
    assert_eq!(d.contracts.len(), 1);
    assert_eq!(d.contracts[0].publication_date, None);
    let two_digit = |rec: u64| {
        d.warnings
            .iter()
            .any(|w| w.record == rec && w.message.contains("two-digit year"))
    };
    assert!(two_digit(0) && two_digit(1));
    assert!(
        d.warnings
            .iter()
            .any(|w| w.record == 2 && w.message.contains("outside 1990-2100"))
    );
    assert!(
        d.rejected[0]
            .reason
            .starts_with("no usable dateNotification (published \"0026-09-15\")")
    );
}
