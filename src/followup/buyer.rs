//! Which contracts are the buyer's: its SIRET, or another establishment of its SIREN.
//!
//! The match itself is the DECP readers' [`Filter`] (`crate::decp`); this module says which
//! of the two it was, for the links' reasons.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decp::{Filter, Identifier};
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
/// identifier while `siret` is known): the DECP readers' buyer [`Filter`] on the SIRET, then on
/// its SIREN.
pub(crate) fn match_buyer(
    siret: Option<&Siret>,
    contract_buyer: Option<&Identifier>,
) -> Option<BuyerMatch> {
    let Some(s) = siret else {
        return Some(BuyerMatch::Unchecked);
    };
    let b = contract_buyer?.as_str();
    if Filter::new().buyer(s.as_str()).buyer_matches(b) {
        Some(BuyerMatch::Siret)
    } else if Filter::new().buyer(s.siren()).buyer_matches(b) {
        Some(BuyerMatch::Siren)
    } else {
        None
    }
}
