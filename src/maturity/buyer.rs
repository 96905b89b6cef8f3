//! Evidence from the buyer's own data: its actuals only (by SIRET) and what the data cover
//! (years, buyer), so that a criterion the data cannot decide says why. The evidence from a
//! plan and a programme is given by `followup` (a layer above both).

use std::collections::BTreeSet;

use super::grid::Grid;
use super::rule::{Evidence, Scope, Source};
use crate::decp::{AwardedContract, Filter, purchase_of};
use crate::values::siret::Siret;

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
}
