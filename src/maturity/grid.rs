//! The maturity grid: themes → levels 1..=5 → criteria, its JSON format and its validation.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::rule::{Evaluation, Evidence, Rule, STANDARD_FACTS, Source};
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Indicator;
use crate::indicators::{GroupBy, IndicatorEngine, Purchase};
use std::collections::BTreeMap;

/// The number of levels of every theme (1 Foundation … 5 Lead).
pub const LEVELS: u8 = 5;

/// A text in French and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// French.
    pub fr: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its French and English versions.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            fr: fr.into(),
            en: en.into(),
        }
    }

    fn is_blank(&self) -> bool {
        self.fr.trim().is_empty() || self.en.trim().is_empty()
    }
}

/// One criterion of a level: something a purchasing function does, with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Identifier, unique in the grid (e.g. `gov.1.adopted`).
    pub id: String,
    /// What is expected.
    pub text: Text,
    /// Points earned when met (positive).
    #[serde(deserialize_with = "points")]
    pub points: u32,
    /// The evidence an assessor expects to see.
    pub evidence: Text,
    /// A rule that answers the criterion from indicator figures, when it can be measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
}

const POINTS_MESSAGE: &str = "points must be a positive integer";

/// Reads points as any JSON integer, so that a negative or fractional value gets a clear
/// message (with the line and column serde_json adds; [`Grid::from_json`] names the criterion).
fn points<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    use serde::de::Error as _;
    let v = serde_json::Number::deserialize(d)?;
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| D::Error::custom(format!("{POINTS_MESSAGE}, found {v}")))
}

/// The first criterion (in document order) whose `points` is a number that is not a `u32`:
/// its id and the value as written.
fn bad_points(text: &str) -> Option<(String, serde_json::Number)> {
    let root: serde_json::Value = serde_json::from_str(text).ok()?;
    let criteria = root
        .get("themes")?
        .as_array()?
        .iter()
        .filter_map(|t| t.get("levels")?.as_array())
        .flatten()
        .filter_map(|l| l.get("criteria")?.as_array())
        .flatten();
    for c in criteria {
        if let Some(serde_json::Value::Number(n)) = c.get("points") {
            if n.as_u64().and_then(|x| u32::try_from(x).ok()).is_none() {
                let id = c.get("id").and_then(|i| i.as_str()).unwrap_or("?");
                return Some((id.to_string(), n.clone()));
            }
        }
    }
    None
}

/// One level of a theme and its criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Level number, 1..=5.
    pub level: u8,
    /// Level name (e.g. "Foundation").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Criteria (at least one).
    pub criteria: Vec<Criterion>,
}

/// One theme of the grid (governance, programme, …) with its five levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Identifier, unique in the grid.
    pub id: String,
    /// Theme name.
    pub name: Text,
    /// Levels 1..=5, in order.
    pub levels: Vec<Level>,
}

impl Theme {
    /// The criteria of every level, with their level number, in level order.
    pub fn criteria(&self) -> impl Iterator<Item = (u8, &Criterion)> {
        self.levels
            .iter()
            .flat_map(|l| l.criteria.iter().map(move |c| (l.level, c)))
    }
}

/// A scalar fact a rule may compare, declared by a grid beside the standard ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDef {
    /// Identifier used by rules (`"fact": "…"`).
    pub id: String,
    /// What the fact measures.
    pub text: Text,
}

/// The unvalidated content of a grid, exactly as in its JSON format. Build a [`Grid`] from it
/// with [`Grid::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridData {
    /// Grid identifier (an assessment names the grid it answers).
    pub id: String,
    /// Grid name.
    pub name: Text,
    /// Version of the grid's content.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Indicators the grid's rules use beyond the standard ones ([`Indicator::standard`]),
    /// in the indicator engine's format.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    /// Scalar facts the grid's rules use beyond the standard ones (`programme_coverage`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactDef>,
    /// Themes.
    pub themes: Vec<Theme>,
}

