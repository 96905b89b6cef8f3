//! The language of a text meant for people: French (the users' language) or English.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// The language of a report, table or message meant for people.
///
/// French is the default: the users are French buyers. Serialized `fr` / `en`.
///
/// ```
/// use spaser::Lang;
/// assert_eq!("EN".parse::<Lang>()?, Lang::En);
/// assert_eq!(Lang::default(), Lang::Fr);
/// assert_eq!(Lang::Fr.to_string(), "fr");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// French.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The code: `fr` or `en`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// `fr` when French, `en` otherwise: picks one of two texts.
    pub(crate) fn pick<'a>(&self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = Error;

    /// Parses `fr`/`french`/`français` or `en`/`english`/`anglais`, in any case.
    fn from_str(s: &str) -> Result<Lang> {
        match crate::util::text::fold(s).as_str() {
            "fr" | "french" | "francais" | "français" => Ok(Lang::Fr),
            "en" | "english" | "anglais" => Ok(Lang::En),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!("language \"{}\" is unknown; accepted: fr, en", excerpt(s)),
            )),
        }
    }
}
