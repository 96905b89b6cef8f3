//! SPASER targets from a spreadsheet (CSV, xlsx, ods) with the programme reader's French
//! tolerance: one row per target, one column per year holding the share to reach (`0,25`,
//! `25 %`, `25%`, `0.25`, or a percentage cell).
//!
//! | column (any of) | content |
//! |---|---|
//! | `id`, `identifiant`, `cible`, `code` | the target's id (required) |
//! | `label`, `libellé`, `intitulé` | its label |
//! | `dimension`, `axe`, `volet` | `social`, `environnemental`, `innovation` (required) |
//! | `basis`, `base`, `mesure` | `nombre` / `count`, `valeur` / `montant` / `value` (default `nombre`) |
//! | `instruments` | instruments, separated by `\|` or `,` |
//! | `goals`, `objectifs OCDS` | OCDS goal codes |
//! | `levers`, `leviers` | lever ids |
//! | `cpv`, `préfixes CPV` | CPV prefixes of the scope |
//! | `natures`, `nature` | natures of the scope (`travaux`, `fournitures`, `services`) |
//! | `services`, `service` | services of the scope |
//! | `families`, `familles`, `famille` | families of the scope |
//! | `buyers`, `acheteurs` | buyers of the scope |
//! | `agec_category`, `catégorie AGEC` | AGEC category |
//! | `food`, `alimentaire` | food purchases only (oui/non) |
//! | `min_amount`, `montant minimum` | smallest purchase in scope, euros HT |
//! | `source` | where the target comes from |
//! | `2026`, `Cible 2026`, `Objectif 2027`… | the share to reach that year |

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::error::{Error, ErrorKind, Result};
use crate::plan::targets::{Target, Targets};
use crate::programme::columns::{header_key, words};
use crate::programme::fields::{self, short};
use crate::programme::files::read_bytes;
use crate::programme::read::{FileFormat, ReadOptions, header_row, workbook_table};
use crate::programme::sheet::{Cell, Row, csv_table};
use crate::util::text::excerpt;
use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR};
use crate::values::money::{ConventionVotes, parse_decimal_with};
use crate::values::share::Share;
use crate::vocabulary::dimension::Dimension;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Col {
    Id,
    Label,
    Dimension,
    Basis,
    Instruments,
    Goals,
    Levers,
    Cpv,
    Natures,
    Services,
    Families,
    Buyers,
    Agec,
    Food,
    MinAmount,
    Source,
}

const COLS: [(Col, &[&str]); 16] = [
    (
        Col::Id,
        &["id", "identifiant", "cible", "code", "target", "target_id"],
    ),
    (Col::Label, &["label", "libelle", "intitule", "nom"]),
    (Col::Dimension, &["dimension", "axe", "volet"]),
    (Col::Basis, &["basis", "base", "mesure", "mode_calcul"]),
    (Col::Instruments, &["instruments", "instrument"]),
    (
        Col::Goals,
        &["goals", "goal", "objectifs_ocds", "codes_objectifs"],
    ),
    (Col::Levers, &["levers", "lever", "leviers", "levier"]),
    (
        Col::Cpv,
        &["cpv", "prefixes_cpv", "codes_cpv", "cpv_prefixes"],
    ),
    (Col::Natures, &["natures", "nature"]),
    (Col::Services, &["services", "service"]),
    (
        Col::Families,
        &["families", "familles", "famille", "family"],
    ),
    (Col::Buyers, &["buyers", "acheteurs", "acheteur"]),
    (Col::Agec, &["agec_category", "categorie_agec", "agec"]),
    (Col::Food, &["food", "alimentaire", "alimentation"]),
    (
        Col::MinAmount,
        &["min_amount", "montant_minimum", "montant_min", "seuil"],
    ),
    (Col::Source, &["source", "origine"]),
];

/// What a header is: a column of the table, or the year of a share column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Col(Col),
    Year(i32),
    /// A year written with two digits (`26`): an error naming it.
    TwoDigitYear,
}

