//! Realised indicators: each DECP contract is reduced to an indicator [`Purchase`] and fed to
//! the crate's one [`IndicatorEngine`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::diag::Accounting;
use super::model::Dataset;
use super::model::{AwardedContract, Concession, Considerations, Contract};
use super::model::{Entry, Outcome};
use crate::indicators::{
    Coverage, Dimensions, GroupBy, Indicator, IndicatorEngine, IndicatorTable, Measure, Purchase,
    STANDARD_ENVIRONMENTAL, STANDARD_INNOVATIVE, STANDARD_RESERVED, STANDARD_SOCIAL,
};
use crate::law::rulebook::Rulebook;
use crate::values::buyer_kind::BuyerKind;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// Fills `buf` with the coverages of the considerations (each covers the whole contract).
fn coverages(buf: &mut Vec<Coverage>, social: &Considerations, env: &Considerations) -> Dimensions {
    buf.clear();
    let mut unknown = Dimensions::NONE;
    for (list, dim) in [(social, Dimension::Social), (env, Dimension::Environmental)] {
        match list {
            None => unknown = unknown.with(dim),
            Some(cs) => buf.extend(
                cs.iter()
                    .map(|c| Coverage::whole(c.dimension, c.instrument)),
            ),
        }
    }
    unknown
}

/// The indicator view of a marché: date of notification, current amount (after modifications),
/// CPV and the nature it implies, buyer, procedure, innovative flag, considerations (whole
/// coverage) and the dimensions whose considerations are missing. `None` when the contract has
/// no date (the readers reject those) or an amount beyond the representable range (an
/// outlier); a contract without any amount — only the consolidated reader keeps those —
/// counts with a value of 0.
///
/// ```
/// use spaser::decp::{purchase_of, AwardedContract};
/// let mut c = AwardedContract::default();
/// c.amount = Some(spaser::Amount::from_euros(1000));
/// c.notification_date = chrono::NaiveDate::from_ymd_opt(2025, 1, 2);
/// let mut buf = Vec::new();
/// let p = purchase_of(&c, &mut buf).unwrap();
/// assert!(p.unknown.contains(spaser::Dimension::Social));
/// ```
pub fn purchase_of<'a>(c: &'a AwardedContract, buf: &'a mut Vec<Coverage>) -> Option<Purchase<'a>> {
    let amount = match c.current_amount() {
        Some(a) => a,
        // Only the consolidated reader keeps a contract without amount (its analysts count it
        // with a value of 0); an outlier beyond the representable range is left out.
        None if !c.outlier => Amount::ZERO,
        None => return None,
    };
    let mut p = purchase_parts(
        c.notification_date?,
        amount,
        c.innovative == Some(true),
        &c.social,
        &c.environmental,
        buf,
    );
    p.cpv = c.cpv;
    p.nature = c.cpv.and_then(|x| x.nature());
    p.buyer = c.buyer.as_ref().map(|b| b.as_str());
    p.procedure = c.procedure.as_deref();
    Some(p)
}

/// The indicator view of a marché from its parts (the yearly totals' part of
/// [`purchase_of`]): notification date, current amount, innovative flag and considerations
/// (their coverages written to `buf`), without CPV, buyer or procedure.
pub(crate) fn purchase_parts<'a>(
    date: NaiveDate,
    amount: Amount,
    innovative: bool,
    social: &Considerations,
    environmental: &Considerations,
    buf: &'a mut Vec<Coverage>,
) -> Purchase<'a> {
    let unknown = coverages(buf, social, environmental);
    let mut p = Purchase::new(date, amount);
    p.innovative = innovative;
    p.considerations = buf;
    p.unknown = unknown;
    p
}

