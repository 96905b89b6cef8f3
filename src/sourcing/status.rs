//! Supplier statuses and labels: an open set with the known ones documented, each with its
//! family and, for the reserved-contract statuses, the article that allows a reservation.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::ReservedArticle;
use crate::util::text::{excerpt, fold};

/// A status or label of a supplier.
///
/// The known ones (serialized name, French name):
///
/// | name | status | family | reservation |
/// |---|---|---|---|
/// | `ei` | entreprise d'insertion | insertion (SIAE) | L2113-13 |
/// | `ai` | association intermédiaire | insertion (SIAE) | L2113-13 |
/// | `aci` | atelier et chantier d'insertion | insertion (SIAE) | L2113-13 |
/// | `etti` | entreprise de travail temporaire d'insertion | insertion (SIAE) | L2113-13 |
/// | `eiti` | entreprise d'insertion par le travail indépendant | insertion | — (not checked) |
/// | `siae` | structure d'insertion, kind not given | insertion (SIAE) | L2113-13 |
/// | `geiq` | groupement d'employeurs pour l'insertion et la qualification | insertion | — (not an SIAE) |
/// | `ea` | entreprise adaptée | disability | L2113-12 |
/// | `eatt` | entreprise adaptée de travail temporaire | disability | L2113-12 |
/// | `esat` | établissement et service d'aide par le travail | disability | L2113-12 |
/// | `prison` | work inside a prison (*produits et services réalisés en prison*) | prison | L2113-13-1 |
/// | `ess` | entreprise de l'économie sociale et solidaire | social economy | L2113-15 (listed services, public-service mission) |
/// | `esus` | entreprise solidaire d'utilité sociale (agrément ESUS) | social economy | L2113-15 (same) |
/// | `scop` | société coopérative et participative | social economy | L2113-15 (same) |
/// | `scic` | société coopérative d'intérêt collectif | social economy | L2113-15 (same) |
/// | `rge` | Reconnu garant de l'environnement (energy works) | environmental label | — |
/// | `organic` | agriculture biologique (AB, EU organic logo) | environmental label | — |
/// | `ecolabel` | EU Ecolabel (or an equivalent type I ecolabel) | environmental label | — |
/// | `rfar` | label Relations fournisseurs et achats responsables | responsible management | — |
/// | `qualiopi` | Qualiopi (training providers' quality certification) | quality | — |
/// | `jei` | jeune entreprise innovante (CGI art. 44 sexies-0 A) | innovation | — |
///
/// Any other text is kept as [`Status::Other`] (folded to lower case): the set is open.
/// Reservation articles: CCP L2113-12 (≥ 50 % disabled workers, R2113-7), L2113-13
/// (≥ 50 % disadvantaged workers, R2113-7), L2113-13-1 (≥ 50 % detainees), L2113-15 (ESS
/// enterprises with a public-service mission, for the listed social and specific services).
///
/// ```
/// use spaser::sourcing::{Status, StatusFamily};
/// let s: Status = "Entreprise adaptée".parse()?;
/// assert_eq!(s, Status::Ea);
/// assert_eq!(s.family(), StatusFamily::Disability);
/// assert_eq!(s.reserved_article().map(|a| a.as_str()), Some("L2113-12"));
/// assert_eq!("Bio".parse::<Status>()?, Status::Organic);
/// assert_eq!("Label maison".parse::<Status>()?.to_string(), "label maison");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[non_exhaustive]
pub enum Status {
    /// Entreprise d'insertion (SIAE).
    Ei,
    /// Association intermédiaire (SIAE).
    Ai,
    /// Atelier et chantier d'insertion (SIAE).
    Aci,
    /// Entreprise de travail temporaire d'insertion (SIAE).
    Etti,
    /// Entreprise d'insertion par le travail indépendant.
    Eiti,
    /// A structure d'insertion par l'activité économique whose kind is not given.
    Siae,
    /// Groupement d'employeurs pour l'insertion et la qualification (not an SIAE).
    Geiq,
    /// Entreprise adaptée.
    Ea,
    /// Entreprise adaptée de travail temporaire.
    Eatt,
    /// Établissement et service d'aide par le travail.
    Esat,
    /// An operator working inside a prison (L2113-13-1).
    Prison,
    /// An enterprise of the social and solidarity economy (loi 2014-856 art. 1).
    Ess,
    /// Entreprise solidaire d'utilité sociale (ESUS approval).
    Esus,
    /// Société coopérative et participative.
    Scop,
    /// Société coopérative d'intérêt collectif.
    Scic,
    /// RGE (*Reconnu garant de l'environnement*) qualification for energy works.
    Rge,
    /// Organic farming (AB logo, EU organic logo).
    Organic,
    /// EU Ecolabel or an equivalent type I ecolabel.
    Ecolabel,
    /// RFAR label (*Relations fournisseurs et achats responsables*).
    Rfar,
    /// Qualiopi certification of training providers.
    Qualiopi,
    /// Young innovative company (*jeune entreprise innovante*, CGI art. 44 sexies-0 A): what
    /// it offers is innovative in the sense of CCP L2172-3 (second paragraph, completed by
    /// loi 2023-1322 art. 44).
    Jei,
    /// Any other status or label, folded to lower case.
    Other(String),
}

