//! The legal obligations engine: for a purchase on its launch date, or a buyer for a calendar
//! year, findings naming the article, the kind (obligation or recommendation), the status and
//! the confidence. The law is read from the [`Rulebook`] (its `obligations` section and its EU
//! thresholds); nothing here hard-codes a legal figure.
//!
//! Every share compared with a rate (AGEC, EGalim) goes through the crate's one indicator
//! engine arithmetic ([`Measure::reaches`]): exact, never rounded, and a portion below the rate
//! is never reported as met. A rate that is not established gives `unknown`, never `met`.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, Measure};
use crate::law::context::{CriterionKind, PurchaseContext};
use crate::law::obligation_rules::{
    ContractRule, DatedArticle, EgalimShare, ObligationId, ObligationRules, RateCell,
};
use crate::law::procedure::Procedure;
use crate::law::rulebook::Rulebook;
use crate::values::buyer_kind::BuyerStatus;
use crate::values::confidence::Confidence;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// Whether a finding states a legal obligation or a recommendation (the rule does not bind
/// yet, or binds no longer, but is good practice or national policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// A legal obligation on that date.
    Obligation,
    /// A recommendation.
    Recommendation,
}

/// The status of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Satisfied.
    Met,
    /// Not satisfied.
    Missing,
    /// The rule does not apply (date, value, nature, buyer).
    NotApplicable,
    /// An exception is recorded; the finding's reason gives it.
    Exempted,
    /// Cannot be decided: a rate, a fact or a coverage is not established.
    Unknown,
}

impl FindingKind {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            FindingKind::Obligation => "obligation",
            FindingKind::Recommendation => "recommendation",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missing => "missing",
            Status::NotApplicable => "not_applicable",
            Status::Exempted => "exempted",
            Status::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of the obligations engine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// Which obligation.
    pub obligation: ObligationId,
    /// The article(s).
    pub article: String,
    /// Obligation or recommendation.
    pub kind: FindingKind,
    /// Status.
    pub status: Status,
    /// How firm the finding is: the weakest confidence of the figures it uses.
    pub confidence: Confidence,
    /// Why (the values, thresholds and dates compared; the exemption reason).
    pub reason: String,
    /// Whether a lever bringing the obligation's remedy ([`ObligationId::remedy`]) would
    /// settle the finding: its status is `missing`, or `unknown` only because the consultation's
    /// choices (its award criteria) are not recorded yet. A planner puts such a lever on the
    /// purchase; a finding that is `unknown` for another reason (a debatable duty, an unknown
    /// threshold) is not to plan.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_plan: bool,
}

/// The articles of a contract rule cited on a launch date, with the kind and confidence.
struct Timing {
    kind: FindingKind,
    article: String,
    confidence: Confidence,
    when: String,
}

/// The weaker of two confidences (`V` < `S` < `?` in the order of [`Confidence`]).
fn weakest(a: Confidence, b: Confidence) -> Confidence {
    a.max(b)
}

/// A check of "portion / total ≥ rate" through the indicator engine's [`Measure`].
fn portion_measure(total: Amount, portion: Amount) -> Measure {
    Measure {
        purchases: 1,
        value: total.as_decimal(),
        count: u64::from(!portion.is_zero()),
        covered_value: portion.as_decimal(),
        unknown: 0,
    }
}

fn pct(s: Share) -> String {
    format!("{} %", (s.as_decimal() * Decimal::ONE_HUNDRED).normalize())
}

fn share_text(m: &Measure) -> String {
    m.value_share()
        .map(|s| {
            format!(
                "{} %",
                (s.as_decimal() * Decimal::ONE_HUNDRED)
                    .round_dp(2)
                    .normalize()
            )
        })
        .unwrap_or_else(|| "n/a".to_string())
}

/// The annual spend of one AGEC category (one record of the official declaration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgecSpend {
    /// The category.
    pub category: AgecCategory,
    /// Calendar year of the spend.
    pub year: i32,
    /// Total HT spent on the category.
    pub total: Amount,
    /// HT spent on reuse / re-use, valued donations included.
    pub reuse: Amount,
    /// HT spent on products containing recycled material.
    pub recycled: Amount,
}

/// The annual food purchases of a public collective-catering service (EGalim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoodSpend {
    /// Calendar year.
    pub year: i32,
    /// Total HT of food purchases.
    pub total: Amount,
    /// Sustainable and quality products, organic included.
    pub quality: Amount,
    /// Organic products.
    pub organic: Amount,
    /// Meat and fish purchases, when tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meat_fish_total: Option<Amount>,
    /// Sustainable and quality meat and fish, when tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meat_fish_quality: Option<Amount>,
}

/// The legal obligations engine over a rulebook.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, BuyerKind, Consideration, Dimension, Instrument, Nature,
///              ObligationEngine, ObligationId, PurchaseContext, Rulebook, Status};
/// let engine = ObligationEngine::new(Rulebook::embedded());
/// let day = NaiveDate::from_ymd_opt(2026, 8, 22).unwrap();
/// let p = PurchaseContext::new("L1", Nature::Services, Amount::from_euros(300_000), day,
///                              BuyerKind::OtherContractingAuthority)
///     .with_consideration(Consideration::new(Dimension::Environmental, Instrument::ExecutionClause));
/// let findings = engine.check(&p)?;
/// let env = findings.iter().find(|f| f.obligation == ObligationId::EnvironmentalExecutionCondition).unwrap();
/// assert_eq!((env.status, env.article.as_str()), (Status::Met, "L2112-2"));
/// let soc = findings.iter().find(|f| f.obligation == ObligationId::SocialExecutionCondition).unwrap();
/// assert_eq!(soc.status, Status::Missing); // 300 000 >= 216 000 (EU threshold 2026)
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ObligationEngine<'r> {
    rules: &'r Rulebook,
    /// Leave the findings' `reason` empty (for callers that read only the statuses).
    quiet: bool,
}