fn header_of(text: &str) -> Option<Header> {
    let k = header_key(text);
    if let Some((c, _)) = COLS.iter().find(|(_, a)| a.contains(&k.as_str())) {
        return Some(Header::Col(*c));
    }
    let ws = words(text);
    let nums: Vec<&String> = ws
        .iter()
        .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    match nums.as_slice() {
        [n] if n.len() == 4 => n.parse().ok().map(Header::Year),
        [n] if n.len() == 2 && ws.len() <= 2 => Some(Header::TwoDigitYear),
        _ => None,
    }
}

fn score(cells: &[Cell]) -> usize {
    cells
        .iter()
        .filter(|c| !c.is_blank() && header_of(&c.text()).is_some())
        .count()
}

fn list(cell: &Cell) -> Vec<String> {
    cell.text()
        .split(['|', ',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A share to reach: a number cell as it is (a percentage cell is its fraction); a text
/// `0,25`, `0.25`, `25 %` or `25%`.
fn share(cell: &Cell, votes: &ConventionVotes) -> Result<Share> {
    let (d, percent, raw) = match cell {
        Cell::Number(d) => (*d, false, d.to_string()),
        Cell::Text(t) => {
            let t = t.trim();
            let (num, percent) = match t.strip_suffix('%') {
                Some(n) => (n.trim_end(), true),
                None => (t, false),
            };
            let d = parse_decimal_with(num, votes.decide(None)).map_err(|_| {
                Error::new(
                    ErrorKind::Parse,
                    format!(
                        "share \"{}\" is not a share (accepted: 0,25, 0.25, 25 %, 25%)",
                        excerpt(t)
                    ),
                )
            })?;
            (d, percent, t.to_string())
        }
        other => {
            return Err(Error::new(
                ErrorKind::Parse,
                format!("share \"{}\" is not a number", excerpt(&other.text())),
            ));
        }
    };
    let value = if percent { d / Decimal::ONE_HUNDRED } else { d };
    if !percent && d > Decimal::ONE {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "share \"{}\" is above 1: write a percentage with its sign (\"{} %\") or a fraction (\"0,{}\")",
                excerpt(&raw),
                excerpt(&raw),
                excerpt(&raw)
            ),
        ));
    }
    Share::new(value).map_err(|_| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("share \"{}\" is outside 0..=100 %", excerpt(&raw)),
        )
    })
}

fn basis(text: &str) -> Option<&'static str> {
    match words(text).join(" ").as_str() {
        "count" | "nombre" | "nb" | "number" | "en nombre" | "nombre de marches" => Some("count"),
        "value" | "valeur" | "montant" | "en valeur" | "en montant" => Some("value"),
        _ => None,
    }
}

