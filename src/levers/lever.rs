//! The lever catalogue: the social, environmental and innovation provisions a buyer can put in
//! a purchase, where each fits, what it costs in effort, and the insertion hours it creates.
//!
//! **No lever may favour local suppliers**: geographic preference is unlawful in French public
//! procurement (equal treatment, CCP L3), so a catalogue whose lever pursues the OCDS goal
//! `economic.localEconomyPromotion` or the strategy `marginOfPreference` is rejected.
//!
//! # JSON format
//!
//! ```json
//! { "levers": [ {
//!     "id": "ins-works",                          // unique, non-empty
//!     "label_fr": "…", "label_en": "…",
//!     "dimension": "social",                      // social | environmental | innovation
//!     "instrument": "execution_clause",           // see `Instrument`
//!     "goal": "social.disadvantagedEmploymentOpportunities",   // optional OCDS goal
//!     "applies_to": {                             // optional; empty lists match everything
//!       "cpv_prefixes": ["45"], "natures": ["works"],
//!       "min_amount": "100000", "max_amount": null,          // on the purchase's value, inclusive
//!       "buyer_kinds": [], "period": "2026-01-01/..", "max_duration_months": null },
//!     "effort": { "base_days": "2", "per_million_days": "0.5" },   // person-days, >= 0
//!     "coverage": "1",                            // share of the line's value covered (default 1)
//!     "insertion": {                              // insertion clauses only (FACTS §9)
//!       "rate": "0.05", "hourly_cost": "30", "default_labour_share": "0.4",
//!       "labour_shares": [ { "cpv_prefix": "4544", "share": "0.7" } ] },
//!     "legal_reference": "CCP L2112-2-1",
//!     "ambition": "core",                         // core | advanced
//!     "evidence": ["…"], "conditions": ["…"],
//!     "agec_category": "Papier",                  // optional AGEC art. 58 category
//!     "wording": { "fr": "…", "en": "…" }          // optional model wording (see below)
//! } ],
//!   "exclusive_groups": [                         // optional: at most one lever of a group
//!     { "id": "reserved", "levers": ["reserved-l2113-12", "reserved-l2113-13"],
//!       "reason": "…" } ],                        // per purchase
//!   "prerequisites": [                            // optional: a lever needs another on the
//!     { "lever": "a", "requires": ["b", "c"],     // same purchase (at least one of `requires`)
//!       "reason": "…" } ] }
//! ```
//! Amounts and shares are JSON strings (exact decimals). Exclusivity groups and prerequisites
//! are catalogue-level sections (not inside a lever's object): every lever id they name must be
//! in the catalogue.
//!
//! The model wording of each embedded lever (one sentence for the consultation documents,
//! citing its legal basis) lives in `src/data/lever_wording.json` (lever id → `{fr, en}`),
//! merged into the embedded catalogue when it is loaded; [`Catalogue::with_wording`] replaces
//! or adds wordings with the same format.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Coverage;
use crate::law::context::PurchaseContext;
use crate::values::buyer_kind::BuyerKind;
use crate::values::confidence::Confidence;
use crate::values::cpv::CpvCode;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::period::Period;
use crate::values::share::Share;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::codes::Goal;
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// How ambitious a lever is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Ambition {
    /// A first step any buyer can take.
    Core,
    /// A more demanding provision for mature buyers and markets.
    Advanced,
}

/// Where a lever fits. Every lever states its rule explicitly: **CPV prefixes** (the purchase's
/// CPV must start with one of them), or **`any`** with the natures it fits and the CPV
/// prefixes it never fits (`excluded_cpv_prefixes`: energy supply, insurance, financial
/// services, rent… for a packaging clause). A lever with neither is rejected
/// ([`Catalogue::new`]), so that no lever applies to everything by accident. The other fields
/// narrow the rule further (value, buyer kinds, dates, duration).
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, BuyerKind, Catalogue, Nature, PurchaseContext};
/// let packaging = Catalogue::embedded().get("packaging-clause").unwrap();
/// let d = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
/// let p = |cpv: &str| PurchaseContext::new("L", Nature::Supplies, Amount::from_euros(80_000), d,
///                                          BuyerKind::OtherContractingAuthority)
///     .with_cpv(cpv.parse().unwrap());
/// assert!(packaging.applies_to.fits(&p("39830000"), d));   // cleaning products
/// assert!(!packaging.applies_to.fits(&p("09310000"), d));  // electricity: excluded
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// CPV prefixes (digits); the purchase's CPV must start with one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// The lever fits any CPV of `natures` except `excluded_cpv_prefixes` (a purchase without
    /// CPV fits). Exclusive with `cpv_prefixes`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub any: bool,
    /// CPV prefixes the lever never fits, even when another rule admits them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_cpv_prefixes: Vec<String>,
    /// Natures (required with `any`; empty with CPV prefixes: every nature).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub natures: Vec<Nature>,
    /// Minimum value HT of the purchase (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<Amount>,
    /// Maximum value HT of the purchase (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Amount>,
    /// Buyer kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buyer_kinds: Vec<BuyerKind>,
    /// Launch dates for which the lever is available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Maximum duration of the contract in months (a contract of unknown duration does not fit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_duration_months: Option<u32>,
    /// Where the CPV list comes from and what it covers (e.g. the purchases sheltered or
    /// insertion structures can perform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How firm the CPV list is (a practice list is `S`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

