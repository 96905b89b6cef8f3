//! Evidence from the buyer's own data: its actuals only (by SIRET), the plan's planned levers,
//! the programme coverage computed, and what the data cover (years, buyer), so that a
//! criterion the data cannot decide says why.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use rust_decimal::Decimal;

use super::grid::Grid;
use super::rule::{Evidence, FACT_PROGRAMME_COVERAGE, Scope, Source};
use crate::decp::{AwardedContract, Filter, purchase_of};
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Coverage, Purchase};
use crate::levers::lever::{Catalogue, Lever};
use crate::plan::planner::Plan;
use crate::programme::model::{LineStatus, PlanLine, Programme};
use crate::values::money::euros_display;
use crate::values::share::Share;
use crate::values::siret::Siret;

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

impl Evidence {
    /// The actuals of one buyer: the marchés whose buyer (`acheteur.id`) is `siret` exactly,
    /// through the grid's engine ([`Grid::engine`]); other buyers' contracts are counted and
    /// not read. Records what the data cover, so that a criterion whose year has no contract
    /// of the buyer — or a file without any — says so ([`Evaluation::gap`](super::Evaluation::gap)).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::decp::{AwardedContract, Identifier};
    /// use spaser::maturity::{Evidence, Grid, Source};
    /// use spaser::{Amount, Siret};
    ///
    /// let contract = |buyer: &str| {
    ///     let mut c = AwardedContract::default();
    ///     c.buyer = Some(Identifier::parse(buyer));
    ///     c.amount = Some(Amount::from_euros(50_000));
    ///     c.notification_date = NaiveDate::from_ymd_opt(2025, 4, 1);
    ///     c
    /// };
    /// let file = [contract("21490999600016"), contract("21350238800019")];
    /// let buyer = Siret::parse("21490999600016")?;
    /// let evidence = Evidence::new().with_actuals_of(Grid::spaser(), &buyer, &file);
    /// let scope = evidence.scope(Source::Actuals).unwrap();
    /// assert_eq!((scope.records, scope.other_buyers, scope.years.clone()), (1, 1, vec![2025]));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn with_actuals_of(
        self,
        grid: &Grid,
        siret: &Siret,
        contracts: &[AwardedContract],
    ) -> Evidence {
        let mut engine = grid.engine();
        let mut buf = Vec::new();
        let mut years = BTreeSet::new();
        let (mut records, mut other) = (0u64, 0u64);
        let of_buyer = Filter::new().buyer(siret.as_str());
        for c in contracts {
            if !of_buyer.matches(c) {
                other += 1;
                continue;
            }
            records += 1;
            if let Some(p) = purchase_of(c, &mut buf) {
                years.insert(p.year());
                engine.add(&p);
            }
        }
        self.with_table(Source::Actuals, engine.finish())
            .with_scope(
                Source::Actuals,
                Scope {
                    buyer: siret.as_str().to_string(),
                    years: years.into_iter().collect(),
                    records,
                    other_buyers: other,
                },
            )
    }

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
        let levers = plan_levers(plan, catalogue)?;
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
