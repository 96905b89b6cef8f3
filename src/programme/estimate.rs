//! Value estimation (R2121-1 to R2121-7) and the procedure of every line.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::{NoCompetitionCase, threshold_column};
pub use crate::law::procedure::Procedure;
use crate::law::rulebook::{Rulebook, ThresholdEntry};
use crate::programme::model::{IntermediaryKind, PlanLine, Programme};
use crate::util::shared::{SharedSlice, SharedStr};
use crate::values::buyer_kind::BuyerKind;
use crate::values::confidence::Confidence;
use crate::values::money::Amount;
use crate::values::nature::Nature;

/// How a group of lines was formed (R2121-1 to R2121-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupKind {
    /// Supplies or services of one homogeneous family launched in one calendar year.
    Family,
    /// Works of one operation.
    Operation,
    /// A line without family (supplies, services) or operation (works), or bought through an
    /// intermediary: it stands alone.
    Alone,
    /// The lots of one allotted consultation ([`PlanLine::lot`](crate::PlanLine::lot)): valued
    /// together (R2121-1: all lots), never a splitting risk.
    Consultation,
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// The line alone is below a threshold that its group reaches: splitting the group's
    /// purchases to stay below it would be unlawful (R2121-1).
    SplittingRisk,
    /// The rulebook has no threshold for the line's launch date: the exemption it would give is
    /// not granted, and the formal procedure is retained when the EU threshold is unknown.
    ThresholdUnknown,
    /// A line of social and other specific services (R2123-1 3°) whose group reaches the EU
    /// publication threshold of those services: the adapted procedure stays open, with a
    /// notice at EU level.
    EuPublication,
    /// The EU threshold of the launch date is not published yet: the last known value is
    /// carried forward as an estimate (confidence `?`, never a rule; FACTS §14).
    ThresholdEstimated,
    /// The no-competition case recorded on the line does not fit its nature or its buyer (e.g.
    /// additional deliveries for works): it is not applied.
    CaseDoesNotFit,
    /// A lot below a small-lot threshold that does not fit within the 20 % cap of the small
    /// lots of its consultation (R2123-1 2° b): it follows the consultation's procedure.
    SmallLotCap,
}

/// A warning on a line's estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateWarning {
    /// What it is about.
    pub kind: WarningKind,
    /// The threshold concerned, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Amount>,
    /// The article of the threshold, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) article: Option<SharedStr>,
    /// A sentence naming the line, the threshold, the group and its lines (the messages of
    /// an estimation share one buffer).
    pub(crate) message: SharedStr,
    /// Which threshold a splitting risk crosses or an unknown threshold misses (serialized
    /// as `about`: `no_competition`, `innovative`, `eu`, `specific_publication`).
    #[serde(default, rename = "about", skip_serializing_if = "Option::is_none")]
    pub(crate) which: Option<Which>,
}

/// The threshold a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Which {
    /// The no-competition exemption threshold (R2122-8).
    NoCompetition,
    /// The innovative-purchase threshold (R2122-9-1).
    Innovative,
    /// The EU threshold of the formal procedure.
    Eu,
    /// The EU publication threshold of social and other specific services.
    SpecificPublication,
}

/// The estimate and procedure of one line.
///
/// Its strings are read through accessors ([`LineEstimate::line_id`], …) and serialized as
/// plain strings; inside, the line ids of an estimation share one buffer, its group keys
/// another, and every line decided by the same article shares its legal basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineEstimate {
    /// The line's id.
    pub(crate) line_id: SharedStr,
    /// The key of the line's group (see [`Estimation`] for the format).
    pub(crate) group_key: SharedStr,
    /// The group's value HT: what decides the procedure.
    pub group_value: Amount,
    /// The procedure.
    pub procedure: Procedure,
    /// The article that makes it the procedure (the one of the deciding threshold).
    pub(crate) legal_basis: SharedStr,
    /// The threshold that decided: the exemption threshold the group value is below (no
    /// competition), or the EU threshold it is below (adapted) or reaches (formal); `None`
    /// when the EU threshold is unknown on the launch date and the formal procedure is assumed.
    pub threshold: Option<Amount>,
    /// The confidence of the deciding threshold ([`Confidence::Unknown`] without threshold).
    pub confidence: Confidence,
    /// Warnings (splitting risk…); the warnings of an estimation share one buffer.
    #[serde(default, skip_serializing_if = "SharedSlice::is_empty")]
    pub(crate) warnings: SharedSlice<EstimateWarning>,
}

/// A group of lines whose values add up (R2121-1 to R2121-7).
///
/// Its key and line ids are shared with its lines' [`LineEstimate`]s (one buffer for the line
/// ids of all groups); serialized with `line_ids` as a sequence of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEstimate {
    /// The key (see [`Estimation`]).
    pub(crate) key: SharedStr,
    /// How the group was formed.
    pub kind: GroupKind,
    /// The nature of its lines.
    pub nature: Nature,
    /// The calendar year of the launch dates, for families.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The sum of its lines' amounts.
    pub value: Amount,
    /// Its lines, in programme order.
    pub(crate) line_ids: SharedSlice<SharedStr>,
}

impl EstimateWarning {
    /// The article of the threshold, when known.
    pub fn article(&self) -> Option<&str> {
        self.article.as_deref()
    }

    /// A sentence naming the line, the threshold, the group and its lines.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl LineEstimate {
    /// The line's id.
    pub fn line_id(&self) -> &str {
        &self.line_id
    }

    /// The key of the line's group (see [`Estimation`] for the format).
    pub fn group_key(&self) -> &str {
        &self.group_key
    }

    /// The article that makes it the procedure (the one of the deciding threshold).
    pub fn legal_basis(&self) -> &str {
        &self.legal_basis
    }

    /// Warnings (splitting risk…).
    pub fn warnings(&self) -> &[EstimateWarning] {
        &self.warnings
    }
}

impl GroupEstimate {
    /// The key (see [`Estimation`]).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Its lines' ids, in programme order.
    pub fn line_ids(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone {
        self.line_ids.iter().map(|id| &**id)
    }
}

/// The value estimation of a programme: one [`LineEstimate`] per line (in programme order) and
/// one [`GroupEstimate`] per group (in order of first appearance).
///
/// Group keys are strings:
/// - `supplies:FAMILY:YEAR` / `services:FAMILY:YEAR` for supplies or services of family
///   `FAMILY` launched in calendar year `YEAR` (R2121-6: homogeneous supplies or services);
///   supplies and services never share a group;
/// - `works:OPERATION` for works of operation `OPERATION` (R2121-5: one works operation);
/// - `line:ID` for a line that stands alone (supplies or services without family, works
///   without operation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Estimation {
    /// One estimate per line, in programme order.
    pub lines: Vec<LineEstimate>,
    /// The groups, in order of first appearance in the programme.
    pub groups: Vec<GroupEstimate>,
}

impl Estimation {
    /// The estimate of line `id` (a linear search; index [`Estimation::lines`] by the line's
    /// position in the programme for bulk access).
    pub fn line(&self, id: &str) -> Option<&LineEstimate> {
        self.lines.iter().find(|l| l.line_id == id)
    }

