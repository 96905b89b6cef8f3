//! Plan ↔ award linking: which planned line became which awarded contract.
//!
//! Each candidate pair (a line of the programme, a contract of the same buyer notified near
//! the line's expected award and sharing a meaningful word of its object) is scored from its
//! evidence — object text (French normalisation, rare words weigh more, trigrams), CPV (same
//! class > group > division), nature, date, amount — as a weighted mean ([`LinkWeights`]). The
//! links are then chosen:
//!
//! 1. **explicit links**: a line's [`PlanLine::contract_ids`] links it to those contracts,
//!    whatever their score;
//! 2. **proposals ranked together**: every pair at or above the threshold (one line, one
//!    contract), every line's best set of lots (contracts notified the same day under one id
//!    or similar objects, whose amounts add up to its estimate) and every contract's best set
//!    of grouped lines (lines of one family, operation or consultation, or each matching its
//!    object strongly, whose estimates add up to its amount); the best first, the smaller on
//!    equal scores, each line and contract once. A line or contract whose best pair matches
//!    its object only weakly and is not clearly ahead of the next candidate is *ambiguous* and
//!    left for an explicit link;
//! 3. **completion**: a line's link gains the other lots of its contracts' consultation, and a
//!    one-to-one link the contract's other lines, when the amounts come closer.
//!
//! Every link carries its score and its reasons; contracts left over are *unplanned
//! purchases*, lines past their expected award date without a contract are *late or
//! abandoned*. The same input gives the same links, byte for byte.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::{Deserialize, Serialize};

use super::buyer::{BuyerMatch, match_buyer};
use super::text::{Prepared, Vocabulary};
use crate::decp::AwardedContract;
use crate::error::{Error, ErrorKind, Result};
use crate::law::rulebook::Rulebook;
use crate::programme::calendar::LeadTimes;
use crate::programme::estimate::Procedure;
use crate::programme::model::{IntermediaryKind, LineStatus, PlanLine, Programme};
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;

/// The weights of the evidence in a pair's score (any non-negative integers; the score is the
/// weighted mean of the components, each in 0..=1).
///
/// Defaults: object text 35, CPV 20, date 20, amount 20, nature 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkWeights {
    /// Object text similarity.
    pub text: u32,
    /// CPV proximity.
    pub cpv: u32,
    /// Nature (works, supplies, services).
    pub nature: u32,
    /// Notification date against the expected award window.
    pub date: u32,
    /// Awarded amount against the estimate.
    pub amount: u32,
}

impl Default for LinkWeights {
    fn default() -> LinkWeights {
        LinkWeights {
            text: 35,
            cpv: 20,
            nature: 5,
            date: 20,
            amount: 20,
        }
    }
}

/// Options of [`link`]: threshold, weights, tolerances, date window, lead times.
///
/// ```
/// use spaser::followup::LinkOptions;
/// let o = LinkOptions::default().threshold("0.7".parse()?).slack_days(60);
/// assert_eq!(o.threshold_share().to_string(), "0.7");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LinkOptions<'a> {
    threshold: Share,
    weights: LinkWeights,
    amount_tolerance: Share,
    framework_ceiling: Decimal,
    early_days: u32,
    slack_days: u32,
    decay_days: u32,
    lead_times: LeadTimes,
    rulebook: Option<&'a Rulebook>,
    as_of: Option<NaiveDate>,
    max_set: usize,
    publication_threshold: Option<Amount>,
    min_text: Share,
    margin: Share,
}

/// Objects at least this similar match strongly: a pair so similar is never ambiguous, and may
/// join a set of lots or grouped lines without being a sibling of the others.
const STRONG_TEXT: f64 = 0.5;

/// The DECP publication threshold: contracts of €40,000 HT or more are published
/// (R2196-1 and the arrêtés of 2022-12-22, from 2024-01-01; unchanged by décret 2025-1386;
/// confidence V, FACTS §12).
pub const DECP_PUBLICATION_THRESHOLD: u32 = 40_000;

impl Default for LinkOptions<'_> {
    /// Threshold 0.6; default [`LinkWeights`]; amounts within ±30 % of the estimate fully
    /// consistent; a framework agreement's maximum up to 4 × the estimate consistent; the award
    /// expected from 60 days before the planned launch to launch + the procedure's lead time
    /// ([`LeadTimes::default`]) + 90 days, the date evidence fading to nothing 120 days beyond;
    /// the embedded rulebook for the procedures; the data horizon at the latest notification
    /// date of the buyer's contracts; at most 4 contracts in a set of lots or 4 lines in a
    /// grouped contract; lines estimated below [`DECP_PUBLICATION_THRESHOLD`] are not expected
    /// in the DECP; a pair whose objects are less than 0.1 similar (no meaningful word or
    /// trigram in common) is never linked by its score alone; a line (or contract) whose best
    /// candidate matches its object weakly (below 0.5) and is not 0.05 ahead of the next one is
    /// ambiguous and left unlinked (link it explicitly).
    fn default() -> Self {
        LinkOptions {
            threshold: Share::new(Decimal::new(6, 1)).unwrap_or(Share::ONE),
            weights: LinkWeights::default(),
            amount_tolerance: Share::new(Decimal::new(3, 1)).unwrap_or(Share::ZERO),
            framework_ceiling: Decimal::from(4),
            early_days: 60,
            slack_days: 90,
            decay_days: 120,
            lead_times: LeadTimes::default(),
            rulebook: None,
            as_of: None,
            max_set: 4,
            publication_threshold: Some(Amount::from_euros(DECP_PUBLICATION_THRESHOLD)),
            min_text: Share::new(Decimal::new(1, 1)).unwrap_or(Share::ZERO),
            margin: Share::new(Decimal::new(5, 2)).unwrap_or(Share::ZERO),
        }
    }
}

impl<'a> LinkOptions<'a> {
    /// The least score of a link.
    pub fn threshold(mut self, threshold: Share) -> Self {
        self.threshold = threshold;
        self
    }

    /// The threshold set.
    pub fn threshold_share(&self) -> Share {
        self.threshold
    }

    /// The weights of the evidence.
    pub fn weights(mut self, weights: LinkWeights) -> Self {
        self.weights = weights;
        self
    }

    /// The relative difference between awarded amount and estimate that is still fully
    /// consistent (0.3 = ±30 %).
    pub fn amount_tolerance(mut self, tolerance: Share) -> Self {
        self.amount_tolerance = tolerance;
        self
    }

    /// How many times the estimate a framework agreement's maximum may be and still be fully
    /// consistent (a maximum is a ceiling, often set well above the expected orders).
    pub fn framework_ceiling(mut self, times: Decimal) -> Self {
        self.framework_ceiling = times.max(Decimal::ONE);
        self
    }

    /// Days before the planned launch date an award is still expected (launches move earlier).
    pub fn early_days(mut self, days: u32) -> Self {
        self.early_days = days;
        self
    }

    /// Days after launch + lead time an award is still expected.
    pub fn slack_days(mut self, days: u32) -> Self {
        self.slack_days = days;
        self
    }

    /// Days over which the date evidence fades to nothing outside the expected window (no
    /// contract further away is considered).
    pub fn decay_days(mut self, days: u32) -> Self {
        self.decay_days = days.max(1);
        self
    }

    /// Lead times from launch to notification, per procedure.
    pub fn lead_times(mut self, lead: LeadTimes) -> Self {
        self.lead_times = lead;
        self
    }

    /// The rulebook that decides each line's procedure (and so its lead time); the embedded
    /// one by default.
    pub fn rulebook(mut self, rulebook: &'a Rulebook) -> Self {
        self.rulebook = Some(rulebook);
        self
    }

