//! The yearly EGalim table per restaurant (CRPM L230-5-1; FACTS §5): sustainable and quality
//! food, of which organic, and meat and fish, against the rates of the year — with the
//! categories of the ma-cantine declaration where they map.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::declarations::check::{
    RateCheck, column_convention, csv_text, file_year, share_cell, share_of,
};
use crate::error::{Error, ErrorKind, Result};
use crate::law::obligation_rules::{EgalimShare, ObligationId};
use crate::law::obligations::{FoodSpend, ObligationEngine};
use crate::law::rulebook::Rulebook;
use crate::render::format::{euros, rate};
use crate::util::text::excerpt;
use crate::values::lang::Lang;
use crate::values::money::{Amount, parse_decimal_with};
use crate::values::share::Share;
use crate::values::table::Table;

/// The purchases of one restaurant by the categories of the ma-cantine declaration
/// (`value_*_ht` fields of its simple diagnostic), when the buyer gives them. Each product
/// counts once, under its first label in the order organic, SIQO, externalities/performance,
/// other EGalim labels; their sum is the sustainable and quality total.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MaCantine {
    /// `value_bio_ht`: organic (products in conversion included).
    pub bio: Option<Amount>,
    /// `value_sustainable_ht`: SIQO labels other than organic (Label rouge, AOC/AOP, IGP, STG).
    pub siqo: Option<Amount>,
    /// `value_externality_performance_ht`: bought on their environmental externalities or
    /// performance.
    pub externality_performance: Option<Amount>,
    /// `value_egalim_others_ht`: other EGalim labels (HVE, sustainable fishing, RUP, farm,
    /// fair trade).
    pub egalim_others: Option<Amount>,
    /// `value_meat_poultry_ht`: meat and poultry.
    pub meat_poultry: Option<Amount>,
    /// `value_meat_poultry_egalim_ht`: of which EGalim.
    pub meat_poultry_egalim: Option<Amount>,
    /// `value_fish_ht`: fish and seafood.
    pub fish: Option<Amount>,
    /// `value_fish_egalim_ht`: of which EGalim.
    pub fish_egalim: Option<Amount>,
}

/// The food purchases of one restaurant in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestaurantFood {
    /// The restaurant's name (or identifier).
    pub restaurant: String,
    /// Total HT of food purchases (`value_total_ht`).
    pub total: Amount,
    /// Sustainable and quality products, organic included.
    pub quality: Amount,
    /// Of which organic.
    pub organic: Amount,
    /// Meat and fish purchases, when tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meat_fish_total: Option<Amount>,
    /// Of which sustainable and quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meat_fish_quality: Option<Amount>,
    /// The ma-cantine categories, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma_cantine: Option<MaCantine>,
}

/// One restaurant of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EgalimRow {
    /// The purchases.
    pub food: RestaurantFood,
    /// `quality / total`.
    pub quality_share: Option<Share>,
    /// `organic / total`.
    pub organic_share: Option<Share>,
    /// `meat_fish_quality / meat_fish_total`.
    pub meat_fish_share: Option<Share>,
    /// Sustainable and quality share against its rate.
    pub quality_check: RateCheck,
    /// Organic share against its rate.
    pub organic_check: RateCheck,
    /// Meat and fish share against its rate (from 2024).
    pub meat_fish_check: RateCheck,
}

/// The yearly EGalim table: one row per restaurant (each restaurant is checked on its own,
/// R230-30-1), in the order given.
///
/// ```
/// use spaser::Rulebook;
/// use spaser::declarations::{CheckStatus, EgalimDeclaration};
/// let csv = "restaurant;value_total_ht;value_bio_ht;value_sustainable_ht;value_externality_performance_ht;value_egalim_others_ht\n\
///            École Jaurès;100 000;20 000;25 000;3 000;2 000\n\
///            Crèche;40 000;4 000;6 000;;\n";
/// let t = EgalimDeclaration::from_csv(csv.as_bytes(), Some(2025), Rulebook::embedded())?;
/// assert_eq!(t.rows[0].quality_check.status, CheckStatus::Met); // 50 % of which 20 % organic
/// assert_eq!(t.rows[1].organic_check.status, CheckStatus::NotMet); // 10 %
/// assert_eq!(t.rows[0].meat_fish_check.status, CheckStatus::Unknown); // not tracked
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EgalimDeclaration {
    /// Calendar year.
    pub year: i32,
    /// The restaurants.
    pub rows: Vec<EgalimRow>,
    /// Rows of the input left out, with why (other years).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn year_end(year: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("year \"{year}\" is out of range"),
        )
    })
}