/// The family of a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StatusFamily {
    /// Insertion by economic activity (SIAE, GEIQ).
    Insertion,
    /// Sheltered and adapted work for disabled workers (EA, EATT, ESAT).
    Disability,
    /// Work inside prisons.
    Prison,
    /// The social and solidarity economy (ESS, ESUS, SCOP, SCIC).
    SocialEconomy,
    /// Environmental labels and qualifications (RGE, organic, Ecolabel).
    Environmental,
    /// Responsible management and quality labels (RFAR, Qualiopi).
    Quality,
    /// Innovation status (JEI).
    Innovation,
    /// Anything else.
    Other,
}

impl StatusFamily {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            StatusFamily::Insertion => "insertion",
            StatusFamily::Disability => "disability",
            StatusFamily::Prison => "prison",
            StatusFamily::SocialEconomy => "social_economy",
            StatusFamily::Environmental => "environmental",
            StatusFamily::Quality => "quality",
            StatusFamily::Innovation => "innovation",
            StatusFamily::Other => "other",
        }
    }

    /// Whether structures of the family can carry insertion hours of a social clause as
    /// subcontractors or co-contractors (insertion, disability and prison structures; the
    /// "inclusive" suppliers of Le Marché de l'inclusion).
    pub fn is_inclusive(&self) -> bool {
        matches!(
            self,
            StatusFamily::Insertion | StatusFamily::Disability | StatusFamily::Prison
        )
    }
}

