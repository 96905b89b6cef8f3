//! The purchasing programme: a buyer and its planned purchase lines.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Coverage, Purchase};
use crate::law::context::{AwardCriterion, NoCompetitionCase, SocialExemption};
use crate::util::text::excerpt;
use crate::values::buyer_kind::{BuyerKind, BuyerStatus};
use crate::values::cpv::CpvCode;
use crate::values::date::check_plausible_date;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::place::Departement;
use crate::values::share::Share;
use crate::values::siret::Siret;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// The public body that buys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Buyer {
    /// Name.
    pub name: String,
    /// SIRET, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<Siret>,
    /// Kind, which picks the EU thresholds (by default the one of its status,
    /// [`BuyerStatus::default_kind`]).
    pub kind: BuyerKind,
    /// Legal status, which decides which rules bind the buyer (SPASER coverage, AGEC art. 58
    /// scope…); `None` when not given (rules that depend on it then say `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BuyerStatus>,
    /// Expenditure under public contracts by calendar year, euros HT: what the buyer spent in
    /// the year under all its contracts, Livre V excluded — what D2111-3 compares with the
    /// SPASER threshold. Optional; never estimated from the programme.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub expenditure: BTreeMap<i32, Amount>,
    /// The département of the buyer's seat, when given (default place of performance of its
    /// purchases for sourcing and the forward plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<Departement>,
}

impl Buyer {
    /// A buyer without SIRET, status or expenditure.
    pub fn new(name: impl Into<String>, kind: BuyerKind) -> Buyer {
        Buyer {
            name: name.into(),
            siret: None,
            kind,
            status: None,
            expenditure: BTreeMap::new(),
            departement: None,
        }
    }

    /// A buyer of `status`, with the EU threshold column of that status.
    pub fn with_status(name: impl Into<String>, status: BuyerStatus) -> Buyer {
        let mut b = Buyer::new(name, status.default_kind());
        b.status = Some(status);
        b
    }
}

/// Where a planned line stands in the buyer's process.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LineStatus {
    /// Still to launch (the default).
    #[default]
    ToLaunch,
    /// The consultation is being prepared (sourcing, specifications).
    InPreparation,
    /// The consultation is launched.
    Launched,
    /// The contract is awarded.
    Awarded,
    /// Given up.
    Cancelled,
}

impl LineStatus {
    /// Every status.
    pub const ALL: [LineStatus; 5] = [
        LineStatus::ToLaunch,
        LineStatus::InPreparation,
        LineStatus::Launched,
        LineStatus::Awarded,
        LineStatus::Cancelled,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            LineStatus::ToLaunch => "to_launch",
            LineStatus::InPreparation => "in_preparation",
            LineStatus::Launched => "launched",
            LineStatus::Awarded => "awarded",
            LineStatus::Cancelled => "cancelled",
        }
    }

    fn is_default(&self) -> bool {
        *self == LineStatus::ToLaunch
    }
}

impl fmt::Display for LineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a purchase is bought when not by the buyer's own procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IntermediaryKind {
    /// A central purchasing body (*centrale d'achat*: UGAP, RESAH, CAIH…, L2113-2 to
    /// L2113-5): the buyer that buys through it is exempt from its own procedure.
    CentralPurchasingBody,
    /// A purchasing group (*groupement de commandes*, L2113-6 to L2113-8) whose coordinator
    /// runs the procedure.
    PurchasingGroup,
}

/// A central purchasing body or purchasing group through which a line is bought: the line
/// counts in spend and indicators, but needs no procedure of the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Intermediary {
    /// Which kind.
    pub kind: IntermediaryKind,
    /// Its name (`UGAP`, `groupement régional…`).
    pub name: String,
}

/// The consultation a line is a lot of: lots of one consultation are valued together and are
/// not a splitting risk; small lots may take a lighter procedure (R2123-1 2°, R2122-8 lots).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Lot {
    /// The consultation's key (shared by its lots).
    pub consultation: String,
    /// The lot's number in the consultation (from 1).
    pub number: u32,
}

