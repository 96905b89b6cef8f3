//! The model of an LCC study: the method the buyer states in the consultation documents
//! ([`Parameters`], [`Scoring`]) and the offers with their cost items.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::{excerpt, fold};
use crate::values::lang::Lang;

/// The longest horizon accepted, in years.
pub const MAX_HORIZON_YEARS: u32 = 100;

/// Whether the discount rate (and every price and escalation) is real (constant euros, general
/// inflation excluded) or nominal (current euros). The rate and the prices must be on the same
/// basis (FACTS §11); the study states which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// Constant euros: the rate and the escalations exclude general inflation.
    Real,
    /// Current euros: the rate and the escalations include general inflation.
    Nominal,
}

impl RateBasis {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            RateBasis::Real => "real",
            RateBasis::Nominal => "nominal",
        }
    }

    /// Label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            RateBasis::Real => lang.pick("réel (euros constants)", "real (constant euros)"),
            RateBasis::Nominal => lang.pick("nominal (euros courants)", "nominal (current euros)"),
        }
    }
}

impl FromStr for RateBasis {
    type Err = Error;
    fn from_str(s: &str) -> Result<RateBasis> {
        match fold(s).as_str() {
            "real" | "reel" | "constant" => Ok(RateBasis::Real),
            "nominal" | "current" | "courant" => Ok(RateBasis::Nominal),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "rate basis \"{}\" is unknown; accepted: real, nominal",
                    excerpt(s)
                ),
            )),
        }
    }
}

/// When, within a year, the flows of the year are taken to happen for discounting.
///
/// Year 0 (the time of purchase) is never discounted. A flow of year `t >= 1` is discounted
/// over `t` years ([`Convention::EndOfYear`]), `t − ½` ([`Convention::MiddleOfYear`]) or
/// `t − 1` ([`Convention::BeginningOfYear`]) (NIST Handbook 135, formula D.2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// Flows at the beginning of their year.
    BeginningOfYear,
    /// Flows in the middle of their year.
    MiddleOfYear,
    /// Flows at the end of their year (the usual convention).
    EndOfYear,
}

impl Convention {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Convention::BeginningOfYear => "beginning_of_year",
            Convention::MiddleOfYear => "middle_of_year",
            Convention::EndOfYear => "end_of_year",
        }
    }

    /// Label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Convention::BeginningOfYear => lang.pick("début d'année", "beginning of year"),
            Convention::MiddleOfYear => lang.pick("milieu d'année", "middle of year"),
            Convention::EndOfYear => lang.pick("fin d'année", "end of year"),
        }
    }
}

impl FromStr for Convention {
    type Err = Error;
    /// Parses the serialized names and the short forms `beginning`/`begin`/`debut`,
    /// `middle`/`mid`/`milieu`, `end`/`fin`.
    fn from_str(s: &str) -> Result<Convention> {
        match fold(s).replace([' ', '-'], "_").as_str() {
            "beginning_of_year" | "beginning" | "begin" | "debut" | "debut_d'annee" => {
                Ok(Convention::BeginningOfYear)
            }
            "middle_of_year" | "middle" | "mid" | "mid_year" | "milieu" | "milieu_d'annee" => {
                Ok(Convention::MiddleOfYear)
            }
            "end_of_year" | "end" | "fin" | "fin_d'annee" => Ok(Convention::EndOfYear),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "discounting convention \"{}\" is unknown; accepted: beginning_of_year, middle_of_year, end_of_year",
                    excerpt(s)
                ),
            )),
        }
    }
}

/// What a cost item pays for (R2152-9: acquisition, use, maintenance, end of life; costs of
/// environmental externalities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CostKind {
    /// Purchase and associated costs (delivery, installation, commissioning).
    Acquisition,
    /// Energy consumed in use.
    Energy,
    /// Other resources consumed in use (water, subscriptions…).
    Use,
    /// Maintenance and repairs.
    Maintenance,
    /// Consumables.
    Consumables,
    /// End of life (collection, recycling, disposal).
    EndOfLife,
    /// Residual or resale value at the end of the horizon: deducted.
    ResidualValue,
    /// Environmental externalities: emissions × a money value per unit.
    Emissions,
    /// Any other cost.
    Other,
}

