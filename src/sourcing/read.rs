//! Reading a supplier directory from the buyer's spreadsheet: header aliases in French and
//! English, the columns of Le Marché de l'inclusion's exports, flags per status, every bad
//! row and cell reported at once; personal-data columns are never read.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::programme::read::{FileFormat, workbook_table};
use crate::programme::sheet::{Cell, Table, csv_table};
use crate::sourcing::directory::{Directory, StaffBand, Supplier};
use crate::sourcing::geo::departement_of_commune;
use crate::sourcing::naf::{NafCode, is_cpv_prefix};
use crate::sourcing::status::{Label, Status};
use crate::util::text::{excerpt, fold};
use crate::values::date::parse_date;
use crate::values::money::{Amount, ConventionVotes};
use crate::values::place::Departement;
use crate::values::siret::Siret;

/// One problem met while reading a directory: where (line of the file, column as written in
/// the header), the value (at most 80 characters) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowIssue {
    /// Line of the file (or row of the sheet), from 1; 0 for the file as a whole.
    pub line: u64,
    /// The column, as written in the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The value, cut to 80 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(c) = &self.column {
                write!(f, ", column \"{c}\"")?;
            }
            f.write_str(": ")?;
        } else if let Some(c) = &self.column {
            write!(f, "column \"{c}\": ")?;
        }
        f.write_str(&self.message)
    }
}

/// What reading a directory gave: the suppliers, and every row accounted for — each data row
/// is either a supplier (perhaps with warnings on some cells, which were then left out) or
/// rejected with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DirectoryRead {
    /// The suppliers read.
    pub directory: Directory,
    /// Data rows seen (blank rows aside): `accepted + rejected.len()`.
    pub rows: usize,
    /// Rows that became suppliers.
    pub accepted: usize,
    /// Rows left out, with why (no name, a SIRET already read…).
    pub rejected: Vec<RowIssue>,
    /// Problems in rows that were kept (a cell that could not be read is left empty) and
    /// notes on the file (encoding, columns not read).
    pub warnings: Vec<RowIssue>,
    /// Columns that were not read: unknown ones, and those that hold personal data (contact
    /// names, e-mails, telephones), which the crate never reads.
    pub ignored_columns: Vec<String>,
}

impl DirectoryRead {
    /// The directory when no row was rejected.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidValue`] listing every rejected row (one per line of the message).
    pub fn strict(self) -> Result<Directory> {
        if self.rejected.is_empty() {
            return Ok(self.directory);
        }
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "{} of {} rows rejected:\n{}",
                self.rejected.len(),
                self.rows,
                self.rejected
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        ))
    }
}

/// The fields of a directory row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    Siret,
    Name,
    Cpv,
    Naf,
    Commune,
    Departement,
    PostCode,
    Statuses,
    LabelSource,
    LabelDate,
    StaffBand,
    Turnover,
    InsertionFte,
    Source,
    Updated,
    /// A yes/no column for one status (`RGE`, `ESUS`, `bio`…).
    Flag(Status),
    /// A column with personal data: never read.
    Personal,
}

/// Header aliases (folded: lower case, no accents, blanks and punctuation as `_`).
/// A field and the header keys that name it.
type Alias = (&'static [&'static str], fn() -> Field);

