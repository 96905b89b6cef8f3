//! The yearly SPASER review as data: per target the goal, the projection at planning time, the
//! realised figure from the DECP, the gap and its causes; the table the law asks to publish;
//! the figures per prescribing service; planned against actual; unplanned purchases and late
//! lines. Rendered by [`Review::to_markdown`], [`Review::to_html`] and [`Review::to_json`].

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::buyer::match_buyer;
use super::compare::{LineOutcome, compare};
use super::link::{LinkOptions, Linking, Unlinked, link};
use super::measure::{contract_purchase, line_coverages, line_purchase, linked};
use super::planned::PlannedLevers;
use crate::decp::{AwardedContract, purchase_of};
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, Coverage, GroupBy, Indicator, IndicatorEngine, Measure};
use crate::plan::targets::Targets;
use crate::programme::model::Programme;
use crate::util::text::fold;
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::share::Share;

/// Options of [`review`].
#[derive(Debug, Clone, Default)]
pub struct ReviewOptions<'a> {
    link: LinkOptions<'a>,
}

impl<'a> ReviewOptions<'a> {
    /// The linking options (threshold, tolerances, rulebook, lead times, horizon).
    pub fn link(mut self, link: LinkOptions<'a>) -> Self {
        self.link = link;
        self
    }
}

/// A cause of a target's gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Cause {
    /// Contracts of the year in the target's scope that no planned line became.
    UnplannedPurchases {
        /// How many.
        contracts: u64,
        /// How many of them count for the target.
        counting: u64,
        /// Their value HT.
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        /// Their keys.
        keys: Vec<String>,
    },
    /// Linked lines whose planned levers count for the target, but whose contracts do not.
    LeversNotPublished {
        /// Line ids.
        lines: Vec<String>,
    },
    /// Lines of the year in the target's scope with levers that count, without a contract
    /// past their expected award date (late or abandoned).
    LinesLate {
        /// Line ids.
        lines: Vec<String>,
    },
    /// Lines of the year in the target's scope with levers that count, still within their
    /// expected award window (awarded later, they will count in the year of their
    /// notification).
    LinesPending {
        /// Line ids.
        lines: Vec<String>,
    },
}

/// A target in the reviewed year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TargetReview {
    /// Target id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Where the target comes from.
    pub source: String,
    /// Count or value basis.
    pub basis: Basis,
    /// The year's goal.
    pub goal: Share,
    /// Projection at planning time: the programme's lines launched in the year, with their
    /// planned levers (as the plan counts them).
    pub projected: Measure,
    /// Realised: the buyer's contracts notified in the year (DECP).
    pub realised: Measure,
    /// Realised share − goal, on the target's basis (`None` for an empty scope).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub gap: Option<Decimal>,
    /// Whether the realised figure reaches the goal (`None` for an empty scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met: Option<bool>,
    /// Causes of the difference between projection and realisation.
    pub causes: Vec<Cause>,
}

impl TargetReview {
    /// The projected share.
    pub fn projected_share(&self) -> Option<Share> {
        self.projected.share(self.basis)
    }

    /// The realised share.
    pub fn realised_share(&self) -> Option<Share> {
        self.realised.share(self.basis)
    }
}

/// One row of the table the law asks to publish (L2111-3: indicators "en nombre de contrats
/// ou en valeur" of the actual rates of socially and ecologically responsible purchases).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublishedIndicator {
    /// Standard indicator id (`social`, `environmental`, `reserved`, `innovative`).
    pub indicator: String,
    /// Year of notification.
    pub year: i32,
    /// Contracts, value, those counting, unknown.
    pub measure: Measure,
}

/// The standard indicators of one prescribing service (from the lines its contracts are
/// linked to; the DECP has no service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ServiceRow {
    /// Service (empty: contracts not linked to a line).
    pub service: String,
    /// Social indicator.
    pub social: Measure,
    /// Environmental indicator.
    pub environmental: Measure,
}

/// An unplanned purchase of the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnplannedRow {
    /// Contract key.
    pub key: String,
    /// Object.
    pub object: String,
    /// CPV code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpv: Option<CpvCode>,
    /// Current amount HT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// Notification date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified: Option<NaiveDate>,
    /// Whether it published a social consideration.
    pub social: bool,
    /// Whether it published an environmental consideration.
    pub environmental: bool,
}

