//! The defects of issue 11 on the programme side: dot-grouped amounts (item 8), two-digit
//! and implausible years in programmes, targets and assessments (item 9), and error messages
//! that quote at most 80 characters of a cell.

use spaser::maturity::Assessment;
use spaser::{
    Buyer, BuyerKind, ErrorKind, FileFormat, NumberConvention, Procedure, Programme, ReadOptions,
    Rulebook, Targets,
};

fn opts() -> ReadOptions {
    ReadOptions::default()
        .format(FileFormat::Csv)
        .buyer(Buyer::new("Ville", BuyerKind::OtherContractingAuthority))
}

const HEAD: &str = "id;libelle;famille;nature;montant_ht;date_lancement\n";

#[test]
fn a_dot_grouped_amount_takes_the_file_convention_and_is_never_250_euros() {
    // Item 8: "250.000" in a French programme is €250,000 once the file's other amounts show
    // a decimal comma; the procedure is decided on it (R2124-1: formal from €216,000 for
    // services of other contracting authorities).
    let csv = format!(
        "{HEAD}N1;Nettoyage;NET;services;250.000;2026-05-04\nP1;Papier;PAP;fournitures;24 000,00 €;2026-05-04\nV1;Voirie;;travaux;1.500.000;2026-05-04\n"
    );
    let read = Programme::read(csv.as_bytes(), &opts()).unwrap();
    let p = read.programme().unwrap();
    assert_eq!(p.line("N1").unwrap().amount.to_string(), "250000.00");
    assert_eq!(p.line("V1").unwrap().amount.to_string(), "1500000.00");
    let est = p.estimate(Rulebook::embedded()).unwrap();
    assert_eq!(est.line("N1").unwrap().procedure, Procedure::Formal);
    assert!(read.warnings().iter().any(|w| {
        w.message
            .contains("1 amount(s) that read two ways were read with a decimal comma")
    }));
}

#[test]
fn an_amount_that_stays_ambiguous_is_an_error_naming_the_cell_and_the_raw_text() {
    // Nothing in the file decides: "250.000" is not guessed.
    let csv = format!(
        "{HEAD}N1;Nettoyage;NET;services;250.000;2026-05-04\nP1;Papier;PAP;fournitures;1200;2026-05-04\n"
    );
    let e = Programme::read(csv.as_bytes(), &opts()).unwrap().errors()[0].to_string();
    assert!(
        e.starts_with("line 2, column \"montant_ht\": amount \"250.000\" is ambiguous: 250000 if \".\" groups thousands, 250.000 if it marks decimals"),
        "{e}"
    );
    // Cells that contradict each other decide nothing either.
    let mixed = format!(
        "{HEAD}A;x;;services;12,5;2026-01-01\nB;y;;services;1,234.50;2026-01-01\nC;z;;services;250.000;2026-01-01\n"
    );
    let read = Programme::read(mixed.as_bytes(), &opts()).unwrap();
    assert_eq!(read.errors().len(), 1);
    assert!(
        read.errors()[0]
            .to_string()
            .starts_with("line 4, column \"montant_ht\": amount \"250.000\" is ambiguous")
    );
}

#[test]
fn the_declared_locale_decides_only_when_no_cell_does() {
    let csv = format!("{HEAD}N1;Nettoyage;NET;services;250.000;2026-05-04\n");
    let comma = opts().number_convention(NumberConvention::DecimalComma);
    let p = Programme::read(csv.as_bytes(), &comma)
        .unwrap()
        .into_programme()
        .unwrap();
    assert_eq!(p.lines[0].amount.to_string(), "250000.00");
    // A cell that proves a decimal point wins over the declared locale.
    let csv = format!(
        "{HEAD}N1;Nettoyage;NET;services;250.000;2026-05-04\nP1;Papier;PAP;fournitures;1,234.50;2026-05-04\n"
    );
    let p = Programme::read(csv.as_bytes(), &comma)
        .unwrap()
        .into_programme()
        .unwrap();
    assert_eq!(p.lines[0].amount.to_string(), "250.00");
}

#[test]
fn the_convention_is_decided_per_column_never_per_cell() {
    // The annual amounts are English, the totals French: each column keeps its own.
    let csv = "id;libelle;nature;montant_ht;montant annuel;duree;date_lancement\n\
               A;x;services;2.500;;;2026-01-01\n\
               B;y;services;;1,500;12;2026-01-01\n\
               C;z;services;1.200.000,50;;;2026-01-01\n\
               D;w;services;;2,000.25;12;2026-01-01\n";
    let p = Programme::read(csv.as_bytes(), &opts())
        .unwrap()
        .into_programme()
        .unwrap();
    let amount = |id| p.line(id).unwrap().amount.to_string();
    assert_eq!(amount("A"), "2500.00"); // the column's own cells prove a decimal comma
    assert_eq!(amount("B"), "1500.00"); // this column's prove a decimal point: "1,500" groups
}

