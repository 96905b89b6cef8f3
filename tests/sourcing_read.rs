//! Reading a supplier directory (issue 20, point 1): header aliases, encodings, every row
//! accounted for, errors naming line, column and value, personal data never read.

use proptest::prelude::*;
use spaser::ErrorKind;
use spaser::sourcing::{Directory, NafCode, StaffBand, Status};

#[test]
fn every_bad_row_is_reported_at_once_with_its_line() {
    let csv = "nom;siret;cpv;departement\n\
               A;73282932000074;909;49\n\
               ;;909;49\n\
               B;73282932000074;909;49\n\
               C;;909;49\n\
               ;;;\n\
               ;;7731;44\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    assert_eq!((r.rows, r.accepted, r.rejected.len()), (5, 2, 3));
    let lines: Vec<u64> = r.rejected.iter().map(|i| i.line).collect();
    assert_eq!(lines, [3, 4, 7]);
    assert_eq!(
        r.rejected[1].to_string(),
        "line 4: SIRET 73282932000074 is already read on line 2: row left out"
    );
    let err = r.strict().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert!(
        err.to_string()
            .starts_with("3 of 5 rows rejected:\nline 3:"),
        "{err}"
    );
}

#[test]
fn bad_cells_are_warned_and_the_supplier_kept() {
    let csv = "raison_sociale,siret,code_cpv,code_naf,departement,chiffre_d_affaires,tranche_effectif\n\
               Alpha,123,90910000-9|9x9,81.2,99,abc,10-20\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    assert_eq!(r.accepted, 1);
    let s = &r.directory.suppliers()[0];
    assert_eq!(s.cpv_prefixes, ["9091"]);
    assert!(
        s.siret.is_none() && s.naf.is_none() && s.departement.is_none() && s.turnover.is_none()
    );
    let msgs: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
    let has = |needle: &str| msgs.iter().any(|m| m.contains(needle));
    assert!(
        has("line 2, column \"siret\": SIRET \"123\" is not 14 digits"),
        "{msgs:#?}"
    );
    assert!(has("line 2, column \"code_cpv\": CPV \"9x9\""), "{msgs:#?}");
    assert!(
        has("line 2, column \"code_naf\": NAF code \"81.2\""),
        "{msgs:#?}"
    );
    assert!(
        has("line 2, column \"departement\": département \"99\""),
        "{msgs:#?}"
    );
    assert!(has("line 2, column \"chiffre_d_affaires\""), "{msgs:#?}");
    assert!(
        has("line 2, column \"tranche_effectif\": staff band \"10-20\""),
        "{msgs:#?}"
    );
    assert!(
        r.warnings
            .iter()
            .all(|w| w.value.as_ref().is_none_or(|v| v.chars().count() <= 81))
    );
}

#[test]
fn personal_data_columns_are_never_read() {
    let csv = "Nom;Code CPV;E-mail;Téléphone;Nom du dirigeant;Contact\n\
               Net Services;909;jean.dupont@example.org;0600000000;Jean Dupont;Jean\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    let json = r.directory.to_json().unwrap();
    for personal in ["jean", "Jean", "0600000000", "Dupont"] {
        assert!(!json.contains(personal), "{json}");
    }
    assert_eq!(r.ignored_columns.len(), 4);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("hold personal data and are not read"))
    );
}

#[test]
fn windows_1252_exports_and_title_rows_are_read() {
    // "Société" and "Économie" in Windows-1252, a title row before the header, `;`.
    let mut bytes: Vec<u8> = b"Annuaire des fournisseurs 2026\n\nNom;Statuts;CPV\nSoci".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"t");
    bytes.push(0xE9);
    bytes.extend_from_slice(b" Verte;ESUS;773\n");
    let r = Directory::read_csv(&bytes).unwrap();
    assert_eq!(r.directory.suppliers()[0].name, "Société Verte");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("Windows-1252"))
    );
    assert!(r.directory.suppliers()[0].has(&Status::Esus));
}

#[test]
fn yes_no_columns_named_after_a_status_add_it() {
    let csv = "nom,cpv,RGE,Écolabel,ESUS,source_labels,date_labels\n\
               Toits Verts,4526,oui,non,x,Qualibat,01/10/2025\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    let s = &r.directory.suppliers()[0];
    assert!(s.has(&Status::Rge) && s.has(&Status::Esus) && !s.has(&Status::Ecolabel));
    assert!(
        s.labels
            .iter()
            .all(|l| l.source.as_deref() == Some("Qualibat"))
    );
    assert_eq!(s.labels[0].date.unwrap().to_string(), "2025-10-01");
}

#[test]
fn departement_from_commune_or_postcode_and_disagreements_warned() {
    let csv = "nom;cpv;code_commune;code_postal;departement\n\
               A;909;49007;;\n\
               B;909;;20090;\n\
               C;909;44109;;49\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    let deps: Vec<String> = r
        .directory
        .suppliers()
        .iter()
        .map(|s| s.departement.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(deps, ["49", "2A", "49"]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.line == 4 && w.message.contains("disagree"))
    );
}

