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
                    format!("procedure \"{s}\" is unknown; accepted: no_competition, adapted, formal"),
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
}

/// A warning on a line's estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimateWarning {
    /// What it is about.
    pub kind: WarningKind,
    /// The threshold concerned.
    pub threshold: Amount,
    /// The article of the threshold.
    pub article: String,
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
    /// competition), or the EU threshold it is below (adapted) or reaches (formal).
    pub threshold: Option<Amount>,
    /// The confidence of the deciding threshold.
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
        match (line.nature, line.family.as_deref(), line.operation.as_deref()) {
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

/// The thresholds in force for one line.
struct Thresholds<'r> {
    no_competition: &'r ThresholdEntry,
    innovative: Option<&'r ThresholdEntry>,
    eu: &'r ThresholdEntry,
}

impl<'r> Thresholds<'r> {
    fn lookup(
        rules: &'r Rulebook,
        kind: BuyerKind,
        line: &PlanLine,
    ) -> Result<Thresholds<'r>> {
        let ctx = || format!("line \"{}\" (launch date {})", line.id, line.launch_date);
        let date: NaiveDate = line.launch_date;
        let no_competition = rules
            .no_competition_threshold(line.nature, date)
            .map_err(|e| e.context(ctx()))?;
        let innovative = if line.innovative && rules.innovative_in_force(date) {
            Some(
                rules
                    .innovative_threshold(line.nature, date)
                    .map_err(|e| e.context(ctx()))?,
            )
        } else {
            None
        };
        let eu = rules
            .eu_threshold(kind, line.nature, date)
            .map_err(|e| e.context(ctx()))?;
        Ok(Thresholds {
            no_competition,
            innovative,
            eu,
        })
    }

    /// The procedure for `value` and the entry that decided it (`None` entry for adapted:
    /// the EU entry is the deciding threshold, the article is the adapted one).
    fn decide(&self, value: Amount) -> (Procedure, &'r ThresholdEntry) {
        if value < self.no_competition.value {
            return (Procedure::NoCompetition, self.no_competition);
        }
        if let Some(inn) = self.innovative {
            if value < inn.value {
                return (Procedure::NoCompetition, inn);
            }
        }
        if value >= self.eu.value {
            (Procedure::Formal, self.eu)
        } else {
            (Procedure::Adapted, self.eu)
        }
    }
}

/// At most this many line ids are named in a warning message.
const NAMED_LINES: usize = 10;

impl Programme {
    /// Estimates the value of every group of lines and decides each line's procedure with the
    /// thresholds in force on its launch date.
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
    /// # Errors
    /// [`ErrorKind::NoRule`] when the rulebook has no threshold for a line's launch date
    /// (naming the line); [`ErrorKind::Overflow`] when a group's value overflows.
    ///
    /// ```
    /// use spaser::{Procedure, Programme, Rulebook};
    /// let estimation = Programme::sample().estimate(Rulebook::embedded())?;
    /// for line in &estimation.lines {
    ///     assert!(line.threshold.is_some());
    /// }
    /// assert!(estimation.lines.iter().any(|l| l.procedure == Procedure::Formal));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn estimate(&self, rules: &Rulebook) -> Result<Estimation> {
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
            let gi = g as usize;
            let group = &groups[gi];
            let t = Thresholds::lookup(rules, kind, line)?;
            let (procedure, entry) = t.decide(group.value);
            let legal_basis = match procedure {
                Procedure::Adapted => rules.procedure_articles.adapted.clone(),
                _ => entry.article.clone(),
            };
            let mut warnings = Vec::new();
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
                threshold: Some(entry.value),
                confidence: entry.confidence,
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
        Some(("no-competition", t.no_competition)),
        t.innovative.map(|e| ("innovative-purchase", e)),
        Some(("EU", t.eu)),
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
                threshold: entry.value,
                article: entry.article.clone(),
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
