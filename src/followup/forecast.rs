//! The landing forecast: where a year in progress will land, target by target, and the least
//! set of remaining purchases whose levers would close a gap.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::buyer::match_buyer;
use super::link::{LinkOptions, Linking, Unlinked, link};
use super::measure::{contract_purchase, line_coverages, line_purchase, linked};
use super::planned::PlannedLevers;
use crate::decp::AwardedContract;
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, Coverage, IndicatorEngine, Measure};
use crate::levers::lever::Lever;
use crate::plan::planner::{Lock, LockKind, PlanOptions, Planner};
use crate::plan::targets::{Target, Targets};
use crate::programme::estimate::Procedure;
use crate::programme::model::{PlanLine, Programme};
use crate::render::format::{self, Rounding};
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::share::Share;

/// What to do with lines past their expected award date and not awarded at the reference
/// date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LateLines {
    /// Expected the day after the reference date (late, not abandoned): the default.
    #[default]
    StillExpected,
    /// Left out of the forecast (taken as abandoned).
    Abandoned,
}

/// Options of [`forecast`].
///
/// ```
/// use spaser::followup::{ForecastOptions, LateLines, LinkOptions};
/// let o = ForecastOptions::default().late_lines(LateLines::Abandoned).link(LinkOptions::default());
/// assert_eq!(o.late(), LateLines::Abandoned);
/// ```
#[derive(Debug, Clone)]
pub struct ForecastOptions<'a> {
    link: LinkOptions<'a>,
    late: LateLines,
    plan: PlanOptions,
    close: bool,
}

impl Default for ForecastOptions<'_> {
    /// Default linking, late lines still expected, the planner's default options with a
    /// shortfall weight of 1,000,000 person-days per point (closing the gap comes first), gaps
    /// closed.
    fn default() -> Self {
        ForecastOptions {
            link: LinkOptions::default(),
            late: LateLines::default(),
            plan: PlanOptions::default().shortfall_weight(1_000_000.0),
            close: true,
        }
    }
}

impl<'a> ForecastOptions<'a> {
    /// The linking options (their rulebook and lead times also date the remaining lines).
    pub fn link(mut self, link: LinkOptions<'a>) -> Self {
        self.link = link;
        self
    }

    /// What to do with late lines.
    pub fn late_lines(mut self, late: LateLines) -> Self {
        self.late = late;
        self
    }

    /// The late-line rule set.
    pub fn late(&self) -> LateLines {
        self.late
    }

    /// The planner options used to close gaps (capacities, effort budget, locks are honoured;
    /// the planned levers of the remaining lines are locked on).
    pub fn plan_options(mut self, plan: PlanOptions) -> Self {
        self.plan = plan;
        self
    }

    /// Whether to search the purchases that would close each gap (default true).
    pub fn close_gaps(mut self, close: bool) -> Self {
        self.close = close;
        self
    }
}

/// A planned line not awarded at the reference date and expected within the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemainingLine {
    /// Line id.
    pub line: String,
    /// Expected notification date (launch + lead time, or the day after the reference date
    /// for a late line).
    pub expected: NaiveDate,
    /// Whether the line is late (its expected notification is past).
    pub late: bool,
    /// Estimate HT.
    pub amount: Amount,
}

/// A remaining purchase in the set that closes a gap, with the levers to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClosingPurchase {
    /// Line id.
    pub line: String,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Levers to add (beyond those planned) that count for the target, catalogue order.
    pub levers: Vec<String>,
    /// Estimate HT.
    pub amount: Amount,
    /// Expected notification date.
    pub expected: NaiveDate,
}

/// Whether and how a gap can be closed by the remaining purchases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Closure {
    /// The listed purchases, with their levers, close the gap.
    Closes,
    /// No remaining purchase of the year is in the target's scope.
    NoRemainingPurchase,
    /// Even if every remaining purchase in scope counted, the goal would not be reached.
    OutOfReach,
    /// The planner found no levers closing it (no applicable lever counts, capacity or
    /// budget, locks).
    NoLeverCloses,
}

