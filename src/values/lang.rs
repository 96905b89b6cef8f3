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

/// An amount of euros for people, rounded to the cent (half away from zero): `1 234,57 €` in
/// French (non-breaking space between thousands), `€1,234.57` in English; negative amounts
/// with a leading minus sign.
pub(crate) fn money_text(d: rust_decimal::Decimal, lang: Lang) -> String {
    let r = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let neg = r.is_sign_negative() && !r.is_zero();
    let text = format!("{:.2}", r.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let sep = lang.pick("\u{a0}", ",");
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(sep);
        }
        grouped.push(ch);
    }
    let sign = if neg { "-" } else { "" };
    match lang {
        Lang::Fr => format!("{sign}{grouped},{frac}\u{a0}€"),
        Lang::En => format!("{sign}€{grouped}.{frac}"),
    }
}

/// A decimal for people with at most `places` decimals (half away from zero), trailing
/// zeros dropped: `4,5` in French, `4.5` in English.
pub(crate) fn number_text(d: rust_decimal::Decimal, places: u32, lang: Lang) -> String {
    let r = d
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string();
    match lang {
        Lang::Fr => r.replace('.', ","),
        Lang::En => r,
    }
}

/// A share as a percentage for people (`20 %` in French, `20%` in English), at most two
/// decimals.
pub(crate) fn percent_text(d: rust_decimal::Decimal, lang: Lang) -> String {
    let p = number_text(d * rust_decimal::Decimal::ONE_HUNDRED, 2, lang);
    match lang {
        Lang::Fr => format!("{p}\u{a0}%"),
        Lang::En => format!("{p}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn money_and_percent_texts_in_both_languages() {
        let d = Decimal::new(-123456789, 3); // -123456.789
        assert_eq!(money_text(d, Lang::Fr), "-123\u{a0}456,79\u{a0}€");
        assert_eq!(money_text(d, Lang::En), "-€123,456.79");
        assert_eq!(money_text(Decimal::new(5, 3), Lang::En), "€0.01");
        assert_eq!(percent_text(Decimal::new(2, 1), Lang::Fr), "20\u{a0}%");
        assert_eq!(percent_text(Decimal::new(1234, 4), Lang::En), "12.34%");
    }
}
