//! Social and environmental considerations: dimension × instrument × goal.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::util::text::fold;
use crate::vocabulary::codes::{
    EnvironmentalImpact, Goal, InnovativeAcquisition, OcdsSustainability, ReservedProcurement,
    SocialObjective, StrategicProcurement, Strategy,
};
use crate::vocabulary::dimension::{Dimension, Instrument};

/// A sustainability consideration of a purchase: its dimension, its instrument and, optionally,
/// its goal (an OCDS sustainability goal code such as `environmental.circularEconomy`; an open
/// set kept as text).
///
/// ```
/// use spaser::{Consideration, Dimension, Instrument};
/// let c = Consideration::from_decp("Clause sociale")?.unwrap();
/// assert_eq!((c.dimension, c.instrument), (Dimension::Social, Instrument::ExecutionClause));
/// assert_eq!(c.to_decp(), Some("Clause sociale"));
/// assert!(Consideration::from_decp("Pas de considération sociale")?.is_none());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Consideration {
    /// Social, environmental or innovation.
    pub dimension: Dimension,
    /// How it enters the contract.
    pub instrument: Instrument,
    /// The OCDS sustainability goal code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
}

/// The DECP strings and the (dimension, instrument) they stand for.
const DECP_STRINGS: [(&str, Dimension, Instrument); 6] = [
    (
        "Clause sociale",
        Dimension::Social,
        Instrument::ExecutionClause,
    ),
    (
        "Critère social",
        Dimension::Social,
        Instrument::AwardCriterion,
    ),
    (
        "Marché réservé",
        Dimension::Social,
        Instrument::ReservedContract,
    ),
    (
        "Clause environnementale",
        Dimension::Environmental,
        Instrument::ExecutionClause,
    ),
    (
        "Critère environnemental",
        Dimension::Environmental,
        Instrument::AwardCriterion,
    ),
    (
        "Concession réservée",
        Dimension::Social,
        Instrument::ReservedContract,
    ),
];

impl Consideration {
    /// A consideration without a goal.
    pub fn new(dimension: Dimension, instrument: Instrument) -> Consideration {
        Consideration {
            dimension,
            instrument,
            goal: None,
        }
    }

    /// Reads a DECP consideration string (`considerationsSociales` /
    /// `considerationsEnvironnementales` of marchés and concessions). Tolerates case, `’` for `'`,
    /// missing accents and surrounding blanks. `"Pas de considération …"` gives `Ok(None)`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] for any other string, naming it and the accepted list.
    pub fn from_decp(text: &str) -> Result<Option<Consideration>> {
        let key = fold(text);
        if key.starts_with("pas de consideration") {
            return Ok(None);
        }
        for (s, d, i) in DECP_STRINGS {
            if fold(s) == key {
                return Ok(Some(Consideration::new(d, i)));
            }
        }
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "consideration \"{text}\" is not in the DECP list ({}, Pas de considération sociale, Pas de considération environnementale)",
                DECP_STRINGS.map(|(s, _, _)| s).join(", ")
            ),
        ))
    }

    /// The DECP string for a marché, if this consideration has one.
    pub fn to_decp(&self) -> Option<&'static str> {
        DECP_STRINGS[..5]
            .iter()
            .find(|(_, d, i)| *d == self.dimension && *i == self.instrument)
            .map(|(s, _, _)| *s)
    }

    /// The DECP string for a concession, if this consideration has one.
    pub fn to_decp_concession(&self) -> Option<&'static str> {
        match (self.dimension, self.instrument) {
            (Dimension::Social, Instrument::ReservedContract) => Some("Concession réservée"),
            _ => self.to_decp(),
        }
    }
}

/// The DECP string meaning "no consideration" of a dimension (`None` for innovation, which
/// DECP records in `marcheInnovant`).
pub fn decp_none(dimension: Dimension) -> Option<&'static str> {
    match dimension {
        Dimension::Social => Some("Pas de considération sociale"),
        Dimension::Environmental => Some("Pas de considération environnementale"),
        Dimension::Innovation => None,
    }
}