/// The indicator view of a concession: date of signature, current value, authority,
/// procedure, considerations.
pub fn purchase_of_concession<'a>(
    c: &'a Concession,
    buf: &'a mut Vec<Coverage>,
) -> Option<Purchase<'a>> {
    let unknown = coverages(buf, &c.social, &c.environmental);
    let mut p = Purchase::new(c.signature_date?, c.current_value()?);
    p.buyer = c.authority.as_ref().map(|b| b.as_str());
    p.procedure = c.procedure.as_deref();
    p.considerations = buf;
    p.unknown = unknown;
    Some(p)
}

/// A contract that probably misses a legal obligation (the DECP does not carry the launch date
/// that triggers it, hence "probable").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// `marche` or `concession`.
    pub contract: String,
    /// Record id.
    pub id: String,
    /// Buyer or conceding authority.
    pub buyer: String,
    /// Notification (concessions: signature) date.
    pub date: NaiveDate,
    /// The article (L2112-2, L2112-2-1, R2152-7; concessions L3114-2).
    pub article: String,
    /// What is missing, in English (the French and English texts are built from the fields
    /// below by [`Finding::text`]).
    pub reason: String,
    /// Always true: the obligation applies to consultations launched on or after the date,
    /// which the DECP does not publish.
    pub probable: bool,
    /// The check that found it.
    #[serde(default)]
    pub check: AuditCheck,
    /// Whether the contract published the considerations the check reads (false: the field
    /// is absent, so the consideration may exist unpublished).
    #[serde(default = "published")]
    pub published: bool,
    /// The date from which the article applies (contracts notified after it are checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// EU-threshold check: the contract's current amount (EUR HT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// EU-threshold check: the threshold (EUR HT), its article and the nature it is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Amount>,
    /// EU-threshold check: the threshold's article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_article: Option<String>,
    /// EU-threshold check: the nature the threshold is of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<Nature>,
}

fn published() -> bool {
    true
}

/// What an audit rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditCheck {
    /// No environmental consideration (L2112-2, L3114-2).
    #[default]
    Environmental,
    /// At or above the EU threshold without a social consideration (L2112-2-1).
    SocialAtEuThreshold,
    /// Price the only award criterion (R2152-7).
    PriceOnly,
}

#[derive(Deserialize)]
struct AuditRule {
    contract: String,
    #[serde(default = "environmental")]
    check: AuditCheck,
    article: String,
    effective: NaiveDate,
}

fn environmental() -> AuditCheck {
    AuditCheck::Environmental
}

#[derive(Deserialize)]
struct AuditData {
    rules: Vec<AuditRule>,
}

/// The embedded audit rules (parsed once).
fn audit_rules() -> &'static [AuditRule] {
    static RULES: OnceLock<Vec<AuditRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        // The embedded file is checked by a unit test; a parse failure would disable the audit
        // rather than panic.
        serde_json::from_str::<AuditData>(include_str!("../data/decp_audit.json"))
            .map(|d| d.rules)
            .unwrap_or_default()
    })
}

/// The result of [`Actuals::finish`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActualsReport {
    /// Marchés: the indicators of [`Actuals::indicators`] per year, with the breakdowns.
    /// Compare it with a plan's targets like any [`IndicatorTable`].
    pub marches: IndicatorTable,
    /// Concessions (year of signature).
    pub concessions: IndicatorTable,
    /// Contracts notified after the environmental obligation's date without an environmental
    /// consideration (probable non-compliance).
    pub audit: Vec<Finding>,
    /// The reader's accounting (set by [`crate::decp::indicators`]).
    pub accounting: Accounting,
}

/// Accumulates realised indicators over DECP contracts, through [`IndicatorEngine`].
///
/// Indicators: the four standard ones (`social`, `environmental`, `reserved`, `innovative`)
/// and, for the breakdown by instrument, `social_clause`, `social_criterion`,
/// `environmental_clause`, `environmental_criterion`. Breakdowns: buyer, CPV division,
/// procedure and nature (implied by the CPV), each per year.
#[derive(Debug, Clone)]
pub struct Actuals {
    marches: IndicatorEngine,
    concessions: IndicatorEngine,
    audit: Vec<Finding>,
    audit_on: bool,
    audit_kind: BuyerKind,
    buf: Vec<Coverage>,
}