    /// The data horizon: contracts notified after it are ignored, lines expected before it
    /// without a contract are late. Default: the latest notification date of the buyer's
    /// contracts.
    pub fn as_of(mut self, date: NaiveDate) -> Self {
        self.as_of = Some(date);
        self
    }

    /// The least object similarity of a pair linked by its score (explicit links aside): CPV,
    /// date and amount alone do not make a link.
    pub fn min_object_similarity(mut self, similarity: Share) -> Self {
        self.min_text = similarity;
        self
    }

    /// How far ahead of the next candidate a weakly matching best candidate must be to be
    /// linked (ambiguity margin, on the score).
    pub fn ambiguity_margin(mut self, margin: Share) -> Self {
        self.margin = margin;
        self
    }

    /// The publication threshold of the DECP (R2196-1): a line estimated below it has no
    /// published contract to expect and is never late (`None`: every line is expected).
    pub fn publication_threshold(mut self, threshold: Option<Amount>) -> Self {
        self.publication_threshold = threshold;
        self
    }

    /// The rulebook set, if any.
    pub(crate) fn rulebook_ref(&self) -> Option<&'a Rulebook> {
        self.rulebook
    }

    /// The lead time of `procedure`, months.
    pub(crate) fn lead_months(&self, procedure: Procedure) -> u32 {
        self.lead_times.months(procedure)
    }

    /// The most contracts a line may become (lots) or lines a contract may gather (grouped),
    /// at least 2.
    pub fn max_set(mut self, n: usize) -> Self {
        self.max_set = n.max(2);
        self
    }
}

/// How a link was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkKind {
    /// Recorded by the buyer in the programme ([`PlanLine::contract_ids`]).
    Explicit,
    /// One line became one contract.
    Single,
    /// One line became several contracts (lots).
    Lots,
    /// Several lines became one contract.
    Grouped,
}

impl LinkKind {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkKind::Explicit => "explicit",
            LinkKind::Single => "single",
            LinkKind::Lots => "lots",
            LinkKind::Grouped => "grouped",
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A contract of the input slice: its position, a key unique in the input and its DECP id.
///
/// DECP ids are not unique (platforms publish the lots of one consultation under one id): the
/// key is the id when it is unique among the contracts given, else `id#n` for the n-th contract
/// with that id in input order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ContractRef {
    /// Index in the slice given to [`link`].
    pub index: usize,
    /// Key unique in that slice.
    pub key: String,
    /// DECP `id`.
    pub id: String,
}

/// How close two CPV codes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CpvLevel {
    /// Same class (first four digits) or closer.
    Class,
    /// Same group (three digits).
    Group,
    /// Same division (two digits).
    Division,
    /// Different divisions.
    Different,
    /// One of the codes is missing.
    Unknown,
}

/// One piece of evidence of a pair, with its score in 0..=1 where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// The line lists the contract's id.
    Explicit {
        /// The id listed.
        contract_id: String,
    },
    /// The contract's buyer and the programme's.
    Buyer {
        /// The contract's buyer identifier.
        buyer: String,
        /// How it matches the programme's SIRET.
        matched: BuyerMatch,
    },
    /// CPV codes.
    Cpv {
        /// The line's code.
        planned: Option<CpvCode>,
        /// The contract's code.
        awarded: Option<CpvCode>,
        /// How close.
        level: CpvLevel,
        /// Component score.
        score: Share,
    },
    /// Natures (the contract's from its CPV division).
    Nature {
        /// The line's nature.
        planned: Nature,
        /// The contract's.
        awarded: Option<Nature>,
        /// Component score.
        score: Share,
    },
    /// Object text.
    Object {
        /// Similarity of the line's label and the contract's object (the component score).
        similarity: Share,
        /// Words both share, rarest first (at most five).
        shared_words: Vec<String>,
    },
    /// Notification date against the expected award window.
    Date {
        /// Start of the window (launch − early days).
        expected_from: NaiveDate,
        /// End of the window (launch + lead time + slack days).
        expected_to: NaiveDate,
        /// Notification date.
        notified: Option<NaiveDate>,
        /// Days outside the window (0 inside).
        days_outside: i64,
        /// Component score.
        score: Share,
    },
    /// Awarded amount against the estimate (of the whole set for lots and grouped lines).
    Amount {
        /// Estimate(s) HT.
        estimate: Amount,
        /// Awarded amount(s) HT (current amount, after modifications).
        awarded: Option<Amount>,
        /// Awarded ÷ estimate, 4 decimals.
        ratio: Option<Decimal>,
        /// Whether the contract is a framework agreement, whose amount is a maximum.
        framework: bool,
        /// Component score.
        score: Share,
    },
}

fn pct(s: Share) -> String {
    format!("{}", s.round_dp(2))
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Explicit { contract_id } => {
                write!(f, "explicit: the line lists contract \"{contract_id}\"")
            }
            Reason::Buyer { buyer, matched } => write!(f, "buyer {buyer}: {matched}"),
            Reason::Cpv {
                planned,
                awarded,
                level,
                score,
            } => {
                let code = |c: &Option<CpvCode>| c.map_or("none".to_string(), |c| c.to_string());
                let what = match level {
                    CpvLevel::Class => "same class",
                    CpvLevel::Group => "same group",
                    CpvLevel::Division => "same division",
                    CpvLevel::Different => "different divisions",
                    CpvLevel::Unknown => "not comparable",
                };
                write!(
                    f,
                    "CPV {} / {}: {what} ({})",
                    code(planned),
                    code(awarded),
                    pct(*score)
                )
            }
            Reason::Nature {
                planned,
                awarded,
                score,
            } => write!(
                f,
                "nature {planned} / {}: {}",
                awarded.map_or("unknown".to_string(), |n| n.to_string()),
                pct(*score)
            ),
            Reason::Object {
                similarity,
                shared_words,
            } => {
                write!(f, "object similarity {}", pct(*similarity))?;
                if !shared_words.is_empty() {
                    write!(f, " (shared: {})", shared_words.join(", "))?;
                }
                Ok(())
            }
            Reason::Date {
                expected_from,
                expected_to,
                notified,
                days_outside,
                score,
            } => match notified {
                Some(d) if *days_outside == 0 => write!(
                    f,
                    "notified {d}, within the expected window {expected_from} to {expected_to} ({})",
                    pct(*score)
                ),
                Some(d) => write!(
                    f,
                    "notified {d}, {days_outside} days outside the expected window {expected_from} to {expected_to} ({})",
                    pct(*score)
                ),
                None => write!(f, "no notification date ({})", pct(*score)),
            },
            Reason::Amount {
                estimate,
                awarded,
                ratio,
                framework,
                score,
            } => {
                let est = crate::values::money::euros_display(estimate.as_decimal());
                match (awarded, ratio) {
                    (Some(a), Some(r)) => write!(
                        f,
                        "{} {} against an estimate of {est} (ratio {}): {}",
                        if *framework {
                            "framework maximum"
                        } else {
                            "awarded"
                        },
                        crate::values::money::euros_display(a.as_decimal()),
                        r.normalize(),
                        pct(*score)
                    ),
                    _ => write!(f, "no awarded amount (estimate {est}): {}", pct(*score)),
                }
            }
        }
    }
}

/// The evidence of one (line, contract) pair of a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PairScore {
    /// Line id.
    pub line: String,
    /// Contract key ([`ContractRef::key`]).
    pub contract: String,
    /// The pair's score (with its own amount evidence), 4 decimals.
    pub score: Share,
    /// The pair's score without the amount evidence (what lots and grouped lines are judged
    /// on, their amount being judged on the set), 4 decimals.
    pub score_without_amount: Share,
    /// The evidence.
    pub reasons: Vec<Reason>,
}