/// The purchases that would close a target's gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Closing {
    /// The verdict.
    pub closure: Closure,
    /// The share the remaining purchases in scope must reach (the awarded part fixed), when
    /// there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_remaining_share: Option<Share>,
    /// The purchases: no one of them can be left out (each is needed to reach the goal).
    pub purchases: Vec<ClosingPurchase>,
    /// The landing with their levers.
    pub landing_after: Measure,
    /// The planner's message when it could not plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a target will land at the end of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TargetLanding {
    /// Target id.
    pub id: String,
    /// Target label.
    pub label: String,
    /// Count or value basis.
    pub basis: Basis,
    /// The year's goal.
    pub goal: Share,
    /// Contracts notified from 1 January to the reference date.
    pub awarded: Measure,
    /// Remaining lines with their planned levers.
    pub remaining: Measure,
    /// Both: the landing.
    pub landing: Measure,
    /// The landing share on the target's basis (`None` for an empty scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_share: Option<Share>,
    /// Whether the landing reaches the goal.
    pub met: bool,
    /// What is missing, in purchases (count) or euros HT (value); exact.
    #[serde(with = "rust_decimal::serde::str")]
    pub shortfall: Decimal,
    /// When not met: the purchases whose levers would close the gap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<Closing>,
}

/// The landing forecast of a year at a reference date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Forecast {
    /// The year.
    pub year: i32,
    /// The reference date.
    pub reference: NaiveDate,
    /// Contracts of the buyer notified in the year up to the reference date.
    pub awarded_contracts: usize,
    /// Their value HT.
    pub awarded_value: Amount,
    /// Lines expected in the rest of the year, by expected date then programme order.
    pub remaining: Vec<RemainingLine>,
    /// Per target with a goal for the year, in the targets' order.
    pub targets: Vec<TargetLanding>,
    /// The linking at the reference date (contracts notified up to it).
    pub linking: Linking,
}

impl Forecast {
    /// The forecast as text for a person: the year at the reference date, what is awarded and
    /// still expected, then each target's goal and landing and, for a target not reached,
    /// the purchases whose levers would close the gap (amounts in euros, dates in words,
    /// French typography in French).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::followup::{forecast, ForecastOptions, PlannedLevers};
    /// use spaser::{Catalogue, Lang, Programme, Rulebook, Targets};
    /// let programme = Programme::sample();
    /// let targets = Targets::defaults_for(programme, Rulebook::embedded());
    /// let planned = PlannedLevers::new(Catalogue::embedded());
    /// let at = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    /// let f = forecast(programme, &planned, &[], &targets, 2026, at,
    ///                  &ForecastOptions::default().close_gaps(false))?;
    /// let fr = f.to_text(Lang::Fr);
    /// assert!(fr.starts_with("Atterrissage de l'année 2026 au 1er\u{a0}septembre\u{a0}2026"));
    /// assert!(fr.contains("janvier\u{a0}: 0 (0,00\u{a0}€ HT)"));
    /// assert!(f.to_text(Lang::En).contains("January: 0 (€0.00 excl. VAT)"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_text(&self, lang: Lang) -> String {
        use std::fmt::Write as _;
        let fr = lang == Lang::Fr;
        let t = |fr_text: &'static str, en_text: &'static str| if fr { fr_text } else { en_text };
        let colon = t("\u{a0}:", ":");
        let ht = t(" HT", " excl. VAT");
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} {} {}",
            t("Atterrissage de l'année", "Landing forecast of"),
            self.year,
            t("au", "at"),
            format::date(self.reference, lang)
        );
        let _ = writeln!(
            out,
            "{}{colon} {} ({}{ht}){} {}{colon} {}",
            t(
                "Contrats notifiés depuis le 1er\u{a0}janvier",
                "Contracts notified since 1 January"
            ),
            format::integer(self.awarded_contracts as u64, lang),
            format::euros(self.awarded_value.as_decimal(), lang),
            t("\u{202f};", ";"),
            t("lignes encore attendues", "lines still expected"),
            format::integer(self.remaining.len() as u64, lang),
        );
        out.push('\n');
        for g in &self.targets {
            // A landing short of its goal is rounded down: it never prints as the goal.
            let landing = g.landing_share.map_or_else(
                || "–".to_string(),
                |s| {
                    let r = if g.met {
                        Rounding::Nearest
                    } else {
                        Rounding::Down
                    };
                    format::percent(s, r, lang)
                },
            );
            let _ = writeln!(
                out,
                "- {} ({}){colon} {} {}, {} {} → {}",
                g.label,
                g.id,
                t("cible", "goal"),
                format::percent(g.goal, Rounding::Nearest, lang),
                t("atterrissage", "landing"),
                landing,
                match (g.met, fr) {
                    (true, true) => "atteint",
                    (true, false) => "met",
                    (false, true) => "non atteint",
                    (false, false) => "not met",
                }
            );
            let Some(c) = &g.closing else {
                continue;
            };
            let why = match c.closure {
                Closure::Closes => t(
                    "ces achats restants, avec ces leviers, combleraient l'écart\u{a0}:",
                    "these remaining purchases, with these levers, would close the gap:",
                ),
                Closure::NoRemainingPurchase => t(
                    "aucun achat restant dans le périmètre",
                    "no remaining purchase in scope",
                ),
                Closure::OutOfReach => t(
                    "hors d'atteinte\u{a0}: même tous les achats restants ne suffiraient pas",
                    "out of reach: even every remaining purchase would not suffice",
                ),
                Closure::NoLeverCloses => t(
                    "aucun levier applicable ne comble l'écart",
                    "no applicable lever closes the gap",
                ),
            };
            let _ = writeln!(out, "    {why}");
            for p in &c.purchases {
                let _ = writeln!(
                    out,
                    "      {} ({}, {}, {}{ht}){colon} {}",
                    p.line,
                    p.service.as_deref().unwrap_or("–"),
                    format::short_date(p.expected, lang),
                    format::euros(p.amount.as_decimal(), lang),
                    p.levers.join(", ")
                );
            }
            if let Some(n) = &c.note {
                let _ = writeln!(out, "      ({n})");
            }
        }
        out
    }
}

