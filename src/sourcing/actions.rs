//! Sourcing actions: for each line still to launch, the sourcing window from the calendar,
//! the suppliers to meet by status, what the market's capacity supports and the
//! innovative-purchase routes; grouped into one sheet per prescribing service.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::law::innovation::InnovationRules;
use crate::law::rulebook::Rulebook;
use crate::levers::lever::Catalogue;
use crate::programme::calendar::{Calendar, LeadTimes};
use crate::programme::model::{LineStatus, Programme};
use crate::sourcing::capacity::Capacity;
use crate::sourcing::directory::{Directory, StaffBand};
use crate::sourcing::innovation::{InnovationAssessment, innovation_routes};
use crate::sourcing::ladder::{Recommendation, Recommendations, Rung};
use crate::sourcing::options::{Level, SourcingOptions};
use crate::sourcing::status::{Status, StatusFamily};
use crate::values::money::Amount;
use crate::values::place::Departement;
use crate::values::siret::Siret;

/// A supplier to meet, as a sourcing sheet lists it (a company: no contact person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SupplierToMeet {
    /// Name.
    pub name: String,
    /// SIRET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<Siret>,
    /// Département.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departement: Option<Departement>,
    /// Its statuses and labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
    /// Staff band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_band: Option<StaffBand>,
    /// Turnover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnover: Option<Amount>,
}

/// Suppliers to meet that share a family of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MeetGroup {
    /// The family (`None`: suppliers without a status of the families listed before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<StatusFamily>,
    /// How many suppliers of the family are within reach.
    pub count: usize,
    /// The first of them, by name (at most the options' limit).
    pub suppliers: Vec<SupplierToMeet>,
}

/// The sourcing action of one line to launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourcingAction {
    /// Line id.
    pub line: String,
    /// What is bought.
    pub label: String,
    /// Prescribing service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Estimated value.
    pub amount: Amount,
    /// Where the line stands.
    pub status: LineStatus,
    /// Start of the sourcing window: the sourcing lead time before its end.
    pub sourcing_from: NaiveDate,
    /// End of the sourcing window: the planned launch date, or the latest launch date when
    /// that is earlier (renewals and new needs with a need date).
    pub sourcing_until: NaiveDate,
    /// The reference date is after the window's start: sourcing should have started.
    pub sourcing_late: bool,
    /// The level where suppliers were counted.
    pub reach: Level,
    /// Suppliers within reach matching the line.
    pub suppliers_in_reach: usize,
    /// Suppliers to meet, by family of status: the family the social recommendation relies
    /// on first, then the other families, then the rest.
    pub meet: Vec<MeetGroup>,
    /// What the market supports on the social side.
    pub social: Recommendation,
    /// What it supports on the environmental side.
    pub environmental: Vec<Recommendation>,
    /// The innovative-purchase routes.
    pub innovation: InnovationAssessment,
}

/// The sourcing of a programme: one action per line still to launch (or in preparation), in
/// the order of their sourcing windows, and the sheets per prescribing service.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Catalogue, InnovationRules, LeadTimes, Programme, Rulebook};
/// use spaser::sourcing::{Directory, SourcingOptions, SourcingPlan};
/// let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
/// let options = SourcingOptions::default().departement("49".parse()?);
/// let plan = SourcingPlan::build(
///     Programme::sample(), Directory::sample(), Catalogue::embedded(), Rulebook::embedded(),
///     InnovationRules::embedded(), &options, &LeadTimes::default(), today)?;
/// let cleaning = plan.action("S26-01").unwrap();
/// assert_eq!(cleaning.sourcing_until.to_string(), "2026-05-04");
/// assert_eq!(cleaning.sourcing_from.to_string(), "2026-03-04");
/// assert!(plan.services().contains(&"Moyens généraux"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SourcingPlan {
    /// The buyer's name.
    pub buyer: String,
    /// The reference date ("today", given by the caller).
    pub reference: NaiveDate,
    /// The actions, by start of the sourcing window, then line id.
    pub actions: Vec<SourcingAction>,
}

/// The sheet title of lines without a prescribing service.
pub(crate) const NO_SERVICE: &str = "";

