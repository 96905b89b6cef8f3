//! Every DECP encoding (issue 17): the consolidated national file (CSV, Parquet) gives the
//! peers' figures, the XML examples are read with every record accounted, a merged read counts
//! each contract once, a buyer's filter gives that buyer's figures alone, and the audit's checks
//! hold at their dates.

use std::collections::BTreeMap;
use std::path::PathBuf;

use spaser::GroupBy;
use spaser::decp::{self, Actuals, Filter, Options, SourceFormat};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/decp")
        .join(rel)
}

/// The peers' `by_year` figures (tests/data/decp/consolidated/peer_by_year.json).
fn peer(key: &str) -> serde_json::Value {
    let all: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("consolidated/peer_by_year.json")).unwrap(),
    )
    .unwrap();
    all[key].clone()
}

fn by_year_json(report: &decp::DecpReport) -> serde_json::Value {
    serde_json::to_value(decp::by_year(&report.actuals.marches)).unwrap()
}

fn read_one(rel: &str, options: Options) -> decp::DecpReport {
    decp::read_paths(&[data(rel)], options).unwrap()
}

// ---------------------------------------------------------------- consolidated files

#[test]
fn consolidated_csv_gives_the_peers_by_year_on_generated_and_converted_files() {
    // The peers' semantics (peer_decp_consolidated.py): one contract per uid, its current
    // version (donneesActuelles), year of the initial notification, counted once whatever its
    // holders; a null montant counts with 0.
    for (file, key) in [
        ("consolidated/gen_500_7.csv", "gen_500_7"),
        ("consolidated/converted_real.csv", "converted_real"),
    ] {
        let r = read_one(file, Options::totals_only());
        assert_eq!(by_year_json(&r), peer(key), "{file}");
        let f = &r.files[0];
        assert_eq!(f.format, SourceFormat::Csv);
        assert!(f.accounting.balances(), "{:?}", f.accounting);
        assert!(f.accounting.rows > f.accounting.read, "{:?}", f.accounting);
        // full read and every option: the same figures
        let full = read_one(file, Options::default().full(true).keep_diagnostics(true));
        assert_eq!(by_year_json(&full), peer(key), "{file}");
    }
}

#[cfg(feature = "parquet")]
#[test]
fn consolidated_parquet_gives_the_peers_by_year_on_generated_and_converted_files() {
    for (file, key) in [
        ("consolidated/gen_500_7.parquet", "gen_500_7"),
        ("consolidated/converted_real.parquet", "converted_real"),
    ] {
        let r = read_one(file, Options::totals_only());
        assert_eq!(r.files[0].format, SourceFormat::Parquet);
        assert_eq!(by_year_json(&r), peer(key), "{file}");
        assert!(r.files[0].accounting.balances());
        let full = read_one(file, Options::default().full(true));
        assert_eq!(by_year_json(&full), peer(key), "{file}");
        // the CSV and the Parquet of the same data: the same report
        let csv = read_one(
            &file.replace(".parquet", ".csv"),
            Options::default().full(true),
        );
        assert_eq!(full.actuals, csv.actuals);
        assert_eq!(full.strategy, csv.strategy);
        assert_eq!(full.names, csv.names);
        assert_eq!(full.accounting, csv.accounting);
    }
    // one buyer: the Parquet reader skips the other buyers' rows
    let buyer = "24502309111190";
    let r = read_one(
        "consolidated/gen_500_7.parquet",
        Options::totals_only().filter(Filter::new().buyer(buyer)),
    );
    assert_eq!(by_year_json(&r), peer("gen_500_7 --buyer 24502309111190"));
    let csv = read_one(
        "consolidated/gen_500_7.csv",
        Options::totals_only().filter(Filter::new().buyer(buyer)),
    );
    assert_eq!(r.accounting, csv.accounting);
    assert!(r.accounting.balances());
}

/// A full read keeping every list a report can hold (warnings, rejections, names, contracts).
fn every_list() -> Options {
    Options::default()
        .full(true)
        .keep_diagnostics(true)
        .names(true)
        .contracts(true)
}

