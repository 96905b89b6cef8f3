//! Planned against actual, per linked line: amount, date, considerations and procedure.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::link::{LinkKind, LinkOptions, Linking};
use super::planned::PlannedLevers;
use crate::decp::AwardedContract;
use crate::error::Result;
use crate::law::rulebook::Rulebook;
use crate::programme::estimate::Procedure;
use crate::programme::model::Programme;
use crate::util::text::fold;
use crate::values::money::Amount;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// How a planned consideration shows in the published contract(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Publication {
    /// Published with the planned instrument in every contract of the line.
    Published,
    /// Published in every contract, but under another instrument of the same dimension (the
    /// DECP has no code for technical specifications or labels: these show as clauses or
    /// criteria, or not at all).
    OtherInstrument,
    /// Published in some of the line's contracts (lots) only.
    Partly,
    /// Not published: the contracts publish the dimension's considerations without it.
    NotPublished,
    /// The contracts do not publish the dimension's considerations (field missing): unknown.
    Unknown,
}

impl Publication {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Publication::Published => "published",
            Publication::OtherInstrument => "other_instrument",
            Publication::Partly => "partly",
            Publication::NotPublished => "not_published",
            Publication::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Publication {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A planned consideration of a line and what the contracts published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConsiderationCheck {
    /// Dimension planned.
    pub dimension: Dimension,
    /// Instrument planned (`None` for a consideration planned on the line without a lever:
    /// any instrument of the dimension counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<Instrument>,
    /// The lever planned, when the consideration comes from the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lever: Option<String>,
    /// What was published.
    pub publication: Publication,
}

/// The procedure used against the one the estimation requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProcedureCheck {
    /// The procedure used is of the class required.
    AsRequired,
    /// A heavier procedure than required (lawful).
    Heavier,
    /// A lighter procedure than the planned estimate requires: to check (the awarded value
    /// may be lower than the estimate, the line may be a small lot under R2123-1 2° or
    /// specific services under R2123-1 3°).
    Lighter,
    /// The DECP procedure is missing or not recognised.
    Unknown,
}

/// The class of a DECP procedure name (2024 list, legacy names normalised by the reader).
pub(crate) fn procedure_class(decp: &str) -> Option<Procedure> {
    let f = fold(decp);
    if f.starts_with("procedure adaptee") {
        Some(Procedure::Adapted)
    } else if f.contains("sans publicite") {
        Some(Procedure::NoCompetition)
    } else if f.starts_with("appel d'offres")
        || f.starts_with("procedure avec negociation")
        || f.starts_with("dialogue competitif")
        || f.starts_with("procedure concurrentielle avec negociation")
    {
        Some(Procedure::Formal)
    } else {
        None
    }
}

fn rank(p: Procedure) -> u8 {
    match p {
        Procedure::NoCompetition => 0,
        Procedure::Adapted => 1,
        _ => 2,
    }
}

/// Planned against actual for one linked line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineOutcome {
    /// Line id.
    pub line: String,
    /// Its label.
    pub label: String,
    /// Its prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// How the link was found.
    pub kind: LinkKind,
    /// Keys of the contracts.
    pub contracts: Vec<String>,
    /// Estimate HT.
    pub estimate: Amount,
    /// Awarded HT attributed to the line: the contract's current amount, the sum of its lots,
    /// or — for lines grouped into one contract — the contract's amount shared in proportion
    /// to the estimates (rounded half to even to the cent; the shares add up to the amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded: Option<Amount>,
    /// Whether `awarded` is a share of a grouped contract.
    pub shared: bool,
    /// Whether a contract is a framework agreement (its amount is a maximum).
    pub framework: bool,
    /// Awarded − estimate (negative: below the estimate).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub difference: Option<Decimal>,
    /// Planned launch date.
    pub launch_date: NaiveDate,
    /// Expected notification: launch date + the lead time of the required procedure.
    pub expected_notification: NaiveDate,
    /// Notification date (the earliest of the contracts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<NaiveDate>,
    /// Notified − expected, in days (positive: later than expected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_days: Option<i64>,
    /// Planned considerations and what was published.
    pub considerations: Vec<ConsiderationCheck>,
    /// Published considerations no planned consideration asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unplanned_considerations: Vec<(Dimension, Instrument)>,
    /// The procedure the estimation requires.
    pub procedure_required: Procedure,
    /// The procedure(s) published, as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedure_used: Vec<String>,
    /// Used against required.
    pub procedure_check: ProcedureCheck,
}

