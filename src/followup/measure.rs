//! What counts for a target, on a planned line and on an awarded contract: the coverages the
//! one indicator engine reads.
//!
//! - A planned line counts, for a target, its own planned considerations when the target
//!   counts them ([`Target::counts_existing`]: no goal or lever restriction) and its planned
//!   levers that the target counts ([`Target::counts`]) — as the planner counts them.
//! - An awarded contract counts its published considerations for a target without goal or
//!   lever restriction. For a target restricted to goals or levers (AGEC, EGalim…) the DECP
//!   says nothing of goals: the contract counts the planned levers of its linked lines that
//!   the target counts *and* whose dimension the contract published (the lever's coverage);
//!   an unlinked contract counts nothing for such a target.

use chrono::NaiveDate;

use super::link::Linking;
use super::planned::PlannedLevers;
use crate::decp::{AwardedContract, purchase_of};
use crate::indicators::{Coverage, Purchase};
use crate::levers::lever::Lever;
use crate::plan::targets::Target;
use crate::programme::model::{PlanLine, Programme};
use crate::vocabulary::dimension::Dimension;

/// The coverages of a planned line for `target` (levers in `extra` counted too).
pub(crate) fn line_coverages(
    target: &Target,
    line: &PlanLine,
    levers: &[&Lever],
    extra: &[&Lever],
    out: &mut Vec<Coverage>,
) {
    out.clear();
    if target.counts_existing() {
        out.extend_from_slice(line.purchase().considerations);
    }
    out.extend(
        levers
            .iter()
            .chain(extra)
            .filter(|l| target.counts(l))
            .map(|l| l.as_coverage()),
    );
}

/// Whether the contract published a consideration of `dimension` (innovation: the flag).
fn published(c: &AwardedContract, dimension: Dimension) -> bool {
    match dimension {
        Dimension::Social => c
            .social
            .as_ref()
            .is_some_and(|v| v.iter().any(|x| x.dimension == dimension)),
        Dimension::Environmental => c
            .environmental
            .as_ref()
            .is_some_and(|v| v.iter().any(|x| x.dimension == dimension)),
        _ => c.innovative == Some(true),
    }
}

/// The purchase of an awarded contract for `target`, with its coverages in `buf`; `service`
/// is the prescribing service carried over from a linked line. `None` without date or amount.
pub(crate) fn contract_purchase<'a>(
    target: &Target,
    c: &'a AwardedContract,
    linked_levers: &[&Lever],
    service: Option<&'a str>,
    buf: &'a mut Vec<Coverage>,
) -> Option<Purchase<'a>> {
    if target.counts_existing() {
        let mut p = purchase_of(c, buf)?;
        p.service = service;
        return Some(p);
    }
    buf.clear();
    buf.extend(
        linked_levers
            .iter()
            .filter(|l| target.counts(l) && published(c, l.dimension))
            .map(|l| l.as_coverage()),
    );
    let mut p = Purchase::new(c.notification_date?, c.current_amount()?);
    p.cpv = c.cpv;
    p.nature = c.cpv.and_then(|x| x.nature());
    p.buyer = c.buyer.as_ref().map(|b| b.as_str());
    p.procedure = c.procedure.as_deref();
    p.innovative = c.innovative == Some(true);
    p.considerations = buf;
    p.service = service;
    Some(p)
}

/// The planned levers of the lines a contract is linked to, and the first line's service.
pub(crate) fn linked<'p>(
    linking: &Linking,
    programme: &'p Programme,
    planned: &PlannedLevers<'p>,
    index: usize,
) -> (Vec<&'p Lever>, Option<&'p str>) {
    let Some(link) = linking.link_of_contract(index) else {
        return (Vec::new(), None);
    };
    let mut levers = Vec::new();
    let mut service = None;
    for id in &link.lines {
        if let Some(line) = programme.line(id) {
            if service.is_none() {
                service = line.service.as_deref();
            }
            for l in planned.levers(id) {
                if !levers.iter().any(|x: &&Lever| x.id == l.id) {
                    levers.push(*l);
                }
            }
        }
    }
    (levers, service)
}

/// The purchase of a planned line dated `date`, with `coverages`.
pub(crate) fn line_purchase<'a>(
    line: &'a PlanLine,
    date: NaiveDate,
    coverages: &'a [Coverage],
) -> Purchase<'a> {
    let mut p = line.purchase();
    p.date = date;
    p.considerations = coverages;
    p
}
