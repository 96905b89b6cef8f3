//! The content of the document as data: what every part says, before it is written in a
//! language and a format. Serialized as the JSON document (see the module documentation of
//! [`crate::document`]); the Markdown and HTML are written from it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::document::input::DocumentInput;
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Basis, STANDARD_ENVIRONMENTAL, STANDARD_INNOVATIVE, STANDARD_SOCIAL};
use crate::law::obligation_rules::{ArticleLevel, ObligationId};
use crate::law::obligations::{Finding, ObligationEngine, Status};
use crate::levers::lever::Catalogue;
use crate::levers::lever::round_up_hours;
use crate::plan::planner::{CoverageStatus, Plan, UnmetCause};
use crate::plan::targets::Target;
use crate::programme::calendar::Calendar;
use crate::programme::estimate::Procedure;
use crate::render::ctx::{Ctx, bilingual};
use crate::render::format::typography;
use crate::values::buyer_kind::{BuyerKind, BuyerStatus};
use crate::values::confidence::Confidence;
use crate::values::lang::Lang;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::share::Share;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::codes::Goal;
use crate::vocabulary::consideration::Consideration;
use crate::vocabulary::dimension::{Dimension, Instrument};

/// The contracts whose essential data (DECP) the buyer publishes: from €40,000 HT (R2196-1 and
/// the arrêtés of 2022-12-22, from 2024-01-01; unchanged by décret 2025-1386 — FACTS §12, V).
/// The rulebook does not hold it; the document cites it in its follow-up part.
pub(crate) const DECP_PUBLICATION_THRESHOLD: u32 = 40_000;

/// The whole document as data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Data {
    pub lang: Lang,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    pub buyer: BuyerData,
    pub period: PeriodData,
    pub spaser: SpaserData,
    pub obligations: Vec<ObligationData>,
    pub baseline: BaselineData,
    pub targets: Vec<TargetData>,
    pub projected: Vec<StandardYear>,
    pub actions: ActionsData,
    pub levers: BTreeMap<String, LeverData>,
    pub findings: Vec<FindingGroup>,
    pub sheets: Vec<SheetData>,
    pub method: MethodData,
    pub sources: Vec<SourceData>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BuyerData {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    pub kind: BuyerKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<BuyerStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub departement: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub expenditure: BTreeMap<i32, Amount>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct PeriodData {
    pub first_year: i32,
    pub last_year: i32,
}

/// Whether a SPASER is required, and on what basis.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SpaserData {
    /// `expenditure` (the legal test of D2111-3) or `programme_estimate` (an estimate only).
    pub basis: &'static str,
    /// `required`, `not_required`, `unknown`.
    pub verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Amount>,
    pub article: String,
    pub confidence: Confidence,
    /// The buyer's status is outside the rule's scope (or disputed).
    pub out_of_scope: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArticleDate {
    pub article: String,
    pub from: NaiveDate,
    pub level: ArticleLevel,
}

/// A contract-level obligation that applies to purchases of the period.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ObligationData {
    pub id: ObligationId,
    pub articles: Vec<ArticleDate>,
    pub confidence: Confidence,
    /// Purchases of the programme concerned (status other than not applicable).
    pub purchases: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StandardYear {
    pub year: i32,
    pub purchases: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_count: Option<Share>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub social_value: Option<Share>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environmental_count: Option<Share>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environmental_value: Option<Share>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub innovative_count: Option<Share>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ThemeData {
    pub id: String,
    pub name: String,
    pub level: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Share>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MaturityData {
    pub date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Share>,
    pub stars: u8,
    pub themes: Vec<ThemeData>,
}

/// The starting point.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BaselineData {
    /// Standard indicators of past years, measured on awarded contracts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actuals: Vec<StandardYear>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maturity: Option<MaturityData>,
    /// Purchases of the programme and those already carrying a social / environmental
    /// consideration before the plan.
    pub purchases: usize,
    pub with_social: usize,
    pub with_environmental: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetYear {
    pub year: i32,
    pub goal: Share,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected: Option<Share>,
    pub met: bool,
    #[serde(with = "rust_decimal::serde::str")]
    pub shortfall: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<UnmetCause>,
}

/// A target with its trajectory, in the document's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetData {
    pub id: String,
    pub label: String,
    pub indicator: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimension: Option<Dimension>,
    pub basis: Basis,
    pub years: Vec<TargetYear>,
    /// Shares realised in past years, when the actuals measure this indicator.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub realised: BTreeMap<i32, Share>,
}

/// Why a lever is on a purchase.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineLever {
    pub id: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
    /// The obligations it meets, with their article.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<(ObligationId, String)>,
    /// The targets it counts towards in the purchase's year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// The market's capacity behind it, with the figures (plans made with the sourcing
    /// layer's availability).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<String>,
}

/// A lever the market's capacity ruled out on a purchase (plans made with the sourcing
/// layer's availability).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuledOut {
    pub lever: String,
    pub label: String,
    /// Why, with the capacity figures, in the document's language.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineObligation {
    pub obligation: ObligationId,
    pub article: String,
    pub status: CoverageStatus,
}

