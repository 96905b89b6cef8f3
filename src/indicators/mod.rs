//! The one indicator engine: shares of responsible purchases by count and by value.
//!
//! Planned lines (projection) and awarded contracts (actuals) are both reduced to a
//! [`Purchase`]; the same [`IndicatorEngine`] then computes numerators, denominators, shares and
//! gaps to targets, grouped by year and by any breakdown ([`GroupBy`]). There is no other code
//! computing a share in the crate.
//!
//! May import: `error`, `util`, `values`, `vocabulary`.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::util::hash::FastMap;

use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;
use crate::vocabulary::agec::{AgecCategory, FoodKind};
use crate::vocabulary::dimension::{Dimension, Instrument};

/// A consideration carried by a purchase, with the share of the purchase's value it covers
/// (1 for a consideration that applies to the whole purchase, 0.3 for "30 % reconditioned
/// equipment").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Coverage {
    /// Dimension of the consideration.
    pub dimension: Dimension,
    /// Instrument of the consideration.
    pub instrument: Instrument,
    /// Share of the purchase's value covered.
    pub share: Share,
}

impl Coverage {
    /// A consideration covering the whole purchase.
    pub fn whole(dimension: Dimension, instrument: Instrument) -> Coverage {
        Coverage {
            dimension,
            instrument,
            share: Share::ONE,
        }
    }
}

/// A set of dimensions (a small bit set), used for "considerations unknown" flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dimensions(u8);

impl Dimensions {
    /// No dimension.
    pub const NONE: Dimensions = Dimensions(0);

    /// Adds `d`.
    pub fn with(self, d: Dimension) -> Dimensions {
        Dimensions(self.0 | (1 << d.index()))
    }

    /// Whether `d` is in the set.
    pub fn contains(&self, d: Dimension) -> bool {
        self.0 & (1 << d.index()) != 0
    }
}

/// One purchase as the indicator engine sees it: a planned line or an awarded contract.
///
/// Borrowed, so that a streaming reader can build one per record without allocating.
#[derive(Debug, Clone, Copy)]
pub struct Purchase<'a> {
    /// The date that keys the purchase's year: the launch date of a planned line, the
    /// notification (or signature) date of an awarded contract.
    pub date: NaiveDate,
    /// Value HT.
    pub amount: Amount,
    /// Main CPV code, when known.
    pub cpv: Option<CpvCode>,
    /// Nature, when known.
    pub nature: Option<Nature>,
    /// Homogeneous family or works operation key.
    pub family: Option<&'a str>,
    /// Prescribing service.
    pub service: Option<&'a str>,
    /// Buyer identifier (SIRET).
    pub buyer: Option<&'a str>,
    /// Procedure (free text: plan procedure or DECP procedure).
    pub procedure: Option<&'a str>,
    /// Whether the purchase is innovative (counts for the innovation dimension).
    pub innovative: bool,
    /// Considerations carried, with the share of value each covers.
    pub considerations: &'a [Coverage],
    /// Dimensions whose considerations are unknown (missing from the source): the purchase
    /// counts in the denominator, as not responsible, and is also counted as `unknown`.
    pub unknown: Dimensions,
}

impl<'a> Purchase<'a> {
    /// A purchase with only a date and an amount; fill the other public fields as needed.
    pub fn new(date: NaiveDate, amount: Amount) -> Purchase<'a> {
        Purchase {
            date,
            amount,
            cpv: None,
            nature: None,
            family: None,
            service: None,
            buyer: None,
            procedure: None,
            innovative: false,
            considerations: &[],
            unknown: Dimensions::NONE,
        }
    }

    /// The calendar year of [`Purchase::date`].
    pub fn year(&self) -> i32 {
        self.date.year()
    }
}

/// Which purchases an indicator looks at (its denominator). Empty lists match everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PurchaseFilter {
    /// CPV prefixes (digits); a purchase matches when its CPV starts with one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// Natures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub natures: Vec<Nature>,
    /// Prescribing services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Family or operation keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<String>,
    /// Buyers (SIRET).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buyers: Vec<String>,
    /// Minimum amount HT (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<Amount>,
    /// AGEC art. 58 product category, from the purchase's CPV code (see
    /// [`AgecCategory::of_cpv`](crate::AgecCategory::of_cpv)); a purchase without CPV never
    /// matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agec_category: Option<AgecCategory>,
    /// Food purchases only (`true`) or non-food only (`false`), from the CPV code (see
    /// [`FoodKind::of_cpv`](crate::FoodKind::of_cpv)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub food: Option<bool>,
}

