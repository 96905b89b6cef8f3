//! Value estimation (R2121-1 to R2121-7) and the procedure of every line.

use std::collections::HashMap;
use std::fmt;
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
        match self {
            GroupId::Family(n, f, y) => format!("{n}:{f}:{y}"),
            GroupId::Operation(op) => format!("works:{op}"),
            GroupId::Alone(id) => format!("line:{id}"),
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

/// The thresholds in force for one line (`None` when the rulebook does not know them).
struct Thresholds<'r> {
    no_competition: Option<&'r ThresholdEntry>,
    innovative: Option<&'r ThresholdEntry>,
    eu: Option<&'r ThresholdEntry>,
    /// Errors of the lookups that failed, kept for warnings.
    missing: Vec<(Missing, Error)>,
}

impl<'r> Thresholds<'r> {
    fn lookup(rules: &'r Rulebook, kind: BuyerKind, line: &PlanLine) -> Thresholds<'r> {
        let date: NaiveDate = line.launch_date;
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
        let mut index: HashMap<GroupId<'_>, u32> = HashMap::with_capacity(n / 2 + 1);
        let mut ids: Vec<GroupId<'_>> = Vec::new();
        let mut values: Vec<Amount> = Vec::new();
        let mut members: Vec<Vec<u32>> = Vec::new();
        let mut line_group: Vec<u32> = Vec::with_capacity(n);
        for (i, line) in self.lines.iter().enumerate() {
            let gid = GroupId::of(line);
            let g = *index.entry(gid).or_insert_with(|| {
                ids.push(gid);
                values.push(Amount::ZERO);
                members.push(Vec::new());
                (ids.len() - 1) as u32
            });
            let gi = g as usize;
            values[gi] = values[gi]
                .checked_add(line.amount)
                .map_err(|e| e.context(format!("group \"{}\"", gid.key())))?;
            members[gi].push(i as u32);
            line_group.push(g);
        }

        let mut groups: Vec<GroupEstimate> = Vec::with_capacity(ids.len());
        for ((gid, value), m) in ids.iter().zip(&values).zip(&members) {
            let (kind, year) = match gid {
                GroupId::Family(_, _, y) => (GroupKind::Family, Some(*y)),
                GroupId::Operation(_) => (GroupKind::Operation, None),
                GroupId::Alone(_) => (GroupKind::Alone, None),
            };
            let nature = self.lines[m[0] as usize].nature;
            groups.push(GroupEstimate {
                key: gid.key(),
                kind,
                nature,
                year,
                value: *value,
                line_ids: m
                    .iter()
                    .map(|&i| self.lines[i as usize].id.clone())
                    .collect(),
            });
        }

        let kind = self.buyer.kind;
        let mut lines = Vec::with_capacity(n);
        for (line, &g) in self.lines.iter().zip(&line_group) {
            let group = &groups[g as usize];
            let mut t = Thresholds::lookup(rules, kind, line);
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
                        "threshold unknown: {e}; the procedure retained ({procedure}) is lawful whatever its value; check the rulebook"
                    ),
                });
            }
            if group.line_ids.len() > 1 {
                let (alone, _) = t.decide(line.amount);
                if alone != procedure {
                    splitting_warnings(line, group, &t, &mut warnings);
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

fn splitting_warnings(
    line: &PlanLine,
    group: &GroupEstimate,
    t: &Thresholds<'_>,
    out: &mut Vec<EstimateWarning>,
) {
    let crossed = [
        t.no_competition.map(|e| ("no-competition", e)),
        t.innovative.map(|e| ("innovative-purchase", e)),
        t.eu.map(|e| ("EU", e)),
    ];
    for (name, entry) in crossed.into_iter().flatten() {
        if line.amount < entry.value && group.value >= entry.value {
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
            out.push(EstimateWarning {
                kind: WarningKind::SplittingRisk,
                threshold: Some(entry.value),
                article: Some(entry.article.clone()),
                message: format!(
                    "splitting risk: line \"{}\" alone ({}) is below the {name} threshold {} ({}) that its group \"{}\" reaches ({}); lines of the group: {}{tail}",
                    line.id,
                    line.amount,
                    entry.value,
                    entry.article,
                    group.key,
                    group.value,
                    named.join(", ")
                ),
            });
        }
    }
}
