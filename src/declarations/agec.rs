//! The yearly AGEC art. 58 table (décret 2024-134; FACTS §4): the 17 product categories ×
//! total spend, reuse, recycled-content, their shares, the rates of the year with their
//! confidence, and met / not met / unknown.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::declarations::check::{
    CheckStatus, RateCheck, column_convention, csv_text, file_year, share_cell, share_of,
};
use crate::decp::AwardedContract;
use crate::error::{Error, ErrorKind, Result};
use crate::indicators::{Coverage, Indicator, Measure, Purchase};
use crate::law::obligation_rules::ObligationId;
use crate::law::obligations::{AgecSpend, Finding, ObligationEngine};
use crate::law::rulebook::Rulebook;
use crate::levers::lever::Catalogue;
use crate::plan::planner::Plan;
use crate::plan::targets::Target;
use crate::programme::model::{Buyer, LineStatus, PlanLine, Programme};
use crate::render::format::{euros, rate};
use crate::values::buyer_kind::BuyerStatus;
use crate::values::confidence::Confidence;
use crate::values::lang::Lang;
use crate::values::money::{Amount, parse_decimal_with};
use crate::values::share::Share;
use crate::values::siret::Siret;
use crate::values::table::Table;
use crate::vocabulary::agec::AgecCategory;
use crate::vocabulary::dimension::Dimension;

/// The OCDS goal of a reuse lever.
const REUSE_GOAL: &str = "environmental.resourceReuse";
/// The OCDS goal of a recycled-content lever.
const RECYCLED_GOAL: &str = "environmental.recycling";

/// Where the figures of an AGEC table come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AgecSource {
    /// The buyer's spend file per category (the spend of the year, as AGEC art. 58 counts it).
    SpendFile,
    /// A projection of the plan: the lines launched in the year and the levers put in them.
    PlanProjection,
    /// Awarded contracts (DECP) notified in the year.
    DecpActuals,
}

impl AgecSource {
    /// The serialized name.
    pub fn as_str(&self) -> &'static str {
        match self {
            AgecSource::SpendFile => "spend_file",
            AgecSource::PlanProjection => "plan_projection",
            AgecSource::DecpActuals => "decp_actuals",
        }
    }
}

/// One category of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgecRow {
    /// The category (its official label).
    pub category: AgecCategory,
    /// Total HT spent on the category.
    pub total: Amount,
    /// HT spent on reuse / re-use, valued donations included (`None`: not known).
    pub reuse: Option<Amount>,
    /// Of which donations (`None`: not known).
    pub donations: Option<Amount>,
    /// HT spent on products containing recycled material (`None`: not known).
    pub recycled: Option<Amount>,
    /// `reuse / total` (exact; `None` when unknown or no spend).
    pub reuse_share: Option<Share>,
    /// `recycled / total`.
    pub recycled_share: Option<Share>,
    /// The reuse share against the rate of the year.
    pub reuse_check: RateCheck,
    /// The recycled share against the rate of the year.
    pub recycled_check: RateCheck,
    /// Purchases counted (file rows, plan lines or contracts).
    pub purchases: u64,
    /// For plan and DECP sources, the weakest confidence of the CPV → category mapping entries
    /// used (the mapping is the crate's reading of the CPV labels, not an official one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping_confidence: Option<Confidence>,
}

/// The yearly AGEC art. 58 table of a buyer: one row per category, in the official order.
///
/// ```
/// use spaser::{Buyer, BuyerStatus, Rulebook};
/// use spaser::declarations::{AgecDeclaration, CheckStatus};
/// let csv = "categorie;montant_total;montant_reemploi_et_reutilisation;montant_produits_recycles\n\
///            Mobilier et aménagement d'intérieur;100 000;20 000;\n\
///            Papier;50 000;0;30 000\n";
/// let buyer = Buyer::with_status("Ville", BuyerStatus::LocalAuthority);
/// let t = AgecDeclaration::from_spend_csv(csv.as_bytes(), Some(2025), &buyer, Rulebook::embedded())?;
/// assert_eq!(t.rows.len(), 17);
/// let furniture = &t.rows[8];
/// assert_eq!(furniture.reuse_check.status, CheckStatus::Met); // 20 % reaches 20 % (S)
/// assert_eq!(furniture.recycled_check.status, CheckStatus::Unknown); // amount not given
/// let paper = &t.rows[4];
/// assert_eq!(paper.recycled_check.status, CheckStatus::Unknown); // rate not established
/// assert!(t.to_csv().contains(";unknown;"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AgecDeclaration {
    /// Calendar year of the spend.
    pub year: i32,
    /// The buyer's name.
    pub buyer: String,
    /// The buyer's SIRET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<Siret>,
    /// The buyer's status (AGEC art. 58 binds the State, local authorities and their
    /// groupings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BuyerStatus>,
    /// Where the figures come from.
    pub source: AgecSource,
    /// The 17 categories, in the official order.
    pub rows: Vec<AgecRow>,
    /// What the reader of the table must know: basis of the figures, purchases left out.
    pub notes: Vec<String>,
}

