//! An LCC study (parameters, scoring, offers) and its JSON and CSV forms.

use std::collections::BTreeMap;
use std::io::Read;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::lcc::model::{
    CostItem, CostKind, Offer, Parameters, Price, Quantity, RawParameters, RawScoring, Scoring,
    Years, all_problems, check_offers, decimal_of, problem,
};
use crate::util::text::excerpt;
use crate::values::money::{ConventionVotes, NumberConvention, parse_decimal_with};
use crate::values::table::{Row, Table};

/// An LCC study: the method stated in the consultation documents, the scoring of the cost
/// criterion and the offers to compare.
///
/// # JSON format
///
/// ```json
/// { "parameters": {
///     "horizon_years": 8,                  // years of use (1..=100)
///     "discount_rate": "0.04",             // > -100 %; "4 %" accepted
///     "rate_basis": "real",                // real | nominal: prices and escalations alike
///     "convention": "end_of_year",         // beginning_of_year | middle_of_year | end_of_year
///     "base_year": 2026,                   // optional: calendar year of year 0
///     "externalities": { "co2e": { "unit": "t CO2e",
///                                  "values": { "2027": "100", "2028": "110" } } } },
///   "scoring": { "formula": "lowest_ratio", "max_points": "60" },      // optional
///   "offers": [ { "id": "A", "label": "Fournisseur A", "items": [
///     { "id": "purchase", "kind": "acquisition", "amount": "1200" },    // year 0 by default
///     { "id": "electricity", "kind": "energy", "quantity": "350", "unit": "kWh",
///       "unit_price": "0.2", "escalation": "0.02" },                    // years 1..=8
///     { "id": "toner", "kind": "consumables", "unit_price": "30",
///       "per_year": { "1": "4", "2": "5" } },                           // quantities per year
///     { "id": "co2", "kind": "emissions", "pollutant": "co2e", "quantity": "0.07",
///       "from": 1, "to": 2 },
///     { "id": "resale", "kind": "residual_value", "amount": "100" } ] } ] }  // last year
/// ```
/// An item gives `amount` (per year), or `quantity` and `unit_price`, or `per_year`
/// (quantities with `unit_price`, amounts without), or `pollutant` with `quantity` or
/// `per_year`; its years are `year`, `from`/`to`, the keys of `per_year`, or its kind's
/// defaults. Decimals are JSON strings (numbers are read through their shortest decimal form).
///
/// ```
/// use spaser::lcc::Study;
/// let study = Study::from_json(r#"{
///   "parameters": {"horizon_years": 2, "discount_rate": "0.1", "rate_basis": "real"},
///   "offers": [{"id": "A", "items": [
///     {"id": "price", "kind": "acquisition", "amount": "1000"},
///     {"id": "upkeep", "kind": "maintenance", "amount": "110"}]}]}"#)?;
/// let result = study.compute()?;
/// assert_eq!(result.offers[0].lcc_rounded().to_string(), "1190.91"); // 1000 + 100 + 90.91
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawStudy", into = "RawStudy")]
pub struct Study {
    /// The method.
    pub parameters: Parameters,
    /// The scoring of the cost criterion, when the LCC is scored.
    pub scoring: Option<Scoring>,
    /// The offers, in the order given.
    pub offers: Vec<Offer>,
}

static SAMPLE: std::sync::OnceLock<Study> = std::sync::OnceLock::new();

