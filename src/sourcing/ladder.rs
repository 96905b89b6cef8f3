//! The ladder: for each line, which social lever the market's capacity supports (full
//! reservation, reserved lot, insertion clause sized in hours, social award criterion, reverse
//! sourcing) and its environmental counterpart (label or specification, award criterion,
//! sourcing first), each with its legal basis and reason.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::law::context::{PurchaseContext, ReservedArticle};
use crate::levers::lever::{Applicable, Catalogue};
use crate::programme::model::{PlanLine, Programme};
use crate::sourcing::capacity::{Capacity, Figures, LineCapacity};
use crate::sourcing::options::{Level, SourcingOptions};
use crate::sourcing::status::{Status, StatusFamily};
use crate::sourcing::text;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// A rung of the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rung {
    /// Reserve the whole contract to structures of one status (L2113-12, L2113-13,
    /// L2113-13-1 or L2113-15).
    FullReservation,
    /// Divide the purchase into lots and reserve one or more of them.
    ReservedLot,
    /// An insertion clause (execution condition), sized in hours.
    InsertionClause,
    /// A social award criterion (professional integration).
    SocialCriterion,
    /// No inclusive structure found: publish the need to the structures before choosing a
    /// lever ("reverse sourcing").
    ReverseSourcing,
    /// Enough labelled suppliers: require the label (or equivalent) or the specification it
    /// backs.
    LabelRequirement,
    /// Few labelled suppliers: value environmental performance by an award criterion.
    EnvironmentalCriterion,
    /// No labelled supplier: consult the market first.
    SourcingFirst,
}

impl Rung {
    /// Every rung, social ones first.
    pub const ALL: [Rung; 8] = [
        Rung::FullReservation,
        Rung::ReservedLot,
        Rung::InsertionClause,
        Rung::SocialCriterion,
        Rung::ReverseSourcing,
        Rung::LabelRequirement,
        Rung::EnvironmentalCriterion,
        Rung::SourcingFirst,
    ];

    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rung::FullReservation => "full_reservation",
            Rung::ReservedLot => "reserved_lot",
            Rung::InsertionClause => "insertion_clause",
            Rung::SocialCriterion => "social_criterion",
            Rung::ReverseSourcing => "reverse_sourcing",
            Rung::LabelRequirement => "label_requirement",
            Rung::EnvironmentalCriterion => "environmental_criterion",
            Rung::SourcingFirst => "sourcing_first",
        }
    }

    /// The French title.
    pub fn title_fr(&self) -> &'static str {
        match self {
            Rung::FullReservation => "Réservation totale",
            Rung::ReservedLot => "Lot réservé",
            Rung::InsertionClause => "Clause sociale d'insertion",
            Rung::SocialCriterion => "Critère social d'attribution",
            Rung::ReverseSourcing => "Sourçage inversé",
            Rung::LabelRequirement => "Label ou spécification environnementale",
            Rung::EnvironmentalCriterion => "Critère environnemental d'attribution",
            Rung::SourcingFirst => "Sourçage préalable",
        }
    }

    /// The English title.
    pub fn title_en(&self) -> &'static str {
        match self {
            Rung::FullReservation => "Full reservation",
            Rung::ReservedLot => "Reserved lot",
            Rung::InsertionClause => "Insertion clause",
            Rung::SocialCriterion => "Social award criterion",
            Rung::ReverseSourcing => "Reverse sourcing",
            Rung::LabelRequirement => "Environmental label or specification",
            Rung::EnvironmentalCriterion => "Environmental award criterion",
            Rung::SourcingFirst => "Sourcing first",
        }
    }

    /// The dimension of the rung.
    pub fn dimension(&self) -> Dimension {
        match self {
            Rung::FullReservation
            | Rung::ReservedLot
            | Rung::InsertionClause
            | Rung::SocialCriterion
            | Rung::ReverseSourcing => Dimension::Social,
            _ => Dimension::Environmental,
        }
    }
}