/// One category's figures before the checks (by default: nothing bought, portions known).
#[derive(Debug, Clone)]
struct Acc {
    total: Decimal,
    /// `None` once a purchase's portion is unknown.
    reuse: Option<Decimal>,
    donations: Option<Decimal>,
    recycled: Option<Decimal>,
    purchases: u64,
    unknown_reuse: u64,
    unknown_recycled: u64,
    mapping: Option<Confidence>,
}

impl Default for Acc {
    fn default() -> Acc {
        Acc {
            total: Decimal::ZERO,
            reuse: Some(Decimal::ZERO),
            donations: Some(Decimal::ZERO),
            recycled: Some(Decimal::ZERO),
            purchases: 0,
            unknown_reuse: 0,
            unknown_recycled: 0,
            mapping: None,
        }
    }
}

impl Acc {
    fn add(&mut self, amount: Decimal, reuse: Option<Decimal>, recycled: Option<Decimal>) {
        self.total += amount;
        self.purchases += 1;
        match reuse {
            Some(r) => self.reuse = self.reuse.map(|x| x + r),
            None => {
                self.reuse = None;
                self.unknown_reuse += 1;
            }
        }
        match recycled {
            Some(r) => self.recycled = self.recycled.map(|x| x + r),
            None => {
                self.recycled = None;
                self.unknown_recycled += 1;
            }
        }
    }
}

/// An amount from an exact sum: rounded down to the cent, so that rounding never turns a
/// missed rate into a met one.
fn amount_down(d: Decimal, what: &str) -> Result<Amount> {
    Amount::rounded(d.max(Decimal::ZERO), RoundingStrategy::ToZero)
        .map_err(|e| e.context(what.to_string()))
}

/// The engine's AGEC findings for one category of the year (the scope of the buyer's status
/// and the period of the table are the engine's).
fn engine_findings(
    engine: &ObligationEngine<'_>,
    status: Option<BuyerStatus>,
    spend: &AgecSpend,
) -> Result<Vec<Finding>> {
    match status {
        Some(s) => engine.agec_for_buyer(s, spend),
        None => engine.agec(spend),
    }
}

