//! The buyer's own files (issue 13): programmes from Excel and LibreOffice as they are, French
//! Excel's Windows-1252 CSV, the headers buyers write, every error at once, the buyer profile,
//! plan options and targets from files, and merging the files of several services.
//!
//! Needs the default features (`spreadsheet` for workbooks, `toml` for hand-written files).
#![cfg(all(feature = "spreadsheet", feature = "toml"))]

mod programme_support;

use std::io::Write as _;

use chrono::NaiveDate;
use programme_support::{windows_1252_csv, xlsx};
use spaser::{
    Buyer, BuyerKind, BuyerStatus, Calendar, Catalogue, ColumnMap, CriterionKind, ErrorKind,
    FileFormat, IntermediaryKind, LineStatus, Lock, LockKind, Nature, NoCompetitionCase, Planner,
    PlanningOptions, Procedure, Programme, ReadOptions, ReadWarningKind, Rulebook, Targets,
};

fn buyer() -> Buyer {
    Buyer::new("Ville", BuyerKind::OtherContractingAuthority)
}

fn csv_opts() -> ReadOptions {
    ReadOptions::default()
        .format(FileFormat::Csv)
        .buyer(buyer())
}

fn read_csv(text: &str) -> spaser::ProgrammeRead {
    Programme::read(text.as_bytes(), &csv_opts()).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_embedded_sample_exported_to_xlsx_reads_back_identical() {
    let sample = Programme::sample();
    let (header, rows) = sample.to_table();
    let bytes = xlsx(&header, &rows, "Programmation", true, &[], false);
    let read =
        Programme::read(&bytes, &ReadOptions::default().buyer(sample.buyer.clone())).unwrap();
    assert!(read.errors().is_empty(), "{:?}", read.errors());
    assert_eq!(read.programme().unwrap(), sample);
}

#[test]
fn the_embedded_sample_exported_to_windows_1252_csv_reads_back_identical() {
    let sample = Programme::sample();
    let (header, rows) = sample.to_table();
    let bytes = windows_1252_csv(&header, &rows);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the sample has accents"
    );
    let read =
        Programme::read(&bytes, &ReadOptions::default().buyer(sample.buyer.clone())).unwrap();
    assert_eq!(read.programme().unwrap(), sample);
    assert!(
        read.warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::Encoding && w.message.contains("Windows-1252"))
    );
}

#[test]
fn an_xlsx_as_a_buyer_keeps_it_reads_its_numbers_and_dates_as_values() {
    // A notice sheet first, two title rows, French headers, amounts as numbers, dates as date
    // cells, a CPV code as a number that lost its leading zero, an Excel serial in a date
    // column written as text.
    let header = [
        "N°",
        "Objet du marché",
        "Famille d'achat",
        "Code CPV principal",
        "Type de marché",
        "Estimation HT",
        "Date prévisionnelle de lancement",
        "Durée (mois)",
        "Service demandeur",
        "Observations",
    ];
    let rows = vec![
        vec![
            "P1",
            "Papier",
            "PAP",
            "30197600",
            "Fournitures",
            "35000",
            "2026-05-04",
            "12",
            "Moyens généraux",
            "",
        ],
        vec![
            "P2",
            "Enveloppes",
            "PAP",
            "30199230",
            "fournitures",
            "35000.5",
            "2026-06-15",
            "12",
            "Moyens généraux",
            "à revoir",
        ],
        vec![
            "A1",
            "Produits agricoles",
            "AGR",
            "3000000",
            "fournitures",
            "1000",
            "2026-09-01",
            "",
            "Restauration",
            "",
        ],
    ];
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Notice").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Programmation 2026").unwrap();
    ws.write_string(0, 0, "Programmation des achats 2026")
        .unwrap();
    ws.write_string(1, 0, "Direction de la commande publique")
        .unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        for (c, v) in r.iter().enumerate() {
            let col = c as u16;
            if v.is_empty() {
                continue;
            }
            match c {
                3 if v.len() == 7 => {
                    ws.write_number(row, col, v.parse::<f64>().unwrap())
                        .unwrap();
                }
                5 | 7 => {
                    ws.write_number(row, col, v.parse::<f64>().unwrap())
                        .unwrap();
                }
                6 => {
                    let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(v).unwrap();
                    ws.write_datetime_with_format(row, col, &d, &date).unwrap();
                }
                _ => {
                    ws.write_string(row, col, v).unwrap();
                }
            }
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let read = Programme::read(&bytes, &ReadOptions::default().buyer(buyer())).unwrap();
    let p = read.programme().unwrap();
    assert_eq!(p.lines.len(), 3);
    assert_eq!(p.lines[0].launch_date, day(2026, 5, 4));
    assert_eq!(p.lines[1].amount.to_string(), "35000.50");
    assert_eq!(p.lines[1].duration_months, Some(12));
    assert_eq!(p.lines[2].cpv.unwrap().to_string(), "03000000");
    assert_eq!(p.lines[0].service.as_deref(), Some("Moyens généraux"));
    let w: Vec<String> = read.warnings().iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("read sheet \"Programmation 2026\"")),
        "{w:?}"
    );
    assert!(
        w.iter().any(|m| m.contains("the header is on line 3")),
        "{w:?}"
    );
    assert!(w.iter().any(|m| m.contains("\"Observations\"")), "{w:?}");
    // The sheet can be named.
    let named = Programme::read(
        &bytes,
        &ReadOptions::default()
            .buyer(buyer())
            .sheet("programmation 2026"),
    )
    .unwrap();
    assert_eq!(named.programme().unwrap(), p);
    let e = Programme::read(&bytes, &ReadOptions::default().sheet("Feuil1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(
        e.to_string().contains("\"Notice\", \"Programmation 2026\""),
        "{e}"
    );
}