/// The landing forecast of `year` at `reference`: what the buyer's contracts notified so far
/// (DECP) plus the lines still to award with their planned levers give, per target, through the
/// one indicator engine; for each target not reached, the purchases whose levers would close
/// the gap (the planner run on the remaining lines, their planned levers locked on and the
/// awarded part fixed, then reduced until no purchase can be left out).
///
/// Only contracts notified on or before `reference` are read (the forecast is what was known
/// then). Remaining lines are those not linked at `reference`, neither cancelled, nor bought
/// through a central purchasing body, nor below the DECP publication threshold, whose expected
/// notification (launch + lead time of the required procedure) falls in `year` — the DECP year
/// of a contract is its notification's. Late lines are expected the next day or left out
/// ([`LateLines`]).
///
/// # Errors
/// [`ErrorKind::InvalidValue`] when `reference` is not in `year`; errors of [`link`] and of the
/// planner's input checks (a planner failure to find levers is a [`Closure`], not an error).
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::followup::{forecast, ForecastOptions, PlannedLevers};
/// use spaser::{Catalogue, Programme, Rulebook, Targets};
/// let programme = Programme::sample();
/// let targets = Targets::defaults_for(programme, Rulebook::embedded());
/// let planned = PlannedLevers::new(Catalogue::embedded());
/// let at = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
/// let f = forecast(programme, &planned, &[], &targets, 2026, at,
///                  &ForecastOptions::default().close_gaps(false))?;
/// assert_eq!(f.awarded_contracts, 0);
/// assert!(!f.targets.is_empty());
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn forecast(
    programme: &Programme,
    planned: &PlannedLevers<'_>,
    contracts: &[AwardedContract],
    targets: &Targets,
    year: i32,
    reference: NaiveDate,
    options: &ForecastOptions<'_>,
) -> Result<Forecast> {
    if reference.year() != year {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("reference date {reference} is not in the forecast year {year}"),
        ));
    }
    let known: Vec<AwardedContract> = contracts
        .iter()
        .filter(|c| c.notification_date.is_some_and(|d| d <= reference))
        .cloned()
        .collect();
    let link_options = options.link.clone().as_of(reference);
    let linking = link(programme, &known, &link_options)?;
    let siret = programme.buyer.siret;
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(reference);

    // contracts of the year so far
    let awarded: Vec<usize> = known
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            match_buyer(siret.as_ref(), c.buyer.as_ref()).is_some()
                && c.notification_date.is_some_and(|d| d >= start)
                && c.current_amount().is_some()
        })
        .map(|(i, _)| i)
        .collect();
    let awarded_value = Amount::sum(awarded.iter().filter_map(|&i| known[i].current_amount()))?;

    // remaining lines
    let mut remaining: Vec<(usize, RemainingLine)> = Vec::new();
    let rulebook = link_options.rulebook_or_embedded();
    let estimation = programme.estimate(rulebook)?;
    let procedures: BTreeMap<&str, Procedure> = estimation
        .lines
        .iter()
        .map(|e| (e.line_id(), e.procedure))
        .collect();
    for (li, line) in programme.lines.iter().enumerate() {
        let waiting = linking
            .unlinked
            .iter()
            .find(|u| u.line == line.id)
            .is_some_and(|u| matches!(u.state, Unlinked::LateOrAbandoned | Unlinked::Pending));
        if !waiting {
            continue;
        }
        let procedure = procedures
            .get(line.id.as_str())
            .copied()
            .unwrap_or(Procedure::Formal);
        let expected = line
            .launch_date
            .checked_add_months(Months::new(link_options.lead_months(procedure)))
            .unwrap_or(line.launch_date);
        let (expected, late) = if expected <= reference {
            match options.late {
                LateLines::Abandoned => continue,
                LateLines::StillExpected => (
                    reference
                        .checked_add_days(Days::new(1))
                        .unwrap_or(reference),
                    true,
                ),
            }
        } else {
            (expected, false)
        };
        if expected.year() != year {
            continue;
        }
        remaining.push((
            li,
            RemainingLine {
                line: line.id.clone(),
                expected,
                late,
                amount: line.amount,
            },
        ));
    }
    remaining.sort_by(|a, b| a.1.expected.cmp(&b.1.expected).then(a.0.cmp(&b.0)));

    // per target
    let mut out = Vec::new();
    let mut covs: Vec<Coverage> = Vec::new();
    let mut buf: Vec<Coverage> = Vec::new();
    for t in &targets.targets {
        let Some(&goal) = t.trajectory.get(&year) else {
            continue;
        };
        let indicator = t.indicator();
        let mut a_engine = IndicatorEngine::new(vec![indicator.clone()]);
        for &i in &awarded {
            let c = &known[i];
            let (levers, service) = linked(&linking, programme, planned, i);
            if let Some(p) = contract_purchase(t, c, &levers, service, &mut buf) {
                a_engine.add(&p);
            }
        }
        let a = a_engine
            .finish()
            .total(&t.id, year)
            .cloned()
            .unwrap_or_default();
        let r = remaining_measure(t, programme, planned, &remaining, &[], year, &mut covs);
        let mut landing = a.clone();
        landing.merge(&r);
        let met = landing.reaches(goal, t.basis);
        let closing = if met || !options.close {
            None
        } else {
            Some(close(
                t,
                goal,
                year,
                &a,
                &r,
                programme,
                planned,
                &remaining,
                &link_options,
                &options.plan,
            ))
        };
        out.push(TargetLanding {
            id: t.id.clone(),
            label: t.label.clone(),
            basis: t.basis,
            goal,
            awarded: a,
            remaining: r,
            landing_share: landing.share(t.basis),
            met,
            shortfall: landing.shortfall(goal, t.basis),
            landing,
            closing,
        });
    }

    Ok(Forecast {
        year,
        reference,
        awarded_contracts: awarded.len(),
        awarded_value,
        remaining: remaining.into_iter().map(|(_, r)| r).collect(),
        targets: out,
        linking,
    })
}