impl Default for Actuals {
    fn default() -> Self {
        Actuals::new()
    }
}

impl Actuals {
    /// Every indicator and every breakdown.
    pub fn new() -> Actuals {
        Actuals::with_breakdowns(&[
            GroupBy::Buyer,
            GroupBy::CpvDivision,
            GroupBy::Procedure,
            GroupBy::Nature,
        ])
    }

    /// Yearly totals plus the given breakdowns only (fewer breakdowns, faster).
    pub fn with_breakdowns(breakdowns: &[GroupBy]) -> Actuals {
        let build = || {
            breakdowns
                .iter()
                .fold(IndicatorEngine::new(Actuals::indicators()), |e, g| e.by(*g))
        };
        Actuals {
            marches: build(),
            concessions: build(),
            audit: Vec::new(),
            audit_on: true,
            audit_kind: BuyerKind::OtherContractingAuthority,
            buf: Vec::new(),
        }
    }

    /// Only the yearly totals of the four standard indicators ([`Indicator::standard`]), without
    /// audit: what `by_year` reports ([`by_year`]), computed with the least work.
    ///
    /// ```
    /// let json = r#"{"marches":{"marche":[{"id":"1","montant":5,"dateNotification":"2024-01-01"}]}}"#;
    /// let r = spaser::decp::indicators(json.as_bytes(), spaser::decp::Actuals::standard_totals())?;
    /// assert_eq!(r.marches.total("social", 2024).unwrap().unknown, 1);
    /// assert!(r.marches.total("social_clause", 2024).is_none());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn standard_totals() -> Actuals {
        Actuals {
            marches: IndicatorEngine::new(Indicator::standard()),
            concessions: IndicatorEngine::new(Indicator::standard()),
            audit: Vec::new(),
            audit_on: false,
            audit_kind: BuyerKind::OtherContractingAuthority,
            buf: Vec::new(),
        }
    }

    /// Skips the compliance audit (whose findings grow with the number of contracts concerned).
    pub fn without_audit(mut self) -> Actuals {
        self.audit_on = false;
        self
    }

    /// The kind of buyer whose EU threshold the L2112-2-1 check uses (the DECP does not say
    /// which kind a buyer is). Default: [`BuyerKind::OtherContractingAuthority`] (local
    /// authorities, hospitals: most DECP buyers); central government buyers have lower
    /// thresholds for supplies and services.
    pub fn audit_buyer_kind(mut self, kind: BuyerKind) -> Actuals {
        self.audit_kind = kind;
        self
    }

    /// The indicators computed: [`Indicator::standard`] then one per (dimension, instrument).
    pub fn indicators() -> Vec<Indicator> {
        let mut v = Indicator::standard();
        for (id, d, i) in [
            (
                "social_clause",
                Dimension::Social,
                Instrument::ExecutionClause,
            ),
            (
                "social_criterion",
                Dimension::Social,
                Instrument::AwardCriterion,
            ),
            (
                "environmental_clause",
                Dimension::Environmental,
                Instrument::ExecutionClause,
            ),
            (
                "environmental_criterion",
                Dimension::Environmental,
                Instrument::AwardCriterion,
            ),
        ] {
            v.push(Indicator::new(id, d).instruments([i]));
        }
        v
    }

    /// Checks one contract against the audit rules. `amount` and `cpv` (marchés) serve the
    /// EU-threshold check; `price_only` the price-only check.
    #[allow(clippy::too_many_arguments)]
    fn audit(
        &mut self,
        kind: &str,
        id: &str,
        buyer: &str,
        date: NaiveDate,
        social: &Considerations,
        env: &Considerations,
        marche: Option<&AwardedContract>,
    ) {
        if !self.audit_on {
            return;
        }
        let has = |cs: &Considerations, d: Dimension| {
            cs.as_ref()
                .is_some_and(|cs| cs.iter().any(|c| c.dimension == d))
        };
        for rule in audit_rules() {
            // The first day a contract launched on the article's date can be notified.
            if rule.contract != kind || date <= rule.effective {
                continue;
            }
            let (mut published, mut amount_of, mut threshold) = (true, None, None);
            let reason = match rule.check {
                AuditCheck::Environmental => {
                    if has(env, Dimension::Environmental) {
                        continue;
                    }
                    published = env.is_some();
                    let what = match env {
                        None => "environmental considerations not published",
                        Some(_) => "no environmental consideration",
                    };
                    format!(
                        "{what} in a contract dated {date}, after the obligation's date {}",
                        rule.effective
                    )
                }
                AuditCheck::SocialAtEuThreshold => {
                    let Some(c) = marche else { continue };
                    if has(social, Dimension::Social) {
                        continue;
                    }
                    let (Some(amount), Some(nature)) =
                        (c.current_amount(), c.cpv.and_then(|x| x.nature()))
                    else {
                        continue;
                    };
                    let Ok(t) = Rulebook::embedded().eu_threshold(self.audit_kind, nature, date)
                    else {
                        continue;
                    };
                    if amount < t.value {
                        continue;
                    }
                    published = social.is_some();
                    amount_of = Some(amount);
                    threshold = Some((t.value, t.article.clone(), nature));
                    let what = match social {
                        None => "social considerations not published",
                        Some(_) => "no social consideration",
                    };
                    format!(
                        "{what} in a contract of {amount} euros HT, at or above the EU threshold of {} euros for {nature} ({}), dated {date}, after the obligation's date {}",
                        t.value, t.article, rule.effective
                    )
                }
                AuditCheck::PriceOnly => {
                    if marche.and_then(|c| c.price_only) != Some(true) {
                        continue;
                    }
                    format!(
                        "price was the only award criterion in a contract dated {date}, after the article's date {}",
                        rule.effective
                    )
                }
            };
            self.audit.push(Finding {
                contract: kind.to_string(),
                id: id.to_string(),
                buyer: buyer.to_string(),
                date,
                article: rule.article.clone(),
                reason,
                probable: true,
                check: rule.check,
                published,
                effective: Some(rule.effective),
                amount: amount_of,
                threshold: threshold.as_ref().map(|t| t.0),
                threshold_article: threshold.as_ref().map(|t| t.1.clone()),
                nature: threshold.map(|t| t.2),
            });
        }
    }

    /// Adds one contract (call it once per distinct contract: skip duplicates).
    pub fn add(&mut self, contract: &Contract) {
        match contract {
            Contract::Awarded(c) => self.add_marche(c),
            Contract::Concession(c) => self.add_concession(c),
        }
    }

    /// Adds one marché.
    pub(crate) fn add_marche(&mut self, c: &AwardedContract) {
        let mut buf = std::mem::take(&mut self.buf);
        if let Some(p) = purchase_of(c, &mut buf) {
            self.marches.add(&p);
            let date = p.date;
            let buyer = c.buyer.as_ref().map_or("", |b| b.as_str());
            self.audit(
                "marche",
                &c.id,
                buyer,
                date,
                &c.social,
                &c.environmental,
                Some(c),
            );
        }
        self.buf = buf;
    }

    /// Adds the purchase of a marché counted without its contract (a read of the yearly
    /// totals only, which has no audit: the audit needs the contract; see
    /// `Options::counts_only`).
    pub(crate) fn add_purchase(&mut self, p: &Purchase<'_>) {
        debug_assert!(!self.audit_on);
        self.marches.add(p);
    }

    /// Adds one concession.
    pub(crate) fn add_concession(&mut self, c: &Concession) {
        let mut buf = std::mem::take(&mut self.buf);
        if let Some(p) = purchase_of_concession(c, &mut buf) {
            self.concessions.add(&p);
            let date = p.date;
            let buyer = c.authority.as_ref().map_or("", |b| b.as_str());
            self.audit(
                "concession",
                &c.id,
                buyer,
                date,
                &c.social,
                &c.environmental,
                None,
            );
        }
        self.buf = buf;
    }

    /// Adds a reader entry: accepted contracts count, duplicates and rejections do not.
    pub fn add_entry(&mut self, entry: &Entry) {
        if let Outcome::Contract(c) = &entry.outcome {
            self.add(c);
        }
    }

    /// Adds every distinct contract of a collected file.
    pub fn add_all(mut self, data: &Dataset) -> Actuals {
        for c in &data.contracts {
            self.add_marche(c);
        }
        for c in &data.concessions {
            self.add_concession(c);
        }
        self
    }

    /// Actuals with the same indicators, breakdowns and audit settings and no contract yet.
    pub(crate) fn empty_like(&self) -> Actuals {
        Actuals {
            marches: self.marches.empty_like(),
            concessions: self.concessions.empty_like(),
            audit: Vec::new(),
            audit_on: self.audit_on,
            audit_kind: self.audit_kind,
            buf: Vec::new(),
        }
    }

    /// Adds what `other` (made by [`Actuals::empty_like`]) accumulated, its findings after
    /// these.
    pub(crate) fn merge(&mut self, other: Actuals) {
        self.marches.merge(other.marches);
        self.concessions.merge(other.concessions);
        self.audit.extend(other.audit);
    }

    /// The tables and the audit.
    pub fn finish(self) -> ActualsReport {
        ActualsReport {
            marches: self.marches.finish(),
            concessions: self.concessions.finish(),
            audit: self.audit,
            accounting: Accounting::default(),
        }
    }
}

