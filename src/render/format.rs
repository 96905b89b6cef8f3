//! Numbers, money, shares and dates for people, in French or English: the crate's one number
//! formatter (the SPASER document, the sheets, the yearly review, the life-cycle cost reports
//! and the yearly declarations all print through it).
//!
//! # Typography
//!
//! CLDR's `fr` locale (what office suites and browsers print): digits grouped by three with a
//! **narrow no-break space** (U+202F), a decimal comma, a **no-break space** (U+00A0) before
//! `€` and a narrow no-break space before `%`: `10 647 000,00 €`, `48,4 %`. Dates spell the
//! month, with `1er` for the first day and no-break spaces inside: `3 décembre 2026`,
//! `1er mars 2027`. English follows CLDR's `en`: `€10,647,000.00`, `48.4%`, `3 December 2026`.
//! A negative number has a leading hyphen-minus (`-2 200,00 €`, `-€2,200.00`).
//!
//! # Rounding
//!
//! Display rounding is **half away from zero**, what `ROUND` does in the buyer's spreadsheet:
//! money to the cent ([`euros`]; a figure checked by hand against the source file gives the
//! same cent), decimals to their places ([`decimal`], [`number`]), shares to the tenth of a
//! point ([`Rounding::Nearest`]). A share compared with a goal it misses may round towards zero
//! instead ([`Rounding::Down`]), so that it never prints as the goal. Arithmetic roundings are
//! not display: the life-cycle cost rounds its own figures as the LCC method defines them
//! (`lcc`), the follow-up shares awarded amounts half to even (`followup`), before any display.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::values::lang::Lang;
use crate::values::share::Share;

/// Narrow no-break space: the French thousands separator and the space before `%`, `;`, `?`
/// and `!`.
pub(crate) const NNBSP: char = '\u{202f}';
/// No-break space: before `€` and `:` in French, inside dates.
pub(crate) const NBSP: char = '\u{a0}';