impl AgecDeclaration {
    fn build(
        year: i32,
        buyer: &Buyer,
        source: AgecSource,
        mut accs: BTreeMap<AgecCategory, Acc>,
        rulebook: &Rulebook,
        notes: Vec<String>,
    ) -> Result<AgecDeclaration> {
        let engine = ObligationEngine::new(rulebook);
        let table = rulebook.obligations.agec.as_ref();
        let mut rows = Vec::with_capacity(AgecCategory::ALL.len());
        for cat in AgecCategory::ALL {
            let acc = accs.remove(&cat).unwrap_or_default();
            let what = cat.official();
            let total = amount_down(acc.total, what)?;
            let reuse = acc.reuse.map(|r| amount_down(r, what)).transpose()?;
            let donations = acc.donations.map(|r| amount_down(r, what)).transpose()?;
            let recycled = acc.recycled.map(|r| amount_down(r, what)).transpose()?;
            let spend = AgecSpend {
                category: cat,
                year,
                total,
                reuse: reuse.unwrap_or(Amount::ZERO),
                recycled: recycled.unwrap_or(Amount::ZERO),
            };
            let findings = engine_findings(&engine, buyer.status, &spend)?;
            let rate = table.and_then(|t| t.rate(cat, year));
            let milestone = rate.map(|r| r.milestone);
            let find = |id: ObligationId| {
                findings
                    .iter()
                    .find(|f| f.obligation == id)
                    .or_else(|| findings.first())
            };
            let check = |id: ObligationId,
                         known: bool,
                         unknown_count: u64,
                         cell_rate: Option<Share>,
                         what: &str|
             -> Result<RateCheck> {
                let f = find(id).ok_or_else(|| {
                    Error::new(
                        ErrorKind::NoRule,
                        "the obligations engine gave no AGEC finding",
                    )
                })?;
                Ok(if known {
                    RateCheck::from_finding(f, cell_rate, milestone)
                } else {
                    RateCheck::unknown_portion(
                        f,
                        cell_rate,
                        milestone,
                        &format!(
                            "{} {year}: {what} spend not known for {unknown_count} of {} purchases",
                            cat.official(),
                            acc.purchases
                        ),
                    )
                })
            };
            // No spend, no share: whatever the rate, there is nothing to check.
            let no_spend = |mut c: RateCheck| {
                if total.is_zero() && c.status == CheckStatus::Unknown {
                    c.status = CheckStatus::NotApplicable;
                    c.reason = format!("{} {year}: no spend", cat.official());
                }
                c
            };
            let reuse_check = check(
                ObligationId::AgecReuse,
                reuse.is_some(),
                acc.unknown_reuse,
                rate.and_then(|r| r.reuse.rate),
                "reuse",
            )
            .map(no_spend)?;
            let recycled_check = check(
                ObligationId::AgecRecycled,
                recycled.is_some(),
                acc.unknown_recycled,
                rate.and_then(|r| r.recycled.rate),
                "recycled-content",
            )
            .map(no_spend)?;
            rows.push(AgecRow {
                category: cat,
                total,
                reuse,
                donations,
                recycled,
                reuse_share: share_of(total, reuse),
                recycled_share: share_of(total, recycled),
                reuse_check,
                recycled_check,
                purchases: acc.purchases,
                mapping_confidence: acc.mapping,
            });
        }
        let mut notes = notes;
        if buyer.status.is_none() {
            notes.push(
                "the buyer's status is not given: AGEC art. 58 binds only the State, local authorities and their groupings, so say whether these shares bind the buyer"
                    .to_string(),
            );
        }
        Ok(AgecDeclaration {
            year,
            buyer: buyer.name.clone(),
            siret: buyer.siret,
            status: buyer.status,
            source,
            rows,
            notes,
        })
    }

