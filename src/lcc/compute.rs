//! The LCC of each offer with its breakdown by cost item, kind and year, and the award score.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::lcc::discount;
use crate::lcc::model::{
    CostItem, CostKind, Offer, Parameters, Price, Quantity, Scoring, ScoringFormula, all_problems,
    check_offers,
};
use crate::lcc::study::Study;
use crate::util::text::excerpt;

/// The rounding of money: to the cent, half away from zero (as spreadsheets round), applied
/// once to each figure shown; totals are sums of exact values, never of rounded ones.
pub const MONEY_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// The decimal places each year's amount and present value are kept to (half to even): a
/// hundred-millionth of a cent, so that every total is the exact sum of its parts.
pub const VALUE_DECIMALS: u32 = 10;

fn keep(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(VALUE_DECIMALS, RoundingStrategy::MidpointNearestEven)
}

/// An exact amount rounded to the cent with [`MONEY_ROUNDING`], with two decimals.
pub fn round_money(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, MONEY_ROUNDING);
    r.rescale(2);
    r
}

fn ser_money<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&round_money(*d).to_string())
}

fn ser_factor<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&d.normalize().to_string())
}

fn ser_money_map<K: Serialize + Ord, S: Serializer>(
    m: &BTreeMap<K, Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, &round_money(*v).to_string())?;
    }
    map.end()
}

fn ser_score<S: Serializer>(d: &Option<Decimal>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(v) => s.serialize_str(&round_money(*v).to_string()),
        None => s.serialize_none(),
    }
}

/// One year of a cost item: its undiscounted amount, the discount factor and the present
/// value (kept to [`VALUE_DECIMALS`] places; serialized rounded to the cent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct YearFlow {
    /// Year of the study (0 = purchase).
    pub year: u32,
    /// Amount of the year, escalated, not discounted (negative for a residual value).
    #[serde(serialize_with = "ser_money")]
    pub nominal: Decimal,
    /// Discount factor of the year.
    #[serde(serialize_with = "ser_factor")]
    pub factor: Decimal,
    /// `nominal × factor`.
    #[serde(serialize_with = "ser_money")]
    pub present_value: Decimal,
}

/// The cost of one item of an offer, year by year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ItemCost {
    /// The item's id.
    pub id: String,
    /// Its kind.
    pub kind: CostKind,
    /// The unit of its quantities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Sum of the undiscounted amounts.
    #[serde(serialize_with = "ser_money")]
    pub nominal: Decimal,
    /// Sum of the present values.
    #[serde(serialize_with = "ser_money")]
    pub present_value: Decimal,
    /// Year by year.
    pub years: Vec<YearFlow>,
}

/// The life-cycle cost of one offer and its breakdown (exact values; serialized rounded to the
/// cent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OfferCost {
    /// The offer's id.
    pub offer: String,
    /// Its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The LCC: present value of every cost, residual value deducted, externalities included.
    #[serde(serialize_with = "ser_money")]
    pub lcc: Decimal,
    /// Costs borne by the buyer (every kind but emissions), residual value deducted.
    #[serde(serialize_with = "ser_money")]
    pub buyer_costs: Decimal,
    /// Costs of environmental externalities (emissions).
    #[serde(serialize_with = "ser_money")]
    pub externalities: Decimal,
    /// Present value by kind of cost (the residual value negative).
    #[serde(serialize_with = "ser_money_map")]
    pub by_kind: BTreeMap<CostKind, Decimal>,
    /// Present value by year of the study.
    #[serde(serialize_with = "ser_money_map")]
    pub by_year: BTreeMap<u32, Decimal>,
    /// Cost items, in the order of the offer.
    pub items: Vec<ItemCost>,
    /// Award points, when the study has a scoring (computed from the LCCs rounded to the cent).
    #[serde(serialize_with = "ser_score", skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// Rank by LCC rounded to the cent (1 = lowest; equal LCCs share a rank).
    pub rank: usize,
}

impl OfferCost {
    /// The LCC rounded to the cent ([`MONEY_ROUNDING`]).
    pub fn lcc_rounded(&self) -> Decimal {
        round_money(self.lcc)
    }

