//! The purchase as the lever catalogue and the obligations engine see it: a small concrete
//! record (nature, CPV, value, launch date, buyer kind, procedure, considerations, award
//! criteria, reserved article, recorded exemption, defence or security object…) built from a
//! plan line or from any purchase.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocabulary::consideration::Consideration;

use crate::error::{Error, ErrorKind, Result};
use crate::law::procedure::Procedure;
use crate::values::buyer_kind::BuyerKind;
use crate::values::confidence::Confidence;
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;
use crate::vocabulary::dimension::Dimension;

/// A purchase to judge: a planned line or any contract, on its launch date.
///
/// `amount` is the purchase's own value HT; `group_value` the estimated value that decides
/// thresholds (the homogeneous family or works operation, R2121-1 to R2121-9), which defaults
/// to `amount`.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, BuyerKind, Nature, PurchaseContext};
/// let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
/// let p = PurchaseContext::new("L1", Nature::Services, Amount::from_euros(250_000), date,
///                              BuyerKind::OtherContractingAuthority)
///     .with_cpv("90910000".parse()?);
/// assert_eq!(p.value_for_thresholds(), Amount::from_euros(250_000));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseContext {
    /// Identifier (plan line id, contract id).
    pub id: String,
    /// Nature.
    pub nature: Nature,
    /// Main CPV code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpv: Option<CpvCode>,
    /// The purchase's value HT.
    pub amount: Amount,
    /// The estimated value of its group (family or operation), when estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_value: Option<Amount>,
    /// Launch date of the consultation (or date the notice is sent for publication).
    pub launch_date: NaiveDate,
    /// Kind of buyer.
    pub buyer_kind: BuyerKind,
    /// Whether the contract is a concession.
    #[serde(default)]
    pub concession: bool,
    /// Duration in months, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Considerations planned or carried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub considerations: Vec<Consideration>,
    /// Award criteria, when known (`None`: not known yet, checks report `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_criteria: Option<Vec<AwardCriterion>>,
    /// The reserved-contract article used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved: Option<ReservedArticle>,
    /// A recorded exception to the social or employment consideration (L2112-2-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_exemption: Option<SocialExemption>,
    /// Whether the contract is a defence or security contract **by its object** (L1113-1): a
    /// property of the contract, not of the buyer. Its considerations stay optional
    /// (L2312-1-1) and it takes the defence and security column of EU thresholds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub defence_security: bool,
    /// Whether it buys social and other specific services (R2123-1 3°): the social condition
    /// of L2112-2-1 is then compared with their own EU threshold.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub specific_services: bool,
    /// Whether the purchase is declared innovative (R2122-9-1, DECP `marcheInnovant`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub innovative: bool,
    /// The procedure, when decided (the estimation's); `None`: the engine infers whether the
    /// procedure is formal from the EU threshold when it needs to know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<Procedure>,
    /// The article that makes it the procedure (`R2122-8`, `R2122-3`…), when known: says on
    /// which ground a purchase is awarded without competition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// Bought through a central purchasing body (L2113-4): the contract, its procedure and its
    /// considerations are the central purchasing body's, not the buyer's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub central_purchasing_body: bool,
}

impl PurchaseContext {
    /// A purchase with no CPV, considerations, criteria or exemption.
    pub fn new(
        id: impl Into<String>,
        nature: Nature,
        amount: Amount,
        launch_date: NaiveDate,
        buyer_kind: BuyerKind,
    ) -> PurchaseContext {
        PurchaseContext {
            id: id.into(),
            nature,
            cpv: None,
            amount,
            group_value: None,
            launch_date,
            buyer_kind,
            concession: false,
            duration_months: None,
            service: None,
            considerations: Vec::new(),
            award_criteria: None,
            reserved: None,
            social_exemption: None,
            defence_security: false,
            specific_services: false,
            innovative: false,
            procedure: None,
            legal_basis: None,
            central_purchasing_body: false,
        }
    }

    /// Sets the CPV code.
    pub fn with_cpv(mut self, cpv: CpvCode) -> PurchaseContext {
        self.cpv = Some(cpv);
        self
    }

