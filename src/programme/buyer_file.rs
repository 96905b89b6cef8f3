//! The buyer profile file: who the buyer is (name, SIRET, legal status, the column of EU
//! thresholds, département) and what it spends under public contracts each year.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::programme::columns::words;
use crate::programme::files::{Scalar, is_toml, parse_json, parse_toml, read_text};
use crate::programme::model::Buyer;
use crate::util::text::excerpt;
use crate::values::buyer_kind::{BuyerKind, BuyerStatus};
use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR};
use crate::values::money::Amount;
use crate::values::place::Departement;
use crate::values::siret::Siret;

/// The profile as written (JSON or TOML; French keys accepted).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    #[serde(alias = "nom")]
    name: String,
    #[serde(default)]
    siret: Option<Scalar>,
    #[serde(default, alias = "statut")]
    status: Option<String>,
    #[serde(default, alias = "eu_threshold_column", alias = "colonne_seuils")]
    kind: Option<String>,
    #[serde(default, alias = "département")]
    departement: Option<Scalar>,
    #[serde(default, alias = "dépenses", alias = "depenses")]
    expenditure: BTreeMap<String, Scalar>,
}

fn field_error(field: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("buyer profile, field \"{field}\": {e}"),
    )
}

/// A legal status in English (`local_authority`) or French (`collectivité territoriale`,
/// `EPCI`, `hôpital`, `établissement public de l'État`…).
fn status_of(text: &str) -> Result<BuyerStatus> {
    if let Ok(s) = text.parse::<BuyerStatus>() {
        return Ok(s);
    }
    let key = words(text).join(" ");
    let has = |w: &str| key.contains(w);
    let s = if key == "etat" || key == "l etat" || has("ministere") && !has("armee") {
        BuyerStatus::State
    } else if has("armee") || has("defense") || has("defence") {
        BuyerStatus::Defence
    } else if has("etablissement public de sante")
        || has("hopital")
        || has("chu")
        || has("hospital")
    {
        BuyerStatus::Hospital
    } else if has("etablissement public de l etat") || has("universite") || has("epscp") {
        BuyerStatus::StatePublicEstablishment
    } else if has("collectivite")
        || has("commune")
        || has("departement")
        || has("region")
        || has("epci")
        || has("metropole")
        || has("communaute")
        || has("syndicat")
        || has("groupement de collectivites")
    {
        BuyerStatus::LocalAuthority
    } else if has("entite adjudicatrice") {
        BuyerStatus::Utility
    } else if has("statut fixe par la loi") || has("statut est fixe par la loi") {
        BuyerStatus::StatutoryBody
    } else if has("pouvoir adjudicateur") {
        BuyerStatus::OtherContractingAuthority
    } else {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "buyer status \"{}\" is unknown; accepted: {} (or in French: État, établissement public de l'État, collectivité territoriale, hôpital, entité adjudicatrice, ministère des armées, autre pouvoir adjudicateur)",
                excerpt(text),
                BuyerStatus::ALL.map(|b| b.as_str()).join(", ")
            ),
        ));
    };
    Ok(s)
}

impl TryFrom<Profile> for Buyer {
    type Error = Error;
    fn try_from(p: Profile) -> Result<Buyer> {
        let name = p.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                "buyer profile, field \"name\": the name is empty",
            ));
        }
        let status = p
            .status
            .as_deref()
            .map(status_of)
            .transpose()
            .map_err(|e| field_error("status", e))?;
        let kind = match &p.kind {
            Some(k) => k.parse::<BuyerKind>().map_err(|e| field_error("kind", e))?,
            None => status.map_or(BuyerKind::OtherContractingAuthority, |s| s.default_kind()),
        };
        let mut buyer = Buyer::new(name, kind);
        buyer.status = status;
        buyer.siret = p
            .siret
            .map(|s| Siret::parse(&s.text()))
            .transpose()
            .map_err(|e| field_error("siret", e))?;
        buyer.departement = p
            .departement
            .map(|d| Departement::parse(&d.text()))
            .transpose()
            .map_err(|e| field_error("departement", e))?;
        for (y, v) in &p.expenditure {
            let field = format!("expenditure.{}", excerpt(y));
            let year: i32 = y
                .trim()
                .parse()
                .ok()
                .filter(|y| (EARLIEST_YEAR..=LATEST_YEAR).contains(y))
                .ok_or_else(|| {
                    field_error(
                        &field,
                        format!(
                            "year \"{}\" is not a calendar year in {EARLIEST_YEAR}-{LATEST_YEAR}",
                            excerpt(y)
                        ),
                    )
                })?;
            let amount = Amount::parse_localized(&v.text()).map_err(|e| field_error(&field, e))?;
            buyer.expenditure.insert(year, amount);
        }
        Ok(buyer)
    }
}