/// `format!` for a finding's reason, skipped (an empty string) when the engine is quiet.
macro_rules! reason {
    ($engine:expr, $($arg:tt)*) => {
        if $engine.quiet {
            String::new()
        } else {
            format!($($arg)*)
        }
    };
}

impl<'r> ObligationEngine<'r> {
    /// An engine reading `rules`.
    pub fn new(rules: &'r Rulebook) -> ObligationEngine<'r> {
        ObligationEngine {
            rules,
            quiet: false,
        }
    }

    /// The same engine, leaving every finding's `reason` empty: the planner reads only the
    /// statuses, articles and kinds of the findings of every line, and formatting the reasons
    /// was a large part of its time.
    pub(crate) fn without_reasons(mut self) -> ObligationEngine<'r> {
        self.quiet = true;
        self
    }

    /// The rulebook the engine reads.
    pub fn rulebook(&self) -> &'r Rulebook {
        self.rules
    }

    fn data(&self) -> &'r ObligationRules {
        &self.rules.obligations
    }

    fn rule(&self, id: ObligationId) -> Result<&'r ContractRule> {
        self.data().contract_rule(id).ok_or_else(|| {
            Error::new(
                ErrorKind::NoRule,
                format!("rulebook has no obligation rule \"{id}\""),
            )
        })
    }

    /// The contract-level findings for a purchase on its launch date: environmental and social
    /// execution conditions, environmental award criterion (or concession criteria), the
    /// weighting of the award criteria in a formal procedure, the sustainable specifications
    /// (L2111-2), the APER criterion of renewable-energy installations, and the conditions of a
    /// reserved contract.
    ///
    /// Each article binds on its own date (a finding cites the articles in force on the launch
    /// date); a defence or security contract (by its object, [`PurchaseContext::defence_security`])
    /// keeps its considerations optional (L2312-1-1); a purchase through a central purchasing
    /// body is the body's contract (L2113-4).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when the rulebook lacks one of the contract rules of the LCR
    /// (environmental and social conditions, environmental or concession criteria, weights);
    /// the specifications and APER rules are optional.
    pub fn check(&self, p: &PurchaseContext) -> Result<Vec<Finding>> {
        let mut out = vec![
            self.environmental_condition(p)?,
            self.social_condition(p)?,
            if p.concession {
                self.concession_criteria(p)?
            } else {
                self.environmental_criterion(p)?
            },
        ];
        if let Some(f) = self.weights(p)? {
            out.push(f);
        }
        if let Some(f) = self.specifications(p) {
            out.push(f);
        }
        if let Some(f) = self.aper(p) {
            out.push(f);
        }
        if let Some(f) = self.reserved(p) {
            out.push(f);
        }
        Ok(out)
    }

    /// The kind, the articles cited and their confidence on the launch date, and the date
    /// sentence for the reason: each article binds on its own date; the finding cites the
    /// articles in force (all of them, before the first date).
    fn timing(&self, rule: &ContractRule, p: &PurchaseContext) -> Timing {
        let date = p.launch_date;
        let articles = rule.articles_for(p.concession);
        let in_force: Vec<&DatedArticle> = articles.iter().filter(|a| date >= a.from).collect();
        let kind = if in_force.is_empty() {
            FindingKind::Recommendation
        } else {
            FindingKind::Obligation
        };
        let cited: Vec<&DatedArticle> = if in_force.is_empty() {
            articles.iter().collect()
        } else {
            in_force
        };
        let confidence = cited
            .iter()
            .filter_map(|a| a.confidence)
            .fold(rule.confidence, weakest);
        let article = cited
            .iter()
            .map(|a| a.article.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let when = if self.quiet {
            String::new()
        } else {
            let dates: Vec<String> = articles
                .iter()
                .map(|a| {
                    format!(
                        "{} {} {}",
                        a.article,
                        if date >= a.from {
                            "in force since"
                        } else {
                            "applies from"
                        },
                        a.from
                    )
                })
                .collect();
            format!("launched {date}: {}", dates.join("; "))
        };
        Timing {
            kind,
            article,
            confidence,
            when,
        }
    }

    /// The finding of a rule that does not bind this purchase as such: a defence or security
    /// contract (L2312-1-1) or a purchase through a central purchasing body (L2113-4).
    fn outside(&self, rule: &ContractRule, p: &PurchaseContext) -> Option<Finding> {
        if !p.central_purchasing_body && !p.defence_security {
            return None;
        }
        let t = self.timing(rule, p);
        if p.central_purchasing_body {
            return Some(Finding {
                obligation: rule.id,
                article: format!("{}; L2113-4", t.article),
                kind: FindingKind::Recommendation,
                status: Status::NotApplicable,
                confidence: t.confidence,
                reason: reason!(
                    self,
                    "bought through a central purchasing body (L2113-4): the contract and its conditions are the body's; choose an offer that carries the consideration"
                ),
                to_plan: false,
            });
        }
        if !p.defence_security {
            return None;
        }
        Some(if rule.id == ObligationId::SustainableSpecifications {
            Finding {
                obligation: rule.id,
                article: t.article,
                kind: FindingKind::Recommendation,
                status: Status::Unknown,
                confidence: Confidence::Unknown,
                reason: reason!(
                    self,
                    "defence or security contract (L1113-1): whether L2111-2 binds it was not established"
                ),
                to_plan: false,
            }
        } else {
            Finding {
                obligation: rule.id,
                article: format!("{}; L2312-1-1", t.article),
                kind: FindingKind::Recommendation,
                status: Status::NotApplicable,
                confidence: rule.confidence,
                reason: reason!(
                    self,
                    "defence or security contract by its object (L1113-1): this consideration stays optional (L2312-1-1)"
                ),
                to_plan: false,
            }
        })
    }

    fn environmental_condition(&self, p: &PurchaseContext) -> Result<Finding> {
        let rule = self.rule(ObligationId::EnvironmentalExecutionCondition)?;
        if let Some(f) = self.outside(rule, p) {
            return Ok(f);
        }
        let t = self.timing(rule, p);
        let met = p.has(Dimension::Environmental, Instrument::ExecutionClause);
        Ok(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status: if met { Status::Met } else { Status::Missing },
            confidence: t.confidence,
            reason: reason!(
                self,
                "{}; {}",
                t.when,
                if met {
                    "an environmental execution condition is planned"
                } else {
                    "no environmental execution condition"
                }
            ),
            to_plan: !met,
        })
    }

    fn social_condition(&self, p: &PurchaseContext) -> Result<Finding> {
        let rule = self.rule(ObligationId::SocialExecutionCondition)?;
        if let Some(f) = self.outside(rule, p) {
            return Ok(f);
        }
        let t = self.timing(rule, p);
        let value = p.value_for_thresholds();
        // Social and other specific services: their own EU threshold (a reading, `?`);
        // concessions share the works threshold (FACTS §6).
        let lookup = if p.specific_services {
            self.rules
                .specific_services_threshold_or_estimate(p.threshold_kind(), p.launch_date)
        } else {
            let nature = if p.concession {
                Nature::Works
            } else {
                p.nature
            };
            self.rules
                .eu_threshold_or_estimate(p.threshold_kind(), nature, p.launch_date)
        };
        let found = match lookup {
            Ok(x) => x,
            Err(e) => {
                return Ok(Finding {
                    obligation: rule.id,
                    article: t.article,
                    kind: t.kind,
                    status: Status::Unknown,
                    confidence: Confidence::Unknown,
                    reason: reason!(self, "{}; {e}", t.when),
                    to_plan: false,
                });
            }
        };
        let threshold = found.entry;
        let mut confidence = weakest(t.confidence, threshold.confidence);
        let mut kind = t.kind;
        let which = if p.specific_services {
            "EU threshold of social and other specific services (R2123-1 3°; their own threshold under L2112-2-1 is a reading, ?)"
        } else {
            "EU threshold"
        };
        if p.specific_services {
            confidence = Confidence::Unknown;
        }
        let estimate = if found.estimated {
            // a finding built on an estimate is never an obligation and never V (FACTS §14)
            kind = FindingKind::Recommendation;
            confidence = Confidence::Unknown;
            reason!(
                self,
                " (not published for {}: the value of {} is carried forward as an estimate, ?)",
                p.launch_date,
                threshold.period
            )
        } else {
            String::new()
        };
        if value < threshold.value {
            return Ok(Finding {
                obligation: rule.id,
                article: t.article,
                kind,
                status: Status::NotApplicable,
                confidence,
                reason: reason!(
                    self,
                    "{}; estimated value {value} is below the {which} {} ({}){estimate}",
                    t.when,
                    threshold.value,
                    threshold.article
                ),
                to_plan: false,
            });
        }
        let met = p.has(Dimension::Social, Instrument::ExecutionClause);
        let above = reason!(
            self,
            "estimated value {value} is at or above the {which} {} ({}){estimate}",
            threshold.value,
            threshold.article
        );
        let (status, reason) = match (met, &p.social_exemption) {
            (true, _) => (
                Status::Met,
                reason!(
                    self,
                    "{}; {above}; a social execution condition is planned",
                    t.when
                ),
            ),
            (false, Some(x)) => (
                Status::Exempted,
                reason!(
                    self,
                    "{}; {above}; exception recorded ({}): {}",
                    t.when,
                    x.case,
                    x.reason
                ),
            ),
            (false, None) => (
                Status::Missing,
                reason!(
                    self,
                    "{}; {above}; no social or employment execution condition and no recorded exception",
                    t.when
                ),
            ),
        };
        Ok(Finding {
            obligation: rule.id,
            article: t.article,
            kind,
            status,
            confidence,
            reason,
            to_plan: status == Status::Missing,
        })
    }

    /// Whether the purchase is awarded without competition, and on which ground.
    fn without_competition<'p>(&self, p: &'p PurchaseContext) -> Option<&'p str> {
        (p.procedure == Some(Procedure::NoCompetition))
            .then(|| p.legal_basis.as_deref().unwrap_or("R2122-1 to R2122-11"))
    }

    /// The status of "at least one environmental criterion; a single criterion only as a cost
    /// with environmental characteristics" (L2152-7, R2152-7, APER) and why; `to_plan` when a
    /// planned environmental criterion would settle it.
    fn criterion_status(&self, p: &PurchaseContext) -> (Status, String, bool) {
        let debatable = self.without_competition(p);
        let planned = p.has(Dimension::Environmental, Instrument::AwardCriterion);
        let recorded = p.award_criteria.as_ref().filter(|cs| !cs.is_empty());
        let (status, why) = match recorded {
            None if planned => (
                Status::Met,
                "an environmental award criterion is planned".to_string(),
            ),
            None => (
                Status::Unknown,
                "award criteria not recorded: plan at least one environmental criterion"
                    .to_string(),
            ),
            Some(cs) if cs.len() == 1 => {
                let c = &cs[0];
                if c.kind == CriterionKind::Cost && c.is_environmental() {
                    (
                        Status::Met,
                        format!(
                            "single criterion \"{}\" is a cost including environmental characteristics (R2152-9)",
                            c.name
                        ),
                    )
                } else if c.kind == CriterionKind::Price {
                    (
                        Status::Missing,
                        format!(
                            "price-only award (\"{}\"): no longer allowed once the rule binds",
                            c.name
                        ),
                    )
                } else {
                    (
                        Status::Missing,
                        format!(
                            "single criterion \"{}\" is not a cost with environmental characteristics",
                            c.name
                        ),
                    )
                }
            }
            Some(cs) => match cs.iter().find(|c| c.is_environmental()) {
                Some(c) => (
                    Status::Met,
                    format!(
                        "criterion \"{}\" takes environmental characteristics into account",
                        c.name
                    ),
                ),
                None => (
                    Status::Missing,
                    "no award criterion takes environmental characteristics into account"
                        .to_string(),
                ),
            },
        };
        let (status, why) = if status == Status::Missing && planned {
            (
                Status::Met,
                reason!(
                    self,
                    "{why}; an environmental award criterion is planned in addition"
                ),
            )
        } else {
            (status, why)
        };
        match (status, debatable) {
            (Status::Met, _) => (status, why, false),
            (_, Some(basis)) => (
                Status::Unknown,
                reason!(
                    self,
                    "awarded without competition ({basis}): whether the environmental criterion binds a contract with no tenders to rank is debatable (no DAJ position found, ?); {why}"
                ),
                false,
            ),
            (_, None) => (status, why, true),
        }
    }

    fn environmental_criterion(&self, p: &PurchaseContext) -> Result<Finding> {
        let rule = self.rule(ObligationId::EnvironmentalAwardCriterion)?;
        if let Some(f) = self.outside(rule, p) {
            return Ok(f);
        }
        let t = self.timing(rule, p);
        let (status, why, to_plan) = self.criterion_status(p);
        let confidence = if status == Status::Unknown && self.without_competition(p).is_some() {
            Confidence::Unknown
        } else {
            t.confidence
        };
        Ok(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status,
            confidence,
            reason: reason!(self, "{}; {why}", t.when),
            to_plan,
        })
    }

    fn concession_criteria(&self, p: &PurchaseContext) -> Result<Finding> {
        let rule = self.rule(ObligationId::ConcessionAwardCriteria)?;
        if let Some(f) = self.outside(rule, p) {
            return Ok(f);
        }
        let t = self.timing(rule, p);
        let recorded = p.award_criteria.as_ref().filter(|cs| !cs.is_empty());
        let (status, why, to_plan) = match recorded {
            None if p.has(Dimension::Environmental, Instrument::AwardCriterion) => (
                Status::Unknown,
                "an environmental criterion is planned; the number of criteria is not recorded"
                    .to_string(),
                false,
            ),
            None => (
                Status::Unknown,
                "award criteria not recorded: plan several, at least one environmental".to_string(),
                true,
            ),
            Some(cs) if cs.len() < 2 => (
                Status::Missing,
                format!("{} award criterion, several are required", cs.len()),
                true,
            ),
            Some(cs) => match cs.iter().find(|c| c.is_environmental()) {
                Some(c) => (
                    Status::Met,
                    format!("{} criteria, \"{}\" environmental", cs.len(), c.name),
                    false,
                ),
                None => (
                    Status::Missing,
                    "no environmental criterion".to_string(),
                    true,
                ),
            },
        };
        Ok(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status,
            confidence: t.confidence,
            reason: reason!(self, "{}; concession: {why}", t.when),
            to_plan,
        })
    }

    /// Whether the procedure is formal: as recorded, or inferred from the EU threshold (or its
    /// estimate) when not recorded; `None` when it cannot be told.
    fn formal(&self, p: &PurchaseContext) -> Option<(bool, bool)> {
        if let Some(pr) = p.procedure {
            return Some((pr == Procedure::Formal, false));
        }
        if p.specific_services {
            return Some((false, true));
        }
        let nature = if p.concession {
            Nature::Works
        } else {
            p.nature
        };
        self.rules
            .eu_threshold_or_estimate(p.threshold_kind(), nature, p.launch_date)
            .ok()
            .map(|t| (p.value_for_thresholds() >= t.entry.value, true))
    }

    fn weights(&self, p: &PurchaseContext) -> Result<Option<Finding>> {
        let Some(cs) = p.award_criteria.as_ref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let rule = self.rule(ObligationId::AwardCriteriaWeights)?;
        let t = self.timing(rule, p);
        let (status, reason) = match self.formal(p) {
            None => (
                Status::Unknown,
                "the procedure is not recorded and the EU threshold is unknown: R2152-12 binds formal procedures only".to_string(),
            ),
            Some((false, inferred)) => (
                Status::NotApplicable,
                format!(
                    "{}: R2152-12 binds formal procedures only; no weighting duty in the adapted procedure",
                    if inferred {
                        "procedure not recorded, not formal by its value"
                    } else {
                        "not a formal procedure"
                    }
                ),
            ),
            Some((true, inferred)) => {
                let pre = if inferred {
                    "procedure not recorded, formal by its value: "
                } else {
                    ""
                };
                match cs.iter().find(|c| !c.is_weighted_or_ranked()) {
                    Some(c) => (
                        Status::Missing,
                        format!(
                            "{pre}criterion \"{}\" is neither weighted (a weight or a range) nor ranked",
                            c.name
                        ),
                    ),
                    None => (
                        Status::Met,
                        format!(
                            "{pre}every criterion is weighted or ranked (no rule makes the weights sum to 100 %)"
                        ),
                    ),
                }
            }
        };
        Ok(Some(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status,
            confidence: t.confidence,
            reason: reason!(self, "{reason}"),
            to_plan: false,
        }))
    }

    /// L2111-2 (L3111-2 for concessions): met when a technical specification or a label of a
    /// social or environmental dimension is planned; otherwise `unknown` (the article requires
    /// that the specifications take sustainable development into account, which the plan does
    /// not record). `None` when the rulebook has no such rule.
    fn specifications(&self, p: &PurchaseContext) -> Option<Finding> {
        let rule = self
            .data()
            .contract_rule(ObligationId::SustainableSpecifications)?;
        if let Some(f) = self.outside(rule, p) {
            return Some(f);
        }
        let t = self.timing(rule, p);
        let met = p.considerations.iter().any(|c| {
            matches!(c.dimension, Dimension::Environmental | Dimension::Social)
                && matches!(
                    c.instrument,
                    Instrument::TechnicalSpecification | Instrument::LabelRequirement
                )
        });
        Some(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status: if met { Status::Met } else { Status::Unknown },
            confidence: t.confidence,
            reason: reason!(
                self,
                "{}; {}",
                t.when,
                if met {
                    "a social or environmental requirement is planned in the technical specifications"
                } else {
                    "no sustainability requirement is recorded in the technical specifications: record how they take sustainable development into account"
                }
            ),
            to_plan: false,
        })
    }

    /// The APER environmental criterion, for purchases whose CPV is in the rule's list;
    /// `None` for other purchases or without such a rule.
    fn aper(&self, p: &PurchaseContext) -> Option<Finding> {
        let rule = self
            .data()
            .contract_rule(ObligationId::AperEnvironmentalCriterion)?;
        let cpv = p.cpv?;
        if !rule.cpv_prefixes.iter().any(|x| cpv.starts_with(x)) {
            return None;
        }
        if let Some(f) = self.outside(rule, p) {
            return Some(f);
        }
        let t = self.timing(rule, p);
        let (status, why, to_plan) = self.criterion_status(p);
        Some(Finding {
            obligation: rule.id,
            article: t.article,
            kind: t.kind,
            status,
            confidence: if status == Status::Unknown {
                Confidence::Unknown
            } else {
                t.confidence
            },
            reason: reason!(
                self,
                "{}; renewable-energy installation or operation (CPV {cpv}): {why}",
                t.when
            ),
            to_plan,
        })
    }

    fn reserved(&self, p: &PurchaseContext) -> Option<Finding> {
        let reserved_planned = p.has(Dimension::Social, Instrument::ReservedContract);
        let Some(article) = p.reserved else {
            return reserved_planned.then(|| Finding {
                obligation: ObligationId::ReservedContract,
                article: "L2113-12 to L2113-15".to_string(),
                kind: FindingKind::Obligation,
                status: Status::Unknown,
                confidence: Confidence::V,
                reason: "a reserved contract is planned but its article is not recorded; the notice must cite it".to_string(),
                to_plan: false,
            });
        };
        let Some(rule) = self.data().reserved_rule(article) else {
            return Some(Finding {
                obligation: ObligationId::ReservedContract,
                article: article.to_string(),
                kind: FindingKind::Obligation,
                status: Status::Unknown,
                confidence: Confidence::Unknown,
                reason: format!("rulebook has no conditions for {article}"),
                to_plan: false,
            });
        };
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        if let Some(from) = rule.from
            && p.launch_date < from
        {
            problems.push(format!(
                "{article} came into force on {from}: a consultation launched on {} cannot be reserved under it",
                p.launch_date
            ));
        }
        if !rule.cpv_prefixes.is_empty() {
            match p.cpv {
                None => unknown.push("CPV code not recorded".to_string()),
                Some(c) if !rule.cpv_prefixes.iter().any(|x| c.starts_with(x)) => problems.push(
                    format!("CPV {c} is not among the services {article} may cover"),
                ),
                Some(_) => {}
            }
        }
        if let Some(max) = rule.max_duration_months {
            match p.duration_months {
                None => unknown.push(format!("duration not recorded (at most {max} months)")),
                Some(d) if d > max => {
                    problems.push(format!("duration {d} months exceeds {max} months"))
                }
                Some(_) => {}
            }
        }
        let operator = if rule.operator_conditions.is_empty() {
            String::new()
        } else {
            format!(
                "; to check on the operator: {}",
                rule.operator_conditions.join("; ")
            )
        };
        let (status, what) = if !problems.is_empty() {
            (Status::Missing, problems.join("; "))
        } else if !unknown.is_empty() {
            (Status::Unknown, unknown.join("; "))
        } else {
            (Status::Met, "the purchase may be reserved".to_string())
        };
        Some(Finding {
            obligation: ObligationId::ReservedContract,
            article: article.to_string(),
            kind: FindingKind::Obligation,
            status,
            confidence: rule.confidence,
            reason: format!("{what}{operator}"),
            to_plan: false,
        })
    }

    /// Whether a buyer must adopt a SPASER for the calendar year of `on`, under the rule in
    /// force on `on` (use 31 December of the year for the year's final answer), from its annual
    /// `spend` (expenditure from 2023, value of contracts concluded before — FACTS §1).
    /// The amount must be **strictly greater** than the threshold. Status `missing` means the
    /// obligation applies (the buyer must have a SPASER); `not_applicable` that it does not;
    /// `unknown` that coverage of the buyer's status is disputed on that date.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Amount, BuyerStatus, ObligationEngine, Rulebook, Status};
    /// let engine = ObligationEngine::new(Rulebook::embedded());
    /// let end = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    /// let at = engine.spaser(BuyerStatus::LocalAuthority, "50000000".parse()?, end, false)?;
    /// assert_eq!(at.status, Status::NotApplicable); // strictly greater
    /// let above = engine.spaser(BuyerStatus::LocalAuthority, "50000000.01".parse()?, end, false)?;
    /// assert_eq!(above.status, Status::Missing);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// `adopted`: whether the buyer has adopted a SPASER (gives `met` when obliged).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no SPASER rule covers `on`.
    pub fn spaser(
        &self,
        status: BuyerStatus,
        spend: Amount,
        on: NaiveDate,
        adopted: bool,
    ) -> Result<Finding> {
        let rule = self.data().spaser_rule(on).ok_or_else(|| {
            Error::new(ErrorKind::NoRule, format!("no SPASER rule known on {on}"))
        })?;
        let basis = match rule.basis {
            crate::law::obligation_rules::SpaserBasis::Expenditure => "expenditure",
            crate::law::obligation_rules::SpaserBasis::ContractsConcluded => {
                "value of contracts concluded"
            }
        };
        let year = on.year();
        let base = format!(
            "{year} {basis} {} vs threshold {} (strictly greater, rule of {})",
            crate::values::money::euros_display(spend.as_decimal()),
            crate::values::money::euros_display(rule.threshold.as_decimal()),
            rule.period
        );
        let f = |st: Status, reason: String, confidence: Confidence| Finding {
            obligation: ObligationId::Spaser,
            article: rule.article.clone(),
            kind: FindingKind::Obligation,
            status: st,
            confidence,
            reason,
            to_plan: false,
        };
        if spend <= rule.threshold {
            return Ok(f(
                Status::NotApplicable,
                format!("{base}: not above the threshold"),
                rule.confidence,
            ));
        }
        if rule.disputed.contains(&status) {
            return Ok(f(
                Status::Unknown,
                format!("{base}: above, but coverage of buyer status {status} is disputed on {on}"),
                Confidence::Unknown,
            ));
        }
        if !rule.scope.contains(&status) {
            return Ok(f(
                Status::NotApplicable,
                format!("{base}: above, but buyer status {status} is outside the scope on {on}"),
                rule.confidence,
            ));
        }
        Ok(f(
            if adopted {
                Status::Met
            } else {
                Status::Missing
            },
            format!(
                "{base}: above, the buyer must adopt and publish a SPASER{}",
                if adopted { " (adopted)" } else { "" }
            ),
            rule.confidence,
        ))
    }

    /// [`ObligationEngine::spaser`] for a calendar year: the rule in force on 31 December of
    /// `year` applied to the year's spend.
    ///
    /// ```
    /// use spaser::{Amount, BuyerStatus, ObligationEngine, Rulebook, Status};
    /// let engine = ObligationEngine::new(Rulebook::embedded());
    /// let f = engine.spaser_for_year(BuyerStatus::State, 2024, Amount::from_euros(60_000_000), false)?;
    /// assert_eq!(f.status, Status::Missing); // the State is covered from 2023-10-25
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`ObligationEngine::spaser`]; [`ErrorKind::InvalidValue`] for a year out of range.
    pub fn spaser_for_year(
        &self,
        status: BuyerStatus,
        year: i32,
        spend: Amount,
        adopted: bool,
    ) -> Result<Finding> {
        self.spaser(status, spend, year_end(year)?, adopted)
    }

    /// [`ObligationEngine::agec`] for a buyer of `status`: AGEC art. 58 binds only the State,
    /// local authorities and their groupings (the table's `scope`, décret 2024-134 from
    /// 2024-07-01); any other buyer gets one `not_applicable` finding saying so.
    ///
    /// ```
    /// use spaser::{AgecCategory, AgecSpend, Amount, BuyerStatus, ObligationEngine, Rulebook, Status};
    /// let engine = ObligationEngine::new(Rulebook::embedded());
    /// let spend = AgecSpend { category: AgecCategory::Textiles, year: 2025,
    ///     total: Amount::from_euros(100_000), reuse: Amount::ZERO, recycled: Amount::ZERO };
    /// let hospital = engine.agec_for_buyer(BuyerStatus::Hospital, &spend)?;
    /// assert_eq!(hospital[0].status, Status::NotApplicable);
    /// let city = engine.agec_for_buyer(BuyerStatus::LocalAuthority, &spend)?;
    /// assert_eq!(city[0].status, Status::Missing);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`ObligationEngine::agec`].
    pub fn agec_for_buyer(&self, status: BuyerStatus, spend: &AgecSpend) -> Result<Vec<Finding>> {
        if let Some(table) = self.data().agec.as_ref()
            && !table.scope.is_empty()
            && !table.scope.contains(&status)
        {
            let end = year_end(spend.year)?;
            if table.period.contains(end) {
                return Ok(vec![out_of_agec_scope(
                    ObligationId::AgecReuse,
                    &table.article,
                    &table.scope,
                    status,
                )]);
            }
        }
        self.agec(spend)
    }

    /// [`ObligationEngine::agec_2021`] for a buyer of `status` (the 2021 table bound the same
    /// buyers as art. 58: the State and local authorities).
    ///
    /// # Errors
    /// As [`ObligationEngine::agec_2021`].
    pub fn agec_2021_for_buyer(
        &self,
        status: BuyerStatus,
        line: u32,
        year: i32,
        total: Amount,
        reuse_or_recycled: Amount,
    ) -> Result<Vec<Finding>> {
        if let Some(table) = self.data().agec_2021.as_ref()
            && !table.scope.is_empty()
            && !table.scope.contains(&status)
            && table.period.touches_year(year)
        {
            return Ok(vec![out_of_agec_scope(
                ObligationId::Agec2021,
                &table.article,
                &table.scope,
                status,
            )]);
        }
        self.agec_2021(line, year, total, reuse_or_recycled)
    }

    /// The AGEC art. 58 findings for one category and year of a buyer that art. 58 binds (see
    /// [`ObligationEngine::agec_for_buyer`] for any buyer): reuse and recycled shares against
    /// the rates in force (décret 2024-134, step function over the 2024 / 2027 / 2030
    /// milestones). Unknown rates give `unknown`, never `met`. For a year before the décret,
    /// one `not_applicable` finding pointing to the 2021 table ([`ObligationEngine::agec_2021`]).
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when a portion exceeds the total; [`ErrorKind::NoRule`] when
    /// the rulebook has no AGEC table.
    pub fn agec(&self, spend: &AgecSpend) -> Result<Vec<Finding>> {
        for (name, v) in [("reuse", spend.reuse), ("recycled", spend.recycled)] {
            if v > spend.total {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "AGEC spend \"{}\" {}: field \"{name}\" {v} exceeds total {}",
                        spend.category, spend.year, spend.total
                    ),
                ));
            }
        }
        let table = self
            .data()
            .agec
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::NoRule, "rulebook has no AGEC table"))?;
        let end = year_end(spend.year)?;
        if !table.period.contains(end) {
            return Ok(vec![Finding {
                obligation: ObligationId::AgecReuse,
                article: table.article.clone(),
                kind: FindingKind::Obligation,
                status: Status::NotApplicable,
                confidence: Confidence::V,
                reason: format!(
                    "year {}: the table is in force {}; earlier years fall under the abrogated 2021 table",
                    spend.year, table.period
                ),
                to_plan: false,
            }]);
        }
        let rate = table.rate(spend.category, spend.year);
        let mut out = Vec::new();
        for (id, portion, cell) in [
            (ObligationId::AgecReuse, spend.reuse, rate.map(|r| &r.reuse)),
            (
                ObligationId::AgecRecycled,
                spend.recycled,
                rate.map(|r| &r.recycled),
            ),
        ] {
            let what = if id == ObligationId::AgecReuse {
                "reuse"
            } else {
                "recycled"
            };
            let milestone = rate.map_or(String::new(), |r| format!(" (milestone {})", r.milestone));
            out.push(share_finding(
                id,
                &table.article,
                cell,
                spend.total,
                portion,
                &format!("{} {}: {what} share{milestone}", spend.category, spend.year),
            ));
        }
        Ok(out)
    }

    /// The abrogated 2021 table (décret 2021-254, in force 2021-03-10 to 2024-06-30): the
    /// combined reuse / re-use / recycled share of one line's spend against the line's total
    /// rate. The "of which reuse" sub-rate is reported as `unknown`: its basis (share of the
    /// spend or of the total rate) is not established.
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when the rulebook has no 2021 table or no such line;
    /// [`ErrorKind::Inconsistent`] when the portion exceeds the total.
    pub fn agec_2021(
        &self,
        line: u32,
        year: i32,
        total: Amount,
        reuse_or_recycled: Amount,
    ) -> Result<Vec<Finding>> {
        if reuse_or_recycled > total {
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "AGEC 2021 line {line} {year}: portion {reuse_or_recycled} exceeds total {total}"
                ),
            ));
        }
        let table = self
            .data()
            .agec_2021
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::NoRule, "rulebook has no 2021 AGEC table"))?;
        let l = table.lines.iter().find(|l| l.line == line).ok_or_else(|| {
            Error::new(
                ErrorKind::NoRule,
                format!("2021 AGEC table has no line {line}"),
            )
        })?;
        let period = &table.period;
        if !period.touches_year(year) {
            return Ok(vec![Finding {
                obligation: ObligationId::Agec2021,
                article: table.article.clone(),
                kind: FindingKind::Obligation,
                status: Status::NotApplicable,
                confidence: Confidence::V,
                reason: format!("year {year} is outside {period}"),
                to_plan: false,
            }]);
        }
        let cell = RateCell {
            rate: Some(l.total),
            confidence: l.confidence,
            note: None,
        };
        let mut out = vec![share_finding(
            ObligationId::Agec2021,
            &table.article,
            Some(&cell),
            total,
            reuse_or_recycled,
            &format!("line {line} ({}) {year}: reuse or recycled share", l.label),
        )];
        if let Some(r) = l.of_which_reuse.filter(|r| *r != Share::ZERO) {
            out.push(Finding {
                obligation: ObligationId::Agec2021,
                article: table.article.clone(),
                kind: FindingKind::Obligation,
                status: Status::Unknown,
                confidence: Confidence::Unknown,
                reason: format!(
                    "line {line}: \"of which {} reuse\" — whether of the spend or of the total rate is not established",
                    pct(r)
                ),
                to_plan: false,
            });
        }
        Ok(out)
    }

    /// The EGalim findings of a collective-catering service for a year (CRPM L230-5-1):
    /// sustainable and quality share, organic share, and — from 2024 — the meat and fish share,
    /// each against the rule in force on 31 December of the year.
    ///
    /// ```
    /// use spaser::{FoodSpend, ObligationEngine, Rulebook, Status};
    /// let engine = ObligationEngine::new(Rulebook::embedded());
    /// let food = FoodSpend { year: 2025, total: "100000".parse()?, quality: "50000".parse()?,
    ///     organic: "19999.99".parse()?, meat_fish_total: None, meat_fish_quality: None };
    /// let f = engine.egalim(&food)?;
    /// assert_eq!(f[0].status, Status::Met);      // 50 % quality
    /// assert_eq!(f[1].status, Status::Missing);  // organic just below 20 %
    /// assert_eq!(f[2].status, Status::Unknown);  // meat and fish not tracked
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when organic exceeds quality or a portion exceeds its total.
    pub fn egalim(&self, food: &FoodSpend) -> Result<Vec<Finding>> {
        let incons = |m: String| {
            Error::new(
                ErrorKind::Inconsistent,
                format!("food spend {}: {m}", food.year),
            )
        };
        if food.quality > food.total {
            return Err(incons(format!(
                "field \"quality\" {} exceeds total {}",
                food.quality, food.total
            )));
        }
        if food.organic > food.quality {
            return Err(incons(format!(
                "field \"organic\" {} exceeds quality {} (organic products count within quality products)",
                food.organic, food.quality
            )));
        }
        if let (Some(t), Some(q)) = (food.meat_fish_total, food.meat_fish_quality)
            && q > t
        {
            return Err(incons(format!(
                "field \"meat_fish_quality\" {q} exceeds meat_fish_total {t}"
            )));
        }
        let end = year_end(food.year)?;
        let mut out = Vec::new();
        for (share, id, total, portion, what) in [
            (
                EgalimShare::Quality,
                ObligationId::EgalimQuality,
                Some(food.total),
                Some(food.quality),
                "sustainable and quality share",
            ),
            (
                EgalimShare::Organic,
                ObligationId::EgalimOrganic,
                Some(food.total),
                Some(food.organic),
                "organic share",
            ),
            (
                EgalimShare::MeatFish,
                ObligationId::EgalimMeatFish,
                food.meat_fish_total,
                food.meat_fish_quality,
                "meat and fish sustainable and quality share",
            ),
        ] {
            let Some(rule) = self.data().egalim_rule(share, end) else {
                let first = self
                    .data()
                    .egalim
                    .iter()
                    .filter(|r| r.id == share)
                    .map(|r| r.period.start())
                    .min();
                out.push(Finding {
                    obligation: id,
                    article: self
                        .data()
                        .egalim
                        .iter()
                        .find(|r| r.id == share)
                        .map_or_else(|| "CRPM L230-5-1".to_string(), |r| r.article.clone()),
                    kind: FindingKind::Obligation,
                    status: Status::NotApplicable,
                    confidence: Confidence::V,
                    reason: match first {
                        Some(d) => format!("{}: {what} applies from {d}", food.year),
                        None => format!("{}: no rule for the {what}", food.year),
                    },
                    to_plan: false,
                });
                continue;
            };
            let cell = RateCell {
                rate: Some(rule.rate),
                confidence: rule.confidence,
                note: None,
            };
            match (total, portion) {
                (Some(t), Some(p)) => out.push(share_finding(
                    id,
                    &rule.article,
                    Some(&cell),
                    t,
                    p,
                    &format!("{} {what}", food.year),
                )),
                _ => out.push(Finding {
                    obligation: id,
                    article: rule.article.clone(),
                    kind: FindingKind::Obligation,
                    status: Status::Unknown,
                    confidence: rule.confidence,
                    reason: format!(
                        "{} {what}: purchases not tracked (rate {})",
                        food.year,
                        pct(rule.rate)
                    ),
                    to_plan: false,
                }),
            }
        }
        Ok(out)
    }
}

