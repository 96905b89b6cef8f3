//! Official codelists of sustainable procurement: eForms business terms (BT-06, BT-71, BT-774,
//! BT-775, BT-776, BT-805), the OCDS sustainability extension (goals and strategies) and the
//! OCDS reserved-participation codes, each with French and English labels and the cross-walk
//! between eForms and OCDS (FACTS §13).
//!
//! Where the eForms → OCDS mapping tables spell an OCDS code differently from the OCDS
//! extension codelist (`social.humanRightsInSupplyChain`, `environmental.waterResources`,
//! `economic.processInnovation`, `economic.productInnovation`), the crate normalises to the
//! extension codelist and accepts both spellings on input.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::vocabulary::dimension::{Dimension, Instrument};

/// Generates a closed codelist enum: code, English and French labels, the OCDS code it maps
/// to, `FromStr` (trimmed, case-insensitive; the error names the code and the list),
/// `Display`, and serde as the code string.
macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $name:ident, $list:literal,
        { $( $var:ident = $code:literal, $ocds:expr, $en:literal, $fr:literal; )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( #[doc = $en] $var, )+
        }

        impl $name {
            /// Every code of the list, in the list's order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The name of the list (used in error messages).
            pub const LIST: &'static str = $list;

            /// The official code.
            pub fn code(&self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }

            /// English label.
            pub fn label_en(&self) -> &'static str {
                match self { $($name::$var => $en),+ }
            }

            /// French label.
            pub fn label_fr(&self) -> &'static str {
                match self { $($name::$var => $fr),+ }
            }

            /// The OCDS code this code maps to (normalised to the OCDS extension codelist),
            /// `None` when it has none.
            pub fn ocds(&self) -> Option<&'static str> {
                match self { $($name::$var => $ocds),+ }
            }

            /// The code mapped to an OCDS code (both spellings of the mapping tables accepted).
            ///
            /// # Errors
            /// [`ErrorKind::InvalidValue`] naming the code and the list when no code maps to it.
            pub fn from_ocds(code: &str) -> Result<$name> {
                let c = normalize_ocds(code.trim());
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.ocds() == Some(c))
                    .ok_or_else(|| unknown(code, concat!($list, " (OCDS mapping)"),
                        $name::ALL.iter().filter_map(|v| v.ocds())))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name> {
                let t = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(t))
                    .ok_or_else(|| unknown(s, $list, $name::ALL.iter().map(|v| v.code())))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<$name, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// The error for a code missing from a list: names the code, the list and its codes.
fn unknown<'a>(code: &str, list: &str, codes: impl Iterator<Item = &'a str>) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!(
            "code \"{code}\" is not in the {list} list (expected one of: {})",
            codes.collect::<Vec<_>>().join(", ")
        ),
    )
}

/// The OCDS spellings of the eForms mapping tables that differ from the extension codelist.
const OCDS_ALIASES: [(&str, &str); 4] = [
    (
        "social.humanRightsInSupplyChain",
        "social.humanRightsInSupplyChains",
    ),
    (
        "environmental.waterResources",
        "environmental.waterResourcesProtection",
    ),
    (
        "economic.processInnovation",
        "economic.processInnovationPromotion",
    ),
    (
        "economic.productInnovation",
        "economic.productInnovationPromotion",
    ),
];

/// Normalises an OCDS goal code to the spelling of the OCDS extension codelist.
fn normalize_ocds(code: &str) -> &str {
    OCDS_ALIASES
        .iter()
        .find(|(alias, _)| *alias == code)
        .map_or(code, |(_, canonical)| *canonical)
}