    /// The group with key `key`.
    pub fn group(&self, key: &str) -> Option<&GroupEstimate> {
        self.groups.iter().find(|g| g.key == key)
    }
}

/// A small, fast, non-cryptographic hasher (the scheme of rustc-hash 2) for the grouping map: keys
/// come from the caller's own programme, so hash flooding is not a concern.
#[derive(Default)]
struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_i32(&mut self, i: i32) {
        self.add(u64::from(i as u32));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (which pick the bucket) poorly mixed: bring the
        // well-mixed high bits down, as rustc-hash 2 does.
        self.0.rotate_left(26)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GroupId<'a> {
    Family(Nature, &'a str, i32),
    Operation(&'a str),
    Alone(&'a str),
    Consultation(&'a str),
}

impl GroupId<'_> {
    fn of(line: &PlanLine) -> GroupId<'_> {
        if line.intermediary.is_some() {
            // bought through a central purchasing body or a group: not the buyer's procedure
            return GroupId::Alone(&line.id);
        }
        if let Some(lot) = &line.lot {
            return GroupId::Consultation(&lot.consultation);
        }
        match (
            line.nature,
            line.family.as_deref(),
            line.operation.as_deref(),
        ) {
            (Nature::Works, _, Some(op)) => GroupId::Operation(op),
            (Nature::Supplies | Nature::Services, Some(f), _) => {
                GroupId::Family(line.nature, f, line.launch_date.year())
            }
            _ => GroupId::Alone(&line.id),
        }
    }

    /// The family, operation, consultation or line id.
    fn text(&self) -> &str {
        match self {
            GroupId::Family(_, f, _) => f,
            GroupId::Operation(op) => op,
            GroupId::Alone(id) => id,
            GroupId::Consultation(c) => c,
        }
    }

    /// The key (see [`Estimation`]).
    fn key(&self) -> String {
        let mut key = String::new();
        self.append_key(&mut key);
        key
    }

    /// Appends the key to `out`. Built by hand rather than with `format!`: one key per group,
    /// on the hot path.
    fn append_key(&self, out: &mut String) {
        let (prefix, text) = match self {
            GroupId::Family(n, f, _) => (n.as_str(), *f),
            GroupId::Operation(op) => ("works", *op),
            GroupId::Alone(id) => ("line", *id),
            GroupId::Consultation(c) => ("lots", *c),
        };
        out.push_str(prefix);
        out.push(':');
        out.push_str(text);
        if let GroupId::Family(_, _, year) = self {
            out.push(':');
            push_year(out, *year);
        }
    }
}

/// Options of [`Programme::estimate_with`].
///
/// ```
/// use spaser::EstimateOptions;
/// let strict = EstimateOptions::default().strict(true);
/// assert!(strict.is_strict());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EstimateOptions {
    strict: bool,
    require_rules: bool,
}

impl EstimateOptions {
    /// When `true`, no threshold is ever estimated: a launch date after the last EU thresholds
    /// the rulebook knows gets the lawful fallback — the formal procedure, whatever the value —
    /// with a [`WarningKind::ThresholdUnknown`] warning. When `false` (the default), the last
    /// known EU threshold is carried forward as an **estimate** (confidence `?`, a
    /// [`WarningKind::ThresholdEstimated`] warning naming the assumption; FACTS §14).
    pub fn strict(mut self, strict: bool) -> EstimateOptions {
        self.strict = strict;
        self
    }

    /// Whether thresholds are never estimated.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// When `true`, a launch date for which the rulebook lacks a threshold that the decision
    /// needs (one the group value is not already below an exemption of) is an error
    /// ([`ErrorKind::NoRule`]) rather than a lawful fallback with a warning; no threshold is
    /// estimated either.
    pub fn require_rules(mut self, require: bool) -> EstimateOptions {
        self.require_rules = require;
        self
    }

    /// Whether missing thresholds are errors.
    pub fn requires_rules(&self) -> bool {
        self.require_rules
    }
}

/// Which threshold a lookup missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    NoCompetition,
    Innovative,
    Eu,
}

/// The last no-competition and EU entries found, per nature (indexed by `Nature as usize`).
struct Memo<'r> {
    last: [Option<(BuyerKind, &'r ThresholdEntry, &'r ThresholdEntry)>; 3],
}

/// Appends a year (any `i32`) in decimal.
fn push_year(out: &mut String, year: i32) {
    if year < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 10];
    let mut v = year.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The thresholds in force for one line (`None` when the rulebook does not know them).
struct Thresholds<'r> {
    no_competition: Option<&'r ThresholdEntry>,
    innovative: Option<&'r ThresholdEntry>,
    /// Innovative purchases of a defence or security contract (R2322-16).
    defence_innovative: Option<&'r ThresholdEntry>,
    /// An exemption defined by the purchase's object (R2122-9 non-school books).
    object: Option<&'r ThresholdEntry>,
    eu: Option<&'r ThresholdEntry>,
    /// Whether `eu` is the last known value carried forward as an estimate.
    eu_estimated: bool,
    /// Social and other specific services (R2123-1 3°): adapted whatever the value above the
    /// no-competition threshold.
    specific_services: bool,
    /// Their EU publication threshold, when the rulebook knows it on the date.
    publication: Option<&'r ThresholdEntry>,
    /// Errors of the lookups that failed, kept for warnings.
    missing: Vec<(Missing, Error)>,
}