impl Study {
    /// The embedded sample study: three offers of 100 laptops over 5 years (new, reconditioned,
    /// eco-designed with take-back), energy with escalation, maintenance, end of life, residual
    /// value and CO2e valued with a carbon trajectory — the trajectory and every price are
    /// illustrative figures a buyer would set, not legal ones.
    ///
    /// ```
    /// let r = spaser::lcc::Study::sample().compute()?;
    /// assert_eq!(r.offers.len(), 3);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn sample() -> &'static Study {
        SAMPLE.get_or_init(|| {
            // The embedded file is part of the crate and is read by the test
            // `sample_study_is_valid`: this cannot fail at run time.
            Study::from_json(include_str!("../data/lcc_sample.json"))
                .expect("embedded LCC sample is valid (checked by tests)")
        })
    }

    /// A study.
    pub fn new(parameters: Parameters, offers: Vec<Offer>) -> Study {
        Study {
            parameters,
            scoring: None,
            offers,
        }
    }

    /// The same study with a scoring.
    pub fn with_scoring(mut self, scoring: Scoring) -> Study {
        self.scoring = Some(scoring);
        self
    }

    /// Checks every offer against the parameters, reporting every problem at once.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] listing each problem with its offer, item and field:
    /// duplicate or empty ids, a year beyond the horizon or missing from a `per_year` series,
    /// a negative quantity or price, an escalation of −100 % or less, an unknown pollutant or
    /// a year without externality value.
    pub fn validate(&self) -> Result<()> {
        all_problems(
            "the offers",
            ErrorKind::InvalidValue,
            check_offers(&self.offers, &self.parameters),
        )
    }

    /// Reads a study from its JSON form (see the type's documentation).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON (with its line and column) and the errors of
    /// [`Parameters::new`] and [`Study::validate`], every problem of the offers at once.
    pub fn from_json(text: &str) -> Result<Study> {
        // The raw form first (errors of form, with line and column), then the checks (errors
        // of content, with their own kinds).
        let raw: RawStudy = serde_json::from_str(text).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("LCC study JSON: {e}")).with_source(e)
        })?;
        Study::try_from(raw)
    }

    /// The study as pretty-printed JSON (the input format; deterministic).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] if serialization fails (it does not for valid values).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| {
            Error::new(ErrorKind::Parse, format!("LCC study JSON: {e}")).with_source(e)
        })
    }

    /// Reads the offers of a study from a spreadsheet export (CSV), one cost item per row — or
    /// one row per year of an item given year by year — with the study's `parameters` given
    /// apart.
    ///
    /// Columns (English or French, any order and case, accents optional): `offer` (`offre`),
    /// `offer_label` (`libelle_offre`), `item` (`poste`), `kind` (`type`), `year` (`annee`),
    /// `from` (`de`), `to` (`a`), `quantity` (`quantite`), `unit` (`unite`), `unit_price`
    /// (`prix_unitaire`), `amount` (`montant`), `escalation` (`evolution`), `pollutant`
    /// (`polluant`). `offer`, `item` and `kind` are required. Rows of one offer and item that
    /// each give a `year` form a series given year by year. Numbers take a decimal comma or
    /// point (decided per column), spaces, `€`, and `%` for escalations.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use spaser::lcc::{Convention, Parameters, RateBasis, Study};
    /// let csv = "offre;poste;type;annee;montant\nA;achat;acquisition;0;1 000,00\n\
    ///            A;entretien;maintenance;1;110\nA;entretien;maintenance;2;121\n";
    /// let p = Parameters::new(2, Decimal::new(1, 1), RateBasis::Real, Convention::EndOfYear)?;
    /// let study = Study::from_csv(csv.as_bytes(), p)?;
    /// assert_eq!(study.compute()?.offers[0].lcc_rounded().to_string(), "1200.00");
    /// # Ok::<(), spaser::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] for a missing required column; [`ErrorKind::Parse`] for bad CSV
    /// or an unreadable number; [`ErrorKind::InvalidValue`] listing every problem of every row
    /// at once, each with its line, offer, item and column; the errors of
    /// [`Study::validate`].
    pub fn from_csv(reader: impl Read, parameters: Parameters) -> Result<Study> {
        let table = Table::read(reader, "offers file")?;
        let col = |aliases: &[&str]| table.column("offers file", aliases);
        let c = CsvCols {
            offer: col(&["offer", "offre", "candidat", "tenderer", "soumissionnaire"])?,
            label: col(&["offer_label", "libelle_offre", "label_offre"])?,
            item: col(&["item", "poste", "cost_item", "element"])?,
            kind: col(&["kind", "type", "type_de_cout", "cost_kind"])?,
            year: col(&["year", "annee"])?,
            from: col(&["from", "de", "from_year", "annee_debut"])?,
            to: col(&["to", "a", "to_year", "annee_fin"])?,
            quantity: col(&["quantity", "quantite", "qte"])?,
            unit: col(&["unit", "unite"])?,
            unit_price: col(&["unit_price", "prix_unitaire", "pu"])?,
            amount: col(&["amount", "montant", "cout", "cost"])?,
            escalation: col(&["escalation", "evolution", "indexation", "hausse_annuelle"])?,
            pollutant: col(&["pollutant", "polluant"])?,
        };
        for (name, idx) in [("offer", c.offer), ("item", c.item), ("kind", c.kind)] {
            if idx.is_none() {
                return Err(Error::new(
                    ErrorKind::Missing,
                    format!("offers file, line 1: required column \"{name}\" is missing"),
                ));
            }
        }
        let conv = |col: Option<usize>| {
            let mut votes = ConventionVotes::default();
            for cell in table.cells(col) {
                votes.add(cell.trim_end_matches('%').trim());
            }
            votes.decide(None)
        };
        let convs = NumConvs {
            quantity: conv(c.quantity),
            unit_price: conv(c.unit_price),
            amount: conv(c.amount),
            escalation: conv(c.escalation),
        };
        let mut problems = Vec::new();
        // (offer, item) → rows, in first-seen order
        let mut order: Vec<(String, String)> = Vec::new();
        let mut groups: BTreeMap<(String, String), Vec<&Row>> = BTreeMap::new();
        let mut labels: BTreeMap<String, String> = BTreeMap::new();
        let mut offer_order: Vec<String> = Vec::new();
        for r in &table.rows {
            let offer = r.get(c.offer).to_string();
            let item = r.get(c.item).to_string();
            if offer.is_empty() || item.is_empty() {
                problems.push(format!(
                    "offers file, line {}: column \"{}\" is empty",
                    r.line,
                    if offer.is_empty() { "offer" } else { "item" }
                ));
                continue;
            }
            let label = r.get(c.label);
            if !label.is_empty() {
                labels
                    .entry(offer.clone())
                    .or_insert_with(|| label.to_string());
            }
            if !offer_order.contains(&offer) {
                offer_order.push(offer.clone());
            }
            let key = (offer, item);
            if !groups.contains_key(&key) {
                order.push(key.clone());
            }
            groups.entry(key).or_default().push(r);
        }
        let mut offers: Vec<Offer> = offer_order
            .iter()
            .map(|o| Offer {
                id: o.clone(),
                label: labels.get(o).cloned(),
                items: Vec::new(),
            })
            .collect();
        for key in &order {
            let rows = &groups[key];
            match csv_item(&key.0, &key.1, rows, &c, &convs, parameters.horizon_years()) {
                Ok(item) => {
                    if let Some(o) = offers.iter_mut().find(|o| o.id == key.0) {
                        o.items.push(item);
                    }
                }
                Err(mut e) => problems.append(&mut e),
            }
        }
        all_problems("the offers file", ErrorKind::InvalidValue, problems)?;
        let study = Study::new(parameters, offers);
        study.validate()?;
        Ok(study)
    }
}