/// A share for display: rounded half-to-even to 4 places, always 4 decimals; `"0"` for an
/// empty denominator.
fn share4(s: Option<crate::values::share::Share>) -> String {
    match s {
        Some(s) => {
            let mut d = s
                .as_decimal()
                .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven);
            d.rescale(4);
            d.to_string()
        }
        None => "0".to_string(),
    }
}

fn euros(d: Decimal) -> Decimal {
    let mut d = d;
    d.rescale(2);
    d
}

/// The figures of one standard indicator in a year ([`YearFigures`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndicatorFigures {
    /// Contracts that carry the indicator.
    pub count: u64,
    /// Their value (euros HT, 2 decimals; a string in JSON).
    pub value: Decimal,
    /// Share by count, rounded half to even to 4 decimals (`"0"` when the year is empty).
    pub count_share: String,
    /// Share by value, rounded the same way.
    pub value_share: String,
}

/// The figures of one year of [`by_year`]: contracts, value and the four standard indicators;
/// `unknown_social` / `unknown_environmental` count contracts whose considerations are missing.
/// Serialized with its keys in alphabetical order, as `peer_decp.py` writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct YearFigures {
    /// Contracts of the year.
    pub contracts: u64,
    /// Environmental considerations.
    pub environmental: IndicatorFigures,
    /// Innovative purchases.
    pub innovative: IndicatorFigures,
    /// Reserved contracts.
    pub reserved: IndicatorFigures,
    /// Social considerations.
    pub social: IndicatorFigures,
    /// Contracts whose environmental considerations are missing.
    pub unknown_environmental: u64,
    /// Contracts whose social considerations are missing.
    pub unknown_social: u64,
    /// Value of the year's contracts (euros HT, 2 decimals; a string in JSON).
    pub value: Decimal,
}