#[test]
fn a_file_without_name_or_activity_column_is_refused() {
    let e = Directory::read_csv(b"siret;cpv\n73282932000074;909\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(
        e.to_string().contains("no header row names the supplier"),
        "{e}"
    );
    let e = Directory::read_csv(b"nom;departement\nA;49\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(e.to_string().contains("no activity column"), "{e}");
    assert_eq!(
        Directory::read_csv(b"\x00\x01PK").unwrap_err().kind(),
        ErrorKind::Parse
    );
}

#[test]
fn directory_json_round_trips_and_refuses_duplicates() {
    let dir = Directory::sample();
    let json = dir.to_json().unwrap();
    assert_eq!(&Directory::from_json(&json).unwrap(), dir);
    let dup = r#"[{"siret":"73282932000074","name":"A"},{"siret":"73282932000074","name":"B"}]"#;
    let e = Directory::from_json(dup).unwrap_err();
    assert!(
        e.to_string()
            .contains("SIRET 73282932000074 is already supplier 1"),
        "{e}"
    );
}

proptest! {
    #[test]
    fn the_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Directory::read_csv(&bytes);
    }

    #[test]
    fn the_reader_never_panics_on_csv_like_text(s in "[a-zA-Z0-9;,\"|() éÉ\n-]{0,300}") {
        let text = format!("nom;cpv;statuts;siret;departement;chiffre_d_affaires\n{s}");
        if let Ok(r) = Directory::read_csv(text.as_bytes()) {
            prop_assert_eq!(r.rows, r.accepted + r.rejected.len());
        }
    }

    #[test]
    fn status_names_round_trip(s in "[a-zA-Zéè' -]{1,40}") {
        if let Ok(st) = s.parse::<Status>() {
            prop_assert_eq!(st.as_str().parse::<Status>().unwrap(), st.clone());
            let json = serde_json::to_string(&st).unwrap();
            prop_assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), st);
        }
    }

    #[test]
    fn naf_and_staff_band_codes_round_trip(d in 0u32..10000, l in proptest::char::range('A', 'Z'), b in 0usize..15) {
        let naf: NafCode = format!("{d:04}{l}").parse().unwrap();
        prop_assert_eq!(naf.to_string().parse::<NafCode>().unwrap(), naf);
        let codes = ["00","01","02","03","11","12","21","22","31","32","41","42","51","52","53"];
        let band: StaffBand = codes[b].parse().unwrap();
        prop_assert_eq!(band.code(), codes[b]);
    }
}

#[cfg(feature = "spreadsheet")]
#[test]
fn an_xlsx_directory_reads_like_its_csv() {
    // Typed cells: SIRET, commune code (leading zero dropped by the spreadsheet), turnover and
    // FTEs as numbers, a date cell, a yes/no column; a title sheet before the directory.
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    use spaser::sourcing::DirectoryReadOptions;
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Lisez-moi").unwrap();
    notes
        .write_string(0, 0, "Annuaire des fournisseurs")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Fournisseurs").unwrap();
    let headers = [
        "SIRET",
        "Raison sociale",
        "Code CPV",
        "Code commune",
        "Statuts",
        "RGE",
        "Chiffre d'affaires",
        "ETP insertion",
        "Date de mise à jour",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 73282932000074.0).unwrap();
    ws.write_string(1, 1, "Jardins de l'Ain").unwrap();
    ws.write_string(1, 2, "7731").unwrap();
    ws.write_number(1, 3, 1053.0).unwrap(); // 01053 read as a number
    ws.write_string(1, 4, "ACI|ESUS").unwrap();
    ws.write_boolean(1, 5, true).unwrap();
    ws.write_number(1, 6, 640000.0).unwrap();
    ws.write_number(1, 7, 24.5).unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_datetime_with_format(
        1,
        8,
        ExcelDateTime::parse_from_str("2026-09-30").unwrap(),
        &date,
    )
    .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = Directory::read(&bytes, &DirectoryReadOptions::default()).unwrap();
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let s = &r.directory.suppliers()[0];
    assert!(s.siret.is_some(), "{:?}", r.warnings);
    assert_eq!(s.siret.unwrap().to_string(), "73282932000074");
    assert_eq!(s.commune.as_deref(), Some("01053"));
    assert_eq!(s.departement.as_ref().unwrap().as_str(), "01");
    assert!(s.has(&Status::Aci) && s.has(&Status::Esus) && s.has(&Status::Rge));
    assert_eq!(s.turnover.unwrap().to_string(), "640000.00");
    assert_eq!(s.insertion_fte.unwrap().to_string(), "24.5");
    assert_eq!(
        s.updated.map(|d| d.to_string()).as_deref(),
        Some("2026-09-30"),
        "{:?} {:?}",
        r.warnings,
        r.ignored_columns
    );
    // the sheet chosen is named in a note; asking for a missing sheet lists the sheets
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("Fournisseurs")),
        "{:?}",
        r.warnings
    );
    let e = Directory::read(&bytes, &DirectoryReadOptions::default().sheet("Autre")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(e.to_string().contains("\"Lisez-moi\""), "{e}");
}

#[test]
fn an_unterminated_quote_rejects_its_row_only() {
    let csv = "nom;cpv\n\"Alpha;909\nBeta;909\n";
    let r = Directory::read_csv(csv.as_bytes()).unwrap();
    assert_eq!((r.rows, r.accepted, r.rejected.len()), (2, 1, 1));
    assert_eq!(r.rejected[0].line, 2);
    assert_eq!(r.directory.suppliers()[0].name, "Beta");
}