code_list! {
    /// eForms BT-06 "strategic procurement" (codelist `strategic-procurement`).
    ///
    /// ```
    /// use spaser::{Dimension, StrategicProcurement};
    /// let c: StrategicProcurement = "soc-obj".parse()?;
    /// assert_eq!(c.dimension(), Some(Dimension::Social));
    /// assert_eq!(c.ocds(), Some("social"));
    /// assert!("green".parse::<StrategicProcurement>().is_err());
    /// # Ok::<(), spaser::Error>(())
    /// ```
    StrategicProcurement, "eForms BT-06 strategic-procurement",
    {
        EnvImp = "env-imp", Some("environmental"), "Reduction of environmental impacts",
            "Réduction des incidences environnementales";
        InnPur = "inn-pur", Some("economic.innovativePurchase"), "Innovative purchase",
            "Achat innovant";
        None = "none", None, "None", "Aucun";
        SocObj = "soc-obj", Some("social"), "Fulfillment of social objectives",
            "Réalisation d'objectifs sociaux";
    }
}

impl StrategicProcurement {
    /// The dimension of the crate this code stands for (`None` for `none`).
    pub fn dimension(&self) -> Option<Dimension> {
        match self {
            StrategicProcurement::EnvImp => Some(Dimension::Environmental),
            StrategicProcurement::InnPur => Some(Dimension::Innovation),
            StrategicProcurement::SocObj => Some(Dimension::Social),
            StrategicProcurement::None => None,
        }
    }

    /// The BT-06 code of a dimension.
    pub fn of(dimension: Dimension) -> StrategicProcurement {
        match dimension {
            Dimension::Environmental => StrategicProcurement::EnvImp,
            Dimension::Social => StrategicProcurement::SocObj,
            Dimension::Innovation => StrategicProcurement::InnPur,
        }
    }
}

code_list! {
    /// eForms BT-774 "green procurement" environmental impact (codelist `environmental-impact`).
    ///
    /// ```
    /// use spaser::EnvironmentalImpact;
    /// let c: EnvironmentalImpact = "water-mar".parse()?;
    /// assert_eq!(c.ocds(), Some("environmental.waterResourcesProtection"));
    /// assert_eq!(EnvironmentalImpact::from_ocds("environmental.waterResources")?, c);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    EnvironmentalImpact, "eForms BT-774 environmental-impact",
    {
        BiodivEco = "biodiv-eco", Some("environmental.biodiversityProtectionRestoration"),
            "The protection and restoration of biodiversity and ecosystems",
            "Protection et restauration de la biodiversité et des écosystèmes";
        CircEcon = "circ-econ", Some("environmental.circularEconomy"),
            "The transition to a circular economy", "Transition vers une économie circulaire";
        ClimAdapt = "clim-adapt", Some("environmental.climateChangeAdaptation"),
            "Climate change adaptation", "Adaptation au changement climatique";
        ClimMitig = "clim-mitig", Some("environmental.climateChangeMitigation"),
            "Climate change mitigation", "Atténuation du changement climatique";
        Other = "other", Some("environmental"), "Other", "Autre";
        PolluPrev = "pollu-prev", Some("environmental.pollutionPrevention"),
            "Pollution prevention and control", "Prévention et réduction de la pollution";
        WaterMar = "water-mar", Some("environmental.waterResourcesProtection"),
            "The sustainable use and protection of water and marine resources",
            "Utilisation durable et protection des ressources aquatiques et marines";
    }
}

code_list! {
    /// eForms BT-775 social objective (codelist `social-objective`).
    ///
    /// ```
    /// use spaser::SocialObjective;
    /// let c: SocialObjective = "opp".parse()?;
    /// assert_eq!(c.ocds(), Some("social.disadvantagedEmploymentOpportunities"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    SocialObjective, "eForms BT-775 social-objective",
    {
        AccAll = "acc-all", Some("social.accessibility"), "Accessibility for all",
            "Accessibilité pour tous";
        EtEq = "et-eq", Some("social.ethnicEquality"), "Ethnic equality", "Égalité ethnique";
        GenEq = "gen-eq", Some("social.genderEquality"), "Gender equality",
            "Égalité entre les femmes et les hommes";
        HumRight = "hum-right", Some("social.humanRightsInSupplyChains"),
            "Human rights due to diligence in global supply chains",
            "Devoir de vigilance en matière de droits humains dans les chaînes d'approvisionnement";
        Opp = "opp", Some("social.disadvantagedEmploymentOpportunities"),
            "Employment opportunities for the long-term unemployed, disadvantaged and/or for persons with disabilities",
            "Emploi des chômeurs de longue durée, des personnes défavorisées ou handicapées";
        Other = "other", Some("social"), "Other", "Autre";
        WorkCond = "work-cond", Some("social.laborRightsPromotion"), "Fair working conditions",
            "Conditions de travail équitables";
    }
}