/// One purchase of the programme, with its levers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineData {
    pub id: String,
    pub label: String,
    /// Family or works operation (the estimation's grouping key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub nature: Nature,
    pub amount: Amount,
    pub launch_date: NaiveDate,
    /// Latest launch for a renewal (the current contract's end minus the procedure's lead
    /// time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_by: Option<NaiveDate>,
    /// Latest start of sourcing.
    pub sourcing_by: NaiveDate,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub planned_too_late: bool,
    /// The document's date is after `sourcing_by` but not after the launch: sourcing should
    /// already have started.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sourcing_late: bool,
    /// The document's date is after the planned launch date.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub launch_past: bool,
    pub procedure: Procedure,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub innovative: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levers: Vec<LineLever>,
    /// Insertion hours of its levers, rounded up.
    #[serde(skip_serializing_if = "is_zero")]
    pub insertion_hours: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<LineObligation>,
    /// The levers the market's capacity ruled out on it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ruled_out: Vec<RuledOut>,
    #[serde(skip)]
    pub exact_hours: Decimal,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A family (or works operation) of the plan of actions.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FamilyData {
    /// Its key (`None`: purchases without family or operation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `family` or `operation`.
    pub kind: &'static str,
    /// Indices into `ActionsData::lines`.
    #[serde(skip)]
    pub lines: Vec<usize>,
    /// The line ids (JSON).
    pub line_ids: Vec<String>,
    /// Lever ids with the number of its purchases carrying each.
    pub levers: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActionsData {
    pub lines: Vec<LineData>,
    pub families: Vec<FamilyData>,
    pub purchases_with_levers: usize,
    pub insertion_hours: BTreeMap<i32, u64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity_hours: BTreeMap<i32, String>,
}

/// A lever the plan uses, in the document's language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LeverData {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dimension: Option<Dimension>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument: Option<Instrument>,
    /// "clause", "criterion", "specification"… in words.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
    pub legal_reference: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    pub purchases: usize,
}

/// One cause of repeated findings: an obligation in a status, over many purchases.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FindingGroup {
    pub obligation: ObligationId,
    pub article: String,
    pub status: CoverageStatus,
    pub purchases: usize,
    pub families: Vec<String>,
    pub services: Vec<String>,
    pub lines: Vec<String>,
}

/// A target-year and how many purchases count towards it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Contribution {
    pub target: String,
    pub year: i32,
    /// Purchases of the service carrying a lever that counts.
    pub service: usize,
    /// Purchases of the whole plan carrying one.
    pub total: usize,
}

/// A prescribing service's sheet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SheetData {
    /// The service (`None`: purchases without service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip)]
    pub lines: Vec<usize>,
    pub line_ids: Vec<String>,
    pub levers: usize,
    pub insertion_hours: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insertion_share: Option<Share>,
    pub contributions: Vec<Contribution>,
}

/// The optimiser's figures (annex only).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MethodData {
    pub total_effort_days: f64,
    pub objective: f64,
    pub lower_bound: f64,
    pub gap: f64,
    pub shortfall_weight: f64,
    /// Lexicographic (law, weighted shortfall, effort) or weighted (one mixed number).
    pub lexicographic: bool,
    /// Obligations a lever of the catalogue can meet: met (by a planned lever), out of.
    pub law_met: usize,
    pub law_to_meet: usize,
    /// Weighted shortfall (priority × points) and effort (person-days), each with its proven
    /// bound and relative gap when computed.
    pub shortfall: crate::plan::planner::ObjectivePart,
    pub effort: crate::plan::planner::ObjectivePart,
}

/// A legal figure the document relies on, with its source and confidence.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceData {
    /// What it is, in words.
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub article: String,
    /// In force (launch dates), e.g. `2026-04-01/..`.
    pub period: String,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The families, services and purchase ids a finding concerns.
type Concerned = (BTreeSet<String>, BTreeSet<String>, Vec<String>);

/// A sort key in French alphabetical order: accents and case folded.
fn fold(s: &str) -> String {
    crate::util::text::fold(s)
}

/// The family key of a line and its kind, as the estimation groups it (works: operation
/// first; supplies and services: family first).
fn family_of(l: &crate::programme::model::PlanLine) -> (Option<String>, &'static str) {
    let (first, second, k1, k2) = match l.nature {
        Nature::Works => (&l.operation, &l.family, "operation", "family"),
        _ => (&l.family, &l.operation, "family", "operation"),
    };
    match (first, second) {
        (Some(f), _) => (Some(f.clone()), k1),
        (None, Some(s)) => (Some(s.clone()), k2),
        (None, None) => (None, "family"),
    }
}