impl LineOutcome {
    /// The planned considerations that were not published (or published in some lots only).
    pub fn missing(&self) -> impl Iterator<Item = &ConsiderationCheck> {
        self.considerations.iter().filter(|c| {
            matches!(
                c.publication,
                Publication::NotPublished | Publication::Partly
            )
        })
    }
}

/// Planned against actual for every linked line, in programme order.
///
/// `planned` gives the levers planned on each line (e.g. [`PlannedLevers::from_plan`]); the
/// line's own planned considerations are checked too. The procedure required and the lead
/// time come from `options` (rulebook, lead times), as for [`link`](super::link).
///
/// # Errors
/// The errors of [`Programme::estimate`].
///
/// ```
/// use spaser::followup::{compare, link, LinkOptions, PlannedLevers};
/// use spaser::{Catalogue, Programme};
/// let programme = Programme::sample();
/// let options = LinkOptions::default();
/// let linking = link(programme, &[], &options)?;
/// let planned = PlannedLevers::new(Catalogue::embedded());
/// assert!(compare(programme, &[], &linking, &planned, &options)?.is_empty());
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn compare(
    programme: &Programme,
    contracts: &[AwardedContract],
    linking: &Linking,
    planned: &PlannedLevers<'_>,
    options: &LinkOptions<'_>,
) -> Result<Vec<LineOutcome>> {
    let rulebook = options.rulebook_or_embedded();
    let estimation = programme.estimate(rulebook)?;
    let procedures: BTreeMap<&str, Procedure> = estimation
        .lines
        .iter()
        .map(|e| (e.line_id(), e.procedure))
        .collect();
    let mut out = Vec::new();
    for line in &programme.lines {
        let Some(link) = linking.link_of(&line.id) else {
            continue;
        };
        let cs: Vec<&AwardedContract> = link
            .contracts
            .iter()
            .filter_map(|c| contracts.get(c.index))
            .collect();
        // amounts
        let total: Option<Decimal> = cs
            .iter()
            .map(|c| c.current_amount().map(|a| a.as_decimal()))
            .sum();
        let shared = link.lines.len() > 1;
        let awarded = if shared {
            share_of_group(programme, &link.lines, &line.id, total)
        } else {
            total
        };
        let framework = cs.iter().any(|c| super::link::is_framework(c));
        // dates
        let required = procedures
            .get(line.id.as_str())
            .copied()
            .unwrap_or(Procedure::Formal);
        let expected = line
            .launch_date
            .checked_add_months(Months::new(options.lead_months(required)))
            .unwrap_or(line.launch_date);
        let notified = cs.iter().filter_map(|c| c.notification_date).min();
        // considerations
        let mut checks = Vec::new();
        let levers = planned.levers(&line.id);
        for l in levers {
            checks.push(ConsiderationCheck {
                dimension: l.dimension,
                instrument: Some(l.instrument),
                lever: Some(l.id.clone()),
                publication: publication(&cs, l.dimension, Some(l.instrument)),
            });
        }
        for d in &line.considerations {
            if levers.iter().any(|l| l.dimension == *d) {
                continue;
            }
            checks.push(ConsiderationCheck {
                dimension: *d,
                instrument: None,
                lever: None,
                publication: publication(&cs, *d, None),
            });
        }
        let mut unplanned_considerations: Vec<(Dimension, Instrument)> = Vec::new();
        for c in &cs {
            for list in [&c.social, &c.environmental].into_iter().flatten() {
                for x in list {
                    let planned_it = checks.iter().any(|k| {
                        k.dimension == x.dimension
                            && k.instrument
                                .is_none_or(|i| i == x.instrument || !has_decp_code(i))
                    });
                    let pair = (x.dimension, x.instrument);
                    if !planned_it && !unplanned_considerations.contains(&pair) {
                        unplanned_considerations.push(pair);
                    }
                }
            }
        }
        unplanned_considerations.sort();
        // procedure
        let mut used: Vec<String> = cs.iter().filter_map(|c| c.procedure.clone()).collect();
        used.dedup();
        let classes: Vec<Option<Procedure>> = cs
            .iter()
            .map(|c| c.procedure.as_deref().and_then(procedure_class))
            .collect();
        let check = if classes.is_empty() || classes.iter().any(Option::is_none) {
            ProcedureCheck::Unknown
        } else {
            let lightest = classes
                .iter()
                .flatten()
                .map(|p| rank(*p))
                .min()
                .unwrap_or(0);
            match lightest.cmp(&rank(required)) {
                std::cmp::Ordering::Less => ProcedureCheck::Lighter,
                std::cmp::Ordering::Equal => ProcedureCheck::AsRequired,
                std::cmp::Ordering::Greater => ProcedureCheck::Heavier,
            }
        };
        out.push(LineOutcome {
            line: line.id.clone(),
            label: line.label.clone(),
            service: line.service.clone(),
            kind: link.kind,
            contracts: link.contracts.iter().map(|c| c.key.clone()).collect(),
            estimate: line.amount,
            awarded: awarded.and_then(|a| Amount::new(a).ok()),
            shared,
            framework,
            difference: awarded.map(|a| a - line.amount.as_decimal()),
            launch_date: line.launch_date,
            expected_notification: expected,
            notified,
            delay_days: notified.map(|n| (n - expected).num_days()),
            considerations: checks,
            unplanned_considerations,
            procedure_required: required,
            procedure_used: used,
            procedure_check: check,
        });
    }
    Ok(out)
}