    /// Sets the group value.
    pub fn with_group_value(mut self, value: Amount) -> PurchaseContext {
        self.group_value = Some(value);
        self
    }

    /// Adds a consideration.
    pub fn with_consideration(mut self, c: Consideration) -> PurchaseContext {
        self.considerations.push(c);
        self
    }

    /// Sets the award criteria.
    pub fn with_award_criteria(mut self, criteria: Vec<AwardCriterion>) -> PurchaseContext {
        self.award_criteria = Some(criteria);
        self
    }

    /// Marks the contract as a defence or security contract by its object (L1113-1).
    pub fn with_defence_security(mut self, defence_security: bool) -> PurchaseContext {
        self.defence_security = defence_security;
        self
    }

    /// Sets the procedure and the article that makes it the procedure.
    pub fn with_procedure(
        mut self,
        procedure: Procedure,
        legal_basis: impl Into<String>,
    ) -> PurchaseContext {
        self.procedure = Some(procedure);
        self.legal_basis = Some(legal_basis.into());
        self
    }

    /// The column of EU thresholds that applies: the defence and security one for a defence or
    /// security contract (by its object), the buyer's own otherwise. A buyer recorded with the
    /// defence and security kind takes the central government column for its ordinary
    /// contracts (the ministry of the armed forces is a central government authority).
    pub fn threshold_kind(&self) -> BuyerKind {
        threshold_column(self.buyer_kind, self.defence_security)
    }

    /// The value that decides thresholds: the group value, or the purchase's own value.
    pub fn value_for_thresholds(&self) -> Amount {
        self.group_value.unwrap_or(self.amount)
    }

    /// Whether a consideration of `dimension` through `instrument` is carried.
    pub fn has(
        &self,
        dimension: Dimension,
        instrument: crate::vocabulary::dimension::Instrument,
    ) -> bool {
        self.considerations
            .iter()
            .any(|c| c.dimension == dimension && c.instrument == instrument)
    }
}

/// The column of EU thresholds of a contract of a buyer of kind `buyer`: the defence and
/// security one for a defence or security contract (by its object, L1113-1), the buyer's own
/// otherwise — a buyer recorded with the defence kind takes the central government column for
/// its ordinary contracts.
pub(crate) fn threshold_column(buyer: BuyerKind, defence_security: bool) -> BuyerKind {
    match (defence_security, buyer) {
        (true, _) => BuyerKind::DefenceSecurity,
        (false, BuyerKind::DefenceSecurity) => BuyerKind::CentralGovernment,
        (false, k) => k,
    }
}

/// What an award criterion weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CriterionKind {
    /// The price alone.
    Price,
    /// A cost in a global approach (possibly life-cycle cost, R2152-9).
    Cost,
    /// Technical value or quality.
    Quality,
    /// Environmental performance.
    Environmental,
    /// Social performance (e.g. insertion).
    Social,
    /// Innovation.
    Innovation,
    /// Delivery or performance time.
    Delay,
    /// Anything else.
    Other,
}

/// An award criterion, weighted (a weight, or a range of weights) or, where weighting is
/// objectively impossible, ranked (R2152-12).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AwardCriterion {
    /// Name as written in the consultation documents.
    pub name: String,
    /// What it weighs.
    pub kind: CriterionKind,
    /// Weight, a share of 1 (the lower end when a range is given). Nothing requires the
    /// weights of a consultation to sum to 1; zero for a criterion that is only ranked.
    pub weight: Share,
    /// The upper end of the weight when it is given as a range (R2152-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_max: Option<Share>,
    /// The rank in decreasing order of importance (1 first) when weighting is objectively
    /// impossible (R2152-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Whether the criterion takes environmental characteristics into account (always true
    /// for [`CriterionKind::Environmental`]; set it for a cost criterion including
    /// environmental costs, or a quality criterion with an environmental sub-criterion).
    #[serde(default)]
    pub environmental: bool,
}

impl AwardCriterion {
    /// A criterion; `environmental` is set for [`CriterionKind::Environmental`].
    pub fn new(name: impl Into<String>, kind: CriterionKind, weight: Share) -> AwardCriterion {
        AwardCriterion {
            name: name.into(),
            kind,
            weight,
            weight_max: None,
            rank: None,
            environmental: kind == CriterionKind::Environmental,
        }
    }

