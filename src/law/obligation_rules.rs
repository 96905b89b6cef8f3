//! The obligation section of the [`Rulebook`](crate::Rulebook): dated contract-level
//! obligations of the LCR, the SPASER obligation, reserved-contract conditions, AGEC art. 58
//! rates and EGalim shares — each with its article(s), effective period and confidence
//! (FACTS §1, §2, §4, §5, §8).
//!
//! JSON (the `obligations` key of the rulebook; every list optional):
//!
//! ```json
//! { "contract": [ { "id": "environmental_execution_condition",
//!       "articles": [ { "article": "L2112-2", "from": "2026-08-22", "level": "legislative" } ],
//!       "concession_articles": [ { "article": "L3114-2", "from": "2026-08-22",
//!         "level": "legislative", "confidence": "S" } ],
//!       "cpv_prefixes": [], "confidence": "V" } ],
//!   "spaser": [ { "period": "2023-10-25/..", "threshold": "50000000",
//!       "basis": "expenditure", "scope": ["state", "..."], "disputed": [],
//!       "article": "L2111-3, D2111-3", "confidence": "V" } ],
//!   "reserved": [ { "article": "L2113-15", "cpv_prefixes": ["85"], "max_duration_months": 36,
//!       "from": "2019-04-01", "confidence": "S" } ],
//!   "agec": { "article": "…", "period": "2024-07-01/..", "scope": ["state", "local_authority"],
//!       "rates": [ { "category": "Papier",
//!       "milestone": 2024, "reuse": { "rate": null, "confidence": "?" },
//!       "recycled": { "rate": null, "confidence": "?" } } ] },
//!   "agec_2021": { "article": "…", "period": "2021-03-10/2024-06-30", "lines": [ … ] },
//!   "egalim": [ { "id": "quality", "rate": "0.5", "period": "2022-01-01/..",
//!       "article": "CRPM L230-5-1", "confidence": "V" } ] }
//! ```

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::buyer_kind::BuyerStatus;
use crate::values::confidence::Confidence;
use crate::values::money::Amount;
use crate::values::period::Period;
use crate::values::share::Share;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// The obligations the engine checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObligationId {
    /// Environmental consideration in the execution conditions (L2112-2; concessions L3114-2).
    EnvironmentalExecutionCondition,
    /// Social or employment consideration in the execution conditions at or above the EU
    /// threshold (L2112-2-1).
    SocialExecutionCondition,
    /// At least one award criterion with environmental characteristics; a single criterion only
    /// as a cost with environmental characteristics; no price-only award (L2152-7, R2152-7).
    EnvironmentalAwardCriterion,
    /// Concessions: several award criteria, at least one environmental (R3124-4, L3124-5).
    ConcessionAwardCriteria,
    /// Formal procedures: award criteria weighted (a weight or a range) or, where weighting is
    /// objectively impossible, ranked (R2152-12). No rule makes the weights sum to 100 %.
    AwardCriteriaWeights,
    /// Technical specifications take sustainable development into account in its economic,
    /// social and environmental dimensions (L2111-2; concessions L3111-2).
    SustainableSpecifications,
    /// Contracts for the installation or operation of renewable-energy production or storage:
    /// an environmental award criterion (loi 2023-175, APER).
    AperEnvironmentalCriterion,
    /// Conditions of a reserved contract (L2113-12 to L2113-15).
    ReservedContract,
    /// The buyer must adopt a SPASER (L2111-3, D2111-3).
    Spaser,
    /// AGEC art. 58 reuse / re-use share of a category.
    AgecReuse,
    /// AGEC art. 58 recycled-content share of a category.
    AgecRecycled,
    /// Abrogated 2021 AGEC table (décret 2021-254): share of a line.
    Agec2021,
    /// EGalim: sustainable and quality food share.
    EgalimQuality,
    /// EGalim: organic share.
    EgalimOrganic,
    /// EGalim: sustainable and quality share of meat and fish.
    EgalimMeatFish,
}