impl Applicability {
    /// Whether the rule admits a purchase of `nature` and CPV `cpv` (the CPV and nature part
    /// of [`Applicability::fits`]): the CPV starts with a listed prefix, or the rule is `any`
    /// and lists the nature; never an excluded CPV.
    pub fn admits(&self, nature: Nature, cpv: Option<CpvCode>) -> bool {
        // cheapest test first: the planner asks every lever about every line
        if !self.natures.is_empty() && !self.natures.contains(&nature) {
            return false;
        }
        if !self.any {
            match cpv {
                Some(c) if self.cpv_prefixes.iter().any(|x| c.starts_with(x)) => {}
                _ => return false,
            }
        }
        !cpv.is_some_and(|c| self.excluded_cpv_prefixes.iter().any(|x| c.starts_with(x)))
    }

    /// Whether a purchase launched on `date` fits.
    pub fn fits(&self, p: &PurchaseContext, date: NaiveDate) -> bool {
        self.admits(p.nature, p.cpv)
            && self.min_amount.is_none_or(|m| p.amount >= m)
            && self.max_amount.is_none_or(|m| p.amount <= m)
            && (self.buyer_kinds.is_empty() || self.buyer_kinds.contains(&p.buyer_kind))
            && self.period.as_ref().is_none_or(|per| per.contains(date))
            && self
                .max_duration_months
                .is_none_or(|m| p.duration_months.is_some_and(|d| d <= m))
    }
}

/// The largest effort a catalogue accepts, in person-days, for `base_days` and for
/// `per_million_days` (a lever beyond is surely a typing error; with amounts of at most
/// 10^14 euros, no effort can then overflow).
pub const MAX_EFFORT_DAYS: u32 = 10_000;

/// The effort of putting a lever in a purchase, in person-days: `base_days` plus
/// `per_million_days` for each million euros of the purchase's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effort {
    /// Fixed person-days (0 to [`MAX_EFFORT_DAYS`] in a catalogue).
    #[serde(with = "rust_decimal::serde::str")]
    pub base_days: Decimal,
    /// Person-days per €1,000,000 HT (0 to [`MAX_EFFORT_DAYS`] in a catalogue).
    #[serde(default, with = "rust_decimal::serde::str")]
    pub per_million_days: Decimal,
}

impl Effort {
    /// Person-days for a purchase of `amount` (exact, checked).
    ///
    /// ```
    /// let e = spaser::Effort { base_days: "2".parse()?, per_million_days: "0.5".parse()? };
    /// assert_eq!(e.days(spaser::Amount::from_euros(3_000_000))?.to_string(), "3.5");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when the result does not fit a decimal (it cannot for the
    /// levers of a [`Catalogue`], whose efforts are bounded by [`MAX_EFFORT_DAYS`]).
    pub fn days(&self, amount: Amount) -> Result<Decimal> {
        amount
            .as_decimal()
            .checked_div(Decimal::from(1_000_000))
            .and_then(|m| m.checked_mul(self.per_million_days))
            .and_then(|v| v.checked_add(self.base_days))
            .map(|v| v.normalize())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Overflow,
                    format!(
                        "effort of {} + {} per million for amount \"{amount}\" overflows",
                        self.base_days, self.per_million_days
                    ),
                )
            })
    }
}

/// A labour share for the CPV codes starting with a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabourShare {
    /// CPV prefix (digits).
    pub cpv_prefix: String,
    /// Share of the value that is labour.
    pub share: Share,
}

/// The parameters of an insertion clause (FACTS §9, practice, not law):
/// `hours = value HT × labour share × insertion rate ÷ loaded hourly cost`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsertionParams {
    /// Share of the labour hours reserved to insertion.
    pub rate: Share,
    /// Loaded hourly cost, euros HT (> 0).
    pub hourly_cost: Amount,
    /// Labour share when no prefix of `labour_shares` matches.
    pub default_labour_share: Share,
    /// Labour shares by CPV prefix (longest match wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labour_shares: Vec<LabourShare>,
}

impl InsertionParams {
    /// The labour share for a CPV code.
    pub fn labour_share(&self, cpv: Option<CpvCode>) -> Share {
        cpv.and_then(|c| {
            self.labour_shares
                .iter()
                .filter(|l| c.starts_with(&l.cpv_prefix))
                .max_by_key(|l| l.cpv_prefix.len())
                .map(|l| l.share)
        })
        .unwrap_or(self.default_labour_share)
    }

    /// Insertion hours for a purchase of `amount` (exact, not rounded; round only totals, up,
    /// with [`round_up_hours`]).
    ///
    /// ```
    /// use spaser::{Amount, InsertionParams};
    /// let p: InsertionParams = serde_json::from_str(
    ///     r#"{"rate":"0.05","hourly_cost":"30","default_labour_share":"0.5"}"#)?;
    /// let h = p.hours(Amount::from_euros(1_000_000), None)?;
    /// assert_eq!(spaser::round_up_hours(h), 834); // 833.33… h (FACTS §9)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the hourly cost is zero; [`ErrorKind::Overflow`] when
    /// the result does not fit a decimal.
    pub fn hours(&self, amount: Amount, cpv: Option<CpvCode>) -> Result<Decimal> {
        let cost = self.hourly_cost.as_decimal();
        if cost.is_zero() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                "insertion: field \"hourly_cost\" is zero",
            ));
        }
        amount
            .as_decimal()
            .checked_mul(self.labour_share(cpv).as_decimal())
            .and_then(|v| v.checked_mul(self.rate.as_decimal()))
            .and_then(|v| v.checked_div(cost))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Overflow,
                    format!("insertion hours of amount \"{amount}\" overflow"),
                )
            })
    }
}

/// Rounds exact hours up to whole hours (the only rounding of insertion hours, applied to
/// final figures).
pub fn round_up_hours(hours: Decimal) -> u64 {
    let up = hours.max(Decimal::ZERO).ceil();
    u64::try_from(up).unwrap_or(u64::MAX)
}