code_list! {
    /// eForms BT-776 innovative acquisition (codelist `innovative-acquisition`).
    ///
    /// ```
    /// use spaser::InnovativeAcquisition;
    /// assert_eq!("rd-act".parse::<InnovativeAcquisition>()?.ocds(),
    ///            Some("economic.researchDevelopmentActivities"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    InnovativeAcquisition, "eForms BT-776 innovative-acquisition",
    {
        MarNov = "mar-nov", Some("economic.marketInnovationPromotion"),
            "The procured works, supplies or services are novel or significantly improved compared to other works, supplies or services already on the market",
            "Les travaux, fournitures ou services achetés sont nouveaux ou sensiblement améliorés par rapport à ceux déjà sur le marché";
        ProcInnov = "proc-innov", Some("economic.processInnovationPromotion"),
            "The procured works, supplies or services entail process innovation",
            "Les travaux, fournitures ou services achetés comportent une innovation de procédé";
        ProdInnov = "prod-innov", Some("economic.productInnovationPromotion"),
            "The procured works, supplies or services entail product innovation",
            "Les travaux, fournitures ou services achetés comportent une innovation de produit";
        RdAct = "rd-act", Some("economic.researchDevelopmentActivities"),
            "The procured works, supplies or services involve research and development activities",
            "Les travaux, fournitures ou services achetés impliquent des activités de recherche et développement";
    }
}

code_list! {
    /// eForms BT-805 green procurement criteria (codelist `gpp-criteria`); the OCDS code is a
    /// sustainability strategy.
    ///
    /// ```
    /// use spaser::GppCriteria;
    /// assert_eq!("eu".parse::<GppCriteria>()?.ocds(), Some("euGPPCriteria"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    GppCriteria, "eForms BT-805 gpp-criteria",
    {
        Eu = "eu", Some("euGPPCriteria"), "EU GPP criteria", "Critères européens d'achats publics écologiques";
        National = "national", Some("nationalGPPCriteria"), "National GPP criteria",
            "Critères nationaux d'achats publics écologiques";
        Other = "other", Some("otherGPPCriteria"), "Other GPP criteria",
            "Autres critères d'achats publics écologiques";
        None = "none", None, "None", "Aucun";
    }
}

code_list! {
    /// eForms BT-71 reserved procurement (codelist `reserved-procurement`); the OCDS code is a
    /// `reservedParticipation` code.
    ///
    /// `res-ws` (sheltered workshops and operators integrating disabled or disadvantaged
    /// persons) covers CCP L2113-12, L2113-13 and L2113-13-1; `res-pub-ser` (organisations
    /// with a public-service mission) covers L2113-15.
    ///
    /// ```
    /// use spaser::ReservedProcurement;
    /// assert_eq!(ReservedProcurement::from_ocds("shelteredWorkshop")?, ReservedProcurement::ResWs);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ReservedProcurement, "eForms BT-71 reserved-procurement",
    {
        ResPubSer = "res-pub-ser", Some("publicServiceMissionOrganization"),
            "Participation is reserved to organisations pursuing a public service mission",
            "Marché réservé aux organisations poursuivant une mission de service public";
        ResWs = "res-ws", Some("shelteredWorkshop"),
            "Participation is reserved to sheltered workshops and economic operators aiming at the social and professional integration of disabled or disadvantaged persons",
            "Marché réservé aux structures employant des personnes handicapées ou défavorisées (EA, ESAT, SIAE)";
        None = "none", None, "None", "Aucun";
    }
}

