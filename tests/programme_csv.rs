//! Reading programmes from the spreadsheets buyers keep (French exports), and the errors that
//! name line, column and value.

use spaser::{Buyer, BuyerKind, Dimension, ErrorKind, Nature, Programme};

fn buyer() -> Buyer {
    Buyer::new("Ville", BuyerKind::OtherContractingAuthority)
}

fn read(csv: &str) -> spaser::Result<Programme> {
    Programme::from_csv(csv.as_bytes(), buyer())
}

#[test]
fn french_export_with_bom_semicolons_decimal_comma_nbsp_and_euro_sign() {
    let csv = "\u{feff}Identifiant;Libellé;Famille;Code CPV;Nature;Montant HT;Date de lancement;Durée (mois);Service;Opération;Innovant;Considérations;Date fin actuelle\n\
               L1;Papier recyclé;PAP;30197600-2;Fournitures;1\u{a0}234\u{a0}567,80\u{a0}€;15/03/2026;36;Moyens généraux;;oui;social|environmental;31/12/2026\n\
               L2;Voirie;;;travaux;250 000 €;2026-05-04;;;OP-1;non;;\n\
               L3;Nettoyage;NET;;services;12500;01/09/2026;;;;0;environnemental;\n";
    let p = read(csv).unwrap();
    assert_eq!(p.lines.len(), 3);
    let l1 = &p.lines[0];
    assert_eq!(l1.id, "L1");
    assert_eq!(l1.label, "Papier recyclé");
    assert_eq!(l1.family.as_deref(), Some("PAP"));
    assert_eq!(l1.cpv.unwrap().to_string(), "30197600");
    assert_eq!(l1.nature, Nature::Supplies);
    assert_eq!(l1.amount.to_string(), "1234567.80");
    assert_eq!(l1.launch_date.to_string(), "2026-03-15");
    assert_eq!(l1.duration_months, Some(36));
    assert_eq!(l1.service.as_deref(), Some("Moyens généraux"));
    assert!(l1.innovative);
    assert_eq!(
        l1.considerations,
        [Dimension::Social, Dimension::Environmental]
    );
    assert_eq!(l1.current_end_date.unwrap().to_string(), "2026-12-31");
    let l2 = &p.lines[1];
    assert_eq!(
        (l2.nature, l2.amount.to_string()),
        (Nature::Works, "250000.00".to_string())
    );
    assert_eq!(l2.operation.as_deref(), Some("OP-1"));
    assert_eq!(
        (l2.family.as_ref(), l2.cpv, l2.duration_months),
        (None, None, None)
    );
    assert!(!l2.innovative);
    assert_eq!(p.lines[2].considerations, [Dimension::Environmental]);
}

#[test]
fn english_headers_with_commas_in_any_order_and_only_required_columns() {
    let csv = "launch_date,amount_ht,nature,label,id\n2026-01-15,\"1,500.50\",services,\"Audit, energy\",X\n";
    let p = read(csv).unwrap();
    let l = &p.lines[0];
    assert_eq!((l.id.as_str(), l.label.as_str()), ("X", "Audit, energy"));
    assert_eq!(l.amount.to_string(), "1500.50");
}

#[test]
fn flags_accept_true_false_oui_non_1_0() {
    let mut csv = String::from("id;label;nature;amount_ht;launch_date;innovative\n");
    for (i, f) in ["true", "false", "oui", "non", "1", "0", "OUI", ""]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!("L{i};x;services;1;2026-01-01;{f}\n"));
    }
    let p = read(&csv).unwrap();
    let got: Vec<bool> = p.lines.iter().map(|l| l.innovative).collect();
    assert_eq!(got, [true, false, true, false, true, false, true, false]);
}

#[test]
fn rows_with_only_empty_cells_are_skipped_and_unknown_columns_ignored() {
    let csv = "id;label;nature;amount_ht;launch_date;commentaire\nA;x;services;1;2026-01-01;à revoir\n;;;;;\nB;y;services;2;2026-01-01;\n";
    let p = read(csv).unwrap();
    assert_eq!(p.lines.len(), 2);
}

fn err(csv: &str) -> (ErrorKind, String) {
    let e = read(csv).unwrap_err();
    (e.kind(), e.to_string())
}

