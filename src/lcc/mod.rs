//! Life-cycle cost (LCC) of offers — *coût du cycle de vie* (CCP R2152-9 and R2152-10,
//! directive 2014/24/EU art. 68; FACTS §11).
//!
//! From 2026-08-21 a single award criterion is lawful only if it is a cost with a global
//! approach that includes environmental characteristics (R2152-7): an LCC. The buyer states the
//! method in the consultation documents (R2152-10) — a [`Study`]'s [`Parameters`]: horizon,
//! discount rate and whether it is real or nominal, the discounting convention, the money value
//! of externalities year by year — and each offer gives its cost items: acquisition, yearly
//! use quantities × unit prices with escalation, maintenance, consumables, end of life,
//! residual value, emissions × a money value per unit and year.
//!
//! ```text
//! LCC = Σ_{t=0..T} Σ_items sign × quantity_t × price_t × factor_t
//!   price_t  = unit price × (1 + escalation)^(t − first year)   or the externality value of t
//!   factor_t = 1 / (1 + d)^(t − k),  k = 0 (end of year), ½ (middle), 1 (beginning); year 0: 1
//!   sign     = −1 for a residual value, +1 otherwise
//! ```
//!
//! Exact arithmetic: quantities, prices and amounts are `Decimal`; the factors are rounded to
//! 20 decimal places, half to even ([`FACTOR_DECIMALS`], [`FACTOR_ROUNDING`]); each year's
//! amount and present value is kept to 10 decimal places ([`VALUE_DECIMALS`], a
//! hundred-millionth of a cent) so that every total is the exact sum of its parts; money is
//! rounded to the cent only when shown ([`MONEY_ROUNDING`]: half away from zero, as
//! spreadsheets round). The award score follows one of the usual formulas
//! ([`ScoringFormula`]): lowest LCC gets full marks and the others in proportion, a gap
//! proportional to the lowest, or linear between two bounds.
//!
//! May import: `error`, `util`, `values`, `vocabulary`, `indicators`, `law`, `programme`,
//! `levers`.
//!
//! ```
//! use spaser::Lang;
//! use spaser::lcc::Study;
//! let study = Study::from_json(r#"{
//!   "parameters": {"horizon_years": 4, "discount_rate": "0.04", "rate_basis": "real",
//!                  "convention": "end_of_year", "base_year": 2026,
//!                  "externalities": {"co2e": {"unit": "t CO2e",
//!                     "values": {"2027": "100", "2028": "110", "2029": "120", "2030": "130"}}}},
//!   "scoring": {"formula": "lowest_ratio", "max_points": "60"},
//!   "offers": [
//!     {"id": "A", "items": [
//!       {"id": "price", "kind": "acquisition", "amount": "900"},
//!       {"id": "power", "kind": "energy", "quantity": "400", "unit": "kWh", "unit_price": "0.25"},
//!       {"id": "co2", "kind": "emissions", "pollutant": "co2e", "quantity": "0.02"}]},
//!     {"id": "B", "items": [
//!       {"id": "price", "kind": "acquisition", "amount": "1000"},
//!       {"id": "power", "kind": "energy", "quantity": "200", "unit": "kWh", "unit_price": "0.25"},
//!       {"id": "co2", "kind": "emissions", "pollutant": "co2e", "quantity": "0.01"},
//!       {"id": "resale", "kind": "residual_value", "amount": "50"}]}]}"#)?;
//! let result = study.compute()?;
//! let b = result.offer("B").unwrap();
//! assert_eq!(b.rank, 1); // dearer to buy, cheaper over its life
//! assert_eq!(b.score_rounded().unwrap().to_string(), "60.00");
//! assert!(result.to_markdown(Lang::Fr).contains("Coût du cycle de vie"));
//! # Ok::<(), spaser::Error>(())
//! ```

mod compute;
mod discount;
mod model;
mod report;
mod study;

pub use compute::{
    ItemCost, LccResult, MONEY_ROUNDING, OfferCost, VALUE_DECIMALS, YearFlow, round_money, score,
};
pub use discount::{FACTOR_DECIMALS, FACTOR_ROUNDING};
pub use model::{
    Convention, CostItem, CostKind, Externality, MAX_HORIZON_YEARS, Offer, Parameters, Price,
    Quantity, RateBasis, Scoring, ScoringFormula, Years,
};
pub use study::Study;