/// Every part of two reports that does not name the file.
fn assert_same_report(a: &decp::DecpReport, b: &decp::DecpReport, what: &str) {
    assert_eq!(a.actuals, b.actuals, "{what}");
    assert_eq!(a.accounting, b.accounting, "{what}");
    assert_eq!(a.names, b.names, "{what}");
    assert_eq!(a.contracts, b.contracts, "{what}");
    assert_eq!(a.left_out, b.left_out, "{what}");
    let (fa, fb) = (&a.files[0], &b.files[0]);
    assert_eq!(fa.accounting, fb.accounting, "{what}");
    assert_eq!(fa.kept, fb.kept, "{what}");
    assert_eq!(fa.filtered_out, fb.filtered_out, "{what}");
    assert_eq!(fa.warnings, fb.warnings, "{what}");
    assert_eq!(fa.rejected, fb.rejected, "{what}");
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_of_several_row_groups_read_on_two_threads_gives_the_one_thread_report() {
    // The same 732 rows in one row group (one reducing thread) and in 8 row groups of 100
    // (two threads, each group decoded once by either, each thread reducing its half of the
    // uids, the contracts merged back in order of first row).
    let one = read_one("consolidated/gen_500_7.parquet", every_list());
    let two = read_one("consolidated/gen_500_7_groups.parquet", every_list());
    assert_same_report(&one, &two, "8 row groups");
    assert_eq!(two.files[0].accounting.read, 500);
    assert_eq!(two.contracts.len() as u64, two.files[0].accounting.accepted);
    assert!(!two.files[0].warnings.is_empty());
    assert!(two.files[0].accounting.balances());
    assert_eq!(by_year_json(&two), peer("gen_500_7"));
    let totals = read_one(
        "consolidated/gen_500_7_groups.parquet",
        Options::totals_only(),
    );
    assert_eq!(by_year_json(&totals), peer("gen_500_7"));
    // one buyer: one reducing thread, the other buyers' rows skipped
    let buyer = "24502309111190";
    let r = read_one(
        "consolidated/gen_500_7_groups.parquet",
        Options::totals_only().filter(Filter::new().buyer(buyer)),
    );
    assert_eq!(by_year_json(&r), peer("gen_500_7 --buyer 24502309111190"));
}

/// A copy of the 8-row-group file whose row group `g` has its column chunks overwritten from
/// their second quarter on (their headers kept): that group cannot be decoded.
#[cfg(feature = "parquet")]
fn with_corrupt_row_group(g: usize, name: &str) -> PathBuf {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let src = data("consolidated/gen_500_7_groups.parquet");
    let mut bytes = std::fs::read(&src).unwrap();
    let reader = SerializedFileReader::new(std::fs::File::open(&src).unwrap()).unwrap();
    let rg = reader.metadata().row_group(g);
    for c in rg.columns() {
        let (start, len) = c.byte_range();
        let (start, len) = (start as usize, len as usize);
        for b in &mut bytes[start + len / 4..start + len] {
            *b = 0x5A;
        }
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&out, bytes).unwrap();
    out
}

#[cfg(feature = "parquet")]
#[test]
fn a_row_group_that_cannot_be_decoded_is_rejected_alone() {
    // Rows 300..400 (row group 3) are lost; the file's other 632 rows are read and every row
    // is accounted for, on two threads (all buyers) as on one (a buyer filter).
    let path = with_corrupt_row_group(3, "corrupt_group_3.parquet");
    for options in [
        every_list(),
        Options::totals_only().keep_diagnostics(true),
        every_list().filter(Filter::new().buyer("24502309111190")),
    ] {
        let r = decp::read_paths(&[&path], options).unwrap();
        let f = &r.files[0];
        let a = &f.accounting;
        assert!(a.balances(), "{a:?}");
        assert_eq!(a.rows, 732, "{a:?}");
        let lost: Vec<_> = f
            .rejected
            .iter()
            .filter(|x| {
                x.reason
                    .starts_with("100 rows of row group 3 cannot be decoded (")
            })
            .collect();
        assert_eq!(lost.len(), 1, "{:?} {a:?}", f.rejected);
        assert_eq!(lost[0].record, 300);
        assert!(a.rejected >= 100, "{a:?}");
        assert!(a.accepted > 0, "{a:?}");
        assert_eq!(
            r.left_out
                .get("rejected: 100 rows of row group 3 cannot be decoded"),
            Some(&1),
            "{:?}",
            r.left_out
        );
    }
    // the intact file reads without that rejection
    let whole = read_one("consolidated/gen_500_7_groups.parquet", every_list());
    assert!(
        whole.files[0]
            .rejected
            .iter()
            .all(|x| !x.reason.contains("cannot be decoded"))
    );
}

#[test]
fn many_contracts_handed_over_on_two_threads_give_the_one_thread_report() {
    // Past 16,384 contracts the second half is built and counted on another thread, into
    // actuals of its own merged after the first half; with a quality report everything goes
    // through one thread. Same rows, same report (warnings, rejections, names, order).
    let path = std::env::temp_dir().join(format!("spaser-two-threads-{}.csv", std::process::id()));
    std::fs::write(&path, many_contracts_csv()).unwrap();
    let two = decp::read_paths(&[&path], every_list()).unwrap();
    let one = decp::read_paths(&[&path], every_list().quality(true)).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_same_report(&one, &two, "20,000 contracts");
    let a = two.files[0].accounting;
    assert_eq!((a.read, a.rows), (20_000, 24_000));
    assert_eq!(a.rejected, 21);
    assert!(a.balances());
    assert!(!two.files[0].warnings.is_empty());
    assert_eq!(two.contracts.len(), 20_000 - 21);
}

#[test]
fn a_read_that_only_counts_gives_the_figures_of_the_read_that_builds_the_contracts() {
    // A read of the yearly totals alone (`Options::totals_only()`) keeps nothing of a
    // contract but its count in the indicators: the consolidated readers then count each
    // contract without building it, in no particular order, on two threads past 16,384
    // contracts. Same figures, accounting (warnings included) and reasons left out as the read
    // that builds every contract (kept here); across files too (the second read of a file
    // counts as already read).
    let path = std::env::temp_dir().join(format!("spaser-counts-only-{}.csv", std::process::id()));
    std::fs::write(&path, many_contracts_csv()).unwrap();
    let mut reads = vec![vec![path.clone()], vec![path.clone(), path.clone()]];
    for f in [
        "converted_real.csv",
        "converted_dematis13.csv",
        "gen_500_7.csv",
        #[cfg(feature = "parquet")]
        "converted_real.parquet",
        #[cfg(feature = "parquet")]
        "gen_500_7_groups.parquet",
    ] {
        reads.push(vec![data(&format!("consolidated/{f}"))]);
    }
    for files in &reads {
        let counted = decp::read_paths(files, Options::totals_only()).unwrap();
        let built = decp::read_paths(files, Options::totals_only().contracts(true)).unwrap();
        let what = format!("{files:?}");
        assert_eq!(counted.actuals, built.actuals, "{what}");
        assert_eq!(counted.accounting, built.accounting, "{what}");
        assert_eq!(counted.left_out, built.left_out, "{what}");
        for (a, b) in counted.files.iter().zip(&built.files) {
            assert_eq!(
                (a.kept, a.filtered_out, a.cross_file_duplicates),
                (b.kept, b.filtered_out, b.cross_file_duplicates),
                "{what}"
            );
        }
        assert!(counted.contracts.is_empty());
        assert!(counted.accounting.balances());
    }
    // the generated file's warnings and rejections are there to be counted
    let a = decp::read_paths(&[&path], Options::totals_only())
        .unwrap()
        .accounting;
    assert_eq!((a.read, a.rejected), (20_000, 21));
    assert!(a.warnings > 3_000, "{a:?}");
    std::fs::remove_file(&path).unwrap();
}

/// A consolidated CSV of 20,000 contracts (24,000 rows: a contract in five has two versions)
/// of three buyers, with blank and "Sans objet" lists, 21 contracts without date (rejected),
/// and cells warned about: unusable amounts, a social consideration in the environmental list,
/// an unknown consideration, versions none of which is marked current.
fn many_contracts_csv() -> String {
    let mut csv = String::from(
        "uid,id,acheteur_id,acheteur_nom,titulaire_id,titulaire_typeIdentifiant,titulaire_nom,montant,codeCPV,procedure,dateNotification,considerationsSociales,considerationsEnvironnementales,modification_id,donneesActuelles\n",
    );
    let buyers = ["21750001600019", "24502309111190", "12345678901234"];
    for i in 0..20_000u32 {
        let buyer = buyers[(i % 3) as usize];
        let date = if i % 997 == 0 {
            String::new()
        } else {
            format!("202{}-0{}-1{}", 4 + i % 3, 1 + i % 9, i % 10)
        };
        let social = [
            "Sans objet",
            "Clause sociale",
            "Critère social, Clause sociale",
            "",
        ][(i % 4) as usize];
        let env = match i % 13 {
            0 => "Clause sociale",
            1 => "Clause verte",
            _ => ["Sans objet", "Clause environnementale", ""][(i % 3) as usize],
        };
        let versions = if i % 5 == 0 { 2 } else { 1 };
        for v in 0..versions {
            let current = match (i % 11, v + 1 == versions) {
                (0, _) | (_, false) => "false",
                _ => "true",
            };
            let amount = if i % 101 == 0 {
                "n/c".to_string()
            } else {
                format!("{}.{:02}", 1_000 + i * 7 + v * 100, i % 100)
            };
            csv.push_str(&format!(
                "{buyer}2026_{i:06},2026_{i:06},{buyer},Acheteur {b},{h:014},SIRET,Titulaire {h},{amount},45000000,Appel d'offres ouvert,{date},{social},{env},{v},{current}\n",
                b = i % 3,
                h = 40_000_000_000_000u64 + u64::from(i % 7_919),
                social = if social.contains(',') { format!("\"{social}\"") } else { social.to_string() },
            ));
        }
    }
    csv
}

#[test]
fn consolidated_rows_are_all_accounted_versions_and_holders_reduced() {
    let r = read_one(
        "consolidated/gen_500_7.csv",
        Options::default().keep_diagnostics(true),
    );
    let a = r.files[0].accounting;
    // 500 contracts in 732 rows: each row is a contract, another version, another holder
    assert_eq!(a.rows, 732);
    assert_eq!(a.read, 500);
    assert_eq!(a.rows_records, 500);
    assert_eq!(
        a.rows,
        a.rows_records + a.rows_superseded + a.rows_holders + a.rows_filtered
    );
    assert!(a.rows_superseded > 0 && a.rows_holders > 0);
    assert!(a.balances());
    // the contract without any date is rejected with its reason
    assert!(
        r.files[0]
            .rejected
            .iter()
            .all(|x| x.reason.starts_with("no usable dateNotification"))
    );
    // names of buyers and holders come from the file
    assert!(r.names.values().any(|n| n.contains("VILLE DE PARIS")));
    assert!(r.names.len() > 50);
}

#[test]
fn one_buyer_filter_on_a_consolidated_file_gives_that_buyers_peer_figures() {
    let buyer = "24502309111190";
    let r = read_one(
        "consolidated/gen_500_7.csv",
        Options::totals_only().filter(Filter::new().buyer(buyer)),
    );
    assert_eq!(by_year_json(&r), peer("gen_500_7 --buyer 24502309111190"));
    // by SIREN: the same establishment here
    let by_siren = read_one(
        "consolidated/gen_500_7.csv",
        Options::totals_only().filter(Filter::new().buyer(&buyer[..9])),
    );
    assert_eq!(by_year_json(&by_siren), by_year_json(&r));
    assert!(r.files[0].accounting.rows_filtered > 0);
    assert!(r.files[0].accounting.balances());
}

#[test]
fn one_buyer_filter_on_a_platform_file_gives_the_figures_of_that_buyer_alone() {
    let all = read_one("real/dematis13.json", Options::default());
    let per_buyer = decp::by_group(&all.actuals.marches, GroupBy::Buyer);
    let (buyer, expected) = per_buyer
        .iter()
        .max_by_key(|(_, years)| years.values().map(|y| y.contracts).sum::<u64>())
        .unwrap();
    let mine = read_one(
        "real/dematis13.json",
        Options::default().filter(Filter::new().buyer(buyer)),
    );
    assert_eq!(&decp::by_year(&mine.actuals.marches), expected);
    // every other buyer is left out, and says so
    assert!(mine.left_out["filtered out"] > 0);
    let kept: u64 = expected.values().map(|y| y.contracts).sum();
    assert_eq!(mine.files[0].kept, kept);
}

#[test]
fn filters_by_year_cpv_prefix_and_procedure_combine() {
    let r = read_one(
        "real/dematis27.json",
        Options::default().filter(
            Filter::new()
                .year(2024)
                .cpv_prefix("45")
                .procedure("procedure adaptee"),
        ),
    );
    let kept = r.files[0].kept;
    assert!(kept > 0);
    let d = decp::read(std::fs::File::open(data("real/dematis27.json")).unwrap()).unwrap();
    let expected = d
        .contracts
        .iter()
        .filter(|c| {
            c.notification_date
                .is_some_and(|x| chrono::Datelike::year(&x) == 2024)
                && c.cpv.is_some_and(|x| x.as_str().starts_with("45"))
                && c.procedure.as_deref() == Some("Procédure adaptée")
        })
        .count() as u64;
    assert_eq!(kept, expected);
}

// ---------------------------------------------------------------- merged reads

/// The consolidated key of a contract: buyer + id with blanks and ,./\ read as _.
fn key(buyer: &str, id: &str) -> String {
    let id: String = id
        .trim()
        .chars()
        .map(|c| if " ,./\\".contains(c) { '_' } else { c })
        .collect();
    format!("{buyer}{id}")
}

#[test]
fn a_merged_read_of_json_and_csv_of_the_same_contracts_counts_each_contract_once() {
    // converted_dematis13.csv is dematis13.json in the consolidated shape.
    let json = read_one("real/dematis13.json", Options::default());
    let csv = read_one("consolidated/converted_dematis13.csv", Options::default());
    let both = decp::read_paths(
        &[
            data("real/dematis13.json"),
            data("consolidated/converted_dematis13.csv"),
        ],
        Options::default(),
    )
    .unwrap();
    // every contract of the CSV was read from the JSON
    assert_eq!(both.files[1].kept, 0);
    assert_eq!(both.files[1].cross_file_duplicates, csv.files[0].kept);
    assert_eq!(both.actuals.marches, json.actuals.marches);
    // the other way round: the JSON's contracts (lots sharing an id included) were read from
    // the CSV, except those the JSON reader keeps and the CSV lacks
    let d = decp::read(std::fs::File::open(data("real/dematis13.json")).unwrap()).unwrap();
    let rev = decp::read_paths(
        &[
            data("consolidated/converted_dematis13.csv"),
            data("real/dematis13.json"),
        ],
        Options::default(),
    )
    .unwrap();
    let csv_keys: std::collections::BTreeSet<String> = {
        let c = decp::read_paths(
            &[data("consolidated/converted_dematis13.csv")],
            Options::default().full(true),
        )
        .unwrap();
        assert_eq!(c.files[0].kept, csv.files[0].kept);
        // uids of the CSV
        let text = std::fs::read_to_string(data("consolidated/converted_dematis13.csv")).unwrap();
        csv_reader(&text).into_iter().collect()
    };
    let json_new = d
        .contracts
        .iter()
        .filter(|c| !csv_keys.contains(&key(c.buyer.as_ref().unwrap().as_str(), &c.id)))
        .count() as u64;
    assert_eq!(rev.files[1].kept, json_new);
    assert_eq!(
        rev.files[0].kept + rev.files[1].kept,
        csv.files[0].kept + json_new
    );
    assert!(rev.accounting.balances());
}

/// The uid column of a consolidated CSV.
fn csv_reader(text: &str) -> Vec<String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let uid = header.iter().position(|h| *h == "uid").unwrap();
    assert_eq!(uid, 0);
    lines
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

#[test]
fn format_is_detected_from_the_content_not_the_name() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decp-detect");
    std::fs::create_dir_all(&dir).unwrap();
    for (src, fmt) in [
        ("real/dematis13.json", SourceFormat::Json),
        ("consolidated/gen_500_7.csv", SourceFormat::Csv),
        ("official/examples-2024/xml/Marche.xml", SourceFormat::Xml),
        ("consolidated/gen_500_7.parquet", SourceFormat::Parquet),
    ] {
        let to = dir.join(format!("file-{fmt}.dat"));
        std::fs::copy(data(src), &to).unwrap();
        assert_eq!(decp::open(&to).unwrap().format(), fmt, "{src}");
    }
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "hello,world\n1,2\n").unwrap();
    let e = decp::open(&bad).unwrap_err();
    assert!(e.to_string().contains("not a DECP file"), "{e}");
    // a stream (standard input)
    let bytes = std::fs::read(data("real/dematis27.json")).unwrap();
    let input = decp::Input::from_reader("-", std::io::Cursor::new(bytes)).unwrap();
    let mut reading = decp::Reading::new(Options::default());
    let f = reading.add(input).unwrap();
    assert_eq!(f.name, "-");
    assert!(f.kept > 100);
}