/// A validated maturity grid: themes, each with levels 1..=5, each with criteria.
///
/// JSON format (see the [module documentation](crate::maturity) for every field):
///
/// ```
/// use spaser::maturity::Grid;
/// let grid = Grid::from_json(r#"{
///   "id": "mini", "name": {"fr": "Mini", "en": "Mini"},
///   "themes": [{"id": "gov", "name": {"fr": "Gouvernance", "en": "Governance"}, "levels": [
///     {"level": 1, "criteria": [{"id": "g1", "points": 2,
///        "text": {"fr": "Schéma adopté", "en": "Scheme adopted"},
///        "evidence": {"fr": "Délibération", "en": "Board decision"}}]},
///     {"level": 2, "criteria": [{"id": "g2", "points": 2,
///        "text": {"fr": "Schéma publié", "en": "Scheme published"},
///        "evidence": {"fr": "Lien", "en": "Link"}}]},
///     {"level": 3, "criteria": [{"id": "g3", "points": 3,
///        "text": {"fr": "30 % social", "en": "30 % social"},
///        "evidence": {"fr": "DECP", "en": "DECP"},
///        "rule": {"indicator": "social", "basis": "count", "year_offset": -1,
///                 "op": "ge", "threshold": "0.3"}}]},
///     {"level": 4, "criteria": [{"id": "g4", "points": 3,
///        "text": {"fr": "Bilan", "en": "Review"}, "evidence": {"fr": "Bilan", "en": "Review"}}]},
///     {"level": 5, "criteria": [{"id": "g5", "points": 4,
///        "text": {"fr": "Mutualisé", "en": "Pooled"}, "evidence": {"fr": "Convention", "en": "Agreement"}}]}
///   ]}]
/// }"#)?;
/// assert_eq!(grid.criterion("g3").map(|c| c.points), Some(3));
/// assert_eq!(grid.potential(), 14);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GridData", into = "GridData")]
pub struct Grid {
    data: GridData,
}

impl Grid {
    /// Validates `data` into a grid.
    ///
    /// # Errors
    /// Each error names the theme, level or criterion at fault:
    /// - [`ErrorKind::Duplicate`]: two themes, two criteria (anywhere in the grid), two
    ///   declared indicators or two declared facts share an id, or a level appears twice;
    /// - [`ErrorKind::Missing`]: a theme lacks one of the levels 1..=5, a level has no
    ///   criterion, the grid has no theme, or an id or text is empty;
    /// - [`ErrorKind::InvalidValue`]: a level number outside 1..=5 or out of order, a
    ///   criterion with zero points, a rule with an invalid year;
    /// - [`ErrorKind::Inconsistent`]: a rule referring to an unknown indicator or fact.
    pub fn new(data: GridData) -> Result<Grid> {
        validate(&data)?;
        Ok(Grid { data })
    }

    /// Parses and validates a grid in the JSON format.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the text is not JSON of the grid format (with line and column);
    /// otherwise the errors of [`Grid::new`].
    pub fn from_json(text: &str) -> Result<Grid> {
        let data: GridData = serde_json::from_str(text).map_err(|e| {
            // A bad `points` is named by its criterion (serde_json only knows the position).
            let named = e
                .to_string()
                .contains(POINTS_MESSAGE)
                .then(|| bad_points(text))
                .flatten()
                .map(|(id, v)| {
                    format!(
                        "criterion \"{id}\": {POINTS_MESSAGE}, found {v} (line {}, column {})",
                        e.line(),
                        e.column()
                    )
                });
            let msg = named.unwrap_or_else(|| e.to_string());
            Error::new(ErrorKind::Parse, format!("maturity grid: {msg}")).with_source(e)
        })?;
        Grid::new(data)
    }