impl CostKind {
    /// Every kind, in the order of the reports.
    pub const ALL: [CostKind; 9] = [
        CostKind::Acquisition,
        CostKind::Energy,
        CostKind::Use,
        CostKind::Maintenance,
        CostKind::Consumables,
        CostKind::EndOfLife,
        CostKind::ResidualValue,
        CostKind::Emissions,
        CostKind::Other,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            CostKind::Acquisition => "acquisition",
            CostKind::Energy => "energy",
            CostKind::Use => "use",
            CostKind::Maintenance => "maintenance",
            CostKind::Consumables => "consumables",
            CostKind::EndOfLife => "end_of_life",
            CostKind::ResidualValue => "residual_value",
            CostKind::Emissions => "emissions",
            CostKind::Other => "other",
        }
    }

    /// Label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            CostKind::Acquisition => lang.pick("Acquisition", "Acquisition"),
            CostKind::Energy => lang.pick("Énergie", "Energy"),
            CostKind::Use => lang.pick("Autres ressources", "Other resources"),
            CostKind::Maintenance => lang.pick("Maintenance", "Maintenance"),
            CostKind::Consumables => lang.pick("Consommables", "Consumables"),
            CostKind::EndOfLife => lang.pick("Fin de vie", "End of life"),
            CostKind::ResidualValue => lang.pick("Valeur résiduelle", "Residual value"),
            CostKind::Emissions => lang.pick("Externalités", "Externalities"),
            CostKind::Other => lang.pick("Autres coûts", "Other costs"),
        }
    }

    /// Whether the kind is a receipt deducted from the cost (the residual value).
    pub fn is_deducted(&self) -> bool {
        *self == CostKind::ResidualValue
    }

    /// The years an item of this kind occurs in when it does not say: year 0 for the
    /// acquisition, the last year for the end of life and the residual value, every year of
    /// use (1 to the horizon) otherwise.
    pub fn default_years(&self, horizon: u32) -> Years {
        match self {
            CostKind::Acquisition => Years::Once(0),
            CostKind::EndOfLife | CostKind::ResidualValue => Years::Once(horizon),
            _ => Years::Range {
                from: 1.min(horizon),
                to: horizon,
            },
        }
    }
}

impl fmt::Display for CostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CostKind {
    type Err = Error;
    /// Parses the serialized names and French equivalents (`achat`, `energie`, `utilisation`,
    /// `entretien`, `consommables`, `fin_de_vie`, `valeur_residuelle`, `emissions`,
    /// `externalites`, `autre`).
    fn from_str(s: &str) -> Result<CostKind> {
        let k = fold(s).replace([' ', '-'], "_");
        Ok(match k.as_str() {
            "acquisition" | "achat" | "purchase" | "investissement" | "investment" => {
                CostKind::Acquisition
            }
            "energy" | "energie" => CostKind::Energy,
            "use" | "utilisation" | "usage" | "resources" | "ressources" => CostKind::Use,
            "maintenance" | "entretien" => CostKind::Maintenance,
            "consumables" | "consommables" => CostKind::Consumables,
            "end_of_life" | "fin_de_vie" | "disposal" => CostKind::EndOfLife,
            "residual_value" | "valeur_residuelle" | "residual" | "resale" | "revente" => {
                CostKind::ResidualValue
            }
            "emissions" | "externalities" | "externalites" | "emission" => CostKind::Emissions,
            "other" | "autre" | "autres" => CostKind::Other,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "cost kind \"{}\" is unknown; accepted: {}",
                        excerpt(s),
                        CostKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                ));
            }
        })
    }
}

