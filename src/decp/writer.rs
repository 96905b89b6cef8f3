//! Writing DECP in the 2024 format (schema 2.0.3): wrappers, no `_type`, no empty optional
//! arrays, fields in the schema's order.

use std::collections::BTreeMap;
use std::io::Write;

use super::json::write_str;
use super::model::{AwardedContract, Concession, Considerations, Holder, Modification};
use crate::error::{Error, ErrorKind, Result};

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

/// Writes marchés and concessions as one DECP 2024 (schema 2.0.3) JSON document, compact and
/// deterministic: `{"marches":{"marche":[…],"contrat-concession":[…]}}`.
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
/// assert_eq!(out, r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},"dateNotification":"2019-08-13","montant":127000.00}]}}"#);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn write_2024(contracts: &[AwardedContract], concessions: &[Concession]) -> String {
    let mut out = String::from("{\"marches\":{");
    if !contracts.is_empty() {
        out.push_str("\"marche\":[");
        for (i, c) in contracts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&marche_json(c));
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
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

/// Writes the document of [`write_2024`] to `w`.
///
/// # Errors
/// [`ErrorKind::Io`] when writing fails.
///
/// ```
/// let mut out = Vec::new();
/// spaser::decp::write_2024_to(&mut out, &[], &[])?;
/// assert_eq!(out, br#"{"marches":{}}"#);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn write_2024_to(
    mut w: impl Write,
    contracts: &[AwardedContract],
    concessions: &[Concession],
) -> Result<()> {
    w.write_all(write_2024(contracts, concessions).as_bytes())
        .map_err(|e| Error::new(ErrorKind::Io, "writing DECP JSON").with_source(e))
}