impl<'r> Thresholds<'r> {
    fn lookup(
        rules: &'r Rulebook,
        buyer: BuyerKind,
        line: &PlanLine,
        memo: &mut Memo<'r>,
        estimate: bool,
    ) -> Thresholds<'r> {
        let date: NaiveDate = line.launch_date;
        let kind = threshold_column(buyer, line.defence_security);
        // exemptions by object are defined by CPV: a line without one has none
        let object = match line.cpv {
            Some(_) if !rules.object_exemptions.is_empty() => {
                rules.object_exemption(line.nature, line.cpv, date)
            }
            _ => None,
        };
        let slot = &mut memo.last[line.nature as usize];
        // Fast path: entries do not overlap (the rulebook is validated), so the entries found
        // for the previous line of this nature and column still apply when their periods
        // contain the date.
        if let Some((k, nc, eu)) = *slot {
            if k == kind
                && nc.period.contains(date)
                && eu.period.contains(date)
                && !line.innovative
                && !line.specific_services
            {
                return Thresholds {
                    no_competition: Some(nc),
                    innovative: None,
                    defence_innovative: None,
                    object,
                    eu: Some(eu),
                    eu_estimated: false,
                    specific_services: false,
                    publication: None,
                    missing: Vec::new(),
                };
            }
        }
        let mut missing = Vec::new();
        let mut keep = |which: Missing, r: Result<&'r ThresholdEntry>| match r {
            Ok(e) => Some(e),
            Err(e) => {
                missing.push((which, e));
                None
            }
        };
        let no_competition = keep(
            Missing::NoCompetition,
            rules.no_competition_threshold(line.nature, date),
        );
        let innovative = if line.innovative && rules.innovative_in_force(date) {
            keep(
                Missing::Innovative,
                rules.innovative_threshold(line.nature, date),
            )
        } else {
            None
        };
        // R2322-16 exists from its first entry; before, nothing is missing
        let defence_innovative = if line.innovative && line.defence_security {
            rules.defence_innovative_threshold(line.nature, date).ok()
        } else {
            None
        };
        let (eu, eu_estimated) = if estimate {
            match rules.eu_threshold_or_estimate(kind, line.nature, date) {
                Ok(d) => (Some(d.entry), d.estimated),
                Err(e) => {
                    missing.push((Missing::Eu, e));
                    (None, false)
                }
            }
        } else {
            (
                keep(Missing::Eu, rules.eu_threshold(kind, line.nature, date)),
                false,
            )
        };
        if let (Some(nc), Some(eu), false) = (no_competition, eu, eu_estimated) {
            *slot = Some((kind, nc, eu));
        }
        // Informative only (the procedure stays adapted): an unknown one is not an error.
        let publication = if line.specific_services {
            rules.specific_services_threshold(kind, date).ok()
        } else {
            None
        };
        Thresholds {
            no_competition,
            innovative,
            defence_innovative,
            object,
            eu,
            eu_estimated,
            specific_services: line.specific_services,
            publication,
            missing,
        }
    }

    /// The procedure for `value` and the entry that decided it (`None` when the EU threshold
    /// is unknown and the formal procedure is assumed).
    fn decide(&self, value: Amount) -> (Procedure, Option<&'r ThresholdEntry>) {
        if let Some(nc) = self.no_competition {
            if less(value, nc.value) {
                return (Procedure::NoCompetition, Some(nc));
            }
        }
        // the rarer exemptions (innovative, R2322-16, by object), in that order
        for e in [self.innovative, self.defence_innovative, self.object]
            .into_iter()
            .flatten()
        {
            if less(value, e.value) {
                return (Procedure::NoCompetition, Some(e));
            }
        }
        if self.specific_services {
            // R2123-1 3°: adapted whatever the value (a rule, not a threshold)
            return (Procedure::Adapted, None);
        }
        match self.eu {
            Some(eu) if !less(value, eu.value) => (Procedure::Formal, Some(eu)),
            Some(eu) => (Procedure::Adapted, Some(eu)),
            None => (Procedure::Formal, None),
        }
    }
}

/// `a < b`. Amounts carry two decimals: with equal scales the mantissas compare like the values,
/// which spares the general decimal comparison (a function call and a rescale) on the hot path.
#[inline]
fn less(a: Amount, b: Amount) -> bool {
    let (x, y) = (a.as_decimal(), b.as_decimal());
    if x.scale() == y.scale() {
        x.mantissa() < y.mantissa()
    } else {
        a < b
    }
}

/// At most this many line ids are named in a warning message.
const NAMED_LINES: usize = 10;