    /// The table from the buyer's spend per category (rows of the official declaration's
    /// form). Categories not given have no spend.
    ///
    /// # Errors
    /// [`ErrorKind::Duplicate`] for a category given twice; [`ErrorKind::Inconsistent`] when a
    /// portion exceeds its total or donations exceed reuse; the engine's errors.
    pub fn from_spend(
        year: i32,
        spend: &[AgecSpendRow],
        buyer: &Buyer,
        rulebook: &Rulebook,
    ) -> Result<AgecDeclaration> {
        let mut accs: BTreeMap<AgecCategory, Acc> = BTreeMap::new();
        let mut problems = Vec::new();
        for (i, s) in spend.iter().enumerate() {
            let at = format!("spend row {} (\"{}\")", i + 1, s.category);
            if accs.contains_key(&s.category) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!("{at}: the category is given twice"),
                ));
            }
            check_portions(&at, s, &mut problems);
            let mut acc = Acc::default();
            acc.add(
                s.total.as_decimal(),
                s.reuse.map(|a| a.as_decimal()),
                s.recycled.map(|a| a.as_decimal()),
            );
            acc.donations = s.donations.map(|a| a.as_decimal());
            accs.insert(s.category, acc);
        }
        if !problems.is_empty() {
            return Err(Error::new(ErrorKind::Inconsistent, problems.join("\n")));
        }
        AgecDeclaration::build(
            year,
            buyer,
            AgecSource::SpendFile,
            accs,
            rulebook,
            vec![format!(
                "figures from the buyer's spend file: HT amounts spent in {year} per category (AGEC art. 58)"
            )],
        )
    }

    /// The table from a spend file (CSV) per category: the columns of the official
    /// declaration schema (`annee`, `siret`, `raison_sociale`, `type_produit_acquis`,
    /// `montant_total`, `montant_reemploi_et_reutilisation`, `montant_produits_issus_don`,
    /// `montant_produits_recycles`) or shorter ones (`category`/`categorie`, `total`,
    /// `reuse`/`reemploi`, `donations`/`dons`, `recycled`/`recycle`, `year`/`annee`). An empty
    /// reuse or recycled cell is *unknown* (its check prints `unknown`), not zero. With a
    /// `year` column, the rows of `year` are read (`None`: the file must hold one year); the
    /// SIRET and name of the file fill those the `buyer` lacks.
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] for a missing category or total column, or a file with several
    /// years and no `year` asked; [`ErrorKind::Parse`] / [`ErrorKind::InvalidValue`] listing
    /// every bad row at once with its line, column and value; the errors of
    /// [`AgecDeclaration::from_spend`].
    pub fn from_spend_csv(
        reader: impl Read,
        year: Option<i32>,
        buyer: &Buyer,
        rulebook: &Rulebook,
    ) -> Result<AgecDeclaration> {
        let what = "AGEC spend file";
        let t = Table::read(reader, what)?;
        let col = |a: &[&str]| t.column(what, a);
        let c_cat = col(&[
            "type_produit_acquis",
            "categorie",
            "category",
            "categorie_de_produits",
            "type_de_produits",
        ])?;
        let c_total = col(&[
            "montant_total",
            "total",
            "total_ht",
            "depense_totale",
            "montant_total_ht",
        ])?;
        let c_reuse = col(&[
            "montant_reemploi_et_reutilisation",
            "montant_valorisation_et_don",
            "reuse",
            "reemploi",
            "montant_reemploi",
            "reemploi_reutilisation",
        ])?;
        let c_don = col(&[
            "montant_produits_issus_don",
            "donations",
            "dons",
            "montant_dons",
        ])?;
        let c_rec = col(&[
            "montant_produits_recycles",
            "recycled",
            "recycle",
            "recycles",
            "montant_recycle",
        ])?;
        let c_year = col(&["annee", "year"])?;
        let c_siret = col(&["siret"])?;
        let c_name = col(&["raison_sociale", "nom", "buyer", "acheteur"])?;
        for (name, c) in [
            ("type_produit_acquis (category)", c_cat),
            ("montant_total (total)", c_total),
        ] {
            if c.is_none() {
                return Err(Error::new(
                    ErrorKind::Missing,
                    format!("{what}, line 1: required column {name} is missing"),
                ));
            }
        }
        let mut problems = Vec::new();
        let years: BTreeSet<&str> = t.cells(c_year).filter(|s| !s.is_empty()).collect();
        let year = file_year(what, year, "annee", &years, "the spend")?;
        let conv = |c: Option<usize>| column_convention(&t, c);
        let (k_total, k_reuse, k_don, k_rec) =
            (conv(c_total), conv(c_reuse), conv(c_don), conv(c_rec));
        let header = |c: Option<usize>| c.map_or("", |i| t.headers[i].as_str());
        let mut rows = Vec::new();
        let mut lines: BTreeMap<AgecCategory, u64> = BTreeMap::new();
        let mut other_years = 0u64;
        let mut file_siret = None;
        let mut file_name = None;
        for r in &t.rows {
            let y = r.get(c_year);
            if !y.is_empty() && y.trim().parse::<i32>().ok() != Some(year) {
                other_years += 1;
                continue;
            }
            let at = |c: Option<usize>, m: String| {
                format!("{what}, line {}, column \"{}\": {m}", r.line, header(c))
            };
            let cat = match r.get(c_cat).parse::<AgecCategory>() {
                Ok(c) => Some(c),
                Err(e) => {
                    problems.push(at(c_cat, e.to_string()));
                    None
                }
            };
            let amount = |c: Option<usize>,
                          k,
                          required: bool,
                          problems: &mut Vec<String>|
             -> Option<Amount> {
                let text = r.get(c);
                if text.is_empty() {
                    if required {
                        problems.push(at(c, "the amount is empty".into()));
                    }
                    return None;
                }
                match parse_decimal_with(text, k).and_then(Amount::new) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        problems.push(at(c, e.to_string()));
                        None
                    }
                }
            };
            let total = amount(c_total, k_total, true, &mut problems);
            let reuse = amount(c_reuse, k_reuse, false, &mut problems);
            let donations = amount(c_don, k_don, false, &mut problems);
            let recycled = amount(c_rec, k_rec, false, &mut problems);
            if file_siret.is_none() {
                file_siret = Siret::parse(r.get(c_siret)).ok();
            }
            if file_name.is_none() && !r.get(c_name).is_empty() {
                file_name = Some(r.get(c_name).to_string());
            }
            if let (Some(cat), Some(total)) = (cat, total) {
                if let Some(first) = lines.insert(cat, r.line) {
                    problems.push(at(
                        c_cat,
                        format!(
                            "category \"{}\" is already given on line {first}",
                            cat.official()
                        ),
                    ));
                    continue;
                }
                let row = AgecSpendRow {
                    category: cat,
                    total,
                    reuse,
                    donations,
                    recycled,
                };
                check_portions(&format!("{what}, line {}", r.line), &row, &mut problems);
                rows.push(row);
            }
        }
        if !problems.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidValue,
                if problems.len() == 1 {
                    problems.remove(0)
                } else {
                    format!(
                        "{} problems in the {what}:\n- {}",
                        problems.len(),
                        problems.join("\n- ")
                    )
                },
            ));
        }
        let mut buyer = buyer.clone();
        if buyer.siret.is_none() {
            buyer.siret = file_siret;
        }
        if buyer.name.trim().is_empty() {
            if let Some(n) = file_name {
                buyer.name = n;
            }
        }
        let mut t = AgecDeclaration::from_spend(year, &rows, &buyer, rulebook)?;
        if other_years > 0 {
            t.notes
                .push(format!("{other_years} rows of other years left out"));
        }
        Ok(t)
    }

    /// The table projected from a plan: the lines launched in `year` (cancelled ones left out)
    /// in their AGEC category (from their CPV code), and the reuse and recycled-content shares
    /// of the levers assigned to them (lever coverage, counted by the indicator engine). A
    /// projection of contract values by launch year, not the spend of the year that AGEC
    /// art. 58 counts — the notes say so.
    ///
    /// # Errors
    /// The engine's errors.
    pub fn from_plan(
        programme: &Programme,
        plan: &Plan,
        catalogue: &Catalogue,
        rulebook: &Rulebook,
        year: i32,
    ) -> Result<AgecDeclaration> {
        let levers_of: BTreeMap<&str, &[String]> = plan
            .assignments
            .iter()
            .map(|a| (a.line.as_str(), a.levers.as_slice()))
            .collect();
        let mut accs: BTreeMap<AgecCategory, Acc> = BTreeMap::new();
        let (mut no_cpv, mut no_category, mut cancelled) = (0u64, 0u64, 0u64);
        for line in programme
            .lines
            .iter()
            .filter(|l| l.launch_date.year() == year)
        {
            if line.status == LineStatus::Cancelled {
                cancelled += 1;
                continue;
            }
            let Some(cpv) = line.cpv else {
                no_cpv += 1;
                continue;
            };
            let Some(m) = AgecCategory::of_cpv(&cpv) else {
                no_category += 1;
                continue;
            };
            let levers: Vec<&crate::levers::lever::Lever> = levers_of
                .get(line.id.as_str())
                .into_iter()
                .flat_map(|ids| ids.iter())
                .filter_map(|id| catalogue.get(id))
                .collect();
            let reuse = covered(line, m.category, &levers, REUSE_GOAL);
            let recycled = covered(line, m.category, &levers, RECYCLED_GOAL);
            let acc = accs.entry(m.category).or_default();
            // neither a plan nor the DECP say which part comes from donations
            acc.donations = None;
            acc.add(line.amount.as_decimal(), Some(reuse), Some(recycled));
            acc.mapping = Some(acc.mapping.map_or(m.confidence, |c| c.max(m.confidence)));
        }
        let mut notes = vec![format!(
            "projection of the plan: values of the lines launched in {year} (whole contract values, options included), reuse and recycled-content from the levers assigned (their coverage); AGEC art. 58 counts the HT amount spent in the calendar year, so this is an estimate"
        )];
        if no_cpv + no_category + cancelled > 0 {
            notes.push(format!(
                "lines of {year} left out: {no_cpv} without CPV code, {no_category} in no AGEC category, {cancelled} cancelled"
            ));
        }
        let mut buyer = programme.buyer.clone();
        buyer.expenditure.clear();
        AgecDeclaration::build(
            year,
            &buyer,
            AgecSource::PlanProjection,
            accs,
            rulebook,
            notes,
        )
    }

    /// The table from awarded contracts (DECP): the marchés of `buyer` (by SIRET, when it has
    /// one) notified in `year`, at their current amount, in their AGEC category (from their CPV
    /// code). Reuse and recycled-content are known only for contracts linked to a planned line
    /// (its `contract_ids`) of `links`, from the levers the plan puts in that line; a category
    /// with any other contract prints `unknown`. The DECP give contract values at
    /// notification, not the spend of the year: the notes say so.
    ///
    /// # Errors
    /// The engine's errors.
    pub fn from_decp(
        contracts: &[AwardedContract],
        buyer: &Buyer,
        year: i32,
        rulebook: &Rulebook,
        links: Option<(&Programme, &Plan, &Catalogue)>,
    ) -> Result<AgecDeclaration> {
        // contract id → (line, its levers)
        let mut linked: BTreeMap<&str, (&PlanLine, Vec<&crate::levers::lever::Lever>)> =
            BTreeMap::new();
        if let Some((programme, plan, catalogue)) = links {
            let levers_of: BTreeMap<&str, &[String]> = plan
                .assignments
                .iter()
                .map(|a| (a.line.as_str(), a.levers.as_slice()))
                .collect();
            for line in &programme.lines {
                let levers: Vec<_> = levers_of
                    .get(line.id.as_str())
                    .into_iter()
                    .flat_map(|ids| ids.iter())
                    .filter_map(|id| catalogue.get(id))
                    .collect();
                for c in &line.contract_ids {
                    linked.insert(c.as_str(), (line, levers.clone()));
                }
            }
        }
        let mut accs: BTreeMap<AgecCategory, Acc> = BTreeMap::new();
        let (mut other_buyers, mut no_cpv, mut no_category, mut no_amount) =
            (0u64, 0u64, 0u64, 0u64);
        for c in contracts {
            if c.notification_date.map(|d| d.year()) != Some(year) {
                continue;
            }
            if let Some(s) = buyer.siret
                && c.buyer.as_ref().map(|b| b.as_str()) != Some(s.as_str())
            {
                other_buyers += 1;
                continue;
            }
            let Some(cpv) = c.cpv else {
                no_cpv += 1;
                continue;
            };
            let Some(m) = AgecCategory::of_cpv(&cpv) else {
                no_category += 1;
                continue;
            };
            let Some(amount) = c.current_amount() else {
                no_amount += 1;
                continue;
            };
            let (reuse, recycled) = match linked.get(c.id.as_str()) {
                Some((line, levers)) => {
                    // the line's levers, on the contract's amount
                    let mut l = (*line).clone();
                    l.amount = amount;
                    l.cpv = Some(cpv);
                    (
                        Some(covered(&l, m.category, levers, REUSE_GOAL)),
                        Some(covered(&l, m.category, levers, RECYCLED_GOAL)),
                    )
                }
                None => (None, None),
            };
            let acc = accs.entry(m.category).or_default();
            // neither a plan nor the DECP say which part comes from donations
            acc.donations = None;
            acc.add(amount.as_decimal(), reuse, recycled);
            acc.mapping = Some(acc.mapping.map_or(m.confidence, |x| x.max(m.confidence)));
        }
        let mut notes = vec![format!(
            "contracts notified in {year} (DECP), at their current amount: contract values at notification, not the HT amount spent in the year that AGEC art. 58 counts; categories from the crate's CPV mapping; reuse and recycled-content known only for contracts linked to a planned line"
        )];
        if other_buyers + no_cpv + no_category + no_amount > 0 {
            notes.push(format!(
                "contracts of {year} left out: {other_buyers} of other buyers, {no_cpv} without CPV code, {no_category} in no AGEC category, {no_amount} without amount"
            ));
        }
        AgecDeclaration::build(year, buyer, AgecSource::DecpActuals, accs, rulebook, notes)
    }

    /// The table as CSV (`;`, one row per category, official labels): amounts (empty when
    /// unknown), shares (4 decimals), the rates of the year (`unknown` when not established)
    /// with their confidence and milestone, and the statuses (`met`, `not_met`, `unknown`,
    /// `not_applicable`, `exempted`). The amount columns carry the official declaration
    /// schema's names. Deterministic.
    pub fn to_csv(&self) -> String {
        let header = [
            "annee",
            "siret",
            "raison_sociale",
            "type_produit_acquis",
            "montant_total",
            "montant_reemploi_et_reutilisation",
            "montant_produits_issus_don",
            "montant_produits_recycles",
            "part_reemploi",
            "taux_reemploi",
            "confiance_taux_reemploi",
            "jalon_reemploi",
            "statut_reemploi",
            "part_recycle",
            "taux_recycle",
            "confiance_taux_recycle",
            "jalon_recycle",
            "statut_recycle",
            "achats",
            "confiance_correspondance_cpv",
        ];
        let amount = |a: Option<Amount>| a.map_or_else(String::new, |a| a.to_string());
        let rate = |c: &RateCheck| {
            c.rate
                .map_or_else(|| "unknown".to_string(), |r| r.to_string())
        };
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    self.year.to_string(),
                    self.siret
                        .map_or_else(String::new, |s| s.as_str().to_string()),
                    self.buyer.clone(),
                    r.category.official().to_string(),
                    r.total.to_string(),
                    amount(r.reuse),
                    amount(r.donations),
                    amount(r.recycled),
                    share_cell(r.reuse_share),
                    rate(&r.reuse_check),
                    r.reuse_check.confidence.to_string(),
                    r.reuse_check
                        .milestone
                        .map_or_else(String::new, |m| m.to_string()),
                    r.reuse_check.status.to_string(),
                    share_cell(r.recycled_share),
                    rate(&r.recycled_check),
                    r.recycled_check.confidence.to_string(),
                    r.recycled_check
                        .milestone
                        .map_or_else(String::new, |m| m.to_string()),
                    r.recycled_check.status.to_string(),
                    r.purchases.to_string(),
                    r.mapping_confidence
                        .map_or_else(String::new, |c| c.to_string()),
                ]
            })
            .collect();
        csv_text(&header, &rows)
    }

    /// The rows with spend in the form of the official declaration schema
    /// (`schema-declaration-biens-reemploi-reutilisation-recycle` v0.1.0 on data.gouv.fr:
    /// `annee, siret, raison_sociale, type_produit_acquis, montant_total,
    /// montant_reemploi_et_reutilisation, montant_produits_issus_don,
    /// montant_produits_recycles, commentaires`), comma-separated, ready to declare.
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] when the SIRET is not known, or naming each category with spend
    /// whose reuse, donations or recycled amount is not known (the schema requires them all).
    pub fn to_declaration_csv(&self) -> Result<String> {
        let siret = self.siret.ok_or_else(|| {
            Error::new(
                ErrorKind::Missing,
                "AGEC declaration: the buyer's SIRET is required by the declaration schema",
            )
        })?;
        let mut missing = Vec::new();
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = w.write_record([
            "annee",
            "siret",
            "raison_sociale",
            "type_produit_acquis",
            "montant_total",
            "montant_reemploi_et_reutilisation",
            "montant_produits_issus_don",
            "montant_produits_recycles",
            "commentaires",
        ]);
        for r in self.rows.iter().filter(|r| !r.total.is_zero()) {
            let (Some(reuse), Some(don), Some(rec)) = (r.reuse, r.donations, r.recycled) else {
                let gaps: Vec<&str> = [
                    (r.reuse.is_none(), "montant_reemploi_et_reutilisation"),
                    (r.donations.is_none(), "montant_produits_issus_don"),
                    (r.recycled.is_none(), "montant_produits_recycles"),
                ]
                .into_iter()
                .filter(|(m, _)| *m)
                .map(|(_, f)| f)
                .collect();
                missing.push(format!(
                    "\"{}\": {}",
                    r.category.official(),
                    gaps.join(", ")
                ));
                continue;
            };
            let _ = w.write_record([
                self.year.to_string(),
                siret.as_str().to_string(),
                self.buyer.clone(),
                r.category.official().to_string(),
                r.total.to_string(),
                reuse.to_string(),
                don.to_string(),
                rec.to_string(),
                String::new(),
            ]);
        }
        if !missing.is_empty() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!(
                    "AGEC declaration {}: amounts not known for {}",
                    self.year,
                    missing.join("; ")
                ),
            ));
        }
        Ok(String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
    }

    /// The table as pretty-printed JSON (official category labels, amounts and shares as
    /// strings, statuses as codes). Deterministic.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("AGEC table JSON: {e}")).with_source(e)
        })
    }

    /// The table as Markdown in `lang`.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# {} {}\n",
            lang.pick(
                "Achats issus du réemploi ou intégrant des matières recyclées (AGEC art. 58) —",
                "Purchases from reuse or with recycled content (AGEC art. 58) —"
            ),
            self.year
        );
        let _ = writeln!(s, "{} : {}\n", lang.pick("Acheteur", "Buyer"), self.buyer);
        for n in &self.notes {
            let _ = writeln!(s, "- {n}");
        }
        let _ = writeln!(
            s,
            "\n| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            lang.pick("Catégorie", "Category"),
            lang.pick("Total HT", "Total excl. VAT"),
            lang.pick("Réemploi", "Reuse"),
            lang.pick("Part", "Share"),
            lang.pick("Taux (confiance)", "Rate (confidence)"),
            lang.pick("Statut", "Status"),
            lang.pick("Recyclé", "Recycled"),
            lang.pick("Part", "Share"),
            lang.pick("Taux (confiance) / statut", "Rate (confidence) / status"),
        );
        let _ = writeln!(s, "|---|---:|---:|---:|---:|---|---:|---:|---|");
        let amount = |a: Option<Amount>| {
            a.map_or_else(
                || lang.pick("inconnu", "unknown").to_string(),
                |a| euros(a.as_decimal(), lang),
            )
        };
        let share =
            |x: Option<Share>| x.map_or_else(|| "—".to_string(), |x| rate(x.as_decimal(), 2, lang));
        for r in &self.rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} ({}) / {} |",
                match lang {
                    Lang::Fr => r.category.label_fr(),
                    Lang::En => r.category.label_en(),
                },
                euros(r.total.as_decimal(), lang),
                amount(r.reuse),
                share(r.reuse_share),
                r.reuse_check.rate_text(lang),
                r.reuse_check.confidence,
                r.reuse_check.status,
                amount(r.recycled),
                share(r.recycled_share),
                r.recycled_check.rate_text(lang),
                r.recycled_check.confidence,
                r.recycled_check.status,
            );
        }
        s
    }
}

