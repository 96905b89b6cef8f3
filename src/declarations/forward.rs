//! The forward plan published to suppliers: the lines still to launch, with the fields of the
//! State's APProch portal of purchase projects (*projets d'achats publics*), the estimated
//! amount as a band, never the exact estimate.
//!
//! # Fields
//!
//! JSON and CSV keys are the column names of the APProch open data set (`projets-dachats-publics`
//! on data.economie.gouv.fr, as read by public re-users — S): `code`, `libelle`, `description`,
//! `statut`, `siren_de_l_entite_acheteuse`, `categorie_d_achat`, `code_s_cpv`,
//! `date_previsionnelle_de_publication`, `date_cible_de_remise_des_offres`,
//! `type_de_procedure`, `duree_previsionnelle_du_marche`, `montant_estime_du_marche`,
//! `departement_s_d_execution_du_marche` (codes joined by `|`). The two considerations columns
//! (`considerations_sociales`, `considerations_environnementales`) are the crate's names: the
//! data set's were not established (?).
//!
//! # Bands
//!
//! The bands of the issue — 40k–100k €, 100k–1M €, 1M–5M €, > 5M € — are the default
//! ([`AmountBands`], lower bounds inclusive), labelled the way APProch records write them
//! (`1M - 5M€`). Real APProch records also show `100k - 500k€`, so the portal's own bands may be
//! finer: the bands are data, overridable. No rule was found that APProch lists only projects
//! from €40,000 (the DECP publication threshold, R2196-1): a line below the lowest bound is
//! published in the band `< 40k€` — its upper bound only, so the estimate is never disclosed —
//! unless [`ForwardPlanOptions::minimum`] leaves it out. Choice of the crate (?).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::declarations::check::csv_text;
use crate::error::{Error, ErrorKind, Result};
use crate::levers::lever::Catalogue;
use crate::plan::planner::Plan;
use crate::programme::estimate::{Estimation, Procedure};
use crate::programme::model::{LineStatus, PlanLine, Programme};
use crate::values::confidence::Confidence;
use crate::values::money::Amount;
use crate::values::place::Departement;
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::Dimension;

/// The amount bands of the forward plan: ascending lower bounds (the default 40k, 100k, 1M,
/// 5M). A value at a bound falls in the band that starts there.
///
/// ```
/// use spaser::Amount;
/// use spaser::declarations::AmountBands;
/// let b = AmountBands::default();
/// assert_eq!(b.label(Amount::from_euros(100_000)), "100k - 1M€");
/// assert_eq!(b.label(Amount::from_euros(99_999)), "40k - 100k€");
/// assert_eq!(b.label(Amount::from_euros(12_000_000)), "> 5M€");
/// assert_eq!(b.label(Amount::from_euros(15_000)), "< 40k€");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Amount>", into = "Vec<Amount>")]
pub struct AmountBands {
    bounds: Vec<Amount>,
}

impl Default for AmountBands {
    fn default() -> Self {
        AmountBands {
            bounds: vec![
                Amount::from_euros(40_000),
                Amount::from_euros(100_000),
                Amount::from_euros(1_000_000),
                Amount::from_euros(5_000_000),
            ],
        }
    }
}

impl TryFrom<Vec<Amount>> for AmountBands {
    type Error = Error;
    fn try_from(v: Vec<Amount>) -> Result<AmountBands> {
        AmountBands::new(v)
    }
}

impl From<AmountBands> for Vec<Amount> {
    fn from(b: AmountBands) -> Vec<Amount> {
        b.bounds
    }
}

/// `40000` → `40k`, `1000000` → `1M`, `2500000` → `2.5M`.
fn short(a: Amount) -> String {
    let d = a.as_decimal();
    let (v, unit) = if d >= Decimal::from(1_000_000) {
        (d / Decimal::from(1_000_000), "M")
    } else if d >= Decimal::from(1_000) {
        (d / Decimal::from(1_000), "k")
    } else {
        (d, "")
    };
    format!("{}{unit}", v.round_dp(3).normalize())
}

