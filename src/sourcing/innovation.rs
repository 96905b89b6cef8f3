//! Innovative purchases: per line, whether an innovative-purchase route applies and on what
//! basis — the R2122-9-1 exemption, the R2322-16 exemption of defence or security contracts,
//! the innovation partnership — with the code's definition and the young innovative companies
//! found by sourcing. Kept apart from innovation award criteria, which do not make a purchase
//! innovative.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::law::context::CriterionKind;
use crate::law::innovation::{InnovationRule, InnovationRules};
use crate::law::rulebook::Rulebook;
use crate::programme::estimate::Estimation;
use crate::programme::model::{PlanLine, Programme};
use crate::sourcing::capacity::{Capacity, LineCapacity};
use crate::sourcing::ladder::check_same;
use crate::sourcing::options::Level;
use crate::sourcing::status::Status;
use crate::sourcing::text;
use crate::values::confidence::Confidence;
use crate::values::money::Amount;

/// An innovative-purchase route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RouteKind {
    /// Award without publicity or competition below the threshold (CCP R2122-9-1; its second
    /// paragraph for lots).
    NoCompetition,
    /// The same for defence or security contracts, by their object (CCP R2322-16).
    DefenceNoCompetition,
    /// The innovation partnership (CCP L2172-3, R2172-20 to R2172-32).
    InnovationPartnership,
}

impl fmt::Display for RouteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteKind::NoCompetition => "no_competition",
            RouteKind::DefenceNoCompetition => "defence_no_competition",
            RouteKind::InnovationPartnership => "innovation_partnership",
        })
    }
}

/// Whether a route is open to a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RouteStatus {
    /// Open: the line is flagged innovative and its value is below the threshold.
    Available,
    /// Open if a condition the buyer must establish holds, with evidence from sourcing: young
    /// innovative companies match the line (their offers are innovative by law), or no
    /// supplier does (the innovation partnership).
    Conditional,
    /// Below the threshold, but the line is not declared innovative: open only if the purchase
    /// is innovative in the sense of L2172-3.
    NotDeclared,
    /// Closed (the value reaches the threshold).
    NotAvailable,
    /// No rule is known for the launch date: the crate does not guess.
    NoRule,
}

impl fmt::Display for RouteStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RouteStatus::Available => "available",
            RouteStatus::Conditional => "conditional",
            RouteStatus::NotDeclared => "not_declared",
            RouteStatus::NotAvailable => "not_available",
            RouteStatus::NoRule => "no_rule",
        })
    }
}

/// One route for one line, with its basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InnovationRoute {
    /// The route.
    pub kind: RouteKind,
    /// Whether it is open.
    pub status: RouteStatus,
    /// The article.
    pub article: String,
    /// The threshold compared with (strictly below), when the route has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Amount>,
    /// How firm the rule is.
    pub confidence: Confidence,
    /// Why, in French.
    pub reason_fr: String,
    /// Why, in English.
    pub reason_en: String,
}

/// The innovative-purchase assessment of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InnovationAssessment {
    /// The line's id.
    pub line: String,
    /// The innovative-purchase indicator: the line's flag, published in the DECP as
    /// `marcheInnovant`. Only this flag makes a purchase innovative in the indicators.
    pub innovative: bool,
    /// Whether an innovation award criterion is planned: it rewards innovative offers but
    /// neither makes the purchase innovative nor counts in the indicator above.
    pub innovation_criterion: bool,
    /// The value compared with the thresholds: the group value of the estimation when given
    /// (R2121-1 rules), else the line's amount.
    pub value: Amount,
    /// Young innovative companies (JEI) the directory matches with the line, nationally:
    /// what they offer is innovative by law (L2172-3).
    pub young_innovative_companies: usize,
    /// The routes worth showing (the partnership only where relevant).
    pub routes: Vec<InnovationRoute>,
}

impl InnovationAssessment {
    /// Whether some route is open, or conditionally open with evidence from sourcing.
    pub fn has_route(&self) -> bool {
        self.routes
            .iter()
            .any(|r| matches!(r.status, RouteStatus::Available | RouteStatus::Conditional))
    }
}