// ---------------------------------------------------------------- XML

#[cfg(feature = "xml")]
fn xml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    v.sort();
    v
}

#[cfg(feature = "xml")]
#[test]
fn official_xml_examples_are_read_with_every_record_accounted() {
    use spaser::decp::XmlReader;
    let mut total = 0;
    for dir in ["official/examples-2024/xml", "official/examples-2019-xml"] {
        for path in xml_files(dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let elements: usize = [
                "<marche>",
                "<marche ",
                "<contrat-concession>",
                "<contrat-concession ",
            ]
            .iter()
            .map(|t| text.matches(t).count())
            .sum();
            let mut r = XmlReader::new(text.as_bytes());
            let mut n = 0;
            while let Some(e) = r.next_entry().unwrap() {
                n += 1;
                let _ = e;
            }
            let a = r.accounting();
            assert_eq!(a.read as usize, elements, "{path:?}");
            assert_eq!(n, elements);
            assert!(a.balances());
            total += n;
            let report = decp::read_paths(&[&path], Options::default()).unwrap();
            assert_eq!(report.files[0].format, SourceFormat::Xml);
            assert_eq!(report.accounting.read as usize, elements);
        }
    }
    assert!(total >= 15);
}

#[cfg(feature = "xml")]
#[test]
fn xml_written_from_the_json_examples_reads_as_the_json() {
    // tests/data/decp/xml-from-json/*.xml were written from the JSON examples of the same name
    // (a mechanical translation: one element per key, list items repeated in their wrapper).
    use spaser::decp::XmlReader;
    for path in xml_files("xml-from-json") {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        // followup.xml is the follow-up data set (tests/data/followup/decp.json).
        let json_path = ["official/2024", "real"]
            .iter()
            .map(|d| data(&format!("{d}/{name}.json")))
            .chain((name == "followup").then(|| data("../followup/decp.json")))
            .find(|p| p.exists())
            .unwrap();
        let from_json = decp::read(std::fs::File::open(&json_path).unwrap()).unwrap();
        let xml = std::fs::read(&path).unwrap();
        let mut r = XmlReader::new(&xml[..]);
        let mut contracts = Vec::new();
        let mut concessions = Vec::new();
        while let Some(e) = r.next_entry().unwrap() {
            match e.outcome {
                decp::Outcome::Contract(decp::Contract::Awarded(c)) => contracts.push(c),
                decp::Outcome::Contract(decp::Contract::Concession(c)) => concessions.push(c),
                _ => {}
            }
        }
        assert_eq!(r.accounting().read, from_json.accounting.read, "{name}");
        assert_eq!(
            r.accounting().rejected,
            from_json.accounting.rejected,
            "{name}"
        );
        assert_eq!(contracts.len(), from_json.contracts.len(), "{name}");
        for (a, b) in contracts.iter().zip(&from_json.contracts) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.current_amount(), b.current_amount(), "{name} {}", a.id);
            assert_eq!(a.notification_date, b.notification_date);
            assert_eq!(a.social, b.social, "{name} {}", a.id);
            assert_eq!(a.environmental, b.environmental);
            assert_eq!(a.cpv, b.cpv);
            assert_eq!(a.procedure, b.procedure);
            assert_eq!(a.holders.len(), b.holders.len());
            assert_eq!(a.modifications.len(), b.modifications.len());
        }
        assert_eq!(concessions.len(), from_json.concessions.len());
        // the same indicators
        let x = decp::read_paths(&[&path], Options::default()).unwrap();
        let j = decp::read_paths(&[&json_path], Options::default()).unwrap();
        assert_eq!(x.actuals.marches, j.actuals.marches, "{name}");
        assert_eq!(x.actuals.concessions, j.actuals.concessions, "{name}");
    }
}