/// The years a cost item occurs in (years of the study: 0 is the time of purchase, `1..=T`
/// the years of use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Years {
    /// One year.
    Once(u32),
    /// Every year from `from` to `to`, both included.
    Range {
        /// First year.
        from: u32,
        /// Last year.
        to: u32,
    },
}

impl Years {
    /// The years, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> {
        let (a, b) = match *self {
            Years::Once(y) => (y, y),
            Years::Range { from, to } => (from, to),
        };
        a..=b
    }

    /// The first year.
    pub fn first(&self) -> u32 {
        match *self {
            Years::Once(y) => y,
            Years::Range { from, .. } => from,
        }
    }
}

/// How much of a cost item occurs in each of its years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    /// The same quantity every year of the item.
    Constant(Decimal),
    /// A quantity per year of the study (every year of the item must be given).
    PerYear(BTreeMap<u32, Decimal>),
}

/// What one unit of a cost item costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Price {
    /// A unit price HT (of the item's first year, escalated each later year).
    Unit(Decimal),
    /// The money value per unit of a pollutant, taken year by year from the study's
    /// [`Parameters::externalities`] (environmental externalities, R2152-10).
    Externality(String),
}

/// One cost item of an offer: quantity × price in each of its years, escalated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostItem {
    /// Identifier, unique in the offer (`electricity`, `purchase`).
    pub id: String,
    /// What the item pays for.
    pub kind: CostKind,
    /// The years it occurs in; `None` for the kind's default ([`CostKind::default_years`]),
    /// or the years of a [`Quantity::PerYear`].
    pub years: Option<Years>,
    /// The quantity in each year (1 for an item given as an amount).
    pub quantity: Quantity,
    /// The unit of the quantity (`kWh`, `t CO2e`, `cartridge`), for reports.
    pub unit: Option<String>,
    /// The price of a unit.
    pub price: Price,
    /// Yearly escalation of the unit price from the item's first year (0 by default; real or
    /// nominal like the study's rate). Not for externalities, whose values are given per year.
    pub escalation: Decimal,
}

impl CostItem {
    /// An item of `amount` HT in each of its years (default years of its kind).
    pub fn amount(id: impl Into<String>, kind: CostKind, amount: Decimal) -> CostItem {
        CostItem {
            id: id.into(),
            kind,
            years: None,
            quantity: Quantity::Constant(Decimal::ONE),
            unit: None,
            price: Price::Unit(amount),
            escalation: Decimal::ZERO,
        }
    }

    /// An item of `quantity` × `unit_price` HT in each of its years.
    pub fn priced(
        id: impl Into<String>,
        kind: CostKind,
        quantity: Decimal,
        unit_price: Decimal,
    ) -> CostItem {
        CostItem {
            id: id.into(),
            kind,
            years: None,
            quantity: Quantity::Constant(quantity),
            unit: None,
            price: Price::Unit(unit_price),
            escalation: Decimal::ZERO,
        }
    }

    /// An emissions item: `quantity` units of `pollutant` a year, valued with the study's
    /// externality values.
    pub fn emissions(
        id: impl Into<String>,
        pollutant: impl Into<String>,
        quantity: Decimal,
    ) -> CostItem {
        CostItem {
            id: id.into(),
            kind: CostKind::Emissions,
            years: None,
            quantity: Quantity::Constant(quantity),
            unit: None,
            price: Price::Externality(pollutant.into()),
            escalation: Decimal::ZERO,
        }
    }

    /// The same item in `years`.
    pub fn in_years(mut self, years: Years) -> CostItem {
        self.years = Some(years);
        self
    }

    /// The same item with a yearly escalation of its unit price.
    pub fn escalating(mut self, rate: Decimal) -> CostItem {
        self.escalation = rate;
        self
    }