/// A line of the year without a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnlinkedRow {
    /// Line id.
    pub line: String,
    /// Label.
    pub label: String,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Estimate HT.
    pub estimate: Amount,
    /// Where it stands.
    pub state: Unlinked,
    /// End of its expected award window.
    pub expected_by: NaiveDate,
    /// Days late at the horizon (positive when late).
    pub days_late: i64,
}

/// What the review read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DataNote {
    /// Contracts given.
    pub contracts: usize,
    /// Of the buyer (its SIRET or its SIREN's other establishments).
    pub of_buyer: usize,
    /// Of the buyer, notified in the year.
    pub in_year: usize,
    /// Of other buyers (ignored).
    pub other_buyers: usize,
    /// Lines of the programme launched in the year.
    pub lines_in_year: usize,
}

/// The yearly SPASER review of a buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Review {
    /// Buyer name.
    pub buyer: String,
    /// Buyer SIRET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// The year reviewed.
    pub year: i32,
    /// The data horizon (latest notification read, or the one set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// What was read.
    pub data: DataNote,
    /// Targets with a goal for the year, in the targets' order.
    pub targets: Vec<TargetReview>,
    /// The indicators to publish: the year and the year before, standard indicators.
    pub publication: Vec<PublishedIndicator>,
    /// Per prescribing service, sorted by service (contracts not linked last).
    pub services: Vec<ServiceRow>,
    /// Planned against actual for the lines of the year linked to a contract.
    pub outcomes: Vec<LineOutcome>,
    /// Unplanned purchases of the year.
    pub unplanned: Vec<UnplannedRow>,
    /// Lines of the year without a contract (late, pending, below the publication threshold…).
    pub unlinked: Vec<UnlinkedRow>,
    /// The full linking (every link with its score and reasons).
    pub linking: Linking,
}