    /// A criterion ranked `rank` (1 first) rather than weighted (R2152-12).
    pub fn ranked(name: impl Into<String>, kind: CriterionKind, rank: u32) -> AwardCriterion {
        let mut c = AwardCriterion::new(name, kind, Share::ZERO);
        c.rank = Some(rank);
        c
    }

    /// Gives the weight as the range `weight..=max` (R2152-12).
    pub fn with_weight_range(mut self, max: Share) -> AwardCriterion {
        self.weight_max = Some(max);
        self
    }

    /// Whether the criterion is weighted (a positive weight or a range) or ranked, as
    /// R2152-12 requires in a formal procedure.
    pub fn is_weighted_or_ranked(&self) -> bool {
        self.weight != Share::ZERO
            || self.weight_max.is_some_and(|m| m != Share::ZERO)
            || self.rank.is_some()
    }

    /// Marks the criterion as taking environmental characteristics into account.
    pub fn environmental(mut self) -> AwardCriterion {
        self.environmental = true;
        self
    }

    /// Whether it takes environmental characteristics into account.
    pub fn is_environmental(&self) -> bool {
        self.environmental || self.kind == CriterionKind::Environmental
    }
}

/// The article under which a contract is reserved (FACTS §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ReservedArticle {
    /// L2113-12: adapted enterprises, ESAT and equivalents (≥ 50 % disabled workers).
    L2113_12,
    /// L2113-13: insertion structures (≥ 50 % disadvantaged workers).
    L2113_13,
    /// L2113-13-1: operators working inside prisons (≥ 50 % detainees).
    L2113_13_1,
    /// L2113-15: ESS enterprises with a public-service mission (listed services, ≤ 3 years).
    L2113_15,
}

impl ReservedArticle {
    /// Every article.
    pub const ALL: [ReservedArticle; 4] = [
        ReservedArticle::L2113_12,
        ReservedArticle::L2113_13,
        ReservedArticle::L2113_13_1,
        ReservedArticle::L2113_15,
    ];

    /// The article, e.g. `L2113-12`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReservedArticle::L2113_12 => "L2113-12",
            ReservedArticle::L2113_13 => "L2113-13",
            ReservedArticle::L2113_13_1 => "L2113-13-1",
            ReservedArticle::L2113_15 => "L2113-15",
        }
    }
}

impl fmt::Display for ReservedArticle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReservedArticle {
    type Err = Error;
    fn from_str(s: &str) -> Result<ReservedArticle> {
        let t = s.trim().trim_start_matches("CCP").trim();
        ReservedArticle::ALL
            .into_iter()
            .find(|a| a.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "reserved article \"{s}\" is unknown; accepted: L2113-12, L2113-13, L2113-13-1, L2113-15"
                    ),
                )
            })
    }
}

impl Serialize for ReservedArticle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReservedArticle {
    fn deserialize<D: serde::Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<ReservedArticle, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The cases in which a contract may do without the social or employment consideration of
/// L2112-2-1. The exact legal wording is not verified (FACTS §2, `?`): the cases are the ones
/// reported by secondary sources, and [`SocialExemptionCase::Other`] takes any other case;
/// every exemption records a free reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SocialExemptionCase {
    /// The need is met by an immediately available solution.
    ImmediatelyAvailableSolution,
    /// No sufficient link with the subject-matter of the contract.
    NoLinkWithSubjectMatter,
    /// Risk of restricting competition or of making performance technically or economically
    /// difficult.
    CompetitionOrPerformanceRisk,
    /// Another case, described in the reason.
    Other,
}

impl SocialExemptionCase {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            SocialExemptionCase::ImmediatelyAvailableSolution => "immediately_available_solution",
            SocialExemptionCase::NoLinkWithSubjectMatter => "no_link_with_subject_matter",
            SocialExemptionCase::CompetitionOrPerformanceRisk => "competition_or_performance_risk",
            SocialExemptionCase::Other => "other",
        }
    }
}

