//! Automatic criteria: rules on indicator figures and scalar facts, and the evidence they read.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, GroupBy, IndicatorTable, Measure};
use crate::values::share::Share;

/// Id of the standard fact "share of the year's purchasing spend covered by the purchasing
/// programme" (a [`Share`] the caller computes from its programme and its accounts).
pub const FACT_PROGRAMME_COVERAGE: &str = "programme_coverage";

/// The facts every grid may use without declaring them.
pub const STANDARD_FACTS: [&str; 1] = [FACT_PROGRAMME_COVERAGE];

/// The largest year offset a rule accepts (a century either way).
const MAX_OFFSET: i32 = 100;

/// Where indicator figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// A projection of the purchasing plan (planned lines and their levers).
    Plan,
    /// Actuals: awarded contracts, e.g. read from DECP.
    Actuals,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Plan => "plan",
            Source::Actuals => "actuals",
        })
    }
}

/// A comparison between a figure and a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// Figure ≥ threshold.
    Ge,
    /// Figure > threshold.
    Gt,
    /// Figure ≤ threshold.
    Le,
    /// Figure < threshold.
    Lt,
}

impl Comparison {
    /// Whether an ordering of figure against threshold satisfies the comparison.
    pub fn holds(&self, figure_vs_threshold: Ordering) -> bool {
        match self {
            Comparison::Ge => figure_vs_threshold != Ordering::Less,
            Comparison::Gt => figure_vs_threshold == Ordering::Greater,
            Comparison::Le => figure_vs_threshold != Ordering::Greater,
            Comparison::Lt => figure_vs_threshold == Ordering::Less,
        }
    }

    /// The mathematical symbol.
    pub fn symbol(&self) -> &'static str {
        match self {
            Comparison::Ge => "≥",
            Comparison::Gt => ">",
            Comparison::Le => "≤",
            Comparison::Lt => "<",
        }
    }
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

fn is_total(g: &GroupBy) -> bool {
    *g == GroupBy::Total
}

fn count_basis() -> Basis {
    Basis::Count
}

/// A rule that answers a criterion automatically: an indicator share (or a scalar fact)
/// compared with a threshold, or scored linearly between two bounds.
///
/// JSON: either an indicator rule
/// `{"indicator": "social", "basis": "count", "year_offset": -1, "op": "ge", "threshold": "0.3"}`
/// ("at least 30 % of the contracts notified last year carry a social consideration"; optional
/// `"source": "plan" | "actuals"`, `"year": 2027` instead of `year_offset`, `"group_by"` and
/// `"group"` to read one breakdown row), or a fact rule
/// `{"fact": "programme_coverage", "op": "ge", "threshold": "0.8"}`.
///
/// `op` is one of `ge` (≥), `gt` (>), `le` (≤), `lt` (<); `threshold` is a share written as a
/// string.
///
/// A **linear** rule scores the criterion from the figure between two bounds, as Territoires
/// en Transitions scores a measure from its indicator (0 below 30 %, full above 80 %):
/// `{"indicator": "environmental", "basis": "value", "linear": {"from": "0.3", "to": "0.8"}}`
/// (no `op` nor `threshold`). At or below `from` the criterion is not met, at or above `to` it
/// is met, in between it is partly met by `(figure − from) / (to − from)` of its points
/// ([`Outcome::Partly`]). The year of an indicator rule is the assessment's reference year plus
/// `year_offset`, unless `year` fixes it. Without `source`, actuals are read first, then the
/// plan; rules about contracts *notified* should say `"source": "actuals"`.
///
/// ```
/// use spaser::maturity::{Comparison, Evidence, Outcome, Rule, FACT_PROGRAMME_COVERAGE};
/// let rule: Rule = serde_json::from_str(
///     r#"{"fact": "programme_coverage", "op": "ge", "threshold": "0.8"}"#).unwrap();
/// assert_eq!(rule.op, Comparison::Ge);
/// let evidence = Evidence::new().with_fact(FACT_PROGRAMME_COVERAGE, "0.85".parse()?);
/// let e = rule.evaluate(&evidence, 2026);
/// assert_eq!(e.outcome, Outcome::Met);
/// assert_eq!(e.explanation, "fact programme_coverage = 0.85, required ≥ 0.8: met");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RuleData", into = "RuleData")]
pub struct Rule {
    /// Indicator id (standard or declared by the grid). Exactly one of `indicator` and `fact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// Fact id (standard or declared by the grid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Count or value basis (indicator rules; default count).
    #[serde(default = "count_basis")]
    pub basis: Basis,
    /// Year relative to the assessment's reference year (indicator rules; -1 = last year).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub year_offset: i32,
    /// Fixed calendar year, instead of `year_offset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Where to read the figure (default: actuals, then plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Breakdown of the row to read (default: the yearly total).
    #[serde(default = "total", skip_serializing_if = "is_total")]
    pub group_by: GroupBy,
    /// Group key of the row to read (with `group_by`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Comparison of the figure with the threshold (a linear rule: `Ge`).
    pub op: Comparison,
    /// Threshold (a linear rule: its upper bound, where the criterion is fully met).
    pub threshold: Share,
    /// Bounds of a linear rule; when set, `op` and `threshold` are not read.
    pub linear: Option<Linear>,
}