/// A link: planned lines and the contracts they became, with the score and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// How it was found.
    pub kind: LinkKind,
    /// Line ids, in programme order.
    pub lines: Vec<String>,
    /// Contracts, in input order.
    pub contracts: Vec<ContractRef>,
    /// The link's score, 4 decimals (1 for explicit links).
    pub score: Share,
    /// Evidence of the whole link: the explicit id, or the amounts of the set.
    pub reasons: Vec<Reason>,
    /// Evidence of each (line, contract) pair.
    pub pairs: Vec<PairScore>,
}

/// An awarded contract no planned line became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unplanned {
    /// The contract.
    pub contract: ContractRef,
    /// The closest line, when one was scored (below the threshold, or taken by another link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closest: Option<PairScore>,
}

/// Where a line without a contract stands at the data horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unlinked {
    /// The expected award window ended before the horizon: late, or abandoned.
    LateOrAbandoned,
    /// Still within (or before) its expected award window.
    Pending,
    /// Cancelled by the buyer ([`LineStatus::Cancelled`]).
    Cancelled,
    /// Bought through a central purchasing body: its contract is published by that body, not
    /// by the buyer.
    CentralPurchasing,
    /// Estimated below the DECP publication threshold (R2196-1): its contract is probably not
    /// published.
    BelowPublicationThreshold,
}

/// A planned line without a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnlinkedLine {
    /// Line id.
    pub line: String,
    /// Where it stands.
    pub state: Unlinked,
    /// End of its expected award window (launch + lead time + slack).
    pub expected_by: NaiveDate,
    /// Days from `expected_by` to the horizon (positive when late).
    pub days_late: i64,
    /// The procedure the estimation requires (it sets the lead time).
    pub procedure: Procedure,
    /// Whether several contracts matched it about as well, its object weakly: left for an
    /// explicit link ([`PlanLine::contract_ids`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
    /// The closest contract, when one was scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closest: Option<PairScore>,
}

/// An explicit link naming a contract id that is not among the buyer's contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MissingContract {
    /// Line id.
    pub line: String,
    /// The contract id listed.
    pub contract_id: String,
}

/// What became of every input record and line: the counts add up.
///
/// `contracts = other_buyers + no_buyer + outside_horizon + no_date + linked + unplanned` and
/// `lines = linked_lines + late_or_abandoned + pending + cancelled + central_purchasing +
/// below_publication_threshold`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkAccounting {
    /// Contracts given.
    pub contracts: usize,
    /// Of other buyers (another SIREN), not considered.
    pub other_buyers: usize,
    /// Without a buyer identifier while the programme's buyer has a SIRET, not considered.
    pub no_buyer: usize,
    /// Of the buyer, notified before the programme's first expected award or after the horizon.
    pub outside_horizon: usize,
    /// Of the buyer, without notification date (considered only for explicit links).
    pub no_date: usize,
    /// Linked to a line.
    pub linked: usize,
    /// Unplanned purchases.
    pub unplanned: usize,
    /// Lines of the programme.
    pub lines: usize,
    /// Lines linked.
    pub linked_lines: usize,
    /// Lines late or abandoned.
    pub late_or_abandoned: usize,
    /// Lines pending.
    pub pending: usize,
    /// Lines cancelled.
    pub cancelled: usize,
    /// Lines bought through a central purchasing body, without a contract of the buyer.
    pub central_purchasing: usize,
    /// Lines estimated below the DECP publication threshold, without a contract.
    pub below_publication_threshold: usize,
}

/// The result of [`link`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Linking {
    /// The programme's buyer SIRET, when it has one (contracts are checked against it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    /// The data horizon used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// The threshold used.
    pub threshold: Share,
    /// Links, in the programme order of their first line.
    pub links: Vec<Link>,
    /// Contracts of the buyer within the horizon that no line became, in input order.
    pub unplanned: Vec<Unplanned>,
    /// Lines without a contract, in programme order.
    pub unlinked: Vec<UnlinkedLine>,
    /// Explicit links naming a contract that was not found.
    pub missing: Vec<MissingContract>,
    /// Counts.
    pub accounting: LinkAccounting,
}

impl Linking {
    /// Every (line id, contract key) pair linked, sorted.
    ///
    /// ```
    /// use spaser::followup::{link, LinkOptions};
    /// let linking = link(spaser::Programme::sample(), &[], &LinkOptions::default())?;
    /// assert!(linking.pairs().is_empty());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .links
            .iter()
            .flat_map(|l| {
                l.lines.iter().flat_map(move |line| {
                    l.contracts
                        .iter()
                        .map(move |c| (line.clone(), c.key.clone()))
                })
            })
            .collect();
        v.sort();
        v
    }

    /// The link of a line.
    pub fn link_of(&self, line: &str) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| l.lines.iter().any(|x| x == line))
    }

    /// The link of a contract, by index in the input slice.
    pub fn link_of_contract(&self, index: usize) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| l.contracts.iter().any(|c| c.index == index))
    }

    /// The lines late or abandoned.
    pub fn late(&self) -> impl Iterator<Item = &UnlinkedLine> {
        self.unlinked
            .iter()
            .filter(|u| u.state == Unlinked::LateOrAbandoned)
    }

    /// The linking as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("linking: {e}")).with_source(e))
    }
}

/// Keys unique in the slice: the id, or `id#n` when several contracts share it.
pub(crate) fn contract_keys(contracts: &[AwardedContract]) -> Vec<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in contracts {
        *count.entry(c.id.as_str()).or_default() += 1;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    contracts
        .iter()
        .map(|c| {
            if count.get(c.id.as_str()).copied().unwrap_or(0) > 1 {
                let n = seen.entry(c.id.as_str()).or_default();
                *n += 1;
                format!("{}#{n}", c.id)
            } else {
                c.id.clone()
            }
        })
        .collect()
}

/// Whether a contract is a framework agreement (DECP `techniques` or a 2019 `nature`).
pub(crate) fn is_framework(c: &AwardedContract) -> bool {
    let fw = |s: &str| crate::util::text::fold(s).starts_with("accord-cadre");
    c.techniques.iter().any(|t| fw(t)) || c.nature.as_deref().is_some_and(fw)
}

/// The features of a line.
struct LineF {
    text: Prepared,
    mass: f64,
    cpv: Option<CpvCode>,
    nature: Nature,
    from: NaiveDate,
    to: NaiveDate,
    estimate: Decimal,
    est_f: f64,
    procedure: Procedure,
    state: LineState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineState {
    Open,
    Cancelled,
    Central,
}

/// The features of a contract of the buyer.
struct ContractF {
    index: usize,
    text: Prepared,
    mass: f64,
    cpv: Option<CpvCode>,
    nature: Option<Nature>,
    date: Option<NaiveDate>,
    amount: Option<Decimal>,
    amt_f: f64,
    framework: bool,
}

/// A link proposed: its score, members and a rank for equal scores.
struct Proposal {
    score: f64,
    lines: Vec<u32>,
    contracts: Vec<u32>,
    order: usize,
}

/// A scored pair (indices into the line and contract features).
#[derive(Clone, Copy)]
struct Pair {
    line: u32,
    contract: u32,
    text: f64,
    base: f64,
    total: f64,
}

struct Scorer<'o> {
    o: &'o LinkOptions<'o>,
    vocab: Vocabulary,
    wb: f64,
    wa: f64,
    tol: f64,
    ceiling: f64,
}

fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