#[test]
fn missing_required_column_is_named_with_the_headers_looked_for_and_seen() {
    let (k, m) = err("id;libelle;nature;date_lancement\nA;x;services;2026-01-01\n");
    assert_eq!(k, ErrorKind::Missing);
    assert!(
        m.starts_with("line 1: required column \"amount_ht\" (or \"montant_ht\") is missing; headers looked for: amount, montant, estimation"),
        "{m}"
    );
    assert!(m.contains("montant_annuel"), "{m}");
    assert!(
        m.ends_with("headers seen: \"id\", \"libelle\", \"nature\", \"date_lancement\""),
        "{m}"
    );
}

#[test]
fn empty_required_cell_names_line_and_column() {
    let (k, m) = err("id;libelle;nature;montant_ht;date_lancement\nA;;services;1;2026-01-01\n");
    assert_eq!(k, ErrorKind::Missing);
    assert_eq!(m, "line 2, column \"libelle\": the value is empty");
}

#[test]
fn negative_amount_names_line_column_and_value() {
    let (k, m) = err(
        "id;libelle;nature;montant_ht;date_lancement\nA;x;services;1;2026-01-01\nB;y;services;-1 500,00 €;2026-01-01\n",
    );
    assert_eq!(k, ErrorKind::InvalidValue);
    assert!(
        m.starts_with("line 3, column \"montant_ht\": amount \""),
        "{m}"
    );
    assert!(m.contains("is negative"), "{m}");
}

#[test]
fn unparseable_amount_names_line_column_and_value() {
    let (k, m) =
        err("id;libelle;nature;montant_ht;date_lancement\nA;x;services;12,5,0;2026-01-01\n");
    assert_eq!(k, ErrorKind::Parse);
    assert_eq!(
        m,
        "line 2, column \"montant_ht\": amount \"12,5,0\" is not a decimal number"
    );
}

#[test]
fn unknown_nature_lists_accepted_values() {
    let (k, m) = err("id,label,nature,amount_ht,launch_date\nA,x,prestations,1,2026-01-01\n");
    assert_eq!(k, ErrorKind::InvalidValue);
    assert!(m.starts_with("line 2, column \"nature\": nature \"prestations\" is unknown; accepted: works, supplies, services, travaux, fournitures"), "{m}");
}

#[test]
fn invalid_date_names_line_column_and_value() {
    let (k, m) = err("id,label,nature,amount_ht,launch_date\nA,x,services,1,31/02/2026\n");
    assert_eq!(k, ErrorKind::Parse);
    assert!(
        m.starts_with("line 2, column \"launch_date\": date \"31/02/2026\""),
        "{m}"
    );
    let (_, m) = err(
        "id,label,nature,amount_ht,launch_date,date_fin_actuelle\nA,x,services,1,2026-01-01,demain\n",
    );
    assert!(
        m.starts_with("line 2, column \"date_fin_actuelle\": date \"demain\""),
        "{m}"
    );
}

#[test]
fn duplicate_line_id_names_both_lines() {
    let (k, m) = err(
        "id,label,nature,amount_ht,launch_date\nA,x,services,1,2026-01-01\nB,x,services,1,2026-01-01\nA,y,services,1,2026-01-01\n",
    );
    assert_eq!(k, ErrorKind::Duplicate);
    assert_eq!(
        m,
        "line 4, column \"id\": line id \"A\" is already used on line 2"
    );
}

#[test]
fn duplicate_column_is_rejected() {
    let (k, m) = err("id,label,montant,amount_ht,nature,launch_date\n");
    assert_eq!(k, ErrorKind::Duplicate);
    assert!(m.starts_with("line 1, column \"amount_ht\""), "{m}");
}

#[test]
fn bad_cpv_flag_duration_and_consideration_are_named() {
    let head = "id,label,nature,amount_ht,launch_date,cpv,innovant,duree_mois,considerations\n";
    for (row, col) in [
        ("A,x,services,1,2026-01-01,1234,,,", "cpv"),
        ("A,x,services,1,2026-01-01,,peut-être,,", "innovant"),
        ("A,x,services,1,2026-01-01,,,douze,", "duree_mois"),
        ("A,x,services,1,2026-01-01,,,,green", "considerations"),
    ] {
        let (_, m) = err(&format!("{head}{row}\n"));
        assert!(m.starts_with(&format!("line 2, column \"{col}\"")), "{m}");
    }
}

