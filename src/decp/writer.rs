//! Writing DECP in the 2024 format (schema 2.0.3): wrappers, no `_type`, no empty optional
//! arrays, fields in the schema's order.

use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use super::json::write_str;
use super::model::{AwardedContract, Concession, Considerations, Holder, Modification};
use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// Top-level fields of a marché in the 2.0.3 schema, in its order.
const MARCHE_FIELDS: [&str; 31] = [
    "id",
    "acheteur",
    "nature",
    "objet",
    "codeCPV",
    "techniques",
    "modalitesExecution",
    "idAccordCadre",
    "marcheInnovant",
    "ccag",
    "offresRecues",
    "attributionAvance",
    "tauxAvance",
    "typeGroupementOperateurs",
    "sousTraitanceDeclaree",
    "actesSousTraitance",
    "procedure",
    "lieuExecution",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "typesPrix",
    "formePrix",
    "origineUE",
    "origineFrance",
    "titulaires",
    "considerationsSociales",
    "considerationsEnvironnementales",
    "modificationsActesSousTraitance",
    "modifications",
];

const CONCESSION_FIELDS: [&str; 16] = [
    "id",
    "autoriteConcedante",
    "nature",
    "objet",
    "procedure",
    "dureeMois",
    "dateSignature",
    "datePublicationDonnees",
    "dateDebutExecution",
    "valeurGlobale",
    "montantSubventionPublique",
    "donneesExecution",
    "concessionnaires",
    "considerationsSociales",
    "considerationsEnvironnementales",
    "modifications",
];

fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    out
}

fn wrapped_list(inner: &str, items: &[String]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let list: Vec<String> = items.iter().map(|s| string(s)).collect();
    Some(format!("{{{}:[{}]}}", string(inner), list.join(",")))
}

fn id_object(id: &str) -> String {
    format!("{{\"id\":{}}}", string(id))
}

fn holders(wrapper: &str, hs: &[Holder]) -> Option<String> {
    if hs.is_empty() {
        return None;
    }
    let items: Vec<String> = hs
        .iter()
        .map(|h| {
            let mut o = format!(
                "{{\"typeIdentifiant\":{},\"id\":{}",
                string(&h.id_type),
                string(h.id.as_str())
            );
            if let Some(n) = &h.name {
                o.push_str(&format!(",\"denominationSociale\":{}", string(n)));
            }
            o.push('}');
            format!("{{{}:{o}}}", string(wrapper))
        })
        .collect();
    Some(format!("[{}]", items.join(",")))
}

fn considerations(
    cs: &Considerations,
    inner: &str,
    none: &str,
    concession: bool,
) -> Option<String> {
    let cs = cs.as_ref()?;
    let mut texts: Vec<String> = cs
        .iter()
        .filter_map(|c| {
            if concession {
                c.to_decp_concession()
            } else {
                c.to_decp()
            }
        })
        .map(str::to_string)
        .collect();
    if texts.is_empty() {
        texts.push(none.to_string());
    }
    wrapped_list(inner, &texts)
}

fn modifications(mods: &[Modification], concession: bool) -> Option<String> {
    if mods.is_empty() {
        return None;
    }
    let items: Vec<String> = mods
        .iter()
        .map(|m| {
            let mut f: Vec<(String, String)> = vec![("id".into(), m.id.to_string())];
            let date_key = if concession {
                "dateSignatureModification"
            } else {
                "dateNotificationModification"
            };
            if let Some(d) = m.date {
                f.push((date_key.into(), string(&d.to_string())));
            }
            if let Some(d) = m.publication_date {
                f.push((
                    "datePublicationDonneesModification".into(),
                    string(&d.to_string()),
                ));
            }
            if let Some(n) = m.duration_months {
                f.push(("dureeMois".into(), n.to_string()));
            }
            if let Some(a) = m.amount {
                let key = if concession {
                    "valeurGlobale"
                } else {
                    "montant"
                };
                f.push((key.into(), a.to_string()));
            }
            if let Some(hs) = &m.holders {
                let (key, wrapper) = if concession {
                    ("concessionnaires", "concessionnaire")
                } else {
                    ("titulaires", "titulaire")
                };
                if let Some(h) = holders(wrapper, hs) {
                    f.push((key.into(), h));
                }
            }
            for (k, v) in &m.extra {
                if !f.iter().any(|(x, _)| x == k) && v != "[]" {
                    f.push((k.clone(), v.clone()));
                }
            }
            let body: Vec<String> = f
                .iter()
                .map(|(k, v)| format!("{}:{v}", string(k)))
                .collect();
            format!("{{\"modification\":{{{}}}}}", body.join(","))
        })
        .collect();
    Some(format!("[{}]", items.join(",")))
}