impl fmt::Display for SocialExemptionCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A case, recorded by the buyer, in which a contract may be awarded without publicity or
/// competition whatever its value (R2122-1 to R2122-11 except the value thresholds of
/// R2122-8, R2122-9 and R2122-9-1, which the estimation decides). These are conditions the
/// buyer asserts and must be able to justify, not thresholds: the crate records the case and
/// cites its article, it does not check the facts.
///
/// The list and the articles were checked against the code's text as reproduced by
/// marche-public.fr (R2122-3, R2122-4), code-commande-publique.com (R2122-5, R2122-7,
/// R2122-11 1°), marche-public.info (R2122-1, R2122-10) and Légifrance (R2172 section citing
/// R2122-6 for the design contest): confidence `V`, except R2122-2 (order of a summary, text
/// not read) and R2122-11 2° (a translation cut short), `S` ([`NoCompetitionCase::confidence`]).
/// Earlier versions of the crate gave R2122-5 to the commodity market, R2122-6 to advantageous
/// terms, R2122-10 to the design contest and R2122-11 to research supplies: the serialized
/// names are unchanged, the articles are corrected.
///
/// ```
/// use spaser::{Confidence, NoCompetitionCase};
/// let c: NoCompetitionCase = "imperative_urgency".parse()?;
/// assert_eq!(c.article(), "R2122-1");
/// assert_eq!(NoCompetitionCase::DesignContest.article(), "R2122-6");
/// assert_eq!(NoCompetitionCase::CommodityMarket.confidence(), Confidence::V);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoCompetitionCase {
    /// Imperative urgency resulting from external, unforeseeable circumstances (R2122-1).
    ImperativeUrgency,
    /// An earlier procedure received no tender, no application or only inappropriate ones
    /// (R2122-2).
    UnsuccessfulProcedure,
    /// Only one operator can perform: a unique work of art or artistic performance, technical
    /// reasons, or exclusive rights (R2122-3).
    SingleOperator,
    /// Supplies: additional deliveries by the original supplier (R2122-4 1°).
    AdditionalDeliveries,
    /// Supplies: raw materials quoted and bought on a commodity exchange (R2122-4 2°).
    CommodityMarket,
    /// Supplies or services bought on particularly advantageous terms from an operator
    /// ceasing its activity or in insolvency proceedings (R2122-5).
    AdvantageousTerms,
    /// A service contract awarded to the winner(s) of a design contest (R2122-6).
    DesignContest,
    /// Works or services similar to those of an earlier contract awarded after competition to
    /// the same operator, announced in it, within three years (R2122-7).
    RepeatedServices,
    /// A contracting authority's purchase of products made only for research, experiment,
    /// study or development (R2122-10).
    Research,
    /// A utility's contract for research, experiment, study or development purposes
    /// (R2122-11 1°).
    UtilityResearch,
    /// A utility's purchase of supplies on a particularly advantageous opportunity
    /// (R2122-11 2°).
    UtilityOpportunity,
}