impl Scorer<'_> {
    fn cpv(a: Option<CpvCode>, b: Option<CpvCode>) -> (CpvLevel, f64) {
        match (a, b) {
            (Some(a), Some(b)) => {
                if a.class() == b.class() {
                    (CpvLevel::Class, 1.0)
                } else if a.group() == b.group() {
                    (CpvLevel::Group, 0.75)
                } else if a.division() == b.division() {
                    (CpvLevel::Division, 0.5)
                } else {
                    (CpvLevel::Different, 0.0)
                }
            }
            _ => (CpvLevel::Unknown, 0.3),
        }
    }

    fn nature(a: Nature, b: Option<Nature>) -> f64 {
        match b {
            Some(b) if b == a => 1.0,
            Some(_) => 0.0,
            None => 0.5,
        }
    }

    /// (days outside the window, score).
    fn date(&self, l: &LineF, d: Option<NaiveDate>) -> (i64, f64) {
        let Some(d) = d else {
            return (0, 0.0);
        };
        let out = if d < l.from {
            days_between(d, l.from)
        } else if d > l.to {
            days_between(l.to, d)
        } else {
            0
        };
        let s = (1.0 - out as f64 / f64::from(self.o.decay_days)).max(0.0);
        (out, s)
    }

    /// Amount evidence of an estimate against an awarded amount.
    fn amount(&self, est: f64, awarded: Option<f64>, framework: bool) -> f64 {
        let Some(a) = awarded else {
            return 0.0;
        };
        if est <= 0.0 || a <= 0.0 {
            return if est <= 0.0 && a <= 0.0 { 1.0 } else { 0.0 };
        }
        let r = a / est;
        if framework && r >= 1.0 - self.tol && r <= self.ceiling {
            return 1.0;
        }
        let lo = 1.0 - self.tol;
        let hi = 1.0 + self.tol;
        if (lo..=hi).contains(&r) {
            return 1.0;
        }
        // fades to nothing when the ratio is twice as far (in log scale) as the band's edge
        let (edge, x) = if r < lo {
            (lo.max(1e-9).ln().abs(), r.ln().abs())
        } else {
            let top = if framework { self.ceiling } else { hi };
            (top.ln(), r.ln())
        };
        let edge = edge.max(1e-9);
        (1.0 - (x - edge) / edge.max(0.25)).clamp(0.0, 1.0)
    }

    fn base(&self, text: f64, cpv: f64, nature: f64, date: f64) -> f64 {
        let w = &self.o.weights;
        if self.wb <= 0.0 {
            return 0.0;
        }
        (f64::from(w.text) * text
            + f64::from(w.cpv) * cpv
            + f64::from(w.nature) * nature
            + f64::from(w.date) * date)
            / self.wb
    }

    fn combine(&self, base: f64, amount: f64) -> f64 {
        let w = self.wb + self.wa;
        if w <= 0.0 {
            return 0.0;
        }
        (self.wb * base + self.wa * amount) / w
    }

    fn share(x: f64) -> Share {
        let d = Decimal::from_f64(x.clamp(0.0, 1.0))
            .unwrap_or(Decimal::ZERO)
            .round_dp(4);
        Share::new(d).unwrap_or(Share::ZERO)
    }

    /// The pair's evidence, its score and its score without amount.
    fn pair(
        &self,
        line: &PlanLine,
        l: &LineF,
        c: &ContractF,
        contract: &AwardedContract,
        key: &str,
        buyer: BuyerMatch,
    ) -> PairScore {
        let (level, cpv) = Self::cpv(l.cpv, c.cpv);
        let nature = Self::nature(l.nature, c.nature);
        let text = self.vocab.similarity(&l.text, l.mass, &c.text, c.mass);
        let (out, date) = self.date(l, c.date);
        let amount = self.amount(l.est_f, c.amount.map(|_| c.amt_f), c.framework);
        let base = self.base(text, cpv, nature, date);
        let total = self.combine(base, amount);
        let awarded = c.amount.and_then(|a| Amount::new(a).ok());
        let reasons = vec![
            Reason::Buyer {
                buyer: contract
                    .buyer
                    .as_ref()
                    .map_or_else(String::new, |b| b.as_str().to_string()),
                matched: buyer,
            },
            Reason::Object {
                similarity: Self::share(text),
                shared_words: self.vocab.shared_words(&l.text, &c.text, 5),
            },
            Reason::Cpv {
                planned: l.cpv,
                awarded: c.cpv,
                level,
                score: Self::share(cpv),
            },
            Reason::Nature {
                planned: l.nature,
                awarded: c.nature,
                score: Self::share(nature),
            },
            Reason::Date {
                expected_from: l.from,
                expected_to: l.to,
                notified: c.date,
                days_outside: out,
                score: Self::share(date),
            },
            Reason::Amount {
                estimate: line.amount,
                awarded,
                ratio: ratio(l.estimate, c.amount),
                framework: c.framework,
                score: Self::share(amount),
            },
        ];
        PairScore {
            line: line.id.clone(),
            contract: key.to_string(),
            score: Self::share(total),
            score_without_amount: Self::share(base),
            reasons,
        }
    }
}

