//! How firm a legal figure is: `V`, `S` or `?`.

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
/// assert_eq!(Confidence::V.to_string(), "V");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// Verified: read in the legal text or in an official source.
    V,
    /// Secondary: from one secondary source, not checked against the official text.
    S,
    /// `?`: not established; a clearly marked default that a user should check and override.
    #[serde(rename = "?")]
    Unknown,
}

impl Confidence {
    /// The tag: `V`, `S` or `?`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::V => "V",
            Confidence::S => "S",
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
            "V" | "v" => Ok(Confidence::V),
            "S" | "s" => Ok(Confidence::S),
            "?" => Ok(Confidence::Unknown),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("confidence \"{s}\" is unknown; accepted: V, S, ?"),
            )),
        }
    }
}