/// One lever of the catalogue (see the module documentation for the JSON format).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    /// Unique identifier.
    pub id: String,
    /// French label.
    pub label_fr: String,
    /// English label.
    pub label_en: String,
    /// Dimension.
    pub dimension: Dimension,
    /// Instrument.
    pub instrument: Instrument,
    /// OCDS sustainability goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    /// Where it fits.
    #[serde(default)]
    pub applies_to: Applicability,
    /// Effort in person-days.
    pub effort: Effort,
    /// Share of the purchase's value the lever covers (value-basis targets count this share).
    #[serde(default = "one")]
    pub coverage: Share,
    /// Insertion-clause parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insertion: Option<InsertionParams>,
    /// Legal reference.
    pub legal_reference: String,
    /// Ambition.
    pub ambition: Ambition,
    /// Expected evidence (labels, certificates, reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Conditions of use (e.g. the workforce conditions of a reserved contract).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// The AGEC art. 58 category whose reuse or recycled share the lever serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agec_category: Option<AgecCategory>,
    /// Model wording of the clause, criterion or specification for the consultation documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<Wording>,
    /// The lever whose coverage contains this one's (EGalim: organic products are part of the
    /// 50 % of quality products, L230-5-1): on a purchase carrying both, it adds nothing to a
    /// share that counts both ([`Catalogue::coverages`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// How firm the lever's legal basis and figures are (`S` or `?` where the crate's facts do
    /// not establish them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

/// A lever's model wording: one sentence to put in the consultation documents, citing its
/// legal basis, in French and English.
///
/// ```
/// use spaser::{Catalogue, Lang};
/// let w = Catalogue::embedded().get("env-award-criterion").unwrap().wording.as_ref().unwrap();
/// assert!(w.get(Lang::Fr).contains("L2152-7"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

impl Wording {
    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }
}

fn one() -> Share {
    Share::ONE
}

impl Lever {
    /// The consideration the lever puts in a purchase.
    pub fn consideration(&self) -> Consideration {
        let c = Consideration::new(self.dimension, self.instrument);
        match &self.goal {
            Some(g) => c.with_goal(g.clone()),
            None => c,
        }
    }

    /// The lever as the indicator engine counts it on a purchase: its dimension and instrument,
    /// covering [`Lever::coverage`] of the purchase's value.
    ///
    /// ```
    /// let reuse = spaser::Catalogue::embedded().get("reuse-it").unwrap();
    /// assert_eq!(reuse.as_coverage().share.to_string(), "0.3");
    /// ```
    pub fn as_coverage(&self) -> Coverage {
        Coverage {
            dimension: self.dimension,
            instrument: self.instrument,
            share: self.coverage,
        }
    }

    /// Person-days to put the lever in `p`.
    ///
    /// # Errors
    /// As [`Effort::days`] (never for a lever of a [`Catalogue`]).
    pub fn effort_days(&self, p: &PurchaseContext) -> Result<Decimal> {
        self.effort.days(p.amount)
    }

    /// Exact insertion hours the lever creates in `p` (`None` for a lever without insertion
    /// parameters).
    ///
    /// # Errors
    /// As [`InsertionParams::hours`].
    pub fn insertion_hours(&self, p: &PurchaseContext) -> Result<Option<Decimal>> {
        self.insertion
            .as_ref()
            .map(|i| i.hours(p.amount, p.cpv))
            .transpose()
    }

    fn validate(&self, entry: usize) -> Result<()> {
        let bad = |field: &str, msg: String| {
            Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "lever \"{}\" (entry {entry}), field \"{field}\": {msg}",
                    self.id
                ),
            ))
        };
        if self.id.trim().is_empty() {
            return bad("id", "is empty".into());
        }
        for (f, v) in [("label_fr", &self.label_fr), ("label_en", &self.label_en)] {
            if v.trim().is_empty() {
                return bad(f, "is empty".into());
            }
        }
        if self.effort.base_days < Decimal::ZERO {
            return bad(
                "effort.base_days",
                format!("\"{}\" is negative", self.effort.base_days),
            );
        }
        if self.effort.per_million_days < Decimal::ZERO {
            return bad(
                "effort.per_million_days",
                format!("\"{}\" is negative", self.effort.per_million_days),
            );
        }
        for (f, v) in [
            ("effort.base_days", self.effort.base_days),
            ("effort.per_million_days", self.effort.per_million_days),
        ] {
            if v > Decimal::from(MAX_EFFORT_DAYS) {
                return bad(
                    f,
                    format!(
                        "\"{}\" is above {MAX_EFFORT_DAYS} person-days",
                        crate::util::text::excerpt(&v.to_string())
                    ),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (self.applies_to.min_amount, self.applies_to.max_amount)
            && lo > hi
        {
            return bad(
                "applies_to.max_amount",
                format!("\"{hi}\" is below min_amount \"{lo}\""),
            );
        }
        for p in &self.applies_to.cpv_prefixes {
            if p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_digit()) {
                return bad(
                    "applies_to.cpv_prefixes",
                    format!("\"{p}\" is not 1 to 8 digits"),
                );
            }
        }
        if let Some(g) = &self.goal {
            if g.as_str() == "economic.localEconomyPromotion" {
                return bad(
                    "goal",
                    "\"economic.localEconomyPromotion\" favours local suppliers, which is unlawful"
                        .into(),
                );
            }
            if g.dimension().is_some_and(|d| d != self.dimension) {
                return bad(
                    "goal",
                    format!("\"{g}\" does not belong to dimension {}", self.dimension),
                );
            }
        }
        if let Some(i) = &self.insertion {
            if i.hourly_cost.is_zero() {
                return bad("insertion.hourly_cost", "is zero".into());
            }
            if self.dimension != Dimension::Social {
                return bad(
                    "insertion",
                    "only social levers create insertion hours".into(),
                );
            }
            for l in &i.labour_shares {
                if l.cpv_prefix.is_empty() || !l.cpv_prefix.chars().all(|c| c.is_ascii_digit()) {
                    return bad(
                        "insertion.labour_shares",
                        format!("\"{}\" is not a CPV prefix", l.cpv_prefix),
                    );
                }
            }
        }
        if self.coverage == Share::ZERO {
            return bad("coverage", "is zero".into());
        }
        if let Some(w) = &self.wording {
            for (f, v) in [("wording.fr", &w.fr), ("wording.en", &w.en)] {
                if v.trim().is_empty() {
                    return bad(f, "is empty".into());
                }
            }
        }
        let a = &self.applies_to;
        match (a.cpv_prefixes.is_empty(), a.any) {
            (true, false) => {
                return bad(
                    "applies_to",
                    "no applicability rule: list \"cpv_prefixes\", or set \"any\": true with its \"natures\" and \"excluded_cpv_prefixes\"".into(),
                );
            }
            (false, true) => {
                return bad(
                    "applies_to.any",
                    "\"any\" and \"cpv_prefixes\" exclude each other".into(),
                );
            }
            (true, true) if a.natures.is_empty() => {
                return bad(
                    "applies_to.natures",
                    "an \"any\" rule lists the natures it fits".into(),
                );
            }
            _ => {}
        }
        for p in &a.excluded_cpv_prefixes {
            if p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_digit()) {
                return bad(
                    "applies_to.excluded_cpv_prefixes",
                    format!("\"{}\" is not 1 to 8 digits", crate::util::text::excerpt(p)),
                );
            }
        }
        Ok(())
    }
}