/// The bounds of a linear rule: the criterion earns nothing at or below `from`, all its points
/// at or above `to`, and in proportion in between.
///
/// ```
/// use spaser::maturity::{Evidence, Linear, Outcome, Rule, FACT_PROGRAMME_COVERAGE};
/// let rule: Rule = serde_json::from_str(
///     r#"{"fact": "programme_coverage", "linear": {"from": "0.3", "to": "0.8"}}"#).unwrap();
/// assert_eq!(rule.linear, Some(Linear::new("0.3".parse()?, "0.8".parse()?)?));
/// let e = rule.evaluate(&Evidence::new().with_fact(FACT_PROGRAMME_COVERAGE, "0.55".parse()?), 2026);
/// assert_eq!(e.outcome, Outcome::Partly);
/// assert_eq!(e.score.unwrap().to_string(), "0.5");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    /// Lower bound: nothing at or below it.
    pub from: Share,
    /// Upper bound: every point at or above it.
    pub to: Share,
}

impl Linear {
    /// Bounds `from` < `to`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when `from` is not below `to`.
    pub fn new(from: Share, to: Share) -> Result<Linear> {
        if from >= to {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!("linear rule: \"from\" ({from}) must be below \"to\" ({to})"),
            ));
        }
        Ok(Linear { from, to })
    }

    /// The share of the points a figure earns: 0 at or below `from`, 1 at or above `to`,
    /// `(figure − from) / (to − from)` in between (exact).
    pub fn score(&self, figure: Share) -> Share {
        if figure <= self.from {
            return Share::ZERO;
        }
        if figure >= self.to {
            return Share::ONE;
        }
        let span = self.to.as_decimal() - self.from.as_decimal();
        Share::ratio(figure.as_decimal() - self.from.as_decimal(), span).unwrap_or(Share::ZERO)
    }
}

/// A rule as written in JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fact: Option<String>,
    #[serde(default = "count_basis")]
    basis: Basis,
    #[serde(default, skip_serializing_if = "is_zero")]
    year_offset: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<Source>,
    #[serde(default = "total", skip_serializing_if = "is_total")]
    group_by: GroupBy,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    op: Option<Comparison>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold: Option<Share>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    linear: Option<Linear>,
}

impl TryFrom<RuleData> for Rule {
    type Error = Error;
    fn try_from(d: RuleData) -> Result<Rule> {
        let (op, threshold) = match (d.op, d.threshold, d.linear) {
            (Some(op), Some(t), None) => (op, t),
            (None, None, Some(l)) => {
                let l = Linear::new(l.from, l.to)?;
                (Comparison::Ge, l.to)
            }
            (_, _, Some(_)) => {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    "a linear rule takes \"linear\" bounds, not \"op\" nor \"threshold\"",
                ));
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::Missing,
                    "rule needs \"op\" and \"threshold\", or \"linear\" bounds",
                ));
            }
        };
        Ok(Rule {
            indicator: d.indicator,
            fact: d.fact,
            basis: d.basis,
            year_offset: d.year_offset,
            year: d.year,
            source: d.source,
            group_by: d.group_by,
            group: d.group,
            op,
            threshold,
            linear: d.linear,
        })
    }
}