impl fmt::Display for Rung {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recommendation for a line: the rung, the catalogue levers that carry it, its legal
/// basis, the capacity figures behind it and the reason in French and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recommendation {
    /// The rung reached.
    pub rung: Rung,
    /// Catalogue levers that carry it on this line (empty when none applies, e.g. reverse
    /// sourcing).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<String>,
    /// Legal basis.
    pub legal_basis: String,
    /// The level where the structures were counted.
    pub level: Level,
    /// The reservation article, for a full reservation or a reserved lot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// The label, for an environmental recommendation about one label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Status>,
    /// Suppliers behind the rung (eligible structures, inclusive structures or label
    /// holders).
    pub structures: usize,
    /// Their average turnover, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_turnover: Option<Amount>,
    /// The economic dependency, in percent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub dependency: Option<Decimal>,
    /// Insertion hours of the clause as the catalogue estimates them (exact).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub estimated_hours: Option<Decimal>,
    /// Insertion hours the structures in reach can absorb over the contract, when their
    /// insertion FTEs are known (exact).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub absorbable_hours: Option<Decimal>,
    /// Hours of the recommended clause: the estimate, bounded by what the market can absorb.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub clause_hours: Option<Decimal>,
    /// Why, in French.
    pub reason_fr: String,
    /// Why, in English.
    pub reason_en: String,
}

impl Recommendation {
    fn new(rung: Rung, level: Level, legal_basis: &str) -> Recommendation {
        Recommendation {
            rung,
            levers: Vec::new(),
            legal_basis: legal_basis.to_string(),
            level,
            article: None,
            label: None,
            structures: 0,
            mean_turnover: None,
            dependency: None,
            estimated_hours: None,
            absorbable_hours: None,
            clause_hours: None,
            reason_fr: String::new(),
            reason_en: String::new(),
        }
    }

    /// The reason in `lang`.
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.reason_en,
            _ => &self.reason_fr,
        }
    }
}

/// The recommendations of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineRecommendations {
    /// The line's id.
    pub line: String,
    /// The social rung reached.
    pub social: Recommendation,
    /// The environmental recommendations: one per label the catalogue can require on this
    /// line, or one general recommendation when none applies.
    pub environmental: Vec<Recommendation>,
}

/// The ladder's recommendations for every line of a programme, in programme order.
///
/// ```
/// use spaser::{Catalogue, Programme};
/// use spaser::sourcing::{Capacity, Directory, Recommendations, Rung, SourcingOptions, Thresholds};
/// let programme = Programme::sample();
/// // A buyer's own directory is small: lower the thresholds (Le Marché's defaults count a
/// // national platform).
/// let mut t = Thresholds::default();
/// (t.reservation_min, t.lot_min) = (3, 2);
/// let options = SourcingOptions::default().departement("49".parse()?).thresholds(t);
/// let capacity = Capacity::compute(programme, Directory::sample(), &options);
/// let recs = Recommendations::compute(programme, &capacity, Catalogue::embedded(), &options)?;
/// let greens = recs.line("S26-04").unwrap(); // green spaces: 4 ESAT in the département
/// assert_eq!(greens.social.rung, Rung::FullReservation);
/// assert_eq!(greens.social.article.as_deref(), Some("L2113-12"));
/// assert!(greens.social.reason_fr.contains("ESAT") || greens.social.reason_fr.contains("structures"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recommendations {
    /// One entry per line, in programme order.
    pub lines: Vec<LineRecommendations>,
}

impl Recommendations {
    /// Walks the ladder for every line.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] when `capacity` was not computed for `programme` (its
    /// lines differ); [`ErrorKind::Overflow`] when insertion hours overflow.
    pub fn compute(
        programme: &Programme,
        capacity: &Capacity,
        catalogue: &Catalogue,
        options: &SourcingOptions,
    ) -> Result<Recommendations> {
        check_same(programme, capacity)?;
        let mut lines = Vec::with_capacity(programme.lines.len());
        for (line, cap) in programme.lines.iter().zip(&capacity.lines) {
            let applicable = catalogue.applicable_line(line, programme.buyer.kind);
            let ctx = PurchaseContext::from_line(line, programme.buyer.kind, None);
            let mut social = social(line, cap, &applicable, &ctx, options)?;
            let mut environmental = environmental(cap, &applicable, options);
            // the French reasons are written with ordinary spaces: French typography here,
            // once for every rung
            for r in std::iter::once(&mut social).chain(environmental.iter_mut()) {
                r.reason_fr = text::french(&r.reason_fr);
            }
            lines.push(LineRecommendations {
                line: line.id.clone(),
                social,
                environmental,
            });
        }
        Ok(Recommendations { lines })
    }