/// One planned purchase of a programme.
///
/// `amount` is the estimated value HT **for the whole duration**, options and renewals
/// included (R2121-1). Lines of supplies or services with the same `family` launched in the
/// same calendar year form one group, lines of works with the same `operation` form one group,
/// and the procedure of a line is decided on its group's value (see
/// [`Programme::estimate`](crate::Programme::estimate)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    /// Identifier, unique in the programme.
    pub id: String,
    /// What is bought.
    pub label: String,
    /// Homogeneous family key of supplies and services (the buyer's own nomenclature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Main CPV code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpv: Option<CpvCode>,
    /// Works, supplies or services.
    pub nature: Nature,
    /// Estimated value HT for the whole duration, options and renewals included.
    pub amount: Amount,
    /// Planned launch date of the consultation: picks the thresholds in force.
    pub launch_date: NaiveDate,
    /// Duration of the contract, in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Works operation key (groups works lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Whether the purchase is innovative (R2122-9-1).
    #[serde(default)]
    pub innovative: bool,
    /// Whether the line buys social and other specific services (R2123-1 3°: the services
    /// listed by the code's annex, such as health, social, cultural, hotel and catering,
    /// legal or security services), which may use the adapted procedure whatever their value.
    /// Services only. Written to JSON only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub specific_services: bool,
    /// Planned considerations, as dimension tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub considerations: Vec<Dimension>,
    /// End date of the current contract when the line renews one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_end_date: Option<NaiveDate>,
    /// For a new need, the date by which it must be met (the calendar back-plans the launch
    /// from it as from a renewal's end date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_date: Option<NaiveDate>,
    /// Where the line stands (to launch by default).
    #[serde(default, skip_serializing_if = "LineStatus::is_default")]
    pub status: LineStatus,
    /// Bought through a central purchasing body or a purchasing group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediary: Option<Intermediary>,
    /// The consultation the line is a lot of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<Lot>,
    /// A no-competition case the buyer records (R2122-1 to R2122-11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_competition: Option<NoCompetitionCase>,
    /// The award criteria planned (kinds and weights), when decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_criteria: Option<Vec<AwardCriterion>>,
    /// A recorded exception to the social consideration of L2112-2-1, with its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_exemption: Option<SocialExemption>,
    /// Whether the contract is a defence or security contract by its object (L1113-1):
    /// a property of the contract, not of the buyer. Written to JSON only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub defence_security: bool,
    /// Whether the line must not be published in the forward plan. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidential: bool,
    /// The départements where the contract is performed (the buyer's when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departements: Vec<Departement>,
    /// Ids of the awarded contracts (DECP `id`) the line became, when the buyer records them:
    /// an explicit link wins over the follow-up's matching.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contract_ids: Vec<String>,
}

/// The instrument under which a planned consideration is counted while its instrument is not
/// chosen yet: the execution clause (condition d'exécution), the instrument that L2112-2 makes
/// mandatory for the environmental dimension and the usual one for social insertion.
const PLANNED: Instrument = Instrument::ExecutionClause;

const fn whole(dimension: Dimension) -> Coverage {
    Coverage {
        dimension,
        instrument: PLANNED,
        share: Share::ONE,
    }
}
const S: Coverage = whole(Dimension::Social);
const E: Coverage = whole(Dimension::Environmental);
const I: Coverage = whole(Dimension::Innovation);

/// Coverage slices for every subset of dimensions, indexed by a bit mask
/// (social = 1, environmental = 2, innovation = 4).
static COVERAGES: [&[Coverage]; 8] = [&[], &[S], &[E], &[S, E], &[I], &[S, I], &[E, I], &[S, E, I]];

impl PlanLine {
    /// A line with the required fields only.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        nature: Nature,
        amount: Amount,
        launch_date: NaiveDate,
    ) -> PlanLine {
        PlanLine {
            id: id.into(),
            label: label.into(),
            family: None,
            cpv: None,
            nature,
            amount,
            launch_date,
            duration_months: None,
            service: None,
            operation: None,
            innovative: false,
            specific_services: false,
            considerations: Vec::new(),
            current_end_date: None,
            need_date: None,
            status: LineStatus::ToLaunch,
            intermediary: None,
            lot: None,
            no_competition: None,
            award_criteria: None,
            social_exemption: None,
            defence_security: false,
            confidential: false,
            departements: Vec::new(),
            contract_ids: Vec::new(),
        }
    }

    /// The line as the indicator engine sees it (a projection of the plan).
    ///
    /// `date` is the launch date; `family` is the works operation for works (the family when
    /// there is none) and the family for supplies and services (the operation when there is
    /// none); every planned dimension becomes a [`Coverage`] of the whole line under
    /// [`Instrument::ExecutionClause`] — the instrument L2112-2 makes mandatory, taken as the
    /// default while the instrument is not chosen (indicators that do not restrict instruments
    /// are unaffected by this choice). No allocation: the coverages are static.
    ///
    /// ```
    /// use spaser::{Dimension, Indicator, IndicatorEngine, Programme};
    /// let programme = Programme::sample();
    /// let mut engine = IndicatorEngine::new(Indicator::standard());
    /// for line in &programme.lines {
    ///     engine.add(&line.purchase());
    /// }
    /// let table = engine.finish();
    /// assert!(table.total("environmental", 2026).is_some());
    /// ```
    pub fn purchase(&self) -> Purchase<'_> {
        let mut mask = 0usize;
        for d in &self.considerations {
            mask |= match d {
                Dimension::Social => 1,
                Dimension::Environmental => 2,
                Dimension::Innovation => 4,
            };
        }
        let family = match self.nature {
            Nature::Works => self.operation.as_deref().or(self.family.as_deref()),
            _ => self.family.as_deref().or(self.operation.as_deref()),
        };
        let mut p = Purchase::new(self.launch_date, self.amount);
        p.cpv = self.cpv;
        p.nature = Some(self.nature);
        p.family = family;
        p.service = self.service.as_deref();
        p.innovative = self.innovative;
        p.considerations = COVERAGES[mask];
        p
    }
}