#[test]
fn values_beyond_the_header_are_an_error() {
    let (k, m) = err("id,label,nature,amount_ht,launch_date\nA,x,services,1,2026-01-01,surprise\n");
    assert_eq!(k, ErrorKind::Parse);
    assert!(m.contains("line 2") && m.contains("surprise"), "{m}");
}

#[test]
fn a_file_that_is_not_utf8_is_read_as_windows_1252() {
    // French Excel's "CSV (séparateur : point-virgule)" is Windows-1252: 0xE9 is "é".
    let mut bytes = b"id,label,nature,amount_ht,launch_date\nA,".to_vec();
    bytes.extend_from_slice(&[0xE9, b'x']);
    bytes.extend_from_slice(b",services,1,2026-01-01\n");
    let p = Programme::from_csv(bytes.as_slice(), buyer()).unwrap();
    assert_eq!(p.lines[0].label, "éx");
}

#[test]
fn json_import_rejects_duplicates_and_bad_values() {
    let p = Programme::sample();
    let json = p.to_json().unwrap();
    assert_eq!(&Programme::from_json(&json).unwrap(), p);
    let dup = json.replacen("\"F26-02\"", "\"F26-01\"", 1);
    assert_eq!(
        Programme::from_json(&dup).unwrap_err().kind(),
        ErrorKind::Duplicate
    );
    let neg = json.replacen("\"24000.00\"", "\"-24000.00\"", 1);
    assert_eq!(
        Programme::from_json(&neg).unwrap_err().kind(),
        ErrorKind::Parse
    );
    assert_eq!(
        Programme::from_json("{").unwrap_err().kind(),
        ErrorKind::Parse
    );
}

#[test]
fn sample_programme_is_realistic() {
    let p = Programme::sample();
    assert!((55..=70).contains(&p.lines.len()));
    for n in Nature::ALL {
        assert!(p.lines.iter().any(|l| l.nature == n), "{n}");
    }
    let years: std::collections::BTreeSet<i32> = p
        .lines
        .iter()
        .map(|l| chrono::Datelike::year(&l.launch_date))
        .collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), [2026, 2027, 2028]);
    assert!(
        p.lines
            .iter()
            .filter(|l| l.current_end_date.is_some())
            .count()
            >= 5
    );
    assert!(p.lines.iter().filter(|l| l.innovative).count() >= 2);
    assert!(p.buyer.siret.is_some());
}

#[test]
fn specific_services_column_in_french_or_english_and_only_on_services() {
    let csv = "id;libelle;nature;montant_ht;date_lancement;Services spécifiques\n\
               R1;Restauration scolaire;services;900000;2026-09-01;oui\n\
               R2;Nettoyage;services;90000;2026-09-01;\n";
    let p = read(csv).unwrap();
    assert!(p.lines[0].specific_services);
    assert!(!p.lines[1].specific_services, "an empty cell is false");
    // the CSV export writes the column and reads back equal
    let again = Programme::from_csv(p.to_csv().unwrap().as_bytes(), buyer()).unwrap();
    assert_eq!(again, p);
    // JSON: written only when true, so existing programmes serialize as before
    let json = p.to_json().unwrap();
    assert_eq!(json.matches("\"specific_services\": true").count(), 1);
    assert!(!json.contains("\"specific_services\": false"));
    assert_eq!(Programme::from_json(&json).unwrap(), p);

    let works = "id,label,nature,amount_ht,launch_date,specific_services\n\
                 W1,Road,works,90000,2026-09-01,true\n";
    let err = read(works).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    let msg = err.to_string();
    assert!(
        msg.starts_with("line 2, column \"specific_services\""),
        "{msg}"
    );
    assert!(msg.contains("R2123-1 3°") && msg.contains("works"), "{msg}");
    // and through JSON
    let mut p = p;
    p.lines[1].nature = Nature::Supplies;
    p.lines[1].specific_services = true;
    let err = Programme::from_json(&p.to_json().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(
        err.to_string()
            .starts_with("line 2 (id \"R2\"), field \"specific_services\""),
        "{err}"
    );
}

#[test]
fn an_empty_file_is_an_error_not_an_empty_programme() {
    for text in ["", "\n\n", ";;;\r\n"] {
        let e = read(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Missing);
        assert_eq!(
            e.to_string(),
            "the file has no header row (it is empty or blank)"
        );
    }
    // A header without rows is an empty programme.
    assert!(
        read("id;libelle;nature;montant_ht;date_lancement\n")
            .unwrap()
            .lines
            .is_empty()
    );
}
