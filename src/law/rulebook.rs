//! The dated rulebook: procedure thresholds and obligations, each with its article, effective
//! period and confidence tag.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::buyer_kind::BuyerKind;
use crate::values::confidence::Confidence;
use crate::values::cpv::CpvCode;
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
    /// CPV prefixes of the purchases it applies to (empty: every purchase); used by the
    /// exemptions defined by their object, e.g. non-school books (R2122-9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpv_prefixes: Vec<String>,
    /// CPV prefixes excluded from `cpv_prefixes` (school books and textbooks for R2122-9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_cpv_prefixes: Vec<String>,
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

    /// Whether a purchase of CPV `cpv` is within the entry's object: always when the entry
    /// lists no CPV prefix; otherwise the CPV must start with a listed prefix and with no
    /// excluded one (a purchase without CPV is not within a CPV-defined object).
    pub fn covers_cpv(&self, cpv: Option<CpvCode>) -> bool {
        if self.cpv_prefixes.is_empty() {
            return true;
        }
        cpv.is_some_and(|c| {
            self.cpv_prefixes.iter().any(|x| c.starts_with(x))
                && !self.excluded_cpv_prefixes.iter().any(|x| c.starts_with(x))
        })
    }
}

/// A threshold found for a date, or carried forward from the last known period as an
/// estimate (see [`Rulebook::eu_threshold_or_estimate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedThreshold<'r> {
    /// The entry: in force on the date, or the last known one when `estimated`.
    pub entry: &'r ThresholdEntry,
    /// Whether the entry does not cover the date and is carried forward as an estimate
    /// (confidence `?`, never a rule).
    pub estimated: bool,
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
///   "small_lots": [ ... ], "small_lots_no_competition": [ ... ], "small_lots_cap": "0.2",
///   "object_exemptions": [ { "value": "90000", "period": "2019-04-01/..",
///       "natures": ["supplies"], "article": "R2122-9", "confidence": "V",
///       "cpv_prefixes": ["2211"], "excluded_cpv_prefixes": ["22111", "22112"] } ],
///   "defence_innovative": [ ... ],
///   "eu": [ { "value": "216000", "period": "2026-01-01/2027-12-31",
///       "natures": ["supplies", "services"], "buyer_kinds": ["other_contracting_authority"],
///       "article": "L2124-1", "confidence": "V", "source": "…", "note": "…" } ],
///   "specific_services": [ ... ],
///   "obligations": { ... }
/// }
/// ```
///
/// Every entry of a section is an [`ThresholdEntry`]: a value, a period, natures, optional
/// buyer kinds (the `defence_security` column is the one of defence or security contracts, by
/// their object), an article, a confidence, and optional source, note and CPV prefixes.
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
    /// Lots of innovative purchases (R2122-9-1, second paragraph, from 2021-12-16): strictly
    /// below, within the 20 % cap of small lots (R2123-1 2° b).
    #[serde(default)]
    pub innovative_lots: Vec<ThresholdEntry>,
    /// Small lots that may follow the adapted procedure in an allotted consultation at or above
    /// the EU threshold (R2123-1 2°): strictly below, within the 20 % cap.
    #[serde(default)]
    pub small_lots: Vec<ThresholdEntry>,
    /// Small lots that may be awarded without competition (R2122-8, lots): strictly below,
    /// within the same 20 % cap.
    #[serde(default)]
    pub small_lots_no_competition: Vec<ThresholdEntry>,
    /// The share of the total value of all lots that the small lots together may not exceed
    /// (R2123-1 2° b: 20 %); `None`: the small-lot rules are not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_lots_cap: Option<crate::values::share::Share>,
    /// Exemptions defined by their object and value (R2122-9: non-school books; an entry's
    /// `cpv_prefixes` say which purchases): strictly below.
    #[serde(default)]
    pub object_exemptions: Vec<ThresholdEntry>,
    /// Innovative purchases of defence or security contracts (R2322-16): strictly below.
    #[serde(default)]
    pub defence_innovative: Vec<ThresholdEntry>,
    /// EU thresholds by buyer kind and nature: formal procedure at or above (L2124-1).
    pub eu: Vec<ThresholdEntry>,
    /// EU publication thresholds of social and other specific services (R2123-1 3°), which may
    /// use the adapted procedure whatever their value; also the EU threshold their social
    /// condition (L2112-2-1) is compared with.
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

    /// Checks the rulebook: every entry names at least one nature and an article, its CPV
    /// prefixes are 1 to 8 digits, no two entries of one section overlap in time for a same
    /// nature and buyer kind, and the thresholds are in order: on every date, for every buyer
    /// kind and nature, each exemption threshold (no competition, innovative purchase) is below
    /// the EU threshold — an exemption at or above it would let a purchase skip the competition
    /// that the EU threshold requires.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the section, the entries (with their periods) and the
    /// overlap or the order broken.
    ///
    /// ```
    /// let mut v: serde_json::Value = serde_json::from_str(&spaser::Rulebook::embedded().to_json()?)?;
    /// // a no-competition threshold of 300,000 above the EU threshold of 216,000
    /// for e in v["no_competition"].as_array_mut().unwrap() {
    ///     if e["value"] == "60000.00" { e["value"] = "300000".into(); }
    /// }
    /// let err = spaser::Rulebook::from_json(&v.to_string()).unwrap_err();
    /// assert_eq!(err.kind(), spaser::ErrorKind::Inconsistent);
    /// assert!(err.to_string().contains("not below"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.obligations.validate()?;
        for (name, entries) in self.sections() {
            for (i, e) in entries.iter().enumerate() {
                let bad = |what: &str| {
                    Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "rulebook section \"{name}\", entry {i} ({}): {what}",
                            e.period
                        ),
                    )
                };
                if e.natures.is_empty() {
                    return Err(bad("no nature"));
                }
                if e.article.trim().is_empty() {
                    return Err(bad("no article"));
                }
                for p in e.cpv_prefixes.iter().chain(&e.excluded_cpv_prefixes) {
                    if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(bad(&format!(
                            "CPV prefix \"{}\" is not 1 to 8 digits",
                            crate::util::text::excerpt(p)
                        )));
                    }
                }
                for (j, f) in entries.iter().enumerate().skip(i + 1) {
                    let nature_shared = e.natures.iter().find(|n| f.natures.contains(n));
                    let kinds_shared = e.buyer_kinds.is_empty()
                        || f.buyer_kinds.is_empty()
                        || e.buyer_kinds.iter().any(|k| f.buyer_kinds.contains(k));
                    let cpv_shared = e.cpv_prefixes.is_empty()
                        || f.cpv_prefixes.is_empty()
                        || e.cpv_prefixes.iter().any(|x| {
                            f.cpv_prefixes
                                .iter()
                                .any(|y| x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
                        });
                    let Some(n) = nature_shared else { continue };
                    if kinds_shared && cpv_shared && e.period.overlaps(&f.period) {
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
        for (name, entries) in [
            ("no_competition", &self.no_competition),
            ("innovative", &self.innovative),
        ] {
            for (i, e) in entries.iter().enumerate() {
                for (j, f) in self.eu.iter().enumerate() {
                    let Some(n) = e.natures.iter().find(|n| f.natures.contains(n)) else {
                        continue;
                    };
                    let kinds_shared = e.buyer_kinds.is_empty()
                        || f.buyer_kinds.is_empty()
                        || e.buyer_kinds.iter().any(|k| f.buyer_kinds.contains(k));
                    if kinds_shared && e.period.overlaps(&f.period) && e.value >= f.value {
                        let kinds = if f.buyer_kinds.is_empty() {
                            "every buyer kind".to_string()
                        } else {
                            f.buyer_kinds
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        return Err(Error::new(
                            ErrorKind::Inconsistent,
                            format!(
                                "rulebook section \"{name}\", entry {i} ({}, {}): threshold {} is not below the EU threshold {} of section \"eu\", entry {j} ({}, {kinds}) for {n}: an exemption must stay below the EU threshold",
                                e.period, e.article, e.value, f.value, f.period
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn sections(&self) -> [(&'static str, &[ThresholdEntry]); 9] {
        [
            ("no_competition", &self.no_competition),
            ("innovative", &self.innovative),
            ("innovative_lots", &self.innovative_lots),
            ("small_lots", &self.small_lots),
            ("small_lots_no_competition", &self.small_lots_no_competition),
            ("object_exemptions", &self.object_exemptions),
            ("defence_innovative", &self.defence_innovative),
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

impl Rulebook {
    /// The EU threshold on `date`, or — when `date` lies after the last period the rulebook
    /// knows for that buyer kind and nature (the EU publishes the next values late in the
    /// second year, FACTS §14) — the last known entry carried forward as an **estimate**
    /// ([`DatedThreshold::estimated`]): a planning figure tagged `?`, never a rule.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use spaser::{BuyerKind, Nature, Rulebook};
    /// let d = NaiveDate::from_ymd_opt(2028, 3, 1).unwrap();
    /// let t = Rulebook::embedded()
    ///     .eu_threshold_or_estimate(BuyerKind::OtherContractingAuthority, Nature::Works, d)?;
    /// assert!(t.estimated);
    /// assert_eq!(t.entry.value.to_string(), "5404000.00"); // the 2026-2027 value
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date` and `date` is not after every known
    /// period (a gap in the past is never estimated).
    pub fn eu_threshold_or_estimate(
        &self,
        kind: BuyerKind,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<DatedThreshold<'_>> {
        Self::find_or_estimate(&self.eu, "EU", nature, kind, date)
    }

    /// [`Rulebook::specific_services_threshold`], or the last known value carried forward as
    /// an estimate after the last known period (as [`Rulebook::eu_threshold_or_estimate`]).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] as [`Rulebook::eu_threshold_or_estimate`].
    pub fn specific_services_threshold_or_estimate(
        &self,
        kind: BuyerKind,
        date: NaiveDate,
    ) -> Result<DatedThreshold<'_>> {
        Self::find_or_estimate(
            &self.specific_services,
            "specific-services",
            Nature::Services,
            kind,
            date,
        )
    }

    fn find_or_estimate<'r>(
        entries: &'r [ThresholdEntry],
        section: &str,
        nature: Nature,
        kind: BuyerKind,
        date: NaiveDate,
    ) -> Result<DatedThreshold<'r>> {
        if let Ok(entry) = Self::find(entries, section, nature, Some(kind), date) {
            return Ok(DatedThreshold {
                entry,
                estimated: false,
            });
        }
        let mine = || {
            entries.iter().filter(|e| {
                e.natures.contains(&nature)
                    && (e.buyer_kinds.is_empty() || e.buyer_kinds.contains(&kind))
            })
        };
        // every known period ends before the date (an open-ended one would have covered it)
        let last = mine()
            .filter(|e| e.period.end().is_some_and(|end| end < date))
            .max_by_key(|e| e.period.end());
        match last {
            Some(entry) if mine().all(|e| e.period.end().is_some_and(|end| end < date)) => {
                Ok(DatedThreshold {
                    entry,
                    estimated: true,
                })
            }
            _ => {
                Self::find(entries, section, nature, Some(kind), date).map(|entry| DatedThreshold {
                    entry,
                    estimated: false,
                })
            }
        }
    }

    /// The value below which a lot of an allotted consultation may follow the adapted
    /// procedure (R2123-1 2°), on `date` for `nature` (strictly below, within the cap).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn small_lot_threshold(&self, nature: Nature, date: NaiveDate) -> Result<&ThresholdEntry> {
        Self::find(&self.small_lots, "small-lot", nature, None, date)
    }

    /// The value below which a lot may be awarded without competition (R2122-8, lots), on
    /// `date` for `nature` (strictly below, within the cap of small lots).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn small_lot_no_competition_threshold(
        &self,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(
            &self.small_lots_no_competition,
            "small-lot no-competition",
            nature,
            None,
            date,
        )
    }

    /// The exemption defined by its object (R2122-9 non-school books…) that a purchase of
    /// `nature` and CPV `cpv` launched on `date` falls under, if any.
    pub fn object_exemption(
        &self,
        nature: Nature,
        cpv: Option<CpvCode>,
        date: NaiveDate,
    ) -> Option<&ThresholdEntry> {
        self.object_exemptions
            .iter()
            .find(|e| e.applies(nature, None, date) && e.covers_cpv(cpv))
    }

    /// The innovative-purchase threshold of defence or security contracts (R2322-16) on
    /// `date` for `nature` (strictly below).
    ///
    /// # Errors
    /// [`ErrorKind::NoRule`] when no entry covers `date`.
    pub fn defence_innovative_threshold(
        &self,
        nature: Nature,
        date: NaiveDate,
    ) -> Result<&ThresholdEntry> {
        Self::find(
            &self.defence_innovative,
            "defence innovative-purchase",
            nature,
            None,
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
