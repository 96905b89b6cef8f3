//! The dimension (social, environmental, innovation) and the instrument (clause, award
//! criterion, specification, reservation, label) of a consideration.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The dimension of a consideration.
///
/// ```
/// use spaser::Dimension;
/// assert_eq!("environmental".parse::<Dimension>()?, Dimension::Environmental);
/// assert_eq!("social".parse::<Dimension>()?.to_string(), "social");
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Dimension {
    /// Social and professional integration, disability, fair trade, working conditions…
    Social,
    /// Climate, energy, resources, circular economy, biodiversity…
    Environmental,
    /// Innovative purchases.
    Innovation,
}

impl Dimension {
    /// All dimensions, in order.
    pub const ALL: [Dimension; 3] = [
        Dimension::Social,
        Dimension::Environmental,
        Dimension::Innovation,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Dimension::Social => "social",
            Dimension::Environmental => "environmental",
            Dimension::Innovation => "innovation",
        }
    }

    /// English label.
    pub fn label_en(&self) -> &'static str {
        self.as_str()
    }

    /// French label, agreeing with *dimension* (feminine): `sociale`, `environnementale`,
    /// `innovation` (a noun in apposition: « dimension innovation »).
    pub fn label_fr(&self) -> &'static str {
        match self {
            Dimension::Social => "sociale",
            Dimension::Environmental => "environnementale",
            Dimension::Innovation => "innovation",
        }
    }

    /// A dense index (0, 1, 2) for tables.
    pub(crate) fn index(&self) -> usize {
        match self {
            Dimension::Social => 0,
            Dimension::Environmental => 1,
            Dimension::Innovation => 2,
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Dimension {
    type Err = Error;
    fn from_str(s: &str) -> Result<Dimension> {
        match s.trim().to_lowercase().as_str() {
            "social" | "sociale" => Ok(Dimension::Social),
            "environmental" | "environnemental" | "environnementale" | "environment" => {
                Ok(Dimension::Environmental)
            }
            "innovation" | "innovative" | "innovant" => Ok(Dimension::Innovation),
            _ => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "dimension \"{s}\" is unknown; accepted: social, environmental, innovation"
                ),
            )),
        }
    }
}

/// How a consideration enters a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Instrument {
    /// An execution condition (performance clause), e.g. insertion hours.
    ExecutionClause,
    /// A weighted award criterion.
    AwardCriterion,
    /// A requirement of the technical specifications.
    TechnicalSpecification,
    /// A selection criterion on candidates' capacities.
    SelectionCriterion,
    /// A contract reserved to sheltered, insertion or ESS structures (L2113-12 to L2113-15).
    ReservedContract,
    /// A label required as proof of characteristics (R2111-12).
    LabelRequirement,
}

impl Instrument {
    /// All instruments, in order.
    pub const ALL: [Instrument; 6] = [
        Instrument::ExecutionClause,
        Instrument::AwardCriterion,
        Instrument::TechnicalSpecification,
        Instrument::SelectionCriterion,
        Instrument::ReservedContract,
        Instrument::LabelRequirement,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Instrument::ExecutionClause => "execution_clause",
            Instrument::AwardCriterion => "award_criterion",
            Instrument::TechnicalSpecification => "technical_specification",
            Instrument::SelectionCriterion => "selection_criterion",
            Instrument::ReservedContract => "reserved_contract",
            Instrument::LabelRequirement => "label_requirement",
        }
    }

    /// French label.
    pub fn label_fr(&self) -> &'static str {
        match self {
            Instrument::ExecutionClause => "condition d'exécution (clause)",
            Instrument::AwardCriterion => "critère d'attribution",
            Instrument::TechnicalSpecification => "spécification technique",
            Instrument::SelectionCriterion => "critère de sélection",
            Instrument::ReservedContract => "marché réservé",
            Instrument::LabelRequirement => "exigence de label",
        }
    }

    /// English label.
    pub fn label_en(&self) -> &'static str {
        match self {
            Instrument::ExecutionClause => "execution clause",
            Instrument::AwardCriterion => "award criterion",
            Instrument::TechnicalSpecification => "technical specification",
            Instrument::SelectionCriterion => "selection criterion",
            Instrument::ReservedContract => "reserved contract",
            Instrument::LabelRequirement => "label requirement",
        }
    }
}

impl fmt::Display for Instrument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Instrument {
    type Err = Error;
    fn from_str(s: &str) -> Result<Instrument> {
        let t = s.trim();
        Instrument::ALL
            .into_iter()
            .find(|i| i.as_str() == t)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "instrument \"{s}\" is unknown; accepted: {}",
                        Instrument::ALL.map(|i| i.as_str()).join(", ")
                    ),
                )
            })
    }
}
