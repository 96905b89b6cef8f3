//! DECP: the official examples, real exports and every deviation of FACTS §12.
//!
//! Expected counts are written by hand from the files (inspected independently with Python).

use std::fs;
use std::path::{Path, PathBuf};

use spaser::decp::{self, Actuals, Contract, DecpReader, Format, Outcome};
use spaser::{Amount, Dimension, ErrorKind, Instrument};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/decp")
        .join(rel)
}

fn read_file(rel: &str) -> decp::Dataset {
    let bytes = fs::read(data(rel)).unwrap();
    decp::read(&bytes[..]).unwrap()
}

fn read_str(json: &str) -> decp::Dataset {
    decp::read(json.as_bytes()).unwrap()
}

fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

/// A 2024 file with one marché whose fields are given as JSON members.
fn marche(members: &str) -> String {
    let mut members = members.to_string();
    if !members.contains("considerationsSociales") {
        members.push_str(r#","considerationsSociales":{"considerationSociale":["Pas de considération sociale"]}"#);
    }
    if !members.contains("considerationsEnvironnementales") {
        members.push_str(r#","considerationsEnvironnementales":{"considerationEnvironnementale":["Pas de considération environnementale"]}"#);
    }
    format!(
        r#"{{"marches":{{"marche":[{{"id":"M1","acheteur":{{"id":"21350238800019"}},"dateNotification":"2024-05-02","montant":50000,"codeCPV":"45000000",{members}}}]}}}}"#
    )
}

fn fields(data: &decp::Dataset) -> Vec<&str> {
    data.warnings.iter().map(|w| w.field.as_str()).collect()
}

// ---------------------------------------------------------------- official examples

#[test]
fn official_2024_marches_with_modifications_take_the_last_modification() {
    let d = read_file("official/2024/marches_avec_modifications.json");
    assert_eq!(d.format, Some(Format::V2024));
    assert_eq!(
        (
            d.accounting.read,
            d.accounting.accepted,
            d.accounting.rejected
        ),
        (2, 2, 0)
    );
    assert_eq!(d.contracts.len(), 2);
    let c = &d.contracts[0];
    assert_eq!(c.id, "TEST2022");
    assert_eq!(c.amount, Some(amount("575000")));
    assert_eq!(c.current_amount(), Some(amount("123457.87")));
    assert_eq!(c.duration_months, Some(48));
    assert_eq!(c.current_duration_months(), Some(12));
    assert_eq!(c.current_holders()[0].id.as_str(), "868768687576575");
    assert_eq!(c.holders[0].id.as_str(), "55204599900869");
    assert_eq!(c.cpv.unwrap().as_str(), "45000000");
    assert_eq!(c.techniques, ["Concours", "Accord-cadre"]);
    assert_eq!(c.execution_modes, ["Tranches"]);
    assert_eq!(c.framework_id.as_deref(), Some("1234567890"));
    assert_eq!(c.innovative, Some(true));
    assert_eq!(c.ccag.as_deref(), Some("Travaux"));
    assert_eq!(c.offers_received, Some(4));
    assert_eq!(c.price_form.as_deref(), Some("Forfaitaire"));
    assert_eq!(c.price_types, ["Définitif ferme"]);
    assert_eq!(c.social.as_ref().unwrap().len(), 2);
    assert_eq!(
        c.environmental.as_ref().unwrap()[0].instrument,
        Instrument::ExecutionClause
    );
    assert!(c.extra.contains_key("actesSousTraitance"));
    assert!(c.extra.contains_key("lieuExecution"));
    // The buyer SIRET of the first example fails the Luhn check: kept raw, warned.
    assert!(c.buyer.as_ref().unwrap().siret().is_none());
    assert_eq!(
        fields(&d),
        [
            "acheteur.id",
            "modifications.titulaires.id",
            "modifications.titulaires.id"
        ]
    );
}

#[test]
fn official_2024_concessions_use_signature_date_and_global_value() {
    let d = read_file("official/2024/concessions_avec_modifications.json");
    assert_eq!(d.concessions.len(), 2);
    assert!(d.contracts.is_empty());
    let c = &d.concessions[0];
    assert_eq!(c.value, Some(amount("10.3")));
    assert_eq!(c.current_value(), Some(amount("25")));
    assert_eq!(c.current_duration_months(), Some(14));
    assert_eq!(c.holders.len(), 2);
    assert_eq!(c.signature_date.unwrap().to_string(), "2024-04-02");
    assert_eq!(c.public_subsidy, Some(amount("0.5")));
    let d = read_file("official/2024/concessions.json");
    assert_eq!((d.accounting.read, d.concessions.len()), (2, 2));
}

#[test]
fn official_2024_mixed_file_reads_both_arrays() {
    let d = read_file("official/2024/marches_concessions.json");
    assert_eq!(
        (d.accounting.read, d.contracts.len(), d.concessions.len()),
        (4, 2, 2)
    );
    // concessions come first in this file
    assert_eq!(d.warnings[0].record, 0);
    assert_eq!(d.warnings[0].field, "autoriteConcedante.id");
}

#[test]
fn official_2019_examples_are_read_with_their_records() {
    // (file, marchés, concessions)
    let cases = [
        ("cc-avec-modifications.json", 0, 1),
        ("cc-basique-avec-uid.json", 0, 1),
        ("cc-basique.json", 0, 1),
        ("mar-avec-modifications.json", 1, 0),
        ("mar-basique-avec-uid.json", 1, 0),
        ("mar-basique.json", 1, 0),
        ("paquet-avec-uid.json", 1, 1),
        ("paquet-result.json", 2, 0),
        ("paquet.json", 1, 1),
    ];
    for (file, m, c) in cases {
        let d = read_file(&format!("official/2019/{file}"));
        assert_eq!(d.format, Some(Format::V2019), "{file}");
        assert_eq!(d.contracts.len(), m, "{file}");
        assert_eq!(d.concessions.len(), c, "{file}");
        assert_eq!(d.accounting.rejected, 0, "{file}");
        assert!(d.accounting.balances());
    }
}

#[test]
fn official_2019_modifications_are_ordered_by_position_and_applied() {
    let d = read_file("official/2019/cc-avec-modifications.json");
    let c = &d.concessions[0];
    assert_eq!(c.modifications.len(), 2);
    assert_eq!(
        c.modifications.iter().map(|m| m.id).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(c.current_value(), Some(amount("33890000")));
    assert_eq!(c.current_duration_months(), Some(540));
    let d = read_file("official/2019/mar-avec-modifications.json");
    let m = &d.contracts[0];
    assert_eq!(m.current_amount(), Some(amount("127000")));
    assert_eq!(m.current_holders().len(), 2);
    assert_eq!(m.current_holders()[1].name.as_deref(), Some("Amandier SA"));
    assert_eq!(m.holders[1].id_type, "TVA");
}

// ---------------------------------------------------------------- real exports

fn peer_fixture(name: &str) -> serde_json::Value {
    serde_json::from_str(
        &fs::read_to_string(data(&format!("real/{name}.peer_by_year.json"))).unwrap(),
    )
    .unwrap()
}

#[test]
fn real_dematis13_counts_and_by_year_match_the_peer() {
    let d = read_file("real/dematis13.json");
    let a = d.accounting;
    assert_eq!(
        (a.read, a.accepted, a.rejected, a.duplicates),
        (137, 137, 0, 0)
    );
    assert_eq!((a.id_collisions, a.warnings), (0, 0));
    assert_eq!(
        d.contracts
            .iter()
            .filter(|c| !c.modifications.is_empty())
            .count(),
        3
    );
    let report = Actuals::new().add_all(&d).finish();
    assert_eq!(
        serde_json::to_value(decp::by_year(&report.marches)).unwrap(),
        peer_fixture("dematis13")
    );
    let s2024 = report.marches.total("social", 2024).unwrap();
    assert_eq!(s2024.purchases, 131);
    assert_eq!(report.marches.total("social", 2023).unwrap().purchases, 6);
}

#[test]
fn real_dematis27_counts_and_by_year_match_the_peer() {
    let d = read_file("real/dematis27.json");
    let a = d.accounting;
    assert_eq!(
        (a.read, a.accepted, a.rejected, a.duplicates),
        (118, 118, 0, 0)
    );
    assert_eq!((d.contracts.len(), d.concessions.len()), (117, 1));
    assert_eq!(a.warnings, 0);
    let report = Actuals::new().add_all(&d).finish();
    assert_eq!(
        serde_json::to_value(decp::by_year(&report.marches)).unwrap(),
        peer_fixture("dematis27")
    );
    // 9 innovative marchés in the file, all years together
    let innovative: u64 = report
        .marches
        .years()
        .iter()
        .map(|y| report.marches.total("innovative", *y).unwrap().count)
        .sum();
    assert_eq!(innovative, 9);
    // the concession is signed in 2021
    assert_eq!(report.concessions.years(), [2021]);
    assert_eq!(
        report
            .concessions
            .total("social", 2021)
            .unwrap()
            .value
            .to_string(),
        "53014900.00"
    );
}

#[test]
fn real_megalis_type_keys_and_empty_modifications_are_warned() {
    let d = read_file("real/megalis_decp-59920013600241-2024-07-09-01.json");
    let a = d.accounting;
    assert_eq!((a.read, a.accepted, a.rejected), (5, 5, 0));
    assert_eq!(a.warnings, 10);
    assert_eq!(fields(&d).iter().filter(|f| **f == "_type").count(), 5);
    assert_eq!(
        fields(&d).iter().filter(|f| **f == "modifications").count(),
        5
    );
    let report = Actuals::new().add_all(&d).finish();
    let m = report.marches.total("social", 2024).unwrap();
    assert_eq!(
        (m.purchases, m.value.to_string()),
        (5, "247122.22".to_string())
    );
    assert_eq!(m.count, 0);
}

// ---------------------------------------------------------------- FACTS §12 deviations

#[test]
fn booleans_as_strings_are_read_with_a_warning() {
    for (raw, expected) in [
        ("\"oui\"", true),
        ("\"non\"", false),
        ("\"1\"", true),
        ("\"0\"", false),
        ("1", true),
        ("\"true\"", true),
    ] {
        let d = read_str(&marche(&format!("\"marcheInnovant\":{raw}")));
        assert_eq!(d.contracts[0].innovative, Some(expected), "{raw}");
        assert_eq!(d.warnings[0].field, "marcheInnovant");
        assert_eq!(d.warnings[0].value, raw);
        assert_eq!(d.warnings[0].id.as_deref(), Some("M1"));
        assert_eq!(d.warnings[0].record, 0);
    }
}

#[test]
fn nc_for_missing_values_is_left_empty_with_a_warning() {
    let d = read_str(&marche(r#""offresRecues":"NC","ccag":"NC""#));
    assert_eq!(d.contracts[0].offers_received, None);
    assert_eq!(d.contracts[0].ccag, None);
    assert_eq!(fields(&d), ["offresRecues", "ccag"]);
}

#[test]
fn nc_amount_rejects_the_record_with_its_reason() {
    let json = r#"{"marches":{"marche":[{"id":"X","acheteur":{"id":"21350238800019"},"dateNotification":"2024-05-02","montant":"NC"}]}}"#;
    let d = read_str(json);
    assert_eq!(d.accounting.rejected, 1);
    assert_eq!(d.rejected[0].reason, "no usable montant (published \"NC\")");
    assert_eq!(d.rejected[0].id.as_deref(), Some("X"));
    assert!(d.accounting.balances());
}

#[test]
fn missing_date_rejects_the_record() {
    let json = r#"{"marches":{"marche":[{"id":"X","montant":1000}]}}"#;
    let d = read_str(json);
    assert_eq!(d.rejected[0].reason, "no usable dateNotification (missing)");
}

#[test]
fn numbers_as_strings_are_read_with_a_warning() {
    let json = r#"{"marches":{"marche":[{"id":"M1","acheteur":{"id":"21350238800019"},"dateNotification":"2024-05-02","montant":"125 000,50","dureeMois":"12","offresRecues":3.0}]}}"#;
    let d = read_str(json);
    let c = &d.contracts[0];
    assert_eq!(c.amount, Some(amount("125000.50")));
    assert_eq!(c.duration_months, Some(12));
    assert_eq!(c.offers_received, Some(3));
    assert_eq!(
        fields(&d),
        [
            "montant",
            "dureeMois",
            "offresRecues",
            "considerationsSociales",
            "considerationsEnvironnementales"
        ]
    );
}

#[test]
fn curly_apostrophes_in_considerations_and_procedures_are_normalised() {
    let d = read_str(&marche(
        r#""procedure":"Appel d’offres ouvert","considerationsEnvironnementales":{"considerationEnvironnementale":["Critère environnemental "]},"considerationsSociales":{"considerationSociale":["Pas de considération sociale"]}"#,
    ));
    let c = &d.contracts[0];
    assert_eq!(c.procedure.as_deref(), Some("Appel d'offres ouvert"));
    assert_eq!(
        c.environmental.as_ref().unwrap()[0].instrument,
        Instrument::AwardCriterion
    );
    assert_eq!(c.social, Some(vec![]));
    assert_eq!(fields(&d), ["procedure", "considerationsEnvironnementales"]);
}

#[test]
fn considerations_as_wrapped_list_bare_list_or_single_string_are_read() {
    let wrapped = read_str(&marche(
        r#""considerationsSociales":{"considerationSociale":["Clause sociale"]},"considerationsEnvironnementales":{"considerationEnvironnementale":["Pas de considération environnementale"]}"#,
    ));
    assert!(wrapped.warnings.is_empty());
    let bare = read_str(&marche(
        r#""considerationsSociales":["Clause sociale"],"considerationsEnvironnementales":{"considerationEnvironnementale":"Clause environnementale"}"#,
    ));
    let single = read_str(&marche(
        r#""considerationsSociales":"Marché réservé","considerationsEnvironnementales":{"considerationEnvironnementale":[]}"#,
    ));
    let c = &bare.contracts[0];
    assert_eq!(c.social.as_ref().unwrap()[0].dimension, Dimension::Social);
    assert_eq!(
        c.environmental.as_ref().unwrap()[0].instrument,
        Instrument::ExecutionClause
    );
    assert_eq!(
        fields(&bare),
        ["considerationsSociales", "considerationsEnvironnementales"]
    );
    let c = &single.contracts[0];
    assert_eq!(
        c.social.as_ref().unwrap()[0].instrument,
        Instrument::ReservedContract
    );
    // an empty list is unknown, not "no consideration"
    assert_eq!(c.environmental, None);
    assert_eq!(
        fields(&single),
        ["considerationsSociales", "considerationsEnvironnementales"]
    );
}

#[test]
fn type_keys_in_2024_files_are_warned_and_2019_type_picks_the_kind() {
    let d = read_str(&marche(r#""_type":"Marché""#));
    assert_eq!(fields(&d), ["_type"]);
    let d = read_str(
        r#"{"marches":[{"_type":"Contrat de concession","id":"C","autoriteConcedante":{"id":"21350238800019"},"dateSignature":"2020-01-01","valeurGlobale":1000}]}"#,
    );
    assert_eq!(d.concessions.len(), 1);
    assert!(d.warnings.is_empty());
}

#[test]
fn empty_arrays_are_warned_and_not_kept() {
    let d = read_str(&marche(
        r#""modifications":[],"titulaires":[],"techniques":{"technique":[]}"#,
    ));
    let c = &d.contracts[0];
    assert!(c.modifications.is_empty() && c.holders.is_empty() && c.techniques.is_empty());
    assert_eq!(fields(&d), ["modifications", "titulaires", "techniques"]);
}

#[test]
fn legacy_procedure_names_map_to_the_2024_list() {
    for (legacy, current) in [
        (
            "Procédure concurrentielle avec négociation",
            "Procédure avec négociation",
        ),
        (
            "Procédure négociée avec mise en concurrence préalable",
            "Procédure avec négociation",
        ),
        (
            "Marché négocié sans publicité ni mise en concurrence préalable",
            "Marché passé sans publicité ni mise en concurrence préalable",
        ),
    ] {
        let d = read_str(&marche(&format!("\"procedure\":\"{legacy}\"")));
        assert_eq!(d.contracts[0].procedure.as_deref(), Some(current));
        assert_eq!(fields(&d), ["procedure"]);
    }
}

#[test]
fn dates_with_a_time_zone_suffix_keep_the_day_with_a_warning() {
    let json = r#"{"marches":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":1000,"dateNotification":"2019-03-04+01:00","datePublicationDonnees":"2019-03-05T10:00:00Z"}]}"#;
    let d = read_str(json);
    assert_eq!(
        d.contracts[0].notification_date.unwrap().to_string(),
        "2019-03-04"
    );
    assert_eq!(fields(&d), ["dateNotification", "datePublicationDonnees"]);
}

#[test]
fn cpv_with_or_without_check_digit_is_the_same_code() {
    let a = read_str(&marche(r#""nature":"Marché""#));
    let json = marche(r#""nature":"Marché""#).replace("\"45000000\"", "\"45000000-7\"");
    let b = read_str(&json);
    assert_eq!(a.contracts[0].cpv, b.contracts[0].cpv);
    assert!(a.warnings.is_empty() && b.warnings.is_empty());
    let bad = read_str(&marche(r#""nature":"Marché""#).replace("\"45000000\"", "\"4500\""));
    assert_eq!(bad.contracts[0].cpv, None);
    assert_eq!(bad.contracts[0].extra["codeCPV"], "\"4500\"");
    assert_eq!(fields(&bad), ["codeCPV"]);
}

#[test]
fn absurd_amounts_are_kept_and_flagged_as_outliers() {
    // 2e11 is above the sanity bound but representable: counted as published.
    let d = read_str(
        r#"{"marches":{"marche":[{"id":"A","acheteur":{"id":"21350238800019"},"dateNotification":"2024-01-01","montant":2e11}]}}"#,
    );
    assert!(d.contracts[0].outlier);
    assert_eq!(d.contracts[0].amount, Some(amount("200000000000")));
    assert_eq!(fields(&d)[0], "montant");
    // 1e17 is beyond any exact amount: kept raw, flagged, left out of the indicators.
    let d = read_str(
        r#"{"marches":{"marche":[{"id":"B","acheteur":{"id":"21350238800019"},"dateNotification":"2024-01-01","montant":1e17}]}}"#,
    );
    assert_eq!((d.accounting.accepted, d.accounting.rejected), (1, 0));
    assert!(d.contracts[0].outlier);
    assert_eq!(d.contracts[0].amount, None);
    assert_eq!(d.contracts[0].extra["montant"], "1e17");
    let report = Actuals::new().add_all(&d).finish();
    assert!(report.marches.rows.is_empty());
}

#[test]
fn invalid_siret_is_kept_raw_with_a_warning() {
    let d = read_str(&marche(r#""nature":"Marché""#).replace("21350238800019", "21350238800018"));
    let c = &d.contracts[0];
    assert_eq!(c.buyer.as_ref().unwrap().as_str(), "21350238800018");
    assert!(c.buyer.as_ref().unwrap().siret().is_none());
    assert_eq!(fields(&d), ["acheteur.id"]);
}

// ---------------------------------------------------------------- duplicates, collisions, modifications

#[test]
fn identical_records_count_once_whatever_their_key_order() {
    let a = r#"{"id":"1","acheteur":{"id":"21350238800019"},"montant":1000,"dateNotification":"2024-01-01"}"#;
    let b = r#"{ "dateNotification":"2024-01-01", "montant":1000, "acheteur":{"id":"21350238800019"}, "id":"1" }"#;
    let d = read_str(&format!(r#"{{"marches":{{"marche":[{a},{b},{a}]}}}}"#));
    assert_eq!(d.accounting.read, 3);
    assert_eq!(d.accounting.accepted, 3);
    assert_eq!(d.accounting.duplicates, 2);
    assert_eq!(d.contracts.len(), 1);
    assert_eq!(
        d.duplicates.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [1, 2]
    );
    let r = Actuals::new().add_all(&d).finish();
    assert_eq!(r.marches.total("social", 2024).unwrap().purchases, 1);
}

#[test]
fn same_buyer_and_id_with_different_content_are_distinct_contracts() {
    let lot = |n: u32| {
        format!(
            r#"{{"id":"LOTS","acheteur":{{"id":"21350238800019"}},"objet":"lot {n}","montant":{},"dateNotification":"2024-01-01"}}"#,
            1000 * n
        )
    };
    let records: Vec<String> = (1..=47).map(lot).collect();
    let d = read_str(&format!(
        r#"{{"marches":{{"marche":[{}]}}}}"#,
        records.join(",")
    ));
    assert_eq!(d.contracts.len(), 47);
    assert_eq!(d.accounting.id_collisions, 46);
    assert_eq!(d.accounting.duplicates, 0);
    assert_eq!(fields(&d).iter().filter(|f| **f == "id").count(), 46);
    let r = Actuals::new().add_all(&d).finish();
    assert_eq!(r.marches.total("social", 2024).unwrap().purchases, 47);
}

#[test]
fn current_values_come_from_the_last_modification_by_id_not_by_position() {
    let d = read_str(&marche(
        r#""modifications":[
          {"modification":{"id":3,"dureeMois":30,"dateNotificationModification":"2024-09-01","datePublicationDonneesModification":"2024-09-02"}},
          {"modification":{"id":2,"montant":70000,"dateNotificationModification":"2024-08-01","datePublicationDonneesModification":"2024-08-02"}},
          {"modification":{"id":1,"montant":60000,"dureeMois":20,"dateNotificationModification":"2024-07-01","datePublicationDonneesModification":"2024-07-02"}}]"#,
    ));
    let c = &d.contracts[0];
    assert_eq!(c.current_amount(), Some(amount("70000")));
    assert_eq!(c.current_duration_months(), Some(30));
    let r = Actuals::new().add_all(&d).finish();
    assert_eq!(
        r.marches.total("social", 2024).unwrap().value.to_string(),
        "70000.00"
    );
}

// ---------------------------------------------------------------- errors, streaming

#[test]
fn syntax_errors_name_the_byte_offset_and_line() {
    let json = "{\"marches\":{\"marche\":[\n{\"id\":\"1\",\n\"montant\":12,,}\n]}}";
    let err = decp::read(json.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Parse);
    assert_eq!(
        err.to_string(),
        "byte 47 (line 3): invalid DECP JSON: expected a quoted key"
    );
    let err = decp::read(&b"{\"marches\":{\"marche\":[{\"id\":\"1\""[..]).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    let err = decp::read(&b"[1,2]"[..]).unwrap_err();
    assert!(err.to_string().contains("byte 0 (line 1)"), "{err}");
    let err = decp::read(&b"{\"other\":1}"[..]).unwrap_err();
    assert!(err.to_string().contains("no \"marches\""), "{err}");
}

#[test]
fn records_that_are_not_objects_are_rejected_not_lost() {
    let d = read_str(
        r#"{"marches":{"marche":[1,"x",null,{"id":"a","montant":5,"dateNotification":"2024-01-01"}]}}"#,
    );
    assert_eq!(d.accounting.read, 4);
    assert_eq!(d.accounting.rejected, 3);
    assert_eq!(d.accounting.accepted, 1);
}

/// A reader that hands out one byte at a time: records straddle every chunk boundary.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

#[test]
fn streaming_in_tiny_reads_gives_the_same_records() {
    let bytes = fs::read(data("official/2024/marches_concessions.json")).unwrap();
    let whole = decp::read(&bytes[..]).unwrap();
    let trickled = decp::read(Trickle(&bytes)).unwrap();
    assert_eq!(whole, trickled);
}

#[test]
fn reader_iterator_yields_every_record_with_its_outcome() {
    let bytes = fs::read(data("official/2019/paquet.json")).unwrap();
    let entries: Vec<_> = DecpReader::new(&bytes[..])
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert!(matches!(
        entries[1].outcome,
        Outcome::Contract(Contract::Concession(_))
    ));
}

// ---------------------------------------------------------------- indicators and audit

#[test]
fn missing_considerations_count_in_the_denominator_and_as_unknown() {
    let json = r#"{"marches":{"marche":[
      {"id":"1","acheteur":{"id":"21350238800019"},"montant":100,"dateNotification":"2024-01-01","considerationsSociales":{"considerationSociale":["Clause sociale","Critère social"]},"considerationsEnvironnementales":{"considerationEnvironnementale":["Pas de considération environnementale"]}},
      {"id":"2","acheteur":{"id":"21350238800019"},"montant":300,"dateNotification":"2024-01-01"}]}}"#;
    let r = decp::indicators(json.as_bytes(), Actuals::new()).unwrap();
    let s = r.marches.total("social", 2024).unwrap();
    assert_eq!((s.purchases, s.count, s.unknown), (2, 1, 1));
    assert_eq!(s.value_share().unwrap().to_string(), "0.25");
    let clause = r.marches.total("social_clause", 2024).unwrap();
    let criterion = r.marches.total("social_criterion", 2024).unwrap();
    assert_eq!((clause.count, criterion.count), (1, 1));
    assert_eq!(r.marches.total("environmental", 2024).unwrap().count, 0);
    assert_eq!(r.accounting.read, 2);
    // breakdown by buyer
    let b = r
        .marches
        .get("social", 2024, spaser::GroupBy::Buyer, "21350238800019")
        .unwrap();
    assert_eq!(b.purchases, 2);
}

#[test]
fn contracts_notified_after_2026_08_22_without_environmental_consideration_are_flagged() {
    // L2112-2 (LCR): the trigger is the launch date, which the DECP does not carry: probable.
    let rec = |id: &str, date: &str, env: &str| {
        format!(
            r#"{{"id":"{id}","acheteur":{{"id":"21350238800019"}},"montant":100000,"dateNotification":"{date}","considerationsEnvironnementales":{{"considerationEnvironnementale":["{env}"]}}}}"#
        )
    };
    let json = format!(
        r#"{{"marches":{{"marche":[{},{},{},{}]}}}}"#,
        rec(
            "before",
            "2026-08-22",
            "Pas de considération environnementale"
        ),
        rec(
            "after",
            "2026-08-23",
            "Pas de considération environnementale"
        ),
        rec("ok", "2026-09-01", "Clause environnementale"),
        rec(
            "after2",
            "2027-01-01",
            "Pas de considération environnementale"
        ),
    );
    let r = decp::indicators(json.as_bytes(), Actuals::new()).unwrap();
    let ids: Vec<&str> = r.audit.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["after", "after2"]);
    assert!(r.audit.iter().all(|f| f.probable && f.article == "L2112-2"));
}

// ---------------------------------------------------------------- writer

fn official_files() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["official/2019", "official/2024", "real"] {
        for e in fs::read_dir(data(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with("peer_by_year.json")
            {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// Keeps only the fields of the 2.0.3 schema (the writer does not write the others).
fn schema_fields_only(d: &mut decp::Dataset) {
    const MARCHE: [&str; 8] = [
        "attributionAvance",
        "tauxAvance",
        "typeGroupementOperateurs",
        "sousTraitanceDeclaree",
        "actesSousTraitance",
        "lieuExecution",
        "origineUE",
        "origineFrance",
    ];
    for c in &mut d.contracts {
        // acheteur.nom is a 1.x field
        c.buyer_name = None;
        c.extra.retain(|k, v| {
            (MARCHE.contains(&k.as_str()) || k == "modificationsActesSousTraitance") && v != "[]"
        });
    }
    for c in &mut d.concessions {
        c.extra.retain(|k, v| k == "donneesExecution" && v != "[]");
    }
}

#[test]
fn official_examples_round_trip_through_the_2024_writer() {
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("decp-written");
    fs::create_dir_all(&out_dir).unwrap();
    for path in official_files() {
        let bytes = fs::read(&path).unwrap();
        let mut first = decp::read(&bytes[..]).unwrap();
        let written = decp::write_2024(&first.contracts, &first.concessions).json;
        let second = decp::read(written.as_bytes()).unwrap();
        // the crate's own output needs no leniency
        // (invalid SIRETs of the examples stay warned; 2019 records have no considerations)
        assert!(
            second
                .warnings
                .iter()
                .all(|w| w.field.ends_with(".id") || w.message.starts_with("missing;")),
            "{path:?}: {:?}",
            second.warnings
        );
        assert_eq!(
            written,
            decp::write_2024(&second.contracts, &second.concessions).json
        );
        schema_fields_only(&mut first);
        assert_eq!(first.contracts, second.contracts, "{path:?}");
        assert_eq!(first.concessions, second.concessions, "{path:?}");
        // CI validates these files against schema_decp_v2.0.3.json
        // (only for sources that are themselves schema-valid: the writer does not invent the
        // fields a 1.x record or a faulty export lacks)
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let dir = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let valid_source = dir == "2024" || name.starts_with("dematis");
        let sub = if valid_source { "valid" } else { "other" };
        fs::create_dir_all(out_dir.join(sub)).unwrap();
        fs::write(out_dir.join(sub).join(format!("{dir}-{name}")), &written).unwrap();
    }
}

#[test]
fn written_json_has_no_type_key_and_no_empty_optional_array() {
    let d = read_file("real/megalis_decp-59920013600241-2024-07-09-01.json");
    let out = decp::write_2024(&d.contracts, &d.concessions).json;
    assert!(!out.contains("_type"));
    assert!(!out.contains("[]"));
    assert!(out.starts_with(
        r#"{"marches":{"marche":[{"id":"H9O2024T0000256","acheteur":{"id":"59920013600241"}"#
    ));
}

#[test]
fn parallel_indicators_equal_the_sequential_ones_on_every_file() {
    for path in official_files() {
        let bytes = fs::read(&path).unwrap();
        let seq = decp::indicators(&bytes[..], Actuals::new()).unwrap();
        let par = decp::indicators_parallel(&bytes[..], Actuals::new()).unwrap();
        assert_eq!(seq, par, "{path:?}");
        let trickled = decp::indicators_parallel(Trickle(&bytes), Actuals::new()).unwrap();
        assert_eq!(seq, trickled, "{path:?}");
    }
    // many records, several batches: the real exports repeated
    let one = fs::read_to_string(data("real/dematis13.json")).unwrap();
    let d: serde_json::Value = serde_json::from_str(&one).unwrap();
    let recs = d["marches"]["marche"].as_array().unwrap();
    let mut many = Vec::new();
    for i in 0..120 {
        for r in recs {
            let mut r = r.clone();
            r["id"] = serde_json::Value::String(format!("{}-{i}", r["id"].as_str().unwrap()));
            many.push(r);
        }
    }
    let big = serde_json::json!({"marches": {"marche": many}}).to_string();
    assert!(big.len() > 3 << 20);
    let seq = decp::indicators(big.as_bytes(), Actuals::new()).unwrap();
    let par = decp::indicators_parallel(big.as_bytes(), Actuals::new()).unwrap();
    assert_eq!(seq, par);
    assert_eq!(par.accounting.read, 137 * 120);
}

#[test]
fn parallel_indicators_report_syntax_errors_like_the_sequential_ones() {
    let json = "{\"marches\":{\"marche\":[\n{\"id\":\"1\",\n\"montant\":12,,}\n]}}";
    let a = decp::indicators(json.as_bytes(), Actuals::new()).unwrap_err();
    let b = decp::indicators_parallel(json.as_bytes(), Actuals::new()).unwrap_err();
    assert_eq!(a.to_string(), b.to_string());
    let b = decp::indicators_parallel(&b"{}"[..], Actuals::new()).unwrap_err();
    assert!(b.to_string().contains("marches"), "{b}");
}

#[test]
fn the_report_text_names_what_each_finding_misses_in_french_and_english() {
    // 22 service contracts notified after 2026-08-22: each without any environmental
    // consideration; the first, of 300,000 euros, also without a social one at the EU threshold
    // (216,000 euros for a local authority's services in 2026).
    let mut records = Vec::new();
    for i in 0..22 {
        records.push(format!(
            r#"{{"id":"S{i:02}","acheteur":{{"id":"21350238800019"}},"dateNotification":"2026-09-{:02}","montant":{},"codeCPV":"79000000","considerationsSociales":{{"considerationSociale":["Pas de considération sociale"]}},"considerationsEnvironnementales":{{"considerationEnvironnementale":["Pas de considération environnementale"]}}}}"#,
            i % 28 + 1,
            if i == 0 { 300_000 } else { 50_000 }
        ));
    }
    let json = format!(r#"{{"marches":{{"marche":[{}]}}}}"#, records.join(","));
    let input =
        decp::Input::from_reader("s.json", std::io::Cursor::new(json.into_bytes())).unwrap();
    let mut reading = decp::Reading::new(decp::Options::default());
    reading.add(input).unwrap();
    let report = reading.finish();
    assert_eq!(report.actuals.audit.len(), 23);
    let social = report
        .actuals
        .audit
        .iter()
        .find(|f| f.check == decp::AuditCheck::SocialAtEuThreshold)
        .unwrap();
    assert_eq!(
        social.text(spaser::Lang::Fr),
        "aucune considération sociale dans un contrat de 300\u{202f}000,00\u{a0}€ HT notifié le \
         1er\u{a0}septembre\u{a0}2026, supérieur ou égal au seuil européen des services \
         (216\u{202f}000,00\u{a0}€ HT, L2124-1), après l'entrée en vigueur de l'obligation le \
         22\u{a0}août\u{a0}2026"
    );
    assert_eq!(
        social.text(spaser::Lang::En),
        "no social consideration in a contract of €300,000.00 excl. VAT notified on \
         1\u{a0}September 2026, at or above the EU threshold for services (€216,000.00 \
         excl. VAT, L2124-1), after the obligation's date, 22\u{a0}August 2026"
    );
    let fr = report.to_text(spaser::Lang::Fr);
    assert!(fr.contains("Audit\u{a0}: 23 manquements probables"), "{fr}");
    assert!(
        fr.contains("… et 3 autres (toutes dans --format json)"),
        "{fr}"
    );
    assert_eq!(
        fr.matches("[L2112-2]").count() + fr.matches("[L2112-2-1]").count(),
        20
    );
    let en = report.to_text(spaser::Lang::En);
    assert!(en.contains("Audit: 23 probable findings"), "{en}");
    assert!(
        en.contains("… and 3 more (all of them in --format json)"),
        "{en}"
    );
    // the same report twice gives the same bytes
    assert_eq!(fr, report.to_text(spaser::Lang::Fr));
}