    /// The score rounded to two decimals, when scored.
    pub fn score_rounded(&self) -> Option<Decimal> {
        self.score.map(round_money)
    }
}

/// The result of a study: each offer's LCC, breakdown, score and rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LccResult {
    /// The method used.
    pub parameters: Parameters,
    /// The scoring used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoring: Option<Scoring>,
    /// The discount factor of each year `0..=horizon`.
    #[serde(serialize_with = "ser_factors")]
    pub factors: Vec<Decimal>,
    /// The offers, in the order of the study.
    pub offers: Vec<OfferCost>,
}

fn ser_factors<S: Serializer>(v: &[Decimal], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for d in v {
        seq.serialize_element(&d.normalize().to_string())?;
    }
    seq.end()
}

impl LccResult {
    /// The offer `id`.
    pub fn offer(&self, id: &str) -> Option<&OfferCost> {
        self.offers.iter().find(|o| o.offer == id)
    }

    /// The result as pretty-printed JSON (amounts rounded to the cent, deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("LCC result JSON: {e}")).with_source(e)
        })
    }
}

fn overflow(offer: &str, item: &str, year: u32) -> Error {
    Error::new(
        ErrorKind::Overflow,
        format!(
            "offer \"{}\", item \"{}\", year {year}: the amount overflows the decimal range",
            excerpt(offer),
            excerpt(item)
        ),
    )
}

fn factors_of(p: &Parameters) -> Result<Vec<Decimal>> {
    discount::factors(p.discount_rate(), p.horizon_years(), p.convention()).ok_or_else(|| {
        Error::new(
            ErrorKind::Overflow,
            format!(
                "parameters: the discount factors of rate {} over {} years overflow the decimal range",
                p.discount_rate().normalize(),
                p.horizon_years()
            ),
        )
    })
}

/// The cost of one item with the study's factors (the item is valid for `p`).
fn item_cost(
    offer: &str,
    item: &CostItem,
    p: &Parameters,
    factors: &[Decimal],
) -> Result<ItemCost> {
    let years = item.effective_years(p.horizon_years());
    let first = years.first();
    let sign = if item.kind.is_deducted() {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    };
    let mut flows = Vec::new();
    let mut nominal_sum = Decimal::ZERO;
    let mut pv_sum = Decimal::ZERO;
    // escalation factor of the current year, advanced year by year
    let g = Decimal::ONE + item.escalation;
    let mut escalation = Decimal::ONE;
    for t in years.iter() {
        if t > first {
            escalation = escalation
                .checked_mul(g)
                .map(discount::round_factor)
                .ok_or_else(|| overflow(offer, &item.id, t))?;
        }
        let quantity = match &item.quantity {
            Quantity::Constant(q) => *q,
            Quantity::PerYear(m) => m.get(&t).copied().unwrap_or(Decimal::ZERO),
        };
        let price = match &item.price {
            Price::Unit(u) => u
                .checked_mul(escalation)
                .ok_or_else(|| overflow(offer, &item.id, t))?,
            Price::Externality(pollutant) => {
                let key = i32::try_from(p.value_key(t)).ok();
                key.and_then(|k| {
                    p.externalities()
                        .get(pollutant)
                        .and_then(|e| e.values.get(&k))
                        .copied()
                })
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Missing,
                        format!(
                            "offer \"{}\", item \"{}\", field \"pollutant\": no value of \"{}\" for year {t}",
                            excerpt(offer),
                            excerpt(&item.id),
                            excerpt(pollutant)
                        ),
                    )
                })?
            }
        };
        let nominal = quantity
            .checked_mul(price)
            .and_then(|v| v.checked_mul(sign))
            .ok_or_else(|| overflow(offer, &item.id, t))?;
        let factor = factors.get(t as usize).copied().unwrap_or(Decimal::ZERO);
        let present_value = keep(
            nominal
                .checked_mul(factor)
                .ok_or_else(|| overflow(offer, &item.id, t))?,
        );
        let nominal = keep(nominal);
        nominal_sum = nominal_sum
            .checked_add(nominal)
            .ok_or_else(|| overflow(offer, &item.id, t))?;
        pv_sum = pv_sum
            .checked_add(present_value)
            .ok_or_else(|| overflow(offer, &item.id, t))?;
        flows.push(YearFlow {
            year: t,
            nominal,
            factor,
            present_value,
        });
    }
    Ok(ItemCost {
        id: item.id.clone(),
        kind: item.kind,
        unit: item.unit.clone(),
        nominal: nominal_sum,
        present_value: pv_sum,
        years: flows,
    })
}