impl AmountBands {
    /// Bands from their lower bounds.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the bounds are empty, zero or not strictly increasing.
    pub fn new(bounds: Vec<Amount>) -> Result<AmountBands> {
        if bounds.is_empty() || bounds[0].is_zero() || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "amount bands [{}]: the lower bounds must be positive and strictly increasing",
                    bounds
                        .iter()
                        .map(|b| b.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(AmountBands { bounds })
    }

    /// The lower bounds.
    pub fn bounds(&self) -> &[Amount] {
        &self.bounds
    }

    /// The label of the band of `a` (`< 40k€`, `40k - 100k€`, …, `> 5M€`).
    pub fn label(&self, a: Amount) -> String {
        let i = self.bounds.iter().take_while(|b| a >= **b).count();
        match i {
            0 => format!("< {}€", short(self.bounds[0])),
            n if n == self.bounds.len() => format!("> {}€", short(self.bounds[n - 1])),
            n => format!("{} - {}€", short(self.bounds[n - 1]), short(self.bounds[n])),
        }
    }
}

/// How many days the offers are given after publication, per procedure, for the target date
/// of the offers. Defaults (?): formal 35 days (the minimum of an open formal procedure,
/// R2161-2, not checked in FACTS), adapted 30 days (practice), none without competition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfferPeriods {
    /// Formal procedure.
    pub formal: Option<u32>,
    /// Adapted procedure.
    pub adapted: Option<u32>,
    /// Without publicity or competition.
    pub no_competition: Option<u32>,
}

impl Default for OfferPeriods {
    fn default() -> Self {
        OfferPeriods {
            formal: Some(35),
            adapted: Some(30),
            no_competition: None,
        }
    }
}

impl OfferPeriods {
    /// The days for `procedure`.
    pub fn days(&self, procedure: Procedure) -> Option<u32> {
        // Not a `match`: a procedure without a consultation of the buyer (a purchase through
        // an intermediary) has no offer date.
        if procedure == Procedure::Formal {
            self.formal
        } else if procedure == Procedure::Adapted {
            self.adapted
        } else if procedure == Procedure::NoCompetition {
            self.no_competition
        } else {
            None
        }
    }

    /// How firm the defaults are (`?`: see the type's documentation).
    pub const CONFIDENCE: Confidence = Confidence::Unknown;
}

/// Options of the forward plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ForwardPlanOptions {
    bands: AmountBands,
    periods: OfferPeriods,
    minimum: Option<Amount>,
}

impl ForwardPlanOptions {
    /// Sets the amount bands.
    pub fn bands(mut self, bands: AmountBands) -> ForwardPlanOptions {
        self.bands = bands;
        self
    }

    /// Sets the offer periods.
    pub fn periods(mut self, periods: OfferPeriods) -> ForwardPlanOptions {
        self.periods = periods;
        self
    }

    /// Leaves out the lines below `amount` (listed as excluded).
    pub fn minimum(mut self, amount: Amount) -> ForwardPlanOptions {
        self.minimum = Some(amount);
        self
    }
}

/// One published purchase project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ForwardRow {
    /// The line's id.
    #[serde(rename = "code")]
    pub code: String,
    /// What is bought.
    #[serde(rename = "libelle")]
    pub title: String,
    /// A short description: nature, family or operation, service, lots.
    #[serde(rename = "description")]
    pub description: String,
    /// `À lancer` or `En préparation`.
    #[serde(rename = "statut")]
    pub status: String,
    /// The buyer's SIREN (9 digits), when its SIRET is known.
    #[serde(rename = "siren_de_l_entite_acheteuse")]
    pub buyer_siren: Option<String>,
    /// `Travaux`, `Fournitures` or `Services`.
    #[serde(rename = "categorie_d_achat")]
    pub category: String,
    /// Main CPV code.
    #[serde(rename = "code_s_cpv")]
    pub cpv: Option<String>,
    /// Planned publication date (the planned launch date).
    #[serde(rename = "date_previsionnelle_de_publication")]
    pub publication_date: NaiveDate,
    /// Target date for the offers (publication + the offer period of the procedure).
    #[serde(rename = "date_cible_de_remise_des_offres")]
    pub offers_date: Option<NaiveDate>,
    /// The procedure, in French.
    #[serde(rename = "type_de_procedure")]
    pub procedure: String,
    /// Planned duration in months.
    #[serde(rename = "duree_previsionnelle_du_marche")]
    pub duration_months: Option<u32>,
    /// The estimated amount as a band, never the estimate.
    #[serde(rename = "montant_estime_du_marche")]
    pub amount_band: String,
    /// Départements of performance: the line's, else the buyer's.
    #[serde(rename = "departement_s_d_execution_du_marche")]
    pub departements: Vec<Departement>,
    /// Social considerations planned (DECP wording where it has one).
    #[serde(rename = "considerations_sociales")]
    pub social: Vec<String>,
    /// Environmental considerations planned.
    #[serde(rename = "considerations_environnementales")]
    pub environmental: Vec<String>,
}