impl ObligationId {
    /// Every obligation, in order.
    pub const ALL: [ObligationId; 15] = [
        ObligationId::EnvironmentalExecutionCondition,
        ObligationId::SocialExecutionCondition,
        ObligationId::EnvironmentalAwardCriterion,
        ObligationId::ConcessionAwardCriteria,
        ObligationId::AwardCriteriaWeights,
        ObligationId::SustainableSpecifications,
        ObligationId::AperEnvironmentalCriterion,
        ObligationId::ReservedContract,
        ObligationId::Spaser,
        ObligationId::AgecReuse,
        ObligationId::AgecRecycled,
        ObligationId::Agec2021,
        ObligationId::EgalimQuality,
        ObligationId::EgalimOrganic,
        ObligationId::EgalimMeatFish,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ObligationId::EnvironmentalExecutionCondition => "environmental_execution_condition",
            ObligationId::SocialExecutionCondition => "social_execution_condition",
            ObligationId::EnvironmentalAwardCriterion => "environmental_award_criterion",
            ObligationId::ConcessionAwardCriteria => "concession_award_criteria",
            ObligationId::AwardCriteriaWeights => "award_criteria_weights",
            ObligationId::SustainableSpecifications => "sustainable_specifications",
            ObligationId::AperEnvironmentalCriterion => "aper_environmental_criterion",
            ObligationId::ReservedContract => "reserved_contract",
            ObligationId::Spaser => "spaser",
            ObligationId::AgecReuse => "agec_reuse",
            ObligationId::AgecRecycled => "agec_recycled",
            ObligationId::Agec2021 => "agec_2021",
            ObligationId::EgalimQuality => "egalim_quality",
            ObligationId::EgalimOrganic => "egalim_organic",
            ObligationId::EgalimMeatFish => "egalim_meat_fish",
        }
    }
}

impl ObligationId {
    /// The consideration a lever must bring to satisfy this obligation on a purchase, when a
    /// lever can (a planner assigns a lever of this dimension and instrument to a line whose
    /// finding is `missing`): environmental or social execution clause, environmental award
    /// criterion. `None` for the other obligations.
    ///
    /// ```
    /// use spaser::{Dimension, Instrument, ObligationId};
    /// assert_eq!(ObligationId::SocialExecutionCondition.remedy(),
    ///            Some((Dimension::Social, Instrument::ExecutionClause)));
    /// ```
    pub fn remedy(&self) -> Option<(Dimension, Instrument)> {
        match self {
            ObligationId::EnvironmentalExecutionCondition => {
                Some((Dimension::Environmental, Instrument::ExecutionClause))
            }
            ObligationId::SocialExecutionCondition => {
                Some((Dimension::Social, Instrument::ExecutionClause))
            }
            ObligationId::EnvironmentalAwardCriterion
            | ObligationId::ConcessionAwardCriteria
            | ObligationId::AperEnvironmentalCriterion => {
                Some((Dimension::Environmental, Instrument::AwardCriterion))
            }
            _ => None,
        }
    }
}

impl fmt::Display for ObligationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an article is legislative (L) or regulatory (R, D): the LCR brought them into force
/// on different days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ArticleLevel {
    /// A legislative article (L…).
    Legislative,
    /// A regulatory article (R…, D…).
    Regulatory,
}

/// An article and the launch date from which it applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedArticle {
    /// The article, e.g. `L2152-7`.
    pub article: String,
    /// Consultations launched on or after this day are subject to it.
    pub from: NaiveDate,
    /// Legislative or regulatory.
    pub level: ArticleLevel,
    /// How firm this article is, when weaker than the rule's (e.g. a concession article that
    /// was not verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// A contract-level obligation: its articles (each with its own start date), the articles for
/// concessions when they differ, the purchases it concerns, and its confidence.
///
/// **Each article binds on its own date**: the obligation binds from the first day one of its
/// articles is in force, and a finding cites the articles in force on the launch date (R2152-7
/// from 2026-08-21, L2152-7 from 2026-08-22). Before the first date the engine reports a
/// recommendation and names the dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractRule {
    /// Which obligation.
    pub id: ObligationId,
    /// Its articles (at least one).
    pub articles: Vec<DatedArticle>,
    /// The articles applying to concessions instead, each with its date (empty: the same as
    /// for public contracts, or `concession_article`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concession_articles: Vec<DatedArticle>,
    /// The article applying to concessions instead, on the dates of `articles` (the older,
    /// undated form of `concession_articles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concession_article: Option<String>,
    /// CPV prefixes of the purchases the rule concerns (empty: every purchase), e.g. the
    /// renewable-energy installations of the APER criterion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// How firm the rule is.
    pub confidence: Confidence,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ContractRule {
    /// The first day on which one of its articles applies.
    pub fn binding_from(&self) -> Option<NaiveDate> {
        self.articles.iter().map(|a| a.from).min()
    }

    /// The articles joined with ", ".
    pub fn article_list(&self) -> String {
        self.articles
            .iter()
            .map(|a| a.article.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The dated articles that apply to a contract (`concession`: a concession contract):
    /// the concession articles when the rule has them, otherwise its articles (renamed to the
    /// undated `concession_article` for a concession when given).
    pub fn articles_for(&self, concession: bool) -> std::borrow::Cow<'_, [DatedArticle]> {
        if concession {
            if !self.concession_articles.is_empty() {
                return std::borrow::Cow::Borrowed(&self.concession_articles);
            }
            if let Some(a) = &self.concession_article {
                let from = self.binding_from();
                return std::borrow::Cow::Owned(
                    from.map(|from| {
                        vec![DatedArticle {
                            article: a.clone(),
                            from,
                            level: ArticleLevel::Legislative,
                            confidence: None,
                        }]
                    })
                    .unwrap_or_default(),
                );
            }
        }
        std::borrow::Cow::Borrowed(&self.articles)
    }
}

/// What the SPASER threshold is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpaserBasis {
    /// The value of contracts concluded in the calendar year (before 2023).
    ContractsConcluded,
    /// The expenditure made during the calendar year under public contracts (from 2023).
    Expenditure,
}

