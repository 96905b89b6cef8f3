//! The kind of buyer, which picks the column of EU thresholds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The kind of buyer, which picks the column of EU thresholds.
///
/// Serialized `central_government`, `other_contracting_authority`, `utility`,
/// `defence_security`; parsing also accepts the short forms `central`, `other`, `utility`,
/// `defence` (and `defense`).
///
/// ```
/// use spaser::BuyerKind;
/// assert_eq!("other".parse::<BuyerKind>()?, BuyerKind::OtherContractingAuthority);
/// assert_eq!(BuyerKind::DefenceSecurity.to_string(), "defence_security");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BuyerKind {
    /// A central government authority (State ministries and their services).
    CentralGovernment,
    /// Any other contracting authority: local authorities, hospitals, public establishments…
    OtherContractingAuthority,
    /// A utility (entité adjudicatrice: water, energy, transport, postal services).
    Utility,
    /// A buyer for a defence or security contract.
    DefenceSecurity,
}

impl BuyerKind {
    /// All kinds, in order.
    pub const ALL: [BuyerKind; 4] = [
        BuyerKind::CentralGovernment,
        BuyerKind::OtherContractingAuthority,
        BuyerKind::Utility,
        BuyerKind::DefenceSecurity,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            BuyerKind::CentralGovernment => "central_government",
            BuyerKind::OtherContractingAuthority => "other_contracting_authority",
            BuyerKind::Utility => "utility",
            BuyerKind::DefenceSecurity => "defence_security",
        }
    }
}

impl fmt::Display for BuyerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BuyerKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<BuyerKind> {
        match s.trim().to_lowercase().replace('-', "_").as_str() {
            "central_government" | "central" => Ok(BuyerKind::CentralGovernment),
            "other_contracting_authority" | "other" => Ok(BuyerKind::OtherContractingAuthority),
            "utility" | "utilities" => Ok(BuyerKind::Utility),
            "defence_security" | "defence" | "defense" | "defense_security" => {
                Ok(BuyerKind::DefenceSecurity)
            }
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "buyer kind \"{s}\" is unknown; accepted: central_government (central), other_contracting_authority (other), utility, defence_security (defence)"
                ),
            )),
        }
    }
}
