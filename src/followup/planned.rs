//! The levers planned on each line (from a plan, or given by hand), with the catalogue that
//! describes them.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorKind, Result};
use crate::levers::lever::{Catalogue, Lever};
use crate::plan::planner::Plan;

/// The levers planned on each line.
///
/// ```
/// use spaser::Catalogue;
/// use spaser::followup::PlannedLevers;
/// let planned = PlannedLevers::new(Catalogue::embedded())
///     .with("L01", ["ecolabel-paper", "recycled-paper"])?;
/// assert_eq!(planned.levers("L01").len(), 2);
/// assert!(planned.levers("L02").is_empty());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PlannedLevers<'a> {
    catalogue: &'a Catalogue,
    by_line: BTreeMap<String, Vec<&'a Lever>>,
}

impl<'a> PlannedLevers<'a> {
    /// No lever planned.
    pub fn new(catalogue: &'a Catalogue) -> PlannedLevers<'a> {
        PlannedLevers {
            catalogue,
            by_line: BTreeMap::new(),
        }
    }

    /// The levers of a plan's assignments.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the line and the lever when a lever of the plan is
    /// not in `catalogue`.
    pub fn from_plan(plan: &Plan, catalogue: &'a Catalogue) -> Result<PlannedLevers<'a>> {
        Ok(PlannedLevers {
            catalogue,
            by_line: plan_levers(plan, catalogue)?,
        })
    }

    /// Adds levers to a line.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the line and the lever when a lever is not in the
    /// catalogue.
    pub fn with<S: AsRef<str>>(
        mut self,
        line: impl Into<String>,
        levers: impl IntoIterator<Item = S>,
    ) -> Result<PlannedLevers<'a>> {
        let line = line.into();
        let mut found = Vec::new();
        for id in levers {
            let id = id.as_ref();
            found.push(self.catalogue.get(id).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!("line \"{line}\": lever \"{id}\" is not in the catalogue"),
                )
            })?);
        }
        self.by_line.entry(line).or_default().extend(found);
        Ok(self)
    }

    /// The levers planned on a line (none when the line has none).
    pub fn levers(&self, line: &str) -> &[&'a Lever] {
        self.by_line.get(line).map_or(&[], Vec::as_slice)
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &'a Catalogue {
        self.catalogue
    }
}

/// The levers of each line of a plan, looked up in `catalogue`.
///
/// # Errors
/// [`ErrorKind::Inconsistent`] naming the line and the lever when a lever of the plan is not
/// in the catalogue.
pub(crate) fn plan_levers<'c>(
    plan: &Plan,
    catalogue: &'c Catalogue,
) -> Result<BTreeMap<String, Vec<&'c Lever>>> {
    let mut out: BTreeMap<String, Vec<&'c Lever>> = BTreeMap::new();
    for a in &plan.assignments {
        let v = out.entry(a.line.clone()).or_default();
        for id in &a.levers {
            let lever = catalogue.get(id).ok_or_else(|| {
                Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "plan line \"{}\": lever \"{id}\" is not in the catalogue",
                        a.line
                    ),
                )
            })?;
            v.push(lever);
        }
    }
    Ok(out)
}