impl Buyer {
    /// Reads a buyer profile from JSON.
    ///
    /// Fields (French keys in brackets): `name` (`nom`), optional `siret`, `status`
    /// (`statut`: `state`, `state_public_establishment`, `local_authority`, `hospital`,
    /// `statutory_body`, `other_contracting_authority`, `utility`, `defence`, or in French
    /// `État`, `collectivité territoriale`, `EPCI`, `hôpital`…), `kind` (the column of EU
    /// thresholds; by default the one of the status, [`BuyerStatus::default_kind`]),
    /// `departement`, and `expenditure` (`dépenses`): by calendar year, the euros HT spent
    /// under all its public contracts, Livre V excluded — what D2111-3 compares with the
    /// SPASER threshold (numbers, or texts such as `"62 000 000 €"`). The format of
    /// [`Buyer`]'s own JSON is accepted too.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or an unknown field (naming it);
    /// [`ErrorKind::InvalidValue`] naming the field for a bad status, kind, SIRET,
    /// département, year or amount; [`ErrorKind::Missing`] for an empty name.
    ///
    /// ```
    /// use spaser::{Buyer, BuyerKind, BuyerStatus};
    /// let b = Buyer::from_json(r#"{"nom": "Université de Valmont", "statut": "établissement public de l'État",
    ///                              "dépenses": {"2025": "62 000 000 €"}}"#)?;
    /// assert_eq!(b.status, Some(BuyerStatus::StatePublicEstablishment));
    /// assert_eq!(b.kind, BuyerKind::OtherContractingAuthority);
    /// assert_eq!(b.expenditure[&2025].to_string(), "62000000.00");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Buyer> {
        let p: Profile = parse_json(json, "buyer profile")?;
        Buyer::try_from(p)
    }

    /// Reads a buyer profile from TOML (the fields of [`Buyer::from_json`]; keys with accents
    /// are quoted in TOML, `"dépenses"`, or written without, `depenses`): TOML is what people
    /// write by hand (comments, no braces, no quotes around keys), and a profile is written
    /// by hand.
    ///
    /// # Errors
    /// As [`Buyer::from_json`], for TOML.
    ///
    /// ```
    /// let b = spaser::Buyer::from_toml("nom = \"Ville de Valmont\"\nstatut = \"commune\"\n\n[depenses]\n2025 = 48000000\n")?;
    /// assert_eq!(b.expenditure[&2025].to_string(), "48000000.00");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<Buyer> {
        let p: Profile = parse_toml(text, "buyer profile")?;
        Buyer::try_from(p)
    }

    /// Reads a buyer profile file: TOML when its name ends in `.toml` (feature `toml`), JSON
    /// otherwise.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file; the errors of [`Buyer::from_json`], prefixed with
    /// the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Buyer> {
        let path = path.as_ref();
        let text = read_text(path)?;
        let p: Result<Profile> = if is_toml(path) {
            parse_toml(&text, "buyer profile")
        } else {
            parse_json(&text, "buyer profile")
        };
        p.and_then(Buyer::try_from)
            .map_err(|e| e.context(path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_statuses() {
        for (t, s) in [
            ("Commune", BuyerStatus::LocalAuthority),
            ("EPCI", BuyerStatus::LocalAuthority),
            (
                "Centre hospitalier universitaire (CHU)",
                BuyerStatus::Hospital,
            ),
            ("État", BuyerStatus::State),
            ("Ministère des armées", BuyerStatus::Defence),
            ("local_authority", BuyerStatus::LocalAuthority),
            ("entité adjudicatrice", BuyerStatus::Utility),
        ] {
            assert_eq!(status_of(t).unwrap(), s, "{t}");
        }
        assert!(status_of("association").is_err());
    }
}
