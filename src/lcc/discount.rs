//! Discount and escalation factors with a stated precision.
//!
//! `(1 + r)^n` is computed by repeated multiplication, each product rounded to
//! [`FACTOR_DECIMALS`] decimal places (half to even); a discount factor is `1 / (1 + d)^t`
//! computed with the full precision of `Decimal` (28 significant digits) and rounded the same
//! way. The half-year of the middle-of-year convention uses the square root of `1 + d`,
//! computed by Newton's iteration to the same precision. The relative error of a factor is
//! below 10⁻¹⁹ for the horizons and rates the crate accepts, far below a cent on any amount it
//! accepts; money is rounded to the cent only once, on the totals
//! ([`MONEY_ROUNDING`](super::MONEY_ROUNDING)).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::lcc::model::Convention;

/// The decimal places every factor is rounded to.
pub const FACTOR_DECIMALS: u32 = 20;

/// The rounding of every factor: half to even (no bias over many factors).
pub const FACTOR_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointNearestEven;

/// Rounds a factor to [`FACTOR_DECIMALS`] places with [`FACTOR_ROUNDING`].
pub(crate) fn round_factor(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(FACTOR_DECIMALS, FACTOR_ROUNDING)
}

use round_factor as round;

/// `(1 + rate)^n`, each product rounded to [`FACTOR_DECIMALS`]; `None` on overflow.
#[cfg(test)]
pub(crate) fn growth(rate: Decimal, n: u32) -> Option<Decimal> {
    let g = Decimal::ONE.checked_add(rate)?;
    let mut acc = Decimal::ONE;
    for _ in 0..n {
        acc = round(acc.checked_mul(g)?);
    }
    Some(acc)
}

/// The square root of a positive `x`, to [`FACTOR_DECIMALS`] places (Newton's iteration);
/// `None` for a non-positive `x` or on overflow.
pub(crate) fn sqrt(x: Decimal) -> Option<Decimal> {
    if x <= Decimal::ZERO {
        return None;
    }
    let two = Decimal::TWO;
    // Start above the root: max(x, 1) is always >= sqrt(x).
    let mut r = x.max(Decimal::ONE);
    for _ in 0..200 {
        let next = round(r.checked_add(x.checked_div(r)?)?.checked_div(two)?);
        if next >= r {
            // Newton's iteration from above decreases monotonically until it converges.
            return Some(r);
        }
        r = next;
    }
    Some(r)
}

/// The discount factors of years `0..=horizon` for `rate` under `convention`: year 0 (the
/// time of purchase) has factor 1; a flow of year `t >= 1` is discounted over `t` years (end of
/// year), `t − ½` (middle) or `t − 1` (beginning) — NIST Handbook 135, formula D.2.1.1, with the
/// effective year of EnergyPlus's `LifeCycleCost:Parameters` conventions.
///
/// `None` when a factor overflows the decimal range (a rate near −100 % over a long horizon).
pub(crate) fn factors(rate: Decimal, horizon: u32, convention: Convention) -> Option<Vec<Decimal>> {
    let g = Decimal::ONE.checked_add(rate)?;
    if g <= Decimal::ZERO {
        return None;
    }
    let half = match convention {
        Convention::MiddleOfYear => Some(sqrt(g)?),
        _ => None,
    };
    let mut out = Vec::with_capacity(horizon as usize + 1);
    out.push(Decimal::ONE);
    // pow = g^(t-1)
    let mut pow = Decimal::ONE;
    for t in 1..=horizon {
        if t > 1 {
            pow = round(pow.checked_mul(g)?);
        }
        let denominator = match convention {
            Convention::BeginningOfYear => pow,
            Convention::MiddleOfYear => round(pow.checked_mul(half?)?),
            Convention::EndOfYear => round(pow.checked_mul(g)?),
        };
        if denominator.is_zero() {
            return None;
        }
        out.push(round(Decimal::ONE.checked_div(denominator)?));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn growth_is_exact_while_digits_fit() {
        assert_eq!(growth(d("0.04"), 3), Some(d("1.124864")));
        assert_eq!(growth(d("0.1"), 0), Some(Decimal::ONE));
    }

    #[test]
    fn sqrt_of_squares_and_of_1_04() {
        assert_eq!(sqrt(d("1.21")), Some(d("1.1")));
        assert_eq!(sqrt(d("4")), Some(d("2")));
        // sqrt(1.04) = 1.019803902718556966…
        assert_eq!(
            sqrt(d("1.04")).unwrap().round_dp(15),
            d("1.019803902718557")
        );
        assert_eq!(sqrt(Decimal::ZERO), None);
    }

    #[test]
    fn factors_of_each_convention() {
        let eoy = factors(d("0.1"), 2, Convention::EndOfYear).unwrap();
        assert_eq!(eoy[0], Decimal::ONE);
        assert_eq!(eoy[1], d("0.90909090909090909091"));
        let boy = factors(d("0.1"), 2, Convention::BeginningOfYear).unwrap();
        assert_eq!(boy[1], Decimal::ONE);
        assert_eq!(boy[2], eoy[1]);
        let moy = factors(d("0.21"), 1, Convention::MiddleOfYear).unwrap();
        assert_eq!(moy[1], d("0.90909090909090909091")); // 1 / sqrt(1.21)
        assert!(factors(d("-1"), 3, Convention::EndOfYear).is_none());
    }
}