impl PurchaseFilter {
    /// Whether `p` is in the filter's scope.
    pub fn matches(&self, p: &Purchase<'_>) -> bool {
        (self.cpv_prefixes.is_empty()
            || p.cpv
                .is_some_and(|c| self.cpv_prefixes.iter().any(|x| c.starts_with(x))))
            && (self.natures.is_empty() || p.nature.is_some_and(|n| self.natures.contains(&n)))
            && (self.services.is_empty()
                || p.service
                    .is_some_and(|s| self.services.iter().any(|x| x == s)))
            && (self.families.is_empty()
                || p.family
                    .is_some_and(|s| self.families.iter().any(|x| x == s)))
            && (self.buyers.is_empty()
                || p.buyer.is_some_and(|s| self.buyers.iter().any(|x| x == s)))
            && self.min_amount.is_none_or(|m| p.amount >= m)
            && self.agec_category.is_none_or(|cat| {
                p.cpv
                    .and_then(|c| AgecCategory::of_cpv(&c))
                    .is_some_and(|m| m.category == cat)
            })
            && self
                .food
                .is_none_or(|food| p.cpv.and_then(|c| FoodKind::of_cpv(&c)).is_some() == food)
    }

    /// Whether the filter matches everything.
    pub fn is_empty(&self) -> bool {
        *self == PurchaseFilter::default()
    }
}

/// Id of the standard indicator "at least one social consideration".
pub const STANDARD_SOCIAL: &str = "social";
/// Id of the standard indicator "at least one environmental consideration".
pub const STANDARD_ENVIRONMENTAL: &str = "environmental";
/// Id of the standard indicator "reserved contract".
pub const STANDARD_RESERVED: &str = "reserved";
/// Id of the standard indicator "innovative purchase".
pub const STANDARD_INNOVATIVE: &str = "innovative";

/// What an indicator counts: purchases in `filter` carrying at least one consideration of
/// `dimension` (through one of `instruments`, when that list is not empty).
///
/// For the innovation dimension, a purchase flagged innovative counts as well; an innovation
/// award criterion counts only for an indicator that lists the award-criterion instrument (it
/// does not make the purchase innovative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Identifier (a target id, or a name such as `social`).
    pub id: String,
    /// Dimension counted.
    pub dimension: Dimension,
    /// Instruments counted (all when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<Instrument>,
    /// Denominator scope.
    #[serde(default, skip_serializing_if = "PurchaseFilter::is_empty")]
    pub filter: PurchaseFilter,
}

impl Indicator {
    /// An indicator over every purchase.
    pub fn new(id: impl Into<String>, dimension: Dimension) -> Indicator {
        Indicator {
            id: id.into(),
            dimension,
            instruments: Vec::new(),
            filter: PurchaseFilter::default(),
        }
    }

    /// The four standard indicators of SPASER reporting, over every purchase: `social` (at least
    /// one social consideration), `environmental`, `reserved` (social, reserved contract) and
    /// `innovative` (purchases declared innovative: the innovative flag or an innovation
    /// consideration other than an award criterion). Plans, DECP actuals and maturity rules all
    /// use these ids.
    ///
    /// ```
    /// let ids: Vec<String> = spaser::Indicator::standard().into_iter().map(|i| i.id).collect();
    /// assert_eq!(ids, ["social", "environmental", "reserved", "innovative"]);
    /// ```
    pub fn standard() -> Vec<Indicator> {
        vec![
            Indicator::new(STANDARD_SOCIAL, Dimension::Social),
            Indicator::new(STANDARD_ENVIRONMENTAL, Dimension::Environmental),
            Indicator::new(STANDARD_RESERVED, Dimension::Social)
                .instruments([Instrument::ReservedContract]),
            Indicator::new(STANDARD_INNOVATIVE, Dimension::Innovation),
        ]
    }

    /// Restricts the counted instruments.
    pub fn instruments(mut self, instruments: impl IntoIterator<Item = Instrument>) -> Indicator {
        self.instruments = instruments.into_iter().collect();
        self
    }