fn ratio(estimate: Decimal, awarded: Option<Decimal>) -> Option<Decimal> {
    let a = awarded?;
    if estimate.is_zero() {
        return None;
    }
    a.checked_div(estimate).map(|r| r.round_dp(4).normalize())
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Links the lines of `programme` to the awarded contracts `contracts` (DECP marchés; those of
/// other buyers are counted and skipped).
///
/// The buyer is the programme's: when its [`Buyer::siret`](crate::Buyer::siret) is known, only
/// contracts of that SIRET (or of another establishment of the same SIREN, which the reasons
/// say) are considered; without it, every contract is (and the reasons say the buyer was not
/// checked). Each line's expected award window runs from its launch date − the early days to
/// its launch date + the lead time of the procedure its estimation requires + the slack days.
///
/// # Errors
/// The errors of [`Programme::estimate`] (the procedure of each line sets its lead time);
/// [`ErrorKind::InvalidValue`] when a window falls outside the calendar.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::decp::{AwardedContract, Identifier};
/// use spaser::followup::{link, LinkKind, LinkOptions};
/// use spaser::{Amount, Buyer, BuyerKind, CpvCode, Nature, PlanLine, Programme, Siret};
///
/// let mut buyer = Buyer::new("Ville", BuyerKind::OtherContractingAuthority);
/// buyer.siret = Some(Siret::parse("21490999600016")?);
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// let mut line = PlanLine::new("P1", "Fourniture de papier recyclé", Nature::Supplies,
///                              Amount::from_euros(48_000), date(1, 15));
/// line.cpv = Some("30197630".parse()?);
/// let programme = Programme::new(buyer, vec![line])?;
///
/// let mut c = AwardedContract::default();
/// c.id = "2026-001".into();
/// c.buyer = Some(Identifier::parse("21490999600016"));
/// c.object = Some("Fourniture de papier recyclé pour les services".into());
/// c.cpv = Some("30197630".parse::<CpvCode>()?);
/// c.amount = Some(Amount::from_euros(46_500));
/// c.notification_date = Some(date(3, 2));
///
/// let linking = link(&programme, &[c], &LinkOptions::default())?;
/// assert_eq!(linking.links.len(), 1);
/// assert_eq!(linking.links[0].kind, LinkKind::Single);
/// assert!(linking.links[0].score >= "0.8".parse()?);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn link(
    programme: &Programme,
    contracts: &[AwardedContract],
    options: &LinkOptions<'_>,
) -> Result<Linking> {
    let rulebook = options.rulebook.unwrap_or_else(|| Rulebook::embedded());
    let estimation = programme.estimate(rulebook)?;
    let procedures: BTreeMap<&str, Procedure> = estimation
        .lines
        .iter()
        .map(|e| (e.line_id(), e.procedure))
        .collect();
    let siret = programme.buyer.siret;
    let keys = contract_keys(contracts);
    let w = &options.weights;
    let mut scorer = Scorer {
        o: options,
        vocab: Vocabulary::default(),
        wb: f64::from(w.text) + f64::from(w.cpv) + f64::from(w.nature) + f64::from(w.date),
        wa: f64::from(w.amount),
        tol: f64_of(options.amount_tolerance.as_decimal()),
        ceiling: f64_of(options.framework_ceiling),
    };
    let mut acc = LinkAccounting {
        contracts: contracts.len(),
        lines: programme.lines.len(),
        ..LinkAccounting::default()
    };

    // the buyer's contracts
    let mut buyer_match: Vec<Option<BuyerMatch>> = Vec::with_capacity(contracts.len());
    for c in contracts {
        let m = match_buyer(siret.as_ref(), c.buyer.as_ref());
        match m {
            None if c.buyer.is_none() => acc.no_buyer += 1,
            None => acc.other_buyers += 1,
            Some(_) => {}
        }
        buyer_match.push(m);
    }
    let as_of = options.as_of.or_else(|| {
        contracts
            .iter()
            .zip(&buyer_match)
            .filter(|(_, m)| m.is_some())
            .filter_map(|(c, _)| c.notification_date)
            .max()
    });

    // line features
    let mut lines: Vec<LineF> = Vec::with_capacity(programme.lines.len());
    for line in &programme.lines {
        let procedure = procedures
            .get(line.id.as_str())
            .copied()
            .unwrap_or(Procedure::Formal);
        let lead = options.lead_times.months(procedure);
        let bad = || {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "line \"{}\": the expected award window of launch date {} is outside the calendar",
                    line.id, line.launch_date
                ),
            )
        };
        let from = line
            .launch_date
            .checked_sub_days(Days::new(u64::from(options.early_days)))
            .ok_or_else(bad)?;
        let to = line
            .launch_date
            .checked_add_months(Months::new(lead))
            .and_then(|d| d.checked_add_days(Days::new(u64::from(options.slack_days))))
            .ok_or_else(bad)?;
        let state = if line.status == LineStatus::Cancelled {
            LineState::Cancelled
        } else if line
            .intermediary
            .as_ref()
            .is_some_and(|i| i.kind == IntermediaryKind::CentralPurchasingBody)
        {
            LineState::Central
        } else {
            LineState::Open
        };
        let text = scorer.vocab.prepare(&line.label);
        let estimate = line.amount.as_decimal();
        lines.push(LineF {
            text,
            mass: 0.0,
            cpv: line.cpv,
            nature: line.nature,
            from,
            to,
            estimate,
            est_f: f64_of(estimate),
            procedure,
            state,
        });
    }
    let horizon_start = lines
        .iter()
        .filter(|l| l.state != LineState::Cancelled)
        .map(|l| l.from)
        .min();

    // contract features (the buyer's only)
    let mut feats: Vec<ContractF> = Vec::new();
    let mut feat_of: Vec<Option<u32>> = vec![None; contracts.len()];
    for (i, c) in contracts.iter().enumerate() {
        if buyer_match[i].is_none() {
            continue;
        }
        let amount = c.current_amount().map(|a| a.as_decimal());
        feat_of[i] = u32::try_from(feats.len()).ok();
        feats.push(ContractF {
            index: i,
            text: scorer.vocab.prepare(c.object.as_deref().unwrap_or("")),
            mass: 0.0,
            cpv: c.cpv,
            nature: c.cpv.and_then(|x| x.nature()),
            date: c.notification_date,
            amount,
            amt_f: amount.map_or(0.0, f64_of),
            framework: is_framework(c),
        });
    }
    scorer.vocab.finish();
    for l in &mut lines {
        l.mass = scorer.vocab.mass(&l.text);
    }
    for c in &mut feats {
        c.mass = scorer.vocab.mass(&c.text);
    }
    // within the horizon: considered for scoring
    let in_horizon = |c: &ContractF| match c.date {
        Some(d) => horizon_start.is_none_or(|h| d >= h) && as_of.is_none_or(|a| d <= a),
        None => false,
    };

    let mut line_taken: Vec<bool> = vec![false; lines.len()];
    let mut contract_taken: Vec<bool> = vec![false; feats.len()];
    let mut links: Vec<(Vec<u32>, Vec<u32>, LinkKind)> = Vec::new();
    let mut missing = Vec::new();

    // 1. explicit links: lines sharing a contract form one link
    {
        let mut by_id: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (fi, f) in feats.iter().enumerate() {
            by_id
                .entry(contracts[f.index].id.as_str())
                .or_default()
                .push(fi as u32);
        }
        // union of lines through shared contracts
        let mut sets: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        for (li, line) in programme.lines.iter().enumerate() {
            if line.contract_ids.is_empty() {
                continue;
            }
            let mut cs: Vec<u32> = Vec::new();
            for id in &line.contract_ids {
                match by_id.get(id.as_str()) {
                    Some(v) => cs.extend(v),
                    None => missing.push(MissingContract {
                        line: line.id.clone(),
                        contract_id: id.clone(),
                    }),
                }
            }
            if cs.is_empty() {
                continue;
            }
            cs.sort_unstable();
            cs.dedup();
            let li = li as u32;
            // merge with every set sharing a contract
            let mut merged = (vec![li], cs);
            let mut k = 0;
            while k < sets.len() {
                if sets[k].1.iter().any(|c| merged.1.contains(c)) {
                    let (ls, cs2) = sets.swap_remove(k);
                    merged.0.extend(ls);
                    merged.1.extend(cs2);
                } else {
                    k += 1;
                }
            }
            merged.0.sort_unstable();
            merged.0.dedup();
            merged.1.sort_unstable();
            merged.1.dedup();
            sets.push(merged);
        }
        for (ls, cs) in sets {
            for &l in &ls {
                line_taken[l as usize] = true;
            }
            for &c in &cs {
                contract_taken[c as usize] = true;
            }
            links.push((ls, cs, LinkKind::Explicit));
        }
    }

    // candidate pairs, and the best scored partner of each line and contract (for the
    // unlinked and unplanned lists)
    let Candidates {
        pairs,
        best_line,
        best_contract,
    } = candidates(
        &scorer,
        &lines,
        &feats,
        &line_taken,
        &contract_taken,
        &in_horizon,
    );
    let threshold = f64_of(options.threshold.as_decimal());
    let min_text = f64_of(options.min_text.as_decimal());

    // pairs by line and by contract passing the threshold without the amount:
    // (score without amount, other side, object similarity)
    let mut by_line: Vec<Vec<(f64, u32, f64)>> = vec![Vec::new(); lines.len()];
    let mut by_contract: Vec<Vec<(f64, u32, f64)>> = vec![Vec::new(); feats.len()];
    for p in &pairs {
        if p.base >= threshold && p.text >= min_text {
            by_line[p.line as usize].push((p.base, p.contract, p.text));
            by_contract[p.contract as usize].push((p.base, p.line, p.text));
        }
    }
    let rank =
        |v: &mut Vec<(f64, u32, f64)>| v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for v in by_line.iter_mut().chain(by_contract.iter_mut()) {
        rank(v);
    }
    let max_set = options.max_set;
    let margin = f64_of(options.margin.as_decimal());
    let sibling_contracts = |a: u32, b: u32| {
        let (f, g) = (&feats[a as usize], &feats[b as usize]);
        let (x, y) = (&contracts[f.index].id, &contracts[g.index].id);
        f.date.is_some()
            && f.date == g.date
            && (x == y
                || id_stem(x) == id_stem(y)
                || scorer.vocab.similarity(&f.text, f.mass, &g.text, g.mass) >= STRONG_TEXT)
    };
    let sibling_lines = |a: u32, b: u32| {
        let (x, y) = (&programme.lines[a as usize], &programme.lines[b as usize]);
        let same = |p: &Option<String>, q: &Option<String>| p.is_some() && p == q;
        same(&x.family, &y.family)
            || same(&x.operation, &y.operation)
            || (x.lot.is_some()
                && x.lot.as_ref().map(|l| &l.consultation)
                    == y.lot.as_ref().map(|l| &l.consultation))
            || (x.launch_date == y.launch_date && {
                let (f, g) = (&lines[a as usize], &lines[b as usize]);
                scorer.vocab.similarity(&f.text, f.mass, &g.text, g.mass) >= STRONG_TEXT
            })
    };
    // lots are siblings (notified the same day under one id or similar objects); lines
    // grouped into one contract are siblings (one family, operation or consultation) or each
    // match its object strongly

    // 2-4. one to one, lots and grouped lines, ranked together: every pair at or above the
    // threshold (unless its line or contract is ambiguous: another candidate within the margin
    // while the objects match only weakly), every line's best set of lots and every
    // contract's best set of lines; the best proposal first, the smaller on equal scores; a
    // proposal whose members are taken waits for the next round, which proposes again among
    // the free lines and contracts
    let mut ambiguous_line = vec![false; lines.len()];
    for _round in 0..3 {
        let mut proposals: Vec<Proposal> = Vec::new();
        // the best and second-best free single pairs of each line and contract
        let mut best_l: Vec<(f64, f64, f64)> = vec![(-1.0, 0.0, -1.0); lines.len()];
        let mut best_c: Vec<(f64, f64, f64)> = vec![(-1.0, 0.0, -1.0); feats.len()];
        let keep = |b: &mut (f64, f64, f64), total: f64, text: f64| {
            if total > b.0 {
                b.2 = b.0;
                b.0 = total;
                b.1 = text;
            } else if total > b.2 {
                b.2 = total;
            }
        };
        let single = |p: &Pair| {
            p.total >= threshold
                && p.text >= min_text
                && !line_taken[p.line as usize]
                && !contract_taken[p.contract as usize]
        };
        for p in pairs.iter().filter(|p| single(p)) {
            keep(&mut best_l[p.line as usize], p.total, p.text);
            keep(&mut best_c[p.contract as usize], p.total, p.text);
        }
        let ambiguous = |b: &(f64, f64, f64)| b.1 < STRONG_TEXT && b.2 >= b.0 - margin;
        for (i, p) in pairs.iter().enumerate() {
            if !single(p) {
                continue;
            }
            if ambiguous(&best_l[p.line as usize]) || ambiguous(&best_c[p.contract as usize]) {
                ambiguous_line[p.line as usize] = true;
                continue;
            }
            proposals.push(Proposal {
                score: p.total,
                lines: vec![p.line],
                contracts: vec![p.contract],
                order: i,
            });
        }
        for (li, l) in lines.iter().enumerate() {
            if line_taken[li] || l.state != LineState::Open {
                continue;
            }
            let cands: Vec<(f64, u32, f64)> = by_line[li]
                .iter()
                .copied()
                .filter(|&(_, c, _)| !contract_taken[c as usize])
                .take(8)
                .collect();
            let pick: Vec<(f64, u32)> = cands.iter().map(|c| (c.0, c.1)).collect();
            let sib = sibling_masks(&pick, &sibling_contracts);
            if let Some((s, set)) = best_subset(&pick, max_set, |mask, set, base| {
                if !all_siblings(mask, &sib) {
                    return -1.0;
                }
                let sum: f64 = set.iter().map(|&c| feats[c as usize].amt_f).sum();
                let fw = set.iter().any(|&c| feats[c as usize].framework);
                let all_amounts = set.iter().all(|&c| feats[c as usize].amount.is_some());
                scorer.combine(base, scorer.amount(l.est_f, all_amounts.then_some(sum), fw))
            }) {
                if s >= threshold {
                    proposals.push(Proposal {
                        score: s,
                        lines: vec![li as u32],
                        contracts: set,
                        order: pairs.len() + li,
                    });
                }
            }
        }
        for (ci, c) in feats.iter().enumerate() {
            if contract_taken[ci] {
                continue;
            }
            let cands: Vec<(f64, u32, f64)> = by_contract[ci]
                .iter()
                .copied()
                .filter(|&(_, l, _)| {
                    !line_taken[l as usize] && lines[l as usize].state == LineState::Open
                })
                .take(8)
                .collect();
            let pick: Vec<(f64, u32)> = cands.iter().map(|c| (c.0, c.1)).collect();
            let sib = sibling_masks(&pick, &sibling_lines);
            // candidates whose objects match strongly
            let strong = cands
                .iter()
                .enumerate()
                .filter(|(_, c)| c.2 >= STRONG_TEXT)
                .fold(0u32, |m, (i, _)| m | (1 << i));
            if let Some((s, set)) = best_subset(&pick, max_set, |mask, set, base| {
                if mask & strong != mask && !all_siblings(mask, &sib) {
                    return -1.0;
                }
                let est: f64 = set.iter().map(|&l| lines[l as usize].est_f).sum();
                scorer.combine(
                    base,
                    scorer.amount(est, c.amount.map(|_| c.amt_f), c.framework),
                )
            }) {
                if s >= threshold {
                    proposals.push(Proposal {
                        score: s,
                        lines: set,
                        contracts: vec![ci as u32],
                        order: pairs.len() + lines.len() + ci,
                    });
                }
            }
        }
        if proposals.is_empty() {
            break;
        }
        proposals.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((a.lines.len() + a.contracts.len()).cmp(&(b.lines.len() + b.contracts.len())))
                .then(a.order.cmp(&b.order))
        });
        let mut accepted = 0;
        for p in proposals {
            if p.lines.iter().any(|&l| line_taken[l as usize])
                || p.contracts.iter().any(|&c| contract_taken[c as usize])
            {
                continue;
            }
            for &l in &p.lines {
                line_taken[l as usize] = true;
            }
            for &c in &p.contracts {
                contract_taken[c as usize] = true;
            }
            let kind = match (p.lines.len(), p.contracts.len()) {
                (1, 1) => LinkKind::Single,
                (1, _) => LinkKind::Lots,
                _ => LinkKind::Grouped,
            };
            links.push((p.lines, p.contracts, kind));
            accepted += 1;
        }
        if accepted == 0 {
            break;
        }
    }

    // contracts by notification date (for the siblings of a link's contracts)
    let mut by_date: BTreeMap<NaiveDate, Vec<u32>> = BTreeMap::new();
    for (fi, f) in feats.iter().enumerate() {
        if let Some(d) = f.date {
            by_date.entry(d).or_default().push(fi as u32);
        }
    }

    // 5. completion: a one-line link gains its line's other lots (candidates passing the
    // threshold without the amount, or lots published with the same id or on the same day
    // under a similar object, with half the evidence); a one-to-one link gains the
    // contract's other lines
    for (ls, cs, kind) in &mut links {
        if !matches!(*kind, LinkKind::Single | LinkKind::Lots) || ls.len() != 1 {
            continue;
        }
        let l0 = ls[0] as usize;
        if cs
            .iter()
            .any(|&c| feats[c as usize].framework || feats[c as usize].amount.is_none())
        {
            continue;
        }
        let est = lines[l0].est_f;
        let mut sum: f64 = cs.iter().map(|&c| feats[c as usize].amt_f).sum();
        let linked: Vec<u32> = cs.clone();
        // the siblings of its contracts (lots of the same consultation: notified the same day
        // under the same id or a similar object), with half the evidence
        let mut extra: Vec<(f64, u32)> = Vec::new();
        let same_day = linked
            .iter()
            .filter_map(|&c| feats[c as usize].date)
            .filter_map(|d| by_date.get(&d))
            .flatten()
            .copied();
        let mut seen: Vec<u32> = Vec::new();
        for fi in same_day {
            if seen.contains(&fi) {
                continue;
            }
            seen.push(fi);
            let f = &feats[fi as usize];
            let fi = fi as usize;
            if contract_taken[fi] || !in_horizon(f) {
                continue;
            }
            if !linked.iter().any(|&c| sibling_contracts(c, fi as u32)) {
                continue;
            }
            let l = &lines[l0];
            let (_, cpv) = Scorer::cpv(l.cpv, f.cpv);
            let (_, date) = scorer.date(l, f.date);
            let text = scorer.vocab.similarity(&l.text, l.mass, &f.text, f.mass);
            let base = scorer.base(text, cpv, Scorer::nature(l.nature, f.nature), date);
            if base >= threshold / 2.0 && text >= min_text {
                extra.push((base, fi as u32));
            }
        }
        extra.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, c) in extra {
            if cs.len() >= max_set {
                break;
            }
            let cf = &feats[c as usize];
            if contract_taken[c as usize] || cf.framework || cf.amount.is_none() {
                continue;
            }
            if (sum + cf.amt_f - est).abs() < (sum - est).abs() {
                sum += cf.amt_f;
                cs.push(c);
                contract_taken[c as usize] = true;
            }
        }
        if cs.len() > 1 {
            cs.sort_unstable();
            *kind = LinkKind::Lots;
            continue;
        }
        // more lines for the contract (grouped)
        let c0 = cs[0] as usize;
        let amount = feats[c0].amt_f;
        let mut est = lines[l0].est_f;
        for &(_, l, text) in &by_contract[c0] {
            if ls.len() >= max_set {
                break;
            }
            if line_taken[l as usize] || lines[l as usize].state != LineState::Open {
                continue;
            }
            if text < STRONG_TEXT && !sibling_lines(ls[0], l) {
                continue;
            }
            let e = lines[l as usize].est_f;
            if (est + e - amount).abs() < (est - amount).abs() {
                est += e;
                ls.push(l);
                line_taken[l as usize] = true;
            }
        }
        if ls.len() > 1 {
            ls.sort_unstable();
            *kind = LinkKind::Grouped;
        }
    }

    // build the links with their evidence
    // in the programme order of their first line, then the input order of their contracts
    links.sort_by_key(|(ls, cs, _)| {
        (
            ls.iter().min().copied(),
            cs.iter().map(|&c| feats[c as usize].index).min(),
        )
    });
    let mut out: Vec<Link> = Vec::with_capacity(links.len());
    for (ls, cs, kind) in &links {
        let mut pairs_out = Vec::with_capacity(ls.len() * cs.len());
        let mut bases = Vec::with_capacity(ls.len() * cs.len());
        for &l in ls {
            for &c in cs {
                let f = &feats[c as usize];
                let ps = scorer.pair(
                    &programme.lines[l as usize],
                    &lines[l as usize],
                    f,
                    &contracts[f.index],
                    &keys[f.index],
                    buyer_match[f.index].unwrap_or(BuyerMatch::Unchecked),
                );
                bases.push(f64_of(ps.score_without_amount.as_decimal()));
                pairs_out.push(ps);
            }
        }
        let est: Decimal = ls.iter().map(|&l| lines[l as usize].estimate).sum();
        let awarded: Option<Decimal> = cs.iter().map(|&c| feats[c as usize].amount).sum();
        let framework = cs.iter().any(|&c| feats[c as usize].framework);
        let amount_score = scorer.amount(f64_of(est), awarded.map(f64_of), framework);
        let mut reasons = Vec::new();
        let score = if *kind == LinkKind::Explicit {
            for &c in cs {
                reasons.push(Reason::Explicit {
                    contract_id: contracts[feats[c as usize].index].id.clone(),
                });
            }
            Share::ONE
        } else {
            let mean = bases.iter().sum::<f64>() / bases.len().max(1) as f64;
            Scorer::share(scorer.combine(mean, amount_score))
        };
        reasons.push(Reason::Amount {
            estimate: Amount::new(est).unwrap_or(Amount::ZERO),
            awarded: awarded.and_then(|a| Amount::new(a).ok()),
            ratio: ratio(est, awarded),
            framework,
            score: Scorer::share(amount_score),
        });
        let mut contract_refs: Vec<ContractRef> = cs
            .iter()
            .map(|&c| {
                let i = feats[c as usize].index;
                ContractRef {
                    index: i,
                    key: keys[i].clone(),
                    id: contracts[i].id.clone(),
                }
            })
            .collect();
        contract_refs.sort();
        out.push(Link {
            kind: *kind,
            lines: ls
                .iter()
                .map(|&l| programme.lines[l as usize].id.clone())
                .collect(),
            contracts: contract_refs,
            score,
            reasons,
            pairs: pairs_out,
        });
    }

    // unplanned purchases and accounting of the buyer's contracts
    let mut unplanned = Vec::new();
    for (fi, f) in feats.iter().enumerate() {
        if contract_taken[fi] {
            acc.linked += 1;
            continue;
        }
        if f.date.is_none() {
            acc.no_date += 1;
            continue;
        }
        if !in_horizon(f) {
            acc.outside_horizon += 1;
            continue;
        }
        acc.unplanned += 1;
        let closest = best_contract[fi].map(|(_, l)| {
            scorer.pair(
                &programme.lines[l as usize],
                &lines[l as usize],
                f,
                &contracts[f.index],
                &keys[f.index],
                buyer_match[f.index].unwrap_or(BuyerMatch::Unchecked),
            )
        });
        unplanned.push(Unplanned {
            contract: ContractRef {
                index: f.index,
                key: keys[f.index].clone(),
                id: contracts[f.index].id.clone(),
            },
            closest,
        });
    }

    // lines without a contract
    let mut unlinked = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        if line_taken[li] {
            acc.linked_lines += 1;
            continue;
        }
        let days_late = as_of.map_or(0, |a| days_between(l.to, a));
        let below = options
            .publication_threshold
            .is_some_and(|t| l.estimate < t.as_decimal());
        let state = match l.state {
            LineState::Cancelled => Unlinked::Cancelled,
            LineState::Central => Unlinked::CentralPurchasing,
            LineState::Open if below => Unlinked::BelowPublicationThreshold,
            LineState::Open if days_late > 0 => Unlinked::LateOrAbandoned,
            LineState::Open => Unlinked::Pending,
        };
        match state {
            Unlinked::Cancelled => acc.cancelled += 1,
            Unlinked::CentralPurchasing => acc.central_purchasing += 1,
            Unlinked::BelowPublicationThreshold => acc.below_publication_threshold += 1,
            Unlinked::LateOrAbandoned => acc.late_or_abandoned += 1,
            _ => acc.pending += 1,
        }
        let closest = best_line[li].map(|(_, c)| {
            let f = &feats[c as usize];
            scorer.pair(
                &programme.lines[li],
                l,
                f,
                &contracts[f.index],
                &keys[f.index],
                buyer_match[f.index].unwrap_or(BuyerMatch::Unchecked),
            )
        });
        unlinked.push(UnlinkedLine {
            line: programme.lines[li].id.clone(),
            state,
            expected_by: l.to,
            days_late,
            procedure: l.procedure,
            ambiguous: ambiguous_line[li],
            closest,
        });
    }

    Ok(Linking {
        buyer: siret.map(|s| s.as_str().to_string()),
        as_of,
        threshold: options.threshold,
        links: out,
        unplanned,
        unlinked,
        missing,
        accounting: acc,
    })
}