const ALIASES: [Alias; 15] = [
    (
        &[
            "siret",
            "numero_siret",
            "n_siret",
            "no_siret",
            "siret_etablissement",
            "siret_de_l_etablissement",
        ],
        || Field::Siret,
    ),
    (
        &[
            "name",
            "nom",
            "raison_sociale",
            "denomination",
            "nom_commercial",
            "enseigne",
            "structure",
            "nom_de_la_structure",
            "entreprise",
            "fournisseur",
            "supplier",
            "company",
            "denomination_sociale",
        ],
        || Field::Name,
    ),
    (
        &[
            "cpv",
            "code_cpv",
            "codes_cpv",
            "cpv_codes",
            "cpv_prefixes",
            "prefixes_cpv",
        ],
        || Field::Cpv,
    ),
    (
        &[
            "naf",
            "code_naf",
            "ape",
            "code_ape",
            "naf_ape",
            "code_naf_ape",
            "activite_principale",
            "activite_principale_naf",
            "naf_code",
        ],
        || Field::Naf,
    ),
    (
        &[
            "commune",
            "code_commune",
            "code_insee",
            "code_insee_commune",
            "insee_commune",
            "commune_insee",
        ],
        || Field::Commune,
    ),
    (
        &[
            "departement",
            "dept",
            "dep",
            "code_departement",
            "departement_code",
            "num_departement",
        ],
        || Field::Departement,
    ),
    (&["code_postal", "cp", "postcode", "postal_code"], || {
        Field::PostCode
    }),
    (
        &[
            "statuses",
            "statuts",
            "statut",
            "labels",
            "label",
            "type",
            "type_de_structure",
            "kind",
            "qualifications",
            "certifications",
            "agrements",
            "labels_et_statuts",
            "statuts_et_labels",
        ],
        || Field::Statuses,
    ),
    (
        &[
            "label_source",
            "source_statuts",
            "source_labels",
            "source_label",
            "source_du_label",
        ],
        || Field::LabelSource,
    ),
    (
        &[
            "label_date",
            "date_statuts",
            "date_label",
            "date_labels",
            "date_du_label",
            "date_d_obtention",
        ],
        || Field::LabelDate,
    ),
    (
        &[
            "staff_band",
            "tranche_effectif",
            "tranche_d_effectif",
            "effectif",
            "effectifs",
            "tranche_effectif_salarie",
            "tranche_d_effectif_salarie",
        ],
        || Field::StaffBand,
    ),
    (
        &[
            "turnover",
            "chiffre_d_affaires",
            "chiffre_affaires",
            "ca",
            "ca_annuel",
            "ca_ht",
            "chiffre_d_affaires_ht",
            "chiffre_d_affaires_annuel",
        ],
        || Field::Turnover,
    ),
    (
        &[
            "insertion_fte",
            "etp_insertion",
            "etp_en_insertion",
            "salaries_en_insertion",
            "etp_d_insertion",
            "nombre_de_salaries_en_insertion",
        ],
        || Field::InsertionFte,
    ),
    (&["source", "origine"], || Field::Source),
    (
        &[
            "updated",
            "date_mise_a_jour",
            "date_de_mise_a_jour",
            "derniere_mise_a_jour",
            "mis_a_jour",
            "date_maj",
            "mise_a_jour",
            "date_source",
        ],
        || Field::Updated,
    ),
];

/// Headers of columns that hold personal data (after folding); also any header containing
/// one of these words.
const PERSONAL: [&str; 14] = [
    "email",
    "e_mail",
    "mail",
    "courriel",
    "telephone",
    "tel",
    "phone",
    "portable",
    "mobile",
    "contact",
    "prenom",
    "dirigeant",
    "representant",
    "responsable",
];

fn header_key(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in fold(h).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn field_of(header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    let trimmed = ["_eur", "_euros", "_ht"]
        .iter()
        .fold(key.as_str(), |k, s| k.strip_suffix(s).unwrap_or(k));
    for (aliases, f) in ALIASES.iter() {
        if aliases.contains(&key.as_str()) || aliases.contains(&trimmed) {
            return Some(f());
        }
    }
    if key
        .split('_')
        .any(|w| PERSONAL.contains(&w) || w == "email" || w == "nom_contact")
        || PERSONAL.contains(&key.as_str())
    {
        return Some(Field::Personal);
    }
    // A yes/no column named after a known status.
    match Status::parse(header) {
        Ok(Status::Other(_)) | Err(_) => None,
        Ok(s) => Some(Field::Flag(s)),
    }
}

fn parse_flag(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "" | "false" | "non" | "0" | "no" | "faux" | "n" | "f" => Some(false),
        "true" | "oui" | "1" | "yes" | "vrai" | "o" | "y" | "x" | "t" => Some(true),
        _ => None,
    }
}

