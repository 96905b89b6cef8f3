//! Which contracts a read keeps: by buyer (SIRET or SIREN), year, CPV prefix, procedure.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::model::{AwardedContract, Concession, Identifier};
use crate::util::text::fold;

/// Which contracts a read keeps. Empty lists keep everything; several values of one criterion
/// are alternatives (a buyer *or* another), criteria combine (a buyer *and* a year).
///
/// - buyers: a 14-digit SIRET keeps that establishment, a 9-digit SIREN every establishment of
///   the legal unit (the SIRET's first nine digits); concessions match on their conceding
///   authority;
/// - years: the year of the notification (concessions: signature);
/// - CPV prefixes: digits the contract's CPV code starts with (a contract without CPV is not
///   kept when prefixes are given);
/// - procedures: compared without regard to case, accents and apostrophes, after mapping the
///   2019 names to the 2024 list (`Procédure adaptée`, `Appel d'offres ouvert`, …).
///
/// ```
/// use spaser::decp::{self, Actuals, Filter};
/// let json = r#"{"marches":{"marche":[
///   {"id":"1","acheteur":{"id":"21350238800019"},"montant":100,"dateNotification":"2024-02-01","codeCPV":"45000000"},
///   {"id":"2","acheteur":{"id":"21130055300016"},"montant":900,"dateNotification":"2024-02-01","codeCPV":"90910000"}]}}"#;
/// let data = decp::read(json.as_bytes())?;
/// let mine = Filter::new().buyer("213502388"); // a SIREN
/// let kept: Vec<_> = data.contracts.iter().filter(|c| mine.matches(c)).collect();
/// assert_eq!(kept.len(), 1);
/// assert!(Filter::new().cpv_prefix("909").matches(&data.contracts[1]));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filter {
    /// SIRETs or SIRENs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buyers: Vec<String>,
    /// Calendar years.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<i32>,
    /// CPV prefixes (digits).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// Procedures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<String>,
}

impl Filter {
    /// A filter that keeps everything.
    pub fn new() -> Filter {
        Filter::default()
    }

    /// Also keeps this buyer (SIRET or SIREN; blanks ignored).
    pub fn buyer(mut self, siret_or_siren: &str) -> Filter {
        let id: String = siret_or_siren
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if !id.is_empty() && !self.buyers.contains(&id) {
            self.buyers.push(id);
        }
        self
    }

    /// Also keeps this year.
    pub fn year(mut self, year: i32) -> Filter {
        if !self.years.contains(&year) {
            self.years.push(year);
        }
        self
    }

    /// Also keeps this CPV prefix.
    pub fn cpv_prefix(mut self, prefix: &str) -> Filter {
        let p = prefix.trim().to_string();
        if !p.is_empty() && !self.cpv_prefixes.contains(&p) {
            self.cpv_prefixes.push(p);
        }
        self
    }