    /// The years the item occurs in, within a horizon.
    pub fn effective_years(&self, horizon: u32) -> Years {
        if let Some(y) = self.years {
            return y;
        }
        if let Quantity::PerYear(m) = &self.quantity
            && let (Some(a), Some(b)) = (m.keys().next(), m.keys().next_back())
        {
            return Years::Range { from: *a, to: *b };
        }
        self.kind.default_years(horizon)
    }
}

/// One offer: its identifier and cost items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Identifier, unique in the study (the tenderer or the offer number).
    pub id: String,
    /// A label for reports.
    pub label: Option<String>,
    /// Cost items.
    pub items: Vec<CostItem>,
}

impl Offer {
    /// An offer without items.
    pub fn new(id: impl Into<String>) -> Offer {
        Offer {
            id: id.into(),
            label: None,
            items: Vec::new(),
        }
    }

    /// The same offer with one more item.
    pub fn with(mut self, item: CostItem) -> Offer {
        self.items.push(item);
        self
    }
}

/// The money value of one unit of a pollutant, year by year (a carbon value trajectory given
/// by the buyer, R2152-10: a value that can be determined and verified).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Externality {
    /// The unit valued (`t CO2e`, `kg NOx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Euros per unit, keyed by calendar year when the study has a
    /// [`base year`](Parameters::base_year), by year of the study (0 to the horizon) otherwise.
    #[serde(with = "decimal_map")]
    pub values: BTreeMap<i32, Decimal>,
}

mod decimal_map {
    //! A map of year → decimal as `{"2026": "100.5"}`.
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeMap};

    pub fn serialize<S: Serializer>(m: &BTreeMap<i32, Decimal>, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            map.serialize_entry(&k.to_string(), &v.normalize().to_string())?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<i32, Decimal>, D::Error> {
        let raw: BTreeMap<String, serde_json::Value> = BTreeMap::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let year: i32 = k.trim().parse().map_err(|_| {
                serde::de::Error::custom(format!("year \"{k}\" is not a whole number"))
            })?;
            let value = super::decimal_of(&v).map_err(serde::de::Error::custom)?;
            out.insert(year, value);
        }
        Ok(out)
    }
}

/// The method of an LCC study, stated in the consultation documents (R2152-10): horizon,
/// discount rate and its basis, discounting convention, and the money values of
/// externalities.
///
/// ```
/// use rust_decimal::Decimal;
/// use spaser::lcc::{Convention, Parameters, RateBasis};
/// let p = Parameters::new(10, Decimal::new(4, 2), RateBasis::Real, Convention::EndOfYear)?;
/// assert_eq!(p.horizon_years(), 10);
/// assert!(Parameters::new(10, Decimal::NEGATIVE_ONE, RateBasis::Real, Convention::EndOfYear).is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawParameters", into = "RawParameters")]
pub struct Parameters {
    horizon_years: u32,
    discount_rate: Decimal,
    rate_basis: RateBasis,
    convention: Convention,
    base_year: Option<i32>,
    externalities: BTreeMap<String, Externality>,
}

impl Parameters {
    /// Parameters without base year nor externality values.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the horizon is 0 or above
    /// [`MAX_HORIZON_YEARS`], or the rate is −100 % or less.
    pub fn new(
        horizon_years: u32,
        discount_rate: Decimal,
        rate_basis: RateBasis,
        convention: Convention,
    ) -> Result<Parameters> {
        check_horizon(i64::from(horizon_years))?;
        check_rate("discount_rate", discount_rate)?;
        Ok(Parameters {
            horizon_years,
            discount_rate,
            rate_basis,
            convention,
            base_year: None,
            externalities: BTreeMap::new(),
        })
    }

    /// The same parameters with the calendar year of year 0 (externality values are then keyed
    /// by calendar year).
    pub fn with_base_year(mut self, year: i32) -> Parameters {
        self.base_year = Some(year);
        self
    }