// ---------------------------------------------------------------- audit

fn marche(id: &str, date: &str, amount: &str, cpv: &str, social: &str, env: &str) -> String {
    format!(
        r#"{{"id":"{id}","acheteur":{{"id":"21350238800019"}},"montant":{amount},"dateNotification":"{date}","codeCPV":"{cpv}","considerationsSociales":{{"considerationSociale":["{social}"]}},"considerationsEnvironnementales":{{"considerationEnvironnementale":["{env}"]}}}}"#
    )
}

fn audit_ids(records: &[String], article: &str, price_only: &[&str]) -> Vec<String> {
    let json = format!(r#"{{"marches":{{"marche":[{}]}}}}"#, records.join(","));
    let d = decp::read(json.as_bytes()).unwrap();
    let mut actuals = Actuals::new();
    for mut c in d.contracts {
        if price_only.contains(&c.id.as_str()) {
            c.price_only = Some(true);
        }
        actuals.add(&decp::Contract::Awarded(c));
    }
    actuals
        .finish()
        .audit
        .into_iter()
        .filter(|f| f.article == article)
        .map(|f| f.id)
        .collect()
}

const NO_SOC: &str = "Pas de considération sociale";
const ENV: &str = "Clause environnementale";

#[test]
fn l2112_2_1_flags_awards_at_or_above_the_eu_threshold_without_social_consideration_after_2026_08_22()
 {
    // L2112-2-1 (LCR art. 35): from 2026-08-22, a contract whose value reaches the EU threshold
    // includes a social or employment consideration in its execution conditions. The DECP has
    // no launch date: contracts notified after the date are probable cases. EU threshold of the
    // embedded rulebook for services of a local authority in 2026: 216,000 euros HT.
    let t = "216000";
    let recs = [
        marche("on-date", "2026-08-22", t, "90910000", NO_SOC, ENV),
        marche("after-at", "2026-08-23", t, "90910000", NO_SOC, ENV),
        marche(
            "after-below",
            "2026-08-23",
            "215999.99",
            "90910000",
            NO_SOC,
            ENV,
        ),
        marche(
            "after-social",
            "2026-08-23",
            t,
            "90910000",
            "Clause sociale",
            ENV,
        ),
        marche(
            "after-works-below",
            "2026-08-23",
            "300000",
            "45000000",
            NO_SOC,
            ENV,
        ),
    ];
    assert_eq!(audit_ids(&recs, "L2112-2-1", &[]), ["after-at"]);
}

#[test]
fn r2152_7_flags_price_only_awards_after_2026_08_21_where_criteria_are_known() {
    // R2152-7 (décret 2022-767 art. 11): from 2026-08-21 an award cannot rest on price alone.
    // The DECP does not publish the criteria: only contracts whose criteria are known (here set
    // by the caller) are checked; a "Critère …" consideration proves another criterion.
    let recs = [
        marche("on-date", "2026-08-21", "5000", "90910000", NO_SOC, ENV),
        marche("after", "2026-08-22", "5000", "90910000", NO_SOC, ENV),
        marche("unknown", "2026-08-22", "5000", "90910000", NO_SOC, ENV),
        marche(
            "criterion",
            "2026-08-22",
            "5000",
            "90910000",
            NO_SOC,
            "Critère environnemental",
        ),
    ];
    assert_eq!(
        audit_ids(&recs, "R2152-7", &["on-date", "after"]),
        ["after"]
    );
    let d = decp::read(format!(r#"{{"marches":{{"marche":[{}]}}}}"#, recs[3]).as_bytes()).unwrap();
    assert_eq!(d.contracts[0].price_only, Some(false));
}

#[test]
fn l2112_2_flags_awards_without_environmental_consideration_after_2026_08_22() {
    let recs = [
        marche(
            "on-date",
            "2026-08-22",
            "5000",
            "90910000",
            NO_SOC,
            "Pas de considération environnementale",
        ),
        marche(
            "after",
            "2026-08-23",
            "5000",
            "90910000",
            NO_SOC,
            "Pas de considération environnementale",
        ),
        marche("ok", "2026-08-23", "5000", "90910000", NO_SOC, ENV),
    ];
    assert_eq!(audit_ids(&recs, "L2112-2", &[]), ["after"]);
}

// ---------------------------------------------------------------- strategy, quality, writer

#[test]
fn strategy_indicators_count_single_bids_smes_long_contracts_and_frameworks() {
    let r = read_one("consolidated/gen_500_7.csv", Options::default());
    let s = r.strategy.as_ref().unwrap();
    let mut total = BTreeMap::new();
    for id in [
        decp::SINGLE_BID,
        decp::SME,
        decp::OVER_FOUR_YEARS,
        decp::FRAMEWORK,
    ] {
        let m = s.table.total(id, 2025).unwrap();
        assert!(m.count <= m.purchases && m.unknown <= m.purchases, "{id}");
        assert!(m.count > 0, "{id}");
        total.insert(id, m.purchases);
    }
    // every strategy indicator has the standard indicators' denominator
    let social = r.actuals.marches.total("social", 2025).unwrap();
    assert!(total.values().all(|&n| n == social.purchases));
    let bids = s
        .bids
        .iter()
        .find(|m| m.year == 2025 && m.group_by == GroupBy::Total)
        .unwrap();
    assert!(bids.mean > rust_decimal::Decimal::ONE);
    assert!(s.distance_km.iter().any(|m| m.contracts > 0));
    // breakdowns exist for the strategy indicators too
    assert!(s.table.rows.iter().any(|r| r.group_by == GroupBy::Buyer));
    // from a regulatory file: offers and frameworks are known, SMEs are not
    let j = read_one("real/dematis13.json", Options::default());
    let js = j.strategy.unwrap();
    let y = *j.actuals.marches.years().last().unwrap();
    let sme = js.table.total(decp::SME, y).unwrap();
    assert_eq!(sme.unknown, sme.purchases);
    let single = js.table.total(decp::SINGLE_BID, y).unwrap();
    assert!(single.unknown < single.purchases);
}

#[test]
fn data_quality_flags_absurd_sentinel_and_placeholder_amounts_and_invalid_sirets() {
    let rec = |id: &str, amount: &str, buyer: &str| {
        format!(
            r#"{{"id":"{id}","acheteur":{{"id":"{buyer}"}},"montant":{amount},"dateNotification":"2024-03-01","codeCPV":"90910000"}}"#
        )
    };
    let recs = [
        rec("a", "1", "21350238800019"),
        rec("b", "999999", "21350238800019"),
        rec("c", "12311111111", "21350238800019"),
        rec("d", "2500000000", "21350238800019"),
        rec("e", "0", "21350238800018"),
        rec("f", "54000", "21350238800019"),
    ];
    let json = format!(
        r#"{{"marches":{{"marche":[{},{}]}}}}"#,
        recs.join(","),
        recs[5]
    );
    let mut reading = decp::Reading::new(Options::default());
    let input =
        decp::Input::from_reader("q.json", std::io::Cursor::new(json.into_bytes())).unwrap();
    reading.add(input).unwrap();
    let r = reading.finish();
    let q = r.files[0].quality.as_ref().unwrap();
    assert_eq!(q.contracts, 6);
    assert_eq!(
        (
            q.placeholder_amount,
            q.sentinel_amount,
            q.absurd_amount,
            q.zero_amount
        ),
        (1, 2, 1, 1)
    );
    assert_eq!(q.invalid_buyer_siret, 1);
    assert_eq!(q.duplicates, 1);
    assert_eq!(q.missing_social, 6);
    assert!(
        q.examples
            .iter()
            .any(|e| e.check == "sentinel_amount" && e.id == "c")
    );
    // the indicators say what they left out and why
    assert_eq!(r.left_out["duplicate of an earlier record of the file"], 1);
}

#[test]
fn write_2024_reports_what_does_not_validate_instead_of_passing_it_silently() {
    let d =
        decp::read(std::fs::File::open(data("official/2024/marches_concessions.json")).unwrap())
            .unwrap();
    let w = decp::write_2024(&d.contracts, &d.concessions);
    // the official examples hold invalid SIRETs (12345678901234): reported, named
    assert!(
        w.issues.iter().all(|i| i.field.ends_with(".id")),
        "{:?}",
        w.issues
    );
    let mut c = d.contracts[0].clone();
    c.id = "an identifier far too long".to_string();
    c.social = None;
    let w = decp::write_2024(&[c], &[]);
    assert!(!w.is_valid());
    let fields: Vec<&str> = w.issues.iter().map(|i| i.field.as_str()).collect();
    assert!(fields.contains(&"id") && fields.contains(&"considerationsSociales"));
}

#[test]
fn shares_display_rounded_half_to_even() {
    // 6 of 13 = 46.1538 %: 46.2 with one decimal (truncation printed 46.1)
    let m = spaser::Measure {
        purchases: 13,
        count: 6,
        ..spaser::Measure::default()
    };
    assert_eq!(decp::percent(m.count_share(), 1), "46.2");
    assert_eq!(decp::percent(m.count_share(), 0), "46");
}

#[test]
fn rejections_are_counted_by_reason_not_one_line_per_row() {
    // Thirty rows of the wrong width and five without uid: two reasons in what the indicators
    // left out (the row numbers and quoted beginnings stay in each rejection), in French too.
    let mut csv = String::from("uid,acheteur_id,dateNotification,montant,donneesActuelles\n");
    csv.push_str("2175000160001925A01,21750001600019,2025-03-01,1000,true\n");
    for i in 0..30 {
        csv.push_str(&format!("X{i},21750001600019,2025-03-01,1000,true,extra\n"));
    }
    for _ in 0..5 {
        csv.push_str(",21750001600019,2025-03-01,1000,true\n");
    }
    // and a uid no file would publish (beyond 65535 bytes)
    csv.push_str(&format!(
        "{},21750001600019,2025-03-01,1000,true\n",
        "U".repeat(70_000)
    ));
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rejections_by_reason.csv");
    std::fs::write(&path, csv).unwrap();
    let r = decp::read_paths(&[&path], every_list()).unwrap();
    assert_eq!(r.files[0].rejected.len(), 36);
    assert!(
        r.files[0].rejected[0]
            .reason
            .starts_with("row 3: 6 fields where the header has 5; the row begins \"X0,")
    );
    assert_eq!(r.left_out.len(), 3, "{:?}", r.left_out);
    assert_eq!(r.left_out["rejected: 6 fields where the header has 5"], 30);
    assert_eq!(
        r.left_out["rejected: uid or id longer than 65535 bytes: cannot be grouped"],
        1
    );
    assert_eq!(
        r.left_out["rejected: row without uid: cannot be grouped"],
        5
    );
    let fr = r.to_text(spaser::Lang::Fr);
    assert!(
        fr.contains(
            "Hors des indicateurs\u{a0}: 30 (rejet\u{a0}: 6 champs alors que l'en-tête en a 5)"
        ),
        "{fr}"
    );
    assert!(
        fr.contains("5 (rejet\u{a0}: ligne sans uid\u{a0}: impossible à regrouper)"),
        "{fr}"
    );
    assert!(
        fr.contains(
            "1 (rejet\u{a0}: uid ou id de plus de 65535\u{a0}octets\u{a0}: impossible à regrouper)"
        ),
        "{fr}"
    );
    assert_eq!(fr.matches("Hors des indicateurs").count(), 3, "{fr}");
}