/// One period of the SPASER obligation: threshold (strictly greater), basis and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaserRule {
    /// When it applies.
    pub period: Period,
    /// The annual amount HT that must be exceeded (strictly).
    pub threshold: Amount,
    /// What is compared.
    pub basis: SpaserBasis,
    /// Buyer statuses certainly covered.
    pub scope: Vec<BuyerStatus>,
    /// Buyer statuses whose coverage is disputed (reported as unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disputed: Vec<BuyerStatus>,
    /// Articles.
    pub article: String,
    /// How firm the rule is.
    pub confidence: Confidence,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The conditions of a reserved contract that the engine can check on a purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservedRule {
    /// The article (`L2113-12`, `L2113-13`, `L2113-13-1`, `L2113-15`).
    pub article: crate::law::context::ReservedArticle,
    /// The day the article came into force, when it is recent (L2113-13-1: 2022-10-20):
    /// a consultation launched before cannot be reserved under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// CPV prefixes of the services it may cover (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// Maximum duration in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_months: Option<u32>,
    /// Conditions on the operator, which the engine cannot check (listed in the reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operator_conditions: Vec<String>,
    /// How firm the rule is.
    pub confidence: Confidence,
}

/// One rate cell: a share, or `null` when unknown, with its confidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateCell {
    /// The rate; `None` when not established (a check reports `unknown`, never `met`).
    pub rate: Option<Share>,
    /// How firm the rate is.
    pub confidence: Confidence,
    /// A remark (e.g. "column not stated in the source").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// AGEC rates of one category from one milestone year (2024, 2027, 2030): the rates apply
/// from that year until the next milestone (a step function).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgecRate {
    /// The category.
    pub category: AgecCategory,
    /// The milestone year.
    pub milestone: i32,
    /// Minimum share from reuse / re-use (donations included).
    pub reuse: RateCell,
    /// Minimum share containing recycled material.
    pub recycled: RateCell,
}

/// The AGEC art. 58 table of décret 2024-134.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgecTable {
    /// Articles.
    pub article: String,
    /// The buyer statuses art. 58 binds (the State, local authorities and their groupings);
    /// empty: every buyer. Other buyers get `not_applicable`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<BuyerStatus>,
    /// When the table is in force.
    pub period: Period,
    /// The cells.
    pub rates: Vec<AgecRate>,
}

impl AgecTable {
    /// The rates of `category` for calendar `year`: the latest milestone not after `year`.
    pub fn rate(&self, category: AgecCategory, year: i32) -> Option<&AgecRate> {
        self.rates
            .iter()
            .filter(|r| r.category == category && r.milestone <= year)
            .max_by_key(|r| r.milestone)
    }
}

/// One line of the abrogated 2021 table (décret 2021-254).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agec2021Line {
    /// Line number.
    pub line: u32,
    /// What it covers.
    pub label: String,
    /// CPV prefixes listed, when the source lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// Minimum share from reuse, re-use or recycled content.
    pub total: Share,
    /// "Of which" reuse share as written by the source (its basis is not established).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_which_reuse: Option<Share>,
    /// How firm the line is.
    pub confidence: Confidence,
}

/// The abrogated 2021 AGEC table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agec2021Table {
    /// Articles.
    pub article: String,
    /// The buyer statuses it bound (empty: every buyer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<BuyerStatus>,
    /// When it was in force.
    pub period: Period,
    /// Its lines.
    pub lines: Vec<Agec2021Line>,
}

/// Which EGalim share a rule sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EgalimShare {
    /// Sustainable and quality products, organic included, of all food purchases.
    Quality,
    /// Organic products, of all food purchases.
    Organic,
    /// Sustainable and quality products, of meat and fish purchases.
    MeatFish,
}

/// One EGalim share rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgalimRule {
    /// Which share.
    pub id: EgalimShare,
    /// Minimum share of the HT value of annual purchases.
    pub rate: Share,
    /// When it applies.
    pub period: Period,
    /// Article.
    pub article: String,
    /// How firm the rule is.
    pub confidence: Confidence,
}