/// A lever that fits a purchase, with its effort for that purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Applicable<'a> {
    /// The lever.
    pub lever: &'a Lever,
    /// Person-days for this purchase.
    #[serde(with = "rust_decimal::serde::str")]
    pub effort_days: Decimal,
}

/// A validated set of levers, sorted by id.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, BuyerKind, Catalogue, Nature, PurchaseContext};
/// let cat = Catalogue::embedded();
/// assert!(cat.levers().len() >= 30);
/// let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
/// let p = PurchaseContext::new("L1", Nature::Works, Amount::from_euros(2_000_000), date,
///                              BuyerKind::OtherContractingAuthority)
///     .with_cpv("45440000".parse()?);
/// let fits = cat.applicable(&p, date);
/// assert!(fits.iter().any(|a| a.lever.id == "ins-works"));
/// assert!(fits.windows(2).all(|w| w[0].effort_days <= w[1].effort_days));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CatalogueJson", into = "CatalogueJson")]
pub struct Catalogue {
    levers: Vec<Lever>,
    exclusive_groups: Vec<ExclusiveGroup>,
    prerequisites: Vec<Prerequisite>,
}

/// A group of levers of which at most one may be on a purchase: the reserved-contract regimes
/// (a contract is reserved under one article), competing award criteria on the same aspect.
///
/// ```
/// let cat = spaser::Catalogue::embedded();
/// let reserved = cat.exclusive_groups().iter().find(|g| g.id == "reserved").unwrap();
/// assert!(reserved.levers.iter().any(|l| l == "reserved-l2113-13"));
/// assert!(cat.exclusive("reserved-l2113-12", "reserved-l2113-13"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusiveGroup {
    /// Identifier (unique among the groups).
    pub id: String,
    /// Lever ids (at least two, each in the catalogue).
    pub levers: Vec<String>,
    /// Why at most one of them (shown in plans and errors).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A lever that needs another on the same purchase: `lever` may only be planned together with
/// at least one of `requires`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    /// The lever that needs another.
    pub lever: String,
    /// The levers of which at least one must be on the purchase too.
    pub requires: Vec<String>,
    /// Why (shown in plans and errors).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[derive(Serialize, Deserialize)]
struct CatalogueJson {
    levers: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclusive_groups: Vec<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    prerequisites: Vec<serde_json::Value>,
}

impl TryFrom<CatalogueJson> for Catalogue {
    type Error = Error;
    fn try_from(j: CatalogueJson) -> Result<Catalogue> {
        let mut levers = Vec::with_capacity(j.levers.len());
        for (i, v) in j.levers.into_iter().enumerate() {
            levers.push(lever_from_value(i + 1, v)?);
        }
        let section = |name: &str, i: usize, e: serde_json::Error| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("lever catalogue, {name} entry {}: {e}", i + 1),
            )
            .with_source(e)
        };
        let groups = j
            .exclusive_groups
            .into_iter()
            .enumerate()
            .map(|(i, v)| serde_json::from_value(v).map_err(|e| section("exclusive_groups", i, e)))
            .collect::<Result<Vec<ExclusiveGroup>>>()?;
        let prerequisites = j
            .prerequisites
            .into_iter()
            .enumerate()
            .map(|(i, v)| serde_json::from_value(v).map_err(|e| section("prerequisites", i, e)))
            .collect::<Result<Vec<Prerequisite>>>()?;
        Catalogue::new(levers)?.with_combinations(groups, prerequisites)
    }
}

impl From<Catalogue> for CatalogueJson {
    fn from(c: Catalogue) -> CatalogueJson {
        CatalogueJson {
            levers: c
                .levers
                .iter()
                .map(|l| serde_json::to_value(l).unwrap_or(serde_json::Value::Null))
                .collect(),
            exclusive_groups: c
                .exclusive_groups
                .iter()
                .map(|g| serde_json::to_value(g).unwrap_or(serde_json::Value::Null))
                .collect(),
            prerequisites: c
                .prerequisites
                .iter()
                .map(|p| serde_json::to_value(p).unwrap_or(serde_json::Value::Null))
                .collect(),
        }
    }
}