/// The French label of a target: the catalogue's `target.ID.label` when it has one, the AGEC
/// label of an AGEC category target, otherwise the label the target was given.
fn target_label(ctx: &Ctx<'_>, id: &str, label: &str, def: Option<&Target>) -> String {
    if let Some(t) = ctx.m.get(&format!("target.{id}.label"), ctx.lang) {
        return t.to_string();
    }
    if let Some(d) = def
        && let Some(cat) = d.filter.agec_category
    {
        let name = lower_first(ctx.pick(cat.label_fr(), cat.label_en()));
        if d.goals
            .iter()
            .any(|g| g.starts_with("environmental.resourceReuse"))
        {
            return ctx.f("target.agec_reuse.label", &[("category", &name)]);
        }
        if d.goals
            .iter()
            .any(|g| g.starts_with("environmental.recycling"))
        {
            return ctx.f("target.agec_recycled.label", &[("category", &name)]);
        }
    }
    if label.trim().is_empty() {
        id.to_string()
    } else {
        label.to_string()
    }
}

/// The source of a target: the catalogue's `target.ID.source`, the AGEC sentence with the
/// rates' confidence, or the target's own source.
fn target_source(ctx: &Ctx<'_>, id: &str, source: &str, def: Option<&Target>) -> String {
    if let Some(t) = ctx.m.get(&format!("target.{id}.source"), ctx.lang) {
        return t.to_string();
    }
    if def.is_some_and(|d| d.filter.agec_category.is_some()) {
        let conf = source
            .rsplit_once("confidence ")
            .map_or("?", |(_, c)| c.trim());
        return ctx.f("target.agec.source", &[("confidence", conf)]);
    }
    // a family of targets sharing its source (`egalim-quality`, `egalim-organic`)
    if let Some((prefix, _)) = id.split_once('-')
        && let Some(t) = ctx.m.get(&format!("target.{prefix}.source"), ctx.lang)
    {
        return t.to_string();
    }
    source.to_string()
}

/// The indicator of a target in words, from its definition.
fn target_indicator(ctx: &Ctx<'_>, def: &Target, levers: &BTreeMap<String, LeverData>) -> String {
    let mut scope = String::new();
    let f = &def.filter;
    if let Some(cat) = f.agec_category {
        scope.push_str(&ctx.f(
            "scope.agec",
            &[("category", ctx.pick(cat.label_fr(), cat.label_en()))],
        ));
    }
    if f.food == Some(true) {
        scope.push_str(&ctx.t("scope.food"));
    }
    if !f.natures.is_empty() {
        let n: Vec<String> = f
            .natures
            .iter()
            .map(|n| ctx.t(&format!("nature.{}", n.as_str())))
            .collect();
        scope.push_str(&ctx.f("scope.natures", &[("natures", &ctx.join(&n))]));
    }
    if !f.services.is_empty() {
        scope.push_str(&ctx.f("scope.services", &[("services", &ctx.join(&f.services))]));
    }
    if !f.families.is_empty() {
        scope.push_str(&ctx.f("scope.families", &[("families", &ctx.join(&f.families))]));
    }
    if !f.cpv_prefixes.is_empty() {
        scope.push_str(&ctx.f("scope.cpv", &[("prefixes", &ctx.join(&f.cpv_prefixes))]));
    }
    if let Some(a) = f.min_amount {
        scope.push_str(&ctx.f(
            "scope.min_amount",
            &[("amount", &ctx.euros(a.as_decimal()))],
        ));
    }
    let what = if !def.levers.is_empty() {
        let names: Vec<String> = def
            .levers
            .iter()
            .map(|id| {
                levers
                    .get(id)
                    .map_or_else(|| lever_label_any(ctx, id), |l| l.label.clone())
            })
            .collect();
        ctx.f("what.levers", &[("levers", &ctx.join(&names))])
    } else {
        let mut w = if def.instruments.is_empty() {
            ctx.t(&format!("what.dimension.{}", def.dimension.as_str()))
        } else {
            let names: Vec<String> = def
                .instruments
                .iter()
                .map(|&i| {
                    let c = Consideration::new(def.dimension, i);
                    ctx.pick(&c.label_fr(), &c.label_en()).to_string()
                })
                .collect();
            ctx.f("what.instruments", &[("instruments", &ctx.join(&names))])
        };
        if !def.goals.is_empty() {
            let g: Vec<String> = def
                .goals
                .iter()
                .map(|g| {
                    Goal::parse(g)
                        .ok()
                        .and_then(|g| match ctx.lang {
                            Lang::Fr => g.label_fr(),
                            Lang::En => g.label_en(),
                        })
                        .map_or_else(|| g.clone(), lower_first)
                })
                .collect();
            w.push_str(&ctx.f("what.goals", &[("goals", &ctx.join(&g))]));
        }
        w
    };
    ctx.f(
        match def.basis {
            Basis::Count => "target.indicator.count",
            Basis::Value => "target.indicator.value",
        },
        &[("scope", &scope), ("what", &what)],
    )
}

/// A label inside a sentence: its first letter in lower case (`Recyclage` → `recyclage`).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A lever's label from the embedded catalogue, or its id.
fn lever_label_any(ctx: &Ctx<'_>, id: &str) -> String {
    Catalogue::embedded().get(id).map_or_else(
        || id.to_string(),
        |l| typography(ctx.pick(&l.label_fr, &l.label_en), ctx.lang),
    )
}