impl From<Rule> for RuleData {
    fn from(r: Rule) -> RuleData {
        let linear = r.linear;
        RuleData {
            indicator: r.indicator,
            fact: r.fact,
            basis: r.basis,
            year_offset: r.year_offset,
            year: r.year,
            source: r.source,
            group_by: r.group_by,
            group: r.group,
            op: linear.is_none().then_some(r.op),
            threshold: linear.is_none().then_some(r.threshold),
            linear,
        }
    }
}

fn total() -> GroupBy {
    GroupBy::Total
}

impl Rule {
    /// An indicator rule on the yearly total, over the reference year (`year_offset` 0), read
    /// from actuals then plan.
    pub fn indicator(
        indicator: impl Into<String>,
        basis: Basis,
        op: Comparison,
        threshold: Share,
    ) -> Rule {
        Rule {
            indicator: Some(indicator.into()),
            fact: None,
            basis,
            year_offset: 0,
            year: None,
            source: None,
            group_by: GroupBy::Total,
            group: String::new(),
            op,
            threshold,
            linear: None,
        }
    }

    /// A fact rule.
    pub fn fact(fact: impl Into<String>, op: Comparison, threshold: Share) -> Rule {
        Rule {
            fact: Some(fact.into()),
            indicator: None,
            ..Rule::indicator("", Basis::Count, op, threshold)
        }
    }

    /// Makes the rule linear between `bounds` (its `op` becomes `Ge` and its threshold the
    /// upper bound).
    pub fn linear(mut self, bounds: Linear) -> Rule {
        self.op = Comparison::Ge;
        self.threshold = bounds.to;
        self.linear = Some(bounds);
        self
    }

    /// Sets the year offset relative to the reference year.
    pub fn year_offset(mut self, offset: i32) -> Rule {
        self.year_offset = offset;
        self
    }

    /// Fixes the calendar year.
    pub fn year(mut self, year: i32) -> Rule {
        self.year = Some(year);
        self
    }

    /// Sets the source read.
    pub fn source(mut self, source: Source) -> Rule {
        self.source = Some(source);
        self
    }

    /// Reads one breakdown row instead of the total.
    pub fn group(mut self, group_by: GroupBy, group: impl Into<String>) -> Rule {
        self.group_by = group_by;
        self.group = group.into();
        self
    }