/// A JSON merge patch (RFC 7396): objects merge field by field, `null` removes a field, any
/// other value replaces the target.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// Checks one field of a JSON object against its type, naming the entry and the field.
pub(crate) fn check_field<T: DeserializeOwned>(
    what: &str,
    field: &str,
    v: &serde_json::Value,
) -> Result<()> {
    serde_json::from_value::<T>(v.clone())
        .map(|_| ())
        .map_err(|e| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("{what}, field \"{field}\": {e}"),
            )
        })
}

fn lever_from_value(entry: usize, v: serde_json::Value) -> Result<Lever> {
    let id = v
        .get("id")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string();
    let what = format!("lever \"{id}\" (entry {entry})");
    let Some(obj) = v.as_object() else {
        return Err(Error::new(
            ErrorKind::Parse,
            format!("{what}: is not a JSON object"),
        ));
    };
    for (k, x) in obj {
        match k.as_str() {
            "id" | "label_fr" | "label_en" | "legal_reference" => {
                check_field::<String>(&what, k, x)?
            }
            "dimension" => check_field::<Dimension>(&what, k, x)?,
            "instrument" => check_field::<Instrument>(&what, k, x)?,
            "goal" => check_field::<Option<Goal>>(&what, k, x)?,
            "applies_to" => check_field::<Applicability>(&what, k, x)?,
            "effort" => check_field::<Effort>(&what, k, x)?,
            "coverage" => check_field::<Share>(&what, k, x)?,
            "insertion" => check_field::<Option<InsertionParams>>(&what, k, x)?,
            "ambition" => check_field::<Ambition>(&what, k, x)?,
            "evidence" | "conditions" => check_field::<Vec<String>>(&what, k, x)?,
            "agec_category" => check_field::<Option<AgecCategory>>(&what, k, x)?,
            "wording" => check_field::<Option<Wording>>(&what, k, x)?,
            "part_of" => check_field::<Option<String>>(&what, k, x)?,
            "confidence" => check_field::<Option<Confidence>>(&what, k, x)?,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("{what}, field \"{k}\": unknown field"),
                ));
            }
        }
    }
    serde_json::from_value(v)
        .map_err(|e| Error::new(ErrorKind::Missing, format!("{what}: {e}")).with_source(e))
}