fn object(order: &[&str], fields: BTreeMap<&str, String>) -> String {
    let body: Vec<String> = order
        .iter()
        .filter_map(|k| fields.get(k).map(|v| format!("{}:{v}", string(k))))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Extra fields (raw JSON) that the schema lists, except empty arrays.
fn extras<'a>(fields: &mut BTreeMap<&'a str, String>, extra: &'a BTreeMap<String, String>) {
    for (k, v) in extra {
        if v != "[]" {
            fields.entry(k.as_str()).or_insert_with(|| v.clone());
        }
    }
}

fn marche_json(c: &AwardedContract) -> String {
    let mut f: BTreeMap<&str, String> = BTreeMap::new();
    f.insert("id", string(&c.id));
    if let Some(b) = &c.buyer {
        f.insert("acheteur", id_object(b.as_str()));
    }
    let opt = |f: &mut BTreeMap<&str, String>, k: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            f.insert(k, string(v));
        }
    };
    opt(&mut f, "nature", &c.nature);
    opt(&mut f, "objet", &c.object);
    if let Some(cpv) = c.cpv {
        f.insert("codeCPV", string(cpv.as_str()));
    }
    if let Some(t) = wrapped_list("technique", &c.techniques) {
        f.insert("techniques", t);
    }
    if let Some(t) = wrapped_list("modaliteExecution", &c.execution_modes) {
        f.insert("modalitesExecution", t);
    }
    opt(&mut f, "idAccordCadre", &c.framework_id);
    if let Some(b) = c.innovative {
        f.insert("marcheInnovant", b.to_string());
    }
    opt(&mut f, "ccag", &c.ccag);
    if let Some(n) = c.offers_received {
        f.insert("offresRecues", n.to_string());
    }
    opt(&mut f, "procedure", &c.procedure);
    if let Some(n) = c.duration_months {
        f.insert("dureeMois", n.to_string());
    }
    if let Some(d) = c.notification_date {
        f.insert("dateNotification", string(&d.to_string()));
    }
    if let Some(d) = c.publication_date {
        f.insert("datePublicationDonnees", string(&d.to_string()));
    }
    if let Some(a) = c.amount {
        f.insert("montant", a.to_string());
    }
    if let Some(t) = wrapped_list("typePrix", &c.price_types) {
        f.insert("typesPrix", t);
    }
    opt(&mut f, "formePrix", &c.price_form);
    if let Some(h) = holders("titulaire", &c.holders) {
        f.insert("titulaires", h);
    }
    if let Some(s) = considerations(
        &c.social,
        "considerationSociale",
        "Pas de considération sociale",
        false,
    ) {
        f.insert("considerationsSociales", s);
    }
    if let Some(s) = considerations(
        &c.environmental,
        "considerationEnvironnementale",
        "Pas de considération environnementale",
        false,
    ) {
        f.insert("considerationsEnvironnementales", s);
    }
    if let Some(m) = modifications(&c.modifications, false) {
        f.insert("modifications", m);
    }
    extras(&mut f, &c.extra);
    object(&MARCHE_FIELDS, f)
}

fn concession_json(c: &Concession) -> String {
    let mut f: BTreeMap<&str, String> = BTreeMap::new();
    f.insert("id", string(&c.id));
    if let Some(b) = &c.authority {
        f.insert("autoriteConcedante", id_object(b.as_str()));
    }
    for (k, v) in [
        ("nature", &c.nature),
        ("objet", &c.object),
        ("procedure", &c.procedure),
    ] {
        if let Some(v) = v {
            f.insert(k, string(v));
        }
    }
    if let Some(n) = c.duration_months {
        f.insert("dureeMois", n.to_string());
    }
    for (k, d) in [
        ("dateSignature", c.signature_date),
        ("datePublicationDonnees", c.publication_date),
        ("dateDebutExecution", c.start_date),
    ] {
        if let Some(d) = d {
            f.insert(k, string(&d.to_string()));
        }
    }
    if let Some(a) = c.value {
        f.insert("valeurGlobale", a.to_string());
    }
    if let Some(a) = c.public_subsidy {
        f.insert("montantSubventionPublique", a.to_string());
    }
    if let Some(h) = holders("concessionnaire", &c.holders) {
        f.insert("concessionnaires", h);
    }
    if let Some(s) = considerations(
        &c.social,
        "considerationSociale",
        "Pas de considération sociale",
        true,
    ) {
        f.insert("considerationsSociales", s);
    }
    if let Some(s) = considerations(
        &c.environmental,
        "considerationEnvironnementale",
        "Pas de considération environnementale",
        true,
    ) {
        f.insert("considerationsEnvironnementales", s);
    }
    if let Some(m) = modifications(&c.modifications, true) {
        f.insert("modifications", m);
    }
    extras(&mut f, &c.extra);
    object(&CONCESSION_FIELDS, f)
}

