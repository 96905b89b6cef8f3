//! Which contracts are the buyer's: its SIRET, or another establishment of its SIREN.
//!
//! A small private filter until the DECP readers filter by buyer themselves.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decp::Identifier;
use crate::values::siret::Siret;

/// How a contract's buyer matches the programme's buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BuyerMatch {
    /// The same SIRET.
    Siret,
    /// Another establishment of the same legal unit (same SIREN).
    Siren,
    /// The programme's buyer has no SIRET: the buyer was not checked.
    Unchecked,
}

impl fmt::Display for BuyerMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BuyerMatch::Siret => "the programme's SIRET",
            BuyerMatch::Siren => "another establishment of the programme's SIREN",
            BuyerMatch::Unchecked => "not checked (the programme's buyer has no SIRET)",
        })
    }
}

/// How `contract_buyer` matches `siret`, or `None` when it is another buyer (or has no
/// identifier while `siret` is known).
pub(crate) fn match_buyer(
    siret: Option<&Siret>,
    contract_buyer: Option<&Identifier>,
) -> Option<BuyerMatch> {
    let Some(s) = siret else {
        return Some(BuyerMatch::Unchecked);
    };
    let b = contract_buyer?.as_str();
    if b == s.as_str() {
        Some(BuyerMatch::Siret)
    } else if b.len() == 14 && b.starts_with(s.siren()) {
        Some(BuyerMatch::Siren)
    } else {
        None
    }
}