impl fmt::Display for StatusFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Known statuses with their name and the folded texts that read as them.
const KNOWN: [(Status, &str, &[&str]); 21] = [
    (
        Status::Ei,
        "ei",
        &["ei", "entreprise d'insertion", "entreprise d insertion"],
    ),
    (Status::Ai, "ai", &["ai", "association intermediaire"]),
    (
        Status::Aci,
        "aci",
        &[
            "aci",
            "atelier chantier d'insertion",
            "atelier et chantier d'insertion",
            "ateliers et chantiers d'insertion",
            "chantier d'insertion",
        ],
    ),
    (
        Status::Etti,
        "etti",
        &["etti", "entreprise de travail temporaire d'insertion"],
    ),
    (
        Status::Eiti,
        "eiti",
        &["eiti", "entreprise d'insertion par le travail independant"],
    ),
    (
        Status::Siae,
        "siae",
        &[
            "siae",
            "iae",
            "structure d'insertion",
            "structure d'insertion par l'activite economique",
        ],
    ),
    (
        Status::Geiq,
        "geiq",
        &[
            "geiq",
            "groupement d'employeurs pour l'insertion et la qualification",
        ],
    ),
    (Status::Ea, "ea", &["ea", "entreprise adaptee"]),
    (
        Status::Eatt,
        "eatt",
        &["eatt", "entreprise adaptee de travail temporaire"],
    ),
    (
        Status::Esat,
        "esat",
        &[
            "esat",
            "etablissement et service d'aide par le travail",
            "etablissement ou service d'aide par le travail",
        ],
    ),
    (
        Status::Prison,
        "prison",
        &[
            "prison",
            "sep",
            "travail penitentiaire",
            "produits et services realises en prison",
        ],
    ),
    (
        Status::Ess,
        "ess",
        &[
            "ess",
            "economie sociale et solidaire",
            "entreprise de l'ess",
        ],
    ),
    (
        Status::Esus,
        "esus",
        &[
            "esus",
            "entreprise solidaire d'utilite sociale",
            "agrement esus",
        ],
    ),
    (
        Status::Scop,
        "scop",
        &[
            "scop",
            "societe cooperative et participative",
            "societe cooperative ouvriere de production",
        ],
    ),
    (
        Status::Scic,
        "scic",
        &["scic", "societe cooperative d'interet collectif"],
    ),
    (
        Status::Rge,
        "rge",
        &["rge", "reconnu garant de l'environnement"],
    ),
    (
        Status::Organic,
        "organic",
        &[
            "organic",
            "bio",
            "ab",
            "agriculture biologique",
            "label ab",
            "eurofeuille",
        ],
    ),
    (
        Status::Ecolabel,
        "ecolabel",
        &[
            "ecolabel",
            "eco label",
            "ecolabel europeen",
            "eu ecolabel",
            "ecolabel eu",
        ],
    ),
    (
        Status::Rfar,
        "rfar",
        &["rfar", "relations fournisseurs et achats responsables"],
    ),
    (Status::Qualiopi, "qualiopi", &["qualiopi"]),
    (
        Status::Jei,
        "jei",
        &[
            "jei",
            "jeune entreprise innovante",
            "jeic",
            "jeune entreprise d'innovation et de croissance",
        ],
    ),
];

impl Status {
    /// Every known status (without [`Status::Other`]).
    pub fn known() -> impl Iterator<Item = Status> {
        KNOWN.iter().map(|(s, _, _)| s.clone())
    }

