//! SPASER targets: an indicator (dimension, instruments, scope) on a count or value basis, with
//! a share to reach each year.
//!
//! JSON format (shares and amounts are strings):
//!
//! ```json
//! {"targets": [{
//!   "id": "social-count", "label": "…", "dimension": "social",
//!   "instruments": ["execution_clause"], "goals": ["social.disadvantagedEmploymentOpportunities"],
//!   "levers": ["ins-works"], "basis": "count",
//!   "filter": {"cpv_prefixes": ["45"], "natures": ["works"], "services": ["Voirie"],
//!              "families": ["F1"], "agec_category": "Papier", "food": true, "min_amount": "40000"},
//!   "trajectory": {"2026": "0.20", "2027": "0.25"},
//!   "priority": "2",
//!   "source": "PNAD 2022-2025"
//! }]}
//! ```
//!
//! `instruments`, `goals`, `levers`, `filter`, `label`, `priority` and `source` are optional.
//! The priority (default 1, a positive decimal) weighs a point of the target's shortfall in
//! the plan's total shortfall. A trajectory may run over a SPASER's whole horizon: a year
//! without purchases in the target's scope reads "no purchase planned in scope", never met. A lever counts
//! towards a target when its dimension matches, and its instrument (when the target lists
//! instruments; an innovation award criterion counts only where `award_criterion` is listed: it
//! is not an innovative purchase), its goal (when the target lists goals: the lever's OCDS goal code equals one of
//! them or lies under it, e.g. `environmental.recycling` under `environmental`) and its id (when
//! the target lists levers) match. Considerations already planned on a line count towards
//! targets that list neither goals nor levers (their goal is unknown).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use rust_decimal::Decimal;

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, Indicator, PurchaseFilter};
use crate::law::rulebook::Rulebook;
use crate::levers::lever::{Catalogue, Lever};
use crate::programme::model::Programme;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// A SPASER target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TargetJson", into = "TargetJson")]
pub struct Target {
    /// Identifier (unique in a [`Targets`]).
    pub id: String,
    /// Label for the report.
    pub label: String,
    /// Dimension counted.
    pub dimension: Dimension,
    /// Instruments counted (all when empty).
    pub instruments: Vec<Instrument>,
    /// OCDS goal codes counted (all when empty).
    pub goals: Vec<String>,
    /// Lever ids counted (all when empty).
    pub levers: Vec<String>,
    /// Count or value basis.
    pub basis: Basis,
    /// Scope (the denominator).
    pub filter: PurchaseFilter,
    /// Share to reach, per calendar year.
    pub trajectory: BTreeMap<i32, Share>,
    /// Where the target comes from (law, plan, decision).
    pub source: String,
    /// Priority: the weight of one point of its shortfall in the plan's total shortfall
    /// (positive; default 1).
    pub priority: Decimal,
}

impl Target {
    /// The indicator the engine computes for this target.
    pub fn indicator(&self) -> Indicator {
        Indicator::new(self.id.clone(), self.dimension)
            .instruments(self.instruments.iter().copied())
            .filter(self.filter.clone())
    }

    /// Whether `lever` counts towards this target.
    pub fn counts(&self, lever: &Lever) -> bool {
        lever.dimension == self.dimension
            && crate::indicators::instrument_counts(
                self.dimension,
                &self.instruments,
                lever.instrument,
            )
            && (self.levers.is_empty() || self.levers.contains(&lever.id))
            && (self.goals.is_empty()
                || lever.goal.as_ref().is_some_and(|g| {
                    let g = g.to_string();
                    self.goals.iter().any(|t| {
                        g == *t || (g.starts_with(t.as_str()) && g[t.len()..].starts_with('.'))
                    })
                }))
    }