fn offer_cost(o: &Offer, p: &Parameters, factors: &[Decimal]) -> Result<OfferCost> {
    let mut items = Vec::with_capacity(o.items.len());
    let mut by_kind: BTreeMap<CostKind, Decimal> = BTreeMap::new();
    let mut by_year: BTreeMap<u32, Decimal> = BTreeMap::new();
    let mut lcc = Decimal::ZERO;
    let mut externalities = Decimal::ZERO;
    for item in &o.items {
        let cost = item_cost(&o.id, item, p, factors)?;
        let add = |acc: &mut Decimal, v: Decimal| -> Result<()> {
            *acc = acc
                .checked_add(v)
                .ok_or_else(|| overflow(&o.id, &item.id, 0))?;
            Ok(())
        };
        add(by_kind.entry(item.kind).or_default(), cost.present_value)?;
        for f in &cost.years {
            add(by_year.entry(f.year).or_default(), f.present_value)?;
        }
        add(&mut lcc, cost.present_value)?;
        if item.kind == CostKind::Emissions {
            add(&mut externalities, cost.present_value)?;
        }
        items.push(cost);
    }
    let buyer_costs = lcc.checked_sub(externalities).ok_or_else(|| {
        Error::new(
            ErrorKind::Overflow,
            format!(
                "offer \"{}\": its cost to the buyer (LCC without externalities) overflows the decimal range",
                excerpt(&o.id)
            ),
        )
    })?;
    Ok(OfferCost {
        offer: o.id.clone(),
        label: o.label.clone(),
        buyer_costs,
        externalities,
        lcc,
        by_kind,
        by_year,
        items,
        score: None,
        rank: 0,
    })
}

impl Offer {
    /// The life-cycle cost of this offer under `parameters`, with its breakdown.
    ///
    /// `LCC = Σ_t Σ_items sign × quantity_t × price_t × factor_t`, where `price_t` is the unit
    /// price escalated from the item's first year (or the externality value of year `t`),
    /// `factor_t` the discount factor of the convention, and `sign` −1 for a residual value
    /// (FACTS §11).
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use spaser::lcc::{Convention, CostItem, CostKind, Offer, Parameters, RateBasis};
    /// let p = Parameters::new(3, Decimal::new(5, 2), RateBasis::Real, Convention::EndOfYear)?;
    /// let offer = Offer::new("A")
    ///     .with(CostItem::amount("price", CostKind::Acquisition, Decimal::from(1000)))
    ///     .with(CostItem::priced("power", CostKind::Energy, Decimal::from(500), Decimal::new(2, 1)));
    /// let cost = offer.lcc(&p)?;
    /// // 1000 + 100 × (1/1.05 + 1/1.05² + 1/1.05³) = 1000 + 272.32
    /// assert_eq!(cost.lcc_rounded().to_string(), "1272.32");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// The errors of [`Study::validate`] for this offer; [`ErrorKind::Overflow`] when an
    /// amount overflows the decimal range.
    pub fn lcc(&self, parameters: &Parameters) -> Result<OfferCost> {
        all_problems(
            "the offer",
            ErrorKind::InvalidValue,
            check_offers(std::slice::from_ref(self), parameters),
        )?;
        let factors = factors_of(parameters)?;
        let mut cost = offer_cost(self, parameters, &factors)?;
        cost.rank = 1;
        Ok(cost)
    }
}