    /// The recommendations of line `id`.
    pub fn line(&self, id: &str) -> Option<&LineRecommendations> {
        self.lines.iter().find(|l| l.line == id)
    }
}

pub(crate) fn check_same(programme: &Programme, capacity: &Capacity) -> Result<()> {
    let same = programme.lines.len() == capacity.lines.len()
        && programme
            .lines
            .iter()
            .zip(&capacity.lines)
            .all(|(l, c)| l.id == c.line);
    if same {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Inconsistent,
            "sourcing: the capacity was not computed for this programme (its lines differ)",
        ))
    }
}

/// The reservation article a lever stands for (from its legal reference).
pub(crate) fn article_of(reference: &str) -> Option<ReservedArticle> {
    reference
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .find_map(|t| {
            ReservedArticle::ALL
                .into_iter()
                .find(|a| a.as_str().eq_ignore_ascii_case(t))
        })
}

fn legal_basis_of(article: ReservedArticle) -> &'static str {
    match article {
        ReservedArticle::L2113_12 => "CCP L2113-12, R2113-7",
        ReservedArticle::L2113_13 => "CCP L2113-13, R2113-7",
        ReservedArticle::L2113_13_1 => "CCP L2113-13-1",
        _ => "CCP L2113-15",
    }
}

fn who(article: ReservedArticle, en: bool) -> &'static str {
    match (article, en) {
        (ReservedArticle::L2113_12, false) => "entreprises adaptées et ESAT",
        (ReservedArticle::L2113_12, true) => "adapted enterprises and ESAT",
        (ReservedArticle::L2113_13, false) => "structures d'insertion (SIAE)",
        (ReservedArticle::L2113_13, true) => "insertion structures (SIAE)",
        (ReservedArticle::L2113_13_1, false) => "opérateurs du travail en détention",
        (ReservedArticle::L2113_13_1, true) => "operators working inside prisons",
        (_, false) => "entreprises de l'ESS à mission de service public",
        (_, true) => "ESS enterprises with a public-service mission",
    }
}

/// The turnover and dependency sentence: `chiffre d'affaires moyen 1,2 M€ : un marché de
/// 300 000 € en représenterait 25 %`.
fn dependency_text(f: &Figures, amount: Amount, en: bool) -> String {
    match (f.mean_turnover, f.dependency) {
        (Some(mean), Some(dep)) => {
            let known = if f.with_turnover < f.count {
                if en {
                    format!(" (known for {} of {})", f.with_turnover, f.count)
                } else {
                    format!(" (connu pour {} sur {})", f.with_turnover, f.count)
                }
            } else {
                String::new()
            };
            if en {
                format!(
                    "average turnover {}{known}: a {} contract would be {} of it",
                    text::euros_short(mean, true),
                    text::euros(amount, true),
                    text::percent(dep, true)
                )
            } else {
                format!(
                    "chiffre d'affaires moyen {}{known} : un marché de {} en représenterait {}",
                    text::euros_short(mean, false),
                    text::euros(amount, false),
                    text::percent(dep, false)
                )
            }
        }
        _ => {
            if en {
                "turnover unknown: the dependency cannot be measured".to_string()
            } else {
                "chiffre d'affaires inconnu : la dépendance économique ne peut être mesurée"
                    .to_string()
            }
        }
    }
}