    /// The same parameters with the values of one pollutant.
    pub fn with_externality(
        mut self,
        pollutant: impl Into<String>,
        values: Externality,
    ) -> Parameters {
        self.externalities.insert(pollutant.into(), values);
        self
    }

    /// The horizon in years (the years of use are `1..=horizon`).
    pub fn horizon_years(&self) -> u32 {
        self.horizon_years
    }

    /// The discount rate (`0.04` for 4 %).
    pub fn discount_rate(&self) -> Decimal {
        self.discount_rate
    }

    /// Whether the rate is real or nominal.
    pub fn rate_basis(&self) -> RateBasis {
        self.rate_basis
    }

    /// The discounting convention.
    pub fn convention(&self) -> Convention {
        self.convention
    }

    /// The calendar year of year 0, when given.
    pub fn base_year(&self) -> Option<i32> {
        self.base_year
    }

    /// The externality values, by pollutant.
    pub fn externalities(&self) -> &BTreeMap<String, Externality> {
        &self.externalities
    }

    /// The key of year `t` of the study in the externality values (calendar year with a base
    /// year, `t` otherwise).
    pub(crate) fn value_key(&self, t: u32) -> i64 {
        match self.base_year {
            Some(b) => i64::from(b) + i64::from(t),
            None => i64::from(t),
        }
    }
}

fn check_horizon(h: i64) -> Result<u32> {
    let bad = |m: String| {
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!("parameters, field \"horizon_years\": {m}"),
        ))
    };
    if h < 0 {
        return bad(format!(
            "horizon {h} is negative (it counts the years of use, from 1)"
        ));
    }
    if h == 0 {
        return bad("horizon 0: at least one year of use is needed".to_string());
    }
    if h > i64::from(MAX_HORIZON_YEARS) {
        return bad(format!("horizon {h} exceeds {MAX_HORIZON_YEARS} years"));
    }
    Ok(h as u32)
}

fn check_rate(field: &str, r: Decimal) -> Result<()> {
    if r <= Decimal::NEGATIVE_ONE {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "parameters, field \"{field}\": rate {} is -100 % or less (1 + rate must be positive)",
                r.normalize()
            ),
        ));
    }
    if r > Decimal::TEN {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "parameters, field \"{field}\": rate {} exceeds 1000 % (write 4 % as 0.04)",
                r.normalize()
            ),
        ));
    }
    Ok(())
}

/// Reads a decimal from a JSON string or number (numbers through their shortest decimal form).
pub(crate) fn decimal_of(v: &serde_json::Value) -> std::result::Result<Decimal, String> {
    match v {
        serde_json::Value::String(s) => parse_decimal(s),
        serde_json::Value::Number(n) => parse_decimal(&n.to_string()),
        other => Err(format!("{other} is not a number")),
    }
}

/// Parses a decimal written `0.04`, `4 %`, `4%` or with a decimal comma.
pub(crate) fn parse_decimal(text: &str) -> std::result::Result<Decimal, String> {
    let t = text.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let normalized = num
        .replace(',', ".")
        .replace(['\u{a0}', '\u{202f}', ' '], "");
    let d = Decimal::from_str_exact(&normalized)
        .or_else(|_| Decimal::from_scientific(&normalized))
        .map_err(|_| format!("\"{}\" is not a decimal number", excerpt(text)))?;
    Ok(if pct { d / Decimal::ONE_HUNDRED } else { d })
}

/// The JSON form of [`Parameters`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParameters {
    horizon_years: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    discount_rate: Option<serde_json::Value>,
    rate_basis: RateBasis,
    #[serde(default = "default_convention")]
    convention: Convention,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_year: Option<i32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    externalities: BTreeMap<String, Externality>,
}

fn default_convention() -> Convention {
    Convention::EndOfYear
}

