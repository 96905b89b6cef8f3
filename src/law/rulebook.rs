//! The dated rulebook: procedure thresholds (and, later, obligations), each with its article,
//! effective period and confidence tag.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::buyer_kind::BuyerKind;
use crate::values::confidence::Confidence;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::period::Period;

/// One dated threshold: a value HT in force during a period, for some natures (and, for EU
/// thresholds, some buyer kinds), with the article that sets it and its confidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdEntry {
    /// The threshold, euros HT.
    pub value: Amount,
    /// When it applies (to the launch date of a consultation).
    pub period: Period,
    /// The natures it applies to (never empty).
    pub natures: Vec<Nature>,
    /// The buyer kinds it applies to; empty means every buyer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buyer_kinds: Vec<BuyerKind>,
    /// The article (or articles) setting the rule, e.g. `R2122-8`.
    pub article: String,
    /// How firm the figure is.
    pub confidence: Confidence,
    /// The legal text or source of the figure, when useful (decree, delegated regulation…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A remark (why the confidence is not `V`, what the figure covers…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ThresholdEntry {
    fn applies(&self, nature: Nature, kind: Option<BuyerKind>, date: NaiveDate) -> bool {
        self.period.contains(date)
            && self.natures.contains(&nature)
            && match kind {
                None => true,
                Some(k) => self.buyer_kinds.is_empty() || self.buyer_kinds.contains(&k),
            }
    }
}

/// The articles that name the legal basis of each procedure (data, so a user can adjust them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcedureArticles {
    /// Legal basis of the adapted procedure below the EU thresholds (`R2123-1 1°`).
    pub adapted: String,
    /// Legal basis of the formal procedure when it is retained without a known EU threshold
    /// (`L2124-1`).
    pub formal: String,
    /// Legal basis of the adapted procedure that social and other specific services may use
    /// whatever their value (`R2123-1 3°`).
    pub specific_services: String,
}

impl Default for ProcedureArticles {
    fn default() -> Self {
        ProcedureArticles {
            adapted: "R2123-1 1°".to_string(),
            formal: "L2124-1".to_string(),
            specific_services: "R2123-1 3°".to_string(),
        }
    }
}

/// Every dated legal figure the crate uses, each with its article, period and confidence.
///
/// The default rulebook is embedded ([`Rulebook::embedded`]) from `src/data/rulebook.json`; a
/// user can load another one ([`Rulebook::from_json`]) or patch the public fields and call
/// [`Rulebook::validate`]. Lookups take the **launch date** of a consultation and fail with
/// [`ErrorKind::NoRule`] when no entry covers it: the crate never guesses a legal figure.
///
/// JSON format (every section but `no_competition`, `eu` is optional):
///
/// ```json
/// {
///   "version": "2026-04",
///   "procedure_articles": { "adapted": "R2123-1 1°" },
///   "no_competition": [ { "value": "60000", "period": "2026-04-01/..",
///       "natures": ["supplies", "services"], "article": "R2122-8", "confidence": "V" } ],
///   "innovative": [ ... ], "innovative_lots": [ ... ],
///   "eu": [ { "value": "216000", "period": "2026-01-01/2027-12-31",
///       "natures": ["supplies", "services"], "buyer_kinds": ["other_contracting_authority"],
///       "article": "L2124-1", "confidence": "V" } ],
///   "specific_services": [ ... ]
/// }
/// ```
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{BuyerKind, Nature, Rulebook};
/// let rules = Rulebook::embedded();
/// let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
/// let t = rules.no_competition_threshold(Nature::Supplies, day)?;
/// assert_eq!((t.value.to_string().as_str(), t.article.as_str()), ("60000.00", "R2122-8"));
/// let eu = rules.eu_threshold(BuyerKind::OtherContractingAuthority, Nature::Services, day)?;
/// assert_eq!(eu.value.to_string(), "216000.00");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rulebook {
    /// A free version label of the data set.
    #[serde(default)]
    pub version: String,
    /// Articles naming the legal basis of procedures that have no threshold entry of their own.
    #[serde(default)]
    pub procedure_articles: ProcedureArticles,
    /// No-competition exemption (R2122-8): the estimated value must be strictly below.
    pub no_competition: Vec<ThresholdEntry>,
    /// Innovative purchases exemption (R2122-9-1): strictly below. Before the start of the
    /// earliest entry the exemption did not exist.
    #[serde(default)]
    pub innovative: Vec<ThresholdEntry>,
    /// Lots of innovative purchases (R2122-9-1, second paragraph): strictly below. Kept as data;
    /// plan lines carry no lots, so estimation does not use them.
    #[serde(default)]
    pub innovative_lots: Vec<ThresholdEntry>,
    /// EU thresholds by buyer kind and nature: formal procedure at or above (L2124-1).
    pub eu: Vec<ThresholdEntry>,
    /// EU publication thresholds of social and other specific services (R2123-1 3°), which may
    /// use the adapted procedure whatever their value. Kept as data; plan lines do not say
    /// whether they are such services, so estimation does not use them.
    #[serde(default)]
    pub specific_services: Vec<ThresholdEntry>,
    /// Legal obligations (LCR contract-level rules, SPASER, reserved contracts, AGEC, EGalim):
    /// see [`ObligationRules`](crate::law::obligation_rules::ObligationRules) for the format. Optional: without it the
    /// obligations engine reports that it has no rule.
    #[serde(
        default,
        skip_serializing_if = "crate::law::obligation_rules::ObligationRules::is_empty"
    )]
    pub obligations: crate::law::obligation_rules::ObligationRules,
}

