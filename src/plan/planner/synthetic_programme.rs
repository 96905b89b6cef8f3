//! A seeded synthetic programme on the crate's types, shared by the `spaser_plan` example
//! (`--synthetic N --seed S`) and the end-to-end planner bench: N lines over 2026–2030 in 22
//! purchase segments (a quarter works, a third services, the rest supplies), log-normal amounts
//! (median €60k, from €1,000 to €20M), six services, 10 % of lines already carrying an
//! environmental consideration; two extra targets; and a binding yearly insertion capacity.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::PurchaseContext;
use crate::plan::targets::Targets;
use crate::programme::model::{Buyer, PlanLine, Programme};
use crate::values::buyer_kind::BuyerKind;
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::vocabulary::dimension::Dimension;

use super::plan::{PlanOptions, Planner};
use super::synthetic::Rng;

/// (CPV, nature, family) of the synthetic programme.
const SEGMENTS: &[(&str, Nature, &str)] = &[
    ("45210000", Nature::Works, "construction"),
    ("45440000", Nature::Works, "peinture"),
    ("45233000", Nature::Works, "voirie"),
    ("45262500", Nature::Works, "maconnerie"),
    ("90910000", Nature::Services, "nettoyage"),
    ("77310000", Nature::Services, "espaces-verts"),
    ("55300000", Nature::Services, "restauration"),
    ("90500000", Nature::Services, "dechets"),
    ("50700000", Nature::Services, "maintenance-batiments"),
    ("79710000", Nature::Services, "gardiennage"),
    ("72000000", Nature::Services, "services-informatiques"),
    ("79400000", Nature::Services, "conseil"),
    ("30213000", Nature::Supplies, "informatique"),
    ("39100000", Nature::Supplies, "mobilier"),
    ("30197600", Nature::Supplies, "papier"),
    ("18100000", Nature::Supplies, "textiles"),
    ("15800000", Nature::Supplies, "denrees"),
    ("15100000", Nature::Supplies, "viandes"),
    ("34100000", Nature::Supplies, "vehicules"),
    ("30125100", Nature::Supplies, "consommables"),
    ("39830000", Nature::Supplies, "produits-entretien"),
    ("09100000", Nature::Supplies, "carburants"),
];

/// The most lines of a synthetic programme (ten million: a few gigabytes planned).
const SYNTHETIC_MAX_LINES: usize = 10_000_000;

/// A seeded synthetic programme of `n` lines (see the module documentation).
///
/// # Errors
/// [`ErrorKind::InvalidValue`] beyond [`SYNTHETIC_MAX_LINES`] lines; otherwise none in practice
/// (the generated amounts, dates and CPV codes are valid).
#[doc(hidden)]
pub fn synthetic_programme(n: usize, seed: u64, kind: BuyerKind) -> Result<Programme> {
    if n > SYNTHETIC_MAX_LINES {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "a synthetic programme has at most {SYNTHETIC_MAX_LINES} lines; {n} were asked for"
            ),
        ));
    }
    // the example's SplitMix64 state: `seed ^ 0x5EED`
    let mut rng = Rng::new(seed ^ 0x5EED ^ 0x9E37_79B9_7F4A_7C15);
    let mut lines = Vec::with_capacity(n);
    for i in 0..n {
        let r = rng.unit();
        let pool: Vec<usize> = (0..SEGMENTS.len())
            .filter(|&s| match SEGMENTS[s].1 {
                Nature::Works => r < 0.25,
                Nature::Services => (0.25..0.60).contains(&r),
                _ => r >= 0.60,
            })
            .collect();
        let (cpv, nature, family) = SEGMENTS[pool[rng.below(pool.len())]];
        let u = rng.unit().max(1e-12);
        let normal = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * rng.unit()).cos();
        let euros = (60_000.0 * (1.3 * normal).exp()).clamp(1_000.0, 20_000_000.0);
        let amount = Amount::new(Decimal::from(euros.round() as i64))?;
        let year = 2026 + rng.below(5) as i32;
        let day = rng.below(365) as u32;
        let date = NaiveDate::from_yo_opt(year, day + 1).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidValue,
                format!("synthetic line {i}: no day {} in {year}", day + 1),
            )
        })?;
        let mut line = PlanLine::new(
            format!("S{i:06}"),
            format!("{family} {i}"),
            nature,
            amount,
            date,
        );
        line.cpv = Some(CpvCode::parse(cpv)?);
        line.family = Some(family.to_string());
        line.service = Some(format!("S{}", rng.below(6) + 1));
        if rng.unit() < 0.10 {
            line.considerations.push(Dimension::Environmental);
        }
        lines.push(line);
    }
    Programme::new(
        Buyer::new(
            format!("Synthetic programme ({n} lines, seed {seed})"),
            kind,
        ),
        lines,
    )
}

/// The two targets the synthetic programme adds to [`Targets::defaults_for`]: service S1's
/// works social value share, and the environmental award-criterion count share at or above
/// €40,000, each rising over 2026–2030.
///
/// # Errors
/// None in practice: the targets are valid.
#[doc(hidden)]
pub fn synthetic_targets() -> Result<Targets> {
    let years: Vec<i32> = (2026..=2030).collect();
    let extra = format!(
        r#"{{"targets":[
              {{"id":"works-social-s1","dimension":"social","basis":"value","filter":{{"natures":["works"],"services":["S1"]}},
                "trajectory":{{{}}},"source":"synthetic: service S1 works"}},
              {{"id":"env-award-criterion","dimension":"environmental","instruments":["award_criterion"],"basis":"count",
                "filter":{{"min_amount":"40000"}},"trajectory":{{{}}},"source":"synthetic"}}]}}"#,
        years
            .iter()
            .enumerate()
            .map(|(i, y)| format!("\"{y}\":\"0.{}\"", 30 + 5 * i))
            .collect::<Vec<_>>()
            .join(","),
        years
            .iter()
            .enumerate()
            .map(|(i, y)| format!("\"{y}\":\"0.{}\"", 20 + 10 * i))
            .collect::<Vec<_>>()
            .join(","),
    );
    Targets::from_json(&extra)
}

impl Planner<'_> {
    /// `options` with a binding insertion capacity for each year of `programme`: the hours the
    /// obligations force, plus 5 % of what the programme could absorb beyond them (the
    /// synthetic programme's capacity).
    ///
    /// # Errors
    /// Errors of the model ([`Planner::problem`]) and of the levers' insertion hours.
    #[doc(hidden)]
    pub fn binding_capacity(
        &self,
        programme: &Programme,
        targets: &Targets,
        mut options: PlanOptions,
    ) -> Result<PlanOptions> {
        let mut potential: BTreeMap<i32, Decimal> = BTreeMap::new();
        for line in &programme.lines {
            let ctx = PurchaseContext::from_line(line, programme.buyer.kind, None);
            let best = self
                .catalogue
                .applicable_line(line, programme.buyer.kind)
                .iter()
                .filter_map(|a| a.lever.insertion_hours(&ctx).ok().flatten())
                .max()
                .unwrap_or_default();
            *potential.entry(line.launch_date.year()).or_default() += best;
        }
        let forced = self.problem(programme, targets, &options)?.min_hours()?;
        for (y, p) in potential {
            let need = Decimal::try_from(forced.get(&y).copied().unwrap_or(0.0))
                .unwrap_or_default()
                .ceil();
            let cap = need + ((p - need).max(Decimal::ZERO) * Decimal::new(5, 2)).round();
            options = options.capacity(y, cap);
        }
        Ok(options)
    }
}
