//! Numbers and places written for people, in French and English, for the sourcing texts.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::render::messages::Messages;
use crate::sourcing::geo::Region;
use crate::sourcing::options::Level;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::place::Departement;

/// The narrow no-break space French typography puts before `%` and between thousands.
const NNBSP: char = '\u{202f}';

/// Groups the digits of an integer by thousands.
fn group(n: &str, sep: char) -> String {
    let mut out = String::with_capacity(n.len() + n.len() / 3);
    for (i, c) in n.chars().enumerate() {
        if i > 0 && (n.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal with at most `dp` decimals (trailing zeros dropped), French or English marks.
pub(crate) fn number(d: Decimal, dp: u32, en: bool) -> String {
    let r = d
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    let s = r.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if r.is_sign_negative() {
        out.push('-');
    }
    out.push_str(&group(int, if en { ',' } else { NNBSP }));
    if !frac.is_empty() {
        out.push(if en { '.' } else { ',' });
        out.push_str(frac);
    }
    out
}

/// A whole amount in euros (`300 000 €`, `€300,000`), rounded to the euro.
pub(crate) fn euros(a: Amount, en: bool) -> String {
    let n = number(a.as_decimal(), 0, en);
    if en {
        format!("€{n}")
    } else {
        format!("{n}{NNBSP}€")
    }
}

/// A turnover in millions or thousands (`1,2 M€`, `€1.2M`; `850 k€`, `€850k`).
pub(crate) fn euros_short(a: Amount, en: bool) -> String {
    let d = a.as_decimal();
    let million = Decimal::from(1_000_000);
    if d >= million {
        let n = number(d / million, 1, en);
        if en {
            format!("€{n}M")
        } else {
            format!("{n}{NNBSP}M€")
        }
    } else if d >= Decimal::from(1000) {
        let n = number(d / Decimal::from(1000), 0, en);
        if en {
            format!("€{n}k")
        } else {
            format!("{n}{NNBSP}k€")
        }
    } else {
        euros(a, en)
    }
}

/// A percentage with at most one decimal (`25 %`, `33.3%`).
pub(crate) fn percent(d: Decimal, en: bool) -> String {
    let n = number(d, 1, en);
    if en {
        format!("{n}%")
    } else {
        format!("{n}{NNBSP}%")
    }
}

/// Hours, rounded up to the whole hour (`834 h`).
pub(crate) fn hours(d: Decimal, en: bool) -> String {
    let n = number(d.max(Decimal::ZERO).ceil(), 0, en);
    format!("{n}{}h", if en { ' ' } else { NNBSP })
}

/// Where suppliers were counted: `dans le département 49`, `in the Pays de la Loire region`.
pub(crate) fn place(
    level: Level,
    departements: &[Departement],
    regions: &[Region],
    en: bool,
) -> String {
    let lang = if en { Lang::En } else { Lang::Fr };
    let say = |key: &str, list: &str| Messages::embedded().format(key, lang, &[("list", list)]);
    match level {
        Level::Departement => {
            let list: Vec<&str> = departements.iter().map(Departement::as_str).collect();
            let key = if list.len() == 1 {
                "sourcing.place.departement"
            } else {
                "sourcing.place.departements"
            };
            say(key, &list.join(", "))
        }
        Level::Region => {
            let list: Vec<&str> = regions.iter().map(Region::name).collect();
            let key = match list.len() {
                0 => "sourcing.place.region_unknown",
                1 => "sourcing.place.region",
                _ => "sourcing.place.regions",
            };
            say(key, &list.join(", "))
        }
        Level::National => say("sourcing.place.national", ""),
    }
}

/// A date as people write it: `4 mai 2026`, `1er mai 2026`, `4 May 2026` (the rendering
/// layer's format).
pub(crate) fn date(d: chrono::NaiveDate, en: bool) -> String {
    crate::render::format::date(d, if en { Lang::En } else { Lang::Fr })
}

/// A number of years with at most one decimal: `1 an`, `1,5 an`, `2 ans` (French takes the
/// plural from 2), `1 year`, `1.5 years`, `2 years` (English from anything but 1).
pub(crate) fn years(d: Decimal, en: bool) -> String {
    let n = number(d, 1, en);
    let one = if en {
        n == "1"
    } else {
        d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
            .abs()
            < Decimal::from(2)
    };
    match (en, one) {
        (true, true) => format!("{n} year"),
        (true, false) => format!("{n} years"),
        (false, true) => format!("{n} an"),
        (false, false) => format!("{n} ans"),
    }
}

/// French typography for a French sentence written with ordinary spaces (the ladder's and the
/// innovative routes' reasons): a no-break space before `:` and inside `« »`, a narrow
/// no-break space before `;`, `?`, `!` and `%` — the rendering layer's rule, so that every
/// French text of the crate reads the same. Idempotent; the same input gives the same bytes.
pub(crate) fn french(s: &str) -> String {
    crate::render::format::typography(s, Lang::Fr)
}

/// An article reference as written in the language: the data writes references in French
/// (`L2172-3 al. 2, dernière phrase`, `R2172-20 à R2172-32`); French puts a narrow no-break
/// space before the semicolon of a list (`L2172-3 al. 1\u{202f}; R2172-20 à R2172-32`), English
/// reads `last sentence`, `to` and a bare semicolon. References written the English way
/// (a user's own rules) are turned into French the same way.
pub(crate) fn article(reference: &str, en: bool) -> String {
    // one plain form first, so that the conversion is the same whatever the input
    let plain = reference
        .replace(['\u{202f}', '\u{a0}'], " ")
        .replace(" ;", ";");
    if en {
        plain
            .replace(" à ", " to ")
            .replace(", dernière phrase", ", last sentence")
    } else {
        plain
            .replace(" to ", " à ")
            .replace(", last sentence", ", dernière phrase")
            .replace("; ", "\u{202f}; ")
    }
}

/// `n` followed by the singular or plural form: in French 0 and 1 take the singular
/// ("0 structure éligible"), in English only 1 does ("0 eligible structures").
pub(crate) fn count(n: usize, one: &str, many: &str, lang: Lang) -> String {
    let singular = match lang {
        Lang::Fr => n <= 1,
        Lang::En => n == 1,
    };
    format!("{n} {}", if singular { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_each_language_s_plural() {
        let fr = |n| count(n, "structure", "structures", Lang::Fr);
        let en = |n| count(n, "structure", "structures", Lang::En);
        assert_eq!(
            (fr(0), fr(1), fr(2)),
            (
                "0 structure".into(),
                "1 structure".into(),
                "2 structures".into()
            )
        );
        assert_eq!(
            (en(0), en(1), en(2)),
            (
                "0 structures".into(),
                "1 structure".into(),
                "2 structures".into()
            )
        );
    }

    #[test]
    fn french_and_english_numbers() {
        assert_eq!(
            euros(Amount::from_euros(300_000), false),
            "300\u{202f}000\u{202f}€"
        );
        assert_eq!(euros(Amount::from_euros(300_000), true), "€300,000");
        assert_eq!(
            euros_short(Amount::from_euros(1_200_000), false),
            "1,2\u{202f}M€"
        );
        assert_eq!(euros_short(Amount::from_euros(1_200_000), true), "€1.2M");
        assert_eq!(euros_short(Amount::from_euros(850_000), true), "€850k");
        assert_eq!(percent(Decimal::new(3333, 2), false), "33,3\u{202f}%");
        assert_eq!(percent(Decimal::from(25), true), "25%");
        assert_eq!(hours(Decimal::new(8333, 1), false), "834\u{202f}h");
    }

    #[test]
    fn article_references_read_in_each_language() {
        let both = "L2172-3 al. 1; R2172-20 à R2172-32";
        assert_eq!(
            article(both, false),
            "L2172-3 al. 1\u{202f}; R2172-20 à R2172-32"
        );
        assert_eq!(article(both, true), "L2172-3 al. 1; R2172-20 to R2172-32");
        assert_eq!(
            article("L2172-3 al. 2, dernière phrase", true),
            "L2172-3 al. 2, last sentence"
        );
        assert_eq!(
            article("L2172-3 al. 2, last sentence", false),
            "L2172-3 al. 2, dernière phrase"
        );
        // idempotent in French
        assert_eq!(article(&article(both, false), false), article(both, false));
    }

    #[test]
    fn years_take_the_plural_of_each_language() {
        // tenths: 15 is 1.5 years
        let y = |tenths: i64, en| years(Decimal::new(tenths, 1), en);
        assert_eq!(y(10, false), "1 an");
        assert_eq!(y(15, false), "1,5 an");
        assert_eq!(y(20, false), "2 ans");
        assert_eq!(y(33, false), "3,3 ans");
        assert_eq!(years(Decimal::new(325, 2), false), "3,3 ans"); // rounded half away
        assert_eq!(y(10, true), "1 year");
        assert_eq!(y(15, true), "1.5 years");
        assert_eq!(y(20, true), "2 years");
    }
}