/// A line of the programme left out of the publication, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExcludedLine {
    /// The line's id.
    pub line: String,
    /// Why.
    pub reason: String,
}

/// The forward plan: the lines still to launch (to launch or in preparation); confidential
/// lines and lines bought through a central purchasing body or a purchasing group (no
/// consultation of the buyer) are left out; every line of the programme is either published or
/// listed as excluded.
///
/// ```
/// use spaser::{Programme, Rulebook};
/// use spaser::declarations::{ForwardPlan, ForwardPlanOptions};
/// let programme = Programme::sample();
/// let estimation = programme.estimate(Rulebook::embedded())?;
/// let fp = ForwardPlan::new(programme, &estimation, None, &ForwardPlanOptions::default())?;
/// assert_eq!(fp.rows.len() + fp.excluded.len(), programme.lines.len());
/// let csv = fp.to_csv();
/// assert!(csv.starts_with("code;libelle;description;statut;"));
/// assert!(!csv.contains("24000.00")); // bands only
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ForwardPlan {
    /// The published projects, in programme order.
    pub rows: Vec<ForwardRow>,
    /// The lines left out.
    pub excluded: Vec<ExcludedLine>,
}

fn status_fr(s: LineStatus) -> Option<&'static str> {
    match s {
        LineStatus::ToLaunch => Some("À lancer"),
        LineStatus::InPreparation => Some("En préparation"),
        _ => None,
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn consideration_text(c: &Consideration) -> String {
    match c.to_decp() {
        Some(s) => s.to_string(),
        None => format!(
            "{} {}",
            capitalized(c.instrument.label_fr()),
            c.dimension.label_fr()
        ),
    }
}

impl ForwardPlan {
    /// The forward plan of `programme`: the procedure of each line from `estimation`, the
    /// considerations from `plan` (the levers it puts in each line, looked up in the
    /// catalogue) when given, else the dimensions planned on the line.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when `estimation` is not the programme's (different lines);
    /// [`ErrorKind::InvalidValue`] when a target date falls outside the calendar.
    pub fn new(
        programme: &Programme,
        estimation: &Estimation,
        plan: Option<(&Plan, &Catalogue)>,
        options: &ForwardPlanOptions,
    ) -> Result<ForwardPlan> {
        if estimation.lines.len() != programme.lines.len() {
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "the estimation has {} lines but the programme {}",
                    estimation.lines.len(),
                    programme.lines.len()
                ),
            ));
        }
        let levers_of: BTreeMap<&str, &[String]> = plan
            .map(|(p, _)| {
                p.assignments
                    .iter()
                    .map(|a| (a.line.as_str(), a.levers.as_slice()))
                    .collect()
            })
            .unwrap_or_default();
        let siren = programme.buyer.siret.map(|s| s.siren().to_string());
        let mut rows = Vec::new();
        let mut excluded = Vec::new();
        for (line, est) in programme.lines.iter().zip(&estimation.lines) {
            if line.id != est.line_id() {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "the estimation's line \"{}\" does not match the programme's line \"{}\"",
                        est.line_id(),
                        line.id
                    ),
                ));
            }
            let exclude = |reason: String| ExcludedLine {
                line: line.id.clone(),
                reason,
            };
            if line.confidential {
                excluded.push(exclude("confidential".into()));
                continue;
            }
            if let Some(i) = &line.intermediary {
                excluded.push(exclude(format!(
                    "bought through {}: no consultation of the buyer to answer",
                    i.name
                )));
                continue;
            }
            let Some(status) = status_fr(line.status) else {
                excluded.push(exclude(format!(
                    "status {}: no longer to launch",
                    line.status
                )));
                continue;
            };
            if let Some(min) = options.minimum
                && line.amount < min
            {
                excluded.push(exclude(format!(
                    "estimated value below the published minimum {min}"
                )));
                continue;
            }
            let (social, environmental) = considerations(line, &levers_of, plan.map(|(_, c)| c));
            let offers_date = match options.periods.days(est.procedure) {
                Some(days) => Some(
                    line.launch_date
                        .checked_add_days(chrono::Days::new(u64::from(days)))
                        .ok_or_else(|| {
                            Error::new(
                                ErrorKind::InvalidValue,
                                format!(
                                    "line \"{}\": {days} days after {} is out of range",
                                    line.id, line.launch_date
                                ),
                            )
                        })?,
                ),
                None => None,
            };
            let departements = if line.departements.is_empty() {
                programme.buyer.departement.iter().cloned().collect()
            } else {
                line.departements.clone()
            };
            rows.push(ForwardRow {
                code: line.id.clone(),
                title: line.label.clone(),
                description: description(line),
                status: status.to_string(),
                buyer_siren: siren.clone(),
                category: capitalized(line.nature.label_fr()),
                cpv: line.cpv.map(|c| c.as_str().to_string()),
                publication_date: line.launch_date,
                offers_date,
                procedure: capitalized(est.procedure.label_fr()),
                duration_months: line.duration_months,
                amount_band: options.bands.label(line.amount),
                departements,
                social,
                environmental,
            });
        }
        Ok(ForwardPlan { rows, excluded })
    }

    /// The forward plan as CSV (`;`, the APProch columns, lists joined by `|`). Deterministic.
    pub fn to_csv(&self) -> String {
        let header = [
            "code",
            "libelle",
            "description",
            "statut",
            "siren_de_l_entite_acheteuse",
            "categorie_d_achat",
            "code_s_cpv",
            "date_previsionnelle_de_publication",
            "date_cible_de_remise_des_offres",
            "type_de_procedure",
            "duree_previsionnelle_du_marche",
            "montant_estime_du_marche",
            "departement_s_d_execution_du_marche",
            "considerations_sociales",
            "considerations_environnementales",
        ];
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.code.clone(),
                    r.title.clone(),
                    r.description.clone(),
                    r.status.clone(),
                    r.buyer_siren.clone().unwrap_or_default(),
                    r.category.clone(),
                    r.cpv.clone().unwrap_or_default(),
                    r.publication_date.to_string(),
                    r.offers_date.map_or_else(String::new, |d| d.to_string()),
                    r.procedure.clone(),
                    r.duration_months
                        .map_or_else(String::new, |m| m.to_string()),
                    r.amount_band.clone(),
                    r.departements
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<Vec<_>>()
                        .join("|"),
                    r.social.join("|"),
                    r.environmental.join("|"),
                ]
            })
            .collect();
        csv_text(&header, &rows)
    }

    /// The forward plan as pretty-printed JSON (`{"rows": [...], "excluded": [...]}`, APProch
    /// keys). Deterministic.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("forward plan JSON: {e}")).with_source(e)
        })
    }
}

