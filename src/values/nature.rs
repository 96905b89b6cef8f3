//! The nature of a purchase: works, supplies or services.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// Works, supplies or services: the nature of a purchase, which picks its thresholds and its
/// value-estimation rule (R2121-1 to R2121-7).
///
/// Parses English or French words, case-insensitively (`works`/`travaux`,
/// `supplies`/`fournitures`, `services`); serializes as `"works"`, `"supplies"`, `"services"`.
///
/// ```
/// use spaser::Nature;
/// assert_eq!("Travaux".parse::<Nature>()?, Nature::Works);
/// assert_eq!(Nature::Supplies.to_string(), "supplies");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Works (travaux).
    Works,
    /// Supplies (fournitures).
    Supplies,
    /// Services.
    Services,
}

impl Nature {
    /// All natures, in order.
    pub const ALL: [Nature; 3] = [Nature::Works, Nature::Supplies, Nature::Services];

    /// The English word.
    pub fn as_str(&self) -> &'static str {
        match self {
            Nature::Works => "works",
            Nature::Supplies => "supplies",
            Nature::Services => "services",
        }
    }

    /// The French word.
    pub fn label_fr(&self) -> &'static str {
        match self {
            Nature::Works => "travaux",
            Nature::Supplies => "fournitures",
            Nature::Services => "services",
        }
    }
}

impl fmt::Display for Nature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Nature {
    type Err = Error;
    fn from_str(s: &str) -> Result<Nature> {
        match s.trim().to_lowercase().as_str() {
            "works" | "work" | "travaux" | "travail" => Ok(Nature::Works),
            "supplies" | "supply" | "fournitures" | "fourniture" => Ok(Nature::Supplies),
            "services" | "service" => Ok(Nature::Services),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "nature \"{s}\" is unknown; accepted: works, supplies, services, travaux, fournitures"
                ),
            )),
        }
    }
}