#[test]
fn an_ods_written_by_libreoffice_reads_back_to_the_sample() {
    // tests/data/programme/sample.ods: the sample's xlsx export (typed cells) converted by
    // LibreOffice Calc 7.4 (`tests/data/programme/make_ods.sh`).
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/programme/sample.ods"
    ))
    .unwrap();
    assert_eq!(FileFormat::sniff(&bytes), FileFormat::Ods);
    let sample = Programme::sample();
    let read =
        Programme::read(&bytes, &ReadOptions::default().buyer(sample.buyer.clone())).unwrap();
    assert!(read.errors().is_empty(), "{:?}", read.errors());
    assert_eq!(read.programme().unwrap(), sample);
}

#[test]
fn a_windows_1252_csv_with_e_acute_and_euro_is_decoded_with_a_warning() {
    let text = "sep=;\r\nIdentifiant;Libellé;Nature;Montant HT;Date de lancement\r\n\
                E1;Électricité des écoles;fournitures;45 000 €;01/09/2026\r\n";
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!bad);
    assert!(bytes.contains(&0x80), "€ is 0x80 in Windows-1252");
    let read = Programme::read(&bytes, &ReadOptions::default().buyer(buyer())).unwrap();
    let p = read.programme().unwrap();
    assert_eq!(p.lines[0].label, "Électricité des écoles");
    assert_eq!(p.lines[0].amount.to_string(), "45000.00");
    let w = &read.warnings()[0];
    assert_eq!(w.kind, ReadWarningKind::Encoding);
    assert!(w.message.contains("not UTF-8") && w.message.contains("Windows-1252"));
}

#[test]
fn the_headers_buyers_write_are_all_read_and_two_paper_lines_form_one_family() {
    // The issue's headers. The two €35,000 paper lines used to be dropped silently as
    // no-competition purchases; read with their family they make €70,000: adapted
    // procedure (R2123-1 1°, R2122-8 threshold of €60,000 from 2026-04-01).
    let csv = "Référence;Objet du marché;Famille d'achat;Code CPV principal;Type de marché;\
               Estimation HT;Date prévisionnelle de lancement;Durée en années;Direction;Opération;\
               Date de fin du marché actuel;Statut\n\
               P1;Papier;PAP;30197600;Fournitures;35 000,00 €;04/05/2026;1;Moyens généraux;;31/08/2026;à lancer\n\
               P2;Enveloppes;PAP;30199230;fournitures;35 000 €;15/06/2026;1;Moyens généraux;;;en préparation\n\
               C1;Étude;;;prestations intellectuelles;20 000;01/09/2026;2;Urbanisme;;;lancé\n";
    let read = read_csv(csv);
    assert!(
        read.warnings()
            .iter()
            .all(|w| w.kind != ReadWarningKind::UnusedColumns),
        "{:?}",
        read.warnings()
    );
    let p = read.programme().unwrap();
    let p1 = p.line("P1").unwrap();
    assert_eq!(p1.family.as_deref(), Some("PAP"));
    assert_eq!(p1.cpv.unwrap().to_string(), "30197600");
    assert_eq!(p1.duration_months, Some(12));
    assert_eq!(p1.service.as_deref(), Some("Moyens généraux"));
    assert_eq!(p1.current_end_date, Some(day(2026, 8, 31)));
    assert_eq!(p.line("P2").unwrap().status, LineStatus::InPreparation);
    let c1 = p.line("C1").unwrap();
    assert_eq!(
        (c1.nature, c1.duration_months, c1.status),
        (Nature::Services, Some(24), LineStatus::Launched)
    );
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let e1 = est.line("P1").unwrap();
    assert_eq!(e1.group_value.to_string(), "70000.00");
    assert_eq!(e1.procedure, Procedure::Adapted);
}

#[test]
fn a_category_column_is_a_nature_or_a_family_by_its_content() {
    let natures = read_csv(
        "id;libellé;catégorie;montant;date de lancement\nA;x;travaux;1;2026-01-01\nB;y;fournitures;1;2026-01-01\n",
    );
    assert_eq!(natures.programme().unwrap().lines[0].nature, Nature::Works);
    let families = read_csv(
        "id;libellé;nature;catégorie;montant;date de lancement\nA;x;travaux;Voirie;1;2026-01-01\n",
    );
    let p = families.programme().unwrap();
    assert_eq!(p.lines[0].family.as_deref(), Some("Voirie"));
    assert!(
        families
            .warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::AmbiguousHeader && w.message.contains("family"))
    );
}

