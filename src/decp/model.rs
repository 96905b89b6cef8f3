//! The DECP records: awarded contracts (marchés) and concession contracts.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::diag::{Accounting, Rejection, Warning};
use super::format::Format;
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::siret::Siret;
use crate::vocabulary::consideration::Consideration;

/// An identifier that should be a SIRET: the checked [`Siret`] when it passes, else the raw
/// text (real files carry SIRETs that fail the Luhn check; the reader warns and keeps them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Identifier {
    /// A valid SIRET.
    Siret(Siret),
    /// Any other identifier, as published (TVA number, invalid SIRET…).
    Raw(String),
}

impl Identifier {
    /// Checks `text` as a SIRET, keeping it raw when it fails.
    ///
    /// ```
    /// use spaser::decp::Identifier;
    /// assert!(matches!(Identifier::parse("21350238800019"), Identifier::Siret(_)));
    /// assert_eq!(Identifier::parse("DE814864138").as_str(), "DE814864138");
    /// ```
    pub fn parse(text: &str) -> Identifier {
        match Siret::exact(text) {
            Some(s) => Identifier::Siret(s),
            None => Identifier::Raw(text.to_string()),
        }
    }

    /// The identifier as published.
    pub fn as_str(&self) -> &str {
        match self {
            Identifier::Siret(s) => s.as_str(),
            Identifier::Raw(r) => r,
        }
    }