impl Consideration {
    /// Sets the goal (builder style).
    ///
    /// ```
    /// use spaser::{Consideration, Dimension, Goal, Instrument};
    /// let c = Consideration::new(Dimension::Environmental, Instrument::AwardCriterion)
    ///     .with_goal(Goal::parse("environmental.circularEconomy")?);
    /// assert_eq!(c.goal.as_deref(), Some("environmental.circularEconomy"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn with_goal(mut self, goal: Goal) -> Consideration {
        self.goal = Some(goal.into());
        self
    }

    /// The goal as a checked [`Goal`]: the recorded one, or the generic goal of the dimension.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the recorded goal text is not a goal code.
    pub fn goal_code(&self) -> Result<Goal> {
        match &self.goal {
            Some(g) => Goal::parse(g),
            None => Ok(Goal::of(self.dimension)),
        }
    }

    /// The eForms BT-06 (strategic procurement) code.
    pub fn eforms_strategic(&self) -> StrategicProcurement {
        StrategicProcurement::of(self.dimension)
    }

    /// The eForms detail code of the goal: BT-774 (environmental impact), BT-775 (social
    /// objective) or BT-776 (innovative acquisition) according to the dimension; `None` when
    /// the goal has no code in that list (e.g. a generic innovative purchase).
    pub fn eforms_detail(&self) -> Option<&'static str> {
        let goal = self.goal_code().ok()?;
        match self.dimension {
            Dimension::Environmental => EnvironmentalImpact::from_ocds(goal.as_str())
                .ok()
                .map(|c| c.code()),
            Dimension::Social => SocialObjective::from_ocds(goal.as_str())
                .ok()
                .map(|c| c.code()),
            Dimension::Innovation => InnovativeAcquisition::from_ocds(goal.as_str())
                .ok()
                .map(|c| c.code()),
        }
    }

    /// The eForms BT-71 code of a reserved contract: `res-pub-ser` when the goal is the generic
    /// `social` (how [`Consideration::from_eforms_reserved`] reads L2113-15), `res-ws`
    /// otherwise; `None` when not a reserved contract.
    pub fn eforms_reserved(&self) -> Option<ReservedProcurement> {
        (self.instrument == Instrument::ReservedContract).then_some(
            if self.goal.as_deref() == Some("social") {
                ReservedProcurement::ResPubSer
            } else {
                ReservedProcurement::ResWs
            },
        )
    }

    /// Reads eForms codes: BT-06 `strategic` (`none` gives `Ok(None)`), an optional detail code
    /// of BT-774 / BT-775 / BT-776 according to the BT-06 dimension, and the instrument
    /// (eForms records it elsewhere, e.g. in award criteria or performance terms).
    ///
    /// ```
    /// use spaser::{Consideration, Instrument};
    /// let c = Consideration::from_eforms("env-imp", Some("circ-econ"), Instrument::ExecutionClause)?
    ///     .unwrap();
    /// assert_eq!(c.goal.as_deref(), Some("environmental.circularEconomy"));
    /// assert_eq!(c.eforms_detail(), Some("circ-econ"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the code and the list it was expected in.
    pub fn from_eforms(
        strategic: &str,
        detail: Option<&str>,
        instrument: Instrument,
    ) -> Result<Option<Consideration>> {
        let bt06: StrategicProcurement = strategic.parse()?;
        let Some(dimension) = bt06.dimension() else {
            return Ok(None);
        };
        let goal = match detail {
            None => None,
            Some(d) => {
                let ocds = match dimension {
                    Dimension::Environmental => d.parse::<EnvironmentalImpact>()?.ocds(),
                    Dimension::Social => d.parse::<SocialObjective>()?.ocds(),
                    Dimension::Innovation => d.parse::<InnovativeAcquisition>()?.ocds(),
                };
                ocds.map(String::from)
            }
        };
        Ok(Some(Consideration {
            dimension,
            instrument,
            goal,
        }))
    }

    /// Reads an eForms BT-71 reserved-procurement code: `res-ws` gives a social reserved
    /// contract for the employment of disabled or disadvantaged persons (L2113-12, L2113-13),
    /// `res-pub-ser` one with the generic `social` goal (L2113-15), `none` gives `Ok(None)`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the code and the BT-71 list.
    pub fn from_eforms_reserved(code: &str) -> Result<Option<Consideration>> {
        let base = Consideration::new(Dimension::Social, Instrument::ReservedContract);
        Ok(match code.parse::<ReservedProcurement>()? {
            ReservedProcurement::ResWs => {
                Some(base.with_goal(Goal::parse("social.disadvantagedEmploymentOpportunities")?))
            }
            ReservedProcurement::ResPubSer => Some(base.with_goal(Goal::of(Dimension::Social))),
            ReservedProcurement::None => None,
        })
    }

    /// The OCDS `{goal, strategies}` of this consideration (the goal defaults to the generic
    /// goal of the dimension).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the recorded goal is not a goal code.
    pub fn to_ocds(&self) -> Result<OcdsSustainability> {
        Ok(OcdsSustainability {
            goal: Some(self.goal_code()?),
            strategies: Strategy::of(self.instrument).into_iter().collect(),
        })
    }

    /// The considerations of an OCDS `{goal, strategies}`: one per strategy that is an
    /// instrument of the crate. Margins of preference and GPP-criteria strategies carry no
    /// instrument and give no consideration.
    ///
    /// ```
    /// use spaser::{Consideration, Dimension, Instrument, OcdsSustainability};
    /// let o: OcdsSustainability = serde_json::from_str(
    ///     r#"{"goal":"environmental.circularEconomy","strategies":["awardCriteria","euGPPCriteria"]}"#)?;
    /// let cs = Consideration::from_ocds(&o)?;
    /// assert_eq!(cs.len(), 1);
    /// assert_eq!((cs[0].dimension, cs[0].instrument), (Dimension::Environmental, Instrument::AwardCriterion));
    /// assert_eq!(cs[0].to_ocds()?.goal, o.goal);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] when there is no goal; [`ErrorKind::InvalidValue`] when the goal
    /// belongs to no dimension of the crate (`economic`, `economic.localEconomyPromotion`,
    /// `none`).
    pub fn from_ocds(o: &OcdsSustainability) -> Result<Vec<Consideration>> {
        let goal = o.goal.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Missing, "OCDS sustainability object has no goal")
        })?;
        let dimension = goal.dimension().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "goal \"{goal}\" belongs to no dimension (social, environmental, innovation)"
                ),
            )
        })?;
        Ok(o.strategies
            .iter()
            .filter_map(|s| s.instrument())
            .map(|instrument| Consideration {
                dimension,
                instrument,
                goal: Some(goal.to_string()),
            })
            .collect())
    }

    /// French label, its adjective agreeing with the instrument's noun: `"critère d'attribution
    /// environnemental"`, `"condition d'exécution sociale"`, `"exigence d'un label
    /// environnemental"`.
    ///
    /// ```
    /// use spaser::{Consideration, Dimension, Instrument};
    /// let c = Consideration::new(Dimension::Social, Instrument::ExecutionClause);
    /// assert_eq!(c.label_fr(), "condition d'exécution sociale");
    /// ```
    pub fn label_fr(&self) -> String {
        use Dimension::{Environmental, Innovation, Social};
        use Instrument::{
            AwardCriterion, ExecutionClause, LabelRequirement, ReservedContract,
            SelectionCriterion, TechnicalSpecification,
        };
        let s = match (self.instrument, self.dimension) {
            (ExecutionClause, Social) => "condition d'exécution sociale",
            (ExecutionClause, Environmental) => "condition d'exécution environnementale",
            (ExecutionClause, Innovation) => "condition d'exécution relative à l'innovation",
            (AwardCriterion, Social) => "critère d'attribution social",
            (AwardCriterion, Environmental) => "critère d'attribution environnemental",
            (AwardCriterion, Innovation) => "critère d'attribution relatif à l'innovation",
            (TechnicalSpecification, Social) => "spécification technique sociale",
            (TechnicalSpecification, Environmental) => "spécification technique environnementale",
            (TechnicalSpecification, Innovation) => {
                "spécification technique relative à l'innovation"
            }
            (SelectionCriterion, Social) => "critère de sélection social",
            (SelectionCriterion, Environmental) => "critère de sélection environnemental",
            (SelectionCriterion, Innovation) => "critère de sélection relatif à l'innovation",
            (ReservedContract, Social) => "marché réservé",
            (ReservedContract, Environmental) => "marché réservé à visée environnementale",
            (ReservedContract, Innovation) => "marché réservé relatif à l'innovation",
            (LabelRequirement, Social) => "exigence d'un label social",
            (LabelRequirement, Environmental) => "exigence d'un label environnemental",
            (LabelRequirement, Innovation) => "exigence d'un label relatif à l'innovation",
        };
        s.to_string()
    }

    /// English label, e.g. `"environmental award criterion"`.
    pub fn label_en(&self) -> String {
        format!(
            "{} {}",
            self.dimension.label_en(),
            self.instrument.label_en()
        )
    }
}