impl SourcingPlan {
    /// Computes capacity, the ladder, the innovative-purchase routes and the calendar, and
    /// keeps the lines to launch or in preparation.
    ///
    /// # Errors
    /// Errors of the estimation ([`Programme::estimate`](crate::Programme::estimate)), the
    /// calendar, the ladder and the routes; [`ErrorKind::InvalidValue`] when a sourcing window
    /// falls outside the calendar's range.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        programme: &Programme,
        directory: &Directory,
        catalogue: &Catalogue,
        rulebook: &Rulebook,
        rules: &InnovationRules,
        options: &SourcingOptions,
        lead: &LeadTimes,
        reference: NaiveDate,
    ) -> Result<SourcingPlan> {
        let capacity = Capacity::compute(programme, directory, options);
        let recommendations = Recommendations::compute(programme, &capacity, catalogue, options)?;
        let estimation = programme.estimate(rulebook)?;
        let routes = innovation_routes(programme, &capacity, Some(&estimation), rulebook, rules)?;
        let calendar = Calendar::new(programme, &estimation, lead, reference)?;
        let mut actions = Vec::new();
        for (i, line) in programme.lines.iter().enumerate() {
            if !matches!(
                line.status,
                LineStatus::ToLaunch | LineStatus::InPreparation
            ) {
                continue;
            }
            let entry = calendar.entry(&line.id);
            let until = entry
                .and_then(|e| e.launch_by)
                .map_or(line.launch_date, |by| by.min(line.launch_date));
            let from = until
                .checked_sub_months(Months::new(lead.sourcing_months()))
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "line \"{}\": the sourcing window before {until} is out of range",
                            line.id
                        ),
                    )
                })?;
            let cap = &capacity.lines[i];
            let rec = &recommendations.lines[i];
            let meet = meet_groups(cap.suppliers(directory), &rec.social, options.max_to_meet);
            actions.push(SourcingAction {
                line: line.id.clone(),
                label: line.label.clone(),
                service: line.service.clone(),
                amount: line.amount,
                status: line.status,
                sourcing_from: from,
                sourcing_until: until,
                sourcing_late: line.status == LineStatus::ToLaunch && reference > from,
                reach: cap.reach,
                suppliers_in_reach: cap.in_reach().all.count,
                meet,
                social: rec.social.clone(),
                environmental: rec.environmental.clone(),
                innovation: routes[i].clone(),
            });
        }
        actions.sort_by(|a, b| {
            a.sourcing_from
                .cmp(&b.sourcing_from)
                .then_with(|| a.line.cmp(&b.line))
        });
        Ok(SourcingPlan {
            buyer: programme.buyer.name.clone(),
            reference,
            actions,
        })
    }

    /// The action of line `id`.
    pub fn action(&self, id: &str) -> Option<&SourcingAction> {
        self.actions.iter().find(|a| a.line == id)
    }

    /// The prescribing services with an action, sorted (`""` for lines without one, first).
    pub fn services(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .actions
            .iter()
            .map(|a| a.service.as_deref().unwrap_or(NO_SERVICE))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The actions of prescribing service `service` (`""` for lines without one).
    pub fn of_service<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a SourcingAction> {
        self.actions
            .iter()
            .filter(move |a| a.service.as_deref().unwrap_or(NO_SERVICE) == service)
    }

    /// The plan as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("sourcing plan: {e}")).with_source(e))
    }
}

/// The family a social recommendation relies on.
fn family_of(rec: &Recommendation) -> Vec<StatusFamily> {
    match (rec.rung, rec.article.as_deref()) {
        (Rung::FullReservation | Rung::ReservedLot, Some("L2113-12")) => {
            vec![StatusFamily::Disability]
        }
        (Rung::FullReservation | Rung::ReservedLot, Some("L2113-13")) => {
            vec![StatusFamily::Insertion]
        }
        (Rung::FullReservation | Rung::ReservedLot, Some("L2113-13-1")) => {
            vec![StatusFamily::Prison]
        }
        (Rung::FullReservation | Rung::ReservedLot, _) => vec![StatusFamily::SocialEconomy],
        _ => vec![
            StatusFamily::Insertion,
            StatusFamily::Disability,
            StatusFamily::Prison,
        ],
    }
}

fn meet_groups<'d>(
    suppliers: impl Iterator<Item = &'d crate::sourcing::directory::Supplier>,
    social: &Recommendation,
    max: usize,
) -> Vec<MeetGroup> {
    let mut order = family_of(social);
    for f in [
        StatusFamily::Insertion,
        StatusFamily::Disability,
        StatusFamily::Prison,
        StatusFamily::SocialEconomy,
        StatusFamily::Environmental,
        StatusFamily::Innovation,
        StatusFamily::Quality,
        StatusFamily::Other,
    ] {
        if !order.contains(&f) {
            order.push(f);
        }
    }
    // Each supplier goes to the first family of the order it holds, or to the rest.
    let mut groups: BTreeMap<usize, Vec<SupplierToMeet>> = BTreeMap::new();
    for s in suppliers {
        let statuses: Vec<Status> = s.statuses().into_iter().cloned().collect();
        let slot = order
            .iter()
            .position(|f| statuses.iter().any(|st| st.family() == *f))
            .unwrap_or(order.len());
        groups.entry(slot).or_default().push(SupplierToMeet {
            name: s.name.clone(),
            siret: s.siret,
            departement: s.departement.clone(),
            statuses,
            staff_band: s.staff_band,
            turnover: s.turnover,
        });
    }
    groups
        .into_iter()
        .map(|(slot, mut list)| {
            list.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.siret.cmp(&b.siret)));
            let count = list.len();
            list.truncate(max);
            MeetGroup {
                family: order.get(slot).copied(),
                count,
                suppliers: list,
            }
        })
        .collect()
}