/// A buyer's purchasing programme (programmation des achats): its planned lines.
///
/// The tour of the README's "Programme" section (kept identical):
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Buyer, BuyerKind, Calendar, LeadTimes, Procedure, Programme, Rulebook};
///
/// // A French export: `;`, decimal comma, non-breaking spaces, `€`, dd/mm/yyyy, oui/non.
/// let csv = "identifiant;libellé;famille;nature;montant_ht;date_lancement;innovant;date_fin_actuelle\n\
///            P1;Papier;PAP;fournitures;25\u{a0}000,00 €;04/05/2026;non;\n\
///            P2;Enveloppes;PAP;fournitures;40 000 €;15/06/2026;non;\n\
///            N1;Nettoyage;NET;services;760 000,00 €;04/05/2026;non;31/12/2026\n";
/// let buyer = Buyer::new("Ville", BuyerKind::OtherContractingAuthority);
/// let programme = Programme::from_csv(csv.as_bytes(), buyer)?;
///
/// // Thresholds are dated data with article, period and confidence (`Rulebook::from_json` loads yours).
/// let rules = Rulebook::embedded();
/// let estimation = programme.estimate(rules)?;
/// let p1 = estimation.line("P1").unwrap();
/// assert_eq!(p1.group_key(), "supplies:PAP:2026");
/// assert_eq!(p1.group_value.to_string(), "65000.00"); // the family, not the line, decides
/// assert_eq!(p1.procedure, Procedure::Adapted); // 65,000 >= 60,000 (R2122-8 from 2026-04-01)
/// assert_eq!(p1.legal_basis(), "R2123-1 1°");
/// assert!(!p1.warnings().is_empty()); // splitting risk: P1 alone would be below 60,000
///
/// // Renewals: latest launch and sourcing dates, late flags at a reference date you pass in.
/// let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
/// let calendar = Calendar::new(&programme, &estimation, &LeadTimes::default(), today)?;
/// let n1 = calendar.entry("N1").unwrap();
/// assert_eq!(n1.launch_by, NaiveDate::from_ymd_opt(2026, 6, 30)); // formal: 6 months before the end
/// assert_eq!(n1.sourcing_by, NaiveDate::from_ymd_opt(2026, 4, 30));
/// assert!(!n1.late && n1.sourcing_late);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// The buyer.
    pub buyer: Buyer,
    /// The planned lines, in the order given.
    pub lines: Vec<PlanLine>,
}

static SAMPLE: OnceLock<Programme> = OnceLock::new();