    /// Checks the rule against the known indicator and fact ids.
    pub(crate) fn check(
        &self,
        indicators: &BTreeSet<String>,
        facts: &BTreeSet<&str>,
    ) -> Result<()> {
        if let Some(l) = self.linear {
            Linear::new(l.from, l.to)?;
        }
        match (&self.indicator, &self.fact) {
            (Some(i), None) => {
                if !indicators.contains(i) {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "rule refers to unknown indicator \"{i}\"; known: {}",
                            indicators.iter().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                if self.year.is_some() && self.year_offset != 0 {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        "rule sets both \"year\" and \"year_offset\"; keep one",
                    ));
                }
                if self.year_offset.abs() > MAX_OFFSET {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "rule year_offset {} is outside -{MAX_OFFSET}..={MAX_OFFSET}",
                            self.year_offset
                        ),
                    ));
                }
                if self.group_by == GroupBy::Total && !self.group.is_empty() {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!("rule names group \"{}\" without group_by", self.group),
                    ));
                }
                Ok(())
            }
            (None, Some(f)) => {
                if !facts.contains(f.as_str()) {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "rule refers to unknown fact \"{f}\"; known: {}",
                            facts.iter().copied().collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                Ok(())
            }
            (Some(_), Some(_)) => Err(Error::new(
                ErrorKind::InvalidValue,
                "rule names both an indicator and a fact; keep one",
            )),
            (None, None) => Err(Error::new(
                ErrorKind::Missing,
                "rule names neither an indicator nor a fact",
            )),
        }
    }

    /// The calendar year an indicator rule reads for `reference_year`.
    pub fn target_year(&self, reference_year: i32) -> i32 {
        self.year
            .unwrap_or_else(|| reference_year.saturating_add(self.year_offset))
    }

    /// Evaluates the rule on `evidence` for an assessment of `reference_year`.
    ///
    /// The comparison is exact: the numerator is compared with threshold × denominator of the
    /// indicator's [`Measure`] ([`Measure::compare`]). A row that is absent, or whose scope is
    /// empty (no purchase, or zero value on a value basis), gives [`Outcome::NoData`]: an
    /// empty scope never earns a criterion. When the evidence says what its data cover
    /// ([`Evidence::with_actuals_of`]), a missing row says why: the year is not covered, or
    /// the data hold no contract of the buyer ([`Evaluation::gap`]).
    pub fn evaluate(&self, evidence: &Evidence, reference_year: i32) -> Evaluation {
        let mut figure = Figure {
            indicator: self.indicator.clone(),
            fact: self.fact.clone(),
            source: None,
            year: None,
            basis: None,
            group_by: self.group_by,
            group: self.group.clone(),
            measure: None,
            value: None,
            op: self.op,
            threshold: self.threshold,
            linear: self.linear,
            note: None,
        };
        if let Some(f) = &self.fact {
            figure.note = evidence.fact_notes.get(f).cloned();
            return match evidence.facts.get(f) {
                None => {
                    let why = match &figure.note {
                        Some(n) => format!("fact \"{f}\" is not provided: {n}"),
                        None => format!("fact \"{f}\" is not provided"),
                    };
                    Evaluation::no_data(figure, why)
                }
                Some(v) => {
                    figure.value = Some(*v);
                    self.decide(figure, *v, v.cmp(&self.threshold))
                }
            };
        }
        let Some(ind) = &self.indicator else {
            return Evaluation::no_data(
                figure,
                "rule names neither an indicator nor a fact".into(),
            );
        };
        let year = self.target_year(reference_year);
        figure.year = Some(year);
        figure.basis = Some(self.basis);
        let sources: &[Source] = match &self.source {
            Some(Source::Plan) => &[Source::Plan],
            Some(Source::Actuals) => &[Source::Actuals],
            None => &[Source::Actuals, Source::Plan],
        };
        for src in sources {
            for (s, table) in &evidence.tables {
                if s != src {
                    continue;
                }
                if let Some(m) = table.get(ind, year, self.group_by, &self.group) {
                    figure.source = Some(*src);
                    figure.measure = Some(m.clone());
                    figure.value = m.share(self.basis);
                    return match (m.compare(self.basis, self.threshold), figure.value) {
                        (Some(ord), Some(v)) => self.decide(figure, v, ord),
                        _ => Evaluation::no_data(
                            figure,
                            format!(
                                "indicator \"{ind}\" has an empty scope in {year} ({src}, {} basis)",
                                self.basis
                            ),
                        ),
                    };
                }
            }
        }
        // no row: say what the data cover when they say it
        for src in sources {
            for (s, scope) in &evidence.scopes {
                if s != src {
                    continue;
                }
                let (gap, why) = scope.gap(year);
                let mut e = Evaluation::no_data(
                    figure,
                    format!("no figure for indicator \"{ind}\" in {year} ({src}): {why}"),
                );
                e.gap = Some(gap);
                return e;
            }
        }
        let where_ = match &self.source {
            Some(s) => s.to_string(),
            None => "actuals or plan".to_string(),
        };
        Evaluation::no_data(
            figure,
            format!("no figure for indicator \"{ind}\" in {year} ({where_})"),
        )
    }

    /// The outcome of a figure: threshold rules compare (`ord` is the figure against the
    /// threshold, exact), linear rules score.
    fn decide(&self, figure: Figure, value: Share, ord: Ordering) -> Evaluation {
        match self.linear {
            None => Evaluation::decide(figure, ord),
            Some(l) => {
                let score = l.score(value);
                let outcome = if score == Share::ONE {
                    Outcome::Met
                } else if score == Share::ZERO {
                    Outcome::NotMet
                } else {
                    Outcome::Partly
                };
                let explanation = format!(
                    "{figure}: {}",
                    match outcome {
                        Outcome::Met => "met".to_string(),
                        Outcome::NotMet => "not met".to_string(),
                        _ => format!("partly met ({} of the points)", score.round_dp(4)),
                    }
                );
                Evaluation {
                    outcome,
                    figure,
                    explanation,
                    score: Some(score),
                    gap: None,
                }
            }
        }
    }
}