code_list! {
    /// OCDS sustainability strategy (extension codelist `sustainabilityStrategy`); the OCDS
    /// code is the code itself.
    ///
    /// ```
    /// use spaser::{Instrument, Strategy};
    /// let s: Strategy = "contractPerformanceConditions".parse()?;
    /// assert_eq!(s.instrument(), Some(Instrument::ExecutionClause));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    Strategy, "OCDS sustainabilityStrategy",
    {
        AwardCriteria = "awardCriteria", Some("awardCriteria"), "Award criteria", "Critères d'attribution";
        ContractPerformanceConditions = "contractPerformanceConditions",
            Some("contractPerformanceConditions"), "Contract performance conditions",
            "Conditions d'exécution";
        MarginOfPreference = "marginOfPreference", Some("marginOfPreference"),
            "Margin of preference", "Marge de préférence";
        ReservedParticipation = "reservedParticipation", Some("reservedParticipation"),
            "Reserved participation", "Participation réservée";
        SelectionCriteria = "selectionCriteria", Some("selectionCriteria"), "Selection criteria",
            "Critères de sélection";
        TechnicalSpecifications = "technicalSpecifications", Some("technicalSpecifications"),
            "Technical specifications", "Spécifications techniques";
        EuGppCriteria = "euGPPCriteria", Some("euGPPCriteria"), "EU GPP criteria",
            "Critères européens d'achats publics écologiques";
        NationalGppCriteria = "nationalGPPCriteria", Some("nationalGPPCriteria"),
            "National GPP criteria", "Critères nationaux d'achats publics écologiques";
        OtherGppCriteria = "otherGPPCriteria", Some("otherGPPCriteria"), "Other GPP criteria",
            "Autres critères d'achats publics écologiques";
    }
}

impl Strategy {
    /// The instrument of the crate this strategy stands for; `None` for margins of preference
    /// and GPP-criteria strategies, which are not instruments.
    pub fn instrument(&self) -> Option<Instrument> {
        match self {
            Strategy::AwardCriteria => Some(Instrument::AwardCriterion),
            Strategy::ContractPerformanceConditions => Some(Instrument::ExecutionClause),
            Strategy::ReservedParticipation => Some(Instrument::ReservedContract),
            Strategy::SelectionCriteria => Some(Instrument::SelectionCriterion),
            Strategy::TechnicalSpecifications => Some(Instrument::TechnicalSpecification),
            Strategy::MarginOfPreference
            | Strategy::EuGppCriteria
            | Strategy::NationalGppCriteria
            | Strategy::OtherGppCriteria => None,
        }
    }

    /// The strategy of an instrument. A label requirement is a means of proof of technical
    /// specifications (R2111-12), so it maps to `technicalSpecifications`; `None` for an
    /// instrument OCDS has no strategy for.
    pub fn of(instrument: Instrument) -> Option<Strategy> {
        match instrument {
            Instrument::ExecutionClause => Some(Strategy::ContractPerformanceConditions),
            Instrument::AwardCriterion => Some(Strategy::AwardCriteria),
            Instrument::TechnicalSpecification | Instrument::LabelRequirement => {
                Some(Strategy::TechnicalSpecifications)
            }
            Instrument::SelectionCriterion => Some(Strategy::SelectionCriteria),
            Instrument::ReservedContract => Some(Strategy::ReservedParticipation),
        }
    }
}