    /// The SIRET, when valid.
    pub fn siret(&self) -> Option<Siret> {
        match self {
            Identifier::Siret(s) => Some(*s),
            Identifier::Raw(_) => None,
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A holder (titulaire) of a marché or a concessionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Holder {
    /// `typeIdentifiant` (`SIRET`, `TVA`, `TAHITI`, `RIDET`, `FRWF`, `IREP`, `HORS-UE`).
    pub id_type: String,
    /// `id`.
    pub id: Identifier,
    /// `denominationSociale` (2019 format; not written in the 2024 format) or `titulaire_nom`
    /// (consolidated file, from SIRENE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `titulaire_categorie` of the consolidated file (SIRENE's company category: `PME`,
    /// `ETI`, `GE`); not published in the regulatory formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `titulaire_distance` of the consolidated file: kilometres between the holder and the
    /// buyer (geocoded by the pipeline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<u32>,
}

impl Holder {
    /// A holder with a type and an identifier (checked as a SIRET when the type is `SIRET`).
    ///
    /// ```
    /// let h = spaser::decp::Holder::new("SIRET", "21350238800019");
    /// assert!(h.id.siret().is_some());
    /// ```
    pub fn new(id_type: &str, id: &str) -> Holder {
        Holder {
            id_type: id_type.to_string(),
            id: if id_type == "SIRET" {
                Identifier::parse(id)
            } else {
                Identifier::Raw(id.to_string())
            },
            name: None,
            category: None,
            distance_km: None,
        }
    }

    /// Whether the holder is a small or medium-sized enterprise (`PME`, micro-enterprises
    /// included), `None` when its category is unknown.
    pub fn is_sme(&self) -> Option<bool> {
        let c = self.category.as_deref()?;
        Some(matches!(
            crate::util::text::fold(c).as_str(),
            "pme" | "micro" | "microentreprise" | "micro-entreprise" | "tpe"
        ))
    }
}

/// The considerations of one dimension as published.
///
/// `None` in a contract means the field is missing (or empty): unknown. `Some(vec![])` means
/// "Pas de considération …" was published.
pub type Considerations = Option<Vec<Consideration>>;

/// A modification of a contract: each carries only the values it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Modification {
    /// `id` (ordinal, from 1). The 2019 format has none: the reader numbers them in order.
    pub id: u32,
    /// New amount (`montant`; concessions: `valeurGlobale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// New duration in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// New holders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holders: Option<Vec<Holder>>,
    /// `dateNotificationModification` (concessions: `dateSignatureModification`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// `datePublicationDonneesModification`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_date: Option<NaiveDate>,
    /// Other fields, kept as published (JSON text), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

/// An awarded public contract (*marché*), as published in the DECP.
///
/// Field names follow the crate's English; the DECP name is given in each field's doc.
/// Fields the crate does not model (or whose value could not be read, with a warning) are kept
/// as raw JSON text in [`AwardedContract::extra`], so that nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AwardedContract {
    /// `id`.
    pub id: String,
    /// `acheteur.id`.
    pub buyer: Option<Identifier>,
    /// `acheteur.nom` (2019 format) or `acheteur_nom` (consolidated file, from SIRENE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_name: Option<String>,
    /// `nature` (`Marché`, `Marché de partenariat`, `Marché de défense ou de sécurité`; 2019:
    /// also `Accord-cadre`, `Marché subséquent`).
    pub nature: Option<String>,
    /// `objet`.
    pub object: Option<String>,
    /// `codeCPV`.
    pub cpv: Option<CpvCode>,
    /// `procedure`, with legacy names and apostrophes normalised to the 2024 list.
    pub procedure: Option<String>,
    /// `techniques.technique`.
    pub techniques: Vec<String>,
    /// `modalitesExecution.modaliteExecution`.
    pub execution_modes: Vec<String>,
    /// `idAccordCadre`.
    pub framework_id: Option<String>,
    /// `marcheInnovant`.
    pub innovative: Option<bool>,
    /// `ccag`.
    pub ccag: Option<String>,
    /// `offresRecues`.
    pub offers_received: Option<u32>,
    /// `montant` as published (HT; fixed or estimated maximum).
    pub amount: Option<Amount>,
    /// `dureeMois` as published.
    pub duration_months: Option<u32>,
    /// `dateNotification`.
    pub notification_date: Option<NaiveDate>,
    /// `datePublicationDonnees`.
    pub publication_date: Option<NaiveDate>,
    /// `formePrix`.
    pub price_form: Option<String>,
    /// `typesPrix.typePrix`.
    pub price_types: Vec<String>,
    /// `titulaires`.
    pub holders: Vec<Holder>,
    /// `considerationsSociales.considerationSociale`.
    pub social: Considerations,
    /// `considerationsEnvironnementales.considerationEnvironnementale`.
    pub environmental: Considerations,
    /// `modifications`, sorted by id.
    pub modifications: Vec<Modification>,
    /// The amount is beyond [`crate::decp::OUTLIER_BOUND`]: kept, flagged.
    pub outlier: bool,
    /// Whether price was the only award criterion, where the criteria are known. No DECP format
    /// publishes the criteria: the readers set `Some(false)` when a criterion consideration
    /// (`Critère social`, `Critère environnemental`) proves another criterion, and leave it
    /// `None` otherwise; a caller that knows the criteria (consultation documents, a plan line)
    /// sets it. Audited against R2152-7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_only: Option<bool>,
    /// Other fields (lieuExecution, actesSousTraitance…), raw JSON text by name.
    pub extra: BTreeMap<String, String>,
}

/// A concession contract (*contrat de concession*), as published in the DECP.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Concession {
    /// `id`.
    pub id: String,
    /// `autoriteConcedante.id`.
    pub authority: Option<Identifier>,
    /// `nature` (`Concession de travaux`, `Concession de service`, …).
    pub nature: Option<String>,
    /// `objet`.
    pub object: Option<String>,
    /// `procedure`.
    pub procedure: Option<String>,
    /// `dureeMois` as published.
    pub duration_months: Option<u32>,
    /// `dateSignature`.
    pub signature_date: Option<NaiveDate>,
    /// `datePublicationDonnees`.
    pub publication_date: Option<NaiveDate>,
    /// `dateDebutExecution`.
    pub start_date: Option<NaiveDate>,
    /// `valeurGlobale` as published.
    pub value: Option<Amount>,
    /// `montantSubventionPublique`.
    pub public_subsidy: Option<Amount>,
    /// `concessionnaires`.
    pub holders: Vec<Holder>,
    /// `considerationsSociales.considerationSociale`.
    pub social: Considerations,
    /// `considerationsEnvironnementales.considerationEnvironnementale`.
    pub environmental: Considerations,
    /// `modifications`, sorted by id.
    pub modifications: Vec<Modification>,
    /// The value is beyond [`crate::decp::OUTLIER_BOUND`]: kept, flagged.
    pub outlier: bool,
    /// Other fields (donneesExecution, lieuExecution…), raw JSON text by name.
    pub extra: BTreeMap<String, String>,
}

/// The current values of a contract after its modifications.
fn current<T: Clone>(
    base: Option<T>,
    mods: &[Modification],
    pick: impl Fn(&Modification) -> Option<T>,
) -> Option<T> {
    // Modifications are kept sorted by id: the last one carrying the value wins.
    mods.iter().rev().find_map(&pick).or(base)
}

impl AwardedContract {
    /// Empties every field, keeping the allocations of `id` and the lists (the reader converts
    /// record after record into one contract).
    pub(crate) fn reset(&mut self) {
        // Destructured so that a new field cannot be forgotten here.
        let AwardedContract {
            id,
            buyer,
            buyer_name,
            nature,
            object,
            cpv,
            procedure,
            techniques,
            execution_modes,
            framework_id,
            innovative,
            ccag,
            offers_received,
            amount,
            duration_months,
            notification_date,
            publication_date,
            price_form,
            price_types,
            holders,
            social,
            environmental,
            modifications,
            outlier,
            price_only,
            extra,
        } = self;
        id.clear();
        *buyer = None;
        *buyer_name = None;
        *price_only = None;
        *nature = None;
        *object = None;
        *cpv = None;
        *procedure = None;
        techniques.clear();
        execution_modes.clear();
        *framework_id = None;
        *innovative = None;
        *ccag = None;
        *offers_received = None;
        *amount = None;
        *duration_months = None;
        *notification_date = None;
        *publication_date = None;
        *price_form = None;
        price_types.clear();
        holders.clear();
        *social = None;
        *environmental = None;
        modifications.clear();
        *outlier = false;
        extra.clear();
    }