fn read_rows(rows: Vec<Row>, file: Option<&str>, options: &ReadOptions) -> Result<Targets> {
    let at = |line: u64, col: Option<&str>| -> String {
        let f = file.map(|f| format!("{f}, ")).unwrap_or_default();
        match col {
            Some(c) => format!("{f}line {line}, column \"{}\"", excerpt(c)),
            None => format!("{f}line {line}"),
        }
    };
    let Some(h) = header_row(&rows, &score) else {
        return Ok(Targets::default());
    };
    let header = &rows[h];
    let headers: Vec<String> = header.cells.iter().map(|c| c.text().into_owned()).collect();
    let mut cols: BTreeMap<Col, usize> = BTreeMap::new();
    let mut years: Vec<(i32, usize)> = Vec::new();
    let mut errors: Vec<(ErrorKind, String)> = Vec::new();
    let mut unused: Vec<String> = Vec::new();
    for (i, t) in headers.iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        match header_of(t) {
            Some(Header::Col(c)) => {
                if let Some(&prev) = cols.get(&c) {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!(
                            "{}: the column says the same as column \"{}\"",
                            at(header.line, Some(t)),
                            excerpt(&headers[prev])
                        ),
                    ));
                }
                cols.insert(c, i);
            }
            Some(Header::Year(y)) => {
                if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&y) {
                    errors.push((
                        ErrorKind::InvalidValue,
                        format!(
                            "{}: year {y} is outside {EARLIEST_YEAR}-{LATEST_YEAR}",
                            at(header.line, Some(t))
                        ),
                    ));
                } else if years.iter().any(|(z, _)| *z == y) {
                    return Err(Error::new(
                        ErrorKind::Duplicate,
                        format!("{}: year {y} has two columns", at(header.line, Some(t))),
                    ));
                } else {
                    years.push((y, i));
                }
            }
            Some(Header::TwoDigitYear) => errors.push((
                ErrorKind::InvalidValue,
                format!(
                    "{}: \"{}\" has a two-digit year: write the year in full (e.g. 2026)",
                    at(header.line, Some(t)),
                    excerpt(t)
                ),
            )),
            None => unused.push(format!("\"{}\"", excerpt(t))),
        }
    }
    for c in [Col::Id, Col::Dimension] {
        if !cols.contains_key(&c) {
            let names = COLS
                .iter()
                .find(|(x, _)| *x == c)
                .map_or(&[][..], |(_, a)| *a);
            return Err(Error::new(
                ErrorKind::Missing,
                format!(
                    "{}: required column \"{}\" is missing; headers looked for: {}; headers seen: {}",
                    at(header.line, None),
                    names[0],
                    names.join(", "),
                    headers
                        .iter()
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("\"{}\"", excerpt(h)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    if years.is_empty() && errors.is_empty() {
        return Err(Error::new(
            ErrorKind::Missing,
            format!(
                "{}: no year column (a header such as \"2026\" or \"Cible 2026\" holding the share to reach)",
                at(header.line, None)
            ),
        ));
    }
    if !unused.is_empty() {
        errors.push((
            ErrorKind::InvalidValue,
            format!(
                "{}: column(s) not understood: {} (a target's columns are listed in the documentation of the targets table)",
                at(header.line, None),
                unused.join(", ")
            ),
        ));
    }
    let data = &rows[h + 1..];
    let mut votes = ConventionVotes::default();
    for r in data {
        for (_, i) in &years {
            if let Some(Cell::Text(t)) = r.cells.get(*i) {
                votes.add(t.trim().trim_end_matches('%').trim_end());
            }
        }
    }
    let mut targets = Vec::new();
    for r in data {
        if r.cells.iter().all(Cell::is_blank) && r.problem.is_none() {
            continue;
        }
        if let Some(p) = &r.problem {
            errors.push((ErrorKind::Parse, format!("{}: {p}", at(r.line, None))));
            continue;
        }
        let before = errors.len();
        let cell = |c: Col| -> (&Cell, &str) {
            match cols.get(&c) {
                Some(&i) => (r.cells.get(i).unwrap_or(&Cell::Empty), headers[i].as_str()),
                None => (&Cell::Empty, ""),
            }
        };
        let text = |c: Col| cell(c).0.text().into_owned();
        let id = text(Col::Id);
        if id.is_empty() {
            errors.push((
                ErrorKind::Missing,
                format!("{}: the value is empty", at(r.line, Some(cell(Col::Id).1))),
            ));
        }
        let dim = text(Col::Dimension);
        let dimension = match dim.parse::<Dimension>() {
            Ok(d) => Some(d),
            Err(e) => {
                let (_, h) = cell(Col::Dimension);
                errors.push((
                    e.kind(),
                    format!("{}: {}", at(r.line, Some(h)), short(e, &dim)),
                ));
                None
            }
        };
        let basis_text = text(Col::Basis);
        let basis = if basis_text.is_empty() {
            Some("count")
        } else {
            let b = basis(&basis_text);
            if b.is_none() {
                errors.push((
                    ErrorKind::InvalidValue,
                    format!(
                        "{}: basis \"{}\" is unknown; accepted: nombre (count), valeur (value)",
                        at(r.line, Some(cell(Col::Basis).1)),
                        excerpt(&basis_text)
                    ),
                ));
            }
            b
        };
        let mut natures = Vec::new();
        for n in list(cell(Col::Natures).0) {
            match fields::nature(&Cell::Text(n.clone())) {
                Ok(x) => natures.push(x.as_str().to_string()),
                Err(e) => errors.push((
                    e.kind(),
                    format!("{}: {e}", at(r.line, Some(cell(Col::Natures).1))),
                )),
            }
        }
        let food = match fields::flag(cell(Col::Food).0) {
            Ok(b) => (!cell(Col::Food).0.is_blank()).then_some(b),
            Err(e) => {
                errors.push((
                    e.kind(),
                    format!("{}: {e}", at(r.line, Some(cell(Col::Food).1))),
                ));
                None
            }
        };
        let min_amount = if cell(Col::MinAmount).0.is_blank() {
            None
        } else {
            match fields::amount(cell(Col::MinAmount).0, options.declared_convention()) {
                Ok(a) => Some(a.to_string()),
                Err(e) => {
                    let raw = text(Col::MinAmount);
                    errors.push((
                        e.kind(),
                        format!(
                            "{}: {}",
                            at(r.line, Some(cell(Col::MinAmount).1)),
                            short(e, &raw)
                        ),
                    ));
                    None
                }
            }
        };
        let mut trajectory = serde_json::Map::new();
        for (y, i) in &years {
            let c = r.cells.get(*i).unwrap_or(&Cell::Empty);
            if c.is_blank() {
                continue;
            }
            match share(c, &votes) {
                Ok(s) => {
                    trajectory.insert(y.to_string(), Value::String(s.to_string()));
                }
                Err(e) => {
                    errors.push((e.kind(), format!("{}: {e}", at(r.line, Some(&headers[*i])))))
                }
            }
        }
        if trajectory.is_empty() && errors.len() == before {
            errors.push((
                ErrorKind::Missing,
                format!("{}: no share in any year column", at(r.line, None)),
            ));
        }
        if errors.len() > before {
            continue;
        }
        let mut filter = serde_json::Map::new();
        let mut put = |k: &str, v: Vec<String>| {
            if !v.is_empty() {
                filter.insert(k.to_string(), json!(v));
            }
        };
        put("cpv_prefixes", list(cell(Col::Cpv).0));
        put("natures", natures);
        put("services", list(cell(Col::Services).0));
        put("families", list(cell(Col::Families).0));
        put("buyers", list(cell(Col::Buyers).0));
        let agec = text(Col::Agec);
        if !agec.is_empty() {
            filter.insert("agec_category".into(), Value::String(agec));
        }
        if let Some(f) = food {
            filter.insert("food".into(), Value::Bool(f));
        }
        if let Some(m) = min_amount {
            filter.insert("min_amount".into(), Value::String(m));
        }
        let mut obj = serde_json::Map::new();
        obj.insert("id".into(), Value::String(id.clone()));
        obj.insert("label".into(), Value::String(text(Col::Label)));
        obj.insert(
            "dimension".into(),
            Value::String(dimension.map_or("", |d| d.as_str()).to_string()),
        );
        obj.insert("instruments".into(), json!(list(cell(Col::Instruments).0)));
        obj.insert("goals".into(), json!(list(cell(Col::Goals).0)));
        obj.insert("levers".into(), json!(list(cell(Col::Levers).0)));
        obj.insert(
            "basis".into(),
            Value::String(basis.unwrap_or("count").into()),
        );
        if !filter.is_empty() {
            obj.insert("filter".into(), Value::Object(filter));
        }
        obj.insert("trajectory".into(), Value::Object(trajectory));
        obj.insert("source".into(), Value::String(text(Col::Source)));
        match serde_json::from_value::<Target>(Value::Object(obj)) {
            Ok(t) => targets.push((r.line, t)),
            Err(e) => errors.push((
                ErrorKind::InvalidValue,
                format!("{}: {}", at(r.line, None), excerpt(&e.to_string())),
            )),
        }
    }
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for (line, t) in &targets {
        if let Some(first) = seen.insert(t.id.clone(), *line) {
            errors.push((
                ErrorKind::Duplicate,
                format!(
                    "{}: target \"{}\" is already given on line {first}",
                    at(*line, Some(cell_header(&cols, &headers, Col::Id))),
                    excerpt(&t.id)
                ),
            ));
        }
    }
    if let Some((kind, _)) = errors.first() {
        let limit = options.error_limit();
        let mut msg = errors
            .iter()
            .take(limit)
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("\n");
        if errors.len() > limit {
            msg.push_str(&format!(
                "\n… and {} more errors not listed (limit {limit})",
                errors.len() - limit
            ));
        }
        return Err(Error::new(*kind, msg));
    }
    Targets::new(targets.into_iter().map(|(_, t)| t).collect())
}

fn cell_header<'a>(cols: &BTreeMap<Col, usize>, headers: &'a [String], c: Col) -> &'a str {
    cols.get(&c).map_or("", |&i| headers[i].as_str())
}

impl Targets {
    /// Reads targets from a file's bytes: the JSON format of [`Targets::from_json`], or a
    /// targets table (CSV in any encoding French Excel writes, or a workbook with the
    /// `spreadsheet` feature) — see the columns in the crate's README ("Targets from a
    /// spreadsheet"): one row per target, one column per year (`2026`, `Cible 2026`) holding
    /// the share to reach as `0,25`, `25 %`, `25%`, `0.25` or a percentage cell.
    ///
    /// # Errors
    /// Every error of the table at once (one per line of the message, the kind of the first),
    /// each naming the line and the column: [`ErrorKind::Missing`] for a missing id or
    /// dimension column, no year column, or an empty id; [`ErrorKind::InvalidValue`] for a
    /// share above 100 % (or a bare number above 1), a year outside 1990–2100 or written
    /// with two digits, an unknown dimension, basis or nature, or a column not understood;
    /// [`ErrorKind::Duplicate`] for a repeated target id; the errors of
    /// [`Targets::from_json`] for JSON.
    ///
    /// ```
    /// use spaser::{ReadOptions, Targets};
    /// let csv = "cible;dimension;base;services;Cible 2026;Cible 2027\n\
    ///            social-voirie;social;nombre;Voirie;25 %;0,3\n";
    /// let t = Targets::read(csv.as_bytes(), &ReadOptions::default())?;
    /// assert_eq!(t.targets[0].trajectory[&2026].to_string(), "0.25");
    /// assert_eq!(t.targets[0].filter.services, ["Voirie"]);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<Targets> {
        read_targets(bytes, None, options, None)
    }

    /// Reads a targets file (see [`Targets::read`]); the format comes from the options, the
    /// extension, or the content.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file; the errors of [`Targets::read`], naming the file.
    pub fn from_path(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Targets> {
        let path = path.as_ref();
        let bytes = read_bytes(path)?;
        let name = path.display().to_string();
        read_targets(&bytes, Some(&name), options, FileFormat::from_path(path)).map_err(|e| {
            if e.to_string().starts_with(&name) {
                e
            } else {
                e.context(&name)
            }
        })
    }
}

fn read_targets(
    bytes: &[u8],
    file: Option<&str>,
    options: &ReadOptions,
    by_name: Option<FileFormat>,
) -> Result<Targets> {
    let format = options
        .format_asked()
        .or(by_name)
        .unwrap_or_else(|| FileFormat::sniff(bytes));
    let rows = match format {
        FileFormat::Json => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let text = std::str::from_utf8(body).map_err(|e| {
                Error::new(
                    ErrorKind::Parse,
                    format!("targets JSON is not UTF-8 (byte {})", e.valid_up_to()),
                )
            })?;
            return Targets::from_json(text);
        }
        FileFormat::Csv => csv_table(bytes)?.rows,
        other => {
            let is_header = |cells: &[Cell]| score(cells) >= 2;
            workbook_table(bytes, other, options.sheet_name(), &is_header)?.rows
        }
    };
    read_rows(rows, file, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_as_buyers_write_them() {
        let v = ConventionVotes::default();
        for (t, want) in [
            ("0,25", "0.25"),
            ("25 %", "0.25"),
            ("25%", "0.25"),
            ("0.25", "0.25"),
            ("100 %", "1"),
        ] {
            assert_eq!(
                share(&Cell::Text(t.into()), &v).unwrap().to_string(),
                want,
                "{t}"
            );
        }
        assert_eq!(
            share(&Cell::Number(Decimal::new(25, 2)), &v)
                .unwrap()
                .to_string(),
            "0.25"
        );
        assert!(share(&Cell::Text("25".into()), &v).is_err());
        assert!(share(&Cell::Text("120 %".into()), &v).is_err());
    }

    #[test]
    fn year_headers() {
        assert_eq!(header_of("2026"), Some(Header::Year(2026)));
        assert_eq!(header_of("Cible 2027"), Some(Header::Year(2027)));
        assert_eq!(header_of("26"), Some(Header::TwoDigitYear));
        assert_eq!(header_of("Dimension"), Some(Header::Col(Col::Dimension)));
    }
}
