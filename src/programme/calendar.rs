//! The calendar of renewals and new needs: when to launch and when to start sourcing, back-planned
//! from the end of the current contract or the date the need must be met.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::programme::estimate::{Estimation, Procedure};
use crate::programme::model::{LineStatus, Programme};

/// Lead times, in months: from the launch of a consultation to the notification of the
/// contract, per procedure, and from the start of sourcing to the launch.
///
/// Defaults: no competition 1 month, adapted 3, formal 6; sourcing 2 months before launch.
///
/// ```
/// use spaser::{LeadTimes, Procedure};
/// let lead = LeadTimes::default().formal(8).sourcing(3);
/// assert_eq!(lead.months(Procedure::Formal), 8);
/// assert_eq!(lead.months(Procedure::Adapted), 3);
/// assert_eq!(lead.sourcing_months(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LeadTimes {
    no_competition: u32,
    adapted: u32,
    formal: u32,
    sourcing: u32,
}

impl Default for LeadTimes {
    fn default() -> Self {
        LeadTimes {
            no_competition: 1,
            adapted: 3,
            formal: 6,
            sourcing: 2,
        }
    }
}

impl LeadTimes {
    /// Sets the lead time of a purchase without competition.
    pub fn no_competition(mut self, months: u32) -> LeadTimes {
        self.no_competition = months;
        self
    }

    /// Sets the lead time of an adapted procedure.
    pub fn adapted(mut self, months: u32) -> LeadTimes {
        self.adapted = months;
        self
    }

    /// Sets the lead time of a formal procedure.
    pub fn formal(mut self, months: u32) -> LeadTimes {
        self.formal = months;
        self
    }

    /// Sets how long before the launch sourcing starts.
    pub fn sourcing(mut self, months: u32) -> LeadTimes {
        self.sourcing = months;
        self
    }

    /// Months from launch to notification for `procedure`.
    pub fn months(&self, procedure: Procedure) -> u32 {
        match procedure {
            // an order from a central purchasing body's or a group's contract: as quick as a
            // purchase without competition
            Procedure::NoCompetition | Procedure::Intermediary => self.no_competition,
            Procedure::Adapted => self.adapted,
            Procedure::Formal => self.formal,
        }
    }

    /// Months of sourcing before the launch.
    pub fn sourcing_months(&self) -> u32 {
        self.sourcing
    }
}

/// The calendar of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CalendarEntry {
    /// The line's id.
    pub line_id: String,
    /// Its procedure.
    pub procedure: Procedure,
    /// The planned launch date.
    pub launch_date: NaiveDate,
    /// End of the current contract (renewals only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_end_date: Option<NaiveDate>,
    /// The date a new need must be met by, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need_date: Option<NaiveDate>,
    /// Latest launch date so that the new contract is notified in time: the earlier of the
    /// current contract's end and the need date, minus the procedure's lead time (lines with
    /// neither have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch_by: Option<NaiveDate>,
    /// Latest start of sourcing: `launch_by` minus the sourcing lead time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcing_by: Option<NaiveDate>,
    /// The reference date is after `launch_by` and the line is still to launch or in
    /// preparation: the consultation should already be launched.
    pub late: bool,
    /// The reference date is after `sourcing_by` and the line is still to launch: sourcing
    /// should already have started.
    pub sourcing_late: bool,
    /// The planned launch date is after `launch_by`: the plan itself misses the deadline.
    pub planned_too_late: bool,
}

/// The calendar of a programme at a reference date: one entry per line, in programme order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Calendar {
    /// The reference date ("today"), passed in by the caller.
    pub reference: NaiveDate,
    /// One entry per line.
    pub entries: Vec<CalendarEntry>,
}

impl Calendar {
    /// Computes the calendar of `programme` from its `estimation` (for the procedures), the
    /// lead times and a reference date (the crate never reads the clock).
    ///
    /// The deadline of a line is the end of its current contract (renewals) or the date its
    /// need must be met (`need_date`, new needs), the earlier when both are given:
    /// `launch_by` = deadline minus the lead time of the line's procedure (the new contract
    /// is notified by the deadline), `sourcing_by` = `launch_by` minus the sourcing lead time.
    /// A line still to launch (or in preparation) is late when `reference` is after
    /// `launch_by`; one still to launch is sourcing-late after `sourcing_by`. Launched,
    /// awarded and cancelled lines are never late (cancelled ones have no deadline); lines
    /// without a deadline are never late.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when `estimation` is not the estimation of `programme`
    /// (different line ids); [`ErrorKind::InvalidValue`] when a deadline falls outside the
    /// calendar's range.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{Calendar, LeadTimes, Programme, Rulebook};
    /// let programme = Programme::sample();
    /// let estimation = programme.estimate(Rulebook::embedded())?;
    /// let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// let calendar = Calendar::new(programme, &estimation, &LeadTimes::default(), today)?;
    /// assert!(calendar.entries.iter().any(|e| e.launch_by.is_some()));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn new(
        programme: &Programme,
        estimation: &Estimation,
        lead: &LeadTimes,
        reference: NaiveDate,
    ) -> Result<Calendar> {
        if programme.lines.len() != estimation.lines.len() {
            return Err(Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "the estimation has {} lines but the programme {}",
                    estimation.lines.len(),
                    programme.lines.len()
                ),
            ));
        }
        let mut entries = Vec::with_capacity(programme.lines.len());
        for (line, est) in programme.lines.iter().zip(&estimation.lines) {
            if line.id != est.line_id {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "the estimation's line \"{}\" does not match the programme's line \"{}\"",
                        est.line_id, line.id
                    ),
                ));
            }
            let deadline = match (line.current_end_date, line.need_date) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let deadline = deadline.filter(|_| line.status != LineStatus::Cancelled);
            let (launch_by, sourcing_by) = match deadline {
                Some(end) => {
                    let launch_by = months_before(end, lead.months(est.procedure), &line.id)?;
                    let sourcing_by = months_before(launch_by, lead.sourcing, &line.id)?;
                    (Some(launch_by), Some(sourcing_by))
                }
                None => (None, None),
            };
            let to_launch = matches!(
                line.status,
                LineStatus::ToLaunch | LineStatus::InPreparation
            );
            entries.push(CalendarEntry {
                line_id: line.id.clone(),
                procedure: est.procedure,
                launch_date: line.launch_date,
                current_end_date: line.current_end_date,
                need_date: line.need_date,
                launch_by,
                sourcing_by,
                late: to_launch && launch_by.is_some_and(|d| reference > d),
                sourcing_late: line.status == LineStatus::ToLaunch
                    && sourcing_by.is_some_and(|d| reference > d),
                planned_too_late: launch_by.is_some_and(|d| line.launch_date > d),
            });
        }
        Ok(Calendar { reference, entries })
    }

    /// The entry of line `id`.
    pub fn entry(&self, id: &str) -> Option<&CalendarEntry> {
        self.entries.iter().find(|e| e.line_id == id)
    }

    /// The entries that are late at the reference date.
    pub fn late(&self) -> impl Iterator<Item = &CalendarEntry> {
        self.entries.iter().filter(|e| e.late)
    }
}

/// `date` minus `months` calendar months (the day is clamped to the month's last day).
fn months_before(date: NaiveDate, months: u32, id: &str) -> Result<NaiveDate> {
    date.checked_sub_months(Months::new(months)).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("line \"{id}\": {months} months before {date} is out of range"),
        )
    })
}