fn social(
    line: &PlanLine,
    cap: &LineCapacity,
    applicable: &[Applicable<'_>],
    ctx: &PurchaseContext,
    options: &SourcingOptions,
) -> Result<Recommendation> {
    let t = &options.thresholds;
    let reach = cap.in_reach();
    let level = reach.level;
    let place = |en| text::place(level, &cap.departements, &cap.regions, en);
    let amount = cap.basis_amount;

    // Reservation articles whose lever applies to the line, with their structures in reach.
    let mut best: Option<(ReservedArticle, &str, Figures)> = None;
    for a in applicable {
        if a.lever.instrument != Instrument::ReservedContract {
            continue;
        }
        let Some(article) = article_of(&a.lever.legal_reference) else {
            continue;
        };
        let f = reach.article(article);
        if best.as_ref().is_none_or(|(_, _, b)| f.count > b.count) {
            best = Some((article, a.lever.id.as_str(), f));
        }
    }
    if let Some((article, lever, f)) = &best {
        let below = f.dependency.is_some_and(|d| d < t.dependency_max);
        let rung = if f.count >= t.reservation_min && below {
            Some(Rung::FullReservation)
        } else if f.count >= t.lot_min {
            Some(Rung::ReservedLot)
        } else {
            None
        };
        if let Some(rung) = rung {
            let mut r = Recommendation::new(
                rung,
                level,
                if rung == Rung::FullReservation {
                    legal_basis_of(*article)
                } else {
                    ""
                },
            );
            if rung == Rung::ReservedLot {
                r.legal_basis = format!(
                    "CCP L2113-10, {}",
                    legal_basis_of(*article).trim_start_matches("CCP ")
                );
            }
            r.levers = vec![(*lever).to_string()];
            r.article = Some(article.as_str().to_string());
            r.structures = f.count;
            r.mean_turnover = f.mean_turnover;
            r.dependency = f.dependency;
            let max = text::percent(t.dependency_max, false);
            let max_en = text::percent(t.dependency_max, true);
            let dep_fr = dependency_text(f, amount, false);
            let dep_en = dependency_text(f, amount, true);
            if rung == Rung::FullReservation {
                r.reason_fr = format!(
                    "{} ({}, {}) {} ; {dep_fr}, sous le seuil de {max} : l'offre suffit pour réserver \
                     tout le marché si le besoin est homogène.",
                    text::count(
                        f.count,
                        "structure éligible",
                        "structures éligibles",
                        Lang::Fr
                    ),
                    who(*article, false),
                    article.as_str(),
                    place(false)
                );
                r.reason_en = format!(
                    "{} ({}, {}) {}; {dep_en}, below the {max_en} limit: the supply can take the \
                     whole contract if the need is homogeneous.",
                    text::count(
                        f.count,
                        "eligible structure",
                        "eligible structures",
                        Lang::En
                    ),
                    who(*article, true),
                    article.as_str(),
                    place(true)
                );
            } else {
                let (why_fr, why_en) = if f.count >= t.reservation_min {
                    (
                        format!("{dep_fr}, au-delà du seuil de {max}"),
                        format!("{dep_en}, above the {max_en} limit"),
                    )
                } else {
                    (
                        format!(
                            "moins de {} pour une réservation totale ; {dep_fr}",
                            t.reservation_min
                        ),
                        format!(
                            "fewer than {} for a full reservation; {dep_en}",
                            t.reservation_min
                        ),
                    )
                };
                r.reason_fr = format!(
                    "{} ({}, {}) {} ; {why_fr} : l'offre ne peut prendre tout le marché ; allotir et \
                     réserver un ou plusieurs lots.",
                    text::count(
                        f.count,
                        "structure éligible",
                        "structures éligibles",
                        Lang::Fr
                    ),
                    who(*article, false),
                    article.as_str(),
                    place(false)
                );
                r.reason_en = format!(
                    "{} ({}, {}) {}; {why_en}: the supply cannot take the whole contract; divide it \
                     into lots and reserve one or more of them.",
                    text::count(
                        f.count,
                        "eligible structure",
                        "eligible structures",
                        Lang::En
                    ),
                    who(*article, true),
                    article.as_str(),
                    place(true)
                );
            }
            return Ok(r);
        }
    }

    // Insertion clause, sized in hours and bounded by what the market can absorb.
    let inc = &reach.inclusive;
    let insertion = applicable.iter().find(|a| a.lever.insertion.is_some());
    if inc.count >= t.clause_min {
        if let Some(a) = insertion {
            let hours = a.lever.insertion_hours(ctx)?.unwrap_or(Decimal::ZERO);
            let years =
                Decimal::from(line.duration_months.unwrap_or(12).max(12)) / Decimal::from(12);
            let absorbable = (inc.with_fte > 0).then(|| {
                inc.insertion_fte * t.hours_per_fte * t.absorbable_share.as_decimal() * years
            });
            let fits = absorbable.is_none_or(|ab| ab >= hours);
            if fits || absorbable.is_some_and(|ab| ab > Decimal::ZERO) {
                let planned = absorbable.map_or(hours, |ab| ab.min(hours));
                let mut r =
                    Recommendation::new(Rung::InsertionClause, level, "CCP L2112-2, L2112-2-1");
                r.levers = vec![a.lever.id.clone()];
                r.structures = inc.count;
                r.mean_turnover = inc.mean_turnover;
                r.dependency = inc.dependency;
                r.estimated_hours = Some(hours);
                r.absorbable_hours = absorbable;
                r.clause_hours = Some(planned);
                // one structure: `elle peut`, `sa capacité`; several: `elles peuvent`, `leur`
                let (can_fr, can_en, their_fr, their_en) = if inc.count == 1 {
                    ("elle peut", "it can", "sa", "its")
                } else {
                    ("elles peuvent", "they can", "leur", "their")
                };
                let structures_fr = text::count(
                    inc.count,
                    "structure inclusive",
                    "structures inclusives",
                    Lang::Fr,
                );
                let structures_en = text::count(
                    inc.count,
                    "inclusive structure",
                    "inclusive structures",
                    Lang::En,
                );
                let (abs_fr, abs_en) = match absorbable {
                    None => (
                        "capacité d'absorption inconnue (ETP en insertion non renseignés)"
                            .to_string(),
                        "absorbable hours unknown (insertion FTEs not given)".to_string(),
                    ),
                    Some(ab) => (
                        format!(
                            "{can_fr} absorber environ {} ({} ETP en insertion connus × {}\u{202f}h × {} × {})",
                            text::hours(ab, false),
                            text::number(inc.insertion_fte, 1, false),
                            text::number(t.hours_per_fte, 0, false),
                            text::percent(
                                t.absorbable_share.as_decimal() * Decimal::from(100),
                                false
                            ),
                            text::years(years, false)
                        ),
                        format!(
                            "{can_en} absorb about {} ({} known insertion FTEs × {} h × {} × {})",
                            text::hours(ab, true),
                            text::number(inc.insertion_fte, 1, true),
                            text::number(t.hours_per_fte, 0, true),
                            text::percent(
                                t.absorbable_share.as_decimal() * Decimal::from(100),
                                true
                            ),
                            text::years(years, true)
                        ),
                    ),
                };
                if fits {
                    r.reason_fr = format!(
                        "{structures_fr} (insertion, handicap) {} ; la clause estimée à {} ({}) tient dans \
                         {their_fr} capacité : {abs_fr}.",
                        place(false),
                        text::hours(hours, false),
                        a.lever.id
                    );
                    r.reason_en = format!(
                        "{structures_en} (insertion, disability) {}; the clause estimated at {} ({}) fits \
                         {their_en} capacity: {abs_en}.",
                        place(true),
                        text::hours(hours, true),
                        a.lever.id
                    );
                } else {
                    r.reason_fr = format!(
                        "{structures_fr} (insertion, handicap) {} ; la clause estimée à {} ({}) dépasse \
                         {their_fr} capacité : {abs_fr} ; la clause est ramenée à {}.",
                        place(false),
                        text::hours(hours, false),
                        a.lever.id,
                        text::hours(planned, false)
                    );
                    r.reason_en = format!(
                        "{structures_en} (insertion, disability) {}; the clause estimated at {} ({}) \
                         exceeds {their_en} capacity: {abs_en}; the clause is sized down to {}.",
                        place(true),
                        text::hours(hours, true),
                        a.lever.id,
                        text::hours(planned, true)
                    );
                }
                return Ok(r);
            }
        }
    }

    // Social award criterion, or reverse sourcing.
    let social_award = |a: &&Applicable<'_>| {
        a.lever.instrument == Instrument::AwardCriterion && a.lever.dimension == Dimension::Social
    };
    // the insertion criterion first, else another social award criterion that applies
    let award = applicable
        .iter()
        .filter(social_award)
        .find(|a| a.lever.id == "soc-award-insertion")
        .or_else(|| applicable.iter().find(social_award));
    if inc.count >= t.criterion_min {
        let mut r = Recommendation::new(Rung::SocialCriterion, level, "CCP L2152-7, R2152-7");
        r.levers = award.map(|a| a.lever.id.clone()).into_iter().collect();
        r.structures = inc.count;
        r.mean_turnover = inc.mean_turnover;
        r.dependency = inc.dependency;
        let (why_fr, why_en) = if inc.count < t.clause_min {
            (
                format!("moins de {} pour une clause d'insertion", t.clause_min),
                format!("fewer than {} for an insertion clause", t.clause_min),
            )
        } else if insertion.is_none() {
            (
                "aucune clause d'insertion du catalogue ne s'applique à cet achat".to_string(),
                "no insertion clause of the catalogue applies to this purchase".to_string(),
            )
        } else {
            if inc.count == 1 {
                (
                    "ses ETP en insertion connus sont nuls : elle ne peut absorber d'heures d'insertion"
                        .to_string(),
                    "its known insertion FTEs are nil: it cannot absorb insertion hours".to_string(),
                )
            } else {
                (
                    "leurs ETP en insertion connus sont nuls : elles ne peuvent absorber d'heures \
                     d'insertion"
                        .to_string(),
                    "their known insertion FTEs are nil: they cannot absorb insertion hours"
                        .to_string(),
                )
            }
        };
        r.reason_fr = format!(
            "{} {} ({why_fr}) : un critère social d'attribution valorise l'insertion sans contraindre \
             l'exécution.",
            text::count(
                inc.count,
                "structure inclusive",
                "structures inclusives",
                Lang::Fr
            ),
            place(false)
        );
        r.reason_en = format!(
            "{} {} ({why_en}): a social award criterion rewards integration without constraining \
             performance.",
            text::count(
                inc.count,
                "inclusive structure",
                "inclusive structures",
                Lang::En
            ),
            place(true)
        );
        return Ok(r);
    }
    let mut r = Recommendation::new(Rung::ReverseSourcing, level, "CCP R2111-1");
    let cpv = cap.cpv.map(|c| c.to_string());
    match cpv {
        Some(c) => {
            r.reason_fr = format!(
                "Aucune structure inclusive {} ne correspond à cet achat (CPV {c}) : publier le besoin \
                 auprès des structures d'insertion et du handicap (sourçage inversé) avant de choisir un levier.",
                place(false)
            );
            r.reason_en = format!(
                "No inclusive structure {} matches this purchase (CPV {c}): publish the need to insertion \
                 and disability structures (reverse sourcing) before choosing a lever.",
                place(true)
            );
        }
        None => {
            r.reason_fr =
                "La ligne n'a pas de code CPV : aucun fournisseur ne peut lui être rapproché ; \
                           renseigner le CPV, puis sourcer."
                    .to_string();
            r.reason_en =
                "The line has no CPV code: no supplier can be matched with it; give its CPV, then \
                           source."
                    .to_string();
        }
    }
    Ok(r)
}

