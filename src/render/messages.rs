//! The one message catalogue: every sentence, title and label the crate renders for people,
//! in French and English, keyed by a stable id.
//!
//! # JSON format
//!
//! One object of keys; each key holds its French and English text:
//!
//! ```json
//! {
//!   "doc.part.context": { "fr": "Contexte et obligations", "en": "Context and obligations" },
//!   "sheet.purchases.one": { "fr": "{n} achat", "en": "{n} purchase" },
//!   "sheet.purchases.other": { "fr": "{n} achats", "en": "{n} purchases" }
//! }
//! ```
//!
//! - Keys are lowercase ASCII letters, digits, `_`, `-` and `.`.
//! - `{name}` is a placeholder filled when the text is rendered; the French and English texts
//!   of a key have the same placeholders.
//! - A count picks `KEY.one` or `KEY.other` ([`Messages::plural`]): French uses the singular for
//!   0 and 1, English for 1 only.
//! - French texts follow French typography: a no-break space (U+00A0) before `:` and a narrow
//!   no-break space (U+202F) before `;`, `?` and `!` (checked by the test suite).
//!
//! The embedded catalogue is `src/data/messages.json`; [`Messages::with_patch`] overrides or
//! adds keys (a buyer's own wording).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::hash::FastMap;
use crate::values::lang::Lang;

/// The French and English text of one message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

impl Message {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }
}

/// The message catalogue (see the module documentation for the JSON format).
///
/// ```
/// use spaser::{Lang, Messages};
/// let m = Messages::embedded();
/// assert_eq!(m.text("doc.part.context", Lang::Fr), "Contexte et obligations");
/// let patched = m.clone().with_patch(
///     r#"{"doc.part.context": {"fr": "Notre contexte", "en": "Our context"}}"#)?;
/// assert_eq!(patched.text("doc.part.context", Lang::En), "Our context");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, Message>",
    into = "BTreeMap<String, Message>"
)]
pub struct Messages {
    // hashed: a document of 100,000 purchases looks up millions of messages
    entries: FastMap<String, Message>,
}

impl TryFrom<BTreeMap<String, Message>> for Messages {
    type Error = Error;
    fn try_from(entries: BTreeMap<String, Message>) -> Result<Messages> {
        for (k, m) in &entries {
            check(k, m)?;
        }
        Ok(Messages {
            entries: entries.into_iter().collect(),
        })
    }
}

impl From<Messages> for BTreeMap<String, Message> {
    fn from(m: Messages) -> BTreeMap<String, Message> {
        m.entries.into_iter().collect()
    }
}

/// The placeholders of a text: the names between `{` and `}`.
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                out.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

fn check(key: &str, m: &Message) -> Result<()> {
    let bad = |msg: String| {
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!("message \"{}\": {msg}", crate::util::text::excerpt(key)),
        ))
    };
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.".contains(&b))
    {
        return bad("the key is not lowercase letters, digits, '_', '-' and '.'".into());
    }
    for (field, text) in [("fr", &m.fr), ("en", &m.en)] {
        if text.trim().is_empty() {
            return bad(format!("field \"{field}\" is empty"));
        }
    }
    let (fr, en) = (placeholders(&m.fr), placeholders(&m.en));
    if fr != en {
        return bad(format!(
            "the placeholders differ: fr {{{}}}, en {{{}}}",
            fr.into_iter().collect::<Vec<_>>().join("}, {"),
            en.into_iter().collect::<Vec<_>>().join("}, {")
        ));
    }
    Ok(())
}