/// The known OCDS sustainability goal codes: (code, English label, French label).
const GOALS: [(&str, &str, &str); 30] = [
    ("economic", "Economic", "Économique"),
    (
        "economic.formalEmploymentPromotion",
        "Formal employment promotion",
        "Promotion de l'emploi formel",
    ),
    (
        "economic.innovativePurchase",
        "Innovative purchase",
        "Achat innovant",
    ),
    (
        "economic.localEconomyPromotion",
        "Local economy promotion",
        "Promotion de l'économie locale",
    ),
    (
        "economic.marketInnovationPromotion",
        "Market innovation promotion",
        "Promotion de l'innovation sur le marché",
    ),
    (
        "economic.processInnovationPromotion",
        "Process innovation promotion",
        "Innovation de procédé",
    ),
    (
        "economic.productInnovationPromotion",
        "Product innovation promotion",
        "Innovation de produit",
    ),
    (
        "economic.researchDevelopmentActivities",
        "Research and development activities",
        "Activités de recherche et développement",
    ),
    ("environmental", "Environmental", "Environnemental"),
    (
        "environmental.biodiversityProtectionRestoration",
        "Biodiversity protection and restoration",
        "Protection et restauration de la biodiversité",
    ),
    (
        "environmental.carbonEmissionsReduction",
        "Carbon emissions reduction",
        "Réduction des émissions de carbone",
    ),
    (
        "environmental.circularEconomy",
        "Circular economy",
        "Économie circulaire",
    ),
    (
        "environmental.climateChangeAdaptation",
        "Climate change adaptation",
        "Adaptation au changement climatique",
    ),
    (
        "environmental.climateChangeMitigation",
        "Climate change mitigation",
        "Atténuation du changement climatique",
    ),
    (
        "environmental.energyEfficiency",
        "Energy efficiency",
        "Efficacité énergétique",
    ),
    (
        "environmental.pollutionPrevention",
        "Pollution prevention",
        "Prévention de la pollution",
    ),
    ("environmental.recycling", "Recycling", "Recyclage"),
    (
        "environmental.resourceReuse",
        "Resource reuse",
        "Réemploi et réutilisation des ressources",
    ),
    (
        "environmental.waterResourcesProtection",
        "Water resources protection",
        "Protection des ressources en eau",
    ),
    (
        "environmental.wasteReduction",
        "Waste reduction",
        "Réduction des déchets",
    ),
    ("social", "Social", "Social"),
    ("social.accessibility", "Accessibility", "Accessibilité"),
    (
        "social.disadvantagedEmploymentOpportunities",
        "Disadvantaged employment opportunities",
        "Emploi des personnes éloignées de l'emploi ou handicapées",
    ),
    (
        "social.ethnicEquality",
        "Ethnic equality",
        "Égalité ethnique",
    ),
    (
        "social.genderEquality",
        "Gender equality",
        "Égalité entre les femmes et les hommes",
    ),
    (
        "social.humanRightsInSupplyChains",
        "Human rights in supply chains",
        "Droits humains dans les chaînes d'approvisionnement",
    ),
    (
        "social.laborRightsPromotion",
        "Labor rights promotion",
        "Promotion des droits du travail",
    ),
    ("social.smeInclusion", "SME inclusion", "Accès des PME"),
    (
        "social.womenInclusion",
        "Women inclusion",
        "Accès des entreprises dirigées par des femmes",
    ),
    ("none", "None", "Aucun"),
];

/// An OCDS sustainability goal code (`environmental.circularEconomy`, `social`…): an open set.
///
/// The codes of the OCDS extension codelist are known and labelled; another code is accepted
/// when it is a dotted identifier under one of the top-level goals `economic`,
/// `environmental` or `social` (a codelist may grow), and reported by [`Goal::is_known`]. The
/// spellings of the eForms mapping tables are normalised to the extension codelist.
///
/// ```
/// use spaser::{Dimension, Goal};
/// let g = Goal::parse("environmental.waterResources")?;
/// assert_eq!(g.as_str(), "environmental.waterResourcesProtection");
/// assert_eq!(g.dimension(), Some(Dimension::Environmental));
/// assert_eq!(g.label_fr(), Some("Protection des ressources en eau"));
/// assert!(Goal::parse("climate.whatever").is_err());
/// assert!(Goal::known("social.newGoal").is_err());
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Goal(String);