    /// Whether considerations already planned on a line (goal unknown) count towards it.
    pub fn counts_existing(&self) -> bool {
        self.goals.is_empty() && self.levers.is_empty()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterJson {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cpv_prefixes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    natures: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    services: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    families: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    buyers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    agec_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    food: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_amount: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetJson {
    id: String,
    #[serde(default)]
    label: String,
    dimension: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    instruments: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    goals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    levers: Vec<String>,
    basis: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter: Option<FilterJson>,
    trajectory: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<String>,
    #[serde(default)]
    source: String,
}

/// A short id from an English label: its first three words, lowercase, joined by `-`.
fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

fn field(id: &str, field: &str, msg: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("target \"{id}\", field \"{field}\": {msg}"),
    )
}

/// A trajectory year: a calendar year in 1990–2100 (a two-digit year says so).
fn trajectory_year(id: &str, y: &str) -> Result<i32> {
    use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR};
    let t = y.trim();
    let shown = crate::util::text::excerpt(t);
    let why = match t.parse::<i32>() {
        Ok(n) if (EARLIEST_YEAR..=LATEST_YEAR).contains(&n) => return Ok(n),
        Ok(n) if (0..100).contains(&n) && t.len() <= 2 => {
            format!("year \"{shown}\" has two digits: write the year in full (e.g. 2026)")
        }
        Ok(_) => format!("year \"{shown}\" is outside {EARLIEST_YEAR}-{LATEST_YEAR}"),
        Err(_) => format!("year \"{shown}\" is not a calendar year"),
    };
    Err(field(id, &format!("trajectory.{shown}"), why))
}

impl TryFrom<TargetJson> for Target {
    type Error = Error;
    fn try_from(j: TargetJson) -> Result<Target> {
        let id = j.id.trim().to_string();
        if id.is_empty() {
            return Err(field("", "id", "is empty"));
        }
        let dimension: Dimension = j
            .dimension
            .parse()
            .map_err(|e: Error| field(&id, "dimension", e))?;
        let instruments = j
            .instruments
            .iter()
            .map(|s| s.parse::<Instrument>())
            .collect::<Result<Vec<_>>>()
            .map_err(|e| field(&id, "instruments", e))?;
        for g in &j.goals {
            crate::vocabulary::codes::Goal::parse(g).map_err(|e| field(&id, "goals", e))?;
        }
        let basis = match j.basis.trim() {
            "count" => Basis::Count,
            "value" => Basis::Value,
            other => {
                return Err(field(
                    &id,
                    "basis",
                    format!("basis \"{other}\" is unknown; accepted: count, value"),
                ));
            }
        };
        let mut filter = PurchaseFilter::default();
        if let Some(f) = j.filter {
            for p in &f.cpv_prefixes {
                if p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(field(
                        &id,
                        "filter.cpv_prefixes",
                        format!("\"{p}\" is not a CPV prefix of 1 to 8 digits"),
                    ));
                }
            }
            filter.cpv_prefixes = f.cpv_prefixes;
            filter.natures = f
                .natures
                .iter()
                .map(|s| s.parse::<Nature>())
                .collect::<Result<Vec<_>>>()
                .map_err(|e| field(&id, "filter.natures", e))?;
            filter.services = f.services;
            filter.families = f.families;
            filter.buyers = f.buyers;
            filter.agec_category = f
                .agec_category
                .map(|s| s.parse::<AgecCategory>())
                .transpose()
                .map_err(|e| field(&id, "filter.agec_category", e))?;
            filter.food = f.food;
            filter.min_amount = f
                .min_amount
                .map(|s| Amount::parse_localized(&s))
                .transpose()
                .map_err(|e| field(&id, "filter.min_amount", e))?;
        }
        if j.trajectory.is_empty() {
            return Err(field(&id, "trajectory", "is empty"));
        }
        let mut trajectory = BTreeMap::new();
        for (y, v) in &j.trajectory {
            let year = trajectory_year(&id, y)?;
            let share = v
                .trim()
                .parse::<rust_decimal::Decimal>()
                .map_err(|_| {
                    field(
                        &id,
                        &format!("trajectory.{year}"),
                        format!("share \"{v}\" is not a decimal number"),
                    )
                })
                .and_then(|d| {
                    Share::new(d).map_err(|_| {
                        field(
                            &id,
                            &format!("trajectory.{year}"),
                            format!("share \"{v}\" is outside 0..=1"),
                        )
                    })
                })?;
            trajectory.insert(year, share);
        }
        let priority = match &j.priority {
            None => Decimal::ONE,
            Some(p) => p
                .trim()
                .parse::<Decimal>()
                .ok()
                .filter(|d| *d > Decimal::ZERO)
                .ok_or_else(|| {
                    field(
                        &id,
                        "priority",
                        format!(
                            "\"{}\" is not a positive decimal number",
                            crate::util::text::excerpt(p)
                        ),
                    )
                })?,
        };
        Ok(Target {
            priority,
            label: if j.label.trim().is_empty() {
                id.clone()
            } else {
                j.label
            },
            id,
            dimension,
            instruments,
            goals: j.goals,
            levers: j.levers,
            basis,
            filter,
            trajectory,
            source: j.source,
        })
    }
}

