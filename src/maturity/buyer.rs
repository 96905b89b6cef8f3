//! Evidence from the buyer's own data: its actuals only (by SIRET), the plan's planned levers,
//! the programme coverage computed, and what the data cover (years, buyer), so that a
//! criterion the data cannot decide says why.

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Coverage;
use crate::levers::lever::{Catalogue, Lever};
use crate::plan::planner::Plan;
use crate::programme::model::PlanLine;
use std::collections::BTreeMap;

/// The coverages of a planned line: its own planned considerations (whole line, execution
/// clause, as [`PlanLine::purchase`] counts them) then each planned lever's
/// ([`Lever::as_coverage`]). Appended to `out`.
pub(crate) fn planned_coverages(line: &PlanLine, levers: &[&Lever], out: &mut Vec<Coverage>) {
    out.extend_from_slice(line.purchase().considerations);
    out.extend(levers.iter().map(|l| l.as_coverage()));
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