impl Catalogue {
    /// A catalogue from levers, validated and sorted by id.
    ///
    /// # Errors
    /// [`ErrorKind::Duplicate`] for a duplicate id; [`ErrorKind::InvalidValue`] for a bad
    /// entry (negative effort, empty label, bad CPV prefix, `min_amount > max_amount`, zero
    /// coverage or hourly cost, a goal of another dimension, a local-preference goal), naming
    /// the lever and the field.
    pub fn new(mut levers: Vec<Lever>) -> Result<Catalogue> {
        let mut seen = BTreeSet::new();
        for (i, l) in levers.iter().enumerate() {
            l.validate(i + 1)?;
            if !seen.insert(l.id.clone()) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "lever \"{}\" (entry {}), field \"id\": duplicate id",
                        l.id,
                        i + 1
                    ),
                ));
            }
        }
        levers.sort_by(|a, b| a.id.cmp(&b.id));
        for (i, l) in levers.iter().enumerate() {
            let Some(container) = &l.part_of else {
                continue;
            };
            let bad = |msg: String| {
                Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("lever \"{}\", field \"part_of\": {msg}", l.id),
                ))
            };
            let Some(c) = levers
                .binary_search_by(|x| x.id.as_str().cmp(container))
                .ok()
                .map(|j| &levers[j])
            else {
                return bad(format!(
                    "lever \"{}\" is not in the catalogue",
                    crate::util::text::excerpt(container)
                ));
            };
            if c.id == levers[i].id || c.part_of.is_some() {
                return bad(format!(
                    "\"{}\" is itself part of another lever (one level only)",
                    c.id
                ));
            }
            if c.dimension != l.dimension {
                return bad(format!("\"{}\" is of another dimension", c.id));
            }
            if l.coverage > c.coverage {
                return bad(format!(
                    "coverage {} is above the coverage {} of \"{}\"",
                    l.coverage, c.coverage, c.id
                ));
            }
        }
        Ok(Catalogue {
            levers,
            exclusive_groups: Vec::new(),
            prerequisites: Vec::new(),
        })
    }

    /// The catalogue with these exclusivity groups and prerequisites (replacing any it had),
    /// validated against its levers.
    ///
    /// ```
    /// use spaser::{Catalogue, ExclusiveGroup, Prerequisite};
    /// let levers = Catalogue::embedded().levers().to_vec();
    /// let cat = Catalogue::new(levers)?.with_combinations(
    ///     vec![ExclusiveGroup { id: "energy".into(),
    ///         levers: vec!["energy-award-equipment".into(), "lcc-criterion".into()],
    ///         reason: String::new() }],
    ///     vec![Prerequisite { lever: "soc-award-insertion".into(),
    ///         requires: vec!["ins-works".into()], reason: String::new() }],
    /// )?;
    /// assert_eq!(cat.requires("soc-award-insertion").unwrap(), ["ins-works"]);
    /// let bad = Catalogue::new(Catalogue::embedded().levers().to_vec())?.with_combinations(
    ///     vec![ExclusiveGroup { id: "g".into(), levers: vec!["ins-work".into(), "lcc-criterion".into()],
    ///         reason: String::new() }], vec![]);
    /// assert!(bad.unwrap_err().to_string().contains("closest: \"ins-works\""));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the group or the prerequisite and the field for an
    /// empty or repeated id, a group of fewer than two levers or naming a lever twice, a
    /// lever id the catalogue lacks (with the closest known ids), a prerequisite without
    /// required levers, requiring the lever itself or only levers exclusive with it, and
    /// [`ErrorKind::Duplicate`] for two prerequisites of one lever.
    pub fn with_combinations(
        mut self,
        exclusive_groups: Vec<ExclusiveGroup>,
        prerequisites: Vec<Prerequisite>,
    ) -> Result<Catalogue> {
        let bad = |what: String, field: &str, msg: String| {
            Err(Error::new(
                ErrorKind::InvalidValue,
                format!("{what}, field \"{field}\": {msg}"),
            ))
        };
        let unknown = |id: &str| {
            let near = crate::util::text::closest(id, self.levers.iter().map(|l| l.id.as_str()), 3);
            format!(
                "lever \"{}\" is not in the catalogue (closest: {})",
                crate::util::text::excerpt(id),
                crate::util::text::quoted_list(&near)
            )
        };
        let mut ids = BTreeSet::new();
        for (i, g) in exclusive_groups.iter().enumerate() {
            let what = format!("exclusive group \"{}\" (entry {})", g.id, i + 1);
            if g.id.trim().is_empty() {
                return bad(what, "id", "is empty".into());
            }
            if !ids.insert(g.id.as_str()) {
                return bad(what, "id", "listed twice".into());
            }
            if g.levers.len() < 2 {
                return bad(what, "levers", "needs at least two levers".into());
            }
            let mut seen = BTreeSet::new();
            for l in &g.levers {
                if self.get(l).is_none() {
                    return bad(what, "levers", unknown(l));
                }
                if !seen.insert(l.as_str()) {
                    return bad(what, "levers", format!("lever \"{l}\" listed twice"));
                }
            }
        }
        let mut with_prerequisite = BTreeSet::new();
        for (i, p) in prerequisites.iter().enumerate() {
            let what = format!("prerequisite of \"{}\" (entry {})", p.lever, i + 1);
            if self.get(&p.lever).is_none() {
                return bad(what, "lever", unknown(&p.lever));
            }
            if !with_prerequisite.insert(p.lever.as_str()) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("{what}, field \"lever\": a second prerequisite of the same lever"),
                ));
            }
            if p.requires.is_empty() {
                return bad(what, "requires", "is empty".into());
            }
            for r in &p.requires {
                if self.get(r).is_none() {
                    return bad(what, "requires", unknown(r));
                }
                if *r == p.lever {
                    return bad(what, "requires", "a lever cannot require itself".into());
                }
            }
            let exclusive = |a: &str, b: &str| {
                exclusive_groups
                    .iter()
                    .any(|g| g.levers.iter().any(|x| x == a) && g.levers.iter().any(|x| x == b))
            };
            if p.requires.iter().all(|r| exclusive(&p.lever, r)) {
                return bad(
                    what,
                    "requires",
                    "every required lever is exclusive with the lever itself".into(),
                );
            }
        }
        self.exclusive_groups = exclusive_groups;
        self.prerequisites = prerequisites;
        Ok(self)
    }

    /// The exclusivity groups: at most one lever of each on a purchase.
    pub fn exclusive_groups(&self) -> &[ExclusiveGroup] {
        &self.exclusive_groups
    }

    /// The prerequisites: a lever that needs another on the same purchase.
    pub fn prerequisites(&self) -> &[Prerequisite] {
        &self.prerequisites
    }

    /// Whether levers `a` and `b` (distinct) share an exclusivity group.
    pub fn exclusive(&self, a: &str, b: &str) -> bool {
        a != b
            && self
                .exclusive_groups
                .iter()
                .any(|g| g.levers.iter().any(|x| x == a) && g.levers.iter().any(|x| x == b))
    }

    /// The levers of which at least one must accompany lever `id` (`None` when it needs none).
    pub fn requires(&self, id: &str) -> Option<&[String]> {
        self.prerequisites
            .iter()
            .find(|p| p.lever == id)
            .map(|p| p.requires.as_slice())
    }

    /// The coverages a set of levers put on one purchase, as the indicator engine counts them
    /// ([`Lever::as_coverage`]): a lever that is [`Lever::part_of`] another lever of the set
    /// adds nothing (EGalim: organic products are part of the 50 % of quality products, not
    /// on top — a line with both levers counts 50 %, of which 20 % organic).
    ///
    /// ```
    /// let cat = spaser::Catalogue::embedded();
    /// let both = [cat.get("egalim-quality").unwrap(), cat.get("egalim-organic").unwrap()];
    /// let covs = spaser::Catalogue::coverages(&both);
    /// assert_eq!(covs.len(), 1);
    /// assert_eq!(covs[0].share.to_string(), "0.5");
    /// ```
    pub fn coverages(levers: &[&Lever]) -> Vec<Coverage> {
        levers
            .iter()
            .filter(|l| {
                l.part_of
                    .as_deref()
                    .is_none_or(|c| !levers.iter().any(|x| x.id == c))
            })
            .map(|l| l.as_coverage())
            .collect()
    }

    /// A copy of the catalogue with a **patch** applied: a small JSON file that overrides or
    /// adds levers and removes others, rather than replacing the whole catalogue.
    ///
    /// ```json
    /// { "levers": [ { "id": "ins-works", "effort": { "base_days": "3" } },
    ///               { "id": "my-lever", "label_fr": "…", "…": "a complete new lever" } ],
    ///   "remove": ["innovation-award"] }
    /// ```
    ///
    /// A patch entry whose id is in the catalogue is merged into that lever as a JSON merge
    /// patch (RFC 7396: objects merge field by field, `null` removes a field, any other value —
    /// arrays included — replaces it); an entry with a new id must be a complete lever. The
    /// result is validated as a whole.
    ///
    /// ```
    /// let cat = spaser::Catalogue::embedded();
    /// let patched = cat.patch(r#"{"levers": [{"id": "ins-works", "effort": {"base_days": "3"}}],
    ///                             "remove": ["innovation-award"]}"#)?;
    /// assert_eq!(patched.get("ins-works").unwrap().effort.base_days.to_string(), "3");
    /// assert_eq!(patched.get("ins-works").unwrap().effort.per_million_days,
    ///            cat.get("ins-works").unwrap().effort.per_million_days);
    /// assert!(patched.get("innovation-award").is_none());
    /// assert_eq!(patched.levers().len(), cat.levers().len() - 1);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or an unknown top-level key; an entry without an
    /// `id`, or a removal of a lever the catalogue lacks, is [`ErrorKind::InvalidValue`] naming
    /// the patch entry; a patched or added lever that is not valid fails as in
    /// [`Catalogue::from_json`], naming the patch entry, the lever and the field.
    pub fn patch(&self, json: &str) -> Result<Catalogue> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct PatchJson {
            #[serde(default)]
            levers: Vec<serde_json::Value>,
            #[serde(default)]
            remove: Vec<String>,
        }
        let patch: PatchJson = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("lever catalogue patch: {e}")).with_source(e)
        })?;
        let mut values: Vec<(String, serde_json::Value)> = self
            .levers
            .iter()
            .map(|l| {
                (
                    l.id.clone(),
                    serde_json::to_value(l).unwrap_or(serde_json::Value::Null),
                )
            })
            .collect();
        for id in &patch.remove {
            let Some(k) = values.iter().position(|(x, _)| x == id) else {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "lever catalogue patch, field \"remove\": lever \"{}\" is not in the catalogue",
                        crate::util::text::excerpt(id)
                    ),
                ));
            };
            values.remove(k);
        }
        let mut touched = Vec::new();
        for (i, v) in patch.levers.into_iter().enumerate() {
            let entry = i + 1;
            let Some(id) = v.get("id").and_then(|x| x.as_str()).map(str::to_string) else {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "lever catalogue patch, entry {entry}: field \"id\" is missing or not a string"
                    ),
                ));
            };
            match values.iter_mut().find(|(x, _)| *x == id) {
                Some((_, target)) => merge_patch(target, &v),
                None => values.push((id.clone(), v)),
            }
            touched.push((entry, id));
        }
        let mut levers = Vec::with_capacity(values.len());
        for (n, (id, v)) in values.into_iter().enumerate() {
            let lever = match touched.iter().find(|(_, x)| *x == id) {
                Some(&(entry, _)) => lever_from_value(entry, v)
                    .and_then(|l| l.validate(entry).map(|()| l))
                    .map_err(|e| e.context(format!("lever catalogue patch, entry {entry}")))?,
                None => lever_from_value(n + 1, v)?,
            };
            levers.push(lever);
        }
        let out = Catalogue::new(levers).map_err(|e| e.context("lever catalogue patch"))?;
        // Exclusivity groups and prerequisites follow the levers: a removed lever leaves its
        // group (a group left with fewer than two levers goes) and its prerequisites.
        let kept = |id: &String| out.get(id).is_some();
        let groups = self
            .exclusive_groups
            .iter()
            .map(|g| ExclusiveGroup {
                levers: g.levers.iter().filter(|l| kept(l)).cloned().collect(),
                ..g.clone()
            })
            .filter(|g| g.levers.len() >= 2)
            .collect();
        let prerequisites = self
            .prerequisites
            .iter()
            .filter(|p| kept(&p.lever))
            .map(|p| Prerequisite {
                requires: p.requires.iter().filter(|l| kept(l)).cloned().collect(),
                ..p.clone()
            })
            .filter(|p| !p.requires.is_empty())
            .collect();
        out.with_combinations(groups, prerequisites)
            .map_err(|e| e.context("lever catalogue patch"))
    }

    /// Parses and validates a catalogue in the JSON format of the module documentation.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON; otherwise as [`Catalogue::new`], and
    /// [`ErrorKind::InvalidValue`] for an unknown field or a value of the wrong type (an
    /// unknown instrument, say), naming the lever and the field.
    pub fn from_json(json: &str) -> Result<Catalogue> {
        let raw: CatalogueJson = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("lever catalogue: {e}")).with_source(e)
        })?;
        Catalogue::try_from(raw)
    }

    /// The catalogue as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if serialization fails (it does not for valid catalogues).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::InvalidValue, format!("lever catalogue: {e}")).with_source(e)
        })
    }

    /// The default catalogue written for the crate (`src/data/levers.json`), parsed once.
    pub fn embedded() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| {
            // The embedded file is validated by the test suite
            // (`embedded_catalogue_is_valid_and_has_at_least_30_levers`): parsing cannot fail at run time.
            Catalogue::from_json(include_str!("../data/levers.json"))
                .and_then(|c| c.with_wording(include_str!("../data/lever_wording.json")))
                .unwrap_or_else(|e| panic!("embedded lever catalogue: {e}"))
        })
    }

    /// This catalogue with the model wordings of `json` (lever id → `{"fr": …, "en": …}`, the
    /// format of `src/data/lever_wording.json`) replacing or adding each named lever's wording.
    ///
    /// ```
    /// use spaser::{Catalogue, Lang};
    /// let cat = Catalogue::embedded().clone().with_wording(
    ///     r#"{"ghg-reporting": {"fr": "Bilan carbone annuel.", "en": "Yearly carbon report."}}"#)?;
    /// let w = cat.get("ghg-reporting").unwrap().wording.as_ref().unwrap();
    /// assert_eq!(w.get(Lang::En), "Yearly carbon report.");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON; [`ErrorKind::InvalidValue`] naming the lever
    /// for an id the catalogue lacks or an empty text.
    pub fn with_wording(mut self, json: &str) -> Result<Catalogue> {
        let words: BTreeMap<String, Wording> = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("lever wording: {e}")).with_source(e)
        })?;
        for (id, w) in words {
            let Ok(i) = self.levers.binary_search_by(|l| l.id.as_str().cmp(&id)) else {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "lever wording \"{}\": no lever of the catalogue has this id",
                        crate::util::text::excerpt(&id)
                    ),
                ));
            };
            self.levers[i].wording = Some(w);
            self.levers[i].validate(i + 1)?;
        }
        Ok(self)
    }

    /// The levers, sorted by id.
    pub fn levers(&self) -> &[Lever] {
        &self.levers
    }

    /// A lever by id.
    pub fn get(&self, id: &str) -> Option<&Lever> {
        self.levers
            .binary_search_by(|l| l.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.levers[i])
    }

    /// The levers that fit `p` launched on `date`, ranked by effort for `p` (then by id).
    pub fn applicable(&self, p: &PurchaseContext, date: NaiveDate) -> Vec<Applicable<'_>> {
        let mut out: Vec<Applicable<'_>> = self
            .levers
            .iter()
            .filter(|l| l.applies_to.fits(p, date))
            .map(|lever| Applicable {
                lever,
                // efforts of a catalogue are bounded (MAX_EFFORT_DAYS): this cannot fail
                effort_days: lever.effort_days(p).unwrap_or(Decimal::MAX),
            })
            .collect();
        out.sort_by(|a, b| {
            a.effort_days
                .cmp(&b.effort_days)
                .then_with(|| a.lever.id.cmp(&b.lever.id))
        });
        out
    }
}

