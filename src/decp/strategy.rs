//! Strategy indicators of awarded contracts: competition (single bids, mean bids), SMEs,
//! long contracts, frameworks, holders' distance — the questions a purchasing strategy asks of
//! the DECP beyond the two SPASER shares.
//!
//! The shares go through the crate's one [`IndicatorEngine`]: for each feature, an engine
//! counts the purchases that have it (a feature is handed to the engine as the innovation flag
//! of an otherwise bare purchase, so that the engine's own counting, breakdowns and "unknown"
//! accounting apply unchanged). Means (bids, distance) are not shares: they are summed beside
//! the engine on the same years and groups.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::actuals::purchase_of;
use super::model::AwardedContract;
use crate::indicators::{
    Coverage, Dimensions, GroupBy, Indicator, IndicatorEngine, IndicatorRow, IndicatorTable,
};
use crate::util::text::fold;
use crate::vocabulary::dimension::Dimension;

/// Id of the strategy indicator "a single offer received" (`offresRecues` = 1).
pub const SINGLE_BID: &str = "single_bid";
/// Id of the strategy indicator "awarded to an SME" (a holder whose category is `PME`).
pub const SME: &str = "sme";
/// Id of the strategy indicator "lasting more than four years" (current `dureeMois` > 48).
pub const OVER_FOUR_YEARS: &str = "over_four_years";
/// Id of the strategy indicator "a framework agreement" (technique `Accord-cadre`, or nature
/// `Accord-cadre` in the 2019 format).
pub const FRAMEWORK: &str = "framework";

/// Whether a contract has a feature (`None`: the source does not tell).
type FeatureOf = fn(&AwardedContract) -> Option<bool>;

/// The features counted, with their ids.
const FEATURES: [(&str, FeatureOf); 4] = [
    (SINGLE_BID, single_bid),
    (SME, sme),
    (OVER_FOUR_YEARS, over_four_years),
    (FRAMEWORK, framework),
];

/// One offer received; unknown when `offresRecues` is missing or 0 (an awarded contract
/// received at least one offer: 0 is a placeholder).
fn single_bid(c: &AwardedContract) -> Option<bool> {
    match c.offers_received {
        None | Some(0) => None,
        Some(n) => Some(n == 1),
    }
}

/// At least one current holder is an SME; unknown when no holder has a known category.
fn sme(c: &AwardedContract) -> Option<bool> {
    let mut known = false;
    for h in c.current_holders() {
        match h.is_sme() {
            Some(true) => return Some(true),
            Some(false) => known = true,
            None => {}
        }
    }
    known.then_some(false)
}

fn over_four_years(c: &AwardedContract) -> Option<bool> {
    c.current_duration_months().map(|m| m > 48)
}

fn framework(c: &AwardedContract) -> Option<bool> {
    if c.techniques.iter().any(|t| fold(t) == "accord-cadre") {
        return Some(true);
    }
    match c.nature.as_deref().map(fold).as_deref() {
        Some("accord-cadre") => return Some(true),
        Some("marche subsequent") => return Some(false),
        _ => {}
    }
    (!c.techniques.is_empty()).then_some(false)
}

/// A mean over the contracts of a year and group where the value is known (bids, distance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MeanRow {
    /// Calendar year.
    pub year: i32,
    /// Breakdown.
    pub group_by: GroupBy,
    /// Group key (empty for the yearly total).
    pub group: String,
    /// Contracts whose value is known.
    pub contracts: u64,
    /// Sum of the values.
    pub total: u64,
    /// Mean, rounded half-to-even to 2 decimals (a string in JSON).
    #[serde(with = "rust_decimal::serde::str")]
    pub mean: Decimal,
}

/// The strategy indicators of a set of contracts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StrategyReport {
    /// Shares by count and by value of [`SINGLE_BID`], [`SME`], [`OVER_FOUR_YEARS`] and
    /// [`FRAMEWORK`], per year and breakdown (`unknown`: contracts where the source does not
    /// tell, counted in the denominator as not having the feature).
    pub table: IndicatorTable,
    /// Mean number of offers received (`offresRecues` ≥ 1).
    pub bids: Vec<MeanRow>,
    /// Mean distance in kilometres between the buyer and its nearest holder, where the file
    /// gives it (`titulaire_distance` of the consolidated file).
    pub distance_km: Vec<MeanRow>,
}