impl TryFrom<RawParameters> for Parameters {
    type Error = Error;
    fn try_from(r: RawParameters) -> Result<Parameters> {
        let horizon = check_horizon(r.horizon_years)?;
        let rate = match &r.discount_rate {
            None => {
                return Err(Error::new(
                    ErrorKind::Missing,
                    "parameters, field \"discount_rate\": missing (state the rate, 0 for none)",
                ));
            }
            Some(v) => decimal_of(v).map_err(|m| {
                Error::new(
                    ErrorKind::Parse,
                    format!("parameters, field \"discount_rate\": {m}"),
                )
            })?,
        };
        check_rate("discount_rate", rate)?;
        Ok(Parameters {
            horizon_years: horizon,
            discount_rate: rate,
            rate_basis: r.rate_basis,
            convention: r.convention,
            base_year: r.base_year,
            externalities: r.externalities,
        })
    }
}

impl From<Parameters> for RawParameters {
    fn from(p: Parameters) -> RawParameters {
        RawParameters {
            horizon_years: i64::from(p.horizon_years),
            discount_rate: Some(serde_json::Value::String(
                p.discount_rate.normalize().to_string(),
            )),
            rate_basis: p.rate_basis,
            convention: p.convention,
            base_year: p.base_year,
            externalities: p.externalities,
        }
    }
}

/// The formula turning the offers' LCCs into award points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "formula", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScoringFormula {
    /// The lowest LCC gets full marks, the others in proportion: `max × lowest / LCC` (the
    /// usual formula for a price or cost criterion). Every LCC must be positive.
    LowestRatio,
    /// Full marks minus a share proportional to the gap to the lowest LCC:
    /// `max × (1 − (LCC − lowest) / lowest)`, floored at 0 (an offer twice the lowest gets 0).
    /// The lowest LCC must be positive.
    ProportionalGap,
    /// Linear between two bounds: `max` at or below `lower`, 0 at or above `upper`, linear in
    /// between. Without bounds, the lowest and highest LCC of the offers.
    LinearBetween {
        /// The LCC that gets full marks (default: the lowest offer).
        #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
        lower: Option<Decimal>,
        /// The LCC that gets 0 (default: the highest offer).
        #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
        upper: Option<Decimal>,
    },
}

mod opt_decimal {
    //! An optional decimal as a JSON string (numbers accepted).
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.normalize().to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let v: Option<serde_json::Value> = Option::deserialize(d)?;
        v.map(|v| super::decimal_of(&v).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// How LCCs become award points: a formula and the points of the criterion.
///
/// ```
/// use rust_decimal::Decimal;
/// use spaser::lcc::{Scoring, ScoringFormula};
/// let s = Scoring::new(ScoringFormula::LowestRatio, Decimal::from(60))?;
/// assert_eq!(s.max_points(), Decimal::from(60));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawScoring", into = "RawScoring")]
pub struct Scoring {
    formula: ScoringFormula,
    max_points: Decimal,
}

impl Scoring {
    /// A scoring.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `max_points` is not positive, or the bounds of a
    /// [`ScoringFormula::LinearBetween`] are not increasing.
    pub fn new(formula: ScoringFormula, max_points: Decimal) -> Result<Scoring> {
        if max_points <= Decimal::ZERO {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "scoring, field \"max_points\": {} is not positive",
                    max_points.normalize()
                ),
            ));
        }
        if let ScoringFormula::LinearBetween {
            lower: Some(l),
            upper: Some(u),
        } = &formula
            && l >= u
        {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "scoring, field \"lower\": {} is not below upper {}",
                    l.normalize(),
                    u.normalize()
                ),
            ));
        }
        Ok(Scoring {
            formula,
            max_points,
        })
    }

    /// The formula.
    pub fn formula(&self) -> &ScoringFormula {
        &self.formula
    }

    /// The points of the criterion.
    pub fn max_points(&self) -> Decimal {
        self.max_points
    }
}