/// What an automatic evaluation concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// The figure satisfies the rule.
    Met,
    /// The figure does not satisfy the rule.
    NotMet,
    /// A linear rule's figure lies between its bounds: partly met, by
    /// [`Evaluation::score`] of the points.
    Partly,
    /// No figure to decide on: the criterion stays for a manual answer.
    NoData,
}

/// The figure a rule used, recorded as the answer's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Figure {
    /// Indicator read (indicator rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// Fact read (fact rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Source the row was found in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Year read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Basis read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    /// Breakdown read.
    #[serde(default = "total", skip_serializing_if = "is_total")]
    pub group_by: GroupBy,
    /// Group key read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Numerator and denominator (indicator rules, when found).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// The share compared (exact; `None` for an empty scope or a missing figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Share>,
    /// Comparison.
    pub op: Comparison,
    /// Threshold.
    pub threshold: Share,
    /// Bounds of a linear rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<Linear>,
    /// How a computed fact was computed (e.g. the programme coverage's numerator and
    /// denominator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = &self.indicator {
            write!(f, "indicator {i}")?;
            if let Some(b) = self.basis {
                write!(f, " by {b}")?;
            }
            if let Some(y) = self.year {
                write!(f, " in {y}")?;
            }
            if self.group_by != GroupBy::Total {
                write!(f, " for {:?} \"{}\"", self.group_by, self.group)?;
            }
            if let Some(s) = self.source {
                write!(f, " ({s})")?;
            }
        } else if let Some(x) = &self.fact {
            write!(f, "fact {x}")?;
            if let Some(n) = &self.note {
                write!(f, " ({n})")?;
            }
        }
        if let (Some(m), Some(b)) = (&self.measure, self.basis) {
            match b {
                Basis::Count => write!(f, ": {}/{}", m.count, m.purchases)?,
                Basis::Value => write!(
                    f,
                    ": {}/{}",
                    m.covered_value.normalize(),
                    m.value.normalize()
                )?,
            }
        }
        match self.value {
            Some(v) => write!(f, " = {}", v.round_dp(4))?,
            None => f.write_str(" = n/a")?,
        }
        match &self.linear {
            Some(l) => write!(
                f,
                ", scored linearly from {} (nothing) to {} (every point)",
                l.from, l.to
            ),
            None => write!(f, ", required {} {}", self.op.symbol(), self.threshold),
        }
    }
}

/// The result of evaluating a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evaluation {
    /// Met, not met, or no data.
    pub outcome: Outcome,
    /// The figure used.
    pub figure: Figure,
    /// One line saying what was compared, or why there is no data.
    pub explanation: String,
    /// The share of the points earned, for a linear rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Share>,
    /// Why there is no figure, when the data given do not cover the year or the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<DataGap>,
}

/// Why the data given cannot decide a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataGap {
    /// The data hold no record of the buyer.
    Buyer {
        /// The buyer's SIRET.
        buyer: String,
        /// Records of other buyers, ignored.
        other_buyers: u64,
    },
    /// The data hold records of the buyer, but none in the year read.
    Year {
        /// The year read.
        year: i32,
        /// The years the data cover for the buyer, ascending.
        covered: Vec<i32>,
    },
}

impl Evaluation {
    fn decide(figure: Figure, ord: Ordering) -> Evaluation {
        let outcome = if figure.op.holds(ord) {
            Outcome::Met
        } else {
            Outcome::NotMet
        };
        let explanation = format!(
            "{figure}: {}",
            if outcome == Outcome::Met {
                "met"
            } else {
                "not met"
            }
        );
        Evaluation {
            outcome,
            figure,
            explanation,
            score: None,
            gap: None,
        }
    }

    fn no_data(figure: Figure, explanation: String) -> Evaluation {
        Evaluation {
            outcome: Outcome::NoData,
            figure,
            explanation,
            score: None,
            gap: None,
        }
    }
}