#[test]
fn a_csv_with_five_errors_reports_all_five() {
    let csv = "id;libellé;nature;montant;date de lancement;cpv\n\
               A;Papier;fournitures;12,5,0;2026-01-01;\n\
               B;Voirie;chantier;1000;2026-01-01;\n\
               C;Nettoyage;services;1000;31/02/2026;\n\
               D;Audit;services;1000;2026-01-01;1234\n\
               E;;services;1000;2026-01-01;\n\
               F;Repas;services;1000;2026-01-01;\n";
    let read = read_csv(csv);
    let errors: Vec<String> = read.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 5, "{errors:#?}");
    for (e, start) in errors.iter().zip([
        "line 2, column \"montant\": amount \"12,5,0\"",
        "line 3, column \"nature\": nature \"chantier\" is unknown",
        "line 4, column \"date de lancement\": date \"31/02/2026\"",
        "line 5, column \"cpv\": CPV code \"1234\"",
        "line 6, column \"libellé\": the value is empty",
    ]) {
        assert!(e.starts_with(start), "{e}");
    }
    assert!(!read.is_valid());
    // Strict: the good row is not used silently; the error lists all five, one per line.
    let err = read.programme().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert_eq!(err.to_string().lines().count(), 5);
    let c = read.counts();
    assert_eq!((c.read, c.accepted, c.rejected), (6, 1, 5));
}

#[test]
fn lenient_mode_keeps_the_good_rows_and_lists_the_rejected_ones() {
    let csv = "id;libellé;nature;montant;date de lancement\n\
               A;Papier;fournitures;1000;2026-01-01\n\
               B;Voirie;travaux;mille;2026-01-01\n\
               \n\
               C;Repas;services;2000;2026-01-01\n";
    let read = Programme::read(csv.as_bytes(), &csv_opts().lenient(true)).unwrap();
    let p = read.programme().unwrap();
    assert_eq!(
        p.lines.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["A", "C"]
    );
    assert_eq!(read.errors().len(), 1);
    assert!(
        read.errors()[0]
            .to_string()
            .starts_with("line 3, column \"montant\"")
    );
    assert!(
        read.warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::RejectedRows)
    );
    let c = read.counts();
    assert_eq!(c.read, c.accepted + c.rejected + c.blank + c.skipped);
    assert_eq!((c.accepted, c.rejected, c.blank), (2, 1, 1));
    assert_eq!(read.origin("C"), Some((None, 5)));
}

#[test]
fn errors_beyond_the_limit_are_counted_not_listed() {
    let mut csv = String::from("id;libellé;nature;montant;date de lancement\n");
    for i in 0..250 {
        csv.push_str(&format!("L{i};x;services;??;2026-01-01\n"));
    }
    let read = read_csv(&csv);
    assert_eq!(read.errors().len(), 100);
    assert_eq!(read.errors_not_listed(), 150);
    assert!(
        read.error()
            .unwrap()
            .to_string()
            .ends_with("… and 150 more errors not listed (limit 100)")
    );
    let few = Programme::read(csv.as_bytes(), &csv_opts().max_errors(3)).unwrap();
    assert_eq!(few.errors().len(), 3);
}

#[test]
fn errors_of_a_windows_export_name_the_physical_line() {
    // CRLF line ends and a quoted cell over two lines: the error of the row on line 5 says
    // line 5 (the csv crate said line 4 on every CRLF file).
    let csv = "id;libellé;nature;montant;date de lancement\r\n\
               A;Papier;fournitures;1000;2026-01-01\r\n\
               B;\"Voirie\r\nnord\";travaux;1000;2026-01-01\r\n\
               C;Repas;services;douze;2026-01-01\r\n";
    let read = read_csv(csv);
    assert_eq!(
        read.errors()[0].to_string(),
        "line 5, column \"montant\": amount \"douze\" is not a decimal number"
    );
    assert_eq!(read.programme().unwrap_err().to_string().lines().count(), 1);
}

#[test]
fn an_unterminated_quote_is_reported_with_the_line_where_it_opened() {
    let csv = "id;libellé;nature;montant;date de lancement\n\
               A;Papier;fournitures;1000;2026-01-01\n\
               B;\"Voirie;travaux;1000;2026-01-01\n\
               C;Repas;services;2000;2026-01-01\n";
    let read = Programme::read(csv.as_bytes(), &csv_opts().lenient(true)).unwrap();
    let e = read.errors()[0].to_string();
    assert!(
        e.starts_with("line 3, column \"libellé\": unterminated quote: the quote that opens a cell on line 3 is never closed"),
        "{e}"
    );
    // The rows after it are read.
    assert_eq!(read.programme().unwrap().lines.len(), 2);
}

#[test]
fn every_column_not_used_is_reported() {
    let csv = "id;libellé;nature;montant HT;montant TTC;date de lancement;Commentaire;;Observations\n\
               A;Papier;fournitures;1000;1200;2026-01-01;à revoir;x;\n";
    let read = read_csv(csv);
    let w: Vec<_> = read
        .warnings()
        .iter()
        .filter(|w| w.kind == ReadWarningKind::UnusedColumns)
        .collect();
    assert_eq!(w.len(), 1);
    let m = &w[0].message;
    assert!(
        m.starts_with("4 column(s) not used: \"montant TTC\" (amounts are read excluding VAT"),
        "{m}"
    );
    assert!(
        m.contains("\"Commentaire\"")
            && m.contains("column 8 (no header)")
            && m.contains("\"Observations\""),
        "{m}"
    );
    // A column map uses one and silences another.
    let map = ColumnMap::new()
        .map("Commentaire", "label")
        .unwrap()
        .map("libellé", "ignore")
        .unwrap()
        .map("Observations", "ignore")
        .unwrap()
        .map("Montant TTC", "ignore")
        .unwrap();
    let read = Programme::read(csv.as_bytes(), &csv_opts().columns(map)).unwrap();
    assert_eq!(read.programme().unwrap().lines[0].label, "à revoir");
    let w: Vec<_> = read
        .warnings()
        .iter()
        .filter(|w| w.kind == ReadWarningKind::UnusedColumns)
        .collect();
    assert_eq!(
        w[0].message,
        "1 column(s) not used: column 8 (no header) (map them in a column map to use them, or to \"ignore\" to silence this)"
    );
}

