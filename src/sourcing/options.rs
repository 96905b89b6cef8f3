//! Options of the sourcing analysis.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sourcing::naf::NafTable;
use crate::sourcing::status::Status;
use crate::sourcing::thresholds::Thresholds;
use crate::values::nature::Nature;
use crate::values::place::Departement;

/// How far from where a purchase is performed the crate counts suppliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The département(s) where the purchase is performed.
    Departement,
    /// Their region(s).
    Region,
    /// The whole country (every supplier of the directory).
    National,
}

impl Level {
    /// The three levels, narrowest first.
    pub const ALL: [Level; 3] = [Level::Departement, Level::Region, Level::National];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Departement => "departement",
            Level::Region => "region",
            Level::National => "national",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which amount the economic dependency divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyBasis {
    /// The line's estimated value for the whole duration (the default, as Le Marché de
    /// l'inclusion divides the purchase's budget).
    #[default]
    WholeAmount,
    /// The value per year: the estimated value divided by the duration in years (at least
    /// one year; lines without a duration count as one year).
    Annual,
}

/// Options of the sourcing analysis ([`Capacity::compute`](crate::sourcing::Capacity::compute)
/// and what follows from it), with by-value setters. The defaults: the embedded NAF table,
/// suppliers counted up to the region for works and services (performed on site) and up to
/// the whole country for supplies (delivered), the dependency on the whole amount, the
/// default [`Thresholds`].
///
/// ```
/// use spaser::Nature;
/// use spaser::sourcing::{Level, SourcingOptions};
/// let o = SourcingOptions::default()
///     .departement("49".parse()?)
///     .reach(Nature::Services, Level::Departement);
/// assert_eq!(o.reach_of(Nature::Services), Level::Departement);
/// assert_eq!(o.reach_of(Nature::Supplies), Level::National);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SourcingOptions {
    pub(crate) naf: Option<NafTable>,
    pub(crate) reach: [Level; 3],
    pub(crate) departements: Vec<Departement>,
    pub(crate) basis: DependencyBasis,
    pub(crate) thresholds: Thresholds,
    pub(crate) label_levers: Vec<(Status, Vec<String>)>,
    pub(crate) max_to_meet: usize,
}

/// The levers of the embedded catalogue that a supplier label backs.
fn default_label_levers() -> Vec<(Status, Vec<String>)> {
    let ids = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    vec![
        (Status::Rge, ids(&["energy-works"])),
        (Status::Organic, ids(&["egalim-organic"])),
        (
            Status::Ecolabel,
            ids(&[
                "ecolabel-paper",
                "ecolabel-cleaning",
                "ecolabel-textiles",
                "ecolabel-it",
            ]),
        ),
    ]
}

impl Default for SourcingOptions {
    fn default() -> SourcingOptions {
        SourcingOptions {
            naf: None,
            reach: [Level::Region, Level::National, Level::Region],
            departements: Vec::new(),
            basis: DependencyBasis::WholeAmount,
            thresholds: Thresholds::default(),
            label_levers: default_label_levers(),
            max_to_meet: 10,
        }
    }
}

fn nature_index(n: Nature) -> usize {
    match n {
        Nature::Works => 0,
        Nature::Supplies => 1,
        Nature::Services => 2,
    }
}

impl SourcingOptions {
    /// Uses `table` instead of the embedded NAF → CPV table.
    pub fn naf_table(mut self, table: NafTable) -> SourcingOptions {
        self.naf = Some(table);
        self
    }

    /// The level up to which suppliers count for the ladder, for purchases of `nature`.
    pub fn reach(mut self, nature: Nature, level: Level) -> SourcingOptions {
        self.reach[nature_index(nature)] = level;
        self
    }

    /// The département where purchases are performed when neither the line nor the buyer
    /// gives one (adds to the list; call again for several).
    pub fn departement(mut self, d: Departement) -> SourcingOptions {
        if !self.departements.contains(&d) {
            self.departements.push(d);
        }
        self
    }

    /// Which amount the dependency divides.
    pub fn dependency_basis(mut self, basis: DependencyBasis) -> SourcingOptions {
        self.basis = basis;
        self
    }

    /// The ladder's thresholds.
    pub fn thresholds(mut self, thresholds: Thresholds) -> SourcingOptions {
        self.thresholds = thresholds;
        self
    }

    /// The catalogue levers that suppliers holding `status` make realistic (a label
    /// requirement or the specification it backs). Replaces the list of `status`; by default
    /// EU Ecolabel backs `ecolabel-paper`, `ecolabel-cleaning`, `ecolabel-textiles` and
    /// `ecolabel-it`, organic farming backs `egalim-organic`, RGE backs `energy-works`.
    pub fn label_levers(mut self, status: Status, levers: Vec<String>) -> SourcingOptions {
        self.label_levers.retain(|(s, _)| *s != status);
        self.label_levers.push((status, levers));
        self
    }

    /// The most suppliers a sourcing sheet lists per family of status (default 10; the
    /// count of the others is given).
    pub fn max_to_meet(mut self, n: usize) -> SourcingOptions {
        self.max_to_meet = n;
        self
    }

    /// The level up to which suppliers count for purchases of `nature`.
    pub fn reach_of(&self, nature: Nature) -> Level {
        self.reach[nature_index(nature)]
    }

    /// The thresholds in use.
    pub fn thresholds_in_use(&self) -> &Thresholds {
        &self.thresholds
    }

    pub(crate) fn naf_in_use(&self) -> &NafTable {
        self.naf.as_ref().unwrap_or_else(|| NafTable::embedded())
    }
}