/// The measure of the remaining lines for `t`, with `extra` levers added on some lines.
fn remaining_measure(
    t: &Target,
    programme: &Programme,
    planned: &PlannedLevers<'_>,
    remaining: &[(usize, RemainingLine)],
    extra: &[(usize, Vec<&Lever>)],
    year: i32,
    covs: &mut Vec<Coverage>,
) -> Measure {
    let mut engine = IndicatorEngine::new(vec![t.indicator()]);
    for (li, r) in remaining {
        let line = &programme.lines[*li];
        let more: &[&Lever] = extra
            .iter()
            .find(|(l, _)| l == li)
            .map_or(&[], |(_, v)| v.as_slice());
        line_coverages(t, line, planned.levers(&line.id), more, covs);
        engine.add(&line_purchase(line, r.expected, covs));
    }
    engine
        .finish()
        .total(&t.id, year)
        .cloned()
        .unwrap_or_default()
}

/// The purchases whose levers close `t`'s gap.
#[allow(clippy::too_many_arguments)]
fn close(
    t: &Target,
    goal: Share,
    year: i32,
    awarded: &Measure,
    remaining_now: &Measure,
    programme: &Programme,
    planned: &PlannedLevers<'_>,
    remaining: &[(usize, RemainingLine)],
    link_options: &LinkOptions<'_>,
    plan_options: &PlanOptions,
) -> Closing {
    let mut landing_now = awarded.clone();
    landing_now.merge(remaining_now);
    let (num, den) = match t.basis {
        Basis::Count => (
            Decimal::from(awarded.count),
            Decimal::from(awarded.purchases + remaining_now.purchases),
        ),
        Basis::Value => (awarded.covered_value, awarded.value + remaining_now.value),
    };
    let rem_den = match t.basis {
        Basis::Count => Decimal::from(remaining_now.purchases),
        Basis::Value => remaining_now.value,
    };
    let verdict = |closure, required, note: Option<String>| Closing {
        closure,
        required_remaining_share: required,
        purchases: Vec::new(),
        landing_after: landing_now.clone(),
        note,
    };
    if rem_den.is_zero() {
        return verdict(Closure::NoRemainingPurchase, None, None);
    }
    let need = (den * goal.as_decimal() - num).max(Decimal::ZERO);
    let required = need.checked_div(rem_den).unwrap_or(Decimal::MAX);
    let Ok(required) = Share::new(required) else {
        return verdict(Closure::OutOfReach, None, None);
    };

    // the remaining lines in the target's scope, moved into the year for the planner
    let start = NaiveDate::from_ymd_opt(year, 1, 1);
    let mut lines: Vec<PlanLine> = Vec::new();
    let mut index: Vec<usize> = Vec::new();
    for (li, _) in remaining {
        let line = &programme.lines[*li];
        if !t.filter.matches(&line.purchase()) {
            continue;
        }
        let mut copy = line.clone();
        if let Some(s) = start {
            copy.launch_date = copy.launch_date.max(s);
        }
        copy.contract_ids.clear();
        lines.push(copy);
        index.push(*li);
    }
    let mut target = t.clone();
    target.trajectory = [(year, required)].into_iter().collect();
    let catalogue = planned.catalogue();
    let mut opts = plan_options.clone();
    for line in &lines {
        let applicable = catalogue.applicable_line(line, programme.buyer.kind);
        for l in planned.levers(&line.id) {
            if applicable.iter().any(|a| a.lever.id == l.id) {
                opts = opts.lock(Lock {
                    line: line.id.clone(),
                    lever: l.id.clone(),
                    kind: LockKind::Force,
                });
            }
        }
    }
    let sub = match Programme::new(programme.buyer.clone(), lines) {
        Ok(p) => p,
        Err(e) => return verdict(Closure::NoLeverCloses, Some(required), Some(e.to_string())),
    };
    let targets = match Targets::new(vec![target]) {
        Ok(t) => t,
        Err(e) => return verdict(Closure::NoLeverCloses, Some(required), Some(e.to_string())),
    };
    let rulebook = link_options.rulebook_or_embedded();
    let plan = match Planner::new(catalogue, rulebook).plan(&sub, &targets, &opts) {
        Ok(p) => p,
        Err(e) => return verdict(Closure::NoLeverCloses, Some(required), Some(e.to_string())),
    };
    // the levers added that count for the target
    let mut extra: Vec<(usize, Vec<&Lever>)> = Vec::new();
    for a in &plan.assignments {
        let Some(pos) = sub.lines.iter().position(|l| l.id == a.line) else {
            continue;
        };
        let have = planned.levers(&a.line);
        let added: Vec<&Lever> = a
            .levers
            .iter()
            .filter(|id| !have.iter().any(|l| &l.id == *id))
            .filter_map(|id| catalogue.get(id))
            .filter(|l| t.counts(l))
            .collect();
        if !added.is_empty() {
            extra.push((index[pos], added));
        }
    }
    let mut covs = Vec::new();
    let landing_with = |extra: &[(usize, Vec<&Lever>)], covs: &mut Vec<Coverage>| {
        let r = remaining_measure(t, programme, planned, remaining, extra, year, covs);
        let mut m = awarded.clone();
        m.merge(&r);
        m
    };
    let mut after = landing_with(&extra, &mut covs);
    if !after.reaches(goal, t.basis) {
        let mut v = verdict(Closure::NoLeverCloses, Some(required), None);
        v.landing_after = after;
        return v;
    }
    // no purchase can be left out: drop each one whose removal still reaches the goal,
    // smallest estimate first
    let mut order: Vec<usize> = (0..extra.len()).collect();
    order.sort_by_key(|&k| (programme.lines[extra[k].0].amount, extra[k].0));
    let mut keep: Vec<bool> = vec![true; extra.len()];
    for k in order {
        keep[k] = false;
        let trial: Vec<(usize, Vec<&Lever>)> = extra
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(e, _)| e.clone())
            .collect();
        let m = landing_with(&trial, &mut covs);
        if m.reaches(goal, t.basis) {
            after = m;
        } else {
            keep[k] = true;
        }
    }
    let mut purchases: Vec<ClosingPurchase> = extra
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|((li, levers), _)| {
            let line = &programme.lines[*li];
            ClosingPurchase {
                line: line.id.clone(),
                service: line.service.clone(),
                levers: levers.iter().map(|l| l.id.clone()).collect(),
                amount: line.amount,
                expected: remaining
                    .iter()
                    .find(|(i, _)| i == li)
                    .map_or(line.launch_date, |(_, r)| r.expected),
            }
        })
        .collect();
    purchases.sort_by(|a, b| a.expected.cmp(&b.expected).then(a.line.cmp(&b.line)));
    Closing {
        closure: Closure::Closes,
        required_remaining_share: Some(required),
        purchases,
        landing_after: after,
        note: None,
    }
}