impl Programme {
    /// Estimates the value of every group of lines and decides each line's procedure with the
    /// thresholds in force on its launch date (default [`EstimateOptions`]).
    ///
    /// Grouping (R2121-1 to R2121-7): supplies and services add up per (nature, family key,
    /// calendar year of the launch date); works add up per operation key; the lots of one
    /// allotted consultation ([`PlanLine::lot`](crate::PlanLine::lot)) add up per consultation
    /// (all lots, R2121-1) and are never a splitting risk; a line without family (supplies,
    /// services) or operation (works), or bought through an intermediary, stands alone.
    ///
    /// The procedure of a line is decided on its **group's** value, with the EU column of the
    /// line — the defence and security column for a defence or security contract by its object
    /// ([`PlanLine::defence_security`](crate::PlanLine::defence_security), L1113-1), the
    /// buyer's own otherwise: no competition when strictly below the exemption threshold
    /// (R2122-8), the innovative-purchase threshold for an innovative line (R2122-9-1; R2322-16
    /// for an innovative defence or security contract), or an exemption defined by the object
    /// (R2122-9, non-school books); formal at or above the EU threshold (L2124-1); adapted in
    /// between (R2123-1 1°). A line of social and other specific services
    /// ([`PlanLine::specific_services`](crate::PlanLine::specific_services)) not exempted gets
    /// the adapted procedure whatever its group's value (R2123-1 3°), with a
    /// [`WarningKind::EuPublication`] warning from their EU publication threshold.
    ///
    /// Decided by the line, whatever the value: a no-competition case it records
    /// ([`PlanLine::no_competition`](crate::PlanLine::no_competition), R2122-1 to R2122-11,
    /// its article as the legal basis; a [`WarningKind::CaseDoesNotFit`] warning when the case
    /// does not fit the nature or the buyer), and a purchase through a central purchasing body
    /// or a purchasing group ([`Procedure::Intermediary`], L2113-4, L2113-6 to L2113-8).
    ///
    /// Small lots (R2123-1 2°, R2122-8 lots, R2122-9-1 lots): a lot of a consultation whose
    /// procedure is not already without competition takes a lighter procedure when its value is
    /// below a small-lot threshold and the lots so treated stay within 20 % of the total value of
    /// all lots (taken by lot number); a lot beyond the cap carries a
    /// [`WarningKind::SmallLotCap`] warning.
    ///
    /// When a line alone would get a lighter procedure than its group (family or operation),
    /// each threshold it crosses gives a splitting-risk warning naming the group's lines.
    ///
    /// A threshold the rulebook does not know on the launch date is never presented as a rule:
    /// an EU threshold not yet published (after the last period the rulebook knows) is carried
    /// forward from the last known value as an **estimate**, confidence `?`, with a
    /// [`WarningKind::ThresholdEstimated`] warning (FACTS §14); any other unknown threshold —
    /// or every one with [`EstimateOptions::strict`] — gives the lawful fallback: the exemption
    /// it would give is not granted and, when the EU threshold is the unknown one, the formal
    /// procedure — lawful whatever the value — is retained with no threshold and
    /// [`Confidence::Unknown`]; the line carries a [`WarningKind::ThresholdUnknown`] warning
    /// naming the date. [`EstimateOptions::require_rules`] makes it an error instead.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when a group's value overflows, or when the programme is too
    /// large to estimate at once (more than 536,870,911 lines, or line ids, group keys or warning
    /// messages beyond 4 GiB).
    ///
    /// ```
    /// use spaser::{Procedure, Programme, Rulebook};
    /// let estimation = Programme::sample().estimate(Rulebook::embedded())?;
    /// let line = estimation.line("T27-04").unwrap();
    /// // 85,000 of works, but part of an operation worth more than the EU threshold
    /// assert_eq!(line.procedure, Procedure::Formal);
    /// assert!(!line.warnings().is_empty());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn estimate(&self, rules: &Rulebook) -> Result<Estimation> {
        self.estimate_with(rules, &EstimateOptions::default())
    }

    /// [`Programme::estimate`] with options.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] as for [`Programme::estimate`]; with
    /// [`EstimateOptions::require_rules`], [`ErrorKind::NoRule`] naming the first line whose
    /// launch date has no threshold in the rulebook.
    ///
    /// ```
    /// use spaser::{Confidence, ErrorKind, EstimateOptions, Procedure, Programme, Rulebook, WarningKind};
    /// // the sample plans lines in 2028, beyond the published EU thresholds (2026-2027)
    /// let rules = Rulebook::embedded();
    /// let estimated = Programme::sample().estimate(rules)?;
    /// assert!(estimated.lines.iter().any(|l| l.confidence == Confidence::Unknown
    ///     && l.warnings().iter().any(|w| w.kind == WarningKind::ThresholdEstimated)));
    /// let strict = Programme::sample().estimate_with(rules, &EstimateOptions::default().strict(true))?;
    /// assert!(strict.lines.iter().any(|l| l.procedure == Procedure::Formal && l.threshold.is_none()));
    /// let err = Programme::sample()
    ///     .estimate_with(rules, &EstimateOptions::default().require_rules(true))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NoRule);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn estimate_with(&self, rules: &Rulebook, options: &EstimateOptions) -> Result<Estimation> {
        let n = self.lines.len();
        if n > MAX_LINES {
            return Err(Error::new(
                ErrorKind::Overflow,
                format!("{n} lines: at most {MAX_LINES} can be estimated at once"),
            ));
        }
        // Pass 1: the group of every line and the running totals of every group. The table
        // gives a group index (groups numbered in order of first appearance); everything else
        // lives in vectors indexed by it. The line ids are copied into one buffer.
        let mut table = GroupTable::for_lines(n);
        // Room for the worst case (one group a line) up front: the vectors never move, and
        // large reservations cost nothing until written.
        let mut gids: Vec<GroupId<'_>> = Vec::with_capacity(n);
        let mut accs: Vec<Acc> = Vec::with_capacity(n);
        let mut line_group: Vec<u32> = Vec::with_capacity(n);
        // Whether each line decides its procedure by itself (an intermediary or a recorded
        // case): read here, where the line is in cache, rather than again in pass 2.
        let mut decides: Vec<bool> = Vec::with_capacity(n);
        // The next line of the same group (`NONE` for the last one).
        let mut next_in_group: Vec<u32> = vec![NONE; n];
        let mut ids = Buffer::with_capacity(n, reserve(n, 16));
        let mut keys = Buffer::with_capacity(n, reserve(n, 32));
        // Lines go by batches: the table slots (and, for a known group, its totals and key) of
        // a whole batch are read first, so that their cache misses overlap rather than follow
        // one another; `touched` keeps those reads from being optimised away.
        let mut hashes = [0u64; BATCH];
        let mut touched = 0u64;
        for (start, chunk) in (0u32..).step_by(BATCH).zip(self.lines.chunks(BATCH)) {
            for (h, line) in hashes.iter_mut().zip(chunk) {
                *h = GroupTable::hash(&GroupId::of(line));
                decides.push(line.intermediary.is_some() || line.no_competition.is_some());
            }
            for &h in &hashes[..chunk.len()] {
                touched = touched.wrapping_add(table.peek(h));
            }
            for &h in &hashes[..chunk.len()] {
                if let Some(g) = table.candidate(h) {
                    if let (Some(acc), Some(gid)) = (accs.get(g), gids.get(g)) {
                        touched =
                            touched
                                .wrapping_add(u64::from(acc.count))
                                .wrapping_add(u64::from(
                                    gid.text().as_bytes().first().copied().unwrap_or(0),
                                ));
                    }
                }
            }
            for ((i, line), &h) in (start..).zip(chunk).zip(&hashes) {
                ids.push(&line.id);
                let gid = GroupId::of(line);
                let fresh = gids.len() as u32; // at most n groups, n < u32::MAX (checked above)
                let g = table.find_or_insert(h, &gid, &gids, fresh);
                if g == fresh {
                    keys.push_with(|text| gid.append_key(text));
                    gids.push(gid);
                    accs.push(Acc {
                        value: line.amount,
                        count: 1,
                        first: i,
                        last: i,
                        nature: line.nature,
                        lots: matches!(gid, GroupId::Consultation(_)),
                    });
                } else {
                    let acc = &mut accs[g as usize];
                    acc.value = acc
                        .value
                        .checked_add(line.amount)
                        .map_err(|e| e.context(format!("group \"{}\"", gid.key())))?;
                    acc.count += 1;
                    acc.nature = line.nature;
                    next_in_group[acc.last as usize] = i;
                    acc.last = i;
                }
                line_group.push(g);
            }
        }
        std::hint::black_box(touched);
        drop(table);
        let ids = ids.finish("the line ids")?;

        // The groups, in order: keys in one buffer, line ids in one buffer ordered by group
        // (each group's chain of lines in turn).
        let keys = keys.finish("the group keys")?;
        let mut members: Vec<SharedStr> = Vec::with_capacity(n);
        for acc in &accs {
            let mut i = acc.first;
            while i != NONE {
                members.push(ids.get(i as usize));
                i = next_in_group[i as usize];
            }
        }
        let members = Arc::new(members);
        let mut groups: Vec<GroupEstimate> = Vec::with_capacity(gids.len());
        let mut offset = 0u32;
        for (g, (gid, acc)) in gids.iter().zip(&accs).enumerate() {
            let (kind, year, nature) = match *gid {
                GroupId::Family(nature, _, y) => (GroupKind::Family, Some(y), nature),
                GroupId::Operation(_) => (GroupKind::Operation, None, Nature::Works),
                // the nature of its (last) line
                GroupId::Alone(_) => (GroupKind::Alone, None, acc.nature),
                GroupId::Consultation(_) => (GroupKind::Consultation, None, acc.nature),
            };
            let end = offset + acc.count; // at most n < u32::MAX in all
            groups.push(GroupEstimate {
                key: keys.get(g),
                kind,
                nature,
                year,
                value: acc.value,
                line_ids: SharedSlice::slice_trusted(&members, offset..end),
            });
            offset = end;
        }
        drop(members);

        // The small lots of allotted consultations (rare: only lines that are lots).
        let estimate = !options.strict && !options.require_rules;
        let lots = if self.lines.iter().any(|l| l.lot.is_some()) {
            let mut lots = self.small_lots(rules, &gids, &accs, &next_in_group, estimate)?;
            lots.sort_unstable_by_key(|x| x.line);
            lots
        } else {
            Vec::new()
        };

        // Pass 2, in programme order: the procedure of every line.
        let kind = self.buyer.kind;
        let mut memo = Memo { last: [None; 3] };
        let mut bases = Bases::default();
        let mut lines = Vec::with_capacity(n);
        let mut warnings = Warnings::with_capacity(n);
        let none: SharedSlice<EstimateWarning> = SharedSlice::default();
        let mut touched = 0u64;
        for (i, (line, &g)) in self.lines.iter().zip(&line_group).enumerate() {
            if i % BATCH == 0 {
                // Read ahead the totals and key ends of the batch's groups, so that their
                // cache misses overlap (see pass 1).
                for &g in line_group.get(i..(i + BATCH).min(n)).unwrap_or_default() {
                    let g = g as usize;
                    if let (Some(acc), Some(end)) = (accs.get(g), keys.ends.get(g)) {
                        touched = touched.wrapping_add(u64::from(acc.count) ^ u64::from(*end));
                    }
                }
            }
            let first_warning = warnings.all.len();
            // The compact totals rather than the group itself: fewer cache misses.
            let acc = &accs[g as usize];
            // No procedure of the buyer's own, or a no-competition case it records: decided
            // by the line, whatever the value.
            let fixed = if decides.get(i).copied().unwrap_or(false) {
                fixed_procedure(line, kind)
            } else {
                None
            };
            if let Some(fixed) = fixed {
                match fixed {
                    Fixed::Decided(procedure, article, confidence) => {
                        lines.push(LineEstimate {
                            line_id: ids.get(i),
                            group_key: keys.get(g as usize),
                            group_value: acc.value,
                            procedure,
                            legal_basis: bases.fixed(article),
                            threshold: None,
                            confidence,
                            warnings: none.clone(),
                        });
                        warnings.end_line(i, first_warning);
                        continue;
                    }
                    Fixed::DoesNotFit(case) => {
                        warnings.push(WarningKind::CaseDoesNotFit, None, None, |text| {
                            // writing to a `String` cannot fail
                            let _ = write!(
                                text,
                                "the no-competition case {} ({}) does not fit a {} purchase of a {} buyer; the thresholds decide",
                                case,
                                case.article(),
                                line.nature,
                                kind
                            );
                        });
                    }
                }
            }
            let mut t = Thresholds::lookup(rules, kind, line, &mut memo, estimate);
            let (mut procedure, mut entry) = t.decide(acc.value);
            let mut lot_basis = None;
            // `lots` is sorted by line
            if let Some(lot) = lots
                .binary_search_by_key(&i, |x| x.line)
                .ok()
                .and_then(|k| lots.get(k))
            {
                match lot.outcome {
                    LotOutcome::Granted(p, e) => {
                        procedure = p;
                        entry = Some(e);
                        lot_basis = Some(e);
                    }
                    LotOutcome::OverCap(e) => {
                        warnings.push(WarningKind::SmallLotCap, Some(e.value), Some(bases.article(e)), |text| {
                            let _ = write!(
                                text,
                                "lot of {}: below the small-lot threshold {} ({}) but the small lots of the consultation would exceed the cap of its total value {}; it follows the consultation's procedure",
                                line.amount, e.value, e.article, acc.value
                            );
                        });
                    }
                }
            }
            let specific =
                t.specific_services && procedure == Procedure::Adapted && lot_basis.is_none();
            let legal_basis = match (procedure, entry) {
                (_, Some(e)) if lot_basis.is_some() => bases.article(e),
                (Procedure::Adapted, _) if specific => bases.specific(rules),
                (Procedure::Adapted, _) => bases.adapted(rules),
                (_, Some(e)) => bases.article(e),
                (_, None) => bases.formal(rules),
            };
            let estimated = t.eu_estimated
                && lot_basis.is_none()
                && entry.is_some_and(|e| t.eu.is_some_and(|eu| std::ptr::eq(e, eu)));
            if t.eu_estimated && procedure != Procedure::NoCompetition && !t.specific_services {
                if let Some(eu) = t.eu {
                    warnings.push(WarningKind::ThresholdEstimated, Some(eu.value), Some(bases.article(eu)), |text| {
                        let _ = write!(
                            text,
                            "threshold estimated: the EU threshold for {} is not published; the value {} of {} ({}) is carried forward as an estimate (?), not a rule; use strict options for the formal procedure",
                            line.launch_date, eu.value, eu.period, eu.article
                        );
                    });
                }
            }
            if specific {
                match t.publication {
                    Some(p) if !less(acc.value, p.value) => {
                        let article = bases.article(p);
                        warnings.push(
                            WarningKind::EuPublication,
                            Some(p.value),
                            Some(article),
                            |text| {
                                // writing to a `String` cannot fail
                                let _ = write!(
                                    text,
                                    "social and other specific services: the group's value {} reaches the EU publication threshold {} ({}, confidence {}); the adapted procedure stays open, with a notice at EU level",
                                    acc.value,
                                    p.value,
                                    p.article,
                                    p.confidence.as_str()
                                );
                            },
                        );
                    }
                    Some(_) => {}
                    None => {
                        warnings.push(WarningKind::ThresholdUnknown, None, None, |text| {
                            let _ = write!(
                                text,
                                "threshold unknown: the EU publication threshold of social and other specific services on {}; the adapted procedure stays open (R2123-1 3°); check the rulebook",
                                line.launch_date
                            );
                        });
                        warnings.about(Which::SpecificPublication);
                    }
                }
            }
            let missing = std::mem::take(&mut t.missing);
            for (which, e) in missing {
                // A missing figure matters only when the decision went past it.
                let mattered = match which {
                    Missing::NoCompetition => true,
                    Missing::Innovative => {
                        !(procedure == Procedure::NoCompetition
                            && entry.is_some_and(|x| {
                                t.no_competition.is_some_and(|nc| std::ptr::eq(x, nc))
                            }))
                    }
                    // specific services stay adapted whatever the EU threshold
                    Missing::Eu => procedure != Procedure::NoCompetition && !t.specific_services,
                };
                if !mattered {
                    continue;
                }
                if options.require_rules {
                    return Err(e.context(format!(
                        "line \"{}\" (launch date {})",
                        line.id, line.launch_date
                    )));
                }
                warnings.push(WarningKind::ThresholdUnknown, None, None, |text| {
                    // writing to a `String` cannot fail
                    let _ = write!(
                        text,
                        "threshold unknown: {e}; {}; check the rulebook",
                        match which {
                            Missing::Eu => "the formal procedure is retained, lawful at any value",
                            Missing::NoCompetition => "the no-competition exemption is not granted",
                            Missing::Innovative =>
                                "the innovative-purchase exemption is not granted",
                        }
                    );
                });
                warnings.about(match which {
                    Missing::Eu => Which::Eu,
                    Missing::NoCompetition => Which::NoCompetition,
                    Missing::Innovative => Which::Innovative,
                });
            }
            // lots of one consultation are allotted by design, not split
            if acc.count > 1 && !acc.lots {
                let (alone, _) = t.decide(line.amount);
                if alone != procedure {
                    let crossed = [
                        t.no_competition
                            .map(|e| ("no-competition", Which::NoCompetition, e)),
                        t.innovative
                            .map(|e| ("innovative-purchase", Which::Innovative, e)),
                        // the EU threshold does not change the procedure of specific services
                        t.eu.filter(|_| !t.specific_services)
                            .map(|e| ("EU", Which::Eu, e)),
                    ];
                    for (name, which, e) in crossed.into_iter().flatten() {
                        if less(line.amount, e.value) && !less(acc.value, e.value) {
                            warnings.push_splitting(i, g, name, e, bases.article(e));
                            warnings.about(which);
                        }
                    }
                }
            }
            lines.push(LineEstimate {
                line_id: ids.get(i),
                group_key: keys.get(g as usize),
                group_value: acc.value,
                procedure,
                legal_basis,
                threshold: entry.map(|e| e.value),
                // R2123-1 3° is a rule of the code (FACTS §6, V), not a dated figure; an
                // estimated threshold is never more than `?`
                confidence: match entry {
                    _ if estimated => Confidence::Unknown,
                    Some(e) => e.confidence,
                    None if specific => Confidence::V,
                    None => Confidence::Unknown,
                },
                warnings: none.clone(),
            });
            warnings.end_line(i, first_warning);
        }
        std::hint::black_box(touched);
        warnings.finish(&mut lines, &groups, &ids)?;
        Ok(Estimation { lines, groups })
    }
}