/// The figures automatic criteria read: indicator tables tagged with their source (plan
/// projection or actuals) and scalar facts.
///
/// Build tables with an [`IndicatorEngine`](crate::IndicatorEngine) fed with the grid's indicators
/// ([`Grid::indicators`](super::Grid::indicators)), or let [`Evidence::with_purchases`] do it.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::{Amount, Coverage, Dimension, Instrument, Purchase, Share};
/// use spaser::maturity::{Evidence, Grid, Source, FACT_PROGRAMME_COVERAGE};
///
/// let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
/// let clause = [Coverage::whole(Dimension::Social, Instrument::ExecutionClause)];
/// let mut a = Purchase::new(date, Amount::from_euros(100_000));
/// a.considerations = &clause;
/// let b = Purchase::new(date, Amount::from_euros(50_000));
/// let evidence = Evidence::new()
///     .with_purchases(Source::Actuals, Grid::spaser(), [a, b])
///     .with_fact(FACT_PROGRAMME_COVERAGE, "0.85".parse::<Share>()?);
/// let m = evidence.table(Source::Actuals).unwrap().total("social", 2025).unwrap();
/// assert_eq!(m.count_share().unwrap().to_string(), "0.5");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evidence {
    tables: Vec<(Source, IndicatorTable)>,
    facts: BTreeMap<String, Share>,
    pub(crate) fact_notes: BTreeMap<String, String>,
    pub(crate) scopes: Vec<(Source, Scope)>,
}

/// What the records behind a source cover: the buyer and the years it has records in.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Scope {
    /// The buyer whose records were read (SIRET).
    pub buyer: String,
    /// Years with at least one record of the buyer, ascending.
    pub years: Vec<i32>,
    /// Records of the buyer read.
    pub records: u64,
    /// Records of other buyers, ignored.
    pub other_buyers: u64,
}

impl Scope {
    /// Why there is no row for `year`.
    fn gap(&self, year: i32) -> (DataGap, String) {
        if self.records == 0 {
            (
                DataGap::Buyer {
                    buyer: self.buyer.clone(),
                    other_buyers: self.other_buyers,
                },
                if self.other_buyers == 0 {
                    format!("the data given hold no contract of buyer {}", self.buyer)
                } else {
                    format!(
                        "the data given hold no contract of buyer {} ({} contract(s) of other buyers ignored)",
                        self.buyer, self.other_buyers
                    )
                },
            )
        } else {
            let years: Vec<String> = self.years.iter().map(i32::to_string).collect();
            (
                DataGap::Year {
                    year,
                    covered: self.years.clone(),
                },
                format!(
                    "the data given cover buyer {} in {}, not in {year}",
                    self.buyer,
                    years.join(", ")
                ),
            )
        }
    }
}

impl Evidence {
    /// No figure at all.
    pub fn new() -> Evidence {
        Evidence::default()
    }

    /// Adds an indicator table from `source`. Several tables may share a source: they are
    /// read in the order added, the first row found wins.
    pub fn with_table(mut self, source: Source, table: IndicatorTable) -> Evidence {
        self.tables.push((source, table));
        self
    }

    /// Sets a scalar fact (e.g. [`FACT_PROGRAMME_COVERAGE`]).
    pub fn with_fact(mut self, id: impl Into<String>, value: Share) -> Evidence {
        self.facts.insert(id.into(), value);
        self
    }

    /// Says how a fact was computed, or why it could not be (shown with the criteria that
    /// read it).
    pub fn with_fact_note(mut self, id: impl Into<String>, note: impl Into<String>) -> Evidence {
        self.fact_notes.insert(id.into(), note.into());
        self
    }

    /// Says what the records behind `source` cover (buyer, years), so that a criterion whose
    /// year or buyer they miss says so.
    pub fn with_scope(mut self, source: Source, scope: Scope) -> Evidence {
        self.scopes.push((source, scope));
        self
    }

    /// What the records behind `source` cover, when said.
    pub fn scope(&self, source: Source) -> Option<&Scope> {
        self.scopes
            .iter()
            .find(|(s, _)| *s == source)
            .map(|(_, x)| x)
    }

    /// How a fact was computed, when said.
    pub fn fact_note(&self, id: &str) -> Option<&str> {
        self.fact_notes.get(id).map(String::as_str)
    }

    /// The first table of `source`.
    pub fn table(&self, source: Source) -> Option<&IndicatorTable> {
        self.tables
            .iter()
            .find(|(s, _)| *s == source)
            .map(|(_, t)| t)
    }

    /// A fact.
    pub fn fact(&self, id: &str) -> Option<Share> {
        self.facts.get(id).copied()
    }

    /// Whether there is no table, no fact and nothing said about the data.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.facts.is_empty()
            && self.scopes.is_empty()
            && self.fact_notes.is_empty()
    }
}