/// The JSON form of [`Scoring`]: the formula's fields and `max_points`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RawScoring {
    #[serde(flatten)]
    formula: ScoringFormula,
    #[serde(default = "hundred", with = "opt_decimal")]
    max_points: Option<Decimal>,
}

fn hundred() -> Option<Decimal> {
    Some(Decimal::ONE_HUNDRED)
}

impl TryFrom<RawScoring> for Scoring {
    type Error = Error;
    fn try_from(r: RawScoring) -> Result<Scoring> {
        Scoring::new(r.formula, r.max_points.unwrap_or(Decimal::ONE_HUNDRED))
    }
}

impl From<Scoring> for RawScoring {
    fn from(s: Scoring) -> RawScoring {
        RawScoring {
            formula: s.formula,
            max_points: Some(s.max_points),
        }
    }
}

/// A validation problem, with where it is.
pub(crate) fn problem(offer: &str, item: Option<&str>, field: &str, message: String) -> String {
    match item {
        Some(i) => format!(
            "offer \"{}\", item \"{}\", field \"{field}\": {message}",
            excerpt(offer),
            excerpt(i)
        ),
        None => format!("offer \"{}\", field \"{field}\": {message}", excerpt(offer)),
    }
}

/// Joins every problem found into one error of `kind` (the first problem's kind).
pub(crate) fn all_problems(what: &str, kind: ErrorKind, problems: Vec<String>) -> Result<()> {
    match problems.len() {
        0 => Ok(()),
        1 => Err(Error::new(
            kind,
            problems.into_iter().next().unwrap_or_default(),
        )),
        n => Err(Error::new(
            kind,
            format!("{n} problems in {what}:\n- {}", problems.join("\n- ")),
        )),
    }
}