/// The yearly review of `year`: targets (goal, projection at planning time, realised figure,
/// gap and causes), the indicators the law asks to publish by count and by value, figures per
/// prescribing service, planned against actual, unplanned purchases, late lines.
///
/// `contracts` may hold other buyers' contracts (ignored and counted); `planned` gives the
/// levers of the plan ([`PlannedLevers::from_plan`]).
///
/// # Errors
/// [`ErrorKind::InvalidValue`] when no target has a goal for `year` and the programme has no
/// line in it (nothing to review); errors of [`link`] and [`compare`].
///
/// ```
/// use spaser::followup::{review, PlannedLevers, ReviewOptions};
/// use spaser::{Catalogue, Lang, Programme, Rulebook, Targets};
/// let programme = Programme::sample();
/// let targets = Targets::defaults_for(programme, Rulebook::embedded());
/// let planned = PlannedLevers::new(Catalogue::embedded());
/// let r = review(programme, &planned, &[], &targets, 2026, &ReviewOptions::default())?;
/// assert!(r.to_markdown(Lang::Fr).starts_with("# Bilan annuel du SPASER 2026"));
/// assert!(r.to_markdown(Lang::En).starts_with("# SPASER yearly review 2026"));
/// # Ok::<(), spaser::Error>(())
/// ```
pub fn review(
    programme: &Programme,
    planned: &PlannedLevers<'_>,
    contracts: &[AwardedContract],
    targets: &Targets,
    year: i32,
    options: &ReviewOptions<'_>,
) -> Result<Review> {
    let lines_in_year: Vec<usize> = programme
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.launch_date.year() == year)
        .map(|(i, _)| i)
        .collect();
    if lines_in_year.is_empty()
        && !targets
            .targets
            .iter()
            .any(|t| t.trajectory.contains_key(&year))
    {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("year {year}: the programme has no line and no target has a goal in it"),
        ));
    }
    let linking = link(programme, contracts, &options.link)?;
    let outcomes_all = compare(programme, contracts, &linking, planned, &options.link)?;
    let siret = programme.buyer.siret;
    let of_buyer: Vec<usize> = contracts
        .iter()
        .enumerate()
        .filter(|(_, c)| match_buyer(siret.as_ref(), c.buyer.as_ref()).is_some())
        .filter(|(_, c)| {
            linking
                .as_of
                .is_none_or(|a| c.notification_date.is_none_or(|d| d <= a))
        })
        .map(|(i, _)| i)
        .collect();
    let in_year: Vec<usize> = of_buyer
        .iter()
        .copied()
        .filter(|&i| {
            contracts[i]
                .notification_date
                .is_some_and(|d| d.year() == year)
        })
        .collect();

    // targets
    let mut reviews = Vec::new();
    let mut covs: Vec<Coverage> = Vec::new();
    let mut buf: Vec<Coverage> = Vec::new();
    for t in &targets.targets {
        let Some(&goal) = t.trajectory.get(&year) else {
            continue;
        };
        let ind = t.indicator();
        // projection at planning time
        let mut pe = IndicatorEngine::new(vec![ind.clone()]);
        for &li in &lines_in_year {
            let line = &programme.lines[li];
            line_coverages(t, line, planned.levers(&line.id), &[], &mut covs);
            pe.add(&line_purchase(line, line.launch_date, &covs));
        }
        let projected = pe.finish().total(&t.id, year).cloned().unwrap_or_default();
        // realised
        let mut re = IndicatorEngine::new(vec![ind.clone()]);
        let mut unplanned = (0u64, 0u64, Decimal::ZERO, Vec::new());
        let mut not_published: Vec<String> = Vec::new();
        for &i in &in_year {
            let c = &contracts[i];
            let (levers, service) = linked(&linking, programme, planned, i);
            let Some(p) = contract_purchase(t, c, &levers, service, &mut buf) else {
                continue;
            };
            if !ind.filter.matches(&p) {
                continue;
            }
            let counts = ind.counts(&p);
            re.add(&p);
            match linking.link_of_contract(i) {
                None => {
                    unplanned.0 += 1;
                    unplanned.1 += u64::from(counts);
                    unplanned.2 += p.amount.as_decimal();
                    if let Some(u) = linking.unplanned.iter().find(|u| u.contract.index == i) {
                        unplanned.3.push(u.contract.key.clone());
                    }
                }
                Some(link) if !counts => {
                    // the lines planned something that counts: not published
                    for id in &link.lines {
                        let Some(line) = programme.line(id) else {
                            continue;
                        };
                        line_coverages(t, line, planned.levers(id), &[], &mut covs);
                        let lp = line_purchase(line, line.launch_date, &covs);
                        if ind.counts(&lp) && !not_published.contains(id) {
                            not_published.push(id.clone());
                        }
                    }
                }
                Some(_) => {}
            }
        }
        let realised = re.finish().total(&t.id, year).cloned().unwrap_or_default();
        // lines of the year in scope with counting levers, without a contract
        let (mut late, mut pending) = (Vec::new(), Vec::new());
        for u in &linking.unlinked {
            let Some(line) = programme.line(&u.line) else {
                continue;
            };
            if line.launch_date.year() != year {
                continue;
            }
            line_coverages(t, line, planned.levers(&line.id), &[], &mut covs);
            let lp = line_purchase(line, line.launch_date, &covs);
            if !(ind.filter.matches(&lp) && ind.counts(&lp)) {
                continue;
            }
            match u.state {
                Unlinked::LateOrAbandoned => late.push(u.line.clone()),
                Unlinked::Pending => pending.push(u.line.clone()),
                _ => {}
            }
        }
        let mut causes = Vec::new();
        if unplanned.0 > 0 {
            causes.push(Cause::UnplannedPurchases {
                contracts: unplanned.0,
                counting: unplanned.1,
                value: unplanned.2,
                keys: unplanned.3,
            });
        }
        let position = |id: &String| programme.lines.iter().position(|l| &l.id == id);
        not_published.sort_by_key(position);
        if !not_published.is_empty() {
            causes.push(Cause::LeversNotPublished {
                lines: not_published,
            });
        }
        if !late.is_empty() {
            causes.push(Cause::LinesLate { lines: late });
        }
        if !pending.is_empty() {
            causes.push(Cause::LinesPending { lines: pending });
        }
        let share = realised.share(t.basis);
        reviews.push(TargetReview {
            id: t.id.clone(),
            label: t.label.clone(),
            source: t.source.clone(),
            basis: t.basis,
            goal,
            projected,
            gap: share.map(|s| s.as_decimal() - goal.as_decimal()),
            met: realised.compare(t.basis, goal).map(|o| o.is_ge()),
            realised,
            causes,
        });
    }

    // the indicators to publish, and per service
    let mut engine = IndicatorEngine::new(Indicator::standard()).by(GroupBy::Service);
    for &i in &of_buyer {
        let c = &contracts[i];
        let Some(d) = c.notification_date else {
            continue;
        };
        if d.year() != year && d.year() != year - 1 {
            continue;
        }
        let (_, service) = linked(&linking, programme, planned, i);
        if let Some(mut p) = purchase_of(c, &mut buf) {
            p.service = service;
            engine.add(&p);
        }
    }
    let table = engine.finish();
    let mut publication = Vec::new();
    for y in [year - 1, year] {
        for ind in Indicator::standard() {
            if let Some(m) = table.total(&ind.id, y) {
                publication.push(PublishedIndicator {
                    indicator: ind.id.clone(),
                    year: y,
                    measure: m.clone(),
                });
            }
        }
    }
    let mut by_service: BTreeMap<String, ServiceRow> = BTreeMap::new();
    for row in &table.rows {
        if row.group_by != GroupBy::Service || row.year != year {
            continue;
        }
        let e = by_service
            .entry(row.group.clone())
            .or_insert_with(|| ServiceRow {
                service: row.group.clone(),
                social: Measure::default(),
                environmental: Measure::default(),
            });
        match row.indicator.as_str() {
            "social" => e.social = row.measure.clone(),
            "environmental" => e.environmental = row.measure.clone(),
            _ => {}
        }
    }
    let mut services: Vec<ServiceRow> = by_service.into_values().collect();
    // contracts not linked (no service) last
    services.sort_by(|a, b| {
        a.service
            .is_empty()
            .cmp(&b.service.is_empty())
            .then_with(|| fold(&a.service).cmp(&fold(&b.service)))
            .then_with(|| a.service.cmp(&b.service))
    });

    // planned against actual for the lines of the year; unplanned; unlinked
    let outcomes: Vec<LineOutcome> = outcomes_all
        .into_iter()
        .filter(|o| o.launch_date.year() == year)
        .collect();
    let unplanned: Vec<UnplannedRow> = linking
        .unplanned
        .iter()
        .filter_map(|u| {
            let c = contracts.get(u.contract.index)?;
            if c.notification_date?.year() != year {
                return None;
            }
            let has = |l: &crate::decp::Considerations| l.as_ref().is_some_and(|v| !v.is_empty());
            Some(UnplannedRow {
                key: u.contract.key.clone(),
                object: c.object.clone().unwrap_or_default(),
                cpv: c.cpv,
                amount: c.current_amount(),
                notified: c.notification_date,
                social: has(&c.social),
                environmental: has(&c.environmental),
            })
        })
        .collect();
    let unlinked: Vec<UnlinkedRow> = linking
        .unlinked
        .iter()
        .filter_map(|u| {
            let line = programme.line(&u.line)?;
            (line.launch_date.year() == year).then(|| UnlinkedRow {
                line: line.id.clone(),
                label: line.label.clone(),
                service: line.service.clone(),
                estimate: line.amount,
                state: u.state,
                expected_by: u.expected_by,
                days_late: u.days_late,
            })
        })
        .collect();

    let data = DataNote {
        contracts: contracts.len(),
        of_buyer: of_buyer.len(),
        in_year: in_year.len(),
        other_buyers: linking.accounting.other_buyers + linking.accounting.no_buyer,
        lines_in_year: lines_in_year.len(),
    };
    Ok(Review {
        buyer: programme.buyer.name.clone(),
        siret: siret.map(|s| s.as_str().to_string()),
        year,
        as_of: linking.as_of,
        data,
        targets: reviews,
        publication,
        services,
        outcomes,
        unplanned,
        unlinked,
        linking,
    })
}

impl Review {
    /// The review as pretty JSON (deterministic; amounts and shares as strings).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("review: {e}")).with_source(e))
    }
}