    /// The embedded default grid "SPASER maturity" (7 themes × 5 levels), parsed once.
    ///
    /// ```
    /// let grid = spaser::maturity::Grid::spaser();
    /// assert_eq!(grid.id(), "spaser-maturity");
    /// assert!(grid.themes().len() >= 6);
    /// ```
    pub fn spaser() -> &'static Grid {
        static GRID: OnceLock<Grid> = OnceLock::new();
        GRID.get_or_init(|| match Grid::from_json(DEFAULT_GRID) {
            Ok(g) => g,
            // The embedded grid is validated by the test
            // `default_grid_validates_and_has_seven_themes_of_five_levels_of_three_to_five_criteria`; a failure
            // here is a build defect, not an input error.
            Err(e) => panic!("embedded maturity grid is invalid: {e}"),
        })
    }

    /// The grid's id.
    pub fn id(&self) -> &str {
        &self.data.id
    }

    /// The grid's name.
    pub fn name(&self) -> &Text {
        &self.data.name
    }

    /// The grid's version string (may be empty).
    pub fn version(&self) -> &str {
        &self.data.version
    }

    /// The themes, in the grid's order.
    pub fn themes(&self) -> &[Theme] {
        &self.data.themes
    }

    /// A theme by id.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.data.themes.iter().find(|t| t.id == id)
    }

    /// A criterion by id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.locate(id).map(|(_, _, c)| c)
    }

    /// A criterion by id, with its theme and level.
    pub fn locate(&self, id: &str) -> Option<(&Theme, u8, &Criterion)> {
        self.data.themes.iter().find_map(|t| {
            t.criteria()
                .find(|(_, c)| c.id == id)
                .map(|(l, c)| (t, l, c))
        })
    }

    /// Every indicator the grid's rules may use: the standard ones, then those the grid
    /// declares. Give them to an [`IndicatorEngine`] to build the
    /// tables of an [`Evidence`].
    pub fn indicators(&self) -> Vec<Indicator> {
        let mut v = Indicator::standard();
        v.extend(self.data.indicators.iter().cloned());
        v
    }

    /// The ids of every fact the grid's rules may use: the standard ones, then the declared ones.
    pub fn facts(&self) -> Vec<&str> {
        STANDARD_FACTS
            .iter()
            .copied()
            .chain(self.data.facts.iter().map(|f| f.id.as_str()))
            .collect()
    }

    /// The total points of the grid.
    pub fn potential(&self) -> u64 {
        self.data
            .themes
            .iter()
            .flat_map(|t| t.criteria())
            .map(|(_, c)| u64::from(c.points))
            .sum()
    }

    /// The validated content.
    pub fn data(&self) -> &GridData {
        &self.data
    }

    /// Serializes the grid to pretty JSON (its documented format).
    pub fn to_json(&self) -> String {
        // A grid holds only strings, integers and validated values: serialization cannot fail.
        serde_json::to_string_pretty(&self.data).unwrap_or_default()
    }
}

impl TryFrom<GridData> for Grid {
    type Error = Error;
    fn try_from(data: GridData) -> Result<Grid> {
        Grid::new(data)
    }
}

impl From<Grid> for GridData {
    fn from(g: Grid) -> GridData {
        g.data
    }
}

/// The embedded default grid.
pub(crate) const DEFAULT_GRID: &str = include_str!("../data/maturity_grid.json");

fn missing(msg: String) -> Error {
    Error::new(ErrorKind::Missing, msg)
}

