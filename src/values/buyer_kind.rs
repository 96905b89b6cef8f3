//! Who the buyer is in law: its status (which rules bind it) and the kind of buyer that picks
//! the column of EU thresholds.

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

/// The legal status of a buyer: which rules bind it (SPASER coverage by period, AGEC art. 58
/// scope…) and, by default, which column of EU thresholds it takes
/// ([`BuyerStatus::default_kind`]).
///
/// ```
/// use spaser::{BuyerKind, BuyerStatus};
/// let s: BuyerStatus = "local_authority".parse()?;
/// assert_eq!(s.default_kind(), BuyerKind::OtherContractingAuthority);
/// assert_eq!(BuyerStatus::State.default_kind(), BuyerKind::CentralGovernment);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BuyerStatus {
    /// The State (ministries and their services).
    State,
    /// A public establishment of the State (university, agency…).
    StatePublicEstablishment,
    /// A local authority or a grouping of local authorities.
    LocalAuthority,
    /// A public health establishment (hospital).
    Hospital,
    /// A buyer whose status is set by law (*acheteur dont le statut est fixé par la loi*).
    StatutoryBody,
    /// Another contracting authority (public establishment…).
    OtherContractingAuthority,
    /// A utility (*entité adjudicatrice*) that is not a contracting authority.
    Utility,
    /// A buyer of the defence (ministry of the armed forces and its services): its ordinary
    /// purchases follow the ordinary rules; only its defence or security contracts (by their
    /// object, L1113-1) differ.
    Defence,
}

impl BuyerStatus {
    /// Every status.
    pub const ALL: [BuyerStatus; 8] = [
        BuyerStatus::State,
        BuyerStatus::StatePublicEstablishment,
        BuyerStatus::LocalAuthority,
        BuyerStatus::Hospital,
        BuyerStatus::StatutoryBody,
        BuyerStatus::OtherContractingAuthority,
        BuyerStatus::Utility,
        BuyerStatus::Defence,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            BuyerStatus::State => "state",
            BuyerStatus::StatePublicEstablishment => "state_public_establishment",
            BuyerStatus::LocalAuthority => "local_authority",
            BuyerStatus::Hospital => "hospital",
            BuyerStatus::StatutoryBody => "statutory_body",
            BuyerStatus::OtherContractingAuthority => "other_contracting_authority",
            BuyerStatus::Utility => "utility",
            BuyerStatus::Defence => "defence",
        }
    }

    /// The column of EU thresholds a buyer of this status takes unless its profile says
    /// otherwise: central government authorities for the State and its defence services,
    /// utilities for utilities, other contracting authorities for everyone else (a State
    /// public establishment listed as a central government authority sets it in its profile).
    pub fn default_kind(&self) -> BuyerKind {
        match self {
            BuyerStatus::State | BuyerStatus::Defence => BuyerKind::CentralGovernment,
            BuyerStatus::Utility => BuyerKind::Utility,
            _ => BuyerKind::OtherContractingAuthority,
        }
    }
}

impl fmt::Display for BuyerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BuyerStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<BuyerStatus> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        BuyerStatus::ALL
            .into_iter()
            .find(|b| b.as_str() == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "buyer status \"{}\" is unknown; accepted: {}",
                        crate::util::text::excerpt(s),
                        BuyerStatus::ALL.map(|b| b.as_str()).join(", ")
                    ),
                )
            })
    }
}