    /// Parses a status: a known name or alias (compared without case and accents), else
    /// [`Status::Other`] with the folded text.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for an empty text or one longer than 60 characters.
    pub fn parse(text: &str) -> Result<Status> {
        let key = fold(text).replace(['’', '`'], "'");
        if key.is_empty() {
            return Err(Error::new(ErrorKind::InvalidValue, "status is empty"));
        }
        if let Some((s, _, _)) = KNOWN
            .iter()
            .find(|(_, name, aliases)| *name == key || aliases.contains(&key.as_str()))
        {
            return Ok(s.clone());
        }
        if key.chars().count() > 60 {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("status \"{}\" is longer than 60 characters", excerpt(text)),
            ));
        }
        Ok(Status::Other(key))
    }

    /// The serialized name (`ei`, `esat`, `ecolabel`…; the folded text for others).
    pub fn as_str(&self) -> &str {
        match self {
            Status::Other(s) => s,
            known => KNOWN
                .iter()
                .find(|(s, _, _)| s == known)
                .map_or("", |(_, name, _)| name),
        }
    }

    /// The French name, as a buyer reads it (the name itself for [`Status::Other`]).
    pub fn label_fr(&self) -> &str {
        match self {
            Status::Ei => "entreprise d'insertion (EI)",
            Status::Ai => "association intermédiaire (AI)",
            Status::Aci => "atelier et chantier d'insertion (ACI)",
            Status::Etti => "entreprise de travail temporaire d'insertion (ETTI)",
            Status::Eiti => "entreprise d'insertion par le travail indépendant (EITI)",
            Status::Siae => "structure d'insertion par l'activité économique (SIAE)",
            Status::Geiq => "groupement d'employeurs pour l'insertion et la qualification (GEIQ)",
            Status::Ea => "entreprise adaptée (EA)",
            Status::Eatt => "entreprise adaptée de travail temporaire (EATT)",
            Status::Esat => "établissement et service d'aide par le travail (ESAT)",
            Status::Prison => "travail en détention",
            Status::Ess => "entreprise de l'économie sociale et solidaire (ESS)",
            Status::Esus => "entreprise solidaire d'utilité sociale (ESUS)",
            Status::Scop => "société coopérative et participative (SCOP)",
            Status::Scic => "société coopérative d'intérêt collectif (SCIC)",
            Status::Rge => "qualification RGE",
            Status::Organic => "agriculture biologique (AB)",
            Status::Ecolabel => "Écolabel européen ou équivalent",
            Status::Rfar => "label RFAR",
            Status::Qualiopi => "certification Qualiopi",
            Status::Jei => "jeune entreprise innovante (JEI)",
            Status::Other(s) => s,
        }
    }

    /// The English name (the name itself for [`Status::Other`]).
    pub fn label_en(&self) -> &str {
        match self {
            Status::Ei => "insertion enterprise (EI)",
            Status::Ai => "intermediary association (AI)",
            Status::Aci => "insertion workshop (ACI)",
            Status::Etti => "insertion temporary-work agency (ETTI)",
            Status::Eiti => "insertion through self-employment (EITI)",
            Status::Siae => "insertion structure (SIAE)",
            Status::Geiq => "employers' group for insertion and qualification (GEIQ)",
            Status::Ea => "adapted enterprise (EA)",
            Status::Eatt => "adapted temporary-work enterprise (EATT)",
            Status::Esat => "sheltered workshop (ESAT)",
            Status::Prison => "work inside prisons",
            Status::Ess => "social and solidarity economy enterprise (ESS)",
            Status::Esus => "solidarity enterprise of social utility (ESUS)",
            Status::Scop => "workers' cooperative (SCOP)",
            Status::Scic => "collective-interest cooperative (SCIC)",
            Status::Rge => "RGE qualification",
            Status::Organic => "organic farming (AB)",
            Status::Ecolabel => "EU Ecolabel or equivalent",
            Status::Rfar => "RFAR label",
            Status::Qualiopi => "Qualiopi certification",
            Status::Jei => "young innovative company (JEI)",
            Status::Other(s) => s,
        }
    }

    /// The family of the status.
    pub fn family(&self) -> StatusFamily {
        match self {
            Status::Ei
            | Status::Ai
            | Status::Aci
            | Status::Etti
            | Status::Eiti
            | Status::Siae
            | Status::Geiq => StatusFamily::Insertion,
            Status::Ea | Status::Eatt | Status::Esat => StatusFamily::Disability,
            Status::Prison => StatusFamily::Prison,
            Status::Ess | Status::Esus | Status::Scop | Status::Scic => StatusFamily::SocialEconomy,
            Status::Rge | Status::Organic | Status::Ecolabel => StatusFamily::Environmental,
            Status::Rfar | Status::Qualiopi => StatusFamily::Quality,
            Status::Jei => StatusFamily::Innovation,
            Status::Other(_) => StatusFamily::Other,
        }
    }

    /// The article under which a contract may be reserved to structures of this status, if
    /// any: L2113-12 (EA, EATT, ESAT), L2113-13 (EI, AI, ACI, ETTI and SIAE of unstated kind),
    /// L2113-13-1 (prison work), L2113-15 (ESS, ESUS, SCOP, SCIC — only for the listed social
    /// and specific services and enterprises with a public-service mission). EITI and GEIQ
    /// have none here: the crate has not checked that they fall under L2113-13.
    pub fn reserved_article(&self) -> Option<ReservedArticle> {
        match self {
            Status::Ea | Status::Eatt | Status::Esat => Some(ReservedArticle::L2113_12),
            Status::Ei | Status::Ai | Status::Aci | Status::Etti | Status::Siae => {
                Some(ReservedArticle::L2113_13)
            }
            Status::Prison => Some(ReservedArticle::L2113_13_1),
            Status::Ess | Status::Esus | Status::Scop | Status::Scic => {
                Some(ReservedArticle::L2113_15)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;
    fn from_str(s: &str) -> Result<Status> {
        Status::parse(s)
    }
}

impl TryFrom<String> for Status {
    type Error = Error;
    fn try_from(s: String) -> Result<Status> {
        Status::parse(&s)
    }
}

impl From<Status> for String {
    fn from(s: Status) -> String {
        s.as_str().to_string()
    }
}

/// A status held by a supplier, with where it was read and when it was granted or checked.
///
/// ```
/// use spaser::sourcing::{Label, Status};
/// let l: Label = "RGE (ADEME, 2025-03-01)".parse()?;
/// assert_eq!(l.status, Status::Rge);
/// assert_eq!(l.source.as_deref(), Some("ADEME"));
/// assert_eq!(l.date.map(|d| d.to_string()).as_deref(), Some("2025-03-01"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Label {
    /// The status.
    pub status: Status,
    /// Where it was read (registry, certifier, platform), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it was granted or last checked, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

impl Label {
    /// A label without source or date.
    pub fn new(status: Status) -> Label {
        Label {
            status,
            source: None,
            date: None,
        }
    }

    /// Parses `STATUS`, `STATUS (SOURCE)`, `STATUS (DATE)` or `STATUS (SOURCE, DATE)`; the
    /// date in ISO (`2025-03-01`) or French (`01/03/2025`) form.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for a bad status ([`Status::parse`]) and
    /// [`ErrorKind::Parse`] for an unclosed parenthesis or a bad date.
    pub fn parse(text: &str) -> Result<Label> {
        let t = text.trim();
        let Some(open) = t.find('(') else {
            return Ok(Label::new(Status::parse(t)?));
        };
        let Some(inner) = t[open + 1..].strip_suffix(')') else {
            return Err(Error::new(
                ErrorKind::Parse,
                format!(
                    "label \"{}\": the parenthesis is not closed at the end",
                    excerpt(text)
                ),
            ));
        };
        let status = Status::parse(&t[..open])?;
        let mut source = None;
        let mut date = None;
        for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match crate::values::date::parse_date(part) {
                Ok(d) if date.is_none() => date = Some(d),
                _ if part.chars().next().is_some_and(|c| c.is_ascii_digit()) && date.is_none() => {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!(
                            "label \"{}\": \"{}\" is not a date (yyyy-mm-dd or dd/mm/yyyy)",
                            excerpt(text),
                            excerpt(part)
                        ),
                    ));
                }
                _ => {
                    source = Some(match source {
                        None => part.to_string(),
                        Some(s) => format!("{s}, {part}"),
                    })
                }
            }
        }
        Ok(Label {
            status,
            source,
            date,
        })
    }
}

impl FromStr for Label {
    type Err = Error;
    fn from_str(s: &str) -> Result<Label> {
        Label::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_status_round_trips_through_its_name() {
        for s in Status::known() {
            assert_eq!(Status::parse(s.as_str()).unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
        }
    }

    #[test]
    fn aliases_fold_case_and_accents() {
        assert_eq!(
            Status::parse("ÉTABLISSEMENT ET SERVICE D’AIDE PAR LE TRAVAIL").unwrap(),
            Status::Esat
        );
        assert_eq!(
            Status::parse(" Écolabel européen ").unwrap(),
            Status::Ecolabel
        );
        assert!(Status::parse("  ").is_err());
    }

    #[test]
    fn label_with_source_and_french_date() {
        let l = Label::parse("ESUS (DREETS Pays de la Loire, 15/09/2024)").unwrap();
        assert_eq!(l.status, Status::Esus);
        assert_eq!(l.source.as_deref(), Some("DREETS Pays de la Loire"));
        assert_eq!(l.date, NaiveDate::from_ymd_opt(2024, 9, 15));
        assert!(Label::parse("RGE (ADEME").is_err());
    }
}
