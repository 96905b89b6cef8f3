//! The obligations of a plan line: its purchase context and the obligations engine applied
//! to it (the law layer knows purchases, not programmes).

use crate::error::Result;
use crate::law::context::PurchaseContext;
use crate::law::obligations::{Finding, ObligationEngine};
use crate::programme::estimate::LineEstimate;
use crate::programme::model::PlanLine;
use crate::values::buyer_kind::BuyerKind;
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::{Dimension, Instrument};

impl ObligationEngine<'_> {
    /// [`ObligationEngine::check`] for a plan line (see [`PurchaseContext::from_line`]).
    ///
    /// # Errors
    /// As [`ObligationEngine::check`].
    pub fn check_line(
        &self,
        line: &PlanLine,
        buyer_kind: BuyerKind,
        estimate: Option<&LineEstimate>,
    ) -> Result<Vec<Finding>> {
        self.check(&PurchaseContext::from_line(line, buyer_kind, estimate))
    }
}

impl PurchaseContext {
    /// The context of a plan line of a buyer of `buyer_kind`, with its group value when the
    /// programme's estimate is given. Planned dimension tags become considerations through
    /// an execution clause (the instrument A's indicator projection uses for planned
    /// considerations); an innovative line gets an innovation consideration.
    ///
    /// ```
    /// use spaser::{BuyerKind, Programme, PurchaseContext};
    /// let programme = Programme::sample();
    /// let estimation = programme.estimate(spaser::Rulebook::embedded())?;
    /// let line = &programme.lines[0];
    /// let ctx = PurchaseContext::from_line(line, programme.buyer.kind, estimation.line(&line.id));
    /// assert_eq!(ctx.id, line.id);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn from_line(
        line: &PlanLine,
        buyer_kind: BuyerKind,
        estimate: Option<&LineEstimate>,
    ) -> PurchaseContext {
        let mut considerations: Vec<Consideration> = line
            .considerations
            .iter()
            .map(|d| Consideration::new(*d, Instrument::ExecutionClause))
            .collect();
        if line.innovative && !line.considerations.contains(&Dimension::Innovation) {
            considerations.push(Consideration::new(
                Dimension::Innovation,
                Instrument::TechnicalSpecification,
            ));
        }
        PurchaseContext {
            id: line.id.clone(),
            nature: line.nature,
            cpv: line.cpv,
            amount: line.amount,
            group_value: estimate.map(|e| e.group_value),
            launch_date: line.launch_date,
            buyer_kind,
            concession: false,
            duration_months: line.duration_months,
            service: line.service.clone(),
            considerations,
            award_criteria: None,
            reserved: None,
            social_exemption: None,
        }
    }
}