/// Checks an item against the parameters; pushes every problem found.
pub(crate) fn check_item(offer: &str, item: &CostItem, p: &Parameters, out: &mut Vec<String>) {
    let id = Some(item.id.as_str());
    let horizon = p.horizon_years;
    if item.id.trim().is_empty() {
        out.push(problem(
            offer,
            None,
            "items.id",
            "an item has an empty id".into(),
        ));
    }
    let years = item.effective_years(horizon);
    let (first, last) = match years {
        Years::Once(y) => (y, y),
        Years::Range { from, to } => (from, to),
    };
    if first > last {
        out.push(problem(
            offer,
            id,
            "from",
            format!("year {first} is after the last year {last}"),
        ));
    }
    if last > horizon {
        out.push(problem(
            offer,
            id,
            if item.years.is_some() {
                "to"
            } else {
                "per_year"
            },
            format!("year {last} is beyond the horizon of {horizon} years"),
        ));
    }
    match &item.quantity {
        Quantity::Constant(q) => {
            if *q < Decimal::ZERO {
                out.push(problem(
                    offer,
                    id,
                    "quantity",
                    format!("{} is negative", q.normalize()),
                ));
            }
        }
        Quantity::PerYear(m) => {
            if m.is_empty() {
                out.push(problem(offer, id, "per_year", "no year is given".into()));
            }
            for (y, q) in m {
                if *q < Decimal::ZERO {
                    out.push(problem(
                        offer,
                        id,
                        "per_year",
                        format!("year {y}: {} is negative", q.normalize()),
                    ));
                }
                if *y < first || *y > last {
                    out.push(problem(
                        offer,
                        id,
                        "per_year",
                        format!("year {y} is outside the item's years {first} to {last}"),
                    ));
                }
            }
            if first <= last {
                let missing: Vec<String> = (first..=last)
                    .filter(|y| !m.contains_key(y))
                    .map(|y| y.to_string())
                    .collect();
                if !missing.is_empty() {
                    out.push(problem(
                        offer,
                        id,
                        "per_year",
                        format!(
                            "missing year{} {} (the item runs from year {first} to {last})",
                            if missing.len() > 1 { "s" } else { "" },
                            missing.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    if item.escalation <= Decimal::NEGATIVE_ONE {
        out.push(problem(
            offer,
            id,
            "escalation",
            format!(
                "rate {} is -100 % or less (a price cannot fall by 100 % or more a year)",
                item.escalation.normalize()
            ),
        ));
    } else if item.escalation > Decimal::TEN {
        out.push(problem(
            offer,
            id,
            "escalation",
            format!(
                "rate {} exceeds 1000 % (write 2 % as 0.02)",
                item.escalation.normalize()
            ),
        ));
    }
    match &item.price {
        Price::Unit(u) => {
            if *u < Decimal::ZERO {
                out.push(problem(
                    offer,
                    id,
                    "unit_price",
                    format!(
                        "{} is negative (a receipt is a residual_value item)",
                        u.normalize()
                    ),
                ));
            }
            if item.kind == CostKind::Emissions {
                out.push(problem(
                    offer,
                    id,
                    "pollutant",
                    "an emissions item is valued with parameters.externalities: give its pollutant, not a price".into(),
                ));
            }
        }
        Price::Externality(pollutant) => {
            if !item.escalation.is_zero() {
                out.push(problem(
                    offer,
                    id,
                    "escalation",
                    "does not apply to an externality: give its values per year in parameters.externalities".into(),
                ));
            }
            match p.externalities.get(pollutant) {
                None => out.push(problem(
                    offer,
                    id,
                    "pollutant",
                    format!(
                        "\"{}\" has no values in parameters.externalities (known: {})",
                        excerpt(pollutant),
                        if p.externalities.is_empty() {
                            "none".to_string()
                        } else {
                            p.externalities
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ),
                )),
                Some(ext) if first <= last => {
                    let missing: Vec<String> = (first..=last.min(horizon))
                        .filter(|&t| {
                            let key = p.value_key(t);
                            i32::try_from(key).map_or(true, |k| !ext.values.contains_key(&k))
                        })
                        .map(|t| match p.base_year {
                            Some(_) => format!("{} (year {t})", p.value_key(t)),
                            None => t.to_string(),
                        })
                        .collect();
                    if !missing.is_empty() {
                        out.push(problem(
                            offer,
                            id,
                            "pollutant",
                            format!(
                                "parameters.externalities.\"{}\" is missing year{} {}",
                                excerpt(pollutant),
                                if missing.len() > 1 { "s" } else { "" },
                                missing.join(", ")
                            ),
                        ));
                    }
                    for (y, v) in &ext.values {
                        if *v < Decimal::ZERO {
                            out.push(problem(
                                offer,
                                id,
                                "pollutant",
                                format!(
                                    "parameters.externalities.\"{}\" year {y}: value {} is negative",
                                    excerpt(pollutant),
                                    v.normalize()
                                ),
                            ));
                        }
                    }
                }
                Some(_) => {}
            }
        }
    }
}

/// Checks offers against the parameters: unique non-empty offer and item ids, and every item
/// (see [`check_item`]). Returns every problem found.
pub(crate) fn check_offers(offers: &[Offer], p: &Parameters) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (i, o) in offers.iter().enumerate() {
        if o.id.trim().is_empty() {
            out.push(format!("offer {}: the id is empty", i + 1));
        } else if !seen.insert(o.id.as_str()) {
            out.push(format!(
                "offer \"{}\": the id is used by an earlier offer",
                excerpt(&o.id)
            ));
        }
        if o.items.is_empty() {
            out.push(problem(&o.id, None, "items", "no cost item".into()));
        }
        let mut items: BTreeSet<&str> = BTreeSet::new();
        for item in &o.items {
            if !items.insert(item.id.as_str()) {
                out.push(problem(
                    &o.id,
                    Some(&item.id),
                    "id",
                    "the id is used by an earlier item of the offer".into(),
                ));
            }
            check_item(&o.id, item, p, &mut out);
        }
    }
    out
}