/// What the schema 2.0.3 requires and a written record lacks or breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WriteIssue {
    /// `marche` or `concession`.
    pub contract: String,
    /// Index of the record in the slice given to the writer.
    pub index: usize,
    /// The record's id.
    pub id: String,
    /// The field (DECP name).
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

/// The JSON written by [`write_2024`] and what in it does not validate against the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Written {
    /// The document.
    pub json: String,
    /// The records' departures from the schema 2.0.3 (required fields missing, identifiers
    /// that break their pattern or length), in record order. Empty when the document
    /// validates.
    pub issues: Vec<WriteIssue>,
}

impl Written {
    /// Whether the document validates against the schema 2.0.3 (as far as the writer checks:
    /// required fields, identifiers' patterns and lengths, non-empty required lists).
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }
}

/// Checks one record's fields against the schema's requirements.
fn validate_marche(i: usize, c: &AwardedContract, issues: &mut Vec<WriteIssue>) {
    let mut issue = |field: &str, problem: &str| {
        issues.push(WriteIssue {
            contract: "marche".to_string(),
            index: i,
            id: excerpt(&c.id).into_owned(),
            field: field.to_string(),
            problem: problem.to_string(),
        })
    };
    id_issues(&c.id, &mut issue);
    match &c.buyer {
        None => issue("acheteur", "required, missing"),
        Some(b) if b.siret().is_none() => {
            issue("acheteur.id", "not 14 digits passing the SIRET check")
        }
        Some(_) => {}
    }
    for (field, missing) in [
        ("nature", c.nature.is_none()),
        ("objet", c.object.is_none()),
        ("codeCPV", c.cpv.is_none()),
        ("techniques", c.techniques.is_empty()),
        ("modalitesExecution", c.execution_modes.is_empty()),
        ("marcheInnovant", c.innovative.is_none()),
        ("ccag", c.ccag.is_none()),
        ("offresRecues", c.offers_received.is_none()),
        ("procedure", c.procedure.is_none()),
        ("dureeMois", c.duration_months.is_none()),
        ("dateNotification", c.notification_date.is_none()),
        ("datePublicationDonnees", c.publication_date.is_none()),
        ("montant", c.amount.is_none()),
        ("typesPrix", c.price_types.is_empty()),
        ("formePrix", c.price_form.is_none()),
        ("titulaires", c.holders.is_empty()),
        ("considerationsSociales", c.social.is_none()),
        ("considerationsEnvironnementales", c.environmental.is_none()),
        (
            "attributionAvance",
            !c.extra.contains_key("attributionAvance"),
        ),
        (
            "typeGroupementOperateurs",
            !c.extra.contains_key("typeGroupementOperateurs"),
        ),
        ("lieuExecution", !c.extra.contains_key("lieuExecution")),
        (
            "sousTraitanceDeclaree",
            !c.extra.contains_key("sousTraitanceDeclaree"),
        ),
    ] {
        if missing {
            issue(field, "required, missing");
        }
    }
    if c.object.as_ref().is_some_and(|o| o.chars().count() > 1000) {
        issue("objet", "longer than 1000 characters");
    }
    holder_issues(&c.holders, "titulaires.id", &mut issue);
    if c.outlier {
        issue("montant", "an outlier amount, kept as published");
    }
}

fn id_issues(id: &str, issue: &mut impl FnMut(&str, &str)) {
    let n = id.chars().count();
    if n == 0 {
        issue("id", "required, missing or empty");
    } else if n > 16 {
        issue("id", "longer than 16 characters");
    }
}

fn holder_issues(hs: &[Holder], field: &str, issue: &mut impl FnMut(&str, &str)) {
    for h in hs {
        if h.id_type == "SIRET" && h.id.siret().is_none() {
            issue(field, "a SIRET that fails the check");
        }
    }
}

