//! The procedure a purchase needs (no competition, adapted, formal, or none of the buyer's own
//! when an intermediary buys): what the estimation decides and the obligations engine reads.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The procedure a purchase needs.
///
/// ```
/// use spaser::Procedure;
/// assert_eq!("no_competition".parse::<Procedure>()?, Procedure::NoCompetition);
/// assert_eq!(Procedure::Formal.to_string(), "formal");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Procedure {
    /// Without publicity or competition (R2122-8, or R2122-9-1 for innovative purchases).
    NoCompetition,
    /// Adapted procedure (MAPA), below the EU thresholds (R2123-1).
    Adapted,
    /// Formal procedure, at or above the EU thresholds (L2124-1).
    Formal,
    /// No procedure of the buyer's own: the purchase is made through a central purchasing body
    /// (L2113-4: the buyer is deemed to have met its publicity and competition obligations) or
    /// a purchasing group whose coordinator runs the procedure (L2113-6 to L2113-8).
    Intermediary,
}

impl Procedure {
    /// All procedures, from the lightest.
    pub const ALL: [Procedure; 4] = [
        Procedure::NoCompetition,
        Procedure::Adapted,
        Procedure::Formal,
        Procedure::Intermediary,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Procedure::NoCompetition => "no_competition",
            Procedure::Adapted => "adapted",
            Procedure::Formal => "formal",
            Procedure::Intermediary => "intermediary",
        }
    }

    /// French label.
    pub fn label_fr(&self) -> &'static str {
        match self {
            Procedure::NoCompetition => "sans publicité ni mise en concurrence",
            Procedure::Adapted => "procédure adaptée",
            Procedure::Formal => "procédure formalisée",
            Procedure::Intermediary => "achat par une centrale ou un groupement de commandes",
        }
    }
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Procedure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Procedure> {
        let t = s.trim();
        Procedure::ALL
            .into_iter()
            .find(|p| p.as_str() == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "procedure \"{s}\" is unknown; accepted: no_competition, adapted, formal, intermediary"
                    ),
                )
            })
    }
}