/// The kind of a lever in words: its consideration's label.
fn lever_kind(
    ctx: &Ctx<'_>,
    dimension: Option<Dimension>,
    instrument: Option<Instrument>,
) -> String {
    match (dimension, instrument) {
        (Some(d), Some(i)) => {
            let c = Consideration::new(d, i);
            ctx.pick(&c.label_fr(), &c.label_en()).to_string()
        }
        _ => String::new(),
    }
}

/// Builds the document's content.
///
/// # Errors
/// [`ErrorKind::Inconsistent`] when the plan names a purchase the programme lacks; the errors
/// of the calendar.
pub(crate) fn build(plan: &Plan, input: &DocumentInput<'_>) -> Result<Data> {
    let ctx = Ctx {
        m: input.messages,
        lang: input.lang,
    };
    let programme = input.programme;
    let buyer = &programme.buyer;
    let rulebook = input.rulebook;

    // the purchases, with their levers, procedures and dates
    let estimation = programme.estimate(rulebook)?;
    let reference = input.date.unwrap_or_else(|| {
        programme
            .lines
            .iter()
            .map(|l| l.launch_date)
            .min()
            .unwrap_or_default()
    });
    let calendar = Calendar::new(programme, &estimation, &input.lead_times, reference)?;
    let index: HashMap<&str, usize> = programme
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut lines: Vec<LineData> = Vec::with_capacity(programme.lines.len());
    let sourcing = Months::new(input.lead_times.sourcing_months());
    for (i, l) in programme.lines.iter().enumerate() {
        let entry = calendar.entries.get(i);
        let launch_by = entry.and_then(|e| e.launch_by);
        let sourcing_by = entry
            .and_then(|e| e.sourcing_by)
            .or_else(|| l.launch_date.checked_sub_months(sourcing))
            .unwrap_or(l.launch_date);
        lines.push(LineData {
            id: l.id.clone(),
            label: l.label.clone(),
            family: family_of(l).0,
            service: l.service.clone(),
            nature: l.nature,
            amount: l.amount,
            launch_date: l.launch_date,
            launch_by,
            sourcing_by,
            planned_too_late: entry.is_some_and(|e| e.planned_too_late),
            sourcing_late: input
                .date
                .is_some_and(|d| d > sourcing_by && d <= launch_by.unwrap_or(l.launch_date)),
            launch_past: input.date.is_some_and(|d| d > l.launch_date),
            procedure: estimation.lines[i].procedure,
            innovative: l.innovative,
            levers: Vec::new(),
            insertion_hours: 0,
            obligations: Vec::new(),
            ruled_out: Vec::new(),
            exact_hours: Decimal::ZERO,
        });
    }
    let find = |id: &str| {
        index.get(id).copied().ok_or_else(|| {
            Error::new(
                ErrorKind::Inconsistent,
                format!(
                    "document: the plan's purchase \"{}\" is not in the programme",
                    crate::util::text::excerpt(id)
                ),
            )
        })
    };
    for c in &plan.obligations {
        let i = find(&c.line)?;
        lines[i].obligations.push(LineObligation {
            obligation: c.obligation,
            article: c.article.clone(),
            status: c.status,
        });
    }
    for a in &plan.assignments {
        let i = find(&a.line)?;
        let line = &mut lines[i];
        line.exact_hours = a.insertion_hours;
        line.insertion_hours = round_up_hours(a.insertion_hours);
        for (k, id) in a.levers.iter().enumerate() {
            let why = a.why.iter().find(|w| &w.lever == id).or(a.why.get(k));
            let capacity = why
                .and_then(|w| w.capacity.as_ref())
                .map(|v| ctx.lang.pick(&v.reason_fr, &v.reason).to_string());
            let (locked, obligations, targets) = match why {
                Some(w) => (
                    w.locked,
                    w.obligations
                        .iter()
                        .map(|o| {
                            let art = line
                                .obligations
                                .iter()
                                .find(|x| x.obligation == *o)
                                .map_or_else(String::new, |x| x.article.clone());
                            (*o, art)
                        })
                        .collect(),
                    w.targets.clone(),
                ),
                None => (false, Vec::new(), Vec::new()),
            };
            line.levers.push(LineLever {
                id: id.clone(),
                locked,
                obligations,
                targets,
                capacity,
            });
        }
    }
    for u in &plan.unavailable {
        let i = find(&u.line)?;
        let reason = if u.reason_fr.is_empty() {
            &u.reason
        } else {
            ctx.lang.pick(&u.reason_fr, &u.reason)
        };
        lines[i].ruled_out.push(RuledOut {
            lever: u.lever.clone(),
            label: plan.levers.get(&u.lever).map_or_else(
                || lever_label_any(&ctx, &u.lever),
                |n| typography(ctx.pick(&n.label_fr, &n.label), ctx.lang),
            ),
            reason: reason.to_string(),
        });
    }

    // the levers used
    let mut levers: BTreeMap<String, LeverData> = BTreeMap::new();
    for (id, n) in &plan.levers {
        let embedded = Catalogue::embedded().get(id);
        let wording = n
            .wording
            .as_ref()
            .or_else(|| embedded.and_then(|l| l.wording.as_ref()))
            .map(|w| w.get(ctx.lang).to_string());
        let dimension = n.dimension.or(embedded.map(|l| l.dimension));
        let instrument = n.instrument.or(embedded.map(|l| l.instrument));
        let evidence: &[String] = if n.evidence.is_empty() {
            embedded.map_or(&[], |l| &l.evidence)
        } else {
            &n.evidence
        };
        levers.insert(
            id.clone(),
            LeverData {
                label: typography(ctx.pick(&n.label_fr, &n.label), ctx.lang),
                dimension,
                instrument,
                kind: lever_kind(&ctx, dimension, instrument),
                wording,
                legal_reference: n.legal_reference.clone(),
                evidence: evidence
                    .iter()
                    .map(|e| typography(&bilingual(e, ctx.lang), ctx.lang))
                    .collect(),
                purchases: n.lines,
            },
        );
    }

    // period
    let years: BTreeSet<i32> = programme
        .lines
        .iter()
        .map(|l| l.launch_date.year())
        .collect();
    let period = PeriodData {
        first_year: years.first().copied().unwrap_or_default(),
        last_year: years.last().copied().unwrap_or_default(),
    };

    // families
    let mut by_family: BTreeMap<(bool, String, Option<String>), FamilyData> = BTreeMap::new();
    for (i, l) in programme.lines.iter().enumerate() {
        let (key, kind) = family_of(l);
        let folded = key.as_deref().map(fold).unwrap_or_default();
        let f = by_family
            .entry((key.is_none(), folded, key.clone()))
            .or_insert_with(|| FamilyData {
                key,
                kind,
                lines: Vec::new(),
                line_ids: Vec::new(),
                levers: BTreeMap::new(),
            });
        f.lines.push(i);
        f.line_ids.push(l.id.clone());
        for lv in &lines[i].levers {
            *f.levers.entry(lv.id.clone()).or_default() += 1;
        }
    }
    let families: Vec<FamilyData> = by_family.into_values().collect();

    // grouped findings: every obligation in a status that needs attention
    let mut groups: BTreeMap<(ObligationId, String, CoverageStatus), Concerned> = BTreeMap::new();
    for l in &lines {
        for o in &l.obligations {
            if matches!(
                o.status,
                CoverageStatus::Met | CoverageStatus::NotApplicable
            ) {
                continue;
            }
            let g = groups
                .entry((o.obligation, o.article.clone(), o.status))
                .or_default();
            if let Some(f) = &l.family {
                g.0.insert(f.clone());
            }
            if let Some(s) = &l.service {
                g.1.insert(s.clone());
            }
            g.2.push(l.id.clone());
        }
    }
    let findings = groups
        .into_iter()
        .map(
            |((obligation, article, status), (fam, ser, ids))| FindingGroup {
                obligation,
                article,
                status,
                purchases: ids.len(),
                families: fam.into_iter().collect(),
                services: ser.into_iter().collect(),
                lines: ids,
            },
        )
        .collect();

    // targets
    let defs: HashMap<&str, &Target> = plan
        .target_definitions
        .iter()
        .map(|t| (t.id.as_str(), t))
        .collect();
    let mut targets: Vec<TargetData> = Vec::new();
    for r in &plan.targets {
        let pos = match targets.iter().position(|t| t.id == r.id) {
            Some(p) => p,
            None => {
                let def = defs.get(r.id.as_str()).copied();
                targets.push(TargetData {
                    id: r.id.clone(),
                    label: target_label(&ctx, &r.id, &r.label, def),
                    indicator: def.map_or_else(String::new, |d| target_indicator(&ctx, d, &levers)),
                    source: target_source(&ctx, &r.id, &r.source, def),
                    dimension: def.map(|d| d.dimension),
                    basis: r.basis,
                    years: Vec::new(),
                    realised: realised(input, def, &r.id, r.basis),
                });
                targets.len() - 1
            }
        };
        let cause = plan
            .unmet
            .iter()
            .find(|u| u.id == r.id && u.year == r.year)
            .map(|u| u.cause);
        targets[pos].years.push(TargetYear {
            year: r.year,
            goal: r.goal,
            projected: r.projected,
            met: r.met,
            shortfall: r.shortfall,
            cause,
        });
    }

    // projected standard indicators
    let standard = |table: &crate::indicators::IndicatorTable| -> Vec<StandardYear> {
        table
            .years()
            .into_iter()
            .map(|y| {
                let s = table.total(STANDARD_SOCIAL, y);
                let e = table.total(STANDARD_ENVIRONMENTAL, y);
                let i = table.total(STANDARD_INNOVATIVE, y);
                StandardYear {
                    year: y,
                    purchases: s.or(e).map_or(0, |m| m.purchases),
                    social_count: s.and_then(|m| m.count_share()),
                    social_value: s.and_then(|m| m.value_share()),
                    environmental_count: e.and_then(|m| m.count_share()),
                    environmental_value: e.and_then(|m| m.value_share()),
                    innovative_count: i.and_then(|m| m.count_share()),
                }
            })
            .collect()
    };
    let projected = standard(&plan.projected);

    // the starting point
    let baseline = BaselineData {
        actuals: input.actuals.map(standard).unwrap_or_default(),
        maturity: input.scorecard.map(|c| MaturityData {
            date: c.date,
            score: c.score,
            stars: c.stars,
            themes: c
                .themes
                .iter()
                .map(|t| ThemeData {
                    id: t.id.clone(),
                    name: ctx.pick(&t.name.fr, &t.name.en).to_string(),
                    level: t.level,
                    score: t.score,
                })
                .collect(),
        }),
        purchases: programme.lines.len(),
        with_social: programme
            .lines
            .iter()
            .filter(|l| l.considerations.contains(&Dimension::Social))
            .count(),
        with_environmental: programme
            .lines
            .iter()
            .filter(|l| l.considerations.contains(&Dimension::Environmental))
            .count(),
    };

    // sheets, one per prescribing service
    let total_hours: Decimal = lines.iter().map(|l| l.exact_hours).sum();
    // services in French alphabetical order (accents folded), purchases without service last
    let mut by_service: BTreeMap<(bool, String, Option<String>), Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        let folded = l.service.as_deref().map(fold).unwrap_or_default();
        by_service
            .entry((l.service.is_none(), folded, l.service.clone()))
            .or_default()
            .push(i);
    }
    // purchases carrying a lever that counts, per (target, year)
    let mut counting: BTreeMap<(String, i32), BTreeSet<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        for lv in &l.levers {
            for t in &lv.targets {
                counting
                    .entry((t.clone(), l.launch_date.year()))
                    .or_default()
                    .insert(i);
            }
        }
    }
    let target_order: HashMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(k, t)| (t.id.as_str(), k))
        .collect();
    let mut sheets = Vec::with_capacity(by_service.len());
    for ((_, _, service), idx) in by_service {
        let hours: Decimal = idx.iter().map(|&i| lines[i].exact_hours).sum();
        let set: BTreeSet<usize> = idx.iter().copied().collect();
        let mut contributions: Vec<Contribution> = counting
            .iter()
            .filter_map(|((t, y), all)| {
                let mine = all.intersection(&set).count();
                (mine > 0).then(|| Contribution {
                    target: t.clone(),
                    year: *y,
                    service: mine,
                    total: all.len(),
                })
            })
            .collect();
        contributions.sort_by_key(|c| {
            (
                target_order
                    .get(c.target.as_str())
                    .copied()
                    .unwrap_or(usize::MAX),
                c.year,
            )
        });
        // in the order the service acts: sourcing first, then launch
        let mut idx = idx;
        idx.sort_by(|&a, &b| {
            let (x, y) = (&lines[a], &lines[b]);
            (x.sourcing_by, x.launch_date, a).cmp(&(y.sourcing_by, y.launch_date, b))
        });
        sheets.push(SheetData {
            service,
            line_ids: idx.iter().map(|&i| lines[i].id.clone()).collect(),
            levers: idx.iter().map(|&i| lines[i].levers.len()).sum(),
            insertion_hours: round_up_hours(hours),
            insertion_share: Share::ratio(hours, total_hours),
            contributions,
            lines: idx,
        });
    }

    // the SPASER verdict
    let spaser = spaser(plan, input)?;

    // the contract obligations that apply to purchases of the period
    let mut obligations = Vec::new();
    for rule in &rulebook.obligations.contract {
        let purchases = lines
            .iter()
            .filter(|l| {
                l.obligations
                    .iter()
                    .any(|o| o.obligation == rule.id && o.status != CoverageStatus::NotApplicable)
            })
            .count();
        let in_period = rule
            .articles
            .iter()
            .any(|a| a.from.year() >= period.first_year - 1 && a.from.year() <= period.last_year);
        if purchases == 0 && !in_period {
            continue;
        }
        obligations.push(ObligationData {
            id: rule.id,
            articles: rule
                .articles
                .iter()
                .map(|a| ArticleDate {
                    article: a.article.clone(),
                    from: a.from,
                    level: a.level,
                })
                .collect(),
            confidence: rule.confidence,
            purchases,
        });
    }

    let sources = sources(&ctx, plan, input, &period, &spaser, &obligations);

    let actions = ActionsData {
        purchases_with_levers: lines.iter().filter(|l| !l.levers.is_empty()).count(),
        insertion_hours: plan.insertion_hours.clone(),
        capacity_hours: plan.capacity_hours.clone(),
        lines,
        families,
    };

    Ok(Data {
        lang: ctx.lang,
        title: ctx.t("doc.title"),
        date: input.date,
        buyer: BuyerData {
            name: buyer.name.clone(),
            siret: buyer.siret.as_ref().map(|s| s.to_string()),
            kind: buyer.kind,
            status: buyer.status,
            departement: buyer.departement.as_ref().map(|d| d.to_string()),
            expenditure: buyer.expenditure.clone(),
        },
        period,
        spaser,
        obligations,
        baseline,
        targets,
        projected,
        actions,
        levers,
        findings,
        sheets,
        method: MethodData {
            total_effort_days: plan.total_effort,
            objective: plan.objective,
            lower_bound: plan.lower_bound,
            gap: plan.gap,
            shortfall_weight: plan.shortfall_weight,
            lexicographic: plan.objective_mode == crate::plan::planner::Objective::Lexicographic,
            law_met: plan
                .obligations
                .iter()
                .filter(|c| c.status == CoverageStatus::Met && !c.levers.is_empty())
                .count(),
            law_to_meet: plan
                .obligations
                .iter()
                .filter(|c| {
                    (c.status == CoverageStatus::Met && !c.levers.is_empty())
                        || c.status == CoverageStatus::Missing
                })
                .count(),
            shortfall: plan.shortfall,
            effort: plan.effort,
        },
        sources,
    })
}

