//! TEMPORARY mirror of helper A's `Confidence` (src/rules.rs) and `BuyerKind` (src/programme.rs), removed when branch a-programme is merged.

use std::fmt;
use std::str::FromStr;
use serde::{Deserialize, Serialize};
use crate::error::{Error, ErrorKind, Result};
/// How firm a legal figure is.
///
/// Serialized as `"V"`, `"S"` and `"?"`.
///
/// ```
/// use spaser::Confidence;
/// assert_eq!("?".parse::<Confidence>()?, Confidence::Unknown);
/// assert_eq!(Confidence::Verified.to_string(), "V");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// `V`: read in the legal text or in an official source.
    #[serde(rename = "V")]
    Verified,
    /// `S`: from one secondary source, not checked against the official text.
    #[serde(rename = "S")]
    Secondary,
    /// `?`: not established; a clearly marked default that a user should check and override.
    #[serde(rename = "?")]
    Unknown,
}

impl Confidence {
    /// The tag: `V`, `S` or `?`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::Verified => "V",
            Confidence::Secondary => "S",
            Confidence::Unknown => "?",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = Error;
    fn from_str(s: &str) -> Result<Confidence> {
        match s.trim() {
            "V" | "v" => Ok(Confidence::Verified),
            "S" | "s" => Ok(Confidence::Secondary),
            "?" => Ok(Confidence::Unknown),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("confidence \"{s}\" is unknown; accepted: V, S, ?"),
            )),
        }
    }
}

/// One dated threshold: a value HT in force during a period, for some natures (and, for EU
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