/// Whether the DECP has a code for the instrument (clauses, criteria, reserved contracts).
fn has_decp_code(i: Instrument) -> bool {
    matches!(
        i,
        Instrument::ExecutionClause | Instrument::AwardCriterion | Instrument::ReservedContract
    )
}

/// What the contracts published for a planned (dimension, instrument).
fn publication(
    cs: &[&AwardedContract],
    dimension: Dimension,
    instrument: Option<Instrument>,
) -> Publication {
    if cs.is_empty() {
        return Publication::Unknown;
    }
    let mut exact = 0;
    let mut same_dimension = 0;
    let mut unknown = 0;
    for c in cs {
        let list = match dimension {
            Dimension::Social => &c.social,
            Dimension::Environmental => &c.environmental,
            _ => {
                // innovation: the DECP flag
                match c.innovative {
                    Some(true) => {
                        exact += 1;
                        same_dimension += 1;
                    }
                    Some(false) => {}
                    None => unknown += 1,
                }
                continue;
            }
        };
        match list {
            None => unknown += 1,
            Some(xs) => {
                let dim: Vec<_> = xs.iter().filter(|x| x.dimension == dimension).collect();
                if !dim.is_empty() {
                    same_dimension += 1;
                }
                if dim
                    .iter()
                    .any(|x| instrument.is_none_or(|i| x.instrument == i))
                {
                    exact += 1;
                }
            }
        }
    }
    let n = cs.len();
    if exact == n {
        Publication::Published
    } else if same_dimension == n {
        Publication::OtherInstrument
    } else if unknown == n {
        Publication::Unknown
    } else if same_dimension > 0 {
        Publication::Partly
    } else if unknown > 0 {
        Publication::Unknown
    } else {
        Publication::NotPublished
    }
}

/// The share of a grouped contract's amount attributed to `line`: in proportion to the
/// estimates, rounded half to even to the cent; the last line takes the remainder so that the
/// shares add up to the amount.
fn share_of_group(
    programme: &Programme,
    lines: &[String],
    line: &str,
    total: Option<Decimal>,
) -> Option<Decimal> {
    let total = total?;
    let estimates: Vec<(&str, Decimal)> = lines
        .iter()
        .filter_map(|id| {
            programme
                .line(id)
                .map(|l| (id.as_str(), l.amount.as_decimal()))
        })
        .collect();
    let sum: Decimal = estimates.iter().map(|e| e.1).sum();
    let mut given = Decimal::ZERO;
    for (i, (id, e)) in estimates.iter().enumerate() {
        let share = if i + 1 == estimates.len() {
            total - given
        } else if sum.is_zero() {
            Decimal::ZERO
        } else {
            (total * e / sum).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
        };
        if *id == line {
            return Some(share);
        }
        given += share;
    }
    None
}

impl LinkOptions<'_> {
    /// The rulebook set, or the embedded one.
    pub(crate) fn rulebook_or_embedded(&self) -> &Rulebook {
        self.rulebook_ref().unwrap_or_else(|| Rulebook::embedded())
    }
}