/// The value of `line` covered by its levers that pursue `goal` for `category` (reuse or
/// recycled content), through the indicator engine's `covered_share` (coverages summed, capped
/// at the line's value).
fn covered(
    line: &PlanLine,
    category: AgecCategory,
    levers: &[&crate::levers::lever::Lever],
    goal: &str,
) -> Decimal {
    let target = Target {
        id: format!("agec-{goal}"),
        label: String::new(),
        dimension: Dimension::Environmental,
        instruments: Vec::new(),
        goals: vec![goal.to_string()],
        levers: Vec::new(),
        basis: crate::indicators::Basis::Value,
        filter: crate::indicators::PurchaseFilter {
            agec_category: Some(category),
            ..Default::default()
        },
        trajectory: BTreeMap::new(),
        source: String::new(),
        priority: Decimal::ONE,
    };
    let coverages: Vec<Coverage> = levers
        .iter()
        .filter(|l| target.counts(l))
        .map(|l| l.as_coverage())
        .collect();
    let indicator: Indicator = target.indicator();
    let mut p: Purchase<'_> = line.purchase();
    p.considerations = &coverages;
    if !indicator.filter.matches(&p) {
        return Decimal::ZERO;
    }
    let mut m = Measure::default();
    m.add(line.amount.as_decimal(), indicator.covered_share(&p), false);
    m.covered_value
}

/// One category of a buyer's spend file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgecSpendRow {
    /// The category.
    pub category: AgecCategory,
    /// Total HT spent in the year.
    pub total: Amount,
    /// HT spent on reuse / re-use, donations included (`None`: not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<Amount>,
    /// Of which valued donations (`None`: not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donations: Option<Amount>,
    /// HT spent on products with recycled content (`None`: not known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycled: Option<Amount>,
}

fn check_portions(at: &str, s: &AgecSpendRow, problems: &mut Vec<String>) {
    for (name, v) in [("reuse", s.reuse), ("recycled", s.recycled)] {
        if let Some(v) = v
            && v > s.total
        {
            problems.push(format!("{at}: {name} {v} exceeds the total {}", s.total));
        }
    }
    if let (Some(d), Some(r)) = (s.donations, s.reuse)
        && d > r
    {
        problems.push(format!(
            "{at}: donations {d} exceed reuse {r} (donations count within reuse)"
        ));
    }
}