/// A procedure decided by the line itself rather than by thresholds.
enum Fixed {
    /// The procedure, its article and its confidence.
    Decided(Procedure, &'static str, Confidence),
    /// A recorded no-competition case that does not fit the line (the thresholds decide).
    DoesNotFit(NoCompetitionCase),
}

/// The procedure a line decides by itself: none of the buyer's own when an intermediary buys
/// (L2113-4 for a central purchasing body; L2113-6 to L2113-8 for a purchasing group, whose
/// coordinator runs the procedure), or no competition under the case it records (R2122-1 to
/// R2122-11), whatever the value — when the case fits the line's nature and buyer.
fn fixed_procedure(line: &PlanLine, buyer: BuyerKind) -> Option<Fixed> {
    if let Some(i) = &line.intermediary {
        let article = match i.kind {
            IntermediaryKind::CentralPurchasingBody => "L2113-4",
            IntermediaryKind::PurchasingGroup => "L2113-6 to L2113-8",
        };
        // the articles are the code's; not in the crate's verified facts
        return Some(Fixed::Decided(
            Procedure::Intermediary,
            article,
            Confidence::S,
        ));
    }
    let case = line.no_competition?;
    let fits_nature = case.natures().contains(&line.nature);
    let fits_buyer = match case.utilities_only() {
        Some(true) => buyer == BuyerKind::Utility,
        Some(false) => buyer != BuyerKind::Utility,
        None => true,
    };
    Some(if fits_nature && fits_buyer {
        Fixed::Decided(Procedure::NoCompetition, case.article(), case.confidence())
    } else {
        Fixed::DoesNotFit(case)
    })
}

/// The small-lot decision of one lot.
struct SmallLot<'r> {
    line: usize,
    outcome: LotOutcome<'r>,
}