/// Groups the digits of an unsigned integer text by three.
fn group(int: &str, sep: char) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3 * sep.len_utf8());
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// The display rounding (see the module documentation): half away from zero.
fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal with exactly `dp` decimals, grouped: `1 234,5` / `1,234.5`.
pub(crate) fn decimal(d: Decimal, dp: u32, lang: Lang) -> String {
    let d = round(d, dp);
    let neg = d.is_sign_negative() && !d.is_zero();
    let text = format!("{:.*}", dp as usize, d.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let (sep, point) = match lang {
        Lang::Fr => (NNBSP, ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&group(int, sep));
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A decimal with at most `max_dp` decimals, trailing zeros dropped, grouped: `4,5`,
/// `1 234` / `4.5`, `1,234`.
pub(crate) fn number(d: Decimal, max_dp: u32, lang: Lang) -> String {
    let r = round(d, max_dp).normalize();
    decimal(r, r.scale(), lang)
}

/// A rate that is not a share (a discount rate, a legal rate: any sign, above 100 % allowed),
/// in percent with at most `max_dp` decimals: `4 %`, `12,34 %` / `4%`, `12.34%`.
pub(crate) fn rate(d: Decimal, max_dp: u32, lang: Lang) -> String {
    with_percent(number(d * Decimal::ONE_HUNDRED, max_dp, lang), lang)
}

fn with_percent(n: String, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{n}{NNBSP}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A whole number, grouped: `2 027` / `2,027`.
pub(crate) fn integer(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::Fr => NNBSP,
        Lang::En => ',',
    };
    group(&n.to_string(), sep)
}

/// Euros with cents: `10 647 000,00 €` / `€10,647,000.00`.
pub(crate) fn euros(d: Decimal, lang: Lang) -> String {
    let n = decimal(d, 2, lang);
    match lang {
        Lang::Fr => format!("{n}{NBSP}€"),
        Lang::En => match n.strip_prefix('-') {
            Some(pos) => format!("-€{pos}"),
            None => format!("€{n}"),
        },
    }
}

/// How a share is rounded for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rounding {
    /// To the nearest tenth of a point (half away from zero).
    Nearest,
    /// Towards zero: a share that misses its goal never prints as the goal (29.96 % of a
    /// 30 % goal prints 29.9 %).
    Down,
}

/// A share in percent with at most one decimal: `48,4 %`, `30 %` / `48.4%`, `30%`.
pub(crate) fn percent(s: Share, rounding: Rounding, lang: Lang) -> String {
    let p = s.as_decimal() * Decimal::ONE_HUNDRED;
    let p = match rounding {
        Rounding::Nearest => round(p, 1),
        Rounding::Down => p.round_dp_with_strategy(1, RoundingStrategy::ToZero),
    };
    with_percent(number(p, 1, lang), lang)
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's name.
pub(crate) fn month_name(month: u32, lang: Lang) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Fr => MONTHS_FR[i],
        Lang::En => MONTHS_EN[i],
    }
}

/// A date in words: `3 décembre 2026`, `1er mars 2027` / `3 December 2026`.
pub(crate) fn date(d: NaiveDate, lang: Lang) -> String {
    let month = month_name(d.month(), lang);
    match lang {
        Lang::Fr if d.day() == 1 => format!("1er{NBSP}{month}{NBSP}{}", d.year()),
        Lang::Fr => format!("{}{NBSP}{month}{NBSP}{}", d.day(), d.year()),
        Lang::En => format!("{}{NBSP}{month} {}", d.day(), d.year()),
    }
}

/// A short date for tables: `03/12/2026` / `2026-12-03`.
pub(crate) fn short_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => d.format("%d/%m/%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// French typography for a text written with ordinary spaces (the lever catalogue's labels):
/// a no-break space before `:` and inside `« »`, a narrow no-break space before `;`, `?`, `!`
/// and `%`. English text is returned as it is.
pub(crate) fn typography(s: &str, lang: Lang) -> String {
    match lang {
        Lang::En => s.to_string(),
        Lang::Fr => s
            .replace(" :", "\u{a0}:")
            .replace(" ;", "\u{202f};")
            .replace(" ?", "\u{202f}?")
            .replace(" !", "\u{202f}!")
            .replace(" %", "\u{202f}%")
            .replace("« ", "«\u{a0}")
            .replace(" »", "\u{a0}»"),
    }
}

/// Items joined as a list in words: `a, b et c` / `a, b and c`.
pub(crate) fn join_words(items: &[String], lang: Lang) -> String {
    let and = lang.pick(" et ", " and ");
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn french_euros_group_with_narrow_no_break_spaces_and_a_decimal_comma() {
        assert_eq!(
            euros(d("10647000"), Lang::Fr),
            "10\u{202f}647\u{202f}000,00\u{a0}€"
        );
        assert_eq!(euros(d("10647000"), Lang::En), "€10,647,000.00");
        assert_eq!(euros(d("-1100.005"), Lang::En), "-€1,100.01");
        assert_eq!(euros(d("999.999"), Lang::Fr), "1\u{202f}000,00\u{a0}€");
    }

    #[test]
    fn percents_keep_one_decimal_and_drop_a_zero_one() {
        let s = |x: &str| Share::new(d(x)).unwrap();
        assert_eq!(
            percent(s("0.484"), Rounding::Nearest, Lang::Fr),
            "48,4\u{202f}%"
        );
        assert_eq!(
            percent(s("0.3"), Rounding::Nearest, Lang::Fr),
            "30\u{202f}%"
        );
        assert_eq!(percent(s("0.2996"), Rounding::Down, Lang::En), "29.9%");
        assert_eq!(percent(s("0.2996"), Rounding::Nearest, Lang::En), "30%");
        assert_eq!(percent(s("1"), Rounding::Nearest, Lang::En), "100%");
        // half away from zero, like a spreadsheet's ROUND
        assert_eq!(
            percent(s("0.1225"), Rounding::Nearest, Lang::Fr),
            "12,3\u{202f}%"
        );
    }

    #[test]
    fn money_rounds_half_away_from_zero_to_the_cent() {
        // as ROUND(x; 2) in the buyer's spreadsheet: 0,005 € prints 0,01 €
        assert_eq!(euros(d("0.005"), Lang::En), "€0.01");
        assert_eq!(euros(d("-0.005"), Lang::Fr), "-0,01\u{a0}€");
        assert_eq!(
            euros(d("-123456.789"), Lang::Fr),
            "-123\u{202f}456,79\u{a0}€"
        );
    }

    #[test]
    fn rates_and_numbers_drop_trailing_zeros() {
        assert_eq!(rate(d("0.2"), 2, Lang::Fr), "20\u{202f}%");
        assert_eq!(rate(d("0.1234"), 2, Lang::En), "12.34%");
        assert_eq!(rate(d("-0.01"), 2, Lang::En), "-1%");
        assert_eq!(number(d("4.50"), 2, Lang::Fr), "4,5");
        assert_eq!(number(d("12345.6789"), 2, Lang::Fr), "12\u{202f}345,68");
    }

    #[test]
    fn french_dates_spell_the_month_and_write_1er() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            date(day(2026, 12, 3), Lang::Fr),
            "3\u{a0}décembre\u{a0}2026"
        );
        assert_eq!(date(day(2027, 3, 1), Lang::Fr), "1er\u{a0}mars\u{a0}2027");
        assert_eq!(date(day(2026, 12, 3), Lang::En), "3\u{a0}December 2026");
        assert_eq!(short_date(day(2026, 2, 3), Lang::Fr), "03/02/2026");
    }

    #[test]
    fn french_typography_puts_no_break_spaces_before_high_punctuation() {
        assert_eq!(
            typography("Part (15 %) : vêtements ; « neuf »", Lang::Fr),
            "Part (15\u{202f}%)\u{a0}: vêtements\u{202f}; «\u{a0}neuf\u{a0}»"
        );
        assert_eq!(typography("a : b", Lang::En), "a : b");
    }

    #[test]
    fn integers_are_grouped() {
        assert_eq!(integer(2027, Lang::Fr), "2\u{202f}027");
        assert_eq!(integer(14532, Lang::En), "14,532");
        assert_eq!(integer(7, Lang::En), "7");
    }
}
