//! Value estimation (R2121-1 to R2121-7) and the procedure of every line.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::money::Amount;
use crate::nature::Nature;
use crate::programme::{BuyerKind, PlanLine, Programme};
use crate::rules::{Confidence, Rulebook, ThresholdEntry};

/// The procedure a purchase needs.
///
/// ```
/// use spaser::Procedure;
/// assert_eq!("no_competition".parse::<Procedure>()?, Procedure::NoCompetition);
/// assert_eq!(Procedure::Formal.to_string(), "formal");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Without publicity or competition (R2122-8, or R2122-9-1 for innovative purchases).
    NoCompetition,
    /// Adapted procedure (MAPA), below the EU thresholds (R2123-1).
    Adapted,
    /// Formal procedure, at or above the EU thresholds (L2124-1).
    Formal,
}

impl Procedure {
    /// All procedures, from the lightest.
    pub const ALL: [Procedure; 3] = [
        Procedure::NoCompetition,
        Procedure::Adapted,
        Procedure::Formal,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Procedure::NoCompetition => "no_competition",
            Procedure::Adapted => "adapted",
            Procedure::Formal => "formal",
        }
    }

    /// French label.
    pub fn label_fr(&self) -> &'static str {
        match self {
            Procedure::NoCompetition => "sans publicité ni mise en concurrence",
            Procedure::Adapted => "procédure adaptée",
            Procedure::Formal => "procédure formalisée",
        }
    }
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Procedure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Procedure> {
        let t = s.trim();
        Procedure::ALL
            .into_iter()
            .find(|p| p.as_str() == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "procedure \"{s}\" is unknown; accepted: no_competition, adapted, formal"
                    ),
                )
            })
    }
}

/// How a group of lines was formed (R2121-1 to R2121-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Supplies or services of one homogeneous family launched in one calendar year.
    Family,
    /// Works of one operation.
    Operation,
    /// A line without family (supplies, services) or operation (works): it stands alone.
    Alone,
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
    pub article: Option<String>,
    /// A sentence naming the line, the threshold, the group and its lines.
    pub message: String,
}

/// The estimate and procedure of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineEstimate {
    /// The line's id.
    pub line_id: String,
    /// The key of the line's group (see [`Estimation`] for the format).
    pub group_key: String,
    /// The group's value HT: what decides the procedure.
    pub group_value: Amount,
    /// The procedure.
    pub procedure: Procedure,
    /// The article that makes it the procedure (the one of the deciding threshold).
    pub legal_basis: String,
    /// The threshold that decided: the exemption threshold the group value is below (no
    /// competition), or the EU threshold it is below (adapted) or reaches (formal); `None`
    /// when the EU threshold is unknown on the launch date and the formal procedure is assumed.
    pub threshold: Option<Amount>,
    /// The confidence of the deciding threshold ([`Confidence::Unknown`] without threshold).
    pub confidence: Confidence,
    /// Warnings (splitting risk…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<EstimateWarning>,
}

/// A group of lines whose values add up (R2121-1 to R2121-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupEstimate {
    /// The key (see [`Estimation`]).
    pub key: String,
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
    pub line_ids: Vec<String>,
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
}

impl GroupId<'_> {
    fn of(line: &PlanLine) -> GroupId<'_> {
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

    fn key(&self) -> String {
        // Built by hand rather than with `format!`: one key per group, on the hot path.
        let (prefix, text) = match self {
            GroupId::Family(n, f, _) => (n.as_str(), *f),
            GroupId::Operation(op) => ("works", *op),
            GroupId::Alone(id) => ("line", *id),
        };
        let mut key = String::with_capacity(prefix.len() + text.len() + 7);
        key.push_str(prefix);
        key.push(':');
        key.push_str(text);
        if let GroupId::Family(_, _, year) = self {
            key.push(':');
            push_year(&mut key, *year);
        }
        key
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
}

