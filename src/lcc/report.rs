//! The LCC result for people: a Markdown report and a plain-text table, in French or English.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::lcc::compute::{LccResult, OfferCost};
use crate::lcc::discount::FACTOR_DECIMALS;
use crate::lcc::model::{CostKind, ScoringFormula};
use crate::render::format::{euros, number, rate};
use crate::values::lang::Lang;

/// The kinds present in at least one offer, in report order.
fn kinds(r: &LccResult) -> Vec<CostKind> {
    CostKind::ALL
        .into_iter()
        .filter(|k| r.offers.iter().any(|o| o.by_kind.contains_key(k)))
        .collect()
}

fn method_sentence(r: &LccResult, lang: Lang) -> String {
    let p = &r.parameters;
    let mut s = match lang {
        Lang::Fr => format!(
            "Horizon {} ans ; taux d'actualisation {} {} ; convention d'actualisation : {}",
            p.horizon_years(),
            rate(p.discount_rate(), 2, lang),
            p.rate_basis().label(lang),
            p.convention().label(lang)
        ),
        Lang::En => format!(
            "Horizon {} years; discount rate {} {}; discounting convention: {}",
            p.horizon_years(),
            rate(p.discount_rate(), 2, lang),
            p.rate_basis().label(lang),
            p.convention().label(lang)
        ),
    };
    if let Some(b) = p.base_year() {
        let _ = write!(
            s,
            "{}",
            lang.pick(&format!(" ; année 0 = {b}"), &format!("; year 0 = {b}"))
        );
    }
    for (name, e) in p.externalities() {
        let unit = e.unit.as_deref().unwrap_or("unit");
        let _ = write!(
            s,
            "{}",
            match lang {
                Lang::Fr => format!(" ; valeur de « {name} » par {unit} donnée année par année"),
                Lang::En => format!("; value of \"{name}\" per {unit} given year by year"),
            }
        );
    }
    let _ = write!(
        s,
        "{}",
        match lang {
            Lang::Fr => format!(
                ". Facteurs arrondis à {FACTOR_DECIMALS} décimales ; montants exacts, arrondis au centime à l'affichage (moitié vers le haut)."
            ),
            Lang::En => format!(
                ". Factors rounded to {FACTOR_DECIMALS} decimal places; exact amounts, rounded to the cent when shown (half away from zero)."
            ),
        }
    );
    s
}

fn scoring_sentence(r: &LccResult, lang: Lang) -> Option<String> {
    let s = r.scoring.as_ref()?;
    let max = number(s.max_points(), 2, lang);
    Some(match (s.formula(), lang) {
        (ScoringFormula::LowestRatio, Lang::Fr) => {
            format!("Note = {max} × coût le plus bas / coût de l'offre.")
        }
        (ScoringFormula::LowestRatio, Lang::En) => {
            format!("Score = {max} × lowest cost / cost of the offer.")
        }
        (ScoringFormula::ProportionalGap, Lang::Fr) => format!(
            "Note = {max} × (1 − (coût − coût le plus bas) / coût le plus bas), au moins 0."
        ),
        (ScoringFormula::ProportionalGap, Lang::En) => {
            format!("Score = {max} × (1 − (cost − lowest) / lowest), at least 0.")
        }
        (ScoringFormula::LinearBetween { lower, upper }, _) => {
            let lo = lower.map_or_else(
                || {
                    lang.pick("le coût le plus bas", "the lowest cost")
                        .to_string()
                },
                |l| euros(l, lang),
            );
            let hi = upper.map_or_else(
                || {
                    lang.pick("le coût le plus haut", "the highest cost")
                        .to_string()
                },
                |u| euros(u, lang),
            );
            match lang {
                Lang::Fr => {
                    format!("Note linéaire : {max} points à {lo} ou moins, 0 à {hi} ou plus.")
                }
                Lang::En => {
                    format!("Linear score: {max} points at {lo} or less, 0 at {hi} or more.")
                }
            }
        }
    })
}