#[test]
fn a_column_map_file_in_json_or_toml() {
    let dir = std::env::temp_dir().join(format!("spaser-colmap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("colonnes.json");
    std::fs::write(
        &json,
        r#"{"Besoin": "label", "Coût": "amount_ht", "Quand": "date_lancement"}"#,
    )
    .unwrap();
    let toml = dir.join("colonnes.toml");
    std::fs::write(
        &toml,
        "Besoin = \"label\"\n\"Coût\" = \"montant_ht\"\nQuand = \"launch_date\"\n",
    )
    .unwrap();
    let a = ColumnMap::from_path(&json).unwrap();
    let b = ColumnMap::from_path(&toml).unwrap();
    let csv = "Besoin;Nature;Coût;Quand\nPapier;fournitures;1000;2026-01-01\n";
    for map in [a, b] {
        let read = Programme::read(csv.as_bytes(), &csv_opts().columns(map)).unwrap();
        assert_eq!(
            read.programme().unwrap().lines[0].amount.to_string(),
            "1000.00"
        );
    }
    std::fs::write(&json, r#"{"Besoin": "besoin"}"#).unwrap();
    let e = ColumnMap::from_path(&json).unwrap_err();
    assert!(
        e.to_string()
            .contains("field \"besoin\" is unknown; accepted: id, label"),
        "{e}"
    );
}

#[test]
fn json_programme_errors_name_the_line_id_and_the_field() {
    let mut p = Programme::sample().clone();
    p.lines.truncate(3);
    let json = p
        .to_json()
        .unwrap()
        .replacen("\"24000.00\"", "\"-24000.00\"", 1)
        .replacen("\"2026-06-15\"", "\"0026-06-15\"", 1);
    let read = Programme::read(json.as_bytes(), &ReadOptions::default()).unwrap();
    let errors: Vec<String> = read.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "line 1 (id \"F26-01\"), field \"amount\": amount \"-24000.00\" is negative"
        ),
        "{}",
        errors[0]
    );
    assert!(errors[1].starts_with("line 2 (id \"F26-02\"), field \"launch_date\": date \"0026-06-15\" has a two-digit year"), "{}", errors[1]);
    let e = Programme::from_json(&json).unwrap_err();
    assert_eq!(e.to_string().lines().count(), 2);
    // An unknown field is reported, not dropped silently.
    let extra = p
        .to_json()
        .unwrap()
        .replacen("\"label\"", "\"montant_ttc\": \"1\", \"label\"", 1);
    let read = Programme::read(extra.as_bytes(), &ReadOptions::default()).unwrap();
    assert!(
        read.warnings()
            .iter()
            .any(|w| w.message.contains("\"montant_ttc\" (line(s) 1)"))
    );
}

#[test]
fn an_annual_amount_is_multiplied_by_the_duration_with_a_warning() {
    // R2121-1: the estimated value is that of the whole duration, renewals included.
    let csv = "id;libellé;nature;montant annuel HT;date de lancement;durée\n\
               A;Nettoyage;services;30 000 €;2026-01-01;4 ans\n\
               B;Maintenance;services;10 000;2026-01-01;12+36\n\
               C;Gardiennage;services;12 000;2026-01-01;1 an reconductible 2 fois\n\
               D;Contrôles;services;1 000,01;2026-01-01;7\n\
               E;Sans durée;services;5 000;2026-01-01;\n";
    let read = Programme::read(csv.as_bytes(), &csv_opts().lenient(true)).unwrap();
    let p = read.programme().unwrap();
    let amount = |id| p.line(id).unwrap().amount.to_string();
    assert_eq!(amount("A"), "120000.00");
    assert_eq!(p.line("A").unwrap().duration_months, Some(48));
    assert_eq!(amount("B"), "40000.00");
    assert_eq!(amount("C"), "36000.00");
    assert_eq!(amount("D"), "583.34"); // 1000.01 × 7 / 12 = 583.339…, half up
    let w = read
        .warnings()
        .iter()
        .find(|w| w.kind == ReadWarningKind::AnnualAmounts)
        .unwrap();
    assert!(
        w.message
            .starts_with("line(s) 2, 3, 4, 5: the amount is the annual amount × the duration"),
        "{}",
        w.message
    );
    assert!(read.errors()[0].to_string().starts_with(
        "line 6, column \"montant annuel HT\": annual amount \"5000.00\" needs a duration"
    ));
}

#[test]
fn the_line_fields_programming_teams_use_are_read_and_written() {
    let csv = "id;libellé;nature;montant;date de lancement;date du besoin;statut;centrale d'achat;\
               groupement de commandes;consultation;lot;cas sans mise en concurrence;critères d'attribution;\
               exemption sociale;motif exemption sociale;défense et sécurité;confidentiel;départements;\
               identifiants marchés\n\
               A;Ordinateurs;fournitures;90 000;01/03/2026;01/09/2026;à lancer;UGAP;;;;;;;;non;non;49;\n\
               B;Voirie lot 1;travaux;400 000;01/03/2026;;en préparation;;;VOIRIE-26;1;;Prix 60 % | Valeur technique 30 % | Environnement 10 %;;;;;49|72;\n\
               C;Voirie lot 2;travaux;300 000;01/03/2026;;lancé;;Groupement Anjou;VOIRIE-26;Lot 2;;;;;;;;\n\
               D;Maintenance logiciel;services;50 000;01/03/2026;;attribué;;;;;R2122-3;;solution immédiatement disponible;Éditeur unique, contrat de maintenance;oui;oui;;2026-0042|2026-0043\n\
               E;Licences;services;10 000;01/03/2026;;annulé;;;;;exclusivité;;;;;;;\n";
    let read = read_csv(csv);
    assert!(
        read.warnings()
            .iter()
            .all(|w| w.kind != ReadWarningKind::UnusedColumns),
        "{:?}",
        read.warnings()
    );
    let p = read.programme().unwrap();
    let a = p.line("A").unwrap();
    assert_eq!(a.need_date, Some(day(2026, 9, 1)));
    let i = a.intermediary.as_ref().unwrap();
    assert_eq!(
        (i.kind, i.name.as_str()),
        (IntermediaryKind::CentralPurchasingBody, "UGAP")
    );
    assert_eq!(a.departements[0].as_str(), "49");
    let b = p.line("B").unwrap();
    let lot = b.lot.as_ref().unwrap();
    assert_eq!((lot.consultation.as_str(), lot.number), ("VOIRIE-26", 1));
    let crit = b.award_criteria.as_ref().unwrap();
    assert_eq!(crit.len(), 3);
    assert_eq!(crit[0].kind, CriterionKind::Price);
    assert!(crit[2].is_environmental());
    assert_eq!(b.departements.len(), 2);
    let c = p.line("C").unwrap();
    assert_eq!(c.lot.as_ref().unwrap().number, 2);
    assert_eq!(
        c.intermediary.as_ref().unwrap().kind,
        IntermediaryKind::PurchasingGroup
    );
    let d = p.line("D").unwrap();
    assert_eq!(d.status, LineStatus::Awarded);
    assert_eq!(d.no_competition, Some(NoCompetitionCase::SingleOperator));
    assert!(d.defence_security && d.confidential);
    assert_eq!(d.contract_ids, ["2026-0042", "2026-0043"]);
    assert_eq!(
        d.social_exemption.as_ref().unwrap().reason,
        "Éditeur unique, contrat de maintenance"
    );
    assert_eq!(p.line("E").unwrap().status, LineStatus::Cancelled);
    // The export writes them and every reader reads them back.
    let again = Programme::from_csv(p.to_csv().unwrap().as_bytes(), buyer()).unwrap();
    assert_eq!(&again, p);
    let json = Programme::from_json(&p.to_json().unwrap()).unwrap();
    assert_eq!(&json, p);
}

#[test]
fn an_intermediary_named_like_a_yes_no_word_reads_back_as_its_name() {
    // Regression (found by `csv_round_trip_is_lossless`): a purchasing group named "Yés" was read
    // back as "groupement de commandes", its accent-folded name being the flag `yes`. The writer
    // puts a name that would read as a flag (or is empty, quoted or padded) in double quotes;
    // the reader takes a quoted cell as the name as written: lossless for any name.
    // L2113-2 (central purchasing bodies), L2113-6 (purchasing groups): the name is data, a
    // yes-flag says "through one the file does not name", a no-flag says "through none".
    use spaser::{Intermediary, PlanLine};
    let names = [
        "Yés",
        "Oui",
        "x",
        "NON",
        "0",
        "1",
        "TRUE",
        "\"",
        "\"UGAP\"",
        "\"\"",
        " Resah ",
        "Achats ; \"mutualisés\"\n",
        "centrale d'achat",
    ];
    for (kind, name) in [
        IntermediaryKind::CentralPurchasingBody,
        IntermediaryKind::PurchasingGroup,
    ]
    .into_iter()
    .flat_map(|k| names.map(|n| (k, n)))
    {
        let mut line = PlanLine::new(
            "L1",
            "Fournitures",
            Nature::Supplies,
            "1000".parse().unwrap(),
            day(2026, 3, 1),
        );
        line.intermediary = Some(Intermediary {
            kind,
            name: name.to_string(),
        });
        let p = Programme::new(buyer(), vec![line]).unwrap();
        let csv = p.to_csv().unwrap();
        let back = Programme::from_csv(csv.as_bytes(), buyer()).unwrap();
        assert_eq!(back, p, "{kind:?} {name:?}: {csv}");
        let (header, rows) = p.to_table();
        let xlsx = xlsx(&header, &rows, "P", true, &[], false);
        let back = Programme::read(&xlsx, &ReadOptions::default().buyer(buyer())).unwrap();
        assert_eq!(
            back.into_programme().unwrap(),
            p,
            "{kind:?} {name:?} (xlsx)"
        );
    }
    // As buyers write the column: a name, a yes-flag (generic name), a no-flag (none).
    let csv = "id;libellé;nature;montant;date de lancement;centrale d'achat;groupement de commandes\n\
               A;a;fournitures;1;2026-01-01;UGAP;non\n\
               B;b;fournitures;1;2026-01-01;non;oui\n\
               C;c;fournitures;1;2026-01-01;x;\n\
               D;d;fournitures;1;2026-01-01;\"\"\"Oui\"\"\";\n\
               E;e;fournitures;1;2026-01-01;;Yés\n"; // D: the cell `"Oui"`, CSV-quoted
    let p = read_csv(csv).into_programme().unwrap();
    let got: Vec<_> = p
        .lines
        .iter()
        .map(|l| l.intermediary.as_ref().map(|i| (i.kind, i.name.as_str())))
        .collect();
    assert_eq!(
        got,
        [
            Some((IntermediaryKind::CentralPurchasingBody, "UGAP")),
            Some((IntermediaryKind::PurchasingGroup, "groupement de commandes")),
            Some((IntermediaryKind::CentralPurchasingBody, "centrale d'achat")),
            Some((IntermediaryKind::CentralPurchasingBody, "Oui")),
            // A flag word is plain ASCII: "Yés" written by hand is a name.
            Some((IntermediaryKind::PurchasingGroup, "Yés")),
        ]
    );
}

#[test]
fn bad_line_fields_name_line_column_and_value() {
    let csv = "id;libellé;nature;montant;date de lancement;statut;lot;consultation;critères;exemption sociale;départements\n\
               A;x;services;1;2026-01-01;peut-être;;;;;\n\
               B;x;services;1;2026-01-01;;3;;;;\n\
               C;x;services;1;2026-01-01;;;;Prix beaucoup;;\n\
               D;x;services;1;2026-01-01;;;;;autre;\n\
               E;x;services;1;2026-01-01;;;;;;20\n";
    let read = read_csv(csv);
    let e: Vec<String> = read.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(e.len(), 5, "{e:#?}");
    assert!(
        e[0].starts_with("line 2, column \"statut\": status \"peut-être\" is unknown"),
        "{}",
        e[0]
    );
    assert!(
        e[1].starts_with("line 3, column \"lot\": lot 3 needs the consultation"),
        "{}",
        e[1]
    );
    assert!(
        e[2].starts_with(
            "line 4, column \"critères\": award criterion \"Prix beaucoup\": weight \"beaucoup\""
        ),
        "{}",
        e[2]
    );
    assert!(
        e[3].starts_with(
            "line 5, column \"exemption sociale\": a social exemption needs its reason"
        ),
        "{}",
        e[3]
    );
    assert!(
        e[4].starts_with("line 6, column \"départements\": département \"20\""),
        "{}",
        e[4]
    );
}

#[test]
fn a_sep_line_a_tab_delimiter_title_rows_and_totals_are_handled() {
    let csv = "Programmation 2026\t\t\t\t\nid\tlibellé\tnature\tmontant\tdate de lancement\n\
               A\tPapier\tfournitures\t1000\t2026-01-01\n\
               \tTotal général\t\t1000\t\n";
    let read = read_csv(csv);
    assert_eq!(read.programme().unwrap().lines.len(), 1);
    let kinds: Vec<_> = read.warnings().iter().map(|w| w.kind).collect();
    assert!(
        kinds.contains(&ReadWarningKind::RowsAboveHeader),
        "{kinds:?}"
    );
    assert!(kinds.contains(&ReadWarningKind::TotalRows), "{kinds:?}");
    let c = read.counts();
    assert_eq!((c.read, c.accepted, c.skipped), (2, 1, 1));
    let sep = read_csv(
        "sep=,\nid,libellé,nature,montant,date de lancement\nA,x;y,services,1,2026-01-01\n",
    );
    assert_eq!(sep.programme().unwrap().lines[0].label, "x;y");
}

#[test]
fn a_file_without_an_id_column_names_its_lines_after_their_rows() {
    let read =
        read_csv("libellé;nature;montant;date de lancement\nPapier;fournitures;1000;2026-01-01\n");
    assert_eq!(read.programme().unwrap().lines[0].id, "L2");
    assert!(
        read.warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::GeneratedIds)
    );
}