impl EstimateOptions {
    /// When `true`, a launch date for which the rulebook lacks a threshold that the decision
    /// needs (one the group value is not already below an exemption of) is an error ([`ErrorKind::NoRule`]). When `false` (the default), the line gets the
    /// lightest procedure that is lawful whatever the missing figure (see
    /// [`Programme::estimate`]) and a [`WarningKind::ThresholdUnknown`] warning.
    pub fn strict(mut self, strict: bool) -> EstimateOptions {
        self.strict = strict;
        self
    }

    /// Whether missing thresholds are errors.
    pub fn is_strict(&self) -> bool {
        self.strict
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
    last: [Option<(&'r ThresholdEntry, &'r ThresholdEntry)>; 3],
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
    eu: Option<&'r ThresholdEntry>,
    /// Errors of the lookups that failed, kept for warnings.
    missing: Vec<(Missing, Error)>,
}

impl<'r> Thresholds<'r> {
    fn lookup(
        rules: &'r Rulebook,
        kind: BuyerKind,
        line: &PlanLine,
        memo: &mut Memo<'r>,
    ) -> Thresholds<'r> {
        let date: NaiveDate = line.launch_date;
        let slot = &mut memo.last[line.nature as usize];
        // Fast path: entries do not overlap (the rulebook is validated), so the entries found
        // for the previous line of this nature still apply when their periods contain the date.
        if let Some((nc, eu)) = *slot {
            if nc.period.contains(date) && eu.period.contains(date) && !line.innovative {
                return Thresholds {
                    no_competition: Some(nc),
                    innovative: None,
                    eu: Some(eu),
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
        let eu = keep(Missing::Eu, rules.eu_threshold(kind, line.nature, date));
        if let (Some(nc), Some(eu)) = (no_competition, eu) {
            *slot = Some((nc, eu));
        }
        Thresholds {
            no_competition,
            innovative,
            eu,
            missing,
        }
    }

    /// The procedure for `value` and the entry that decided it (`None` when the EU threshold
    /// is unknown and the formal procedure is assumed).
    fn decide(&self, value: Amount) -> (Procedure, Option<&'r ThresholdEntry>) {
        if let Some(nc) = self.no_competition {
            if value < nc.value {
                return (Procedure::NoCompetition, Some(nc));
            }
        }
        if let Some(inn) = self.innovative {
            if value < inn.value {
                return (Procedure::NoCompetition, Some(inn));
            }
        }
        match self.eu {
            Some(eu) if value >= eu.value => (Procedure::Formal, Some(eu)),
            Some(eu) => (Procedure::Adapted, Some(eu)),
            None => (Procedure::Formal, None),
        }
    }
}

/// At most this many line ids are named in a warning message.
const NAMED_LINES: usize = 10;

impl Programme {
    /// Estimates the value of every group of lines and decides each line's procedure with the
    /// thresholds in force on its launch date (default [`EstimateOptions`]).
    ///
    /// Grouping (R2121-1 to R2121-7): supplies and services add up per (nature, family key,
    /// calendar year of the launch date); works add up per operation key; a line without
    /// family (supplies, services) or operation (works) stands alone. The procedure of a line
    /// is decided on its **group's** value: no competition when strictly below the exemption
    /// threshold (R2122-8), or, for an innovative line, strictly below the innovative-purchase
    /// threshold (R2122-9-1); formal at or above the EU threshold of the buyer's kind
    /// (L2124-1); adapted in between (R2123-1 1°). When a line alone would get a lighter
    /// procedure than its group, each threshold it crosses gives a splitting-risk warning
    /// naming the group's lines.
    ///
    /// A threshold the rulebook does not know on the launch date is never guessed: the
    /// exemption it would give is not granted and, when the EU threshold is the unknown one,
    /// the formal procedure — always lawful, whatever the value — is retained with no
    /// threshold and [`Confidence::Unknown`]; the line carries a
    /// [`WarningKind::ThresholdUnknown`] warning naming the date. Use
    /// [`Programme::estimate_with`] and [`EstimateOptions::strict`] to get an error instead.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when a group's value overflows.
    ///
    /// ```
    /// use spaser::{Procedure, Programme, Rulebook};
    /// let estimation = Programme::sample().estimate(Rulebook::embedded())?;
    /// let line = estimation.line("T27-04").unwrap();
    /// // 85,000 of works, but part of an operation worth more than the EU threshold
    /// assert_eq!(line.procedure, Procedure::Formal);
    /// assert!(!line.warnings.is_empty());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn estimate(&self, rules: &Rulebook) -> Result<Estimation> {
        self.estimate_with(rules, &EstimateOptions::default())
    }

    /// [`Programme::estimate`] with options.
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] when a group's value overflows; with
    /// [`EstimateOptions::strict`], [`ErrorKind::NoRule`] naming the first line whose launch
    /// date has no threshold in the rulebook.
    ///
    /// ```
    /// use spaser::{ErrorKind, EstimateOptions, Programme, Rulebook};
    /// // the sample plans lines in 2028, beyond the known EU thresholds (2026-2027)
    /// let err = Programme::sample()
    ///     .estimate_with(Rulebook::embedded(), &EstimateOptions::default().strict(true))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::NoRule);
    /// ```
    pub fn estimate_with(&self, rules: &Rulebook, options: &EstimateOptions) -> Result<Estimation> {
        let n = self.lines.len();
        // Group index, running value and line count live in the map entry itself: one random
        // memory access per line for grouping.
        let mut index: HashMap<GroupId<'_>, (u32, Amount, u32), BuildHasherDefault<FxHasher>> =
            HashMap::with_capacity_and_hasher(n / 2 + 1, BuildHasherDefault::default());
        let mut line_group: Vec<u32> = Vec::with_capacity(n);
        for line in &self.lines {
            let gid = GroupId::of(line);
            let next = index.len() as u32;
            let entry = index.entry(gid).or_insert((next, Amount::ZERO, 0));
            entry.1 = entry
                .1
                .checked_add(line.amount)
                .map_err(|e| e.context(format!("group \"{}\"", gid.key())))?;
            entry.2 += 1;
            line_group.push(entry.0);
        }
        let mut slots: Vec<Option<(GroupId<'_>, Amount, u32)>> = vec![None; index.len()];
        for (gid, (g, value, count)) in index.drain() {
            slots[g as usize] = Some((gid, value, count));
        }
        let (ids, (values, counts)): (Vec<GroupId<'_>>, (Vec<Amount>, Vec<u32>)) = slots
            .into_iter()
            .flatten()
            .map(|(gid, v, c)| (gid, (v, c)))
            .unzip();
        drop(index);

        let mut groups: Vec<GroupEstimate> = ids
            .iter()
            .zip(&values)
            .zip(&counts)
            .map(|((gid, value), &count)| {
                let (kind, year, nature) = match *gid {
                    GroupId::Family(nature, _, y) => (GroupKind::Family, Some(y), nature),
                    GroupId::Operation(_) => (GroupKind::Operation, None, Nature::Works),
                    GroupId::Alone(_) => (GroupKind::Alone, None, Nature::Works),
                };
                GroupEstimate {
                    key: gid.key(),
                    kind,
                    nature,
                    year,
                    value: *value,
                    line_ids: Vec::with_capacity(count as usize),
                }
            })
            .collect();
        // Lines in programme order (sequential reads); a lone line sets its group's nature.
        for (line, &g) in self.lines.iter().zip(&line_group) {
            let group = &mut groups[g as usize];
            if group.kind == GroupKind::Alone {
                group.nature = line.nature;
            }
            group.line_ids.push(line.id.clone());
        }

        let kind = self.buyer.kind;
        let mut memo = Memo { last: [None; 3] };
        let mut suffixes: Suffixes = HashMap::default();
        let mut lines = Vec::with_capacity(n);
        for (line, &g) in self.lines.iter().zip(&line_group) {
            let group = &groups[g as usize];
            let mut t = Thresholds::lookup(rules, kind, line, &mut memo);
            let (procedure, entry) = t.decide(group.value);
            let legal_basis = match (procedure, entry) {
                (Procedure::Adapted, _) => rules.procedure_articles.adapted.clone(),
                (_, Some(e)) => e.article.clone(),
                (_, None) => rules.procedure_articles.formal.clone(),
            };
            let mut warnings = Vec::new();
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
                    Missing::Eu => procedure != Procedure::NoCompetition,
                };
                if !mattered {
                    continue;
                }
                if options.strict {
                    return Err(e.context(format!(
                        "line \"{}\" (launch date {})",
                        line.id, line.launch_date
                    )));
                }
                warnings.push(EstimateWarning {
                    kind: WarningKind::ThresholdUnknown,
                    threshold: None,
                    article: None,
                    message: format!(
                        "threshold unknown: {e}; {}; check the rulebook",
                        match which {
                            Missing::Eu => "the formal procedure is retained, lawful at any value",
                            Missing::NoCompetition => "the no-competition exemption is not granted",
                            Missing::Innovative =>
                                "the innovative-purchase exemption is not granted",
                        }
                    ),
                });
            }
            if group.line_ids.len() > 1 {
                let (alone, _) = t.decide(line.amount);
                if alone != procedure {
                    splitting_warnings(line, g, group, &t, &mut suffixes, &mut warnings);
                }
            }
            lines.push(LineEstimate {
                line_id: line.id.clone(),
                group_key: group.key.clone(),
                group_value: group.value,
                procedure,
                legal_basis,
                threshold: entry.map(|e| e.value),
                confidence: entry.map_or(Confidence::Unknown, |e| e.confidence),
                warnings,
            });
        }
        Ok(Estimation { lines, groups })
    }
}

/// Cached splitting-warning message tails, by group index and threshold entry.
type Suffixes = HashMap<(u32, *const ThresholdEntry), String, BuildHasherDefault<FxHasher>>;

/// Adds a splitting-risk warning for every threshold `line` alone is below and its group
/// reaches. The part of the message after the line id is the same for every line of a group
/// and threshold: it is built once and cached in `suffixes`.
fn splitting_warnings(
    line: &PlanLine,
    g: u32,
    group: &GroupEstimate,
    t: &Thresholds<'_>,
    suffixes: &mut Suffixes,
    out: &mut Vec<EstimateWarning>,
) {
    let crossed = [
        t.no_competition.map(|e| ("no-competition", e)),
        t.innovative.map(|e| ("innovative-purchase", e)),
        t.eu.map(|e| ("EU", e)),
    ];
    for (name, entry) in crossed.into_iter().flatten() {
        if line.amount < entry.value && group.value >= entry.value {
            let suffix = suffixes
                .entry((g, std::ptr::from_ref(entry)))
                .or_insert_with(|| {
                    let named: Vec<&str> = group
                        .line_ids
                        .iter()
                        .take(NAMED_LINES)
                        .map(String::as_str)
                        .collect();
                    let more = group.line_ids.len().saturating_sub(NAMED_LINES);
                    let tail = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    format!(
                        "\" alone is below the {name} threshold {} ({}) that its group \"{}\" reaches ({}); lines of the group: {}{tail}",
                        entry.value,
                        entry.article,
                        group.key,
                        group.value,
                        named.join(", ")
                    )
                });
            let mut message = String::with_capacity(24 + line.id.len() + suffix.len());
            message.push_str("splitting risk: line \"");
            message.push_str(&line.id);
            message.push_str(suffix);
            out.push(EstimateWarning {
                kind: WarningKind::SplittingRisk,
                threshold: Some(entry.value),
                article: Some(entry.article.clone()),
                message,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