/// Assesses the innovative-purchase routes of every line.
///
/// ```
/// use spaser::{InnovationRules, Programme, Rulebook};
/// use spaser::sourcing::{innovation_routes, Capacity, Directory, RouteKind, RouteStatus, SourcingOptions};
/// let programme = Programme::sample();
/// let options = SourcingOptions::default().departement("49".parse()?);
/// let capacity = Capacity::compute(programme, Directory::sample(), &options);
/// let all = innovation_routes(programme, &capacity, None, Rulebook::embedded(), InnovationRules::embedded())?;
/// let sensors = all.iter().find(|a| a.line == "F26-10").unwrap(); // innovative, €85,000
/// assert!(sensors.innovative);
/// let r = &sensors.routes[0];
/// assert_eq!((r.kind, r.status, r.article.as_str()), (RouteKind::NoCompetition, RouteStatus::Available, "R2122-9-1"));
/// assert_eq!(sensors.young_innovative_companies, 1);
/// # Ok::<(), spaser::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::Inconsistent`](crate::ErrorKind::Inconsistent) when `capacity` was not
/// computed for `programme`.
pub fn innovation_routes(
    programme: &Programme,
    capacity: &Capacity,
    estimation: Option<&Estimation>,
    rulebook: &Rulebook,
    rules: &InnovationRules,
) -> Result<Vec<InnovationAssessment>> {
    check_same(programme, capacity)?;
    let mut out = Vec::with_capacity(programme.lines.len());
    for (line, cap) in programme.lines.iter().zip(&capacity.lines) {
        let value = estimation
            .and_then(|e| e.line(&line.id))
            .map_or(line.amount, |e| e.group_value);
        out.push(assess(line, cap, value, rulebook, rules));
    }
    Ok(out)
}