#[test]
fn a_two_digit_year_in_a_programme_is_an_error_naming_line_column_and_value() {
    // Item 9: "15/09/26" was read as year 26 and only the rulebook complained.
    let csv = format!(
        "{HEAD}A;x;;services;1;15/09/26\nB;y;;services;1;1989-12-31\nC;z;;services;1;2101-01-01\n"
    );
    let read = Programme::read(csv.as_bytes(), &opts()).unwrap();
    let e: Vec<String> = read.errors().iter().map(|e| e.to_string()).collect();
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(
        e[0].starts_with(
            "line 2, column \"date_lancement\": date \"15/09/26\" has a two-digit year (26)"
        ),
        "{}",
        e[0]
    );
    assert!(
        e[1].starts_with(
            "line 3, column \"date_lancement\": date \"1989-12-31\" is outside 1990-2100"
        ),
        "{}",
        e[1]
    );
    assert!(
        e[2].starts_with(
            "line 4, column \"date_lancement\": date \"2101-01-01\" is outside 1990-2100"
        ),
        "{}",
        e[2]
    );
    assert!(
        read.errors()
            .iter()
            .all(|e| e.kind == ErrorKind::InvalidValue)
    );
    // The same through JSON and through Programme::new.
    let mut p = Programme::sample().clone();
    p.lines[0].current_end_date = chrono::NaiveDate::from_ymd_opt(26, 12, 31);
    let err = Programme::from_json(&p.to_json().unwrap()).unwrap_err();
    assert!(err.to_string().starts_with("line 1 (id \"F26-01\"), field \"current_end_date\": date \"0026-12-31\" has a two-digit year"), "{err}");
    assert_eq!(
        Programme::new(p.buyer.clone(), p.lines.clone())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidValue
    );
}

#[test]
fn a_two_digit_year_in_targets_is_an_error_naming_the_target_and_the_year() {
    let json = r#"{"targets":[{"id":"t","dimension":"social","basis":"count","trajectory":{"26":"0.3"}}]}"#;
    let e = Targets::from_json(json).unwrap_err();
    assert!(
        e.to_string()
            .contains("target \"t\", field \"trajectory.26\": year \"26\" has two digits"),
        "{e}"
    );
    let json = json.replace("\"26\"", "\"2150\"");
    let e = Targets::from_json(&json).unwrap_err();
    assert!(
        e.to_string().contains("year \"2150\" is outside 1990-2100"),
        "{e}"
    );
}

#[test]
fn a_two_digit_year_in_an_assessment_is_an_error_naming_line_column_and_value() {
    let text = "{\"grid\": \"spaser-maturity\",\n \"date\": \"0026-11-15\",\n \"assessor\": \"DCP\", \"answers\": []}";
    let e = Assessment::from_json(text).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("field \"date\": date \"0026-11-15\" has a two-digit year (26)"),
        "{m}"
    );
    assert!(m.contains("line 2 column"), "{m}");
    let answer = "{\"grid\": \"spaser-maturity\", \"date\": \"2026-11-15\", \"assessor\": \"DCP\",\n\"answers\": [{\"criterion\": \"gov.1.adopted\", \"status\": \"met\", \"date\": \"1890-01-01\"}]}";
    let m = Assessment::from_json(answer).unwrap_err().to_string();
    assert!(
        m.contains("answer field \"date\": date \"1890-01-01\" is outside 1990-2100")
            && m.contains("line 2"),
        "{m}"
    );
    let year = "{\"grid\": \"spaser-maturity\", \"date\": \"2026-11-15\", \"assessor\": \"DCP\", \"reference_year\": 26, \"answers\": []}";
    let m = Assessment::from_json(year).unwrap_err().to_string();
    assert!(
        m.contains("field \"reference_year\": year 26 has two digits"),
        "{m}"
    );
}

#[test]
fn an_error_message_quotes_at_most_80_characters_of_a_cell() {
    let huge = "é".repeat(1_000_000); // a 2 MB cell
    for col in [
        "cpv",
        "nature",
        "montant_ht",
        "date_lancement",
        "duree",
        "innovant",
        "statut",
        "departements",
        "criteres",
        "lot",
        "cas sans mise en concurrence",
        "exemption sociale",
    ] {
        let mut header = vec!["id", "libelle", "nature", "montant_ht", "date_lancement"];
        let mut row = vec!["A", "x", "services", "1", "2026-01-01"];
        match header.iter().position(|h| *h == col) {
            Some(i) => row[i] = &huge,
            None => {
                header.push(col);
                row.push(&huge);
            }
        }
        let csv = format!("{}\n{}\n", header.join(";"), row.join(";"));
        let e = Programme::read(csv.as_bytes(), &opts())
            .unwrap()
            .error()
            .unwrap()
            .to_string();
        assert!(
            e.chars().count() < 400,
            "{col}: {} characters",
            e.chars().count()
        );
        assert!(e.contains(&format!("{}…", "é".repeat(80))), "{col}: {e}");
    }
    // A long label is a label.
    let csv =
        format!("id;libelle;nature;montant_ht;date_lancement\nA;{huge};services;1;2026-01-01\n");
    assert!(Programme::read(csv.as_bytes(), &opts()).unwrap().is_valid());
}