/// For each candidate, the bit mask of the candidates it is a sibling of.
fn sibling_masks(cands: &[(f64, u32)], sibling: &dyn Fn(u32, u32) -> bool) -> Vec<u32> {
    let mut m = vec![0u32; cands.len()];
    for i in 0..cands.len() {
        for j in i + 1..cands.len() {
            if sibling(cands[i].1, cands[j].1) {
                m[i] |= 1 << j;
                m[j] |= 1 << i;
            }
        }
    }
    m
}

/// Whether the candidates of `mask` are pairwise siblings.
fn all_siblings(mask: u32, sib: &[u32]) -> bool {
    sib.iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .all(|(i, s)| (s | (1 << i)) & mask == mask)
}

/// A DECP id without a trailing lot number (`2026-0002-01` → `2026-0002`; `LOT3` suffixes
/// too); ids without one are their own stem.
fn id_stem(id: &str) -> &str {
    let t = id.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = id.len() - t.len();
    if !(1..=2).contains(&digits) {
        return id;
    }
    let t = t.trim_end_matches(['L', 'l', 'O', 'o', 'T', 't']);
    match t.strip_suffix(['-', '_', '/', '.', ' ']) {
        Some(stem) if !stem.is_empty() => stem,
        _ => id,
    }
}

/// The best subset of 2..=max_set candidates (ranked by base score, at most 8) by `score`
/// of (bit mask of the candidates taken, subset, mean base score), ties to the earlier subset
/// in enumeration order.
fn best_subset(
    cands: &[(f64, u32)],
    max_set: usize,
    score: impl Fn(u32, &[u32], f64) -> f64,
) -> Option<(f64, Vec<u32>)> {
    let n = cands.len();
    if n < 2 {
        return None;
    }
    let mut best: Option<(f64, Vec<u32>)> = None;
    let mut set: Vec<u32> = Vec::with_capacity(max_set);
    for mask in 1u32..(1u32 << n) {
        let k = mask.count_ones() as usize;
        if k < 2 || k > max_set {
            continue;
        }
        set.clear();
        let mut base = 0.0;
        for (i, &(b, id)) in cands.iter().enumerate() {
            if mask & (1 << i) != 0 {
                set.push(id);
                base += b;
            }
        }
        let s = score(mask, &set, base / k as f64);
        if best.as_ref().is_none_or(|(bs, _)| s > *bs) {
            let mut v = set.clone();
            v.sort_unstable();
            best = Some((s, v));
        }
    }
    best
}