/// Accumulates strategy indicators (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct Strategy {
    engines: Vec<IndicatorEngine>,
    breakdowns: Vec<GroupBy>,
    bids: BTreeMap<(i32, GroupBy, String), (u64, u64)>,
    distance: BTreeMap<(i32, GroupBy, String), (u64, u64)>,
    buf: Vec<Coverage>,
}

impl Strategy {
    pub fn new(breakdowns: &[GroupBy]) -> Strategy {
        let engines = FEATURES
            .iter()
            .map(|(id, _)| {
                breakdowns.iter().fold(
                    IndicatorEngine::new(vec![Indicator::new(*id, Dimension::Innovation)]),
                    |e, g| e.by(*g),
                )
            })
            .collect();
        Strategy {
            engines,
            breakdowns: breakdowns.to_vec(),
            bids: BTreeMap::new(),
            distance: BTreeMap::new(),
            buf: Vec::new(),
        }
    }

    pub fn add(&mut self, c: &AwardedContract) {
        let mut buf = std::mem::take(&mut self.buf);
        let Some(base) = purchase_of(c, &mut buf) else {
            self.buf = buf;
            return;
        };
        let mut p = base;
        p.considerations = &[];
        for ((_, feature), engine) in FEATURES.iter().zip(&mut self.engines) {
            let f = feature(c);
            p.innovative = f == Some(true);
            p.unknown = if f.is_none() {
                Dimensions::NONE.with(Dimension::Innovation)
            } else {
                Dimensions::NONE
            };
            engine.add(&p);
        }
        let year = p.date.year();
        let offers = c.offers_received.filter(|&n| n > 0).map(u64::from);
        let distance = c
            .current_holders()
            .iter()
            .filter_map(|h| h.distance_km)
            .min()
            .map(u64::from);
        let division = c.cpv.map(|x| format!("{:02}", x.division()));
        let keys: Vec<(GroupBy, String)> = std::iter::once((GroupBy::Total, String::new()))
            .chain(self.breakdowns.iter().filter_map(|g| {
                let k = match g {
                    GroupBy::Buyer => p.buyer.unwrap_or("").to_string(),
                    GroupBy::CpvDivision => division.clone().unwrap_or_default(),
                    GroupBy::Procedure => p.procedure.unwrap_or("").to_string(),
                    GroupBy::Nature => p.nature.map_or("", |n| n.as_str()).to_string(),
                    _ => return None,
                };
                Some((*g, k))
            }))
            .collect();
        for (map, value) in [(&mut self.bids, offers), (&mut self.distance, distance)] {
            if let Some(v) = value {
                for (g, k) in &keys {
                    let e = map.entry((year, *g, k.clone())).or_default();
                    e.0 += 1;
                    e.1 += v;
                }
            }
        }
        self.buf = buf;
    }

    pub fn finish(self) -> StrategyReport {
        let mut rows: Vec<IndicatorRow> = self
            .engines
            .into_iter()
            .flat_map(|e| e.finish().rows)
            .collect();
        rows.sort_by(|a, b| {
            (&a.indicator, a.year, a.group_by, &a.group).cmp(&(
                &b.indicator,
                b.year,
                b.group_by,
                &b.group,
            ))
        });
        let means = |m: BTreeMap<(i32, GroupBy, String), (u64, u64)>| {
            m.into_iter()
                .map(|((year, group_by, group), (n, total))| MeanRow {
                    year,
                    group_by,
                    group,
                    contracts: n,
                    total,
                    mean: if n == 0 {
                        Decimal::ZERO
                    } else {
                        (Decimal::from(total) / Decimal::from(n))
                            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
                    },
                })
                .collect()
        };
        StrategyReport {
            table: IndicatorTable { rows },
            bids: means(self.bids),
            distance_km: means(self.distance),
        }
    }
}