    /// Sets the denominator scope.
    pub fn filter(mut self, filter: PurchaseFilter) -> Indicator {
        self.filter = filter;
        self
    }

    /// The share of `p`'s value that counts for this indicator (0 when it does not count):
    /// the sum of the coverages of the matching considerations, capped at 1. Levers on one
    /// purchase are taken to cover disjoint parts of it.
    pub fn covered_share(&self, p: &Purchase<'_>) -> Decimal {
        if self.dimension == Dimension::Innovation && p.innovative {
            return Decimal::ONE;
        }
        let mut total = Decimal::ZERO;
        for c in p.considerations {
            if c.dimension == self.dimension
                && instrument_counts(self.dimension, &self.instruments, c.instrument)
            {
                if is_one(c.share.as_decimal()) {
                    // the usual case: one consideration covering the whole purchase
                    return Decimal::ONE;
                }
                total += c.share.as_decimal();
                if total >= Decimal::ONE {
                    return Decimal::ONE;
                }
            }
        }
        total
    }

    /// Whether `p` counts in the numerator by count (at least one matching consideration
    /// covering a positive share).
    pub fn counts(&self, p: &Purchase<'_>) -> bool {
        !self.covered_share(p).is_zero()
    }
}

/// Whether `d` is 1: `Decimal::ONE` itself (what shares of a whole purchase are) is told by
/// its parts, without the general comparison of two decimals (a purchase asks it once per
/// indicator): a decimal of scale 0 is its mantissa; any other (`1.00`, `0.5`) is compared.
fn is_one(d: Decimal) -> bool {
    if d.scale() == 0 {
        d.mantissa() == 1
    } else {
        d == Decimal::ONE
    }
}

/// Whether a consideration of `dimension` through `instrument` counts for an indicator (or a
/// target) that lists `instruments` (all when empty) — except that an innovation **award
/// criterion** is not an innovative purchase: it counts only where the award-criterion
/// instrument is listed. An innovative purchase is one declared innovative (the purchase's
/// flag, DECP `marcheInnovant`, or the innovative procedure of R2122-9-1), which the
/// `innovative` indicator counts.
pub(crate) fn instrument_counts(
    dimension: Dimension,
    instruments: &[Instrument],
    instrument: Instrument,
) -> bool {
    if instruments.is_empty() {
        !(dimension == Dimension::Innovation && instrument == Instrument::AwardCriterion)
    } else {
        instruments.contains(&instrument)
    }
}

/// Count or value basis of a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Number of purchases.
    Count,
    /// Value HT of purchases.
    Value,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Count => "count",
            Basis::Value => "value",
        })
    }
}

/// Numerator and denominator of an indicator over a group of purchases.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Measure {
    /// Purchases in scope (denominator by count).
    pub purchases: u64,
    /// Value HT of purchases in scope (denominator by value).
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// Purchases counting (numerator by count).
    pub count: u64,
    /// Value HT counting (numerator by value), exact.
    #[serde(with = "rust_decimal::serde::str")]
    pub covered_value: Decimal,
    /// Purchases in scope whose considerations of the dimension are unknown (counted as not
    /// responsible).
    pub unknown: u64,
}

impl Measure {
    /// Adds one purchase: `covered` is the share of its value that counts (0..=1).
    pub fn add(&mut self, amount: Decimal, covered: Decimal, unknown: bool) {
        self.purchases += 1;
        self.value += amount;
        if !covered.is_zero() {
            self.count += 1;
            self.covered_value += if is_one(covered) {
                amount
            } else {
                amount * covered
            };
        }
        if unknown {
            self.unknown += 1;
        }
    }

    /// Adds another measure (the sum of parts).
    pub fn merge(&mut self, other: &Measure) {
        self.purchases += other.purchases;
        self.value += other.value;
        self.count += other.count;
        self.covered_value += other.covered_value;
        self.unknown += other.unknown;
    }

    /// Share by count, `None` when no purchase is in scope.
    pub fn count_share(&self) -> Option<Share> {
        Share::ratio(Decimal::from(self.count), Decimal::from(self.purchases))
    }

    /// Share by value, `None` when the scope's value is zero.
    pub fn value_share(&self) -> Option<Share> {
        Share::ratio(self.covered_value, self.value)
    }

