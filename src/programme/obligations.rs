//! The obligations of a plan line and of a buyer: a line's purchase context and the
//! obligations engine applied to it, and the SPASER verdict on the buyer's yearly expenditure
//! (the law layer knows purchases and buyer statuses, not programmes).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::PurchaseContext;
use crate::law::obligation_rules::ObligationId;
use crate::law::obligations::{Finding, FindingKind, ObligationEngine, Status};
use crate::programme::estimate::LineEstimate;
use crate::programme::model::{Buyer, IntermediaryKind, PlanLine, Programme};
use crate::values::buyer_kind::{BuyerKind, BuyerStatus};
use crate::values::confidence::Confidence;
use crate::values::money::{Amount, euros_display};
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

    /// Whether `buyer` must adopt a SPASER for calendar `year`, judged on its **expenditure**
    /// (D2111-3: what it spent in the year under all its public contracts, Livre V excluded,
    /// strictly above the threshold) from [`Buyer::expenditure`], under the rule in force on 31
    /// December of `year`.
    ///
    /// Without the year's expenditure the status is `unknown` and the reason says what to
    /// provide — never "not required" because a programme is below the threshold. `planned`,
    /// the value of the contracts the programme launches in the year, is then shown as a lower
    /// bound of the buyer's purchases ("at least"), not as the legal test. Without a status the
    /// buyer is judged when the rule covers every status; otherwise the status is `unknown`.
    ///
    /// ```
    /// use spaser::{Amount, Buyer, BuyerStatus, ObligationEngine, Rulebook, Status};
    /// let engine = ObligationEngine::new(Rulebook::embedded());
    /// let mut buyer = Buyer::with_status("Ville", BuyerStatus::LocalAuthority);
    /// let f = engine.spaser_for_buyer(&buyer, 2026, Some(Amount::from_euros(10_000_000)))?;
    /// assert_eq!(f.status, Status::Unknown); // expenditure not given
    /// assert!(f.reason.contains("at least"));
    /// buyer.expenditure.insert(2026, Amount::from_euros(62_000_000));
    /// let f = engine.spaser_for_buyer(&buyer, 2026, None)?;
    /// assert_eq!(f.status, Status::Missing); // 62 M > 50 M: the buyer must adopt one
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no SPASER rule covers 31 December of `year`;
    /// [`ErrorKind::InvalidValue`] for a year out of range.
    pub fn spaser_for_buyer(
        &self,
        buyer: &Buyer,
        year: i32,
        planned: Option<Amount>,
    ) -> Result<Finding> {
        let on = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("year \"{year}\" is out of range"),
            )
        })?;
        let rule = self.rulebook().obligations.spaser_rule(on).ok_or_else(|| {
            Error::new(ErrorKind::NoRule, format!("no SPASER rule known on {on}"))
        })?;
        let every_status = BuyerStatus::ALL.iter().all(|s| rule.scope.contains(s));
        let unknown = |reason: String| Finding {
            obligation: ObligationId::Spaser,
            article: rule.article.clone(),
            kind: FindingKind::Obligation,
            status: Status::Unknown,
            confidence: Confidence::Unknown,
            reason,
            to_plan: false,
        };
        let status = match (buyer.status, every_status) {
            (Some(s), _) => s,
            // the rule covers every status: any will do
            (None, true) => BuyerStatus::OtherContractingAuthority,
            (None, false) => {
                return Ok(unknown(format!(
                    "{year}: the buyer's legal status is not given and the rule of {} covers only some statuses; provide the buyer's status",
                    rule.period
                )));
            }
        };
        match buyer.expenditure.get(&year) {
            Some(&spend) => self.spaser(status, spend, on, false),
            None => {
                let lower = planned
                    .filter(|v| !v.is_zero())
                    .map(|v| {
                        format!(
                            "; the programme launches at least {} of contracts in {year} (a lower bound of its purchases, not its expenditure)",
                            euros_display(v.as_decimal())
                        )
                    })
                    .unwrap_or_default();
                Ok(unknown(format!(
                    "{year}: expenditure not given; provide what the buyer spent in {year} under all its public contracts, Livre V excluded (D2111-3), to compare with the threshold {} (strictly greater){lower}",
                    euros_display(rule.threshold.as_decimal())
                )))
            }
        }
    }

    /// The SPASER verdict of a programme's buyer: on the latest year of
    /// [`Buyer::expenditure`] when given, otherwise on the programme year with the largest
    /// planned value (status `unknown`, that value shown as a lower bound; see
    /// [`ObligationEngine::spaser_for_buyer`]). `None` for an empty programme without
    /// expenditure, or when no rule covers the year.
    ///
    /// ```
    /// use spaser::{ObligationEngine, Programme, Rulebook, Status};
    /// let f = ObligationEngine::new(Rulebook::embedded())
    ///     .spaser_for_programme(Programme::sample())
    ///     .unwrap();
    /// assert_eq!(f.status, Status::Unknown); // the sample gives no expenditure
    /// ```
    pub fn spaser_for_programme(&self, programme: &Programme) -> Option<Finding> {
        let mut by_year: BTreeMap<i32, Amount> = BTreeMap::new();
        for l in &programme.lines {
            let slot = by_year.entry(l.launch_date.year()).or_insert(Amount::ZERO);
            *slot = slot.checked_add(l.amount).unwrap_or(*slot);
        }
        let year = match programme.buyer.expenditure.keys().next_back() {
            Some(&y) => y,
            None => by_year
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?
                .0
                .to_owned(),
        };
        self.spaser_for_buyer(&programme.buyer, year, by_year.get(&year).copied())
            .ok()
    }
}

impl PurchaseContext {
    /// The context of a plan line of a buyer of `buyer_kind`, with its group value, procedure
    /// and legal basis when the programme's estimate is given. The line's own facts are carried:
    /// defence or security object, specific services, innovative flag, award criteria, social
    /// exemption, purchase through a central purchasing body. Planned dimension tags become
    /// considerations through an execution clause (the instrument A's indicator projection uses
    /// for planned considerations); an innovative line gets an innovation consideration.
    ///
    /// ```
    /// use spaser::{BuyerKind, Programme, PurchaseContext};
    /// let programme = Programme::sample();
    /// let estimation = programme.estimate(spaser::Rulebook::embedded())?;
    /// let line = &programme.lines[0];
    /// let ctx = PurchaseContext::from_line(line, programme.buyer.kind, estimation.line(&line.id));
    /// assert_eq!(ctx.id, line.id);
    /// assert_eq!(ctx.procedure, Some(estimation.line(&line.id).unwrap().procedure));
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
            award_criteria: line.award_criteria.clone(),
            reserved: None,
            social_exemption: line.social_exemption.clone(),
            defence_security: line.defence_security,
            specific_services: line.specific_services,
            innovative: line.innovative,
            procedure: estimate.map(|e| e.procedure),
            legal_basis: estimate.map(|e| e.legal_basis().to_string()),
            central_purchasing_body: line
                .intermediary
                .as_ref()
                .is_some_and(|i| i.kind == IntermediaryKind::CentralPurchasingBody),
        }
    }
}