static EMBEDDED: OnceLock<Rulebook> = OnceLock::new();

impl Rulebook {
    /// The rulebook shipped with the crate (FACTS §6), parsed once.
    pub fn embedded() -> &'static Rulebook {
        EMBEDDED.get_or_init(|| {
            // The embedded JSON is part of the crate and is validated by the unit test
            // `embedded_rulebook_is_valid`: this cannot fail at run time.
            Rulebook::from_json(include_str!("../data/rulebook.json"))
                .expect("embedded rulebook is valid (checked by tests)")
        })
    }

    /// Reads and validates a rulebook.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the JSON does not match the format (a bad amount, period,
    /// nature or confidence included); [`ErrorKind::Inconsistent`] as in [`Rulebook::validate`].
    ///
    /// ```
    /// let json = spaser::Rulebook::embedded().to_json()?;
    /// let copy = spaser::Rulebook::from_json(&json)?;
    /// assert_eq!(&copy, spaser::Rulebook::embedded());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Rulebook> {
        let r: Rulebook = serde_json::from_str(json)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("rulebook: {e}")).with_source(e))?;
        r.validate()?;
        Ok(r)
    }

    /// The rulebook as pretty JSON (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("rulebook: {e}")).with_source(e))
    }

    /// Checks the rulebook: every entry names at least one nature and an article, and no two
    /// entries of one section overlap in time for a same nature and buyer kind.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the section, the entries and the overlap.
    pub fn validate(&self) -> Result<()> {
        self.obligations.validate()?;
        for (name, entries) in self.sections() {
            for (i, e) in entries.iter().enumerate() {
                if e.natures.is_empty() {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "rulebook section \"{name}\", entry {i} ({}): no nature",
                            e.period
                        ),
                    ));
                }
                if e.article.trim().is_empty() {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "rulebook section \"{name}\", entry {i} ({}): no article",
                            e.period
                        ),
                    ));
                }
                for (j, f) in entries.iter().enumerate().skip(i + 1) {
                    let nature_shared = e.natures.iter().find(|n| f.natures.contains(n));
                    let kinds_shared = e.buyer_kinds.is_empty()
                        || f.buyer_kinds.is_empty()
                        || e.buyer_kinds.iter().any(|k| f.buyer_kinds.contains(k));
                    let Some(n) = nature_shared else { continue };
                    if kinds_shared && e.period.overlaps(&f.period) {
                        return Err(Error::new(
                            ErrorKind::Inconsistent,
                            format!(
                                "rulebook section \"{name}\": entries {i} ({}) and {j} ({}) overlap for {n}",
                                e.period, f.period
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn sections(&self) -> [(&'static str, &[ThresholdEntry]); 5] {
        [
            ("no_competition", &self.no_competition),
            ("innovative", &self.innovative),
            ("innovative_lots", &self.innovative_lots),
            ("eu", &self.eu),
            ("specific_services", &self.specific_services),
        ]
    }

    fn find<'r>(
        entries: &'r [ThresholdEntry],
        section: &str,
        nature: Nature,
        kind: Option<BuyerKind>,
        date: NaiveDate,
    ) -> Result<&'r ThresholdEntry> {
        entries
            .iter()
            .find(|e| e.applies(nature, kind, date))
            .ok_or_else(|| {
                let who = kind
                    .map(|k| format!(", buyer kind {k}"))
                    .unwrap_or_default();
                Error::new(
                    ErrorKind::NoRule,
                    format!("no {section} threshold known for {nature}{who} on {date}"),
                )
            })
    }

    /// The no-competition exemption threshold (R2122-8) in force on `date` for `nature`: a
    /// purchase may skip publicity and competition when its estimated value is **strictly
    /// below** it.
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn no_competition_threshold(
        &self,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(&self.no_competition, "no-competition", nature, None, date)
    }

    /// The innovative-purchase exemption threshold (R2122-9-1) on `date` for `nature`
    /// (strictly below).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date` (see [`Rulebook::innovative_in_force`]
    /// to tell "not yet in force" from "unknown").
    pub fn innovative_threshold(&self, nature: Nature, date: NaiveDate) -> Result<&ThresholdEntry> {
        Self::find(&self.innovative, "innovative-purchase", nature, None, date)
    }

    /// The threshold for lots of an innovative purchase (R2122-9-1) on `date` (strictly below).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn innovative_lot_threshold(
        &self,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(
            &self.innovative_lots,
            "innovative-purchase lot",
            nature,
            None,
            date,
        )
    }

    /// Whether the innovative-purchase exemption exists on `date`: `false` before the start of
    /// the earliest `innovative` entry (the exemption was created on 2018-12-25).
    pub fn innovative_in_force(&self, date: NaiveDate) -> bool {
        self.innovative.iter().any(|e| e.period.start() <= date)
    }

    /// The EU threshold (formal procedure at or above, L2124-1) on `date` for a buyer kind and
    /// a nature.
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn eu_threshold(
        &self,
        kind: BuyerKind,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(&self.eu, "EU", nature, Some(kind), date)
    }

    /// The EU publication threshold of social and other specific services (R2123-1 3°) on
    /// `date` for a buyer kind.
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn specific_services_threshold(
        &self,
        kind: BuyerKind,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(
            &self.specific_services,
            "specific-services",
            Nature::Services,
            Some(kind),
            date,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rulebook_is_valid() {
        let r = Rulebook::from_json(include_str!("../data/rulebook.json")).unwrap();
        assert!(!r.no_competition.is_empty());
        assert!(!r.eu.is_empty());
    }
}