impl From<Target> for TargetJson {
    fn from(t: Target) -> TargetJson {
        let f = &t.filter;
        let filter = (!f.is_empty()).then(|| FilterJson {
            cpv_prefixes: f.cpv_prefixes.clone(),
            natures: f.natures.iter().map(|n| n.as_str().to_string()).collect(),
            services: f.services.clone(),
            families: f.families.clone(),
            buyers: f.buyers.clone(),
            agec_category: f.agec_category.map(|c| c.official().to_string()),
            food: f.food,
            min_amount: f.min_amount.map(|a| a.to_string()),
        });
        TargetJson {
            id: t.id,
            label: t.label,
            dimension: t.dimension.as_str().to_string(),
            instruments: t
                .instruments
                .iter()
                .map(|i| i.as_str().to_string())
                .collect(),
            goals: t.goals,
            levers: t.levers,
            basis: t.basis.to_string(),
            filter,
            trajectory: t
                .trajectory
                .iter()
                .map(|(y, s)| (y.to_string(), s.to_string()))
                .collect(),
            priority: (t.priority != Decimal::ONE).then(|| t.priority.normalize().to_string()),
            source: t.source,
        }
    }
}

/// A set of targets with unique ids.
///
/// ```
/// let json = r#"{"targets":[{"id":"social-count","dimension":"social","basis":"count",
///                "trajectory":{"2026":"0.20","2027":"0.25"}}]}"#;
/// let targets = spaser::Targets::from_json(json)?;
/// assert_eq!(targets.targets[0].trajectory[&2027].to_string(), "0.25");
/// let bad = r#"{"targets":[{"id":"t","dimension":"social","basis":"count","trajectory":{"2026":"1.5"}}]}"#;
/// let e = spaser::Targets::from_json(bad).unwrap_err();
/// assert!(e.to_string().contains("target \"t\", field \"trajectory.2026\""));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "TargetsJson", into = "TargetsJson")]
pub struct Targets {
    /// The targets, in the order given.
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsJson {
    targets: Vec<Target>,
}

impl TryFrom<TargetsJson> for Targets {
    type Error = Error;
    fn try_from(j: TargetsJson) -> Result<Targets> {
        Targets::new(j.targets)
    }
}

impl From<Targets> for TargetsJson {
    fn from(t: Targets) -> TargetsJson {
        TargetsJson { targets: t.targets }
    }
}

impl Targets {
    /// A set of targets.
    ///
    /// # Errors
    /// [`ErrorKind::Duplicate`] when two targets share an id.
    pub fn new(targets: Vec<Target>) -> Result<Targets> {
        let mut ids: Vec<&str> = targets.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        if let Some(w) = ids.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!("target \"{}\", field \"id\": listed twice", w[0]),
            ));
        }
        Ok(Targets { targets })
    }

    /// Reads the JSON format of the module documentation.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON; [`ErrorKind::InvalidValue`] naming the target
    /// and the field for a share outside 0..=1, an unknown dimension, instrument, basis,
    /// nature, goal or AGEC category, a bad CPV prefix or amount; [`ErrorKind::Duplicate`] for
    /// a repeated id.
    pub fn from_json(json: &str) -> Result<Targets> {
        serde_json::from_str(json)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("targets: {e}")))
    }

    /// The JSON form (deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid targets).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::new(ErrorKind::Parse, format!("targets: {e}")))
    }

    /// Checks the targets against a lever catalogue: every lever id a target counts must be in
    /// it (a target naming an unknown lever could never be reached, and would read "unmet, add
    /// a lever"). [`crate::Planner::plan`] runs this check.
    ///
    /// ```
    /// let json = r#"{"targets":[{"id":"insertion","dimension":"social","levers":["ins-work"],
    ///                "basis":"count","trajectory":{"2026":"0.2"}}]}"#;
    /// let targets = spaser::Targets::from_json(json)?;
    /// let e = targets.check_catalogue(spaser::Catalogue::embedded()).unwrap_err();
    /// assert!(e.to_string().contains("target \"insertion\", field \"levers\": lever \"ins-work\""));
    /// assert!(e.to_string().contains("closest: \"ins-works\""));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the target, the unknown lever id and the closest
    /// known ids.
    pub fn check_catalogue(&self, catalogue: &Catalogue) -> Result<()> {
        for t in &self.targets {
            for id in &t.levers {
                if catalogue.get(id).is_none() {
                    let near = crate::util::text::closest(
                        id,
                        catalogue.levers().iter().map(|l| l.id.as_str()),
                        3,
                    );
                    return Err(field(
                        &t.id,
                        "levers",
                        format!(
                            "lever \"{}\" is not in the catalogue (closest: {})",
                            crate::util::text::excerpt(id),
                            crate::util::text::quoted_list(&near)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks the targets against a programme, strictly: every trajectory year must have lines
    /// in the programme, and every filter must match at least one line. The planner does not
    /// require this (a year or scope without purchases reads "no purchase planned in scope");
    /// use it to catch a typo in a filter or a year.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the target and the field (`trajectory.<year>` or
    /// `filter`).
    pub fn check(&self, programme: &Programme) -> Result<()> {
        let years: std::collections::BTreeSet<i32> = programme
            .lines
            .iter()
            .map(|l| l.purchase().year())
            .collect();
        for t in &self.targets {
            for y in t.trajectory.keys() {
                if !years.contains(y) {
                    return Err(Error::new(
                        ErrorKind::Inconsistent,
                        format!(
                            "target \"{}\", field \"trajectory.{y}\": the programme has no line launched in {y}",
                            t.id
                        ),
                    ));
                }
            }
            if !programme
                .lines
                .iter()
                .any(|l| t.filter.matches(&l.purchase()))
            {
                return Err(Error::new(
                    ErrorKind::Inconsistent,
                    format!(
                        "target \"{}\", field \"filter\": no line of the programme matches",
                        t.id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The default targets for a programme, each citing its source, restricted to the
    /// programme's years and to the scopes it has lines in:
    /// - PNAD 2022–2025 (FACTS §3, V): `pnad-social` 30 % and `pnad-environmental` 100 % of
    ///   purchases by count. The plan ended in 2025 and no successor was found (`?`): the
    ///   2025 goals are carried over to later years as an overridable default.
    /// - AGEC art. 58, décret 2024-134 (FACTS §4): per product category, by value, the reuse
    ///   (`agec-reuse-…`) and recycled-content (`agec-recycled-…`) shares of the rulebook's
    ///   table, for the categories and years whose rate is known (unknown rates give no target,
    ///   never a zero).
    /// - EGalim, CRPM L230-5-1 (FACTS §5, V): food purchases by value, 50 % sustainable and
    ///   quality (`egalim-quality`, lever `egalim-quality`), of which 20 % organic
    ///   (`egalim-organic`): organic products are part of the 50 %, not on top.
    pub fn defaults_for(programme: &Programme, rulebook: &Rulebook) -> Targets {
        let purchases: Vec<_> = programme.lines.iter().map(|l| l.purchase()).collect();
        let years: std::collections::BTreeSet<i32> = purchases.iter().map(|p| p.year()).collect();
        // the AGEC category and food flag of each purchase, computed once
        let cpv_kinds: Vec<(Option<AgecCategory>, bool)> = purchases
            .iter()
            .map(|p| match p.cpv {
                Some(c) => (
                    AgecCategory::of_cpv(&c).map(|m| m.category),
                    crate::vocabulary::agec::FoodKind::of_cpv(&c).is_some(),
                ),
                None => (None, false),
            })
            .collect();
        let years_of = |f: &PurchaseFilter| -> Vec<i32> {
            let mut y: Vec<i32> = purchases
                .iter()
                .zip(&cpv_kinds)
                .filter(|(p, (agec, food))| {
                    f.agec_category.is_none_or(|c| *agec == Some(c))
                        && f.food.is_none_or(|x| x == *food)
                        && f.matches(p)
                })
                .map(|(p, _)| p.year())
                .collect();
            y.sort_unstable();
            y.dedup();
            y
        };
        let flat =
            |share: Share| -> BTreeMap<i32, Share> { years.iter().map(|&y| (y, share)).collect() };
        let pct = |n: i64| Share::new(rust_decimal::Decimal::new(n, 2)).unwrap_or(Share::ZERO);
        let mut out = vec![
            Target {
                id: "pnad-social".into(),
                label: "Purchases with at least one social consideration (PNAD)".into(),
                dimension: Dimension::Social,
                instruments: Vec::new(),
                goals: Vec::new(),
                levers: Vec::new(),
                basis: Basis::Count,
                filter: PurchaseFilter::default(),
                trajectory: flat(pct(30)),
                source: "PNAD 2022-2025: 30 % of contracts with a social consideration by 2025 (V); carried over after 2025 as a default (?)".into(),
                priority: Decimal::ONE,
            },
            Target {
                id: "pnad-environmental".into(),
                label: "Purchases with at least one environmental consideration (PNAD)".into(),
                dimension: Dimension::Environmental,
                instruments: Vec::new(),
                goals: Vec::new(),
                levers: Vec::new(),
                basis: Basis::Count,
                filter: PurchaseFilter::default(),
                trajectory: flat(pct(100)),
                source: "PNAD 2022-2025: 100 % of contracts with an environmental consideration by 2025 (V); carried over after 2025 as a default (?)".into(),
                priority: Decimal::ONE,
            },
        ];
        if let Some(table) = &rulebook.obligations.agec {
            for cat in AgecCategory::ALL {
                let filter = PurchaseFilter {
                    agec_category: Some(cat),
                    ..PurchaseFilter::default()
                };
                let ys = years_of(&filter);
                for (kind, goal) in [
                    ("reuse", "environmental.resourceReuse"),
                    ("recycled", "environmental.recycling"),
                ] {
                    let mut trajectory = BTreeMap::new();
                    let mut confidence = String::new();
                    for &y in &ys {
                        if let Some(rate) = table.rate(cat, y) {
                            let cell = if kind == "reuse" {
                                &rate.reuse
                            } else {
                                &rate.recycled
                            };
                            if let Some(r) = cell.rate {
                                trajectory.insert(y, r);
                                confidence = serde_json::to_string(&cell.confidence)
                                    .unwrap_or_default()
                                    .replace('"', "");
                            }
                        }
                    }
                    if trajectory.is_empty() {
                        continue;
                    }
                    out.push(Target {
                        id: format!("agec-{kind}-{}", slug(cat.label_en())),
                        label: format!("AGEC {kind} share: {}", cat.official()),
                        dimension: Dimension::Environmental,
                        instruments: Vec::new(),
                        goals: vec![goal.to_string()],
                        levers: Vec::new(),
                        basis: Basis::Value,
                        filter: filter.clone(),
                        trajectory,
                        source: if table.article.contains("2024-134") {
                            format!("{}, confidence {confidence}", table.article)
                        } else {
                            format!(
                                "{} (décret 2024-134), confidence {confidence}",
                                table.article
                            )
                        },
                        priority: Decimal::ONE,
                    });
                }
            }
        }
        let food = PurchaseFilter {
            food: Some(true),
            ..PurchaseFilter::default()
        };
        let food_years = years_of(&food);
        if !food_years.is_empty() {
            for (id, levers, share, label) in [
                (
                    // organic products are part of the 50 %, not on top (L230-5-1): the
                    // organic lever is part of the quality lever
                    "egalim-quality",
                    vec!["egalim-quality".to_string()],
                    pct(50),
                    "EGalim: sustainable and quality food, by value",
                ),
                (
                    "egalim-organic",
                    vec!["egalim-organic".to_string()],
                    pct(20),
                    "EGalim: organic food, by value",
                ),
            ] {
                out.push(Target {
                    id: id.into(),
                    label: label.into(),
                    dimension: Dimension::Environmental,
                    instruments: Vec::new(),
                    goals: Vec::new(),
                    levers,
                    basis: Basis::Value,
                    filter: food.clone(),
                    trajectory: food_years.iter().map(|&y| (y, share)).collect(),
                    source: "EGalim, CRPM L230-5-1 (V), from 2022-01-01".into(),
                    priority: Decimal::ONE,
                });
            }
        }
        Targets { targets: out }
    }
}
