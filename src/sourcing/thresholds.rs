//! The thresholds of the sourcing ladder: documented, overridable defaults.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::confidence::Confidence;
use crate::values::share::Share;

/// The thresholds that decide which rung of the ladder a line reaches, and which levers the
/// planner keeps. Every field has a documented default and can be overridden (by setters, or
/// from JSON with [`Thresholds::from_json`]; missing fields keep their default).
///
/// The social defaults reproduce the published method of Le Marché de l'inclusion (the State
/// platform of inclusive suppliers; its open-source "inclusive potential" analysis, read in
/// 2026): more than 30 structures and a dependency below 30 % → full reservation; more than
/// 10 structures → reserved lot; more than one → insertion clause; otherwise reverse sourcing
/// — confidence `S` (one source, a method, not a legal rule). The crate adds the social award
/// criterion for a single structure (Le Marché's method names this rung but its analysis does
/// not reach it), the bound on insertion hours and the environmental thresholds — confidence
/// `?`: clearly marked defaults to check and override.
///
/// ```
/// use spaser::sourcing::Thresholds;
/// let t = Thresholds::default();
/// assert_eq!((t.reservation_min, t.lot_min, t.clause_min), (31, 11, 2));
/// assert_eq!(t.dependency_max.to_string(), "30");
/// let mine = Thresholds::from_json(r#"{"reservation_min": 3, "lot_min": 2}"#)?;
/// assert_eq!((mine.reservation_min, mine.lot_min, mine.clause_min), (3, 2, 2));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Thresholds {
    /// Fewest structures eligible under a reservation article, in reach, for a full
    /// reservation (default 31: "more than 30", Le Marché de l'inclusion, `S`).
    pub reservation_min: usize,
    /// Highest dependency, in percent, for a full reservation: the estimated value must be
    /// strictly below this share of the eligible structures' average turnover (default 30,
    /// Le Marché de l'inclusion, `S`); above it the ladder proposes a reserved lot.
    #[serde(with = "rust_decimal::serde::str")]
    pub dependency_max: Decimal,
    /// Fewest eligible structures for a reserved lot (default 11: "more than 10", `S`).
    pub lot_min: usize,
    /// Fewest inclusive structures (insertion, disability, prison) for an insertion clause
    /// (default 2: "more than one", `S`).
    pub clause_min: usize,
    /// Fewest inclusive structures for a social award criterion (default 1, `?`); with none
    /// the ladder proposes reverse sourcing.
    pub criterion_min: usize,
    /// Hours one full-time equivalent works in a year, to turn the structures' insertion
    /// FTEs into hours (default 1,607: the French legal annual working time, `S`).
    #[serde(with = "rust_decimal::serde::str")]
    pub hours_per_fte: Decimal,
    /// Share of the inclusive structures' yearly insertion hours that one contract can take
    /// (default 30 %, mirroring the dependency limit, `?`).
    pub absorbable_share: Share,
    /// Fewest structures of a reservation article, in reach, for the planner to keep a
    /// reserved contract under that article available (default 1: no reservation where no
    /// structure exists, `?`).
    pub planner_reserved_min: usize,
    /// Fewest suppliers holding a label, in reach, for the label (or the specification it
    /// backs) to be recommended and kept available to the planner (default 3, so that
    /// requiring it leaves competition, `?`).
    pub label_min: usize,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            reservation_min: 31,
            dependency_max: Decimal::from(30),
            lot_min: 11,
            clause_min: 2,
            criterion_min: 1,
            hours_per_fte: Decimal::from(1607),
            absorbable_share: Share::new(Decimal::new(3, 1)).unwrap_or(Share::ZERO),
            planner_reserved_min: 1,
            label_min: 3,
        }
    }
}

impl Thresholds {
    /// The confidence of each default, by field name (`S` for Le Marché de l'inclusion's
    /// published values and the legal working time, `?` for the crate's own defaults).
    pub fn confidence(field: &str) -> Option<Confidence> {
        match field {
            "reservation_min" | "dependency_max" | "lot_min" | "clause_min" | "hours_per_fte" => {
                Some(Confidence::S)
            }
            "criterion_min" | "absorbable_share" | "planner_reserved_min" | "label_min" => {
                Some(Confidence::Unknown)
            }
            _ => None,
        }
    }

    /// Reads thresholds from JSON (fields left out keep their default).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or an unknown field;
    /// [`ErrorKind::Inconsistent`] when the rungs are out of order (a reservation needing
    /// fewer structures than a lot, a lot fewer than a clause, a clause fewer than a
    /// criterion), when a minimum is 0 or when a decimal is negative.
    pub fn from_json(json: &str) -> Result<Thresholds> {
        let t: Thresholds = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("sourcing thresholds: {e}")).with_source(e)
        })?;
        t.validate()?;
        Ok(t)
    }

    /// Checks the order of the rungs (see [`Thresholds::from_json`]).
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the fields out of order.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| {
            Err(Error::new(
                ErrorKind::Inconsistent,
                format!("sourcing thresholds: {m}"),
            ))
        };
        if self.criterion_min == 0 || self.planner_reserved_min == 0 || self.label_min == 0 {
            return bad(
                "criterion_min, planner_reserved_min and label_min must be at least 1".into(),
            );
        }
        if self.reservation_min < self.lot_min {
            return bad(format!(
                "reservation_min ({}) is below lot_min ({})",
                self.reservation_min, self.lot_min
            ));
        }
        if self.lot_min < self.clause_min {
            return bad(format!(
                "lot_min ({}) is below clause_min ({})",
                self.lot_min, self.clause_min
            ));
        }
        if self.clause_min < self.criterion_min {
            return bad(format!(
                "clause_min ({}) is below criterion_min ({})",
                self.clause_min, self.criterion_min
            ));
        }
        if self.dependency_max.is_sign_negative() || self.hours_per_fte.is_sign_negative() {
            return bad("dependency_max and hours_per_fte must not be negative".into());
        }
        Ok(())
    }
}