/// A share as a percentage for people: rounded half-to-even to `places` decimals (46.15 %
/// shows as `46.2` with one place, 46.25 % as `46.2`), `-` when there is no denominator.
///
/// ```
/// use spaser::Share;
/// let s: Share = "0.4615".parse()?;
/// assert_eq!(spaser::decp::percent(Some(s), 1), "46.2");
/// let s: Share = "0.4625".parse()?;
/// assert_eq!(spaser::decp::percent(Some(s), 1), "46.2");
/// assert_eq!(spaser::decp::percent(None, 1), "-");
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn percent(share: Option<crate::values::share::Share>, places: u32) -> String {
    match share {
        None => "-".to_string(),
        Some(s) => {
            let mut d = (s.as_decimal() * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
            d.rescale(places);
            d.to_string()
        }
    }
}

/// The figures of [`by_year`] for every group of a breakdown: group key → year → figures (the
/// JSON of the per-buyer, per-CPV-division… tables).
///
/// ```
/// let json = r#"{"marches":{"marche":[{"id":"1","acheteur":{"id":"21350238800019"},"montant":5,"dateNotification":"2024-01-01"}]}}"#;
/// let r = spaser::decp::indicators(json.as_bytes(), spaser::decp::Actuals::new())?;
/// let buyers = spaser::decp::by_group(&r.marches, spaser::GroupBy::Buyer);
/// assert_eq!(buyers["21350238800019"][&2024].contracts, 1);
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn by_group(
    table: &IndicatorTable,
    group_by: GroupBy,
) -> BTreeMap<String, BTreeMap<i32, YearFigures>> {
    let mut keys: Vec<(&str, i32)> = table
        .rows
        .iter()
        .filter(|r| r.group_by == group_by && r.indicator == STANDARD_SOCIAL)
        .map(|r| (r.group.as_str(), r.year))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut out: BTreeMap<String, BTreeMap<i32, YearFigures>> = BTreeMap::new();
    for (group, year) in keys {
        let get = |id: &str| {
            table
                .get(id, year, group_by, group)
                .cloned()
                .unwrap_or_default()
        };
        out.entry(group.to_string())
            .or_default()
            .insert(year, figures_of(get));
    }
    out
}

/// The figures of one year from a getter of the standard indicators' measures.
fn figures_of(get: impl Fn(&str) -> Measure) -> YearFigures {
    let figures = |id: &str| {
        let m: Measure = get(id);
        IndicatorFigures {
            count: m.count,
            value: euros(m.covered_value),
            count_share: share4(m.count_share()),
            value_share: share4(m.value_share()),
        }
    };
    let social = get(STANDARD_SOCIAL);
    let env = get(STANDARD_ENVIRONMENTAL);
    YearFigures {
        contracts: social.purchases,
        value: euros(social.value),
        social: figures(STANDARD_SOCIAL),
        environmental: figures(STANDARD_ENVIRONMENTAL),
        reserved: figures(STANDARD_RESERVED),
        innovative: figures(STANDARD_INNOVATIVE),
        unknown_social: social.unknown,
        unknown_environmental: env.unknown,
    }
}

/// The `by_year` object of `spaser decp --format json` (and of `peer_decp.py`) for one table:
/// per year (a string key in JSON), contracts, value and, for each standard indicator, count,
/// value and shares.
pub fn by_year(table: &IndicatorTable) -> BTreeMap<i32, YearFigures> {
    let mut out = BTreeMap::new();
    for year in table.years() {
        let get = |id: &str| table.total(id, year).cloned().unwrap_or_default();
        out.insert(year, figures_of(get));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_audit_rules_parse() {
        assert_eq!(audit_rules().len(), 4);
        assert_eq!(audit_rules()[0].article, "L2112-2");
    }

    #[test]
    fn shares_display_with_four_places_half_to_even() {
        let m = Measure {
            purchases: 8,
            count: 1,
            value: Decimal::new(3, 0),
            covered_value: Decimal::new(1, 0),
            unknown: 0,
        };
        assert_eq!(share4(m.count_share()), "0.1250");
        assert_eq!(share4(m.value_share()), "0.3333");
        assert_eq!(share4(None), "0");
        let half = Measure {
            purchases: 20000,
            count: 5,
            ..Measure::default()
        };
        // 0.00025 -> 0.0002 (half to even)
        assert_eq!(share4(half.count_share()), "0.0002");
    }
}