/// Rows of cells → a Markdown table; `right` marks the right-aligned columns.
fn markdown_table(header: &[String], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    let esc = |c: &str| c.replace('|', "\\|");
    let _ = writeln!(
        s,
        "| {} |",
        header
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(
        s,
        "|{}|",
        right
            .iter()
            .map(|&r| if r { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in rows {
        let _ = writeln!(
            s,
            "| {} |",
            row.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        );
    }
    s
}

/// Rows of cells → a plain-text table with aligned columns.
fn text_table(header: &[String], right: &[bool], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        std::iter::once(&header[i])
            .chain(rows.iter().map(|r| &r[i]))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s.trim_end().to_string()
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", line(header));
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for r in rows {
        let _ = writeln!(out, "{}", line(r));
    }
    out
}

/// The summary table: one row per offer (rank, offer, LCC, each kind, score).
fn summary(r: &LccResult, lang: Lang) -> (Vec<String>, Vec<bool>, Vec<Vec<String>>) {
    let kinds = kinds(r);
    let mut header = vec![
        lang.pick("Rang", "Rank").to_string(),
        lang.pick("Offre", "Offer").to_string(),
        lang.pick("Coût du cycle de vie", "Life-cycle cost")
            .to_string(),
    ];
    header.extend(kinds.iter().map(|k| k.label(lang).to_string()));
    if let Some(s) = &r.scoring {
        header.push(format!(
            "{} /{}",
            lang.pick("Note", "Score"),
            number(s.max_points(), 2, lang)
        ));
    }
    let mut right = vec![true, false, true];
    right.extend(kinds.iter().map(|_| true));
    if r.scoring.is_some() {
        right.push(true);
    }
    let mut order: Vec<&OfferCost> = r.offers.iter().collect();
    order.sort_by_key(|o| o.rank);
    let rows = order
        .iter()
        .map(|o| {
            let mut row = vec![
                o.rank.to_string(),
                match &o.label {
                    Some(l) => format!("{} ({l})", o.offer),
                    None => o.offer.clone(),
                },
                euros(o.lcc, lang),
            ];
            row.extend(kinds.iter().map(|k| {
                o.by_kind
                    .get(k)
                    .map_or_else(|| "—".to_string(), |v| euros(*v, lang))
            }));
            if r.scoring.is_some() {
                row.push(o.score.map_or_else(String::new, |s| {
                    let t = crate::lcc::compute::round_money(s).to_string();
                    match lang {
                        Lang::Fr => t.replace('.', ","),
                        Lang::En => t,
                    }
                }));
            }
            row
        })
        .collect();
    (header, right, rows)
}

/// The yearly table of one offer: year, factor, each kind, total.
fn yearly(r: &LccResult, o: &OfferCost, lang: Lang) -> (Vec<String>, Vec<bool>, Vec<Vec<String>>) {
    let kinds: Vec<CostKind> = CostKind::ALL
        .into_iter()
        .filter(|k| o.by_kind.contains_key(k))
        .collect();
    let mut header = vec![
        lang.pick("Année", "Year").to_string(),
        lang.pick("Facteur", "Factor").to_string(),
    ];
    header.extend(kinds.iter().map(|k| k.label(lang).to_string()));
    header.push(lang.pick("Total actualisé", "Discounted total").to_string());
    let mut right = vec![true; header.len()];
    right[0] = true;
    let mut rows = Vec::new();
    for (&year, total) in &o.by_year {
        let mut row = vec![
            match r.parameters.base_year() {
                Some(b) => format!("{year} ({})", i64::from(b) + i64::from(year)),
                None => year.to_string(),
            },
            r.factors
                .get(year as usize)
                .map_or_else(String::new, |f| number(*f, 6, lang)),
        ];
        for k in &kinds {
            let v: Decimal = o
                .items
                .iter()
                .filter(|i| i.kind == *k)
                .flat_map(|i| i.years.iter().filter(|f| f.year == year))
                .map(|f| f.present_value)
                .sum();
            row.push(euros(v, lang));
        }
        row.push(euros(*total, lang));
        rows.push(row);
    }
    let mut total_row = vec![lang.pick("Total", "Total").to_string(), String::new()];
    total_row.extend(kinds.iter().map(|k| euros(o.by_kind[k], lang)));
    total_row.push(euros(o.lcc, lang));
    rows.push(total_row);
    (header, right, rows)
}

impl LccResult {
    /// The result as a Markdown report in `lang`: the method, the summary table (rank, LCC,
    /// each kind of cost, score) and, per offer, the discounted costs year by year.
    /// Deterministic.
    ///
    /// ```
    /// use spaser::Lang;
    /// use spaser::lcc::Study;
    /// let study = Study::from_json(r#"{
    ///   "parameters": {"horizon_years": 1, "discount_rate": "0", "rate_basis": "real"},
    ///   "offers": [{"id": "A", "items": [{"id": "p", "kind": "acquisition", "amount": "10"}]}]}"#)?;
    /// let md = study.compute()?.to_markdown(Lang::En);
    /// assert!(md.starts_with("# Life-cycle cost of the offers"));
    /// assert!(md.contains("| 1 | A | €10.00 |"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# {}\n",
            lang.pick(
                "Coût du cycle de vie des offres",
                "Life-cycle cost of the offers"
            )
        );
        let _ = writeln!(
            s,
            "{} {}\n",
            lang.pick("Méthode (CCP R2152-10) :", "Method (CCP R2152-10):"),
            method_sentence(self, lang)
        );
        if let Some(sc) = scoring_sentence(self, lang) {
            let _ = writeln!(s, "{sc}\n");
        }
        let (h, r, rows) = summary(self, lang);
        s.push_str(&markdown_table(&h, &r, &rows));
        for o in &self.offers {
            let _ = writeln!(
                s,
                "\n## {} {}{}\n",
                lang.pick("Offre", "Offer"),
                o.offer,
                o.label
                    .as_ref()
                    .map_or_else(String::new, |l| format!(" — {l}"))
            );
            let _ = writeln!(
                s,
                "{} {} ; {} {}\n",
                lang.pick(
                    "Coûts supportés par l'acheteur :",
                    "Costs borne by the buyer:"
                ),
                euros(o.buyer_costs, lang),
                lang.pick(
                    "coûts des externalités environnementales :",
                    "costs of environmental externalities:"
                ),
                euros(o.externalities, lang)
            );
            let (h, r, rows) = yearly(self, o, lang);
            s.push_str(&markdown_table(&h, &r, &rows));
        }
        s
    }

    /// The summary as a plain-text table for a terminal (rank, offer, LCC, each kind, score),
    /// preceded by the method. Deterministic.
    pub fn to_text(&self, lang: Lang) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{}\n", method_sentence(self, lang));
        if let Some(sc) = scoring_sentence(self, lang) {
            let _ = writeln!(s, "{sc}\n");
        }
        let (h, r, rows) = summary(self, lang);
        s.push_str(&text_table(&h, &r, &rows));
        s
    }
}