/// The scored candidate pairs and the best-scoring partner of each line and contract.
///
/// For each open line, the free contracts notified within its window (widened by the decay
/// days) that share one of its words that is not too common (in at most 2 % of the texts, at
/// least 50) — or, for a line without such a word, its CPV class. The text is compared only
/// when the other evidence leaves the pair a chance to pass the threshold. Kept: the pairs at
/// or above the threshold with or without the amount, whose objects are at least
/// `min_text` similar; every scored pair competes for the best partners (the closest pairs
/// shown with unplanned contracts and unlinked lines).
fn candidates(
    scorer: &Scorer<'_>,
    lines: &[LineF],
    feats: &[ContractF],
    line_taken: &[bool],
    contract_taken: &[bool],
    in_horizon: &dyn Fn(&ContractF) -> bool,
) -> Candidates {
    let o = scorer.o;
    let threshold = f64_of(o.threshold.as_decimal());
    let min_text = f64_of(o.min_text.as_decimal());
    // contracts in the horizon, by date
    let mut dated: Vec<(NaiveDate, u32)> = feats
        .iter()
        .enumerate()
        .filter(|(i, f)| !contract_taken[*i] && in_horizon(f))
        .filter_map(|(i, f)| Some((f.date?, i as u32)))
        .collect();
    dated.sort_unstable();
    // postings by CPV class and by word, each in date order
    let mut by_class: crate::util::hash::FastMap<u16, Vec<(NaiveDate, u32)>> =
        crate::util::hash::FastMap::default();
    let mut by_word: crate::util::hash::FastMap<u32, Vec<(NaiveDate, u32)>> =
        crate::util::hash::FastMap::default();
    let common = (scorer.vocab.documents() / 50).max(50);
    for &(d, i) in &dated {
        let f = &feats[i as usize];
        if let Some(c) = f.cpv {
            by_class.entry(c.class()).or_default().push((d, i));
        }
        for &t in &f.text.tokens {
            if scorer.vocab.frequency(t) <= common {
                by_word.entry(t).or_default().push((d, i));
            }
        }
    }
    let w = &o.weights;
    let mut stamp: Vec<u32> = vec![u32::MAX; feats.len()];
    let mut out = Candidates {
        pairs: Vec::new(),
        best_line: vec![None; lines.len()],
        best_contract: vec![None; feats.len()],
    };
    let mut cand: Vec<u32> = Vec::new();
    for (li, l) in lines.iter().enumerate() {
        if line_taken[li] || l.state == LineState::Cancelled {
            continue;
        }
        let lo = l
            .from
            .checked_sub_days(Days::new(u64::from(o.decay_days)))
            .unwrap_or(l.from);
        let hi =
            l.to.checked_add_days(Days::new(u64::from(o.decay_days)))
                .unwrap_or(l.to);
        cand.clear();
        let mut take = |list: &[(NaiveDate, u32)], cand: &mut Vec<u32>| {
            let start = list.partition_point(|e| e.0 < lo);
            for &(d, i) in &list[start..] {
                if d > hi {
                    break;
                }
                if stamp[i as usize] != li as u32 {
                    stamp[i as usize] = li as u32;
                    cand.push(i);
                }
            }
        };
        let mut informative = false;
        for t in &l.text.tokens {
            if scorer.vocab.frequency(*t) <= common {
                informative = true;
                if let Some(list) = by_word.get(t) {
                    take(list, &mut cand);
                }
            }
        }
        if !informative {
            match l.cpv.and_then(|c| by_class.get(&c.class())) {
                Some(list) => take(list, &mut cand),
                None if l.cpv.is_none() => take(&dated, &mut cand),
                None => {}
            }
        }
        cand.sort_unstable();
        for &ci in &cand {
            let c = &feats[ci as usize];
            let (_, cpv) = Scorer::cpv(l.cpv, c.cpv);
            let nature = Scorer::nature(l.nature, c.nature);
            let (_, date) = scorer.date(l, c.date);
            let amount = scorer.amount(l.est_f, c.amount.map(|_| c.amt_f), c.framework);
            // upper bounds with a perfect text
            let base_ub = scorer.base(1.0, cpv, nature, date);
            if base_ub < threshold && scorer.combine(base_ub, amount) < threshold {
                continue;
            }
            let text = if w.text == 0 {
                0.0
            } else {
                scorer.vocab.similarity(&l.text, l.mass, &c.text, c.mass)
            };
            let base = scorer.base(text, cpv, nature, date);
            let total = scorer.combine(base, amount);
            let bl = &mut out.best_line[li];
            if bl.is_none_or(|(s, _)| total > s) {
                *bl = Some((total, ci));
            }
            let bc = &mut out.best_contract[ci as usize];
            if bc.is_none_or(|(s, _)| total > s) {
                *bc = Some((total, li as u32));
            }
            if text >= min_text && (total >= threshold || base >= threshold) {
                out.pairs.push(Pair {
                    line: li as u32,
                    contract: ci,
                    text,
                    base,
                    total,
                });
            }
        }
    }
    out
}

/// The result of [`candidates`].
struct Candidates {
    pairs: Vec<Pair>,
    best_line: Vec<Option<(f64, u32)>>,
    best_contract: Vec<Option<(f64, u32)>>,
}