    /// Also keeps this procedure.
    pub fn procedure(mut self, procedure: &str) -> Filter {
        let p = procedure.trim().to_string();
        if !p.is_empty() && !self.procedures.contains(&p) {
            self.procedures.push(p);
        }
        self
    }

    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.buyers.is_empty()
            && self.years.is_empty()
            && self.cpv_prefixes.is_empty()
            && self.procedures.is_empty()
    }

    /// Whether the buyer criterion keeps `buyer` (an identifier as published).
    pub fn buyer_matches(&self, buyer: &str) -> bool {
        if self.buyers.is_empty() {
            return true;
        }
        let b = buyer.trim();
        self.buyers.iter().any(|x| {
            if x.len() == 9 {
                b.len() == 14 && b.starts_with(x.as_str())
            } else {
                b == x
            }
        })
    }

    /// [`Filter::buyer_matches`] on the bytes of a cell (not UTF-8: no match), without
    /// checking the UTF-8 of an ASCII cell (identifiers are).
    pub(crate) fn buyer_matches_bytes(&self, buyer: &[u8]) -> bool {
        if self.buyers.is_empty() {
            return true;
        }
        if !buyer.is_ascii() {
            return std::str::from_utf8(buyer).is_ok_and(|b| self.buyer_matches(b));
        }
        // `str::trim` on ASCII: the ASCII white space, vertical tab included.
        let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
        let start = buyer.iter().position(|c| !blank(c)).unwrap_or(buyer.len());
        let end = buyer
            .iter()
            .rposition(|c| !blank(c))
            .map_or(start, |e| e + 1);
        let b = &buyer[start..end];
        self.buyers.iter().any(|x| {
            if x.len() == 9 {
                b.len() == 14 && b.starts_with(x.as_bytes())
            } else {
                b == x.as_bytes()
            }
        })
    }

    fn procedure_matches(&self, procedure: Option<&str>) -> bool {
        if self.procedures.is_empty() {
            return true;
        }
        let Some(p) = procedure else { return false };
        let key = fold(normalise_procedure(p));
        self.procedures
            .iter()
            .any(|x| fold(normalise_procedure(x)) == key)
    }

    fn year_matches(&self, date: Option<chrono::NaiveDate>) -> bool {
        self.years.is_empty() || date.is_some_and(|d| self.years.contains(&d.year()))
    }

    /// Whether the filter keeps a marché.
    pub fn matches(&self, c: &AwardedContract) -> bool {
        self.buyer_matches(c.buyer.as_ref().map_or("", Identifier::as_str))
            && self.year_matches(c.notification_date)
            && (self.cpv_prefixes.is_empty()
                || c.cpv
                    .is_some_and(|cpv| self.cpv_prefixes.iter().any(|p| cpv.starts_with(p))))
            && self.procedure_matches(c.procedure.as_deref())
    }

    /// Whether the filter keeps a concession (which has no CPV code: any CPV prefix leaves it
    /// out).
    pub fn matches_concession(&self, c: &Concession) -> bool {
        self.buyer_matches(c.authority.as_ref().map_or("", Identifier::as_str))
            && self.year_matches(c.signature_date)
            && self.cpv_prefixes.is_empty()
            && self.procedure_matches(c.procedure.as_deref())
    }
}

/// The 2024 name of a procedure (legacy 2019 names mapped; others kept).
pub(crate) fn normalise_procedure(p: &str) -> &str {
    let t = p.trim();
    match crate::util::text::fold(t).as_str() {
        "procedure concurrentielle avec negociation"
        | "procedure negociee avec mise en concurrence prealable" => "Procédure avec négociation",
        "marche negocie sans publicite ni mise en concurrence prealable"
        | "procedure negociee sans publicite ni mise en concurrence prealable" => {
            "Marché passé sans publicité ni mise en concurrence préalable"
        }
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::Filter;
    use proptest::prelude::*;

    proptest! {
        /// The byte test of a buyer cell is the text test, whatever the cell.
        #[test]
        fn buyer_matches_bytes_is_buyer_matches(
            pad in "[ \t\n\u{0B}\u{0C}\r\u{A0}]{0,2}",
            id in "(21750001600019|217500016|2175000160001|x2175000160001é)",
            tail in "[ \t\u{0B}\u{A0}]{0,2}",
            raw in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            let f = Filter::new().buyer("21750001600019").buyer("245023091");
            let cell = format!("{pad}{id}{tail}");
            prop_assert_eq!(f.buyer_matches_bytes(cell.as_bytes()), f.buyer_matches(&cell));
            let text = std::str::from_utf8(&raw).ok();
            prop_assert_eq!(
                f.buyer_matches_bytes(&raw),
                text.is_some_and(|t| f.buyer_matches(t))
            );
            prop_assert!(Filter::new().buyer_matches_bytes(&raw));
        }
    }

    #[test]
    fn buyer_matches_bytes_reads_siret_and_siren() {
        let f = Filter::new().buyer("245023091");
        assert!(f.buyer_matches_bytes(b" 24502309111190 "));
        assert!(!f.buyer_matches_bytes(b"2450230911119"));
        assert!(!f.buyer_matches_bytes(b"24502309111190\xff"));
    }
}