fn environmental(
    cap: &LineCapacity,
    applicable: &[Applicable<'_>],
    options: &SourcingOptions,
) -> Vec<Recommendation> {
    let t = &options.thresholds;
    let reach = cap.in_reach();
    let level = reach.level;
    let place = |en| text::place(level, &cap.departements, &cap.regions, en);
    let criterion: Vec<String> = applicable
        .iter()
        .filter(|a| {
            a.lever.instrument == Instrument::AwardCriterion
                && a.lever.dimension == Dimension::Environmental
                && a.lever.id == "env-award-criterion"
        })
        .map(|a| a.lever.id.clone())
        .collect();
    let mut out = Vec::new();
    for (status, ids) in &options.label_levers {
        let levers: Vec<String> = applicable
            .iter()
            .filter(|a| ids.contains(&a.lever.id))
            .map(|a| a.lever.id.clone())
            .collect();
        if levers.is_empty() {
            continue;
        }
        let f = reach.status(status);
        let (fr_label, en_label) = (status.label_fr(), status.label_en());
        let mut r;
        if f.count >= t.label_min {
            r = Recommendation::new(Rung::LabelRequirement, level, "CCP R2111-12, L2111-2");
            r.levers = levers;
            r.reason_fr = format!(
                "{} ({fr_label}) {} : exiger le label ou équivalent, ou la spécification qu'il garantit, \
                 laisse une concurrence suffisante.",
                text::count(
                    f.count,
                    "fournisseur titulaire",
                    "fournisseurs titulaires",
                    Lang::Fr
                ),
                place(false)
            );
            r.reason_en = format!(
                "{} ({en_label}) {}: requiring the label or equivalent, or the specification it \
                 certifies, leaves enough competition.",
                text::count(f.count, "supplier holds it", "suppliers hold it", Lang::En),
                place(true)
            );
        } else if f.count >= 1 {
            r = Recommendation::new(Rung::EnvironmentalCriterion, level, "CCP L2152-7, R2152-7");
            r.levers = criterion.clone();
            r.reason_fr = format!(
                "{} ({fr_label}) {}, moins de {} : valoriser la performance environnementale par un \
                 critère d'attribution plutôt qu'exiger le label.",
                text::count(
                    f.count,
                    "fournisseur titulaire",
                    "fournisseurs titulaires",
                    Lang::Fr
                ),
                place(false),
                t.label_min
            );
            r.reason_en = format!(
                "{} ({en_label}) {}, fewer than {}: reward environmental performance with an award \
                 criterion rather than requiring the label.",
                text::count(f.count, "supplier holds it", "suppliers hold it", Lang::En),
                place(true),
                t.label_min
            );
        } else {
            r = Recommendation::new(Rung::SourcingFirst, level, "CCP R2111-1");
            r.levers = criterion.clone();
            r.reason_fr = format!(
                "Aucun fournisseur titulaire ({fr_label}) {} : consulter le marché avant d'exiger le \
                 label ; à défaut, un critère environnemental d'attribution.",
                place(false)
            );
            r.reason_en = format!(
                "No supplier holds it ({en_label}) {}: consult the market before requiring the label; \
                 failing that, an environmental award criterion.",
                place(true)
            );
        }
        r.label = Some(status.clone());
        r.structures = f.count;
        out.push(r);
    }
    if out.is_empty() {
        let f = reach.family(StatusFamily::Environmental);
        let mut r;
        if f.count >= 1 {
            r = Recommendation::new(Rung::EnvironmentalCriterion, level, "CCP L2152-7, R2152-7");
            let (their_fr, their_en) = if f.count == 1 {
                ("sa", "its")
            } else {
                ("leur", "their")
            };
            r.reason_fr = format!(
                "Aucun label du catalogue ne s'applique à cet achat ; {} {} : un critère \
                 environnemental d'attribution valorise {their_fr} performance.",
                text::count(
                    f.count,
                    "fournisseur a un label environnemental",
                    "fournisseurs ont un label environnemental",
                    Lang::Fr
                ),
                place(false)
            );
            r.reason_en = format!(
                "No label of the catalogue applies to this purchase; {} {}: an environmental award \
                 criterion rewards {their_en} performance.",
                text::count(
                    f.count,
                    "supplier holds an environmental label",
                    "suppliers hold an environmental label",
                    Lang::En
                ),
                place(true)
            );
        } else {
            r = Recommendation::new(Rung::SourcingFirst, level, "CCP R2111-1");
            r.reason_fr = format!(
                "Aucun fournisseur disposant d'un label environnemental {} : consulter le marché pour \
                 fixer le critère et la clause environnementaux.",
                place(false)
            );
            r.reason_en = format!(
                "No supplier with an environmental label {}: consult the market to set the \
                 environmental criterion and clause.",
                place(true)
            );
        }
        r.levers = criterion;
        r.structures = f.count;
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reservation_articles_read_from_legal_references() {
        assert_eq!(
            article_of("CCP L2113-12, R2113-7"),
            Some(ReservedArticle::L2113_12)
        );
        assert_eq!(
            article_of("CCP L2113-13-1"),
            Some(ReservedArticle::L2113_13_1)
        );
        assert_eq!(
            article_of("CCP L2113-13, R2113-7"),
            Some(ReservedArticle::L2113_13)
        );
        assert_eq!(article_of("CCP L2152-7"), None);
    }
}