fn validate(data: &GridData) -> Result<()> {
    if data.id.trim().is_empty() {
        return Err(missing("maturity grid: id is empty".into()));
    }
    if data.name.is_blank() {
        return Err(missing(format!(
            "maturity grid \"{}\": name is empty",
            data.id
        )));
    }
    if data.themes.is_empty() {
        return Err(missing(format!("maturity grid \"{}\": no theme", data.id)));
    }
    let mut indicator_ids: BTreeSet<String> =
        Indicator::standard().into_iter().map(|i| i.id).collect();
    for ind in &data.indicators {
        if ind.id.trim().is_empty() {
            return Err(missing(
                "maturity grid: a declared indicator has an empty id".into(),
            ));
        }
        if !indicator_ids.insert(ind.id.clone()) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!(
                    "maturity grid: indicator \"{}\" is declared twice (or shadows a standard indicator)",
                    ind.id
                ),
            ));
        }
    }
    let mut fact_ids: BTreeSet<&str> = STANDARD_FACTS.iter().copied().collect();
    for f in &data.facts {
        if f.id.trim().is_empty() {
            return Err(missing(
                "maturity grid: a declared fact has an empty id".into(),
            ));
        }
        if !fact_ids.insert(f.id.as_str()) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!(
                    "maturity grid: fact \"{}\" is declared twice (or shadows a standard fact)",
                    f.id
                ),
            ));
        }
    }
    let mut theme_ids = BTreeSet::new();
    let mut criterion_ids = BTreeSet::new();
    for theme in &data.themes {
        let tid = theme.id.as_str();
        if tid.trim().is_empty() {
            return Err(missing("maturity grid: a theme has an empty id".into()));
        }
        if !theme_ids.insert(tid) {
            return Err(Error::new(
                ErrorKind::Duplicate,
                format!("theme \"{tid}\" appears twice"),
            ));
        }
        if theme.name.is_blank() {
            return Err(missing(format!("theme \"{tid}\": name is empty")));
        }
        let mut seen = [false; LEVELS as usize];
        for level in &theme.levels {
            let n = level.level;
            if !(1..=LEVELS).contains(&n) {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!("theme \"{tid}\": level {n} is outside 1..={LEVELS}"),
                ));
            }
            if seen[usize::from(n - 1)] {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("theme \"{tid}\": level {n} appears twice"),
                ));
            }
            seen[usize::from(n - 1)] = true;
        }
        if let Some(n) = seen.iter().position(|s| !s) {
            return Err(missing(format!(
                "theme \"{tid}\": level {} is missing",
                n + 1
            )));
        }
        for (pos, level) in theme.levels.iter().enumerate() {
            let n = level.level;
            if usize::from(n) != pos + 1 {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "theme \"{tid}\": level {n} is listed in position {}; list levels 1..={LEVELS} in order",
                        pos + 1
                    ),
                ));
            }
            if level.criteria.is_empty() {
                return Err(missing(format!(
                    "theme \"{tid}\": level {n} has no criterion"
                )));
            }
            for c in &level.criteria {
                let cid = c.id.as_str();
                let at = format!("theme \"{tid}\", level {n}, criterion \"{cid}\"");
                if cid.trim().is_empty() {
                    return Err(missing(format!(
                        "theme \"{tid}\", level {n}: a criterion has an empty id"
                    )));
                }
                if !criterion_ids.insert(cid) {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!("{at}: id is already used by another criterion"),
                    ));
                }
                if c.points == 0 {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!("{at}: points must be positive, found 0"),
                    ));
                }
                if c.text.is_blank() {
                    return Err(missing(format!("{at}: text is empty")));
                }
                if c.evidence.is_blank() {
                    return Err(missing(format!("{at}: expected evidence is empty")));
                }
                if let Some(rule) = &c.rule {
                    rule.check(&indicator_ids, &fact_ids)
                        .map_err(|e| e.context(&at))?;
                }
            }
        }
    }
    Ok(())
}

impl Evidence {
    /// Computes a table from `purchases` with `grid`'s engine ([`Grid::engine`]) and adds it.
    pub fn with_purchases<'p>(
        self,
        source: Source,
        grid: &Grid,
        purchases: impl IntoIterator<Item = Purchase<'p>>,
    ) -> Evidence {
        let mut engine = grid.engine();
        engine.extend(purchases);
        self.with_table(source, engine.finish())
    }
}

impl Grid {
    /// An indicator engine computing every indicator of the grid ([`Grid::indicators`]) with
    /// every breakdown its rules read.
    pub fn engine(&self) -> IndicatorEngine {
        let mut engine = IndicatorEngine::new(self.indicators());
        for t in self.themes() {
            for (_, c) in t.criteria() {
                if let Some(r) = &c.rule {
                    if r.group_by != GroupBy::Total {
                        engine = engine.by(r.group_by);
                    }
                }
            }
        }
        engine
    }

    /// Evaluates every automatic criterion of the grid on `evidence` for an assessment of
    /// `reference_year`, by criterion id.
    pub fn evaluate(
        &self,
        evidence: &Evidence,
        reference_year: i32,
    ) -> BTreeMap<String, Evaluation> {
        self.themes()
            .iter()
            .flat_map(|t| t.criteria())
            .filter_map(|(_, c)| {
                c.rule
                    .as_ref()
                    .map(|r| (c.id.clone(), r.evaluate(evidence, reference_year)))
            })
            .collect()
    }
}