struct CsvCols {
    offer: Option<usize>,
    label: Option<usize>,
    item: Option<usize>,
    kind: Option<usize>,
    year: Option<usize>,
    from: Option<usize>,
    to: Option<usize>,
    quantity: Option<usize>,
    unit: Option<usize>,
    unit_price: Option<usize>,
    amount: Option<usize>,
    escalation: Option<usize>,
    pollutant: Option<usize>,
}

struct NumConvs {
    quantity: Option<NumberConvention>,
    unit_price: Option<NumberConvention>,
    amount: Option<NumberConvention>,
    escalation: Option<NumberConvention>,
}

/// Parses a decimal cell: the crate's localized reading (grouping, `€`, the column's
/// convention) and a trailing `%`.
fn csv_decimal(text: &str, conv: Option<NumberConvention>) -> std::result::Result<Decimal, String> {
    let t = text.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let d = parse_decimal_with(num, conv).map_err(|e| e.to_string())?;
    Ok(if pct { d / Decimal::ONE_HUNDRED } else { d })
}

fn csv_year(text: &str) -> std::result::Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(v) if v < 0 => Err(format!(
            "year {v} is negative (years count from 0, the purchase)"
        )),
        Ok(v) => u32::try_from(v)
            .map(Some)
            .map_err(|_| format!("year {v} is out of range")),
        Err(_) => Err(format!("\"{}\" is not a whole year number", excerpt(t))),
    }
}