    /// Share on `basis`.
    pub fn share(&self, basis: Basis) -> Option<Share> {
        match basis {
            Basis::Count => self.count_share(),
            Basis::Value => self.value_share(),
        }
    }

    /// How far the numerator falls short of `target` on `basis`, in purchases or in euros
    /// (0 when the target is reached). Exact.
    pub fn shortfall(&self, target: Share, basis: Basis) -> Decimal {
        let (num, den) = match basis {
            Basis::Count => (Decimal::from(self.count), Decimal::from(self.purchases)),
            Basis::Value => (self.covered_value, self.value),
        };
        (den * target.as_decimal() - num).max(Decimal::ZERO)
    }

    /// Compares the share on `basis` with `target` exactly (numerator against target ×
    /// denominator, no division), or `None` when the scope is empty (zero denominator).
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use spaser::{Basis, Measure, Share};
    /// let m = Measure { purchases: 10, count: 3, ..Measure::default() };
    /// let t: Share = "0.3".parse()?;
    /// assert_eq!(m.compare(Basis::Count, t), Some(Ordering::Equal));
    /// assert_eq!(Measure::default().compare(Basis::Count, t), None);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn compare(&self, basis: Basis, target: Share) -> Option<std::cmp::Ordering> {
        let (num, den) = match basis {
            Basis::Count => (Decimal::from(self.count), Decimal::from(self.purchases)),
            Basis::Value => (self.covered_value, self.value),
        };
        if den.is_zero() {
            return None;
        }
        // target <= 1, so the product never exceeds the denominator: no overflow.
        Some(num.cmp(&(den * target.as_decimal())))
    }

    /// Whether the share on `basis` reaches `target` (an empty scope reaches any target).
    pub fn reaches(&self, target: Share, basis: Basis) -> bool {
        self.shortfall(target, basis).is_zero()
    }
}

/// A breakdown of indicators beyond the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupBy {
    /// No breakdown: one group per year.
    Total,
    /// Family or works operation.
    Family,
    /// Prescribing service.
    Service,
    /// Buyer.
    Buyer,
    /// CPV division (2 digits).
    CpvDivision,
    /// Procedure.
    Procedure,
    /// Nature.
    Nature,
}

impl GroupBy {
    fn key<'p>(&self, p: &Purchase<'p>, buf: &'p mut String) -> &'p str {
        use std::fmt::Write;
        match self {
            GroupBy::Total => "",
            GroupBy::Family => p.family.unwrap_or(""),
            GroupBy::Service => p.service.unwrap_or(""),
            GroupBy::Buyer => p.buyer.unwrap_or(""),
            GroupBy::Procedure => p.procedure.unwrap_or(""),
            GroupBy::Nature => p.nature.map_or("", |n| n.as_str()),
            GroupBy::CpvDivision => match p.cpv {
                Some(c) => {
                    buf.clear();
                    let _ = write!(buf, "{:02}", c.division());
                    buf.as_str()
                }
                None => "",
            },
        }
    }
}

/// One row of an [`IndicatorTable`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndicatorRow {
    /// Indicator id.
    pub indicator: String,
    /// Calendar year.
    pub year: i32,
    /// Breakdown.
    pub group_by: GroupBy,
    /// Group key (empty for [`GroupBy::Total`] or when the purchase has no such key).
    pub group: String,
    /// Numerator and denominator.
    pub measure: Measure,
}

/// The result of an [`IndicatorEngine`]: rows sorted by indicator id, year, breakdown and group
/// key.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndicatorTable {
    /// The rows.
    pub rows: Vec<IndicatorRow>,
}

impl IndicatorTable {
    /// The row of `indicator` for `year` without breakdown.
    pub fn total(&self, indicator: &str, year: i32) -> Option<&Measure> {
        self.get(indicator, year, GroupBy::Total, "")
    }

    /// A row by its keys (binary search: rows are sorted by indicator id, year, breakdown and
    /// group, as [`IndicatorEngine::finish`] leaves them).
    pub fn get(
        &self,
        indicator: &str,
        year: i32,
        group_by: GroupBy,
        group: &str,
    ) -> Option<&Measure> {
        let key = (indicator, year, group_by, group);
        self.rows
            .binary_search_by(|r| row_key(r).cmp(&key))
            .ok()
            .map(|i| &self.rows[i].measure)
    }

