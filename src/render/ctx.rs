//! The rendering context of a document (the SPASER document, the yearly review): the message
//! catalogue and the language, with the number, money, share and date formats of that
//! language.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::render::format::{self, Rounding};
use crate::render::messages::Messages;
use crate::values::lang::Lang;
use crate::values::share::Share;

/// Messages and formats in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub m: &'a Messages,
    pub lang: Lang,
}

impl<'a> Ctx<'a> {
    /// The text of `key`.
    pub(crate) fn t(&self, key: &str) -> String {
        self.m.text(key, self.lang).to_string()
    }

    /// The text of `key` with its placeholders filled.
    pub(crate) fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.m.format(key, self.lang, args)
    }

    /// `KEY.one` or `KEY.other` for `n`, with `{n}` the grouped number.
    pub(crate) fn n(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        self.m
            .plural(key, self.lang, n, &format::integer(n, self.lang), args)
    }

    /// Euros with cents.
    pub(crate) fn euros(&self, d: Decimal) -> String {
        format::euros(d, self.lang)
    }

    /// A share, rounded to the nearest tenth of a point.
    pub(crate) fn pct(&self, s: Share) -> String {
        format::percent(s, Rounding::Nearest, self.lang)
    }

    /// A share that misses its goal, rounded down (never printed as the goal).
    pub(crate) fn pct_down(&self, s: Share) -> String {
        format::percent(s, Rounding::Down, self.lang)
    }

    /// A whole number.
    pub(crate) fn int(&self, n: u64) -> String {
        format::integer(n, self.lang)
    }

    /// A decimal with `dp` decimals.
    pub(crate) fn dec(&self, d: Decimal, dp: u32) -> String {
        format::decimal(d, dp, self.lang)
    }

    /// A date in words.
    pub(crate) fn date(&self, d: NaiveDate) -> String {
        format::date(d, self.lang)
    }

    /// A date for tables.
    pub(crate) fn short_date(&self, d: NaiveDate) -> String {
        format::short_date(d, self.lang)
    }

    /// Items joined in words (`a, b et c`).
    pub(crate) fn join(&self, items: &[String]) -> String {
        format::join_words(items, self.lang)
    }

    /// At most `max` items in words, then "and N others".
    pub(crate) fn join_some(&self, items: &[String], max: usize) -> String {
        if items.len() <= max {
            return self.join(items);
        }
        let more = (items.len() - max) as u64;
        let mut head: Vec<String> = items[..max].to_vec();
        head.push(self.n("common.others", more, &[]));
        self.join(&head)
    }

    /// The French or the English text.
    pub(crate) fn pick<'s>(&self, fr: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(fr, en)
    }
}

/// The French or English half of a bilingual catalogue string `"français / English"` (the
/// form of the lever catalogue's evidence and conditions); the whole string when it has no
/// ` / `. An English half that only says "or equivalent" is completed from the French half.
pub(crate) fn bilingual(s: &str, lang: Lang) -> String {
    match s.rsplit_once(" / ") {
        None => s.to_string(),
        Some((fr, en)) => match lang {
            Lang::Fr => fr.trim().to_string(),
            Lang::En => {
                let en = en.trim();
                if en.starts_with("or equivalent") {
                    let head = fr.trim().trim_end_matches("ou équivalent").trim_end();
                    format!("{head} {en}")
                } else {
                    en.to_string()
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilingual_catalogue_strings_split_on_the_last_slash() {
        let s = "attestation du statut EA / ESAT / status certificate";
        assert_eq!(bilingual(s, Lang::Fr), "attestation du statut EA / ESAT");
        assert_eq!(bilingual(s, Lang::En), "status certificate");
        let s = "TCO Certified, EPEAT Gold/Silver ou équivalent / or equivalent";
        assert_eq!(
            bilingual(s, Lang::En),
            "TCO Certified, EPEAT Gold/Silver or equivalent"
        );
        assert_eq!(bilingual("sans traduction", Lang::En), "sans traduction");
    }
}