/// The shares realised in past years for a target: from the actuals' own row of the target,
/// or from the standard indicator when the target is one (a dimension, every instrument, no
/// scope).
fn realised(
    input: &DocumentInput<'_>,
    def: Option<&Target>,
    id: &str,
    basis: Basis,
) -> BTreeMap<i32, Share> {
    let Some(table) = input.actuals else {
        return BTreeMap::new();
    };
    let standard = def.and_then(|d| {
        (d.instruments.is_empty()
            && d.goals.is_empty()
            && d.levers.is_empty()
            && d.filter.is_empty())
        .then_some(match d.dimension {
            Dimension::Social => STANDARD_SOCIAL,
            Dimension::Environmental => STANDARD_ENVIRONMENTAL,
            Dimension::Innovation => STANDARD_INNOVATIVE,
        })
    });
    let key = if table.rows.iter().any(|r| r.indicator == id) {
        id
    } else if let Some(s) = standard {
        s
    } else {
        return BTreeMap::new();
    };
    table
        .years()
        .into_iter()
        .filter_map(|y| {
            table
                .total(key, y)
                .and_then(|m| m.share(basis))
                .map(|s| (y, s))
        })
        .collect()
}

/// The SPASER verdict: the caller's, or the law's on the buyer's latest yearly expenditure,
/// or — without expenditure — an estimate from the programme's largest yearly value.
fn spaser(plan: &Plan, input: &DocumentInput<'_>) -> Result<SpaserData> {
    let buyer = &input.programme.buyer;
    let engine = ObligationEngine::new(input.rulebook);
    let status = buyer.status.unwrap_or(match buyer.kind {
        BuyerKind::CentralGovernment => BuyerStatus::State,
        BuyerKind::Utility => BuyerStatus::Utility,
        _ => BuyerStatus::OtherContractingAuthority,
    });
    let from_finding =
        |f: &Finding, basis: &'static str, year: Option<i32>, amount: Option<Amount>| {
            let on = year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31));
            let rule = on.and_then(|d| input.rulebook.obligations.spaser_rule(d));
            let out_of_scope = match f.status {
                Status::NotApplicable => amount
                    .zip(rule.map(|r| r.threshold))
                    .is_some_and(|(a, t)| a > t),
                Status::Unknown => true,
                _ => false,
            };
            SpaserData {
                basis,
                verdict: match f.status {
                    Status::Missing | Status::Met => "required",
                    Status::NotApplicable | Status::Exempted => "not_required",
                    Status::Unknown => "unknown",
                },
                year,
                amount,
                threshold: rule.map(|r| r.threshold),
                article: f.article.clone(),
                confidence: if basis == "programme_estimate" {
                    Confidence::Unknown
                } else {
                    f.confidence
                },
                out_of_scope,
            }
        };
    if let Some(f) = &input.spaser {
        let (year, amount) = buyer
            .expenditure
            .iter()
            .next_back()
            .map_or((None, None), |(y, a)| (Some(*y), Some(*a)));
        return Ok(from_finding(f, "expenditure", year, amount));
    }
    if let Some((&year, &amount)) = buyer.expenditure.iter().next_back() {
        let f = engine.spaser_for_year(status, year, amount, false)?;
        return Ok(from_finding(&f, "expenditure", Some(year), Some(amount)));
    }
    // an estimate only: the largest yearly value of the programme (FACTS §1: never the legal test)
    let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
    for l in &input.programme.lines {
        *by_year.entry(l.launch_date.year()).or_default() += l.amount.as_decimal();
    }
    let top = by_year
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&y, &v)| (y, Amount::new(v)));
    match (top, &plan.spaser) {
        (Some((y, Ok(v))), _) => match engine.spaser_for_year(status, y, v, false) {
            Ok(f) => Ok(from_finding(&f, "programme_estimate", Some(y), Some(v))),
            Err(_) => Ok(unknown_spaser()),
        },
        _ => Ok(unknown_spaser()),
    }
}