    /// The years present, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self.rows.iter().map(|r| r.year).collect();
        y.sort_unstable();
        y.dedup();
        y
    }
}

/// Per indicator, whether its filter is empty (takes every purchase).
fn everything(indicators: &[Indicator]) -> Vec<bool> {
    indicators.iter().map(|i| i.filter.is_empty()).collect()
}

type KeyMap<V> = FastMap<Box<str>, V>;

/// The groups of one year and breakdown: one accumulator per indicator for each group key.
/// The empty key (the yearly totals, or purchases without the breakdown's key) has its own
/// slot: no hashing for the totals.
#[derive(Debug, Clone, Default)]
struct Groups {
    /// Accumulators of the empty key.
    empty: Option<Vec<Acc>>,
    /// Other keys → index in `accs`.
    index: KeyMap<usize>,
    accs: Vec<Vec<Acc>>,
}

impl Groups {
    /// The accumulators of `key`, added (`n` of them) when absent.
    fn get_or_insert(&mut self, key: &str, n: usize) -> &mut Vec<Acc> {
        if key.is_empty() {
            return self.empty.get_or_insert_with(|| vec![Acc::default(); n]);
        }
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                // Boxed only for a new group.
                self.index.insert(Box::from(key), self.accs.len());
                self.accs.push(vec![Acc::default(); n]);
                self.accs.len() - 1
            }
        };
        &mut self.accs[i]
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Vec<Acc>)> {
        self.empty.iter().map(|a| ("", a)).chain(
            self.index
                .iter()
                .filter_map(|(k, &i)| Some((&**k, self.accs.get(i)?))),
        )
    }
}

/// Year → groups, sorted by year (a handful of years: a binary search beats hashing).
type YearMap = Vec<(i32, Groups)>;

/// The groups of `year`, added when absent.
fn year_entry(years: &mut YearMap, year: i32) -> &mut Groups {
    let i = match years.binary_search_by_key(&year, |e| e.0) {
        Ok(i) => i,
        Err(i) => {
            years.insert(i, (year, Groups::default()));
            i
        }
    };
    &mut years[i].1
}

/// The running sums of one measure. Amounts have two decimals, so values are summed exactly
/// as integer cents; only covered shares below 1 need a decimal remainder.
#[derive(Debug, Clone, Default)]
struct Acc {
    purchases: u64,
    value_cents: i128,
    count: u64,
    covered_cents: i128,
    covered_partial: Decimal,
    unknown: u64,
}

impl Acc {
    /// Adds a purchase of `cents` (without branching on whether it counts: which purchases
    /// count follows no pattern the processor could predict).
    fn add(&mut self, c: &Contribution, cents: i128) {
        self.purchases += 1;
        self.value_cents += cents;
        self.count += u64::from(c.counts);
        match c.partial {
            None => self.covered_cents += if c.counts { cents } else { 0 },
            Some(v) => self.covered_partial += v,
        }
        self.unknown += u64::from(c.unknown);
    }

    fn merge(&mut self, o: &Acc) {
        self.purchases += o.purchases;
        self.value_cents += o.value_cents;
        self.count += o.count;
        self.covered_cents += o.covered_cents;
        self.covered_partial += o.covered_partial;
        self.unknown += o.unknown;
    }

    fn measure(&self) -> Measure {
        let cents = |c: i128| {
            // Sums of amounts below 1e14 € each stay far inside Decimal's 96-bit range for any
            // realistic count of purchases; saturate rather than panic beyond it.
            Decimal::try_from_i128_with_scale(c, 2).unwrap_or(Decimal::MAX)
        };
        Measure {
            purchases: self.purchases,
            value: cents(self.value_cents),
            count: self.count,
            covered_value: cents(self.covered_cents) + self.covered_partial,
            unknown: self.unknown,
        }
    }
}

/// What one purchase brings to one indicator, computed once per purchase and added to every
/// breakdown.
#[derive(Debug, Clone, Copy, Default)]
struct Contribution {
    in_scope: bool,
    counts: bool,
    /// Covered value when the covered share is below 1 (exact decimal).
    partial: Option<Decimal>,
    unknown: bool,
}

