//! The innovative-purchase rules beyond the exemption thresholds of the rulebook: the code's
//! definition of an innovative purchase, the young innovative companies whose offers are
//! innovative by law and the innovation partnership. The no-competition thresholds
//! (R2122-9-1, and R2322-16 for innovative defence or security contracts) are the rulebook's.

use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::values::confidence::Confidence;
use crate::values::period::Period;

/// Which innovative-purchase rule an [`InnovationArticle`] states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InnovationRule {
    /// What an innovative purchase is (L2172-3, second paragraph).
    Definition,
    /// The offers of young innovative companies are innovative by law (L2172-3, second
    /// paragraph, last sentence, from the finance law for 2024).
    YoungInnovativeCompanies,
    /// The innovation partnership (L2172-3, first paragraph).
    Partnership,
    /// How the partnership runs and is awarded (R2172-20 to R2172-32).
    PartnershipProcedure,
}

impl fmt::Display for InnovationRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InnovationRule::Definition => "definition",
            InnovationRule::YoungInnovativeCompanies => "young_innovative_companies",
            InnovationRule::Partnership => "partnership",
            InnovationRule::PartnershipProcedure => "partnership_procedure",
        })
    }
}

/// One innovative-purchase rule: its article, when it applies, what it says (in the crate's
/// words), how firm it is and where it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InnovationArticle {
    /// Which rule.
    pub id: InnovationRule,
    /// The article.
    pub article: String,
    /// When it applies (to the launch date).
    pub period: Period,
    /// What it says, in French (the crate's summary, not the text).
    pub summary_fr: String,
    /// What it says, in English.
    pub summary_en: String,
    /// How firm it is.
    pub confidence: Confidence,
    /// Where it was read.
    pub source: String,
    /// A remark (why the confidence is not `V`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The innovative-purchase rules (`src/data/innovation.json`, [`InnovationRules::embedded`]).
///
/// The no-competition exemptions of innovative purchases are thresholds of the
/// [`Rulebook`](crate::Rulebook): its `innovative` section (R2122-9-1, below €100,000) and its
/// `defence_innovative` section (R2322-16, innovative defence or security contracts, below
/// €300,000 from 2025-01-01); these rules add the definition, the young innovative companies
/// and the innovation partnership.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{InnovationRule, InnovationRules, Nature};
/// let rules = InnovationRules::embedded();
/// let def = rules.article(InnovationRule::Definition).unwrap();
/// assert_eq!(def.article, "L2172-3 al. 2");
/// let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
/// let t = spaser::Rulebook::embedded().defence_innovative_threshold(Nature::Supplies, day)?;
/// assert_eq!((t.value.to_string().as_str(), t.article.as_str()), ("300000.00", "R2322-16"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InnovationRules {
    /// A free version label.
    #[serde(default)]
    pub version: String,
    /// The rules, each once.
    pub articles: Vec<InnovationArticle>,
}

static EMBEDDED: OnceLock<InnovationRules> = OnceLock::new();

impl InnovationRules {
    /// The embedded rules, parsed once.
    pub fn embedded() -> &'static InnovationRules {
        EMBEDDED.get_or_init(|| {
            // The embedded JSON is part of the crate and is validated by the unit test
            // `embedded_innovation_rules_are_valid`: this cannot fail at run time.
            InnovationRules::from_json(include_str!("../data/innovation.json"))
                .expect("embedded innovation rules are valid (checked by tests)")
        })
    }

    /// Reads and checks rules.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for JSON that does not match the format; [`ErrorKind::Duplicate`]
    /// for a rule given twice; [`ErrorKind::Inconsistent`] for an empty article or
    /// summary.
    pub fn from_json(json: &str) -> Result<InnovationRules> {
        let r: InnovationRules = serde_json::from_str(json).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("innovation rules: {e}")).with_source(e)
        })?;
        for (i, a) in r.articles.iter().enumerate() {
            if r.articles[..i].iter().any(|b| b.id == a.id) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "innovation rules, article {}: rule \"{}\" is given twice",
                        i + 1,
                        a.id
                    ),
                ));
            }
            if a.article.trim().is_empty()
                || a.summary_fr.trim().is_empty()
                || a.summary_en.trim().is_empty()
            {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "innovation rules, article {} (\"{}\"): article and summaries must not be empty",
                        i + 1,
                        a.id
                    ),
                ));
            }
        }
        Ok(r)
    }

    /// The rules as pretty JSON.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("innovation rules: {e}")).with_source(e)
        })
    }

    /// The rule `id`.
    pub fn article(&self, id: InnovationRule) -> Option<&InnovationArticle> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// The rule `id` when it applies on `date`.
    pub fn in_force(&self, id: InnovationRule, date: NaiveDate) -> Option<&InnovationArticle> {
        self.article(id).filter(|a| a.period.contains(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::nature::Nature;

    #[test]
    fn embedded_innovation_rules_are_valid() {
        let r = InnovationRules::from_json(include_str!("../data/innovation.json")).unwrap();
        for id in [
            InnovationRule::Definition,
            InnovationRule::YoungInnovativeCompanies,
            InnovationRule::Partnership,
            InnovationRule::PartnershipProcedure,
        ] {
            assert!(r.article(id).is_some(), "{id}");
        }
        let json = r.to_json().unwrap();
        assert_eq!(InnovationRules::from_json(&json).unwrap(), r);
    }

    #[test]
    fn r2322_16_is_300k_from_2025_and_unknown_before() {
        // CCP R2322-16 (décret 2024-1251): innovative defence or security contracts below
        // €300,000 from 2025-01-01; the earlier value was not checked. One figure, the
        // rulebook's (these rules no longer hold a copy of it).
        let r = crate::law::rulebook::Rulebook::embedded();
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        assert_eq!(
            r.defence_innovative_threshold(Nature::Works, d)
                .unwrap()
                .value
                .to_string(),
            "300000.00"
        );
        let before = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        assert_eq!(
            r.defence_innovative_threshold(Nature::Works, before)
                .unwrap_err()
                .kind(),
            ErrorKind::NoRule
        );
    }
}