fn assess(
    line: &PlanLine,
    cap: &LineCapacity,
    value: Amount,
    rulebook: &Rulebook,
    rules: &InnovationRules,
) -> InnovationAssessment {
    let date = line.launch_date;
    let jei = cap
        .at(Level::National)
        .map_or(0, |l| l.status(&Status::Jei).count);
    let jei_rule = rules.in_force(InnovationRule::YoungInnovativeCompanies, date);
    let definition = rules.in_force(InnovationRule::Definition, date);
    let def_ref = definition.map_or("L2172-3", |d| d.article.as_str());
    let mut routes = Vec::new();

    // The condition text: innovative in the sense of the code, or offered by a JEI.
    let (cond_fr, cond_en) = match (jei, jei_rule) {
        (n, Some(r)) if n > 0 => {
            // `1 jeune entreprise innovante du répertoire correspond à cet achat ; ses offres…`
            let (jei_fr, jei_en) = if n == 1 {
                (
                    "jeune entreprise innovante du répertoire correspond à cet achat ; ses offres \
                     sont réputées",
                    "young innovative company in the directory matches this purchase; its offers \
                     are deemed",
                )
            } else {
                (
                    "jeunes entreprises innovantes du répertoire correspondent à cet achat ; leurs \
                     offres sont réputées",
                    "young innovative companies in the directory match this purchase; their offers \
                     are deemed",
                )
            };
            (
                format!(
                    "si l'achat est innovant au sens de {} — {n} {jei_fr} innovantes par la loi ({})",
                    text::article(def_ref, false),
                    text::article(&r.article, false)
                ),
                format!(
                    "if the purchase is innovative in the sense of {} — {n} {jei_en} innovative by \
                     law ({})",
                    text::article(def_ref, true),
                    text::article(&r.article, true)
                ),
            )
        }
        _ => (
            format!(
                "si l'achat est innovant au sens de {} (nouveau ou sensiblement amélioré)",
                text::article(def_ref, false)
            ),
            format!(
                "if the purchase is innovative in the sense of {} (new or significantly improved)",
                text::article(def_ref, true)
            ),
        ),
    };

    let (kind, threshold) = if line.defence_security {
        (
            RouteKind::DefenceNoCompetition,
            rulebook.defence_innovative_threshold(line.nature, date),
        )
    } else {
        (
            RouteKind::NoCompetition,
            rulebook.innovative_threshold(line.nature, date),
        )
    };
    let route = match threshold {
        Ok(t) => {
            let below = value < t.value;
            let lot_t = if kind == RouteKind::NoCompetition && line.lot.is_some() {
                rulebook.innovative_lot_threshold(line.nature, date).ok()
            } else {
                None
            };
            let lot_below = lot_t.is_some_and(|l| line.amount < l.value);
            let (status, article, thr) = if below {
                (open(line, jei), t.article.clone(), t.value)
            } else if let (true, Some(l)) = (lot_below, lot_t) {
                (open(line, jei), format!("{} al. 2", l.article), l.value)
            } else {
                (RouteStatus::NotAvailable, t.article.clone(), t.value)
            };
            let compared = if article.ends_with("al. 2") {
                line.amount
            } else {
                value
            };
            let (fr, en) = match status {
                RouteStatus::Available => (
                    format!(
                        "Achat déclaré innovant de {}, sous le seuil de {} ({article}) : il peut être passé \
                         sans publicité ni mise en concurrence préalables.",
                        text::euros(compared, false),
                        text::euros(thr, false)
                    ),
                    format!(
                        "A purchase declared innovative of {}, below the {} threshold ({article}): it may be \
                         awarded without prior publicity or competition.",
                        text::euros(compared, true),
                        text::euros(thr, true)
                    ),
                ),
                RouteStatus::Conditional | RouteStatus::NotDeclared => (
                    format!(
                        "{} sous le seuil de {} ({article}) : sans publicité ni mise en concurrence {cond_fr}.",
                        text::euros(compared, false),
                        text::euros(thr, false)
                    ),
                    format!(
                        "{} below the {} threshold ({article}): without publicity or competition {cond_en}.",
                        text::euros(compared, true),
                        text::euros(thr, true)
                    ),
                ),
                _ => (
                    format!(
                        "{} atteint le seuil de {} ({article}) : la dispense ne s'applique pas.",
                        text::euros(compared, false),
                        text::euros(thr, false)
                    ),
                    format!(
                        "{} reaches the {} threshold ({article}): the exemption does not apply.",
                        text::euros(compared, true),
                        text::euros(thr, true)
                    ),
                ),
            };
            InnovationRoute {
                kind,
                status,
                article,
                threshold: Some(thr),
                confidence: t.confidence,
                reason_fr: fr,
                reason_en: en,
            }
        }
        Err(_) => {
            let article = if kind == RouteKind::NoCompetition {
                "R2122-9-1"
            } else {
                "R2322-16"
            };
            InnovationRoute {
                kind,
                status: RouteStatus::NoRule,
                article: article.to_string(),
                threshold: None,
                confidence: Confidence::Unknown,
                reason_fr: format!(
                    "Aucun seuil {article} n'est connu au {date} : la crate ne devine pas un chiffre légal."
                ),
                reason_en: format!(
                    "No {article} threshold is known on {date}: the crate does not guess a legal figure."
                ),
            }
        }
    };
    let exemption_closed = route.status == RouteStatus::NotAvailable;
    routes.push(route);

    // The innovation partnership, where relevant: an innovative line the exemption does not
    // cover, a line no supplier of the directory matches, or one young innovative companies
    // offer.
    let none_found =
        cap.unmatched.is_none() && cap.at(Level::National).is_some_and(|l| l.all.count == 0);
    if let Some(p) = rules.in_force(InnovationRule::Partnership, date) {
        if (line.innovative && exemption_closed) || none_found || jei > 0 {
            let procedure = rules
                .in_force(InnovationRule::PartnershipProcedure, date)
                .map(|r| format!(", {}", r.article))
                .unwrap_or_default();
            let (why_fr, why_en) = if none_found {
                (
                    "aucun fournisseur du répertoire ne correspond à cet achat".to_string(),
                    "no supplier of the directory matches this purchase".to_string(),
                )
            } else if jei > 0 {
                (
                    text::count(
                        jei,
                        "jeune entreprise innovante y correspond",
                        "jeunes entreprises innovantes y correspondent",
                        crate::values::lang::Lang::Fr,
                    ),
                    text::count(
                        jei,
                        "young innovative company matches it",
                        "young innovative companies match it",
                        crate::values::lang::Lang::En,
                    ),
                )
            } else {
                (
                    "l'achat est déclaré innovant au-dessus du seuil de dispense".to_string(),
                    "the purchase is declared innovative above the exemption threshold".to_string(),
                )
            };
            routes.push(InnovationRoute {
                kind: RouteKind::InnovationPartnership,
                status: RouteStatus::Conditional,
                article: format!("{}{procedure}", p.article).replace(", R", "; R"),
                threshold: None,
                confidence: p.confidence,
                reason_fr: format!(
                    "{} : si le sourçage établit qu'aucune solution disponible sur le marché ne répond au \
                     besoin, le partenariat d'innovation permet de financer la recherche et le développement \
                     puis d'acquérir le résultat.",
                    capitalise(&why_fr)
                ),
                reason_en: format!(
                    "{}: if sourcing shows that no solution available on the market meets the need, the \
                     innovation partnership funds research and development and then buys the result.",
                    capitalise(&why_en)
                ),
            });
        }
    }
    // the French reasons are written with ordinary spaces: French typography here, once
    for r in &mut routes {
        r.reason_fr = text::french(&r.reason_fr);
    }
    InnovationAssessment {
        line: line.id.clone(),
        innovative: line.innovative,
        innovation_criterion: line
            .award_criteria
            .as_ref()
            .is_some_and(|c| c.iter().any(|k| k.kind == CriterionKind::Innovation)),
        value,
        young_innovative_companies: jei,
        routes,
    }
}

fn open(line: &PlanLine, jei: usize) -> RouteStatus {
    if line.innovative {
        RouteStatus::Available
    } else if jei > 0 {
        RouteStatus::Conditional
    } else {
        RouteStatus::NotDeclared
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