fn unknown_spaser() -> SpaserData {
    SpaserData {
        basis: "programme_estimate",
        verdict: "unknown",
        year: None,
        amount: None,
        threshold: None,
        article: "L2111-3, D2111-3".to_string(),
        confidence: Confidence::Unknown,
        out_of_scope: false,
    }
}

/// The legal figures the document relies on.
fn sources(
    ctx: &Ctx<'_>,
    plan: &Plan,
    input: &DocumentInput<'_>,
    period: &PeriodData,
    spaser: &SpaserData,
    obligations: &[ObligationData],
) -> Vec<SourceData> {
    let rb = input.rulebook;
    let mut out = Vec::new();
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(period.first_year, 1, 1),
        NaiveDate::from_ymd_opt(period.last_year, 12, 31),
    ) else {
        return out;
    };
    let span = crate::values::period::Period::new(start, end).ok();
    // SPASER threshold
    if let Some(y) = spaser.year
        && let Some(rule) =
            NaiveDate::from_ymd_opt(y, 12, 31).and_then(|d| rb.obligations.spaser_rule(d))
    {
        out.push(SourceData {
            what: ctx.t("source.spaser_threshold"),
            value: Some(ctx.euros(rule.threshold.as_decimal())),
            article: rule.article.clone(),
            period: rule.period.to_string(),
            confidence: rule.confidence,
            source: None,
        });
    }
    // contract obligations
    for o in obligations {
        for a in &o.articles {
            out.push(SourceData {
                what: ctx.t(&format!("obligation.{}", o.id.as_str())),
                value: None,
                article: a.article.clone(),
                period: format!("{}/..", a.from),
                confidence: o.confidence,
                source: None,
            });
        }
    }
    // procedure thresholds in force over the period for the buyer's kind
    let kind = input.programme.buyer.kind;
    let natures: BTreeSet<Nature> = input.programme.lines.iter().map(|l| l.nature).collect();
    for (key, entries) in [
        ("source.no_competition", &rb.no_competition),
        ("source.innovative", &rb.innovative),
        ("source.eu", &rb.eu),
        ("source.specific_services", &rb.specific_services),
    ] {
        for e in entries.iter() {
            let overlaps = span.as_ref().is_some_and(|s| e.period.overlaps(s));
            let fits = (e.buyer_kinds.is_empty() || e.buyer_kinds.contains(&kind))
                && e.natures.iter().any(|n| natures.contains(n));
            if !overlaps || !fits {
                continue;
            }
            if key == "source.specific_services"
                && !input.programme.lines.iter().any(|l| l.specific_services)
            {
                continue;
            }
            let ns: Vec<String> = e
                .natures
                .iter()
                .map(|n| ctx.t(&format!("nature.{}", n.as_str())))
                .collect();
            out.push(SourceData {
                what: ctx.f(key, &[("natures", &ctx.join(&ns))]),
                value: Some(ctx.euros(e.value.as_decimal())),
                article: e.article.clone(),
                period: e.period.to_string(),
                confidence: e.confidence,
                source: e.source.clone(),
            });
        }
    }
    // AGEC and EGalim rates of the targets
    if let Some(agec) = &rb.obligations.agec {
        let cats: BTreeSet<AgecCategory> = plan
            .target_definitions
            .iter()
            .filter_map(|t| t.filter.agec_category)
            .collect();
        for r in &agec.rates {
            // the milestones in force during the period: each applies until the next one
            let next = agec
                .rates
                .iter()
                .filter(|x| x.category == r.category && x.milestone > r.milestone)
                .map(|x| x.milestone)
                .min();
            let in_period =
                r.milestone <= period.last_year && next.is_none_or(|n| n > period.first_year);
            if !cats.contains(&r.category) || !in_period {
                continue;
            }
            for (key, cell) in [
                ("source.agec_reuse", &r.reuse),
                ("source.agec_recycled", &r.recycled),
            ] {
                let name = ctx.pick(r.category.label_fr(), r.category.label_en());
                out.push(SourceData {
                    what: ctx.f(
                        key,
                        &[("category", name), ("year", &r.milestone.to_string())],
                    ),
                    value: cell.rate.map(|s| ctx.pct(s)),
                    article: agec.article.clone(),
                    period: agec.period.to_string(),
                    confidence: cell.confidence,
                    source: None,
                });
            }
        }
    }
    out.push(SourceData {
        what: ctx.t("source.decp"),
        value: Some(ctx.euros(Decimal::from(DECP_PUBLICATION_THRESHOLD))),
        article: "R2196-1".into(),
        period: "2024-01-01/..".into(),
        confidence: Confidence::V,
        source: None,
    });
    let food = plan
        .target_definitions
        .iter()
        .any(|t| t.filter.food == Some(true));
    if food {
        for r in &rb.obligations.egalim {
            out.push(SourceData {
                what: ctx.t(&format!(
                    "source.egalim.{}",
                    serde_json::to_string(&r.id)
                        .unwrap_or_default()
                        .trim_matches('"')
                )),
                value: Some(ctx.pct(r.rate)),
                article: r.article.clone(),
                period: r.period.to_string(),
                confidence: r.confidence,
                source: None,
            });
        }
    }
    out
}
