//! Evidence for the maturity grid from a plan and its programme: the plan's projection from
//! its planned levers and the programme coverage fact. Here rather than in `maturity`, which
//! sits beside the readers of actuals, below the programme, the levers and the plan (DESIGN §1).

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::Decimal;

use super::planned::plan_levers;
use crate::decp::{AwardedContract, Filter};
use crate::error::Result;
use crate::indicators::{Coverage, Purchase};
use crate::levers::lever::{Catalogue, Lever};
use crate::maturity::{Evidence, FACT_PROGRAMME_COVERAGE, Grid, Source};
use crate::plan::planner::Plan;
use crate::programme::model::{LineStatus, PlanLine, Programme};
use crate::values::money::euros_display;
use crate::values::share::Share;

/// The coverages of a planned line: its own planned considerations (whole line, execution
/// clause, as [`PlanLine::purchase`] counts them) then each planned lever's
/// ([`Lever::as_coverage`]). Appended to `out`.
pub(crate) fn planned_coverages(line: &PlanLine, levers: &[&Lever], out: &mut Vec<Coverage>) {
    out.extend_from_slice(line.purchase().considerations);
    out.extend(levers.iter().map(|l| l.as_coverage()));
}

impl Evidence {
    /// The plan's projection from its **planned levers**: each line with its own planned
    /// considerations and the levers the plan assigns it ([`Plan::assignments`], looked up in
    /// `catalogue`), through the grid's engine, keyed by launch date — the figures the plan
    /// reports, for every indicator of the grid.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when a lever of the plan is not in `catalogue`.
    ///
    /// ```
    /// use spaser::maturity::{Evidence, Grid, Source};
    /// use spaser::{Catalogue, PlanOptions, Planner, Programme, Rulebook, Targets};
    /// let programme = Programme::sample();
    /// let targets = Targets::defaults_for(programme, Rulebook::embedded());
    /// let plan = Planner::new(Catalogue::embedded(), Rulebook::embedded())
    ///     .plan(programme, &targets, &PlanOptions::default())?;
    /// let evidence = Evidence::new().with_plan(Grid::spaser(), programme, &plan, Catalogue::embedded())?;
    /// let planned = evidence.table(Source::Plan).unwrap().total("social", 2026).unwrap();
    /// assert_eq!(Some(planned), plan.projected.total("social", 2026));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn with_plan(
        self,
        grid: &Grid,
        programme: &Programme,
        plan: &Plan,
        catalogue: &Catalogue,
    ) -> Result<Evidence> {
        let levers: BTreeMap<String, Vec<&Lever>> = plan_levers(plan, catalogue)?;
        let mut engine = grid.engine();
        let mut covs: Vec<Coverage> = Vec::new();
        for line in &programme.lines {
            covs.clear();
            let ls = levers.get(&line.id).map_or(&[][..], Vec::as_slice);
            planned_coverages(line, ls, &mut covs);
            engine.add(&Purchase {
                considerations: &covs,
                ..line.purchase()
            });
        }
        Ok(self.with_table(Source::Plan, engine.finish()))
    }

    /// The programme coverage fact ([`FACT_PROGRAMME_COVERAGE`]) of `year`, computed: the
    /// value of the programme's lines launched in the year (cancelled lines aside) ÷ the
    /// buyer's expenditure of the year from its profile ([`Buyer::expenditure`](crate::Buyer)),
    /// or, when the profile gives none, ÷ the value of the buyer's contracts notified in the
    /// year in `contracts` (its SIRET; an approximation: the DECP hold contracts of €40,000 or
    /// more, at their whole-duration value). A ratio above 1 is capped at 1. The note says
    /// which denominator was used — or why the fact could not be computed.
    ///
    /// ```
    /// use spaser::maturity::{Evidence, FACT_PROGRAMME_COVERAGE};
    /// let mut programme = spaser::Programme::sample().clone();
    /// programme.buyer.expenditure.insert(2026, spaser::Amount::from_euros(40_000_000));
    /// let e = Evidence::new().with_programme_coverage(&programme, 2026, &[]);
    /// assert!(e.fact(FACT_PROGRAMME_COVERAGE).is_some());
    /// assert!(e.fact_note(FACT_PROGRAMME_COVERAGE).unwrap().contains("expenditure"));
    /// ```
    pub fn with_programme_coverage(
        self,
        programme: &Programme,
        year: i32,
        contracts: &[AwardedContract],
    ) -> Evidence {
        let value: Decimal = programme
            .lines
            .iter()
            .filter(|l| l.status != LineStatus::Cancelled && l.launch_date.year() == year)
            .map(|l| l.amount.as_decimal())
            .sum();
        let numerator = format!("programme {year} {}", euros_display(value));
        let (den, what) = match programme.buyer.expenditure.get(&year) {
            Some(e) => (
                e.as_decimal(),
                format!(
                    "÷ expenditure {year} from the buyer profile {}",
                    euros_display(e.as_decimal())
                ),
            ),
            None => match &programme.buyer.siret {
                None => {
                    return self.with_fact_note(
                        FACT_PROGRAMME_COVERAGE,
                        format!(
                            "not computed: the buyer profile gives no expenditure for {year} and no SIRET to find its contracts"
                        ),
                    );
                }
                Some(s) => {
                    let of_buyer = Filter::new().buyer(s.as_str()).year(year);
                    let mine = |c: &&AwardedContract| of_buyer.matches(c);
                    if !contracts.iter().any(|c| mine(&c)) {
                        return self.with_fact_note(
                            FACT_PROGRAMME_COVERAGE,
                            format!(
                                "not computed: the buyer profile gives no expenditure for {year} and the DECP given hold no contract of {} notified in {year}",
                                s.as_str()
                            ),
                        );
                    }
                    let awarded: Decimal = contracts
                        .iter()
                        .filter(mine)
                        .filter_map(|c| c.current_amount())
                        .map(|a| a.as_decimal())
                        .sum();
                    (
                        awarded,
                        format!(
                            "÷ value awarded in {year} in the DECP given {} (no expenditure for {year} in the buyer profile: an approximation, DECP contracts of €40,000 or more at their whole-duration value)",
                            euros_display(awarded)
                        ),
                    )
                }
            },
        };
        if den.is_zero() {
            return self.with_fact_note(
                FACT_PROGRAMME_COVERAGE,
                format!("not computed: {numerator} {what}, a zero denominator"),
            );
        }
        let ratio = value / den;
        match Share::new(ratio) {
            Ok(s) => self
                .with_fact(FACT_PROGRAMME_COVERAGE, s)
                .with_fact_note(FACT_PROGRAMME_COVERAGE, format!("{numerator} {what}")),
            Err(_) => self
                .with_fact(FACT_PROGRAMME_COVERAGE, Share::ONE)
                .with_fact_note(
                    FACT_PROGRAMME_COVERAGE,
                    format!(
                        "{numerator} {what} = {}, capped at 1",
                        ratio.round_dp(4).normalize()
                    ),
                ),
        }
    }
}