impl NoCompetitionCase {
    /// Every case.
    pub const ALL: [NoCompetitionCase; 11] = [
        NoCompetitionCase::ImperativeUrgency,
        NoCompetitionCase::UnsuccessfulProcedure,
        NoCompetitionCase::SingleOperator,
        NoCompetitionCase::AdditionalDeliveries,
        NoCompetitionCase::CommodityMarket,
        NoCompetitionCase::AdvantageousTerms,
        NoCompetitionCase::DesignContest,
        NoCompetitionCase::RepeatedServices,
        NoCompetitionCase::Research,
        NoCompetitionCase::UtilityResearch,
        NoCompetitionCase::UtilityOpportunity,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            NoCompetitionCase::ImperativeUrgency => "imperative_urgency",
            NoCompetitionCase::UnsuccessfulProcedure => "unsuccessful_procedure",
            NoCompetitionCase::SingleOperator => "single_operator",
            NoCompetitionCase::AdditionalDeliveries => "additional_deliveries",
            NoCompetitionCase::CommodityMarket => "commodity_market",
            NoCompetitionCase::AdvantageousTerms => "advantageous_terms",
            NoCompetitionCase::DesignContest => "design_contest",
            NoCompetitionCase::RepeatedServices => "repeated_services",
            NoCompetitionCase::Research => "research",
            NoCompetitionCase::UtilityResearch => "utility_research",
            NoCompetitionCase::UtilityOpportunity => "utility_opportunity",
        }
    }

    /// The article of the case.
    pub fn article(&self) -> &'static str {
        match self {
            NoCompetitionCase::ImperativeUrgency => "R2122-1",
            NoCompetitionCase::UnsuccessfulProcedure => "R2122-2",
            NoCompetitionCase::SingleOperator => "R2122-3",
            NoCompetitionCase::AdditionalDeliveries => "R2122-4 1°",
            NoCompetitionCase::CommodityMarket => "R2122-4 2°",
            NoCompetitionCase::AdvantageousTerms => "R2122-5",
            NoCompetitionCase::DesignContest => "R2122-6",
            NoCompetitionCase::RepeatedServices => "R2122-7",
            NoCompetitionCase::Research => "R2122-10",
            NoCompetitionCase::UtilityResearch => "R2122-11 1°",
            NoCompetitionCase::UtilityOpportunity => "R2122-11 2°",
        }
    }

    /// How firmly the case and its article were checked (see the type's documentation).
    pub fn confidence(&self) -> Confidence {
        match self {
            NoCompetitionCase::UnsuccessfulProcedure | NoCompetitionCase::UtilityOpportunity => {
                Confidence::S
            }
            _ => Confidence::V,
        }
    }

    /// The natures the case can cover (its article names them).
    pub fn natures(&self) -> &'static [Nature] {
        match self {
            NoCompetitionCase::AdditionalDeliveries
            | NoCompetitionCase::CommodityMarket
            | NoCompetitionCase::Research
            | NoCompetitionCase::UtilityOpportunity => &[Nature::Supplies],
            NoCompetitionCase::AdvantageousTerms => &[Nature::Supplies, Nature::Services],
            NoCompetitionCase::DesignContest => &[Nature::Services],
            NoCompetitionCase::RepeatedServices => &[Nature::Works, Nature::Services],
            _ => &Nature::ALL,
        }
    }

    /// Whether only utilities (*entités adjudicatrices*) may use it (R2122-11), or only
    /// contracting authorities (R2122-10): `Some(true)` utilities only, `Some(false)`
    /// contracting authorities only, `None` every buyer.
    pub fn utilities_only(&self) -> Option<bool> {
        match self {
            NoCompetitionCase::UtilityResearch | NoCompetitionCase::UtilityOpportunity => {
                Some(true)
            }
            NoCompetitionCase::Research => Some(false),
            _ => None,
        }
    }
}

impl fmt::Display for NoCompetitionCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NoCompetitionCase {
    type Err = Error;
    /// The serialized name, or the article (`R2122-1`, `r2122-3`, `R2122-4 2°`…).
    fn from_str(s: &str) -> Result<NoCompetitionCase> {
        let norm = |x: &str| {
            x.trim()
                .to_lowercase()
                .replace(['-', ' '], "_")
                .replace('°', "")
        };
        let t = norm(s);
        NoCompetitionCase::ALL
            .into_iter()
            .find(|c| c.as_str() == t || norm(c.article()) == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "no-competition case \"{}\" is unknown; accepted: {} or an article",
                        crate::util::text::excerpt(s),
                        NoCompetitionCase::ALL.map(|c| c.as_str()).join(", ")
                    ),
                )
            })
    }
}

/// A recorded exception to the social or employment consideration, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SocialExemption {
    /// The case.
    pub case: SocialExemptionCase,
    /// Why, in the buyer's words (required, not empty).
    pub reason: String,
}

impl SocialExemption {
    /// Records an exemption.
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] when `reason` is blank.
    pub fn new(case: SocialExemptionCase, reason: impl Into<String>) -> Result<SocialExemption> {
        let reason = reason.into();
        if reason.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                "social exemption: field \"reason\" is empty",
            ));
        }
        Ok(SocialExemption { case, reason })
    }
}