enum LotOutcome<'r> {
    /// A lighter procedure under this threshold entry, within the cap.
    Granted(Procedure, &'r ThresholdEntry),
    /// Below this small-lot threshold, but beyond the cap.
    OverCap(&'r ThresholdEntry),
}

impl Programme {
    /// The small lots of every allotted consultation: a lot whose value is below a small-lot
    /// threshold takes the lighter procedure — without competition for an innovative lot
    /// (R2122-9-1) or a lot below the R2122-8 lot threshold, adapted below the R2123-1 2°
    /// threshold when the consultation is formal — as long as the lots so treated stay within
    /// the cap (20 % of the total value of all lots, R2123-1 2° b). Lots are taken in order of
    /// their number, then of the programme.
    fn small_lots<'r>(
        &self,
        rules: &'r Rulebook,
        gids: &[GroupId<'_>],
        accs: &[Acc],
        next: &[u32],
        estimate: bool,
    ) -> Result<Vec<SmallLot<'r>>> {
        let Some(cap) = rules.small_lots_cap else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (gid, acc) in gids.iter().zip(accs) {
            let GroupId::Consultation(key) = gid else {
                continue;
            };
            let cap_value = acc
                .value
                .as_decimal()
                .checked_mul(cap.as_decimal())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Overflow,
                        format!("consultation \"{key}\": the cap of small lots overflows"),
                    )
                })?;
            let mut members = Vec::with_capacity(acc.count as usize);
            let mut i = acc.first;
            while i != NONE {
                members.push(i as usize);
                i = next.get(i as usize).copied().unwrap_or(NONE);
            }
            members
                .sort_by_key(|&i| (self.lines[i].lot.as_ref().map_or(u32::MAX, |l| l.number), i));
            let mut used = rust_decimal::Decimal::ZERO;
            for i in members {
                let line = &self.lines[i];
                if line.no_competition.is_some() {
                    continue;
                }
                let mut memo = Memo { last: [None; 3] };
                let t = Thresholds::lookup(rules, self.buyer.kind, line, &mut memo, estimate);
                let (whole, _) = t.decide(acc.value);
                if whole == Procedure::NoCompetition {
                    continue;
                }
                let date = line.launch_date;
                let candidates = [
                    if line.innovative {
                        rules
                            .innovative_lot_threshold(line.nature, date)
                            .ok()
                            .map(|e| (Procedure::NoCompetition, e))
                    } else {
                        None
                    },
                    rules
                        .small_lot_no_competition_threshold(line.nature, date)
                        .ok()
                        .map(|e| (Procedure::NoCompetition, e)),
                    if whole == Procedure::Formal {
                        rules
                            .small_lot_threshold(line.nature, date)
                            .ok()
                            .map(|e| (Procedure::Adapted, e))
                    } else {
                        None
                    },
                ];
                let Some((procedure, entry)) = candidates
                    .into_iter()
                    .flatten()
                    .find(|(_, e)| less(line.amount, e.value))
                else {
                    continue;
                };
                let after = used.checked_add(line.amount.as_decimal()).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Overflow,
                        format!("consultation \"{key}\": the small lots overflow"),
                    )
                })?;
                if after <= cap_value {
                    used = after;
                    out.push(SmallLot {
                        line: i,
                        outcome: LotOutcome::Granted(procedure, entry),
                    });
                } else {
                    out.push(SmallLot {
                        line: i,
                        outcome: LotOutcome::OverCap(entry),
                    });
                }
            }
        }
        Ok(out)
    }
}

/// Lines per batch in the first pass.
const BATCH: usize = 16;

/// An open-addressing table from group ids to group indices (linear probing, at most half
/// full). A slot holds `tag << 32 | (g + 1)`, or 0 when empty; the tag is the high half of
/// the hash, so that most mismatches are told without reading the group id.
struct GroupTable {
    slots: Vec<u64>,
    mask: usize,
}

impl GroupTable {
    /// A table for the groups of `n` lines (at most `n` groups).
    fn for_lines(n: usize) -> GroupTable {
        let len = (n.max(8) * 2).next_power_of_two();
        GroupTable {
            slots: vec![0; len],
            mask: len - 1,
        }
    }

    fn hash(gid: &GroupId<'_>) -> u64 {
        let mut h = FxHasher::default();
        gid.hash(&mut h);
        h.finish()
    }

    fn home(&self, h: u64) -> usize {
        h as usize & self.mask
    }

    /// The home slot of hash `h` (read ahead of time).
    fn peek(&self, h: u64) -> u64 {
        self.slots[self.home(h)]
    }