impl Goal {
    /// Every known code (OCDS extension codelist, plus `none` of the eForms BT-06 mapping).
    pub fn all_known() -> impl Iterator<Item = &'static str> {
        GOALS.iter().map(|(c, _, _)| *c)
    }

    /// Parses a goal code of the open set (see the type's documentation).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] when the code is not a dotted identifier under `economic`,
    /// `environmental` or `social` (nor `none`), naming the code and the known list.
    pub fn parse(code: &str) -> Result<Goal> {
        let c = normalize_ocds(code.trim());
        if GOALS.iter().any(|(k, _, _)| *k == c) {
            return Ok(Goal(c.to_string()));
        }
        let mut parts = c.split('.');
        let top = parts.next().unwrap_or("");
        let ok = matches!(top, "economic" | "environmental" | "social")
            && parts.all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_alphanumeric()));
        if ok {
            Ok(Goal(c.to_string()))
        } else {
            Err(unknown(code, "OCDS sustainabilityGoal", Goal::all_known()))
        }
    }

    /// Parses a code of the known list only.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] naming the code and the list when it is not known.
    pub fn known(code: &str) -> Result<Goal> {
        let g = Goal::parse(code)
            .map_err(|_| unknown(code, "OCDS sustainabilityGoal", Goal::all_known()))?;
        if g.is_known() {
            Ok(g)
        } else {
            Err(unknown(code, "OCDS sustainabilityGoal", Goal::all_known()))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the code is in the known list.
    pub fn is_known(&self) -> bool {
        GOALS.iter().any(|(k, _, _)| *k == self.0)
    }

    /// English label of a known code.
    pub fn label_en(&self) -> Option<&'static str> {
        GOALS.iter().find(|(k, _, _)| *k == self.0).map(|g| g.1)
    }

    /// French label of a known code.
    pub fn label_fr(&self) -> Option<&'static str> {
        GOALS.iter().find(|(k, _, _)| *k == self.0).map(|g| g.2)
    }

    /// The dimension of the crate the goal belongs to: `environmental…` → environmental;
    /// `social…` and `economic.formalEmploymentPromotion` → social; innovation and R&D goals →
    /// innovation. `None` for `economic`, `economic.localEconomyPromotion` (local preference is
    /// unlawful in French public procurement and no lever pursues it) and `none`.
    pub fn dimension(&self) -> Option<Dimension> {
        let c = self.0.as_str();
        if c == "environmental" || c.starts_with("environmental.") {
            Some(Dimension::Environmental)
        } else if c == "social"
            || c.starts_with("social.")
            || c == "economic.formalEmploymentPromotion"
        {
            Some(Dimension::Social)
        } else if c.starts_with("economic.")
            && (c.contains("nnovation")
                || c.contains("nnovative")
                || c == "economic.researchDevelopmentActivities")
        {
            Some(Dimension::Innovation)
        } else {
            None
        }
    }

    /// The generic goal of a dimension (`social`, `environmental`,
    /// `economic.innovativePurchase`).
    pub fn of(dimension: Dimension) -> Goal {
        Goal(
            match dimension {
                Dimension::Social => "social",
                Dimension::Environmental => "environmental",
                Dimension::Innovation => "economic.innovativePurchase",
            }
            .to_string(),
        )
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Goal {
    type Err = Error;
    fn from_str(s: &str) -> Result<Goal> {
        Goal::parse(s)
    }
}

impl TryFrom<String> for Goal {
    type Error = Error;
    fn try_from(s: String) -> Result<Goal> {
        Goal::parse(&s)
    }
}

impl From<Goal> for String {
    fn from(g: Goal) -> String {
        g.0
    }
}

/// The OCDS sustainability object of a lot or tender: `{goal, strategies}` (official field
/// names).
///
/// ```
/// use spaser::OcdsSustainability;
/// let o: OcdsSustainability = serde_json::from_str(
///     r#"{"goal":"social.disadvantagedEmploymentOpportunities","strategies":["contractPerformanceConditions"]}"#)?;
/// assert_eq!(o.strategies.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OcdsSustainability {
    /// The goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
    /// The strategies pursuing it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategies: Vec<Strategy>,
}