/// Splits a list cell on `|`, `;`, `,`, `+` and `/` outside parentheses.
fn split_list(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' | ';' | ',' | '+' | '/' if depth <= 0 => {
                out.push(text[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// A CPV prefix from a cell item: digits (a full code `90910000-9` gives its significant
/// prefix `9091`).
fn cpv_prefix(item: &str) -> Option<String> {
    let main = item.trim().split('-').next().unwrap_or("").trim();
    if main.len() == 8 && main.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = main.trim_end_matches('0');
        let p = if trimmed.len() < 2 {
            &main[..2]
        } else {
            trimmed
        };
        return Some(p.to_string());
    }
    is_cpv_prefix(main).then(|| main.to_string())
}

/// The département of a French postcode (`49000` → `49`; Corsica `200xx`/`201xx` → `2A`,
/// `202xx`/`206xx` → `2B`; overseas `97xxx` → three digits).
fn departement_of_postcode(code: &str) -> Option<Departement> {
    let c = code.trim();
    if c.len() != 5 || !c.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(rest) = c.strip_prefix("20") {
        return match rest.as_bytes()[0] {
            b'0' | b'1' => Departement::parse("2A").ok(),
            b'2' | b'6' => Departement::parse("2B").ok(),
            _ => None,
        };
    }
    if c.starts_with("97") || c.starts_with("98") {
        return Departement::parse(&c[..3]).ok();
    }
    Departement::parse(&c[..2]).ok()
}

/// A data row as text cells with its line number, and its structural problem if any.
struct RawRow {
    line: u64,
    cells: Vec<String>,
    problem: Option<String>,
}

/// The rows of a table read by the programme's readers, as text, with its notes as warnings.
fn raw_rows(table: Table, warnings: &mut Vec<RowIssue>) -> Vec<RawRow> {
    for n in table.notes {
        warnings.push(RowIssue {
            line: 0,
            column: None,
            value: None,
            message: n,
        });
    }
    table
        .rows
        .into_iter()
        .map(|r| RawRow {
            line: r.line,
            cells: r
                .cells
                .iter()
                .map(|c| c.text().trim().to_string())
                .collect(),
            problem: r.problem,
        })
        .collect()
}

/// Whether a row of cells holds the header (a column that names the supplier).
fn is_header(cells: &[Cell]) -> bool {
    cells
        .iter()
        .any(|c| field_of(&c.text()) == Some(Field::Name))
}

/// Reads a directory from CSV bytes (see [`Directory::read_csv`]), through the programme's
/// CSV reader (encodings, `sep=` line, delimiters, physical line numbers, unterminated quotes).
pub(crate) fn read_csv(bytes: &[u8]) -> Result<DirectoryRead> {
    let mut notes = Vec::new();
    let rows = raw_rows(csv_table(bytes)?, &mut notes);
    read_rows(rows, notes)
}

/// Reads a directory from a workbook's sheet, through the programme's workbook reader.
fn read_workbook(bytes: &[u8], format: FileFormat, sheet: Option<&str>) -> Result<DirectoryRead> {
    let mut notes = Vec::new();
    let rows = raw_rows(
        workbook_table(bytes, format, sheet, &is_header)?,
        &mut notes,
    );
    read_rows(rows, notes)
}

fn read_rows(rows: Vec<RawRow>, mut warnings: Vec<RowIssue>) -> Result<DirectoryRead> {
    // The header: the first of the first 20 non-blank rows that names the supplier.
    let header_at = rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .take(20)
        .position(|r| r.cells.iter().any(|c| field_of(c) == Some(Field::Name)))
        .and_then(|n| {
            rows.iter()
                .enumerate()
                .filter(|(_, r)| r.cells.iter().any(|c| !c.is_empty()))
                .nth(n)
                .map(|(i, _)| i)
        })
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Missing,
                "no header row names the supplier: one of the first 20 rows must have a column \
                 \"nom\" (or \"raison_sociale\", \"denomination\", \"name\")",
            )
        })?;
    let header = &rows[header_at];
    let mut fields: Vec<Option<Field>> = Vec::with_capacity(header.cells.len());
    let mut ignored = Vec::new();
    let mut personal = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for h in &header.cells {
        let f = field_of(h);
        let f = match f {
            Some(Field::Personal) => {
                personal.push(h.clone());
                ignored.push(h.clone());
                None
            }
            Some(f) => {
                let key = format!("{f:?}");
                if let Some(first) = seen.get(&key) {
                    warnings.push(RowIssue {
                        line: header.line,
                        column: Some(h.clone()),
                        value: None,
                        message: format!("the column repeats column \"{first}\" and is not read"),
                    });
                    ignored.push(h.clone());
                    None
                } else {
                    seen.insert(key, h.clone());
                    Some(f)
                }
            }
            None => {
                if !h.is_empty() {
                    ignored.push(h.clone());
                }
                None
            }
        };
        fields.push(f);
    }
    if !personal.is_empty() {
        warnings.push(RowIssue {
            line: header.line,
            column: None,
            value: None,
            message: format!(
                "columns {} hold personal data and are not read: the directory keeps companies only",
                personal
                    .iter()
                    .map(|p| format!("\"{}\"", excerpt(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let has = |f: &Field| fields.iter().any(|x| x.as_ref() == Some(f));
    if !has(&Field::Cpv) && !has(&Field::Naf) {
        return Err(Error::new(
            ErrorKind::Missing,
            format!(
                "line {}: no activity column: the directory needs \"cpv\" (or \"code_cpv\") or \
                 \"naf\" (or \"code_ape\") to match suppliers with purchases",
                header.line
            ),
        ));
    }
    // The turnover column's number convention, decided once for the file.
    let turnover_col = fields.iter().position(|f| f == &Some(Field::Turnover));
    let mut votes = ConventionVotes::default();
    if let Some(c) = turnover_col {
        for r in &rows[header_at + 1..] {
            if let Some(v) = r.cells.get(c) {
                votes.add(v);
            }
        }
    }
    let convention = votes.decide(None);

    let mut suppliers = Vec::new();
    let mut rejected = Vec::new();
    let mut first_siret: HashMap<Siret, u64> = HashMap::new();
    let mut n_rows = 0usize;
    for row in &rows[header_at + 1..] {
        if row.cells.iter().all(String::is_empty) && row.problem.is_none() {
            continue;
        }
        n_rows += 1;
        if let Some(p) = &row.problem {
            rejected.push(RowIssue {
                line: row.line,
                column: None,
                value: None,
                message: format!("{p}: row left out"),
            });
            continue;
        }
        let mut s = Supplier::new(String::new());
        let mut label_source: Option<String> = None;
        let mut label_date: Option<NaiveDate> = None;
        let mut post_dep: Option<Departement> = None;
        let mut reject: Option<RowIssue> = None;
        let mut warn = |col: &str, value: &str, message: String| {
            warnings.push(RowIssue {
                line: row.line,
                column: Some(col.to_string()),
                value: Some(excerpt(value).into_owned()),
                message,
            });
        };
        for (i, f) in fields.iter().enumerate() {
            let Some(f) = f else { continue };
            let v = row.cells.get(i).map_or("", String::as_str);
            if v.is_empty() {
                continue;
            }
            let col = header.cells[i].as_str();
            match f {
                Field::Siret => match Siret::parse(v) {
                    Ok(x) => s.siret = Some(x),
                    Err(e) => warn(col, v, format!("{e}: the supplier is kept without SIRET")),
                },
                Field::Name => s.name = v.to_string(),
                Field::Cpv => {
                    for item in split_list(v) {
                        match cpv_prefix(item) {
                            Some(p) if !s.cpv_prefixes.contains(&p) => s.cpv_prefixes.push(p),
                            Some(_) => {}
                            None => warn(
                                col,
                                v,
                                format!(
                                    "CPV \"{}\" is neither a CPV code nor a prefix of 2 to 8 digits: left out",
                                    excerpt(item)
                                ),
                            ),
                        }
                    }
                }
                Field::Naf => match NafCode::parse(v) {
                    Ok(n) => s.naf = Some(n),
                    Err(e) => warn(col, v, format!("{e}: left out")),
                },
                Field::Commune => {
                    // a spreadsheet that read the code as a number dropped its leading zero
                    let padded = if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
                        format!("0{v}")
                    } else {
                        v.to_ascii_uppercase()
                    };
                    if departement_of_commune(&padded).is_some() {
                        s.commune = Some(padded);
                    } else {
                        warn(
                            col,
                            v,
                            format!(
                                "commune \"{}\" is not an INSEE commune code (5 characters): left out",
                                excerpt(v)
                            ),
                        );
                    }
                }
                Field::Departement => match Departement::parse(v) {
                    Ok(d) => s.departement = Some(d),
                    Err(e) => warn(col, v, format!("{e}: left out")),
                },
                Field::PostCode => match departement_of_postcode(&if v.len() == 4 {
                    format!("0{v}")
                } else {
                    v.to_string()
                }) {
                    Some(d) => post_dep = Some(d),
                    None => warn(
                        col,
                        v,
                        format!(
                            "postcode \"{}\" is not a French postcode: left out",
                            excerpt(v)
                        ),
                    ),
                },
                Field::Statuses => {
                    for item in split_list(v) {
                        match Label::parse(item) {
                            Ok(l) => {
                                if !s.labels.iter().any(|x| x.status == l.status) {
                                    s.labels.push(l);
                                }
                            }
                            Err(e) => warn(col, v, format!("{e}: left out")),
                        }
                    }
                }
                Field::LabelSource => label_source = Some(v.to_string()),
                Field::LabelDate => match parse_date(v) {
                    Ok(d) => label_date = Some(d),
                    Err(e) => warn(col, v, format!("{e}: left out")),
                },
                Field::StaffBand => match StaffBand::parse(v) {
                    Ok(b) => s.staff_band = Some(b),
                    Err(e) => warn(col, v, format!("{e}: left out")),
                },
                Field::Turnover => match Amount::parse_with(v, convention) {
                    Ok(a) => s.turnover = Some(a),
                    Err(e) => warn(col, v, format!("turnover: {e}: left out")),
                },
                Field::InsertionFte => {
                    let t = v.replace(',', ".").replace([' ', '\u{a0}', '\u{202f}'], "");
                    match t.parse::<Decimal>() {
                        Ok(d) if !d.is_sign_negative() => s.insertion_fte = Some(d),
                        _ => warn(
                            col,
                            v,
                            format!(
                                "insertion FTE \"{}\" is not a number of at least 0: left out",
                                excerpt(v)
                            ),
                        ),
                    }
                }
                Field::Source => s.source = Some(v.to_string()),
                Field::Updated => match parse_date(v) {
                    Ok(d) => s.updated = Some(d),
                    Err(e) => warn(col, v, format!("{e}: left out")),
                },
                Field::Flag(status) => match parse_flag(v) {
                    Some(true) => {
                        if !s.has(status) {
                            s.labels.push(Label::new(status.clone()));
                        }
                    }
                    Some(false) => {}
                    None => warn(
                        col,
                        v,
                        format!(
                            "flag \"{}\" is not a yes/no value (oui/non, 1/0, x): left out",
                            excerpt(v)
                        ),
                    ),
                },
                Field::Personal => {}
            }
        }
        // Labels without their own source or date take the row's.
        for l in &mut s.labels {
            if l.source.is_none() {
                l.source.clone_from(&label_source);
            }
            if l.date.is_none() {
                l.date = label_date;
            }
        }
        // Département: given, else from the commune code, else from the postcode.
        let from_commune = s.commune.as_deref().and_then(departement_of_commune);
        match (&s.departement, &from_commune) {
            (Some(d), Some(c)) if d != c => warnings.push(RowIssue {
                line: row.line,
                column: None,
                value: None,
                message: format!(
                    "département {d} and commune {} (département {c}) disagree: département {d} is kept",
                    s.commune.as_deref().unwrap_or("")
                ),
            }),
            (None, Some(_)) => s.departement = from_commune,
            (None, None) => s.departement = post_dep,
            _ => {}
        }
        if s.name.trim().is_empty() {
            reject = Some(RowIssue {
                line: row.line,
                column: None,
                value: None,
                message: "the supplier has no name: row left out".to_string(),
            });
        } else if let Some(siret) = s.siret {
            if let Some(first) = first_siret.get(&siret) {
                reject = Some(RowIssue {
                    line: row.line,
                    column: None,
                    value: Some(siret.to_string()),
                    message: format!("SIRET {siret} is already read on line {first}: row left out"),
                });
            } else {
                first_siret.insert(siret, row.line);
            }
        }
        if let Some(r) = reject {
            rejected.push(r);
            continue;
        }
        if s.cpv_prefixes.is_empty() && s.naf.is_none() {
            warnings.push(RowIssue {
                line: row.line,
                column: None,
                value: None,
                message: format!(
                    "\"{}\" has no CPV prefix and no NAF code: it cannot be matched with a purchase",
                    excerpt(&s.name)
                ),
            });
        }
        if s.departement.is_none() {
            warnings.push(RowIssue {
                line: row.line,
                column: None,
                value: None,
                message: format!(
                    "\"{}\" has no département: it counts only at the national level",
                    excerpt(&s.name)
                ),
            });
        }
        suppliers.push(s);
    }
    if !ignored.is_empty() {
        let unknown: Vec<&String> = ignored.iter().filter(|c| !personal.contains(c)).collect();
        if !unknown.is_empty() {
            warnings.push(RowIssue {
                line: header.line,
                column: None,
                value: None,
                message: format!(
                    "columns not read: {}",
                    unknown
                        .iter()
                        .map(|c| format!("\"{}\"", excerpt(c)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    let accepted = suppliers.len();
    let directory = Directory::new(suppliers)?;
    Ok(DirectoryRead {
        directory,
        rows: n_rows,
        accepted,
        rejected,
        warnings,
        ignored_columns: ignored,
    })
}

static SAMPLE: OnceLock<Directory> = OnceLock::new();

/// Options of [`Directory::read`]: the file's format (sniffed from its first bytes by
/// default) and, for a workbook, the sheet (by default the first whose first rows hold a
/// header naming the supplier).
///
/// ```
/// use spaser::FileFormat;
/// use spaser::sourcing::DirectoryReadOptions;
/// let o = DirectoryReadOptions::default().format(FileFormat::Xlsx).sheet("Fournisseurs");
/// assert_eq!(o.format_in_use(), Some(FileFormat::Xlsx));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryReadOptions {
    format: Option<FileFormat>,
    sheet: Option<String>,
}

impl DirectoryReadOptions {
    /// The file's format (CSV, JSON, xlsx, xls, xlsb, ods).
    pub fn format(mut self, format: FileFormat) -> DirectoryReadOptions {
        self.format = Some(format);
        self
    }

    /// The workbook's sheet to read.
    pub fn sheet(mut self, name: impl Into<String>) -> DirectoryReadOptions {
        self.sheet = Some(name.into());
        self
    }

    /// The format set, if any.
    pub fn format_in_use(&self) -> Option<FileFormat> {
        self.format
    }
}

impl Directory {
    /// Reads a directory from a spreadsheet export (CSV).
    ///
    /// Accepts what French exports contain: UTF-8 with or without byte-order mark, or
    /// Windows-1252; `;`, tab, `,` or `|` as delimiter; a title row or two before the header;
    /// headers in French or English, in any order, case and accents optional:
    ///
    /// | field | headers (some of the accepted ones) |
    /// |---|---|
    /// | SIRET | `siret`, `numero_siret` |
    /// | name (required) | `nom`, `raison_sociale`, `denomination`, `name` |
    /// | CPV prefixes | `cpv`, `code_cpv`, `codes_cpv` (full codes or prefixes, separated by `\|`, `;`, `,`) |
    /// | NAF code | `naf`, `code_naf`, `code_ape`, `activite_principale` |
    /// | commune | `code_commune`, `code_insee` (gives the département when that column is absent) |
    /// | département | `departement`, `dep`, `code_departement` |
    /// | postcode | `code_postal`, `cp` (gives the département when nothing else does) |
    /// | statuses and labels | `statuts`, `labels`, `type_de_structure` (`EI \| ESUS (DREETS, 2024-09-15) \| RGE`) |
    /// | one status as yes/no | a column named after a status: `RGE`, `ESUS`, `Bio`, `Écolabel`, `Qualiopi`… |
    /// | source and date of the labels | `source_labels`, `date_labels` (for labels without their own) |
    /// | staff band | `tranche_effectif` (INSEE code or `10-19`) |
    /// | turnover | `chiffre_d_affaires`, `ca` (decimal comma or point, `€`) |
    /// | insertion FTE | `etp_insertion`, `salaries_en_insertion` |
    /// | record source and date | `source`, `date_mise_a_jour` |
    ///
    /// At least one of CPV and NAF is required. Columns with personal data (contact names,
    /// e-mails, telephones) are never read; other unknown columns are listed in
    /// [`DirectoryRead::ignored_columns`]. Every data row is accounted for: a row without a
    /// name, or whose SIRET was already read, is rejected with its reason; a cell that cannot
    /// be read is left out with a warning and the supplier is kept (a bad SIRET leaves the
    /// supplier without SIRET). [`DirectoryRead::strict`] turns rejections into an error.
    ///
    /// # Errors
    /// [`ErrorKind::Missing`] when no header row names the supplier or no activity column
    /// (CPV or NAF) exists; [`ErrorKind::Parse`] when the bytes are not CSV text.
    ///
    /// ```
    /// use spaser::sourcing::{Directory, Status};
    /// let csv = "raison_sociale;siret;code_cpv;departement;statuts;chiffre_d_affaires;email\n\
    ///            Net'Insertion;73282932000074;90910000-9;49;EI|ESUS;850 000 €;direction@example.org\n\
    ///            ;;909;49;ESAT;;\n";
    /// let read = Directory::read_csv(csv.as_bytes())?;
    /// assert_eq!((read.rows, read.accepted, read.rejected.len()), (2, 1, 1));
    /// let s = &read.directory.suppliers()[0];
    /// assert_eq!(s.cpv_prefixes, ["9091"]);
    /// assert!(s.has(&Status::Ei) && s.has(&Status::Esus));
    /// assert_eq!(s.turnover.unwrap().to_string(), "850000.00");
    /// assert_eq!(read.rejected[0].to_string(), "line 3: the supplier has no name: row left out");
    /// assert!(read.ignored_columns.contains(&"email".to_string())); // personal data: not read
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn read_csv(bytes: &[u8]) -> Result<DirectoryRead> {
        read_csv(bytes)
    }

    /// Reads a directory in any format a buyer keeps one: CSV (as [`Directory::read_csv`]),
    /// a workbook (xlsx, xls, xlsb, ods, with the `spreadsheet` feature: the same columns,
    /// typed cells read as their text; a leading zero a spreadsheet dropped from a commune
    /// code or postcode is put back) or the crate's JSON form. The format is sniffed from the
    /// first bytes unless given.
    ///
    /// # Errors
    /// As [`Directory::read_csv`]; [`ErrorKind::Parse`] for bytes that are not a workbook of
    /// the format, or a workbook without the `spreadsheet` feature; [`ErrorKind::Missing`] for
    /// a sheet the workbook does not have (listing its sheets); for JSON, the errors of
    /// [`Directory::from_json`].
    ///
    /// ```
    /// use spaser::sourcing::{Directory, DirectoryReadOptions};
    /// let csv = "sep=;\nnom;cpv\nVerts Jardins;7731\n";
    /// let read = Directory::read(csv.as_bytes(), &DirectoryReadOptions::default())?;
    /// assert_eq!(read.directory.suppliers()[0].cpv_prefixes, ["7731"]);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn read(bytes: &[u8], options: &DirectoryReadOptions) -> Result<DirectoryRead> {
        let format = options.format.unwrap_or_else(|| FileFormat::sniff(bytes));
        match format {
            FileFormat::Csv => read_csv(bytes),
            FileFormat::Json => {
                let text = std::str::from_utf8(bytes).map_err(|e| {
                    Error::new(
                        ErrorKind::Parse,
                        format!("directory JSON is not UTF-8 (byte {})", e.valid_up_to()),
                    )
                })?;
                let directory = Directory::from_json(text)?;
                let n = directory.len();
                Ok(DirectoryRead {
                    directory,
                    rows: n,
                    accepted: n,
                    rejected: Vec::new(),
                    warnings: Vec::new(),
                    ignored_columns: Vec::new(),
                })
            }
            _ => read_workbook(bytes, format, options.sheet.as_deref()),
        }
    }

    /// The sample directory written for the crate: about eighty fictitious companies around
    /// the sample programme's town (Maine-et-Loire, Pays de la Loire) and elsewhere in France,
    /// with realistic mixes of insertion structures (EI, ACI, AI, ETTI), EA and ESAT, ESS,
    /// ESUS and SCOP, RGE, organic, Ecolabel, RFAR and Qualiopi holders. Companies only; the
    /// SIRETs pass the Luhn check but are not meant to name real establishments.
    pub fn sample() -> &'static Directory {
        SAMPLE.get_or_init(|| {
            // The embedded CSV is part of the crate and is read without rejection by the
            // unit test `sample_directory_reads_cleanly`: this cannot fail at run time.
            read_csv(include_bytes!("../data/sample_suppliers.csv"))
                .map(|r| r.directory)
                .expect("embedded sample directory is valid (checked by tests)")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_directory_reads_cleanly() {
        let r = read_csv(include_bytes!("../data/sample_suppliers.csv")).unwrap();
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.rows, r.accepted);
        assert!(r.accepted >= 60);
    }

    #[test]
    fn lists_split_outside_parentheses() {
        assert_eq!(
            split_list("EI | RGE (ADEME, 2025-03-01); ESUS"),
            ["EI", "RGE (ADEME, 2025-03-01)", "ESUS"]
        );
    }

    #[test]
    fn postcodes_give_departements() {
        assert_eq!(departement_of_postcode("49000").unwrap().as_str(), "49");
        assert_eq!(departement_of_postcode("20090").unwrap().as_str(), "2A");
        assert_eq!(departement_of_postcode("20200").unwrap().as_str(), "2B");
        assert_eq!(departement_of_postcode("97400").unwrap().as_str(), "974");
        assert!(departement_of_postcode("98000").is_none()); // Monaco
    }

    #[test]
    fn headers_map_to_fields() {
        assert_eq!(field_of("Raison sociale"), Some(Field::Name));
        assert_eq!(field_of("Chiffre d'affaires (€)"), Some(Field::Turnover));
        assert_eq!(field_of("E-mail du contact"), Some(Field::Personal));
        assert_eq!(field_of("Téléphone"), Some(Field::Personal));
        assert_eq!(field_of("RGE"), Some(Field::Flag(Status::Rge)));
        assert_eq!(field_of("Commentaire"), None);
    }
}