impl Study {
    /// The LCC of every offer, their scores (when the study has a scoring) and ranks.
    ///
    /// # Errors
    /// The errors of [`Study::validate`]; [`ErrorKind::Overflow`] when an amount or a
    /// discount factor overflows; [`ErrorKind::Inconsistent`] when the scoring formula cannot
    /// score an LCC (zero or negative LCC for a ratio).
    pub fn compute(&self) -> Result<LccResult> {
        self.validate()?;
        let factors = factors_of(&self.parameters)?;
        let mut offers = self
            .offers
            .iter()
            .map(|o| offer_cost(o, &self.parameters, &factors))
            .collect::<Result<Vec<_>>>()?;
        let rounded: Vec<Decimal> = offers.iter().map(OfferCost::lcc_rounded).collect();
        for (i, o) in offers.iter_mut().enumerate() {
            o.rank = 1 + rounded.iter().filter(|&&r| r < rounded[i]).count();
        }
        if let Some(scoring) = &self.scoring {
            let ids: Vec<&str> = offers.iter().map(|o| o.offer.as_str()).collect();
            let scores = score(scoring, &ids, &rounded)?;
            for (o, s) in offers.iter_mut().zip(scores) {
                o.score = Some(s);
            }
        }
        Ok(LccResult {
            parameters: self.parameters.clone(),
            scoring: self.scoring.clone(),
            factors,
            offers,
        })
    }
}

/// The points of each LCC under `scoring` (exact; `ids` name the offers in messages).
///
/// # Errors
/// [`ErrorKind::Inconsistent`] naming the offer whose LCC the formula cannot score.
pub fn score(scoring: &Scoring, ids: &[&str], lccs: &[Decimal]) -> Result<Vec<Decimal>> {
    let max = scoring.max_points();
    let Some(&lowest) = lccs.iter().min() else {
        return Ok(Vec::new());
    };
    let highest = lccs.iter().max().copied().unwrap_or(lowest);
    let lowest_id = lccs
        .iter()
        .position(|&l| l == lowest)
        .and_then(|i| ids.get(i))
        .copied()
        .unwrap_or("");
    let not_positive = |id: &str, l: Decimal, formula: &str| {
        Error::new(
            ErrorKind::Inconsistent,
            format!(
                "offer \"{}\": LCC {l} is not positive, the {formula} formula divides by it (use linear_between)",
                excerpt(id)
            ),
        )
    };
    let div = |a: Decimal, b: Decimal| {
        a.checked_div(b).ok_or_else(|| {
            Error::new(
                ErrorKind::Overflow,
                "scoring: a division overflows".to_string(),
            )
        })
    };
    let sub = |a: Decimal, b: Decimal| {
        a.checked_sub(b).ok_or_else(|| {
            Error::new(
                ErrorKind::Overflow,
                "scoring: the gap between an LCC and a bound of linear_between overflows the decimal range"
                    .to_string(),
            )
        })
    };
    let clamp = |x: Decimal| x.max(Decimal::ZERO).min(Decimal::ONE);
    let mut out = Vec::with_capacity(lccs.len());
    match scoring.formula() {
        ScoringFormula::LowestRatio => {
            for (i, &l) in lccs.iter().enumerate() {
                if l <= Decimal::ZERO {
                    return Err(not_positive(
                        ids.get(i).copied().unwrap_or(""),
                        l,
                        "lowest_ratio",
                    ));
                }
            }
            for &l in lccs {
                out.push(max * div(lowest, l)?);
            }
        }
        ScoringFormula::ProportionalGap => {
            if lowest <= Decimal::ZERO {
                return Err(not_positive(lowest_id, lowest, "proportional_gap"));
            }
            for &l in lccs {
                out.push(max * clamp(Decimal::ONE - div(l - lowest, lowest)?));
            }
        }
        ScoringFormula::LinearBetween { lower, upper } => {
            let lo = lower.unwrap_or(lowest);
            let hi = upper.unwrap_or(highest);
            for &l in lccs {
                if hi <= lo {
                    // every offer at the same LCC, no bounds: full marks to all
                    out.push(if l <= lo { max } else { Decimal::ZERO });
                } else {
                    out.push(max * clamp(div(sub(hi, l)?, sub(hi, lo)?)?));
                }
            }
        }
    }
    Ok(out)
}