/// Accumulates purchases into measures, one per (indicator, year, breakdown, group).
///
/// Streaming: [`IndicatorEngine::add`] takes one purchase at a time and keeps only the
/// measures, so memory does not grow with the number of purchases.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, Coverage, Dimension, Indicator, IndicatorEngine, Instrument, Purchase};
///
/// let date = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
/// let clause = [Coverage::whole(Dimension::Social, Instrument::ExecutionClause)];
/// let mut a = Purchase::new(date, Amount::from_euros(300));
/// a.considerations = &clause;
/// let b = Purchase::new(date, Amount::from_euros(700));
///
/// let mut engine = IndicatorEngine::new(vec![Indicator::new("social", Dimension::Social)]);
/// engine.add(&a);
/// engine.add(&b);
/// let table = engine.finish();
/// let m = table.total("social", 2026).unwrap();
/// assert_eq!(m.count_share().unwrap().to_string(), "0.5");
/// assert_eq!(m.value_share().unwrap().to_string(), "0.3");
/// ```
#[derive(Debug, Clone)]
pub struct IndicatorEngine {
    indicators: Vec<Indicator>,
    breakdowns: Vec<GroupBy>,
    // breakdown index -> (year, group) -> one accumulator per indicator
    acc: Vec<YearMap>,
    contributions: Vec<Contribution>,
    /// Per indicator, whether its filter takes every purchase (tested once, not per purchase).
    everything: Vec<bool>,
    /// Per indicator, the (dimension, instrument) pairs it counts ([`pair_bit`]).
    counted: Vec<u32>,
    buf: String,
}

/// The bit of a (dimension, instrument) pair in a set of pairs (18 of them).
fn pair_bit(d: Dimension, i: Instrument) -> u32 {
    1 << (d as u32 * Instrument::ALL.len() as u32 + i as u32)
}

/// Per indicator, the set of (dimension, instrument) pairs whose consideration counts for it.
fn counted_pairs(indicators: &[Indicator]) -> Vec<u32> {
    indicators
        .iter()
        .map(|ind| {
            Instrument::ALL
                .iter()
                .filter(|&&i| instrument_counts(ind.dimension, &ind.instruments, i))
                .fold(0, |set, &i| set | pair_bit(ind.dimension, i))
        })
        .collect()
}

/// The (dimension, instrument) pairs of a purchase's considerations when each covers the whole
/// purchase (the usual case: then an indicator counts the purchase whole when one of its
/// pairs is there, else not at all); `None` when one covers a part.
fn whole_pairs(p: &Purchase<'_>) -> Option<u32> {
    p.considerations.iter().try_fold(0, |set, c| {
        is_one(c.share.as_decimal()).then(|| set | pair_bit(c.dimension, c.instrument))
    })
}

impl IndicatorEngine {
    /// An engine computing `indicators` per year (add breakdowns with [`IndicatorEngine::by`]).
    pub fn new(indicators: Vec<Indicator>) -> IndicatorEngine {
        let n = indicators.len();
        IndicatorEngine {
            breakdowns: vec![GroupBy::Total],
            acc: vec![YearMap::new()],
            contributions: vec![Contribution::default(); n],
            everything: everything(&indicators),
            counted: counted_pairs(&indicators),
            indicators,
            buf: String::new(),
        }
    }

    /// Adds a breakdown (each breakdown gives its own rows, beside the yearly totals).
    pub fn by(mut self, group_by: GroupBy) -> IndicatorEngine {
        if !self.breakdowns.contains(&group_by) {
            self.breakdowns.push(group_by);
            self.acc.push(YearMap::new());
        }
        self
    }