impl Messages {
    /// The catalogue written for the crate (`src/data/messages.json`), parsed once.
    pub fn embedded() -> &'static Messages {
        static M: OnceLock<Messages> = OnceLock::new();
        M.get_or_init(|| {
            // validated by the test suite (`embedded_messages_are_valid`): cannot fail at run time
            Messages::from_json(include_str!("../data/messages.json"))
                .unwrap_or_else(|e| panic!("embedded message catalogue: {e}"))
        })
    }

    /// Parses and validates a catalogue in the JSON format of the module documentation.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON; [`ErrorKind::InvalidValue`] naming the key
    /// for a bad key, an empty text or French and English texts with different placeholders.
    pub fn from_json(json: &str) -> Result<Messages> {
        let entries: BTreeMap<String, Message> = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("message catalogue: {e}")).with_source(e)
        })?;
        Messages::try_from(entries)
    }

    /// This catalogue with the keys of `json` (same format) added or replaced.
    ///
    /// # Errors
    /// As [`Messages::from_json`].
    pub fn with_patch(mut self, json: &str) -> Result<Messages> {
        let patch = Messages::from_json(json)?;
        self.entries.extend(patch.entries);
        Ok(self)
    }

    /// The catalogue as pretty JSON (deterministic: keys sorted).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] if serialization fails (it does not).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::InvalidValue, format!("message catalogue: {e}")).with_source(e)
        })
    }

    /// The message of `key`.
    pub fn message(&self, key: &str) -> Option<&Message> {
        self.entries.get(key)
    }

    /// The text of `key` in `lang`.
    pub fn get(&self, key: &str, lang: Lang) -> Option<&str> {
        self.entries.get(key).map(|m| m.get(lang))
    }

    /// The text of `key` in `lang`, or the key itself when the catalogue lacks it (the test
    /// suite checks that every key the crate uses exists).
    pub fn text<'a>(&'a self, key: &'a str, lang: Lang) -> &'a str {
        self.get(key, lang).unwrap_or(key)
    }

    /// The text of `key` in `lang` with its placeholders filled: `args` are `(name, value)`
    /// pairs; an unknown placeholder stays as written.
    ///
    /// ```
    /// use spaser::{Lang, Messages};
    /// let m = Messages::from_json(r#"{"hi": {"fr": "Bonjour {who}", "en": "Hello {who}"}}"#)?;
    /// assert_eq!(m.format("hi", Lang::Fr, &[("who", "Valmont")]), "Bonjour Valmont");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn format(&self, key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
        fill(self.text(key, lang), args)
    }

    /// [`Messages::format`] of `KEY.one` or `KEY.other` for a count `n` (French: singular for
    /// 0 and 1; English: for 1), with `{n}` filled by `n_text` and the other placeholders by
    /// `args`.
    pub fn plural(
        &self,
        key: &str,
        lang: Lang,
        n: u64,
        n_text: &str,
        args: &[(&str, &str)],
    ) -> String {
        let one = match lang {
            Lang::Fr => n <= 1,
            Lang::En => n == 1,
        };
        let k = format!("{key}.{}", if one { "one" } else { "other" });
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(args.len() + 1);
        all.push(("n", n_text));
        all.extend_from_slice(args);
        match self.get(&k, lang) {
            Some(t) => fill(t, &all),
            None => k,
        }
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.entries.keys().map(String::as_str).collect();
        k.sort_unstable();
        k
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Fills the `{name}` placeholders of `text` in one pass (a value is never re-scanned).
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_placeholder_once_and_keeps_unknown_ones() {
        assert_eq!(
            fill("{a} et {b} {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} et 2 {c}"
        );
        assert_eq!(fill("sans accolade {", &[]), "sans accolade {");
    }

    #[test]
    fn a_key_with_different_placeholders_in_fr_and_en_is_rejected() {
        let e = Messages::from_json(r#"{"k": {"fr": "{a}", "en": "{b}"}}"#).unwrap_err();
        assert!(e.to_string().contains("message \"k\""), "{e}");
        let e = Messages::from_json(r#"{"K": {"fr": "a", "en": "b"}}"#).unwrap_err();
        assert!(e.to_string().contains("lowercase"), "{e}");
        let e = Messages::from_json(r#"{"k": {"fr": " ", "en": "b"}}"#).unwrap_err();
        assert!(e.to_string().contains("\"fr\" is empty"), "{e}");
    }

    #[test]
    fn plural_uses_the_singular_for_zero_and_one_in_french() {
        let m = Messages::from_json(
            r#"{"p.one": {"fr": "{n} achat", "en": "{n} purchase"},
                "p.other": {"fr": "{n} achats", "en": "{n} purchases"}}"#,
        )
        .unwrap();
        assert_eq!(m.plural("p", Lang::Fr, 0, "0", &[]), "0 achat");
        assert_eq!(m.plural("p", Lang::En, 0, "0", &[]), "0 purchases");
        assert_eq!(m.plural("p", Lang::Fr, 2, "2", &[]), "2 achats");
        assert_eq!(m.plural("p", Lang::En, 1, "1", &[]), "1 purchase");
    }
}