/// One item from its CSV rows; every problem found, each with its line.
fn csv_item(
    offer: &str,
    item: &str,
    rows: &[&Row],
    c: &CsvCols,
    n: &NumConvs,
    horizon: u32,
) -> std::result::Result<CostItem, Vec<String>> {
    let mut problems = Vec::new();
    let at = |r: &Row, col: &str, m: String| {
        format!(
            "offers file, line {}, {}",
            r.line,
            problem(offer, Some(item), col, m)
        )
    };
    let first = rows[0];
    let kind = match first.get(c.kind).parse::<CostKind>() {
        Ok(k) => Some(k),
        Err(e) => {
            problems.push(at(first, "kind", e.to_string()));
            None
        }
    };
    let dec = |r: &Row, col: Option<usize>, name: &str, conv, problems: &mut Vec<String>| {
        let t = r.get(col);
        if t.is_empty() {
            return None;
        }
        match csv_decimal(t, conv) {
            Ok(d) => Some(d),
            Err(m) => {
                problems.push(at(r, name, m));
                None
            }
        }
    };
    let unit_price = dec(
        first,
        c.unit_price,
        "unit_price",
        n.unit_price,
        &mut problems,
    );
    let escalation = dec(
        first,
        c.escalation,
        "escalation",
        n.escalation,
        &mut problems,
    );
    let pollutant = Some(first.get(c.pollutant)).filter(|s| !s.is_empty());
    let unit = Some(first.get(c.unit)).filter(|s| !s.is_empty());
    for r in &rows[1..] {
        for (name, col) in [
            ("kind", c.kind),
            ("unit_price", c.unit_price),
            ("escalation", c.escalation),
            ("pollutant", c.pollutant),
            ("unit", c.unit),
        ] {
            if r.get(col) != first.get(col) {
                problems.push(at(
                    r,
                    name,
                    format!(
                        "\"{}\" differs from line {} (\"{}\"): the rows of one item share it",
                        excerpt(r.get(col)),
                        first.line,
                        excerpt(first.get(col))
                    ),
                ));
            }
        }
    }
    let year_of = |r: &Row, problems: &mut Vec<String>| match csv_year(r.get(c.year)) {
        Ok(y) => y,
        Err(m) => {
            problems.push(at(r, "year", m));
            None
        }
    };
    // the quantity (or amount) of a row
    let value_of = |r: &Row, problems: &mut Vec<String>| -> Option<Decimal> {
        let q = dec(r, c.quantity, "quantity", n.quantity, problems);
        let a = dec(r, c.amount, "amount", n.amount, problems);
        match (q, a) {
            (Some(_), Some(_)) => {
                problems.push(at(
                    r,
                    "amount",
                    "give either an amount or a quantity, not both".into(),
                ));
                None
            }
            (Some(q), None) => Some(q),
            (None, Some(a)) => Some(a),
            (None, None) => {
                problems.push(at(
                    r,
                    "quantity",
                    "the row gives neither a quantity nor an amount".into(),
                ));
                None
            }
        }
    };
    let has_amount = rows.iter().any(|r| !r.get(c.amount).is_empty());
    let mut years = None;
    let quantity = if rows.len() > 1 {
        let mut m = BTreeMap::new();
        for r in rows {
            let Some(y) = year_of(r, &mut problems) else {
                if r.get(c.year).is_empty() {
                    problems.push(at(
                        r,
                        "year",
                        "several rows give this item: each needs its year".into(),
                    ));
                }
                continue;
            };
            if let Some(v) = value_of(r, &mut problems)
                && m.insert(y, v).is_some()
            {
                problems.push(at(r, "year", format!("year {y} is given twice")));
            }
        }
        Quantity::PerYear(m)
    } else {
        let y = year_of(first, &mut problems);
        let from = csv_year(first.get(c.from)).unwrap_or_else(|m| {
            problems.push(at(first, "from", m));
            None
        });
        let to = csv_year(first.get(c.to)).unwrap_or_else(|m| {
            problems.push(at(first, "to", m));
            None
        });
        years = match (y, from, to) {
            (Some(y), None, None) => Some(Years::Once(y)),
            (None, None, None) => None,
            (None, f, t) => Some(Years::Range {
                from: f.unwrap_or_else(|| kind.map_or(1, |k| k.default_years(horizon).first())),
                to: t.unwrap_or(horizon),
            }),
            (Some(_), _, _) => {
                problems.push(at(
                    first,
                    "year",
                    "give either a year or from/to, not both".into(),
                ));
                None
            }
        };
        Quantity::Constant(value_of(first, &mut problems).unwrap_or(Decimal::ZERO))
    };
    let price = match (pollutant, unit_price, has_amount) {
        (Some(p), None, false) => Price::Externality(p.to_string()),
        (Some(_), _, _) => {
            problems.push(at(
                first,
                "pollutant",
                "an emissions row gives a quantity and its pollutant, no price nor amount".into(),
            ));
            Price::Unit(Decimal::ZERO)
        }
        (None, Some(u), false) => Price::Unit(u),
        (None, None, true) => Price::Unit(Decimal::ONE),
        (None, Some(_), true) => {
            problems.push(at(
                first,
                "unit_price",
                "a unit price goes with quantities, not amounts".into(),
            ));
            Price::Unit(Decimal::ZERO)
        }
        (None, None, false) => {
            problems.push(at(
                first,
                "unit_price",
                "a quantity needs a unit price (or a pollutant for emissions)".into(),
            ));
            Price::Unit(Decimal::ZERO)
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(CostItem {
        id: item.to_string(),
        kind: kind.unwrap_or(CostKind::Other),
        years,
        quantity,
        unit: unit.map(str::to_string),
        price,
        escalation: escalation.unwrap_or(Decimal::ZERO),
    })
}

/// The JSON form of a cost item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantity: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    per_year: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_price: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    escalation: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pollutant: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStudy {
    parameters: RawParameters,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scoring: Option<RawScoring>,
    offers: Vec<RawOffer>,
}

fn dec_str(d: Decimal) -> serde_json::Value {
    serde_json::Value::String(d.normalize().to_string())
}

fn raw_year(offer: &str, item: &str, field: &str, v: i64, out: &mut Vec<String>) -> Option<u32> {
    if v < 0 {
        out.push(problem(
            offer,
            Some(item),
            field,
            format!("year {v} is negative (years count from 0, the purchase)"),
        ));
        return None;
    }
    match u32::try_from(v) {
        Ok(y) => Some(y),
        Err(_) => {
            out.push(problem(
                offer,
                Some(item),
                field,
                format!("year {v} is out of range"),
            ));
            None
        }
    }
}

fn item_from_raw(offer: &str, r: RawItem, horizon: u32, out: &mut Vec<String>) -> Option<CostItem> {
    let before = out.len();
    let id = r.id.clone();
    let dec = |field: &str, v: &Option<serde_json::Value>, out: &mut Vec<String>| {
        v.as_ref().and_then(|v| match decimal_of(v) {
            Ok(d) => Some(d),
            Err(m) => {
                out.push(problem(offer, Some(&id), field, m));
                None
            }
        })
    };
    let kind = match r.kind.parse::<CostKind>() {
        Ok(k) => Some(k),
        Err(e) => {
            out.push(problem(offer, Some(&id), "kind", e.to_string()));
            None
        }
    };
    let amount = dec("amount", &r.amount, out);
    let quantity = dec("quantity", &r.quantity, out);
    let unit_price = dec("unit_price", &r.unit_price, out);
    let escalation = dec("escalation", &r.escalation, out).unwrap_or(Decimal::ZERO);
    let per_year = r.per_year.as_ref().map(|m| {
        let mut years = BTreeMap::new();
        for (k, v) in m {
            let y = match k.trim().parse::<i64>() {
                Ok(y) => raw_year(offer, &id, "per_year", y, out),
                Err(_) => {
                    out.push(problem(
                        offer,
                        Some(&id),
                        "per_year",
                        format!("key \"{}\" is not a year number", excerpt(k)),
                    ));
                    None
                }
            };
            match (y, decimal_of(v)) {
                (Some(y), Ok(d)) => {
                    years.insert(y, d);
                }
                (_, Err(m)) => out.push(problem(
                    offer,
                    Some(&id),
                    "per_year",
                    format!("year {k}: {m}"),
                )),
                (None, Ok(_)) => {}
            }
        }
        years
    });
    let year = r.year.and_then(|y| raw_year(offer, &id, "year", y, out));
    let from = r.from.and_then(|y| raw_year(offer, &id, "from", y, out));
    let to = r.to.and_then(|y| raw_year(offer, &id, "to", y, out));
    let years = match (r.year.is_some(), r.from.is_some() || r.to.is_some()) {
        (true, true) => {
            out.push(problem(
                offer,
                Some(&id),
                "year",
                "give either a year or from/to, not both".into(),
            ));
            None
        }
        (true, false) => year.map(Years::Once),
        (false, true) => {
            let default = kind.map(|k| k.default_years(horizon));
            Some(Years::Range {
                from: from.unwrap_or_else(|| default.map_or(1, |d| d.first())),
                to: to.unwrap_or(horizon),
            })
        }
        (false, false) => None,
    };
    let both = |a: bool, b: bool, what: &str, out: &mut Vec<String>| {
        if a && b {
            out.push(problem(
                offer,
                Some(&id),
                what,
                format!("{what}: give one form only"),
            ));
        }
    };
    let (q, price) = match (&r.pollutant, amount, quantity, per_year, unit_price) {
        (Some(p), None, Some(q), None, None) => {
            (Quantity::Constant(q), Price::Externality(p.clone()))
        }
        (Some(p), None, None, Some(m), None) => {
            (Quantity::PerYear(m), Price::Externality(p.clone()))
        }
        (None, Some(a), None, None, None) => (Quantity::Constant(Decimal::ONE), Price::Unit(a)),
        (None, None, Some(q), None, Some(u)) => (Quantity::Constant(q), Price::Unit(u)),
        (None, None, None, Some(m), Some(u)) => (Quantity::PerYear(m), Price::Unit(u)),
        (None, None, None, Some(m), None) => (Quantity::PerYear(m), Price::Unit(Decimal::ONE)),
        (p, a, q, m, u) => {
            both(p.is_some(), u.is_some() || a.is_some(), "pollutant", out);
            if out.len() == before {
                out.push(problem(
                    offer,
                    Some(&id),
                    if q.is_some() && u.is_none() { "unit_price" } else { "amount" },
                    format!(
                        "give amount, quantity and unit_price, per_year, or pollutant and quantity (got{}{}{}{}{})",
                        if p.is_some() { " pollutant" } else { "" },
                        if a.is_some() { " amount" } else { "" },
                        if q.is_some() { " quantity" } else { "" },
                        if m.is_some() { " per_year" } else { "" },
                        if u.is_some() { " unit_price" } else { "" },
                    ),
                ));
            }
            return None;
        }
    };
    if out.len() > before {
        return None;
    }
    Some(CostItem {
        id: r.id,
        kind: kind?,
        years,
        quantity: q,
        unit: r.unit,
        price,
        escalation,
    })
}

fn raw_from_item(i: &CostItem) -> RawItem {
    let (year, from, to) = match i.years {
        Some(Years::Once(y)) => (Some(i64::from(y)), None, None),
        Some(Years::Range { from, to }) => (None, Some(i64::from(from)), Some(i64::from(to))),
        None => (None, None, None),
    };
    let mut raw = RawItem {
        id: i.id.clone(),
        kind: i.kind.as_str().to_string(),
        year,
        from,
        to,
        amount: None,
        quantity: None,
        per_year: None,
        unit: i.unit.clone(),
        unit_price: None,
        escalation: (!i.escalation.is_zero()).then(|| dec_str(i.escalation)),
        pollutant: None,
    };
    let per_year = |m: &BTreeMap<u32, Decimal>| {
        m.iter()
            .map(|(y, v)| (y.to_string(), dec_str(*v)))
            .collect::<BTreeMap<_, _>>()
    };
    match (&i.price, &i.quantity) {
        (Price::Externality(p), Quantity::Constant(q)) => {
            raw.pollutant = Some(p.clone());
            raw.quantity = Some(dec_str(*q));
        }
        (Price::Externality(p), Quantity::PerYear(m)) => {
            raw.pollutant = Some(p.clone());
            raw.per_year = Some(per_year(m));
        }
        (Price::Unit(u), Quantity::Constant(q)) if *q == Decimal::ONE => {
            raw.amount = Some(dec_str(*u));
        }
        (Price::Unit(u), Quantity::Constant(q)) => {
            raw.quantity = Some(dec_str(*q));
            raw.unit_price = Some(dec_str(*u));
        }
        (Price::Unit(u), Quantity::PerYear(m)) => {
            raw.per_year = Some(per_year(m));
            if *u != Decimal::ONE {
                raw.unit_price = Some(dec_str(*u));
            }
        }
    }
    raw
}

impl TryFrom<RawStudy> for Study {
    type Error = Error;
    fn try_from(r: RawStudy) -> Result<Study> {
        let parameters = Parameters::try_from(r.parameters)?;
        let scoring = r.scoring.map(Scoring::try_from).transpose()?;
        let horizon = parameters.horizon_years();
        let mut problems = Vec::new();
        let mut offers = Vec::with_capacity(r.offers.len());
        // offers some of whose items could not be read: not reported as having no item
        let mut unread = Vec::new();
        for o in r.offers {
            let given = o.items.len();
            let items: Vec<CostItem> = o
                .items
                .into_iter()
                .filter_map(|i| item_from_raw(&o.id, i, horizon, &mut problems))
                .collect();
            if items.len() < given {
                unread.push(problem(&o.id, None, "items", "no cost item".into()));
            }
            offers.push(Offer {
                id: o.id,
                label: o.label,
                items,
            });
        }
        problems.extend(
            check_offers(&offers, &parameters)
                .into_iter()
                .filter(|p| !unread.contains(p)),
        );
        all_problems("the offers", ErrorKind::InvalidValue, problems)?;
        Ok(Study {
            parameters,
            scoring,
            offers,
        })
    }
}

impl From<Study> for RawStudy {
    fn from(s: Study) -> RawStudy {
        RawStudy {
            parameters: s.parameters.into(),
            scoring: s.scoring.map(Into::into),
            offers: s
                .offers
                .iter()
                .map(|o| RawOffer {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    items: o.items.iter().map(raw_from_item).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_study_is_valid() {
        let s = Study::from_json(include_str!("../data/lcc_sample.json")).unwrap();
        assert_eq!(s.offers.len(), 3);
        assert!(s.compute().is_ok());
    }
}