    /// The group in the home slot of `h`, when its tag matches.
    fn candidate(&self, h: u64) -> Option<usize> {
        let s = self.peek(h);
        (s != 0 && s >> 32 == h >> 32).then(|| (s as u32 - 1) as usize)
    }

    /// The group of `gid` (hash `h`; `gids` lists the groups recorded so far), or `fresh`
    /// after recording `gid` as group `fresh`.
    fn find_or_insert(
        &mut self,
        h: u64,
        gid: &GroupId<'_>,
        gids: &[GroupId<'_>],
        fresh: u32,
    ) -> u32 {
        let tag = h >> 32;
        let mut pos = self.home(h);
        loop {
            let s = self.slots[pos];
            if s == 0 {
                self.slots[pos] = tag << 32 | u64::from(fresh + 1);
                return fresh;
            }
            if s >> 32 == tag {
                let g = s as u32 - 1;
                if gids.get(g as usize) == Some(gid) {
                    return g;
                }
            }
            pos = (pos + 1) & self.mask;
        }
    }
}

/// "No line": the end of a group's chain of lines.
const NONE: u32 = u32::MAX;

/// The running totals of a group during the first pass.
struct Acc {
    value: Amount,
    count: u32,
    /// Its first line and, so far, its last one.
    first: u32,
    last: u32,
    /// The nature of its last line.
    nature: Nature,
    /// Whether it holds the lots of one consultation (never a splitting risk).
    lots: bool,
}

/// The most lines estimated at once: group, line and warning indices (at most six warnings a
/// line) fit in a `u32`.
const MAX_LINES: usize = (u32::MAX / 8) as usize;

/// Bytes to reserve for `n` strings of about `each` bytes: a guess, capped at 1 GiB (a buffer
/// grows beyond when needed).
fn reserve(n: usize, each: usize) -> usize {
    n.saturating_mul(each).min(1 << 30)
}

/// The error for a shared buffer beyond 4 GiB (its ranges are `u32`).
fn too_long(what: &str) -> Error {
    Error::new(
        ErrorKind::Overflow,
        format!("{what} take more than 4 GiB: estimate the programme in parts"),
    )
}

/// Strings written one after the other into one buffer, then shared as [`SharedStr`]s.
struct Buffer {
    text: String,
    /// The end of every string in `text` (the start of the first is 0).
    ends: Vec<u32>,
}

impl Buffer {
    fn with_capacity(strings: usize, bytes: usize) -> Buffer {
        Buffer {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(strings),
        }
    }

    fn push(&mut self, s: &str) {
        self.push_with(|text| text.push_str(s));
    }

    /// Pushes the string that `write` appends.
    fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        // beyond u32::MAX, `finish` fails
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    fn finish(self, what: &str) -> Result<Shared> {
        if self.text.len() >= u32::MAX as usize {
            return Err(too_long(what));
        }
        Ok(Shared {
            text: Arc::new(self.text),
            ends: self.ends,
        })
    }
}

/// A finished [`Buffer`].
struct Shared {
    text: Arc<String>,
    ends: Vec<u32>,
}

impl Shared {
    /// String `i`, borrowed.
    fn str(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text
            .get(start as usize..self.ends[i] as usize)
            .unwrap_or_default()
    }

    /// String `i` (`i` < the number of strings pushed; the ranges lie on the boundaries of
    /// the pushed strings, so the slice always exists).
    fn get(&self, i: usize) -> SharedStr {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        SharedStr::slice_trusted(&self.text, start..self.ends[i])
    }
}

/// The warnings of all lines, collected during the second pass into one vector, their
/// messages into one buffer; shared out to the lines at the end.
struct Warnings<'r> {
    /// The warnings, with an empty message for now.
    all: Vec<EstimateWarning>,
    text: String,
    /// The range of every warning's message in `text` (splitting risks: set at the end).
    messages: Vec<Range<u32>>,
    /// The splitting risks, whose messages are written at the end, group by group.
    splitting: Vec<Splitting<'r>>,
    /// The lines that have warnings: line, range in `all`.
    lines: Vec<(usize, Range<u32>)>,
    blank: SharedStr,
}

/// A splitting-risk warning whose message is still to be written.
struct Splitting<'r> {
    g: u32,
    /// Its index in [`Warnings::all`].
    w: usize,
    line: usize,
    name: &'static str,
    entry: &'r ThresholdEntry,
}

impl<'r> Warnings<'r> {
    /// Room for the warnings of `n` lines (typical programmes have about 0.3 a line; room
    /// beyond what is written costs nothing).
    fn with_capacity(n: usize) -> Warnings<'r> {
        let w = n / 2;
        Warnings {
            all: Vec::with_capacity(w),
            text: String::with_capacity(reserve(w, 256)),
            messages: Vec::with_capacity(w),
            splitting: Vec::with_capacity(w),
            lines: Vec::with_capacity(w),
            blank: SharedStr::default(),
        }
    }

    fn push(
        &mut self,
        kind: WarningKind,
        threshold: Option<Amount>,
        article: Option<SharedStr>,
        message: impl FnOnce(&mut String),
    ) {
        let start = self.text.len();
        message(&mut self.text);
        self.messages.push(text_range(start, self.text.len()));
        self.all.push(EstimateWarning {
            kind,
            threshold,
            article,
            message: self.blank.clone(),
            which: None,
        });
    }

    /// Says which threshold the last warning pushed is about.
    fn about(&mut self, which: Which) {
        if let Some(w) = self.all.last_mut() {
            w.which = Some(which);
        }
    }

    /// A splitting-risk warning: line `line` alone is below the `name` threshold `entry` that
    /// its group `g` reaches.
    fn push_splitting(
        &mut self,
        line: usize,
        g: u32,
        name: &'static str,
        entry: &'r ThresholdEntry,
        article: SharedStr,
    ) {
        self.splitting.push(Splitting {
            g,
            w: self.all.len(),
            line,
            name,
            entry,
        });
        self.push(
            WarningKind::SplittingRisk,
            Some(entry.value),
            Some(article),
            |_| {},
        );
    }

    /// Records that the warnings from `first` on belong to `line`.
    fn end_line(&mut self, line: usize, first: usize) {
        if self.all.len() > first {
            // at most six warnings a line, at most MAX_LINES lines
            self.lines.push((line, first as u32..self.all.len() as u32));
        }
    }

    /// Writes the splitting-risk messages, gives every warning its message and every line its
    /// warnings.
    ///
    /// The messages name the group's lines; the part after the line id is the same for every
    /// line of a group and threshold. They are written group by group (reading the groups in
    /// order rather than at random), each part once.
    fn finish(
        mut self,
        lines: &mut [LineEstimate],
        groups: &[GroupEstimate],
        ids: &Shared,
    ) -> Result<()> {
        self.splitting.sort_unstable_by_key(|s| (s.g, s.w));
        // The message tails of the current group, by threshold entry (the first `used`; the
        // strings are reused from group to group).
        let mut tails: Vec<(*const ThresholdEntry, String)> = Vec::new();
        let mut used = 0;
        // Thresholds as written in messages ("60000.00 (R2122-8)"), by entry.
        let mut thresholds: Vec<(*const ThresholdEntry, String)> = Vec::new();
        let mut current = None;
        let text = &mut self.text;
        let mut touched = 0u64;
        for (k, s) in self.splitting.iter().enumerate() {
            if k % BATCH == 0 {
                // Read ahead the line ids of the batch and of its groups (see pass 1).
                for s in self
                    .splitting
                    .get(k..(k + BATCH).min(self.splitting.len()))
                    .unwrap_or_default()
                {
                    touched = touched.wrapping_add(ids.str(s.line).len() as u64);
                    if let Some(group) = groups.get(s.g as usize) {
                        for id in group.line_ids.iter().take(2) {
                            touched = touched.wrapping_add(id.len() as u64);
                        }
                    }
                }
            }
            let Some(group) = groups.get(s.g as usize) else {
                continue;
            };
            if current != Some(s.g) {
                current = Some(s.g);
                used = 0;
            }
            let entry = std::ptr::from_ref(s.entry);
            let start = text.len();
            text.push_str("splitting risk: line \"");
            text.push_str(ids.str(s.line));
            match tails[..used].iter().find(|(e, _)| *e == entry) {
                Some((_, tail)) => text.push_str(tail),
                None => {
                    let threshold = match thresholds.iter().find(|(e, _)| *e == entry) {
                        Some((_, t)) => t,
                        None => {
                            let t = format!("{} ({})", s.entry.value, s.entry.article);
                            thresholds.push((entry, t));
                            &thresholds[thresholds.len() - 1].1
                        }
                    };
                    if used == tails.len() {
                        tails.push((entry, String::new()));
                    }
                    let (e, tail) = &mut tails[used];
                    *e = entry;
                    tail.clear();
                    write_tail(tail, s.name, threshold, group);
                    text.push_str(tail);
                    used += 1;
                }
            }
            if let Some(m) = self.messages.get_mut(s.w) {
                *m = text_range(start, text.len());
            }
        }
        std::hint::black_box(touched);
        if self.text.len() >= u32::MAX as usize {
            return Err(too_long("the warning messages"));
        }
        let text = Arc::new(self.text);
        for (w, range) in self.all.iter_mut().zip(self.messages) {
            w.message = SharedStr::slice_trusted(&text, range);
        }
        let all = Arc::new(self.all);
        for (line, range) in self.lines {
            if let Some(l) = lines.get_mut(line) {
                l.warnings = SharedSlice::slice_trusted(&all, range);
            }
        }
        Ok(())
    }
}