#[test]
fn dates_as_months_quarters_and_excel_serials() {
    let read = read_csv(
        "id;libellé;nature;montant;date de lancement;date du besoin\nA;x;services;1;T2 2026;mai 2027\n",
    );
    let l = &read.programme().unwrap().lines[0];
    assert_eq!(
        (l.launch_date, l.need_date),
        (day(2026, 4, 1), Some(day(2027, 5, 1)))
    );
    assert!(
        read.warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::PeriodDates)
    );
}

#[test]
fn a_buyer_profile_in_json_or_toml() {
    let dir = std::env::temp_dir().join(format!("spaser-buyer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("acheteur.toml");
    std::fs::write(
        &toml,
        "# Le profil de l'acheteur\nnom = \"Université de Valmont\"\nsiret = \"21490999600016\"\n\
         statut = \"établissement public de l'État\"\ndepartement = 49\n\n\
         [depenses]  # dépenses au titre des marchés publics, hors Livre V (D2111-3)\n\
         2024 = 61500000\n2025 = \"62 000 000 €\"\n",
    )
    .unwrap();
    let b = Buyer::from_path(&toml).unwrap();
    assert_eq!(b.name, "Université de Valmont");
    assert_eq!(b.status, Some(BuyerStatus::StatePublicEstablishment));
    assert_eq!(b.kind, BuyerKind::OtherContractingAuthority);
    assert_eq!(b.departement.as_ref().unwrap().as_str(), "49");
    assert_eq!(b.expenditure[&2025].to_string(), "62000000.00");
    assert!(b.siret.is_some());
    // The buyer's own JSON is a profile too, and reads back equal.
    let json = dir.join("acheteur.json");
    std::fs::write(&json, serde_json::to_string(&b).unwrap()).unwrap();
    assert_eq!(Buyer::from_path(&json).unwrap(), b);
    // The EU threshold column derives from the status, overridable.
    let state = Buyer::from_json(r#"{"name": "Ministère", "status": "state"}"#).unwrap();
    assert_eq!(state.kind, BuyerKind::CentralGovernment);
    let over = Buyer::from_json(
        r#"{"name": "EP", "status": "state_public_establishment", "kind": "central"}"#,
    )
    .unwrap();
    assert_eq!(over.kind, BuyerKind::CentralGovernment);
    // Errors name the field and the value.
    let e = Buyer::from_json(r#"{"name": "X", "expenditure": {"25": "1"}}"#).unwrap_err();
    assert!(
        e.to_string()
            .contains("field \"expenditure.25\": year \"25\""),
        "{e}"
    );
    let e = Buyer::from_json(r#"{"name": "X", "statut": "association"}"#).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "buyer profile, field \"status\": buyer status \"association\" is unknown"
        ),
        "{e}"
    );
    let e = Buyer::from_json(r#"{"name": "X", "budget": 1}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `budget`"), "{e}");
    // A programme read with the profile carries it.
    let csv = dir.join("besoins.csv");
    std::fs::write(
        &csv,
        "libellé;nature;montant;date de lancement\nPapier;fournitures;1000;2026-01-01\n",
    )
    .unwrap();
    let read = Programme::read_path(&csv, &ReadOptions::default().buyer(b.clone())).unwrap();
    assert_eq!(read.programme().unwrap().buyer, b);
    let without = Programme::read_path(&csv, &ReadOptions::default()).unwrap();
    assert_eq!(without.programme().unwrap().buyer.name, "besoins");
    assert!(
        without
            .warnings()
            .iter()
            .any(|w| w.kind == ReadWarningKind::NoBuyer)
    );
}

#[test]
fn an_options_file_with_locks_is_honoured_by_the_planner() {
    let programme = Programme::sample();
    let catalogue = Catalogue::embedded();
    let rules = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rules);
    let base = Planner::new(catalogue, rules)
        .plan(programme, &targets, &spaser::PlanOptions::default())
        .unwrap();
    // Force a lever the plan does not choose on a line, forbid one it chooses.
    let chosen = base
        .assignments
        .iter()
        .find(|a| !a.levers.is_empty())
        .unwrap();
    let forbid_line = chosen.line.clone();
    let forbid_lever = chosen.levers[0].clone();
    let toml = format!(
        "max_levers_per_line = 4\n\n[[locks]]\nline = \"{forbid_line}\"\nlever = \"{forbid_lever}\"\nkind = \"interdire\"\n\n\
         [lead_times]\nformal = 8\n"
    );
    let o = PlanningOptions::from_toml(&toml).unwrap();
    assert_eq!(o.lead_times.months(Procedure::Formal), 8);
    let plan = Planner::new(catalogue, rules)
        .plan(programme, &targets, &o.plan)
        .unwrap();
    let a = plan.assignments.iter().find(|a| a.line == forbid_line);
    let a = a.map_or(&[][..], |a| a.levers.as_slice());
    assert!(
        !a.contains(&forbid_lever),
        "{forbid_lever} stays forbidden on {forbid_line}"
    );
    assert_eq!(
        o.plan,
        spaser::PlanOptions::default()
            .max_levers_per_line(4)
            .lock(Lock {
                line: forbid_line,
                lever: forbid_lever,
                kind: LockKind::Forbid
            })
    );
    // Capacity per service: the service's facilitator, per year or every year (issue 15).
    let o = PlanningOptions::from_json(
        r#"{"capacity_per_service": {"Voirie": {"2026": 500, "every_year": "1 200"}}}"#,
    )
    .expect("service capacities");
    assert_eq!(
        o.plan,
        spaser::PlanOptions::default()
            .service_capacity("Voirie", 2026, rust_decimal::Decimal::from(500))
            .service_capacity_every_year("Voirie", rust_decimal::Decimal::from(1200))
    );
    let e = PlanningOptions::from_json(r#"{"capacity_per_service": {"Voirie": {"2026": -5}}}"#)
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("field \"capacity_per_service.Voirie.2026\""),
        "{e}"
    );
    // Errors name the field.
    let e = PlanningOptions::from_json(r#"{"capacity": {"26": 100}}"#).unwrap_err();
    assert!(e.to_string().contains("field \"capacity.26\""), "{e}");
    let e =
        PlanningOptions::from_json(r#"{"locks": [{"line": "A", "lever": "b", "kind": "maybe"}]}"#)
            .unwrap_err();
    assert!(e.to_string().contains("field \"locks[0].kind\""), "{e}");
    let e = PlanningOptions::from_json(r#"{"capacty": {}}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `capacty`"), "{e}");
}

#[test]
fn targets_from_a_spreadsheet_with_french_shares() {
    let csv = "Cible;Libellé;Dimension;Base;Natures;Services;Cible 2026;Cible 2027;Cible 2028\n\
               social-travaux;Clauses sociales en travaux;social;nombre;travaux;;0,25;25 %;30%\n\
               env-valeur;Achats verts;environnemental;valeur;;Moyens généraux;0.5;;0.6\n";
    let t = Targets::read(csv.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(t.targets.len(), 2);
    let s = &t.targets[0];
    assert_eq!(
        s.trajectory
            .values()
            .map(|v| v.to_string())
            .collect::<Vec<_>>(),
        ["0.25", "0.25", "0.3"]
    );
    assert_eq!(s.filter.natures, [Nature::Works]);
    assert_eq!(t.targets[1].trajectory.len(), 2);
    assert_eq!(t.targets[1].basis, spaser::Basis::Value);
    // The same table as an xlsx with a percentage cell.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["id", "dimension", "2026"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "s").unwrap();
    ws.write_string(1, 1, "sociale").unwrap();
    let pct = rust_xlsxwriter::Format::new().set_num_format("0%");
    ws.write_number_with_format(1, 2, 0.3, &pct).unwrap();
    let x = Targets::read(&wb.save_to_buffer().unwrap(), &ReadOptions::default()).unwrap();
    assert_eq!(x.targets[0].trajectory[&2026].to_string(), "0.3");
    // Errors: all at once, each with line and column.
    let bad = "id;dimension;2026;27\nA;social;25;0,1\nB;verte;0,2;\n";
    let e = Targets::read(bad.as_bytes(), &ReadOptions::default()).unwrap_err();
    let m = e.to_string();
    assert_eq!(m.lines().count(), 3, "{m}");
    assert!(
        m.contains("line 1, column \"27\": \"27\" has a two-digit year"),
        "{m}"
    );
    assert!(
        m.contains("line 2, column \"2026\": share \"25\" is above 1"),
        "{m}"
    );
    assert!(
        m.contains("line 3, column \"dimension\": dimension \"verte\" is unknown"),
        "{m}"
    );
}

#[test]
fn merging_services_files_reports_duplicate_ids_by_file_and_line() {
    let dir = std::env::temp_dir().join(format!("spaser-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("voirie.csv");
    let b = dir.join("ecoles.csv");
    std::fs::File::create(&a)
        .unwrap()
        .write_all(b"id;libelle;nature;montant;date de lancement\nV1;Enrobes;travaux;100000;2026-03-01\nX1;Sel;fournitures;5000;2026-11-01\n")
        .unwrap();
    std::fs::File::create(&b)
        .unwrap()
        .write_all(b"id;libelle;nature;montant;date de lancement\nE1;Repas;services;300000;2026-09-01\n\nX1;Sel;fournitures;5000;2026-11-01\n")
        .unwrap();
    let opts = ReadOptions::default().buyer(buyer());
    let parts = vec![
        Programme::read_path(&a, &opts).unwrap(),
        Programme::read_path(&b, &opts).unwrap(),
    ];
    let merged = Programme::merge(parts);
    let e = merged.errors()[0].to_string();
    let (fa, fb) = (a.display().to_string(), b.display().to_string());
    assert_eq!(
        e,
        format!("{fb}, line 4, column \"id\": line id \"X1\" is already used in {fa}, line 3")
    );
    assert_eq!(merged.programme().unwrap_err().kind(), ErrorKind::Duplicate);
    assert_eq!(merged.origin("E1"), Some((Some(fb.as_str()), 2)));
    let c = merged.counts();
    assert_eq!((c.read, c.accepted, c.rejected, c.blank), (5, 3, 1, 1));
}

#[test]
fn the_calendar_back_plans_a_new_need_from_its_need_date() {
    let csv = "id;libellé;nature;montant;date de lancement;date du besoin;statut\n\
               N1;Mobilier de la médiathèque;fournitures;300 000;01/02/2026;01/09/2026;\n\
               N2;Mobilier déjà lancé;fournitures;300 000;01/02/2026;01/09/2026;lancé\n";
    let p = read_csv(csv).into_programme().unwrap();
    let est = p.estimate(Rulebook::embedded()).unwrap();
    let o = PlanningOptions::from_json(r#"{"lead_times": {"formal": 6, "sourcing": 2}}"#).unwrap();
    let cal = Calendar::new(&p, &est, &o.lead_times, day(2026, 4, 1)).unwrap();
    let n1 = cal.entry("N1").unwrap();
    assert_eq!(n1.procedure, Procedure::Formal);
    assert_eq!(n1.need_date, Some(day(2026, 9, 1)));
    assert_eq!(n1.launch_by, Some(day(2026, 3, 1)));
    assert_eq!(n1.sourcing_by, Some(day(2026, 1, 1)));
    assert!(n1.late && n1.sourcing_late);
    let n2 = cal.entry("N2").unwrap();
    assert!(
        !n2.late && !n2.sourcing_late,
        "a launched line is not late to launch"
    );
}

/// Writes the sample's xlsx export for `tests/data/programme/make_ods.sh` (not a test).
#[test]
#[ignore]
fn export_sample_xlsx_for_the_ods_fixture() {
    let out = std::env::var("SPASER_XLSX_OUT").expect("SPASER_XLSX_OUT names the xlsx to write");
    let (header, rows) = Programme::sample().to_table();
    std::fs::write(out, xlsx(&header, &rows, "Programmation", true, &[], false)).unwrap();
}
