//! The purchase as the lever catalogue and the obligations engine see it: a small concrete
//! record (nature, CPV, value, launch date, buyer kind, considerations, award criteria,
//! reserved article, recorded exemption) built from a plan line or from any purchase.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocabulary::consideration::Consideration;

use crate::error::{Error, ErrorKind, Result};
use crate::values::buyer_kind::BuyerKind;
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

/// A weighted award criterion.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AwardCriterion {
    /// Name as written in the consultation documents.
    pub name: String,
    /// What it weighs.
    pub kind: CriterionKind,
    /// Weight (a share of 1; the weights of a consultation sum to 1).
    pub weight: Share,
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
            environmental: kind == CriterionKind::Environmental,
        }
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
/// The list follows the chapter's articles as summarised by secondary sources (confidence `S`
/// until checked against the code's text).
///
/// ```
/// use spaser::NoCompetitionCase;
/// let c: NoCompetitionCase = "imperative_urgency".parse()?;
/// assert_eq!(c.article(), "R2122-1");
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
    /// Only one operator can perform: a unique work of art or artistic performance, no
    /// competition for technical reasons, or exclusive rights (R2122-3).
    SingleOperator,
    /// Additional deliveries of supplies by the original supplier (R2122-4).
    AdditionalDeliveries,
    /// Supplies quoted and bought on a commodity market (R2122-5).
    CommodityMarket,
    /// Supplies or services bought on particularly advantageous terms from an operator
    /// ceasing its activity or in insolvency proceedings (R2122-6).
    AdvantageousTerms,
    /// New works or services repeating similar ones entrusted to the same operator
    /// (R2122-7).
    RepeatedServices,
    /// A service contract awarded to the winner(s) of a design contest (R2122-10).
    DesignContest,
    /// Supplies made only for research, experiment, study or development (R2122-11).
    Research,
}

impl NoCompetitionCase {
    /// Every case.
    pub const ALL: [NoCompetitionCase; 9] = [
        NoCompetitionCase::ImperativeUrgency,
        NoCompetitionCase::UnsuccessfulProcedure,
        NoCompetitionCase::SingleOperator,
        NoCompetitionCase::AdditionalDeliveries,
        NoCompetitionCase::CommodityMarket,
        NoCompetitionCase::AdvantageousTerms,
        NoCompetitionCase::RepeatedServices,
        NoCompetitionCase::DesignContest,
        NoCompetitionCase::Research,
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
            NoCompetitionCase::RepeatedServices => "repeated_services",
            NoCompetitionCase::DesignContest => "design_contest",
            NoCompetitionCase::Research => "research",
        }
    }

    /// The article of the case.
    pub fn article(&self) -> &'static str {
        match self {
            NoCompetitionCase::ImperativeUrgency => "R2122-1",
            NoCompetitionCase::UnsuccessfulProcedure => "R2122-2",
            NoCompetitionCase::SingleOperator => "R2122-3",
            NoCompetitionCase::AdditionalDeliveries => "R2122-4",
            NoCompetitionCase::CommodityMarket => "R2122-5",
            NoCompetitionCase::AdvantageousTerms => "R2122-6",
            NoCompetitionCase::RepeatedServices => "R2122-7",
            NoCompetitionCase::DesignContest => "R2122-10",
            NoCompetitionCase::Research => "R2122-11",
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
    /// The serialized name, or the article (`R2122-1`, `r2122-3`…).
    fn from_str(s: &str) -> Result<NoCompetitionCase> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        NoCompetitionCase::ALL
            .into_iter()
            .find(|c| c.as_str() == t || c.article().to_lowercase().replace('-', "_") == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "no-competition case \"{}\" is unknown; accepted: {} (or their articles R2122-1 to R2122-11)",
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