impl EgalimDeclaration {
    /// The table of the embedded sample: three restaurants of a town in 2025 (a school group
    /// that reaches every rate, a nursery that reaches none, a staff restaurant that does not
    /// track meat and fish), with the ma-cantine categories — illustrative figures.
    ///
    /// ```
    /// let t = spaser::declarations::EgalimDeclaration::sample(spaser::Rulebook::embedded())?;
    /// assert_eq!(t.rows.len(), 3);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// The engine's errors (none with the embedded rulebook).
    pub fn sample(rulebook: &Rulebook) -> Result<EgalimDeclaration> {
        EgalimDeclaration::from_csv(
            include_str!("../data/egalim_sample.csv").as_bytes(),
            None,
            rulebook,
        )
    }

    /// The table of `restaurants` for `year`, each checked by the obligations engine.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`] naming the restaurant when a portion exceeds its total or
    /// organic exceeds quality; [`ErrorKind::Duplicate`] for a restaurant given twice.
    pub fn new(
        year: i32,
        restaurants: Vec<RestaurantFood>,
        rulebook: &Rulebook,
    ) -> Result<EgalimDeclaration> {
        let engine = ObligationEngine::new(rulebook);
        let end = year_end(year)?;
        let rate = |s: EgalimShare| rulebook.obligations.egalim_rule(s, end).map(|r| r.rate);
        let mut seen = BTreeMap::new();
        let mut rows = Vec::with_capacity(restaurants.len());
        for (i, food) in restaurants.into_iter().enumerate() {
            if let Some(first) = seen.insert(food.restaurant.clone(), i) {
                return Err(Error::new(
                    ErrorKind::Duplicate,
                    format!(
                        "restaurant \"{}\" is given twice (rows {} and {})",
                        excerpt(&food.restaurant),
                        first + 1,
                        i + 1
                    ),
                ));
            }
            let spend = FoodSpend {
                year,
                total: food.total,
                quality: food.quality,
                organic: food.organic,
                meat_fish_total: food.meat_fish_total,
                meat_fish_quality: food.meat_fish_quality,
            };
            let findings = engine
                .egalim(&spend)
                .map_err(|e| e.context(format!("restaurant \"{}\"", excerpt(&food.restaurant))))?;
            let check = |id: ObligationId, share: EgalimShare| -> Result<RateCheck> {
                let f = findings
                    .iter()
                    .find(|f| f.obligation == id)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::NoRule,
                            format!("the obligations engine gave no {id} finding"),
                        )
                    })?;
                Ok(RateCheck::from_finding(f, rate(share), None))
            };
            rows.push(EgalimRow {
                quality_share: share_of(food.total, Some(food.quality)),
                organic_share: share_of(food.total, Some(food.organic)),
                meat_fish_share: food
                    .meat_fish_total
                    .and_then(|t| share_of(t, food.meat_fish_quality)),
                quality_check: check(ObligationId::EgalimQuality, EgalimShare::Quality)?,
                organic_check: check(ObligationId::EgalimOrganic, EgalimShare::Organic)?,
                meat_fish_check: check(ObligationId::EgalimMeatFish, EgalimShare::MeatFish)?,
                food,
            });
        }
        Ok(EgalimDeclaration {
            year,
            rows,
            notes: Vec::new(),
        })
    }

    /// The table from a CSV of food purchases per restaurant. Columns (any order and case,
    /// accents optional): `restaurant` (`cantine`, `nom`), `year` (`annee`), the total
    /// (`total`, `value_total_ht`, `achats_alimentaires`), the sustainable and quality total
    /// (`quality`, `durables_et_qualite`, `egalim`) and organic (`organic`, `bio`,
    /// `value_bio_ht`) — or the ma-cantine categories `value_bio_ht`, `value_sustainable_ht`,
    /// `value_externality_performance_ht`, `value_egalim_others_ht`, whose sum is the quality
    /// total — and, when tracked, meat and fish (`meat_fish`, `viandes_poissons`,
    /// `meat_fish_quality`, `viandes_poissons_egalim`, or ma-cantine's `value_meat_poultry_ht`,
    /// `value_meat_poultry_egalim_ht`, `value_fish_ht`, `value_fish_egalim_ht`). With a `year`
    /// column, the rows of `year` are read (`None`: the file must hold one year).
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] for a missing restaurant or total column, or no year;
    /// [`ErrorKind::InvalidValue`] listing every bad row at once (line, column, value), such as
    /// a quality total that differs from the sum of its ma-cantine categories; the errors of
    /// [`EgalimDeclaration::new`].
    pub fn from_csv(
        reader: impl Read,
        year: Option<i32>,
        rulebook: &Rulebook,
    ) -> Result<EgalimDeclaration> {
        let what = "EGalim purchases file";
        let t = Table::read(reader, what)?;
        let col = |a: &[&str]| t.column(what, a);
        let c_name = col(&[
            "restaurant",
            "cantine",
            "nom",
            "nom_cantine",
            "canteen",
            "name",
            "restaurant_name",
        ])?;
        let c_year = col(&["year", "annee"])?;
        let c_total = col(&[
            "total",
            "value_total_ht",
            "valeur_totale",
            "achats_alimentaires",
            "total_ht",
            "total_food",
        ])?;
        let c_quality = col(&[
            "quality",
            "durables_et_qualite",
            "durable_et_qualite",
            "egalim",
            "sustainable_quality",
            "value_egalim_ht",
        ])?;
        let c_organic = col(&["organic", "bio", "value_bio_ht", "valeur_bio", "dont_bio"])?;
        let c_siqo = col(&["value_sustainable_ht", "siqo", "valeur_siqo"])?;
        let c_ext = col(&[
            "value_externality_performance_ht",
            "externalites_performance",
            "valeur_externalites_performance",
        ])?;
        let c_others = col(&[
            "value_egalim_others_ht",
            "egalim_autres",
            "valeur_egalim_autres",
        ])?;
        let c_mf = col(&[
            "meat_fish",
            "meat_fish_total",
            "viandes_poissons",
            "viandes_et_poissons",
        ])?;
        let c_mfq = col(&[
            "meat_fish_quality",
            "viandes_poissons_egalim",
            "viandes_et_poissons_egalim",
        ])?;
        let c_meat = col(&[
            "value_meat_poultry_ht",
            "viandes_volailles",
            "valeur_viandes_volailles",
        ])?;
        let c_meatq = col(&[
            "value_meat_poultry_egalim_ht",
            "viandes_volailles_egalim",
            "valeur_viandes_volailles_egalim",
        ])?;
        let c_fish = col(&[
            "value_fish_ht",
            "produits_de_la_mer",
            "valeur_produits_de_la_mer",
        ])?;
        let c_fishq = col(&[
            "value_fish_egalim_ht",
            "produits_de_la_mer_egalim",
            "valeur_produits_de_la_mer_egalim",
        ])?;
        for (name, c) in [("restaurant", c_name), ("total (value_total_ht)", c_total)] {
            if c.is_none() {
                return Err(Error::new(
                    ErrorKind::Missing,
                    format!("{what}, line 1: required column {name} is missing"),
                ));
            }
        }
        if c_quality.is_none() && c_siqo.is_none() && c_ext.is_none() && c_others.is_none() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!(
                    "{what}, line 1: no quality column (quality, or the ma-cantine value_*_ht categories)"
                ),
            ));
        }
        if c_organic.is_none() {
            return Err(Error::new(
                ErrorKind::Missing,
                format!("{what}, line 1: required column organic (bio, value_bio_ht) is missing"),
            ));
        }
        let years: std::collections::BTreeSet<&str> =
            t.cells(c_year).filter(|s| !s.is_empty()).collect();
        let year = file_year(what, year, "year", &years, "the purchases")?;
        let conv = |c: Option<usize>| column_convention(&t, c);
        let header = |c: Option<usize>| c.map_or("", |i| t.headers[i].as_str());
        let mut problems = Vec::new();
        let mut out = Vec::new();
        let mut other_years = 0u64;
        for r in &t.rows {
            let y = r.get(c_year);
            if !y.is_empty() && y.trim().parse::<i32>().ok() != Some(year) {
                other_years += 1;
                continue;
            }
            let at = |c: Option<usize>, m: String| {
                format!("{what}, line {}, column \"{}\": {m}", r.line, header(c))
            };
            let amount = |c: Option<usize>, problems: &mut Vec<String>| -> Option<Amount> {
                let text = r.get(c);
                if text.is_empty() {
                    return None;
                }
                match parse_decimal_with(text, conv(c)).and_then(Amount::new) {
                    Ok(a) => Some(a),
                    Err(e) => {
                        problems.push(at(c, e.to_string()));
                        None
                    }
                }
            };
            let name = r.get(c_name).to_string();
            if name.is_empty() {
                problems.push(at(c_name, "the restaurant is empty".into()));
                continue;
            }
            let before = problems.len();
            let total = amount(c_total, &mut problems);
            let quality = amount(c_quality, &mut problems);
            let organic = amount(c_organic, &mut problems);
            if organic.is_none() && problems.len() == before {
                problems.push(at(
                    c_organic,
                    "the organic amount is empty (write 0 when none)".into(),
                ));
                continue;
            }
            let mc = MaCantine {
                bio: organic,
                siqo: amount(c_siqo, &mut problems),
                externality_performance: amount(c_ext, &mut problems),
                egalim_others: amount(c_others, &mut problems),
                meat_poultry: amount(c_meat, &mut problems),
                meat_poultry_egalim: amount(c_meatq, &mut problems),
                fish: amount(c_fish, &mut problems),
                fish_egalim: amount(c_fishq, &mut problems),
            };
            let mf = amount(c_mf, &mut problems);
            let mfq = amount(c_mfq, &mut problems);
            if problems.len() > before {
                continue;
            }
            let Some(total) = total else {
                problems.push(at(c_total, "the total is empty".into()));
                continue;
            };
            let sum = |parts: &[Option<Amount>]| -> Option<Amount> {
                if parts.iter().all(Option::is_none) {
                    return None;
                }
                Amount::sum(parts.iter().map(|p| p.unwrap_or(Amount::ZERO))).ok()
            };
            let categories = [
                mc.bio,
                mc.siqo,
                mc.externality_performance,
                mc.egalim_others,
            ];
            let has_categories = mc.siqo.is_some()
                || mc.externality_performance.is_some()
                || mc.egalim_others.is_some();
            let quality = match (quality, has_categories.then(|| sum(&categories)).flatten()) {
                (Some(q), Some(s)) if q != s => {
                    problems.push(at(
                        c_quality,
                        format!(
                            "quality {q} differs from the sum {s} of its ma-cantine categories"
                        ),
                    ));
                    continue;
                }
                (Some(q), _) => q,
                (None, Some(s)) => s,
                (None, None) => {
                    problems.push(at(c_quality, "no quality amount".into()));
                    continue;
                }
            };
            let family_total = sum(&[mc.meat_poultry, mc.fish]);
            let family_quality = sum(&[mc.meat_poultry_egalim, mc.fish_egalim]);
            let meat_fish_total = mf.or(family_total);
            let meat_fish_quality = mfq.or(family_quality);
            let ma_cantine =
                (mc != MaCantine {
                    bio: organic,
                    ..MaCantine::default()
                } || has_categories)
                    .then_some(mc);
            out.push(RestaurantFood {
                restaurant: name,
                total,
                quality,
                organic: organic.unwrap_or(Amount::ZERO),
                meat_fish_total,
                meat_fish_quality,
                ma_cantine,
            });
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
        let mut t = EgalimDeclaration::new(year, out, rulebook)?;
        if other_years > 0 {
            t.notes
                .push(format!("{other_years} rows of other years left out"));
        }
        Ok(t)
    }

    /// The table as CSV (`;`, one row per restaurant): the amounts under the ma-cantine
    /// field names where they map (`value_total_ht`, `value_bio_ht`, `value_sustainable_ht`,
    /// `value_externality_performance_ht`, `value_egalim_others_ht`, `value_meat_poultry_ht`,
    /// `value_meat_poultry_egalim_ht`, `value_fish_ht`, `value_fish_egalim_ht`), the crate's
    /// totals (`egalim_ht`, `meat_fish_ht`, `meat_fish_egalim_ht`), the shares, the rates of
    /// the year and the statuses (`unknown` when not tracked). Deterministic.
    pub fn to_csv(&self) -> String {
        let header = [
            "annee",
            "restaurant",
            "value_total_ht",
            "egalim_ht",
            "value_bio_ht",
            "value_sustainable_ht",
            "value_externality_performance_ht",
            "value_egalim_others_ht",
            "meat_fish_ht",
            "meat_fish_egalim_ht",
            "value_meat_poultry_ht",
            "value_meat_poultry_egalim_ht",
            "value_fish_ht",
            "value_fish_egalim_ht",
            "part_egalim",
            "taux_egalim",
            "statut_egalim",
            "part_bio",
            "taux_bio",
            "statut_bio",
            "part_viandes_poissons_egalim",
            "taux_viandes_poissons_egalim",
            "statut_viandes_poissons_egalim",
        ];
        let a = |x: Option<Amount>| x.map_or_else(String::new, |x| x.to_string());
        let rate = |c: &RateCheck| {
            c.rate
                .map_or_else(|| "unknown".to_string(), |r| r.to_string())
        };
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                let f = &r.food;
                let mc = f.ma_cantine.clone().unwrap_or_default();
                vec![
                    self.year.to_string(),
                    f.restaurant.clone(),
                    f.total.to_string(),
                    f.quality.to_string(),
                    f.organic.to_string(),
                    a(mc.siqo),
                    a(mc.externality_performance),
                    a(mc.egalim_others),
                    a(f.meat_fish_total),
                    a(f.meat_fish_quality),
                    a(mc.meat_poultry),
                    a(mc.meat_poultry_egalim),
                    a(mc.fish),
                    a(mc.fish_egalim),
                    share_cell(r.quality_share),
                    rate(&r.quality_check),
                    r.quality_check.status.to_string(),
                    share_cell(r.organic_share),
                    rate(&r.organic_check),
                    r.organic_check.status.to_string(),
                    share_cell(r.meat_fish_share),
                    rate(&r.meat_fish_check),
                    r.meat_fish_check.status.to_string(),
                ]
            })
            .collect();
        csv_text(&header, &rows)
    }

    /// The table as pretty-printed JSON. Deterministic.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("EGalim table JSON: {e}")).with_source(e)
        })
    }

    /// The table as Markdown in `lang`.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# {} {}\n",
            lang.pick(
                "Produits durables et de qualité en restauration collective (EGalim, CRPM L230-5-1) —",
                "Sustainable and quality food in collective catering (EGalim, CRPM L230-5-1) —"
            ),
            self.year
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            lang.pick("Restaurant", "Restaurant"),
            lang.pick("Achats HT", "Purchases excl. VAT"),
            lang.pick("Durables et de qualité", "Sustainable and quality"),
            lang.pick("dont bio", "of which organic"),
            lang.pick("Viandes et poissons", "Meat and fish"),
        );
        let _ = writeln!(s, "|---|---:|---|---|---|");
        let cell = |share: Option<Share>, c: &RateCheck| {
            format!(
                "{} ({} {}) : {}",
                share.map_or_else(|| "—".to_string(), |x| rate(x.as_decimal(), 2, lang)),
                lang.pick("taux", "rate"),
                c.rate_text(lang),
                c.status
            )
        };
        for r in &self.rows {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                r.food.restaurant,
                euros(r.food.total.as_decimal(), lang),
                cell(r.quality_share, &r.quality_check),
                cell(r.organic_share, &r.organic_check),
                cell(r.meat_fish_share, &r.meat_fish_check),
            );
        }
        s
    }
}