    /// The current amount: that of the last modification (by id) carrying one, else `montant`.
    ///
    /// ```
    /// use spaser::decp::{AwardedContract, Modification};
    /// use spaser::Amount;
    /// let mut c = AwardedContract::default();
    /// c.amount = Some(Amount::from_euros(100));
    /// c.modifications.push(Modification { id: 1, amount: Some(Amount::from_euros(120)), ..Default::default() });
    /// c.modifications.push(Modification { id: 2, duration_months: Some(6), ..Default::default() });
    /// assert_eq!(c.current_amount(), Some(Amount::from_euros(120)));
    /// ```
    pub fn current_amount(&self) -> Option<Amount> {
        current(self.amount, &self.modifications, |m| m.amount)
    }

    /// The current duration in months (last modification carrying one, else `dureeMois`).
    pub fn current_duration_months(&self) -> Option<u32> {
        current(self.duration_months, &self.modifications, |m| {
            m.duration_months
        })
    }

    /// The current holders (last modification carrying them, else `titulaires`).
    pub fn current_holders(&self) -> &[Holder] {
        self.modifications
            .iter()
            .rev()
            .find_map(|m| m.holders.as_deref())
            .unwrap_or(&self.holders)
    }
}

impl Concession {
    /// Empties every field, keeping the allocations of `id` and the lists.
    pub(crate) fn reset(&mut self) {
        let Concession {
            id,
            authority,
            nature,
            object,
            procedure,
            duration_months,
            signature_date,
            publication_date,
            start_date,
            value,
            public_subsidy,
            holders,
            social,
            environmental,
            modifications,
            outlier,
            extra,
        } = self;
        id.clear();
        *authority = None;
        *nature = None;
        *object = None;
        *procedure = None;
        *duration_months = None;
        *signature_date = None;
        *publication_date = None;
        *start_date = None;
        *value = None;
        *public_subsidy = None;
        holders.clear();
        *social = None;
        *environmental = None;
        modifications.clear();
        *outlier = false;
        extra.clear();
    }

    /// The current value: that of the last modification (by id) carrying one, else
    /// `valeurGlobale`.
    pub fn current_value(&self) -> Option<Amount> {
        current(self.value, &self.modifications, |m| m.amount)
    }

    /// The current duration in months.
    pub fn current_duration_months(&self) -> Option<u32> {
        current(self.duration_months, &self.modifications, |m| {
            m.duration_months
        })
    }

    /// The current concessionnaires.
    pub fn current_holders(&self) -> &[Holder] {
        self.modifications
            .iter()
            .rev()
            .find_map(|m| m.holders.as_deref())
            .unwrap_or(&self.holders)
    }
}

/// One accepted record: a marché or a concession.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Contract {
    /// A marché.
    Awarded(AwardedContract),
    /// A concession contract.
    Concession(Concession),
}

impl Contract {
    /// The record's `id`.
    pub fn id(&self) -> &str {
        match self {
            Contract::Awarded(c) => &c.id,
            Contract::Concession(c) => &c.id,
        }
    }
}

/// A whole DECP file, collected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Dataset {
    /// The format detected (`None` only for a document with no record array).
    pub format: Option<Format>,
    /// Marchés accepted, first of their content, in file order.
    pub contracts: Vec<AwardedContract>,
    /// Concessions accepted, first of their content, in file order.
    pub concessions: Vec<Concession>,
    /// Accepted records identical to an earlier one (counted once), with their index.
    pub duplicates: Vec<(u64, Contract)>,
    /// Rejected records with their reason.
    pub rejected: Vec<Rejection>,
    /// Every warning, in record order.
    pub warnings: Vec<Warning>,
    /// Counts.
    pub accounting: Accounting,
}

/// The outcome of one record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A record kept, first of its content.
    Contract(Contract),
    /// A record kept but identical in content (key order and blanks aside) to an earlier one:
    /// the indicators count it once.
    Duplicate(Contract),
    /// A record that cannot be used, with the reason.
    Rejected(Rejection),
}

/// One record read: its index, what became of it and the warnings about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// Index of the record in the file (0-based, in file order).
    pub record: u64,
    /// What became of it.
    pub outcome: Outcome,
    /// Deviations accepted while reading it.
    pub warnings: Vec<Warning>,
}