impl Catalogue {
    /// The levers that fit a plan line of a buyer of `buyer_kind`, on the line's launch date,
    /// ranked by effort (see [`Catalogue::applicable`]).
    ///
    /// ```
    /// use spaser::{Catalogue, Programme};
    /// let programme = Programme::sample();
    /// let line = &programme.lines[0];
    /// for a in Catalogue::embedded().applicable_line(line, programme.buyer.kind) {
    ///     assert!(a.effort_days >= rust_decimal::Decimal::ZERO);
    /// }
    /// ```
    pub fn applicable_line(
        &self,
        line: &crate::programme::model::PlanLine,
        buyer_kind: BuyerKind,
    ) -> Vec<Applicable<'_>> {
        let ctx = PurchaseContext::from_line(line, buyer_kind, None);
        self.applicable(&ctx, line.launch_date)
    }
}

/// Insertion hours per purchase and totals per year (of the launch date) and per service,
/// exact; round with [`InsertionTotals::rounded`] only at the end.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InsertionTotals {
    /// Exact hours per purchase id (summed when a purchase has several insertion levers).
    pub by_purchase: BTreeMap<String, Decimal>,
    /// Exact hours per calendar year.
    pub by_year: BTreeMap<i32, Decimal>,
    /// Exact hours per prescribing service (`""` for none).
    pub by_service: BTreeMap<String, Decimal>,
    /// Exact total.
    pub total: Decimal,
}