/// A range of message text (beyond `u32::MAX`, [`Warnings::finish`] fails).
fn text_range(start: usize, end: usize) -> Range<u32> {
    let cut = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    cut(start)..cut(end)
}

/// Legal bases, one shared string per article.
#[derive(Default)]
struct Bases<'r> {
    /// The articles of procedures a line decides by itself (no-competition cases,
    /// intermediaries).
    fixed: Vec<(&'static str, SharedStr)>,
    adapted: Option<SharedStr>,
    specific: Option<SharedStr>,
    formal: Option<SharedStr>,
    /// By threshold entry; a rulebook has few entries, a linear search is the fastest.
    articles: Vec<(&'r ThresholdEntry, SharedStr)>,
}

impl<'r> Bases<'r> {
    fn adapted(&mut self, rules: &Rulebook) -> SharedStr {
        self.adapted
            .get_or_insert_with(|| SharedStr::from(rules.procedure_articles.adapted.as_str()))
            .clone()
    }

    fn specific(&mut self, rules: &Rulebook) -> SharedStr {
        self.specific
            .get_or_insert_with(|| {
                SharedStr::from(rules.procedure_articles.specific_services.as_str())
            })
            .clone()
    }

    fn formal(&mut self, rules: &Rulebook) -> SharedStr {
        self.formal
            .get_or_insert_with(|| SharedStr::from(rules.procedure_articles.formal.as_str()))
            .clone()
    }

    fn fixed(&mut self, article: &'static str) -> SharedStr {
        if let Some((_, a)) = self.fixed.iter().find(|(x, _)| *x == article) {
            return a.clone();
        }
        let a = SharedStr::from(article);
        self.fixed.push((article, a.clone()));
        a
    }

    fn article(&mut self, entry: &'r ThresholdEntry) -> SharedStr {
        if let Some((_, a)) = self.articles.iter().find(|(e, _)| std::ptr::eq(*e, entry)) {
            return a.clone();
        }
        let a = SharedStr::from(entry.article.as_str());
        self.articles.push((entry, a.clone()));
        a
    }
}

/// Writes the part of a splitting-risk message after the line id: the threshold (`threshold`:
/// its value and article), the group and its lines (at most [`NAMED_LINES`] named).
fn write_tail(out: &mut String, name: &str, threshold: &str, group: &GroupEstimate) {
    out.push_str("\" alone is below the ");
    out.push_str(name);
    out.push_str(" threshold ");
    out.push_str(threshold);
    out.push_str(" that its group \"");
    out.push_str(&group.key);
    out.push_str("\" reaches (");
    // writing to a `String` cannot fail
    let _ = write!(out, "{}", group.value);
    out.push_str("); lines of the group: ");
    for (k, id) in group.line_ids.iter().take(NAMED_LINES).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(id);
    }
    let more = group.line_ids.len().saturating_sub(NAMED_LINES);
    if more > 0 {
        let _ = write!(out, " and {more} more");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn less_compares_amounts_like_their_values() {
        use rust_decimal::Decimal;
        let a = |m: i64, scale: u32| Amount::new(Decimal::new(m, scale)).unwrap();
        let cases = [
            (a(5999999, 2), a(60000, 0)),
            (a(6000000, 2), a(60000, 0)),
            (a(6000001, 2), a(60000, 0)),
            (a(0, 2), a(0, 0)),
            (Amount::from_cents(123), Amount::from_cents(124)),
            (Amount::from_euros(216_000), Amount::from_cents(21_600_000)),
        ];
        for (x, y) in cases {
            assert_eq!(less(x, y), x < y, "{x} < {y}");
            assert_eq!(less(y, x), y < x, "{y} < {x}");
        }
    }

    #[test]
    fn push_year_writes_any_year_like_display() {
        for y in [0, 7, 2026, -1, -262_143, 262_142, i32::MIN, i32::MAX] {
            let mut s = String::new();
            push_year(&mut s, y);
            assert_eq!(s, y.to_string());
        }
    }

    #[test]
    fn fx_hasher_spreads_low_bits() {
        // The bucket index comes from the low bits: keys differing only in their last word
        // must not collide there.
        let mut lows = std::collections::HashSet::new();
        for i in 0..1024u64 {
            let mut h = FxHasher::default();
            h.write_u64(42);
            h.write_u64(i);
            lows.insert(h.finish() & 0x3ff);
        }
        assert!(lows.len() > 600, "{}", lows.len()); // random: ~647
    }
}