/// The obligation data of a rulebook (see the module documentation for the JSON format).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationRules {
    /// Contract-level obligations (LCR, award criteria).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contract: Vec<ContractRule>,
    /// SPASER obligation periods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spaser: Vec<SpaserRule>,
    /// Reserved-contract conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reserved: Vec<ReservedRule>,
    /// AGEC art. 58 table (décret 2024-134).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agec: Option<AgecTable>,
    /// Abrogated AGEC table (décret 2021-254).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agec_2021: Option<Agec2021Table>,
    /// EGalim shares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egalim: Vec<EgalimRule>,
}

fn bad(section: &str, entry: usize, field: &str, msg: impl fmt::Display) -> Error {
    Error::new(
        ErrorKind::Inconsistent,
        format!(
            "rulebook section \"obligations.{section}\", entry {entry}, field \"{field}\": {msg}"
        ),
    )
}

impl ObligationRules {
    /// Whether there is no obligation data at all.
    pub fn is_empty(&self) -> bool {
        *self == ObligationRules::default()
    }

    /// The contract rule of `id`.
    pub fn contract_rule(&self, id: ObligationId) -> Option<&ContractRule> {
        self.contract.iter().find(|r| r.id == id)
    }

    /// Checks the obligation data: articles present, one contract rule per id, no overlapping
    /// periods within the SPASER and each EGalim share, one reserved rule per article, one AGEC
    /// cell per category and milestone, `of_which_reuse` not above `total`.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the section, the entry and the field.
    pub fn validate(&self) -> Result<()> {
        let mut ids = BTreeSet::new();
        for (i, r) in self.contract.iter().enumerate() {
            if r.articles.is_empty() {
                return Err(bad("contract", i, "articles", "no article"));
            }
            if r.articles
                .iter()
                .chain(&r.concession_articles)
                .any(|a| a.article.trim().is_empty())
            {
                return Err(bad("contract", i, "articles", "empty article"));
            }
            for p in &r.cpv_prefixes {
                if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad(
                        "contract",
                        i,
                        "cpv_prefixes",
                        format!("\"{}\" is not 1 to 8 digits", crate::util::text::excerpt(p)),
                    ));
                }
            }
            if !ids.insert(r.id) {
                return Err(bad(
                    "contract",
                    i,
                    "id",
                    format!("duplicate rule \"{}\"", r.id),
                ));
            }
        }
        for (i, r) in self.spaser.iter().enumerate() {
            if r.article.trim().is_empty() {
                return Err(bad("spaser", i, "article", "empty"));
            }
            for (j, s) in self.spaser.iter().enumerate().skip(i + 1) {
                if r.period.overlaps(&s.period) {
                    return Err(bad(
                        "spaser",
                        j,
                        "period",
                        format!("{} overlaps entry {i} ({})", s.period, r.period),
                    ));
                }
            }
        }
        let mut arts = BTreeSet::new();
        for (i, r) in self.reserved.iter().enumerate() {
            if !arts.insert(r.article) {
                return Err(bad(
                    "reserved",
                    i,
                    "article",
                    format!("duplicate \"{}\"", r.article),
                ));
            }
        }
        if let Some(t) = &self.agec {
            let mut cells = BTreeSet::new();
            for (i, r) in t.rates.iter().enumerate() {
                if !cells.insert((r.category, r.milestone)) {
                    return Err(bad(
                        "agec.rates",
                        i,
                        "milestone",
                        format!("duplicate {} for \"{}\"", r.milestone, r.category),
                    ));
                }
            }
        }
        if let Some(t) = &self.agec_2021 {
            for (i, l) in t.lines.iter().enumerate() {
                if l.of_which_reuse.is_some_and(|r| r > l.total) {
                    return Err(bad("agec_2021.lines", i, "of_which_reuse", "above total"));
                }
            }
        }
        for (i, r) in self.egalim.iter().enumerate() {
            for (j, s) in self.egalim.iter().enumerate().skip(i + 1) {
                if r.id == s.id && r.period.overlaps(&s.period) {
                    return Err(bad(
                        "egalim",
                        j,
                        "period",
                        format!("{} overlaps entry {i} ({})", s.period, r.period),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The SPASER rule in force on `date`.
    pub fn spaser_rule(&self, date: NaiveDate) -> Option<&SpaserRule> {
        self.spaser.iter().find(|r| r.period.contains(date))
    }

    /// The EGalim rule of `share` in force on `date`.
    pub fn egalim_rule(&self, share: EgalimShare, date: NaiveDate) -> Option<&EgalimRule> {
        self.egalim
            .iter()
            .find(|r| r.id == share && r.period.contains(date))
    }

    /// The reserved rule of `article`.
    pub fn reserved_rule(
        &self,
        article: crate::law::context::ReservedArticle,
    ) -> Option<&ReservedRule> {
        self.reserved.iter().find(|r| r.article == article)
    }
}