fn description(line: &PlanLine) -> String {
    let mut parts = vec![capitalized(line.nature.label_fr())];
    if let Some(s) = &line.service {
        parts.push(format!("service {s}"));
    }
    if let Some(lot) = &line.lot {
        parts.push(format!(
            "lot {} de la consultation {}",
            lot.number, lot.consultation
        ));
    }
    if line.innovative {
        parts.push("achat innovant".into());
    }
    if line.current_end_date.is_some() {
        parts.push("renouvellement".into());
    }
    parts.join(" ; ")
}

fn considerations(
    line: &PlanLine,
    levers_of: &BTreeMap<&str, &[String]>,
    catalogue: Option<&Catalogue>,
) -> (Vec<String>, Vec<String>) {
    let mut social = Vec::new();
    let mut env = Vec::new();
    let mut push = |d: Dimension, text: String| {
        let v = match d {
            Dimension::Social => &mut social,
            Dimension::Environmental => &mut env,
            _ => return,
        };
        if !v.contains(&text) {
            v.push(text);
        }
    };
    match (catalogue, levers_of.get(line.id.as_str())) {
        (Some(cat), Some(ids)) => {
            for id in ids.iter() {
                if let Some(l) = cat.get(id) {
                    let c = l.consideration();
                    push(c.dimension, consideration_text(&c));
                }
            }
        }
        (Some(_), None) => {}
        (None, _) => {
            for d in &line.considerations {
                push(*d, format!("Considération {} prévue", d.label_fr()));
            }
        }
    }
    social.sort();
    env.sort();
    (social, env)
}