fn validate_concession(i: usize, c: &Concession, issues: &mut Vec<WriteIssue>) {
    let mut issue = |field: &str, problem: &str| {
        issues.push(WriteIssue {
            contract: "concession".to_string(),
            index: i,
            id: excerpt(&c.id).into_owned(),
            field: field.to_string(),
            problem: problem.to_string(),
        })
    };
    id_issues(&c.id, &mut issue);
    match &c.authority {
        None => issue("autoriteConcedante", "required, missing"),
        Some(b) if b.siret().is_none() => issue(
            "autoriteConcedante.id",
            "not 14 digits passing the SIRET check",
        ),
        Some(_) => {}
    }
    for (field, missing) in [
        ("nature", c.nature.is_none()),
        ("objet", c.object.is_none()),
        ("procedure", c.procedure.is_none()),
        ("dureeMois", c.duration_months.is_none()),
        ("dateSignature", c.signature_date.is_none()),
        ("datePublicationDonnees", c.publication_date.is_none()),
        ("dateDebutExecution", c.start_date.is_none()),
        ("valeurGlobale", c.value.is_none()),
        ("montantSubventionPublique", c.public_subsidy.is_none()),
        ("concessionnaires", c.holders.is_empty()),
        ("considerationsSociales", c.social.is_none()),
        ("considerationsEnvironnementales", c.environmental.is_none()),
    ] {
        if missing {
            issue(field, "required, missing");
        }
    }
    holder_issues(&c.holders, "concessionnaires.id", &mut issue);
}

/// Writes marchés and concessions as one DECP 2024 (schema 2.0.3) JSON document, compact and
/// deterministic: `{"marches":{"marche":[…],"contrat-concession":[…]}}`, with the list of what
/// does not validate against the schema ([`Written::issues`]): the writer never invents a
/// missing value, so invalid input is reported, not passed through silently.
///
/// Lists are written with their wrappers (`{"titulaire": …}`, `{"modification": …}`,
/// `{"considerationSociale": [...]}`), empty lists are omitted, known considerations are written
/// with the schema's spelling (`Some(vec![])` as "Pas de considération …"), amounts as exact
/// JSON numbers. Fields kept in `extra` are written back when the schema has them (values that
/// could not be read are written as published); other fields (`uid`, 1.x-only fields) are not.
///
/// ```
/// let json = r#"{"marches":[{"_type":"Marché","id":"1","acheteur":{"id":"21350238800019"},
///   "montant":127000,"dateNotification":"2019-08-13","modifications":[]}]}"#;
/// let data = spaser::decp::read(json.as_bytes())?;
/// let out = spaser::decp::write_2024(&data.contracts, &data.concessions);
/// assert_eq!(out.json, r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},"dateNotification":"2019-08-13","montant":127000.00}]}}"#);
/// assert!(!out.is_valid()); // a 2019 record lacks what 2024 requires
/// assert!(out.issues.iter().any(|i| i.field == "considerationsSociales"));
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn write_2024(contracts: &[AwardedContract], concessions: &[Concession]) -> Written {
    let mut issues = Vec::new();
    let mut out = String::from("{\"marches\":{");
    if !contracts.is_empty() {
        out.push_str("\"marche\":[");
        for (i, c) in contracts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&marche_json(c));
            validate_marche(i, c, &mut issues);
        }
        out.push(']');
    }
    if !concessions.is_empty() {
        if !contracts.is_empty() {
            out.push(',');
        }
        out.push_str("\"contrat-concession\":[");
        for (i, c) in concessions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&concession_json(c));
            validate_concession(i, c, &mut issues);
        }
        out.push(']');
    }
    out.push_str("}}");
    Written { json: out, issues }
}

/// Writes the document of [`write_2024`] to `w` and returns what does not validate.
///
/// # Errors
/// [`ErrorKind::Io`] when writing fails.
///
/// ```
/// let mut out = Vec::new();
/// let issues = spaser::decp::write_2024_to(&mut out, &[], &[])?;
/// assert_eq!(out, br#"{"marches":{}}"#);
/// assert!(issues.is_empty());
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn write_2024_to(
    mut w: impl Write,
    contracts: &[AwardedContract],
    concessions: &[Concession],
) -> Result<Vec<WriteIssue>> {
    let written = write_2024(contracts, concessions);
    w.write_all(written.json.as_bytes())
        .map_err(|e| Error::new(ErrorKind::Io, "writing DECP JSON").with_source(e))?;
    Ok(written.issues)
}