impl InsertionTotals {
    /// Sums the insertion hours of (purchase, lever) assignments; levers without insertion
    /// parameters add nothing.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Amount, BuyerKind, Catalogue, InsertionTotals, Nature, PurchaseContext};
    /// let cat = Catalogue::embedded();
    /// let d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    /// let p = PurchaseContext::new("L1", Nature::Works, Amount::from_euros(1_000_000), d,
    ///                              BuyerKind::OtherContractingAuthority)
    ///     .with_cpv("45262500".parse()?); // masonry: labour share 50 %
    /// let t = InsertionTotals::compute([(&p, cat.get("ins-works").unwrap())])?;
    /// assert_eq!(t.rounded().total, 834); // 1 000 000 × 50 % × 5 % ÷ 30 = 833.33…
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`InsertionParams::hours`]; [`ErrorKind::Overflow`] when a total overflows.
    pub fn compute<'a>(
        items: impl IntoIterator<Item = (&'a PurchaseContext, &'a Lever)>,
    ) -> Result<InsertionTotals> {
        let mut t = InsertionTotals::default();
        let over = || Error::new(ErrorKind::Overflow, "insertion hours total overflows");
        for (p, lever) in items {
            let Some(h) = lever.insertion_hours(p)? else {
                continue;
            };
            for slot in [
                t.by_purchase.entry(p.id.clone()).or_default(),
                t.by_year.entry(p.launch_date.year()).or_default(),
                t.by_service
                    .entry(p.service.clone().unwrap_or_default())
                    .or_default(),
                &mut t.total,
            ] {
                *slot = slot.checked_add(h).ok_or_else(over)?;
            }
        }
        Ok(t)
    }

    /// The same totals rounded up to whole hours (each figure rounded on its own exact value).
    pub fn rounded(&self) -> RoundedInsertionTotals {
        let r = |m: &BTreeMap<String, Decimal>| {
            m.iter()
                .map(|(k, v)| (k.clone(), round_up_hours(*v)))
                .collect()
        };
        RoundedInsertionTotals {
            by_purchase: r(&self.by_purchase),
            by_year: self
                .by_year
                .iter()
                .map(|(k, v)| (*k, round_up_hours(*v)))
                .collect(),
            by_service: r(&self.by_service),
            total: round_up_hours(self.total),
        }
    }
}

/// [`InsertionTotals`] rounded up to whole hours.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoundedInsertionTotals {
    /// Hours per purchase id.
    pub by_purchase: BTreeMap<String, u64>,
    /// Hours per calendar year.
    pub by_year: BTreeMap<i32, u64>,
    /// Hours per prescribing service.
    pub by_service: BTreeMap<String, u64>,
    /// Total hours.
    pub total: u64,
}
