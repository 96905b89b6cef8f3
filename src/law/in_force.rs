//! The rules in force on a date: the rulebook narrowed to the entries that apply that day (and,
//! optionally, to one buyer kind), so that a buyer can check what the crate believes.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::law::rulebook::{Rulebook, ThresholdEntry};
use crate::values::buyer_kind::BuyerKind;

/// The rules of a [`Rulebook`] in force on one date ([`Rulebook::in_force`]).
///
/// `rules` is itself a rulebook, in the rulebook's JSON format, holding only:
/// - the threshold entries whose period contains the date (for `eu` and `specific_services`,
///   those of the buyer kind when one is given);
/// - the contract obligations of which at least one article applies to consultations
///   launched that day (each article keeps its own start date: an obligation some of whose
///   articles start later binds only from [`ContractRule::binding_from`](crate::ContractRule::binding_from));
/// - the SPASER rule, the EGalim shares and the AGEC tables whose period contains the date,
///   with the AGEC rates of the date's calendar year (the latest milestone not after it);
/// - the reserved-contract conditions in force (an article created later, such as L2113-13-1 on
///   2022-10-20, is left out before its date).
///
/// Sections a future rulebook adds are kept whole until this filter learns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RulesInForce {
    /// The date.
    pub date: NaiveDate,
    /// The buyer kind the thresholds were narrowed to (`None`: every kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_kind: Option<BuyerKind>,
    /// The rules in force.
    pub rules: Rulebook,
}

fn keep(entries: &mut Vec<ThresholdEntry>, date: NaiveDate, kind: Option<BuyerKind>) {
    entries.retain(|e| {
        e.period.contains(date)
            && kind.is_none_or(|k| e.buyer_kinds.is_empty() || e.buyer_kinds.contains(&k))
    });
}

impl Rulebook {
    /// The rules in force on `date`, for buyers of `kind` (every kind with `None`); see
    /// [`RulesInForce`] for what is kept.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{BuyerKind, Rulebook};
    /// let day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    /// let now = Rulebook::embedded().in_force(day, Some(BuyerKind::OtherContractingAuthority));
    /// assert!(now.rules.no_competition.iter().all(|e| e.period.contains(day)));
    /// assert!(now.rules.no_competition.iter().any(|e| e.article == "R2122-8"));
    /// assert!(now.rules.eu.iter().all(|e| e.buyer_kinds.is_empty()
    ///     || e.buyer_kinds.contains(&BuyerKind::OtherContractingAuthority)));
    /// ```
    pub fn in_force(&self, date: NaiveDate, kind: Option<BuyerKind>) -> RulesInForce {
        let mut r = self.clone();
        keep(&mut r.no_competition, date, None);
        keep(&mut r.innovative, date, None);
        keep(&mut r.innovative_lots, date, None);
        keep(&mut r.small_lots, date, None);
        keep(&mut r.small_lots_no_competition, date, None);
        keep(&mut r.object_exemptions, date, None);
        keep(&mut r.defence_innovative, date, None);
        keep(&mut r.eu, date, kind);
        keep(&mut r.specific_services, date, kind);
        let o = &mut r.obligations;
        o.contract
            .retain(|c| c.articles.iter().any(|a| a.from <= date));
        o.spaser.retain(|s| s.period.contains(date));
        o.reserved
            .retain(|x| x.from.is_none_or(|from| from <= date));
        o.egalim.retain(|e| e.period.contains(date));
        if o.agec.as_ref().is_some_and(|t| !t.period.contains(date)) {
            o.agec = None;
        }
        if let Some(t) = &mut o.agec {
            let year = date.year();
            let latest = t.clone();
            t.rates.retain(|rate| {
                latest
                    .rate(rate.category, year)
                    .is_some_and(|l| l.milestone == rate.milestone)
            });
        }
        if o.agec_2021
            .as_ref()
            .is_some_and(|t| !t.period.contains(date))
        {
            o.agec_2021 = None;
        }
        RulesInForce {
            date,
            buyer_kind: kind,
            rules: r,
        }
    }
}