/// The finding of a buyer outside the scope of AGEC art. 58.
fn out_of_agec_scope(
    id: ObligationId,
    article: &str,
    scope: &[BuyerStatus],
    status: BuyerStatus,
) -> Finding {
    Finding {
        obligation: id,
        article: article.to_string(),
        kind: FindingKind::Obligation,
        status: Status::NotApplicable,
        confidence: Confidence::V,
        reason: format!(
            "AGEC art. 58 binds only the State, local authorities and their groupings ({}); buyer status {status} has no reuse or recycled-content share to reach",
            scope
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        to_plan: false,
    }
}

fn year_end(year: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("year \"{year}\" is out of range"),
        )
    })
}

/// A share finding: `portion / total` against the cell's rate, through [`Measure::reaches`].
fn share_finding(
    id: ObligationId,
    article: &str,
    cell: Option<&RateCell>,
    total: Amount,
    portion: Amount,
    what: &str,
) -> Finding {
    let m = portion_measure(total, portion);
    let mk = |status, confidence, reason| Finding {
        obligation: id,
        article: article.to_string(),
        kind: FindingKind::Obligation,
        status,
        confidence,
        reason,
        to_plan: false,
    };
    let Some(cell) = cell else {
        return mk(
            Status::Unknown,
            Confidence::Unknown,
            format!("{what}: no rate in the rulebook"),
        );
    };
    let note = cell
        .note
        .as_ref()
        .map_or(String::new(), |n| format!(" ({n})"));
    let Some(rate) = cell.rate else {
        return mk(
            Status::Unknown,
            cell.confidence,
            format!("{what} {}: rate not established{note}", share_text(&m)),
        );
    };
    if total.is_zero() {
        return mk(
            Status::NotApplicable,
            cell.confidence,
            format!("{what}: no spend (rate {}){note}", pct(rate)),
        );
    }
    let reached = m.reaches(rate, Basis::Value);
    let shortfall = m.shortfall(rate, Basis::Value);
    mk(
        if reached {
            Status::Met
        } else {
            Status::Missing
        },
        cell.confidence,
        if reached {
            format!("{what} {} reaches {}{note}", share_text(&m), pct(rate))
        } else {
            format!(
                "{what} {} is below {} (short by {} euros){note}",
                share_text(&m),
                pct(rate),
                shortfall.round_dp(2)
            )
        },
    )
}