/// What is wrong with a line whatever its file: each problem with the field it concerns
/// (the JSON name). Empty for a valid line.
pub(crate) fn line_problems(l: &PlanLine) -> Vec<(&'static str, Error)> {
    let mut out = Vec::new();
    if l.id.trim().is_empty() {
        out.push(("id", Error::new(ErrorKind::Missing, "the id is empty")));
    }
    if l.specific_services && l.nature != Nature::Services {
        out.push((
            "specific_services",
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "specific services (R2123-1 3°) apply to services, not {}",
                    l.nature
                ),
            ),
        ));
    }
    for (field, date) in [
        ("launch_date", Some(l.launch_date)),
        ("current_end_date", l.current_end_date),
        ("need_date", l.need_date),
    ] {
        if let Some(d) = date {
            if let Err(e) = check_plausible_date(d, &d.to_string()) {
                out.push((field, e));
            }
        }
    }
    if let Some(lot) = &l.lot {
        if lot.number == 0 {
            out.push((
                "lot",
                Error::new(ErrorKind::InvalidValue, "lot 0: lots are numbered from 1"),
            ));
        }
        if lot.consultation.trim().is_empty() {
            out.push((
                "lot",
                Error::new(ErrorKind::Missing, "the lot's consultation is empty"),
            ));
        }
    }
    if let Some(x) = &l.social_exemption {
        if x.reason.trim().is_empty() {
            out.push((
                "social_exemption",
                Error::new(ErrorKind::Missing, "the social exemption's reason is empty"),
            ));
        }
    }
    if let Some(i) = &l.intermediary {
        if i.name.trim().is_empty() {
            out.push((
                "intermediary",
                Error::new(
                    ErrorKind::Missing,
                    "the central purchasing body or purchasing group has no name",
                ),
            ));
        }
    }
    if l.contract_ids.iter().any(|c| c.trim().is_empty()) {
        out.push((
            "contract_ids",
            Error::new(ErrorKind::Missing, "a contract id is empty"),
        ));
    }
    out
}

impl Programme {
    /// A programme, checking that line ids are unique.
    ///
    /// # Errors
    /// The errors of [`Programme::validate`].
    pub fn new(buyer: Buyer, lines: Vec<PlanLine>) -> Result<Programme> {
        let p = Programme { buyer, lines };
        p.validate()?;
        Ok(p)
    }

    /// Checks the invariants a deserialized or hand-built programme must hold: non-empty,
    /// unique line ids; specific services (R2123-1 3°) only on services lines; dates within
    /// 1990–2100 (a two-digit year is named as such); lots numbered from 1 with their
    /// consultation; social exemptions with their reason; named intermediaries; no empty
    /// contract id.
    ///
    /// # Errors
    /// The first problem: [`ErrorKind::Duplicate`] naming the repeated id and both positions;
    /// [`ErrorKind::Missing`] for an empty id, consultation, reason, name or contract id;
    /// [`ErrorKind::InvalidValue`] naming the line and the field for `specific_services` on
    /// works or supplies, an implausible date or lot 0.
    pub fn validate(&self) -> Result<()> {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            if let Some((field, e)) = line_problems(l).into_iter().next() {
                return Err(Error::new(
                    e.kind(),
                    format!(
                        "line {} (id \"{}\"), field \"{field}\": {e}",
                        i + 1,
                        excerpt(&l.id)
                    ),
                ));
            }
            if let Some(first) = seen.insert(&l.id, i) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "line {}: id \"{}\" is already used by line {}",
                        i + 1,
                        excerpt(&l.id),
                        first + 1
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The programme as pretty-printed JSON (deterministic: fields in declaration order,
    /// lines in programme order, amounts as strings).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("programme JSON: {e}")).with_source(e)
        })
    }

    /// The embedded sample programme: a mid-size French town planning about sixty purchases
    /// over 2026–2028 (works, supplies, services; families, works operations, renewals,
    /// innovative lines, and a few lines that only a group makes cross a threshold).
    pub fn sample() -> &'static Programme {
        SAMPLE.get_or_init(|| {
            // The embedded CSV is part of the crate and is read by the unit test
            // `sample_programme_parses`: this cannot fail at run time.
            Programme::from_csv(
                include_str!("../data/sample_programme.csv").as_bytes(),
                sample_buyer(),
            )
            .expect("embedded sample programme is valid (checked by tests)")
        })
    }

    /// The line with id `id`.
    pub fn line(&self, id: &str) -> Option<&PlanLine> {
        self.lines.iter().find(|l| l.id == id)
    }
}

fn sample_buyer() -> Buyer {
    let mut buyer = Buyer::new(
        "Ville de Valmont-sur-Loire",
        BuyerKind::OtherContractingAuthority,
    );
    buyer.siret = Siret::parse(SAMPLE_SIRET).ok();
    buyer
}

/// A fictitious SIRET of a commune (SIREN starting with 21), passing the Luhn check.
const SAMPLE_SIRET: &str = "21490999600016";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_programme_parses() {
        let p = Programme::from_csv(
            include_str!("../data/sample_programme.csv").as_bytes(),
            sample_buyer(),
        )
        .unwrap();
        assert!(p.lines.len() >= 50);
        assert!(p.buyer.siret.is_some(), "sample SIRET passes Luhn");
    }
}