    /// The indicators, in order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Adds one purchase.
    pub fn add(&mut self, p: &Purchase<'_>) {
        let year = p.year();
        let amount = p.amount.as_decimal();
        // Amounts have two decimals (`Amount` invariant): the mantissa is in cents.
        let cents = if amount.scale() == 2 {
            amount.mantissa()
        } else {
            let mut a = amount;
            a.rescale(2);
            a.mantissa()
        };
        let mut any = false;
        let whole = whole_pairs(p);
        for (((ind, c), &all), &counted) in self
            .indicators
            .iter()
            .zip(self.contributions.iter_mut())
            .zip(&self.everything)
            .zip(&self.counted)
        {
            if all || ind.filter.matches(p) {
                // what `covered_share` gives, told without summing shares when each
                // consideration covers the whole purchase
                let (counts, partial) = match whole {
                    Some(pairs) => (
                        (ind.dimension == Dimension::Innovation && p.innovative)
                            || pairs & counted != 0,
                        None,
                    ),
                    None => {
                        let covered = ind.covered_share(p);
                        (
                            !covered.is_zero(),
                            (!covered.is_zero() && !is_one(covered)).then(|| amount * covered),
                        )
                    }
                };
                *c = Contribution {
                    in_scope: true,
                    counts,
                    partial,
                    unknown: p.unknown.contains(ind.dimension),
                };
                any = true;
            } else {
                c.in_scope = false;
            }
        }
        let n = self.indicators.len();
        for (bi, gb) in self.breakdowns.iter().enumerate() {
            let mut buf = std::mem::take(&mut self.buf);
            let key = gb.key(p, &mut buf);
            let accs = year_entry(&mut self.acc[bi], year).get_or_insert(key, n);
            if any {
                for (a, c) in accs.iter_mut().zip(&self.contributions) {
                    if c.in_scope {
                        a.add(c, cents);
                    }
                }
            }
            self.buf = buf;
        }
    }

    /// Adds every purchase of an iterator.
    pub fn extend<'p>(&mut self, purchases: impl IntoIterator<Item = Purchase<'p>>) {
        for p in purchases {
            self.add(&p);
        }
    }

    /// An engine with the same indicators and breakdowns and no purchase yet (to accumulate a
    /// part elsewhere, then [`IndicatorEngine::merge`] it).
    pub fn empty_like(&self) -> IndicatorEngine {
        IndicatorEngine {
            indicators: self.indicators.clone(),
            breakdowns: self.breakdowns.clone(),
            acc: vec![YearMap::new(); self.acc.len()],
            contributions: vec![Contribution::default(); self.indicators.len()],
            everything: self.everything.clone(),
            counted: self.counted.clone(),
            buf: String::new(),
        }
    }

    /// Adds the measures of another engine built with the same indicators and breakdowns
    /// (for parallel or chunked accumulation).
    pub fn merge(&mut self, other: IndicatorEngine) {
        let n = self.indicators.len();
        for (bi, years) in other.acc.into_iter().enumerate() {
            let Some(mine) = self.acc.get_mut(bi) else {
                continue;
            };
            for (year, groups) in years {
                let dst = year_entry(mine, year);
                for (g, ms) in groups.iter() {
                    let d = dst.get_or_insert(g, n);
                    for (a, b) in d.iter_mut().zip(ms.iter()) {
                        a.merge(b);
                    }
                }
            }
        }
    }

    /// The rows, sorted by indicator id, year, breakdown and group key. Groups with no purchase
    /// in an indicator's scope are still listed (with a zero denominator) so that every year of
    /// every indicator is present.
    pub fn finish(self) -> IndicatorTable {
        let mut rows = Vec::new();
        for (ii, ind) in self.indicators.iter().enumerate() {
            for (bi, gb) in self.breakdowns.iter().enumerate() {
                for (year, groups) in &self.acc[bi] {
                    for (g, ms) in groups.iter() {
                        rows.push(IndicatorRow {
                            indicator: ind.id.clone(),
                            year: *year,
                            group_by: *gb,
                            group: g.to_string(),
                            measure: ms[ii].measure(),
                        });
                    }
                }
            }
        }
        rows.sort_by(|a, b| row_key(a).cmp(&row_key(b)));
        IndicatorTable { rows }
    }
}

fn row_key(r: &IndicatorRow) -> (&str, i32, GroupBy, &str) {
    (&r.indicator, r.year, r.group_by, &r.group)
}

#[cfg(test)]
mod tests {
    use super::is_one;
    use rust_decimal::Decimal;

    #[test]
    fn one_is_told_whatever_its_writing() {
        assert!(is_one(Decimal::ONE));
        assert!(is_one(Decimal::new(1, 0)));
        assert!(is_one(Decimal::new(100, 2)));
        assert!(!is_one(Decimal::ZERO));
        assert!(!is_one(Decimal::new(-1, 0)));
        assert!(!is_one(Decimal::new(1, 1)));
        assert!(!is_one(Decimal::new(2, 0)));
        assert!(!is_one(Decimal::new(101, 2)));
    }
}
